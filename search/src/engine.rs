//! Answering queries: an index loaded from its bundle, ranked hits with snippets (matched
//! words marked by ranges, never by HTML), the best-matching heading, and facet counts.

use crate::analysis::{analyzer, terms};
use crate::bundle::{open_index, read_bundle, FacetDim, Fields, Header, Section};
use crate::query::{build, parse};
use crate::{SearchError, MAX_LIMIT};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet};
use tantivy::collector::{Count, FacetCollector, TopDocs};
use tantivy::query::{BooleanQuery, Occur, Query, TermQuery};
use tantivy::schema::{Facet, IndexRecordOption, Value};
use tantivy::snippet::SnippetGenerator;
use tantivy::{Index, IndexReader, ReloadPolicy, TantivyDocument, Term};

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
}

fn utf16_len(s: &str) -> usize {
    s.encode_utf16().count()
}

impl Engine {
    /// Loads an index from its bundle (the bytes of `search/<lang>/index.bin`).
    pub fn open(bundle: &[u8]) -> Result<Engine, SearchError> {
        let (header, dir) = read_bundle(bundle)?;
        let (index, fields) = open_index(dir, &header)?;
        let reader = index.reader_builder().reload_policy(ReloadPolicy::Manual).try_into()?;
        Ok(Engine { index, reader, fields, header })
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
        let Some(text_query) = build(&parsed, &self.fields, &self.header.lang, self.header.alt.as_deref()) else {
            return Ok(Response::default());
        };
        let mut clauses: Vec<(Occur, Box<dyn Query>)> = vec![(Occur::Must, text_query.box_clone())];
        for (dim, value) in &req.filters {
            let term = Term::from_facet(self.fields.facets, &Facet::from_path([dim.as_str(), value.as_str()]));
            clauses.push((Occur::Must, Box::new(TermQuery::new(term, IndexRecordOption::Basic))));
        }
        let query = BooleanQuery::new(clauses);
        let searcher = self.reader.searcher();
        let limit = req.limit.clamp(1, MAX_LIMIT);
        let mut facet_collector = FacetCollector::for_field("facets");
        for dim in self.dims() {
            facet_collector.add_facet(Facet::from_path([dim.name.as_str()]));
        }
        // A few more than asked, so ties are broken by id the same way everywhere.
        let (top, total, facet_counts) =
            searcher.search(&query, &(TopDocs::with_limit(limit + 20).order_by_score(), Count, facet_collector))?;
        let mut hits = Vec::with_capacity(top.len());
        let mut body_snippets = SnippetGenerator::create(&searcher, &*text_query, self.fields.text[3])?;
        body_snippets.set_max_num_chars(220);
        let mut alt_snippets = match self.fields.alt {
            Some(alt) => {
                let mut g = SnippetGenerator::create(&searcher, &*text_query, alt[3])?;
                g.set_max_num_chars(220);
                Some(g)
            }
            None => None,
        };
        let words = self.query_words(&parsed.words, &parsed.phrases);
        for (score, address) in top {
            let doc: TantivyDocument = searcher.doc(address)?;
            let get = |f| doc.get_first(f).and_then(|v| v.as_str()).unwrap_or_default().to_string();
            let sections: Vec<Section> = serde_json::from_str(&get(self.fields.sections)).unwrap_or_default();
            let lang = get(self.fields.content_lang);
            let body: Vec<&str> = sections.iter().map(|s| s.text.as_str()).collect();
            let (generator, field) = match (&mut alt_snippets, self.fields.alt) {
                (Some(g), Some(alt)) if lang != self.header.lang => (g, alt[3]),
                _ => (&mut body_snippets, self.fields.text[3]),
            };
            let mut text_doc = TantivyDocument::default();
            text_doc.add_text(field, body.join("\n"));
            let snippet = generator.snippet_from_doc(&text_doc);
            let fragment = snippet.fragment();
            let snippet = if fragment.is_empty() {
                let summary = get(self.fields.summary_stored);
                Snippet { text: summary, highlights: Vec::new() }
            } else {
                let highlights = snippet
                    .highlighted()
                    .iter()
                    .map(|r| [utf16_len(&fragment[..r.start]), utf16_len(&fragment[..r.end])])
                    .collect();
                Snippet { text: fragment.to_string(), highlights }
            };
            let heading = self.best_heading(&sections, &words, &lang);
            hits.push(Hit {
                id: get(self.fields.id),
                url: get(self.fields.url),
                title: get(self.fields.title_stored),
                kind: get(self.fields.kind_label),
                lang,
                snippet,
                heading,
                score,
            });
        }
        hits.sort_by(|a, b| b.score.total_cmp(&a.score).then_with(|| a.id.cmp(&b.id)));
        hits.truncate(limit);
        Ok(Response { total, hits, facets: self.facets(&facet_counts) })
    }

    /// The analyzed words of a query, in both languages of the index, to find headings.
    fn query_words(&self, words: &[String], phrases: &[String]) -> BTreeSet<String> {
        let mut out = BTreeSet::new();
        let text = words.iter().chain(phrases).cloned().collect::<Vec<_>>().join(" ");
        for lang in std::iter::once(self.header.lang.as_str()).chain(self.header.alt.as_deref()) {
            out.extend(terms(&mut analyzer(lang), &text));
        }
        out
    }

    fn best_heading(&self, sections: &[Section], words: &BTreeSet<String>, lang: &str) -> Option<Heading> {
        let mut an = analyzer(lang);
        let mut best: Option<(usize, &Section)> = None;
        for s in sections.iter().filter(|s| !s.anchor.is_empty()) {
            let found =
                terms(&mut an, &format!("{} {}", s.heading, s.text)).iter().filter(|t| words.contains(*t)).count();
            if found > 0 && best.is_none_or(|(n, _)| found > n) {
                best = Some((found, s));
            }
        }
        best.map(|(_, s)| Heading { anchor: s.anchor.clone(), text: s.heading.clone() })
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
