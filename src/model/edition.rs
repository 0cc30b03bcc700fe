//! Editions: the central one, and one per division with its overlays laid over the central items.
//!
//! The SPEC's merge rules live here: an overlay's front-matter keys replace the central ones,
//! except that brand messages can be added to but never removed; its body sections replace the
//! central sections with the same id and the others stay; `hidden = true` removes the item; a
//! file without a central counterpart is division-only; best practices marked `share` go to every
//! edition. An edition never contains another division's overlays or division-only items.

use std::collections::{BTreeMap, BTreeSet};

use rayon::prelude::*;
use serde::Serialize;
use sha2::{Digest, Sha256};

use super::content::{self, AnyItem};
use super::parse::{parse_file, Mode, Overlay, ParseCache, Parsed};
use super::{followup, BestPractice, CheckUnit, Checkin, Playbook, Ref};
use crate::config::{Config, Division};
use crate::diagnostics::{one_of, Diagnostic, Diagnostics, SourceText};
use crate::kind::Kind;
use crate::markdown::{Body, Section, SectionNames};
use crate::source::ContentFile;

/// How one item stands in one division.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum LocalState {
    /// Translated from the current central text.
    Current,
    /// Translated, but the central file changed since.
    Outdated,
    /// An overlay whose text is still the central text (a `localise` stub never translated).
    Untranslated,
    /// Not translated: the central item is shown as it is.
    Missing,
    /// Removed from the division's edition.
    Hidden,
    /// Exists only in the division.
    DivisionOnly,
}

impl LocalState {
    /// Every state, in the order reports list them.
    pub const ALL: [LocalState; 6] = [
        LocalState::Current,
        LocalState::Outdated,
        LocalState::Untranslated,
        LocalState::Missing,
        LocalState::Hidden,
        LocalState::DivisionOnly,
    ];

    /// The state's name in reports, JSON and interface-string keys (`division-only`).
    pub fn as_str(self) -> &'static str {
        match self {
            LocalState::Current => "current",
            LocalState::Outdated => "outdated",
            LocalState::Untranslated => "untranslated",
            LocalState::Missing => "missing",
            LocalState::Hidden => "hidden",
            LocalState::DivisionOnly => "division-only",
        }
    }
}

/// How many items of `division` are in each state, in `LocalState::ALL` order.
pub(crate) fn totals(status: &[Localisation], division: &str) -> Vec<(LocalState, usize)> {
    LocalState::ALL
        .iter()
        .map(|state| (*state, status.iter().filter(|l| l.division == division && l.state == *state).count()))
        .collect()
}

/// The localisation state of one item in one division.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Localisation {
    pub division: String,
    pub kind: Kind,
    pub id: String,
    /// The item's title in the division (the central title when hidden or untranslated); a
    /// division-only item's own title, which the centre sees on its status page only.
    pub title: String,
    pub state: LocalState,
    /// Central sections the overlay does not translate (shown in the central language).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub untranslated: Vec<String>,
    /// The overlay or division-only file.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub file: Option<String>,
    /// Do or don't items of the central version the overlay leaves out without saying why.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub gaps: Vec<Gap>,
}

/// An overlay's expected behaviour has fewer do (or don't) items than the central version's.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Gap {
    /// `do` or `dont`.
    pub verdict: &'static str,
    /// How many the overlay has, of how many the central version has.
    pub has: usize,
    pub of: usize,
}

/// Every edition of the playbook, and the localisation status for the centre.
#[derive(Debug, Clone)]
pub struct Editions {
    pub central: Playbook,
    pub divisions: Vec<Playbook>,
    /// Per division and item, in division order then kind and id.
    pub status: Vec<Localisation>,
}

/// The short hash an overlay records in `localised-from`: line endings do not count, so a
/// checkout on Windows does not make every translation outdated.
pub(crate) fn central_hash(text: &str) -> String {
    let normalised = text.replace("\r\n", "\n");
    let digest = Sha256::digest(normalised.as_bytes());
    digest.iter().take(5).map(|b| format!("{b:02x}")).collect()
}

/// Parses every content file once (or takes it from `cache`) and assembles every edition.
pub(crate) fn load(
    config: &Config,
    today: time::Date,
    files: &[ContentFile],
    names: &BTreeMap<String, SectionNames>,
    cache: Option<&ParseCache>,
    diags: &mut Diagnostics,
) -> Editions {
    let default_names = SectionNames::default();
    let names_for = |language: &str| names.get(language).unwrap_or(&default_names);

    // Central files first: they decide which division files are overlays.
    let central_files: Vec<&ContentFile> = files.iter().filter(|f| f.division.is_none()).collect();
    let central_known: BTreeSet<(Kind, String)> = central_files.iter().map(|f| (f.kind, f.id.clone())).collect();
    let central_sources: BTreeMap<(Kind, String), &SourceText> =
        central_files.iter().map(|f| ((f.kind, f.id.clone()), &*f.source)).collect();
    let mut central = empty(config, today, None);
    central.known = central_known.clone();
    let central_names = names_for(&config.language);
    let parsed = parse_all(&central_files, |_| Mode::Full(None), config, today, central_names, cache, diags);
    central.touchpoints.reserve(central_files.iter().filter(|f| f.kind == Kind::Touchpoint).count());
    central.checks.reserve(parsed.len());
    for (parsed, unit) in parsed {
        central.checks.extend(unit);
        if let Some(Parsed::Item(item)) = parsed {
            item.add_to(&mut central);
        }
    }

    // Division files: overlays of central items, or items of their own.
    for file in
        files.iter().filter(|f| f.division.as_ref().is_some_and(|d| !config.divisions.iter().any(|c| &c.id == d)))
    {
        let division = file.division.as_deref().unwrap_or_default();
        let known: Vec<&str> = config.divisions.iter().map(|d| d.id.as_str()).collect();
        let hint = if known.is_empty() {
            format!("add `[divisions.{division}]` with `name` and `language` to book.toml")
        } else {
            format!(
                "configured divisions are {}; add `[divisions.{division}]` to book.toml or move the file",
                one_of(&known)
            )
        };
        let message = format!("division `{division}` is not configured in book.toml");
        diags.push(Diagnostic::file_error(&file.source.rel_path, message).with_hint(hint));
    }
    let mut per_division: Vec<DivisionFiles> = Vec::new();
    for division in &config.divisions {
        let mut parts = DivisionFiles {
            overlays: Vec::new(),
            own: Vec::new(),
            own_known: BTreeSet::new(),
            checks: Vec::new(),
            checkins: Vec::new(),
        };
        let division_files: Vec<&ContentFile> =
            files.iter().filter(|f| f.division.as_deref() == Some(division.id.as_str())).collect();
        let is_overlay = |file: &ContentFile| central_known.contains(&(file.kind, file.id.clone()));
        for file in division_files.iter().filter(|f| !is_overlay(f) && f.kind != Kind::Checkin) {
            parts.own_known.insert((file.kind, file.id.clone()));
        }
        let mode = |file: &ContentFile| if is_overlay(file) { Mode::Overlay } else { Mode::Full(Some(&division.id)) };
        let names = names_for(&division.language);
        for (parsed, unit) in parse_all(&division_files, mode, config, today, names, cache, diags) {
            parts.checks.extend(unit);
            match parsed {
                Some(Parsed::Overlay(overlay)) => parts.overlays.push(overlay),
                Some(Parsed::Item(item)) => parts.own.push(item),
                Some(Parsed::Checkins(weeks)) => parts.checkins.extend(weeks),
                None => {}
            }
        }
        per_division.push(parts);
    }

    // Best practices a division shares go to every edition, labelled with their division.
    let shared: Vec<BestPractice> = per_division
        .iter()
        .flat_map(|p| p.own.iter())
        .filter_map(|item| match item {
            AnyItem::BestPractice(p) if p.share => Some(p.clone()),
            _ => None,
        })
        .collect();
    let shared_known: BTreeSet<(Kind, String)> =
        shared.iter().map(|p| (Kind::BestPractice, p.item.id.clone())).collect();
    central.known.extend(shared_known.iter().cloned());
    central.best_practices.extend(shared.iter().cloned());
    central.finish();

    let mut status = Vec::new();
    let mut divisions = Vec::new();
    let checkins: Vec<Vec<Checkin>> = per_division.iter_mut().map(|p| std::mem::take(&mut p.checkins)).collect();
    // Each division's edition is assembled from the central one on its own core.
    let assembled: Vec<(Playbook, Diagnostics)> = config
        .divisions
        .par_iter()
        .zip(per_division)
        .map(|(division, parts)| {
            let mut local = Diagnostics::default();
            let edition = division_edition(&central, &central_sources, &central_known, division, parts, &mut local);
            (edition, local)
        })
        .collect();
    for ((mut edition, local), (division, checkins)) in assembled.into_iter().zip(config.divisions.iter().zip(checkins))
    {
        diags.extend(local);
        status.extend(edition.localisation.iter().cloned());
        let (valid, rows) = followup::follow_up(&edition, division, checkins, diags);
        edition.checkins = valid;
        edition.follow_up = rows;
        divisions.push(edition);
    }
    let all_checkins: Vec<Checkin> = divisions.iter().flat_map(|e| e.checkins.iter().cloned()).collect();
    share_checkins(&mut central, &mut divisions);
    followup::warn_overdue(&central.follow_up, &all_checkins, &config.divisions, diags);
    Editions { central, divisions, status }
}

/// The centre follows every division's weeks; the actions a division shares go to every other
/// edition (without the obstacles behind them), and nothing else of a check-in leaves its division.
fn share_checkins(central: &mut Playbook, divisions: &mut [Playbook]) {
    let mut shared: Vec<Checkin> =
        divisions.iter().flat_map(|e| e.checkins.iter().filter(|c| c.share).map(Checkin::shared_part)).collect();
    shared.sort_by(|a, b| {
        (&a.rollout, a.number, &a.division, &a.team).cmp(&(&b.rollout, b.number, &b.division, &b.team))
    });
    central.follow_up = divisions.iter().flat_map(|e| e.follow_up.iter().cloned()).collect();
    for edition in divisions.iter_mut() {
        let own = edition.division.as_ref().map(|d| d.id.clone()).unwrap_or_default();
        edition.checkins.extend(shared.iter().filter(|c| c.division != own).cloned());
    }
    central.checkins = shared;
}

/// What a division edition reads from its own folder.
struct DivisionFiles {
    overlays: Vec<Overlay>,
    own: Vec<AnyItem>,
    own_known: BTreeSet<(Kind, String)>,
    checks: Vec<CheckUnit>,
    checkins: Vec<Checkin>,
}

/// A division's edition: the central one with the division's overlays laid over it, its own
/// items added, and how each item stands with its translation.
fn division_edition(
    central: &Playbook,
    central_sources: &BTreeMap<(Kind, String), &SourceText>,
    central_known: &BTreeSet<(Kind, String)>,
    division: &Division,
    parts: DivisionFiles,
    diags: &mut Diagnostics,
) -> Playbook {
    let mut edition = central.clone();
    edition.division = Some(division.clone());
    edition.checks = parts.checks;
    edition.known.extend(parts.own_known.iter().cloned());
    edition.rollouts.retain(|r| r.runs_in(Some(&division.id)));
    edition.best_practices.retain(|p| p.division.as_deref() != Some(division.id.as_str()));
    edition.finish();
    let mut localisation = Vec::new();
    let mut overlaid: BTreeSet<(Kind, String)> = BTreeSet::new();
    let mut hidden = Vec::new();
    let mut copied: BTreeSet<(Kind, String)> = BTreeSet::new();
    for overlay in parts.overlays {
        let key = (overlay.kind, overlay.id.clone());
        overlaid.insert(key.clone());
        // Hashed only here: most central files have no overlay, and hashing all is not free.
        let hash = central_hash(&central_sources[&key].text);
        let state = overlay_state(division, &overlay, &hash, central, diags);
        if !overlay.hidden
            && central.item(overlay.kind, &overlay.id).is_some_and(|c| is_central_text(&overlay.body, &c.body))
        {
            copied.insert(key.clone());
        }
        localisation.push(state);
        // Positions in the edition stay valid until the first removal, so hidden items go last.
        if overlay.hidden {
            hidden.push((overlay.kind, overlay.id.clone()));
        } else {
            lay_over(&mut edition, overlay, diags);
        }
    }
    for (kind, id) in hidden {
        content::remove(&mut edition, kind, &id);
    }
    for item in parts.own {
        let own = item.entry().item();
        let state = LocalState::DivisionOnly;
        localisation.push(Localisation {
            division: division.id.clone(),
            kind: own.kind,
            id: own.id.clone(),
            title: item.entry().title().to_string(),
            state,
            untranslated: Vec::new(),
            file: Some(own.source.rel_path.clone()),
            gaps: Vec::new(),
        });
        if !matches!(&item, AnyItem::Rollout(r) if !r.runs_in(Some(&division.id))) {
            item.add_to(&mut edition);
        }
    }
    edition.finish();
    // Central items the division shows as they are (rollouts that do not run there are not
    // missing: they are not meant for it).
    for (kind, id) in central_known {
        if !overlaid.contains(&(*kind, id.clone())) && edition.contains(*kind, id) {
            let state = LocalState::Missing;
            localisation.push(Localisation {
                division: division.id.clone(),
                kind: *kind,
                id: id.clone(),
                title: String::new(),
                state,
                untranslated: Vec::new(),
                file: None,
                gaps: Vec::new(),
            });
        }
    }
    for local in &mut localisation {
        let title = edition.title(local.kind, &local.id).or_else(|| central.title(local.kind, &local.id));
        local.title = title.unwrap_or(&local.id).to_string();
        // Text still the central text, under the central title: a copy nobody translated.
        let key = (local.kind, local.id.clone());
        if copied.contains(&key) && title == central.title(local.kind, &local.id) {
            local.state = LocalState::Untranslated;
        }
    }
    localisation.sort_by(|a, b| (a.kind, &a.id).cmp(&(b.kind, &b.id)));
    edition.localisation = localisation;
    edition
}

/// Parses files on all cores; diagnostics are merged afterwards (their order does not matter:
/// they are sorted for output).
fn parse_all<'a>(
    files: &[&ContentFile],
    mode: impl Fn(&ContentFile) -> Mode<'a> + Sync,
    config: &Config,
    today: time::Date,
    names: &SectionNames,
    cache: Option<&ParseCache>,
    diags: &mut Diagnostics,
) -> Vec<(Option<Parsed>, Option<CheckUnit>)> {
    let results: Vec<_> = files
        .par_iter()
        .with_max_len(crate::BALANCED_PIECES)
        .map(|file| {
            let mode = mode(file);
            let read = |local: &mut Diagnostics| parse_file(file, &mode, config, today, names, local);
            match cache {
                Some(cache) => cache.parse(file, &mode, read),
                None => {
                    let mut local = Diagnostics::default();
                    let (parsed, unit) = read(&mut local);
                    (parsed, unit, local)
                }
            }
        })
        .collect();
    results
        .into_iter()
        .map(|(parsed, unit, local)| {
            diags.extend(local);
            (parsed, unit)
        })
        .collect()
}

fn empty(config: &Config, today: time::Date, division: Option<Division>) -> Playbook {
    Playbook {
        config: config.clone(),
        today,
        division,
        touchpoints: Vec::new(),
        messages: Vec::new(),
        best_practices: Vec::new(),
        rollouts: Vec::new(),
        known: BTreeSet::new(),
        checks: Vec::new(),
        localisation: Vec::new(),
        checkins: Vec::new(),
        follow_up: Vec::new(),
        index: Default::default(),
    }
}

/// Current or outdated (with a warning saying how to fix it), or hidden; and which central
/// sections the overlay leaves untranslated.
fn overlay_state(
    division: &Division,
    overlay: &Overlay,
    central_hash: &str,
    central: &Playbook,
    diags: &mut Diagnostics,
) -> Localisation {
    let source = &overlay.source;
    let refresh = format!("touchbook localise {} {} --refresh", division.id, overlay.id);
    let state = if overlay.hidden {
        LocalState::Hidden
    } else {
        match &overlay.localised_from {
            Some(recorded) if recorded.value == central_hash => LocalState::Current,
            Some(recorded) => {
                let message = format!(
                    "the central file changed since this translation was made (it was {}, it is now {central_hash})",
                    recorded.value
                );
                let hint = format!("update the translation, then run `{refresh}`");
                diags.push(source.warning(recorded.span.clone(), message).with_hint(hint));
                LocalState::Outdated
            }
            None => {
                let message = "this overlay does not say which version of the central file it translates";
                let hint = format!("check that the translation is current, then run `{refresh}` to record it");
                diags.push(source.warning(0..3, message).with_hint(hint));
                LocalState::Outdated
            }
        }
    };
    let central_body = central.item(overlay.kind, &overlay.id).map(|item| &item.body);
    // Central sections the overlay lacks, or has with the central text unchanged.
    let untranslated = match (state, central_body) {
        (LocalState::Hidden, _) | (_, None) => Vec::new(),
        (_, Some(body)) => body
            .sections
            .iter()
            .filter(|s| !overlay.body.sections.iter().any(|o| o.id == s.id && o.events != s.events))
            .map(|s| s.id.clone())
            .collect(),
    };
    let gaps = match (state, central_body) {
        (LocalState::Hidden, _) | (_, None) => Vec::new(),
        (_, Some(body)) => behaviour_gaps(division, overlay, body, diags),
    };
    Localisation {
        division: division.id.clone(),
        kind: overlay.kind,
        id: overlay.id.clone(),
        title: String::new(),
        state,
        untranslated,
        file: Some(source.rel_path.clone()),
        gaps,
    }
}

/// Whether an overlay's text is all central text: it has some, and every part of it (the
/// introduction, each section) is word for word a part of the central version.
fn is_central_text(overlay: &Body, central: &Body) -> bool {
    let has_text = !overlay.intro.is_empty() || !overlay.sections.is_empty();
    has_text
        && (overlay.intro.is_empty() || overlay.intro == central.intro)
        && overlay.sections.iter().all(|o| central.sections.iter().any(|c| c.events == o.events))
}

/// Which central do or don't item a name under `[leaves-out]` means.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Named {
    /// The item at this place in the list.
    Item(usize),
    /// The start of several items' text, none of them whole.
    Several,
    Nothing,
}

/// The central item (of `items`, as `markdown::verdict_items` gives them) a name under
/// `[leaves-out]` means: the one whose whole text it is, in any case, else the only one whose
/// text starts with it.
pub(crate) fn leaves_out_item(name: &str, items: &[(bool, String)]) -> Named {
    let name = name.trim().to_lowercase();
    if name.is_empty() {
        return Named::Nothing;
    }
    let texts: Vec<String> = items.iter().map(|(_, text)| text.to_lowercase()).collect();
    if let Some(whole) = texts.iter().position(|text| *text == name) {
        return Named::Item(whole);
    }
    let mut starting = texts.iter().enumerate().filter(|(_, text)| text.starts_with(&name)).map(|(i, _)| i);
    match (starting.next(), starting.next()) {
        (Some(i), None) => Named::Item(i),
        (Some(_), Some(_)) => Named::Several,
        _ => Named::Nothing,
    }
}

/// Do and don't items of the central expected behaviour that the overlay's own expected
/// behaviour leaves out, unless it names them in `[leaves-out]` with the reason (each name must
/// be a central item). Each gap is also a warning at the overlay's heading.
fn behaviour_gaps(division: &Division, overlay: &Overlay, central: &Body, diags: &mut Diagnostics) -> Vec<Gap> {
    let behaviour = |body: &Body| body.sections.iter().find(|s| s.id == "behaviour").cloned();
    let (Some(own), Some(theirs)) = (behaviour(&overlay.body), behaviour(central)) else {
        return Vec::new();
    };
    let central_items = crate::markdown::verdict_items(&theirs.events);
    let own_items = crate::markdown::verdict_items(&own.events);
    let source = &overlay.source;
    let mut named = [0usize; 2];
    let mut counted = vec![false; central_items.len()];
    let listed = || central_items.iter().map(|(_, t)| t.as_str()).collect::<Vec<_>>();
    for (key, why) in &overlay.leaves_out {
        match leaves_out_item(&key.value, &central_items) {
            // Leaving an item out without saying why is not accounting for it.
            Named::Item(_) if why.value.trim().is_empty() => {
                let message = format!("`{}` in [leaves-out] does not say why it is left out", key.value);
                let hint = "write the reason after `=`: `\"Don't promise a time\" = \"we cannot promise times here\"`";
                diags.push(source.warning(why.span.clone(), message).with_hint(hint));
            }
            Named::Item(i) if !counted[i] => {
                counted[i] = true;
                named[usize::from(!central_items[i].0)] += 1;
            }
            Named::Item(_) => {}
            Named::Several => {
                let message =
                    format!("`{}` in [leaves-out] is the start of several central do and don't items", key.value);
                let hint = format!("write more of the item's text, one of {}", one_of(&listed()));
                diags.push(source.error(key.span.clone(), message).with_hint(hint));
            }
            Named::Nothing => {
                let message =
                    format!("`{}` in [leaves-out] is not a do or don't item of the central version", key.value);
                let hint = format!("name the item by its central text, one of {}", one_of(&listed()));
                diags.push(source.error(key.span.clone(), message).with_hint(hint));
            }
        }
    }
    let mut gaps = Vec::new();
    for (index, (is_do, verdict, noun)) in [(true, "do", "Do items"), (false, "dont", "Don'ts")].into_iter().enumerate()
    {
        let of = central_items.iter().filter(|(d, _)| *d == is_do).count();
        let has = own_items.iter().filter(|(d, _)| *d == is_do).count();
        if has + named[index] >= of {
            continue;
        }
        let message = format!("{}'s version has {has} of {of} {noun} of the central expected behaviour", division.name);
        let hint = "translate the missing item, or name it under [leaves-out] with the reason: `\"Don't promise a time\" = \"why it does not apply here\"`";
        diags.push(source.warning(own.heading_span.clone(), message).with_hint(hint));
        gaps.push(Gap { verdict, has, of });
    }
    gaps
}

/// Applies an overlay to the edition's copy of the central item.
fn lay_over(edition: &mut Playbook, overlay: Overlay, diags: &mut Diagnostics) {
    let Overlay { id, source, body, draft, messages_span, .. } = overlay;
    let mut layer = Layer { source: &source, messages_span, diags };
    draft.lay_over(edition, &id, &body, &source, &mut layer);
}

/// What laying one overlay over its central item needs besides the overlay's keys: where to
/// report a brand message it drops.
pub(super) struct Layer<'a> {
    source: &'a SourceText,
    messages_span: Option<std::ops::Range<usize>>,
    diags: &'a mut Diagnostics,
}

impl Layer<'_> {
    /// Lays an overlay's `messages` over the central ones (see [`keep_messages`]).
    pub(super) fn messages(&mut self, central: &mut Vec<Ref>, overlay: Option<Vec<Ref>>) {
        if let Some(overlay) = overlay {
            *central = keep_messages(central, overlay, self.source, self.messages_span.clone(), self.diags);
        }
    }
}

/// Brand messages are common to all divisions: an overlay may add some, never drop one.
fn keep_messages(
    central: &[Ref],
    overlay: Vec<Ref>,
    source: &SourceText,
    span: Option<std::ops::Range<usize>>,
    diags: &mut Diagnostics,
) -> Vec<Ref> {
    let dropped: Vec<&str> =
        central.iter().filter(|c| !overlay.iter().any(|o| o.value == c.value)).map(|c| c.value.as_str()).collect();
    if !dropped.is_empty() {
        let message = format!(
            "`messages` leaves out the central brand message{} {}",
            if dropped.len() == 1 { "" } else { "s" },
            one_of(&dropped)
        );
        let hint = "brand messages are common to every division: a division can add messages, never remove them";
        diags.push(source.error(span.unwrap_or(0..0), message).with_hint(hint));
    }
    let mut merged = central.to_vec();
    merged.extend(overlay.into_iter().filter(|o| !central.iter().any(|c| c.value == o.value)));
    merged
}

/// Sections of the overlay replace the central sections with the same id; central sections the
/// overlay lacks stay, in their place, marked as inherited (pages mark their language); sections
/// only the overlay has come after them.
pub(super) fn merge_body(central: &Body, overlay: &Body) -> Body {
    let mut sections: Vec<_> = central
        .sections
        .iter()
        .map(|c| match overlay.sections.iter().find(|o| o.id == c.id) {
            Some(translated) => translated.clone(),
            None => Section { inherited: true, ..c.clone() },
        })
        .collect();
    sections.extend(overlay.sections.iter().filter(|o| !central.sections.iter().any(|c| c.id == o.id)).cloned());
    let intro_inherited = overlay.intro.is_empty() && !central.intro.is_empty();
    Body {
        intro: if intro_inherited { central.intro.clone() } else { overlay.intro.clone() },
        intro_words: if intro_inherited { central.intro_words.clone() } else { overlay.intro_words.clone() },
        sections,
        links: central.links.iter().chain(&overlay.links).cloned().collect(),
        has_raw_html: central.has_raw_html || overlay.has_raw_html,
        intro_inherited,
    }
}

#[cfg(test)]
mod tests {
    use std::path::Path;
    use std::sync::Arc;

    use time::macros::date;

    use super::*;

    const BOOK: &str = "[book]\ntitle = \"T\"\n[journey]\nstages = [\"support\", \"renewal\"]\nchannels = [\"phone\"]\n[divisions.norge]\nname = \"Norge\"\nlanguage = \"nb\"\n";

    const TOUCHPOINT: &str = "+++\ntitle = \"Late delivery\"\nsummary = \"The parcel is late.\"\nstage = \"support\"\nfrequency = 3\ndifficulty = 2\nmessages = [\"we-own-it\"]\ntags = [\"parcel\"]\n+++\nIntro.\n\n## Situation {#situation}\n\nThe customer waits.\n\n## Behaviour {#behaviour}\n\n- Do: apologise first.\n- Do: give a date.\n- Don't: blame the carrier.\n\n## Why {#why}\n\nTrust.\n";

    const MESSAGE: &str = "+++\ntitle = \"We own it\"\npromise = \"Ours until solved.\"\n+++\nMeaning.\n";

    fn file(rel: &str, text: &str) -> ContentFile {
        let (kind, division, id) = crate::layout::classify(rel).expect("a content path");
        ContentFile {
            kind,
            id: id.to_string(),
            division: division.map(str::to_string),
            source: Arc::new(SourceText::new(rel, text)),
        }
    }

    fn names() -> SectionNames {
        let ids = crate::kind::TOUCHPOINT_SECTIONS.iter().map(|id| id.to_string()).collect();
        SectionNames { ids, week_words: vec!["week".into()], ..SectionNames::default() }
    }

    /// The editions of a playbook of these files (path, text), with what building them said.
    fn editions(files: &[(&str, &str)]) -> (Editions, Diagnostics) {
        let mut diags = Diagnostics::default();
        let config = crate::config::parse(Path::new("/p"), &SourceText::new("book.toml", BOOK), &mut diags).unwrap();
        let files: Vec<ContentFile> = files.iter().map(|(rel, text)| file(rel, text)).collect();
        let names = [("en".to_string(), names()), ("nb".to_string(), names())].into();
        let editions = load(&config, date!(2026 - 12 - 06), &files, &names, None, &mut diags);
        (editions, diags)
    }

    fn norge_overlay(text: &str) -> (Editions, Diagnostics) {
        editions(&[
            ("content/touchpoints/late.md", TOUCHPOINT),
            ("content/messages/we-own-it.md", MESSAGE),
            ("content/messages/local-promise.md", MESSAGE),
            ("content/divisions/norge/touchpoints/late.md", text),
        ])
    }

    fn state(editions: &Editions, kind: Kind, id: &str) -> LocalState {
        editions.status.iter().find(|l| l.kind == kind && l.id == id).map(|l| l.state).unwrap()
    }

    fn messages(diags: &Diagnostics) -> Vec<String> {
        diags.sorted().into_iter().map(|d| d.message).collect()
    }

    fn body(text: &str) -> Body {
        let source = SourceText::new("a.md", text);
        crate::markdown::parse(&source, 0..text.len(), &names(), &mut Diagnostics::default())
    }

    #[test]
    fn overlay_sections_replace_central_ones_by_id_and_the_rest_stay() {
        let central = body("Intro.\n\n## S {#situation}\n\nA\n\n## B {#behaviour}\n\nB\n\n## W {#why}\n\nC\n");
        let overlay = body("## Atferd {#behaviour}\n\nB2\n\n## Ekstra\n\nD\n");
        let merged = merge_body(&central, &overlay);
        let sections: Vec<(&str, &str, bool)> =
            merged.sections.iter().map(|s| (s.id.as_str(), s.title.as_str(), s.inherited)).collect();
        assert_eq!(
            sections,
            [("situation", "S", true), ("behaviour", "Atferd", false), ("why", "W", true), ("ekstra", "Ekstra", false)]
        );
        // The overlay has no introduction of its own: the central one stays, marked as such.
        assert!(merged.intro_inherited);
        assert_eq!(merged.intro, central.intro);
        let translated = merge_body(&central, &body("Innledning.\n"));
        assert!(!translated.intro_inherited);
        assert_eq!(translated.intro, body("Innledning.\n").intro);
    }

    #[test]
    fn overlay_keys_replace_central_ones_and_blank_titles_do_not() {
        let (editions, _) = norge_overlay("+++\ntitle = \"Forsinket levering\"\nstage = \"renewal\"\n+++\n");
        let tp = editions.divisions[0].touchpoint("late").unwrap();
        assert_eq!((tp.title.as_str(), tp.stage.as_str()), ("Forsinket levering", "renewal"));
        // Keys the overlay leaves out keep their central value.
        assert_eq!(
            (tp.summary.as_str(), tp.frequency, tp.tags.as_slice()),
            ("The parcel is late.", 3, &["parcel".to_string()][..])
        );
        let (editions, _) = norge_overlay("+++\ntitle = \" \"\n+++\n");
        assert_eq!(editions.divisions[0].touchpoint("late").unwrap().title, "Late delivery");
        assert_eq!(editions.central.touchpoint("late").unwrap().title, "Late delivery");
    }

    #[test]
    fn brand_messages_can_be_added_but_never_removed() {
        let (editions, diags) = norge_overlay("+++\nmessages = [\"we-own-it\", \"local-promise\"]\n+++\n");
        let ids: Vec<&str> =
            editions.divisions[0].touchpoint("late").unwrap().messages.iter().map(|m| m.value.as_str()).collect();
        assert_eq!(ids, ["we-own-it", "local-promise"]);
        assert_eq!(diags.error_count(), 0, "{:?}", messages(&diags));

        let (editions, diags) = norge_overlay("+++\nmessages = [\"local-promise\"]\n+++\n");
        let ids: Vec<&str> =
            editions.divisions[0].touchpoint("late").unwrap().messages.iter().map(|m| m.value.as_str()).collect();
        assert_eq!(ids, ["we-own-it", "local-promise"], "the central message stays");
        let errors = diags.sorted();
        let error = errors.iter().find(|d| d.message.contains("leaves out the central brand message")).unwrap();
        assert_eq!((error.line, error.message.contains("`we-own-it`")), (Some(2), true));
        assert_eq!(diags.error_count(), 1);
    }

    #[test]
    fn overlay_states_follow_the_central_hash_and_text() {
        let hash = central_hash(TOUCHPOINT);
        let translated = format!("+++\nlocalised-from = \"{hash}\"\ntitle = \"Forsinket\"\n+++\n## Situasjon {{#situation}}\n\nKunden venter.\n");
        let (editions, diags) = norge_overlay(&translated);
        assert_eq!(state(&editions, Kind::Touchpoint, "late"), LocalState::Current);
        assert!(messages(&diags).iter().all(|m| !m.contains("changed since")), "{:?}", messages(&diags));
        let local = editions.status.iter().find(|l| l.id == "late").unwrap();
        assert_eq!(local.untranslated, ["behaviour", "why"], "central sections it does not translate");
        // Central items without an overlay are shown as they are.
        assert_eq!(state(&editions, Kind::Message, "we-own-it"), LocalState::Missing);

        let (editions, diags) = norge_overlay(&translated.replace(&hash, "0000000000"));
        assert_eq!(state(&editions, Kind::Touchpoint, "late"), LocalState::Outdated);
        assert!(messages(&diags).iter().any(|m| m.contains("changed since this translation was made")));

        let (editions, diags) = norge_overlay("+++\ntitle = \"Forsinket\"\n+++\n");
        assert_eq!(state(&editions, Kind::Touchpoint, "late"), LocalState::Outdated);
        assert!(messages(&diags).iter().any(|m| m.contains("does not say which version")));

        // A stub whose text is still the central text, under the central title.
        let stub =
            format!("+++\nlocalised-from = \"{hash}\"\n+++\n## Situation {{#situation}}\n\nThe customer waits.\n");
        let (editions, _) = norge_overlay(&stub);
        assert_eq!(state(&editions, Kind::Touchpoint, "late"), LocalState::Untranslated);

        let (editions, _) = norge_overlay("+++\nhidden = true\n+++\n");
        assert_eq!(state(&editions, Kind::Touchpoint, "late"), LocalState::Hidden);
        assert!(editions.divisions[0].touchpoint("late").is_none());
        assert!(editions.central.touchpoint("late").is_some());
    }

    #[test]
    fn an_overlay_cannot_change_where_a_rollout_runs_or_share_a_central_story() {
        let rollout = "+++\ntitle = \"R\"\nstart = 2026-01-05\n+++\n";
        let story = "+++\ntitle = \"S\"\ntouchpoints = [\"late\"]\n+++\n";
        let (editions, diags) = editions(&[
            ("content/touchpoints/late.md", TOUCHPOINT),
            ("content/messages/we-own-it.md", MESSAGE),
            ("content/rollouts/r.md", rollout),
            ("content/practices/s.md", story),
            ("content/divisions/norge/rollouts/r.md", "+++\ndivisions = [\"norge\"]\n+++\n"),
            ("content/divisions/norge/practices/s.md", "+++\nshare = true\n+++\n"),
        ]);
        let messages = messages(&diags);
        assert!(messages.iter().any(|m| m == "a division cannot change which divisions a rollout runs in"));
        assert!(messages.iter().any(|m| m == "`share` is for stories that exist only in a division"));
        // The overlays with errors are not laid over: the central items stay as they are.
        assert!(editions.divisions[0].rollout("r").unwrap().divisions.is_empty());
        assert!(!editions.divisions[0].best_practice("s").unwrap().share);
    }

    #[test]
    fn a_message_overlay_translates_the_promise_and_may_move_its_campaign() {
        let central = "+++\ntitle = \"We own it\"\npromise = \"Ours until solved.\"\n[campaign]\nname = \"Spring\"\nstart = 2026-03-01\nend = 2026-03-31\n+++\n";
        let overlay = "+++\npromise = \"Vårt til det er løst.\"\ntitle = \"\"\n[campaign]\nname = \"Vår\"\nstart = 2026-04-01\nend = 2026-04-30\n+++\n";
        let (editions, diags) =
            editions(&[("content/messages/m.md", central), ("content/divisions/norge/messages/m.md", overlay)]);
        assert_eq!(diags.error_count(), 0, "{:?}", messages(&diags));
        let message = editions.divisions[0].message("m").unwrap();
        assert_eq!((message.title.as_str(), message.promise.as_str()), ("We own it", "Vårt til det er løst."));
        let campaign = message.campaign.as_ref().unwrap();
        assert_eq!((campaign.name.as_str(), campaign.start), ("Vår", date!(2026 - 04 - 01)));
        assert_eq!(editions.central.message("m").unwrap().campaign.as_ref().unwrap().name, "Spring");
    }

    #[test]
    fn division_only_items_stay_in_their_division() {
        let (editions, _) = editions(&[("content/divisions/norge/messages/lokal.md", MESSAGE)]);
        assert_eq!(state(&editions, Kind::Message, "lokal"), LocalState::DivisionOnly);
        assert!(editions.divisions[0].message("lokal").is_some());
        assert!(editions.central.message("lokal").is_none());
    }

    #[test]
    fn leaving_out_a_do_item_needs_a_reason_that_names_it() {
        let hash = central_hash(TOUCHPOINT);
        let overlay = |extra: &str| {
            format!("+++\nlocalised-from = \"{hash}\"\n{extra}+++\n## Atferd {{#behaviour}}\n\n- Do: beklag først.\n- Don't: skyld på transportøren.\n")
        };
        let gaps = |editions: &Editions| editions.status.iter().find(|l| l.id == "late").unwrap().gaps.clone();
        let (editions, diags) = norge_overlay(&overlay(""));
        assert_eq!(gaps(&editions), [Gap { verdict: "do", has: 1, of: 2 }]);
        assert!(messages(&diags).iter().any(|m| m.contains("has 1 of 2 Do items")));

        let (editions, diags) =
            norge_overlay(&overlay("[leaves-out]\n\"Give a date\" = \"we cannot promise dates\"\n"));
        assert_eq!(gaps(&editions), []);
        assert_eq!(diags.error_count(), 0, "{:?}", messages(&diags));

        let (_, diags) = norge_overlay(&overlay("[leaves-out]\n\"Call back\" = \"no\"\n"));
        assert!(messages(&diags).iter().any(|m| m.contains("`Call back` in [leaves-out] is not a do or don't item")));

        // Without a reason the item is not accounted for.
        let (editions, diags) = norge_overlay(&overlay("[leaves-out]\n\"Give a date\" = \" \"\n"));
        assert_eq!(gaps(&editions), [Gap { verdict: "do", has: 1, of: 2 }]);
        assert!(messages(&diags).iter().any(|m| m.contains("`Give a date` in [leaves-out] does not say why")));
        // Two names for one item count once; the start of two items' text is neither.
        let twice = "[leaves-out]\n\"give\" = \"a\"\n\"Give a date.\" = \"b\"\n";
        assert_eq!(gaps(&norge_overlay(&overlay(twice)).0), []);
        let (_, diags) = norge_overlay(&overlay("[leaves-out]\n\"\" = \"a\"\n\"Do\" = \"b\"\n"));
        assert!(messages(&diags).iter().any(|m| m.contains("`` in [leaves-out] is not a do or don't item")));
    }

    #[test]
    fn a_leaves_out_name_means_the_whole_text_else_the_only_item_it_starts() {
        let items =
            [(true, "Listen".to_string()), (true, "Listen actively.".to_string()), (false, "Ask twice.".to_string())];
        assert_eq!(leaves_out_item("listen", &items), Named::Item(0));
        assert_eq!(leaves_out_item("Listen act", &items), Named::Item(1));
        assert_eq!(leaves_out_item("ask", &items), Named::Item(2));
        assert_eq!(leaves_out_item("lis", &items), Named::Several);
        assert_eq!(leaves_out_item("call", &items), Named::Nothing);
        assert_eq!(leaves_out_item("  ", &items), Named::Nothing);
    }
}
