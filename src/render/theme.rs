//! Render stage: the theme. The default theme is embedded in the binary, so an installed
//! `guidebook` builds a site that has no `themes/` folder; a site's `themes/<name>/`
//! overrides it template by template and file by file.

use crate::config::Config;
use crate::diagnostics::{Diagnostics, Pos};
use crate::ignore::Ignore;
use crate::lang::I18n;
use crate::output::StaticSource;
use include_dir::{include_dir, Dir};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

static DEFAULT_THEME: Dir<'static> = include_dir!("$CARGO_MANIFEST_DIR/themes/default");

/// The templates and static files a build uses.
pub(crate) struct Theme {
    /// Tera with every template loaded.
    pub tera: tera::Tera,
    /// Template name to the path shown in diagnostics.
    pub paths: BTreeMap<String, String>,
    /// Static files by output path: theme first, overridden by the site's theme, then `static/`.
    pub statics: BTreeMap<String, StaticSource>,
    /// A hash of every template's name, text and path: two loads with the same
    /// fingerprint render alike (for rebuilds, `crate::incremental`).
    pub fingerprint: u64,
    /// The names of the site's own templates (`themes/<name>/templates/`) whose text is not
    /// the built-in template's of that name, in name order: empty when every template is
    /// built in (`check` renders only when a site has templates of its own, see
    /// [`crate::check`]).
    pub own_templates: Vec<String>,
}

/// Loads the theme named in `config`, with `t(key=...)` reading `i18n`. Template problems,
/// and interface strings that templates use but the default language lacks, go to `diags`.
pub(crate) fn load(root: &Path, config: &Config, i18n: Arc<I18n>, diags: &mut Diagnostics) -> Option<Theme> {
    let site_theme = root.join("themes").join(&config.theme);
    let builtin = config.theme == "default";
    if !builtin && !site_theme.is_dir() {
        diags.error(
            "site.yaml",
            Pos::default(),
            "unknown-theme",
            format!(
                "theme `{}` not found: create `themes/{}/templates/` or remove `theme:` to use the built-in theme",
                config.theme, config.theme
            ),
        );
        return None;
    }
    let mut sources: BTreeMap<String, (String, String)> = BTreeMap::new();
    if let Some(dir) = DEFAULT_THEME.get_dir("templates") {
        for f in embedded_files(dir) {
            let name = rel_name(f.path(), "templates");
            if let Some(text) = f.contents_utf8() {
                sources.insert(name.clone(), (text.to_string(), format!("themes/default/templates/{name}")));
            }
        }
    }
    let mut statics = BTreeMap::new();
    if let Some(dir) = DEFAULT_THEME.get_dir("static") {
        for f in embedded_files(dir) {
            statics.insert(rel_name(f.path(), "static"), StaticSource::Embedded(f.contents()));
        }
    }
    let own_templates = add_site_templates(root, &site_theme.join("templates"), config, &mut sources, diags);
    for dir in [site_theme.join("static"), root.join("static")] {
        for (name, path) in site_files(root, &dir, &config.ignore, diags) {
            statics.insert(name, StaticSource::Disk(path));
        }
    }
    let paths: BTreeMap<String, String> = sources.iter().map(|(n, (_, p))| (n.clone(), p.clone())).collect();
    let mut used = std::collections::BTreeSet::new();
    for (name, (text, shown)) in &sources {
        for (key, pos) in crate::lang::template_keys(text) {
            used.insert(key.clone());
            if !i18n.has_default(&key) {
                diags.error(
                    shown,
                    pos,
                    "i18n",
                    format!("template `{name}` uses interface string `{key}`, which i18n/{}.yaml does not define: add `{key}: ...` there", config.default_lang()),
                );
            }
        }
    }
    i18n.unused_site_strings(&used, diags);
    i18n.missing_strings(&used, diags);
    let mut tera = tera::Tera::new();
    tera.autoescape_on(vec![".html", ".xml"]);
    register_t(&mut tera, i18n.clone());
    register_t_script(&mut tera, i18n);
    if let Err(e) = tera.add_raw_templates(sources.iter().map(|(n, (t, _))| (n.as_str(), t.as_str()))) {
        let (file, pos, message) = template_problem(&e, &paths);
        diags.error(&file, pos, "template", message);
        return None;
    }
    let fingerprint = {
        use std::hash::{Hash, Hasher};
        let mut h = std::collections::hash_map::DefaultHasher::new();
        sources.hash(&mut h);
        h.finish()
    };
    Some(Theme { tera, paths, statics, fingerprint, own_templates })
}

/// Adds the templates of the site's theme folder `dir` to `sources` (name to text and path
/// shown), over the built-in ones; returns the names of those whose text is not the
/// built-in template's, in name order ([`Theme::own_templates`]).
fn add_site_templates(
    root: &Path,
    dir: &Path,
    config: &Config,
    sources: &mut BTreeMap<String, (String, String)>,
    diags: &mut Diagnostics,
) -> Vec<String> {
    let mut own = Vec::new();
    for (name, path) in site_files(root, dir, &config.ignore, diags) {
        let shown = crate::content::discover::rel_path(root, &path);
        if let Some(text) = read_template(&path, &shown, diags) {
            // A copy of a built-in template (as the repository's own `themes/default/`)
            // renders as the built-in one does.
            if sources.get(&name).is_none_or(|(builtin, _)| *builtin != text) {
                own.push(name.clone());
            }
            sources.insert(name, (text, shown));
        }
    }
    own.sort();
    own
}

/// The text of the template file at `path` (shown as `shown`), decoded as every text file
/// of a site is ([`crate::decode::decode_text`]); `None` when it cannot be read or is not
/// UTF-8, the problem in `diags`.
fn read_template(path: &Path, shown: &str, diags: &mut Diagnostics) -> Option<String> {
    let read = std::fs::read(path)
        .map_err(|e| (Pos::default(), "template", format!("template cannot be read: {e}")))
        .and_then(|bytes| crate::decode::decode_text(&bytes));
    read.map_err(|(pos, code, message)| diags.error(shown, pos, code, message)).ok()
}

/// `t(key="next")`: the interface string `key` in the page's language (the context's
/// `lang`); other arguments fill `{name}` placeholders.
fn register_t(tera: &mut tera::Tera, i18n: Arc<I18n>) {
    tera.register_function("t", move |kwargs: tera::Kwargs, state: &tera::State| -> tera::TeraResult<String> {
        let key: String = kwargs.must_get::<&str>("key")?.to_string();
        let lang: String = state.get::<String>("lang")?.unwrap_or_default();
        let args: Vec<(String, String)> = kwargs
            .iter()
            .filter(|(k, _)| k.to_string() != "key")
            .map(|(k, v)| (k.to_string(), v.as_str().map_or_else(|| v.to_string(), str::to_string)))
            .collect();
        let args: Vec<(&str, &str)> = args.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
        Ok(i18n.format_code(&lang, &key, &args))
    });
}

/// `t_script(key="filter_status")`: the interface string `key` in the page's language for
/// a script to fill in, as JSON (see [`I18n::script_text`]): its plural forms, if it has
/// them, with the locale whose rules choose among them.
fn register_t_script(tera: &mut tera::Tera, i18n: Arc<I18n>) {
    tera.register_function("t_script", move |kwargs: tera::Kwargs, state: &tera::State| -> tera::TeraResult<String> {
        let key = kwargs.must_get::<&str>("key")?;
        let lang: String = state.get::<String>("lang")?.unwrap_or_default();
        Ok(i18n.script_text(&lang, key))
    });
}

fn rel_name(path: &Path, strip: &str) -> String {
    let rel = path.strip_prefix(strip).unwrap_or(path);
    rel.components().map(|c| c.as_os_str().to_string_lossy().into_owned()).collect::<Vec<_>>().join("/")
}

/// Every file under `dir` of the built-in theme, subfolders included.
fn embedded_files(dir: &'static Dir<'static>) -> Vec<&'static include_dir::File<'static>> {
    let mut files: Vec<_> = dir.files().collect();
    for d in dir.dirs() {
        files.extend(embedded_files(d));
    }
    files
}

/// Each regular file below `dir` with its name relative to `dir`, in sorted order,
/// skipping hidden files, leftovers and `ignore:` matches, and links that lead outside
/// the site.
fn site_files(root: &Path, dir: &Path, ignore: &Ignore, diags: &mut Diagnostics) -> Vec<(String, PathBuf)> {
    let mut files = Vec::new();
    if !dir.is_dir() {
        return files;
    }
    let canonical_root = root.canonicalize().unwrap_or_else(|_| root.to_path_buf());
    let walker = walkdir::WalkDir::new(dir).follow_links(true).sort_by_file_name().into_iter();
    let walker =
        walker.filter_entry(|e| e.depth() == 0 || !ignore.skips(&crate::content::discover::rel_path(root, e.path())));
    for entry in walker {
        let entry = match entry {
            Ok(e) => e,
            Err(e) => {
                let rel = e.path().map(|p| crate::content::discover::rel_path(root, p)).unwrap_or_default();
                diags.warning(&rel, Pos::default(), "unreadable", format!("cannot be read: {e}"));
                continue;
            }
        };
        let rel = crate::content::discover::rel_path(dir, entry.path());
        if !entry.file_type().is_file() {
            continue;
        }
        if entry.path().canonicalize().is_ok_and(|t| !t.starts_with(&canonical_root)) {
            diags.warning(
                &crate::content::discover::rel_path(root, entry.path()),
                Pos::default(),
                "symlink-outside",
                crate::content::discover::SYMLINK_OUTSIDE,
            );
            continue;
        }
        files.push((crate::content::discover::nfc(&rel), entry.path().to_path_buf()));
    }
    files
}

/// The file, position and message of a tera error, for the editor.
pub(crate) fn template_problem(err: &tera::Error, paths: &BTreeMap<String, String>) -> (String, Pos, String) {
    let shown = |name: &str| paths.get(name).cloned().unwrap_or_else(|| format!("themes/default/templates/{name}"));
    let mut current: Option<&(dyn std::error::Error + 'static)> = Some(err);
    let mut outer_message = None;
    while let Some(e) = current {
        if let Some(te) = e.downcast_ref::<tera::Error>() {
            match te.kind() {
                tera::ErrorKind::SyntaxError(r) | tera::ErrorKind::RenderingError(r) => {
                    let span = r.span();
                    let what = if matches!(te.kind(), tera::ErrorKind::SyntaxError(_)) {
                        "template syntax error"
                    } else {
                        "template error"
                    };
                    return (
                        shown(r.filename()),
                        Pos::new(span.start_line, span.start_col + 1),
                        format!("{what}: {}", r.message()),
                    );
                }
                tera::ErrorKind::MissingParent { current, parent } => {
                    return (
                        shown(current),
                        Pos::default(),
                        format!("template extends `{parent}`, which does not exist"),
                    );
                }
                tera::ErrorKind::TemplateNotFound(name) => {
                    return (shown(name), Pos::default(), format!("template `{name}` does not exist"));
                }
                other => {
                    outer_message.get_or_insert_with(|| other.to_string());
                }
            }
        }
        current = e.source();
    }
    (
        String::from("themes"),
        Pos::default(),
        format!("template error: {}", outer_message.unwrap_or_else(|| err.to_string())),
    )
}
