//! Render stage: the page families. A family is one kind of output file (pages, sections
//! and their facet pages, taxonomies, the print page, feeds and the sitemap, the search
//! page, homes and the language chooser, 404, alias redirects): it lists the files it makes
//! for a site and renders each, through the shared view layer ([`super::view`]).
//!
//! Adding a kind of output page touches three places: its module here, implementing
//! [`Family`] (with its context type and the URL segments it reserves) and named once in
//! the `families!` list below; its template in `themes/default/templates/`; its
//! interface strings in `i18n/`.

#[cfg(test)]
mod tests;

use super::view::View;
use super::{OutputFile, Problem};
use crate::config::Lang;
use crate::site::IdIdx;

/// Which pages' text (rendered body) one output file shows, so that a rebuild after an
/// edit renders again only the files that can show it. Text is a page file's body HTML
/// and its translation status. Everything else a page has (title, summary, fields,
/// references, link targets...) may be shown by any file except a page's own file, whose
/// dependencies the resolve stage records (see `crate::incremental`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Reads {
    /// No page's text.
    Nothing,
    /// The text of this page id, in any language (a page shows its own text, and its
    /// language switcher the status of each translation).
    Id(IdIdx),
    /// A page's own file (of the `pages` family): the text of this page id, and of other
    /// pages what the site's dependency facts say a page shows (see
    /// `crate::incremental`).
    Page(IdIdx),
    /// The text of any page id as shown in this language (the print page).
    Lang(Lang),
    /// The text of these page ids as shown in this language (a part of a print version
    /// in parts), sorted.
    Among(Lang, Vec<IdIdx>),
    /// Any page's text: what a family declares unless it knows better.
    Everything,
}

impl Reads {
    /// Whether a file that reads this gathers the texts of many pages (a print version,
    /// or a part of one): the largest files, which `serve` renders after the others.
    pub(crate) fn gathers(&self) -> bool {
        matches!(self, Reads::Lang(_) | Reads::Among(..))
    }

    /// Whether a file that reads this shows the text of `id` in `lang`.
    pub(crate) fn shows(&self, id: IdIdx, lang: &Lang) -> bool {
        match self {
            Reads::Nothing => false,
            Reads::Id(i) | Reads::Page(i) => *i == id,
            Reads::Lang(l) => l == lang,
            Reads::Among(l, ids) => l == lang && ids.binary_search(&id).is_ok(),
            Reads::Everything => true,
        }
    }
}

/// Which pages' *faces* a file shows: everything of a page but its text (title, summary,
/// date, fields...), as lists, cards and tables show it, together with what those pages'
/// cards show of the pages they refer to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Faces {
    /// Any page's face: what a family declares unless it knows better.
    Any,
    /// The faces of these page ids (sorted), and of the pages they refer to.
    Of(Vec<IdIdx>),
}

impl Faces {
    /// The faces of `ids` (in any order).
    pub(crate) fn of(mut ids: Vec<IdIdx>) -> Self {
        ids.sort_unstable();
        ids.dedup();
        Faces::Of(ids)
    }
}

/// Which of a site's files to render: those that the predicate accepts, given what the
/// file reads ([`Reads`]), which faces it shows ([`Faces`], when the predicate asks), and
/// the language whose readers it is for ([`Family::lang`]).
pub(crate) type Select<'a> = &'a (dyn Fn(&Reads, &dyn Fn() -> Faces, Option<&Lang>) -> bool + Sync);

/// One kind of output file: what it makes and how.
pub(crate) trait Family {
    /// The family's name, for tests and messages.
    const NAME: &'static str;
    /// The first path segments below `<lang>/` that this family writes and that no page,
    /// section or taxonomy may take (`search`, `print`). Checked by a test against every
    /// file the family renders; the union, [`crate::render::reserved_segments`], is what
    /// the resolve stage needs to report pages that would take one.
    const RESERVED: &'static [&'static str] = &[];
    /// What tells one of the family's files from another (a page id and a language, say).
    type Job: Send + Sync + 'static;
    /// Every file the family makes for the site, in the order they should start.
    fn jobs(view: &View<'_>) -> Vec<Self::Job>;
    /// Makes one file. A template problem comes back as file, position and message.
    fn render(view: &View<'_>, job: &Self::Job) -> Result<OutputFile, Problem>;
    /// Which pages' text the file of `job` shows. The default, [`Reads::Everything`], is
    /// always right; a family that declares less must show no other page's text.
    fn reads(_view: &View<'_>, _job: &Self::Job) -> Reads {
        Reads::Everything
    }
    /// Which pages' faces the file of `job` shows (see [`Faces`]). The default,
    /// [`Faces::Any`], is always right; a family that declares less must show no other
    /// page's face, and only what the pages it names show of the pages they refer to.
    fn faces(_view: &View<'_>, _job: &Self::Job) -> Faces {
        Faces::Any
    }
    /// The language whose readers the file of `job` is for, when it shows other pages only
    /// as they are shown in that language (their title and fields there); `None`, the
    /// default, is always right: a file for every language, or one that shows pages as
    /// other languages show them.
    fn lang(_view: &View<'_>, _job: &Self::Job) -> Option<Lang> {
        None
    }
}

/// One file to make, with its family's job type erased: run it with the view.
pub(crate) type Job = Box<dyn Fn(&View<'_>) -> Result<OutputFile, Problem> + Send + Sync>;

/// A family as the registry holds it.
pub(crate) struct Registered {
    /// [`Family::NAME`] (read by the tests).
    #[cfg_attr(not(test), allow(dead_code))]
    pub(crate) name: &'static str,
    /// [`Family::RESERVED`].
    pub(crate) reserved: &'static [&'static str],
    /// [`Family::jobs`] (those that `select` accepts, or all), each job bound to
    /// [`Family::render`].
    pub(crate) jobs: fn(&View<'_>, Option<Select<'_>>) -> Vec<Job>,
}

const fn register<F: Family>() -> Registered {
    Registered { name: F::NAME, reserved: F::RESERVED, jobs: jobs_of::<F> }
}

fn jobs_of<F: Family>(view: &View<'_>, select: Option<Select<'_>>) -> Vec<Job> {
    F::jobs(view)
        .into_iter()
        .filter(|job| {
            select
                .is_none_or(|accept| accept(&F::reads(view, job), &|| F::faces(view, job), F::lang(view, job).as_ref()))
        })
        .map(|job| Box::new(move |v: &View<'_>| F::render(v, &job)) as Job)
        .collect()
}

/// Declares each family's module and lists the family in [`FAMILIES`], in one line each.
macro_rules! families {
    ($($module:ident::$family:ident),* $(,)?) => {
        $(pub(crate) mod $module;)*

        /// Every family, in the order their jobs start.
        pub(crate) const FAMILIES: &[Registered] = &[$(register::<$module::$family>()),*];
    };
}

// The print pages (every page of a language in one file) are the longest jobs: first, so
// that they do not finish alone while the other cores wait.
families![
    print::Print,
    home::Home,
    not_found::NotFound,
    feeds::Feeds,
    sections::Sections,
    open_data::OpenData,
    pages::Pages,
    taxonomies::Taxonomies,
    search_page::SearchPage,
    statement::Statement,
    brand::Brand,
    aliases::Aliases,
];
