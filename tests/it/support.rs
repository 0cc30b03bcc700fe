//! The small harness every test goes through: copy a fixture, run the binary, read the site.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Output;

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::{Child, Stdio};
use std::time::{Duration, Instant};

use assert_cmd::Command;
use tempfile::TempDir;

/// The build date used by every test (2026-11-01), so review and plan pages are stable.
pub const SOURCE_DATE_EPOCH: &str = "1793491200";

pub fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures")
}

/// A copy of `tests/fixtures/<name>` in a fresh temporary folder.
pub fn fixture(name: &str) -> TempDir {
    let dir = tempfile::tempdir().expect("temporary folder");
    copy_tree(&fixtures().join(name), dir.path());
    dir
}

/// The base fixture with the files of `tests/fixtures/errors/<case>/` laid over it.
pub fn error_case(case: &str) -> TempDir {
    let dir = fixture("base");
    copy_tree(&fixtures().join("errors").join(case), dir.path());
    dir
}

pub fn copy_tree(from: &Path, to: &Path) {
    for entry in walkdir::WalkDir::new(from) {
        let entry = entry.expect("readable fixture");
        let target = to.join(entry.path().strip_prefix(from).unwrap());
        if entry.file_type().is_dir() {
            std::fs::create_dir_all(&target).unwrap();
        } else {
            std::fs::copy(entry.path(), &target).unwrap();
        }
    }
}

/// Runs `touchbook ARGS` in `dir` with the fixed build date.
pub fn run(dir: &Path, args: &[&str]) -> Output {
    Command::cargo_bin("touchbook")
        .expect("the touchbook binary")
        .current_dir(dir)
        .env("SOURCE_DATE_EPOCH", SOURCE_DATE_EPOCH)
        .args(args)
        .output()
        .expect("touchbook runs")
}

pub fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

pub fn stdout(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

/// Builds the playbook in `dir` and fails the test with the messages if it did not succeed.
pub fn build_ok(dir: &Path) -> PathBuf {
    let output = run(dir, &["build"]);
    assert!(output.status.success(), "build failed:\n{}", stderr(&output));
    dir.join("site")
}

pub fn read(path: impl AsRef<Path>) -> String {
    let path = path.as_ref();
    std::fs::read_to_string(path).unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()))
}

/// Every file below `dir` with its bytes, for byte-for-byte comparisons.
pub fn tree(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .map(Result::unwrap)
        .filter(|e| e.file_type().is_file())
        .map(|e| (e.path().strip_prefix(dir).unwrap().to_string_lossy().into_owned(), std::fs::read(e.path()).unwrap()))
        .collect()
}

/// The text between the first `start` and the following `end` in `html`.
pub fn between<'a>(html: &'a str, start: &str, end: &str) -> &'a str {
    let from = html.find(start).unwrap_or_else(|| panic!("{start:?} not found")) + start.len();
    let to = html[from..].find(end).map_or(html.len(), |i| from + i);
    &html[from..to]
}

/// Every relative `href`/`src` of every HTML page that points to a missing file.
pub fn broken_links(site: &Path) -> Vec<String> {
    let mut broken = Vec::new();
    for (path, bytes) in tree(site) {
        if !path.ends_with(".html") {
            continue;
        }
        let html = String::from_utf8(bytes).unwrap();
        let page_dir = site.join(&path).parent().unwrap().to_path_buf();
        for attr in ["href=\"", "src=\""] {
            for piece in html.split(attr).skip(1) {
                let link = &piece[..piece.find('"').unwrap()];
                if link.is_empty()
                    || link.starts_with('#')
                    || link.contains("://")
                    || link.starts_with("mailto:")
                    || link.starts_with('?')
                {
                    continue;
                }
                let file = link.split(['#', '?']).next().unwrap();
                let target = page_dir.join(file);
                let exists = if file.ends_with('/') || file.is_empty() {
                    target.join("index.html").is_file()
                } else {
                    target.is_file()
                };
                if !exists {
                    broken.push(format!("{path}: {link}"));
                }
            }
        }
    }
    broken
}

/// A running `touchbook serve`, stopped when dropped.
pub struct Server {
    child: Child,
    pub address: String,
}

impl Server {
    pub fn start(dir: &Path) -> Server {
        Server::start_binary(&assert_cmd::cargo::cargo_bin("touchbook"), dir, Duration::from_secs(60))
    }

    /// Starts `serve` from a given binary (benchmarks use the release build), waiting up to
    /// `patience` for the first build.
    pub fn start_binary(binary: &Path, dir: &Path, patience: Duration) -> Server {
        Server::spawn(binary, dir, patience, &[])
    }

    /// Starts `serve` with extra environment variables.
    pub fn start_with_env(dir: &Path, env: &[(&str, &str)]) -> Server {
        Server::spawn(&assert_cmd::cargo::cargo_bin("touchbook"), dir, Duration::from_secs(60), env)
    }

    fn spawn(binary: &Path, dir: &Path, patience: Duration, env: &[(&str, &str)]) -> Server {
        let mut child = std::process::Command::new(binary)
            .current_dir(dir)
            .env("SOURCE_DATE_EPOCH", SOURCE_DATE_EPOCH)
            .envs(env.iter().copied())
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
        let address = rx.recv_timeout(patience).expect("serve prints its address");
        Server { child, address }
    }

    /// A raw HTTP/1.1 GET (the path is sent exactly as given), returning status and body.
    pub fn get(&self, path: &str) -> (u16, String) {
        let mut stream = TcpStream::connect(&self.address).unwrap();
        stream.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
        write!(stream, "GET {path} HTTP/1.1\r\nHost: {}\r\nConnection: close\r\n\r\n", self.address).unwrap();
        let mut response = String::new();
        stream.read_to_string(&mut response).unwrap();
        let status = response.split(' ').nth(1).and_then(|s| s.parse().ok()).unwrap_or(0);
        (status, response)
    }

    /// Polls `path` until `predicate` holds or ten seconds pass.
    pub fn wait_for(&self, path: &str, predicate: impl Fn(&str) -> bool) -> String {
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
