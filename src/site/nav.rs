//! Resolve stage: navigation and reading order. Sections and root pages are ordered per
//! language (weight, then the title shown, then id), and the whole guidebook is laid out
//! as one reading order: sections (parts) and root pages by weight, each section followed
//! by its pages (chapters).

use super::{graph, IdIdx, IdInfo, Page, Section, Shown};
use crate::config::{Config, Lang};
use crate::content::discover::INDEX_SLUG;
use rayon::prelude::*;
use std::collections::BTreeMap;

/// The whole guidebook in reading order: sections (parts) and root pages by weight, each
/// section followed by its pages (chapters).
pub(super) fn reading_order(
    config: &Config,
    pages: &[Page],
    ids: &[IdInfo],
    sections: &[Section],
    root_pages: &BTreeMap<Lang, Vec<IdIdx>>,
) -> Vec<graph::Stop> {
    let default = config.default_lang();
    let weight = |id: IdIdx| {
        let info = &ids[id.0 as usize];
        info.sources.get(&info.original).map_or(0, |p| pages[p.0 as usize].fm.weight)
    };
    let mut parts: Vec<(i64, usize, Vec<graph::Stop>)> = Vec::new();
    for (i, section) in sections.iter().enumerate() {
        let mut stops = vec![graph::Stop::Section(i)];
        stops.extend(section.pages.get(default).into_iter().flatten().map(|&id| graph::Stop::Page(id)));
        parts.push((config.sections[&section.name].weight, parts.len(), stops));
    }
    for &id in root_pages.get(default).into_iter().flatten() {
        parts.push((weight(id), parts.len(), vec![graph::Stop::Page(id)]));
    }
    parts.sort_by_key(|(w, i, _)| (*w, *i));
    parts.into_iter().flat_map(|(_, _, stops)| stops).collect()
}

/// What ordering needs: the pages, and which file each reader is shown.
pub(super) struct Order<'a> {
    pub config: &'a Config,
    pub pages: &'a [Page],
    pub ids: &'a [IdInfo],
    pub shown: &'a BTreeMap<(IdIdx, Lang), Shown>,
}

impl Order<'_> {
    /// `ids` in navigation order for `lang`: weight, then title, then id.
    fn sorted(&self, mut ids: Vec<IdIdx>, lang: &Lang) -> Vec<IdIdx> {
        // Order is the original's (the same in every language); ties by the title shown.
        let key = |id: &IdIdx| {
            let info = &self.ids[id.0 as usize];
            let weight = info.sources.get(&info.original).map_or(0, |p| self.pages[p.0 as usize].fm.weight);
            let page = self.shown.get(&(*id, lang.clone())).map(|s| &self.pages[s.source.0 as usize]);
            (weight, page.map(|p| crate::lang::sort_key(&p.fm.title)), &info.id)
        };
        // Each key once: a title's sort key is a new string.
        ids.sort_by_cached_key(key);
        ids
    }

    fn per_lang(&self, select: impl Fn(&IdInfo) -> bool) -> BTreeMap<Lang, Vec<IdIdx>> {
        let ids: Vec<IdIdx> =
            self.ids.iter().enumerate().filter(|(_, info)| select(info)).map(|(i, _)| IdIdx(i as u32)).collect();
        // Languages on every core: each sorts every page of the section by its title there.
        self.config.languages.par_iter().map(|lang| (lang.clone(), self.sorted(ids.clone(), lang))).collect()
    }

    /// Every declared section, in navigation order, with its pages per language.
    pub(super) fn sections(&self, by_id: &BTreeMap<String, IdIdx>) -> Vec<Section> {
        let mut names: Vec<(&String, i64)> = self.config.sections.iter().map(|(n, s)| (n, s.weight)).collect();
        names.sort_by(|a, b| (a.1, a.0).cmp(&(b.1, b.0)));
        names
            .into_iter()
            .map(|(name, _)| Section {
                name: name.clone(),
                index: by_id.get(&format!("{name}/{INDEX_SLUG}")).copied(),
                pages: self.per_lang(|info| info.section.as_deref() == Some(name) && !info.is_index()),
            })
            .collect()
    }

    /// The root pages (not the home page) per language, in navigation order.
    pub(super) fn root_pages(&self) -> BTreeMap<Lang, Vec<IdIdx>> {
        self.per_lang(|info| info.section.is_none() && !info.is_index())
    }
}
