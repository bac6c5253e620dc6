//! Resolve stage: facet values. Each field of a page that readers can filter by (a
//! taxonomy's terms, an enum's values, the pages a reference names) has, for each page id
//! and each language, a list of values with a key (the address segment, the same in every
//! language) and a label (in the reader's language). They are computed once here, from
//! each id's original, for the section browse pages and the search index alike.

use super::{IdIdx, IdInfo, Page, Shown};
use crate::config::{Config, FieldType, Lang, Term};
use crate::content::frontmatter::FieldValue;
use indexmap::IndexMap;
use std::collections::{BTreeMap, BTreeSet};

/// Where a facet value comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) enum FacetSource {
    /// A term of a taxonomy field.
    Term,
    /// A value of an enum field (or a list of them).
    Choice,
    /// A page named by a reference field (or a list of them).
    Page(IdIdx),
}

/// One value of a facet on a page.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub(crate) struct FacetValue {
    /// Its key, the same in every language: a term's slug (`risk-assessment`), an enum
    /// value slugified (`national`), or the last segment of a page id (`france`).
    pub key: String,
    /// Its label in the language asked for: a term's name there, an enum value with `_`
    /// as spaces, or the title of the page as shown there.
    pub label: String,
    /// What the value is.
    pub source: FacetSource,
}

/// Per page id, per language (in `site.yaml` order), per field (in the kind's order):
/// the facet values of the id's original. Only fields a reader can filter by are named:
/// those a section lists under `facets` and taxonomy fields (the search index's facets);
/// fields that yield no value are absent.
#[derive(Debug, Default, Clone)]
pub(crate) struct FacetValues {
    by_id: Vec<Vec<IndexMap<String, Vec<FacetValue>>>>,
}

/// Every page's values, field by field, in order (`IndexMap` has no `Hash` of its own).
impl std::hash::Hash for FacetValues {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        for langs in &self.by_id {
            langs.len().hash(state);
            for fields in langs {
                fields.len().hash(state);
                for (field, values) in fields {
                    (field, values).hash(state);
                }
            }
        }
    }
}

impl FacetValues {
    pub(super) fn new(config: &Config, pages: &[Page], ids: &[IdInfo], shown: &BTreeMap<(IdIdx, Lang), Shown>) -> Self {
        let title = |id: IdIdx, lang: &Lang| {
            shown.get(&(id, lang.clone())).map(|s| pages[s.source.0 as usize].fm.title.clone()).unwrap_or_default()
        };
        let wanted = filterable_fields(config);
        let by_id = ids
            .iter()
            .map(|info| {
                let original = info.sources.get(&info.original).map(|p| &pages[p.0 as usize]);
                let Some(page) = original else { return vec![IndexMap::new(); config.languages.len()] };
                let naming = Naming { config, page, ids, title: &title, wanted: &wanted };
                config.languages.iter().map(|lang| naming.fields(lang)).collect()
            })
            .collect();
        FacetValues { by_id }
    }

    /// The values of field `field` on `id` (from its original), labelled in `lang`, in
    /// the order written; empty when there are none or `lang` is not declared.
    pub(crate) fn get(&self, config: &Config, id: IdIdx, field: &str, lang: &Lang) -> &[FacetValue] {
        let Some(l) = config.languages.iter().position(|x| x == lang) else { return &[] };
        self.by_id
            .get(id.0 as usize)
            .and_then(|langs| langs.get(l))
            .and_then(|fields| fields.get(field))
            .map_or(&[], Vec::as_slice)
    }
}

/// The names of the fields readers can filter by: every section's `facets`, and every
/// field of type `taxonomy`.
fn filterable_fields(config: &Config) -> BTreeSet<&str> {
    let facets = config.sections.values().flat_map(|s| s.facets.iter().map(String::as_str));
    let taxonomy_fields = config
        .kinds
        .values()
        .flat_map(|k| k.fields.iter())
        .filter(|(_, f)| matches!(f.ty, FieldType::Taxonomy(_)))
        .map(|(name, _)| name.as_str());
    facets.chain(taxonomy_fields).collect()
}

/// What naming the values of one page takes.
struct Naming<'a, F: Fn(IdIdx, &Lang) -> String> {
    config: &'a Config,
    page: &'a Page,
    ids: &'a [IdInfo],
    title: &'a F,
    wanted: &'a BTreeSet<&'a str>,
}

impl<F: Fn(IdIdx, &Lang) -> String> Naming<'_, F> {
    /// Every field of the page that yields values, named in `lang`.
    fn fields(&self, lang: &Lang) -> IndexMap<String, Vec<FacetValue>> {
        self.page
            .fm
            .fields
            .iter()
            .filter(|(field, _)| self.wanted.contains(field.as_str()))
            .map(|(field, value)| (field.clone(), self.values(field, value, lang)))
            .filter(|(_, values)| !values.is_empty())
            .collect()
    }

    /// The values of one field: terms by their taxonomy's names, enum values by theirs,
    /// references by the title of the page they name.
    fn values(&self, field: &str, value: &FieldValue, lang: &Lang) -> Vec<FacetValue> {
        let config = self.config;
        let ty = config.kind(self.page.kind).fields.get(field).map(|f| &f.ty);
        let choices = ty.and_then(FieldType::choices).unwrap_or_default();
        let choice = |e: &String| FacetValue {
            key: slug::slugify(e),
            label: Term::name_of(choices, e, lang),
            source: FacetSource::Choice,
        };
        match (ty, value) {
            (Some(FieldType::Taxonomy(tax)), FieldValue::Terms(terms)) => terms
                .iter()
                .map(|t| match config.taxonomies.get(tax).and_then(|x| x.term(t)) {
                    Some(term) => FacetValue {
                        key: term.slug.clone(),
                        label: term.name(lang).to_string(),
                        source: FacetSource::Term,
                    },
                    None => FacetValue { key: slug::slugify(t), label: t.clone(), source: FacetSource::Term },
                })
                .collect(),
            (_, FieldValue::Enum(e)) => vec![choice(e)],
            (_, FieldValue::List(items)) if items.iter().all(|i| matches!(i, FieldValue::Enum(_))) => {
                items.iter().filter_map(|i| if let FieldValue::Enum(e) = i { Some(choice(e)) } else { None }).collect()
            }
            _ => self
                .page
                .refs(field)
                .iter()
                .map(|r| FacetValue {
                    key: self.ids[r.target.0 as usize].id.rsplit('/').next().unwrap_or_default().to_string(),
                    label: (self.title)(r.target, lang),
                    source: FacetSource::Page(r.target),
                })
                .collect(),
        }
    }
}
