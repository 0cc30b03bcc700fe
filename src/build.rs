//! The pipeline, stage by stage: configuration, content, model, links, rendering, output.
//!
//! Each stage is timed. Problems are collected over all stages that can run; rendering happens
//! only when there are no errors, and `build` renders into a staging folder that becomes the
//! site only when rendering found none either, so a failed build never touches the output.

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Mutex, PoisonError};
use std::time::{Duration, Instant};

use anyhow::{bail, Context, Result};
use rayon::prelude::*;

use crate::config::{self, Config};
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::i18n::Translations;
use crate::model::{self, Editions, ParseCache, Playbook};
use crate::output::OutputFile;
use crate::progress::Progress;
use crate::render::{self, Edition, Emit, Emitted, Pages, SiteMap};
use crate::search::EditionKey;
use crate::source::SourceCache;
use crate::theme::Theme;
use crate::{links, output, search, source};

/// What to build and where.
#[derive(Debug, Clone)]
pub struct BuildOptions {
    /// The playbook folder (where `book.toml` lives).
    pub root: PathBuf,
    /// Overrides `build.output-dir`.
    pub output: Option<PathBuf>,
    /// Build only these divisions' editions (all editions when empty).
    pub divisions: Vec<String>,
    /// The day the build is for (review dates, the 12-month plan).
    pub today: time::Date,
    /// `serve` first writes the pages with the previous search index (so the browser can
    /// reload at once), then builds again with a fresh index.
    pub search: SearchMode,
    /// Pages per search shard: [`search::shard_pages`] unless a test or benchmark says otherwise.
    pub search_shard_pages: usize,
    /// Where rendering and indexing report how far they have come (nowhere unless told).
    pub progress: Progress,
}

/// How a build treats the search index.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SearchMode {
    /// Index the pages (reusing the previous index only when the pages did not change).
    Fresh,
    /// Keep the previous index as it is, even if the pages changed; index only if there is none.
    Previous,
    /// No search index (`build --no-search`).
    Off,
}

impl BuildOptions {
    /// Options for a full build of the playbook at `root` for the day `today`, with search.
    pub fn new(root: impl Into<PathBuf>, today: time::Date) -> Self {
        BuildOptions {
            root: root.into(),
            output: None,
            divisions: Vec::new(),
            today,
            search: SearchMode::Fresh,
            search_shard_pages: search::shard_pages(),
            progress: Progress::default(),
        }
    }
}

/// The outcome of a run: every problem found, and what was produced.
#[derive(Debug, Default)]
pub struct Report {
    /// Every problem found, errors and warnings.
    pub diagnostics: Diagnostics,
    /// How long each stage took, in pipeline order.
    pub timings: Vec<(&'static str, Duration)>,
    /// Every file of the site, bytes and all, from `check`, which keeps them in memory.
    pub files: Vec<OutputFile>,
    /// The path of every file written, from `build` (which writes files as they are made) and
    /// `serve` (whose site holds the bytes).
    pub written: Vec<String>,
    /// Where the site was written (`build` only).
    pub output_dir: Option<PathBuf>,
    /// Per division and item: how far the translation has come.
    pub localisation: Vec<model::Localisation>,
    /// Per rollout and division (or team): how each week stands.
    pub follow_up: Vec<model::FollowUp>,
    /// How much of the search index was reused because its pages did not change.
    pub search_reuse: search::Reuse,
}

impl Report {
    /// How many HTML pages the site has.
    pub fn page_count(&self) -> usize {
        let paths = self.files.iter().map(|f| f.path.as_str()).chain(self.written.iter().map(String::as_str));
        paths.filter(|path| path.ends_with(".html")).count()
    }

    /// The time each stage took, for the summary line (`parse 45.8ms, render 292.0ms`).
    pub fn timings_text(&self) -> String {
        self.timings.iter().map(|(stage, d)| format!("{stage} {d:.1?}")).collect::<Vec<_>>().join(", ")
    }
}

/// What a long-running process (`serve`) keeps between builds so that a change costs what
/// changed: the files read and parsed before. Valid for one `book.toml`, theme and date.
#[derive(Default)]
pub struct Caches {
    /// Content files read, by path, with what they held.
    pub sources: SourceCache,
    /// Content files parsed, by path, for files that did not change.
    pub parses: ParseCache,
    /// The theme's compiled templates, once they compiled.
    pub templates: std::sync::Mutex<Option<std::sync::Arc<tera::Tera>>>,
}

impl Caches {
    /// The compiled templates, compiling them on first use (and again after an error, so that
    /// the error is reported every time).
    fn templates(&self, theme: &Theme, diags: &mut Diagnostics) -> Option<std::sync::Arc<tera::Tera>> {
        let mut cached = self.templates.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        if cached.is_none() {
            *cached = render::templates(theme, diags).map(std::sync::Arc::new);
        }
        cached.clone()
    }
}

/// The model of a playbook after loading and checking, ready to render.
pub struct Loaded {
    /// The validated `book.toml`.
    pub config: Config,
    /// The theme after overrides.
    pub theme: Theme,
    /// The central edition and each division's.
    pub editions: Editions,
    /// Interface strings by language, for every language an edition uses.
    pub strings: BTreeMap<String, Translations>,
    /// The help desk's figures of each edition (none without `data/`).
    pub data: crate::data::HelpDeskFigures,
}

fn timed<T>(report: &mut Report, stage: &'static str, f: impl FnOnce(&mut Diagnostics) -> T) -> T {
    let start = Instant::now();
    let value = f(&mut report.diagnostics);
    report.timings.push((stage, start.elapsed()));
    value
}

/// Runs every checking stage. Returns `None` when the configuration is unusable.
pub fn load(options: &BuildOptions, report: &mut Report) -> Result<Option<Loaded>> {
    load_with(options, None, report)
}

/// [`load`], reusing what `caches` holds from earlier runs.
pub fn load_with(options: &BuildOptions, caches: Option<&Caches>, report: &mut Report) -> Result<Option<Loaded>> {
    load_inner(options, caches, None, report)
}

/// [`check`] with the text of one content file (`rel_path`, from the playbook root) replaced by
/// `text`: `serve`'s editor checks and previews what is typed without writing it.
pub fn check_draft(options: &BuildOptions, rel_path: &str, text: &str) -> Result<Report> {
    let mut report = Report::default();
    if let Some(loaded) = load_inner(options, None, Some((rel_path, text)), &mut report)? {
        if !report.diagnostics.has_errors() {
            report.files = render_all(&loaded, options, &[], None, &render::keep, &mut report);
        }
    }
    Ok(report)
}

/// What `check` says with one file replaced by (or added as) `text`, without rendering pages.
pub fn check_draft_file(options: &BuildOptions, rel_path: &str, text: &str) -> Result<Report> {
    let mut report = Report::default();
    load_inner(options, None, Some((rel_path, text)), &mut report)?;
    Ok(report)
}

fn load_inner(
    options: &BuildOptions,
    caches: Option<&Caches>,
    draft: Option<(&str, &str)>,
    report: &mut Report,
) -> Result<Option<Loaded>> {
    let start = Instant::now();
    let mut diags = Diagnostics::default();
    let config = config::load(&options.root, &mut diags)?;
    report.diagnostics.extend(diags);
    report.timings.push(("config", start.elapsed()));
    let Some(config) = config else {
        return Ok(None);
    };
    for division in &options.divisions {
        if !config.divisions.iter().any(|d| &d.id == division) {
            let known: Vec<&str> = config.divisions.iter().map(|d| d.id.as_str()).collect();
            let hint = format!("the divisions are {}", crate::diagnostics::one_of(&known));
            bail!(Diagnostic::error(format!("there is no division `{division}` in book.toml")).with_hint(hint));
        }
    }

    let mut files = timed(report, "read", |d| source::load_cached(&options.root, caches.map(|c| &c.sources), d));
    if let Some((rel_path, text)) = draft {
        let source = std::sync::Arc::new(crate::diagnostics::SourceText::new(rel_path, text));
        match files.iter().position(|f| f.source.rel_path == rel_path) {
            Some(at) => files[at].source = source,
            // A file the editor is about to create (a division's first check-in of a rollout).
            None => {
                if let Some((kind, division, id)) = crate::layout::classify(rel_path) {
                    let (id, division) = (id.to_string(), division.map(str::to_string));
                    let at = files.partition_point(|f| f.source.rel_path.as_str() < rel_path);
                    files.insert(at, source::ContentFile { kind, id, division, source });
                }
            }
        }
    }
    let theme = timed(report, "theme", |d| Theme::load(&options.root, &config.theme, d));
    let strings = timed(report, "i18n", |d| {
        let languages = std::iter::once(&config.language).chain(config.divisions.iter().map(|d| &d.language));
        languages.map(|language| (language.clone(), theme.translations(language, d))).collect::<BTreeMap<_, _>>()
    });
    let names = strings.iter().map(|(language, t)| (language.clone(), t.section_names())).collect();
    let mut editions =
        timed(report, "parse", |d| model::load(&config, options.today, &files, &names, caches.map(|c| &c.parses), d));
    let data = timed(report, "data", |d| crate::data::attach(&config, &mut editions, d));
    timed(report, "links", |d| {
        for playbook in std::iter::once(&editions.central).chain(&editions.divisions) {
            links::check(playbook, d);
        }
    });
    report.localisation = editions.status.clone();
    report.follow_up = editions.central.follow_up.clone();
    Ok(Some(Loaded { config, theme, editions, strings, data }))
}

/// Checks and renders everything in memory, without writing (what `check` runs).
pub fn check(options: &BuildOptions) -> Result<Report> {
    let mut report = Report::default();
    if let Some(loaded) = load(options, &mut report)? {
        if !report.diagnostics.has_errors() {
            report.files = render_all(&loaded, options, &[], None, &render::keep, &mut report);
        }
    }
    Ok(report)
}

/// The editions to build: all of them, or the divisions asked for.
pub fn selected<'a>(loaded: &'a Loaded, options: &BuildOptions) -> Vec<&'a Playbook> {
    let all = std::iter::once(&loaded.editions.central).chain(&loaded.editions.divisions);
    if options.divisions.is_empty() {
        return all.collect();
    }
    all.filter(|p| p.division.as_ref().is_some_and(|d| options.divisions.contains(&d.id))).collect()
}

/// Renders the selected editions, handing each file to `emit` as it is made; `plan` says which
/// pages of each (all pages for editions it does not cover, so an empty plan renders
/// everything).
pub fn render_all<T: Emitted>(
    loaded: &Loaded,
    options: &BuildOptions,
    plan: &[Pages],
    caches: Option<&Caches>,
    emit: &Emit<'_, T>,
    report: &mut Report,
) -> Vec<T> {
    let editions = selected(loaded, options);
    let all: Vec<&Playbook> = std::iter::once(&loaded.editions.central).chain(&loaded.editions.divisions).collect();
    timed(report, "render", |d| {
        // Compiling the templates, listing every edition's pages and finding every edition's
        // backlinks do not depend on each other: side by side, they keep both cores busy.
        let compile = || match caches {
            Some(caches) => caches.templates(&loaded.theme, d),
            None => render::templates(&loaded.theme, d).map(std::sync::Arc::new),
        };
        let ((tera, site), backlinks) = rayon::join(
            || rayon::join(compile, || SiteMap::new(&all, &editions)),
            || editions.par_iter().map(|playbook| links::backlinks(playbook)).collect::<Vec<_>>(),
        );
        let Some(tera) = tera else {
            return Vec::new();
        };
        let progress = &options.progress;
        let built = site.editions.iter().filter(|e| e.built);
        let (total, count) = (built.clone().map(|e| e.pages.len()).sum::<usize>(), built.count());
        let editions_word = if count == 1 { "edition" } else { "editions" };
        progress.start(&format!("rendering {total} pages of {count} {editions_word}"), total as u64);
        let emit = |file: OutputFile| {
            if file.path.ends_with(".html") {
                progress.step();
            }
            emit(file)
        };
        let mut files = Vec::new();
        for ((built, playbook), backlinks) in editions.iter().enumerate().zip(backlinks) {
            let strings = &loaded.strings[playbook.language()];
            let status = playbook.division.is_none().then_some(loaded.editions.status.as_slice());
            let index = site.position(&render::prefix(playbook)).unwrap_or_default();
            let search = options.search != SearchMode::Off;
            let division = playbook.division.as_ref().map(|d| d.id.as_str());
            let (data, division_data) = (loaded.data.of(division), loaded.data.shared_with(division));
            let edition = Edition {
                playbook,
                data,
                division_data,
                backlinks: &backlinks,
                strings,
                site: &site,
                index,
                status,
                search,
            };
            let pages = plan.get(built).unwrap_or(&Pages::All);
            files.extend(render::edition(&edition, &tera, &loaded.theme, pages, &emit, d));
        }
        progress.finish();
        files.sort_by(|a, b| a.path().cmp(b.path()));
        files
    })
}

/// Builds the site and writes it, unless any stage found an error.
pub fn build(options: &BuildOptions) -> Result<Report> {
    let mut report = Report::default();
    let Some(loaded) = load(options, &mut report)? else {
        return Ok(report);
    };
    let output_dir = output_dir(options, &loaded.config);
    output::check_output_dir(&options.root, &output_dir)?;
    if report.diagnostics.has_errors() {
        return Ok(report);
    }
    let staging = output::Staging::new(&output_dir)?;
    let (mut files, indexed) = render_into(&staging, &loaded, options, &mut report)?;
    if report.diagnostics.has_errors() {
        // The staging folder goes with `staging`; the previous site stays as it was.
        return Ok(report);
    }
    if options.search != SearchMode::Off {
        // The model is not needed any more, and Pagefind needs the memory.
        let editions = edition_keys(&loaded, options);
        drop(loaded);
        let folder = staging.folder();
        let pages = indexed.iter().map(|path| search::Page::Written { folder, path });
        let bundles = timed_index(&editions, options, pages, &output_dir, &mut report)?;
        bundles.par_iter().try_for_each(|file| staging.write(&file.path, &file.bytes))?;
        files.extend(bundles.into_iter().map(|file| file.path));
        files.sort();
    } else {
        // Freeing a large model takes noticeable time after the last page: it is done on a
        // thread of its own, which the process need not wait for.
        std::thread::spawn(move || drop(loaded));
    }
    let start = Instant::now();
    staging.finish(files.iter().map(String::as_str))?;
    report.timings.push(("write", start.elapsed()));
    report.written = files;
    report.output_dir = Some(output_dir);
    Ok(report)
}

/// Renders every page straight into `staging`, on all cores, so pages never pile up in memory.
/// Gives back each file's path and, when the build has search, the paths of the pages the
/// index reads, for it to read back from `staging`. After a write fails (a full disk, say) no
/// other is tried: that first error is the one to show.
fn render_into(
    staging: &output::Staging,
    loaded: &Loaded,
    options: &BuildOptions,
    report: &mut Report,
) -> Result<(Vec<String>, Vec<String>)> {
    let search = options.search != SearchMode::Off;
    let write_failure: Mutex<Option<anyhow::Error>> = Mutex::new(None);
    let failed = AtomicBool::new(false);
    let indexed: Mutex<Vec<String>> = Mutex::new(Vec::new());
    let emit = |file: OutputFile| {
        if !failed.load(Ordering::Relaxed) {
            if let Err(error) = staging.write(&file.path, &file.bytes) {
                failed.store(true, Ordering::Relaxed);
                write_failure.lock().unwrap_or_else(PoisonError::into_inner).get_or_insert(error);
            }
        }
        if search && search::indexed_part(&file).is_some() {
            indexed.lock().unwrap_or_else(PoisonError::into_inner).push(file.path.clone());
        }
        file.path
    };
    let files = render_all(loaded, options, &[], None, &emit, report);
    match write_failure.into_inner().unwrap_or_else(PoisonError::into_inner) {
        Some(error) => Err(error),
        None => {
            // In path order, as the pages come out of render: a shard's page numbers and content
            // hash follow it, so the bundle is the same from one build to the next.
            let mut indexed = indexed.into_inner().unwrap_or_else(PoisonError::into_inner);
            indexed.sort();
            Ok((files, indexed))
        }
    }
}

/// Indexes the rendered pages for search and writes the whole site; gives back every file.
pub fn index_and_write(
    loaded: &Loaded,
    options: &BuildOptions,
    pages: Vec<OutputFile>,
    output_dir: &std::path::Path,
    report: &mut Report,
) -> Result<Vec<OutputFile>> {
    let mut files = pages;
    if options.search != SearchMode::Off {
        let editions = edition_keys(loaded, options);
        let bundles = timed_index(&editions, options, files.iter().map(search::Page::InMemory), output_dir, report)?;
        files.extend(bundles);
        files.sort_by(|a, b| a.path.cmp(&b.path));
    }
    let start = Instant::now();
    output::write_site(output_dir, &files)?;
    report.timings.push(("write", start.elapsed()));
    Ok(files)
}

/// [`index_search`] as the search stage of a run: timed, and its reuse recorded in `report`.
/// Gives back the bundles' files.
fn timed_index<'a>(
    editions: &'a [EditionKey],
    options: &BuildOptions,
    pages: impl IntoIterator<Item = search::Page<'a>>,
    output_dir: &std::path::Path,
    report: &mut Report,
) -> Result<Vec<OutputFile>> {
    let start = Instant::now();
    let word = if editions.len() == 1 { "edition" } else { "editions" };
    // A spinner while the previous index is compared; a bar once parts are being indexed.
    options.progress.start_spinner(&format!("preparing the search index of {} {word}", editions.len()));
    let bundles = index_search(editions, options, pages, output_dir);
    options.progress.finish();
    let bundles = bundles?;
    report.timings.push(("search", start.elapsed()));
    report.search_reuse = bundles.reuse;
    Ok(bundles.files)
}

/// Where the site goes: `--output`, else `build.output-dir`.
pub fn output_dir(options: &BuildOptions, config: &Config) -> PathBuf {
    options.output.clone().map_or_else(|| config.output_dir.clone(), absolute_from_cwd)
}

/// Prefix and language of every edition being built, in build order.
pub fn edition_keys(loaded: &Loaded, options: &BuildOptions) -> Vec<EditionKey> {
    let key = |p: &&Playbook| EditionKey { prefix: render::prefix(p), language: p.language().to_string() };
    selected(loaded, options).iter().map(key).collect()
}

/// Builds the search index of each edition (from [`edition_keys`]) from its rendered pages.
pub fn index_search<'a>(
    editions: &'a [EditionKey],
    options: &BuildOptions,
    pages: impl IntoIterator<Item = search::Page<'a>>,
    output_dir: &std::path::Path,
) -> Result<search::SearchOutput> {
    let groups = search::group(editions, pages);
    let previous = output_dir.join(output::MARKER).is_file().then_some(output_dir);
    let keep = options.search == SearchMode::Previous;
    search::index(groups, previous, keep, options.search_shard_pages, &options.progress)
        .context("cannot build the search index")
}

/// `--output` is relative to the current directory, as users expect of a command-line path.
fn absolute_from_cwd(path: PathBuf) -> PathBuf {
    if path.is_absolute() {
        path
    } else {
        std::env::current_dir().map(|cwd| cwd.join(&path)).unwrap_or(path)
    }
}

/// The build date: `SOURCE_DATE_EPOCH` if set (reproducible builds), else today.
pub fn today() -> time::Date {
    if let Some(epoch) = std::env::var("SOURCE_DATE_EPOCH").ok().and_then(|s| s.trim().parse::<i64>().ok()) {
        if let Ok(moment) = time::OffsetDateTime::from_unix_timestamp(epoch) {
            return moment.date();
        }
    }
    time::OffsetDateTime::now_local().unwrap_or_else(|_| time::OffsetDateTime::now_utc()).date()
}
