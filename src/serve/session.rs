//! What `serve` keeps between rebuilds, and the rebuild itself.
//!
//! A change to content re-reads and re-parses only the files that changed (the build caches),
//! re-renders only the pages it touches (`affected.rs`) and writes only the
//! files whose bytes changed. `book.toml`, the theme or a new day rebuild everything. The search
//! index comes after the reload, from [`update_search`], usually on another thread.

use std::collections::{BTreeMap, BTreeSet};
use std::path::PathBuf;
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::time::Instant;

use anyhow::Result;

use super::affected;
use super::watch::Change;
use crate::build::{self, BuildOptions, Caches, Loaded, Report, SearchMode};
use crate::output;
use crate::output::OutputFile;
use crate::render::Pages;
use crate::search::{self, EditionKey, BUNDLE_DIR};

/// The site as written: every file, by path below the output folder.
#[derive(Debug, Default)]
pub struct Site {
    /// The folder the site is written to.
    pub output: PathBuf,
    files: BTreeMap<String, Arc<OutputFile>>,
}

impl Site {
    /// The bytes of a file as last written.
    pub fn get(&self, path: &str) -> Option<&[u8]> {
        self.files.get(path).map(|f| f.bytes.as_slice())
    }

    /// Writes `files` where their bytes differ from what is there and removes `removals`.
    fn apply(&mut self, files: Vec<OutputFile>, removals: Vec<String>) -> Result<usize> {
        let removals: Vec<String> = removals.into_iter().filter(|p| self.files.contains_key(p)).collect();
        let writes: Vec<&OutputFile> = files.iter().filter(|f| self.get(&f.path) != Some(f.bytes.as_slice())).collect();
        let listed_changes = !removals.is_empty() || writes.iter().any(|f| !self.files.contains_key(&f.path));
        let mut after: BTreeSet<&str> = self.files.keys().map(String::as_str).collect();
        for path in &removals {
            after.remove(path.as_str());
        }
        after.extend(writes.iter().map(|f| f.path.as_str()));
        let listing = listed_changes.then(|| after.into_iter().map(str::to_string).collect());
        let written = writes.len();
        output::update_site(&self.output, &output::Update { writes, removals: removals.clone(), listing })?;
        for path in removals {
            self.files.remove(&path);
        }
        self.files.extend(files.into_iter().map(|file| (file.path.clone(), Arc::new(file))));
        Ok(written)
    }
}

/// The last good build, and what it takes to redo part of it.
pub struct Session {
    options: BuildOptions,
    caches: Caches,
    last: Option<Loaded>,
    site: Arc<Mutex<Site>>,
}

/// What a rebuild did.
pub struct Outcome {
    /// What the build found and made.
    pub report: Report,
    /// Pages and data files rendered, and files written (those whose bytes changed).
    pub rendered: usize,
    /// Files written because their bytes changed.
    pub written: usize,
    /// Whether everything was rebuilt (first build, `book.toml`, theme, a new day).
    pub full: bool,
    /// The editions whose search index is now out of date, for [`update_search`].
    pub search: Option<SearchRequest>,
}

/// Editions whose search index is out of date.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SearchRequest {
    /// Prefix and language of every edition of the site (to tell whose page is whose).
    pub editions: Vec<EditionKey>,
    /// Prefixes of the editions to index again.
    pub stale: BTreeSet<String>,
    /// Pages per search shard ([`BuildOptions::search_shard_pages`]).
    pub shard_pages: usize,
}

impl SearchRequest {
    /// One request for two: the newer site, and every edition either found out of date.
    pub fn merge(&mut self, newer: SearchRequest) {
        self.editions = newer.editions;
        self.stale.extend(newer.stale);
        self.shard_pages = newer.shard_pages;
    }
}

impl Session {
    /// A session with nothing built yet.
    pub fn new(options: BuildOptions) -> Session {
        Session { options, caches: Caches::default(), last: None, site: Arc::new(Mutex::new(Site::default())) }
    }

    /// The written site, shared with the server and the search indexer.
    pub fn site(&self) -> Arc<Mutex<Site>> {
        Arc::clone(&self.site)
    }

    /// Rebuilds after `changes` (everything when there is no good build yet). The first build
    /// indexes search at once; later ones keep the previous index and ask for a new one.
    pub fn rebuild(&mut self, changes: &[Change]) -> Result<Outcome> {
        if self.last.is_some() {
            // Progress is for the first build, which can be long; rebuilds are quick.
            self.options.progress = crate::progress::Progress::default();
        }
        let today = build::today();
        let full = self.last.is_none()
            || today != self.options.today
            || changes.iter().any(|c| !matches!(c, Change::Content(_)));
        if full {
            self.caches = Caches::default();
        }
        self.options.today = today;
        if !full {
            let paths: Vec<String> = changes
                .iter()
                .filter_map(|c| match c {
                    Change::Content(path) => Some(path.clone()),
                    _ => None,
                })
                .collect();
            self.caches.sources.changed(&paths);
        }
        let mut report = Report::default();
        let loaded = build::load_with(&self.options, Some(&self.caches), &mut report)?;
        let failed = |report| Outcome { report, rendered: 0, written: 0, full, search: None };
        let Some(loaded) = loaded.filter(|_| !report.diagnostics.has_errors()) else {
            return Ok(failed(report));
        };
        let output_dir = build::output_dir(&self.options, &loaded.config);
        let mut site = lock(&self.site);
        // A site deleted or damaged since it was written (its marker gone) is written whole.
        let full = full || site.output != output_dir || !output_dir.join(output::MARKER).is_file();
        let plan = match (&self.last, full) {
            (Some(last), false) => affected::plan(last, &loaded, &self.options),
            _ => Vec::new(),
        };
        let files =
            build::render_all(&loaded, &self.options, &plan, Some(&self.caches), &crate::render::keep, &mut report);
        if report.diagnostics.has_errors() {
            return Ok(failed(report));
        }
        let rendered = files.len();
        let editions = build::edition_keys(&loaded, &self.options);
        let written = if full {
            output::check_output_dir(&self.options.root, &output_dir)?;
            // The first build indexes search before anyone looks; later ones keep the previous
            // index so the browser can reload at once, and ask for a new one below.
            let search = if self.last.is_none() { SearchMode::Fresh } else { SearchMode::Previous };
            let options = BuildOptions { search, ..self.options.clone() };
            let all = build::index_and_write(&loaded, &options, files, &output_dir, &mut report)?;
            // The report only counts pages; the bytes live in the site.
            report.written = all.iter().map(|f| f.path.clone()).collect();
            let written = all.len();
            *site = Site {
                output: output_dir.clone(),
                files: all.into_iter().map(|f| (f.path.clone(), Arc::new(f))).collect(),
            };
            written
        } else {
            let start = Instant::now();
            let removals = stale_pages(&site, &editions, &plan, &files);
            report.written = files.iter().map(|f| f.path.clone()).collect();
            let written = site.apply(files, removals)?;
            report.timings.push(("write", start.elapsed()));
            written
        };
        report.output_dir = Some(output_dir);
        drop(site);
        // The first build indexed search already; later ones kept the previous index.
        let search = self.last.is_some().then(|| SearchRequest {
            stale: editions
                .iter()
                .zip(plan.iter().chain(std::iter::repeat(&Pages::All)))
                .filter(|(_, pages)| !matches!(pages, Pages::Only(paths) if paths.is_empty()))
                .map(|(edition, _)| edition.prefix.clone())
                .collect(),
            editions,
            shard_pages: self.options.search_shard_pages,
        });
        self.last = Some(loaded);
        Ok(Outcome { report, rendered, written, full, search })
    }
}

fn lock(site: &Mutex<Site>) -> MutexGuard<'_, Site> {
    site.lock().unwrap_or_else(PoisonError::into_inner)
}

/// The edition a path of the site belongs to.
fn owner(path: &str, editions: &[EditionKey]) -> Option<usize> {
    search::owner(path, editions.iter().map(|edition| edition.prefix.as_str()))
}

/// Pages of editions rendered in full that the new build no longer has (a removed item).
fn stale_pages(site: &Site, editions: &[EditionKey], plan: &[Pages], files: &[OutputFile]) -> Vec<String> {
    let fresh: BTreeSet<&str> = files.iter().map(|f| f.path.as_str()).collect();
    site.files
        .keys()
        .filter(|path| !fresh.contains(path.as_str()))
        .filter(|path| {
            owner(path, editions).is_some_and(|i| {
                let bundle = format!("{}{BUNDLE_DIR}/", editions[i].prefix);
                plan.get(i).is_none_or(|p| *p == Pages::All) && !path.starts_with(&bundle)
            })
        })
        .cloned()
        .collect()
}

/// Indexes the editions of `request` from the pages as written now, and writes the bundles
/// whose files changed. Holds the site only to read the pages and to write the result.
pub fn update_search(site: &Mutex<Site>, request: &SearchRequest) -> Result<usize> {
    let (output_dir, pages): (PathBuf, Vec<Arc<OutputFile>>) = {
        let site = lock(site);
        (site.output.clone(), site.files.values().cloned().collect())
    };
    let mut groups = search::group(&request.editions, pages.iter().map(|page| search::Page::InMemory(page)));
    groups.retain(|group| request.stale.contains(group.prefix));
    let bundles =
        search::index(groups, Some(&output_dir), false, request.shard_pages, &crate::progress::Progress::default())?;
    let mut site = lock(site);
    if site.output != output_dir {
        return Ok(0);
    }
    let bundle_dirs: Vec<String> = request.stale.iter().map(|prefix| format!("{prefix}{BUNDLE_DIR}/")).collect();
    let fresh: BTreeSet<&str> = bundles.files.iter().map(|f| f.path.as_str()).collect();
    let removals: Vec<String> = site
        .files
        .keys()
        .filter(|path| bundle_dirs.iter().any(|dir| path.starts_with(dir.as_str())) && !fresh.contains(path.as_str()))
        .cloned()
        .collect();
    site.apply(bundles.files, removals)
}
