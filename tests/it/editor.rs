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
    let (status, answer) =
        post(address, "/_edit/review", &own, r#"{"page": "/touchpoints/angry-caller.html", "name": "Kari"}"#);
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
    let (status, answer) =
        post(address, "/_edit/review", &own, r#"{"page": "/norge/messages/we-own-it.html", "name": "Ingrid"}"#);
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
    let (status, answer) =
        post(address, "/_edit/review", &own, r#"{"page": "/touchpoints/angry-caller.html", "name": "  "}"#);
    assert_eq!(status, 422, "a name is needed: {answer}");
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
