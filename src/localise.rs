//! `touchbook localise DIVISION ID [--refresh]`: start a division's translation of a central
//! item, or mark a reviewed translation as current again.
//!
//! The overlay records `localised-from`, a short hash of the central file it was made from;
//! when the central file changes, `check` reports the overlay as outdated until a translator
//! has brought it up to date and run `--refresh`.

use std::path::{Path, PathBuf};

use anyhow::{bail, Result};

use crate::config;
use crate::config::CONFIG_FILE;
use crate::diagnostics::{one_of, Diagnostic, Diagnostics};
use crate::kind::Kind;
use crate::layout;
use crate::model::central_hash;
use crate::paths::shown;

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
        bail!(
            Diagnostic::file_error(CONFIG_FILE, "book.toml has errors").with_hint("run `touchbook check` to see them")
        );
    };
    let Some(division_config) = config.divisions.iter().find(|d| d.id == division) else {
        let known: Vec<&str> = config.divisions.iter().map(|d| d.id.as_str()).collect();
        let message = format!("there is no division `{division}` in book.toml");
        bail!(Diagnostic::error(message).with_hint(format!("the divisions are {}", one_of(&known))));
    };
    let (kind, id) = find_central(root, item)?;
    let central_path = root.join(layout::file(kind, None, &id));
    let bytes = crate::paths::read_inside(root, &central_path).map_err(|e| e.at(shown(root, &central_path), "read"))?;
    let central = String::from_utf8(bytes).map_err(|_| not_utf8(root, &central_path))?;
    let hash = central_hash(&central);
    let path = root.join(layout::file(kind, Some(division), &id));

    if refresh {
        let overlay = match crate::paths::read_inside(root, &path) {
            Ok(bytes) => String::from_utf8(bytes).map_err(|_| not_utf8(root, &path))?,
            Err(crate::paths::Refused::Io(error)) => {
                let hint = format!("run `touchbook localise {division} {item}` first to create the translation");
                bail!(Diagnostic::cannot(shown(root, &path), "read", error).with_hint(hint))
            }
            Err(refused) => bail!(refused.at(shown(root, &path), "read")),
        };
        crate::paths::replace_inside(root, &path, &set_localised_from(&overlay, &hash)?)
            .map_err(|e| e.at(shown(root, &path), "write"))?;
        return Ok(Outcome::Refreshed(path, hash));
    }
    if path.exists() && !force {
        let hint = format!(
            "after updating the translation, run `touchbook localise {division} {item} --refresh`; pass --force to start again from the central text"
        );
        bail!(Diagnostic::file_error(shown(root, &path), "this translation already exists").with_hint(hint));
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
    written.map_err(|e| e.at(shown(root, &path), "write"))?;
    Ok(Outcome::Created(path))
}

/// A content file that is not UTF-8 text.
fn not_utf8(root: &Path, path: &Path) -> Diagnostic {
    let hint = "save the file as UTF-8 in your editor";
    Diagnostic::file_error(shown(root, path), "cannot read: the file is not UTF-8 text").with_hint(hint)
}

/// `touchpoints/x`, `messages/x` or just `x` when only one kind has that id.
fn find_central(root: &Path, item: &str) -> Result<(Kind, String)> {
    let (kinds, id): (Vec<Kind>, &str) = match item.split_once('/') {
        Some((folder, id)) => match Kind::from_folder(folder) {
            Some(kind) => (vec![kind], id),
            None => {
                let folders: Vec<String> = Kind::ALL.iter().map(|k| format!("{}/", k.folder())).collect();
                let hint = format!("use {}", or_list(&folders));
                bail!(Diagnostic::error(format!("`{folder}` is not a content folder")).with_hint(hint))
            }
        },
        None => (Kind::ALL.to_vec(), item),
    };
    let id = id.trim_end_matches(".md");
    if !crate::fields::is_valid_id(id) {
        let hint = "ids are lowercase letters, digits and `-`: the file name without `.md`, e.g. `password-reset-call`";
        bail!(Diagnostic::error(format!("`{id}` is not an item id")).with_hint(hint));
    }
    let found: Vec<Kind> = kinds.into_iter().filter(|k| root.join(layout::file(*k, None, id)).is_file()).collect();
    match found.as_slice() {
        [kind] => Ok((*kind, id.to_string())),
        [] => {
            let hint = "give the file name without `.md`, e.g. `password-reset-call`";
            bail!(Diagnostic::error(format!("there is no central item `{id}`")).with_hint(hint))
        }
        several => {
            let options: Vec<String> = several.iter().map(|k| format!("{}/{id}", k.folder())).collect();
            let hint = format!("say which one: {}", one_of(&options));
            bail!(Diagnostic::error(format!("`{id}` is the id of more than one item")).with_hint(hint))
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
        let hint = "run `touchbook check` to see what is wrong";
        bail!(Diagnostic::error("the file does not start with `+++` front matter").with_hint(hint));
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
