//! Brand messages: the promises customers hear, and what they mean for behaviour.

use time::Date;

use super::content::{replace, AnyDraft, AnyItem, ContentType, Entry, Reading};
use super::edition::Layer;
use super::review::{self, Review};
use super::{Item, Playbook, Ref};
use crate::config::Config;
use crate::fields::Fields;
use crate::kind::Kind;
const CAMPAIGN_KEYS: &[&str] = &["name", "start", "end", "url"];

#[derive(Debug, Clone)]
pub struct Message {
    pub item: Item,
    pub title: String,
    /// The line customers hear.
    pub promise: String,
    pub campaign: Option<Campaign>,
    pub review: Review,
}

/// A campaign that carries a brand message for a period.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Campaign {
    pub name: String,
    pub start: Date,
    pub end: Date,
    pub url: Option<String>,
}

/// The front matter as written (see `touchpoint::Draft`).
#[derive(Debug, Clone, Default)]
pub(super) struct Draft {
    title: Option<String>,
    promise: Option<String>,
    campaign: Option<Campaign>,
    review: review::Draft,
}

impl Entry for Message {
    fn item(&self) -> &Item {
        &self.item
    }

    fn title(&self) -> &str {
        &self.title
    }

    fn review(&self) -> &Review {
        &self.review
    }
}

impl ContentType for Message {
    const KIND: Kind = Kind::Message;
    const KEYS: &'static [&'static str] = &["title", "promise", "campaign"];
    type Draft = Draft;

    fn read(_: &Item, fields: &mut Fields<'_, '_>, reading: &Reading<'_>) -> Draft {
        read(fields, reading.config, reading.today)
    }

    fn refs(_: &Draft) -> Vec<(&'static str, Kind, Vec<Ref>)> {
        Vec::new()
    }

    fn complete(item: Item, draft: Draft, _: &Reading<'_>, fields: &mut Fields<'_, '_>) -> Option<Self> {
        let title = fields.required_string("title", "\"We own it\"");
        let promise =
            fields.required_string("promise", "\"When you call us, the problem is ours until it is solved.\"");
        Some(Message {
            item,
            title: title?.value,
            promise: promise?.value,
            campaign: draft.campaign,
            review: draft.review.complete(),
        })
    }

    fn apply(&mut self, draft: Draft, _: &mut Layer<'_>) {
        let Draft { title, promise, campaign, review } = draft;
        replace(&mut self.title, title.filter(|t| !t.trim().is_empty()));
        replace(&mut self.promise, promise.filter(|t| !t.trim().is_empty()));
        replace(&mut self.campaign, campaign.map(Some));
        review.apply(&mut self.review);
    }

    fn item_mut(&mut self) -> &mut Item {
        &mut self.item
    }

    fn wrap(self) -> AnyItem {
        AnyItem::Message(self)
    }

    fn wrap_draft(draft: Draft) -> AnyDraft {
        AnyDraft::Message(draft)
    }

    fn list(playbook: &Playbook) -> &[Self] {
        &playbook.messages
    }

    fn list_mut(playbook: &mut Playbook) -> &mut Vec<Self> {
        &mut playbook.messages
    }
}

fn read(fields: &mut Fields<'_, '_>, config: &Config, today: Date) -> Draft {
    let campaign = fields.table("campaign").and_then(|(table, at)| {
        let mut campaign = fields.nested(table, at.clone(), "`campaign`", CAMPAIGN_KEYS);
        let name = campaign.required_string("name", "\"Spring service week\"");
        let start = campaign.date("start");
        let end = campaign.date("end");
        for (key, example) in [("start", "2026-03-01"), ("end", "2026-03-31")] {
            if !campaign.has(key) {
                campaign.missing(key, example);
            }
        }
        let url = campaign.url("url").map(|u| u.value);
        let (start, end) = (start?, end?);
        if end.value < start.value {
            let d = campaign.source().error(end.span, "the campaign ends before it starts");
            campaign.diags().push(d.with_hint(format!("`end` must be on or after {}", start.value)));
            return None;
        }
        Some(Campaign { name: name?.value, start: start.value, end: end.value, url })
    });
    Draft {
        title: fields.string("title").map(|t| t.value),
        promise: fields.string("promise").map(|p| p.value),
        campaign,
        review: review::read(fields, Kind::Message, config, today),
    }
}
