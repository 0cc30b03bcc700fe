//! A Markdown body: split into sections with the section names of one of the four languages,
//! then every section rendered, sanitised and not, and read back against the HTML policy.
#![no_main]

use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;
use touchbook::diagnostics::{Diagnostics, SourceText};
use touchbook::markdown::{self, RenderOptions, SectionNames};
use touchbook::theme::Theme;

const LANGUAGES: &[&str] = &["en", "nb", "da", "sv"];

/// The default theme's section names, read once: the theme is not what is fuzzed here.
fn section_names() -> &'static [SectionNames] {
    static NAMES: OnceLock<Vec<SectionNames>> = OnceLock::new();
    NAMES.get_or_init(|| {
        let mut diags = Diagnostics::default();
        let theme = Theme::load(std::path::Path::new("/nonexistent"), "default", &mut diags);
        LANGUAGES.iter().map(|language| theme.translations(language, &mut diags).section_names()).collect()
    })
}

fuzz_target!(|input: (u8, &str)| {
    let (pick, text) = input;
    let mut diags = Diagnostics::default();
    let names = &section_names()[usize::from(pick) % LANGUAGES.len()];
    let source = SourceText::new("content/touchpoints/fuzz.md", text);
    let body = markdown::parse(&source, 0..text.len(), names, &mut diags);
    let resolve = |dest: &str| Some(format!("/{}.html", dest.trim_end_matches(".md")));
    for sanitise in [true, false] {
        let options = RenderOptions { resolve: &resolve, verdicts: Some(("Do", "Don't")), sanitise };
        let mut html = markdown::render(&body.intro, &options);
        for section in &body.sections {
            html.push_str(&markdown::render(&section.events, &options));
        }
        // Sanitised, or without raw HTML at all, the output holds only what the HTML policy
        // allows (read back from the HTML, not searched for substrings); with `allow-html`,
        // raw HTML is the trainer's own.
        if sanitise || !body.has_raw_html {
            let problems = touchbook::html_policy::check_page(&html);
            assert!(problems.is_empty(), "not allowed by the policy: {problems:?} in {html}");
        }
    }
    let _ = diags.render_text();
});
