//! One shard's Pagefind bundle: indexed from its pages, or taken from the previous site when
//! those pages did not change.

use std::path::{Path, PathBuf};

use anyhow::{Context, Result};
use sha2::{Digest, Sha256};

use super::{EditionPages, PageText};
use crate::render::OutputFile;

/// Records, in each shard's folder, what the shard was built from.
const HASH_FILE: &str = "touchbook-index.hash";

/// A part of an edition's pages with a bundle of its own.
pub struct Shard<'a> {
    pub edition: &'a EditionPages<'a>,
    pub text: PageText<'a>,
    /// 0 for the first shard, whose folder also holds Pagefind's script and WebAssembly.
    pub number: usize,
    /// The shard's folder in the site, ending in `/`.
    pub dir: String,
    pub pages: &'a [&'a OutputFile],
}

impl Shard<'_> {
    /// The shard's content hash, and its files from `previous_site` if they were built from
    /// the same pages (or from any pages when `keep_previous` is set).
    pub fn previous_bundle(
        &self,
        previous_site: Option<&Path>,
        keep_previous: bool,
    ) -> Result<(String, Option<Vec<OutputFile>>)> {
        let hash = self.content_hash()?;
        let wanted = if keep_previous { None } else { Some(hash.as_str()) };
        let files = previous_site.and_then(|site| self.previous(site, wanted));
        Ok((hash, files))
    }

    /// Indexes the shard's pages anew; `hash` (from [`Shard::previous_bundle`]) is recorded
    /// beside the bundle for the next build to compare.
    pub fn index(&self, hash: String) -> Result<Vec<OutputFile>> {
        let language = self.edition.language.to_string();
        let prefix = self.edition.prefix;
        let runtime =
            tokio::runtime::Builder::new_current_thread().enable_all().build().context("cannot start the indexer")?;
        let files = runtime.block_on(async {
            let options = pagefind::options::PagefindServiceConfig::builder()
                .keep_index_url(true)
                .force_language(language)
                .build();
            let mut index = pagefind::api::PagefindIndex::new(Some(options))?;
            for page in self.pages {
                let url = page.path.strip_prefix(prefix).unwrap_or(&page.path).to_string();
                let html = readable_part(&self.text.indexed_part(page)?);
                index.add_html_file(None, Some(url), html).await?;
            }
            index.get_files().await
        })?;
        let mut out: Vec<OutputFile> = files
            .into_iter()
            .map(|file| (slash_path(&file.filename), file.contents))
            .filter(|(name, _)| self.number == 0 || is_index_file(name))
            .map(|(name, bytes)| OutputFile { path: format!("{}{name}", self.dir), bytes })
            .collect();
        out.push(OutputFile { path: format!("{}{HASH_FILE}", self.dir), bytes: hash.into_bytes() });
        Ok(out)
    }

    /// What the bundle depends on: the language, whether it carries the script, and the
    /// shard's pages, byte for byte from where the indexed part starts.
    fn content_hash(&self) -> Result<String> {
        let mut hasher = Sha256::new();
        hasher.update(env!("CARGO_PKG_VERSION").as_bytes());
        hasher.update(self.edition.language.as_bytes());
        hasher.update([u8::from(self.number == 0)]);
        for page in self.pages {
            let indexed = self.text.indexed_part(page)?;
            hasher.update(page.path.as_bytes());
            hasher.update((indexed.len() as u64).to_le_bytes());
            hasher.update(&indexed);
        }
        Ok(hasher.finalize().iter().map(|b| format!("{b:02x}")).collect())
    }

    /// The shard's bundle in the previous site, if it was built from the same pages (or, without
    /// a `hash` to match, whatever it was built from). The first shard's folder holds the
    /// others' folders; they are not part of it.
    fn previous(&self, site: &Path, hash: Option<&str>) -> Option<Vec<OutputFile>> {
        let dir = site.join(&self.dir);
        let recorded = std::fs::read_to_string(dir.join(HASH_FILE)).ok()?;
        if hash.is_some_and(|hash| hash != recorded) {
            return None;
        }
        let mut files = Vec::new();
        let walk = walkdir::WalkDir::new(&dir)
            .sort_by_file_name()
            .into_iter()
            .filter_entry(|entry| entry.depth() != 1 || !is_other_shards(entry));
        for entry in walk {
            let entry = entry.ok()?;
            if entry.file_type().is_file() {
                let rel = entry.path().strip_prefix(&dir).ok()?;
                files.push(OutputFile {
                    path: format!("{}{}", self.dir, slash_path(rel)),
                    bytes: std::fs::read(entry.path()).ok()?,
                });
            }
        }
        Some(files)
    }
}

/// The indexed part of a page as the document Pagefind reads. The head, navigation and search
/// box before it (a third of a touch point page) would only be parsed and thrown away; the
/// index is the same byte for byte.
fn readable_part(part: &[u8]) -> String {
    format!("<html><body>{}", String::from_utf8_lossy(part))
}

/// A shard's own files: its entry point, metadata, word index, fragments and filters. The
/// script, styles and WebAssembly come from the first shard.
fn is_index_file(name: &str) -> bool {
    name == "pagefind-entry.json"
        || [".pf_meta", ".pf_index", ".pf_fragment", ".pf_filter"].iter().any(|ext| name.ends_with(ext))
}

/// In the first shard's folder: the other shards' folders and their list, which are not part
/// of the first shard's bundle.
fn is_other_shards(entry: &walkdir::DirEntry) -> bool {
    let name = entry.file_name().to_str().unwrap_or_default();
    (entry.file_type().is_dir() && name.starts_with("shard-")) || name == super::SHARDS_FILE
}

fn slash_path(path: &Path) -> String {
    let path: PathBuf = path.components().collect();
    path.to_string_lossy().replace('\\', "/")
}
