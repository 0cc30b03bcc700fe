//! `touchbook localise DIVISION ID [--refresh]`: start a division's translation of a central
//! item, or mark a reviewed translation as current again.
//!
//! The overlay records `localised-from`, a short hash of the central file it was made from;
//! when the central file changes, `check` reports the overlay as outdated until a translator
//! has brought it up to date and run `--refresh`.

use std::path::{Path, PathBuf};

use anyhow::{bail, Context, Result};

use crate::config;
use crate::diagnostics::{one_of, Diagnostics};
use crate::layout;
use crate::model::central_hash;
use crate::source::Kind;

/// What `localise` did, for the message to the user.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Outcome {
    Created(PathBuf),
    Refreshed(PathBuf, String),
}

/// Creates the overlay stub for `item` in `division`, or refreshes its hash.
pub(crate) fn localise(root: &Path, division: &str, item: &str, refresh: bool, force: bool) -> Result<Outcome> {
    let mut diags = Diagnostics::default();
    let Some(config) = config::load(root, &mut diags)? else {
        bail!("book.toml has errors\nhint: run `touchbook check` to see them");
    };
    let Some(division_config) = config.divisions.iter().find(|d| d.id == division) else {
        let known: Vec<&str> = config.divisions.iter().map(|d| d.id.as_str()).collect();
        bail!("there is no division `{division}` in book.toml\nhint: the divisions are {}", one_of(&known));
    };
    let (kind, id) = find_central(root, item)?;
    let central_path = root.join(layout::file(kind, None, &id));
    let central = crate::paths::read_inside(root, &central_path)
        .map_err(|e| anyhow::anyhow!("cannot read {}: {e}\nhint: {}", central_path.display(), crate::paths::HINT))
        .and_then(|bytes| {
            String::from_utf8(bytes).with_context(|| format!("{} is not UTF-8 text", central_path.display()))
        })?;
    let hash = central_hash(&central);
    let path = root.join(layout::file(kind, Some(division), &id));

    if refresh {
        let overlay = match crate::paths::read_inside(root, &path) {
            Ok(bytes) => String::from_utf8(bytes).with_context(|| format!("{} is not UTF-8 text", path.display()))?,
            Err(crate::paths::Refused::Io(error)) => bail!(
                "cannot read {}: {error}\nhint: run `touchbook localise {division} {item}` first to create the translation",
                path.display()
            ),
            Err(refused) => bail!("cannot read {}: {refused}\nhint: {}", path.display(), crate::paths::HINT),
        };
        crate::paths::replace_inside(root, &path, &set_localised_from(&overlay, &hash)?)
            .map_err(|e| anyhow::anyhow!("cannot write {}: {e}\nhint: {}", path.display(), crate::paths::HINT))?;
        return Ok(Outcome::Refreshed(path, hash));
    }
    if path.exists() && !force {
        bail!(
            "{} already exists\nhint: after updating the translation, run `touchbook localise {division} {item} --refresh`; pass --force to start again from the central text",
            path.display()
        );
    }
    let language = &division_config.language;
    let stub = set_localised_from(&central, &hash)?.replacen(
        &format!("localised-from = \"{hash}\"\n"),
        &format!(
            "localised-from = \"{hash}\"\n# Translate into `{language}`. Keys and `##` sections you delete keep their central text.\n"
        ),
        1,
    );
    let written = if force && std::fs::symlink_metadata(&path).is_ok() {
        crate::paths::replace_inside(root, &path, &stub)
    } else {
        crate::paths::write_new_inside(root, &path, &stub)
    };
    written.map_err(|e| anyhow::anyhow!("cannot write {}: {e}\nhint: {}", path.display(), crate::paths::HINT))?;
    Ok(Outcome::Created(path))
}

/// `touchpoints/x`, `messages/x` or just `x` when only one kind has that id.
fn find_central(root: &Path, item: &str) -> Result<(Kind, String)> {
    let (kinds, id): (Vec<Kind>, &str) = match item.split_once('/') {
        Some((folder, id)) => match Kind::from_folder(folder) {
            Some(kind) => (vec![kind], id),
            None => {
                let folders: Vec<String> = Kind::ALL.iter().map(|k| format!("{}/", k.folder())).collect();
                bail!("`{folder}` is not a content folder\nhint: use {}", or_list(&folders))
            }
        },
        None => (Kind::ALL.to_vec(), item),
    };
    let id = id.trim_end_matches(".md");
    if !crate::fields::is_valid_id(id) {
        bail!("`{id}` is not an item id\nhint: ids are lowercase letters, digits and `-`: the file name without `.md`, e.g. `password-reset-call`");
    }
    let found: Vec<Kind> = kinds.into_iter().filter(|k| root.join(layout::file(*k, None, id)).is_file()).collect();
    match found.as_slice() {
        [kind] => Ok((*kind, id.to_string())),
        [] => {
            bail!("there is no central item `{id}`\nhint: give the file name without `.md`, e.g. `password-reset-call`")
        }
        several => {
            let options: Vec<String> = several.iter().map(|k| format!("{}/{id}", k.folder())).collect();
            bail!("`{id}` is the id of more than one item\nhint: say which one: {}", one_of(&options))
        }
    }
}

/// `a, b or c`.
fn or_list(items: &[String]) -> String {
    match items.split_last() {
        Some((last, [])) => last.clone(),
        Some((last, others)) => format!("{} or {last}", others.join(", ")),
        None => String::new(),
    }
}

/// Sets (or adds) `localised-from` in the front matter of `text`.
fn set_localised_from(text: &str, hash: &str) -> Result<String> {
    let line = format!("localised-from = \"{hash}\"");
    let mut lines: Vec<String> = text.lines().map(str::to_string).collect();
    if lines.first().map(|l| l.trim_end()) != Some("+++") {
        bail!("the file does not start with `+++` front matter\nhint: run `touchbook check` to see what is wrong");
    }
    let close = lines.iter().skip(1).position(|l| l.trim_end() == "+++").map(|i| i + 1);
    let Some(close) = close else { bail!("the front matter is never closed with `+++`") };
    match lines[1..close].iter().position(|l| l.trim_start().starts_with("localised-from")) {
        Some(i) => lines[i + 1] = line,
        None => lines.insert(1, line),
    }
    let mut out = lines.join("\n");
    out.push('\n');
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sets_and_replaces_the_hash() {
        let added = set_localised_from("+++\ntitle = \"x\"\n+++\nBody\n", "abc").unwrap();
        assert_eq!(added, "+++\nlocalised-from = \"abc\"\ntitle = \"x\"\n+++\nBody\n");
        let replaced = set_localised_from(&added, "def").unwrap();
        assert_eq!(replaced, "+++\nlocalised-from = \"def\"\ntitle = \"x\"\n+++\nBody\n");
    }
}
