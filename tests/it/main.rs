//! Integration tests: the `touchbook` binary run on fixture playbooks under `tests/fixtures/`.

mod support;

mod a11y;
mod browser;
mod checkins;
mod ci;
mod commands;
mod data;
mod divisions;
mod editions;
mod editor;
mod errors;
mod example;
mod fuzz_regressions;
mod hardening;
mod incremental;
mod language;
mod localisation;
mod output;
mod pages;
mod robustness;
mod search;
mod search_forgives;
mod sections;
mod serve;
mod terminal;
mod upkeep;
