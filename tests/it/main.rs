//! Integration tests: the `touchbook` binary run on fixture playbooks under `tests/fixtures/`.

mod support;

mod a11y;
mod browser;
mod commands;
mod data;
mod divisions;
mod errors;
mod example;
mod fuzz_regressions;
mod hardening;
mod incremental;
mod output;
mod pages;
mod robustness;
mod search;
mod serve;
