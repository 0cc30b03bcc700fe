//! Hostile playbooks and requests: what content may put on a page, paths out of the playbook,
//! damaged search bundles, feeds, locks, and `serve`'s Host and Origin checks.

use std::io::{Read, Write};
use std::net::TcpStream;
use std::path::Path;
use std::time::Duration;

use touchbook::html_policy::check_page;

use crate::support::{attributes, build_ok, fixture, read, run, stderr, Server};

const HOSTILE_BODY: &str = r#"
## Situation {#situation onfocus=alert(1) autofocus tabindex=1}

### Call back {#cb .evil onmouseover="alert(2)" style="position:fixed"}

Text with [a link](JaVaScRiPt:alert(3)) and [another]( vbscript:x ) and [data](data:text/html,<b>x</b>)
and ![img](javascript:alert(4)) ![svg](data:image/svg+xml;base64,PHN2Zz4=) ![ok](photo.png)
and <a href="java&#x09;script:alert(5)">entity</a> <img src=x onerror=alert(6)> <svg onload=alert(7)></svg>
<iframe src="https://evil.example"></iframe> <form action="javascript:x"><button formaction="javascript:y">b</button></form>

| a | b |
|:-:|---|
| <span style="background:url(javascript:x)">c</span> | d |

## Expected behaviour

- Do: stay calm {#x onclick=alert(8)}
- Don't: promise what you cannot keep
"#;

fn write(dir: &Path, rel: &str, text: &str) {
    let path = dir.join(rel);
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, text).unwrap();
}

fn hostile_touchpoint(dir: &Path) {
    let front = "+++\ntitle = \"Hostile\"\nsummary = \"s\"\nstage = \"support\"\nfrequency = 3\ndifficulty = 3\n+++\n";
    write(dir, "content/touchpoints/hostile.md", &format!("{front}{HOSTILE_BODY}"));
}

fn html_files(site: &Path) -> Vec<(String, String)> {
    walkdir::WalkDir::new(site)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.path().extension().is_some_and(|x| x == "html"))
        .map(|e| (e.path().display().to_string(), read(e.path())))
        .collect()
}

#[test]
fn no_page_holds_an_element_attribute_or_scheme_outside_the_policy() {
    let dir = fixture("base");
    hostile_touchpoint(dir.path());
    let site = build_ok(dir.path());
    let pages = html_files(&site);
    assert!(pages.iter().any(|(path, _)| path.ends_with("touchpoints/hostile.html")));
    for (path, html) in &pages {
        let problems = check_page(html);
        assert!(problems.is_empty(), "{path}: {problems:?}");
    }
    let page = read(site.join("touchpoints/hostile.html"));
    assert!(attributes(&page, "img", "src").contains(&"photo.png".to_string()), "a relative image stays");
}

#[test]
fn url_valued_keys_refuse_schemes_outside_the_policy() {
    let dir = fixture("base");
    let message = read(dir.path().join("content/messages/we-own-it.md"))
        .replace("end = 2027-01-31", "end = 2027-01-31\nurl = \" javascript:alert(1)\"");
    write(dir.path(), "content/messages/we-own-it.md", &message);
    let output = run(dir.path(), &["build"]);
    assert_eq!(output.status.code(), Some(1), "{}", stderr(&output));
    let text = stderr(&output);
    assert!(text.contains("content/messages/we-own-it.md:9:7") && text.contains("`url` is not an address"), "{text}");
}

#[cfg(unix)]
#[test]
fn nothing_outside_the_playbook_is_read_or_written() {
    let outside = tempfile::tempdir().unwrap();
    write(outside.path(), "secret.md", "+++\ntitle = \"TOP-SECRET-LINE\"\n");
    let dir = fixture("base");
    let content = dir.path().join("content");
    std::os::unix::fs::symlink("/", content.join("touchpoints/root")).unwrap();
    std::os::unix::fs::symlink(outside.path().join("secret.md"), content.join("touchpoints/secret.md")).unwrap();
    std::os::unix::fs::symlink(content.join("touchpoints/late-invoice.md"), content.join("touchpoints/alias.md"))
        .unwrap();

    let started = std::time::Instant::now();
    let output = run(dir.path(), &["check"]);
    assert!(started.elapsed() < Duration::from_secs(20), "the walk does not follow a link to /");
    let text = stderr(&output);
    assert_eq!(output.status.code(), Some(1), "{text}");
    assert!(
        text.contains("content/touchpoints/secret.md: error: cannot read: it leads outside the playbook"),
        "{text}"
    );
    assert!(!text.contains("TOP-SECRET-LINE"), "nothing of the outside file is quoted: {text}");
    assert!(!text.contains("alias.md: error: cannot read"), "a link inside the playbook is read: {text}");

    // `new` never writes through a link, even a dangling one.
    std::fs::remove_file(content.join("touchpoints/secret.md")).unwrap();
    std::fs::remove_file(content.join("touchpoints/root")).unwrap();
    std::os::unix::fs::symlink(outside.path().join("planted.md"), content.join("touchpoints/planted.md")).unwrap();
    let output = run(dir.path(), &["new", "touchpoint", "Planted"]);
    assert_eq!(output.status.code(), Some(2), "{}", stderr(&output));
    assert!(!outside.path().join("planted.md").exists(), "nothing written outside");
}

#[test]
fn theme_is_a_name_and_localise_takes_ids() {
    let dir = fixture("base");
    let config = read(dir.path().join("book.toml")).replace("[build]\n", "[build]\ntheme = \"../..\"\n");
    write(dir.path(), "book.toml", &config);
    let output = run(dir.path(), &["check"]);
    assert_eq!(output.status.code(), Some(1));
    assert!(stderr(&output).contains("`../..` is not a theme name"), "{}", stderr(&output));

    let dir = fixture("base");
    let output = run(dir.path(), &["localise", "norge", "touchpoints/../../../../etc/passwd"]);
    assert_eq!(output.status.code(), Some(2), "{}", stderr(&output));
    assert!(stderr(&output).contains("is not an item id"), "{}", stderr(&output));
    assert!(!dir.path().join("content/divisions/norge").exists());
}

#[test]
fn a_damaged_search_bundle_is_made_anew() {
    let dir = fixture("base");
    let site = build_ok(dir.path());
    let pagefind = site.join("pagefind");
    let fragment = walkdir::WalkDir::new(&pagefind)
        .into_iter()
        .filter_map(Result::ok)
        .find(|e| e.path().extension().is_some_and(|x| x == "pf_fragment"))
        .expect("a fragment")
        .into_path();
    let good = std::fs::read(&fragment).unwrap();
    let entry = std::fs::read(pagefind.join("pagefind-entry.json")).unwrap();

    std::fs::write(&fragment, b"damaged").unwrap();
    std::fs::remove_file(pagefind.join("pagefind-entry.json")).unwrap();
    build_ok(dir.path());
    assert_eq!(std::fs::read(&fragment).unwrap(), good, "the damaged file is made anew");
    assert_eq!(std::fs::read(pagefind.join("pagefind-entry.json")).unwrap(), entry, "the missing file too");
}

#[test]
fn feeds_are_well_formed_whatever_the_titles_hold() {
    let dir = fixture("base");
    let best_practice = read(dir.path().join("content/practices/kept-calm.md"));
    let best_practice =
        best_practice.replacen("title = \"", "title = \"Bell\\u0007 escape\\u001b[31m nul-ish\\u0001 \\uFFFE ", 1);
    write(dir.path(), "content/practices/kept-calm.md", &best_practice);
    let site = build_ok(dir.path());
    for file in ["feed.xml", "sitemap.xml", "norge/feed.xml"] {
        let text = read(site.join(file));
        roxmltree::Document::parse(&text).unwrap_or_else(|e| panic!("{file} is not well-formed XML: {e}"));
    }
    assert!(read(site.join("feed.xml")).contains("Bell escape[31m nul-ish"), "the rest of the title stays");
}

#[test]
fn the_output_may_not_live_in_themes_or_data() {
    for folder in ["themes/site", "data/site"] {
        let dir = fixture("base");
        let config =
            read(dir.path().join("book.toml")).replace("[build]\n", &format!("[build]\noutput-dir = \"{folder}\"\n"));
        write(dir.path(), "book.toml", &config);
        let output = run(dir.path(), &["build"]);
        assert_eq!(output.status.code(), Some(2), "{folder}: {}", stderr(&output));
        assert!(stderr(&output).contains("refusing to write the site"), "{}", stderr(&output));
    }
}

#[cfg(unix)]
#[test]
fn a_second_build_of_the_same_site_is_told_another_is_running() {
    let dir = fixture("base");
    let site = build_ok(dir.path());
    let before = crate::support::tree(&site);
    // What a running build holds: the lock of the folder the site is written in.
    let folder = std::fs::File::open(dir.path()).unwrap();
    folder.lock().unwrap();
    let output = run(dir.path(), &["build"]);
    assert_eq!(output.status.code(), Some(2), "{}", stderr(&output));
    assert!(stderr(&output).contains("another touchbook build is writing"), "{}", stderr(&output));
    assert_eq!(crate::support::tree(&site), before, "the site is left as it was");
    folder.unlock().unwrap();
    build_ok(dir.path());
}

#[test]
fn diagnostics_show_control_characters_instead_of_sending_them_to_the_terminal() {
    let dir = fixture("base");
    write(dir.path(), "content/touchpoints/\u{1b}]0;pwned\u{7}red.md", "x");
    let title = read(dir.path().join("content/touchpoints/late-invoice.md")).replacen(
        "stage = \"",
        "stage = \"\u{1b}[2J\u{202e}",
        1,
    );
    write(dir.path(), "content/touchpoints/late-invoice.md", &title);
    let output = run(dir.path(), &["check"]);
    assert_eq!(output.status.code(), Some(1));
    let bytes = &output.stderr;
    assert!(!bytes.contains(&0x1b) && !bytes.contains(&0x07), "{}", stderr(&output));
    assert!(!stderr(&output).contains('\u{202e}'));
    assert!(stderr(&output).contains("\u{241b}]0;pwned\u{2407}red.md"), "{}", stderr(&output));
}

#[cfg(target_os = "linux")]
#[test]
fn a_part_of_the_old_site_that_cannot_be_removed_does_not_fail_the_build() {
    let dir = fixture("base");
    let site = build_ok(dir.path());
    let stuck = site.join("touchpoints/late-invoice.html");
    // `chattr +i` holds even against root; where the file system has no such flag there is
    // nothing to test.
    let Ok(status) = std::process::Command::new("chattr").arg("+i").arg(&stuck).status() else { return };
    if !status.success() {
        return;
    }
    let output = run(dir.path(), &["build"]);
    let _ = std::process::Command::new("chattr").arg("-i").args(walk_files(dir.path())).status();
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    assert!(site.join("index.html").is_file());
    build_ok(dir.path());
}

fn walk_files(dir: &Path) -> Vec<std::path::PathBuf> {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .map(|e| e.into_path())
        .collect()
}

/// A raw request with the headers given, returning the status.
fn request(address: &str, head: &str) -> u16 {
    let mut stream = TcpStream::connect(address).unwrap();
    stream.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
    write!(stream, "{head}Connection: close\r\n\r\n").unwrap();
    let mut response = String::new();
    let _ = stream.read_to_string(&mut response);
    response.split(' ').nth(1).and_then(|s| s.parse().ok()).unwrap_or(0)
}

#[test]
fn serve_answers_only_its_own_names_and_origin() {
    let dir = fixture("base");
    let server = Server::start(dir.path());
    let address = &server.address;
    let port = address.rsplit(':').next().unwrap();
    assert_eq!(request(address, &format!("GET / HTTP/1.1\r\nHost: {address}\r\n")), 200);
    assert_eq!(request(address, &format!("GET / HTTP/1.1\r\nHost: localhost:{port}\r\n")), 200);
    assert_eq!(request(address, &format!("GET / HTTP/1.1\r\nHost: evil.example:{port}\r\n")), 403);
    assert_eq!(request(address, "GET / HTTP/1.1\r\n"), 403, "no Host at all");
    let origin = format!("GET / HTTP/1.1\r\nHost: {address}\r\nOrigin: http://evil.example:{port}\r\n");
    assert_eq!(request(address, &origin), 403);
    let socket = |origin: &str| {
        format!(
            "GET /__touchbook/live HTTP/1.1\r\nHost: {address}\r\nOrigin: {origin}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
        )
    };
    assert_eq!(request(address, &socket("http://evil.example")), 403);
    assert_eq!(request(address, &socket(&format!("http://{address}"))), 101);
}

#[test]
fn serve_follows_a_content_folder_replaced_as_a_whole() {
    let dir = fixture("base");
    let server = Server::start(dir.path());
    let content = dir.path().join("content");
    let old = dir.path().join("content-old");
    std::fs::rename(&content, &old).unwrap();
    crate::support::copy_tree(&old, &content);
    std::thread::sleep(Duration::from_millis(500));
    let path = content.join("touchpoints/late-invoice.md");
    let text = read(&path);
    let title = text.lines().find(|l| l.starts_with("title = ")).unwrap().to_string();
    std::fs::write(&path, text.replacen(&title, "title = \"Replaced folder still watched\"", 1)).unwrap();
    let body = server.wait_for("/touchpoints/late-invoice.html", |b| b.contains("Replaced folder still watched"));
    assert!(body.contains("Replaced folder still watched"), "the edit after the replacement was built");
}

#[test]
fn serve_writes_the_whole_site_again_after_it_was_deleted() {
    let dir = fixture("base");
    let server = Server::start(dir.path());
    let site = dir.path().join("site");
    std::fs::remove_dir_all(&site).unwrap();
    let path = dir.path().join("content/touchpoints/late-invoice.md");
    let text = read(&path);
    let title = text.lines().find(|l| l.starts_with("title = ")).unwrap().to_string();
    std::fs::write(&path, text.replacen(&title, "title = \"Written after the site was deleted\"", 1)).unwrap();
    server.wait_for("/touchpoints/late-invoice.html", |b| b.contains("Written after the site was deleted"));
    // Pages the edit did not touch, and the search bundle, are back too.
    for untouched in
        ["index.html", "touchpoints/angry-caller.html", "pagefind/pagefind.js", "pagefind/pagefind-entry.json"]
    {
        assert!(site.join(untouched).is_file(), "{untouched} is written again");
    }
}
