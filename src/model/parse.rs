//! One content file → one item (central or division-only) or one overlay, plus what it refers to.

use std::collections::HashMap;
use std::ops::Range;
use std::sync::{Arc, Mutex};

use super::{
    best_practice, message, review, rollout, touchpoint, BestPractice, CheckUnit, Item, Message, Rollout, TouchPoint,
};
use crate::config::Config;
use crate::diagnostics::{Diagnostics, SourceText};
use crate::fields::{parse_table, Fields, Located};
use crate::frontmatter;
use crate::markdown::{self, Body, SectionNames};
use crate::source::{ContentFile, Kind};

use super::{checkin, Checkin};

/// How a file is read.
pub(super) enum Mode<'a> {
    /// A complete item: central, or only in a division (`Some(division)`).
    Full(Option<&'a str>),
    /// A division's overlay of a central item: every key optional.
    Overlay,
}

/// A complete item of any kind.
#[derive(Clone)]
pub(super) enum AnyItem {
    Touchpoint(TouchPoint),
    Message(Message),
    BestPractice(BestPractice),
    Rollout(Rollout),
}

/// The front matter of an overlay, by kind.
#[derive(Clone)]
pub(super) enum AnyDraft {
    Touchpoint(touchpoint::Draft),
    Message(message::Draft),
    BestPractice(best_practice::Draft),
    Rollout(rollout::Draft),
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
/// The key of a touch point's overlay that names the central do/don't items it leaves out.
const LEAVES_OUT: &str = "leaves-out";

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
    if file.kind == Kind::Checkin {
        let division = file.division.as_deref().and_then(|d| config.divisions.iter().find(|c| c.id == d));
        let Some(division) = division else {
            return (None, Some(unit));
        };
        let what = "check-in front matter";
        let mut fields = Fields::new(
            &source,
            split.front_matter.start,
            table.get_ref(),
            split.opening.clone(),
            what,
            checkin::KEYS,
            diags,
        );
        let (weeks, practised) = checkin::read(&file.id, &source, division, &mut fields, today);
        unit.refs = checkin::refs(practised);
        // Weeks that are complete go on to be checked against the rollout even when another
        // week has a mistake, so that one run reports every problem (the build fails anyway).
        return (Some(Parsed::Checkins(weeks)), Some(unit));
    }
    let item =
        Item { id: file.id.clone(), kind: file.kind, source: Arc::clone(&source), body, body_start: split.body.start };
    let (what, kind_keys) = match file.kind {
        Kind::Touchpoint => ("touch point front matter", touchpoint::KEYS),
        Kind::Message => ("brand message front matter", message::KEYS),
        Kind::BestPractice => ("best practice front matter", best_practice::KEYS),
        Kind::Rollout | Kind::Checkin => ("rollout front matter", rollout::KEYS),
    };
    let forbidden_in_overlay: &[&str] = match file.kind {
        Kind::Rollout => &["divisions"],
        Kind::BestPractice => &["share"],
        _ => &[],
    };
    let mut allowed: Vec<&str> = kind_keys.to_vec();
    allowed.extend_from_slice(review::KEYS);
    if matches!(mode, Mode::Overlay) {
        allowed.retain(|k| !forbidden_in_overlay.contains(k));
        allowed.extend_from_slice(OVERLAY_KEYS);
        if file.kind == Kind::Touchpoint {
            allowed.push(LEAVES_OUT);
        }
    }
    let errors_before = diags.error_count();
    let mut fields =
        Fields::new(&source, split.front_matter.start, table.get_ref(), split.opening.clone(), what, &allowed, diags);
    if matches!(mode, Mode::Overlay) {
        let present: Vec<&str> = forbidden_in_overlay.iter().copied().filter(|k| fields.has(k)).collect();
        for key in present {
            let message = match key {
                "divisions" => "a division cannot change which divisions a rollout runs in",
                _ => "`share` is for best practices that exist only in a division",
            };
            let d = fields.source().error(fields.key_span(key), message);
            fields.diags().push(d.with_hint(format!("remove `{key}` from this overlay")));
        }
    }
    let draft = match file.kind {
        Kind::Touchpoint => AnyDraft::Touchpoint(touchpoint::read(&file.id, &mut fields, config, today)),
        Kind::Message => AnyDraft::Message(message::read(&mut fields, config, today)),
        Kind::BestPractice => AnyDraft::BestPractice(best_practice::read(&mut fields, config, today)),
        Kind::Rollout | Kind::Checkin => AnyDraft::Rollout(rollout::read(&item, &mut fields, config, today)),
    };
    unit.refs = match &draft {
        AnyDraft::Touchpoint(d) => d.refs(),
        AnyDraft::BestPractice(d) => d.refs(),
        AnyDraft::Rollout(d) => d.refs(),
        AnyDraft::Message(_) => Vec::new(),
    };
    let parsed = match mode {
        Mode::Full(division) => {
            let complete = match draft {
                AnyDraft::Touchpoint(d) => touchpoint::complete(item, d, names, &mut fields).map(AnyItem::Touchpoint),
                AnyDraft::Message(d) => message::complete(item, d, &mut fields).map(AnyItem::Message),
                AnyDraft::BestPractice(d) => {
                    best_practice::complete(item, d, &mut fields, *division).map(AnyItem::BestPractice)
                }
                AnyDraft::Rollout(d) => rollout::complete(item, d, &mut fields).map(AnyItem::Rollout),
            };
            complete.map(Parsed::Item)
        }
        Mode::Overlay => {
            let localised_from = fields.string("localised-from");
            let hidden = fields.bool("hidden").unwrap_or(false);
            let messages_span = fields.has("messages").then(|| fields.key_span("messages"));
            let leaves_out = fields.string_map(LEAVES_OUT);
            Some(Parsed::Overlay(Overlay {
                kind: file.kind,
                id: file.id.clone(),
                source: Arc::clone(&source),
                body: item.body,
                draft,
                localised_from,
                hidden,
                messages_span,
                leaves_out,
            }))
        }
    };
    if diags.error_count() > errors_before {
        return (None, Some(unit));
    }
    (parsed, Some(unit))
}
