//! The held-out exports gone wrong and as they come: every bad row at its line and column with
//! a hint, check's frequency warnings, and exports as Excel, survey and ticket tools write them.

use super::oracle::*;
use crate::support::*;

/// A bad row put into a copy of the fixture: the file, the row as written (after the header,
/// or at the end), the bad field as written and what the message says.
struct BadRow {
    file: &'static str,
    row: &'static str,
    first: bool,
    field: &'static str,
    message: &'static str,
}

const BAD_ROWS: [BadRow; 14] = [
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
    // A day where a month goes: only a month's first day stands for the month.
    BadRow {
        file: "contacts-2025.csv",
        row: "Moving;2025-10-14;5;",
        first: false,
        field: "2025-10-14",
        message: "`2025-10-14` is a day, not a month",
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
        message: "the number of contacts is missing",
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
    // A tab-separated export with CRLF and empty lines at its end, its score column named the
    // way survey tools name it.
    let central = rewrite(&read(data.join("csat-central.csv")), b',', b'\t', "\r\n");
    let central = central.replacen("\tcsat\t", "\tCSAT score\t", 1);
    // Reports grouped by month in a database write each month as its first day, with a time.
    let central: String = central
        .split_inclusive("\r\n")
        .enumerate()
        .map(|(i, line)| {
            let mut fields: Vec<String> = line.split('\t').map(str::to_string).collect();
            if i > 0 {
                fields[1] = format!("{}-01 00:00:00", fields[1]);
            }
            fields.join("\t")
        })
        .collect();
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

#[test]
fn held_out_category_two_central_files_list_is_reported_once_and_a_division_s_third_at_its_file() {
    let dir = fixture(FIXTURE);
    let edit = |path: &str, from: &str, to: &str| {
        let path = dir.path().join(path);
        let text = std::fs::read_to_string(&path).unwrap();
        assert!(text.contains(from), "{from} in {}", path.display());
        std::fs::write(&path, text.replacen(from, to, 1)).unwrap();
    };
    // Two central situations list "Moving"; Norway translates one of them without its own
    // categories, so its edition has the same conflict, which is the central files' to fix.
    edit("content/touchpoints/delivery-delay.md", "\"Late Delivery\"]", "\"Late Delivery\", \"moving\"]");
    std::fs::write(
        dir.path().join("content/divisions/norge/touchpoints/address-change.md"),
        "+++\ntitle = \"Kunden flytter\"\n+++\n\n## Situasjon\n\nKunden flytter.\n",
    )
    .unwrap();
    // Two central situations list "Refund", and Norway's translation gives it to a third.
    edit("content/touchpoints/billing-dispute.md", "\"wrong invoice\"]", "\"wrong invoice\", \"Refund\"]");
    edit("content/divisions/norge/touchpoints/login-help.md", "\"Password Reset\"]", "\"Password Reset\", \"refund\"]");
    let output = run(dir.path(), &["check"]);
    let text = stderr(&output);
    assert_eq!(output.status.code(), Some(1), "{text}");
    let errors: Vec<&str> = text.lines().filter(|l| l.contains("error: category")).collect();
    let at = |file: &str, message: &str| errors.iter().filter(|l| l.starts_with(file) && l.contains(message)).count();
    assert_eq!(errors.len(), 3, "{text}");
    assert_eq!(
        at(
            "content/touchpoints/delivery-delay.md:",
            "`moving` is listed by both `address-change` and `delivery-delay`"
        ),
        1,
        "{text}"
    );
    assert_eq!(at("content/touchpoints/", "`refund` is listed by both"), 1, "{text}");
    assert_eq!(at("content/divisions/norge/touchpoints/login-help.md:3:", "`refund` is listed by both"), 1, "{text}");
}
