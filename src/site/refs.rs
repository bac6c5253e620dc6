//! Resolve stage: front-matter references. Each `ref` field value (alone or in a list)
//! was checked for form by the parse stage, with its position; here it is resolved once
//! into the target's [`IdIdx`], kept on the page ([`super::Page::refs`]), so that no later
//! stage looks an id string up again. A target that does not exist, is a draft, or is of
//! the wrong kind is reported here.

use super::links::Known;
use super::{IdIdx, Page};
use crate::config::FieldType;
use crate::content::frontmatter::{FieldValue, RefValue};
use crate::diagnostics::{Diagnostics, Pos};
use indexmap::IndexMap;

/// A front-matter reference, resolved: the page it names and where it was written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct ResolvedRef {
    /// The page id named.
    pub target: IdIdx,
    /// Where the reference stands in the page's file (line and column of the value).
    pub pos: Pos,
}

/// The references a field value holds, in the order written (a list's items in order).
pub(crate) fn refs_in(value: &FieldValue) -> Vec<&RefValue> {
    match value {
        FieldValue::Ref(r) => vec![r],
        FieldValue::List(items) => items.iter().flat_map(refs_in).collect(),
        _ => Vec::new(),
    }
}

impl Known<'_> {
    /// Resolves every reference field of `page`: per field, in declaration order, the
    /// targets that exist, in the order written. Problems go to `diags`.
    pub(super) fn resolve_refs(&self, page: &Page, diags: &mut Diagnostics) -> IndexMap<String, Vec<ResolvedRef>> {
        let spec = self.config.kind(page.kind);
        let mut out = IndexMap::new();
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
            let resolved: Vec<ResolvedRef> =
                refs_in(value).into_iter().filter_map(|r| self.resolve_ref(page, name, kind, r, diags)).collect();
            if !resolved.is_empty() {
                out.insert(name.clone(), resolved);
            }
        }
        out
    }

    /// Resolves one reference `r` of field `name`, which must name a page of `kind`.
    fn resolve_ref(
        &self,
        page: &Page,
        name: &str,
        kind: &str,
        r: &RefValue,
        diags: &mut Diagnostics,
    ) -> Option<ResolvedRef> {
        let wanted = self.config.kind_idx(kind);
        let Some(&target) = self.by_id.get(&r.id) else {
            let of_kind: Vec<&str> = self
                .ids
                .iter()
                .filter(|info| info.sources.values().any(|p| Some(self.pages[p.0 as usize].kind) == wanted))
                .map(|info| info.id.as_str())
                .collect();
            self.missing(&page.file, r.pos, name, &r.id, of_kind, diags);
            return None;
        };
        self.check_original(page, r.pos, name, target, diags);
        if let Some(t) = self.shown_page(target, &page.lang) {
            if Some(t.kind) != wanted {
                diags.error(
                    &page.file,
                    r.pos,
                    "wrong-kind",
                    format!("{name} `{}` is a `{}` page, but `{name}` must point to a `{kind}` page", r.id, t.fm.kind),
                );
            }
        }
        Some(ResolvedRef { target, pos: r.pos })
    }
}
