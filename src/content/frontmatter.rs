//! Parse stage: splits a page into front matter and body, and checks the front matter
//! against the page's kind (types, required fields, enum values, taxonomy terms).
//!
//! References are only checked for form here; whether their target exists is decided in
//! the resolve stage, once every page is known.

use crate::config::{quote_list, Config, FieldSpec, FieldType, COMMON_FIELDS, DEFAULT_KIND};
use crate::content::discover::SourceFile;
use crate::diagnostics::{hint, Diagnostics, Pos};
use crate::yaml::{self, Locator};
use chrono::NaiveDate;
use indexmap::IndexMap;
use serde_yaml::Value;

/// The two parts of a page file.
#[derive(Debug)]
pub(crate) struct Split<'a> {
    /// The YAML text between the `---` lines.
    pub yaml: &'a str,
    /// The markdown after the closing `---`.
    pub body: &'a str,
    /// File line of the body's first line.
    pub body_line: usize,
    /// File line of the closing `---` (where a missing field would be added).
    pub close_line: usize,
}

/// Splits `text` at its `---` lines.
pub(crate) fn split(text: &str) -> Result<Split<'_>, (Pos, &'static str, String)> {
    let first = text.lines().next().unwrap_or("");
    if first.trim_end() != "---" {
        return Err((
            Pos::start(),
            "no-front-matter",
            "page has no front matter: start the file with a line `---`, then `title: ...`, then another `---`".into(),
        ));
    }
    let yaml_start = first.len() + 1;
    let mut offset = yaml_start;
    for (i, line) in text[yaml_start.min(text.len())..].split_inclusive('\n').enumerate() {
        if line.trim_end() == "---" {
            let body_start = offset + line.len();
            return Ok(Split {
                yaml: &text[yaml_start..offset],
                body: &text[body_start.min(text.len())..],
                body_line: i + 3,
                close_line: i + 2,
            });
        }
        offset += line.len();
    }
    Err((
        Pos::start(),
        "unclosed-front-matter",
        "front matter is not closed: add a line `---` after the last field, before the text of the page".into(),
    ))
}

/// A checked reference to another page, with where it was written.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct RefValue {
    /// The target page id.
    pub id: String,
    /// Where the reference stands in the file.
    pub pos: Pos,
}

/// A checked front-matter value.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum FieldValue {
    /// Text.
    Text(String),
    /// A whole number.
    Int(i64),
    /// A date.
    Date(NaiveDate),
    /// A boolean.
    Bool(bool),
    /// An absolute web address.
    Url(String),
    /// One value of an enum.
    Enum(String),
    /// A reference to a page.
    Ref(RefValue),
    /// Taxonomy terms.
    Terms(Vec<String>),
    /// A list.
    List(Vec<FieldValue>),
}

/// The checked front matter of one page.
#[derive(Debug, Clone)]
pub(crate) struct FrontMatter {
    /// The page title.
    pub title: String,
    /// A one-sentence summary.
    pub summary: Option<String>,
    /// Order within its section (lower first).
    pub weight: i64,
    /// Drafts are built only with `--drafts`.
    pub draft: bool,
    /// The page's date.
    pub date: Option<NaiveDate>,
    /// Other paths that redirect to this page.
    pub aliases: Vec<String>,
    /// The page's kind.
    pub kind: String,
    /// In a translation: the content hash of the original it was translated from.
    pub translated_from: Option<(String, Pos)>,
    /// The kind's fields that the page sets, in the kind's declaration order.
    pub fields: IndexMap<String, FieldValue>,
    /// Where each field's value stands in the file, for later diagnostics: the kind's
    /// fields, and `aliases` and `kind` when the page gives them.
    pub positions: IndexMap<String, Pos>,
    /// In a file outside the default language: the required facts (see
    /// [`FieldType::is_fact`]) it leaves out, each with where and the message, not yet
    /// reported. A translation takes them from its original; the resolve stage reports them
    /// where the file turns out to be an original.
    pub missing_facts: Vec<(Pos, String)>,
}

/// Parses and checks the front matter of `file`. Problems go to `diags`.
pub(crate) fn check(
    file: &SourceFile,
    split: &Split<'_>,
    config: &Config,
    diags: &mut Diagnostics,
) -> Option<FrontMatter> {
    let value = match yaml::parse(split.yaml, 2, "front matter") {
        Ok(v) => v,
        Err(e) => {
            diags.error(&file.rel, e.pos, e.code, e.message);
            return None;
        }
    };
    let map = match value {
        Value::Mapping(m) => m,
        Value::Null => serde_yaml::Mapping::new(),
        _ => {
            diags.error(
                &file.rel,
                Pos::new(2, 1),
                "front-matter-shape",
                "front matter must be a list of `field: value` lines",
            );
            return None;
        }
    };
    let loc = Locator::new(split.yaml, 2);
    let mut c = Checker { file, config, loc: &loc, diags, close: Pos::new(split.close_line, 1), deferred: Vec::new() };
    c.front_matter(map)
}

struct Checker<'a, 'd> {
    file: &'a SourceFile,
    config: &'a Config,
    loc: &'a Locator<'a>,
    diags: &'d mut Diagnostics,
    close: Pos,
    /// Required facts missing from a file outside the default language, not reported yet
    /// (see [`FrontMatter::missing_facts`]).
    deferred: Vec<(Pos, String)>,
}

fn type_name(v: &Value) -> &'static str {
    match v {
        Value::Null => "nothing",
        Value::Bool(_) => "`true`/`false`",
        Value::Number(n) if n.is_i64() || n.is_u64() => "a whole number",
        Value::Number(_) => "a number",
        Value::String(_) => "text",
        Value::Sequence(_) => "a list",
        Value::Mapping(_) => "a set of `key: value` pairs",
        Value::Tagged(_) => "a tagged value",
    }
}

impl Checker<'_, '_> {
    fn err(&mut self, pos: Pos, code: &'static str, message: String) {
        self.diags.error(&self.file.rel, pos, code, message);
    }

    fn wrong_type(&mut self, field: &str, expected: &str, found: &Value, pos: Pos) {
        let quote_hint = match found {
            Value::Number(_) | Value::Bool(_) if expected == "text" => {
                // As written: YAML may have read `272502e098` as 2.72502e103.
                let text = self.loc.scalar_at(pos).map_or_else(|| scalar_text(found), str::to_string);
                format!(" (write it in quotes: `{field}: \"{text}\"`)")
            }
            _ => String::new(),
        };
        self.err(
            pos,
            "wrong-type",
            format!("field `{field}` must be {expected}, but it is {}{quote_hint}", type_name(found)),
        );
    }

    fn front_matter(&mut self, map: serde_yaml::Mapping) -> Option<FrontMatter> {
        let config = self.config;
        let entries = self.entries(map);
        let kind = self.kind(&entries, config)?;
        let spec = &config.kinds[&kind];
        let title = self.text_field(&entries, "title");
        if title.is_none() && !entries.contains_key("title") {
            let pos = self.close;
            self.err(
                pos,
                "missing-field",
                "missing required field `title`: add `title: ...` to the front matter".into(),
            );
        }
        let summary = self.text_field(&entries, "summary");
        let weight =
            entries.get("weight").and_then(|v| self.int("weight", v, self.loc.value(&["weight"]))).unwrap_or(0);
        let draft =
            entries.get("draft").and_then(|v| self.bool("draft", v, self.loc.value(&["draft"]))).unwrap_or(false);
        let date = entries.get("date").and_then(|v| self.date("date", v, self.loc.value(&["date"])));
        let aliases = match entries.get("aliases") {
            Some(v) => self.list_of_text("aliases", v),
            None => Vec::new(),
        };
        let translated_from = self.translated_from(entries.get("translated_from"));
        let fields = self.kind_fields(&entries, &spec.fields);
        self.unknown_fields(&entries, &spec.fields, &kind);
        Some(FrontMatter {
            title: title.unwrap_or_default(),
            summary,
            weight,
            draft,
            date,
            kind,
            translated_from,
            positions: fields
                .keys()
                .map(String::as_str)
                .chain((!aliases.is_empty()).then_some("aliases"))
                .chain(entries.contains_key("kind").then_some("kind"))
                .map(|k| (k.to_string(), self.loc.value(&[k])))
                .collect(),
            aliases,
            fields,
            missing_facts: std::mem::take(&mut self.deferred),
        })
    }

    /// The entries of the front matter, by name; names that are not text are reported and
    /// left out.
    fn entries(&mut self, map: serde_yaml::Mapping) -> IndexMap<String, Value> {
        let mut entries: IndexMap<String, Value> = IndexMap::new();
        for (k, v) in map {
            match k {
                Value::String(s) => {
                    entries.insert(s, v);
                }
                other => {
                    let key = scalar_text(&other);
                    let pos = self.loc.key(&[&key]);
                    self.err(pos, "field-name", format!("field name `{key}` must be text"));
                }
            }
        }
        entries
    }

    /// `translated_from:` (the hash of the original's text, with its position), if given.
    fn translated_from(&mut self, value: Option<&Value>) -> Option<(String, Pos)> {
        match value {
            Some(Value::String(h)) => Some((h.trim().to_string(), self.loc.value(&["translated_from"]))),
            // A hash made only of digits reads as a number; hashes have ten digits.
            Some(Value::Number(n)) if n.as_u64().is_some_and(|n| n < 10_000_000_000) => {
                Some((format!("{:010}", n.as_u64().unwrap_or(0)), self.loc.value(&["translated_from"])))
            }
            Some(Value::Null) | None => None,
            Some(other) => {
                let pos = self.loc.value(&["translated_from"]);
                self.wrong_type("translated_from", "text", other, pos);
                None
            }
        }
    }

    /// The values of the kind's fields (`specs`, from site.yaml), in the kind's order;
    /// required fields missing or empty are reported.
    fn kind_fields(
        &mut self,
        entries: &IndexMap<String, Value>,
        specs: &IndexMap<String, FieldSpec>,
    ) -> IndexMap<String, FieldValue> {
        let mut fields = IndexMap::new();
        for (name, field) in specs {
            match entries.get(name) {
                Some(Value::Null) | None if field.required => {
                    let what = field.ty.describe();
                    let pos = match entries.get(name) {
                        Some(_) => self.loc.key(&[name]),
                        None => self.close,
                    };
                    let verb = if entries.contains_key(name) { "is empty" } else { "is missing" };
                    let message = format!("required field `{name}` {verb}: add `{name}: ...` with {what}");
                    if field.ty.is_fact()
                        && !entries.contains_key(name)
                        && &self.file.lang != self.config.default_lang()
                    {
                        self.deferred.push((pos, message));
                    } else {
                        self.err(pos, "missing-field", message);
                    }
                }
                Some(Value::Null) | None => {}
                Some(v) => {
                    if let Some(value) = self.field(name, field, v) {
                        fields.insert(name.clone(), value);
                    }
                }
            }
        }
        fields
    }

    /// Reports the entries that are neither common fields nor fields of the `kind` (whose
    /// fields are `specs`), with a did-you-mean or the list of the fields it has.
    fn unknown_fields(&mut self, entries: &IndexMap<String, Value>, specs: &IndexMap<String, FieldSpec>, kind: &str) {
        for name in entries.keys() {
            if COMMON_FIELDS.contains(&name.as_str()) || specs.contains_key(name) {
                continue;
            }
            let known: Vec<&str> = COMMON_FIELDS.iter().copied().chain(specs.keys().map(String::as_str)).collect();
            let h = hint(name, known.iter().copied());
            let tail =
                if h.is_empty() { format!("; fields of this kind: {}", known.join(", ")) } else { String::new() };
            let pos = self.loc.key(&[name]);
            self.err(pos, "unknown-field", format!("unknown field `{name}` for a `{kind}` page{h}{tail}"));
        }
    }

    fn kind(&mut self, entries: &IndexMap<String, Value>, config: &Config) -> Option<String> {
        let default = match &self.file.section {
            Some(s) if self.file.slug != crate::content::discover::INDEX_SLUG => config.sections[s].kind.clone(),
            _ => DEFAULT_KIND.to_string(),
        };
        match entries.get("kind") {
            None | Some(Value::Null) => Some(default),
            Some(Value::String(k)) if config.kinds.contains_key(k) => Some(k.clone()),
            Some(Value::String(k)) => {
                let pos = self.loc.value(&["kind"]);
                let h = hint(k, config.kinds.keys().map(String::as_str));
                let declared: Vec<String> = config.kinds.keys().cloned().collect();
                self.err(
                    pos,
                    "unknown-kind",
                    format!("kind `{k}` is not declared in site.yaml{h}; kinds: {}", quote_list(&declared)),
                );
                None
            }
            Some(other) => {
                let pos = self.loc.value(&["kind"]);
                self.wrong_type("kind", "text", other, pos);
                None
            }
        }
    }

    fn text_field(&mut self, entries: &IndexMap<String, Value>, name: &str) -> Option<String> {
        match entries.get(name)? {
            Value::String(s) if !s.trim().is_empty() => Some(s.clone()),
            Value::String(_) | Value::Null => {
                let pos = self.loc.key(&[name]);
                if name == "title" {
                    self.err(pos, "missing-field", "field `title` is empty: give the page a title".into());
                }
                None
            }
            other => {
                let pos = self.loc.value(&[name]);
                self.wrong_type(name, "text", other, pos);
                None
            }
        }
    }

    fn int(&mut self, name: &str, v: &Value, pos: Pos) -> Option<i64> {
        match v.as_i64() {
            Some(n) => Some(n),
            None => {
                self.wrong_type(name, "a whole number", v, pos);
                None
            }
        }
    }

    fn bool(&mut self, name: &str, v: &Value, pos: Pos) -> Option<bool> {
        match v {
            Value::Bool(b) => Some(*b),
            _ => {
                self.wrong_type(name, "`true` or `false`", v, pos);
                None
            }
        }
    }

    fn date(&mut self, name: &str, v: &Value, pos: Pos) -> Option<NaiveDate> {
        if let Value::String(s) = v {
            let day = s.get(..10).unwrap_or(s);
            let rest_ok = s.len() == 10 || s.get(10..).is_some_and(|r| r.starts_with(['T', ' ']));
            if let (Ok(d), true) = (NaiveDate::parse_from_str(day, "%Y-%m-%d"), rest_ok) {
                return Some(d);
            }
            self.err(
                pos,
                "wrong-type",
                format!("field `{name}` must be a date written YYYY-MM-DD (e.g. 2019-05-14), but it is `{s}`"),
            );
            return None;
        }
        self.wrong_type(name, "a date written YYYY-MM-DD", v, pos);
        None
    }

    fn list_of_text(&mut self, name: &str, v: &Value) -> Vec<String> {
        let items: Vec<&Value> = match v {
            Value::Sequence(s) => s.iter().collect(),
            other => vec![other],
        };
        let mut out = Vec::new();
        for item in items {
            match item {
                Value::String(s) => out.push(s.clone()),
                other => {
                    let pos = self.loc.value(&[name]);
                    self.wrong_type(name, "a list of texts", other, pos);
                }
            }
        }
        out
    }

    fn field(&mut self, name: &str, spec: &FieldSpec, v: &Value) -> Option<FieldValue> {
        match (&spec.ty, v) {
            (FieldType::List(inner), _) => {
                let items: Vec<&Value> = match v {
                    Value::Sequence(s) => s.iter().collect(),
                    other => vec![other],
                };
                let values: Vec<FieldValue> =
                    items.into_iter().filter_map(|item| self.scalar(name, inner, item, true)).collect();
                Some(FieldValue::List(values))
            }
            (FieldType::Taxonomy(_), Value::Sequence(items)) => {
                let mut terms = Vec::new();
                for item in items {
                    if let Some(FieldValue::Terms(t)) = self.scalar(name, &spec.ty, item, true) {
                        for term in t {
                            if !terms.contains(&term) {
                                terms.push(term);
                            }
                        }
                    }
                }
                Some(FieldValue::Terms(terms))
            }
            (ty, v) => self.scalar(name, ty, v, false),
        }
    }

    fn scalar(&mut self, name: &str, ty: &FieldType, v: &Value, in_list: bool) -> Option<FieldValue> {
        let pos = match v {
            Value::String(s) if in_list => self.loc.item(&[name], s),
            _ => self.loc.value(&[name]),
        };
        let expected = if in_list { FieldType::List(Box::new(ty.clone())).describe() } else { ty.describe() };
        match (ty, v) {
            (FieldType::String, Value::String(s)) => Some(FieldValue::Text(s.clone())),
            (FieldType::Int, _) => self.int(name, v, pos).map(FieldValue::Int),
            (FieldType::Bool, _) => self.bool(name, v, pos).map(FieldValue::Bool),
            (FieldType::Date, _) => self.date(name, v, pos).map(FieldValue::Date),
            (FieldType::Url, Value::String(s)) => match url::Url::parse(s) {
                Ok(u) if matches!(u.scheme(), "http" | "https") && u.host().is_some() => {
                    Some(FieldValue::Url(s.clone()))
                }
                _ => {
                    self.err(pos, "wrong-type", format!("field `{name}` must be a full web address starting with https:// or http://, but it is `{s}`"));
                    None
                }
            },
            (FieldType::Enum(values), Value::String(s)) => {
                if values.iter().any(|v| v.key == *s) {
                    return Some(FieldValue::Enum(s.clone()));
                }
                self.err(pos, "unknown-value", crate::config::unknown_value(name, s, values));
                None
            }
            (FieldType::Ref(_), Value::String(s)) => {
                let id = s.trim().trim_start_matches("@/").trim_end_matches(".md").trim_matches('/').to_string();
                Some(FieldValue::Ref(RefValue { id, pos }))
            }
            (FieldType::Taxonomy(tax), Value::String(s)) => {
                let term = s.trim();
                if let Some(allowed) = &self.config.taxonomies[tax].terms {
                    if !allowed.iter().any(|t| t.key == term) {
                        let pos = self.loc.item(&[name], term);
                        let message = self.config.unknown_term(tax, term, allowed);
                        self.err(pos, "unknown-term", message);
                        return None;
                    }
                }
                Some(FieldValue::Terms(vec![term.to_string()]))
            }
            (_, v) => {
                let expected = if matches!(ty, FieldType::String) && !in_list { "text".to_string() } else { expected };
                self.wrong_type(name, &expected, v, pos);
                None
            }
        }
    }
}

fn scalar_text(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        Value::Bool(b) => b.to_string(),
        Value::Number(n) => n.to_string(),
        other => serde_yaml::to_string(other).unwrap_or_default().trim().to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_front_matter_and_counts_lines() {
        let s = split("---\ntitle: A\n---\n# Body\n").ok();
        let s = s.map(|s| (s.yaml, s.body, s.body_line, s.close_line));
        assert_eq!(s, Some(("title: A\n", "# Body\n", 4, 3)));
    }

    #[test]
    fn unclosed_front_matter_is_an_error() {
        assert_eq!(split("---\ntitle: A\n# Body\n").err().map(|e| e.1), Some("unclosed-front-matter"));
        assert_eq!(split("# Body\n").err().map(|e| e.1), Some("no-front-matter"));
    }
}

#[cfg(test)]
mod robustness {
    use super::*;
    use crate::config::{Config, Localized};
    use crate::diagnostics::Diagnostics;

    fn config() -> Option<Config> {
        let mut d = Diagnostics::new();
        crate::config::load(
            "title: T\nlanguages: [en]\nkinds:\n  page:\n    fields:\n      when: { type: date }\n      n: { type: int }\n      tags: { type: list, of: string }\n",
            &mut d,
        )
    }

    /// Hostile front matter never panics; it only produces diagnostics.
    #[test]
    fn hostile_front_matter_is_reported_not_fatal() {
        let Some(config) = config() else { panic!("test config is valid") };
        assert!(matches!(config.title, Localized::One(_)));
        let file = SourceFile {
            rel: "content/x.en.md".into(),
            abs: "content/x.en.md".into(),
            section: None,
            slug: "x".into(),
            lang: config.default_lang().clone(),
            id: "x".into(),
        };
        let inputs = [
            "title: A\nwhen: 2019-05-1é\n",
            "title: A\nwhen: é\n",
            "title: A\nn: 99999999999999999999999\n",
            "title: A\ntags: {a: [1, {b: c}]}\n",
            "title: [a, b]\n",
            "? [a, b]\n: c\n",
            "a: &a [*a]\n",
            "a: &a ['lol','lol']\nb: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]\nc: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]\nd: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]\ne: [*d,*d,*d,*d,*d,*d,*d,*d,*d]\n",
            "title: A\n\u{0}: x\n",
            "title: \"unterminated\n",
            "- just\n- a list\n",
            "title: A\ntitle: B\n",
            "title: A\n!!binary x: y\n",
        ];
        for yaml in inputs {
            let text = format!("---\n{yaml}---\nbody\n");
            let Ok(split) = split(&text) else { continue };
            let mut d = Diagnostics::new();
            let fm = check(&file, &split, &config, &mut d);
            assert!(fm.is_some() || d.has_errors(), "no result and no diagnostic for {yaml:?}");
        }
    }
}
