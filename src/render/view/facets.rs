//! Render stage, view layer: the facet values of pages. Cards of a section that declares
//! `facets` carry their values (`country:france themes:training`), so that the theme's
//! script can filter in place; the section family makes a static page per value.

use super::View;
use crate::config::{FieldType, Lang};
use crate::content::frontmatter::FieldValue;
use crate::site::graph::refs;
use crate::site::IdIdx;

/// One value of a facet on a page: its key (`france`) and its name in a language.
pub(crate) struct Value {
    /// The value's key in URLs and `data-facets`.
    pub(crate) key: String,
    /// Its name in the language asked for.
    pub(crate) label: String,
}

impl View<'_> {
    /// The values of the facet `field` on `id` (from the original), named in `lang`.
    pub(crate) fn facet_values(&self, id: IdIdx, field: &str, lang: &Lang) -> Vec<Value> {
        let site = self.site;
        let info = site.info(id);
        let Some(page) = info.sources.get(&info.original).map(|&p| site.page(p)) else { return Vec::new() };
        let Some(value) = page.fm.fields.get(field) else { return Vec::new() };
        let ty = site.config.kinds[&page.fm.kind].fields.get(field).map(|f| &f.ty);
        match (ty, value) {
            (Some(FieldType::Taxonomy(tax)), FieldValue::Terms(terms)) => terms
                .iter()
                .map(|t| match site.config.taxonomies[tax].term(t) {
                    Some(term) => Value { key: term.slug.clone(), label: term.name(lang).to_string() },
                    None => Value { key: slug::slugify(t), label: t.clone() },
                })
                .collect(),
            (_, FieldValue::Enum(e)) => vec![Value { key: slug::slugify(e), label: e.replace('_', " ") }],
            (_, FieldValue::List(items)) if items.iter().all(|i| matches!(i, FieldValue::Enum(_))) => items
                .iter()
                .filter_map(|i| {
                    if let FieldValue::Enum(e) = i {
                        Some(Value { key: slug::slugify(e), label: e.replace('_', " ") })
                    } else {
                        None
                    }
                })
                .collect(),
            _ => refs(value)
                .into_iter()
                .filter_map(|r| site.id(&r.id))
                .map(|t| Value {
                    key: site.info(t).id.rsplit('/').next().unwrap_or_default().to_string(),
                    label: site.shown_page(t, lang).fm.title.clone(),
                })
                .collect(),
        }
    }

    /// The facets of the section of `id`, when it declares any.
    fn section_facets(&self, id: IdIdx) -> Option<&[String]> {
        let section = self.site.info(id).section.as_deref()?;
        let facets = &self.site.config.sections.get(section)?.facets;
        (!facets.is_empty()).then_some(facets.as_slice())
    }

    /// `country:france themes:training ...` for a card of a section with facets.
    pub(crate) fn card_facets(&self, id: IdIdx) -> String {
        let Some(facets) = self.section_facets(id) else { return String::new() };
        let default = self.site.config.default_lang();
        let mut tokens: Vec<String> = Vec::new();
        for facet in facets {
            tokens.extend(self.facet_values(id, facet, default).into_iter().map(|v| format!("{facet}:{}", v.key)));
        }
        tokens.join(" ")
    }

    /// Every (facet, value) of section `i`, for the static facet pages.
    pub(crate) fn facet_keys(&self, i: usize) -> Vec<(String, String)> {
        let section = &self.site.sections[i];
        let default = self.site.config.default_lang();
        let mut keys = Vec::new();
        for facet in &self.site.config.sections[&section.name].facets {
            for &id in section.pages.get(default).into_iter().flatten() {
                for v in self.facet_values(id, facet, default) {
                    let key = (facet.clone(), v.key);
                    if !keys.contains(&key) {
                        keys.push(key);
                    }
                }
            }
        }
        keys
    }
}
