//! Render stage, home family: each language's home page (`<lang>/index.html`: the home
//! page's text, every section with its pages, the pages directly under the home), and the
//! output's own `index.html`, where readers choose a language.

use super::{Family, Reads};
use crate::config::Lang;
use crate::render::context::{Card, Layout, PageView};
use crate::render::view::page::synthetic_view;
use crate::render::view::{page_file, View};
use crate::render::{OutputFile, Problem};
use crate::site::OutDir;
use serde::Serialize;

/// A section on the home page.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct SectionCard {
    /// Its title.
    pub(crate) title: String,
    /// Relative URL.
    pub(crate) url: String,
    /// How many pages it holds.
    pub(crate) count: usize,
    /// Its pages.
    pub(crate) pages: Vec<Card>,
}

/// Context of `home.html`.
#[derive(Debug, Serialize)]
pub(crate) struct HomeCtx {
    /// The reader's language (used by `t()`).
    pub(crate) lang: String,
    /// Layout.
    pub(crate) layout: Layout,
    /// The home page.
    pub(crate) page: PageView,
    /// Sections in order.
    pub(crate) sections: Vec<SectionCard>,
    /// Pages directly under the home page.
    pub(crate) pages: Vec<Card>,
}

/// One file of the home family.
pub(crate) enum HomeJob {
    /// The output's `index.html`: a list of the languages.
    Languages,
    /// A language's home page.
    Home(Lang),
}

/// Homes and the language chooser.
pub(crate) struct Home;

impl Family for Home {
    const NAME: &'static str = "home";
    /// The home page is the language folder's own page.
    const RESERVED: &'static [&'static str] = &["index.html"];
    type Job = HomeJob;

    fn jobs(view: &View<'_>) -> Vec<HomeJob> {
        let mut jobs = vec![HomeJob::Languages];
        jobs.extend(view.site.config.languages.iter().map(|l| HomeJob::Home(l.clone())));
        jobs
    }

    fn render(view: &View<'_>, job: &HomeJob) -> Result<OutputFile, Problem> {
        match job {
            HomeJob::Languages => view.root_page("languages.html", "index.html"),
            HomeJob::Home(lang) => view.home(lang),
        }
    }

    /// A language's home shows the text of the home page; the chooser shows none.
    fn lang(_view: &View<'_>, job: &HomeJob) -> Option<Lang> {
        match job {
            HomeJob::Home(lang) => Some(lang.clone()),
            HomeJob::Languages => None,
        }
    }

    fn reads(view: &View<'_>, job: &HomeJob) -> Reads {
        match (job, view.site.home) {
            (HomeJob::Home(_), Some(id)) => Reads::Id(id),
            _ => Reads::Nothing,
        }
    }
}

impl View<'_> {
    fn home(&self, lang: &Lang) -> Result<OutputFile, Problem> {
        let out: OutDir = vec![lang.to_string()];
        let page = match self.site.home {
            Some(id) => self.page_view(id, lang, &out),
            None => synthetic_view("_index".into(), self.site.config.title_in(lang)),
        };
        let sections = self
            .site
            .sections
            .iter()
            .enumerate()
            .map(|(i, s)| {
                let pages = self.cards(s.pages.get(lang), lang, &out);
                SectionCard {
                    title: self.section_title(i, lang),
                    url: self.url(&out, &[lang.to_string(), s.name.clone()]),
                    count: pages.len(),
                    pages,
                }
            })
            .collect();
        let pages = self.cards(self.site.root_pages.get(lang), lang, &out);
        let layout = self.layout(&out, lang, self.site.home, Vec::new(), None);
        self.render("home.html", &HomeCtx { lang: lang.to_string(), layout, page, sections, pages }, page_file(&out))
    }
}
