//! Queries as readers type them, answered from the shipped guidebook's index: the query
//! reader and builder, then the search and its snippets. The first byte picks a filter and
//! a limit; the rest is the query.
#![no_main]

use guidebook_search::{Engine, Request};
use libfuzzer_sys::fuzz_target;
use std::sync::OnceLock;

fn engine() -> Option<&'static Engine> {
    static ENGINE: OnceLock<Option<Engine>> = OnceLock::new();
    ENGINE
        .get_or_init(|| {
            guidebook::fuzzing::search_engine(&std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../.."))
        })
        .as_ref()
}

fuzz_target!(|data: &[u8]| {
    let Some(engine) = engine() else { return };
    let Some((&first, rest)) = data.split_first() else { return };
    let Ok(q) = std::str::from_utf8(rest) else { return };
    let filters = match first % 4 {
        0 => vec![],
        1 => vec![("kind".to_string(), "pilot_sheet".to_string())],
        2 => vec![("country".to_string(), "france".to_string())],
        _ => vec![("kind".to_string(), q.to_string())],
    };
    let limit = usize::from(first / 4);
    let response = engine.search(&Request { q: q.to_string(), filters, limit });
    // The engine answers between 1 and MAX_LIMIT hits, whatever was asked.
    assert!(response.hits.len() <= limit.clamp(1, guidebook_search::MAX_LIMIT));
});
