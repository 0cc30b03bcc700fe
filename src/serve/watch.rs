//! Watching the playbook and classifying what changed.
//!
//! notify's debouncer turns an editor's save (temporary file, rename, several writes) into one
//! batch of events. Only `book.toml`, `content/`, `data/` and `themes/` are watched, never the output.

use std::path::Path;
use std::sync::mpsc::Sender;
use std::time::Duration;

use anyhow::{Context, Result};
use notify_debouncer_full::notify::event::ModifyKind;
use notify_debouncer_full::notify::{EventKind, RecommendedWatcher, RecursiveMode};
use notify_debouncer_full::{new_debouncer, DebounceEventResult, Debouncer, RecommendedCache};

/// How long to wait for an editor to finish saving before rebuilding.
const DEBOUNCE: Duration = Duration::from_millis(25);

/// One change, by what it affects.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Change {
    /// A content file (path relative to the playbook root).
    Content(String),
    /// A template, static file or interface-strings file of a theme.
    Theme(String),
    /// `book.toml`.
    Config,
    /// A file under `data/` (the help desk's exports): every page may show its figures.
    Data(String),
}

/// Keeps the watcher alive; dropping it stops watching.
pub type Watcher = Debouncer<RecommendedWatcher, RecommendedCache>;

/// Starts watching `root`; every debounced batch of relevant changes is sent to `changes`.
pub fn start(root: &Path, changes: Sender<Vec<Change>>) -> Result<Watcher> {
    let root = std::fs::canonicalize(root).with_context(|| format!("cannot open {}", root.display()))?;
    let classify_root = root.clone();
    let mut debouncer = new_debouncer(DEBOUNCE, None, move |result: DebounceEventResult| {
        let Ok(events) = result else { return };
        let mut batch: Vec<Change> = events
            .iter()
            .filter(|e| changes_content(&e.kind))
            .flat_map(|e| e.paths.iter())
            .filter_map(|p| classify(&classify_root, p))
            .collect();
        batch.dedup();
        if !batch.is_empty() {
            let _ = changes.send(batch);
        }
    })
    .context("cannot watch the playbook for changes")?;
    debouncer.watch(&root, RecursiveMode::NonRecursive).context("cannot watch the playbook folder")?;
    watch_folders(&mut debouncer, &root)?;
    Ok(debouncer)
}

/// The folders watched as a whole, below the playbook folder itself.
const WATCHED_FOLDERS: [&str; 3] = ["content", "themes", "data"];

fn watch_folders(debouncer: &mut Watcher, root: &Path) -> Result<()> {
    for folder in WATCHED_FOLDERS {
        let path = root.join(folder);
        if path.is_dir() {
            debouncer
                .watch(&path, RecursiveMode::Recursive)
                .with_context(|| format!("cannot watch {}", path.display()))?;
        }
    }
    Ok(())
}

/// Whether a batch names a watched folder itself: it was created, removed or renamed.
pub fn replaces_a_folder(batch: &[Change]) -> bool {
    batch
        .iter()
        .any(|change| matches!(change, Change::Content(p) | Change::Theme(p) | Change::Data(p) if WATCHED_FOLDERS.contains(&p.as_str())))
}

/// Watches the folders again after one was replaced; the old watches follow folders that may
/// no longer be there.
pub fn rewatch(debouncer: &mut Watcher, root: &Path) -> Result<()> {
    let root = std::fs::canonicalize(root).with_context(|| format!("cannot open {}", root.display()))?;
    for folder in WATCHED_FOLDERS {
        let _ = debouncer.unwatch(root.join(folder));
    }
    watch_folders(debouncer, &root)
}

/// Whether an event can change what a build produces. Reading a file is an event too (the
/// build's own reads would otherwise trigger the next build), and so is a change of access time.
fn changes_content(kind: &EventKind) -> bool {
    match kind {
        EventKind::Create(_) | EventKind::Remove(_) => true,
        EventKind::Modify(ModifyKind::Metadata(_)) => false,
        EventKind::Modify(_) => true,
        EventKind::Access(_) | EventKind::Any | EventKind::Other => false,
    }
}

/// What a changed path affects, or `None` for files touchbook does not read (editor swap
/// files, the output folder, version control).
pub fn classify(root: &Path, path: &Path) -> Option<Change> {
    let rel = path.strip_prefix(root).ok()?;
    let name = rel.file_name()?.to_str()?;
    if name.starts_with('.')
        || name.starts_with('#')
        || name.ends_with('~')
        || name.ends_with(".swp")
        || name.ends_with(".tmp")
    {
        return None;
    }
    let rel_text = rel.to_string_lossy().replace('\\', "/");
    let mut parts = rel.components();
    match parts.next()?.as_os_str().to_str()? {
        "book.toml" => Some(Change::Config),
        "content" => Some(Change::Content(rel_text)),
        "themes" => Some(Change::Theme(rel_text)),
        "data" => Some(Change::Data(rel_text)),
        _ => None,
    }
}

/// A short description of a batch for the terminal: "content/touchpoints/a.md changed".
pub fn describe(batch: &[Change]) -> String {
    let first = match batch.first() {
        Some(Change::Content(p) | Change::Theme(p) | Change::Data(p)) => p.clone(),
        Some(Change::Config) => "book.toml".to_string(),
        None => return "nothing changed".to_string(),
    };
    let first = crate::diagnostics::visible(&first);
    match batch.len() {
        1 => format!("{first} changed"),
        n => format!("{first} and {} more changed", n - 1),
    }
}

#[cfg(test)]
mod tests {
    use std::path::PathBuf;

    use super::*;

    #[test]
    fn classifies_what_touchbook_reads() {
        let root = PathBuf::from("/p");
        assert_eq!(classify(&root, Path::new("/p/book.toml")), Some(Change::Config));
        assert_eq!(
            classify(&root, Path::new("/p/content/touchpoints/a.md")),
            Some(Change::Content("content/touchpoints/a.md".into()))
        );
        assert_eq!(
            classify(&root, Path::new("/p/themes/default/static/style.css")),
            Some(Change::Theme("themes/default/static/style.css".into()))
        );
        assert_eq!(classify(&root, Path::new("/p/site/index.html")), None);
        assert_eq!(classify(&root, Path::new("/p/content/touchpoints/.a.md.swp")), None);
        assert_eq!(classify(&root, Path::new("/p/content/touchpoints/a.md~")), None);
    }
}
