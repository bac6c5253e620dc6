//! Render stage, section family: section pages as browse pages. A section that declares
//! `facets` lists each facet's values with counts; each value has a static page of its own
//! (`<lang>/<section>/<facet>/<value>/`, so browsing works without JavaScript), and the
//! cards carry their values so the theme's script can combine filters in place.

use super::open_data::{self, Format};
use super::{Faces, Family, Reads};
use crate::config::Lang;
use crate::render::context::{Card, Layout, Link, PageView};
use crate::render::view::page::synthetic_view;
use crate::render::view::{page_file, relative_file_url, View};
use crate::render::{OutputFile, Problem};
use crate::site::graph::Stop;
use crate::site::facets::FacetSource;
use crate::site::{IdIdx, OutDir};
use serde::Serialize;
use std::collections::HashMap;

/// A value readers can filter a section by.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct FacetValue {
    /// Its key, as in the cards' `data-facets` (`country:france`).
    pub(crate) key: String,
    /// Its name in the reader's language.
    pub(crate) label: String,
    /// The language of `label` when it is not the reader's: the title of a page not yet
    /// translated (`Germany` on a German page), for `lang` on its link.
    pub(crate) lang: Option<String>,
    /// The page listing the section's pages with this value.
    pub(crate) url: String,
    /// How many pages have it.
    pub(crate) count: usize,
    /// Whether it is the value of the page being read.
    pub(crate) current: bool,
}

/// A field readers can filter a section by.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct Facet {
    /// The field name.
    pub(crate) name: String,
    /// Its label.
    pub(crate) label: String,
    /// Its values, most used first.
    pub(crate) values: Vec<FacetValue>,
}

/// Context of `section.html`.
#[derive(Debug, Serialize)]
pub(crate) struct SectionCtx {
    /// The reader's language (used by `t()`).
    pub(crate) lang: String,
    /// Layout.
    pub(crate) layout: Layout,
    /// The section's own page (its `_index`, or one made from `site.yaml`).
    pub(crate) page: PageView,
    /// The section's pages in order (on a facet page: those with the value).
    pub(crate) pages: Vec<Card>,
    /// Fields readers can filter by, with their values.
    pub(crate) facets: Vec<Facet>,
    /// On a facet page: the facet and value shown (`Country: France`).
    pub(crate) filter: Option<String>,
    /// Relative URL of the section page (all pages, no filter).
    pub(crate) all_url: String,
    /// The section's pages as open data in the reader's language.
    pub(crate) data: DataLinks,
}

/// Relative URLs of a section's open-data files (see [`super::open_data`]).
#[derive(Debug, Serialize)]
pub(crate) struct DataLinks {
    /// `<section>.json`.
    pub(crate) json: String,
    /// `<section>.csv`.
    pub(crate) csv: String,
}

/// One file of the section family.
pub(crate) enum SectionJob {
    /// A section (its index in `site.sections`) with all its pages, in a language.
    Section(usize, Lang),
    /// The pages of a section whose facet has one value.
    Facet {
        /// The section's index in `site.sections`.
        section: usize,
        /// The facet (a field name).
        facet: String,
        /// The value's key.
        key: String,
        /// The reader's language.
        lang: Lang,
    },
}

/// Sections and their facet pages.
pub(crate) struct Sections;

impl Family for Sections {
    const NAME: &'static str = "sections";
    type Job = SectionJob;

    fn jobs(view: &View<'_>) -> Vec<SectionJob> {
        let site = view.site;
        let mut jobs = Vec::new();
        for lang in &site.config.languages {
            jobs.extend((0..site.sections.len()).map(|i| SectionJob::Section(i, lang.clone())));
        }
        for i in 0..site.sections.len() {
            for (facet, key) in view.facet_keys(i) {
                jobs.extend(site.config.languages.iter().map(|l| SectionJob::Facet {
                    section: i,
                    facet: facet.clone(),
                    key: key.clone(),
                    lang: l.clone(),
                }));
            }
        }
        jobs
    }

    fn render(view: &View<'_>, job: &SectionJob) -> Result<OutputFile, Problem> {
        match job {
            SectionJob::Section(i, lang) => view.section(*i, lang),
            SectionJob::Facet { section, facet, key, lang } => view.facet_page(*section, facet, key, lang),
        }
    }

    /// A section's page shows the text of its `_index` page; facet pages show no text.
    fn lang(_view: &View<'_>, job: &SectionJob) -> Option<Lang> {
        match job {
            SectionJob::Section(_, lang) | SectionJob::Facet { lang, .. } => Some(lang.clone()),
        }
    }

    fn reads(view: &View<'_>, job: &SectionJob) -> Reads {
        match job {
            SectionJob::Section(i, _) => view.site.sections[*i].index.map_or(Reads::Nothing, Reads::Id),
            SectionJob::Facet { .. } => Reads::Nothing,
        }
    }

    /// A section's page shows the cards of its pages and the titles of the stops before
    /// and after it in the reading order; a facet page, the cards of the pages with its
    /// value.
    fn faces(view: &View<'_>, job: &SectionJob) -> Faces {
        match job {
            SectionJob::Section(i, lang) => {
                let section = &view.site.sections[*i];
                let order = &view.site.graph.order;
                let at = order.iter().position(|s| *s == Stop::Section(*i));
                let around = at.into_iter().flat_map(|at| [at.checked_sub(1), Some(at + 1)]).flatten();
                let neighbours = around.filter_map(|n| match order.get(n) {
                    Some(Stop::Page(id)) => Some(*id),
                    _ => None,
                });
                let listed = section.pages.get(lang).into_iter().flatten().copied();
                Faces::of(listed.chain(section.index).chain(neighbours).collect())
            }
            SectionJob::Facet { section, facet, key, lang } => Faces::of(view.facet_ids(*section, facet, key, lang)),
        }
    }
}

impl View<'_> {
    /// The facets of section `i` with their values and counts among its pages in `lang`;
    /// `current` is the (facet, value) of the facet page being rendered.
    fn facets(&self, i: usize, lang: &Lang, from: &OutDir, current: Option<(&str, &str)>) -> Vec<Facet> {
        let section = &self.site.sections[i];
        let config = &self.site.config;
        let kind = &config.kinds[&config.sections[&section.name].kind];
        config.sections[&section.name]
            .facets
            .iter()
            .map(|facet| {
                let mut values: Vec<FacetValue> = Vec::new();
                // Where each value's key is in `values`: a section's facet pages each count
                // its thousands of pages again.
                let mut at: HashMap<String, usize> = HashMap::new();
                for &id in section.pages.get(lang).into_iter().flatten() {
                    for v in self.site.facet_values(id, facet, lang) {
                        if let Some(&i) = at.get(&v.key) {
                            values[i].count += 1;
                            continue;
                        }
                        at.insert(v.key.clone(), values.len());
                        values.push(FacetValue {
                            key: format!("{facet}:{}", v.key),
                            url: self.url(from, &[lang.to_string(), section.name.clone(), facet.clone(), v.key.clone()]),
                            current: current == Some((facet.as_str(), v.key.as_str())),
                            label: v.label.clone(),
                            lang: self.label_lang(&v.source, lang),
                            count: 1,
                        });
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

    /// The language of a facet value's label when it is not `lang`: that of a page shown
    /// in its original's language.
    fn label_lang(&self, source: &FacetSource, lang: &Lang) -> Option<String> {
        let FacetSource::Page(target) = source else { return None };
        let shown = self.site.shown_page(*target, lang);
        (&shown.lang != lang).then(|| shown.lang.to_string())
    }

    /// The URLs, from `from`, of section `i`'s open-data files in `lang`.
    fn data_links(&self, i: usize, lang: &Lang, from: &OutDir) -> DataLinks {
        let name = &self.site.sections[i].name;
        let file = |format| relative_file_url(from, &format!("{lang}/{name}/{}", open_data::file_name(name, format)));
        DataLinks { json: file(Format::Json), csv: file(Format::Csv) }
    }

    /// `<lang>/<section>/`: the section's own page, its pages as cards, its facets.
    fn section(&self, i: usize, lang: &Lang) -> Result<OutputFile, Problem> {
        let section = &self.site.sections[i];
        let out: OutDir = vec![lang.to_string(), section.name.clone()];
        let mut page = match section.index {
            Some(id) => self.page_view(id, lang, &out),
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
            data: self.data_links(i, lang, &out),
        };
        self.render("section.html", &ctx, page_file(&out))
    }

    /// The pages of section `i` in `lang` whose `facet` has the value `key`, in order.
    fn facet_ids(&self, i: usize, facet: &str, key: &str, lang: &Lang) -> Vec<IdIdx> {
        let pages = self.site.sections[i].pages.get(lang).into_iter().flatten().copied();
        pages.filter(|&id| self.site.facet_values(id, facet, lang).iter().any(|v| v.key == key)).collect()
    }

    /// The pages of section `i` whose `facet` has the value `key`.
    fn facet_page(&self, i: usize, facet: &str, key: &str, lang: &Lang) -> Result<OutputFile, Problem> {
        let section = &self.site.sections[i];
        let out: OutDir = vec![lang.to_string(), section.name.clone(), facet.to_string(), key.to_string()];
        let ids = self.facet_ids(i, facet, key, lang);
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
            data: self.data_links(i, lang, &out),
        };
        self.render("section.html", &ctx, page_file(&out))
    }
}
