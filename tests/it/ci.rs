//! `check --format github|gitlab|sarif`: each format read back as its consumer reads it (SARIF
//! against the official 2.1.0 schema, GitLab against the documented fields, GitHub's workflow
//! commands parsed and unescaped) and compared with `check --format json`, problem by problem.

use std::io::Read as _;
use std::path::Path;
use std::process::Stdio;

use serde_json::Value;

use crate::support::*;

/// A problem as every format must locate it: file, line, column, error or warning, message.
type Located = (String, Option<u64>, Option<u64>, String, String);

/// The playbooks the formats are compared on: errors in several files (one whose name holds
/// `,`, `%` and `:`, which end or escape a workflow command's properties), and warnings only.
fn playbooks() -> Vec<tempfile::TempDir> {
    let errors = fixture("six-errors");
    std::fs::write(errors.path().join("content/touchpoints/odd,name%:x.md"), "+++\ntitle = \"X\"\n+++\n").unwrap();
    vec![errors, fixture("base")]
}

fn check(dir: &Path, format: &str) -> (Option<i32>, String) {
    let output = run(dir, &["check", "--format", format]);
    (output.status.code(), stdout(&output))
}

/// What `check --format json` found: the oracle the other formats are compared with.
fn expected(dir: &Path) -> Vec<Located> {
    let (_, json) = check(dir, "json");
    let json: Value = serde_json::from_str(&json).unwrap();
    let mut found: Vec<Located> = json["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| {
            (
                d["file"].as_str().unwrap().to_string(),
                d["line"].as_u64(),
                d["column"].as_u64(),
                d["severity"].as_str().unwrap().to_string(),
                d["message"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    assert!(!found.is_empty());
    found.sort();
    found
}

fn schema(name: &str) -> jsonschema::Validator {
    let text = read(Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/schemas").join(name));
    jsonschema::validator_for(&serde_json::from_str(&text).unwrap()).unwrap()
}

fn assert_valid(validator: &jsonschema::Validator, document: &Value) {
    let errors: Vec<String> =
        validator.iter_errors(document).map(|e| format!("{e} at {}", e.instance_path())).collect();
    assert!(errors.is_empty(), "{errors:#?}\n{document:#}");
}

/// `%XX` escapes back to bytes, as a URI reference or GitHub's runner decodes them.
fn percent_decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' && i + 2 < bytes.len() {
            let hex = std::str::from_utf8(&bytes[i + 1..i + 3]).unwrap_or("");
            if let Ok(byte) = u8::from_str_radix(hex, 16) {
                out.push(byte);
                i += 3;
                continue;
            }
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8(out).unwrap()
}

#[test]
fn sarif_is_valid_sarif_2_1_0_and_locates_every_problem() {
    let validator = schema("sarif-schema-2.1.0.json");
    for dir in playbooks() {
        let (code, text) = check(dir.path(), "sarif");
        let (json_code, _) = check(dir.path(), "json");
        assert_eq!(code, json_code, "the exit code does not depend on the format");
        let log: Value = serde_json::from_str(&text).unwrap();
        assert_valid(&validator, &log);
        assert_eq!(log["version"], "2.1.0");
        let run = &log["runs"][0];
        assert_eq!(run["tool"]["driver"]["name"], "touchbook");
        let rules = run["tool"]["driver"]["rules"].as_array().unwrap();
        let mut found: Vec<Located> = run["results"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| {
                let index = r["ruleIndex"].as_u64().unwrap() as usize;
                assert_eq!(rules[index]["id"], r["ruleId"], "ruleIndex points at the result's rule");
                let location = &r["locations"][0]["physicalLocation"];
                let message = r["message"]["text"].as_str().unwrap();
                (
                    percent_decode(location["artifactLocation"]["uri"].as_str().unwrap()),
                    location["region"]["startLine"].as_u64(),
                    location["region"]["startColumn"].as_u64(),
                    r["level"].as_str().unwrap().to_string(),
                    message.split("\nhelp: ").next().unwrap().to_string(),
                )
            })
            .collect();
        found.sort();
        assert_eq!(found, expected(dir.path()));
    }
}

#[test]
fn gitlab_code_quality_has_the_documented_fields_and_stable_fingerprints() {
    let validator = schema("gitlab-code-quality.json");
    let dir = playbooks().remove(0);
    let (code, text) = check(dir.path(), "gitlab");
    assert_eq!(code, Some(1));
    let report: Value = serde_json::from_str(&text).unwrap();
    assert_valid(&validator, &report);
    let issues = report.as_array().unwrap();
    let mut found: Vec<(String, u64, String)> = issues
        .iter()
        .map(|i| {
            let severity = i["severity"].as_str().unwrap();
            let description = i["description"].as_str().unwrap();
            (
                i["location"]["path"].as_str().unwrap().to_string(),
                i["location"]["lines"]["begin"].as_u64().unwrap(),
                format!("{severity} {}", description.split("\nhelp: ").next().unwrap()),
            )
        })
        .collect();
    found.sort();
    let mut wanted: Vec<(String, u64, String)> = expected(dir.path())
        .into_iter()
        .map(|(file, line, _, severity, message)| {
            (file, line.unwrap_or(1), format!("{} {message}", if severity == "error" { "major" } else { "minor" }))
        })
        .collect();
    wanted.sort();
    assert_eq!(found, wanted);
    let fingerprints = |report: &Value| -> Vec<String> {
        report.as_array().unwrap().iter().map(|i| i["fingerprint"].as_str().unwrap().to_string()).collect()
    };
    let before = fingerprints(&report);
    let mut unique = before.clone();
    unique.sort();
    unique.dedup();
    assert_eq!(unique.len(), before.len(), "every issue has its own fingerprint");
    // A line added above a problem moves it, but it stays the same problem for GitLab.
    let path = dir.path().join("content/practices/p.md");
    let text = read(&path).replacen("+++\n", "+++\n# a comment\n", 1);
    std::fs::write(&path, text).unwrap();
    let (_, moved) = check(dir.path(), "gitlab");
    let moved: Value = serde_json::from_str(&moved).unwrap();
    let mut after = fingerprints(&moved);
    after.sort();
    assert_eq!(after, unique);
}

/// One workflow command: `::error file=…,line=…::message`.
fn parse_command(line: &str) -> (String, Vec<(String, String)>, String) {
    let rest = line.strip_prefix("::").unwrap_or_else(|| panic!("not a workflow command: {line}"));
    let (head, data) = rest.split_once("::").unwrap();
    let (command, properties) = head.split_once(' ').unwrap();
    let properties = properties
        .split(',')
        .map(|p| {
            let (key, value) = p.split_once('=').unwrap();
            (key.to_string(), percent_decode(value))
        })
        .collect();
    (command.to_string(), properties, percent_decode(data))
}

#[test]
fn github_annotations_are_one_workflow_command_per_problem() {
    for dir in playbooks() {
        let (_, text) = check(dir.path(), "github");
        let mut found: Vec<Located> = Vec::new();
        for line in text.lines() {
            assert!(!line.contains('\r'));
            let (command, properties, data) = parse_command(line);
            let get = |key: &str| properties.iter().find(|(k, _)| k == key).map(|(_, v)| v.clone());
            assert!(get("title").unwrap().starts_with("touchbook: "));
            let message = data.split("\nhelp: ").next().unwrap().to_string();
            found.push((
                get("file").unwrap(),
                get("line").map(|l| l.parse().unwrap()),
                get("col").map(|c| c.parse().unwrap()),
                command,
                message,
            ));
        }
        found.sort();
        assert_eq!(found, expected(dir.path()));
    }
    // The help goes with the message, on its own line once unescaped.
    let errors = playbooks().remove(0);
    let (_, text) = check(errors.path(), "github");
    let stage = text.lines().find(|l| l.contains("is not a stage")).unwrap();
    assert!(parse_command(stage).2.contains("\nhelp: "), "{stage}");
}

#[test]
fn paths_are_relative_to_the_repository_when_the_playbook_is_in_a_folder() {
    let repo = tempfile::tempdir().unwrap();
    copy_tree(&fixtures().join("six-errors"), &repo.path().join("docs/playbook"));
    let output = run(repo.path(), &["check", "--root", "docs/playbook", "--format", "github"]);
    let text = stdout(&output);
    assert!(!text.is_empty());
    for line in text.lines() {
        let file = parse_command(line).1.into_iter().find(|(k, _)| k == "file").unwrap().1;
        assert!(file.starts_with("docs/playbook/content/"), "{file}");
        assert!(repo.path().join(&file).is_file(), "{file}");
    }
}

#[test]
fn machine_formats_report_a_playbook_that_cannot_be_read() {
    let empty = tempfile::tempdir().unwrap();
    let not_utf8 = tempfile::tempdir().unwrap();
    std::fs::write(not_utf8.path().join("book.toml"), b"[book]\ntitle = \"\xff\xfe\"\n").unwrap();
    for dir in [empty.path(), not_utf8.path()] {
        let (code, json) = check(dir, "json");
        assert_eq!(code, Some(2));
        let json: Value = serde_json::from_str(&json).unwrap_or_else(|e| panic!("{e}: {json:?}"));
        assert_eq!(json["errors"], 1);
        assert_eq!(json["diagnostics"][0]["file"], "book.toml");
        assert!(json["diagnostics"][0]["message"].as_str().unwrap().contains("cannot read"));
        let (_, sarif) = check(dir, "sarif");
        assert_valid(&schema("sarif-schema-2.1.0.json"), &serde_json::from_str(&sarif).unwrap());
        let (_, gitlab) = check(dir, "gitlab");
        assert_valid(&schema("gitlab-code-quality.json"), &serde_json::from_str(&gitlab).unwrap());
        let (_, github) = check(dir, "github");
        assert_eq!(parse_command(github.trim_end()).0, "error");
    }
}

#[test]
fn a_reader_that_stops_early_is_no_crash() {
    // More than a pipe holds, so the writer meets the closed pipe.
    let dir = fixture("base");
    for n in 0..300 {
        let text = format!("+++\ntitle = \"T{n}\"\nsummary = \"S.\"\nstage = \"nowhere-{n}\"\nfrequency = 9\n+++\n");
        std::fs::write(dir.path().join(format!("content/touchpoints/broken-{n}.md")), text).unwrap();
    }
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_touchbook"))
        .args(["check", "--format", "json"])
        .current_dir(dir.path())
        .env("SOURCE_DATE_EPOCH", SOURCE_DATE_EPOCH)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdout = child.stdout.take().unwrap();
    let mut first = [0u8; 1];
    stdout.read_exact(&mut first).unwrap();
    assert_eq!(&first, b"{");
    drop(stdout);
    let mut errors = String::new();
    child.stderr.take().unwrap().read_to_string(&mut errors).unwrap();
    let status = child.wait().unwrap();
    assert!(!errors.contains("panicked"), "{errors}");
    assert_eq!(status.code(), Some(1), "{errors}");

    // The same for the text on stderr (`touchbook check 2>&1 | head -c1`).
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_touchbook"))
        .arg("check")
        .current_dir(dir.path())
        .env("SOURCE_DATE_EPOCH", SOURCE_DATE_EPOCH)
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stderr = child.stderr.take().unwrap();
    stderr.read_exact(&mut first).unwrap();
    drop(stderr);
    assert_eq!(child.wait().unwrap().code(), Some(1), "no panic (101) when stderr closes early");
}

/// Every `touchbook` command the example pipelines run, as written there (options, formats).
fn pipeline_commands() -> Vec<Vec<String>> {
    let mut commands = Vec::new();
    for file in ["docs/ci/github-actions.yml", "docs/ci/gitlab-ci.yml"] {
        let text = read(Path::new(env!("CARGO_MANIFEST_DIR")).join(file));
        for line in text.lines().filter(|l| !l.trim_start().starts_with('#')) {
            for (at, _) in line.match_indices("touchbook ") {
                let words: Vec<String> = line[at + "touchbook ".len()..]
                    .split_whitespace()
                    .take_while(|w| !matches!(*w, ">" | "|" | "||" | "&&" | ";"))
                    .map(str::to_string)
                    .collect();
                if words.first().is_some_and(|w| matches!(w.as_str(), "check" | "build")) {
                    commands.push(words);
                }
            }
        }
    }
    commands
}

#[test]
fn the_example_pipelines_run_commands_touchbook_has() {
    let commands = pipeline_commands();
    let wanted = [["check", "--format", "github"], ["check", "--format", "sarif"], ["check", "--format", "gitlab"]];
    for want in wanted {
        assert!(commands.iter().any(|c| c.starts_with(&want.map(String::from))), "a pipeline runs {want:?}");
    }
    assert!(commands.iter().any(|c| c[0] == "build"), "a pipeline publishes");
    let dir = fixture("divisions");
    for command in commands {
        let args: Vec<&str> = command.iter().map(String::as_str).collect();
        let output = run(dir.path(), &args);
        assert_eq!(output.status.code(), Some(0), "touchbook {args:?}: {}", stderr(&output));
    }
}
