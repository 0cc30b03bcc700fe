//! `book.toml`: the playbook's configuration, read into a validated [`Config`].
//!
//! Keys are kebab-case as in mdBook. Unknown keys, wrong types and bad values are all reported
//! with their line, not just the first one.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use crate::diagnostics::{did_you_mean, one_of, Diagnostics, SourceText};
use crate::fields::{is_valid_id, parse_table, Fields, Located};

pub const CONFIG_FILE: &str = "book.toml";

/// One `[divisions.<id>]` entry: an edition in its own language.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Division {
    pub id: String,
    pub name: String,
    pub language: String,
    /// Display names of stage and channel ids in the division's language.
    pub labels: BTreeMap<String, String>,
}

/// The validated configuration of a playbook.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Config {
    /// The playbook folder (where `book.toml` lives).
    pub root: PathBuf,
    pub title: String,
    pub description: String,
    pub language: String,
    pub output_dir: PathBuf,
    pub site_url: Option<String>,
    pub theme: String,
    pub allow_html: bool,
    /// Journey stages in the order customers meet them.
    pub stages: Vec<String>,
    pub channels: Vec<String>,
    /// Display names of stage and channel ids in the central language.
    pub labels: BTreeMap<String, String>,
    pub review_interval_days: i64,
    pub divisions: Vec<Division>,
}

impl Config {
    /// Display name of a stage or channel id in the central language; an id without a label
    /// is shown as words (`first-contact` → "First contact").
    pub fn label(&self, id: &str) -> String {
        if let Some(label) = self.labels.get(id) {
            return label.clone();
        }
        let words = id.replace('-', " ");
        let mut chars = words.chars();
        chars.next().map(|c| c.to_uppercase().chain(chars).collect()).unwrap_or_default()
    }

    pub fn content_dir(&self) -> PathBuf {
        self.root.join("content")
    }
}

/// Reads `<root>/book.toml`. An unreadable file is an I/O error; bad content goes to `diags`.
pub fn load(root: &Path, diags: &mut Diagnostics) -> anyhow::Result<Option<Config>> {
    let path = root.join(CONFIG_FILE);
    let text = std::fs::read_to_string(&path).map_err(|e| {
        anyhow::anyhow!(
            "cannot read {}: {e}\nhint: run `touchbook init` to create a playbook, or pass --root DIR",
            path.display()
        )
    })?;
    let source = SourceText::new(CONFIG_FILE, text.strip_prefix('\u{feff}').unwrap_or(&text));
    Ok(parse(root, &source, diags))
}

const TOP_KEYS: &[&str] = &["book", "build", "journey", "labels", "review", "divisions"];
const BOOK_KEYS: &[&str] = &["title", "description", "language"];
const BUILD_KEYS: &[&str] = &["output-dir", "site-url", "theme", "allow-html"];
const JOURNEY_KEYS: &[&str] = &["stages", "channels"];
const REVIEW_KEYS: &[&str] = &["interval-days"];
const DIVISION_KEYS: &[&str] = &["name", "language", "labels"];
/// Folders every edition has; a division edition at `site/<id>/` must not collide with them.
const RESERVED_FOLDERS: &[&str] = &["touchpoints", "messages", "practices", "rollouts", "static", "pagefind"];

/// Validates the text of a `book.toml`. Returns `None` if anything is wrong.
pub fn parse(root: &Path, source: &SourceText, diags: &mut Diagnostics) -> Option<Config> {
    let errors_before = diags.error_count();
    let doc = parse_table(source, &source.text, 0, diags)?;
    let anchor = 0..0;
    let mut top = Fields::new(source, 0, doc.get_ref(), anchor.clone(), "book.toml", TOP_KEYS, diags);

    let (title, description, language) = match top.table("book") {
        Some((table, at)) => {
            let mut book = top.nested(table, at, "[book]", BOOK_KEYS);
            let title = book.required_string("title", "\"Customer Playbook\"");
            let description = book.string("description");
            let language = book.string("language");
            (title, description, language)
        }
        None => {
            top.missing("book", "{ title = \"Customer Playbook\" }");
            (None, None, None)
        }
    };
    let language = language.map(|l| check_language(top.diags(), source, l)).unwrap_or_else(|| "en".into());

    let (mut output_dir, mut site_url, mut theme, mut allow_html) =
        ("site".to_string(), None, "default".to_string(), false);
    if let Some((table, at)) = top.table("build") {
        let mut build = top.nested(table, at, "[build]", BUILD_KEYS);
        if let Some(dir) = build.string("output-dir") {
            output_dir = dir.value;
        }
        if let Some(url) = build.string("site-url") {
            if url.value.starts_with("http://") || url.value.starts_with("https://") {
                site_url = Some(url.value.trim_end_matches('/').to_string());
            } else {
                let d = build.source().error(url.span, "`site-url` must be an absolute http(s) address");
                build.diags().push(d.with_hint("write it like `site-url = \"https://playbook.intranet.example\"`"));
            }
        }
        if let Some(name) = build.string("theme") {
            theme = name.value;
        }
        allow_html = build.bool("allow-html").unwrap_or(false);
    }

    let (mut stages, mut channels) = (Vec::new(), Vec::new());
    match top.table("journey") {
        Some((table, at)) => {
            let mut journey = top.nested(table, at, "[journey]", JOURNEY_KEYS);
            for (key, example, ids) in [
                ("stages", "[\"first-contact\", \"onboarding\", \"support\"]", &mut stages),
                ("channels", "[\"phone\", \"email\", \"chat\"]", &mut channels),
            ] {
                match journey.string_list(key) {
                    Some(list) if list.is_empty() => {
                        let d =
                            source.error(journey.key_span(key), format!("`journey.{key}` must list at least one id"));
                        journey.diags().push(d.with_hint(format!("write it like `{key} = {example}`")));
                    }
                    Some(list) => *ids = check_id_list(journey.diags(), source, key, list),
                    None => journey.missing(key, example),
                }
            }
        }
        None => top.missing("journey", "{ stages = [\"first-contact\", \"support\"], channels = [\"phone\"] }"),
    }

    let journey_ids: Vec<&str> = stages.iter().chain(&channels).map(String::as_str).collect();
    let raw_labels = top.string_map("labels");
    let labels = check_labels(top.diags(), source, "labels", raw_labels, &journey_ids);

    let mut review_interval_days = 180;
    if let Some((table, at)) = top.table("review") {
        let mut review = top.nested(table, at, "[review]", REVIEW_KEYS);
        if let Some(days) = review.integer(
            "interval-days",
            1..=3650,
            "the number of days after which a touch point is due for review, e.g. 180",
        ) {
            review_interval_days = days.value;
        }
    }

    let mut divisions = Vec::new();
    for (id, table) in top.subtables("divisions") {
        if !is_valid_id(&id.value) {
            top.diags().push(source.error(id.span.clone(), format!("division id `{}` is not valid", id.value)).with_hint(
                "division ids are lowercase letters, digits and `-`, because they become folder names: `[divisions.norge]`",
            ));
        } else if RESERVED_FOLDERS.contains(&id.value.as_str()) {
            let message = format!("`{}` cannot be a division id: the site already has a folder of that name", id.value);
            let hint = format!("a division's edition lives in site/<id>/; the site uses {}", one_of(RESERVED_FOLDERS));
            top.diags().push(source.error(id.span.clone(), message).with_hint(hint));
        }
        let what = "a division";
        let mut fields = top.nested(table, id.span.clone(), what, DIVISION_KEYS);
        let name = fields.required_string("name", "\"Norge\"");
        let language = fields.required_string("language", "\"nb\"");
        let raw_labels = fields.string_map("labels");
        let language = language.map(|l| check_language(top.diags(), source, l));
        let labels =
            check_labels(top.diags(), source, &format!("divisions.{}.labels", id.value), raw_labels, &journey_ids);
        if let (Some(name), Some(language)) = (name, language) {
            divisions.push(Division { id: id.value, name: name.value, language, labels });
        }
    }

    if diags.error_count() > errors_before {
        return None;
    }
    let title = title?.value;
    Some(Config {
        root: root.to_path_buf(),
        title,
        description: description.map(|d| d.value).unwrap_or_default(),
        language,
        output_dir: root.join(output_dir),
        site_url,
        theme,
        allow_html,
        stages,
        channels,
        labels,
        review_interval_days,
        divisions,
    })
}

/// Language codes are short lowercase tags (`en`, `nb`, `da`, `sv`, `de-ch`).
fn check_language(diags: &mut Diagnostics, source: &SourceText, language: Located<String>) -> String {
    let ok = (2..=8).contains(&language.value.len())
        && language.value.split('-').all(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_lowercase()));
    if !ok {
        let message = format!("`{}` is not a language code", language.value);
        diags.push(
            source.error(language.span, message).with_hint("use a short code such as \"en\", \"nb\", \"da\" or \"sv\""),
        );
    }
    language.value
}

fn check_id_list(diags: &mut Diagnostics, source: &SourceText, key: &str, list: Vec<Located<String>>) -> Vec<String> {
    let mut ids: Vec<String> = Vec::new();
    for item in list {
        if !is_valid_id(&item.value) {
            let message = format!("`{}` in `journey.{key}` is not a valid id", item.value);
            let hint =
                format!("ids are lowercase letters, digits and `-`, e.g. \"{}\"", crate::fields::slugify(&item.value));
            diags.push(source.error(item.span, message).with_hint(hint));
        } else if ids.contains(&item.value) {
            diags.push(source.error(item.span, format!("`{}` is listed twice in `journey.{key}`", item.value)));
        } else {
            ids.push(item.value);
        }
    }
    ids
}

fn check_labels(
    diags: &mut Diagnostics,
    source: &SourceText,
    table: &str,
    entries: Vec<(Located<String>, Located<String>)>,
    known: &[&str],
) -> BTreeMap<String, String> {
    let mut labels = BTreeMap::new();
    for (key, value) in entries {
        if !known.contains(&key.value.as_str()) {
            let hint = did_you_mean(&key.value, known.iter().copied())
                .unwrap_or_else(|| format!("labels name stages and channels: {}", one_of(known)));
            diags.push(
                source
                    .error(key.span, format!("`{}` in [{table}] is not a stage or channel", key.value))
                    .with_hint(hint),
            );
        } else {
            labels.insert(key.value, value.value);
        }
    }
    labels
}
