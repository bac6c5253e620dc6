//! Parse stage: markdown to HTML, once per page, keeping what later stages need.
//!
//! Headings get stable, unique anchors (custom `{#id}` first, then Unicode-aware slugs);
//! fenced code is highlighted into CSS classes; links written `@/section/page.md#anchor`
//! are recorded with their position and left as placeholders that the render stage turns
//! into relative URLs for each output location. Fenced `chart` blocks become bar charts
//! (see [`chart`]).

use super::chart::{self, ChartText};
use crate::diagnostics::Pos;
use pulldown_cmark::{CodeBlockKind, CowStr, Event, HeadingLevel, Options, Parser, Tag, TagEnd};
use std::collections::HashSet;
use std::sync::OnceLock;
use syntect::html::{ClassStyle, ClassedHTMLGenerator};
use syntect::parsing::SyntaxSet;
use syntect::util::LinesWithEndings;

/// The prefix of footnote ids (`fn-1`), kept apart from heading anchors.
pub const FOOTNOTE_PREFIX: &str = "fn-";

/// The class prefix of highlighted code (`hl-keyword`, `hl-string`, ...).
pub const HIGHLIGHT_PREFIX: &str = "hl-";

/// Syntax definitions for code highlighting, loaded on first use and owned by the build.
#[derive(Default)]
pub struct Highlighter {
    syntaxes: OnceLock<SyntaxSet>,
}

impl Highlighter {
    fn syntaxes(&self) -> &SyntaxSet {
        self.syntaxes.get_or_init(SyntaxSet::load_defaults_newlines)
    }

    /// HTML for a code block in `lang` (CSS classes, no inline styles).
    pub fn highlight(&self, code: &str, lang: Option<&str>) -> String {
        let lang_class = lang.map(|l| format!(" class=\"language-{}\"", escape_attr(l))).unwrap_or_default();
        let body = lang
            .filter(|_| super::limits::highlightable(code))
            .and_then(|l| {
                let ss = self.syntaxes();
                let syntax = ss.find_syntax_by_token(l)?;
                let mut gen = ClassedHTMLGenerator::new_with_class_style(
                    syntax,
                    ss,
                    ClassStyle::SpacedPrefixed { prefix: HIGHLIGHT_PREFIX },
                );
                for line in LinesWithEndings::from(code) {
                    gen.parse_html_for_line_which_includes_newline(line).ok()?;
                }
                Some(gen.finalize())
            })
            .unwrap_or_else(|| escape_text(code));
        format!("<pre class=\"code\"><code{lang_class}>{body}</code></pre>\n")
    }
}

/// A heading of a page.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Heading {
    /// 1 to 6.
    pub level: u8,
    /// The anchor, unique within the page.
    pub id: String,
    /// The heading's plain text.
    pub text: String,
}

/// What an internal link in the body leads to.
#[derive(Debug, Clone, PartialEq)]
pub enum LinkTarget {
    /// Another page (`@/pilots/avignon.md#results`, or `../pilots/avignon.en.md`).
    Page {
        /// The page id.
        id: String,
        /// The heading anchor, without `#`.
        anchor: Option<String>,
    },
    /// A heading of this page (`#results`).
    Anchor(String),
    /// A file: in `static/` (`/files/report.pdf`) or beside the page (`report.pdf`).
    File {
        /// Its path in the output (`files/report.pdf`, `pilots/report.pdf`).
        output: String,
        /// Whether it comes from `static/` (else from `content/`).
        from_static: bool,
    },
}

/// An internal link or image written in the body.
#[derive(Debug, Clone, PartialEq)]
pub struct BodyLink {
    /// What it leads to.
    pub target: LinkTarget,
    /// As written, for messages.
    pub written: String,
    /// Where the link stands in the file.
    pub pos: Pos,
}

/// A problem found while rendering markdown.
#[derive(Debug, Clone, PartialEq)]
pub struct MarkdownProblem {
    /// Where.
    pub pos: Pos,
    /// Stable code.
    pub code: &'static str,
    /// What and how to fix it.
    pub message: String,
}

/// A page body, rendered.
#[derive(Debug, Clone, Default)]
pub struct Markdown {
    /// HTML with `@/` links as placeholders (see [`link_placeholder`]).
    pub html: String,
    /// Every heading, in order.
    pub headings: Vec<Heading>,
    /// Links to other pages, in order; placeholder `i` is `links[i]`.
    pub links: Vec<BodyLink>,
    /// The plain text (for summaries and search).
    pub text: String,
    /// The first paragraph as plain text.
    pub first_paragraph: String,
    /// The plain text under each heading (the first one, with no heading, holds what
    /// comes before the first heading), for search.
    pub sections: Vec<TextSection>,
}

/// The plain text under one heading.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct TextSection {
    /// The heading's anchor (empty before the first heading).
    pub anchor: String,
    /// The heading's text.
    pub heading: String,
    /// The text.
    pub text: String,
}

const LINK_OPEN: &str = "@@gb-link:";
const LINK_CLOSE: &str = "@@";

impl Markdown {
    /// Appends text to the page's text and to the current section's.
    fn push_text(&mut self, s: &str) {
        self.text.push_str(s);
        if self.sections.is_empty() {
            self.sections.push(TextSection::default());
        }
        if let Some(section) = self.sections.last_mut() {
            section.text.push_str(s);
        }
    }
}

/// The placeholder written in `href` for the `i`-th page link of a body.
pub fn link_placeholder(i: usize) -> String {
    format!("{LINK_OPEN}{i}{LINK_CLOSE}")
}

/// `html` with each link placeholder `i` replaced by `urls[i]` (already escaped), in one pass.
pub fn fill_links(html: &str, urls: &[String]) -> String {
    if urls.is_empty() {
        return html.to_string();
    }
    let mut out = String::with_capacity(html.len() + urls.iter().map(String::len).sum::<usize>());
    let mut rest = html;
    while let Some(at) = rest.find(LINK_OPEN) {
        let after = &rest[at + LINK_OPEN.len()..];
        let Some(end) = after.find(LINK_CLOSE) else {
            break;
        };
        match after[..end].parse::<usize>().ok().and_then(|i| urls.get(i)) {
            Some(url) => {
                out.push_str(&rest[..at]);
                out.push_str(url);
            }
            None => out.push_str(&rest[..at + LINK_OPEN.len() + end + LINK_CLOSE.len()]),
        }
        rest = &after[end + LINK_CLOSE.len()..];
    }
    out.push_str(rest);
    out
}

fn options() -> Options {
    Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_HEADING_ATTRIBUTES
        | Options::ENABLE_SMART_PUNCTUATION
}

struct LineIndex {
    starts: Vec<usize>,
    first_line: usize,
}

impl LineIndex {
    fn new(text: &str, first_line: usize) -> Self {
        let mut starts = vec![0];
        starts.extend(text.match_indices('\n').map(|(i, _)| i + 1));
        LineIndex { starts, first_line }
    }

    fn pos(&self, text: &str, offset: usize) -> Pos {
        let line = self.starts.partition_point(|&s| s <= offset).saturating_sub(1);
        let start = self.starts[line];
        let column = text.get(start..offset).map_or(1, |s| s.chars().count() + 1);
        Pos::new(self.first_line + line, column)
    }
}

/// Renders `body`, whose first line is line `body_line` of the file.
/// `dir` is the page's folder inside `content/` (`pilots`, or empty), for relative links.
pub fn render(
    body: &str,
    body_line: usize,
    dir: &str,
    hl: &Highlighter,
    chart_text: &ChartText<'_>,
) -> (Markdown, Vec<MarkdownProblem>) {
    let lines = LineIndex::new(body, body_line);
    let events: Vec<(Event<'_>, std::ops::Range<usize>)> =
        Parser::new_ext(body, options()).into_offset_iter().collect();
    let mut problems = Vec::new();

    // Custom anchors first, so generated ones never take them.
    let mut used: HashSet<String> = HashSet::new();
    for (ev, range) in &events {
        if let Event::Start(Tag::Heading { id: Some(id), .. }) = ev {
            if !used.insert(id.to_string()) {
                problems.push(MarkdownProblem {
                    pos: lines.pos(body, range.start),
                    code: "duplicate-anchor",
                    message: format!("anchor `#{id}` is given to two headings of this page: choose another `{{#...}}`"),
                });
            }
        }
    }

    let mut out: Vec<Event<'_>> = Vec::with_capacity(events.len());
    let mut md = Markdown::default();
    let mut i = 0;
    let mut in_paragraph = false;
    let mut first_paragraph_done = false;
    let mut paragraph = String::new();
    let mut charts = 0;
    while i < events.len() {
        let (ev, range) = &events[i];
        match ev {
            Event::Start(Tag::Heading { level, id, classes, attrs }) => {
                let end = events[i..]
                    .iter()
                    .position(|(e, _)| matches!(e, Event::End(TagEnd::Heading(_))))
                    .map_or(events.len(), |p| i + p);
                let text = plain_text(events[i + 1..end].iter().map(|(e, _)| e));
                let anchor = match id {
                    Some(id) => id.to_string(),
                    None => unique_anchor(&text, &mut used),
                };
                md.headings.push(Heading { level: heading_number(*level), id: anchor.clone(), text: text.clone() });
                append_text(&mut md.text, &text);
                md.sections.push(TextSection { anchor: anchor.clone(), heading: text.clone(), text: String::new() });
                out.push(Event::Start(Tag::Heading {
                    level: *level,
                    id: Some(CowStr::from(anchor)),
                    classes: classes.clone(),
                    attrs: attrs.clone(),
                }));
                for (e, r) in &events[i + 1..end] {
                    out.push(rewrite_link(e.clone(), r, body, &lines, &mut md.links, dir));
                }
                if end < events.len() {
                    out.push(events[end].0.clone());
                }
                i = end + 1;
                continue;
            }
            Event::Start(Tag::CodeBlock(kind)) => {
                let end = events[i..]
                    .iter()
                    .position(|(e, _)| matches!(e, Event::End(TagEnd::CodeBlock)))
                    .map_or(events.len(), |p| i + p);
                let code: String = events[i + 1..end]
                    .iter()
                    .filter_map(|(e, _)| if let Event::Text(t) = e { Some(t.as_ref()) } else { None })
                    .collect();
                let lang = match kind {
                    CodeBlockKind::Fenced(info) => info.split([' ', ',', '{']).next().filter(|l| !l.is_empty()),
                    CodeBlockKind::Indented => None,
                };
                if lang == Some("chart") {
                    match chart::render(&code, charts, chart_text) {
                        Ok(c) => {
                            out.push(Event::Html(CowStr::from(c.html)));
                            md.push_text(&c.text);
                        }
                        Err(e) => {
                            // The block's first line is the one after the fence.
                            let fence = lines.pos(body, range.start);
                            problems.push(MarkdownProblem {
                                pos: Pos::new(fence.line + e.pos.line, e.pos.column),
                                code: "chart",
                                message: e.message,
                            });
                        }
                    }
                    charts += 1;
                } else {
                    out.push(Event::Html(CowStr::from(hl.highlight(&code, lang))));
                    md.push_text(&code);
                }
                md.push_text("\n");
                i = end + 1;
                continue;
            }
            Event::Start(Tag::Paragraph) => in_paragraph = true,
            Event::End(TagEnd::Paragraph) => {
                in_paragraph = false;
                if !first_paragraph_done && !paragraph.trim().is_empty() {
                    md.first_paragraph = paragraph.trim().to_string();
                    first_paragraph_done = true;
                }
                md.push_text("\n");
            }
            Event::Text(t) | Event::Code(t) => {
                if in_paragraph && !first_paragraph_done {
                    paragraph.push_str(t);
                }
                md.push_text(t);
            }
            Event::End(
                TagEnd::Item
                | TagEnd::TableRow
                | TagEnd::TableHead
                | TagEnd::BlockQuote(_)
                | TagEnd::FootnoteDefinition,
            ) => {
                md.push_text("\n");
            }
            Event::End(TagEnd::TableCell) => md.push_text(" "),
            Event::SoftBreak | Event::HardBreak => {
                if in_paragraph && !first_paragraph_done {
                    paragraph.push(' ');
                }
                md.push_text(" ");
            }
            _ => {}
        }
        out.push(rewrite_link(ev.clone(), range, body, &lines, &mut md.links, dir));
        i += 1;
    }
    pulldown_cmark::html::push_html(&mut md.html, out.into_iter());
    (md, problems)
}

/// What a link written `dest` in a page of the content folder `dir` leads to, or `None`
/// for links that leave the site (`https:`, `mailto:`...).
pub(crate) fn internal_target(dest: &str, dir: &str) -> Option<LinkTarget> {
    if dest.is_empty()
        || dest.starts_with("//")
        || dest.split_once(':').is_some_and(|(scheme, _)| !scheme.contains('/'))
    {
        return None;
    }
    if let Some(anchor) = dest.strip_prefix('#') {
        return Some(LinkTarget::Anchor(decode(anchor)));
    }
    let (path, anchor) = match dest.split_once('#') {
        Some((p, a)) => (p, Some(decode(a))),
        None => (dest, None),
    };
    let path = decode(path.split('?').next().unwrap_or(path));
    if let Some(id) = path.strip_prefix("@/") {
        return Some(LinkTarget::Page { id: id.trim_end_matches(".md").trim_matches('/').to_string(), anchor });
    }
    if let Some(in_static) = path.strip_prefix('/') {
        return Some(LinkTarget::File { output: normalise("", in_static), from_static: true });
    }
    let joined = normalise(dir, &path);
    if let Some(stem) = joined.strip_suffix(".md") {
        // `avignon.en.md` and `avignon.md` both name the page `avignon`.
        let id = match stem.rsplit_once('.') {
            Some((id, lang)) if !lang.contains('/') => id,
            _ => stem,
        };
        return Some(LinkTarget::Page { id: id.to_string(), anchor });
    }
    Some(LinkTarget::File { output: joined, from_static: false })
}

fn decode(s: &str) -> String {
    percent_encoding::percent_decode_str(s).decode_utf8_lossy().into_owned()
}

/// `rel` taken from the folder `dir`, with `.` and `..` resolved (never above the root).
fn normalise(dir: &str, rel: &str) -> String {
    let mut parts: Vec<&str> = dir.split('/').filter(|s| !s.is_empty()).collect();
    for seg in rel.split('/') {
        match seg {
            "" | "." => {}
            ".." => {
                parts.pop();
            }
            s => parts.push(s),
        }
    }
    parts.join("/")
}

fn rewrite_link<'a>(
    ev: Event<'a>,
    range: &std::ops::Range<usize>,
    body: &str,
    lines: &LineIndex,
    links: &mut Vec<BodyLink>,
    dir: &str,
) -> Event<'a> {
    // Records the link and returns the placeholder the render stage fills in.
    let mut record = |target: LinkTarget, written: &str| {
        links.push(BodyLink { target, written: written.to_string(), pos: lines.pos(body, range.start) });
        CowStr::from(link_placeholder(links.len() - 1))
    };
    match ev {
        // Footnote ids get their own prefix so they never clash with heading anchors.
        Event::FootnoteReference(label) => Event::FootnoteReference(CowStr::from(format!("{FOOTNOTE_PREFIX}{label}"))),
        Event::Start(Tag::FootnoteDefinition(label)) => {
            Event::Start(Tag::FootnoteDefinition(CowStr::from(format!("{FOOTNOTE_PREFIX}{label}"))))
        }
        Event::Start(Tag::Link { link_type, dest_url, title, id }) => {
            let dest_url = match internal_target(&dest_url, dir) {
                Some(target) => record(target, &dest_url),
                None => dest_url,
            };
            Event::Start(Tag::Link { link_type, dest_url, title, id })
        }
        // An image can only show a file; a page or anchor in `src` is left to the browser.
        Event::Start(Tag::Image { link_type, dest_url, title, id }) => {
            let dest_url = match internal_target(&dest_url, dir) {
                Some(target @ LinkTarget::File { .. }) => record(target, &dest_url),
                _ => dest_url,
            };
            Event::Start(Tag::Image { link_type, dest_url, title, id })
        }
        other => other,
    }
}

fn heading_number(level: HeadingLevel) -> u8 {
    match level {
        HeadingLevel::H1 => 1,
        HeadingLevel::H2 => 2,
        HeadingLevel::H3 => 3,
        HeadingLevel::H4 => 4,
        HeadingLevel::H5 => 5,
        HeadingLevel::H6 => 6,
    }
}

fn plain_text<'a>(events: impl Iterator<Item = &'a Event<'a>>) -> String {
    let mut s = String::new();
    for e in events {
        if let Event::Text(t) | Event::Code(t) = e {
            s.push_str(t);
        }
    }
    s.trim().to_string()
}

fn append_text(text: &mut String, s: &str) {
    text.push_str(s);
    text.push('\n');
}

/// A GitHub-style anchor for `text` (letters of every script kept, lowercased), made
/// unique against `used` with `-1`, `-2`, ... suffixes.
pub(crate) fn unique_anchor(text: &str, used: &mut HashSet<String>) -> String {
    let base = github_slugger::slug(text).trim_matches('-').to_string();
    let base = if base.is_empty() {
        "section".to_string()
    } else if base.starts_with(FOOTNOTE_PREFIX) {
        format!("section-{base}")
    } else {
        base
    };
    let mut candidate = base.clone();
    let mut n = 1;
    while used.contains(&candidate) {
        candidate = format!("{base}-{n}");
        n += 1;
    }
    used.insert(candidate.clone());
    candidate
}

/// Escapes text for HTML element content.
pub fn escape_text(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            _ => out.push(c),
        }
    }
    out
}

/// Escapes text for an HTML attribute value in double quotes.
pub fn escape_attr(s: &str) -> String {
    escape_text(s).replace('"', "&quot;")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn md(body: &str) -> Markdown {
        let en = crate::lang::Lang::parse("en").expect("en");
        let text = ChartText { lang: &en, table: "The figures", label: "Item", value: "Value" };
        render(body, 5, "pilots", &Highlighter::default(), &text).0
    }

    #[test]
    fn anchors_are_unicode_aware_unique_and_custom_ids_win() {
        let m = md("## Results\n\n## Results\n\n## Ελληνικά Αποτελέσματα\n\n## Málaga & L'Hospitalet\n\n## Other {#results-1}\n");
        let ids: Vec<&str> = m.headings.iter().map(|h| h.id.as_str()).collect();
        assert_eq!(ids, ["results", "results-2", "ελληνικά-αποτελέσματα", "málaga--lhospitalet", "results-1"]);
        assert!(m.html.contains("<h2 id=\"results-1\">Other</h2>"), "{}", m.html);
    }

    #[test]
    fn page_links_become_placeholders_with_positions() {
        let m = md("Intro.\n\nSee [the pilot](@/pilots/avignon.md#results) and [home](@/_index.md).\n");
        let page =
            |id: &str, anchor: Option<&str>| LinkTarget::Page { id: id.into(), anchor: anchor.map(String::from) };
        assert_eq!(
            m.links,
            [
                BodyLink {
                    target: page("pilots/avignon", Some("results")),
                    written: "@/pilots/avignon.md#results".into(),
                    pos: Pos::new(7, 5)
                },
                BodyLink { target: page("_index", None), written: "@/_index.md".into(), pos: Pos::new(7, 50) },
            ]
        );
        assert!(m.html.contains("href=\"@@gb-link:0@@\""), "{}", m.html);
        assert_eq!(m.first_paragraph, "Intro.");
    }

    #[test]
    fn every_form_of_internal_link_is_understood() {
        let page =
            |id: &str, anchor: Option<&str>| Some(LinkTarget::Page { id: id.into(), anchor: anchor.map(String::from) });
        let file = |output: &str, from_static: bool| Some(LinkTarget::File { output: output.into(), from_static });
        assert_eq!(internal_target("@/countries/france.md#laws", "pilots"), page("countries/france", Some("laws")));
        assert_eq!(internal_target("../countries/france.en.md", "pilots"), page("countries/france", None));
        assert_eq!(internal_target("malaga.md#r%C3%A9sultats", "pilots"), page("pilots/malaga", Some("résultats")));
        assert_eq!(internal_target("#results", "pilots"), Some(LinkTarget::Anchor("results".into())));
        assert_eq!(internal_target("/files/report%202019.pdf?v=2", "pilots"), file("files/report 2019.pdf", true));
        assert_eq!(internal_target("chart.png", "pilots"), file("pilots/chart.png", false));
        assert_eq!(internal_target("../../escape.pdf", "pilots"), file("escape.pdf", false));
        for external in ["https://example.org/a.md", "mailto:a@b.eu", "tel:+33140644900", "//cdn.example.org/x.js", ""]
        {
            assert_eq!(internal_target(external, "pilots"), None, "{external}");
        }
    }

    #[test]
    fn placeholders_are_filled_in_one_pass() {
        let html = format!(
            "<a href=\"{}\">a</a> <a href=\"{}\">b</a> @@gb-link:9@@",
            link_placeholder(0),
            link_placeholder(1)
        );
        let filled = fill_links(&html, &["x/".into(), "y/#z".into()]);
        assert_eq!(filled, "<a href=\"x/\">a</a> <a href=\"y/#z\">b</a> @@gb-link:9@@");
    }

    #[test]
    fn code_is_highlighted_with_classes_only() {
        let m = md("```rust\nfn main() {}\n```\n");
        assert!(m.html.contains("<pre class=\"code\"><code class=\"language-rust\">"), "{}", m.html);
        assert!(m.html.contains("class=\"hl-"), "{}", m.html);
        assert!(!m.html.contains("style="), "{}", m.html);
    }

    #[test]
    fn extensions_are_enabled() {
        let m =
            md("| a | b |\n|---|---|\n| 1 | 2 |\n\n~~old~~ \"quoted\"\n\n- [x] done\n\nText[^1].\n\n[^1]: A note.\n");
        for needle in ["<table>", "<del>old</del>", "\u{201c}quoted\u{201d}", "type=\"checkbox\"", "footnote"] {
            assert!(m.html.contains(needle), "{needle} missing in {}", m.html);
        }
    }
}
