//! Typed reading of a spanned TOML table, reporting every problem with its position.
//!
//! `book.toml` and every front matter are parsed into `toml`'s spanned document tree first and
//! then read key by key through [`Fields`]. Unlike `serde` deserialisation, which stops at the
//! first mismatch, this reports every unknown key, wrong type and missing key of a table in one
//! run, each with its line and column and a hint.

use std::ops::Range;

use toml::de::{DeTable, DeValue};
use toml::Spanned;

use crate::diagnostics::{did_you_mean, one_of, Diagnostics, SourceText};

/// A value together with the byte range it came from in its file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Located<T> {
    /// The value read.
    pub value: T,
    /// Where it was written, as bytes of its file.
    pub span: Range<usize>,
}

impl<T> Located<T> {
    /// `value`, written at `span`.
    pub fn new(value: T, span: Range<usize>) -> Self {
        Located { value, span }
    }
}

/// Parses TOML text that starts at byte `base` of `source`; syntax errors go to `diags`.
pub fn parse_table<'i>(
    source: &SourceText,
    text: &'i str,
    base: usize,
    diags: &mut Diagnostics,
) -> Option<Spanned<DeTable<'i>>> {
    let (table, errors) = DeTable::parse_recoverable(text);
    if errors.is_empty() {
        return Some(table);
    }
    for error in errors {
        let span = error.span().unwrap_or(0..0);
        let span = base + span.start..base + span.end;
        let message = error.message().trim().trim_end_matches('.').to_string();
        diags.push(source.error(span, format!("invalid TOML: {message}")).with_hint(
            "TOML values look like `key = \"text\"`, `key = 3`, `key = [\"a\", \"b\"]` or `key = 2026-03-01`",
        ));
    }
    None
}

/// How a trainer would name the type of a TOML value.
fn type_name(value: &DeValue<'_>) -> &'static str {
    match value {
        DeValue::String(_) => "text",
        DeValue::Integer(_) => "a whole number",
        DeValue::Float(_) => "a decimal number",
        DeValue::Boolean(_) => "true/false",
        DeValue::Datetime(_) => "a date",
        DeValue::Array(_) => "a list",
        DeValue::Table(_) => "a table",
    }
}

/// Reads the keys of one TOML table; created with the list of keys the table may have.
pub struct Fields<'a, 'i> {
    source: &'a SourceText,
    base: usize,
    table: &'a DeTable<'i>,
    /// Where to point when a required key is missing.
    anchor: Range<usize>,
    /// What the table is, for messages: "touch point front matter", "\[book\]".
    what: &'a str,
    diags: &'a mut Diagnostics,
}

impl<'a, 'i> Fields<'a, 'i> {
    /// Reports every key not in `allowed` as unknown.
    pub fn new(
        source: &'a SourceText,
        base: usize,
        table: &'a DeTable<'i>,
        anchor: Range<usize>,
        what: &'a str,
        allowed: &[&str],
        diags: &'a mut Diagnostics,
    ) -> Self {
        for (key, _) in table.iter() {
            if !allowed.contains(&key.get_ref().as_ref()) {
                let span = base + key.span().start..base + key.span().end;
                let hint = did_you_mean(key.get_ref(), allowed.iter().copied())
                    .unwrap_or_else(|| format!("{what} may have: {}", one_of(allowed)));
                diags.push(source.error(span, format!("unknown key `{}` in {what}", key.get_ref())).with_hint(hint));
            }
        }
        Fields { source, base, table, anchor, what, diags }
    }

    /// The file the table was read from.
    pub fn source(&self) -> &SourceText {
        self.source
    }

    /// Where problems go.
    pub fn diags(&mut self) -> &mut Diagnostics {
        self.diags
    }

    /// Byte range of a spanned item, in file offsets.
    pub fn span_of<T>(&self, item: &Spanned<T>) -> Range<usize> {
        self.base + item.span().start..self.base + item.span().end
    }

    fn get(&self, key: &str) -> Option<&'a Spanned<DeValue<'i>>> {
        self.table.iter().find(|(k, _)| k.get_ref().as_ref() == key).map(|(_, v)| v)
    }

    /// Whether the table has `key` at all.
    pub fn has(&self, key: &str) -> bool {
        self.get(key).is_some()
    }

    /// Span of the key itself (for "add something here" messages), or the table anchor.
    pub fn key_span(&self, key: &str) -> Range<usize> {
        match self.table.iter().find(|(k, _)| k.get_ref().as_ref() == key) {
            Some((k, _)) => self.span_of(k),
            None => self.anchor.clone(),
        }
    }

    fn wrong_type(&mut self, key: &str, value: &Spanned<DeValue<'i>>, expected: &str, example: &str) {
        let span = self.span_of(value);
        let found = type_name(value.get_ref());
        let message = format!("`{key}` must be {expected}, found {found}");
        self.diags.push(self.source.error(span, message).with_hint(format!("write it like `{key} = {example}`")));
    }

    /// Reports that the required `key` is missing, with an example value for the hint.
    pub fn missing(&mut self, key: &str, example: &str) {
        let message = format!("missing required key `{key}` in {}", self.what);
        let hint = format!("add a line like `{key} = {example}`");
        self.diags.push(self.source.error(self.anchor.clone(), message).with_hint(hint));
    }

    /// The string at `key`, if present; anything else is reported.
    pub fn string(&mut self, key: &str) -> Option<Located<String>> {
        let value = self.get(key)?;
        match value.get_ref() {
            DeValue::String(s) => Some(Located::new(s.to_string(), self.span_of(value))),
            _ => {
                self.wrong_type(key, value, "text in quotes", "\"...\"");
                None
            }
        }
    }

    /// A web address that content may link to: relative, or with a scheme the HTML policy
    /// allows (`javascript:` and `data:` are refused here, with the key's position).
    pub fn url(&mut self, key: &str) -> Option<Located<String>> {
        let value = self.string(key)?;
        if crate::html_policy::url_allowed(&value.value) {
            return Some(value);
        }
        let message = format!("`{key}` is not an address a page may link to");
        let hint = crate::html_policy::url_hint();
        self.diags.push(self.source.error(value.span, message).with_hint(hint));
        None
    }

    /// A string that must be present and not blank.
    pub fn required_string(&mut self, key: &str, example: &str) -> Option<Located<String>> {
        if self.get(key).is_none() {
            self.missing(key, example);
            return None;
        }
        let value = self.string(key)?;
        if value.value.trim().is_empty() {
            let message = format!("`{key}` must not be empty");
            self.diags.push(
                self.source.error(value.span.clone(), message).with_hint(format!("write it like `{key} = {example}`")),
            );
            return None;
        }
        Some(value)
    }

    /// The boolean at `key`, if present; anything else is reported.
    pub fn bool(&mut self, key: &str) -> Option<bool> {
        let value = self.get(key)?;
        match value.get_ref() {
            DeValue::Boolean(b) => Some(*b),
            _ => {
                self.wrong_type(key, value, "true or false", "true");
                None
            }
        }
    }

    /// An integer within `range` (inclusive).
    pub fn integer(&mut self, key: &str, range: std::ops::RangeInclusive<i64>, meaning: &str) -> Option<Located<i64>> {
        let value = self.get(key)?;
        let number = match value.get_ref() {
            DeValue::Integer(i) => i64::from_str_radix(i.as_str(), i.radix()).ok(),
            _ => None,
        };
        let Some(number) = number else {
            let example = range.start().to_string();
            self.wrong_type(key, value, &format!("a whole number from {} to {}", range.start(), range.end()), &example);
            return None;
        };
        if !range.contains(&number) {
            let span = self.span_of(value);
            let message = format!("`{key}` is {number}, but must be from {} to {}", range.start(), range.end());
            self.diags.push(self.source.error(span, message).with_hint(meaning.to_string()));
            return None;
        }
        Some(Located::new(number, self.span_of(value)))
    }

    /// A calendar date without time (`2026-03-01`).
    pub fn date(&mut self, key: &str) -> Option<Located<time::Date>> {
        let value = self.get(key)?;
        let date = match value.get_ref() {
            DeValue::Datetime(dt) if dt.time.is_none() && dt.offset.is_none() => dt.date.and_then(|d| {
                let month = time::Month::try_from(d.month).ok()?;
                time::Date::from_calendar_date(i32::from(d.year), month, d.day).ok()
            }),
            _ => None,
        };
        match date {
            Some(date) => Some(Located::new(date, self.span_of(value))),
            None => {
                let span = self.span_of(value);
                let found = match value.get_ref() {
                    DeValue::String(s) => format!("the text \"{s}\""),
                    DeValue::Datetime(_) => "a date with a time".to_string(),
                    other => type_name(other).to_string(),
                };
                let message = format!("`{key}` must be a date, found {found}");
                let hint = format!("write the date without quotes as year-month-day, like `{key} = 2026-03-01`");
                self.diags.push(self.source.error(span, message).with_hint(hint));
                None
            }
        }
    }

    /// A list of strings; a single string is accepted as a list of one only where it reads
    /// naturally, so it is reported with a fix instead.
    pub fn string_list(&mut self, key: &str) -> Option<Vec<Located<String>>> {
        let value = self.get(key)?;
        let DeValue::Array(items) = value.get_ref() else {
            let example = match value.get_ref() {
                DeValue::String(s) => format!("[\"{s}\"]"),
                _ => "[\"a\", \"b\"]".to_string(),
            };
            self.wrong_type(key, value, "a list in square brackets", &example);
            return None;
        };
        let mut out = Vec::new();
        for item in items.iter() {
            match item.get_ref() {
                DeValue::String(s) => out.push(Located::new(s.to_string(), self.span_of(item))),
                other => {
                    let span = self.span_of(item);
                    let message = format!("every item of `{key}` must be text in quotes, found {}", type_name(other));
                    self.diags.push(
                        self.source.error(span, message).with_hint(format!("write it like `{key} = [\"a\", \"b\"]`")),
                    );
                }
            }
        }
        Some(out)
    }

    /// A list of numbers, whole or decimal, with the list's span.
    pub fn number_list(&mut self, key: &str) -> Option<Located<Vec<Located<f64>>>> {
        let value = self.get(key)?;
        let DeValue::Array(items) = value.get_ref() else {
            self.wrong_type(key, value, "a list of numbers in square brackets", "[1, 3, 6, 12]");
            return None;
        };
        let mut out = Vec::new();
        for item in items.iter() {
            let number = match item.get_ref() {
                DeValue::Integer(i) => i64::from_str_radix(i.as_str(), i.radix()).ok().map(|i| i as f64),
                DeValue::Float(f) => f.as_str().replace('_', "").parse::<f64>().ok(),
                _ => None,
            };
            match number {
                Some(number) => out.push(Located::new(number, self.span_of(item))),
                None => {
                    let span = self.span_of(item);
                    let message =
                        format!("every item of `{key}` must be a number, found {}", type_name(item.get_ref()));
                    self.diags.push(
                        self.source.error(span, message).with_hint(format!("write it like `{key} = [1, 3, 6, 12]`")),
                    );
                    return None;
                }
            }
        }
        Some(Located::new(out, self.span_of(value)))
    }

    /// A nested table, e.g. `[divisions.norge]` or an inline `campaign = { ... }`.
    pub fn table(&mut self, key: &str) -> Option<(&'a DeTable<'i>, Range<usize>)> {
        let value = self.get(key)?;
        match value.get_ref() {
            DeValue::Table(t) => Some((t, self.key_span(key))),
            _ => {
                self.wrong_type(key, value, "a table", "{ ... }");
                None
            }
        }
    }

    /// The tables of an array of tables (`[[week]]`), each with where it starts, in document
    /// order; anything else in the list is reported.
    pub fn table_list(&mut self, key: &str) -> Vec<(&'a DeTable<'i>, Range<usize>)> {
        let Some(value) = self.get(key) else {
            return Vec::new();
        };
        let DeValue::Array(items) = value.get_ref() else {
            let span = self.span_of(value);
            let message = format!("`{key}` must be a list of tables, found {}", type_name(value.get_ref()));
            let hint = format!("start each entry with `[[{key}]]`, in two square brackets");
            self.diags.push(self.source.error(span, message).with_hint(hint));
            return Vec::new();
        };
        let mut out = Vec::new();
        for item in items.iter() {
            match item.get_ref() {
                DeValue::Table(t) => out.push((t, self.span_of(item))),
                other => {
                    let span = self.span_of(item);
                    let message = format!("every entry of `{key}` must be a table, found {}", type_name(other));
                    self.diags.push(
                        self.source.error(span, message).with_hint(format!("start each entry with a `[[{key}]]` line")),
                    );
                }
            }
        }
        out
    }

    /// Every entry of a table whose keys are free (e.g. `[labels]`), with string values.
    pub fn string_map(&mut self, key: &str) -> Vec<(Located<String>, Located<String>)> {
        let Some((table, _)) = self.table(key) else {
            return Vec::new();
        };
        let mut out = Vec::new();
        for (k, v) in table.iter() {
            match v.get_ref() {
                DeValue::String(s) => out.push((
                    Located::new(k.get_ref().to_string(), self.span_of(k)),
                    Located::new(s.to_string(), self.span_of(v)),
                )),
                other => {
                    let span = self.span_of(v);
                    let message = format!("`{key}.{}` must be text in quotes, found {}", k.get_ref(), type_name(other));
                    self.diags.push(
                        self.source
                            .error(span, message)
                            .with_hint(format!("write it like `{} = \"...\"`", k.get_ref())),
                    );
                }
            }
        }
        out
    }

    /// Every entry of a table whose keys are free and whose values are lists of text (e.g.
    /// `[search.synonyms]`), in document order.
    pub fn string_list_map(&mut self, key: &str) -> Vec<(Located<String>, Vec<Located<String>>)> {
        let Some((table, _)) = self.table(key) else {
            return Vec::new();
        };
        let mut out = Vec::new();
        for (k, v) in table.iter() {
            let name = k.get_ref().to_string();
            let DeValue::Array(items) = v.get_ref() else {
                let span = self.span_of(v);
                let message =
                    format!("`{key}.{name}` must be a list in square brackets, found {}", type_name(v.get_ref()));
                let hint = format!("write it like `{name} = [\"a\", \"b\"]`");
                self.diags.push(self.source.error(span, message).with_hint(hint));
                continue;
            };
            let mut values = Vec::new();
            for item in items.iter() {
                match item.get_ref() {
                    DeValue::String(s) => values.push(Located::new(s.to_string(), self.span_of(item))),
                    other => {
                        let span = self.span_of(item);
                        let message =
                            format!("every item of `{key}.{name}` must be text in quotes, found {}", type_name(other));
                        self.diags.push(
                            self.source
                                .error(span, message)
                                .with_hint(format!("write it like `{name} = [\"a\", \"b\"]`")),
                        );
                    }
                }
            }
            out.push((Located::new(name, self.span_of(k)), values));
        }
        out
    }

    /// A sub-reader over a nested table.
    pub fn nested(
        &mut self,
        table: &'a DeTable<'i>,
        anchor: Range<usize>,
        what: &'a str,
        allowed: &[&str],
    ) -> Fields<'_, 'i> {
        Fields::new(self.source, self.base, table, anchor, what, allowed, self.diags)
    }

    /// Keys of a table whose entries are tables (e.g. `[divisions.*]`), in document order.
    pub fn subtables(&mut self, key: &str) -> Vec<(Located<String>, &'a DeTable<'i>)> {
        let Some((table, _)) = self.table(key) else {
            return Vec::new();
        };
        let mut out = Vec::new();
        for (k, v) in table.iter() {
            match v.get_ref() {
                DeValue::Table(t) => out.push((Located::new(k.get_ref().to_string(), self.span_of(k)), t)),
                other => {
                    let span = self.span_of(v);
                    let message = format!("`{key}.{}` must be a table, found {}", k.get_ref(), type_name(other));
                    self.diags.push(
                        self.source
                            .error(span, message)
                            .with_hint(format!("write it as a section: `[{key}.{}]`", k.get_ref())),
                    );
                }
            }
        }
        out.sort_by_key(|(k, _)| k.span.start);
        out
    }
}

/// Whether `name` can name a theme folder under `themes/`: letters, digits, `-` and `_`, so a
/// theme can never be a path.
pub fn is_theme_name(name: &str) -> bool {
    !name.is_empty() && name.bytes().all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_'))
}

/// Whether `id` is a valid item id: lowercase ASCII letters, digits and `-`, not empty.
pub fn is_valid_id(id: &str) -> bool {
    !id.is_empty() && id.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
}

/// A valid id derived from free text, for hints and for `touchbook new`.
pub fn slugify(text: &str) -> String {
    let mut slug = String::new();
    for c in text.chars().flat_map(char::to_lowercase) {
        let mapped = match c {
            'æ' => "ae",
            'ø' | 'ö' => "o",
            'å' | 'ä' => "a",
            'ü' => "u",
            'é' | 'è' => "e",
            c if c.is_ascii_alphanumeric() => {
                slug.push(c);
                continue;
            }
            _ => "-",
        };
        slug.push_str(mapped);
    }
    slug.split('-').filter(|s| !s.is_empty()).collect::<Vec<_>>().join("-")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugify_makes_valid_ids() {
        assert_eq!(slugify("Kunden ber om å snakke med sjefen!"), "kunden-ber-om-a-snakke-med-sjefen");
        assert!(is_valid_id(&slugify("Ærlig  Øl & Åre")));
        assert!(!is_valid_id("Password_Reset"));
    }
}
