//! Render stage: section pages as browse pages. A section that declares `facets` lists
//! each facet's values with counts; each value has a static page of its own (so browsing
//! works without JavaScript), and the cards carry their values so the theme's script can
//! combine filters in place.

use super::context::*;
use super::pages::synthetic_view;
use super::{page_file, OutputFile, Problem, Renderer};
use crate::config::{FieldType, Lang};
use crate::content::frontmatter::FieldValue;
use crate::site::graph::{refs, Stop};
use crate::site::{IdIdx, OutDir};

/// One value of a facet on a page: its key (`france`) and its name in a language.
struct Value {
    key: String,
    label: String,
}

impl Renderer<'_> {
    /// The values of the facet `field` on `id` (from the original), named in `lang`.
    fn facet_values(&self, id: IdIdx, field: &str, lang: &Lang) -> Vec<Value> {
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

    fn section_facets(&self, id: IdIdx) -> Option<&[String]> {
        let section = self.site.info(id).section.as_deref()?;
        let facets = &self.site.config.sections.get(section)?.facets;
        (!facets.is_empty()).then_some(facets.as_slice())
    }

    /// `country:france themes:training ...` for a card of a section with facets.
    pub(super) fn card_facets(&self, id: IdIdx) -> String {
        let Some(facets) = self.section_facets(id) else { return String::new() };
        let default = self.site.config.default_lang();
        let mut tokens: Vec<String> = Vec::new();
        for facet in facets {
            tokens.extend(self.facet_values(id, facet, default).into_iter().map(|v| format!("{facet}:{}", v.key)));
        }
        tokens.join(" ")
    }

    /// Every (facet, value) of section `i`, for the static facet pages.
    pub(super) fn facet_keys(&self, i: usize) -> Vec<(String, String)> {
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

    fn facets(&self, i: usize, lang: &Lang, from: &OutDir, current: Option<(&str, &str)>) -> Vec<Facet> {
        let section = &self.site.sections[i];
        let config = &self.site.config;
        let kind = &config.kinds[&config.sections[&section.name].kind];
        config.sections[&section.name]
            .facets
            .iter()
            .map(|facet| {
                let mut values: Vec<FacetValue> = Vec::new();
                for &id in section.pages.get(lang).into_iter().flatten() {
                    for v in self.facet_values(id, facet, lang) {
                        match values.iter_mut().find(|fv| fv.key == format!("{facet}:{}", v.key)) {
                            Some(fv) => fv.count += 1,
                            None => values.push(FacetValue {
                                key: format!("{facet}:{}", v.key),
                                url: self
                                    .url(from, &[lang.to_string(), section.name.clone(), facet.clone(), v.key.clone()]),
                                current: current == Some((facet.as_str(), v.key.as_str())),
                                label: v.label,
                                count: 1,
                            }),
                        }
                    }
                }
                values.sort_by(|a, b| {
                    b.count.cmp(&a.count).then_with(|| a.label.to_lowercase().cmp(&b.label.to_lowercase()))
                });
                let label = kind
                    .fields
                    .get(facet)
                    .and_then(|f| f.label.as_ref())
                    .and_then(|l| l.get(lang, config.default_lang()));
                Facet { name: facet.clone(), label: label.unwrap_or(facet).to_string(), values }
            })
            .collect()
    }

    pub(super) fn section(&self, i: usize, lang: &Lang) -> Result<OutputFile, Problem> {
        let section = &self.site.sections[i];
        let out: OutDir = vec![lang.to_string(), section.name.clone()];
        let mut page = match section.index {
            Some(id) => self.view(id, lang, &out),
            None => synthetic_view(format!("{}/_index", section.name), self.section_title(i, lang)),
        };
        (page.prev, page.next) = self.neighbours(Stop::Section(i), lang, &out);
        let pages = self.cards(section.pages.get(lang), lang, &out);
        let facets = self.facets(i, lang, &out, None);
        let layout = self.layout(&out, lang, section.index, vec![self.home_crumb(&out, lang)], Some(&section.name));
        let ctx = SectionCtx {
            lang: lang.to_string(),
            layout,
            page,
            pages,
            facets,
            filter: None,
            all_url: self.url(&out, &out),
        };
        self.render("section.html", &ctx, page_file(&out))
    }

    /// The pages of section `i` whose `facet` has the value `key`.
    pub(super) fn facet_page(&self, i: usize, facet: &str, key: &str, lang: &Lang) -> Result<OutputFile, Problem> {
        let section = &self.site.sections[i];
        let out: OutDir = vec![lang.to_string(), section.name.clone(), facet.to_string(), key.to_string()];
        let ids: Vec<IdIdx> = section
            .pages
            .get(lang)
            .into_iter()
            .flatten()
            .copied()
            .filter(|&id| self.facet_values(id, facet, lang).iter().any(|v| v.key == key))
            .collect();
        let facets = self.facets(i, lang, &out, Some((facet, key)));
        let value = facets.iter().find(|f| f.name == facet).and_then(|f| f.values.iter().find(|v| v.current));
        let facet_label = facets.iter().find(|f| f.name == facet).map_or(facet.to_string(), |f| f.label.clone());
        let filter = self.t(
            lang,
            "filter_label",
            &[("facet", &facet_label), ("value", value.map_or(key, |v| v.label.as_str()))],
        );
        let title = self.section_title(i, lang);
        let mut page = synthetic_view(format!("{}/{facet}/{key}", section.name), title.clone());
        page.summary = Some(filter.clone());
        let pages = self.cards(Some(&ids), lang, &out);
        let section_url = self.url(&out, &[lang.to_string(), section.name.clone()]);
        let crumbs = vec![self.home_crumb(&out, lang), Link { title, url: section_url.clone(), lang: None }];
        let mut layout = self.layout(&out, lang, None, crumbs, Some(&section.name));
        // Readers of every language have this page: the switcher offers them all.
        layout.alternates.clear();
        let ctx = SectionCtx {
            lang: lang.to_string(),
            layout,
            page,
            pages,
            facets,
            filter: Some(filter),
            all_url: section_url,
        };
        self.render("section.html", &ctx, page_file(&out))
    }
}
