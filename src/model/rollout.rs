//! Rollouts and campaigns: an announcement plus a weekly programme of meeting packs.

use time::{Date, Duration};

use super::{id_list, Item, Ref};
use crate::fields::Fields;

pub(super) const KEYS: &[&str] = &[
    "title",
    "start",
    "weeks",
    "messages",
    "touchpoints",
    "divisions",
];

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
        self.start
            .saturating_add(Duration::weeks(i64::from(self.weeks)))
            .saturating_sub(Duration::days(1))
    }

    /// Every week of the programme with its dates and meeting pack.
    pub fn schedule(&self) -> Vec<Week> {
        (1..=self.weeks)
            .map(|number| {
                let start = self
                    .start
                    .saturating_add(Duration::weeks(i64::from(number - 1)));
                let id = format!("week-{number}");
                let section = self.item.body.sections.iter().position(|s| s.id == id);
                Week {
                    number,
                    start,
                    end: start.saturating_add(Duration::days(6)),
                    section,
                }
            })
            .collect()
    }
}

pub(super) fn read(item: Item, fields: &mut Fields<'_, '_>) -> Option<Rollout> {
    let title = fields.required_string("title", "\"Service promise rollout\"");
    let start = fields.date("start");
    if !fields.has("start") {
        fields.missing("start", "2026-01-05");
    }
    let weeks = if fields.has("weeks") {
        fields
            .integer(
                "weeks",
                1..=104,
                "the length of the programme in weeks, usually 16",
            )
            .map(|w| w.value as u32)
    } else {
        Some(16)
    };
    let messages = id_list(fields, "messages");
    let touchpoints = id_list(fields, "touchpoints");
    let divisions = id_list(fields, "divisions");
    let weeks = weeks?;
    for section in &item.body.sections {
        let Some(number) = section
            .id
            .strip_prefix("week-")
            .and_then(|n| n.parse::<u32>().ok())
        else {
            continue;
        };
        if number == 0 || number > weeks {
            let message = format!(
                "`{}` is outside the programme, which has {weeks} weeks",
                section.title
            );
            let d = fields.source().error(section.heading_span.clone(), message);
            fields
                .diags()
                .push(d.with_hint(format!("number the weeks 1 to {weeks}, or change `weeks`")));
        }
    }
    Some(Rollout {
        item,
        title: title?.value,
        start: start?.value,
        weeks,
        messages,
        touchpoints,
        divisions,
    })
}
