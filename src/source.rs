//! Walking `content/`: the only place that reads content files.
//!
//! Every Markdown file is classified by its folder into a [`Kind`] and an optional division.
//! Unreadable files, invalid UTF-8, bad ids and files in unexpected places are reported, never
//! skipped silently: a missing page must always have a message that explains it.

use std::collections::HashMap;
use std::path::{Component, Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::SystemTime;

use rayon::prelude::*;
use walkdir::WalkDir;

use crate::diagnostics::{Diagnostic, Diagnostics, SourceText};
use crate::fields::{is_valid_id, slugify};
use crate::kind::Kind;

/// One content file, read and classified.
#[derive(Debug, Clone)]
pub(crate) struct ContentFile {
    pub kind: Kind,
    pub id: String,
    /// `Some(d)` for files under `content/divisions/<d>/`.
    pub division: Option<String>,
    /// Shared with the items parsed from it, which keep it for later diagnostics.
    pub source: Arc<SourceText>,
}

/// Files read by an earlier run, kept while their size and modification time stay the same.
///
/// `serve` keeps one so that a change re-reads only the files that changed; a build reads
/// everything. Only files that were read cleanly are kept, so a file with a problem is read
/// (and reported) again every time.
#[derive(Debug, Default)]
pub struct SourceCache {
    files: Mutex<HashMap<String, (Stamp, ContentFile)>>,
    /// What the last walk found, and what it reported on the way.
    listing: Mutex<Option<(Vec<Found>, Diagnostics)>>,
    /// Files said to have changed since (by the file watcher): the next run looks at these
    /// instead of walking every folder again.
    told: Mutex<Option<Vec<String>>>,
}

/// A content file found by the walk: its path, path relative to the root, and stamp.
type Found = (PathBuf, String, Stamp);

/// What tells a file changed without reading it.
type Stamp = (u64, Option<SystemTime>);

impl SourceCache {
    /// Forgets a file, so that it is read again even if its size and time look the same (two
    /// saves within the file system's time resolution).
    fn forget(&self, rel_path: &str) {
        self.lock().remove(rel_path);
    }

    /// Says exactly which files changed since the last run (relative paths), so that the next
    /// run reads those and need not walk `content/`. Without it, the next run walks.
    pub fn changed(&self, rel_paths: &[String]) {
        for path in rel_paths {
            self.forget(path);
        }
        locked(&self.told).get_or_insert_with(Vec::new).extend(rel_paths.iter().cloned());
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<String, (Stamp, ContentFile)>> {
        locked(&self.files)
    }

    /// The last walk's listing brought up to date with the files said to have changed, or
    /// `None` when a walk is needed (no listing yet, nothing said, or a change that is not one
    /// Markdown file: a folder renamed, a file of another kind).
    fn listing(&self, root: &Path, diags: &mut Diagnostics) -> Option<Vec<Found>> {
        let told = locked(&self.told).take()?;
        let mut listing = locked(&self.listing);
        let (found, walk_diags) = listing.as_mut()?;
        for rel in told {
            let parts: Vec<&str> = rel.split('/').collect();
            if parts.first() != Some(&"content") || !rel.ends_with(".md") {
                return None;
            }
            if parts.iter().any(|part| is_ignored_name(part)) {
                continue;
            }
            let path = root.join(&rel);
            // A link may lead anywhere: only a walk checks where.
            if std::fs::symlink_metadata(&path).is_ok_and(|m| m.file_type().is_symlink()) {
                return None;
            }
            let position = found.binary_search_by(|(p, _, _)| p.as_path().cmp(&path));
            match (std::fs::metadata(&path), position) {
                (Ok(meta), Ok(i)) if meta.is_file() => found[i].2 = (meta.len(), meta.modified().ok()),
                (Ok(meta), Err(i)) if meta.is_file() => {
                    found.insert(i, (path, rel, (meta.len(), meta.modified().ok())))
                }
                (Err(error), Ok(i)) if error.kind() == std::io::ErrorKind::NotFound => {
                    found.remove(i);
                }
                (Err(error), Err(_)) if error.kind() == std::io::ErrorKind::NotFound => {}
                _ => return None,
            }
        }
        diags.extend(walk_diags.clone());
        Some(found.clone())
    }
}

fn locked<T>(mutex: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
}

/// Reads every content file under `<root>/content` in a stable (sorted) order, reusing the
/// files of `cache` that did not change and remembering the others.
pub(crate) fn load_cached(root: &Path, cache: Option<&SourceCache>, diags: &mut Diagnostics) -> Vec<ContentFile> {
    let content = root.join("content");
    if !content.is_dir() {
        diags.push(
            Diagnostic::file_error("content", "the playbook has no content/ folder").with_hint(
                "create content/touchpoints/ and add a touch point with `touchbook new touchpoint \"Title\"`",
            ),
        );
        return Vec::new();
    }
    // Walking is cheap and ordered; reading is where the time goes, so it happens on all cores.
    let found = match cache.and_then(|c| c.listing(root, diags)) {
        Some(found) => found,
        None => {
            let mut walk_diags = Diagnostics::default();
            let found = walk(root, &content, cache.is_some(), &mut walk_diags);
            if let Some(cache) = cache {
                *locked(&cache.listing) = Some((found.clone(), walk_diags.clone()));
                locked(&cache.told).take();
            }
            diags.extend(walk_diags);
            found
        }
    };
    let read: Vec<(Option<ContentFile>, Diagnostics)> = found
        .par_iter()
        .with_max_len(crate::BALANCED_PIECES)
        .map(|(path, rel, stamp)| {
            let mut local = Diagnostics::default();
            if let Some(cache) = cache {
                if let Some((cached_stamp, file)) = cache.lock().get(rel) {
                    if cached_stamp == stamp && stamp.1.is_some() {
                        return (Some(file.clone()), local);
                    }
                }
            }
            let file = read_content_file(path, rel, &mut local);
            if let (Some(cache), Some(file)) = (cache, &file) {
                cache.lock().insert(rel.clone(), (*stamp, file.clone()));
            }
            (file, local)
        })
        .collect();
    let mut files = Vec::with_capacity(read.len());
    for (file, local) in read {
        diags.extend(local);
        files.extend(file);
    }
    if let Some(cache) = cache {
        // Deleted files must not come back from the cache if a file of that name reappears
        // with the same size and time (a restore from a backup).
        let present: std::collections::HashSet<&str> = found.iter().map(|(_, rel, _)| rel.as_str()).collect();
        cache.lock().retain(|rel, _| present.contains(rel.as_str()));
    }
    files
}

/// Every Markdown file under `content/`, in path order, with what is wrong on the way; with
/// each file's size and time when `stamps` is set (for a cache to tell what changed: the walk
/// runs on one core, and a build without a cache need not look at 10,000 files twice).
fn walk(root: &Path, content: &Path, stamps: bool, diags: &mut Diagnostics) -> Vec<Found> {
    let mut found: Vec<(PathBuf, String, Stamp)> = Vec::new();
    if let Err(refused) = crate::paths::check_inside(root, content) {
        diags.push(Diagnostic::file_error("content", format!("cannot read: {refused}")).with_hint(crate::paths::HINT));
        return found;
    }
    // Links are not followed by the walk: each is checked to stay inside the playbook, and a
    // linked file is read like any other (a linked folder is not walked: it could loop).
    let walker = WalkDir::new(content).follow_links(false).sort_by_file_name().into_iter();
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
        let rel = rel_path(root, entry.path());
        if entry.path_is_symlink() {
            if let Err(refused) = crate::paths::check_inside(root, entry.path()) {
                diags
                    .push(Diagnostic::file_error(rel, format!("cannot read: {refused}")).with_hint(crate::paths::HINT));
                continue;
            }
            // Its files would be missing pages: an error, like any folder that cannot be read.
            if entry.path().is_dir() {
                let message = "cannot read: this symbolic link to a folder is not followed";
                diags.push(
                    Diagnostic::file_error(rel, message)
                        .with_hint("move the files into content/ instead of linking to them"),
                );
                continue;
            }
        } else if !entry.file_type().is_file() {
            continue;
        }
        if entry.path().extension().and_then(|e| e.to_str()) != Some("md") {
            diags.push(
                Diagnostic::file_error(rel, "this file is not Markdown and is ignored")
                    .with_hint("content files end in `.md`; move other files out of content/")
                    .into_warning(),
            );
            continue;
        }
        let stamp = if stamps {
            std::fs::metadata(entry.path()).map_or((0, None), |m| (m.len(), m.modified().ok()))
        } else {
            (0, None)
        };
        found.push((entry.into_path(), rel, stamp));
    }
    found
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
    let Some((kind, division, _)) = crate::layout::classify(rel) else {
        let checkins = crate::layout::folder(Kind::Checkin, Some("<division>"));
        let hint = if rel.starts_with(&format!("{}/", crate::layout::folder(Kind::Checkin, None))) {
            format!("check-ins belong to a division: move the file to {checkins}/")
        } else {
            let folders: Vec<&str> = Kind::ALL.iter().map(|k| k.folder()).collect();
            format!(
                "content files live in content/{{{}}}/ or {}/<same folders>/ (and check-ins in {checkins}/)",
                folders.join(","),
                crate::layout::division_folder("<division>")
            )
        };
        diags.push(Diagnostic::file_error(rel, "this file is in a folder touchbook does not know").with_hint(hint));
        return None;
    };
    let stem = path.file_stem().and_then(|s| s.to_str()).unwrap_or_default().to_string();
    if !is_valid_id(&stem) {
        let suggestion = slugify(&stem);
        let hint = if has_sibling(path, &format!("{suggestion}.md")) {
            format!(
                "`{suggestion}.md` is already there: the two names differ only in case or spacing, and on macOS and Windows they are the same file; merge this file into `{suggestion}.md` and delete it"
            )
        } else {
            format!("use lowercase letters, digits and `-` only; rename the file to `{suggestion}.md`")
        };
        diags.push(
            Diagnostic::file_error(rel, format!("`{stem}` is not a valid id: the file name becomes the page address"))
                .with_hint(hint),
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
    let division = division.map(str::to_string);
    Some(ContentFile { kind, id: stem, division, source: Arc::new(SourceText::new(rel, text)) })
}

/// Whether the folder of `path` holds another file named exactly `name` (compared by listing
/// the folder, so that a case-insensitive file system does not answer for `path` itself).
fn has_sibling(path: &Path, name: &str) -> bool {
    let own = path.file_name().and_then(|n| n.to_str());
    let Some(Ok(entries)) = path.parent().map(std::fs::read_dir) else {
        return false;
    };
    entries.flatten().any(|e| e.file_name().to_str() == Some(name) && own != Some(name))
}

/// A fingerprint of a content file's text as touchbook reads it (a leading byte-order mark
/// left out): pages carry it as built, so the editor can refuse to mark reviewed, or to save
/// over, a file that changed since.
pub(crate) fn fingerprint(text: &str) -> String {
    use sha2::{Digest, Sha256};
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    Sha256::digest(text.as_bytes()).iter().map(|b| format!("{b:02x}")).collect()
}
