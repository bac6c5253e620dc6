//! The index of one language: how it is built from pages (its fields and documents are in
//! `schema`), and the bundle file that carries the index (and what a reader needs to label
//! facets) to the browser.
//!
//! Entry file layout, little-endian: `GBIX1\n`, header length (u32), header JSON (with
//! the layout of the index's files as pages, see `paged`), page count (u32), then for each
//! page in it: its number (u32), length (u32), bytes. The other pages are files of their
//! own, each a page's bytes.

use crate::paged::{self, FileLayout, PagedDirectory, Pages};
use crate::schema::{document, register, schema, Fields};
use crate::SearchError;
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::Path;
use tantivy::directory::{Directory, RamDirectory};
use tantivy::index::SegmentComponent;
use tantivy::store::Compressor;
use tantivy::tokenizer::TokenizerManager;
use tantivy::{Index, IndexBuilder, IndexSettings};

const MAGIC: &[u8] = b"GBIX1\n";

/// The version of the bundle format: [`read_bundle`] refuses any other.
const FORMAT: u32 = 4;

/// A part of a page under one heading, for snippets and for linking to the best heading.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Hash)]
pub struct Section {
    /// The heading's anchor (empty for the text before the first heading).
    pub anchor: String,
    /// The heading's text.
    pub heading: String,
    /// The section's plain text.
    pub text: String,
}

/// A page to index.
#[derive(Debug, Clone, Hash)]
pub struct Document {
    /// The page id.
    pub id: String,
    /// Its URL relative to the language's home (`pilots/avignon/`).
    pub url: String,
    /// Its title.
    pub title: String,
    /// Its summary.
    pub summary: String,
    /// Its kind, and the kind's label.
    pub kind: (String, String),
    /// The language its text is in: the index's language, or the default language for a
    /// page not yet translated (indexed once, with the default language's analyzer).
    pub lang: String,
    /// Its text, by heading.
    pub sections: Vec<Section>,
    /// What its facts box shows, in the index's language: field labels and values (terms,
    /// enum values and referenced pages by their names there, dates written out), as
    /// `Label – value, value; Label – value`. Searched, and the snippet of a result whose
    /// text does not hold the query's words.
    pub facts: String,
    /// Facet values: (dimension, value key), e.g. (`country`, `france`).
    pub facets: Vec<(String, String)>,
}

/// A facet dimension and the names of its values in the index's language.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Hash)]
pub struct FacetDim {
    /// Its name (`kind`, `country`, `themes`).
    pub name: String,
    /// Its label.
    pub label: String,
    /// Value key to label.
    pub values: BTreeMap<String, String>,
}

/// What travels with the index files.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub(crate) struct Header {
    pub format: u32,
    pub lang: String,
    pub alt: Option<String>,
    pub facets: Vec<FacetDim>,
    /// The folder of the pages not in the entry (see [`Built::folder`]).
    pub folder: String,
    /// The index's files, as pages.
    pub files: Vec<FileLayout>,
}

/// Builds the index of `lang` from `docs`, as its entry file and pages. Pages whose `lang`
/// is not `lang` are indexed with the analyzer of `default_lang`.
pub fn build_index(
    lang: &str,
    default_lang: &str,
    docs: &[Document],
    facets: Vec<FacetDim>,
) -> Result<Built, SearchError> {
    build_in_parts(lang, default_lang, docs, facets, (DOCS_PER_PART, &|| false))
}

/// [`build_index`], given up ([`SearchError::Stopped`]) as soon as `stop` says so: it is
/// asked before each part of [`DOCS_PER_PART`] pages is indexed, before the parts are
/// merged and before the index is cut into pages, so that a caller with newer pages (a
/// `serve` session after another save) waits at most for one of those steps.
pub fn build_index_unless(
    lang: &str,
    default_lang: &str,
    docs: &[Document],
    facets: Vec<FacetDim>,
    stop: &(dyn Fn() -> bool + Sync),
) -> Result<Built, SearchError> {
    build_in_parts(lang, default_lang, docs, facets, (DOCS_PER_PART, stop))
}

/// [`build_index_unless`], with `per_part` pages in each part indexed on its own.
fn build_in_parts(
    lang: &str,
    default_lang: &str,
    docs: &[Document],
    facets: Vec<FacetDim>,
    (per_part, stop): (usize, &(dyn Fn() -> bool + Sync)),
) -> Result<Built, SearchError> {
    let go_on = || if stop() { Err(SearchError::Stopped) } else { Ok(()) };
    let alt = (lang != default_lang && docs.iter().any(|d| d.lang != lang)).then_some(default_lang);
    // In the order of their ids: equal scores then rank by id, the same in every build.
    let mut sorted: Vec<&Document> = docs.iter().collect();
    sorted.sort_by(|a, b| a.id.cmp(&b.id));
    let parts: Vec<&[&Document]> = sorted.chunks(per_part.max(1)).collect();
    let (index, dir) = if parts.len() <= 1 {
        go_on()?;
        index_part(lang, alt, &sorted)?
    } else {
        let built = map_parts(&parts, |part| go_on().and_then(|()| index_part(lang, alt, part)))?;
        go_on()?;
        let indices: Vec<Index> = built.into_iter().map(|(index, _)| index).collect();
        let dir = RamDirectory::create();
        // The parts' segments, stacked in order: the documents keep their ids, and the
        // merged segment's statistics (document frequencies, token counts, field norms)
        // are those of one segment written at once, so scores do not change.
        let merged = tantivy::indexer::merge_indices(&indices, dir.clone())?;
        (merged, dir)
    };
    let header = Header {
        format: FORMAT,
        lang: lang.to_string(),
        alt: alt.map(str::to_string),
        facets,
        folder: String::new(),
        files: Vec::new(),
    };
    let files = index_files(&index, &dir)?;
    drop(index);
    go_on()?;
    paged(header, &files)
}

/// Pages per part of a language's index. A language with more pages is indexed in parts
/// of this many, on every core (see [`map_parts`]), and the parts are merged into one
/// segment. The number is fixed, not taken from the machine, so that the index's bytes are
/// the same on every machine; at 512 pages a part takes a few hundred milliseconds, small
/// enough that no core waits long for the last one.
const DOCS_PER_PART: usize = 512;

/// The index of `docs` (in id order) alone, as one segment in a directory of its own.
fn index_part(lang: &str, alt: Option<&str>, docs: &[&Document]) -> Result<(Index, RamDirectory), SearchError> {
    let (schema, f) = schema(lang, alt);
    let dir = RamDirectory::create();
    let tokenizers = TokenizerManager::default();
    register(&tokenizers, lang, alt);
    // The stored text is left uncompressed: each page is compressed when it is written,
    // and gzip over plain text does much better than gzip over lz4. Blocks of a page's size
    // hold one or a few pages' text: a result's text is then a page or two to fetch.
    let settings = IndexSettings {
        docstore_compression: Compressor::None,
        docstore_blocksize: paged::PAGE_SIZE,
        ..IndexSettings::default()
    };
    let mut writer = IndexBuilder::new()
        .settings(settings)
        .schema(schema)
        .tokenizers(tokenizers)
        .single_segment_index_writer(dir.clone(), 50_000_000)?;
    for d in docs {
        writer.add_document(document(d, lang, &f))?;
    }
    Ok((writer.finalize()?, dir))
}

/// `build` applied to each of `parts`, in parallel where threads exist; the results in
/// the parts' order, or the first error.
#[cfg(not(target_arch = "wasm32"))]
fn map_parts<P: Sync, R: Send>(
    parts: &[P],
    build: impl Fn(&P) -> Result<R, SearchError> + Sync,
) -> Result<Vec<R>, SearchError> {
    use rayon::prelude::*;
    parts.par_iter().map(&build).collect()
}

/// `build` applied to each of `parts`, one after the other (WebAssembly has no threads).
#[cfg(target_arch = "wasm32")]
fn map_parts<P, R>(parts: &[P], build: impl Fn(&P) -> Result<R, SearchError>) -> Result<Vec<R>, SearchError> {
    parts.iter().map(build).collect()
}

/// The files of a finished index by name, in name order, with tantivy's random segment
/// name replaced by a fixed one (so that two builds of the same pages are byte-identical).
fn index_files(index: &Index, dir: &RamDirectory) -> Result<Vec<(String, Vec<u8>)>, SearchError> {
    let mut files: Vec<String> = vec!["meta.json".into()];
    let components = [
        SegmentComponent::Postings,
        SegmentComponent::Positions,
        SegmentComponent::FastFields,
        SegmentComponent::FieldNorms,
        SegmentComponent::Terms,
        SegmentComponent::Store,
    ];
    for meta in index.searchable_segment_metas()? {
        for c in components.iter().cloned() {
            let path = meta.relative_path(c);
            if dir.exists(&path).unwrap_or(false) {
                files.push(path.to_string_lossy().into_owned());
            }
        }
    }
    files.sort();
    files.dedup();
    let renames: Vec<(String, String)> = index
        .searchable_segment_metas()?
        .iter()
        .enumerate()
        .flat_map(|(i, meta)| {
            let simple = meta.id().uuid_string();
            let fixed = format!("{:032x}", i + 1);
            let hyphenated = |u: &str| format!("{}-{}-{}-{}-{}", &u[..8], &u[8..12], &u[12..16], &u[16..20], &u[20..]);
            [(hyphenated(&simple), hyphenated(&fixed)), (simple, fixed)]
        })
        .collect();
    let rename = |text: &str| renames.iter().fold(text.to_string(), |t, (from, to)| t.replace(from, to));
    let mut entries: Vec<(String, Vec<u8>)> = Vec::new();
    for name in files {
        let data = dir.open_read(Path::new(&name)).map_err(|e| SearchError::Index(e.to_string()))?;
        let bytes = data.read_bytes().map_err(|e| SearchError::Index(e.to_string()))?.as_slice().to_vec();
        let bytes = if name == "meta.json" { rename(&without_payload(&bytes)).into_bytes() } else { bytes };
        entries.push((rename(&name), bytes));
    }
    entries.sort();
    Ok(entries)
}

/// `meta.json` without its payload: a merge of parts records the parts' random segment
/// ids there, which would make two builds of the same pages differ. Left as it is when
/// there is no payload (an index written at once).
fn without_payload(meta: &[u8]) -> String {
    let text = String::from_utf8_lossy(meta).into_owned();
    match serde_json::from_str::<serde_json::Value>(&text) {
        Ok(mut value) if value.get("payload").is_some_and(|p| !p.is_null()) => {
            value["payload"] = serde_json::Value::Null;
            serde_json::to_string_pretty(&value).unwrap_or(text)
        }
        _ => text,
    }
}

/// An index as it is written: an entry file, and the pages that are not in it.
#[derive(Debug, Clone)]
pub struct Built {
    /// The entry file (`search/<lang>/index.bin` before compression): the header, the
    /// layout of the index's pages, and the pages every query reads (all of them for a
    /// small index).
    pub entry: Vec<u8>,
    /// The folder of the other pages, beside the entry: a fingerprint of the index's
    /// bytes and of where its pages end, so that a page cached from another build is
    /// never read with this entry.
    pub folder: String,
    /// The other pages, by number (`<folder>/<number>.bin`), [`crate::PAGE_SIZE`] bytes
    /// each (a file's last page may be shorter; the document store's and the term
    /// dictionaries' pages end where their blocks end).
    pub pages: Vec<(u32, Vec<u8>)>,
}

/// Cuts the index `files` into pages and writes its entry file: pages every query reads
/// (found by opening the index over recording pages) go into it, or every page when the
/// index is small ([`crate::paged::WHOLE_UP_TO`]).
fn paged(mut header: Header, files: &[(String, Vec<u8>)]) -> Result<Built, SearchError> {
    // The document store's and the term dictionaries' pages end where their blocks do
    // (found by reading every stored document, and every dictionary block, over pages cut
    // at fixed sizes): a block is fetched whole in one page.
    let (fixed, pages) = paged::cut(files, &HashMap::new());
    header.files = fixed;
    let mut ends: HashMap<String, Vec<usize>> = HashMap::new();
    for (name, bytes) in files {
        let blocks = if name.ends_with(".store") {
            crate::engine::ranges_reading_each_document(&header, &pages, name)?
        } else if name.ends_with(".term") {
            crate::engine::ranges_of_term_blocks(&header, &pages, name)?
        } else {
            continue;
        };
        ends.insert(name.clone(), paged::ends_around(&blocks, bytes.len()));
    }
    let (layout, pages) = paged::cut(files, &ends);
    header.folder = fingerprint(files, &layout);
    header.files = layout;
    let total: usize = pages.iter().map(Vec::len).sum();
    let eager: BTreeSet<u32> = if total <= paged::WHOLE_UP_TO {
        (0..pages.len() as u32).collect()
    } else {
        crate::engine::pages_every_query_reads(&header, &pages)?
    };
    let mut entry = Vec::new();
    entry.extend_from_slice(MAGIC);
    let header_json = serde_json::to_vec(&header).map_err(|e| SearchError::Index(e.to_string()))?;
    entry.extend_from_slice(&(header_json.len() as u32).to_le_bytes());
    entry.extend_from_slice(&header_json);
    entry.extend_from_slice(&(eager.len() as u32).to_le_bytes());
    let mut rest = Vec::new();
    for (n, bytes) in pages.into_iter().enumerate() {
        let n = n as u32;
        if eager.contains(&n) {
            entry.extend_from_slice(&n.to_le_bytes());
            entry.extend_from_slice(&(bytes.len() as u32).to_le_bytes());
            entry.extend_from_slice(&bytes);
        } else {
            rest.push((n, bytes));
        }
    }
    Ok(Built { entry, folder: header.folder, pages: rest })
}

/// The folder of an index's pages: a fingerprint of its files' bytes and of where their
/// pages end, so that a page cached from a build that cut them elsewhere is never read.
fn fingerprint(files: &[(String, Vec<u8>)], layout: &[FileLayout]) -> String {
    use std::hash::{DefaultHasher, Hash, Hasher};
    let mut h = DefaultHasher::new();
    files.hash(&mut h);
    for file in layout {
        file.sizes.hash(&mut h);
    }
    format!("{:016x}", h.finish())
}

/// Reads an entry file: its header, and its pages laid out (the others not present).
pub(crate) fn read_entry(bytes: &[u8]) -> Result<(Header, Pages), SearchError> {
    let corrupt = |what: &str| SearchError::Corrupt(what.to_string());
    let rest = bytes.strip_prefix(MAGIC).ok_or_else(|| corrupt("it does not start like a guidebook index"))?;
    let mut r = Reader { bytes: rest };
    let header_len = r.u32()? as usize;
    let header: Header =
        serde_json::from_slice(r.take(header_len)?).map_err(|e| SearchError::Corrupt(e.to_string()))?;
    if header.format != FORMAT {
        return Err(corrupt("it was written by another version of guidebook"));
    }
    let pages = Pages::new(header.files.clone());
    for _ in 0..r.u32()? {
        let number = r.u32()?;
        let len = r.u32()? as usize;
        pages.add(number, r.take(len)?.to_vec());
    }
    Ok((header, pages))
}

struct Reader<'a> {
    bytes: &'a [u8],
}

impl<'a> Reader<'a> {
    fn take(&mut self, n: usize) -> Result<&'a [u8], SearchError> {
        if self.bytes.len() < n {
            return Err(SearchError::Corrupt("the file is cut short".into()));
        }
        let (head, tail) = self.bytes.split_at(n);
        self.bytes = tail;
        Ok(head)
    }

    fn u32(&mut self) -> Result<u32, SearchError> {
        let b = self.take(4)?;
        Ok(u32::from_le_bytes([b[0], b[1], b[2], b[3]]))
    }
}

pub(crate) fn open_index(dir: PagedDirectory, header: &Header) -> Result<(Index, Fields), SearchError> {
    let index = Index::open(dir)?;
    register(index.tokenizers(), &header.lang, header.alt.as_deref());
    let (expected, fields) = schema(&header.lang, header.alt.as_deref());
    if index.schema().fields().count() != expected.fields().count() {
        return Err(SearchError::Corrupt("its fields are not the ones this guidebook writes".into()));
    }
    Ok((index, fields))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Engine, Request};

    fn page(i: usize) -> Document {
        let words = ["probation", "release", "mentoring", "family", "training", "risk", "housing", "youth"];
        let word = |k: usize| words[(i * 5 + k * k) % words.len()];
        let text: Vec<String> = (0..12)
            .map(|k| format!("The {} of {} with {} case{}.", word(k), word(k + 1), word(k + 3), i * 7 + k))
            .collect();
        Document {
            id: format!("pages/p{i:04}"),
            url: format!("pages/p{i:04}/"),
            title: format!("{} in town {i}", word(2)),
            summary: format!("Town {i} on {}.", word(4)),
            kind: ("page".into(), "Page".into()),
            lang: if i % 9 == 0 { "en" } else { "fr" }.into(),
            sections: vec![Section { anchor: String::new(), heading: String::new(), text: text.join(" ") }],
            facts: String::new(),
            facets: vec![],
        }
    }

    fn engine(built: &Built) -> Engine {
        let engine = Engine::open(&built.entry).expect("entry opens");
        for (n, bytes) in &built.pages {
            engine.add_page(*n, bytes.clone());
        }
        engine
    }

    /// An index built in parts and merged answers exactly as one built at once, and its
    /// bytes are the same from one build to the next.
    #[test]
    fn parts_merged_answer_as_one_index() {
        let docs: Vec<Document> = (0..700).map(page).collect();
        let at_once = build_in_parts("fr", "en", &docs, vec![], (usize::MAX, &|| false)).expect("builds");
        let in_parts = build_in_parts("fr", "en", &docs, vec![], (160, &|| false)).expect("builds");
        let again = build_in_parts("fr", "en", &docs, vec![], (160, &|| false)).expect("builds");
        assert_eq!((&in_parts.entry, &in_parts.pages), (&again.entry, &again.pages));
        let (one, parts) = (engine(&at_once), engine(&in_parts));
        for q in ["probation", "family risk", "mentorin", "hosing ", "\"of family\"", "town 421 ", "case3000 "] {
            for limit in [10, 200] {
                let req = Request { q: q.into(), limit, ..Request::default() };
                assert_eq!(parts.search(&req), one.search(&req), "{q:?}, {limit} results");
            }
        }
    }

    /// A build asked to stop gives up at the next step, and not before.
    #[test]
    fn a_build_gives_up_when_asked() {
        use std::sync::atomic::{AtomicUsize, Ordering};
        let docs: Vec<Document> = (0..400).map(page).collect();
        for (steps, stops) in [(0, true), (2, true), (3, true), (4, false)] {
            // 2 parts, then the merge, then the paging: asked 4 times in all.
            let asked = AtomicUsize::new(0);
            let stop = || asked.fetch_add(1, Ordering::SeqCst) >= steps;
            let built = build_in_parts("fr", "en", &docs, vec![], (200, &stop));
            assert_eq!(matches!(built, Err(SearchError::Stopped)), stops, "stopped after {steps} steps");
        }
    }
}
