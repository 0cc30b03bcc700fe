//! Telling open pages about rebuilds, over a WebSocket per page.
//!
//! WebSockets rather than server-sent events: browsers allow only six HTTP/1.1 connections per
//! host, and a trainer with more playbook tabs open (or a browser keeping pages in its
//! back-forward cache) would otherwise see pages stop loading. The script is injected into HTML
//! responses only while serving, so built sites stay clean. A page that connects while the
//! content is broken is shown the errors at once.

use std::sync::Mutex;

use axum::extract::ws::{Message, WebSocket};
use serde_json::json;
use tokio::sync::broadcast;

/// The address of the WebSocket, of the script, and of the current state as JSON — outside any
/// address the site uses.
pub(crate) const SOCKET_PATH: &str = "/__touchbook/live";
pub(crate) const SCRIPT_PATH: &str = "/__touchbook/livereload.js";
pub(crate) const STATUS_PATH: &str = "/__touchbook/status";

/// What open pages are told after a rebuild.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Notice {
    /// The site changed: reload.
    Reload,
    /// The content is broken: show these diagnostics over the last good page.
    Errors(String),
}

impl Notice {
    fn to_json(&self) -> String {
        match self {
            Notice::Reload => json!({ "kind": "reload" }).to_string(),
            Notice::Errors(text) => json!({ "kind": "errors", "text": text }).to_string(),
        }
    }
}

/// The current state and the channel to every open page.
pub(crate) struct LiveReload {
    errors: Mutex<Option<String>>,
    sender: broadcast::Sender<Notice>,
}

impl Default for LiveReload {
    fn default() -> Self {
        Self::new()
    }
}

impl LiveReload {
    pub(crate) fn new() -> Self {
        LiveReload { errors: Mutex::new(None), sender: broadcast::channel(16).0 }
    }

    pub(crate) fn notify(&self, notice: Notice) {
        let errors = match &notice {
            Notice::Reload => None,
            Notice::Errors(text) => Some(text.clone()),
        };
        *self.errors.lock().unwrap_or_else(|e| e.into_inner()) = errors;
        // No open page is not an error.
        let _ = self.sender.send(notice);
    }

    /// The diagnostics of the last build, if it failed.
    pub(crate) fn errors(&self) -> Option<String> {
        self.errors.lock().unwrap_or_else(|e| e.into_inner()).clone()
    }

    /// `{"errors": null}` or `{"errors": "<diagnostics>"}`, for tools and tests.
    pub(crate) fn status_json(&self) -> String {
        json!({ "errors": self.errors() }).to_string()
    }

    /// Serves one page's socket: the current errors first, then every notice, until the page
    /// goes away.
    pub(crate) async fn session(&self, mut socket: WebSocket) {
        let mut receiver = self.sender.subscribe();
        if let Some(text) = self.errors() {
            if socket.send(Message::Text(Notice::Errors(text).to_json().into())).await.is_err() {
                return;
            }
        }
        loop {
            tokio::select! {
                notice = receiver.recv() => {
                    let notice = match notice {
                        Ok(notice) => notice,
                        // A page that fell behind only needs the newest state: reload.
                        Err(broadcast::error::RecvError::Lagged(_)) => Notice::Reload,
                        Err(broadcast::error::RecvError::Closed) => return,
                    };
                    if socket.send(Message::Text(notice.to_json().into())).await.is_err() {
                        return;
                    }
                }
                incoming = socket.recv() => match incoming {
                    Some(Ok(Message::Close(_))) | Some(Err(_)) | None => return,
                    Some(Ok(_)) => {}
                },
            }
        }
    }
}

/// Adds the live-reload script to an HTML page, before `</body>` (or at the end).
pub(crate) fn inject(html: &[u8]) -> Vec<u8> {
    let tag = format!("<script src=\"{SCRIPT_PATH}\"></script>");
    let text = String::from_utf8_lossy(html);
    match text.rfind("</body>") {
        Some(at) => format!("{}{tag}\n{}", &text[..at], &text[at..]).into_bytes(),
        None => format!("{text}{tag}").into_bytes(),
    }
}

/// Connects to the socket; reloads on `reload`, shows an overlay on `errors`, and reconnects
/// (then reloads) when `touchbook serve` is restarted. Text is set with `textContent`, so
/// diagnostics quoting hostile content cannot run in the page.
pub(crate) const SCRIPT: &str = r#"(function () {
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
  var lost = false;
  function connect() {
    var socket = new WebSocket((location.protocol === "https:" ? "wss://" : "ws://") + location.host + "/__touchbook/live");
    socket.onopen = function () { if (lost) { window.location.reload(); } };
    socket.onmessage = function (event) {
      var notice = JSON.parse(event.data);
      // The editor marks a page it is about to leave (New, Translate): no reload under it.
      if (notice.kind === "reload" && !document.documentElement.hasAttribute("data-touchbook-leaving")) { window.location.reload(); }
      if (notice.kind === "errors") { show(notice.text); }
    };
    socket.onclose = function () { lost = true; setTimeout(connect, 1000); };
    window.addEventListener("pagehide", function () { socket.onclose = null; socket.close(); });
  }
  connect();
})();
"#;
