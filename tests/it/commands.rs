//! `new`, `init`, exit codes and usage errors.

use crate::support::*;

#[test]
fn init_creates_a_playbook_that_builds_and_checks_clean() {
    let dir = tempfile::tempdir().unwrap();
    let output = run(dir.path(), &["init", "playbook"]);
    assert!(output.status.success(), "{}", stderr(&output));
    let playbook = dir.path().join("playbook");
    let check = run(&playbook, &["check", "--strict"]);
    assert!(check.status.success(), "{}", stderr(&check));
    let site = build_ok(&playbook);
    assert!(site.join("touchpoints/customer-reports-an-outage.html").is_file());
    let again = run(dir.path(), &["init", "playbook"]);
    assert_eq!(again.status.code(), Some(2));
    assert!(stderr(&again).contains("already exists"));
}

#[test]
fn new_writes_stubs_that_build_with_todays_date_and_no_review() {
    let dir = fixture("base");
    for (kind, title, path) in [
        ("touchpoint", "Customer asks for a refund!", "content/touchpoints/customer-asks-for-a-refund.md"),
        ("message", "Straight answers", "content/messages/straight-answers.md"),
        ("best-practice", "Kari's good call", "content/practices/kari-s-good-call.md"),
        // The spelling the format documents, after the folder.
        ("practice", "Praised by the customer", "content/practices/praised-by-the-customer.md"),
        ("rollout", "Spring programme", "content/rollouts/spring-programme.md"),
    ] {
        let output = run(dir.path(), &["new", kind, title]);
        assert!(output.status.success(), "{}", stderr(&output));
        let text = read(dir.path().join(path));
        assert!(text.starts_with("+++\n"));
        if kind != "touchpoint" && kind != "message" {
            assert!(text.contains("2026-11-01"), "{kind} stub has today's date:\n{text}");
        }
        assert!(!text.contains("reviewed"), "nobody has reviewed a new {kind} yet:\n{text}");
    }
    let stub = read(dir.path().join("content/touchpoints/customer-asks-for-a-refund.md"));
    assert!(stub.contains("title = \"Customer asks for a refund!\"") && stub.contains("stage = \"support\""));
    assert!(stub.contains("\n## Role play\n"), "the role play under its own label:\n{stub}");
    let site = build_ok(dir.path());
    assert!(site.join("touchpoints/customer-asks-for-a-refund.html").is_file());
    assert_eq!(select(&read(site.join("rollouts/spring-programme.html")), "section.week-pack").len(), 16);
}

#[test]
fn new_never_overwrites_without_force() {
    let dir = fixture("base");
    let output = run(dir.path(), &["new", "touchpoint", "Angry caller"]);
    assert_eq!(output.status.code(), Some(2));
    assert!(stderr(&output).contains("already exists"));
    assert!(read(dir.path().join("content/touchpoints/angry-caller.md")).contains("MARKER-SITUATION"));
    let forced = run(dir.path(), &["new", "touchpoint", "Angry caller", "--force"]);
    assert!(forced.status.success());
    assert!(!read(dir.path().join("content/touchpoints/angry-caller.md")).contains("MARKER-SITUATION"));
}

#[test]
fn usage_and_missing_playbook_errors_exit_with_2() {
    let dir = tempfile::tempdir().unwrap();
    let output = run(dir.path(), &["build"]);
    assert_eq!(output.status.code(), Some(2));
    assert!(stderr(&output).contains("book.toml") && stderr(&output).contains("touchbook init"), "{}", stderr(&output));
    assert_eq!(run(dir.path(), &["frobnicate"]).status.code(), Some(2));
    assert_eq!(run(dir.path(), &["new", "poem", "x"]).status.code(), Some(2));
}

#[test]
fn new_refuses_a_division_that_is_not_configured() {
    let dir = fixture("base");
    let output = run(dir.path(), &["new", "touchpoint", "Lokalt", "--division", "finland"]);
    assert_eq!(output.status.code(), Some(2));
    assert!(stderr(&output).contains("no division `finland`"), "{}", stderr(&output));
    assert!(!dir.path().join("content/divisions/finland").exists());
    let output = run(dir.path(), &["new", "touchpoint", "Bare her", "--division", "norge"]);
    assert!(output.status.success(), "{}", stderr(&output));
    let stub = read(dir.path().join("content/divisions/norge/touchpoints/bare-her.md"));
    // Written in the division's language, so that it builds there as it is.
    assert!(stub.contains("## Forventet atferd") && stub.contains("- Unngå:"), "{stub}");
    let check = run(dir.path(), &["check"]);
    let messages = stderr(&check);
    assert!(check.status.success() && !messages.contains("missing the"), "{messages}");
}

#[test]
fn build_without_search_writes_the_pages_only() {
    let dir = fixture("base");
    let output = run(dir.path(), &["build", "--no-search"]);
    assert!(output.status.success(), "{}", stderr(&output));
    let site = dir.path().join("site");
    assert!(site.join("index.html").is_file() && site.join("norge/touchpoints/renewal-talk.html").is_file());
    assert!(!site.join("pagefind").exists() && !site.join("norge/pagefind").exists());
    assert!(!stderr(&output).contains("search "), "no search stage: {}", stderr(&output));
    // A later build with search adds the index to the same folder.
    build_ok(dir.path());
    assert!(site.join("pagefind/pagefind.js").is_file());
}
