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
        let dir = fixture("base");
        match target.as_str() {
            "book_toml" => std::fs::write(dir.path().join("book.toml"), &bytes).unwrap(),
            // The markdown target's first byte picks a language; the rest is the file.
            "markdown" => std::fs::write(dir.path().join("content/touchpoints/fuzzed.md"), &bytes[1..]).unwrap(),
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
