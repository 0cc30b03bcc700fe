//! The playbook model: touch points, brand messages, best practices and rollouts as plain values, one
//! [`Playbook`] per edition.
//!
//! Every content file is parsed once (`parse`): its front matter read key by key (every
//! problem reported) and its body split into sections. `edition` then assembles the central
//! edition from the central files, and each division's edition from the central items with the
//! division's overlays laid over them, following the SPEC's merge rules. Cross-references are
//! only recorded here (as [`CheckUnit`]s); the `links` stage checks them.

mod best_practice;
mod checkin;
mod content;
mod edition;
mod followup;
mod message;
mod parse;
mod review;
mod rollout;
mod touchpoint;

use std::collections::{BTreeSet, HashMap};
use std::sync::Arc;

pub(crate) use best_practice::BestPractice;
pub(crate) use checkin::Checkin;
pub(crate) use content::Entry;
pub(crate) use edition::{central_hash, leaves_out_item, load, totals, Editions, LocalState, Localisation, Named};
pub(crate) use followup::{FollowUp, WeekState};
pub(crate) use message::Message;
pub(crate) use parse::ParseCache;
pub(crate) use review::{Review, ReviewState, SOON_DAYS};
pub(crate) use rollout::Rollout;
pub(crate) use touchpoint::TouchPoint;

use crate::config::{Config, Division};
use crate::diagnostics::SourceText;
use crate::fields::{Fields, Located};
use crate::kind::Kind;
use crate::markdown::{Body, ContentLink};

/// The front-matter keys a division's overlay of `kind` may not set (the central file decides
/// them for every edition).
pub(crate) fn central_only_keys(kind: Kind) -> impl Iterator<Item = &'static str> {
    use content::ContentType;
    let keys: &'static [(&'static str, &'static str)] = match kind {
        Kind::Touchpoint => TouchPoint::CENTRAL_ONLY,
        Kind::Message => Message::CENTRAL_ONLY,
        Kind::BestPractice => BestPractice::CENTRAL_ONLY,
        Kind::Rollout => Rollout::CENTRAL_ONLY,
        Kind::Checkin => &[],
    };
    keys.iter().map(|(key, _)| *key)
}

/// A reference by id to another item, with where it was written.
pub(crate) type Ref = Located<String>;

/// What every item has: its id, its file and its parsed body.
#[derive(Debug, Clone)]
pub struct Item {
    pub id: String,
    pub kind: Kind,
    pub source: Arc<SourceText>,
    pub body: Body,
    /// Byte offset where the body starts, to point at missing sections.
    pub body_start: usize,
}

/// References and links written in one file, to be checked against an edition.
#[derive(Debug, Clone)]
pub struct CheckUnit {
    pub source: Arc<SourceText>,
    /// Front-matter key, the kind it names, and the ids written there.
    pub refs: Vec<(&'static str, Kind, Vec<Ref>)>,
    pub links: Vec<ContentLink>,
}

/// All items of one edition, in a stable order (journey order for touch points).
#[derive(Debug, Clone)]
pub struct Playbook {
    pub config: Config,
    /// The day the build is for: review dates and the 12-month plan are relative to it.
    pub today: time::Date,
    /// `None` for the central edition.
    pub division: Option<Division>,
    pub touchpoints: Vec<TouchPoint>,
    pub messages: Vec<Message>,
    pub best_practices: Vec<BestPractice>,
    pub rollouts: Vec<Rollout>,
    /// Every item this edition's files may name, valid or not, hidden or not. References are
    /// checked against this, so that one item with a mistake (or hidden in a division) does
    /// not make every link to it an error too.
    pub known: BTreeSet<(Kind, String)>,
    /// What the files this edition owns refer to.
    pub checks: Vec<CheckUnit>,
    /// In a division edition: how each item stands with its translation, sorted by kind and id.
    pub localisation: Vec<Localisation>,
    /// Check-ins this edition may show: a division's own, and the actions other divisions
    /// share (without their obstacles); in the central edition only shared ones.
    pub checkins: Vec<Checkin>,
    /// Per rollout and division (or team) of this edition, how each week stands: every
    /// division's in the central edition, its own in a division's.
    pub follow_up: Vec<FollowUp>,
    /// Position of each item in its list, so that lookups by id stay cheap at 10,000 items.
    index: Positions,
}

/// Where each item is in its list, by kind (in the order `Kind` declares them) and id.
/// Rendering looks items up by id thousands of times, so a lookup neither walks a list nor
/// copies the id.
#[derive(Debug, Clone, Default)]
struct Positions([HashMap<String, usize>; 5]);

impl Positions {
    fn of(&self, kind: Kind) -> &HashMap<String, usize> {
        &self.0[kind as usize]
    }
}

/// Each item's position in its list, by id.
fn positions<'a>(items: impl Iterator<Item = &'a Item>) -> HashMap<String, usize> {
    items.enumerate().map(|(i, item)| (item.id.clone(), i)).collect()
}

impl Playbook {
    /// Where the item of `kind` with `id` is in its list (touch points in journey order).
    pub fn position(&self, kind: Kind, id: &str) -> Option<usize> {
        self.index.of(kind).get(id).copied()
    }

    pub fn touchpoint(&self, id: &str) -> Option<&TouchPoint> {
        self.position(Kind::Touchpoint, id).map(|i| &self.touchpoints[i])
    }

    pub fn message(&self, id: &str) -> Option<&Message> {
        self.position(Kind::Message, id).map(|i| &self.messages[i])
    }

    pub fn best_practice(&self, id: &str) -> Option<&BestPractice> {
        self.position(Kind::BestPractice, id).map(|i| &self.best_practices[i])
    }

    pub fn rollout(&self, id: &str) -> Option<&Rollout> {
        self.position(Kind::Rollout, id).map(|i| &self.rollouts[i])
    }

    /// Whether this edition has a page for an item of `kind` with `id`.
    pub fn contains(&self, kind: Kind, id: &str) -> bool {
        self.index.of(kind).contains_key(id)
    }

    /// An item of this edition, whatever its kind.
    pub fn entry(&self, kind: Kind, id: &str) -> Option<&dyn Entry> {
        content::entry(self, kind, id)
    }

    /// The common part (id, file, body) of an item of this edition.
    pub fn item(&self, kind: Kind, id: &str) -> Option<&Item> {
        self.entry(kind, id).map(Entry::item)
    }

    /// The title of an item of this edition.
    pub fn title(&self, kind: Kind, id: &str) -> Option<&str> {
        self.entry(kind, id).map(Entry::title)
    }

    /// Every item of every kind, kind by kind.
    pub fn entries(&self) -> impl Iterator<Item = &dyn Entry> {
        (self.touchpoints.iter().map(|x| x as &dyn Entry))
            .chain(self.messages.iter().map(|x| x as &dyn Entry))
            .chain(self.best_practices.iter().map(|x| x as &dyn Entry))
            .chain(self.rollouts.iter().map(|x| x as &dyn Entry))
    }

    /// Every item, for checks that apply to all kinds.
    pub fn items(&self) -> impl Iterator<Item = &Item> {
        self.entries().map(Entry::item)
    }

    /// Position of a stage in the journey, for sorting.
    pub fn stage_index(&self, stage: &str) -> usize {
        self.config.stages.iter().position(|s| s == stage).unwrap_or(usize::MAX)
    }

    /// The edition's title: the division's own where `book.toml` gives one.
    pub fn site_title(&self) -> &str {
        self.division.as_ref().and_then(|d| d.title.as_deref()).unwrap_or(&self.config.title)
    }

    /// The edition's description: the division's own where `book.toml` gives one.
    pub fn site_description(&self) -> &str {
        self.division.as_ref().and_then(|d| d.description.as_deref()).unwrap_or(&self.config.description)
    }

    /// The language of the edition.
    pub fn language(&self) -> &str {
        self.division.as_ref().map_or(&self.config.language, |d| &d.language)
    }

    /// Display name of a stage or channel id in the edition's language.
    pub fn label(&self, id: &str) -> String {
        if let Some(label) = self.division.as_ref().and_then(|d| d.labels.get(id)) {
            return label.clone();
        }
        self.config.label(id)
    }

    /// How an item stands with its translation in this (division) edition.
    pub fn local_state(&self, kind: Kind, id: &str) -> Option<&Localisation> {
        let found = self.localisation.binary_search_by(|l| (l.kind, l.id.as_str()).cmp(&(kind, id)));
        found.ok().map(|i| &self.localisation[i])
    }

    /// Sorts items the way pages list them (journey order, newest first, by id) and indexes them.
    /// Called whenever an edition's items change.
    fn finish(&mut self) {
        let stages = &self.config.stages;
        let stage_order = |stage: &str| stages.iter().position(|s| s == stage).unwrap_or(usize::MAX);
        self.touchpoints.sort_by(|a, b| (stage_order(&a.stage), &a.item.id).cmp(&(stage_order(&b.stage), &b.item.id)));
        self.messages.sort_by(|a, b| a.item.id.cmp(&b.item.id));
        self.best_practices.sort_by(|a, b| (b.date, &a.item.id).cmp(&(a.date, &b.item.id)));
        self.rollouts.sort_by(|a, b| (b.start, &a.item.id).cmp(&(a.start, &b.item.id)));
        self.index = Positions([
            positions(self.touchpoints.iter().map(|x| &x.item)),
            positions(self.messages.iter().map(|x| &x.item)),
            positions(self.best_practices.iter().map(|x| &x.item)),
            positions(self.rollouts.iter().map(|x| &x.item)),
            HashMap::new(),
        ]);
    }
}

/// Reads an optional list of ids, checking each one's form.
fn id_list(fields: &mut Fields<'_, '_>, key: &str) -> Vec<Ref> {
    let list = fields.string_list(key).unwrap_or_default();
    let mut out: Vec<Ref> = Vec::new();
    for id in list {
        if !crate::fields::is_valid_id(&id.value) {
            let d = fields.source().error(id.span.clone(), format!("`{}` is not a valid id", id.value));
            let hint = "an id is the file name without `.md`: lowercase letters, digits and `-`";
            fields.diags().push(d.with_hint(hint));
        } else if out.iter().any(|o| o.value == id.value) {
            let d = fields.source().warning(id.span.clone(), format!("`{}` is listed twice in `{key}`", id.value));
            fields.diags().push(d.with_hint("remove the second one"));
        } else {
            out.push(id);
        }
    }
    out
}
