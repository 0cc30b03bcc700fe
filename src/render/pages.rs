//! The page registry: every page of an edition besides its items' pages, in one table.
//!
//! A row says where the page goes, which template renders it, under which interface string the
//! main navigation links to it, what its view shows and which editions have it. Rendering, the
//! navigation, each edition's list of pages (the language switch, the sitemap) and `serve`'s
//! incremental rebuilds all read this table, so a new page is a row here, a template and its
//! strings.

use tera::Value;

use super::views::Views;
use crate::model::Playbook;

/// Which editions have a page.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Shown {
    /// Every edition.
    Always,
    /// The central edition of a playbook with divisions: the pages that follow how far each
    /// division has come.
    CentralOnly,
}

impl Shown {
    /// Whether the edition of `playbook` has a page shown so: the one rule for which edition
    /// follows the divisions.
    pub(crate) fn shows(self, playbook: &Playbook) -> bool {
        match self {
            Shown::Always => true,
            Shown::CentralOnly => playbook.division.is_none() && !playbook.config.divisions.is_empty(),
        }
    }
}

/// One page of the registry.
pub(crate) struct Page {
    /// Where the page goes, within its edition.
    pub path: &'static str,
    /// The theme's template that renders it.
    pub template: &'static str,
    /// The interface string the main navigation names it by; `None` keeps it out of the
    /// navigation.
    pub nav: Option<&'static str>,
    /// What the page shows besides what every page shows.
    pub view: fn(&Views<'_>) -> Value,
    /// Which editions have it.
    pub shown: Shown,
}

/// The localisation status of every division, in the central edition.
pub(crate) const STATUS: &str = "status.html";

/// Every page besides the items' pages. The navigation lists them in this order.
pub(crate) const PAGES: &[Page] = &[
    Page {
        path: "index.html",
        template: "index.html",
        nav: Some("nav.index"),
        view: |v| v.start(),
        shown: Shown::Always,
    },
    Page {
        path: "touchpoints/index.html",
        template: "touchpoints.html",
        nav: Some("nav.touchpoints"),
        view: |v| v.touchpoint_list(),
        shown: Shown::Always,
    },
    Page {
        path: "journey.html",
        template: "journey.html",
        nav: Some("nav.journey"),
        view: |v| v.journey(),
        shown: Shown::Always,
    },
    Page {
        path: "messages/index.html",
        template: "messages.html",
        nav: Some("nav.messages"),
        view: |v| v.message_list(),
        shown: Shown::Always,
    },
    Page {
        path: "practices/index.html",
        template: "practices.html",
        nav: Some("nav.practices"),
        view: |v| v.best_practice_list(),
        shown: Shown::Always,
    },
    Page {
        path: "rollouts/index.html",
        template: "rollouts.html",
        nav: Some("nav.rollouts"),
        view: |v| v.rollout_list(),
        shown: Shown::Always,
    },
    Page { path: "plan.html", template: "plan.html", nav: Some("nav.plan"), view: |v| v.plan(), shown: Shown::Always },
    Page {
        path: "review.html",
        template: "review.html",
        nav: Some("nav.review"),
        view: |v| v.review(),
        shown: Shown::Always,
    },
    Page { path: "practise.html", template: "practise.html", nav: None, view: |v| v.practise(), shown: Shown::Always },
    Page { path: "404.html", template: "404.html", nav: None, view: |v| v.not_found(), shown: Shown::Always },
    Page {
        path: STATUS,
        template: "status.html",
        nav: Some("nav.status"),
        view: |v| v.status(),
        shown: Shown::CentralOnly,
    },
];

/// The registry's pages the edition of `playbook` has, in the registry's order.
pub(crate) fn shown(playbook: &Playbook) -> impl Iterator<Item = &'static Page> + '_ {
    PAGES.iter().filter(|page| page.shown.shows(playbook))
}

/// Whether the edition of `playbook` has the registry's page at `path`.
pub(crate) fn has(playbook: &Playbook, path: &str) -> bool {
    shown(playbook).any(|page| page.path == path)
}

/// The part of the site a page belongs to, for the navigation to mark as current: its folder,
/// or its name for a page at the root (`touchpoints/a.html` → `touchpoints`, `plan.html` → `plan`).
pub(crate) fn section(path: &str) -> &str {
    path.split('/').next().unwrap_or_default().trim_end_matches(".html")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::theme::BUILTIN;

    #[test]
    fn every_page_has_its_template_in_the_default_theme() {
        for page in PAGES {
            let file = format!("templates/{}", page.template);
            assert!(BUILTIN.iter().any(|(path, _)| *path == file), "{}: themes/default/{file} is missing", page.path);
        }
    }

    #[test]
    fn every_navigation_entry_has_its_string_in_every_language() {
        let languages: Vec<(&str, toml::Table)> = BUILTIN
            .iter()
            .filter_map(|(path, text)| Some((path.strip_prefix("i18n/")?.strip_suffix(".toml")?, text.parse().ok()?)))
            .collect();
        assert!(languages.len() >= 4, "the default theme's languages were not found");
        for key in PAGES.iter().filter_map(|page| page.nav) {
            for (language, table) in &languages {
                let mut value = Some(&toml::Value::Table(table.clone()));
                for part in key.split('.') {
                    value = value.and_then(|v| v.as_table()).and_then(|t| t.get(part));
                }
                assert!(value.is_some_and(toml::Value::is_str), "{language}: the string `{key}` is missing");
            }
        }
    }

    /// The navigation marks an entry current by the section of the page shown: two entries of
    /// one section would both be marked.
    #[test]
    fn paths_and_navigation_sections_are_unique() {
        for (i, page) in PAGES.iter().enumerate() {
            let before = &PAGES[..i];
            assert!(before.iter().all(|other| other.path != page.path), "{} is listed twice", page.path);
            if page.nav.is_some() {
                let same = before.iter().find(|other| other.nav.is_some() && section(other.path) == section(page.path));
                assert!(same.is_none(), "{} and another entry of the navigation share a section", page.path);
            }
        }
    }
}
