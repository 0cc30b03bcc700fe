//! The small harness every test goes through: copy a fixture, run the binary, read the site.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Output;
use std::sync::{Mutex, OnceLock};

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::{Child, Stdio};
use std::time::{Duration, Instant};

use assert_cmd::Command;
use tempfile::TempDir;

/// The build date used by every test (2026-11-01), so review and plan pages are stable.
pub const SOURCE_DATE_EPOCH: &str = "1793491200";

pub fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures")
}

/// A copy of `tests/fixtures/<name>` in a fresh temporary folder.
pub fn fixture(name: &str) -> TempDir {
    let dir = tempfile::tempdir().expect("temporary folder");
    copy_tree(&fixtures().join(name), dir.path());
    dir
}

/// The base fixture with the files of `tests/fixtures/errors/<case>/` laid over it.
pub fn error_case(case: &str) -> TempDir {
    let dir = fixture("base");
    copy_tree(&fixtures().join("errors").join(case), dir.path());
    dir
}

pub fn copy_tree(from: &Path, to: &Path) {
    for entry in walkdir::WalkDir::new(from) {
        let entry = entry.expect("readable fixture");
        let target = to.join(entry.path().strip_prefix(from).unwrap());
        if entry.file_type().is_dir() {
            std::fs::create_dir_all(&target).unwrap();
        } else {
            std::fs::copy(entry.path(), &target).unwrap();
        }
    }
}

/// A fixture built once for the whole test run, for the tests that only read its site.
pub struct Built {
    /// The copy of the fixture that was built.
    pub root: PathBuf,
    /// Its site: `root/site`.
    pub site: PathBuf,
}

/// The site of `tests/fixtures/<name>` as `touchbook build` writes it, built by the first test
/// that asks and shared with every later one (each fixture once per test process). Tests must
/// not change anything below `root`; a test that edits the playbook takes its own `fixture`.
pub fn shared_build(name: &'static str) -> &'static Built {
    shared(name, || {
        let dir = fixture(name);
        let site = build_ok(dir.path());
        let root = dir.keep();
        remove_at_exit(root.clone());
        Built { root, site }
    })
}

/// The repository's example playbook (`book.toml`, `content/`) built once per test process into
/// a temporary folder; `root` is the repository, which tests only read.
pub fn shared_example() -> &'static Built {
    shared("the example", || {
        let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
        let out = tempfile::tempdir().expect("temporary folder").keep();
        remove_at_exit(out.clone());
        let site = out.join("site");
        let output = run(repo, &["build", "--output", site.to_str().unwrap()]);
        assert!(output.status.success(), "{}", stderr(&output));
        Built { root: repo.to_path_buf(), site }
    })
}

/// The build `key` names, made by `build` on first use.
fn shared(key: &'static str, build: impl FnOnce() -> Built) -> &'static Built {
    // One cell per build, so that making one does not hold up the tests of another.
    static CELLS: Mutex<BTreeMap<&str, &OnceLock<Built>>> = Mutex::new(BTreeMap::new());
    let cell: &'static OnceLock<Built> =
        CELLS.lock().unwrap_or_else(|e| e.into_inner()).entry(key).or_insert_with(|| Box::leak(Box::default()));
    cell.get_or_init(build)
}

/// Statics are never dropped, so the shared builds' folders are removed when the test process
/// exits (where the C library runs its exit handlers, as the test harness's exit does).
#[cfg(unix)]
fn remove_at_exit(dir: PathBuf) {
    static FOLDERS: Mutex<Vec<PathBuf>> = Mutex::new(Vec::new());
    static REGISTERED: std::sync::Once = std::sync::Once::new();
    extern "C" fn remove_all() {
        if let Ok(mut folders) = FOLDERS.try_lock() {
            for folder in folders.drain(..) {
                let _ = std::fs::remove_dir_all(folder);
            }
        }
    }
    // SAFETY: `remove_all` is a plain `extern "C"` function that neither unwinds nor relies on
    // anything torn down before exit handlers run.
    REGISTERED.call_once(|| unsafe {
        libc::atexit(remove_all);
    });
    FOLDERS.lock().unwrap_or_else(|e| e.into_inner()).push(dir);
}

/// Elsewhere the folders stay in the temporary folder, which the system cleans.
#[cfg(not(unix))]
fn remove_at_exit(_dir: PathBuf) {}

/// Runs `touchbook ARGS` in `dir` with the fixed build date.
pub fn run(dir: &Path, args: &[&str]) -> Output {
    Command::cargo_bin("touchbook")
        .expect("the touchbook binary")
        .current_dir(dir)
        .env("SOURCE_DATE_EPOCH", SOURCE_DATE_EPOCH)
        .args(args)
        .output()
        .expect("touchbook runs")
}

pub fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

pub fn stdout(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

/// Builds the playbook in `dir` and fails the test with the messages if it did not succeed.
pub fn build_ok(dir: &Path) -> PathBuf {
    let output = run(dir, &["build"]);
    assert!(output.status.success(), "build failed:\n{}", stderr(&output));
    dir.join("site")
}

pub fn read(path: impl AsRef<Path>) -> String {
    let path = path.as_ref();
    std::fs::read_to_string(path).unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()))
}

/// Every file below `dir` with its bytes, for byte-for-byte comparisons.
pub fn tree(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .map(Result::unwrap)
        .filter(|e| e.file_type().is_file())
        .map(|e| (e.path().strip_prefix(dir).unwrap().to_string_lossy().into_owned(), std::fs::read(e.path()).unwrap()))
        .collect()
}

/// An element of a page as a browser reads it: entities decoded, text as one line.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Element {
    pub name: String,
    pub attributes: BTreeMap<String, String>,
    /// All the text inside, runs of white space made one space, trimmed.
    pub text: String,
}

impl Element {
    pub fn attr(&self, name: &str) -> Option<&str> {
        self.attributes.get(name).map(String::as_str)
    }

    pub fn has(&self, name: &str) -> bool {
        self.attributes.contains_key(name)
    }

    /// The element's classes, as `class="a b"` lists them.
    pub fn classes(&self) -> Vec<&str> {
        self.attr("class").map_or(Vec::new(), |c| c.split_whitespace().collect())
    }
}

fn selector(css: &str) -> scraper::Selector {
    scraper::Selector::parse(css).unwrap_or_else(|e| panic!("bad selector {css:?}: {e}"))
}

fn element(found: scraper::ElementRef) -> Element {
    let value = found.value();
    Element {
        name: value.name().to_string(),
        attributes: value.attrs().map(|(k, v)| (k.to_string(), v.to_string())).collect(),
        text: found.text().collect::<String>().split_whitespace().collect::<Vec<_>>().join(" "),
    }
}

/// Every element of `html` (a page or a fragment of one) matching the CSS `selector`, in page order.
pub fn select(html: &str, css: &str) -> Vec<Element> {
    scraper::Html::parse_document(html).select(&selector(css)).map(element).collect()
}

/// The elements matching `inner` inside the first element matching `outer` that `which`
/// accepts (a table row by its heading, a card by its title); fails the test if none does.
pub fn within(html: &str, outer: &str, which: impl Fn(&Element) -> bool, inner: &str) -> Vec<Element> {
    let page = scraper::Html::parse_document(html);
    let found = page.select(&selector(outer)).find(|e| which(&element(*e)));
    let found = found.unwrap_or_else(|| panic!("no {outer} as expected among {:?}", select(html, outer)));
    found.select(&selector(inner)).map(element).collect()
}

/// For every element matching `outer` (each row of a table, say), the elements matching `inner`
/// inside it.
pub fn each_within(html: &str, outer: &str, inner: &str) -> Vec<Vec<Element>> {
    let page = scraper::Html::parse_document(html);
    let inner = selector(inner);
    page.select(&selector(outer)).map(|o| o.select(&inner).map(element).collect()).collect()
}

/// Where `item` is in `list` (for assertions on order); fails the test if it is not there.
pub fn position(list: &[String], item: &str) -> usize {
    list.iter().position(|i| i == item).unwrap_or_else(|| panic!("{item:?} not in {list:?}"))
}

/// The one element matching `selector`; fails the test if there are none or several.
pub fn one(html: &str, css: &str) -> Element {
    let mut found = select(html, css);
    assert_eq!(found.len(), 1, "one {css} expected, found {found:?}");
    found.pop().unwrap()
}

/// The text of the one element matching `selector`.
pub fn text_of(html: &str, css: &str) -> String {
    one(html, css).text
}

/// The text of every element matching `selector`, in page order.
pub fn texts(html: &str, css: &str) -> Vec<String> {
    select(html, css).into_iter().map(|e| e.text).collect()
}

/// The text of every element matching `selector` with its white space as written (a `pre`).
pub fn preformatted(html: &str, css: &str) -> Vec<String> {
    scraper::Html::parse_document(html).select(&selector(css)).map(|e| e.text().collect()).collect()
}

/// The value of attribute `name` of every element matching `selector` that has it.
pub fn attributes(html: &str, css: &str, name: &str) -> Vec<String> {
    select(html, css).into_iter().filter_map(|mut e| e.attributes.remove(name)).collect()
}

/// Every link of a page (`a[href]`): its address and its text.
pub fn links(html: &str) -> Vec<(String, String)> {
    select(html, "a[href]").into_iter().map(|mut a| (a.attributes.remove("href").unwrap(), a.text)).collect()
}

/// Whether the page links to `href` (any `a` element).
pub fn links_to(html: &str, href: &str) -> bool {
    links(html).iter().any(|(h, _)| h == href)
}

/// Every relative `href`/`src` of every HTML page that points to a missing file.
pub fn broken_links(site: &Path) -> Vec<String> {
    let mut broken = Vec::new();
    for (path, bytes) in tree(site) {
        if !path.ends_with(".html") {
            continue;
        }
        let html = String::from_utf8(bytes).unwrap();
        let page_dir = site.join(&path).parent().unwrap().to_path_buf();
        let found = select(&html, "[href], [src]");
        for link in found.iter().flat_map(|e| [e.attr("href"), e.attr("src")]).flatten() {
            if link.is_empty()
                || link.starts_with('#')
                || link.contains("://")
                || link.starts_with("mailto:")
                || link.starts_with('?')
            {
                continue;
            }
            let file = link.split(['#', '?']).next().unwrap();
            let target = page_dir.join(file);
            let exists = if file.ends_with('/') || file.is_empty() {
                target.join("index.html").is_file()
            } else {
                target.is_file()
            };
            if !exists {
                broken.push(format!("{path}: {link}"));
            }
        }
    }
    broken
}

/// A running `touchbook serve`, stopped when dropped.
pub struct Server {
    child: Child,
    pub address: String,
}

impl Server {
    pub fn start(dir: &Path) -> Server {
        Server::start_binary(&assert_cmd::cargo::cargo_bin("touchbook"), dir, Duration::from_secs(60))
    }

    /// Starts `serve` from a given binary (benchmarks use the release build), waiting up to
    /// `patience` for the first build.
    pub fn start_binary(binary: &Path, dir: &Path, patience: Duration) -> Server {
        Server::spawn(binary, dir, patience, &[])
    }

    /// Starts `serve` with extra environment variables.
    pub fn start_with_env(dir: &Path, env: &[(&str, &str)]) -> Server {
        Server::spawn(&assert_cmd::cargo::cargo_bin("touchbook"), dir, Duration::from_secs(60), env)
    }

    fn spawn(binary: &Path, dir: &Path, patience: Duration, env: &[(&str, &str)]) -> Server {
        let mut child = std::process::Command::new(binary)
            .current_dir(dir)
            .env("SOURCE_DATE_EPOCH", SOURCE_DATE_EPOCH)
            .envs(env.iter().copied())
            .args(["serve", "--port", "0"])
            .stderr(Stdio::piped())
            .spawn()
            .expect("touchbook serve starts");
        let stderr = child.stderr.take().unwrap();
        let (tx, rx) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            for line in BufReader::new(stderr).lines().map_while(Result::ok) {
                if let Some(rest) = line.split("at http://").nth(1) {
                    let _ = tx.send(rest.split('/').next().unwrap().to_string());
                }
            }
        });
        let address = rx.recv_timeout(patience).expect("serve prints its address");
        Server { child, address }
    }

    /// A raw HTTP/1.1 GET (the path is sent exactly as given), returning status and body.
    pub fn get(&self, path: &str) -> (u16, String) {
        let mut stream = TcpStream::connect(&self.address).unwrap();
        stream.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
        write!(stream, "GET {path} HTTP/1.1\r\nHost: {}\r\nConnection: close\r\n\r\n", self.address).unwrap();
        let mut response = String::new();
        stream.read_to_string(&mut response).unwrap();
        let status = response.split(' ').nth(1).and_then(|s| s.parse().ok()).unwrap_or(0);
        (status, response)
    }

    /// Polls `path` until `predicate` holds or ten seconds pass.
    pub fn wait_for(&self, path: &str, predicate: impl Fn(&str) -> bool) -> String {
        let start = Instant::now();
        loop {
            let (_, body) = self.get(path);
            if predicate(&body) || start.elapsed() > Duration::from_secs(10) {
                return body;
            }
            std::thread::sleep(Duration::from_millis(50));
        }
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
