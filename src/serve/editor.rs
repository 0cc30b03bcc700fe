//! The editor's side of `serve`: its script in every served page and the requests that write.
//!
//! It exists only while `serve` listens on loopback. Every write carries the session's token,
//! which only pages this server served know (another site cannot read them), and passes the
//! Host and Origin checks of `http::AllowedHosts`, so neither another site nor a DNS-rebound
//! name can write into the playbook. The browser names the page it shows; which file that is
//! the server works out itself (`edit::source_of`).

use std::path::{Path, PathBuf};

use axum::http::{HeaderMap, StatusCode};
use serde::Deserialize;

use crate::edit::{self, Refused};
use crate::i18n::Translations;

pub(crate) const SCRIPT_PATH: &str = "/_edit/editor.js";
pub(crate) const REVIEW_PATH: &str = "/_edit/review";
pub(crate) const REFRESH_PATH: &str = "/_edit/refresh";
pub(crate) const PAGE_PATH: &str = "/_edit/page";
pub(crate) const SAVE_PATH: &str = "/_edit/save";
pub(crate) const NEW_PATH: &str = "/_edit/new";
pub(crate) const TRANSLATE_PATH: &str = "/_edit/translate";
pub(crate) const PREVIEW_PATH: &str = "/_edit/preview";
/// "Log this week": the check-in form (GET) and its write (POST).
pub(crate) const CHECKIN_PATH: &str = "/_edit/checkin";
/// The form's changes made into the file's text (writes nothing).
pub(crate) const COMPOSE_PATH: &str = "/_edit/compose";
const TOKEN_HEADER: &str = "x-touchbook-token";

/// The editor of one `serve` session.
pub(crate) struct Editor {
    root: PathBuf,
    token: String,
}

/// A write from the editor: the page shown, for "Mark reviewed" the reviewer's name and the
/// fingerprint of the file the page was built from, and for a save the new text with the
/// fingerprint of the file as it was opened.
#[derive(Deserialize)]
struct EditRequest {
    page: String,
    #[serde(default)]
    name: String,
    #[serde(default)]
    text: String,
    #[serde(default)]
    opened: String,
    #[serde(default)]
    title: String,
    #[serde(default)]
    week: edit::checkin::Week,
    #[serde(default)]
    changes: edit::form::Changes,
}

/// What a write does.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Action {
    /// "Mark reviewed": today's date and the reviewer's name into the page's file.
    Review,
    /// "Mark as up to date": a division's translation made current again.
    Refresh,
    /// "Save" on the edit page: the whole file, unless it changed since it was opened.
    Save,
    /// "New touch point" (and the other kinds) on a list: a stub named after its title.
    New,
    /// "Translate" on a division's page of a central item: the division's translation, started.
    Translate,
    /// While typing on the edit page: what check says about the text, and the page it makes.
    /// Writes nothing.
    Preview,
    /// "Log this week" on a division's rollout page: a `[[week]]` in its check-in file.
    Checkin,
    /// While editing with the form: the text with the form's changes made. Writes nothing.
    Compose,
}

impl Editor {
    pub(crate) fn new(root: PathBuf) -> Editor {
        Editor { root, token: new_token() }
    }

    /// A served page with the editor's script, which carries the session's token.
    pub(crate) fn inject(&self, html: Vec<u8>) -> Vec<u8> {
        let tag = format!("<script src=\"{SCRIPT_PATH}\" data-token=\"{}\"></script>\n", self.token);
        let text = String::from_utf8_lossy(&html);
        match text.rfind("</body>") {
            Some(at) => format!("{}{tag}{}", &text[..at], &text[at..]).into_bytes(),
            None => format!("{text}{tag}").into_bytes(),
        }
    }

    /// Makes one write for a page of this server; the watcher then rebuilds and the page
    /// reloads. Returns the status and a JSON answer.
    pub(crate) fn handle(&self, action: Action, headers: &HeaderMap, body: &[u8]) -> (StatusCode, String) {
        // The page is read first only to answer in its edition's language.
        let request = serde_json::from_slice::<EditRequest>(body);
        let page = request.as_ref().map_or("", |r| r.page.as_str());
        if !self.has_token(headers) {
            return self.refuse(StatusCode::FORBIDDEN, page, &Refused::new("not-from-here"));
        }
        let Ok(request) = request else {
            return self.refuse(StatusCode::BAD_REQUEST, page, &Refused::new("unreadable-request"));
        };
        if let Action::Save = action {
            return self.save(&request);
        }
        if let Action::Preview = action {
            return self.preview(&request);
        }
        if let Action::Checkin = action {
            return self.log_week(&request.page, &request.week);
        }
        if let Action::Compose = action {
            return self.compose(&request);
        }
        if let Action::Review = action {
            if let Some(refused) = self.changed_since_built(&request) {
                return refused;
            }
        }
        match self.write(action, &request) {
            Ok(file) if matches!(action, Action::New | Action::Translate) => {
                let page = crate::layout::page_of_file(&file).unwrap_or_default();
                let edit = format!("{PAGE_PATH}?page=%2F{}", page.replace('/', "%2F"));
                (StatusCode::OK, serde_json::json!({ "ok": true, "file": file, "edit": edit }).to_string())
            }
            Ok(file) => (StatusCode::OK, serde_json::json!({ "ok": true, "file": file }).to_string()),
            Err(refused) => self.refuse(StatusCode::UNPROCESSABLE_ENTITY, &request.page, &refused),
        }
    }

    /// Saves the edit page's text; answers with what `check` says about the file now, or with
    /// the file as it is when it changed since it was opened.
    fn save(&self, request: &EditRequest) -> (StatusCode, String) {
        let saved = self.config().and_then(|(_, divisions)| edit::source_of(&self.root, &divisions, &request.page));
        let path = match saved {
            Ok(path) => path,
            Err(refused) => return self.refuse(StatusCode::UNPROCESSABLE_ENTITY, &request.page, &refused),
        };
        match edit::save(&self.root, &path, &request.text, &request.opened) {
            Ok(()) => {
                let (diagnostics, errors) = self.diagnostics_of(&path);
                let answer = serde_json::json!({
                    "ok": true,
                    "opened": edit::fingerprint(&request.text),
                    "diagnostics": diagnostics,
                    "errors": errors,
                });
                (StatusCode::OK, answer.to_string())
            }
            Err(edit::NotSaved::Conflict { current }) => {
                let answer = serde_json::json!({ "ok": false, "conflict": true, "current": current });
                (StatusCode::CONFLICT, answer.to_string())
            }
            Err(edit::NotSaved::Refused(refused)) => {
                self.refuse(StatusCode::UNPROCESSABLE_ENTITY, &request.page, &refused)
            }
        }
    }

    /// The text of the page's file with the form's changes made: only the keys and sections
    /// the trainer changed are rewritten.
    fn compose(&self, request: &EditRequest) -> (StatusCode, String) {
        let path = match self.config().and_then(|(_, divisions)| edit::source_of(&self.root, &divisions, &request.page))
        {
            Ok(path) => path,
            Err(refused) => return self.refuse(StatusCode::UNPROCESSABLE_ENTITY, &request.page, &refused),
        };
        let Some((kind, ..)) = crate::layout::classify(&self.relative(&path)) else {
            return self.refuse(StatusCode::UNPROCESSABLE_ENTITY, &request.page, &Refused::new("no-form"));
        };
        let role = edit::form::Role::of(&self.root, &path);
        match edit::form::apply(&request.text, kind, role, &request.changes) {
            Ok(text) => {
                let sections = edit::form::parts(&text).map_or(0, |parts| parts.len());
                (StatusCode::OK, serde_json::json!({ "ok": true, "text": text, "sections": sections }).to_string())
            }
            Err(refused) => self.refuse(StatusCode::UNPROCESSABLE_ENTITY, &request.page, &refused),
        }
    }

    /// Each of the file's diagnostics with the form field it concerns (a key, a section), so
    /// the edit page can show it there.
    fn placed(&self, report: &crate::build::Report, path: &Path, text: &str) -> serde_json::Value {
        let rel = self.relative(path);
        let kind = crate::layout::classify(&rel).map(|(kind, ..)| kind);
        let role = edit::form::Role::of(&self.root, path);
        let placed: Vec<serde_json::Value> = report
            .diagnostics
            .sorted()
            .into_iter()
            .filter(|d| d.file == rel)
            .map(|d| {
                let field = kind.zip(d.line).and_then(|(kind, line)| edit::form::field_of_line(text, kind, role, line));
                serde_json::json!({ "field": field, "text": d.render() })
            })
            .collect();
        serde_json::Value::Array(placed)
    }

    /// "Mark reviewed" vouches for the text the reviewer read: the page sends the fingerprint
    /// of the file it was built from, and a file changed since (an edit, a `git pull` whose
    /// page has not been rebuilt) is not marked.
    fn changed_since_built(&self, request: &EditRequest) -> Option<(StatusCode, String)> {
        let path = self.config().and_then(|(_, divisions)| edit::source_of(&self.root, &divisions, &request.page));
        let text = path.and_then(|path| edit::read_text(&self.root, &path));
        match text {
            Ok(text) if edit::fingerprint(&text) == request.opened => None,
            Ok(_) => {
                let why = self.words(&request.page, &Refused::new("changed-since-built"));
                let answer = serde_json::json!({ "ok": false, "changed": true, "error": why });
                Some((StatusCode::CONFLICT, answer.to_string()))
            }
            Err(refused) => Some(self.refuse(StatusCode::UNPROCESSABLE_ENTITY, &request.page, &refused)),
        }
    }

    /// What `touchbook check` says about one file, in its words, and whether any is an error.
    fn diagnostics_of(&self, path: &Path) -> (String, bool) {
        let options = crate::build::BuildOptions::new(self.root.clone(), crate::build::today());
        match crate::build::check(&options) {
            Ok(report) => self.diagnostics_in(&report, path),
            Err(error) => (format!("error: {error:#}"), true),
        }
    }

    pub(super) fn diagnostics_in(&self, report: &crate::build::Report, path: &Path) -> (String, bool) {
        let rel = self.relative(path);
        let mine: Vec<_> = report.diagnostics.sorted().into_iter().filter(|d| d.file == rel).collect();
        let errors = mine.iter().any(|d| d.severity == crate::diagnostics::Severity::Error);
        (mine.iter().map(|d| d.render()).collect::<Vec<_>>().join("\n"), errors)
    }

    /// Checks and renders the site with the page's file replaced by the text being typed; the
    /// answer has the file's diagnostics and, without errors, the page as it would be.
    fn preview(&self, request: &EditRequest) -> (StatusCode, String) {
        let path = match self.config().and_then(|(_, divisions)| edit::source_of(&self.root, &divisions, &request.page))
        {
            Ok(path) => path,
            Err(refused) => return self.refuse(StatusCode::UNPROCESSABLE_ENTITY, &request.page, &refused),
        };
        let options = crate::build::BuildOptions::new(self.root.clone(), crate::build::today());
        match crate::build::check_draft(&options, &self.relative(&path), &request.text) {
            Ok(report) => {
                let (diagnostics, errors) = self.diagnostics_in(&report, &path);
                let page = request.page.trim_start_matches('/');
                let html = report.files.iter().find(|f| f.path == page).map(|f| String::from_utf8_lossy(&f.bytes));
                let at = self.placed(&report, &path, &request.text);
                let answer = serde_json::json!({ "ok": true, "diagnostics": diagnostics, "errors": errors, "html": html, "at": at });
                (StatusCode::OK, answer.to_string())
            }
            Err(error) => self.refuse(StatusCode::UNPROCESSABLE_ENTITY, &request.page, &Refused::failed(&error)),
        }
    }

    /// The edit page of an item's page: the file's text, what `check` says about it, in the
    /// edition's interface language.
    pub(crate) fn page(&self, query: Option<&str>) -> Result<String, Refused> {
        let page = query
            .into_iter()
            .flat_map(|q| url::form_urlencoded::parse(q.as_bytes()))
            .find(|(key, _)| key == "page")
            .map(|(_, value)| value.into_owned())
            .ok_or_else(|| Refused::new("which-page"))?;
        let (config, divisions) = self.config()?;
        let path = edit::source_of(&self.root, &divisions, &page)?;
        let text = edit::read_text(&self.root, &path)?;
        let division = page.trim_start_matches('/').split('/').next().unwrap_or_default();
        let (t, language) = self.strings_of(Some(&config), &page);
        let language = language.as_str();
        let (diagnostics, _) = self.diagnostics_of(&path);
        // The central file a translation is made from, read once for the page and the form.
        let central_file = match edit::central_of(&self.root, &path) {
            Some(central) => Some((edit::read_text(&self.root, &central)?, central)),
            None => None,
        };
        let central = match &central_file {
            Some((central_text, central)) => {
                format!(
                    "{}<section aria-labelledby=\"h-central\"><h2 id=\"h-central\">{}</h2><pre class=\"central-text\" tabindex=\"0\">{}</pre></section>\n",
                    self.central_changes(&t, central, &text, central_text),
                    crate::markdown::escape(t.text("editor.central")),
                    crate::markdown::escape(central_text)
                )
            }
            None => String::new(),
        };
        let rel = self.relative(&path);
        let classified = crate::layout::classify(&rel);
        let kind = classified.map(|(kind, ..)| kind);
        let in_division = config.divisions.iter().any(|d| d.id == division).then_some(division);
        let role = edit::form::Role::of(&self.root, &path);
        // A division's page may be made from the central file, written in the central language.
        let file_division = classified.and_then(|(_, division, _)| division);
        let file_language = config
            .divisions
            .iter()
            .find(|d| Some(d.id.as_str()) == file_division)
            .map_or(&config.language, |d| &d.language);
        let file_strings = (file_language != language).then(|| self.strings_in(Some(&config), file_language));
        let central_document = central_file.as_ref().and_then(|(text, _)| edit::front_matter(text));
        let central_items = match (&central_file, kind) {
            (Some((text, central)), Some(crate::kind::Kind::Touchpoint)) => {
                let strings = self.strings_in(Some(&config), &config.language);
                behaviour_items(&self.relative(central), text, &strings)
            }
            _ => Vec::new(),
        };
        let cx = super::form::Context {
            config: &config,
            central: central_document.as_ref(),
            central_items: &central_items,
            division: in_division,
            role,
            t: &t,
            file_t: file_strings.as_ref().unwrap_or(&t),
        };
        let form = kind.map(|kind| self.form(kind, &text, &cx)).unwrap_or_default();
        // The file's exact text (line endings included, which a text area would change) for
        // the script to rebuild from.
        let exact = serde_json::json!({ "text": text }).to_string().replace("</", "<\\/");
        let e = |key: &str| crate::markdown::escape(t.text(key));
        let (rel, heading) = (crate::markdown::escape(&self.relative(&path)), e("editor.heading"));
        let page_attr = crate::markdown::escape(&page);
        let body = format!(
            r##"<form id="touchbook-editor" data-page="{page}" data-opened="{opened}" data-saved="{saved}" data-kept="{kept}" data-failed="{failed}">
{form}<details id="editor-text"{open}><summary>{as_text}</summary>
<p><label for="source">{source}</label></p>
<textarea id="source" name="source" rows="28" cols="100" spellcheck="true">
{text}</textarea>
</details>
<p><button type="submit">{save}</button> <output id="editor-status" aria-live="polite"></output></p>
</form>
<script type="application/json" id="editor-exact">{exact}</script>
<section aria-labelledby="h-check"><h2 id="h-check">{check}</h2>
<pre id="editor-diagnostics" data-clean="{clean}">{diagnostics}</pre></section>
<section aria-labelledby="h-preview"><h2 id="h-preview">{preview}</h2>
<iframe id="editor-preview" title="{preview}" sandbox width="100%" height="600"></iframe></section>
{central}<section id="editor-conflict" hidden aria-labelledby="h-conflict"><h2 id="h-conflict">{conflict_heading}</h2>
<p>{conflict}</p><p><label for="current">{current}</label></p><textarea id="current" readonly rows="20" cols="100"></textarea></section>
"##,
            page = page_attr,
            opened = edit::fingerprint(&text),
            saved = e("editor.stored"),
            kept = e("editor.kept"),
            failed = e("editor.failed"),
            source = e("editor.source"),
            as_text = e("editor.as-text"),
            open = if form.contains("id=\"editor-form\"") { "" } else { " open" },
            text = crate::markdown::escape(&text),
            save = e("editor.save"),
            check = e("editor.check"),
            clean = e("editor.clean"),
            diagnostics =
                if diagnostics.is_empty() { e("editor.clean") } else { crate::markdown::escape(&diagnostics) },
            preview = e("editor.preview"),
            conflict_heading = e("editor.conflict-heading"),
            conflict = e("editor.conflict"),
            current = e("editor.current"),
        );
        let title = format!("{heading}: {rel}");
        Ok(self.page_shell(
            language,
            &title,
            &format!("{heading}: <code>{rel}</code>"),
            &page,
            &e("editor.back"),
            &body,
        ))
    }

    /// An editor page around `body`: the heading, a link back to the site's `page`, and the
    /// editor's script with the session's token. `title`, `heading` and `back` are HTML.
    pub(super) fn page_shell(
        &self,
        language: &str,
        title: &str,
        heading: &str,
        page: &str,
        back: &str,
        body: &str,
    ) -> String {
        let (language, page, token) = (crate::markdown::escape(language), crate::markdown::escape(page), &self.token);
        format!(
            r##"<!DOCTYPE html>
<html lang="{language}">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title}</title><link rel="stylesheet" href="/static/style.css"></head>
<body><main id="main" class="editor-page">
<h1>{heading}</h1>
<p><a href="{page}">{back}</a></p>
{body}</main>
<script src="{SCRIPT_PATH}" data-token="{token}"></script>
</body></html>
"##
        )
    }

    /// For a translation made from an earlier central text: what changed in the central text
    /// since, from the playbook's git history, or why that cannot be shown.
    fn central_changes(
        &self,
        t: &crate::i18n::Translations,
        central: &Path,
        overlay_text: &str,
        central_text: &str,
    ) -> String {
        let Some(from) = edit::front_matter_string(overlay_text, "localised-from") else { return String::new() };
        if crate::model::central_hash(central_text) == from {
            return String::new();
        }
        let e = |key: &str| crate::markdown::escape(t.text(key));
        let shown = match edit::history::central_changes(&self.root, central, &from, central_text) {
            edit::history::Since::Found(lines) => {
                let lines: String = lines
                    .iter()
                    .map(|(sign, line)| {
                        let (tag, class) = match sign {
                            '-' => ("del", "gone"),
                            '+' => ("ins", "new"),
                            _ => ("span", "kept"),
                        };
                        format!("<{tag} class=\"{class}\">{sign} {}</{tag}>\n", crate::markdown::escape(line))
                    })
                    .collect();
                format!(
                    "<p>{}</p><pre class=\"central-changes\" tabindex=\"0\">{lines}</pre>",
                    e("editor.changes-shown")
                )
            }
            edit::history::Since::NoHistory => {
                format!("<p class=\"central-unknown\">{}</p>", e("editor.changes-no-history"))
            }
            edit::history::Since::NotFound => {
                format!("<p class=\"central-unknown\">{}</p>", e("editor.changes-not-found"))
            }
        };
        format!(
            "<section id=\"central-changes\" aria-labelledby=\"h-changes\"><h2 id=\"h-changes\">{}</h2>{shown}</section>\n",
            e("editor.changes-heading")
        )
    }

    pub(super) fn root(&self) -> &Path {
        &self.root
    }

    pub(super) fn config(&self) -> Result<(crate::config::Config, Vec<String>), Refused> {
        let mut diags = crate::diagnostics::Diagnostics::default();
        let config = crate::config::load(&self.root, &mut diags).ok().flatten();
        let config = config.ok_or_else(|| Refused::new("book-toml"))?;
        let divisions = config.divisions.iter().map(|d| d.id.clone()).collect();
        Ok((config, divisions))
    }

    /// The interface strings of the edition `page` belongs to, and its language; the theme's
    /// English when `book.toml` cannot be read.
    pub(super) fn strings_of(&self, config: Option<&crate::config::Config>, page: &str) -> (Translations, String) {
        let division = page.trim_start_matches('/').split('/').next().unwrap_or_default();
        let language = match config {
            Some(config) => {
                let division = config.divisions.iter().find(|d| d.id == division);
                division.map_or(&config.language, |d| &d.language).clone()
            }
            None => "en".to_string(),
        };
        (self.strings_in(config, &language), language)
    }

    /// The theme's interface strings in `language`.
    pub(super) fn strings_in(&self, config: Option<&crate::config::Config>, language: &str) -> Translations {
        let theme = config.map_or("default", |config| config.theme.as_str());
        let mut diags = crate::diagnostics::Diagnostics::default();
        crate::theme::Theme::load(&self.root, theme, &mut diags).translations(language, &mut diags)
    }

    /// Why an edit was refused, in the words of the edition `page` belongs to.
    pub(super) fn words(&self, page: &str, refused: &Refused) -> String {
        let config = self.config().ok().map(|(config, _)| config);
        refused.words(&self.strings_of(config.as_ref(), page).0)
    }

    /// The answer to a refused request: `{"ok": false, "error": "<why, in the edition's words>"}`.
    pub(super) fn refuse(&self, status: StatusCode, page: &str, refused: &Refused) -> (StatusCode, String) {
        (status, serde_json::json!({ "ok": false, "error": self.words(page, refused) }).to_string())
    }

    pub(super) fn relative(&self, path: &Path) -> String {
        path.strip_prefix(&self.root).unwrap_or(path).to_string_lossy().replace('\\', "/")
    }

    fn write(&self, action: Action, request: &EditRequest) -> Result<String, Refused> {
        let (_, divisions) = self.config()?;
        let path = match action {
            Action::Review => {
                let path = edit::source_of(&self.root, &divisions, &request.page)?;
                let text = edit::read_text(&self.root, &path)?;
                let edited = edit::mark_reviewed(&text, crate::build::today(), &request.name)?;
                edit::write(&self.root, &path, &edited)?;
                path
            }
            Action::Refresh => edit::refresh_translation(&self.root, &divisions, &request.page)?,
            Action::Save | Action::Preview | Action::Checkin | Action::Compose => {
                return Err(Refused::new("unreadable-request"))
            }
            Action::Translate => edit::start_translation(&self.root, &divisions, &request.page)?,
            Action::New => {
                let (division, kind) = edit::list_of(&divisions, &request.page)?;
                let title = request.title.trim();
                if title.is_empty() || title.chars().any(char::is_control) {
                    return Err(Refused::new("title"));
                }
                // The file is named after the title.
                if crate::fields::slugify(title).is_empty() {
                    return Err(Refused::new("title-no-name").with("title", title));
                }
                let today = crate::build::today();
                crate::scaffold::new_item_beside(&self.root, kind, title, division, today)
                    .map_err(|e| Refused::failed(&e))?
            }
        };
        Ok(self.relative(&path))
    }

    /// Whether the request carries this session's token (compared without an early exit).
    fn has_token(&self, headers: &HeaderMap) -> bool {
        let given = headers.get(TOKEN_HEADER).map(|v| v.as_bytes()).unwrap_or_default();
        let own = self.token.as_bytes();
        given.len() == own.len() && given.iter().zip(own).fold(0u8, |acc, (a, b)| acc | (a ^ b)) == 0
    }
}

/// The do and don't items of a central touch point's expected behaviour, in order: what its
/// translations may leave out.
fn behaviour_items(rel_path: &str, text: &str, strings: &Translations) -> Vec<(bool, String)> {
    let source = crate::diagnostics::SourceText::new(rel_path, text);
    let mut diags = crate::diagnostics::Diagnostics::default();
    let Some(split) = crate::frontmatter::split(&source, &mut diags) else { return Vec::new() };
    let body = crate::markdown::parse(&source, split.body, &strings.section_names(), &mut diags);
    body.sections
        .iter()
        .find(|s| s.id == "behaviour")
        .map(|s| crate::markdown::verdict_items(&s.events))
        .unwrap_or_default()
}

/// 128 random bits as hex, from the operating system.
fn new_token() -> String {
    let mut bytes = [0u8; 16];
    let random = std::fs::File::open("/dev/urandom").and_then(|mut f| std::io::Read::read_exact(&mut f, &mut bytes));
    if random.is_err() {
        // Without /dev/urandom, the standard library's per-process random hash keys.
        use std::hash::{BuildHasher, Hasher};
        for (i, chunk) in bytes.chunks_mut(8).enumerate() {
            let mut hasher = std::collections::hash_map::RandomState::new().build_hasher();
            hasher.write_usize(i);
            chunk.copy_from_slice(&hasher.finish().to_le_bytes());
        }
    }
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// Shows the "Mark reviewed" forms of `touchbook serve`'s pages and sends them (`editor.js`).
pub(crate) const SCRIPT: &str = include_str!("editor.js");
