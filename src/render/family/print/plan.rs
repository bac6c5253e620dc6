//! Render stage, print family: how each language's print version is laid out. On one page
//! (the whole guidebook, as long as its pages' text stays under `print.max_size` of
//! `site.yaml`), or in parts: one page per part (a section with its pages, and one part
//! for the pages outside every section), linked from a contents page that holds the cover.
//! The plan is made once per build and read by every page (their footers link the print
//! version) and by the print pages (their links between pages lead to the part holding
//! the target).

use super::SEGMENT;
use crate::config::Lang;
use crate::site::graph::Stop;
use crate::site::{IdIdx, OutDir, Site};
use std::collections::{BTreeSet, HashMap};

/// The folder, below `<lang>/print/`, of the part that holds the pages outside every
/// section (made unique against section names by a number: `pages-2`).
pub(crate) const OTHER_PAGES: &str = "pages";

/// Where a file of the print version stands: what a link between pages points into.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub(crate) enum PrintAt {
    /// The whole guidebook on one page: every page is an anchor in it.
    #[default]
    Whole,
    /// The contents page of a version in parts: it holds the cover (the home page).
    Contents,
    /// Part `i` (into [`PrintPlan::parts`]) of a version in parts.
    Part(usize),
}

/// One part of a print version in parts.
#[derive(Debug)]
pub(crate) struct Part {
    /// Its folder below `<lang>/print/`: the section's name, or [`OTHER_PAGES`].
    pub(crate) slug: String,
    /// The section it prints (by index in `Site::sections`), or `None` for the pages
    /// outside every section.
    pub(crate) section: Option<usize>,
    /// Its stops, in reading order: the section, then its pages (for the other pages,
    /// only pages).
    pub(crate) stops: Vec<Stop>,
}

/// How each language's print version is laid out.
#[derive(Debug, Default)]
pub(crate) struct PrintPlan {
    /// The parts, in reading order (the same in every language).
    pub(crate) parts: Vec<Part>,
    /// The part of every page in the reading order.
    part_of: HashMap<IdIdx, usize>,
    /// The languages whose print version is in parts.
    in_parts: BTreeSet<Lang>,
}

impl PrintPlan {
    /// The plan of `site`: a language is printed in parts when the HTML of its pages'
    /// text (the bulk of a print page) is over `print.max_size` bytes.
    pub(crate) fn new(site: &Site) -> Self {
        let parts = parts_of(site);
        let mut part_of = HashMap::new();
        for (i, part) in parts.iter().enumerate() {
            for stop in &part.stops {
                match *stop {
                    Stop::Page(id) => part_of.insert(id, i),
                    Stop::Section(s) => site.sections[s].index.and_then(|id| part_of.insert(id, i)),
                };
            }
        }
        let max = site.config.print.max_size;
        let in_parts = site.config.languages.iter().filter(|lang| text_bytes(site, lang) > max).cloned().collect();
        PrintPlan { parts, part_of, in_parts }
    }

    /// Whether `lang`'s print version is in parts.
    pub(crate) fn in_parts(&self, lang: &Lang) -> bool {
        self.in_parts.contains(lang)
    }

    /// The languages whose print version is in parts (every page's footer says so).
    pub(crate) fn languages_in_parts(&self) -> &BTreeSet<Lang> {
        &self.in_parts
    }

    /// Where page `id` is printed in a version in parts: its part, or the contents page
    /// (the home page, the cover).
    pub(crate) fn at(&self, id: IdIdx) -> PrintAt {
        self.part_of.get(&id).map_or(PrintAt::Contents, |&i| PrintAt::Part(i))
    }

    /// The folder of the print file at `at` in `lang`.
    pub(crate) fn out(&self, lang: &Lang, at: PrintAt) -> OutDir {
        let mut out = vec![lang.to_string(), SEGMENT.to_string()];
        if let PrintAt::Part(i) = at {
            out.extend(self.parts.get(i).map(|p| p.slug.clone()));
        }
        out
    }
}

/// The parts of the reading order: each section with its pages, and the pages outside
/// every section gathered in one part where the first of them stands.
fn parts_of(site: &Site) -> Vec<Part> {
    let mut parts: Vec<Part> = Vec::new();
    let (mut current, mut others) = (None, None);
    for stop in &site.graph.order {
        let i = match *stop {
            Stop::Section(s) => {
                let slug = site.sections[s].name.clone();
                parts.push(Part { slug, section: Some(s), stops: Vec::new() });
                current = Some(parts.len() - 1);
                current
            }
            Stop::Page(id) if site.info(id).section.is_none() => Some(*others.get_or_insert_with(|| {
                parts.push(Part { slug: other_pages_slug(site), section: None, stops: Vec::new() });
                parts.len() - 1
            })),
            Stop::Page(_) => current,
        };
        if let Some(part) = i.and_then(|i| parts.get_mut(i)) {
            part.stops.push(*stop);
        }
    }
    parts
}

/// [`OTHER_PAGES`], or `pages-2`, `pages-3`... when a section has that name.
fn other_pages_slug(site: &Site) -> String {
    let taken = |slug: &str| site.sections.iter().any(|s| s.name == slug);
    let mut slug = OTHER_PAGES.to_string();
    let mut n = 1;
    while taken(&slug) {
        n += 1;
        slug = format!("{OTHER_PAGES}-{n}");
    }
    slug
}

/// Bytes of the HTML of the text of every page the print version of `lang` holds.
fn text_bytes(site: &Site, lang: &Lang) -> u64 {
    let bytes = |id: IdIdx| site.shown_page(id, lang).body.html.len() as u64;
    let stops = site.graph.order.iter().map(|stop| match *stop {
        Stop::Section(s) => site.sections[s].index.map_or(0, bytes),
        Stop::Page(id) => bytes(id),
    });
    site.home.map_or(0, bytes) + stops.sum::<u64>()
}
