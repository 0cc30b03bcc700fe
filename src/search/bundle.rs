//! One shard's Pagefind bundle: indexed from its pages, or taken from the previous site when
//! those pages did not change.

use std::path::{Path, PathBuf};

use anyhow::{Context, Result};
use sha2::{Digest, Sha256};

use super::{EditionPages, Page};
use crate::output::OutputFile;

/// Records, in each shard's folder, what the shard was built from.
const HASH_FILE: &str = "touchbook-index.hash";
/// How many pages are read and trimmed ahead of Pagefind: enough that it never waits.
const PAGES_READ_AHEAD: usize = 32;

/// A part of an edition's pages with a bundle of its own.
pub(super) struct Shard<'a> {
    pub edition: &'a EditionPages<'a>,
    /// 0 for the first shard, whose folder also holds Pagefind's script and WebAssembly.
    pub number: usize,
    /// The shard's folder in the site, ending in `/`.
    pub dir: String,
    pub pages: &'a [Page<'a>],
}

impl Shard<'_> {
    /// The shard's files from `previous_site` if they were built from the same pages (or from
    /// any pages when `keep_previous` is set), with the content hash when it had to be worked
    /// out to compare. Without a previous bundle there is nothing to compare with: the pages
    /// are not read here, and [`Shard::index`] hashes them as it reads them.
    pub(super) fn previous_bundle(
        &self,
        previous_site: Option<&Path>,
        keep_previous: bool,
    ) -> Result<(Option<String>, Option<Vec<OutputFile>>)> {
        let Some(site) = previous_site else { return Ok((None, None)) };
        let Ok(record) = std::fs::read_to_string(site.join(&self.dir).join(HASH_FILE)) else {
            return Ok((None, None));
        };
        let (recorded, manifest) = record.split_once('\n').unwrap_or((record.as_str(), ""));
        if keep_previous {
            return Ok((None, self.previous(site, manifest)));
        }
        let hash = self.content_hash()?;
        let files = if hash == recorded { self.previous(site, manifest) } else { None };
        Ok((Some(hash), files))
    }

    /// Indexes the shard's pages anew, and records their content hash beside the bundle for
    /// the next build to compare: `hash` if [`Shard::previous_bundle`] worked it out, else made
    /// from the pages as they are read for Pagefind, so each page is read once.
    ///
    /// Pagefind reads one page at a time, on one core; a thread of the shard's own reads,
    /// hashes and trims the next pages meanwhile ([`readable_part`]), a few pages ahead.
    pub(super) fn index(&self, hash: Option<String>) -> Result<Vec<OutputFile>> {
        let language = self.edition.language.to_string();
        let runtime =
            tokio::runtime::Builder::new_current_thread().enable_all().build().context("cannot start the indexer")?;
        let (files, hash) = std::thread::scope(|scope| -> Result<_> {
            let (sender, prepared) = std::sync::mpsc::sync_channel(PAGES_READ_AHEAD);
            let reader = std::thread::Builder::new()
                .name("touchbook-search-reader".into())
                .spawn_scoped(scope, move || {
                    let mut hasher = hash.is_none().then(|| self.hasher());
                    for &page in self.pages {
                        let url = page.path().strip_prefix(self.edition.prefix).unwrap_or(page.path()).to_string();
                        let html = page.indexed_part().map(|part| {
                            if let Some(hasher) = &mut hasher {
                                hash_page(hasher, page, &part);
                            }
                            (url, readable_part(&part))
                        });
                        let failed = html.is_err();
                        if sender.send(html).is_err() || failed {
                            return None; // Indexing stops at the error; it is reported there.
                        }
                    }
                    hash.or_else(|| hasher.map(hex))
                })
                .context("cannot start a thread to read the pages for the search index")?;
            let files = runtime.block_on(async move {
                let options = pagefind::options::PagefindServiceConfig::builder()
                    .keep_index_url(true)
                    .force_language(language)
                    .build();
                let mut index = pagefind::api::PagefindIndex::new(Some(options))?;
                // Waiting on the reader blocks this runtime, which runs nothing else.
                for page in prepared {
                    let (url, html) = page?;
                    index.add_html_file(None, Some(url), html).await?;
                }
                index.get_files().await
            })?;
            let hash = reader.join().ok().flatten().context("the search index's page reader stopped")?;
            Ok((files, hash))
        })?;
        let mut out: Vec<OutputFile> = files
            .into_iter()
            .map(|file| (slash_path(&file.filename), file.contents))
            .filter(|(name, _)| self.number == 0 || is_index_file(name))
            .map(|(name, bytes)| OutputFile { path: format!("{}{name}", self.dir), bytes })
            .collect();
        let record = format!("{hash}\n{}", manifest(&self.dir, &out));
        out.push(OutputFile { path: format!("{}{HASH_FILE}", self.dir), bytes: record.into_bytes() });
        Ok(out)
    }

    /// What the bundle depends on: the language, whether it carries the script, and the
    /// shard's pages, byte for byte from where the indexed part starts.
    fn content_hash(&self) -> Result<String> {
        let mut hasher = self.hasher();
        for &page in self.pages {
            hash_page(&mut hasher, page, &page.indexed_part()?);
        }
        Ok(hex(hasher))
    }

    /// A content hash begun with what the bundle depends on besides its pages.
    fn hasher(&self) -> Sha256 {
        let mut hasher = Sha256::new();
        hasher.update(env!("CARGO_PKG_VERSION").as_bytes());
        hasher.update(self.edition.language.as_bytes());
        hasher.update([u8::from(self.number == 0)]);
        hasher
    }

    /// The shard's bundle in the previous site, if it is whole: exactly the files its record
    /// lists, each with the recorded checksum (a bundle damaged or cut short since is made
    /// anew). The first shard's folder holds the others' folders; they are not part of it.
    fn previous(&self, site: &Path, recorded: &str) -> Option<Vec<OutputFile>> {
        let dir = site.join(&self.dir);
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
        let bundle: Vec<OutputFile> = files.iter().filter(|f| !f.path.ends_with(HASH_FILE)).cloned().collect();
        (!recorded.is_empty() && manifest(&self.dir, &bundle) == recorded).then_some(files)
    }
}

/// A checksum line per file of a bundle (paths within the shard's folder, sorted), recorded
/// after the content hash so that reuse can tell a whole bundle from a damaged one.
fn manifest(dir: &str, files: &[OutputFile]) -> String {
    let mut lines: Vec<String> = files
        .iter()
        .map(|f| format!("{} {}", hex(Sha256::new_with_prefix(&f.bytes)), f.path.strip_prefix(dir).unwrap_or(&f.path)))
        .collect();
    lines.sort_by(|a, b| a[65..].cmp(&b[65..]));
    lines.iter().map(|line| format!("{line}\n")).collect()
}

/// Adds one page to a shard's content hash: its path, and its indexed part with its length.
fn hash_page(hasher: &mut Sha256, page: Page<'_>, indexed: &[u8]) {
    hasher.update(page.path().as_bytes());
    hasher.update((indexed.len() as u64).to_le_bytes());
    hasher.update(indexed);
}

/// The finished content hash as lowercase hex, as `touchbook-index.hash` records it.
fn hex(hasher: Sha256) -> String {
    hasher.finalize().iter().map(|b| format!("{b:02x}")).collect()
}

/// The indexed part of a page as the document Pagefind reads, without the elements marked
/// `data-pagefind-ignore="all"`, which Pagefind skips whole (the theme marks so the cards,
/// scales and timelines inside item pages). The head, navigation and search box before the
/// indexed part and those elements would only be parsed and thrown away on the core Pagefind
/// works on: trimmed here, on another, and the index is the same byte for byte. It pays while
/// shards take turns and a core is free to trim.
fn readable_part(part: &[u8]) -> String {
    let html = format!("<html><body>{}", String::from_utf8_lossy(part));
    // Pagefind indexes an element marked as the body even if it is also marked ignored.
    let skipped = lol_html::element!("[data-pagefind-ignore=\"all\" i]:not([data-pagefind-body])", |element| {
        element.remove();
        Ok(())
    });
    // A page lol_html cannot rewrite goes to Pagefind whole, which parses it with the same
    // library and reports what is wrong.
    lol_html::rewrite_str(&html, lol_html::RewriteStrSettings::new().append_element_content_handler(skipped))
        .unwrap_or(html)
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::search::EditionPages;

    /// An item page's indexed part as the default theme marks it: a filter inside an element
    /// that is ignored for indexing only, cards and scales inside elements ignored whole.
    const PAGE: &str = r#"<article data-pagefind-body>
<p class="breadcrumb" data-pagefind-ignore><a href="../index.html">Touch points</a> › <span data-pagefind-filter="stage">Support</span></p>
<h1 data-pagefind-meta="title" data-pagefind-weight="10">Refund at the desk</h1>
<div data-pagefind-ignore="ALL"><dl class="scales"><div><dt>Frequency</dt><dd>Daily</dd></div></dl></div>
<section id="situation"><h2 id="h-situation">Situation</h2><div class="prose"><p>A customer asks for a refund of a damaged parcel.</p></div></section>
<section aria-labelledby="h-related" data-pagefind-ignore="all"><h2 id="h-related">Related situations</h2><ul><li><a href="late.html">Late delivery</a></li></ul></section>
<footer><dl><div><dt>Owner</dt><dd>Desk team</dd></div></dl></footer>
</article>
</main><footer class="site-footer"><p>Built with touchbook</p></footer>"#;

    /// The files Pagefind makes of one page, and how many words it indexed.
    fn pagefind_bundle(html: String) -> (u32, Vec<(PathBuf, Vec<u8>)>) {
        let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
        runtime.block_on(async {
            let options = pagefind::options::PagefindServiceConfig::builder()
                .keep_index_url(true)
                .force_language("en".into())
                .build();
            let mut index = pagefind::api::PagefindIndex::new(Some(options)).unwrap();
            let added = index.add_html_file(None, Some("touchpoints/refund.html".into()), html).await.unwrap();
            let mut files: Vec<_> =
                index.get_files().await.unwrap().into_iter().map(|file| (file.filename, file.contents)).collect();
            files.sort();
            (added.page_word_count, files)
        })
    }

    #[test]
    fn trimming_removes_only_what_pagefind_skips_whole() {
        let trimmed = readable_part(PAGE.as_bytes());
        for skipped in ["Frequency", "Related situations", "Late delivery"] {
            assert!(!trimmed.contains(skipped), "{skipped:?} is still in {trimmed}");
        }
        // Elements ignored for indexing only stay: their filters and metadata count.
        assert!(trimmed.contains(r#"<span data-pagefind-filter="stage">Support</span>"#));
        assert!(trimmed.contains("<p>A customer asks for a refund of a damaged parcel.</p>"));
        assert!(trimmed.starts_with("<html><body><article data-pagefind-body>"));
    }

    #[test]
    fn pagefind_makes_the_same_index_of_the_trimmed_page_as_of_the_whole_one() {
        // The body itself marked ignored is still indexed by Pagefind, so it is kept.
        let body_marked_ignored =
            PAGE.replace("<article data-pagefind-body>", r#"<article data-pagefind-body data-pagefind-ignore="all">"#);
        for page in [PAGE, body_marked_ignored.as_str()] {
            let (whole_words, whole) = pagefind_bundle(format!("<html><body>{page}"));
            let (trimmed_words, trimmed) = pagefind_bundle(readable_part(page.as_bytes()));
            assert!(whole_words >= 10, "the page was indexed: {whole_words} words");
            assert_eq!(trimmed_words, whole_words);
            assert_eq!(trimmed, whole);
        }
    }

    /// Paths `touchpoints/a.html`, `b.html`, ... of pages written into `folder` with these
    /// contents (`None`: listed but not written), as a build lists them.
    fn written_pages(folder: &Path, contents: &[Option<String>]) -> Vec<String> {
        std::fs::create_dir_all(folder.join("touchpoints")).unwrap();
        (b'a'..)
            .zip(contents)
            .map(|(letter, content)| {
                let path = format!("touchpoints/{}.html", letter as char);
                if let Some(content) = content {
                    std::fs::write(folder.join(&path), content).unwrap();
                }
                path
            })
            .collect()
    }

    /// The pages at `paths` below `folder`, as one edition.
    fn edition<'a>(folder: &'a Path, paths: &'a [String]) -> EditionPages<'a> {
        let pages = paths.iter().map(|path| Page::Written { folder, path }).collect();
        EditionPages { prefix: "", language: "en", pages }
    }

    fn first_shard<'a>(edition: &'a EditionPages<'a>) -> Shard<'a> {
        Shard { edition, number: 0, dir: "pagefind/".to_string(), pages: &edition.pages }
    }

    #[test]
    fn a_page_that_cannot_be_read_back_stops_indexing_with_its_path() {
        let folder = tempfile::tempdir().unwrap();
        let pages = written_pages(folder.path(), &[Some(PAGE.to_string()), None]);
        let edition = edition(folder.path(), &pages);
        let shard = first_shard(&edition);
        let error = format!("{:#}", shard.index(None).unwrap_err());
        assert!(error.contains("cannot read") && error.contains("b.html"), "{error}");
    }

    #[test]
    fn the_hash_made_while_indexing_is_the_one_a_later_build_compares_with() {
        let folder = tempfile::tempdir().unwrap();
        let pages = written_pages(folder.path(), &[Some(PAGE.to_string()), Some(PAGE.replace("Refund", "Exchange"))]);
        let edition = edition(folder.path(), &pages);
        let shard = first_shard(&edition);
        let files = shard.index(None).unwrap();
        let recorded = files.iter().find(|file| file.path == format!("pagefind/{HASH_FILE}")).unwrap();
        let recorded = String::from_utf8_lossy(&recorded.bytes).lines().next().unwrap().to_string();
        assert_eq!(recorded, shard.content_hash().unwrap());

        // Written as a previous site, the bundle is taken as it is while the pages stay the same.
        let site = tempfile::tempdir().unwrap();
        for file in &files {
            let path = site.path().join(&file.path);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(path, &file.bytes).unwrap();
        }
        let (hash, reused) = shard.previous_bundle(Some(site.path()), false).unwrap();
        assert_eq!(hash.as_deref(), Some(recorded.as_str()));
        assert_eq!(reused.map(|files| files.len()), Some(files.len()));

        // A bundle file damaged or removed since is not reused, though the pages are the same.
        let fragment = files.iter().find(|f| f.path.ends_with(".pf_fragment")).unwrap();
        std::fs::write(site.path().join(&fragment.path), b"damaged").unwrap();
        assert!(shard.previous_bundle(Some(site.path()), false).unwrap().1.is_none());
        std::fs::remove_file(site.path().join(&fragment.path)).unwrap();
        assert!(shard.previous_bundle(Some(site.path()), false).unwrap().1.is_none());
        std::fs::write(site.path().join(&fragment.path), &fragment.bytes).unwrap();
        assert!(shard.previous_bundle(Some(site.path()), false).unwrap().1.is_some());

        std::fs::write(folder.path().join("touchpoints/b.html"), PAGE.replace("Refund", "Repair")).unwrap();
        assert!(shard.previous_bundle(Some(site.path()), false).unwrap().1.is_none());
    }
}
