//! Snippets and best headings, found in one pass over a hit's sections.
//!
//! Each distinct word is analyzed once, whatever the number of hits, pages, repetitions or
//! queries: a word is looked up in a table of the words already seen (kept by the engine
//! between answers, as a reader types one query after another), and only a new one goes
//! through the language's analyzer (stemming was most of the cost of a search). A word
//! matches when its analyzed form is one of the query's terms, or, for the word still
//! being typed, when its folded form starts with what was typed.

use crate::analysis::{analyzer, prefix_analyzer};
use crate::bundle::Section;
use crate::engine::{Heading, Snippet};
use rustc_hash::FxHashMap as HashMap;
use tantivy::tokenizer::{TextAnalyzer, TokenStream};

/// The most characters a snippet shows.
pub(crate) const SNIPPET_CHARS: usize = 220;
/// How far before its first match a snippet may start, to show the sentence it is in.
const LEAD_CHARS: usize = 80;

/// The most words [`Words`] keeps before it starts again: a few megabytes.
const MAX_WORDS: usize = 200_000;

/// The analyzed forms of the words met in pages, per language, kept between answers.
#[derive(Default)]
pub(crate) struct Words {
    langs: HashMap<String, (TextAnalyzer, HashMap<Box<str>, Forms>)>,
    prefix_analyzer: Option<TextAnalyzer>,
    count: usize,
}

/// A word as the index sees it: stemmed (empty for a stop word) and folded only.
struct Forms {
    stem: Box<str>,
    folded: Box<str>,
}

/// What the query asks for.
pub(crate) struct Matcher<'w> {
    /// Analyzed query terms and their numbers.
    terms: HashMap<String, usize>,
    /// The weight of each term number (rarer terms weigh more), the prefix's last.
    weights: Vec<f32>,
    /// The folded word being typed, matched as a prefix.
    prefix: Option<String>,
    words: &'w mut Words,
}

/// A matched word in a text: its byte range, its term number and weight.
#[derive(Debug, Clone, Copy)]
struct Found {
    start: usize,
    end: usize,
    /// `start` and `end` in characters, to measure windows without counting again.
    start_char: usize,
    end_char: usize,
    term: usize,
    weight: f32,
}

impl<'w> Matcher<'w> {
    /// A matcher for `terms` (analyzed terms and their weights) and the folded `prefix`,
    /// which weighs as much as the query's terms on average.
    pub(crate) fn new(terms: Vec<(String, f32)>, prefix: Option<String>, words: &'w mut Words) -> Matcher<'w> {
        let mut weights: Vec<f32> = terms.iter().map(|(_, w)| *w).collect();
        weights.push(if weights.is_empty() { 1.0 } else { weights.iter().sum::<f32>() / weights.len() as f32 });
        let terms = terms.into_iter().enumerate().map(|(i, (t, _))| (t, i)).collect();
        if words.count > MAX_WORDS {
            *words = Words::default();
        }
        Matcher { terms, weights, prefix, words }
    }

    /// The matched words of `text` (written in `lang`), in order.
    fn find(&mut self, lang: &str, text: &str) -> Vec<Found> {
        let words = &mut *self.words;
        if !words.langs.contains_key(lang) {
            words.langs.insert(lang.to_string(), (analyzer(lang), HashMap::default()));
        }
        let prefix_analyzer = words.prefix_analyzer.get_or_insert_with(prefix_analyzer);
        let Some((an, seen)) = words.langs.get_mut(lang) else { return Vec::new() };
        let mut out = Vec::new();
        let (mut byte, mut chars) = (0, 0);
        for (start, word) in words_of(text) {
            let forms = match seen.get(word) {
                Some(forms) => forms,
                None => {
                    words.count += 1;
                    seen.entry(word.into()).or_insert_with(|| Forms {
                        stem: first_term(an, word).into(),
                        folded: first_term(prefix_analyzer, word).into(),
                    })
                }
            };
            let term = match self.terms.get(&*forms.stem) {
                Some(i) => Some(*i),
                None => self
                    .prefix
                    .as_deref()
                    .filter(|p| !forms.folded.is_empty() && forms.folded.starts_with(p))
                    .map(|_| self.terms.len()),
            };
            if let Some(term) = term {
                chars += text[byte..start].chars().count();
                let len = word.chars().count();
                let end = start + word.len();
                out.push(Found {
                    start,
                    end,
                    start_char: chars,
                    end_char: chars + len,
                    term,
                    weight: self.weights[term],
                });
                (byte, chars) = (end, chars + len);
            }
        }
        out
    }

    /// The snippet and the best heading of a page in `lang` with these `sections`.
    pub(crate) fn page(&mut self, lang: &str, sections: &[Section]) -> (Option<Snippet>, Option<Heading>) {
        let mut best_heading: Option<(usize, &Section)> = None;
        let mut best_snippet: Option<(Window, &str, Vec<Found>)> = None;
        for section in sections {
            let in_heading = self.find(lang, &section.heading).len();
            let found = self.find(lang, &section.text);
            let count = in_heading + found.len();
            if !section.anchor.is_empty() && count > 0 && best_heading.is_none_or(|(n, _)| count > n) {
                best_heading = Some((count, section));
            }
            if let Some(window) = best_window(&found) {
                if best_snippet.as_ref().is_none_or(|(best, _, _)| window.beats(best)) {
                    best_snippet = Some((window, &section.text, found));
                }
            }
        }
        let heading = best_heading.map(|(_, s)| Heading { anchor: s.anchor.clone(), text: s.heading.clone() });
        (best_snippet.map(|(window, text, found)| snippet(text, &window, &found)), heading)
    }
}

/// What `analyzer` makes of a single word: its term, or nothing (a stop word).
fn first_term(analyzer: &mut TextAnalyzer, word: &str) -> String {
    let mut stream = analyzer.token_stream(word);
    stream.next().map(|t| t.text.clone()).unwrap_or_default()
}

/// The words of `text` with their byte offsets, split as the analyzers split them.
fn words_of(text: &str) -> impl Iterator<Item = (usize, &str)> {
    let mut rest = text.char_indices().peekable();
    std::iter::from_fn(move || {
        while let Some(&(_, c)) = rest.peek() {
            if c.is_alphanumeric() {
                break;
            }
            rest.next();
        }
        let (start, _) = *rest.peek()?;
        let mut end = start;
        while let Some(&(i, c)) = rest.peek() {
            if !c.is_alphanumeric() {
                break;
            }
            end = i + c.len_utf8();
            rest.next();
        }
        Some((start, &text[start..end]))
    })
}

/// The run of matches a snippet is built around: matches `first..last` (inclusive).
#[derive(Debug, Clone, Copy)]
struct Window {
    first: usize,
    last: usize,
    /// The weight of the distinct terms in it.
    score: f32,
}

impl Window {
    /// How many matches it holds.
    fn count(&self) -> usize {
        self.last - self.first + 1
    }

    fn beats(&self, other: &Window) -> bool {
        self.score > other.score || (self.score == other.score && self.count() > other.count())
    }
}

/// The best run of matches of `found` that fits in a snippet: most distinct terms by
/// weight, then most matches, then the earliest.
fn best_window(found: &[Found]) -> Option<Window> {
    let mut best: Option<Window> = None;
    for first in 0..found.len() {
        let mut terms: Vec<usize> = Vec::new();
        let mut score = 0.0;
        let mut last = first;
        for (j, f) in found.iter().enumerate().skip(first) {
            if f.end_char - found[first].start_char > SNIPPET_CHARS {
                break;
            }
            if !terms.contains(&f.term) {
                terms.push(f.term);
                score += f.weight;
            }
            last = j;
        }
        let window = Window { first, last, score };
        if best.as_ref().is_none_or(|b| window.beats(b)) {
            best = Some(window);
        }
    }
    best
}

/// The snippet for `window`: from the start of its sentence (when close enough) or a few
/// words before its first match, up to [`SNIPPET_CHARS`] characters, cut between words.
fn snippet(text: &str, window: &Window, found: &[Found]) -> Snippet {
    let first = found[window.first].start;
    let span = found[window.last].end_char - found[window.first].start_char;
    let start = lead_start(text, first, LEAD_CHARS.min(SNIPPET_CHARS.saturating_sub(span)));
    let mut end = text.len();
    for (n, (i, _)) in text[start..].char_indices().enumerate() {
        if n == SNIPPET_CHARS {
            end = start + i;
            break;
        }
    }
    if end < text.len() {
        // Cut between words, but never before the window's last match.
        let floor = found[window.last].end;
        if let Some(space) = text[floor..end].rfind(char::is_whitespace) {
            end = floor + space;
        }
    }
    // An ellipsis says where the text goes on: before, when the snippet does not start a
    // sentence; after, when it stops short of the section's end.
    let opens_sentence =
        text[..start].trim_end().chars().next_back().is_none_or(|c| matches!(c, '.' | '!' | '?' | ';' | ':'));
    let lead = if opens_sentence { "" } else { "… " };
    let shown = text[start..end].trim_end();
    let tail = if start + shown.len() < text.trim_end().len() { " …" } else { "" };
    let shift = utf16_len(lead);
    let highlights = found
        .iter()
        .filter(|f| f.start >= start && f.end <= end)
        .map(|f| [shift + utf16_len(&text[start..f.start]), shift + utf16_len(&text[start..f.end])])
        .collect();
    Snippet { text: format!("{lead}{shown}{tail}"), highlights }
}

/// Where a snippet whose first match is at `first` starts: after the end of the sentence
/// before it if that is within `room` characters, else at the start of a word at most that
/// far back, else at the match.
fn lead_start(text: &str, first: usize, room: usize) -> usize {
    let before = &text[..first];
    let lead: Vec<(usize, char)> = before.char_indices().rev().take(room).collect();
    let Some(&(earliest, _)) = lead.last() else { return first };
    let mut sentence = None;
    for pair in lead.windows(2) {
        let ((after_i, after), (_, c)) = (pair[0], pair[1]);
        if after.is_whitespace() && matches!(c, '.' | '!' | '?' | ';' | ':' | '\n') {
            sentence = Some(after_i + after.len_utf8());
            break;
        }
    }
    if let Some(s) = sentence {
        return s;
    }
    if lead.len() < room {
        return 0;
    }
    // A few words back: the first word that starts within the lead.
    before[earliest..].find(char::is_whitespace).map_or(first, |space| {
        let from = earliest + space;
        from + before[from..].len() - before[from..].trim_start().len()
    })
}

fn utf16_len(s: &str) -> usize {
    s.encode_utf16().count()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn section(anchor: &str, heading: &str, text: &str) -> Section {
        Section { anchor: anchor.into(), heading: heading.into(), text: text.into() }
    }

    fn marked(s: &Snippet) -> Vec<String> {
        let units: Vec<u16> = s.text.encode_utf16().collect();
        s.highlights.iter().map(|[a, b]| String::from_utf16_lossy(&units[*a..*b])).collect()
    }

    #[test]
    fn words_split_like_the_analyzer() {
        let w: Vec<(usize, &str)> = words_of("Málaga, l'été — 2024!").collect();
        assert_eq!(w, [(0, "Málaga"), (9, "l"), (11, "été"), (21, "2024")]);
    }

    #[test]
    fn stemmed_matches_are_marked_and_the_best_heading_is_chosen() {
        let mut w = Words::default();
        let mut m = Matcher::new(vec![("train".into(), 1.0), ("staff".into(), 2.0)], None, &mut w);
        let sections = [
            section("", "", "An introduction without the words."),
            section("results", "Results", "Staff said the trainings helped. Trained staff stayed."),
        ];
        let (snippet, heading) = m.page("en", &sections);
        let snippet = snippet.expect("a snippet");
        assert_eq!(snippet.text, "Staff said the trainings helped. Trained staff stayed.");
        assert_eq!(marked(&snippet), ["Staff", "trainings", "Trained", "staff"]);
        assert_eq!(heading.map(|h| h.anchor), Some("results".into()));
    }

    #[test]
    fn the_word_being_typed_matches_as_a_prefix_and_accents_are_folded() {
        let mut w = Words::default();
        let mut m = Matcher::new(Vec::new(), Some("mala".into()), &mut w);
        let (snippet, _) = m.page("en", &[section("", "", "The pilot in Málaga began in 2019.")]);
        assert_eq!(marked(&snippet.expect("a snippet")), ["Málaga"]);
    }

    #[test]
    fn long_texts_are_cut_between_words_around_the_densest_matches() {
        let filler = "Nothing to see in this sentence at all. ".repeat(20);
        let text = format!("{filler}Mentors meet each person weekly after release. {filler}");
        let mut w = Words::default();
        let mut m = Matcher::new(vec![("mentor".into(), 1.0), ("releas".into(), 1.0)], None, &mut w);
        let (snippet, _) = m.page("en", &[section("", "", &text)]);
        let snippet = snippet.expect("a snippet");
        assert!(snippet.text.starts_with("Mentors meet"), "{}", snippet.text);
        assert!(snippet.text.ends_with(" …"), "{}", snippet.text);
        let shown = snippet.text.trim_end_matches(" …");
        assert!(shown.chars().count() <= SNIPPET_CHARS);
        assert!(!shown.ends_with(' ') && text.contains(shown));
        assert_eq!(marked(&snippet), ["Mentors", "release"]);
    }

    #[test]
    fn thousands_of_matches_give_one_short_snippet() {
        let text = "staff ".repeat(20_000);
        let mut w = Words::default();
        let mut m = Matcher::new(vec![("staff".into(), 1.0)], None, &mut w);
        let (snippet, _) = m.page("en", &[section("", "", &text)]);
        let snippet = snippet.expect("a snippet");
        assert!(snippet.text.chars().count() <= SNIPPET_CHARS + 2);
        assert_eq!(snippet.highlights.len(), 36, "every whole word shown is marked");
    }

    #[test]
    fn a_snippet_from_the_middle_of_a_sentence_says_so() {
        let text = format!("{} the mentors meet weekly.", "word ".repeat(40));
        let mut w = Words::default();
        let mut m = Matcher::new(vec![("mentor".into(), 1.0)], None, &mut w);
        let snippet = m.page("en", &[section("", "", &text)]).0.expect("a snippet");
        assert!(snippet.text.starts_with("… word"), "{}", snippet.text);
        assert!(snippet.text.ends_with("weekly."), "{}", snippet.text);
        assert_eq!(marked(&snippet), ["mentors"]);
    }

    #[test]
    fn no_match_gives_no_snippet() {
        let mut w = Words::default();
        let mut m = Matcher::new(vec![("absent".into(), 1.0)], None, &mut w);
        assert!(m.page("en", &[section("a", "A", "Some text.")]).0.is_none());
    }
}
