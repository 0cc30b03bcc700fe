//! A held-out playbook (`tests/fixtures/heldout-data`) with exports as help desks write them:
//! other file names, a BOM, CRLF, semicolons and decimal commas, quoted texts with separators and
//! line breaks, extra columns, column-name variants, division rows by id and by name, months with
//! gaps, more than 12 months, and several rows of one touch point and month across categories and
//! files.
//!
//! Every expectation is worked out here from the fixture's CSV rows by a plain reading of them
//! (the fixture's own categories written out below as a table), never copied from touchbook's
//! output: the window, contacts, shares and frequencies, every number of the charts and the
//! table, the newest comments, the promise ranking, the rollouts' before and since per division,
//! and `touchpoints.json`.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use time::{Date, Duration, Month as CalendarMonth};

use crate::support::*;

const FIXTURE: &str = "heldout-data";
const EDITIONS: [&str; 3] = ["", "norge", "sverige"];

/// The fixture's `frequency-shares = [2, 8, 15, 30]`, in percent.
const SHARES: [f64; 4] = [2.0, 8.0, 15.0, 30.0];

/// One export of the fixture: its separator and which of its columns hold what.
struct Export {
    file: &'static str,
    separator: u8,
    touchpoint: &'static str,
    /// Month (volumes, satisfaction) or date (comments).
    when: &'static str,
    /// Contacts, score or the comment's text.
    value: &'static str,
    /// Answers, or the comment's channel.
    extra: &'static str,
}

const VOLUMES: [Export; 2] = [
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
const SATISFACTION: [Export; 2] = [
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
const COMMENTS: Export = Export {
    file: "comments-2026.csv",
    separator: b',',
    touchpoint: "Touchpoint",
    when: "Date",
    value: "Comment",
    extra: "Channel",
};

/// The rows of an export as maps from column name (as written) to field, BOM left aside.
fn records(dir: &Path, export: &Export) -> Vec<BTreeMap<String, String>> {
    let text = read(dir.join("data").join(export.file));
    let text = text.trim_start_matches('\u{feff}');
    let mut reader = csv::ReaderBuilder::new().delimiter(export.separator).from_reader(text.as_bytes());
    let header: Vec<String> = reader.headers().unwrap().iter().map(str::to_string).collect();
    reader.records().map(|r| header.iter().cloned().zip(r.unwrap().iter().map(str::to_string)).collect()).collect()
}

/// The edition a row's `Division` field names: by id or name, in any case.
fn edition_of(row: &BTreeMap<String, String>) -> &'static str {
    let division = row.get("Division").or_else(|| row.get("division")).map_or(String::new(), |d| d.to_lowercase());
    EDITIONS.iter().find(|e| **e == division).unwrap_or_else(|| panic!("division {division}"))
}

/// Which touch point a help-desk name means in an edition: the fixture's `categories`, written
/// out. Norway's overlay of `login-help` lists its own categories instead of the central ones.
fn touchpoint_of(edition: &str, key: &str) -> String {
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
fn month_number(text: &str) -> i32 {
    text[..4].parse::<i32>().unwrap() * 12 + text[5..7].parse::<i32>().unwrap() - 1
}

fn month_text(n: i32) -> String {
    format!("{:04}-{:02}", n / 12, n % 12 + 1)
}

/// What an edition's rows say, added up by a plain reading of the exports.
#[derive(Default)]
struct Expected {
    volumes: BTreeMap<(String, String), u64>,
    /// Score × answers, and answers.
    scores: BTreeMap<(String, String), (f64, u64)>,
    /// Date, text, channel as written: in file order.
    comments: Vec<(String, String, String, String)>,
}

impl Expected {
    fn of(dir: &Path, edition: &str) -> Expected {
        Expected::with(dir, edition, &SATISFACTION)
    }

    /// An edition's figures with the satisfaction in `satisfaction`'s files.
    fn with(dir: &Path, edition: &str, satisfaction: &[Export]) -> Expected {
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
    fn window(&self) -> Vec<String> {
        let months = self.volumes.keys().chain(self.scores.keys()).map(|(_, m)| month_number(m));
        let latest = months.max().unwrap();
        (0..12).rev().map(|n| month_text(latest - n)).collect()
    }

    fn contacts(&self, id: &str) -> Option<u64> {
        let window = self.window();
        let found: Vec<u64> =
            self.volumes.iter().filter(|((tp, m), _)| tp == id && window.contains(m)).map(|(_, n)| *n).collect();
        (!found.is_empty()).then(|| found.iter().sum())
    }

    fn total(&self) -> u64 {
        let window = self.window();
        self.volumes.iter().filter(|((_, m), _)| window.contains(m)).map(|(_, n)| n).sum()
    }

    /// Months of the window in which any touch point has volumes.
    fn volume_months(&self) -> u64 {
        let window = self.window();
        self.volumes.keys().map(|(_, m)| m).filter(|m| window.contains(m)).collect::<BTreeSet<_>>().len() as u64
    }

    /// Satisfaction with some touch points over the months `keep` accepts: mean and answers.
    fn score(&self, ids: &[&str], keep: impl Fn(&str) -> bool) -> (Option<f64>, u64) {
        let (mut weighted, mut answers) = (0.0, 0);
        for ((tp, month), (w, n)) in &self.scores {
            if ids.contains(&tp.as_str()) && keep(month) {
                weighted += w;
                answers += n;
            }
        }
        ((answers > 0).then(|| weighted / answers as f64), answers)
    }

    fn in_window(&self) -> impl Fn(&str) -> bool {
        let window = self.window();
        move |m: &str| window.iter().any(|w| w == m)
    }

    /// The three newest comments on a touch point, newest first (one day's in file order).
    fn newest_comments(&self, id: &str) -> Vec<(String, String, String)> {
        let mut found: Vec<_> = self.comments.iter().filter(|c| c.0 == id).collect();
        found.sort_by(|a, b| b.1.cmp(&a.1));
        found.into_iter().take(3).map(|c| (c.1.clone(), c.2.clone(), c.3.clone())).collect()
    }
}

fn step(share: f64) -> u64 {
    1 + SHARES.iter().filter(|t| share * 100.0 >= **t).count() as u64
}

fn prefix(edition: &str) -> String {
    if edition.is_empty() {
        String::new()
    } else {
        format!("{edition}/")
    }
}

fn json(site: &Path, edition: &str) -> serde_json::Value {
    serde_json::from_str(&read(site.join(prefix(edition)).join("touchpoints.json"))).expect("touchpoints.json is JSON")
}

fn entry<'a>(json: &'a serde_json::Value, id: &str) -> &'a serde_json::Value {
    json["touchpoints"].as_array().unwrap().iter().find(|t| t["id"] == id).unwrap_or_else(|| panic!("{id}"))
}

/// The touch points of an edition, as the fixture has them.
fn touchpoints(edition: &str) -> Vec<&'static str> {
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

fn round(x: f64, decimals: i32) -> f64 {
    let factor = 10f64.powi(decimals);
    (x * factor).round() / factor
}

#[test]
fn held_out_exports_give_the_window_contacts_shares_and_frequencies_the_rows_say() {
    let built = shared_build(FIXTURE);
    for edition in EDITIONS {
        let expected = Expected::of(&built.root, edition);
        let json = json(&built.site, edition);
        let window = expected.window();
        assert_eq!(window.len(), 12);
        let (total, months) = (expected.total(), expected.volume_months());
        for id in touchpoints(edition) {
            let entry = entry(&json, id);
            let Some(contacts) = expected.contacts(id) else {
                let has_scores = expected.scores.keys().any(|(tp, _)| tp == id);
                assert_eq!(entry["data"]["contacts"], serde_json::Value::Null, "{edition} {id}");
                if !has_scores {
                    assert!(entry.get("data").is_none(), "{edition} {id} has no rows");
                }
                continue;
            };
            let data = &entry["data"];
            let share = contacts as f64 / total as f64;
            assert_eq!(data["contacts"], contacts, "{edition} {id}");
            assert_eq!(data["contacts_per_month"], (contacts + months / 2) / months, "{edition} {id}");
            assert_eq!(data["share"].as_f64().unwrap(), round(share, 4), "{edition} {id}");
            assert_eq!(entry["frequency"], step(share), "{edition} {id}: {:.2}%", share * 100.0);
            let listed: Vec<&str> =
                data["months"].as_array().unwrap().iter().map(|m| m["month"].as_str().unwrap()).collect();
            assert_eq!(listed, window, "{edition} {id}");
            for month in data["months"].as_array().unwrap() {
                let key = (id.to_string(), month["month"].as_str().unwrap().to_string());
                assert_eq!(month["contacts"].as_u64(), expected.volumes.get(&key).copied(), "{edition} {key:?}");
                let score = expected.scores.get(&key);
                assert_eq!(month["answers"].as_u64(), score.map(|s| s.1), "{edition} {key:?}");
                assert_eq!(
                    month["satisfaction"].as_f64(),
                    score.map(|s| round(s.0 / s.1 as f64, 2)),
                    "{edition} {key:?}"
                );
            }
            let (mean, answers) = expected.score(&[id], expected.in_window());
            if let Some(mean) = mean {
                assert_eq!(data["satisfaction"]["score"].as_f64().unwrap(), round(mean, 2), "{edition} {id}");
                assert_eq!(data["satisfaction"]["answers"], answers, "{edition} {id}");
                assert_eq!(data["satisfaction"]["scale"], "csat");
            }
        }
        // A touch point no row names keeps the frequency its file gives.
        assert_eq!(entry(&json, "complaint-escalation")["frequency"], 2);
    }
}

#[test]
fn held_out_cards_show_each_edition_s_contacts_a_month() {
    let built = shared_build(FIXTURE);
    assert_eq!(Expected::of(&built.root, "").volume_months(), 11, "the central exports miss February 2026");
    for edition in EDITIONS {
        let expected = Expected::of(&built.root, edition);
        let months = expected.volume_months();
        let page = read(built.site.join(prefix(edition)).join("touchpoints/index.html"));
        let cards = each_within(&page, "li.card", "a.card-title, p.card-contacts");
        assert_eq!(cards.len(), touchpoints(edition).len(), "{edition}: a card per touch point");
        for card in cards {
            let id = card[0].attr("href").unwrap().rsplit('/').next().unwrap().trim_end_matches(".html").to_string();
            let contacts = card.iter().find(|e| e.classes().contains(&"card-contacts"));
            // Written the edition's way ("1,240", "1 240"): the digits are the number.
            let shown = contacts.map(|e| e.text.chars().filter(char::is_ascii_digit).collect::<String>());
            let per_month = expected.contacts(&id).map(|c| ((c + months / 2) / months).to_string());
            assert_eq!(shown, per_month, "{edition} {id}");
        }
    }
    let english = texts(&read(built.site.join("index.html")), ".card-contacts");
    assert!(english.iter().all(|t| t.ends_with(" contacts a month")), "{english:?}");
}

/// The y coordinate of each grid line of a chart, top to bottom, with its axis label.
fn axis(svg: &str) -> Vec<(f64, String)> {
    let lines = attributes(svg, ".chart-grid line", "y1");
    let labels = texts(svg, ".chart-axis text");
    lines.iter().map(|y| y.parse().unwrap()).zip(labels).collect()
}

#[test]
fn held_out_charts_and_tables_draw_the_months_the_rows_give() {
    let built = shared_build(FIXTURE);
    for edition in EDITIONS {
        let expected = Expected::of(&built.root, edition);
        let window = expected.window();
        for id in touchpoints(edition) {
            let page = read(built.site.join(prefix(edition)).join(format!("touchpoints/{id}.html")));
            let volumes: Vec<Option<u64>> =
                window.iter().map(|m| expected.volumes.get(&(id.to_string(), m.clone())).copied()).collect();
            let scores: Vec<Option<f64>> = window
                .iter()
                .map(|m| expected.scores.get(&(id.to_string(), m.clone())).map(|(w, n)| w / *n as f64))
                .collect();
            if volumes.iter().all(Option::is_none) && scores.iter().all(Option::is_none) {
                assert!(select(&page, "#figures").is_empty(), "{edition} {id} has no figures");
                continue;
            }
            let context = format!("{edition} {id}");
            assert_eq!(attributes(&page, "#figures tr[data-month]", "data-month"), window, "{context}");
            // "1,240 contacts a month · 3.7% of all contacts": the share with one decimal under 10 %.
            if let Some(contacts) = expected.contacts(id) {
                let share = contacts as f64 * 100.0 / expected.total() as f64;
                let written = if share < 10.0 { format!("{share:.1}") } else { format!("{share:.0}") };
                let lead = text_of(&page, "#figures .figure-lead");
                let shown: String = lead.rsplit('·').next().unwrap().chars().filter(char::is_ascii_digit).collect();
                assert_eq!(shown, written.replace('.', ""), "{context}: {lead}");
            }
            if volumes.iter().any(Option::is_some) {
                let cells = attributes(&page, "#figures td[data-contacts]", "data-contacts");
                let want: Vec<String> = volumes.iter().map(|v| v.map_or(String::new(), |v| v.to_string())).collect();
                assert_eq!(cells, want, "{context}");
                // Bars stand on the axis's zero and are as tall as the month's contacts on its scale.
                let svg = select(&page, "#figures svg.chart-of-bars").len();
                assert_eq!(svg, 1, "{context}");
                let chart = page_part(&page, "svg.chart-of-bars");
                let axis = axis(&chart);
                let (zero, top) = (&axis[0], &axis[axis.len() - 1]);
                assert_eq!(zero.1, "0");
                let top_value: f64 = top.1.chars().filter(char::is_ascii_digit).collect::<String>().parse().unwrap();
                let per_contact = (zero.0 - top.0) / top_value;
                let heights: Vec<f64> =
                    attributes(&chart, ".chart-bar rect", "height").iter().map(|h| h.parse().unwrap()).collect();
                let bars: Vec<u64> = volumes.iter().flatten().copied().collect();
                assert_eq!(heights.len(), bars.len(), "{context}: a bar per month with contacts");
                for (height, contacts) in heights.iter().zip(&bars) {
                    assert!(
                        (height - *contacts as f64 * per_contact).abs() <= 1.0,
                        "{context}: {contacts} drawn {height} high"
                    );
                }
                let ys: Vec<f64> =
                    attributes(&chart, ".chart-bar rect", "y").iter().map(|y| y.parse().unwrap()).collect();
                for (y, height) in ys.iter().zip(&heights) {
                    assert!((y + height - zero.0).abs() <= 1.0, "{context}: a bar stands on zero");
                }
            }
            if scores.iter().any(Option::is_some) {
                let cells = attributes(&page, "#figures td[data-score]", "data-score");
                let want: Vec<String> = scores.iter().map(|s| s.map_or(String::new(), |s| format!("{s:.2}"))).collect();
                assert_eq!(cells, want, "{context}");
                // Dots sit at the score on the chart's own 1-to-5 axis, in month order.
                let chart = page_part(&page, "svg.chart-of-line");
                let axis = axis(&chart);
                let (low, high) = (&axis[0], &axis[axis.len() - 1]);
                assert_eq!((low.1.as_str(), high.1.as_str()), ("1", "5"), "{context}");
                let dots: Vec<f64> =
                    attributes(&chart, ".chart-dot circle", "cy").iter().map(|y| y.parse().unwrap()).collect();
                let xs: Vec<f64> =
                    attributes(&chart, ".chart-dot circle", "cx").iter().map(|x| x.parse().unwrap()).collect();
                let want: Vec<f64> =
                    scores.iter().flatten().map(|s| low.0 + (high.0 - low.0) * (s - 1.0) / 4.0).collect();
                assert_eq!(dots.len(), want.len(), "{context}: a dot per month with answers");
                for (dot, want) in dots.iter().zip(&want) {
                    assert!((dot - want).abs() <= 1.0, "{context}: dot at {dot}, score at {want}");
                }
                assert!(xs.windows(2).all(|w| w[0] < w[1]), "{context}: dots in month order");
            }
        }
    }
}

/// The outer HTML of the first element matching `css` within the touch point's figures, as a
/// fragment the helpers can read again.
fn page_part(page: &str, css: &str) -> String {
    let html = scraper::Html::parse_document(page);
    let selector = scraper::Selector::parse(&format!("#figures {css}")).unwrap();
    html.select(&selector).next().unwrap_or_else(|| panic!("no {css}")).html()
}

#[test]
fn held_out_pages_show_the_three_newest_comments_of_their_own_edition() {
    let built = shared_build(FIXTURE);
    for edition in EDITIONS {
        let expected = Expected::of(&built.root, edition);
        let json = json(&built.site, edition);
        for id in touchpoints(edition) {
            let want = expected.newest_comments(id);
            let page = read(built.site.join(prefix(edition)).join(format!("touchpoints/{id}.html")));
            let said = texts(&page, ".verbatims blockquote p");
            let written: Vec<String> =
                want.iter().map(|(_, text, _)| text.split_whitespace().collect::<Vec<_>>().join(" ")).collect();
            assert_eq!(said, written, "{edition} {id}");
            let dates: Vec<String> = attributes(&page, ".verbatims time", "datetime");
            assert_eq!(dates, want.iter().map(|(d, _, _)| d.clone()).collect::<Vec<_>>(), "{edition} {id}");
            if !want.is_empty() {
                let listed = entry(&json, id)["data"]["verbatims"].as_array().unwrap().clone();
                let texts: Vec<&str> = listed.iter().map(|v| v["text"].as_str().unwrap()).collect();
                let trimmed: Vec<&str> = want.iter().map(|(_, t, _)| t.trim()).collect();
                assert_eq!(texts, trimmed, "{edition} {id}: JSON keeps the line breaks");
                // The channel, written as a label of any edition, is the journey's channel id.
                let channels: Vec<String> = listed.iter().map(|v| v["channel"].as_str().unwrap().to_string()).collect();
                let ids: Vec<String> = want.iter().map(|(_, _, c)| channel_id(c)).collect();
                assert_eq!(channels, ids, "{edition} {id}");
            }
        }
    }
}

/// The fixture's channel labels (book.toml), by id.
fn channel_id(label: &str) -> String {
    match label.to_lowercase().as_str() {
        "phone" | "telefon" => "phone",
        "email" | "e-post" => "email",
        "chat" | "chatt" => "chat",
        other => panic!("{other}"),
    }
    .to_string()
}

/// The fixture's brand messages and the touch points that carry them.
const MESSAGES: [(&str, &str, &[&str]); 3] = [
    ("own-it", "We own it", &["login-help", "address-change", "cancel-contract", "complaint-escalation"]),
    ("clear-words", "Clear words", &["billing-dispute", "cancel-contract"]),
    ("on-time", "On time", &["delivery-delay", "refund-request"]),
];

#[test]
fn held_out_promises_are_ranked_by_the_satisfaction_of_their_touch_points() {
    let built = shared_build(FIXTURE);
    for edition in EDITIONS {
        let expected = Expected::of(&built.root, edition);
        let mut ranked: Vec<(f64, &str, u64)> = MESSAGES
            .iter()
            .filter_map(|(_, title, ids)| {
                let (mean, answers) = expected.score(ids, expected.in_window());
                mean.map(|m| (m, *title, answers))
            })
            .collect();
        ranked.sort_by(|a, b| a.0.total_cmp(&b.0));
        let page = read(built.site.join(prefix(edition)).join("messages/index.html"));
        let titles = texts(&page, ".ranking-table tbody th a");
        assert_eq!(titles, ranked.iter().map(|r| r.1).collect::<Vec<_>>(), "{edition}");
        // Numbers written the edition's way: a decimal comma, a space between thousands.
        let cells: Vec<Vec<String>> = each_within(&page, ".ranking-table tbody tr", "td")
            .into_iter()
            .map(|row| {
                let answers: String = row[1].text.chars().filter(char::is_ascii_digit).collect();
                vec![row[0].text.replace(',', "."), answers]
            })
            .collect();
        let want: Vec<Vec<String>> = ranked.iter().map(|(m, _, n)| vec![format!("{m:.1}"), n.to_string()]).collect();
        assert_eq!(cells, want, "{edition}");
    }
}

/// A whole number the English way.
fn thousands(n: u64) -> String {
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

fn date(text: &str) -> Date {
    let month = CalendarMonth::try_from(text[5..7].parse::<u8>().unwrap()).unwrap();
    Date::from_calendar_date(text[..4].parse().unwrap(), month, text[8..10].parse().unwrap()).unwrap()
}

/// Satisfaction with the rollout's touch points in the 12 weeks before `start` and since it:
/// a month counts on the side its 15th falls on.
fn before_and_since(expected: &Expected, start: &str) -> [(Option<f64>, u64); 2] {
    before_and_since_of(expected, start, &["login-help", "billing-dispute"])
}

fn before_and_since_of(expected: &Expected, start: &str, ids: &[&str]) -> [(Option<f64>, u64); 2] {
    let start = date(start);
    let from = start - Duration::weeks(12);
    let middle = |m: &str| date(&format!("{m}-15"));
    [expected.score(ids, |m| (from..start).contains(&middle(m))), expected.score(ids, |m| middle(m) >= start)]
}

/// A row of a rollout's table; CSAT is shown with one decimal.
fn effect_row(name: &str, figures: [(Option<f64>, u64); 2]) -> Vec<String> {
    effect_row_in(name, figures, 1)
}

fn effect_row_in(name: &str, [before, since]: [(Option<f64>, u64); 2], decimals: usize) -> Vec<String> {
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
fn effect_table(page: &str) -> Vec<Vec<String>> {
    each_within(page, ".effect-table tbody tr", "th, td")
        .into_iter()
        .map(|r| r.into_iter().map(|c| c.text).collect())
        .collect()
}

/// Numbers as the tests write them: a plain minus, a decimal point.
fn plain(rows: Vec<Vec<String>>) -> Vec<Vec<String>> {
    rows.into_iter().map(|r| r.into_iter().map(|c| c.replace('−', "-").replace(',', ".")).collect()).collect()
}

#[test]
fn held_out_rollout_compares_before_and_since_from_each_division_s_own_start() {
    let built = shared_build(FIXTURE);
    let (central, norge, sverige) =
        (Expected::of(&built.root, ""), Expected::of(&built.root, "norge"), Expected::of(&built.root, "sverige"));
    // The central rollout starts on 2026-06-10; Sweden's overlay moves its start to 2026-08-19,
    // Norway's practises its own BankID situation instead of disputed bills.
    let page = read(built.site.join("rollouts/service-spring.html"));
    let want = vec![
        effect_row("Central", before_and_since(&central, "2026-06-10")),
        effect_row("Norge", before_and_since_of(&norge, "2026-06-10", &["login-help", "bankid-login"])),
        effect_row("Sverige", before_and_since(&sverige, "2026-08-19")),
    ];
    let shown = effect_table(&page);
    assert_eq!(plain(shown), plain(want.clone()));
    // Each division's edition shows its own row, from its own start.
    let norge_page = read(built.site.join("norge/rollouts/service-spring.html"));
    assert_eq!(plain(effect_table(&norge_page)), plain(vec![want[1].clone()]));
    let sverige_page = read(built.site.join("sverige/rollouts/service-spring.html"));
    assert_eq!(plain(effect_table(&sverige_page)), plain(vec![want[2].clone()]));
}

/// The marker strings of the divisions' comments.
const MARKERS: [(&str, &str); 2] = [("norge", "NORGE-MARKER"), ("sverige", "SVERIGE-MARKER")];

#[test]
fn held_out_division_comments_stay_in_their_edition_in_every_file() {
    let built = shared_build(FIXTURE);
    // Every file as text, the search index's gzipped files unpacked.
    let files: Vec<(String, String)> = tree(&built.site)
        .into_iter()
        .map(|(path, bytes)| {
            let mut text = String::new();
            if bytes.starts_with(&[0x1f, 0x8b]) {
                let mut unpacked = Vec::new();
                std::io::Read::read_to_end(&mut flate2::read::GzDecoder::new(&bytes[..]), &mut unpacked).unwrap();
                text = String::from_utf8_lossy(&unpacked).into_owned();
            }
            text.push_str(&String::from_utf8_lossy(&bytes));
            (path, text)
        })
        .collect();
    assert!(files.iter().any(|(path, _)| path.contains("pagefind")), "the search index is read too");
    let edition_of_path = |path: &str| EDITIONS.into_iter().rev().find(|e| path.starts_with(&prefix(e))).unwrap();
    for edition in EDITIONS {
        let expected = Expected::of(&built.root, edition);
        // Each comment's first words are unique to it (and need no escaping in HTML or JSON); a
        // division's start with its marker string.
        let said: Vec<String> = expected
            .comments
            .iter()
            .map(|c| c.2.chars().take_while(|c| c.is_alphanumeric() || matches!(c, ' ' | '-')).collect())
            .collect();
        if let Some((_, marker)) = MARKERS.iter().find(|(d, _)| *d == edition) {
            assert!(said.iter().all(|s| s.starts_with(marker)), "{said:?}");
        }
        for words in &said {
            assert!(words.len() >= 10, "{words:?} is long enough to be unique");
            let found: Vec<&str> =
                files.iter().filter(|(_, text)| text.contains(words)).map(|(path, _)| path.as_str()).collect();
            assert!(found.iter().all(|path| edition_of_path(path) == edition), "{words:?} in {found:?}");
            let newest = expected.comments.iter().any(|c| {
                c.2.starts_with(words.as_str())
                    && expected.newest_comments(&c.0).iter().any(|(_, text, _)| text.starts_with(words.as_str()))
            });
            assert_eq!(!found.is_empty(), newest, "{words:?}: shown where it is among the newest");
        }
    }
    // The central rollout page has the divisions' figures, never their words.
    let page = read(built.site.join("rollouts/service-spring.html"));
    assert_eq!(texts(&page, ".effect-table tbody th"), ["Central", "Norge", "Sverige"]);
    for (_, marker) in MARKERS {
        assert!(!page.contains(marker));
    }
}

/// A bad row put into a copy of the fixture: the file, the row as written (after the header,
/// or at the end), the bad field as written and what the message says.
struct BadRow {
    file: &'static str,
    row: &'static str,
    first: bool,
    field: &'static str,
    message: &'static str,
}

const BAD_ROWS: [BadRow; 13] = [
    // Right after the header of the file with a BOM and CRLF line ends.
    BadRow {
        file: "contacts-2026.csv",
        row: "Pasword Reset,2026-03,10,,tier-2",
        first: true,
        field: "Pasword Reset",
        message: "`Pasword Reset` is neither a touch point nor a category of one",
    },
    // After a quoted field holding the separator.
    BadRow {
        file: "contacts-2026.csv",
        row: "\"Address, change\",2026-03,12x,,\"Tier 1, Oslo\"",
        first: false,
        field: "12x",
        message: "`12x` is not a number of contacts",
    },
    BadRow {
        file: "contacts-2026.csv",
        row: "\"Address, change\",2026-03,5,Finland,tier-2",
        first: false,
        field: "Finland",
        message: "`Finland` is not a division in book.toml",
    },
    BadRow {
        file: "contacts-2025.csv",
        row: "Moving;2025-13;5;",
        first: false,
        field: "2025-13",
        message: "`2025-13` is not a month",
    },
    BadRow {
        file: "contacts-2025.csv",
        row: "moving-house;2025-10;5;",
        first: true,
        field: "moving-house",
        message: "`moving-house` is neither a touch point nor a category of one",
    },
    BadRow {
        file: "contacts-2025.csv",
        row: "Moving;2025-10;5",
        first: false,
        field: "Moving",
        message: "this row has 3 fields, the header has 4",
    },
    // An empty field: the one between two separators.
    BadRow {
        file: "contacts-2025.csv",
        row: "Moving;2025-11;;",
        first: false,
        field: "",
        message: "a number of contacts is missing",
    },
    BadRow {
        file: "csat-nordic.csv",
        row: "Moving;2026-03;5,5;10;;Q1",
        first: false,
        field: "5,5",
        message: "csat `5,5` is out of range: it goes from 1 to 5",
    },
    BadRow {
        file: "csat-nordic.csv",
        row: "Flytting;2026-03;4,0;10;Norge;Q1",
        first: false,
        field: "Flytting",
        message: "`Flytting` is neither a touch point nor a category of one in the Norge edition",
    },
    BadRow {
        file: "csat-nordic.csv",
        row: "Moving;2026-03;4,0;ti;;Q1",
        first: false,
        field: "ti",
        message: "`ti` is not a number of answers",
    },
    BadRow {
        file: "comments-2026.csv",
        row: "T-9001,Moving,2026-02-30 10:00:00,Phone,\"Fine, thanks\",",
        first: false,
        field: "2026-02-30 10:00:00",
        message: "`2026-02-30` is not a date",
    },
    // After a quoted field holding a line break: the bad field is on the row's second line.
    BadRow {
        file: "comments-2026.csv",
        row: "T-9002,Moving,2026-03-02,Phone,\"Line one,\nline two\",Danmark",
        first: false,
        field: "Danmark",
        message: "`Danmark` is not a division in book.toml",
    },
    BadRow {
        file: "comments-2026.csv",
        row: "T-9003,Moving,2026-03-03,Fax,\"ok\",",
        first: true,
        field: "Fax",
        message: "`Fax` is not a channel of the journey",
    },
];

/// Puts `row` into `text` after the header (`first`) or at the end, in the file's line ends.
fn put_row(text: &str, row: &str, first: bool) -> String {
    let newline = if text.contains("\r\n") { "\r\n" } else { "\n" };
    let row = row.replace('\n', newline);
    if first {
        let end = text.find('\n').unwrap() + 1;
        format!("{}{row}{newline}{}", &text[..end], &text[end..])
    } else {
        format!("{}{newline}{row}{newline}", text.trim_end_matches(['\r', '\n']))
    }
}

/// Where `field` is in `text` (BOM aside) as a person's editor shows it: line and column.
fn line_col(text: &str, row: &str, field: &str) -> (usize, usize) {
    let text = text.trim_start_matches('\u{feff}').replace("\r\n", "\n");
    // A whole line (or lines) of its own, not the start of a longer row.
    let row_at = format!("\n{text}").find(&format!("\n{row}\n")).unwrap_or_else(|| panic!("{row:?} in the file"));
    let at = row_at + if field.is_empty() { row.find(";;").unwrap() + 1 } else { row.find(field).unwrap() };
    let line = text[..at].matches('\n').count() + 1;
    let line_start = text[..at].rfind('\n').map_or(0, |n| n + 1);
    (line, text[line_start..at].chars().count() + 1)
}

#[test]
fn held_out_bad_rows_are_each_reported_at_their_field_with_a_hint_and_nothing_is_written() {
    let dir = fixture(FIXTURE);
    for bad in &BAD_ROWS {
        let path = dir.path().join("data").join(bad.file);
        let text = std::fs::read_to_string(&path).unwrap();
        std::fs::write(&path, put_row(&text, bad.row, bad.first)).unwrap();
    }
    // A header with a column twice, after a BOM: the column counts from the first letter.
    let header = "Category,Period,Tickets,Division,Tickets";
    std::fs::write(dir.path().join("data/contacts-more.csv"), format!("\u{feff}{header}\r\nMoving,2026-01,1,,2\r\n"))
        .unwrap();
    let output = run(dir.path(), &["build"]);
    let text = stderr(&output);
    assert_eq!(output.status.code(), Some(1), "{text}");
    assert!(!dir.path().join("site").exists(), "nothing is written");
    let errors: Vec<&str> = text.lines().filter(|l| l.contains(": error: ")).collect();
    assert_eq!(errors.len(), BAD_ROWS.len() + 1, "one error per bad row: {text}");
    let twice = format!(
        "data/contacts-more.csv:1:{}: error: the column `Tickets` is there twice",
        header.rfind("Tickets").unwrap() + 1
    );
    assert!(text.contains(&twice), "{twice} in:\n{text}");
    assert!(text[text.find(&twice).unwrap()..].contains("help: rename or remove one of them"), "{text}");
    for bad in &BAD_ROWS {
        let file = std::fs::read_to_string(dir.path().join("data").join(bad.file)).unwrap();
        let (line, col) = line_col(&file, &bad.row.replace("\r\n", "\n"), bad.field);
        let expected = format!("data/{}:{line}:{col}: error: {}", bad.file, bad.message);
        let at = text.find(&expected).unwrap_or_else(|| panic!("missing `{expected}` in:\n{text}"));
        // Every message comes with help on how to put it right.
        let rest = &text[at..];
        let next = rest[1..].find("data/").map_or(rest.len(), |n| n + 1);
        assert!(rest[..next].contains("help: "), "no hint for `{expected}`:\n{}", &rest[..next]);
    }
}

#[test]
fn held_out_check_warns_where_a_declared_frequency_is_two_steps_from_the_data() {
    let dir = fixture(FIXTURE);
    let output = run(dir.path(), &["check"]);
    let text = stderr(&output);
    assert!(output.status.success(), "{text}");
    let mut warned = 0;
    for (edition, whose) in [("", ""), ("norge", " in Norge"), ("sverige", " in Sverige")] {
        let expected = Expected::of(dir.path(), edition);
        let total = expected.total();
        for id in touchpoints(edition) {
            // The overlays do not change `frequency`: a central item's is in its central file.
            let own = format!("content/divisions/{edition}/touchpoints/{id}.md");
            let central = format!("content/touchpoints/{id}.md");
            let path =
                if dir.path().join(&own).is_file() && !dir.path().join(&central).is_file() { own } else { central };
            let file = read(dir.path().join(&path));
            let line = file.lines().position(|l| l.starts_with("frequency = ")).unwrap();
            let declared: u64 = file.lines().nth(line).unwrap()["frequency = ".len()..].parse().unwrap();
            let at =
                format!("{path}:{}:13: warning: `frequency` is {declared}, but the contact data{whose} says", line + 1);
            match expected.contacts(id) {
                Some(contacts) if declared.abs_diff(step(contacts as f64 / total as f64)) >= 2 => {
                    let derived = step(contacts as f64 / total as f64);
                    let warning = format!("{at} {derived} (");
                    let found = text.find(&warning).unwrap_or_else(|| panic!("`{warning}` in:\n{text}"));
                    let help = text[found..].lines().find(|l| l.contains("help: ")).unwrap();
                    // A central file's value is every edition's: a division's goes in its translation.
                    let whose_pages = match whose.strip_prefix(" in ") {
                        Some(name) if path.starts_with("content/touchpoints/") => {
                            format!("help: {name}'s pages use {derived}, from its data; write `frequency = {derived}` in its translation")
                        }
                        _ => format!("help: pages use {derived}, from the data; write `frequency = {derived}` so the file agrees"),
                    };
                    assert!(help.contains(&whose_pages), "{whose_pages} in {help}");
                    warned += 1;
                }
                _ => assert!(!text.contains(&at), "no warning `{at}` expected:\n{text}"),
            }
        }
    }
    assert!(warned >= 2, "the fixture has frequencies far from its data");
    // Following the hint: Norway's translation declares its own frequency, and the warning goes.
    let overlay = dir.path().join("content/divisions/norge/touchpoints/login-help.md");
    let norge = Expected::of(dir.path(), "norge");
    let derived = step(norge.contacts("login-help").unwrap() as f64 / norge.total() as f64);
    std::fs::write(&overlay, read(&overlay).replacen("+++\n", &format!("+++\nfrequency = {derived}\n"), 1)).unwrap();
    let text = stderr(&run(dir.path(), &["check"]));
    let login_help: Vec<&str> =
        text.lines().filter(|l| l.contains("login-help.md:") && l.contains("warning: `frequency`")).collect();
    assert!(login_help.iter().all(|l| !l.contains("in Norge")), "{login_help:?}");
    assert!(login_help.iter().any(|l| l.contains("in Sverige")), "{login_help:?}");
}

/// `text`'s rows written again with another separator and line end, by the CSV crate.
fn rewrite(text: &str, from: u8, to: u8, line_end: &str) -> String {
    let mut reader = csv::ReaderBuilder::new().delimiter(from).has_headers(false).from_reader(text.as_bytes());
    let mut writer = csv::WriterBuilder::new()
        .delimiter(to)
        .terminator(if line_end == "\r\n" { csv::Terminator::CRLF } else { csv::Terminator::Any(b'\n') })
        .from_writer(Vec::new());
    for record in reader.records() {
        writer.write_record(&record.unwrap()).unwrap();
    }
    String::from_utf8(writer.into_inner().unwrap()).unwrap()
}

#[test]
fn held_out_exports_read_the_same_as_excel_zendesk_and_puzzel_write_them() {
    let dir = fixture(FIXTURE);
    let data = dir.path().join("data");
    // Excel's "CSV (semicolon)" names its separator on a first line of its own, and ends lines
    // with CRLF; the header's names in other case and with underscores.
    let old = read(data.join("contacts-2025.csv")).replacen(
        "Touch point;Month;Volume;division",
        "TOUCH_POINT; Month ;volume;Division",
        1,
    );
    std::fs::write(data.join("contacts-2025.csv"), format!("sep=;\r\n{}", old.replace('\n', "\r\n"))).unwrap();
    // A tab-separated export with CRLF and empty lines at its end.
    // A tab-separated export with CRLF and empty lines at its end, its score column named the
    // way survey tools name it.
    let central = rewrite(&read(data.join("csat-central.csv")), b',', b'\t', "\r\n");
    let central = central.replacen("\tcsat\t", "\tCSAT score\t", 1);
    // Reports of a month by category list the months nobody answered too, without a score.
    let unanswered = "Moving\t2026-02\t\t0\tphone\r\nRefund\t2026-03\t \t\tphone\r\n";
    std::fs::write(data.join("csat-central.csv"), format!("{central}{unanswered}\r\n\r\n")).unwrap();
    let output = run(dir.path(), &["build", "--no-search"]);
    assert!(output.status.success(), "{}", stderr(&output));
    let built = shared_build(FIXTURE);
    for edition in EDITIONS {
        assert_eq!(json(&dir.path().join("site"), edition), json(&built.site, edition), "{edition}");
    }
    // Lines are counted as the file has them, the `sep=` line included.
    let file = data.join("contacts-2025.csv");
    let text = format!("{}Moving;2025-10;many;\r\n", read(&file));
    let line = text.lines().count();
    std::fs::write(&file, text).unwrap();
    let output = run(dir.path(), &["check"]);
    let expected = format!("data/contacts-2025.csv:{line}:16: error: `many` is not a number of contacts");
    assert!(stderr(&output).contains(&expected), "{expected} in:\n{}", stderr(&output));
}

#[test]
fn held_out_journey_map_colours_each_situation_by_its_frequency_and_satisfaction() {
    let built = shared_build(FIXTURE);
    for edition in EDITIONS {
        let expected = Expected::of(&built.root, edition);
        let total = expected.total();
        let page = read(built.site.join(prefix(edition)).join("journey.html"));
        let classes = attributes(&page, "#journey-map li.chip", "class");
        let hrefs = attributes(&page, "#journey-map li.chip > a", "href");
        assert_eq!(classes.len(), hrefs.len());
        let mut seen = BTreeSet::new();
        for (class, href) in classes.iter().zip(&hrefs) {
            let id = href.rsplit('/').next().unwrap().trim_end_matches(".html");
            seen.insert(id.to_string());
            let classes: Vec<&str> = class.split_whitespace().collect();
            if let Some(contacts) = expected.contacts(id) {
                let frequency = format!("freq-{}", step(contacts as f64 / total as f64));
                assert!(classes.contains(&frequency.as_str()), "{edition} {id}: {frequency} in {classes:?}");
            }
            // CSAT under 3 is poor (1), then 3.5, 4 and 4.5 begin the next bands.
            let band = match expected.score(&[id], expected.in_window()).0 {
                Some(mean) => format!("sat-{}", 1 + [3.0, 3.5, 4.0, 4.5].iter().filter(|b| mean >= **b).count()),
                None => "sat-none".to_string(),
            };
            assert!(classes.contains(&band.as_str()), "{edition} {id}: {band} in {classes:?}");
        }
        assert_eq!(seen.len(), touchpoints(edition).len(), "{edition}: every touch point is on the map");
    }
}

#[test]
fn held_out_pages_with_figures_keep_to_the_html_policy() {
    let built = shared_build(FIXTURE);
    let mut charts = 0;
    for (path, bytes) in tree(&built.site).into_iter().filter(|(path, _)| path.ends_with(".html")) {
        let html = String::from_utf8(bytes).unwrap();
        charts += select(&html, "svg.chart").len();
        assert_eq!(touchbook::html_policy::check_page(&html), Vec::<String>::new(), "{path}");
    }
    assert!(charts >= 20, "the pages read back include charts");
    // A comment with markup in it is shown as the customer wrote it, as text.
    let page = read(built.site.join("touchpoints/delivery-delay.html"));
    let said = texts(&page, ".verbatims blockquote p");
    assert!(said.iter().any(|t| t.contains("<script>alert(1)</script>")), "{said:?}");
    assert!(select(&page, ".verbatims script, .verbatims b").is_empty());
}

#[test]
fn held_out_exports_kept_in_a_folder_of_their_own_are_named_not_left_out_without_a_word() {
    let dir = fixture(FIXTURE);
    let data = dir.path().join("data");
    std::fs::create_dir(data.join("2025")).unwrap();
    std::fs::rename(data.join("contacts-2025.csv"), data.join("2025/contacts-2025.csv")).unwrap();
    let output = run(dir.path(), &["check"]);
    let text = stderr(&output);
    assert!(output.status.success(), "{text}");
    assert!(text.contains("data/2025: warning: touchbook reads the files directly in data/"), "{text}");
    assert!(text.contains("help: move them into data/"), "{text}");
}

#[test]
fn held_out_export_saved_in_the_windows_encoding_is_pointed_at_where_its_first_letter_beyond_ascii_is() {
    let dir = fixture(FIXTURE);
    // Excel's plain "CSV" on a Nordic Windows writes `å` as the single byte 0xE5.
    let mut bytes = b"touchpoint;month;contacts;division\nMoving;2026-01;5;\nFlytting p".to_vec();
    bytes.extend([0xE5]);
    bytes.extend(b" nytt;2026-01;5;norge\n");
    std::fs::write(dir.path().join("data/contacts-windows.csv"), bytes).unwrap();
    let output = run(dir.path(), &["check"]);
    let text = stderr(&output);
    assert_eq!(output.status.code(), Some(1), "{text}");
    assert!(text.contains("data/contacts-windows.csv:3:11: error: this file is not UTF-8 text"), "{text}");
    assert!(text.contains("help: export it as \"CSV UTF-8\""), "{text}");
}

/// The fixture's satisfaction files as net promoter scores: each CSAT `x` becomes `(x − 3) × 50`.
const NPS: [Export; 2] = [
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

#[test]
fn held_out_net_promoter_scores_are_shown_whole_on_their_own_scale() {
    let dir = fixture(FIXTURE);
    let data = dir.path().join("data");
    for (from, to) in SATISFACTION.iter().zip(&NPS) {
        let text = read(data.join(from.file));
        let mut reader = csv::ReaderBuilder::new().delimiter(from.separator).from_reader(text.as_bytes());
        let header: Vec<String> = reader.headers().unwrap().iter().map(|h| h.replace("csat", "nps")).collect();
        let column = header.iter().position(|h| h == to.value).unwrap();
        let mut writer = csv::WriterBuilder::new().delimiter(to.separator).from_writer(Vec::new());
        writer.write_record(&header).unwrap();
        for record in reader.records() {
            let mut fields: Vec<String> = record.unwrap().iter().map(str::to_string).collect();
            let csat: f64 = fields[column].replace(',', ".").parse().unwrap();
            fields[column] =
                format!("{}", (csat - 3.0) * 50.0).replace('.', if to.separator == b';' { "," } else { "." });
            writer.write_record(&fields).unwrap();
        }
        std::fs::remove_file(data.join(from.file)).unwrap();
        std::fs::write(data.join(to.file), writer.into_inner().unwrap()).unwrap();
    }
    let output = run(dir.path(), &["build", "--no-search"]);
    assert!(output.status.success(), "{}", stderr(&output));
    let site = dir.path().join("site");
    for edition in EDITIONS {
        let expected = Expected::with(dir.path(), edition, &NPS);
        let json = json(&site, edition);
        for id in touchpoints(edition) {
            let (mean, answers) = expected.score(&[id], expected.in_window());
            let Some(mean) = mean else { continue };
            let satisfaction = &entry(&json, id)["data"]["satisfaction"];
            assert_eq!(satisfaction["scale"], "nps");
            assert_eq!(satisfaction["score"].as_f64().unwrap(), round(mean, 2), "{edition} {id}");
            assert_eq!(satisfaction["answers"], answers, "{edition} {id}");
            // The chart's axis goes from -100 to 100, and each dot sits at its month's score.
            let page = read(site.join(prefix(edition)).join(format!("touchpoints/{id}.html")));
            let chart = page_part(&page, "svg.chart-of-line");
            let axis = axis(&chart);
            let labels: Vec<String> = axis.iter().map(|(_, l)| l.replace('\u{2212}', "-")).collect();
            assert_eq!(labels, ["-100", "0", "100"], "{edition} {id}");
            let (low, high) = (axis[0].0, axis[2].0);
            let dots: Vec<f64> =
                attributes(&chart, ".chart-dot circle", "cy").iter().map(|y| y.parse().unwrap()).collect();
            let scores: Vec<f64> = expected
                .window()
                .iter()
                .filter_map(|m| expected.scores.get(&(id.to_string(), m.clone())).map(|(w, n)| w / *n as f64))
                .collect();
            assert_eq!(dots.len(), scores.len(), "{edition} {id}");
            for (dot, score) in dots.iter().zip(&scores) {
                let want = low + (high - low) * (score + 100.0) / 200.0;
                assert!((dot - want).abs() <= 1.0, "{edition} {id}: dot at {dot}, score {score} at {want}");
            }
        }
    }
    // The rollout's figures are whole numbers.
    let central = Expected::with(dir.path(), "", &NPS);
    let page = read(site.join("rollouts/service-spring.html"));
    let want = effect_row_in("Central", before_and_since(&central, "2026-06-10"), 0);
    assert_eq!(plain(effect_table(&page))[0], plain(vec![want])[0]);
}

#[test]
fn held_out_serve_redoes_the_central_rollout_page_when_a_division_moves_its_start() {
    let dir = fixture(FIXTURE);
    let server = Server::start(dir.path());
    let rows = |html: &str| plain(effect_table(html));
    let (status, page) = server.get("/rollouts/service-spring.html");
    assert_eq!(status, 200);
    let sverige = Expected::of(dir.path(), "sverige");
    assert_eq!(rows(&page)[2], plain(vec![effect_row("Sverige", before_and_since(&sverige, "2026-08-19"))])[0]);
    // Sweden's translation moves its start again: the central page follows.
    let overlay = dir.path().join("content/divisions/sverige/rollouts/service-spring.md");
    std::fs::write(&overlay, read(&overlay).replace("start = 2026-08-19", "start = 2026-07-08")).unwrap();
    let want = plain(vec![effect_row("Sverige", before_and_since(&sverige, "2026-07-08"))])[0].clone();
    let page = server.wait_for("/rollouts/service-spring.html", |html| rows(html).get(2) == Some(&want));
    assert_eq!(rows(&page)[2], want);
    // What serve wrote is what a full build writes.
    let output = run(dir.path(), &["build", "--no-search", "--output", "full"]);
    assert!(output.status.success(), "{}", stderr(&output));
    assert_eq!(rows(&read(dir.path().join("full/rollouts/service-spring.html")))[2], want);
}

#[test]
fn held_out_category_a_division_gives_a_second_touch_point_is_reported_in_its_translation() {
    let dir = fixture(FIXTURE);
    // Norway's translation of an early situation lists a category a later central one has.
    let overlay = dir.path().join("content/divisions/norge/touchpoints/address-change.md");
    let line = "categories = [\"Moving\", \"Refund\"]";
    std::fs::write(
        &overlay,
        format!("+++\ntitle = \"Kunden flytter\"\n{line}\n+++\n\n## Situasjon\n\nKunden flytter.\n"),
    )
    .unwrap();
    let output = run(dir.path(), &["check"]);
    let text = stderr(&output);
    assert_eq!(output.status.code(), Some(1), "{text}");
    let col = line.find("Refund").unwrap() + 1;
    let expected = format!(
        "content/divisions/norge/touchpoints/address-change.md:3:{col}: error: category `refund` is listed by both `address-change` and `refund-request`"
    );
    assert!(text.contains(&expected), "{expected} in:\n{text}");
}
