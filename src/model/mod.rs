//! The playbook model: touch points, brand messages, stories and rollouts as plain values.
//!
//! Each content file is split into front matter and body, its front matter read key by key (every
//! problem reported), and its body parsed into sections. Cross-references are only *recorded*
//! here; the `links` stage checks that they point somewhere.

mod message;
mod practice;
mod rollout;
mod touchpoint;

use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;

pub use message::{Campaign, Message};
pub use practice::Practice;
pub use rollout::{Rollout, Week};
pub use touchpoint::TouchPoint;

/// The known section ids of a touch point, in page order.
pub fn touchpoint_sections() -> &'static [&'static str] {
    touchpoint::SECTIONS
}

use crate::config::Config;
use crate::diagnostics::{Diagnostic, Diagnostics, SourceText};
use crate::fields::{parse_table, Fields, Located};
use crate::frontmatter;
use crate::markdown::{self, Body, SectionNames};
use crate::source::{ContentFile, Kind};

/// A reference by id to another item, with where it was written.
pub type Ref = Located<String>;

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

/// All items of one edition, in a stable order (journey order for touch points).
#[derive(Debug, Clone)]
pub struct Playbook {
    pub config: Config,
    /// The day the build is for: review dates and the 12-month plan are relative to it.
    pub today: time::Date,
    pub touchpoints: Vec<TouchPoint>,
    pub messages: Vec<Message>,
    pub practices: Vec<Practice>,
    pub rollouts: Vec<Rollout>,
    /// Every item that has a file, valid or not. References are checked against this, so that
    /// one item with a mistake does not make every link to it an error too.
    pub known: BTreeSet<(Kind, String)>,
    /// Items whose front matter has errors: not rendered, but their links are still checked.
    pub invalid: Vec<Item>,
}

impl Playbook {
    pub fn touchpoint(&self, id: &str) -> Option<&TouchPoint> {
        self.touchpoints.iter().find(|t| t.item.id == id)
    }

    pub fn message(&self, id: &str) -> Option<&Message> {
        self.messages.iter().find(|m| m.item.id == id)
    }

    /// Whether an item of `kind` with `id` exists.
    pub fn contains(&self, kind: Kind, id: &str) -> bool {
        match kind {
            Kind::Touchpoint => self.touchpoints.iter().any(|x| x.item.id == id),
            Kind::Message => self.messages.iter().any(|x| x.item.id == id),
            Kind::Practice => self.practices.iter().any(|x| x.item.id == id),
            Kind::Rollout => self.rollouts.iter().any(|x| x.item.id == id),
        }
    }

    /// Every item, for checks that apply to all kinds.
    pub fn items(&self) -> impl Iterator<Item = &Item> {
        self.touchpoints
            .iter()
            .map(|x| &x.item)
            .chain(self.messages.iter().map(|x| &x.item))
            .chain(self.practices.iter().map(|x| &x.item))
            .chain(self.rollouts.iter().map(|x| &x.item))
    }

    /// Position of a stage in the journey, for sorting.
    pub fn stage_index(&self, stage: &str) -> usize {
        self.config
            .stages
            .iter()
            .position(|s| s == stage)
            .unwrap_or(usize::MAX)
    }
}

/// Builds the central edition's model from the content files.
pub fn load(
    config: Config,
    today: time::Date,
    files: &[ContentFile],
    names: &SectionNames,
    diags: &mut Diagnostics,
) -> Playbook {
    let mut playbook = Playbook {
        config,
        today,
        touchpoints: Vec::new(),
        messages: Vec::new(),
        practices: Vec::new(),
        rollouts: Vec::new(),
        known: BTreeSet::new(),
        invalid: Vec::new(),
    };
    let mut seen: BTreeMap<(Kind, String), String> = BTreeMap::new();
    for file in files {
        if let Some(division) = &file.division {
            if !playbook.config.divisions.iter().any(|d| &d.id == division) {
                let known: Vec<&str> = playbook
                    .config
                    .divisions
                    .iter()
                    .map(|d| d.id.as_str())
                    .collect();
                let hint = match known.is_empty() {
                    true => format!("add `[divisions.{division}]` with `name` and `language` to book.toml"),
                    false => format!(
                        "configured divisions are {}; add `[divisions.{division}]` to book.toml or move the file",
                        crate::diagnostics::one_of(&known)
                    ),
                };
                diags.push(
                    Diagnostic::file_error(
                        &file.source.rel_path,
                        format!("division `{division}` is not configured in book.toml"),
                    )
                    .with_hint(hint),
                );
            }
            // Division overlays and division-only items belong to division editions.
            continue;
        }
        if let Some(first) = seen.insert((file.kind, file.id.clone()), file.source.rel_path.clone())
        {
            let message = format!("two {}s have the id `{}`", file.kind.noun(), file.id);
            diags.push(
                Diagnostic::file_error(&file.source.rel_path, message)
                    .with_hint(format!("the other is {first}; rename one of them")),
            );
            continue;
        }
        playbook.known.insert((file.kind, file.id.clone()));
        load_file(&mut playbook, file, names, diags);
    }
    let stage_order = |stage: &str| {
        playbook
            .config
            .stages
            .iter()
            .position(|s| s == stage)
            .unwrap_or(usize::MAX)
    };
    playbook.touchpoints.sort_by(|a, b| {
        (stage_order(&a.stage), &a.item.id).cmp(&(stage_order(&b.stage), &b.item.id))
    });
    playbook.messages.sort_by(|a, b| a.item.id.cmp(&b.item.id));
    playbook
        .practices
        .sort_by(|a, b| (b.date, &a.item.id).cmp(&(a.date, &b.item.id)));
    playbook
        .rollouts
        .sort_by(|a, b| (b.start, &a.item.id).cmp(&(a.start, &b.item.id)));
    playbook
}

fn load_file(
    playbook: &mut Playbook,
    file: &ContentFile,
    names: &SectionNames,
    diags: &mut Diagnostics,
) {
    let source = &file.source;
    let Some(split) = frontmatter::split(source, diags) else {
        return;
    };
    let front_matter = &source.text[split.front_matter.clone()];
    let Some(table) = parse_table(source, front_matter, split.front_matter.start, diags) else {
        return;
    };
    let body = markdown::parse(source, split.body.clone(), names, diags);
    let item = Item {
        id: file.id.clone(),
        kind: file.kind,
        source: Arc::new(source.clone()),
        body,
        body_start: split.body.start,
    };
    let fallback = item.clone();
    let what = match file.kind {
        Kind::Touchpoint => "touch point front matter",
        Kind::Message => "brand message front matter",
        Kind::Practice => "story front matter",
        Kind::Rollout => "rollout front matter",
    };
    let allowed = match file.kind {
        Kind::Touchpoint => touchpoint::KEYS,
        Kind::Message => message::KEYS,
        Kind::Practice => practice::KEYS,
        Kind::Rollout => rollout::KEYS,
    };
    let errors_before = diags.error_count();
    let mut fields = Fields::new(
        source,
        split.front_matter.start,
        table.get_ref(),
        split.opening,
        what,
        allowed,
        diags,
    );
    match file.kind {
        Kind::Touchpoint => {
            if let Some(tp) = touchpoint::read(item, &mut fields, &playbook.config, playbook.today)
            {
                playbook.touchpoints.push(tp);
            }
        }
        Kind::Message => {
            if let Some(message) = message::read(item, &mut fields) {
                playbook.messages.push(message);
            }
        }
        Kind::Practice => {
            if let Some(practice) = practice::read(item, &mut fields) {
                playbook.practices.push(practice);
            }
        }
        Kind::Rollout => {
            if let Some(rollout) = rollout::read(item, &mut fields) {
                playbook.rollouts.push(rollout);
            }
        }
    }
    if diags.error_count() > errors_before {
        // An item with errors is not rendered (the build fails anyway), but its links are checked.
        playbook.invalid.push(fallback);
        match file.kind {
            Kind::Touchpoint => playbook.touchpoints.retain(|x| x.item.id != file.id),
            Kind::Message => playbook.messages.retain(|x| x.item.id != file.id),
            Kind::Practice => playbook.practices.retain(|x| x.item.id != file.id),
            Kind::Rollout => playbook.rollouts.retain(|x| x.item.id != file.id),
        }
    }
}

/// Reads an optional list of ids, checking each one's form.
fn id_list(fields: &mut Fields<'_, '_>, key: &str) -> Vec<Ref> {
    let list = fields.string_list(key).unwrap_or_default();
    let mut out: Vec<Ref> = Vec::new();
    for id in list {
        if !crate::fields::is_valid_id(&id.value) {
            let d = fields
                .source()
                .error(id.span.clone(), format!("`{}` is not a valid id", id.value));
            let hint = "an id is the file name without `.md`: lowercase letters, digits and `-`";
            fields.diags().push(d.with_hint(hint));
        } else if out.iter().any(|o| o.value == id.value) {
            let d = fields.source().warning(
                id.span.clone(),
                format!("`{}` is listed twice in `{key}`", id.value),
            );
            fields.diags().push(d.with_hint("remove the second one"));
        } else {
            out.push(id);
        }
    }
    out
}
