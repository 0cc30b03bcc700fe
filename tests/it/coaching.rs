//! Coaching cards, meeting packs a line manager can run the meeting from, and the self-check
//! ("Practise"): read back from the built example with an HTML parser, and used in headless
//! Chromium (sorting with the keyboard, progress kept in the browser, printing page by page).

use std::cell::RefCell;
use std::collections::{BTreeMap, BTreeSet};
use std::io::{BufRead, BufReader, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};

use serde_json::{json, Value};

use crate::browser::{example_copy, screenshot_dir, Browser};
use crate::support::*;

/// Every edition of the example and the words its coaching cards and self-check use.
const EDITIONS: [(&str, &str, &str); 4] = [
    ("", "Coaching card", "Practise: Do or Don't?"),
    ("norge/", "Coachingkort", "Øv: Gjør eller unngå?"),
    ("danmark/", "Coachingkort", "Øv dig: Gør eller undgå?"),
    ("sverige/", "Coachningskort", "Öva: Gör eller undvik?"),
];

/// The language of an edition of the example, for its interface strings.
fn language(edition: &str) -> &'static str {
    match edition {
        "norge/" => "nb",
        "danmark/" => "da",
        "sverige/" => "sv",
        _ => "en",
    }
}

/// An interface string of the built-in theme (`coaching.seen`) in `language`.
fn string(language: &str, path: &str) -> String {
    let file = Path::new(env!("CARGO_MANIFEST_DIR")).join(format!("themes/default/i18n/{language}.toml"));
    let table: toml::Table = read(&file).parse().unwrap();
    let (group, key) = path.split_once('.').unwrap();
    table[group][key].as_str().unwrap_or_else(|| panic!("{path} in {language}.toml")).to_string()
}

/// Each element matching `selector` named by its `aria-labelledby`, as the accessible-name
/// algorithm reads it: the text of each element the ids name, in order, joined by a space.
/// Fails the test on an id that names no element or several.
fn labelled_by(html: &str, selector: &str) -> Vec<String> {
    let mut ids: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for element in select(html, "[id]") {
        ids.entry(element.attr("id").unwrap().to_string()).or_default().push(element.text.clone());
    }
    let name = |element: &Element| -> String {
        let refs = element.attr("aria-labelledby").unwrap_or_else(|| panic!("no aria-labelledby on {element:?}"));
        let part = |id: &str| match ids.get(id).map(Vec::as_slice) {
            Some([text]) => text.clone(),
            other => panic!("aria-labelledby=\"{refs}\": {id} names {other:?}"),
        };
        refs.split_whitespace().map(part).collect::<Vec<_>>().join(" ")
    };
    select(html, selector).iter().map(name).collect()
}

/// The ids used more than once on a page (a label pointing at one of them would name the
/// wrong box).
fn repeated_ids(html: &str) -> Vec<String> {
    let mut seen = BTreeSet::new();
    attributes(html, "[id]", "id").into_iter().flatten().filter(|id| !seen.insert(id.clone())).collect()
}

/// What each box of a card's rows should be called: the column's heading and the statement,
/// for every row in page order (`statements` without their verdict label).
fn box_names(statements: &[String], edition: &str) -> Vec<String> {
    let (seen, not_seen) = (string(language(edition), "coaching.seen"), string(language(edition), "coaching.not-seen"));
    statements.iter().flat_map(|s| [format!("{seen} {s}"), format!("{not_seen} {s}")]).collect()
}

/// The statement of every element matching `rows` (a card's row, a page's item): its text
/// without the verdict label ("Do", "Gjør") that starts it.
fn statements(html: &str, rows: &str) -> Vec<String> {
    let verdicts = each_within(html, rows, ".verdict");
    select(html, rows)
        .into_iter()
        .zip(verdicts)
        .map(|(row, verdict)| {
            let label = &verdict.first().unwrap_or_else(|| panic!("{rows}: no verdict in {row:?}")).text;
            row.text.strip_prefix(label.as_str()).unwrap().trim().to_string()
        })
        .collect()
}

/// The text of each element matching `selector`, whitespace collapsed, read with an HTML parser.
fn texts(html: &str, selector: &str) -> Vec<String> {
    let found: RefCell<Vec<String>> = RefCell::new(Vec::new());
    let settings = lol_html::RewriteStrSettings::new()
        .append_element_content_handler(lol_html::element!(selector, |_| {
            found.borrow_mut().push(String::new());
            Ok(())
        }))
        .append_element_content_handler(lol_html::text!(selector, |chunk| {
            if let Some(last) = found.borrow_mut().last_mut() {
                last.push_str(chunk.as_str());
            }
            Ok(())
        }));
    lol_html::rewrite_str(html, settings).expect("the page parses");
    found.into_inner().into_iter().map(|t| unescape(&t).split_whitespace().collect::<Vec<_>>().join(" ")).collect()
}

/// The value of `attribute` on each element matching `selector`.
fn attributes(html: &str, selector: &str, attribute: &str) -> Vec<Option<String>> {
    let found = RefCell::new(Vec::new());
    let settings =
        lol_html::RewriteStrSettings::new().append_element_content_handler(lol_html::element!(selector, |el| {
            found.borrow_mut().push(el.get_attribute(attribute));
            Ok(())
        }));
    lol_html::rewrite_str(html, settings).expect("the page parses");
    found.into_inner()
}

/// The entities the templates write (lol_html hands text over as written).
fn unescape(text: &str) -> String {
    text.replace("&#39;", "'").replace("&quot;", "\"").replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")
}

/// Serves a built site over HTTP on 127.0.0.1 as any web server would publish it, and returns
/// its address. No live reload (as `serve` has): a page stays as it was loaded while a test
/// works in it, as it does for staff.
fn publish(site: PathBuf) -> String {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let address = listener.local_addr().unwrap().to_string();
    std::thread::spawn(move || {
        for stream in listener.incoming().flatten() {
            let site = site.clone();
            std::thread::spawn(move || answer(stream, &site));
        }
    });
    address
}

/// Answers one GET with a file of `site` (`index.html` for a folder), or 404.
fn answer(mut stream: TcpStream, site: &Path) {
    let mut reader = BufReader::new(stream.try_clone().unwrap());
    let mut request = String::new();
    if reader.read_line(&mut request).is_err() {
        return;
    }
    let mut header = String::new();
    while reader.read_line(&mut header).is_ok_and(|n| n > 2) {
        header.clear();
    }
    let target = request.split(' ').nth(1).unwrap_or("/");
    let path = target.split(['?', '#']).next().unwrap_or_default().trim_start_matches('/');
    let file = if path.is_empty() || path.ends_with('/') { format!("{path}index.html") } else { path.to_string() };
    let body = (!file.split('/').any(|part| part == "..")).then(|| std::fs::read(site.join(&file)).ok()).flatten();
    let status = if body.is_some() { "200 OK" } else { "404 Not Found" };
    let kind = match file.rsplit('.').next() {
        Some("html") => "text/html; charset=utf-8",
        Some("css") => "text/css; charset=utf-8",
        Some("js") => "text/javascript; charset=utf-8",
        Some("json") => "application/json",
        _ => "application/octet-stream",
    };
    let body = body.unwrap_or_default();
    let head = format!(
        "HTTP/1.1 {status}\r\nContent-Type: {kind}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
        body.len()
    );
    let _ = stream.write_all(head.as_bytes()).and_then(|()| stream.write_all(&body));
}

/// Opens `url` and waits until the page has loaded with its scripts (WebDriver may hand back
/// a long page while it is still being read).
fn open(browser: &Browser, url: &str) {
    browser.goto(url);
    assert!(browser.wait_until("return document.readyState === 'complete'"), "{url} loads");
}

/// The touch point pages of an edition of a built site.
fn touchpoint_pages(site: &Path, edition: &str) -> Vec<(String, String)> {
    let mut pages: Vec<(String, String)> = std::fs::read_dir(site.join(edition).join("touchpoints"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "html") && !p.ends_with("index.html"))
        .map(|p| (p.file_name().unwrap().to_string_lossy().into_owned(), read(&p)))
        .collect();
    pages.sort();
    pages
}

#[test]
fn every_touch_point_has_a_coaching_card_of_its_own_do_and_dont_items_in_its_language() {
    let dir = example_copy();
    let site = build_ok(dir.path());
    for (edition, card_word, _) in EDITIONS {
        let pages = touchpoint_pages(&site, edition);
        assert!(pages.len() >= 17, "{edition}: every situation has a page");
        for (name, html) in &pages {
            let place = format!("{edition}touchpoints/{name}");
            for verdict in ["do", "dont"] {
                let page = texts(html, &format!(".section-behaviour li.verdict-{verdict}"));
                let card = texts(html, &format!("#coaching-card tr.card-{verdict} th"));
                assert_eq!(card, page, "{place}: the card's {verdict} rows are the page's items, in order");
                // Each row has a box for seen and one for not seen, which a screen reader names
                // by the column and the page's own statement.
                let boxes = labelled_by(html, &format!("#coaching-card tr.card-{verdict} input[type=checkbox]"));
                let items = statements(html, &format!(".section-behaviour li.verdict-{verdict}"));
                assert_eq!(boxes, box_names(&items, edition), "{place}: two boxes per {verdict} item, named");
            }
            assert_eq!(repeated_ids(html), Vec::<String>::new(), "{place}: every id once");
            assert!(!texts(html, ".section-behaviour li.verdict-do").is_empty(), "{place}: the example has Do items");
            let title = texts(html, "#coaching-card .coaching-card-title");
            assert!(
                title.len() == 1 && title[0].starts_with(card_word),
                "{place}: the card is headed in the edition's language: {title:?}"
            );
            let fields = texts(html, "#coaching-card .coaching-fields .fill");
            assert_eq!(fields.len(), 3, "{place}: date, observer and employee to fill in");
            assert_eq!(texts(html, "#coaching-card .coaching-note").len(), 1, "{place}: room for a note");
            let links = texts(html, "a[href=\"#coaching-card\"]");
            assert_eq!(links, vec![card_word.to_string()], "{place}: the page links to its card");
        }
    }
}

#[test]
fn a_weeks_pack_holds_its_situations_their_cards_and_a_record_sheet() {
    let dir = example_copy();
    let site = build_ok(dir.path());
    for (edition, card_word, _) in EDITIONS {
        let html = read(site.join(edition).join("rollouts/service-promise-programme.html"));
        let mut weeks_with_situations = 0;
        for week in 1..=16 {
            let pack = format!("#week-{week}");
            // The situations the week's text links to, each once, in order.
            let mut linked: Vec<String> = Vec::new();
            for href in attributes(&html, &format!("{pack} > .prose a[href]"), "href").into_iter().flatten() {
                if let Some(page) = href.strip_prefix("../touchpoints/") {
                    if !linked.iter().any(|l| l == page) {
                        linked.push(page.to_string());
                    }
                }
            }
            let shown: Vec<String> = attributes(&html, &format!("{pack} .pack-touchpoint h4 a"), "href")
                .into_iter()
                .flatten()
                .map(|h| h.trim_start_matches("../touchpoints/").to_string())
                .collect();
            assert_eq!(shown, linked, "{edition} week {week}: the pack shows the situations it practises");
            if !shown.is_empty() {
                weeks_with_situations += 1;
            }
            for part in ["situation", "behaviour", "phrases", "roleplay"] {
                let parts = texts(&html, &format!("{pack} .pack-touchpoint .section-{part} .prose"));
                assert_eq!(parts.len(), shown.len(), "{edition} week {week}: each situation's {part}");
                assert!(parts.iter().all(|p| !p.is_empty()), "{edition} week {week}: {part} has text");
            }
            let cards = texts(&html, &format!("{pack} .coaching-card-title"));
            assert_eq!(cards.len(), shown.len(), "{edition} week {week}: a coaching card per situation");
            assert!(cards.iter().all(|c| c.starts_with(card_word)), "{edition} week {week}: {cards:?}");
            let record = texts(&html, &format!("{pack} .meeting-record dt"));
            assert_eq!(record.len(), if shown.is_empty() { 4 } else { 5 }, "{edition} week {week}: {record:?}");
            let boxes = attributes(&html, &format!("{pack} .meeting-record .scale-boxes input"), "type");
            assert_eq!(boxes.len(), 5, "{edition} week {week}: the obstacle reading from 1 to 5");
            // The same situation's card in several weeks: each box is named from its own card.
            let rows = statements(&html, &format!("{pack} .coaching-table tbody tr"));
            let boxes = labelled_by(&html, &format!("{pack} .coaching-table input[type=checkbox]"));
            assert_eq!(boxes, box_names(&rows, edition), "{edition} week {week}: the cards' boxes are named");
        }
        assert_eq!(repeated_ids(&html), Vec::<String>::new(), "{edition}: every id of the leader kit once");
        assert!(weeks_with_situations >= 10, "{edition}: most weeks practise situations ({weeks_with_situations})");
    }
}

#[test]
fn the_self_check_page_lists_the_most_frequent_and_hardest_situations_without_script() {
    let dir = example_copy();
    let site = build_ok(dir.path());
    for (edition, _, start_word) in EDITIONS {
        let start = read(site.join(edition).join("index.html"));
        let mut wanted: Vec<String> = Vec::new();
        for section in ["frequent", "hardest"] {
            for href in attributes(&start, &format!("section[aria-labelledby={section}] a.card-title"), "href") {
                let href = href.unwrap().trim_start_matches("./").to_string();
                if !wanted.contains(&href) {
                    wanted.push(href);
                }
            }
        }
        assert!(wanted.len() >= 6, "{edition}: the start page shows situations");
        assert_eq!(attributes(&start, "a.practise-link", "href"), vec![Some("./practise.html".to_string())]);

        let html = read(site.join(edition).join("practise.html"));
        let listed: Vec<String> = attributes(&html, "[data-practise-item] h2 a", "href")
            .into_iter()
            .map(|h| h.unwrap().trim_start_matches("./").to_string())
            .collect();
        assert_eq!(listed, wanted, "{edition}: the set is the start page's frequent and hardest, each once");
        // Without script: the statements and answers are a plain list, and the button that
        // would start the exercise stays hidden.
        let items = texts(&html, "[data-practise-item] .section-behaviour li");
        assert!(items.len() >= 3 * listed.len(), "{edition}: {} items", items.len());
        assert_eq!(texts(&html, "[data-practise-item] .section-phrases").len(), listed.len());
        assert_eq!(texts(&html, "[data-practise-start]"), vec![start_word.to_string()]);
        assert_eq!(attributes(&html, "[data-practise-start]", "hidden"), vec![Some(String::new())]);
        assert!(touchbook::html_policy::check_page(&html).is_empty(), "{edition}practise.html keeps to the policy");
    }
}

/// Statements of the open self-check, and the answer each should get, from the page's lists.
const SORT_ALL: &str = r#"
const wrongFirst = arguments[0];
const box = document.querySelector('.practise-panel:not([hidden])');
const seen = [];
let first = true;
while (box.querySelector('.practise-statement')) {
  const text = box.querySelector('.practise-statement').textContent;
  seen.push(text);
  const isDo = Array.from(document.querySelectorAll('li.verdict-do')).some(li => li.textContent.includes(text));
  const sayDo = first && wrongFirst ? !isDo : isDo;
  first = false;
  box.querySelector(sayDo ? '.practise-do' : '.practise-dont').click();
  const feedback = box.querySelector('[role=status]').textContent;
  if (!feedback) return {error: 'no feedback for ' + text};
  if (document.activeElement !== box.querySelector('.practise-next')) return {error: 'focus is not on Next'};
  box.querySelector('.practise-next').click();
}
return {seen: seen, result: box.querySelector('.practise-result').textContent, answers: box.textContent};
"#;

#[test]
fn practise_sorts_shuffled_statements_with_feedback_and_keeps_progress_in_the_browser() {
    let Some(browser) = Browser::start() else { return };
    let dir = example_copy();
    let base = format!("http://{}", publish(build_ok(dir.path())));

    // One situation: every Do and Don't once, in another order than the page's.
    open(&browser, &format!("{base}/touchpoints/missed-deadline.html"));
    let items: Vec<String> = serde_json::from_value(browser.js(
        "return Array.from(document.querySelectorAll('.section-behaviour li.verdict-do, .section-behaviour li.verdict-dont')).map(li => { const c = li.cloneNode(true); c.querySelector('.verdict').remove(); return c.textContent.trim(); })",
    ))
    .unwrap();
    assert!(items.len() >= 4, "{items:?}");
    browser.js("localStorage.clear(); return null");
    open(&browser, &format!("{base}/touchpoints/missed-deadline.html"));
    let mut orders = Vec::new();
    for _ in 0..4 {
        browser.click("[data-practise-start]");
        let statement = browser.js("return document.activeElement.className");
        assert_eq!(statement, json!("practise-statement"), "focus moves to the statement");
        let run = browser.js_args(SORT_ALL, vec![json!(true)]);
        assert!(run.get("error").is_none(), "{run}");
        let mut seen: Vec<String> = serde_json::from_value(run["seen"].clone()).unwrap();
        orders.push(seen.clone());
        seen.sort();
        let mut expected = items.clone();
        expected.sort();
        assert_eq!(seen, expected, "every statement once");
        let total = items.len();
        assert_eq!(run["result"], json!(format!("You sorted {} of {total} right.", total - 1)));
        let answers = run["answers"].as_str().unwrap();
        let phrases = browser.js("return document.querySelector('#phrases .prose').textContent.trim().slice(0, 30)");
        assert!(answers.contains(phrases.as_str().unwrap()), "the answers show the phrases");
        let why = browser.js("return document.querySelector('#why .prose').textContent.trim().slice(0, 30)");
        assert!(answers.contains(why.as_str().unwrap()), "the answers show the why");
        browser.click(".practise-panel .practise-stop");
    }
    assert!(orders.iter().any(|o| *o != items), "the statements are shuffled");

    // Progress stays in this browser, and is shown on the next visit.
    open(&browser, &format!("{base}/touchpoints/missed-deadline.html"));
    let last = browser.js("return document.querySelector('[data-practise-last]').textContent");
    assert_eq!(last, json!(format!("Last time: {} of {} right.", items.len() - 1, items.len())));
    let stored = browser.js("return Object.keys(localStorage).filter(k => k.startsWith('touchbook-practise:')).length");
    assert_eq!(stored, json!(1));

    // With the keyboard alone: Enter on the focused buttons.
    browser.size(390, 844);
    browser.click("[data-practise-start]");
    browser.js("document.querySelector('.practise-panel').scrollIntoView(); return null");
    browser.screenshot(&screenshot_dir().join("practise-390.png"));
    browser.js("document.querySelector('.practise-do').focus(); return null");
    browser.type_into(".practise-do", "\u{E007}");
    assert!(browser.wait_until("return document.activeElement.classList.contains('practise-next')"));
    let said = browser.js("return document.querySelector('.practise-panel [role=status]').getAttribute('aria-live') + ' ' + document.querySelector('.practise-panel [role=status]').textContent");
    assert!(said.as_str().unwrap().starts_with("polite "), "feedback is announced: {said}");
    browser.type_into(".practise-next", "\u{E007}");
    assert!(browser
        .wait_until("return document.querySelector('.practise-progress').textContent.startsWith('Statement 2 of')"));
    browser.size(1280, 900);

    // A week of a rollout, and the self-check page, in a division's language.
    for (edition, _, start_word) in EDITIONS {
        for page in ["rollouts/service-promise-programme.html", "practise.html"] {
            open(&browser, &format!("{base}/{edition}{page}"));
            let button = browser
                .js("const b = document.querySelector('[data-practise-start]'); return [b.textContent, b.hidden]");
            assert_eq!(button, json!([start_word, false]), "{edition}{page}");
            browser.js("document.querySelector('[data-practise-start]').click(); return null");
            let expected = browser.js(
                "const scope = document.querySelector('[data-practise-start]').closest('[data-practise-scope]'); return scope.querySelectorAll('.section-behaviour li.verdict-do, .section-behaviour li.verdict-dont').length",
            );
            let run = browser.js_args(SORT_ALL, vec![json!(false)]);
            assert!(run.get("error").is_none(), "{edition}{page}: {run}");
            if edition == "norge/" {
                let name = page.trim_end_matches(".html").replace('/', "-");
                browser.js("document.querySelector('.practise-result').scrollIntoView(); return null");
                browser.screenshot(&screenshot_dir().join(format!("practise-answers-{name}-nb.png")));
            }
            assert_eq!(run["seen"].as_array().map(Vec::len), expected.as_u64().map(|n| n as usize), "{edition}{page}");
            // Nothing was fetched from anywhere else, and nothing sent.
            let elsewhere = browser.js(
                "return performance.getEntriesByType('resource').filter(e => !e.name.startsWith(location.origin) || e.initiatorType === 'beacon').map(e => e.name)",
            );
            assert_eq!(elsewhere, json!([]), "{edition}{page}");
        }
    }
    // Browsers ask every site for a favicon; the theme has none.
    let errors: Vec<String> = browser.console_errors().into_iter().filter(|e| !e.contains("favicon.ico")).collect();
    assert!(errors.is_empty(), "{errors:?}");
}

#[test]
fn the_new_pages_and_the_open_self_check_pass_axe_in_every_language() {
    let Some(axe) = crate::a11y::axe_source() else { return };
    let Some(browser) = Browser::start() else { return };
    let dir = example_copy();
    let address = publish(build_ok(dir.path()));
    let mut problems = Vec::new();
    for (edition, _, _) in EDITIONS {
        for page in ["practise.html", "touchpoints/missed-deadline.html", "rollouts/service-promise-programme.html"] {
            open(&browser, &format!("http://{address}/{edition}{page}"));
            let opened = browser.js("document.querySelectorAll('details').forEach(d => d.open = true); const s = document.querySelector('[data-practise-start]'); const h = s.hidden; s.click(); const b = document.querySelector('.practise-do'); if (b) b.click(); return [!!b, h, document.readyState]");
            assert_eq!(opened, json!([true, false, "complete"]), "{edition}{page}: the self-check opens");
            browser.js(&format!("{axe}\nreturn null;"));
            let result = browser.js_async(
                "const done = arguments[0]; axe.run(document).then(r => done(r.violations.map(v => v.id + ': ' + v.nodes.slice(0, 3).map(n => n.target.join(' ')).join(', ')))).catch(e => done([String(e)]));",
            );
            for violation in result.as_array().into_iter().flatten().filter_map(Value::as_str) {
                problems.push(format!("{edition}{page}: {violation}"));
            }
        }
    }
    assert!(problems.is_empty(), "axe-core found:\n{}", problems.join("\n"));
}

#[test]
fn chromium_names_each_box_of_a_card_by_its_column_and_its_statement() {
    let Some(browser) = Browser::start() else { return };
    let dir = example_copy();
    let site = build_ok(dir.path());
    let base = format!("http://{}", publish(site.clone()));
    for (edition, _, _) in EDITIONS {
        for page in ["touchpoints/missed-deadline.html", "rollouts/service-promise-programme.html"] {
            let html = read(site.join(edition).join(page));
            let expected = box_names(&statements(&html, ".coaching-table tbody tr"), edition);
            assert!(expected.len() >= 8, "{edition}{page}: {expected:?}");
            open(&browser, &format!("{base}/{edition}{page}"));
            // A folded pack is out of the accessibility tree until it is opened.
            browser.js("document.querySelectorAll('details').forEach(d => d.open = true); return null");
            let named = browser.computed_labels(".coaching-table input[type=checkbox]");
            assert_eq!(named, expected, "{edition}{page}");
        }
    }
}

#[test]
fn the_self_check_takes_its_words_from_one_file_per_edition_not_from_every_page() {
    let dir = example_copy();
    let site = build_ok(dir.path());
    for (edition, _, start_word) in EDITIONS {
        let file = read(site.join(edition).join("strings.js"));
        let json = file.lines().find_map(|l| l.strip_prefix("var touchbookStrings = ")).expect("the strings' global");
        let strings: Value = serde_json::from_str(json.trim_end_matches(';')).expect("the strings are JSON");
        let language = language(edition);
        assert_eq!(strings["practise"]["start"], json!(start_word), "{edition}strings.js");
        for key in ["progress", "question", "right", "wrong", "next", "finish", "result", "last", "privacy"] {
            let path = format!("practise.{key}");
            assert_eq!(strings["practise"][key], json!(string(language, &path)), "{edition}strings.js: {path}");
        }
        assert_eq!(strings["verdict"]["dont"], json!(string(language, "verdict.dont")), "{edition}strings.js");
        // Every page loads the file before the script that reads it; none repeats its words.
        for (name, html) in touchpoint_pages(&site, edition) {
            let scripts: Vec<String> = attributes(&html, "script", "src").into_iter().flatten().collect();
            let (strings_at, coaching_at) =
                (position(&scripts, "../strings.js"), position(&scripts, "../static/coaching.js"));
            assert!(strings_at < coaching_at, "{edition}{name}: {scripts:?}");
            for attribute in ["data-do", "data-dont"] {
                assert!(select(&html, &format!("[{attribute}]")).is_empty(), "{edition}{name} has {attribute}");
            }
            assert!(
                !html.contains(&string(language, "practise.privacy")),
                "{edition}{name} repeats the self-check's words"
            );
        }
    }
}

/// Pages in a PDF printed by Chromium.
fn pdf_pages(pdf: &[u8]) -> usize {
    let text = String::from_utf8_lossy(pdf);
    text.matches("/Type /Page").count() - text.matches("/Type /Pages").count()
}

#[test]
fn coaching_cards_print_one_to_a_page_and_the_leader_kit_week_by_week() {
    let Some(browser) = Browser::start() else { return };
    let dir = example_copy();
    let site = build_ok(dir.path());
    let base = format!("http://{}", publish(site.clone()));

    // What "Print the coaching card" prints: the card alone, on one page, in every edition.
    for (edition, _, _) in EDITIONS {
        for (name, _) in touchpoint_pages(&site, edition) {
            open(&browser, &format!("{base}/{edition}touchpoints/{name}"));
            browser.js("document.body.classList.add('print-only-coaching-card'); return null");
            let pdf = browser.print_pdf();
            assert_eq!(pdf_pages(&pdf), 1, "{edition}{name}: the coaching card prints on one page of A4");
            if edition.is_empty() {
                let letter = browser.print_pdf_on(fantoccini::wd::PrintSize::US_LETTER);
                assert_eq!(pdf_pages(&letter), 1, "{name}: the coaching card prints on one page of US Letter");
            }
            if name == "angry-consultant-customer.html" {
                let name = format!("coaching-card-{}.pdf", edition.trim_end_matches('/'));
                std::fs::write(screenshot_dir().join(name.replace("card-.pdf", "card.pdf")), &pdf).unwrap();
            }
        }
        open(&browser, &format!("{base}/{edition}touchpoints/missed-deadline.html"));
        let button = browser.js("const b = document.querySelector('[data-print-section=coaching-card]'); return !b.hidden && b.textContent.length > 0");
        assert_eq!(button, json!(true), "{edition}: the print button shows with script");
    }
    open(&browser, &format!("{base}/touchpoints/missed-deadline.html"));
    browser.js("document.body.classList.add('print-only-coaching-card'); return null");
    browser.emulate_print();
    browser.screenshot(&screenshot_dir().join("coaching-card-print.png"));

    // The leader kit: every week on a new page, each card and record sheet on its own, and no
    // heading left at the foot of a page.
    open(&browser, &format!("{base}/rollouts/service-promise-programme.html"));
    browser.emulate_print();
    let layout = browser.js(r#"const style = e => getComputedStyle(e);
        const weeks = Array.from(document.querySelectorAll('.week-pack'));
        const cards = Array.from(document.querySelectorAll('.week-pack .coaching-card, .week-pack .meeting-record'));
        const headings = Array.from(document.querySelectorAll('.packs h2, .packs h3, .packs h4, .packs h5'));
        const details = Array.from(document.querySelectorAll('.pack-details .meeting-record'));
        return {
          weeks: weeks.length,
          laterWeeksBreak: weeks.slice(1).every(w => style(w).breakBefore === 'page'),
          firstWeekWithHeading: style(weeks[0]).breakBefore === 'avoid',
          packsBreak: style(document.querySelector('.packs')).breakBefore,
          cardsBreak: cards.every(c => style(c).breakBefore === 'page' && style(c).breakInside === 'avoid'),
          cards: cards.length,
          headingsKeep: headings.every(h => style(h).breakAfter === 'avoid'),
          recordsShown: details.every(d => d.getBoundingClientRect().height > 0),
        };"#);
    assert_eq!(layout["weeks"], json!(16));
    for key in ["laterWeeksBreak", "firstWeekWithHeading", "cardsBreak", "headingsKeep", "recordsShown"] {
        assert_eq!(layout[key], json!(true), "{key}: {layout}");
    }
    assert_eq!(layout["packsBreak"], json!("page"), "the kit's heading starts a page with week 1");
    browser.screenshot(&screenshot_dir().join("leader-kit-print.png"));

    open(&browser, &format!("{base}/rollouts/service-promise-programme.html"));
    browser.js("document.body.classList.add('print-only-packs'); return null");
    let kit_pdf = browser.print_pdf();
    let kit = pdf_pages(&kit_pdf);
    // On US Letter, shorter, each week and each sheet still starts its own page.
    let kit_letter = pdf_pages(&browser.print_pdf_on(fantoccini::wd::PrintSize::US_LETTER));
    assert!(kit_letter >= kit, "{kit_letter} pages on US Letter against {kit} on A4");
    // For a person to look at, with the week's pack and a card below.
    std::fs::write(screenshot_dir().join("leader-kit.pdf"), &kit_pdf).unwrap();
    let sheets = layout["cards"].as_u64().unwrap() as usize;
    assert!(kit >= 16 + sheets, "{kit} pages for 16 weeks and {sheets} cards and record sheets");
    // One week's pack alone: its agenda and situations, then its cards and its record sheet.
    open(&browser, &format!("{base}/rollouts/service-promise-programme.html"));
    let week_sheets =
        browser.js("return document.querySelectorAll('#week-2 .coaching-card, #week-2 .meeting-record').length");
    browser.js("document.querySelector('#week-2').classList.add('printing'); document.body.classList.add('print-only-week'); return null");
    let week_pdf = browser.print_pdf();
    let week = pdf_pages(&week_pdf);
    std::fs::write(screenshot_dir().join("week-2-pack.pdf"), &week_pdf).unwrap();
    let week_sheets = week_sheets.as_u64().unwrap() as usize;
    assert!(week > week_sheets && week < kit / 4, "week 2 prints {week} pages for {week_sheets} sheets");
}

#[test]
fn cards_and_packs_follow_do_and_dont_headings_and_any_way_of_linking_a_situation() {
    let dir = fixture("base");
    let rollout = dir.path().join("content/rollouts/calm-programme.md");
    // Week 3 names a situation twice, once with a fragment, and one more that is no situation.
    let week = "Third week pack: [late invoices](../touchpoints/late-invoice.md#phrases), [again](../touchpoints/late-invoice.md), [the promise](../messages/we-own-it.md) and [angry callers](../touchpoints/angry-caller.md).";
    std::fs::write(&rollout, read(&rollout).replace("Third week pack.", week)).unwrap();
    let site = build_ok(dir.path());

    // `### Don't` and `### Do` headings mark the items as the prefixes do.
    let page = read(site.join("touchpoints/late-invoice.html"));
    assert_eq!(texts(&page, "#coaching-card tr.card-do th"), ["Do check the billing system"]);
    assert_eq!(texts(&page, "#coaching-card tr.card-dont th"), ["Don't blame finance"]);

    let html = read(site.join("rollouts/calm-programme.html"));
    let shown = |week: u32| -> Vec<String> { texts(&html, &format!("#week-{week} .pack-touchpoint h4")) };
    assert_eq!(shown(1), ["Angry caller"]);
    assert_eq!(shown(3), ["Late invoice question", "Angry caller"], "each situation once, in the order named");
    assert!(shown(2).is_empty(), "a week without a pack practises nothing");
    assert_eq!(texts(&html, "#week-2 .meeting-record h4").len(), 1, "it still has its record sheet");
    assert_eq!(texts(&html, "#week-3 .coaching-card-title").len(), 2);
    assert_eq!(attributes(&html, "#week-3 [data-practise-start]", "hidden"), [Some(String::new())]);
    assert!(attributes(&html, "#week-2 [data-practise-start]", "hidden").is_empty(), "nothing to practise");
}

#[test]
fn a_theme_s_own_base_html_without_the_strings_file_is_warned_about() {
    let dir = example_copy();
    let builtin =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("themes/default/templates/base.html"))
            .unwrap();
    let line = builtin.lines().find(|l| l.contains("strings.js")).expect("the default base.html loads strings.js");
    let templates = dir.path().join("themes/default/templates");
    std::fs::create_dir_all(&templates).unwrap();
    let warning = "themes/default/templates/base.html: warning: this base.html does not load strings.js";
    // A copy of the default base.html from before strings.js: the self-check would go unseen.
    std::fs::write(templates.join("base.html"), builtin.replace(&format!("{line}\n"), "")).unwrap();
    let output = run(dir.path(), &["build", "--no-search"]);
    let text = stderr(&output);
    assert!(output.status.success(), "{text}");
    assert!(text.contains(warning), "{text}");
    assert!(text.contains("before coaching.js"), "{text}");
    // With the line back, nothing is said.
    std::fs::write(templates.join("base.html"), format!("{builtin}{{# This playbook's own copy. #}}\n")).unwrap();
    let output = run(dir.path(), &["build", "--no-search"]);
    assert!(!stderr(&output).contains("strings.js"), "{}", stderr(&output));
}
