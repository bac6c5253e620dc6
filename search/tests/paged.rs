//! A paged index answers exactly as the whole index does, fetching only some of its pages,
//! in a few rounds.

use guidebook_search::{build_index, Answer, Built, Document, Engine, FacetDim, Request, Response, Section};
use std::cell::RefCell;
use std::collections::{BTreeMap, BTreeSet};
use std::io;
use std::ops::Range;
use std::sync::{Arc, Mutex};
use tantivy::directory::footer::Footer;
use tantivy::directory::{CompositeFile, FileHandle, FileSlice, OwnedBytes};
use tantivy::schema::Field;
use tantivy::HasLen;
use tantivy_sstable::{Dictionary, VoidSSTable};

/// Words of the made-up pages: common ones, a few rare ones, names.
const WORDS: [&str; 24] = [
    "probation",
    "release",
    "prison",
    "mentoring",
    "family",
    "training",
    "staff",
    "risk",
    "assessment",
    "municipality",
    "police",
    "network",
    "exit",
    "programme",
    "youth",
    "education",
    "housing",
    "employment",
    "counselling",
    "radicalisation",
    "prevention",
    "partners",
    "volunteers",
    "evaluation",
];

/// A page whose text draws on [`WORDS`] by a fixed pattern: every word is on many pages,
/// in a different mix and frequency on each.
fn page(i: usize) -> Document {
    let word = |k: usize| WORDS[(i * 7 + k * 13 + k * k) % WORDS.len()];
    let sentences: Vec<String> = (0..40)
        .map(|k| {
            format!(
                "The {} of {} work {} with {} number{}.",
                word(k),
                word(k + 1),
                word(k + 2),
                word(k + 3),
                i * 31 + k
            )
        })
        .collect();
    let country = ["france", "spain", "italy"][i % 3];
    Document {
        id: format!("pages/p{i:04}"),
        url: format!("pages/p{i:04}/"),
        title: format!("{} and {} in town {i}", word(0), word(5)),
        summary: format!("How town {i} works on {}.", word(9)),
        kind: (if i % 4 == 0 { "pilot" } else { "page" }.into(), "Page".into()),
        lang: "en".into(),
        sections: vec![
            Section { anchor: String::new(), heading: String::new(), text: sentences[..20].join(" ") },
            Section { anchor: "more".into(), heading: format!("More on {}", word(3)), text: sentences[20..].join(" ") },
        ],
        facts: format!("Country – {country}"),
        facets: vec![("country".into(), country.into())],
    }
}

fn dims() -> Vec<FacetDim> {
    let values: BTreeMap<String, String> =
        ["france", "spain", "italy"].iter().map(|k| (k.to_string(), k.to_uppercase())).collect();
    vec![FacetDim { name: "country".into(), label: "Country".into(), values }]
}

fn built(pages: usize) -> Built {
    let docs: Vec<Document> = (0..pages).map(page).collect();
    build_index("en", "en", &docs, dims()).expect("index builds")
}

fn whole(built: &Built) -> Engine {
    let engine = Engine::open(&built.entry).expect("entry opens");
    for (n, bytes) in &built.pages {
        engine.add_page(*n, bytes.clone());
    }
    engine
}

const QUERIES: [&str; 10] = [
    "probation",
    "probation release ",
    "mentorin",
    "radicalisaton ",
    "\"family work\" ",
    "town 17 ",
    "number1234 ",
    "housing employment counselling ",
    "nothingatall ",
    "pr",
];

/// Answers `req` as the browser does, from the entry and the pages fetched so far; the
/// pages each round fetched are added to `fetched`.
fn answer_paged(engine: &Engine, built: &Built, req: &Request, fetched: &mut Vec<Vec<u32>>) -> Response {
    let pages: BTreeMap<u32, &Vec<u8>> = built.pages.iter().map(|(n, b)| (*n, b)).collect();
    for _ in 0..8 {
        match engine.answer(req) {
            Answer::Ready(response) => return response,
            Answer::Needs(numbers) => {
                for n in &numbers {
                    engine.add_page(*n, pages[n].clone());
                }
                fetched.push(numbers);
            }
        }
    }
    panic!("{req:?} still needs pages after 8 rounds");
}

#[test]
fn a_paged_index_answers_as_the_whole_one_in_few_rounds() {
    let built = built(400);
    assert!(!built.pages.is_empty(), "400 pages of text make a paged index");
    let full = whole(&built);
    let total = full.page_count() as usize;
    for filters in [vec![], vec![("country".to_string(), "spain".to_string())]] {
        let paged = Engine::open(&built.entry).expect("entry opens");
        let mut all_fetched = BTreeSet::new();
        for (i, q) in QUERIES.iter().enumerate() {
            let req = Request { q: q.to_string(), filters: filters.clone(), limit: 10 };
            let mut rounds = Vec::new();
            let got = answer_paged(&paged, &built, &req, &mut rounds);
            assert_eq!(got, full.search(&req), "{q:?} with {filters:?}");
            // Term blocks, posting lists, the results' text; a typo needs a fourth round
            // for its neighbours' blocks.
            assert!(rounds.len() <= 4, "{q:?} took {} rounds: {rounds:?}", rounds.len());
            all_fetched.extend(rounds.into_iter().flatten());
            if i == 0 {
                assert!(!got.hits.is_empty());
                // The first query reads a small part of the index.
                assert!(all_fetched.len() * 5 < total, "first query fetched {} of {total} pages", all_fetched.len());
            }
        }
        // Pages fetched once are reused: asking again fetches nothing.
        let req = Request { q: QUERIES[0].into(), filters: filters.clone(), limit: 10 };
        assert!(matches!(paged.answer(&req), Answer::Ready(_)));
    }
}

/// Words with typos (one or two edits) take few rounds: the word's own dictionary block,
/// then every block its neighbours may be in (asked for in one round), their posting
/// lists, the results' text.
#[test]
fn words_with_typos_are_answered_in_few_rounds() {
    let built = built(400);
    let full = whole(&built);
    for q in ["mentorign ", "prbation ", "radicalisaton ", "volunters evaluaton ", "mentorng ", "asessment risk "] {
        let engine = Engine::open(&built.entry).expect("entry opens");
        let req = Request { q: q.into(), limit: 10, ..Request::default() };
        let mut rounds = Vec::new();
        let got = answer_paged(&engine, &built, &req, &mut rounds);
        assert_eq!(got, full.search(&req), "{q:?}");
        assert!(!got.hits.is_empty() || q.trim().contains(' '), "{q:?} finds pages despite its typo");
        assert!(rounds.len() <= 4, "{q:?} took {} rounds: {rounds:?}", rounds.len());
    }
}

#[test]
fn a_small_index_is_written_whole() {
    let built = built(3);
    assert!(built.pages.is_empty());
    let engine = Engine::open(&built.entry).expect("entry opens");
    assert!(matches!(engine.answer(&Request { q: "probation".into(), ..Request::default() }), Answer::Ready(_)));
}

#[test]
fn a_page_that_cannot_be_had_is_an_error() {
    let built = built(400);
    let engine = Engine::open(&built.entry).expect("entry opens");
    let asked = RefCell::new(0);
    let response = engine.search_with(&Request { q: "probation".into(), ..Request::default() }, |_| {
        *asked.borrow_mut() += 1;
        None
    });
    let error = response.expect_err("a missing page is an error").to_string();
    assert!(error.starts_with("not a valid search index: page "), "{error}");
    assert!(error.ends_with(" of the index is missing or belongs to another build"), "{error}");
    assert_eq!(*asked.borrow(), 1);
    // Pages of the wrong length (another build's) are refused, and so are page numbers
    // the index does not have.
    let (n, bytes) = &built.pages[0];
    assert!(!engine.add_page(*n, bytes[..bytes.len() / 2].to_vec()));
    assert!(!engine.add_page(u32::MAX, vec![0; 10]));
    assert!(engine.add_page(*n, bytes.clone()));
    assert!(!engine.add_page(*n, bytes.clone()), "a page is added once");
    let again = whole(&built).search(&Request { q: "probation".into(), ..Request::default() });
    assert!(!again.hits.is_empty());
}

/// A file's bytes that note every read, as (start, end) byte offsets.
#[derive(Debug)]
struct Noting {
    bytes: OwnedBytes,
    reads: Mutex<Vec<Range<usize>>>,
}

impl HasLen for Noting {
    fn len(&self) -> usize {
        self.bytes.len()
    }
}

impl FileHandle for Noting {
    fn read_bytes(&self, range: Range<usize>) -> io::Result<OwnedBytes> {
        self.reads.lock().expect("reads").push(range.clone());
        Ok(self.bytes.slice(range))
    }
}

/// Where each block of the term dictionaries of `terms` (a `.term` file, as written) lies,
/// as tantivy's sstable reader finds them in each field's block index.
fn dictionary_blocks(terms: Vec<u8>) -> Vec<Range<usize>> {
    let noting = Arc::new(Noting { bytes: OwnedBytes::new(terms), reads: Mutex::default() });
    let (_, body) = Footer::extract_footer(FileSlice::new(noting.clone())).expect("a segment file's footer");
    let composite = CompositeFile::open(&body).expect("one dictionary per field");
    let mut blocks = Vec::new();
    for id in 0..64 {
        let Some(field) = composite.open_read(Field::from_field_id(id)) else { continue };
        let dictionary = Dictionary::<VoidSSTable>::open(field.split_from_end(4).0).expect("an sstable dictionary");
        noting.reads.lock().expect("reads").clear();
        for (_, block) in dictionary.sstable_index.get_block_for_automaton(&tantivy_fst::automaton::AlwaysMatch) {
            dictionary.sstable_slice.read_bytes_slice(block.byte_range).expect("the block");
        }
        blocks.append(&mut noting.reads.lock().expect("reads"));
    }
    blocks
}

/// The header of an entry file (its JSON) and the pages it holds.
fn entry_parts(entry: &[u8]) -> (serde_json::Value, BTreeMap<u32, Vec<u8>>) {
    let u32_at = |at: usize| u32::from_le_bytes(entry[at..at + 4].try_into().expect("4 bytes")) as usize;
    let header_len = u32_at(6);
    let header = serde_json::from_slice(&entry[10..10 + header_len]).expect("the header");
    let mut at = 10 + header_len;
    let mut pages = BTreeMap::new();
    for _ in 0..u32_at(at) {
        let (number, len) = (u32_at(at + 4), u32_at(at + 8));
        pages.insert(number as u32, entry[at + 12..at + 12 + len].to_vec());
        at += 8 + len;
    }
    (header, pages)
}

/// A term lookup reads one dictionary block: the term dictionaries' pages end where
/// blocks end, so that it fetches one page, never the ends of two.
#[test]
fn term_pages_end_where_dictionary_blocks_end() {
    let built = built(400);
    let (header, mut pages) = entry_parts(&built.entry);
    pages.extend(built.pages.iter().cloned());
    let files = header["files"].as_array().expect("the layout");
    let term = files.iter().find(|f| f["name"].as_str().is_some_and(|n| n.ends_with(".term"))).expect("a term file");
    let first = term["first"].as_u64().expect("its first page") as u32;
    let sizes: Vec<usize> = term["sizes"]
        .as_array()
        .expect("its pages' sizes")
        .iter()
        .filter_map(|s| s.as_u64())
        .map(|s| s as usize)
        .collect();
    let bytes: Vec<u8> = (0..sizes.len() as u32).flat_map(|i| pages[&(first + i)].clone()).collect();
    assert_eq!(bytes.len() as u64, term["len"].as_u64().expect("its length"));
    let ends: Vec<usize> = sizes
        .iter()
        .scan(0, |at, size| {
            *at += size;
            Some(*at)
        })
        .collect();
    let blocks = dictionary_blocks(bytes);
    assert!(blocks.len() > 10, "{} blocks", blocks.len());
    for block in &blocks {
        assert!(!ends.iter().any(|&end| block.start < end && end < block.end), "block {block:?} straddles a page end");
    }
}

/// Several threads searching one engine at once (as `serve` does for a language) each get
/// the whole index's answer: a round's missing pages are never taken by another thread's
/// attempt, and a page another thread added first is not taken for a missing one.
#[test]
fn threads_searching_one_engine_at_once_get_the_whole_indexs_answers() {
    let built = built(400);
    let full = whole(&built);
    let pages: BTreeMap<u32, &Vec<u8>> = built.pages.iter().map(|(n, b)| (*n, b)).collect();
    for _ in 0..3 {
        let engine = Engine::open(&built.entry).expect("entry opens");
        std::thread::scope(|s| {
            for t in 0..4 {
                let (engine, pages, full) = (&engine, &pages, &full);
                s.spawn(move || {
                    for q in QUERIES.iter().cycle().skip(t * 3).take(QUERIES.len()) {
                        let req = Request { q: q.to_string(), limit: 10, ..Request::default() };
                        let got = engine.search_with(&req, |n| pages.get(&n).map(|b| b.to_vec()));
                        assert_eq!(got.expect("every page is there"), full.search(&req), "{q:?}");
                    }
                });
            }
        });
    }
}
