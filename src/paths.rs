//! The one rule for paths: nothing outside the playbook folder is read or written.
//!
//! Every file touchbook reads from the playbook (`book.toml`, content, theme overrides) or
//! writes into it (`new`, `localise`, the editor) is checked here first, with symbolic links
//! resolved: a link that leads out of the playbook is refused, never followed.

use std::io::Write;
use std::path::{Path, PathBuf};

/// Why a path was refused.
#[derive(Debug)]
pub(crate) enum Refused {
    /// It resolves to a place outside the playbook (through a symbolic link or `..`).
    Outside,
    /// It is a symbolic link whose target does not exist.
    DanglingLink,
    Io(std::io::Error),
}

impl std::fmt::Display for Refused {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Refused::Outside => write!(f, "it leads outside the playbook folder (through a symbolic link or `..`)"),
            Refused::DanglingLink => write!(f, "it is a symbolic link to nothing"),
            Refused::Io(error) => write!(f, "{error}"),
        }
    }
}

/// A hint for every refusal: what touchbook accepts instead.
pub(crate) const HINT: &str =
    "touchbook reads and writes only inside the playbook folder; copy the file in instead of linking to it";

impl Refused {
    /// How to get past the refusal: [`HINT`] for a path that leads out, else what the system's
    /// error calls for.
    pub(crate) fn hint(&self) -> Option<&'static str> {
        match self {
            Refused::Io(error) => crate::diagnostics::io_hint(error),
            _ => Some(HINT),
        }
    }

    /// The refusal as a diagnostic: `path` (as [`shown`] names it) could not be read or
    /// written (`doing`), why, and how to get past it.
    pub(crate) fn at(self, path: impl Into<String>, doing: &str) -> crate::diagnostics::Diagnostic {
        let mut diagnostic = crate::diagnostics::Diagnostic::cannot(path, doing, &self);
        diagnostic.hint = self.hint().map(String::from);
        diagnostic
    }
}

/// `path` as diagnostics name a playbook file: from the playbook folder, with `/` between
/// folders (`content/touchpoints/a.md`); a path elsewhere stays as it is.
pub(crate) fn shown(root: &Path, path: &Path) -> String {
    match path.strip_prefix(root) {
        Ok(inside) => inside.components().map(|c| c.as_os_str().to_string_lossy()).collect::<Vec<_>>().join("/"),
        Err(_) => path.display().to_string(),
    }
}

/// Checks that `path` (existing or not) resolves inside `root`, symbolic links included.
pub(crate) fn check_inside(root: &Path, path: &Path) -> Result<(), Refused> {
    let root = root.canonicalize().map_err(Refused::Io)?;
    let resolved = resolve(path)?;
    if resolved.starts_with(&root) {
        Ok(())
    } else {
        Err(Refused::Outside)
    }
}

/// Where `path` really is: itself resolved when it exists, else its nearest existing folder
/// resolved with the rest appended (`..` in the rest counts as outside).
fn resolve(path: &Path) -> Result<PathBuf, Refused> {
    match std::fs::symlink_metadata(path) {
        Ok(meta) if meta.file_type().is_symlink() && std::fs::metadata(path).is_err() => {
            return Err(Refused::DanglingLink)
        }
        Ok(_) => return path.canonicalize().map_err(Refused::Io),
        Err(error) if error.kind() != std::io::ErrorKind::NotFound => return Err(Refused::Io(error)),
        Err(_) => {}
    }
    let mut missing = Vec::new();
    let mut existing = path;
    while std::fs::symlink_metadata(existing).is_err() {
        missing.push(existing.file_name().ok_or(Refused::Outside)?.to_owned());
        existing = existing.parent().ok_or(Refused::Outside)?;
        if existing.as_os_str().is_empty() {
            existing = Path::new(".");
        }
    }
    let mut resolved = resolve(existing)?;
    for part in missing.iter().rev() {
        if part == ".." {
            return Err(Refused::Outside);
        }
        resolved.push(part);
    }
    Ok(resolved)
}

/// Reads a text file of the playbook after checking it resolves inside `root`.
pub(crate) fn read_inside(root: &Path, path: &Path) -> Result<Vec<u8>, Refused> {
    check_inside(root, path)?;
    std::fs::read(path).map_err(Refused::Io)
}

/// Opens a file of the playbook for reading a piece at a time, after checking it resolves
/// inside `root`.
pub(crate) fn open_inside(root: &Path, path: &Path) -> Result<std::fs::File, Refused> {
    check_inside(root, path)?;
    std::fs::File::open(path).map_err(Refused::Io)
}

/// Writes a new file of the playbook: never over an existing file or through a symbolic link
/// (`create_new` refuses both), and only inside `root`.
pub(crate) fn write_new_inside(root: &Path, path: &Path, text: &str) -> Result<(), Refused> {
    let parent = path.parent().ok_or(Refused::Outside)?;
    check_inside(root, parent)?;
    std::fs::create_dir_all(parent).map_err(Refused::Io)?;
    check_inside(root, path)?;
    let mut file = std::fs::OpenOptions::new().write(true).create_new(true).open(path).map_err(Refused::Io)?;
    file.write_all(text.as_bytes()).map_err(Refused::Io)
}

/// Replaces a file of the playbook atomically (a temporary file renamed over it, so a symbolic
/// link in its place is replaced, not followed), after checking it resolves inside `root`.
pub(crate) fn replace_inside(root: &Path, path: &Path, text: &str) -> Result<(), Refused> {
    check_inside(root, path)?;
    if std::fs::symlink_metadata(path).is_ok_and(|m| m.file_type().is_symlink()) {
        return Err(Refused::Outside);
    }
    let parent = path.parent().ok_or(Refused::Outside)?;
    let mut temp = tempfile::NamedTempFile::new_in(parent).map_err(Refused::Io)?;
    temp.write_all(text.as_bytes()).map_err(Refused::Io)?;
    // The replacement keeps the file's permissions (a temporary file is private to its owner).
    if let Ok(metadata) = std::fs::metadata(path) {
        temp.as_file().set_permissions(metadata.permissions()).map_err(Refused::Io)?;
    }
    temp.as_file().sync_all().map_err(Refused::Io)?;
    temp.persist(path).map_err(|e| Refused::Io(e.error))?;
    Ok(())
}

#[cfg(all(test, unix))]
mod tests {
    use super::*;

    #[test]
    fn links_out_of_the_playbook_are_refused() {
        let outside = tempfile::tempdir().unwrap();
        std::fs::write(outside.path().join("secret"), "secret").unwrap();
        let root = tempfile::tempdir().unwrap();
        let content = root.path().join("content");
        std::fs::create_dir(&content).unwrap();
        std::fs::write(content.join("ok.md"), "ok").unwrap();
        std::os::unix::fs::symlink(outside.path().join("secret"), content.join("out.md")).unwrap();
        std::os::unix::fs::symlink(content.join("ok.md"), content.join("in.md")).unwrap();
        std::os::unix::fs::symlink(outside.path().join("nothing"), content.join("dangling.md")).unwrap();
        std::os::unix::fs::symlink(outside.path(), content.join("dir")).unwrap();

        assert!(read_inside(root.path(), &content.join("ok.md")).is_ok());
        assert!(read_inside(root.path(), &content.join("in.md")).is_ok());
        assert!(matches!(read_inside(root.path(), &content.join("out.md")), Err(Refused::Outside)));
        assert!(matches!(check_inside(root.path(), &content.join("dangling.md")), Err(Refused::DanglingLink)));
        assert!(write_new_inside(root.path(), &content.join("dangling.md"), "x").is_err());
        assert!(matches!(write_new_inside(root.path(), &content.join("dir/new.md"), "x"), Err(Refused::Outside)));
        assert!(matches!(check_inside(root.path(), &content.join("../../x")), Err(Refused::Outside)));
        assert!(!outside.path().join("nothing").exists() && !outside.path().join("new.md").exists());
        assert!(write_new_inside(root.path(), &content.join("touchpoints/new.md"), "x").is_ok());
    }

    #[test]
    fn a_replaced_file_keeps_its_permissions_and_a_link_in_its_place_is_not_followed() {
        use std::os::unix::fs::PermissionsExt;
        let root = tempfile::tempdir().unwrap();
        let file = root.path().join("item.md");
        std::fs::write(&file, "old").unwrap();
        std::fs::set_permissions(&file, std::fs::Permissions::from_mode(0o644)).unwrap();
        replace_inside(root.path(), &file, "new").unwrap();
        assert_eq!(std::fs::read_to_string(&file).unwrap(), "new");
        assert_eq!(std::fs::metadata(&file).unwrap().permissions().mode() & 0o777, 0o644);

        let outside = tempfile::tempdir().unwrap();
        std::fs::write(outside.path().join("target"), "kept").unwrap();
        std::os::unix::fs::symlink(outside.path().join("target"), root.path().join("link.md")).unwrap();
        assert!(replace_inside(root.path(), &root.path().join("link.md"), "x").is_err());
        assert_eq!(std::fs::read_to_string(outside.path().join("target")).unwrap(), "kept");
    }
}
