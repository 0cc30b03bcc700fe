//! Search: one Pagefind index per edition, in the edition's language.
//!
//! Pagefind (used as a library) reads the rendered pages, which mark what matters with
//! `data-pagefind-*` attributes: the body of item pages, their title and summary (weighted
//! higher), filters (kind, stage, channel, internal) and sort keys (frequency, difficulty).
//! Navigation, lists and maps are not indexed. The bundle (a chunked index and Pagefind's
//! search script) is written to `<edition>/pagefind/`, so the site needs no server code.
//!
//! Indexing is the most expensive stage, so editions are indexed in parallel, and an edition
//! whose indexed pages did not change since the last build reuses its previous bundle, found
//! through a content hash stored beside it.

use std::path::{Path, PathBuf};

use anyhow::{Context, Result};
use rayon::prelude::*;
use sha2::{Digest, Sha256};

use crate::render::OutputFile;

/// The folder of each edition's bundle, and the file that records what it was built from.
pub const BUNDLE_DIR: &str = "pagefind";
const HASH_FILE: &str = "touchbook-index.hash";

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

/// What indexing produced: the bundle files and how many editions reused the last bundle.
pub struct SearchOutput {
    pub files: Vec<OutputFile>,
    pub reused: usize,
}

/// Indexes every edition (in parallel), reusing unchanged bundles from `previous_site` — or any
/// previous bundle when `keep_previous` is set (`serve` re-indexes right after the reload).
pub fn index(
    editions: Vec<EditionPages<'_>>,
    previous_site: Option<&Path>,
    keep_previous: bool,
) -> Result<SearchOutput> {
    let results: Vec<Result<(Vec<OutputFile>, bool)>> =
        editions.par_iter().map(|edition| index_edition(edition, previous_site, keep_previous)).collect();
    let mut output = SearchOutput { files: Vec::new(), reused: 0 };
    for result in results {
        let (files, reused) = result?;
        output.files.extend(files);
        output.reused += usize::from(reused);
    }
    Ok(output)
}

/// Only pages that mark a search body are indexed (item pages); lists and maps are not.
fn is_indexed(page: &OutputFile) -> bool {
    page.path.ends_with(".html") && page.bytes.windows(18).any(|w| w == b"data-pagefind-body")
}

fn index_edition(
    edition: &EditionPages<'_>,
    previous_site: Option<&Path>,
    keep_previous: bool,
) -> Result<(Vec<OutputFile>, bool)> {
    let pages: Vec<&OutputFile> = edition.pages.iter().copied().filter(|p| is_indexed(p)).collect();
    let hash = content_hash(edition.language, &pages);
    let bundle = format!("{}{BUNDLE_DIR}/", edition.prefix);
    let wanted = if keep_previous { None } else { Some(hash.as_str()) };
    if let Some(files) = previous_site.and_then(|site| previous_bundle(site, &bundle, wanted)) {
        return Ok((files, true));
    }
    let runtime =
        tokio::runtime::Builder::new_current_thread().enable_all().build().context("cannot start the indexer")?;
    let files = runtime.block_on(async {
        let options = pagefind::options::PagefindServiceConfig::builder()
            .keep_index_url(true)
            .force_language(edition.language.to_string())
            .build();
        let mut index = pagefind::api::PagefindIndex::new(Some(options))?;
        for page in &pages {
            let url = page.path.strip_prefix(edition.prefix).unwrap_or(&page.path).to_string();
            let html = String::from_utf8_lossy(&page.bytes).into_owned();
            index.add_html_file(None, Some(url), html).await?;
        }
        index.get_files().await
    })?;
    let mut out: Vec<OutputFile> = files
        .into_iter()
        .map(|file| OutputFile { path: format!("{bundle}{}", slash_path(&file.filename)), bytes: file.contents })
        .collect();
    out.push(OutputFile { path: format!("{bundle}{HASH_FILE}"), bytes: hash.into_bytes() });
    out.sort_by(|a, b| a.path.cmp(&b.path));
    Ok((out, false))
}

/// What the index depends on: the language and the indexed pages, byte for byte.
fn content_hash(language: &str, pages: &[&OutputFile]) -> String {
    let mut hasher = Sha256::new();
    hasher.update(env!("CARGO_PKG_VERSION").as_bytes());
    hasher.update(language.as_bytes());
    for page in pages {
        hasher.update(page.path.as_bytes());
        hasher.update((page.bytes.len() as u64).to_le_bytes());
        hasher.update(&page.bytes);
    }
    hasher.finalize().iter().map(|b| format!("{b:02x}")).collect()
}

/// The bundle of the previous build, if it was built from the same pages (or, without a
/// `hash` to match, whatever it was built from).
fn previous_bundle(site: &Path, bundle: &str, hash: Option<&str>) -> Option<Vec<OutputFile>> {
    let dir = site.join(bundle);
    let recorded = std::fs::read_to_string(dir.join(HASH_FILE)).ok()?;
    if hash.is_some_and(|hash| hash != recorded) {
        return None;
    }
    let mut files = Vec::new();
    for entry in walkdir::WalkDir::new(&dir).sort_by_file_name() {
        let entry = entry.ok()?;
        if entry.file_type().is_file() {
            let rel = entry.path().strip_prefix(&dir).ok()?;
            files.push(OutputFile {
                path: format!("{bundle}{}", slash_path(rel)),
                bytes: std::fs::read(entry.path()).ok()?,
            });
        }
    }
    Some(files)
}

fn slash_path(path: &Path) -> String {
    let path: PathBuf = path.components().collect();
    path.to_string_lossy().replace('\\', "/")
}
