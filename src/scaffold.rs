//! `touchbook new` and `touchbook init`: files a trainer can start from.
//!
//! Stubs are complete enough to build: every required key and section is there, with text that
//! says what to write. Existing files are never overwritten unless `--force` is given.

use std::fs;
use std::path::{Path, PathBuf};

use anyhow::{bail, Context, Result};
use time::Date;

use crate::diagnostics::Diagnostic;
use crate::fields::slugify;
use crate::kind::Kind;
use crate::paths::shown;

/// Text the stubs leave for the trainer to replace; `check` warns where it is still there.
pub(crate) mod placeholder {
    /// A touch point's, brand message's or rollout's `owner`.
    pub(crate) const OWNER: &str = "Who keeps this page current";
    /// A best practice's `author`.
    pub(crate) const AUTHOR: &str = "Your name";
    /// The comment after the touch point a new best practice names: the scaffold can only guess.
    pub(crate) const BEST_PRACTICE_TOUCHPOINTS: &str =
        "# picked by `touchbook new`: name the touch points this story is about";
    /// Each week's meeting pack of a new rollout.
    pub(crate) const MEETING_PACK: &str = "Agenda, touch points to practise, questions to discuss.";
}

/// Writes a stub for a new item titled `title` and returns its path.
pub(crate) fn new_item(
    root: &Path,
    kind: Kind,
    title: &str,
    division: Option<&str>,
    force: bool,
    today: Date,
) -> Result<PathBuf> {
    if !root.join(crate::config::CONFIG_FILE).is_file() {
        let hint = "run this inside a playbook, pass --root DIR, or create one with `touchbook init`";
        bail!(Diagnostic::file_error(root.display().to_string(), "this folder has no book.toml").with_hint(hint));
    }
    if let Some(division) = division.filter(|d| !crate::fields::is_valid_id(d)) {
        let hint = "division ids are lowercase letters, digits and `-`, as in book.toml";
        bail!(Diagnostic::error(format!("`{division}` is not a division id")).with_hint(hint));
    }
    if let Some(division) = division {
        let mut diags = crate::diagnostics::Diagnostics::default();
        if let Some(config) = crate::config::load(root, &mut diags)? {
            if !config.divisions.iter().any(|d| d.id == division) {
                let known: Vec<&str> = config.divisions.iter().map(|d| d.id.as_str()).collect();
                let hint = format!(
                    "the divisions are {}; add `[divisions.{division}]` first",
                    crate::diagnostics::one_of(&known)
                );
                bail!(Diagnostic::error(format!("there is no division `{division}` in book.toml")).with_hint(hint));
            }
        }
    }
    let id = slugify(title);
    if id.is_empty() {
        let message = format!("cannot make a file name from the title {title:?}");
        bail!(Diagnostic::error(message).with_hint("use a title with some letters or digits"));
    }
    let dir = folder(root, kind, division);
    let path = dir.join(format!("{id}.md"));
    if path.exists() && !force {
        let hint = "choose another title, edit the existing file, or pass --force to replace it";
        bail!(Diagnostic::file_error(shown(root, &path), "this file already exists").with_hint(hint));
    }
    write_stub(root, kind, title, division, &path, force, today)
}

/// Like [`new_item`] for `serve`'s editor: never replaces a file, but names the new one after
/// its title with `-2`, `-3`, … added when that name is taken.
pub(crate) fn new_item_beside(
    root: &Path,
    kind: Kind,
    title: &str,
    division: Option<&str>,
    today: Date,
) -> Result<PathBuf> {
    let id = slugify(title);
    if id.is_empty() {
        bail!("cannot make a file name from the title {title:?}: use a title with some letters or digits");
    }
    let dir = folder(root, kind, division);
    let free = (1..1000)
        .map(|n| if n == 1 { id.clone() } else { format!("{id}-{n}") })
        .map(|id| dir.join(format!("{id}.md")))
        .find(|path| std::fs::symlink_metadata(path).is_err());
    let Some(path) = free else { bail!("too many files are named after {title:?}") };
    write_stub(root, kind, title, division, &path, false, today)
}

/// Where new items of a kind go: the central folder or the division's.
fn folder(root: &Path, kind: Kind, division: Option<&str>) -> PathBuf {
    root.join(crate::layout::folder(kind, division))
}

fn write_stub(
    root: &Path,
    kind: Kind,
    title: &str,
    division: Option<&str>,
    path: &Path,
    force: bool,
    today: Date,
) -> Result<PathBuf> {
    let context = StubContext::read(root, division);
    let text = stub(kind, title, today, &context);
    let written = if force && std::fs::symlink_metadata(path).is_ok() {
        crate::paths::replace_inside(root, path, &text)
    } else {
        crate::paths::write_new_inside(root, path, &text)
    };
    written.map_err(|e| e.at(shown(root, path), "write"))?;
    Ok(path.to_path_buf())
}

/// What a stub can borrow from the playbook so that it builds as written: a real stage, a
/// real channel and an existing touch point to link a best practice to.
struct StubContext {
    stage: String,
    channel: String,
    touchpoint: String,
    labels: StubLabels,
}

/// A touch point's headings and do/don't labels in the language of the edition the stub is for:
/// headings are recognised by their label in that language, so the stub builds there as written.
struct StubLabels {
    /// The headings of `situation`, `behaviour`, `phrases`, `roleplay` and `why`.
    sections: [String; 5],
    verdicts: (String, String),
}

impl StubLabels {
    fn new(root: &Path, theme: &str, language: &str) -> StubLabels {
        let mut diags = crate::diagnostics::Diagnostics::default();
        let strings = crate::theme::Theme::load(root, theme, &mut diags).translations(language, &mut diags);
        let section = |id: &str| strings.get(&format!("sections.{id}"));
        StubLabels {
            sections: ["situation", "behaviour", "phrases", "roleplay", "why"].map(section),
            verdicts: (strings.get("verdict.do"), strings.get("verdict.dont")),
        }
    }
}

impl StubContext {
    fn read(root: &Path, division: Option<&str>) -> StubContext {
        let mut diags = crate::diagnostics::Diagnostics::default();
        let config = crate::config::load(root, &mut diags).ok().flatten();
        let language = config.as_ref().map_or("en", |c| {
            c.divisions.iter().find(|d| Some(d.id.as_str()) == division).map_or(&c.language, |d| &d.language)
        });
        let labels = StubLabels::new(root, config.as_ref().map_or("default", |c| c.theme.as_str()), language);
        let pick = |list: Option<&Vec<String>>, preferred: &str| -> String {
            match list {
                Some(list) if list.iter().any(|s| s == preferred) => preferred.to_string(),
                Some(list) => list.first().cloned().unwrap_or_else(|| preferred.to_string()),
                None => preferred.to_string(),
            }
        };
        let touchpoint = fs::read_dir(root.join(crate::layout::folder(Kind::Touchpoint, None)))
            .ok()
            .and_then(|entries| {
                let mut ids: Vec<String> = entries
                    .flatten()
                    .filter_map(|e| e.file_name().to_str()?.strip_suffix(".md").map(str::to_string))
                    .collect();
                ids.sort();
                ids.into_iter().next()
            })
            .unwrap_or_else(|| "write-a-touch-point-id-here".to_string());
        StubContext {
            stage: pick(config.as_ref().map(|c| &c.stages), "support"),
            channel: pick(config.as_ref().map(|c| &c.channels), "phone"),
            touchpoint,
            labels,
        }
    }
}

fn toml_string(text: &str) -> String {
    toml::Value::String(text.to_string()).to_string()
}

/// A new item's text. It has no `reviewed`: nobody has reviewed it yet.
fn stub(kind: Kind, title: &str, today: Date, context: &StubContext) -> String {
    use placeholder::{AUTHOR, BEST_PRACTICE_TOUCHPOINTS, MEETING_PACK, OWNER};
    let title = toml_string(title);
    let StubContext { stage, channel, touchpoint, labels } = context;
    let [situation, behaviour, phrases, roleplay, why] = &labels.sections;
    let (yes, no) = &labels.verdicts;
    match kind {
        Kind::Touchpoint => format!(
            r#"+++
title = {title}
summary = "One sentence: what happens, from the customer's point of view."
stage = "{stage}"
channels = ["{channel}"]
frequency = 3     # 1 = rare … 5 = many times a day
difficulty = 3    # 1 = routine … 5 = hardest
messages = []
related = []
tags = []
categories = []   # the help desk's names for it, as in data/*.csv
owner = "{OWNER}"
+++

## {situation}

What the customer experiences and needs at this moment.

## {behaviour}

- {yes}: the first thing we always do.
- {no}: the mistake that is easy to make here.

## {phrases}

> "A sentence staff can say as it is."

## {roleplay}

A short role play for the team meeting: who plays the customer, what they say, what to watch for.

## {why}

What the customer remembers if we get this right, and what it costs if we don't.
"#
        ),
        Kind::Message => format!(
            r#"+++
title = {title}
promise = "The line customers hear, in their words."
owner = "{OWNER}"
+++

What this promise means for how we behave, and what it does not mean.
"#
        ),
        Kind::BestPractice => format!(
            r#"+++
title = {title}
touchpoints = ["{touchpoint}"]   {BEST_PRACTICE_TOUCHPOINTS}
author = "{AUTHOR}"
date = {today}
+++

What happened, what the colleague did, and what the customer said afterwards.
"#
        ),
        Kind::Rollout => {
            let weeks: String = (1..=16).map(|n| format!("## Week {n}\n\n{MEETING_PACK}\n\n")).collect();
            format!(
                r#"+++
title = {title}
start = {today}
weeks = 16
messages = []
touchpoints = []
owner = "{OWNER}"
+++

The announcement: why we do this, what changes for whom, and when.

{weeks}"#
            )
        }
        Kind::Checkin => format!("+++\n{}+++\n", checkin_week(1, today, &[])),
    }
}

/// The best practice a "Suggest a best practice" link proposes: it names its touch point already, and
/// has no date or author until the colleague writing it adds them.
pub(crate) fn suggested_best_practice(title: &str, touchpoint: &str, body: &str) -> String {
    format!("+++\ntitle = {}\ntouchpoints = [{}]\n+++\n\n{body}\n", toml_string(title), toml_string(touchpoint))
}

/// Creates a small playbook that builds as it is.
pub(crate) fn init(dir: &Path, today: Date) -> Result<()> {
    let config = dir.join(crate::config::CONFIG_FILE);
    if config.exists() {
        let message = "this file already exists: the folder is a playbook already";
        bail!(Diagnostic::file_error(config.display().to_string(), message).with_hint("choose an empty folder"));
    }
    let file = |kind, id| crate::layout::file(kind, None, id);
    let files: [(String, String); 5] = [
        (crate::config::CONFIG_FILE.to_string(), INIT_BOOK.to_string()),
        (file(Kind::Touchpoint, "customer-reports-an-outage"), INIT_TOUCHPOINT.to_string()),
        (file(Kind::Message, "we-keep-you-posted"), INIT_MESSAGE.to_string()),
        (file(Kind::BestPractice, "first-story"), INIT_BEST_PRACTICE.replace("{today}", &today.to_string())),
        (file(Kind::Rollout, "getting-started"), INIT_ROLLOUT.replace("{today}", &today.to_string())),
    ];
    for (rel, _) in &files {
        if dir.join(rel).exists() {
            let path = dir.join(rel).display().to_string();
            bail!(Diagnostic::file_error(path, "this file already exists").with_hint("choose an empty folder"));
        }
    }
    for (rel, text) in files {
        let path = dir.join(rel);
        if let Some(parent) = path.parent() {
            fs::create_dir_all(parent).with_context(|| format!("cannot create {}", parent.display()))?;
        }
        fs::write(&path, text).with_context(|| format!("cannot write {}", path.display()))?;
    }
    Ok(())
}

const INIT_BOOK: &str = r#"[book]
title = "Customer Playbook"
description = "How we handle the situations that matter most to our customers."
language = "en"

[build]
output-dir = "site"

[journey]
stages = ["first-contact", "onboarding", "delivery", "support", "renewal"]
channels = ["phone", "email", "chat", "on-site", "meeting"]

[labels]
first-contact = "First contact"
onboarding = "Onboarding"
delivery = "Delivery"
support = "Support"
renewal = "Renewal"
phone = "Phone"
email = "Email"
chat = "Chat"
on-site = "On site"
meeting = "Meeting"

[review]
interval-days = 180
"#;

const INIT_TOUCHPOINT: &str = r#"+++
title = "Customer reports an outage"
summary = "A customer calls because a service they depend on has stopped working."
stage = "support"
channels = ["phone", "chat"]
frequency = 4
difficulty = 3
messages = ["we-keep-you-posted"]
tags = ["outage", "incident"]
owner = "Service desk lead"
+++

## Situation

The customer cannot work and wants to know when it will be fixed.

## Expected behaviour

- Do: acknowledge the impact before asking for details.
- Do: say when you will call back, and call back then, even without news.
- Don't: guess at a fix time you cannot keep.

## Say it like this

> "I understand your team is stopped. I'm opening a priority case now and I'll call you back by 10:30 with what we know."

## Role play

One colleague plays a customer whose invoicing run is blocked; the other handles the call. Watch for: impact acknowledged, a concrete call-back time.

## Why it matters

Customers forgive outages; they do not forgive silence.
"#;

const INIT_ROLLOUT: &str = r#"+++
title = "Getting started with the playbook"
start = {today}
weeks = 2
messages = ["we-keep-you-posted"]
touchpoints = ["customer-reports-an-outage"]
owner = "Service desk lead"
+++

For two weeks, each team meeting spends fifteen minutes on one touch point of the playbook.

## Week 1

Read "Customer reports an outage" together. Each colleague names one call where a call-back time would have helped.

## Week 2

Role play the outage call in pairs. Agree on one sentence the whole team uses to promise a call-back.
"#;

const INIT_MESSAGE: &str = r#"+++
title = "We keep you posted"
promise = "You will never have to chase us for news."
+++

We tell customers what we know, what we do next and when they hear from us again, before they ask.
"#;

const INIT_BEST_PRACTICE: &str = r#"+++
title = "The call-back that saved a renewal"
touchpoints = ["customer-reports-an-outage"]
author = "Amira, service desk"
date = {today}
+++

Write a short story from the floor here: what happened, what the colleague did, what the customer said.
"#;

/// One week of a check-in, as a line manager fills it in: the `[[week]]` table to add to
/// `content/divisions/<division>/checkins/<rollout>.md` (the file's front matter holds them all).
pub(crate) fn checkin_week(number: u32, held_on: Date, teams: &[String]) -> String {
    let team = match teams.first() {
        Some(first) => format!("team = {}            # one of: {}\n", toml_string(first), teams.join(", ")),
        None => String::new(),
    };
    format!(
        r#"[[week]]
number = {number}
{team}held-on = {held_on}
attendees = 0            # how many took part
practised = []           # ids of the touch points practised
action = "The one thing the team agreed to do this week."
obstacle = 1             # what stands in the way: 1 (nothing) … 5 (it stops us)
obstacle-note = "What stands in the way, in a sentence."
share = false            # true: other divisions see the action
"#
    )
}
