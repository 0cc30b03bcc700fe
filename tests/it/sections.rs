//! Touch-point sections under ids they had before a rename: a heading marked `{#practice}` is
//! the role play, and the writer is told the id it has now.

use std::cell::RefCell;
use std::rc::Rc;

use crate::support::*;

/// The `id`, `class` and text of every element matching `selector`, read with an HTML parser.
fn elements(html: &str, selector: &str) -> Vec<(String, String, String)> {
    let found: Rc<RefCell<Vec<(String, String, String)>>> = Rc::default();
    let (on_element, on_text) = (Rc::clone(&found), Rc::clone(&found));
    let attribute = |el: &lol_html::html_content::Element, name: &str| el.get_attribute(name).unwrap_or_default();
    let settings = lol_html::RewriteStrSettings::new()
        .append_element_content_handler(lol_html::element!(selector, move |el| {
            on_element.borrow_mut().push((attribute(el, "id"), attribute(el, "class"), String::new()));
            Ok(())
        }))
        .append_element_content_handler(lol_html::text!(selector, move |chunk| {
            if let Some(last) = on_text.borrow_mut().last_mut() {
                last.2.push_str(chunk.as_str());
            }
            Ok(())
        }));
    lol_html::rewrite_str(html, settings).expect("the page parses");
    found.take()
}

#[test]
fn a_section_marked_with_the_old_practice_id_builds_as_the_role_play_and_warns_with_the_new_id() {
    let dir = fixture("renamed-section");
    let output = run(dir.path(), &["build"]);
    assert!(output.status.success(), "{}", stderr(&output));
    let messages = stderr(&output);

    for (page, file, line, heading, label, marker) in [
        (
            "touchpoints/angry-caller.html",
            "content/touchpoints/angry-caller.md",
            17,
            "Role play",
            "Print the role play",
            "MARKER-CENTRAL-ROLE-PLAY",
        ),
        (
            "norge/touchpoints/angry-caller.html",
            "content/divisions/norge/touchpoints/angry-caller.md",
            14,
            "Rollespill",
            "Skriv ut rollespillet",
            "MARKER-NORGE-ROLLESPILL",
        ),
    ] {
        let html = read(dir.path().join("site").join(page));
        let sections = elements(&html, "section.section");
        let roleplay =
            sections.iter().find(|(id, ..)| id == "roleplay").unwrap_or_else(|| panic!("{page}: {sections:?}"));
        assert_eq!(
            roleplay.1, "section section-roleplay",
            "{page}: a known section, styled and printed as the role play"
        );
        assert!(roleplay.2.contains(marker), "{page}: {roleplay:?}");
        assert!(!sections.iter().any(|(id, ..)| id == "practice"), "{page}: {sections:?}");
        let headings = elements(&html, "section#roleplay h2");
        assert_eq!(
            headings.iter().map(|h| h.2.trim()).collect::<Vec<_>>(),
            [heading],
            "{page}: the heading as written"
        );
        let buttons = elements(&html, "section#roleplay button.print-button");
        assert_eq!(buttons.iter().map(|b| b.2.as_str()).collect::<Vec<_>>(), [label], "{page}");

        let warning = format!(
            "{file}:{line}:1: warning: `{{#practice}}` is the old id of the section now called `{{#roleplay}}`"
        );
        assert!(messages.contains(&warning), "{warning}\nnot in:\n{messages}");
    }

    let check = run(dir.path(), &["check", "--format", "json"]);
    assert_eq!(check.status.code(), Some(0), "a warning: `check` passes");
    let report: serde_json::Value = serde_json::from_str(&stdout(&check)).unwrap();
    let renamed: Vec<_> = report["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["message"].as_str().is_some_and(|m| m.contains("`{#roleplay}`")))
        .map(|d| (d["severity"].as_str().unwrap(), d["line"].as_u64().unwrap(), d["column"].as_u64().unwrap()))
        .collect();
    assert_eq!(renamed, [("warning", 14, 1), ("warning", 17, 1)], "{report}");
    let strict = run(dir.path(), &["check", "--strict"]);
    assert_eq!(strict.status.code(), Some(1), "`check --strict` refuses the old id:\n{}", stderr(&strict));
}
