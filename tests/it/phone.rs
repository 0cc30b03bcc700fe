//! Phone first: the example playbook (with its help-desk data) in headless Chromium at phone
//! sizes. The header is short and its menu works with the keyboard and without the script,
//! every touch point shows its first Do item on the first screen, no page scrolls sideways,
//! the journey map's frequency steps differ by more than colour, and every page kind is
//! photographed at phone and desktop width in light and dark mode.

use std::path::{Path, PathBuf};

use serde_json::json;

use crate::browser::{example_copy, screenshot_dir, Browser};
use crate::support::*;

/// The editions of the example, as prefixes of their pages' paths.
const EDITIONS: [&str; 4] = ["", "norge/", "danmark/", "sverige/"];

/// An iPhone 12 to 15's viewport, the size the issue was tried at.
const PHONE: (u32, u32) = (390, 844);
/// The narrowest phone we lay out for.
const NARROW: (u32, u32) = (360, 800);
const DESKTOP: (u32, u32) = (1280, 900);

/// The example playbook with its help-desk data, so pages show their figures too.
fn example_with_data() -> tempfile::TempDir {
    let dir = example_copy();
    copy_tree(&Path::new(env!("CARGO_MANIFEST_DIR")).join("data"), &dir.path().join("data"));
    dir
}

/// Every HTML page `serve` wrote, as paths below the site, in order.
fn pages(site: &Path) -> Vec<String> {
    tree(site).into_keys().filter(|path| path.ends_with(".html")).collect()
}

/// The touch point pages of every edition.
fn touchpoint_pages(site: &Path) -> Vec<String> {
    pages(site).into_iter().filter(|path| path.contains("touchpoints/") && !path.ends_with("/index.html")).collect()
}

/// Where the page's content is wider than its viewport: the page's scroll width, and the
/// first few visible elements whose right edge lies beyond the viewport (text that is only
/// for screen readers, clipped to nothing, does not count).
const OVERFLOW: &str = r#"
const width = document.documentElement.clientWidth;
const clipped = el => { for (let e = el; e; e = e.parentElement) { const c = getComputedStyle(e).clip; if (c && c !== 'auto') return true; } return false; };
const name = el => el.tagName.toLowerCase() + (el.id ? '#' + el.id : '') + (el.className && typeof el.className === 'string' ? '.' + el.className.trim().split(/\s+/).join('.') : '');
const wide = [];
for (const el of document.body.querySelectorAll('*')) {
  const r = el.getBoundingClientRect();
  if (r.width === 0 || r.height === 0 || r.right <= width + 0.5 || clipped(el)) continue;
  wide.push(name(el) + ' ends at ' + Math.round(r.right) + 'px');
  if (wide.length === 3) break;
}
return { scroll: document.documentElement.scrollWidth, width: width, inner: window.innerWidth, wide: wide };
"#;

/// Whether the search box's placeholder fits the box, measured in the box's own font.
const PLACEHOLDER_FITS: &str = r#"
const input = document.getElementById('search-input');
const s = getComputedStyle(input);
const context = document.createElement('canvas').getContext('2d');
context.font = `${s.fontStyle} ${s.fontWeight} ${s.fontSize} ${s.fontFamily}`;
const room = input.clientWidth - parseFloat(s.paddingLeft) - parseFloat(s.paddingRight);
return { text: input.placeholder, needs: Math.ceil(context.measureText(input.placeholder).width), room: room };
"#;

/// Where the header's parts are and whether they show, on the page open in `browser`.
const HEADER: &str = r#"
const box = el => { if (!el) return null; const r = el.getBoundingClientRect(); return { top: r.top, bottom: r.bottom, left: r.left, right: r.right, shown: r.width > 1 && r.height > 1 }; };
const button = document.getElementById('menu-button');
const menu = document.getElementById(button.getAttribute('aria-controls'));
const links = Array.from(document.querySelectorAll('.site-nav a'));
return {
  header: box(document.querySelector('.site-header')),
  title: box(document.querySelector('.site-title')),
  button: box(button), expanded: button.getAttribute('aria-expanded'), focused: document.activeElement === button,
  menu_holds_nav: !!menu && links.length > 0 && links.every(a => menu.contains(a)),
  links: links.length, links_shown: links.filter(a => box(a).shown).length,
  editions: box(document.querySelector('.language-switch')),
  nav: box(document.querySelector('.site-nav')),
  search: box(document.getElementById('search-input')), search_enabled: !document.getElementById('search-input').disabled,
  h1: box(document.querySelector('main h1')), h1_text: document.querySelector('main h1').textContent,
};
"#;

#[test]
fn on_a_phone_the_header_is_short_and_its_menu_works_by_keyboard_and_without_the_script() {
    let Some(browser) = Browser::start() else { return };
    let dir = example_copy();
    let server = Server::start(dir.path());
    browser.viewport(PHONE.0, PHONE.1);
    for edition in EDITIONS {
        for page in ["index.html", "touchpoints/password-reset-call.html"] {
            let url = format!("http://{}/{edition}{page}", server.address);
            browser.goto(&url);
            assert!(
                browser.wait_until("return !document.getElementById('search-input').disabled"),
                "{url}: search is ready"
            );
            let h = browser.js(HEADER);
            let header_height = h["header"]["bottom"].as_f64().unwrap() - h["header"]["top"].as_f64().unwrap();
            assert!(header_height <= 120.0, "{url}: the header takes {header_height}px");
            assert_eq!(h["button"]["shown"], json!(true), "{url}: the menu button shows");
            assert_eq!(h["expanded"], json!("false"), "{url}: the menu starts closed");
            assert_eq!(h["menu_holds_nav"], json!(true), "{url}: the button controls the navigation");
            assert_eq!(h["links_shown"], json!(0), "{url}: the navigation is folded away");
            // Search is right there: in the header, on the first screen, ready to type into.
            assert_eq!(h["search"]["shown"], json!(true), "{url}: the search box shows");
            assert!(h["search"]["bottom"].as_f64() <= h["header"]["bottom"].as_f64(), "{url}: search is in the header");
            if page == "index.html" {
                // The header names the playbook; the start page's heading stays for screen readers.
                assert_eq!(h["h1"]["shown"], json!(false), "{url}: the title is not repeated as a heading");
                assert!(h["h1_text"].as_str().is_some_and(|t| !t.trim().is_empty()), "{url}: the heading is there");
            }
        }
    }

    // The keyboard: Enter opens, Escape closes and gives the focus back, Space opens again.
    let url = format!("http://{}/norge/index.html", server.address);
    browser.goto(&url);
    browser.js("document.getElementById('menu-button').focus(); return null");
    browser.press("\u{E007}");
    let h = browser.js(HEADER);
    assert_eq!(h["expanded"], json!("true"), "Enter opens the menu");
    assert_eq!(h["links_shown"], h["links"], "every navigation link shows");
    assert_eq!(h["editions"]["shown"], json!(true), "the editions show");
    assert!(h["nav"]["bottom"].as_f64() <= Some(f64::from(PHONE.1)), "the open menu fits the screen");
    // axe, if installed, finds nothing in the open menu either.
    if let Some(axe) = crate::a11y::axe_source() {
        browser.js(&format!("{axe}\nreturn null;"));
        let found = browser.js_async(
            "const done = arguments[0]; axe.run(document.querySelector('.site-header')).then(r => done(r.violations.map(v => v.id))).catch(e => done([String(e)]));",
        );
        assert_eq!(found, json!([]), "axe in the open menu");
    }
    browser.js("document.querySelector('.site-nav a').focus(); return null");
    browser.press("\u{E00C}");
    let h = browser.js(HEADER);
    assert_eq!((h["expanded"].clone(), h["links_shown"].clone()), (json!("false"), json!(0)), "Escape closes the menu");
    assert_eq!(h["focused"], json!(true), "the focus goes back to the button");
    browser.press(" ");
    let h = browser.js(HEADER);
    assert_eq!(
        (h["expanded"].clone(), h["links_shown"].clone()),
        (json!("true"), h["links"].clone()),
        "Space opens it"
    );
    browser.js("document.getElementById('menu-button').click(); return null");
    assert_eq!(browser.js(HEADER)["expanded"], json!("false"), "a tap closes it");

    // Without the script there is no button, and the navigation is open.
    browser.scripts(false);
    browser.goto(&url);
    let h = browser.js(HEADER);
    browser.scripts(true);
    assert_eq!(h["button"]["shown"], json!(false), "no menu button without the script");
    assert_eq!(h["links_shown"], h["links"], "the navigation shows without the script");

    // A desktop keeps its header: title, search and editions in a row, the navigation below.
    browser.viewport(DESKTOP.0, DESKTOP.1);
    browser.goto(&url);
    let h = browser.js(HEADER);
    assert_eq!(h["button"]["shown"], json!(false), "no menu button on a desktop");
    assert_eq!(h["links_shown"], h["links"], "the navigation shows on a desktop");
    assert_eq!(h["h1"]["shown"], json!(true), "the start page's heading shows on a desktop");
    let row = |part: &str| (h[part]["top"].as_f64().unwrap(), h[part]["bottom"].as_f64().unwrap());
    let (title, search, editions, nav) = (row("title"), row("search"), row("editions"), row("nav"));
    for (name, (top, bottom)) in [("search", search), ("editions", editions)] {
        assert!(top < title.1 && bottom > title.0, "{name} is on the title's row: {title:?} {top} {bottom}");
    }
    assert!(nav.0 >= search.1.max(title.1), "the navigation is below the first row");
    assert!(h["header"]["bottom"].as_f64() <= Some(120.0), "the desktop header stays two rows: {}", h["header"]);
}

#[test]
fn no_page_scrolls_sideways_on_a_narrow_phone_in_any_edition() {
    let Some(browser) = Browser::start() else { return };
    let dir = example_with_data();
    let server = Server::start(dir.path());
    let all = pages(&dir.path().join("site"));
    // Every kind of page, the central localisation page among them.
    for kind in [
        "index.html",
        "touchpoints/index.html",
        "journey.html",
        "plan.html",
        "review.html",
        "practise.html",
        "404.html",
    ] {
        for edition in EDITIONS {
            assert!(all.contains(&format!("{edition}{kind}")), "{edition}{kind} is built");
        }
    }
    assert!(all.contains(&"status.html".to_string()), "the localisation page is built");
    browser.viewport(NARROW.0, NARROW.1);
    let mut problems = Vec::new();
    for page in &all {
        browser.goto(&format!("http://{}/{page}", server.address));
        let o = browser.js(OVERFLOW);
        assert_eq!(o["inner"], json!(NARROW.0), "the viewport is a phone's");
        if o["scroll"].as_u64() > o["width"].as_u64() || !o["wide"].as_array().unwrap().is_empty() {
            problems.push(format!("{page}: scrolls to {}px of {}px; {}", o["scroll"], o["width"], o["wide"]));
        }
        let p = browser.js(PLACEHOLDER_FITS);
        if p["needs"].as_f64() > p["room"].as_f64() {
            problems.push(format!(
                "{page}: the placeholder {} needs {}px, the box has {}px",
                p["text"], p["needs"], p["room"]
            ));
        }
    }
    assert!(problems.is_empty(), "at {}px:\n{}", NARROW.0, problems.join("\n"));
}

#[test]
fn the_first_do_item_is_on_the_first_screen_of_every_touch_point() {
    let Some(browser) = Browser::start() else { return };
    let dir = example_with_data();
    let server = Server::start(dir.path());
    let touchpoints = touchpoint_pages(&dir.path().join("site"));
    assert!(touchpoints.len() > 60, "every edition's touch points: {touchpoints:?}");
    browser.viewport(PHONE.0, PHONE.1);
    let mut problems = Vec::new();
    for page in &touchpoints {
        browser.goto(&format!("http://{}/{page}", server.address));
        let at = browser.js(
            "const top = e => e ? e.getBoundingClientRect().top : null;\n\
             const first = document.querySelector('#behaviour li.verdict-do');\n\
             const promise = document.querySelector('.promises');\n\
             return { height: window.innerHeight, scrolled: window.scrollY, header: document.querySelector('.site-header').getBoundingClientRect().height,\n\
               do: first && first.getBoundingClientRect().bottom, situation: top(document.getElementById('situation')),\n\
               behaviour: top(document.getElementById('behaviour')), promise: top(promise) };",
        );
        let number = |key: &str| at[key].as_f64();
        assert_eq!(at["scrolled"], json!(0), "{page} opens at its top");
        let Some(bottom) = number("do") else {
            problems.push(format!("{page}: no Do item"));
            continue;
        };
        if bottom > number("height").unwrap() {
            problems.push(format!("{page}: the first Do item ends at {bottom:.0}px (header {})", at["header"]));
        }
        // The situation comes first, the promise after the behaviour it promises.
        if number("situation").unwrap() > number("behaviour").unwrap() {
            problems.push(format!("{page}: the situation is below the behaviour"));
        }
        if number("promise").is_some_and(|promise| promise < bottom) {
            problems.push(format!("{page}: a promise comes before the first Do item"));
        }
    }
    assert!(problems.is_empty(), "at {}x{}:\n{}", PHONE.0, PHONE.1, problems.join("\n"));
}

/// A touch point with everything that stands above the behaviour at its longest: a long title
/// and summary, an introduction, two promises and a situation of several paragraphs.
const LONG_TOUCHPOINT: &str = r#"+++
title = "A long-standing customer calls about a second invoice error in the same quarter"
summary = "The customer has found another mistake on an invoice, after the last one was promised to be the last, and wants to know what we will do about it this time and who is responsible."
stage = "support"
channels = ["phone", "email"]
frequency = 4
difficulty = 4
messages = ["we-own-it", "plain-words"]
+++

Read this before the call if you can: the account has a history.

## Situation

The customer has been with us for years and has already had one invoice corrected this
quarter. This time the error is small, but the trust is not: they expected us to have fixed
the cause. They call the service desk, not their account manager, because they want it
solved now, and they may say that they are looking at other suppliers.

They often have the invoice in front of them and will read out numbers. Some have already
written an email that nobody answered.

## Expected behaviour

- Do: thank them for calling and say that you will own the case until it is solved.
- Don't: blame the invoicing system or another team.
"#;

#[test]
fn the_first_do_item_is_on_the_first_screen_however_long_what_comes_before_it() {
    let Some(browser) = Browser::start() else { return };
    let dir = fixture("base");
    let content = dir.path().join("content");
    std::fs::write(content.join("touchpoints/second-invoice-error.md"), LONG_TOUCHPOINT).unwrap();
    std::fs::write(
        content.join("messages/plain-words.md"),
        "+++\ntitle = \"Plain words\"\npromise = \"We explain things in your words, not in ours, every time.\"\n+++\n\nWhat it means.\n",
    )
    .unwrap();
    let server = Server::start(dir.path());
    browser.viewport(PHONE.0, PHONE.1);
    // The division's page also says, above everything, that it is not translated yet.
    for page in ["touchpoints/second-invoice-error.html", "norge/touchpoints/second-invoice-error.html"] {
        browser.goto(&format!("http://{}/{page}", server.address));
        let at = browser.js(
            "const first = document.querySelector('#behaviour li.verdict-do').getBoundingClientRect();\n\
             const more = document.querySelector('.more-button');\n\
             return { bottom: first.bottom, height: window.innerHeight, more: !more.hidden, promises: document.querySelectorAll('.promise').length };",
        );
        assert_eq!(at["promises"], json!(2), "{page}: {at}");
        assert!(at["bottom"].as_f64() <= at["height"].as_f64(), "{page}: the first Do item ends at {}", at["bottom"]);
        // The situation was cut to its first lines, and the button brings back the rest.
        assert_eq!(at["more"], json!(true), "{page}: Read more shows");
        browser.click(".more-button");
        let open = browser.js(
            "const s = document.getElementById('situation-text'); const b = document.querySelector('.more-button');\n\
             return [s.scrollHeight <= s.clientHeight + 1, b.getAttribute('aria-expanded'), s.textContent.includes('nobody answered')];",
        );
        assert_eq!(open, json!([true, "true", true]), "{page}: the whole situation shows");
    }
}

/// Each situation on the journey map: its frequency (from its fill's class), the filled dots
/// that show and how far they stand out from the fill, and where it is.
const JOURNEY_CHIPS: &str = r#"
const rgb = c => c.match(/[\d.]+/g).slice(0, 3).map(Number);
const luminance = c => { const [r, g, b] = rgb(c).map(v => { v /= 255; return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4); }); return 0.2126 * r + 0.7152 * g + 0.0722 * b; };
const contrast = (a, b) => { const [x, y] = [luminance(a), luminance(b)].sort((p, q) => q - p); return (x + 0.05) / (y + 0.05); };
const shown = e => { const r = e.getBoundingClientRect(); return r.width > 0 && r.height > 0; };
const level = e => Number(Array.from(e.classList).find(k => /^freq-\d$/.test(k)).slice(5));
const dots = (e, fill) => Array.from(e.querySelectorAll('.dot.on')).filter(d => shown(d) && contrast(getComputedStyle(d).backgroundColor, fill) >= 3).length;
return {
  chips: Array.from(document.querySelectorAll('#journey-map li.chip')).map(c => [level(c), dots(c, getComputedStyle(c).backgroundColor)]),
  legend: Array.from(document.querySelectorAll('.legend-frequency .swatch[class*="freq-"]')).map(s => [level(s), dots(s.parentElement, getComputedStyle(document.documentElement).backgroundColor)]),
  stages: Array.from(document.querySelectorAll('#journey-map tbody tr')).map(tr => { const r = tr.getBoundingClientRect(); return [r.left, r.top, r.bottom, r.right]; }),
  width: document.documentElement.clientWidth,
};
"#;

#[test]
fn journey_map_frequencies_differ_by_more_than_colour_and_its_stages_follow_each_other_on_a_phone() {
    let Some(browser) = Browser::start() else { return };
    let dir = example_with_data();
    let server = Server::start(dir.path());
    for dark in [false, true] {
        browser.color_scheme(dark);
        for (width, height) in [NARROW, DESKTOP] {
            browser.viewport(width, height);
            for edition in EDITIONS {
                let url = format!("http://{}/{edition}journey.html", server.address);
                browser.goto(&url);
                let j = browser.js(JOURNEY_CHIPS);
                let chips = j["chips"].as_array().unwrap();
                assert!(chips.len() > 10, "{url}: the map shows situations");
                for chip in chips {
                    assert_eq!(
                        chip[0], chip[1],
                        "{url} at {width}px (dark: {dark}): a situation's dots are its frequency"
                    );
                }
                // Every step of the legend has its own number of dots.
                let legend: Vec<_> =
                    j["legend"].as_array().unwrap().iter().map(|l| (l[0].clone(), l[1].clone())).collect();
                assert_eq!(legend, (1..=5).map(|n| (json!(n), json!(n))).collect::<Vec<_>>(), "{url}: the legend");
                if width == NARROW.0 {
                    // One stage under the other, each the page's width.
                    let stages = j["stages"].as_array().unwrap();
                    let page = j["width"].as_f64().unwrap();
                    for pair in stages.windows(2) {
                        assert!(
                            pair[1][1].as_f64() >= pair[0][2].as_f64(),
                            "{url}: a stage starts below the one before"
                        );
                        assert_eq!(pair[1][0], pair[0][0], "{url}: stages are aligned");
                    }
                    assert!(stages.iter().all(|s| s[3].as_f64().unwrap() <= page), "{url}: stages fit the phone");
                }
            }
        }
    }
}

#[test]
fn on_a_phone_the_review_page_shows_every_items_due_date_and_status() {
    let Some(browser) = Browser::start() else { return };
    let dir = example_copy();
    let server = Server::start(dir.path());
    browser.viewport(NARROW.0, NARROW.1);
    for edition in EDITIONS {
        let url = format!("http://{}/{edition}review.html", server.address);
        browser.goto(&url);
        let rows = browser.js(
            "const width = document.documentElement.clientWidth;\n\
             const fits = e => { const r = e.getBoundingClientRect(); return r.width > 0 && r.height > 0 && r.left >= 0 && r.right <= width; };\n\
             const label = e => getComputedStyle(e, '::before').content;\n\
             return Array.from(document.querySelectorAll('table.review tbody tr')).filter(tr => tr.getClientRects().length > 0).map(tr => {\n\
               const due = tr.cells[4], status = tr.cells[5];\n\
               return { due: !tr.dataset.reviewDue || (fits(due) && due.textContent.trim() !== ''), due_label: label(due),\n\
                 status: fits(status) && status.textContent.trim() !== '', status_label: label(status) };\n\
             });",
        );
        let rows = rows.as_array().unwrap();
        assert!(rows.len() > 10, "{url}: the review tables have rows");
        for row in rows {
            assert_eq!((&row["due"], &row["status"]), (&json!(true), &json!(true)), "{url}: {row}");
            // The column names show beside the values, since the table's header row does not.
            assert!(row["status_label"].as_str().is_some_and(|l| l.len() > 4), "{url}: {row}");
        }
    }
}

/// The kinds of page a reader meets, each by one example, named for the screenshots.
const PAGE_KINDS: [(&str, &str); 17] = [
    ("start", "index.html"),
    ("touchpoints", "touchpoints/index.html"),
    ("touchpoint", "touchpoints/password-reset-call.html"),
    ("journey", "journey.html"),
    ("messages", "messages/index.html"),
    ("message", "messages/we-own-it.html"),
    ("stories", "practices/index.html"),
    ("story", "practices/the-call-back-that-kept-a-customer.html"),
    ("rollouts", "rollouts/index.html"),
    ("rollout", "rollouts/service-promise-programme.html"),
    ("plan", "plan.html"),
    ("review", "review.html"),
    ("practise", "practise.html"),
    ("status", "status.html"),
    ("not-found", "no-such-page.html"),
    ("norge-touchpoint", "norge/touchpoints/major-outage.html"),
    ("norge-rollout", "norge/rollouts/service-promise-programme.html"),
];

#[test]
fn every_page_kind_is_photographed_on_a_phone_and_a_desktop_in_light_and_dark() {
    let Some(browser) = Browser::start() else { return };
    let dir = example_with_data();
    let server = Server::start(dir.path());
    // The console probe itself works (otherwise "no errors" would mean nothing).
    browser.goto(&format!("http://{}/index.html", server.address));
    browser.js("console.error('touchbook-console-probe'); return null");
    assert!(browser.console_errors().iter().any(|e| e.contains("touchbook-console-probe")), "console log is readable");
    for dark in [false, true] {
        browser.color_scheme(dark);
        let scheme = if dark { "dark" } else { "light" };
        for (width, height) in [PHONE, DESKTOP] {
            browser.viewport(width, height);
            for (name, path) in PAGE_KINDS {
                browser.goto(&format!("http://{}/{path}", server.address));
                let seen = browser.js("return [document.title, matchMedia('(prefers-color-scheme: dark)').matches]");
                assert!(seen[0].as_str().is_some_and(|t| !t.is_empty()), "{path}: the page has a title");
                assert_eq!(seen[1], json!(dark), "{path} is shown in {scheme} mode");
                let errors = browser.console_errors();
                // The missing page answers 404, which the console reports; nothing else may.
                let errors: Vec<_> = errors.iter().filter(|e| !(name == "not-found" && e.contains("404"))).collect();
                assert!(errors.is_empty(), "{path}: {errors:?}");
                browser.screenshot(&screenshot_dir().join(format!("{name}-{width}-{scheme}.png")));
            }
        }
    }
    // The README shows the site as these tests last saw it.
    for (shot, picture) in [("start-1280-light.png", "start.png"), ("touchpoint-390-light.png", "touchpoint-phone.png")]
    {
        let png = std::fs::read(screenshot_dir().join(shot)).unwrap();
        assert!(png.starts_with(b"\x89PNG"), "{shot} is a PNG");
        let target = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("docs/images").join(picture);
        if std::fs::read(&target).ok().as_ref() != Some(&png) {
            std::fs::create_dir_all(target.parent().unwrap()).unwrap();
            std::fs::write(&target, &png).unwrap();
        }
    }
}
