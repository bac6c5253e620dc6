//! `serve`'s rebuilds ([`rebuild`]): a [`Session`] keeps what one build made, so that the
//! next one redoes and rewrites only what a change touched.

use crate::config::Lang;
use crate::content::markdown::BodyTools;
use crate::incremental::patch::Kept;
use crate::output::{OutputFile, Sink};
use crate::timings::{Clock, Stage};
use crate::{content, incremental, output, render, search};
use crate::{emit, outcome_of, prepare, render_into, unwritten, BuildOptions, Compiled, Diagnostics, Error, Outcome};
use std::collections::hash_map::DefaultHasher;
use std::collections::{BTreeSet, HashSet};
use std::hash::{Hash, Hasher};
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// What `serve` keeps from one build to the next, so that a rebuild redoes and rewrites
/// only what a change touched: parsed pages, search indexes, what is in the output, and
/// what the site looked like to the render stage, with its dependency facts. An edit of a
/// page's text renders again only the files that show that text (the page in every
/// language, its section or home page when it is their `_index`, the print page of each
/// language that shows it); an edit of its title or fields, the lists, taxonomies, homes,
/// feeds, print and data pages, and of the pages' own files those of the pages that
/// refer to it, list it or come next to it; any other change (`site.yaml`, a template, an
/// interface string, a static file, a page added or deleted, a page's terms or facet
/// values) renders everything.
///
/// Told which files changed ([`Session::changed`]), a rebuild after an edit of page texts
/// alone does not even load, parse and resolve the site again: it parses the files named
/// and patches the site it kept (see `incremental::patch`).
#[derive(Default)]
pub struct Session {
    pub(crate) tools: BodyTools,
    pub(crate) parsed: content::ParseCache,
    /// The search indexes, which each rebuild's [`search::IndexJob`] updates after its
    /// pages, apart from the rest of the session.
    pub(crate) indexes: Arc<std::sync::Mutex<search::Indexes>>,
    /// The output's other files, as written.
    pub(crate) written: output::Written,
    /// What the output was rendered from; `None` until a rebuild has written it.
    pub(crate) rendered_from: Option<incremental::Snapshot>,
    /// The site the output was rendered from, when the last rebuild wrote it.
    kept: Option<Kept>,
    /// The files changed since the last rebuild, as [`Session::changed`] was told them;
    /// `None`: not told (every file is looked at).
    changed: Option<BTreeSet<PathBuf>>,
}

impl Session {
    /// Tells the session that these files changed since its last rebuild (paths absolute,
    /// or relative to the site root), as a watcher reports them, and that no other did.
    /// A rebuild of page texts alone then parses those files and patches the site it
    /// kept, instead of loading, parsing and resolving the site again; any other rebuild
    /// reads the files named (or below a folder named) and takes the others as they were,
    /// without asking the file system for their times of change. Without it, a rebuild
    /// looks at every file.
    pub fn changed(&mut self, paths: impl IntoIterator<Item = PathBuf>) {
        self.changed.get_or_insert_with(BTreeSet::new).extend(paths);
    }
}

/// A fingerprint of what a build's output depends on in `opts`.
fn options_print(opts: &BuildOptions) -> u64 {
    let mut h = DefaultHasher::new();
    (&opts.root, &opts.out, &opts.base_url, opts.offline, opts.drafts, opts.source_date_epoch).hash(&mut h);
    h.finish()
}

/// Builds the site into `opts.out` as [`crate::build`] does, reusing what `session` kept
/// from the previous build. After the first build, which writes the output atomically,
/// only the files an edit can alter are rendered ([`Outcome::rendered`]) and only changed
/// files are replaced (each atomically); the output is then the same as
/// [`crate::build`] would write. The pages are written, and `pages_written` called, before
/// the search indexes are made: open pages can reload while they are.
pub fn rebuild(
    opts: &BuildOptions,
    session: &mut Session,
    pages_written: impl FnOnce(&Outcome),
) -> Result<Outcome, Error> {
    let Rebuilt { outcome, job, .. } = rebuild_pages(opts, session, pages_written)?;
    if let Some(job) = job {
        job.run(&|| false)?;
    }
    Ok(outcome)
}

/// What [`rebuild_pages`] did.
pub(crate) struct Rebuilt {
    /// Its outcome (the files rendered after `pages_written` was called included).
    pub(crate) outcome: Outcome,
    /// The index job that follows its pages.
    pub(crate) job: Option<search::IndexJob>,
    /// The files rewritten after `pages_written` was called, by path in the output: the
    /// print versions (or parts) that show a change, which gather many pages' texts and
    /// take longest to render; open pages reload before they are made.
    pub(crate) later: Vec<String>,
}

/// [`rebuild`] up to the pages: the search indexes are left to the job returned, which
/// `serve` runs on while the next change's pages are made. A rebuild that writes the whole
/// output (the session's first, or one after a failed write) writes the indexes too,
/// and returns no job. A rebuild that renders only what a change can alter renders and
/// writes the print versions after calling `pages_written` (see [`Rebuilt::later`]).
pub(crate) fn rebuild_pages(
    opts: &BuildOptions,
    session: &mut Session,
    pages_written: impl FnOnce(&Outcome),
) -> Result<Rebuilt, Error> {
    output::guard_output(&opts.root, &opts.out)?;
    // Always on: `serve` tells each rebuild's stages (a few reads of the clocks).
    let clock = Clock::new(true);
    // What the last rebuild kept stands for the output only if it wrote it, with these
    // options; only a rebuild that writes keeps it again.
    let kept = session.kept.take().filter(|k| k.options == options_print(opts));
    let changed = session.changed.take();
    // The watcher names files by their canonical paths.
    let root = opts.root.canonicalize().unwrap_or_else(|_| opts.root.clone());
    if let (Some(kept), Some(changed)) = (kept, changed.as_ref()) {
        let kept = match patch_texts(opts, session, (kept, &root), changed, &clock)? {
            Patched::Rendered(r) => return write_in_steps(opts, session, (r, &clock), pages_written),
            Patched::No(kept) => kept,
        };
        // A whole rebuild follows: the site it resolves replaces this one.
        drop(kept);
    }
    // The watcher named every file changed since the last parse: the others are not
    // looked at again.
    if let Some(changed) = changed {
        let named = changed.iter().map(|p| incremental::patch::site_relative(p, &opts.root, &root)).collect();
        if let Some(named) = named {
            session.parsed.only_changed(named);
        }
    }
    full(opts, session, &clock, pages_written)
}

/// What [`patch_texts`] did.
enum Patched {
    /// The texts' files, rendered from the site patched.
    Rendered(Rendered),
    /// Nothing written: the change is not one of texts alone, or a file rendered with a
    /// problem. The site kept (to be dropped: it may be patched in part).
    No(Kept),
}

/// Renders the files that show the texts `changed` holds, from the site `kept`
/// patched with them, when the change is one of page texts alone (see
/// [`incremental::patch`]).
fn patch_texts(
    opts: &BuildOptions,
    session: &mut Session,
    (mut kept, root): (Kept, &Path),
    changed: &BTreeSet<PathBuf>,
    clock: &Clock,
) -> Result<Patched, Error> {
    let Some(snapshot) = session.rendered_from.as_mut().filter(|_| !session.written.is_empty()) else {
        return Ok(Patched::No(kept));
    };
    let changes = clock.alone(Stage::Parse, || {
        incremental::patch::reparse(&kept, &mut session.parsed, &session.tools, (&opts.root, root), changed)
    });
    let Some(changes) = changes else { return Ok(Patched::No(kept)) };
    let Some(texts) = clock.alone(Stage::Resolve, || incremental::patch::apply(&mut kept, snapshot, changes)) else {
        return Ok(Patched::No(kept));
    };
    let plan = incremental::Plan::Texts(texts);
    clock.starts(Stage::Render);
    let (files, rendered, problems) = render_kept(&kept, opts, (&plan, false), clock)?;
    // A file that now renders with a problem is left to a whole rebuild, which places its
    // message among the others. The snapshot holds the new texts, which the output does
    // not: that rebuild renders everything.
    if !problems.is_empty() {
        session.rendered_from = None;
        return Ok(Patched::No(kept));
    }
    let (outputs, diagnostics) = (snapshot.outputs.clone(), kept.diagnostics.clone());
    Ok(Patched::Rendered(Rendered { files, rendered, outputs, diagnostics, kept, later: Some(plan) }))
}

/// Renders, from the site `kept`, the files of `plan` that gather many pages' texts (the
/// print versions) when `gathering`, the others otherwise: the files, how many, and the
/// problems met.
fn render_kept(
    kept: &Kept,
    opts: &BuildOptions,
    (plan, gathering): (&incremental::Plan, bool),
    clock: &Clock,
) -> Result<(Vec<OutputFile>, usize, Diagnostics), Error> {
    let accept = |reads: &render::Reads, faces: &dyn Fn() -> render::Faces, lang: Option<&Lang>| {
        reads.gathers() == gathering && plan.renders(reads, faces, lang)
    };
    let mut problems = Diagnostics::new();
    let site = &kept.site;
    let select = (&Sink::Kept, Some(&accept as render::Select<'_>));
    let (files, _, rendered) =
        render_into(site, (&kept.theme, &kept.i18n, &kept.dates), opts, &mut problems, select, clock)?;
    Ok((files, rendered, problems))
}

/// Loads, parses and resolves the whole site, and renders the files the change can alter.
fn full(
    opts: &BuildOptions,
    session: &mut Session,
    clock: &Clock,
    pages_written: impl FnOnce(&Outcome),
) -> Result<Rebuilt, Error> {
    let mut diagnostics = Diagnostics::new();
    let Some(prepared) = prepare(opts, &mut diagnostics, &session.tools, Some(&mut session.parsed), clock)? else {
        return Ok(Rebuilt { outcome: unwritten(diagnostics, clock), job: None, later: Vec::new() });
    };
    // Deciding what changed is timed as resolve's.
    let (mut now, plan) = clock.alone(Stage::Resolve, || {
        let now = incremental::Snapshot::of(&prepared, opts);
        let before = session.rendered_from.as_ref().filter(|_| !session.written.is_empty());
        let plan = now.plan(&prepared.site, before);
        (now, plan)
    });
    let before = session.rendered_from.as_ref().filter(|_| !session.written.is_empty());
    // Everything is rendered at once; otherwise the print versions come last.
    let later = (plan != incremental::Plan::Everything).then_some(plan);
    let accept = |reads: &render::Reads, faces: &dyn Fn() -> render::Faces, lang: Option<&Lang>| {
        later.as_ref().is_some_and(|plan| !reads.gathers() && plan.renders(reads, faces, lang))
    };
    let select: Option<render::Select<'_>> = later.is_some().then_some(&accept);
    let c = emit(prepared, opts, &mut diagnostics, (&Sink::Kept, select), clock)?;
    if diagnostics.has_errors() {
        return Ok(Rebuilt { outcome: unwritten(diagnostics, clock), job: None, later: Vec::new() });
    }
    // A plan other than everything keeps the shape: the same files as before.
    now.outputs = match (&later, before) {
        (None, _) | (_, None) => c.files.iter().map(|f| f.path.clone()).collect(),
        (Some(_), Some(before)) => before.outputs.clone(),
    };
    let Compiled { site, theme, i18n, dates, files, statics, rendered, .. } = c;
    let options = options_print(opts);
    let kept = Kept { site: Arc::new(site), theme, i18n, dates, statics, diagnostics: diagnostics.clone(), options };
    let outputs = now.outputs.clone();
    let rendered = Rendered { kept, files, rendered, outputs, diagnostics, later };
    let result = write_in_steps(opts, session, (rendered, clock), pages_written);
    session.rendered_from = result.is_ok().then_some(now);
    result
}

/// The files a rebuild rendered, to be written.
struct Rendered {
    /// What they were rendered from.
    kept: Kept,
    /// The files rendered, which may be some of `outputs`.
    files: Vec<OutputFile>,
    /// How many (without the search indexes).
    rendered: usize,
    /// The path of every file rendered for the site.
    outputs: Vec<String>,
    /// The rebuild's problems.
    diagnostics: Diagnostics,
    /// What the rebuild renders once these files are written (the files of the plan that
    /// gather many pages' texts), or `None`: these files are all it renders.
    later: Option<incremental::Plan>,
}

/// Writes the files rendered over the previous output, and removes the files no longer
/// made. The search indexes are the job returned, except when the whole output is
/// written: then they are written with it. The session keeps what the files were
/// rendered from, unless writing fails: the output is then no longer what the session
/// recorded, and the next rebuild writes all of it.
fn write_in_steps(
    opts: &BuildOptions,
    session: &mut Session,
    (r, clock): (Rendered, &Clock),
    pages_written: impl FnOnce(&Outcome),
) -> Result<Rebuilt, Error> {
    let mut r = r;
    let later = r.later.take();
    match write_rendered(opts, session, (r, clock), pages_written) {
        Ok((outcome, job, kept)) => {
            session.kept = Some(kept);
            let mut rebuilt = Rebuilt { outcome, job, later: Vec::new() };
            if let Some(plan) = later {
                write_later(opts, session, (&plan, clock), &mut rebuilt)?;
            }
            Ok(rebuilt)
        }
        Err(e) => {
            session.written = output::Written::default();
            Err(e)
        }
    }
}

/// Renders and writes the files of `plan` that gather many pages' texts (the print
/// versions), which the pages written before left out, and adds them to `rebuilt`. A
/// problem they render with is added to its outcome (nothing counts as written), and the
/// next rebuild writes the whole output again.
fn write_later(
    opts: &BuildOptions,
    session: &mut Session,
    (plan, clock): (&incremental::Plan, &Clock),
    rebuilt: &mut Rebuilt,
) -> Result<(), Error> {
    let Some(kept) = &session.kept else { return Ok(()) };
    let (files, rendered, problems) = render_kept(kept, opts, (plan, true), clock)?;
    let statics = std::collections::BTreeMap::new();
    let written = clock.alone(Stage::Write, || {
        output::write_changed(&opts.out, &files, &statics, &mut session.written, None, &opts.interrupt)
    });
    if written.is_err() || !problems.is_empty() {
        (session.kept, session.written) = (None, output::Written::default());
    }
    if !problems.is_empty() {
        rebuilt.outcome.diagnostics.extend(problems);
        rebuilt.outcome.written = false;
    }
    rebuilt.outcome.rendered += rendered;
    rebuilt.outcome.timings = clock.timings();
    rebuilt.later = written?.into_iter().map(|(path, _)| path).collect();
    if let Some(paths) = &mut rebuilt.outcome.rewritten {
        paths.extend(rebuilt.later.iter().cloned());
    }
    Ok(())
}

/// The files rewritten (each with whether one was there before), as
/// [`Outcome::rewritten`] names them: `None` when a file that pages load was replaced (a
/// style sheet, a script, an image, a font), since any page may then look different, or
/// when so many files changed that naming them would not spare a reload.
fn pages_to_reload(rewritten: Vec<(String, bool)>) -> Option<Vec<String>> {
    /// More than this many files rewritten: every open page reloads.
    const NAMED_AT_MOST: usize = 1000;
    /// What pages load with them: style sheets, scripts, images and fonts (not the data
    /// files, feeds or documents they link to).
    const LOADED: [&str; 13] =
        [".css", ".js", ".png", ".jpg", ".jpeg", ".gif", ".svg", ".webp", ".avif", ".ico", ".woff", ".woff2", ".ttf"];
    let loaded = |path: &str| {
        let path = path.to_ascii_lowercase();
        LOADED.iter().any(|ext| path.ends_with(ext))
    };
    let replaced = rewritten.iter().any(|(path, before)| *before && loaded(path));
    (!replaced && rewritten.len() <= NAMED_AT_MOST).then(|| rewritten.into_iter().map(|(path, _)| path).collect())
}

/// [`write_in_steps`], which then keeps what the files were rendered from (returned).
fn write_rendered(
    opts: &BuildOptions,
    session: &mut Session,
    (r, clock): (Rendered, &Clock),
    pages_written: impl FnOnce(&Outcome),
) -> Result<(Outcome, Option<search::IndexJob>, Kept), Error> {
    let Rendered { kept, mut files, rendered, outputs, diagnostics, .. } = r;
    let mut statics = kept.statics.clone();
    let count = outputs.len();
    if session.written.is_empty() {
        // A job still writing into the output is waited for (it gives way at once).
        let mut indexes = search::job::lock(&session.indexes);
        let built = search::build_indexes(&kept.site, opts.offline, Some(&mut indexes.cache));
        // Counted as the files rendered are, without the indexes (as every rebuild counts).
        files.extend(built?);
        clock.alone(Stage::Write, || output::write_site(&opts.out, &files, &statics, &opts.interrupt))?;
        session.written.record(&files, &statics);
        indexes.written = session.written.split_off(search::is_index_file);
        let outcome = outcome_of(&kept.site, (count, rendered), diagnostics, true, clock);
        pages_written(&outcome);
        return Ok((outcome, None, kept));
    }
    // A static file that a generated file replaces is not copied, even when the
    // generated file was not rendered again.
    let generated: HashSet<&str> = outputs.iter().map(String::as_str).collect();
    statics.retain(|rel, _| !generated.contains(rel.as_str()));
    let keep: Vec<&str> = generated.iter().copied().chain(statics.keys().map(String::as_str)).collect();
    let rewritten = clock.alone(Stage::Write, || {
        output::write_changed(&opts.out, &files, &statics, &mut session.written, Some(&keep), &opts.interrupt)
    })?;
    let mut outcome = outcome_of(&kept.site, (count, rendered), diagnostics, true, clock);
    outcome.rewritten = pages_to_reload(rewritten);
    pages_written(&outcome);
    let job = search::IndexJob {
        site: Arc::clone(&kept.site),
        out: opts.out.clone(),
        offline: opts.offline,
        interrupt: opts.interrupt.clone(),
        indexes: Arc::clone(&session.indexes),
    };
    Ok((outcome, Some(job), kept))
}
