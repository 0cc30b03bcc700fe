//! Resolving every id and every link between items, and computing backlinks.
//!
//! Front-matter references (`messages`, `related`, `touchpoints`, `divisions`) and Markdown links
//! to `.md` files are checked here, all at once, each problem with its position. Rendering uses
//! [`resolve_content_link`] (from `layout`) again to turn a link into a page address; it never
//! fails there, because a build with broken links stops after this stage.

use std::collections::BTreeMap;

use crate::diagnostics::{did_you_mean, Diagnostics, SourceText};
use crate::kind::Kind;
use crate::layout::resolve_content_link;
use crate::model::{Playbook, Ref};

/// Who points at whom, computed once per edition.
#[derive(Debug, Clone, Default)]
pub struct Backlinks {
    /// Brand message id → touch points that carry it (journey order).
    pub message_touchpoints: BTreeMap<String, Vec<String>>,
    /// Touch point id → best practices about it (newest first).
    pub touchpoint_best_practices: BTreeMap<String, Vec<String>>,
    /// Touch point id → rollouts that train it.
    pub touchpoint_rollouts: BTreeMap<String, Vec<String>>,
    /// Touch point id → related touch points, both ways (journey order).
    pub related: BTreeMap<String, Vec<String>>,
    /// Message id → rollouts that carry it.
    pub message_rollouts: BTreeMap<String, Vec<String>>,
}

/// Checks every reference and link written in the files this edition owns.
pub(crate) fn check(playbook: &Playbook, diags: &mut Diagnostics) {
    let known = |kind: Kind, id: &str| playbook.known.contains(&(kind, id.to_string()));
    for unit in &playbook.checks {
        for (key, kind, refs) in &unit.refs {
            check_refs(playbook, diags, &unit.source, key, *kind, refs);
        }
        for link in &unit.links {
            let target = resolve_content_link(&unit.source.rel_path, &link.dest);
            if target.as_ref().is_some_and(|t| known(t.kind, &t.id)) {
                continue;
            }
            let hint = match &target {
                Some(t) => did_you_mean(&t.id, ids(playbook, t.kind)).unwrap_or_else(|| {
                    format!("there is no {} `{}` in {}/", t.kind.noun(), t.id, crate::layout::folder(t.kind, None))
                }),
                None => "link to another content file by its path relative to this file, e.g. `escalation.md` or `../messages/we-own-it.md`".into(),
            };
            let message = format!("the link `{}` points to no item of this playbook", link.dest);
            diags.push(unit.source.error(link.span.clone(), message).with_hint(hint));
        }
    }
}

/// Who points at whom in one edition, for the pages.
pub(crate) fn backlinks(playbook: &Playbook) -> Backlinks {
    let mut backlinks = Backlinks::default();
    for tp in &playbook.touchpoints {
        for m in tp.messages.iter().filter(|m| playbook.contains(Kind::Message, &m.value)) {
            backlinks.message_touchpoints.entry(m.value.clone()).or_default().push(tp.item.id.clone());
        }
        for r in tp.related.iter().filter(|r| playbook.contains(Kind::Touchpoint, &r.value)) {
            backlinks.related.entry(tp.item.id.clone()).or_default().push(r.value.clone());
            backlinks.related.entry(r.value.clone()).or_default().push(tp.item.id.clone());
        }
    }
    for best_practice in &playbook.best_practices {
        for t in best_practice.touchpoints.iter().filter(|t| playbook.contains(Kind::Touchpoint, &t.value)) {
            backlinks.touchpoint_best_practices.entry(t.value.clone()).or_default().push(best_practice.item.id.clone());
        }
    }
    for rollout in &playbook.rollouts {
        for t in rollout.practised().into_iter().filter(|t| playbook.contains(Kind::Touchpoint, t)) {
            backlinks.touchpoint_rollouts.entry(t).or_default().push(rollout.item.id.clone());
        }
        for m in rollout.messages.iter().filter(|m| playbook.contains(Kind::Message, &m.value)) {
            backlinks.message_rollouts.entry(m.value.clone()).or_default().push(rollout.item.id.clone());
        }
    }

    // Keep backlinks in the order pages show them: journey order, without repeats.
    let in_order = |list: &mut Vec<String>, kind: Kind| {
        list.sort_by_cached_key(|id| playbook.position(kind, id).unwrap_or(usize::MAX));
        list.dedup();
    };
    for list in backlinks.message_touchpoints.values_mut().chain(backlinks.related.values_mut()) {
        in_order(list, Kind::Touchpoint);
    }
    for list in backlinks.touchpoint_best_practices.values_mut() {
        in_order(list, Kind::BestPractice);
    }
    backlinks
}

/// Ids of every item of `kind` this edition knows, for "did you mean" hints.
fn ids(playbook: &Playbook, kind: Kind) -> Vec<&str> {
    playbook.known.iter().filter(|(k, _)| *k == kind).map(|(_, id)| id.as_str()).collect()
}

/// Reports every id in `refs` (from front-matter key `key`) that names no item of `kind`.
fn check_refs(playbook: &Playbook, diags: &mut Diagnostics, source: &SourceText, key: &str, kind: Kind, refs: &[Ref]) {
    for r in refs {
        if !playbook.known.contains(&(kind, r.value.clone())) {
            let hint = did_you_mean(&r.value, ids(playbook, kind)).unwrap_or_else(|| {
                format!(
                    "`{key}` names {}s by their file name in {}/, without `.md`",
                    kind.noun(),
                    crate::layout::folder(kind, None)
                )
            });
            let message = format!("`{}` in `{key}` is not a {} of this playbook", r.value, kind.noun());
            diags.push(source.error(r.span.clone(), message).with_hint(hint));
        }
    }
}
