//! Index stage: one search index per language, from the resolved site, written as an
//! entry file `search/<lang>/index.bin` and pages `search/<lang>/<folder>/<number>.bin`
//! that the browser fetches as queries need them. Every page id is indexed once per language: its
//! translation, or its original (analysed in the original's language) when it has none,
//! with what its facts box shows in that language.

pub(crate) mod job;

pub(crate) use job::{IndexJob, Indexed, Indexes};

use crate::config::{FieldType, Lang};
use crate::content::frontmatter::FieldValue;
use crate::lang::DateFormats;
use crate::output::{OutputFile, ENGINE_PATH};
use crate::site::facets::FacetSource;
use crate::site::fact_box::ShownValue;
use crate::site::{IdIdx, Page, Site};
use guidebook_search::{build_index_unless, Document, FacetDim, SearchError, Section};
use rayon::prelude::*;
use std::collections::{BTreeMap, HashMap};
use std::hash::{DefaultHasher, Hash, Hasher};

/// The browser's search module (WebAssembly), built from `search/wasm` by `build.rs`,
/// gzip-compressed as it is written.
pub(crate) const ENGINE: &[u8] = include_bytes!(concat!(env!("OUT_DIR"), "/engine.wasm.gz"));

/// Indexes up to this size (a few hundred pages) are compressed well; larger ones quickly:
/// on 2,000 pages per language, compressing well would add seconds to every build and
/// every `serve` rebuild, for files an eighth smaller.
const GOOD_COMPRESSION_UP_TO: usize = 2 << 20;

/// The most an entry file or page may unpack to: more is a damaged or hostile file.
const MAX_UNPACKED: u64 = 2 << 30;

/// A file of an index as it is written: gzip-compressed at `level`, so that readers
/// download small files whether or not the web server compresses (IIS does not compress
/// `.bin` files).
fn pack(bytes: &[u8], level: u32) -> Vec<u8> {
    use std::io::Write as _;
    let mut gz = flate2::GzBuilder::new().write(Vec::new(), flate2::Compression::new(level));
    // Writing into memory cannot fail.
    let _ = gz.write_all(bytes);
    gz.finish().unwrap_or_default()
}

/// A file written by [`pack`], unpacked (one that is not compressed is taken as it is).
fn unpack(file: &[u8]) -> Result<Vec<u8>, guidebook_search::SearchError> {
    use std::io::Read as _;
    if !file.starts_with(&[0x1f, 0x8b]) {
        return Ok(file.to_vec());
    }
    let mut bytes = Vec::new();
    flate2::read::GzDecoder::new(file)
        .take(MAX_UNPACKED)
        .read_to_end(&mut bytes)
        .map_err(|e| guidebook_search::SearchError::Corrupt(format!("its compressed data is damaged ({e})")))?;
    Ok(bytes)
}

/// The index of a language as a built site holds it, opened from its entry file; its
/// pages are read from the site's files as queries need them, as the browser fetches
/// them.
pub(crate) struct SiteIndex {
    engine: guidebook_search::Engine,
    /// The language's folder of the built site (`<out>/search/<lang>`).
    folder: std::path::PathBuf,
}

impl SiteIndex {
    /// Opens the index of `lang` in the site built into `out`.
    pub(crate) fn open(out: &std::path::Path, lang: &str) -> Result<SiteIndex, crate::Error> {
        let path = out.join(index_path(lang));
        let bytes = std::fs::read(&path).map_err(|source| crate::Error::IndexMissing { path: path.clone(), source })?;
        let engine = unpack(&bytes)
            .and_then(|entry| guidebook_search::Engine::open(&entry))
            .map_err(|e| crate::Error::IndexDamaged { path: path.clone(), message: e.to_string() })?;
        let folder = path.parent().map(std::path::Path::to_path_buf).unwrap_or_default();
        Ok(SiteIndex { engine, folder })
    }

    /// Answers `req`, reading the pages it needs from the built site.
    ///
    /// # Errors
    /// [`crate::Error::IndexDamaged`] when a page is missing or of another build (the site
    /// was changed since: build it again).
    pub(crate) fn search(&self, req: &guidebook_search::Request) -> Result<guidebook_search::Response, crate::Error> {
        let pages = self.folder.join(self.engine.folder());
        let read = |n: u32| std::fs::read(pages.join(format!("{n}.bin"))).ok().and_then(|b| unpack(&b).ok());
        self.engine
            .search_with(req, read)
            .map_err(|e| crate::Error::IndexDamaged { path: self.folder.join("index.bin"), message: e.to_string() })
    }
}

/// The engine of `lang` opened from a build's files in memory, with every page of it.
pub(crate) fn engine_of(files: &[OutputFile], lang: &str) -> Option<guidebook_search::Engine> {
    let entry = files.iter().find(|f| f.path == index_path(lang))?;
    let engine = guidebook_search::Engine::open(&unpack(&entry.bytes).ok()?).ok()?;
    let prefix = format!("search/{lang}/{}/", engine.folder());
    for f in files {
        let number = f.path.strip_prefix(&prefix).and_then(|n| n.strip_suffix(".bin")).and_then(|n| n.parse().ok());
        if let (Some(n), Ok(bytes)) = (number, unpack(&f.bytes)) {
            engine.add_page(n, bytes);
        }
    }
    Some(engine)
}

/// Where the index of `lang` is written, below the output root.
pub(crate) fn index_path(lang: &str) -> String {
    format!("search/{lang}/index.bin")
}

/// The indexes of earlier builds of a `serve` session, by path, with a fingerprint of the
/// pages they were built from: a language whose pages did not change is not indexed again.
#[derive(Default)]
pub(crate) struct IndexCache {
    indexes: HashMap<String, (u64, Vec<OutputFile>)>,
}

/// The search module and the index of every language, or the first error. With
/// `offline`, each also comes as a classic script (`.js`, the bytes in base64), which a page
/// opened from `file://` can load where it cannot fetch. With a `cache`, unchanged
/// languages are taken from it, and it is left holding this build's indexes.
pub(crate) fn build_indexes(
    site: &Site,
    offline: bool,
    cache: Option<&mut IndexCache>,
) -> Result<Vec<OutputFile>, crate::Error> {
    build_indexes_unless(site, offline, cache, &|| false).map(Option::unwrap_or_default)
}

/// [`build_indexes`], given up (`Ok(None)`, the cache left as it was) when `stop` says so
/// as a language's index is begun: `serve` gives way to a newer change.
pub(crate) fn build_indexes_unless(
    site: &Site,
    offline: bool,
    cache: Option<&mut IndexCache>,
    stop: &(dyn Fn() -> bool + Sync),
) -> Result<Option<Vec<OutputFile>>, crate::Error> {
    build_indexes_each(site, (offline, cache, stop), &Ok)
}

/// [`build_indexes_unless`], each language's files (and the search module) handed to
/// `each` as soon as they are made, on the thread that made them, while other languages
/// are still being indexed: `build` writes them there, so that the last language's files
/// are all that is left to write when indexing ends. What `each` returns is what is kept
/// (and cached); its first error is returned as it is, an index's failure as an
/// [`crate::Error::Internal`] (a bug).
pub(crate) fn build_indexes_each(
    site: &Site,
    (offline, cache, stop): (bool, Option<&mut IndexCache>, &(dyn Fn() -> bool + Sync)),
    each: &(dyn Fn(Vec<OutputFile>) -> Result<Vec<OutputFile>, crate::Error> + Sync),
) -> Result<Option<Vec<OutputFile>>, crate::Error> {
    let default = site.config.default_lang().as_str();
    let known = cache.as_deref();
    // Dates in facts boxes are found as readers see them written out ("14 mai 2019").
    let dates = DateFormats::new(&site.config.lang_locales(), site.dates());
    let language = |lang: &Lang| -> Result<Option<(u64, Vec<OutputFile>)>, crate::Error> {
        if stop() {
            return Ok(None);
        }
        let (docs, facets) = documents(site, lang, &dates);
        let mut h = DefaultHasher::new();
        (lang.as_str(), default, &docs, &facets).hash(&mut h);
        let print = h.finish();
        let path = index_path(lang.as_str());
        if let Some(files) = known.and_then(|c| c.indexes.get(&path)).filter(|(p, _)| *p == print).map(|(_, f)| f) {
            return Ok(Some((print, each(files.clone())?)));
        }
        match build_index_unless(lang.as_str(), default, &docs, facets, stop) {
            Ok(built) => Ok(Some((print, each(index_files(lang, &built, offline))?))),
            Err(SearchError::Stopped) => Ok(None),
            Err(e) => Err(crate::Error::Internal(format!("search index for `{lang}`: {e}"))),
        }
    };
    let mut engine = vec![OutputFile { path: ENGINE_PATH.into(), bytes: ENGINE.to_vec() }];
    if offline {
        engine.push(as_script(ENGINE_PATH, "engine", ENGINE));
    }
    let (built, engine) =
        rayon::join(|| site.config.languages.par_iter().map(language).collect::<Result<Vec<_>, _>>(), || each(engine));
    let (built, mut files) = (built?, engine?);
    let Some(built) = built.into_iter().collect::<Option<Vec<_>>>() else {
        return Ok(None);
    };
    if let Some(cache) = cache {
        cache.indexes =
            built.iter().filter_map(|(print, f)| Some((f.first()?.path.clone(), (*print, f.clone())))).collect();
    }
    files.extend(built.into_iter().flat_map(|(_, f)| f));
    Ok(Some(files))
}

/// Whether an output file (by its path below the output root) belongs to the search
/// indexes: the engine, and each language's entry and pages.
pub(crate) fn is_index_file(path: &str) -> bool {
    path.starts_with("search/")
}

/// Whether an output file is a page of an index (`search/<lang>/<folder>/<n>.bin`, or
/// `.js` offline), which its language's entry names.
pub(crate) fn is_index_page(path: &str) -> bool {
    is_index_file(path) && path.matches('/').count() == 3
}

/// The files of a language's index: its entry first (`search/<lang>/index.bin`), then its
/// pages (`search/<lang>/<folder>/<number>.bin`), each gzip-compressed; with `offline`,
/// each also as a classic script.
fn index_files(lang: &Lang, built: &guidebook_search::Built, offline: bool) -> Vec<OutputFile> {
    let total = built.entry.len() + built.pages.iter().map(|(_, p)| p.len()).sum::<usize>();
    let level = if total <= GOOD_COMPRESSION_UP_TO { 6 } else { 1 };
    let entry = OutputFile { path: index_path(lang.as_str()), bytes: pack(&built.entry, level) };
    let pages: Vec<(u32, OutputFile)> = built
        .pages
        .par_iter()
        .map(|(n, bytes)| {
            (*n, OutputFile { path: format!("search/{lang}/{}/{n}.bin", built.folder), bytes: pack(bytes, level) })
        })
        .collect();
    let mut files = Vec::with_capacity(pages.len() * if offline { 2 } else { 1 } + 2);
    if offline {
        files.push(as_script(&entry.path, &format!("index_{lang}"), &entry.bytes));
        files.extend(pages.iter().map(|(n, p)| as_script(&p.path, &format!("page_{lang}_{n}"), &p.bytes)));
    }
    let pages = pages.into_iter().map(|(_, p)| p);
    files.insert(0, entry);
    files.extend(pages);
    files
}

/// `search/x.bin` as `search/x.js`, a classic script that puts the bytes (base64) in
/// `window.guidebookSearch[key]`.
fn as_script(path: &str, key: &str, bytes: &[u8]) -> OutputFile {
    use base64::Engine as _;
    let data = base64::engine::general_purpose::STANDARD.encode(bytes);
    let js =
        format!("window.guidebookSearch=window.guidebookSearch||{{}};window.guidebookSearch[\"{key}\"]=\"{data}\";\n");
    OutputFile { path: path.replace(".bin", ".js"), bytes: js.into_bytes() }
}

/// The facet dimensions: every taxonomy, and every reference field that a section
/// offers as a facet.
fn facet_fields(site: &Site) -> Vec<(String, String)> {
    let config = &site.config;
    let mut dims: Vec<(String, String)> = config.taxonomies.keys().map(|t| (t.clone(), t.clone())).collect();
    for section in config.sections.values() {
        let Some(kind) = config.kinds.get(&section.kind) else { continue };
        for facet in &section.facets {
            let is_ref = kind.fields.get(facet).is_some_and(|f| crate::config::is_reference(&f.ty));
            if is_ref && !dims.iter().any(|(d, _)| d == facet) {
                dims.push((facet.clone(), facet.clone()));
            }
        }
    }
    dims
}

fn documents(site: &Site, lang: &Lang, dates: &DateFormats) -> (Vec<Document>, Vec<FacetDim>) {
    let config = &site.config;
    let dims = facet_fields(site);
    let mut labels: BTreeMap<String, BTreeMap<String, String>> = BTreeMap::new();
    let mut docs = Vec::new();
    for (i, info) in site.ids.iter().enumerate() {
        let id = IdIdx(i as u32);
        let page = site.shown_page(id, lang);
        let Some(original) = site.original(id) else { continue };
        let facets = doc_facets(site, id, original, &dims, lang, &mut labels);
        let kind_label = config.kind_label(page.kind, lang);
        let kind = config.kind_name(page.kind).to_string();
        labels.entry("kind".into()).or_default().insert(kind.clone(), kind_label.clone());
        let out = site.out(id, lang);
        let url: String = out[1..].iter().map(|s| format!("{}/", crate::href::segment(s))).collect();
        let sections = page
            .body
            .sections
            .iter()
            .map(|s| Section { anchor: s.anchor.clone(), heading: s.heading.clone(), text: s.text.clone() })
            .collect();
        docs.push(Document {
            id: info.id.clone(),
            url,
            title: page.fm.title.clone(),
            summary: page.fm.summary.clone().unwrap_or_default(),
            kind: (kind, kind_label),
            lang: page.lang.to_string(),
            sections,
            facts: facts_text(site, page, lang, dates),
            facets,
        });
    }
    (docs, facet_dims(site, dims, lang, labels))
}

/// What the facts box of `page` shows to readers of `lang`, as text to search and to show
/// as a result's snippet: each field's label, then its values as shown (taxonomy terms and
/// enum values by their names in `lang`, referenced pages by their titles there, dates
/// written out in `lang`, texts, numbers and web addresses as written), as
/// `Label – value, value; Label – value` (a snippet starts after a `;`, so that it shows
/// the label of the fact it quotes; a `:` would start it at the value). Fields marked
/// `hidden: true` are not in it (see [`Site::shown_facts`]); nor are yes/no fields, whose
/// label would find every page that has the field, whether yes or no.
fn facts_text(site: &Site, page: &Page, lang: &Lang, dates: &DateFormats) -> String {
    let mut lines = Vec::new();
    for fact in site.shown_facts(page, lang) {
        let mut line = Vec::new();
        for value in fact.values {
            match value {
                ShownValue::Term { name, .. } | ShownValue::Choice(name) => line.push(name),
                ShownValue::Page(target) => line.push(site.shown_page(target, lang).fm.title.clone()),
                ShownValue::Plain(value) => plain_text(value, lang, dates, &mut line),
            }
        }
        if !line.is_empty() {
            lines.push(format!("{} – {}", fact.label, line.join(", ")));
        }
    }
    lines.join("; ")
}

/// The words of a plain field value as the facts box writes it.
fn plain_text(value: &FieldValue, lang: &Lang, dates: &DateFormats, out: &mut Vec<String>) {
    match value {
        FieldValue::Text(s) | FieldValue::Url(s) => out.push(s.clone()),
        FieldValue::Int(n) => out.push(n.to_string()),
        FieldValue::Date(d) => out.push(dates.long(*d, lang)),
        FieldValue::Bool(_) => {}
        FieldValue::Enum(e) => out.push(e.replace('_', " ")),
        FieldValue::Terms(terms) => out.extend(terms.iter().cloned()),
        FieldValue::Ref(r) => out.push(r.id.clone()),
        FieldValue::List(items) => items.iter().for_each(|item| plain_text(item, lang, dates, out)),
    }
}

/// The (dimension, key) pairs of page id `id` (read from its `original`), with each key's
/// label in `lang` recorded in `labels`. A dimension is read from the field of its name,
/// else from the field of its taxonomy; only its terms and the pages it names count.
fn doc_facets(
    site: &Site,
    id: IdIdx,
    original: &Page,
    dims: &[(String, String)],
    lang: &Lang,
    labels: &mut BTreeMap<String, BTreeMap<String, String>>,
) -> Vec<(String, String)> {
    let spec = site.config.kind(original.kind);
    let mut facets = Vec::new();
    for (dim, _) in dims {
        // A hidden field is no filter: readers do not see its values.
        let shown = |name: &str| spec.fields.get(name).filter(|f| !f.hidden);
        let field = if original.fm.fields.contains_key(dim) {
            shown(dim).map(|_| dim.as_str())
        } else {
            // Taxonomy fields may be named differently from their taxonomy.
            original
                .fm
                .fields
                .keys()
                .find(|name| matches!(shown(name).map(|f| &f.ty), Some(FieldType::Taxonomy(t)) if t == dim))
                .map(String::as_str)
        };
        let Some(field) = field else { continue };
        for v in site.facet_values(id, field, lang) {
            if matches!(v.source, FacetSource::Choice) {
                continue;
            }
            labels.entry(dim.clone()).or_default().insert(v.key.clone(), v.label.clone());
            facets.push((dim.clone(), v.key.clone()));
        }
    }
    facets
}

/// The facet dimensions named in `lang`, `kind` first, each with its values' labels.
fn facet_dims(
    site: &Site,
    dims: Vec<(String, String)>,
    lang: &Lang,
    mut labels: BTreeMap<String, BTreeMap<String, String>>,
) -> Vec<FacetDim> {
    let config = &site.config;
    let default = config.default_lang();
    let mut facet_dims: Vec<FacetDim> =
        vec![FacetDim { name: "kind".into(), label: String::new(), values: labels.remove("kind").unwrap_or_default() }];
    for (dim, field) in dims {
        let label = config
            .taxonomies
            .get(&dim)
            .and_then(|t| t.title.as_ref())
            .or_else(|| config.kinds.values().find_map(|k| k.fields.get(&field).and_then(|f| f.label.as_ref())))
            .and_then(|l| l.get(lang, default))
            .unwrap_or(&dim)
            .to_string();
        facet_dims.push(FacetDim { name: dim.clone(), label, values: labels.remove(&dim).unwrap_or_default() });
    }
    facet_dims
}
