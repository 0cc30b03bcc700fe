//! The command line: argument parsing and dispatch only. Errors are printed once, here.
//!
//! Exit codes: 0 when all went well, 1 when the content has errors (or warnings with
//! `check --strict`), 2 for usage and I/O errors.

use std::io::Write as _;
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context as _;
use clap::{CommandFactory as _, Parser, Subcommand, ValueEnum};

use crate::build::{self, BuildOptions, Report, SearchMode};
use crate::kind::Kind;
use crate::progress::{self, Progress};
use crate::scaffold;

#[derive(Debug, Parser)]
#[command(
    name = "touchbook",
    version,
    about = "Builds a searchable customer playbook website from Markdown touch points."
)]
/// The command line, as clap reads it.
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
        /// Print only problems: no progress, no summary
        #[arg(long, short)]
        quiet: bool,
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
        /// Print only problems and where the site is served: no progress, no rebuild lines
        #[arg(long, short)]
        quiet: bool,
    },
    /// Check the playbook without writing anything: broken links, missing sections, due reviews,
    /// placeholders left from `touchbook new`
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
    /// Print a shell's completion script
    ///
    /// For example `touchbook completions bash > /usr/share/bash-completion/completions/touchbook`.
    Completions {
        #[arg(value_enum)]
        shell: Shell,
    },
    /// Print the manual page (roff), or write one page per command into a folder
    Man {
        /// Write touchbook.1, touchbook-build.1, … into this folder instead
        #[arg(long, value_name = "DIR")]
        dir: Option<PathBuf>,
    },
}

/// The shells touchbook writes completions for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum Shell {
    Bash,
    Zsh,
    Fish,
    Powershell,
}

impl From<Shell> for clap_complete::Shell {
    fn from(shell: Shell) -> clap_complete::Shell {
        match shell {
            Shell::Bash => clap_complete::Shell::Bash,
            Shell::Zsh => clap_complete::Shell::Zsh,
            Shell::Fish => clap_complete::Shell::Fish,
            Shell::Powershell => clap_complete::Shell::PowerShell,
        }
    }
}

/// How `check` reports: for people, for scripts, or for a CI system to show inline.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum Format {
    /// rustc-like messages on stderr
    Text,
    /// touchbook's own JSON: diagnostics and localisation status
    Json,
    /// GitHub Actions workflow commands: annotations on the pull request
    Github,
    /// GitLab Code Quality report (JSON)
    Gitlab,
    /// SARIF 2.1.0 (GitHub code scanning, Azure DevOps and others)
    Sarif,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum NewKind {
    Touchpoint,
    Message,
    // `new practice`, after the folder: the SPEC's spelling, kept beside `best-practice`.
    #[value(alias = "practice")]
    BestPractice,
    Rollout,
}

impl From<NewKind> for Kind {
    fn from(kind: NewKind) -> Kind {
        match kind {
            NewKind::Touchpoint => Kind::Touchpoint,
            NewKind::Message => Kind::Message,
            NewKind::BestPractice => Kind::BestPractice,
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
            let text = crate::diagnostics::of_error(&error).render_styled(&crate::diagnostics::Styles::coloured());
            let _ = write!(anstream::stderr().lock(), "{text}");
            ExitCode::from(2)
        }
    }
}

fn run(cli: Cli) -> anyhow::Result<ExitCode> {
    match cli.command {
        Command::Build { root, output, divisions, no_search, quiet } => {
            let search = if no_search { SearchMode::Off } else { SearchMode::Fresh };
            let progress = Progress::new(progress::Mode::for_stderr(quiet));
            let options =
                BuildOptions { output, divisions, search, progress, ..BuildOptions::new(root, build::today()) };
            let report = build::build(&options)?;
            crate::report::print_build(&report, quiet);
            Ok(if report.diagnostics.has_errors() { ExitCode::from(1) } else { ExitCode::SUCCESS })
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
        Command::Check { root, format, strict } => check(&root, format, strict),
        Command::Serve { root, port, host, open, divisions, quiet } => {
            crate::serve::run(crate::serve::ServeOptions { root, port, host, open, divisions, quiet })
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
        Command::Completions { shell } => {
            let mut script = Vec::new();
            clap_complete::generate(clap_complete::Shell::from(shell), &mut Cli::command(), "touchbook", &mut script);
            print_stdout(&String::from_utf8_lossy(&script))?;
            Ok(ExitCode::SUCCESS)
        }
        Command::Man { dir } => {
            man(dir.as_deref())?;
            Ok(ExitCode::SUCCESS)
        }
    }
}

/// The man page from the clap definitions: `touchbook(1)` on stdout, or that and one page per
/// command (`touchbook-build(1)`, as git has them) in `dir`.
fn man(dir: Option<&std::path::Path>) -> anyhow::Result<()> {
    let command = Cli::command();
    let render = |command: clap::Command| -> anyhow::Result<Vec<u8>> {
        let mut roff = Vec::new();
        clap_mangen::Man::new(command).render(&mut roff)?;
        Ok(roff)
    };
    let Some(dir) = dir else {
        return print_stdout(&String::from_utf8_lossy(&render(command)?));
    };
    std::fs::create_dir_all(dir).with_context(|| format!("cannot create {}", dir.display()))?;
    let mut pages = vec![("touchbook".to_string(), command.clone())];
    for sub in command.get_subcommands() {
        let name = format!("touchbook-{}", sub.get_name());
        let page = sub.clone().display_name(name.clone()).bin_name(format!("touchbook {}", sub.get_name()));
        pages.push((name, page));
    }
    for (name, page) in pages {
        let path = dir.join(format!("{name}.1"));
        std::fs::write(&path, render(page)?).with_context(|| format!("cannot write {}", path.display()))?;
    }
    println!("wrote the manual pages into {}", dir.display());
    Ok(())
}

/// `touchbook check`. In a machine format, a playbook that cannot be read at all (no
/// `book.toml`, not UTF-8) is reported in that format too, so a CI step gets a readable report.
fn check(root: &std::path::Path, format: Format, strict: bool) -> anyhow::Result<ExitCode> {
    let report = match build::check(&BuildOptions::new(root, build::today())) {
        Ok(report) => report,
        Err(error) if format != Format::Text => {
            let mut diagnostic = crate::diagnostics::of_error(&error);
            eprint!("{}", diagnostic.render());
            // Machine formats locate every problem in a file: one of none is the playbook's.
            if diagnostic.file.is_empty() {
                diagnostic.file = crate::config::CONFIG_FILE.to_string();
            }
            let mut report = Report::default();
            report.diagnostics.push(diagnostic);
            print_stdout(&machine_report(&report, format, root))?;
            return Ok(ExitCode::from(2));
        }
        Err(error) => return Err(error),
    };
    let diagnostics = &report.diagnostics;
    if format == Format::Text {
        crate::report::print_check(&report);
    } else {
        print_stdout(&machine_report(&report, format, root))?;
        if format == Format::Github {
            // The log still says what was found, after the annotations.
            eprintln!("{}", diagnostics.summary());
        }
    }
    let failed = diagnostics.has_errors() || (strict && diagnostics.warning_count() > 0);
    Ok(if failed { ExitCode::from(1) } else { ExitCode::SUCCESS })
}

/// The report in a format for programs.
fn machine_report(report: &Report, format: Format, root: &std::path::Path) -> String {
    let base = crate::ci::Base::new(root);
    let sorted = report.diagnostics.sorted();
    match format {
        Format::Text | Format::Json => crate::report::check_json(report),
        Format::Github => crate::ci::github(&sorted, &base),
        Format::Gitlab => crate::ci::gitlab(&sorted, &base),
        Format::Sarif => crate::ci::sarif(&sorted, &base),
    }
}

/// Writes to stdout; a reader that went away (`| head`) is not an error of ours.
fn print_stdout(text: &str) -> anyhow::Result<()> {
    let mut stdout = std::io::stdout().lock();
    match stdout.write_all(text.as_bytes()).and_then(|()| stdout.flush()) {
        Err(error) if error.kind() != std::io::ErrorKind::BrokenPipe => Err(error.into()),
        _ => Ok(()),
    }
}
