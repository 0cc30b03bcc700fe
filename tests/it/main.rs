//! Integration tests: the `touchbook` binary run on fixture playbooks under `tests/fixtures/`.

mod support;

mod commands;
mod errors;
mod example;
mod output;
mod pages;
mod serve;
