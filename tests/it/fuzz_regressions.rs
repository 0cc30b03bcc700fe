//! Inputs the fuzzers (`fuzz/`) found interesting, replayed through the binary: each must give
//! a clean result or clear errors — never a panic — and a site whose every page holds only
//! what the HTML policy allows.

use crate::support::*;

#[test]
fn fuzz_regressions_never_panic() {
    let regressions = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("fuzz/regressions");
    let mut replayed = 0;
    for entry in walkdir::WalkDir::new(&regressions).into_iter().map(Result::unwrap) {
        if !entry.file_type().is_file() {
            continue;
        }
        let target = entry.path().parent().unwrap().file_name().unwrap().to_string_lossy().into_owned();
        let bytes = std::fs::read(entry.path()).unwrap();
        let dir = match target.as_str() {
            "playbook" => unpack_bundle(&bytes),
            _ => fixture("base"),
        };
        match target.as_str() {
            "book_toml" => std::fs::write(dir.path().join("book.toml"), &bytes).unwrap(),
            // The markdown target's first byte picks a language; the rest is the file.
            "markdown" => std::fs::write(dir.path().join("content/touchpoints/fuzzed.md"), &bytes[1..]).unwrap(),
            "playbook" => {}
            _ => std::fs::write(dir.path().join("content/touchpoints/fuzzed.md"), &bytes).unwrap(),
        }
        let output = run(dir.path(), &["build"]);
        let messages = stderr(&output);
        assert!(matches!(output.status.code(), Some(0 | 1)), "{}: {messages}", entry.path().display());
        assert!(!messages.contains("panicked"), "{}: {messages}", entry.path().display());
        let trusts_html = read(dir.path().join("book.toml")).contains("allow-html = true");
        if output.status.success() && !trusts_html {
            for page in walkdir::WalkDir::new(dir.path().join("site")).into_iter().map(Result::unwrap) {
                if page.path().extension().is_some_and(|x| x == "html") {
                    let problems = touchbook::html_policy::check_page(&read(page.path()));
                    assert!(problems.is_empty(), "{}: {}: {problems:?}", entry.path().display(), page.path().display());
                }
            }
        }
        replayed += 1;
    }
    assert!(replayed > 0, "no regression inputs found under {}", regressions.display());
}

/// The `playbook` target's `book.toml` for a bundle without one of its own.
const FUZZ_BOOK_TOML: &str = include_str!("../../fuzz/fuzz_targets/playbook.toml");

/// A `playbook` input written out as that target writes it: each `==> path` line starts a
/// file, under `content/` unless it is `book.toml` or under `data/`; a path with anything but
/// plain characters, `..` or more than six parts is skipped, and 32 files at most.
fn unpack_bundle(bytes: &[u8]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let find = |haystack: &[u8], needle: &[u8]| haystack.windows(needle.len()).position(|w| w == needle);
    let mut rest = bytes;
    let mut written = 0;
    let mut has_config = false;
    while let Some(start) = find(rest, b"==> ") {
        rest = &rest[start + 4..];
        let line_end = rest.iter().position(|&b| b == b'\n').unwrap_or(rest.len());
        let raw = String::from_utf8_lossy(&rest[..line_end]).into_owned();
        rest = rest.get(line_end + 1..).unwrap_or_default();
        let end = find(rest, b"\n==> ").map_or(rest.len(), |i| i + 1);
        let parts: Vec<String> = raw
            .trim()
            .split('/')
            .map(|part| part.chars().filter(|c| c.is_ascii_alphanumeric() || "-_.".contains(*c)).collect())
            .filter(|part: &String| !part.is_empty() && part.chars().any(|c| c != '.'))
            .collect();
        if !parts.is_empty() && parts.len() <= 6 {
            let path = parts.join("/");
            let target = if path == "book.toml" {
                has_config = true;
                dir.path().join(&path)
            } else if path.starts_with("data/") {
                dir.path().join(&path)
            } else {
                dir.path().join("content").join(&path)
            };
            if std::fs::create_dir_all(target.parent().unwrap()).is_ok() {
                let _ = std::fs::write(&target, &rest[..end]);
            }
            written += 1;
        }
        rest = &rest[end..];
        if written == 32 {
            break;
        }
    }
    if !has_config {
        std::fs::write(dir.path().join("book.toml"), FUZZ_BOOK_TOML).unwrap();
    }
    dir
}

/// The `markdown` target's inputs replayed as that target reads them (a language, then a body
/// rendered section by section), since as a file of their own most have no front matter and
/// would never reach a page.
#[test]
fn markdown_regressions_render_only_what_the_policy_allows() {
    use touchbook::diagnostics::{Diagnostics, SourceText};
    use touchbook::markdown::{self, RenderOptions};
    let folder = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("fuzz/regressions/markdown");
    let mut diags = Diagnostics::default();
    let theme = touchbook::theme::Theme::load(std::path::Path::new("/nonexistent"), "default", &mut diags);
    let languages = ["en", "nb", "da", "sv"];
    let mut replayed = 0;
    for entry in std::fs::read_dir(&folder).unwrap().map(Result::unwrap) {
        let bytes = std::fs::read(entry.path()).unwrap();
        let Some((pick, rest)) = bytes.split_first() else { continue };
        // As `arbitrary` takes a string from the rest of the input: its longest UTF-8 prefix.
        let text = match std::str::from_utf8(rest) {
            Ok(text) => text,
            Err(error) => std::str::from_utf8(&rest[..error.valid_up_to()]).unwrap(),
        };
        let names = theme.translations(languages[usize::from(*pick) % languages.len()], &mut diags).section_names();
        let source = SourceText::new("content/touchpoints/fuzz.md", text);
        let body = markdown::parse(&source, 0..text.len(), &names, &mut diags);
        let resolve = |dest: &str| Some(format!("/{}.html", dest.trim_end_matches(".md")));
        let options = RenderOptions { resolve: &resolve, verdicts: Some(("Do", "Don't")), sanitise: true };
        let mut html = markdown::render(&body.intro, &options);
        for section in &body.sections {
            html.push_str(&markdown::render(&section.events, &options));
        }
        let problems = touchbook::html_policy::check_page(&html);
        assert!(problems.is_empty(), "{}: {problems:?}", entry.path().display());
        replayed += 1;
    }
    assert!(replayed > 0, "no markdown regressions under {}", folder.display());
}
