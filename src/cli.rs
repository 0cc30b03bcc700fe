//! The command line: argument parsing and dispatch only. Errors are printed once, here.
//!
//! Exit codes: 0 when all went well, 1 when the content has errors (or warnings with
//! `check --strict`), 2 for usage and I/O errors.

use std::io::Write as _;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand, ValueEnum};

use crate::build::{self, BuildOptions, Report};
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
            eprintln!("error: {error:#}");
            ExitCode::from(2)
        }
    }
}

fn run(cli: Cli) -> anyhow::Result<ExitCode> {
    match cli.command {
        Command::Build { root, output } => {
            let report = build::build(&BuildOptions {
                root,
                output,
                today: build::today(),
            })?;
            Ok(finish_build(&report))
        }
        Command::Check {
            root,
            format,
            strict,
        } => {
            let report = build::check(&BuildOptions {
                root,
                output: None,
                today: build::today(),
            })?;
            let diagnostics = &report.diagnostics;
            match format {
                Format::Json => print!("{}", diagnostics.render_json()),
                Format::Text => eprint!("{}", diagnostics.render_text()),
            }
            let failed = diagnostics.has_errors() || (strict && diagnostics.warning_count() > 0);
            Ok(if failed {
                ExitCode::from(1)
            } else {
                ExitCode::SUCCESS
            })
        }
        Command::Serve {
            root,
            port,
            host,
            open,
        } => crate::serve::run(crate::serve::ServeOptions {
            root,
            port,
            host,
            open,
        }),
        Command::New {
            kind,
            title,
            root,
            division,
            force,
        } => {
            let path = scaffold::new_item(
                &root,
                kind.into(),
                &title,
                division.as_deref(),
                force,
                build::today(),
            )?;
            println!("created {}", path.display());
            Ok(ExitCode::SUCCESS)
        }
        Command::Init { dir } => {
            scaffold::init(&dir, build::today())?;
            println!(
                "created a playbook in {}\nnext: cd {} && touchbook serve",
                dir.display(),
                dir.display()
            );
            Ok(ExitCode::SUCCESS)
        }
    }
}

/// Prints the outcome of a build: diagnostics to stderr, a one-line summary.
pub fn finish_build(report: &Report) -> ExitCode {
    let diagnostics = &report.diagnostics;
    let mut stderr = std::io::stderr().lock();
    if !diagnostics.is_empty() {
        let _ = write!(stderr, "{}", diagnostics.render_text());
    }
    if diagnostics.has_errors() {
        let _ = writeln!(
            stderr,
            "build failed: nothing was written; the previous site is unchanged"
        );
        return ExitCode::from(1);
    }
    if let Some(dir) = &report.output_dir {
        let _ = writeln!(
            stderr,
            "built {} pages into {} ({})",
            report.page_count(),
            dir.display(),
            report.timings_text()
        );
    }
    ExitCode::SUCCESS
}
