//! guidebook: a static guidebook and knowledge-base generator.
//!
//! The pipeline, one stage one type:
//! load (`config`, `content::discover`) -> parse (`content`) -> resolve (`site`) ->
//! render (`render`) -> write (`output`). [`build`] runs all of it; [`check`] stops
//! before writing. Content problems never abort a stage: they are collected in
//! [`Diagnostics`] so the editor sees all of them at once.

pub mod config;
pub mod content;
pub mod diagnostics;
#[doc(hidden)]
pub mod fuzzing;
pub mod href;
pub mod lang;
pub mod output;
pub mod render;
pub mod report;
pub mod scaffold;
pub mod search;
pub mod serve;
pub mod site;
mod yaml;

use content::markdown::BodyTools;
pub use diagnostics::{Diagnostic, Diagnostics, Severity};
use std::path::{Path, PathBuf};

/// Failures that are not content problems: I/O, unsafe output folders, internal errors.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// A file or folder could not be read or written.
    #[error("{path}: {source}")]
    Io {
        /// The path involved.
        path: PathBuf,
        /// What went wrong.
        source: std::io::Error,
    },
    /// The folder is not a site.
    #[error("no site.yaml in `{0}`: run guidebook in a site folder, or name one with --root DIR")]
    NotASite(PathBuf),
    /// The output folder is the site itself or something that is not a build output.
    #[error("refusing to replace `{0}`: it is not a build output (it holds the site or is not a folder); choose another --out")]
    UnsafeOutput(PathBuf),
    /// A search index is missing or damaged.
    #[error("{path}: {message}")]
    Search {
        /// The index file.
        path: PathBuf,
        /// What is wrong and what to do.
        message: String,
    },
    /// The command was asked something it cannot do.
    #[error("{0}")]
    Usage(String),
    /// The build was stopped by a signal; what it had started writing was removed.
    #[error("interrupted")]
    Interrupted,
    /// A bug.
    #[error("internal error: {0}")]
    Internal(String),
}

impl Error {
    pub(crate) fn io(path: &Path, source: std::io::Error) -> Self {
        Error::Io { path: path.to_path_buf(), source }
    }
}

/// What `build` is asked to do.
#[derive(Debug, Clone)]
pub struct BuildOptions {
    /// The site folder.
    pub root: PathBuf,
    /// The output folder.
    pub out: PathBuf,
    /// Overrides `base_url` of `site.yaml`.
    pub base_url: Option<String>,
    /// Links end in `index.html`, for reading from `file://`.
    pub offline: bool,
    /// Build pages marked `draft: true`.
    pub drafts: bool,
    /// Seconds since 1970 to show as the build date (from `SOURCE_DATE_EPOCH`).
    pub source_date_epoch: Option<i64>,
    /// What to remove if the build is stopped by a signal (see [`output::Interrupt`]).
    pub interrupt: output::Interrupt,
}

impl BuildOptions {
    /// Options for the site at `root`, written to `root/public`.
    pub fn new(root: impl Into<PathBuf>) -> Self {
        let root = root.into();
        BuildOptions {
            out: root.join("public"),
            root,
            base_url: None,
            offline: false,
            drafts: false,
            source_date_epoch: None,
            interrupt: output::Interrupt::default(),
        }
    }
}

/// The result of a build or check that ran to the end.
#[derive(Debug)]
pub struct Outcome {
    /// Every problem found.
    pub diagnostics: Diagnostics,
    /// Pages built (page files, every language).
    pub pages: usize,
    /// Files generated (HTML and other outputs, not counting static files).
    pub files: usize,
    /// Whether the output was written.
    pub written: bool,
    /// Translation status of every page in every language (empty when the site could
    /// not be resolved).
    pub translations: Vec<site::TranslationEntry>,
}

/// A site rendered: its pages and other files, and the static files to copy; or, for a
/// build, the files already written into a new output waiting to replace the old one.
struct Compiled {
    site: site::Site,
    files: Vec<render::OutputFile>,
    statics: std::collections::BTreeMap<String, render::theme::StaticSource>,
    /// How many files were generated.
    count: usize,
    staging: Option<output::Staging>,
}

/// What [`compile_pages`] does besides rendering.
#[derive(Clone, Copy)]
struct Plan<'a> {
    /// Make the search indexes too, beside the pages (so that no core waits for the
    /// slowest language).
    indexes: bool,
    /// Write every file into a new output for this folder as soon as it is made, rather
    /// than keeping the site in memory.
    stage: Option<&'a Path>,
    /// Keep the bytes of files not staged (`check` only counts them).
    keep: bool,
}

impl Compiled {
    fn outcome(&self, diagnostics: Diagnostics, written: bool) -> Outcome {
        Outcome {
            pages: self.site.pages.len(),
            files: self.count,
            written,
            translations: self.site.translation_report(),
            diagnostics,
        }
    }
}

fn unwritten(diagnostics: Diagnostics) -> Outcome {
    Outcome { pages: 0, files: 0, written: false, translations: Vec::new(), diagnostics }
}

/// Load, parse, resolve, then render and index at the same time.
fn compile(opts: &BuildOptions, diags: &mut Diagnostics, stage: Option<&Path>) -> Result<Option<Compiled>, Error> {
    compile_pages(opts, diags, &BodyTools::default(), None, Plan { indexes: true, stage, keep: false })
}

/// Load, parse, resolve and render, and what `plan` adds. `None` when the site has errors
/// found before rendering.
fn compile_pages(
    opts: &BuildOptions,
    diags: &mut Diagnostics,
    tools: &BodyTools,
    cache: Option<&mut content::ParseCache>,
    plan: Plan<'_>,
) -> Result<Option<Compiled>, Error> {
    let config_path = opts.root.join(config::CONFIG_FILE);
    if !config_path.is_file() {
        return Err(Error::NotASite(opts.root.clone()));
    }
    let text = std::fs::read_to_string(&config_path).map_err(|e| Error::io(&config_path, e))?;
    // Pages cannot be checked against a broken schema: report site.yaml's problems alone.
    let Some(mut config) = config::load(&text, diags) else {
        return Ok(None);
    };
    if diags.has_errors() {
        return Ok(None);
    }
    if let Some(url) = &opts.base_url {
        match url::Url::parse(url) {
            Ok(u) if matches!(u.scheme(), "http" | "https") => {
                let s = u.to_string();
                config.base_url = Some(if s.ends_with('/') { s } else { s + "/" });
            }
            _ => diags.error(
                "",
                diagnostics::Pos::default(),
                "base-url",
                format!("--base-url `{url}` is not an absolute web address such as https://example.org/guidebook/"),
            ),
        }
    }
    let i18n = std::sync::Arc::new(lang::load_i18n(&opts.root, &config.languages, diags));
    let theme = render::theme::load(&opts.root, &config, std::sync::Arc::clone(&i18n), diags);
    let found = content::discover::discover(&opts.root, &config, diags);
    let parsed = content::parse_all(found.pages, &config, tools, &i18n, diags, cache);
    let assets = site::Assets {
        statics: theme.as_ref().map(|t| t.statics.keys().cloned().collect()).unwrap_or_default(),
        content: found.assets.iter().map(|(rel, _)| rel.clone()).collect(),
    };
    let site = site::resolve(config, parsed, &assets, opts.drafts, diags);
    site::warn_unlinked(&site, &assets.content, diags);
    let (Some(theme), false) = (theme, diags.has_errors()) else {
        return Ok(None);
    };
    let render_opts = render::RenderOptions {
        offline: opts.offline,
        build_date: opts.source_date_epoch.and_then(|s| chrono::DateTime::from_timestamp(s, 0)).map(|d| d.date_naive()),
    };
    let dates = lang::DateFormats::new(&site.config.languages, site.dates().chain(render_opts.build_date));
    let input = render::RenderInput { site: &site, theme: &theme, i18n: &i18n, dates: &dates, opts: &render_opts };
    // Files beside the pages are copied to the same place in the output.
    let mut statics = theme.statics.clone();
    for (rel, path) in found.assets {
        statics.insert(rel, render::theme::StaticSource::Disk(path));
    }
    let staging = plan.stage.map(|out| output::Staging::new(out, &statics, &opts.interrupt)).transpose()?;
    // A staged file is written at once and only its path kept.
    let take = |f: render::OutputFile| match &staging {
        Some(s) => s.write(&f).map(|()| render::OutputFile { path: f.path, bytes: Vec::new() }),
        None if plan.keep => Ok(f),
        None => Ok(render::OutputFile { path: f.path, bytes: Vec::new() }),
    };
    let (files, indexes) = rayon::join(
        || render::render_each(&input, diags, take),
        || plan.indexes.then(|| search::build_indexes(&site, opts.offline, None)),
    );
    let mut files = files?;
    if let Some(indexes) = indexes {
        for index in indexes.map_err(Error::Internal)? {
            files.push(take(index)?);
        }
    }
    let count = files.len();
    if !plan.keep {
        files.clear();
    }
    Ok(Some(Compiled { site, files, statics, count, staging }))
}

/// Validates and renders the site, writing nothing.
pub fn check(opts: &BuildOptions) -> Result<Outcome, Error> {
    let mut diagnostics = Diagnostics::new();
    Ok(match compile(opts, &mut diagnostics, None)? {
        Some(c) => c.outcome(diagnostics, false),
        None => unwritten(diagnostics),
    })
}

/// Builds the site into `opts.out`. With any error, nothing is written and the previous
/// output is left untouched.
pub fn build(opts: &BuildOptions) -> Result<Outcome, Error> {
    output::guard_output(&opts.root, &opts.out)?;
    let mut diagnostics = Diagnostics::new();
    // Files are written as they are made, into a new output that replaces the old one
    // only if the whole build succeeds.
    match compile(opts, &mut diagnostics, Some(&opts.out))? {
        Some(mut c) if !diagnostics.has_errors() => {
            if let Some(staging) = c.staging.take() {
                staging.finish()?;
            }
            Ok(c.outcome(diagnostics, true))
        }
        _ => Ok(unwritten(diagnostics)),
    }
}

/// What `serve` keeps from one build to the next, so that a rebuild redoes and rewrites
/// only what a change touched: parsed pages, search indexes, and what is in the output.
#[derive(Default)]
pub struct Session {
    tools: BodyTools,
    parsed: content::ParseCache,
    indexes: search::IndexCache,
    written: output::Written,
}

/// Builds the site into `opts.out` as [`build`] does, reusing what `session` kept from the
/// previous build. After the first build, which writes the output atomically, only changed
/// files are replaced (each atomically), and the pages are written, and `pages_written`
/// called, before the search indexes are made: open pages can reload while they are.
pub fn rebuild(
    opts: &BuildOptions,
    session: &mut Session,
    pages_written: impl FnOnce(&Outcome),
) -> Result<Outcome, Error> {
    output::guard_output(&opts.root, &opts.out)?;
    let mut diagnostics = Diagnostics::new();
    let c = match compile_pages(
        opts,
        &mut diagnostics,
        &session.tools,
        Some(&mut session.parsed),
        Plan { indexes: false, stage: None, keep: true },
    )? {
        Some(c) if !diagnostics.has_errors() => c,
        _ => return Ok(unwritten(diagnostics)),
    };
    let result = write_in_steps(opts, session, c, diagnostics, pages_written);
    if result.is_err() {
        // The output is no longer what the session recorded: write all of it next time.
        session.written = output::Written::default();
    }
    result
}

fn write_in_steps(
    opts: &BuildOptions,
    session: &mut Session,
    mut c: Compiled,
    diagnostics: Diagnostics,
    pages_written: impl FnOnce(&Outcome),
) -> Result<Outcome, Error> {
    let indexes =
        |c: &Compiled, cache| search::build_indexes(&c.site, opts.offline, Some(cache)).map_err(Error::Internal);
    if session.written.is_empty() {
        c.files.extend(indexes(&c, &mut session.indexes)?);
        c.count = c.files.len();
        output::write_site(&opts.out, &c.files, &c.statics, &opts.interrupt)?;
        session.written.record(&c.files, &c.statics);
        let outcome = c.outcome(diagnostics, true);
        pages_written(&outcome);
        return Ok(outcome);
    }
    output::write_changed(&opts.out, &c.files, &c.statics, &mut session.written, None, &opts.interrupt)?;
    let outcome = c.outcome(diagnostics, true);
    pages_written(&outcome);
    let built = indexes(&c, &mut session.indexes)?;
    let keep: Vec<&str> = c.files.iter().map(|f| f.path.as_str()).chain(c.statics.keys().map(String::as_str)).collect();
    output::write_changed(&opts.out, &built, &Default::default(), &mut session.written, Some(&keep), &opts.interrupt)?;
    Ok(outcome)
}

/// What `search` is asked.
#[derive(Debug, Clone)]
pub struct SearchOptions {
    /// The site folder (for its default language).
    pub root: PathBuf,
    /// The built site.
    pub out: PathBuf,
    /// The language to search in (default: the site's default language).
    pub lang: Option<String>,
    /// The query and its filters.
    pub request: guidebook_search::Request,
}

/// Answers a query from the index a build wrote, with the same engine as the browser.
/// A language (matched whatever its case) or kind that the site does not have is a
/// [`Error::Usage`] naming those it has.
pub fn search(opts: &SearchOptions) -> Result<(String, guidebook_search::Response), Error> {
    let text =
        std::fs::read_to_string(opts.root.join(config::CONFIG_FILE)).map_err(|_| Error::NotASite(opts.root.clone()))?;
    let config = config::load(&text, &mut Diagnostics::new()).ok_or_else(|| Error::NotASite(opts.root.clone()))?;
    let names = |items: Vec<String>| config::quote_list(&items);
    let lang = match &opts.lang {
        None => config.default_lang().to_string(),
        Some(l) => match config.lang_any_case(l) {
            Some(lang) => lang.to_string(),
            None => {
                let codes: Vec<String> = config.languages.iter().map(ToString::to_string).collect();
                return Err(Error::Usage(format!("--lang `{l}` is not a language of this site: use {}", names(codes))));
            }
        },
    };
    for (_, kind) in opts.request.filters.iter().filter(|(name, _)| name == "kind") {
        if !config.kinds.contains_key(kind) {
            let kinds: Vec<String> = config.kinds.keys().cloned().collect();
            let h = diagnostics::hint(kind, kinds.iter().map(String::as_str));
            return Err(Error::Usage(format!("--kind `{kind}` is not a kind of this site{h}: use {}", names(kinds))));
        }
    }
    let path = opts.out.join(search::index_path(&lang));
    let bytes = std::fs::read(&path).map_err(|e| Error::Search {
        path: path.clone(),
        message: format!("cannot be read ({e}); run `guidebook build` first, or name the built site with --out"),
    })?;
    let engine = search::open_engine(&bytes).map_err(|e| Error::Search {
        path: path.clone(),
        message: format!("{e}; run `guidebook build` again to rewrite it"),
    })?;
    Ok((lang, engine.search(&opts.request)))
}

/// The prefix that makes a site-relative path relative to the current folder: the site
/// root as the user named it (`docs/`), or nothing for the current folder.
pub fn diagnostics_prefix(root: &Path) -> String {
    let s = root.to_string_lossy().replace('\\', "/");
    let s = s.trim_end_matches('/');
    if s.is_empty() || s == "." {
        String::new()
    } else {
        format!("{}/", s.strip_prefix("./").unwrap_or(s))
    }
}
