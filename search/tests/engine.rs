//! The engine on small indexes in several languages: what readers type, what they find.

use guidebook_search::{build_index, Document, Engine, FacetDim, Request, Section};
use std::collections::BTreeMap;
use std::time::{Duration, Instant};

fn doc(id: &str, lang: &str, title: &str, text: &str, kind: &str, country: &str) -> Document {
    Document {
        id: id.into(),
        url: format!("{id}/"),
        title: title.into(),
        summary: String::new(),
        kind: (kind.into(), kind.replace('_', " ")),
        lang: lang.into(),
        sections: vec![
            Section { anchor: String::new(), heading: String::new(), text: text.into() },
            Section { anchor: "results".into(), heading: "Results".into(), text: format!("{title} results") },
        ],
        facts: String::new(),
        facets: vec![("country".into(), country.into())],
    }
}

fn countries() -> Vec<FacetDim> {
    let values: BTreeMap<String, String> =
        [("france", "France"), ("spain", "Spain")].iter().map(|(k, v)| (k.to_string(), v.to_string())).collect();
    vec![FacetDim { name: "country".into(), label: "Country".into(), values }]
}

fn engine(lang: &str, docs: &[Document]) -> Engine {
    let built = build_index(lang, "en", docs, countries()).expect("index builds");
    let engine = Engine::open(&built.entry).expect("index opens");
    for (n, page) in built.pages {
        engine.add_page(n, page);
    }
    engine
}

fn ids(engine: &Engine, q: &str) -> Vec<String> {
    engine.search(&Request { q: q.into(), limit: 10, ..Request::default() }).hits.into_iter().map(|h| h.id).collect()
}

fn french() -> Engine {
    engine(
        "fr",
        &[
            doc(
                "pilots/clichy",
                "fr",
                "Clichy-sous-Bois",
                "Une formation des agents municipaux à la prévention.",
                "pilot_sheet",
                "france",
            ),
            doc(
                "pilots/malaga",
                "fr",
                "Málaga",
                "La ville a formé ses travailleurs de terrain.",
                "pilot_sheet",
                "spain",
            ),
            doc(
                "recommendations/training",
                "fr",
                "La formation, encore",
                "Former les professionnels de la probation.",
                "recommendation",
                "france",
            ),
            doc(
                "pilots/sarcelles",
                "en",
                "Sarcelles",
                "A citizenship week for young offenders.",
                "pilot_sheet",
                "france",
            ),
        ],
    )
}

#[test]
fn french_words_are_found_by_their_stem() {
    let e = french();
    assert_eq!(ids(&e, "formations "), ["recommendations/training", "pilots/clichy"]);
}

#[test]
fn accents_are_optional() {
    let e = french();
    assert_eq!(ids(&e, "malaga "), ["pilots/malaga"]);
    assert_eq!(ids(&e, "prevention "), ["pilots/clichy"]);
}

#[test]
fn typos_are_forgiven_from_five_letters() {
    let e = french();
    assert_eq!(ids(&e, "formatoin "), ["recommendations/training", "pilots/clichy"]);
    assert!(ids(&e, "vile ").is_empty(), "four letters: no typo allowed");
}

#[test]
fn the_last_word_matches_as_a_prefix_while_typing() {
    let e = french();
    assert_eq!(ids(&e, "citizen"), ["pilots/sarcelles"]);
    assert!(ids(&e, "citiz ").is_empty(), "a finished word is not a prefix");
}

#[test]
fn untranslated_pages_are_found_in_their_own_language() {
    let e = french();
    assert_eq!(ids(&e, "offenders "), ["pilots/sarcelles"]);
    let hit = e.search(&Request { q: "offenders".into(), limit: 5, ..Request::default() }).hits.remove(0);
    assert_eq!(hit.lang, "en");
}

#[test]
fn phrases_need_their_words_together() {
    let e = engine(
        "en",
        &[
            doc("a", "en", "A", "case management for offenders", "pilot_sheet", "france"),
            doc("b", "en", "B", "management of the case files", "pilot_sheet", "spain"),
        ],
    );
    assert_eq!(ids(&e, "\"case management\""), ["a"]);
    let mut both = ids(&e, "case management ");
    both.sort();
    assert_eq!(both, ["a", "b"]);
}

/// A phrase's stop words are not searched, but they keep their place: the other words
/// must stand as far apart as in the phrase.
#[test]
fn phrases_keep_the_place_of_their_stop_words() {
    let e = engine(
        "en",
        &[
            doc("a", "en", "A", "Training for prison and probation staff.", "pilot_sheet", "france"),
            doc("b", "en", "B", "Prison, probation and the police.", "pilot_sheet", "spain"),
        ],
    );
    assert_eq!(ids(&e, "\"prison and probation staff\""), ["a"]);
    assert_eq!(ids(&e, "\"prison and probation\""), ["a"]);
    assert_eq!(ids(&e, "\"prison probation\""), ["b"], "no word between them");
    assert!(ids(&e, "\"probation the police\"").is_empty(), "two words between them in the text");
    let fr = engine("fr", &[doc("c", "fr", "C", "Un programme de sortie pour les jeunes.", "pilot_sheet", "france")]);
    assert_eq!(ids(&fr, "\"programme de sortie\""), ["c"]);
    assert!(ids(&fr, "\"sortie programme\"").is_empty());
}

#[test]
fn facets_filter_and_count() {
    let e = french();
    let all = e.search(&Request { q: "formation ".into(), limit: 10, ..Request::default() });
    let country = all.facets.iter().find(|f| f.name == "country").expect("country facet");
    assert_eq!(country.values.iter().map(|v| (v.label.as_str(), v.count)).collect::<Vec<_>>(), [("France", 2)]);
    let kinds = all.facets.iter().find(|f| f.name == "kind").expect("kind facet");
    assert_eq!(kinds.values.len(), 2);
    let filtered =
        e.search(&Request { q: "formation ".into(), filters: vec![("kind".into(), "pilot_sheet".into())], limit: 10 });
    assert_eq!(filtered.hits.iter().map(|h| h.id.as_str()).collect::<Vec<_>>(), ["pilots/clichy"]);
    assert_eq!(filtered.total, 1);
}

#[test]
fn snippets_mark_matches_by_utf16_ranges_and_point_to_the_best_heading() {
    let e = french();
    let hit = e.search(&Request { q: "prévention ".into(), limit: 1, ..Request::default() }).hits.remove(0);
    let text: Vec<u16> = hit.snippet.text.encode_utf16().collect();
    let marked: Vec<String> =
        hit.snippet.highlights.iter().map(|[a, b]| String::from_utf16_lossy(&text[*a..*b])).collect();
    assert_eq!(marked, ["prévention"]);
    let hit = e.search(&Request { q: "results ".into(), limit: 1, ..Request::default() }).hits.remove(0);
    assert_eq!(hit.heading.map(|h| h.anchor), Some("results".to_string()));
}

#[test]
fn hostile_queries_give_empty_results_quickly() {
    let e = french();
    let started = Instant::now();
    for q in [
        String::new(),
        "   ".into(),
        "!!! ??? ... ---".into(),
        "- *".into(),
        "(".repeat(1000) + &")".repeat(1000),
        "x".repeat(10 * 1024),
        "\u{0}\u{1}\u{7}\u{1b}[31m".into(),
        "AND OR NOT title:foo^3 ~2 [a TO b]".into(),
        "Αθήνα Софія 東京 مرحبا 🙂".into(),
        "\"unclosed phrase".into(),
        "\"\"\"".into(),
    ] {
        let r = e.search(&Request { q: q.clone(), limit: 10, ..Request::default() });
        assert!(r.hits.is_empty() || q.starts_with("AND"), "{q:?} found {:?}", r.hits);
    }
    // A generous bound that only a hang or an exponential blow-up would break.
    assert!(started.elapsed() < Duration::from_secs(20));
}

#[test]
fn a_damaged_bundle_is_an_error_not_a_crash() {
    let bundle =
        build_index("en", "en", &[doc("a", "en", "A", "text", "page", "france")], countries()).expect("builds").entry;
    assert!(Engine::open(b"not an index").is_err());
    assert!(Engine::open(&bundle[..bundle.len() / 2]).is_err());
    let mut flipped = bundle.clone();
    let n = flipped.len();
    flipped[n - 10] ^= 0xff;
    // A flipped byte inside the data may or may not be detected, but never panics.
    let _ = Engine::open(&flipped).map(|e| e.search(&Request { q: "text".into(), limit: 5, ..Request::default() }));
}

#[test]
fn greek_and_bulgarian() {
    let el = engine("el", &[doc("a", "el", "Αθήνα", "Η φυλακή της Αθήνας και η επανένταξη.", "page", "france")]);
    assert_eq!(ids(&el, "αθηνα "), ["a"]);
    let bg = engine("bg", &[doc("b", "bg", "София", "Програма „Насърчаване на толерантност“.", "page", "france")]);
    assert_eq!(ids(&bg, "толерантност "), ["b"]);
    assert_eq!(ids(&bg, "софия "), ["b"]);
}

#[test]
fn facts_are_found_in_the_index_language_below_titles_and_above_text() {
    let tagged = Document {
        facts: "Thèmes – formation; Pays – Espagne".into(),
        ..doc("pilots/malaga", "en", "Málaga", "Exit strategies.", "pilot_sheet", "spain")
    };
    let titled = doc("recommendations/training", "fr", "Formation", "Former les agents.", "recommendation", "france");
    let mentioned = doc("pilots/clichy", "fr", "Clichy", "Une formation, une autre.", "pilot_sheet", "france");
    let fr = engine("fr", &[tagged, titled, mentioned]);
    // An untranslated page's facts are in the reader's language, stemmed as such.
    assert_eq!(ids(&fr, "formations "), ["recommendations/training", "pilots/malaga", "pilots/clichy"]);
    let hit = &fr.search(&Request { q: "espagne ".into(), limit: 10, ..Request::default() }).hits[0];
    assert_eq!((hit.id.as_str(), hit.snippet.text.as_str()), ("pilots/malaga", "Pays – Espagne"));
}
