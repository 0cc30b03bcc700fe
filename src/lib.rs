//! touchbook turns Markdown touch-point definitions into a searchable playbook website.
//!
//! The pipeline, one module per stage (see ARCHITECTURE.md):
//! [`config`] → [`source`] → [`frontmatter`] → [`markdown`] → [`model`] → [`links`] →
//! [`render`] (with [`theme`] and [`i18n`]) → [`output`]; [`build`] runs them in order.

pub mod build;
pub mod cli;
pub mod config;
pub mod diagnostics;
pub mod fields;
pub mod frontmatter;
pub mod i18n;
pub mod links;
pub mod localise;
pub mod markdown;
pub mod model;
pub mod output;
pub mod render;
pub mod scaffold;
pub mod search;
pub mod serve;
pub mod source;
pub mod theme;
