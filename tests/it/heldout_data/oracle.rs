//! What the held-out fixture's rows say, worked out by a plain reading of its CSV files: the
//! fixture's categories written out as a table, the window, sums and weighted means, and the
//! rollouts' before and since. Also the few readers of pages the tests share.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use time::{Date, Duration, Month as CalendarMonth};

use crate::support::*;

pub const FIXTURE: &str = "heldout-data";
pub const EDITIONS: [&str; 3] = ["", "norge", "sverige"];

/// The fixture's `frequency-shares = [2, 8, 15, 30]`, in percent.
pub const SHARES: [f64; 4] = [2.0, 8.0, 15.0, 30.0];

/// One export of the fixture: its separator and which of its columns hold what.
pub struct Export {
    pub file: &'static str,
    pub separator: u8,
    pub touchpoint: &'static str,
    /// Month (volumes, satisfaction) or date (comments).
    pub when: &'static str,
    /// Contacts, score or the comment's text.
    pub value: &'static str,
    /// Answers, or the comment's channel.
    pub extra: &'static str,
}

pub const VOLUMES: [Export; 2] = [
    Export {
        file: "contacts-2026.csv",
        separator: b',',
        touchpoint: "Category",
        when: "Period",
        value: "Tickets",
        extra: "",
    },
    Export {
        file: "contacts-2025.csv",
        separator: b';',
        touchpoint: "Touch point",
        when: "Month",
        value: "Volume",
        extra: "",
    },
];
pub const SATISFACTION: [Export; 2] = [
    Export {
        file: "csat-nordic.csv",
        separator: b';',
        touchpoint: "Touch_Point",
        when: "Period",
        value: "Score",
        extra: "Responses",
    },
    Export {
        file: "csat-central.csv",
        separator: b',',
        touchpoint: "touchpoint",
        when: "month",
        value: "csat",
        extra: "answers",
    },
];
pub const COMMENTS: Export = Export {
    file: "comments-2026.csv",
    separator: b',',
    touchpoint: "Touchpoint",
    when: "Date",
    value: "Comment",
    extra: "Channel",
};

/// The rows of an export as maps from column name (as written) to field, BOM left aside.
pub fn records(dir: &Path, export: &Export) -> Vec<BTreeMap<String, String>> {
    let text = read(dir.join("data").join(export.file));
    let text = text.trim_start_matches('\u{feff}');
    let mut reader = csv::ReaderBuilder::new().delimiter(export.separator).from_reader(text.as_bytes());
    let header: Vec<String> = reader.headers().unwrap().iter().map(str::to_string).collect();
    reader.records().map(|r| header.iter().cloned().zip(r.unwrap().iter().map(str::to_string)).collect()).collect()
}

/// The edition a row's `Division` field names: by id or name, in any case.
pub fn edition_of(row: &BTreeMap<String, String>) -> &'static str {
    let division = row.get("Division").or_else(|| row.get("division")).map_or(String::new(), |d| d.to_lowercase());
    EDITIONS.iter().find(|e| **e == division).unwrap_or_else(|| panic!("division {division}"))
}

/// Which touch point a help-desk name means in an edition: the fixture's `categories`, written
/// out. Norway's overlay of `login-help` lists its own categories instead of the central ones.
pub fn touchpoint_of(edition: &str, key: &str) -> String {
    let key = key.to_lowercase();
    let login = match edition {
        "norge" => &["glemt passord", "password reset"][..],
        _ => &["password reset", "account locked", "2fa problems"][..],
    };
    let table: [(&str, &[&str]); 8] = [
        ("login-help", login),
        ("billing-dispute", &["invoice question", "wrong invoice"]),
        ("address-change", &["moving", "address, change"]),
        ("cancel-contract", &[]),
        ("delivery-delay", &["late delivery"]),
        ("refund-request", &["refund"]),
        ("bankid-login", &["bankid"]),
        ("swish-payment", &["swish-betalning"]),
    ];
    let found = table.iter().find(|(id, categories)| *id == key || categories.contains(&key.as_str()));
    found.map(|(id, _)| id.to_string()).unwrap_or_else(|| panic!("{key} in {edition:?}"))
}

/// Months as numbers (year × 12 + month − 1), so that they count back.
pub fn month_number(text: &str) -> i32 {
    text[..4].parse::<i32>().unwrap() * 12 + text[5..7].parse::<i32>().unwrap() - 1
}

pub fn month_text(n: i32) -> String {
    format!("{:04}-{:02}", n / 12, n % 12 + 1)
}

/// What an edition's rows say, added up by a plain reading of the exports.
#[derive(Default)]
pub struct Expected {
    pub volumes: BTreeMap<(String, String), u64>,
    /// Score × answers, and answers.
    pub scores: BTreeMap<(String, String), (f64, u64)>,
    /// Date, text, channel as written: in file order.
    pub comments: Vec<(String, String, String, String)>,
}

impl Expected {
    pub fn of(dir: &Path, edition: &str) -> Expected {
        Expected::with(dir, edition, &SATISFACTION)
    }

    /// An edition's figures with the satisfaction in `satisfaction`'s files.
    pub fn with(dir: &Path, edition: &str, satisfaction: &[Export]) -> Expected {
        let mut expected = Expected::default();
        for export in &VOLUMES {
            for row in records(dir, export).into_iter().filter(|r| edition_of(r) == edition) {
                let key = (touchpoint_of(edition, &row[export.touchpoint]), row[export.when].clone());
                *expected.volumes.entry(key).or_default() += row[export.value].parse::<u64>().unwrap();
            }
        }
        for export in satisfaction {
            for row in records(dir, export).into_iter().filter(|r| edition_of(r) == edition) {
                let key = (touchpoint_of(edition, &row[export.touchpoint]), row[export.when].clone());
                let score: f64 = row[export.value].replace(',', ".").parse().unwrap();
                let answers: u64 = row[export.extra].parse().unwrap();
                let entry = expected.scores.entry(key).or_default();
                entry.0 += score * answers as f64;
                entry.1 += answers;
            }
        }
        for row in records(dir, &COMMENTS).into_iter().filter(|r| edition_of(r) == edition) {
            let id = touchpoint_of(edition, &row[COMMENTS.touchpoint]);
            let date = row[COMMENTS.when][..10].to_string();
            expected.comments.push((id, date, row[COMMENTS.value].clone(), row[COMMENTS.extra].clone()));
        }
        expected
    }

    /// The last 12 months: the latest month with volumes or scores and the eleven before it.
    pub fn window(&self) -> Vec<String> {
        let months = self.volumes.keys().chain(self.scores.keys()).map(|(_, m)| month_number(m));
        let latest = months.max().unwrap();
        (0..12).rev().map(|n| month_text(latest - n)).collect()
    }

    pub fn contacts(&self, id: &str) -> Option<u64> {
        let window = self.window();
        let found: Vec<u64> =
            self.volumes.iter().filter(|((tp, m), _)| tp == id && window.contains(m)).map(|(_, n)| *n).collect();
        (!found.is_empty()).then(|| found.iter().sum())
    }

    pub fn total(&self) -> u64 {
        let window = self.window();
        self.volumes.iter().filter(|((_, m), _)| window.contains(m)).map(|(_, n)| n).sum()
    }

    /// Months of the window in which any touch point has volumes.
    pub fn volume_months(&self) -> u64 {
        let window = self.window();
        self.volumes.keys().map(|(_, m)| m).filter(|m| window.contains(m)).collect::<BTreeSet<_>>().len() as u64
    }

    /// Satisfaction with some touch points over the months `keep` accepts: mean and answers.
    pub fn score(&self, ids: &[&str], keep: impl Fn(&str) -> bool) -> (Option<f64>, u64) {
        let (mut weighted, mut answers) = (0.0, 0);
        for ((tp, month), (w, n)) in &self.scores {
            if ids.contains(&tp.as_str()) && keep(month) {
                weighted += w;
                answers += n;
            }
        }
        ((answers > 0).then(|| weighted / answers as f64), answers)
    }

    pub fn in_window(&self) -> impl Fn(&str) -> bool {
        let window = self.window();
        move |m: &str| window.iter().any(|w| w == m)
    }

    /// The three newest comments on a touch point, newest first (one day's in file order).
    pub fn newest_comments(&self, id: &str) -> Vec<(String, String, String)> {
        let mut found: Vec<_> = self.comments.iter().filter(|c| c.0 == id).collect();
        found.sort_by(|a, b| b.1.cmp(&a.1));
        found.into_iter().take(3).map(|c| (c.1.clone(), c.2.clone(), c.3.clone())).collect()
    }
}

pub fn step(share: f64) -> u64 {
    1 + SHARES.iter().filter(|t| share * 100.0 >= **t).count() as u64
}

pub fn prefix(edition: &str) -> String {
    if edition.is_empty() {
        String::new()
    } else {
        format!("{edition}/")
    }
}

pub fn json(site: &Path, edition: &str) -> serde_json::Value {
    serde_json::from_str(&read(site.join(prefix(edition)).join("touchpoints.json"))).expect("touchpoints.json is JSON")
}

pub fn entry<'a>(json: &'a serde_json::Value, id: &str) -> &'a serde_json::Value {
    json["touchpoints"].as_array().unwrap().iter().find(|t| t["id"] == id).unwrap_or_else(|| panic!("{id}"))
}

/// The touch points of an edition, as the fixture has them.
pub fn touchpoints(edition: &str) -> Vec<&'static str> {
    let mut ids = vec![
        "login-help",
        "billing-dispute",
        "address-change",
        "cancel-contract",
        "delivery-delay",
        "refund-request",
        "complaint-escalation",
    ];
    match edition {
        "norge" => ids.push("bankid-login"),
        "sverige" => ids.push("swish-payment"),
        _ => {}
    }
    ids
}

pub fn round(x: f64, decimals: i32) -> f64 {
    let factor = 10f64.powi(decimals);
    (x * factor).round() / factor
}

/// A whole number the English way.
pub fn thousands(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

pub fn date(text: &str) -> Date {
    let month = CalendarMonth::try_from(text[5..7].parse::<u8>().unwrap()).unwrap();
    Date::from_calendar_date(text[..4].parse().unwrap(), month, text[8..10].parse().unwrap()).unwrap()
}

/// Satisfaction with the rollout's touch points in the 12 weeks before `start` and since it:
/// a month counts on the side its 15th falls on.
pub fn before_and_since(expected: &Expected, start: &str) -> [(Option<f64>, u64); 2] {
    before_and_since_of(expected, start, &["login-help", "billing-dispute"])
}

pub fn before_and_since_of(expected: &Expected, start: &str, ids: &[&str]) -> [(Option<f64>, u64); 2] {
    let start = date(start);
    let from = start - Duration::weeks(12);
    let middle = |m: &str| date(&format!("{m}-15"));
    [expected.score(ids, |m| (from..start).contains(&middle(m))), expected.score(ids, |m| middle(m) >= start)]
}

/// A row of a rollout's table; CSAT is shown with one decimal.
pub fn effect_row(name: &str, figures: [(Option<f64>, u64); 2]) -> Vec<String> {
    effect_row_in(name, figures, 1)
}

pub fn effect_row_in(name: &str, [before, since]: [(Option<f64>, u64); 2], decimals: usize) -> Vec<String> {
    let (before_mean, since_mean) = (before.0.unwrap(), since.0.unwrap());
    let change = since_mean - before_mean;
    let text = format!("{change:.decimals$}");
    let change = if change > 0.0 && text.bytes().any(|b| matches!(b, b'1'..=b'9')) { format!("+{text}") } else { text };
    vec![
        name.to_string(),
        format!("{before_mean:.decimals$}"),
        thousands(before.1),
        format!("{since_mean:.decimals$}"),
        thousands(since.1),
        change,
    ]
}

/// The table of a rollout page: the edition, then its cells, per row.
pub fn effect_table(page: &str) -> Vec<Vec<String>> {
    each_within(page, ".effect-table tbody tr", "th, td")
        .into_iter()
        .map(|r| r.into_iter().map(|c| c.text).collect())
        .collect()
}

/// Numbers as the tests write them: a plain minus, a decimal point.
pub fn plain(rows: Vec<Vec<String>>) -> Vec<Vec<String>> {
    rows.into_iter().map(|r| r.into_iter().map(|c| c.replace('−', "-").replace(',', ".")).collect()).collect()
}

/// The fixture's satisfaction files as net promoter scores: each CSAT `x` becomes `(x − 3) × 50`.
pub const NPS: [Export; 2] = [
    Export {
        file: "nps-nordic.csv",
        separator: b';',
        touchpoint: "Touch_Point",
        when: "Period",
        value: "Score",
        extra: "Responses",
    },
    Export {
        file: "nps-central.csv",
        separator: b',',
        touchpoint: "touchpoint",
        when: "month",
        value: "nps",
        extra: "answers",
    },
];
