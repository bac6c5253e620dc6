//! The sanitiser that makes an editor's raw HTML safe for readers.
//!
//! The sanitiser is [ammonia](https://docs.rs/ammonia) (html5ever's HTML5 parser, then an
//! allow-list): it keeps the structure and formatting editors use (tables,
//! `details`/`summary`, `abbr`, `sup`/`sub`, `kbd`, `figure`, `id` and `class`) and drops
//! anything that can load or run something (`script`, `style`, event handlers, `iframe`,
//! `object`, `embed`, forms, `base`, `meta`, SVG and MathML, and links whose scheme is not
//! one of [`ALLOWED_SCHEMES`]).

use super::{attributes, decode_entities, pieces, tag_name, Piece};

/// The URL schemes a page may link to (links, images, raw HTML `href` and `src`). Any
/// other scheme (`javascript:`, `vbscript:`, `data:`, `file:` ...) is refused.
pub(crate) const ALLOWED_SCHEMES: [&str; 4] = ["http", "https", "mailto", "tel"];

/// Ids that the default theme gives to its own elements or that its scripts look up
/// (`document.getElementById("search-page")`, `window.guidebookSearch`), and the prefixes
/// of its generated ids. Page text may not take them: an element of the text with such an
/// id would stand in for the theme's own (DOM clobbering) and break its scripts, and
/// would repeat an id of the page (WCAG 2.1, 4.1.1).
pub(crate) const RESERVED_IDS: [&str; 6] =
    ["main", "search-page", "cover", "home-pages", "print-contents-title", "guidebookSearch"];

/// Prefixes of the ids the default theme generates (`gb-search`, `home-section-2`).
pub(crate) const RESERVED_ID_PREFIXES: [&str; 2] = ["gb-", "home-section-"];

/// Whether `id` is one of [`RESERVED_IDS`] or starts with one of [`RESERVED_ID_PREFIXES`],
/// in any ASCII case (stricter than browsers, which compare ids case-sensitively).
pub(crate) fn is_reserved_id(id: &str) -> bool {
    let lower = id.to_ascii_lowercase();
    RESERVED_IDS.iter().any(|r| r.eq_ignore_ascii_case(id)) || RESERVED_ID_PREFIXES.iter().any(|p| lower.starts_with(p))
}

/// Elements removed together with everything inside them: their content is code, a
/// foreign document or a form control, never text for readers.
const DROPPED_WITH_CONTENT: [&str; 15] = [
    "script", "style", "svg", "math", "template", "noscript", "iframe", "object", "embed", "textarea", "select",
    "title", "xmp", "noembed", "noframes",
];

/// Makes HTML safe to publish: built once per build, shared by every thread.
pub(crate) struct Sanitizer {
    builder: ammonia::Builder<'static>,
    /// The elements kept, for [`Sanitizer::removals`].
    tags: std::collections::HashSet<&'static str>,
}

impl Default for Sanitizer {
    fn default() -> Self {
        Self::new()
    }
}

impl std::fmt::Debug for Sanitizer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Sanitizer")
    }
}

impl Sanitizer {
    /// The allow-list: ammonia's default elements (text formatting, lists, tables, `details`,
    /// `figure`, `abbr`, `kbd`, `sup`/`sub`, images ...) plus the disabled check boxes of
    /// task lists; `id`, `class`, `lang`, `dir` and `title` on any of them, `scope` on `th`; no `style`
    /// (a strict Content-Security-Policy refuses it: the column alignment of markdown
    /// tables is a class, see [`alignment_classes`]); links with [`ALLOWED_SCHEMES`] or
    /// relative ones; comments dropped.
    pub(crate) fn new() -> Self {
        let mut b = ammonia::Builder::default();
        b.add_tags(["input"])
            .add_clean_content_tags(DROPPED_WITH_CONTENT)
            .add_generic_attributes(["id", "class", "dir"])
            .add_tag_attributes("a", ["title"])
            .add_tag_attributes("input", ["type", "checked", "disabled"])
            .add_tag_attributes("ol", ["reversed", "type"])
            .add_tag_attributes("li", ["value"])
            .add_tag_attributes("details", ["open"])
            .add_tag_attributes("th", ["scope"])
            .add_tag_attributes("time", ["datetime"])
            .add_tag_attributes("data", ["value"])
            .set_tag_attribute_value("input", "disabled", "")
            .url_schemes(ALLOWED_SCHEMES.into_iter().collect())
            .url_relative(ammonia::UrlRelative::PassThrough)
            .link_rel(None)
            .strip_comments(true)
            .attribute_filter(|element, attribute, value| match (element, attribute) {
                ("input", "type") => (value.eq_ignore_ascii_case("checkbox")).then(|| "checkbox".into()),
                (_, "id") if is_reserved_id(value) => None,
                // ammonia reads the scheme as the URL Standard does; `bad_scheme` reads it
                // more strictly, so that `ja&#x0C;vascript:` goes too (and the warning of
                // `removals` is true).
                (_, "href" | "src" | "cite") if leaves_out_scheme(value) || bad_scheme(value) => None,
                _ => Some(value.into()),
            });
        let tags = b.clone_tags();
        Sanitizer { builder: b, tags }
    }

    /// What the sanitiser will take out of a piece of raw HTML as an editor wrote it, one
    /// entry per tag or attribute, each with its byte offset in `raw` and the reason, for
    /// warnings: ``(12, "the element `<script>` is removed with its content")``.
    pub(crate) fn removals(&self, raw: &str) -> Vec<(usize, String)> {
        let mut found = Vec::new();
        let mut at = 0;
        // Inside an element removed with its content, nothing more is said.
        let mut dropped: Option<String> = None;
        for piece in pieces(raw) {
            let text = match piece {
                Piece::Text(s) | Piece::Tag(s) | Piece::Other(s) => s,
            };
            if let Piece::Tag(tag) = piece {
                let name = tag_name(tag);
                if let Some(outer) = &dropped {
                    if tag.starts_with("</") && *outer == name {
                        dropped = None;
                    }
                } else if !tag.starts_with("</") {
                    if DROPPED_WITH_CONTENT.contains(&name.as_str()) {
                        found.push((at, format!("the element `<{name}>` is removed with its content")));
                        if !tag.ends_with("/>") {
                            dropped = Some(name.clone());
                        }
                    } else if !self.tags.contains(name.as_str()) {
                        found.push((at, format!("the element `<{name}>` is removed (its text is kept)")));
                    } else {
                        for a in attributes(tag) {
                            let attr = a.name.to_ascii_lowercase();
                            if attr.starts_with("on") {
                                found.push((at, format!("the event handler `{attr}` of `<{name}>` is removed")));
                            } else if attr == "id" && is_reserved_id(&decode_entities(a.value)) {
                                let id = decode_entities(a.value);
                                found.push((
                                    at,
                                    format!("the id `{id}` of `<{name}>` is removed (the page layout uses it; choose another)"),
                                ));
                            } else if attr == "style" && !matches!(name.as_str(), "td" | "th") {
                                found.push((at, format!("the `style` of `<{name}>` is removed: use a `class`")));
                            } else if matches!(attr.as_str(), "href" | "src") {
                                let url = decode_entities(a.value);
                                let why = if bad_scheme(&url) {
                                    "its scheme is not allowed"
                                } else if leaves_out_scheme(&url) {
                                    "it names another host without a scheme (write `https://`)"
                                } else {
                                    continue;
                                };
                                found.push((at, format!("the `{attr}` of `<{name}>` is removed: {why}")));
                            }
                        }
                    }
                }
            }
            at += text.len();
        }
        found
    }

    /// `html` (a fragment of a page body) with everything unsafe removed.
    pub(crate) fn clean(&self, html: &str) -> String {
        self.builder.clean(html).to_string()
    }

    /// Whether [`Sanitizer::clean`] would keep every element and attribute of `html`, which
    /// the markdown writer wrote from text without raw HTML: every tag is one that writer
    /// makes ([`WRITER_TAGS`]) with only the attributes listed for it or the generic ones,
    /// no id is reserved ([`is_reserved_id`]), every `href` and `src` has an allowed scheme
    /// or none, and there is no comment. Then `html` is published as it is, for the
    /// sanitiser (an HTML5 parse, a tree and a new serialisation) would only write the same
    /// elements again: it was a fifth of the parse stage on the benchmark corpus, whose
    /// pages have no raw HTML. Anything else (a heading's `{key=value}` attribute, an
    /// unknown tag) returns `false`, and the caller sanitises.
    ///
    /// Only for the writer's output: raw HTML of an editor's is always sanitised, for this
    /// reader of tags is not a browser's parser.
    pub(crate) fn keeps_all(&self, html: &str) -> bool {
        pieces(html).all(|piece| match piece {
            Piece::Text(_) => true,
            Piece::Other(_) => false,
            Piece::Tag(tag) => {
                let name = tag_name(tag);
                let Some((_, own)) = WRITER_TAGS.iter().find(|(t, _)| *t == name) else { return false };
                tag.starts_with("</")
                    || attributes(tag).iter().all(|a| {
                        (own.contains(&a.name) || WRITER_GENERIC_ATTRIBUTES.contains(&a.name))
                            && match a.name {
                                "id" => !is_reserved_id(&decode_entities(a.value)),
                                "href" | "src" => {
                                    let url = decode_entities(a.value);
                                    !bad_scheme(&url) && !leaves_out_scheme(&url)
                                }
                                "type" => a.value == "checkbox",
                                _ => true,
                            }
                    })
            }
        })
    }
}

/// The elements the markdown writer makes with the extensions guidebook enables (tables,
/// footnotes, strikethrough, task lists, heading attributes), and table captions, each
/// with the attributes it may carry besides [`WRITER_GENERIC_ATTRIBUTES`]: all of them kept
/// by [`Sanitizer::new`]'s allow-list (a test checks it), for [`Sanitizer::keeps_all`].
const WRITER_TAGS: [(&str, &[&str]); 29] = [
    ("p", &[]),
    ("h1", &[]),
    ("h2", &[]),
    ("h3", &[]),
    ("h4", &[]),
    ("h5", &[]),
    ("h6", &[]),
    ("blockquote", &[]),
    ("ol", &["start"]),
    ("ul", &[]),
    ("li", &[]),
    ("em", &[]),
    ("strong", &[]),
    ("del", &[]),
    ("code", &[]),
    ("a", &["href", "title"]),
    ("img", &["src", "alt", "title"]),
    ("table", &[]),
    ("caption", &[]),
    ("thead", &[]),
    ("tbody", &[]),
    ("tr", &[]),
    ("th", &["scope"]),
    ("td", &[]),
    ("hr", &[]),
    ("br", &[]),
    ("sup", &[]),
    ("div", &[]),
    ("input", &["type", "checked", "disabled"]),
];

/// The attributes [`WRITER_TAGS`] may all carry (heading ids and classes, footnote ids,
/// table alignment classes).
const WRITER_GENERIC_ATTRIBUTES: [&str; 2] = ["id", "class"];

/// Whether a URL has a scheme other than [`ALLOWED_SCHEMES`], read more strictly than a
/// browser reads it: every whitespace and control character is ignored, where the URL
/// Standard ignores only tab, line feed and carriage return (and C0 controls and spaces at
/// either end); any case. `ja&#x0C;vascript:x` is a relative address to a browser and a
/// `javascript:` one here.
fn bad_scheme(url: &str) -> bool {
    let cleaned: String = url.chars().filter(|c| !c.is_whitespace() && !c.is_control()).collect();
    let Some((scheme, _)) = cleaned.split_once(':') else { return false };
    scheme.chars().next().is_some_and(|c| c.is_ascii_alphabetic())
        && scheme.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'))
        && !ALLOWED_SCHEMES.iter().any(|s| s.eq_ignore_ascii_case(scheme))
}

/// Whether `url` names another host without a scheme (`//host/x`, `\\\\host\\share`,
/// `/\\host`): a browser reads it as that host, and from `file://` (a copy on a shared
/// drive) as a network share, which Windows opens on its own.
pub(crate) fn leaves_out_scheme(url: &str) -> bool {
    let start: String = url.trim_start().chars().filter(|c| !matches!(c, '\t' | '\n' | '\r')).take(2).collect();
    start.len() == 2 && start.chars().all(|c| c == '/' || c == '\\')
}

#[cfg(test)]
mod tests {
    use super::*;
    #[test]
    fn removals_are_named_with_their_offsets() {
        let s = Sanitizer::new();
        let raw = "<p onclick=\"x()\" style=\"color:red\">a</p><script>b</script><marquee>c</marquee><a href=\" javascript:x\">d</a><td style=\"text-align: left\">";
        let found: Vec<(usize, String)> = s.removals(raw);
        assert_eq!(
            found,
            [
                (0, "the event handler `onclick` of `<p>` is removed".to_string()),
                (0, "the `style` of `<p>` is removed: use a `class`".to_string()),
                (40, "the element `<script>` is removed with its content".to_string()),
                (58, "the element `<marquee>` is removed (its text is kept)".to_string()),
                (78, "the `href` of `<a>` is removed: its scheme is not allowed".to_string()),
            ]
        );
        assert!(s.removals("<details><summary>x</summary><abbr title=\"y\">z</abbr></details>").is_empty());
        assert_eq!(
            s.removals("<div id=\"main\">a</div><p id=\"gb-search\">b</p><p id=\"mine\">c</p>"),
            [
                (0, "the id `main` of `<div>` is removed (the page layout uses it; choose another)".to_string()),
                (22, "the id `gb-search` of `<p>` is removed (the page layout uses it; choose another)".to_string()),
            ]
        );
        for hidden in [
            "jav&#x09;ascript:x",
            "&#106;avascript:x",
            "java&#10;script:x",
            "&#x6A;avascript&colon;x",
            "java&Tab;script:x",
        ] {
            let found = s.removals(&format!("<a href=\"{hidden}\">a</a>"));
            assert_eq!(found.len(), 1, "{hidden}");
        }
        let nested = s.removals("<svg><script>a</script><img onerror=x></svg><b onclick=y>");
        let reasons: Vec<&str> = nested.iter().map(|(_, r)| r.as_str()).collect();
        assert_eq!(
            reasons,
            ["the element `<svg>` is removed with its content", "the event handler `onclick` of `<b>` is removed"]
        );
    }

    #[test]
    fn the_sanitiser_keeps_structure_and_drops_what_runs() {
        let s = Sanitizer::new();
        let kept = "<details open=\"\"><summary>More</summary><p><abbr title=\"x\">X</abbr> H<sub>2</sub>O <kbd>Ctrl</kbd></p></details>\
                    <figure id=\"f\" class=\"wide\"><img src=\"a.png\" alt=\"A\"><figcaption>A</figcaption></figure>\
                    <table><thead><tr><th class=\"align-center\">a</th></tr></thead></table>\
                    <ul><li><input disabled=\"\" type=\"checkbox\" checked=\"\"> done</li></ul>";
        assert_eq!(s.clean(kept), kept);
        for (evil, safe) in [
            ("<script>alert(1)</script>x", "x"),
            ("<img src=x onerror=alert(1)>", "<img src=\"x\">"),
            ("<a href=\"javascript:alert(1)\">a</a>", "<a>a</a>"),
            ("<a href=\" JaVaScRiPt:alert(1)\">a</a>", "<a>a</a>"),
            // Found by the markdown fuzz target: relative to a browser, refused here anyway.
            ("<a href=\"ja&#x0C;vascript:alert(1)\">a</a><img src=\"da&#x2028;ta:x,alert\">", "<a>a</a><img>"),
            ("<svg><script>alert(1)</script></svg>ok", "ok"),
            ("<math><mi xlink:href=\"javascript:alert(1)\">x</mi></math>ok", "ok"),
            ("<iframe src=\"https://x\"></iframe><object data=\"x\"></object>ok", "ok"),
            ("<form action=\"x\"><button formaction=\"javascript:alert(1)\">b</button></form>", "b"),
            ("<base href=\"https://evil/\"><meta http-equiv=\"refresh\" content=\"0\">ok", "ok"),
            ("<p style=\"background:url(x)\">p</p>", "<p>p</p>"),
            ("<th style=\"text-align: center; background: url(x)\">a</th>", "a"),
            ("<td style=\"text-align: left\">a</td>", "a"),
            ("<input type=\"text\" value=\"x\">", "<input disabled=\"\">"),
            ("<img src=\"//evil.example/t.png\"><a href=\"\\\\evil.example\\share\">s</a><a href=\"/\\evil.example\">t</a>", "<img><a>s</a><a>t</a>"),
            (
                "<div id=\"search-page\">x</div><a id=\"guidebookSearch\">y</a><p id=\"GB-Search\">z</p>",
                "<div>x</div><a>y</a><p>z</p>",
            ),
        ] {
            let cleaned = s.clean(evil);
            assert!(!cleaned.contains("alert") && !cleaned.contains("evil"), "{evil} -> {cleaned}");
            assert_eq!(cleaned, safe, "{evil}");
        }
    }

    /// What the markdown writer makes of `md`, as the parse stage has it before sanitising.
    fn written(md: &str) -> String {
        let mut html = String::new();
        let parser = pulldown_cmark::Parser::new_ext(md, crate::content::markdown::options());
        pulldown_cmark::html::push_html(&mut html, parser);
        super::super::alignment_classes(&html).into_owned()
    }

    /// The elements of `html` in order, each with its attributes (values decoded, sorted by
    /// name), and its text decoded: what a reader gets, whatever the serialisation.
    fn elements(html: &str) -> Vec<String> {
        let mut out: Vec<String> = Vec::new();
        for piece in pieces(html) {
            match piece {
                Piece::Tag(tag) => {
                    let mut attrs: Vec<String> =
                        attributes(tag).iter().map(|a| format!("{}={}", a.name, decode_entities(a.value))).collect();
                    attrs.sort();
                    let end = if tag.starts_with("</") { "/" } else { "" };
                    out.push(format!("<{end}{} {}>", tag_name(tag), attrs.join(" ")));
                }
                Piece::Text(text) => match out.last_mut() {
                    Some(last) if !last.starts_with('<') => last.push_str(&decode_entities(text)),
                    _ => out.push(decode_entities(text)),
                },
                Piece::Other(other) => out.push(other.to_string()),
            }
        }
        out
    }

    #[test]
    fn what_the_markdown_writer_makes_is_kept_whole() {
        let s = Sanitizer::new();
        for md in [
            "# Title {#intro .lead}\n\nText *em* **strong** ~~del~~ `a \"code\" <b>` \"quotes\" & \\<angle>\n",
            "1. one\n2. two\n\n3) three\n\n- [x] done\n- [ ] to do\n\n> quote\n\n---\n\nline  \nbreak\n",
            "| a | b | c |\n|:--|:-:|--:|\n| 1 | `|` | 3 |\n",
            "Note[^n].\n\n[^n]: A note with [a link](https://example.org \"T&C\") and ![an image](pic.png \"P\").\n",
            "[rel](../x/?a=1&b=2#f) [mail](mailto:a@b.example) <https://example.org/a_b> <a@b.example> [tel](tel:+331)\n",
            "5. five\n6. six\n\n    indented code\n",
        ] {
            let html = written(md);
            assert!(s.keeps_all(&html), "{html}");
            assert_eq!(elements(&s.clean(&html)), elements(&html), "{html}");
        }
    }

    #[test]
    fn anything_else_is_left_to_the_sanitiser() {
        let s = Sanitizer::new();
        for html in [
            "<h2 onclick=\"x()\">a</h2>",
            "<a href=\"javascript:x()\">a</a>",
            "<a href=\"ja&#x09;vascript:x()\">a</a>",
            "<img src=\"data:image/png;base64,AAAA\">",
            "<a href=\"//elsewhere.example/\">a</a>",
            "<h2 id=\"main\">a</h2>",
            "<div id=\"gb-search\">a</div>",
            "<!-- note --><p>a</p>",
            "<script>x()</script>",
            "<p style=\"color: red\">a</p>",
            "<input type=\"text\">",
            "<span>a</span>",
        ] {
            assert!(!s.keeps_all(html), "{html}");
        }
        // A heading attribute other than an id or a class.
        assert!(!s.keeps_all(&written("## Title {onclick=alert(1) .note}\n")));
    }
}
