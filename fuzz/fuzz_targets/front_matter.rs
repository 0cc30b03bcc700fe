//! Front matter of one content file: finding the `+++` block, then reading it as TOML.
//! Every diagnostic is rendered, because turning byte offsets into line:column is where
//! multi-byte text could go wrong.
#![no_main]

use libfuzzer_sys::fuzz_target;
use touchbook::diagnostics::{Diagnostics, SourceText};
use touchbook::{fields, frontmatter};

fuzz_target!(|text: &str| {
    let source = SourceText::new("content/touchpoints/fuzz.md", text);
    let mut diags = Diagnostics::default();
    if let Some(split) = frontmatter::split(&source, &mut diags) {
        let front = &source.text[split.front_matter.clone()];
        let _ = fields::parse_table(&source, front, split.front_matter.start, &mut diags);
        assert!(split.body.end <= source.text.len());
    }
    let _ = diags.render_text();
});
