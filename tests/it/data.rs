//! The help desk's data: volumes, satisfaction and verbatims from `data/*.csv`, matched by id or
//! category, turned into frequencies, charts, rankings and before/after figures per edition,
//! and every bad row reported at its line and column.
//!
//! Expected figures are worked out here from the fixture's CSV files by a plain reading of them
//! (an oracle), not copied from touchbook's output.

use std::collections::BTreeMap;
use std::path::Path;

use crate::support::*;

/// The fixture's rows of one CSV file as maps from (lowercased) column name to value.
fn rows(dir: &Path, file: &str) -> Vec<BTreeMap<String, String>> {
    let text = read(dir.join("data").join(file));
    let mut lines = text.lines();
    let header: Vec<String> = lines.next().unwrap().split(',').map(|h| h.to_lowercase().replace(' ', "")).collect();
    lines.map(|line| header.iter().cloned().zip(line.split(',').map(str::to_string)).collect()).collect()
}

/// Which touch point a row names in the central edition: `a` by id or by its two categories.
fn fixture_touchpoint(key: &str) -> String {
    match key.to_lowercase().as_str() {
        "password reset" | "locked out" => "a".into(),
        other => other.into(),
    }
}

/// Contacts per touch point and month in one edition (`""` is central), as the CSV says.
fn volumes(dir: &Path, division: &str) -> BTreeMap<(String, String), u64> {
    let mut out = BTreeMap::new();
    for row in rows(dir, "volumes.csv").into_iter().filter(|r| r["division"].to_lowercase() == division) {
        let key = match row["touchpoint"].as_str() {
            "BankID-innlogging" => "e".to_string(),
            other => fixture_touchpoint(other),
        };
        *out.entry((key, row["month"].clone())).or_default() += row["contacts"].parse::<u64>().unwrap();
    }
    out
}

fn json(site: &Path, edition: &str) -> serde_json::Value {
    serde_json::from_str(&read(site.join(edition).join("touchpoints.json"))).expect("touchpoints.json is JSON")
}

fn entry<'a>(json: &'a serde_json::Value, id: &str) -> &'a serde_json::Value {
    json["touchpoints"].as_array().unwrap().iter().find(|t| t["id"] == id).unwrap_or_else(|| panic!("{id}"))
}

/// The last 12 months of the data: the latest month in any file and the 11 before it.
fn window(dir: &Path) -> Vec<String> {
    let latest = rows(dir, "volumes.csv").into_iter().map(|r| r["month"].clone()).max().unwrap();
    let (year, month): (i32, i32) = (latest[..4].parse().unwrap(), latest[5..].parse().unwrap());
    (0..12).rev().map(|n| (year * 12 + month - 1) - n).map(|m| format!("{}-{:02}", m / 12, m % 12 + 1)).collect()
}

/// The frequency step of a share, by the fixture's `frequency-shares = [5, 10, 20, 40]`.
fn step(share: f64) -> u64 {
    1 + [0.05, 0.10, 0.20, 0.40].iter().filter(|t| share >= **t).count() as u64
}

#[test]
fn frequency_and_contacts_come_from_the_last_12_months_of_volumes() {
    let built = shared_build("data");
    let (dir, site) = (&built.root, &built.site);
    for (edition, division) in [("", ""), ("norge", "norge")] {
        let volumes = volumes(dir, division);
        let window = window(dir);
        let in_window = |id: &str| -> u64 {
            volumes.iter().filter(|((tp, month), _)| tp == id && window.contains(month)).map(|(_, n)| n).sum()
        };
        let ids: Vec<&str> = if division.is_empty() { vec!["a", "b", "c"] } else { vec!["a", "e"] };
        let total: u64 = ids.iter().map(|id| in_window(id)).sum();
        let json = json(site, edition);
        for id in ids {
            let data = &entry(&json, id)["data"];
            let contacts = in_window(id);
            assert_eq!(data["contacts"], contacts, "{edition} {id}");
            assert_eq!(data["contacts_per_month"], (contacts + 6) / 12, "{edition} {id}");
            assert_eq!(entry(&json, id)["frequency"], step(contacts as f64 / total as f64), "{edition} {id}");
        }
    }
    // Without volumes, the front matter's frequency stays.
    let json = json(site, "");
    assert_eq!(entry(&json, "d")["frequency"], 2);
    assert!(entry(&json, "d").get("data").is_none());
    assert_eq!(entry(&json, "c")["data"]["declared_frequency"], 5);
}

#[test]
fn check_warns_where_the_declared_frequency_is_two_steps_from_the_data() {
    let dir = fixture("data");
    let output = run(dir.path(), &["check"]);
    let text = stderr(&output);
    assert!(output.status.success(), "{text}");
    // c is declared 5 and has 100 of 1,400 contacts a month (7 %: step 2).
    assert!(
        text.contains("content/touchpoints/c.md:6:13: warning: `frequency` is 5, but the contact data says 2"),
        "{text}"
    );
    // a is declared 4 and the data gives 5: one step is a trainer's judgement, not a warning.
    assert!(!text.contains("content/touchpoints/a.md:6"), "{text}");
    assert!(text.contains("content/divisions/norge/touchpoints/e.md:6:13: warning"), "{text}");
}

#[test]
fn a_touch_point_page_charts_and_tabulates_the_last_12_months() {
    let built = shared_build("data");
    let (dir, site) = (&built.root, &built.site);
    let page = read(site.join("touchpoints/a.html"));
    let window = window(dir);
    assert_eq!(attributes(&page, "#figures tr[data-month]", "data-month"), window);
    let volumes = volumes(dir, "");
    let expected: Vec<String> = window
        .iter()
        .map(|m| volumes.get(&("a".to_string(), m.clone())).map_or(String::new(), u64::to_string))
        .collect();
    assert_eq!(attributes(&page, "#figures td[data-contacts]", "data-contacts"), expected);
    // One bar per month with contacts, drawn at build time; one dot per month with answers.
    assert_eq!(attributes(&page, "#figures svg .chart-bar rect", "height").len(), 12);
    let answered = rows(dir, "satisfaction.csv")
        .iter()
        .filter(|r| {
            fixture_touchpoint(&r["touchpoint"]) == "a" && r["division"].is_empty() && window.contains(&r["month"])
        })
        .count();
    assert_eq!(attributes(&page, "#figures svg .chart-dot circle", "cy").len(), answered);
    assert_eq!(
        attributes(&page, "#figures td[data-score]", "data-score")[window.iter().position(|m| m == "2026-07").unwrap()],
        "3.40"
    );
    // The newest three verbatims, newest first, with their channel's label.
    let said = texts(&page, ".verbatims blockquote p");
    assert_eq!(said, ["NEWEST-CENTRAL-VERBATIM", "Second newest, with a comma, and \"quotes\".", "Third newest."]);
    assert!(!page.contains("OLDEST-CENTRAL-VERBATIM"));
    let norge = read(site.join("norge/touchpoints/a.html"));
    assert_eq!(texts(&norge, ".verbatims blockquote p"), ["NORGE-VERBATIM-MARKER kom inn igjen på fem minutter."]);
    assert!(texts(&norge, ".verbatims .note").iter().all(|t| t.ends_with("Telefon")));
    // A touch point the data does not name has no figures.
    assert!(attributes(&read(site.join("touchpoints/d.html")), "#figures", "id").is_empty());
}

#[test]
fn the_start_page_shows_contacts_a_month_written_the_edition_s_way() {
    let built = shared_build("data");
    let (dir, site) = (&built.root, &built.site);
    let volumes = volumes(dir, "");
    let window = window(dir);
    let a: u64 = volumes.iter().filter(|((tp, m), _)| tp == "a" && window.contains(m)).map(|(_, n)| n).sum();
    let per_month = (a + 6) / 12;
    let english = format!("{},{:03} contacts a month", per_month / 1000, per_month % 1000);
    assert!(texts(&read(site.join("index.html")), ".card-contacts").contains(&english), "{english}");
    let norge = texts(&read(site.join("norge/index.html")), ".card-contacts");
    assert!(norge.iter().any(|t| t.ends_with("henvendelser i måneden")), "{norge:?}");
}

#[test]
fn a_rollout_compares_satisfaction_before_its_start_and_since_per_division() {
    let built = shared_build("data");
    let (dir, site) = (&built.root, &built.site);
    // Start 2026-08-03: the 12 weeks before hold May, June and July (their middles fall in
    // them); April does not. Since: August to October.
    let score = |division: &str, months: &[&str]| -> (f64, u64) {
        let rows = rows(dir, "satisfaction.csv");
        let picked: Vec<_> = rows
            .iter()
            .filter(|r| fixture_touchpoint(&r["touchpoint"]) == "a" && r["division"] == division)
            .filter(|r| months.contains(&r["month"].as_str()))
            .collect();
        let answers: u64 = picked.iter().map(|r| r["answers"].parse::<u64>().unwrap()).sum();
        let weighted: f64 =
            picked.iter().map(|r| r["csat"].parse::<f64>().unwrap() * r["answers"].parse::<f64>().unwrap()).sum();
        (weighted / answers as f64, answers)
    };
    let page = read(site.join("rollouts/r.html"));
    let cells = texts(&page, ".effect-table td");
    let editions = texts(&page, ".effect-table tbody th");
    assert_eq!(editions, ["Central", "Norge"]);
    for (row, division) in ["", "norge"].iter().enumerate() {
        let (before, before_answers) = score(division, &["2026-05", "2026-06", "2026-07"]);
        let (since, since_answers) = score(division, &["2026-08", "2026-09", "2026-10"]);
        let expected = [
            format!("{before:.1}"),
            before_answers.to_string(),
            format!("{since:.1}"),
            since_answers.to_string(),
            format!("+{:.1}", since - before),
        ];
        assert_eq!(cells[row * 5..row * 5 + 5], expected, "{division}");
    }
    // The division's edition shows its own figures only.
    let norge = read(site.join("norge/rollouts/r.html"));
    assert_eq!(texts(&norge, ".effect-table tbody th"), ["Norge"]);
}

#[test]
fn a_rollout_s_figures_are_those_of_the_touch_points_its_weeks_practise() {
    // No `touchpoints` in the front matter: the weeks' packs link a (twice) and b, so the
    // figures are those of a and b together.
    let dir = fixture("data");
    let rollout = "+++\ntitle = \"Password programme\"\nstart = 2026-08-03\nweeks = 4\n+++\n\nThe programme.\n\n\
        ## Week 1: Locked out\n\nPractise [the reset](../touchpoints/a.md).\n\n\
        ## Week 2: Billing\n\nPractise [billing](../touchpoints/b.md), then [the reset](../touchpoints/a.md#situation) again.\n";
    std::fs::write(dir.path().join("content/rollouts/r.md"), rollout).unwrap();
    let site = build_ok(dir.path());
    let score = |division: &str, months: &[&str]| -> (f64, u64) {
        let rows = rows(dir.path(), "satisfaction.csv");
        let picked: Vec<_> = rows
            .iter()
            .filter(|r| {
                ["a", "b"].contains(&fixture_touchpoint(&r["touchpoint"]).as_str()) && r["division"] == division
            })
            .filter(|r| months.contains(&r["month"].as_str()))
            .collect();
        let answers: u64 = picked.iter().map(|r| r["answers"].parse::<u64>().unwrap()).sum();
        let weighted: f64 =
            picked.iter().map(|r| r["csat"].parse::<f64>().unwrap() * r["answers"].parse::<f64>().unwrap()).sum();
        (weighted / answers as f64, answers)
    };
    let page = read(site.join("rollouts/r.html"));
    let cells = texts(&page, ".effect-table td");
    assert_eq!(texts(&page, ".effect-table tbody th"), ["Central", "Norge"]);
    for (row, division) in ["", "norge"].iter().enumerate() {
        let (before, before_answers) = score(division, &["2026-05", "2026-06", "2026-07"]);
        let (since, since_answers) = score(division, &["2026-08", "2026-09", "2026-10"]);
        let expected =
            [format!("{before:.1}"), before_answers.to_string(), format!("{since:.1}"), since_answers.to_string()];
        assert_eq!(cells[row * 5..row * 5 + 4], expected, "{division}");
    }
    // b has answers in the central edition only: its figures change the central row.
    let (only_a, _) = {
        let rows = rows(dir.path(), "satisfaction.csv");
        let a: Vec<_> = rows
            .iter()
            .filter(|r| fixture_touchpoint(&r["touchpoint"]) == "a" && r["division"].is_empty())
            .filter(|r| ["2026-05", "2026-06", "2026-07"].contains(&r["month"].as_str()))
            .collect();
        let answers: u64 = a.iter().map(|r| r["answers"].parse::<u64>().unwrap()).sum();
        (
            a.iter().map(|r| r["csat"].parse::<f64>().unwrap() * r["answers"].parse::<f64>().unwrap()).sum::<f64>()
                / answers as f64,
            answers,
        )
    };
    assert_ne!(cells[0], format!("{only_a:.1}"));
    // The page lists the touch points the figures are of, and theirs list the rollout.
    let listed = attributes(&page, "section[aria-labelledby=h-tps] li a[href]", "href");
    for id in ["a", "b"] {
        assert!(listed.iter().any(|href| href.ends_with(&format!("touchpoints/{id}.html"))), "{id}: {listed:?}");
        let touchpoint = read(site.join(format!("touchpoints/{id}.html")));
        let rollouts = attributes(&touchpoint, "section[aria-labelledby=h-rollouts] a[href]", "href");
        assert!(rollouts.iter().any(|href| href.ends_with("rollouts/r.html")), "{id}: {rollouts:?}");
    }
}

#[test]
fn brand_messages_are_ranked_by_satisfaction_the_promise_kept_worst_first() {
    let site = &shared_build("data").site;
    let page = read(site.join("messages/index.html"));
    // m1 is carried by a (scores from 2.0 to 4.4), m2 by b (4.8 every month).
    assert_eq!(texts(&page, ".ranking-table tbody th a"), ["Promise m1", "Promise m2"]);
    let cells = texts(&page, ".ranking-table td");
    assert_eq!(cells[2], "4.8");
}

#[test]
fn the_journey_map_can_be_coloured_by_satisfaction() {
    let site = &shared_build("data").site;
    let page = read(site.join("journey.html"));
    let classes = attributes(&page, "#journey-map li.chip", "class");
    // b's 4.8 is excellent (band 5); d has no answers.
    assert!(classes.iter().any(|c| c.contains("sat-5")), "{classes:?}");
    assert!(classes.iter().any(|c| c.contains("sat-none")), "{classes:?}");
    assert_eq!(attributes(&page, ".colour-by button[data-colour]", "data-colour"), ["frequency", "satisfaction"]);
}

#[test]
fn division_rows_stay_in_their_edition() {
    let site = &shared_build("data").site;
    let mut seen_in_norge = false;
    for (path, bytes) in tree(site) {
        let text = String::from_utf8_lossy(&bytes);
        if text.contains("NORGE-VERBATIM-MARKER") {
            assert!(path.starts_with("norge/"), "{path} shows Norway's verbatim");
            seen_in_norge = true;
        }
    }
    assert!(seen_in_norge, "the verbatim is shown in its own edition");
    // The central edition's figures are its own rows: Norway's 50 contacts a month of `a` are not in them.
    let central = json(site, "");
    let norge = json(site, "norge");
    assert_ne!(entry(&central, "a")["data"]["contacts"], entry(&norge, "a")["data"]["contacts"]);
    assert_eq!(entry(&norge, "a")["data"]["verbatims"][0]["channel"], "phone");
}

/// Writes `text` to `data/<file>` in `dir`.
fn write_data(dir: &Path, file: &str, text: &str) {
    std::fs::write(dir.join("data").join(file), text).unwrap();
}

#[test]
fn every_bad_row_is_reported_at_its_line_and_column_at_once() {
    let dir = fixture("data");
    write_data(
        dir.path(),
        "volumes.csv",
        "touchpoint;month;contacts;division\n\
         a;2026-01;100;\n\
         Pasword reset;2026-01;100;\n\
         a;2026-13;100;\n\
         a;2026-02;1 240;\n\
         a;2026-03;-5;\n\
         a;2026-04;100;finland\n\
         a;2026-05;100\n\
         gamma;2026-05;100;norge\n",
    );
    write_data(
        dir.path(),
        "satisfaction.csv",
        "touchpoint,month,nps,answers\na,2026-01,101,5\na,2026-02,50,0\na,2026-03,\"-20\",abc\n",
    );
    write_data(
        dir.path(),
        "verbatims.csv",
        "touchpoint,date,channel,text\na,2026-02-30,phone,Hi\na,2026-03-01,fax,Hi\nb,2026-03-01,Email,\n",
    );
    std::fs::write(dir.path().join("data/notes.csv"), "x\n").unwrap();
    let output = run(dir.path(), &["build"]);
    let text = stderr(&output);
    assert_eq!(output.status.code(), Some(1), "{text}");
    assert!(!dir.path().join("site").exists(), "nothing is written");
    for expected in [
        "data/volumes.csv:3:1: error: `Pasword reset` is neither a touch point nor a category of one",
        "data/volumes.csv:4:3: error: `2026-13` is not a month",
        "data/volumes.csv:5:11: error: `1 240` is not a number of contacts",
        "data/volumes.csv:6:11: error: `-5` is not a number of contacts",
        "data/volumes.csv:7:15: error: `finland` is not a division in book.toml",
        "data/volumes.csv:8:1: error: this row has 3 fields, the header has 4",
        "data/volumes.csv:9:1: error: `gamma` is neither a touch point nor a category of one in the Norge edition",
        "data/satisfaction.csv:2:11: error: nps `101` is out of range: it goes from -100 to 100",
        "data/satisfaction.csv:3:14: error: a score needs at least one answer",
        "data/satisfaction.csv:4:17: error: `abc` is not a number of answers",
        "data/verbatims.csv:2:3: error: `2026-02-30` is not a date",
        "data/verbatims.csv:3:14: error: `fax` is not a channel of the journey",
        "data/verbatims.csv:4:20: error: the text is empty",
        "data/notes.csv: warning: touchbook does not know what this data file holds",
    ] {
        assert!(text.contains(expected), "missing `{expected}` in:\n{text}");
    }
    assert!(text.contains("help: did you mean `password reset`?"), "{text}");
}

/// Numbers no export means (past a trillion, past what a computer counts, `NaN`, `inf`) are
/// reported at their field; the largest a row may hold, in many rows, still adds up.
#[test]
fn numbers_too_large_or_not_numbers_are_reported_and_large_ones_add_up() {
    let dir = fixture("data");
    let most = "1000000000000";
    let mut volumes = String::from("touchpoint,month,contacts,division\n");
    for _ in 0..3 {
        volumes.push_str(&format!("b,2026-10,{most},\n"));
    }
    volumes.push_str("b,2026-09,99999999999999999999,\nb,2026-08,18446744073709551615,\nb,2026-07,1000000000001,\n");
    write_data(dir.path(), "volumes.csv", &volumes);
    write_data(
        dir.path(),
        "satisfaction.csv",
        "touchpoint,month,csat,answers\nb,2026-01,NaN,5\nb,2026-02,inf,5\nb,2026-03,4,18446744073709551615\n",
    );
    let output = run(dir.path(), &["build"]);
    let text = stderr(&output);
    assert_eq!(output.status.code(), Some(1), "{text}");
    assert!(!text.contains("panicked"), "{text}");
    for expected in [
        "data/volumes.csv:5:11: error: `99999999999999999999` is too large for a number of contacts",
        "data/volumes.csv:6:11: error: `18446744073709551615` is too large for a number of contacts",
        "data/volumes.csv:7:11: error: `1000000000001` is too large for a number of contacts",
        "data/satisfaction.csv:2:11: error: `NaN` is not a csat score",
        "data/satisfaction.csv:3:11: error: `inf` is not a csat score",
        "data/satisfaction.csv:4:13: error: `18446744073709551615` is too large for a number of answers",
    ] {
        assert!(text.contains(expected), "missing `{expected}` in:\n{text}");
    }
    for line in 2..=4 {
        assert!(!text.contains(&format!("data/volumes.csv:{line}:")), "a row of a trillion is fine:\n{text}");
    }

    // Without the bad rows the three rows of a trillion add up, in the month's figure and the
    // 12 months' total.
    volumes.truncate(volumes.find("b,2026-09").unwrap());
    write_data(dir.path(), "volumes.csv", &volumes);
    std::fs::remove_file(dir.path().join("data/satisfaction.csv")).unwrap();
    let site = build_ok(dir.path());
    assert_eq!(entry(&json(&site, ""), "b")["data"]["contacts"], 3_000_000_000_000u64);
}

/// A large export is read in pieces; a quote inside a field (`5" screen`) is text, as the CSV
/// reader has it, so a quoted line break further on is not taken for the end of a row.
#[test]
fn a_quote_inside_a_field_does_not_break_a_large_export_s_rows() {
    let dir = fixture("data");
    let rows = 80_000;
    let mut volumes = String::from("touchpoint,month,contacts,division,note\na,2026-02,1,,5\" screen\n");
    for _ in 0..rows {
        volumes.push_str("b,2026-02,1,,plain\n");
    }
    volumes.push_str("b,2026-03,1,,\"called twice\nthen wrote\"\nb,2026-03,1,,last\n");
    assert!(volumes.len() > 1 << 20, "more than one piece");
    write_data(dir.path(), "volumes.csv", &volumes);
    let site = build_ok(dir.path());
    assert_eq!(entry(&json(&site, ""), "b")["data"]["contacts"], rows + 2);
}

/// A large export is read a piece at a time: a bad row is reported at its line and column in
/// the whole file wherever it falls, after rows with quoted line breaks, in a Windows export
/// with a byte order mark and a `sep=` line; so is a letter in the Windows encoding far into it.
#[test]
fn a_large_export_s_bad_rows_are_reported_at_their_lines_in_the_whole_file() {
    let dir = fixture("data");
    let mut volumes = String::from("\u{feff}sep=;\r\ntouchpoint;month;contacts;division;note\r\n");
    let mut line = 3;
    let mut expected = Vec::new();
    for i in 0..200_000 {
        if i % 9_973 == 0 {
            volumes.push_str("b;2026-02;1;;\"called twice;\r\nthen \"\"wrote\"\"\"\r\n");
            line += 2;
        } else if i % 25_013 == 7 {
            volumes.push_str("b;2026-02;many;;plain\r\n");
            expected.push(format!("data/volumes.csv:{line}:11: error: `many` is not a number of contacts"));
            line += 1;
        } else {
            volumes.push_str("b;2026-02;1;;plain\r\n");
            line += 1;
        }
    }
    volumes.push_str("b;2026-13;1;;last");
    expected.push(format!("data/volumes.csv:{line}:3: error: `2026-13` is not a month"));
    assert!(volumes.len() > 3 << 20, "more than three pieces");
    write_data(dir.path(), "volumes.csv", &volumes);
    let output = run(dir.path(), &["build"]);
    let text = stderr(&output);
    assert_eq!(output.status.code(), Some(1), "{text}");
    assert!(expected.len() > 4, "bad rows in several pieces");
    for expected in &expected {
        assert!(text.contains(expected.as_str()), "missing `{expected}` in:\n{text}");
    }
    assert_eq!(text.matches("data/volumes.csv:").count(), expected.len(), "{text}");

    // A letter in the Windows encoding (å as one byte) on the last line but one, column 5.
    let mut bytes = volumes.into_bytes();
    let last = bytes.iter().rposition(|b| *b == b'\n').unwrap();
    let last_but_one = bytes[..last].iter().rposition(|b| *b == b'\n').unwrap() + 1;
    bytes.insert(last_but_one + 4, 0xE5);
    std::fs::write(dir.path().join("data/volumes.csv"), &bytes).unwrap();
    let text = stderr(&run(dir.path(), &["build"]));
    let expected = format!("data/volumes.csv:{}:5: error: this file is not UTF-8 text", line - 1);
    assert!(text.contains(&expected), "missing `{expected}` in:\n{text}");
}

#[test]
fn exports_named_the_help_desk_s_way_are_read_too() {
    let dir = fixture("data");
    // A Nordic spreadsheet's export: semicolons, decimal commas, other column names, a scale
    // named by the file; comments with a time of day.
    std::fs::remove_file(dir.path().join("data/satisfaction.csv")).unwrap();
    write_data(dir.path(), "csat-2026.csv", "Touch point;Period;Score;Responses\nb;2026-10;4,6;7\nb;2026-09;4,0;3\n");
    std::fs::remove_file(dir.path().join("data/verbatims.csv")).unwrap();
    write_data(
        dir.path(),
        "comments.csv",
        "Touchpoint,Date,Channel,Comment\nb,2026-10-02T09:15:00,Email,TIMED-COMMENT\n",
    );
    let site = build_ok(dir.path());
    let page = read(site.join("touchpoints/b.html"));
    let scores = attributes(&page, "#figures td[data-score]", "data-score");
    assert_eq!(scores[scores.len() - 2..], ["4.00", "4.60"]);
    assert_eq!(texts(&page, ".verbatims blockquote p"), ["TIMED-COMMENT"]);
    let json = json(&site, "");
    assert_eq!(entry(&json, "b")["data"]["satisfaction"]["answers"], 10);
    assert_eq!(entry(&json, "b")["data"]["satisfaction"]["score"], 4.42);
}

#[test]
fn a_file_without_the_columns_it_needs_names_them() {
    let dir = fixture("data");
    write_data(dir.path(), "satisfaction.csv", "touchpoint,month,score\na,2026-01,4\n");
    let output = run(dir.path(), &["check"]);
    let text = stderr(&output);
    assert_eq!(output.status.code(), Some(1), "{text}");
    assert!(
        text.contains("data/satisfaction.csv:1:1: error: the header row has no `answers`, `csat` or `nps` column"),
        "{text}"
    );
}

#[test]
fn frequency_shares_are_checked_in_book_toml() {
    let dir = fixture("data");
    let config = read(dir.path().join("book.toml")).replace("[5, 10, 20, 40]", "[5, 3, 20, 40]");
    std::fs::write(dir.path().join("book.toml"), config).unwrap();
    let output = run(dir.path(), &["check"]);
    let text = stderr(&output);
    assert_eq!(output.status.code(), Some(1), "{text}");
    assert!(text.contains("book.toml:14:24: error: the percentages in `frequency-shares` must rise"), "{text}");
}

#[test]
fn a_category_two_touch_points_list_is_an_error() {
    let dir = fixture("data");
    let b = read(dir.path().join("content/touchpoints/b.md"))
        .replace("messages = [\"m2\"]", "messages = [\"m2\"]\ncategories = [\"Locked out\"]");
    std::fs::write(dir.path().join("content/touchpoints/b.md"), b).unwrap();
    let output = run(dir.path(), &["check"]);
    let text = stderr(&output);
    assert_eq!(output.status.code(), Some(1), "{text}");
    assert!(
        text.contains("content/touchpoints/b.md:9:16: error: category `locked out` is listed by both `a` and `b`"),
        "{text}"
    );
}

#[test]
fn every_page_with_figures_keeps_to_the_html_policy() {
    let site = &shared_build("data").site;
    let mut charts = 0;
    for (path, bytes) in tree(site).into_iter().filter(|(path, _)| path.ends_with(".html")) {
        let html = String::from_utf8(bytes).unwrap();
        charts += select(&html, "svg[class^=chart]").len();
        assert_eq!(touchbook::html_policy::check_page(&html), Vec::<String>::new(), "{path}");
    }
    assert!(charts >= 4, "the pages read back include charts");
}

#[test]
fn serve_shows_a_changed_export_at_once() {
    let dir = fixture("data");
    let server = Server::start(dir.path());
    let (status, page) = server.get("/touchpoints/c.html");
    assert_eq!(status, 200);
    assert!(attributes(&page, "#figures td[data-contacts]", "data-contacts").contains(&"100".to_string()));
    let file = dir.path().join("data/volumes.csv");
    std::fs::write(&file, read(&file).replace("c,2026-10,100,", "c,2026-10,4321,")).unwrap();
    let contacts = |html: &str| attributes(html, "#figures td[data-contacts]", "data-contacts");
    let page = server.wait_for("/touchpoints/c.html", |html| contacts(html).contains(&"4321".to_string()));
    let shown = texts(&page, "#figures td[data-contacts]");
    assert!(shown.contains(&"4,321".to_string()), "the new figure is shown, written the English way: {shown:?}");
    // A bad row keeps the last good site and says where the mistake is.
    std::fs::write(&file, read(&file).replace("c,2026-10,4321,", "c,2026-10,lots,")).unwrap();
    std::thread::sleep(std::time::Duration::from_millis(800));
    let (_, status) = server.get("/__touchbook/status");
    assert!(status.contains("data/volumes.csv:") && status.contains("`lots` is not a number of contacts"), "{status}");
}

#[test]
fn in_a_browser_the_journey_map_switches_to_satisfaction_colours_and_the_chart_table_is_for_screen_readers() {
    let Some(browser) = crate::browser::Browser::start() else { return };
    let dir = fixture("data");
    let server = Server::start(dir.path());
    browser.goto(&format!("http://{}/journey.html", server.address));
    let background = "return getComputedStyle(document.querySelector('#journey-map li.chip.sat-5')).backgroundColor";
    let by_frequency = browser.js(background);
    browser.click(".colour-by button[data-colour='satisfaction']");
    assert!(browser.wait_until("return document.getElementById('journey-map').dataset.colour === 'satisfaction'"));
    assert_ne!(browser.js(background), by_frequency, "the chip takes its satisfaction colour");
    assert_eq!(
        browser.js("return [document.querySelector('.legend-satisfaction').hidden, document.querySelector('.legend-frequency').hidden]"),
        serde_json::json!([false, true])
    );
    assert_eq!(browser.js("return document.querySelector(\".colour-by button[data-colour='satisfaction']\").getAttribute('aria-pressed')"), serde_json::json!("true"));

    // The chart is drawn; its numbers are in a table that takes no room on screen but is read out.
    browser.goto(&format!("http://{}/touchpoints/a.html", server.address));
    let chart = browser.js("const r = document.querySelector('#figures svg.chart').getBoundingClientRect(); return r.width > 100 && r.height > 40");
    assert_eq!(chart, serde_json::json!(true));
    let table = browser.js("const r = document.querySelector('#figures .figures-table').getBoundingClientRect(); return r.width <= 1 && r.height <= 1 && document.querySelectorAll('#figures table tbody tr').length === 12");
    assert_eq!(table, serde_json::json!(true));
    browser.screenshot(&crate::browser::screenshot_dir().join("data-touchpoint.png"));
}

#[cfg(unix)]
#[test]
fn an_export_linked_from_outside_the_playbook_is_refused() {
    let outside = tempfile::tempdir().unwrap();
    std::fs::write(outside.path().join("volumes.csv"), "touchpoint,month,contacts\na,2026-10,999999\n").unwrap();
    let dir = fixture("data");
    let link = dir.path().join("data/volumes-outside.csv");
    std::os::unix::fs::symlink(outside.path().join("volumes.csv"), &link).unwrap();
    let output = run(dir.path(), &["check"]);
    let text = stderr(&output);
    assert_eq!(output.status.code(), Some(1), "{text}");
    assert!(
        text.contains("data/volumes-outside.csv: error: cannot read: it leads outside the playbook folder"),
        "{text}"
    );
}
