//! What one edition knows from the help desk's data, per touch point, and the figures pages
//! show: the last 12 months, shares of contacts, the frequency they give, and satisfaction
//! before and since a date.

use std::collections::HashMap;
use std::sync::Arc;

use time::Date;

use crate::config::Config;
use crate::diagnostics::{Diagnostics, SourceText};
use crate::model::Playbook;

/// How many verbatims a touch point keeps (the newest): its page shows them all.
pub(super) const VERBATIMS_KEPT: usize = 3;
/// How many months charts and shares look back, the latest month of the data included.
pub(crate) const WINDOW_MONTHS: i32 = 12;
/// How far before a rollout's start its "before" figure looks.
pub(super) const WEEKS_BEFORE: i64 = 12;

/// A calendar month, counted from year 0 so that months compare and subtract as numbers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Month(i32);

impl Month {
    pub fn new(year: i32, month: u8) -> Month {
        Month(year * 12 + i32::from(month) - 1)
    }

    /// `2026-03` (the month column of an export); `None` for anything else.
    pub fn parse(text: &str) -> Option<Month> {
        let bytes = text.trim().as_bytes();
        let digit = |i: usize| bytes.get(i).filter(|b| b.is_ascii_digit()).map(|b| i32::from(b - b'0'));
        if bytes.len() != 7 || bytes[4] != b'-' {
            return None;
        }
        let year = digit(0)? * 1000 + digit(1)? * 100 + digit(2)? * 10 + digit(3)?;
        let month = digit(5)? * 10 + digit(6)?;
        (1..=12).contains(&month).then(|| Month(year * 12 + month - 1))
    }

    pub fn of(date: Date) -> Month {
        Month::new(date.year(), date.month() as u8)
    }

    pub fn year(self) -> i32 {
        self.0.div_euclid(12)
    }

    pub fn month(self) -> time::Month {
        time::Month::try_from(u8::try_from(self.0.rem_euclid(12) + 1).unwrap_or(1)).unwrap_or(time::Month::January)
    }

    /// The month `n` months earlier.
    pub fn back(self, n: i32) -> Month {
        Month(self.0 - n)
    }

    /// The day that stands for the month when it is compared with a date: a month counts on
    /// the side of a rollout's start that its middle falls on.
    pub fn middle(self) -> Date {
        Date::from_calendar_date(self.year(), self.month(), 15).unwrap_or(Date::MIN)
    }
}

impl std::fmt::Display for Month {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{:04}-{:02}", self.year(), self.month() as u8)
    }
}

/// The scale satisfaction is measured on, named by the score column of the export.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scale {
    /// Customer satisfaction: the mean answer from 1 (very dissatisfied) to 5 (very satisfied).
    Csat,
    /// Net promoter score: promoters minus detractors, in percent, from -100 to 100.
    Nps,
}

impl Scale {
    /// The column name, and the scale's name in the JSON export.
    pub fn name(self) -> &'static str {
        match self {
            Scale::Csat => "csat",
            Scale::Nps => "nps",
        }
    }

    pub fn range(self) -> (f64, f64) {
        match self {
            Scale::Csat => (1.0, 5.0),
            Scale::Nps => (-100.0, 100.0),
        }
    }

    /// Decimals a score is shown with.
    pub fn decimals(self) -> usize {
        match self {
            Scale::Csat => 1,
            Scale::Nps => 0,
        }
    }

    /// A score as a band from 1 (poor) to 5 (excellent), for colouring the journey map.
    pub fn band(self, score: f64) -> u8 {
        let bounds: [f64; 4] = match self {
            Scale::Csat => [3.0, 3.5, 4.0, 4.5],
            Scale::Nps => [-20.0, 0.0, 20.0, 50.0],
        };
        1 + bounds.iter().filter(|b| score >= **b).count() as u8
    }
}

/// Satisfaction answers summed up: a mean that can be added to others, weighted by answers.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Score {
    /// Score times answers, summed.
    pub weighted: f64,
    pub answers: u64,
}

impl Score {
    pub fn add(&mut self, other: Score) {
        self.weighted += other.weighted;
        self.answers = self.answers.saturating_add(other.answers);
    }

    pub fn mean(self) -> Option<f64> {
        (self.answers > 0).then(|| self.weighted / self.answers as f64)
    }
}

/// A customer's own words about a touch point.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Verbatim {
    pub date: Date,
    /// A channel id of the journey.
    pub channel: String,
    pub text: String,
}

/// Values by month, kept in an array from the first month that has one: a touch point's
/// months are few and mostly consecutive, so indexing by month offset beats a map in both time
/// and memory at millions of rows.
#[derive(Debug, Clone, PartialEq)]
pub struct Monthly<T> {
    /// The first month with a value (meaningless while there is none).
    first: Month,
    /// From `first` on; the last one always has a value, so equal series compare equal.
    values: Vec<Option<T>>,
}

impl<T> Default for Monthly<T> {
    fn default() -> Self {
        Monthly { first: Month(0), values: Vec::new() }
    }
}

impl<T: Copy> Monthly<T> {
    pub fn get(&self, month: Month) -> Option<T> {
        let offset = usize::try_from(month.0 - self.first.0).ok()?;
        self.values.get(offset).copied().flatten()
    }

    /// Adds `value` to the month's value with `combine` (or sets it when the month has none).
    pub fn add(&mut self, month: Month, value: T, combine: impl FnOnce(&mut T, T)) {
        if self.values.is_empty() {
            self.first = month;
        } else if month < self.first {
            let before = (self.first.0 - month.0) as usize;
            self.values.splice(0..0, std::iter::repeat_n(None, before));
            self.first = month;
        }
        let offset = (month.0 - self.first.0) as usize;
        if offset >= self.values.len() {
            self.values.resize(offset + 1, None);
        }
        match &mut self.values[offset] {
            Some(old) => combine(old, value),
            slot => *slot = Some(value),
        }
    }

    /// Every month with a value, oldest first.
    pub fn iter(&self) -> impl Iterator<Item = (Month, T)> + '_ {
        let first = self.first.0;
        self.values.iter().enumerate().filter_map(move |(i, v)| v.map(|v| (Month(first + i as i32), v)))
    }

    /// The latest month with a value.
    pub fn last(&self) -> Option<Month> {
        (!self.values.is_empty()).then(|| Month(self.first.0 + self.values.len() as i32 - 1))
    }
}

/// One touch point's data in one edition.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Figures {
    /// Contacts per month.
    pub volumes: Monthly<u64>,
    pub satisfaction: Monthly<Score>,
    /// The newest verbatims, newest first.
    pub verbatims: Vec<Verbatim>,
    /// The front matter's frequency, when the data's replaced it.
    pub declared_frequency: Option<u8>,
    /// Contacts over the last 12 months of the edition's data (`None`: it has no volumes then)
    /// and satisfaction then, worked out once by [`EditionData::finish`]: its page, its card,
    /// the lists and the JSON export each ask for them.
    window_contacts: Option<u64>,
    window_score: Score,
}

impl Figures {
    /// Contacts over the last 12 months of the edition's data, if it has volumes then.
    pub fn window_contacts(&self) -> Option<u64> {
        self.window_contacts
    }

    /// Satisfaction over the last 12 months of the edition's data.
    pub fn window_score(&self) -> Score {
        self.window_score
    }
}

/// Satisfaction with a set of touch points before a date and since.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct BeforeAfter {
    pub before: Score,
    pub since: Score,
}

/// Everything one edition knows from the data.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct EditionData {
    /// The scale of the satisfaction figures (`None`: no satisfaction data).
    pub scale: Option<Scale>,
    /// The latest month in the edition's data: the last 12 months end here.
    pub latest: Option<Month>,
    /// Months of the last 12 that have contact volumes at all.
    pub volume_months: u64,
    /// Contacts over the last 12 months, every touch point together.
    pub total: u64,
    /// By touch point id: looked up a dozen times for each touch point of a build.
    pub touchpoints: rustc_hash::FxHashMap<String, Figures>,
}

impl EditionData {
    pub fn is_empty(&self) -> bool {
        self.touchpoints.is_empty()
    }

    pub fn figures(&self, id: &str) -> Option<&Figures> {
        self.touchpoints.get(id)
    }

    /// The last 12 months, oldest first (none without data).
    pub fn months(&self) -> Vec<Month> {
        self.latest.map_or_else(Vec::new, |latest| (0..WINDOW_MONTHS).rev().map(|n| latest.back(n)).collect())
    }

    /// Contacts about a touch point over the last 12 months, if it has volumes then.
    pub fn contacts(&self, id: &str) -> Option<u64> {
        self.figures(id)?.window_contacts()
    }

    /// Contacts a month on average over the months of the last 12 that have volumes.
    pub fn per_month(&self, id: &str) -> Option<u64> {
        self.per_month_of(self.figures(id)?)
    }

    /// [`per_month`](Self::per_month) of figures already looked up.
    pub fn per_month_of(&self, figures: &Figures) -> Option<u64> {
        let contacts = figures.window_contacts?;
        Some(contacts.saturating_add(self.volume_months / 2) / self.volume_months.max(1))
    }

    /// The touch point's share of all contacts over the last 12 months, from 0 to 1.
    pub fn share(&self, id: &str) -> Option<f64> {
        self.share_of(self.figures(id)?)
    }

    /// [`share`](Self::share) of figures already looked up.
    pub fn share_of(&self, figures: &Figures) -> Option<f64> {
        let contacts = figures.window_contacts?;
        Some(if self.total == 0 { 0.0 } else { contacts as f64 / self.total as f64 })
    }

    /// Satisfaction with a touch point over the last 12 months.
    pub fn satisfaction(&self, id: &str) -> Score {
        self.figures(id).map_or_else(Score::default, Figures::window_score)
    }

    /// Satisfaction with some touch points together, over the months `keep` says.
    pub fn satisfaction_where<'a>(
        &self,
        ids: impl IntoIterator<Item = &'a str>,
        keep: impl Fn(Month) -> bool,
    ) -> Score {
        let mut score = Score::default();
        for figures in ids.into_iter().filter_map(|id| self.figures(id)) {
            figures.satisfaction.iter().filter(|(m, _)| keep(*m)).for_each(|(_, s)| score.add(s));
        }
        score
    }

    /// Satisfaction with these touch points in the 12 weeks before `start` and since it (months
    /// counted on the side their middle falls on).
    pub fn before_after<'a>(&self, ids: impl IntoIterator<Item = &'a str> + Clone, start: Date) -> BeforeAfter {
        let from = start.saturating_sub(time::Duration::weeks(WEEKS_BEFORE));
        BeforeAfter {
            before: self.satisfaction_where(ids.clone(), |m| (from..start).contains(&m.middle())),
            since: self.satisfaction_where(ids, |m| m.middle() >= start),
        }
    }

    /// Works out the window and totals once every row is in, and keeps the newest verbatims.
    pub(super) fn finish(&mut self) {
        let months = self.touchpoints.values().flat_map(|f| f.volumes.last().into_iter().chain(f.satisfaction.last()));
        self.latest = months.max();
        let mut with_volumes = std::collections::BTreeSet::new();
        let mut total = 0;
        let latest = self.latest;
        let in_window = |month: Month| latest.is_some_and(|l| l.back(WINDOW_MONTHS) < month && month <= l);
        for figures in self.touchpoints.values_mut() {
            let mut contacts = None;
            for (month, n) in figures.volumes.iter().filter(|(m, _)| in_window(*m)) {
                with_volumes.insert(month);
                total = u64::saturating_add(total, n);
                contacts = Some(contacts.map_or(n, |sum: u64| sum.saturating_add(n)));
            }
            figures.window_contacts = contacts;
            figures.window_score = Score::default();
            for (_, score) in figures.satisfaction.iter().filter(|(m, _)| in_window(*m)) {
                figures.window_score.add(score);
            }
        }
        self.total = total;
        self.volume_months = with_volumes.len() as u64;
    }
}

/// The frequency step (1–5) a share of contacts gives, by the thresholds of `[data]` (in
/// millionths: a share of at least the first threshold is 2, and so on).
pub(super) fn frequency_of(share: f64, thresholds: &[u32; 4]) -> u8 {
    let millionths = share * 1_000_000.0;
    1 + thresholds.iter().filter(|t| millionths >= f64::from(**t)).count() as u8
}

/// Replaces the declared frequency of every touch point the data has volumes for, and warns
/// where the declared one is two or more steps away (the trainer's guess is worth a look).
/// `central` holds the central files of touch points: a division's translation that does not
/// write `frequency` has the central file's, so the warning points there.
pub(super) fn apply_frequencies(
    playbook: &mut Playbook,
    data: &mut EditionData,
    (config, central): (&Config, &HashMap<String, Arc<SourceText>>),
    diags: &mut Diagnostics,
) {
    let division = playbook.division.clone();
    let edition = division.as_ref().map(|d| d.name.clone());
    for tp in &mut playbook.touchpoints {
        let Some(share) = data.share(&tp.item.id) else { continue };
        let derived = frequency_of(share, &config.frequency_shares);
        let declared = tp.frequency;
        if declared.abs_diff(derived) >= 2 {
            let written = std::iter::once(&tp.item.source)
                .chain(central.get(&tp.item.id))
                .find_map(|source| front_matter_value(&source.text, "frequency").map(|span| (source, span)));
            if let Some((source, span)) = written {
                let whose = edition.as_ref().map(|name| format!(" in {name}")).unwrap_or_default();
                let message = format!(
                    "`frequency` is {declared}, but the contact data{whose} says {derived} ({:.1}% of contacts over the last 12 months)",
                    share * 100.0
                );
                let in_central = central.get(&tp.item.id).is_some_and(|c| c.rel_path == source.rel_path);
                let hint = match division.as_ref().filter(|_| in_central) {
                    // The central file speaks for every edition: a division's own value goes in
                    // its translation.
                    Some(d) => {
                        let translation = if tp.item.source.rel_path == source.rel_path {
                            format!("`touchbook localise {} {}` starts one", d.id, tp.item.id)
                        } else {
                            tp.item.source.rel_path.clone()
                        };
                        format!(
                            "{}'s pages use {derived}, from its data; write `frequency = {derived}` in its translation ({translation}), or change `frequency-shares` in [data] in book.toml",
                            d.name
                        )
                    }
                    None => format!(
                        "pages use {derived}, from the data; write `frequency = {derived}` so the file agrees, or change `frequency-shares` in [data] in book.toml"
                    ),
                };
                diags.push(source.warning(span, message).with_hint(hint));
            }
        }
        if let Some(figures) = data.touchpoints.get_mut(&tp.item.id) {
            figures.declared_frequency = Some(declared);
        }
        tp.frequency = derived;
    }
}

/// Where the value of a top-level key of a file's front matter is, to point a warning at it.
fn front_matter_value(text: &str, key: &str) -> Option<std::ops::Range<usize>> {
    let mut offset = 0;
    let mut fences = 0;
    for line in text.split_inclusive('\n') {
        let trimmed = line.trim_end();
        if trimmed == "+++" {
            fences += 1;
            if fences == 2 {
                return None;
            }
        } else if fences == 1 {
            if let Some(rest) = trimmed.strip_prefix(key) {
                if let Some(value) = rest.trim_start().strip_prefix('=') {
                    let start = offset + (trimmed.len() - value.trim_start().len());
                    return Some(start..offset + trimmed.len());
                }
            }
        }
        offset += line.len();
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn months_parse_and_count() {
        let march = Month::parse("2026-03").unwrap();
        assert_eq!(march.to_string(), "2026-03");
        assert_eq!(march.back(3).to_string(), "2025-12");
        assert_eq!(Month::parse(" 1999-12\t"), Some(Month::new(1999, 12)));
        assert_eq!(Month::parse("0000-01"), Some(Month::new(0, 1)));
        for bad in
            ["2026-13", "2026-00", "2026-3", "26-03", "2026/03", "2026-03-01", "", "+026-03", "2026-+3", "2026--3"]
        {
            assert_eq!(Month::parse(bad), None, "{bad}");
        }
        for bad in ["２０２６-03", "2026-0３", "2026 03", "202603-", "-202603"] {
            assert_eq!(Month::parse(bad), None, "{bad}");
        }
    }

    #[test]
    fn monthly_values_add_up_in_any_order() {
        let month = |m: &str| Month::parse(m).unwrap();
        let mut forwards = Monthly::default();
        let mut backwards = Monthly::default();
        let rows = [("2025-11", 5), ("2026-02", 7), ("2026-02", 1), ("2025-09", 3)];
        for (m, n) in rows {
            forwards.add(month(m), n, |a, b| *a += b);
        }
        for (m, n) in rows.iter().rev() {
            backwards.add(month(m), *n, |a, b| *a += b);
        }
        assert_eq!(forwards, backwards);
        let listed: Vec<(String, u64)> = forwards.iter().map(|(m, n)| (m.to_string(), n)).collect();
        assert_eq!(listed, [("2025-09".to_string(), 3), ("2025-11".into(), 5), ("2026-02".into(), 8)]);
        assert_eq!(forwards.get(month("2025-10")), None);
        assert_eq!(forwards.get(month("2025-08")), None);
        assert_eq!(forwards.get(month("2026-03")), None);
        assert_eq!(forwards.last(), Some(month("2026-02")));
        assert_eq!(Monthly::<u64>::default().last(), None);
    }

    #[test]
    fn shares_give_frequency_steps() {
        let thresholds = crate::config::DEFAULT_FREQUENCY_SHARES;
        assert_eq!(frequency_of(0.0, &thresholds), 1);
        assert_eq!(frequency_of(0.01, &thresholds), 2);
        assert_eq!(frequency_of(0.05, &thresholds), 3);
        assert_eq!(frequency_of(0.06, &thresholds), 4);
        assert_eq!(frequency_of(0.5, &thresholds), 5);
    }

    #[test]
    fn the_frequency_value_is_found_in_front_matter() {
        let text = "+++\ntitle = \"x\"\nfrequency = 4\n+++\nfrequency = 2\n";
        assert_eq!(&text[front_matter_value(text, "frequency").unwrap()], "4");
        assert_eq!(front_matter_value("+++\n+++\nfrequency = 2\n", "frequency"), None);
    }
}
