//! `check`'s diagnostics in the formats CI systems show inline in a pull or merge request:
//! GitHub Actions workflow commands, GitLab's Code Quality report and SARIF 2.1.0.
//!
//! Diagnostics carry no rule code, so each gets one from its message with the quoted parts
//! (ids, values, paths) left out: every "`x` is not a channel of the journey" is the same rule,
//! whatever `x` is. Paths are relative to the repository when `--root` is a relative folder, as
//! CI systems expect.

use std::collections::{BTreeMap, HashMap};
use std::fmt::Write as _;

use serde_json::{json, Value};
use sha2::{Digest, Sha256};

use crate::diagnostics::{Diagnostic, Severity};

/// Where the playbook is within the repository (`--root`), to put before every path.
#[derive(Debug, Clone, Default)]
pub(crate) struct Base(String);

impl Base {
    /// A relative `--root` other than `.` becomes a prefix; an absolute one cannot be placed in
    /// the repository, so paths stay relative to the playbook.
    pub(crate) fn new(root: &std::path::Path) -> Base {
        if root.is_absolute() {
            return Base::default();
        }
        let parts: Vec<String> = root
            .components()
            .filter_map(|c| match c {
                std::path::Component::Normal(part) => Some(part.to_string_lossy().into_owned()),
                _ => None,
            })
            .collect();
        Base(parts.iter().map(|p| format!("{p}/")).collect())
    }

    fn path(&self, file: &str) -> String {
        format!("{}{file}", self.0)
    }
}

/// The message with its quoted parts replaced by `…`: the same for every problem of a kind.
fn template(message: &str) -> String {
    let mut out = String::new();
    let mut quoted = false;
    for piece in message.split('`') {
        if quoted {
            out.push_str("`…`");
        } else {
            out.push_str(piece);
        }
        quoted = !quoted;
    }
    // A message's details after a colon (a reason from the system, a TOML parser's words) are
    // not part of its kind.
    let kind = out.split(": ").next().unwrap_or_default();
    kind.trim().to_string()
}

/// A rule id from a message: `unknown-key-in`, `is-not-a-channel-of-the-journey`.
fn rule_id(message: &str) -> String {
    let words: Vec<String> = template(message)
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|w| !w.is_empty() && !w.chars().all(|c| c.is_ascii_digit()))
        .take(8)
        .map(str::to_ascii_lowercase)
        .collect();
    if words.is_empty() {
        "problem".to_string()
    } else {
        words.join("-")
    }
}

/// The message with its help on the next line, as the CI systems show one text.
fn full_text(diagnostic: &Diagnostic) -> String {
    match &diagnostic.hint {
        Some(hint) => format!("{}\nhelp: {hint}", diagnostic.message),
        None => diagnostic.message.clone(),
    }
}

/// A workflow command's data: `%`, CR and LF escaped as GitHub's runner unescapes them.
fn escape_data(text: &str) -> String {
    text.replace('%', "%25").replace('\r', "%0D").replace('\n', "%0A")
}

/// A workflow command's property value: the data escapes, and `:` and `,`, which end it.
fn escape_property(text: &str) -> String {
    escape_data(text).replace(':', "%3A").replace(',', "%2C")
}

/// GitHub Actions workflow commands, one line per problem (`::error file=…,line=…::…`): each
/// becomes an annotation at its line in the pull request's changed files.
pub(crate) fn github(diagnostics: &[Diagnostic], base: &Base) -> String {
    let mut out = String::new();
    for d in diagnostics {
        let command = match d.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        let mut properties = vec![format!("file={}", escape_property(&base.path(&d.file)))];
        if let Some(line) = d.line {
            properties.push(format!("line={line}"));
            properties.push(format!("endLine={line}"));
        }
        if let Some(col) = d.column {
            properties.push(format!("col={col}"));
            if let Some((_, width)) = &d.snippet {
                properties.push(format!("endColumn={}", col + width));
            }
        }
        properties.push(format!("title={}", escape_property(&format!("touchbook: {}", template(&d.message)))));
        let _ = writeln!(out, "::{command} {}::{}", properties.join(","), escape_data(&full_text(d)));
    }
    out
}

/// GitLab's Code Quality report: a JSON array of issues. Each fingerprint is a hash of what the
/// problem is and where (file, message, and which of its equals it is), not of its line, so a
/// problem that moves down a file is still the same one when GitLab compares two reports.
pub(crate) fn gitlab(diagnostics: &[Diagnostic], base: &Base) -> String {
    let mut seen: HashMap<(String, String), usize> = HashMap::new();
    let issues: Vec<Value> = diagnostics
        .iter()
        .map(|d| {
            let path = base.path(&d.file);
            let occurrence = seen.entry((path.clone(), d.message.clone())).or_default();
            *occurrence += 1;
            let fingerprint =
                hex(&Sha256::digest(format!("{path}\0{}\0{}", d.message, occurrence).as_bytes()))[..32].to_string();
            // `type` and `categories` are not read by GitLab but required by the Code Climate
            // format GitLab's is a subset of, so tools made for that one read it too.
            let category = match d.severity {
                Severity::Error => "Bug Risk",
                Severity::Warning => "Style",
            };
            json!({
                "type": "issue",
                "categories": [category],
                "description": full_text(d),
                "check_name": rule_id(&d.message),
                "fingerprint": fingerprint,
                "severity": match d.severity { Severity::Error => "major", Severity::Warning => "minor" },
                "location": { "path": path, "lines": { "begin": d.line.unwrap_or(1) } },
            })
        })
        .collect();
    serde_json::to_string_pretty(&Value::Array(issues)).unwrap_or_default() + "\n"
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().fold(String::with_capacity(bytes.len() * 2), |mut out, b| {
        let _ = write!(out, "{b:02x}");
        out
    })
}

/// A path as a relative URI reference: everything but unreserved characters and `/` encoded.
fn uri(path: &str) -> String {
    let mut out = String::new();
    for byte in path.bytes() {
        if byte.is_ascii_alphanumeric() || b"-._~/".contains(&byte) {
            out.push(byte as char);
        } else {
            let _ = write!(out, "%{byte:02X}");
        }
    }
    out
}

/// SARIF 2.1.0, as GitHub code scanning, Azure DevOps and other tools read it: one run of
/// touchbook, a rule per kind of problem, a result per problem. Columns count characters.
pub(crate) fn sarif(diagnostics: &[Diagnostic], base: &Base) -> String {
    let mut rules: BTreeMap<String, String> = BTreeMap::new();
    for d in diagnostics {
        rules.entry(rule_id(&d.message)).or_insert_with(|| template(&d.message));
    }
    let index: HashMap<&str, usize> = rules.keys().enumerate().map(|(i, id)| (id.as_str(), i)).collect();
    let results: Vec<Value> = diagnostics
        .iter()
        .map(|d| {
            let rule = rule_id(&d.message);
            let mut region = serde_json::Map::new();
            if let Some(line) = d.line {
                region.insert("startLine".into(), json!(line));
            }
            if let (Some(_), Some(col)) = (d.line, d.column) {
                region.insert("startColumn".into(), json!(col));
                if let Some((_, width)) = &d.snippet {
                    region.insert("endColumn".into(), json!(col + width));
                }
            }
            let mut location = json!({ "artifactLocation": { "uri": uri(&base.path(&d.file)) } });
            if !region.is_empty() {
                location["region"] = Value::Object(region);
            }
            json!({
                "ruleId": rule,
                "ruleIndex": index[rule.as_str()],
                "level": match d.severity { Severity::Error => "error", Severity::Warning => "warning" },
                "message": { "text": full_text(d) },
                "locations": [{ "physicalLocation": location }],
            })
        })
        .collect();
    let rules: Vec<Value> =
        rules.into_iter().map(|(id, text)| json!({ "id": id, "shortDescription": { "text": text } })).collect();
    let log = json!({
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [{
            "tool": { "driver": {
                "name": "touchbook",
                "version": env!("CARGO_PKG_VERSION"),
                "rules": rules,
            } },
            "columnKind": "unicodeCodePoints",
            "results": results,
        }],
    });
    serde_json::to_string_pretty(&log).unwrap_or_default() + "\n"
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rules_leave_out_quoted_values_and_details() {
        assert_eq!(rule_id("`fax` is not a channel of the journey"), "is-not-a-channel-of-the-journey");
        assert_eq!(rule_id("unknown key `colour` in [book]"), "unknown-key-in-book");
        assert_eq!(rule_id("cannot read: permission denied"), "cannot-read");
        assert_eq!(template("missing the `why` section"), "missing the `…` section");
    }

    #[test]
    fn workflow_commands_escape_what_ends_them() {
        assert_eq!(escape_property("a:b,c%\n"), "a%3Ab%2Cc%25%0A");
        assert_eq!(escape_data("50%: a,b\r\n"), "50%25: a,b%0D%0A");
    }

    #[test]
    fn base_is_the_relative_root() {
        assert_eq!(Base::new(std::path::Path::new("./docs/playbook")).path("book.toml"), "docs/playbook/book.toml");
        assert_eq!(Base::new(std::path::Path::new(".")).path("book.toml"), "book.toml");
        assert_eq!(uri("content/a b.md"), "content/a%20b.md");
    }
}
