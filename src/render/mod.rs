//! Render stage: the [`Site`] becomes HTML, XML and redirect files through tera templates
//! and typed contexts, in parallel. Every page id is rendered in every language. Internal
//! links are relative, so the output works at any sub-path and, with `offline`, from
//! `file://`.
//!
//! Each kind of output file is a page family (`family/`: pages, sections and their facet
//! pages, taxonomies, print, feeds and the sitemap, the search page, homes, 404, aliases)
//! that lists its own files and renders them through the shared view layer (`view/`:
//! links, layout, page views, cards, interface strings, dates). The registry
//! `family::FAMILIES` lists every family in one place.

pub(crate) mod context;
mod family;
mod glossary;
pub(crate) mod theme;
mod view;

pub(crate) use family::print::plan::PrintPlan;
pub(crate) use family::{Faces, Reads, Select};
pub(crate) use view::page::summary;

use crate::diagnostics::{Diagnostics, Pos};
use crate::error::Error;
use crate::lang::{DateFormats, I18n};
use crate::output::OutputFile;
use crate::site::Site;
use crate::timings::{Clock, Stage};
use rayon::prelude::*;
use theme::Theme;

/// Options that change the rendered output.
#[derive(Debug, Clone, Default)]
pub(crate) struct RenderOptions {
    /// Links end in `index.html`, for reading from `file://`.
    pub offline: bool,
    /// The build date (from `SOURCE_DATE_EPOCH`).
    pub build_date: Option<chrono::NaiveDate>,
}

/// What generated the pages, for `<meta name="generator">` and the footer.
const GENERATOR: &str = concat!("guidebook ", env!("CARGO_PKG_VERSION"));

/// A problem met while rendering: file, position, message, and the output file being
/// made when it was met (a template can fail on one page's data only).
type Problem = (String, Pos, String, Option<String>);

/// A problem's template file, position in it and message.
type ProblemAt = (String, Pos, String);

/// What the render stage reads.
pub(crate) struct RenderInput<'a> {
    /// The resolved site.
    pub site: &'a Site,
    /// Templates and static files.
    pub theme: &'a Theme,
    /// Interface strings.
    pub i18n: &'a I18n,
    /// Date formats per language.
    pub dates: &'a DateFormats,
    /// Output options.
    pub opts: &'a RenderOptions,
}

/// Renders every file of the site (with `select`, only the files whose [`Reads`] it
/// accepts) and hands each to `take` as soon as it is made (which may write it, so that
/// the whole site is never held in memory); returns what `take` returned, one per file
/// rendered, or its first error. Template problems go to `diags`.
/// Each file's making is timed on `clock` as render's (what `take` does is its own).
pub(crate) fn render_each<T: Send>(
    input: &RenderInput<'_>,
    select: Option<Select<'_>>,
    diags: &mut Diagnostics,
    clock: &Clock,
    take: impl Fn(OutputFile) -> Result<T, Error> + Sync,
) -> Result<Vec<T>, Error> {
    let glossary = clock.time(Stage::Render, || glossary::GlossaryIndex::new(input.site));
    let print_plan = clock.time(Stage::Render, || family::print::plan::PrintPlan::new(input.site));
    let view = view::View {
        site: input.site,
        theme: input.theme,
        i18n: input.i18n,
        dates: input.dates,
        opts: input.opts,
        print: false,
        print_at: Default::default(),
        print_plan: &print_plan,
        glossary: &glossary,
        site_root: None,
    };
    let jobs: Vec<family::Job> =
        clock.time(Stage::Render, || family::FAMILIES.iter().flat_map(|f| (f.jobs)(&view, select)).collect());
    clock.to_render(jobs.len());
    // One file per task, so that no core waits while the other renders a long run of
    // files alone (a print page takes as long as hundreds of others).
    let results: Vec<Result<T, Problem>> = jobs
        .par_iter()
        .with_max_len(1)
        .map(|job| {
            let made = clock.time(Stage::Render, || job(&view));
            clock.rendered();
            match made {
                Ok(file) => take(file).map(Ok),
                Err(problem) => Ok(Err(problem)),
            }
        })
        .collect::<Result<_, Error>>()?;
    let mut taken = Vec::with_capacity(results.len());
    // One message per problem, naming the first file it was met in (in the files' order)
    // and how many others: a template's mistake can fail on every page it renders.
    let mut met: Vec<(ProblemAt, Option<String>, usize)> = Vec::new();
    for res in results {
        match res {
            Ok(t) => taken.push(t),
            Err((file, pos, message, making)) => {
                let key = (file, pos, message);
                match met.iter_mut().find(|(k, _, _)| *k == key) {
                    Some((_, _, others)) => *others += 1,
                    None => met.push((key, making, 0)),
                }
            }
        }
    }
    for ((file, pos, message), making, others) in met {
        let context = match (making, others) {
            (Some(path), 0) => format!(" (while making `{path}`)"),
            (Some(path), 1) => format!(" (while making `{path}` and one other file)"),
            (Some(path), n) => format!(" (while making `{path}` and {n} other files)"),
            (None, _) => String::new(),
        };
        diags.error(&file, pos, "template", format!("{message}{context}"));
    }
    Ok(taken)
}

/// The first path segments below `<lang>/` that the page families write into (`print`,
/// `search`, ...), each declared by its family: no page, section or taxonomy may take one.
/// (Segments reserved for other reasons, such as the server's `api`, are not included.)
pub(crate) fn reserved_segments() -> Vec<&'static str> {
    family::FAMILIES.iter().flat_map(|f| f.reserved.iter().copied()).collect()
}
