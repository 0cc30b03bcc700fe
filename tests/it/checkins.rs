//! Check-ins and the follow-up of rollouts: the centre's matrix (each division against its own
//! start), the division's own weeks, shared actions only where shared, diagnostics for bad
//! check-ins, and the follow-up status in `check --format json`.
//!
//! The fixture's build date is 2026-11-01 (`SOURCE_DATE_EPOCH`). The central programme starts
//! 2026-09-07, Norge's on 2026-09-21 (its overlay), so Norge's week 5 is due by 2026-10-25 and
//! the central week 8 ends on the build date itself (not yet due).

use std::cell::RefCell;
use std::path::Path;
use std::rc::Rc;

use crate::support::*;

/// One row of the follow-up matrix: who (division, and team), each week's state, and the
/// row's totals per state.
#[derive(Debug, Clone, Default, PartialEq)]
struct Row {
    who: String,
    states: Vec<String>,
    counts: Vec<(String, String)>,
}

enum Event {
    Row,
    Text(String),
    Break,
    State(String),
    Count(String),
}

/// The follow-up matrix of a rollout page, read with an HTML parser, rows in page order.
fn matrix(html: &str) -> Vec<Row> {
    let events: Rc<RefCell<Vec<Event>>> = Rc::default();
    let row = "table[data-followup] tr[data-followup-row]";
    let (e1, e2, e3, e4, e5, e6) =
        (events.clone(), events.clone(), events.clone(), events.clone(), events.clone(), events.clone());
    let (th, br, state, count) = (
        format!("{row} th[scope=row]"),
        format!("{row} th[scope=row] br"),
        format!("{row} td[data-state]"),
        format!("{row} td[data-count]"),
    );
    let settings = lol_html::RewriteStrSettings::new()
        .append_element_content_handler(lol_html::element!(row, move |_| {
            e1.borrow_mut().push(Event::Row);
            Ok(())
        }))
        .append_element_content_handler(lol_html::text!(&th, move |t| {
            e2.borrow_mut().push(Event::Text(t.as_str().to_string()));
            Ok(())
        }))
        .append_element_content_handler(lol_html::element!(&br, move |_| {
            e3.borrow_mut().push(Event::Break);
            Ok(())
        }))
        .append_element_content_handler(lol_html::element!(&state, move |el| {
            e4.borrow_mut().push(Event::State(el.get_attribute("data-state").unwrap_or_default()));
            Ok(())
        }))
        .append_element_content_handler(lol_html::element!(&count, move |el| {
            e5.borrow_mut().push(Event::Count(el.get_attribute("data-count").unwrap_or_default()));
            Ok(())
        }))
        .append_element_content_handler(lol_html::text!(&count, move |t| {
            e6.borrow_mut().push(Event::Text(t.as_str().to_string()));
            Ok(())
        }));
    lol_html::rewrite_str(html, settings).expect("the page parses");
    let mut rows: Vec<Row> = Vec::new();
    let mut in_who = false;
    for event in events.take() {
        match event {
            Event::Row => {
                rows.push(Row::default());
                in_who = true;
            }
            Event::Break => in_who = false,
            Event::Text(text) => {
                let row = rows.last_mut().unwrap();
                if let Some(count) = row.counts.last_mut() {
                    count.1.push_str(&text);
                } else if in_who {
                    row.who.push_str(&text);
                }
            }
            Event::State(state) => rows.last_mut().unwrap().states.push(state),
            Event::Count(state) => rows.last_mut().unwrap().counts.push((state, String::new())),
        }
    }
    for row in &mut rows {
        row.who = row.who.split_whitespace().collect::<Vec<_>>().join(" ");
    }
    rows
}

fn states(list: &[&str]) -> Vec<String> {
    list.iter().map(|s| s.to_string()).collect()
}

/// `n` times `state`.
fn times(n: usize, state: &str) -> Vec<&str> {
    vec![state; n]
}

fn built() -> (tempfile::TempDir, std::path::PathBuf) {
    let dir = fixture("checkins");
    let site = build_ok(dir.path());
    (dir, site)
}

#[test]
fn the_centre_sees_every_division_against_its_own_start_those_behind_first() {
    let (_dir, site) = built();
    let page = read(site.join("rollouts/programme.html"));
    let rows = matrix(&page);
    let who: Vec<&str> = rows.iter().map(|r| r.who.as_str()).collect();
    assert_eq!(who, ["Danmark", "Norge · Bergen field", "Norge · Oslo desk", "Sverige"], "most overdue first");
    let by = |name: &str| rows.iter().find(|r| r.who == name).unwrap().states.clone();
    // Danmark recorded nothing: the seven weeks ended by 1 November are overdue.
    let mut danmark = times(7, "overdue");
    danmark.extend(times(9, "not-yet-due"));
    assert_eq!(by("Danmark"), states(&danmark));
    // Norge started two weeks later: five weeks are due. Week 1 was held by the whole
    // division (both teams), week 2 by Bergen after the week ended.
    let mut oslo = vec!["on-time", "on-time", "on-time", "overdue", "overdue"];
    oslo.extend(times(11, "not-yet-due"));
    assert_eq!(by("Norge · Oslo desk"), states(&oslo));
    let mut bergen = vec!["on-time", "late", "overdue", "overdue", "overdue"];
    bergen.extend(times(11, "not-yet-due"));
    assert_eq!(by("Norge · Bergen field"), states(&bergen));
    let mut sverige = times(7, "on-time");
    sverige.extend(times(9, "not-yet-due"));
    assert_eq!(by("Sverige"), states(&sverige));
    let bergen_counts = &rows[1].counts;
    let count = |state: &str| bergen_counts.iter().find(|(s, _)| s == state).map(|(_, n)| n.trim().to_string());
    assert_eq!(
        (count("on-time"), count("late"), count("overdue"), count("not-yet-due")),
        (Some("1".into()), Some("1".into()), Some("3".into()), Some("11".into()))
    );
    // Each division's own dates, not "All divisions" with the central ones.
    assert!(page.contains("<strong>Norge</strong>: <time datetime=\"2026-09-21\">"), "Norge's own start");
    assert!(page.contains("<strong>Sverige</strong>: <time datetime=\"2026-09-07\">"));
    assert!(!page.contains("All divisions"));
    // Average obstacle of week 2: Oslo 4, Bergen 3, Sverige 1.
    let averages = between(&page, "class=\"obstacle-average\"", "</tr>");
    assert!(averages.contains("<td data-label=\"Week 2\">2.7</td>"), "{averages}");
}

#[test]
fn a_division_sees_its_own_weeks_and_only_the_actions_others_share() {
    let (_dir, site) = built();
    let norge = read(site.join("norge/rollouts/programme.html"));
    assert!(norge.contains("NORGE-PRIVATE-ACTION") && norge.contains("NORGE-PRIVATE-OBSTACLE"));
    assert!(norge.contains("Fra Sverige") && norge.contains("SVERIGE-SHARED-ACTION"));
    let who: Vec<String> = matrix(&norge).into_iter().map(|r| r.who).collect();
    assert_eq!(who, ["Norge · Bergen field", "Norge · Oslo desk"], "only its own teams");
    let danmark = read(site.join("danmark/rollouts/programme.html"));
    assert!(danmark.contains("Fra Sverige") && danmark.contains("SVERIGE-SHARED-ACTION"));
    assert!(read(site.join("rollouts/programme.html")).contains("From Sverige"));
}

#[test]
fn private_check_ins_stay_in_their_division_in_every_file() {
    let (_dir, site) = built();
    for (path, bytes) in tree(&site) {
        let text = String::from_utf8_lossy(&bytes);
        let home = |division: &str| path.starts_with(&format!("{division}/"));
        for marker in ["NORGE-PRIVATE-ACTION", "NORGE-PRIVATE-OBSTACLE", "Pingvinrunde"] {
            assert!(home("norge") || !text.contains(marker), "{path} contains {marker}");
        }
        for marker in ["SVERIGE-PRIVATE-ACTION", "SVERIGE-PRIVATE-OBSTACLE", "Kolibrirunda"] {
            assert!(home("sverige") || !text.contains(marker), "{path} contains {marker}");
        }
    }
    for edition in ["", "norge/", "danmark/", "sverige/"] {
        for file in ["feed.xml", "touchpoints.json", "plan.html"] {
            assert!(site.join(format!("{edition}{file}")).is_file(), "{edition}{file} was checked");
        }
    }
}

#[test]
fn check_warns_about_overdue_weeks_and_reports_follow_up_as_json() {
    let dir = fixture("checkins");
    let output = run(dir.path(), &["check"]);
    assert!(output.status.success(), "overdue weeks are warnings: {}", stderr(&output));
    let text = stderr(&output);
    assert!(
        text.contains("content/divisions/danmark/checkins/programme.md: warning: Danmark has not recorded weeks 1–7 of `programme`: overdue"),
        "{text}"
    );
    assert!(text.contains("Norge (team bergen-field) has not recorded weeks 3–5"), "{text}");
    assert!(!text.contains("Sverige has not recorded"), "{text}");
    let summary = text.split("\nfollow-up:\n").nth(1).expect("a follow-up summary");
    let lines: Vec<&str> = summary.lines().take(3).collect();
    assert_eq!(
        lines,
        [
            "  programme:",
            "    danmark, from 2026-09-07: 0 on time, 0 late, 7 overdue, 9 not yet due",
            "    norge (bergen-field), from 2026-09-21: 1 on time, 1 late, 3 overdue, 11 not yet due",
        ],
        "those behind first"
    );
    let output = run(dir.path(), &["check", "--format", "json"]);
    let report: serde_json::Value = serde_json::from_str(&stdout(&output)).unwrap();
    let rows = report["follow-up"].as_array().expect("a follow-up list");
    let row = |division: &str, team: Option<&str>| {
        rows.iter()
            .find(|r| r["division"] == division && r["team"].as_str() == team && r["rollout"] == "programme")
            .unwrap()
    };
    let bergen = row("norge", Some("bergen-field"));
    assert_eq!(bergen["start"], "2026-09-21");
    assert_eq!(bergen["totals"]["late"], 1);
    assert_eq!(bergen["totals"]["overdue"], 3);
    assert_eq!(bergen["weeks"][1]["state"], "late");
    assert_eq!(bergen["weeks"][1]["held-on"], "2026-10-06");
    assert_eq!(row("danmark", None)["totals"]["overdue"], 7);
    assert_eq!(row("sverige", None)["totals"]["on-time"], 7);
    assert!(!stdout(&output).contains("PRIVATE"), "the report carries states, not what was said");
}

/// Writes Norge's check-in file with `weeks` appended and runs `check`.
fn check_with(dir: &Path, weeks: &str) -> String {
    let file = dir.join("content/divisions/norge/checkins/programme.md");
    let text = read(&file).replace("\n+++\n", &format!("\n{weeks}\n+++\n"));
    std::fs::write(&file, text).unwrap();
    let output = run(dir, &["check"]);
    assert_eq!(output.status.code(), Some(1), "{}", stderr(&output));
    stderr(&output)
}

#[test]
fn a_bad_check_in_is_an_error_at_its_line_and_column() {
    let dir = fixture("checkins");
    let lines_before = read(dir.path().join("content/divisions/norge/checkins/programme.md")).lines().count();
    let weeks = "[[week]]\nnumber = 17\nheld-on = 2026-10-20\n\n[[week]]\nnumber = 4\nheld-on = 2026-09-10\n\n[[week]]\nnumber = 5\nteam = \"tromso\"\nheld-on = 2026-10-20\npractised = [\"gamma\"]\n";
    let text = check_with(dir.path(), weeks);
    let at = |offset: usize, col: usize| {
        format!("content/divisions/norge/checkins/programme.md:{}:{col}: error:", lines_before - 1 + offset)
    };
    assert!(text.contains(&format!("{} week 17 is outside `programme`, which has 16 weeks", at(2, 10))), "{text}");
    assert!(
        text.contains(&format!("{} `held-on` is 2026-09-10, before Norge starts `programme` on 2026-09-21", at(7, 11))),
        "{text}"
    );
    assert!(text.contains(&format!("{} `tromso` is not a team of Norge", at(11, 8))), "{text}");
    assert!(text.contains("the teams of Norge are"), "{text}");
    assert!(
        text.contains(&format!("{} `gamma` in `practised` is not a touch point of this playbook", at(13, 14))),
        "{text}"
    );
}

#[test]
fn check_ins_name_a_rollout_of_their_division() {
    let dir = fixture("checkins");
    let checkins = dir.path().join("content/divisions/danmark/checkins");
    std::fs::create_dir_all(&checkins).unwrap();
    std::fs::write(checkins.join("programm.md"), "+++\n[[week]]\nnumber = 1\nheld-on = 2026-09-08\n+++\n").unwrap();
    let output = run(dir.path(), &["check"]);
    assert_eq!(output.status.code(), Some(1));
    let text = stderr(&output);
    assert!(
        text.contains("content/divisions/danmark/checkins/programm.md:1:1: error: there is no rollout `programm` for these check-ins"),
        "{text}"
    );
    assert!(text.contains("did you mean `programme`"), "{text}");
}

#[test]
fn a_division_edition_carries_its_own_title_and_description() {
    let (_dir, site) = built();
    let index = read(site.join("norge/index.html"));
    assert!(index.contains("<title>Kundehåndboka NO-TITLE</title>"), "HTML title");
    assert!(index.contains("<h1>Kundehåndboka NO-TITLE</h1>") && index.contains("NO-DESCRIPTION"), "start page");
    let feed = read(site.join("norge/feed.xml"));
    let doc = roxmltree::Document::parse(&feed).unwrap();
    let title = doc.root_element().children().find(|n| n.has_tag_name("title")).and_then(|n| n.text());
    assert!(title.is_some_and(|t| t.starts_with("Kundehåndboka NO-TITLE")), "{title:?}");
    let sverige = read(site.join("sverige/index.html"));
    assert!(sverige.contains(">Check-in Fixture</h1>"), "without its own title, the central one");
    assert!(!read(site.join("index.html")).contains("NO-TITLE"));
}

/// The text of each element `selector` matches, whitespace collapsed.
fn texts(html: &str, selector: &str) -> Vec<String> {
    let found: Rc<RefCell<Vec<String>>> = Rc::default();
    let (f1, f2) = (found.clone(), found.clone());
    let settings = lol_html::RewriteStrSettings::new()
        .append_element_content_handler(lol_html::element!(selector, move |_| {
            f1.borrow_mut().push(String::new());
            Ok(())
        }))
        .append_element_content_handler(lol_html::text!(selector, move |t| {
            if let Some(last) = f2.borrow_mut().last_mut() {
                last.push_str(t.as_str());
                last.push(' ');
            }
            Ok(())
        }));
    lol_html::rewrite_str(html, settings).expect("the page parses");
    found.take().into_iter().map(|t| t.split_whitespace().collect::<Vec<_>>().join(" ")).collect()
}

#[test]
fn the_plan_shows_each_division_on_its_own_dates_with_weeks_held_and_overdue() {
    let dir = fixture("checkins");
    let file = dir.path().join("content/divisions/norge/checkins/programme.md");
    let week6 = "[[week]]\nnumber = 6\nheld-on = 2026-10-27\n";
    std::fs::write(&file, read(&file).replace("\n+++\n", &format!("\n{week6}+++\n"))).unwrap();
    // Three weeks later than the other tests: weeks of November are overdue by now.
    let output = assert_cmd::Command::cargo_bin("touchbook")
        .unwrap()
        .current_dir(dir.path())
        .env("SOURCE_DATE_EPOCH", "1795132800")
        .arg("build")
        .output()
        .unwrap();
    assert!(output.status.success(), "{}", stderr(&output));
    let plan = read(dir.path().join("site/plan.html"));
    let rows = texts(&plan, "tr.plan-rollout-division");
    let row = |name: &str| rows.iter().find(|r| r.starts_with(&format!("Programme · {name}"))).cloned().unwrap();
    // Norge's November: its weeks 6–11 (it started two weeks late); 6 held, 7 and 8 overdue.
    let norge = row("Norge");
    assert!(norge.contains("21 September 2026") && norge.contains("6–11 1 held · 2 overdue"), "{norge}");
    // Danmark's November: central weeks 8–13, of which 8, 9 and 10 ended before the 20th.
    let danmark = row("Danmark");
    assert!(danmark.contains("7 September 2026") && danmark.contains("8–13 3 overdue"), "{danmark}");
    let norge_plan = read(dir.path().join("site/norge/plan.html"));
    let own = texts(&norge_plan, "tr.plan-rollout");
    assert!(own.iter().any(|r| r.contains("21. september 2026") && r.contains("6–11 1 holdt · 2 forfalt")), "{own:?}");
}

/// What the reader's browser shows of the matrix once `touchbook.js` ran: per row, who, the
/// state of each week and the overdue count.
fn matrix_in_browser(browser: &crate::browser::Browser) -> Vec<(String, Vec<String>, String)> {
    let rows = browser.js(
        "return Array.from(document.querySelectorAll('table[data-followup] tr[data-followup-row]')).map(function (tr) {
           return [tr.querySelector('th').firstChild.textContent.trim(),
                   Array.from(tr.querySelectorAll('td[data-week-end]')).map(function (td) { return td.dataset.state; }),
                   tr.querySelector('td[data-count=\"overdue\"]').textContent];
         });",
    );
    let text = |v: &serde_json::Value| v.as_str().unwrap().to_string();
    rows.as_array()
        .unwrap()
        .iter()
        .map(|row| (text(&row[0]), row[1].as_array().unwrap().iter().map(text).collect(), text(&row[2])))
        .collect()
}

#[test]
fn the_browser_brings_the_matrix_up_to_date_against_its_own_today() {
    let Some(browser) = crate::browser::Browser::start() else { return };
    let dir = fixture("checkins");
    let server = Server::start(dir.path());
    browser.goto(&format!("http://{}/rollouts/programme.html", server.address));
    let rows = matrix_in_browser(&browser);
    // The site was built for 1 November 2026; the reader's today is the machine's.
    let today = time::OffsetDateTime::now_utc().date();
    let sverige = rows.iter().find(|r| r.0.starts_with("Sverige")).expect("a row for Sverige");
    for (i, state) in sverige.1.iter().enumerate() {
        let end = time::macros::date!(2026 - 09 - 13) + time::Duration::weeks(i as i64);
        let expected = if i < 7 {
            "on-time"
        } else if today > end {
            "overdue"
        } else {
            "not-yet-due"
        };
        assert_eq!(state, expected, "Sverige week {}", i + 1);
    }
    for (who, states, overdue) in &rows {
        let counted = states.iter().filter(|s| *s == "overdue").count();
        assert_eq!(overdue, &counted.to_string(), "{who}: the totals follow");
    }
    let overdue: Vec<usize> = rows.iter().map(|r| r.2.parse().unwrap()).collect();
    assert!(overdue.windows(2).all(|w| w[0] >= w[1]), "most behind first: {rows:?}");
    assert_eq!(rows.len(), 4);
    let errors: Vec<String> = browser.console_errors().into_iter().filter(|e| !e.contains("favicon.ico")).collect();
    assert_eq!(errors, Vec::<String>::new(), "the script runs without errors");
}

#[test]
fn each_edition_searches_only_the_check_ins_it_may_show() {
    let Some(browser) = crate::browser::Browser::start() else { return };
    let dir = fixture("checkins");
    let server = Server::start(dir.path());
    let search = |page: &str, query: &str| -> Vec<String> {
        browser.goto(&format!("http://{}/{page}", server.address));
        assert!(browser.wait_until("return !document.getElementById('search-input').disabled"));
        browser.type_into("#search-input", query);
        assert!(browser.wait_until(
            "var s = document.getElementById('search-status').textContent; return s !== '' && !/…$/.test(s);"
        ));
        let titles = browser.js("return Array.from(document.querySelectorAll('#search-results .search-title')).map(function (a) { return a.textContent; })");
        titles.as_array().unwrap().iter().map(|t| t.as_str().unwrap().to_string()).collect()
    };
    assert_eq!(search("norge/index.html", "Pingvinrunde").first().map(String::as_str), Some("Programmet"));
    for page in ["index.html", "sverige/index.html", "danmark/index.html"] {
        let found = search(page, "Pingvinrunde");
        assert!(!found.iter().any(|t| t.contains("Program")), "{page}: {found:?}");
    }
    assert_eq!(search("sverige/index.html", "Kolibrirunda").first().map(String::as_str), Some("Programme"));
    assert!(search("norge/index.html", "Kolibrirunda").iter().all(|t| !t.contains("Program")));
}

#[test]
fn with_contribute_each_week_links_to_the_hosts_editor_with_its_stub() {
    let dir = fixture("checkins");
    let config = read(dir.path().join("book.toml"))
        + "\n[contribute]\nrepository = \"https://git.example.com/service/playbook\"\nhost = \"github\"\n";
    std::fs::write(dir.path().join("book.toml"), config).unwrap();
    let site = build_ok(dir.path());
    let links = |page: &str| -> Vec<String> {
        let found: Rc<RefCell<Vec<String>>> = Rc::default();
        let f = found.clone();
        let settings = lol_html::RewriteStrSettings::new().append_element_content_handler(lol_html::element!(
            ".log-week a[href]",
            move |el| {
                // The attribute as written: `&` is escaped in HTML.
                f.borrow_mut().push(el.get_attribute("href").unwrap_or_default().replace("&amp;", "&"));
                Ok(())
            }
        ));
        lol_html::rewrite_str(&read(site.join(page)), settings).unwrap();
        found.take()
    };
    // Danmark has no check-in file yet: a new file, prefilled with week 3's table.
    let danmark = links("danmark/rollouts/programme.html");
    assert_eq!(danmark.len(), 16, "one per week");
    let week3 = url::Url::parse(&danmark[2]).unwrap();
    assert_eq!(week3.path(), "/service/playbook/new/main/content/divisions/danmark/checkins");
    let query: std::collections::HashMap<String, String> = week3.query_pairs().into_owned().collect();
    assert_eq!(query["filename"], "programme.md");
    assert!(query["value"].starts_with("+++\n[[week]]\nnumber = 3\nheld-on = 2026-09-21\n"), "{}", query["value"]);
    // Norge has one: its editor, with the table to paste (and its teams) shown.
    let norge = links("norge/rollouts/programme.html");
    assert_eq!(
        norge[0],
        "https://git.example.com/service/playbook/edit/main/content/divisions/norge/checkins/programme.md"
    );
    assert!(read(site.join("norge/rollouts/programme.html"))
        .contains("team = &quot;oslo-desk&quot;            # one of: oslo-desk, bergen-field"));
    assert!(links("rollouts/programme.html").is_empty(), "the centre does not log weeks");
    for (path, bytes) in tree(&site).into_iter().filter(|(p, _)| p.ends_with(".html")) {
        let problems = touchbook::html_policy::check_page(&String::from_utf8_lossy(&bytes));
        assert!(problems.is_empty(), "{path}: {problems:?}");
    }
}

#[test]
fn the_example_follows_three_divisions_up_one_on_time_one_behind_one_sharing() {
    let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
    let output = run(repo, &["check", "--format", "json"]);
    let report: serde_json::Value = serde_json::from_str(&stdout(&output)).unwrap();
    let rows = report["follow-up"].as_array().unwrap();
    let of = |division: &str| -> Vec<&serde_json::Value> {
        rows.iter().filter(|r| r["division"] == division && r["rollout"] == "service-promise-programme").collect()
    };
    let first_weeks = |row: &serde_json::Value, n: usize| -> Vec<String> {
        row["weeks"].as_array().unwrap()[..n].iter().map(|w| w["state"].as_str().unwrap().to_string()).collect()
    };
    let norge = of("norge");
    assert_eq!(norge.len(), 2, "one row per team");
    assert!(norge.iter().all(|r| r["start"] == "2026-10-19"), "Norge moved its start");
    assert!(norge.iter().all(|r| first_weeks(r, 6).iter().all(|s| s == "on-time")), "Norge is on time");
    let danmark = of("danmark");
    assert!(danmark[0]["totals"]["overdue"].as_u64().unwrap() >= 1, "Danmark is behind");
    assert!(first_weeks(danmark[0], 4).contains(&"late".to_string()));
    assert!(first_weeks(of("sverige")[0], 8).iter().all(|s| s == "on-time"));
    let sverige = read(repo.join("content/divisions/sverige/checkins/service-promise-programme.md"));
    assert!(sverige.contains("share = true"), "Sverige shares actions");
}

#[test]
fn a_week_written_as_a_single_table_is_explained() {
    let dir = fixture("checkins");
    let file = dir.path().join("content/divisions/sverige/checkins/programme.md");
    std::fs::write(&file, "+++\n[week]\nnumber = 1\nheld-on = 2026-09-08\n+++\n").unwrap();
    let output = run(dir.path(), &["check"]);
    assert_eq!(output.status.code(), Some(1));
    let text = stderr(&output);
    assert!(text.contains("content/divisions/sverige/checkins/programme.md:2:1: error: `week` must be a list of tables, found a table"), "{text}");
    assert!(text.contains("start each entry with `[[week]]`, in two square brackets"), "{text}");
}

#[test]
fn a_division_with_a_shorter_programme_keeps_the_matrix_columns_aligned() {
    let dir = fixture("checkins");
    let overlay = dir.path().join("content/divisions/norge/rollouts/programme.md");
    std::fs::write(&overlay, read(&overlay).replace("start = 2026-09-21", "start = 2026-09-21\nweeks = 12")).unwrap();
    let site = build_ok(dir.path());
    let page = read(site.join("rollouts/programme.html"));
    let rows = matrix(&page);
    let norge = rows.iter().find(|r| r.who == "Norge · Oslo desk").unwrap();
    assert_eq!(norge.states.len(), 12, "Norge's own programme");
    // Every row has a cell per week of the longest programme, then its totals.
    let cells: Rc<RefCell<Vec<usize>>> = Rc::default();
    let (c1, c2) = (cells.clone(), cells.clone());
    let settings = lol_html::RewriteStrSettings::new()
        .append_element_content_handler(lol_html::element!("tr[data-followup-row]", move |_| {
            c1.borrow_mut().push(0);
            Ok(())
        }))
        .append_element_content_handler(lol_html::element!("tr[data-followup-row] td", move |_| {
            *c2.borrow_mut().last_mut().unwrap() += 1;
            Ok(())
        }));
    lol_html::rewrite_str(&page, settings).unwrap();
    assert_eq!(cells.take(), vec![16 + 4; 4]);
}
