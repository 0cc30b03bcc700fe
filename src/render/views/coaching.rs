//! The views for coaching and practice: a situation's coaching card (its do and don't items
//! with boxes to tick while listening to a real call), the situations a week's meeting pack
//! practises, and the self-check page of the most frequent and hardest situations.

use tera::Value;

use super::Views;
use crate::kind::Kind;
use crate::model::{Rollout, TouchPoint};

impl Views<'_> {
    /// A situation's coaching card on its own page: its do and don't items as plain text,
    /// each to be ticked seen or not seen. Empty lists when the behaviour has no marked items
    /// (the card then says so rather than printing an empty table).
    pub(super) fn coaching_card(&self, tp: &TouchPoint) -> Value {
        self.keyed_card(tp, "card")
    }

    /// A coaching card whose `key` is its own on the page: the ids its boxes' labels point at
    /// are made from it, so a page with several cards (a rollout's) keeps them apart. It comes
    /// with the card rather than from the template that places it, so that a theme's own
    /// templates, older or newer, still fit together.
    fn keyed_card(&self, tp: &TouchPoint, key: &str) -> Value {
        let items = tp
            .item
            .body
            .sections
            .iter()
            .find(|s| s.id == "behaviour")
            .map(|s| crate::markdown::verdict_items(&s.events))
            .unwrap_or_default();
        let texts = |wanted: bool| -> Vec<Value> {
            items.iter().filter(|(is_do, _)| *is_do == wanted).map(|(_, text)| Value::from(text.as_str())).collect()
        };
        object! {
            "id": tp.item.id.as_str(),
            "key": key,
            "title": tp.title.as_str(),
            "lang": self.text_language(Kind::Touchpoint, &tp.item.id),
            "do": texts(true),
            "dont": texts(false),
        }
    }

    /// A situation as a meeting pack or the self-check shows it, on a page `depth` folders
    /// down: its title, the sections staff practise from, and its coaching card (`key`).
    pub(super) fn practised(&self, tp: &TouchPoint, depth: usize, key: &str) -> Value {
        let item = &tp.item;
        let language = self.text_language(Kind::Touchpoint, &item.id);
        let sections: Vec<Value> = crate::kind::TOUCHPOINT_SECTIONS
            .iter()
            .filter_map(|id| item.body.sections.iter().find(|s| s.id == *id))
            .map(|s| self.section_at(item, s, language.as_deref(), depth))
            .collect();
        object! {
            "id": item.id.as_str(),
            "url": crate::layout::page(Kind::Touchpoint, &item.id),
            "title": tp.title.as_str(),
            "summary": tp.summary.as_str(),
            "lang": language,
            "sections": sections,
            "card": self.keyed_card(tp, key),
        }
    }

    /// The situations a week's pack links to, in the order it names them, each once: what the
    /// team practises that week. Links to situations this edition lacks are left out.
    pub(super) fn week_touchpoints(&self, rollout: &Rollout, section: usize) -> Vec<Value> {
        let playbook = self.edition.playbook;
        // A card's key is its week's id and its place in the week: the same situation may be
        // practised in several weeks of one page.
        let week = &rollout.item.body.sections[section].id;
        let ids = rollout.week_touchpoints(section);
        let situations = ids.iter().filter_map(|id| playbook.touchpoint(id));
        situations.enumerate().map(|(i, tp)| self.practised(tp, 1, &format!("{week}.{}", i + 1))).collect()
    }

    /// The self-check page: the most frequent and the hardest situations (those the start
    /// page shows), each once, with what the learner sorts and the answers.
    pub(crate) fn practise(&self) -> Value {
        let (frequent, hardest) = self.frequent_and_hardest();
        let mut set: Vec<&TouchPoint> = Vec::new();
        for tp in frequent.into_iter().chain(hardest) {
            if !set.iter().any(|t| t.item.id == tp.item.id) {
                set.push(tp);
            }
        }
        object! {
            "title": self.edition.strings.get("practise.title"),
            // Keyed by situation: a theme showing each one's card on this page keeps their ids apart.
            "touchpoints": set.into_iter().map(|tp| self.practised(tp, 0, &format!("card-{}", tp.item.id))).collect::<Vec<_>>(),
        }
    }
}
