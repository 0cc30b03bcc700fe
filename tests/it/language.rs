//! Division editions read in their own language: text in another language carries its `lang`
//! (WCAG 3.1.2), headings start with a capital letter, counts take their singular or plural.
//! Pages are read with an HTML parser (scraper), never searched for substrings.

use std::path::Path;

use crate::support::*;

/// One piece of a page's text, with the language it is in (the nearest `lang` attribute) and
/// the classes of the elements around it.
#[derive(Debug, Clone)]
struct Run {
    lang: String,
    text: String,
    classes: Vec<String>,
}

/// What the parser saw of a page: its text by language, and its headings.
#[derive(Debug, Default)]
struct PageText {
    runs: Vec<Run>,
    headings: Vec<String>,
}

/// Reads a page: each text node with its language, the text of each `h1`–`h6`; the text of
/// scripts and styles is not text a reader sees.
fn page_text(html: &str) -> PageText {
    let page = scraper::Html::parse_document(html);
    let headings = scraper::Selector::parse("h1, h2, h3, h4, h5, h6").unwrap();
    let mut found =
        PageText { runs: Vec::new(), headings: page.select(&headings).map(|h| h.text().collect()).collect() };
    for node in page.root_element().descendants() {
        let Some(text) = node.value().as_text() else { continue };
        // Innermost first.
        let around: Vec<&scraper::node::Element> = node.ancestors().filter_map(|a| a.value().as_element()).collect();
        // The head is not what a reader reads (the window title mixes languages).
        if text.text.is_empty() || around.iter().any(|e| matches!(e.name(), "script" | "style" | "head")) {
            continue;
        }
        let lang = around.iter().find_map(|e| e.attr("lang")).unwrap_or_default().to_string();
        let classes = around.iter().rev().filter_map(|e| e.attr("class")).map(str::to_string).collect();
        found.runs.push(Run { lang, text: text.text.to_string(), classes });
    }
    found
}

/// English words that no Norwegian, Danish or Swedish sentence uses (so not `to`, `for`, `is`,
/// `be`, `have`, `it` or `in`, which those languages have too).
const ENGLISH_FUNCTION_WORDS: &[&str] = &[
    "the", "and", "of", "with", "your", "you", "that", "this", "are", "what", "when", "our", "they", "their", "them",
    "who", "which", "should", "would", "been", "there", "about", "into", "than", "then", "from", "has", "will", "we",
    "was", "were", "does", "don't", "isn't", "it's", "before", "after", "until", "without",
];

/// English function words in the text of `html` outside elements marked as English, each with
/// the text it was found in.
fn english_outside_lang_en(html: &str) -> Vec<(String, String)> {
    let mut found = Vec::new();
    for run in page_text(html).runs {
        if run.lang == "en" || run.lang.starts_with("en-") {
            continue;
        }
        let text = run.text.replace('’', "'");
        for word in text.split(|c: char| !(c.is_alphabetic() || c == '\'')) {
            let word = word.trim_matches('\'').to_lowercase();
            if ENGLISH_FUNCTION_WORDS.contains(&word.as_str()) {
                found.push((word, run.text.trim().to_string()));
            }
        }
    }
    found
}

/// Headings of `html` whose first letter is a lowercase one.
fn lowercase_headings(html: &str) -> Vec<String> {
    page_text(html)
        .headings
        .into_iter()
        .filter(|h| h.trim().chars().find(|c| c.is_alphanumeric()).is_some_and(char::is_lowercase))
        .collect()
}

fn check_report(dir: &Path) -> serde_json::Value {
    let output = run(dir, &["check", "--format", "json"]);
    serde_json::from_str(&stdout(&output)).expect("check --format json")
}

/// The pages of every item a division translated or has of its own, per division.
fn translated_pages(report: &serde_json::Value) -> Vec<(String, Vec<String>)> {
    let divisions = report["localisation"].as_array().expect("localisation per division");
    divisions
        .iter()
        .map(|division| {
            let id = division["division"].as_str().unwrap().to_string();
            let pages = division["items"]
                .as_array()
                .unwrap()
                .iter()
                .filter(|item| matches!(item["state"].as_str(), Some("current" | "outdated" | "division-only")))
                .map(|item| format!("{id}/{}s/{}.html", item["kind"].as_str().unwrap(), item["id"].as_str().unwrap()))
                .collect();
            (id, pages)
        })
        .collect()
}

#[test]
fn division_editions_of_the_example_have_no_english_outside_lang_en() {
    let Built { root: repo, site } = shared_example();
    let report = check_report(repo);
    let mut problems = Vec::new();
    for (division, pages) in translated_pages(&report) {
        assert!(pages.len() >= 10, "{division}: the example translates its touch points and messages: {pages:?}");
        for page in pages {
            let html = read(site.join(&page));
            for (word, text) in english_outside_lang_en(&html) {
                problems.push(format!("{page}: “{word}” in “{text}”"));
            }
        }
    }
    assert!(problems.is_empty(), "English on translated pages, not marked lang=\"en\":\n{}", problems.join("\n"));

    // Every other page of a division edition too: lists, maps and untranslated items mark the
    // central text they show.
    for (path, bytes) in tree(site) {
        let division_page = ["norge/", "danmark/", "sverige/"].iter().any(|d| path.starts_with(d));
        if division_page && path.ends_with(".html") {
            for (word, text) in english_outside_lang_en(&String::from_utf8(bytes).unwrap()) {
                problems.push(format!("{path}: “{word}” in “{text}”"));
            }
        }
    }
    assert!(problems.is_empty(), "English on division pages, not marked lang=\"en\":\n{}", problems.join("\n"));

    // The section Sverige leaves out on purpose is there, in English, marked and announced.
    let renewal = page_text(&read(site.join("sverige/touchpoints/renewal-after-bad-year.html")));
    let english: String = renewal.runs.iter().filter(|r| r.lang == "en").map(|r| r.text.as_str()).collect();
    assert!(english.contains("new CIO"), "the untranslated role play is shown in English: {english}");
    assert!(
        renewal
            .runs
            .iter()
            .any(|r| r.classes.iter().any(|c| c.contains("untranslated-section")) && r.text.contains("inte översatt")),
        "readers are told the section is not translated yet"
    );
}

#[test]
fn no_heading_of_any_edition_starts_with_a_lowercase_letter() {
    let site = &shared_example().site;
    let mut problems = Vec::new();
    let mut month_headings = 0;
    for (path, bytes) in tree(site) {
        if !path.ends_with(".html") {
            continue;
        }
        let html = String::from_utf8(bytes).unwrap();
        if path.ends_with("plan.html") {
            month_headings += page_text(&html).headings.len();
        }
        problems.extend(lowercase_headings(&html).into_iter().map(|h| format!("{path}: {h}")));
    }
    assert!(month_headings >= 4 * 12, "every edition's plan has twelve month headings");
    assert!(problems.is_empty(), "headings starting in lowercase:\n{}", problems.join("\n"));
}

/// The division fixture: an overlay that leaves a section out, a whole item left untranslated in
/// another division, and a story one division shares with every edition.
#[test]
fn text_in_another_language_than_the_page_s_carries_its_lang() {
    let site = &shared_build("divisions").site;

    // Norge translates alpha's behaviour but not its situation: that stays English, marked.
    let alpha = page_text(&read(site.join("norge/touchpoints/alpha.html")));
    let lang_of = |runs: &[Run], marker: &str| {
        runs.iter().find(|r| r.text.contains(marker)).map(|r| r.lang.clone()).unwrap_or_else(|| panic!("{marker}"))
    };
    assert_eq!(lang_of(&alpha.runs, "CENTRAL-SITUATION-alpha"), "en", "inherited section");
    assert_eq!(lang_of(&alpha.runs, "NO-BEHAVIOUR-alpha"), "nb", "translated section");
    assert!(alpha.runs.iter().any(|r| r.lang == "nb" && r.text.contains("ikke oversatt")), "the section's notice");
    assert!(alpha.headings.iter().any(|h| h == "Situasjon"), "the heading is the page's: {:?}", alpha.headings);

    // Sverige translates nothing: alpha's title, summary and sections are English, the interface Swedish.
    let untranslated = page_text(&read(site.join("sverige/touchpoints/alpha.html")));
    for marker in ["CENTRAL-SITUATION-alpha", "CENTRAL-BEHAVIOUR-alpha", "Summary of Alpha."] {
        assert_eq!(lang_of(&untranslated.runs, marker), "en", "{marker}");
    }
    assert_eq!(lang_of(&untranslated.runs, "Förväntat beteende"), "sv");

    // A story shared by Norge is Norwegian wherever it is shown, around the edition's own words.
    for page in ["practices/norge-shared.html", "sverige/practices/norge-shared.html"] {
        let story = page_text(&read(site.join(page)));
        assert_eq!(lang_of(&story.runs, "NORGE-SHARED-STORY"), "nb", "{page}: title");
        assert_eq!(lang_of(&story.runs, "Shared with everyone."), "nb", "{page}: text");
    }
    let swedish_list = page_text(&read(site.join("sverige/touchpoints/alpha.html")));
    assert_eq!(lang_of(&swedish_list.runs, "NORGE-SHARED-STORY"), "nb", "the story in a list");
}

/// Counts of one take the singular in every language, other counts the plural, and the plan says
/// "Week 1" but "Weeks 1–5".
#[test]
fn counts_of_one_take_the_singular_in_every_language() {
    let dir = fixture("divisions");
    let rollouts = dir.path().join("content/rollouts");
    let everywhere = read(rollouts.join("everywhere.md")).replace("start = 2026-10-05", "start = 2026-11-02");
    std::fs::write(rollouts.join("everywhere.md"), everywhere.replace("weeks = 2", "weeks = 1")).unwrap();
    let long = "+++\ntitle = \"Long\"\nstart = 2026-11-02\nweeks = 6\n+++\n\nSix weeks.\n";
    std::fs::write(rollouts.join("long.md"), long).unwrap();
    let site = build_ok(dir.path());

    let texts = |page: &str, class: &str| -> Vec<String> {
        page_text(&read(site.join(page)))
            .runs
            .into_iter()
            .filter(|r| r.classes.iter().any(|c| c.split(' ').any(|c| c == class)))
            .map(|r| r.text.trim().to_string())
            .filter(|t| !t.is_empty())
            .collect()
    };
    let has = |page: &str, class: &str, wanted: &str| {
        let found = texts(page, class);
        assert!(found.iter().any(|t| t.contains(wanted)), "{page}: {wanted:?} not in .{class}: {found:?}");
    };
    // Rollout lengths, on the list of rollouts.
    for (prefix, one, six) in
        [("", "1 week", "6 weeks"), ("norge/", "1 uke", "6 uker"), ("sverige/", "1 vecka", "6 veckor")]
    {
        has(&format!("{prefix}rollouts/index.html"), "rollout-dates", one);
        has(&format!("{prefix}rollouts/index.html"), "rollout-dates", six);
    }
    // How many situations carry a message: Norge adds m2 to alpha only.
    has("norge/messages/index.html", "card-meta", "1 situasjon");
    has("norge/messages/index.html", "card-meta", "2 situasjoner");
    has("messages/index.html", "card-meta", "0 situations");
    has("messages/index.html", "card-meta", "2 situations");
    for page in ["norge/messages/index.html", "messages/index.html"] {
        assert!(!texts(page, "card-meta").iter().any(|t| t.contains("1 situasjoner") || t.contains("1 situations")));
    }
    // The plan: November holds week 1 of one rollout and weeks 1–5 of the other.
    has("plan.html", "weeks", "Week 1");
    has("plan.html", "weeks", "Weeks 1–5");
    has("norge/plan.html", "weeks", "Uke 1");
    has("norge/plan.html", "weeks", "Uke 1–5");
    has("sverige/plan.html", "weeks", "Vecka 1–5");
}

/// A division's file is told to add the heading its own language recognises.
#[test]
fn a_missing_section_is_named_in_the_file_s_language() {
    let dir = fixture("divisions");
    let file = "+++\ntitle = \"Uten atferd\"\nsummary = \"Mangler en del.\"\nstage = \"support\"\nfrequency = 2\ndifficulty = 2\n+++\n\n## Situasjon\n\nTekst.\n";
    std::fs::write(dir.path().join("content/divisions/norge/touchpoints/uten-atferd.md"), file).unwrap();
    let output = run(dir.path(), &["check"]);
    assert_eq!(output.status.code(), Some(1), "{}", stderr(&output));
    let messages = stderr(&output);
    assert!(messages.contains("missing the `behaviour` section"), "{messages}");
    assert!(messages.contains("add a heading `## Forventet atferd`"), "{messages}");
}

/// Quoted brand promises (`<q>`) get the quotation marks of the page's language in a browser,
/// as the content writes them: «» in Norwegian, »« in Danish, ”” in Swedish.
#[test]
fn quoted_promises_take_the_language_s_quotation_marks() {
    let Some(browser) = crate::browser::Browser::start() else { return };
    let dir = crate::browser::example_copy();
    let server = Server::start(dir.path());
    let quotes = "return getComputedStyle(document.querySelector('.promise q')).quotes";
    for (edition, open, close) in [("", "“", "”"), ("norge/", "«", "»"), ("danmark/", "»", "«"), ("sverige/", "”", "”")]
    {
        browser.goto(&format!("http://{}/{edition}touchpoints/customer-asks-for-manager.html", server.address));
        let found = browser.js(quotes);
        let wanted = format!("\"{open}\" \"{close}\"");
        assert!(found.as_str().is_some_and(|q| q.starts_with(&wanted)), "{edition}: {found} (wanted {wanted} first)");
    }
}
