//! Following a rollout up: per division (and team) and week, whether the week was held on
//! time, held late, is overdue or is not yet due, each against the division's own start date
//! (a division's overlay of the rollout may move its `start`).
//!
//! A week is due by the end of its seventh day; held by then it is on time, held afterwards it
//! is late, not held once that day has passed it is overdue.

use serde::Serialize;
use time::Date;

use super::{Checkin, Playbook, Rollout};
use crate::config::Division;
use crate::diagnostics::{did_you_mean, Diagnostic, Diagnostics};
use crate::kind::Kind;

/// How one week of a rollout stands in one division or team.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum WeekState {
    OnTime,
    Late,
    Overdue,
    NotYetDue,
}

impl WeekState {
    /// Every state, in the order the matrix's legend and totals list them.
    pub const ALL: [WeekState; 4] = [WeekState::OnTime, WeekState::Late, WeekState::Overdue, WeekState::NotYetDue];

    /// The state's name in JSON, data attributes and interface-string keys.
    pub fn as_str(self) -> &'static str {
        match self {
            WeekState::OnTime => "on-time",
            WeekState::Late => "late",
            WeekState::Overdue => "overdue",
            WeekState::NotYetDue => "not-yet-due",
        }
    }

    /// The state of a week ending on `end`, held on `held_on` (if at all), seen on `today`.
    pub fn of(end: Date, held_on: Option<Date>, today: Date) -> WeekState {
        match held_on {
            Some(held) if held <= end => WeekState::OnTime,
            Some(_) => WeekState::Late,
            None if today > end => WeekState::Overdue,
            None => WeekState::NotYetDue,
        }
    }
}

/// One week of a follow-up row.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WeekStatus {
    pub number: u32,
    pub start: Date,
    pub end: Date,
    pub state: WeekState,
    pub held_on: Option<Date>,
    pub obstacle: Option<u8>,
}

/// One row of the centre's matrix: a rollout in a division, or in one of its teams.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FollowUp {
    pub rollout: String,
    pub division: String,
    pub team: Option<String>,
    /// The division's own start of the rollout.
    pub start: Date,
    pub weeks: Vec<WeekStatus>,
}

impl FollowUp {
    pub fn count(&self, state: WeekState) -> usize {
        self.weeks.iter().filter(|w| w.state == state).count()
    }

    /// The numbers of the weeks in `state`.
    pub fn numbers(&self, state: WeekState) -> Vec<u32> {
        self.weeks.iter().filter(|w| w.state == state).map(|w| w.number).collect()
    }
}

/// Checks a division's check-ins against its edition (the rollout runs there, the week is in
/// its programme, the meeting was not before the division's start), and works out the
/// division's follow-up rows. Returns the check-ins that passed.
pub(super) fn follow_up(
    edition: &Playbook,
    division: &Division,
    checkins: Vec<Checkin>,
    diags: &mut Diagnostics,
) -> (Vec<Checkin>, Vec<FollowUp>) {
    let mut valid = Vec::new();
    let mut reported_files: Vec<String> = Vec::new();
    for checkin in checkins {
        let Some(rollout) = edition.rollout(&checkin.rollout) else {
            if !reported_files.contains(&checkin.source.rel_path) {
                reported_files.push(checkin.source.rel_path.clone());
                diags.push(no_rollout(edition, division, &checkin));
            }
            continue;
        };
        if checkin.number > rollout.weeks {
            let message =
                format!("week {} is outside `{}`, which has {} weeks", checkin.number, rollout.item.id, rollout.weeks);
            let hint = format!("number the weeks 1 to {}", rollout.weeks);
            diags.push(checkin.source.error(checkin.number_span.clone(), message).with_hint(hint));
            continue;
        }
        if checkin.held_on < rollout.start {
            let message = format!(
                "`held-on` is {}, before {} starts `{}` on {}",
                checkin.held_on, division.name, rollout.item.id, rollout.start
            );
            let hint = "check the date; if the division started earlier, move `start` in its overlay of the rollout";
            diags.push(checkin.source.error(checkin.held_on_span.clone(), message).with_hint(hint));
            continue;
        }
        valid.push(checkin);
    }
    let mut rows = Vec::new();
    for rollout in &edition.rollouts {
        let teams: Vec<Option<&String>> =
            if division.teams.is_empty() { vec![None] } else { division.teams.iter().map(Some).collect() };
        for team in teams {
            rows.push(row(rollout, division, team, &valid, edition.today));
        }
    }
    (valid, rows)
}

/// A rollout in a division or team: a team's own check-in for a week, else the division's.
fn row(rollout: &Rollout, division: &Division, team: Option<&String>, checkins: &[Checkin], today: Date) -> FollowUp {
    let of_rollout: Vec<&Checkin> = checkins.iter().filter(|c| c.rollout == rollout.item.id).collect();
    let weeks = rollout
        .schedule()
        .into_iter()
        .map(|week| {
            let this_week = |c: &&&Checkin| c.number == week.number;
            let held = of_rollout
                .iter()
                .filter(this_week)
                .find(|c| team.is_some() && c.team.as_ref() == team)
                .or_else(|| of_rollout.iter().filter(this_week).find(|c| c.team.is_none()));
            WeekStatus {
                number: week.number,
                start: week.start,
                end: week.end,
                state: WeekState::of(week.end, held.map(|c| c.held_on), today),
                held_on: held.map(|c| c.held_on),
                obstacle: held.and_then(|c| c.obstacle),
            }
        })
        .collect();
    FollowUp {
        rollout: rollout.item.id.clone(),
        division: division.id.clone(),
        team: team.cloned(),
        start: rollout.start,
        weeks,
    }
}

/// Warns about the overdue weeks of every rollout that is followed up: one that some division
/// has recorded a week of. A playbook that does not record check-ins is not warned about
/// every past week of every rollout; once one division records, the others that do not are
/// behind.
pub(super) fn warn_overdue(rows: &[FollowUp], checkins: &[Checkin], divisions: &[Division], diags: &mut Diagnostics) {
    for row in rows {
        let followed = checkins.iter().any(|c| c.rollout == row.rollout);
        let division = divisions.iter().find(|d| d.id == row.division);
        if let (true, Some(division)) = (followed, division) {
            warn_row(row, division, diags);
        }
    }
}

fn warn_row(row: &FollowUp, division: &Division, diags: &mut Diagnostics) {
    let overdue = row.numbers(WeekState::Overdue);
    if overdue.is_empty() {
        return;
    }
    let who = match &row.team {
        Some(team) => format!("{} (team {team})", division.name),
        None => division.name.clone(),
    };
    let plural = if overdue.len() == 1 { "" } else { "s" };
    let message =
        format!("{who} has not recorded week{plural} {} of `{}`: overdue", week_ranges(&overdue), row.rollout);
    let file = crate::layout::file(Kind::Checkin, Some(&division.id), &row.rollout);
    let hint = "the line manager records each week held as a `[[week]]` table in this file (see docs/format.md)";
    diags.push(Diagnostic::file_error(file, message).with_hint(hint).into_warning());
}

fn no_rollout(edition: &Playbook, division: &Division, checkin: &Checkin) -> Diagnostic {
    let id = &checkin.rollout;
    let source = &checkin.source;
    if edition.known.contains(&(Kind::Rollout, id.clone())) {
        let message = format!("the rollout `{id}` does not run in {}", division.name);
        let hint = "its `divisions` leaves this division out, or the division's overlay hides it: remove this file";
        return source.error(0..3, message).with_hint(hint);
    }
    let ids = edition.rollouts.iter().map(|r| r.item.id.as_str());
    let hint = did_you_mean(id, ids).unwrap_or_else(|| {
        "a check-in file is named after its rollout: content/divisions/<division>/checkins/<rollout id>.md".to_string()
    });
    source.error(0..3, format!("there is no rollout `{id}` for these check-ins")).with_hint(hint)
}

/// `[3, 4, 5, 7]` → `3–5, 7`.
pub(crate) fn week_ranges(numbers: &[u32]) -> String {
    let mut parts: Vec<String> = Vec::new();
    let mut i = 0;
    while i < numbers.len() {
        let mut j = i;
        while j + 1 < numbers.len() && numbers[j + 1] == numbers[j] + 1 {
            j += 1;
        }
        parts.push(if i == j { numbers[i].to_string() } else { format!("{}–{}", numbers[i], numbers[j]) });
        i = j + 1;
    }
    parts.join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    #[test]
    fn a_week_is_due_by_its_last_day() {
        let end = date!(2026 - 10 - 11);
        assert_eq!(WeekState::of(end, Some(end), date!(2026 - 12 - 01)), WeekState::OnTime);
        assert_eq!(WeekState::of(end, Some(date!(2026 - 10 - 12)), date!(2026 - 12 - 01)), WeekState::Late);
        assert_eq!(WeekState::of(end, None, end), WeekState::NotYetDue);
        assert_eq!(WeekState::of(end, None, date!(2026 - 10 - 12)), WeekState::Overdue);
    }

    #[test]
    fn week_lists_are_shortened_to_ranges() {
        assert_eq!(week_ranges(&[3, 4, 5, 7]), "3–5, 7");
        assert_eq!(week_ranges(&[1]), "1");
        assert_eq!(week_ranges(&[]), "");
    }
}
