//! The views for trainers and central teams: the 12-month plan, the review page and the
//! localisation status.

use std::collections::BTreeMap;

use tera::Value;
use time::{Date, Duration, Month};

use super::Views;
use crate::kind::Kind;
use crate::layout;
use crate::model::{FollowUp, Rollout, WeekState};
use crate::model::{Item, LocalState, Localisation, Review, ReviewState, SOON_DAYS};

impl Views<'_> {
    /// Twelve months from the build date's month: rollout weeks and campaign periods per month.
    pub(crate) fn plan(&self) -> Value {
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
        let week_cells = |weeks: &[(u32, Date, Date, Mark)]| -> Vec<Option<PlanCell>> {
            months
                .iter()
                .map(|(start, end)| {
                    let here: Vec<&(u32, Date, Date, Mark)> =
                        weeks.iter().filter(|(_, s, e, _)| *s <= *end && *e >= *start).collect();
                    let numbers: Vec<u32> = here.iter().map(|w| w.0).collect();
                    let count = |mark: Mark| here.iter().filter(|w| w.3 == mark).count();
                    (!numbers.is_empty()).then(|| PlanCell {
                        // "Week 3", "Weeks 3–5": the word agrees with how many weeks the month holds.
                        text: strings.counted("plan.weeks", numbers.len() as u64, &[("weeks", &week_range(&numbers))]),
                        held: count(Mark::Held),
                        overdue: count(Mark::Overdue),
                    })
                })
                .collect()
        };
        for rollout in &playbook.rollouts {
            let follow_up: Vec<&FollowUp> =
                playbook.follow_up.iter().filter(|f| f.rollout == rollout.item.id).collect();
            let url = layout::page(Kind::Rollout, &rollout.item.id);
            let period = |start: Date, end: Date| format!("{} – {}", strings.date(start), strings.date(end));
            if playbook.division.is_some() {
                // The division's own dates (its overlay may move the start), with its weeks marked.
                let weeks = division_weeks(&follow_up);
                let weeks = if weeks.is_empty() { unmarked(rollout) } else { weeks };
                rows.push(PlanRow {
                    kind: "rollout",
                    title: rollout.title.clone(),
                    lang: self.text_language(Kind::Rollout, &rollout.item.id),
                    url,
                    period: period(rollout.start, rollout.end()),
                    cells: week_cells(&weeks),
                });
                continue;
            }
            rows.push(PlanRow {
                kind: "rollout",
                title: rollout.title.clone(),
                lang: self.text_language(Kind::Rollout, &rollout.item.id),
                url: url.clone(),
                period: period(rollout.start, rollout.end()),
                cells: week_cells(&unmarked(rollout)),
            });
            // The centre sees each division on its own dates, with the weeks it held and those overdue.
            for division in &playbook.config.divisions {
                let own: Vec<&FollowUp> = follow_up.iter().copied().filter(|f| f.division == division.id).collect();
                let weeks = division_weeks(&own);
                let (Some(first), Some(last)) = (weeks.first(), weeks.last()) else { continue };
                rows.push(PlanRow {
                    kind: "rollout-division",
                    title: format!("{} · {}", rollout.title, division.name),
                    lang: self.text_language(Kind::Rollout, &rollout.item.id),
                    url: url.clone(),
                    period: period(first.1, last.2),
                    cells: week_cells(&weeks),
                });
            }
        }
        for message in &playbook.messages {
            let Some(campaign) = &message.campaign else {
                continue;
            };
            let cells = months
                .iter()
                .map(|(start, end)| {
                    (campaign.start <= *end && campaign.end >= *start).then(|| PlanCell {
                        text: String::new(),
                        held: 0,
                        overdue: 0,
                    })
                })
                .collect();
            rows.push(PlanRow {
                kind: "campaign",
                title: campaign.name.clone(),
                lang: self.text_language(Kind::Message, &message.item.id),
                url: layout::page(Kind::Message, &message.item.id),
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
                        let cell = row.cells[i].as_ref()?;
                        Some(object! { "kind": row.kind, "title": row.title.as_str(), "lang": row.lang.clone(), "url": row.url.as_str(), "text": cell.text.as_str(), "held": cell.held, "overdue": cell.overdue })
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
                    .map(|cell| match cell {
                        Some(cell) => {
                            object! { "active": true, "text": cell.text, "held": cell.held, "overdue": cell.overdue }
                        }
                        None => object! { "active": false, "text": "", "held": 0, "overdue": 0 },
                    })
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

    /// Every item with its owner and review state, due first: the page trainers work from.
    /// Each row carries its due date, so the reader's browser can move it to the right list
    /// when the build is older than today.
    pub(crate) fn review(&self) -> Value {
        let playbook = self.edition.playbook;
        let strings = self.edition.strings;
        let interval = playbook.config.review_interval_days;
        let mut items: Vec<(Kind, &Item, &str, &Review)> =
            playbook.entries().map(|x| (x.item().kind, x.item(), x.title(), x.review())).collect();
        items.sort_by(|a, b| (a.3.due(interval), a.0, &a.1.id).cmp(&(b.3.due(interval), b.0, &b.1.id)));
        let entries: Vec<(ReviewState, Option<String>, Option<String>, Value)> = items
            .iter()
            .enumerate()
            .map(|(order, (kind, item, title, review))| {
                let state = review.state(playbook.today, interval);
                let lang = self.text_language(*kind, &item.id);
                let value = object! {
                    "order": order,
                    "url": layout::page(*kind, &item.id),
                    "title": *title,
                    "lang": lang.clone(),
                    "kind": strings.get(&format!("search.kind-{}", kind.id())),
                    "owner": review.owner.clone(),
                    "reviewed": review.reviewed.map(|d| self.date(d)),
                    "reviewed_by": review.reviewed_by.clone(),
                    "due": review.due(interval).map(|d| self.date(d)),
                    "status": state.as_str(),
                    "status_label": strings.get(&format!("review.status-{}", state.as_str())),
                };
                (state, review.owner.clone(), lang, value)
            })
            .collect();
        // An entry shows in its status's list and in its owner's group; Tera's values share
        // their contents, so that copies no text.
        let listed = |wanted: &dyn Fn(ReviewState) -> bool| -> Vec<Value> {
            entries.iter().filter(|(state, ..)| wanted(*state)).map(|(.., v)| v.clone()).collect()
        };
        let due = listed(&|s| matches!(s, ReviewState::Never | ReviewState::Due(_)));
        let soon = listed(&|s| matches!(s, ReviewState::Soon(_)));
        // Each owner's name in the language of the item it comes from (an untranslated item's
        // owner is the central text).
        let mut owners: BTreeMap<String, (Option<String>, Vec<Value>)> = BTreeMap::new();
        for (_, owner, lang, value) in entries {
            let lang = lang.filter(|_| owner.is_some());
            let owner = owner.unwrap_or_else(|| strings.get("review.no-owner"));
            owners.entry(owner).or_insert_with(|| (lang, Vec::new())).1.push(value);
        }
        let labels: Vec<Value> = ["never", "due", "soon", "ok"]
            .into_iter()
            .map(|status| object! { "status": status, "label": strings.get(&format!("review.status-{status}")) })
            .collect();
        object! {
            "title": strings.get("nav.review"),
            "today": self.date(playbook.today),
            "interval": interval,
            "soon_days": SOON_DAYS,
            "due": due,
            "soon": soon,
            "labels": labels,
            "owners": owners
                .into_iter()
                .map(|(owner, (lang, items))| object! { "owner": owner, "lang": lang, "items": items })
                .collect::<Vec<_>>(),
        }
    }

    /// The centre's view of how far each division has come: item × division, with totals.
    pub(crate) fn status(&self) -> Value {
        let status = self.edition.status.unwrap_or_default();
        let playbook = self.edition.playbook;
        let strings = self.edition.strings;
        let divisions = &playbook.config.divisions;
        let state_id = |state: LocalState| state.as_str();
        let (site, root) = (self.edition.site, crate::render::root(0));
        // A division-only item has a row of its own per division: two divisions' items with one
        // id are different items.
        let mut rows: BTreeMap<RowKey, Vec<Option<&Localisation>>> = BTreeMap::new();
        for local in status {
            let column = divisions.iter().position(|d| d.id == local.division).unwrap_or(0);
            let own = (local.state == LocalState::DivisionOnly).then_some(column);
            let row = rows.entry((local.kind, local.id.clone(), own)).or_insert_with(|| vec![None; divisions.len()]);
            row[column] = Some(local);
        }
        // A division-only item's page is in its division's edition: linked through the site map,
        // so a division published apart is linked at its address.
        let division_page = |local: &Localisation| {
            site.position(&format!("{}/", local.division))
                .and_then(|to| site.link(self.edition.index, to, &layout::page(local.kind, &local.id), &root))
        };
        let rows: Vec<Value> = rows
            .into_iter()
            .map(|((kind, id, own), cells)| {
                let central = playbook.contains(kind, &id);
                // The centre follows its divisions up, so it sees a division-only item's title (in
                // the division's language) here; nothing else of the item reaches this edition.
                let own = own.and_then(|column| Some((cells[column]?, &divisions[column])));
                let title = match (playbook.title(kind, &id), own) {
                    (Some(title), _) => title.to_string(),
                    (None, Some((local, _))) if !local.title.is_empty() => local.title.clone(),
                    _ => format!("{}/{id}", kind.folder()),
                };
                object! {
                    "kind": strings.get(&format!("status.kind-{}", kind.folder())),
                    "title": title,
                    "lang": own.map(|(_, d)| d.language.as_str()).filter(|l| *l != playbook.language()),
                    "url": central.then(|| layout::page(kind, &id)),
                    "link": own.and_then(|(local, _)| division_page(local)),
                    "cells": cells.iter().map(|cell| match cell {
                        Some(local) => object! {
                            "state": state_id(local.state),
                            "label": strings.get(&format!("status.{}", state_id(local.state))),
                            "untranslated": local.untranslated.clone(),
                            "href": (local.state == LocalState::DivisionOnly).then(|| division_page(local)).flatten(),
                            "gaps": local.gaps.iter().map(|gap| {
                                strings
                                    .get(&format!("status.gap-{}", gap.verdict))
                                    .replace("{has}", &gap.has.to_string())
                                    .replace("{of}", &gap.of.to_string())
                            }).collect::<Vec<_>>(),
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

/// A row of the status matrix: an item, and for a division-only item its division's column.
type RowKey = (Kind, String, Option<usize>);

/// One line of the plan: a rollout (in the central edition also once per division, on its own
/// dates) or a campaign, and per month a cell when it runs then.
struct PlanRow {
    kind: &'static str,
    title: String,
    /// The language of the title where it is not the page's.
    lang: Option<String>,
    url: String,
    period: String,
    cells: Vec<Option<PlanCell>>,
}

/// A month of a plan row: the rollout's weeks in it (`"4–6"`, `""` for a campaign), and how
/// many of them were held and are overdue.
struct PlanCell {
    text: String,
    held: usize,
    overdue: usize,
}

/// How the plan marks a week.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Mark {
    Held,
    Overdue,
    Open,
}

/// A rollout's weeks on its own dates, unmarked (the central row).
fn unmarked(rollout: &Rollout) -> Vec<(u32, Date, Date, Mark)> {
    rollout.schedule().into_iter().map(|w| (w.number, w.start, w.end, Mark::Open)).collect()
}

/// A division's weeks of a rollout on its own dates: held when every team held it, overdue
/// when any team is behind on it.
fn division_weeks(rows: &[&FollowUp]) -> Vec<(u32, Date, Date, Mark)> {
    let Some(first) = rows.first() else {
        return Vec::new();
    };
    first
        .weeks
        .iter()
        .map(|week| {
            let states: Vec<WeekState> = rows
                .iter()
                .filter_map(|row| row.weeks.iter().find(|w| w.number == week.number).map(|w| w.state))
                .collect();
            let mark = if states.contains(&WeekState::Overdue) {
                Mark::Overdue
            } else if states.iter().all(|s| matches!(s, WeekState::OnTime | WeekState::Late)) {
                Mark::Held
            } else {
                Mark::Open
            };
            (week.number, week.start, week.end, mark)
        })
        .collect()
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
