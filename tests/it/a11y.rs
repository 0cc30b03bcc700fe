//! Accessibility: axe-core (from npm, `tests/a11y/`) run in headless Chromium on every page
//! kind in every language of the example playbook, at phone and desktop widths.

use std::path::Path;

use serde_json::Value;

use crate::browser::{example_copy, Browser};
use crate::support::*;

/// axe-core's script, installed by `.ci/run` with `npm ci --prefix tests/a11y`.
pub(crate) fn axe_source() -> Option<String> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/a11y/node_modules/axe-core/axe.min.js");
    match std::fs::read_to_string(&path) {
        Ok(source) => Some(source),
        Err(_) => {
            assert!(
                std::env::var_os("CI").is_none(),
                "CI must run the accessibility tests: npm ci --prefix tests/a11y"
            );
            eprintln!("skipping the accessibility test: run `npm ci --prefix tests/a11y` first");
            None
        }
    }
}

#[test]
fn axe_finds_no_violations_on_any_page_kind_in_any_language() {
    let Some(axe) = axe_source() else { return };
    let Some(browser) = Browser::start() else { return };
    let dir = example_copy();
    let server = Server::start(dir.path());
    let pages = [
        "index.html",
        "touchpoints/index.html",
        "touchpoints/password-reset-call.html",
        "journey.html",
        "messages/index.html",
        "messages/we-own-it.html",
        "practices/index.html",
        "practices/the-call-back-that-kept-a-customer.html",
        "rollouts/index.html",
        "rollouts/service-promise-programme.html",
        "plan.html",
        "review.html",
        "practise.html",
        "404.html",
    ];
    let mut problems = Vec::new();
    for (width, height) in [(1280, 900), (360, 800)] {
        browser.size(width, height);
        for edition in ["", "norge/", "danmark/", "sverige/"] {
            let extra: &[&str] = if edition.is_empty() { &["status.html"] } else { &[] };
            for page in pages.iter().chain(extra) {
                browser.goto(&format!("http://{}/{edition}{page}", server.address));
                browser.js(&format!("{axe}\nreturn null;"));
                let result = browser.js_async(
                    "const done = arguments[0]; axe.run(document).then(r => done(r.violations.map(v => v.id + ' (' + v.impact + '): ' + v.nodes.slice(0, 3).map(n => n.target.join(' ')).join(', ')))).catch(e => done([String(e)]));",
                );
                for violation in result.as_array().into_iter().flatten().filter_map(Value::as_str) {
                    problems.push(format!("{edition}{page} at {width}px: {violation}"));
                }
            }
        }
    }
    assert!(problems.is_empty(), "axe-core found:\n{}", problems.join("\n"));
}
