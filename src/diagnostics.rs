//! Problems found in a playbook, with their location, collected over a whole run.
//!
//! Every stage pushes into one [`Diagnostics`] instead of returning at the first problem, so a
//! trainer sees every mistake of a run at once. A diagnostic is rendered rustc-style:
//! `path:line:col: error: message`, the source line with a caret, and a hint saying how to fix it.
//!
//! A problem that stops a command at once (a file that cannot be written, an output folder
//! refused, an unknown division on the command line) is a `Diagnostic` too, returned as an
//! error: [`of_error`] finds it again where the command ends, so it is shown like every other.

use std::collections::HashMap;
use std::fmt::Write as _;
use std::ops::Range;

use serde::Serialize;

/// How bad a problem is: errors stop the build, warnings do not (unless `check --strict`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// Stops the build.
    Error,
    /// Reported; stops only `check --strict`.
    Warning,
}

/// One problem, located in a file relative to the playbook root.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Diagnostic {
    /// Error or warning.
    pub severity: Severity,
    /// Path relative to the playbook root, with `/` separators.
    pub file: String,
    /// 1-based line, absent for problems with a whole file (e.g. it cannot be read).
    pub line: Option<usize>,
    /// 1-based column, counted in characters.
    pub column: Option<usize>,
    /// What is wrong, in the reader's terms.
    pub message: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    /// How to fix it, when there is something to say.
    pub hint: Option<String>,
    /// The offending source line and how many characters to underline.
    #[serde(skip)]
    pub snippet: Option<(String, usize)>,
}

/// A file's text with the index needed to turn byte offsets into line and column.
#[derive(Debug, Clone)]
pub struct SourceText {
    /// Path relative to the playbook root, with `/` separators.
    pub rel_path: String,
    /// The whole text of the file.
    pub text: String,
    /// Where each line starts, found when the first diagnostic needs it: most files have none.
    line_starts: std::sync::OnceLock<Vec<usize>>,
}

impl SourceText {
    /// The text of the file at `rel_path`.
    pub fn new(rel_path: impl Into<String>, text: impl Into<String>) -> Self {
        SourceText { rel_path: rel_path.into(), text: text.into(), line_starts: std::sync::OnceLock::new() }
    }

    fn line_starts(&self) -> &[usize] {
        self.line_starts
            .get_or_init(|| std::iter::once(0).chain(self.text.match_indices('\n').map(|(i, _)| i + 1)).collect())
    }

    /// 1-based line and character column of a byte offset.
    pub fn line_col(&self, offset: usize) -> (usize, usize) {
        let offset = offset.min(self.text.len());
        let line = self.line_starts().partition_point(|&start| start <= offset) - 1;
        let start = self.line_starts()[line];
        let col = self.text[start..floor_char_boundary(&self.text, offset)].chars().count();
        (line + 1, col + 1)
    }

    /// The text of a 1-based line, without its line ending.
    pub fn line_text(&self, line: usize) -> &str {
        let start = self.line_starts()[line - 1];
        let end = self.line_starts().get(line).copied().unwrap_or(self.text.len());
        self.text[start..end].trim_end_matches(['\n', '\r'])
    }

    /// A diagnostic pointing at `span` (byte offsets into this file).
    pub fn diagnostic(&self, severity: Severity, span: Range<usize>, message: impl Into<String>) -> Diagnostic {
        let (line, column) = self.line_col(span.start);
        let line_text = self.line_text(line).to_string();
        let end = span.end.min(self.line_starts().get(line).copied().unwrap_or(self.text.len()));
        let underline = if end > span.start {
            self.text[span.start..floor_char_boundary(&self.text, end)]
                .trim_end_matches(['\n', '\r'])
                .chars()
                .count()
                .max(1)
        } else {
            1
        };
        Diagnostic {
            severity,
            file: self.rel_path.clone(),
            line: Some(line),
            column: Some(column),
            message: message.into(),
            hint: None,
            snippet: Some((line_text, underline)),
        }
    }

    /// An error at the bytes `span` of this file.
    pub fn error(&self, span: Range<usize>, message: impl Into<String>) -> Diagnostic {
        self.diagnostic(Severity::Error, span, message)
    }

    /// A warning at the bytes `span` of this file.
    pub fn warning(&self, span: Range<usize>, message: impl Into<String>) -> Diagnostic {
        self.diagnostic(Severity::Warning, span, message)
    }
}

fn floor_char_boundary(text: &str, mut offset: usize) -> usize {
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    offset
}

impl Diagnostic {
    /// A problem with a whole file, or with something that has no line (an I/O error).
    pub fn file_error(file: impl Into<String>, message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Error,
            file: file.into(),
            line: None,
            column: None,
            message: message.into(),
            hint: None,
            snippet: None,
        }
    }

    /// A problem with no file: a command-line argument, a port.
    pub fn error(message: impl Into<String>) -> Self {
        Diagnostic::file_error("", message)
    }

    /// A file or folder that could not be read, written or opened: `path` as its reader knows
    /// it, what could not be done (`"write"`) and why.
    pub fn cannot(path: impl Into<String>, doing: &str, why: impl std::fmt::Display) -> Self {
        Diagnostic::file_error(path, format!("cannot {doing}: {why}"))
    }

    /// An I/O failure on `path`, located there, with help for the usual kinds of failure.
    pub fn io(path: impl AsRef<std::path::Path>, doing: &str, error: std::io::Error) -> Self {
        let hint = io_hint(&error).map(String::from);
        Diagnostic { hint, ..Diagnostic::cannot(path.as_ref().display().to_string(), doing, error) }
    }

    /// The same problem as a warning.
    pub fn into_warning(mut self) -> Self {
        self.severity = Severity::Warning;
        self
    }

    /// Adds how to fix the problem.
    pub fn with_hint(mut self, hint: impl Into<String>) -> Self {
        self.hint = Some(hint.into());
        self
    }

    /// `file:line:column`, or as much of it as is known.
    pub fn location(&self) -> String {
        match (self.line, self.column) {
            (Some(line), Some(col)) => format!("{}:{line}:{col}", self.file),
            (Some(line), None) => format!("{}:{line}", self.file),
            _ => self.file.clone(),
        }
    }

    /// rustc-like text: location and message, the source line with a caret, the hint.
    pub fn render(&self) -> String {
        self.render_styled(&Styles::default())
    }

    /// [`Diagnostic::render`] with `styles` around its parts.
    pub fn render_styled(&self, styles: &Styles) -> String {
        let (severity, style) = match self.severity {
            Severity::Error => ("error", styles.error),
            Severity::Warning => ("warning", styles.warning),
        };
        let (s, e) = (styles.emphasis, styles.emphasis.render_reset());
        let (l, le) = (styles.gutter, styles.gutter.render_reset());
        let location = self.location();
        let place = if location.is_empty() { String::new() } else { format!("{s}{}{e}: ", visible(&location)) };
        let mut out = format!("{place}{style}{severity}{}: {s}{}{e}\n", style.render_reset(), visible(&self.message));
        if let (Some((text, width)), Some(line), Some(col)) = (&self.snippet, self.line, self.column) {
            let gutter = line.to_string().len();
            let pad = " ".repeat(gutter);
            let shown = visible(&text.replace('\t', " ")).into_owned();
            let carets = format!("{style}{}{}", "^".repeat(*width), style.render_reset());
            let _ = writeln!(out, "{l}{pad} |{le}");
            let _ = writeln!(out, "{l}{line} |{le} {shown}");
            let _ = writeln!(out, "{l}{pad} |{le} {}{carets}", " ".repeat(col - 1));
        }
        if let Some(hint) = &self.hint {
            let pad = " ".repeat(self.line.map_or(0, |l| l.to_string().len()));
            let (h, he) = (styles.help, styles.help.render_reset());
            let _ = writeln!(out, "{pad} {l}={le} {h}help{he}: {}", visible(hint));
        }
        out
    }
}

/// One line, as an error's text: where and what. [`Diagnostic::render`] adds the help.
impl std::fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.location() {
            location if location.is_empty() => f.write_str(&self.message),
            location => write!(f, "{location}: {}", self.message),
        }
    }
}

impl std::error::Error for Diagnostic {}

/// The problem that ended a command, ready to render: the diagnostic the error carries, with
/// what was being done when it happened put before its message; else one made of the error's
/// text, with help for the usual I/O failures.
pub fn of_error(error: &anyhow::Error) -> Diagnostic {
    let mut doing: Vec<String> = Vec::new();
    for cause in error.chain() {
        if let Some(found) = cause.downcast_ref::<Diagnostic>() {
            let mut found = found.clone();
            if !doing.is_empty() {
                found.message = format!("{}: {}", doing.join(": "), found.message);
            }
            return found;
        }
        doing.push(cause.to_string());
    }
    let mut diagnostic = Diagnostic::error(format!("{error:#}"));
    diagnostic.hint =
        error.chain().find_map(|cause| cause.downcast_ref::<std::io::Error>()).and_then(io_hint).map(String::from);
    diagnostic
}

/// How to get past an I/O failure of a common kind, when there is something to say.
pub fn io_hint(error: &std::io::Error) -> Option<&'static str> {
    use std::io::ErrorKind;
    match error.kind() {
        ErrorKind::PermissionDenied => {
            Some("check that you may read and write there (the owner and permissions of the file or folder)")
        }
        ErrorKind::NotFound => Some("check that the path is spelt right and the folder exists"),
        ErrorKind::StorageFull | ErrorKind::QuotaExceeded => Some("free some disk space, then try again"),
        ErrorKind::ReadOnlyFilesystem => Some("that disk is read-only: choose a folder on a disk you may write to"),
        _ => None,
    }
}

/// The styles of a rendered diagnostic's parts. The default is plain text; [`Styles::coloured`]
/// is rustc's colours, printed through `anstream`, which drops them when stderr is not a
/// terminal or `NO_COLOR` is set.
#[derive(Debug, Clone, Copy, Default)]
pub struct Styles {
    /// The `error` label.
    pub error: anstyle::Style,
    /// The `warning` label.
    pub warning: anstyle::Style,
    /// The `help` label.
    pub help: anstyle::Style,
    /// The message.
    pub emphasis: anstyle::Style,
    /// Line numbers, the margin and the underline.
    pub gutter: anstyle::Style,
}

impl Styles {
    /// rustc's colours.
    pub fn coloured() -> Styles {
        use anstyle::{AnsiColor, Style};
        let bold = Style::new().bold();
        Styles {
            error: bold.fg_color(Some(AnsiColor::BrightRed.into())),
            warning: bold.fg_color(Some(AnsiColor::BrightYellow.into())),
            help: bold.fg_color(Some(AnsiColor::BrightCyan.into())),
            emphasis: bold,
            gutter: bold.fg_color(Some(AnsiColor::BrightBlue.into())),
        }
    }
}

/// Whether a character reorders the text around it (a bidirectional embedding, override or
/// isolate), so that what is shown is not what is stored.
pub fn reorders_text(c: char) -> bool {
    matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
}

/// Text from content or file names made safe for a terminal: control characters (escape
/// sequences among them) become their visible symbols (`␛`), and characters that reorder
/// text (bidirectional overrides) become `�`. One character each, so carets stay aligned.
pub fn visible(text: &str) -> std::borrow::Cow<'_, str> {
    let unsafe_char = |c: char| c.is_control() && c != '\n' || reorders_text(c);
    if !text.chars().any(unsafe_char) {
        return std::borrow::Cow::Borrowed(text);
    }
    text.chars()
        .map(|c| match c {
            '\n' => c,
            '\u{0}'..='\u{1f}' => char::from_u32(0x2400 + c as u32).unwrap_or('\u{fffd}'),
            '\u{7f}' => '\u{2421}',
            c if unsafe_char(c) => '\u{fffd}',
            c => c,
        })
        .collect::<String>()
        .into()
}

/// How many warnings of one kind `build` and `serve` show (`check` shows all).
pub const SHOWN_PER_KIND: usize = 10;

/// Every problem of one run, in the order they were found; sorted for output.
#[derive(Debug, Default, Clone)]
pub struct Diagnostics {
    items: Vec<Diagnostic>,
}

impl Diagnostics {
    /// Records one problem.
    pub fn push(&mut self, diagnostic: Diagnostic) {
        self.items.push(diagnostic);
    }

    /// Records every problem of `other`.
    pub fn extend(&mut self, other: Diagnostics) {
        self.items.extend(other.items);
    }

    /// These problems, found in a piece of a file read on its own, at their lines in the whole
    /// file: the piece starts `lines` lines into it.
    pub fn lines_after(mut self, lines: usize) -> Diagnostics {
        for line in self.items.iter_mut().filter_map(|d| d.line.as_mut()) {
            *line += lines;
        }
        self
    }

    /// Errors as shown: exact duplicates count once.
    pub fn error_count(&self) -> usize {
        count(&self.sorted(), Severity::Error)
    }

    /// Warnings as shown: exact duplicates count once.
    pub fn warning_count(&self) -> usize {
        count(&self.sorted(), Severity::Warning)
    }

    /// Whether any problem is an error.
    pub fn has_errors(&self) -> bool {
        self.items.iter().any(|d| d.severity == Severity::Error)
    }

    /// Whether nothing was found.
    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }

    /// Diagnostics sorted by file, then position, then message, without exact duplicates,
    /// so that output does not depend on the order in which stages ran.
    pub fn sorted(&self) -> Vec<Diagnostic> {
        let mut items = self.items.clone();
        items.sort_by(|a, b| {
            (&a.file, a.line, a.column, a.severity, &a.message)
                .cmp(&(&b.file, b.line, b.column, b.severity, &b.message))
        });
        items.dedup();
        items
    }

    /// All diagnostics as text followed by a one-line summary.
    pub fn render_text(&self) -> String {
        self.render_text_brief(usize::MAX)
    }

    /// [`Diagnostics::render_text`] in `styles`.
    pub fn render_text_styled(&self, styles: &Styles) -> String {
        self.render_text_brief_styled(usize::MAX, styles)
    }

    /// [`Diagnostics::render_text`] with at most `per_kind` warnings of each kind (warnings
    /// with the same help), and a note of how many more there are. A build of a large playbook
    /// can find thousands of due reviews, which would bury everything else; `touchbook check`
    /// is there to list them. Errors are always shown, every one.
    pub fn render_text_brief(&self, per_kind: usize) -> String {
        self.render_text_brief_styled(per_kind, &Styles::default())
    }

    /// [`Diagnostics::render_text_brief`] in `styles`.
    pub fn render_text_brief_styled(&self, per_kind: usize, styles: &Styles) -> String {
        let sorted = self.sorted();
        let mut seen: HashMap<&str, usize> = HashMap::new();
        // The kinds with warnings left out, in the order they first overflowed.
        let mut overflowed: Vec<&str> = Vec::new();
        let mut out = String::new();
        for diagnostic in &sorted {
            if let (Severity::Warning, Some(hint)) = (diagnostic.severity, &diagnostic.hint) {
                let count = seen.entry(hint).or_default();
                *count += 1;
                if *count == per_kind.saturating_add(1) {
                    overflowed.push(hint);
                }
                if *count > per_kind {
                    continue;
                }
            }
            out.push_str(&diagnostic.render_styled(styles));
            out.push('\n');
        }
        for hint in overflowed {
            let n = seen[hint] - per_kind;
            let (more, verb) = if n == 1 { ("warning", "is") } else { ("warnings", "are") };
            let _ = writeln!(
                out,
                "note: {n} more {more} with the help \"{hint}\" {verb} not shown; `touchbook check` lists every one\n"
            );
        }
        out.push_str(&summary(&sorted));
        out.push('\n');
        out
    }

    /// "2 errors, 1 warning": the closing line of a report.
    pub fn summary(&self) -> String {
        summary(&self.sorted())
    }

    /// Every problem as JSON (`check --format json`).
    pub fn render_json(&self) -> String {
        let report = serde_json::json!({
            "errors": self.error_count(),
            "warnings": self.warning_count(),
            "diagnostics": self.sorted(),
        });
        serde_json::to_string_pretty(&report).expect("diagnostics serialise to JSON") + "\n"
    }
}

fn count(sorted: &[Diagnostic], severity: Severity) -> usize {
    sorted.iter().filter(|d| d.severity == severity).count()
}

/// `3 errors and 1 warning`, or `no problems found`.
fn summary(sorted: &[Diagnostic]) -> String {
    let (errors, warnings) = (count(sorted, Severity::Error), count(sorted, Severity::Warning));
    let plural = |n: usize, word: &str| format!("{n} {word}{}", if n == 1 { "" } else { "s" });
    match (errors, warnings) {
        (0, 0) => "no problems found".to_string(),
        (0, w) => plural(w, "warning"),
        (e, 0) => plural(e, "error"),
        (e, w) => format!("{} and {}", plural(e, "error"), plural(w, "warning")),
    }
}

/// "did you mean `x`?" for a misspelt name, if one of `candidates` is close enough.
pub fn did_you_mean<'a>(given: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<String> {
    candidates
        .into_iter()
        .map(|c| (strsim::jaro_winkler(given, c), c))
        .filter(|(score, _)| *score > 0.8)
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, c)| format!("did you mean `{c}`?"))
}

/// A comma-separated list of backticked names, for hints.
pub fn one_of<S: AsRef<str>>(names: &[S]) -> String {
    names.iter().map(|n| format!("`{}`", n.as_ref())).collect::<Vec<_>>().join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_and_column_count_characters() {
        let src = SourceText::new("a.md", "+++\ntitle = \"Blåbær\" x\n");
        let offset = src.text.find('x').unwrap();
        assert_eq!(src.line_col(offset), (2, 18));
        assert_eq!(src.line_text(2), "title = \"Blåbær\" x");
    }

    #[test]
    fn renders_like_rustc() {
        let src = SourceText::new("content/touchpoints/a.md", "+++\nstage = \"nope\"\n+++\n");
        let d = src.error(12..18, "unknown stage `nope`").with_hint("expected one of `support`");
        assert_eq!(
            d.render(),
            "content/touchpoints/a.md:2:9: error: unknown stage `nope`\n  |\n2 | stage = \"nope\"\n  |         ^^^^^^\n  = help: expected one of `support`\n"
        );
    }

    #[test]
    fn an_error_that_ends_a_command_renders_as_the_diagnostic_it_carries() {
        let refused = Diagnostic::file_error("site", "refusing to replace this folder").with_hint("move them away");
        let error = anyhow::Error::from(refused).context("cannot build");

        let diagnostic = of_error(&error);

        assert_eq!(diagnostic.file, "site");
        assert_eq!(
            diagnostic.render(),
            "site: error: cannot build: refusing to replace this folder\n = help: move them away\n"
        );
    }

    #[test]
    fn an_io_error_without_a_diagnostic_is_one_without_a_file_and_with_help() {
        let full = std::io::Error::new(std::io::ErrorKind::StorageFull, "No space left on device");
        let error = anyhow::Error::from(full).context("cannot write site/index.html");

        let text = of_error(&error).render();

        assert_eq!(
            text,
            "error: cannot write site/index.html: No space left on device\n = help: free some disk space, then try again\n"
        );
    }

    #[test]
    fn brief_text_leaves_out_warnings_of_a_kind_beyond_the_limit_but_never_errors() {
        let src = SourceText::new("a.md", "one\ntwo\nthree\n");
        let mut diags = Diagnostics::default();
        for line in 0..3 {
            let start = [0, 4, 8][line];
            diags.push(src.error(start..start + 1, format!("error {line}")).with_hint("same help"));
            let warning = src.error(start..start + 1, format!("warning {line}")).with_hint("same help");
            diags.push(warning.into_warning());
        }
        let text = diags.render_text_brief(1);
        assert_eq!(text.matches(": error: ").count(), 3, "{text}");
        assert_eq!(text.matches(": warning: ").count(), 1, "{text}");
        assert!(text.contains("note: 2 more warnings with the help \"same help\" are not shown"), "{text}");
        assert!(text.ends_with("3 errors and 3 warnings\n"), "{text}");
        assert_eq!(diags.render_text().matches(": warning: ").count(), 3);
    }
}
