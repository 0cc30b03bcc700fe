//! "Localised" means implemented: an overlay still in the central text is untranslated, and an
//! overlay that drops a do or don't item of the central expected behaviour is flagged on the
//! localisation page and by `check`, unless it names the item and why in `[leaves-out]`.

use std::path::Path;

use crate::support::*;

fn state(dir: &Path, division: &str, id: &str) -> serde_json::Value {
    let output = run(dir, &["check", "--format", "json"]);
    let report: serde_json::Value = serde_json::from_str(&stdout(&output)).expect("check prints JSON");
    let divisions = report["localisation"].as_array().unwrap();
    let division = divisions.iter().find(|d| d["division"] == division).unwrap();
    division["items"].as_array().unwrap().iter().find(|i| i["id"] == id).cloned().unwrap_or_default()
}

const CENTRAL_BETA: &str = "+++\ntitle = \"Beta\"\nsummary = \"Summary of Beta.\"\nstage = \"support\"\nfrequency = 2\ndifficulty = 2\n+++\n\n## Situation\n\nCENTRAL-SITUATION-beta\n\n## Expected behaviour\n\n- Do: listen to the whole question\n- Don't: promise a time you cannot keep\n- Don't: blame another team\n- Don't: read the script aloud\n";

fn with_central_beta() -> tempfile::TempDir {
    let dir = fixture("divisions");
    std::fs::write(dir.path().join("content/touchpoints/beta.md"), CENTRAL_BETA).unwrap();
    dir
}

#[test]
fn a_localise_stub_never_translated_is_untranslated_not_current() {
    let dir = fixture("divisions");
    let output = run(dir.path(), &["localise", "sverige", "alpha"]);
    assert!(output.status.success(), "{}", stderr(&output));
    assert_eq!(state(dir.path(), "sverige", "alpha")["state"], "untranslated");
    let site = build_ok(dir.path());
    let page = read(site.join("sverige/touchpoints/alpha.html"));
    assert_eq!(select(&page, ".notice.notice-untranslated").len(), 1, "readers are told");
    let status = read(site.join("status.html"));
    // In the matrix, alpha's states: Norge's, then Sverige's.
    assert_eq!(texts(&status, "table.status-matrix thead th")[1..], ["Norge", "Sverige"]);
    let alpha = within(&status, "table.status-matrix tbody tr", |tr| tr.text.starts_with("Alpha"), "td .state");
    assert_eq!(alpha.len(), 2, "{alpha:?}");
    assert_eq!((alpha[1].classes(), alpha[1].text.as_str()), (vec!["state", "state-untranslated"], "Not translated"));

    // Translating one section makes it a translation; the copied sections are listed.
    let overlay = dir.path().join("content/divisions/sverige/touchpoints/alpha.md");
    let hash = read(&overlay).lines().nth(1).unwrap().to_string();
    let partly = format!("+++\n{hash}\ntitle = \"Alfa\"\n+++\n\n## Situation {{#situation}}\n\nSV-SITUATION-alpha\n\n## Förväntat beteende\n\n- Do: CENTRAL-BEHAVIOUR-alpha\n");
    std::fs::write(&overlay, partly).unwrap();
    let alpha = state(dir.path(), "sverige", "alpha");
    assert_eq!(alpha["state"], "current");
    assert_eq!(
        alpha["untranslated"],
        serde_json::json!(["behaviour"]),
        "the copied section still counts as untranslated"
    );
}

#[test]
fn an_overlay_that_drops_a_dont_is_flagged_unless_it_says_why() {
    let dir = with_central_beta();
    let overlay = dir.path().join("content/divisions/norge/touchpoints/beta.md");
    let text = "+++\ntitle = \"Beta NO\"\n+++\n\n## Forventet atferd\n\n- Gjør: lytt til hele spørsmålet\n- Ikke gjør: lov en tid du ikke kan holde\n- Ikke gjør: skyld på et annet team\n";
    std::fs::write(&overlay, text).unwrap();
    let output = run(dir.path(), &["check"]);
    let messages = stderr(&output);
    assert!(
        messages.contains("content/divisions/norge/touchpoints/beta.md:5:1: warning: Norge's version has 2 of 3 Don'ts of the central expected behaviour"),
        "{messages}"
    );
    assert!(messages.contains("leaves out central behaviour: touchpoints/beta (2 of 3 Don'ts)"), "{messages}");
    assert_eq!(
        state(dir.path(), "norge", "beta")["gaps"],
        serde_json::json!([{ "verdict": "dont", "has": 2, "of": 3 }])
    );
    let status = read(build_ok(dir.path()).join("status.html"));
    assert!(texts(&status, "span.gap").contains(&"2 of 3 Don'ts".to_string()), "on the localisation page");

    // Naming the item and why clears the flag; a name that is no central item is an error.
    let named =
        text.replace("+++\n\n", "[leaves-out]\n\"read the script aloud\" = \"Vi har ikke manus i Norge.\"\n+++\n\n");
    std::fs::write(&overlay, &named).unwrap();
    let output = run(dir.path(), &["check"]);
    assert!(!stderr(&output).contains("Norge's version has"), "{}", stderr(&output));
    assert!(state(dir.path(), "norge", "beta").get("gaps").is_none());
    std::fs::write(&overlay, named.replace("read the script aloud", "sing")).unwrap();
    let output = run(dir.path(), &["check"]);
    assert_eq!(output.status.code(), Some(1));
    assert!(stderr(&output).contains("error: `sing` in [leaves-out] is not a do or don't item of the central version"));
}

/// The row headings of the status matrix that link elsewhere than the central edition's own
/// pages: (text, `lang`, link).
fn division_only_rows(status: &str) -> Vec<(String, String, String)> {
    let rows = std::cell::RefCell::new(Vec::<(String, String, String)>::new());
    let start = lol_html::element!("table.status-matrix th[scope=row] > a[lang]", |el| {
        let (lang, href) = (el.get_attribute("lang").unwrap_or_default(), el.get_attribute("href").unwrap_or_default());
        rows.borrow_mut().push((String::new(), lang, href));
        Ok(())
    });
    let text = lol_html::text!("table.status-matrix th[scope=row] > a[lang]", |chunk| {
        if let Some(last) = rows.borrow_mut().last_mut() {
            last.0.push_str(chunk.as_str());
        }
        Ok(())
    });
    let settings =
        lol_html::RewriteStrSettings::new().append_element_content_handler(start).append_element_content_handler(text);
    lol_html::rewrite_str(status, settings).expect("the status page parses");
    rows.into_inner()
}

/// The text of a page's first `h1`.
fn heading(page: &str) -> String {
    let found = std::cell::RefCell::new(None::<String>);
    let text = lol_html::text!("h1", |chunk| {
        found.borrow_mut().get_or_insert_with(String::new).push_str(chunk.as_str());
        Ok(())
    });
    let settings = lol_html::RewriteStrSettings::new().append_element_content_handler(text);
    lol_html::rewrite_str(page, settings).expect("the page parses");
    found.into_inner().unwrap_or_default().trim().to_string()
}

#[test]
fn division_only_items_are_listed_by_title_with_a_link_to_the_divisions_page() {
    let dir = fixture("divisions");
    let site = build_ok(dir.path());
    let status = read(site.join("status.html"));
    let mut rows = division_only_rows(&status);
    rows.sort();
    let titles: Vec<(&str, &str)> = rows.iter().map(|(title, lang, _)| (title.as_str(), lang.as_str())).collect();
    // A touch point of each division and a best practice kept at home, each in its language.
    assert_eq!(titles, [("Bara i Sverige", "sv"), ("Bare i Norge", "nb"), ("NORGE-LOCAL-STORY", "nb")]);
    for (title, _, href) in &rows {
        assert!(!href.starts_with("http") && !href.starts_with('/'), "relative: {href}");
        let page = read(site.join(href.trim_start_matches("./")));
        assert_eq!(&heading(&page), title, "{href} is the item's page in its division's edition");
    }
    assert!(!status.contains("touchpoints/only-norge <"), "named by title, not by file");
    // Only the title: the item's summary and text stay in the division's edition.
    assert!(!status.contains("NORGE-ONLY-MARKER") && !status.contains("SVERIGE-ONLY-MARKER"));
}

#[test]
fn division_only_items_link_to_their_page_in_the_divisions_edition() {
    let site = &shared_build("divisions").site;
    let status = read(site.join("status.html"));
    // The row names the item by its title, and its cell says where it stands; both lead to it.
    let title = one(&status, "th a[href='./norge/touchpoints/only-norge.html']");
    assert_eq!(title.text, "Bare i Norge");
    let cell = one(&status, "td a[href='./norge/touchpoints/only-norge.html']");
    assert_eq!(cell.classes(), ["state", "state-division-only"]);
    assert!(site.join("norge/touchpoints/only-norge.html").is_file());
    assert_eq!(broken_links(site), Vec::<String>::new());
}
