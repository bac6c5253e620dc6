//! Parse stage: markdown to HTML, once per page, keeping what later stages need.
//!
//! Headings get stable, unique anchors (custom `{#id}` first, then Unicode-aware slugs);
//! fenced code is highlighted into CSS classes; links written `@/section/page.md#anchor`
//! are recorded with their position and left as placeholders that the render stage turns
//! into relative URLs for each output location. Fenced `chart` blocks become bar charts
//! (see [`chart`](super::chart)).
//!
//! The work is shared out: [`render`] and its event loop in `body`, anchors in `anchors`,
//! link destinations in `links`; this module holds what a rendered body is.

mod anchors;
mod body;
mod highlight;
mod links;

// The sanitiser's tests write markdown with the same extensions.
#[cfg(test)]
pub(crate) use body::options;
pub(crate) use body::render;
use highlight::Highlighter;
pub(crate) use links::{classify, Destination};

use super::html::Sanitizer;
use crate::diagnostics::Pos;

/// The prefix of footnote ids (`fn-1`), kept apart from heading anchors.
pub(crate) const FOOTNOTE_PREFIX: &str = "fn-";

/// What renders page bodies, made once per build and shared by every thread: the syntax
/// highlighter (with the HTML of the code blocks already highlighted), the HTML sanitiser,
/// and what the site does with raw HTML.
#[derive(Debug, Default)]
pub(crate) struct BodyTools {
    /// Highlights fenced code.
    pub highlighter: Highlighter,
    /// Cleans raw HTML (under [`RawHtml::Sanitize`](crate::config::RawHtml::Sanitize) and
    /// [`RawHtml::Escape`](crate::config::RawHtml::Escape)).
    pub sanitizer: Sanitizer,
}

/// A heading of a page.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub(crate) struct Heading {
    /// 1 to 6.
    pub level: u8,
    /// The anchor, unique within the page.
    pub id: String,
    /// The heading's plain text.
    pub text: String,
}

/// What an internal link in the body leads to.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum LinkTarget {
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
pub(crate) struct BodyLink {
    /// What it leads to.
    pub target: LinkTarget,
    /// As written, for messages.
    pub written: String,
    /// Where the link stands in the file.
    pub pos: Pos,
}

/// A problem found while rendering markdown.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct MarkdownProblem {
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
pub(crate) struct Markdown {
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
    /// The first paragraph as plain text.
    pub first_paragraph: String,
    /// The plain text under each heading (the first one, with no heading, holds what
    /// comes before the first heading), for search.
    pub sections: Vec<TextSection>,
}

/// The plain text under one heading.
#[derive(Debug, Clone, Default, PartialEq)]
pub(crate) struct TextSection {
    /// The heading's anchor (empty before the first heading).
    pub anchor: String,
    /// The heading's text.
    pub heading: String,
    /// The text, without the white space at either end.
    pub text: String,
}

/// What ends every placeholder (of a link, or of a block of our own HTML).
pub(super) const LINK_CLOSE: &str = "@@";

impl Markdown {
    /// Appends text to the current section's.
    pub(super) fn push_text(&mut self, s: &str) {
        if self.sections.is_empty() {
            self.sections.push(TextSection::default());
        }
        if let Some(section) = self.sections.last_mut() {
            section.text.push_str(s);
        }
    }

    /// Whether `anchor` names a heading or another element of this body.
    pub(crate) fn has_anchor(&self, anchor: &str) -> bool {
        self.headings.iter().any(|h| h.id == anchor) || self.anchors.iter().any(|a| a == anchor)
    }

    /// The placeholder written in `href` or `src` for the `i`-th internal link of this body.
    #[cfg(test)]
    pub(crate) fn link_placeholder(&self, i: usize) -> String {
        format!("{}{i}{LINK_CLOSE}", self.marker)
    }

    /// `html` (this body's HTML, or a rewrite of it) with each link placeholder `i`
    /// replaced by `urls[i]` (already escaped for an attribute), in one pass. Text that
    /// only looks like a placeholder is left as it is.
    pub(crate) fn fill_links(&self, html: &str, urls: &[String]) -> String {
        fill_placeholders(html, &self.marker, urls)
    }
}

/// `html` with each `{marker}{i}@@` replaced by `with[i]`; others are left as they are.
pub(super) fn fill_placeholders(html: &str, marker: &str, with: &[String]) -> String {
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
pub(super) fn marker_of(body: &str) -> String {
    use sha2::{Digest, Sha256};
    let hash = Sha256::digest(body.as_bytes());
    let hex: String = hash.iter().take(8).map(|b| format!("{b:02x}")).collect();
    format!("@@gb{hex}:")
}

/// Line starts of a body, to turn byte offsets into positions in the file.
pub(super) struct LineIndex {
    starts: Vec<usize>,
    first_line: usize,
}

impl LineIndex {
    pub(super) fn new(text: &str, first_line: usize) -> Self {
        let mut starts = vec![0];
        starts.extend(text.match_indices('\n').map(|(i, _)| i + 1));
        LineIndex { starts, first_line }
    }

    pub(super) fn pos(&self, text: &str, offset: usize) -> Pos {
        let line = self.starts.partition_point(|&s| s <= offset).saturating_sub(1);
        let start = self.starts[line];
        let column = text.get(start..offset).map_or(1, |s| s.chars().count() + 1);
        Pos::new(self.first_line + line, column)
    }
}

/// Escapes text for HTML element content.
pub(crate) fn escape_text(s: &str) -> String {
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
pub(crate) fn escape_attr(s: &str) -> String {
    escape_text(s).replace('"', "&quot;")
}
