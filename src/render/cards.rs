//! Situation cards as HTML: the theme's `card.html`, rendered once per situation and folder
//! depth rather than once per list that shows the card.
//!
//! A card looks the same on every page at the same depth (its links are relative to the root),
//! and lists, best practices, messages, rollouts and related sections show each card many times over.
//! `views` asks for a card's HTML the first time a page shows it and shares it after that.

use std::sync::OnceLock;

use tera::{Tera, Value};

/// The template of one card.
pub(super) const TEMPLATE: &str = "card.html";

/// Renders cards with the edition's shared context (site, `t`, search) plus `tp` and `root`.
pub(super) struct CardHtml<'a> {
    tera: &'a Tera,
    /// What every page shares; set once the views that build it exist.
    shared: OnceLock<Vec<(&'static str, Value)>>,
    /// The first failure: every card fails alike, so it is reported once for the edition.
    failure: OnceLock<tera::Error>,
}

impl<'a> CardHtml<'a> {
    pub(super) fn new(tera: &'a Tera) -> Self {
        CardHtml { tera, shared: OnceLock::new(), failure: OnceLock::new() }
    }

    /// Gives the renderer what every page shares (before the first card is rendered).
    pub(super) fn share(&self, shared: &[(&'static str, Value)]) {
        let _ = self.shared.set(shared.to_vec());
    }

    /// The HTML of `card` on a page `depth` folders below the root; empty if the template
    /// failed, which [`CardHtml::failure`] then tells.
    pub(super) fn render(&self, card: &Value, depth: usize) -> String {
        let shared = self.shared.get().map_or(&[][..], Vec::as_slice);
        let context = super::page_context(shared, [("tp", card.clone()), ("root", Value::from(super::root(depth)))]);
        match super::render_page(self.tera, &context, TEMPLATE, super::FRAGMENT_CAPACITY) {
            Ok(bytes) => {
                String::from_utf8(bytes).unwrap_or_else(|error| String::from_utf8_lossy(error.as_bytes()).into())
            }
            Err(error) => {
                let _ = self.failure.set(error);
                String::new()
            }
        }
    }

    /// Why cards could not be rendered, if they could not.
    pub(super) fn failure(&self) -> Option<&tera::Error> {
        self.failure.get()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tera(card: &str) -> Tera {
        let mut tera = Tera::new();
        tera.add_raw_template(TEMPLATE, card).unwrap();
        tera
    }

    fn card(title: &str) -> Value {
        object! { "url": "touchpoints/a.html", "title": title }
    }

    #[test]
    fn cards_see_the_shared_context_and_their_depth() {
        let tera = tera(r#"<a href="{{ root }}{{ tp.url }}">{{ tp.title }}</a> {{ t }}"#);
        let cards = CardHtml::new(&tera);
        cards.share(&[("t", Value::from("More"))]);

        assert_eq!(cards.render(&card("A"), 0), r#"<a href="./touchpoints/a.html">A</a> More"#);
        assert_eq!(cards.render(&card("A"), 1), r#"<a href="../touchpoints/a.html">A</a> More"#);
        assert!(cards.failure().is_none());
    }

    #[test]
    fn a_failing_card_template_is_reported_once_with_tera_s_reason() {
        let tera = tera("{{ tp.missing.value }}");
        let cards = CardHtml::new(&tera);
        cards.share(&[]);

        assert_eq!(cards.render(&card("A"), 1), "");
        assert_eq!(cards.render(&card("B"), 1), "");
        let failure = cards.failure().expect("the failure is kept").to_string();
        assert!(failure.contains("missing"), "{failure}");
    }
}
