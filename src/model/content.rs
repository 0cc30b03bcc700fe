//! What the content types have alike and what differs between them.
//!
//! [`Entry`] is what every item with a page has alike (its file and body, title and upkeep);
//! [`ContentType`] is what differs: its kind, its front-matter keys, how its draft is read,
//! completed into an item or laid over a central item as a division's overlay, and which list
//! of an edition holds it. Parsing (`parse`), overlays (`edition`) and lookups by kind are
//! written once over these; the matches below are the one place a [`Kind`] known only at run
//! time meets its type.

use std::sync::Arc;

use time::Date;

use super::edition::Layer;
use super::{BestPractice, Item, Message, Playbook, Ref, Review, Rollout, TouchPoint};
use crate::config::Config;
use crate::diagnostics::SourceText;
use crate::fields::Fields;
use crate::kind::Kind;
use crate::markdown::{Body, SectionNames};

/// What every item with a page has, whatever its kind.
pub trait Entry {
    /// Its id, kind, file and body.
    fn item(&self) -> &Item;
    /// Its title, as pages and lists show it.
    fn title(&self) -> &str;
    /// Who keeps it current and its last review.
    fn review(&self) -> &Review;
}

/// What a file is read with, besides its own text.
pub(super) struct Reading<'a> {
    pub(super) config: &'a Config,
    /// The day the build is for (reviews due, meetings still to come).
    pub(super) today: Date,
    /// The section headings of the file's language.
    pub(super) names: &'a SectionNames,
    /// The division a complete item comes from (`None`: central).
    pub(super) division: Option<&'a str>,
}

/// A content type with pages: one implementation per file of `model/`.
pub(super) trait ContentType: Entry + Clone + 'static {
    const KIND: Kind;
    /// Its own front-matter keys (the review keys come with every type).
    const KEYS: &'static [&'static str];
    /// Keys a division's overlay must not have, each with why.
    const CENTRAL_ONLY: &'static [(&'static str, &'static str)] = &[];
    /// Keys only a division's overlay of this type has (besides `localised-from` and `hidden`).
    const OVERLAY_ONLY: &'static [&'static str] = &[];

    /// The front matter as written: every key optional, every present value checked. A
    /// central file completes it; a division's overlay lays it over the central item.
    type Draft: Clone;

    fn read(item: &Item, fields: &mut Fields<'_, '_>, reading: &Reading<'_>) -> Self::Draft;

    /// The ids the front matter names, by key and the kind they name, for the links stage.
    fn refs(draft: &Self::Draft) -> Vec<(&'static str, Kind, Vec<Ref>)>;

    /// A central (or division-only) item: required keys and sections must be there.
    fn complete(item: Item, draft: Self::Draft, reading: &Reading<'_>, fields: &mut Fields<'_, '_>) -> Option<Self>;

    /// Lays a division's overlay over the central item: each key it has replaces the central
    /// one (see [`replace`]), and brand messages go through `layer`.
    fn apply(&mut self, draft: Self::Draft, layer: &mut Layer<'_>);

    fn item_mut(&mut self) -> &mut Item;

    /// The item and the draft as values of any kind.
    fn wrap(self) -> AnyItem;
    fn wrap_draft(draft: Self::Draft) -> AnyDraft;

    /// The edition's items of this type.
    fn list(playbook: &Playbook) -> &[Self];
    fn list_mut(playbook: &mut Playbook) -> &mut Vec<Self>;
}

/// An overlay's value replaces the central one where the overlay has it: the one rule of every
/// key's merge (what counts as having it, e.g. a blank title, is the caller's filter).
pub(super) fn replace<T>(central: &mut T, overlay: Option<T>) {
    if let Some(value) = overlay {
        *central = value;
    }
}

/// An item of any kind.
#[derive(Clone)]
pub(super) enum AnyItem {
    Touchpoint(TouchPoint),
    Message(Message),
    BestPractice(BestPractice),
    Rollout(Rollout),
}

/// The draft of a division's overlay, of any kind.
#[derive(Clone)]
pub(super) enum AnyDraft {
    Touchpoint(<TouchPoint as ContentType>::Draft),
    Message(<Message as ContentType>::Draft),
    BestPractice(<BestPractice as ContentType>::Draft),
    Rollout(<Rollout as ContentType>::Draft),
}

impl AnyItem {
    pub(super) fn entry(&self) -> &dyn Entry {
        match self {
            AnyItem::Touchpoint(x) => x,
            AnyItem::Message(x) => x,
            AnyItem::BestPractice(x) => x,
            AnyItem::Rollout(x) => x,
        }
    }

    /// Adds the item to its list in `edition`.
    pub(super) fn add_to(self, edition: &mut Playbook) {
        fn add<T: ContentType>(edition: &mut Playbook, item: T) {
            T::list_mut(edition).push(item);
        }
        match self {
            AnyItem::Touchpoint(x) => add(edition, x),
            AnyItem::Message(x) => add(edition, x),
            AnyItem::BestPractice(x) => add(edition, x),
            AnyItem::Rollout(x) => add(edition, x),
        }
    }
}

impl AnyDraft {
    /// Lays the overlay (its keys, and its `body` written in `source`) over the edition's copy
    /// of the central item `id`.
    pub(super) fn lay_over(
        self,
        edition: &mut Playbook,
        id: &str,
        body: &Body,
        source: &Arc<SourceText>,
        layer: &mut Layer<'_>,
    ) {
        match self {
            AnyDraft::Touchpoint(d) => lay_over::<TouchPoint>(edition, id, d, body, source, layer),
            AnyDraft::Message(d) => lay_over::<Message>(edition, id, d, body, source, layer),
            AnyDraft::BestPractice(d) => lay_over::<BestPractice>(edition, id, d, body, source, layer),
            AnyDraft::Rollout(d) => lay_over::<Rollout>(edition, id, d, body, source, layer),
        }
    }
}

fn lay_over<T: ContentType>(
    edition: &mut Playbook,
    id: &str,
    draft: T::Draft,
    body: &Body,
    source: &Arc<SourceText>,
    layer: &mut Layer<'_>,
) {
    let Some(position) = edition.position(T::KIND, id) else {
        return;
    };
    let target = &mut T::list_mut(edition)[position];
    target.apply(draft, layer);
    let item = target.item_mut();
    item.body = super::edition::merge_body(&item.body, body);
    item.source = Arc::clone(source);
}

/// The item of `kind` with `id` in `edition`.
pub(super) fn entry<'p>(edition: &'p Playbook, kind: Kind, id: &str) -> Option<&'p dyn Entry> {
    fn find<'p, T: ContentType>(edition: &'p Playbook, id: &str) -> Option<&'p dyn Entry> {
        edition.position(T::KIND, id).map(|i| &T::list(edition)[i] as &dyn Entry)
    }
    match kind {
        Kind::Touchpoint => find::<TouchPoint>(edition, id),
        Kind::Message => find::<Message>(edition, id),
        Kind::BestPractice => find::<BestPractice>(edition, id),
        Kind::Rollout => find::<Rollout>(edition, id),
        Kind::Checkin => None,
    }
}

/// Removes the item of `kind` with `id` from `edition` (hidden by a division).
pub(super) fn remove(edition: &mut Playbook, kind: Kind, id: &str) {
    fn remove<T: ContentType>(edition: &mut Playbook, id: &str) {
        T::list_mut(edition).retain(|x| x.item().id != id);
    }
    match kind {
        Kind::Touchpoint => remove::<TouchPoint>(edition, id),
        Kind::Message => remove::<Message>(edition, id),
        Kind::BestPractice => remove::<BestPractice>(edition, id),
        Kind::Rollout => remove::<Rollout>(edition, id),
        Kind::Checkin => {}
    }
}

/// How a file of `kind` is read (check-ins, which have no page, are read apart).
pub(super) fn reader(kind: Kind) -> Option<super::parse::ReadItem> {
    match kind {
        Kind::Touchpoint => Some(super::parse::read_item::<TouchPoint>),
        Kind::Message => Some(super::parse::read_item::<Message>),
        Kind::BestPractice => Some(super::parse::read_item::<BestPractice>),
        Kind::Rollout => Some(super::parse::read_item::<Rollout>),
        Kind::Checkin => None,
    }
}
