//! The content types: what a content file is, named after the folder it is kept in.

use serde::Serialize;

/// The content types, named after their folders: four kinds of item with pages, and check-ins,
/// which only a division has and which show on its rollouts' pages.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Kind {
    Touchpoint,
    Message,
    /// Named after its folder, `practices/`, in `check --format json`.
    #[serde(rename = "practice")]
    BestPractice,
    Rollout,
    Checkin,
}

impl Kind {
    /// The kinds of item that have pages, central or in a division.
    pub const ALL: [Kind; 4] = [Kind::Touchpoint, Kind::Message, Kind::BestPractice, Kind::Rollout];

    /// The folder under `content/` (and the output folder of its pages).
    pub fn folder(self) -> &'static str {
        match self {
            Kind::Touchpoint => "touchpoints",
            Kind::Message => "messages",
            Kind::BestPractice => "practices",
            Kind::Rollout => "rollouts",
            Kind::Checkin => "checkins",
        }
    }

    /// The kind kept in `folder` (`touchpoints` → touch point); none for check-ins, whose
    /// folder holds no items with pages.
    pub fn from_folder(folder: &str) -> Option<Kind> {
        Kind::ALL.into_iter().find(|k| k.folder() == folder)
    }

    /// Its id in interface-string keys (`search.kind-touchpoint`) and JSON.
    pub fn id(self) -> &'static str {
        match self {
            Kind::Touchpoint => "touchpoint",
            Kind::Message => "message",
            Kind::BestPractice => "practice",
            Kind::Rollout => "rollout",
            Kind::Checkin => "checkin",
        }
    }

    /// How people call it in messages.
    pub fn noun(self) -> &'static str {
        match self {
            Kind::Touchpoint => "touch point",
            Kind::Message => "brand message",
            Kind::BestPractice => "best practice",
            Kind::Rollout => "rollout",
            Kind::Checkin => "check-in",
        }
    }
}

/// The section ids a touch point page knows, in page order: its schema, which headings are
/// recognised by (in every language) and which pages and meeting packs show.
pub(crate) const TOUCHPOINT_SECTIONS: &[&str] = &["situation", "behaviour", "phrases", "roleplay", "why"];
/// Touch-point section ids from before a rename, each with the id it has now: headings that
/// still carry the old one build, with a warning that names the new one.
pub(crate) const RENAMED_SECTIONS: &[(&str, &str)] = &[("practice", "roleplay")];
