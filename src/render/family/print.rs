//! Render stage, print family: `<lang>/print/`, the whole guidebook on one page for
//! printing (cover, numbered contents, then every part and chapter in reading order),
//! where every link between pages points inside the print page.
//!
//! When a language's pages hold more text than `print.max_size` of `site.yaml` (see
//! [`plan`]), its print version is in parts: `<lang>/print/` is a contents page (the
//! cover, then a link to each part with its page count), and each part is printed alone at
//! `<lang>/print/<section>/` (`<lang>/print/pages/` for the pages outside every section),
//! with the same chrome and stylesheet; a link to a page of another part leads into that
//! part's page.

pub(crate) mod plan;

use super::{Faces, Family, Reads};
use crate::config::Lang;
use crate::render::context::{Layout, PageView};
use crate::render::view::page::synthetic_view;
use crate::render::view::{page_file, View};
use crate::render::{OutputFile, Problem};
use crate::site::graph::Stop;
use crate::site::{IdIdx, OutDir};
use plan::PrintAt;
use serde::Serialize;

/// The folder of the print page below `<lang>/`.
pub(crate) const SEGMENT: &str = "print";

/// The anchor of the heading of the part that holds the pages outside every section
/// (section parts are `part-<name>`, pages `p-<id>`).
const OTHER_PAGES_ANCHOR: &str = "other-pages";

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

/// A part as the contents page of a print version in parts links it.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct PrintPartLink {
    /// `2`.
    pub(crate) number: String,
    /// The part's title (its section's).
    pub(crate) title: String,
    /// The title's language, when it is not the reader's (an untranslated section page).
    pub(crate) lang: Option<String>,
    /// Relative URL of the part's page.
    pub(crate) url: String,
    /// How many pages it prints.
    pub(crate) pages: usize,
    /// `Pages: 12`, in the reader's language.
    pub(crate) pages_text: String,
}

/// The part a page of a print version in parts prints.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct PrintPart {
    /// The part's number and title, as the contents page shows them.
    pub(crate) link: PrintPartLink,
    /// Relative URL of the contents page.
    pub(crate) contents_url: String,
}

/// Context of `print.html`: the whole guidebook on one page, or, for a print version in
/// parts, its contents page (`parts`) or one of its parts (`part`).
#[derive(Debug, Serialize)]
pub(crate) struct PrintCtx {
    /// The reader's language.
    pub(crate) lang: String,
    /// Layout.
    pub(crate) layout: Layout,
    /// The home page, as the cover (none on a part's page).
    pub(crate) cover: Option<PageView>,
    /// Every part and chapter printed on this page, in order (none on a contents page).
    pub(crate) entries: Vec<PrintEntry>,
    /// On the contents page of a version in parts: every part (else empty).
    pub(crate) parts: Vec<PrintPartLink>,
    /// On a part's page: that part.
    pub(crate) part: Option<PrintPart>,
}

/// One print file.
pub(crate) enum PrintJob {
    /// The whole guidebook of a language.
    Whole(Lang),
    /// The contents page of a language printed in parts.
    Contents(Lang),
    /// A part (index into `PrintPlan::parts`) of a language printed in parts.
    Part(Lang, usize),
}

/// The print page of each language.
pub(crate) struct Print;

impl Family for Print {
    const NAME: &'static str = "print";
    const RESERVED: &'static [&'static str] = &[SEGMENT];
    type Job = PrintJob;

    fn jobs(view: &View<'_>) -> Vec<PrintJob> {
        let mut jobs = Vec::new();
        for lang in &view.site.config.languages {
            if view.print_plan.in_parts(lang) {
                // The parts first: they are the long ones.
                jobs.extend((0..view.print_plan.parts.len()).map(|i| PrintJob::Part(lang.clone(), i)));
                jobs.push(PrintJob::Contents(lang.clone()));
            } else {
                jobs.push(PrintJob::Whole(lang.clone()));
            }
        }
        jobs
    }

    /// Every page's text as shown in its language; a part, its own pages'; the contents
    /// page, the home page's (its cover), for it only counts the parts' pages.
    fn lang(_view: &View<'_>, job: &PrintJob) -> Option<Lang> {
        match job {
            PrintJob::Whole(lang) | PrintJob::Contents(lang) | PrintJob::Part(lang, _) => Some(lang.clone()),
        }
    }

    fn reads(view: &View<'_>, job: &PrintJob) -> Reads {
        match job {
            PrintJob::Whole(lang) => Reads::Lang(lang.clone()),
            // The cover, and the parts' titles and page counts (faces, not texts).
            PrintJob::Contents(_) => view.site.home.map_or(Reads::Nothing, Reads::Id),
            PrintJob::Part(lang, i) => Reads::Among(lang.clone(), part_ids(view, *i)),
        }
    }

    /// A part shows its own pages; the whole print page and the contents, any page.
    fn faces(view: &View<'_>, job: &PrintJob) -> Faces {
        match job {
            PrintJob::Part(_, i) => Faces::Of(part_ids(view, *i)),
            PrintJob::Whole(_) | PrintJob::Contents(_) => Faces::Any,
        }
    }

    /// `/<lang>/print/`: cover, numbered contents, then every part and chapter in order;
    /// or, in parts, the contents page and `/<lang>/print/<part>/`.
    fn render(view: &View<'_>, job: &PrintJob) -> Result<OutputFile, Problem> {
        match job {
            PrintJob::Whole(lang) => whole(view, lang),
            PrintJob::Contents(lang) => contents(view, lang),
            PrintJob::Part(lang, i) => part(view, lang, *i),
        }
    }
}

/// The view that renders the print file at `at`: links between pages become anchors in
/// it, or links into the print file holding their target.
fn printer<'a>(view: &View<'a>, at: PrintAt) -> View<'a> {
    View { print: true, print_at: at, ..*view }
}

/// The layout of a print file at `out` (no alternates: the print version is not the
/// page of another language).
fn layout(view: &View<'_>, out: &OutDir, lang: &Lang) -> Layout {
    let mut layout = view.layout(out, lang, None, vec![view.home_crumb(out, lang)], None);
    layout.alternates.clear();
    layout
}

/// The home page as the cover, with its links as seen from `printer`.
fn cover(printer: &View<'_>, lang: &Lang, out: &OutDir) -> PageView {
    match printer.site.home {
        Some(id) => printer.page_view(id, lang, out),
        None => synthetic_view("_index".into(), printer.site.config.title_in(lang)),
    }
}

fn whole(view: &View<'_>, lang: &Lang) -> Result<OutputFile, Problem> {
    let printer = printer(view, PrintAt::Whole);
    let out: OutDir = vec![lang.to_string(), SEGMENT.to_string()];
    let cover = Some(cover(&printer, lang, &out));
    let entries = entries(&printer, lang, &out, &view.site.graph.order, 0);
    let layout = layout(view, &out, lang);
    let ctx = PrintCtx { lang: lang.to_string(), layout, cover, entries, parts: Vec::new(), part: None };
    view.render("print.html", &ctx, page_file(&out))
}

fn contents(view: &View<'_>, lang: &Lang) -> Result<OutputFile, Problem> {
    let printer = printer(view, PrintAt::Contents);
    let out = view.print_plan.out(lang, PrintAt::Contents);
    let cover = Some(cover(&printer, lang, &out));
    let parts = (0..view.print_plan.parts.len()).map(|i| part_link(view, lang, &out, i)).collect();
    let layout = layout(view, &out, lang);
    let ctx = PrintCtx { lang: lang.to_string(), layout, cover, entries: Vec::new(), parts, part: None };
    view.render("print.html", &ctx, page_file(&out))
}

fn part(view: &View<'_>, lang: &Lang, i: usize) -> Result<OutputFile, Problem> {
    let plan = view.print_plan;
    let printer = printer(view, PrintAt::Part(i));
    let out = plan.out(lang, PrintAt::Part(i));
    let stops = plan.parts.get(i).map_or(&[][..], |p| &p.stops);
    let link = part_link(view, lang, &out, i);
    let mut entries = Vec::new();
    if plan.parts.get(i).is_some_and(|p| p.section.is_none()) {
        let title = view.t(lang, "print_other_pages", &[]);
        let page = synthetic_view(OTHER_PAGES_ANCHOR.into(), title);
        entries.push(PrintEntry { number: link.number.clone(), level: 1, anchor: OTHER_PAGES_ANCHOR.into(), page });
    }
    entries.extend(entries_of_part(&printer, lang, &out, stops, i + 1));
    let contents_url = view.url(&out, &plan.out(lang, PrintAt::Contents));
    let layout = layout(view, &out, lang);
    let part = Some(PrintPart { link, contents_url });
    let ctx = PrintCtx { lang: lang.to_string(), layout, cover: None, entries, parts: Vec::new(), part };
    view.render("print.html", &ctx, page_file(&out))
}

/// Part `i` as the contents page links it, from the folder `from`.
fn part_link(view: &View<'_>, lang: &Lang, from: &OutDir, i: usize) -> PrintPartLink {
    let plan = view.print_plan;
    let (title, title_lang) = match plan.parts.get(i).and_then(|p| p.section) {
        Some(s) => {
            let shown = view.site.sections[s].index.map(|id| &view.site.shown_page(id, lang).lang);
            (view.section_title(s, lang), shown.filter(|l| *l != lang).map(ToString::to_string))
        }
        None => (view.t(lang, "print_other_pages", &[]), None),
    };
    let pages = plan.parts.get(i).map_or(0, |p| {
        let printed = |stop: &&Stop| match **stop {
            Stop::Section(s) => view.site.sections[s].index.is_some(),
            Stop::Page(_) => true,
        };
        p.stops.iter().filter(printed).count()
    });
    PrintPartLink {
        number: (i + 1).to_string(),
        title,
        lang: title_lang,
        url: view.url(from, &plan.out(lang, PrintAt::Part(i))),
        pages,
        pages_text: view.t(lang, "print_part_pages", &[("count", &pages.to_string())]),
    }
}

/// The entries of `stops` (a whole reading order), parts numbered from `part + 1`: each
/// section and each page outside every section is a part, the pages of a section its
/// chapters.
fn entries(printer: &View<'_>, lang: &Lang, out: &OutDir, stops: &[Stop], part: usize) -> Vec<PrintEntry> {
    number_entries(printer, lang, out, stops, part, false)
}

/// The page ids of part `i` of the print version (its section's own page included),
/// sorted.
fn part_ids(view: &View<'_>, i: usize) -> Vec<IdIdx> {
    let part = view.print_plan.parts.get(i).map(|p| p.stops.as_slice()).unwrap_or_default();
    let mut ids: Vec<IdIdx> = (part.iter())
        .filter_map(|stop| match *stop {
            Stop::Page(id) => Some(id),
            Stop::Section(s) => view.site.sections[s].index,
        })
        .collect();
    ids.sort_unstable();
    ids
}

/// The entries of the part numbered `part`: its section (if any) and its pages as its
/// chapters (the pages outside every section too).
fn entries_of_part(printer: &View<'_>, lang: &Lang, out: &OutDir, stops: &[Stop], part: usize) -> Vec<PrintEntry> {
    number_entries(printer, lang, out, stops, part - 1, true)
}

fn number_entries(
    printer: &View<'_>,
    lang: &Lang,
    out: &OutDir,
    stops: &[Stop],
    mut part: usize,
    in_one_part: bool,
) -> Vec<PrintEntry> {
    let site = printer.site;
    let mut chapter = 0;
    if in_one_part && !matches!(stops.first(), Some(Stop::Section(_))) {
        part += 1;
    }
    let mut entries = Vec::with_capacity(stops.len());
    for stop in stops {
        let (number, level, anchor, page) = match *stop {
            Stop::Section(i) => {
                part += 1;
                chapter = 0;
                let section = &site.sections[i];
                let mut page = match section.index {
                    Some(id) => printer.page_view(id, lang, out),
                    None => synthetic_view(format!("{}/_index", section.name), printer.section_title(i, lang)),
                };
                page.title = printer.section_title(i, lang);
                (part.to_string(), 1, format!("part-{}", section.name), page)
            }
            Stop::Page(id) if !in_one_part && site.info(id).section.is_none() => {
                part += 1;
                chapter = 0;
                (part.to_string(), 1, printer.print_anchor(id), printer.page_view(id, lang, out))
            }
            Stop::Page(id) => {
                chapter += 1;
                (format!("{part}.{chapter}"), 2, printer.print_anchor(id), printer.page_view(id, lang, out))
            }
        };
        entries.push(PrintEntry { number, level, anchor, page });
    }
    entries
}
