//! Best practices: stories from the floor, linked to the touch points they illustrate.

use time::Date;

use super::content::{replace, AnyDraft, AnyItem, ContentType, Entry, Reading};
use super::edition::Layer;
use super::review::{self, Review};
use super::{id_list, Item, Playbook, Ref};
use crate::config::Config;
use crate::fields::Fields;
use crate::kind::Kind;

#[derive(Debug, Clone)]
pub struct BestPractice {
    pub item: Item,
    pub title: String,
    pub touchpoints: Vec<Ref>,
    pub author: Option<String>,
    pub date: Option<Date>,
    /// In a division folder: publish to every edition.
    pub share: bool,
    /// The division a best practice comes from (`None` for central ones).
    pub division: Option<String>,
    pub review: Review,
}

/// The front matter as written (see `touchpoint::Draft`).
#[derive(Debug, Clone, Default)]
pub(super) struct Draft {
    title: Option<String>,
    touchpoints: Option<Vec<Ref>>,
    author: Option<String>,
    date: Option<Date>,
    share: Option<bool>,
    review: review::Draft,
}

impl Entry for BestPractice {
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

impl ContentType for BestPractice {
    const KIND: Kind = Kind::BestPractice;
    const KEYS: &'static [&'static str] = &["title", "touchpoints", "author", "date", "share"];
    const CENTRAL_ONLY: &'static [(&'static str, &'static str)] =
        &[("share", "`share` is for stories that exist only in a division")];
    type Draft = Draft;

    fn read(_: &Item, fields: &mut Fields<'_, '_>, reading: &Reading<'_>) -> Draft {
        read(fields, reading.config, reading.today)
    }

    fn refs(draft: &Draft) -> Vec<(&'static str, Kind, Vec<Ref>)> {
        draft.touchpoints.iter().map(|t| ("touchpoints", Kind::Touchpoint, t.clone())).collect()
    }

    fn complete(item: Item, draft: Draft, reading: &Reading<'_>, fields: &mut Fields<'_, '_>) -> Option<Self> {
        complete(item, draft, fields, reading.division)
    }

    fn apply(&mut self, draft: Draft, _: &mut Layer<'_>) {
        let Draft { title, touchpoints, author, date, share: _, review } = draft;
        replace(&mut self.title, title.filter(|t| !t.trim().is_empty()));
        replace(&mut self.touchpoints, touchpoints.filter(|t| !t.is_empty()));
        // A blank author clears the central one.
        replace(&mut self.author, author.map(|a| Some(a).filter(|a| !a.trim().is_empty())));
        replace(&mut self.date, date.map(Some));
        review.apply(&mut self.review);
    }

    fn item_mut(&mut self) -> &mut Item {
        &mut self.item
    }

    fn wrap(self) -> AnyItem {
        AnyItem::BestPractice(self)
    }

    fn wrap_draft(draft: Draft) -> AnyDraft {
        AnyDraft::BestPractice(draft)
    }

    fn list(playbook: &Playbook) -> &[Self] {
        &playbook.best_practices
    }

    fn list_mut(playbook: &mut Playbook) -> &mut Vec<Self> {
        &mut playbook.best_practices
    }
}

fn read(fields: &mut Fields<'_, '_>, config: &Config, today: Date) -> Draft {
    let author = fields.string("author");
    if let Some(author) = author.as_ref().filter(|a| a.value.trim() == crate::scaffold::placeholder::AUTHOR) {
        let d = fields.source().warning(author.span.clone(), "`author` is still the placeholder `touchbook new` wrote");
        fields.diags().push(d.with_hint("write the name of the colleague the best practice is about, or who told it"));
    }
    let touchpoints = fields.has("touchpoints").then(|| id_list(fields, "touchpoints"));
    if touchpoints.as_ref().is_some_and(|t| t.len() == 1) && scaffold_guess(fields) {
        let message = "`touchpoints` is still the touch point `touchbook new` picked";
        let d = fields.source().warning(fields.key_span("touchpoints"), message);
        let hint = "name the touch points this best practice is about, then delete the comment after them";
        fields.diags().push(d.with_hint(hint));
    }
    Draft {
        title: fields.string("title").map(|t| t.value),
        touchpoints,
        author: author.map(|a| a.value),
        date: fields.date("date").map(|d| d.value),
        share: fields.bool("share"),
        review: review::read(fields, Kind::BestPractice, config, today),
    }
}

/// Whether the `touchpoints` line still carries the comment `touchbook new` puts after the
/// touch point it picked (the comment is the only trace of a guess a trainer left alone).
fn scaffold_guess(fields: &Fields<'_, '_>) -> bool {
    let text = &fields.source().text;
    let start = fields.key_span("touchpoints").start;
    let line = text[start..].lines().next().unwrap_or_default();
    line.contains(crate::scaffold::placeholder::BEST_PRACTICE_TOUCHPOINTS)
}

fn complete(item: Item, draft: Draft, fields: &mut Fields<'_, '_>, division: Option<&str>) -> Option<BestPractice> {
    let title = fields.required_string("title", "\"How Kari turned a complaint into a renewal\"");
    let touchpoints = draft.touchpoints.unwrap_or_default();
    if touchpoints.is_empty() {
        let span = fields.key_span("touchpoints");
        let message = "a best practice must name at least one touch point in `touchpoints`";
        let d =
            fields.source().error(span, message).with_hint("add a line like `touchpoints = [\"password-reset-call\"]`");
        fields.diags().push(d);
        return None;
    }
    if draft.share == Some(true) && division.is_none() {
        let d = fields
            .source()
            .warning(fields.key_span("share"), "`share` only matters for best practices in a division folder");
        fields.diags().push(d.with_hint("central best practices are in every edition already; remove `share`"));
    }
    Some(BestPractice {
        item,
        title: draft.title.filter(|_| title.is_some())?,
        touchpoints,
        author: draft.author.filter(|a| !a.trim().is_empty()),
        date: draft.date,
        share: draft.share.unwrap_or(false),
        division: division.map(str::to_string),
        review: draft.review.complete(),
    })
}
