//! Search in a real browser: the right situation first, in the edition's language, with
//! filters, keyboard navigation, an empty state, and hostile content shown as text.

use serde_json::json;

use crate::browser::{example_copy, Browser};
use crate::support::*;

const ENTER: &str = "\u{E007}";
const DOWN: &str = "\u{E015}";

/// Titles of the results shown, once the status says searching is done.
pub fn results(browser: &Browser) -> Vec<String> {
    assert!(
        browser.wait_until(
            "var s = document.getElementById('search-status').textContent; return s !== '' && !/…$/.test(s);"
        ),
        "search finishes"
    );
    let titles = browser.js("return Array.from(document.querySelectorAll('#search-results .search-title')).map(function (a) { return a.textContent; })");
    titles.as_array().unwrap().iter().map(|t| t.as_str().unwrap().to_string()).collect()
}

pub fn search(browser: &Browser, address: &str, page: &str, query: &str) -> Vec<String> {
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
    // One folder down, the search box (rendered once per depth) loads the index from `../`
    // and its results lead to the page.
    let found = search(&browser, &server.address, "touchpoints/first-call-from-prospect.html", "locked out password");
    assert_eq!(found.first().map(String::as_str), Some("Password reset call"), "{found:?}");
    browser.click("#search-results a");
    assert!(browser.wait_until("return /touchpoints\\/password-reset-call\\.html$/.test(location.pathname)"));
    // "leveransen" (the delivery) is the inflected form of "leveranse" in the text.
    let found = search(&browser, &server.address, "norge/index.html", "leveransen");
    assert_eq!(found.first().map(String::as_str), Some("Vi har overskredet en leveransefrist"), "{found:?}");
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

    // The internal-customer chip narrows to colleague-to-colleague situations.
    browser.click("#search .chip-toggle[data-filter=stage][data-value=Renewal]");
    browser.js("document.getElementById('search-status').textContent = ''; return null");
    browser.click("#search .chip-toggle[data-filter=internal]");
    let internal = results(&browser);
    assert_eq!(internal, ["Handing a case over to another team"], "only the internal-customer situation");
    browser.click("#search .chip-toggle[data-filter=internal]");
    browser.js("document.getElementById('search-status').textContent = ''; return null");
    browser.click("#search .chip-toggle[data-filter=stage][data-value=Renewal]");
    results(&browser);

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

/// All results of `query` as the search box finds them (every shard, `sort` by frequency or
/// difficulty or "" for relevance), as `[title, frequency, difficulty]`, best first.
fn all_results(browser: &Browser, query: &str, sort: &str) -> Vec<(String, u64, u64)> {
    let found = browser.js_async(&format!(
        r#"const done = arguments[0];
        (async () => {{
          const pagefind = await window.touchbookSearch.load();
          const found = await window.touchbookSearch.find(pagefind, {query}, {{ filters: {{}} }}, {sort});
          const data = await Promise.all(found.map(r => r.data()));
          done(data.map(d => [d.meta.title, +(d.filters.frequency || [0])[0], +(d.filters.difficulty || [0])[0]]));
        }})().catch(e => done(String(e)));"#,
        query = json!(query),
        sort = json!(sort)
    ));
    let rows = found.as_array().unwrap_or_else(|| panic!("search failed: {found}"));
    rows.iter()
        .map(|row| (row[0].as_str().unwrap().to_string(), row[1].as_u64().unwrap(), row[2].as_u64().unwrap()))
        .collect()
}

#[test]
fn a_sharded_index_finds_and_sorts_across_its_shards() {
    let Some(browser) = Browser::start() else { return };
    let whole = example_copy();
    let server = Server::start(whole.path());
    browser.goto(&format!("http://{}/index.html", server.address));
    let unsharded = all_results(&browser, "customer", "");
    drop(server);

    // Three pages a shard: the example's touch points spread over several bundles.
    let dir = example_copy();
    let server = Server::start_with_env(dir.path(), &[("TOUCHBOOK_SEARCH_SHARD_PAGES", "3")]);
    let shards: serde_json::Value =
        serde_json::from_str(&read(dir.path().join("site/pagefind/touchbook-shards.json"))).unwrap();
    assert!(shards["shards"].as_array().unwrap().len() >= 4, "{shards}");
    browser.goto(&format!("http://{}/index.html", server.address));
    let sharded = all_results(&browser, "customer", "");
    let titles =
        |rows: &[(String, u64, u64)]| rows.iter().map(|r| r.0.clone()).collect::<std::collections::BTreeSet<_>>();
    assert_eq!(titles(&sharded), titles(&unsharded), "every shard is searched");
    assert!(sharded.len() > 10, "{sharded:?}");

    // By frequency: 5 to 1 across shards, the touch points only (other kinds have no frequency).
    for (sort, key) in [("frequency", 1), ("difficulty", 2)] {
        let sorted = all_results(&browser, "customer", sort);
        let values: Vec<u64> = sorted.iter().map(|r| if key == 1 { r.1 } else { r.2 }).collect();
        assert!(values.windows(2).all(|w| w[0] >= w[1]) && values.iter().all(|v| *v >= 1), "{sort}: {sorted:?}");
        let touchpoints = unsharded.iter().filter(|r| r.1 > 0).count();
        assert_eq!(sorted.len(), touchpoints, "{sort}: every matching touch point, once");
    }

    // The search box finds a situation whichever shard holds it. (Not necessarily first: with
    // three pages a shard, each shard's word statistics are its own, which is why real shards
    // hold thousands of pages.)
    let found = search(&browser, &server.address, "index.html", "locked out password");
    assert!(found.iter().any(|t| t == "Password reset call"), "{found:?}");
    let found = search(&browser, &server.address, "norge/index.html", "leveransen");
    assert!(found.iter().any(|t| t == "Vi har overskredet en leveransefrist"), "{found:?}");
}

/// A static file server that counts the bytes it sends, so a benchmark can tell how much the
/// browser fetched (Pagefind fetches from a worker, out of reach of the page's timings).
fn counting_server(site: std::path::PathBuf) -> (String, std::sync::Arc<std::sync::atomic::AtomicUsize>) {
    use std::io::{BufRead, BufReader, Write};
    use std::sync::atomic::{AtomicUsize, Ordering};
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let address = listener.local_addr().unwrap().to_string();
    let sent = std::sync::Arc::new(AtomicUsize::new(0));
    let counter = std::sync::Arc::clone(&sent);
    std::thread::spawn(move || {
        for stream in listener.incoming().map_while(Result::ok) {
            let (site, counter) = (site.clone(), std::sync::Arc::clone(&counter));
            std::thread::spawn(move || {
                let mut reader = BufReader::new(stream.try_clone().unwrap());
                let mut line = String::new();
                reader.read_line(&mut line).unwrap_or_default();
                let path = line.split(' ').nth(1).unwrap_or("/").split('?').next().unwrap_or("/").to_string();
                while reader.read_line(&mut String::new()).map(|n| n > 2).unwrap_or(false) {}
                let file = site.join(path.trim_start_matches('/'));
                let file = if file.is_dir() { file.join("index.html") } else { file };
                let (status, body) = match std::fs::read(&file) {
                    Ok(body) => ("200 OK", body),
                    Err(_) => ("404 Not Found", Vec::new()),
                };
                let kind = match file.extension().and_then(|e| e.to_str()) {
                    Some("html") => "text/html",
                    Some("js") => "text/javascript",
                    Some("json") => "application/json",
                    Some("css") => "text/css",
                    _ => "application/octet-stream",
                };
                counter.fetch_add(body.len(), Ordering::SeqCst);
                let mut stream = stream;
                let head = format!(
                    "HTTP/1.1 {status}\r\nContent-Type: {kind}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
                    body.len()
                );
                let _ = stream.write_all(head.as_bytes()).and_then(|_| stream.write_all(&body));
            });
        }
    });
    (address, sent)
}

/// The first query as the search box runs it (`window.touchbookSearch`, from the theme's
/// script): Pagefind and every shard of the edition's index loaded, then the ten best results.
const FIRST_QUERY: &str = r#"const done = arguments[0];
    (async () => {
      const t0 = performance.now();
      const pagefind = await window.touchbookSearch.load();
      const found = await window.touchbookSearch.find(pagefind, 'customer invoice', { filters: {} }, '');
      await Promise.all(found.slice(0, 10).map(r => r.data()));
      window.bench = pagefind;
      done(performance.now() - t0);
    })().catch(e => done(String(e)));"#;

/// Not a test but a measurement (run by `benches/search.sh`): in headless Chromium, over the
/// site built from the playbook in `TOUCHBOOK_BENCH_PLAYBOOK`, the bytes fetched for the first
/// query and the latency of the first and of later queries.
#[test]
#[ignore]
fn search_benchmark() {
    use std::sync::atomic::Ordering;
    let Some(playbook) = std::env::var_os("TOUCHBOOK_BENCH_PLAYBOOK") else { return };
    let Some(browser) = Browser::start() else { return };
    let site = std::path::Path::new(&playbook).join("site");
    assert!(site.join("pagefind/pagefind.js").is_file(), "build the playbook first");
    // Bytes through a server that counts them; times through `touchbook serve` (keep-alive,
    // as staff would use it), each in a fresh page.
    let (address, sent) = counting_server(site);
    browser.goto(&format!("http://{address}/index.html"));
    let before = sent.load(Ordering::SeqCst);
    browser.js_async(FIRST_QUERY);
    let first_bytes = sent.load(Ordering::SeqCst) - before;
    let release = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("target/release/touchbook");
    let binary = if release.exists() { release } else { assert_cmd::cargo::cargo_bin("touchbook") };
    let server = Server::start_binary(&binary, std::path::Path::new(&playbook), std::time::Duration::from_secs(600));
    browser.goto(&format!("http://{}/index.html", server.address));
    let first = browser.js_async(FIRST_QUERY);
    let later = browser.js_async(
        r#"const done = arguments[0];
        (async () => {
          const words = ['password', 'deadline delivery', 'network outage', 'contract renewal', 'apology manager',
            'backup server', 'priority ticket', 'printer office', 'colleague handover', 'listen calmly',
            'supplier migration', 'licence account', 'promise status', 'escalation call'];
          const times = [];
          for (let round = 0; round < 3; round++) for (const q of words) {
            const t0 = performance.now();
            const found = await window.touchbookSearch.find(window.bench, q + (round ? ' ' + words[round] : ''), { filters: {} }, '');
            await Promise.all(found.slice(0, 10).map(r => r.data()));
            times.push(performance.now() - t0);
          }
          times.sort((a, b) => a - b);
          done({ median_ms: times[Math.floor(times.length / 2)], p95_ms: times[Math.floor(times.length * 0.95)], queries: times.length });
        })().catch(e => done(String(e)));"#,
    );
    println!("SEARCH BENCHMARK first query: {first} ms, {first_bytes} bytes fetched; later queries: {later}");
}

#[test]
fn each_edition_searches_only_its_own_content() {
    let Some(browser) = Browser::start() else { return };
    let dir = fixture("divisions");
    let server = Server::start(dir.path());
    let found = search(&browser, &server.address, "norge/index.html", "Bare i Norge");
    assert_eq!(found.first().map(String::as_str), Some("Bare i Norge"), "{found:?}");
    for page in ["index.html", "sverige/index.html"] {
        let found = search(&browser, &server.address, page, "Bare i Norge");
        assert!(!found.iter().any(|t| t.contains("Norge")), "{page}: {found:?}");
    }
    let found = search(&browser, &server.address, "sverige/index.html", "NORGE-SHARED-STORY");
    assert_eq!(found.first().map(String::as_str), Some("NORGE-SHARED-STORY"), "a shared story is everyone's");
}
