//! Upkeep: owners and reviews on every kind of page (at build time and in the reader's
//! browser), placeholders left by `touchbook new`, and contribution links to the repository
//! host's editor.

use std::collections::BTreeMap;
use std::path::Path;

use crate::support::*;

/// What a page says about its review, as a reader sees it (the due note only when not hidden).
fn review_state(html: &str) -> String {
    let last = text_of(html, ".review-state .review-last");
    match select(html, ".review-state [data-review-overdue]").pop() {
        Some(note) if !note.has("hidden") => format!("{} {last}", note.text.trim()),
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
    let best_practice = files[2].1;
    assert_eq!(at(best_practice, "`author` is still the placeholder"), 1, "{found:?}");
    assert_eq!(at(best_practice, "`touchpoints` is still the touch point `touchbook new` picked"), 1, "{found:?}");
    let rollout = files[3].1;
    assert_eq!(at(rollout, "16 meeting packs are empty"), 1, "one warning for all the weeks: {found:?}");
    assert_eq!(warnings(dir.path(), true).1, Some(1), "--strict makes them errors");

    // Once the trainer fills them in, the warnings go; an empty week still counts as unwritten.
    let path = dir.path().join(best_practice);
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
    assert_eq!(at(best_practice, "placeholder") + at(best_practice, "picked"), 0, "{found:?}");
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
    let best_practice = read(site.join("practices/kept-calm.html"));
    assert_eq!(review_state(&best_practice), "Review due since 11 April 2025. Reviewed by Ola on 1 January 2025");
    let touchpoint = read(site.join("touchpoints/angry-caller.html"));
    assert_eq!(review_state(&touchpoint), "Review due since 11 June 2026. Reviewed on 3 March 2026");
    let rollout = read(site.join("rollouts/calm-programme.html"));
    assert_eq!(review_state(&rollout), "Never reviewed");
    // The due date goes with the page, for the reader's browser to compare with its today.
    let state = &select(&message, ".review-state")[0];
    assert_eq!(state.attributes.get("data-review-due").map(String::as_str), Some("2027-01-09"));
    let note = &select(&message, "[data-review-overdue]")[0];
    assert!(note.has("hidden"), "not due yet: {note:?}");

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
    for kind in ["Touch point", "Brand message", "Best practice", "Rollout"] {
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

/// Adds `[contribute]` for a host to the playbook's book.toml.
fn contribute(dir: &Path, host: &str) {
    let config = read(dir.join("book.toml"))
        + &format!("\n[contribute]\nrepository = \"https://git.example.com/service/playbook\"\nhost = \"{host}\"\nbranch = \"main\"\n");
    std::fs::write(dir.join("book.toml"), config).unwrap();
}

/// The `href` of every element matching `selector` on a page.
fn hrefs(html: &str, selector: &str) -> Vec<url::Url> {
    select(html, selector)
        .iter()
        .map(|a| url::Url::parse(&a.attributes["href"]).expect("an absolute address"))
        .collect()
}

#[test]
fn every_page_from_a_file_links_to_the_hosts_editor_on_that_file() {
    let editors = [
        ("github", "/service/playbook/edit/main/"),
        ("gitlab", "/service/playbook/-/edit/main/"),
        ("gitea", "/service/playbook/_edit/main/"),
    ];
    for (host, prefix) in editors {
        let dir = fixture("divisions");
        contribute(dir.path(), host);
        let site = build_ok(dir.path());
        for (page, file) in [
            ("touchpoints/alpha.html", "content/touchpoints/alpha.md"),
            ("messages/m1.html", "content/messages/m1.md"),
            ("practices/central-story.html", "content/practices/central-story.md"),
            ("rollouts/everywhere.html", "content/rollouts/everywhere.md"),
            // A division's page is made from its overlay, or from the central file where it has none.
            ("norge/touchpoints/alpha.html", "content/divisions/norge/touchpoints/alpha.md"),
            ("norge/messages/m1.html", "content/messages/m1.md"),
            ("norge/touchpoints/only-norge.html", "content/divisions/norge/touchpoints/only-norge.md"),
        ] {
            let links = hrefs(&read(site.join(page)), "a.edit-link");
            assert_eq!(links.len(), 1, "{host}: {page}");
            assert_eq!(links[0].host_str(), Some("git.example.com"));
            assert_eq!(links[0].path(), format!("{prefix}{file}"), "{host}: {page}");
        }
        let list = read(site.join("touchpoints/index.html"));
        assert!(select(&list, "a.edit-link").is_empty(), "a list is made from no one file");
    }
}

#[test]
fn suggesting_a_best_practice_opens_a_new_story_that_names_the_situation() {
    for host in ["github", "gitea"] {
        let dir = fixture("base");
        contribute(dir.path(), host);
        let site = build_ok(dir.path());
        let links = hrefs(&read(site.join("touchpoints/angry-caller.html")), "a.suggest-link");
        assert_eq!(links.len(), 1, "{host}");
        let new = if host == "github" { "new" } else { "_new" };
        assert_eq!(links[0].path(), format!("/service/playbook/{new}/main/content/practices"), "{host}");
        let query: BTreeMap<String, String> = links[0].query_pairs().into_owned().collect();
        assert_eq!(query["filename"], "angry-caller-best-practice.md");
        let stub = &query["value"];
        let front_matter: toml::Table = stub.split("+++").nth(1).unwrap().parse().unwrap();
        assert_eq!(front_matter["touchpoints"].as_array().unwrap()[0].as_str(), Some("angry-caller"));
        assert_eq!(front_matter["title"].as_str(), Some("Best practice: Angry caller"));
        // The stub, saved as it comes, is a story on the situation's page.
        std::fs::write(dir.path().join("content/practices").join(&query["filename"]), stub).unwrap();
        let page = read(build_ok(dir.path()).join("touchpoints/angry-caller.html"));
        assert!(select(&page, ".story a").iter().any(|a| a.text == "Best practice: Angry caller"), "{host}");
        assert!(select(&read(site.join("messages/we-own-it.html")), "a.suggest-link").is_empty(), "touch points only");
    }

    // A division's edition proposes the story in the division's folder, in its language.
    let dir = fixture("base");
    contribute(dir.path(), "github");
    let site = build_ok(dir.path());
    let link = &hrefs(&read(site.join("norge/touchpoints/angry-caller.html")), "a.suggest-link")[0];
    assert_eq!(link.path(), "/service/playbook/new/main/content/divisions/norge/practices");
    let query: BTreeMap<String, String> = link.query_pairs().into_owned().collect();
    assert!(query["value"].contains("title = \"Beste praksis: Angry caller\""), "{}", query["value"]);
    let page = read(site.join("norge/touchpoints/angry-caller.html"));
    assert_eq!(text_of(&page, "a.suggest-link"), "Del et eksempel på beste praksis fra denne situasjonen");
}

#[test]
fn gitlab_takes_a_new_story_as_an_issue_with_the_stub() {
    let dir = fixture("base");
    contribute(dir.path(), "gitlab");
    let site = build_ok(dir.path());
    let link = &hrefs(&read(site.join("touchpoints/angry-caller.html")), "a.suggest-link")[0];
    assert_eq!(link.path(), "/service/playbook/-/issues/new");
    let query: BTreeMap<String, String> = link.query_pairs().into_owned().collect();
    assert_eq!(query["issue[title]"], "A best practice for “Angry caller”");
    let description = &query["issue[description]"];
    assert!(
        description.starts_with("Please add the file `content/practices/angry-caller-best-practice.md`:"),
        "{description}"
    );
    assert!(description.contains("touchpoints = [\"angry-caller\"]"), "{description}");
}

#[test]
fn without_contribute_no_page_has_contribution_links() {
    let site = &shared_build("divisions").site;
    let pages: Vec<(String, Vec<u8>)> = tree(site).into_iter().filter(|(path, _)| path.ends_with(".html")).collect();
    assert!(pages.len() > 20);
    for (path, bytes) in pages {
        let html = String::from_utf8(bytes).unwrap();
        assert!(select(&html, "a.edit-link, a.suggest-link, .contribute").is_empty(), "{path}");
        let hosts: Vec<String> = select(&html, "a[href]").iter().map(|a| a.attributes["href"].clone()).collect();
        assert!(!hosts.iter().any(|h| h.contains("git.example.com")), "{path}");
    }
}

#[test]
fn an_old_build_shows_in_the_browser_what_is_due_today() {
    let Some(browser) = crate::browser::Browser::start() else { return };
    // Dates relative to the real today, which is what the reader's browser knows.
    let today = time::OffsetDateTime::now_utc().date();
    let days_ago = |n: i64| today - time::Duration::days(n);
    let dir = fixture("base");
    let content = dir.path().join("content");
    let angry = content.join("touchpoints/angry-caller.md");
    std::fs::write(&angry, read(&angry).replace("reviewed = 2026-03-03", &format!("reviewed = {}", days_ago(200))))
        .unwrap();
    add_keys(&content.join("messages/we-own-it.md"), &format!("reviewed = {}\nreviewed-by = \"Kari\"", days_ago(90)));
    // The site is built as of 300 days ago, when neither was due (interval: 100 days).
    let built = (time::OffsetDateTime::now_utc() - time::Duration::days(300)).unix_timestamp().to_string();
    let server = Server::start_with_env(dir.path(), &[("SOURCE_DATE_EPOCH", &built)]);

    let (_, html) = server.get("/touchpoints/angry-caller.html");
    assert!(select(&html, "[data-review-overdue]")[0].has("hidden"), "not due at build time");
    browser.goto(&format!("http://{}/touchpoints/angry-caller.html", server.address));
    assert!(browser.wait_until("return !document.querySelector('[data-review-overdue]').hidden"), "due today");
    let due_since = (today - time::Duration::days(100)).to_string();
    assert_eq!(browser.js("return document.querySelector('.review-state').dataset.reviewDue"), due_since.as_str());

    let (_, html) = server.get("/review.html");
    assert_eq!(
        select(&html, "tbody[data-review-list=due] tr a").iter().filter(|a| a.text == "Angry caller").count(),
        0
    );
    browser.goto(&format!("http://{}/review.html", server.address));
    let listed = |list: &str| {
        let script = format!(
            "return Array.from(document.querySelectorAll('tbody[data-review-list={list}] tr')).map(function (r) {{ return r.querySelector('a').textContent + ': ' + r.querySelector('[data-review-status]').textContent; }})"
        );
        browser.js(&script).as_array().unwrap().iter().map(|v| v.as_str().unwrap().to_string()).collect::<Vec<_>>()
    };
    let moved = "return Array.from(document.querySelectorAll('tbody[data-review-list=due] a')).some(function (a) { return a.textContent === 'Angry caller'; })";
    assert!(browser.wait_until(moved), "the browser moves what is due today to the list");
    let due = listed("due");
    assert!(due.contains(&"Angry caller: due".to_string()), "{due:?}");
    assert!(due.contains(&"Renewal talk: never reviewed".to_string()), "{due:?}");
    assert_eq!(listed("soon"), ["We own it: soon"], "due in ten days");
    assert_eq!(
        browser.js("return document.querySelector('[data-review-count=due]').textContent"),
        due.len().to_string().as_str()
    );
    let errors: Vec<String> = browser.console_errors().into_iter().filter(|e| !e.contains("favicon.ico")).collect();
    assert!(errors.is_empty(), "{errors:?}");
}
