//! The held-out site against its rows: figures, charts, tables, comments, rankings, rollouts,
//! the journey map, and the isolation of each division's comments.

use std::collections::BTreeSet;

use super::oracle::*;
use crate::support::*;

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

/// The y coordinate of each grid line of a chart, from the axis's bottom up, with its label.
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
                // The number in the share's words, read with either decimal mark ("3,7 %", "3.7%").
                let share_words = lead.rsplit('·').next().unwrap();
                let shown: String =
                    share_words.chars().filter(|c| c.is_ascii_digit() || matches!(c, '.' | ',')).collect();
                assert_eq!(shown.trim_matches(['.', ',']).replace(',', "."), written, "{context}: {lead}");
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
