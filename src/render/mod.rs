//! Rendering: the model of one edition, through Tera templates, into the site's files.
//!
//! Rendering never touches the file system itself: each file goes to an [`Emit`] as soon as it
//! is rendered, which `build` points at the staging folder (so pages never pile up in memory)
//! and `serve` and `check` at memory. Every page gets the same base context (site, interface
//! strings, navigation, the relative path to the site root) plus the view of its own item,
//! built in `views`.

/// A map for the templates, its values moved in through `Value::from` (a borrowed string goes
/// in as `.as_str()` or `.clone()`). Tera's maps and lists share their contents when copied,
/// so a card built once goes into every list that shows it without copying its text. Its keys
/// are in alphabetical order. Gathered in a `BTreeMap` first because Tera hashes every key
/// again when it takes a map in: from its own map type, each key would be hashed twice.
macro_rules! object {
    ($($key:literal: $value:expr),* $(,)?) => {{
        let mut map = std::collections::BTreeMap::<&'static str, tera::Value>::new();
        $( map.insert($key, tera::Value::from($value)); )*
        tera::Value::from(map)
    }};
}

mod cards;
mod chart;
mod data;
pub(crate) mod pages;
mod views;

use rayon::prelude::*;
use tera::{Context, Tera, Value};

use std::collections::{BTreeMap, BTreeSet};

use crate::data::{DivisionFigures, EditionData};
use crate::diagnostics::{Diagnostic, Diagnostics, SourceText};
use crate::i18n::Translations;
use crate::kind::Kind;
use crate::layout;
use crate::links::Backlinks;
use crate::model::{Localisation, Playbook};
use crate::output::OutputFile;
use crate::theme::Theme;

/// What becomes of each file as soon as it is rendered: `build` writes it into the staging
/// folder and gives back its path, `check` and `serve` keep it whole.
pub type Emit<'a, T = OutputFile> = dyn Fn(OutputFile) -> T + Sync + 'a;

/// What an [`Emit`] gives back of a file: the file itself, or its path once it is written.
pub trait Emitted: Send {
    /// The file's path below the output folder.
    fn path(&self) -> &str;
}

impl Emitted for OutputFile {
    fn path(&self) -> &str {
        &self.path
    }
}

impl Emitted for String {
    fn path(&self) -> &str {
        self
    }
}

/// An [`Emit`] that keeps every file in memory.
pub fn keep(file: OutputFile) -> OutputFile {
    file
}

/// Everything needed to render one edition.
pub struct Edition<'a> {
    /// The edition's items.
    pub playbook: &'a Playbook,
    /// The help desk's figures for this edition (its own rows only; empty without `data/`).
    pub data: &'a EditionData,
    /// Central edition only: each division's figures without verbatims, by division id, for
    /// following up rollouts per division.
    pub division_data: &'a [(String, DivisionFigures)],
    /// Which items link to each item.
    pub backlinks: &'a Backlinks,
    /// The interface strings in the edition's language.
    pub strings: &'a Translations,
    /// Every edition being built, for the language switch.
    pub site: &'a SiteMap,
    /// This edition's position in `site`.
    pub index: usize,
    /// The localisation status of every division (central edition only).
    pub status: Option<&'a [Localisation]>,
    /// Whether the build makes a search index (and so the search box's vocabulary).
    pub search: bool,
}

use crate::theme::SCRIPT_STRINGS;
/// The tables of the theme's i18n files that [`SCRIPT_STRINGS`] holds.
const SCRIPT_TABLES: &[&str] = &["practise", "verdict"];

/// The file [`SCRIPT_STRINGS`]: one global the scripts read (a `<script>` rather than JSON to
/// fetch, so that it also works for a site opened from disk).
fn script_strings(strings: &Translations) -> Vec<u8> {
    let json = strings.tables_json(SCRIPT_TABLES);
    format!("// The interface strings of the theme's scripts, in this edition's language.\nvar touchbookStrings = {json};\n")
        .into_bytes()
}

/// Data files every edition has (the sitemap only when the edition has an address).
const DATA_FILES: &[&str] = &["feed.xml", "sitemap.xml", "touchpoints.json", crate::search::vocabulary::FILE];

/// The pages and data files of an edition besides the item pages: the ones that show every
/// item (lists, maps, feeds), the not-found page and the central edition's status page.
pub fn edition_wide_paths(playbook: &Playbook) -> impl Iterator<Item = &'static str> + '_ {
    pages::shown(playbook).map(|page| page.path).chain(DATA_FILES.iter().copied())
}

/// What a page shows, before its view is built.
enum Job<'a> {
    Fixed(&'static pages::Page),
    Touchpoint(&'a crate::model::TouchPoint),
    Message(&'a crate::model::Message),
    BestPractice(&'a crate::model::BestPractice),
    Rollout(&'a crate::model::Rollout),
    Feed,
    Sitemap(&'a [String]),
}

/// Which pages of an edition to render.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Pages {
    /// Every page of the edition.
    All,
    /// These paths within the edition (`touchpoints/a.html`, `feed.xml`, `static/app.js`).
    Only(BTreeSet<String>),
}

impl Pages {
    /// Whether the page at `path` is to be rendered.
    pub fn contains(&self, path: &str) -> bool {
        match self {
            Pages::All => true,
            Pages::Only(paths) => paths.contains(path),
        }
    }
}

/// One edition as other editions see it: where it lives and which pages it has.
#[derive(Debug, Clone)]
pub struct EditionInfo {
    /// Folder below the site root: `""` for the central edition, `"norge/"` for a division.
    pub prefix: String,
    /// The division's name, or `None` for the central edition.
    pub name: Option<String>,
    /// The edition's language.
    pub language: String,
    /// The paths of the edition's pages, below its folder.
    pub pages: BTreeSet<String>,
    /// Where the edition is published, without a trailing `/`: the division's own `site-url`,
    /// else its folder under the central `site-url`; `None` when book.toml does not say.
    pub url: Option<String>,
    /// Published on its own (its own `site-url`), not as a folder of the central site, so
    /// relative links between it and the other editions would lead nowhere.
    pub apart: bool,
    /// Built in this run: its pages are in the output folder.
    pub built: bool,
}

/// Every edition of the playbook, so each page can link to the same page in the other
/// editions: the ones built alongside it by relative links, the others at their `site-url`.
#[derive(Debug, Clone)]
pub struct SiteMap {
    /// The central edition first, then the divisions in `book.toml` order.
    pub editions: Vec<EditionInfo>,
}

impl SiteMap {
    /// `all` the editions of the playbook (the central one first), of which `built` are built.
    pub fn new(all: &[&Playbook], built: &[&Playbook]) -> SiteMap {
        let editions = all
            .iter()
            .map(|playbook| {
                let central = playbook.config.site_url.as_deref();
                let own = playbook.division.as_ref().and_then(|d| d.site_url.clone());
                let url = match &playbook.division {
                    Some(d) => own.clone().or_else(|| central.map(|url| format!("{url}/{}", d.id))),
                    None => central.map(str::to_string),
                };
                EditionInfo {
                    prefix: prefix(playbook),
                    name: playbook.division.as_ref().map(|d| d.name.clone()),
                    language: playbook.language().to_string(),
                    pages: page_paths(playbook),
                    url,
                    apart: own.is_some(),
                    built: built.iter().any(|b| prefix(b) == prefix(playbook)),
                }
            })
            .collect();
        SiteMap { editions }
    }

    /// The position of an edition, by its prefix.
    pub fn position(&self, prefix: &str) -> Option<usize> {
        self.editions.iter().position(|e| e.prefix == prefix)
    }

    /// Whether pages of edition `from` can link to edition `to`: it is published with it
    /// (built in the same run, both in the central site's folder tree) or has an address.
    pub fn reachable(&self, from: usize, to: usize) -> bool {
        self.relative(from, to) || self.editions[to].url.is_some()
    }

    fn relative(&self, from: usize, to: usize) -> bool {
        let (here, there) = (&self.editions[from], &self.editions[to]);
        from == to || (there.built && !here.apart && !there.apart)
    }

    /// The one rule for links between editions: the address of `path` in edition `to` for a
    /// page of edition `from` whose way up to its edition's root is `root`, or `None` when
    /// that edition lacks the page or cannot be reached.
    pub fn link(&self, from: usize, to: usize, path: &str, root: &str) -> Option<String> {
        let there = &self.editions[to];
        if !there.pages.contains(path) {
            return None;
        }
        if self.relative(from, to) {
            let up = if from == to || self.editions[from].prefix.is_empty() { "" } else { "../" };
            let prefix = if from == to { "" } else { there.prefix.as_str() };
            return Some(format!("{root}{up}{prefix}{path}"));
        }
        there.url.as_ref().map(|url| format!("{url}/{path}"))
    }
}

/// The folder of an edition below the site root: `""` for the centre, `"norge/"` for a division.
pub fn prefix(playbook: &Playbook) -> String {
    playbook.division.as_ref().map_or_else(String::new, |d| format!("{}/", d.id))
}

/// How many situations the search box suggests when a search finds nothing.
const SUGGESTIONS: usize = 5;

/// The most frequent situations, suggested by the search box on every page of the edition:
/// when they change, every page changes.
pub fn suggestions(playbook: &Playbook) -> Vec<&crate::model::TouchPoint> {
    let mut frequent: Vec<&crate::model::TouchPoint> = playbook.touchpoints.iter().collect();
    frequent.sort_by_key(|t| (std::cmp::Reverse(t.frequency), std::cmp::Reverse(t.difficulty)));
    frequent.truncate(SUGGESTIONS);
    frequent
}

/// Every page an edition has, by path within the edition.
fn page_paths(playbook: &Playbook) -> BTreeSet<String> {
    let mut paths: BTreeSet<String> = pages::shown(playbook).map(|page| page.path.to_string()).collect();
    paths.extend(playbook.items().map(|item| layout::page(item.kind, &item.id)));
    paths
}

/// What to do about a template of the theme that fails.
const TEMPLATE_HINT: &str = "fix the template named above; delete your override to go back to the default theme";

/// Compiles the theme's templates. A template that does not compile is reported at its line
/// and column in the theme's file, with Tera's reason; Tera stops at the first one, so each is
/// set aside in turn to find the others.
pub fn templates(theme: &Theme, diags: &mut Diagnostics) -> Option<Tera> {
    let mut broken: Vec<String> = Vec::new();
    loop {
        let mut tera = Tera::new();
        // Escapes `& < > " '` (the `fast_escape` feature: pulldown-cmark's escaping, as in
        // `markdown::escape`), and not `/`, which would make every address unreadable.
        tera.autoescape_on([".html", ".xml"]);
        tera.register_filter("json_encode", json_encode);
        let compiling = theme.templates().filter(|(name, _)| !broken.iter().any(|b| b == name));
        let error = match tera.add_raw_templates(compiling) {
            Ok(()) if broken.is_empty() => return Some(tera),
            Ok(()) => return None,
            Err(error) => error,
        };
        let syntax = match error.kind() {
            tera::ErrorKind::SyntaxError(report) => Some(report.filename().to_string()),
            _ => None,
        };
        match syntax {
            Some(name) if !broken.contains(&name) => {
                diags.push(template_error(theme, &error, "a template does not compile").with_hint(TEMPLATE_HINT));
                broken.push(name);
            }
            // Other templates may fail only for want of the ones set aside: those are reported.
            _ if !broken.is_empty() => return None,
            _ => {
                diags.push(template_error(theme, &error, "the templates do not fit together").with_hint(TEMPLATE_HINT));
                return None;
            }
        }
    }
}

/// `{{ value | json_encode }}`: the value as compact JSON with its keys sorted, so the output
/// does not depend on the order a view happened to insert them in. Tera 2 has no such filter.
fn json_encode(value: Value, _: tera::Kwargs, _: &tera::State) -> tera::TeraResult<String> {
    let sorted = serde_json::to_value(&value).map_err(tera::Error::message)?;
    Ok(sorted.to_string())
}

/// A template error as a diagnostic at the template's file, line and column where Tera knows
/// them (syntax and rendering errors), else at the theme.
fn template_error(theme: &Theme, error: &tera::Error, what: &str) -> Diagnostic {
    match error.kind() {
        tera::ErrorKind::SyntaxError(report) | tera::ErrorKind::RenderingError(report) => {
            let file = theme.template_path(report.filename());
            let text = theme.templates().find(|(name, _)| *name == report.filename()).map_or("", |(_, text)| text);
            let span = report.span().range.clone();
            SourceText::new(file, text).error(span, format!("{what}: {}", report.message()))
        }
        _ => Diagnostic::file_error(format!("themes/{}", theme.name), format!("{what}: {}", error_chain(error))),
    }
}

/// The view of one page: what its template shows besides the shared context.
fn view_of(views: &views::Views<'_>, edition: &Edition<'_>, job: Job<'_>) -> Value {
    match job {
        Job::Fixed(page) => (page.view)(views),
        Job::Touchpoint(x) => views.touchpoint(x),
        Job::Message(x) => views.message(x),
        Job::BestPractice(x) => views.best_practice(x),
        Job::Rollout(x) => views.rollout(x),
        Job::Feed => data::feed(edition),
        Job::Sitemap(pages) => data::sitemap(edition, pages),
    }
}

/// How many folders below the edition's root a page is.
fn depth(path: &str) -> usize {
    path.matches('/').count()
}

/// The relative path from a page `depth` folders down to the edition's root.
pub fn root(depth: usize) -> String {
    if depth == 0 {
        "./".to_string()
    } else {
        "../".repeat(depth)
    }
}

/// The search box (`search.html`) for pages at each depth. It is the same on every page at the
/// same depth, since its links are relative, so it is rendered once per depth rather than once
/// per page, and pages share it.
fn search_boxes(
    tera: &Tera,
    theme: &Theme,
    shared: &[(&'static str, Value)],
    depths: BTreeSet<usize>,
) -> Result<BTreeMap<usize, Value>, Box<Diagnostic>> {
    depths
        .into_iter()
        .map(|depth| {
            let context = page_context(shared, [("root", Value::from(self::root(depth)))]);
            match render_page(tera, &context, "search.html", FRAGMENT_CAPACITY) {
                // The page template places the box: whitespace around it is its business.
                Ok(html) => Ok((depth, Value::safe_string(String::from_utf8_lossy(&html).trim()))),
                Err(error) => Err(Box::new(template_error(theme, &error, "rendering the search box failed"))),
            }
        })
        .collect()
}

/// The context of one page: what every page of the edition shares, then the page's own
/// values (a page value named like a shared one hides it for that page). Tera's values share
/// their contents, so putting the shared ones into every page copies no text.
fn page_context<K: Into<std::borrow::Cow<'static, str>>>(
    shared: &[(&'static str, Value)],
    page: impl IntoIterator<Item = (K, Value)>,
) -> Context {
    let mut context = Context::new();
    for (key, value) in shared {
        context.insert_value(*key, value.clone());
    }
    for (key, value) in page {
        context.insert_value(key, value);
    }
    context
}

/// How much room a page's bytes start with: a touch point's page takes about 16 KB.
const PAGE_CAPACITY: usize = 16 * 1024;
/// The same for a fragment (a card, the search box), kept as long as the edition's views: a
/// card takes about 1 KB, and ten thousand of them in 16 KB buffers would hold 160 MB.
const FRAGMENT_CAPACITY: usize = 2 * 1024;

/// Renders `template` with `context` into bytes, starting with room for `capacity` of them.
fn render_page(tera: &Tera, context: &Context, template: &str, capacity: usize) -> tera::TeraResult<Vec<u8>> {
    let mut bytes = Vec::with_capacity(capacity);
    tera.render_to(template, context, &mut bytes)?;
    if template.ends_with(".xml") {
        bytes = xml_characters_only(bytes);
    }
    Ok(bytes)
}

/// Leaves out the characters XML 1.0 does not allow (control characters other than tab and
/// line breaks, U+FFFE and U+FFFF): from content, they would make the feed unreadable to every
/// feed reader, and escaping cannot express them.
fn xml_characters_only(bytes: Vec<u8>) -> Vec<u8> {
    let allowed = |c: char| matches!(c, '\t' | '\n' | '\r') || (c >= ' ' && !matches!(c, '\u{fffe}' | '\u{ffff}'));
    match String::from_utf8(bytes) {
        Ok(text) if text.chars().all(allowed) => text.into_bytes(),
        Ok(text) => text.chars().filter(|c| allowed(*c)).collect::<String>().into_bytes(),
        Err(error) => {
            String::from_utf8_lossy(error.as_bytes()).chars().filter(|c| allowed(*c)).collect::<String>().into_bytes()
        }
    }
}

/// Pages whose template failed, one diagnostic per place and reason rather than per page: a
/// mistake in `touchpoint.html` fails every situation's page alike, and ten thousand copies of
/// it would hide everything else.
fn page_failures(theme: &Theme, failures: Vec<(String, tera::Error)>) -> Vec<Diagnostic> {
    let mut groups: BTreeMap<String, (Vec<String>, tera::Error)> = BTreeMap::new();
    for (path, error) in failures {
        let place = match error.kind() {
            tera::ErrorKind::SyntaxError(report) | tera::ErrorKind::RenderingError(report) => {
                format!("{}:{:?}:{}", report.filename(), report.span().range, report.message())
            }
            _ => error_chain(&error),
        };
        groups.entry(place).or_insert_with(|| (Vec::new(), error)).0.push(path);
    }
    groups
        .into_values()
        .map(|(mut paths, error)| {
            paths.sort();
            let pages = match paths.len() {
                1 => paths[0].clone(),
                2 => format!("{} and {}", paths[0], paths[1]),
                n => format!("{} and {} other pages", paths[0], n - 1),
            };
            template_error(theme, &error, &format!("rendering {pages} failed")).with_hint(TEMPLATE_HINT)
        })
        .collect()
}

/// Tera hides the useful part of an error in its sources; show them all.
fn error_chain(error: &dyn std::error::Error) -> String {
    let mut text = error.to_string();
    let mut source = error.source();
    while let Some(cause) = source {
        text.push_str(": ");
        text.push_str(&cause.to_string());
        source = cause.source();
    }
    text
}

/// Renders the pages and data files of an edition that `pages` asks for, hands each to `emit`
/// and gives back what `emit` kept, by path.
pub fn edition<T: Emitted>(
    edition: &Edition<'_>,
    tera: &Tera,
    theme: &Theme,
    pages: &Pages,
    emit: &Emit<'_, T>,
    diags: &mut Diagnostics,
) -> Vec<T> {
    let prefix = &edition.site.editions[edition.index].prefix;
    let card_html = cards::CardHtml::new(tera);
    let views = views::Views::new(edition, &card_html);
    let playbook = edition.playbook;
    // Pages every edition has come first, then the items' pages, then the pages only some
    // editions have: the sitemap lists them in this order.
    let (everywhere, some): (Vec<&pages::Page>, Vec<&pages::Page>) =
        pages::shown(playbook).partition(|page| page.shown == pages::Shown::Always);
    let fixed = |page: &'static pages::Page| (page.path.to_string(), page.template, Job::Fixed(page));
    let mut jobs: Vec<(String, &str, Job<'_>)> = everywhere.into_iter().map(fixed).collect();
    jobs.extend(
        playbook
            .touchpoints
            .iter()
            .map(|x| (layout::page(Kind::Touchpoint, &x.item.id), "touchpoint.html", Job::Touchpoint(x))),
    );
    jobs.extend(
        playbook.messages.iter().map(|x| (layout::page(Kind::Message, &x.item.id), "message.html", Job::Message(x))),
    );
    jobs.extend(
        playbook
            .best_practices
            .iter()
            .map(|x| (layout::page(Kind::BestPractice, &x.item.id), "practice.html", Job::BestPractice(x))),
    );
    jobs.extend(
        playbook.rollouts.iter().map(|x| (layout::page(Kind::Rollout, &x.item.id), "rollout.html", Job::Rollout(x))),
    );
    jobs.extend(some.into_iter().map(fixed));
    let html_pages: Vec<String> = jobs.iter().map(|(path, _, _)| path.clone()).filter(|p| p != "404.html").collect();
    jobs.push(("feed.xml".into(), "feed.xml", Job::Feed));
    if edition.site.editions[edition.index].url.is_some() {
        jobs.push(("sitemap.xml".into(), "sitemap.xml", Job::Sitemap(&html_pages)));
    }

    jobs.retain(|(path, _, _)| pages.contains(path));

    // Pages are independent of each other: build each view and render it on all cores.
    let shared = views.shared();
    card_html.share(&shared);
    let depths: BTreeSet<usize> = jobs.iter().map(|(path, _, _)| depth(path)).collect();
    let search_boxes = match search_boxes(tera, theme, &shared, depths) {
        Ok(boxes) => boxes,
        Err(diagnostic) => {
            diags.push(*diagnostic);
            return Vec::new();
        }
    };
    // touchpoints.json is one long piece of serial work: it is made while the pages render.
    let json_wanted = pages.contains("touchpoints.json");
    // The typo-correction vocabulary serves the search box only: a build without search skips it.
    let words_wanted = edition.search && pages.contains(crate::search::vocabulary::FILE);
    let json_file = || {
        let json = json_wanted.then(|| data::touchpoints_json(edition));
        let words = words_wanted.then(|| crate::search::vocabulary::file(playbook));
        (json, words)
    };
    let render_pages = || -> Vec<Result<T, (String, tera::Error)>> {
        // Few pages at a time: a piece of work is never split once begun, and the lists of
        // every situation are the first pages and the longest (the rest must not wait on them).
        jobs.into_par_iter()
            .with_max_len(1)
            .map(|(path, template, job)| {
                let view = view_of(&views, edition, job);
                let depth = depth(&path);
                let mut page = views.page(&path, depth, view);
                page.push((
                    "search_box".into(),
                    search_boxes.get(&depth).cloned().unwrap_or_else(|| Value::safe_string("")),
                ));
                match render_page(tera, &page_context(&shared, page), template, PAGE_CAPACITY) {
                    Ok(bytes) => Ok(emit(OutputFile { path: format!("{prefix}{path}"), bytes })),
                    Err(error) => Err((path, error)),
                }
            })
            .collect()
    };
    let (results, (json, words)) = rayon::join(render_pages, json_file);
    let mut files = Vec::with_capacity(results.len() + 8);
    let mut failures = Vec::new();
    for result in results {
        match result {
            Ok(file) => files.push(file),
            Err(failure) => failures.push(failure),
        }
    }
    for diagnostic in page_failures(theme, failures) {
        diags.push(diagnostic);
    }
    if let Some(error) = card_html.failure() {
        let hint = "fix card.html in your theme's templates; delete it there to go back to the built-in card";
        diags.push(template_error(theme, error, "rendering the situations' cards failed").with_hint(hint));
    }
    // Every card of the edition goes with the views: freed while the last files are written.
    let data = (json, words, edition.strings);
    let ((), files) = rayon::join(move || drop(views), || with_data_files(files, data, theme, prefix, pages, emit));
    files
}

/// The rendered pages plus `touchpoints.json`, the search vocabulary, the scripts' strings and
/// the theme's static files, in path order.
fn with_data_files<T: Emitted>(
    mut files: Vec<T>,
    (json, words, strings): (Option<Vec<u8>>, Option<Vec<u8>>, &Translations),
    theme: &Theme,
    prefix: &str,
    pages: &Pages,
    emit: &Emit<'_, T>,
) -> Vec<T> {
    let mut extra = Vec::new();
    if let Some(bytes) = json {
        extra.push(OutputFile { path: format!("{prefix}touchpoints.json"), bytes });
    }
    if let Some(bytes) = words {
        extra.push(OutputFile { path: format!("{prefix}{}", crate::search::vocabulary::FILE), bytes });
    }
    if pages.contains(SCRIPT_STRINGS) {
        extra.push(OutputFile { path: format!("{prefix}{SCRIPT_STRINGS}"), bytes: script_strings(strings) });
    }
    for (path, text) in theme.static_files() {
        let path = format!("static/{path}");
        if pages.contains(&path) {
            extra.push(OutputFile { path: format!("{prefix}{path}"), bytes: text.as_bytes().to_vec() });
        }
    }
    files.par_extend(extra.into_par_iter().map(emit));
    files.sort_by(|a, b| a.path().cmp(b.path()));
    files
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_page_value_hides_a_shared_one_for_that_page_only() {
        let mut tera = Tera::new();
        tera.add_raw_template("page.html", "{{ site }}: {{ title }}").unwrap();
        let shared = [("site", Value::from("Playbook")), ("title", Value::from("Shared title"))];

        let own = render_page(&tera, &page_context(&shared, [("title", Value::from("A"))]), "page.html", PAGE_CAPACITY);
        let none = render_page(&tera, &page_context(&shared, Vec::<(&str, Value)>::new()), "page.html", PAGE_CAPACITY);

        assert_eq!(own.unwrap(), b"Playbook: A");
        assert_eq!(none.unwrap(), b"Playbook: Shared title", "the shared value is back on the next page");
    }

    #[test]
    fn json_encode_writes_compact_json_with_sorted_keys() {
        let mut tera = Tera::new();
        tera.register_filter("json_encode", json_encode);
        tera.add_raw_template("page.txt", "{{ strings | json_encode }}").unwrap();
        let strings = object! { "label": "Search", "hint": "Type" };
        let context = page_context(&[], [("strings", strings)]);

        assert_eq!(
            render_page(&tera, &context, "page.txt", PAGE_CAPACITY).unwrap(),
            br#"{"hint":"Type","label":"Search"}"#
        );
    }
}
