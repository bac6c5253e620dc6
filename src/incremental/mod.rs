//! Rebuilds of only what an edit touched (for `serve`, through [`crate::rebuild`]): what a
//! resolved site looked like to the render stage, kept between builds, and which output
//! files an edit can alter.
//!
//! The whole site is still loaded, parsed (from the parse cache, which does not even read
//! a file whose size and time of change it knows) and resolved on every rebuild; only
//! rendering is selective. Each page file's data is split in two:
//! - its *text*: its rendered body (HTML and headings) and its translation status with the
//!   hashes that decide it. Only the files that show the page itself show its text, and
//!   each family declares which those are ([`Reads`]);
//! - its *face*: everything else (title, summary, date, weight, fields, references, the
//!   targets of its links...), which lists, cards, facts boxes, backlinks, menus,
//!   breadcrumbs, feeds, data files and the reading order may show.
//!
//! The *shape* of the site is everything that decides which files there are and what
//! every file but a page's own shows of other pages' structure: `site.yaml`, templates,
//! interface strings, static files, build options, the page ids and files (with their
//! sections), whether each page is shown in its reader's language, root pages, aliases, taxonomy terms and
//! facet values. The order of the pages (by weight, then title) is not part of it.
//!
//! - The shape changed (a page added or deleted, given another term or facet value...):
//!   everything is rendered, as a build does.
//! - Only texts changed: the files that read a changed text are rendered (the page in every
//!   language, its section or home page when it is their `_index`, the print page of each
//!   language that shows it).
//! - Faces changed (or a translation went stale, or up to date again): of the files that
//!   are not a page's own, those that show one of the pages below (a list, a term or facet
//!   page, a data file or a print part, each declaring whose faces it shows: [`Faces`]) and
//!   those that may show any page (homes, feeds, taxonomy indexes...); and of the pages'
//!   own files, those of the changed pages,
//!   of the pages that refer to them (by a field or a link: their facts and links show the
//!   title), of the pages whose backlinks, mentions or related pages list them, each as
//!   the dependency facts ([`Dependencies`]) say before and after the edit (so that a
//!   removed reference drops its backlink), of their neighbours in the reading order, and
//!   of the pages whose previous or next page is another than before (a title or weight
//!   moves a page). A page that every page shows (the home page, a section's `_index`, a
//!   root page, a page in a menu, a glossary entry) renders everything.
//!
//! The search index is rebuilt per language from its own cache whatever the plan.
//!
//! An edit of page texts alone, when the rebuild is told which files changed, is rebuilt
//! without loading, parsing and resolving the site again: see [`patch`].

pub(crate) mod patch;

use crate::config::menu::{MenuEntry, MenuTarget};
use crate::config::Lang;
use crate::render::{summary, Faces, Reads};
use crate::site::deps::{Dependencies, Listing};
use crate::site::graph::Stop;
use crate::site::{IdIdx, Page, Site, Status};
use crate::{BuildOptions, Prepared};
use rayon::prelude::*;
use std::collections::hash_map::DefaultHasher;
use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Debug;
use std::hash::{Hash, Hasher};

/// What a build rendered from, as fingerprints and dependency facts: enough to tell, at
/// the next rebuild, which output files an edit can alter.
#[derive(Debug, Default)]
pub(crate) struct Snapshot {
    /// The site's shape (see the module's documentation).
    shape: u64,
    /// Per page file, in [`Site::pages`] order: its face ([`face_of`]).
    faces: Vec<u64>,
    /// Per page file: what it refers to and links ([`relations_of`]), from which the
    /// backlinks, mentions and related pages of every language are drawn.
    relations: Vec<u64>,
    /// Which languages' print versions come in parts (part of `shape`).
    print_parts: u64,
    /// Per page id and language: the text shown there.
    text: BTreeMap<(IdIdx, Lang), u64>,
    /// Per page id, then per language (in [`Site::ids`] and `config.languages` order):
    /// the kind of its translation status ([`status_kind`]).
    statuses: Vec<u8>,
    /// Who refers to and lists whom.
    deps: Dependencies,
    /// The reading order (previous and next of each page).
    order: Vec<Stop>,
    /// The path of every file rendered (not the search indexes), as the build left them.
    pub(crate) outputs: Vec<String>,
}

/// What a rebuild renders.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum Plan {
    /// Every file, as a build does.
    Everything,
    /// Only the files that show the text of one of these page ids in that language; all
    /// the others are as the previous build wrote them.
    Texts(BTreeSet<(IdIdx, Lang)>),
    /// Every file but the pages' own, and the own files of these page ids (in the
    /// languages given) and of those that show a changed text.
    Faces {
        /// The pages whose own files show a changed face, each in the languages whose
        /// readers see the change.
        pages: InLangs,
        /// The texts changed.
        texts: BTreeSet<(IdIdx, Lang)>,
    },
}

impl Plan {
    /// Whether a file that reads `reads`, shows `faces`, and is for readers of `lang`
    /// (`None`: of any language) is to be rendered.
    pub(crate) fn renders(&self, reads: &Reads, faces: &dyn Fn() -> Faces, lang: Option<&Lang>) -> bool {
        let shows = |texts: &BTreeSet<(IdIdx, Lang)>| texts.iter().any(|(id, lang)| reads.shows(*id, lang));
        match (self, reads) {
            (Plan::Everything, _) => true,
            (Plan::Texts(texts), _) => shows(texts),
            (Plan::Faces { pages, texts }, Reads::Page(id)) => pages.has(*id, lang) || shows(texts),
            // `pages` holds the changed pages and those that refer to one (whose cards may
            // show its title): a list of none of them shows nothing that changed.
            (Plan::Faces { pages, texts }, _) => {
                shows(texts)
                    || match faces() {
                        Faces::Any => pages.any_in(lang),
                        Faces::Of(ids) => ids.iter().any(|id| pages.has(*id, lang)),
                    }
            }
        }
    }
}

/// Page ids, each in some languages.
#[derive(Debug, Default, PartialEq, Eq)]
pub(crate) struct InLangs(BTreeMap<IdIdx, BTreeSet<Lang>>);

impl InLangs {
    fn insert(&mut self, id: IdIdx, lang: &Lang) {
        self.0.entry(id).or_default().insert(lang.clone());
    }

    /// Whether `id` is held in `lang` (`None`: in any language).
    fn has(&self, id: IdIdx, lang: Option<&Lang>) -> bool {
        self.0.get(&id).is_some_and(|langs| lang.is_none_or(|l| langs.contains(l)))
    }

    /// Whether any page is held in `lang` (`None`: in any language).
    fn any_in(&self, lang: Option<&Lang>) -> bool {
        self.0.values().any(|langs| lang.is_none_or(|l| langs.contains(l)))
    }

    fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

fn hash_of(value: &impl Hash) -> u64 {
    let mut h = DefaultHasher::new();
    value.hash(&mut h);
    h.finish()
}

/// The hash of `value`'s debug form: for the resolved types, which have no `Hash`.
fn debug_hash(value: &impl Debug) -> u64 {
    let mut h = DefaultHasher::new();
    format!("{value:?}").hash(&mut h);
    h.finish()
}

impl Snapshot {
    /// The fingerprints and dependency facts of `prepared` as built with `opts` (its
    /// outputs not yet known).
    pub(crate) fn of(prepared: &Prepared, opts: &BuildOptions) -> Self {
        let site = &prepared.site;
        let mut shape = DefaultHasher::new();
        debug_hash(&site.config).hash(&mut shape);
        debug_hash(&*prepared.i18n).hash(&mut shape);
        prepared.theme.fingerprint.hash(&mut shape);
        statics_hash(&prepared.statics).hash(&mut shape);
        (opts.offline, opts.drafts, opts.source_date_epoch, &opts.base_url).hash(&mut shape);
        let g = &site.graph;
        // Not the order of the pages (their titles and weights decide it): see `moved`.
        // Which pages have each term, in any order (only the lists, rendered whatever the
        // plan, show that order).
        let terms: BTreeMap<&String, BTreeMap<&String, BTreeSet<IdIdx>>> = (g.terms.iter())
            .map(|(taxonomy, terms)| {
                (taxonomy, terms.iter().map(|(t, ids)| (t, ids.iter().copied().collect())).collect())
            })
            .collect();
        let structure = (&site.ids, &site.root_pages, site.home, &site.aliases, &site.facets);
        (structure, terms, &g.acronyms).hash(&mut shape);
        let print_parts = print_parts(site);
        print_parts.hash(&mut shape);
        let relations: Vec<u64> = site.pages.par_iter().map(relations_of).collect();
        let faces = site.pages.par_iter().zip(&relations).map(|(p, &r)| face_of(site, p, r)).collect();
        let mut text = BTreeMap::new();
        let mut statuses = Vec::with_capacity(site.ids.len() * site.config.languages.len());
        for i in 0..site.ids.len() {
            let id = IdIdx(i as u32);
            for lang in &site.config.languages {
                // Whether a page is shown in its own language (lists, feeds and the layout
                // mark those that are not) is the shape; whether a translation is up to
                // date or stale, only the files that show the page (see `plan`).
                let (kind, shown) = text_of(site, id, lang);
                (site.shown(id, lang).source, kind == FALLBACK).hash(&mut shape);
                statuses.push(kind);
                text.insert((id, lang.clone()), shown);
            }
        }
        let deps = site.deps();
        Snapshot {
            shape: shape.finish(),
            faces,
            relations,
            print_parts,
            text,
            statuses,
            deps,
            order: g.order.clone(),
            outputs: Vec::new(),
        }
    }

    /// What to render now that `site` is `self`, when the output is what `before`
    /// describes (`None`: unknown, render everything).
    pub(crate) fn plan(&self, site: &Site, before: Option<&Snapshot>) -> Plan {
        let Some(before) = before.filter(|b| b.shape == self.shape) else {
            return Plan::Everything;
        };
        // Equal shapes hold the same page ids, files and languages: the same keys.
        let changed = self.text.iter().filter(|(key, print)| before.text.get(*key) != Some(*print));
        let texts: BTreeSet<(IdIdx, Lang)> = changed.map(|(key, _)| key.clone()).collect();
        let languages = &site.config.languages;
        // A page file's face is seen by the readers of the languages it is shown in; what
        // it refers to and links, by every language's backlinks, mentions and related
        // pages.
        let mut faces = InLangs::default();
        for (i, _) in self.faces.iter().zip(&before.faces).enumerate().filter(|(_, (now, then))| now != then) {
            let id = site.pages[i].id;
            let related = self.relations.get(i) != before.relations.get(i);
            for lang in languages.iter().filter(|lang| related || site.shown(id, lang).source.0 as usize == i) {
                faces.insert(id, lang);
            }
        }
        // A translation that became stale (or up to date again) is marked so on its own
        // pages (its text), in the data files and in the statement's report, which render
        // when a page they show is among `pages`; the pages that refer to it show nothing
        // of it.
        let mut restated = InLangs::default();
        for (i, _) in self.statuses.iter().zip(&before.statuses).enumerate().filter(|(_, (now, then))| now != then) {
            let n = languages.len().max(1);
            if let Some(lang) = languages.get(i % n) {
                restated.insert(IdIdx((i / n) as u32), lang);
            }
        }
        let moved = moved(&before.order, &site.graph.order);
        if faces.is_empty() && moved.is_empty() && restated.is_empty() {
            return Plan::Texts(texts);
        }
        if faces.0.keys().any(|&id| shown_everywhere(site, id)) {
            return Plan::Everything;
        }
        // The reading order is every language's: a page that moved links other pages in all.
        let mut pages = restated;
        for id in moved {
            languages.iter().for_each(|lang| pages.insert(id, lang));
        }
        for deps in [&before.deps, &self.deps] {
            showing(site, deps, &faces, &mut pages);
        }
        for (id, langs) in faces.0 {
            langs.iter().for_each(|lang| pages.insert(id, lang));
        }
        Plan::Faces { pages, texts }
    }
}

/// A page file's face (see the module's documentation), as a hash, given its
/// [`relations_of`]. Its front matter is known by its hash as written, and for a
/// translation by that of the facts it takes from its original.
fn face_of(site: &Site, p: &Page, relations: u64) -> u64 {
    let info = site.info(p.id);
    let original = info.sources.get(&info.original).map(|&o| site.page(o)).filter(|o| o.file != p.file);
    let taken = original.map(|o| o.facts_print);
    hash_of(&(p.id, &p.lang, &p.file, p.kind, p.fm_print, taken, relations, summary(p)))
}

/// What a page file refers to (by its fields) and links (in its text), as a hash: part of
/// its face.
fn relations_of(p: &Page) -> u64 {
    debug_hash(&(&p.link_targets, &p.refs))
}

/// The [`status_kind`] of what readers of `lang` get for `id`, and a hash of its text
/// there: what the page's own files render of the body shown (its HTML and headings:
/// [`Page::digest`]) and its translation status.
fn text_of(site: &Site, id: IdIdx, lang: &Lang) -> (u8, u64) {
    let shown = site.shown(id, lang);
    let status = debug_hash(&shown.status);
    (status_kind(&shown.status), hash_of(&(site.page(shown.source).digest, status)))
}

/// A hash of which languages' print versions come in parts (over `print.max_size`): an
/// edit that takes one over or under changes every page's footer there.
fn print_parts(site: &Site) -> u64 {
    debug_hash(crate::render::PrintPlan::new(site).languages_in_parts())
}

/// Adds to `pages` those whose own files show something of the faces of `changed`, as
/// `deps` records it, in the languages whose readers see the change: the pages that refer
/// to one (their facts and links show its title there), whose backlinks, mentions or
/// related pages list one, or that are next to one in the reading order.
fn showing(site: &Site, deps: &Dependencies, changed: &InLangs, pages: &mut InLangs) {
    for (id, langs) in &changed.0 {
        let mut owners: BTreeSet<IdIdx> = BTreeSet::new();
        let referrers = deps.referred_by.get(id).into_iter().flatten();
        owners.extend(referrers.map(|(file, _)| site.page(*file).id));
        for listing in deps.listed_in.get(id).into_iter().flatten() {
            if let Listing::Backlinks(owner) | Listing::Mentions(owner) | Listing::Related(owner) = listing {
                owners.insert(*owner);
            }
        }
        let order = &site.graph.order;
        if let Some(at) = order.iter().position(|s| *s == Stop::Page(*id)) {
            let around = [at.checked_sub(1), Some(at + 1)];
            for stop in around.into_iter().flatten().filter_map(|i| order.get(i)) {
                if let Stop::Page(next) = stop {
                    owners.insert(*next);
                }
            }
        }
        for owner in owners {
            langs.iter().for_each(|lang| pages.insert(owner, lang));
        }
    }
}

/// The pages whose previous or next stop in the reading order is not the same in `now` as
/// in `before` (their navigation links show those stops' titles).
fn moved(before: &[Stop], now: &[Stop]) -> BTreeSet<IdIdx> {
    /// A stop as a key: whether it is a page, and its index.
    type Key = (bool, u32);
    let key = |stop: &Stop| match *stop {
        Stop::Section(i) => (false, i as u32),
        Stop::Page(id) => (true, id.0),
    };
    let around = |order: &[Stop]| -> BTreeMap<Key, (Option<Key>, Option<Key>)> {
        let at = |i: Option<usize>| i.and_then(|i| order.get(i)).map(key);
        order.iter().enumerate().map(|(i, s)| (key(s), (at(i.checked_sub(1)), at(Some(i + 1))))).collect()
    };
    let (then, now) = (around(before), around(now));
    now.iter()
        .filter(|(stop, links)| then.get(*stop) != Some(*links))
        .filter_map(|(stop, _)| stop.0.then_some(IdIdx(stop.1)))
        .collect()
}

/// Whether every page (or any page) may show something of `id`'s face: the home page, a
/// section's `_index` (menus and breadcrumbs show its title), a root page (the menu), a
/// page a menu or the footer names, a glossary entry (its term is linked in any text).
fn shown_everywhere(site: &Site, id: IdIdx) -> bool {
    fn named(entries: &[MenuEntry], id: &str) -> bool {
        entries.iter().any(|e| match &e.target {
            MenuTarget::Page(page) => page == id,
            MenuTarget::Group(inner) => named(inner, id),
            MenuTarget::Section(_) => false,
        })
    }
    let info = site.info(id);
    let menu = &site.config.menu;
    let glossary = site.config.glossary.as_ref().map(|g| g.kind.as_str());
    site.home == Some(id)
        || site.sections.iter().any(|s| s.index == Some(id))
        || site.root_pages.values().any(|ids| ids.contains(&id))
        || menu.menu.as_deref().is_some_and(|entries| named(entries, &info.id))
        || named(&menu.footer, &info.id)
        || info.sources.values().any(|&p| Some(site.page(p).fm.kind.as_str()) == glossary)
        || site.graph.acronyms.values().any(|&a| a == id)
}

/// The kind of a translation status, as a number: original, translated, stale or
/// fallback ([`FALLBACK`]).
fn status_kind(status: &Status) -> u8 {
    match status {
        Status::Original => 0,
        Status::Translated => 1,
        Status::Stale { .. } => 2,
        Status::Fallback => FALLBACK,
    }
}

/// The [`status_kind`] of a page shown in another language than the reader's.
const FALLBACK: u8 = 3;

/// A hash of the static files: their paths, and for files on disk their size and time of
/// change (as the write stage fingerprints them).
fn statics_hash(statics: &BTreeMap<String, crate::output::StaticSource>) -> u64 {
    let mut h = DefaultHasher::new();
    for (rel, source) in statics {
        rel.hash(&mut h);
        match source {
            // Built into this program: the same from one rebuild to the next.
            crate::output::StaticSource::Embedded(bytes) => bytes.len().hash(&mut h),
            crate::output::StaticSource::Disk(path) => {
                let meta = std::fs::metadata(path).ok();
                meta.as_ref().map(std::fs::Metadata::len).hash(&mut h);
                meta.and_then(|m| m.modified().ok()).hash(&mut h);
            }
        }
    }
    h.finish()
}
