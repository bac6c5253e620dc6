//! Load stage: `site.yaml` becomes a validated [`Config`] (strict: unknown keys are errors).
//!
//! The raw serde structs mirror the file; [`Config`] is what the rest of the code trusts:
//! languages are [`Lang`] values, field types are [`FieldType`]s whose referenced kinds and
//! taxonomies exist.

use crate::diagnostics::{hint, Diagnostics, Pos};
pub use crate::lang::Lang;
use crate::lang::LangError;
use crate::yaml::{self, Locator};
use indexmap::IndexMap;
use serde::Deserialize;

/// Where the site configuration lives, relative to the site root.
pub const CONFIG_FILE: &str = "site.yaml";

/// Fields every page may have, whatever its kind.
pub const COMMON_FIELDS: [&str; 8] =
    ["title", "summary", "weight", "draft", "date", "aliases", "kind", "translated_from"];

/// The kind of home pages, section pages and pages in sections that name no kind.
pub const DEFAULT_KIND: &str = "page";

/// A text given once for all languages, or per language.
#[derive(Debug, Clone, Deserialize, PartialEq)]
#[serde(untagged)]
pub enum Localized {
    /// The same text in every language.
    One(String),
    /// One text per language code.
    Many(IndexMap<String, String>),
}

impl Localized {
    /// The text in `lang`, else in `default`.
    pub fn get(&self, lang: &Lang, default: &Lang) -> Option<&str> {
        match self {
            Localized::One(s) => Some(s),
            Localized::Many(m) => m.get(lang.as_str()).or_else(|| m.get(default.as_str())).map(String::as_str),
        }
    }
}

/// The type of a front-matter field, as declared in `site.yaml`.
#[derive(Debug, Clone, PartialEq)]
pub enum FieldType {
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
    /// One of a fixed list of values.
    Enum(Vec<String>),
    /// The id of a page of the named kind.
    Ref(String),
    /// One or more terms of the named taxonomy.
    Taxonomy(String),
    /// A list of values of the inner type.
    List(Box<FieldType>),
}

impl FieldType {
    /// How the type is named to editors.
    pub fn describe(&self) -> String {
        match self {
            FieldType::String => "text".into(),
            FieldType::Int => "a whole number".into(),
            FieldType::Date => "a date (YYYY-MM-DD)".into(),
            FieldType::Bool => "`true` or `false`".into(),
            FieldType::Url => "a web address (https://...)".into(),
            FieldType::Enum(v) => format!("one of {}", quote_list(v)),
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
            FieldType::Enum(v) => format!("values from {}", quote_list(v)),
            FieldType::Ref(k) => format!("ids of `{k}` pages"),
            other => other.describe(),
        }
    }
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
pub struct FieldSpec {
    /// The value's type.
    pub ty: FieldType,
    /// Whether every page of the kind must set it.
    pub required: bool,
    /// How the field is labelled on pages.
    pub label: Option<Localized>,
    /// For references: how the list of pages pointing here through this field is labelled
    /// on the target page ("Pilot sheets that illustrate this recommendation").
    pub backlink: Option<Localized>,
}

/// A kind of page and its fields, in declaration order.
#[derive(Debug, Clone, Default)]
pub struct KindConfig {
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
}

/// A section: a folder of `content/` holding pages of one kind.
#[derive(Debug, Clone)]
pub struct SectionConfig {
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
pub struct Term {
    /// The name in the default language, as front matter writes it.
    pub key: String,
    /// Its address segment (`risk-assessment`).
    pub slug: String,
    /// Names in other languages.
    pub names: IndexMap<String, String>,
}

impl Term {
    /// The term's name in `lang`, else its key.
    pub fn name(&self, lang: &Lang) -> &str {
        self.names.get(lang.as_str()).map_or(self.key.as_str(), String::as_str)
    }
}

/// A taxonomy: a shared vocabulary of terms.
#[derive(Debug, Clone)]
pub struct TaxonomyConfig {
    /// Its title.
    pub title: Option<Localized>,
    /// The allowed terms, when the taxonomy is closed.
    pub terms: Option<Vec<Term>>,
}

impl TaxonomyConfig {
    /// The declared term written `key`.
    pub fn term(&self, key: &str) -> Option<&Term> {
        self.terms.as_ref()?.iter().find(|t| t.key == key)
    }
}

/// The kind whose pages form the glossary, and the fields it reads.
#[derive(Debug, Clone)]
pub struct GlossaryConfig {
    /// The glossary kind.
    pub kind: String,
}

/// The validated site configuration.
#[derive(Debug, Clone)]
pub struct Config {
    /// The site title.
    pub title: Localized,
    /// A one-line description for the home page and metadata.
    pub description: Option<Localized>,
    /// Declared languages; the first is the default.
    pub languages: Vec<Lang>,
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
}

/// `markdown:` in `site.yaml`: how page text is turned into HTML.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
pub struct MarkdownConfig {
    /// What happens to HTML written in page text.
    pub raw_html: RawHtml,
}

/// What happens to HTML written in page text (`markdown: { raw_html: ... }`).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
pub enum RawHtml {
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
    pub const NAMES: [&'static str; 3] = ["sanitize", "escape", "allow"];

    fn parse(name: &str) -> Option<Self> {
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
    pub fn default_lang(&self) -> &Lang {
        // `load` refuses a configuration without languages.
        &self.languages[0]
    }

    /// The declared language with this code.
    pub fn lang(&self, code: &str) -> Option<&Lang> {
        self.languages.iter().find(|l| l.as_str() == code)
    }

    /// The declared language with this code, whatever its case (`FR`, `pt-br`): language
    /// tags are case-insensitive (BCP 47, RFC 5646 section 2.1.1).
    pub fn lang_any_case(&self, code: &str) -> Option<&Lang> {
        self.languages.iter().find(|l| l.as_str().eq_ignore_ascii_case(code))
    }

    /// The site title in `lang`.
    pub fn title_in(&self, lang: &Lang) -> String {
        self.title.get(lang, self.default_lang()).unwrap_or_default().to_string()
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawConfig {
    title: Localized,
    #[serde(default)]
    description: Option<Localized>,
    languages: Vec<String>,
    #[serde(default)]
    base_url: Option<String>,
    #[serde(default)]
    theme: Option<String>,
    #[serde(default)]
    sections: IndexMap<String, RawSection>,
    #[serde(default)]
    kinds: IndexMap<String, RawKind>,
    #[serde(default)]
    taxonomies: IndexMap<String, RawTaxonomy>,
    #[serde(default)]
    glossary: Option<RawGlossary>,
    #[serde(default)]
    ignore: Vec<String>,
    #[serde(default)]
    markdown: Option<RawMarkdown>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawMarkdown {
    #[serde(default)]
    raw_html: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawGlossary {
    kind: String,
}

#[derive(Deserialize)]
#[serde(untagged)]
enum RawTerm {
    Plain(String),
    Named(IndexMap<String, String>),
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawSection {
    #[serde(default)]
    title: Option<Localized>,
    #[serde(default)]
    kind: Option<String>,
    #[serde(default)]
    weight: i64,
    #[serde(default)]
    facets: Vec<String>,
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct RawKind {
    #[serde(default)]
    label: Option<Localized>,
    #[serde(default)]
    fields: IndexMap<String, RawField>,
    #[serde(default)]
    feed: bool,
    #[serde(default)]
    glossary_links: bool,
    #[serde(default)]
    related: usize,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawField {
    #[serde(rename = "type")]
    ty: String,
    #[serde(default)]
    required: bool,
    #[serde(default)]
    values: Option<Vec<String>>,
    #[serde(default)]
    kind: Option<String>,
    #[serde(default)]
    taxonomy: Option<String>,
    #[serde(default)]
    of: Option<String>,
    #[serde(default)]
    label: Option<Localized>,
    #[serde(default)]
    backlink: Option<Localized>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawTaxonomy {
    #[serde(default)]
    title: Option<Localized>,
    #[serde(default)]
    terms: Option<Vec<RawTerm>>,
}

const TYPE_NAMES: [&str; 9] = ["string", "int", "date", "bool", "url", "enum", "list", "ref", "taxonomy"];

/// Parses and validates the text of `site.yaml`. Problems go to `diags`; `None` when the
/// configuration cannot be used at all.
pub fn load(text: &str, diags: &mut Diagnostics) -> Option<Config> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    if let Err(e) = yaml::precheck(text, 1, CONFIG_FILE) {
        diags.error(CONFIG_FILE, e.pos, e.code, e.message);
        return None;
    }
    let raw: RawConfig = match serde_yaml::from_str(text) {
        Ok(raw) => raw,
        Err(e) => {
            let e = yaml::from_serde(&e, 1, CONFIG_FILE);
            let message = e.message.replace("site.yaml is not valid YAML: ", "site.yaml: ");
            diags.error(CONFIG_FILE, e.pos, "config", message);
            return None;
        }
    };
    let loc = Locator::new(text, 1);
    let mut v = Validator { loc: &loc, diags };
    v.config(raw)
}

struct Validator<'a, 'd> {
    loc: &'a Locator<'a>,
    diags: &'d mut Diagnostics,
}

impl Validator<'_, '_> {
    fn err(&mut self, pos: Pos, message: String) {
        self.diags.error(CONFIG_FILE, pos, "config", message);
    }

    fn config(&mut self, raw: RawConfig) -> Option<Config> {
        let languages = self.languages(&raw.languages)?;
        for (path, text) in [(vec!["title"], Some(&raw.title)), (vec!["description"], raw.description.as_ref())] {
            self.localized(&path, text, &languages);
        }
        let base_url = raw.base_url.as_deref().and_then(|u| self.base_url(u));
        let taxonomies = self.taxonomies(raw.taxonomies, &languages);
        let kinds = self.kinds(raw.kinds, &taxonomies, &languages);
        let sections = self.sections(raw.sections, &kinds, &languages);
        for name in sections.keys().filter(|n| taxonomies.contains_key(*n)) {
            let pos = self.loc.key(&["taxonomies", name]);
            self.err(
                pos,
                format!(
                    "taxonomy `{name}` has the same name as a section: their pages would share one address; rename one"
                ),
            );
        }
        let glossary = raw.glossary.and_then(|g| {
            if kinds.contains_key(&g.kind) {
                return Some(GlossaryConfig { kind: g.kind });
            }
            let pos = self.loc.value(&["glossary", "kind"]);
            let h = hint(&g.kind, kinds.keys().map(String::as_str));
            self.err(pos, format!("glossary kind `{}` is not declared under `kinds`{h}", g.kind));
            None
        });
        let markdown = self.markdown(raw.markdown);
        let theme = raw.theme.unwrap_or_else(|| "default".to_string());
        if !is_id_segment(&theme) {
            let pos = self.loc.value(&["theme"]);
            self.err(
                pos,
                format!("theme `{theme}` is not a valid folder name: use lowercase letters, digits and hyphens"),
            );
        }
        let ignore = self.ignore(&raw.ignore);
        Some(Config {
            ignore,
            title: raw.title,
            description: raw.description,
            languages,
            base_url,
            theme,
            sections,
            kinds,
            taxonomies,
            glossary,
            markdown,
        })
    }

    fn markdown(&mut self, raw: Option<RawMarkdown>) -> MarkdownConfig {
        let Some(name) = raw.and_then(|m| m.raw_html) else { return MarkdownConfig::default() };
        match RawHtml::parse(&name) {
            Some(raw_html) => MarkdownConfig { raw_html },
            None => {
                let pos = self.loc.value(&["markdown", "raw_html"]);
                let h = hint(&name, RawHtml::NAMES);
                self.err(
                    pos,
                    format!(
                        "`raw_html: {name}` is not a choice{h}: write `sanitize` (the default), `escape` or `allow`"
                    ),
                );
                MarkdownConfig::default()
            }
        }
    }

    /// `ignore:` globs, each bad one reported at its place.
    fn ignore(&mut self, globs: &[String]) -> crate::ignore::Ignore {
        crate::ignore::Ignore::new(globs).unwrap_or_else(|bad| {
            for b in bad {
                let pos = self.loc.item(&["ignore"], &b.glob);
                self.err(pos, format!("ignore pattern `{}` is not a valid glob: {}", b.glob, b.reason));
            }
            crate::ignore::Ignore::builtin()
        })
    }

    fn languages(&mut self, codes: &[String]) -> Option<Vec<Lang>> {
        if codes.is_empty() {
            let pos = self.loc.key(&["languages"]);
            self.err(pos, "`languages` is empty: list at least one language code, e.g. `languages: [en]`".into());
            return None;
        }
        let mut langs: Vec<Lang> = Vec::new();
        for code in codes {
            let pos = self.loc.item(&["languages"], code);
            match Lang::parse(code) {
                Ok(l) if langs.contains(&l) => self.err(pos, format!("language `{code}` is listed twice")),
                Ok(l) => langs.push(l),
                Err(LangError::Malformed) => self.err(
                    pos,
                    format!("`{code}` is not a language code: use an ISO 639 code such as `en`, `fr` or `pt-BR`"),
                ),
                Err(LangError::Unknown) => self.err(
                    pos,
                    format!("`{code}` is not a known language code (ISO 639): use a code such as `en`, `fr`, `de`, `el` or `bg`"),
                ),
            }
        }
        (!langs.is_empty()).then_some(langs)
    }

    fn localized(&mut self, path: &[&str], text: Option<&Localized>, langs: &[Lang]) {
        if let Some(Localized::Many(map)) = text {
            for code in map.keys() {
                if !langs.iter().any(|l| l.as_str() == code) {
                    let mut p: Vec<&str> = path.to_vec();
                    p.push(code);
                    let pos = self.loc.key(&p);
                    let declared: Vec<&str> = langs.iter().map(Lang::as_str).collect();
                    self.err(
                        pos,
                        format!(
                            "`{}` has a text for language `{code}`, which `languages` does not declare{}",
                            path.join("."),
                            hint(code, declared.iter().copied())
                        ),
                    );
                }
            }
        }
    }

    fn base_url(&mut self, raw: &str) -> Option<String> {
        match url::Url::parse(raw) {
            Ok(u) if matches!(u.scheme(), "http" | "https") && u.host().is_some() => {
                let mut s = u.to_string();
                if !s.ends_with('/') {
                    s.push('/');
                }
                Some(s)
            }
            _ => {
                let pos = self.loc.value(&["base_url"]);
                self.err(
                    pos,
                    format!("base_url `{raw}` is not an absolute web address: write it like `https://example.org/guidebook/`"),
                );
                None
            }
        }
    }

    fn taxonomies(&mut self, raw: IndexMap<String, RawTaxonomy>, langs: &[Lang]) -> IndexMap<String, TaxonomyConfig> {
        let mut out = IndexMap::new();
        for (name, t) in raw {
            if !is_id_segment(&name) {
                let pos = self.loc.key(&["taxonomies", &name]);
                self.err(pos, format!("taxonomy name `{name}` must use lowercase letters, digits, `-` and `_`"));
            }
            self.localized(&["taxonomies", &name, "title"], t.title.as_ref(), langs);
            let terms = t.terms.map(|raw| self.terms(&name, raw, langs));
            out.insert(name, TaxonomyConfig { title: t.title, terms });
        }
        out
    }

    /// Terms are written as their name (`training`) or with translations
    /// (`{ en: training, fr: formation }`), the default language's name being the key.
    fn terms(&mut self, taxonomy: &str, raw: Vec<RawTerm>, langs: &[Lang]) -> Vec<Term> {
        let mut terms: Vec<Term> = Vec::new();
        for t in raw {
            let (key, names) = match t {
                RawTerm::Plain(key) => (key, IndexMap::new()),
                RawTerm::Named(names) => {
                    let default = langs[0].as_str();
                    let Some(key) = names.get(default).cloned() else {
                        let first = names.values().next().cloned().unwrap_or_default();
                        let pos = self.loc.item(&["taxonomies", taxonomy, "terms"], &first);
                        self.err(pos, format!("term `{first}` of taxonomy `{taxonomy}` has no name in `{default}`, the default language: add `{default}: ...`"));
                        continue;
                    };
                    for code in names.keys().filter(|c| !langs.iter().any(|l| l.as_str() == c.as_str())) {
                        let pos = self.loc.item(&["taxonomies", taxonomy, "terms"], &key);
                        self.err(
                            pos,
                            format!("term `{key}` has a name in `{code}`, which `languages` does not declare"),
                        );
                    }
                    (key, names)
                }
            };
            let slug = slug::slugify(&key);
            if let Some(other) = terms.iter().find(|t| t.slug == slug) {
                let pos = self.loc.item(&["taxonomies", taxonomy, "terms"], &key);
                self.err(pos, format!("terms `{}` and `{key}` of taxonomy `{taxonomy}` would have the same address `{slug}`: rename one", other.key));
                continue;
            }
            terms.push(Term { key, slug, names });
        }
        terms
    }

    fn kinds(
        &mut self,
        raw: IndexMap<String, RawKind>,
        taxonomies: &IndexMap<String, TaxonomyConfig>,
        langs: &[Lang],
    ) -> IndexMap<String, KindConfig> {
        let kind_names: Vec<String> = raw.keys().cloned().chain([DEFAULT_KIND.to_string()]).collect();
        let mut out = IndexMap::new();
        for (name, kind) in raw {
            if !is_id_segment(&name) {
                let pos = self.loc.key(&["kinds", &name]);
                self.err(pos, format!("kind name `{name}` must use lowercase letters, digits, `-` and `_`"));
            }
            self.localized(&["kinds", &name, "label"], kind.label.as_ref(), langs);
            let mut fields = IndexMap::new();
            for (fname, f) in kind.fields {
                let path = ["kinds", name.as_str(), "fields", fname.as_str()];
                if COMMON_FIELDS.contains(&fname.as_str()) {
                    let pos = self.loc.key(&path);
                    self.err(
                        pos,
                        format!(
                            "field `{fname}` is common to every page and cannot be declared again in kind `{name}`"
                        ),
                    );
                    continue;
                }
                self.localized(&[&path[..], &["label"]].concat(), f.label.as_ref(), langs);
                if let Some(ty) = self.field_type(&path, &f, &kind_names, taxonomies) {
                    self.localized(&[&path[..], &["backlink"]].concat(), f.backlink.as_ref(), langs);
                    fields.insert(fname, FieldSpec { ty, required: f.required, label: f.label, backlink: f.backlink });
                }
            }
            out.insert(
                name,
                KindConfig {
                    label: kind.label,
                    fields,
                    feed: kind.feed,
                    glossary_links: kind.glossary_links,
                    related: kind.related,
                },
            );
        }
        out.entry(DEFAULT_KIND.to_string()).or_default();
        out
    }

    fn field_type(
        &mut self,
        path: &[&str],
        f: &RawField,
        kinds: &[String],
        taxonomies: &IndexMap<String, TaxonomyConfig>,
    ) -> Option<FieldType> {
        let ty = if f.ty == "list" {
            let Some(of) = f.of.as_deref() else {
                let pos = self.loc.key(path);
                self.err(
                    pos,
                    format!("field `{}` is a list: say what it holds with `of:`, e.g. `of: string`", path[3]),
                );
                return None;
            };
            if of == "list" {
                let pos = self.loc.value(&[path, &["of"]].concat());
                self.err(pos, "a list cannot hold lists".into());
                return None;
            }
            FieldType::List(Box::new(self.scalar_type(path, of, f, kinds, taxonomies, "of")?))
        } else {
            if f.of.is_some() {
                let pos = self.loc.key(&[path, &["of"]].concat());
                self.err(pos, format!("`of` only applies to `type: list`, and field `{}` is `{}`", path[3], f.ty));
            }
            self.scalar_type(path, &f.ty, f, kinds, taxonomies, "type")?
        };
        Some(ty)
    }

    fn scalar_type(
        &mut self,
        path: &[&str],
        ty: &str,
        f: &RawField,
        kinds: &[String],
        taxonomies: &IndexMap<String, TaxonomyConfig>,
        key: &str,
    ) -> Option<FieldType> {
        let field = path[3];
        Some(match ty {
            "string" => FieldType::String,
            "int" => FieldType::Int,
            "date" => FieldType::Date,
            "bool" => FieldType::Bool,
            "url" => FieldType::Url,
            "enum" => match &f.values {
                Some(v) if !v.is_empty() => FieldType::Enum(v.clone()),
                _ => {
                    let pos = self.loc.key(path);
                    self.err(pos, format!("field `{field}` is an enum: list its allowed values with `values: [a, b]`"));
                    return None;
                }
            },
            "ref" => match &f.kind {
                Some(k) if kinds.contains(k) => FieldType::Ref(k.clone()),
                Some(k) => {
                    let pos = self.loc.value(&sub_path(path, "kind"));
                    let h = hint(k, kinds.iter().map(String::as_str));
                    self.err(
                        pos,
                        format!("field `{field}` refers to kind `{k}`, which is not declared under `kinds`{h}"),
                    );
                    return None;
                }
                None => {
                    let pos = self.loc.key(path);
                    self.err(
                        pos,
                        format!("field `{field}` is a reference: name the kind it points to with `kind: ...`"),
                    );
                    return None;
                }
            },
            "taxonomy" => match &f.taxonomy {
                Some(t) if taxonomies.contains_key(t) => FieldType::Taxonomy(t.clone()),
                Some(t) => {
                    let pos = self.loc.value(&sub_path(path, "taxonomy"));
                    let h = hint(t, taxonomies.keys().map(String::as_str));
                    self.err(
                        pos,
                        format!("field `{field}` uses taxonomy `{t}`, which is not declared under `taxonomies`{h}"),
                    );
                    return None;
                }
                None => {
                    let pos = self.loc.key(path);
                    self.err(
                        pos,
                        format!("field `{field}` is a taxonomy field: name the taxonomy with `taxonomy: ...`"),
                    );
                    return None;
                }
            },
            other => {
                let pos = self.loc.value(&sub_path(path, key));
                let h = hint(other, TYPE_NAMES);
                self.err(
                    pos,
                    format!(
                        "field `{field}` has unknown type `{other}`{h}; types are {}",
                        quote_list(&TYPE_NAMES.map(String::from))
                    ),
                );
                return None;
            }
        })
    }

    fn sections(
        &mut self,
        raw: IndexMap<String, RawSection>,
        kinds: &IndexMap<String, KindConfig>,
        langs: &[Lang],
    ) -> IndexMap<String, SectionConfig> {
        let mut out = IndexMap::new();
        for (name, s) in raw {
            if !is_id_segment(&name) {
                let pos = self.loc.key(&["sections", &name]);
                self.err(
                    pos,
                    format!("section name `{name}` must use lowercase letters, digits, `-` and `_`, like its folder"),
                );
            }
            self.localized(&["sections", &name, "title"], s.title.as_ref(), langs);
            let kind = s.kind.unwrap_or_else(|| DEFAULT_KIND.to_string());
            if !kinds.contains_key(&kind) {
                let pos = self.loc.value(&["sections", &name, "kind"]);
                let h = hint(&kind, kinds.keys().map(String::as_str));
                self.err(
                    pos,
                    format!("section `{name}` holds pages of kind `{kind}`, which is not declared under `kinds`{h}"),
                );
            }
            if let Some(k) = kinds.get(&kind) {
                for facet in &s.facets {
                    let pos = self.loc.item(&["sections", &name, "facets"], facet);
                    match k.fields.get(facet).map(|f| &f.ty) {
                        Some(FieldType::Taxonomy(_) | FieldType::Ref(_) | FieldType::Enum(_)) => {}
                        Some(FieldType::List(inner))
                            if matches!(inner.as_ref(), FieldType::Ref(_) | FieldType::Enum(_)) => {}
                        Some(_) => self.err(
                            pos,
                            format!("facet `{facet}` must be a taxonomy, reference or enum field of kind `{kind}`"),
                        ),
                        None => {
                            let h = hint(facet, k.fields.keys().map(String::as_str));
                            self.err(pos, format!("facet `{facet}` is not a field of kind `{kind}`{h}"));
                        }
                    }
                }
            }
            out.insert(name, SectionConfig { title: s.title, kind, weight: s.weight, facets: s.facets });
        }
        out
    }
}

fn sub_path<'a>(path: &[&'a str], key: &'a str) -> Vec<&'a str> {
    let mut v = path.to_vec();
    v.push(key);
    v
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
    fn unknown_keys_are_errors() {
        let (c, errs) = load_str("title: T\nlanguage: [en]\n");
        assert!(c.is_none());
        assert_eq!(errs.len(), 1);
        assert!(errs[0].starts_with("site.yaml:2:1: error: site.yaml: unknown field `language`"), "{errs:?}");
    }
}
