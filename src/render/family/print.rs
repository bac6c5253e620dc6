//! Render stage, print family: `<lang>/print/`, the whole guidebook on one page for
//! printing (cover, numbered contents, then every part and chapter in reading order),
//! where every link between pages points inside the print page.

use super::{Family, Reads};
use crate::config::Lang;
use crate::render::context::{Layout, PageView};
use crate::render::view::page::synthetic_view;
use crate::render::view::{page_file, View};
use crate::render::{OutputFile, Problem};
use crate::site::graph::Stop;
use crate::site::OutDir;
use serde::Serialize;

/// The folder of the print page below `<lang>/`.
pub(crate) const SEGMENT: &str = "print";

/// A chapter or part of the print page.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct PrintEntry {
    /// `2` for a part, `2.3` for a chapter.
    pub(crate) number: String,
    /// 1 for a part, 2 for a chapter.
    pub(crate) level: u8,
    /// Its anchor in the print page.
    pub(crate) anchor: String,
    /// The page, with links pointing inside the print page.
    pub(crate) page: PageView,
}

/// Context of `print.html`: the whole guidebook on one page.
#[derive(Debug, Serialize)]
pub(crate) struct PrintCtx {
    /// The reader's language.
    pub(crate) lang: String,
    /// Layout.
    pub(crate) layout: Layout,
    /// The home page, as the cover.
    pub(crate) cover: PageView,
    /// Every part and chapter in order.
    pub(crate) entries: Vec<PrintEntry>,
}

/// The print page of each language.
pub(crate) struct Print;

impl Family for Print {
    const NAME: &'static str = "print";
    const RESERVED: &'static [&'static str] = &[SEGMENT];
    type Job = Lang;

    fn jobs(view: &View<'_>) -> Vec<Lang> {
        view.site.config.languages.clone()
    }

    /// Every page's text as shown in its language.
    fn reads(_view: &View<'_>, lang: &Lang) -> Reads {
        Reads::Lang(lang.clone())
    }

    /// `/<lang>/print/`: cover, numbered contents, then every part and chapter in order.
    fn render(view: &View<'_>, lang: &Lang) -> Result<OutputFile, Problem> {
        let printer = View { print: true, ..*view };
        let out: OutDir = vec![lang.to_string(), SEGMENT.to_string()];
        let cover = match view.site.home {
            Some(id) => printer.page_view(id, lang, &out),
            None => synthetic_view("_index".into(), view.site.config.title_in(lang)),
        };
        let (mut part, mut chapter) = (0, 0);
        let mut entries = Vec::new();
        for stop in &view.site.graph.order {
            let (number, level, anchor, page) = match *stop {
                Stop::Section(i) => {
                    part += 1;
                    chapter = 0;
                    let section = &view.site.sections[i];
                    let mut page = match section.index {
                        Some(id) => printer.page_view(id, lang, &out),
                        None => synthetic_view(
                            format!("{}/_index", section.name),
                            view.section_title(i, lang),
                        ),
                    };
                    page.title = view.section_title(i, lang);
                    (part.to_string(), 1, format!("part-{}", section.name), page)
                }
                Stop::Page(id) if view.site.info(id).section.is_none() => {
                    part += 1;
                    chapter = 0;
                    (part.to_string(), 1, view.print_anchor(id), printer.page_view(id, lang, &out))
                }
                Stop::Page(id) => {
                    chapter += 1;
                    (format!("{part}.{chapter}"), 2, view.print_anchor(id), printer.page_view(id, lang, &out))
                }
            };
            entries.push(PrintEntry { number, level, anchor, page });
        }
        let mut layout = view.layout(&out, lang, None, vec![view.home_crumb(&out, lang)], None);
        layout.alternates.clear();
        view.render("print.html", &PrintCtx { lang: lang.to_string(), layout, cover, entries }, page_file(&out))
    }
}
