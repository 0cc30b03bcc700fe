//! Search in a real browser: the right situation first, in the edition's language, with
//! filters, keyboard navigation, an empty state, and hostile content shown as text.

use serde_json::json;

use crate::browser::{example_copy, Browser};
use crate::support::*;

const ENTER: &str = "\u{E007}";
const DOWN: &str = "\u{E015}";

/// Titles of the results shown, once the status says searching is done.
fn results(browser: &Browser) -> Vec<String> {
    assert!(
        browser.wait_until(
            "var s = document.getElementById('search-status').textContent; return s !== '' && !/…$/.test(s);"
        ),
        "search finishes"
    );
    let titles = browser.js("return Array.from(document.querySelectorAll('#search-results .search-title')).map(function (a) { return a.textContent; })");
    titles.as_array().unwrap().iter().map(|t| t.as_str().unwrap().to_string()).collect()
}

fn search(browser: &Browser, address: &str, page: &str, query: &str) -> Vec<String> {
    browser.goto(&format!("http://{address}/{page}"));
    assert!(browser.wait_until("return !document.getElementById('search-input').disabled"));
    browser.type_into("#search-input", query);
    results(browser)
}

#[test]
fn english_and_norwegian_queries_find_the_right_situation_first() {
    let Some(browser) = Browser::start() else { return };
    let dir = example_copy();
    let server = Server::start(dir.path());
    let found = search(&browser, &server.address, "index.html", "locked out password");
    assert_eq!(found.first().map(String::as_str), Some("Password reset call"), "{found:?}");
    browser.screenshot(&crate::browser::screenshot_dir().join("search-results-1280.png"));
    let found = search(&browser, &server.address, "journey.html", "customer wants manager");
    assert_eq!(found.first().map(String::as_str), Some("Customer asks to speak to a manager"), "{found:?}");
    // "leveransen" (the delivery) is the inflected form of "leveranse" in the text.
    let found = search(&browser, &server.address, "norge/index.html", "leveransen");
    assert_eq!(found.first().map(String::as_str), Some("Vi har brutt en leveransefrist"), "{found:?}");
}

#[test]
fn a_filter_narrows_results_and_the_keyboard_opens_one() {
    let Some(browser) = Browser::start() else { return };
    let dir = example_copy();
    let server = Server::start(dir.path());
    let all = search(&browser, &server.address, "index.html", "customer");
    assert!(all.len() > 3, "{all:?}");
    browser.js("document.getElementById('search-status').textContent = ''; return null");
    browser.click("#search .chip-toggle[data-filter=stage][data-value=Renewal]");
    let renewal = results(&browser);
    assert!(!renewal.is_empty() && renewal.len() < all.len(), "{renewal:?} vs {all:?}");
    let stages = browser.js("return Array.from(document.querySelectorAll('#search-results .search-meta')).map(function (m) { return m.textContent; })");
    assert!(stages.as_array().unwrap().iter().all(|s| s.as_str().unwrap().contains("Renewal")), "{stages}");

    browser.type_into("#search-input", DOWN);
    let chosen =
        browser.js("return document.querySelector('#search-results [aria-selected=true] a').getAttribute('href')");
    browser.type_into("#search-input", ENTER);
    assert!(
        browser.wait_until(&format!("return location.pathname === {chosen}")),
        "Enter opens the chosen result {chosen}"
    );
}

#[test]
fn a_query_without_matches_shows_the_most_frequent_situations() {
    let Some(browser) = Browser::start() else { return };
    let dir = example_copy();
    let server = Server::start(dir.path());
    let found = search(&browser, &server.address, "index.html", "xylophonequartz");
    assert!(found.is_empty());
    assert_eq!(browser.js("return document.getElementById('search-empty').hidden"), json!(false));
    let status = browser.js("return document.getElementById('search-status').textContent");
    assert!(status.as_str().unwrap().contains("xylophonequartz"), "{status}");
    let suggestions = browser.js("return document.querySelectorAll('#search-empty a').length");
    assert_eq!(suggestions, json!(5));
}

#[test]
fn a_hostile_title_is_shown_as_text() {
    let Some(browser) = Browser::start() else { return };
    let dir = fixture("base");
    let path = dir.path().join("content/touchpoints/renewal-talk.md");
    let hostile = "Renewal <img src=x onerror=\\\"window.hacked=1\\\"> talk";
    std::fs::write(&path, read(&path).replace("title = \"Renewal talk\"", &format!("title = \"{hostile}\""))).unwrap();
    let server = Server::start(dir.path());
    let found = search(&browser, &server.address, "index.html", "renewal");
    assert!(found.iter().any(|t| t == "Renewal <img src=x onerror=\"window.hacked=1\"> talk"), "{found:?}");
    assert_eq!(
        browser.js("return window.hacked === undefined && !document.querySelector('#search-results img')"),
        json!(true)
    );
}
