//! The editor's side of `serve`: its script in every served page and the requests that write.
//!
//! It exists only while `serve` listens on loopback. Every write carries the session's token,
//! which only pages this server served know (another site cannot read them), and passes the
//! Host and Origin checks of `http::AllowedHosts`, so neither another site nor a DNS-rebound
//! name can write into the playbook. The browser names the page it shows; which file that is
//! the server works out itself (`edit::source_of`).

use std::path::PathBuf;

use axum::http::{HeaderMap, StatusCode};
use serde::Deserialize;

use crate::edit::{self, Refused};

pub const SCRIPT_PATH: &str = "/_edit/editor.js";
pub const REVIEW_PATH: &str = "/_edit/review";
pub const REFRESH_PATH: &str = "/_edit/refresh";
const TOKEN_HEADER: &str = "x-touchbook-token";

/// The editor of one `serve` session.
pub struct Editor {
    root: PathBuf,
    token: String,
}

/// A write from the editor: the page shown, and for "Mark reviewed" the reviewer's name.
#[derive(Deserialize)]
struct EditRequest {
    page: String,
    #[serde(default)]
    name: String,
}

/// What a write does.
#[derive(Debug, Clone, Copy)]
pub enum Action {
    /// "Mark reviewed": today's date and the reviewer's name into the page's file.
    Review,
    /// "Mark as up to date": a division's translation made current again.
    Refresh,
}

impl Editor {
    pub fn new(root: PathBuf) -> Editor {
        Editor { root, token: new_token() }
    }

    /// A served page with the editor's script, which carries the session's token.
    pub fn inject(&self, html: Vec<u8>) -> Vec<u8> {
        let tag = format!("<script src=\"{SCRIPT_PATH}\" data-token=\"{}\"></script>\n", self.token);
        let text = String::from_utf8_lossy(&html);
        match text.rfind("</body>") {
            Some(at) => format!("{}{tag}{}", &text[..at], &text[at..]).into_bytes(),
            None => format!("{text}{tag}").into_bytes(),
        }
    }

    /// Makes one write for a page of this server; the watcher then rebuilds and the page
    /// reloads. Returns the status and a JSON answer.
    pub fn handle(&self, action: Action, headers: &HeaderMap, body: &[u8]) -> (StatusCode, String) {
        if !self.has_token(headers) {
            return refuse(StatusCode::FORBIDDEN, "this request does not come from a page of this server");
        }
        let Ok(request) = serde_json::from_slice::<EditRequest>(body) else {
            return refuse(StatusCode::BAD_REQUEST, "expected {\"page\": …}");
        };
        match self.write(action, &request) {
            Ok(file) => (StatusCode::OK, serde_json::json!({ "ok": true, "file": file }).to_string()),
            Err(Refused(why)) => refuse(StatusCode::UNPROCESSABLE_ENTITY, &why),
        }
    }

    fn write(&self, action: Action, request: &EditRequest) -> Result<String, Refused> {
        let mut diags = crate::diagnostics::Diagnostics::default();
        let config = crate::config::load(&self.root, &mut diags).ok().flatten();
        let config = config.ok_or_else(|| Refused("book.toml has errors; fix them first".into()))?;
        let divisions: Vec<String> = config.divisions.iter().map(|d| d.id.clone()).collect();
        let path = match action {
            Action::Review => {
                let path = edit::source_of(&self.root, &divisions, &request.page)?;
                let text = edit::read_text(&self.root, &path)?;
                let edited = edit::mark_reviewed(&text, crate::build::today(), &request.name)?;
                edit::write(&self.root, &path, &edited)?;
                path
            }
            Action::Refresh => edit::refresh_translation(&self.root, &divisions, &request.page)?,
        };
        Ok(path.strip_prefix(&self.root).unwrap_or(&path).to_string_lossy().replace('\\', "/"))
    }

    /// Whether the request carries this session's token (compared without an early exit).
    fn has_token(&self, headers: &HeaderMap) -> bool {
        let given = headers.get(TOKEN_HEADER).map(|v| v.as_bytes()).unwrap_or_default();
        let own = self.token.as_bytes();
        given.len() == own.len() && given.iter().zip(own).fold(0u8, |acc, (a, b)| acc | (a ^ b)) == 0
    }
}

fn refuse(status: StatusCode, why: &str) -> (StatusCode, String) {
    (status, serde_json::json!({ "ok": false, "error": why }).to_string())
}

/// 128 random bits as hex, from the operating system.
fn new_token() -> String {
    let mut bytes = [0u8; 16];
    let random = std::fs::File::open("/dev/urandom").and_then(|mut f| std::io::Read::read_exact(&mut f, &mut bytes));
    if random.is_err() {
        // Without /dev/urandom, the standard library's per-process random hash keys.
        use std::hash::{BuildHasher, Hasher};
        for (i, chunk) in bytes.chunks_mut(8).enumerate() {
            let mut hasher = std::collections::hash_map::RandomState::new().build_hasher();
            hasher.write_usize(i);
            chunk.copy_from_slice(&hasher.finish().to_le_bytes());
        }
    }
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// Shows the "Mark reviewed" forms of `touchbook serve`'s pages and sends them (`editor.js`).
pub const SCRIPT: &str = include_str!("editor.js");
