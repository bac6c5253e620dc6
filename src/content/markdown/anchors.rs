//! Anchors of a body: the custom `{#id}` of headings, the slugs of the others, and the ids
//! of other elements (raw HTML, footnotes, charts) that links may point to.

use super::{LineIndex, Markdown, MarkdownProblem, FOOTNOTE_PREFIX};
use crate::content::html;
use pulldown_cmark::{CowStr, Event, Tag};
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
            let at = written_at(body, &id);
            problems.push(MarkdownProblem {
                warning: false,
                pos: lines.pos(body, at),
                code: "duplicate-anchor",
                message: format!(
                    "id `{id}` is given to two elements of this page (a heading, a footnote, a chart or raw HTML): choose another id"
                ),
            });
            continue;
        }
        md.anchors.push(id);
    }
}

/// The attributes of a heading's `{key=value}` that are published: those the sanitiser
/// keeps on any element.
const HEADING_ATTRIBUTES: [&str; 3] = ["lang", "dir", "title"];

/// `attrs`, the `{key=value}` attributes of the heading at `range` of `body`, without
/// those that are not published (`onclick`, `style` ...): each of those is reported, as a
/// warning where it is written, and left out.
pub(super) fn heading_attributes<'a>(
    attrs: &[(CowStr<'a>, Option<CowStr<'a>>)],
    (body, range, lines): (&str, &Range<usize>, &LineIndex),
    problems: &mut Vec<MarkdownProblem>,
) -> Vec<(CowStr<'a>, Option<CowStr<'a>>)> {
    let mut kept = Vec::new();
    for (key, value) in attrs {
        if HEADING_ATTRIBUTES.iter().any(|k| k.eq_ignore_ascii_case(key)) {
            kept.push((key.clone(), value.clone()));
            continue;
        }
        let at = body.get(range.clone()).and_then(|h| h.rfind(&**key)).map_or(range.start, |p| range.start + p);
        problems.push(MarkdownProblem {
            warning: true,
            pos: lines.pos(body, at),
            code: "html-removed",
            message: format!(
                "the heading attribute `{key}` is removed: a heading takes an anchor `{{#...}}`, classes `{{.name}}`, and `lang`, `dir` or `title`"
            ),
        });
    }
    kept
}

/// Where in `body` the editor wrote the id `id`: as a raw HTML attribute, a heading's
/// `{#id}`, or the label of the footnote it was made from; else the body's start (an id
/// made for a chart, `chart-0`, is written nowhere).
fn written_at(body: &str, id: &str) -> usize {
    let footnote = id.strip_prefix(FOOTNOTE_PREFIX).map(|label| format!("[^{label}]:"));
    [format!("id=\"{id}\""), format!("id='{id}'"), format!("{{#{id}")]
        .into_iter()
        .chain(footnote)
        .find_map(|written| body.find(&written))
        .unwrap_or(0)
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

#[cfg(test)]
mod tests {
    use crate::content::markdown::body::render;
    use crate::content::markdown::BodyTools;

    /// The problems of `body` (first line 1) as (line, column, code, message).
    fn problems(body: &str) -> Vec<(usize, usize, &'static str, String)> {
        let en = crate::lang::Lang::parse("en").expect("en");
        let text = crate::content::chart::ChartText { lang: &en, table: "t", label: "l", value: "v" };
        let (_, found) = render(body, 1, "", &BodyTools::default(), crate::config::RawHtml::Sanitize, &text);
        found.into_iter().map(|p| (p.pos.line, p.pos.column, p.code, p.message)).collect()
    }

    #[test]
    fn a_heading_attribute_that_is_not_published_is_reported_where_it_is_written() {
        assert_eq!(
            problems("Intro.\n\n## Title {onclick=alert(1) .note lang=fr}\n"),
            [(3, 11, "html-removed", "the heading attribute `onclick` is removed: a heading takes an anchor `{#...}`, classes `{.name}`, and `lang`, `dir` or `title`".to_string())]
        );
    }

    #[test]
    fn an_id_given_twice_is_reported_where_the_editor_wrote_it() {
        let body = "Intro.\n\nText[^main].\n\n## Notes {#fn-main}\n\n## Figures {#chart-0}\n\n```chart\ntitle: Figures\ndata:\n  A: 1\n```\n\n[^main]: A note.\n";
        let found: Vec<(usize, usize, &str)> = problems(body).iter().map(|(l, c, code, _)| (*l, *c, *code)).collect();
        assert_eq!(found, [(7, 12, "duplicate-anchor"), (5, 10, "duplicate-anchor")]);
    }
}
