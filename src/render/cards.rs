//! Situation cards as HTML: the theme's `card.html`, rendered once per situation and folder
//! depth rather than once per list that shows the card.
//!
//! A card looks the same on every page at the same depth (its links are relative to the root),
//! and lists show thousands of them: at 10,000 situations the lists, stories, messages,
//! rollouts and related sections rendered about 95,000 cards, a fifth of all rendering.
//! `views` asks for a card's HTML the first time a page shows it and copies it after that.

use std::sync::{Mutex, OnceLock, PoisonError};

use serde_json::{Map, Value};
use tera::Tera;

/// The template of one card.
pub const TEMPLATE: &str = "card.html";

/// Renders cards with the edition's shared context (site, `t`, search) plus `tp` and `root`.
pub struct CardHtml<'a> {
    tera: &'a Tera,
    /// What every page shares; set once the views that build it exist.
    shared: OnceLock<tera::Context>,
    /// Contexts lent to card renderings, kept for the next one: a copy of the shared context
    /// costs as much as a few cards, and pages render on several threads at once.
    spare: Mutex<Vec<tera::Context>>,
    /// The first failure: every card fails alike, so it is reported once for the edition.
    failure: OnceLock<String>,
}

impl<'a> CardHtml<'a> {
    pub fn new(tera: &'a Tera) -> Self {
        CardHtml { tera, shared: OnceLock::new(), spare: Mutex::new(Vec::new()), failure: OnceLock::new() }
    }

    /// Gives the renderer what every page shares (before the first card is rendered).
    pub fn share(&self, shared: &tera::Context) {
        let _ = self.shared.set(shared.clone());
    }

    /// The HTML of `card` on a page `depth` folders below the root; empty if the template
    /// failed, which [`CardHtml::failure`] then tells.
    pub fn render(&self, card: &Value, depth: usize) -> String {
        let spare = self.spare.lock().unwrap_or_else(PoisonError::into_inner).pop();
        let mut context = spare.unwrap_or_else(|| self.shared.get().cloned().unwrap_or_default());
        let mut page = Map::new();
        page.insert("tp".into(), card.clone());
        page.insert("root".into(), Value::from(super::root(depth)));
        let rendered = super::render_page(self.tera, &mut context, TEMPLATE, page);
        self.spare.lock().unwrap_or_else(PoisonError::into_inner).push(context);
        rendered.unwrap_or_else(|error| {
            let _ = self.failure.set(super::error_chain(&error));
            String::new()
        })
    }

    /// Why cards could not be rendered, if they could not.
    pub fn failure(&self) -> Option<&str> {
        self.failure.get().map(String::as_str)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn tera(card: &str) -> Tera {
        let mut tera = Tera::default();
        tera.autoescape_on(vec![".html"]);
        tera.set_escape_fn(crate::markdown::escape);
        tera.add_raw_template(TEMPLATE, card).unwrap();
        tera
    }

    #[test]
    fn cards_see_the_shared_context_and_their_depth() {
        let tera = tera(r#"<a href="{{ root }}{{ tp.url }}">{{ tp.title }}</a> {{ t.more }}"#);
        let cards = CardHtml::new(&tera);
        cards.share(&tera::Context::from_value(json!({ "t": { "more": "More" } })).unwrap());
        let card = json!({ "url": "touchpoints/a.html", "title": "A" });

        assert_eq!(cards.render(&card, 0), r#"<a href="./touchpoints/a.html">A</a> More"#);
        assert_eq!(cards.render(&card, 1), r#"<a href="../touchpoints/a.html">A</a> More"#);
        assert_eq!(cards.failure(), None);
    }

    #[test]
    fn a_failing_card_template_is_reported_once_with_tera_s_reason() {
        let tera = tera("{{ tp.missing.value }}");
        let cards = CardHtml::new(&tera);
        cards.share(&tera::Context::new());

        assert_eq!(cards.render(&json!({ "title": "A" }), 1), "");
        assert_eq!(cards.render(&json!({ "title": "B" }), 1), "");
        let failure = cards.failure().expect("the failure is kept");
        assert!(failure.contains("tp.missing.value"), "{failure}");
    }
}
