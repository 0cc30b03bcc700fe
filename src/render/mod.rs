//! Rendering: the model of one edition, through Tera templates, into the site's files.
//!
//! Rendering never touches the file system itself: each file goes to an [`Emit`] as soon as it
//! is rendered, which `build` points at the staging folder (so pages never pile up in memory)
//! and `serve` and `check` at memory. Every page gets the same base context (site, interface
//! strings, navigation, the relative path to the site root) plus the view of its own item,
//! built in `views`.

mod cards;
mod data;
mod views;

use rayon::prelude::*;
use serde_json::{json, Map, Value};
use tera::Tera;

use std::collections::{BTreeMap, BTreeSet};

use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::i18n::Translations;
use crate::links::Backlinks;
use crate::model::{Localisation, Playbook};
use crate::source::Kind;
use crate::theme::Theme;

/// One file of the built site: its path below the output directory and its content.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutputFile {
    pub path: String,
    pub bytes: Vec<u8>,
}

/// What becomes of each file as soon as it is rendered: `build` writes it into the staging
/// folder and gives back only what it still needs, `check` and `serve` keep it whole.
pub type Emit<'a> = dyn Fn(OutputFile) -> OutputFile + Sync + 'a;

/// An [`Emit`] that keeps every file in memory.
pub fn keep(file: OutputFile) -> OutputFile {
    file
}

/// Everything needed to render one edition.
pub struct Edition<'a> {
    pub playbook: &'a Playbook,
    pub backlinks: &'a Backlinks,
    pub strings: &'a Translations,
    /// Every edition being built, for the language switch.
    pub site: &'a SiteMap,
    /// This edition's position in `site`.
    pub index: usize,
    /// The localisation status of every division (central edition only).
    pub status: Option<&'a [Localisation]>,
}

/// Pages every edition has, with their templates (item pages come on top).
const FIXED_PAGES: &[(&str, &str)] = &[
    ("index.html", "index.html"),
    ("touchpoints/index.html", "touchpoints.html"),
    ("journey.html", "journey.html"),
    ("messages/index.html", "messages.html"),
    ("practices/index.html", "practices.html"),
    ("rollouts/index.html", "rollouts.html"),
    ("plan.html", "plan.html"),
    ("review.html", "review.html"),
    ("404.html", "404.html"),
];

/// Data files every edition has (the sitemap only when `site-url` is set).
const DATA_FILES: &[&str] = &["feed.xml", "sitemap.xml", "touchpoints.json"];

/// The pages and data files of an edition besides the item pages: the ones that show every
/// item (lists, maps, feeds) and the not-found page.
pub fn edition_wide_paths() -> impl Iterator<Item = &'static str> {
    FIXED_PAGES.iter().map(|(path, _)| *path).chain(DATA_FILES.iter().copied())
}

/// What a page shows, before its view is built.
enum Job<'a> {
    Fixed,
    Touchpoint(&'a crate::model::TouchPoint),
    Message(&'a crate::model::Message),
    Practice(&'a crate::model::Practice),
    Rollout(&'a crate::model::Rollout),
    Status(&'a [Localisation]),
    Feed,
    Sitemap(&'a [String]),
}

/// Which pages of an edition to render.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Pages {
    All,
    /// These paths within the edition (`touchpoints/a.html`, `feed.xml`, `static/app.js`).
    Only(BTreeSet<String>),
}

impl Pages {
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
    pub language: String,
    pub pages: BTreeSet<String>,
}

/// Every edition of a build, so each page can link to the same page in the other editions.
#[derive(Debug, Clone)]
pub struct SiteMap {
    pub editions: Vec<EditionInfo>,
}

impl SiteMap {
    pub fn new(playbooks: &[&Playbook]) -> SiteMap {
        let editions = playbooks
            .iter()
            .map(|playbook| EditionInfo {
                prefix: prefix(playbook),
                name: playbook.division.as_ref().map(|d| d.name.clone()),
                language: playbook.language().to_string(),
                pages: page_paths(playbook),
            })
            .collect();
        SiteMap { editions }
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

/// The address of an item's page within its edition.
pub fn item_path(kind: Kind, id: &str) -> String {
    format!("{}/{id}.html", kind.folder())
}

/// Every page an edition has, by path within the edition.
fn page_paths(playbook: &Playbook) -> BTreeSet<String> {
    let mut pages: BTreeSet<String> = FIXED_PAGES.iter().map(|(path, _)| path.to_string()).collect();
    pages.extend(playbook.items().map(|item| item_path(item.kind, &item.id)));
    if playbook.division.is_none() && !playbook.config.divisions.is_empty() {
        pages.insert("status.html".to_string());
    }
    pages
}

/// Compiles the theme's templates; template errors are reported with the template's name.
pub fn templates(theme: &Theme, diags: &mut Diagnostics) -> Option<Tera> {
    let mut tera = Tera::default();
    tera.autoescape_on(vec![".html", ".xml"]);
    // Tera's own escaping also turns `/` into `&#x2F;`, which makes every address unreadable in
    // the page source; escaping `& < > " '` is what HTML and XML need.
    tera.set_escape_fn(crate::markdown::escape);
    let templates: Vec<(&str, &str)> = theme.templates().collect();
    if let Err(error) = tera.add_raw_templates(templates) {
        diags.push(
            Diagnostic::file_error("themes", format!("a template does not compile: {}", error_chain(&error)))
                .with_hint("fix the template named above; delete your override to go back to the default theme"),
        );
        return None;
    }
    Some(tera)
}

/// The view of one page: what its template shows besides the shared context.
fn view_of(views: &views::Views<'_>, edition: &Edition<'_>, path: &str, job: Job<'_>) -> Value {
    match job {
        Job::Fixed => match path {
            "index.html" => views.start(),
            "touchpoints/index.html" => views.touchpoint_list(),
            "journey.html" => views.journey(),
            "messages/index.html" => views.message_list(),
            "practices/index.html" => views.practice_list(),
            "rollouts/index.html" => views.rollout_list(),
            "plan.html" => views.plan(),
            "review.html" => views.review(),
            _ => json!({ "title": edition.strings.get("not-found.title") }),
        },
        Job::Touchpoint(x) => views.touchpoint(x),
        Job::Message(x) => views.message(x),
        Job::Practice(x) => views.practice(x),
        Job::Rollout(x) => views.rollout(x),
        Job::Status(status) => views.status(status),
        Job::Feed => data::feed(edition, views),
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
/// per page: it was a fifth of the rendering of a touch point's page.
fn search_boxes(
    tera: &Tera,
    shared: &mut tera::Context,
    depths: BTreeSet<usize>,
) -> Result<BTreeMap<usize, String>, Box<Diagnostic>> {
    depths
        .into_iter()
        .map(|depth| {
            let mut root = Map::new();
            root.insert("root".into(), Value::from(self::root(depth)));
            match render_page(tera, shared, "search.html", root) {
                // The page template places the box: whitespace around it is its business.
                Ok(html) => Ok((depth, html.trim().to_string())),
                Err(error) => Err(Box::new(Diagnostic::file_error(
                    "templates/search.html",
                    format!("rendering the search box failed: {}", error_chain(&error)),
                ))),
            }
        })
        .collect()
}

/// Renders `template` with the shared context plus the page's own values. The page's values are
/// moved in for the rendering and taken out again, so the shared ones are never copied per page;
/// a page value named like a shared one hides it for that page only.
fn render_page(
    tera: &Tera,
    context: &mut tera::Context,
    template: &str,
    page: Map<String, Value>,
) -> tera::Result<String> {
    let keys: Vec<String> = page.keys().cloned().collect();
    let hidden: Map<String, Value> =
        keys.iter().filter_map(|key| context.remove(key).map(|value| (key.clone(), value))).collect();
    context.extend(tera::Context::from_value(Value::Object(page))?);
    let rendered = tera.render(template, context);
    for key in &keys {
        context.remove(key);
    }
    context.extend(tera::Context::from_value(Value::Object(hidden))?);
    rendered
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
pub fn edition(
    edition: &Edition<'_>,
    tera: &Tera,
    theme: &Theme,
    pages: &Pages,
    emit: &Emit<'_>,
    diags: &mut Diagnostics,
) -> Vec<OutputFile> {
    let prefix = &edition.site.editions[edition.index].prefix;
    let card_html = cards::CardHtml::new(tera);
    let views = views::Views::new(edition, &card_html);
    let playbook = edition.playbook;
    let mut jobs: Vec<(String, &str, Job<'_>)> =
        FIXED_PAGES.iter().map(|(path, template)| (path.to_string(), *template, Job::Fixed)).collect();
    jobs.extend(
        playbook
            .touchpoints
            .iter()
            .map(|x| (item_path(Kind::Touchpoint, &x.item.id), "touchpoint.html", Job::Touchpoint(x))),
    );
    jobs.extend(
        playbook.messages.iter().map(|x| (item_path(Kind::Message, &x.item.id), "message.html", Job::Message(x))),
    );
    jobs.extend(
        playbook.practices.iter().map(|x| (item_path(Kind::Practice, &x.item.id), "practice.html", Job::Practice(x))),
    );
    jobs.extend(
        playbook.rollouts.iter().map(|x| (item_path(Kind::Rollout, &x.item.id), "rollout.html", Job::Rollout(x))),
    );
    if let Some(status) = edition.status.filter(|_| !playbook.config.divisions.is_empty()) {
        jobs.push(("status.html".into(), "status.html", Job::Status(status)));
    }
    let html_pages: Vec<String> = jobs.iter().map(|(path, _, _)| path.clone()).filter(|p| p != "404.html").collect();
    jobs.push(("feed.xml".into(), "feed.xml", Job::Feed));
    if playbook.config.site_url.is_some() {
        jobs.push(("sitemap.xml".into(), "sitemap.xml", Job::Sitemap(&html_pages)));
    }

    jobs.retain(|(path, _, _)| pages.contains(path));

    // Pages are independent of each other: build each view and render it on all cores. Each
    // worker gets its own copy of the shared context and lends it to the pages it renders.
    // `from_value` fails only for a value that is not an object.
    let mut shared = tera::Context::from_value(Value::Object(views.shared())).unwrap_or_default();
    card_html.share(&shared);
    let depths: BTreeSet<usize> = jobs.iter().map(|(path, _, _)| depth(path)).collect();
    let search_boxes = match search_boxes(tera, &mut shared, depths) {
        Ok(boxes) => boxes,
        Err(diagnostic) => {
            diags.push(*diagnostic);
            return Vec::new();
        }
    };
    let results: Vec<Result<OutputFile, Box<Diagnostic>>> = jobs
        .into_par_iter()
        .map_init(
            || shared.clone(),
            |context, (path, template, job)| {
                let view = view_of(&views, edition, &path, job);
                let depth = depth(&path);
                let mut page = views.page(&path, depth, view);
                page.insert("search_box".into(), Value::from(search_boxes.get(&depth).cloned()));
                match render_page(tera, context, template, page) {
                    Ok(text) => Ok(emit(OutputFile { path: format!("{prefix}{path}"), bytes: text.into_bytes() })),
                    Err(error) => Err(Box::new(Diagnostic::file_error(
                        format!("templates/{template}"),
                        format!("rendering {path} failed: {}", error_chain(&error)),
                    ))),
                }
            },
        )
        .collect();
    let mut files = Vec::with_capacity(results.len() + 8);
    for result in results {
        match result {
            Ok(file) => files.push(file),
            Err(diagnostic) => diags.push(*diagnostic),
        }
    }
    if let Some(failure) = card_html.failure() {
        diags.push(
            Diagnostic::file_error(
                format!("templates/{}", cards::TEMPLATE),
                format!("rendering the situations' cards failed: {failure}"),
            )
            .with_hint("fix card.html in your theme's templates; delete it there to go back to the built-in card"),
        );
    }
    let mut extra = Vec::new();
    if pages.contains("touchpoints.json") {
        extra.push(OutputFile { path: format!("{prefix}touchpoints.json"), bytes: data::touchpoints_json(edition) });
    }
    for (path, text) in theme.static_files() {
        let path = format!("static/{path}");
        if pages.contains(&path) {
            extra.push(OutputFile { path: format!("{prefix}{path}"), bytes: text.as_bytes().to_vec() });
        }
    }
    files.par_extend(extra.into_par_iter().map(emit));
    files.sort_by(|a, b| a.path.cmp(&b.path));
    files
}

#[cfg(test)]
mod tests {
    use super::*;

    fn object(value: Value) -> Map<String, Value> {
        match value {
            Value::Object(map) => map,
            _ => Map::new(),
        }
    }

    #[test]
    fn pages_borrow_the_shared_context_and_give_it_back() {
        let mut tera = Tera::default();
        tera.add_raw_template("page.html", "{{ site }}: {{ title }}{% if extra %} +{{ extra }}{% endif %}").unwrap();
        let mut shared = tera::Context::from_value(json!({ "site": "Playbook", "extra": false })).unwrap();

        let first = render_page(&tera, &mut shared, "page.html", object(json!({ "title": "A", "extra": "x" })));
        let second = render_page(&tera, &mut shared, "page.html", object(json!({ "title": "B" })));

        assert_eq!(first.unwrap(), "Playbook: A +x");
        assert_eq!(second.unwrap(), "Playbook: B", "a page's own values do not leak into the next page");
        assert_eq!(shared, tera::Context::from_value(json!({ "site": "Playbook", "extra": false })).unwrap());
    }

    #[test]
    fn a_failing_page_leaves_the_shared_context_as_it_was() {
        let mut tera = Tera::default();
        tera.add_raw_template("broken.html", "{{ missing.value }}").unwrap();
        let mut shared = tera::Context::from_value(json!({ "site": "Playbook" })).unwrap();

        let result = render_page(&tera, &mut shared, "broken.html", object(json!({ "site": "Other", "title": "A" })));

        assert!(result.is_err());
        assert_eq!(shared, tera::Context::from_value(json!({ "site": "Playbook" })).unwrap());
    }
}
