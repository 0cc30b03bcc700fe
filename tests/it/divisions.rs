//! Divisions: one edition per division, overlays merged by the SPEC's rules, nothing leaking
//! between editions, and the localisation status the centre follows up on.

use std::path::{Path, PathBuf};

use crate::support::*;

/// The fixture's playbook and site, built once for every test that only reads them.
fn built() -> (PathBuf, PathBuf) {
    let built = shared_build("divisions");
    (built.root.clone(), built.site.clone())
}

fn check_json(dir: &Path) -> serde_json::Value {
    let output = run(dir, &["check", "--format", "json"]);
    serde_json::from_str(&stdout(&output)).expect("check prints JSON")
}

fn state(report: &serde_json::Value, division: &str, id: &str) -> String {
    let divisions = report["localisation"].as_array().unwrap();
    let division = divisions.iter().find(|d| d["division"] == division).unwrap();
    let item = division["items"].as_array().unwrap().iter().find(|i| i["id"] == id);
    item.map_or("none".into(), |i| i["state"].as_str().unwrap().to_string())
}

#[test]
fn every_division_gets_an_edition_in_its_language() {
    let (_dir, site) = built();
    let lang = |page: &str| one(&read(site.join(page)), "html").attr("lang").map(str::to_string);
    assert_eq!(lang("index.html").as_deref(), Some("en"));
    assert_eq!(lang("norge/index.html").as_deref(), Some("nb"));
    assert_eq!(text_of(&read(site.join("norge/index.html")), "#frequent"), "De vanligste situasjonene");
    assert_eq!(lang("sverige/index.html").as_deref(), Some("sv"));
    let list = read(site.join("norge/touchpoints/index.html"));
    let stages = texts(&list, "#touchpoint-list .tag.stage");
    assert!(stages.contains(&"Brukerstøtte".to_string()), "stage labels from [divisions.norge.labels]: {stages:?}");
    let dates = texts(&read(site.join("norge/rollouts/everywhere.html")), ".lead time");
    assert_eq!(dates.first().map(String::as_str), Some("12. oktober 2026"), "dates in Norwegian");
}

#[test]
fn overlay_keys_replace_sections_merge_and_messages_add_up() {
    let (_dir, site) = built();
    let alpha = read(site.join("norge/touchpoints/alpha.html"));
    assert_eq!(text_of(&alpha, "h1"), "Alfa NO-OVERLAY-TITLE", "front-matter key replaced");
    assert_eq!(text_of(&alpha, "article .lead"), "Summary of Alpha.", "keys the overlay lacks stay");
    let behaviour = text_of(&alpha, "#behaviour .prose");
    assert!(
        behaviour.contains("NO-BEHAVIOUR-alpha") && !alpha.contains("CENTRAL-BEHAVIOUR-alpha"),
        "section replaced by label: {behaviour}"
    );
    assert!(
        texts(&alpha, "#behaviour li.verdict-dont > span.verdict").contains(&"Unngå".to_string()),
        "do/don't in Norwegian"
    );
    assert!(
        text_of(&alpha, "#situation .prose").contains("CENTRAL-SITUATION-alpha"),
        "central sections the overlay lacks stay"
    );
    assert_eq!(texts(&alpha, ".promises q"), ["PROMISE-m1", "PROMISE-m2"], "messages added to, none removed");
    let central = read(site.join("touchpoints/alpha.html"));
    assert!(
        text_of(&central, "#behaviour .prose").contains("CENTRAL-BEHAVIOUR-alpha") && !central.contains("NO-"),
        "the central edition is untouched"
    );
}

#[test]
fn an_overlay_may_not_remove_a_brand_message() {
    let dir = fixture("divisions");
    let overlay = dir.path().join("content/divisions/norge/touchpoints/alpha.md");
    std::fs::write(&overlay, read(&overlay).replace("messages = [\"m1\", \"m2\"]", "messages = [\"m2\"]")).unwrap();
    let output = run(dir.path(), &["build"]);
    assert_eq!(output.status.code(), Some(1));
    let messages = stderr(&output);
    assert!(
        messages.contains("content/divisions/norge/touchpoints/alpha.md:4:1: error: `messages` leaves out the central brand message `m1`"),
        "{messages}"
    );
    assert!(messages.contains("a division can add messages, never remove them"));
}

#[test]
fn hidden_items_leave_only_that_edition() {
    let (_dir, site) = built();
    assert!(!site.join("norge/touchpoints/gamma.html").exists());
    assert!(site.join("sverige/touchpoints/gamma.html").is_file() && site.join("touchpoints/gamma.html").is_file());
    let list = read(site.join("norge/touchpoints/index.html"));
    assert!(!list.contains("Gamma") && !texts(&list, ".card-title").is_empty());
    let only = read(site.join("norge/touchpoints/only-norge.html"));
    assert!(links_to(&only, "../../touchpoints/gamma.html"), "a link to a hidden item goes to the central page");
    assert!(links_to(&only, "../touchpoints/alpha.html"), "a link to a present item stays in the edition");
}

#[test]
fn no_edition_contains_another_divisions_items() {
    let (_dir, site) = built();
    for (path, bytes) in tree(&site) {
        let mut text = String::from_utf8_lossy(&bytes).into_owned();
        if path == "status.html" {
            text = without_division_only_titles(&text);
        }
        let in_norge = path.starts_with("norge/");
        let in_sverige = path.starts_with("sverige/");
        for marker in [
            "NORGE-ONLY-MARKER",
            "NORGE-LOCAL-STORY",
            "Bare i Norge",
            "NO-BEHAVIOUR-alpha",
            "Alfa NO-OVERLAY-TITLE",
            "NORGE-VERBATIM-MARKER",
            "NORGE-VERBATIM-ONLY",
        ] {
            assert!(in_norge || !text.contains(marker), "{path} contains {marker}");
        }
        for marker in ["SVERIGE-ONLY-MARKER", "Bara i Sverige", "SVERIGE-VERBATIM-MARKER"] {
            assert!(in_sverige || !text.contains(marker), "{path} contains {marker}");
        }
    }
    // Checked files include every feed, sitemap and data export.
    for edition in ["", "norge/", "sverige/"] {
        for file in ["feed.xml", "sitemap.xml", "touchpoints.json"] {
            assert!(site.join(format!("{edition}{file}")).is_file(), "{edition}{file}");
        }
    }
    let json = read(site.join("norge/touchpoints.json"));
    assert!(json.contains("only-norge") && json.contains("\"language\": \"nb\""));
    // A division's verbatims (data/verbatims.csv) are on its own pages and in its own export.
    assert!(read(site.join("norge/touchpoints/alpha.html")).contains("NORGE-VERBATIM-MARKER"));
    assert!(json.contains("NORGE-VERBATIM-MARKER"));
    assert!(read(site.join("sverige/touchpoints/only-sverige.html")).contains("SVERIGE-VERBATIM-MARKER"));
    assert!(read(site.join("norge/sitemap.xml")).contains("https://playbook.test/norge/touchpoints/only-norge.html"));
}

/// The central status page without the titles of division-only items in its matrix's row
/// headings (in the division's language): the one place the centre, following its divisions
/// up, sees a division's own words. Anything else of such an item there is a leak.
fn without_division_only_titles(html: &str) -> String {
    let handler = lol_html::element!("table.status-matrix th[scope=row] > [lang]", |el| {
        el.set_inner_content("", lol_html::html_content::ContentType::Text);
        Ok(())
    });
    let settings = lol_html::RewriteStrSettings::new().append_element_content_handler(handler);
    lol_html::rewrite_str(html, settings).expect("the status page parses")
}

#[test]
fn shared_stories_go_everywhere_local_ones_stay_home() {
    let (_dir, site) = built();
    for edition in ["", "norge/", "sverige/"] {
        let stories = read(site.join(format!("{edition}practices/index.html")));
        assert!(stories.contains("NORGE-SHARED-STORY"), "{edition}: shared story");
        assert_eq!(stories.contains("NORGE-LOCAL-STORY"), edition == "norge/", "{edition}: local story");
    }
    assert!(read(site.join("practices/norge-shared.html")).contains("From Norge"), "labelled with its division");
}

#[test]
fn rollouts_run_where_they_are_meant_to_and_may_move_per_division() {
    let (_dir, site) = built();
    assert!(site.join("norge/rollouts/norway-only.html").is_file());
    assert!(!site.join("sverige/rollouts/norway-only.html").exists());
    let norge = read(site.join("norge/rollouts/everywhere.html"));
    let start = |html: &str| attributes(html, ".lead time", "datetime").first().cloned();
    assert_eq!(start(&norge).as_deref(), Some("2026-10-12"), "start moved");
    assert!(norge.contains("NO-WEEK-1"), "week translated");
    assert_eq!(start(&read(site.join("sverige/rollouts/everywhere.html"))).as_deref(), Some("2026-10-05"));
}

#[test]
fn pages_link_to_the_same_page_in_the_other_editions() {
    let (_dir, site) = built();
    let alpha = read(site.join("norge/touchpoints/alpha.html"));
    // The central edition is named in the page's language ("Felles (engelsk)"), hreflang its own.
    let switch = |html: &str, href: &str| {
        let found = select(html, "nav.language-switch a").into_iter().find(|a| a.attr("href") == Some(href));
        found.map(|a| (a.attr("lang").map(str::to_string), a.attr("hreflang").map(str::to_string)))
    };
    let (nb, en, sv) = (Some("nb".to_string()), Some("en".to_string()), Some("sv".to_string()));
    assert_eq!(switch(&alpha, "../../touchpoints/alpha.html"), Some((nb.clone(), en)), "central version");
    assert_eq!(switch(&alpha, "../../sverige/touchpoints/alpha.html"), Some((sv.clone(), sv)), "Swedish version");
    let only = read(site.join("norge/touchpoints/only-norge.html"));
    assert!(
        !attributes(&only, "[href]", "href").iter().any(|h| h.contains("../../touchpoints/only-norge.html")),
        "no link to a page that does not exist"
    );
    let central = read(site.join("journey.html"));
    assert_eq!(switch(&central, "./norge/journey.html"), Some((nb.clone(), nb)));
    assert_eq!(broken_links(&site), Vec::<String>::new());
}

#[test]
fn readers_are_told_about_outdated_and_untranslated_pages() {
    let (_dir, site) = built();
    let beta = read(site.join("norge/touchpoints/beta.html"));
    assert_eq!(attributes(&beta, ".notice.notice-outdated a", "href"), ["../../touchpoints/beta.html"]);
    let swedish = read(site.join("sverige/touchpoints/alpha.html"));
    assert!(text_of(&swedish, ".notice.notice-untranslated").contains("inte översatt"));
    assert!(
        select(&read(site.join("norge/touchpoints/alpha.html")), ".notice").is_empty(),
        "a current translation has no notice"
    );
}

#[test]
fn check_reports_every_localisation_state_as_json() {
    let dir = fixture("divisions");
    let report = check_json(dir.path());
    assert_eq!(state(&report, "norge", "alpha"), "current");
    assert_eq!(state(&report, "norge", "beta"), "outdated");
    assert_eq!(state(&report, "norge", "gamma"), "hidden");
    assert_eq!(state(&report, "norge", "only-norge"), "division-only");
    assert_eq!(state(&report, "norge", "m1"), "missing");
    assert_eq!(state(&report, "sverige", "norway-only"), "none", "a rollout that does not run there is not missing");
    let norge = report["localisation"].as_array().unwrap().iter().find(|d| d["division"] == "norge").unwrap();
    assert_eq!(norge["totals"]["current"], 2);
    let alpha = norge["items"].as_array().unwrap().iter().find(|i| i["id"] == "alpha").unwrap();
    assert_eq!(alpha["untranslated"], serde_json::json!(["situation"]));
}

#[test]
fn editing_a_central_file_makes_its_translation_outdated_until_refreshed() {
    let dir = fixture("divisions");
    let central = dir.path().join("content/touchpoints/alpha.md");
    std::fs::write(&central, read(&central).replace("Summary of Alpha.", "A new summary of Alpha.")).unwrap();
    assert_eq!(state(&check_json(dir.path()), "norge", "alpha"), "outdated");
    let text = stderr(&run(dir.path(), &["check"]));
    assert!(
        text.contains("content/divisions/norge/touchpoints/alpha.md:2:18: warning: the central file changed"),
        "{text}"
    );
    assert!(text.contains("touchbook localise norge alpha --refresh"));

    let output = run(dir.path(), &["localise", "norge", "alpha", "--refresh"]);
    assert!(output.status.success(), "{}", stderr(&output));
    assert_eq!(state(&check_json(dir.path()), "norge", "alpha"), "current");
    assert!(
        read(dir.path().join("content/divisions/norge/touchpoints/alpha.md")).contains("NO-BEHAVIOUR-alpha"),
        "the translation is kept"
    );
}

#[test]
fn localise_writes_a_stub_and_never_overwrites_without_force() {
    let dir = fixture("divisions");
    let output = run(dir.path(), &["localise", "sverige", "alpha"]);
    assert!(output.status.success(), "{}", stderr(&output));
    let stub = read(dir.path().join("content/divisions/sverige/touchpoints/alpha.md"));
    assert!(stub.starts_with("+++\nlocalised-from = \"") && stub.contains("CENTRAL-SITUATION-alpha"));
    assert_eq!(state(&check_json(dir.path()), "sverige", "alpha"), "untranslated", "a stub is not a translation yet");

    let again = run(dir.path(), &["localise", "sverige", "alpha"]);
    assert_eq!(again.status.code(), Some(2));
    assert!(stderr(&again).contains("already exists"));
    let unknown = run(dir.path(), &["localise", "finland", "alpha"]);
    assert_eq!(unknown.status.code(), Some(2));
    assert!(stderr(&unknown).contains("no division `finland`"));
    let ambiguous_free = run(dir.path(), &["localise", "sverige", "messages/m1"]);
    assert!(ambiguous_free.status.success());
}

#[test]
fn the_central_edition_shows_the_status_matrix() {
    let (_dir, site) = built();
    let status = read(site.join("status.html"));
    let norge = within(&status, "table.status-totals tbody tr", |tr| tr.text.starts_with("Norge"), "td.state-current");
    assert_eq!(norge.iter().map(|td| td.text.as_str()).collect::<Vec<_>>(), ["2"], "two current translations in Norge");
    // The matrix's columns: Norge, then Sverige.
    assert_eq!(texts(&status, "table.status-matrix thead th")[1..], ["Norge", "Sverige"]);
    let beta = within(&status, "table.status-matrix tbody tr", |tr| tr.text.starts_with("Beta"), "td .state");
    let states: Vec<Vec<&str>> = beta.iter().map(Element::classes).collect();
    assert_eq!(
        states,
        [["state", "state-outdated"], ["state", "state-missing"]],
        "outdated in Norge, missing in Sverige"
    );
    let items = texts(&status, "table.status-matrix tbody th a");
    assert!(items.iter().any(|i| i == "Bare i Norge"), "division-only items are named by title: {items:?}");
    assert!(!site.join("norge/status.html").exists(), "only the centre has the status page");
}

#[test]
fn build_division_builds_only_that_edition() {
    let dir = fixture("divisions");
    let output = run(dir.path(), &["build", "--division", "sverige"]);
    assert!(output.status.success(), "{}", stderr(&output));
    let site = dir.path().join("site");
    assert!(site.join("sverige/index.html").is_file());
    assert!(!site.join("index.html").exists() && !site.join("norge").exists());
    let unknown = run(dir.path(), &["build", "--division", "finland"]);
    assert_eq!(unknown.status.code(), Some(2));
}

#[test]
fn a_theme_can_override_single_interface_strings() {
    let dir = fixture("divisions");
    let i18n = dir.path().join("themes/default/i18n");
    std::fs::create_dir_all(&i18n).unwrap();
    std::fs::write(i18n.join("nb.toml"), "[nav]\nindex = \"Forsiden\"\n").unwrap();
    let output = run(dir.path(), &["check"]);
    assert!(output.status.success(), "{}", stderr(&output));
    assert!(!stderr(&output).contains("interface strings"), "the built-in Norwegian strings fill the rest");
    let page = read(build_ok(dir.path()).join("norge/index.html"));
    assert!(texts(&page, "a").contains(&"Forsiden".to_string()));
    assert_eq!(text_of(&page, "#frequent"), "De vanligste situasjonene");
}

#[test]
fn check_warns_about_interface_strings_a_theme_does_not_translate() {
    let dir = fixture("divisions");
    let config = read(dir.path().join("book.toml")) + "\n[divisions.suomi]\nname = \"Suomi\"\nlanguage = \"fi\"\n";
    std::fs::write(dir.path().join("book.toml"), config).unwrap();
    let output = run(dir.path(), &["check"]);
    assert!(output.status.success(), "missing strings are a warning, not an error");
    assert!(stderr(&output).contains("warning: the theme has no interface strings for `fi`; English is used"));

    let i18n = dir.path().join("themes/default/i18n");
    std::fs::create_dir_all(&i18n).unwrap();
    std::fs::write(i18n.join("fi.toml"), "[nav]\nindex = \"Etusivu\"\n").unwrap();
    let output = run(dir.path(), &["check"]);
    let messages = stderr(&output);
    assert!(messages.contains("themes/default/i18n/fi.toml: warning: "), "{messages}");
    assert!(
        messages.contains("interface strings are not translated: coaching, contribute, date, editor, feed"),
        "{messages}"
    );
    let page = read(build_ok(dir.path()).join("suomi/index.html"));
    assert!(texts(&page, "a").contains(&"Etusivu".to_string()));
    assert_eq!(text_of(&page, "#frequent"), "Most frequent situations", "English fills the gaps");
}
