//! Interface strings in the page's language, and dates written the way that language writes them.
//!
//! Strings come from the theme's `i18n/<language>.toml`; any key missing there falls back to the
//! English file, so a half-translated theme still builds complete pages.

use std::collections::HashMap;

use time::Date;

use crate::kind::{RENAMED_SECTIONS, TOUCHPOINT_SECTIONS};
use crate::markdown::SectionNames;

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
        self.text(path).to_string()
    }

    /// [`Translations::get`] without the copy, for strings every page shows.
    pub fn text<'a>(&'a self, path: &'a str) -> &'a str {
        self.value(path).and_then(toml::Value::as_str).unwrap_or(path)
    }

    fn value(&self, path: &str) -> Option<&toml::Value> {
        let mut value: Option<&toml::Value> = None;
        let mut table = Some(&self.table);
        for part in path.split('.') {
            value = table.and_then(|t| t.get(part));
            table = value.and_then(toml::Value::as_table);
        }
        value
    }

    /// A number with its noun (`1 uke`, `3 uker`): the form of `path` for `n` (see
    /// [`Translations::counted`]) with `{count}` replaced. A form without `{count}` is a bare
    /// noun, as themes wrote them before plural forms, and follows the number.
    pub fn count(&self, path: &str, n: u64) -> String {
        let form = self.plural_form(path, n);
        if form.contains("{count}") {
            form.replace("{count}", &n.to_string())
        } else {
            format!("{n} {form}")
        }
    }

    /// The form of `path` for `n` with each `{name}` of `fills` replaced. A counted string is a
    /// table of the language's CLDR plural categories (`one`, `few`, `many`, `other`, ...);
    /// a category the table lacks falls back to `other`, and a plain string serves every count.
    pub fn counted(&self, path: &str, n: u64, fills: &[(&str, &str)]) -> String {
        let mut text = self.plural_form(path, n).to_string();
        for (name, value) in fills {
            text = text.replace(&format!("{{{name}}}"), value);
        }
        text
    }

    fn plural_form<'a>(&'a self, path: &'a str, n: u64) -> &'a str {
        match self.value(path) {
            Some(toml::Value::Table(forms)) => forms
                .get(plural_category(&self.language, n))
                .or_else(|| forms.get("other"))
                .and_then(toml::Value::as_str)
                .unwrap_or(path),
            Some(toml::Value::String(text)) => text,
            _ => path,
        }
    }

    /// The name of `language` in this language (`engelsk` for `en` in Norwegian), or its code.
    pub fn language_name(&self, language: &str) -> String {
        let path = format!("language-names.{language}");
        self.value(&path).and_then(toml::Value::as_str).unwrap_or(language).to_string()
    }

    /// The strings of a list (`date.months`), or none.
    fn list(&self, path: &str) -> impl Iterator<Item = &str> {
        let (table, key) = path.split_once('.').unwrap_or(("", path));
        let table =
            if table.is_empty() { Some(&self.table) } else { self.table.get(table).and_then(toml::Value::as_table) };
        table
            .and_then(|t| t.get(key))
            .and_then(toml::Value::as_array)
            .into_iter()
            .flatten()
            .filter_map(toml::Value::as_str)
    }

    /// The `n`th string (from 1) of a list: a month's name, a level of a scale. Dates and
    /// levels are on every card and page, so this borrows rather than copying the list.
    fn nth(&self, path: &str, n: usize) -> Option<&str> {
        self.list(path).nth(n.checked_sub(1)?)
    }

    /// The name of level `n` (1–5) of the frequency or difficulty scale.
    pub fn level(&self, scale: &str, n: u8) -> String {
        self.nth(&format!("scale.{scale}-levels"), usize::from(n)).map_or_else(|| n.to_string(), str::to_string)
    }

    /// All strings as one value for templates (`{{ t.nav.journey }}`).
    pub fn to_value(&self) -> tera::Value {
        tera::Value::try_from_serializable(&self.table).unwrap_or_else(|_| tera::Value::none())
    }

    /// The tables `names` (`practise`, `verdict`) as one JSON object, for a script that shows
    /// their strings. A name no file has is left out.
    pub fn tables_json(&self, names: &[&str]) -> String {
        let picked: toml::Table =
            names.iter().filter_map(|name| Some((name.to_string(), self.table.get(*name)?.clone()))).collect();
        // Strings, tables and lists always serialise; with an empty object the scripts leave
        // out what needs the strings.
        serde_json::to_string(&picked).unwrap_or_else(|_| "{}".to_string())
    }

    /// `3 March 2026`, `3. mars 2026`, ... following `date.format` and `date.months`.
    pub fn date(&self, date: Date) -> String {
        let month = self.month_name("date.months", date.month());
        self.text("date.format")
            .replace("{day}", &date.day().to_string())
            .replace("{month}", &month)
            .replace("{year}", &date.year().to_string())
    }

    /// A month with its year as running text writes it, e.g. `March 2026`, `mars 2026`.
    pub fn month(&self, year: i32, month: time::Month) -> String {
        let name = self.month_name("date.months", month);
        self.get("date.month-format").replace("{month}", &name).replace("{year}", &year.to_string())
    }

    /// How numbers are written in this language (`[number]`: thousands and decimal separators).
    pub fn number_format(&self) -> NumberFormat {
        NumberFormat { thousands: self.get("number.thousands"), decimal: self.get("number.decimal") }
    }

    /// A short month name for calendar columns.
    pub fn short_month(&self, month: time::Month) -> String {
        self.month_name("date.short-months", month)
    }

    /// A month's name from the list at `path`, or its English name if the list lacks it.
    fn month_name(&self, path: &str, month: time::Month) -> String {
        self.nth(path, usize::from(u8::from(month))).map_or_else(|| month.to_string(), str::to_string)
    }

    /// How section headings are recognised in this language (labels of known sections, "week").
    pub fn section_names(&self) -> SectionNames {
        let mut labels = HashMap::new();
        let mut headings = HashMap::new();
        for id in TOUCHPOINT_SECTIONS {
            let heading = self.get(&format!("sections.{id}"));
            labels.insert(heading.to_lowercase(), id.to_string());
            headings.insert(id.to_string(), heading);
            for alias in self.list(&format!("section-aliases.{id}")) {
                labels.insert(alias.to_lowercase(), id.to_string());
            }
        }
        let mut week_words = vec![self.get("rollout.week").to_lowercase()];
        if !week_words.contains(&"week".to_string()) {
            week_words.push("week".into());
        }
        let ids = TOUCHPOINT_SECTIONS.iter().map(|s| s.to_string()).collect();
        let renamed = RENAMED_SECTIONS.iter().map(|(old, new)| (old.to_string(), new.to_string())).collect();
        SectionNames { labels, ids, renamed, week_words, headings }
    }
}

/// The CLDR plural category of `n` in `language` (`one`, `other`, ...). A language the rules do
/// not know gets the commonest rule: `one` for 1 only.
pub(crate) fn plural_category(language: &str, n: u64) -> &'static str {
    use intl_pluralrules::{PluralCategory, PluralRuleType, PluralRules};
    // The rules are keyed by language alone (`ru`, not `ru-RU`), so a region falls back to it.
    let rules = language.parse::<unic_langid::LanguageIdentifier>().ok().and_then(|id| {
        let language_only = unic_langid::LanguageIdentifier::from_parts(id.language, None, None, &[]);
        PluralRules::create(id, PluralRuleType::CARDINAL)
            .or_else(|_| PluralRules::create(language_only, PluralRuleType::CARDINAL))
            .ok()
    });
    match rules.and_then(|rules| rules.select(n).ok()) {
        Some(PluralCategory::ZERO) => "zero",
        Some(PluralCategory::ONE) => "one",
        Some(PluralCategory::TWO) => "two",
        Some(PluralCategory::FEW) => "few",
        Some(PluralCategory::MANY) => "many",
        Some(PluralCategory::OTHER) => "other",
        None if n == 1 => "one",
        None => "other",
    }
}

/// `desember 2026` → `Desember 2026`: a heading starts with a capital letter even where the
/// language writes the word that begins it (a month, a weekday) in lowercase.
pub(crate) fn capitalise_first(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// Lays `over` onto `base`, table by table and key by key.
pub(crate) fn merge(base: &mut toml::Table, over: toml::Table) {
    for (key, value) in over {
        match (base.get_mut(&key), value) {
            (Some(toml::Value::Table(base_table)), toml::Value::Table(over_table)) => merge(base_table, over_table),
            (_, value) => {
                base.insert(key, value);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn norwegian() -> Translations {
        let table = r#"
            [date]
            format = "{day}. {month} {year}"
            month-format = "{month} {year}"
            months = ["januar", "februar", "mars"]
            [scale]
            frequency-levels = ["Sjelden", "Månedlig"]
        "#;
        Translations::from_table("nb", table.parse().unwrap())
    }

    #[test]
    fn dates_and_levels_use_the_language_s_names() {
        let strings = norwegian();
        let date = Date::from_calendar_date(2026, time::Month::March, 3).unwrap();
        assert_eq!(strings.date(date), "3. mars 2026");
        assert_eq!(strings.month(2026, time::Month::January), "januar 2026");
        assert_eq!(strings.level("frequency", 2), "Månedlig");
    }

    #[test]
    fn a_script_gets_the_tables_it_names_as_json() {
        let strings = norwegian();
        let json: serde_json::Value = serde_json::from_str(&strings.tables_json(&["scale", "nowhere"])).unwrap();
        assert_eq!(json, serde_json::json!({ "scale": { "frequency-levels": ["Sjelden", "Månedlig"] } }));
    }

    fn counted() -> Translations {
        let table = r#"
            weeks = { one = "{count} uke", other = "{count} uker" }
            bare = "situasjoner"
            range = { one = "Uke {weeks}", other = "Uker {weeks}" }
            few = { one = "{count} tydzień", few = "{count} tygodnie", many = "{count} tygodni", other = "{count} tygodnia" }
        "#;
        Translations::from_table("nb", table.parse().unwrap())
    }

    #[test]
    fn counts_take_the_language_s_plural_form() {
        let strings = counted();
        assert_eq!(strings.count("weeks", 1), "1 uke");
        assert_eq!(strings.count("weeks", 0), "0 uker");
        assert_eq!(strings.count("weeks", 16), "16 uker");
        assert_eq!(strings.count("weeks", 21), "21 uker", "Norwegian has no 21-is-singular rule");
        assert_eq!(strings.count("bare", 3), "3 situasjoner", "a plain noun follows the number");
        assert_eq!(strings.counted("range", 1, &[("weeks", "3")]), "Uke 3");
        assert_eq!(strings.counted("range", 3, &[("weeks", "3–5")]), "Uker 3–5");
        assert_eq!(strings.count("missing", 2), "2 missing", "a missing string shows its path");
    }

    #[test]
    fn plural_categories_follow_cldr_for_any_language() {
        for language in ["en", "nb", "da", "sv"] {
            assert_eq!(plural_category(language, 1), "one", "{language}");
            for n in [0, 2, 5, 11, 21, 101] {
                assert_eq!(plural_category(language, n), "other", "{language} {n}");
            }
        }
        let mut polish = counted();
        polish.language = "pl".into();
        assert_eq!(polish.count("few", 1), "1 tydzień");
        assert_eq!(polish.count("few", 3), "3 tygodnie");
        assert_eq!(polish.count("few", 5), "5 tygodni");
        assert_eq!(polish.count("few", 22), "22 tygodnie");
        assert_eq!(plural_category("pl-PL", 22), "few", "a language with a region takes the language's rules");
        assert_eq!(plural_category("ru-ru", 21), "one");
        assert_eq!(plural_category("xx-unknown", 1), "one", "an unknown language: one for 1 only");
        assert_eq!(plural_category("xx-unknown", 2), "other");
    }

    #[test]
    fn headings_start_with_a_capital_letter() {
        let strings = norwegian();
        assert_eq!(capitalise_first(&strings.month(2026, time::Month::March)), "Mars 2026");
        assert_eq!(capitalise_first("ølkasse"), "Ølkasse");
        assert_eq!(capitalise_first("ĳsselmeer"), "Ĳsselmeer");
        assert_eq!(capitalise_first(""), "");
    }

    #[test]
    fn names_missing_from_a_list_fall_back_rather_than_fail() {
        let strings = norwegian();
        assert_eq!(strings.short_month(time::Month::May), "May", "no short names: the English name");
        assert_eq!(strings.month(2026, time::Month::April), "April 2026", "the list stops at March");
        assert_eq!(strings.level("frequency", 5), "5", "beyond the list: the number");
        assert_eq!(strings.level("frequency", 0), "0", "level 0 is not the last name");
    }
}

/// The separators of numbers in one language: `1,240.5` in English, `1 240,5` in Norwegian.
#[derive(Debug, Clone)]
pub struct NumberFormat {
    pub thousands: String,
    pub decimal: String,
}

impl NumberFormat {
    /// A whole number with its thousands grouped.
    pub fn whole(&self, n: u64) -> String {
        let mut out = String::new();
        self.push_whole(&mut out, n);
        out
    }

    /// [`whole`](Self::whole) written onto the end of `out`, for tables of many numbers.
    pub fn push_whole(&self, out: &mut String, n: u64) {
        let mut buffer = [0u8; 20];
        let mut at = buffer.len();
        let mut rest = n;
        loop {
            at -= 1;
            buffer[at] = b'0' + (rest % 10) as u8;
            rest /= 10;
            if rest == 0 {
                break;
            }
        }
        let digits = &buffer[at..];
        for (i, digit) in digits.iter().enumerate() {
            if i > 0 && (digits.len() - i).is_multiple_of(3) {
                out.push_str(&self.thousands);
            }
            out.push(char::from(*digit));
        }
    }

    /// A number rounded to `decimals` places, with a minus sign where it is negative.
    pub fn decimal(&self, x: f64, decimals: usize) -> String {
        let mut out = String::new();
        self.push_decimal(&mut out, x, decimals);
        out
    }

    /// [`decimal`](Self::decimal) written onto the end of `out`.
    pub fn push_decimal(&self, out: &mut String, x: f64, decimals: usize) {
        let Some(scaled) = scaled(x.abs(), decimals) else {
            let text = format!("{:.*}", decimals, x.abs());
            let (whole, fraction) = text.split_once('.').unwrap_or((&text, ""));
            if x < 0.0 && text.bytes().any(|b| matches!(b, b'1'..=b'9')) {
                out.push('\u{2212}');
            }
            self.push_whole(out, whole.parse().unwrap_or(0));
            if !fraction.is_empty() {
                out.push_str(&self.decimal);
                out.push_str(fraction);
            }
            return;
        };
        if x < 0.0 && scaled > 0 {
            out.push('\u{2212}');
        }
        let unit = 10u64.pow(decimals as u32);
        self.push_whole(out, scaled / unit);
        if decimals > 0 {
            out.push_str(&self.decimal);
            push_padded(out, scaled % unit, decimals);
        }
    }
}

/// `x` (not negative) times 10^`decimals`, rounded as `format!("{x:.decimals$}")` rounds it
/// (the exact binary value, halfway to even), without formatting it: `None` for values too
/// large to be worth it, for the caller to format. Tables write a dozen such numbers on each of
/// tens of thousands of pages, and the formatter's exact rounding of a value like 4.25 is slow.
fn scaled(x: f64, decimals: usize) -> Option<u64> {
    if decimals > 6 || !x.is_finite() || x < 0.0 || x * 10f64.powi(decimals as i32) >= 1e15 {
        return None;
    }
    // x is mantissa × 2^exponent exactly; times 10^decimals it is below 2^73.
    let bits = x.to_bits();
    let biased = ((bits >> 52) & 0x7ff) as i32;
    let fraction = u128::from(bits & ((1 << 52) - 1));
    let (mantissa, exponent) = if biased == 0 { (fraction, -1074) } else { (fraction | 1 << 52, biased - 1075) };
    let product = mantissa * 10u128.pow(decimals as u32);
    if exponent >= 0 {
        return u64::try_from(product << exponent).ok();
    }
    let shift = exponent.unsigned_abs();
    if shift > 100 {
        return Some(0);
    }
    let (whole, rest, half) = (product >> shift, product & ((1 << shift) - 1), 1u128 << (shift - 1));
    let rounded = match rest.cmp(&half) {
        std::cmp::Ordering::Less => whole,
        std::cmp::Ordering::Greater => whole + 1,
        std::cmp::Ordering::Equal => whole + (whole & 1),
    };
    u64::try_from(rounded).ok()
}

/// Writes `n` with at least `width` digits, zeros in front.
fn push_padded(out: &mut String, n: u64, width: usize) {
    let mut number = itoa::Buffer::new();
    let digits = number.format(n);
    out.extend(std::iter::repeat_n('0', width.saturating_sub(digits.len())));
    out.push_str(digits);
}

/// `x` with `decimals` places and a `.`, written exactly as `format!("{x:.decimals$}")` writes
/// it: for attributes machines read back.
pub(crate) fn push_fixed(out: &mut String, x: f64, decimals: usize) {
    let Some(scaled) = scaled(x.abs(), decimals) else {
        let _ = std::fmt::Write::write_fmt(out, format_args!("{:.*}", decimals, x));
        return;
    };
    if x.is_sign_negative() {
        out.push('-');
    }
    let unit = 10u64.pow(decimals as u32);
    out.push_str(itoa::Buffer::new().format(scaled / unit));
    if decimals > 0 {
        out.push('.');
        push_padded(out, scaled % unit, decimals);
    }
}

#[cfg(test)]
mod number_tests {
    use super::NumberFormat;

    #[test]
    fn fixed_decimals_are_written_as_the_formatter_writes_them() {
        let nb = NumberFormat { thousands: "\u{a0}".into(), decimal: ",".into() };
        let mut values = vec![0.0, -0.0, 4.125, 4.135, 0.005, 2.675, -3.25, 1e16, 123_456.789, -0.004, 99.995];
        values.extend([5e-324, 1e-300, 0.5, 1.5, 2.5, -2.5, 99_999_999_999.95, 999_999_999_999.5, 4.5e14, 1e15]);
        values.extend((0..20_000).map(|i| f64::from(i) / 997.0 - 5.0));
        // Values exactly halfway between two roundings at one to four decimals, which the
        // formatter rounds to even, and the scores of a survey (a mean of whole answers).
        values.extend((0..4_000).map(|i| f64::from(i) / 16.0 - 100.0));
        values.extend(
            (1..400).flat_map(|answers| (answers..=5 * answers).map(move |sum| f64::from(sum) / f64::from(answers))),
        );
        for x in values {
            for decimals in 0..4 {
                let mut fixed = String::new();
                super::push_fixed(&mut fixed, x, decimals);
                assert_eq!(fixed, format!("{x:.decimals$}"), "{x} to {decimals}");
                let mut shown = String::new();
                nb.push_decimal(&mut shown, x, decimals);
                let plain = shown.replace('\u{a0}', "").replace(',', ".").replace('\u{2212}', "-");
                let expected = format!("{:.decimals$}", x.abs());
                let negative = x < 0.0 && expected.bytes().any(|b| matches!(b, b'1'..=b'9'));
                assert_eq!(plain, format!("{}{expected}", if negative { "-" } else { "" }), "{x} to {decimals}");
            }
        }
    }

    #[test]
    fn numbers_are_written_the_language_s_way() {
        let en = NumberFormat { thousands: ",".into(), decimal: ".".into() };
        let nb = NumberFormat { thousands: "\u{a0}".into(), decimal: ",".into() };
        assert_eq!(en.whole(1240), "1,240");
        assert_eq!(en.whole(999), "999");
        assert_eq!(en.whole(1_000_000), "1,000,000");
        assert_eq!(nb.whole(1240), "1\u{a0}240");
        assert_eq!(nb.decimal(4.26, 1), "4,3");
        assert_eq!(en.decimal(-12.0, 0), "\u{2212}12");
        assert_eq!(en.decimal(-0.01, 1), "0.0");
    }
}
