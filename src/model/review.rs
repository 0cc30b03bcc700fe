//! Who keeps an item current and when it was last checked: `owner`, `reviewed` and
//! `reviewed-by`, read the same way for every content type.
//!
//! An item without `reviewed` was never reviewed (that is what `touchbook new` writes); one whose
//! last review is older than `[review] interval-days` is due. Pages show the state as of the
//! build and the reader's browser brings it up to date, so both need the due date.

use time::{Date, Duration};

use crate::config::Config;
use crate::fields::Fields;
use crate::kind::Kind;

/// The keys every content type has for its upkeep.
pub(super) const KEYS: &[&str] = &["owner", "reviewed", "reviewed-by"];

/// A review that falls due within this many days is shown as due soon.
pub(crate) const SOON_DAYS: i64 = 30;

/// Who keeps an item current and its last review.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Review {
    pub owner: Option<String>,
    pub reviewed: Option<Date>,
    pub reviewed_by: Option<String>,
}

/// Where an item stands on a given day.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReviewState {
    Never,
    /// Due since the date.
    Due(Date),
    /// Due on the date, within [`SOON_DAYS`].
    Soon(Date),
    /// Next due on the date.
    Current(Date),
}

impl ReviewState {
    /// The id templates, scripts and interface strings use (`review.status-<id>`).
    pub fn as_str(self) -> &'static str {
        match self {
            ReviewState::Never => "never",
            ReviewState::Due(_) => "due",
            ReviewState::Soon(_) => "soon",
            ReviewState::Current(_) => "ok",
        }
    }
}

impl Review {
    /// The day the next review is due: `interval_days` after the last one.
    pub fn due(&self, interval_days: i64) -> Option<Date> {
        self.reviewed.map(|d| d.saturating_add(Duration::days(interval_days)))
    }

    /// How the item stands on `today`.
    pub fn state(&self, today: Date, interval_days: i64) -> ReviewState {
        match self.due(interval_days) {
            None => ReviewState::Never,
            Some(due) if due < today => ReviewState::Due(due),
            Some(due) if due <= today.saturating_add(Duration::days(SOON_DAYS)) => ReviewState::Soon(due),
            Some(due) => ReviewState::Current(due),
        }
    }
}

/// The upkeep keys as written (every one optional), to complete an item or lay over one.
#[derive(Debug, Clone, Default)]
pub(super) struct Draft {
    owner: Option<String>,
    reviewed: Option<Date>,
    reviewed_by: Option<String>,
}

impl Draft {
    pub(super) fn complete(self) -> Review {
        let mut review = Review::default();
        self.apply(&mut review);
        review
    }

    /// An overlay's keys replace the central ones; an empty text clears them.
    pub(super) fn apply(self, review: &mut Review) {
        if let Some(owner) = self.owner {
            review.owner = Some(owner).filter(|o| !o.is_empty());
        }
        if let Some(reviewed) = self.reviewed {
            review.reviewed = Some(reviewed);
        }
        if let Some(by) = self.reviewed_by {
            review.reviewed_by = Some(by).filter(|b| !b.is_empty());
        }
    }
}

/// Reads `owner`, `reviewed` and `reviewed-by`, warning about a review in the future, a review
/// that is due and an owner still left as the scaffold wrote it.
pub(super) fn read(fields: &mut Fields<'_, '_>, kind: Kind, config: &Config, today: Date) -> Draft {
    let owner = fields.string("owner");
    if let Some(owner) = owner.as_ref().filter(|o| o.value.trim() == crate::scaffold::placeholder::OWNER) {
        let d = fields.source().warning(owner.span.clone(), "`owner` is still the placeholder `touchbook new` wrote");
        fields.diags().push(d.with_hint("write who keeps this page current: a name or a role"));
    }
    let reviewed = fields.date("reviewed");
    if let Some(reviewed) = &reviewed {
        if reviewed.value > today {
            let d = fields.source().warning(reviewed.span.clone(), "`reviewed` is in the future");
            fields.diags().push(d.with_hint("write the date of the last review"));
        } else if reviewed.value.saturating_add(Duration::days(config.review_interval_days)) < today {
            let message = format!(
                "review is due: last reviewed {} (more than {} days ago)",
                reviewed.value, config.review_interval_days
            );
            let d = fields.source().warning(reviewed.span.clone(), message);
            let hint = format!("review the {} with its owner and update `reviewed`", kind.noun());
            fields.diags().push(d.with_hint(hint));
        }
    }
    let reviewed_by = fields.string("reviewed-by");
    if let (Some(by), None) = (&reviewed_by, &reviewed) {
        let d = fields
            .source()
            .warning(by.span.clone(), "`reviewed-by` without `reviewed`: the page shows \"never reviewed\"");
        fields.diags().push(d.with_hint("add the date of the review, like `reviewed = 2026-03-03`"));
    }
    Draft {
        owner: owner.map(|o| o.value.trim().to_string()),
        reviewed: reviewed.map(|r| r.value),
        reviewed_by: reviewed_by.map(|b| b.value.trim().to_string()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    #[test]
    fn states_follow_the_interval() {
        let review = |reviewed| Review { reviewed, ..Review::default() };
        let today = date!(2026 - 12 - 06);
        assert_eq!(review(None).state(today, 180), ReviewState::Never);
        assert_eq!(review(Some(date!(2026 - 01 - 01))).state(today, 180), ReviewState::Due(date!(2026 - 06 - 30)));
        assert_eq!(review(Some(date!(2026 - 06 - 20))).state(today, 180), ReviewState::Soon(date!(2026 - 12 - 17)));
        assert_eq!(review(Some(date!(2026 - 12 - 01))).state(today, 180), ReviewState::Current(date!(2027 - 05 - 30)));
        // Due on the day itself is not yet overdue.
        assert_eq!(review(Some(date!(2026 - 06 - 09))).state(today, 180), ReviewState::Soon(today));
    }
}
