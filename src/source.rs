//! Walking `content/`: the only place that reads content files.
//!
//! Every Markdown file is classified by its folder into a [`Kind`] and an optional division.
//! Unreadable files, invalid UTF-8, bad ids and files in unexpected places are reported, never
//! skipped silently: a missing page must always have a message that explains it.

use std::path::{Component, Path};

use serde::Serialize;
use walkdir::WalkDir;

use crate::diagnostics::{Diagnostic, Diagnostics, SourceText};
use crate::fields::{is_valid_id, slugify};

/// The four content types, named after their folders.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Kind {
    Touchpoint,
    Message,
    Practice,
    Rollout,
}

impl Kind {
    pub const ALL: [Kind; 4] = [Kind::Touchpoint, Kind::Message, Kind::Practice, Kind::Rollout];

    /// The folder under `content/` (and the output folder of its pages).
    pub fn folder(self) -> &'static str {
        match self {
            Kind::Touchpoint => "touchpoints",
            Kind::Message => "messages",
            Kind::Practice => "practices",
            Kind::Rollout => "rollouts",
        }
    }

    pub fn from_folder(folder: &str) -> Option<Kind> {
        Kind::ALL.into_iter().find(|k| k.folder() == folder)
    }

    /// How people call it in messages.
    pub fn noun(self) -> &'static str {
        match self {
            Kind::Touchpoint => "touch point",
            Kind::Message => "brand message",
            Kind::Practice => "story",
            Kind::Rollout => "rollout",
        }
    }
}

/// One content file, read and classified.
#[derive(Debug, Clone)]
pub struct ContentFile {
    pub kind: Kind,
    pub id: String,
    /// `Some(d)` for files under `content/divisions/<d>/`.
    pub division: Option<String>,
    pub source: SourceText,
}

/// Reads every content file under `<root>/content`, in a stable (sorted) order.
pub fn load(root: &Path, diags: &mut Diagnostics) -> Vec<ContentFile> {
    let content = root.join("content");
    let mut files = Vec::new();
    if !content.is_dir() {
        diags.push(
            Diagnostic::file_error("content", "the playbook has no content/ folder").with_hint(
                "create content/touchpoints/ and add a touch point with `touchbook new touchpoint \"Title\"`",
            ),
        );
        return files;
    }
    let walker = WalkDir::new(&content).follow_links(true).sort_by_file_name().into_iter();
    for entry in walker.filter_entry(|e| e.depth() == 0 || !is_ignored_name(e.file_name().to_str().unwrap_or(""))) {
        let entry = match entry {
            Ok(entry) => entry,
            Err(error) => {
                let path = error.path().map(|p| rel_path(root, p)).unwrap_or_else(|| "content".into());
                let reason = if error.loop_ancestor().is_some() {
                    "this symbolic link points back to a folder that contains it (a loop)".to_string()
                } else {
                    error.io_error().map_or_else(|| error.to_string(), ToString::to_string)
                };
                diags.push(Diagnostic::file_error(path, format!("cannot read: {reason}")));
                continue;
            }
        };
        if !entry.file_type().is_file() {
            continue;
        }
        let rel = rel_path(root, entry.path());
        if entry.path().extension().and_then(|e| e.to_str()) != Some("md") {
            diags.push(
                Diagnostic::file_error(rel, "this file is not Markdown and is ignored")
                    .with_hint("content files end in `.md`; move other files out of content/")
                    .into_warning(),
            );
            continue;
        }
        if let Some(file) = read_content_file(entry.path(), &rel, diags) {
            files.push(file);
        }
    }
    files
}

/// Editor back-ups, swap files and hidden files are not content.
fn is_ignored_name(name: &str) -> bool {
    name.starts_with('.') || name.ends_with('~') || name.starts_with('#')
}

fn rel_path(root: &Path, path: &Path) -> String {
    let rel = path.strip_prefix(root).unwrap_or(path);
    rel.components()
        .filter_map(|c| match c {
            Component::Normal(part) => Some(part.to_string_lossy().into_owned()),
            _ => None,
        })
        .collect::<Vec<_>>()
        .join("/")
}

fn read_content_file(path: &Path, rel: &str, diags: &mut Diagnostics) -> Option<ContentFile> {
    let Some((kind, division)) = classify(rel) else {
        diags.push(Diagnostic::file_error(rel, "this file is in a folder touchbook does not know").with_hint(
            "content files live in content/{touchpoints,messages,practices,rollouts}/ or content/divisions/<division>/<same folders>/",
        ));
        return None;
    };
    let stem = path.file_stem().and_then(|s| s.to_str()).unwrap_or_default().to_string();
    if !is_valid_id(&stem) {
        let suggestion = slugify(&stem);
        diags.push(
            Diagnostic::file_error(rel, format!("`{stem}` is not a valid id: the file name becomes the page address"))
                .with_hint(format!("use lowercase letters, digits and `-` only; rename the file to `{suggestion}.md`")),
        );
        return None;
    }
    if stem == "index" {
        let message = "`index` cannot be an id: it is the address of the list page of this folder";
        diags.push(Diagnostic::file_error(rel, message).with_hint("give the file a name that says what it is about"));
        return None;
    }
    let bytes = match std::fs::read(path) {
        Ok(bytes) => bytes,
        Err(error) => {
            diags.push(
                Diagnostic::file_error(rel, format!("cannot read: {error}")).with_hint("check the file's permissions"),
            );
            return None;
        }
    };
    let text = match String::from_utf8(bytes) {
        Ok(text) => text,
        Err(error) => {
            let valid = &error.as_bytes()[..error.utf8_error().valid_up_to()];
            let prefix = String::from_utf8_lossy(valid).into_owned();
            let source = SourceText::new(rel, prefix.clone() + "\u{fffd}");
            let d = source.error(prefix.len()..prefix.len() + 1, "the file is not valid UTF-8 text");
            diags.push(d.with_hint("save the file as UTF-8 in your editor (\"Save with encoding\" → UTF-8)"));
            return None;
        }
    };
    let text = match text.strip_prefix('\u{feff}') {
        Some(rest) => rest.to_string(),
        None => text,
    };
    Some(ContentFile { kind, id: stem, division, source: SourceText::new(rel, text) })
}

/// `content/<kind>/<id>.md` or `content/divisions/<d>/<kind>/<id>.md`.
fn classify(rel: &str) -> Option<(Kind, Option<String>)> {
    let parts: Vec<&str> = rel.split('/').collect();
    match parts.as_slice() {
        ["content", folder, _file] => Some((Kind::from_folder(folder)?, None)),
        ["content", "divisions", division, folder, _file] => {
            Some((Kind::from_folder(folder)?, Some(division.to_string())))
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn classifies_by_folder() {
        assert_eq!(classify("content/touchpoints/a.md"), Some((Kind::Touchpoint, None)));
        assert_eq!(classify("content/divisions/norge/messages/b.md"), Some((Kind::Message, Some("norge".into()))));
        assert_eq!(classify("content/notes/a.md"), None);
        assert_eq!(classify("content/touchpoints/sub/a.md"), None);
    }
}
