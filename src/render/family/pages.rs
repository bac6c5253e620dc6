//! Render stage, page family: every page (not a section's or the site's `_index`) in every
//! language, through `page.html` or the kind's own `kinds/<kind>.html`.

use super::{Family, Reads};
use crate::config::Lang;
use crate::render::context::{Layout, Link, PageView};
use crate::render::view::{page_file, View};
use crate::render::{OutputFile, Problem};
use crate::site::graph::Stop;
use crate::site::IdIdx;
use serde::Serialize;

/// Context of `page.html` (and `<kind>.html`).
#[derive(Debug, Serialize)]
pub(crate) struct PageCtx {
    /// The reader's language (used by `t()`).
    pub(crate) lang: String,
    /// Layout.
    pub(crate) layout: Layout,
    /// The page.
    pub(crate) page: PageView,
}

/// Pages: one file per page id and language.
pub(crate) struct Pages;

impl Family for Pages {
    const NAME: &'static str = "pages";
    type Job = (IdIdx, Lang);

    fn jobs(view: &View<'_>) -> Vec<(IdIdx, Lang)> {
        let site = view.site;
        let mut jobs = Vec::new();
        for lang in &site.config.languages {
            let regular = site.ids.iter().enumerate().filter(|(_, info)| !info.is_index());
            jobs.extend(regular.map(|(i, _)| (IdIdx(i as u32), lang.clone())));
        }
        jobs
    }

    fn render(view: &View<'_>, (id, lang): &(IdIdx, Lang)) -> Result<OutputFile, Problem> {
        view.page(*id, lang)
    }

    /// A page shows its own text, its switcher each translation's status, and of other
    /// pages what the dependency facts record.
    fn reads(_view: &View<'_>, (id, _): &(IdIdx, Lang)) -> Reads {
        Reads::Page(*id)
    }

    fn lang(_view: &View<'_>, (_, lang): &(IdIdx, Lang)) -> Option<Lang> {
        Some(lang.clone())
    }
}

impl View<'_> {
    fn page(&self, id: IdIdx, lang: &Lang) -> Result<OutputFile, Problem> {
        let info = self.site.info(id);
        let out = self.site.out(id, lang);
        let mut crumbs = vec![self.home_crumb(&out, lang)];
        let mut view = self.page_view(id, lang, &out);
        if let Some(i) = info.section.as_deref().and_then(|s| self.section_index_of(s)) {
            let section = &self.site.sections[i];
            crumbs.push(Link {
                title: self.section_title(i, lang),
                url: self.url(&out, &[lang.to_string(), section.name.clone()]),
                lang: None,
            });
        }
        (view.prev, view.next) = self.neighbours(Stop::Page(id), lang, &out);
        let current = info.section.as_deref().unwrap_or(&info.id);
        let layout = self.layout(&out, lang, Some(id), crumbs, Some(current));
        let kind_template = format!("kinds/{}.html", view.kind);
        let template = if self.theme.paths.contains_key(&kind_template) { kind_template.as_str() } else { "page.html" };
        self.render(template, &PageCtx { lang: lang.to_string(), layout, page: view }, page_file(&out))
    }
}
