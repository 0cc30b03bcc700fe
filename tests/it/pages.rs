//! Every page kind is produced, with the content a reader expects.

use crate::support::*;

#[test]
fn start_page_shows_most_frequent_and_hardest_situations() {
    let site = &shared_build("base").site;
    let html = read(site.join("index.html"));
    let frequent = texts(&html, "section[aria-labelledby=frequent] .card-title");
    let hardest = texts(&html, "section[aria-labelledby=hardest] .card-title");
    // late-invoice is the most frequent (5), angry-caller the hardest (5).
    assert_eq!(frequent[0], "Late invoice question", "{frequent:?}");
    assert!(position(&frequent, "Late invoice question") < position(&frequent, "Angry caller"));
    assert_eq!(hardest[0], "Angry caller", "{hardest:?}");
    assert!(position(&hardest, "Angry caller") < position(&hardest, "Renewal talk"));
    let whats_new = |css: &str| texts(&html, &format!(".whats-new {css}"));
    assert!(whats_new(".rollout-item a").contains(&"Calm programme".to_string()), "latest rollouts");
    let stories = whats_new(".story-title");
    assert!(
        position(&stories, "Kept calm with an angry caller") < position(&stories, "An older story"),
        "newest story first"
    );
    assert_eq!(one(&html, "html").attr("lang"), Some("en"));
}

#[test]
fn touch_point_list_has_every_situation_with_filter_data_in_journey_order() {
    let html = read(shared_build("base").site.join("touchpoints/index.html"));
    let list = texts(&html, "#touchpoint-list .card-title");
    let first = position(&list, "Late invoice question");
    let second = position(&list, "Angry caller");
    let third = position(&list, "Renewal talk");
    assert!(first < second && second < third, "first-contact, support, renewal");
    let angry = select(&html, "#touchpoint-list li.card").into_iter().find(|c| c.text.starts_with("Angry caller"));
    let angry = angry.expect("a card for the angry caller");
    assert_eq!((angry.attr("data-stage"), angry.attr("data-channels")), (Some("support"), Some("phone ")));
    assert_eq!(text_of(&html, "select[name=stage] option[value=renewal]"), "Renewal");
    assert_eq!(select(&html, "select[name=sort] option[value=difficulty]").len(), 1);
}

#[test]
fn touch_point_page_shows_sections_verdicts_promise_stories_and_review() {
    let site = &shared_build("base").site;
    let html = read(site.join("touchpoints/angry-caller.html"));
    let headings = texts(&html, "article h2");
    for heading in ["Situation", "Expected behaviour", "Say it like this", "Role play", "Why it matters", "Extra notes"]
    {
        assert!(headings.iter().any(|h| h == heading), "section {heading}: {headings:?}");
    }
    assert!(text_of(&html, "#situation .prose").contains("MARKER-SITUATION"));
    assert!(texts(&html, "#behaviour li.verdict-do").contains(&"Do listen to the end.".to_string()), "{html}");
    assert_eq!(texts(&html, "#behaviour li.verdict-do > span.verdict"), ["Do"]);
    assert!(!select(&html, "#behaviour li.verdict-dont").is_empty());
    assert_eq!(texts(&html, ".promises q"), ["Your problem is ours until it is solved."], "brand promise");
    let stories = texts(&html, "section[aria-labelledby=h-stories] .story-title");
    assert!(
        position(&stories, "Kept calm with an angry caller") < position(&stories, "An older story"),
        "stories newest first"
    );
    let related = attributes(&html, "section[aria-labelledby=h-related] a", "href");
    assert!(related.contains(&"../touchpoints/late-invoice.html".to_string()), "related: {related:?}");
    assert_eq!(text_of(&html, ".upkeep .owner"), "Owner: Desk lead");
    assert_eq!(text_of(&html, ".review-state .review-last"), "Reviewed on 3 March 2026", "review date");
    assert_eq!(
        text_of(&html, ".review-state .review-overdue"),
        "Review due since 11 June 2026.",
        "reviewed 2026-03-03 + 100 days is due on 2026-06-11"
    );
    let rollouts = attributes(&html, "section[aria-labelledby=h-rollouts] a", "href");
    assert!(rollouts.contains(&"../rollouts/calm-programme.html".to_string()), "trained in rollout");
}

#[test]
fn related_works_both_ways_and_subheadings_mark_verdicts() {
    let html = read(shared_build("base").site.join("touchpoints/late-invoice.html"));
    let related = attributes(&html, "section[aria-labelledby=h-related] a", "href");
    assert!(
        related.contains(&"../touchpoints/angry-caller.html".to_string()),
        "backlink from angry-caller's related: {related:?}"
    );
    assert!(texts(&html, "li.verdict-dont").contains(&"Don't blame finance".to_string()), "{html}");
    assert_eq!(texts(&html, "li.verdict-dont > span.verdict"), ["Don't"]);
    assert!(texts(&html, "li.verdict-do").contains(&"Do check the billing system".to_string()));
    assert_eq!(texts(&html, "li.verdict-do > span.verdict"), ["Do"]);
}

#[test]
fn journey_map_places_each_situation_by_stage_and_channel() {
    let html = read(shared_build("base").site.join("journey.html"));
    let row = |stage: &str, inner: &str| within(&html, "#journey-map tbody tr", |tr| tr.text.starts_with(stage), inner);
    let support = row("Support", "a");
    assert!(support.iter().any(|a| a.attr("href") == Some("./touchpoints/angry-caller.html")), "{support:?}");
    // The last column is "any channel": where a situation without channels goes.
    let columns = texts(&html, "#journey-map thead th");
    assert_eq!(columns.last().map(String::as_str), Some("Any channel"));
    let renewal = row("Renewal", "td");
    assert!(renewal.last().unwrap().text.contains("Renewal talk"), "no channel: the 'any channel' column");
    let chips = row("Support", "li.chip");
    assert!(
        chips.iter().any(|c| c.classes().contains(&"freq-3") && c.classes().contains(&"diff-5")),
        "frequency 3, difficulty 5: {chips:?}"
    );
}

#[test]
fn message_page_lists_touch_points_in_journey_order_and_campaign() {
    let site = &shared_build("base").site;
    let html = read(site.join("messages/we-own-it.html"));
    let campaign = text_of(&html, ".campaign");
    assert!(campaign.contains("Ownership spring") && campaign.contains("2 November 2026"), "{campaign}");
    let places = attributes(&html, "section[aria-labelledby=h-where] .card-title", "href");
    assert!(places.contains(&"../touchpoints/angry-caller.html".to_string()), "{places:?}");
    assert_eq!(select(&html, "article .prose #meaning").len(), 1, "a heading's id");
    let list = read(site.join("messages/index.html"));
    assert!(texts(&list, "main a").contains(&"We own it".to_string()));
}

#[test]
fn stories_pages_list_newest_first_with_author() {
    let site = &shared_build("base").site;
    let list = read(site.join("practices/index.html"));
    let titles = texts(&list, ".story-card .card-title");
    assert!(position(&titles, "Kept calm with an angry caller") < position(&titles, "An older story"));
    assert!(texts(&list, ".story-card .story-meta").iter().any(|m| m.starts_with("By Kari")));
    let page = read(site.join("practices/older-story.html"));
    assert!(text_of(&page, "article .story-meta").contains("15 January 2025"));
    let about = attributes(&page, "section[aria-labelledby=h-about] .card-title", "href");
    assert!(about.contains(&"../touchpoints/late-invoice.html".to_string()), "{about:?}");
}

#[test]
fn rollout_page_has_dated_timeline_and_one_pack_per_week() {
    let site = &shared_build("base").site;
    let html = read(site.join("rollouts/calm-programme.html"));
    assert_eq!(select(&html, "section.week-pack").len(), 4);
    assert_eq!(texts(&html, ".timeline .week-title"), ["Listening"]);
    let week_3 = one(&html, ".timeline a[href='#week-3'] time");
    assert_eq!(
        (week_3.attr("datetime"), week_3.text.as_str()),
        (Some("2026-10-19"), "19 October 2026"),
        "week 3 starts two weeks after the start"
    );
    assert_eq!(text_of(&html, "#week-3 > .prose"), "Third week pack.");
    for week in ["#week-2", "#week-4"] {
        assert_eq!(text_of(&html, &format!("{week} > .note")), "No meeting pack written for this week yet.", "{week}");
    }
    let in_pack = attributes(&html, "#week-1 > .prose a", "href");
    assert_eq!(in_pack, ["../touchpoints/angry-caller.html"], "link inside a week pack");
    let current = select(&html, ".timeline li.timeline-week.current a");
    assert_eq!(current.len(), 1);
    assert_eq!(current[0].attr("href"), Some("#week-4"), "week 4 (26 Oct – 1 Nov) is the current week");
    assert!(texts(&read(site.join("rollouts/index.html")), "main a").contains(&"Calm programme".to_string()));
}

#[test]
fn plan_covers_twelve_months_with_rollout_weeks_and_campaigns() {
    let html = read(shared_build("base").site.join("plan.html"));
    assert!(texts(&html, "main p strong").contains(&"November 2026 – October 2027".to_string()));
    assert_eq!(select(&html, "section.month").len(), 12);
    let row = |title: &str| within(&html, "table.plan tbody tr", |tr| tr.text.starts_with(title), "td");
    let rollout = row("Calm programme");
    assert_eq!(rollout[0].text, "Week 4", "the rollout's last week falls on 1 November");
    let active: Vec<usize> = row("Ownership spring")
        .iter()
        .enumerate()
        .filter(|(_, td)| td.classes() == ["active"])
        .map(|(i, _)| i)
        .collect();
    assert_eq!(active, [0, 1, 2], "November, December, January");
}

#[test]
fn review_page_lists_due_situations_by_owner() {
    let html = read(shared_build("base").site.join("review.html"));
    let due = texts(&html, "tbody[data-review-list=due] a");
    assert!(
        due.iter().any(|t| t == "Angry caller") && due.iter().any(|t| t == "Renewal talk"),
        "overdue and never reviewed"
    );
    assert!(!due.iter().any(|t| t == "Late invoice question"), "reviewed 2026-10-20 is current");
    let owners = texts(&html, "section[aria-labelledby=h-owners] h3");
    assert!(owners.iter().any(|o| o == "Desk lead") && owners.iter().any(|o| o == "No owner"), "{owners:?}");
}

#[test]
fn data_files_feed_sitemap_json_and_404_exist() {
    let site = &shared_build("base").site;
    let feed = read(site.join("feed.xml"));
    assert!(feed.starts_with("<?xml"));
    let feed = roxmltree::Document::parse(&feed).expect("a well-formed feed");
    let root = feed.root_element();
    assert_eq!((root.tag_name().namespace(), root.tag_name().name()), (Some("http://www.w3.org/2005/Atom"), "feed"));
    let entries = feed_entries(root);
    let calm = entries.iter().position(|(title, _)| title.contains("Calm programme")).expect("the rollout's entry");
    let kept = entries.iter().position(|(title, _)| title.contains("Kept calm")).expect("the story's entry");
    assert!(calm < kept, "newest first: the rollout of 5 Oct, then the story of 1 Sep");
    assert_eq!(entries[calm].1, "https://playbook.test/rollouts/calm-programme.html");
    let updated = root.children().find(|n| n.has_tag_name("updated")).and_then(|n| n.text());
    assert_eq!(updated, Some("2026-10-05T00:00:00Z"), "the feed is as new as its newest entry");
    let sitemap = read(site.join("sitemap.xml"));
    let sitemap = roxmltree::Document::parse(&sitemap).expect("a well-formed sitemap");
    let locs: Vec<&str> = sitemap.descendants().filter(|n| n.has_tag_name("loc")).filter_map(|n| n.text()).collect();
    assert!(locs.contains(&"https://playbook.test/touchpoints/angry-caller.html"), "{locs:?}");
    assert!(!locs.iter().any(|l| l.contains("404.html")), "{locs:?}");
    let json: serde_json::Value = serde_json::from_str(&read(site.join("touchpoints.json"))).unwrap();
    let ids: Vec<&str> = json["touchpoints"].as_array().unwrap().iter().map(|t| t["id"].as_str().unwrap()).collect();
    assert_eq!(ids, ["late-invoice", "angry-caller", "renewal-talk"]);
    assert_eq!(json["touchpoints"][1]["messages"][0], "we-own-it");
    assert_eq!(text_of(&read(site.join("404.html")), "h1"), "Page not found");
}

/// A feed's entries: title and the address of the page (`link rel="alternate"`).
fn feed_entries(feed: roxmltree::Node) -> Vec<(String, String)> {
    let entries = feed.children().filter(|n| n.has_tag_name("entry"));
    entries
        .map(|entry| {
            let title = entry.children().find(|n| n.has_tag_name("title")).and_then(|n| n.text()).unwrap_or_default();
            let link = entry.children().find(|n| n.has_tag_name("link") && n.attribute("rel") == Some("alternate"));
            (title.to_string(), link.and_then(|l| l.attribute("href")).unwrap_or_default().to_string())
        })
        .collect()
}

#[test]
fn no_sitemap_without_site_url() {
    let dir = fixture("base");
    let config = read(dir.path().join("book.toml")).replace("[build]\nsite-url = \"https://playbook.test\"\n", "");
    std::fs::write(dir.path().join("book.toml"), config).unwrap();
    let site = build_ok(dir.path());
    assert!(!site.join("sitemap.xml").exists());
    let feed = read(site.join("feed.xml"));
    let entries = feed_entries(roxmltree::Document::parse(&feed).expect("a well-formed feed").root_element());
    assert!(entries.iter().any(|(_, link)| link == "rollouts/calm-programme.html"), "relative links: {entries:?}");
}

#[test]
fn every_relative_link_of_the_site_resolves() {
    let site = &shared_build("base").site;
    assert_eq!(broken_links(site), Vec::<String>::new());
    let links = links(&read(site.join("touchpoints/angry-caller.html")));
    let link = |href: &str, text: &str| links.contains(&(href.to_string(), text.to_string()));
    assert!(link("../touchpoints/late-invoice.html", "the invoice case"), "link to a sibling .md: {links:?}");
    assert!(link("../messages/we-own-it.html#meaning", "our promise"), "link with a fragment to another kind");
}

#[test]
fn theme_files_can_be_overridden_one_by_one() {
    let dir = fixture("base");
    let templates = dir.path().join("themes/default/templates");
    std::fs::create_dir_all(&templates).unwrap();
    std::fs::write(
        templates.join("404.html"),
        "{% extends \"base.html\" %}{% block main %}OUR OWN 404{% endblock main %}",
    )
    .unwrap();
    std::fs::create_dir_all(dir.path().join("themes/default/static")).unwrap();
    std::fs::write(dir.path().join("themes/default/static/extra.css"), "body{}").unwrap();
    let site = build_ok(dir.path());
    assert_eq!(text_of(&read(site.join("404.html")), "main"), "OUR OWN 404");
    assert_eq!(
        text_of(&read(site.join("index.html")), "#frequent"),
        "Most frequent situations",
        "other templates stay built in"
    );
    assert!(site.join("static/extra.css").is_file() && site.join("static/style.css").is_file());
}

#[test]
fn a_theme_s_card_is_what_every_list_of_situations_shows() {
    let dir = fixture("base");
    let templates = dir.path().join("themes/default/templates");
    std::fs::create_dir_all(&templates).unwrap();
    std::fs::write(
        templates.join("card.html"),
        "<li class=\"our-card\"><a href=\"{{ root }}{{ tp.url }}\">{{ tp.title }}</a> {{ t.scale.frequency }} {{ tp.frequency }} · {{ site.title }}</li>",
    )
    .unwrap();
    let site = build_ok(dir.path());

    let list = read(site.join("touchpoints/index.html"));
    let cards = select(&list, "#touchpoint-list > li");
    assert_eq!(cards.len(), 3, "one card per situation in the list");
    assert!(cards.iter().all(|c| c.classes() == ["our-card"]), "the built-in card is gone from the list: {cards:?}");
    let late = cards.iter().find(|c| c.text.starts_with("Late invoice question")).expect("the late invoice's card");
    assert_eq!(late.text, "Late invoice question Frequency 5 · Fixture Playbook");
    assert!(links(&list).contains(&("../touchpoints/late-invoice.html".into(), "Late invoice question".into())));
    // The start page is at the root: the same card links without going up a folder.
    let start = attributes(&read(site.join("index.html")), "li.our-card > a", "href");
    assert!(!start.is_empty() && start.iter().all(|h| h.starts_with("./touchpoints/")), "start page cards: {start:?}");
    // Related situations, a story's and a rollout's situations: all the same card.
    let related = attributes(&read(site.join("touchpoints/angry-caller.html")), "li.our-card > a", "href");
    assert!(related.contains(&"../touchpoints/late-invoice.html".to_string()), "{related:?}");
    for page in ["practices/older-story.html", "rollouts/calm-programme.html", "messages/we-own-it.html"] {
        assert!(!select(&read(site.join(page)), "li.our-card").is_empty(), "{page} shows the theme's card");
    }
}

#[test]
fn hostile_content_is_escaped_and_sanitised() {
    let dir = fixture("base");
    let path = dir.path().join("content/touchpoints/renewal-talk.md");
    let text = read(&path).replace("title = \"Renewal talk\"", "title = \"<script>alert('title')</script>\"").replace(
        "Once a year.",
        "Once a year. <script>alert('body')</script> <img src=x onerror=alert(1)> [click](javascript:alert(1))",
    );
    std::fs::write(&path, text).unwrap();
    let site = build_ok(dir.path());
    for (page, bytes) in tree(&site).into_iter().filter(|(p, _)| p.ends_with(".html") || p.ends_with(".xml")) {
        let text = String::from_utf8_lossy(&bytes);
        assert!(!text.contains("<script>alert"), "{page} contains a script from content");
        assert!(!text.contains("onerror"), "{page} contains an event handler from content");
        assert!(!text.contains("javascript:"), "{page} contains a javascript: link");
    }
    let page = read(site.join("touchpoints/renewal-talk.html"));
    assert_eq!(text_of(&page, "h1"), "<script>alert('title')</script>", "the title is shown as text");
    assert!(select(&page, "main script, main img[onerror]").is_empty());
}

#[test]
fn raw_html_is_kept_when_allowed() {
    let dir = fixture("base");
    let config = read(dir.path().join("book.toml")).replace("[build]\n", "[build]\nallow-html = true\n");
    std::fs::write(dir.path().join("book.toml"), config).unwrap();
    let path = dir.path().join("content/touchpoints/renewal-talk.md");
    std::fs::write(&path, read(&path).replace("Once a year.", "Once a <mark style=\"color:red\">year</mark>."))
        .unwrap();
    let html = read(build_ok(dir.path()).join("touchpoints/renewal-talk.html"));
    let mark = one(&html, "#situation mark");
    assert_eq!((mark.attr("style"), mark.text.as_str()), (Some("color:red"), "year"));
}

#[test]
fn crlf_line_endings_and_a_byte_order_mark_work() {
    let dir = fixture("base");
    let path = dir.path().join("content/touchpoints/renewal-talk.md");
    let text = format!("\u{feff}{}", read(&path).replace('\n', "\r\n"));
    std::fs::write(&path, text).unwrap();
    let html = read(build_ok(dir.path()).join("touchpoints/renewal-talk.html"));
    assert_eq!(text_of(&html, "h1"), "Renewal talk");
    assert!(!select(&html, "li.verdict-do").is_empty());
}
