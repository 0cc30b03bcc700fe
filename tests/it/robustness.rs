//! Inputs made to break things: no panic, a clear message with the file, and the exit code that
//! says what happened.

use crate::support::*;

fn touchpoint(title: &str, body: &str) -> String {
    format!(
        "+++\ntitle = \"{title}\"\nsummary = \"S.\"\nstage = \"support\"\nfrequency = 1\ndifficulty = 1\n+++\n\n## Situation\n\n{body}\n\n## Expected behaviour\n\n- Do: x.\n"
    )
}

#[test]
fn a_symbolic_link_loop_is_reported_not_followed_forever() {
    let dir = fixture("base");
    #[cfg(unix)]
    std::os::unix::fs::symlink("..", dir.path().join("content/touchpoints/loop")).unwrap();
    let output = run(dir.path(), &["build"]);
    let messages = stderr(&output);
    assert!(!messages.contains("panicked"), "{messages}");
    #[cfg(unix)]
    {
        assert_eq!(output.status.code(), Some(1), "{messages}");
        assert!(
            messages.contains(
                "content/touchpoints/loop: error: cannot read: this symbolic link to a folder is not followed"
            ),
            "{messages}"
        );
    }
}

#[test]
fn a_ten_megabyte_touch_point_builds() {
    let dir = fixture("base");
    let paragraph = "The customer calls again about the same invoice and wants a clear answer today. ".repeat(20);
    let body = std::iter::repeat_n(paragraph.as_str(), 6300).collect::<Vec<_>>().join("\n\n");
    assert!(body.len() > 10_000_000);
    std::fs::write(dir.path().join("content/touchpoints/huge.md"), touchpoint("Huge", &body)).unwrap();
    let site = build_ok(dir.path());
    assert!(std::fs::metadata(site.join("touchpoints/huge.html")).unwrap().len() > 10_000_000);
}

#[test]
fn deeply_nested_lists_and_quotes_do_not_crash() {
    let dir = fixture("base");
    let lists: String = (0..3000).map(|depth| format!("{}- level {depth}\n", "  ".repeat(depth))).collect();
    let quotes = format!("{} deep", ">".repeat(3000));
    std::fs::write(
        dir.path().join("content/touchpoints/nested.md"),
        touchpoint("Nested", &format!("{lists}\n\n{quotes}")),
    )
    .unwrap();
    let output = run(dir.path(), &["build"]);
    assert!(output.status.success(), "{}", stderr(&output));
}

#[test]
fn touch_points_that_link_to_each_other_in_a_cycle_build() {
    let dir = fixture("base");
    let a = touchpoint("A", "See [b](cycle-b.md).")
        .replace("difficulty = 1\n", "difficulty = 1\nrelated = [\"cycle-b\"]\n");
    let b = touchpoint("B", "See [a](cycle-a.md).")
        .replace("difficulty = 1\n", "difficulty = 1\nrelated = [\"cycle-a\"]\n");
    std::fs::write(dir.path().join("content/touchpoints/cycle-a.md"), a).unwrap();
    std::fs::write(dir.path().join("content/touchpoints/cycle-b.md"), b).unwrap();
    let site = build_ok(dir.path());
    assert!(links_to(&read(site.join("touchpoints/cycle-a.html")), "../touchpoints/cycle-b.html"));
}

#[test]
fn file_names_with_spaces_or_capitals_get_a_suggested_name() {
    let dir = fixture("base");
    std::fs::write(dir.path().join("content/touchpoints/Angry Caller 2.md"), touchpoint("Angry again", "x")).unwrap();
    let output = run(dir.path(), &["build"]);
    assert_eq!(output.status.code(), Some(1));
    let messages = stderr(&output);
    assert!(
        messages.contains("content/touchpoints/Angry Caller 2.md: error: `Angry Caller 2` is not a valid id"),
        "{messages}"
    );
    assert!(messages.contains("rename the file to `angry-caller-2.md`"), "{messages}");
}

#[test]
fn an_empty_playbook_folder_says_what_to_do() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("book.toml"),
        "[book]\ntitle = \"T\"\n\n[journey]\nstages = [\"support\"]\nchannels = [\"phone\"]\n",
    )
    .unwrap();
    let output = run(dir.path(), &["build"]);
    assert_eq!(output.status.code(), Some(1));
    assert!(stderr(&output).contains("content: error: the playbook has no content/ folder"), "{}", stderr(&output));
}

#[test]
fn a_division_cannot_take_the_name_of_a_site_folder() {
    let dir = fixture("base");
    let config = read(dir.path().join("book.toml")).replace("[divisions.norge]", "[divisions.static]");
    std::fs::write(dir.path().join("book.toml"), config).unwrap();
    let output = run(dir.path(), &["build"]);
    assert_eq!(output.status.code(), Some(1));
    assert!(
        stderr(&output).contains("book.toml:23:12: error: `static` cannot be a division id"),
        "{}",
        stderr(&output)
    );
}

#[test]
fn an_item_cannot_be_called_index() {
    let dir = fixture("base");
    std::fs::write(dir.path().join("content/touchpoints/index.md"), touchpoint("Index", "x")).unwrap();
    let output = run(dir.path(), &["build"]);
    assert_eq!(output.status.code(), Some(1));
    assert!(
        stderr(&output).contains("content/touchpoints/index.md: error: `index` cannot be an id"),
        "{}",
        stderr(&output)
    );
}

#[test]
fn a_name_that_differs_only_in_case_from_another_is_explained() {
    let dir = fixture("base");
    let existing = dir.path().join("content/touchpoints/angry-caller.md");
    std::fs::write(dir.path().join("content/touchpoints/Angry-Caller.md"), read(&existing)).unwrap();
    let output = run(dir.path(), &["build"]);
    assert_eq!(output.status.code(), Some(1));
    let messages = stderr(&output);
    assert!(
        messages.contains("content/touchpoints/Angry-Caller.md: error: `Angry-Caller` is not a valid id"),
        "{messages}"
    );
    assert!(messages.contains("on macOS and Windows they are the same file"), "{messages}");
    assert!(!dir.path().join("site").exists());
}

#[cfg(unix)]
#[test]
fn a_file_that_cannot_be_read_is_named_and_nothing_is_written() {
    let dir = fixture("base");
    // A link to nowhere: unreadable for every user (unlike a permission, which root ignores).
    std::os::unix::fs::symlink("/nonexistent/touchbook-test.md", dir.path().join("content/touchpoints/gone.md"))
        .unwrap();
    let output = run(dir.path(), &["build"]);
    assert_eq!(output.status.code(), Some(1));
    let messages = stderr(&output);
    assert!(messages.contains("content/touchpoints/gone.md: error: cannot read"), "{messages}");
    assert!(!messages.contains("panicked"));
    assert!(!dir.path().join("site").exists());
}
