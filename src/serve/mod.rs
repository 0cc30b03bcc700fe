//! `touchbook serve`: build, serve the site on this machine, rebuild on every change and tell
//! the browser to reload.
//!
//! One part per job: [`watch`] turns file-system events into classified changes, [`session`]
//! turns changes into the smallest rebuild that is correct (with `affected.rs` deciding which
//! pages a change touches), [`livereload`] tells open pages what happened (reload, or show the
//! errors while the last good site keeps being served), and the search index is brought up to
//! date on its own thread after the reload, so readers never wait for it.

mod affected;
pub(crate) mod editor;
mod form;
pub(crate) mod http;
pub(crate) mod livereload;
mod log_week;
pub mod session;
pub mod watch;

use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::mpsc;
use std::sync::{Arc, Mutex};
use std::time::Instant;

use anyhow::{Context, Result};

use crate::build::{self, BuildOptions};
use livereload::{LiveReload, Notice};
use session::{SearchRequest, Session, Site};
use watch::Change;

/// How to serve.
#[derive(Debug, Clone)]
pub struct ServeOptions {
    /// The playbook folder.
    pub root: PathBuf,
    /// The port to listen on.
    pub port: u16,
    /// The address to listen on (the editor is on only for loopback).
    pub host: String,
    /// Whether to open the site in the browser.
    pub open: bool,
    /// Only these divisions' editions (all editions when empty).
    pub divisions: Vec<String>,
    /// Print only problems (and where the site is served).
    pub quiet: bool,
}

/// Builds the playbook, serves it and rebuilds on change until interrupted.
pub fn run(options: ServeOptions) -> Result<ExitCode> {
    let build_options = BuildOptions {
        divisions: options.divisions.clone(),
        progress: crate::progress::Progress::new(crate::progress::Mode::for_stderr(options.quiet)),
        ..BuildOptions::new(options.root.clone(), build::today())
    };
    let mut session = Session::new(build_options);
    let outcome = session.rebuild(&[])?;
    crate::report::print_build(&outcome.report, options.quiet);
    let output = match &outcome.report.output_dir {
        Some(dir) => dir.clone(),
        None => {
            let mut diags = crate::diagnostics::Diagnostics::default();
            let config = crate::config::load(&options.root, &mut diags)?;
            config.map(|c| c.output_dir).context("book.toml has errors; fix them and start touchbook serve again")?
        }
    };
    let live = Arc::new(LiveReload::new());
    if outcome.report.diagnostics.has_errors() {
        live.notify(Notice::Errors(outcome.report.diagnostics.render_text_brief(crate::diagnostics::SHOWN_PER_KIND)));
    }

    let (changes_tx, changes_rx) = mpsc::channel();
    let watcher = watch::start(&options.root, changes_tx)?;
    let searches = spawn_search_worker(session.site());
    let rebuild_live = Arc::clone(&live);
    let loop_options = options.clone();
    std::thread::spawn(move || rebuild_loop(session, &changes_rx, &rebuild_live, &searches, watcher, &loop_options));

    let runtime =
        tokio::runtime::Builder::new_multi_thread().enable_all().build().context("cannot start the server runtime")?;
    runtime.block_on(http::serve(&options, output, live))?;
    Ok(ExitCode::SUCCESS)
}

/// Waits for changes and rebuilds; several changes that arrive together make one rebuild.
fn rebuild_loop(
    mut session: Session,
    changes: &mpsc::Receiver<Vec<Change>>,
    live: &LiveReload,
    searches: &mpsc::Sender<SearchRequest>,
    mut watcher: watch::Watcher,
    options: &ServeOptions,
) {
    let root = options.root.as_path();
    while let Ok(mut batch) = changes.recv() {
        while let Ok(more) = changes.try_recv() {
            batch.extend(more);
        }
        // A watch follows a folder, not its name: a `content/` replaced as a whole (another
        // branch checked out, a folder copied in) must be watched anew.
        if watch::replaces_a_folder(&batch) {
            if let Err(error) = watch::rewatch(&mut watcher, root) {
                eprintln!("warning: {error:#}");
            }
        }
        let described = watch::describe(&batch);
        let start = Instant::now();
        match session.rebuild(&batch) {
            Ok(outcome) if !outcome.report.diagnostics.has_errors() => {
                live.notify(Notice::Reload);
                let report = &outcome.report;
                if report.diagnostics.warning_count() > 0 {
                    eprintln!("{}", report.diagnostics.summary());
                }
                if let Some(request) = outcome.search {
                    let _ = searches.send(request);
                }
                if options.quiet {
                    continue;
                }
                let how = if outcome.full { "rebuilt everything" } else { "rebuilt" };
                eprintln!(
                    "{described}: {how}: {} pages and files rendered, {} written, in {:.0?} ({})",
                    outcome.rendered,
                    outcome.written,
                    start.elapsed(),
                    report.timings_text()
                );
            }
            Ok(outcome) => {
                let text = outcome.report.diagnostics.render_text_brief(crate::diagnostics::SHOWN_PER_KIND);
                eprint!("{text}");
                eprintln!("{described}: the build failed; still serving the last good site");
                live.notify(Notice::Errors(text));
            }
            Err(error) => {
                let text = crate::diagnostics::of_error(&error).render();
                eprint!("{described}: {text}");
                live.notify(Notice::Errors(text));
            }
        }
    }
}

/// Indexes search in the background, one request at a time; requests that pile up while it
/// works become one.
fn spawn_search_worker(site: Arc<Mutex<Site>>) -> mpsc::Sender<SearchRequest> {
    let (tx, rx) = mpsc::channel::<SearchRequest>();
    // Its own thread at low priority: indexing a large playbook takes seconds, and the next
    // edit's rebuild must not wait for it.
    let pool = rayon::ThreadPoolBuilder::new().num_threads(1).start_handler(|_| lower_priority()).build();
    std::thread::spawn(move || {
        while let Ok(mut request) = rx.recv() {
            while let Ok(newer) = rx.try_recv() {
                request.merge(newer);
            }
            let start = Instant::now();
            let result = match &pool {
                Ok(pool) => pool.install(|| session::update_search(&site, &request)),
                Err(_) => session::update_search(&site, &request),
            };
            match result {
                Ok(written) => eprintln!("search index updated in {:.0?} ({written} files written)", start.elapsed()),
                Err(error) => eprintln!("warning: the search index was not updated: {error:#}"),
            }
        }
    });
    tx
}

/// Makes the calling thread yield to others (a nice value of 10, per thread on Linux).
fn lower_priority() {
    #[cfg(unix)]
    // SAFETY: setpriority only reads its arguments; 0 names the calling thread.
    unsafe {
        libc::setpriority(libc::PRIO_PROCESS, 0, 10);
    }
}
