//! A whole playbook, read from disk and checked and rendered in memory (`touchbook check`);
//! every page is read back against the HTML policy (`html_policy::check_page`).
//!
//! The input is a bundle of files: each starts with a line `==> path` (relative to
//! `content/`, or `book.toml`, or `data/…` for the help desk's CSV exports, so that exports
//! are fuzzed together with the touch points, categories and divisions they name). Without a
//! `book.toml` of its own the bundle gets one with two divisions, so that overlays,
//! division-only items and localisation are reached. File bytes
//! are written as they are, invalid UTF-8 included.
#![no_main]

use libfuzzer_sys::fuzz_target;
use touchbook::build::{self, BuildOptions};

/// The `book.toml` of a bundle without one; `tests/it/fuzz_regressions.rs` reads it too.
const BOOK_TOML: &str = include_str!("playbook.toml");

const MARKER: &[u8] = b"==> ";
const MAX_FILES: usize = 32;

/// Keeps a path inside the playbook: plain characters only, no `..`, no absolute paths.
fn safe_path(raw: &[u8]) -> Option<String> {
    let text = String::from_utf8_lossy(raw);
    let parts: Vec<String> = text
        .trim()
        .split('/')
        .map(|part| part.chars().filter(|c| c.is_ascii_alphanumeric() || "-_.".contains(*c)).collect::<String>())
        .filter(|part| !part.is_empty() && part.chars().any(|c| c != '.'))
        .collect();
    (!parts.is_empty() && parts.len() <= 6).then(|| parts.join("/"))
}

fn files(data: &[u8]) -> Vec<(String, &[u8])> {
    let mut out = Vec::new();
    let mut rest = data;
    // Everything before the first marker is ignored.
    while let Some(start) = find(rest, MARKER) {
        rest = &rest[start + MARKER.len()..];
        let line_end = rest.iter().position(|&b| b == b'\n').unwrap_or(rest.len());
        let path = &rest[..line_end];
        rest = rest.get(line_end + 1..).unwrap_or_default();
        let end = find(rest, b"\n==> ").map_or(rest.len(), |i| i + 1);
        if let Some(path) = safe_path(path) {
            out.push((path, &rest[..end]));
        }
        rest = &rest[end..];
        if out.len() == MAX_FILES {
            break;
        }
    }
    out
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

fuzz_target!(|data: &[u8]| {
    let files = files(data);
    let dir = tempfile::tempdir().expect("a temporary folder");
    let root = dir.path();
    let mut has_config = false;
    for (path, bytes) in &files {
        let target = if path == "book.toml" {
            has_config = true;
            root.join(path)
        } else if path.starts_with("data/") {
            root.join(path)
        } else {
            root.join("content").join(path)
        };
        // A path that is both a file and a folder of another path: the later one loses.
        if std::fs::create_dir_all(target.parent().unwrap()).is_ok() {
            let _ = std::fs::write(&target, bytes);
        }
    }
    if !has_config {
        std::fs::write(root.join("book.toml"), BOOK_TOML).unwrap();
    }
    let today = time::Date::from_calendar_date(2026, time::Month::November, 22).unwrap();
    let options = BuildOptions::new(root, today);
    if let Ok(report) = build::check(&options) {
        let _ = report.diagnostics.render_text();
        for diagnostic in report.diagnostics.sorted() {
            assert!(!diagnostic.file.is_empty(), "a diagnostic without a file: {diagnostic:?}");
        }
        if !report.diagnostics.has_errors() {
            assert!(report.files.iter().any(|f| f.path == "index.html"), "a clean check renders the home page");
        }
        // Unless the bundle trusts its own HTML, every page holds only what the HTML policy
        // allows: elements, attributes and URL schemes read back from the page, not searched.
        let trusts_html = files.iter().any(|(path, bytes)| path == "book.toml" && find(bytes, b"allow-html").is_some());
        if !trusts_html {
            for file in report.files.iter().filter(|f| f.path.ends_with(".html")) {
                let problems = touchbook::html_policy::check_page(&String::from_utf8_lossy(&file.bytes));
                assert!(problems.is_empty(), "{} holds what the policy does not allow: {problems:?}", file.path);
            }
        }
    }
});
