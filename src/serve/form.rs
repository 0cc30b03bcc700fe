//! The edit page's form: each front-matter key of the item's kind (`edit::form`'s schema) as
//! the control that fits it, and each section of the body as a labelled text area, in the
//! edition's language. `editor.js` sends what changed to `/_edit/compose`, which rebuilds the
//! file's text from it (`edit::form::apply`).

use std::collections::BTreeMap;
use std::path::Path;

use toml_edit::Item;

use super::editor::Editor;
use crate::config::Config;
use crate::edit;
use crate::edit::form::{self, Widget};
use crate::i18n::Translations;
use crate::kind::Kind;
use crate::markdown::escape;

/// What the form needs to know beside the file.
pub(super) struct Context<'a> {
    pub config: &'a Config,
    pub division: Option<&'a str>,
    /// Which file the form is over.
    pub role: form::Role,
    /// The central item's front matter, when the file is a translation of it.
    pub central: Option<&'a toml_edit::DocumentMut>,
    /// A translated touch point's central do and don't items (`true`: do), in order.
    pub central_items: &'a [(bool, String)],
    /// The strings of the edition's language, for the form.
    pub t: &'a Translations,
    /// The strings of the file's language (a division's page may be made from the central
    /// file), for what the form writes into it: the headings of sections it adds.
    pub file_t: &'a Translations,
}

impl Editor {
    /// The form for `text`, a file of `kind`; empty when its front matter cannot be read (the
    /// text area is then the way to fix it).
    pub(super) fn form(&self, kind: Kind, text: &str, cx: &Context<'_>) -> String {
        let (Some(document), Some(parts)) = (edit::front_matter(text), form::parts(text)) else {
            return format!("<p class=\"note\">{}</p>\n", escape(cx.t.text("editor.form-unreadable")));
        };
        let mut html = String::from("<fieldset id=\"editor-form\" class=\"editor-form\">\n");
        html.push_str(&format!("<legend>{}</legend>\n", escape(cx.t.text("editor.form"))));
        let mut items = BTreeMap::new();
        for field in form::fields(kind, cx.role) {
            let options = match field.widget {
                Widget::Items(of) => Some(items.entry(of).or_insert_with(|| self.titles(of, cx.division)).clone()),
                _ => None,
            };
            html.push_str(&field_html(field.key, field.widget, document.get(field.key), options.as_deref(), cx));
        }
        for (index, part) in parts.iter().enumerate() {
            let body = &text[part.start..part.end];
            if part.heading.is_empty() && body.trim().is_empty() && kind != Kind::Rollout {
                continue;
            }
            let label = if part.heading.is_empty() {
                cx.t.text("editor.intro").to_string()
            } else {
                let heading = part.heading.trim_start_matches('#').trim();
                heading.split(" {").next().unwrap_or(heading).to_string()
            };
            let rows = body.lines().count().clamp(3, 24);
            html.push_str(&format!(
                "<div class=\"field\" data-field=\"section-{index}\"><label for=\"section-{index}\">{label}</label><br>\
<textarea id=\"section-{index}\" data-section=\"{index}\" data-heading=\"{heading}\" rows=\"{rows}\" cols=\"100\" aria-describedby=\"problems-section-{index}\">\n{body}</textarea>\
<p class=\"field-problems\" id=\"problems-section-{index}\" hidden></p></div>\n",
                label = escape(&label),
                heading = escape(&part.heading),
                body = escape(body.replace("\r\n", "\n").as_str()),
            ));
        }
        html.push_str(&add_section(kind, &document, &parts, cx));
        html.push_str("</fieldset>\n");
        html
    }

    /// Every item of `kind` the edition has, by title (a division's own title where it has one).
    fn titles(&self, kind: Kind, division: Option<&str>) -> Vec<(String, String)> {
        let mut titles: BTreeMap<String, String> = BTreeMap::new();
        let mut folders = vec![self.root().join(crate::layout::folder(kind, None))];
        if let Some(division) = division {
            folders.push(self.root().join(crate::layout::folder(kind, Some(division))));
        }
        for folder in folders {
            let Ok(entries) = std::fs::read_dir(&folder) else { continue };
            let mut files: Vec<_> = entries.flatten().map(|e| e.path()).collect();
            files.sort();
            for file in files {
                let Some(id) = id_of(&file) else { continue };
                let title = edit::read_text(self.root(), &file)
                    .ok()
                    .and_then(|text| edit::front_matter_string(&text, "title"))
                    .or_else(|| titles.get(&id).cloned())
                    .unwrap_or_else(|| id.clone());
                titles.insert(id, title);
            }
        }
        let mut list: Vec<(String, String)> = titles.into_iter().collect();
        list.sort_by_key(|a| a.1.to_lowercase());
        list
    }
}

/// "Add a section": the known sections the file does not have yet (a touch point's, or a
/// rollout's weeks), or a heading of the trainer's own. `editor.js` adds the section's text area
/// at `data-next`, the place the section will have in the file.
fn add_section(kind: Kind, document: &toml_edit::DocumentMut, parts: &[form::Part], cx: &Context<'_>) -> String {
    let t = cx.t;
    let names = cx.file_t.section_names();
    let present: Vec<String> =
        parts.iter().filter(|p| !p.heading.is_empty()).map(|p| names.id_of_heading(&p.heading)).collect();
    let mut choices: Vec<(String, String)> = Vec::new();
    match kind {
        Kind::Touchpoint => {
            for id in crate::kind::TOUCHPOINT_SECTIONS.iter().filter(|id| !present.iter().any(|p| p == *id)) {
                let label = names.headings.get(*id).cloned().unwrap_or_else(|| id.to_string());
                choices.push((format!("## {label} {{#{id}}}"), label));
            }
        }
        Kind::Rollout => {
            // A translation takes the central file's weeks unless it sets its own.
            let weeks = document
                .get("weeks")
                .or_else(|| cx.central.and_then(|central| central.get("weeks")))
                .and_then(Item::as_integer)
                .unwrap_or(16)
                .clamp(1, 104);
            for n in (1..=weeks).filter(|n| !present.contains(&format!("week-{n}"))) {
                let label = format!("{} {n}", cx.file_t.text("rollout.week"));
                choices.push((format!("## {label}"), label));
            }
        }
        _ => {}
    }
    let add = escape(t.text("editor.add-section"));
    let own = "<input type=\"text\" id=\"add-section-other\" size=\"30\">";
    let controls = if choices.is_empty() {
        format!("<label for=\"add-section-other\">{add}</label><br>{own}")
    } else {
        let mut options = format!("<option value=\"\">{}</option>", escape(t.text("editor.add-section-choose")));
        for (heading, label) in &choices {
            options.push_str(&option(heading, label, false));
        }
        format!(
            "<label for=\"add-section\">{add}</label><br><select id=\"add-section\">{options}</select> <label for=\"add-section-other\">{}</label> {own}",
            escape(t.text("editor.add-section-other"))
        )
    };
    format!(
        "<div class=\"field add-section\" id=\"editor-add-section\" data-next=\"{}\">{controls} <button type=\"button\" id=\"add-section-button\">{}</button></div>\n",
        parts.len(),
        escape(t.text("editor.add-section-button")),
    )
}

fn id_of(file: &Path) -> Option<String> {
    let name = file.file_name()?.to_str()?.strip_suffix(".md")?;
    crate::fields::is_valid_id(name).then(|| name.to_string())
}

/// One key's control with its label and the place its problems are shown.
fn field_html(
    key: &str,
    widget: Widget,
    value: Option<&Item>,
    items: Option<&[(String, String)]>,
    cx: &Context<'_>,
) -> String {
    let t = cx.t;
    let label = escape(&label_of(key, widget, t));
    let id = format!("field-{key}");
    let described = format!("aria-describedby=\"problems-{key}\"");
    let string = value.and_then(Item::as_str).unwrap_or_default();
    let list_of = |item: Option<&Item>| -> Vec<String> {
        item.and_then(Item::as_array)
            .map(|a| a.iter().filter_map(|v| v.as_str().map(str::to_string)).collect())
            .unwrap_or_default()
    };
    let strings = list_of(value);
    // On a translation, a key it does not set has the central file's value: shown in grey.
    let inherited = cx.central.filter(|_| cx.role == form::Role::Overlay && value.is_none()).and_then(|c| c.get(key));
    let grey = |text: &str| {
        if text.is_empty() {
            String::new()
        } else {
            format!(" placeholder=\"{}\"", escape(text))
        }
    };
    let central_text = inherited.and_then(Item::as_value).map(bare_value).unwrap_or_default();
    let central_list = list_of(inherited);
    let not_set = |shown: Option<String>| match shown {
        Some(shown) => format!("{}: {shown}", t.text("editor.as-central")),
        None => t.text("editor.not-set").to_string(),
    };
    let control = match widget {
        Widget::Line => format!(
            "<label for=\"{id}\">{label}</label><br><input type=\"text\" id=\"{id}\" data-key=\"{key}\" data-widget=\"text\" value=\"{}\"{} size=\"60\" {described}>",
            escape(string),
            grey(&central_text)
        ),
        Widget::Paragraph => format!(
            "<label for=\"{id}\">{label}</label><br><textarea id=\"{id}\" data-key=\"{key}\" data-widget=\"text\" rows=\"2\" cols=\"100\"{} {described}>\n{}</textarea>",
            grey(&central_text),
            escape(string)
        ),
        Widget::Date | Widget::Number => {
            let shown = value.and_then(Item::as_value).map(bare_value);
            let (kind, widget) = if widget == Widget::Date { ("text", "date") } else { ("number", "number") };
            let hint = match widget {
                "date" if !central_text.is_empty() => grey(&central_text),
                "date" => " placeholder=\"YYYY-MM-DD\"".to_string(),
                _ => format!("{} min=\"1\" max=\"104\"", grey(&central_text)),
            };
            format!(
                "<label for=\"{id}\">{label}</label><br><input type=\"{kind}\" id=\"{id}\" data-key=\"{key}\" data-widget=\"{widget}\" value=\"{}\"{hint} {described}>",
                escape(&shown.unwrap_or_default())
            )
        }
        Widget::Stage => {
            let central = inherited.and_then(Item::as_str).map(|stage| label_in(cx, stage));
            let mut options = format!("<option value=\"\">{}</option>", escape(&not_set(central)));
            let mut known = false;
            for stage in &cx.config.stages {
                known |= stage == string;
                options.push_str(&option(stage, &label_in(cx, stage), stage == string));
            }
            if !known && !string.is_empty() {
                options.push_str(&option(string, string, true));
            }
            format!(
                "<label for=\"{id}\">{label}</label><br><select id=\"{id}\" data-key=\"{key}\" data-widget=\"text\" {described}>{options}</select>"
            )
        }
        Widget::Level(scale) => {
            let current = value.and_then(Item::as_integer);
            let central = inherited
                .and_then(Item::as_integer)
                .and_then(|n| u8::try_from(n).ok())
                .map(|n| format!("{n} – {}", t.level(scale, n)));
            let mut options = format!("<option value=\"\">{}</option>", escape(&not_set(central)));
            for n in 1..=5u8 {
                let words = format!("{n} – {}", t.level(scale, n));
                options.push_str(&option(&n.to_string(), &words, current == Some(i64::from(n))));
            }
            format!(
                "<label for=\"{id}\">{label}</label><br><select id=\"{id}\" data-key=\"{key}\" data-widget=\"number\" {described}>{options}</select>"
            )
        }
        Widget::Flag => {
            let checked = if value.and_then(Item::as_bool) == Some(true) { " checked" } else { "" };
            format!("<input type=\"checkbox\" id=\"{id}\" data-key=\"{key}\" data-widget=\"flag\"{checked} {described}> <label for=\"{id}\">{label}</label>")
        }
        Widget::List => format!(
            "<label for=\"{id}\">{label}</label><br><input type=\"text\" id=\"{id}\" data-key=\"{key}\" data-widget=\"list\" value=\"{}\"{} size=\"60\" aria-describedby=\"hint-{key} problems-{key}\"> <span class=\"note\" id=\"hint-{key}\">{}</span>",
            escape(&strings.join(", ")),
            grey(&central_list.join(", ")),
            escape(t.text("editor.list-hint"))
        ),
        Widget::Lines => format!(
            "<label for=\"{id}\">{label}</label><br><textarea id=\"{id}\" data-key=\"{key}\" data-widget=\"lines\" rows=\"{rows}\" cols=\"60\"{} aria-describedby=\"hint-{key} problems-{key}\">\n{}</textarea> <span class=\"note\" id=\"hint-{key}\">{}</span>",
            grey(&central_list.join("\n")),
            escape(&strings.join("\n")),
            escape(t.text("editor.lines-hint")),
            rows = (strings.len() + 1).clamp(2, 8),
        ),
        Widget::Divisions => {
            let choices: Vec<(String, String)> =
                cx.config.divisions.iter().map(|d| (d.id.clone(), d.name.clone())).collect();
            checkboxes(key, &label, &choices, &strings, &central_list, None, t)
        }
        Widget::Campaign => campaign(key, &label, value, cx),
        Widget::LeavesOut => leaves_out(key, &label, value, cx),
        Widget::Channels => {
            let choices: Vec<(String, String)> =
                cx.config.channels.iter().map(|c| (c.clone(), label_in(cx, c))).collect();
            checkboxes(key, &label, &choices, &strings, &central_list, None, t)
        }
        Widget::Items(_) => checkboxes(key, &label, items.unwrap_or_default(), &strings, &central_list, Some(()), t),
    };
    format!(
        "<div class=\"field\" data-field=\"{key}\">{control}<p class=\"field-problems\" id=\"problems-{key}\" hidden></p></div>\n"
    )
}

/// A campaign's name, dates and address, as one group the script sends as one value.
/// On a translation, the central campaign's parts show in grey where the translation has none:
/// left empty, the central campaign is the one its edition shows.
fn campaign(key: &str, label: &str, value: Option<&Item>, cx: &Context<'_>) -> String {
    let t = cx.t;
    let part_of = |item: Option<&Item>, part: &str| {
        item.and_then(Item::as_table_like).and_then(|table| table.get(part)).and_then(Item::as_value).map(bare_value)
    };
    let central = cx.central.filter(|_| cx.role == form::Role::Overlay).and_then(|central| central.get(key));
    let mut inputs = String::new();
    for part in ["name", "start", "end", "url"] {
        let shown = part_of(value, part).unwrap_or_default();
        let grey = part_of(central, part).or_else(|| matches!(part, "start" | "end").then(|| "YYYY-MM-DD".to_string()));
        let placeholder = grey.map(|text| format!(" placeholder=\"{}\"", escape(&text))).unwrap_or_default();
        let (size, mode) = match part {
            "start" | "end" => (12, ""),
            // Text, not `url`: the browser would refuse the relative addresses check accepts.
            "url" => (60, " inputmode=\"url\""),
            _ => (60, ""),
        };
        inputs.push_str(&format!(
            "<p><label for=\"field-{key}-{part}\">{}</label><br><input type=\"text\" id=\"field-{key}-{part}\" data-part=\"{part}\" value=\"{}\"{placeholder}{mode} size=\"{size}\"></p>",
            escape(t.text(&format!("editor.campaign-{part}"))),
            escape(&shown)
        ));
    }
    let hint = if central.is_some() { "editor.campaign-hint-translation" } else { "editor.campaign-hint" };
    format!(
        "<fieldset data-key=\"{key}\" data-widget=\"campaign\" aria-describedby=\"hint-{key} problems-{key}\"><legend>{label}</legend><p class=\"note\" id=\"hint-{key}\">{}</p>{inputs}</fieldset>",
        escape(t.text(hint))
    )
}

/// Each central do and don't item with a box to leave it out of this translation and why. An
/// item the file names that is no central item (any more) still shows, ticked, so nothing goes
/// without the translator seeing it.
fn leaves_out(key: &str, label: &str, value: Option<&Item>, cx: &Context<'_>) -> String {
    let t = cx.t;
    let written: Vec<(String, String)> = value
        .and_then(Item::as_table_like)
        .map(|table| {
            table.iter().map(|(k, v)| (k.to_string(), v.as_value().map(bare_value).unwrap_or_default())).collect()
        })
        .unwrap_or_default();
    // Each central item takes the first name in the file that means it (as check counts it);
    // every other name shows as a row of its own.
    let mut claimed: Vec<Option<usize>> = vec![None; cx.central_items.len()];
    let mut extra = Vec::new();
    for (n, (name, _)) in written.iter().enumerate() {
        match crate::model::leaves_out_item(name, cx.central_items) {
            crate::model::Named::Item(i) if claimed[i].is_none() => claimed[i] = Some(n),
            _ => extra.push(n),
        }
    }
    let central = escape(&cx.config.language);
    // (the name sent back, what the box says as HTML, why, ticked)
    let mut rows: Vec<(String, String, String, bool)> = Vec::new();
    for ((is_do, item), claim) in cx.central_items.iter().zip(&claimed) {
        let verdict = escape(t.text(if *is_do { "verdict.do" } else { "verdict.dont" }));
        let shown = format!("{verdict}: <span lang=\"{central}\">{}</span>", escape(item));
        match claim {
            Some(n) => rows.push((written[*n].0.clone(), shown, written[*n].1.clone(), true)),
            None => rows.push((item.clone(), shown, String::new(), false)),
        }
    }
    for n in extra {
        let (name, why) = &written[n];
        rows.push((name.clone(), escape(name), why.clone(), true));
    }
    if rows.is_empty() {
        return format!("<p class=\"note\">{}</p>", escape(t.text("editor.leaves-out-none")));
    }
    let mut items = String::new();
    for (i, (name, shown, why, ticked)) in rows.iter().enumerate() {
        let checked = if *ticked { " checked" } else { "" };
        // The reason's field is named by its own label and the item's, for a screen reader.
        items.push_str(&format!(
            "<li><input type=\"checkbox\" id=\"field-{key}-{i}\" data-item=\"{}\"{checked}> <label for=\"field-{key}-{i}\" id=\"label-{key}-{i}\">{shown}</label><br>\
<label for=\"field-{key}-why-{i}\" id=\"label-{key}-why-{i}\">{}</label> <input type=\"text\" id=\"field-{key}-why-{i}\" data-why=\"{i}\" value=\"{}\" size=\"60\" aria-labelledby=\"label-{key}-why-{i} label-{key}-{i}\"></li>",
            escape(name),
            escape(t.text("editor.leaves-out-why")),
            escape(why)
        ));
    }
    format!(
        "<fieldset data-key=\"{key}\" data-widget=\"leaves-out\" aria-describedby=\"hint-{key} problems-{key}\"><legend>{label}</legend><p class=\"note\" id=\"hint-{key}\">{}</p><ul class=\"plain editor-choices\">{items}</ul></fieldset>",
        escape(t.text("editor.leaves-out-hint"))
    )
}

/// A group of check boxes, with a filter by title for lists of items. `inherited`: on a
/// translation that ticks none, the central file's choice, which it then has.
fn checkboxes(
    key: &str,
    label: &str,
    choices: &[(String, String)],
    chosen: &[String],
    inherited: &[String],
    filter: Option<()>,
    t: &Translations,
) -> String {
    let mut boxes = String::new();
    let mut listed: Vec<(String, String)> = choices.to_vec();
    // Ids the file names that are not (or no longer) items still show, checked, so nothing is
    // dropped without the trainer seeing it.
    for id in chosen {
        if !listed.iter().any(|(known, _)| known == id) {
            listed.insert(0, (id.clone(), id.clone()));
        }
    }
    for (i, (id, title)) in listed.iter().enumerate() {
        let checked = if chosen.contains(id) { " checked" } else { "" };
        boxes.push_str(&format!(
            "<li><input type=\"checkbox\" id=\"field-{key}-{i}\" value=\"{}\"{checked}> <label for=\"field-{key}-{i}\">{}</label></li>",
            escape(id),
            escape(title)
        ));
    }
    let search = match filter {
        Some(()) => format!(
            "<label for=\"filter-{key}\">{}</label> <input type=\"search\" id=\"filter-{key}\" data-filter=\"{key}\" aria-controls=\"choices-{key}\" autocomplete=\"off\"><br>",
            escape(t.text("editor.filter"))
        ),
        None => String::new(),
    };
    let (note, described) = if inherited.is_empty() {
        (String::new(), format!("problems-{key}"))
    } else {
        let names: Vec<&str> = inherited
            .iter()
            .map(|id| choices.iter().find(|(known, _)| known == id).map_or(id.as_str(), |(_, title)| title.as_str()))
            .collect();
        let text = t.text("editor.none-ticked-central").replace("{list}", &names.join(", "));
        (format!("<p class=\"note\" id=\"hint-{key}\">{}</p>", escape(&text)), format!("hint-{key} problems-{key}"))
    };
    format!(
        "<fieldset data-key=\"{key}\" data-widget=\"choices\" aria-describedby=\"{described}\"><legend>{label}</legend>{note}{search}<ul class=\"plain editor-choices\" id=\"choices-{key}\">{boxes}</ul></fieldset>"
    )
}

/// A value as the form shows it: a text without its quotes, anything else as TOML writes it,
/// without the spaces and comment around it in the file.
fn bare_value(value: &toml_edit::Value) -> String {
    if let Some(text) = value.as_str() {
        return text.to_string();
    }
    let mut value = value.clone();
    value.decor_mut().clear();
    value.to_string().trim().to_string()
}

fn option(value: &str, text: &str, selected: bool) -> String {
    let selected = if selected { " selected" } else { "" };
    format!("<option value=\"{}\"{selected}>{}</option>", escape(value), escape(text))
}

/// A stage's or channel's name in the edition: the division's label, else the central one.
fn label_in(cx: &Context<'_>, id: &str) -> String {
    let division = cx.division.and_then(|d| cx.config.divisions.iter().find(|x| x.id == d));
    division.and_then(|d| d.labels.get(id).cloned()).unwrap_or_else(|| cx.config.label(id))
}

/// A key's label in the edition's language.
fn label_of(key: &str, widget: Widget, t: &Translations) -> String {
    match widget {
        Widget::Level(scale) => t.get(&format!("scale.{scale}")),
        _ => t.get(&format!("editor.field-{key}")),
    }
}
