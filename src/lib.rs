//! guidebook: a static guidebook and knowledge-base generator.
//!
//! The pipeline, one stage one type:
//! load (`config`, `content::discover`) -> parse (`content`) -> resolve (`site`) ->
//! render (`render`) ∥ index (`search`) -> write (`output`). [`build`] runs all of it,
//! writing each file into a new output as it is made; [`check`] renders the files (for
//! the problems templates find) and drops them, building no index and writing nothing;
//! [`rebuild`] keeps them in memory and writes only those that changed.
//! The three differ only by their output sink (`output::Sink`). Content problems never
//! abort a stage: they are collected in [`Diagnostics`] so the editor sees all of them at
//! once; other failures are an [`Error`].
//!
//! The library prints nothing. `serve::serve` (the cargo feature `serve`, on by default)
//! tells its caller what happens through `serve::ServeEvent`s.

// The pipeline's stages and their support: the crate's own, used through the functions
// below (`unreachable_pub` keeps them so).
pub(crate) mod config;
pub(crate) mod content;
mod decode;
pub(crate) mod href;
pub(crate) mod ignore;
pub(crate) mod incremental;
pub(crate) mod lang;
pub(crate) mod output;
mod rebuild;
pub(crate) mod render;
pub(crate) mod search;
pub(crate) mod site;
mod yaml;

// What a caller needs besides the functions below.
pub mod diagnostics;
mod error;
#[doc(hidden)]
pub mod fuzzing;
pub mod report;
pub mod scaffold;
#[cfg(feature = "serve")]
pub mod serve;
pub mod timings;

use content::markdown::BodyTools;
pub use diagnostics::{Diagnostic, Diagnostics, Severity};
pub use error::Error;
pub use guidebook_search::{Request as SearchRequest, Response as SearchResponse};
pub use output::{Interrupt, Stopped};
use output::{OutputFile, Sink, StaticSource};
use rayon::iter::{IntoParallelIterator, ParallelIterator};
pub use rebuild::{rebuild, Session};
pub use site::TranslationEntry;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use timings::{Clock, Stage};

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
    /// Measure each stage's wall and CPU time, for [`Outcome::timings`].
    pub timings: bool,
    /// Told each stage as it starts and each file rendered (see
    /// [`timings::Progress`]), for a progress display; `None`: nothing is reported.
    /// [`build`] and [`check`] report; [`rebuild`] does not.
    pub progress: Option<timings::ProgressFn>,
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
            timings: false,
            progress: None,
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
    /// Files generated (HTML and other outputs, not counting static files; for
    /// [`check`], the files rendered, without the search indexes: none when the site has no
    /// templates of its own).
    pub files: usize,
    /// Files rendered this time, without the search indexes: every generated file for
    /// [`build`] (and for [`check`] of a site with templates of its own); for
    /// [`rebuild`], only those an edit could alter (see [`Session`]), the others being
    /// left as the previous build wrote them.
    pub rendered: usize,
    /// Whether the output was written.
    pub written: bool,
    /// Translation status of every page in every language, for [`build`] and [`check`]
    /// (empty when the site could not be resolved, and for [`rebuild`]: `serve` shows
    /// each page's status on the page, and the report of a large site takes longer to
    /// make than a text edit's rebuild).
    pub translations: Vec<site::TranslationEntry>,
    /// Each stage's time, when [`BuildOptions::timings`] asked for it.
    pub timings: Option<timings::Timings>,
    /// For [`rebuild`], once the output was written whole: the paths in the output of the
    /// files it rewrote, their bytes having changed (so that only the pages among them
    /// need reload). `None`: any page may look different (after a build that wrote the
    /// whole output, or one that replaced a style sheet, a script or an image).
    pub rewritten: Option<Vec<String>>,
}

/// A site loaded, parsed and resolved, with its theme: all that rendering needs.
pub(crate) struct Prepared {
    /// The resolved site.
    pub(crate) site: site::Site,
    /// Its theme.
    pub(crate) theme: render::theme::Theme,
    /// Its interface strings.
    pub(crate) i18n: Arc<lang::I18n>,
    /// The static files to copy: the theme's, and the files beside the pages.
    pub(crate) statics: BTreeMap<String, StaticSource>,
}

/// A site rendered (and, unless its sink keeps the pages, indexed): the files its sink
/// kept, and the static files to copy.
struct Compiled {
    site: site::Site,
    theme: render::theme::Theme,
    i18n: Arc<lang::I18n>,
    dates: lang::DateFormats,
    /// The files the sink kept (all of them for [`Sink::Kept`], none otherwise).
    files: Vec<OutputFile>,
    statics: BTreeMap<String, StaticSource>,
    /// How many files were generated.
    count: usize,
    /// How many files were rendered (without the search indexes).
    rendered: usize,
}

impl Compiled {
    fn outcome(&self, diagnostics: Diagnostics, written: bool, clock: &Clock) -> Outcome {
        let outcome = outcome_of(&self.site, (self.count, self.rendered), diagnostics, written, clock);
        Outcome { translations: self.site.translation_report(), ..outcome }
    }
}

/// The outcome of a build of `site` that generated `count` files and rendered `rendered`
/// of them (see [`Outcome`]), without the translation report.
fn outcome_of(
    site: &site::Site,
    (count, rendered): (usize, usize),
    diagnostics: Diagnostics,
    written: bool,
    clock: &Clock,
) -> Outcome {
    Outcome {
        pages: site.pages.len(),
        files: count,
        rendered,
        written,
        translations: Vec::new(),
        diagnostics,
        timings: clock.timings(),
        rewritten: None,
    }
}

fn unwritten(diagnostics: Diagnostics, clock: &Clock) -> Outcome {
    Outcome {
        pages: 0,
        files: 0,
        rendered: 0,
        written: false,
        translations: Vec::new(),
        diagnostics,
        timings: clock.timings(),
        rewritten: None,
    }
}

/// Load, parse and resolve, and load the theme, each stage timed on `clock`. `None` when
/// the site has errors found before rendering.
pub(crate) fn prepare(
    opts: &BuildOptions,
    diags: &mut Diagnostics,
    tools: &BodyTools,
    mut cache: Option<&mut content::ParseCache>,
    clock: &Clock,
) -> Result<Option<Prepared>, Error> {
    clock.starts(Stage::Load);
    let load = clock.mark();
    let Some(text) = config::read(&opts.root, diags)? else {
        clock.lap(Stage::Load, load);
        return Ok(None);
    };
    // Pages cannot be checked against a broken schema: report site.yaml's problems alone.
    let Some(mut config) = config::load(&text, diags) else {
        clock.lap(Stage::Load, load);
        return Ok(None);
    };
    let reserved = reserved_segments();
    config::check_reserved(&config, &text, &reserved, diags);
    if diags.has_errors() {
        clock.lap(Stage::Load, load);
        return Ok(None);
    }
    if let Some(url) = &opts.base_url {
        override_base_url(&mut config, url, diags);
    }
    let i18n = Arc::new(lang::load_i18n(&opts.root, &config.lang_locales(), diags));
    let theme = render::theme::load(&opts.root, &config, Arc::clone(&i18n), diags);
    let found = discover(opts, &config, diags, cache.as_deref_mut());
    let parse = clock.lap(Stage::Load, load);
    clock.starts(Stage::Parse);
    let parsed = content::parse_all(found.pages, &config, tools, &i18n, diags, cache);
    let resolve = clock.lap(Stage::Parse, parse);
    clock.starts(Stage::Resolve);
    let assets = site::Assets {
        statics: theme.as_ref().map(|t| t.statics.keys().cloned().collect()).unwrap_or_default(),
        content: found.assets.iter().map(|(rel, _)| rel.clone()).collect(),
        reserved,
    };
    let files: Vec<&str> = assets.statics.iter().chain(&assets.content).map(String::as_str).collect();
    if theme.is_some() {
        config::branding::check_files(&config, &text, &files, diags);
    }
    let site = site::resolve(config, parsed, &assets, opts.drafts, diags);
    site::warn_unlinked(&site, &assets.content, diags);
    clock.lap(Stage::Resolve, resolve);
    let (Some(theme), false) = (theme, diags.has_errors()) else {
        return Ok(None);
    };
    // Files beside the pages are copied to the same place in the output.
    let mut statics = theme.statics.clone();
    for (rel, path) in found.assets {
        statics.insert(rel, StaticSource::Disk(path));
    }
    Ok(Some(Prepared { site, theme, i18n, statics }))
}

/// The page files and other files in `content/`, found again, or taken from the `cache`
/// when its last discovery still stands ([`content::ParseCache::discovered_again`]: `serve`
/// after an edit of pages alone, where walking ten thousand files is a tenth of a title
/// change's rebuild); the problems found are added to `diags` either way.
fn discover(
    opts: &BuildOptions,
    config: &config::Config,
    diags: &mut Diagnostics,
    cache: Option<&mut content::ParseCache>,
) -> content::discover::Discovered {
    let Some(cache) = cache else { return content::discover::discover(&opts.root, config, diags) };
    let (found, found_diags) = cache.discovered_again().unwrap_or_else(|| {
        let mut found_diags = Diagnostics::new();
        let found = content::discover::discover(&opts.root, config, &mut found_diags);
        cache.discovered(&found, &found_diags);
        (found, found_diags)
    });
    diags.extend(found_diags);
    found
}

/// First segments below a language folder that no page, section or taxonomy may take:
/// those the page families write (`search`, `print`...: `render::reserved_segments`),
/// and `static` and `api`, kept free for the site's files and `serve`'s answers.
fn reserved_segments() -> Vec<&'static str> {
    let mut reserved = render::reserved_segments();
    reserved.extend(["static", "api"]);
    reserved
}

/// The diagnostic code of a base URL given in [`BuildOptions::base_url`] that is not an
/// absolute web address.
pub const BASE_URL_CODE: &str = "base-url";

/// The diagnostic code of a reference to a page that is a draft, which is built only
/// with [`BuildOptions::drafts`]. Its message ends with the fixes, one of which is
/// [`DRAFTS_FIX`].
pub const DRAFT_TARGET_CODE: &str = "draft-target";

/// The words of a [`DRAFT_TARGET_CODE`] message that name the option including drafts,
/// for a caller to put its own name for that option in their place.
pub const DRAFTS_FIX: &str = "build with drafts included";

/// Puts `url` (from [`BuildOptions::base_url`]) in place of `site.yaml`'s `base_url`, or
/// reports it (code [`BASE_URL_CODE`]) when it is not an absolute `http(s)` address.
fn override_base_url(config: &mut config::Config, url: &str, diags: &mut Diagnostics) {
    match href::base_url(url) {
        Ok(base) => config.base_url = Some(base),
        Err(why) => diags.error(
            "",
            diagnostics::Pos::default(),
            BASE_URL_CODE,
            format!("`{url}` {why}: write it like https://example.org/guidebook/"),
        ),
    }
}

/// Render the prepared site (with `select`, only the files it accepts) into `sink`, and,
/// when the sink takes them beside the pages, make the search indexes at the same time (so
/// that no core waits for the slowest language).
fn emit(
    prepared: Prepared,
    opts: &BuildOptions,
    diags: &mut Diagnostics,
    (sink, select): (&Sink, Option<render::Select<'_>>),
    clock: &Clock,
) -> Result<Compiled, Error> {
    let Prepared { site, theme, i18n, statics } = prepared;
    let dates = date_formats(&site, opts);
    let (files, count, rendered) = render_into(&site, (&theme, &i18n, &dates), opts, diags, (sink, select), clock)?;
    Ok(Compiled { site, theme, i18n, dates, files, statics, count, rendered })
}

/// The build date that `opts` set (from `SOURCE_DATE_EPOCH`), if any.
fn build_date(opts: &BuildOptions) -> Option<chrono::NaiveDate> {
    opts.source_date_epoch.and_then(|s| chrono::DateTime::from_timestamp(s, 0)).map(|d| d.date_naive())
}

/// The formats of every date the pages of `site` (and the build date) show, per language.
fn date_formats(site: &site::Site, opts: &BuildOptions) -> lang::DateFormats {
    lang::DateFormats::new(&site.config.lang_locales(), site.dates().chain(build_date(opts)))
}

/// What [`emit`] does, from a site and a theme it does not own: the files the sink kept,
/// how many files were generated, and how many rendered.
fn render_into(
    site: &site::Site,
    (theme, i18n, dates): (&render::theme::Theme, &lang::I18n, &lang::DateFormats),
    opts: &BuildOptions,
    diags: &mut Diagnostics,
    (sink, select): (&Sink, Option<render::Select<'_>>),
    clock: &Clock,
) -> Result<(Vec<OutputFile>, usize, usize), Error> {
    let render_opts = render::RenderOptions { offline: opts.offline, build_date: build_date(opts) };
    let input = render::RenderInput { site, theme, i18n, dates, opts: &render_opts };
    // Taking a file is timed as write only where it goes to disk (`check` drops it).
    let take = |f| if sink.writes() { clock.time(Stage::Write, || sink.take(f)) } else { sink.take(f) };
    // Each language's index files are taken as soon as they are made, on both cores.
    let index_files = std::sync::atomic::AtomicUsize::new(0);
    let take_all = |made: Vec<OutputFile>| -> Result<Vec<OutputFile>, Error> {
        index_files.fetch_add(made.len(), std::sync::atomic::Ordering::Relaxed);
        let kept: Result<Vec<_>, Error> = made.into_par_iter().map(take).collect();
        Ok(kept?.into_iter().flatten().collect())
    };
    let (files, indexes) = clock.beside(
        || render::render_each(&input, select, diags, clock, take),
        sink.indexes_beside()
            .then_some(|| search::build_indexes_each(site, (opts.offline, None, &|| false), &take_all)),
    );
    let files = files?;
    let rendered = files.len();
    let mut files: Vec<OutputFile> = files.into_iter().flatten().collect();
    if let Some(indexes) = indexes {
        files.extend(indexes?.unwrap_or_default());
    }
    Ok((files, rendered + index_files.into_inner(), rendered))
}

/// Finds every problem [`build`] would report, and writes nothing: it loads, parses and
/// resolves the site and loads its theme. When the site has templates of its own
/// ([`render::theme::Theme::own_templates`]), it also renders every file, keeping none,
/// for a template of the site's can fail on a page's data; the built-in templates render
/// any site that resolves (the fixture sites and the fuzz tests build them), so a site
/// without templates of its own is not rendered. It builds no search index (indexing
/// reports no problem of the site).
pub fn check(opts: &BuildOptions) -> Result<Outcome, Error> {
    let clock = Clock::new(opts.timings).reporting(opts.progress.clone());
    let mut diagnostics = Diagnostics::new();
    let Some(prepared) = prepare(opts, &mut diagnostics, &BodyTools::default(), None, &clock)? else {
        return Ok(unwritten(diagnostics, &clock));
    };
    if prepared.theme.own_templates.is_empty() {
        let outcome = outcome_of(&prepared.site, (0, 0), diagnostics, false, &clock);
        return Ok(Outcome { translations: prepared.site.translation_report(), ..outcome });
    }
    let compiled = emit(prepared, opts, &mut diagnostics, (&Sink::Counting, None), &clock)?;
    Ok(compiled.outcome(diagnostics, false, &clock))
}

/// Builds the site into `opts.out`. With any error, nothing is written and the previous
/// output is left untouched.
pub fn build(opts: &BuildOptions) -> Result<Outcome, Error> {
    let clock = Clock::new(opts.timings).reporting(opts.progress.clone());
    output::guard_output(&opts.root, &opts.out)?;
    let mut diagnostics = Diagnostics::new();
    let Some(prepared) = prepare(opts, &mut diagnostics, &BodyTools::default(), None, &clock)? else {
        return Ok(unwritten(diagnostics, &clock));
    };
    // Files are written as they are made, into a new output that replaces the old one
    // only if the whole build succeeds.
    let staging = clock.alone(Stage::Write, || output::Staging::new(&opts.out, &prepared.statics, &opts.interrupt))?;
    let sink = Sink::Staged(staging);
    let compiled = emit(prepared, opts, &mut diagnostics, (&sink, None), &clock)?;
    if diagnostics.has_errors() {
        return Ok(unwritten(diagnostics, &clock));
    }
    clock.starts(Stage::Write);
    clock.alone(Stage::Write, || sink.finish())?;
    Ok(compiled.outcome(diagnostics, true, &clock))
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
/// A language (matched whatever its case) or kind that the site does not have is an
/// [`Error::UnknownLanguage`] or [`Error::UnknownKind`] naming those it has.
pub fn search(opts: &SearchOptions) -> Result<(String, guidebook_search::Response), Error> {
    let mut diags = Diagnostics::new();
    let text = config::read(&opts.root, &mut diags)?.ok_or(Error::BrokenConfig)?;
    let config = config::load(&text, &mut diags).ok_or(Error::BrokenConfig)?;
    let names = |items: Vec<String>| config::quote_list(&items);
    let lang = match &opts.lang {
        None => config.default_lang().to_string(),
        Some(l) => match config.lang_any_case(l) {
            Some(lang) => lang.to_string(),
            None => {
                let codes: Vec<String> = config.languages.iter().map(ToString::to_string).collect();
                return Err(Error::UnknownLanguage { asked: l.clone(), known: names(codes) });
            }
        },
    };
    for (_, kind) in opts.request.filters.iter().filter(|(name, _)| name == "kind") {
        if !config.kinds.contains_key(kind) {
            let kinds: Vec<String> = config.kinds.keys().cloned().collect();
            let hint = diagnostics::hint(kind, kinds.iter().map(String::as_str));
            return Err(Error::UnknownKind { asked: kind.clone(), hint, known: names(kinds) });
        }
    }
    let index = search::SiteIndex::open(&opts.out, &lang)?;
    Ok((lang, index.search(&opts.request)?))
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

/// The nearest folder above `root` that holds a `site.yaml`, written from `root` as the
/// user wrote it, so that it can be given as the root: `..` above `.`, `.` above
/// `content`, `/srv/site` above `/srv/site/content`. `None` when `root` does not exist or
/// no folder above it has one (for [`Error::NotASite`], to name the site the user is in).
pub fn site_above(root: &Path) -> Option<PathBuf> {
    let levels = root.canonicalize().ok()?.ancestors().count().saturating_sub(1);
    let mut up = root.to_path_buf();
    (0..levels).find_map(|_| {
        up.push("..");
        let site = lexically_normal(&up);
        site.join(config::CONFIG_FILE).is_file().then_some(site)
    })
}

/// `path` with `.` dropped and each `..` taking away the name before it, on the text
/// alone (`content/..` is `.`, `./..` is `..`).
fn lexically_normal(path: &Path) -> PathBuf {
    use std::path::Component;
    let mut parts: Vec<Component<'_>> = Vec::new();
    for c in path.components() {
        match (c, parts.last()) {
            (Component::CurDir, _) => {}
            (Component::ParentDir, Some(Component::Normal(_))) => {
                parts.pop();
            }
            (Component::ParentDir, Some(Component::RootDir | Component::Prefix(_))) => {}
            _ => parts.push(c),
        }
    }
    if parts.is_empty() {
        PathBuf::from(".")
    } else {
        parts.iter().collect()
    }
}
