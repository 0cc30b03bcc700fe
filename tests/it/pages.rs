//! Every page kind is produced, with the content a reader expects.

use crate::support::*;

#[test]
fn start_page_shows_most_frequent_and_hardest_situations() {
    let dir = fixture("base");
    let site = build_ok(dir.path());
    let html = read(site.join("index.html"));
    let frequent = between(&html, "id=\"frequent\"", "</section>");
    let hardest = between(&html, "id=\"hardest\"", "</section>");
    // late-invoice is the most frequent (5), angry-caller the hardest (5).
    assert!(frequent.find("Late invoice question").unwrap() < frequent.find("Angry caller").unwrap());
    assert!(hardest.find("Angry caller").unwrap() < hardest.find("Renewal talk").unwrap());
    assert!(html.contains("Calm programme"), "latest rollouts");
    assert!(
        html.find("Kept calm with an angry caller").unwrap() < html.find("An older story").unwrap(),
        "newest story first"
    );
    assert!(html.contains("<html lang=\"en\">"));
}

#[test]
fn touch_point_list_has_every_situation_with_filter_data_in_journey_order() {
    let dir = fixture("base");
    let html = read(build_ok(dir.path()).join("touchpoints/index.html"));
    let list = between(&html, "id=\"touchpoint-list\"", "</ul>\n<p class=\"empty\"");
    let first = list.find("Late invoice question").unwrap();
    let second = list.find("Angry caller").unwrap();
    let third = list.find("Renewal talk").unwrap();
    assert!(first < second && second < third, "first-contact, support, renewal");
    assert!(html.contains("data-stage=\"support\" data-channels=\"phone \""));
    assert!(html.contains("<option value=\"renewal\">Renewal</option>"));
    assert!(html.contains("<option value=\"difficulty\">"));
}

#[test]
fn touch_point_page_shows_sections_verdicts_promise_stories_and_review() {
    let dir = fixture("base");
    let site = build_ok(dir.path());
    let html = read(site.join("touchpoints/angry-caller.html"));
    for heading in ["Situation", "Expected behaviour", "Say it like this", "Role play", "Why it matters", "Extra notes"]
    {
        assert!(html.contains(&format!(">{heading}</h2>")), "section {heading}");
    }
    assert!(html.contains("MARKER-SITUATION"));
    assert!(
        html.contains("<li class=\"verdict-do\"><span class=\"verdict\">Do</span> listen to the end.</li>"),
        "{html}"
    );
    assert!(html.contains("class=\"verdict-dont\""));
    assert!(html.contains("<q>Your problem is ours until it is solved.</q>"), "brand promise");
    assert!(
        html.find("Kept calm with an angry caller").unwrap() < html.find("An older story").unwrap(),
        "stories newest first"
    );
    assert!(html.contains("href=\"../touchpoints/late-invoice.html\""), "related");
    assert!(html.contains("Desk lead"));
    assert!(html.contains("Reviewed on 3 March 2026"), "review date");
    assert!(html.contains("Review due since 11 June 2026"), "reviewed 2026-03-03 + 100 days is due on 2026-06-11");
    assert!(html.contains("href=\"../rollouts/calm-programme.html\""), "trained in rollout");
}

#[test]
fn related_works_both_ways_and_subheadings_mark_verdicts() {
    let dir = fixture("base");
    let html = read(build_ok(dir.path()).join("touchpoints/late-invoice.html"));
    assert!(html.contains("href=\"../touchpoints/angry-caller.html\""), "backlink from angry-caller's related");
    assert!(
        html.contains("<li class=\"verdict-dont\"><span class=\"verdict\">Don&#39;t</span> blame finance</li>")
            || html.contains("<li class=\"verdict-dont\"><span class=\"verdict\">Don&#x27;t</span> blame finance</li>"),
        "{html}"
    );
    assert!(html.contains("<li class=\"verdict-do\"><span class=\"verdict\">Do</span> check the billing system</li>"));
}

#[test]
fn journey_map_places_each_situation_by_stage_and_channel() {
    let dir = fixture("base");
    let html = read(build_ok(dir.path()).join("journey.html"));
    let support_row = between(&html, "<th scope=\"row\">Support</th>", "</tr>");
    assert!(support_row.contains("href=\"./touchpoints/angry-caller.html\""));
    let renewal_row = between(&html, "<th scope=\"row\">Renewal</th>", "</tr>");
    assert!(renewal_row.contains("Renewal talk"), "no channel: the 'any channel' column");
    assert!(html.contains(">Any channel</th>"));
    assert!(support_row.contains("class=\"chip freq-3 diff-5\""), "frequency 3, difficulty 5");
}

#[test]
fn message_page_lists_touch_points_in_journey_order_and_campaign() {
    let dir = fixture("base");
    let site = build_ok(dir.path());
    let html = read(site.join("messages/we-own-it.html"));
    assert!(html.contains("Ownership spring"));
    assert!(html.contains("2 November 2026"));
    assert!(html.contains("href=\"../touchpoints/angry-caller.html\""));
    assert!(html.contains("id=\"meaning\""));
    assert!(read(site.join("messages/index.html")).contains("We own it"));
}

#[test]
fn stories_pages_list_newest_first_with_author() {
    let dir = fixture("base");
    let site = build_ok(dir.path());
    let list = read(site.join("practices/index.html"));
    assert!(list.find("Kept calm").unwrap() < list.find("An older story").unwrap());
    assert!(list.contains("By Kari"));
    let page = read(site.join("practices/older-story.html"));
    assert!(page.contains("15 January 2025") && page.contains("href=\"../touchpoints/late-invoice.html\""));
}

#[test]
fn rollout_page_has_dated_timeline_and_one_pack_per_week() {
    let dir = fixture("base");
    let site = build_ok(dir.path());
    let html = read(site.join("rollouts/calm-programme.html"));
    assert_eq!(html.matches("class=\"week-pack\"").count(), 4);
    assert!(html.contains("<span class=\"week-title\">Listening</span>"));
    assert!(
        html.contains("<time datetime=\"2026-10-19\">19 October 2026</time>"),
        "week 3 starts two weeks after the start"
    );
    assert!(html.contains("Third week pack."));
    assert!(html.contains("No meeting pack written for this week yet."), "week 2 and 4 have no pack");
    assert!(html.contains("href=\"../touchpoints/angry-caller.html\""), "link inside a week pack");
    assert!(html.contains("class=\"timeline-week current"), "week 4 (26 Oct – 1 Nov) is the current week");
    assert!(read(site.join("rollouts/index.html")).contains("Calm programme"));
}

#[test]
fn plan_covers_twelve_months_with_rollout_weeks_and_campaigns() {
    let dir = fixture("base");
    let html = read(build_ok(dir.path()).join("plan.html"));
    assert!(html.contains("November 2026 – October 2027"));
    assert_eq!(html.matches("<section class=\"month\">").count(), 12);
    let rollout = between(&html, "Calm programme</a>", "</tr>");
    assert!(rollout.contains("Week 4"), "the rollout's last week falls on 1 November");
    let campaign = between(&html, "Ownership spring</a>", "</tr>");
    assert_eq!(campaign.matches("class=\"active\"").count(), 3, "November, December, January");
}

#[test]
fn review_page_lists_due_situations_by_owner() {
    let dir = fixture("base");
    let html = read(build_ok(dir.path()).join("review.html"));
    let due = between(&html, "id=\"h-due\"", "</section>");
    assert!(due.contains("Angry caller") && due.contains("Renewal talk"), "overdue and never reviewed");
    assert!(!due.contains("Late invoice question"), "reviewed 2026-10-20 is current");
    let owners = between(&html, "id=\"h-owners\"", "</section>");
    assert!(owners.contains("<h3>Desk lead</h3>") && owners.contains("<h3>No owner</h3>"));
}

#[test]
fn data_files_feed_sitemap_json_and_404_exist() {
    let dir = fixture("base");
    let site = build_ok(dir.path());
    let feed = read(site.join("feed.xml"));
    assert!(feed.starts_with("<?xml") && feed.contains("<feed xmlns=\"http://www.w3.org/2005/Atom\""));
    assert!(feed.contains(
        "<link rel=\"alternate\" type=\"text/html\" href=\"https://playbook.test/rollouts/calm-programme.html\"/>"
    ));
    assert!(
        feed.find("Calm programme").unwrap() < feed.find("Kept calm").unwrap(),
        "newest first: the rollout of 5 Oct, then the story of 1 Sep"
    );
    assert!(feed.contains("<updated>2026-10-05T00:00:00Z</updated>"));
    let sitemap = read(site.join("sitemap.xml"));
    assert!(sitemap.contains("<loc>https://playbook.test/touchpoints/angry-caller.html</loc>"));
    assert!(!sitemap.contains("404.html"));
    let json: serde_json::Value = serde_json::from_str(&read(site.join("touchpoints.json"))).unwrap();
    let ids: Vec<&str> = json["touchpoints"].as_array().unwrap().iter().map(|t| t["id"].as_str().unwrap()).collect();
    assert_eq!(ids, ["late-invoice", "angry-caller", "renewal-talk"]);
    assert_eq!(json["touchpoints"][1]["messages"][0], "we-own-it");
    assert!(read(site.join("404.html")).contains("Page not found"));
}

#[test]
fn no_sitemap_without_site_url() {
    let dir = fixture("base");
    let config = read(dir.path().join("book.toml")).replace("[build]\nsite-url = \"https://playbook.test\"\n", "");
    std::fs::write(dir.path().join("book.toml"), config).unwrap();
    let site = build_ok(dir.path());
    assert!(!site.join("sitemap.xml").exists());
    assert!(read(site.join("feed.xml")).contains("href=\"rollouts/calm-programme.html\""));
}

#[test]
fn every_relative_link_of_the_site_resolves() {
    let dir = fixture("base");
    let site = build_ok(dir.path());
    assert_eq!(broken_links(&site), Vec::<String>::new());
    let html = read(site.join("touchpoints/angry-caller.html"));
    assert!(html.contains("href=\"../touchpoints/late-invoice.html\">the invoice case</a>"), "link to a sibling .md");
    assert!(
        html.contains("href=\"../messages/we-own-it.html#meaning\">our promise</a>"),
        "link with a fragment to another kind"
    );
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
    assert!(read(site.join("404.html")).contains("OUR OWN 404"));
    assert!(read(site.join("index.html")).contains("Most frequent situations"), "other templates stay built in");
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
    assert_eq!(list.matches("class=\"our-card\"").count(), 3, "one card per situation in the list");
    assert!(
        list.contains("<a href=\"../touchpoints/late-invoice.html\">Late invoice question</a> Frequency 5"),
        "{list}"
    );
    assert!(!list.contains("class=\"card "), "the built-in card is gone from the list");
    // The start page is at the root: the same card links without going up a folder.
    let start = read(site.join("index.html"));
    assert!(start.contains("<li class=\"our-card\"><a href=\"./touchpoints/"), "start page cards: {start}");
    // Related situations, a story's and a rollout's situations: all the same card.
    let related = read(site.join("touchpoints/angry-caller.html"));
    assert!(related.contains("<li class=\"our-card\"><a href=\"../touchpoints/late-invoice.html\">"));
    for page in ["practices/older-story.html", "rollouts/calm-programme.html", "messages/we-own-it.html"] {
        assert!(read(site.join(page)).contains("class=\"our-card\""), "{page} shows the theme's card");
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
    assert!(read(site.join("touchpoints/renewal-talk.html")).contains("&lt;script&gt;alert("));
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
    assert!(html.contains("<mark style=\"color:red\">year</mark>"));
}

#[test]
fn crlf_line_endings_and_a_byte_order_mark_work() {
    let dir = fixture("base");
    let path = dir.path().join("content/touchpoints/renewal-talk.md");
    let text = format!("\u{feff}{}", read(&path).replace('\n', "\r\n"));
    std::fs::write(&path, text).unwrap();
    let html = read(build_ok(dir.path()).join("touchpoints/renewal-talk.html"));
    assert!(html.contains(">Renewal talk</h1>") && html.contains("class=\"verdict-do\""));
}
