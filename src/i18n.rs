//! Interface strings in the page's language, and dates written the way that language writes them.
//!
//! Strings come from the theme's `i18n/<language>.toml`; any key missing there falls back to the
//! English file, so a half-translated theme still builds complete pages.

use std::collections::HashMap;

use time::Date;

use crate::markdown::SectionNames;
use crate::model::touchpoint_sections;

/// The interface strings of one language (with English filling the gaps).
#[derive(Debug, Clone, Default)]
pub struct Translations {
    pub language: String,
    table: toml::Table,
}

impl Translations {
    pub fn from_table(language: &str, table: toml::Table) -> Self {
        Translations { language: language.to_string(), table }
    }

    /// Lays `other` over these strings, key by key and table by table.
    pub fn overlay(&mut self, other: toml::Table) {
        merge(&mut self.table, other);
    }

    /// A string by dotted path (`sections.behaviour`), or the path itself if no file has it,
    /// so that a missing string is visible on the page instead of breaking the build.
    pub fn get(&self, path: &str) -> String {
        let mut value: Option<&toml::Value> = None;
        let mut table = Some(&self.table);
        for part in path.split('.') {
            value = table.and_then(|t| t.get(part));
            table = value.and_then(toml::Value::as_table);
        }
        value.and_then(toml::Value::as_str).map_or_else(|| path.to_string(), str::to_string)
    }

    fn list(&self, path: &str) -> Vec<String> {
        let (table, key) = path.split_once('.').unwrap_or(("", path));
        let table =
            if table.is_empty() { Some(&self.table) } else { self.table.get(table).and_then(toml::Value::as_table) };
        table
            .and_then(|t| t.get(key))
            .and_then(toml::Value::as_array)
            .map(|a| a.iter().filter_map(|v| v.as_str().map(str::to_string)).collect())
            .unwrap_or_default()
    }

    /// The name of level `n` (1–5) of the frequency or difficulty scale.
    pub fn level(&self, scale: &str, n: u8) -> String {
        let levels = self.list(&format!("scale.{scale}-levels"));
        levels.get(usize::from(n.saturating_sub(1))).cloned().unwrap_or_else(|| n.to_string())
    }

    /// All strings as one value for templates (`{{ t.nav.journey }}`).
    pub fn to_value(&self) -> tera::Value {
        tera::Value::try_from_serializable(&self.table).unwrap_or_else(|_| tera::Value::none())
    }

    /// `3 March 2026`, `3. mars 2026`, ... following `date.format` and `date.months`.
    pub fn date(&self, date: Date) -> String {
        let months = self.list("date.months");
        let month =
            months.get(usize::from(u8::from(date.month())) - 1).cloned().unwrap_or_else(|| date.month().to_string());
        self.get("date.format")
            .replace("{day}", &date.day().to_string())
            .replace("{month}", &month)
            .replace("{year}", &date.year().to_string())
    }

    /// A month heading, e.g. `March 2026`.
    pub fn month(&self, year: i32, month: time::Month) -> String {
        let months = self.list("date.months");
        let name = months.get(usize::from(u8::from(month)) - 1).cloned().unwrap_or_else(|| month.to_string());
        self.get("date.month-format").replace("{month}", &name).replace("{year}", &year.to_string())
    }

    /// A short month name for calendar columns.
    pub fn short_month(&self, month: time::Month) -> String {
        let months = self.list("date.short-months");
        months.get(usize::from(u8::from(month)) - 1).cloned().unwrap_or_else(|| month.to_string())
    }

    /// How section headings are recognised in this language (labels of known sections, "week").
    pub fn section_names(&self) -> SectionNames {
        let mut labels = HashMap::new();
        for id in touchpoint_sections() {
            labels.insert(self.get(&format!("sections.{id}")).to_lowercase(), id.to_string());
            for alias in self.list(&format!("section-aliases.{id}")) {
                labels.insert(alias.to_lowercase(), id.to_string());
            }
        }
        let mut week_words = vec![self.get("rollout.week").to_lowercase()];
        if !week_words.contains(&"week".to_string()) {
            week_words.push("week".into());
        }
        SectionNames { labels, ids: touchpoint_sections().iter().map(|s| s.to_string()).collect(), week_words }
    }
}

/// Lays `over` onto `base`, table by table and key by key.
pub fn merge(base: &mut toml::Table, over: toml::Table) {
    for (key, value) in over {
        match (base.get_mut(&key), value) {
            (Some(toml::Value::Table(base_table)), toml::Value::Table(over_table)) => merge(base_table, over_table),
            (_, value) => {
                base.insert(key, value);
            }
        }
    }
}
