//! Markdown bodies: parsed once with pulldown-cmark, split into sections, rendered to HTML.
//!
//! A body is split at level-2 headings. A heading is a *known* section when it carries the
//! section's id (`## Forventet atferd {#behaviour}`) or its text is that section's label in the
//! page's language. Links to `.md` files are collected with their position so that the `links`
//! stage can check them; rendering rewrites them to page addresses.

use std::collections::HashMap;
use std::ops::Range;

use crate::words::LazyWords;
use pulldown_cmark::{CowStr, Event, HeadingLevel, Options, Parser, Tag, TagEnd, TextMergeWithOffset};

use crate::diagnostics::{Diagnostics, SourceText};
use crate::fields::slugify;
use crate::html_policy;

/// The Markdown extensions trainers may use.
fn options() -> Options {
    Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_HEADING_ATTRIBUTES
}

/// A parsed body: text before the first section, the sections, and links to content files.
#[derive(Debug, Clone, Default)]
pub struct Body {
    /// The text before the first section.
    pub intro: Events,
    /// The distinct words of the intro, for the search vocabulary.
    pub intro_words: LazyWords,
    /// The level-2 sections, in order.
    pub sections: Vec<Section>,
    /// Links to `.md` files, to be resolved to item pages.
    pub links: Vec<ContentLink>,
    /// Whether raw HTML occurs anywhere (only then is sanitising needed).
    pub has_raw_html: bool,
    /// The intro is the central file's, kept by an overlay that has none: in the central language.
    pub intro_inherited: bool,
}

/// One level-2 section.
#[derive(Debug, Clone)]
pub struct Section {
    /// A known id (`situation`, `week-3`, ...) or a slug of the heading text.
    pub id: String,
    /// The heading as written.
    pub title: String,
    /// Whether the id is one of the content type's known sections.
    pub known: bool,
    /// Byte range of the heading in the file.
    pub heading_span: Range<usize>,
    /// The section's text, without its heading.
    pub events: Events,
    /// The central file's section, kept by an overlay that does not translate it: its text is
    /// in the central language, not the edition's.
    pub inherited: bool,
    /// The distinct words of its text, for the search vocabulary: found once, for every
    /// edition that shows the section, and only in a build with search.
    pub words: LazyWords,
}

/// Parsed Markdown, shared: the editions of an item and `serve`'s parse cache hold the same
/// events instead of copies.
pub type Events = std::sync::Arc<Vec<Event<'static>>>;

/// A Markdown link whose target is a `.md` file, to be resolved to an item's page.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ContentLink {
    /// The link target as written.
    pub dest: String,
    /// Where the link is, as bytes of its file.
    pub span: Range<usize>,
}

/// How to recognise known sections in one language.
#[derive(Debug, Clone, Default)]
pub struct SectionNames {
    /// Lowercased label → section id, e.g. "expected behaviour" → "behaviour".
    pub labels: HashMap<String, String>,
    /// Section ids that may be given with `{#id}`.
    pub ids: Vec<String>,
    /// Old section ids still accepted with `{#id}`, each with the id it stands for now.
    pub renamed: Vec<(String, String)>,
    /// Lowercased words for "week", so that `## Week 3` becomes `week-3`.
    pub week_words: Vec<String>,
    /// Each known section's heading as the language writes it (`behaviour` → "Forventet
    /// atferd"), for messages that tell the writer what to add.
    pub headings: HashMap<String, String>,
}

impl SectionNames {
    /// The id an old `{#id}` now has, if it is one.
    fn new_id(&self, old: &str) -> Option<&str> {
        self.renamed.iter().find(|(from, _)| from == old).map(|(_, to)| to.as_str())
    }

    /// The section id of a level-2 heading line as written in a file (`## Rollespill
    /// {#roleplay}`, `## Week 3: Greeting`), found as [`parse`] finds it.
    pub(crate) fn id_of_heading(&self, heading: &str) -> String {
        let text = heading.trim_start_matches('#').trim();
        let (text, explicit) = match text.strip_suffix('}').and_then(|t| t.rsplit_once("{#")) {
            Some((before, attributes)) => (before.trim(), attributes.split_whitespace().next()),
            None => (text, None),
        };
        let explicit = explicit.map(|id| self.new_id(id).unwrap_or(id));
        self.recognise(explicit, text).0
    }

    fn recognise(&self, explicit_id: Option<&str>, text: &str) -> (String, bool) {
        if let Some(id) = explicit_id {
            let known = self.ids.iter().any(|k| k == id) || week_number(id, &["week"]).is_some();
            return (id.to_string(), known);
        }
        // "Situation:" and "Expected behaviour —" are the same headings to a trainer.
        let lowered = text.trim().trim_end_matches([':', ' ', '-', '–', '—']).trim().to_lowercase();
        if let Some(id) = self.labels.get(&lowered) {
            return (id.clone(), true);
        }
        let words: Vec<&str> = self.week_words.iter().map(String::as_str).collect();
        if let Some(n) = week_number(&lowered, &words) {
            return (format!("week-{n}"), true);
        }
        (slugify(text), false)
    }
}

/// `week 3`, `uke 3`, `week-3` → 3.
pub fn week_number(text: &str, words: &[&str]) -> Option<u32> {
    let text = text.trim().to_lowercase();
    words.iter().find_map(|word| {
        let rest = text.strip_prefix(word)?;
        let rest = rest.trim_start_matches([' ', '-', '\u{a0}']);
        let digits: String = rest.chars().take_while(char::is_ascii_digit).collect();
        let after = rest[digits.len()..].trim_start();
        let ends_cleanly = after.is_empty() || after.starts_with([':', '–', '—', '-', '.', '·', ',']);
        (!digits.is_empty() && ends_cleanly).then(|| digits.parse().ok()).flatten()
    })
}

/// Parses the body that starts at byte `base` of `source`.
pub fn parse(source: &SourceText, body: Range<usize>, names: &SectionNames, diags: &mut Diagnostics) -> Body {
    let base = body.start;
    let text = &source.text[body];
    let mut result = Body::default();
    let mut current: Option<Section> = None;
    let mut heading: Option<(Option<String>, String, Range<usize>)> = None;
    let parser = TextMergeWithOffset::new(Parser::new_ext(text, options()).into_offset_iter());
    for (event, range) in parser {
        let span = base + range.start..base + range.end;
        match &event {
            Event::Start(Tag::Heading { level: HeadingLevel::H2, id, .. }) => {
                heading = Some((id.as_ref().map(|i| i.to_string()), String::new(), span));
                continue;
            }
            Event::End(TagEnd::Heading(HeadingLevel::H2)) => {
                if let Some((explicit, title, heading_span)) = heading.take() {
                    let explicit = explicit.filter(|id| {
                        let allowed = html_policy::heading_id_allowed(id);
                        if !allowed {
                            let message = format!("`{{#{id}}}` is not a section id");
                            let hint = "section ids are letters, digits, `-` and `_`, e.g. `{#behaviour}`";
                            diags.push(source.warning(heading_span.clone(), message).with_hint(hint));
                        }
                        allowed
                    });
                    let explicit = explicit.map(|id| match names.new_id(&id) {
                        Some(new) => {
                            let message = format!("`{{#{id}}}` is the old id of the section now called `{{#{new}}}`");
                            let hint = format!(
                                "write `{{#{new}}}`; `{{#{id}}}` still builds, but `check --strict` refuses it"
                            );
                            diags.push(source.warning(heading_span.clone(), message).with_hint(hint));
                            new.to_string()
                        }
                        None => id,
                    });
                    let (id, known) = names.recognise(explicit.as_deref(), &title);
                    let finished = current.replace(Section {
                        id,
                        title: title.trim().to_string(),
                        known,
                        heading_span,
                        events: Events::default(),
                        inherited: false,
                        words: LazyWords::default(),
                    });
                    if let Some(section) = finished {
                        result.sections.push(section);
                    }
                }
                continue;
            }
            Event::Text(t) | Event::Code(t) if heading.is_some() => {
                if let Some((_, title, _)) = heading.as_mut() {
                    title.push_str(t);
                }
                continue;
            }
            _ if heading.is_some() => continue,
            Event::Start(Tag::Link { dest_url, .. }) if is_content_link(dest_url) => {
                result.links.push(ContentLink { dest: dest_url.to_string(), span });
            }
            Event::Html(_) | Event::InlineHtml(_) => result.has_raw_html = true,
            _ => {}
        }
        let event = event.into_static();
        match current.as_mut() {
            Some(section) => std::sync::Arc::make_mut(&mut section.events).push(event),
            None => std::sync::Arc::make_mut(&mut result.intro).push(event),
        }
    }
    if let Some(section) = current {
        result.sections.push(section);
    }
    for (i, section) in result.sections.iter().enumerate() {
        if result.sections[..i].iter().any(|s| s.id == section.id) {
            let d = source.error(section.heading_span.clone(), format!("the section `{}` appears twice", section.id));
            diags.push(d.with_hint("merge the two sections, or give one another heading"));
        }
    }
    result
}

/// `escalation.md`, `../messages/we-own-it.md#campaign`: a link to a content file.
pub fn is_content_link(dest: &str) -> bool {
    if dest.contains("://") || dest.starts_with("mailto:") || dest.starts_with('/') {
        return false;
    }
    let path = dest.split('#').next().unwrap_or_default();
    path.ends_with(".md")
}

/// Everything rendering needs besides the events.
pub struct RenderOptions<'a> {
    /// Maps a content link to its page address; `None` leaves the link as written.
    pub resolve: &'a dyn Fn(&str) -> Option<String>,
    /// Visible labels for do and don't items; `Some` only in the expected-behaviour section.
    pub verdicts: Option<(&'a str, &'a str)>,
    /// Sanitise raw HTML (true unless `allow-html = true`).
    pub sanitise: bool,
}

/// Whether an item of expected behaviour says what to do or what not to do.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Verdict {
    Do,
    Dont,
}

/// Item prefixes that mark do and don't, in every language the default theme supports.
/// Longer prefixes first, so that "do not:" wins over "do".
const VERDICT_PREFIXES: &[(&str, Verdict)] = &[
    ("don't:", Verdict::Dont),
    ("don’t:", Verdict::Dont),
    ("do not:", Verdict::Dont),
    ("ikke gjør:", Verdict::Dont),
    ("unngå:", Verdict::Dont),
    ("gør ikke:", Verdict::Dont),
    ("undgå:", Verdict::Dont),
    ("gör inte:", Verdict::Dont),
    ("undvik:", Verdict::Dont),
    ("ikke:", Verdict::Dont),
    ("✗", Verdict::Dont),
    ("✘", Verdict::Dont),
    ("do:", Verdict::Do),
    ("gjør:", Verdict::Do),
    ("gør:", Verdict::Do),
    ("gör:", Verdict::Do),
    ("✓", Verdict::Do),
    ("✔", Verdict::Do),
];

/// More characters than the longest prefix in [`VERDICT_PREFIXES`] has.
const VERDICT_PREFIX_CHARS: usize = 16;

fn verdict_prefix(text: &str) -> Option<(Verdict, usize)> {
    // The prefixes are short: lowercasing the start of an item is enough.
    let start = text.char_indices().nth(VERDICT_PREFIX_CHARS).map_or(text.len(), |(i, _)| i);
    let lowered = text[..start].to_lowercase();
    VERDICT_PREFIXES.iter().find_map(|(prefix, verdict)| {
        if !lowered.starts_with(prefix) {
            return None;
        }
        // Lowercasing keeps byte lengths for these prefixes; map back by characters to be safe.
        let chars = prefix.chars().count();
        let cut = text.char_indices().nth(chars).map_or(text.len(), |(i, _)| i);
        Some((*verdict, cut))
    })
}

/// `### Do` / `### Don't` headings switch the verdict of the list items that follow.
fn verdict_heading(text: &str) -> Option<Verdict> {
    let t = text.trim().trim_end_matches(':').to_lowercase();
    let with_colon = format!("{t}:");
    verdict_prefix(&with_colon).filter(|(_, cut)| *cut == with_colon.len()).map(|(v, _)| v)
}

/// Renders events to HTML: links rewritten, do/don't items marked, raw HTML sanitised.
pub fn render(events: &[Event<'static>], options: &RenderOptions<'_>) -> String {
    let mut out: Vec<Event<'_>> = Vec::with_capacity(events.len() + 8);
    let mut heading_verdict: Option<Verdict> = None;
    let mut in_heading = false;
    let mut in_refused_image = false;
    let mut heading_text = String::new();
    let mut i = 0;
    while i < events.len() {
        let event = &events[i];
        match event {
            Event::Start(Tag::Link { link_type, dest_url, title, id }) => {
                let dest = if html_policy::url_allowed(dest_url) {
                    (options.resolve)(dest_url).map_or_else(|| dest_url.clone(), CowStr::from)
                } else {
                    CowStr::Borrowed("#")
                };
                out.push(Event::Start(Tag::Link {
                    link_type: *link_type,
                    dest_url: dest,
                    title: title.clone(),
                    id: id.clone(),
                }));
            }
            // An image from a refused address is left out; its description stays as text.
            Event::Start(Tag::Image { dest_url, .. }) if !html_policy::url_allowed(dest_url) => {
                in_refused_image = true;
            }
            Event::End(TagEnd::Image) if in_refused_image => in_refused_image = false,
            Event::FootnoteReference(label) => {
                out.push(Event::FootnoteReference(html_policy::footnote_label(label).into_owned().into()));
            }
            Event::Start(Tag::FootnoteDefinition(label)) => {
                let label = html_policy::footnote_label(label).into_owned().into();
                out.push(Event::Start(Tag::FootnoteDefinition(label)));
            }
            // Of a heading's `{#id .class key=value}` only an id of id characters reaches the
            // page: attributes are where handlers such as `onfocus` would hide.
            Event::Start(Tag::Heading { level, id, .. }) => {
                if options.verdicts.is_some() {
                    in_heading = true;
                    heading_text.clear();
                }
                let id = id
                    .as_ref()
                    .filter(|id| html_policy::heading_id_allowed(id))
                    .map(|id| CowStr::Borrowed(id.as_ref()));
                out.push(Event::Start(Tag::Heading { level: *level, id, classes: Vec::new(), attrs: Vec::new() }));
            }
            Event::Text(t) if in_heading => {
                heading_text.push_str(t);
                out.push(borrowed(event));
            }
            Event::End(TagEnd::Heading(_)) if in_heading => {
                in_heading = false;
                heading_verdict = verdict_heading(&heading_text);
                out.push(borrowed(event));
            }
            Event::Start(Tag::Item) if options.verdicts.is_some() => {
                let (labels_do, labels_dont) = options.verdicts.unwrap_or_default();
                let (verdict, consumed, rest) = item_verdict(&events[i + 1..]);
                match verdict.or(heading_verdict) {
                    Some(verdict) => {
                        let (class, label) = match verdict {
                            Verdict::Do => ("do", labels_do),
                            Verdict::Dont => ("dont", labels_dont),
                        };
                        let label = escape(label);
                        out.push(Event::Html(
                            format!("<li class=\"verdict-{class}\"><span class=\"verdict\">{label}</span> ").into(),
                        ));
                        out.extend(rest);
                        i += 1 + consumed;
                        continue;
                    }
                    None => out.push(borrowed(event)),
                }
            }
            _ => out.push(borrowed(event)),
        }
        i += 1;
    }
    // Room for the text and about as much again for the tags: the string rarely grows, and
    // growing copies it (a section is rendered once per page that shows it).
    let text: usize = out.iter().map(|e| if let Event::Text(t) = e { t.len() } else { 0 }).sum();
    let mut html = String::with_capacity(2 * text + 16 * out.len());
    pulldown_cmark::html::push_html(&mut html, out.into_iter());
    if options.sanitise && events.iter().any(|e| matches!(e, Event::Html(_) | Event::InlineHtml(_))) {
        html = html_policy::sanitise(&html);
    }
    html
}

/// The event with its text borrowed rather than copied: rendering leaves most events as they
/// are, so there is no need to copy every text of a section each time a page shows it.
fn borrowed<'a>(event: &'a Event<'static>) -> Event<'a> {
    let text = |t: &'a CowStr<'static>| CowStr::Borrowed(t.as_ref());
    match event {
        Event::Text(t) => Event::Text(text(t)),
        Event::Code(t) => Event::Code(text(t)),
        Event::Html(t) => Event::Html(text(t)),
        Event::InlineHtml(t) => Event::InlineHtml(text(t)),
        Event::InlineMath(t) => Event::InlineMath(text(t)),
        Event::DisplayMath(t) => Event::DisplayMath(text(t)),
        Event::FootnoteReference(t) => Event::FootnoteReference(text(t)),
        other => other.clone(),
    }
}

/// Looks at the start of a list item for a do/don't prefix. Returns the verdict, how many
/// events were consumed and the events to emit in their place.
fn item_verdict(after: &[Event<'static>]) -> (Option<Verdict>, usize, Vec<Event<'static>>) {
    let mut prefix_events = Vec::new();
    let mut i = 0;
    if let Some(Event::Start(Tag::Paragraph)) = after.first() {
        prefix_events.push(after[0].clone());
        i = 1;
    }
    if let Some([Event::Start(Tag::Strong), Event::Text(t), Event::End(TagEnd::Strong)]) = after.get(i..i + 3) {
        if let Some((verdict, _)) = verdict_prefix(t).filter(|(_, cut)| t[*cut..].trim().is_empty()) {
            // `**Do:**` alone: drop it; the following text may start with a space.
            let mut rest = prefix_events;
            let mut consumed = i + 3;
            if let Some(Event::Text(next)) = after.get(i + 3) {
                rest.push(Event::Text(next.trim_start().to_string().into()));
                consumed += 1;
            }
            return (Some(verdict), consumed, rest);
        }
    }
    if let Some(Event::Text(t)) = after.get(i) {
        if let Some((verdict, cut)) = verdict_prefix(t) {
            prefix_events.push(Event::Text(t[cut..].trim_start().to_string().into()));
            return (Some(verdict), i + 1, prefix_events);
        }
    }
    (None, 0, Vec::new())
}

/// The do and don't items of a section (by prefix or under a `### Do`/`### Don't` heading), as
/// `(is_do, text without its prefix)`, in order: what an overlay is compared on.
pub fn verdict_items(events: &[Event<'static>]) -> Vec<(bool, String)> {
    let mut items = Vec::new();
    let mut heading_verdict: Option<Verdict> = None;
    let mut heading_text: Option<String> = None;
    for (i, event) in events.iter().enumerate() {
        match event {
            Event::Start(Tag::Heading { .. }) => heading_text = Some(String::new()),
            Event::Text(t) if heading_text.is_some() => heading_text.iter_mut().for_each(|h| h.push_str(t)),
            Event::End(TagEnd::Heading(_)) => heading_verdict = heading_text.take().and_then(|h| verdict_heading(&h)),
            Event::Start(Tag::Item) => {
                let (verdict, consumed, rest) = item_verdict(&events[i + 1..]);
                let Some(verdict) = verdict.or(heading_verdict) else { continue };
                let mut text: String =
                    rest.iter().filter_map(|e| if let Event::Text(t) = e { Some(t.as_ref()) } else { None }).collect();
                for e in &events[i + 1 + consumed..] {
                    match e {
                        Event::End(TagEnd::Item) | Event::Start(Tag::List(_)) => break,
                        Event::Text(t) | Event::Code(t) => text.push_str(t),
                        Event::SoftBreak | Event::HardBreak => text.push(' '),
                        _ => {}
                    }
                }
                items.push((verdict == Verdict::Do, text.split_whitespace().collect::<Vec<_>>().join(" ")));
            }
            _ => {}
        }
    }
    items
}

/// Escapes text for HTML element content and attribute values.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    pulldown_cmark_escape::escape_html(&mut out, text).expect("writing to a String cannot fail");
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostics::Severity;

    fn names() -> SectionNames {
        SectionNames {
            labels: [("expected behaviour".to_string(), "behaviour".to_string())].into(),
            ids: vec!["situation".into(), "behaviour".into(), "roleplay".into()],
            renamed: vec![("practice".into(), "roleplay".into())],
            week_words: vec!["week".into()],
            headings: HashMap::new(),
        }
    }

    fn parse_text(text: &str) -> Body {
        let source = SourceText::new("a.md", text);
        parse(&source, 0..text.len(), &names(), &mut Diagnostics::default())
    }

    fn render_plain(events: &[Event<'static>]) -> String {
        render(events, &RenderOptions { resolve: &|_| None, verdicts: Some(("Do", "Don't")), sanitise: true })
    }

    #[test]
    fn an_old_section_id_builds_as_its_new_id_with_a_warning_naming_it() {
        let text = "Intro\n\n## Practise it {#practice}\n\nPlay the customer.\n";
        let source = SourceText::new("a.md", text);
        let mut diags = Diagnostics::default();
        let body = parse(&source, 0..text.len(), &names(), &mut diags);
        assert_eq!(body.sections.iter().map(|s| (s.id.as_str(), s.known)).collect::<Vec<_>>(), [("roleplay", true)]);
        let found = diags.sorted();
        assert_eq!(found.len(), 1, "{found:?}");
        assert_eq!((found[0].severity, found[0].line, found[0].column), (Severity::Warning, Some(3), Some(1)));
        assert!(found[0].message.contains("`{#roleplay}`"), "{}", found[0].message);
    }

    #[test]
    fn recognises_sections_by_id_and_label() {
        let body = parse_text("Intro\n\n## Hva skjer {#situation}\n\nA\n\n## Expected Behaviour:\n\n- Do: x\n\n## Week 3: kick-off\n\n## Other things\n");
        let ids: Vec<_> = body.sections.iter().map(|s| (s.id.as_str(), s.known)).collect();
        assert_eq!(ids, [("situation", true), ("behaviour", true), ("week-3", true), ("other-things", false)]);
    }

    #[test]
    fn marks_do_and_dont_items() {
        let body = parse_text("## Expected behaviour\n\n- Do: listen\n- **Don't:** interrupt\n- neutral\n");
        let html = render_plain(&body.sections[0].events);
        assert!(html.contains("<li class=\"verdict-do\"><span class=\"verdict\">Do</span> listen</li>"), "{html}");
        assert!(
            html.contains("<li class=\"verdict-dont\"><span class=\"verdict\">Don&#39;t</span> interrupt</li>")
                || html.contains("<li class=\"verdict-dont\"><span class=\"verdict\">Don't</span> interrupt</li>"),
            "{html}"
        );
        assert!(html.contains("<li>neutral</li>"), "{html}");
    }

    /// The labels docs/format.md recommends to translators, as items and as subheadings.
    #[test]
    fn the_nordic_dont_labels_mark_items_and_keep_the_infinitive() {
        for (item, rest) in
            [("Unngå: å avvise", "å avvise"), ("Undgå: at afvise", "at afvise"), ("Undvik: att avvisa", "att avvisa")]
        {
            let body = parse_text(&format!("## Expected behaviour\n\n- Gjør: lytt\n- {item}\n"));
            let html = render(
                &body.sections[0].events,
                &RenderOptions { resolve: &|_| None, verdicts: Some(("Gjør", "Unngå")), sanitise: true },
            );
            assert!(
                html.contains(&format!("<li class=\"verdict-dont\"><span class=\"verdict\">Unngå</span> {rest}</li>")),
                "{html}"
            );
            assert!(html.contains("<li class=\"verdict-do\"><span class=\"verdict\">Gjør</span> lytt</li>"), "{html}");
            let heading = item.split(':').next().unwrap();
            let body = parse_text(&format!("## Expected behaviour\n\n### {heading}\n\n- {rest}\n"));
            assert!(render_plain(&body.sections[0].events).contains("verdict-dont"), "### {heading}");
        }
    }

    #[test]
    fn subheadings_set_verdicts() {
        let body = parse_text("## Expected behaviour\n\n### Don't\n\n- promise a date\n");
        assert!(render_plain(&body.sections[0].events).contains("verdict-dont"));
    }

    #[test]
    fn drops_script_and_javascript_links() {
        let body = parse_text("<script>alert(1)</script>\n\n[x](javascript:alert(1)) <img src=x onerror=alert(1)>\n");
        let html = render_plain(&body.intro);
        assert!(!html.contains("<script") && !html.contains("javascript:") && !html.contains("onerror"), "{html}");
    }

    #[test]
    fn heading_attributes_never_reach_the_page() {
        let body = parse_text("### Hi {#ok .evil onfocus=alert(1) autofocus tabindex=1}\n\n#### X {#a\"onmouseover=x}\n\n![a](javascript:alert(1)) ![b](data:image/svg+xml,x) ![c](pic.png)\n");
        let html = render_plain(&body.intro);
        assert!(crate::html_policy::check_page(&html).is_empty(), "{html}");
        assert!(html.contains("<h3 id=\"ok\">Hi</h3>"), "{html}");
        assert!(!html.contains("onfocus") && !html.contains("javascript") && !html.contains("data:"), "{html}");
        assert!(html.contains("<img src=\"pic.png\" alt=\"c\""), "{html}");
    }

    #[test]
    fn collects_content_links() {
        let body = parse_text("See [a](a.md), [b](../messages/b.md#x) and [web](https://x.md).\n");
        let dests: Vec<_> = body.links.iter().map(|l| l.dest.as_str()).collect();
        assert_eq!(dests, ["a.md", "../messages/b.md#x"]);
    }
}
