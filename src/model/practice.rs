//! Best-practice stories from the floor, linked to the touch points they illustrate.

use time::Date;

use super::{id_list, Item, Ref};
use crate::fields::Fields;

pub(super) const KEYS: &[&str] = &["title", "touchpoints", "author", "date", "share"];

#[derive(Debug, Clone)]
pub struct Practice {
    pub item: Item,
    pub title: String,
    pub touchpoints: Vec<Ref>,
    pub author: Option<String>,
    pub date: Option<Date>,
    /// In a division folder: publish to every edition.
    pub share: bool,
}

pub(super) fn read(item: Item, fields: &mut Fields<'_, '_>) -> Option<Practice> {
    let title = fields.required_string("title", "\"How Kari turned a complaint into a renewal\"");
    let touchpoints = id_list(fields, "touchpoints");
    if touchpoints.is_empty() {
        let span = fields.key_span("touchpoints");
        let message = "a story must name at least one touch point in `touchpoints`";
        let d = fields
            .source()
            .error(span, message)
            .with_hint("add a line like `touchpoints = [\"password-reset-call\"]`");
        fields.diags().push(d);
    }
    let author = fields.string("author").map(|a| a.value);
    let date = fields.date("date").map(|d| d.value);
    let share = fields.bool("share").unwrap_or(false);
    if touchpoints.is_empty() {
        return None;
    }
    Some(Practice {
        item,
        title: title?.value,
        touchpoints,
        author,
        date,
        share,
    })
}
