//! One content file → one item (central or division-only) or one overlay, plus what it refers to.

use std::collections::HashMap;
use std::ops::Range;
use std::sync::{Arc, Mutex};

use toml::de::DeTable;

use super::content::{self, AnyDraft, AnyItem, ContentType, Reading};
use super::{checkin, review, CheckUnit, Checkin, Item};
use crate::config::Config;
use crate::diagnostics::{Diagnostics, SourceText};
use crate::fields::{parse_table, Fields, Located};
use crate::frontmatter;
use crate::kind::Kind;
use crate::markdown::{self, Body, SectionNames};
use crate::source::ContentFile;

/// How a file is read.
pub(super) enum Mode<'a> {
    /// A complete item: central, or only in a division (`Some(division)`).
    Full(Option<&'a str>),
    /// A division's overlay of a central item: every key optional.
    Overlay,
}

/// A division's version of a central item, before it is laid over it.
#[derive(Clone)]
pub(super) struct Overlay {
    pub kind: Kind,
    pub id: String,
    pub source: Arc<SourceText>,
    pub body: Body,
    pub draft: AnyDraft,
    pub localised_from: Option<Located<String>>,
    pub hidden: bool,
    /// Where `messages` is written, to point at a removal attempt.
    pub messages_span: Option<Range<usize>>,
    /// `[leaves-out]`: central do/don't items the overlay leaves out on purpose, each with why.
    pub leaves_out: Vec<(Located<String>, Located<String>)>,
}

#[derive(Clone)]
pub(super) enum Parsed {
    Item(AnyItem),
    Overlay(Overlay),
    /// The weeks of a division's check-in file.
    Checkins(Vec<Checkin>),
}

/// What reading one file gave: the item or overlay, the check unit, and the problems found.
pub(super) type FileResult = (Option<Parsed>, Option<CheckUnit>, Diagnostics);

/// Results of an earlier run, reused for files whose text and reading mode did not change.
///
/// `serve` keeps one for as long as `book.toml`, the theme's strings and the date stay the same
/// (they decide how a file reads); a new one is made when any of them changes.
#[derive(Default)]
pub struct ParseCache {
    entries: Mutex<HashMap<String, CachedFile>>,
}

struct CachedFile {
    text: String,
    mode: ModeKey,
    result: FileResult,
}

/// [`Mode`] without borrows, to compare with the mode of the next run.
#[derive(PartialEq, Eq)]
enum ModeKey {
    Full(Option<String>),
    Overlay,
}

impl ModeKey {
    fn of(mode: &Mode<'_>) -> ModeKey {
        match mode {
            Mode::Full(division) => ModeKey::Full(division.map(str::to_string)),
            Mode::Overlay => ModeKey::Overlay,
        }
    }
}

impl ParseCache {
    /// Reads a file, or gives back what reading the same text the same way gave last time.
    pub(super) fn parse(
        &self,
        file: &ContentFile,
        mode: &Mode<'_>,
        read: impl FnOnce(&mut Diagnostics) -> (Option<Parsed>, Option<CheckUnit>),
    ) -> FileResult {
        let key = ModeKey::of(mode);
        {
            let entries = self.entries.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
            if let Some(cached) = entries.get(&file.source.rel_path) {
                if cached.mode == key && cached.text == file.source.text {
                    return cached.result.clone();
                }
            }
        }
        let mut diags = Diagnostics::default();
        let (parsed, unit) = read(&mut diags);
        let result = (parsed, unit, diags);
        let cached = CachedFile { text: file.source.text.clone(), mode: key, result: result.clone() };
        self.entries
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .insert(file.source.rel_path.clone(), cached);
        result
    }
}

/// Keys only overlays have.
const OVERLAY_KEYS: &[&str] = &["localised-from", "hidden"];
/// The key of an overlay that names the central do/don't items it leaves out.
pub(super) const LEAVES_OUT: &str = "leaves-out";

/// Reads one file. The check unit comes back even when the file has errors, so that its links
/// are still checked; the item or overlay only when the file is valid.
pub(super) fn parse_file(
    file: &ContentFile,
    mode: &Mode<'_>,
    config: &Config,
    today: time::Date,
    names: &SectionNames,
    diags: &mut Diagnostics,
) -> (Option<Parsed>, Option<CheckUnit>) {
    let source = Arc::clone(&file.source);
    let Some(split) = frontmatter::split(&source, diags) else {
        return (None, None);
    };
    let body = markdown::parse(&source, split.body.clone(), names, diags);
    let mut unit = CheckUnit { source: Arc::clone(&source), refs: Vec::new(), links: body.links.clone() };
    let front_matter = &source.text[split.front_matter.clone()];
    let Some(table) = parse_table(&source, front_matter, split.front_matter.start, diags) else {
        return (None, Some(unit));
    };
    let Some(read) = content::reader(file.kind) else {
        let parsed = read_checkins(file, &split, table.get_ref(), config, today, &mut unit, diags);
        return (parsed, Some(unit));
    };
    let item =
        Item { id: file.id.clone(), kind: file.kind, source: Arc::clone(&source), body, body_start: split.body.start };
    let division = match mode {
        Mode::Full(division) => *division,
        Mode::Overlay => None,
    };
    let reading = Reading { config, today, names, division };
    let errors_before = diags.error_count();
    let parsed = read(item, mode, &split, table.get_ref(), &reading, &mut unit, diags);
    if diags.error_count() > errors_before {
        return (None, Some(unit));
    }
    (parsed, Some(unit))
}

/// How a file of one content type is read: [`read_item`] for that type.
pub(super) type ReadItem = fn(
    Item,
    &Mode<'_>,
    &frontmatter::Split,
    &DeTable<'_>,
    &Reading<'_>,
    &mut CheckUnit,
    &mut Diagnostics,
) -> Option<Parsed>;

/// Reads the front matter of an item of type `T` into a complete item or an overlay, and
/// records what it refers to in `unit`.
pub(super) fn read_item<T: ContentType>(
    item: Item,
    mode: &Mode<'_>,
    split: &frontmatter::Split,
    table: &DeTable<'_>,
    reading: &Reading<'_>,
    unit: &mut CheckUnit,
    diags: &mut Diagnostics,
) -> Option<Parsed> {
    let source = Arc::clone(&item.source);
    let what = format!("{} front matter", T::KIND.noun());
    let mut allowed: Vec<&str> = T::KEYS.to_vec();
    allowed.extend_from_slice(review::KEYS);
    let overlay = matches!(mode, Mode::Overlay);
    if overlay {
        allowed.retain(|k| !T::CENTRAL_ONLY.iter().any(|(key, _)| key == k));
        allowed.extend_from_slice(OVERLAY_KEYS);
        allowed.extend_from_slice(T::OVERLAY_ONLY);
    }
    let base = split.front_matter.start;
    let mut fields = Fields::new(&source, base, table, split.opening.clone(), &what, &allowed, diags);
    if overlay {
        let present: Vec<&(&str, &str)> = T::CENTRAL_ONLY.iter().filter(|(key, _)| fields.has(key)).collect();
        for (key, why) in present {
            let d = fields.source().error(fields.key_span(key), *why);
            fields.diags().push(d.with_hint(format!("remove `{key}` from this overlay")));
        }
    }
    let draft = T::read(&item, &mut fields, reading);
    unit.refs = T::refs(&draft);
    if !overlay {
        return T::complete(item, draft, reading, &mut fields).map(|x| Parsed::Item(x.wrap()));
    }
    let localised_from = fields.string("localised-from");
    let hidden = fields.bool("hidden").unwrap_or(false);
    let messages_span = fields.has("messages").then(|| fields.key_span("messages"));
    let leaves_out = fields.string_map(LEAVES_OUT);
    Some(Parsed::Overlay(Overlay {
        kind: T::KIND,
        id: item.id,
        source: Arc::clone(&source),
        body: item.body,
        draft: T::wrap_draft(draft),
        localised_from,
        hidden,
        messages_span,
        leaves_out,
    }))
}

/// Reads the `[[week]]` tables of a division's check-in file (a check-in in no configured
/// division is reported by the edition).
fn read_checkins(
    file: &ContentFile,
    split: &frontmatter::Split,
    table: &DeTable<'_>,
    config: &Config,
    today: time::Date,
    unit: &mut CheckUnit,
    diags: &mut Diagnostics,
) -> Option<Parsed> {
    let division = file.division.as_deref().and_then(|d| config.divisions.iter().find(|c| c.id == d))?;
    let what = "check-in front matter";
    let base = split.front_matter.start;
    let mut fields = Fields::new(&file.source, base, table, split.opening.clone(), what, checkin::KEYS, diags);
    let (weeks, practised) = checkin::read(&file.id, &file.source, division, &mut fields, today);
    unit.refs = checkin::refs(practised);
    // Weeks that are complete go on to be checked against the rollout even when another
    // week has a mistake, so that one run reports every problem (the build fails anyway).
    Some(Parsed::Checkins(weeks))
}
