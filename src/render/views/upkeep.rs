//! What an item's page says about its upkeep: who owns it, where its review stands, and, with
//! `[contribute]`, links to the repository host's editor for everyone else.
//!
//! The review state is written as of the build and carries its due date, so the reader's
//! browser (`touchbook.js`) can bring it up to date: an old build still shows what is due.

use tera::Value;

use super::Views;
use crate::contribute;
use crate::kind::Kind;
use crate::model::{Item, Review, ReviewState};

impl Views<'_> {
    /// The upkeep footer of an item's page.
    pub(super) fn upkeep(&self, item: &Item, review: &Review) -> Value {
        object! {
            "owner": review.owner.clone(),
            "lang": self.text_language(item.kind, &item.id),
            "review": self.review_state(review),
            "edit_url": self.edit_url(item),
            "suggest_url": self.suggest_best_practice_url(item),
            // The file as this page was built from it: "Mark reviewed" in `serve` sends it, and
            // is refused when the file has changed since.
            "fingerprint": crate::source::fingerprint(&item.source.text),
        }
    }

    /// The review state as of the build: its id, what it says, and the due date with what the
    /// page says once that date has passed.
    pub(super) fn review_state(&self, review: &Review) -> Value {
        let playbook = self.edition.playbook;
        let strings = self.edition.strings;
        let state = review.state(playbook.today, playbook.config.review_interval_days);
        let reviewed = review.reviewed.map(|date| {
            let date = strings.date(date);
            match &review.reviewed_by {
                Some(name) => strings.text("upkeep.reviewed-by").replace("{name}", name).replace("{date}", &date),
                None => strings.text("upkeep.reviewed-on").replace("{date}", &date),
            }
        });
        let due = review.due(playbook.config.review_interval_days);
        object! {
            "status": state.as_str(),
            "due_now": matches!(state, ReviewState::Due(_)),
            "text": reviewed.unwrap_or_else(|| strings.get("touchpoint.never-reviewed")),
            "due": due.map(|d| self.date(d)),
            "due_text": due.map(|d| strings.text("upkeep.due-since").replace("{date}", &strings.date(d))),
        }
    }

    /// "Edit this page": the host's editor on the file the page is made from (a division's
    /// overlay where it has one).
    fn edit_url(&self, item: &Item) -> Option<String> {
        let contribute = self.edition.playbook.config.contribute.as_ref()?;
        Some(contribute::edit_url(contribute, &item.source.rel_path))
    }

    /// On a touch point, "Suggest a best practice": a new one in this edition's folder that
    /// already names the situation, in the edition's language.
    fn suggest_best_practice_url(&self, item: &Item) -> Option<String> {
        let playbook = self.edition.playbook;
        let contribute = playbook.config.contribute.as_ref()?;
        if item.kind != Kind::Touchpoint {
            return None;
        }
        let strings = self.edition.strings;
        let situation = playbook.title(Kind::Touchpoint, &item.id)?;
        let division = playbook.division.as_ref().map(|d| d.id.as_str());
        let path = crate::layout::file(Kind::BestPractice, division, &format!("{}-best-practice", item.id));
        let title = strings.text("contribute.story-title").replace("{title}", situation);
        let text = crate::scaffold::suggested_best_practice(&title, &item.id, strings.text("contribute.story-body"));
        let issue_title = strings.text("contribute.story-issue").replace("{title}", situation);
        let intro = strings.text("contribute.new-file").replace("{path}", &format!("`{path}`"));
        Some(contribute::new_file_url(contribute, &path, &text, &issue_title, &intro))
    }
}
