//! `touchbook serve`: build, serve the site on this machine, rebuild on every change and tell
//! the browser to reload.
//!
//! Three parts with one job each: [`watch`] turns file-system events into classified changes,
//! the rebuild loop here turns changes into builds, and [`livereload`] tells open pages what
//! happened (reload, or show the errors while the last good site keeps being served).

pub mod http;
pub mod livereload;
pub mod watch;

use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::mpsc;
use std::sync::Arc;
use std::time::Instant;

use anyhow::{Context, Result};

use crate::build::{self, BuildOptions, SearchMode};
use livereload::{LiveReload, Notice};
use watch::Change;

/// How to serve.
#[derive(Debug, Clone)]
pub struct ServeOptions {
    pub root: PathBuf,
    pub port: u16,
    pub host: String,
    pub open: bool,
    /// Only these divisions' editions (all editions when empty).
    pub divisions: Vec<String>,
}

/// Builds the playbook, serves it and rebuilds on change until interrupted.
pub fn run(options: ServeOptions) -> Result<ExitCode> {
    let build_options = BuildOptions {
        divisions: options.divisions.clone(),
        ..BuildOptions::new(options.root.clone(), build::today())
    };
    let report = build::build(&build_options)?;
    crate::cli::finish_build(&report);
    let output = match &report.output_dir {
        Some(dir) => dir.clone(),
        None => {
            let mut diags = crate::diagnostics::Diagnostics::default();
            let config = crate::config::load(&options.root, &mut diags)?;
            config.map(|c| c.output_dir).context("book.toml has errors; fix them and start touchbook serve again")?
        }
    };
    let live = Arc::new(LiveReload::new());
    if report.diagnostics.has_errors() {
        live.notify(Notice::Errors(report.diagnostics.render_text()));
    }

    let (changes_tx, changes_rx) = mpsc::channel();
    let _watcher = watch::start(&options.root, changes_tx)?;
    let rebuild_live = Arc::clone(&live);
    std::thread::spawn(move || rebuild_loop(&build_options, &changes_rx, &rebuild_live));

    let runtime =
        tokio::runtime::Builder::new_multi_thread().enable_all().build().context("cannot start the server runtime")?;
    runtime.block_on(http::serve(&options, output, live))?;
    Ok(ExitCode::SUCCESS)
}

/// Waits for changes and rebuilds; several changes that arrive together make one rebuild.
fn rebuild_loop(options: &BuildOptions, changes: &mpsc::Receiver<Vec<Change>>, live: &LiveReload) {
    while let Ok(mut batch) = changes.recv() {
        while let Ok(more) = changes.try_recv() {
            batch.extend(more);
        }
        let described = watch::describe(&batch);
        let start = Instant::now();
        let mut options = options.clone();
        options.today = build::today();
        // Pages first, with the previous search index, so the browser reloads at once; then
        // the same pages again with a fresh index, which readers do not see change.
        options.search = SearchMode::Previous;
        match build::build(&options) {
            Ok(report) if !report.diagnostics.has_errors() => {
                if report.diagnostics.warning_count() > 0 {
                    eprintln!("{}", report.diagnostics.summary());
                }
                eprintln!("{described}: rebuilt {} pages in {:.0?}", report.page_count(), start.elapsed());
                live.notify(Notice::Reload);
                let start = Instant::now();
                options.search = SearchMode::Fresh;
                match build::build(&options) {
                    Ok(report) if !report.diagnostics.has_errors() => {
                        eprintln!("search index updated in {:.0?}", start.elapsed())
                    }
                    Ok(_) => {}
                    Err(error) => eprintln!("warning: the search index was not updated: {error:#}"),
                }
            }
            Ok(report) => {
                let text = report.diagnostics.render_text();
                eprint!("{text}");
                eprintln!("{described}: the build failed; still serving the last good site");
                live.notify(Notice::Errors(text));
            }
            Err(error) => {
                let text = format!("error: {error:#}");
                eprintln!("{described}: {text}");
                live.notify(Notice::Errors(text));
            }
        }
    }
}
