//! In-process timings of each stage of a build, with criterion, on a synthetic playbook
//! (`examples/synth`): reading and checking (config, read, parse, links), rendering, search
//! indexing and writing. Whole-binary figures (wall clock, peak memory, the `cp -r` floor) come
//! from `benches/run.sh`.
//!
//! ```sh
//! cargo bench --bench stages                          # 1,000 touch points
//! TOUCHBOOK_BENCH_TOUCHPOINTS=10000 cargo bench --bench stages -- --sample-size 10
//! ```

use std::time::Duration;

use criterion::{criterion_group, criterion_main, Criterion};
use touchbook::build::{self, BuildOptions, Report};
use touchbook::{render, search};

#[path = "../examples/synth/generator.rs"]
mod generator;

fn stages(c: &mut Criterion) {
    let touchpoints: usize =
        std::env::var("TOUCHBOOK_BENCH_TOUCHPOINTS").ok().and_then(|n| n.parse().ok()).unwrap_or(1000);
    let dir = tempfile::tempdir().expect("a temporary folder");
    let playbook = dir.path().join("playbook");
    generator::write_playbook(&playbook, touchpoints, 0, 0, 1);
    let today = time::Date::from_calendar_date(2026, time::Month::November, 22).expect("a date");
    let options = BuildOptions::new(&playbook, today);

    let mut group = c.benchmark_group(format!("{touchpoints} touch points"));
    group.sample_size(10).measurement_time(Duration::from_secs(20));

    group.bench_function("load (config, read, parse, links)", |b| {
        b.iter(|| build::load(&options, &mut Report::default()).expect("loads").expect("a usable book.toml"))
    });
    let loaded = build::load(&options, &mut Report::default()).expect("loads").expect("a usable book.toml");

    group.bench_function("render", |b| {
        b.iter(|| build::render_all(&loaded, &options, &[], None, &render::keep, &mut Report::default()))
    });
    let pages = build::render_all(&loaded, &options, &[], None, &render::keep, &mut Report::default());

    let nowhere = dir.path().join("no-previous-site");
    group.bench_function("search", |b| {
        b.iter(|| {
            let editions = build::edition_keys(&loaded, &options);
            let in_memory = pages.iter().map(search::Page::InMemory);
            build::index_search(&editions, &options, in_memory, &nowhere).expect("indexes")
        })
    });

    let site = dir.path().join("site");
    group.bench_function("write (over the previous site: unchanged files linked)", |b| {
        b.iter(|| touchbook::output::write_site(&site, &pages).expect("writes"))
    });
    group.finish();
}

criterion_group!(benches, stages);
criterion_main!(benches);
