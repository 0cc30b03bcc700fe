//! `touchbook serve`: serves the site, follows edits, keeps the last good site on errors, and
//! never serves a file outside the output.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use crate::support::*;

/// A running `touchbook serve`, stopped when dropped.
struct Server {
    child: Child,
    address: String,
}

impl Server {
    fn start(dir: &Path) -> Server {
        let mut child = Command::new(assert_cmd::cargo::cargo_bin("touchbook"))
            .current_dir(dir)
            .env("SOURCE_DATE_EPOCH", SOURCE_DATE_EPOCH)
            .args(["serve", "--port", "0"])
            .stderr(Stdio::piped())
            .spawn()
            .expect("touchbook serve starts");
        let stderr = child.stderr.take().unwrap();
        let (tx, rx) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            for line in BufReader::new(stderr).lines().map_while(Result::ok) {
                if let Some(rest) = line.split("at http://").nth(1) {
                    let _ = tx.send(rest.split('/').next().unwrap().to_string());
                }
            }
        });
        let address = rx.recv_timeout(Duration::from_secs(30)).expect("serve prints its address");
        Server { child, address }
    }

    /// A raw HTTP/1.1 GET (the path is sent exactly as given), returning status and body.
    fn get(&self, path: &str) -> (u16, String) {
        let mut stream = TcpStream::connect(&self.address).unwrap();
        stream.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
        write!(stream, "GET {path} HTTP/1.1\r\nHost: {}\r\nConnection: close\r\n\r\n", self.address).unwrap();
        let mut response = String::new();
        stream.read_to_string(&mut response).unwrap();
        let status = response.split(' ').nth(1).and_then(|s| s.parse().ok()).unwrap_or(0);
        (status, response)
    }

    /// Polls `path` until `predicate` holds or ten seconds pass.
    fn wait_for(&self, path: &str, predicate: impl Fn(&str) -> bool) -> String {
        let start = Instant::now();
        loop {
            let (_, body) = self.get(path);
            if predicate(&body) || start.elapsed() > Duration::from_secs(10) {
                return body;
            }
            std::thread::sleep(Duration::from_millis(50));
        }
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

#[test]
fn serve_follows_edits_and_keeps_the_last_good_site_on_errors() {
    let dir = fixture("base");
    let server = Server::start(dir.path());
    let (status, page) = server.get("/touchpoints/angry-caller.html");
    assert_eq!(status, 200);
    assert!(page.contains("MARKER-SITUATION") && page.contains("/__touchbook/livereload.js"));

    let file = dir.path().join("content/touchpoints/angry-caller.md");
    std::fs::write(&file, read(&file).replace("MARKER-SITUATION", "EDITED-SITUATION")).unwrap();
    let page = server.wait_for("/touchpoints/angry-caller.html", |b| b.contains("EDITED-SITUATION"));
    assert!(page.contains("EDITED-SITUATION"), "the edit is served");

    std::fs::write(&file, read(&file).replace("stage = \"support\"", "stage = \"nowhere\"")).unwrap();
    std::thread::sleep(Duration::from_millis(800));
    let (status, page) = server.get("/touchpoints/angry-caller.html");
    assert_eq!(status, 200);
    assert!(page.contains("EDITED-SITUATION"), "the last good page is still served");
    // The event stream starts with the current errors for a page that connects now.
    let mut stream = TcpStream::connect(&server.address).unwrap();
    stream.set_read_timeout(Some(Duration::from_secs(5))).unwrap();
    write!(stream, "GET /__touchbook/events HTTP/1.1\r\nHost: x\r\n\r\n").unwrap();
    let mut seen = String::new();
    let mut buffer = [0u8; 4096];
    while !seen.contains("is not a stage") {
        let n = stream.read(&mut buffer).unwrap();
        assert!(n > 0, "event stream closed: {seen}");
        seen.push_str(&String::from_utf8_lossy(&buffer[..n]));
    }
    assert!(seen.contains("event: errors") && seen.contains("content/touchpoints/angry-caller.md:4:9"), "{seen}");

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
