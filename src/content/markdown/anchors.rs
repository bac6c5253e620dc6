//! Anchors of a body: the custom `{#id}` of headings, the slugs of the others, and the ids
//! of other elements (raw HTML, footnotes, charts) that links may point to.

use super::{LineIndex, Markdown, MarkdownProblem, FOOTNOTE_PREFIX};
use crate::content::html;
use pulldown_cmark::{Event, Tag};
use std::collections::HashSet;
use std::ops::Range;

/// The custom anchors (`## Title {#id}`) of `events`, taken first so that generated ones
/// never take them. Reports those the page layout uses ([`html::is_reserved_id`]) and
/// those given to two headings; neither is taken.
pub(super) fn custom_anchors(
    events: &[(Event<'_>, Range<usize>)],
    body: &str,
    lines: &LineIndex,
    problems: &mut Vec<MarkdownProblem>,
) -> HashSet<String> {
    let mut used: HashSet<String> = HashSet::new();
    for (ev, range) in events {
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
    used
}

/// Fills [`Markdown::anchors`] with the ids of the body's elements other than headings,
/// and reports ids given twice (a raw-HTML id that a heading, a footnote or another element
/// already has), at the first line that writes it.
pub(super) fn collect_anchors(md: &mut Markdown, body: &str, lines: &LineIndex, problems: &mut Vec<MarkdownProblem>) {
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
            problems.push(MarkdownProblem {
                warning: false,
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

/// A GitHub-style anchor for `text` (letters of every script kept, lowercased), made
/// unique against `used` with `-1`, `-2`, ... suffixes; prefixed with `section-` where it
/// would take a footnote's or the layout's id ([`html::is_reserved_id`]).
pub(super) fn unique_anchor(text: &str, used: &mut HashSet<String>) -> String {
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
