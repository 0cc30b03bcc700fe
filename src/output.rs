//! Writing a built site: into a staging folder first, then swapped into place.
//!
//! A failed or interrupted build therefore leaves the previous site exactly as it was, and a
//! server never sees a half-written site. touchbook deletes only what it wrote: every output
//! folder carries a marker file listing its files, and a folder holding anything else is refused.

use std::collections::BTreeSet;
use std::fs;
use std::path::{Path, PathBuf};
use std::sync::{Mutex, PoisonError};

use anyhow::{bail, Context, Result};
use rayon::prelude::*;
use walkdir::WalkDir;

use crate::diagnostics::Diagnostic;

/// One file of the built site: its path below the output directory and its content.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutputFile {
    /// Path below the output folder, with `/` separators.
    pub path: String,
    /// The file's content.
    pub bytes: Vec<u8>,
}

/// The marker file in every output folder: its presence says touchbook owns the folder, its
/// lines say which files touchbook wrote there.
pub const MARKER: &str = ".touchbook-output";
const MARKER_HEADER: &str = "# Written by touchbook. touchbook replaces this folder on every build and\n# refuses to if it holds files not listed here. Files:\n";

/// Refuses output folders that would lose or mix up the user's files.
pub fn check_output_dir(root: &Path, output: &Path) -> Result<()> {
    let root = fs::canonicalize(root).map_err(|e| Diagnostic::io(root, "open the playbook folder", e))?;
    let output_abs = absolute(output)?;
    if output_abs == root || root.starts_with(&output_abs) {
        bail!(refused(
            output,
            "refusing to write the site into this folder: it is the playbook folder (or contains it), and building would replace your content",
            "set `output-dir = \"site\"` in [build] of book.toml",
        ));
    }
    // Folders the playbook's sources live in: a site inside one would be read back as
    // content, theme or data (and `serve` would rebuild on its own writes).
    for source in ["content", "themes", "data"] {
        let folder = root.join(source);
        if folder.starts_with(&output_abs) || output_abs.starts_with(&folder) {
            bail!(refused(
                output,
                format!("refusing to write the site into this folder: it overlaps the {source}/ folder"),
                "choose an output folder outside content/, themes/ and data/, e.g. `output-dir = \"site\"`",
            ));
        }
    }
    if !output_abs.exists() {
        return Ok(());
    }
    if !output_abs.is_dir() {
        bail!(refused(
            output,
            "refusing to write the site here: it is a file, not a folder",
            "remove it or choose another output folder",
        ));
    }
    let is_empty = fs::read_dir(&output_abs).map_err(|e| Diagnostic::io(output, "read", e))?.next().is_none();
    if is_empty {
        return Ok(());
    }
    let marker = output_abs.join(MARKER);
    let Ok(listing) = fs::read_to_string(&marker) else {
        bail!(refused(
            output,
            format!("refusing to replace this folder: it holds files that touchbook did not write (it has no {MARKER} file)"),
            "choose an empty or new output folder with --output, or move those files away",
        ));
    };
    let written: BTreeSet<&str> = listing.lines().filter(|l| !l.starts_with('#') && !l.is_empty()).collect();
    let foreign = foreign_files(&output_abs, &written)?;
    if !foreign.is_empty() {
        let shown: Vec<String> = foreign.iter().take(5).map(|f| format!("  {f}")).collect();
        let more = if foreign.len() > 5 { format!("\n  … and {} more", foreign.len() - 5) } else { String::new() };
        bail!(refused(
            output,
            format!(
                "refusing to replace this folder: it holds files that touchbook did not write:\n{}{more}",
                shown.join("\n")
            ),
            "move them out of the output folder; touchbook replaces the whole folder on every build",
        ));
    }
    Ok(())
}

/// An output folder touchbook will not write to, and what to do instead.
fn refused(output: &Path, message: impl Into<String>, hint: &str) -> Diagnostic {
    Diagnostic::file_error(output.display().to_string(), message).with_hint(hint)
}

fn foreign_files(dir: &Path, written: &BTreeSet<&str>) -> Result<Vec<String>> {
    let mut foreign = Vec::new();
    for entry in WalkDir::new(dir).sort_by_file_name() {
        let entry = entry.with_context(|| format!("cannot read {}", dir.display()))?;
        if entry.file_type().is_dir() {
            continue;
        }
        let rel = entry.path().strip_prefix(dir).unwrap_or(entry.path()).to_string_lossy().replace('\\', "/");
        let ours = rel == MARKER || rel.strip_suffix(".new") == Some(MARKER);
        if !ours && !written.contains(rel.as_str()) {
            foreign.push(rel);
        }
    }
    Ok(foreign)
}

/// The absolute form of `path`, resolving symbolic links of the parts that exist.
fn absolute(path: &Path) -> Result<PathBuf> {
    if let Ok(path) = fs::canonicalize(path) {
        return Ok(path);
    }
    let parent = path.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."));
    let name = path.file_name().with_context(|| format!("{} is not a folder name", path.display()))?;
    Ok(absolute(parent)?.join(name))
}

/// Writes `files` as the new content of `output`, atomically replacing the old site.
pub fn write_site(output: &Path, files: &[OutputFile]) -> Result<()> {
    let staging = Staging::new(output)?;
    files
        .par_iter()
        .with_max_len(crate::BALANCED_PIECES)
        .try_for_each(|file| staging.write(&file.path, &file.bytes))?;
    staging.finish(files.iter().map(|file| file.path.as_str()))
}

/// A new site being written: files go into a staging folder beside the output folder as they
/// are made, and [`Staging::finish`] swaps the folder into place. Dropped without finishing
/// (a build that failed), the staging folder is removed and the previous site stays as it was.
pub struct Staging {
    output: PathBuf,
    parent: PathBuf,
    name: String,
    folder: tempfile::TempDir,
    /// The site being replaced, if touchbook wrote it: unchanged files are linked from it.
    previous: Option<PathBuf>,
    /// Folders created so far, so each is created once.
    folders: Mutex<BTreeSet<PathBuf>>,
    /// Held until the new site is in place, so that two builds never write one site at once.
    _lock: OutputLock,
}

/// An advisory lock on the folder the site is written in, held while a site is written.
/// It is the folder's own lock (`flock` on the folder), so it leaves no file behind and is
/// released by the system when a build is killed.
pub struct OutputLock {
    _folder: Option<fs::File>,
}

impl OutputLock {
    /// Takes the lock, or says that another build is writing this site.
    pub fn acquire(parent: &Path, output: &Path) -> Result<OutputLock> {
        if !cfg!(unix) {
            return Ok(OutputLock { _folder: None });
        }
        let folder = fs::File::open(parent).map_err(|e| Diagnostic::io(parent, "open", e))?;
        match folder.try_lock() {
            Ok(()) => Ok(OutputLock { _folder: Some(folder) }),
            Err(fs::TryLockError::WouldBlock) => bail!(refused(
                output,
                "another touchbook build is writing this site right now",
                "wait for it to finish (or stop `touchbook serve` for this playbook), then build again",
            )),
            // A file system without locks (some network shares) builds without one.
            Err(fs::TryLockError::Error(_)) => Ok(OutputLock { _folder: None }),
        }
    }
}

impl Staging {
    /// Starts a new site for `output` (a folder [`check_output_dir`] accepted).
    pub fn new(output: &Path) -> Result<Staging> {
        let output = absolute(output)?;
        let parent = output.parent().context("the output folder has no parent folder")?.to_path_buf();
        let name = output.file_name().context("the output folder has no name")?.to_string_lossy().into_owned();
        fs::create_dir_all(&parent).map_err(|e| Diagnostic::io(&parent, "create", e))?;
        remove_stale_staging(&parent, &name);
        let lock = OutputLock::acquire(&parent, &output)?;
        let folder = tempfile::Builder::new()
            .prefix(&format!(".{name}.touchbook-staging-"))
            .tempdir_in(&parent)
            .map_err(|e| Diagnostic::io(&parent, "create a staging folder here", e))?;
        let previous = output.join(MARKER).is_file().then(|| output.clone());
        Ok(Staging { output, parent, name, folder, previous, folders: Mutex::new(BTreeSet::new()), _lock: lock })
    }

    /// The folder the new site is being written to, for reading back what was written.
    pub fn folder(&self) -> &Path {
        self.folder.path()
    }

    /// Writes one file of the new site; safe to call from many threads at once. Thousands of
    /// small files: the kernel's per-file work is what costs, so callers spread it over cores,
    /// and a file the previous site already has byte for byte is linked rather than written.
    pub fn write(&self, path: &str, bytes: &[u8]) -> Result<()> {
        let target = self.folder.path().join(path);
        if let Some(folder) = target.parent() {
            let mut folders = self.folders.lock().unwrap_or_else(PoisonError::into_inner);
            if !folders.contains(folder) {
                fs::create_dir_all(folder).map_err(|e| Diagnostic::io(folder, "create", e))?;
                folders.insert(folder.to_path_buf());
            }
        }
        if self.previous.as_ref().is_some_and(|site| link_unchanged(&site.join(path), &target, bytes)) {
            return Ok(());
        }
        fs::write(&target, bytes).map_err(|e| Diagnostic::io(&target, "write", e).into())
    }

    /// Lists the site's files in its marker and puts the new site in place of the old one.
    pub fn finish<'a>(self, paths: impl Iterator<Item = &'a str>) -> Result<()> {
        let Staging { output, parent, name, folder, .. } = self;
        let mut listing = String::from(MARKER_HEADER);
        for path in paths {
            listing.push_str(path);
            listing.push('\n');
        }
        fs::write(folder.path().join(MARKER), listing).context("cannot write the output marker")?;
        let staging = folder.keep();

        if output.exists() && exchange(&staging, &output).is_ok() {
            // The new site is in place in one step; the old one is where the staging folder was.
            remove_leftover(&staging);
        } else if output.exists() {
            let old = parent.join(format!(".{name}.touchbook-old-{}", std::process::id()));
            let _ = fs::remove_dir_all(&old);
            fs::rename(&output, &old).map_err(|e| Diagnostic::io(&output, "move the previous site aside", e))?;
            if let Err(error) = fs::rename(&staging, &output) {
                let _ = fs::rename(&old, &output);
                let _ = fs::remove_dir_all(&staging);
                return Err(Diagnostic::io(&output, "move the new site here", error).into());
            }
            remove_leftover(&old);
        } else if let Err(error) = fs::rename(&staging, &output) {
            let _ = fs::remove_dir_all(&staging);
            return Err(Diagnostic::io(&output, "move the new site here", error).into());
        }
        Ok(())
    }
}

/// Hard-links `old` to `new` if `old` holds exactly `bytes`; false if it does not, or the
/// file system cannot link. A link costs no new file: on ext4, creating thousands of files
/// just after removing thousands (the previous build's site) is slow, as the kernel scans the
/// recently freed ones first. Nothing is ever written through the link: the old site is only
/// read, then removed, and later edits replace files by rename.
fn link_unchanged(old: &Path, new: &Path, bytes: &[u8]) -> bool {
    // A regular file only: never carry a symbolic link from the old folder into the new site.
    let same_length = fs::symlink_metadata(old).is_ok_and(|meta| meta.is_file() && meta.len() == bytes.len() as u64);
    same_length && fs::read(old).is_ok_and(|old_bytes| old_bytes == bytes) && fs::hard_link(old, new).is_ok()
}

/// Swaps two folders in one step, so that no moment exists without a site (Linux; elsewhere,
/// or on file systems that cannot, the caller falls back to two renames).
#[cfg(target_os = "linux")]
fn exchange(a: &Path, b: &Path) -> std::io::Result<()> {
    use std::os::unix::ffi::OsStrExt;
    let a = std::ffi::CString::new(a.as_os_str().as_bytes())?;
    let b = std::ffi::CString::new(b.as_os_str().as_bytes())?;
    // SAFETY: both paths are valid NUL-terminated strings that outlive the call.
    let result =
        unsafe { libc::renameat2(libc::AT_FDCWD, a.as_ptr(), libc::AT_FDCWD, b.as_ptr(), libc::RENAME_EXCHANGE) };
    if result == 0 {
        Ok(())
    } else {
        Err(std::io::Error::last_os_error())
    }
}

#[cfg(not(target_os = "linux"))]
fn exchange(_: &Path, _: &Path) -> std::io::Result<()> {
    Err(std::io::ErrorKind::Unsupported.into())
}

/// What changes in a site that is already written: files to write and paths to remove.
#[derive(Debug, Default)]
pub struct Update<'a> {
    /// Files whose bytes changed or that are new.
    pub writes: Vec<&'a OutputFile>,
    /// Paths of files the site no longer has.
    pub removals: Vec<String>,
    /// Every file of the site after the update, when the list changed (for the marker).
    pub listing: Option<Vec<String>>,
}

/// Brings a site written by [`write_site`] up to date in place (what `serve` does after an
/// edit). Each file is written beside the site and renamed over the old one, so a reader sees
/// the old or the new file, never half of one; the marker lists old and new files while the
/// update runs, so a build killed half-way leaves nothing touchbook would not recognise.
pub fn update_site(output: &Path, update: &Update<'_>) -> Result<()> {
    let output = absolute(output)?;
    let parent = output.parent().context("the output folder has no parent folder")?.to_path_buf();
    let name = output.file_name().context("the output folder has no name")?.to_string_lossy().into_owned();
    let _lock = OutputLock::acquire(&parent, &output)?;
    if let Some(listing) = &update.listing {
        let previous = fs::read_to_string(output.join(MARKER)).unwrap_or_default();
        let mut both: BTreeSet<&str> = previous.lines().filter(|l| !l.starts_with('#') && !l.is_empty()).collect();
        both.extend(listing.iter().map(String::as_str));
        write_marker(&output, both.into_iter())?;
    }
    let staging = tempfile::Builder::new()
        .prefix(&format!(".{name}.touchbook-staging-"))
        .tempdir_in(&parent)
        .map_err(|e| Diagnostic::io(&parent, "create a staging folder here", e))?;
    update.writes.par_iter().enumerate().try_for_each(|(i, file)| {
        let target = output.join(&file.path);
        let temporary = staging.path().join(i.to_string());
        fs::write(&temporary, &file.bytes).map_err(|e| Diagnostic::io(&temporary, "write", e))?;
        if let Some(dir) = target.parent() {
            fs::create_dir_all(dir).map_err(|e| Diagnostic::io(dir, "create", e))?;
        }
        fs::rename(&temporary, &target).map_err(|e| anyhow::Error::from(Diagnostic::io(&target, "write", e)))
    })?;
    for path in &update.removals {
        let target = output.join(path);
        match fs::remove_file(&target) {
            Ok(()) => {}
            Err(error) if error.kind() == std::io::ErrorKind::NotFound => {}
            Err(error) => return Err(Diagnostic::io(&target, "remove", error).into()),
        }
        // Folders left empty go too (a division's last best practice, say); a folder with files stays.
        let mut dir = target.parent();
        while let Some(d) = dir.filter(|d| *d != output) {
            if fs::remove_dir(d).is_err() {
                break;
            }
            dir = d.parent();
        }
    }
    if let Some(listing) = &update.listing {
        write_marker(&output, listing.iter().map(String::as_str))?;
    }
    Ok(())
}

fn write_marker<'a>(output: &Path, files: impl Iterator<Item = &'a str>) -> Result<()> {
    let mut text = String::from(MARKER_HEADER);
    for file in files {
        text.push_str(file);
        text.push('\n');
    }
    let temporary = output.join(format!("{MARKER}.new"));
    fs::write(&temporary, text).context("cannot write the output marker")?;
    fs::rename(&temporary, output.join(MARKER)).context("cannot write the output marker")
}

/// Removes a folder of many files, unlinking the files on all cores first.
fn remove_tree(dir: &Path) -> std::io::Result<()> {
    let files: Vec<PathBuf> = WalkDir::new(dir)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| !e.file_type().is_dir())
        .map(|e| e.into_path())
        .collect();
    files.par_iter().try_for_each(fs::remove_file)?;
    fs::remove_dir_all(dir)
}

/// Removes the previous site once the new one is in place. A part that cannot be removed
/// (a read-only folder a user made) is made writable and tried again, else left under its
/// staging name for the next build to remove: the new site is complete either way.
fn remove_leftover(dir: &Path) {
    if remove_tree(dir).is_ok() {
        return;
    }
    for entry in WalkDir::new(dir).into_iter().filter_map(Result::ok) {
        if let Ok(meta) = entry.metadata() {
            let mut permissions = meta.permissions();
            #[allow(clippy::permissions_set_readonly_false)]
            permissions.set_readonly(false);
            let _ = fs::set_permissions(entry.path(), permissions);
        }
    }
    let _ = fs::remove_dir_all(dir);
}

/// Staging and old-site folders left behind by a build that was killed are ours to remove.
fn remove_stale_staging(parent: &Path, name: &str) {
    let prefixes = [format!(".{name}.touchbook-staging-"), format!(".{name}.touchbook-old-")];
    let Ok(entries) = fs::read_dir(parent) else {
        return;
    };
    for entry in entries.flatten() {
        let file_name = entry.file_name().to_string_lossy().into_owned();
        if prefixes.iter().any(|p| file_name.starts_with(p)) && entry.path().is_dir() {
            let _ = fs::remove_dir_all(entry.path());
        }
    }
}
