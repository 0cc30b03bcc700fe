//! The editor behind `serve`: changes to content files made from the browser.
//!
//! The browser names a page, never a file: [`source_of`] works out from the playbook which file
//! that page is made from, and it must be under `content/`. Front matter is changed with
//! `toml_edit`, so everything the trainer did not touch (comments, key order, layout, the body,
//! line endings) stays byte for byte, and the file is replaced in one rename (`paths`).

pub(crate) mod checkin;
pub(crate) mod form;
pub(crate) mod history;

use std::path::{Path, PathBuf};

use time::Date;
use toml_edit::{DocumentMut, Item, Value};

use crate::fields::is_valid_id;
use crate::kind::Kind;
use crate::layout;

/// Why an edit was not made: one of the sentences under `[refused]` in the theme's strings,
/// with what its `{name}`s stand for. `serve` puts it in the words of the edition the person
/// in front of the browser works in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Refused {
    pub key: &'static str,
    pub fills: Vec<(&'static str, String)>,
}

impl Refused {
    pub(crate) fn new(key: &'static str) -> Refused {
        Refused { key, fills: Vec::new() }
    }

    /// The refusal with `{name}` standing for `value`.
    pub(crate) fn with(mut self, name: &'static str, value: impl std::fmt::Display) -> Refused {
        self.fills.push((name, value.to_string()));
        self
    }

    /// A step that reports in `check`'s words (making a file, checking a draft) failed.
    pub(crate) fn failed(error: &anyhow::Error) -> Refused {
        Refused::new("failed").with("error", format!("{error:#}"))
    }

    /// The sentence in the language of `t`.
    pub(crate) fn words(&self, t: &crate::i18n::Translations) -> String {
        let fills: Vec<(&str, &str)> = self.fills.iter().map(|(name, value)| (*name, value.as_str())).collect();
        t.counted(&format!("refused.{}", self.key), 1, &fills)
    }
}

/// The longest reviewer's name taken: a name, not a text.
const NAME_LIMIT: usize = 80;

/// The content file a page of the site is made from: `touchpoints/a.html` → the central file,
/// `norge/touchpoints/a.html` → the division's overlay or its own item, or the central file
/// when the division has neither. `divisions` are the ids in `book.toml`.
pub(crate) fn source_of(root: &Path, divisions: &[String], page: &str) -> Result<PathBuf, Refused> {
    let (division, kind, id) = item_of(divisions, page)?;
    let central = root.join(layout::file(kind, None, id));
    let candidates = match division {
        Some(d) => vec![root.join(layout::file(kind, Some(d), id)), central],
        None => vec![central],
    };
    let found = match candidates.into_iter().find(|path| path.is_file()) {
        Some(found) => found,
        None => shared_best_practice(root, divisions, kind, id).ok_or_else(|| not_an_item(page))?,
    };
    inside_content(root, page, found)
}

/// A best practice a division shares is shown in the other editions under its own id, but its
/// file is the division's: the one division that has a file of that name (none, or several,
/// is no page of an item).
fn shared_best_practice(root: &Path, divisions: &[String], kind: Kind, id: &str) -> Option<PathBuf> {
    if kind != Kind::BestPractice {
        return None;
    }
    let mut files = divisions.iter().map(|d| root.join(layout::file(kind, Some(d), id))).filter(|path| path.is_file());
    let file = files.next()?;
    files.next().is_none().then_some(file)
}

/// A division's translation of an item with `localised-from` set to the hash of the central
/// file as it is now: "Mark as up to date", as `touchbook localise --refresh` does.
pub(crate) fn refresh_translation(root: &Path, divisions: &[String], page: &str) -> Result<PathBuf, Refused> {
    let (division, kind, id) = item_of(divisions, page)?;
    let no_translation = || Refused::new("no-translation").with("page", page);
    let division = division.ok_or_else(no_translation)?;
    let overlay = root.join(layout::file(kind, Some(division), id));
    let central = root.join(layout::file(kind, None, id));
    if !overlay.is_file() || !central.is_file() {
        return Err(no_translation());
    }
    let overlay = inside_content(root, page, overlay)?;
    let central = inside_content(root, page, central)?;
    let hash = crate::model::central_hash(&read_text(root, &central)?);
    let edited = edit_front_matter(&read_text(root, &overlay)?, |document| {
        set(document, "localised-from", Value::from(hash));
    })?;
    write(root, &overlay, &edited)?;
    Ok(overlay)
}

/// The division (if any) and kind of a list page (`touchpoints/index.html`,
/// `norge/rollouts/index.html`), where new items of that kind are made.
pub(crate) fn list_of<'p>(divisions: &[String], page: &'p str) -> Result<(Option<&'p str>, Kind), Refused> {
    let not_a_list = || Refused::new("not-a-list").with("page", page);
    let (division, folder, file) = layout::split_page(divisions, page).ok_or_else(not_a_list)?;
    if !file.is_empty() && file != "index.html" {
        return Err(not_a_list());
    }
    Ok((division, Kind::from_folder(folder).ok_or_else(not_a_list)?))
}

/// Starts a division's translation of the central item a division page shows (as
/// `touchbook localise` does) and returns the new file.
pub(crate) fn start_translation(root: &Path, divisions: &[String], page: &str) -> Result<PathBuf, Refused> {
    let (division, kind, id) = item_of(divisions, page)?;
    let division = division.ok_or_else(|| Refused::new("central-page").with("page", page))?;
    let item = format!("{}/{id}", kind.folder());
    match crate::localise::localise(root, division, &item, false, false) {
        Ok(crate::localise::Outcome::Created(path)) => Ok(path),
        Ok(crate::localise::Outcome::Refreshed(path, _)) => Ok(path),
        Err(error) => Err(Refused::failed(&error)),
    }
}

/// The central file a division's translation at `path` is made from, if it is one.
pub(crate) fn central_of(root: &Path, path: &Path) -> Option<PathBuf> {
    let rel: Vec<&str> = path.strip_prefix(root).ok()?.iter().map(|part| part.to_str()).collect::<Option<_>>()?;
    let rel = rel.join("/");
    let (kind, Some(_), id) = layout::classify(&rel)? else {
        return None;
    };
    let central = root.join(layout::file(kind, None, id));
    central.is_file().then_some(central)
}

/// The division (if any), kind and id of an item's page, each checked against what exists.
fn item_of<'p>(divisions: &[String], page: &'p str) -> Result<(Option<&'p str>, Kind, &'p str), Refused> {
    let (division, folder, file) = layout::split_page(divisions, page).ok_or_else(|| not_an_item(page))?;
    let kind = Kind::from_folder(folder).ok_or_else(|| not_an_item(page))?;
    let id = file.strip_suffix(".html").filter(|id| is_valid_id(id)).ok_or_else(|| not_an_item(page))?;
    Ok((division, kind, id))
}

fn not_an_item(page: &str) -> Refused {
    Refused::new("not-an-item").with("page", page)
}

/// `path` if it is inside `content/`, symbolic links resolved.
fn inside_content(root: &Path, page: &str, path: PathBuf) -> Result<PathBuf, Refused> {
    crate::paths::check_inside(&root.join("content"), &path)
        .map_err(|e| Refused::new("outside-content").with("page", page).with("error", e))?;
    Ok(path)
}

/// A content file's text, read through `paths`.
pub(crate) fn read_text(root: &Path, path: &Path) -> Result<String, Refused> {
    let bytes = crate::paths::read_inside(root, path).map_err(|e| Refused::new("cannot-read").with("error", e))?;
    String::from_utf8(bytes).map_err(|_| Refused::new("not-utf8"))
}

/// The file with `reviewed` set to `today` and `reviewed-by` to `name`; nothing else changes.
pub(crate) fn mark_reviewed(text: &str, today: Date, name: &str) -> Result<String, Refused> {
    let name = name.trim();
    if name.is_empty()
        || name.chars().count() > NAME_LIMIT
        || name.chars().any(|c| c.is_control() || crate::diagnostics::reorders_text(c))
    {
        return Err(Refused::new("name").with("limit", NAME_LIMIT));
    }
    let date = toml_edit::Date { year: today.year() as u16, month: today.month() as u8, day: today.day() };
    let reviewed =
        Value::Datetime(toml_edit::Formatted::new(toml_edit::Datetime { date: Some(date), time: None, offset: None }));
    edit_front_matter(text, |document| {
        set(document, "reviewed", reviewed);
        set(document, "reviewed-by", Value::from(name));
    })
}

/// Replaces a key's value in place, keeping the spaces and comment around it, or adds the key.
fn set(document: &mut DocumentMut, key: &str, value: Value) {
    match document.get_mut(key).and_then(Item::as_value_mut) {
        Some(old) => {
            let decor = old.decor().clone();
            *old = value;
            *old.decor_mut() = decor;
        }
        None => {
            document.insert(key, Item::Value(value));
        }
    }
}

/// A content file's front matter, if it can be read.
pub(crate) fn front_matter(text: &str) -> Option<DocumentMut> {
    let mut found = None;
    edit_front_matter(text, |document| found = Some(document.clone())).ok()?;
    found
}

/// A string value of the front matter (`localised-from`), if the front matter can be read.
pub(crate) fn front_matter_string(text: &str, key: &str) -> Option<String> {
    front_matter(text)?.get(key).and_then(Item::as_str).map(str::to_string)
}

/// Applies `change` to the front matter of a content file and gives back the whole file.
fn edit_front_matter(text: &str, change: impl FnOnce(&mut DocumentMut)) -> Result<String, Refused> {
    let unreadable = || Refused::new("front-matter");
    let (opening, rest) = split_line(text).ok_or_else(unreadable)?;
    if opening.trim_end() != "+++" {
        return Err(unreadable());
    }
    let mut front_matter_end = opening.len();
    let mut remaining = rest;
    loop {
        let (line, after) = split_line(remaining).ok_or_else(unreadable)?;
        if line.trim_end() == "+++" {
            break;
        }
        front_matter_end += line.len();
        remaining = after;
    }
    let front_matter = &text[opening.len()..front_matter_end];
    let mut document: DocumentMut = front_matter.parse().map_err(|_| unreadable())?;
    // toml_edit writes new plain keys after the others but before any table (`[campaign]`).
    change(&mut document);
    let crlf = opening.ends_with("\r\n");
    let edited = keep_line_endings(front_matter, &document.to_string(), if crlf { "\r\n" } else { "\n" });
    Ok(format!("{opening}{edited}{}", &text[front_matter_end..]))
}

/// `edited` (as toml_edit writes it, with `\n`) with every line that was already in `original`
/// taken from there byte for byte, line ending included; a changed line keeps the ending of the
/// line it replaces, and new lines end with `ending`. Lines are matched by their longest common subsequence (front matter is short).
fn keep_line_endings(original: &str, edited: &str, ending: &str) -> String {
    let old: Vec<&str> = original.split_inclusive('\n').collect();
    let new: Vec<&str> = edited.split_inclusive('\n').collect();
    let bare = |line: &str| line.trim_end_matches('\n').trim_end_matches('\r').to_string();
    let (old_bare, new_bare): (Vec<String>, Vec<String>) =
        (old.iter().map(|l| bare(l)).collect(), new.iter().map(|l| bare(l)).collect());
    // common[i][j]: the longest common run of old[i..] and new[j..].
    let mut common = vec![vec![0usize; new.len() + 1]; old.len() + 1];
    for i in (0..old.len()).rev() {
        for j in (0..new.len()).rev() {
            common[i][j] = if old_bare[i] == new_bare[j] {
                common[i + 1][j + 1] + 1
            } else {
                common[i + 1][j].max(common[i][j + 1])
            };
        }
    }
    let (mut i, mut j, mut out) = (0, 0, String::with_capacity(edited.len() + 16));
    let mut replaced: Option<&str> = None;
    while j < new.len() {
        if i < old.len() && old_bare[i] == new_bare[j] {
            out.push_str(old[i]);
            replaced = None;
            i += 1;
            j += 1;
        } else if i < old.len() && common[i + 1][j] >= common[i][j + 1] {
            replaced = Some(if old[i].ends_with("\r\n") { "\r\n" } else { "\n" });
            i += 1;
        } else {
            out.push_str(&new_bare[j]);
            out.push_str(replaced.take().unwrap_or(ending));
            j += 1;
        }
    }
    out
}

/// The first line of `text` with its line ending, and the rest; `None` when `text` is empty.
fn split_line(text: &str) -> Option<(&str, &str)> {
    if text.is_empty() {
        return None;
    }
    let end = text.find('\n').map_or(text.len(), |i| i + 1);
    Some(text.split_at(end))
}

/// A fingerprint of a file's text, taken when the editor opens it or the site is built: a save
/// or a review is refused when the file no longer has it (changed by another editor or a
/// `git pull` meanwhile).
pub(crate) use crate::source::fingerprint;

/// Why a save did not happen.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum NotSaved {
    /// The file changed since it was opened; this is what it holds now.
    Conflict {
        current: String,
    },
    Refused(Refused),
}

/// Replaces the file with `text` if it still is what the editor opened (`opened`, a
/// [`fingerprint`]). Text with errors is saved too: work in progress is never thrown away.
pub(crate) fn save(root: &Path, path: &Path, text: &str, opened: &str) -> Result<(), NotSaved> {
    let current = read_text(root, path).map_err(NotSaved::Refused)?;
    if fingerprint(&current) != opened {
        return Err(NotSaved::Conflict { current });
    }
    write(root, path, text).map_err(NotSaved::Refused)
}

/// Writes a new content file (never over one that exists), only inside the playbook.
pub(crate) fn create(root: &Path, path: &Path, text: &str) -> Result<(), Refused> {
    crate::paths::write_new_inside(root, path, text).map_err(|e| cannot_write(root, path, e))
}

/// Writes an edited file in one rename, only inside the playbook.
pub(crate) fn write(root: &Path, path: &Path, text: &str) -> Result<(), Refused> {
    crate::paths::replace_inside(root, path, text).map_err(|e| cannot_write(root, path, e))
}

fn cannot_write(root: &Path, path: &Path, error: impl std::fmt::Display) -> Refused {
    Refused::new("cannot-write").with("file", path.strip_prefix(root).unwrap_or(path).display()).with("error", error)
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    #[test]
    fn every_refusal_has_its_words_in_every_language() {
        let mut keys = Vec::new();
        for entry in walkdir::WalkDir::new(concat!(env!("CARGO_MANIFEST_DIR"), "/src")) {
            let path = entry.unwrap().into_path();
            if path.extension().is_some_and(|e| e == "rs") {
                let text = std::fs::read_to_string(&path).unwrap();
                for (_, rest) in text.match_indices("Refused::new(\"").map(|(i, m)| (i, &text[i + m.len()..])) {
                    keys.push(rest[..rest.find('"').unwrap()].to_string());
                }
            }
        }
        assert!(keys.len() > 20, "{keys:?}");
        // The `{name}`s of a sentence, which every language must fill alike.
        let names = |text: &str| {
            let mut names: Vec<String> = text
                .split('{')
                .skip(1)
                .filter_map(|rest| rest.split_once('}'))
                .map(|(name, _)| name.to_string())
                .collect();
            names.sort();
            names
        };
        let mut english = Vec::new();
        for language in ["en", "nb", "da", "sv"] {
            let file = format!(concat!(env!("CARGO_MANIFEST_DIR"), "/themes/default/i18n/{}.toml"), language);
            let strings: toml::Table = std::fs::read_to_string(file).unwrap().parse().unwrap();
            let t = crate::i18n::Translations::from_table(language, strings);
            for (i, key) in keys.iter().enumerate() {
                let path = format!("refused.{key}");
                assert_ne!(t.text(&path), path, "{language} lacks the sentence");
                if language == "en" {
                    english.push(names(t.text(&path)));
                } else {
                    assert_eq!(
                        names(t.text(&path)),
                        english[i],
                        "{language}: {path} fills other names than in English"
                    );
                }
            }
        }
        let t = crate::i18n::Translations::from_table("en", toml::Table::new());
        assert_eq!(Refused::new("name").with("limit", 80).words(&t), "refused.name", "a missing sentence shows");
    }

    const FILE: &str = "+++\n# Who to ask: the desk\ntitle = \"Angry caller\"   # as staff say it\nowner = \"Desk lead\"\nreviewed = 2026-03-03 # last time\n\n[campaign]\nname = \"x\"\n+++\n\n## Situation\n\nText  with  spaces.\n";

    #[test]
    fn marking_a_review_changes_only_the_two_keys() {
        let edited = mark_reviewed(FILE, date!(2026 - 12 - 06), "Kari Nordmann").unwrap();
        let expected = FILE.replace("reviewed = 2026-03-03 # last time\n", "reviewed = 2026-12-06 # last time\n");
        let expected = expected.replace("\n\n[campaign]", "\nreviewed-by = \"Kari Nordmann\"\n\n[campaign]");
        assert_eq!(edited, expected);
        // A second review replaces the name in place.
        let again = mark_reviewed(&edited, date!(2026 - 12 - 07), "Ola").unwrap();
        assert_eq!(again, expected.replace("2026-12-06", "2026-12-07").replace("Kari Nordmann", "Ola"));
    }

    #[test]
    fn line_endings_and_quotes_survive() {
        let crlf = "+++\r\ntitle = \"A\"\r\n+++\r\nBody\r\n";
        let edited = mark_reviewed(crlf, date!(2026 - 12 - 06), "O'Neil \"Junior\"").unwrap();
        assert!(edited.starts_with("+++\r\ntitle = \"A\"\r\nreviewed = 2026-12-06\r\nreviewed-by = "), "{edited:?}");
        assert!(edited.ends_with("\r\n+++\r\nBody\r\n"), "{edited:?}");
        assert_eq!(edited.matches('\n').count(), edited.matches("\r\n").count(), "no bare line feed: {edited:?}");
        let table: toml::Table = edited.split("+++").nth(1).unwrap().parse().unwrap();
        assert_eq!(table["reviewed-by"].as_str(), Some("O'Neil \"Junior\""));
    }

    #[test]
    fn names_and_broken_files_are_refused() {
        assert!(mark_reviewed(FILE, date!(2026 - 12 - 06), "  ").is_err());
        assert!(mark_reviewed(FILE, date!(2026 - 12 - 06), "a\u{7}b").is_err());
        assert!(mark_reviewed(FILE, date!(2026 - 12 - 06), "Kari\u{202e}nimda").is_err(), "text that reorders itself");
        assert!(mark_reviewed("+++\ntitle = \n+++\n", date!(2026 - 12 - 06), "Kari").is_err());
        assert!(mark_reviewed("no front matter\n", date!(2026 - 12 - 06), "Kari").is_err());
    }

    #[test]
    fn a_save_over_a_changed_file_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("content/a.md");
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, "one").unwrap();
        let opened = fingerprint("one");
        std::fs::write(&path, "two").unwrap();
        assert_eq!(save(dir.path(), &path, "mine", &opened), Err(NotSaved::Conflict { current: "two".into() }));
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "two");
        save(dir.path(), &path, "mine", &fingerprint("two")).unwrap();
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "mine");
    }

    #[test]
    fn pages_name_their_files_and_nothing_else() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        for file in ["content/touchpoints/a.md", "content/divisions/norge/touchpoints/a.md", "content/messages/m.md"] {
            std::fs::create_dir_all(root.join(file).parent().unwrap()).unwrap();
            std::fs::write(root.join(file), "+++\ntitle = \"A\"\n+++\n").unwrap();
        }
        let divisions = vec!["norge".to_string(), "sverige".to_string()];
        let of = |page: &str| source_of(root, &divisions, page).map(|p| p.strip_prefix(root).unwrap().to_path_buf());
        assert_eq!(of("touchpoints/a.html").unwrap(), Path::new("content/touchpoints/a.md"));
        assert_eq!(of("norge/touchpoints/a.html").unwrap(), Path::new("content/divisions/norge/touchpoints/a.md"));
        assert_eq!(of("sverige/messages/m.html").unwrap(), Path::new("content/messages/m.md"));
        // A best practice Norge shares is shown centrally and in Sverige, made from Norge's file.
        std::fs::create_dir_all(root.join("content/divisions/norge/practices")).unwrap();
        std::fs::write(root.join("content/divisions/norge/practices/s.md"), "+++\ntitle = \"S\"\n+++\n").unwrap();
        for page in ["practices/s.html", "sverige/practices/s.html"] {
            assert_eq!(of(page).unwrap(), Path::new("content/divisions/norge/practices/s.md"), "{page}");
        }
        let overlay = root.join("content/divisions/norge/touchpoints/a.md");
        std::fs::write(&overlay, "+++\nlocalised-from = \"0000000000\" # made by localise\r\ntitle = \"A\"\n+++\n")
            .unwrap();
        refresh_translation(root, &divisions, "/norge/touchpoints/a.html").unwrap();
        let hash = crate::model::central_hash("+++\ntitle = \"A\"\n+++\n");
        let expected = format!("+++\nlocalised-from = \"{hash}\" # made by localise\r\ntitle = \"A\"\n+++\n");
        assert_eq!(std::fs::read_to_string(&overlay).unwrap(), expected);
        for refused in ["touchpoints/a.html", "sverige/messages/m.html", "norge/messages/m.html"] {
            assert!(refresh_translation(root, &divisions, refused).is_err(), "{refused}");
        }
        for refused in [
            "../touchpoints/a.html",
            "touchpoints/../../etc/passwd.html",
            "touchpoints/A.html",
            "finland/touchpoints/a.html",
            "touchpoints/b.html",
            "index.html",
            "static/x/touchpoints/a.html",
            "touchpoints/a.md",
        ] {
            assert!(of(refused).is_err(), "{refused}");
        }
    }
}
