//! The example playbook at the repository root: it builds, checks clean and has no broken link.

use std::path::Path;

use crate::support::*;

#[test]
fn example_playbook_builds_checks_and_links_resolve() {
    let Built { root: repo, site } = shared_example();
    assert_eq!(broken_links(site), Vec::<String>::new());
    let check = run(repo, &["check"]);
    assert!(check.status.success(), "{}", stderr(&check));
    let json: serde_json::Value = serde_json::from_str(&read(site.join("touchpoints.json"))).unwrap();
    assert!(json["touchpoints"].as_array().unwrap().len() >= 15);
    let stages: std::collections::BTreeSet<&str> =
        json["touchpoints"].as_array().unwrap().iter().map(|t| t["stage"].as_str().unwrap()).collect();
    assert_eq!(stages.len(), 5, "every stage of the journey has a situation");
    let rollout = read(site.join("rollouts/service-promise-programme.html"));
    assert_eq!(select(&rollout, "section.week-pack").len(), 16);
    assert!(!rollout.contains("No meeting pack written"), "every week has its pack");
}

#[test]
fn example_divisions_localise_what_the_issue_asks_for() {
    let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
    let output = run(repo, &["check", "--format", "json"]);
    let report: serde_json::Value = serde_json::from_str(&stdout(&output)).unwrap();
    let divisions = report["localisation"].as_array().unwrap();
    assert_eq!(divisions.len(), 3, "Norge, Danmark and Sverige");
    let mut hidden = 0;
    let mut outdated = 0;
    for division in divisions {
        let items = division["items"].as_array().unwrap();
        let translated = |kind: &str| {
            items.iter().filter(|i| i["kind"] == kind && (i["state"] == "current" || i["state"] == "outdated")).count()
        };
        assert!(translated("touchpoint") >= 6, "{}: at least six touch points", division["division"]);
        assert_eq!(translated("message"), 4, "{}: every brand message", division["division"]);
        let own = |kind: &str| items.iter().filter(|i| i["kind"] == kind && i["state"] == "division-only").count();
        assert!(
            own("touchpoint") >= 1 && own("practice") >= 1,
            "{}: its own touch point and story",
            division["division"]
        );
        hidden += division["totals"]["hidden"].as_u64().unwrap();
        outdated += division["totals"]["outdated"].as_u64().unwrap();
    }
    assert!(hidden >= 1 && outdated >= 1, "one hidden touch point and one outdated overlay to show");
}
