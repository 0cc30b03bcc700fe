//! Writes a synthetic playbook for benchmarks: N touch points with realistic ~500-word bodies,
//! brand messages, best practices, a 16-week rollout, links between items, and D divisions with
//! overlays and division-only items; with `--data-months M`, M months of help-desk data
//! (`data/*.csv`) for every touch point and edition. Deterministic for a given seed.
//!
//! ```sh
//! cargo run --release --example synth -- --touchpoints 1000 --divisions 3 --seed 1 /tmp/synth-1k
//! cargo run --release --example synth -- --touchpoints 10000 --divisions 4 --data-months 24 /tmp/synth-data
//! ```

use std::path::PathBuf;

mod generator;

struct Options {
    touchpoints: usize,
    divisions: usize,
    data_months: usize,
    seed: u64,
    out: PathBuf,
}

fn parse_args() -> Options {
    let mut options = Options { touchpoints: 1000, divisions: 0, data_months: 0, seed: 1, out: PathBuf::from("synth") };
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        let mut value = || args.next().expect("a value after the option");
        match arg.as_str() {
            "--touchpoints" => options.touchpoints = value().parse().expect("a number of touch points"),
            "--divisions" => options.divisions = value().parse().expect("a number of divisions"),
            "--data-months" => options.data_months = value().parse().expect("a number of months"),
            "--seed" => options.seed = value().parse().expect("a seed"),
            other => options.out = PathBuf::from(other),
        }
    }
    options
}

fn main() {
    let options = parse_args();
    println!(
        "{}",
        generator::write_playbook(
            &options.out,
            options.touchpoints,
            options.divisions,
            options.data_months,
            options.seed
        )
    );
}
