//! Load stage: kinds and their fields, validated. Each field's type is read from
//! `type:` (and `of:` for lists); a reference names a declared kind, a taxonomy field a
//! declared taxonomy, an enum its values.

use super::raw::{RawField, RawKind};
use super::validate::Validator;
use super::*;
use crate::diagnostics::hint;

const TYPE_NAMES: [&str; 9] = ["string", "int", "date", "bool", "url", "enum", "list", "ref", "taxonomy"];

impl Validator<'_, '_> {
    pub(super) fn kinds(
        &mut self,
        raw: IndexMap<String, RawKind>,
        taxonomies: &IndexMap<String, TaxonomyConfig>,
        langs: &[Lang],
    ) -> IndexMap<String, KindConfig> {
        let kind_names: Vec<String> = raw.keys().cloned().chain([DEFAULT_KIND.to_string()]).collect();
        let mut out = IndexMap::new();
        for (name, kind) in raw {
            if !is_id_segment(&name) {
                let pos = self.loc.key(&["kinds", &name]);
                self.err(pos, format!("kind name `{name}` must use lowercase letters, digits, `-` and `_`"));
            }
            self.localized(&["kinds", &name, "label"], kind.label.as_ref(), langs);
            let mut fields = IndexMap::new();
            for (fname, f) in kind.fields {
                let path = ["kinds", name.as_str(), "fields", fname.as_str()];
                if COMMON_FIELDS.contains(&fname.as_str()) {
                    let pos = self.loc.key(&path);
                    self.err(
                        pos,
                        format!(
                            "field `{fname}` is common to every page and cannot be declared again in kind `{name}`"
                        ),
                    );
                    continue;
                }
                self.localized(&[&path[..], &["label"]].concat(), f.label.as_ref(), langs);
                if let Some(ty) = self.field_type(&path, &f, &Declared { kinds: &kind_names, taxonomies, langs }) {
                    self.localized(&[&path[..], &["backlink"]].concat(), f.backlink.as_ref(), langs);
                    let spec =
                        FieldSpec { ty, required: f.required, label: f.label, backlink: f.backlink, hidden: f.hidden };
                    fields.insert(fname, spec);
                }
            }
            self.data_columns(&name, &fields);
            let card = self.card(&name, kind.card, &fields);
            out.insert(
                name,
                KindConfig {
                    label: kind.label,
                    card,
                    fields,
                    feed: kind.feed,
                    glossary_links: kind.glossary_links,
                    related: kind.related,
                },
            );
        }
        out.entry(DEFAULT_KIND.to_string()).or_default();
        out
    }

    /// Field names that would take a column of the section's open data: the CSV's own
    /// columns ([`DATA_COLUMNS`]), and `<field>_url`, the addresses of a reference field.
    fn data_columns(&mut self, kind: &str, fields: &IndexMap<String, FieldSpec>) {
        for name in fields.keys() {
            let pos = self.loc.key(&["kinds", kind, "fields", name]);
            if DATA_COLUMNS.contains(&name.as_str()) {
                let columns = quote_list(&DATA_COLUMNS.map(String::from));
                let message = format!(
                    "field `{name}` would share its name with a column of the open data ({columns}): rename it"
                );
                self.err(pos, message);
            }
            let addresses = format!("{name}_url");
            if fields.get(name).is_some_and(|f| is_reference(&f.ty)) && DATA_COLUMNS.contains(&addresses.as_str()) {
                let message = format!("reference field `{name}` would give its addresses the column `{addresses}` of the open data, which holds each page's own address: rename it");
                self.err(pos, message);
            }
            let reference = name.strip_suffix("_url").and_then(|r| fields.get(r)).is_some_and(|f| is_reference(&f.ty));
            if reference {
                let of = name.trim_end_matches("_url");
                let message = format!("field `{name}` would share its name with the column of `{of}`'s addresses in the open data: rename it");
                self.err(pos, message);
            }
        }
    }

    /// `card:` of a kind: fields of the kind, shown on its pages' cards.
    fn card(&mut self, kind: &str, card: Vec<String>, fields: &IndexMap<String, FieldSpec>) -> Vec<String> {
        let mut out = Vec::new();
        for name in card {
            let pos = self.loc.item(&["kinds", kind, "card"], &name);
            match fields.get(&name) {
                Some(f) if f.hidden => {
                    let fix = "remove it from `card:` or its `hidden: true`";
                    self.err(pos, format!("`card:` names field `{name}`, which is hidden from readers: {fix}"));
                    continue;
                }
                Some(_) => {
                    out.push(name);
                    continue;
                }
                None => {}
            }
            let known: Vec<String> = fields.iter().filter(|(_, f)| !f.hidden).map(|(n, _)| n.clone()).collect();
            self.err(
                pos,
                format!(
                    "`card:` names field `{name}`, which kind `{kind}` does not have{}; its fields are {}",
                    hint(&name, known.iter().map(String::as_str)),
                    quote_list(&known)
                ),
            );
        }
        out
    }

    fn field_type(&mut self, path: &[&str], f: &RawField, known: &Declared<'_>) -> Option<FieldType> {
        let ty = if f.ty == "list" {
            let Some(of) = f.of.as_deref() else {
                let pos = self.loc.key(path);
                self.err(
                    pos,
                    format!("field `{}` is a list: say what it holds with `of:`, e.g. `of: string`", path[3]),
                );
                return None;
            };
            if of == "list" {
                let pos = self.loc.value(&[path, &["of"]].concat());
                self.err(pos, "a list cannot hold lists".into());
                return None;
            }
            FieldType::List(Box::new(self.scalar_type(path, of, f, known, "of")?))
        } else {
            if f.of.is_some() {
                let pos = self.loc.key(&[path, &["of"]].concat());
                self.err(pos, format!("`of` only applies to `type: list`, and field `{}` is `{}`", path[3], f.ty));
            }
            self.scalar_type(path, &f.ty, f, known, "type")?
        };
        Some(ty)
    }

    fn scalar_type(
        &mut self,
        path: &[&str],
        ty: &str,
        f: &RawField,
        known: &Declared<'_>,
        key: &str,
    ) -> Option<FieldType> {
        let Declared { kinds, taxonomies, langs } = *known;
        let field = path[3];
        Some(match ty {
            "string" => FieldType::String,
            "int" => FieldType::Int,
            "date" => FieldType::Date,
            "bool" => FieldType::Bool,
            "url" => FieldType::Url,
            "enum" => self.enum_type(path, f, langs)?,
            "ref" => match &f.kind {
                Some(k) if kinds.contains(k) => FieldType::Ref(k.clone()),
                Some(k) => {
                    let pos = self.loc.value(&sub_path(path, "kind"));
                    let h = hint(k, kinds.iter().map(String::as_str));
                    self.err(
                        pos,
                        format!("field `{field}` refers to kind `{k}`, which is not declared under `kinds`{h}"),
                    );
                    return None;
                }
                None => {
                    let pos = self.loc.key(path);
                    self.err(
                        pos,
                        format!("field `{field}` is a reference: name the kind it points to with `kind: ...`"),
                    );
                    return None;
                }
            },
            "taxonomy" => match &f.taxonomy {
                Some(t) if taxonomies.contains_key(t) => FieldType::Taxonomy(t.clone()),
                Some(t) => {
                    let pos = self.loc.value(&sub_path(path, "taxonomy"));
                    let h = hint(t, taxonomies.keys().map(String::as_str));
                    self.err(
                        pos,
                        format!("field `{field}` uses taxonomy `{t}`, which is not declared under `taxonomies`{h}"),
                    );
                    return None;
                }
                None => {
                    let pos = self.loc.key(path);
                    self.err(
                        pos,
                        format!("field `{field}` is a taxonomy field: name the taxonomy with `taxonomy: ...`"),
                    );
                    return None;
                }
            },
            other => {
                let pos = self.loc.value(&sub_path(path, key));
                let h = hint(other, TYPE_NAMES);
                self.err(
                    pos,
                    format!(
                        "field `{field}` has unknown type `{other}`{h}; types are {}",
                        quote_list(&TYPE_NAMES.map(String::from))
                    ),
                );
                return None;
            }
        })
    }
}

fn sub_path<'a>(path: &[&'a str], key: &'a str) -> Vec<&'a str> {
    let mut v = path.to_vec();
    v.push(key);
    v
}

impl Validator<'_, '_> {
    /// An enum field's type, its `values` read as taxonomy terms are.
    fn enum_type(&mut self, path: &[&str], f: &RawField, langs: &[Lang]) -> Option<FieldType> {
        let field = path[3];
        match &f.values {
            Some(v) if !v.is_empty() => {
                let owner = format!("field `{field}`");
                Some(FieldType::Enum(self.terms(&[path, &["values"]].concat(), &owner, "value", v.clone(), langs)))
            }
            _ => {
                let pos = self.loc.key(path);
                self.err(pos, format!("field `{field}` is an enum: list its allowed values with `values: [a, b]`"));
                None
            }
        }
    }
}

/// What a field's type may name: the kinds, the taxonomies and the languages of the site.
#[derive(Clone, Copy)]
struct Declared<'a> {
    kinds: &'a [String],
    taxonomies: &'a IndexMap<String, TaxonomyConfig>,
    langs: &'a [Lang],
}

/// Whether a field of type `ty` holds references (one, or a list).
pub(crate) fn is_reference(ty: &FieldType) -> bool {
    match ty {
        FieldType::Ref(_) => true,
        FieldType::List(inner) => matches!(inner.as_ref(), FieldType::Ref(_)),
        _ => false,
    }
}
