//! `serve`'s editor: "Mark reviewed" writes only what it says, only for the server's own pages,
//! and only while `serve` listens on loopback.

use std::io::{Read, Write};
use std::net::TcpStream;
use std::path::Path;
use std::time::Duration;

use crate::support::*;

/// A raw HTTP/1.1 POST with the given extra header lines; returns the status and the body.
fn post(address: &str, path: &str, headers: &str, body: &str) -> (u16, String) {
    let mut stream = TcpStream::connect(address).unwrap();
    stream.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
    write!(
        stream,
        "POST {path} HTTP/1.1\r\n{headers}Content-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    )
    .unwrap();
    let mut response = String::new();
    stream.read_to_string(&mut response).unwrap();
    let status = response.split(' ').nth(1).and_then(|s| s.parse().ok()).unwrap_or(0);
    let body = response.split_once("\r\n\r\n").map(|(_, b)| b.to_string()).unwrap_or_default();
    (status, body)
}

/// The session token the server put into its pages (`<script src="/_edit/editor.js" data-token>`).
fn token(server: &Server) -> String {
    let (_, page) = server.get("/touchpoints/angry-caller.html");
    let at = page.find("/_edit/editor.js\" data-token=\"").expect("the editor's script is in served pages");
    let rest = &page[at + "/_edit/editor.js\" data-token=\"".len()..];
    rest[..rest.find('"').unwrap()].to_string()
}

/// The fingerprint of its file a served item page carries, which "Mark reviewed" sends.
fn built_fingerprint(server: &Server, page: &str) -> String {
    let (_, html) = server.get(page);
    let marker = "data-fingerprint=\"";
    let at = html.find(marker).unwrap_or_else(|| panic!("{page} carries its file's fingerprint"));
    let rest = &html[at + marker.len()..];
    rest[..rest.find('"').unwrap()].to_string()
}

/// The session token from the served page `page`.
fn token_from(server: &Server, page: &str) -> String {
    let (_, html) = server.get(page);
    let marker = "/_edit/editor.js\" data-token=\"";
    let at = html.find(marker).expect("the editor's script is in served pages") + marker.len();
    html[at..at + 32].to_string()
}

/// Polls `script` for up to thirty seconds: the edit page runs `check` over the whole
/// playbook, which takes a while in a debug build on a busy machine.
fn wait_long(browser: &crate::browser::Browser, script: &str) -> bool {
    (0..3).any(|_| browser.wait_until(script))
}

/// Every file under `content/`, to show that a refused request changed nothing.
fn content_of(dir: &Path) -> std::collections::BTreeMap<String, Vec<u8>> {
    tree(&dir.join("content"))
}

#[test]
fn mark_reviewed_writes_today_and_the_name_and_nothing_else() {
    let dir = fixture("base");
    let file = dir.path().join("content/touchpoints/angry-caller.md");
    // Comments, CRLF line endings and an unusual layout must come through untouched.
    let before = read(&file)
        .replace("owner = \"Desk lead\"", "owner   =   \"Desk lead\"  # ask her first")
        .replace('\n', "\r\n");
    std::fs::write(&file, &before).unwrap();
    let server = Server::start(dir.path());
    let address = &server.address;
    let own = format!("Host: {address}\r\nOrigin: http://{address}\r\nX-Touchbook-Token: {}\r\n", token(&server));
    let opened = built_fingerprint(&server, "/touchpoints/angry-caller.html");
    let body = format!(r#"{{"page": "/touchpoints/angry-caller.html", "name": "Kari", "opened": "{opened}"}}"#);
    let (status, answer) = post(address, "/_edit/review", &own, &body);
    assert_eq!(status, 200, "{answer}");
    let json: serde_json::Value = serde_json::from_str(&answer).unwrap();
    assert_eq!(json["file"], "content/touchpoints/angry-caller.md");
    // The build date of the tests is 1 November 2026.
    let expected = before.replace("reviewed = 2026-03-03\r\n", "reviewed = 2026-11-01\r\nreviewed-by = \"Kari\"\r\n");
    assert_eq!(read(&file), expected, "only `reviewed` changed and `reviewed-by` was added");
    let page =
        server.wait_for("/touchpoints/angry-caller.html", |html| html.contains("Reviewed by Kari on 1 November 2026"));
    assert_eq!(
        text_of(&page, ".review-state .review-last"),
        "Reviewed by Kari on 1 November 2026",
        "the served page shows the review"
    );

    // In a division's edition, the page's own file is the one reviewed: here the central one,
    // as Norway has no overlay of this message.
    let message = dir.path().join("content/messages/we-own-it.md");
    let opened = built_fingerprint(&server, "/norge/messages/we-own-it.html");
    let body = format!(r#"{{"page": "/norge/messages/we-own-it.html", "name": "Ingrid", "opened": "{opened}"}}"#);
    let (status, answer) = post(address, "/_edit/review", &own, &body);
    assert_eq!(status, 200, "{answer}");
    let table: toml::Table = read(&message).split("+++").nth(1).unwrap().parse().unwrap();
    assert_eq!(table["reviewed-by"].as_str(), Some("Ingrid"));
    assert_eq!(table["campaign"]["name"].as_str(), Some("Ownership spring"), "the table stays a table");
}

#[test]
fn writes_from_elsewhere_or_to_elsewhere_are_refused() {
    let dir = fixture("base");
    let server = Server::start(dir.path());
    let address = &server.address;
    let port = address.rsplit(':').next().unwrap();
    let token = token(&server);
    let before = content_of(dir.path());
    let body = r#"{"page": "/touchpoints/angry-caller.html", "name": "Mallory"}"#;
    let cases = [
        ("no token", format!("Host: {address}\r\nOrigin: http://{address}\r\n"), 403),
        (
            "a wrong token",
            format!("Host: {address}\r\nOrigin: http://{address}\r\nX-Touchbook-Token: {}\r\n", "0".repeat(32)),
            403,
        ),
        (
            "another site",
            format!("Host: {address}\r\nOrigin: http://evil.example:{port}\r\nX-Touchbook-Token: {token}\r\n"),
            403,
        ),
        ("no origin", format!("Host: {address}\r\nX-Touchbook-Token: {token}\r\n"), 403),
        (
            "a foreign host (DNS rebinding)",
            format!(
                "Host: evil.example:{port}\r\nOrigin: http://evil.example:{port}\r\nX-Touchbook-Token: {token}\r\n"
            ),
            403,
        ),
    ];
    for (what, headers, status) in cases {
        assert_eq!(post(address, "/_edit/review", &headers, body).0, status, "{what}");
    }
    let own = format!("Host: {address}\r\nOrigin: http://{address}\r\nX-Touchbook-Token: {token}\r\n");
    for page in [
        "/../book.toml",
        "/touchpoints/../../book.html",
        "/index.html",
        "/touchpoints/nobody.html",
        "/finland/touchpoints/angry-caller.html",
    ] {
        let body = format!(r#"{{"page": "{page}", "name": "Mallory"}}"#);
        let (status, answer) = post(address, "/_edit/review", &own, &body);
        assert_eq!(status, 422, "{page}: {answer}");
    }
    let opened = built_fingerprint(&server, "/touchpoints/angry-caller.html");
    let body = format!(r#"{{"page": "/touchpoints/angry-caller.html", "name": "  ", "opened": "{opened}"}}"#);
    let (status, answer) = post(address, "/_edit/review", &own, &body);
    assert_eq!(status, 422, "a name is needed: {answer}");
    // Without the fingerprint of the page as built, or with another, nothing is marked.
    for opened in ["", "0123"] {
        let body = format!(r#"{{"page": "/touchpoints/angry-caller.html", "name": "Kari", "opened": "{opened}"}}"#);
        let (status, answer) = post(address, "/_edit/review", &own, &body);
        assert_eq!(status, 409, "{answer}");
        assert_eq!(serde_json::from_str::<serde_json::Value>(&answer).unwrap()["changed"], true);
    }
    assert_eq!(content_of(dir.path()), before, "nothing was written");
}

#[test]
fn the_editor_is_off_unless_serve_listens_on_loopback_only() {
    let dir = fixture("base");
    let mut child = std::process::Command::new(assert_cmd::cargo::cargo_bin("touchbook"))
        .current_dir(dir.path())
        .env("SOURCE_DATE_EPOCH", SOURCE_DATE_EPOCH)
        .args(["serve", "--port", "0", "--host", "0.0.0.0"])
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let mut said = String::new();
    let mut stderr = std::io::BufReader::new(child.stderr.take().unwrap());
    let port = loop {
        let mut line = String::new();
        if std::io::BufRead::read_line(&mut stderr, &mut line).unwrap() == 0 {
            break None;
        }
        said.push_str(&line);
        if let Some(rest) = line.split("at http://").nth(1) {
            break rest.split('/').next().and_then(|a| a.rsplit(':').next()).map(str::to_string);
        }
    };
    let port = port.expect("serve prints its address");
    let address = format!("127.0.0.1:{port}");
    let mut line = String::new();
    std::io::BufRead::read_line(&mut stderr, &mut line).unwrap();
    said.push_str(&line);
    let mut stream = TcpStream::connect(&address).unwrap();
    write!(stream, "GET /touchpoints/angry-caller.html HTTP/1.1\r\nHost: {address}\r\nConnection: close\r\n\r\n")
        .unwrap();
    let mut page = String::new();
    stream.read_to_string(&mut page).unwrap();
    let headers = format!("Host: {address}\r\nOrigin: http://{address}\r\n");
    let (status, _) =
        post(&address, "/_edit/review", &headers, r#"{"page": "/touchpoints/angry-caller.html", "name": "Kari"}"#);
    let _ = child.kill();
    let _ = child.wait();
    assert!(said.contains("the editor is off"), "serve says so: {said}");
    assert!(!page.contains("/_edit/editor.js"), "no editor in the pages");
    assert_ne!(status, 200);
    assert!(!read(dir.path().join("content/touchpoints/angry-caller.md")).contains("Kari"));
}

#[test]
fn a_trainer_marks_reviews_in_the_browser_on_the_page_and_on_the_review_page() {
    let Some(browser) = crate::browser::Browser::start() else { return };
    let dir = fixture("base");
    let server = Server::start(dir.path());
    browser.goto(&format!("http://{}/touchpoints/angry-caller.html", server.address));
    assert!(
        browser.wait_until("return !document.querySelector('form.mark-reviewed').hidden"),
        "the editor shows the form"
    );
    browser.type_into("form.mark-reviewed input[name=reviewer]", "Kari");
    // The keyboard alone: Enter in the name field sends the form.
    browser.type_into("form.mark-reviewed input[name=reviewer]", "\u{E007}");
    assert!(
        wait_long(&browser, "return document.querySelector('.review-state .review-last').textContent === 'Reviewed by Kari on 1 November 2026'"),
        "the page reloads with the review"
    );
    let file = read(dir.path().join("content/touchpoints/angry-caller.md"));
    assert!(file.contains("reviewed = 2026-11-01\nreviewed-by = \"Kari\"\n"), "{file}");

    // The name is remembered; on the review page each row has its button.
    browser.goto(&format!("http://{}/review.html", server.address));
    assert!(wait_long(
        &browser,
        "return document.querySelector('#review-board input[name=reviewer]').value === 'Kari'"
    ));
    browser.click("tbody[data-review-list=due] tr[data-review-row] button[aria-label='Mark reviewed: Renewal talk']");
    let renewal = dir.path().join("content/touchpoints/renewal-talk.md");
    let start = std::time::Instant::now();
    while !read(&renewal).contains("reviewed-by = \"Kari\"") && start.elapsed() < Duration::from_secs(10) {
        std::thread::sleep(Duration::from_millis(50));
    }
    assert!(read(&renewal).contains("reviewed = 2026-11-01\nreviewed-by = \"Kari\""), "{}", read(&renewal));
    let moved = "return !Array.from(document.querySelectorAll('tbody[data-review-list=due] a')).some(function (a) { return a.textContent === 'Renewal talk'; })";
    assert!(wait_long(&browser, moved), "after the reload, Renewal talk is no longer due");
}

#[test]
fn mark_reviewed_is_refused_when_the_file_changed_since_the_page_was_built() {
    let Some(browser) = crate::browser::Browser::start() else { return };
    let dir = fixture("divisions");
    let server = Server::start(dir.path());
    let file = dir.path().join("content/divisions/norge/touchpoints/alpha.md");
    browser.goto(&format!("http://{}/norge/touchpoints/alpha.html", server.address));
    assert!(browser.wait_until("return !document.querySelector('form.mark-reviewed').hidden"));
    // A `git pull` brings a new version with an error: the site keeps the page as it was built,
    // which is not the text on disk any more.
    let pulled = read(&file).replacen("+++\n", "+++\nnot-a-key = 1\n", 1);
    std::fs::write(&file, &pulled).unwrap();
    std::thread::sleep(Duration::from_millis(1500));
    // The keyboard alone (serve's notice of the build error covers part of the page).
    browser.type_into("form.mark-reviewed input[name=reviewer]", "Kari\u{E007}");
    let said = "return document.querySelector('form.mark-reviewed output').textContent";
    assert!(
        wait_long(&browser, &format!("{said}.indexOf('Ikke merket: filen er endret') === 0")),
        "the refusal is in the edition's language: {:?}",
        browser.js(said)
    );
    assert_eq!(read(&file), pulled, "nothing was marked");
}

#[test]
fn mark_as_up_to_date_refreshes_a_divisions_translation_and_nothing_else() {
    let dir = fixture("divisions");
    let overlay = dir.path().join("content/divisions/norge/touchpoints/beta.md");
    let before = read(&overlay);
    assert!(before.contains("localised-from = \"0000000000\""), "the fixture's translation is outdated");
    let outdated = |dir: &Path| {
        stderr(&run(dir, &["check"])).contains("norge/touchpoints/beta.md:2:18: warning: the central file changed")
    };
    assert!(outdated(dir.path()));
    let server = Server::start(dir.path());
    let address = &server.address;
    let (_, page) = server.get("/norge/touchpoints/beta.html");
    let at = page.find("data-token=\"").unwrap() + "data-token=\"".len();
    let own = format!("Host: {address}\r\nOrigin: http://{address}\r\nX-Touchbook-Token: {}\r\n", &page[at..at + 32]);
    for refused in ["/touchpoints/beta.html", "/norge/touchpoints/only-norge.html", "/sverige/touchpoints/beta.html"] {
        let (status, answer) = post(address, "/_edit/refresh", &own, &format!(r#"{{"page": "{refused}"}}"#));
        assert_eq!(status, 422, "{refused} has no translation to refresh: {answer}");
    }
    let no_token = format!("Host: {address}\r\nOrigin: http://{address}\r\n");
    assert_eq!(post(address, "/_edit/refresh", &no_token, r#"{"page": "/norge/touchpoints/beta.html"}"#).0, 403);
    assert_eq!(read(&overlay), before);

    let Some(browser) = crate::browser::Browser::start() else { return };
    browser.goto(&format!("http://{address}/norge/touchpoints/beta.html"));
    assert!(wait_long(
        &browser,
        "return !!document.querySelector('.notice-outdated') && !document.querySelector('form.mark-current').hidden"
    ));
    browser.click("form.mark-current button");
    assert!(
        wait_long(&browser, "return !document.querySelector('.notice-outdated')"),
        "the page reloads as up to date"
    );
    let after = read(&overlay);
    let hash =
        after.lines().nth(1).unwrap().trim_start_matches("localised-from = \"").trim_end_matches('"').to_string();
    assert_eq!(after, before.replace("0000000000", &hash), "only the hash changed");
    assert!(!outdated(dir.path()));
}

#[test]
fn a_trainer_edits_a_file_sees_its_error_fixes_it_and_meets_a_conflict() {
    let Some(browser) = crate::browser::Browser::start() else { return };
    let dir = fixture("base");
    let file = dir.path().join("content/touchpoints/late-invoice.md");
    let original = read(&file);
    let server = Server::start(dir.path());
    let address = &server.address;
    browser.goto(&format!("http://{address}/touchpoints/late-invoice.html"));
    assert!(wait_long(&browser, "return !!document.querySelector('a.edit-in-browser')"), "the page has Edit");
    browser.click("a.edit-in-browser");
    assert!(wait_long(&browser, "return !!document.getElementById('touchbook-editor')"), "the edit page opens");
    assert_eq!(browser.js("return document.getElementById('source').value"), original.as_str());

    // The page passes axe and works with the keyboard: the text area and Save are reachable.
    if let Some(axe) = crate::a11y::axe_source() {
        browser.js(&format!("{axe}\nreturn null;"));
        let violations = browser.js_async("const done = arguments[0]; axe.run(document).then(r => done(r.violations.map(v => v.id))).catch(e => done([String(e)]));");
        assert_eq!(violations, serde_json::json!([]), "axe on the edit page");
    }

    // A mistake is saved (work in progress is never lost) and shown in check's own words.
    let broken = original.replace("stage = \"first-contact\"", "stage = \"first-contakt\"");
    assert_ne!(broken, original, "the fixture names its stage");
    // Typed as a trainer would change the text: the value, then an input event.
    let set = |text: &str| {
        let script = "const s = document.getElementById('source'); s.value = TEXT; s.dispatchEvent(new Event('input')); return null;";
        browser.js(&script.replace("TEXT", &serde_json::to_string(text).unwrap()));
    };
    set(&broken);
    // While typing, before any save: the error in check's words, and nothing written.
    assert!(wait_long(&browser,
        "return document.getElementById('editor-diagnostics').textContent.indexOf('is not a stage of the journey') !== -1"
    ));
    assert_eq!(read(&file), original, "a preview writes nothing");
    browser.click("#touchbook-editor button[type=submit]");
    assert!(wait_long(
        &browser,
        "return document.getElementById('editor-status').textContent.indexOf('last good version') !== -1"
    ));
    assert_eq!(read(&file), broken);
    let shown =
        browser.js("return document.getElementById('editor-diagnostics').textContent").as_str().unwrap().to_string();
    let command_line = stderr(&run(dir.path(), &["check"]));
    let said = command_line.lines().find(|l| l.contains("is not a stage of the journey")).expect("check reports it");
    assert!(shown.contains(said), "the editor says what check says: {shown:?} vs {said:?}");

    // The fix, with a new summary, is saved byte for byte and the served page shows it.
    let fixed = original.replace("summary = \"", "summary = \"Reworded. ");
    set(&fixed);
    let ok = wait_long(
        &browser,
        "return (document.getElementById('editor-preview').srcdoc || '').indexOf('Reworded. ') !== -1",
    );
    assert!(ok, "the preview is the page as the site will show it");
    browser.click("#touchbook-editor button[type=submit]");
    assert!(wait_long(&browser, "return document.getElementById('editor-status').textContent === 'Saved.'"));
    assert_eq!(read(&file), fixed);
    let page = server.wait_for("/touchpoints/late-invoice.html", |html| html.contains("Reworded. "));
    assert!(page.contains("Reworded. "), "the site shows the change");

    // Someone else changes the file: the next save is refused and shows the file as it is.
    let theirs = fixed.replace("Reworded. ", "Changed by git pull. ");
    std::fs::write(&file, &theirs).unwrap();
    set(&fixed.replace("Reworded. ", "Mine. "));
    browser.click("#touchbook-editor button[type=submit]");
    assert!(wait_long(&browser, "return !document.getElementById('editor-conflict').hidden"), "the conflict is shown");
    assert_eq!(browser.js("return document.getElementById('current').value"), theirs.as_str());
    assert_eq!(read(&file), theirs, "nothing was overwritten");
}

#[test]
fn saves_need_the_token_and_the_servers_own_origin() {
    let dir = fixture("base");
    let server = Server::start(dir.path());
    let address = &server.address;
    let port = address.rsplit(':').next().unwrap();
    let token = token(&server);
    let before = content_of(dir.path());
    let opened = {
        let (_, page) = server.get("/_edit/page?page=%2Ftouchpoints%2Fangry-caller.html");
        let at = page.find("data-opened=\"").expect("the edit page") + "data-opened=\"".len();
        page[at..at + 64].to_string()
    };
    let body = serde_json::json!({ "page": "/touchpoints/angry-caller.html", "text": "+++\n+++\n", "opened": opened })
        .to_string();
    for headers in [
        format!("Host: {address}\r\nOrigin: http://{address}\r\n"),
        format!("Host: {address}\r\nOrigin: http://evil.example:{port}\r\nX-Touchbook-Token: {token}\r\n"),
        format!("Host: evil.example:{port}\r\nOrigin: http://evil.example:{port}\r\nX-Touchbook-Token: {token}\r\n"),
    ] {
        assert_eq!(post(address, "/_edit/save", &headers, &body).0, 403, "{headers}");
    }
    let own = format!("Host: {address}\r\nOrigin: http://{address}\r\nX-Touchbook-Token: {token}\r\n");
    let elsewhere = serde_json::json!({ "page": "/../book.toml", "text": "x", "opened": opened }).to_string();
    assert_eq!(post(address, "/_edit/save", &own, &elsewhere).0, 422);
    assert_eq!(content_of(dir.path()), before, "nothing was written");
    assert_eq!(read(dir.path().join("book.toml")), read(fixtures().join("base/book.toml")));
}

#[test]
fn a_new_touch_point_from_the_list_is_never_reviewed_and_never_replaces_a_file() {
    let Some(browser) = crate::browser::Browser::start() else { return };
    let dir = fixture("base");
    let server = Server::start(dir.path());
    let address = &server.address;
    browser.goto(&format!("http://{address}/touchpoints/index.html"));
    assert!(
        browser.wait_until("return !document.querySelector('form.new-item').hidden"),
        "the list has New touch point"
    );
    assert_eq!(browser.js("return document.querySelector('form.new-item button').textContent"), "New touch point");
    browser.type_into("form.new-item input[name=title]", "Angry caller\u{E007}");
    assert!(
        wait_long(&browser, "return !!document.getElementById('touchbook-editor')"),
        "the new file's edit page opens"
    );
    // "Angry caller" is taken: the new file gets a name of its own.
    let created = dir.path().join("content/touchpoints/angry-caller-2.md");
    let text = read(&created);
    assert_eq!(browser.js("return document.getElementById('source').value"), text.as_str());
    assert!(text.contains("title = \"Angry caller\"") && !text.contains("reviewed"), "{text}");
    assert!(
        read(dir.path().join("content/touchpoints/angry-caller.md")).contains("MARKER-SITUATION"),
        "the old one stays"
    );
    let page = server.wait_for("/touchpoints/angry-caller-2.html", |html| html.contains("Never reviewed"));
    assert_eq!(text_of(&page, ".review-state"), "Never reviewed", "the new page is served as never reviewed");

    // A division's list makes the item in the division's folder; other pages make nothing.
    let token = token(&server);
    let own = format!("Host: {address}\r\nOrigin: http://{address}\r\nX-Touchbook-Token: {token}\r\n");
    let (status, answer) =
        post(address, "/_edit/new", &own, r#"{"page": "/norge/practices/index.html", "title": "Kari på telefonen"}"#);
    assert_eq!(status, 200, "{answer}");
    let json: serde_json::Value = serde_json::from_str(&answer).unwrap();
    let file = json["file"].as_str().unwrap();
    assert!(file.starts_with("content/divisions/norge/practices/"), "{answer}");
    assert!(read(dir.path().join(file)).contains("title = \"Kari på telefonen\""), "{answer}");
    let before = content_of(dir.path());
    for page in [
        "/index.html",
        "/touchpoints/angry-caller.html",
        "/finland/touchpoints/index.html",
        "/../touchpoints/index.html",
    ] {
        let body = format!(r#"{{"page": "{page}", "title": "Sneaky"}}"#);
        assert_eq!(post(address, "/_edit/new", &own, &body).0, 422, "{page}");
    }
    let no_token = format!("Host: {address}\r\nOrigin: http://{address}\r\n");
    assert_eq!(
        post(address, "/_edit/new", &no_token, r#"{"page": "/touchpoints/index.html", "title": "Sneaky"}"#).0,
        403
    );
    assert_eq!(content_of(dir.path()), before, "nothing more was written");
}

#[test]
fn translate_starts_a_divisions_version_beside_the_central_text() {
    let Some(browser) = crate::browser::Browser::start() else { return };
    let dir = fixture("base");
    let server = Server::start(dir.path());
    let address = &server.address;
    let own = format!("Host: {address}\r\nOrigin: http://{address}\r\nX-Touchbook-Token: {}\r\n", token(&server));
    let (status, _) = post(address, "/_edit/translate", &own, r#"{"page": "/touchpoints/angry-caller.html"}"#);
    assert_eq!(status, 422, "the central edition has nothing to translate");

    browser.goto(&format!("http://{address}/norge/touchpoints/angry-caller.html"));
    assert!(wait_long(
        &browser,
        "return !!document.querySelector('.notice-untranslated') && !document.querySelector('form.translate').hidden"
    ));
    assert_eq!(browser.js("return document.querySelector('form.translate button').textContent"), "Oversett");
    browser.click("form.translate button");
    assert!(wait_long(&browser, "return !!document.getElementById('touchbook-editor')"), "the translation opens");
    let overlay = dir.path().join("content/divisions/norge/touchpoints/angry-caller.md");
    let central = read(dir.path().join("content/touchpoints/angry-caller.md"));
    let started = read(&overlay);
    assert!(started.starts_with("+++\nlocalised-from = \""), "as localise writes it: {started}");
    assert_eq!(browser.js("return document.getElementById('source').value"), started.as_str());
    assert_eq!(
        browser.js("return document.querySelector('pre.central-text').textContent"),
        central.as_str(),
        "the central text beside it"
    );
    assert_eq!(browser.js("return document.documentElement.lang"), "nb", "in the edition's language");

    let translated = started.replace("title = \"Angry caller\"", "title = \"Sint innringer\"");
    browser.js(&format!(
        "document.getElementById('source').value = {}; return null;",
        serde_json::to_string(&translated).unwrap()
    ));
    browser.click("#touchbook-editor button[type=submit]");
    assert!(wait_long(&browser, "return document.getElementById('editor-status').textContent === 'Lagret.'"));
    let page = server.wait_for("/norge/touchpoints/angry-caller.html", |html| html.contains("Sint innringer"));
    assert_eq!(text_of(&page, "h1"), "Sint innringer", "the division's page shows it");
    assert!(select(&page, ".notice-untranslated").is_empty() && !page.contains("notice-untranslated"));
}

/// Runs git in `dir` with a fixed author, so commits need no configuration of the machine.
fn git(dir: &Path, args: &[&str]) {
    let status = std::process::Command::new("git")
        .current_dir(dir)
        .args(["-c", "user.name=Test", "-c", "user.email=test@example.com", "-c", "commit.gpgsign=false"])
        .args(args)
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .status()
        .expect("git is installed");
    assert!(status.success(), "git {args:?}");
}

/// axe-core's violations on the browser's page (none when axe is not installed).
fn axe_violations(browser: &crate::browser::Browser) -> serde_json::Value {
    let Some(axe) = crate::a11y::axe_source() else { return serde_json::json!([]) };
    browser.js(&format!("{axe}\nreturn null;"));
    browser.js_async("const done = arguments[0]; axe.run(document).then(r => done(r.violations.map(v => v.id + ': ' + v.nodes.map(n => n.target.join(' ')).join(', ')))).catch(e => done([String(e)]));")
}

#[test]
fn an_outdated_translation_shows_what_changed_in_the_central_text_from_git_history() {
    let dir = fixture("divisions");
    let central = dir.path().join("content/touchpoints/alpha.md");
    let overlay = dir.path().join("content/divisions/norge/touchpoints/alpha.md");
    let made_from = read(&central);
    let hash = read(&overlay)
        .lines()
        .nth(1)
        .unwrap()
        .trim_start_matches("localised-from = \"")
        .trim_end_matches('"')
        .to_string();
    git(dir.path(), &["init", "-q"]);
    git(dir.path(), &["add", "-A"]);
    git(dir.path(), &["commit", "-q", "-m", "The translation is made from this"]);
    // Two later central versions: one committed, one still only on disk.
    std::fs::write(&central, made_from.replace("CENTRAL-SITUATION-alpha", "CENTRAL-SITUATION-alpha, reworded"))
        .unwrap();
    git(dir.path(), &["commit", "-q", "-am", "Reworded"]);
    let today = made_from
        .replace("CENTRAL-SITUATION-alpha", "CENTRAL-SITUATION-alpha, reworded")
        .replace("- Do: CENTRAL-BEHAVIOUR-alpha", "- Do: NEW-BEHAVIOUR-alpha");
    std::fs::write(&central, &today).unwrap();

    let server = Server::start(dir.path());
    let Some(browser) = crate::browser::Browser::start() else { return };
    browser.goto(&format!("http://{}/_edit/page?page=%2Fnorge%2Ftouchpoints%2Falpha.html", server.address));
    assert!(wait_long(&browser, "return !!document.getElementById('central-changes')"), "the changes are shown");
    let lines = |selector: &str| {
        browser.js(&format!("return Array.from(document.querySelectorAll('#central-changes {selector}')).map(function (e) {{ return e.textContent; }})"))
    };
    assert_eq!(lines("del"), serde_json::json!(["- CENTRAL-SITUATION-alpha", "- - Do: CENTRAL-BEHAVIOUR-alpha"]));
    assert_eq!(lines("ins"), serde_json::json!(["+ CENTRAL-SITUATION-alpha, reworded", "+ - Do: NEW-BEHAVIOUR-alpha"]));
    assert_eq!(
        browser.js("return document.getElementById('h-changes').textContent"),
        "Dette er endret i den sentrale teksten siden du oversatte"
    );
    assert_eq!(axe_violations(&browser), serde_json::json!([]), "axe on the edit page with the changes");
    assert_eq!(read(&overlay).lines().nth(1).unwrap(), format!("localised-from = \"{hash}\""), "nothing written");

    // The version it was made from is not in the history (rewritten, never committed).
    std::fs::write(&overlay, read(&overlay).replace(&hash, "00000000ff")).unwrap();
    let (_, page) = server.get("/_edit/page?page=%2Fnorge%2Ftouchpoints%2Falpha.html");
    assert!(page.contains("finnes ikke i håndbokas git-historikk"), "{page}");
    assert!(!page.contains("<del"), "no changes are made up");
}

#[test]
fn without_git_history_the_editor_says_the_earlier_central_text_cannot_be_shown() {
    let dir = fixture("divisions");
    let central = dir.path().join("content/touchpoints/alpha.md");
    std::fs::write(&central, read(&central).replace("CENTRAL-SITUATION-alpha", "CENTRAL-SITUATION-alpha, reworded"))
        .unwrap();
    let server = Server::start(dir.path());
    let (_, page) = server.get("/_edit/page?page=%2Fnorge%2Ftouchpoints%2Falpha.html");
    assert!(page.contains("ikke ligger i et git-repo"), "{page}");
    assert!(!page.contains("<del"), "{page}");
    // A division's own item has no central text to compare.
    let (_, page) = server.get("/_edit/page?page=%2Fnorge%2Ftouchpoints%2Fonly-norge.html");
    assert!(page.contains("touchbook-editor") && !page.contains("central-changes"), "{page}");
}

#[test]
fn a_line_manager_logs_a_week_from_the_divisions_rollout_page() {
    let Some(browser) = crate::browser::Browser::start() else { return };
    let dir = fixture("divisions");
    let file = dir.path().join("content/divisions/norge/checkins/everywhere.md");
    let book = dir.path().join("book.toml");
    let teams = read(&book).replacen(
        "language = \"nb\"\n",
        "language = \"nb\"\nteams = [\"oslo-desk\", \"bergen-field\"]\n",
        1,
    );
    std::fs::write(&book, teams).unwrap();
    let server = Server::start(dir.path());
    let address = &server.address;
    // The central edition's rollout page has no such button: check-ins belong to a division.
    let (_, central) = server.get("/rollouts/everywhere.html");
    assert!(!central.contains("log-week-editor"), "no Log this week in the central edition");
    browser.goto(&format!("http://{address}/norge/rollouts/everywhere.html"));
    assert!(wait_long(&browser, "return !document.querySelector('.log-week-editor').hidden"), "the button shows");
    assert_eq!(browser.js("return document.querySelector('.log-week-editor a').textContent"), "Registrer denne uken");
    browser.click(".log-week-editor a");
    assert!(wait_long(&browser, "return !!document.getElementById('log-week')"), "the form opens");
    assert_eq!(browser.js("return document.documentElement.lang"), "nb");
    // Only the rollout's own weeks and touch points are offered, under their titles.
    assert_eq!(
        browser.js(
            "return Array.from(document.querySelectorAll('#log-number option')).map(function (o) { return o.value; })"
        ),
        serde_json::json!(["1", "2"])
    );
    assert_eq!(browser.js("return document.querySelector('label[for=log-tp-0]').textContent"), "Alfa NO-OVERLAY-TITLE");
    assert_eq!(axe_violations(&browser), serde_json::json!([]), "axe on the check-in form");

    // A meeting before Norge's start is refused in check's words, and nothing is written.
    let fill = |held_on: &str, number: &str| {
        browser.js(&format!(
            "document.getElementById('log-held-on').value = '{held_on}'; document.getElementById('log-number').value = '{number}'; return null;"
        ));
    };
    fill("2026-10-06", "1");
    browser.type_into("#log-action", "Ring tilbake \"samme dag\".");
    browser.click("#log-week button[type=submit]");
    let diagnostics = "return document.getElementById('log-diagnostics').textContent";
    assert!(
        wait_long(&browser, &format!("{diagnostics}.indexOf('before Norge starts `everywhere` on 2026-10-12') !== -1")),
        "{:?}",
        browser.js(diagnostics)
    );
    assert!(!file.exists(), "nothing written");

    // The keyboard alone: the touch point's box, the obstacle, sharing, then Save.
    fill("2026-10-13", "1");
    browser.type_into("#log-attendees", "12");
    browser.type_into("#log-tp-0", " ");
    browser.js("document.getElementById('log-obstacle').value = '3'; return null;");
    browser.type_into("#log-obstacle-note", "Saksverktøyet viser ikke ventetid.");
    browser.type_into("#log-share", " ");
    browser.click("#log-week button[type=submit]");
    assert!(
        wait_long(
            &browser,
            "return document.getElementById('log-status').textContent.indexOf('Lagret i fila for ukemøtene') === 0"
        ),
        "{:?}",
        browser.js("return document.getElementById('log-status').textContent")
    );
    let first = "+++\n[[week]]\nnumber = 1\nheld-on = 2026-10-13\nattendees = 12\npractised = [\"alpha\"]\naction = 'Ring tilbake \"samme dag\".'\nobstacle = 3\nobstacle-note = \"Saksverktøyet viser ikke ventetid.\"\nshare = true\n+++\n";
    assert_eq!(read(&file), first);
    let page = server.wait_for("/norge/rollouts/everywhere.html", |html| html.contains("Ring tilbake"));
    assert!(page.contains("Ring tilbake &quot;samme dag&quot;."), "the division's page shows the week");

    // The same week again is refused; the next week is added below, the rest kept byte for byte.
    browser.click("#log-week button[type=submit]");
    assert!(wait_long(&browser, "return document.getElementById('log-status').textContent.indexOf('Ikke lagret: denne uken er allerede registrert') === 0"));
    assert_eq!(read(&file), first);
    let with_comment = first.replace("number = 1\n", "number = 1   # the kick-off\n");
    std::fs::write(&file, &with_comment).unwrap();
    fill("2026-10-20", "2");
    // Where book.toml lists teams, the week may be one team's.
    assert_eq!(
        browser.js("return Array.from(document.querySelectorAll('#log-team option')).map(function (o) { return o.textContent; })"),
        serde_json::json!(["Hele divisjonen (felles møte)", "Oslo desk", "Bergen field"])
    );
    browser.js("document.getElementById('log-team').value = 'oslo-desk'; return null;");
    browser.click("#log-week button[type=submit]");
    assert!(wait_long(&browser, "return document.getElementById('log-status').textContent.indexOf('Lagret') === 0"));
    let after = read(&file);
    let kept = with_comment.trim_end_matches("+++\n");
    assert!(after.starts_with(kept) && after.ends_with("share = true\n+++\n"), "{after}");
    assert!(
        after[kept.len()..].starts_with("\n[[week]]\nnumber = 2\nteam = \"oslo-desk\"\nheld-on = 2026-10-20\n"),
        "{after}"
    );

    // Only with the session's token, and only for a division's rollout page.
    let token = token_from(&server, "/norge/rollouts/everywhere.html");
    let own = format!("Host: {address}\r\nOrigin: http://{address}\r\nX-Touchbook-Token: {token}\r\n");
    let week = r#""week": {"number": 2, "held-on": "2026-10-21"}"#;
    for page in ["/rollouts/everywhere.html", "/norge/touchpoints/alpha.html", "/norge/rollouts/../../book.html"] {
        let (status, answer) = post(address, "/_edit/checkin", &own, &format!(r#"{{"page": "{page}", {week}}}"#));
        assert_eq!(status, 422, "{page}: {answer}");
    }
    let no_token = format!("Host: {address}\r\nOrigin: http://{address}\r\n");
    let body = format!(r#"{{"page": "/norge/rollouts/everywhere.html", {week}}}"#);
    assert_eq!(post(address, "/_edit/checkin", &no_token, &body).0, 403);
    assert_eq!(read(&file), after, "nothing more was written");
}

#[test]
fn the_form_follows_the_schema_shows_problems_at_their_field_and_changes_only_what_changed() {
    let Some(browser) = crate::browser::Browser::start() else { return };
    let dir = fixture("base");
    let file = dir.path().join("content/touchpoints/late-invoice.md");
    // A comment, an odd layout and a mistake in the stage, as a text editor might have left them.
    let original = read(&file)
        .replace("stage = \"first-contact\"", "stage = \"first-contakt\"   # where it starts")
        .replace("difficulty = 2", "difficulty  =  2");
    std::fs::write(&file, &original).unwrap();
    let server = Server::start(dir.path());
    browser.goto(&format!("http://{}/_edit/page?page=%2Ftouchpoints%2Flate-invoice.html", server.address));
    assert!(wait_long(&browser, "return !!document.getElementById('editor-form')"), "the form is shown");
    let js = |script: &str| browser.js(script);
    let options = "return Array.from(document.querySelectorAll('#field-stage option')).map(function (o) { return o.textContent; })";
    assert_eq!(js(options), serde_json::json!(["Not set", "First contact", "Support", "Renewal", "first-contakt"]));
    assert_eq!(js("return document.getElementById('field-stage').value"), "first-contakt", "the form shows the file");
    assert_eq!(
        js("return document.querySelector('#field-frequency option:checked').textContent"),
        "5 – Many times a day",
        "the playbook's words for the scale"
    );
    assert_eq!(js("return document.querySelector('#field-difficulty option:checked').textContent"), "2 – Easy");
    let checked = |key: &str| {
        js(&format!("return Array.from(document.querySelectorAll('#choices-{key} input:checked')).map(function (b) {{ return b.value; }})"))
    };
    assert_eq!(checked("channels"), serde_json::json!(["phone", "email"]), "in book.toml's order");
    assert_eq!(js("return document.querySelector('label[for=section-1]').textContent"), "Situation");
    assert_eq!(js("return document.querySelector('label[for=section-2]').textContent"), "What we do");
    assert_eq!(axe_violations(&browser), serde_json::json!([]), "axe on the form");

    // check's words for the stage appear under the stage, for a broken link under its section.
    let problem = |field: &str| js(&format!("return document.getElementById('problems-{field}').textContent"));
    assert!(
        wait_long(&browser, "return document.getElementById('problems-stage').textContent.indexOf('is not a stage of the journey') !== -1"),
        "{:?}",
        problem("stage")
    );
    assert_eq!(js("return document.getElementById('field-stage').getAttribute('aria-invalid')"), "true");
    browser.type_into("#section-1", "See [the guide](nowhere.md).\n");
    assert!(
        wait_long(
            &browser,
            "return document.getElementById('problems-section-1').textContent.indexOf('nowhere.md') !== -1"
        ),
        "{:?} / {:?}",
        problem("section-1"),
        js("return document.getElementById('editor-diagnostics').textContent")
    );
    assert_eq!(read(&file), original, "typing writes nothing");

    // The stage chosen from the list fixes it; a related touch point is found by typing its title.
    js("var s = document.getElementById('field-stage'); s.value = 'support'; s.dispatchEvent(new Event('change', { bubbles: true })); return null;");
    assert!(wait_long(&browser, "return document.getElementById('problems-stage').hidden"), "{:?}", problem("stage"));
    browser.type_into("#filter-related", "renew");
    let shown = "return Array.from(document.querySelectorAll('#choices-related li')).filter(function (li) { return !li.hidden; }).map(function (li) { return li.textContent.trim(); })";
    assert_eq!(js(shown), serde_json::json!(["Renewal talk"]));
    browser.type_into("#choices-related li:not([hidden]) input", " ");
    js("var s = document.getElementById('section-1'); s.value = s.value.replace('See [the guide](nowhere.md).\\n', 'Reworded by the form.\\n'); s.dispatchEvent(new Event('input', { bubbles: true })); return null;");
    assert!(wait_long(
        &browser,
        "return document.getElementById('source').value.indexOf('Reworded by the form.') !== -1"
    ));
    assert!(
        wait_long(&browser, "return document.getElementById('problems-section-1').hidden"),
        "{:?}",
        problem("section-1")
    );
    browser.click("#touchbook-editor button[type=submit]");
    assert!(wait_long(&browser, "return document.getElementById('editor-status').textContent === 'Saved.'"));
    let expected = original
        .replace("stage = \"first-contakt\"   # where it starts", "stage = \"support\"   # where it starts")
        .replace("reviewed = 2026-10-20\n", "reviewed = 2026-10-20\nrelated = [\"renewal-talk\"]\n")
        .replace("Waiting for an invoice.\n\n", "Waiting for an invoice.\n\nReworded by the form.\n");
    assert_eq!(read(&file), expected, "only the changed key, the new key and the changed section differ");
    let page = server.wait_for("/touchpoints/late-invoice.html", |html| html.contains("Reworded by the form."));
    assert!(page.contains("Renewal talk"), "the served page shows the related touch point");
}

#[test]
fn every_kind_has_its_form_and_its_problems_are_placed_at_their_key() {
    let dir = fixture("base");
    let server = Server::start(dir.path());
    let address = &server.address;
    let edit_page = |page: &str| server.get(&format!("/_edit/page?page={}", page.replace('/', "%2F"))).1;
    let has = |html: &str, ids: &[&str]| ids.iter().all(|id| html.contains(&format!("id=\"{id}\"")));
    assert!(has(&edit_page("/messages/we-own-it.html"), &["field-title", "field-promise", "field-owner"]));
    let rollout = edit_page("/rollouts/calm-programme.html");
    assert!(has(&rollout, &["field-start", "field-weeks", "choices-messages", "choices-touchpoints", "section-0"]));
    let practice = edit_page("/practices/kept-calm.html");
    assert!(has(
        &practice,
        &["choices-touchpoints", "filter-touchpoints", "field-author", "field-date", "field-share"]
    ));

    // The form's changes to a best practice: its touch points and date, nothing else.
    let file = dir.path().join("content/practices/kept-calm.md");
    let text = read(&file);
    let token = token(&server);
    let own = format!("Host: {address}\r\nOrigin: http://{address}\r\nX-Touchbook-Token: {token}\r\n");
    let body = serde_json::json!({
        "page": "/practices/kept-calm.html",
        "text": text,
        "changes": { "keys": { "touchpoints": ["angry-caller", "late-invoice"], "date": "2026-13-01" } },
    });
    let (status, answer) = post(address, "/_edit/compose", &own, &body.to_string());
    assert_eq!(status, 200, "{answer}");
    let composed = serde_json::from_str::<serde_json::Value>(&answer).unwrap()["text"].as_str().unwrap().to_string();
    let expected = text
        .replace("touchpoints = [\"angry-caller\"]", "touchpoints = [\"angry-caller\", \"late-invoice\"]")
        .replace("date = 2026-09-01", "date = \"2026-13-01\"");
    assert_eq!(composed, expected);
    // A day that does not exist is check's error at the date field.
    let body = serde_json::json!({ "page": "/practices/kept-calm.html", "text": composed });
    let (_, answer) = post(address, "/_edit/preview", &own, &body.to_string());
    let answer: serde_json::Value = serde_json::from_str(&answer).unwrap();
    let at = answer["at"].as_array().unwrap();
    assert!(
        at.iter().any(|p| p["field"] == "date" && p["text"].as_str().unwrap().contains("kept-calm.md:5:")),
        "{at:?}"
    );
    // A key the form does not edit is refused; nothing is ever written by composing.
    let body = serde_json::json!({ "page": "/practices/kept-calm.html", "text": text, "changes": { "keys": { "reviewed": "x" } } });
    assert_eq!(post(address, "/_edit/compose", &own, &body.to_string()).0, 422);
    assert_eq!(read(&file), text);
}

#[test]
fn the_form_covers_categories_campaigns_a_rollouts_divisions_and_hiding_in_a_division() {
    let dir = fixture("base");
    let root = dir.path();
    std::fs::create_dir_all(root.join("content/divisions/norge/touchpoints")).unwrap();
    std::fs::create_dir_all(root.join("content/divisions/norge/rollouts")).unwrap();
    std::fs::write(
        root.join("content/divisions/norge/touchpoints/angry-caller.md"),
        "+++\ntitle = \"Sint innringer\"\n+++\n",
    )
    .unwrap();
    std::fs::write(root.join("content/divisions/norge/rollouts/calm-programme.md"), "+++\nstart = 2026-11-09\n+++\n")
        .unwrap();
    let server = Server::start(root);
    let address = &server.address;
    let edit_page = |page: &str| server.get(&format!("/_edit/page?page={}", page.replace('/', "%2F"))).1;
    let value = |html: &str, id: &str| attributes(html, &format!("#{id}"), "value").first().cloned();
    let own = format!("Host: {address}\r\nOrigin: http://{address}\r\nX-Touchbook-Token: {}\r\n", token(&server));
    let compose = |page: &str, text: &str, keys: serde_json::Value| -> (u16, String) {
        let body = serde_json::json!({ "page": page, "text": text, "changes": { "keys": keys } });
        let (status, answer) = post(address, "/_edit/compose", &own, &body.to_string());
        let text = serde_json::from_str::<serde_json::Value>(&answer)
            .ok()
            .and_then(|a| a["text"].as_str().map(str::to_string));
        (status, text.unwrap_or(answer))
    };

    // A message's campaign: shown part by part, changed in its table, gone when emptied.
    let message = edit_page("/messages/we-own-it.html");
    assert_eq!(value(&message, "field-campaign-name").as_deref(), Some("Ownership spring"));
    assert_eq!(value(&message, "field-campaign-start").as_deref(), Some("2026-11-02"));
    assert_eq!(value(&message, "field-campaign-url").as_deref(), Some(""));
    let text = read(root.join("content/messages/we-own-it.md"))
        .replace("end = 2027-01-31", "end = 2027-01-31   # the sale ends");
    let campaign = serde_json::json!({ "name": "Winter of ownership", "start": "2026-12-01", "end": "2027-02-28", "url": "https://intranet.example/winter" });
    let (status, composed) = compose("/messages/we-own-it.html", &text, serde_json::json!({ "campaign": campaign }));
    assert_eq!(status, 200, "{composed}");
    let expected = text
        .replace("name = \"Ownership spring\"", "name = \"Winter of ownership\"")
        .replace("start = 2026-11-02", "start = 2026-12-01")
        .replace(
            "end = 2027-01-31   # the sale ends\n",
            "end = 2027-02-28   # the sale ends\nurl = \"https://intranet.example/winter\"\n",
        );
    assert_eq!(composed, expected, "the table's other bytes stay");
    let (_, removed) = compose("/messages/we-own-it.html", &text, serde_json::json!({ "campaign": null }));
    assert!(!removed.contains("campaign") && !removed.contains("Ownership"), "{removed}");
    assert!(removed.contains("promise = \"Your problem is ours until it is solved.\"\n+++\n"), "{removed}");
    // A new campaign where there was none is a table of its own.
    let (_, added) = compose(
        "/messages/we-own-it.html",
        &removed,
        serde_json::json!({ "campaign": { "name": "Again", "start": "2027-03-01", "end": "2027-03-31", "url": "" } }),
    );
    assert!(added.contains("\n[campaign]\nname = \"Again\"\nstart = 2027-03-01\nend = 2027-03-31\n+++"), "{added}");
    // A mistake in the campaign is check's error at the campaign's fields.
    let wrong = text.replace("end = 2027-01-31", "end = 2027-02-30");
    let body = serde_json::json!({ "page": "/messages/we-own-it.html", "text": wrong });
    let (_, answer) = post(address, "/_edit/preview", &own, &body.to_string());
    let answer: serde_json::Value = serde_json::from_str(&answer).unwrap();
    let at = answer["at"].as_array().unwrap();
    assert!(at.iter().any(|p| p["field"] == "campaign"), "{at:?}");

    // A touch point's categories, one to a line: a name may hold a comma.
    let touchpoint = edit_page("/touchpoints/angry-caller.html");
    assert_eq!(texts(&touchpoint, "textarea#field-categories"), [""]);
    let text = read(root.join("content/touchpoints/angry-caller.md"));
    let (_, composed) = compose(
        "/touchpoints/angry-caller.html",
        &text,
        serde_json::json!({ "categories": ["Complaint, phone", "Escalation"] }),
    );
    assert!(composed.contains("\ncategories = [\"Complaint, phone\", \"Escalation\"]\n"), "{composed}");

    // A rollout's divisions, by name, in the central file only; an overlay can hide its item.
    let rollout = edit_page("/rollouts/calm-programme.html");
    assert_eq!(texts(&rollout, "#choices-divisions label"), ["Norge"]);
    let text = read(root.join("content/rollouts/calm-programme.md"));
    let (_, composed) = compose("/rollouts/calm-programme.html", &text, serde_json::json!({ "divisions": ["norge"] }));
    assert!(composed.contains("\ndivisions = [\"norge\"]\n"), "{composed}");
    assert!(select(&rollout, "#field-hidden").is_empty(), "a central item is not hidden from its own edition");
    let overlay = edit_page("/norge/rollouts/calm-programme.html");
    assert!(select(&overlay, "#choices-divisions").is_empty(), "a division cannot change where a rollout runs");
    assert_eq!(texts(&overlay, "label[for=field-hidden]"), ["Utelat dette fra divisjonens utgave"]);
    let text = read(root.join("content/divisions/norge/rollouts/calm-programme.md"));
    let (status, _) =
        compose("/norge/rollouts/calm-programme.html", &text, serde_json::json!({ "divisions": ["norge"] }));
    assert_eq!(status, 422);
    let text = read(root.join("content/divisions/norge/touchpoints/angry-caller.md"));
    let (_, composed) = compose("/norge/touchpoints/angry-caller.html", &text, serde_json::json!({ "hidden": true }));
    assert_eq!(composed, "+++\ntitle = \"Sint innringer\"\nhidden = true\n+++\n");
}

#[test]
fn campaign_and_categories_are_edited_in_the_browser() {
    let Some(browser) = crate::browser::Browser::start() else { return };
    let dir = fixture("base");
    let server = Server::start(dir.path());
    let js = |script: &str| browser.js(script);
    let source = "return document.getElementById('source').value";
    browser.goto(&format!("http://{}/_edit/page?page=%2Fmessages%2Fwe-own-it.html", server.address));
    assert!(wait_long(&browser, "return !!document.getElementById('field-campaign-name')"));
    browser.type_into("#field-campaign-name", " 2027");
    browser.type_into("#field-campaign-url", "/spring");
    assert!(
        wait_long(&browser, "return document.getElementById('source').value.indexOf('url = \"/spring\"') !== -1"),
        "{:?}",
        js(source)
    );
    assert!(js(source).as_str().unwrap().contains("name = \"Ownership spring 2027\"\n"));
    // A relative address is one check accepts: the browser does not stop the save.
    browser.click("#touchbook-editor button[type=submit]");
    assert!(
        wait_long(&browser, "return document.getElementById('editor-status').textContent === 'Saved.'"),
        "{:?}",
        js("return document.getElementById('editor-status').textContent")
    );
    assert!(read(dir.path().join("content/messages/we-own-it.md")).contains("url = \"/spring\"\n"));
    // Emptied, the campaign goes.
    js("document.querySelectorAll('[data-widget=campaign] input').forEach(function (i) { i.value = ''; i.dispatchEvent(new Event('input', { bubbles: true })); }); return null;");
    assert!(
        wait_long(&browser, "return document.getElementById('source').value.indexOf('campaign') === -1"),
        "{:?}",
        js(source)
    );

    browser.goto(&format!("http://{}/_edit/page?page=%2Ftouchpoints%2Fangry-caller.html", server.address));
    assert!(wait_long(&browser, "return !!document.getElementById('field-categories')"));
    browser.type_into("#field-categories", "Complaint, phone\nEscalation");
    assert!(
        wait_long(&browser, "return document.getElementById('source').value.indexOf('categories = [\"Complaint, phone\", \"Escalation\"]') !== -1"),
        "{:?}",
        js(source)
    );
    assert_eq!(axe_violations(&browser), serde_json::json!([]), "axe on the form");
}

#[test]
fn refusals_are_written_in_the_language_of_the_edition_being_edited() {
    let dir = fixture("base");
    let server = Server::start(dir.path());
    let address = &server.address;
    let own = format!("Host: {address}\r\nOrigin: http://{address}\r\nX-Touchbook-Token: {}\r\n", token(&server));
    let error = |path: &str, headers: &str, body: serde_json::Value| -> (u16, String) {
        let (status, answer) = post(address, path, headers, &body.to_string());
        let answer: serde_json::Value = serde_json::from_str(&answer).unwrap();
        (status, answer["error"].as_str().unwrap_or_default().to_string())
    };
    // A review without a name: in English on the central page, in Norwegian on Norway's.
    for (page, expected) in [
        ("/messages/we-own-it.html", "Write your name (at most 80 characters) to mark a review."),
        ("/norge/messages/we-own-it.html", "Skriv navnet ditt (høyst 80 tegn) for å merke en gjennomgang."),
    ] {
        let opened = built_fingerprint(&server, page);
        let body = serde_json::json!({ "page": page, "name": " ", "opened": opened });
        assert_eq!(error("/_edit/review", &own, body), (422, expected.to_string()));
    }
    // A new item without a title, and a form's key it does not edit.
    let (status, why) =
        error("/_edit/new", &own, serde_json::json!({ "page": "/norge/touchpoints/index.html", "title": "" }));
    assert_eq!((status, why.as_str()), (422, "Skriv en tittel på det nye innholdet."));
    let (status, why) =
        error("/_edit/new", &own, serde_json::json!({ "page": "/norge/touchpoints/index.html", "title": "!!!" }));
    assert_eq!(status, 422);
    assert!(why.starts_with("Det kan ikke lages et filnavn av tittelen «!!!»"), "{why}");
    let text = read(dir.path().join("content/touchpoints/angry-caller.md"));
    let body = serde_json::json!({ "page": "/norge/touchpoints/angry-caller.html", "text": text, "changes": { "keys": { "reviewed": "x" } } });
    assert_eq!(error("/_edit/compose", &own, body).1, "reviewed er ikke et felt skjemaet redigerer.");
    // A page whose token is from before serve was restarted is told what to do, in its language.
    let stale = format!("Host: {address}\r\nOrigin: http://{address}\r\nX-Touchbook-Token: 00\r\n");
    let (status, why) =
        error("/_edit/review", &stale, serde_json::json!({ "page": "/norge/messages/we-own-it.html", "name": "Kari" }));
    assert_eq!(status, 403);
    assert!(why.starts_with("Denne forespørselen kommer ikke fra en side på denne serveren."), "{why}");
    // The editor's own pages too.
    let (status, body) = server.get("/_edit/page?page=%2Fnorge%2Ftouchpoints%2Fnowhere");
    assert_eq!(status, 404);
    let text = body.split("\r\n\r\n").nth(1).unwrap_or_default();
    assert_eq!(text.trim(), "/norge/touchpoints/nowhere er ikke siden til noe innhold.");
}

#[test]
fn a_trainer_adds_a_section_the_file_does_not_have_yet() {
    let Some(browser) = crate::browser::Browser::start() else { return };
    let dir = fixture("base");
    let overlay = dir.path().join("content/divisions/norge/touchpoints/late-invoice.md");
    std::fs::create_dir_all(overlay.parent().unwrap()).unwrap();
    std::fs::write(&overlay, "+++\ntitle = \"Sen faktura\"\n+++\n\n## Situasjon\n\nKunden venter på en faktura.\n")
        .unwrap();
    let server = Server::start(dir.path());
    let js = |script: &str| browser.js(script);
    let offered = "return Array.from(document.querySelectorAll('#add-section option')).slice(1).map(function (o) { return o.textContent; })";
    let source = "return document.getElementById('source').value";
    let open = |page: &str| {
        browser.goto(&format!("http://{}/_edit/page?page={}", server.address, page.replace('/', "%2F")));
        assert!(wait_long(&browser, "return !!document.getElementById('add-section-button')"), "{page}");
    };

    // A rollout of four weeks with packs for weeks 1 and 3 offers weeks 2 and 4.
    open("/rollouts/calm-programme.html");
    assert_eq!(js(offered), serde_json::json!(["Week 2", "Week 4"]));
    browser.type_into("#add-section-other", "week 2\n");
    assert_eq!(js(offered), serde_json::json!(["Week 4"]), "a heading typed as one offered is offered no more");
    // Norway's page of a central file adds headings in the file's language.
    open("/norge/touchpoints/angry-caller.html");
    assert_eq!(js(offered), serde_json::json!([]), "it has every section");
    open("/touchpoints/late-invoice.html");
    assert_eq!(js(offered), serde_json::json!(["Say it like this", "Role play", "Why it matters"]));

    // Norway's translation has only its situation: the others are offered in Norwegian.
    open("/norge/touchpoints/late-invoice.html");
    assert_eq!(
        js(offered),
        serde_json::json!(["Forventet atferd", "Si det slik", "Rollespill", "Hvorfor det er viktig"])
    );
    js("var s = document.getElementById('add-section'); s.value = s.options[3].value; return null;");
    browser.click("#add-section-button");
    assert_eq!(
        js(offered),
        serde_json::json!(["Forventet atferd", "Si det slik", "Hvorfor det er viktig"]),
        "offered once"
    );
    browser.type_into("textarea[data-heading='## Rollespill {#roleplay}']", "Spill en kunde som venter.");
    assert!(
        wait_long(
            &browser,
            "return document.getElementById('source').value.indexOf('Spill en kunde som venter.') !== -1"
        ),
        "{:?}",
        js(source)
    );
    // And a heading of one's own.
    // Enter in the heading box adds the section; it does not save the file.
    browser.type_into("#add-section-other", "Notater\n");
    assert_eq!(read(&overlay), "+++\ntitle = \"Sen faktura\"\n+++\n\n## Situasjon\n\nKunden venter på en faktura.\n");
    browser.type_into("textarea[data-heading='## Notater']", "Se fakturaen.");
    assert!(
        wait_long(&browser, "return document.getElementById('source').value.indexOf('Se fakturaen.') !== -1"),
        "{:?}",
        js(source)
    );
    let text = js(source).as_str().unwrap().to_string();
    assert!(text.ends_with("venter på en faktura.\n\n## Rollespill {#roleplay}\n\nSpill en kunde som venter.\n\n## Notater\n\nSe fakturaen.\n"), "{text}");
    browser.click("#touchbook-editor button[type=submit]");
    assert!(wait_long(&browser, "return document.getElementById('editor-status').textContent === 'Lagret.'"));
    assert_eq!(read(&overlay), text);
    let page =
        server.wait_for("/norge/touchpoints/late-invoice.html", |html| html.contains("Spill en kunde som venter."));
    let section = text_of(&page, "#roleplay");
    assert!(section.starts_with("Rollespill Spill en kunde som venter."), "the section is the role play: {section}");

    // A `## ` line typed into a section is refused with the way to do it, and nothing is saved.
    browser.type_into("textarea[data-heading='## Notater']", "\n## Mer\n");
    let status = "return document.getElementById('editor-status').textContent";
    assert!(
        wait_long(
            &browser,
            "return document.getElementById('editor-status').textContent.indexOf('Legg til en del') !== -1"
        ),
        "{:?}",
        js(status)
    );
    browser.click("#touchbook-editor button[type=submit]");
    std::thread::sleep(std::time::Duration::from_millis(500));
    assert!(js(status).as_str().unwrap().contains("Legg til en del"), "{:?}", js(status));
    assert_eq!(read(&overlay), text, "the refused change is not saved");
}

#[test]
fn the_form_shows_what_the_file_says_and_takes_only_the_keys_its_file_may_have() {
    let dir = fixture("base");
    let root = dir.path();
    // A campaign date with a comment after it, categories, and Norway's translation of the message.
    let message = root.join("content/messages/we-own-it.md");
    std::fs::write(&message, read(&message).replace("end = 2027-01-31", "end = 2027-01-31   # the sale ends")).unwrap();
    let touchpoint = root.join("content/touchpoints/angry-caller.md");
    let categories = "categories = [\"Complaint, phone\", \"Escalation\"]\ntitle = ";
    std::fs::write(&touchpoint, read(&touchpoint).replacen("title = ", categories, 1)).unwrap();
    std::fs::create_dir_all(root.join("content/divisions/norge/messages")).unwrap();
    std::fs::write(root.join("content/divisions/norge/messages/we-own-it.md"), "+++\ntitle = \"Vi eier det\"\n+++\n")
        .unwrap();
    // Week 3's pack links a situation the rollout's front matter does not name.
    let rollout = root.join("content/rollouts/calm-programme.md");
    std::fs::write(
        &rollout,
        read(&rollout).replace("Third week pack.", "Third week pack: [late invoices](../touchpoints/late-invoice.md)."),
    )
    .unwrap();
    let server = Server::start(root);
    let address = &server.address;
    let edit_page = |page: &str| server.get(&format!("/_edit/page?page={}", page.replace('/', "%2F"))).1;
    let value = |html: &str, css: &str, name: &str| attributes(html, css, name).first().cloned().unwrap_or_default();

    let page = edit_page("/messages/we-own-it.html");
    assert_eq!(value(&page, "#field-campaign-end", "value"), "2027-01-31", "the comment is not part of the date");
    let page = edit_page("/touchpoints/angry-caller.html");
    let html = scraper::Html::parse_document(&page);
    let categories = html.select(&scraper::Selector::parse("textarea#field-categories").unwrap()).next().unwrap();
    assert_eq!(categories.text().collect::<String>(), "Complaint, phone\nEscalation", "one to a line");
    // Norway's translation shows the central campaign in grey, and says what empty means there.
    let page = edit_page("/norge/messages/we-own-it.html");
    assert_eq!(value(&page, "#field-campaign-name", "value"), "");
    assert_eq!(value(&page, "#field-campaign-name", "placeholder"), "Ownership spring");
    assert!(texts(&page, "#hint-campaign")[0].contains("den sentrale kampanjen"));
    // "Log this week" offers the situations the weeks' packs practise too.
    let log = server.get("/_edit/checkin?page=%2Fnorge%2Frollouts%2Fcalm-programme.html").1;
    assert_eq!(attributes(&log, "input[name=practised]", "value"), ["angry-caller", "late-invoice"]);

    // Keys a file may not have are refused: `hidden` in a central file, `share` in a translation.
    let own = format!("Host: {address}\r\nOrigin: http://{address}\r\nX-Touchbook-Token: {}\r\n", token(&server));
    let compose = |page: &str, text: &str, keys: serde_json::Value| {
        let body = serde_json::json!({ "page": page, "text": text, "changes": { "keys": keys } });
        post(address, "/_edit/compose", &own, &body.to_string()).0
    };
    assert_eq!(
        compose("/touchpoints/angry-caller.html", &read(&touchpoint), serde_json::json!({ "hidden": true })),
        422
    );
    std::fs::create_dir_all(root.join("content/divisions/norge/practices")).unwrap();
    std::fs::write(root.join("content/divisions/norge/practices/kept-calm.md"), "+++\ntitle = \"Holdt roen\"\n+++\n")
        .unwrap();
    assert_eq!(
        compose(
            "/norge/practices/kept-calm.html",
            "+++\ntitle = \"Holdt roen\"\n+++\n",
            serde_json::json!({ "share": true })
        ),
        422
    );
    assert_eq!(
        compose(
            "/norge/practices/kept-calm.html",
            "+++\ntitle = \"Holdt roen\"\n+++\n",
            serde_json::json!({ "hidden": true })
        ),
        200
    );
}

#[test]
fn a_translation_leaves_out_central_do_and_dont_items_with_the_reason() {
    let dir = fixture("base");
    let overlay = dir.path().join("content/divisions/norge/touchpoints/angry-caller.md");
    std::fs::create_dir_all(overlay.parent().unwrap()).unwrap();
    let text = "+++\ntitle = \"Sint innringer\"\n\n[leaves-out]\n\"listen\" = \"vi ringer tilbake\"   # avtalt med Oslo\n+++\n\n## Forventet atferd\n\n- Unngå: å avbryte.\n";
    std::fs::write(&overlay, text).unwrap();
    let server = Server::start(dir.path());
    let address = &server.address;
    let page = server.get("/_edit/page?page=%2Fnorge%2Ftouchpoints%2Fangry-caller.html").1;
    // Every central item, in Norwegian words; the one the file names by its start is ticked.
    assert_eq!(
        texts(&page, "[data-widget=leaves-out] li > label:first-of-type"),
        ["Gjør: listen to the end.", "Unngå: interrupt."]
    );
    assert_eq!(attributes(&page, "[data-widget=leaves-out] input[data-item]", "data-item"), ["listen", "interrupt."]);
    assert_eq!(attributes(&page, "[data-widget=leaves-out] input[checked]", "data-item"), ["listen"]);
    assert_eq!(attributes(&page, "[data-widget=leaves-out] input[data-why]", "value"), ["vi ringer tilbake", ""]);
    let central = server.get("/_edit/page?page=%2Ftouchpoints%2Fangry-caller.html").1;
    assert!(select(&central, "[data-widget=leaves-out]").is_empty(), "the central file leaves nothing out");
    // What the translation does not set shows as the central file has it, in grey.
    assert_eq!(texts(&page, "#field-stage option:first-child"), ["Som i den sentrale versjonen: Support"]);
    assert_eq!(texts(&page, "#field-frequency option:first-child"), ["Som i den sentrale versjonen: 3 – Ukentlig"]);
    assert_eq!(texts(&page, "#hint-channels"), ["Ingen krysset av: som i den sentrale versjonen (Phone)."]);
    assert_eq!(attributes(&page, "#field-summary", "placeholder"), ["A customer calls and is angry about a delay."]);
    assert_eq!(attributes(&page, "#field-tags", "placeholder"), ["anger"]);
    assert_eq!(attributes(&page, "#field-title", "value"), ["Sint innringer"]);
    assert!(attributes(&page, "#field-title", "placeholder").is_empty(), "a key it sets shows its own value only");
    assert_eq!(texts(&central, "#field-stage option:first-child"), ["Not set"]);

    let own = format!("Host: {address}\r\nOrigin: http://{address}\r\nX-Touchbook-Token: {}\r\n", token(&server));
    let compose = |keys: serde_json::Value| {
        let body = serde_json::json!({ "page": "/norge/touchpoints/angry-caller.html", "text": text, "changes": { "keys": keys } });
        let (status, answer) = post(address, "/_edit/compose", &own, &body.to_string());
        assert_eq!(status, 200, "{answer}");
        serde_json::from_str::<serde_json::Value>(&answer).unwrap()["text"].as_str().unwrap().to_string()
    };
    // A new reason keeps the line's comment; a second item is added.
    let rows = serde_json::json!([{ "item": "listen", "why": "vi sender SMS" }, { "item": "interrupt.", "why": "gjelder ikke" }]);
    let both = compose(serde_json::json!({ "leaves-out": rows }));
    assert_eq!(
        both,
        text.replace(
            "\"listen\" = \"vi ringer tilbake\"   # avtalt med Oslo\n",
            "\"listen\" = \"vi sender SMS\"   # avtalt med Oslo\n\"interrupt.\" = \"gjelder ikke\"\n"
        )
    );
    // Nothing left out: the table goes, and check no longer has it to read.
    let none = compose(serde_json::json!({ "leaves-out": null }));
    assert_eq!(none, "+++\ntitle = \"Sint innringer\"\n+++\n\n## Forventet atferd\n\n- Unngå: å avbryte.\n");
    // The central file has no such field.
    let body = serde_json::json!({ "page": "/touchpoints/angry-caller.html", "text": read(dir.path().join("content/touchpoints/angry-caller.md")), "changes": { "keys": { "leaves-out": null } } });
    assert_eq!(post(address, "/_edit/compose", &own, &body.to_string()).0, 422);
    // What check says about the table is placed at the field.
    let wrong = text.replace("\"listen\"", "\"nobody said this\"");
    let body = serde_json::json!({ "page": "/norge/touchpoints/angry-caller.html", "text": wrong });
    let (_, answer) = post(address, "/_edit/preview", &own, &body.to_string());
    let answer: serde_json::Value = serde_json::from_str(&answer).unwrap();
    assert!(answer["at"].as_array().unwrap().iter().any(|p| p["field"] == "leaves-out"), "{answer}");
}

#[test]
fn a_translator_ticks_a_central_item_to_leave_out_in_the_browser() {
    let Some(browser) = crate::browser::Browser::start() else { return };
    let dir = fixture("base");
    let overlay = dir.path().join("content/divisions/norge/touchpoints/angry-caller.md");
    std::fs::create_dir_all(overlay.parent().unwrap()).unwrap();
    std::fs::write(
        &overlay,
        "+++\ntitle = \"Sint innringer\"\n+++\n\n## Forventet atferd\n\n- Gjør: lytt til slutt.\n",
    )
    .unwrap();
    let server = Server::start(dir.path());
    browser.goto(&format!("http://{}/_edit/page?page=%2Fnorge%2Ftouchpoints%2Fangry-caller.html", server.address));
    assert!(wait_long(&browser, "return !!document.querySelector('[data-widget=leaves-out]')"));
    // check says the Don't is missing; a reason written for it leaves it out.
    assert!(wait_long(
        &browser,
        "return document.getElementById('editor-diagnostics').textContent.indexOf('has 0 of 1 Don') !== -1"
    ));
    browser.type_into("#field-leaves-out-why-1", "Vi avbryter aldri uansett.");
    assert_eq!(browser.js("return document.getElementById('field-leaves-out-1').checked"), true);
    let wanted = "[leaves-out]\n\"interrupt.\" = \"Vi avbryter aldri uansett.\"\n+++";
    assert!(
        wait_long(
            &browser,
            &format!(
                "return document.getElementById('source').value.indexOf({}) !== -1",
                serde_json::to_string(wanted).unwrap()
            )
        ),
        "{:?}",
        browser.js("return document.getElementById('source').value")
    );
    browser.click("#touchbook-editor button[type=submit]");
    assert!(wait_long(&browser, "return document.getElementById('editor-status').textContent === 'Lagret.'"));
    // check now counts the Don't as accounted for: no warning about a missing item.
    assert!(wait_long(
        &browser,
        "return document.getElementById('editor-diagnostics').textContent.indexOf('of 1 Don') === -1"
    ));
    assert!(read(&overlay).contains(wanted));
}
