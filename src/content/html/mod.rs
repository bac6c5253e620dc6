//! HTML that page text becomes: a small reader of serialised HTML for the passes that run
//! over rendered bodies after the parse stage (heading and element ids, print-page anchors,
//! glossary links), and the sanitiser ([`sanitizer`]) that makes an editor's raw HTML safe
//! for readers.

mod sanitizer;

pub(crate) use sanitizer::{is_reserved_id, leaves_out_scheme, Sanitizer, ALLOWED_SCHEMES};

/// `html` with the column alignment of markdown tables as classes (`<td class="align-left">`)
/// rather than the `style="text-align: left"` the markdown writer emits: a strict
/// Content-Security-Policy (no `'unsafe-inline'` styles) ignores `style` attributes, so
/// the theme aligns these classes instead.
pub(crate) fn alignment_classes(html: &str) -> std::borrow::Cow<'_, str> {
    if !html.contains(" style=\"text-align: ") {
        return html.into();
    }
    let mut out = html.to_string();
    for cell in ["th", "td"] {
        for align in ["left", "center", "right"] {
            out = out.replace(
                &format!("<{cell} style=\"text-align: {align}\">"),
                &format!("<{cell} class=\"align-{align}\">"),
            );
        }
    }
    out.into()
}

/// `html` as the markdown writer wrote it, with its void elements written as the
/// sanitiser writes them (`<br>`, `<img src="a.png" alt="">`, not `<br />`), so that a
/// page reads the same whether its text was sanitised or not. Only for the writer's
/// output, where `/>` can only end a tag: in text and attribute values it writes `&gt;`.
pub(crate) fn without_self_closing(html: &str) -> String {
    html.replace(" />", ">").replace("/>", ">")
}

/// A piece of serialised HTML, as [`pieces`] reads it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Piece<'a> {
    /// Text between tags (still escaped).
    Text(&'a str),
    /// A start or end tag, `<` to `>`, attribute values included.
    Tag(&'a str),
    /// A comment, doctype or processing instruction, `<!` or `<?` to `>`.
    Other(&'a str),
}

/// Splits serialised HTML into text, tags and comments, with attribute values read as
/// values: a `>` or `<` inside `title="a > b"` does not end or start a tag. Reading is
/// lenient (what a browser would do with broken markup does not matter here: the input is
/// the sanitiser's or our own output); the pieces always add up to `html`.
pub fn pieces(html: &str) -> impl Iterator<Item = Piece<'_>> {
    let mut rest = html;
    std::iter::from_fn(move || {
        if rest.is_empty() {
            return None;
        }
        let bytes = rest.as_bytes();
        let opens_tag = |i: usize| {
            bytes[i] == b'<'
                && bytes.get(i + 1).is_some_and(|c| c.is_ascii_alphabetic() || matches!(c, b'/' | b'!' | b'?'))
        };
        if !opens_tag(0) {
            let end = (1..bytes.len()).find(|&i| opens_tag(i)).unwrap_or(bytes.len());
            let (text, tail) = rest.split_at(end);
            rest = tail;
            return Some(Piece::Text(text));
        }
        if rest.starts_with("<!--") {
            let end = rest[4..].find("-->").map_or(rest.len(), |i| i + 7);
            let (comment, tail) = rest.split_at(end);
            rest = tail;
            return Some(Piece::Other(comment));
        }
        if matches!(bytes[1], b'!' | b'?') {
            let end = rest.find('>').map_or(rest.len(), |i| i + 1);
            let (other, tail) = rest.split_at(end);
            rest = tail;
            return Some(Piece::Other(other));
        }
        let end = tag_end(rest);
        let (tag, tail) = rest.split_at(end);
        rest = tail;
        Some(Piece::Tag(tag))
    })
}

/// The length of the tag at the start of `s` (which starts with `<`), quoted values skipped.
fn tag_end(s: &str) -> usize {
    let mut quote: Option<u8> = None;
    let mut after_equals = false;
    for (i, &c) in s.as_bytes().iter().enumerate().skip(1) {
        match quote {
            Some(q) if c == q => quote = None,
            Some(_) => {}
            None => match c {
                b'>' => return i + 1,
                b'"' | b'\'' if after_equals => quote = Some(c),
                b'=' => {
                    after_equals = true;
                    continue;
                }
                c if c.is_ascii_whitespace() => continue,
                _ => {}
            },
        }
        after_equals = false;
    }
    s.len()
}

/// One attribute of a tag: its name, and its value as written (without quotes, entities
/// not decoded), with the byte range of that value in the tag.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Attribute<'a> {
    /// The name, as written.
    pub name: &'a str,
    /// The value as written, or `""` for a bare attribute.
    pub value: &'a str,
    /// Where the value is in the tag (empty at the end of the name for a bare attribute).
    pub value_range: std::ops::Range<usize>,
}

/// The element name of a tag (`a` for `<a href="x">` and `</a>`), lowercased.
pub fn tag_name(tag: &str) -> String {
    tag.trim_start_matches('<')
        .trim_start_matches('/')
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric() || *c == '-')
        .collect::<String>()
        .to_ascii_lowercase()
}

/// The attributes of a start tag, in order.
pub fn attributes(tag: &str) -> Vec<Attribute<'_>> {
    let b = tag.as_bytes();
    let mut out = Vec::new();
    // Skip `<` and the element name.
    let mut i = 1;
    while i < b.len() && !b[i].is_ascii_whitespace() && b[i] != b'>' && b[i] != b'/' {
        i += 1;
    }
    loop {
        while i < b.len() && (b[i].is_ascii_whitespace() || b[i] == b'/') {
            i += 1;
        }
        if i >= b.len() || b[i] == b'>' {
            return out;
        }
        let name_start = i;
        while i < b.len() && !b[i].is_ascii_whitespace() && !matches!(b[i], b'=' | b'>' | b'/') {
            i += 1;
        }
        let name = &tag[name_start..i];
        let mut j = i;
        while j < b.len() && b[j].is_ascii_whitespace() {
            j += 1;
        }
        if j >= b.len() || b[j] != b'=' {
            out.push(Attribute { name, value: "", value_range: i..i });
            continue;
        }
        j += 1;
        while j < b.len() && b[j].is_ascii_whitespace() {
            j += 1;
        }
        let (start, end, next) = match b.get(j) {
            Some(&q @ (b'"' | b'\'')) => {
                let end = tag[j + 1..].find(q as char).map_or(b.len(), |k| j + 1 + k);
                (j + 1, end, (end + 1).min(b.len()))
            }
            _ => {
                let mut k = j;
                while k < b.len() && !b[k].is_ascii_whitespace() && b[k] != b'>' {
                    k += 1;
                }
                (j, k, k)
            }
        };
        out.push(Attribute { name, value: &tag[start..end], value_range: start..end });
        i = next;
    }
}

/// `value` with its character references decoded: numeric ones (`&#106;`, `&#x6A;`), the
/// ones serialisers write (`&amp;`, `&quot;`, `&lt;`, `&gt;`, `&#39;`, `&nbsp;`) and those
/// used to hide a scheme (`&Tab;`, `&NewLine;`, `&colon;`). Others are left as written.
pub fn decode_entities(value: &str) -> String {
    if !value.contains('&') {
        return value.to_string();
    }
    let mut out = String::with_capacity(value.len());
    let mut rest = value;
    while let Some(amp) = rest.find('&') {
        out.push_str(&rest[..amp]);
        let after = &rest[amp + 1..];
        let end = after.find(|c: char| !(c.is_ascii_alphanumeric() || c == '#')).unwrap_or(after.len());
        let name = &after[..end];
        let decoded = match name.strip_prefix('#') {
            Some(num) => {
                let code = match num.strip_prefix(['x', 'X']) {
                    Some(hex) => u32::from_str_radix(hex, 16).ok(),
                    None => num.parse::<u32>().ok(),
                };
                code.and_then(char::from_u32)
            }
            None => match name {
                "amp" => Some('&'),
                "quot" => Some('"'),
                "lt" => Some('<'),
                "gt" => Some('>'),
                "apos" => Some('\''),
                "nbsp" => Some('\u{a0}'),
                "Tab" => Some('\t'),
                "NewLine" => Some('\n'),
                "colon" => Some(':'),
                _ => None,
            },
        };
        match decoded {
            Some(c) => {
                out.push(c);
                // The `;` is optional in HTML for numeric references.
                let skip = if after[end..].starts_with(';') { end + 1 } else { end };
                rest = &after[skip..];
            }
            None => {
                out.push('&');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

/// Every `id` given to an element of `html`, decoded, in order (duplicates kept).
pub(crate) fn element_ids(html: &str) -> Vec<String> {
    let mut ids = Vec::new();
    for piece in pieces(html) {
        if let Piece::Tag(tag) = piece {
            if tag.starts_with("</") {
                continue;
            }
            ids.extend(
                attributes(tag)
                    .into_iter()
                    .filter(|a| a.name.eq_ignore_ascii_case("id"))
                    .map(|a| decode_entities(a.value)),
            );
        }
    }
    ids
}

/// Attributes that name ids of the same document.
const ID_REFERENCES: [&str; 4] = ["aria-labelledby", "aria-describedby", "headers", "for"];

/// `html` with every element id, every same-page link (`href="#x"`) and every id
/// reference (`aria-labelledby`, `aria-describedby`, `headers`, `for`) prefixed with
/// `prefix`, so that several pages put together in one document (the print page) keep
/// distinct anchors. Text and other attributes are left exactly as they are.
pub(crate) fn prefix_ids(html: &str, prefix: &str) -> String {
    let mut out = String::with_capacity(html.len() + 256);
    for piece in pieces(html) {
        let tag = match piece {
            Piece::Tag(tag) if !tag.starts_with("</") => tag,
            Piece::Text(s) | Piece::Tag(s) | Piece::Other(s) => {
                out.push_str(s);
                continue;
            }
        };
        let mut last = 0;
        for a in attributes(tag) {
            let name = a.name.to_ascii_lowercase();
            let new = if name == "id" {
                format!("{prefix}{}", a.value)
            } else if name == "href" && a.value.starts_with('#') && a.value.len() > 1 {
                format!("#{prefix}{}", &a.value[1..])
            } else if ID_REFERENCES.contains(&name.as_str()) {
                a.value.split_ascii_whitespace().map(|id| format!("{prefix}{id}")).collect::<Vec<_>>().join(" ")
            } else {
                continue;
            };
            out.push_str(&tag[last..a.value_range.start]);
            out.push_str(&new);
            last = a.value_range.end;
        }
        out.push_str(&tag[last..]);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pieces_read_quoted_values_as_values() {
        let html = "a<abbr title=\"x> PSP <img src=x onerror=alert(1)>\">PSP</abbr><!-- c > d -->b < c";
        let p: Vec<Piece<'_>> = pieces(html).collect();
        assert_eq!(
            p,
            [
                Piece::Text("a"),
                Piece::Tag("<abbr title=\"x> PSP <img src=x onerror=alert(1)>\">"),
                Piece::Text("PSP"),
                Piece::Tag("</abbr>"),
                Piece::Other("<!-- c > d -->"),
                Piece::Text("b < c"),
            ]
        );
        assert_eq!(
            p.iter()
                .map(|p| match p {
                    Piece::Text(s) | Piece::Tag(s) | Piece::Other(s) => *s,
                })
                .collect::<String>(),
            html
        );
    }

    #[test]
    fn attributes_are_read_in_every_form() {
        let a = attributes("<a href=\"#x\" data-y='1 2' checked title=z>");
        let pairs: Vec<(&str, &str)> = a.iter().map(|a| (a.name, a.value)).collect();
        assert_eq!(pairs, [("href", "#x"), ("data-y", "1 2"), ("checked", ""), ("title", "z")]);
    }

    #[test]
    fn ids_links_and_references_are_prefixed_but_text_is_not() {
        let html =
            "<h2 id=\"results\">R</h2><p>a id=\"x\" href=\"#y\"</p><a href=\"#results\">x</a><a href=\"../a/\">y</a>\
                    <a href=\"#\">top</a><svg aria-labelledby=\"t d\"></svg>";
        assert_eq!(
            prefix_ids(html, "p-a--"),
            "<h2 id=\"p-a--results\">R</h2><p>a id=\"x\" href=\"#y\"</p><a href=\"#p-a--results\">x</a><a href=\"../a/\">y</a>\
             <a href=\"#\">top</a><svg aria-labelledby=\"p-a--t p-a--d\"></svg>"
        );
    }

    #[test]
    fn element_ids_are_found_and_decoded() {
        assert_eq!(
            element_ids(
                "<h2 id=\"a\">x</h2><p title=\"id=&quot;no&quot;\">id=\"no\"</p><div id=\"b&amp;c\"></div></div>"
            ),
            ["a", "b&c"]
        );
    }
}
