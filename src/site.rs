//! Resolve stage: parsed pages become an immutable [`Site`]: ids and languages checked for
//! clashes, output locations assigned, references and page links resolved, navigation
//! ordered. Nothing in a [`Site`] is filled in later.

use crate::config::{Config, FieldType, Lang};
use crate::content::discover::INDEX_SLUG;
use crate::content::frontmatter::{FieldValue, FrontMatter, RefValue};
use crate::content::markdown::Markdown;
use crate::content::ParsedPage;
use crate::diagnostics::{did_you_mean, hint, Diagnostics, Pos};
use std::collections::{BTreeMap, BTreeSet};

/// Index of a page in [`Site::pages`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct PageIdx(pub u32);

/// An output location: the folder segments below the output root (`["en", "pilots", "avignon"]`).
pub type OutDir = Vec<String>;

/// One page in one language, resolved.
#[derive(Debug)]
pub struct Page {
    /// The page id (`pilots/avignon`).
    pub id: String,
    /// Its language.
    pub lang: Lang,
    /// Its source file, relative to the site root.
    pub file: String,
    /// Its section, if any.
    pub section: Option<String>,
    /// Whether it is a home or section page (`_index`).
    pub is_index: bool,
    /// Checked front matter.
    pub fm: FrontMatter,
    /// Rendered body.
    pub body: Markdown,
    /// Where it is written.
    pub out: OutDir,
    /// For each body link, the page it leads to.
    pub link_targets: Vec<PageIdx>,
}

/// A section in navigation order, with its pages per language.
#[derive(Debug)]
pub struct Section {
    /// The folder name.
    pub name: String,
    /// Pages (not the `_index`) per language, in navigation order.
    pub pages: BTreeMap<Lang, Vec<PageIdx>>,
}

/// The whole site, read-only from here on.
#[derive(Debug)]
pub struct Site {
    /// The configuration.
    pub config: Config,
    /// Every page in every language it exists in.
    pub pages: Vec<Page>,
    /// Sections in navigation order.
    pub sections: Vec<Section>,
    /// Root pages (directly in `content/`, not the home page) per language, in order.
    pub root_pages: BTreeMap<Lang, Vec<PageIdx>>,
    /// Alias folders that redirect to a page.
    pub aliases: Vec<(OutDir, PageIdx)>,
    by_key: BTreeMap<(String, Lang), PageIdx>,
}

/// Folder names at the top of a language that pages may not take.
const RESERVED: [&str; 4] = ["search", "print", "static", "api"];

impl Site {
    /// The page `id` in `lang`, else in the default language.
    pub fn lookup(&self, id: &str, lang: &Lang) -> Option<PageIdx> {
        self.by_key
            .get(&(id.to_string(), lang.clone()))
            .or_else(|| {
                self.by_key
                    .get(&(id.to_string(), self.config.default_lang().clone()))
            })
            .copied()
    }

    /// The page at `idx`.
    pub fn page(&self, idx: PageIdx) -> &Page {
        &self.pages[idx.0 as usize]
    }

    /// The home page (`_index`) of `lang`, if the site has one.
    pub fn home(&self, lang: &Lang) -> Option<PageIdx> {
        self.by_key
            .get(&(INDEX_SLUG.to_string(), lang.clone()))
            .copied()
    }

    /// The `_index` page of a section in `lang`, if written.
    pub fn section_index(&self, section: &str, lang: &Lang) -> Option<PageIdx> {
        self.by_key
            .get(&(format!("{section}/{INDEX_SLUG}"), lang.clone()))
            .copied()
    }
}

/// Builds the [`Site`] from parsed pages. Problems go to `diags`.
pub fn resolve(
    config: Config,
    parsed: Vec<ParsedPage>,
    drafts: bool,
    diags: &mut Diagnostics,
) -> Site {
    let mut by_key: BTreeMap<(String, Lang), PageIdx> = BTreeMap::new();
    let mut pages: Vec<Page> = Vec::new();
    let mut draft_ids: BTreeSet<String> = BTreeSet::new();
    for p in parsed {
        let key = (p.file.id.clone(), p.file.lang.clone());
        if let Some(prev) = by_key.get(&key) {
            let other = &pages[prev.0 as usize].file;
            diags.error(
                &p.file.rel,
                Pos::default(),
                "duplicate-page",
                format!("page `{}` in language `{}` is already defined by {other}: keep one of the two files", key.0, key.1),
            );
            continue;
        }
        if p.fm.draft && !drafts {
            draft_ids.insert(p.file.id.clone());
            continue;
        }
        let out = out_dir(&p.file.lang, p.file.section.as_deref(), &p.file.slug);
        if p.file.section.is_none() && p.file.slug != INDEX_SLUG {
            check_root_slug(&p.file.slug, &p.file.rel, &config, diags);
        }
        by_key.insert(key, PageIdx(pages.len() as u32));
        pages.push(Page {
            id: p.file.id,
            lang: p.file.lang,
            file: p.file.rel,
            is_index: p.file.slug == INDEX_SLUG,
            section: p.file.section,
            fm: p.fm,
            body: p.body,
            out,
            link_targets: Vec::new(),
        });
    }
    let ids: BTreeSet<&str> = by_key.keys().map(|(id, _)| id.as_str()).collect();
    let known = Known {
        config: &config,
        pages: &pages,
        by_key: &by_key,
        ids: &ids,
        drafts: &draft_ids,
    };
    let mut link_targets = Vec::with_capacity(pages.len());
    for page in &pages {
        known.check_refs(page, diags);
        link_targets.push(known.check_links(page, diags));
    }
    let aliases = aliases(&pages, diags);
    for (page, targets) in pages.iter_mut().zip(link_targets) {
        page.link_targets = targets;
    }
    let sections = sections(&config, &pages);
    let root_pages = root_pages(&config, &pages);
    Site {
        config,
        pages,
        sections,
        root_pages,
        aliases,
        by_key,
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
            format!(
                "page `{slug}` would have the same address as section `{slug}`: rename the file"
            ),
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

struct Known<'a> {
    config: &'a Config,
    pages: &'a [Page],
    by_key: &'a BTreeMap<(String, Lang), PageIdx>,
    ids: &'a BTreeSet<&'a str>,
    drafts: &'a BTreeSet<String>,
}

impl Known<'_> {
    fn find(&self, id: &str, lang: &Lang) -> Option<PageIdx> {
        self.by_key
            .get(&(id.to_string(), lang.clone()))
            .or_else(|| {
                self.by_key
                    .get(&(id.to_string(), self.config.default_lang().clone()))
            })
            .or_else(|| {
                self.by_key
                    .iter()
                    .find(|((i, _), _)| i == id)
                    .map(|(_, p)| p)
            })
            .copied()
    }

    fn missing(
        &self,
        file: &str,
        pos: Pos,
        what: &str,
        id: &str,
        candidates: Vec<&str>,
        diags: &mut Diagnostics,
    ) {
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
        diags.error(
            file,
            pos,
            "missing-page",
            format!("{what} `{id}` does not exist{h}"),
        );
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
                FieldValue::List(items) => items
                    .iter()
                    .filter_map(|v| {
                        if let FieldValue::Ref(r) = v {
                            Some(r)
                        } else {
                            None
                        }
                    })
                    .collect(),
                _ => continue,
            };
            for r in refs {
                match self.find(&r.id, &page.lang) {
                    None => {
                        let of_kind: Vec<&str> = self
                            .pages
                            .iter()
                            .filter(|p| &p.fm.kind == kind)
                            .map(|p| p.id.as_str())
                            .collect::<BTreeSet<_>>()
                            .into_iter()
                            .collect();
                        self.missing(&page.file, r.pos, name, &r.id, of_kind, diags);
                    }
                    Some(t) => {
                        let target = &self.pages[t.0 as usize];
                        if &target.fm.kind != kind {
                            diags.error(
                                &page.file,
                                r.pos,
                                "wrong-kind",
                                format!("{name} `{}` is a `{}` page, but `{name}` must point to a `{kind}` page", r.id, target.fm.kind),
                            );
                        }
                    }
                }
            }
        }
    }

    fn check_links(&self, page: &Page, diags: &mut Diagnostics) -> Vec<PageIdx> {
        let mut targets = Vec::with_capacity(page.body.links.len());
        for link in &page.body.links {
            let Some(t) = self.find(&link.target, &page.lang) else {
                self.missing(
                    &page.file,
                    link.pos,
                    "linked page",
                    &link.target,
                    self.ids.iter().copied().collect(),
                    diags,
                );
                targets.push(PageIdx(0));
                continue;
            };
            if let Some(anchor) = &link.anchor {
                let target = &self.pages[t.0 as usize];
                if !target.body.headings.iter().any(|h| &h.id == anchor) {
                    let h =
                        did_you_mean(anchor, target.body.headings.iter().map(|h| h.id.as_str()))
                            .map(|c| format!(" (did you mean `#{c}`?)"))
                            .unwrap_or_default();
                    diags.error(
                        &page.file,
                        link.pos,
                        "missing-anchor",
                        format!(
                            "heading anchor `#{anchor}` not found in `{}`{h}",
                            link.target
                        ),
                    );
                }
            }
            targets.push(t);
        }
        targets
    }
}

fn aliases(pages: &[Page], diags: &mut Diagnostics) -> Vec<(OutDir, PageIdx)> {
    let taken: BTreeSet<&OutDir> = pages.iter().map(|p| &p.out).collect();
    let mut seen: BTreeMap<OutDir, PageIdx> = BTreeMap::new();
    for (i, page) in pages.iter().enumerate() {
        for alias in &page.fm.aliases {
            let segments: Vec<String> = alias
                .split('/')
                .filter(|s| !s.is_empty())
                .map(str::to_string)
                .collect();
            let valid = !segments.is_empty()
                && segments
                    .iter()
                    .all(|s| s != "." && s != ".." && !s.contains(['\\', ':', '?', '#']));
            if !valid {
                diags.error(
                    &page.file,
                    Pos::default(),
                    "bad-alias",
                    format!("alias `{alias}` is not a path inside the site: write it like `pilots/old-name`"),
                );
                continue;
            }
            let mut out = vec![page.lang.to_string()];
            out.extend(segments);
            if taken.contains(&out) || seen.contains_key(&out) {
                diags.error(
                    &page.file,
                    Pos::default(),
                    "url-clash",
                    format!("alias `{alias}` is already the address of another page"),
                );
                continue;
            }
            seen.insert(out, PageIdx(i as u32));
        }
    }
    seen.into_iter().collect()
}

fn order(pages: &[Page], mut idx: Vec<PageIdx>) -> Vec<PageIdx> {
    idx.sort_by(|a, b| {
        let (a, b) = (&pages[a.0 as usize], &pages[b.0 as usize]);
        (a.fm.weight, a.fm.title.to_lowercase(), &a.id).cmp(&(
            b.fm.weight,
            b.fm.title.to_lowercase(),
            &b.id,
        ))
    });
    idx
}

fn sections(config: &Config, pages: &[Page]) -> Vec<Section> {
    let mut names: Vec<(&String, i64)> =
        config.sections.iter().map(|(n, s)| (n, s.weight)).collect();
    names.sort_by(|a, b| (a.1, a.0).cmp(&(b.1, b.0)));
    names
        .into_iter()
        .map(|(name, _)| {
            let mut per_lang: BTreeMap<Lang, Vec<PageIdx>> = config
                .languages
                .iter()
                .map(|l| (l.clone(), Vec::new()))
                .collect();
            for (i, p) in pages.iter().enumerate() {
                if p.section.as_deref() == Some(name) && !p.is_index {
                    per_lang
                        .entry(p.lang.clone())
                        .or_default()
                        .push(PageIdx(i as u32));
                }
            }
            let pages_by_lang = per_lang
                .into_iter()
                .map(|(l, v)| (l, order(pages, v)))
                .collect();
            Section {
                name: name.clone(),
                pages: pages_by_lang,
            }
        })
        .collect()
}

fn root_pages(config: &Config, pages: &[Page]) -> BTreeMap<Lang, Vec<PageIdx>> {
    config
        .languages
        .iter()
        .map(|lang| {
            let v = pages
                .iter()
                .enumerate()
                .filter(|(_, p)| p.section.is_none() && !p.is_index && &p.lang == lang)
                .map(|(i, _)| PageIdx(i as u32))
                .collect();
            (lang.clone(), order(pages, v))
        })
        .collect()
}
