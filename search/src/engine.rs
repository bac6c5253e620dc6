//! Answering queries: an index loaded from its bundle, ranked hits with snippets (matched
//! words marked by ranges, never by HTML), the best-matching heading, and facet counts.

use crate::analysis::{analyzer, prefix_analyzer, terms};
use crate::bundle::{open_index, read_entry, FacetDim, Header, Section};
use crate::paged::{PagedDirectory, Pages};
use crate::query::{build, parse, Parsed, Probe};
use crate::schema::{schema, Fields};
use crate::snippet::{Matcher, Words};
use crate::termdict::{dictionary, open_terms, read_blocks, term_file};
use crate::{SearchError, MAX_LIMIT};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet};
use std::sync::{Arc, Mutex, PoisonError};
use tantivy::collector::{Count, FacetCollector, TopDocs};
use tantivy::directory::FileSlice;
use tantivy::query::{AllQuery, AutomatonWeight, BooleanQuery, FuzzyTermQuery, Occur, Query, TermQuery};
use tantivy::schema::{Facet, Field, IndexRecordOption, Value};
use tantivy::{IndexReader, ReloadPolicy, Searcher, SegmentReader, TantivyDocument, Term};

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

/// What [`Engine::answer`] gives: the response, or the pages it needs first.
#[derive(Debug, Clone, PartialEq)]
pub enum Answer {
    /// The response, computed from the whole index's bytes.
    Ready(Response),
    /// The numbers of the pages to add (with [`Engine::add_page`]) before asking again.
    Needs(Vec<u32>),
}

/// An index opened from its entry file, ready to answer as its pages arrive.
pub struct Engine {
    pages: Arc<Pages>,
    header: Header,
    fields: Fields,
    /// The index, once the pages that opening it reads are present.
    opened: Mutex<Option<IndexReader>>,
    /// The words of pages analyzed so far, for snippets.
    words: Mutex<Words>,
    /// Held for the whole of an attempt: the pages its reads miss are noted in `pages`,
    /// which threads share (`serve` answers searches of one language on several), so two
    /// attempts at once would each take the other's notes.
    attempts: Mutex<()>,
}

impl Engine {
    /// Opens an index from its entry file (the bytes of `search/<lang>/index.bin`,
    /// uncompressed). Its other pages are added as queries need them.
    pub fn open(entry: &[u8]) -> Result<Engine, SearchError> {
        let (header, pages) = read_entry(entry)?;
        let (_, fields) = schema(&header.lang, header.alt.as_deref());
        Ok(Engine {
            pages: Arc::new(pages),
            header,
            fields,
            opened: Mutex::default(),
            words: Mutex::default(),
            attempts: Mutex::default(),
        })
    }

    /// The index's language.
    pub fn lang(&self) -> &str {
        &self.header.lang
    }

    /// The folder of the pages not in the entry, beside it (`<folder>/<number>.bin`).
    pub fn folder(&self) -> &str {
        &self.header.folder
    }

    /// How many pages the index has in all.
    pub fn page_count(&self) -> u32 {
        self.pages.count()
    }

    /// Adds page `number` (its bytes, uncompressed); whether it was added (a page already
    /// present, or of another index or build, is not).
    pub fn add_page(&self, number: u32, bytes: Vec<u8>) -> bool {
        self.pages.add(number, bytes)
    }

    /// Answers `req` when every page it reads is present; else says which pages it needs.
    /// Anything a reader can type gives an answer, possibly empty.
    pub fn answer(&self, req: &Request) -> Answer {
        let _alone = self.attempts.lock().unwrap_or_else(PoisonError::into_inner);
        self.pages.take_wanted();
        let response = self.attempt(req);
        let wanted = self.pages.take_wanted();
        if wanted.is_empty() {
            Answer::Ready(response.unwrap_or_default())
        } else {
            Answer::Needs(wanted)
        }
    }

    /// Answers `req`, getting the pages it needs from `fetch` (page number to bytes,
    /// uncompressed). A query takes three rounds of pages, a word with a typo four (the
    /// dictionary blocks its neighbours may be in are asked for at once); each round adds
    /// pages, so this always ends.
    ///
    /// # Errors
    /// [`SearchError::Corrupt`] naming a page that `fetch` cannot give, or that does not
    /// belong to this index (a page of another build).
    pub fn search_with(
        &self,
        req: &Request,
        mut fetch: impl FnMut(u32) -> Option<Vec<u8>>,
    ) -> Result<Response, SearchError> {
        loop {
            match self.answer(req) {
                Answer::Ready(response) => return Ok(response),
                Answer::Needs(numbers) => {
                    for n in numbers {
                        // Present is enough: another thread asking at the same time may
                        // have added it, before this one looked or while it fetched.
                        let present = self.pages.has(n)
                            || fetch(n).is_some_and(|bytes| self.add_page(n, bytes))
                            || self.pages.has(n);
                        if !present {
                            return Err(SearchError::Corrupt(format!(
                                "page {n} of the index is missing or belongs to another build"
                            )));
                        }
                    }
                }
            }
        }
    }

    /// Answers `req` from the pages present (all of them, for an index written whole, or
    /// once every page was added): an empty response when one is missing.
    pub fn search(&self, req: &Request) -> Response {
        self.search_with(req, |_| None).unwrap_or_default()
    }

    /// The index's reader, opened on first use (once the pages opening reads are present).
    fn opened(&self) -> Result<IndexReader, SearchError> {
        let mut opened = self.opened.lock().unwrap_or_else(PoisonError::into_inner);
        if let Some(reader) = opened.as_ref() {
            return Ok(reader.clone());
        }
        let (reader, _) = reader_over(Arc::clone(&self.pages), &self.header)?;
        *opened = Some(reader.clone());
        Ok(reader)
    }

    /// Answers `req`. Reads of missing pages fail and are noted; each stage first tries
    /// every read it will make on its own, so that one round finds all of a stage's pages.
    fn attempt(&self, req: &Request) -> Result<Response, SearchError> {
        let reader = self.opened()?;
        let parsed = parse(&req.q);
        let searcher = reader.searcher();
        let known = |t: &Term| searcher.doc_freq(t).ok().map(|n| n > 0);
        let mut probes = Vec::new();
        let Some(text_query) =
            build(&parsed, &self.fields, &self.header.lang, self.header.alt.as_deref(), known, &mut probes)
        else {
            return Ok(Response::default());
        };
        let mut clauses: Vec<(Occur, Box<dyn Query>)> = vec![(Occur::Must, text_query.box_clone())];
        for (dim, value) in &req.filters {
            let term = Term::from_facet(self.fields.facets, &Facet::from_path([dim.as_str(), value.as_str()]));
            probes.push(Probe::Term(term.clone(), IndexRecordOption::Basic));
            clauses.push((Occur::Must, Box::new(TermQuery::new(term, IndexRecordOption::Basic))));
        }
        if !probe(&searcher, &PagedDirectory::new(Arc::clone(&self.pages)), &probes) {
            return Ok(Response::default());
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
        // Every result's stored fields are read before any is used: one round for all.
        let docs: Vec<(f32, tantivy::Result<TantivyDocument>)> =
            top.into_iter().map(|(score, address)| (score, searcher.doc(address))).collect();
        let mut candidates = Vec::with_capacity(docs.len());
        for (score, doc) in docs {
            let doc = doc?;
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
}

/// Tries each read of `probes` on its own, in every segment of the index in `dir`: a
/// term's posting list (and positions), or the dictionary blocks an automaton may match
/// in, the terms it matches and their posting lists, and the field norms of their fields.
/// Reads of missing pages fail and are noted, and the others go on, so that one round
/// finds every page of a stage. Whether all reads succeeded.
fn probe(searcher: &Searcher, dir: &PagedDirectory, probes: &[Probe]) -> bool {
    let mut complete = true;
    for segment in searcher.segment_readers() {
        let terms = open_terms(dir, &term_file(segment)).ok();
        for p in probes {
            let ok = match p {
                Probe::Term(term, record) => probe_term(segment, term, *record),
                Probe::Fuzzy(field, query) => probe_fuzzy(segment, *field, query, terms.as_ref()),
            };
            complete &= ok.is_ok();
        }
    }
    complete
}

fn probe_term(segment: &SegmentReader, term: &Term, record: IndexRecordOption) -> tantivy::Result<()> {
    let inverted = segment.inverted_index(term.field())?;
    if let Some(info) = inverted.get_term_info(term)? {
        inverted.read_postings_from_terminfo(&info, record)?;
        segment.fieldnorms_readers().get_field(term.field())?;
    }
    Ok(())
}

/// The reads of `query` (in `field`) in `segment`, whose term file is `terms`: first every
/// dictionary block its automaton may match in (tantivy would stop at the first missing
/// one), then the terms it matches and their posting lists.
fn probe_fuzzy(
    segment: &SegmentReader,
    field: Field,
    query: &FuzzyTermQuery,
    terms: Option<&FileSlice>,
) -> tantivy::Result<()> {
    let automaton = query.automaton()?;
    if let Some(dict) = terms.map(|t| dictionary(t, field)).transpose()?.flatten() {
        read_blocks(&dict, &automaton)?;
    }
    let inverted = segment.inverted_index(field)?;
    let infos = AutomatonWeight::new(field, automaton).get_match_term_infos(segment)?;
    let mut result = Ok(());
    for info in infos {
        if let Err(e) = inverted.read_block_postings_from_terminfo(&info, IndexRecordOption::Basic) {
            result = Err(e.into());
        }
    }
    result
}

/// An index over `pages` (all present), recording what is read: the pages, and the
/// fields of the index.
fn recording(header: &Header, pages: &[Vec<u8>]) -> Result<(Arc<Pages>, Searcher, Fields), SearchError> {
    let recording = Arc::new(Pages::recording(header.files.clone()));
    for (n, bytes) in pages.iter().enumerate() {
        recording.add(n as u32, bytes.clone());
    }
    let (reader, fields) = reader_over(Arc::clone(&recording), header)?;
    Ok((recording, reader.searcher(), fields))
}

/// A reader of the index over `pages`, and its fields.
fn reader_over(pages: Arc<Pages>, header: &Header) -> Result<(IndexReader, Fields), SearchError> {
    let (index, fields) = open_index(PagedDirectory::new(pages), header)?;
    let reader = index.reader_builder().reload_policy(ReloadPolicy::Manual).try_into()?;
    Ok((reader, fields))
}

/// The byte ranges of the document store file `store` read to fetch each stored document
/// once (its blocks), over `pages` cut at fixed sizes.
pub(crate) fn ranges_reading_each_document(
    header: &Header,
    pages: &[Vec<u8>],
    store: &str,
) -> Result<Vec<std::ops::Range<usize>>, SearchError> {
    let (recording, searcher, _) = recording(header, pages)?;
    let mut blocks = Vec::new();
    for segment in searcher.segment_readers() {
        // No cache: each document's block is read for it.
        let reader = segment.get_store_reader(0).map_err(tantivy::TantivyError::from)?;
        recording.take_ranges_read(store);
        for doc in 0..segment.max_doc() {
            reader.get::<TantivyDocument>(doc)?;
        }
        blocks.extend(recording.take_ranges_read(store));
    }
    blocks.sort_by_key(|r| (r.start, r.end));
    blocks.dedup();
    Ok(blocks)
}

/// The byte ranges of the term file `terms` holding each block of its dictionaries (in
/// every field), over `pages` cut at fixed sizes.
pub(crate) fn ranges_of_term_blocks(
    header: &Header,
    pages: &[Vec<u8>],
    terms: &str,
) -> Result<Vec<std::ops::Range<usize>>, SearchError> {
    let (recording, searcher, _) = recording(header, pages)?;
    let file = open_terms(&PagedDirectory::new(Arc::clone(&recording)), terms).map_err(tantivy::TantivyError::from)?;
    let mut blocks = Vec::new();
    for (field, _) in searcher.schema().fields() {
        let Some(dict) = dictionary(&file, field).map_err(tantivy::TantivyError::from)? else { continue };
        recording.take_ranges_read(terms);
        read_blocks(&dict, &tantivy_fst::automaton::AlwaysMatch).map_err(tantivy::TantivyError::from)?;
        blocks.extend(recording.take_ranges_read(terms));
    }
    blocks.sort_by_key(|r| (r.start, r.end));
    blocks.dedup();
    Ok(blocks)
}

/// The pages every query reads, at least: those read to open the index, to open the term
/// dictionaries and field norms of the searched fields, and to count facets. Found by
/// opening the index over `pages` (all present) and recording what is read.
pub(crate) fn pages_every_query_reads(header: &Header, pages: &[Vec<u8>]) -> Result<BTreeSet<u32>, SearchError> {
    let (recording, searcher, fields) = recording(header, pages)?;
    let mut searched: Vec<Field> = fields.text.to_vec();
    searched.extend(fields.alt.iter().flatten());
    searched.extend([fields.facts, fields.names, fields.facets]);
    searched.extend(fields.raw);
    for segment in searcher.segment_readers() {
        for field in &searched {
            segment.inverted_index(*field)?;
            segment.fieldnorms_readers().get_field(*field)?;
        }
    }
    let mut facets = FacetCollector::for_field("facets");
    for dim in &header.facets {
        facets.add_facet(Facet::from_path([dim.name.as_str()]));
    }
    facets.add_facet(Facet::from_path(["kind"]));
    searcher.search(&AllQuery, &facets)?;
    Ok(recording.pages_read())
}
