//! The schema of an index (its fields, their analyzers and boosts) and how a page
//! becomes a tantivy document in it: what is searched, and how much each part counts.

use crate::analysis::{analyzer, analyzer_name, prefix_analyzer, PREFIX_ANALYZER};
use crate::bundle::Document;
use tantivy::doc;
use tantivy::schema::{
    Facet, FacetOptions, Field, IndexRecordOption, Schema, TextFieldIndexing, TextOptions, STORED, STRING,
};
use tantivy::tokenizer::TokenizerManager;

/// The fields of an index.
#[derive(Clone, Copy)]
pub(crate) struct Fields {
    pub id: Field,
    pub url: Field,
    pub title_stored: Field,
    pub summary_stored: Field,
    pub kind_label: Field,
    pub content_lang: Field,
    pub sections: Field,
    pub facets: Field,
    /// title, headings, summary, body in the index's language.
    pub text: [Field; 4],
    /// The same in the default language, for untranslated pages.
    pub alt: Option<[Field; 4]>,
    /// The facts box, in the index's language (also for untranslated pages: its labels,
    /// term names and page titles are the reader's).
    pub facts: Field,
    /// Title and all text, folded but not stemmed, for typos and prefixes.
    pub raw: [Field; 2],
    /// The words of the title written in capitals (acronyms and programme names: `PAIRS`,
    /// `NIC`), folded: a query word that is one of them ranks the page first.
    pub names: Field,
}

/// Boosts of title, headings, summary and body.
pub(crate) const BOOSTS: [f32; 4] = [3.0, 2.0, 1.5, 1.0];
/// Boosts of the raw title and text.
pub(crate) const RAW_BOOSTS: [f32; 2] = [3.0, 1.0];
/// Boost of a query word that is a name the title writes in capitals: more than a title
/// match (3.0) in every text field, so that "PAIRS" finds the PAIRS programme before
/// pages on "support pairs".
pub(crate) const NAME_BOOST: f32 = 12.0;
/// Boost of the facts box (taxonomy terms, enum values, referenced pages, labels, plain
/// values): what a page is filed under, chosen by its editor like its summary, so as
/// telling a word for word as the summary (1.5) and more than body text (1.0); but below
/// the title (3.0) and headings (2.0), which name the page and its parts, whereas a label
/// or a term is shared by many pages (a page *about* training outranks one tagged with it).
pub(crate) const FACTS_BOOST: f32 = 1.5;
const TEXT_NAMES: [&str; 4] = ["title", "headings", "summary", "body"];

fn text_options(analyzer: &str) -> TextOptions {
    indexed(analyzer, IndexRecordOption::WithFreqsAndPositions)
}

fn indexed(analyzer: &str, record: IndexRecordOption) -> TextOptions {
    TextOptions::default()
        .set_indexing_options(TextFieldIndexing::default().set_tokenizer(analyzer).set_index_option(record))
}

pub(crate) fn schema(lang: &str, alt: Option<&str>) -> (Schema, Fields) {
    let mut b = Schema::builder();
    let id = b.add_text_field("id", STRING | STORED);
    let url = b.add_text_field("url", STORED);
    let title_stored = b.add_text_field("title_shown", STORED);
    let summary_stored = b.add_text_field("summary_shown", STORED);
    let kind_label = b.add_text_field("kind_label", STORED);
    let content_lang = b.add_text_field("lang", STORED);
    let sections = b.add_text_field("sections", STORED);
    let facets = b.add_facet_field("facets", FacetOptions::default());
    let main = analyzer_name(lang);
    let text = TEXT_NAMES.map(|n| b.add_text_field(n, text_options(&main)));
    let alt = alt.map(|a| {
        let name = analyzer_name(a);
        TEXT_NAMES.map(|n| b.add_text_field(&format!("{n}_alt"), text_options(&name)))
    });
    let facts = b.add_text_field("facts", text_options(&main) | STORED);
    // Typos and prefixes never need positions: phrases are matched on the stemmed fields.
    let raw =
        ["title_raw", "text_raw"].map(|n| b.add_text_field(n, indexed(PREFIX_ANALYZER, IndexRecordOption::WithFreqs)));
    let names = b.add_text_field("title_names", indexed(PREFIX_ANALYZER, IndexRecordOption::Basic));
    (
        b.build(),
        Fields {
            id,
            url,
            title_stored,
            summary_stored,
            kind_label,
            content_lang,
            sections,
            facets,
            text,
            alt,
            facts,
            raw,
            names,
        },
    )
}

pub(crate) fn register(tokenizers: &TokenizerManager, lang: &str, alt: Option<&str>) {
    tokenizers.register(&analyzer_name(lang), analyzer(lang));
    if let Some(a) = alt {
        tokenizers.register(&analyzer_name(a), analyzer(a));
    }
    tokenizers.register(PREFIX_ANALYZER, prefix_analyzer());
}

/// The tantivy document of page `d` in the index of `lang`.
pub(crate) fn document(d: &Document, lang: &str, f: &Fields) -> tantivy::TantivyDocument {
    let text_fields = match (d.lang == lang, f.alt) {
        (false, Some(alt)) => alt,
        _ => f.text,
    };
    let headings: Vec<&str> = d.sections.iter().map(|s| s.heading.as_str()).collect();
    let body: Vec<&str> = d.sections.iter().map(|s| s.text.as_str()).collect();
    let mut document = doc!(
        f.id => d.id.clone(),
        f.url => d.url.clone(),
        f.title_stored => d.title.clone(),
        f.summary_stored => d.summary.clone(),
        f.kind_label => d.kind.1.clone(),
        f.content_lang => d.lang.clone(),
        f.sections => serde_json::to_string(&d.sections).unwrap_or_default(),
        text_fields[0] => d.title.clone(),
        text_fields[1] => headings.join("\n"),
        text_fields[2] => d.summary.clone(),
        text_fields[3] => body.join("\n"),
        f.raw[0] => d.title.clone(),
        f.facts => d.facts.clone(),
        f.raw[1] => format!("{}\n{}\n{}\n{}", headings.join("\n"), d.summary, body.join("\n"), d.facts),
        f.names => capitalised_names(&d.title),
    );
    document.add_facet(f.facets, Facet::from_path(["kind", d.kind.0.as_str()]));
    for (dim, value) in &d.facets {
        document.add_facet(f.facets, Facet::from_path([dim.as_str(), value.as_str()]));
    }
    document
}

/// The words of `title` written in capitals, two letters or more (`PAIRS`, `NIC/CASA`,
/// `Team TER`), separated by spaces: acronyms and the names of programmes.
fn capitalised_names(title: &str) -> String {
    title
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| w.chars().filter(|c| c.is_alphabetic()).count() >= 2 && !w.chars().any(char::is_lowercase))
        .collect::<Vec<_>>()
        .join(" ")
}
