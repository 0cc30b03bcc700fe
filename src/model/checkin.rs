//! Check-ins: a line manager's record of the weeks of a rollout held in a division (or one of
//! its teams). One file per division and rollout, `content/divisions/<d>/checkins/<rollout>.md`,
//! with a `[[week]]` table per meeting held.
//!
//! Reading a file checks what the file alone can tell (keys, types, ranges, teams); whether the
//! rollout exists, the week is in its programme and the date is after the division's start is
//! checked by `followup` once the division's edition is assembled.

use std::ops::Range;
use std::sync::Arc;

use time::Date;

use super::{id_list, Ref};
use crate::config::Division;
use crate::diagnostics::{did_you_mean, one_of, SourceText};
use crate::fields::Fields;
use crate::kind::Kind;

pub(super) const KEYS: &[&str] = &["week"];
const WEEK_KEYS: &[&str] =
    &["number", "team", "held-on", "attendees", "practised", "action", "obstacle", "obstacle-note", "share"];

/// One week of a rollout, held in a division or one of its teams.
#[derive(Debug, Clone)]
pub struct Checkin {
    pub division: String,
    /// The rollout's id: the file's name.
    pub rollout: String,
    pub number: u32,
    /// `None`: the whole division (every team, where it has teams).
    pub team: Option<String>,
    pub held_on: Date,
    pub attendees: Option<u32>,
    pub practised: Vec<Ref>,
    /// The one thing the team agreed to do.
    pub action: Option<String>,
    /// What stands in the way, 1 (nothing) to 5 (it blocks us), and in a sentence.
    pub obstacle: Option<u8>,
    pub obstacle_note: Option<String>,
    /// Whether other divisions may see the action.
    pub share: bool,
    pub source: Arc<SourceText>,
    /// Where the week's number and date are written, for checks made later.
    pub number_span: Range<usize>,
    pub held_on_span: Range<usize>,
}

impl Checkin {
    /// What another edition may show of a shared check-in: its action, never its obstacle.
    pub fn shared_part(&self) -> Checkin {
        Checkin { obstacle: None, obstacle_note: None, attendees: None, practised: Vec::new(), ..self.clone() }
    }
}

/// Reads the `[[week]]` tables of one check-in file. Returns the weeks that are complete and
/// every touch point id they name (for the links stage).
pub(super) fn read(
    rollout: &str,
    source: &Arc<SourceText>,
    division: &Division,
    fields: &mut Fields<'_, '_>,
    today: Date,
) -> (Vec<Checkin>, Vec<Ref>) {
    let mut weeks: Vec<Checkin> = Vec::new();
    let mut practised_all = Vec::new();
    let tables = fields.table_list("week");
    if tables.is_empty() && !fields.has("week") {
        let message = "a check-in file records its weeks as `[[week]]` tables";
        let hint = "add a week like:\n[[week]]\nnumber = 1\nheld-on = 2026-10-06\naction = \"...\"";
        let d = fields.source().warning(fields.key_span("week"), message).with_hint(hint);
        fields.diags().push(d);
    }
    for (table, at) in tables {
        let mut week = fields.nested(table, at.clone(), "a [[week]] of a check-in", WEEK_KEYS);
        let number = week.integer("number", 1..=104, "the week of the rollout's programme, from 1");
        if !week.has("number") {
            week.missing("number", "1");
        }
        let held_on = week.date("held-on");
        if !week.has("held-on") {
            week.missing("held-on", "2026-10-06");
        }
        let team = week.string("team").and_then(|team| {
            if division.teams.contains(&team.value) {
                return Some(team.value);
            }
            let hint = if division.teams.is_empty() {
                format!(
                    "{} lists no teams in book.toml: remove `team`, or add `teams = [\"{}\"]` to [divisions.{}]",
                    division.name, team.value, division.id
                )
            } else {
                did_you_mean(&team.value, division.teams.iter().map(String::as_str))
                    .unwrap_or_else(|| format!("the teams of {} are {}", division.name, one_of(&division.teams)))
            };
            let message = format!("`{}` is not a team of {}", team.value, division.name);
            let d = week.source().error(team.span, message).with_hint(hint);
            week.diags().push(d);
            None
        });
        let attendees =
            week.integer("attendees", 0..=10_000, "how many took part in the meeting").map(|n| n.value as u32);
        let practised = if week.has("practised") { id_list(&mut week, "practised") } else { Vec::new() };
        let action = week.string("action").map(|a| a.value).filter(|a| !a.trim().is_empty());
        let obstacle = week
            .integer("obstacle", 1..=5, "what stands in the way: 1 (nothing) to 5 (it stops us)")
            .map(|n| n.value as u8);
        let obstacle_note = week.string("obstacle-note").map(|a| a.value).filter(|a| !a.trim().is_empty());
        let share = week.bool("share").unwrap_or(false);
        if share && action.is_none() {
            let d = week.source().warning(week.key_span("share"), "`share` shares the week's action, but it has none");
            week.diags().push(d.with_hint("add the agreed action as `action = \"...\"`, or remove `share`"));
        }
        if let Some(held) = &held_on {
            if held.value > today {
                let message = format!("`held-on` is {}, a day still to come", held.value);
                let d = week.source().warning(held.span.clone(), message);
                week.diags().push(d.with_hint("record a meeting once it has been held"));
            }
        }
        practised_all.extend(practised.iter().cloned());
        let (Some(number), Some(held_on)) = (number, held_on) else {
            continue;
        };
        let number_value = number.value as u32;
        if let Some(earlier) = weeks.iter().find(|w| w.number == number_value && w.team == team) {
            let (line, _) = source.line_col(earlier.number_span.start);
            let who = team.as_deref().map(|t| format!(" for team `{t}`")).unwrap_or_default();
            let message = format!("week {number_value} is recorded twice{who} (first on line {line})");
            let d = week.source().error(number.span, message);
            week.diags().push(d.with_hint("keep one `[[week]]` table per week and team"));
            continue;
        }
        weeks.push(Checkin {
            division: division.id.clone(),
            rollout: rollout.to_string(),
            number: number_value,
            team,
            held_on: held_on.value,
            attendees,
            practised,
            action,
            obstacle,
            obstacle_note,
            share,
            source: Arc::clone(source),
            number_span: number.span,
            held_on_span: held_on.span,
        });
    }
    (weeks, practised_all)
}

/// The check unit's references: touch points practised.
pub(super) fn refs(practised: Vec<Ref>) -> Vec<(&'static str, Kind, Vec<Ref>)> {
    if practised.is_empty() {
        return Vec::new();
    }
    vec![("practised", Kind::Touchpoint, practised)]
}
