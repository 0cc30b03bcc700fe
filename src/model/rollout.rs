//! Rollouts and campaigns: an announcement plus a weekly programme of meeting packs.

use pulldown_cmark::{Event, Tag};
use time::{Date, Duration};

use super::content::{replace, AnyDraft, AnyItem, ContentType, Entry, Reading};
use super::edition::Layer;
use super::review::{self, Review};
use super::{id_list, Item, Playbook, Ref};
use crate::config::Config;
use crate::diagnostics::did_you_mean;
use crate::fields::Fields;
use crate::kind::Kind;
use crate::layout::resolve_content_link;

#[derive(Debug, Clone)]
pub struct Rollout {
    pub item: Item,
    pub title: String,
    pub start: Date,
    pub weeks: u32,
    pub messages: Vec<Ref>,
    pub touchpoints: Vec<Ref>,
    /// Empty means every division.
    pub divisions: Vec<Ref>,
    pub review: Review,
}

/// One week of a rollout's programme.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Week {
    pub number: u32,
    pub start: Date,
    pub end: Date,
    /// Index into the body's sections of this week's meeting pack, if written.
    pub section: Option<usize>,
}

impl Rollout {
    pub fn end(&self) -> Date {
        self.start.saturating_add(Duration::weeks(i64::from(self.weeks))).saturating_sub(Duration::days(1))
    }

    /// Every week of the programme with its dates and meeting pack.
    pub fn schedule(&self) -> Vec<Week> {
        (1..=self.weeks)
            .map(|number| {
                let start = self.start.saturating_add(Duration::weeks(i64::from(number - 1)));
                let id = format!("week-{number}");
                let section = self.item.body.sections.iter().position(|s| s.id == id);
                Week { number, start, end: start.saturating_add(Duration::days(6)), section }
            })
            .collect()
    }

    /// The touch points a week's meeting pack (the body's section `section`) links to, by id,
    /// in the order it names them, each once: what the team practises that week. Whether the
    /// edition has them is the caller's question.
    pub fn week_touchpoints(&self, section: usize) -> Vec<String> {
        let mut ids: Vec<String> = Vec::new();
        let Some(section) = self.item.body.sections.get(section) else { return ids };
        for event in section.events.iter() {
            let Event::Start(Tag::Link { dest_url, .. }) = event else { continue };
            let Some(target) = resolve_content_link(&self.item.source.rel_path, dest_url) else { continue };
            if target.kind == Kind::Touchpoint && !ids.contains(&target.id) {
                ids.push(target.id);
            }
        }
        ids
    }

    /// The touch points the rollout practises, by id: those its front matter names, then those
    /// its weeks' meeting packs link to, each once. Its before-and-after figures are theirs.
    pub fn practised(&self) -> Vec<String> {
        let mut ids: Vec<String> = self.touchpoints.iter().map(|r| r.value.clone()).collect();
        for section in self.schedule().into_iter().filter_map(|week| week.section) {
            for id in self.week_touchpoints(section) {
                if !ids.contains(&id) {
                    ids.push(id);
                }
            }
        }
        ids
    }

    /// Whether the rollout runs in a division's edition (`None`: the central edition).
    pub fn runs_in(&self, division: Option<&str>) -> bool {
        match division {
            None => true,
            Some(d) => self.divisions.is_empty() || self.divisions.iter().any(|r| r.value == d),
        }
    }
}

/// The front matter as written (see `touchpoint::Draft`).
#[derive(Debug, Clone, Default)]
pub(super) struct Draft {
    title: Option<String>,
    start: Option<Date>,
    weeks: Option<u32>,
    messages: Option<Vec<Ref>>,
    touchpoints: Option<Vec<Ref>>,
    divisions: Option<Vec<Ref>>,
    review: review::Draft,
}

impl Entry for Rollout {
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

impl ContentType for Rollout {
    const KIND: Kind = Kind::Rollout;
    const KEYS: &'static [&'static str] = &["title", "start", "weeks", "messages", "touchpoints", "divisions"];
    const CENTRAL_ONLY: &'static [(&'static str, &'static str)] =
        &[("divisions", "a division cannot change which divisions a rollout runs in")];
    type Draft = Draft;

    fn read(item: &Item, fields: &mut Fields<'_, '_>, reading: &Reading<'_>) -> Draft {
        read(item, fields, reading.config, reading.today)
    }

    fn refs(draft: &Draft) -> Vec<(&'static str, Kind, Vec<Ref>)> {
        let mut refs = Vec::new();
        if let Some(messages) = &draft.messages {
            refs.push(("messages", Kind::Message, messages.clone()));
        }
        if let Some(touchpoints) = &draft.touchpoints {
            refs.push(("touchpoints", Kind::Touchpoint, touchpoints.clone()));
        }
        refs
    }

    fn complete(item: Item, draft: Draft, _: &Reading<'_>, fields: &mut Fields<'_, '_>) -> Option<Self> {
        let title = fields.required_string("title", "\"Service promise rollout\"");
        if !fields.has("start") {
            fields.missing("start", "2026-01-05");
        }
        Some(Rollout {
            item,
            title: draft.title.filter(|_| title.is_some())?,
            start: draft.start?,
            weeks: draft.weeks.unwrap_or(16),
            messages: draft.messages.unwrap_or_default(),
            touchpoints: draft.touchpoints.unwrap_or_default(),
            divisions: draft.divisions.unwrap_or_default(),
            review: draft.review.complete(),
        })
    }

    /// A division may translate a rollout and move its start, but not change where it runs
    /// (`divisions` is central only).
    fn apply(&mut self, draft: Draft, layer: &mut Layer<'_>) {
        let Draft { title, start, weeks, messages, touchpoints, divisions: _, review } = draft;
        layer.messages(&mut self.messages, messages);
        replace(&mut self.title, title.filter(|t| !t.trim().is_empty()));
        replace(&mut self.start, start);
        replace(&mut self.weeks, weeks);
        replace(&mut self.touchpoints, touchpoints);
        review.apply(&mut self.review);
    }

    fn item_mut(&mut self) -> &mut Item {
        &mut self.item
    }

    fn wrap(self) -> AnyItem {
        AnyItem::Rollout(self)
    }

    fn wrap_draft(draft: Draft) -> AnyDraft {
        AnyDraft::Rollout(draft)
    }

    fn list(playbook: &Playbook) -> &[Self] {
        &playbook.rollouts
    }

    fn list_mut(playbook: &mut Playbook) -> &mut Vec<Self> {
        &mut playbook.rollouts
    }
}

fn read(item: &Item, fields: &mut Fields<'_, '_>, config: &Config, today: Date) -> Draft {
    let weeks =
        fields.integer("weeks", 1..=104, "the length of the programme in weeks, usually 16").map(|w| w.value as u32);
    let divisions = fields.has("divisions").then(|| id_list(fields, "divisions"));
    for d in divisions.iter().flatten() {
        if !config.divisions.iter().any(|div| div.id == d.value) {
            let known: Vec<&str> = config.divisions.iter().map(|d| d.id.as_str()).collect();
            let hint = did_you_mean(&d.value, known.iter().copied()).unwrap_or_else(|| match known.is_empty() {
                true => "divisions are configured in book.toml as `[divisions.<id>]`".to_string(),
                false => format!("the divisions in book.toml are {}", crate::diagnostics::one_of(&known)),
            });
            let message = format!("`{}` in `divisions` is not a division of this playbook", d.value);
            let d = fields.source().error(d.span.clone(), message).with_hint(hint);
            fields.diags().push(d);
        }
    }
    let limit = weeks.unwrap_or(16);
    for section in &item.body.sections {
        let Some(number) = section.id.strip_prefix("week-").and_then(|n| n.parse::<u32>().ok()) else {
            continue;
        };
        if number == 0 || number > limit {
            let message = format!("`{}` is outside the programme, which has {limit} weeks", section.title);
            let d = fields.source().error(section.heading_span.clone(), message);
            fields.diags().push(d.with_hint(format!("number the weeks 1 to {limit}, or change `weeks`")));
        }
    }
    unwritten_packs(item, fields);
    Draft {
        title: fields.string("title").map(|t| t.value),
        start: fields.date("start").map(|d| d.value),
        weeks,
        messages: fields.has("messages").then(|| id_list(fields, "messages")),
        touchpoints: fields.has("touchpoints").then(|| id_list(fields, "touchpoints")),
        divisions,
        review: review::read(fields, Kind::Rollout, config, today),
    }
}

/// Warns once about the weeks whose meeting pack is empty or still the scaffold's text, so a
/// line manager never opens an empty agenda.
fn unwritten_packs(item: &Item, fields: &mut Fields<'_, '_>) {
    let placeholder = crate::scaffold::placeholder::MEETING_PACK;
    let unwritten: Vec<&crate::markdown::Section> = item
        .body
        .sections
        .iter()
        .filter(|s| s.id.starts_with("week-"))
        .filter(|s| {
            let text = plain_text(&s.events);
            text.is_empty() || text == placeholder
        })
        .collect();
    let message = match unwritten.as_slice() {
        [] => return,
        [one] => format!("the meeting pack `{}` is empty or still the text `touchbook new` wrote", one.title),
        [_, more @ ..] => format!(
            "{} meeting packs are empty or still the text `touchbook new` wrote: `{}` and {} more",
            more.len() + 1,
            unwritten[0].title,
            more.len()
        ),
    };
    let d = fields.source().warning(unwritten[0].heading_span.clone(), message);
    fields.diags().push(d.with_hint("write each week's agenda, or remove the weeks that need no meeting pack"));
}

/// The words of a section, without markup, trimmed.
fn plain_text(events: &[pulldown_cmark::Event<'_>]) -> String {
    let mut text = String::new();
    for event in events {
        match event {
            pulldown_cmark::Event::Text(t) | pulldown_cmark::Event::Code(t) => text.push_str(t),
            pulldown_cmark::Event::SoftBreak | pulldown_cmark::Event::HardBreak => text.push(' '),
            _ => {}
        }
    }
    text.trim().to_string()
}
