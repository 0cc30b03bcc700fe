//! The help desk's numbers: contact volumes, satisfaction and verbatims from `data/*.csv`.
//!
//! `read` parses the exports (every bad row a diagnostic with its line and column) and matches
//! each row to a touch point of the edition it belongs to, by id or by one of the touch point's
//! `categories`; `figures` holds what an edition knows per touch point and works out shares,
//! frequencies and before/after figures. [`attach`] runs after the model is assembled: it gives
//! each edition its own figures (a division's rows only ever reach its own edition) and replaces
//! the declared frequency of every touch point that has volumes with the one the data gives.

mod figures;
mod read;

use std::sync::Arc;

pub(crate) use figures::{BeforeAfter, EditionData, Month, Scale, Score, WINDOW_MONTHS};

use crate::config::Config;
use crate::diagnostics::Diagnostics;
use crate::model::{Editions, Playbook};

/// The folder of the help desk's exports, next to `content/`.
pub(crate) const DATA_DIR: &str = "data";

/// Reads `data/` (when there is one) and gives every edition its figures; a touch point with
/// contact volumes takes its frequency from them. Problems go to `diags`.
pub(crate) fn attach(config: &Config, editions: &mut Editions, diags: &mut Diagnostics) {
    let folder = config.root.join(DATA_DIR);
    if !folder.is_dir() {
        return;
    }
    let playbooks: Vec<&Playbook> = std::iter::once(&editions.central).chain(&editions.divisions).collect();
    let mut data = read::read_folder(config, &playbooks, diags);
    for (playbook, data) in std::iter::once(&mut editions.central).chain(&mut editions.divisions).zip(&mut data) {
        figures::apply_frequencies(playbook, data, config, diags);
    }
    let data: Vec<Arc<EditionData>> = data.into_iter().map(Arc::new).collect();
    editions.central.data = data[0].clone();
    for (playbook, data) in editions.divisions.iter_mut().zip(&data[1..]) {
        playbook.data = data.clone();
    }
    // The centre follows up whether customers notice a rollout in each division: it sees the
    // divisions' satisfaction figures (never their verbatims, which stay in their edition).
    editions.central.division_data = editions
        .divisions
        .iter()
        .filter_map(|p| p.division.as_ref().map(|d| (d.id.clone(), DivisionFigures(p.data.clone()))))
        .collect();
}

/// A division's figures as the central edition may see them: satisfaction before and since a
/// date, with the number of answers, and nothing of what customers wrote (the figures are
/// shared with the division's edition, not copied, and this is all that can be read of them).
#[derive(Debug, Clone, PartialEq)]
pub struct DivisionFigures(Arc<EditionData>);

impl DivisionFigures {
    pub fn before_after<'a>(&self, ids: impl IntoIterator<Item = &'a str> + Clone, start: time::Date) -> BeforeAfter {
        self.0.before_after(ids, start)
    }
}
