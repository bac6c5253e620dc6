//! Bounds on what one page may cost to build, so that no page of the size pages are
//! allowed to be (see [`super::discover::MAX_FILE_BYTES`]) can make a build crawl or its
//! output balloon. Each is checked where the page is parsed and reported against the page.
//!
//! - Code highlighting (syntect's grammars, with backtracking regular expressions) can take
//!   time that grows with the square of a line's length: a code block with a line longer
//!   than [`MAX_HIGHLIGHTED_LINE_CHARS`] is shown as plain text, and a page may hold at most
//!   [`MAX_HIGHLIGHTED_CODE_BYTES`] of code to highlight.
//! - A page's text may not turn into more than [`MAX_HTML_GROWTH`] times its size in HTML
//!   once that HTML passes [`MAX_HTML_BYTES`] (deeply nested lists or quotes do this). The
//!   rule looks at the page's own text only: the print page, which holds every page of a
//!   language, is as large as the pages it holds.

use crate::diagnostics::Pos;
use pulldown_cmark::{CodeBlockKind, Event, Parser, Tag, TagEnd};

/// Longest line, in characters, of a code block that is highlighted.
pub(crate) const MAX_HIGHLIGHTED_LINE_CHARS: usize = 120;

/// Most bytes of fenced code with a language that one page may hold.
pub(crate) const MAX_HIGHLIGHTED_CODE_BYTES: usize = 8 * 1024;

/// How many times its markdown a page's HTML may grow to, past [`MAX_HTML_BYTES`].
pub(crate) const MAX_HTML_GROWTH: usize = 8;

/// A page's HTML up to this size (4 MB) is always accepted.
pub(crate) const MAX_HTML_BYTES: usize = 4 * 1024 * 1024;

/// Whether a code block is short-lined enough to be highlighted.
pub(crate) fn highlightable(code: &str) -> bool {
    code.lines().all(|l| l.len() <= MAX_HIGHLIGHTED_LINE_CHARS || l.chars().count() <= MAX_HIGHLIGHTED_LINE_CHARS)
}

/// A problem with a page's size: where, its code and its message.
pub(crate) type Problem = (Pos, &'static str, String);

fn kb(bytes: usize) -> String {
    format!("{} KB", bytes.div_ceil(1024))
}

fn mb(bytes: usize) -> String {
    format!("{:.1} MB", bytes as f64 / (1024.0 * 1024.0))
}

/// Checks the code a page's `body` (its first line is file line `body_line`) asks to
/// highlight: the position of the block that goes over [`MAX_HIGHLIGHTED_CODE_BYTES`].
pub(crate) fn check_code(body: &str, body_line: usize) -> Option<Problem> {
    if body.len() <= MAX_HIGHLIGHTED_CODE_BYTES {
        return None;
    }
    let (mut total, mut in_code, mut over) = (0usize, false, None);
    for (event, range) in Parser::new(body).into_offset_iter() {
        match event {
            Event::Start(Tag::CodeBlock(CodeBlockKind::Fenced(lang))) => in_code = !matches!(lang.trim(), "" | "chart"),
            Event::End(TagEnd::CodeBlock) => in_code = false,
            Event::Text(text) if in_code && highlightable(&text) => {
                total += text.len();
                if total > MAX_HIGHLIGHTED_CODE_BYTES && over.is_none() {
                    over = Some(range.start);
                }
            }
            _ => {}
        }
    }
    let at = over?;
    let line = body_line + body[..at].matches('\n').count();
    let message = format!(
        "this page holds {} of code to highlight; a page may hold {}: move long listings into files beside \
         the page and link to them, or split the page",
        kb(total),
        kb(MAX_HIGHLIGHTED_CODE_BYTES)
    );
    Some((Pos::new(line, 1), "too-much-code", message))
}

/// Checks the size of a page's `html` against that of its `source` text.
pub(crate) fn check_growth(source: usize, html: usize) -> Option<Problem> {
    if html <= MAX_HTML_BYTES || html <= source.saturating_mul(MAX_HTML_GROWTH) {
        return None;
    }
    let message = format!(
        "this page's text makes {} of HTML from {} of markdown, over {MAX_HTML_GROWTH} times as much \
         (deeply nested lists or quotes do this): flatten the nesting, or split the page",
        mb(html),
        kb(source)
    );
    Some((Pos::start(), "output-too-large", message))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_lines_are_not_highlighted() {
        assert!(highlightable("fn main() {}\n"));
        assert!(!highlightable(&"a".repeat(MAX_HIGHLIGHTED_LINE_CHARS + 1)));
        // Characters, not bytes.
        assert!(highlightable(&"é".repeat(MAX_HIGHLIGHTED_LINE_CHARS)));
    }

    #[test]
    fn growth_counts_past_the_floor_only() {
        assert!(check_growth(1, MAX_HTML_BYTES).is_none());
        assert!(check_growth(MAX_HTML_BYTES, MAX_HTML_BYTES * MAX_HTML_GROWTH).is_none());
        assert!(check_growth(1024 * 1024, 9 * 1024 * 1024).is_some());
    }
}
