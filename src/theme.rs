//! The theme: templates, static files and interface strings.
//!
//! The default theme lives in `themes/default/` and is embedded in the binary at compile time, so
//! a single executable builds a complete site. A playbook's own `themes/<name>/` overrides it file
//! by file: a trainer can change one template or the stylesheet and keep the rest.

use std::collections::BTreeMap;
use std::path::Path;

use walkdir::WalkDir;

use crate::diagnostics::{Diagnostic, Diagnostics, SourceText};
use crate::i18n::Translations;

/// Lists files of `themes/default/` and embeds each one at compile time.
macro_rules! builtin {
    ($($path:literal),* $(,)?) => {
        &[$(($path, include_str!(concat!("../themes/default/", $path)))),*]
    };
}

/// Every file of the built-in theme, relative to `themes/default/`.
pub const BUILTIN: &[(&str, &str)] = builtin![
    "templates/base.html",
    "templates/search.html",
    "templates/card.html",
    "templates/components.html",
    "templates/index.html",
    "templates/touchpoints.html",
    "templates/touchpoint.html",
    "templates/journey.html",
    "templates/messages.html",
    "templates/message.html",
    "templates/practices.html",
    "templates/practice.html",
    "templates/rollouts.html",
    "templates/rollout.html",
    "templates/plan.html",
    "templates/review.html",
    "templates/status.html",
    "templates/practise.html",
    "templates/404.html",
    "templates/feed.xml",
    "templates/sitemap.xml",
    "static/style.css",
    "static/touchbook.js",
    "static/search.js",
    "static/coaching.css",
    "static/coaching.js",
    "i18n/en.toml",
    "i18n/nb.toml",
    "i18n/da.toml",
    "i18n/sv.toml",
];

/// A file of the built-in theme by its path below `themes/default/`.
fn builtin(path: &str) -> Option<&'static str> {
    BUILTIN.iter().find(|(p, _)| *p == path).map(|(_, text)| *text)
}

/// The interface strings the theme's scripts show, once per edition beside its pages:
/// coaching.js's self-check reads them there rather than from every page that offers it.
pub(crate) const SCRIPT_STRINGS: &str = "strings.js";

/// The theme's files after overrides, as text (every theme file is text).
#[derive(Debug, Clone)]
pub struct Theme {
    /// The theme's name (`build.theme`), for messages.
    pub name: String,
    /// Every file of the theme by path (`templates/page.html`), built-in unless overridden.
    pub files: BTreeMap<String, String>,
}

impl Theme {
    /// The built-in theme with the playbook's `themes/<name>/` laid over it.
    pub fn load(root: &Path, name: &str, diags: &mut Diagnostics) -> Theme {
        let theme = Theme::read(root, name, diags);
        theme.check_scripts(diags);
        theme
    }

    /// A playbook's own `base.html` that loads coaching.js but not [`SCRIPT_STRINGS`] leaves
    /// the self-check out without a word on the page: said here instead.
    fn check_scripts(&self, diags: &mut Diagnostics) {
        let path = "templates/base.html";
        let Some(base) = self.files.get(path) else { return };
        if Some(base.as_str()) == builtin(path) || base.contains(SCRIPT_STRINGS) || !base.contains("coaching.js") {
            return;
        }
        let message = format!(
            "this base.html does not load {SCRIPT_STRINGS}: without it the self-check (\"Practise\") is left out"
        );
        let hint = format!(
            "add <script src=\"{{{{ root }}}}{SCRIPT_STRINGS}\" defer></script> before coaching.js, as the default theme's base.html does"
        );
        let file = format!("themes/{}/{path}", self.name);
        diags.push(Diagnostic::file_error(file, message).with_hint(hint).into_warning());
    }

    fn read(root: &Path, name: &str, diags: &mut Diagnostics) -> Theme {
        let mut files: BTreeMap<String, String> = BUILTIN.iter().map(|(p, c)| (p.to_string(), c.to_string())).collect();
        // `theme` is checked to be a name when book.toml is read; this keeps a theme given
        // otherwise (a test, a fuzz target) from reaching outside `themes/` all the same.
        if !crate::fields::is_theme_name(name) {
            return Theme { name: name.to_string(), files };
        }
        let dir = root.join("themes").join(name);
        if let Err(refused) =
            crate::paths::check_inside(root, &dir).or_else(|e| if dir.exists() { Err(e) } else { Ok(()) })
        {
            let shown = format!("themes/{name}");
            diags.push(
                Diagnostic::file_error(shown, format!("cannot read the theme: {refused}"))
                    .with_hint(crate::paths::HINT),
            );
            return Theme { name: name.to_string(), files };
        }
        if !dir.is_dir() {
            if name != "default" {
                let d = Diagnostic::file_error("book.toml", format!("the theme `{name}` does not exist")).with_hint(
                    format!("create themes/{name}/ with the files to override, or set `theme = \"default\"`"),
                );
                diags.push(d);
            }
            return Theme { name: name.to_string(), files };
        }
        for entry in WalkDir::new(&dir).follow_links(false).sort_by_file_name() {
            let entry = match entry {
                Ok(entry) => entry,
                Err(error) => {
                    let path = error.path().map_or_else(|| dir.display().to_string(), |p| p.display().to_string());
                    diags.push(Diagnostic::file_error(path, format!("cannot read theme file: {error}")));
                    continue;
                }
            };
            let is_link = entry.path_is_symlink();
            if !(entry.file_type().is_file() || is_link) || entry.file_name().to_string_lossy().starts_with('.') {
                continue;
            }
            let rel = entry.path().strip_prefix(&dir).unwrap_or(entry.path()).to_string_lossy().replace('\\', "/");
            let shown = format!("themes/{name}/{rel}");
            if is_link && entry.path().is_dir() {
                continue;
            }
            match crate::paths::read_inside(root, entry.path()) {
                Ok(bytes) => match String::from_utf8(bytes) {
                    Ok(text) => {
                        files.insert(rel, text);
                    }
                    Err(_) => diags.push(Diagnostic::file_error(shown, "cannot read theme file: it is not UTF-8 text")),
                },
                Err(refused) => diags.push(
                    Diagnostic::file_error(shown, format!("cannot read theme file: {refused}"))
                        .with_hint(crate::paths::HINT),
                ),
            }
        }
        Theme { name: name.to_string(), files }
    }

    /// Templates, by name without the `templates/` prefix.
    pub fn templates(&self) -> impl Iterator<Item = (&str, &str)> {
        self.files.iter().filter_map(|(path, text)| Some((path.strip_prefix("templates/")?, text.as_str())))
    }

    /// Where a template comes from, for messages: the playbook's override
    /// (`themes/<name>/templates/<file>`) or the built-in theme's file.
    pub fn template_path(&self, template: &str) -> String {
        let path = format!("templates/{template}");
        let builtin = builtin(&path);
        match self.files.get(&path) {
            Some(text) if Some(text.as_str()) != builtin => format!("themes/{}/{path}", self.name),
            _ => format!("themes/default/{path}"),
        }
    }

    /// Static files, by path below `static/`.
    pub fn static_files(&self) -> impl Iterator<Item = (&str, &str)> {
        self.files.iter().filter_map(|(path, text)| Some((path.strip_prefix("static/")?, text.as_str())))
    }

    /// Interface strings for `language`: the playbook's file laid over the built-in one key by
    /// key, and English under both, so that an override needs only the strings it changes.
    pub fn translations(&self, language: &str, diags: &mut Diagnostics) -> Translations {
        let english = self.i18n("en", diags).unwrap_or_default();
        let mut translations = Translations::from_table(language, english.clone());
        if language == "en" {
            return translations;
        }
        let Some(table) = self.i18n(language, diags) else {
            let message = format!("the theme has no interface strings for `{language}`; English is used");
            let hint = format!("add themes/<theme>/i18n/{language}.toml with the keys of the default theme's en.toml");
            diags.push(Diagnostic::file_error("book.toml", message).with_hint(hint).into_warning());
            return translations;
        };
        let mut missing = Vec::new();
        missing_keys(&english, &table, "", &mut missing);
        if !missing.is_empty() {
            let shown: Vec<&str> = missing.iter().take(8).map(String::as_str).collect();
            let more = if missing.len() > 8 { format!(" and {} more", missing.len() - 8) } else { String::new() };
            let message = format!("{} interface strings are not translated: {}{more}", missing.len(), shown.join(", "));
            let hint = "add them to the file; until then readers see the English text";
            let file = format!("themes/{}/i18n/{language}.toml", self.name);
            diags.push(Diagnostic::file_error(file, message).with_hint(hint).into_warning());
        }
        translations.overlay(table);
        translations
    }

    /// The built-in strings of a language with the playbook's override merged in.
    fn i18n(&self, language: &str, diags: &mut Diagnostics) -> Option<toml::Table> {
        let path = format!("i18n/{language}.toml");
        let builtin = builtin(&path);
        let current = self.files.get(&path).map(String::as_str);
        let mut table = builtin.and_then(|text| text.parse::<toml::Table>().ok());
        if let Some(text) = current.filter(|text| Some(*text) != builtin) {
            match text.parse::<toml::Table>() {
                Ok(over) => match table.as_mut() {
                    Some(table) => crate::i18n::merge(table, over),
                    None => table = Some(over),
                },
                Err(error) => {
                    let source = SourceText::new(format!("themes/{}/{path}", self.name), text);
                    let span = error.span().unwrap_or(0..0);
                    let message = format!("invalid TOML in interface strings: {}", error.message().trim());
                    diags.push(source.error(span, message));
                }
            }
        }
        table
    }
}

/// Dotted paths of the keys of `reference` that `table` lacks.
fn missing_keys(reference: &toml::Table, table: &toml::Table, prefix: &str, missing: &mut Vec<String>) {
    for (key, value) in reference {
        let path = format!("{prefix}{key}");
        match (value, table.get(key)) {
            // Plural forms: each language has the categories its own rules use.
            (toml::Value::Table(inner), Some(toml::Value::Table(other)))
                if inner.contains_key("other") && other.contains_key("other") => {}
            (toml::Value::Table(inner), Some(toml::Value::Table(other))) => {
                missing_keys(inner, other, &format!("{path}."), missing)
            }
            (_, Some(_)) => {}
            (_, None) => missing.push(path),
        }
    }
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeSet;

    use super::*;

    /// A file added to themes/default/ but not to BUILTIN would silently be missing from sites.
    #[test]
    fn every_default_theme_file_is_embedded() {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("themes/default");
        for entry in WalkDir::new(&dir).into_iter().filter_map(Result::ok).filter(|e| e.file_type().is_file()) {
            let rel = entry.path().strip_prefix(&dir).unwrap().to_string_lossy().replace('\\', "/");
            assert!(BUILTIN.iter().any(|(p, _)| *p == rel), "themes/default/{rel} is not listed in theme::BUILTIN");
        }
    }

    /// Every language the default theme ships has every string, so no edition shows English.
    #[test]
    fn default_theme_translations_are_complete() {
        let theme = Theme {
            name: "default".into(),
            files: BUILTIN.iter().map(|(p, c)| (p.to_string(), c.to_string())).collect(),
        };
        for language in ["nb", "da", "sv"] {
            let mut diags = Diagnostics::default();
            theme.translations(language, &mut diags);
            assert!(diags.is_empty(), "{language}: {}", diags.render_text());
        }
    }

    /// Strings that are the same word in English and in some of the languages the theme ships.
    const SAME_AS_ENGLISH: &[&str] = &[
        "nav.index",
        "menu",
        "sections.situation",
        "journey.empty",
        "review.status",
        "status.division",
        "plan.period",
        "upkeep.kind",
        "followup.who",
        "measures.score",
        "messages.touchpoint-count.one",
        "date.format",
        "date.month-format",
        "editor.log-team",
        "upkeep.kind",
        "followup.who",
        "measures.score",
        // `check`'s own words, or the operating system's, passed on as they are.
        "refused.failed",
    ];

    fn builtin_table(language: &str) -> toml::Table {
        builtin(&format!("i18n/{language}.toml")).unwrap().parse().unwrap()
    }

    /// Dotted paths and values of every string (and list of strings) in `table`.
    fn strings(table: &toml::Table, prefix: &str, out: &mut Vec<(String, toml::Value)>) {
        for (key, value) in table {
            match value {
                toml::Value::Table(inner) => strings(inner, &format!("{prefix}{key}."), out),
                value => out.push((format!("{prefix}{key}"), value.clone())),
            }
        }
    }

    fn lookup<'a>(table: &'a toml::Table, path: &str) -> Option<&'a toml::Value> {
        let (first, rest) = path.split_once('.').map_or((path, None), |(a, b)| (a, Some(b)));
        let value = table.get(first)?;
        match rest {
            Some(rest) => lookup(value.as_table()?, rest),
            None => Some(value),
        }
    }

    /// Every English string exists in each language, in that language: a value still equal to
    /// the English one is an untranslated string unless the word is the same in both.
    #[test]
    fn default_theme_strings_are_in_their_own_language() {
        let mut english = Vec::new();
        strings(&builtin_table("en"), "", &mut english);
        for language in ["nb", "da", "sv"] {
            let table = builtin_table(language);
            for (path, value) in &english {
                let translated = lookup(&table, path).unwrap_or_else(|| panic!("{language}: `{path}` is missing"));
                assert!(
                    translated != value || SAME_AS_ENGLISH.contains(&path.as_str()),
                    "{language}: `{path}` is still the English {value}"
                );
            }
        }
    }

    /// A counted string has a form for every plural category the language uses, so that no
    /// count ends up with another category's form ("1 uker").
    #[test]
    fn counted_strings_have_every_plural_form_of_their_language() {
        let mut english = Vec::new();
        strings(&builtin_table("en"), "", &mut english);
        let counted: BTreeSet<&str> = english.iter().filter_map(|(path, _)| path.strip_suffix(".other")).collect();
        assert!(counted.contains("rollout.weeks") && counted.contains("messages.touchpoint-count"));
        for language in ["en", "nb", "da", "sv"] {
            let table = builtin_table(language);
            for path in &counted {
                let forms = lookup(&table, path).and_then(toml::Value::as_table);
                let forms = forms.unwrap_or_else(|| panic!("{language}: `{path}` has no plural forms"));
                for n in 0..=200 {
                    let category = crate::i18n::plural_category(language, n);
                    assert!(forms.contains_key(category), "{language}: `{path}` lacks the `{category}` form ({n})");
                }
            }
        }
    }
}
