//! Where things are: the one rule for the layout of `content/`, for the address of an item's
//! page in an edition, and for the item a link between content files names.
//!
//! A central item is `content/<folder>/<id>.md`, a division's `content/divisions/<d>/<folder>/<id>.md`
//! (check-ins only there), and every item's page is `<folder>/<id>.html` under its edition's
//! prefix. Reading (`source`), links, `localise`, `new`, the editor and every view ask here, so a
//! change of layout is a change of this file.

use crate::kind::Kind;

/// The folder of every division's files.
const DIVISIONS: &str = "content/divisions";

/// The address of an item's page within its edition (`touchpoints/a.html`).
pub(crate) fn page(kind: Kind, id: &str) -> String {
    format!("{}/{id}.html", kind.folder())
}

/// The folder of a division's own files and overlays (`content/divisions/<d>`).
pub(crate) fn division_folder(division: &str) -> String {
    format!("{DIVISIONS}/{division}")
}

/// The folder of the files of `kind`, central (`content/touchpoints`) or a division's
/// (`content/divisions/<d>/touchpoints`), relative to the playbook.
pub(crate) fn folder(kind: Kind, division: Option<&str>) -> String {
    match division {
        Some(division) => format!("{}/{}", division_folder(division), kind.folder()),
        None => format!("content/{}", kind.folder()),
    }
}

/// The file of an item, relative to the playbook: a check-in file is named after its rollout.
pub(crate) fn file(kind: Kind, division: Option<&str>, id: &str) -> String {
    format!("{}/{id}.md", folder(kind, division))
}

/// A content file's kind, division and id: `content/<folder>/<id>.md` or
/// `content/divisions/<d>/<folder>/<id>.md`; check-ins only in a division. `None` for any other
/// path, a Markdown file or not.
pub(crate) fn classify(rel: &str) -> Option<(Kind, Option<&str>, &str)> {
    let parts: Vec<&str> = rel.split('/').collect();
    let (kind, division, name) = match parts.as_slice() {
        ["content", "divisions", division, "checkins", name] => (Kind::Checkin, Some(*division), *name),
        ["content", folder, name] => (Kind::from_folder(folder)?, None, *name),
        ["content", "divisions", division, folder, name] => (Kind::from_folder(folder)?, Some(*division), *name),
        _ => return None,
    };
    Some((kind, division, name.strip_suffix(".md")?))
}

/// The page an item's file is shown on, relative to the site root (`norge/touchpoints/a.html`
/// for `content/divisions/norge/touchpoints/a.md`); `None` for a file without a page.
pub(crate) fn page_of_file(rel: &str) -> Option<String> {
    match classify(rel)? {
        (Kind::Checkin, ..) => None,
        (kind, Some(division), id) => Some(format!("{division}/{}", page(kind, id))),
        (kind, None, id) => Some(page(kind, id)),
    }
}

/// The division (one of `divisions`, or none: the central edition), the kind's folder and the
/// file name of a page address (`norge/touchpoints/a.html`, `touchpoints/index.html`).
pub(crate) fn split_page<'p>(divisions: &[String], page: &'p str) -> Option<(Option<&'p str>, &'p str, &'p str)> {
    let parts: Vec<&str> = page.trim_start_matches('/').split('/').collect();
    match parts.as_slice() {
        [folder, file] => Some((None, *folder, *file)),
        [division, folder, file] if divisions.iter().any(|known| known == division) => {
            Some((Some(*division), *folder, *file))
        }
        _ => None,
    }
}

/// A link to a content file, resolved to the item it names.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Target {
    pub kind: Kind,
    pub id: String,
    pub fragment: Option<String>,
}

/// Resolves `dest` written in the file at `from_rel` (e.g. `content/touchpoints/a.md`) to the
/// item it names, without checking that the item exists.
pub(crate) fn resolve_content_link(from_rel: &str, dest: &str) -> Option<Target> {
    let (path, fragment) = match dest.split_once('#') {
        Some((path, fragment)) => (path, Some(fragment.to_string())),
        None => (dest, None),
    };
    let path = percent_decode(path).unwrap_or_else(|| path.to_string());
    let mut parts: Vec<&str> = from_rel.split('/').collect();
    parts.pop();
    for segment in path.split('/') {
        match segment {
            "" | "." => {}
            ".." => {
                parts.pop()?;
            }
            other => parts.push(other),
        }
    }
    // Any item with a page, central or a division's: a link names the item, not its file.
    match classify(&parts.join("/"))? {
        (Kind::Checkin, ..) => None,
        (kind, _, id) => Some(Target { kind, id: id.to_string(), fragment }),
    }
}

/// Decodes `%20` and friends (editors write them in links to files with spaces, browsers in
/// addresses); `None` for a malformed escape or a result that is not UTF-8.
pub(crate) fn percent_decode(text: &str) -> Option<String> {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = std::str::from_utf8(bytes.get(i + 1..i + 3)?).ok()?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn resolves_relative_links() {
        let t = resolve_content_link("content/touchpoints/a.md", "../messages/we-own-it.md#campaign").unwrap();
        assert_eq!((t.kind, t.id.as_str(), t.fragment.as_deref()), (Kind::Message, "we-own-it", Some("campaign")));
        assert_eq!(resolve_content_link("content/touchpoints/a.md", "b.md").unwrap().id, "b");
        assert_eq!(resolve_content_link("content/touchpoints/a.md", "../../book.md"), None);
        assert_eq!(resolve_content_link("content/touchpoints/a.md", "../../../x.md"), None);
    }

    #[test]
    fn files_and_pages_follow_one_layout() {
        assert_eq!(file(Kind::Touchpoint, None, "a"), "content/touchpoints/a.md");
        assert_eq!(file(Kind::Message, Some("norge"), "m"), "content/divisions/norge/messages/m.md");
        assert_eq!(file(Kind::Checkin, Some("norge"), "r"), "content/divisions/norge/checkins/r.md");
        assert_eq!(page(Kind::BestPractice, "s"), "practices/s.html");
        for kind in Kind::ALL {
            for division in [None, Some("norge")] {
                let rel = file(kind, division, "x");
                assert_eq!(classify(&rel), Some((kind, division, "x")), "{rel}");
            }
        }
        assert_eq!(page_of_file("content/divisions/norge/rollouts/r.md").as_deref(), Some("norge/rollouts/r.html"));
        assert_eq!(page_of_file("content/divisions/norge/checkins/r.md"), None);
    }

    #[test]
    fn classifies_by_folder() {
        assert_eq!(classify("content/touchpoints/a.md"), Some((Kind::Touchpoint, None, "a")));
        assert_eq!(classify("content/divisions/norge/messages/b.md"), Some((Kind::Message, Some("norge"), "b")));
        assert_eq!(classify("content/notes/a.md"), None);
        assert_eq!(classify("content/divisions/norge/checkins/r.md"), Some((Kind::Checkin, Some("norge"), "r")));
        assert_eq!(classify("content/checkins/r.md"), None);
        assert_eq!(classify("content/touchpoints/sub/a.md"), None);
    }

    #[test]
    fn pages_name_their_edition() {
        let divisions = vec!["norge".to_string()];
        assert_eq!(split_page(&divisions, "/norge/touchpoints/a.html"), Some((Some("norge"), "touchpoints", "a.html")));
        assert_eq!(split_page(&divisions, "touchpoints/index.html"), Some((None, "touchpoints", "index.html")));
        assert_eq!(split_page(&divisions, "sverige/touchpoints/a.html"), None);
        assert_eq!(split_page(&divisions, "a/b/c/d.html"), None);
    }
}
