//! `touchbook serve`: serves the site, follows edits, keeps the last good site on errors, and
//! never serves a file outside the output.

use std::time::Duration;

use crate::support::*;

#[test]
fn serve_follows_edits_and_keeps_the_last_good_site_on_errors() {
    let dir = fixture("base");
    let server = Server::start(dir.path());
    let (status, page) = server.get("/touchpoints/angry-caller.html");
    assert_eq!(status, 200);
    assert!(text_of(&page, "#situation .prose").contains("MARKER-SITUATION"));
    let scripts = attributes(&page, "script", "src");
    assert!(scripts.contains(&"/__touchbook/livereload.js".to_string()), "the page reloads itself: {scripts:?}");

    let file = dir.path().join("content/touchpoints/angry-caller.md");
    std::fs::write(&file, read(&file).replace("MARKER-SITUATION", "EDITED-SITUATION")).unwrap();
    let page = server.wait_for("/touchpoints/angry-caller.html", |b| b.contains("EDITED-SITUATION"));
    assert!(page.contains("EDITED-SITUATION"), "the edit is served");

    std::fs::write(&file, read(&file).replace("stage = \"support\"", "stage = \"nowhere\"")).unwrap();
    std::thread::sleep(Duration::from_millis(800));
    let (status, page) = server.get("/touchpoints/angry-caller.html");
    assert_eq!(status, 200);
    assert!(page.contains("EDITED-SITUATION"), "the last good page is still served");
    // What open pages are shown (over the WebSocket) is also there as JSON.
    let (_, status) = server.get("/__touchbook/status");
    assert!(status.contains("content/touchpoints/angry-caller.md:4:9: error: `nowhere` is not a stage"), "{status}");
    assert!(status.contains("\"errors\":"));

    std::fs::write(&file, read(&file).replace("stage = \"nowhere\"", "stage = \"support\"").replace("EDITED", "FIXED"))
        .unwrap();
    let page = server.wait_for("/touchpoints/angry-caller.html", |b| b.contains("FIXED-SITUATION"));
    assert!(page.contains("FIXED-SITUATION"), "the next good save is served");
}

#[test]
fn serve_never_answers_outside_the_output() {
    let dir = fixture("base");
    std::fs::write(dir.path().join("secret.txt"), "SECRET").unwrap();
    let server = Server::start(dir.path());
    for path in [
        "/../secret.txt",
        "/%2e%2e/secret.txt",
        "/touchpoints/..%2f..%2fsecret.txt",
        "/%2e%2e%2f%2e%2e%2fsecret.txt",
        "/..\\secret.txt",
        "/.touchbook-output",
        "/../book.toml",
    ] {
        let (status, body) = server.get(path);
        assert_eq!(status, 404, "{path}");
        assert!(!body.contains("SECRET"), "{path}");
    }
    let (status, body) = server.get("/no-such-page.html");
    assert_eq!(status, 404);
    assert!(body.contains("Page not found"), "the theme's 404 page");
    let (status, body) = server.get("/static/style.css");
    assert_eq!(status, 200);
    assert!(body.to_lowercase().contains("content-type: text/css"));
    let (status, _) = server.get("/touchpoints/");
    assert_eq!(status, 200, "a folder serves its index.html");
}

#[cfg(unix)]
#[test]
fn serve_does_not_follow_symlinks_out_of_the_output() {
    let dir = fixture("base");
    std::fs::write(dir.path().join("secret.txt"), "SECRET").unwrap();
    let server = Server::start(dir.path());
    std::os::unix::fs::symlink(dir.path().join("secret.txt"), dir.path().join("site/static/leak.txt")).unwrap();
    let (status, body) = server.get("/static/leak.txt");
    assert_eq!(status, 404);
    assert!(!body.contains("SECRET"));
}
