//! Bad input: every problem is reported with file:line:col, a hint, exit code 1, and no site.
//!
//! Each case under `tests/fixtures/errors/<case>/` is laid over the base fixture; the full
//! messages are snapshots (`tests/it/snapshots/`), so a change in wording is a deliberate one.

use crate::support::*;

fn failing_build(case: &str) -> String {
    let dir = error_case(case);
    let output = run(dir.path(), &["build"]);
    let messages = stderr(&output);
    assert_eq!(output.status.code(), Some(1), "{case} should fail with exit code 1:\n{messages}");
    assert!(!dir.path().join("site").exists(), "{case}: a failed build must not write a site");
    assert!(!messages.contains("panicked"), "{case}: {messages}");
    messages
}

macro_rules! error_cases {
    ($($name:ident),* $(,)?) => {$(
        #[test]
        fn $name() {
            let case = stringify!($name).replace('_', "-");
            insta::assert_snapshot!(stringify!($name), failing_build(&case));
        }
    )*};
}

error_cases!(
    unknown_key,
    bad_stage_and_channel,
    out_of_range_and_wrong_type,
    missing_keys_and_sections,
    bad_dates,
    broken_links_and_ids,
    front_matter,
    file_names,
    book_toml,
    duplicate_sections,
    invalid_utf8,
    template_syntax,
    template_rendering,
);

#[test]
fn every_error_case_has_a_test() {
    for entry in std::fs::read_dir(fixtures().join("errors")).unwrap() {
        let name = entry.unwrap().file_name().to_string_lossy().replace('-', "_");
        let source = include_str!("errors.rs");
        assert!(source.contains(&format!("    {name},")), "tests/fixtures/errors/{name} has no test in error_cases!");
    }
}

#[test]
fn independent_errors_in_several_files_are_all_reported_in_one_run() {
    let dir = fixture("six-errors");
    let output = run(dir.path(), &["build"]);
    let messages = stderr(&output);
    assert_eq!(output.status.code(), Some(1));
    for location in [
        "content/touchpoints/a.md:4:9: error: `suport` is not a stage",
        "content/touchpoints/a.md:6:13: error: `frequency` is 9",
        "content/touchpoints/b.md:2:1: error: unknown key `titel`",
        "content/touchpoints/b.md:1:1: error: missing required key `title`",
        "content/touchpoints/b.md:13:5: error: the link `missing.md` points to no item",
        "content/messages/m.md:1:1: error: missing required key `promise`",
        "content/practices/p.md:3:16: error: `nobody` in `touchpoints` is not a touch point",
    ] {
        assert!(messages.contains(location), "missing {location:?} in:\n{messages}");
    }
    // Six mistakes; the misspelt `titel` is reported as unknown and `title` as missing.
    assert!(messages.contains("\n7 errors\n"), "{messages}");
}

#[test]
fn warnings_do_not_fail_the_build_but_fail_strict_check() {
    let dir = fixture("base");
    let output = run(dir.path(), &["build"]);
    assert!(output.status.success());
    assert!(stderr(&output).contains("warning: review is due"));
    assert_eq!(run(dir.path(), &["check"]).status.code(), Some(0));
    assert_eq!(run(dir.path(), &["check", "--strict"]).status.code(), Some(1));
}

#[test]
fn a_build_shows_a_few_warnings_of_a_kind_and_check_shows_them_all() {
    let dir = fixture("base");
    let touchpoints = dir.path().join("content/touchpoints");
    let model = read(touchpoints.join("angry-caller.md"));
    for n in 1..=14 {
        let text = model
            .replace("title = \"Angry caller\"", &format!("title = \"Old case {n}\""))
            .replace("reviewed = 2026-03-03", &format!("reviewed = 2020-01-{n:02}"));
        std::fs::write(touchpoints.join(format!("old-case-{n:02}.md")), text).unwrap();
    }
    let due = |text: &str| text.lines().filter(|l| l.contains("warning: review is due")).count();

    let build = stderr(&run(dir.path(), &["build"]));
    let all = due(&stderr(&run(dir.path(), &["check"])));
    assert!(all > 14, "every old case is due, and the fixture's own: {all}");
    assert_eq!(due(&build), 10, "{build}");
    let note = format!("note: {} more warnings with the help \"review the touch point with its owner and update `reviewed`\" are not shown; `touchbook check` lists every one", all - 10);
    assert!(build.contains(&note), "{build}");
    assert!(build.contains(&format!("\n{all} warnings\n")), "the summary counts every warning: {build}");
}

#[test]
fn check_reports_the_same_problems_as_json() {
    let dir = error_case("bad-stage-and-channel");
    let output = run(dir.path(), &["check", "--format", "json"]);
    assert_eq!(output.status.code(), Some(1));
    let report: serde_json::Value = serde_json::from_str(&stdout(&output)).expect("check --format json prints JSON");
    assert_eq!(report["errors"], 2);
    let first = report["diagnostics"].as_array().unwrap().iter().find(|d| d["severity"] == "error").unwrap();
    assert_eq!(first["file"], "content/touchpoints/late-invoice.md");
    assert_eq!((first["line"].as_u64(), first["column"].as_u64()), (Some(4), Some(9)));
    assert_eq!(first["severity"], "error");
    assert_eq!(first["hint"], "did you mean `support`?");
}
