//! Load stage: finds the page files under `content/` and reads them safely.
//!
//! The walk is sorted and never follows a symbolic link out of the site. Each file name is
//! turned into a page id, section and language here, so later stages trust them. Reading
//! enforces the size limit, UTF-8, and normalises BOM and CRLF.

use crate::config::{is_id_segment, Config, Lang};
use crate::decode::decode;
use crate::diagnostics::{hint, Diagnostics, Pos};
use crate::ignore::is_source_copy;
use std::path::{Path, PathBuf};
use walkdir::WalkDir;

/// The folder of pages, relative to the site root.
pub(crate) const CONTENT_DIR: &str = "content";
/// Largest page file we read.
pub(crate) const MAX_FILE_BYTES: u64 = 10 * 1024 * 1024;
/// The warning for a link that leads out of the site.
pub(crate) const SYMLINK_OUTSIDE: &str =
    "symbolic link leads outside the site folder; it was not followed (copy the file into the site instead)";

/// The slug of home and section pages.
pub(crate) const INDEX_SLUG: &str = "_index";

/// A page file, with what its path says about it.
#[derive(Debug, Clone)]
pub(crate) struct SourceFile {
    /// Path relative to the site root, with `/` separators (as diagnostics show it).
    pub rel: String,
    /// Path on disk.
    pub abs: PathBuf,
    /// The section folder, or `None` for files directly in `content/`.
    pub section: Option<String>,
    /// The file's slug: `_index` for home and section pages.
    pub slug: String,
    /// The page's language.
    pub lang: Lang,
    /// The page id: `pilots/avignon`, `pilots/_index`, `_index`.
    pub id: String,
}

/// What `content/` holds: page files, and other files (images, documents) that pages
/// may link to, by their path inside `content/`.
#[derive(Debug, Default, Clone)]
pub(crate) struct Discovered {
    /// Page files.
    pub pages: Vec<SourceFile>,
    /// Other files, by path inside `content/`, with their place on disk.
    pub assets: Vec<(String, PathBuf)>,
}

/// `name` in Unicode Normalization Form C: the form editors type and most systems save,
/// where macOS saves `é` as `e` and a combining accent (form D). Files are published and
/// linked under this form, so both spellings of a name meet.
pub(crate) fn nfc(name: &str) -> String {
    icu_normalizer::ComposingNormalizerBorrowed::new_nfc().normalize(name).into_owned()
}

/// Walks `content/` under `root` in sorted order.
pub(crate) fn discover(root: &Path, config: &Config, diags: &mut Diagnostics) -> Discovered {
    let content = root.join(CONTENT_DIR);
    if !content.is_dir() {
        diags.error(
            "",
            Pos::default(),
            "no-content",
            format!(
                "there is no `{CONTENT_DIR}/` folder in the site: create it and add `{CONTENT_DIR}/_index.{}.md`",
                config.default_lang()
            ),
        );
        return Discovered::default();
    }
    let canonical_root = root.canonicalize().unwrap_or_else(|_| root.to_path_buf());
    let mut files = Vec::new();
    let mut assets = Vec::new();
    let mut outside: Vec<String> = Vec::new();
    // The markdown files seen, by path inside `content/`, to recognise copies of them.
    let mut sources: Vec<String> = Vec::new();
    let walker = WalkDir::new(&content).follow_links(true).sort_by_file_name().into_iter().filter_entry(|e| {
        // Leftovers and `ignore:` matches are neither pages nor published, whatever they hold.
        if e.depth() > 0 && config.ignore.skips(&rel_path(root, e.path())) {
            return false;
        }
        if e.path_is_symlink() {
            if let Ok(target) = e.path().canonicalize() {
                if !target.starts_with(&canonical_root) {
                    outside.push(rel_path(root, e.path()));
                    return false;
                }
            }
        }
        true
    });
    for entry in walker {
        let entry = match entry {
            Ok(e) => e,
            Err(err) => {
                let rel = err.path().map(|p| rel_path(root, p)).unwrap_or_default();
                let message = if err.loop_ancestor().is_some() {
                    "symbolic link loops back to a folder that contains it; it was not followed".to_string()
                } else {
                    format!("cannot be read: {}", err.io_error().map_or_else(|| err.to_string(), ToString::to_string))
                };
                diags.warning(&rel, Pos::default(), "unreadable", message);
                continue;
            }
        };
        let rel = rel_path(root, entry.path());
        if !entry.file_type().is_file() {
            continue;
        }
        let Some(name) = entry.file_name().to_str() else {
            diags.error(&rel, Pos::default(), "file-name", "file name is not valid Unicode: rename the file");
            continue;
        };
        let inner = rel.strip_prefix(&format!("{CONTENT_DIR}/")).unwrap_or(&rel).to_string();
        let Some(stem) = name.strip_suffix(".md") else {
            assets.push((nfc(&inner), entry.path().to_path_buf()));
            continue;
        };
        sources.push(inner);
        if let Some(file) = classify(root, entry.path(), &rel, stem, config, diags) {
            files.push(file);
        }
    }
    for rel in outside {
        diags.warning(&rel, Pos::default(), "symlink-outside", SYMLINK_OUTSIDE);
    }
    if files.is_empty() {
        check_ignore_all(root, config, diags);
    }
    drop_source_copies(&mut assets, &sources);
    Discovered { pages: files, assets }
}

/// Reports `ignore:` globs that left no page to publish (called when none was found).
fn check_ignore_all(root: &Path, config: &Config, diags: &mut Diagnostics) {
    let globs = config.ignore.globs().iter().map(|g| format!("`{g}`")).collect::<Vec<_>>().join(", ");
    if globs.is_empty() {
        return;
    }
    // Where `ignore:` stands in site.yaml, for the message.
    let line = std::fs::read_to_string(root.join(crate::config::CONFIG_FILE))
        .ok()
        .and_then(|t| t.lines().position(|l| l.starts_with("ignore:")))
        .map_or(1, |i| i + 1);
    diags.error(
        crate::config::CONFIG_FILE,
        Pos::new(line, 1),
        "ignore-all",
        format!(
            "`ignore:` ({globs}) leaves no page in `{CONTENT_DIR}/` to publish: a glob without `/` matches names in every folder, so `*` or `**` ignores everything; name the files or folders to leave out"
        ),
    );
}

/// Leaves out of `assets` the copies of a page's source (`avignon.en.md.bck`), which can
/// be unpublished drafts. `sources` are the markdown files, by path inside `content/`.
fn drop_source_copies(assets: &mut Vec<(String, PathBuf)>, sources: &[String]) {
    assets.retain(|(inner, _)| {
        let (dir, name) = folder_and_name(inner);
        let beside = sources.iter().map(|s| folder_and_name(s)).filter(|(d, _)| *d == dir).map(|(_, n)| n);
        !is_source_copy(name, beside)
    });
}

/// A path inside `content/` as its folder and its file name.
fn folder_and_name(inner: &str) -> (&str, &str) {
    inner.rsplit_once('/').unwrap_or(("", inner))
}

/// `path` relative to `root`, with `/` separators.
pub(crate) fn rel_path(root: &Path, path: &Path) -> String {
    let rel = path.strip_prefix(root).unwrap_or(path);
    rel.components().map(|c| c.as_os_str().to_string_lossy().into_owned()).collect::<Vec<_>>().join("/")
}

fn classify(
    root: &Path,
    abs: &Path,
    rel: &str,
    stem: &str,
    config: &Config,
    diags: &mut Diagnostics,
) -> Option<SourceFile> {
    let inner = abs.strip_prefix(root.join(CONTENT_DIR)).ok()?;
    let folders: Vec<String> = inner
        .parent()
        .map(|p| p.components().map(|c| c.as_os_str().to_string_lossy().into_owned()).collect())
        .unwrap_or_default();
    let (slug, lang) = match stem.rsplit_once('.') {
        Some((slug, code)) => match config.lang(code) {
            Some(lang) => (slug, lang.clone()),
            None => {
                let declared: Vec<&str> = config.languages.iter().map(Lang::as_str).collect();
                let h = hint(code, declared.iter().copied());
                diags.error(
                    rel,
                    Pos::default(),
                    "unknown-language",
                    format!(
                        "language `{code}` in the file name is not declared in site.yaml{h}; declared languages: {} (add `{code}` to `languages`, or rename the file)",
                        declared.join(", ")
                    ),
                );
                return None;
            }
        },
        None => (stem, config.default_lang().clone()),
    };
    if slug != INDEX_SLUG && !is_id_segment(slug) {
        let suggestion = slug::slugify(slug);
        let lang_part = if stem.contains('.') { format!(".{lang}") } else { String::new() };
        diags.error(
            rel,
            Pos::default(),
            "file-name",
            format!(
                "`{slug}` cannot be a page id: use lowercase letters, digits and hyphens (rename the file to `{}{lang_part}.md`)",
                if suggestion.is_empty() { "page" } else { &suggestion }
            ),
        );
        return None;
    }
    let section = match folders.as_slice() {
        [] => None,
        [section] => {
            if !config.sections.contains_key(section) {
                let h = hint(section, config.sections.keys().map(String::as_str));
                diags.error(
                    rel,
                    Pos::default(),
                    "unknown-section",
                    format!("section `{section}` is not declared in site.yaml{h}: add it under `sections:` or move the file"),
                );
                return None;
            }
            Some(section.clone())
        }
        _ => {
            diags.error(
                rel,
                Pos::default(),
                "too-deep",
                format!("pages live in `{CONTENT_DIR}/` or one section folder below it: move the file to `{CONTENT_DIR}/{}/{}`", folders[0], inner.file_name().map(|n| n.to_string_lossy()).unwrap_or_default()),
            );
            return None;
        }
    };
    let id = match &section {
        Some(s) => format!("{s}/{slug}"),
        None => slug.to_string(),
    };
    Some(SourceFile { rel: rel.to_string(), abs: abs.to_path_buf(), section, slug: slug.to_string(), lang, id })
}

/// Reads a page file: size limit, UTF-8, BOM and line endings. `None` after reporting.
pub(crate) fn read_text(file: &SourceFile, diags: &mut Diagnostics) -> Option<String> {
    let read = std::fs::metadata(&file.abs).and_then(|m| {
        if m.len() > MAX_FILE_BYTES {
            Ok(Err(m.len()))
        } else {
            std::fs::read(&file.abs).map(Ok)
        }
    });
    let bytes = match read {
        Ok(Ok(bytes)) => bytes,
        Ok(Err(size)) => {
            diags.error(
                &file.rel,
                Pos::default(),
                "file-too-large",
                format!(
                    "file is {:.1} MB; pages are limited to {} MB: split it into several pages",
                    size as f64 / (1024.0 * 1024.0),
                    MAX_FILE_BYTES / (1024 * 1024)
                ),
            );
            return None;
        }
        Err(e) => {
            diags.error(&file.rel, Pos::default(), "unreadable", format!("cannot be read: {e}"));
            return None;
        }
    };
    decode(&bytes).map_err(|(pos, code, msg)| diags.error(&file.rel, pos, code, msg)).ok()
}
