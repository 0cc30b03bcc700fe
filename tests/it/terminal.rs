//! The conventions of a command-line tool: progress on a terminal and plain lines in a log,
//! `--quiet`, colours only on a terminal and never with `NO_COLOR`, shell completions and the
//! man page. A terminal is a real pseudo-terminal, made by util-linux's `script`.

use std::path::Path;
use std::process::Command;

use crate::support::*;

/// What `touchbook ARGS` writes to a terminal (stdout and stderr together), run in `dir`.
fn on_a_terminal(dir: &Path, args: &str, env: &[(&str, &str)]) -> String {
    let command = format!("{} {args}", env!("CARGO_BIN_EXE_touchbook"));
    let output = Command::new("script")
        .args(["-q", "-e", "-c", &command, "/dev/null"])
        .current_dir(dir)
        .env("SOURCE_DATE_EPOCH", SOURCE_DATE_EPOCH)
        .env("TERM", "xterm-256color")
        .env_remove("NO_COLOR")
        .envs(env.iter().copied())
        .output()
        .expect("util-linux `script` runs");
    String::from_utf8_lossy(&output.stdout).into_owned()
}

fn has_control_codes(text: &str) -> bool {
    text.contains('\u{1b}') || text.contains('\r')
}

#[test]
fn a_build_in_a_pipe_says_what_it_does_in_plain_lines() {
    let dir = fixture("divisions");
    let output = run(dir.path(), &["build"]);
    assert!(output.status.success(), "{}", stderr(&output));
    let text = stderr(&output);
    assert!(!has_control_codes(&text), "{text:?}");
    let lines: Vec<&str> = text.lines().collect();
    assert!(lines.iter().any(|l| l.starts_with("rendering ") && l.contains(" pages of 3 editions")), "{text}");
    assert!(lines.iter().any(|l| l.starts_with("indexing 3 editions for search")), "{text}");
    assert!(lines.last().unwrap().starts_with("built "), "{text}");
}

#[test]
fn quiet_prints_only_problems() {
    let dir = fixture("divisions");
    let output = run(dir.path(), &["build", "--quiet"]);
    assert!(output.status.success());
    let text = stderr(&output);
    assert!(!text.contains("rendering") && !text.contains("built ") && !text.contains("indexing"), "{text}");
    assert!(text.lines().all(|l| !l.starts_with("rendering")), "{text}");

    let broken = fixture("six-errors");
    let output = run(broken.path(), &["build", "-q"]);
    assert_eq!(output.status.code(), Some(1));
    let text = stderr(&output);
    assert!(text.contains("content/touchpoints/a.md:4:9: error: `suport` is not a stage"), "{text}");
    assert!(!text.contains("rendering"), "{text}");
}

#[test]
fn a_build_on_a_terminal_shows_progress_and_clears_it() {
    let dir = fixture("divisions");
    let text = on_a_terminal(dir.path(), "build", &[]);
    assert!(text.contains("\u{1b}["), "a bar is drawn and cleared with control codes: {text:?}");
    assert!(!text.contains("rendering 3") && !text.contains("…\n"), "no plain progress lines: {text:?}");
    assert!(text.contains("built "), "{text:?}");
    assert!(dir.path().join("site/index.html").is_file());
}

#[test]
fn colours_only_on_a_terminal_and_never_with_no_color() {
    let dir = fixture("six-errors");
    let coloured = on_a_terminal(dir.path(), "check", &[]);
    assert!(coloured.contains("\u{1b}[") && coloured.contains("error"), "{coloured:?}");
    let plain = on_a_terminal(dir.path(), "check", &[("NO_COLOR", "1")]);
    assert!(!plain.contains('\u{1b}'), "{plain:?}");
    assert!(plain.contains("content/touchpoints/a.md:4:9: error: `suport` is not a stage"), "{plain:?}");
    let piped = stderr(&run(dir.path(), &["check"]));
    assert!(!piped.contains('\u{1b}'), "{piped:?}");
}

#[test]
fn completions_for_every_shell_know_the_commands() {
    let dir = tempfile::tempdir().unwrap();
    for (shell, marker) in [
        ("bash", "complete -F"),
        ("zsh", "#compdef touchbook"),
        ("fish", "complete -c touchbook"),
        ("powershell", "Register-ArgumentCompleter"),
    ] {
        let output = run(dir.path(), &["completions", shell]);
        assert!(output.status.success(), "{}", stderr(&output));
        let script = stdout(&output);
        assert!(script.contains(marker), "{shell}: {script}");
        for word in ["build", "check", "serve", "localise", "division"] {
            assert!(script.contains(word), "{shell} completes {word}");
        }
        // clap_complete's PowerShell script completes commands and options, not their values.
        assert!(shell == "powershell" || script.contains("sarif"), "{shell} completes the formats");
    }
    // Bash reads the script and completes `touchbook ch` to `check`.
    let script = stdout(&run(dir.path(), &["completions", "bash"]));
    let path = dir.path().join("touchbook.bash");
    std::fs::write(&path, script).unwrap();
    let probe = format!(
        "source {}; COMP_WORDS=(touchbook ch); COMP_CWORD=1; COMP_LINE='touchbook ch'; COMP_POINT=12; \
         _touchbook touchbook ch touchbook; printf '%s\\n' \"${{COMPREPLY[@]}}\"",
        path.display()
    );
    let output = Command::new("bash").args(["-c", &probe]).output().unwrap();
    assert_eq!(String::from_utf8_lossy(&output.stdout).trim(), "check", "{}", String::from_utf8_lossy(&output.stderr));
    let unknown = run(dir.path(), &["completions", "tcsh"]);
    assert_eq!(unknown.status.code(), Some(2));
}

#[test]
fn the_man_page_describes_every_command() {
    let dir = tempfile::tempdir().unwrap();
    let output = run(dir.path(), &["man"]);
    assert!(output.status.success());
    let page = stdout(&output);
    assert!(page.lines().any(|l| l.starts_with(".TH touchbook 1")), "{page}");
    assert!(page.contains(".SH NAME") && page.contains(".SH SUBCOMMANDS"), "{page}");
    let folder = dir.path().join("man");
    let output = run(dir.path(), &["man", "--dir", folder.to_str().unwrap()]);
    assert!(output.status.success(), "{}", stderr(&output));
    let check = read(folder.join("touchbook-check.1"));
    assert!(check.lines().any(|l| l.starts_with(".TH touchbook-check 1")), "{check}");
    assert!(check.contains("sarif") && check.contains("strict"), "{check}");
    for command in ["build", "serve", "new", "init", "localise", "completions"] {
        assert!(folder.join(format!("touchbook-{command}.1")).is_file(), "{command}");
    }
}
