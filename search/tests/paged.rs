//! A paged index answers exactly as the whole index does, fetching only some of its pages,
//! in a few rounds.

use guidebook_search::{build_index, Answer, Built, Document, Engine, FacetDim, Request, Response, Section};
use std::cell::RefCell;
use std::collections::{BTreeMap, BTreeSet};

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
            // Term blocks, posting lists, the results' text; a typo or a prefix may need
            // a fourth round when `known` first misses its term's block.
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

#[test]
fn words_with_typos_are_answered_however_many_rounds_they_take() {
    let built = built(400);
    let full = whole(&built);
    let pages: BTreeMap<u32, &Vec<u8>> = built.pages.iter().map(|(n, b)| (*n, b)).collect();
    for q in ["mentorign ", "prbation ", "radicalisaton ", "volunters evaluaton "] {
        let engine = Engine::open(&built.entry).expect("entry opens");
        let req = Request { q: q.into(), limit: 10, ..Request::default() };
        let got = engine.search_with(&req, |n| pages.get(&n).map(|b| b.to_vec())).expect("every page is there");
        assert_eq!(got, full.search(&req), "{q:?}");
        assert!(!got.hits.is_empty() || q.trim().contains(' '), "{q:?} finds pages despite its typo");
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
