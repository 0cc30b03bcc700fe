//! Progress of long work (pages rendered, editions indexed): a bar on a terminal, one plain line
//! per stage when stderr is a log (CI), nothing with `--quiet`.
//!
//! A large playbook takes many seconds to build; on a terminal a person should see that it is
//! moving, while a CI log must not fill with redrawn bars and control codes.

use std::io::IsTerminal as _;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

/// How progress is shown.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Mode {
    /// Nothing (`--quiet`, `check`, tests of the library).
    #[default]
    Hidden,
    /// A line when a long stage begins: stderr is a file or a pipe.
    Lines,
    /// A progress bar redrawn in place: stderr is a terminal.
    Bar,
}

impl Mode {
    /// What suits stderr: a bar on a terminal, lines elsewhere, nothing when `quiet`.
    pub fn for_stderr(quiet: bool) -> Mode {
        if quiet {
            Mode::Hidden
        } else if std::io::stderr().is_terminal() {
            Mode::Bar
        } else {
            Mode::Lines
        }
    }
}

/// The progress of one run, shared by its stages (and their threads); cheap to clone.
#[derive(Clone, Default)]
pub struct Progress {
    mode: Mode,
    bar: Arc<Mutex<Option<ProgressBar>>>,
}

impl std::fmt::Debug for Progress {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Progress").field("mode", &self.mode).finish()
    }
}

impl Progress {
    pub fn new(mode: Mode) -> Progress {
        Progress { mode, bar: Arc::default() }
    }

    pub fn mode(&self) -> Mode {
        self.mode
    }

    /// A stage of `total` steps begins, e.g. `rendering 1200 pages`.
    pub fn start(&self, what: &str, total: u64) {
        match self.mode {
            Mode::Hidden => {}
            Mode::Lines => eprintln!("{what}…"),
            Mode::Bar => {
                let style = ProgressStyle::with_template("{spinner} {msg} [{bar:30}] {pos}/{len} ({elapsed})")
                    .unwrap_or_else(|_| ProgressStyle::default_bar())
                    .progress_chars("=> ");
                let bar = ProgressBar::with_draw_target(Some(total), ProgressDrawTarget::stderr())
                    .with_style(style)
                    .with_message(what.to_string());
                // Redrawn on its own too, so the time keeps moving while a long step runs.
                bar.enable_steady_tick(Duration::from_millis(120));
                self.replace(Some(bar));
            }
        }
    }

    /// A stage whose steps cannot be counted begins: a spinner with the time it has taken.
    pub fn start_spinner(&self, what: &str) {
        match self.mode {
            Mode::Hidden => {}
            Mode::Lines => eprintln!("{what}…"),
            Mode::Bar => {
                let style = ProgressStyle::with_template("{spinner} {msg} ({elapsed})")
                    .unwrap_or_else(|_| ProgressStyle::default_spinner());
                let bar = ProgressBar::with_draw_target(None, ProgressDrawTarget::stderr())
                    .with_style(style)
                    .with_message(what.to_string());
                bar.enable_steady_tick(Duration::from_millis(120));
                self.replace(Some(bar));
            }
        }
    }

    /// One step of the current stage is done.
    pub fn step(&self) {
        if self.mode == Mode::Bar {
            if let Some(bar) = self.bar.lock().unwrap_or_else(PoisonError::into_inner).as_ref() {
                bar.inc(1);
            }
        }
    }

    /// The current stage is over: its bar goes, so what is printed next stands alone.
    pub fn finish(&self) {
        self.replace(None);
    }

    fn replace(&self, bar: Option<ProgressBar>) {
        let old = std::mem::replace(&mut *self.bar.lock().unwrap_or_else(PoisonError::into_inner), bar);
        if let Some(old) = old {
            old.finish_and_clear();
        }
    }
}
