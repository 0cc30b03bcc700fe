//! `serve`'s incremental rebuilds: after every kind of edit, the site it has written must be
//! byte for byte the site a full build of the same content writes — while rendering far less.

use std::path::Path;

use touchbook::build::{self, BuildOptions};
use touchbook::serve::session::{self, Session};
use touchbook::serve::watch::Change;

use crate::support::*;

/// A session writing to `<playbook>/site`, and the full build it is compared with.
struct Twins<'a> {
    root: &'a Path,
    session: Session,
    divisions: Vec<String>,
}

impl Twins<'_> {
    fn new(root: &Path) -> Twins<'_> {
        Twins::serving(root, &[])
    }

    /// Twins that build and serve only these divisions' editions.
    fn serving<'a>(root: &'a Path, divisions: &[&str]) -> Twins<'a> {
        let divisions: Vec<String> = divisions.iter().map(|d| d.to_string()).collect();
        let mut session =
            Session::new(BuildOptions { divisions: divisions.clone(), ..BuildOptions::new(root, build::today()) });
        let outcome = session.rebuild(&[]).expect("first build");
        assert!(!outcome.report.diagnostics.has_errors(), "{}", outcome.report.diagnostics.render_text());
        Twins { root, session, divisions }
    }

    /// Edits a content file (the text `from` must be there), rebuilds incrementally, brings
    /// search up to date and compares with a full build. Returns how many files were rendered.
    fn edit(&mut self, rel: &str, from: &str, to: &str) -> usize {
        let path = self.root.join(rel);
        let text = read(&path);
        assert!(text.contains(from), "{rel} has no {from:?}");
        std::fs::write(&path, text.replacen(from, to, 1)).unwrap();
        self.rebuild_and_compare(rel)
    }

    fn rebuild_and_compare(&mut self, rel: &str) -> usize {
        let outcome = self.session.rebuild(&[Change::Content(rel.to_string())]).expect("rebuild");
        let report = &outcome.report;
        assert!(!report.diagnostics.has_errors(), "{}", report.diagnostics.render_text());
        assert!(!outcome.full, "a content edit is not a full rebuild");
        if let Some(request) = &outcome.search {
            session::update_search(&self.session.site(), request).expect("search index");
        }
        let full_dir = tempfile::tempdir().unwrap();
        let options = BuildOptions {
            output: Some(full_dir.path().join("site")),
            divisions: self.divisions.clone(),
            ..BuildOptions::new(self.root, build::today())
        };
        let full = build::build(&options).expect("full build");
        assert!(!full.diagnostics.has_errors());
        let (incremental, complete) = (tree(&self.root.join("site")), tree(&full_dir.path().join("site")));
        let differing: std::collections::BTreeSet<&String> = incremental
            .keys()
            .chain(complete.keys())
            .filter(|path| incremental.get(*path) != complete.get(*path))
            .collect();
        assert!(differing.is_empty(), "after editing {rel}, these files differ from a full build: {differing:?}");
        outcome.rendered
    }
}

/// A theme may show anything the pages are given: this one shows, on a situation's page, the
/// summaries of the other situations its stories are about.
fn theme_showing_more(root: &Path) {
    let components = read(Path::new(env!("CARGO_MANIFEST_DIR")).join("themes/default/templates/components.html"));
    let from = "<a class=\"story-title\" href=\"{{ root }}{{ p.url }}\"{% if p.lang %} lang=\"{{ p.lang }}\"{% endif %}>{{ p.title }}</a>";
    assert!(components.contains(from), "the story component changed; update this test");
    let to = format!("{from}{{% for tp in p.touchpoints %}}<small>{{{{ tp.summary }}}}</small>{{% endfor %}}");
    std::fs::create_dir_all(root.join("themes/default/templates")).unwrap();
    std::fs::write(root.join("themes/default/templates/components.html"), components.replace(from, &to)).unwrap();
}

#[test]
fn incremental_rebuilds_write_the_same_site_as_full_builds() {
    let dir = fixture("divisions");
    theme_showing_more(dir.path());
    let mut twins = Twins::new(dir.path());
    let all_files = tree(&dir.path().join("site")).len();

    // Rewording a text: only that situation's pages (centre and divisions) are rendered, and
    // each edition's search vocabulary, which holds the words of every text, and self-check
    // page, which shows the situation's text.
    let rendered = twins.edit("content/touchpoints/beta.md", "CENTRAL-SITUATION-beta", "REWORDED-SITUATION-beta");
    assert!(rendered <= 9, "a reworded situation rendered {rendered} files");
    // A title shows in lists, maps and the pages that refer to it.
    let rendered = twins.edit("content/touchpoints/alpha.md", "title = \"Alpha\"", "title = \"Alpha renamed\"");
    assert!(rendered < all_files / 2, "a new title rendered {rendered} of {all_files} files");
    twins.edit("content/divisions/norge/touchpoints/alpha.md", "NO-BEHAVIOUR-alpha", "NO-BEHAVIOUR-alpha endret");
    twins.edit(
        "content/divisions/norge/touchpoints/alpha.md",
        "messages = [\"m1\", \"m2\"]",
        "messages = [\"m2\", \"m1\"]",
    );
    twins.edit("content/touchpoints/gamma.md", "## Situation", "See [beta](beta.md).\n\n## Situation");
    twins.edit(
        "content/touchpoints/gamma.md",
        "## Expected behaviour",
        "## Background\n\nSince May.\n\n## Expected behaviour",
    );
    twins.edit("content/rollouts/everywhere.md", "CENTRAL-WEEK-1", "CENTRAL-WEEK-1 again");
    // A week's meeting pack shows the situations it links to in full, with their coaching
    // cards: rewording one of them redoes the rollout's page.
    twins.edit(
        "content/rollouts/everywhere.md",
        "CENTRAL-WEEK-1 again",
        "CENTRAL-WEEK-1 with [beta](../touchpoints/beta.md)",
    );
    twins.edit("content/touchpoints/beta.md", "CENTRAL-BEHAVIOUR-beta", "CENTRAL-BEHAVIOUR-beta reworded");
    twins.edit("content/practices/central-story.md", "date = 2026-01-01", "date = 2026-02-01");
    // A story shows the cards of its situations, on each of their pages.
    twins.edit(
        "content/practices/central-story.md",
        "touchpoints = [\"alpha\"]",
        "touchpoints = [\"alpha\", \"beta\"]",
    );
    twins.edit("content/touchpoints/beta.md", "Summary of Beta.", "A new summary of Beta.");
    twins.edit("content/messages/m1.md", "title = \"", "title = \"Renamed ");
    // The most frequent situations are suggested on every page.
    twins.edit("content/touchpoints/beta.md", "frequency = 3", "frequency = 5");

    // A new situation, then its removal: every page of the edition lists it.
    let new = dir.path().join("content/touchpoints/delta.md");
    std::fs::write(&new, read(dir.path().join("content/touchpoints/alpha.md")).replace("Alpha", "Delta")).unwrap();
    twins.rebuild_and_compare("content/touchpoints/delta.md");
    std::fs::remove_file(&new).unwrap();
    twins.rebuild_and_compare("content/touchpoints/delta.md");
}

#[test]
fn a_broken_edit_changes_nothing_and_the_fix_catches_up() {
    let dir = fixture("divisions");
    let mut twins = Twins::new(dir.path());
    let before = tree(&dir.path().join("site"));
    let file = dir.path().join("content/touchpoints/alpha.md");
    let good = read(&file);
    std::fs::write(&file, good.replace("stage = \"support\"", "stage = \"nowhere\"")).unwrap();
    let outcome = twins.session.rebuild(&[Change::Content("content/touchpoints/alpha.md".into())]).unwrap();
    assert!(outcome.report.diagnostics.render_text().contains("content/touchpoints/alpha.md:4:9"));
    assert_eq!(tree(&dir.path().join("site")), before, "a failed rebuild writes nothing");
    std::fs::write(&file, good.replace("CENTRAL-SITUATION-alpha", "FIXED-SITUATION-alpha")).unwrap();
    twins.rebuild_and_compare("content/touchpoints/alpha.md");
}

#[test]
fn a_reworded_text_renders_only_its_own_pages() {
    let dir = fixture("divisions");
    let mut session = Session::new(BuildOptions::new(dir.path(), build::today()));
    session.rebuild(&[]).unwrap();
    let file = dir.path().join("content/touchpoints/gamma.md");
    std::fs::write(&file, read(&file) + "\nOne more sentence.\n").unwrap();
    let outcome = session.rebuild(&[Change::Content("content/touchpoints/gamma.md".into())]).unwrap();
    let mut rendered = outcome.report.written.clone();
    rendered.sort();
    assert_eq!(
        rendered,
        [
            "practise.html",
            "search-words.bin",
            "sverige/practise.html",
            "sverige/search-words.bin",
            "sverige/touchpoints/gamma.html",
            "touchpoints/gamma.html"
        ],
        "the centre's page and Sverige's, which shows the central text (Norge hides the situation), their search vocabularies and self-check pages"
    );
    // The sentence brings new words ("sentence"), so both vocabularies change with the pages,
    // and the self-check shows the expected behaviour it was added to.
    assert_eq!(outcome.written, 6);
}

#[test]
fn check_in_edits_rebuild_what_a_full_build_writes() {
    let dir = fixture("checkins");
    let mut twins = Twins::new(dir.path());
    let norge = "content/divisions/norge/checkins/programme.md";
    // A private action changes Norge's rollout page only; a shared one every edition's.
    twins.edit(norge, "Pingvinrunde NORGE-PRIVATE-ACTION", "Pingvinrunde endret");
    twins.edit("content/divisions/sverige/checkins/programme.md", "SVERIGE-SHARED-ACTION", "SVERIGE-SHARED-ACTION 2");
    twins.edit("content/divisions/sverige/checkins/programme.md", "share = true", "share = false");
    // A week held changes the matrix, the plan and the totals.
    twins.edit(norge, "number = 3\nteam = \"oslo-desk\"", "number = 3\nteam = \"bergen-field\"");
    twins.edit("content/divisions/norge/rollouts/programme.md", "start = 2026-09-21", "start = 2026-09-14");
    let danmark = dir.path().join("content/divisions/danmark/checkins/programme.md");
    std::fs::create_dir_all(danmark.parent().unwrap()).unwrap();
    std::fs::write(
        &danmark,
        "+++\n[[week]]\nnumber = 1\nheld-on = 2026-09-08\naction = \"Handling\"\nshare = true\n+++\n",
    )
    .unwrap();
    twins.rebuild_and_compare("content/divisions/danmark/checkins/programme.md");
    std::fs::remove_file(&danmark).unwrap();
    twins.rebuild_and_compare("content/divisions/danmark/checkins/programme.md");
}

#[test]
fn serving_one_division_follows_the_pages_of_editions_it_links_to() {
    let dir = fixture("divisions");
    let mut twins = Twins::serving(dir.path(), &["norge"]);
    // Sverige, not served but at its address under the central site-url, stops showing a
    // central situation: Norge's page of it no longer links to the Swedish one.
    let hidden = dir.path().join("content/divisions/sverige/touchpoints/alpha.md");
    std::fs::write(&hidden, "+++\nhidden = true\n+++\n").unwrap();
    twins.rebuild_and_compare("content/divisions/sverige/touchpoints/alpha.md");
    let page = read(dir.path().join("site/norge/touchpoints/alpha.html"));
    assert!(!page.contains("https://playbook.test/sverige/touchpoints/alpha.html"), "no link to a page that is gone");
    std::fs::remove_file(&hidden).unwrap();
    twins.rebuild_and_compare("content/divisions/sverige/touchpoints/alpha.md");
    let page = read(dir.path().join("site/norge/touchpoints/alpha.html"));
    assert!(page.contains("https://playbook.test/sverige/touchpoints/alpha.html"));
}

#[test]
fn incremental_rebuilds_with_help_desk_data_write_the_same_site_as_full_builds() {
    let dir = fixture("data");
    let mut twins = Twins::new(dir.path());
    // The data replaces c's frequency; the declared one shows in its figures' note and export.
    twins.edit("content/touchpoints/c.md", "frequency = 5", "frequency = 4");
    twins.edit("content/touchpoints/a.md", "Situation of Password trouble.", "Situation of a password, reworded.");
    twins.edit("content/touchpoints/d.md", "frequency = 2", "frequency = 2\ncategories = [\"Not in any export\"]");
    twins.edit("content/divisions/norge/touchpoints/e.md", "Kunden kommer ikke inn.", "Kunden kommer ikke inn i dag.");
}
