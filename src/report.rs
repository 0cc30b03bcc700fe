//! What a run found, for people and for programs: the outcome of a build, and `check`'s report
//! as text (diagnostics, localisation, follow-up) or as touchbook's own JSON.
//!
//! `cli` and `serve` both report through here, so neither depends on the other.

use std::io::Write as _;

use crate::build::Report;
use crate::diagnostics::Styles;
use crate::model::LocalState;

/// Prints the outcome of a build: diagnostics to stderr (coloured on a terminal, unless
/// `NO_COLOR` is set), a one-line summary unless `quiet`.
pub(crate) fn print_build(report: &Report, quiet: bool) {
    let diagnostics = &report.diagnostics;
    let mut stderr = anstream::stderr().lock();
    if !diagnostics.is_empty() {
        let text = diagnostics.render_text_brief_styled(crate::diagnostics::SHOWN_PER_KIND, &Styles::coloured());
        let _ = write!(stderr, "{text}");
    }
    if diagnostics.has_errors() {
        let _ = writeln!(stderr, "build failed: nothing was written; the previous site is unchanged");
        return;
    }
    if let Some(dir) = report.output_dir.as_ref().filter(|_| !quiet) {
        let reused = report.search_reuse.describe().map(|text| format!("; {text}")).unwrap_or_default();
        let (pages, timings) = (report.page_count(), report.timings_text());
        let _ = writeln!(stderr, "built {pages} pages into {} ({timings}{reused})", dir.display());
    }
}

/// Prints `check`'s report for people to stderr: every diagnostic, then how far each division's
/// translation and each followed rollout have come.
pub(crate) fn print_check(report: &Report) {
    // Written, not `eprint!`ed: a reader that went away (`2>&1 | head`) is no reason to panic.
    let mut stderr = anstream::stderr().lock();
    let _ = write!(stderr, "{}", report.diagnostics.render_text_styled(&Styles::coloured()));
    let _ = write!(stderr, "{}", localisation_text(report));
    let _ = write!(stderr, "{}", follow_up_text(report));
}

/// Per division (in the order of the report): how many items are in each state.
fn localisation_counts(report: &Report) -> Vec<(String, Vec<(LocalState, usize)>)> {
    let mut divisions: Vec<String> = Vec::new();
    for local in &report.localisation {
        if !divisions.contains(&local.division) {
            divisions.push(local.division.clone());
        }
    }
    divisions.into_iter().map(|d| (d.clone(), crate::model::totals(&report.localisation, &d))).collect()
}

/// The localisation status per division as `check` prints it after the diagnostics.
fn localisation_text(report: &Report) -> String {
    let mut out = String::new();
    let counts = localisation_counts(report);
    if counts.is_empty() {
        return out;
    }
    out.push_str("\nlocalisation:\n");
    for (division, counts) in counts {
        let parts: Vec<String> = counts.iter().map(|(s, n)| format!("{n} {}", s.as_str())).collect();
        out.push_str(&format!("  {division}: {}\n", parts.join(", ")));
        let untranslated: Vec<String> = report
            .localisation
            .iter()
            .filter(|l| l.division == division && !l.untranslated.is_empty())
            .map(|l| format!("{}/{} ({})", l.kind.folder(), l.id, l.untranslated.join(", ")))
            .collect();
        if !untranslated.is_empty() {
            out.push_str(&format!("    sections not translated yet: {}\n", untranslated.join("; ")));
        }
        let gaps: Vec<String> = report
            .localisation
            .iter()
            .filter(|l| l.division == division && !l.gaps.is_empty())
            .map(|l| {
                let gaps: Vec<String> = l
                    .gaps
                    .iter()
                    .map(|g| format!("{} of {} {}", g.has, g.of, if g.verdict == "do" { "Do items" } else { "Don'ts" }))
                    .collect();
                format!("{}/{} ({})", l.kind.folder(), l.id, gaps.join(", "))
            })
            .collect();
        if !gaps.is_empty() {
            out.push_str(&format!("    leaves out central behaviour: {}\n", gaps.join("; ")));
        }
    }
    out
}

/// Per followed rollout (one some division has recorded weeks of), each division's or team's
/// weeks by state, those behind first.
fn follow_up_text(report: &Report) -> String {
    use crate::model::WeekState;
    let mut out = String::new();
    let mut rollouts: Vec<&str> = Vec::new();
    for row in &report.follow_up {
        let held = row.count(WeekState::OnTime) + row.count(WeekState::Late) > 0;
        if held && !rollouts.contains(&row.rollout.as_str()) {
            rollouts.push(&row.rollout);
        }
    }
    if rollouts.is_empty() {
        return out;
    }
    out.push_str("\nfollow-up:\n");
    for rollout in rollouts {
        out.push_str(&format!("  {rollout}:\n"));
        let mut rows: Vec<&crate::model::FollowUp> = report.follow_up.iter().filter(|r| r.rollout == rollout).collect();
        rows.sort_by_key(|r| std::cmp::Reverse(r.count(WeekState::Overdue)));
        for row in rows {
            let who = match &row.team {
                Some(team) => format!("{} ({team})", row.division),
                None => row.division.clone(),
            };
            let counts: Vec<String> =
                WeekState::ALL.iter().map(|s| format!("{} {}", row.count(*s), s.as_str().replace('-', " "))).collect();
            out.push_str(&format!("    {who}, from {}: {}\n", row.start, counts.join(", ")));
        }
    }
    out
}

/// One row of the follow-up for other tools: states and dates only, never what a check-in says.
fn follow_up_json(row: &crate::model::FollowUp) -> serde_json::Value {
    let totals: serde_json::Map<String, serde_json::Value> = crate::model::WeekState::ALL
        .iter()
        .map(|state| (state.as_str().to_string(), serde_json::json!(row.count(*state))))
        .collect();
    let weeks: Vec<serde_json::Value> = row
        .weeks
        .iter()
        .map(|w| {
            serde_json::json!({
                "number": w.number,
                "start": w.start.to_string(),
                "end": w.end.to_string(),
                "state": w.state.as_str(),
                "held-on": w.held_on.map(|d| d.to_string()),
                "obstacle": w.obstacle,
            })
        })
        .collect();
    serde_json::json!({
        "rollout": row.rollout,
        "division": row.division,
        "team": row.team,
        "start": row.start.to_string(),
        "totals": totals,
        "weeks": weeks,
    })
}

/// `check --format json`: the diagnostics, each division's localisation and the follow-up of
/// rollouts.
pub(crate) fn check_json(report: &Report) -> String {
    let diagnostics = &report.diagnostics;
    let divisions: Vec<serde_json::Value> = localisation_counts(report)
        .into_iter()
        .map(|(division, counts)| {
            let totals: serde_json::Map<String, serde_json::Value> =
                counts.iter().map(|(s, n)| (s.as_str().to_string(), serde_json::json!(n))).collect();
            let items: Vec<&crate::model::Localisation> =
                report.localisation.iter().filter(|l| l.division == division).collect();
            serde_json::json!({ "division": division, "totals": totals, "items": items })
        })
        .collect();
    let value = serde_json::json!({
        "errors": diagnostics.error_count(),
        "warnings": diagnostics.warning_count(),
        "diagnostics": diagnostics.sorted(),
        "localisation": divisions,
        "follow-up": report.follow_up.iter().map(follow_up_json).collect::<Vec<_>>(),
    });
    serde_json::to_string_pretty(&value).unwrap_or_default() + "\n"
}
