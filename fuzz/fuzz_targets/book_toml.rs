//! `book.toml`: every key, type and division rule, with every diagnostic rendered.
#![no_main]

use libfuzzer_sys::fuzz_target;
use touchbook::config;
use touchbook::diagnostics::{Diagnostics, SourceText};

fuzz_target!(|text: &str| {
    let source = SourceText::new("book.toml", text);
    let mut diags = Diagnostics::default();
    let parsed = config::parse(std::path::Path::new("/nonexistent"), &source, &mut diags);
    assert_eq!(parsed.is_none(), diags.has_errors(), "a config must be refused exactly when there are errors");
    let _ = diags.render_text();
});
