//! The help desk's numbers: contact volumes, satisfaction and verbatims from `data/*.csv`.
//!
//! `read` parses the exports (every bad row a diagnostic with its line and column) and matches
//! each row to a touch point of the edition it belongs to, by id or by one of the touch point's
//! `categories`; `figures` holds what an edition knows per touch point and works out shares,
//! frequencies and before/after figures. [`attach`] runs after the model is assembled: it works
//! out each edition's own figures (a division's rows only ever reach its own edition), which
//! build keeps beside the model as [`HelpDeskFigures`], and replaces the declared frequency of
//! every touch point that has volumes with the one the data gives.

mod figures;
mod read;

use std::collections::HashMap;
use std::sync::Arc;

pub(crate) use figures::{BeforeAfter, EditionData, Figures, Month, Scale, Score, WINDOW_MONTHS};

use crate::config::Config;
use crate::diagnostics::{Diagnostics, SourceText};
use crate::model::{Editions, Playbook};

/// The folder of the help desk's exports, next to `content/`.
pub(crate) const DATA_DIR: &str = "data";

/// The help desk's figures of every edition, kept beside the model (which knows nothing of
/// the data): each edition's own, and what the central edition may see of each division's.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct HelpDeskFigures {
    central: Arc<EditionData>,
    /// Each division's own figures, by division id, in the order of the editions.
    divisions: Vec<(String, Arc<EditionData>)>,
    /// What the centre sees of the divisions' figures (empty without `data/`).
    shared: Vec<(String, DivisionFigures)>,
}

impl HelpDeskFigures {
    /// The figures of the edition of `division` (`None`: the central edition), empty for an
    /// edition without data.
    pub(crate) fn of(&self, division: Option<&str>) -> &EditionData {
        let own = division.and_then(|id| self.divisions.iter().find(|(d, _)| d == id));
        own.map_or(&self.central, |(_, data)| data)
    }

    /// Each division's figures as the edition of `division` may see them: all of them in the
    /// central edition, none in a division's.
    pub(crate) fn shared_with(&self, division: Option<&str>) -> &[(String, DivisionFigures)] {
        if division.is_none() {
            &self.shared
        } else {
            &[]
        }
    }
}

/// Reads `data/` (when there is one) and gives back every edition's figures; a touch point
/// with contact volumes takes its frequency from them. Problems go to `diags`.
pub(crate) fn attach(config: &Config, editions: &mut Editions, diags: &mut Diagnostics) -> HelpDeskFigures {
    let folder = config.root.join(DATA_DIR);
    if !folder.is_dir() {
        return HelpDeskFigures::default();
    }
    let playbooks: Vec<&Playbook> = std::iter::once(&editions.central).chain(&editions.divisions).collect();
    let mut data = read::read_folder(config, &playbooks, diags);
    let central: HashMap<String, Arc<SourceText>> =
        editions.central.touchpoints.iter().map(|tp| (tp.item.id.clone(), tp.item.source.clone())).collect();
    for (playbook, data) in std::iter::once(&mut editions.central).chain(&mut editions.divisions).zip(&mut data) {
        figures::apply_frequencies(playbook, data, (config, &central), diags);
    }
    let mut data = data.into_iter().map(Arc::new);
    let central = data.next().unwrap_or_default();
    let divisions: Vec<(String, Arc<EditionData>)> = editions
        .divisions
        .iter()
        .zip(data)
        .filter_map(|(p, data)| p.division.as_ref().map(|d| (d.id.clone(), data)))
        .collect();
    // The centre follows up whether customers notice a rollout in each division: it sees the
    // divisions' satisfaction figures (never their verbatims, which stay in their edition),
    // measured from each division's own start of each rollout.
    let shared = divisions
        .iter()
        .zip(&editions.divisions)
        .map(|((id, data), playbook)| {
            let rollouts = playbook.rollouts.iter().map(|r| (r.item.id.clone(), DivisionRollout::of(r))).collect();
            (id.clone(), DivisionFigures { data: data.clone(), rollouts })
        })
        .collect();
    HelpDeskFigures { central, divisions, shared }
}

/// A division's figures as the central edition may see them: satisfaction with a rollout's
/// touch points before and since the division's start of it, with the number of answers, and
/// nothing of what customers wrote (the figures are shared with the division's edition, not
/// copied, and this is all that can be read of them).
#[derive(Debug, Clone, PartialEq)]
pub struct DivisionFigures {
    data: Arc<EditionData>,
    /// Each rollout of the division's edition by id: an overlay may move its start or change
    /// its touch points.
    rollouts: Vec<(String, DivisionRollout)>,
}

/// A rollout as a division runs it.
#[derive(Debug, Clone, PartialEq)]
struct DivisionRollout {
    start: time::Date,
    touchpoints: Vec<String>,
}

impl DivisionRollout {
    fn of(rollout: &crate::model::Rollout) -> DivisionRollout {
        DivisionRollout { start: rollout.start, touchpoints: rollout.practised() }
    }
}

impl DivisionFigures {
    /// Satisfaction in the 12 weeks before the division's start of `rollout` and since, with
    /// the touch points the division's version of it practises.
    pub(crate) fn rollout_effect(&self, rollout: &crate::model::Rollout) -> BeforeAfter {
        let own = self.rollouts.iter().find(|(id, _)| *id == rollout.item.id).map(|(_, r)| r);
        match own {
            Some(own) => self.data.before_after(own.touchpoints.iter().map(String::as_str), own.start),
            None => self.data.before_after(rollout.practised().iter().map(String::as_str), rollout.start),
        }
    }
}
