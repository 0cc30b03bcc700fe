//! Which pages a content change touches: the rule behind incremental rebuilds.
//!
//! The rule follows what pages show (see `render::views`):
//! - an item's own page shows its whole file, so it is redone whenever one of its files changes
//!   (in every edition that has the item: a central edit reaches the divisions too);
//! - other pages show only what the front matter says (titles, summaries, stages, owners,
//!   dates, references) and the section headings, plus a rollout's weeks. An edit that leaves
//!   these alone — the usual case of rewording a text — touches no other page;
//! - otherwise the item is *restructured*: the edition's list pages and data files are redone,
//!   with every page that refers to it or that it refers to (before and after the change), and
//!   the pages of those best practices and rollouts, whose summaries show other situations' cards;
//! - a situation's text also shows in full on the self-check page and in the meeting packs of
//!   the rollouts that link to it, so any edit of a situation redoes those pages;
//! - the search vocabulary (the words of every item's text) is redone on any edit;
//! - the help desk's figures changing (a category moved to another touch point) redoes every
//!   edition: cards, charts, the journey map and rankings all show them;
//! - what every page of an edition shows changing redoes the whole edition: the search
//!   suggestions, the division's translation states, the check-ins and follow-up it shows
//!   (rollout pages and the plan), and which pages exist (an item added or removed anywhere
//!   changes the language switch of every edition).
//!
//! A test builds a series of edits both ways and checks the sites are byte-identical.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;

use crate::build::{BuildOptions, Loaded};
use crate::data::{DivisionFigures, EditionData};
use crate::diagnostics::{Diagnostics, SourceText};
use crate::frontmatter;
use crate::kind::Kind;
use crate::layout;
use crate::layout::resolve_content_link;
use crate::markdown;
use crate::model::{CheckUnit, Playbook};
use crate::render::{pages, Pages};

/// An item of one edition.
type Key = (Kind, String);

/// Every content file of a loaded playbook, by path.
fn sources(loaded: &Loaded) -> BTreeMap<String, Arc<SourceText>> {
    let editions = &loaded.editions;
    std::iter::once(&editions.central)
        .chain(&editions.divisions)
        .flat_map(|playbook| &playbook.checks)
        .map(|unit| (unit.source.rel_path.clone(), Arc::clone(&unit.source)))
        .collect()
}

/// A content file's division and item.
fn key_of(rel_path: &str) -> Option<(Option<String>, Key)> {
    let (kind, division, id) = crate::layout::classify(rel_path)?;
    Some((division.map(str::to_string), (kind, id.to_string())))
}

/// Pages to render, per selected edition, after going from `old` to `new`. Both must come from
/// the same `book.toml`, theme and date (other changes rebuild everything).
pub(super) fn plan(old: &Loaded, new: &Loaded, options: &BuildOptions) -> Vec<Pages> {
    let old_sources = sources(old);
    let new_sources = sources(new);
    let paths: BTreeSet<&String> = old_sources.keys().chain(new_sources.keys()).collect();
    let mut changed: Vec<Changed> = Vec::new();
    for path in paths {
        let (before, after) = (old_sources.get(path), new_sources.get(path));
        if before.map(|s| &s.text) == after.map(|s| &s.text) {
            continue;
        }
        let Some((division, key)) = key_of(path) else { continue };
        let restructured = match (before, after) {
            (Some(before), Some(after)) => key.0 == Kind::Rollout || outline(before, new) != outline(after, new),
            _ => true,
        };
        changed.push(Changed { division, key, restructured });
    }

    let old_editions = crate::build::selected(old, options);
    let new_editions = crate::build::selected(new, options);
    // Which pages each edition has shows on every page of every edition (the language switch),
    // also of editions not built here: the switch links to those with an address.
    let same_pages = every_editions_keys(old) == every_editions_keys(new);
    let same_data = old_editions.len() == new_editions.len()
        && old_editions.iter().zip(&new_editions).all(|(before, after)| figures(old, before) == figures(new, after));
    if !same_pages || !same_data {
        return vec![Pages::All; new_editions.len()];
    }
    let status_changed = old.editions.status != new.editions.status;
    let relations = |loaded: &Loaded, playbook: &Playbook| {
        // A division edition holds the central items too; their references are the centre's.
        let central = playbook.division.is_some().then_some(&loaded.editions.central.checks);
        Relations::of(playbook.checks.iter().chain(central.into_iter().flatten()))
    };
    old_editions
        .iter()
        .zip(&new_editions)
        .map(|(before, after)| {
            let neighbours = || [relations(old, before), relations(new, after)];
            edition_pages(before, after, &changed, status_changed, neighbours)
        })
        .collect()
}

/// The help desk's figures an edition shows: its own, and (central edition) the divisions'.
fn figures<'a>(loaded: &'a Loaded, playbook: &Playbook) -> (&'a EditionData, &'a [(String, DivisionFigures)]) {
    let division = playbook.division.as_ref().map(|d| d.id.as_str());
    (loaded.data.of(division), loaded.data.shared_with(division))
}

/// The items of an edition: the pages it has besides the fixed ones.
fn keys(playbook: &Playbook) -> BTreeSet<(Kind, &str)> {
    playbook.items().map(|item| (item.kind, item.id.as_str())).collect()
}

/// The items of every edition of the playbook, built or not.
fn every_editions_keys(loaded: &Loaded) -> Vec<BTreeSet<(Kind, &str)>> {
    let editions = &loaded.editions;
    std::iter::once(&editions.central).chain(&editions.divisions).map(keys).collect()
}

/// One changed content file.
struct Changed {
    division: Option<String>,
    key: Key,
    /// Whether more than its own page may show the change.
    restructured: bool,
}

/// What other pages can show of a file: its front matter, section headings and links.
#[derive(PartialEq, Eq)]
struct Outline {
    front_matter: String,
    headings: Vec<(String, String)>,
    links: Vec<String>,
}

fn outline(source: &SourceText, loaded: &Loaded) -> Option<Outline> {
    let mut diags = Diagnostics::default();
    let split = frontmatter::split(source, &mut diags)?;
    let language = match key_of(&source.rel_path).and_then(|(division, _)| division) {
        Some(division) => loaded.config.divisions.iter().find(|d| d.id == division).map(|d| d.language.as_str()),
        None => Some(loaded.config.language.as_str()),
    };
    let names = language.and_then(|l| loaded.strings.get(l)).map(|t| t.section_names()).unwrap_or_default();
    let body = markdown::parse(source, split.body, &names, &mut diags);
    let headings = body.sections.into_iter().map(|s| (s.id, s.title)).collect();
    let links = body.links.into_iter().map(|l| l.dest).collect();
    Some(Outline { front_matter: source.text[split.front_matter].to_string(), headings, links })
}

fn edition_pages(
    before: &Playbook,
    after: &Playbook,
    changed: &[Changed],
    status_changed: bool,
    neighbours: impl FnOnce() -> [Relations; 2],
) -> Pages {
    let division = after.division.as_ref().map(|d| d.id.as_str());
    let everything_changes = before.localisation != after.localisation
        || suggested(before) != suggested(after)
        || before.follow_up != after.follow_up
        || checkins(before) != checkins(after);
    if everything_changes {
        return Pages::All;
    }
    // A central file reaches every edition; a division's file its own (and the centre, when it
    // is a best practice the division shares).
    let here: Vec<&Changed> = changed
        .iter()
        .filter(|c| c.division.is_none() || c.division.as_deref() == division || division.is_none())
        .filter(|c| after.contains(c.key.0, &c.key.1))
        .collect();
    let mut items: BTreeSet<&Key> = here.iter().map(|c| &c.key).collect();
    let mut pages: BTreeSet<String> = BTreeSet::new();
    // The search vocabulary holds the words of every item's text, so any edit may change it.
    if !here.is_empty() {
        pages.insert(crate::search::vocabulary::FILE.to_string());
    }
    let situations = here.iter().any(|c| c.key.0 == Kind::Touchpoint);
    let neighbours = here.iter().any(|c| c.restructured || c.key.0 == Kind::Touchpoint).then(neighbours);
    if situations {
        pages.insert("practise.html".to_string());
    }
    // The meeting packs show each situation they practise in full.
    for c in here.iter().filter(|c| c.key.0 == Kind::Touchpoint) {
        for relations in neighbours.iter().flatten() {
            items.extend(relations.around(&c.key).filter(|near| near.0 == Kind::Rollout));
        }
    }
    let restructured = here.iter().any(|c| c.restructured);
    if let Some(neighbours) = neighbours.as_ref().filter(|_| restructured) {
        pages.extend(crate::render::edition_wide_paths(after).map(str::to_string));
        for c in here.iter().filter(|c| c.restructured) {
            for relations in neighbours {
                for near in relations.around(&c.key) {
                    // Best practice and rollout summaries show the cards of their situations.
                    if matches!(near.0, Kind::BestPractice | Kind::Rollout) {
                        items.extend(relations.around(near));
                    }
                    items.insert(near);
                }
            }
        }
    }
    if status_changed && pages::has(after, pages::STATUS) {
        pages.insert(pages::STATUS.into());
    }
    pages.extend(
        items.into_iter().filter(|(kind, id)| after.contains(*kind, id)).map(|(kind, id)| layout::page(*kind, id)),
    );
    Pages::Only(pages)
}

/// What pages show of an edition's check-ins (not where in their files they are written).
fn checkins(playbook: &Playbook) -> Vec<impl PartialEq + '_> {
    playbook
        .checkins
        .iter()
        .map(|c| {
            let texts = (&c.division, &c.rollout, &c.team, &c.action, &c.obstacle_note, &c.practised);
            (texts, c.number, c.held_on, c.attendees, c.obstacle, c.share)
        })
        .collect()
}

fn suggested(playbook: &Playbook) -> Vec<(&str, &str)> {
    crate::render::suggestions(playbook).into_iter().map(|t| (t.item.id.as_str(), t.title.as_str())).collect()
}

/// Who refers to whom in one edition, both ways: front-matter references and body links.
struct Relations {
    around: BTreeMap<Key, BTreeSet<Key>>,
}

impl Relations {
    fn of<'a>(units: impl Iterator<Item = &'a CheckUnit>) -> Relations {
        let mut around: BTreeMap<Key, BTreeSet<Key>> = BTreeMap::new();
        let mut link = |a: &Key, b: Key| {
            around.entry(a.clone()).or_default().insert(b.clone());
            around.entry(b).or_default().insert(a.clone());
        };
        for unit in units {
            let Some((_, from)) = key_of(&unit.source.rel_path) else { continue };
            for (_, kind, ids) in &unit.refs {
                for id in ids {
                    link(&from, (*kind, id.value.clone()));
                }
            }
            for target in unit.links.iter().filter_map(|l| resolve_content_link(&unit.source.rel_path, &l.dest)) {
                link(&from, (target.kind, target.id));
            }
        }
        Relations { around }
    }

    fn around<'a>(&'a self, key: &Key) -> impl Iterator<Item = &'a Key> + 'a {
        self.around.get(key).into_iter().flatten()
    }
}
