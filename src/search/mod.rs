//! Search: one Pagefind index per edition, in the edition's language.
//!
//! Pagefind (used as a library) reads the rendered pages, which mark what matters with
//! `data-pagefind-*` attributes: the body of item pages, their title and summary (weighted
//! higher), a touch point's other names, tags and brand messages' titles (in a hidden block in
//! the indexed part, since Pagefind skips `<footer>`, where the tags are shown), section
//! headings (Pagefind weights headings by level itself), and filters (kind, stage, channel, internal; frequency and difficulty, hidden,
//! through which the theme's script sorts, one search per value, since Pagefind merges shards
//! by relevance only).
//! Navigation, lists and maps are not indexed. The bundle (a chunked index and Pagefind's
//! search script) is written to `<edition>/pagefind/`, so the site needs no server code.
//!
//! Editions are split into shards of about [`SHARD_PAGES`] pages (and at least two from
//! [`SPLIT_FROM`] pages on, so both cores index), each a bundle of its own (`pagefind/` holds
//! the first and the search script, `pagefind/shard-N/` the others, listed in
//! `pagefind/touchbook-shards.json`), which the theme's script merges with Pagefind's
//! `mergeIndex`. Pagefind holds a whole index in memory while it builds it, so shards bound
//! the memory a large site needs (benches/README.md has the figures), and `serve` re-indexes
//! only the shard an edit touched. Shards stay large
//! because Pagefind ranks with each index's own word statistics: thousands of pages picked by a
//! hash of their path have nearly the same statistics, so relevance merges fairly; tiny shards
//! do not (hundreds of pages still do, for the words readers search by).
//! Each page's shard follows from that hash, so an edit leaves the other pages where they were.
//!
//! Indexing is the most expensive stage. A shard whose pages did not change since the last
//! build reuses its previous bundle, found through a content hash stored beside it. The others
//! are indexed side by side as long as their pages together stay within
//! [`PAGES_INDEXED_AT_ONCE`], which bounds memory: small editions share the cores, the shards of
//! a large one take turns.

mod bundle;
pub(crate) mod vocabulary;

use std::borrow::Cow;
use std::path::Path;

use anyhow::{Context, Result};
use rayon::prelude::*;
use sha2::{Digest, Sha256};

use crate::output::OutputFile;

/// The folder of each edition's bundle.
pub const BUNDLE_DIR: &str = "pagefind";
/// Lists the bundle's shards after the first, for the theme's script to merge.
const SHARDS_FILE: &str = "touchbook-shards.json";
/// Pages per shard: large enough for fair ranking and a small first download (every shard's
/// metadata and word chunks are fetched on the first query), small enough to bound memory.
/// `TOUCHBOOK_SEARCH_SHARD_PAGES` overrides it, for tests and measurements.
pub const SHARD_PAGES: usize = 4000;

/// From how many pages on an edition is split into at least two shards. Pagefind indexes a
/// shard on one core, so a single shard would keep the other core idle for most of a build
/// with search. Readers pay for it with a larger first query (each shard's index chunks for
/// the query's words); below this size a build with search is quick anyway, and one shard is
/// kept (figures in benches/README.md).
pub const SPLIT_FROM: usize = 1000;

/// How many pages Pagefind may hold at once, over all the shards it indexes side by side.
/// Building a shard's index briefly takes about 120 KB per page on top of what the build
/// holds, so at 10,000 pages three shards built side by side peaked at 1.1 GB, one after the
/// other at 0.6 GB; small editions (a playbook of 1,000 pages in four languages) still share
/// the cores.
pub const PAGES_INDEXED_AT_ONCE: usize = SHARD_PAGES;

/// The shard size for this run: [`SHARD_PAGES`] unless `TOUCHBOOK_SEARCH_SHARD_PAGES` says
/// otherwise.
pub fn shard_pages() -> usize {
    std::env::var("TOUCHBOOK_SEARCH_SHARD_PAGES")
        .ok()
        .and_then(|value| value.trim().parse().ok())
        .filter(|&pages| pages > 0)
        .unwrap_or(SHARD_PAGES)
}

/// An edition as search and `serve` tell editions apart: the folder its pages are under and
/// the language it is indexed in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EditionKey {
    /// `""` for the central edition, `"norge/"` for a division.
    pub prefix: String,
    /// The language the edition is indexed in.
    pub language: String,
}

/// A page to index, and where its text is read from.
#[derive(Clone, Copy, Debug)]
pub enum Page<'a> {
    /// In memory, bytes and all: `serve` keeps its pages.
    InMemory(&'a OutputFile),
    /// Written at `path` below `folder`, and indexed whatever it marks. `build` writes pages as
    /// it renders them and reads each shard's back when its turn comes, so a large site's text
    /// is never held in memory at once. Each page is read once, and hashed for the shard's
    /// content hash as it is indexed; only when a previous bundle is there to compare with is
    /// it read first for the hash, from the page cache, so an unchanged rebuild costs a read
    /// and a hash of each page, not an index.
    Written {
        /// The output folder.
        folder: &'a Path,
        /// The page's path below it.
        path: &'a str,
    },
}

impl<'a> Page<'a> {
    /// The page's path in the site.
    pub fn path(self) -> &'a str {
        match self {
            Page::InMemory(file) => &file.path,
            Page::Written { path, .. } => path,
        }
    }

    /// Whether the page is one the index reads.
    fn is_indexed(self) -> bool {
        match self {
            Page::InMemory(file) => indexed_part(file).is_some(),
            Page::Written { .. } => true,
        }
    }

    /// What the index reads of the page: its [indexed part](indexed_part), or the whole page if
    /// it marks none.
    fn indexed_part(self) -> Result<Cow<'a, [u8]>> {
        match self {
            Page::InMemory(file) => Ok(Cow::Borrowed(indexed_part(file).unwrap_or(&file.bytes))),
            Page::Written { folder, path } => {
                let path = folder.join(path);
                let mut bytes =
                    std::fs::read(&path).with_context(|| format!("cannot read {} to index it", path.display()))?;
                if let Some(start) = body_start(&bytes) {
                    bytes.drain(..start);
                }
                Ok(Cow::Owned(bytes))
            }
        }
    }
}

/// One edition's pages to index.
pub struct EditionPages<'a> {
    /// `""` for the central edition, `"norge/"` for a division.
    pub prefix: &'a str,
    /// The edition's language, for stemming.
    pub language: &'a str,
    /// The edition's HTML pages.
    pub pages: Vec<Page<'a>>,
}

/// The edition a path belongs to, by position in `prefixes`: the longest prefix wins
/// (`norge/...` is Norge's, everything else the centre's).
pub fn owner<'a>(path: &str, prefixes: impl IntoIterator<Item = &'a str>) -> Option<usize> {
    prefixes
        .into_iter()
        .enumerate()
        .filter(|(_, prefix)| path.starts_with(prefix))
        .max_by_key(|(_, p)| p.len())
        .map(|(i, _)| i)
}

/// Sorts pages into their editions.
pub fn group<'a>(editions: &'a [EditionKey], pages: impl IntoIterator<Item = Page<'a>>) -> Vec<EditionPages<'a>> {
    let mut groups: Vec<EditionPages<'a>> = editions
        .iter()
        .map(|edition| EditionPages { prefix: &edition.prefix, language: &edition.language, pages: Vec::new() })
        .collect();
    for page in pages {
        if let Some(i) = owner(page.path(), editions.iter().map(|edition| edition.prefix.as_str())) {
            groups[i].pages.push(page);
        }
    }
    groups
}

/// What indexing produced: the bundle files, and how much came from the last build.
#[derive(Debug, Default)]
pub struct SearchOutput {
    /// The bundle's files.
    pub files: Vec<OutputFile>,
    /// How much was reused.
    pub reuse: Reuse,
}

/// How many editions and shards were indexed, and how many of them reused the last build's
/// bundle because their pages did not change.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Reuse {
    /// Editions indexed.
    pub editions: usize,
    /// Shards in all editions.
    pub shards: usize,
    /// Shards whose pages did not change, copied from the last build.
    pub reused_shards: usize,
}

impl Reuse {
    /// `"search index unchanged for 2 editions"`, or for shards when an edition has several;
    /// `None` when everything was indexed anew.
    pub fn describe(&self) -> Option<String> {
        let plural = |n: usize| if n == 1 { "" } else { "s" };
        match self.reused_shards {
            0 => None,
            n if self.shards == self.editions => Some(format!("search index unchanged for {n} edition{}", plural(n))),
            n => Some(format!("search index unchanged for {n} of {} shard{}", self.shards, plural(self.shards))),
        }
    }
}

/// Indexes every edition, reusing unchanged bundles from `previous_site` — or any previous
/// bundle when `keep_previous` is set (`serve` re-indexes right after the reload).
///
/// Shards of every edition are checked for reuse side by side, then the rest are indexed side
/// by side in waves of at most [`PAGES_INDEXED_AT_ONCE`] pages, so that memory stays bounded
/// however many pages and editions there are.
pub fn index(
    editions: Vec<EditionPages<'_>>,
    previous_site: Option<&Path>,
    keep_previous: bool,
    shard_pages: usize,
    progress: &crate::progress::Progress,
) -> Result<SearchOutput> {
    let bundles: Vec<String> = editions.iter().map(|edition| format!("{}{BUNDLE_DIR}/", edition.prefix)).collect();
    let split_pages: Vec<Vec<Vec<Page<'_>>>> = editions
        .iter()
        .map(|edition| {
            let pages: Vec<Page<'_>> = edition.pages.iter().copied().filter(|p| p.is_indexed()).collect();
            split(&pages, edition.prefix, shard_pages)
        })
        .collect();
    let mut output = SearchOutput::default();
    output.reuse.editions = editions.len();
    let mut shards = Vec::new();
    for ((edition, bundle), pages) in editions.iter().zip(&bundles).zip(&split_pages) {
        output.files.push(shard_list(bundle, pages.len()));
        shards.extend(pages.iter().enumerate().map(|(number, pages)| bundle::Shard {
            edition,
            number,
            dir: shard_dir(bundle, number),
            pages,
        }));
    }
    let checked: Vec<Result<_>> =
        shards.par_iter().map(|shard| shard.previous_bundle(previous_site, keep_previous)).collect();
    let mut to_index = Vec::new();
    for (shard, checked) in shards.iter().zip(checked) {
        let (hash, previous) = checked?;
        output.reuse.shards += 1;
        match previous {
            Some(files) => {
                output.files.extend(files);
                output.reuse.reused_shards += 1;
            }
            None => to_index.push((shard, hash)),
        }
    }
    if !to_index.is_empty() {
        let word = if editions.len() == 1 { "edition" } else { "editions" };
        let what = format!("indexing {} {word} for search, {} parts", editions.len(), to_index.len());
        progress.start(&what, to_index.len() as u64);
    }
    for wave in waves(to_index, |(shard, _)| shard.pages.len(), PAGES_INDEXED_AT_ONCE) {
        let indexed: Vec<Result<Vec<OutputFile>>> = wave
            .into_par_iter()
            .map(|(shard, hash)| {
                let files = shard.index(hash);
                progress.step();
                files
            })
            .collect();
        for files in indexed {
            output.files.extend(files?);
        }
    }
    output.files.sort_by(|a, b| a.path.cmp(&b.path));
    Ok(output)
}

/// Groups `items`, in order, so that the sizes in each group add up to at most `budget`; an
/// item larger than the budget has a group of its own.
fn waves<T>(items: Vec<T>, size: impl Fn(&T) -> usize, budget: usize) -> Vec<Vec<T>> {
    let mut waves: Vec<Vec<T>> = Vec::new();
    let mut used = 0;
    for item in items {
        let item_size = size(&item);
        match waves.last_mut() {
            Some(wave) if used + item_size <= budget => wave.push(item),
            _ => {
                used = 0;
                waves.push(vec![item]);
            }
        }
        used += item_size;
    }
    waves
}

/// The attribute that marks what Pagefind indexes, set on item pages by the templates.
const BODY_MARKER: &[u8] = b"data-pagefind-body";

/// Where the first element marked [`BODY_MARKER`] starts in a page, if there is one.
fn body_start(html: &[u8]) -> Option<usize> {
    let at = html.windows(BODY_MARKER.len()).position(|w| w == BODY_MARKER)?;
    html[..at].iter().rposition(|&b| b == b'<')
}

/// What the index is made of: a page from its first element marked `data-pagefind-body` on, or
/// `None` for a page that marks none (lists and maps). Pagefind reads only inside such
/// elements, so `build` keeps just this part of each page for indexing.
pub fn indexed_part(page: &OutputFile) -> Option<&[u8]> {
    let start = body_start(&page.bytes).filter(|_| page.path.ends_with(".html"))?;
    Some(&page.bytes[start..])
}

/// How many shards an edition of `pages` indexed pages has: one per `shard_pages` pages, and
/// at least two from [`SPLIT_FROM`] pages on.
fn shard_count(pages: usize, shard_pages: usize) -> usize {
    let by_size = pages.div_ceil(shard_pages.max(1)).max(1);
    if pages >= SPLIT_FROM {
        by_size.max(2)
    } else {
        by_size
    }
}

/// Splits the pages into [`shard_count`] shards by a hash of their path, so a page stays in
/// its shard while the number of shards stays the same.
fn split<'a>(pages: &[Page<'a>], prefix: &str, shard_pages: usize) -> Vec<Vec<Page<'a>>> {
    let count = shard_count(pages.len(), shard_pages);
    let mut shards = vec![Vec::new(); count];
    for &page in pages {
        let url = page.path().strip_prefix(prefix).unwrap_or(page.path());
        let digest = Sha256::digest(url.as_bytes());
        let hash = u64::from_le_bytes(digest[..8].try_into().expect("a SHA-256 digest has 32 bytes"));
        shards[(hash % count as u64) as usize].push(page);
    }
    shards
}

/// The folder of shard `number` in `bundle`: the bundle itself for the first.
fn shard_dir(bundle: &str, number: usize) -> String {
    match number {
        0 => bundle.to_string(),
        n => format!("{bundle}shard-{n}/"),
    }
}

/// `{"shards":["shard-1/",…]}`: the folders, relative to the bundle, of the shards after the
/// first.
fn shard_list(bundle: &str, count: usize) -> OutputFile {
    let dirs: Vec<String> = (1..count).map(|n| format!("shard-{n}/")).collect();
    let json = serde_json::json!({ "shards": dirs });
    OutputFile { path: format!("{bundle}{SHARDS_FILE}"), bytes: json.to_string().into_bytes() }
}

#[cfg(test)]
mod tests {
    use super::{shard_count, waves};

    #[test]
    fn editions_of_a_thousand_pages_or_more_have_at_least_two_shards() {
        assert_eq!(shard_count(0, 4000), 1);
        assert_eq!(shard_count(999, 4000), 1);
        assert_eq!(shard_count(1000, 4000), 2);
        assert_eq!(shard_count(1111, 4000), 2);
        assert_eq!(shard_count(8000, 4000), 2);
        assert_eq!(shard_count(11_020, 4000), 3);
        // A smaller shard size (tests, measurements) splits small editions too.
        assert_eq!(shard_count(30, 10), 3);
    }

    #[test]
    fn shards_are_indexed_side_by_side_only_within_the_page_budget() {
        // Four small editions fit in one wave; three large shards take turns.
        assert_eq!(waves(vec![1000, 1000, 1000, 1000], |&n| n, 4000), vec![vec![1000, 1000, 1000, 1000]]);
        assert_eq!(waves(vec![3334, 3334, 3333], |&n| n, 4000), vec![vec![3334], vec![3334], vec![3333]]);
        // A shard larger than the budget still gets indexed, on its own.
        assert_eq!(waves(vec![500, 6000, 2000, 2000], |&n| n, 4000), vec![vec![500], vec![6000], vec![2000, 2000]]);
        assert!(waves(Vec::<usize>::new(), |&n| n, 4000).is_empty());
    }
}
