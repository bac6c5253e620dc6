//! Load stage: `site.yaml` becomes a validated [`Config`] (strict: unknown keys are errors).
//!
//! The raw serde structs (`raw.rs`) mirror the file; the validator (`validate.rs`, with
//! kinds and their fields in `kinds.rs`) turns them into the types of this file, which the
//! rest of the code trusts: languages are [`Lang`] values, field types are [`FieldType`]s
//! whose referenced kinds and taxonomies exist.

pub(crate) mod branding;
mod kinds;
pub(crate) use kinds::is_reference;

/// The columns the open-data CSV gives every page before its fields
/// (`src/render/family/open_data.rs`), which no field may take; `title`, `summary` and
/// `date` are common fields, which no kind may declare anyway.
pub(crate) const DATA_COLUMNS: [&str; 4] = ["id", "page_url", "language", "translation"];
pub(crate) mod menu;
pub(crate) mod print;
mod raw;
mod reserved;
pub(crate) mod statement;
mod texts;
mod validate;

pub(crate) use reserved::check_reserved;
pub(crate) use validate::load;

use crate::error::Error;
pub(crate) use crate::lang::Lang;
use indexmap::IndexMap;
use serde::Deserialize;
use std::collections::BTreeMap;

/// Where the site configuration lives, relative to the site root.
pub(crate) const CONFIG_FILE: &str = "site.yaml";

/// Reads `site.yaml` of the site at `root` as text ([`crate::decode::decode_text`]).
/// `Ok(None)` when it is not UTF-8 text (saved as UTF-16, or in a legacy encoding), the
/// problem reported in `diags` at its place in `site.yaml`.
///
/// # Errors
/// [`Error::NotASite`] when `root` has no `site.yaml`, [`Error::Io`] when it cannot be read.
pub(crate) fn read(
    root: &std::path::Path,
    diags: &mut crate::diagnostics::Diagnostics,
) -> Result<Option<String>, Error> {
    let path = root.join(CONFIG_FILE);
    if !path.is_file() {
        return Err(Error::NotASite(root.to_path_buf()));
    }
    let bytes = std::fs::read(&path).map_err(|e| Error::io(&path, e))?;
    match crate::decode::decode_text(&bytes) {
        Ok(text) => Ok(Some(text)),
        Err((pos, code, message)) => {
            diags.error(CONFIG_FILE, pos, code, message);
            Ok(None)
        }
    }
}

/// Fields every page may have, whatever its kind.
pub(crate) const COMMON_FIELDS: [&str; 8] =
    ["title", "summary", "weight", "draft", "date", "aliases", "kind", "translated_from"];

/// The kind of home pages, section pages and pages in sections that name no kind.
pub(crate) const DEFAULT_KIND: &str = "page";

/// A text given once for all languages, or per language.
#[derive(Debug, Clone, Deserialize, PartialEq)]
#[serde(untagged)]
pub(crate) enum Localized {
    /// The same text in every language.
    One(String),
    /// One text per language code.
    Many(IndexMap<String, String>),
}

impl Localized {
    /// The text in `lang`, else in `default`.
    pub(crate) fn get(&self, lang: &Lang, default: &Lang) -> Option<&str> {
        match self {
            Localized::One(s) => Some(s),
            Localized::Many(m) => m.get(lang.as_str()).or_else(|| m.get(default.as_str())).map(String::as_str),
        }
    }
}

/// The type of a front-matter field, as declared in `site.yaml`.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum FieldType {
    /// Any text.
    String,
    /// A whole number.
    Int,
    /// A calendar date, `YYYY-MM-DD`.
    Date,
    /// `true` or `false`.
    Bool,
    /// An absolute `http` or `https` address.
    Url,
    /// One of a fixed list of values, each with its names in other languages
    /// (`values: [policy, { en: suggestion, fr: suggestion }]`), as taxonomy terms are.
    Enum(Vec<Term>),
    /// The id of a page of the named kind.
    Ref(String),
    /// One or more terms of the named taxonomy.
    Taxonomy(String),
    /// A list of values of the inner type.
    List(Box<FieldType>),
}

impl FieldType {
    /// The values of an enum field, or of a list of enum values; `None` for other types.
    pub(crate) fn choices(&self) -> Option<&[Term]> {
        match self {
            FieldType::Enum(choices) => Some(choices),
            FieldType::List(inner) => inner.choices(),
            _ => None,
        }
    }

    /// Whether a value of this type is a fact that no language changes (a number, date,
    /// boolean, enum value, reference or taxonomy term, or a list of them), which a
    /// translation takes from its original; text and web addresses are written per language.
    pub(crate) fn is_fact(&self) -> bool {
        match self {
            FieldType::String | FieldType::Url => false,
            FieldType::List(inner) => inner.is_fact(),
            _ => true,
        }
    }

    /// How the type is named to editors.
    pub(crate) fn describe(&self) -> String {
        match self {
            FieldType::String => "text".into(),
            FieldType::Int => "a whole number".into(),
            FieldType::Date => "a date (YYYY-MM-DD)".into(),
            FieldType::Bool => "`true` or `false`".into(),
            FieldType::Url => "a web address (https://...)".into(),
            FieldType::Enum(v) => format!("one of {}", quote_list(&keys(v))),
            FieldType::Ref(k) => format!("the id of a `{k}` page"),
            FieldType::Taxonomy(t) => format!("one or more `{t}` terms"),
            FieldType::List(inner) => format!("a list of {}", inner.describe_plural()),
        }
    }

    fn describe_plural(&self) -> String {
        match self {
            FieldType::String => "texts".into(),
            FieldType::Int => "whole numbers".into(),
            FieldType::Date => "dates (YYYY-MM-DD)".into(),
            FieldType::Bool => "`true` or `false` values".into(),
            FieldType::Url => "web addresses".into(),
            FieldType::Enum(v) => format!("values from {}", quote_list(&keys(v))),
            FieldType::Ref(k) => format!("ids of `{k}` pages"),
            other => other.describe(),
        }
    }
}

/// Why `value` is not one of an enum field's `values`: a "did you mean", or, when it is a
/// value's name in another language, which value to write.
pub(crate) fn unknown_value(field: &str, value: &str, values: &[Term]) -> String {
    let translated = values
        .iter()
        .find_map(|v| v.names.iter().find(|(_, n)| *n == value).map(|(l, _)| (l, &v.key)))
        .map(|(lang, key)| format!(" (`{value}` is its `{lang}` name for `{key}`: write `{key}` in every language)"));
    let h = translated.unwrap_or_else(|| crate::diagnostics::hint(value, values.iter().map(|v| v.key.as_str())));
    format!("`{value}` is not an allowed value of `{field}`{h}; allowed: {}", quote_list(&keys(values)))
}

/// The keys of `terms` (their names in the default language), in order.
pub(crate) fn keys(terms: &[Term]) -> Vec<String> {
    terms.iter().map(|t| t.key.clone()).collect()
}

/// "`a`, `b` or `c`"
pub(crate) fn quote_list(items: &[String]) -> String {
    let quoted: Vec<String> = items.iter().map(|s| format!("`{s}`")).collect();
    match quoted.split_last() {
        None => String::new(),
        Some((last, [])) => last.clone(),
        Some((last, rest)) => format!("{} or {last}", rest.join(", ")),
    }
}

/// A field declared for a kind.
#[derive(Debug, Clone)]
pub(crate) struct FieldSpec {
    /// The value's type.
    pub ty: FieldType,
    /// Whether every page of the kind must set it.
    pub required: bool,
    /// How the field is labelled on pages.
    pub label: Option<Localized>,
    /// For references: how the list of pages pointing here through this field is labelled
    /// on the target page ("Pilot sheets that illustrate this recommendation").
    pub backlink: Option<Localized>,
    /// `hidden: true`: editor metadata (an ISO code, a sort key) that is checked and
    /// published in the section's open data but not shown to readers: not in the facts
    /// box, not on cards, not a facet, not searched. References of a hidden field still give
    /// backlinks.
    pub hidden: bool,
}

/// A kind of page and its fields, in declaration order.
#[derive(Debug, Clone, Default)]
pub(crate) struct KindConfig {
    /// How pages of this kind are labelled.
    pub label: Option<Localized>,
    /// The kind's own fields.
    pub fields: IndexMap<String, FieldSpec>,
    /// Whether pages of this kind are listed in each language's Atom feed.
    pub feed: bool,
    /// Whether the first mention of a glossary term in these pages links to its entry.
    pub glossary_links: bool,
    /// How many related pages of the same kind each page lists (0: none).
    pub related: usize,
    /// The fields shown on the cards of its pages, in order (`card:`), joined by ` · `.
    pub card: Vec<String>,
}

/// A section: a folder of `content/` holding pages of one kind.
#[derive(Debug, Clone)]
pub(crate) struct SectionConfig {
    /// The section's title, unless its `_index` page gives one.
    pub title: Option<Localized>,
    /// The kind of its pages, unless a page sets `kind`.
    pub kind: String,
    /// Order in navigation (lower first).
    pub weight: i64,
    /// Fields of the section's kind that readers can filter its pages by.
    pub facets: Vec<String>,
}

/// A term of a taxonomy, with its name in each language.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Term {
    /// The name in the default language, as front matter writes it.
    pub key: String,
    /// Its address segment (`risk-assessment`).
    pub slug: String,
    /// Names in other languages.
    pub names: IndexMap<String, String>,
}

impl Term {
    /// The term among `terms` written `key`.
    pub(crate) fn find<'a>(terms: &'a [Term], key: &str) -> Option<&'a Term> {
        terms.iter().find(|t| t.key == key)
    }

    /// How the value `key` of `terms` is named in `lang`: its name there, else its key
    /// with `_` read as a space (`national_agency` is "national agency").
    pub(crate) fn name_of(terms: &[Term], key: &str, lang: &Lang) -> String {
        match Term::find(terms, key) {
            Some(t) if t.names.contains_key(lang.as_str()) => t.name(lang).to_string(),
            _ => key.replace('_', " "),
        }
    }

    /// The term's name in `lang`, else its key.
    pub(crate) fn name(&self, lang: &Lang) -> &str {
        self.names.get(lang.as_str()).map_or(self.key.as_str(), String::as_str)
    }
}

/// A taxonomy: a shared vocabulary of terms.
#[derive(Debug, Clone)]
pub(crate) struct TaxonomyConfig {
    /// Its title.
    pub title: Option<Localized>,
    /// The allowed terms, when the taxonomy is closed.
    pub terms: Option<Vec<Term>>,
}

impl TaxonomyConfig {
    /// The declared term written `key`.
    pub(crate) fn term(&self, key: &str) -> Option<&Term> {
        Term::find(self.terms.as_deref()?, key)
    }
}

/// The kind whose pages form the glossary, and the fields it reads.
#[derive(Debug, Clone)]
pub(crate) struct GlossaryConfig {
    /// The glossary kind.
    pub kind: String,
    /// The names of the glossary kind's fields that the glossary reads.
    pub fields: GlossaryFields,
}

/// `glossary: { fields: ... }`: which fields of the glossary kind say what. Each name
/// defaults to the role's own name (`acronym: acronym`). A name given in `site.yaml` must
/// be a field of the glossary kind; a default name that the kind does not declare leaves
/// that role unused. A declared field must have the role's type ([`GlossaryFields::ROLES`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct GlossaryFields {
    /// Text: the entry's acronym (`PSP`), linked where it appears as written.
    pub acronym: String,
    /// A list of texts: other spellings of the term, linked like its title.
    pub variants: String,
    /// Text: what the acronym stands for, shown in its `<abbr>` (else the entry's title).
    pub expansion: String,
    /// A reference or a list of references: set on an entry that lists the meanings of
    /// an acronym shared by several entries; the acronym then links to it.
    pub disambiguation: String,
}

impl Default for GlossaryFields {
    fn default() -> Self {
        GlossaryFields {
            acronym: "acronym".into(),
            variants: "variants".into(),
            expansion: "expansion".into(),
            disambiguation: "disambiguation".into(),
        }
    }
}

impl GlossaryFields {
    /// The roles, by their key under `fields:`, with how their type is named to editors.
    pub(crate) const ROLES: [(&'static str, &'static str); 4] = [
        ("acronym", "text (`type: string`)"),
        ("variants", "a list of texts (`type: list, of: string`)"),
        ("expansion", "text (`type: string`)"),
        ("disambiguation", "a reference (`type: ref`, or a list of them)"),
    ];

    /// The field name given to `role` (one of the keys of [`Self::ROLES`]).
    pub(super) fn name_mut(&mut self, role: &str) -> Option<&mut String> {
        match role {
            "acronym" => Some(&mut self.acronym),
            "variants" => Some(&mut self.variants),
            "expansion" => Some(&mut self.expansion),
            "disambiguation" => Some(&mut self.disambiguation),
            _ => None,
        }
    }

    /// Whether a field of type `ty` can play `role`.
    pub(super) fn fits(role: &str, ty: &FieldType) -> bool {
        match role {
            "acronym" | "expansion" => matches!(ty, FieldType::String),
            "variants" => matches!(ty, FieldType::List(inner) if matches!(inner.as_ref(), FieldType::String)),
            _ => {
                matches!(ty, FieldType::Ref(_))
                    || matches!(ty, FieldType::List(inner) if matches!(inner.as_ref(), FieldType::Ref(_)))
            }
        }
    }
}

/// Index of a kind in [`Config::kinds`] (declaration order; `page` is last unless
/// `site.yaml` declares it).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub(crate) struct KindIdx(pub u32);

/// The validated site configuration.
#[derive(Debug, Clone)]
pub(crate) struct Config {
    /// The site title.
    pub title: Localized,
    /// A one-line description for the home page and metadata.
    pub description: Option<Localized>,
    /// Declared languages; the first is the default.
    pub languages: Vec<Lang>,
    /// The locales chosen in `languages:` (`{ code: en, locale: en-US }`), for dates and
    /// numbers; a language without one follows [`Lang::default_locale`].
    pub locales: BTreeMap<Lang, String>,
    /// `menu:` and `footer:`: the main navigation and the footer's links.
    pub menu: menu::MenuConfig,
    /// Absolute address the site is published at, ending with `/`.
    pub base_url: Option<String>,
    /// The theme name (`themes/<name>/` overrides the built-in theme of that name).
    pub theme: String,
    /// Sections, in declaration order.
    pub sections: IndexMap<String, SectionConfig>,
    /// Kinds, in declaration order (always includes `page`).
    pub kinds: IndexMap<String, KindConfig>,
    /// Taxonomies, in declaration order.
    pub taxonomies: IndexMap<String, TaxonomyConfig>,
    /// The glossary, when the site has one.
    pub glossary: Option<GlossaryConfig>,
    /// Files never published nor read as pages: leftovers and the `ignore:` globs.
    pub ignore: crate::ignore::Ignore,
    /// How page text is turned into HTML.
    pub markdown: MarkdownConfig,
    /// The favicon, logo, accent colour and organisation (`favicon:`, `branding:`).
    pub branding: branding::Branding,
    /// The accessibility statement's facts (`accessibility:`), when declared.
    pub statement: Option<statement::Statement>,
    /// How large the print page may grow (`print:`).
    pub print: print::PrintConfig,
}

/// `markdown:` in `site.yaml`: how page text is turned into HTML.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
pub(crate) struct MarkdownConfig {
    /// What happens to HTML written in page text.
    pub raw_html: RawHtml,
}

/// What happens to HTML written in page text (`markdown: { raw_html: ... }`).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
pub(crate) enum RawHtml {
    /// `sanitize` (the default): kept, less anything that can load or run something
    /// (see `Sanitizer` in `src/content/html.rs`).
    #[default]
    Sanitize,
    /// `escape`: shown to readers as text, as written.
    Escape,
    /// `allow`: published exactly as written, scripts included. Only for sites whose every
    /// editor is fully trusted.
    Allow,
}

impl RawHtml {
    /// The names editors write, in order.
    pub(crate) const NAMES: [&'static str; 3] = ["sanitize", "escape", "allow"];

    pub(super) fn parse(name: &str) -> Option<Self> {
        match name {
            "sanitize" => Some(RawHtml::Sanitize),
            "escape" => Some(RawHtml::Escape),
            "allow" => Some(RawHtml::Allow),
            _ => None,
        }
    }
}

impl Config {
    /// The default language.
    pub(crate) fn default_lang(&self) -> &Lang {
        // `load` refuses a configuration without languages.
        &self.languages[0]
    }

    /// The locale whose conventions `lang`'s dates and numbers follow.
    pub(crate) fn locale(&self, lang: &Lang) -> icu_locale_core::Locale {
        self.locales.get(lang).and_then(|l| l.parse().ok()).unwrap_or_else(|| lang.default_locale())
    }

    /// Every language with its locale, in order.
    pub(crate) fn lang_locales(&self) -> Vec<(Lang, icu_locale_core::Locale)> {
        self.languages.iter().map(|l| (l.clone(), self.locale(l))).collect()
    }

    /// The declared language with this code.
    pub(crate) fn lang(&self, code: &str) -> Option<&Lang> {
        self.languages.iter().find(|l| l.as_str() == code)
    }

    /// The declared language with this code, whatever its case (`FR`, `pt-br`): language
    /// tags are case-insensitive (BCP 47, RFC 5646 section 2.1.1).
    pub(crate) fn lang_any_case(&self, code: &str) -> Option<&Lang> {
        self.languages.iter().find(|l| l.as_str().eq_ignore_ascii_case(code))
    }

    /// The kind named `name`, as an index.
    pub(crate) fn kind_idx(&self, name: &str) -> Option<KindIdx> {
        self.kinds.get_index_of(name).map(|i| KindIdx(i as u32))
    }

    /// What to tell an editor who wrote `term`, which is not a term of taxonomy `tax`
    /// (whose terms are `allowed`): that it is a term's name in another language, which
    /// front matter does not use, or that it is unknown, with the closest term.
    pub(crate) fn unknown_term(&self, tax: &str, term: &str, allowed: &[Term]) -> String {
        let translated =
            allowed.iter().find_map(|t| t.names.iter().find(|(_, n)| n.as_str() == term).map(|(l, _)| (l, &t.key)));
        match translated {
            Some((lang, key)) => format!(
                "`{term}` is the `{lang}` name of term `{key}` of taxonomy `{tax}`: front matter names a term by its `{}` name in every language; write `{key}`",
                self.default_lang()
            ),
            None => {
                let h = crate::diagnostics::hint(term, allowed.iter().map(|t| t.key.as_str()));
                format!("`{term}` is not a term of taxonomy `{tax}`{h}; add it to `taxonomies.{tax}.terms` in site.yaml if it is new")
            }
        }
    }

    /// The name of kind `kind` (`pilot`).
    pub(crate) fn kind_name(&self, kind: KindIdx) -> &str {
        // A `KindIdx` is only made from this configuration's kinds.
        self.kinds.get_index(kind.0 as usize).map_or(DEFAULT_KIND, |(name, _)| name.as_str())
    }

    /// The kind `kind`.
    pub(crate) fn kind(&self, kind: KindIdx) -> &KindConfig {
        &self.kinds[kind.0 as usize]
    }

    /// The label of kind `kind` in `lang`: its `label` in `site.yaml` (falling back to
    /// the default language's), else its name with `_` as spaces (`pilot sheet`).
    pub(crate) fn kind_label(&self, kind: KindIdx, lang: &Lang) -> String {
        self.kind(kind)
            .label
            .as_ref()
            .and_then(|l| l.get(lang, self.default_lang()))
            .map_or_else(|| self.kind_name(kind).replace('_', " "), str::to_string)
    }

    /// The site title in `lang`.
    pub(crate) fn title_in(&self, lang: &Lang) -> String {
        self.title.get(lang, self.default_lang()).unwrap_or_default().to_string()
    }
}

/// Whether `s` is a valid folder or file name for a page id segment.
pub(crate) fn is_id_segment(s: &str) -> bool {
    !s.is_empty()
        && s.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-' || b == b'_')
        && !s.starts_with(['-', '_'])
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostics::Diagnostics;

    fn load_str(text: &str) -> (Option<Config>, Vec<String>) {
        let mut d = Diagnostics::new();
        let c = load(text, &mut d);
        (c, d.sorted().iter().map(|d| d.to_human("")).collect())
    }

    #[test]
    fn a_minimal_config_gets_the_page_kind() {
        let (c, errs) = load_str("title: T\nlanguages: [en, fr]\n");
        assert!(errs.is_empty(), "{errs:?}");
        let c = c.expect("config");
        assert_eq!(c.default_lang().as_str(), "en");
        assert!(c.kinds.contains_key("page"));
    }

    #[test]
    fn bad_types_and_references_are_reported_with_lines() {
        let text = "title: T\nlanguages: [en]\nkinds:\n  pilot:\n    fields:\n      country: { type: ref, kind: contry }\n      n: { type: integer }\nsections:\n  pilots: { kind: pilots }\n";
        let (_, errs) = load_str(text);
        assert_eq!(
            errs,
            [
                "site.yaml:6:35: error: field `country` refers to kind `contry`, which is not declared under `kinds`",
                "site.yaml:7:18: error: field `n` has unknown type `integer`; types are `string`, `int`, `date`, `bool`, `url`, `enum`, `list`, `ref` or `taxonomy`",
                "site.yaml:9:19: error: section `pilots` holds pages of kind `pilots`, which is not declared under `kinds` (did you mean `pilot`?)",
            ]
        );
    }

    #[test]
    fn glossary_fields_default_to_their_roles_and_can_be_renamed() {
        let kinds = "kinds:\n  term:\n    fields:\n      sigle: { type: string }\n      acronym: { type: int }\n";
        let (c, errs) = load_str(&format!(
            "title: T\nlanguages: [en]\n{kinds}glossary: {{ kind: term, fields: {{ acronym: sigle }} }}\n"
        ));
        assert!(errs.is_empty(), "{errs:?}");
        let fields = c.and_then(|c| c.glossary).map(|g| g.fields).expect("glossary");
        assert_eq!(fields, GlossaryFields { acronym: "sigle".into(), ..GlossaryFields::default() });
        let (_, errs) = load_str(&format!("title: T\nlanguages: [en]\n{kinds}glossary: {{ kind: term }}\n"));
        assert_eq!(
            errs,
            ["site.yaml:7:7: error: field `acronym` of kind `term` is the glossary's `acronym`, so it must be text (`type: string`), but it is a whole number"]
        );
    }

    #[test]
    fn unknown_keys_are_errors() {
        let (c, errs) = load_str("title: T\nlanguage: [en]\n");
        assert!(c.is_none());
        assert_eq!(errs.len(), 1);
        assert!(
            errs[0].starts_with("site.yaml:2:1: error: unknown field `language`, expected one of `title`,"),
            "{errs:?}"
        );
        assert!(errs[0].ends_with("(did you mean `languages`?)"), "{errs:?}");
    }
}
