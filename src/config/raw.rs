//! Load stage: the raw form of `site.yaml`, as serde reads it. Unknown keys are denied;
//! nothing here is checked beyond its shape: the validator does that.

use super::Localized;
use indexmap::IndexMap;
use serde::Deserialize;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawConfig {
    pub(super) title: Localized,
    #[serde(default)]
    pub(super) description: Option<Localized>,
    pub(super) languages: Vec<RawLanguage>,
    #[serde(default)]
    pub(super) base_url: Option<String>,
    #[serde(default)]
    pub(super) theme: Option<String>,
    #[serde(default)]
    pub(super) sections: IndexMap<String, RawSection>,
    #[serde(default)]
    pub(super) kinds: IndexMap<String, RawKind>,
    #[serde(default)]
    pub(super) taxonomies: IndexMap<String, RawTaxonomy>,
    #[serde(default)]
    pub(super) glossary: Option<RawGlossary>,
    #[serde(default)]
    pub(super) ignore: Vec<String>,
    #[serde(default)]
    pub(super) markdown: Option<RawMarkdown>,
    #[serde(default)]
    pub(super) menu: Option<Vec<RawMenuEntry>>,
    #[serde(default)]
    pub(super) footer: Vec<RawMenuEntry>,
    pub(super) favicon: Option<String>,
    #[serde(default)]
    pub(super) branding: Option<super::branding::RawBranding>,
    #[serde(default)]
    pub(super) accessibility: Option<super::statement::RawStatement>,
    #[serde(default)]
    /// `print:`, read as any value: a size written in its place (`print: 200kB`) gets a
    /// message of its own (see `Validator::print`).
    pub(super) print: Option<serde_yaml::Value>,
}

/// An entry of `menu:` or `footer:`.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawMenuEntry {
    #[serde(default)]
    pub(super) section: Option<String>,
    #[serde(default)]
    pub(super) page: Option<String>,
    #[serde(default)]
    pub(super) pages: Option<Vec<RawMenuEntry>>,
    #[serde(default)]
    pub(super) label: Option<Localized>,
}

/// A language as `site.yaml` lists it: a code (`en`), or a code with the locale whose
/// conventions its dates and numbers follow (`{ code: en, locale: en-US }`).
#[derive(Deserialize)]
#[serde(untagged)]
pub(super) enum RawLanguage {
    Code(String),
    Full { code: String, locale: String },
}

impl RawLanguage {
    pub(super) fn code(&self) -> &str {
        match self {
            RawLanguage::Code(c) | RawLanguage::Full { code: c, .. } => c,
        }
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawMarkdown {
    #[serde(default)]
    pub(super) raw_html: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawGlossary {
    pub(super) kind: String,
    #[serde(default)]
    pub(super) fields: IndexMap<String, String>,
}

#[derive(Deserialize, Clone)]
#[serde(untagged)]
pub(super) enum RawTerm {
    Plain(String),
    Named(IndexMap<String, String>),
    /// A number, `true` or nothing, where a name was expected (reported, not guessed).
    Other(serde_yaml::Value),
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawSection {
    #[serde(default)]
    pub(super) title: Option<Localized>,
    #[serde(default)]
    pub(super) kind: Option<String>,
    #[serde(default)]
    pub(super) weight: i64,
    #[serde(default)]
    pub(super) facets: Vec<String>,
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub(super) struct RawKind {
    #[serde(default)]
    pub(super) label: Option<Localized>,
    #[serde(default)]
    pub(super) fields: IndexMap<String, RawField>,
    #[serde(default)]
    pub(super) feed: bool,
    #[serde(default)]
    pub(super) glossary_links: bool,
    #[serde(default)]
    pub(super) related: usize,
    #[serde(default)]
    pub(super) card: Vec<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawField {
    #[serde(rename = "type")]
    pub(super) ty: String,
    #[serde(default)]
    pub(super) required: bool,
    #[serde(default)]
    pub(super) values: Option<Vec<RawTerm>>,
    #[serde(default)]
    pub(super) kind: Option<String>,
    #[serde(default)]
    pub(super) taxonomy: Option<String>,
    #[serde(default)]
    pub(super) of: Option<String>,
    #[serde(default)]
    pub(super) label: Option<Localized>,
    #[serde(default)]
    pub(super) backlink: Option<Localized>,
    #[serde(default)]
    pub(super) hidden: bool,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawTaxonomy {
    #[serde(default)]
    pub(super) title: Option<Localized>,
    #[serde(default)]
    pub(super) terms: Option<Vec<RawTerm>>,
}
