//! Telling open pages about rebuilds, with server-sent events.
//!
//! The script is injected into HTML responses only while serving, so built sites stay clean.
//! A page that connects while the content is broken is shown the errors at once.

use std::convert::Infallible;
use std::sync::Mutex;

use axum::response::sse::{Event, KeepAlive, Sse};
use futures_util::stream::{self, Stream};
use tokio::sync::broadcast;

/// The address of the event stream and of the script, outside any address the site uses.
pub const EVENTS_PATH: &str = "/__touchbook/events";
pub const SCRIPT_PATH: &str = "/__touchbook/livereload.js";

/// What open pages are told after a rebuild.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Notice {
    /// The site changed: reload.
    Reload,
    /// The content is broken: show these diagnostics over the last good page.
    Errors(String),
}

/// The current state and the channel to every open page.
pub struct LiveReload {
    errors: Mutex<Option<String>>,
    sender: broadcast::Sender<Notice>,
}

impl Default for LiveReload {
    fn default() -> Self {
        Self::new()
    }
}

impl LiveReload {
    pub fn new() -> Self {
        LiveReload { errors: Mutex::new(None), sender: broadcast::channel(16).0 }
    }

    pub fn notify(&self, notice: Notice) {
        let errors = match &notice {
            Notice::Reload => None,
            Notice::Errors(text) => Some(text.clone()),
        };
        *self.errors.lock().unwrap_or_else(|e| e.into_inner()) = errors;
        // No open page is not an error.
        let _ = self.sender.send(notice);
    }

    /// The event stream of one page: the current errors first, then every notice.
    pub fn events(&self) -> Sse<impl Stream<Item = Result<Event, Infallible>>> {
        let current = self.errors.lock().unwrap_or_else(|e| e.into_inner()).clone();
        let receiver = self.sender.subscribe();
        let first = stream::iter(current.map(|text| Ok(to_event(&Notice::Errors(text)))));
        let rest = stream::unfold(receiver, |mut receiver| async move {
            let notice = match receiver.recv().await {
                Ok(notice) => notice,
                // A page that fell behind only needs the newest state: reload.
                Err(broadcast::error::RecvError::Lagged(_)) => Notice::Reload,
                Err(broadcast::error::RecvError::Closed) => return None,
            };
            Some((Ok(to_event(&notice)), receiver))
        });
        use futures_util::StreamExt as _;
        Sse::new(first.chain(rest)).keep_alive(KeepAlive::default())
    }
}

fn to_event(notice: &Notice) -> Event {
    match notice {
        Notice::Reload => Event::default().event("reload").data("reload"),
        Notice::Errors(text) => Event::default().event("errors").data(text.as_str()),
    }
}

/// Adds the live-reload script to an HTML page, before `</body>` (or at the end).
pub fn inject(html: &[u8]) -> Vec<u8> {
    let tag = format!("<script src=\"{SCRIPT_PATH}\"></script>");
    let text = String::from_utf8_lossy(html);
    match text.rfind("</body>") {
        Some(at) => format!("{}{tag}\n{}", &text[..at], &text[at..]).into_bytes(),
        None => format!("{text}{tag}").into_bytes(),
    }
}

/// Connects to the event stream; reloads on `reload`, shows an overlay on `errors`. Text is set
/// with `textContent`, so diagnostics quoting hostile content cannot run in the page.
pub const SCRIPT: &str = r#"(function () {
  "use strict";
  var overlay = null;
  function show(text) {
    if (!overlay) {
      overlay = document.createElement("div");
      overlay.id = "touchbook-errors";
      overlay.setAttribute("role", "alert");
      overlay.style.cssText = "position:fixed;inset:0;z-index:2147483647;overflow:auto;background:rgba(20,24,29,.94);color:#f5f5f5;padding:1.5rem;font:14px/1.45 ui-monospace,SFMono-Regular,Menlo,Consolas,monospace";
      var title = document.createElement("p");
      title.style.cssText = "font:600 1.1rem system-ui,sans-serif;margin:0 0 1rem;color:#ffb4a9";
      title.textContent = "The playbook has errors. You are looking at the last good build; it updates as soon as the errors are fixed.";
      var pre = document.createElement("pre");
      pre.style.cssText = "white-space:pre-wrap;margin:0";
      overlay.appendChild(title);
      overlay.appendChild(pre);
      document.body.appendChild(overlay);
    }
    overlay.querySelector("pre").textContent = text;
  }
  var source = new EventSource("/__touchbook/events");
  source.addEventListener("reload", function () { window.location.reload(); });
  source.addEventListener("errors", function (event) { show(event.data); });
})();
"#;
