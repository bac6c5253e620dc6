//! guidebook's search engine, the same code natively (`guidebook build`, `guidebook
//! search`, `serve`'s `/api/search`) and in the reader's browser (WebAssembly), so every
//! place answers a query with the same ranked pages.
//!
//! An index is built once per language at build time ([`build_index`]) and shipped as an
//! entry file and pages ([`Built`]; see the `paged` module): [`Engine::open`] opens the
//! entry, and [`Engine::answer`] answers [`Request`]s or names the pages it needs first
//! (the reader's browser fetches only those), [`Engine::search_with`] fetching them. Queries are never handed to tantivy's query parser: they are
//! tokenized with the language's analyzer and turned into queries here, with caps on
//! length and terms.

pub mod analysis;
mod bundle;
mod engine;
mod paged;
mod query;
mod schema;
mod snippet;
mod termdict;

pub use bundle::{build_index, build_index_unless, Built, Document, FacetDim, Section};
pub use engine::{Answer, Engine, FacetCount, FacetValueCount, Heading, Hit, Request, Response, Snippet};
pub use paged::{PAGE_SIZE, WHOLE_UP_TO};

/// Why an index could not be built or opened.
#[derive(Debug)]
pub enum SearchError {
    /// The bundle is not a guidebook search index (or is damaged).
    Corrupt(String),
    /// tantivy failed.
    Index(String),
    /// The caller asked the build to stop (see [`build_index_unless`]).
    Stopped,
}

impl std::fmt::Display for SearchError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            SearchError::Corrupt(m) => write!(f, "not a valid search index: {m}"),
            SearchError::Index(m) => write!(f, "search index error: {m}"),
            SearchError::Stopped => write!(f, "the search index was given up, as asked"),
        }
    }
}

impl std::error::Error for SearchError {}

impl From<tantivy::TantivyError> for SearchError {
    fn from(e: tantivy::TantivyError) -> Self {
        SearchError::Index(e.to_string())
    }
}

/// Longest query read, in bytes; the rest is ignored.
pub const MAX_QUERY_BYTES: usize = 256;
/// Most words (and quoted phrases) read from a query.
pub const MAX_QUERY_TERMS: usize = 16;
/// Most results returned at once.
pub const MAX_LIMIT: usize = 100;
