//! The example playbook at the repository root: it builds, checks clean and has no broken link.

use std::path::Path;

use crate::support::*;

#[test]
fn example_playbook_builds_checks_and_links_resolve() {
    let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
    let out = tempfile::tempdir().unwrap();
    let site = out.path().join("site");
    let output = run(repo, &["build", "--output", site.to_str().unwrap()]);
    assert!(output.status.success(), "{}", stderr(&output));
    assert_eq!(broken_links(&site), Vec::<String>::new());
    let check = run(repo, &["check"]);
    assert!(check.status.success(), "{}", stderr(&check));
    let json: serde_json::Value = serde_json::from_str(&read(site.join("touchpoints.json"))).unwrap();
    assert!(json["touchpoints"].as_array().unwrap().len() >= 15);
    let stages: std::collections::BTreeSet<&str> =
        json["touchpoints"].as_array().unwrap().iter().map(|t| t["stage"].as_str().unwrap()).collect();
    assert_eq!(stages.len(), 5, "every stage of the journey has a situation");
    let rollout = read(site.join("rollouts/service-promise-programme.html"));
    assert_eq!(rollout.matches("class=\"week-pack\"").count(), 16);
    assert!(!rollout.contains("No meeting pack written"), "every week has its pack");
}
