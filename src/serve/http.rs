//! The HTTP side of `serve`: the built site, the live-reload script and its event stream.
//!
//! The server only ever answers with files inside the output folder: paths are decoded, `..`
//! segments refused, and the final file is checked (after resolving symbolic links) to be inside
//! the output. It binds to 127.0.0.1 unless told otherwise.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use anyhow::Result;
use axum::body::Body;
use axum::extract::ws::WebSocketUpgrade;
use axum::extract::{Request, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};

use super::editor::{self, Editor};
use super::livereload::{self, LiveReload};
use super::ServeOptions;

struct AppState {
    output: PathBuf,
    live: Arc<LiveReload>,
    /// Only while listening on loopback.
    editor: Option<Editor>,
}

/// Serves until Ctrl+C.
pub(crate) async fn serve(options: &ServeOptions, output: PathBuf, live: Arc<LiveReload>) -> Result<()> {
    let address = format!("{}:{}", options.host, options.port);
    let listener = tokio::net::TcpListener::bind(&address).await.map_err(|error| {
        let hint = format!("another program may use this port; try --port {}", options.port.wrapping_add(1));
        crate::diagnostics::Diagnostic::error(format!("cannot listen on {address}: {error}")).with_hint(hint)
    })?;
    let local = listener.local_addr()?;
    if !local.ip().is_loopback() {
        eprintln!("warning: serving on {local}: anyone who can reach this machine can read the playbook");
    }
    let url = format!("http://{local}/");
    eprintln!("serving {} at {url} (press Ctrl+C to stop)", output.display());
    let editor = local.ip().is_loopback().then(|| Editor::new(options.root.clone()));
    match editor {
        Some(_) => eprintln!("the editor is on: every page has Edit and Mark reviewed, every list New"),
        None => eprintln!(
            "note: the editor is off: it works only while serve listens on this machine alone (--host 127.0.0.1)"
        ),
    }
    if options.open {
        open_browser(&url);
    }
    let allowed = Arc::new(AllowedHosts::new(&options.host, local.port()));
    let editing = editor.is_some();
    let state = Arc::new(AppState { output, live, editor });
    let mut app = axum::Router::new();
    if editing {
        app = app
            .route(
                editor::SCRIPT_PATH,
                get(|| async {
                    respond(StatusCode::OK, "text/javascript; charset=utf-8", editor::SCRIPT.as_bytes().to_vec())
                }),
            )
            .route(editor::REVIEW_PATH, post(review))
            .route(editor::REFRESH_PATH, post(refresh))
            .route(editor::SAVE_PATH, post(save))
            .route(editor::NEW_PATH, post(new_item))
            .route(editor::TRANSLATE_PATH, post(translate))
            .route(editor::PREVIEW_PATH, post(preview))
            .route(editor::COMPOSE_PATH, post(compose))
            .route(editor::PAGE_PATH, get(edit_page))
            .route(editor::CHECKIN_PATH, get(log_week_page).post(log_week));
    }
    let app = app
        .route(
            livereload::SOCKET_PATH,
            get(|socket: WebSocketUpgrade, State(state): State<Arc<AppState>>| async move {
                socket.on_upgrade(move |socket| async move { state.live.session(socket).await })
            }),
        )
        .route(
            livereload::STATUS_PATH,
            get(|State(state): State<Arc<AppState>>| async move {
                respond(StatusCode::OK, "application/json", state.live.status_json().into_bytes())
            }),
        )
        .route(
            livereload::SCRIPT_PATH,
            get(|| async {
                respond(StatusCode::OK, "text/javascript; charset=utf-8", livereload::SCRIPT.as_bytes().to_vec())
            }),
        )
        .fallback(serve_file)
        .layer(axum::middleware::from_fn(move |request: Request, next: axum::middleware::Next| {
            let allowed = Arc::clone(&allowed);
            async move {
                match allowed.refusal(&request) {
                    Some(reason) => respond(StatusCode::FORBIDDEN, "text/plain; charset=utf-8", reason.into_bytes()),
                    None => next.run(request).await,
                }
            }
        }))
        .with_state(state);
    axum::serve(listener, app)
        .with_graceful_shutdown(async {
            let _ = tokio::signal::ctrl_c().await;
        })
        .await?;
    Ok(())
}

/// The names this server answers to. A page on another site can make the browser send
/// requests here (DNS rebinding gives them this server's address under the other site's
/// name), so requests are answered only when addressed to the server by one of its own names,
/// and WebSockets and writes only when they come from its own pages.
#[derive(Debug)]
pub(crate) struct AllowedHosts {
    port: u16,
    /// Names besides the loopback ones; `None` when serving on every interface (any name).
    names: Option<Vec<String>>,
}

impl AllowedHosts {
    /// For a server listening on `host` (`--host`) and `port`.
    pub(crate) fn new(host: &str, port: u16) -> AllowedHosts {
        let host = host.trim_start_matches('[').trim_end_matches(']').to_ascii_lowercase();
        let every_interface = host.parse::<std::net::IpAddr>().is_ok_and(|ip| ip.is_unspecified());
        let names = (!every_interface).then(|| {
            let mut names = vec!["127.0.0.1".to_string(), "localhost".to_string(), "[::1]".to_string()];
            let given = if host.contains(':') { format!("[{host}]") } else { host };
            if !names.contains(&given) {
                names.push(given);
            }
            names
        });
        AllowedHosts { port, names }
    }

    /// Whether `authority` (`name:port` from a Host header or an Origin) names this server.
    pub(crate) fn allows(&self, authority: &str) -> bool {
        let Some(names) = &self.names else { return true };
        let authority = authority.to_ascii_lowercase();
        let (name, port) = match authority.rsplit_once(':') {
            Some((name, port)) if !port.contains(']') => (name, port.parse::<u16>().ok()),
            _ => (authority.as_str(), Some(80)),
        };
        port == Some(self.port) && names.iter().any(|n| n == name)
    }

    /// Why a request is refused, or `None` if it is answered.
    pub(crate) fn refusal(&self, request: &Request) -> Option<String> {
        let headers = request.headers();
        let host = headers.get(header::HOST).and_then(|h| h.to_str().ok()).unwrap_or_default();
        if !self.allows(host) {
            return Some(format!("refused: this server does not answer to the name {host:?}\n"));
        }
        let origin = headers.get(header::ORIGIN).and_then(|o| o.to_str().ok());
        let must_have_origin = request.method() != axum::http::Method::GET
            && request.method() != axum::http::Method::HEAD
            || headers.contains_key(header::UPGRADE);
        match origin {
            Some(origin) => {
                let own = origin.strip_prefix("http://").is_some_and(|authority| self.allows(authority));
                (!own).then(|| format!("refused: a request from another site ({origin:?})\n"))
            }
            None if must_have_origin => Some("refused: a request that does not say where it comes from\n".into()),
            None => None,
        }
    }
}

async fn review(State(state): State<Arc<AppState>>, headers: HeaderMap, body: axum::body::Bytes) -> Response {
    edit(&state, editor::Action::Review, &headers, &body)
}

async fn refresh(State(state): State<Arc<AppState>>, headers: HeaderMap, body: axum::body::Bytes) -> Response {
    edit(&state, editor::Action::Refresh, &headers, &body)
}

async fn save(State(state): State<Arc<AppState>>, headers: HeaderMap, body: axum::body::Bytes) -> Response {
    edit(&state, editor::Action::Save, &headers, &body)
}

async fn new_item(State(state): State<Arc<AppState>>, headers: HeaderMap, body: axum::body::Bytes) -> Response {
    edit(&state, editor::Action::New, &headers, &body)
}

async fn translate(State(state): State<Arc<AppState>>, headers: HeaderMap, body: axum::body::Bytes) -> Response {
    edit(&state, editor::Action::Translate, &headers, &body)
}

async fn preview(State(state): State<Arc<AppState>>, headers: HeaderMap, body: axum::body::Bytes) -> Response {
    edit(&state, editor::Action::Preview, &headers, &body)
}

async fn compose(State(state): State<Arc<AppState>>, headers: HeaderMap, body: axum::body::Bytes) -> Response {
    edit(&state, editor::Action::Compose, &headers, &body)
}

async fn log_week(State(state): State<Arc<AppState>>, headers: HeaderMap, body: axum::body::Bytes) -> Response {
    edit(&state, editor::Action::Checkin, &headers, &body)
}

async fn edit_page(State(state): State<Arc<AppState>>, request: Request) -> Response {
    editor_page(&state, &request, Editor::page)
}

async fn log_week_page(State(state): State<Arc<AppState>>, request: Request) -> Response {
    editor_page(&state, &request, Editor::log_week_page)
}

/// One of the editor's own pages, made from the playbook as it is on disk.
fn editor_page(
    state: &AppState,
    request: &Request,
    make: fn(&Editor, Option<&str>) -> Result<String, crate::edit::Refused>,
) -> Response {
    let Some(editor) = &state.editor else {
        return respond(StatusCode::NOT_FOUND, "text/plain; charset=utf-8", b"no editor".to_vec());
    };
    let page = tokio::task::block_in_place(|| make(editor, request.uri().query()));
    match page {
        // No live reload here: a rebuild must not throw away what is being typed.
        Ok(html) => respond(StatusCode::OK, "text/html; charset=utf-8", html.into_bytes()),
        Err(refused) => {
            let page = super::log_week::page_of(request.uri().query()).unwrap_or_default();
            let why = tokio::task::block_in_place(|| editor.words(&page, &refused));
            respond(StatusCode::NOT_FOUND, "text/plain; charset=utf-8", format!("{why}\n").into_bytes())
        }
    }
}

/// One of the editor's writes.
fn edit(state: &AppState, action: editor::Action, headers: &HeaderMap, body: &[u8]) -> Response {
    let Some(editor) = &state.editor else {
        return respond(StatusCode::NOT_FOUND, "text/plain; charset=utf-8", b"no editor".to_vec());
    };
    // The file system work is short, but it blocks: not on the server's threads.
    let (status, answer) = tokio::task::block_in_place(|| editor.handle(action, headers, body));
    respond(status, "application/json", answer.into_bytes())
}

fn open_browser(url: &str) {
    let opener = if cfg!(target_os = "macos") {
        "open"
    } else if cfg!(windows) {
        "explorer"
    } else {
        "xdg-open"
    };
    if let Err(error) = std::process::Command::new(opener).arg(url).spawn() {
        eprintln!("warning: cannot open a browser ({error}); open {url} yourself");
    }
}

async fn serve_file(State(state): State<Arc<AppState>>, request: Request) -> Response {
    let output = &state.output;
    let Some(path) = resolve(output, request.uri().path()) else {
        return not_found(output).await;
    };
    match tokio::fs::read(&path).await {
        Ok(bytes) => {
            let content_type = content_type(&path);
            let bytes = match (content_type.starts_with("text/html"), &state.editor) {
                (true, Some(editor)) => editor.inject(livereload::inject(&bytes)),
                (true, None) => livereload::inject(&bytes),
                (false, _) => bytes,
            };
            respond(StatusCode::OK, content_type, bytes)
        }
        Err(_) => not_found(output).await,
    }
}

async fn not_found(output: &Path) -> Response {
    let page = tokio::fs::read(output.join("404.html")).await.unwrap_or_else(|_| b"Not found".to_vec());
    respond(StatusCode::NOT_FOUND, "text/html; charset=utf-8", livereload::inject(&page))
}

fn respond(status: StatusCode, content_type: &str, bytes: Vec<u8>) -> Response {
    (
        status,
        [
            (header::CONTENT_TYPE, content_type.to_string()),
            (header::CACHE_CONTROL, "no-cache".to_string()),
            (header::X_CONTENT_TYPE_OPTIONS, "nosniff".to_string()),
            // No other site may frame these pages, so none can lure a click onto the editor's forms.
            (header::X_FRAME_OPTIONS, "DENY".to_string()),
            (header::CONTENT_SECURITY_POLICY, "frame-ancestors 'none'".to_string()),
        ],
        Body::from(bytes),
    )
        .into_response()
}

/// Maps a request path to a file inside `output`, or `None` if it is not one.
pub(crate) fn resolve(output: &Path, request_path: &str) -> Option<PathBuf> {
    let decoded = crate::layout::percent_decode(request_path)?;
    let mut path = output.to_path_buf();
    for segment in decoded.split('/') {
        match segment {
            "" | "." => {}
            ".." => return None,
            s if s.contains('\\') || s.contains('\0') || s.starts_with('.') => return None,
            s => path.push(s),
        }
    }
    if path.is_dir() {
        path.push("index.html");
    }
    let real = std::fs::canonicalize(&path).ok()?;
    let root = std::fs::canonicalize(output).ok()?;
    (real.starts_with(&root) && real.is_file()).then_some(real)
}

fn content_type(path: &Path) -> &'static str {
    match path.extension().and_then(|e| e.to_str()).unwrap_or_default() {
        "html" => "text/html; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "js" | "mjs" => "text/javascript; charset=utf-8",
        "json" => "application/json",
        "xml" => "application/xml; charset=utf-8",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "webp" => "image/webp",
        "woff2" => "font/woff2",
        "wasm" => "application/wasm",
        "txt" => "text/plain; charset=utf-8",
        _ => "application/octet-stream",
    }
}

#[cfg(test)]
mod tests {
    use super::AllowedHosts;

    #[test]
    fn loopback_names_only_unless_told_otherwise() {
        let loopback = AllowedHosts::new("127.0.0.1", 3000);
        for ok in ["127.0.0.1:3000", "localhost:3000", "LOCALHOST:3000", "[::1]:3000"] {
            assert!(loopback.allows(ok), "{ok}");
        }
        for refused in ["evil.example:3000", "127.0.0.1:3001", "127.0.0.1", "localhost.evil.example:3000", ""] {
            assert!(!loopback.allows(refused), "{refused}");
        }
        let named = AllowedHosts::new("playbook.lan", 8080);
        assert!(named.allows("playbook.lan:8080") && named.allows("localhost:8080") && !named.allows("x.lan:8080"));
        assert!(AllowedHosts::new("0.0.0.0", 80).allows("anything.example"));
    }
}
