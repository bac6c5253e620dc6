//! Resolve stage: a translation shows its original's facts.
//!
//! A page's fields are of two sorts. Text (`string`) and web addresses (`url`) are written
//! in a language, so a translation gives its own (a French site for a French reader);
//! a translation that leaves an address out shows its original's. Every other field is a
//! fact that no language changes: numbers, dates, booleans, enum values, references to
//! other pages and taxonomy terms. Facets, browse pages, backlinks and the search index read
//! facts from the original; so that a translation's facts box and card agree with them,
//! the translation takes its original's facts too. One that writes a fact differently gets
//! a warning at that field, naming the original.

use super::originals::Lost;
use super::{IdIdx, IdInfo, Page, PageIdx};
use crate::config::{Config, FieldType};
use crate::content::frontmatter::FieldValue;
use crate::diagnostics::Diagnostics;
use std::collections::{BTreeMap, HashSet};

/// What [`take_originals_facts`] set aside for after references are resolved: per
/// translation, its original and the reference fields it takes from it.
#[derive(Debug, Default)]
pub(super) struct PendingRefs(Vec<(PageIdx, PageIdx, Vec<String>)>);

/// Whether `ty` holds references to pages.
fn is_ref(ty: &FieldType) -> bool {
    match ty {
        FieldType::Ref(_) => true,
        FieldType::List(inner) => is_ref(inner),
        _ => false,
    }
}

/// `a` and `b` say the same, wherever they were written.
fn same(a: &FieldValue, b: &FieldValue) -> bool {
    match (a, b) {
        (FieldValue::Ref(x), FieldValue::Ref(y)) => x.id == y.id,
        (FieldValue::List(x), FieldValue::List(y)) => x.len() == y.len() && x.iter().zip(y).all(|(a, b)| same(a, b)),
        // Terms are a set: their order says nothing.
        (FieldValue::Terms(x), FieldValue::Terms(y)) => {
            let (mut x, mut y) = (x.clone(), y.clone());
            x.sort();
            y.sort();
            x == y
        }
        _ => a == b,
    }
}

/// Gives every translation its original's `date` (when it gives none), web addresses (when
/// it gives none) and facts, and warns where it wrote a fact differently. Reference fields
/// are taken out of the translation here, so that they are resolved (and their mistakes
/// reported) once, in the original; [`PendingRefs::apply`] puts the original's resolved
/// references in after the resolve stage has read them. Translations of a `lost` original
/// are not compared with the translation that stands in for it.
pub(super) fn take_originals_facts(
    config: &Config,
    ids: &[IdInfo],
    pages: &mut [Page],
    lost: &BTreeMap<IdIdx, Lost>,
    diags: &mut Diagnostics,
) -> PendingRefs {
    let mut pending = PendingRefs::default();
    let known: HashSet<&str> = ids.iter().map(|info| info.id.as_str()).collect();
    for (i, info) in ids.iter().enumerate() {
        // Where the original is lost, a translation stands in for it: the others are not
        // told that they differ from it (the references to the page say what is wrong).
        let stand_in = lost.contains_key(&IdIdx(i as u32));
        let Some(&original) = info.sources.get(&info.original) else { continue };
        // An original outside the default language was not told of its missing facts
        // when it was read: it might have been a translation.
        let first = &pages[original.0 as usize];
        for (pos, message) in &first.fm.missing_facts {
            diags.error(&first.file, *pos, "missing-field", message.clone());
        }
        if info.sources.len() < 2 {
            continue;
        }
        for (lang, &idx) in &info.sources {
            if lang == &info.original || idx == original {
                continue;
            }
            let (first, page) = read_and_change(pages, original.0 as usize, idx.0 as usize);
            let from = first.facts();
            if page.fm.date.is_none() {
                page.fm.date = from.date;
            }
            if page.kind != from.kind {
                let pos = page.fm.positions.get("kind").copied().unwrap_or_default();
                diags.error(
                    &page.file,
                    pos,
                    "translation-kind",
                    format!(
                        "this translation is a `{}`, but its original ({}) is a `{}`: a translation has its \
                         original's kind; write `kind: {}`, or remove `kind:`",
                        page.fm.kind,
                        from.file,
                        config.kind_name(from.kind),
                        config.kind_name(from.kind)
                    ),
                );
            } else {
                let mut untold = Diagnostics::new();
                let told = if stand_in { &mut untold } else { &mut *diags };
                let refs = take_facts(config, &from, page, &known, told);
                if !refs.is_empty() {
                    pending.0.push((idx, original, refs));
                }
            }
        }
    }
    pending
}

/// What a translation takes from its original.
struct Original<'a> {
    file: &'a str,
    kind: crate::config::KindIdx,
    date: Option<chrono::NaiveDate>,
    fields: &'a indexmap::IndexMap<String, FieldValue>,
}

impl Page {
    fn facts(&self) -> Original<'_> {
        Original { file: &self.file, kind: self.kind, date: self.fm.date, fields: &self.fm.fields }
    }
}

/// The page at `read` to read and the page at `change` to change, at once (a
/// translation takes its original's facts without copying them); `read != change`.
fn read_and_change(pages: &mut [Page], read: usize, change: usize) -> (&Page, &mut Page) {
    if read < change {
        let (before, after) = pages.split_at_mut(change);
        (&before[read], &mut after[0])
    } else {
        let (before, after) = pages.split_at_mut(read);
        (&after[0], &mut before[change])
    }
}

/// `value` names a page that does not exist (`known` holds every page id): the original's
/// own error then says so, and a translation that writes the page meant is not wrong.
fn names_a_missing_page(value: &FieldValue, known: &HashSet<&str>) -> bool {
    match value {
        FieldValue::Ref(r) => !known.contains(r.id.as_str()),
        FieldValue::List(items) => items.iter().any(|v| names_a_missing_page(v, known)),
        _ => false,
    }
}

/// Gives `page` (a translation of `from`, of the same kind) its original's facts and
/// missing web addresses; returns the reference fields taken out, to be put in later.
/// Where the original names a page that does not exist (`known` holds every page id),
/// the translation is not told that it differs: the original's error is the one to mend.
fn take_facts(
    config: &Config,
    from: &Original<'_>,
    page: &mut Page,
    known: &HashSet<&str>,
    diags: &mut Diagnostics,
) -> Vec<String> {
    let spec = config.kind(from.kind);
    let mut refs = Vec::new();
    for (name, field) in &spec.fields {
        let theirs = from.fields.get(name);
        if !field.ty.is_fact() {
            if let (FieldType::Url, None, Some(v)) = (&field.ty, page.fm.fields.get(name), theirs) {
                page.fm.fields.insert(name.clone(), v.clone());
            }
            continue;
        }
        let differs = match (page.fm.fields.get(name), theirs) {
            (Some(_), Some(b)) if names_a_missing_page(b, known) => false,
            (Some(a), Some(b)) => !same(a, b),
            (Some(_), None) => true,
            (None, _) => false,
        };
        if differs {
            let pos = page.fm.positions.get(name).copied().unwrap_or_default();
            diags.warning(
                &page.file,
                pos,
                "translation-fact",
                format!(
                    "`{name}` is not what the original says ({}): a translation shows its original's facts \
                     (references, terms, numbers, dates, choices) in every language; remove `{name}` from this \
                     file, or change it in the original",
                    from.file
                ),
            );
        }
        match theirs {
            Some(_) if is_ref(&field.ty) => {
                page.fm.fields.shift_remove(name);
                refs.push(name.clone());
            }
            Some(v) => {
                page.fm.fields.insert(name.clone(), v.clone());
            }
            None => {
                page.fm.fields.shift_remove(name);
            }
        }
    }
    page.fm.fields.sort_by_cached_key(|name, _| spec.fields.get_index_of(name));
    refs
}

impl PendingRefs {
    /// Puts each translation's original's reference fields in: their values and their
    /// resolved references, in the kind's declaration order.
    pub(super) fn apply(self, config: &Config, pages: &mut [Page]) {
        for (idx, original, names) in self.0 {
            let spec = config.kind(pages[original.0 as usize].kind);
            for name in names {
                let value = pages[original.0 as usize].fm.fields.get(&name).cloned();
                let resolved = pages[original.0 as usize].refs.get(&name).cloned();
                let page = &mut pages[idx.0 as usize];
                if let Some(v) = value {
                    page.fm.fields.insert(name.clone(), v);
                }
                if let Some(r) = resolved {
                    page.refs.insert(name, r);
                }
            }
            let page = &mut pages[idx.0 as usize];
            page.fm.fields.sort_by_cached_key(|name, _| spec.fields.get_index_of(name));
            page.refs.sort_by_cached_key(|name, _| spec.fields.get_index_of(name));
        }
    }
}
