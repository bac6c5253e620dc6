//! Resolve stage: parsed pages become an immutable [`Site`]. Every page id is shown in
//! every declared language: its translation when there is one, else the original as a
//! fallback. References and page links are resolved to ids, translation status (stale or
//! not) is decided, navigation is ordered per language, and the knowledge graph
//! ([`graph`]) is derived. Nothing is filled in later.

pub mod graph;

use crate::config::{Config, FieldType, Lang};
use crate::content::discover::INDEX_SLUG;
use crate::content::frontmatter::{FieldValue, FrontMatter, RefValue};
use crate::content::markdown::{BodyLink, Destination, LinkTarget, Markdown};
use crate::content::ParsedPage;
use crate::diagnostics::{did_you_mean, hint, Diagnostics, Pos};
use std::collections::{BTreeMap, BTreeSet};

/// Index of a page file (one id in one language) in [`Site::pages`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct PageIdx(pub u32);

/// Index of a page id (all its languages) in [`Site::ids`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct IdIdx(pub u32);

/// An output location: the folder segments below the output root (`["en", "pilots", "avignon"]`).
pub type OutDir = Vec<String>;

/// One page file, resolved.
#[derive(Debug)]
pub struct Page {
    /// Its id.
    pub id: IdIdx,
    /// Its language.
    pub lang: Lang,
    /// Its source file, relative to the site root.
    pub file: String,
    /// Checked front matter.
    pub fm: FrontMatter,
    /// Rendered body.
    pub body: Markdown,
    /// For each body link, where it leads.
    pub link_targets: Vec<Resolved>,
    /// Its content hash (see [`crate::content::content_hash`]).
    pub hash: String,
}

/// Where a body link leads, once resolved.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Resolved {
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
pub struct Assets {
    /// Files of `static/` and the theme's `static/`.
    pub statics: BTreeSet<String>,
    /// Files beside the pages in `content/` (copied to the same path in the output).
    pub content: BTreeSet<String>,
}

/// A page id and the files that give it in each language.
#[derive(Debug)]
pub struct IdInfo {
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
    pub fn is_index(&self) -> bool {
        self.slug == INDEX_SLUG
    }
}

/// How a page id is shown in one language.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Status {
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
pub struct Shown {
    /// The file whose content is shown.
    pub source: PageIdx,
    /// Translation status.
    pub status: Status,
}

/// A section in navigation order, with its pages per language.
#[derive(Debug)]
pub struct Section {
    /// The folder name.
    pub name: String,
    /// Its `_index` id, if any language has one.
    pub index: Option<IdIdx>,
    /// Pages (not the `_index`) per language, in navigation order; fallbacks included.
    pub pages: BTreeMap<Lang, Vec<IdIdx>>,
}

/// The whole site, read-only from here on.
#[derive(Debug)]
pub struct Site {
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
    shown: BTreeMap<(IdIdx, Lang), Shown>,
    by_id: BTreeMap<String, IdIdx>,
}

/// Folder names at the top of a language that pages may not take.
const RESERVED: [&str; 4] = ["search", "print", "static", "api"];

impl Site {
    /// The page file at `idx`.
    pub fn page(&self, idx: PageIdx) -> &Page {
        &self.pages[idx.0 as usize]
    }

    /// The id at `idx`.
    pub fn info(&self, id: IdIdx) -> &IdInfo {
        &self.ids[id.0 as usize]
    }

    /// The id named `id`.
    pub fn id(&self, id: &str) -> Option<IdIdx> {
        self.by_id.get(id).copied()
    }

    /// What a reader of `lang` gets for `id`.
    pub fn shown(&self, id: IdIdx, lang: &Lang) -> &Shown {
        // Every (id, declared language) pair is filled in by `resolve`.
        &self.shown[&(id, lang.clone())]
    }

    /// The page file shown for `id` in `lang`.
    pub fn shown_page(&self, id: IdIdx, lang: &Lang) -> &Page {
        self.page(self.shown(id, lang).source)
    }

    /// Where `id` is written for readers of `lang`.
    pub fn out(&self, id: IdIdx, lang: &Lang) -> OutDir {
        let info = self.info(id);
        out_dir(lang, info.section.as_deref(), &info.slug)
    }

    /// Every date a page shows: its `date` and its date fields.
    pub fn dates(&self) -> impl Iterator<Item = chrono::NaiveDate> + '_ {
        fn collect(v: &FieldValue, out: &mut Vec<chrono::NaiveDate>) {
            match v {
                FieldValue::Date(d) => out.push(*d),
                FieldValue::List(items) => items.iter().for_each(|i| collect(i, out)),
                _ => {}
            }
        }
        self.pages.iter().flat_map(|p| {
            let mut out: Vec<chrono::NaiveDate> = p.fm.date.into_iter().collect();
            p.fm.fields.values().for_each(|v| collect(v, &mut out));
            out
        })
    }

    /// The languages that have their own file for `id`, in `site.yaml` order.
    pub fn translations(&self, id: IdIdx) -> Vec<&Lang> {
        let info = self.info(id);
        self.config.languages.iter().filter(|l| info.sources.contains_key(*l)).collect()
    }
}

/// The translation status of one page id in one language, for `check --translations`.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct TranslationEntry {
    /// The page id.
    pub id: String,
    /// The language.
    pub lang: String,
    /// `original`, `translated`, `stale` or `missing`.
    pub status: &'static str,
    /// The file in that language, if there is one.
    pub file: Option<String>,
    /// The original's file.
    pub original: String,
    /// The original's content hash now: what `translated_from` should say.
    pub hash: String,
    /// What the translation's `translated_from` says.
    pub translated_from: Option<String>,
}

impl Site {
    /// Every page id in every language, with its translation status, languages in
    /// `site.yaml` order, ids sorted.
    pub fn translation_report(&self) -> Vec<TranslationEntry> {
        let mut out = Vec::new();
        for lang in &self.config.languages {
            for (i, info) in self.ids.iter().enumerate() {
                let id = IdIdx(i as u32);
                let Some(original) = info.sources.get(&info.original).map(|&p| self.page(p)) else {
                    continue;
                };
                let shown = self.shown(id, lang);
                let own = info.sources.get(lang).map(|&p| self.page(p));
                let status = match &shown.status {
                    Status::Original => "original",
                    Status::Translated => "translated",
                    Status::Stale { .. } => "stale",
                    Status::Fallback => "missing",
                };
                out.push(TranslationEntry {
                    id: info.id.clone(),
                    lang: lang.to_string(),
                    status,
                    file: own.map(|p| p.file.clone()),
                    original: original.file.clone(),
                    hash: original.hash.clone(),
                    translated_from: own.and_then(|p| p.fm.translated_from.as_ref().map(|(h, _)| h.clone())),
                });
            }
        }
        out
    }
}

/// Builds the [`Site`] from parsed pages. Problems go to `diags`.
pub fn resolve(
    config: Config,
    parsed: Vec<ParsedPage>,
    assets: &Assets,
    drafts: bool,
    diags: &mut Diagnostics,
) -> Site {
    let mut ids: BTreeMap<String, IdInfo> = BTreeMap::new();
    let mut files: Vec<ParsedPage> = Vec::new();
    let mut draft_ids: BTreeSet<String> = BTreeSet::new();
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
        seen.insert(key, p.file.rel.clone());
        if p.fm.draft && !drafts {
            draft_ids.insert(p.file.id.clone());
            continue;
        }
        if p.file.section.is_none() && p.file.slug != INDEX_SLUG {
            check_root_slug(&p.file.slug, &p.file.rel, &config, diags);
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
        ids.entry(p.file.id.clone()).or_insert_with(|| IdInfo {
            id: p.file.id.clone(),
            section: p.file.section.clone(),
            slug: p.file.slug.clone(),
            sources: BTreeMap::new(),
            original: config.default_lang().clone(),
        });
        files.push(p);
    }
    // Ids in sorted order; pages in file order.
    let ids: Vec<IdInfo> = ids.into_values().collect();
    let by_id: BTreeMap<String, IdIdx> =
        ids.iter().enumerate().map(|(i, info)| (info.id.clone(), IdIdx(i as u32))).collect();
    let mut ids = ids;
    let mut pages: Vec<Page> = Vec::with_capacity(files.len());
    for p in files {
        let id = by_id[&p.file.id];
        ids[id.0 as usize].sources.insert(p.file.lang.clone(), PageIdx(pages.len() as u32));
        pages.push(Page {
            id,
            lang: p.file.lang,
            file: p.file.rel,
            fm: p.fm,
            body: p.body,
            link_targets: Vec::new(),
            hash: p.hash,
        });
    }
    for info in &mut ids {
        if !info.sources.contains_key(config.default_lang()) {
            if let Some(first) = config.languages.iter().find(|l| info.sources.contains_key(*l)) {
                info.original = first.clone();
            }
        }
    }
    inherit_from_originals(&ids, &mut pages);
    let shown = translation_status(&config, &ids, &pages, diags);
    let known =
        Known { config: &config, pages: &pages, ids: &ids, by_id: &by_id, shown: &shown, drafts: &draft_ids, assets };
    let mut link_targets = Vec::with_capacity(pages.len());
    for page in &pages {
        known.check_refs(page, diags);
        link_targets.push(known.check_links(page, diags));
    }
    let aliases = aliases(&config, &pages, &ids, diags);
    for (page, targets) in pages.iter_mut().zip(link_targets) {
        page.link_targets = targets;
    }
    let order = Order { config: &config, pages: &pages, ids: &ids, shown: &shown };
    let sections = order.sections(&by_id);
    let root_pages = order.root_pages();
    let home = by_id.get(INDEX_SLUG).copied();
    let reading_order = reading_order(&config, &pages, &ids, &sections, &root_pages);
    let graph = graph::Builder { config: &config, pages: &pages, ids: &ids, by_id: &by_id }.build(reading_order, diags);
    Site { config, pages, ids, sections, root_pages, home, aliases, graph, shown, by_id }
}

/// The whole guidebook in reading order: sections (parts) and root pages by weight, each
/// section followed by its pages (chapters).
fn reading_order(
    config: &Config,
    pages: &[Page],
    ids: &[IdInfo],
    sections: &[Section],
    root_pages: &BTreeMap<Lang, Vec<IdIdx>>,
) -> Vec<graph::Stop> {
    let default = config.default_lang();
    let weight = |id: IdIdx| {
        let info = &ids[id.0 as usize];
        info.sources.get(&info.original).map_or(0, |p| pages[p.0 as usize].fm.weight)
    };
    let mut parts: Vec<(i64, usize, Vec<graph::Stop>)> = Vec::new();
    for (i, section) in sections.iter().enumerate() {
        let mut stops = vec![graph::Stop::Section(i)];
        stops.extend(section.pages.get(default).into_iter().flatten().map(|&id| graph::Stop::Page(id)));
        parts.push((config.sections[&section.name].weight, parts.len(), stops));
    }
    for &id in root_pages.get(default).into_iter().flatten() {
        parts.push((weight(id), parts.len(), vec![graph::Stop::Page(id)]));
    }
    parts.sort_by_key(|(w, i, _)| (*w, *i));
    parts.into_iter().flat_map(|(_, _, stops)| stops).collect()
}

/// A translation that gives no `date` has its original's: dates are facts, not text.
fn inherit_from_originals(ids: &[IdInfo], pages: &mut [Page]) {
    for info in ids {
        let Some(&original) = info.sources.get(&info.original) else {
            continue;
        };
        let date = pages[original.0 as usize].fm.date;
        for &idx in info.sources.values() {
            let page = &mut pages[idx.0 as usize];
            if page.fm.date.is_none() {
                page.fm.date = date;
            }
        }
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

fn check_root_slug(slug: &str, file: &str, config: &Config, diags: &mut Diagnostics) {
    if config.sections.contains_key(slug) {
        diags.error(
            file,
            Pos::default(),
            "url-clash",
            format!("page `{slug}` would have the same address as section `{slug}`: rename the file"),
        );
    } else if RESERVED.contains(&slug) || config.taxonomies.contains_key(slug) {
        diags.error(
            file,
            Pos::default(),
            "url-clash",
            format!("`{slug}` is a reserved address in every language: rename the file"),
        );
    }
}

/// The file name an original in `lang` would have, for messages.
fn file_name(info: &IdInfo, lang: &Lang) -> String {
    match &info.section {
        Some(s) => format!("content/{s}/{}.{lang}.md", info.slug),
        None => format!("content/{}.{lang}.md", info.slug),
    }
}

/// Decides, for every id and language, which file is shown and how it stands.
fn translation_status(
    config: &Config,
    ids: &[IdInfo],
    pages: &[Page],
    diags: &mut Diagnostics,
) -> BTreeMap<(IdIdx, Lang), Shown> {
    let mut shown = BTreeMap::new();
    let default = config.default_lang();
    for (i, info) in ids.iter().enumerate() {
        let id = IdIdx(i as u32);
        let Some(&original_idx) = info.sources.get(&info.original) else {
            continue;
        };
        let original = &pages[original_idx.0 as usize];
        if &info.original != default {
            for (lang, &idx) in &info.sources {
                diags.warning(
                    &pages[idx.0 as usize].file,
                    Pos::default(),
                    "no-original",
                    format!(
                        "translation has no original: {} does not exist, so this `{lang}` page is shown in every language (create the original, or rename this file to it)",
                        file_name(info, default)
                    ),
                );
            }
        }
        if let Some((_, pos)) = &original.fm.translated_from {
            diags.warning(
                &original.file,
                *pos,
                "translated-from-original",
                "`translated_from` belongs in translations, and this file is the original: remove the line".to_string(),
            );
        }
        for lang in &config.languages {
            let status = match info.sources.get(lang) {
                None => Shown { source: original_idx, status: Status::Fallback },
                Some(&idx) if idx == original_idx => Shown { source: idx, status: Status::Original },
                Some(&idx) => {
                    let page = &pages[idx.0 as usize];
                    let status = match &page.fm.translated_from {
                        Some((from, pos)) if from != &original.hash => {
                            diags.warning(
                                &page.file,
                                *pos,
                                "stale-translation",
                                format!(
                                    "translation is out of date: {} has changed since `translated_from: {from}` (it is now `{}`); update the translation, then set `translated_from: {}`",
                                    original.file, original.hash, original.hash
                                ),
                            );
                            Status::Stale { translated_from: from.clone(), current: original.hash.clone() }
                        }
                        _ => Status::Translated,
                    };
                    Shown { source: idx, status }
                }
            };
            shown.insert((id, lang.clone()), status);
        }
    }
    shown
}

struct Known<'a> {
    config: &'a Config,
    pages: &'a [Page],
    ids: &'a [IdInfo],
    by_id: &'a BTreeMap<String, IdIdx>,
    shown: &'a BTreeMap<(IdIdx, Lang), Shown>,
    drafts: &'a BTreeSet<String>,
    assets: &'a Assets,
}

impl Known<'_> {
    fn shown_page(&self, id: IdIdx, lang: &Lang) -> Option<&Page> {
        self.shown.get(&(id, lang.clone())).map(|s| &self.pages[s.source.0 as usize])
    }

    fn missing(&self, file: &str, pos: Pos, what: &str, id: &str, candidates: Vec<&str>, diags: &mut Diagnostics) {
        if self.drafts.contains(id) {
            diags.error(
                file,
                pos,
                "draft-target",
                format!("{what} `{id}` is a draft, which is not built: remove `draft: true` from it, build with `--drafts`, or remove the reference"),
            );
            return;
        }
        let h = hint(id, candidates);
        diags.error(file, pos, "missing-page", format!("{what} `{id}` does not exist{h}"));
    }

    fn check_refs(&self, page: &Page, diags: &mut Diagnostics) {
        let spec = &self.config.kinds[&page.fm.kind];
        for (name, value) in &page.fm.fields {
            let Some(field) = spec.fields.get(name) else {
                continue;
            };
            let kind = match &field.ty {
                FieldType::Ref(k) => k,
                FieldType::List(inner) => match inner.as_ref() {
                    FieldType::Ref(k) => k,
                    _ => continue,
                },
                _ => continue,
            };
            let refs: Vec<&RefValue> = match value {
                FieldValue::Ref(r) => vec![r],
                FieldValue::List(items) => {
                    items.iter().filter_map(|v| if let FieldValue::Ref(r) = v { Some(r) } else { None }).collect()
                }
                _ => continue,
            };
            for r in refs {
                let Some(&target) = self.by_id.get(&r.id) else {
                    let of_kind: Vec<&str> = self
                        .ids
                        .iter()
                        .filter(|info| info.sources.values().any(|p| &self.pages[p.0 as usize].fm.kind == kind))
                        .map(|info| info.id.as_str())
                        .collect();
                    self.missing(&page.file, r.pos, name, &r.id, of_kind, diags);
                    continue;
                };
                if let Some(t) = self.shown_page(target, &page.lang) {
                    if &t.fm.kind != kind {
                        diags.error(
                            &page.file,
                            r.pos,
                            "wrong-kind",
                            format!(
                                "{name} `{}` is a `{}` page, but `{name}` must point to a `{kind}` page",
                                r.id, t.fm.kind
                            ),
                        );
                    }
                }
            }
        }
    }

    fn check_links(&self, page: &Page, diags: &mut Diagnostics) -> Vec<Resolved> {
        page.body.links.iter().map(|link| self.check_link(page, link, diags)).collect()
    }

    fn check_link(&self, page: &Page, link: &BodyLink, diags: &mut Diagnostics) -> Resolved {
        match &link.target {
            LinkTarget::Page { id, anchor } => {
                // A section's own page exists whether or not it has an `_index` file.
                let section = id.strip_suffix(&format!("/{INDEX_SLUG}")).unwrap_or(id);
                if !self.by_id.contains_key(id) && anchor.is_none() && self.config.sections.contains_key(section) {
                    return Resolved::Section(section.to_string());
                }
                let Some(&target) = self.by_id.get(id) else {
                    self.missing(
                        &page.file,
                        link.pos,
                        "linked page",
                        id,
                        self.by_id.keys().map(String::as_str).collect(),
                        diags,
                    );
                    return Resolved::Broken;
                };
                if let Some(anchor) = anchor {
                    self.check_anchor(page, link.pos, target, anchor, diags);
                }
                Resolved::Page(target, anchor.clone())
            }
            LinkTarget::Anchor(anchor) => {
                self.check_anchor(page, link.pos, page.id, anchor, diags);
                Resolved::Anchor(anchor.clone())
            }
            LinkTarget::File { output, from_static, fragment } => {
                let (known, place) =
                    if *from_static { (&self.assets.statics, "static/") } else { (&self.assets.content, "content/") };
                if known.contains(output) {
                    return Resolved::File(output.clone(), fragment.clone());
                }
                if let Some(literal) = literal_file(&page.file, &link.written).filter(|f| known.contains(f)) {
                    return Resolved::File(literal, None);
                }
                let written = &link.written;
                let h = if written.contains('@') && !written.contains('/') {
                    format!(": for an email address, write `mailto:{written}` or `<{written}>`")
                } else {
                    hint(output, known.iter().map(String::as_str))
                };
                diags.error(
                    &page.file,
                    link.pos,
                    "missing-file",
                    format!("`{}` links to {place}{output}, which does not exist{h}", link.written),
                );
                Resolved::Broken
            }
        }
    }

    /// Checks that `anchor` is a heading of `target` as read in the page's language.
    fn check_anchor(&self, page: &Page, pos: Pos, target: IdIdx, anchor: &str, diags: &mut Diagnostics) {
        let Some(in_lang) = self.shown_page(target, &page.lang) else { return };
        if in_lang.body.has_anchor(anchor) {
            return;
        }
        let info = &self.ids[target.0 as usize];
        let original = info.sources.get(&info.original).map(|p| &self.pages[p.0 as usize]);
        match original {
            Some(o) if o.file != in_lang.file && o.body.has_anchor(anchor) => diags.warning(
                &page.file,
                pos,
                "anchor-not-translated",
                format!(
                    "heading anchor `#{anchor}` exists in {} but not in its translation {}: give the translated heading `{{#{anchor}}}`",
                    o.file, in_lang.file
                ),
            ),
            _ => {
                let ids = in_lang.body.headings.iter().map(|h| h.id.as_str());
                let h = did_you_mean(anchor, ids.chain(in_lang.body.anchors.iter().map(String::as_str)))
                    .map(|c| format!(" (did you mean `#{c}`?)"))
                    .unwrap_or_default();
                let place = if target == page.id { "on this page".to_string() } else { format!("in `{}`", info.id) };
                diags.error(&page.file, pos, "missing-anchor", format!("heading anchor `#{anchor}` not found {place}{h}"));
            }
        }
    }
}

/// The file a link names when `written` is read as a file name rather than as a URL, so
/// that `what?.pdf`, `#2.pdf` or `%41.pdf` written as the file is named on disk still find
/// it (as a URL they would mean `what` with a query, an anchor, and `A.pdf`). `page_file`
/// is the linking page's path from the site root (`content/docs/guide.en.md`).
fn literal_file(page_file: &str, written: &str) -> Option<String> {
    let as_url = written.replace('%', "%25").replace('?', "%3F").replace('#', "%23");
    let dir = page_file.strip_prefix(crate::content::discover::CONTENT_DIR)?.trim_start_matches('/');
    let dir = dir.rsplit_once('/').map_or("", |(d, _)| d);
    match crate::content::markdown::classify(&as_url, dir) {
        Ok(Destination::Internal(LinkTarget::File { output, .. })) => Some(output),
        _ => None,
    }
}

/// The addresses the build writes for itself, under a language (`print`, `search`, a
/// section's list and its facet pages, the taxonomies, the feed), which no alias may take:
/// `None` when `segments` is free, else what already lives there.
fn generated_address(config: &Config, segments: &[String]) -> Option<String> {
    let first = segments.first()?.as_str();
    match first {
        "print" | "search" | "atom.xml" | "index.html" => return Some(format!("the `{first}` page")),
        _ => {}
    }
    if config.taxonomies.contains_key(first) {
        return Some(format!("the pages of taxonomy `{first}`"));
    }
    let section = config.sections.get(first)?;
    match segments.get(1) {
        None => Some(format!("the list of section `{first}`")),
        Some(facet) if section.facets.contains(facet) => Some(format!("the `{facet}` pages of section `{first}`")),
        Some(_) => None,
    }
}

fn aliases(config: &Config, pages: &[Page], ids: &[IdInfo], diags: &mut Diagnostics) -> Vec<(OutDir, IdIdx, Lang)> {
    let taken: BTreeSet<OutDir> = pages
        .iter()
        .map(|p| {
            let info = &ids[p.id.0 as usize];
            out_dir(&p.lang, info.section.as_deref(), &info.slug)
        })
        .collect();
    let mut seen: BTreeMap<OutDir, (IdIdx, Lang)> = BTreeMap::new();
    for page in pages {
        for alias in &page.fm.aliases {
            let mut segments: Vec<String> = alias.split('/').filter(|s| !s.is_empty()).map(str::to_string).collect();
            // `/en/pilots/old/`, copied from an old address, names the same place as `pilots/old`.
            if alias.starts_with('/') && !alias.starts_with("//") && segments.first() == Some(&page.lang.to_string()) {
                segments.remove(0);
            }
            let valid = !segments.is_empty()
                && segments.iter().all(|s| s != "." && s != ".." && !s.contains(['\\', ':', '?', '#']));
            let pos = page.fm.positions.get("aliases").copied().unwrap_or_default();
            if !valid || alias.starts_with("//") {
                diags.error(
                    &page.file,
                    pos,
                    "bad-alias",
                    format!(
                        "alias `{alias}` is not a path inside the site: write the old address below the language folder, like `pilots/old-name`"
                    ),
                );
                continue;
            }
            if let Some(what) = generated_address(config, &segments) {
                diags.error(
                    &page.file,
                    pos,
                    "url-clash",
                    format!("alias `{alias}` is the address of {what}, which the build writes: choose another old address or remove it"),
                );
                continue;
            }
            let mut out = vec![page.lang.to_string()];
            out.extend(segments);
            if taken.contains(&out) || seen.contains_key(&out) {
                diags.error(
                    &page.file,
                    pos,
                    "url-clash",
                    format!("alias `{alias}` is already the address of another page"),
                );
                continue;
            }
            seen.insert(out, (page.id, page.lang.clone()));
        }
    }
    seen.into_iter().map(|(out, (id, lang))| (out, id, lang)).collect()
}

struct Order<'a> {
    config: &'a Config,
    pages: &'a [Page],
    ids: &'a [IdInfo],
    shown: &'a BTreeMap<(IdIdx, Lang), Shown>,
}

impl Order<'_> {
    /// `ids` in navigation order for `lang`: weight, then title, then id.
    fn sorted(&self, mut ids: Vec<IdIdx>, lang: &Lang) -> Vec<IdIdx> {
        // Order is the original's (the same in every language); ties by the title shown.
        let key = |id: &IdIdx| {
            let info = &self.ids[id.0 as usize];
            let weight = info.sources.get(&info.original).map_or(0, |p| self.pages[p.0 as usize].fm.weight);
            let page = self.shown.get(&(*id, lang.clone())).map(|s| &self.pages[s.source.0 as usize]);
            (weight, page.map(|p| p.fm.title.to_lowercase()), &info.id)
        };
        ids.sort_by(|a, b| key(a).cmp(&key(b)));
        ids
    }

    fn per_lang(&self, select: impl Fn(&IdInfo) -> bool) -> BTreeMap<Lang, Vec<IdIdx>> {
        let ids: Vec<IdIdx> =
            self.ids.iter().enumerate().filter(|(_, info)| select(info)).map(|(i, _)| IdIdx(i as u32)).collect();
        self.config.languages.iter().map(|lang| (lang.clone(), self.sorted(ids.clone(), lang))).collect()
    }

    fn sections(&self, by_id: &BTreeMap<String, IdIdx>) -> Vec<Section> {
        let mut names: Vec<(&String, i64)> = self.config.sections.iter().map(|(n, s)| (n, s.weight)).collect();
        names.sort_by(|a, b| (a.1, a.0).cmp(&(b.1, b.0)));
        names
            .into_iter()
            .map(|(name, _)| Section {
                name: name.clone(),
                index: by_id.get(&format!("{name}/{INDEX_SLUG}")).copied(),
                pages: self.per_lang(|info| info.section.as_deref() == Some(name) && !info.is_index()),
            })
            .collect()
    }

    fn root_pages(&self) -> BTreeMap<Lang, Vec<IdIdx>> {
        self.per_lang(|info| info.section.is_none() && !info.is_index())
    }
}

/// Warns about each file beside the pages (`content`, by path inside `content/`) that no
/// page of the site links to: it is published all the same, maybe by mistake. Links from
/// drafts count only when drafts are built.
pub fn warn_unlinked(site: &Site, content: &BTreeSet<String>, diags: &mut Diagnostics) {
    let linked: BTreeSet<&str> = site
        .pages
        .iter()
        .flat_map(|p| &p.link_targets)
        .filter_map(|t| match t {
            Resolved::File(output, _) => Some(output.as_str()),
            _ => None,
        })
        .collect();
    for file in content.iter().filter(|f| !linked.contains(f.as_str())) {
        diags.warning(
            &format!("{}/{file}", crate::content::discover::CONTENT_DIR),
            Pos::start(),
            "unlinked-file",
            "no published page links to this file, yet it is copied to the output: link it from a page, delete it, or add it to `ignore:` in site.yaml",
        );
    }
}
