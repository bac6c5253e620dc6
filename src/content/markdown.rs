//! Parse stage: markdown to HTML, once per page, keeping what later stages need.
//!
//! Headings get stable, unique anchors (custom `{#id}` first, then Unicode-aware slugs);
//! fenced code is highlighted into CSS classes; links written `@/section/page.md#anchor`
//! are recorded with their position and left as placeholders that the render stage turns
//! into relative URLs for each output location. Fenced `chart` blocks become bar charts
//! (see [`chart`]).

use super::chart::{self, ChartText};
use super::html::{self, Sanitizer, ALLOWED_SCHEMES};
use crate::config::RawHtml;
use crate::diagnostics::Pos;
use pulldown_cmark::{CodeBlockKind, CowStr, Event, HeadingLevel, LinkType, Options, Parser, Tag, TagEnd};
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

/// What renders page bodies, made once per build and shared by every thread: the syntax
/// highlighter, the HTML sanitiser, and what the site does with raw HTML.
#[derive(Debug, Default)]
pub struct BodyTools {
    /// Highlights fenced code.
    pub highlighter: Highlighter,
    /// Cleans raw HTML (under [`RawHtml::Sanitize`] and [`RawHtml::Escape`]).
    pub sanitizer: Sanitizer,
}

impl std::fmt::Debug for Highlighter {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Highlighter")
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
        /// The fragment, without `#` and decoded (`page=2` in `report.pdf#page=2`).
        fragment: Option<String>,
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
    /// A warning (the page is still published) rather than an error.
    pub warning: bool,
    /// Stable code.
    pub code: &'static str,
    /// What and how to fix it.
    pub message: String,
}

/// A page body, rendered.
#[derive(Debug, Clone, Default)]
pub struct Markdown {
    /// Safe HTML, with internal links as placeholders that [`Markdown::fill_links`] replaces.
    pub html: String,
    /// What starts every link placeholder of this body: `@@gb` and 16 hex digits of the
    /// SHA-256 of the body's text, so that no text can forge one (it would have to contain
    /// its own hash).
    pub marker: String,
    /// Every heading, in order.
    pub headings: Vec<Heading>,
    /// The ids of other elements that links may point to (`<a id="install">` kept from raw
    /// HTML, footnotes, charts), in order.
    pub anchors: Vec<String>,
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

    /// Whether `anchor` names a heading or another element of this body.
    pub fn has_anchor(&self, anchor: &str) -> bool {
        self.headings.iter().any(|h| h.id == anchor) || self.anchors.iter().any(|a| a == anchor)
    }

    /// The placeholder written in `href` or `src` for the `i`-th internal link of this body.
    pub fn link_placeholder(&self, i: usize) -> String {
        format!("{}{i}{LINK_CLOSE}", self.marker)
    }

    /// `html` (this body's HTML, or a rewrite of it) with each link placeholder `i`
    /// replaced by `urls[i]` (already escaped for an attribute), in one pass. Text that
    /// only looks like a placeholder is left as it is.
    pub fn fill_links(&self, html: &str, urls: &[String]) -> String {
        fill_placeholders(html, &self.marker, urls)
    }
}

/// `html` with each `{marker}{i}@@` replaced by `with[i]`; others are left as they are.
fn fill_placeholders(html: &str, marker: &str, with: &[String]) -> String {
    if with.is_empty() || marker.is_empty() {
        return html.to_string();
    }
    let mut out = String::with_capacity(html.len() + with.iter().map(String::len).sum::<usize>());
    let mut rest = html;
    while let Some(at) = rest.find(marker) {
        let after = &rest[at + marker.len()..];
        let Some(end) = after.find(LINK_CLOSE) else {
            break;
        };
        match after[..end].parse::<usize>().ok().and_then(|i| with.get(i)) {
            Some(url) => {
                out.push_str(&rest[..at]);
                out.push_str(url);
            }
            None => out.push_str(&rest[..at + marker.len() + end + LINK_CLOSE.len()]),
        }
        rest = &after[end + LINK_CLOSE.len()..];
    }
    out.push_str(rest);
    out
}

/// The placeholder marker of a body: see [`Markdown::marker`].
fn marker_of(body: &str) -> String {
    use sha2::{Digest, Sha256};
    let hash = Sha256::digest(body.as_bytes());
    let hex: String = hash.iter().take(8).map(|b| format!("{b:02x}")).collect();
    format!("@@gb{hex}:")
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
/// Raw HTML is treated as `raw_html` says; links with a scheme other than
/// [`ALLOWED_SCHEMES`] are reported and left out.
pub fn render(
    body: &str,
    body_line: usize,
    dir: &str,
    tools: &BodyTools,
    raw_html: RawHtml,
    chart_text: &ChartText<'_>,
) -> (Markdown, Vec<MarkdownProblem>) {
    let lines = LineIndex::new(body, body_line);
    let parser = Parser::new_ext(body, options());
    let mut problems = Vec::new();
    check_reference_definitions(&parser, body, &lines, &mut problems);
    let events: Vec<(Event<'_>, std::ops::Range<usize>)> = parser
        .into_offset_iter()
        .inspect(|(ev, range)| {
            if let (RawHtml::Sanitize, Event::Html(raw) | Event::InlineHtml(raw)) = (raw_html, ev) {
                for (at, what) in tools.sanitizer.removals(raw) {
                    problems.push(MarkdownProblem {
                        pos: lines.pos(body, range.start + at),
                        warning: true,
                        code: "html-removed",
                        message: format!(
                            "{what}: raw HTML may format text, but not run, embed or load anything (`markdown.raw_html` in site.yaml)"
                        ),
                    });
                }
            }
        })
        .map(|(ev, range)| match (raw_html, ev) {
            // Shown as text: an HTML block becomes a paragraph of its lines.
            (RawHtml::Escape, Event::Html(h) | Event::InlineHtml(h)) => (Event::Text(h), range),
            (RawHtml::Escape, Event::Start(Tag::HtmlBlock)) => (Event::Start(Tag::Paragraph), range),
            (RawHtml::Escape, Event::End(TagEnd::HtmlBlock)) => (Event::End(TagEnd::Paragraph), range),
            (_, ev) => (ev, range),
        })
        .collect();

    // Custom anchors first, so generated ones never take them.
    let mut used: HashSet<String> = HashSet::new();
    for (ev, range) in &events {
        if let Event::Start(Tag::Heading { id: Some(id), .. }) = ev {
            if html::is_reserved_id(id) {
                problems.push(MarkdownProblem {
                    warning: false,
                    pos: lines.pos(body, range.start),
                    code: "reserved-anchor",
                    message: format!("anchor `#{id}` is used by the page layout: choose another `{{#...}}`"),
                });
            } else if !used.insert(id.to_string()) {
                problems.push(MarkdownProblem {
                    warning: false,
                    pos: lines.pos(body, range.start),
                    code: "duplicate-anchor",
                    message: format!("anchor `#{id}` is given to two headings of this page: choose another `{{#...}}`"),
                });
            }
        }
    }

    let mut out: Vec<Event<'_>> = Vec::with_capacity(events.len());
    let mut md = Markdown { marker: marker_of(body), ..Markdown::default() };
    // Highlighted code and charts are our own HTML: they wait beside the sanitiser, as
    // placeholders, and go in after it.
    let block_marker = format!("{}b", md.marker);
    let mut blocks: Vec<String> = Vec::new();
    let marker = md.marker.clone();
    let mut links =
        LinkRecorder { body, lines: &lines, dir, marker: &marker, problems: &mut problems, links: Vec::new() };
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
                    out.push(links.rewrite(e.clone(), r));
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
                let block = if lang == Some("chart") {
                    let block = match chart::render(&code, charts, chart_text) {
                        Ok(c) => {
                            md.push_text(&c.text);
                            Some(c.html)
                        }
                        Err(e) => {
                            // The block's first line is the one after the fence.
                            let fence = lines.pos(body, range.start);
                            links.problems.push(MarkdownProblem {
                                warning: false,
                                pos: Pos::new(fence.line + e.pos.line, e.pos.column),
                                code: "chart",
                                message: e.message,
                            });
                            None
                        }
                    };
                    charts += 1;
                    block
                } else {
                    md.push_text(&code);
                    Some(tools.highlighter.highlight(&code, lang))
                };
                if let Some(block) = block {
                    out.push(Event::Html(CowStr::from(format!("{block_marker}{}{LINK_CLOSE}\n", blocks.len()))));
                    blocks.push(block);
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
        out.push(links.rewrite(ev.clone(), range));
        i += 1;
    }
    md.links = links.links;
    let mut written = String::new();
    pulldown_cmark::html::push_html(&mut written, out.into_iter());
    // Refused before the sanitiser reads it: parsing megabytes of deep nesting is slow.
    if let Some((pos, code, message)) = super::limits::check_growth(body.len(), written.len()) {
        problems.push(MarkdownProblem { warning: false, pos, code, message });
        return (md, problems);
    }
    let safe = match raw_html {
        RawHtml::Allow => written,
        RawHtml::Sanitize | RawHtml::Escape => tools.sanitizer.clean(&written),
    };
    md.html = fill_placeholders(&safe, &block_marker, &blocks);
    collect_anchors(&mut md, body, &lines, &mut problems);
    (md, problems)
}

/// Fills [`Markdown::anchors`] with the ids of the body's elements other than headings,
/// and reports ids given twice (a raw-HTML id that a heading, a footnote or another element
/// already has), at the first line that writes it.
fn collect_anchors(md: &mut Markdown, body: &str, lines: &LineIndex, problems: &mut Vec<MarkdownProblem>) {
    let mut seen: HashSet<String> = HashSet::new();
    let mut headings = md.headings.iter().map(|h| h.id.as_str()).peekable();
    for id in html::element_ids(&md.html) {
        // Heading ids come in document order among the others.
        if headings.peek() == Some(&id.as_str()) && !seen.contains(&id) {
            headings.next();
            seen.insert(id);
            continue;
        }
        if !seen.insert(id.clone()) {
            let at = body.find(&format!("id=\"{id}\"")).or_else(|| body.find(&format!("id='{id}'"))).unwrap_or(0);
            problems.push(MarkdownProblem { warning: false,
                pos: lines.pos(body, at),
                code: "duplicate-anchor",
                message: format!(
                    "id `{id}` is given to two elements of this page (a heading, a footnote or raw HTML): choose another id"
                ),
            });
            continue;
        }
        md.anchors.push(id);
    }
}

/// Reports reference definitions (`[label]: javascript:...`) whose scheme is not allowed,
/// used or not: the links that use them are then not reported again.
fn check_reference_definitions<'a>(
    parser: &Parser<'a>,
    body: &str,
    lines: &LineIndex,
    problems: &mut Vec<MarkdownProblem>,
) {
    let mut defs: Vec<(usize, String)> =
        parser.reference_definitions().iter().map(|(_, def)| (def.span.start, def.dest.to_string())).collect();
    defs.sort();
    for (start, dest) in defs {
        if let Err(problem) = check_scheme(&dest) {
            problems.push(MarkdownProblem {
                warning: false,
                pos: lines.pos(body, start),
                code: problem.0,
                message: problem.1,
            });
        }
    }
}

/// What a link written `dest` in a page of the content folder `dir` is.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Destination {
    /// A page, heading or file of the site, checked and rewritten at build.
    Internal(LinkTarget),
    /// Left as written: another site (`https:`, `mailto:`, `tel:`, `//host/`), or the top
    /// of the page (`#`).
    External,
}

/// A link problem: the diagnostic code and the message.
type LinkProblem = (&'static str, String);

/// Classifies the destination `dest` of a link (entities already decoded) written in a
/// page of the content folder `dir`.
///
/// # Errors
/// A scheme other than [`ALLOWED_SCHEMES`] (judged after percent-decoding, removing
/// whitespace and control characters, in any case: `JaVa%73cript:` is `javascript:`), and
/// links to a folder (`./`, `..`, `?page=2`), which no page is.
pub(crate) fn classify(dest: &str, dir: &str) -> Result<Destination, LinkProblem> {
    let shown = printable(dest);
    if check_scheme(dest)?.is_some() || dest == "#" {
        return Ok(Destination::External);
    }
    if html::leaves_out_scheme(dest) {
        return Err((
            "link-scheme",
            format!(
                "`{shown}` names another host without a scheme, which readers of a copy on a shared drive would open as a network share: write the full address, with `https://`"
            ),
        ));
    }
    if dest.is_empty() {
        return Err((
            "empty-link",
            "this link has no address: write one between the parentheses, e.g. `(@/pilots/avignon.md)`".into(),
        ));
    }
    if let Some(anchor) = dest.strip_prefix('#') {
        return Ok(Destination::Internal(LinkTarget::Anchor(decode(anchor))));
    }
    let (path, anchor) = match dest.split_once('#') {
        Some((p, a)) => (p, Some(decode(a)).filter(|a| !a.is_empty())),
        None => (dest, None),
    };
    // File names are matched in Unicode form C, whatever form the link is typed in.
    let path = super::discover::nfc(&decode(path.split('?').next().unwrap_or(path)));
    let last = path.rsplit('/').next().unwrap_or("");
    if matches!(last, "" | "." | "..") || path == "@" {
        return Err((
            "link-folder",
            format!(
                "`{shown}` links to a folder, and a folder is not a page: link to a page by its id \
                 (`@/section/page.md`, or `@/section/_index.md` for a section's list of pages) or to a file by its name (`report.pdf`)"
            ),
        ));
    }
    if let Some(id) = path.strip_prefix("@/") {
        return Ok(Destination::Internal(LinkTarget::Page {
            id: id.trim_end_matches(".md").trim_matches('/').to_string(),
            anchor,
        }));
    }
    if let Some(in_static) = path.strip_prefix('/') {
        return Ok(Destination::Internal(LinkTarget::File {
            output: normalise("", in_static),
            from_static: true,
            fragment: anchor,
        }));
    }
    let joined = normalise(dir, &path);
    if let Some(stem) = joined.strip_suffix(".md") {
        // `avignon.en.md` and `avignon.md` both name the page `avignon`.
        let id = match stem.rsplit_once('.') {
            Some((id, lang)) if !lang.contains('/') => id,
            _ => stem,
        };
        return Ok(Destination::Internal(LinkTarget::Page { id: id.to_string(), anchor }));
    }
    Ok(Destination::Internal(LinkTarget::File { output: joined, from_static: false, fragment: anchor }))
}

/// The scheme of `dest` if it has an allowed one (`Some("https")`), `None` if it has none
/// (a relative or `@/` link).
///
/// # Errors
/// Any other scheme, with a message that says what is allowed.
fn check_scheme(dest: &str) -> Result<Option<String>, LinkProblem> {
    let shown = printable(dest);
    // As a browser would read it, and stricter: percent-encoding decoded, whitespace and
    // control characters anywhere removed, case ignored.
    let decoded = percent_encoding::percent_decode_str(dest).decode_utf8_lossy();
    let cleaned: String =
        decoded.chars().filter(|c| !c.is_whitespace() && !c.is_control()).collect::<String>().to_ascii_lowercase();
    let Some(colon) = cleaned.find(':') else { return Ok(None) };
    let scheme = &cleaned[..colon];
    let is_scheme = scheme.chars().next().is_some_and(|c| c.is_ascii_alphabetic())
        && scheme.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'));
    if !is_scheme {
        return Ok(None);
    }
    if ALLOWED_SCHEMES.contains(&scheme) {
        return Ok(Some(scheme.to_string()));
    }
    let allowed = "links may use http:, https:, mailto: or tel:, or point to a page (`@/pilots/avignon.md`) or a file of the site";
    let message = if scheme.len() == 1 {
        format!(
            "`{shown}` is a path on one computer, which readers cannot open: copy the file into `content/` or `static/` and link to it there ({allowed})"
        )
    } else {
        format!("`{shown}` uses the scheme `{scheme}:`, which is not allowed: {allowed}")
    };
    Err(("link-scheme", message))
}

/// `s` for a message: control characters written as `\u{1}`, so that none reaches the
/// editor's terminal.
fn printable(s: &str) -> String {
    s.chars().map(|c| if c.is_control() { format!("\\u{{{:x}}}", u32::from(c)) } else { c.to_string() }).collect()
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

/// Records the internal links of a body as it is rendered, and the problems of its links.
struct LinkRecorder<'b, 'p> {
    body: &'b str,
    lines: &'b LineIndex,
    dir: &'b str,
    /// The body's [`Markdown::marker`].
    marker: &'b str,
    problems: &'p mut Vec<MarkdownProblem>,
    links: Vec<BodyLink>,
}

impl LinkRecorder<'_, '_> {
    /// `ev` as published: internal links become placeholders (recorded with their
    /// position), footnote labels get their prefix, and links that may not be published
    /// lose their address (and are reported).
    fn rewrite<'a>(&mut self, ev: Event<'a>, range: &std::ops::Range<usize>) -> Event<'a> {
        match ev {
            // Footnote ids get their own prefix so they never clash with heading anchors.
            Event::FootnoteReference(label) => {
                Event::FootnoteReference(CowStr::from(format!("{FOOTNOTE_PREFIX}{label}")))
            }
            Event::Start(Tag::FootnoteDefinition(label)) => {
                Event::Start(Tag::FootnoteDefinition(CowStr::from(format!("{FOOTNOTE_PREFIX}{label}"))))
            }
            Event::Start(Tag::Link { link_type, dest_url, title, id }) => {
                let dest_url = self.destination(link_type, dest_url, range, false);
                Event::Start(Tag::Link { link_type, dest_url, title, id })
            }
            Event::Start(Tag::Image { link_type, dest_url, title, id }) => {
                let dest_url = self.destination(link_type, dest_url, range, true);
                Event::Start(Tag::Image { link_type, dest_url, title, id })
            }
            other => other,
        }
    }

    fn destination<'a>(
        &mut self,
        link_type: LinkType,
        dest: CowStr<'a>,
        range: &std::ops::Range<usize>,
        image: bool,
    ) -> CowStr<'a> {
        // `<name@example.org>`: the HTML writer adds `mailto:` itself.
        if link_type == LinkType::Email {
            return dest;
        }
        let pos = self.lines.pos(self.body, range.start);
        match classify(&dest, self.dir) {
            // An image can only show a file; a page or anchor in `src` is left to the browser.
            Ok(Destination::Internal(target)) if !image || matches!(target, LinkTarget::File { .. }) => {
                self.links.push(BodyLink { target, written: dest.to_string(), pos });
                CowStr::from(format!("{}{}{LINK_CLOSE}", self.marker, self.links.len() - 1))
            }
            Ok(_) => dest,
            Err((code, message)) => {
                // A definition's scheme was reported where it is defined.
                let by_reference = matches!(link_type, LinkType::Reference | LinkType::Collapsed | LinkType::Shortcut);
                if !(by_reference && code == "link-scheme") {
                    self.problems.push(MarkdownProblem { warning: false, pos, code, message });
                }
                CowStr::from("")
            }
        }
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
/// unique against `used` with `-1`, `-2`, ... suffixes; prefixed with `section-` where it
/// would take a footnote's or the layout's id ([`html::is_reserved_id`]).
pub(crate) fn unique_anchor(text: &str, used: &mut HashSet<String>) -> String {
    let base = github_slugger::slug(text).trim_matches('-').to_string();
    let base = if base.is_empty() {
        "section".to_string()
    } else if base.starts_with(FOOTNOTE_PREFIX) || html::is_reserved_id(&base) {
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
        render(body, 5, "pilots", &BodyTools::default(), RawHtml::Sanitize, &text).0
    }

    #[test]
    fn anchors_are_unicode_aware_unique_and_custom_ids_win() {
        let m = md("## Results\n\n## Results\n\n## Ελληνικά Αποτελέσματα\n\n## Málaga & L'Hospitalet\n\n## Other {#results-1}\n");
        let ids: Vec<&str> = m.headings.iter().map(|h| h.id.as_str()).collect();
        assert_eq!(ids, ["results", "results-2", "ελληνικά-αποτελέσματα", "málaga--lhospitalet", "results-1"]);
        assert!(m.html.contains("<h2 id=\"results-1\">Other</h2>"), "{}", m.html);
    }

    #[test]
    fn the_layout_ids_are_never_given_to_the_text() {
        let m = md("## Main\n\n## Search page\n\n## GB search\n\n<div id=\"search-page\">x</div>\n");
        let ids: Vec<&str> = m.headings.iter().map(|h| h.id.as_str()).collect();
        assert_eq!(ids, ["section-main", "section-search-page", "section-gb-search"]);
        assert!(m.html.contains("<div>x</div>") && !m.html.contains("id=\"search-page\""), "{}", m.html);
        let en = crate::lang::Lang::parse("en").expect("en");
        let text = ChartText { lang: &en, table: "t", label: "l", value: "v" };
        let (_, problems) = render("## Top {#main}\n", 5, "", &BodyTools::default(), RawHtml::Sanitize, &text);
        let found: Vec<(usize, &str, &str)> =
            problems.iter().map(|p| (p.pos.line, p.code, p.message.as_str())).collect();
        assert_eq!(
            found,
            [(5, "reserved-anchor", "anchor `#main` is used by the page layout: choose another `{#...}`")]
        );
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
        assert!(m.html.contains(&format!("href=\"{}\"", m.link_placeholder(0))), "{}", m.html);
        assert_eq!(m.first_paragraph, "Intro.");
    }

    #[test]
    fn every_form_of_internal_link_is_understood() {
        let internal = |t: LinkTarget| Ok(Destination::Internal(t));
        let page = |id: &str, anchor: Option<&str>| {
            internal(LinkTarget::Page { id: id.into(), anchor: anchor.map(String::from) })
        };
        let file = |output: &str, from_static: bool| {
            internal(LinkTarget::File { output: output.into(), from_static, fragment: None })
        };
        assert_eq!(classify("@/countries/france.md#laws", "pilots"), page("countries/france", Some("laws")));
        assert_eq!(classify("../countries/france.en.md", "pilots"), page("countries/france", None));
        assert_eq!(classify("malaga.md#r%C3%A9sultats", "pilots"), page("pilots/malaga", Some("résultats")));
        assert_eq!(classify("#results", "pilots"), internal(LinkTarget::Anchor("results".into())));
        assert_eq!(classify("/files/report%202019.pdf?v=2", "pilots"), file("files/report 2019.pdf", true));
        assert_eq!(classify("chart.png", "pilots"), file("pilots/chart.png", false));
        assert_eq!(classify("../../escape.pdf", "pilots"), file("escape.pdf", false));
        assert_eq!(
            classify("report%202019.pdf#page=2", "pilots"),
            internal(LinkTarget::File {
                output: "pilots/report 2019.pdf".into(),
                from_static: false,
                fragment: Some("page=2".into())
            })
        );
        for external in ["https://example.org/a.md", "mailto:a@b.eu", "tel:+33140644900", "#", "HTTPS://EXAMPLE.ORG"] {
            assert_eq!(classify(external, "pilots"), Ok(Destination::External), "{external}");
        }
    }

    #[test]
    fn schemes_other_than_the_allowed_ones_are_refused_however_written() {
        for evil in [
            "javascript:alert(1)",
            "JaVaScRiPt:alert(1)",
            " javascript:alert(1)",
            "java\tscript:alert(1)",
            "java\u{0}script:alert(1)",
            "jav&#x09;ascript:alert(1)",
            "java%73cript:alert(1)",
            "%6Aavascript:alert(1)",
            "vbscript:msgbox(1)",
            "data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==",
            "file:///etc/passwd",
        ] {
            let dest = evil.replace("\\t", "\t").replace("\\u{0}", "\u{0}").replace("&#x09;", "\t");
            match classify(&dest, "pilots") {
                Err(("link-scheme", message)) => assert!(message.contains("which is not allowed"), "{message}"),
                other => panic!("{evil}: {other:?}"),
            }
        }
        for host in ["//cdn.example.org/x.js", "\\\\server\\share", "/\\evil.example", " //evil.example"] {
            let Err(("link-scheme", message)) = classify(host, "") else { panic!("{host}") };
            assert!(message.contains("names another host without a scheme"), "{message}");
        }
        let Err((_, message)) = classify("java\u{1}script:x", "") else { panic!("a control character") };
        assert!(message.starts_with("`java\\u{1}script:x` uses the scheme"), "{message}");
        let Err((_, message)) = classify("C:\\Users\\me\\report.pdf", "") else { panic!("a Windows path") };
        assert!(message.contains("is a path on one computer"), "{message}");
    }

    #[test]
    fn links_to_folders_say_what_to_write() {
        for folder in ["./", "..", "?page=2", "../pilots/", "/", "@/", "/files/"] {
            match classify(folder, "pilots") {
                Err(("link-folder", message)) => {
                    assert_eq!(
                        message,
                        format!("`{folder}` links to a folder, and a folder is not a page: link to a page by its id (`@/section/page.md`, or `@/section/_index.md` for a section's list of pages) or to a file by its name (`report.pdf`)")
                    );
                }
                other => panic!("{folder}: {other:?}"),
            }
        }
    }

    #[test]
    fn bad_links_are_reported_where_they_are_written_and_not_published() {
        let en = crate::lang::Lang::parse("en").expect("en");
        let text = ChartText { lang: &en, table: "t", label: "l", value: "v" };
        let body = "Intro.\n\n[a](javascript:alert(1)) and ![i](data:image/png;base64,AAAA)\n\n[r][x] <javascript:alert(1)>\n\n[x]: vbscript:msgbox\n[y]: javascript:unused\n";
        let (m, problems) = render(body, 5, "pilots", &BodyTools::default(), RawHtml::Sanitize, &text);
        let found: Vec<(usize, usize, &str)> = problems.iter().map(|p| (p.pos.line, p.pos.column, p.code)).collect();
        assert_eq!(
            found,
            [
                (11, 1, "link-scheme"),
                (12, 1, "link-scheme"),
                (7, 1, "link-scheme"),
                (7, 30, "link-scheme"),
                (9, 8, "link-scheme")
            ]
        );
        assert!(!m.html.contains("=\"javascript:") && !m.html.contains("=\"data:"), "{}", m.html);
    }

    #[test]
    fn email_autolinks_and_the_top_of_the_page_are_links() {
        let m = md("Write to <contact@example.org> or go back to [top](#).\n");
        assert!(m.html.contains("<a href=\"mailto:contact@example.org\">contact@example.org</a>"), "{}", m.html);
        assert!(m.html.contains("<a href=\"#\">top</a>"), "{}", m.html);
        assert!(m.links.is_empty());
    }

    #[test]
    fn raw_html_ids_are_anchors_and_clashes_are_reported() {
        let m =
            md("## Install\n\n<a id=\"setup\"></a>\n\n<div id=\"contacts\">x</div>\n\nA note[^1].\n\n[^1]: Note.\n");
        assert_eq!(m.anchors, ["setup", "contacts", "fn-1"]);
        assert!(m.has_anchor("install") && m.has_anchor("contacts") && !m.has_anchor("nothing"));
        let en = crate::lang::Lang::parse("en").expect("en");
        let text = ChartText { lang: &en, table: "t", label: "l", value: "v" };
        let (_, problems) =
            render("## Install\n\n<p id=\"install\">x</p>\n", 5, "", &BodyTools::default(), RawHtml::Sanitize, &text);
        assert_eq!(problems.len(), 1, "{problems:?}");
        assert_eq!((problems[0].pos.line, problems[0].code), (7, "duplicate-anchor"));
    }

    #[test]
    fn raw_html_is_sanitised_escaped_or_allowed() {
        let en = crate::lang::Lang::parse("en").expect("en");
        let text = ChartText { lang: &en, table: "t", label: "l", value: "v" };
        let body = "<details><summary>More</summary>\n\nHidden <kbd>Ctrl</kbd>.\n\n</details>\n\nA <b onclick=\"alert(1)\">bold</b> <script>alert(2)</script> word.\n\n## Title {onclick=alert(3) .note}\n";
        let run = |mode| render(body, 1, "", &BodyTools::default(), mode, &text).0.html;
        let sanitized = run(RawHtml::Sanitize);
        assert!(sanitized.contains("<details><summary>More</summary>"), "{sanitized}");
        assert!(sanitized.contains("<kbd>Ctrl</kbd>") && sanitized.contains("<b>bold</b>"), "{sanitized}");
        assert!(sanitized.contains("<h2 id=\"title\" class=\"note\">Title</h2>"), "{sanitized}");
        assert!(!sanitized.contains("alert"), "{sanitized}");
        let escaped = run(RawHtml::Escape);
        assert!(
            escaped.contains("&lt;b onclick=\"alert(1)\"&gt;bold&lt;/b&gt;")
                || escaped.contains("&lt;b onclick=\"alert(1)\">bold&lt;/b>"),
            "{escaped}"
        );
        assert!(
            !escaped.contains("<script") && !escaped.contains("<b ") && !escaped.contains("onclick=alert"),
            "{escaped}"
        );
        let allowed = run(RawHtml::Allow);
        assert!(
            allowed.contains("<script>alert(2)</script>") && allowed.contains("<b onclick=\"alert(1)\">"),
            "{allowed}"
        );
    }

    #[test]
    fn text_that_looks_like_a_placeholder_is_published_as_written() {
        let m = md("See [a](@/pilots/a.md). Literal @@gb-link:0@@ and `@@gb-link:0@@` and @@gb0000000000000000:0@@.\n");
        let filled = m.fill_links(&m.html, &["../a/".into()]);
        assert!(filled.contains("<a href=\"../a/\">a</a>"), "{filled}");
        assert!(
            filled.contains("Literal @@gb-link:0@@ and <code>@@gb-link:0@@</code> and @@gb0000000000000000:0@@."),
            "{filled}"
        );
    }

    #[test]
    fn placeholders_are_filled_in_one_pass() {
        let m = md("[a](@/a.md) [b](@/b.md)\n");
        let html = format!("{} {} {}", m.link_placeholder(0), m.link_placeholder(1), m.link_placeholder(9));
        let filled = m.fill_links(&html, &["x/".into(), "y/#z".into()]);
        assert_eq!(filled, format!("x/ y/#z {}", m.link_placeholder(9)));
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
