//! Queries as readers type them, turned into tantivy queries without tantivy's query
//! parser: words and "quoted phrases" are read with the language's analyzer; every word
//! must match (in the title, headings, summary, text or facts box), with typos forgiven (one edit
//! from 5 letters, two from 9) and the last word matched as a prefix while typing.

use crate::analysis::{analyzer, positioned_terms, prefix_analyzer, terms};
use crate::schema::{Fields, BOOSTS, FACTS_BOOST, NAME_BOOST, RAW_BOOSTS};
use crate::{MAX_QUERY_BYTES, MAX_QUERY_TERMS};
use tantivy::query::{BooleanQuery, BoostQuery, FuzzyTermQuery, Occur, PhraseQuery, Query, TermQuery};
use tantivy::schema::{Field, IndexRecordOption};
use tantivy::Term;

/// A read that a query will make, tried on its own before the query runs, so that every
/// page of a paged index that the query needs is found in one round (see `paged`).
#[derive(Debug, Clone)]
pub(crate) enum Probe {
    /// A term's posting list, with what `IndexRecordOption` says (positions for phrases).
    Term(Term, IndexRecordOption),
    /// The terms the automaton of a fuzzy or prefix query in a field matches, and their
    /// posting lists.
    Fuzzy(Field, FuzzyTermQuery),
}

/// A query as read: words and phrases, within the caps.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Parsed {
    pub words: Vec<String>,
    pub phrases: Vec<String>,
    /// Whether the last word is still being typed (no space after it).
    pub last_is_prefix: bool,
}

/// Reads `q`: control characters dropped, at most [`MAX_QUERY_BYTES`] bytes and
/// [`MAX_QUERY_TERMS`] words and phrases.
pub(crate) fn parse(q: &str) -> Parsed {
    let mut cleaned: String = q.chars().map(|c| if c.is_control() { ' ' } else { c }).collect();
    if cleaned.len() > MAX_QUERY_BYTES {
        let mut end = MAX_QUERY_BYTES;
        while !cleaned.is_char_boundary(end) {
            end -= 1;
        }
        cleaned.truncate(end);
    }
    let last_is_prefix = !cleaned.ends_with(char::is_whitespace) && !cleaned.trim_end().ends_with('"');
    let (mut words, mut phrases) = (Vec::new(), Vec::new());
    for (i, part) in cleaned.split('"').enumerate() {
        if i % 2 == 1 {
            if !part.trim().is_empty() {
                phrases.push(part.trim().to_string());
            }
        } else {
            words.extend(part.split_whitespace().map(str::to_string));
        }
    }
    let room = MAX_QUERY_TERMS.saturating_sub(phrases.len().min(MAX_QUERY_TERMS));
    phrases.truncate(MAX_QUERY_TERMS);
    let cut = words.len() > room;
    words.truncate(room);
    Parsed { words, phrases, last_is_prefix: last_is_prefix && !cut }
}

fn typo_distance(word: &str) -> u8 {
    match word.chars().count() {
        0..=4 => 0,
        5..=8 => 1,
        _ => 2,
    }
}

/// The query for `parsed` in an index of `lang` (and `alt`, its default language for
/// untranslated pages); `None` when nothing in it can match (stop words, punctuation).
/// `known` says whether a term is in the index (`None` when that cannot be told yet: its
/// dictionary block is not loaded): a word found as written is no typo, and is not also
/// looked up with its neighbours (which is most of the cost of a fuzzy search); a word not
/// yet known either way is not either, until the next attempt tells.
/// Each read the query will make is added to `probes`.
pub(crate) fn build(
    parsed: &Parsed,
    fields: &Fields,
    lang: &str,
    alt: Option<&str>,
    known: impl Fn(&Term) -> Option<bool>,
    probes: &mut Vec<Probe>,
) -> Option<Box<dyn Query>> {
    let mut field_sets: Vec<([Field; 4], String)> = vec![(fields.text, lang.to_string())];
    if let (Some(alt_fields), Some(alt_lang)) = (fields.alt, alt) {
        field_sets.push((alt_fields, alt_lang.to_string()));
    }
    let boosted =
        |q: Box<dyn Query>, boost: f32| (Occur::Should, Box::new(BoostQuery::new(q, boost)) as Box<dyn Query>);
    let mut must: Vec<(Occur, Box<dyn Query>)> = Vec::new();
    let last = parsed.words.len().saturating_sub(1);
    for (i, word) in parsed.words.iter().enumerate() {
        let mut should: Vec<(Occur, Box<dyn Query>)> = Vec::new();
        // The word as written, stemmed, in the title, headings, summary and text, and in
        // the facts box (always in the index's language).
        for (s, (set, set_lang)) in field_sets.iter().enumerate() {
            let facts = (s == 0).then_some((fields.facts, FACTS_BOOST));
            for token in terms(&mut analyzer(set_lang), word) {
                for (field, boost) in set.iter().copied().zip(BOOSTS).chain(facts) {
                    let term = Term::from_field_text(field, &token);
                    probes.push(Probe::Term(term.clone(), IndexRecordOption::WithFreqs));
                    should.push(boosted(Box::new(TermQuery::new(term, IndexRecordOption::WithFreqs)), boost));
                }
            }
        }
        // A stop word constrains nothing.
        if should.is_empty() {
            continue;
        }
        // The word with a typo, or half typed, against the unstemmed text; as written, as a
        // name the title writes in capitals.
        for raw in terms(&mut prefix_analyzer(), word) {
            let name = Term::from_field_text(fields.names, &raw);
            probes.push(Probe::Term(name.clone(), IndexRecordOption::Basic));
            should.push(boosted(Box::new(TermQuery::new(name, IndexRecordOption::Basic)), NAME_BOOST));
            let distance = edits(&raw, fields, &known);
            for (field, boost) in fields.raw.iter().zip(RAW_BOOSTS) {
                let term = Term::from_field_text(*field, &raw);
                probes.push(Probe::Term(term.clone(), IndexRecordOption::WithFreqs));
                if distance > 0 {
                    let fuzzy = FuzzyTermQuery::new(term.clone(), distance, true);
                    probes.push(Probe::Fuzzy(*field, fuzzy.clone()));
                    should.push(boosted(Box::new(fuzzy), boost * 0.5));
                }
                if i == last && parsed.last_is_prefix && raw.chars().count() >= 2 {
                    let prefix = FuzzyTermQuery::new_prefix(term, 0, true);
                    probes.push(Probe::Fuzzy(*field, prefix.clone()));
                    should.push(boosted(Box::new(prefix), boost * 0.8));
                }
            }
        }
        must.push((Occur::Must, Box::new(BooleanQuery::new(should))));
    }
    for phrase in &parsed.phrases {
        let mut should: Vec<(Occur, Box<dyn Query>)> = Vec::new();
        for (s, (set, set_lang)) in field_sets.iter().enumerate() {
            let tokens = phrase_terms(set_lang, phrase);
            let facts = (s == 0).then_some((fields.facts, FACTS_BOOST));
            for (field, boost) in set.iter().copied().zip(BOOSTS).chain(facts) {
                phrase_probes(field, &tokens, probes);
                should.extend(phrase_query(field, &tokens).map(|q| boosted(q, boost)));
            }
        }
        if !should.is_empty() {
            must.push((Occur::Must, Box::new(BooleanQuery::new(should))));
        }
    }
    (!must.is_empty()).then(|| Box::new(BooleanQuery::new(must)) as Box<dyn Query>)
}

/// The terms of `phrase` in `lang`, each with its place from the first: the stop words
/// the analyzer drops keep theirs, as in the index (`prison and probation` is `prison` and
/// `probation` two places apart).
fn phrase_terms(lang: &str, phrase: &str) -> Vec<(usize, String)> {
    let mut tokens = positioned_terms(&mut analyzer(lang), phrase);
    let first = tokens.first().map_or(0, |(at, _)| *at);
    tokens.iter_mut().for_each(|(at, _)| *at -= first);
    tokens
}

/// The query for a phrase of `tokens` (from [`phrase_terms`]) in `field`: its one term, or
/// its terms at their places; `None` for no term.
fn phrase_query(field: Field, tokens: &[(usize, String)]) -> Option<Box<dyn Query>> {
    Some(match tokens {
        [] => return None,
        [(_, one)] => Box::new(TermQuery::new(Term::from_field_text(field, one), IndexRecordOption::WithFreqs)),
        many => Box::new(PhraseQuery::new_with_offset(
            many.iter().map(|(at, t)| (*at, Term::from_field_text(field, t))).collect(),
        )),
    })
}

/// How many edits a typo in `raw` may have: none when a raw field has it as written, or
/// when that is not known yet (its dictionary block is not loaded): no neighbours in that
/// attempt, rather than fetching the blocks of neighbours the word may not need.
fn edits(raw: &str, fields: &Fields, known: &impl Fn(&Term) -> Option<bool>) -> u8 {
    let typo = fields.raw.iter().all(|f| known(&Term::from_field_text(*f, raw)) == Some(false));
    if typo {
        typo_distance(raw)
    } else {
        0
    }
}

/// The reads of a phrase of `tokens` in `field`: each term's posting list, with positions
/// when there are two terms or more.
fn phrase_probes(field: Field, tokens: &[(usize, String)], probes: &mut Vec<Probe>) {
    let record = if tokens.len() > 1 { IndexRecordOption::WithFreqsAndPositions } else { IndexRecordOption::WithFreqs };
    probes.extend(tokens.iter().map(|(_, t)| Probe::Term(Term::from_field_text(field, t), record)));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_words_phrases_and_caps() {
        let p = parse("risk \"case management\" train");
        assert_eq!(p.words, ["risk", "train"]);
        assert_eq!(p.phrases, ["case management"]);
        assert!(p.last_is_prefix);
        assert!(!parse("risk ").last_is_prefix);
        let long = "word ".repeat(100);
        assert_eq!(parse(&long).words.len(), MAX_QUERY_TERMS);
        assert!(parse(&"é".repeat(1000)).words[0].len() <= MAX_QUERY_BYTES);
        assert_eq!(parse("a\u{0}b\u{7}c").words, ["a", "b", "c"]);
    }
}
