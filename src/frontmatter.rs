//! Splitting a content file into its `+++` TOML front matter and its Markdown body.
//!
//! Offsets are kept so that every later message can point at the right line of the file.

use std::ops::Range;

use crate::diagnostics::{Diagnostics, SourceText};

/// The two parts of a content file, as byte ranges of its text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Split {
    /// The opening `+++` line, used to point at a missing key.
    pub opening: Range<usize>,
    /// The TOML between the `+++` lines.
    pub front_matter: Range<usize>,
    /// Everything after the closing `+++` line.
    pub body: Range<usize>,
}

/// Finds the front matter; reports a missing or unclosed block.
pub fn split(source: &SourceText, diags: &mut Diagnostics) -> Option<Split> {
    let text = &source.text;
    let mut lines = line_ranges(text);
    let Some(first) = lines.next() else {
        diags.push(source.error(0..0, "the file is empty").with_hint(EXAMPLE_HINT));
        return None;
    };
    if text[first.clone()].trim_end() != "+++" {
        let d = source.error(
            first.start..first.end.max(first.start + 1),
            "expected `+++` on the first line to open the front matter",
        );
        diags.push(d.with_hint(EXAMPLE_HINT));
        return None;
    }
    let content_start = first.end;
    for line in lines {
        if text[line.clone()].trim_end() == "+++" {
            return Some(Split {
                opening: first.start..first.start + 3,
                front_matter: content_start..line.start,
                body: line.end..text.len(),
            });
        }
    }
    let d = source.error(first.start..first.start + 3, "the front matter is opened here but never closed");
    diags.push(d.with_hint("add a line with only `+++` after the last front-matter key, before the Markdown text"));
    None
}

const EXAMPLE_HINT: &str = "a content file starts with TOML front matter between `+++` lines, e.g.\n\n+++\ntitle = \"Customer calls about a late delivery\"\n+++\n";

/// Byte ranges of each line including its line ending.
fn line_ranges(text: &str) -> impl Iterator<Item = Range<usize>> + '_ {
    let mut start = 0;
    std::iter::from_fn(move || {
        if start >= text.len() {
            return None;
        }
        let end = text[start..].find('\n').map_or(text.len(), |i| start + i + 1);
        let range = start..end;
        start = end;
        Some(range)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(text: &str) -> (Option<Split>, Diagnostics) {
        let mut diags = Diagnostics::default();
        let split = split(&SourceText::new("a.md", text), &mut diags);
        (split, diags)
    }

    #[test]
    fn splits_front_matter_and_body() {
        let text = "+++\ntitle = \"x\"\n+++\n# Body\n";
        let (split, _) = run(text);
        let split = split.unwrap();
        assert_eq!(&text[split.front_matter], "title = \"x\"\n");
        assert_eq!(&text[split.body], "# Body\n");
    }

    #[test]
    fn accepts_crlf() {
        let text = "+++\r\ntitle = \"x\"\r\n+++\r\nBody\r\n";
        assert_eq!(&text[run(text).0.unwrap().body], "Body\r\n");
    }

    #[test]
    fn reports_unclosed_and_missing() {
        assert_eq!(run("+++\ntitle = 1\n").1.error_count(), 1);
        assert_eq!(run("title = 1\n").1.error_count(), 1);
        assert_eq!(run("").1.error_count(), 1);
    }
}
