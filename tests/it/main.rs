//! Integration tests: the `touchbook` binary run on fixture playbooks under `tests/fixtures/`.

// The lib's lints are about its public surface; a test binary has none, and its shared helpers
// are `pub` only to reach the other test modules.
#![allow(unreachable_pub)]

mod support;

mod a11y;
mod browser;
mod checkins;
mod ci;
mod coaching;
mod commands;
mod data;
mod divisions;
mod editions;
mod editor;
mod errors;
mod example;
mod fuzz_regressions;
mod hardening;
mod heldout_data;
mod incremental;
mod language;
mod localisation;
mod output;
mod pages;
mod phone;
mod robustness;
mod search;
mod search_forgives;
mod sections;
mod serve;
mod terminal;
mod upkeep;
