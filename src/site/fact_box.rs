//! Resolve stage, read side: what a page's facts box shows to readers of one language,
//! as typed values. The render stage makes the box from it (links, dates and yes/no in
//! the reader's language), and the index stage makes the text that search finds a page
//! by, so that readers find a page by what its facts box says and by nothing it hides.

use super::{IdIdx, Page, Site};
use crate::config::{FieldSpec, FieldType, Lang, Term};
use crate::content::frontmatter::FieldValue;

/// One field of a facts box.
#[derive(Debug)]
pub(crate) struct ShownFact<'a> {
    /// The field's name in front matter.
    pub name: &'a str,
    /// Its declaration.
    pub spec: &'a FieldSpec,
    /// Its label in the language asked for: its `label` there, else its name with `_`
    /// read as a space.
    pub label: String,
    /// Its values, in the order written.
    pub values: Vec<ShownValue<'a>>,
}

/// One value of a facts box field.
#[derive(Debug)]
pub(crate) enum ShownValue<'a> {
    /// A term of `taxonomy` written `key`, and its name in the language asked for (its key
    /// when the taxonomy does not declare it).
    Term { taxonomy: &'a str, key: &'a str, name: String },
    /// An enum value, by its name in the language asked for ([`Term::name_of`]).
    Choice(String),
    /// The page a reference names (shown by its title in the language asked for).
    Page(IdIdx),
    /// Any other value, as written: text, a number, a date, yes or no, a web address, or a
    /// list of them.
    Plain(&'a FieldValue),
}

impl Site {
    /// The facts box of `page` (the page shown for an id, see [`Site::shown_page`]) for
    /// readers of `lang`: its fields in the order written, except those declared
    /// `hidden: true`, which readers never see.
    pub(crate) fn shown_facts<'a>(&'a self, page: &'a Page, lang: &Lang) -> Vec<ShownFact<'a>> {
        let config = &self.config;
        let spec = config.kind(page.kind);
        let mut facts = Vec::new();
        for (name, value) in &page.fm.fields {
            let Some(field) = spec.fields.get(name).filter(|f| !f.hidden) else {
                continue;
            };
            let label = field
                .label
                .as_ref()
                .and_then(|l| l.get(lang, config.default_lang()))
                .map_or_else(|| name.replace('_', " "), str::to_string);
            let values = match (&field.ty, value) {
                (FieldType::Taxonomy(tax), FieldValue::Terms(terms)) => terms
                    .iter()
                    .map(|key| {
                        let term = config.taxonomies.get(tax).and_then(|t| t.term(key));
                        let name = term.map_or(key.as_str(), |t| t.name(lang)).to_string();
                        ShownValue::Term { taxonomy: tax, key, name }
                    })
                    .collect(),
                (ty, _) if ty.choices().is_some() => {
                    let choices = ty.choices().unwrap_or_default();
                    enums(value).into_iter().map(|e| ShownValue::Choice(Term::name_of(choices, e, lang))).collect()
                }
                // References were resolved once, by the resolve stage.
                (FieldType::Ref(_), _) => page.refs(name).iter().map(|r| ShownValue::Page(r.target)).collect(),
                (FieldType::List(inner), _) if matches!(inner.as_ref(), FieldType::Ref(_)) => {
                    page.refs(name).iter().map(|r| ShownValue::Page(r.target)).collect()
                }
                _ => vec![ShownValue::Plain(value)],
            };
            facts.push(ShownFact { name, spec: field, label, values });
        }
        facts
    }
}

/// The enum values of `value` (one, or a list of them).
fn enums(value: &FieldValue) -> Vec<&str> {
    match value {
        FieldValue::Enum(e) => vec![e.as_str()],
        FieldValue::List(items) => items.iter().flat_map(enums).collect(),
        _ => Vec::new(),
    }
}
