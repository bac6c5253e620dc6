//! Render stage, open-data family: every section's pages with their typed fields, per
//! language, as JSON (`<lang>/<section>/<section>.json`) and CSV
//! (`<lang>/<section>/<section>.csv`), so that other bodies can reuse a collection without
//! reading HTML. The section page links both files.
//!
//! Both files hold the same rows: the section's pages in navigation order, as a reader of
//! that language gets them (a page not translated yet is its original, marked so).
//! References are given as page ids and URLs (absolute when `base_url` is set, else
//! relative to the file), taxonomy terms and enum values by their names in the file's
//! language, dates in ISO 8601 (`2019-05-01`). Fields marked `hidden: true` are included:
//! they are data, only not shown on pages. The format is documented in the README ("Open
//! data").

use super::{Faces, Family, Reads};
use crate::config::{is_reference, FieldType, Lang, Term};
use crate::content::frontmatter::FieldValue;
use crate::render::view::page::summary;
use crate::render::view::View;
use crate::render::{OutputFile, Problem, GENERATOR};
use crate::site::{IdIdx, OutDir, Page, Status};
use indexmap::IndexMap;
use serde::Serialize;
use serde_json::{json, Value};

/// What separates the values of a list in one CSV cell: a line break, which no value of a
/// list written in front matter holds (titles, terms and sources may hold `;` or `,`), and
/// which spreadsheets show as lines of the cell.
pub(crate) const CSV_LIST_SEPARATOR: &str = "\n";

/// The two formats of a section's data.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Format {
    /// `<section>.json`: one object with the fields' description and the pages.
    Json,
    /// `<section>.csv`: UTF-8 with a byte-order mark, a header row of field names, then one
    /// row per page (RFC 4180: comma-separated, quoted where needed, CRLF line ends).
    Csv,
}

impl Format {
    /// The file's extension.
    pub(crate) fn extension(self) -> &'static str {
        match self {
            Format::Json => "json",
            Format::Csv => "csv",
        }
    }
}

/// The name of section `section`'s data file in `format` (`practices.csv`), in the
/// section's folder of each language.
pub(crate) fn file_name(section: &str, format: Format) -> String {
    format!("{section}.{}", format.extension())
}

/// One file of the family: a section (its index in `site.sections`), a language, a format.
pub(crate) struct DataJob {
    section: usize,
    lang: Lang,
    format: Format,
}

/// Sections as JSON and CSV.
pub(crate) struct OpenData;

impl Family for OpenData {
    const NAME: &'static str = "open data";
    type Job = DataJob;

    fn jobs(view: &View<'_>) -> Vec<DataJob> {
        let site = view.site;
        let mut jobs = Vec::new();
        for lang in &site.config.languages {
            for section in 0..site.sections.len() {
                for format in [Format::Json, Format::Csv] {
                    jobs.push(DataJob { section, lang: lang.clone(), format });
                }
            }
        }
        jobs
    }

    fn render(view: &View<'_>, job: &DataJob) -> Result<OutputFile, Problem> {
        let table = view.data_table(job.section, &job.lang);
        let name = &view.site.sections[job.section].name;
        let bytes = match job.format {
            Format::Json => table.json(),
            Format::Csv => table.csv(),
        };
        let path = format!("{}/{name}/{}", job.lang, file_name(name, job.format));
        Ok(OutputFile { path, bytes })
    }

    /// Titles, summaries, fields and the kind of translation status: no text.
    fn lang(_view: &View<'_>, job: &DataJob) -> Option<Lang> {
        Some(job.lang.clone())
    }

    fn reads(_view: &View<'_>, _job: &DataJob) -> Reads {
        Reads::Nothing
    }

    /// A section's data has a row per page of the section.
    fn faces(view: &View<'_>, job: &DataJob) -> Faces {
        let section = &view.site.sections[job.section];
        Faces::of(section.pages.get(&job.lang).into_iter().flatten().copied().chain(section.index).collect())
    }
}

/// A declared field, as the data files describe it.
struct Column {
    name: String,
    label: String,
    ty: &'static str,
    reference: bool,
}

/// A section's pages in one language, ready to write in either format.
struct Table {
    lang: Lang,
    section: String,
    title: String,
    kind: String,
    columns: Vec<Column>,
    rows: Vec<Row>,
}

/// One page: its common fields, then one value per column (`Value::Null` when unset).
#[derive(Serialize)]
struct Row {
    id: String,
    url: String,
    title: String,
    summary: Option<String>,
    language: String,
    translation: &'static str,
    date: Option<String>,
    #[serde(skip)]
    fields: Vec<Value>,
}

impl Row {
    /// The common columns, in [`COMMON`]'s order, as CSV cells.
    fn common(&self) -> [String; 7] {
        let opt = |o: &Option<String>| o.clone().unwrap_or_default();
        [
            self.id.clone(),
            self.url.clone(),
            defused(&self.title),
            defused(&opt(&self.summary)),
            self.language.clone(),
            self.translation.to_string(),
            opt(&self.date),
        ]
    }
}

/// A reference, in the data files.
#[derive(Serialize)]
struct RefDoc {
    id: String,
    url: String,
    title: String,
}

/// A declared field, as the JSON file describes it.
#[derive(Serialize)]
struct FieldDoc<'a> {
    name: &'a str,
    label: &'a str,
    #[serde(rename = "type")]
    ty: &'static str,
}

/// A page in the JSON file: [`Row`] and its fields by name.
#[derive(Serialize)]
struct PageDoc<'a> {
    #[serde(flatten)]
    row: &'a Row,
    fields: IndexMap<&'a str, &'a Value>,
}

/// The JSON file.
#[derive(Serialize)]
struct DataFile<'a> {
    generator: &'static str,
    language: &'a str,
    section: &'a str,
    title: &'a str,
    kind: &'a str,
    fields: Vec<FieldDoc<'a>>,
    pages: Vec<PageDoc<'a>>,
}

/// The type name a file gives a field (`"list of references"`).
fn type_name(ty: &FieldType) -> &'static str {
    match ty {
        FieldType::String => "text",
        FieldType::Int => "integer",
        FieldType::Date => "date",
        FieldType::Bool => "boolean",
        FieldType::Url => "url",
        FieldType::Enum(_) => "enum",
        FieldType::Ref(_) => "reference",
        FieldType::Taxonomy(_) => "terms",
        FieldType::List(inner) if matches!(inner.as_ref(), FieldType::Ref(_)) => "list of references",
        FieldType::List(_) => "list",
    }
}

impl View<'_> {
    /// Section `i`'s pages in `lang`, with the kind's fields.
    fn data_table(&self, i: usize, lang: &Lang) -> Table {
        let site = self.site;
        let config = &site.config;
        let section = &site.sections[i];
        let kind_name = config.sections[&section.name].kind.clone();
        let kind = &config.kinds[&kind_name];
        let columns = kind
            .fields
            .iter()
            .map(|(name, f)| Column {
                name: name.clone(),
                label: f
                    .label
                    .as_ref()
                    .and_then(|l| l.get(lang, config.default_lang()))
                    .map_or_else(|| name.replace('_', " "), str::to_string),
                ty: type_name(&f.ty),
                reference: is_reference(&f.ty),
            })
            .collect::<Vec<_>>();
        let here: OutDir = vec![lang.to_string(), section.name.clone()];
        let rows = section
            .pages
            .get(lang)
            .into_iter()
            .flatten()
            .map(|&id| self.data_row(id, lang, &here, &columns))
            .collect();
        Table {
            lang: lang.clone(),
            section: section.name.clone(),
            title: self.section_title(i, lang),
            kind: kind_name,
            columns,
            rows,
        }
    }

    fn data_row(&self, id: IdIdx, lang: &Lang, here: &OutDir, columns: &[Column]) -> Row {
        let site = self.site;
        let shown = site.shown(id, lang);
        let page = site.page(shown.source);
        let status = match shown.status {
            Status::Original => "original",
            Status::Translated => "translation",
            Status::Stale { .. } => "outdated translation",
            Status::Fallback => "not translated",
        };
        Row {
            id: site.info(id).id.clone(),
            url: self.address(here, &site.out(id, lang)),
            title: page.fm.title.clone(),
            summary: summary(page),
            language: page.lang.to_string(),
            translation: status,
            date: page.fm.date.map(|d| d.format("%Y-%m-%d").to_string()),
            fields: columns.iter().map(|c| self.data_value(page, c, lang, here)).collect(),
        }
    }

    /// The value of `page`'s field `column`, as JSON: references as `{id, url, title}`,
    /// terms by their names in `lang`.
    fn data_value(&self, page: &Page, column: &Column, lang: &Lang, here: &OutDir) -> Value {
        let site = self.site;
        let Some(value) = page.fm.fields.get(&column.name) else { return Value::Null };
        if column.reference {
            let refs = page.refs(&column.name).iter().map(|r| {
                json!(RefDoc {
                    id: site.info(r.target).id.clone(),
                    url: self.address(here, &site.out(r.target, lang)),
                    title: site.shown_page(r.target, lang).fm.title.clone(),
                })
            });
            let refs: Vec<Value> = refs.collect();
            return match value {
                FieldValue::List(_) => Value::Array(refs),
                _ => refs.into_iter().next().unwrap_or(Value::Null),
            };
        }
        let ty = site.config.kind(page.kind).fields.get(&column.name).map(|f| &f.ty);
        let terms = match ty {
            Some(FieldType::Taxonomy(t)) => site.config.taxonomies.get(t).and_then(|t| t.terms.as_deref()),
            Some(ty) => ty.choices(),
            None => None,
        };
        plain_value(value, &|key: &str| match terms {
            Some(terms) => Term::name_of(terms, key, lang),
            None => key.to_string(),
        })
    }
}

/// A field value that is not a reference, as JSON; `term` names a taxonomy term.
fn plain_value(value: &FieldValue, term: &dyn Fn(&str) -> String) -> Value {
    match value {
        FieldValue::Text(s) | FieldValue::Url(s) => json!(s),
        FieldValue::Enum(e) => json!(term(e)),
        FieldValue::Int(n) => json!(n),
        FieldValue::Bool(b) => json!(b),
        FieldValue::Date(d) => json!(d.format("%Y-%m-%d").to_string()),
        FieldValue::Terms(terms) => Value::Array(terms.iter().map(|t| json!(term(t))).collect()),
        FieldValue::Ref(r) => json!(r.id),
        FieldValue::List(items) => Value::Array(items.iter().map(|v| plain_value(v, term)).collect()),
    }
}

/// The text of a JSON value in one CSV cell: lists joined with [`CSV_LIST_SEPARATOR`],
/// references by `key` (`id` or `url`), nothing for `null`. A text that a spreadsheet
/// program would run as a formula (starting with `=`, `+`, `-`, `@`, a tab or a carriage
/// return) is written after an apostrophe, which those programs hide (OWASP's advice on
/// CSV injection); the JSON file keeps the text as written.
fn cell(value: &Value, key: &str) -> String {
    match value {
        Value::Null => String::new(),
        Value::String(s) => defused(s),
        Value::Array(items) => items.iter().map(|v| cell(v, key)).collect::<Vec<_>>().join(CSV_LIST_SEPARATOR),
        Value::Object(o) => o.get(key).map(|v| cell(v, key)).unwrap_or_default(),
        other => other.to_string(),
    }
}

/// `text` as a CSV cell: after an apostrophe when a spreadsheet would run it as a formula
/// (see [`cell`]).
fn defused(text: &str) -> String {
    if text.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{text}")
    } else {
        text.to_string()
    }
}

/// The common columns, first in every row (the page's address is `page_url`: a field may
/// be named `url`, and [`crate::config::DATA_COLUMNS`] keeps fields off these names).
const COMMON: [&str; 7] = ["id", "page_url", "title", "summary", "language", "translation", "date"];

impl Table {
    fn json(&self) -> Vec<u8> {
        let fields = self.columns.iter().map(|c| FieldDoc { name: &c.name, label: &c.label, ty: c.ty }).collect();
        let pages = self
            .rows
            .iter()
            .map(|row| PageDoc {
                row,
                fields: self.columns.iter().map(|c| c.name.as_str()).zip(&row.fields).collect(),
            })
            .collect();
        let doc = DataFile {
            generator: GENERATOR,
            language: self.lang.as_str(),
            section: &self.section,
            title: &self.title,
            kind: &self.kind,
            fields,
            pages,
        };
        let mut bytes = serde_json::to_vec_pretty(&doc).unwrap_or_default();
        bytes.push(b'\n');
        bytes
    }

    fn csv(&self) -> Vec<u8> {
        let mut header: Vec<String> = COMMON.iter().map(|c| c.to_string()).collect();
        for c in &self.columns {
            header.push(c.name.clone());
            if c.reference {
                header.push(format!("{}_url", c.name));
            }
        }
        let mut w = csv::WriterBuilder::new().terminator(csv::Terminator::CRLF).from_writer(Vec::new());
        let mut records = vec![header];
        for row in &self.rows {
            let mut record: Vec<String> = row.common().to_vec();
            for (c, v) in self.columns.iter().zip(&row.fields) {
                record.push(cell(v, "id"));
                if c.reference {
                    record.push(cell(v, "url"));
                }
            }
            records.push(record);
        }
        // Writing to memory fails only on invalid UTF-8, which a `String` cannot hold.
        for record in records {
            let _ = w.write_record(&record);
        }
        // A byte-order mark first, so that spreadsheet programs read the file as UTF-8
        // (without it, Excel shows "Ã©" for "é"); CSV readers skip it as such.
        let mut bytes = "\u{feff}".as_bytes().to_vec();
        bytes.extend(w.into_inner().unwrap_or_default());
        bytes
    }
}

#[cfg(test)]
mod tests {
    use super::cell;
    use serde_json::json;

    #[test]
    fn fields_cannot_take_the_common_columns() {
        for column in super::COMMON {
            assert!(
                crate::config::DATA_COLUMNS.contains(&column) || crate::config::COMMON_FIELDS.contains(&column),
                "{column}"
            );
        }
    }

    #[test]
    fn cells_join_lists_name_references_and_defuse_formulas() {
        let refs = json!([{ "id": "countries/france", "url": "../countries/france/", "title": "France" },
                          { "id": "countries/spain", "url": "../countries/spain/", "title": "Spain" }]);
        assert_eq!(cell(&refs, "id"), "countries/france\ncountries/spain");
        assert_eq!(cell(&refs, "url"), "../countries/france/\n../countries/spain/");
        assert_eq!(cell(&json!(["mentoring", "exit work"]), "id"), "mentoring\nexit work");
        assert_eq!(cell(&json!(null), "id"), "");
        assert_eq!(cell(&json!(2011), "id"), "2011");
        assert_eq!(cell(&json!(-3), "id"), "-3");
        assert_eq!(cell(&json!(true), "id"), "true");
        for formula in ["=HYPERLINK(\"x\")", "+1", "-1+1", "@SUM(A1)", "\tx"] {
            assert_eq!(cell(&json!(formula), "id"), format!("'{formula}"));
        }
        assert_eq!(cell(&json!("a = b"), "id"), "a = b");
    }
}
