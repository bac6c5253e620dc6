//! Diagnostics: every problem an editor can cause, with file, line, column and a fix.
//!
//! All stages push into one [`Diagnostics`] collection so a run reports every problem at
//! once (collect, then fail once). Rendering to text or JSON happens at the edge (`main`).

use serde::Serialize;
use std::fmt;

/// How bad a problem is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// The build cannot succeed.
    Error,
    /// The build succeeds, but something is probably wrong.
    Warning,
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
        })
    }
}

/// A position in a file: 1-based line and column (columns count characters).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Default)]
pub struct Pos {
    /// 1-based line; 0 when the problem concerns the whole file.
    pub line: usize,
    /// 1-based column; 0 when unknown.
    pub column: usize,
}

impl Pos {
    /// A position at `line`, `column` (both 1-based).
    pub fn new(line: usize, column: usize) -> Self {
        Pos { line, column }
    }

    /// The start of a file.
    pub fn start() -> Self {
        Pos { line: 1, column: 1 }
    }
}

/// One problem, as the editor reads it.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
pub struct Diagnostic {
    /// Path relative to the site root, with `/` separators; empty for site-wide problems.
    pub file: String,
    /// 1-based line, 0 when not tied to a line.
    pub line: usize,
    /// 1-based column, 0 when not tied to a column.
    pub column: usize,
    /// Error or warning.
    pub severity: Severity,
    /// A stable machine-readable code, e.g. `unknown-field`.
    pub code: &'static str,
    /// The message, including the fix or a "did you mean" hint.
    pub message: String,
}

impl Diagnostic {
    /// The one-line human form: `file:line:col: error: message`, with `prefix` (the site
    /// root as the user named it) before the file.
    pub fn to_human(&self, prefix: &str) -> String {
        let mut out = String::new();
        if !self.file.is_empty() {
            out.push_str(prefix);
            out.push_str(&self.file);
            if self.line > 0 {
                out.push_str(&format!(":{}", self.line));
                if self.column > 0 {
                    out.push_str(&format!(":{}", self.column));
                }
            }
            out.push_str(": ");
        }
        // Messages quote what editors wrote (link targets, field values): none of it may
        // move the cursor, colour or clear a terminal, forge a line, or reverse the text.
        out.push_str(&format!("{}: {}", self.severity, printable(&self.message)));
        out
    }

    /// The JSON form: one object with `file`, `line`, `column`, `severity`, `code`, `message`.
    pub fn to_json(&self, prefix: &str) -> String {
        let mut d = self.clone();
        if !d.file.is_empty() {
            d.file = format!("{prefix}{}", d.file);
        }
        // Serialising a struct of strings and integers cannot fail.
        serde_json::to_string(&d).unwrap_or_default()
    }
}

/// Every problem found in one run.
#[derive(Debug, Default, Clone)]
pub struct Diagnostics {
    items: Vec<Diagnostic>,
    seen: std::collections::HashSet<Diagnostic>,
}

impl Diagnostics {
    /// An empty collection.
    pub fn new() -> Self {
        Self::default()
    }

    /// Records an error at `pos` in `file`.
    pub(crate) fn error(&mut self, file: &str, pos: Pos, code: &'static str, message: impl Into<String>) {
        self.push(file, pos, Severity::Error, code, message.into());
    }

    /// Records a warning at `pos` in `file`.
    pub(crate) fn warning(&mut self, file: &str, pos: Pos, code: &'static str, message: impl Into<String>) {
        self.push(file, pos, Severity::Warning, code, message.into());
    }

    fn push(&mut self, file: &str, pos: Pos, severity: Severity, code: &'static str, message: String) {
        // A problem with a file always has a position, so editors can jump to it.
        let pos = if !file.is_empty() && pos.line == 0 { Pos::start() } else { pos };
        self.add(Diagnostic { file: file.to_string(), line: pos.line, column: pos.column, severity, code, message });
    }

    /// Records `d` unless the same problem was already recorded (a template error, say,
    /// is met once per page but reported once).
    fn add(&mut self, d: Diagnostic) {
        if self.seen.insert(d.clone()) {
            self.items.push(d);
        }
    }

    /// Moves every diagnostic of `other` into this collection.
    pub(crate) fn extend(&mut self, other: Diagnostics) {
        for d in other.items {
            self.add(d);
        }
    }

    /// The diagnostics in the order they were found (see [`Diagnostics::sorted`] for the
    /// order a report shows).
    pub fn iter(&self) -> std::slice::Iter<'_, Diagnostic> {
        self.items.iter()
    }

    /// How many problems were recorded (errors and warnings).
    pub fn len(&self) -> usize {
        self.items.len()
    }

    /// Whether nothing was recorded.
    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }

    /// Number of errors.
    pub fn errors(&self) -> usize {
        self.items.iter().filter(|d| d.severity == Severity::Error).count()
    }

    /// Number of warnings.
    pub fn warnings(&self) -> usize {
        self.items.iter().filter(|d| d.severity == Severity::Warning).count()
    }

    /// Whether any error was recorded.
    pub fn has_errors(&self) -> bool {
        self.errors() > 0
    }

    /// The diagnostics in a stable order: site-wide first, then by file, line and column.
    pub fn sorted(&self) -> Vec<&Diagnostic> {
        let mut v: Vec<&Diagnostic> = self.items.iter().collect();
        v.sort_by(|a, b| {
            (&a.file, a.line, a.column, a.severity, &a.message)
                .cmp(&(&b.file, b.line, b.column, b.severity, &b.message))
        });
        v
    }

    /// "2 errors, 1 warning", the counts in the summary line.
    pub fn counts(&self) -> String {
        let plural = |n: usize, word: &str| {
            if n == 1 {
                format!("{n} {word}")
            } else {
                format!("{n} {word}s")
            }
        };
        format!("{}, {}", plural(self.errors(), "error"), plural(self.warnings(), "warning"))
    }
}

impl<'a> IntoIterator for &'a Diagnostics {
    type Item = &'a Diagnostic;
    type IntoIter = std::slice::Iter<'a, Diagnostic>;

    fn into_iter(self) -> Self::IntoIter {
        self.iter()
    }
}

/// The closest of `candidates` to `input`, if one is close enough to be a likely typo.
pub(crate) fn did_you_mean<'a, I>(input: &str, candidates: I) -> Option<&'a str>
where
    I: IntoIterator<Item = &'a str>,
{
    let input_lower = input.to_lowercase();
    let mut best: Option<(usize, &'a str)> = None;
    for cand in candidates {
        let dist = strsim::damerau_levenshtein(&input_lower, &cand.to_lowercase());
        let limit = (cand.chars().count().min(input.chars().count()) / 4).max(1);
        if dist <= limit && best.is_none_or(|(d, _)| dist < d) {
            best = Some((dist, cand));
        }
    }
    best.map(|(_, c)| c)
}

/// ` (did you mean `x`?)` when a close candidate exists, else an empty string.
pub(crate) fn hint<'a, I>(input: &str, candidates: I) -> String
where
    I: IntoIterator<Item = &'a str>,
{
    did_you_mean(input, candidates).map(|c| format!(" (did you mean `{c}`?)")).unwrap_or_default()
}

/// `s` for a terminal: control characters (escape, line breaks, NUL...) and the Unicode
/// bidirectional controls (U+061C, U+200E, U+200F, U+202A to U+202E, U+2066 to U+2069)
/// written as `\u{1b}`, so that none reaches the editor's terminal as itself.
pub(crate) fn printable(s: &str) -> String {
    let unsafe_char = |c: char| {
        c.is_control()
            || matches!(c, '\u{61c}' | '\u{200e}' | '\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
    };
    if !s.chars().any(unsafe_char) {
        return s.to_string();
    }
    s.chars().map(|c| if unsafe_char(c) { format!("\\u{{{:x}}}", u32::from(c)) } else { c.to_string() }).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suggests_close_names_only() {
        let ids = ["countries/france", "countries/spain"];
        assert_eq!(did_you_mean("countries/francee", ids), Some("countries/france"));
        assert_eq!(did_you_mean("organisations/efus", ids), None);
        assert_eq!(did_you_mean("countries/spian", ids), Some("countries/spain"));
        assert_eq!(did_you_mean("countries/italy", ids), None);
        assert_eq!(did_you_mean("tittle", ["title", "summary"]), Some("title"));
    }

    #[test]
    fn human_form_matches_the_spec() {
        let mut d = Diagnostics::new();
        d.error("content/a.en.md", Pos::new(4, 10), "x", "boom");
        d.warning("", Pos::default(), "y", "careful");
        let lines: Vec<String> = d.sorted().iter().map(|d| d.to_human("")).collect();
        assert_eq!(lines, ["warning: careful", "content/a.en.md:4:10: error: boom"]);
        assert_eq!(d.counts(), "1 error, 1 warning");
    }
}
