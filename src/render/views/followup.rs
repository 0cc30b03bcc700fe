//! What a rollout's page shows of its follow-up: each division's own dates, the matrix of
//! divisions (and teams) by week, the division's own check-ins, and the actions other divisions
//! share.
//!
//! The matrix is worked out at build time (`model::followup`) and carries each week's last day
//! and meeting date as data attributes, so that `touchbook.js` brings it up to date against the
//! reader's today.

use tera::Value;

use super::Views;
use crate::kind::Kind;
use crate::layout;
use crate::model::{Checkin, FollowUp, Rollout, WeekState};

impl Views<'_> {
    fn division_name(&self, id: &str) -> String {
        let divisions = &self.edition.playbook.config.divisions;
        divisions.iter().find(|d| d.id == id).map_or_else(|| id.to_string(), |d| d.name.clone())
    }

    fn state_label(&self, state: WeekState) -> String {
        self.edition.strings.get(&format!("followup.{}", state.as_str()))
    }

    /// The follow-up rows of a rollout in this edition: every division's in the central
    /// edition, the division's own (per team) in its edition.
    fn rows_of<'r>(&'r self, rollout: &Rollout) -> Vec<&'r FollowUp> {
        self.edition.playbook.follow_up.iter().filter(|f| f.rollout == rollout.item.id).collect()
    }

    /// Each division's own dates for a rollout, one per division (teams share them).
    pub(super) fn rollout_schedules(&self, rollout: &Rollout) -> Vec<Value> {
        let mut seen: Vec<&str> = Vec::new();
        self.rows_of(rollout)
            .into_iter()
            .filter(|row| {
                let first = !seen.contains(&row.division.as_str());
                seen.push(&row.division);
                first
            })
            .map(|row| {
                let end = row.weeks.last().map_or(row.start, |w| w.end);
                object! {
                    "name": self.division_name(&row.division),
                    "start": self.date(row.start),
                    "end": self.date(end),
                    "moved": row.start != rollout.start,
                }
            })
            .collect()
    }

    /// The matrix of divisions (or teams) by week with totals, those behind first, and the
    /// average obstacle reading of each week; `None` when the rollout runs in no division.
    pub(super) fn follow_up_matrix(&self, rollout: &Rollout) -> Value {
        let mut rows = self.rows_of(rollout);
        if rows.is_empty() {
            return Value::none();
        }
        let divisions = &self.edition.playbook.config.divisions;
        let order = |row: &FollowUp| divisions.iter().position(|d| d.id == row.division).unwrap_or(usize::MAX);
        rows.sort_by_key(|row| (std::cmp::Reverse(row.count(WeekState::Overdue)), order(row)));
        let columns = rows.iter().map(|row| row.weeks.len()).max().unwrap_or(0);
        let week_word = self.edition.strings.get("rollout.week");
        let row_values: Vec<Value> = rows
            .iter()
            .map(|row| {
                let mut cells: Vec<Value> = row
                    .weeks
                    .iter()
                    .map(|week| {
                        object! {
                            "number": week.number,
                            "state": week.state.as_str(),
                            "label": self.state_label(week.state),
                            "end": week.end.to_string(),
                            "held": week.held_on.map(|d| d.to_string()),
                            "held_text": week.held_on.map(|d| self.edition.strings.date(d)),
                            "title": format!("{week_word} {}", week.number),
                        }
                    })
                    .collect();
                // A division whose overlay shortens the programme has no such weeks.
                cells.resize(columns, object! { "state": () });
                let counts: Vec<Value> = WeekState::ALL
                    .iter()
                    .map(|state| object! { "state": state.as_str(), "count": row.count(*state) })
                    .collect();
                object! {
                    "division": self.division_name(&row.division),
                    "team": row.team.as_deref().map(words),
                    "start": self.date(row.start),
                    "cells": cells,
                    "counts": counts,
                }
            })
            .collect();
        let totals: Vec<Value> = WeekState::ALL
            .iter()
            .map(|state| {
                let count: usize = rows.iter().map(|row| row.count(*state)).sum();
                object! { "state": state.as_str(), "label": self.state_label(*state), "count": count }
            })
            .collect();
        let averages: Vec<Value> = (1..=columns as u32)
            .map(|number| {
                let readings: Vec<u32> = rows
                    .iter()
                    .filter_map(|row| row.weeks.iter().find(|w| w.number == number)?.obstacle)
                    .map(u32::from)
                    .collect();
                let average = (!readings.is_empty()).then(|| {
                    let mean = f64::from(readings.iter().sum::<u32>()) / readings.len() as f64;
                    self.decimal(mean)
                });
                object! { "number": number, "average": average }
            })
            .collect();
        object! {
            "weeks": (1..=columns as u32).collect::<Vec<_>>(),
            "rows": row_values,
            "totals": totals,
            "averages": averages,
            "states": WeekState::ALL.iter().map(|s| object! { "state": s.as_str(), "label": self.state_label(*s) }).collect::<Vec<_>>(),
        }
    }

    /// One decimal, written with the edition language's decimal sign.
    fn decimal(&self, value: f64) -> String {
        let text = format!("{value:.1}");
        match self.edition.strings.language.as_str() {
            "en" => text,
            _ => text.replace('.', ","),
        }
    }

    /// The check-ins a rollout's page lists: in a division's edition its own weeks; in every
    /// edition the actions other divisions share ("From Sverige").
    pub(super) fn rollout_checkins(&self, rollout: &Rollout) -> (Vec<Value>, Vec<Value>) {
        let playbook = self.edition.playbook;
        let own_division = playbook.division.as_ref().map(|d| d.id.as_str());
        let of_rollout = || playbook.checkins.iter().filter(|c| c.rollout == rollout.item.id);
        let mut own: Vec<&Checkin> = of_rollout().filter(|c| Some(c.division.as_str()) == own_division).collect();
        own.sort_by(|a, b| (a.number, &a.team).cmp(&(b.number, &b.team)));
        let schedule = rollout.schedule();
        let own: Vec<Value> = own
            .into_iter()
            .map(|c| {
                let end = schedule.iter().find(|w| w.number == c.number).map(|w| w.end);
                let state = end.map(|end| WeekState::of(end, Some(c.held_on), playbook.today));
                let practised: Vec<Value> = c
                    .practised
                    .iter()
                    .filter_map(|r| playbook.touchpoint(&r.value))
                    .map(|tp| {
                        let lang = self.text_language(Kind::Touchpoint, &tp.item.id);
                        object! { "title": tp.title.as_str(), "lang": lang, "url": layout::page(Kind::Touchpoint, &tp.item.id) }
                    })
                    .collect();
                object! {
                    "number": c.number,
                    "team": c.team.as_deref().map(words),
                    "held": self.date(c.held_on),
                    "state": state.map(WeekState::as_str),
                    "state_label": state.map(|s| self.state_label(s)),
                    "attendees": c.attendees,
                    "practised": practised,
                    "action": c.action.clone(),
                    "obstacle": c.obstacle,
                    "obstacle_note": c.obstacle_note.clone(),
                    "shared": c.share,
                }
            })
            .collect();
        let from = self.edition.strings.get("followup.from");
        let shared: Vec<Value> = of_rollout()
            .filter(|c| c.share && Some(c.division.as_str()) != own_division)
            .filter_map(|c| {
                let action = c.action.as_deref()?;
                let name = self.division_name(&c.division);
                Some(object! {
                    "from": from.replace("{division}", &name),
                    "division": name,
                    "team": c.team.as_deref().map(words),
                    "number": c.number,
                    "action": action,
                })
            })
            .collect();
        (own, shared)
    }
}

impl Views<'_> {
    /// With `[contribute]`, in a division's edition: per week, the address that opens the
    /// repository host's editor on the division's check-in file for the rollout, prefilled with
    /// the week's `[[week]]` table when the file is new (else the table is shown to paste in).
    pub(super) fn log_week(&self, rollout: &Rollout, number: u32, start: time::Date) -> Value {
        let playbook = self.edition.playbook;
        let (Some(contribute), Some(division)) = (&playbook.config.contribute, &playbook.division) else {
            return Value::none();
        };
        let path = layout::file(Kind::Checkin, Some(&division.id), &rollout.item.id);
        let exists = playbook.checkins.iter().any(|c| c.source.rel_path == path);
        let week = crate::scaffold::checkin_week(number, start, &division.teams);
        let url = if exists {
            crate::contribute::edit_url(contribute, &path)
        } else {
            let title = format!("{} · {} {number}", rollout.title, self.edition.strings.get("rollout.week"));
            let intro = self.edition.strings.text("contribute.new-file").replace("{path}", &format!("`{path}`"));
            crate::contribute::new_file_url(contribute, &path, &format!("+++\n{week}+++\n"), &title, &intro)
        };
        object! { "url": url, "stub": exists.then_some(week) }
    }
}

/// A team id as people read it: `oslo-desk` → "Oslo desk".
fn words(id: &str) -> String {
    let words = id.replace('-', " ");
    let mut chars = words.chars();
    chars.next().map(|c| c.to_uppercase().chain(chars).collect()).unwrap_or_default()
}
