//! Rendering a body: markdown events in, [`Markdown`] out.
//!
//! [`render`] reads the events once to treat raw HTML and take the custom anchors, then
//! hands them to a [`BodyWriter`], which keeps one method per family of events (headings,
//! code blocks, the text of paragraphs and lists; links and images go through
//! [`LinkRecorder`]), then writes, sanitises and fills the HTML.

use super::anchors::{collect_anchors, custom_anchors, heading_attributes, unique_anchor};
use super::links::{check_scheme, LinkRecorder};
use super::LINK_CLOSE;
use super::{fill_placeholders, marker_of, BodyTools, Heading, LineIndex, Markdown, MarkdownProblem, TextSection};
use crate::config::RawHtml;
use crate::content::chart::{self, ChartText};
use crate::diagnostics::Pos;
use pulldown_cmark::{CodeBlockKind, CowStr, Event, HeadingLevel, Options, Parser, Tag, TagEnd};
use std::collections::HashSet;
use std::ops::Range;

mod tables;

/// Events with the byte range of the body they come from.
type Events<'a> = Vec<(Event<'a>, Range<usize>)>;

/// The CommonMark extensions guidebook enables (tables, footnotes, strikethrough, task
/// lists, heading attributes, smart punctuation).
pub(crate) fn options() -> Options {
    Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_HEADING_ATTRIBUTES
        | Options::ENABLE_SMART_PUNCTUATION
}

/// Renders `body`, whose first line is line `body_line` of the file.
/// `dir` is the page's folder inside `content/` (`pilots`, or empty), for relative links.
/// Raw HTML is treated as `raw_html` says; links with a scheme other than
/// [`ALLOWED_SCHEMES`](crate::content::html::ALLOWED_SCHEMES) are reported and left out.
pub(crate) fn render(
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
    let events = raw_html_events(parser, body, &lines, tools, raw_html, &mut problems);
    let has_raw_html = events.iter().any(|(e, _)| matches!(e, Event::Html(_) | Event::InlineHtml(_)));
    let used = custom_anchors(&events, body, &lines, &mut problems);

    let marker = marker_of(body);
    let links = LinkRecorder { body, lines: &lines, dir, marker: &marker, problems: &mut problems, links: Vec::new() };
    let writer = BodyWriter {
        events: &events,
        out: Vec::with_capacity(events.len()),
        md: Markdown { marker: marker.clone(), ..Markdown::default() },
        // Highlighted code and charts are our own HTML: they wait beside the sanitiser, as
        // placeholders, and go in after it.
        block_marker: format!("{marker}b"),
        blocks: Vec::new(),
        links,
        used,
        paragraph: FirstParagraph::default(),
        charts: 0,
        caption: None,
        skip: None,
        tools,
        chart_text,
    };
    let Written { mut md, events: out, block_marker, blocks } = writer.run();
    let mut written = String::new();
    pulldown_cmark::html::push_html(&mut written, out.into_iter());
    // Refused before the sanitiser reads it: parsing megabytes of deep nesting is slow.
    if let Some((pos, code, message)) = crate::content::limits::check_growth(body.len(), written.len()) {
        problems.push(MarkdownProblem { warning: false, pos, code, message });
        return (md, problems);
    }
    let written = tables::row_header_tables(&written);
    let written = crate::content::html::alignment_classes(&written);
    let safe = match raw_html {
        RawHtml::Allow => written.into_owned(),
        // Without raw HTML, the writer's own elements usually pass as they are.
        RawHtml::Sanitize | RawHtml::Escape if !has_raw_html && tools.sanitizer.keeps_all(&written) => {
            crate::content::html::without_self_closing(&written)
        }
        RawHtml::Sanitize | RawHtml::Escape => tools.sanitizer.clean(&written),
    };
    md.html = fill_placeholders(&safe, &block_marker, &blocks);
    collect_anchors(&mut md, body, &lines, &mut problems);
    // A site's texts stay in memory until its search indexes are made: none of the room
    // that growing them took is kept.
    for section in &mut md.sections {
        let text = section.text.trim();
        section.text =
            if text.len() == section.text.len() { std::mem::take(&mut section.text) } else { text.to_string() };
        section.text.shrink_to_fit();
    }
    (md, problems)
}

/// The events of `parser` with raw HTML as `raw_html` says: reported where the sanitiser
/// will remove something ([`RawHtml::Sanitize`]), or turned into text ([`RawHtml::Escape`]:
/// an HTML block becomes a paragraph of its lines).
fn raw_html_events<'a>(
    parser: Parser<'a>,
    body: &str,
    lines: &LineIndex,
    tools: &BodyTools,
    raw_html: RawHtml,
    problems: &mut Vec<MarkdownProblem>,
) -> Events<'a> {
    parser
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
        .collect()
}

/// Reports reference definitions (`[label]: javascript:...`) whose scheme is not allowed,
/// used or not: the links that use them are then not reported again.
fn check_reference_definitions(
    parser: &Parser<'_>,
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

/// The first paragraph's text, gathered while the events go by.
#[derive(Default)]
struct FirstParagraph {
    /// Inside a paragraph.
    inside: bool,
    /// The first paragraph with text is over.
    done: bool,
    /// Its text so far.
    text: String,
}

impl FirstParagraph {
    /// Adds `s` to the first paragraph's text, if inside it.
    fn push(&mut self, s: &str) {
        if self.inside && !self.done {
            self.text.push_str(s);
        }
    }
}

/// What [`BodyWriter::run`] gives back: the body so far (no HTML yet), the events to
/// write, and our own HTML blocks with the marker of their placeholders.
struct Written<'a> {
    md: Markdown,
    events: Vec<Event<'a>>,
    block_marker: String,
    blocks: Vec<String>,
}

/// The event loop of [`render`]: reads the events once, in order, gathering the headings,
/// text and links of the body and the events to write.
struct BodyWriter<'a, 'p> {
    /// The events read, with their byte ranges in the body.
    events: &'a [(Event<'a>, Range<usize>)],
    /// The events to write.
    out: Vec<Event<'a>>,
    md: Markdown,
    /// What starts the placeholder of a block of our own HTML (`blocks[i]`).
    block_marker: String,
    blocks: Vec<String>,
    links: LinkRecorder<'a, 'p>,
    /// The anchors taken so far.
    used: HashSet<String>,
    paragraph: FirstParagraph,
    /// The charts so far, to number their ids.
    charts: usize,
    /// A table caption read before its table, waiting for it.
    caption: Option<tables::Caption>,
    /// A caption read after its table: its events, not to be written again.
    skip: Option<Range<usize>>,
    tools: &'a BodyTools,
    chart_text: &'a ChartText<'a>,
}

impl<'a> BodyWriter<'a, '_> {
    /// Reads every event once; headings and code blocks are taken whole, each other event
    /// adds its text and is written (links and images through [`LinkRecorder::rewrite`]).
    fn run(mut self) -> Written<'a> {
        let events = self.events;
        let mut i = 0;
        while i < events.len() {
            if let Some(skip) = self.skip.as_ref().filter(|s| s.start == i) {
                i = skip.end;
                self.skip = None;
                continue;
            }
            i = match &events[i].0 {
                Event::Start(Tag::Heading { level, classes, attrs, .. }) => self.heading(i, *level, classes, attrs),
                Event::Start(Tag::CodeBlock(kind)) => self.code_block(i, kind),
                // A wide table scrolls inside a box that the keyboard can reach.
                Event::Start(Tag::Table(_)) => self.table_start(i),
                Event::Start(Tag::Paragraph) => self.caption_before_table(i).unwrap_or_else(|| self.write(i)),
                _ => self.write(i),
            };
        }
        self.md.links = self.links.links;
        Written { md: self.md, events: self.out, block_marker: self.block_marker, blocks: self.blocks }
    }

    /// Writes event `i` as it is, with its text (closing a table's scroll box after the
    /// table); returns `i + 1`.
    fn write(&mut self, i: usize) -> usize {
        let (ev, range) = &self.events[i];
        self.text(ev);
        self.out.push(self.links.rewrite(ev.clone(), range));
        if matches!(ev, Event::End(TagEnd::Table)) {
            self.own_html("</div>\n".to_string());
        }
        i + 1
    }

    /// The index of the first event from `i` on that `is_end` accepts (the end of the
    /// block started at `i`), or the number of events.
    fn end_of(&self, i: usize, is_end: impl Fn(&Event<'_>) -> bool) -> usize {
        self.events[i..].iter().position(|(e, _)| is_end(e)).map_or(self.events.len(), |p| i + p)
    }

    /// A heading starting at event `i`: its anchor (custom, else made from its text), its
    /// text, a new text section; returns the index after its end.
    fn heading(
        &mut self,
        i: usize,
        level: HeadingLevel,
        classes: &[CowStr<'a>],
        attrs: &[(CowStr<'a>, Option<CowStr<'a>>)],
    ) -> usize {
        let events = self.events;
        let end = self.end_of(i, |e| matches!(e, Event::End(TagEnd::Heading(_))));
        let text = plain_text(events[i + 1..end].iter().map(|(e, _)| e));
        let anchor = match &events[i].0 {
            Event::Start(Tag::Heading { id: Some(id), .. }) => id.to_string(),
            _ => unique_anchor(&text, &mut self.used),
        };
        let md = &mut self.md;
        md.headings.push(Heading { level: heading_number(level), id: anchor.clone(), text: text.clone() });
        md.sections.push(TextSection { anchor: anchor.clone(), heading: text.clone(), text: String::new() });
        self.out.push(Event::Start(Tag::Heading {
            level,
            id: Some(CowStr::from(anchor)),
            classes: classes.to_vec(),
            attrs: heading_attributes(attrs, (self.links.body, &events[i].1, self.links.lines), self.links.problems),
        }));
        for (e, r) in &events[i + 1..end] {
            self.out.push(self.links.rewrite(e.clone(), r));
        }
        if end < events.len() {
            self.out.push(events[end].0.clone());
        }
        end + 1
    }

    /// A code block starting at event `i`: a chart, or highlighted code, put aside as one
    /// of our own blocks; returns the index after its end.
    fn code_block(&mut self, i: usize, kind: &CodeBlockKind<'a>) -> usize {
        let events = self.events;
        let end = self.end_of(i, |e| matches!(e, Event::End(TagEnd::CodeBlock)));
        let code: String = events[i + 1..end]
            .iter()
            .filter_map(|(e, _)| if let Event::Text(t) = e { Some(t.as_ref()) } else { None })
            .collect();
        let lang = match kind {
            CodeBlockKind::Fenced(info) => info.split([' ', ',', '{']).next().filter(|l| !l.is_empty()),
            CodeBlockKind::Indented => None,
        };
        let block = if lang == Some("chart") {
            self.chart(&code, &events[i].1)
        } else {
            self.md.push_text(&code);
            Some(self.tools.highlighter.highlight(&code, lang))
        };
        if let Some(block) = block {
            self.own_html(block);
        }
        self.md.push_text("\n");
        end + 1
    }

    /// Writes HTML of our own: a placeholder now, the HTML after the sanitiser.
    fn own_html(&mut self, html: String) {
        let placeholder = format!("{}{}{LINK_CLOSE}\n", self.block_marker, self.blocks.len());
        self.out.push(Event::Html(CowStr::from(placeholder)));
        self.blocks.push(html);
    }

    /// The HTML of the chart block written `code` at `range`, or `None` (reported) if it
    /// has a mistake.
    fn chart(&mut self, code: &str, range: &Range<usize>) -> Option<String> {
        let block = match chart::render(code, self.charts, self.chart_text) {
            Ok(c) => {
                self.md.push_text(&c.text);
                Some(c.html)
            }
            Err(e) => {
                // The block's first line is the one after the fence.
                let fence = self.links.lines.pos(self.links.body, range.start);
                self.links.problems.push(MarkdownProblem {
                    warning: false,
                    pos: Pos::new(fence.line + e.pos.line, e.pos.column),
                    code: "chart",
                    message: e.message,
                });
                None
            }
        };
        self.charts += 1;
        block
    }

    /// The plain text that `ev` adds to the body (and to its first paragraph): text, code
    /// spans, and the breaks between paragraphs, list items, table cells and rows.
    fn text(&mut self, ev: &Event<'_>) {
        match ev {
            Event::Start(Tag::Paragraph) => self.paragraph.inside = true,
            Event::End(TagEnd::Paragraph) => {
                let paragraph = &mut self.paragraph;
                paragraph.inside = false;
                if !paragraph.done && !paragraph.text.trim().is_empty() {
                    self.md.first_paragraph = paragraph.text.trim().to_string();
                    paragraph.done = true;
                }
                self.md.push_text("\n");
            }
            Event::Text(t) | Event::Code(t) => {
                self.paragraph.push(t);
                self.md.push_text(t);
            }
            Event::End(
                TagEnd::Item
                | TagEnd::TableRow
                | TagEnd::TableHead
                | TagEnd::BlockQuote(_)
                | TagEnd::FootnoteDefinition,
            ) => {
                self.md.push_text("\n");
            }
            Event::End(TagEnd::TableCell) => self.md.push_text(" "),
            Event::SoftBreak | Event::HardBreak => {
                self.paragraph.push(" ");
                self.md.push_text(" ");
            }
            _ => {}
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::content::markdown::{BodyLink, LinkTarget};

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
        assert!(m.html.contains("<pre class=\"code\" tabindex=\"0\"><code class=\"language-rust\">"), "{}", m.html);
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
