//! Resolve stage: the entry point. Parsed pages are taken in (duplicates and drafts set
//! aside), numbered (ids sorted, pages in file order), and each job of the stage is run
//! once, in order: translations, references and links, aliases, navigation, facets and
//! the knowledge graph. The result is the immutable [`Site`].

use super::facts::take_originals_facts;
use super::links::Known;
use super::nav::{reading_order, Order};
use super::originals::{check_menus, lost_originals};
use super::translations::translation_status;
use super::{aliases::aliases, facets, graph, Assets, IdIdx, IdInfo, Page, PageIdx, Site};
use crate::config::{Config, Lang, DEFAULT_KIND};
use crate::content::discover::INDEX_SLUG;
use crate::content::ParsedPage;
use crate::diagnostics::{Diagnostics, Pos};
use indexmap::IndexMap;
use rayon::prelude::*;
use std::collections::{BTreeMap, BTreeSet};

/// Builds the [`Site`] from parsed pages. Problems go to `diags`.
pub(crate) fn resolve(
    config: Config,
    parsed: Vec<ParsedPage>,
    assets: &Assets,
    drafts: bool,
    diags: &mut Diagnostics,
) -> Site {
    let taken = take_in(&config, parsed, drafts, &assets.reserved, diags);
    let (ids, by_id, mut pages) = number(&config, taken.ids, taken.files);
    let lost = lost_originals(config.default_lang(), &ids, &pages, &taken.draft_files, diags);
    let pending = take_originals_facts(&config, &ids, &mut pages, &lost, diags);
    let built: Vec<&str> = ids.iter().map(|i| i.id.as_str()).collect();
    crate::config::menu::check_pages(&config, &built, &taken.drafts, diags);
    let shown = translation_status(&config, &ids, &pages, &taken.draft_files, &lost, diags);
    check_menus(&config, &by_id, &lost, diags);
    let known = Known {
        config: &config,
        pages: &pages,
        ids: &ids,
        by_id: &by_id,
        shown: &shown,
        lost: &lost,
        drafts: &taken.drafts,
        assets,
    };
    // Each page's references and links are resolved on every core; their problems are
    // reported in page order, as one thread would.
    let checked: Vec<_> = pages
        .par_iter()
        .map(|page| {
            let mut found = Diagnostics::new();
            let refs = known.resolve_refs(page, &mut found);
            let targets = known.check_links(page, &mut found);
            ((refs, targets), found)
        })
        .collect();
    let mut resolved = Vec::with_capacity(pages.len());
    for (page, found) in checked {
        resolved.push(page);
        diags.extend(found);
    }
    let aliases = aliases(&config, &pages, &ids, diags);
    for (page, (refs, targets)) in pages.iter_mut().zip(resolved) {
        page.refs = refs;
        page.link_targets = targets;
    }
    pending.apply(&config, &mut pages);
    let order = Order { config: &config, pages: &pages, ids: &ids, shown: &shown };
    let sections = order.sections(&by_id);
    let root_pages = order.root_pages();
    let home = by_id.get(INDEX_SLUG).copied();
    let reading_order = reading_order(&config, &pages, &ids, &sections, &root_pages);
    let (graph, facets) = rayon::join(
        || graph::Builder { config: &config, pages: &pages, ids: &ids }.build(reading_order, diags),
        || facets::FacetValues::new(&config, &pages, &ids, &shown),
    );
    Site { config, pages, ids, sections, root_pages, home, aliases, graph, facets, shown }
}

/// The pages taken in: every page id met, the files to build, and the ids of drafts left
/// out (so that a link to one says so), with each draft file by id and language (so that a
/// translation whose original is a draft says so).
struct TakenIn {
    ids: BTreeMap<String, IdInfo>,
    files: Vec<ParsedPage>,
    drafts: BTreeSet<String>,
    draft_files: BTreeMap<(String, Lang), String>,
}

/// Sets aside a second file for the same id and language, and drafts unless `drafts`;
/// reports addresses a page may not take.
fn take_in(
    config: &Config,
    parsed: Vec<ParsedPage>,
    drafts: bool,
    reserved: &[&str],
    diags: &mut Diagnostics,
) -> TakenIn {
    let mut taken =
        TakenIn { ids: BTreeMap::new(), files: Vec::new(), drafts: BTreeSet::new(), draft_files: BTreeMap::new() };
    let mut seen: BTreeMap<(String, Lang), String> = BTreeMap::new();
    for p in parsed {
        let key = (p.file.id.clone(), p.file.lang.clone());
        if let Some(other) = seen.get(&key) {
            diags.error(
                &p.file.rel,
                Pos::default(),
                "duplicate-page",
                format!(
                    "page `{}` in language `{}` is already defined by {other}: keep one of the two files",
                    key.0, key.1
                ),
            );
            continue;
        }
        seen.insert(key.clone(), p.file.rel.clone());
        if p.fm.draft && !drafts {
            taken.drafts.insert(p.file.id.clone());
            taken.draft_files.insert(key, p.file.rel.clone());
            continue;
        }
        check_address(config, &p, reserved, diags);
        taken.ids.entry(p.file.id.clone()).or_insert_with(|| IdInfo {
            id: p.file.id.clone(),
            section: p.file.section.clone(),
            slug: p.file.slug.clone(),
            sources: BTreeMap::new(),
            original: config.default_lang().clone(),
        });
        taken.files.push(p);
    }
    taken
}

/// Reports a page whose address is a section's, a reserved one, or a facet page's of its
/// section.
fn check_address(config: &Config, p: &ParsedPage, reserved: &[&str], diags: &mut Diagnostics) {
    if p.file.section.is_none() && p.file.slug != INDEX_SLUG {
        check_root_slug(&p.file.slug, &p.file.rel, config, reserved, diags);
    }
    if let Some(section) = p.file.section.as_ref().and_then(|s| config.sections.get(s)) {
        if section.facets.contains(&p.file.slug) {
            diags.error(
                &p.file.rel,
                Pos::default(),
                "url-clash",
                format!(
                    "page `{}` would have the address of the `{}` filter pages of its section: rename the file",
                    p.file.id, p.file.slug
                ),
            );
        }
    }
}

/// Ids in sorted order, with the index to find them by name; pages in file order, each
/// registered with its id, and each id's original language decided.
fn number(
    config: &Config,
    ids: BTreeMap<String, IdInfo>,
    files: Vec<ParsedPage>,
) -> (Vec<IdInfo>, BTreeMap<String, IdIdx>, Vec<Page>) {
    let mut ids: Vec<IdInfo> = ids.into_values().collect();
    let by_id: BTreeMap<String, IdIdx> =
        ids.iter().enumerate().map(|(i, info)| (info.id.clone(), IdIdx(i as u32))).collect();
    let page_kind = config.kind_idx(DEFAULT_KIND);
    let mut pages: Vec<Page> = Vec::with_capacity(files.len());
    for p in files {
        let id = by_id[&p.file.id];
        ids[id.0 as usize].sources.insert(p.file.lang.clone(), PageIdx(pages.len() as u32));
        // The parse stage only accepts declared kinds, and `page` is always declared.
        let kind = config.kind_idx(&p.fm.kind).or(page_kind).unwrap_or_default();
        pages.push(Page {
            id,
            lang: p.file.lang,
            file: p.file.rel,
            kind,
            fm: p.fm,
            body: p.body,
            link_targets: Vec::new(),
            refs: IndexMap::new(),
            hash: p.hash,
            digest: p.digest,
            fm_print: p.fm_print,
            facts_print: p.facts_print,
        });
    }
    for info in &mut ids {
        if !info.sources.contains_key(config.default_lang()) {
            if let Some(first) = config.languages.iter().find(|l| info.sources.contains_key(*l)) {
                info.original = first.clone();
            }
        }
    }
    (ids, by_id, pages)
}

fn check_root_slug(slug: &str, file: &str, config: &Config, reserved: &[&str], diags: &mut Diagnostics) {
    if config.sections.contains_key(slug) {
        diags.error(
            file,
            Pos::default(),
            "url-clash",
            format!("page `{slug}` would have the same address as section `{slug}`: rename the file"),
        );
    } else if reserved.contains(&slug) || config.taxonomies.contains_key(slug) {
        diags.error(
            file,
            Pos::default(),
            "url-clash",
            format!("`{slug}` is a reserved address in every language: rename the file"),
        );
    }
}
