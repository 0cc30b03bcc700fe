//! Search: one Pagefind index per edition, in the edition's language.
//!
//! Pagefind (used as a library) reads the rendered pages, which mark what matters with
//! `data-pagefind-*` attributes: the body of item pages, their title and summary (weighted
//! higher), and filters (kind, stage, channel, internal; frequency and difficulty, hidden,
//! through which the theme's script sorts, one search per value, since Pagefind merges shards
//! by relevance only).
//! Navigation, lists and maps are not indexed. The bundle (a chunked index and Pagefind's
//! search script) is written to `<edition>/pagefind/`, so the site needs no server code.
//!
//! Large editions are split into shards of about [`SHARD_PAGES`] pages, each a bundle of its
//! own (`pagefind/` holds the first and the search script, `pagefind/shard-N/` the others,
//! listed in `pagefind/touchbook-shards.json`), which the theme's script merges with
//! Pagefind's `mergeIndex`. Pagefind holds a whole index in memory while it builds it, so at
//! 10,000 pages one index took 20 s and 2.1 GB; three shards built side by side take 14 s and
//! 1.5 GB, and `serve` re-indexes only the shard an edit touched. Shards stay large because
//! Pagefind ranks with each index's own word statistics: thousands of pages picked by a hash of
//! their path have nearly the same statistics, so relevance merges fairly; tiny shards do not.
//! Each page's shard follows from that hash, so an edit leaves the other pages where they were.
//!
//! Indexing is the most expensive stage, so shards (and editions) are indexed in parallel, and
//! a shard whose pages did not change since the last build reuses its previous bundle, found
//! through a content hash stored beside it.

mod bundle;

use std::path::Path;

use anyhow::Result;
use rayon::prelude::*;
use sha2::{Digest, Sha256};

use crate::render::OutputFile;

/// The folder of each edition's bundle.
pub const BUNDLE_DIR: &str = "pagefind";
/// Lists the bundle's shards after the first, for the theme's script to merge.
const SHARDS_FILE: &str = "touchbook-shards.json";
/// Pages per shard: large enough for fair ranking and a small first download (every shard's
/// metadata and word chunks are fetched on the first query), small enough to bound memory.
/// `TOUCHBOOK_SEARCH_SHARD_PAGES` overrides it, for tests and measurements.
pub const SHARD_PAGES: usize = 4000;

/// The shard size for this run: [`SHARD_PAGES`] unless `TOUCHBOOK_SEARCH_SHARD_PAGES` says
/// otherwise.
pub fn shard_pages() -> usize {
    std::env::var("TOUCHBOOK_SEARCH_SHARD_PAGES")
        .ok()
        .and_then(|value| value.trim().parse().ok())
        .filter(|&pages| pages > 0)
        .unwrap_or(SHARD_PAGES)
}

/// One edition's pages to index.
pub struct EditionPages<'a> {
    /// `""` for the central edition, `"norge/"` for a division.
    pub prefix: &'a str,
    pub language: &'a str,
    pub pages: Vec<&'a OutputFile>,
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

/// Sorts pages into their editions, given as prefix and language.
pub fn group<'a>(
    editions: &'a [(String, String)],
    pages: impl IntoIterator<Item = &'a OutputFile>,
) -> Vec<EditionPages<'a>> {
    let mut groups: Vec<EditionPages<'a>> =
        editions.iter().map(|(prefix, language)| EditionPages { prefix, language, pages: Vec::new() }).collect();
    for page in pages {
        if let Some(i) = owner(&page.path, editions.iter().map(|(prefix, _)| prefix.as_str())) {
            groups[i].pages.push(page);
        }
    }
    groups
}

/// What indexing produced: the bundle files, and how much came from the last build.
#[derive(Debug, Default)]
pub struct SearchOutput {
    pub files: Vec<OutputFile>,
    pub reuse: Reuse,
}

/// How many editions and shards were indexed, and how many of them reused the last build's
/// bundle because their pages did not change.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Reuse {
    pub editions: usize,
    pub shards: usize,
    pub reused_shards: usize,
}

impl Reuse {
    fn add(&mut self, other: Reuse) {
        self.editions += other.editions;
        self.shards += other.shards;
        self.reused_shards += other.reused_shards;
    }

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

/// Indexes every edition (in parallel), reusing unchanged bundles from `previous_site` — or any
/// previous bundle when `keep_previous` is set (`serve` re-indexes right after the reload).
pub fn index(
    editions: Vec<EditionPages<'_>>,
    previous_site: Option<&Path>,
    keep_previous: bool,
    shard_pages: usize,
) -> Result<SearchOutput> {
    let results: Vec<Result<SearchOutput>> =
        editions.par_iter().map(|edition| index_edition(edition, previous_site, keep_previous, shard_pages)).collect();
    let mut output = SearchOutput::default();
    for result in results {
        let edition = result?;
        output.files.extend(edition.files);
        output.reuse.add(edition.reuse);
    }
    Ok(output)
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

/// Only pages that mark a search body are indexed (item pages); lists and maps are not.
fn is_indexed(page: &OutputFile) -> bool {
    indexed_part(page).is_some()
}

/// One edition's shards, indexed (or reused) in parallel, and the list of shards for the
/// script.
fn index_edition(
    edition: &EditionPages<'_>,
    previous_site: Option<&Path>,
    keep_previous: bool,
    shard_pages: usize,
) -> Result<SearchOutput> {
    let pages: Vec<&OutputFile> = edition.pages.iter().copied().filter(|p| is_indexed(p)).collect();
    let shards = split(&pages, edition.prefix, shard_pages);
    let bundle = format!("{}{BUNDLE_DIR}/", edition.prefix);
    let results: Vec<Result<(Vec<OutputFile>, bool)>> = shards
        .par_iter()
        .enumerate()
        .map(|(number, pages)| {
            let shard = bundle::Shard { edition, number, dir: shard_dir(&bundle, number), pages };
            shard.index(previous_site, keep_previous)
        })
        .collect();
    let mut output = SearchOutput { files: vec![shard_list(&bundle, shards.len())], reuse: Reuse::default() };
    output.reuse.editions = 1;
    for result in results {
        let (files, reused) = result?;
        output.files.extend(files);
        output.reuse.shards += 1;
        output.reuse.reused_shards += usize::from(reused);
    }
    output.files.sort_by(|a, b| a.path.cmp(&b.path));
    Ok(output)
}

/// Splits the pages into `ceil(n / shard_pages)` shards by a hash of their path, so a page
/// stays in its shard while the number of shards stays the same.
fn split<'a>(pages: &[&'a OutputFile], prefix: &str, shard_pages: usize) -> Vec<Vec<&'a OutputFile>> {
    let count = pages.len().div_ceil(shard_pages.max(1)).max(1);
    let mut shards = vec![Vec::new(); count];
    for &page in pages {
        let url = page.path.strip_prefix(prefix).unwrap_or(&page.path);
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
