//! The command line: argument parsing and dispatch only. Errors are printed once, here.
//!
//! Exit codes: 0 when all went well, 1 when the content has errors (or warnings with
//! `check --strict`), 2 for usage and I/O errors.

use std::io::Write as _;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand, ValueEnum};

use crate::build::{self, BuildOptions, Report, SearchMode};
use crate::model::LocalState;
use crate::scaffold;
use crate::source::Kind;

#[derive(Debug, Parser)]
#[command(
    name = "touchbook",
    version,
    about = "Builds a searchable customer playbook website from Markdown touch points."
)]
pub struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Build the playbook into its output folder (default: site/)
    Build {
        /// The playbook folder (where book.toml is)
        #[arg(long, default_value = ".")]
        root: PathBuf,
        /// Write the site here instead of `build.output-dir`
        #[arg(long)]
        output: Option<PathBuf>,
        /// Build only this division's edition (repeat for several)
        #[arg(long = "division", value_name = "ID")]
        divisions: Vec<String>,
        /// Skip the search index: a quicker build for a preview or a link check (the search
        /// box then says search is unavailable)
        #[arg(long)]
        no_search: bool,
    },
    /// Build, then serve the site on this machine and rebuild on every change
    Serve {
        #[arg(long, default_value = ".")]
        root: PathBuf,
        #[arg(long, default_value_t = 3000)]
        port: u16,
        /// The address to listen on; anything but 127.0.0.1 makes the site visible to others
        #[arg(long, default_value = "127.0.0.1")]
        host: String,
        /// Open the site in the default browser
        #[arg(long)]
        open: bool,
        /// Build and serve only this division's edition (repeat for several)
        #[arg(long = "division", value_name = "ID")]
        divisions: Vec<String>,
    },
    /// Check the playbook without writing anything: broken links, missing sections, due reviews
    Check {
        #[arg(long, default_value = ".")]
        root: PathBuf,
        #[arg(long, value_enum, default_value_t = Format::Text)]
        format: Format,
        /// Fail on warnings too
        #[arg(long)]
        strict: bool,
    },
    /// Create a new content file with everything it needs filled in
    New {
        #[arg(value_enum)]
        kind: NewKind,
        /// The title, e.g. "Customer asks for a manager"
        title: String,
        #[arg(long, default_value = ".")]
        root: PathBuf,
        /// Create it in a division's folder
        #[arg(long)]
        division: Option<String>,
        /// Replace an existing file
        #[arg(long)]
        force: bool,
    },
    /// Start a division's translation of a central item, or mark it current again
    Localise {
        /// The division, as in `[divisions.<id>]` of book.toml
        division: String,
        /// The item's id (file name without `.md`), or `messages/<id>` when ids clash
        id: String,
        #[arg(long, default_value = ".")]
        root: PathBuf,
        /// The translation has been brought up to date: record the current central version
        #[arg(long)]
        refresh: bool,
        /// Replace an existing translation with a fresh copy of the central text
        #[arg(long)]
        force: bool,
    },
    /// Create a small working playbook
    Init {
        /// Where to create it (default: the current folder)
        #[arg(default_value = ".")]
        dir: PathBuf,
    },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum Format {
    Text,
    Json,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum NewKind {
    Touchpoint,
    Message,
    Practice,
    Rollout,
}

impl From<NewKind> for Kind {
    fn from(kind: NewKind) -> Kind {
        match kind {
            NewKind::Touchpoint => Kind::Touchpoint,
            NewKind::Message => Kind::Message,
            NewKind::Practice => Kind::Practice,
            NewKind::Rollout => Kind::Rollout,
        }
    }
}

/// Parses the arguments and runs the command.
pub fn main() -> ExitCode {
    let cli = Cli::parse();
    match run(cli) {
        Ok(code) => code,
        Err(error) => {
            eprintln!("error: {}", crate::diagnostics::visible(&format!("{error:#}")));
            ExitCode::from(2)
        }
    }
}

fn run(cli: Cli) -> anyhow::Result<ExitCode> {
    match cli.command {
        Command::Build { root, output, divisions, no_search } => {
            let search = if no_search { SearchMode::Off } else { SearchMode::Fresh };
            let options = BuildOptions { output, divisions, search, ..BuildOptions::new(root, build::today()) };
            let report = build::build(&options)?;
            Ok(finish_build(&report))
        }
        Command::Localise { division, id, root, refresh, force } => {
            match crate::localise::localise(&root, &division, &id, refresh, force)? {
                crate::localise::Outcome::Created(path) => {
                    println!(
                        "created {}
next: translate it, then check with `touchbook check`",
                        path.display()
                    )
                }
                crate::localise::Outcome::Refreshed(path, hash) => {
                    println!("{} now translates the current central version ({hash})", path.display())
                }
            }
            Ok(ExitCode::SUCCESS)
        }
        Command::Check { root, format, strict } => {
            let report = build::check(&BuildOptions::new(root, build::today()))?;
            let diagnostics = &report.diagnostics;
            match format {
                Format::Json => print!("{}", check_json(&report)),
                Format::Text => {
                    eprint!("{}", diagnostics.render_text());
                    eprint!("{}", localisation_text(&report));
                    eprint!("{}", follow_up_text(&report));
                }
            }
            let failed = diagnostics.has_errors() || (strict && diagnostics.warning_count() > 0);
            Ok(if failed { ExitCode::from(1) } else { ExitCode::SUCCESS })
        }
        Command::Serve { root, port, host, open, divisions } => {
            crate::serve::run(crate::serve::ServeOptions { root, port, host, open, divisions })
        }
        Command::New { kind, title, root, division, force } => {
            let path = scaffold::new_item(&root, kind.into(), &title, division.as_deref(), force, build::today())?;
            println!("created {}", path.display());
            Ok(ExitCode::SUCCESS)
        }
        Command::Init { dir } => {
            scaffold::init(&dir, build::today())?;
            println!("created a playbook in {}\nnext: cd {} && touchbook serve", dir.display(), dir.display());
            Ok(ExitCode::SUCCESS)
        }
    }
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

fn check_json(report: &Report) -> String {
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

/// Prints the outcome of a build: diagnostics to stderr, a one-line summary.
pub fn finish_build(report: &Report) -> ExitCode {
    let diagnostics = &report.diagnostics;
    let mut stderr = std::io::stderr().lock();
    if !diagnostics.is_empty() {
        let _ = write!(stderr, "{}", diagnostics.render_text_brief(crate::diagnostics::SHOWN_PER_KIND));
    }
    if diagnostics.has_errors() {
        let _ = writeln!(stderr, "build failed: nothing was written; the previous site is unchanged");
        return ExitCode::from(1);
    }
    if let Some(dir) = &report.output_dir {
        let reused = report.search_reuse.describe().map(|text| format!("; {text}")).unwrap_or_default();
        let (pages, timings) = (report.page_count(), report.timings_text());
        let _ = writeln!(stderr, "built {pages} pages into {} ({timings}{reused})", dir.display());
    }
    ExitCode::SUCCESS
}
