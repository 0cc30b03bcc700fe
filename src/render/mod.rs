//! Rendering: the model of one edition, through Tera templates, into the site's files in memory.
//!
//! Rendering never touches the file system; `output` writes what it returns. Every page gets the
//! same base context (site, interface strings, navigation, the relative path to the site root)
//! plus the view of its own item, built in `views`.

mod data;
mod views;

use serde_json::{json, Value};
use tera::Tera;

use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::i18n::Translations;
use crate::links::Backlinks;
use crate::model::Playbook;
use crate::theme::Theme;

/// One file of the built site: its path below the output directory and its content.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutputFile {
    pub path: String,
    pub bytes: Vec<u8>,
}

/// Everything needed to render one edition.
pub struct Edition<'a> {
    pub playbook: &'a Playbook,
    pub backlinks: &'a Backlinks,
    pub strings: &'a Translations,
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
        diags.push(Diagnostic::file_error("themes", format!("a template does not compile: {}", error_chain(&error))).with_hint(
            "fix the template named above; delete your override to go back to the default theme",
        ));
        return None;
    }
    Some(tera)
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

/// Renders every page and data file of an edition.
pub fn edition(
    edition: &Edition<'_>,
    tera: &Tera,
    theme: &Theme,
    diags: &mut Diagnostics,
) -> Vec<OutputFile> {
    let views = views::Views::new(edition);
    let playbook = edition.playbook;
    let mut pages: Vec<(String, &str, Value)> = vec![
        ("index.html".into(), "index.html", views.start()),
        (
            "touchpoints/index.html".into(),
            "touchpoints.html",
            views.touchpoint_list(),
        ),
        ("journey.html".into(), "journey.html", views.journey()),
        (
            "messages/index.html".into(),
            "messages.html",
            views.message_list(),
        ),
        (
            "practices/index.html".into(),
            "practices.html",
            views.practice_list(),
        ),
        (
            "rollouts/index.html".into(),
            "rollouts.html",
            views.rollout_list(),
        ),
        ("plan.html".into(), "plan.html", views.plan()),
        ("review.html".into(), "review.html", views.review()),
        (
            "404.html".into(),
            "404.html",
            json!({ "title": edition.strings.get("not-found.title"), "page": { "title": edition.strings.get("not-found.title") } }),
        ),
    ];
    pages.extend(playbook.touchpoints.iter().map(|x| {
        (
            format!("touchpoints/{}.html", x.item.id),
            "touchpoint.html",
            views.touchpoint(x),
        )
    }));
    pages.extend(playbook.messages.iter().map(|x| {
        (
            format!("messages/{}.html", x.item.id),
            "message.html",
            views.message(x),
        )
    }));
    pages.extend(playbook.practices.iter().map(|x| {
        (
            format!("practices/{}.html", x.item.id),
            "practice.html",
            views.practice(x),
        )
    }));
    pages.extend(playbook.rollouts.iter().map(|x| {
        (
            format!("rollouts/{}.html", x.item.id),
            "rollout.html",
            views.rollout(x),
        )
    }));
    let html_pages: Vec<String> = pages
        .iter()
        .map(|(path, _, _)| path.clone())
        .filter(|p| p != "404.html")
        .collect();
    pages.push(("feed.xml".into(), "feed.xml", data::feed(edition, &views)));
    if playbook.config.site_url.is_some() {
        pages.push((
            "sitemap.xml".into(),
            "sitemap.xml",
            data::sitemap(edition, &html_pages),
        ));
    }

    let mut files = Vec::with_capacity(pages.len() + 8);
    for (path, template, view) in pages {
        let depth = path.matches('/').count();
        let context = views.base(&path, depth, view);
        match tera::Context::from_value(context).and_then(|ctx| tera.render(template, &ctx)) {
            Ok(text) => files.push(OutputFile {
                path,
                bytes: text.into_bytes(),
            }),
            Err(error) => diags.push(Diagnostic::file_error(
                format!("templates/{template}"),
                format!("rendering {path} failed: {}", error_chain(&error)),
            )),
        }
    }
    files.push(OutputFile {
        path: "touchpoints.json".into(),
        bytes: data::touchpoints_json(edition),
    });
    for (path, text) in theme.static_files() {
        files.push(OutputFile {
            path: format!("static/{path}"),
            bytes: text.as_bytes().to_vec(),
        });
    }
    files.sort_by(|a, b| a.path.cmp(&b.path));
    files
}
