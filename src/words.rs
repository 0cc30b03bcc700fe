//! The words of Markdown text the search box corrects a query against: lowercased runs of
//! letters of a length worth correcting, each section's found once and only when asked.

use std::collections::HashMap;
use std::sync::Arc;

use pulldown_cmark::Event;

/// Shorter words are not corrected.
pub(crate) const MIN_LEN: usize = 4;
/// Longer runs of letters are codes or pasted addresses, not words anyone types.
const MAX_LEN: usize = 24;

/// The distinct words of a section's text, sorted.
pub(crate) type Words = Arc<[Box<str>]>;

/// A section's [`Words`], found the first time the vocabulary asks for them (never in a build
/// without search) and shared by every edition that shows the section.
#[derive(Debug, Clone, Default)]
pub struct LazyWords(Arc<std::sync::OnceLock<Words>>);

impl LazyWords {
    /// The words of `events`, which must be the events of the section these words belong to.
    pub fn get(&self, events: &[Event<'_>]) -> &Words {
        self.0.get_or_init(|| distinct_words(events))
    }
}

/// The distinct [`words`] of the text and code of Markdown events.
pub(crate) fn distinct_words(events: &[Event<'_>]) -> Words {
    let mut counts = HashMap::new();
    let mut word = String::new();
    for event in events {
        if let Event::Text(text) | Event::Code(text) = event {
            count(text, &mut word, &mut counts);
        }
    }
    let mut words: Vec<Box<str>> = counts.into_keys().map(String::into_boxed_str).collect();
    words.sort_unstable();
    words.into()
}

/// Counts the [`words`] of `text`. This runs over every word of every file, so a word already
/// counted costs no allocation (`word` is the buffer it is lowercased into).
fn count(text: &str, word: &mut String, counts: &mut HashMap<String, u32>) {
    for raw in text.split(|c: char| !c.is_alphanumeric()) {
        // A word's length in bytes is at least its length in letters.
        if raw.len() < MIN_LEN {
            continue;
        }
        word.clear();
        if raw.is_ascii() {
            word.push_str(raw);
            word.make_ascii_lowercase();
        } else {
            word.extend(raw.chars().flat_map(char::to_lowercase));
        }
        match counts.get_mut(word.as_str()) {
            Some(n) => *n += 1,
            None if worth_correcting(raw) => {
                counts.insert(word.clone(), 1);
            }
            None => {}
        }
    }
}

fn worth_correcting(word: &str) -> bool {
    (MIN_LEN..=MAX_LEN).contains(&word.chars().count()) && word.chars().any(char::is_alphabetic)
}

/// Lowercased runs of letters (digits and marks within a word kept, as Pagefind keeps them),
/// of a length worth correcting.
pub(crate) fn words(text: &str) -> impl Iterator<Item = String> + '_ {
    text.split(|c: char| !c.is_alphanumeric()).filter(|w| worth_correcting(w)).map(str::to_lowercase)
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
    fn the_text_is_counted_in_the_same_words() {
        let text = "Don't e-mail the QBR; Fakturaen (2026) forsinket, påminnelse! Mail MAIL";
        let mut counts = HashMap::new();
        count(text, &mut String::new(), &mut counts);
        let mut expected: HashMap<String, u32> = HashMap::new();
        words(text).for_each(|w| *expected.entry(w).or_default() += 1);
        assert_eq!(counts, expected);
        assert_eq!(counts["mail"], 3);
    }
}
