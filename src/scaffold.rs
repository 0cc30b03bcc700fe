//! `touchbook new` and `touchbook init`: files a trainer can start from.
//!
//! Stubs are complete enough to build: every required key and section is there, with text that
//! says what to write. Existing files are never overwritten unless `--force` is given.

use std::fs;
use std::path::{Path, PathBuf};

use anyhow::{bail, Context, Result};
use time::Date;

use crate::fields::slugify;
use crate::source::Kind;

/// Writes a stub for a new item titled `title` and returns its path.
pub fn new_item(
    root: &Path,
    kind: Kind,
    title: &str,
    division: Option<&str>,
    force: bool,
    today: Date,
) -> Result<PathBuf> {
    if !root.join(crate::config::CONFIG_FILE).is_file() {
        bail!("{} has no book.toml\nhint: run this inside a playbook, pass --root DIR, or create one with `touchbook init`", root.display());
    }
    if let Some(division) = division.filter(|d| !crate::fields::is_valid_id(d)) {
        bail!("`{division}` is not a division id\nhint: division ids are lowercase letters, digits and `-`, as in book.toml");
    }
    if let Some(division) = division {
        let mut diags = crate::diagnostics::Diagnostics::default();
        if let Some(config) = crate::config::load(root, &mut diags)? {
            if !config.divisions.iter().any(|d| d.id == division) {
                let known: Vec<&str> = config.divisions.iter().map(|d| d.id.as_str()).collect();
                bail!(
                    "there is no division `{division}` in book.toml\nhint: the divisions are {}; add `[divisions.{division}]` first",
                    crate::diagnostics::one_of(&known)
                );
            }
        }
    }
    let id = slugify(title);
    if id.is_empty() {
        bail!("cannot make a file name from the title {title:?}\nhint: use a title with some letters or digits");
    }
    let mut dir = root.join("content");
    if let Some(division) = division {
        dir = dir.join("divisions").join(division);
    }
    let dir = dir.join(kind.folder());
    let path = dir.join(format!("{id}.md"));
    if path.exists() && !force {
        bail!(
            "{} already exists\nhint: choose another title, edit the existing file, or pass --force to replace it",
            path.display()
        );
    }
    let context = StubContext::read(root);
    let text = stub(kind, title, today, &context);
    let written = if force && std::fs::symlink_metadata(&path).is_ok() {
        crate::paths::replace_inside(root, &path, &text)
    } else {
        crate::paths::write_new_inside(root, &path, &text)
    };
    written.map_err(|e| anyhow::anyhow!("cannot write {}: {e}\nhint: {}", path.display(), crate::paths::HINT))?;
    Ok(path)
}

/// What a stub can borrow from the playbook so that it builds as written: a real stage, a
/// real channel and an existing touch point to link a story to.
struct StubContext {
    stage: String,
    channel: String,
    touchpoint: String,
}

impl StubContext {
    fn read(root: &Path) -> StubContext {
        let mut diags = crate::diagnostics::Diagnostics::default();
        let config = crate::config::load(root, &mut diags).ok().flatten();
        let pick = |list: Option<&Vec<String>>, preferred: &str| -> String {
            match list {
                Some(list) if list.iter().any(|s| s == preferred) => preferred.to_string(),
                Some(list) => list.first().cloned().unwrap_or_else(|| preferred.to_string()),
                None => preferred.to_string(),
            }
        };
        let touchpoint = fs::read_dir(root.join("content/touchpoints"))
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
        }
    }
}

fn toml_string(text: &str) -> String {
    toml::Value::String(text.to_string()).to_string()
}

fn stub(kind: Kind, title: &str, today: Date, context: &StubContext) -> String {
    let title = toml_string(title);
    let StubContext { stage, channel, touchpoint } = context;
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
owner = "Who keeps this page current"
reviewed = {today}
+++

## Situation

What the customer experiences and needs at this moment.

## Expected behaviour

- Do: the first thing we always do.
- Don't: the mistake that is easy to make here.

## Say it like this

> "A sentence staff can say as it is."

## Practise it

A short role play for the team meeting: who plays the customer, what they say, what to watch for.

## Why it matters

What the customer remembers if we get this right, and what it costs if we don't.
"#
        ),
        Kind::Message => format!(
            r#"+++
title = {title}
promise = "The line customers hear, in their words."
+++

What this promise means for how we behave, and what it does not mean.
"#
        ),
        Kind::Practice => format!(
            r#"+++
title = {title}
touchpoints = ["{touchpoint}"]   # the touch points this story is about
author = "Your name"
date = {today}
+++

What happened, what the colleague did, and what the customer said afterwards.
"#
        ),
        Kind::Rollout => {
            let weeks: String = (1..=16)
                .map(|n| format!("## Week {n}\n\nAgenda, touch points to practise, questions to discuss.\n\n"))
                .collect();
            format!(
                r#"+++
title = {title}
start = {today}
weeks = 16
messages = []
touchpoints = []
+++

The announcement: why we do this, what changes for whom, and when.

{weeks}"#
            )
        }
    }
}

/// Creates a small playbook that builds as it is.
pub fn init(dir: &Path, today: Date) -> Result<()> {
    let config = dir.join(crate::config::CONFIG_FILE);
    if config.exists() {
        bail!("{} already exists: this folder is a playbook already\nhint: choose an empty folder", config.display());
    }
    let init_context = StubContext {
        stage: "support".into(),
        channel: "phone".into(),
        touchpoint: "customer-reports-an-outage".into(),
    };
    let files: [(&str, String); 5] = [
        ("book.toml", INIT_BOOK.to_string()),
        ("content/touchpoints/customer-reports-an-outage.md", INIT_TOUCHPOINT.replace("{today}", &today.to_string())),
        ("content/messages/we-keep-you-posted.md", INIT_MESSAGE.to_string()),
        ("content/practices/first-story.md", INIT_PRACTICE.replace("{today}", &today.to_string())),
        (
            "content/rollouts/getting-started.md",
            stub(Kind::Rollout, "Getting started with the playbook", today, &init_context),
        ),
    ];
    for (rel, _) in &files {
        if dir.join(rel).exists() {
            bail!("{} already exists\nhint: choose an empty folder", dir.join(rel).display());
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
reviewed = {today}
+++

## Situation

The customer cannot work and wants to know when it will be fixed.

## Expected behaviour

- Do: acknowledge the impact before asking for details.
- Do: say when you will call back, and call back then, even without news.
- Don't: guess at a fix time you cannot keep.

## Say it like this

> "I understand your team is stopped. I'm opening a priority case now and I'll call you back by 10:30 with what we know."

## Practise it

One colleague plays a customer whose invoicing run is blocked; the other handles the call. Watch for: impact acknowledged, a concrete call-back time.

## Why it matters

Customers forgive outages; they do not forgive silence.
"#;

const INIT_MESSAGE: &str = r#"+++
title = "We keep you posted"
promise = "You will never have to chase us for news."
+++

We tell customers what we know, what we do next and when they hear from us again, before they ask.
"#;

const INIT_PRACTICE: &str = r#"+++
title = "The call-back that saved a renewal"
touchpoints = ["customer-reports-an-outage"]
author = "Your name"
date = {today}
+++

Write a short story from the floor here: what happened, what the colleague did, what the customer said.
"#;
