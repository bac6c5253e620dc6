//! Tables: the scroll box around each, and its caption.
//!
//! A caption is written as Pandoc writes it: a paragraph of its own that starts with
//! `Table:` (or `table:`), directly before or directly after the table. It becomes the
//! table's `<caption>`, with an id made from its text (`Table: Pilots by country` gives
//! `table-pilots-by-country`), and names the scroll box, which is a keyboard-reachable
//! region (WCAG 1.3.1 and 2.1.1; the pattern of a labelled, focusable scroll region).

use super::{unique_anchor, BodyWriter};
use pulldown_cmark::{CowStr, Event, Tag, TagEnd};
use std::ops::Range;

/// What starts a caption paragraph, in Pandoc's syntax.
const CAPTION_PREFIXES: [&str; 2] = ["Table:", "table:"];

/// `text` without the caption prefix it starts with, if it starts with one.
fn after_prefix(text: &str) -> Option<&str> {
    CAPTION_PREFIXES.iter().find_map(|p| text.strip_prefix(p))
}

/// A caption paragraph found among the events.
#[derive(Clone, Debug, PartialEq)]
pub(super) struct Caption {
    /// The events of the paragraph, its start and end included.
    pub(super) events: Range<usize>,
}

impl<'a> BodyWriter<'a, '_> {
    /// The caption paragraph starting at event `i`, if that is one: a paragraph whose first
    /// text starts with `Table:` and has more text after it.
    fn caption_at(&self, i: usize) -> Option<Caption> {
        let events = self.events;
        if !matches!(events.get(i), Some((Event::Start(Tag::Paragraph), _))) {
            return None;
        }
        let Some((Event::Text(first), _)) = events.get(i + 1) else { return None };
        let rest = after_prefix(first)?;
        let end = self.end_of(i, |e| matches!(e, Event::End(TagEnd::Paragraph)));
        let more =
            rest.trim().len() + events[i + 2..end].iter().filter(|(e, _)| !matches!(e, Event::SoftBreak)).count();
        (more > 0 && end < events.len()).then_some(Caption { events: i..end + 1 })
    }

    /// The paragraph starting at event `i`, if it is the caption of a table that follows it:
    /// kept for that table; returns the index after the paragraph.
    pub(super) fn caption_before_table(&mut self, i: usize) -> Option<usize> {
        let caption = self.caption_at(i)?;
        let after = caption.events.end;
        matches!(self.events.get(after), Some((Event::Start(Tag::Table(_)), _))).then(|| {
            self.caption = Some(caption);
            after
        })
    }

    /// A table starting at event `i`: opens its scroll box and writes its start and its
    /// caption (the one kept before it, else one right after it, which is then skipped);
    /// returns the index after the table's start.
    pub(super) fn table_start(&mut self, i: usize) -> usize {
        let caption = self.caption.take().or_else(|| {
            let end = self.end_of(i, |e| matches!(e, Event::End(TagEnd::Table)));
            let after = self.caption_at(end + 1)?;
            self.skip = Some(after.events.clone());
            Some(after)
        });
        let Some(caption) = caption else {
            self.own_html("<div class=\"table-scroll\" tabindex=\"0\">\n".to_string());
            self.out.push(self.events[i].0.clone());
            return i + 1;
        };
        let inner = caption.events.start + 1..caption.events.end - 1;
        let id = unique_anchor(&super::plain_text(self.events[inner.clone()].iter().map(|(e, _)| e)), &mut self.used);
        self.own_html(format!(
            "<div class=\"table-scroll\" tabindex=\"0\" role=\"region\" aria-labelledby=\"{id}\">\n"
        ));
        self.out.push(self.events[i].0.clone());
        self.out.push(Event::Html(CowStr::from(format!("<caption id=\"{id}\">"))));
        for j in inner {
            let (ev, range) = &self.events[j];
            let ev = match ev {
                Event::Text(t) if j == caption.events.start + 1 => {
                    let rest = after_prefix(t).unwrap_or(t);
                    Event::Text(CowStr::from(rest.trim_start().to_string()))
                }
                ev => ev.clone(),
            };
            self.text(&ev);
            self.out.push(self.links.rewrite(ev, range));
        }
        self.out.push(Event::Html(CowStr::from("</caption>")));
        self.md.push_text("\n");
        i + 1
    }
}

/// `html`, as the markdown writer wrote it, with each table whose header row is empty
/// (`| | |`: a list of facts rather than columns, such as a project's key facts) written as
/// rows of facts: without the empty header row, and with the first cell of each row a row
/// header (`<th scope="row">`), which screen readers announce with the row's other cells
/// (WCAG 2.1 success criterion 1.3.1; technique H63).
pub(in crate::content::markdown) fn row_header_tables(html: &str) -> std::borrow::Cow<'_, str> {
    const HEAD: &str = "<thead><tr>";
    const HEAD_END: &str = "</tr></thead><tbody>\n";
    const BODY_END: &str = "</tbody></table>";
    if !html.contains("<thead><tr><th") {
        return html.into();
    }
    let mut out = String::with_capacity(html.len());
    let mut rest = html;
    while let Some(at) = rest.find(HEAD) {
        let after = &rest[at + HEAD.len()..];
        let (Some(head_len), Some(body_len)) = (after.find(HEAD_END), after.find(BODY_END)) else { break };
        let head = &after[..head_len];
        if head_len > body_len || !is_empty_header_row(head) {
            out.push_str(&rest[..at + HEAD.len()]);
            rest = after;
            continue;
        }
        out.push_str(&rest[..at]);
        out.push_str("<tbody>\n");
        let body = &after[head_len + HEAD_END.len()..body_len];
        for row in body.split_inclusive("</tr>\n") {
            match (row.strip_prefix("<tr><td"), row.find("</td>")) {
                (Some(cell), Some(end)) => {
                    let end = end - "<tr><td".len();
                    out.push_str("<tr><th scope=\"row\"");
                    out.push_str(&cell[..end]);
                    out.push_str("</th>");
                    out.push_str(&cell[end + "</td>".len()..]);
                }
                _ => out.push_str(row),
            }
        }
        rest = &after[body_len..];
    }
    out.push_str(rest);
    out.into()
}

/// Whether `head` (what the writer put between `<thead><tr>` and `</tr>`) is header cells
/// with nothing in them.
fn is_empty_header_row(head: &str) -> bool {
    let cells = head.split("</th>").filter(|c| !c.is_empty());
    let mut any = false;
    for cell in cells {
        let Some(open) = cell.strip_prefix("<th") else { return false };
        if !(open == ">" || (open.starts_with(" style=\"text-align: ") && open.ends_with("\">") && !open.contains('<')))
        {
            return false;
        }
        any = true;
    }
    any && head.ends_with("</th>")
}

#[cfg(test)]
mod tests {
    use crate::config::RawHtml;
    use crate::content::chart::ChartText;
    use crate::content::markdown::{BodyTools, Markdown};

    fn md(body: &str, raw_html: RawHtml) -> Markdown {
        let en = crate::lang::Lang::parse("en").expect("en");
        let text = ChartText { lang: &en, table: "The figures", label: "Item", value: "Value" };
        super::super::render(body, 1, "", &BodyTools::default(), raw_html, &text).0
    }

    const TABLE: &str = "| No. | Pilot |\n|-----|-------|\n| 2.1 | Avignon |\n";

    #[test]
    fn a_caption_before_the_table_names_it_and_its_scroll_box() {
        let m = md(&format!("Table: Pilots *by* number\n\n{TABLE}\nAfter.\n"), RawHtml::Sanitize);
        assert!(
            m.html.starts_with(
                "<div class=\"table-scroll\" tabindex=\"0\" role=\"region\" aria-labelledby=\"table-pilots-by-number\">\n\n\
                 <table><caption id=\"table-pilots-by-number\">Pilots <em>by</em> number</caption><thead>"
            ),
            "{}",
            m.html
        );
        assert!(!m.html.contains("<p>Table:"), "{}", m.html);
        assert_eq!(m.anchors, ["table-pilots-by-number"]);
        // The caption is text of the page (searchable), but not its first paragraph.
        let text: String = m.sections.iter().map(|s| s.text.as_str()).collect();
        assert!(text.contains("Pilots by number"), "{text}");
        assert_eq!(m.first_paragraph, "After.");
    }

    #[test]
    fn a_caption_after_the_table_works_too_and_two_captions_get_two_ids() {
        let m = md(&format!("{TABLE}\nTable: Pilots\n\nTable: Pilots\n\n{TABLE}"), RawHtml::Escape);
        let ids: Vec<&str> = m.anchors.iter().map(String::as_str).collect();
        assert_eq!(ids, ["table-pilots", "table-pilots-1"]);
        assert_eq!(m.html.matches("<caption").count(), 2, "{}", m.html);
        assert!(!m.html.contains("Table:"), "{}", m.html);
    }

    #[test]
    fn what_is_not_a_caption_stays_a_paragraph() {
        // Not next to a table; an empty caption; a caption separated by another paragraph.
        for body in
            ["Table: alone\n".to_string(), format!("Table:\n\n{TABLE}"), format!("Table: far\n\nText.\n\n{TABLE}")]
        {
            let m = md(&body, RawHtml::Sanitize);
            assert!(m.html.contains("<p>Table:"), "{body}: {}", m.html);
            assert!(!m.html.contains("<caption"), "{body}: {}", m.html);
            assert!(m.html.contains("<div class=\"table-scroll\" tabindex=\"0\">") == body.contains('|'), "{}", m.html);
        }
    }

    #[test]
    fn a_table_with_an_empty_header_row_is_written_as_rows_of_facts() {
        let m = md("Table: Key facts\n\n| | |\n|---|:--|\n| Dates | 2017 to 2019 |\n| Coordinator | [Efus](https://efus.eu) |\n\n| A | |\n|---|---|\n| 1 | 2 |\n", RawHtml::Sanitize);
        assert!(
            m.html.contains(
                "<table><caption id=\"table-key-facts\">Key facts</caption><tbody>\n\
                 <tr><th scope=\"row\">Dates</th><td class=\"align-left\">2017 to 2019</td></tr>\n\
                 <tr><th scope=\"row\">Coordinator</th><td class=\"align-left\"><a href=\"https://efus.eu\">Efus</a></td></tr>\n\
                 </tbody></table>"
            ),
            "{}",
            m.html
        );
        // A header row with any text in it stays a header row.
        assert!(
            m.html.contains("<thead><tr><th>A</th><th></th></tr></thead><tbody>\n<tr><td>1</td><td>2</td></tr>"),
            "{}",
            m.html
        );
    }

    #[test]
    fn a_caption_cannot_smuggle_markup() {
        let m =
            md(&format!("Table: <img src=x onerror=alert(1)> [x](javascript:alert(1))\n\n{TABLE}"), RawHtml::Escape);
        assert!(!m.html.contains("<img") && !m.html.contains("javascript:"), "{}", m.html);
        assert!(m.html.contains("<caption id="), "{}", m.html);
    }
}
