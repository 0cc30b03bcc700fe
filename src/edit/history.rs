//! What changed in a central text since a division translated it.
//!
//! An overlay stores only `localised-from`, a hash of the central file it was made from. When
//! the playbook is a git repository, the central file's history holds that version: each
//! committed version is hashed as `localised-from` is (`model::central_hash`) until one matches,
//! and that version is compared line by line with today's text.

use std::path::Path;
use std::process::Command;

use similar::{ChangeTag, TextDiff};

/// The central text as the translation was made from it, compared with today's.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Since {
    /// The changed lines, each with `-` (gone), `+` (new) or ` ` (kept, around a change).
    Found(Vec<(char, String)>),
    /// The playbook is not in a git repository (or git is not installed).
    NoHistory,
    /// No committed version of the central file has the hash (history rewritten, or the
    /// version was never committed).
    NotFound,
}

/// Lines of unchanged text shown around each change.
const CONTEXT: usize = 2;

/// The versions of `central` (a file under `root`) in git's history, newest first, searched
/// for the one whose hash is `localised_from`, then compared with `today`.
pub(crate) fn central_changes(root: &Path, central: &Path, localised_from: &str, today: &str) -> Since {
    let Ok(rel) = central.strip_prefix(root) else { return Since::NoHistory };
    let rel = rel.to_string_lossy().replace('\\', "/");
    let git = |args: &[&str]| -> Option<Vec<u8>> {
        let output = Command::new("git").arg("-C").arg(root).args(args).output().ok()?;
        output.status.success().then_some(output.stdout)
    };
    // `--` keeps a file name from being read as an option; `:./` names it from `root`, which
    // may be a folder inside the repository.
    let Some(log) = git(&["log", "--format=%H", "--", &rel]) else { return Since::NoHistory };
    let commits = String::from_utf8_lossy(&log).lines().map(str::to_string).collect::<Vec<_>>();
    for commit in commits {
        let Some(bytes) = git(&["show", &format!("{commit}:./{rel}")]) else { continue };
        let Ok(text) = String::from_utf8(bytes) else { continue };
        let text = text.strip_prefix('\u{feff}').unwrap_or(&text);
        if crate::model::central_hash(text) == localised_from {
            return Since::Found(changed_lines(text, today));
        }
    }
    Since::NotFound
}

/// The lines that differ between `before` and `after`, with a little unchanged text around
/// each change so a translator can find the place.
fn changed_lines(before: &str, after: &str) -> Vec<(char, String)> {
    let (before, after) = (before.replace("\r\n", "\n"), after.replace("\r\n", "\n"));
    let diff = TextDiff::from_lines(&before, &after);
    let mut lines = Vec::new();
    for group in diff.grouped_ops(CONTEXT) {
        if !lines.is_empty() {
            lines.push((' ', "…".to_string()));
        }
        for op in group {
            for change in diff.iter_changes(&op) {
                let sign = match change.tag() {
                    ChangeTag::Delete => '-',
                    ChangeTag::Insert => '+',
                    ChangeTag::Equal => ' ',
                };
                lines.push((sign, change.value().trim_end_matches('\n').to_string()));
            }
        }
    }
    lines
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_changed_lines_and_their_neighbours_are_shown() {
        let before = "a\nb\nc\nd\ne\nf\ng\nh\n";
        let after = "a\nb\nc\nD\ne\nf\ng\nh\n";
        let lines = changed_lines(before, after);
        let signs: String = lines.iter().map(|(s, _)| *s).collect();
        assert_eq!(signs, "  -+  ");
        assert_eq!(lines[2], ('-', "d".to_string()));
        assert_eq!(lines[3], ('+', "D".to_string()));
    }
}
