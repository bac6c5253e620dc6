//! Render stage, view layer: the facet values of pages. Cards of a section that declares
//! `facets` carry their values (`country:france themes:training`), so that the theme's
//! script can filter in place; the section family makes a static page per value.

use super::View;
use crate::site::IdIdx;

impl View<'_> {
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
            tokens.extend(self.site.facet_values(id, facet, default).iter().map(|v| format!("{facet}:{}", v.key)));
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
                for v in self.site.facet_values(id, facet, default) {
                    let key = (facet.clone(), v.key.clone());
                    if !keys.contains(&key) {
                        keys.push(key);
                    }
                }
            }
        }
        keys
    }
}
