//! touchbook turns Markdown touch-point definitions into a searchable playbook website.
//!
//! The pipeline, one module per stage (see ARCHITECTURE.md):
//! [`config`] → [`source`] → [`frontmatter`] → [`markdown`] → [`model`] → [`data`] →
//! [`links`] → [`render`] (with [`theme`] and [`i18n`]) → [`search`] → [`output`]; [`build`]
//! runs them in order.

pub mod build;
pub(crate) mod ci;
pub mod cli;
pub mod config;
pub(crate) mod contribute;
pub(crate) mod data;
pub mod diagnostics;
pub(crate) mod edit;
pub mod fields;
pub mod frontmatter;
pub mod html_policy;
pub(crate) mod i18n;
pub(crate) mod kind;
pub(crate) mod layout;
pub(crate) mod links;
pub(crate) mod localise;
pub mod markdown;
pub(crate) mod model;
pub mod output;
pub(crate) mod paths;
pub(crate) mod progress;
pub mod render;
pub(crate) mod report;
pub(crate) mod scaffold;
pub mod search;
pub mod serve;
pub(crate) mod source;
pub mod theme;
pub(crate) mod words;

/// At most this many files go to one piece of parallel work (reading, parsing, writing).
/// rayon splits a list into a few large pieces unless told otherwise, and a piece is never
/// split once begun: one core would finish the last piece alone while the others wait.
pub const BALANCED_PIECES: usize = 16;
