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
fn a_template_failing_half_way_through_the_pages_leaves_the_previous_site_and_no_leftovers() {
    let dir = fixture("base");
    let site = build_ok(dir.path());
    let before = tree(&site);
    // Pages are written as they are rendered: the card fails only on the pages that show one.
    let templates = dir.path().join("themes/default/templates");
    std::fs::create_dir_all(&templates).unwrap();
    std::fs::write(templates.join("card.html"), "<li>{{ tp.no_such_field.title }}</li>").unwrap();

    let output = run(dir.path(), &["build"]);

    assert_eq!(output.status.code(), Some(1));
    let stderr = stderr(&output);
    // At the line and column in the override, once for the edition rather than once per card.
    let at = "themes/default/templates/card.html:1:11: error: rendering the situations' cards failed";
    assert_eq!(stderr.matches(at).count(), 1, "{stderr}");
    assert!(stderr.contains("no_such_field"), "Tera's reason is shown: {stderr}");
    assert!(stderr.contains("the previous site is unchanged"), "{stderr}");
    assert_eq!(tree(&site), before);
    let leftovers: Vec<String> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|name| name.contains("touchbook-"))
        .collect();
    assert!(leftovers.is_empty(), "staging folders left after a failed build: {leftovers:?}");
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

/// A playbook big enough that a build takes a while: the base fixture and `n` more situations.
fn large_playbook(n: usize) -> tempfile::TempDir {
    let dir = fixture("base");
    let template = read(dir.path().join("content/touchpoints/late-invoice.md"));
    for i in 0..n {
        let text = template.replacen("title = \"", &format!("title = \"Copy {i} of "), 1);
        std::fs::write(dir.path().join(format!("content/touchpoints/copy-{i:04}.md")), text).unwrap();
    }
    dir
}

#[test]
fn a_build_killed_at_any_moment_leaves_the_previous_site_intact() {
    let dir = large_playbook(600);
    let site = build_ok(dir.path());
    let before = tree(&site);
    let path = dir.path().join("content/touchpoints/late-invoice.md");
    std::fs::write(&path, read(&path).replace("title = \"", "title = \"Changed: ")).unwrap();
    let started = std::time::Instant::now();
    let whole = run(dir.path(), &["build"]);
    assert!(whole.status.success());
    let duration = started.elapsed();
    // Put the old site back, then kill builds of the change at moments spread over a build.
    std::fs::remove_dir_all(&site).unwrap();
    copy_site(&before, &site);
    let mut interrupted = 0;
    for tenth in 1..10 {
        let mut child = std::process::Command::new(assert_cmd::cargo::cargo_bin("touchbook"))
            .current_dir(dir.path())
            .env("SOURCE_DATE_EPOCH", SOURCE_DATE_EPOCH)
            .arg("build")
            .stderr(std::process::Stdio::null())
            .spawn()
            .unwrap();
        std::thread::sleep(duration * tenth / 10);
        let finished = child.try_wait().unwrap().is_some();
        child.kill().ok();
        child.wait().unwrap();
        let now = tree(&site);
        if finished {
            // Too late to interrupt: the new site is complete; put the old one back.
            assert_ne!(now, before);
            std::fs::remove_dir_all(&site).unwrap();
            copy_site(&before, &site);
        } else {
            interrupted += 1;
            assert!(now == before || now == tree_of_fresh_build(dir.path()), "killed at {tenth}/10: a mixed site");
            if now != before {
                std::fs::remove_dir_all(&site).unwrap();
                copy_site(&before, &site);
            }
        }
    }
    assert!(interrupted >= 3, "only {interrupted} of 9 builds were killed before they finished");
    let after = build_ok(dir.path());
    assert!(read(after.join("touchpoints/late-invoice.html")).contains("Changed: "));
    let leftovers: Vec<String> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|name| name.contains("touchbook-"))
        .collect();
    assert!(leftovers.is_empty(), "staging folders left after a good build: {leftovers:?}");
}

fn copy_site(files: &std::collections::BTreeMap<String, Vec<u8>>, site: &std::path::Path) {
    for (path, bytes) in files {
        let target = site.join(path);
        std::fs::create_dir_all(target.parent().unwrap()).unwrap();
        std::fs::write(target, bytes).unwrap();
    }
}

/// The site a complete build of the playbook as it is now writes (elsewhere).
fn tree_of_fresh_build(root: &std::path::Path) -> std::collections::BTreeMap<String, Vec<u8>> {
    let output = run(root, &["build", "--output", "fresh-for-comparison"]);
    assert!(output.status.success());
    let fresh = root.join("fresh-for-comparison");
    let files = tree(&fresh);
    std::fs::remove_dir_all(fresh).unwrap();
    files
}

/// A search index in shards (two pages each here; thousands in real playbooks): rebuilt the
/// same byte for byte, reused when nothing changed, and after an edit only the shard holding
/// the edited page is indexed again.
#[test]
fn search_shards_are_deterministic_and_reindexed_one_at_a_time() {
    let dir = fixture("base");
    let build = || {
        let output = assert_cmd::Command::cargo_bin("touchbook")
            .unwrap()
            .current_dir(dir.path())
            .env("SOURCE_DATE_EPOCH", SOURCE_DATE_EPOCH)
            .env("TOUCHBOOK_SEARCH_SHARD_PAGES", "2")
            .arg("build")
            .output()
            .unwrap();
        assert!(output.status.success(), "{}", stderr(&output));
        (tree(&dir.path().join("site")), stderr(&output))
    };
    let (first, _) = build();
    assert!(first.keys().any(|path| path.starts_with("pagefind/shard-2/")), "several shards");
    let (second, report) = build();
    assert_eq!(first, second);
    assert!(report.contains("search index unchanged for 8 of 8 shards"), "{report}");

    let path = dir.path().join("content/touchpoints/renewal-talk.md");
    std::fs::write(&path, read(&path).replace("The yearly renewal meeting.", "The yearly renewal talk.")).unwrap();
    let (third, report) = build();
    assert!(report.contains("search index unchanged for 6 of 8 shards"), "{report}");
    // `norge/pagefind/shard-1/index/…` is in shard `norge/pagefind/shard-1`, `pagefind/index/…`
    // in shard `pagefind`.
    let shard = |path: &str| {
        let (edition, rest) = path.split_once("pagefind/").unwrap();
        match rest.split('/').next().filter(|part| part.starts_with("shard-")) {
            Some(dir) => format!("{edition}pagefind/{dir}"),
            None => format!("{edition}pagefind"),
        }
    };
    let changed: std::collections::BTreeSet<String> = third
        .iter()
        .filter(|(path, bytes)| path.contains("pagefind/") && first.get(*path) != Some(bytes))
        .map(|(path, _)| shard(path))
        .collect();
    assert_eq!(changed.len(), 2, "one shard in each edition that shows the page: {changed:?}");
}

/// A rebuild links the files that did not change instead of writing them again (no new files
/// for the file system to allocate), and writes the ones that did.
#[cfg(unix)]
#[test]
fn a_rebuild_keeps_unchanged_files_and_writes_changed_ones() {
    use std::os::unix::fs::MetadataExt;
    let dir = fixture("base");
    let site = build_ok(dir.path());
    let inode = |path: &str| std::fs::metadata(site.join(path)).unwrap().ino();
    let (unchanged, changed) = (inode("messages/we-own-it.html"), inode("touchpoints/renewal-talk.html"));
    let path = dir.path().join("content/touchpoints/renewal-talk.md");
    std::fs::write(&path, read(&path).replace("The yearly renewal meeting.", "The yearly renewal talk.")).unwrap();
    build_ok(dir.path());
    assert_eq!(inode("messages/we-own-it.html"), unchanged, "an unchanged page is the same file");
    assert_ne!(inode("touchpoints/renewal-talk.html"), changed, "a changed page is written anew");
    assert!(read(site.join("touchpoints/renewal-talk.html")).contains("The yearly renewal talk."));
    assert_eq!(std::fs::metadata(site.join("messages/we-own-it.html")).unwrap().nlink(), 1, "the old site is gone");
}
