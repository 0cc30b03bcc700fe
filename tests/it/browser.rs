//! Real-browser tests: Debian's headless Chromium driven over WebDriver (chromedriver, with the
//! fantoccini client). In CI (`CI` set) a missing or broken Chromium fails the tests; on a
//! developer's machine without it they are skipped with a message.

use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use fantoccini::{Client, ClientBuilder};
use serde_json::{json, Value};

use crate::support::*;

/// A headless Chromium session, closed (with its driver) when dropped.
pub struct Browser {
    runtime: tokio::runtime::Runtime,
    client: Option<Client>,
    driver: Child,
    _profile: tempfile::TempDir,
}

impl Browser {
    /// Starts chromedriver and a headless Chromium, or returns `None` (outside CI only) when
    /// they are not installed.
    pub fn start() -> Option<Browser> {
        let installed = Path::new("/usr/bin/chromium").exists() && Path::new("/usr/bin/chromedriver").exists();
        if !installed {
            assert!(
                std::env::var_os("CI").is_none(),
                "CI must run the browser tests: install chromium and chromium-driver"
            );
            eprintln!("skipping a browser test: install Debian's chromium and chromium-driver to run it");
            return None;
        }
        let port = TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
        let driver = Command::new("/usr/bin/chromedriver")
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("chromedriver starts");
        let profile = tempfile::tempdir().unwrap();
        let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
        let args = [
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-dev-shm-usage",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
            &format!("--user-data-dir={}", profile.path().display()),
        ];
        let capabilities = json!({
            "browserName": "chrome",
            "goog:chromeOptions": { "binary": "/usr/bin/chromium", "args": args },
            "goog:loggingPrefs": { "browser": "ALL" },
        });
        let capabilities = capabilities.as_object().unwrap().clone();
        let url = format!("http://127.0.0.1:{port}");
        let started = Instant::now();
        let client = loop {
            let connector = hyper_util::client::legacy::connect::HttpConnector::new();
            match runtime.block_on(ClientBuilder::new(connector).capabilities(capabilities.clone()).connect(&url)) {
                Ok(client) => break client,
                Err(error) if started.elapsed() > Duration::from_secs(30) => panic!("Chromium did not start: {error}"),
                Err(_) => std::thread::sleep(Duration::from_millis(100)),
            }
        };
        Some(Browser { runtime, client: Some(client), driver, _profile: profile })
    }

    fn client(&self) -> &Client {
        self.client.as_ref().unwrap()
    }

    /// Opens `url` and waits until the page has loaded, its deferred scripts run (chromedriver
    /// sometimes answers while the page is still loading).
    pub fn goto(&self, url: &str) {
        self.runtime.block_on(self.client().goto(url)).unwrap_or_else(|e| panic!("cannot open {url}: {e}"));
        assert!(self.wait_until("return document.readyState === 'complete'"), "{url} loads");
    }

    pub fn size(&self, width: u32, height: u32) {
        self.runtime.block_on(self.client().set_window_size(width, height)).unwrap();
    }

    /// Makes the page's viewport `width` × `height` CSS pixels, as on a phone of that size: the
    /// window is made larger by what the browser's own frame takes.
    pub fn viewport(&self, width: u32, height: u32) {
        self.size(width, height);
        let inner = self.js("return [window.innerWidth, window.innerHeight]");
        let frame = |i: usize, asked: u32| asked + asked.saturating_sub(inner[i].as_u64().unwrap_or(0) as u32);
        self.size(frame(0, width), frame(1, height));
    }

    /// Shows pages as the reader's system would in dark mode (`prefers-color-scheme`), or light.
    pub fn color_scheme(&self, dark: bool) {
        let scheme = if dark { "dark" } else { "light" };
        self.devtools(
            "Emulation.setEmulatedMedia",
            json!({ "features": [{ "name": "prefers-color-scheme", "value": scheme }] }),
        );
    }

    /// Turns JavaScript off (or on again) for the pages opened next.
    pub fn scripts(&self, enabled: bool) {
        self.devtools("Emulation.setScriptExecutionDisabled", json!({ "value": !enabled }));
    }

    /// Sends a Chrome DevTools Protocol command through chromedriver.
    fn devtools(&self, command: &'static str, params: Value) {
        self.runtime
            .block_on(self.client().issue_cmd(DevTools { command, params }))
            .unwrap_or_else(|e| panic!("{command}: {e}"));
    }

    /// Sends keys to the element that has the focus (WebDriver's key codes: `\u{E007}` Enter,
    /// `\u{E00C}` Escape).
    pub fn press(&self, keys: &str) {
        self.runtime.block_on(async {
            let element = self.client().active_element().await.expect("an element has the focus");
            element.send_keys(keys).await.unwrap();
        });
    }

    /// Runs JavaScript in the page and returns what it returns.
    pub fn js(&self, script: &str) -> Value {
        self.runtime.block_on(self.client().execute(script, Vec::new())).unwrap_or_else(|e| panic!("{script}: {e}"))
    }

    /// Runs JavaScript with arguments (`arguments[0]`, ...) and returns what it returns.
    pub fn js_args(&self, script: &str, args: Vec<Value>) -> Value {
        self.runtime.block_on(self.client().execute(script, args)).unwrap_or_else(|e| panic!("{script}: {e}"))
    }

    /// Lays the page out as for print (Chrome DevTools' `Emulation.setEmulatedMedia`), so that
    /// styles read in the page and screenshots are the printed ones.
    pub fn emulate_print(&self) {
        let command = DevTools { command: "Emulation.setEmulatedMedia", params: json!({ "media": "print" }) };
        self.runtime.block_on(self.client().issue_cmd(command)).expect("chromedriver passes DevTools commands on");
    }

    /// Runs asynchronous JavaScript: the script calls `arguments[0](value)` when done.
    pub fn js_async(&self, script: &str) -> Value {
        self.runtime
            .block_on(self.client().execute_async(script, Vec::new()))
            .unwrap_or_else(|e| panic!("{script}: {e}"))
    }

    /// Polls `script` until it returns `true`, for at most ten seconds.
    pub fn wait_until(&self, script: &str) -> bool {
        let start = Instant::now();
        while start.elapsed() < Duration::from_secs(10) {
            if self.runtime.block_on(self.client().execute(script, Vec::new())).ok() == Some(Value::Bool(true)) {
                return true;
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        false
    }

    /// Types into the element matching `css`, as a person would (WebDriver key events).
    pub fn type_into(&self, css: &str, text: &str) {
        self.runtime.block_on(async {
            let element =
                self.client().find(fantoccini::Locator::Css(css)).await.unwrap_or_else(|e| panic!("{css}: {e}"));
            element.send_keys(text).await.unwrap();
        });
    }

    pub fn click(&self, css: &str) {
        self.runtime.block_on(async {
            let element =
                self.client().find(fantoccini::Locator::Css(css)).await.unwrap_or_else(|e| panic!("{css}: {e}"));
            element.click().await.unwrap();
        });
    }

    /// The accessible name Chromium gives each element matching `css`, read from its
    /// accessibility tree (WebDriver's Get Computed Label): what a screen reader announces.
    pub fn computed_labels(&self, css: &str) -> Vec<String> {
        self.runtime.block_on(async {
            let found =
                self.client().find_all(fantoccini::Locator::Css(css)).await.unwrap_or_else(|e| panic!("{css}: {e}"));
            let mut labels = Vec::with_capacity(found.len());
            for element in found {
                let command = ComputedLabel { element: element.element_id().to_string() };
                let label = self.client().issue_cmd(command).await.unwrap_or_else(|e| panic!("{css}: {e}"));
                labels.push(label.as_str().unwrap_or_default().to_string());
            }
            labels
        })
    }

    /// The page printed to PDF on A4, the paper of the Nordic offices, as the browser's print
    /// preview would lay it out.
    pub fn print_pdf(&self) -> Vec<u8> {
        self.print_pdf_on(fantoccini::wd::PrintSize::A4)
    }

    /// The page printed to PDF on paper of `size` (US Letter is wider and shorter than A4).
    pub fn print_pdf_on(&self, size: fantoccini::wd::PrintSize) -> Vec<u8> {
        let config = fantoccini::wd::PrintConfiguration::builder().size(size).build().expect("a paper size");
        self.runtime.block_on(self.client().print(config)).expect("the page prints")
    }

    /// Errors the page logged to its console since the last call (uncaught exceptions, failed
    /// requests), through chromedriver's log endpoint.
    pub fn console_errors(&self) -> Vec<String> {
        let log =
            self.runtime.block_on(self.client().issue_cmd(BrowserLog)).expect("chromedriver returns the console log");
        log.as_array()
            .into_iter()
            .flatten()
            .filter(|entry| entry["level"] == "SEVERE")
            .map(|entry| entry["message"].as_str().unwrap_or_default().to_string())
            .collect()
    }

    pub fn screenshot(&self, path: &Path) {
        let png = self.runtime.block_on(self.client().screenshot()).unwrap();
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, png).unwrap();
    }
}

/// chromedriver's (non-W3C) endpoint for the browser console log.
#[derive(Debug)]
struct BrowserLog;

impl fantoccini::wd::WebDriverCompatibleCommand for BrowserLog {
    fn endpoint(&self, base: &url::Url, session: Option<&str>) -> Result<url::Url, url::ParseError> {
        base.join(&format!("session/{}/se/log", session.unwrap_or_default()))
    }

    fn method_and_body(&self, _: &url::Url) -> (http::Method, Option<String>) {
        (http::Method::POST, Some(r#"{"type":"browser"}"#.to_string()))
    }
}

/// WebDriver's Get Computed Label of an element.
#[derive(Debug)]
struct ComputedLabel {
    element: String,
}

impl fantoccini::wd::WebDriverCompatibleCommand for ComputedLabel {
    fn endpoint(&self, base: &url::Url, session: Option<&str>) -> Result<url::Url, url::ParseError> {
        base.join(&format!("session/{}/element/{}/computedlabel", session.unwrap_or_default(), self.element))
    }

    fn method_and_body(&self, _: &url::Url) -> (http::Method, Option<String>) {
        (http::Method::GET, None)
    }
}

/// chromedriver's endpoint for a Chrome DevTools Protocol command.
#[derive(Debug)]
struct DevTools {
    command: &'static str,
    params: Value,
}

impl fantoccini::wd::WebDriverCompatibleCommand for DevTools {
    fn endpoint(&self, base: &url::Url, session: Option<&str>) -> Result<url::Url, url::ParseError> {
        base.join(&format!("session/{}/goog/cdp/execute", session.unwrap_or_default()))
    }

    fn method_and_body(&self, _: &url::Url) -> (http::Method, Option<String>) {
        (http::Method::POST, Some(json!({ "cmd": self.command, "params": self.params }).to_string()))
    }
}

impl Drop for Browser {
    fn drop(&mut self) {
        if let Some(client) = self.client.take() {
            let _ = self.runtime.block_on(client.close());
        }
        let _ = self.driver.kill();
        let _ = self.driver.wait();
    }
}

/// Where the tests leave screenshots for a person to look at.
/// Where the tests leave screenshots and PDFs for a person to look at; made on first use, since
/// on a fresh clone no test has made it yet.
pub fn screenshot_dir() -> PathBuf {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("target/screenshots");
    std::fs::create_dir_all(&dir).expect("the screenshot folder can be made under target/");
    dir
}

#[test]
fn the_page_reloads_by_itself_after_an_edit_and_shows_errors_in_the_browser() {
    let Some(browser) = Browser::start() else { return };
    let dir = fixture("base");
    let server = Server::start(dir.path());
    browser.goto(&format!("http://{}/touchpoints/angry-caller.html", server.address));
    assert_eq!(browser.js("return document.querySelector('h1').textContent"), json!("Angry caller"));
    // A marker that survives only as long as the page is not reloaded.
    browser.js("window.notReloaded = true; return null");

    let file = dir.path().join("content/touchpoints/angry-caller.md");
    std::fs::write(&file, read(&file).replace("MARKER-SITUATION", "RELOADED-SITUATION")).unwrap();
    assert!(
        browser
            .wait_until("return window.notReloaded !== true && document.body.innerText.includes('RELOADED-SITUATION')"),
        "the page reloads with the new text"
    );

    std::fs::write(&file, read(&file).replace("stage = \"support\"", "stage = \"nowhere\"")).unwrap();
    assert!(
        browser.wait_until(
            "var o = document.getElementById('touchbook-errors'); return !!o && o.innerText.includes('is not a stage')"
        ),
        "the error is shown over the page"
    );
    assert!(
        browser.js("return document.body.innerText.includes('RELOADED-SITUATION')") == json!(true),
        "the last good page stays"
    );

    std::fs::write(&file, read(&file).replace("stage = \"nowhere\"", "stage = \"support\"")).unwrap();
    assert!(browser.wait_until("return !document.getElementById('touchbook-errors')"), "the next good save clears it");
}

/// A copy of the example playbook at the repository root, to serve without touching `site/`.
pub fn example_copy() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
    std::fs::copy(repo.join("book.toml"), dir.path().join("book.toml")).unwrap();
    copy_tree(&repo.join("content"), &dir.path().join("content"));
    dir
}

/// Pages in a PDF printed by Chromium (each page is an uncompressed `/Type /Page` object).
fn pdf_pages(pdf: &[u8]) -> usize {
    let text = String::from_utf8_lossy(pdf);
    text.matches("/Type /Page").count() - text.matches("/Type /Pages").count()
}

#[test]
fn print_hides_navigation_and_puts_each_meeting_pack_on_its_own_page() {
    let Some(browser) = Browser::start() else { return };
    let dir = example_copy();
    let server = Server::start(dir.path());
    browser.goto(&format!("http://{}/rollouts/service-promise-programme.html", server.address));
    let hidden = browser.js(
        "const printRules = Array.from(document.styleSheets).flatMap(s => Array.from(s.cssRules)).filter(r => r.media && r.media.mediaText === 'print').map(r => r.cssText).join(' ');\n\
         return ['.site-header', '.site-nav', '.site-footer', '.search'].every(sel => printRules.includes(sel)) && printRules.includes('break-before: page');",
    );
    assert_eq!(hidden, json!(true), "print styles hide the navigation and break pages between packs");
    let all = pdf_pages(&browser.print_pdf());
    // What the "print the meeting packs" button prints: the sixteen packs, one per page.
    browser.js("document.body.classList.add('print-only-packs'); return null");
    let packs = pdf_pages(&browser.print_pdf());
    assert!(packs >= 16, "{packs} pages for 16 meeting packs");
    assert!(all > packs, "the whole page prints more than the packs alone ({all} vs {packs})");

    // A touch point's role play prints as a handout: the header and the exercise, nothing else.
    browser.goto(&format!("http://{}/touchpoints/missed-deadline.html", server.address));
    let whole = pdf_pages(&browser.print_pdf());
    browser.js("document.body.classList.add('print-only-roleplay'); return null");
    let handout_pdf = pdf_pages(&browser.print_pdf());
    assert!(handout_pdf >= 1 && handout_pdf < whole, "the handout is shorter than the page ({handout_pdf} vs {whole})");
}
