//! `guidebook new` and `guidebook init`: a page from its kind's archetype or schema, and a
//! small site that builds and serves at once with the built-in theme.

use crate::config::{quote_list, Config, FieldType, DEFAULT_KIND};
use crate::content::discover::CONTENT_DIR;
use crate::diagnostics::{hint, Diagnostics};
use crate::error::Error;
use std::path::{Path, PathBuf};

/// A file written by a scaffolding command, and the address of its page.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Created {
    /// The file, as a path under the site root.
    pub file: String,
    /// The page's address below the site root (`en/pilots/rotterdam/`).
    pub url: String,
}

fn load_config(root: &Path) -> Result<Config, Error> {
    let mut diags = Diagnostics::new();
    let text = crate::config::read(root, &mut diags)?.ok_or(Error::BrokenConfig)?;
    config_or_error(crate::config::load(&text, &mut diags), &diags)
}

fn config_or_error(config: Option<Config>, diags: &Diagnostics) -> Result<Config, Error> {
    match config {
        Some(c) if !diags.has_errors() => Ok(c),
        _ => Err(Error::BrokenConfig),
    }
}

/// Existing page ids of `kind`, read from file names (the site need not build).
fn ids_of_kind(root: &Path, config: &Config, kind: &str) -> Vec<String> {
    let mut ids = Vec::new();
    for (name, section) in &config.sections {
        if section.kind != kind {
            continue;
        }
        let Ok(entries) = std::fs::read_dir(root.join(CONTENT_DIR).join(name)) else { continue };
        let mut slugs: Vec<String> = entries
            .filter_map(|e| e.ok())
            .filter_map(|e| e.file_name().to_str().map(str::to_string))
            .filter(|n| n.ends_with(".md") && !n.starts_with('_') && !n.starts_with('.'))
            .map(|n| n.split('.').next().unwrap_or_default().to_string())
            .collect();
        slugs.sort();
        slugs.dedup();
        ids.extend(slugs.into_iter().map(|s| format!("{name}/{s}")));
    }
    ids
}

/// One front-matter line for a field: a valid value to replace, and a comment saying what
/// the field wants.
fn field_line(root: &Path, config: &Config, name: &str, ty: &FieldType, required: bool) -> String {
    let example = |ty: &FieldType| -> Option<String> {
        Some(match ty {
            FieldType::String => "\"...\"".to_string(),
            FieldType::Int => "0".to_string(),
            FieldType::Date => {
                let now = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.as_secs());
                chrono::DateTime::from_timestamp(i64::try_from(now).unwrap_or(0), 0)
                    .map(|d| d.format("%Y-%m-%d").to_string())?
            }
            FieldType::Bool => "false".to_string(),
            FieldType::Url => "https://example.org/".to_string(),
            FieldType::Enum(values) => values.first()?.key.clone(),
            FieldType::Ref(kind) => ids_of_kind(root, config, kind).into_iter().next()?,
            FieldType::Taxonomy(t) => {
                let term = config.taxonomies.get(t)?.terms.as_ref()?.first()?.key.clone();
                format!("[{term}]")
            }
            FieldType::List(inner) => format!(
                "[{}]",
                match inner.as_ref() {
                    FieldType::String => "\"...\"".to_string(),
                    other => example_scalar(root, config, other)?,
                }
            ),
        })
    };
    let what = ty.describe();
    match (required, example(ty)) {
        (true, Some(value)) => format!("{name}: {value}  # required: {what}; replace this example"),
        (true, None) => format!("{name}:  # required: {what}"),
        (false, Some(value)) => format!("# {name}: {value}  # optional: {what}"),
        (false, None) => format!("# {name}:  # optional: {what}"),
    }
}

fn example_scalar(root: &Path, config: &Config, ty: &FieldType) -> Option<String> {
    match ty {
        FieldType::Ref(kind) => ids_of_kind(root, config, kind).into_iter().next(),
        FieldType::Enum(values) => values.first().map(|v| v.key.clone()),
        FieldType::Int => Some("0".into()),
        _ => Some("\"...\"".into()),
    }
}

/// A page of `kind` derived from its schema.
fn from_schema(root: &Path, config: &Config, kind: &str, title: &str) -> String {
    let mut lines = vec!["---".to_string(), format!("title: \"{title}\"  # required: the page's title")];
    lines.push("summary: \"...\"  # one sentence that says what the page is about".into());
    for (name, field) in &config.kinds[kind].fields {
        lines.push(field_line(root, config, name, &field.ty, field.required));
    }
    lines.push("---".into());
    lines.push(String::new());
    lines.push("Write the page here, in markdown. Headings start with `##`.".into());
    lines.push(String::new());
    lines.join("\n")
}

/// `guidebook new KIND SLUG`: writes the page in `langs` (all declared when `None`
/// is not given: the default language only).
pub fn new_page(root: &Path, kind: &str, slug: &str, lang: Option<&str>) -> Result<Vec<Created>, Error> {
    let config = load_config(root)?;
    if !config.kinds.contains_key(kind) {
        let h = hint(kind, config.kinds.keys().map(String::as_str));
        let kinds: Vec<String> = config.kinds.keys().cloned().collect();
        return Err(Error::Usage(format!(
            "kind `{kind}` is not declared in site.yaml{h}; kinds: {}",
            quote_list(&kinds)
        )));
    }
    if !crate::config::is_id_segment(slug) {
        let suggestion = slug::slugify(slug);
        return Err(Error::Usage(format!(
            "`{slug}` cannot be a page id: use lowercase letters, digits and hyphens, e.g. `{suggestion}`"
        )));
    }
    let langs: Vec<String> = match lang {
        None => vec![config.default_lang().to_string()],
        Some("all") => config.languages.iter().map(ToString::to_string).collect(),
        Some(code) if config.lang(code).is_some() => vec![code.to_string()],
        Some(code) => {
            let declared: Vec<String> = config.languages.iter().map(ToString::to_string).collect();
            return Err(Error::Usage(format!(
                "language `{code}` is not declared in site.yaml; declared: {}, or `all`",
                declared.join(", ")
            )));
        }
    };
    let section = config.sections.iter().find(|(_, s)| s.kind == kind).map(|(n, _)| n.clone());
    if section.is_none() && kind != DEFAULT_KIND {
        return Err(Error::Usage(format!(
            "no section holds pages of kind `{kind}`: add one under `sections:` in site.yaml"
        )));
    }
    let title = slug.split('-').map(capitalise).collect::<Vec<_>>().join(" ");
    let archetype = std::fs::read_to_string(root.join("archetypes").join(format!("{kind}.md"))).ok();
    let mut created = Vec::new();
    let mut planned: Vec<(PathBuf, String, Created)> = Vec::new();
    for lang in &langs {
        let rel = match &section {
            Some(s) => format!("{CONTENT_DIR}/{s}/{slug}.{lang}.md"),
            None => format!("{CONTENT_DIR}/{slug}.{lang}.md"),
        };
        let path = root.join(&rel);
        if path.exists() {
            return Err(Error::Usage(format!("{rel} already exists: choose another name, or edit that file")));
        }
        let text = match &archetype {
            Some(a) => a.replace("{{ title }}", &title).replace("{{ slug }}", slug).replace("{{ lang }}", lang),
            None => from_schema(root, &config, kind, &title),
        };
        let url = match &section {
            Some(s) => format!("{lang}/{s}/{slug}/"),
            None => format!("{lang}/{slug}/"),
        };
        planned.push((path, text, Created { file: rel, url }));
    }
    for (path, text, c) in planned {
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).map_err(|e| Error::io(parent, e))?;
        }
        std::fs::write(&path, text).map_err(|e| Error::io(&path, e))?;
        created.push(c);
    }
    Ok(created)
}

fn capitalise(s: &str) -> String {
    let mut c = s.chars();
    c.next().map(|f| f.to_uppercase().chain(c).collect()).unwrap_or_default()
}

/// The files of a new site: two languages, one page of each kind, interface strings.
const INIT_FILES: [(&str, &str); 11] = [
    (
        "site.yaml",
        r##"# A guidebook site. `guidebook serve` builds it and shows it at http://127.0.0.1:1111/
title:
  en: "My guidebook"
  fr: "Mon guide"
description:
  en: "Practices worth sharing."
  fr: "Des pratiques à partager."
# The first language is the default one: pages are written in it first.
languages: [en, fr]

# HTML written in page text: `sanitize` keeps formatting and drops anything that can run
# (scripts, event handlers, frames, forms); `escape` shows it as text; `allow` publishes it
# as written, for sites whose every editor is fully trusted.
markdown:
  raw_html: sanitize

sections:
  countries:
    title: { en: "Countries", fr: "Pays" }
    kind: country
    weight: 10
  practices:
    title: { en: "Practices", fr: "Pratiques" }
    kind: practice
    weight: 20
    facets: [country, themes]

kinds:
  page:
    label: { en: "Page", fr: "Page" }
  country:
    label: { en: "Country", fr: "Pays" }
    fields:
      iso: { type: string, required: true, label: { en: "ISO code", fr: "Code ISO" } }
  practice:
    label: { en: "Practice", fr: "Pratique" }
    feed: true
    card: [country, themes]
    related: 3
    fields:
      country:
        type: ref
        kind: country
        required: true
        label: { en: "Country", fr: "Pays" }
        backlink: { en: "Practices in this country", fr: "Pratiques dans ce pays" }
      themes: { type: taxonomy, taxonomy: themes, label: { en: "Themes", fr: "Thèmes" } }
      website: { type: url, label: { en: "Website", fr: "Site web" } }

taxonomies:
  themes:
    title: { en: "Themes", fr: "Thèmes" }
    terms:
      - { en: training, fr: formation }
      - { en: cooperation, fr: coopération }

# The main menu; without one, it is the sections, then an "About" group of the other pages.
# menu:
#   - section: practices
#     label: { en: "Practices", fr: "Pratiques" }
#   - label: { en: "About", fr: "À propos" }
#     pages: [{ page: about }]
# footer:
#   - page: about

# Your organisation's look and details, shown on every page (see the README).
# favicon: img/favicon.png
# branding:
#   logo: img/logo.svg
#   accent: "#0b5cad"
#   organisation:
#     name: { en: "City of Example", fr: "Ville d'Exemple" }
#     email: contact@example.org
#     url: https://example.org/

# The accessibility statement that public bodies publish, one page per language.
# accessibility:
#   status: partially
#   prepared: 2026-01-15
#   method: self-assessment
#   non_accessible:
#     - { en: "Some older PDF reports are not tagged.", fr: "Certains anciens rapports PDF ne sont pas balisés." }
#   contact: { email: accessibility@example.org }
#   enforcement:
#     name: { en: "The national ombudsman", fr: "Le médiateur national" }
#     url: https://ombudsman.example.org/
"##,
    ),
    (
        "content/_index.en.md",
        "---\ntitle: \"My guidebook\"\nsummary: \"Practices worth sharing, by country and theme.\"\n---\n\nStart with [the first practice](@/practices/first-practice.md).\n",
    ),
    (
        "content/_index.fr.md",
        "---\ntitle: \"Mon guide\"\nsummary: \"Des pratiques à partager, par pays et par thème.\"\n---\n\nCommencez par [la première pratique](@/practices/first-practice.md).\n",
    ),
    ("content/about.en.md", "---\ntitle: \"About this guidebook\"\nweight: 90\n---\n\nWho writes it, and how to contribute.\n"),
    ("content/countries/france.en.md", "---\ntitle: \"France\"\niso: FR\n---\n\n## Institutions\n\nWho does what.\n"),
    ("content/countries/france.fr.md", "---\ntitle: \"France\"\niso: FR\n---\n\n## Institutions {#institutions}\n\nQui fait quoi.\n"),
    (
        "content/practices/first-practice.en.md",
        "---\ntitle: \"A first practice\"\nsummary: \"What was done, with whom, and what came of it.\"\ncountry: countries/france\nthemes: [training]\n---\n\n## What was done\n\nDescribe the practice.\n\n## Results\n\nWhat came of it. See also [the institutions](@/countries/france.md#institutions).\n",
    ),
    (
        "content/practices/first-practice.fr.md",
        "---\ntitle: \"Une première pratique\"\nsummary: \"Ce qui a été fait, avec qui, et ce qui en est sorti.\"\ncountry: countries/france\nthemes: [training]\n---\n\n## Ce qui a été fait {#what-was-done}\n\nDécrivez la pratique.\n\n## Résultats {#results}\n\nCe qui en est sorti.\n",
    ),
    ("i18n/en.yaml", "# Interface strings of this site, in English. They add to and override guidebook's own.\nsearch_placeholder: \"Search the guidebook\"\n"),
    ("i18n/fr.yaml", "# Chaînes d'interface de ce site, en français.\nsearch_placeholder: \"Rechercher dans le guide\"\n"),
    ("static/robots.txt", "User-agent: *\nAllow: /\n"),
];

/// `guidebook init DIR`: writes a small site into `dir`, which must be empty or absent.
pub fn init(dir: &Path) -> Result<Vec<String>, Error> {
    if dir.exists() {
        let empty = std::fs::read_dir(dir).map_err(|e| Error::io(dir, e))?.next().is_none();
        if !empty {
            return Err(Error::Usage(format!("{} is not empty: choose a new or empty folder", dir.display())));
        }
    }
    let mut written = Vec::new();
    for (rel, text) in INIT_FILES {
        let path = dir.join(rel);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).map_err(|e| Error::io(parent, e))?;
        }
        std::fs::write(&path, text).map_err(|e| Error::io(&path, e))?;
        written.push(rel.to_string());
    }
    Ok(written)
}
