//! Touch points: the situations customers meet us in.

use time::Date;

use super::{id_list, Item, Ref};
use crate::config::Config;
use crate::diagnostics::{did_you_mean, one_of};
use crate::fields::Fields;

pub(super) const KEYS: &[&str] = &[
    "title",
    "summary",
    "stage",
    "channels",
    "frequency",
    "difficulty",
    "messages",
    "related",
    "tags",
    "internal",
    "owner",
    "reviewed",
];

/// The section ids a touch point page knows, in page order.
pub const SECTIONS: &[&str] = &["situation", "behaviour", "phrases", "practice", "why"];
/// Sections every touch point must have.
pub const REQUIRED_SECTIONS: &[&str] = &["situation", "behaviour"];

#[derive(Debug, Clone)]
pub struct TouchPoint {
    pub item: Item,
    pub title: String,
    pub summary: String,
    pub stage: String,
    pub channels: Vec<String>,
    /// 1 (rare) … 5 (many times a day).
    pub frequency: u8,
    /// 1 (routine) … 5 (hardest).
    pub difficulty: u8,
    pub messages: Vec<Ref>,
    pub related: Vec<Ref>,
    pub tags: Vec<String>,
    pub internal: bool,
    pub owner: Option<String>,
    pub reviewed: Option<Date>,
}

impl TouchPoint {
    /// The day the next review is due.
    pub fn review_due(&self, interval_days: i64) -> Option<Date> {
        self.reviewed
            .map(|d| d.saturating_add(time::Duration::days(interval_days)))
    }
}

pub(super) fn read(
    item: Item,
    fields: &mut Fields<'_, '_>,
    config: &Config,
    today: Date,
) -> Option<TouchPoint> {
    let title = fields.required_string("title", "\"Customer calls about a late delivery\"");
    let summary = fields.required_string(
        "summary",
        "\"One sentence that says what the situation is.\"",
    );
    let stage = fields.required_string(
        "stage",
        &format!(
            "\"{}\"",
            config.stages.first().map_or("support", String::as_str)
        ),
    );
    let stage_ok = stage.as_ref().is_some_and(|stage| {
        let known = config.stages.contains(&stage.value);
        if !known {
            let hint = did_you_mean(&stage.value, config.stages.iter().map(String::as_str))
                .unwrap_or_else(|| {
                    format!("the stages in book.toml are {}", one_of(&config.stages))
                });
            let d = fields.source().error(
                stage.span.clone(),
                format!("`{}` is not a stage of the journey", stage.value),
            );
            fields.diags().push(d.with_hint(hint));
        }
        known
    });
    let mut channels = Vec::new();
    for channel in fields.string_list("channels").unwrap_or_default() {
        if config.channels.contains(&channel.value) {
            channels.push(channel.value);
        } else {
            let hint = did_you_mean(&channel.value, config.channels.iter().map(String::as_str))
                .unwrap_or_else(|| {
                    format!("the channels in book.toml are {}", one_of(&config.channels))
                });
            let d = fields.source().error(
                channel.span,
                format!("`{}` is not a channel of the journey", channel.value),
            );
            fields.diags().push(d.with_hint(hint));
        }
    }
    let frequency = scale(
        fields,
        "frequency",
        "how often it happens: 1 = rare … 5 = many times a day",
    );
    let difficulty = scale(
        fields,
        "difficulty",
        "how hard it is to handle well: 1 = routine … 5 = hardest",
    );
    let messages = id_list(fields, "messages");
    let related = id_list(fields, "related");
    for r in related.iter().filter(|r| r.value == item.id) {
        let d = fields
            .source()
            .warning(r.span.clone(), "a touch point cannot be related to itself");
        fields.diags().push(d.with_hint("remove it from `related`"));
    }
    let related = related.into_iter().filter(|r| r.value != item.id).collect();
    let tags = fields
        .string_list("tags")
        .unwrap_or_default()
        .into_iter()
        .map(|t| t.value)
        .collect();
    let internal = fields.bool("internal").unwrap_or(false);
    let owner = fields
        .string("owner")
        .map(|o| o.value.trim().to_string())
        .filter(|o| !o.is_empty());
    let reviewed = fields.date("reviewed");
    if let Some(reviewed) = &reviewed {
        if reviewed.value > today {
            let d = fields
                .source()
                .warning(reviewed.span.clone(), "`reviewed` is in the future");
            fields
                .diags()
                .push(d.with_hint("write the date of the last review"));
        } else if reviewed
            .value
            .saturating_add(time::Duration::days(config.review_interval_days))
            < today
        {
            let message = format!(
                "review is due: last reviewed {} (more than {} days ago)",
                reviewed.value, config.review_interval_days
            );
            let d = fields.source().warning(reviewed.span.clone(), message);
            fields
                .diags()
                .push(d.with_hint("review the touch point with its owner and update `reviewed`"));
        }
    }
    for required in REQUIRED_SECTIONS {
        if !item.body.sections.iter().any(|s| s.id == *required) {
            let d = fields.source().error(
                item.body_start..item.body_start,
                format!("missing the `{required}` section"),
            );
            let label = if *required == "situation" {
                "Situation"
            } else {
                "Expected behaviour"
            };
            fields.diags().push(d.with_hint(format!(
                "add a heading `## {label}` (or `## ... {{#{required}}}`) and its text"
            )));
        }
    }
    Some(TouchPoint {
        title: title?.value,
        summary: summary?.value,
        stage: stage.filter(|_| stage_ok)?.value,
        channels,
        frequency: frequency?,
        difficulty: difficulty?,
        messages,
        related,
        tags,
        internal,
        owner,
        reviewed: reviewed.map(|r| r.value),
        item,
    })
}

fn scale(fields: &mut Fields<'_, '_>, key: &str, meaning: &str) -> Option<u8> {
    if !fields.has(key) {
        fields.missing(key, "3");
        return None;
    }
    fields
        .integer(key, 1..=5, meaning)
        .and_then(|v| u8::try_from(v.value).ok())
}
