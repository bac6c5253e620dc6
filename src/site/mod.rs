//! Resolve stage: parsed pages become an immutable [`Site`]. Every page id is shown in
//! every declared language: its translation when there is one, else the original as a
//! fallback. Front-matter references and page links are resolved to ids once, translation
//! status (stale or not) is decided, navigation is ordered per language, facet values are
//! named, and the knowledge graph ([`graph`]) is derived. Nothing is filled in later.
//!
//! This file holds the types and the read-only API of [`Site`]; each job of the stage has
//! its own file: [`resolve()`] (the stage's entry), translations, navigation and reading
//! order, links and references, aliases, facets, and the dependency facts ([`deps`]).

mod aliases;
pub(crate) mod deps;
pub(crate) mod facets;
pub(crate) mod fact_box;
mod facts;
pub(crate) mod graph;
mod links;
mod nav;
mod originals;
mod refs;
mod resolve;
mod translations;

pub(crate) use links::warn_unlinked;
pub(crate) use refs::ResolvedRef;
pub(crate) use resolve::resolve;
pub use translations::TranslationEntry;

use crate::config::{Config, KindIdx, Lang};
use crate::content::discover::INDEX_SLUG;
use crate::content::frontmatter::{FieldValue, FrontMatter};
use crate::content::markdown::Markdown;
use indexmap::IndexMap;
use std::collections::{BTreeMap, BTreeSet};

/// Index of a page file (one id in one language) in [`Site::pages`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub(crate) struct PageIdx(pub u32);

/// Index of a page id (all its languages) in [`Site::ids`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub(crate) struct IdIdx(pub u32);

/// An output location: the folder segments below the output root (`["en", "pilots", "avignon"]`).
pub(crate) type OutDir = Vec<String>;

/// One page file, resolved.
#[derive(Debug, Clone)]
pub(crate) struct Page {
    /// Its id.
    pub id: IdIdx,
    /// Its language.
    pub lang: Lang,
    /// Its source file, relative to the site root.
    pub file: String,
    /// Its kind, as an index into [`Config::kinds`] (the same kind as `fm.kind`).
    pub kind: KindIdx,
    /// Checked front matter.
    pub fm: FrontMatter,
    /// Rendered body (shared with the parse cache of a `serve` session).
    pub body: std::sync::Arc<Markdown>,
    /// For each body link, where it leads.
    pub link_targets: Vec<Resolved>,
    /// Its reference fields (`type: ref`, or a list of them), resolved once: per field
    /// name, in the kind's declaration order, the pages named, in the order written, with
    /// where each was written. A reference to a page that does not exist is reported by
    /// the resolve stage and left out; one to a page of the wrong kind is reported and
    /// kept. Fields the page does not set, or that hold no reference, are absent.
    pub refs: IndexMap<String, Vec<ResolvedRef>>,
    /// Its content hash (see [`crate::content::content_hash`]).
    pub hash: String,
    /// A hash of its body's HTML and headings (see [`crate::content::ParsedPage::digest`]).
    pub digest: u64,
    /// A hash of its front matter as written, before a translation takes its original's
    /// facts (see [`crate::content::ParsedPage::fm_print`]).
    pub fm_print: u64,
    /// A hash of the facts a translation takes from it (see
    /// [`crate::content::ParsedPage::facts_print`]).
    pub facts_print: u64,
}

impl Page {
    /// The pages its reference field `field` names, resolved, in the order written (empty
    /// when it does not set it).
    pub(crate) fn refs(&self, field: &str) -> &[ResolvedRef] {
        self.refs.get(field).map_or(&[], Vec::as_slice)
    }
}

/// Where a body link leads, once resolved.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Resolved {
    /// A page, and a heading of it.
    Page(IdIdx, Option<String>),
    /// A heading of the same page.
    Anchor(String),
    /// The list page of a section that has no `_index` file (`@/pilots/_index.md`), by
    /// the section's name.
    Section(String),
    /// A file, by its path in the output, with the fragment written after it
    /// (`page=2` in `report.pdf#page=2`).
    File(String, Option<String>),
    /// Reported as an error; never rendered.
    Broken,
}

/// The files pages may link to, by their paths in the output.
#[derive(Debug, Clone, Default)]
pub(crate) struct Assets {
    /// Files of `static/` and the theme's `static/`.
    pub statics: BTreeSet<String>,
    /// Files beside the pages in `content/` (copied to the same path in the output).
    pub content: BTreeSet<String>,
    /// First segments below a language folder that no root page may take (`search`,
    /// `print`, `static`): see `reserved_segments` in `src/lib.rs`.
    pub reserved: Vec<&'static str>,
}

/// A page id and the files that give it in each language.
#[derive(Debug, Clone, Hash)]
pub(crate) struct IdInfo {
    /// `pilots/avignon`, `pilots/_index`, `_index`.
    pub id: String,
    /// Its section.
    pub section: Option<String>,
    /// Its slug (`_index` for home and section pages).
    pub slug: String,
    /// The file per language.
    pub sources: BTreeMap<Lang, PageIdx>,
    /// The language of the original: the default language, else the first that has it.
    pub original: Lang,
}

impl IdInfo {
    /// Whether this is a home or section page.
    pub(crate) fn is_index(&self) -> bool {
        self.slug == INDEX_SLUG
    }
}

/// How a page id is shown in one language.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Status {
    /// The original itself.
    Original,
    /// A translation, up to date as far as we know.
    Translated,
    /// A translation made from an older version of the original.
    Stale {
        /// The hash the translation records.
        translated_from: String,
        /// The original's hash now.
        current: String,
    },
    /// No translation: the original is shown.
    Fallback,
}

/// What a reader of one language gets for one page id.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Shown {
    /// The file whose content is shown.
    pub source: PageIdx,
    /// Translation status.
    pub status: Status,
}

/// A section in navigation order, with its pages per language.
#[derive(Debug, Clone)]
pub(crate) struct Section {
    /// The folder name.
    pub name: String,
    /// Its `_index` id, if any language has one.
    pub index: Option<IdIdx>,
    /// Pages (not the `_index`) per language, in navigation order; fallbacks included.
    pub pages: BTreeMap<Lang, Vec<IdIdx>>,
}

/// The whole site, read-only from here on.
#[derive(Debug, Clone)]
pub(crate) struct Site {
    /// The configuration.
    pub config: Config,
    /// Every page file.
    pub pages: Vec<Page>,
    /// Every page id, sorted.
    pub ids: Vec<IdInfo>,
    /// Sections in navigation order.
    pub sections: Vec<Section>,
    /// Root pages (directly in `content/`, not the home page) per language, in order.
    pub root_pages: BTreeMap<Lang, Vec<IdIdx>>,
    /// The home page id, if any language has one.
    pub home: Option<IdIdx>,
    /// Alias folders that redirect to a page, with the language they redirect in.
    pub aliases: Vec<(OutDir, IdIdx, Lang)>,
    /// Backlinks, mentions, taxonomy terms, related pages, reading order.
    pub graph: graph::Graph,
    /// Every page id's facet values (key and label), per language.
    pub facets: facets::FacetValues,
    shown: BTreeMap<(IdIdx, Lang), Shown>,
}

impl Site {
    /// The page file at `idx`.
    pub(crate) fn page(&self, idx: PageIdx) -> &Page {
        &self.pages[idx.0 as usize]
    }

    /// The id at `idx`.
    pub(crate) fn info(&self, id: IdIdx) -> &IdInfo {
        &self.ids[id.0 as usize]
    }

    /// The file that gives `id` in its original language, if any (every id built has one).
    pub(crate) fn original(&self, id: IdIdx) -> Option<&Page> {
        let info = self.info(id);
        info.sources.get(&info.original).map(|&p| self.page(p))
    }

    /// The values of the facet `field` on `id` (read from its original), with their labels
    /// in `lang`, in the order written. See [`facets::FacetValues`].
    pub(crate) fn facet_values(&self, id: IdIdx, field: &str, lang: &Lang) -> &[facets::FacetValue] {
        self.facets.get(&self.config, id, field, lang)
    }

    /// The dependency facts of the site: who refers to and who lists whom. Computed from
    /// the site on each call.
    pub(crate) fn deps(&self) -> deps::Dependencies {
        deps::Dependencies::of(self)
    }

    /// What a reader of `lang` gets for `id`.
    pub(crate) fn shown(&self, id: IdIdx, lang: &Lang) -> &Shown {
        // Every (id, declared language) pair is filled in by `resolve`.
        &self.shown[&(id, lang.clone())]
    }

    /// The page file shown for `id` in `lang`.
    pub(crate) fn shown_page(&self, id: IdIdx, lang: &Lang) -> &Page {
        self.page(self.shown(id, lang).source)
    }

    /// Where `id` is written for readers of `lang`.
    pub(crate) fn out(&self, id: IdIdx, lang: &Lang) -> OutDir {
        let info = self.info(id);
        out_dir(lang, info.section.as_deref(), &info.slug)
    }

    /// Every date a page shows: its `date` and its date fields; and the accessibility
    /// statement's dates.
    pub(crate) fn dates(&self) -> impl Iterator<Item = chrono::NaiveDate> + '_ {
        fn collect(v: &FieldValue, out: &mut Vec<chrono::NaiveDate>) {
            match v {
                FieldValue::Date(d) => out.push(*d),
                FieldValue::List(items) => items.iter().for_each(|i| collect(i, out)),
                _ => {}
            }
        }
        let statement = self.config.statement.iter().flat_map(|s| std::iter::once(s.prepared).chain(s.reviewed));
        self.pages
            .iter()
            .flat_map(|p| {
                let mut out: Vec<chrono::NaiveDate> = p.fm.date.into_iter().collect();
                p.fm.fields.values().for_each(|v| collect(v, &mut out));
                out
            })
            .chain(statement)
    }

    /// The languages that have their own file for `id`, in `site.yaml` order.
    pub(crate) fn translations(&self, id: IdIdx) -> Vec<&Lang> {
        let info = self.info(id);
        self.config.languages.iter().filter(|l| info.sources.contains_key(*l)).collect()
    }
}

fn out_dir(lang: &Lang, section: Option<&str>, slug: &str) -> OutDir {
    let mut out = vec![lang.to_string()];
    out.extend(section.map(str::to_string));
    if slug != INDEX_SLUG {
        out.push(slug.to_string());
    }
    out
}
