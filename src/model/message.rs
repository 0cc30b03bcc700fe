//! Brand messages: the promises customers hear, and what they mean for behaviour.

use time::Date;

use super::review::{self, Review};
use super::Item;
use crate::config::Config;
use crate::fields::Fields;
use crate::source::Kind;

pub(super) const KEYS: &[&str] = &["title", "promise", "campaign"];
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

pub(super) fn read(fields: &mut Fields<'_, '_>, config: &Config, today: Date) -> Draft {
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

pub(super) fn complete(item: Item, draft: Draft, fields: &mut Fields<'_, '_>) -> Option<Message> {
    let title = fields.required_string("title", "\"We own it\"");
    let promise = fields.required_string("promise", "\"When you call us, the problem is ours until it is solved.\"");
    Some(Message {
        item,
        title: title?.value,
        promise: promise?.value,
        campaign: draft.campaign,
        review: draft.review.complete(),
    })
}

pub(super) fn apply(message: &mut Message, draft: Draft) {
    if let Some(v) = draft.title.filter(|t| !t.trim().is_empty()) {
        message.title = v;
    }
    if let Some(v) = draft.promise.filter(|t| !t.trim().is_empty()) {
        message.promise = v;
    }
    if let Some(v) = draft.campaign {
        message.campaign = Some(v);
    }
    draft.review.apply(&mut message.review);
}
