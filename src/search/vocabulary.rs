//! The vocabulary of an edition: the words its search can find, each with a weight, written
//! next to the search bundle for the theme's script to correct a query that found nothing
//! ("pasword" → "password").
//!
//! The script fetches it only after such a query, so it adds nothing to a search that finds
//! something. It is gzipped (every browser unpacks it with `DecompressionStream`) and holds a
//! line per weight, heaviest first, each with its words sorted (which compresses best):
//!
//! ```text
//! touchbook-words 1
//! 5 invoice password ...     titles
//! 4 billing supervisor ...   tags, other names (`also-known-as`), synonyms of book.toml
//! 3 escalate ...             summaries, promises, section headings
//! 2 ...                      words of the text used three times or more
//! 1 ...                      the text's other words
//! ```
//!
//! A word is listed once, under its heaviest use. Words shorter than [`MIN_LEN`] are left out:
//! one edit away from a short word is another word, not a typo. The text's words are capped
//! at [`MAX_TEXT_WORDS`], the most used first, which bounds the download for large playbooks.

use std::collections::BTreeMap;
use std::io::Write;

use flate2::write::GzEncoder;
use flate2::Compression;
use pulldown_cmark::Event;

use crate::config::Synonyms;
use crate::markdown::Events;
use crate::model::{Item, Playbook};

/// Where the vocabulary goes in an edition, beside the `pagefind/` bundle.
pub const FILE: &str = "search-words.bin";
/// Shorter words are not corrected.
pub const MIN_LEN: usize = 4;
/// Longer runs of letters are codes or pasted addresses, not words anyone types.
const MAX_LEN: usize = 24;
/// The most words of the text (not titles, tags or headings) the vocabulary lists.
pub const MAX_TEXT_WORDS: usize = 8000;
/// A word of the text used this often or more is a frequent one (weight 2).
const FREQUENT: u32 = 3;

/// The edition's vocabulary file, gzipped.
pub fn file(playbook: &Playbook) -> Vec<u8> {
    let synonyms = match &playbook.division {
        Some(division) => &division.synonyms,
        None => &playbook.config.synonyms,
    };
    let text = text(&vocabulary(playbook, synonyms));
    let mut gz = GzEncoder::new(Vec::new(), Compression::best());
    // Writing to a Vec cannot fail.
    let _ = gz.write_all(text.as_bytes());
    gz.finish().unwrap_or_default()
}

/// Each word with its weight (5 titles … 1 rare words of the text).
pub fn vocabulary(playbook: &Playbook, synonyms: &Synonyms) -> BTreeMap<String, u8> {
    let mut weights: BTreeMap<String, u8> = BTreeMap::new();
    let mut heavy = |text: &str, weight: u8| {
        for word in words(text) {
            let entry = weights.entry(word).or_insert(weight);
            *entry = (*entry).max(weight);
        }
    };
    for tp in &playbook.touchpoints {
        heavy(&tp.title, 5);
        tp.tags.iter().chain(&tp.also_known_as).for_each(|t| heavy(t, 4));
        heavy(&tp.summary, 3);
    }
    for m in &playbook.messages {
        heavy(&m.title, 5);
        heavy(&m.promise, 3);
    }
    playbook.practices.iter().for_each(|p| heavy(&p.title, 5));
    playbook.rollouts.iter().for_each(|r| heavy(&r.title, 5));
    for (word, list) in synonyms {
        std::iter::once(word).chain(list).for_each(|w| heavy(w, 4));
    }
    let items = playbook.touchpoints.iter().map(|t| &t.item).chain(playbook.messages.iter().map(|m| &m.item));
    let items = items
        .chain(playbook.practices.iter().map(|p| &p.item))
        .chain(playbook.rollouts.iter().map(|r| &r.item))
        .collect::<Vec<&Item>>();
    let mut counts: BTreeMap<String, u32> = BTreeMap::new();
    for item in &items {
        for section in &item.body.sections {
            heavy(&section.title, 3);
        }
        for events in std::iter::once(&item.body.intro).chain(item.body.sections.iter().map(|s| &s.events)) {
            for word in text_words(events) {
                *counts.entry(word).or_default() += 1;
            }
        }
    }
    let mut text: Vec<(String, u32)> = counts.into_iter().filter(|(word, _)| !weights.contains_key(word)).collect();
    text.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    text.truncate(MAX_TEXT_WORDS);
    for (word, count) in text {
        weights.insert(word, if count >= FREQUENT { 2 } else { 1 });
    }
    weights
}

/// The file's text: a header line, then a line per weight, heaviest first.
fn text(vocabulary: &BTreeMap<String, u8>) -> String {
    let mut out = String::from("touchbook-words 1\n");
    for weight in (1..=5).rev() {
        out.push_str(&weight.to_string());
        for (word, _) in vocabulary.iter().filter(|(_, w)| **w == weight) {
            out.push(' ');
            out.push_str(word);
        }
        out.push('\n');
    }
    out
}

/// The words of a Markdown body's text and code.
fn text_words(events: &Events) -> impl Iterator<Item = String> + '_ {
    events
        .iter()
        .filter_map(|event| match event {
            Event::Text(t) | Event::Code(t) => Some(t),
            _ => None,
        })
        .flat_map(|t| words(t))
}

/// Lowercased runs of letters (digits and marks within a word kept, as Pagefind keeps them),
/// of a length worth correcting.
pub fn words(text: &str) -> impl Iterator<Item = String> + '_ {
    text.split(|c: char| !c.is_alphanumeric())
        .filter(|w| (MIN_LEN..=MAX_LEN).contains(&w.chars().count()))
        .filter(|w| w.chars().any(char::is_alphabetic))
        .map(str::to_lowercase)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_are_lowercased_letters_long_enough_to_correct() {
        let found: Vec<String> = words("Don't e-mail the QBR; Fakturaen (2026) forsinket, påminnelse!").collect();
        assert_eq!(found, ["mail", "fakturaen", "forsinket", "påminnelse"]);
    }

    #[test]
    fn the_text_lists_each_weight_heaviest_first() {
        let vocabulary: BTreeMap<String, u8> =
            [("password", 5), ("billing", 4), ("reset", 5), ("spoke", 1)].map(|(w, n)| (w.to_string(), n)).into();
        assert_eq!(text(&vocabulary), "touchbook-words 1\n5 password reset\n4 billing\n3\n2\n1 spoke\n");
    }
}
