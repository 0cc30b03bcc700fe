//! "Log this week": a line manager's check-in, appended as a `[[week]]` table to the
//! division's check-in file for the rollout (`content/divisions/<d>/checkins/<rollout>.md`).
//!
//! The file is created when missing; otherwise the new table goes just before the closing
//! `+++`, and every byte before and after it stays as it was.

use std::path::{Path, PathBuf};

use serde::Deserialize;
use toml_edit::{Array, DocumentMut, Item, Table, Value};

use super::Refused;
use crate::fields::is_valid_id;
use crate::kind::Kind;

/// One week as the form sends it. Empty strings are fields left blank.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub(crate) struct Week {
    pub number: u32,
    pub team: String,
    #[serde(rename = "held-on")]
    pub held_on: String,
    pub attendees: Option<u32>,
    pub practised: Vec<String>,
    pub action: String,
    pub obstacle: Option<u8>,
    #[serde(rename = "obstacle-note")]
    pub obstacle_note: String,
    pub share: bool,
}

/// The division, rollout id and check-in file of a division's rollout page
/// (`norge/rollouts/<id>.html`); the rollout must exist for that division.
pub(crate) fn file_of(root: &Path, divisions: &[String], page: &str) -> Result<(String, String, PathBuf), Refused> {
    let not_here = || Refused::new("not-a-rollout").with("page", page);
    let parts: Vec<&str> = page.trim_start_matches('/').split('/').collect();
    let [division, "rollouts", file] = parts.as_slice() else { return Err(not_here()) };
    if !divisions.iter().any(|d| d == division) {
        return Err(not_here());
    }
    let id = file.strip_suffix(".html").filter(|id| is_valid_id(id)).ok_or_else(not_here)?;
    let content = root.join("content");
    let rollout = |division| root.join(crate::layout::file(Kind::Rollout, division, id));
    if !rollout(Some(division)).is_file() && !rollout(None).is_file() {
        return Err(not_here());
    }
    let path = root.join(crate::layout::file(Kind::Checkin, Some(division), id));
    crate::paths::check_inside(&content, &path).map_err(|e| Refused::new("checkin-outside").with("error", e))?;
    Ok((division.to_string(), id.to_string(), path))
}

/// The check-in file with `week` added: a new file when `existing` is `None`. A week already
/// logged (same number and team) is refused, so a record is never doubled or overwritten.
pub(crate) fn append(existing: Option<&str>, week: &Week) -> Result<String, Refused> {
    let table = table_text(week)?;
    let Some(text) = existing else { return Ok(format!("+++\n{table}+++\n")) };
    let (opening, close) = closing_line(text).ok_or_else(|| Refused::new("checkin-front-matter"))?;
    let ending = if text[..opening].ends_with("\r\n") { "\r\n" } else { "\n" };
    let front_matter: DocumentMut = text[opening..close].parse().map_err(|_| Refused::new("checkin-front-matter"))?;
    if is_logged(&front_matter, week) {
        return Err(logged(week));
    }
    let before = &text[..close];
    let separator = if before.ends_with('\n') { "" } else { ending };
    let blank = if before.len() > opening { ending } else { "" };
    Ok(format!("{before}{separator}{blank}{}{}", table.replace('\n', ending), &text[close..]))
}

/// The refusal of a week the file already records.
pub(crate) fn logged(week: &Week) -> Refused {
    match week.team.trim() {
        "" => Refused::new("logged").with("week", week.number),
        team => Refused::new("logged-team").with("week", week.number).with("team", team),
    }
}

/// Whether the file already records this week for this team (or for the whole division).
pub(crate) fn is_logged(front_matter: &DocumentMut, week: &Week) -> bool {
    front_matter.get("week").and_then(Item::as_array_of_tables).into_iter().flatten().any(|old| {
        let number = old.get("number").and_then(Item::as_integer);
        let team = old.get("team").and_then(Item::as_str).unwrap_or_default();
        number == Some(i64::from(week.number)) && team == week.team.trim()
    })
}

/// Where the front matter starts (after the opening `+++` line) and where its closing `+++`
/// line begins.
fn closing_line(text: &str) -> Option<(usize, usize)> {
    let mut lines = text.split_inclusive('\n');
    let first = lines.next()?;
    if first.trim_end() != "+++" {
        return None;
    }
    let mut at = first.len();
    for line in lines {
        if line.trim_end() == "+++" {
            return Some((first.len(), at));
        }
        at += line.len();
    }
    None
}

/// The `[[week]]` table as toml_edit writes it (quoting and escaping done there), keys in the
/// order docs/format.md shows them, blank fields left out.
fn table_text(week: &Week) -> Result<String, Refused> {
    let text = |value: &str| value.trim().to_string();
    if week.number == 0 {
        return Err(Refused::new("week"));
    }
    let mut table = Table::new();
    table.insert("number", Item::Value(Value::from(i64::from(week.number))));
    if !text(&week.team).is_empty() {
        table.insert("team", Item::Value(Value::from(text(&week.team))));
    }
    let date: toml_edit::Datetime = week.held_on.trim().parse().map_err(|_| Refused::new("held-on"))?;
    if date.date.is_none() || date.time.is_some() {
        return Err(Refused::new("held-on"));
    }
    table.insert("held-on", Item::Value(Value::from(date)));
    if let Some(attendees) = week.attendees {
        table.insert("attendees", Item::Value(Value::from(i64::from(attendees))));
    }
    if !week.practised.is_empty() {
        let ids: Array = week.practised.iter().map(|id| text(id)).collect();
        table.insert("practised", Item::Value(Value::Array(ids)));
    }
    if !text(&week.action).is_empty() {
        table.insert("action", Item::Value(Value::from(text(&week.action))));
    }
    if let Some(obstacle) = week.obstacle {
        table.insert("obstacle", Item::Value(Value::from(i64::from(obstacle))));
    }
    if !text(&week.obstacle_note).is_empty() {
        table.insert("obstacle-note", Item::Value(Value::from(text(&week.obstacle_note))));
    }
    if week.share {
        table.insert("share", Item::Value(Value::from(true)));
    }
    let mut weeks = toml_edit::ArrayOfTables::new();
    weeks.push(table);
    let mut document = DocumentMut::new();
    document.insert("week", Item::ArrayOfTables(weeks));
    Ok(document.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn week(number: u32, team: &str) -> Week {
        Week {
            number,
            team: team.into(),
            held_on: "2026-10-06".into(),
            attendees: Some(12),
            practised: vec!["angry-caller".into()],
            action: "Call back \"today\".".into(),
            obstacle: Some(3),
            obstacle_note: String::new(),
            share: true,
        }
    }

    #[test]
    fn a_new_file_holds_the_week() {
        let text = append(None, &week(1, "")).unwrap();
        assert_eq!(
            text,
            "+++\n[[week]]\nnumber = 1\nheld-on = 2026-10-06\nattendees = 12\npractised = [\"angry-caller\"]\naction = 'Call back \"today\".'\nobstacle = 3\nshare = true\n+++\n"
        );
    }

    #[test]
    fn an_existing_file_keeps_every_byte_and_refuses_a_week_twice() {
        let old =
            "+++\r\n# Oslo's diary\r\n[[week]]\r\nnumber = 1   # first\r\nheld-on = 2026-10-06\r\n+++\r\nNotes.\r\n";
        let text = append(Some(old), &week(2, "")).unwrap();
        let (head, tail) = old.split_at(old.find("+++\r\nNotes").unwrap());
        assert!(text.starts_with(head) && text.ends_with(tail), "{text:?}");
        assert!(text.contains("\r\n\r\n[[week]]\r\nnumber = 2\r\n"), "{text:?}");
        assert_eq!(text.matches('\n').count(), text.matches("\r\n").count());
        assert!(append(Some(&text), &week(2, "")).is_err());
        assert!(append(Some(&text), &week(2, "oslo-desk")).is_ok(), "a team's own week is another record");
    }
}
