//! Render stage, search page family: `<lang>/search/`, the full results page. The theme's
//! script reads `?q=` and asks the language's search index.

use super::{Family, Reads};
use crate::config::Lang;
use crate::render::context::Layout;
use crate::render::view::{page_file, View};
use crate::render::{OutputFile, Problem};
use crate::site::OutDir;
use serde::Serialize;

/// The folder of the search page below `<lang>/`.
pub(crate) const SEGMENT: &str = "search";

/// Context of `search.html`, the full results page.
#[derive(Debug, Serialize)]
pub(crate) struct SearchCtx {
    /// The reader's language.
    pub(crate) lang: String,
    /// Layout.
    pub(crate) layout: Layout,
}

/// The search page of each language.
pub(crate) struct SearchPage;

impl Family for SearchPage {
    const NAME: &'static str = "search page";
    const RESERVED: &'static [&'static str] = &[SEGMENT];
    type Job = Lang;

    fn jobs(view: &View<'_>) -> Vec<Lang> {
        view.site.config.languages.clone()
    }

    fn render(view: &View<'_>, lang: &Lang) -> Result<OutputFile, Problem> {
        let out: OutDir = vec![lang.to_string(), SEGMENT.to_string()];
        let mut layout = view.layout(&out, lang, None, vec![view.home_crumb(&out, lang)], None);
        layout.alternates.clear();
        view.render("search.html", &SearchCtx { lang: lang.to_string(), layout }, page_file(&out))
    }

    fn lang(_view: &View<'_>, lang: &Lang) -> Option<Lang> {
        Some(lang.clone())
    }

    fn reads(_view: &View<'_>, _lang: &Lang) -> Reads {
        Reads::Nothing
    }
}
