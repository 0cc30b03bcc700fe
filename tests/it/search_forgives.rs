//! Search that forgives, in a real browser, in English and Norwegian: tags and other names
//! find their situation, synonyms from `book.toml` widen a query, a word found nowhere shows
//! the empty state rather than Pagefind's prefix fallback, typos are corrected (with a way
//! back), search is one tap away on a phone, and a missing situation can be suggested.

use std::io::Read;

use serde_json::json;

use crate::browser::{example_copy, Browser};
use crate::search::{results, search};
use crate::support::*;

fn first(found: &[String]) -> Option<&str> {
    found.first().map(String::as_str)
}

/// How many pages Pagefind itself returns for `query` on the page open in the browser,
/// before the search box looks at them.
fn raw_count(browser: &Browser, query: &str) -> u64 {
    let count = browser.js_async(&format!(
        r#"const done = arguments[0];
        window.touchbookSearch.load().then(p => p.search({query})).then(r => done(r.results.length)).catch(e => done(String(e)));"#,
        query = json!(query)
    ));
    count.as_u64().unwrap_or_else(|| panic!("search failed: {count}"))
}

fn empty_state_shown(browser: &Browser) -> bool {
    browser.js("return !document.getElementById('search-empty').hidden") == json!(true)
}

#[test]
fn tags_and_other_names_find_their_situation_first() {
    let Some(browser) = Browser::start() else { return };
    let dir = example_copy();
    let server = Server::start(dir.path());
    for (page, query, title) in [
        // Tags only: the words are in no title or text of the situation.
        ("index.html", "hypercare", "New customer's first week with the service desk"),
        ("index.html", "QBR", "Quarterly service review"),
        ("norge/index.html", "purring", "Kunden spør om status"),
        ("norge/index.html", "nedetid", "Større driftsavbrudd"),
        // Other names (`also-known-as`), searched but not shown.
        ("index.html", "disputed bill", "Customer complains about an invoice"),
        ("index.html", "forgotten password", "Password reset call"),
        ("norge/index.html", "glemt passord", "Tilbakestilling av passord"),
        ("norge/index.html", "teamleder", "Kunden vil snakke med en leder"),
    ] {
        let found = search(&browser, &server.address, page, query);
        assert_eq!(first(&found), Some(title), "{page} {query}: {found:?}");
    }
}

#[test]
fn synonyms_of_book_toml_widen_a_query_in_the_editions_language() {
    let Some(browser) = Browser::start() else { return };
    let dir = example_copy();
    let server = Server::start(dir.path());
    for (page, query, title, file) in [
        ("index.html", "superior", "Customer asks to speak to a manager", "touchpoints/customer-asks-for-manager.html"),
        (
            "norge/index.html",
            "regning",
            "Customer complains about an invoice",
            "norge/touchpoints/invoice-complaint.html",
        ),
        (
            "norge/index.html",
            "overordnet",
            "Kunden vil snakke med en leder",
            "norge/touchpoints/customer-asks-for-manager.html",
        ),
    ] {
        let found = search(&browser, &server.address, page, query);
        assert_eq!(first(&found), Some(title), "{page} {query}: {found:?}");
        let page = read(dir.path().join("site").join(file));
        // What Pagefind reads: the text of the indexed element and the attributes within it.
        let body = select(&page, "[data-pagefind-body], [data-pagefind-body] *");
        let indexed = body.iter().flat_map(|e| std::iter::once(&e.text).chain(e.attributes.values()));
        assert!(
            !indexed.map(|t| t.to_lowercase()).any(|t| t.contains(query)),
            "{query} is not on the page: the synonym found it"
        );
    }
    // Each edition has its own: the Norwegian synonym means nothing to the central edition.
    let found = search(&browser, &server.address, "index.html", "overordnet");
    assert!(found.is_empty(), "{found:?}");
    // A synonym may be several words, and is found whatever the case or punctuation.
    assert_eq!(
        browser.js("return window.touchbookSearch.expand('Cannot SIGN in, today')"),
        json!(["cannot sign in today", "cannot login today", "cannot log in today"])
    );
}

#[test]
fn a_word_found_only_through_a_shorter_prefix_shows_the_empty_state() {
    let Some(browser) = Browser::start() else { return };
    let dir = example_copy();
    let server = Server::start(dir.path());
    for (page, query) in [
        ("index.html", "forsinket"),
        ("index.html", "nomarkerzqx"),
        ("norge/index.html", "kundekvartsxylofon"),
        ("norge/index.html", "forsinkelsesxylofonkvarts"),
    ] {
        let found = search(&browser, &server.address, page, query);
        assert!(found.is_empty(), "{page} {query}: {found:?}");
        assert!(empty_state_shown(&browser), "{page} {query}");
        assert!(raw_count(&browser, query) > 0, "{query}: Pagefind's fallback matched something, and it was held back");
    }
    // Words the edition lacks are not corrected into other words either.
    for (page, query) in [("index.html", "giraffe"), ("index.html", "trampoline"), ("norge/index.html", "sjiraff")] {
        let found = search(&browser, &server.address, page, query);
        assert!(found.is_empty() && empty_state_shown(&browser), "{page} {query}: {found:?}");
        assert_eq!(corrected(&browser), None, "{page} {query}");
    }
    // Longer words and other forms of a word are not the fallback.
    let found = search(&browser, &server.address, "index.html", "pass");
    assert_eq!(first(&found), Some("Password reset call"), "{found:?}");
    let found = search(&browser, &server.address, "index.html", "deadlines");
    assert_eq!(first(&found), Some("We have missed a delivery deadline"), "{found:?}");
    let found = search(&browser, &server.address, "norge/index.html", "leveransen");
    assert_eq!(first(&found), Some("Vi har overskredet en leveransefrist"), "{found:?}");
}

/// The corrected word the search box says it shows results for, if any.
fn corrected(browser: &Browser) -> Option<String> {
    let word = browser.js(
        "var line = document.getElementById('search-corrected'); return line.hidden ? null : line.querySelector('em').textContent",
    );
    word.as_str().map(str::to_string)
}

#[test]
fn a_typo_is_corrected_against_the_editions_words_with_a_way_back() {
    let Some(browser) = Browser::start() else { return };
    let dir = example_copy();
    let server = Server::start(dir.path());
    for (page, query, word, title) in [
        ("index.html", "pasword", "password", "Password reset call"),
        ("index.html", "passwrod", "password", "Password reset call"),
        ("index.html", "manger", "manager", "Customer asks to speak to a manager"),
        ("index.html", "invoise", "invoice", "Customer complains about an invoice"),
        ("index.html", "hypercrae", "hypercare", "New customer's first week with the service desk"),
        ("norge/index.html", "pasord", "passord", "Tilbakestilling av passord"),
        ("norge/index.html", "driftsavbrydd", "driftsavbrudd", "Større driftsavbrudd"),
        ("danmark/index.html", "adgangskdoe", "adgangskode", "Nulstilling af adgangskode"),
        ("sverige/index.html", "lösenrod", "lösenord", "Återställning av lösenord"),
    ] {
        let found = search(&browser, &server.address, page, query);
        assert_eq!(first(&found), Some(title), "{page} {query}: {found:?}");
        assert_eq!(corrected(&browser).as_deref(), Some(word), "{page} {query}");
    }
    // A title word outranks a word of the text one edit away too ("danger"), whichever comes first.
    for order in ["['danger', 'manager']", "['manager', 'danger']"] {
        let chosen = browser.js(&format!(
            "var weights = {{ danger: 1, manager: 5 }}; var list = {order}; \
             var words = {{ words: list.map(function (w) {{ return {{ word: w, folded: w, weight: weights[w] }}; }}), sorted: list.slice().sort(), set: new Set(list) }}; \
             return window.touchbookSearch.correct(words, 'manger')"
        ));
        assert_eq!(chosen, json!("manager"), "{order}");
    }
    // A word the edition lacks is not turned into another one by changing its first letter.
    let chosen = browser.js(
        "return window.touchbookSearch.correct({ words: [{ word: 'loss', folded: 'loss', weight: 4 }], sorted: ['loss'], set: new Set(['loss']) }, 'boss')",
    );
    assert_eq!(chosen, json!(null));
    browser.screenshot(&crate::browser::screenshot_dir().join("search-corrected.png"));
    // The way back: the query as typed, which finds nothing, and is not corrected again.
    browser.js("document.getElementById('search-status').textContent = ''; return null");
    browser.click("#search-original");
    let found = results(&browser);
    assert!(found.is_empty(), "{found:?}");
    assert!(empty_state_shown(&browser));
    assert_eq!(corrected(&browser), None);
    let status = browser.js("return document.getElementById('search-status').textContent");
    assert!(status.as_str().unwrap().contains("lösenrod"), "{status}");
    // A correct query is not corrected.
    let found = search(&browser, &server.address, "index.html", "password");
    assert_eq!(first(&found), Some("Password reset call"));
    assert_eq!(corrected(&browser), None);
}

#[test]
fn on_a_phone_search_is_one_tap_away_anywhere_on_a_page() {
    let Some(browser) = Browser::start() else { return };
    let dir = example_copy();
    let server = Server::start(dir.path());
    browser.size(390, 844);
    for (page, label, query, title) in [
        ("touchpoints/major-outage.html", "Search", "hypercare", "New customer's first week with the service desk"),
        ("norge/touchpoints/major-outage.html", "Søk", "purring", "Kunden spør om status"),
    ] {
        browser.goto(&format!("http://{}/{page}", server.address));
        assert!(browser.wait_until("return !document.getElementById('search-input').disabled"));
        // At the top the search box is in sight and the button is not needed.
        assert!(browser.wait_until("return document.getElementById('search-jump').hidden"), "{page}");
        browser.js("window.scrollTo(0, document.body.scrollHeight); return null");
        assert!(
            browser.wait_until(
                "var b = document.getElementById('search-jump'); var r = b.getBoundingClientRect(); \
                 return !b.hidden && getComputedStyle(b).position === 'fixed' && r.bottom <= innerHeight && r.top >= 0"
            ),
            "{page}: the button stays on screen while scrolled"
        );
        assert_eq!(browser.js("return document.getElementById('search-jump').textContent.trim()"), json!(label));
        browser.click("#search-jump");
        assert!(browser.wait_until("return document.activeElement.id === 'search-input'"), "{page}");
        browser.type_into("#search-input", query);
        let found = results(&browser);
        assert_eq!(first(&found), Some(title), "{page}: {found:?}");
        browser
            .screenshot(&crate::browser::screenshot_dir().join(format!("search-phone-{}.png", page.replace('/', "-"))));
    }
    // On a desktop the search box is always at hand in the header: no button.
    browser.size(1280, 900);
    browser.goto(&format!("http://{}/touchpoints/major-outage.html", server.address));
    browser.js("window.scrollTo(0, document.body.scrollHeight); return null");
    std::thread::sleep(std::time::Duration::from_millis(300));
    assert_eq!(browser.js("return getComputedStyle(document.getElementById('search-jump')).display"), json!("none"));
}

/// The `name` parameter of a URL's query string, decoded.
fn parameter(url: &str, name: &str) -> Option<String> {
    let url = url::Url::parse(url).unwrap_or_else(|e| panic!("{url}: {e}"));
    url.query_pairs().find(|(key, _)| key == name).map(|(_, value)| value.into_owned())
}

#[test]
fn nothing_found_offers_to_suggest_the_situation_when_contributions_are_set_up() {
    let Some(browser) = Browser::start() else { return };
    let dir = example_copy();
    // Without [contribute] there is no such link.
    let server = Server::start(dir.path());
    search(&browser, &server.address, "index.html", "xylophonequartz");
    assert_eq!(browser.js("return document.getElementById('search-suggest')"), json!(null));
    drop(server);

    let toml = dir.path().join("book.toml");
    let with = read(&toml).replace(
        "[journey]",
        "[contribute]\nrepository = \"https://github.com/nordlys/playbook\"\nhost = \"github\"\n\n[journey]",
    );
    std::fs::write(&toml, with).unwrap();
    let server = Server::start(dir.path());
    for (page, query, folder, label) in [
        ("index.html", "Printer \"jams\" on floor 3", "content/touchpoints", "Suggest this situation"),
        (
            "norge/index.html",
            "Skriveren på kontoret",
            "content/divisions/norge/touchpoints",
            "Foreslå denne situasjonen",
        ),
    ] {
        let found = search(&browser, &server.address, page, query);
        assert!(found.is_empty(), "{found:?}");
        assert!(empty_state_shown(&browser));
        browser.screenshot(
            &crate::browser::screenshot_dir().join(format!("search-suggest-{}.png", page.replace('/', "-"))),
        );
        let link = browser.js("var a = document.getElementById('search-suggest'); return [a.textContent, a.href]");
        assert_eq!(link[0], json!(label));
        let href = link[1].as_str().unwrap();
        let slug = if page == "index.html" { "printer-jams-on-floor-3" } else { "skriveren-pa-kontoret" };
        assert!(href.starts_with(&format!("https://github.com/nordlys/playbook/new/main/{folder}?")), "{href}");
        assert_eq!(parameter(href, "filename").as_deref(), Some(format!("{slug}.md").as_str()), "{href}");
        // The new file is a touch point stub named after the query, which builds once its blanks
        // are filled in.
        let value = parameter(href, "value").unwrap();
        let title = query.replace('"', "");
        assert!(value.contains(&format!("title = \"{title}\"")), "{value}");
        assert!(value.contains("{#situation}") && value.contains("{#behaviour}"), "{value}");
        let html = read(dir.path().join("site").join(page));
        assert_eq!(touchbook::html_policy::check_page(&html), Vec::<String>::new(), "{page}");
    }
    drop(server);

    // GitLab's new-file page takes no text: the proposal is an issue, titled after the query,
    // with the file's path and stub in its description.
    std::fs::write(&toml, read(&toml).replace("host = \"github\"", "host = \"gitlab\"")).unwrap();
    let server = Server::start(dir.path());
    search(&browser, &server.address, "norge/index.html", "Skriveren på kontoret");
    let href = browser.js("return document.getElementById('search-suggest').href");
    let href = href.as_str().unwrap();
    assert!(href.starts_with("https://github.com/nordlys/playbook/-/issues/new?"), "{href}");
    assert_eq!(parameter(href, "issue[title]").as_deref(), Some("Ny situasjon: Skriveren på kontoret"), "{href}");
    let description = parameter(href, "issue[description]").unwrap();
    assert!(description.contains("content/divisions/norge/touchpoints/skriveren-pa-kontoret.md"), "{description}");
    assert!(description.contains("title = \"Skriveren på kontoret\""), "{description}");
}

#[test]
fn each_edition_ships_its_own_vocabulary_with_weights() {
    let dir = example_copy();
    let site = build_ok(dir.path());
    let vocabulary = |path: &str| -> std::collections::BTreeMap<String, u8> {
        let bytes = std::fs::read(site.join(path)).unwrap();
        let mut text = String::new();
        flate2::read::GzDecoder::new(&bytes[..]).read_to_string(&mut text).unwrap();
        let mut lines = text.lines();
        assert_eq!(lines.next(), Some("touchbook-words 1"));
        lines
            .flat_map(|line| {
                let mut words = line.split(' ');
                let weight: u8 = words.next().unwrap().parse().unwrap();
                words.map(move |w| (w.to_string(), weight)).collect::<Vec<_>>()
            })
            .collect()
    };
    let central = vocabulary("search-words.bin");
    assert_eq!(central.get("password"), Some(&5), "a title word");
    assert_eq!(central.get("hypercare"), Some(&4), "a tag");
    assert_eq!(central.get("disputed"), Some(&4), "another name");
    assert_eq!(central.get("superior"), Some(&4), "a synonym of book.toml");
    assert!(central.get("identity").is_some_and(|w| *w <= 2), "a word of the text");
    assert!(!central.contains_key("passord") && !central.contains_key("regning"), "no other edition's words");
    let norge = vocabulary("norge/search-words.bin");
    assert_eq!(norge.get("passord"), Some(&5));
    assert_eq!(norge.get("regning"), Some(&4));
    assert!(!norge.contains_key("superior"));
}

#[test]
fn also_known_as_is_checked_like_every_other_key() {
    let dir = fixture("base");
    let path = dir.path().join("content/touchpoints/renewal-talk.md");
    let text = read(&path);
    std::fs::write(&path, text.replacen("internal = true", "internal = true\nalso-known-as = \"contract talk\"", 1))
        .unwrap();
    let output = run(dir.path(), &["check"]);
    assert_eq!(output.status.code(), Some(1), "{}", stderr(&output));
    let message = stderr(&output);
    assert!(message.contains("renewal-talk.md:8:"), "{message}");
    assert!(message.contains("also-known-as") && message.contains("[\"contract talk\"]"), "{message}");

    std::fs::write(
        &path,
        text.replacen("internal = true", "internal = true\nalso-known-as = [\"contract talk\", \" \"]", 1),
    )
    .unwrap();
    let output = run(dir.path(), &["check"]);
    assert_eq!(output.status.code(), Some(1), "{}", stderr(&output));
    let message = stderr(&output);
    assert!(message.contains("renewal-talk.md:8:") && message.contains("`also-known-as` is empty"), "{message}");

    // The page indexes the other names, and shows them nowhere.
    std::fs::write(&path, text.replacen("internal = true", "internal = true\nalso-known-as = [\"contract talk\"]", 1))
        .unwrap();
    let site = build_ok(dir.path());
    let page = read(site.join("touchpoints/renewal-talk.html"));
    let terms = one(&page, ".search-terms");
    assert!(terms.has("hidden") && terms.text.contains("contract talk"), "{terms:?}");
    let shown = text_of(&page, "body").matches("contract talk").count();
    assert_eq!(shown, terms.text.matches("contract talk").count(), "not shown elsewhere");
}
