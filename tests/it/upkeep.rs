//! Upkeep: owners and reviews on every kind of page (at build time and in the reader's
//! browser), placeholders left by `touchbook new`, and contribution links to the repository
//! host's editor.

use std::cell::RefCell;
use std::collections::BTreeMap;
use std::path::Path;
use std::rc::Rc;

use crate::support::*;

/// An element of a page: its attributes and all the text inside it.
#[derive(Debug, Clone, Default)]
struct Found {
    attributes: BTreeMap<String, String>,
    text: String,
}

/// Every element matching a CSS `selector`, read with an HTML parser (lol_html).
fn select(html: &str, selector: &str) -> Vec<Found> {
    let found: Rc<RefCell<Vec<Found>>> = Rc::default();
    let (on_element, on_text) = (Rc::clone(&found), Rc::clone(&found));
    let settings = lol_html::RewriteStrSettings::new()
        .append_element_content_handler(lol_html::element!(selector, move |el| {
            let attributes = el.attributes().iter().map(|a| (a.name(), a.value())).collect();
            on_element.borrow_mut().push(Found { attributes, text: String::new() });
            Ok(())
        }))
        .append_element_content_handler(lol_html::text!(selector, move |chunk| {
            if let Some(last) = on_text.borrow_mut().last_mut() {
                last.text.push_str(chunk.as_str());
            }
            Ok(())
        }));
    lol_html::rewrite_str(html, settings).expect("the page parses");
    found.take()
}

/// The text of the one element matching `selector`, with runs of white space made one.
fn text_of(html: &str, selector: &str) -> String {
    let found = select(html, selector);
    assert_eq!(found.len(), 1, "one {selector} expected, found {found:?}");
    found[0].text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// What a page says about its review, as a reader sees it (the due note only when not hidden).
fn review_state(html: &str) -> String {
    let last = text_of(html, ".review-state .review-last");
    match select(html, ".review-state [data-review-overdue]").pop() {
        Some(note) if !note.attributes.contains_key("hidden") => format!("{} {last}", note.text.trim()),
        _ => last,
    }
}

/// Puts front-matter lines right after the opening `+++` of a content file.
fn add_keys(path: &Path, lines: &str) {
    let text = read(path);
    let rest = text.strip_prefix("+++\n").expect("front matter first");
    std::fs::write(path, format!("+++\n{lines}\n{rest}")).unwrap();
}

/// `check --format json`: (file, line, message) of every warning, and the exit code.
fn warnings(dir: &Path, strict: bool) -> (Vec<(String, u64, String)>, Option<i32>) {
    let mut args = vec!["check", "--format", "json"];
    if strict {
        args.push("--strict");
    }
    let output = run(dir, &args);
    let json: serde_json::Value = serde_json::from_str(&stdout(&output)).expect("check writes JSON");
    let warnings = json["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["severity"] == "warning")
        .map(|d| {
            let file = d["file"].as_str().unwrap().to_string();
            (file, d["line"].as_u64().unwrap(), d["message"].as_str().unwrap().to_string())
        })
        .collect();
    (warnings, output.status.code())
}

#[test]
fn new_items_are_never_reviewed_and_check_names_the_placeholders_left() {
    let dir = fixture("base");
    let files = [
        ("touchpoint", "content/touchpoints/printer-on-fire.md"),
        ("message", "content/messages/printer-on-fire.md"),
        ("practice", "content/practices/printer-on-fire.md"),
        ("rollout", "content/rollouts/printer-on-fire.md"),
    ];
    for (kind, path) in files {
        let output = run(dir.path(), &["new", kind, "Printer on fire"]);
        assert!(output.status.success(), "{}", stderr(&output));
        let text = read(dir.path().join(path));
        let front_matter: toml::Table = text.split("+++").nth(1).unwrap().parse().unwrap();
        assert!(!front_matter.contains_key("reviewed"), "a new {kind} is never reviewed:\n{text}");
    }
    let site = build_ok(dir.path());
    for (kind, _) in files {
        let page = read(site.join(format!("{kind}s/printer-on-fire.html")));
        assert_eq!(review_state(&page), "Never reviewed", "{kind}");
    }

    let (found, code) = warnings(dir.path(), false);
    assert_eq!(code, Some(0), "placeholders are warnings: {found:?}");
    let at = |file: &str, words: &str| found.iter().filter(|(f, _, m)| f == file && m.contains(words)).count();
    for (_, path) in [files[0], files[1], files[3]] {
        assert_eq!(at(path, "`owner` is still the placeholder"), 1, "{path}: {found:?}");
    }
    let practice = files[2].1;
    assert_eq!(at(practice, "`author` is still the placeholder"), 1, "{found:?}");
    assert_eq!(at(practice, "`touchpoints` is still the touch point `touchbook new` picked"), 1, "{found:?}");
    let rollout = files[3].1;
    assert_eq!(at(rollout, "16 meeting packs are empty"), 1, "one warning for all the weeks: {found:?}");
    assert_eq!(warnings(dir.path(), true).1, Some(1), "--strict makes them errors");

    // Once the trainer fills them in, the warnings go; an empty week still counts as unwritten.
    let path = dir.path().join(practice);
    let text = read(&path);
    let guessed = text.lines().find(|l| l.starts_with("touchpoints")).unwrap();
    let text = text.replace(guessed, "touchpoints = [\"late-invoice\"]").replace("\"Your name\"", "\"Kari\"");
    std::fs::write(&path, text).unwrap();
    let rollout_path = dir.path().join(rollout);
    let mut packs = String::new();
    for n in 1..=16 {
        let pack = if n == 4 { String::new() } else { format!("Practise the call, part {n}.\n\n") };
        packs.push_str(&format!("## Week {n}\n\n{pack}"));
    }
    let announcement = read(&rollout_path).split("## Week 1").next().unwrap().to_string();
    std::fs::write(&rollout_path, announcement + &packs).unwrap();
    let (found, _) = warnings(dir.path(), false);
    let at = |file: &str, words: &str| found.iter().filter(|(f, _, m)| f == file && m.contains(words)).count();
    assert_eq!(at(practice, "placeholder") + at(practice, "picked"), 0, "{found:?}");
    assert_eq!(at(rollout, "the meeting pack `Week 4` is empty"), 1, "{found:?}");
}

#[test]
fn every_kind_of_page_says_who_reviewed_it_and_whether_it_is_due() {
    // The build day is 1 November 2026 and reviews are due after 100 days.
    let dir = fixture("base");
    let content = dir.path().join("content");
    add_keys(
        &content.join("messages/we-own-it.md"),
        "owner = \"Brand team\"\nreviewed = 2026-10-01\nreviewed-by = \"Kari\"",
    );
    add_keys(&content.join("practices/kept-calm.md"), "reviewed = 2025-01-01\nreviewed-by = \"Ola\"");
    let site = build_ok(dir.path());

    let message = read(site.join("messages/we-own-it.html"));
    assert_eq!(review_state(&message), "Reviewed by Kari on 1 October 2026");
    assert_eq!(text_of(&message, ".upkeep .owner"), "Owner: Brand team");
    let practice = read(site.join("practices/kept-calm.html"));
    assert_eq!(review_state(&practice), "Review due since 11 April 2025. Reviewed by Ola on 1 January 2025");
    let touchpoint = read(site.join("touchpoints/angry-caller.html"));
    assert_eq!(review_state(&touchpoint), "Review due since 11 June 2026. Reviewed on 3 March 2026");
    let rollout = read(site.join("rollouts/calm-programme.html"));
    assert_eq!(review_state(&rollout), "Never reviewed");
    // The due date goes with the page, for the reader's browser to compare with its today.
    let state = &select(&message, ".review-state")[0];
    assert_eq!(state.attributes.get("data-review-due").map(String::as_str), Some("2027-01-09"));
    let note = &select(&message, "[data-review-overdue]")[0];
    assert!(note.attributes.contains_key("hidden"), "not due yet: {note:?}");

    // The division's edition says the same in its own language.
    let norsk = read(site.join("norge/messages/we-own-it.html"));
    assert_eq!(review_state(&norsk), "Gjennomgått av Kari 1. oktober 2026");

    // The review page lists every kind, what is due first.
    let review = read(site.join("review.html"));
    let titles = |list: &str| -> Vec<String> {
        select(&review, &format!("tbody[data-review-list={list}] tr a")).into_iter().map(|a| a.text).collect()
    };
    let due = titles("due");
    assert_eq!(due.len(), 5, "the older story was never reviewed either: {due:?}");
    for title in ["Kept calm with an angry caller", "Angry caller", "Calm programme", "Renewal talk"] {
        assert!(due.iter().any(|t| t == title), "{title} is due or never reviewed: {due:?}");
    }
    let statuses = select(&review, "tbody[data-review-list=due] tr");
    assert!(statuses.iter().all(|r| ["never", "due"].contains(&r.attributes["data-status"].as_str())), "{statuses:?}");
    let everything = select(&review, "tbody[data-review-list=owner] tr");
    assert_eq!(everything.len(), 3 + 1 + 2 + 1, "every item once, under its owner");
    for kind in ["Touch point", "Brand message", "Story", "Rollout"] {
        assert!(everything.iter().any(|r| r.text.contains(kind)), "{kind} is listed: {everything:?}");
    }
}

#[test]
fn an_overlay_records_its_own_review() {
    let dir = fixture("divisions");
    let overlay = dir.path().join("content/divisions/norge/touchpoints/alpha.md");
    add_keys(&overlay, "reviewed = 2026-10-20\nreviewed-by = \"Ingrid\"");
    let site = build_ok(dir.path());
    let norsk = read(site.join("norge/touchpoints/alpha.html"));
    assert_eq!(review_state(&norsk), "Gjennomgått av Ingrid 20. oktober 2026");
    let central = read(site.join("touchpoints/alpha.html"));
    assert!(!review_state(&central).contains("Ingrid"), "the centre keeps its own review");
}
