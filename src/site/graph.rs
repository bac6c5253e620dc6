//! Resolve stage: the knowledge graph. What editors write once (a reference, a term, a
//! link) is seen from every side: typed backlinks and mentions on the target, pages per
//! taxonomy term, related pages, and the order of the whole guidebook. Built from each
//! page's original, so it is the same in every language.

use super::{IdIdx, IdInfo, Page, Resolved};
use crate::config::{Config, FieldType, KindIdx};
use crate::content::discover::INDEX_SLUG;
use crate::content::frontmatter::FieldValue;
use crate::diagnostics::Diagnostics;
use indexmap::IndexMap;
use rayon::prelude::*;
use std::collections::{BTreeMap, BTreeSet, HashMap};

/// What two pages of a kind can share to be related: a page they both refer to, or a
/// term (numbered per field and term) they both have.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
enum Feature {
    Ref(IdIdx),
    Term(u32),
}

/// A page that points at another through a reference field.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) struct Backlink {
    /// The kind of the pointing page (its name: [`Config::kind_name`]).
    pub kind: KindIdx,
    /// The field it points through.
    pub field: String,
    /// The pointing page.
    pub from: IdIdx,
}

/// A stop in the reading order of the whole guidebook.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Stop {
    /// A section's own page (a part of the guidebook), by index in `Site::sections`.
    Section(usize),
    /// A page (a chapter).
    Page(IdIdx),
}

/// The derived relations between pages.
#[derive(Debug, Default, Clone)]
pub(crate) struct Graph {
    /// Per target: the pages pointing at it, grouped by kind and field, in order.
    pub backlinks: BTreeMap<IdIdx, Vec<Backlink>>,
    /// Per target: the pages whose text links to it.
    pub mentions: BTreeMap<IdIdx, Vec<IdIdx>>,
    /// Per taxonomy, per term key: the pages with that term, in id order.
    pub terms: IndexMap<String, IndexMap<String, Vec<IdIdx>>>,
    /// Per page: the most related pages of its kind, best first.
    pub related: BTreeMap<IdIdx, Vec<IdIdx>>,
    /// The whole guidebook in reading order.
    pub order: Vec<Stop>,
    /// Glossary acronyms and the entry each one links to (clashes left out).
    pub acronyms: BTreeMap<String, IdIdx>,
}

fn terms_of(value: &FieldValue) -> &[String] {
    match value {
        FieldValue::Terms(t) => t,
        _ => &[],
    }
}

pub(super) struct Builder<'a> {
    pub config: &'a Config,
    pub pages: &'a [Page],
    pub ids: &'a [IdInfo],
}

impl Builder<'_> {
    fn original(&self, id: IdIdx) -> Option<&Page> {
        let info = &self.ids[id.0 as usize];
        info.sources.get(&info.original).map(|p| &self.pages[p.0 as usize])
    }

    fn all(&self) -> impl Iterator<Item = (IdIdx, &Page)> + '_ {
        (0..self.ids.len() as u32).map(IdIdx).filter_map(|id| self.original(id).map(|p| (id, p)))
    }

    pub(super) fn build(&self, order: Vec<Stop>, diags: &mut Diagnostics) -> Graph {
        let mut g = Graph { order, ..Graph::default() };
        for (id, page) in self.all() {
            // A hidden field is not shown: it gives no list of backlinks either.
            for (field, refs) in page.refs.iter().filter(|(f, _)| !self.hidden(page, f)) {
                for r in refs {
                    let link = Backlink { kind: page.kind, field: field.clone(), from: id };
                    g.backlinks.entry(r.target).or_default().push(link);
                }
            }
            for target in &page.link_targets {
                if let Resolved::Page(t, _) = target {
                    if *t != id {
                        g.mentions.entry(*t).or_default().push(id);
                    }
                }
            }
        }
        for list in g.backlinks.values_mut() {
            let kind = |k: KindIdx| self.config.kind_name(k);
            list.sort_by_cached_key(|b| (kind(b.kind), b.field.clone(), self.sort_key(b.from)));
            list.dedup();
        }
        for (target, list) in g.mentions.iter_mut() {
            // "Mentioned in" lists only what the page does not already show: not the pages
            // listed under a typed backlink, not the pages its own facts box links to, and
            // not the home page (which mentions every part of the site).
            let mut shown: BTreeSet<IdIdx> = g.backlinks.get(target).into_iter().flatten().map(|b| b.from).collect();
            if let Some(page) = self.original(*target) {
                let facts = page.refs.iter().filter(|(f, _)| !self.hidden(page, f));
                shown.extend(facts.flat_map(|(_, refs)| refs).map(|r| r.target));
            }
            list.retain(|i| !shown.contains(i) && self.ids[i.0 as usize].id != INDEX_SLUG);
            list.sort_by_cached_key(|&i| self.sort_key(i));
            list.dedup();
        }
        g.terms = self.terms();
        g.related = self.related();
        g.acronyms = self.acronyms(diags);
        self.check_cycles(diags);
        g
    }

    /// Each acronym of the glossary links to its entry. When two entries share one, a page
    /// of the glossary that lists them in its disambiguation field takes it; without one,
    /// the clash is reported and the acronym is not linked rather than guessed. Field names
    /// are the configured ones ([`crate::config::GlossaryFields`]).
    fn acronyms(&self, diags: &mut Diagnostics) -> BTreeMap<String, IdIdx> {
        let Some(glossary) = &self.config.glossary else { return BTreeMap::new() };
        let fields = &glossary.fields;
        let kind = self.config.kind_idx(&glossary.kind);
        let mut by_acronym: BTreeMap<String, Vec<(IdIdx, &Page)>> = BTreeMap::new();
        for (id, page) in self.all().filter(|(_, p)| Some(p.kind) == kind) {
            if let Some(FieldValue::Text(a)) = page.fm.fields.get(&fields.acronym) {
                by_acronym.entry(a.trim().to_string()).or_default().push((id, page));
            }
        }
        let mut out = BTreeMap::new();
        for (acronym, entries) in by_acronym {
            if let [(id, _)] = entries.as_slice() {
                out.insert(acronym, *id);
                continue;
            }
            let hubs: Vec<IdIdx> = entries
                .iter()
                .filter(|(_, p)| p.fm.fields.contains_key(&fields.disambiguation))
                .map(|(id, _)| *id)
                .collect();
            if let [hub] = hubs.as_slice() {
                out.insert(acronym, *hub);
                continue;
            }
            for (id, page) in &entries {
                let others: Vec<String> = entries
                    .iter()
                    .filter(|(o, _)| o != id)
                    .map(|(o, _)| format!("`{}`", self.ids[o.0 as usize].id))
                    .collect();
                let pos = page.fm.positions.get(&fields.acronym).copied().unwrap_or_default();
                diags.warning(
                    &page.file,
                    pos,
                    "acronym-clash",
                    format!(
                        "acronym `{acronym}` also stands for {}: it is not linked automatically; add a glossary page with `acronym: {acronym}` and `disambiguation:` listing the meanings",
                        others.join(" and ")
                    ),
                );
            }
        }
        out
    }

    /// Weight, then title, then id: the order of lists.
    /// Whether `field` of `page`'s kind is hidden from readers (`hidden: true`).
    fn hidden(&self, page: &Page, field: &str) -> bool {
        self.config.kind(page.kind).fields.get(field).is_some_and(|f| f.hidden)
    }

    fn sort_key(&self, id: IdIdx) -> (i64, String, &str) {
        let page = self.original(id);
        (
            page.map_or(0, |p| p.fm.weight),
            page.map(|p| crate::lang::sort_key(&p.fm.title)).unwrap_or_default(),
            &self.ids[id.0 as usize].id,
        )
    }

    fn terms(&self) -> IndexMap<String, IndexMap<String, Vec<IdIdx>>> {
        let mut out: IndexMap<String, IndexMap<String, Vec<IdIdx>>> = IndexMap::new();
        for (name, tax) in &self.config.taxonomies {
            // A taxonomy that only hidden fields use has no pages: readers never see it.
            let fields = self.config.kinds.values().flat_map(|k| k.fields.values());
            let uses: Vec<bool> =
                fields.filter(|f| matches!(&f.ty, FieldType::Taxonomy(t) if t == name)).map(|f| f.hidden).collect();
            if !uses.is_empty() && uses.iter().all(|hidden| *hidden) {
                continue;
            }
            let mut terms: IndexMap<String, Vec<IdIdx>> = IndexMap::new();
            for t in tax.terms.iter().flatten() {
                terms.insert(t.key.clone(), Vec::new());
            }
            for (id, page) in self.all() {
                let spec = self.config.kind(page.kind);
                for (field, value) in &page.fm.fields {
                    // A hidden field's terms are not shown: no term page lists the page.
                    let shown = spec.fields.get(field).filter(|f| !f.hidden);
                    if matches!(shown.map(|f| &f.ty), Some(FieldType::Taxonomy(t)) if t == name) {
                        for term in terms_of(value) {
                            terms.entry(term.clone()).or_default().push(id);
                        }
                    }
                }
            }
            if tax.terms.is_none() {
                terms.sort_by(|a, _, b, _| a.to_lowercase().cmp(&b.to_lowercase()));
            }
            for list in terms.values_mut() {
                list.sort_by_cached_key(|&i| self.sort_key(i));
                list.dedup();
            }
            out.insert(name.clone(), terms);
        }
        out
    }

    /// For kinds with `related: N`: the N pages of the same kind that share the most
    /// references (2 points each) and terms (1 point each); ties by id.
    ///
    /// Scored through an inverted index (each reference or term, per kind, to the pages
    /// that have it), so a page is compared only with the pages it shares something with:
    /// the cost grows with the shared pairs, not with the square of the kind's pages.
    fn related(&self) -> BTreeMap<IdIdx, Vec<IdIdx>> {
        let features = self.related_features();
        // (kind, feature) -> the pages that have it, in id order.
        let mut postings: HashMap<(KindIdx, Feature), Vec<IdIdx>> = HashMap::new();
        for (id, kind, feats) in &features {
            for f in feats {
                postings.entry((*kind, *f)).or_default().push(*id);
            }
        }
        let width = self.ids.len();
        features
            .par_iter()
            .map_init(
                || (vec![0usize; width], Vec::new()),
                |(scores, touched), (id, kind, feats)| {
                    for f in feats {
                        let points = if matches!(f, Feature::Ref(_)) { 2 } else { 1 };
                        for &other in postings.get(&(*kind, *f)).into_iter().flatten().filter(|o| **o != *id) {
                            let slot = &mut scores[other.0 as usize];
                            if *slot == 0 {
                                touched.push(other);
                            }
                            *slot += points;
                        }
                    }
                    let mut scored: Vec<(usize, &str, IdIdx)> = touched
                        .drain(..)
                        .map(|other| {
                            let score = std::mem::take(&mut scores[other.0 as usize]);
                            (score, self.ids[other.0 as usize].id.as_str(), other)
                        })
                        .collect();
                    // The best `n` first (a page sharing a country with a thousand others
                    // touches them all), then only those in order: ids are unique, so the
                    // order is total and the same as sorting them all.
                    let order = |a: &(usize, &str, IdIdx), b: &(usize, &str, IdIdx)| b.0.cmp(&a.0).then(a.1.cmp(b.1));
                    let n = self.config.kind(*kind).related;
                    if n == 0 {
                        scored.clear();
                    } else if scored.len() > n {
                        scored.select_nth_unstable_by(n - 1, order);
                        scored.truncate(n);
                    }
                    scored.sort_unstable_by(order);
                    (*id, scored.into_iter().map(|(_, _, i)| i).collect())
                },
            )
            .collect()
    }

    /// The pages of kinds with `related: N`, each with the distinct references and terms
    /// that readers see on it (hidden fields left out), terms numbered by `field:term`.
    fn related_features(&self) -> Vec<(IdIdx, KindIdx, Vec<Feature>)> {
        let mut term_numbers: HashMap<(&str, &str), u32> = HashMap::new();
        let mut out = Vec::new();
        for (id, page) in self.all() {
            if self.config.kind(page.kind).related == 0 {
                continue;
            }
            let mut feats = BTreeSet::new();
            for (_, refs) in page.refs.iter().filter(|(f, _)| !self.hidden(page, f)) {
                feats.extend(refs.iter().map(|r| Feature::Ref(r.target)));
            }
            for (field, value) in page.fm.fields.iter().filter(|(f, _)| !self.hidden(page, f)) {
                for t in terms_of(value) {
                    let next = term_numbers.len() as u32;
                    feats.insert(Feature::Term(*term_numbers.entry((field.as_str(), t.as_str())).or_insert(next)));
                }
            }
            out.push((id, page.kind, feats.into_iter().collect()));
        }
        out
    }

    /// A reference field that points at pages of its own kind forms chains (an
    /// organisation's parent); a chain that comes back to its start is an error.
    fn check_cycles(&self, diags: &mut Diagnostics) {
        for (id, page) in self.all() {
            let spec = self.config.kind(page.kind);
            for (field, value) in &page.fm.fields {
                let Some(FieldType::Ref(kind)) = spec.fields.get(field).map(|f| &f.ty) else { continue };
                if self.config.kind_idx(kind) != Some(page.kind) {
                    continue;
                }
                let (FieldValue::Ref(first), [next]) = (value, page.refs(field)) else { continue };
                let mut chain = vec![id];
                let mut next = next.target;
                loop {
                    if next == id {
                        chain.push(next);
                        let names: Vec<&str> = chain.iter().map(|i| self.ids[i.0 as usize].id.as_str()).collect();
                        diags.error(
                            &page.file,
                            first.pos,
                            "ref-cycle",
                            format!(
                                "`{field}` goes round in a circle: {}; one of these pages must point elsewhere",
                                names.join(" → ")
                            ),
                        );
                        break;
                    }
                    if chain.contains(&next) || chain.len() > self.ids.len() {
                        break;
                    }
                    chain.push(next);
                    let Some(FieldValue::Ref(_)) = self.original(next).and_then(|p| p.fm.fields.get(field)) else {
                        break;
                    };
                    let Some([r]) = self.original(next).map(|p| p.refs(field)) else { break };
                    next = r.target;
                }
            }
        }
    }
}
