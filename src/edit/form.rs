//! The editor's form over a content file: which front-matter keys each kind shows and how
//! (its schema), the body cut into its sections, and the file rebuilt from what the trainer
//! changed. Only the keys and sections changed are touched; every other byte stays.

use serde::Deserialize;
use toml_edit::{Array, Value};

use super::{edit_front_matter, set, Refused};
use crate::kind::Kind;

/// How a front-matter key is edited.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Widget {
    /// One line of text.
    Line,
    /// A sentence or two.
    Paragraph,
    /// One of `book.toml`'s journey stages.
    Stage,
    /// Any of `book.toml`'s channels.
    Channels,
    /// 1–5 in the playbook's words for the scale (`scale.<name>-levels`).
    Level(&'static str),
    /// Existing items of a kind, chosen by title.
    Items(Kind),
    /// Words separated by commas.
    List,
    /// Names one to a line, for names that may hold a comma (the help desk's categories).
    Lines,
    /// Any of `book.toml`'s divisions (none: every division).
    Divisions,
    /// A brand message's campaign: the table of `name`, `start`, `end` and `url`.
    Campaign,
    /// The central do and don't items a translation leaves out, each with why (`[leaves-out]`).
    LeavesOut,
    /// Yes or no.
    Flag,
    /// A day (YYYY-MM-DD).
    Date,
    /// A whole number.
    Number,
}

/// A key of the form, in the order the form shows it.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Field {
    pub key: &'static str,
    pub widget: Widget,
}

const fn field(key: &'static str, widget: Widget) -> Field {
    Field { key, widget }
}

const TOUCHPOINT: &[Field] = &[
    field("title", Widget::Line),
    field("summary", Widget::Paragraph),
    field("stage", Widget::Stage),
    field("channels", Widget::Channels),
    field("frequency", Widget::Level("frequency")),
    field("difficulty", Widget::Level("difficulty")),
    field("messages", Widget::Items(Kind::Message)),
    field("related", Widget::Items(Kind::Touchpoint)),
    field("tags", Widget::List),
    field("also-known-as", Widget::List),
    field("categories", Widget::Lines),
    field("owner", Widget::Line),
    field("internal", Widget::Flag),
];
const MESSAGE: &[Field] = &[
    field("title", Widget::Line),
    field("promise", Widget::Paragraph),
    field("campaign", Widget::Campaign),
    field("owner", Widget::Line),
];
const BEST_PRACTICE: &[Field] = &[
    field("title", Widget::Line),
    field("touchpoints", Widget::Items(Kind::Touchpoint)),
    field("author", Widget::Line),
    field("date", Widget::Date),
    field("owner", Widget::Line),
    field("share", Widget::Flag),
];
const ROLLOUT: &[Field] = &[
    field("title", Widget::Line),
    field("start", Widget::Date),
    field("weeks", Widget::Number),
    field("messages", Widget::Items(Kind::Message)),
    field("touchpoints", Widget::Items(Kind::Touchpoint)),
    field("divisions", Widget::Divisions),
    field("owner", Widget::Line),
];
/// Keys only a division's overlay has in the form.
const OVERLAY: &[Field] = &[field("hidden", Widget::Flag)];
const TOUCHPOINT_OVERLAY: &[Field] = &[field("leaves-out", Widget::LeavesOut), field("hidden", Widget::Flag)];

/// Which file the form is over.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Role {
    /// A central item's file.
    Central,
    /// A division's translation of a central item (an overlay).
    Overlay,
    /// An item only a division has.
    Division,
}

impl Role {
    /// The role of the content file at `path`.
    pub(crate) fn of(root: &std::path::Path, path: &std::path::Path) -> Role {
        let rel = path.strip_prefix(root).unwrap_or(path).to_string_lossy().replace('\\', "/");
        match crate::layout::classify(&rel) {
            Some((_, Some(_), _)) if super::central_of(root, path).is_some() => Role::Overlay,
            Some((_, Some(_), _)) => Role::Division,
            _ => Role::Central,
        }
    }
}

/// The form's keys for a kind of item (check-ins have their own form), in the order it shows
/// them. An overlay (a division's translation of a central item) leaves out the keys only the
/// central file may set and adds its own; an item only a division has runs in that division
/// alone, so it has no `divisions`.
pub(crate) fn fields(kind: Kind, role: Role) -> Vec<Field> {
    let own: &[Field] = match kind {
        Kind::Touchpoint => TOUCHPOINT,
        Kind::Message => MESSAGE,
        Kind::BestPractice => BEST_PRACTICE,
        Kind::Rollout => ROLLOUT,
        // A check-in's weeks are logged through "Log this week", not this form.
        Kind::Checkin => &[],
    };
    match role {
        Role::Central => own.to_vec(),
        Role::Division => own.iter().filter(|f| f.key != "divisions").copied().collect(),
        Role::Overlay => {
            let central_only: Vec<&str> = crate::model::central_only_keys(kind).collect();
            let extra = match kind {
                Kind::Touchpoint => TOUCHPOINT_OVERLAY,
                Kind::Checkin => &[],
                _ => OVERLAY,
            };
            own.iter().filter(|f| !central_only.contains(&f.key)).chain(extra).copied().collect()
        }
    }
}

/// A part of the body: the text before the first `## ` heading (`heading` empty), or a
/// level-2 heading's line and the text under it. `start..end` is the text, without the
/// heading, whose line begins at `from`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Part {
    pub heading: String,
    pub from: usize,
    pub start: usize,
    pub end: usize,
}

/// The body of `text` (after the closing `+++`) cut at its level-2 headings, fenced code
/// left whole. `None` when the front matter cannot be found.
pub(crate) fn parts(text: &str) -> Option<Vec<Part>> {
    let mut offset = 0;
    let mut lines = text.split_inclusive('\n');
    let first = lines.next()?;
    if first.trim_end() != "+++" {
        return None;
    }
    offset += first.len();
    let mut closed = false;
    for line in lines.by_ref() {
        offset += line.len();
        if line.trim_end() == "+++" {
            closed = true;
            break;
        }
    }
    if !closed {
        return None;
    }
    let mut parts = vec![Part { heading: String::new(), from: offset, start: offset, end: offset }];
    let mut fence: Option<&str> = None;
    for line in lines {
        let bare = line.trim_end();
        let trimmed = bare.trim_start();
        match fence {
            Some(marker) if trimmed.starts_with(marker) => fence = None,
            Some(_) => {}
            None if trimmed.starts_with("```") || trimmed.starts_with("~~~") => fence = Some(&trimmed[..3]),
            None if bare.starts_with("## ") => {
                let start = offset + line.len();
                parts.push(Part { heading: bare.to_string(), from: offset, start, end: start });
                offset += line.len();
                continue;
            }
            None => {}
        }
        offset += line.len();
        parts.last_mut().expect("one part at least").end = offset;
    }
    Some(parts)
}

/// What the form changed: keys with their new values (`null` or empty: remove the key), and
/// sections by their place in [`parts`] with the heading they had, to be sure it is the same.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub(crate) struct Changes {
    pub keys: serde_json::Map<String, serde_json::Value>,
    pub sections: Vec<SectionChange>,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub(crate) struct SectionChange {
    pub index: usize,
    pub heading: String,
    pub text: String,
    /// A section "Add a section" made, not yet in the file.
    pub added: bool,
}

/// `text` with `changes` made: front-matter keys through `toml_edit` (the rest of the front
/// matter byte for byte), sections replaced in place in the file's line endings.
pub(crate) fn apply(text: &str, kind: Kind, role: Role, changes: &Changes) -> Result<String, Refused> {
    let schema = fields(kind, role);
    let mut values = Vec::new();
    let mut campaign = None;
    let mut leaves_out = None;
    for (key, value) in &changes.keys {
        let field = schema.iter().find(|f| f.key == key).ok_or_else(|| Refused::new("not-a-field").with("key", key))?;
        if field.widget == Widget::Campaign {
            campaign = Some(campaign_parts(value)?);
        } else if field.widget == Widget::LeavesOut {
            leaves_out = Some(leaves_out_entries(value)?);
        } else {
            values.push((field.key, toml_value(field.widget, value)?));
        }
    }
    let mut text = if values.is_empty() && campaign.is_none() && leaves_out.is_none() {
        text.to_string()
    } else {
        edit_front_matter(text, |document| {
            for (key, value) in values {
                match value {
                    Some(value) => set(document, key, value),
                    None => {
                        document.remove(key);
                    }
                }
            }
            if let Some(parts) = campaign {
                set_campaign(document, &parts);
            }
            if let Some(entries) = leaves_out {
                set_leaves_out(document, &entries);
            }
        })?
    };
    // A text area holds one section: a `## ` line in it would start another behind the form's
    // back, and its next change would replace only the first half.
    if changes.sections.iter().any(|s| parts(&format!("+++\n+++\n{}", s.text)).is_some_and(|p| p.len() > 1)) {
        return Err(Refused::new("heading-in-section"));
    }
    // From the last section to the first, so earlier offsets stay right; then the sections
    // the form added, at the end in the order they were added.
    let count = parts(&text).map_or(0, |parts| parts.len());
    let (added, mut sections): (Vec<&SectionChange>, Vec<&SectionChange>) =
        changes.sections.iter().partition(|s| s.added);
    sections.sort_by_key(|s| std::cmp::Reverse(s.index));
    for change in sections {
        let parts = parts(&text).ok_or_else(|| Refused::new("front-matter"))?;
        let part = parts
            .get(change.index)
            .filter(|p| p.heading == change.heading)
            .ok_or_else(|| Refused::new("sections-changed"))?;
        let crlf = text[..part.start].ends_with("\r\n") || text[part.start..part.end].contains("\r\n");
        let mut new = change.text.replace("\r\n", "\n");
        if !new.is_empty() && !new.ends_with('\n') {
            new.push('\n');
        }
        if crlf {
            new = new.replace('\n', "\r\n");
        }
        text.replace_range(part.start..part.end, &new);
    }
    // A code block left open would swallow the headings after it: sections would vanish.
    if parts(&text).map_or(0, |parts| parts.len()) != count {
        return Err(Refused::new("code-open"));
    }
    let mut added = added;
    added.sort_by_key(|s| s.index);
    for change in added {
        add_section(&mut text, change)?;
    }
    Ok(text)
}

/// Adds a section the form added at the end of the file: its heading line, a blank line and
/// its text. Its place must be the next one, so that the form and the file agree on it.
fn add_section(text: &mut String, change: &SectionChange) -> Result<(), Refused> {
    let count = parts(text).ok_or_else(|| Refused::new("front-matter"))?.len();
    let title = change.heading.strip_prefix("## ").map(str::trim).unwrap_or_default();
    if change.index != count {
        return Err(Refused::new("sections-changed"));
    }
    if title.is_empty() || change.heading.contains(['\n', '\r']) {
        return Err(Refused::new("heading"));
    }
    let ending = if text.contains("\r\n") { "\r\n" } else { "\n" };
    if !text.ends_with('\n') {
        text.push_str(ending);
    }
    let mut body = change.text.replace("\r\n", "\n").trim_start_matches('\n').to_string();
    if !body.is_empty() && !body.ends_with('\n') {
        body.push('\n');
    }
    let section = format!("\n## {title}\n\n{body}");
    text.push_str(&section.replace('\n', ending));
    // Inside a code block left open, the heading would be code, not a section.
    let now = parts(text).ok_or_else(|| Refused::new("front-matter"))?;
    if now.len() != count + 1 {
        return Err(Refused::new("code-open"));
    }
    Ok(())
}

/// The parts of a campaign, in the order a new `[campaign]` table gets them.
const CAMPAIGN_PARTS: [&str; 4] = ["name", "start", "end", "url"];

/// The campaign's parts as sent (`null`: no campaign), each `None` when left empty.
fn campaign_parts(value: &serde_json::Value) -> Result<[Option<Value>; 4], Refused> {
    let wrong = || Refused::new("wrong-kind");
    let mut parts: [Option<Value>; 4] = Default::default();
    let object = match value {
        serde_json::Value::Null => return Ok(parts),
        serde_json::Value::Object(object) => object,
        _ => return Err(wrong()),
    };
    if let Some(key) = object.keys().find(|k| !CAMPAIGN_PARTS.contains(&k.as_str())) {
        return Err(Refused::new("not-a-field").with("key", format!("campaign.{key}")));
    }
    for (slot, part) in parts.iter_mut().zip(CAMPAIGN_PARTS) {
        let widget = if matches!(part, "start" | "end") { Widget::Date } else { Widget::Line };
        *slot = match object.get(part) {
            Some(value) => toml_value(widget, value)?,
            None => None,
        };
    }
    Ok(parts)
}

/// Writes the campaign's parts into the front matter: into its table where it has one
/// (`[campaign]` or inline), keeping the other keys, their comments and order; as a new
/// `[campaign]` table otherwise. With every part empty the campaign goes.
fn set_campaign(document: &mut toml_edit::DocumentMut, parts: &[Option<Value>; 4]) {
    if parts.iter().all(Option::is_none) {
        document.remove("campaign");
        return;
    }
    if !document.get("campaign").is_some_and(|item| item.is_table_like()) {
        document.insert("campaign", toml_edit::Item::Table(toml_edit::Table::new()));
    }
    let Some(table) = document.get_mut("campaign").and_then(toml_edit::Item::as_table_like_mut) else { return };
    for (part, value) in CAMPAIGN_PARTS.iter().zip(parts) {
        match (table.get_mut(part).and_then(toml_edit::Item::as_value_mut), value) {
            (Some(old), Some(value)) => {
                let decor = old.decor().clone();
                *old = value.clone();
                *old.decor_mut() = decor;
            }
            (None, Some(value)) => {
                table.insert(part, toml_edit::Item::Value(value.clone()));
            }
            (_, None) => {
                table.remove(part);
            }
        }
    }
    tidy_inline(document, "campaign");
}

/// Lays a one-line inline table out anew, so that entries added or removed at its end keep its
/// spacing. One written over several lines (TOML 1.1) may hold comments, and is left as it is.
fn tidy_inline(document: &mut toml_edit::DocumentMut, key: &str) {
    if let Some(inline) = document.get_mut(key).and_then(toml_edit::Item::as_inline_table_mut) {
        if !inline.to_string().contains('\n') {
            inline.fmt();
        }
    }
}

/// The items a translation leaves out, each with why, as sent: a list of `{"item", "why"}` in
/// the form's order (`null`: none). Names are kept as written, so a line already in the file
/// is found again.
fn leaves_out_entries(value: &serde_json::Value) -> Result<Vec<(String, String)>, Refused> {
    let wrong = || Refused::new("wrong-kind");
    let rows = match value {
        serde_json::Value::Null => return Ok(Vec::new()),
        serde_json::Value::Array(rows) => rows,
        _ => return Err(wrong()),
    };
    let mut entries = Vec::new();
    for row in rows {
        let item = row.get("item").and_then(serde_json::Value::as_str).ok_or_else(wrong)?;
        let why = row.get("why").and_then(serde_json::Value::as_str).ok_or_else(wrong)?;
        if !item.trim().is_empty() && !entries.iter().any(|(seen, _): &(String, String)| seen == item) {
            entries.push((item.to_string(), why.trim().to_string()));
        }
    }
    Ok(entries)
}

/// Writes `[leaves-out]`: an item already there keeps its line (comment included) with its new
/// reason, an item no longer left out goes, a new one is added; with none the table goes.
fn set_leaves_out(document: &mut toml_edit::DocumentMut, entries: &[(String, String)]) {
    const KEY: &str = "leaves-out";
    if entries.is_empty() {
        document.remove(KEY);
        return;
    }
    if !document.get(KEY).is_some_and(|item| item.is_table_like()) {
        document.insert(KEY, toml_edit::Item::Table(toml_edit::Table::new()));
    }
    let Some(table) = document.get_mut(KEY).and_then(toml_edit::Item::as_table_like_mut) else { return };
    let gone: Vec<String> = table
        .iter()
        .map(|(key, _)| key.to_string())
        .filter(|key| !entries.iter().any(|(item, _)| item == key))
        .collect();
    for key in gone {
        table.remove(&key);
    }
    for (item, why) in entries {
        match table.get_mut(item).and_then(toml_edit::Item::as_value_mut) {
            Some(old) => {
                let decor = old.decor().clone();
                *old = Value::from(why.as_str());
                *old.decor_mut() = decor;
            }
            None => {
                table.insert(item, toml_edit::Item::Value(Value::from(why.as_str())));
            }
        }
    }
    tidy_inline(document, KEY);
}

/// The TOML value of a form field; `None` removes the key.
fn toml_value(widget: Widget, value: &serde_json::Value) -> Result<Option<Value>, Refused> {
    use serde_json::Value as J;
    let wrong = || Refused::new("wrong-kind");
    Ok(match (widget, value) {
        (_, J::Null) => None,
        (Widget::Line | Widget::Paragraph | Widget::Stage, J::String(s)) => {
            let s = s.trim();
            (!s.is_empty()).then(|| Value::from(s))
        }
        (Widget::Date, J::String(s)) => match s.trim() {
            "" => None,
            // A day TOML can read is written as a date; anything else as text, which check reports.
            day => Some(day.parse::<toml_edit::Datetime>().map_or_else(|_| Value::from(day), Value::from)),
        },
        (Widget::Level(_) | Widget::Number, J::Number(n)) => Some(Value::from(n.as_i64().ok_or_else(wrong)?)),
        // No is what leaving the key out means.
        (Widget::Flag, J::Bool(b)) => b.then(|| Value::from(true)),
        (Widget::Channels | Widget::Items(_) | Widget::List | Widget::Lines | Widget::Divisions, J::Array(items)) => {
            let words: Vec<&str> =
                items.iter().filter_map(J::as_str).map(str::trim).filter(|w| !w.is_empty()).collect();
            (!words.is_empty()).then(|| Value::Array(words.into_iter().collect::<Array>()))
        }
        _ => return Err(wrong()),
    })
}

/// The form field a line of the file belongs to: a front-matter key (`stage`), a section
/// (`section-2`), or none (a key of a table, which the form does not show).
pub(crate) fn field_of_line(text: &str, kind: Kind, role: Role, line: usize) -> Option<String> {
    let parts = parts(text)?;
    let line_start: usize = text.split_inclusive('\n').take(line.saturating_sub(1)).map(str::len).sum();
    if line_start >= parts[0].from {
        let index = parts.iter().rposition(|p| line_start >= p.from)?;
        return Some(format!("section-{index}"));
    }
    // Front matter: the last top-level key at or before the line (a value may span lines); in
    // a table, the table's field where the form shows it as one (`[campaign]`).
    let bare = |k: &str| !k.is_empty() && k.chars().all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_');
    let schema = fields(kind, role);
    let known = |key: &str| schema.iter().find(|f| f.key == key).map(|f| f.key);
    let (mut current, mut in_table): (Option<&'static str>, bool) = (None, false);
    // A dotted key or table (`campaign.start = …`, `[campaign.extra]`) belongs to its first part.
    let top = |name: &str| name.split('.').next().unwrap_or_default().trim().to_string();
    for row in text.lines().skip(1).take(line.saturating_sub(1)) {
        let row = row.trim();
        if row.starts_with('[') {
            // `[campaign]`, `[campaign]# note`, `[[week]]`; not a row of a multi-line array.
            let name = row.trim_start_matches('[').split(']').next().unwrap_or_default();
            if name.split('.').all(|part| bare(part.trim())) {
                (current, in_table) = (known(&top(name)).filter(|_| !row.starts_with("[[")), true);
                continue;
            }
        }
        if let Some((key, _)) = row.split_once('=').filter(|(key, _)| bare(&top(key))) {
            if !in_table {
                current = known(&top(key));
            }
        }
    }
    current.map(str::to_string)
}

#[cfg(test)]
mod tests {
    use super::*;

    const FILE: &str = "+++\r\ntitle = \"Angry caller\"   # as staff say it\r\nstage = \"support\"\r\ntags = [\r\n  \"a\",\r\n]\r\n+++\r\n\r\n## Situation\r\n\r\nOld text.\r\n\r\n```\r\n## not a heading\r\n```\r\n## Expected behaviour {#behaviour}\r\n\r\n- Do: this\r\n";

    #[test]
    fn the_body_is_cut_at_level_two_headings_outside_code() {
        let parts = parts(FILE).unwrap();
        let headings: Vec<&str> = parts.iter().map(|p| p.heading.as_str()).collect();
        assert_eq!(headings, ["", "## Situation", "## Expected behaviour {#behaviour}"]);
        assert_eq!(&FILE[parts[1].start..parts[1].end], "\r\nOld text.\r\n\r\n```\r\n## not a heading\r\n```\r\n");
    }

    #[test]
    fn only_what_changed_is_rewritten() {
        let mut changes = Changes::default();
        changes.keys.insert("stage".into(), serde_json::json!("first-contact"));
        changes.keys.insert("frequency".into(), serde_json::json!(4));
        let change =
            SectionChange { index: 1, heading: "## Situation".into(), text: "\nNew text.\n".into(), added: false };
        changes.sections.push(change);
        let edited = apply(FILE, Kind::Touchpoint, Role::Central, &changes).unwrap();
        let expected = FILE
            .replace("stage = \"support\"\r\n", "stage = \"first-contact\"\r\n")
            .replace("]\r\n+++", "]\r\nfrequency = 4\r\n+++")
            .replace("\r\nOld text.\r\n\r\n```\r\n## not a heading\r\n```\r\n", "\r\nNew text.\r\n");
        assert_eq!(edited, expected);
        // An emptied key goes; a key the form does not edit is refused.
        changes = Changes::default();
        changes.keys.insert("tags".into(), serde_json::json!([]));
        assert!(!apply(FILE, Kind::Touchpoint, Role::Central, &changes).unwrap().contains("tags"));
        changes.keys.insert("localised-from".into(), serde_json::json!("x"));
        assert!(apply(FILE, Kind::Touchpoint, Role::Central, &changes).is_err());
    }

    #[test]
    fn sections_the_form_adds_go_at_the_end_in_the_file_s_line_endings() {
        let count = parts(FILE).unwrap().len();
        let mut changes = Changes::default();
        let added = |index: usize, heading: &str, text: &str| SectionChange {
            index,
            heading: heading.into(),
            text: text.into(),
            added: true,
        };
        changes.sections.push(added(count + 1, "## Week 2", ""));
        changes.sections.push(added(count, "## Role play {#roleplay}", "\nPlay the caller.\n"));
        let edited = apply(FILE, Kind::Touchpoint, Role::Central, &changes).unwrap();
        assert_eq!(
            edited,
            format!("{FILE}\r\n## Role play {{#roleplay}}\r\n\r\nPlay the caller.\r\n\r\n## Week 2\r\n\r\n")
        );
        // Once added, it is a section like the others.
        let parts = parts(&edited).unwrap();
        assert_eq!(parts[count].heading, "## Role play {#roleplay}");
        changes = Changes::default();
        let mut change = added(count, "## Role play {#roleplay}", "\nPlay the angry caller.\n");
        change.added = false;
        changes.sections.push(change);
        assert!(apply(&edited, Kind::Touchpoint, Role::Central, &changes)
            .unwrap()
            .contains("\r\nPlay the angry caller.\r\n## Week 2"));
        // A place that skips one, or a heading that is not one line, is refused; so is a section
        // the file no longer has (it is not added again), a section's text with a `## ` line,
        // and a code block left open, which would hide the sections after it.
        let mut gone = added(count, "## Extra", "\nText.\n");
        gone.added = false;
        let cases = [
            added(count + 1, "## Why", ""),
            added(count, "## ", ""),
            added(count, "## Why\n## How", ""),
            gone,
            added(count, "## Why", "\nBecause.\n\n## How\n\nLike this.\n"),
        ];
        let expected = ["sections-changed", "heading", "heading", "sections-changed", "heading-in-section"];
        for (change, why) in cases.into_iter().zip(expected) {
            changes = Changes::default();
            changes.sections.push(change);
            assert_eq!(apply(FILE, Kind::Touchpoint, Role::Central, &changes).unwrap_err().key, why);
        }
        // A code block opened in a section hides the sections after it, and would swallow one
        // added after it.
        for index in [1, count - 1] {
            changes = Changes::default();
            let heading = super::parts(FILE).unwrap()[index].heading.clone();
            changes.sections.push(SectionChange { index, heading, text: "\n```\n".into(), added: false });
            changes.sections.push(added(count, "## Why", "\nBecause.\n"));
            assert_eq!(apply(FILE, Kind::Touchpoint, Role::Central, &changes).unwrap_err().key, "code-open");
        }
    }

    #[test]
    fn an_inline_campaign_stays_inline_and_tidy() {
        let file = "+++\ntitle = \"x\"\ncampaign = { name = \"Spring\", start = 2026-03-01, end = 2026-04-01 }   # short\n+++\n";
        let mut changes = Changes::default();
        let parts =
            serde_json::json!({ "name": "Spring", "start": "2026-03-01", "end": "2026-04-30", "url": "/spring" });
        changes.keys.insert("campaign".into(), parts);
        let edited = apply(file, Kind::Message, Role::Central, &changes).unwrap();
        assert_eq!(
            edited,
            "+++\ntitle = \"x\"\ncampaign = { name = \"Spring\", start = 2026-03-01, end = 2026-04-30, url = \"/spring\" }   # short\n+++\n"
        );
        changes.keys.insert(
            "campaign".into(),
            serde_json::json!({ "name": "Spring", "start": "2026-03-01", "end": "", "url": "" }),
        );
        let edited = apply(file, Kind::Message, Role::Central, &changes).unwrap();
        assert!(edited.contains("campaign = { name = \"Spring\", start = 2026-03-01 }   # short\n"), "{edited}");
    }

    #[test]
    fn a_campaign_s_lines_belong_to_the_campaign_however_it_is_written() {
        let file =
            "+++\ntitle = \"x\"\n[campaign]# spring\nname = \"y\"\nstart = 2026-01-01\n[[extra]]\nend = 1\n+++\n";
        let at = |line| field_of_line(file, Kind::Message, Role::Central, line);
        assert_eq!(
            (at(2), at(4), at(5), at(7)),
            (Some("title".into()), Some("campaign".into()), Some("campaign".into()), None)
        );
        let dotted = "+++\ntitle = \"x\"\ncampaign.start = 2026-01-01\ntags = [\n  [1, 2],\n]\n+++\n";
        assert_eq!(field_of_line(dotted, Kind::Message, Role::Central, 3).as_deref(), Some("campaign"));
    }

    #[test]
    fn a_line_belongs_to_its_key_or_section() {
        assert_eq!(field_of_line(FILE, Kind::Touchpoint, Role::Central, 3).as_deref(), Some("stage"));
        assert_eq!(field_of_line(FILE, Kind::Touchpoint, Role::Central, 5).as_deref(), Some("tags"));
        assert_eq!(field_of_line(FILE, Kind::Touchpoint, Role::Central, 9).as_deref(), Some("section-1"));
        assert_eq!(field_of_line(FILE, Kind::Touchpoint, Role::Central, 11).as_deref(), Some("section-1"));
        assert_eq!(field_of_line(FILE, Kind::Touchpoint, Role::Central, 18).as_deref(), Some("section-2"));
        assert_eq!(field_of_line(FILE, Kind::Touchpoint, Role::Central, 8).as_deref(), Some("section-0"));
    }
}
