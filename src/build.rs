//! The pipeline, stage by stage: configuration, content, model, links, rendering, output.
//!
//! Each stage is timed. Problems are collected over all stages that can run; rendering and
//! writing happen only when there are no errors, so a failed build never touches the output.

use std::path::PathBuf;
use std::time::{Duration, Instant};

use anyhow::Result;

use crate::config::{self, Config};
use crate::diagnostics::Diagnostics;
use crate::links::{self, Backlinks};
use crate::model::{self, Playbook};
use crate::render::{self, Edition, OutputFile};
use crate::theme::Theme;
use crate::{output, source};

/// What to build and where.
#[derive(Debug, Clone)]
pub struct BuildOptions {
    pub root: PathBuf,
    /// Overrides `build.output-dir`.
    pub output: Option<PathBuf>,
    /// The day the build is for (review dates, the 12-month plan).
    pub today: time::Date,
}

/// The outcome of a run: every problem found, and what was produced.
#[derive(Debug, Default)]
pub struct Report {
    pub diagnostics: Diagnostics,
    /// How long each stage took, in pipeline order.
    pub timings: Vec<(&'static str, Duration)>,
    pub files: Vec<OutputFile>,
    pub output_dir: Option<PathBuf>,
}

impl Report {
    pub fn page_count(&self) -> usize {
        self.files
            .iter()
            .filter(|f| f.path.ends_with(".html"))
            .count()
    }

    pub fn timings_text(&self) -> String {
        self.timings
            .iter()
            .map(|(stage, d)| format!("{stage} {:.0?}", d))
            .collect::<Vec<_>>()
            .join(", ")
    }
}

/// The model of a playbook after loading and checking, ready to render.
pub struct Loaded {
    pub config: Config,
    pub theme: Theme,
    pub playbook: Playbook,
    pub backlinks: Backlinks,
    pub strings: crate::i18n::Translations,
}

fn timed<T>(report: &mut Report, stage: &'static str, f: impl FnOnce(&mut Diagnostics) -> T) -> T {
    let start = Instant::now();
    let value = f(&mut report.diagnostics);
    report.timings.push((stage, start.elapsed()));
    value
}

/// Runs every checking stage. Returns `None` when the configuration is unusable.
pub fn load(options: &BuildOptions, report: &mut Report) -> Result<Option<Loaded>> {
    let start = Instant::now();
    let mut diags = Diagnostics::default();
    let config = config::load(&options.root, &mut diags)?;
    report.diagnostics.extend(diags);
    report.timings.push(("config", start.elapsed()));
    let Some(config) = config else {
        return Ok(None);
    };

    let files = timed(report, "read", |d| source::load(&options.root, d));
    let theme = timed(report, "theme", |d| {
        Theme::load(&options.root, &config.theme, d)
    });
    let strings = timed(report, "i18n", |d| theme.translations(&config.language, d));
    let names = strings.section_names();
    let playbook = timed(report, "parse", |d| {
        model::load(config.clone(), options.today, &files, &names, d)
    });
    let backlinks = timed(report, "links", |d| links::check(&playbook, d));
    Ok(Some(Loaded {
        config,
        theme,
        playbook,
        backlinks,
        strings,
    }))
}

/// Checks and renders everything in memory, without writing (what `check` runs).
pub fn check(options: &BuildOptions) -> Result<Report> {
    let mut report = Report::default();
    if let Some(loaded) = load(options, &mut report)? {
        if !report.diagnostics.has_errors() {
            report.files = render_all(&loaded, &mut report);
        }
    }
    Ok(report)
}

fn render_all(loaded: &Loaded, report: &mut Report) -> Vec<OutputFile> {
    timed(report, "render", |d| {
        let Some(tera) = render::templates(&loaded.theme, d) else {
            return Vec::new();
        };
        let edition = Edition {
            playbook: &loaded.playbook,
            backlinks: &loaded.backlinks,
            strings: &loaded.strings,
        };
        render::edition(&edition, &tera, &loaded.theme, d)
    })
}

/// Builds the site and writes it, unless any stage found an error.
pub fn build(options: &BuildOptions) -> Result<Report> {
    let mut report = Report::default();
    let Some(loaded) = load(options, &mut report)? else {
        return Ok(report);
    };
    let output_dir = options
        .output
        .clone()
        .map_or_else(|| loaded.config.output_dir.clone(), absolute_from);
    output::check_output_dir(&options.root, &output_dir)?;
    if report.diagnostics.has_errors() {
        return Ok(report);
    }
    report.files = render_all(&loaded, &mut report);
    if report.diagnostics.has_errors() {
        return Ok(report);
    }
    let start = Instant::now();
    output::write_site(&output_dir, &report.files)?;
    report.timings.push(("write", start.elapsed()));
    report.output_dir = Some(output_dir);
    Ok(report)
}

/// `--output` is relative to the current directory, as users expect of a command-line path.
fn absolute_from(path: PathBuf) -> PathBuf {
    if path.is_absolute() {
        path
    } else {
        std::env::current_dir()
            .map(|cwd| cwd.join(&path))
            .unwrap_or(path)
    }
}

/// The build date: `SOURCE_DATE_EPOCH` if set (reproducible builds), else today.
pub fn today() -> time::Date {
    if let Some(epoch) = std::env::var("SOURCE_DATE_EPOCH")
        .ok()
        .and_then(|s| s.trim().parse::<i64>().ok())
    {
        if let Ok(moment) = time::OffsetDateTime::from_unix_timestamp(epoch) {
            return moment.date();
        }
    }
    time::OffsetDateTime::now_local()
        .unwrap_or_else(|_| time::OffsetDateTime::now_utc())
        .date()
}
