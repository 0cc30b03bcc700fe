//! The output folder: staged and swapped, byte-identical, and never someone else's files.

use crate::support::*;

#[test]
fn a_failing_build_leaves_the_previous_site_byte_for_byte() {
    let dir = fixture("base");
    let site = build_ok(dir.path());
    let before = tree(&site);
    let path = dir.path().join("content/touchpoints/late-invoice.md");
    std::fs::write(&path, read(&path).replace("stage = \"first-contact\"", "stage = \"nowhere\"")).unwrap();
    let output = run(dir.path(), &["build"]);
    assert_eq!(output.status.code(), Some(1));
    assert!(stderr(&output).contains("the previous site is unchanged"));
    assert_eq!(tree(&site), before);
}

#[test]
fn two_builds_are_byte_identical() {
    let dir = fixture("base");
    let first = tree(&build_ok(dir.path()));
    let second = tree(&build_ok(dir.path()));
    assert_eq!(first, second);
    let elsewhere = run(dir.path(), &["build", "--output", "other"]);
    assert!(elsewhere.status.success(), "{}", stderr(&elsewhere));
    assert_eq!(tree(&dir.path().join("other")), first);
}

#[test]
fn a_rebuild_removes_pages_of_deleted_items() {
    let dir = fixture("base");
    let site = build_ok(dir.path());
    assert!(site.join("practices/older-story.html").is_file());
    std::fs::remove_file(dir.path().join("content/practices/older-story.md")).unwrap();
    build_ok(dir.path());
    assert!(!site.join("practices/older-story.html").exists());
    assert!(!read(site.join(".touchbook-output")).contains("older-story"));
}

#[test]
fn refuses_the_playbook_folder_itself() {
    let dir = fixture("base");
    for target in [".", ".."] {
        let output = run(dir.path(), &["build", "--output", target]);
        assert_eq!(output.status.code(), Some(2));
        assert!(stderr(&output).contains("it is the playbook folder"), "{}", stderr(&output));
    }
    assert!(dir.path().join("content/touchpoints/angry-caller.md").is_file());
}

#[test]
fn refuses_a_folder_that_holds_or_is_inside_the_content() {
    let dir = fixture("base");
    for target in ["content", "content/site"] {
        let output = run(dir.path(), &["build", "--output", target]);
        assert_eq!(output.status.code(), Some(2), "{target}");
        assert!(stderr(&output).contains("overlaps the content/ folder"), "{}", stderr(&output));
    }
    assert!(dir.path().join("content/touchpoints/angry-caller.md").is_file());
}

#[test]
fn refuses_a_folder_with_files_touchbook_did_not_write() {
    let dir = fixture("base");
    let mine = dir.path().join("mine");
    std::fs::create_dir_all(&mine).unwrap();
    std::fs::write(mine.join("notes.txt"), "my notes").unwrap();
    let output = run(dir.path(), &["build", "--output", "mine"]);
    assert_eq!(output.status.code(), Some(2));
    assert!(stderr(&output).contains("holds files that touchbook did not write"), "{}", stderr(&output));
    assert_eq!(read(mine.join("notes.txt")), "my notes");

    // A file dropped into a site touchbook built is protected too.
    let site = build_ok(dir.path());
    std::fs::write(site.join("touchpoints/keep-me.txt"), "added by hand").unwrap();
    let output = run(dir.path(), &["build"]);
    assert_eq!(output.status.code(), Some(2));
    assert!(stderr(&output).contains("touchpoints/keep-me.txt"), "{}", stderr(&output));
    assert_eq!(read(site.join("touchpoints/keep-me.txt")), "added by hand");
}

#[test]
fn an_empty_folder_is_fine_and_staging_leftovers_are_cleaned_up() {
    let dir = fixture("base");
    std::fs::create_dir_all(dir.path().join("site")).unwrap();
    std::fs::create_dir_all(dir.path().join(".site.touchbook-staging-killed")).unwrap();
    build_ok(dir.path());
    assert!(!dir.path().join(".site.touchbook-staging-killed").exists());
    let leftovers: Vec<_> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.contains("touchbook-"))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
}
