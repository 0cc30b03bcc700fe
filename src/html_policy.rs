//! The one place that decides which HTML elements, attributes and URL schemes content may put
//! on a page.
//!
//! Markdown is filtered event by event (every heading, link and image, on every section), raw
//! HTML goes through ammonia with the same lists, and URL-valued front-matter keys go through
//! [`url_allowed`]. [`check_page`] reads a finished page back against these lists and the
//! theme's own elements: the fuzz targets and tests use it as their oracle.

use std::collections::HashSet;
use std::sync::OnceLock;

/// URL schemes a link or image from content may use; anything without a scheme is relative.
pub const URL_SCHEMES: &[&str] = &["http", "https", "mailto"];

/// Elements Markdown produces, and raw HTML may keep when sanitised.
pub const CONTENT_ELEMENTS: &[&str] = &[
    "a",
    "abbr",
    "b",
    "blockquote",
    "br",
    "caption",
    "code",
    "dd",
    "del",
    "details",
    "div",
    "dl",
    "dt",
    "em",
    "figcaption",
    "figure",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "hr",
    "i",
    "img",
    "input",
    "ins",
    "kbd",
    "li",
    "mark",
    "ol",
    "p",
    "pre",
    "q",
    "s",
    "samp",
    "small",
    "span",
    "strike",
    "strong",
    "sub",
    "summary",
    "sup",
    "table",
    "tbody",
    "td",
    "tfoot",
    "th",
    "thead",
    "tr",
    "u",
    "ul",
];

/// Attributes every content element may carry.
pub const CONTENT_GENERIC_ATTRIBUTES: &[&str] = &["class", "id", "title", "lang", "dir"];

/// Attributes particular content elements may carry besides the generic ones.
pub const CONTENT_ATTRIBUTES: &[(&str, &[&str])] = &[
    ("a", &["href", "hreflang"]),
    ("img", &["src", "alt", "width", "height"]),
    ("input", &["type", "checked", "disabled"]),
    ("ol", &["start", "reversed", "type"]),
    ("td", &["style", "colspan", "rowspan"]),
    ("th", &["style", "colspan", "rowspan", "scope"]),
    ("q", &["cite"]),
    ("blockquote", &["cite"]),
];

/// Attributes whose value is a URL and must pass [`url_allowed`].
const URL_ATTRIBUTES: &[&str] = &["href", "src", "cite", "action", "formaction", "poster", "data", "xlink:href"];

/// The scheme of a URL as a browser reads it (lowercased), or `None` for a relative URL.
///
/// Browsers drop leading and trailing spaces and control characters and every tab and newline
/// before they look for the scheme, so `java\tscript:` is `javascript:` to them, and to us.
pub fn scheme_of(url: &str) -> Option<String> {
    let cleaned: String =
        url.trim_matches(|c: char| c <= ' ').chars().filter(|c| !matches!(c, '\t' | '\n' | '\r')).collect();
    let end = cleaned.find(':')?;
    let scheme = &cleaned[..end];
    let mut chars = scheme.chars();
    let first_ok = chars.next().is_some_and(|c| c.is_ascii_alphabetic());
    let rest_ok = chars.all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'));
    // A `:` after a `/`, `?` or `#` is part of a relative path, query or fragment.
    (first_ok && rest_ok).then(|| scheme.to_ascii_lowercase())
}

/// Whether content may link to or embed this URL: relative, or one of [`URL_SCHEMES`].
pub fn url_allowed(url: &str) -> bool {
    // Control characters other than tab and newline make browsers and parsers disagree.
    if url.chars().any(|c| c.is_control() && !matches!(c, '\t' | '\n' | '\r')) {
        return false;
    }
    scheme_of(url).is_none_or(|scheme| URL_SCHEMES.contains(&scheme.as_str()))
}

/// A footnote's label, which becomes a fragment link and an `id`: control characters (which
/// [`url_allowed`] refuses) become U+FFFD, as CommonMark does with NUL in text.
pub fn footnote_label(label: &str) -> std::borrow::Cow<'_, str> {
    let refused = |c: char| c.is_control() && !matches!(c, '\t' | '\n' | '\r');
    if label.chars().any(refused) {
        label.chars().map(|c| if refused(c) { '\u{FFFD}' } else { c }).collect::<String>().into()
    } else {
        label.into()
    }
}

/// What a reader is told when a URL-valued key is refused.
pub fn url_hint() -> String {
    format!(
        "addresses start with {}, or are relative to the page",
        URL_SCHEMES.iter().map(|s| format!("`{s}:`")).collect::<Vec<_>>().join(", ")
    )
}

/// Whether a heading's `{#id}` may become an `id` attribute: the characters of ids and slugs,
/// so an id can neither break out of its attribute nor look like something else.
pub fn heading_id_allowed(id: &str) -> bool {
    !id.is_empty() && id.len() <= 100 && id.bytes().all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_'))
}

/// Raw HTML from Markdown, cleaned to the content lists above (used unless `allow-html`).
pub fn sanitise(html: &str) -> String {
    static CLEANER: OnceLock<ammonia::Builder<'static>> = OnceLock::new();
    CLEANER
        .get_or_init(|| {
            let mut builder = ammonia::Builder::empty();
            builder
                .tags(CONTENT_ELEMENTS.iter().copied().collect())
                .generic_attributes(CONTENT_GENERIC_ATTRIBUTES.iter().copied().collect())
                .tag_attributes(
                    CONTENT_ATTRIBUTES.iter().map(|(tag, attrs)| (*tag, attrs.iter().copied().collect())).collect(),
                )
                .url_schemes(URL_SCHEMES.iter().copied().collect())
                .url_relative(ammonia::UrlRelative::PassThrough)
                .link_rel(Some("noopener noreferrer"))
                .attribute_filter(|_, attribute, value| match attribute {
                    // Tables only ever need their cells aligned.
                    "style" => is_alignment(value).then_some(value.into()),
                    "id" => heading_id_allowed(value).then_some(value.into()),
                    _ => Some(value.into()),
                });
            builder
        })
        .clean(html)
        .to_string()
}

fn is_alignment(style: &str) -> bool {
    matches!(style.trim().trim_end_matches(';'), "text-align: left" | "text-align: center" | "text-align: right")
}

/// Elements and attributes the default theme's templates put on pages around the content.
/// [`check_page`] allows these besides the content lists; a template that needs another
/// element or attribute adds it here, deliberately.
pub const THEME_ELEMENTS: &[&str] = &[
    "html", "head", "body", "meta", "title", "link", "script", "header", "nav", "main", "footer", "section", "article",
    "aside", "form", "label", "button", "select", "option", "fieldset", "legend", "textarea", "noscript", "svg",
    "path", "rect", "circle", "line", "polyline", "g", "text", "title", "desc", "time", "output", "progress", "meter",
    "template", "colgroup", "col", "input",
];

/// Attributes the theme uses, on any of its elements.
pub const THEME_ATTRIBUTES: &[&str] = &[
    "lang",
    "charset",
    "name",
    "content",
    "rel",
    "href",
    "hreflang",
    "type",
    "src",
    "defer",
    "async",
    "media",
    "role",
    "tabindex",
    "hidden",
    "for",
    "value",
    "selected",
    "placeholder",
    "autocomplete",
    "spellcheck",
    "datetime",
    "open",
    "method",
    "action",
    "rows",
    "cols",
    "min",
    "max",
    "step",
    "required",
    "readonly",
    "maxlength",
    "viewbox",
    "xmlns",
    "d",
    "x",
    "y",
    "x1",
    "x2",
    "y1",
    "y2",
    "cx",
    "cy",
    "r",
    "fill",
    "stroke",
    "stroke-width",
    "points",
    "width",
    "height",
    "focusable",
    "preserveaspectratio",
    "span",
    "sizes",
];

/// Reads a finished page and returns every element, attribute or URL that is not allowed:
/// elements and attributes outside the content and theme lists, any event handler, `style`
/// other than table-cell alignment, URLs with a scheme not allowed, and scripts other than the
/// theme's own files (`<script src="…/x.js">` with a relative address and nothing inside).
/// `data-*` and `aria-*` attributes are allowed; their values never run.
pub fn check_page(html: &str) -> Vec<String> {
    let allowed_elements = allowed_elements();
    let problems = std::cell::RefCell::new(Vec::new());
    let handler = lol_html::element!("*", |el| {
        let tag = el.tag_name().to_ascii_lowercase();
        if !allowed_elements.contains(tag.as_str()) {
            problems.borrow_mut().push(format!("element <{tag}>"));
        }
        if tag == "script" {
            let src = el.get_attribute("src").unwrap_or_default();
            if scheme_of(&src).is_some() || src.starts_with("//") || !src.ends_with(".js") {
                problems.borrow_mut().push(format!("<script src=\"{src}\">: only the theme's own script files"));
            }
        }
        for attribute in el.attributes() {
            let name = attribute.name().to_ascii_lowercase();
            let value = attribute.value();
            if let Some(problem) = attribute_problem(&tag, &name, &value) {
                problems.borrow_mut().push(problem);
            }
        }
        Ok(())
    });
    let script_text = lol_html::text!("script", |text| {
        if !text.as_str().trim().is_empty() {
            problems.borrow_mut().push(format!("inline script: {}", text.as_str()));
        }
        Ok(())
    });
    let settings = lol_html::RewriteStrSettings::new()
        .append_element_content_handler(handler)
        .append_element_content_handler(script_text);
    let written = lol_html::rewrite_str(html, settings);
    let mut problems = problems.into_inner();
    if let Err(error) = written {
        problems.push(format!("the page could not be read: {error}"));
    }
    problems
}

fn allowed_elements() -> &'static HashSet<&'static str> {
    static SET: OnceLock<HashSet<&'static str>> = OnceLock::new();
    SET.get_or_init(|| CONTENT_ELEMENTS.iter().chain(THEME_ELEMENTS).copied().collect())
}

fn attribute_problem(tag: &str, name: &str, value: &str) -> Option<String> {
    if name.starts_with("on") {
        return Some(format!("event handler {name} on <{tag}>"));
    }
    if URL_ATTRIBUTES.contains(&name) && !url_allowed(value) {
        return Some(format!("{name}=\"{value}\" on <{tag}>: scheme not allowed"));
    }
    if name == "style" && !(matches!(tag, "td" | "th") && is_alignment(value)) {
        return Some(format!("style=\"{value}\" on <{tag}>"));
    }
    if name == "srcset" || name == "formaction" || name == "autofocus" || name == "http-equiv" {
        return Some(format!("attribute {name} on <{tag}>"));
    }
    let known = name.starts_with("data-")
        || name.starts_with("aria-")
        || name == "style"
        || CONTENT_GENERIC_ATTRIBUTES.contains(&name)
        || THEME_ATTRIBUTES.contains(&name)
        || CONTENT_ATTRIBUTES.iter().any(|(t, attrs)| *t == tag && attrs.contains(&name));
    (!known).then(|| format!("attribute {name} on <{tag}>"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn schemes_are_read_as_browsers_read_them() {
        for bad in [
            "javascript:alert(1)",
            " JaVa\tScRiPt:x",
            "\u{1}javascript:x",
            "vbscript:x",
            "data:text/html,x",
            "java\nscript:x",
        ] {
            assert!(!url_allowed(bad), "{bad:?} must be refused");
        }
        for good in [
            "https://x.example",
            "http://x",
            "mailto:a@b.example",
            "page.html",
            "../a/b.html#c",
            "#top",
            "a?b=c:d",
            "/x:y",
            "//cdn.example/x",
        ] {
            assert!(url_allowed(good), "{good:?} must be allowed");
        }
    }

    #[test]
    fn sanitising_keeps_markdown_and_drops_the_rest() {
        let html = sanitise(
            "<p id=\"a\" onclick=\"x()\">t</p><img src=\"javascript:x\" onerror=\"y\"><a href=\"data:x\">d</a>\
             <td style=\"text-align: center\">c</td><h2 autofocus onfocus=\"z\">h</h2><svg><script>1</script></svg>",
        );
        assert!(check_page(&html).is_empty(), "{html}: {:?}", check_page(&html));
        assert!(!html.contains("onclick") && !html.contains("javascript") && !html.contains("autofocus"), "{html}");
        assert!(html.contains("<p id=\"a\">t</p>"), "{html}");
    }

    #[test]
    fn the_oracle_sees_handlers_and_schemes() {
        let problems = check_page(
            "<h2 id=\"x\" onfocus=\"alert(1)\" autofocus>t</h2><a href=\" javascript:x\">a</a><marquee>m</marquee>",
        );
        assert_eq!(problems.len(), 4, "{problems:?}");
    }
}
