//! The views for trainers and central teams: the 12-month plan, the review page and the
//! localisation status.

use std::collections::BTreeMap;

use tera::Value;
use time::{Date, Duration, Month};

use super::Views;
use crate::model::{LocalState, Localisation, TouchPoint};
use crate::source::Kind;

/// A review that falls due within this many days is shown as "soon due".
const REVIEW_SOON_DAYS: i64 = 30;

impl Views<'_> {
    /// Twelve months from the build date's month: rollout weeks and campaign periods per month.
    pub fn plan(&self) -> Value {
        let playbook = self.edition.playbook;
        let strings = self.edition.strings;
        let first =
            Date::from_calendar_date(playbook.today.year(), playbook.today.month(), 1).unwrap_or(playbook.today);
        let months: Vec<(Date, Date)> = (0..12)
            .scan(first, |start, _| {
                let this = *start;
                let next = next_month(this);
                *start = next;
                Some((this, next - Duration::days(1)))
            })
            .collect();
        // Each row: what it is, and per month whether it runs then and which weeks.
        let mut rows: Vec<PlanRow> = Vec::new();
        for rollout in &playbook.rollouts {
            let schedule = rollout.schedule();
            let cells: Vec<Option<String>> = months
                .iter()
                .map(|(start, end)| {
                    let weeks: Vec<u32> =
                        schedule.iter().filter(|w| w.start <= *end && w.end >= *start).map(|w| w.number).collect();
                    // "Week 3", "Weeks 3–5": the word agrees with how many weeks the month holds.
                    (!weeks.is_empty())
                        .then(|| strings.counted("plan.weeks", weeks.len() as u64, &[("weeks", &week_range(&weeks))]))
                })
                .collect();
            rows.push(PlanRow {
                kind: "rollout",
                title: &rollout.title,
                lang: self.text_language(Kind::Rollout, &rollout.item.id),
                url: format!("rollouts/{}.html", rollout.item.id),
                period: format!("{} – {}", strings.date(rollout.start), strings.date(rollout.end())),
                cells,
            });
        }
        for message in &playbook.messages {
            let Some(campaign) = &message.campaign else {
                continue;
            };
            let cells = months
                .iter()
                .map(|(start, end)| (campaign.start <= *end && campaign.end >= *start).then(String::new))
                .collect();
            rows.push(PlanRow {
                kind: "campaign",
                title: &campaign.name,
                lang: self.text_language(Kind::Message, &message.item.id),
                url: format!("messages/{}.html", message.item.id),
                period: format!("{} – {}", strings.date(campaign.start), strings.date(campaign.end)),
                cells,
            });
        }
        rows.retain(|row| row.cells.iter().any(Option::is_some));
        let month_list: Vec<Value> = months
            .iter()
            .enumerate()
            .map(|(i, (start, _))| {
                let items: Vec<Value> = rows
                    .iter()
                    .filter_map(|row| {
                        let text = row.cells[i].as_deref()?;
                        Some(object! { "kind": row.kind, "title": row.title, "lang": row.lang.clone(), "url": row.url.as_str(), "text": text })
                    })
                    .collect();
                let label = strings.month(start.year(), start.month());
                object! { "heading": crate::i18n::capitalise_first(&label), "label": label, "short": strings.short_month(start.month()), "items": items }
            })
            .collect();
        let rows: Vec<Value> = rows
            .into_iter()
            .map(|row| {
                let cells: Vec<Value> = row
                    .cells
                    .into_iter()
                    .map(|cell| object! { "active": cell.is_some(), "text": cell.unwrap_or_default() })
                    .collect();
                object! { "kind": row.kind, "title": row.title, "lang": row.lang, "url": row.url, "period": row.period, "cells": cells }
            })
            .collect();
        object! {
            "title": strings.get("nav.plan"),
            "from": strings.month(months[0].0.year(), months[0].0.month()),
            "to": strings.month(months[11].0.year(), months[11].0.month()),
            "months": month_list,
            "rows": rows,
        }
    }

    pub fn review(&self) -> Value {
        let playbook = self.edition.playbook;
        let soon = playbook.today.saturating_add(Duration::days(REVIEW_SOON_DAYS));
        let mut entries: Vec<(Option<Date>, &TouchPoint)> =
            playbook.touchpoints.iter().map(|t| (t.review_due(playbook.config.review_interval_days), t)).collect();
        entries.sort_by_key(|(due, t)| (*due, t.item.id.clone()));
        let entry = |due: Option<Date>, tp: &TouchPoint| {
            let status = match due {
                None => "never",
                Some(d) if d < playbook.today => "due",
                Some(d) if d <= soon => "soon",
                Some(_) => "ok",
            };
            let value = object! {
                "tp": self.card_of(&tp.item.id).cloned(),
                "owner": tp.owner.clone(),
                "reviewed": tp.reviewed.map(|d| self.date(d)),
                "due": due.map(|d| self.date(d)),
                "status": status,
                "status_label": self.edition.strings.get(&format!("review.status-{status}")),
            };
            (status, value)
        };
        let all: Vec<(&str, Option<&String>, &str, Value)> = entries
            .iter()
            .map(|(due, tp)| {
                let (status, value) = entry(*due, tp);
                (status, tp.owner.as_ref(), tp.item.id.as_str(), value)
            })
            .collect();
        // An entry shows in its status's list and in its owner's group; Tera's values share
        // their contents, so that copies no text.
        let by_status =
            |status: &str| all.iter().filter(|(s, ..)| *s == status).map(|(.., v)| v.clone()).collect::<Vec<_>>();
        let mut due = by_status("never");
        due.extend(by_status("due"));
        let due_soon = by_status("soon");
        // Each owner's name in the language of the item it comes from (an untranslated
        // situation's owner is the central text).
        let mut owners: BTreeMap<String, (Option<String>, Vec<Value>)> = BTreeMap::new();
        for (_, owner, id, value) in all {
            let lang = owner.and_then(|_| self.text_language(Kind::Touchpoint, id));
            let owner = owner.cloned().unwrap_or_else(|| self.edition.strings.get("review.no-owner"));
            owners.entry(owner).or_insert_with(|| (lang, Vec::new())).1.push(value);
        }
        object! {
            "title": self.edition.strings.get("nav.review"),
            "today": self.date(playbook.today),
            "interval": playbook.config.review_interval_days,
            "due": due,
            "soon": due_soon,
            "owners": owners.into_iter().map(|(owner, (lang, items))| object! { "owner": owner, "lang": lang, "items": items }).collect::<Vec<_>>(),
        }
    }

    /// The centre's view of how far each division has come: item × division, with totals.
    pub fn status(&self, status: &[Localisation]) -> Value {
        let playbook = self.edition.playbook;
        let strings = self.edition.strings;
        let divisions = &playbook.config.divisions;
        let state_id = |state: LocalState| state.as_str();
        let mut rows: BTreeMap<(Kind, String), Vec<Option<&Localisation>>> = BTreeMap::new();
        for local in status {
            let column = divisions.iter().position(|d| d.id == local.division).unwrap_or(0);
            let row = rows.entry((local.kind, local.id.clone())).or_insert_with(|| vec![None; divisions.len()]);
            row[column] = Some(local);
        }
        let rows: Vec<Value> = rows
            .into_iter()
            .map(|((kind, id), cells)| {
                let central = playbook.contains(kind, &id);
                // Division-only items are named by their file, never by their content: the central
                // edition must not carry a division's text.
                let title = playbook.title(kind, &id).map_or_else(|| format!("{}/{id}", kind.folder()), str::to_string);
                object! {
                    "kind": strings.get(&format!("status.kind-{}", kind.folder())),
                    "title": title,
                    "url": central.then(|| crate::render::item_path(kind, &id)),
                    "cells": cells.iter().map(|cell| match cell {
                        Some(local) => object! {
                            "state": state_id(local.state),
                            "label": strings.get(&format!("status.{}", state_id(local.state))),
                            "untranslated": local.untranslated.clone(),
                        },
                        None => Value::none(),
                    }).collect::<Vec<_>>(),
                }
            })
            .collect();
        let totals: Vec<Value> = divisions
            .iter()
            .map(|d| {
                let counts: Vec<Value> = crate::model::totals(status, &d.id)
                    .into_iter()
                    .map(|(state, n)| {
                        object! { "state": state_id(state), "label": strings.get(&format!("status.{}", state_id(state))), "count": n }
                    })
                    .collect();
                object! { "name": d.name.as_str(), "language": d.language.as_str(), "counts": counts }
            })
            .collect();
        object! {
            "title": strings.get("nav.status"),
            "divisions": divisions.iter().map(|d| object! { "id": d.id.as_str(), "name": d.name.as_str(), "language": d.language.as_str() }).collect::<Vec<_>>(),
            "rows": rows,
            "totals": totals,
            "states": LocalState::ALL.iter().map(|s| object! { "state": state_id(*s), "label": strings.get(&format!("status.{}", state_id(*s))), "explanation": strings.get(&format!("status.{}-explained", state_id(*s))) }).collect::<Vec<_>>(),
        }
    }
}

/// One line of the plan: a rollout or a campaign, and per month `Some(weeks)` when it runs
/// then (`"4–6"` for a rollout's weeks, `""` for a campaign).
struct PlanRow<'a> {
    kind: &'static str,
    title: &'a str,
    /// The language of the title where it is not the page's.
    lang: Option<String>,
    url: String,
    period: String,
    cells: Vec<Option<String>>,
}

/// `[4, 5, 6]` → `4–6`, for a month cell of the plan.
fn week_range(weeks: &[u32]) -> String {
    match (weeks.first(), weeks.last()) {
        (Some(a), Some(b)) if a == b => a.to_string(),
        (Some(a), Some(b)) => format!("{a}–{b}"),
        _ => String::new(),
    }
}

/// The first day of the month after `date`'s.
fn next_month(date: Date) -> Date {
    let (year, month) = match date.month() {
        Month::December => (date.year() + 1, Month::January),
        month => (date.year(), month.next()),
    };
    Date::from_calendar_date(year, month, 1).unwrap_or(date)
}
