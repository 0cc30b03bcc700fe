//! `book.toml`: the playbook's configuration, read into a validated [`Config`].
//!
//! Keys are kebab-case as in mdBook. Unknown keys, wrong types and bad values are all reported
//! with their line, not just the first one.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use crate::diagnostics::{did_you_mean, one_of, Diagnostic, Diagnostics, SourceText};
use crate::fields::{is_valid_id, parse_table, Fields, Located};

/// The configuration file's name, at the playbook root.
pub const CONFIG_FILE: &str = "book.toml";

/// One `[divisions.<id>]` entry: an edition in its own language.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Division {
    /// The id used in `content/divisions/<id>/` and in the edition's folder.
    pub id: String,
    /// The name readers see ("Norge").
    pub name: String,
    /// The edition's language (`nb`, `da`, `sv`, ...).
    pub language: String,
    /// Display names of stage and channel ids in the division's language.
    pub labels: BTreeMap<String, String>,
    /// The edition's own title and description, in its language (else the central ones).
    pub title: Option<String>,
    /// The edition's own description, in its language.
    pub description: Option<String>,
    /// Where this edition is published, without a trailing `/` (else under the central one).
    pub site_url: Option<String>,
    /// Teams that record check-ins of their own, as ids.
    pub teams: Vec<String>,
    /// Search synonyms in the division's language: a word and the words it also finds.
    pub synonyms: Synonyms,
}

/// Search synonyms of one language: each word, lowercased, and the words it also finds.
pub type Synonyms = BTreeMap<String, Vec<String>>;

/// Which repository host's web editor the "Edit this page" and "Suggest" links open.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Host {
    /// github.com or GitHub Enterprise.
    GitHub,
    /// gitlab.com or a self-hosted GitLab.
    GitLab,
    /// Gitea and Forgejo share their URL forms.
    Gitea,
}

/// `[contribute]`: where the playbook's repository lives, for contribution links.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Contribute {
    /// The repository's web address, without a trailing `/`.
    pub repository: String,
    /// Which host's URL forms to use.
    pub host: Host,
    /// The branch the links edit and propose changes against.
    pub branch: String,
}

/// The validated configuration of a playbook.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Config {
    /// The playbook folder (where `book.toml` lives).
    pub root: PathBuf,
    /// The central edition's title.
    pub title: String,
    /// The central edition's description.
    pub description: String,
    /// The central edition's language.
    pub language: String,
    /// Where `build` writes the site (`build.output-dir`).
    pub output_dir: PathBuf,
    /// Where the central edition is published, without a trailing `/`.
    pub site_url: Option<String>,
    /// The theme's name (`build.theme`).
    pub theme: String,
    /// Whether raw HTML in Markdown may reach pages (through the HTML policy).
    pub allow_html: bool,
    /// Journey stages in the order customers meet them.
    pub stages: Vec<String>,
    /// Channels a touch point may name (phone, email, ...).
    pub channels: Vec<String>,
    /// Display names of stage and channel ids in the central language.
    pub labels: BTreeMap<String, String>,
    /// Days after a review when the next one is due.
    pub review_interval_days: i64,
    /// The divisions, each an edition of its own.
    pub divisions: Vec<Division>,
    /// Where contribution links lead (`[contribute]`), if anywhere.
    pub contribute: Option<Contribute>,
    /// Search synonyms in the central language.
    pub synonyms: Synonyms,
    /// `[data] frequency-shares`: the shares of contacts (in millionths, so that a playbook of
    /// 10,000 touch points can set thresholds far below one percent) from which a touch point's
    /// frequency is 2, 3, 4 and 5.
    pub frequency_shares: [u32; 4],
}

/// Shares of contacts (percent) from which a touch point's frequency is 2, 3, 4 and 5.
pub const DEFAULT_FREQUENCY_SHARES: [u32; 4] = [10_000, 30_000, 60_000, 120_000];

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

    /// The `content/` folder of the playbook.
    pub fn content_dir(&self) -> PathBuf {
        self.root.join("content")
    }
}

/// Reads `<root>/book.toml`. An unreadable file is an I/O error; bad content goes to `diags`.
pub fn load(root: &Path, diags: &mut Diagnostics) -> anyhow::Result<Option<Config>> {
    let path = root.join(CONFIG_FILE);
    crate::paths::check_inside(root, &path)
        .or_else(|e| if path.exists() { Err(e) } else { Ok(()) })
        .map_err(|e| e.at(CONFIG_FILE, "read"))?;
    let text = std::fs::read_to_string(&path).map_err(|e| {
        let hint = format!("run `touchbook init` to create a playbook in {}, or pass --root DIR", root.display());
        Diagnostic::cannot(CONFIG_FILE, "read", e).with_hint(hint)
    })?;
    let source = SourceText::new(CONFIG_FILE, text.strip_prefix('\u{feff}').unwrap_or(&text));
    Ok(parse(root, &source, diags))
}

const TOP_KEYS: &[&str] =
    &["book", "build", "journey", "labels", "review", "contribute", "search", "data", "divisions"];
const DATA_KEYS: &[&str] = &["frequency-shares"];
const BOOK_KEYS: &[&str] = &["title", "description", "language"];
const BUILD_KEYS: &[&str] = &["output-dir", "site-url", "theme", "allow-html"];
const JOURNEY_KEYS: &[&str] = &["stages", "channels"];
const REVIEW_KEYS: &[&str] = &["interval-days"];
const DIVISION_KEYS: &[&str] = &["name", "language", "title", "description", "site-url", "teams", "labels", "search"];
const CONTRIBUTE_KEYS: &[&str] = &["repository", "host", "branch"];
const HOSTS: &[&str] = &["github", "gitlab", "gitea", "forgejo"];
const SEARCH_KEYS: &[&str] = &["synonyms"];
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
            site_url = check_http_url(build.diags(), source, "site-url", url, "https://playbook.intranet.example");
        }
        if let Some(name) = build.string("theme") {
            if crate::fields::is_theme_name(&name.value) {
                theme = name.value;
            } else {
                let d = source.error(name.span, format!("`{}` is not a theme name", name.value));
                build.diags().push(d.with_hint("a theme is a folder under themes/ named with letters, digits, `-` and `_`, e.g. `theme = \"nordlys\"`"));
            }
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

    let contribute = top.table("contribute").and_then(|(table, at)| {
        let mut fields = top.nested(table, at, "[contribute]", CONTRIBUTE_KEYS);
        read_contribute(&mut fields)
    });
    let synonyms = match top.table("search") {
        Some((table, at)) => read_synonyms(&mut top.nested(table, at, "[search]", SEARCH_KEYS), "search.synonyms"),
        None => Synonyms::new(),
    };

    let frequency_shares = match top.table("data") {
        Some((table, at)) => read_frequency_shares(&mut top.nested(table, at, "[data]", DATA_KEYS)),
        None => DEFAULT_FREQUENCY_SHARES,
    };

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
        let title = fields.string("title").map(|t| t.value);
        let description = fields.string("description").map(|d| d.value);
        let site_url = fields.string("site-url").and_then(|url| {
            check_http_url(fields.diags(), source, "site-url", url, "https://handbok.intranet.example")
        });
        let teams =
            fields.string_list("teams").map(|list| check_teams(fields.diags(), source, list)).unwrap_or_default();
        let synonyms = match fields.table("search") {
            Some((table, at)) => {
                let what = format!("divisions.{}.search.synonyms", id.value);
                read_synonyms(&mut fields.nested(table, at, "a division's [search]", SEARCH_KEYS), &what)
            }
            None => Synonyms::new(),
        };
        let raw_labels = fields.string_map("labels");
        let language = language.map(|l| check_language(top.diags(), source, l));
        let labels =
            check_labels(top.diags(), source, &format!("divisions.{}.labels", id.value), raw_labels, &journey_ids);
        if let (Some(name), Some(language)) = (name, language) {
            divisions.push(Division {
                id: id.value,
                name: name.value,
                language,
                labels,
                title,
                description,
                site_url,
                teams,
                synonyms,
            });
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
        contribute,
        synonyms,
        frequency_shares,
    })
}

/// `frequency-shares = [1, 3, 6, 12]`: four rising percentages of contacts, from which a
/// touch point's frequency is 2, 3, 4 and 5 (below the first it is 1).
fn read_frequency_shares(fields: &mut Fields<'_, '_>) -> [u32; 4] {
    const EXAMPLE: &str = "frequency-shares = [1, 3, 6, 12]";
    let source = fields.source().clone();
    let Some(list) = fields.number_list("frequency-shares") else {
        return DEFAULT_FREQUENCY_SHARES;
    };
    let span = list.span.clone();
    let hint = format!(
        "four rising percentages of contacts over the last 12 months, from which frequency is 2, 3, 4 and 5: `{EXAMPLE}`"
    );
    if list.value.len() != 4 {
        let message = format!("`frequency-shares` must list 4 percentages, found {}", list.value.len());
        fields.diags().push(source.error(span, message).with_hint(hint));
        return DEFAULT_FREQUENCY_SHARES;
    }
    let mut shares = [0u32; 4];
    for (i, share) in list.value.iter().enumerate() {
        if !(share.value >= 0.0001 && share.value <= 100.0) {
            let message = format!("{} is not a percentage from 0.0001 to 100", share.value);
            fields.diags().push(source.error(share.span.clone(), message).with_hint(hint.clone()));
            return DEFAULT_FREQUENCY_SHARES;
        }
        shares[i] = (share.value * 10_000.0).round() as u32;
        if i > 0 && shares[i] <= shares[i - 1] {
            let message = "the percentages in `frequency-shares` must rise from one to the next";
            fields.diags().push(source.error(share.span.clone(), message).with_hint(hint));
            return DEFAULT_FREQUENCY_SHARES;
        }
    }
    shares
}

/// An absolute http(s) address, without its trailing `/`; anything else is reported.
fn check_http_url(
    diags: &mut Diagnostics,
    source: &SourceText,
    key: &str,
    url: Located<String>,
    example: &str,
) -> Option<String> {
    let rest = url.value.strip_prefix("https://").or_else(|| url.value.strip_prefix("http://"));
    let host_ok = rest.is_some_and(|r| {
        let host = r.split(['/', '?', '#']).next().unwrap_or("");
        !host.is_empty() && !r.contains(char::is_whitespace)
    });
    if host_ok {
        return Some(url.value.trim_end_matches('/').to_string());
    }
    let d = source.error(url.span, format!("`{key}` must be an absolute http(s) address"));
    diags.push(d.with_hint(format!("write it like `{key} = \"{example}\"`")));
    None
}

fn read_contribute(fields: &mut Fields<'_, '_>) -> Option<Contribute> {
    let source = fields.source().clone();
    let repository = fields.required_string("repository", "\"https://git.example.com/service/playbook\"");
    let repository = repository.and_then(|url| {
        check_http_url(fields.diags(), &source, "repository", url, "https://git.example.com/service/playbook")
    });
    let host = fields.required_string("host", "\"gitlab\"").and_then(|host| match host.value.as_str() {
        "github" => Some(Host::GitHub),
        "gitlab" => Some(Host::GitLab),
        "gitea" | "forgejo" => Some(Host::Gitea),
        other => {
            let hint = did_you_mean(other, HOSTS.iter().copied())
                .unwrap_or_else(|| format!("the hosts touchbook knows are {}", one_of(HOSTS)));
            fields.diags().push(
                source.error(host.span, format!("`{other}` is not a repository host touchbook knows")).with_hint(hint),
            );
            None
        }
    });
    let branch = match fields.string("branch") {
        Some(b) if b.value.trim().is_empty() || b.value.contains(char::is_whitespace) || b.value.contains("..") => {
            fields.diags().push(
                source.error(b.span, "`branch` must be a branch name").with_hint("write it like `branch = \"main\"`"),
            );
            None
        }
        Some(b) => Some(b.value),
        None => Some("main".to_string()),
    };
    Some(Contribute { repository: repository?, host: host?, branch: branch? })
}

/// `synonyms = { boss = ["manager", "supervisor"] }`: words are kept lowercased, and a word
/// with no synonyms or a blank one is reported.
fn read_synonyms(fields: &mut Fields<'_, '_>, what: &str) -> Synonyms {
    let source = fields.source().clone();
    let mut synonyms = Synonyms::new();
    for (word, list) in fields.string_list_map("synonyms") {
        let key = word.value.trim().to_lowercase();
        if key.is_empty() {
            fields.diags().push(source.error(word.span, format!("a word in [{what}] is empty")));
            continue;
        }
        if list.is_empty() {
            let message = format!("`{}` in [{what}] lists no synonyms", word.value);
            fields.diags().push(
                source
                    .error(word.span, message)
                    .with_hint(format!("write it like `{key} = [\"manager\", \"supervisor\"]`")),
            );
            continue;
        }
        let mut words = Vec::new();
        for item in list {
            let value = item.value.trim().to_lowercase();
            if value.is_empty() {
                fields.diags().push(source.error(item.span, format!("a synonym of `{key}` is empty")));
            } else if !words.contains(&value) && value != key {
                words.push(value);
            }
        }
        synonyms.entry(key).or_default().extend(words);
    }
    synonyms
}

fn check_teams(diags: &mut Diagnostics, source: &SourceText, list: Vec<Located<String>>) -> Vec<String> {
    let mut teams: Vec<String> = Vec::new();
    for team in list {
        if !is_valid_id(&team.value) {
            let hint = format!(
                "team ids are lowercase letters, digits and `-`, e.g. \"{}\"",
                crate::fields::slugify(&team.value)
            );
            diags.push(source.error(team.span, format!("`{}` is not a valid team id", team.value)).with_hint(hint));
        } else if teams.contains(&team.value) {
            diags.push(source.error(team.span, format!("team `{}` is listed twice", team.value)));
        } else {
            teams.push(team.value);
        }
    }
    teams
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
