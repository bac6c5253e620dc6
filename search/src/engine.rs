//! Answering queries: an index loaded from its bundle, ranked hits with snippets (matched
//! words marked by ranges, never by HTML), the best-matching heading, and facet counts.

use crate::analysis::{analyzer, prefix_analyzer, terms};
use crate::bundle::{open_index, read_bundle, FacetDim, Fields, Header, Section};
use crate::query::{build, parse, Parsed};
use crate::snippet::{Matcher, Words};
use crate::{SearchError, MAX_LIMIT};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::sync::{Mutex, PoisonError};
use tantivy::collector::{Count, FacetCollector, TopDocs};
use tantivy::query::{BooleanQuery, Occur, Query, TermQuery};
use tantivy::schema::{Facet, Field, IndexRecordOption, Value};
use tantivy::{Index, IndexReader, ReloadPolicy, Searcher, TantivyDocument, Term};

/// What a reader asks.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
pub struct Request {
    /// The query as typed.
    pub q: String,
    /// Facet filters, `(dimension, value)`: `("kind", "pilot_sheet")`, `("country", "france")`.
    #[serde(default)]
    pub filters: Vec<(String, String)>,
    /// How many hits to return (at most [`MAX_LIMIT`]).
    #[serde(default = "default_limit")]
    pub limit: usize,
}

fn default_limit() -> usize {
    10
}

/// A piece of text with the matched words marked by ranges, in UTF-16 code units (as
/// JavaScript counts), so it can be shown with DOM text nodes.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
pub struct Snippet {
    /// The text.
    pub text: String,
    /// `[start, end)` ranges to highlight.
    pub highlights: Vec<[usize; 2]>,
}

/// The heading under which the query's words occur most.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Heading {
    /// Its anchor.
    pub anchor: String,
    /// Its text.
    pub text: String,
}

/// One result.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Hit {
    /// The page id.
    pub id: String,
    /// Its URL relative to the language's home.
    pub url: String,
    /// Its title.
    pub title: String,
    /// Its kind's label.
    pub kind: String,
    /// The language of its text.
    pub lang: String,
    /// The matched words in context.
    pub snippet: Snippet,
    /// Where in the page they occur most.
    pub heading: Option<Heading>,
    /// The relevance score.
    pub score: f32,
}

/// A facet value and how many results have it.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct FacetValueCount {
    /// Its key.
    pub value: String,
    /// Its name.
    pub label: String,
    /// How many results have it.
    pub count: u64,
}

/// The values of one facet among the results.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct FacetCount {
    /// The dimension (`kind`, `country`...).
    pub name: String,
    /// Its label.
    pub label: String,
    /// Its values, most frequent first.
    pub values: Vec<FacetValueCount>,
}

/// The answer to a [`Request`].
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
pub struct Response {
    /// How many pages match.
    pub total: usize,
    /// The best ones, best first.
    pub hits: Vec<Hit>,
    /// Facet counts over all matching pages.
    pub facets: Vec<FacetCount>,
}

/// A loaded index, ready to answer.
pub struct Engine {
    index: Index,
    reader: IndexReader,
    fields: Fields,
    header: Header,
    /// The words of pages analyzed so far, for snippets.
    words: Mutex<Words>,
}

impl Engine {
    /// Loads an index from its bundle (the bytes of `search/<lang>/index.bin`).
    pub fn open(bundle: &[u8]) -> Result<Engine, SearchError> {
        let (header, dir) = read_bundle(bundle)?;
        let (index, fields) = open_index(dir, &header)?;
        let reader = index.reader_builder().reload_policy(ReloadPolicy::Manual).try_into()?;
        Ok(Engine { index, reader, fields, header, words: Mutex::default() })
    }

    /// The index's language.
    pub fn lang(&self) -> &str {
        &self.header.lang
    }

    /// Answers `req`. Anything a reader can type gives a result, possibly empty.
    pub fn search(&self, req: &Request) -> Response {
        self.try_search(req).unwrap_or_default()
    }

    fn try_search(&self, req: &Request) -> Result<Response, SearchError> {
        let parsed = parse(&req.q);
        let searcher = self.reader.searcher();
        let known = |t: &Term| searcher.doc_freq(t).is_ok_and(|n| n > 0);
        let Some(text_query) = build(&parsed, &self.fields, &self.header.lang, self.header.alt.as_deref(), known)
        else {
            return Ok(Response::default());
        };
        let mut clauses: Vec<(Occur, Box<dyn Query>)> = vec![(Occur::Must, text_query.box_clone())];
        for (dim, value) in &req.filters {
            let term = Term::from_facet(self.fields.facets, &Facet::from_path([dim.as_str(), value.as_str()]));
            clauses.push((Occur::Must, Box::new(TermQuery::new(term, IndexRecordOption::Basic))));
        }
        let query = BooleanQuery::new(clauses);
        let limit = req.limit.clamp(1, MAX_LIMIT);
        let mut facet_collector = FacetCollector::for_field("facets");
        for dim in self.dims() {
            facet_collector.add_facet(Facet::from_path([dim.name.as_str()]));
        }
        // Pages are indexed in the order of their ids, so equal scores are ranked by id.
        let (top, total, facet_counts) =
            searcher.search(&query, &(TopDocs::with_limit(limit).order_by_score(), Count, facet_collector))?;
        let mut candidates = Vec::with_capacity(top.len());
        for (score, address) in top {
            let doc: TantivyDocument = searcher.doc(address)?;
            candidates.push((score, self.stored(&doc, self.fields.id), doc));
        }
        candidates.sort_by(|a, b| b.0.total_cmp(&a.0).then_with(|| a.1.cmp(&b.1)));
        let mut words = self.words.lock().unwrap_or_else(PoisonError::into_inner);
        let mut matcher = self.matcher(&searcher, &parsed, &mut words);
        let mut hits = Vec::with_capacity(candidates.len());
        for (score, id, doc) in candidates {
            let sections: Vec<Section> =
                serde_json::from_str(&self.stored(&doc, self.fields.sections)).unwrap_or_default();
            let lang = self.stored(&doc, self.fields.content_lang);
            let (snippet, heading) = matcher.page(&lang, &sections);
            // A page found by its facts box shows the facts that matched; else its summary.
            let facts = || {
                let text = self.stored(&doc, self.fields.facts);
                matcher.page(&self.header.lang, &[Section { anchor: String::new(), heading: String::new(), text }]).0
            };
            let snippet = snippet.or_else(facts).unwrap_or_else(|| Snippet {
                text: self.stored(&doc, self.fields.summary_stored),
                highlights: Vec::new(),
            });
            hits.push(Hit {
                id,
                url: self.stored(&doc, self.fields.url),
                title: self.stored(&doc, self.fields.title_stored),
                kind: self.stored(&doc, self.fields.kind_label),
                lang,
                snippet,
                heading,
                score,
            });
        }
        Ok(Response { total, hits, facets: self.facets(&facet_counts) })
    }

    fn stored(&self, doc: &TantivyDocument, field: Field) -> String {
        doc.get_first(field).and_then(|v| v.as_str()).unwrap_or_default().to_string()
    }

    /// What snippets and headings look for: the query's words analyzed in both languages
    /// of the index, weighted by rarity, and the word being typed.
    fn matcher<'w>(&self, searcher: &Searcher, parsed: &Parsed, words: &'w mut Words) -> Matcher<'w> {
        let text = parsed.words.iter().chain(&parsed.phrases).cloned().collect::<Vec<_>>().join(" ");
        let mut body_fields = vec![(self.header.lang.as_str(), self.fields.text[3])];
        if let (Some(alt_lang), Some(alt)) = (self.header.alt.as_deref(), self.fields.alt) {
            body_fields.push((alt_lang, alt[3]));
        }
        let pages = searcher.num_docs().max(1) as f32;
        let mut weighted: Vec<(String, f32)> = Vec::new();
        for (lang, field) in &body_fields {
            for term in terms(&mut analyzer(lang), &text) {
                let found = searcher.doc_freq(&Term::from_field_text(*field, &term)).unwrap_or(0) as f32;
                let weight = (1.0 + pages / (1.0 + found)).ln();
                match weighted.iter_mut().find(|(t, _)| *t == term) {
                    Some((_, w)) => *w = w.max(weight),
                    None => weighted.push((term, weight)),
                }
            }
        }
        let typing = parsed.words.last().filter(|_| parsed.last_is_prefix);
        let prefix = typing.and_then(|w| terms(&mut prefix_analyzer(), w).pop()).filter(|p| p.chars().count() >= 2);
        Matcher::new(weighted, prefix, words)
    }

    /// The facet dimensions: `kind` first (always), then the others of the index.
    fn dims(&self) -> Vec<FacetDim> {
        let mut dims = self.header.facets.clone();
        if !dims.iter().any(|d| d.name == "kind") {
            dims.insert(0, FacetDim { name: "kind".into(), label: String::new(), values: BTreeMap::new() });
        }
        dims
    }

    fn facets(&self, counts: &tantivy::collector::FacetCounts) -> Vec<FacetCount> {
        let mut out = Vec::new();
        for dim in self.dims() {
            let mut values: Vec<FacetValueCount> = counts
                .get(&format!("/{}", dim.name))
                .map(|(facet, count)| {
                    let value = facet.to_path().last().map(|s| s.to_string()).unwrap_or_default();
                    FacetValueCount {
                        label: dim.values.get(&value).cloned().unwrap_or_else(|| value.clone()),
                        value,
                        count,
                    }
                })
                .collect();
            values.sort_by(|a, b| b.count.cmp(&a.count).then_with(|| a.value.cmp(&b.value)));
            if !values.is_empty() {
                out.push(FacetCount { name: dim.name.clone(), label: dim.label.clone(), values });
            }
        }
        out
    }

    /// The index (for tests and tools).
    pub fn index(&self) -> &Index {
        &self.index
    }
}
