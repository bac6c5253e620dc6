//! YAML with positions: guarded parsing and a locator that maps keys back to file lines.
//!
//! serde_yaml values carry no spans, so diagnostics about a field find the field's line
//! with [`Locator`], which reads the YAML text itself. Before anything reaches the YAML
//! parser, [`precheck`] rejects documents that are too large or too deeply nested
//! (libyaml is quadratic on deep flow collections).

use crate::diagnostics::Pos;

/// Largest front matter or config document we hand to the YAML parser.
pub(crate) const MAX_YAML_BYTES: usize = 64 * 1024;
/// Deepest nesting we accept.
pub(crate) const MAX_YAML_DEPTH: usize = 32;

/// A YAML problem at a position of the file.
#[derive(Debug)]
pub(crate) struct YamlError {
    pub pos: Pos,
    pub code: &'static str,
    pub message: String,
}

/// `text` as a YAML value that reads back as that text: quoted when YAML would read it
/// as something else (`272502e098` is a number, `true` a boolean), as written otherwise.
pub(crate) fn text_value(text: &str) -> String {
    match serde_yaml::from_str::<serde_yaml::Value>(text) {
        Ok(serde_yaml::Value::String(s)) if s == text => text.to_string(),
        _ => format!("\"{}\"", text.replace('\\', "\\\\").replace('"', "\\\"")),
    }
}

/// Rejects a document that is too large or too deeply nested, before parsing it.
/// `first_line` is the file line of the document's first line.
pub(crate) fn precheck(text: &str, first_line: usize, what: &str) -> Result<(), YamlError> {
    if text.len() > MAX_YAML_BYTES {
        return Err(YamlError {
            pos: Pos::new(first_line, 1),
            code: "yaml-too-large",
            message: format!(
                "{what} is {} KB; the limit is {} KB: move long text into the page body",
                text.len().div_ceil(1024),
                MAX_YAML_BYTES / 1024
            ),
        });
    }
    let mut indents: Vec<usize> = Vec::new();
    let mut flow = 0usize;
    for (i, line) in text.lines().enumerate() {
        let trimmed = line.trim_start();
        if trimmed.is_empty() || trimmed.starts_with('#') {
            continue;
        }
        // Block nesting: one level per deeper indentation, plus one per leading `- `.
        let indent = line.len() - trimmed.len();
        if flow == 0 {
            while indents.last().is_some_and(|&top| top >= indent) {
                indents.pop();
            }
            indents.push(indent);
        }
        let mut rest = trimmed;
        let mut dashes = 0;
        while let Some(r) = rest.strip_prefix("- ") {
            dashes += 1;
            rest = r.trim_start();
        }
        let mut depth = indents.len() + dashes + flow;
        let mut quote: Option<char> = None;
        for (col, ch) in line.char_indices() {
            match (quote, ch) {
                (Some(q), c) if c == q => quote = None,
                (Some(_), _) => {}
                (None, '\'' | '"') => quote = Some(ch),
                (None, '#') if col == 0 || line[..col].ends_with(' ') => break,
                (None, '[' | '{') => {
                    flow += 1;
                    depth = depth.max(indents.len() + dashes + flow);
                }
                (None, ']' | '}') => flow = flow.saturating_sub(1),
                _ => {}
            }
            if depth > MAX_YAML_DEPTH {
                return Err(YamlError {
                    pos: Pos::new(first_line + i, line[..col].chars().count() + 1),
                    code: "yaml-too-deep",
                    message: format!("{what} is nested more than {MAX_YAML_DEPTH} levels deep: flatten it"),
                });
            }
        }
        if depth > MAX_YAML_DEPTH {
            return Err(YamlError {
                pos: Pos::new(first_line + i, 1),
                code: "yaml-too-deep",
                message: format!("{what} is nested more than {MAX_YAML_DEPTH} levels deep: flatten it"),
            });
        }
    }
    Ok(())
}

/// Parses `text` (checked by [`precheck`] first), mapping the parser's position to the file.
pub(crate) fn parse(text: &str, first_line: usize, what: &str) -> Result<serde_yaml::Value, YamlError> {
    precheck(text, first_line, what)?;
    serde_yaml::from_str::<serde_yaml::Value>(text).map_err(|e| {
        let mut err = from_serde(&e, first_line, what);
        if let Some((line, column)) = tab_indent(text, &e) {
            err.pos = Pos::new(first_line + line, column);
            err.message = format!(
                "{what}: a tab indents this line, and YAML indents with spaces only: replace the tab with spaces"
            );
        } else if let Some((line, column, first)) = duplicate_key(text, &e) {
            err.pos = Pos::new(first_line + line, column);
            err.message.push_str(&format!(" (given first at line {}: keep one of the two)", first_line + first));
        }
        err
    })
}

/// Where a tab stands (0-based line, 1-based column) in the indentation of the line the
/// parser stopped at: its message then speaks of a token or of quotes, which does not help.
fn tab_indent(text: &str, e: &serde_yaml::Error) -> Option<(usize, usize)> {
    let line = e.location()?.line().checked_sub(1)?;
    let indentation: String = text.lines().nth(line)?.chars().take_while(|c| *c == ' ' || *c == '\t').collect();
    let column = indentation.find('\t')? + 1;
    Some((line, column))
}

/// Where the second of two equal keys stands (0-based line, 1-based column), with the
/// first one's line, for serde_yaml's `duplicate entry with key "x"`, which it reports at
/// the start of the mapping. Keys are looked for at the mapping's indentation, from its
/// start to its end; `None` when the key is not found so (a flow mapping, say).
fn duplicate_key(text: &str, e: &serde_yaml::Error) -> Option<(usize, usize, usize)> {
    let message = e.to_string();
    let key = message.split_once("duplicate entry with key \"")?.1.split_once('"')?.0.to_string();
    let at = e.location()?;
    let (start, indent) = (at.line().checked_sub(1)?, at.column().checked_sub(1)?);
    let mut first = None;
    for (i, line) in text.lines().enumerate().skip(start) {
        let t = line.trim_start();
        if t.is_empty() || t.starts_with('#') {
            continue;
        }
        let mut rest = t;
        while let Some(r) = rest.strip_prefix("- ") {
            rest = r.trim_start();
        }
        let (own, key_col) = (line.len() - t.len(), line.len() - rest.len());
        if i > start && own < indent {
            break;
        }
        let Some((written, _)) = rest.split_once(':').filter(|_| key_col == indent) else { continue };
        let written = written.trim_end().trim_matches(|c| c == '"' || c == '\'');
        if written == key {
            match first {
                None => first = Some(i),
                Some(f) => return Some((i, indent + 1, f)),
            }
        }
    }
    None
}

/// Turns a serde_yaml error into a positioned message.
pub(crate) fn from_serde(e: &serde_yaml::Error, first_line: usize, what: &str) -> YamlError {
    let pos = match e.location() {
        Some(l) => Pos::new(first_line + l.line() - 1, l.column()),
        None => Pos::new(first_line, 1),
    };
    let mut message = e.to_string();
    if let Some(i) = message.find(" at line ") {
        message.truncate(i);
    }
    if let Some(message) = too_large(&message) {
        return YamlError { pos, code: "yaml-syntax", message };
    }
    YamlError {
        pos,
        code: "yaml-syntax",
        message: format!("{what} is not valid YAML: {message}{}", yaml_fix_hint(&message)),
    }
}

/// serde_yaml's words for an integer beyond 64 bits ("print.max_size: invalid type:
/// integer `99999999999999999999` as u128, expected any YAML value"), said for editors.
fn too_large(message: &str) -> Option<String> {
    let (path, rest) = match message.split_once(": invalid type: integer `") {
        Some((path, rest)) => (Some(path), rest),
        None => (None, message.strip_prefix("invalid type: integer `")?),
    };
    let (number, tail) = rest.split_once('`')?;
    if !(tail.starts_with(" as u128") || tail.starts_with(" as i128")) {
        return None;
    }
    let written = path.map_or_else(|| number.to_string(), |p| format!("{p}: {number}"));
    Some(format!(
        "`{written}` is too large a number (the largest is {}): write a smaller one, or put it in quotes if it is text",
        u64::MAX
    ))
}

fn yaml_fix_hint(message: &str) -> &'static str {
    if message.contains("mapping values are not allowed") {
        " (a value that contains `: ` must be put in quotes)"
    } else if message.contains("found character that cannot start any token") {
        " (put the value in quotes)"
    } else if message.contains("unexpected end of stream") {
        " (a quote or a bracket is not closed)"
    } else if message.contains("did not find expected") {
        " (check the indentation and the closing quote or bracket)"
    } else {
        ""
    }
}

/// Finds where keys and values of a YAML document stand in the file.
pub(crate) struct Locator<'a> {
    lines: Vec<&'a str>,
    first_line: usize,
}

/// A region of lines in which a key's value lies.
#[derive(Clone, Copy)]
struct Region {
    start: usize,
    end: usize,
    /// Keys searched in this region must be indented more than this (None: top level).
    parent_indent: Option<usize>,
}

impl<'a> Locator<'a> {
    /// A locator for `text`, whose first line is line `first_line` of the file.
    pub(crate) fn new(text: &'a str, first_line: usize) -> Self {
        Locator { lines: text.lines().collect(), first_line }
    }

    /// The indentation of the keys directly inside `region`: that of its first line with
    /// content (after the parent's own line), and for a list of mappings also that of the
    /// first key after the `- `.
    fn child_indents(&self, region: Region) -> (Option<usize>, Option<usize>) {
        let start = if region.parent_indent.is_some() { region.start + 1 } else { region.start };
        for line in self.lines.get(start..region.end).unwrap_or_default() {
            let t = line.trim_start();
            if t.is_empty() || t.starts_with('#') || *line == "---" {
                continue;
            }
            let indent = line.len() - t.len();
            let mut rest = t;
            while let Some(r) = rest.strip_prefix("- ") {
                rest = r.trim_start();
            }
            let item = (rest.len() != t.len()).then(|| line.len() - rest.len());
            return (Some(indent), item);
        }
        (None, None)
    }

    /// The line and byte column of `key` among the keys directly inside `region`: a block
    /// key at the region's child indentation (so that a key of the same name deeper down
    /// is not taken for it), or a key of a flow mapping (`{ x: 1 }`) on the parent's line.
    fn find_key(&self, region: Region, key: &str) -> Option<(usize, usize)> {
        let (child, item) = self.child_indents(region);
        for i in region.start..region.end {
            let line = self.lines[i];
            let indent = line.len() - line.trim_start().len();
            if region.parent_indent.is_some_and(|p| indent <= p) && i > region.start {
                break;
            }
            let own_line = region.parent_indent.is_some() && i == region.start;
            let block_here = !own_line && (Some(indent) == child || Some(indent) == item);
            for pat in [format!("{key}:"), format!("\"{key}\":"), format!("'{key}':")] {
                let mut from = 0;
                while let Some(off) = line[from..].find(&pat) {
                    let at = from + off;
                    let before = line[..at].trim_end();
                    let in_flow = before.ends_with('{') || before.ends_with(',');
                    let block_key = block_here && (before.is_empty() || before.ends_with('-'));
                    let after = &line[at + pat.len()..];
                    let ok_after = after.is_empty() || after.starts_with([' ', '\t']);
                    if (block_key || in_flow) && ok_after {
                        return Some((i, at));
                    }
                    from = at + pat.len();
                }
            }
        }
        None
    }

    fn region_of(&self, path: &[&str]) -> Option<(Region, usize, usize)> {
        let mut region = Region { start: 0, end: self.lines.len(), parent_indent: None };
        let mut found = None;
        for key in path {
            let (line, col) = self.find_key(region, key)?;
            let indent = self.lines[line].len() - self.lines[line].trim_start().len();
            let mut end = line + 1;
            while end < self.lines.len() {
                let l = self.lines[end];
                let t = l.trim_start();
                if !t.is_empty() && !t.starts_with('#') && l.len() - t.len() <= indent && !t.starts_with("- ") {
                    break;
                }
                if !t.is_empty() && l.len() - t.len() < indent {
                    break;
                }
                end += 1;
            }
            region = Region { start: line, end: end.min(region.end.max(line + 1)), parent_indent: Some(indent) };
            found = Some((line, col));
        }
        found.map(|(l, c)| (region, l, c))
    }

    fn pos(&self, line: usize, byte_col: usize) -> Pos {
        let l = self.lines.get(line).copied().unwrap_or("");
        let col = l.get(..byte_col).map_or(1, |s| s.chars().count() + 1);
        Pos::new(self.first_line + line, col)
    }

    /// Position of the key at `path` (e.g. `["kinds", "pilot_sheet"]`), or of the document.
    pub(crate) fn key(&self, path: &[&str]) -> Pos {
        match self.region_of(path) {
            Some((_, line, col)) => self.pos(line, col),
            None => Pos::new(self.first_line, 1),
        }
    }

    /// Position of the value of the key at `path`: after the colon, or on the next line.
    pub(crate) fn value(&self, path: &[&str]) -> Pos {
        let Some((region, line, col)) = self.region_of(path) else {
            return Pos::new(self.first_line, 1);
        };
        let key = path.last().copied().unwrap_or("");
        let text = self.lines[line];
        let after_colon = text[col..].find(':').map_or(col, |c| col + c + 1);
        let rest = &text[after_colon..];
        let skipped = rest.len() - rest.trim_start().len();
        if !rest.trim().is_empty() && !rest.trim_start().starts_with('#') {
            return self.pos(line, after_colon + skipped);
        }
        for i in line + 1..region.end.max(line + 1) {
            let l = self.lines[i];
            let t = l.trim_start();
            if !t.is_empty() && !t.starts_with('#') {
                return self.pos(i, l.len() - t.len());
            }
        }
        let _ = key;
        self.pos(line, col)
    }

    /// The plain scalar written at `at` (a position this locator gave), as the editor typed
    /// it: up to a comment or the end of the line, trimmed. YAML reads `272502e098` as the
    /// number 2.72502e103; this gives back the text.
    pub(crate) fn scalar_at(&self, at: Pos) -> Option<&'a str> {
        let line = self.lines.get(at.line.checked_sub(self.first_line)?)?;
        let byte = line.char_indices().nth(at.column.checked_sub(1)?)?.0;
        let rest = &line[byte..];
        let text = rest[..rest.find(" #").unwrap_or(rest.len())].trim();
        (!text.is_empty()).then_some(text)
    }

    /// Position of the first `needle` at or after `from` (a position this locator gave),
    /// for entries of a list that the path alone cannot tell apart.
    pub(crate) fn find_after(&self, from: Pos, needle: &str) -> Option<Pos> {
        let start = from.line.checked_sub(self.first_line)?;
        for (i, line) in self.lines.iter().enumerate().skip(start) {
            let skip = if i == start { from.column.saturating_sub(1) } else { 0 };
            let byte = line.char_indices().nth(skip).map_or(line.len(), |(b, _)| b);
            if let Some(off) = line[byte..].find(needle) {
                return Some(self.pos(i, byte + off));
            }
        }
        None
    }

    /// Position of `needle` inside the value of the key at `path` (a list item, say).
    pub(crate) fn item(&self, path: &[&str], needle: &str) -> Pos {
        let Some((region, line, col)) = self.region_of(path) else {
            return Pos::new(self.first_line, 1);
        };
        for i in line..region.end.max(line + 1) {
            let from = if i == line { col } else { 0 };
            if let Some(off) = self.lines[i].get(from..).and_then(|s| s.find(needle)) {
                return self.pos(i, from + off);
            }
        }
        self.value(path)
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn text_values_read_back_as_text() {
        assert_eq!(super::text_value("4635903f4f"), "4635903f4f");
        assert_eq!(super::text_value("272502e098"), "\"272502e098\"");
        assert_eq!(super::text_value("1234567890"), "\"1234567890\"");
        assert_eq!(super::text_value("true"), "\"true\"");
    }

    use super::*;

    #[test]
    fn a_tab_in_the_indentation_is_named_at_the_tab() {
        let err = parse("search_results:\n\tone: \"{count} result\"\n", 1, "i18n/fr.yaml").expect_err("a tab");
        assert_eq!(err.pos, Pos::new(2, 1));
        assert_eq!(
            err.message,
            "i18n/fr.yaml: a tab indents this line, and YAML indents with spaces only: replace the tab with spaces"
        );
        let err = parse("title: A\npartners:\n  \t- organisations/a\n", 2, "front matter").expect_err("a tab");
        assert_eq!((err.pos, err.code), (Pos::new(4, 3), "yaml-syntax"));
    }

    #[test]
    fn locates_keys_values_and_items() {
        let text = "title: A\ncountry: countries/fr\npartners:\n  - organisations/a\n  - organisations/b\nmeta: { x: 1, y: 2 }\n";
        let loc = Locator::new(text, 2);
        assert_eq!(loc.key(&["country"]), Pos::new(3, 1));
        assert_eq!(loc.value(&["country"]), Pos::new(3, 10));
        assert_eq!(loc.item(&["partners"], "organisations/b"), Pos::new(6, 5));
        assert_eq!(loc.key(&["meta", "y"]), Pos::new(7, 15));
        assert_eq!(loc.key(&["missing"]), Pos::new(2, 1));
        assert_eq!(loc.find_after(Pos::new(5, 5), "organisations/"), Some(Pos::new(5, 5)));
        assert_eq!(loc.find_after(Pos::new(5, 6), "organisations/"), Some(Pos::new(6, 5)));
        assert_eq!(loc.find_after(Pos::new(6, 6), "organisations/"), None);
    }

    #[test]
    fn a_key_deeper_down_is_not_taken_for_a_top_level_one() {
        let text = "sections:\n  glossary:\n    kind: term\nglossary:\n  kind: term\n  fields:\n    - acronym: a\n      variants: v\n";
        let loc = Locator::new(text, 1);
        assert_eq!(loc.key(&["glossary"]), Pos::new(4, 1));
        assert_eq!(loc.value(&["glossary", "kind"]), Pos::new(5, 9));
        assert_eq!(loc.key(&["sections", "glossary", "kind"]), Pos::new(3, 5));
        assert_eq!(loc.key(&["glossary", "fields", "variants"]), Pos::new(8, 7));
        assert_eq!(loc.key(&["kind"]), Pos::new(1, 1));
    }

    #[test]
    fn nested_block_keys_stay_in_their_parent() {
        let text = "a:\n  x: 1\nb:\n  x: 2\n";
        let loc = Locator::new(text, 1);
        assert_eq!(loc.key(&["b", "x"]), Pos::new(4, 3));
    }

    #[test]
    fn rejects_deep_nesting_before_parsing() {
        let deep = format!("a: {}{}", "[".repeat(40), "]".repeat(40));
        let err = precheck(&deep, 2, "front matter").err().map(|e| (e.pos, e.code));
        assert_eq!(err, Some((Pos::new(2, 35), "yaml-too-deep")));
        assert!(precheck("a: [[1], {b: [2]}]\n", 2, "front matter").is_ok());
    }

    #[test]
    fn maps_parser_errors_to_file_lines() {
        let err = parse("title: A\nsummary: a: b\n", 2, "front matter").err();
        let err = err.map(|e| (e.pos.line, e.code));
        assert_eq!(err, Some((3, "yaml-syntax")));
    }
}
