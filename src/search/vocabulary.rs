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
//! 2 ...                      words of the text, in three sections or more
//! 1 ...                      the text's other words
//! ```
//!
//! A word is listed once, under its heaviest use. Words shorter than [`MIN_LEN`](crate::words::MIN_LEN) are left out:
//! one edit away from a short word is another word, not a typo. At most [`MAX_WORDS`] are
//! listed, the heaviest and then the most used first, which bounds the download (about 3.5
//! bytes a word gzipped, so under 30 KB) however large the playbook.

use std::collections::BTreeMap;
use std::io::Write;

use flate2::write::GzEncoder;
use flate2::Compression;
use rustc_hash::FxHashMap;

use crate::config::Synonyms;
use crate::model::{Item, Playbook};
use crate::words::words;

/// Where the vocabulary goes in an edition, beside the `pagefind/` bundle.
pub(crate) const FILE: &str = "search-words.bin";
/// The most words the vocabulary lists.
pub(crate) const MAX_WORDS: usize = 7000;
/// A word of the text used in this many sections or more is a frequent one (weight 2).
const FREQUENT: u32 = 3;

/// The edition's vocabulary file, gzipped.
pub(crate) fn file(playbook: &Playbook) -> Vec<u8> {
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
pub(crate) fn vocabulary(playbook: &Playbook, synonyms: &Synonyms) -> BTreeMap<String, u8> {
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
    playbook.best_practices.iter().for_each(|p| heavy(&p.title, 5));
    playbook.rollouts.iter().for_each(|r| heavy(&r.title, 5));
    for (word, list) in synonyms {
        std::iter::once(word).chain(list).for_each(|w| heavy(w, 4));
    }
    let items = playbook.touchpoints.iter().map(|t| &t.item).chain(playbook.messages.iter().map(|m| &m.item));
    let items = items
        .chain(playbook.best_practices.iter().map(|p| &p.item))
        .chain(playbook.rollouts.iter().map(|r| &r.item))
        .collect::<Vec<&Item>>();
    // How many sections use each word (each section's words are found once, for all editions).
    let mut counts: FxHashMap<&str, u32> = FxHashMap::default();
    for item in &items {
        for section in &item.body.sections {
            heavy(&section.title, 3);
        }
        let intro = item.body.intro_words.get(&item.body.intro);
        let words = std::iter::once(intro).chain(item.body.sections.iter().map(|s| s.words.get(&s.events)));
        for word in words.flat_map(|words| words.iter()) {
            *counts.entry(word).or_default() += 1;
        }
    }
    let counts: BTreeMap<String, u32> = counts.into_iter().map(|(word, n)| (word.to_string(), n)).collect();
    for (word, count) in &counts {
        if !weights.contains_key(word) {
            weights.insert(word.clone(), if *count >= FREQUENT { 2 } else { 1 });
        }
    }
    cap(weights, &counts, MAX_WORDS)
}

/// The `max` heaviest words, and among words of one weight the most used in the text.
fn cap(weights: BTreeMap<String, u8>, counts: &BTreeMap<String, u32>, max: usize) -> BTreeMap<String, u8> {
    if weights.len() <= max {
        return weights;
    }
    let mut ranked: Vec<(String, u8)> = weights.into_iter().collect();
    let used = |word: &str| counts.get(word).copied().unwrap_or(0);
    ranked.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| used(&b.0).cmp(&used(&a.0))).then_with(|| a.0.cmp(&b.0)));
    ranked.truncate(max);
    ranked.into_iter().collect()
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_long_vocabulary_keeps_the_heaviest_and_most_used_words() {
        let weights: BTreeMap<String, u8> =
            [("title", 5), ("often", 1), ("seldom", 1), ("tagged", 4)].map(|(w, n)| (w.to_string(), n)).into();
        let counts: BTreeMap<String, u32> = [("often", 9), ("seldom", 1)].map(|(w, n)| (w.to_string(), n)).into();
        let kept: Vec<String> = cap(weights, &counts, 3).into_keys().collect();
        assert_eq!(kept, ["often", "tagged", "title"]);
    }

    #[test]
    fn the_text_lists_each_weight_heaviest_first() {
        let vocabulary: BTreeMap<String, u8> =
            [("password", 5), ("billing", 4), ("reset", 5), ("spoke", 1)].map(|(w, n)| (w.to_string(), n)).into();
        assert_eq!(text(&vocabulary), "touchbook-words 1\n5 password reset\n4 billing\n3\n2\n1 spoke\n");
    }
}
