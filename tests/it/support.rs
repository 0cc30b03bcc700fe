//! The small harness every test goes through: copy a fixture, run the binary, read the site.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Output;

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
