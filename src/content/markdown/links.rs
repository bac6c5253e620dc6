//! Link destinations: what a link written in a body leads to ([`classify`]), which schemes
//! may be published, and the recording of internal links as placeholders while a body is
//! rendered.

use super::{BodyLink, LineIndex, LinkTarget, MarkdownProblem, FOOTNOTE_PREFIX, LINK_CLOSE};
use crate::content::html::{self, ALLOWED_SCHEMES};
use crate::diagnostics::printable;
use pulldown_cmark::{CowStr, Event, LinkType, Tag};

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
    let path = crate::content::discover::nfc(&decode(path.split('?').next().unwrap_or(path)));
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
pub(super) fn check_scheme(dest: &str) -> Result<Option<String>, LinkProblem> {
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
pub(super) struct LinkRecorder<'b, 'p> {
    pub(super) body: &'b str,
    pub(super) lines: &'b LineIndex,
    pub(super) dir: &'b str,
    /// The body's [`Markdown::marker`](super::Markdown::marker).
    pub(super) marker: &'b str,
    pub(super) problems: &'p mut Vec<MarkdownProblem>,
    pub(super) links: Vec<BodyLink>,
}

impl LinkRecorder<'_, '_> {
    /// `ev` as published: internal links become placeholders (recorded with their
    /// position), footnote labels get their prefix, and links that may not be published
    /// lose their address (and are reported).
    pub(super) fn rewrite<'a>(&mut self, ev: Event<'a>, range: &std::ops::Range<usize>) -> Event<'a> {
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

#[cfg(test)]
mod tests {
    use super::*;

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
}
