//! Touch points: the situations customers meet us in.

use time::Date;

use super::content::{replace, AnyDraft, AnyItem, ContentType, Entry, Reading};
use super::edition::Layer;
use super::review::{self, Review};
use super::{id_list, Item, Playbook, Ref};
use crate::config::Config;
use crate::diagnostics::{did_you_mean, one_of};
use crate::fields::Fields;
use crate::kind::Kind;
use crate::markdown::SectionNames;

const KEYS: &[&str] = &[
    "title",
    "summary",
    "stage",
    "channels",
    "frequency",
    "difficulty",
    "messages",
    "related",
    "tags",
    "also-known-as",
    "internal",
    "categories",
];

/// Sections every touch point must have.
pub(super) const REQUIRED_SECTIONS: &[&str] = &["situation", "behaviour"];

#[derive(Debug, Clone)]
pub struct TouchPoint {
    pub item: Item,
    pub title: String,
    pub summary: String,
    pub stage: String,
    pub channels: Vec<String>,
    /// 1 (rare) … 5 (many times a day).
    pub frequency: u8,
    /// 1 (routine) … 5 (hardest).
    pub difficulty: u8,
    pub messages: Vec<Ref>,
    pub related: Vec<Ref>,
    pub tags: Vec<String>,
    /// Other words staff use for this situation: searched, not shown.
    pub also_known_as: Vec<String>,
    pub internal: bool,
    pub review: Review,
    /// The help desk's category names for this situation: rows of the data files that name
    /// one of them count for it.
    pub categories: Vec<String>,
}

/// The front matter as written: every key optional, every present value checked. A central
/// file must complete it; a division overlay lays it over the central touch point.
#[derive(Debug, Clone, Default)]
pub(super) struct Draft {
    title: Option<String>,
    summary: Option<String>,
    stage: Option<String>,
    channels: Option<Vec<String>>,
    frequency: Option<u8>,
    difficulty: Option<u8>,
    messages: Option<Vec<Ref>>,
    related: Option<Vec<Ref>>,
    tags: Option<Vec<String>>,
    also_known_as: Option<Vec<String>>,
    internal: Option<bool>,
    review: review::Draft,
    categories: Option<Vec<String>>,
}

impl Entry for TouchPoint {
    fn item(&self) -> &Item {
        &self.item
    }

    fn title(&self) -> &str {
        &self.title
    }

    fn review(&self) -> &Review {
        &self.review
    }
}

impl ContentType for TouchPoint {
    const KIND: Kind = Kind::Touchpoint;
    const KEYS: &'static [&'static str] = KEYS;
    const OVERLAY_ONLY: &'static [&'static str] = &[super::parse::LEAVES_OUT];
    type Draft = Draft;

    fn read(item: &Item, fields: &mut Fields<'_, '_>, reading: &Reading<'_>) -> Draft {
        read(&item.id, fields, reading.config, reading.today)
    }

    fn refs(draft: &Draft) -> Vec<(&'static str, Kind, Vec<Ref>)> {
        let mut refs = Vec::new();
        if let Some(messages) = &draft.messages {
            refs.push(("messages", Kind::Message, messages.clone()));
        }
        if let Some(related) = &draft.related {
            refs.push(("related", Kind::Touchpoint, related.clone()));
        }
        refs
    }

    fn complete(item: Item, draft: Draft, reading: &Reading<'_>, fields: &mut Fields<'_, '_>) -> Option<Self> {
        complete(item, draft, reading.names, fields)
    }

    /// Brand messages can be added to, never removed (`layer`); every other key replaces.
    fn apply(&mut self, draft: Draft, layer: &mut Layer<'_>) {
        let Draft {
            title,
            summary,
            stage,
            channels,
            frequency,
            difficulty,
            messages,
            related,
            tags,
            also_known_as,
            internal,
            review,
            categories,
        } = draft;
        layer.messages(&mut self.messages, messages);
        replace(&mut self.title, title.filter(|t| !t.trim().is_empty()));
        replace(&mut self.summary, summary.filter(|t| !t.trim().is_empty()));
        replace(&mut self.stage, stage);
        replace(&mut self.channels, channels);
        replace(&mut self.frequency, frequency);
        replace(&mut self.difficulty, difficulty);
        replace(&mut self.related, related);
        replace(&mut self.tags, tags);
        replace(&mut self.also_known_as, also_known_as);
        replace(&mut self.internal, internal);
        replace(&mut self.categories, categories);
        review.apply(&mut self.review);
    }

    fn item_mut(&mut self) -> &mut Item {
        &mut self.item
    }

    fn wrap(self) -> AnyItem {
        AnyItem::Touchpoint(self)
    }

    fn wrap_draft(draft: Draft) -> AnyDraft {
        AnyDraft::Touchpoint(draft)
    }

    fn list(playbook: &Playbook) -> &[Self] {
        &playbook.touchpoints
    }

    fn list_mut(playbook: &mut Playbook) -> &mut Vec<Self> {
        &mut playbook.touchpoints
    }
}

fn read(id: &str, fields: &mut Fields<'_, '_>, config: &Config, today: Date) -> Draft {
    let stage = fields.string("stage").filter(|stage| {
        let known = config.stages.contains(&stage.value);
        if !known {
            let hint = did_you_mean(&stage.value, config.stages.iter().map(String::as_str))
                .unwrap_or_else(|| format!("the stages in book.toml are {}", one_of(&config.stages)));
            let d =
                fields.source().error(stage.span.clone(), format!("`{}` is not a stage of the journey", stage.value));
            fields.diags().push(d.with_hint(hint));
        }
        known
    });
    let channels = fields.string_list("channels").map(|list| {
        let mut channels = Vec::new();
        for channel in list {
            if config.channels.contains(&channel.value) {
                channels.push(channel.value);
            } else {
                let hint = did_you_mean(&channel.value, config.channels.iter().map(String::as_str))
                    .unwrap_or_else(|| format!("the channels in book.toml are {}", one_of(&config.channels)));
                let d =
                    fields.source().error(channel.span, format!("`{}` is not a channel of the journey", channel.value));
                fields.diags().push(d.with_hint(hint));
            }
        }
        channels
    });
    let related = fields.has("related").then(|| id_list(fields, "related")).map(|related| {
        for r in related.iter().filter(|r| r.value == id) {
            let d = fields.source().warning(r.span.clone(), "a touch point cannot be related to itself");
            fields.diags().push(d.with_hint("remove it from `related`"));
        }
        related.into_iter().filter(|r| r.value != id).collect()
    });
    Draft {
        title: fields.string("title").map(|t| t.value),
        summary: fields.string("summary").map(|s| s.value),
        stage: stage.map(|s| s.value),
        channels,
        frequency: scale(fields, "frequency", "how often it happens: 1 = rare … 5 = many times a day"),
        difficulty: scale(fields, "difficulty", "how hard it is to handle well: 1 = routine … 5 = hardest"),
        messages: fields.has("messages").then(|| id_list(fields, "messages")),
        related,
        tags: fields.string_list("tags").map(|tags| tags.into_iter().map(|t| t.value).collect()),
        also_known_as: also_known_as(fields),
        internal: fields.bool("internal"),
        review: review::read(fields, Kind::Touchpoint, config, today),
        categories: categories(fields),
    }
}

/// A central (or division-only) touch point: required keys and sections must be there.
fn complete(item: Item, draft: Draft, names: &SectionNames, fields: &mut Fields<'_, '_>) -> Option<TouchPoint> {
    for (key, example) in [
        ("title", "\"Customer calls about a late delivery\""),
        ("summary", "\"One sentence that says what the situation is.\""),
        ("stage", "\"support\""),
        ("frequency", "3"),
        ("difficulty", "3"),
    ] {
        if !fields.has(key) {
            fields.missing(key, example);
        }
    }
    for (key, value) in [("title", &draft.title), ("summary", &draft.summary)] {
        if value.as_ref().is_some_and(|v| v.trim().is_empty()) {
            let d = fields.source().error(fields.key_span(key), format!("`{key}` must not be empty"));
            fields.diags().push(d.with_hint(format!("write the {key} between the quotes")));
        }
    }
    for required in REQUIRED_SECTIONS {
        if !item.body.sections.iter().any(|s| s.id == *required) {
            let at = item.body_start..item.body_start;
            let d = fields.source().error(at, format!("missing the `{required}` section"));
            // The heading that file's language recognises: `## Forventet atferd` in Norwegian.
            let english = if *required == "situation" { "Situation" } else { "Expected behaviour" };
            let label = names.headings.get(*required).map_or(english, String::as_str);
            fields
                .diags()
                .push(d.with_hint(format!("add a heading `## {label}` (or `## ... {{#{required}}}`) and its text")));
        }
    }
    Some(TouchPoint {
        title: draft.title.filter(|t| !t.trim().is_empty())?,
        summary: draft.summary.filter(|s| !s.trim().is_empty())?,
        stage: draft.stage?,
        channels: draft.channels.unwrap_or_default(),
        frequency: draft.frequency?,
        difficulty: draft.difficulty?,
        messages: draft.messages.unwrap_or_default(),
        related: draft.related.unwrap_or_default(),
        tags: draft.tags.unwrap_or_default(),
        also_known_as: draft.also_known_as.unwrap_or_default(),
        internal: draft.internal.unwrap_or(false),
        review: draft.review.complete(),
        categories: draft.categories.unwrap_or_default(),
        item,
    })
}

/// `also-known-as`: other names of the situation, each a word or a few; a blank one is
/// reported, since it would find nothing.
fn also_known_as(fields: &mut Fields<'_, '_>) -> Option<Vec<String>> {
    let list = fields.string_list("also-known-as")?;
    let mut names = Vec::with_capacity(list.len());
    for name in list {
        if name.value.trim().is_empty() {
            let d = fields.source().error(name.span, "a name in `also-known-as` is empty");
            fields.diags().push(d.with_hint("write the words staff use for this situation, or remove the empty one"));
        } else {
            names.push(name.value.trim().to_string());
        }
    }
    Some(names)
}

/// `categories = ["Password reset"]`: names as the help desk's exports write them, each once.
fn categories(fields: &mut Fields<'_, '_>) -> Option<Vec<String>> {
    let list = fields.string_list("categories")?;
    let mut out: Vec<String> = Vec::new();
    for category in list {
        let name = category.value.trim();
        if name.is_empty() {
            let d = fields.source().error(category.span, "a category in `categories` is empty");
            fields.diags().push(d.with_hint("write the category as the help desk's export names it"));
        } else if out.iter().any(|c| c.to_lowercase() == name.to_lowercase()) {
            let d = fields.source().warning(category.span, format!("`{name}` is listed twice in `categories`"));
            fields.diags().push(d.with_hint("remove the second one"));
        } else {
            out.push(name.to_string());
        }
    }
    Some(out)
}

fn scale(fields: &mut Fields<'_, '_>, key: &str, meaning: &str) -> Option<u8> {
    fields.integer(key, 1..=5, meaning).and_then(|v| u8::try_from(v.value).ok())
}
