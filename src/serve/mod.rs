//! `guidebook serve`: builds the site, serves it on the loopback interface, rebuilds when
//! a file of the site changes, and reloads open pages. When a rebuild fails, the last good
//! site is still served and every open page shows the problems; fixing them reloads.
//!
//! The server answers only for files inside the output, only to requests addressed to
//! the bound address or `localhost` (no DNS rebinding), and sends no CORS headers.
//!
//! It prints nothing: what happens (listening, built, rebuilt, failed) goes to its caller
//! as [`ServeEvent`]s, which `guidebook serve` prints.

mod answers;
mod files;
mod watch;

use crate::diagnostics::Diagnostics;
use crate::error::Error;
use crate::{BuildOptions, Outcome, Session};
use axum::body::{Body, Bytes};
use axum::extract::State;
use axum::http::{header, HeaderMap, Request, StatusCode};
use axum::response::{IntoResponse, Response};
use std::collections::HashMap;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};
use tokio::sync::broadcast;

/// What `serve` is asked to do.
#[derive(Debug, Clone)]
pub struct ServeOptions {
    /// How to build the site (its `out` is what is served).
    pub build: BuildOptions,
    /// Where to listen.
    pub bind: SocketAddr,
    /// Whether a non-loopback address may be used.
    pub allow_remote: bool,
    /// Whether to rebuild when files change.
    pub watch: bool,
}

/// What happens while `serve` runs, told to its caller in the order it happens.
#[derive(Debug, Clone, Copy)]
pub enum ServeEvent<'a> {
    /// The first build is done (or failed) and the server listens at `addr` (which may
    /// be on the network, when allowed: see [`ServeOptions::allow_remote`]), serving `out`.
    Listening {
        /// The address and port it listens on (the port chosen by the system for port 0).
        addr: SocketAddr,
        /// The folder served.
        out: &'a Path,
    },
    /// A build's pages are in place and open pages reload; the search indexes follow
    /// ([`ServeEvent::Indexed`]).
    /// `rebuilt` is false for the first build, true for those after a change.
    Built {
        /// Whether this build followed a change (every build but the first).
        rebuilt: bool,
        /// Its outcome: the page count and the warnings.
        outcome: &'a Outcome,
        /// How long it took, from its start until its pages were written.
        elapsed: Duration,
    },
    /// The print versions that show a rebuild's change are rewritten, after its other
    /// files (they gather every page's text, and take longest to render); open print
    /// pages reload.
    Printed {
        /// How many files (a print version, or parts of one, per language).
        files: usize,
        /// How long it took, from the rebuild's start until they were written.
        elapsed: Duration,
    },
    /// A rebuild's search indexes are in place, and `/api/search` answers from them. (A
    /// rebuild followed by another change before its indexes are done leaves them to
    /// that change's rebuild, and tells nothing.)
    Indexed {
        /// How long it took, from the rebuild's start until the indexes were written.
        elapsed: Duration,
    },
    /// A build found errors in the site and wrote nothing: the last good site, if any,
    /// is still served, and open pages show the problems.
    Failed {
        /// Its outcome: the errors (and warnings).
        outcome: &'a Outcome,
        /// Whether an earlier build's site is there to serve (none when the first build
        /// of an empty output fails: then every address answers that the page does not
        /// exist, with the problems shown over it).
        serving: bool,
    },
    /// A build could not run to the end (a file that cannot be written, say); the last
    /// good site is still served.
    Stopped(&'a Error),
}

/// Where [`serve`] tells what happens: called from the server's threads.
type Report = Arc<dyn Fn(ServeEvent<'_>) + Send + Sync>;

/// What open pages are told.
#[derive(Debug, Clone)]
enum Event {
    /// The site was rebuilt: reload (with URL paths: only the pages at one of them, the
    /// others being as they were).
    Reload(Option<Vec<String>>),
    /// The last rebuild failed: show these problems (JSON lines).
    Errors(String),
}

/// Shared by the request handlers and the rebuilder.
struct Shared {
    out: PathBuf,
    hosts: Vec<String>,
    events: broadcast::Sender<Event>,
    /// The problems of the last build, when it failed.
    problems: Mutex<Option<String>>,
    /// Search engines by language, loaded on first use after each build.
    engines: Mutex<HashMap<String, Arc<crate::search::SiteIndex>>>,
    /// The site's languages as `site.yaml` writes them, the default first.
    languages: Mutex<Vec<String>>,
    /// The site's kinds of page, for `/api/search?kind=`.
    kinds: Mutex<Vec<String>>,
    /// The answers given since the last build.
    answers: Mutex<answers::Answers>,
    /// What the last build leaves to the next one.
    session: Mutex<Session>,
    /// The files changed since the last rebuild began, as the watcher named them.
    pending: Mutex<watch::Pending>,
    /// How many changes to the site were seen: a rebuild's search indexes give way when
    /// this moves on (another rebuild follows).
    changes: AtomicU64,
    /// The count of [`Shared::changes`] that the last rebuild to end started from.
    rebuilt: AtomicU64,
    /// The count that the last rebuild to write its pages started from: the search
    /// indexes of the site it wrote are being made (or are made).
    indexing: AtomicU64,
    /// When this server started (nanoseconds since 1970): open pages that hear from
    /// another server than before reload, for the site may have changed in between.
    started: u128,
    /// Where events go.
    report: Report,
}

type AppState = Arc<Shared>;

/// Runs the server until interrupted, telling `report` what happens. A `bind` address
/// other than this machine's own is refused ([`Error::NotLoopback`]) unless
/// [`ServeOptions::allow_remote`] is set; so are a folder without `site.yaml`
/// ([`Error::NotASite`]), an output folder a build may not replace, and an address
/// that cannot be listened at ([`Error::Bind`]).
pub fn serve(opts: ServeOptions, report: impl Fn(ServeEvent<'_>) + Send + Sync + 'static) -> Result<(), Error> {
    if !opts.bind.ip().is_loopback() && !opts.allow_remote {
        return Err(Error::NotLoopback(opts.bind));
    }
    // What would stop every build stops the server before it starts.
    if !opts.build.root.join(crate::config::CONFIG_FILE).is_file() {
        return Err(Error::NotASite(opts.build.root.clone()));
    }
    crate::output::guard_output(&opts.build.root, &opts.build.out)?;
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .map_err(|e| Error::Internal(e.to_string()))?;
    runtime.block_on(run(opts, Arc::new(report)))
}

async fn run(opts: ServeOptions, report: Report) -> Result<(), Error> {
    let listener =
        tokio::net::TcpListener::bind(opts.bind).await.map_err(|source| Error::Bind { addr: opts.bind, source })?;
    let addr = listener.local_addr().map_err(|e| Error::Internal(e.to_string()))?;
    let (events, _) = broadcast::channel(64);
    let port = addr.port();
    let mut hosts =
        vec![format!("localhost:{port}"), format!("127.0.0.1:{port}"), format!("[::1]:{port}"), addr.to_string()];
    hosts.dedup();
    let state: AppState = Arc::new(Shared {
        out: opts.build.out.clone(),
        hosts,
        events,
        problems: Mutex::new(None),
        engines: Mutex::new(HashMap::new()),
        languages: Mutex::new(Vec::new()),
        kinds: Mutex::new(Vec::new()),
        answers: Mutex::default(),
        session: Mutex::new(Session::default()),
        pending: Mutex::default(),
        changes: AtomicU64::new(0),
        rebuilt: AtomicU64::new(0),
        indexing: AtomicU64::new(0),
        started: std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.as_nanos()),
        report,
    });
    // Watch from the start: a save made during the first build is rebuilt after it.
    if opts.watch {
        watch::spawn(Arc::clone(&state), opts.build.clone())?;
    }
    rebuild(&state, &opts.build, false).await;
    (state.report)(ServeEvent::Listening { addr, out: &opts.build.out });
    let app = axum::Router::new().fallback(handle).with_state(state);
    axum::serve(listener, app).await.map_err(|e| Error::Internal(e.to_string()))
}

/// Builds once and tells open pages and the caller (`rebuilt`: after a change). Pages
/// reload as soon as they are written; the search indexes follow on their own task,
/// which the next change does not wait for.
async fn rebuild(state: &AppState, opts: &BuildOptions, rebuilt: bool) {
    let seen = state.changes.load(Ordering::SeqCst);
    let (shared, build_opts) = (Arc::clone(state), opts.clone());
    let result = tokio::task::spawn_blocking(move || {
        let mut session = lock(&shared.session);
        if let Some(changed) = watch::take(&shared.pending) {
            session.changed(changed);
        }
        // Timed from here: a save during the first build waits for it, and is not slower.
        let started = Instant::now();
        let built = crate::rebuild::rebuild_pages(&build_opts, &mut session, |outcome| {
            pages_written(&shared, &build_opts, outcome, rebuilt, started)
        });
        // The print versions written after the pages: the pages that show them reload again.
        if let Some(r) = built.as_ref().ok().filter(|r| r.outcome.written && !r.later.is_empty()) {
            let _ = shared.events.send(Event::Reload(Some(r.later.iter().map(|path| page_url(path)).collect())));
            (shared.report)(ServeEvent::Printed { files: r.later.len(), elapsed: started.elapsed() });
        }
        built.map(|r| (r.outcome, r.job, started))
    })
    .await
    .unwrap_or_else(|e| Err(Error::Internal(e.to_string())));
    let result = result.map(|(outcome, job, started)| {
        if outcome.written {
            state.indexing.store(seen, Ordering::SeqCst);
        }
        match job {
            Some(job) => {
                let shared = Arc::clone(state);
                // Not awaited: the next change's rebuild starts without it.
                drop(tokio::task::spawn_blocking(move || make_indexes(&shared, job, seen, started)));
            }
            // Written whole, the indexes with the pages: searched anew from now on.
            None if outcome.written => {
                forget_answers(state);
                if rebuilt {
                    (state.report)(ServeEvent::Indexed { elapsed: started.elapsed() });
                }
            }
            // Nothing written: the indexes are those searched until now.
            None => {}
        }
        outcome
    });
    state.rebuilt.store(seen, Ordering::SeqCst);
    let outcome = match result {
        Ok(outcome) => outcome,
        Err(e) => return (state.report)(ServeEvent::Stopped(&e)),
    };
    // A failure that a newer change already supersedes is not told: that change's
    // rebuild follows and tells its own (a file renamed mid-build is missing to this one).
    if !outcome.written && state.changes.load(Ordering::SeqCst) == seen {
        // The overlay names files relative to the site, never by this machine's paths.
        let json = problems_json(&outcome.diagnostics, "");
        *lock(&state.problems) = Some(json.clone());
        let serving = state.out.join("index.html").is_file();
        (state.report)(ServeEvent::Failed { outcome: &outcome, serving });
        let _ = state.events.send(Event::Errors(json));
    }
}

/// Runs the index job of the rebuild that started from change count `seen` until it is
/// done, and tells the caller when the indexes are in place. When a newer change comes,
/// the job gives way and waits for that change's rebuild: if it wrote pages, their
/// indexes are its own job's; if it failed, this job goes on, for the site still served.
fn make_indexes(state: &Shared, job: crate::search::IndexJob, mut seen: u64, started: Instant) {
    loop {
        let result = job.run(&|| state.changes.load(Ordering::SeqCst) != seen);
        forget_answers(state);
        match result {
            Ok(crate::search::Indexed::Done) => {
                return (state.report)(ServeEvent::Indexed { elapsed: started.elapsed() })
            }
            // Nothing to tell: search answers as it did.
            Ok(crate::search::Indexed::Unchanged) => return,
            Ok(crate::search::Indexed::GaveWay) => {}
            Err(e) => return (state.report)(ServeEvent::Stopped(&e)),
        }
        // Until every change seen so far is rebuilt (a rebuild ends when its pages do).
        loop {
            let counts = [&state.indexing, &state.changes, &state.rebuilt].map(|c| c.load(Ordering::SeqCst));
            match after_giving_way(seen, counts) {
                Next::Stop => return,
                Next::Wait => std::thread::sleep(Duration::from_millis(50)),
                Next::Again(now) => {
                    seen = now;
                    break;
                }
            }
        }
    }
}

/// What an index job that gave way does next.
#[derive(Debug, PartialEq)]
enum Next {
    /// A newer rebuild wrote pages: their indexes are its job's.
    Stop,
    /// A change is not rebuilt yet: ask again.
    Wait,
    /// Every change since was rebuilt, and none wrote: go on, for the site still
    /// served, giving way to changes after this count.
    Again(u64),
}

/// What the job of the rebuild that started from change count `seen` does, having given
/// way, given the counts of [`Shared::indexing`], [`Shared::changes`] and
/// [`Shared::rebuilt`] (read in that order).
fn after_giving_way(seen: u64, [indexing, changes, rebuilt]: [u64; 3]) -> Next {
    if indexing > seen {
        Next::Stop
    } else if rebuilt >= changes {
        Next::Again(changes)
    } else {
        Next::Wait
    }
}

/// The search engines and answers of the indexes on disk before: loaded again on demand.
fn forget_answers(state: &Shared) {
    lock(&state.engines).clear();
    lock(&state.answers).clear();
}

/// The pages of a build are in place: clear the overlay, tell the caller, reload.
fn pages_written(state: &Shared, opts: &BuildOptions, outcome: &Outcome, rebuilt: bool, started: Instant) {
    *lock(&state.problems) = None;
    let urls = outcome.rewritten.as_ref().map(|paths| paths.iter().map(|path| page_url(path)).collect());
    let _ = state.events.send(Event::Reload(urls));
    (state.report)(ServeEvent::Built { rebuilt, outcome, elapsed: started.elapsed() });
    if let Some((languages, kinds)) = site_names(opts) {
        *lock(&state.languages) = languages;
        *lock(&state.kinds) = kinds;
    }
}

/// The site's languages (the default first) and kinds, as `site.yaml` names them.
fn site_names(opts: &BuildOptions) -> Option<(Vec<String>, Vec<String>)> {
    let mut diags = Diagnostics::new();
    let text = crate::config::read(&opts.root, &mut diags).ok()??;
    let config = crate::config::load(&text, &mut diags)?;
    Some((config.languages.iter().map(ToString::to_string).collect(), config.kinds.keys().cloned().collect()))
}

fn problems_json(diags: &Diagnostics, prefix: &str) -> String {
    let lines: Vec<String> = diags.sorted().iter().map(|d| d.to_json(prefix)).collect();
    format!("[{}]", lines.join(","))
}

/// The URL path at which `serve` answers with the output file `path` (`en/print/` for
/// `en/print/index.html`).
fn page_url(path: &str) -> String {
    format!("/{}", path.strip_suffix("index.html").unwrap_or(path))
}

/// A poisoned lock only means another request panicked; its data is still usable.
fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}

fn plain(status: StatusCode, text: &str) -> Response {
    (status, [(header::CONTENT_TYPE, "text/plain; charset=utf-8")], text.to_string()).into_response()
}

/// Every request: the Host check, then the route.
async fn handle(State(state): State<AppState>, request: Request<Body>) -> Response {
    let headers = request.headers();
    let uri = request.uri().clone();
    let host = uri
        .authority()
        .map(|a| a.to_string())
        .or_else(|| headers.get(header::HOST).and_then(|h| h.to_str().ok()).map(str::to_string));
    match host {
        Some(h) if state.hosts.iter().any(|allowed| allowed.eq_ignore_ascii_case(&h)) => {}
        _ => {
            return plain(
                StatusCode::BAD_REQUEST,
                "this server only answers requests addressed to it by its own address or localhost",
            )
        }
    }
    let path = uri.path();
    match path {
        "/__guidebook/live.js" => {
            ([(header::CONTENT_TYPE, "text/javascript; charset=utf-8"), (header::CACHE_CONTROL, "no-store")], LIVE_JS)
                .into_response()
        }
        "/__guidebook/live-worker.js" => (
            [(header::CONTENT_TYPE, "text/javascript; charset=utf-8"), (header::CACHE_CONTROL, "no-store")],
            LIVE_WORKER_JS,
        )
            .into_response(),
        "/__guidebook/events" => events(&state, headers),
        "/api/search" => match search_params(uri.query().unwrap_or_default()) {
            Ok(params) => api_search(&state, params),
            Err(message) => plain(StatusCode::BAD_REQUEST, &message),
        },
        _ => files::serve_file(&state.out, path, uri.query()).await,
    }
}

fn events(state: &AppState, headers: &HeaderMap) -> Response {
    if let Some(origin) = headers.get(header::ORIGIN).and_then(|o| o.to_str().ok()) {
        let allowed = state.hosts.iter().any(|h| origin.eq_ignore_ascii_case(&format!("http://{h}")));
        if !allowed {
            return plain(StatusCode::FORBIDDEN, "the reload channel is only for pages of this site");
        }
    }
    let hello = format!("event: hello\ndata: {{\"server\":\"{}\"}}\n\n", state.started);
    let first = match lock(&state.problems).clone() {
        None => format!("{hello}event: ok\ndata: {{}}\n\n"),
        Some(json) => format!("{hello}{}", sse(&Event::Errors(json))),
    };
    let receiver = state.events.subscribe();
    let stream = futures_util::stream::unfold((Some(first), receiver), |(first, mut rx)| async move {
        if let Some(f) = first {
            return Some((Ok::<_, std::convert::Infallible>(f), (None, rx)));
        }
        loop {
            match rx.recv().await {
                Ok(event) => return Some((Ok(sse(&event)), (None, rx))),
                Err(broadcast::error::RecvError::Lagged(_)) => continue,
                Err(broadcast::error::RecvError::Closed) => return None,
            }
        }
    });
    Response::builder()
        .header(header::CONTENT_TYPE, "text/event-stream")
        .header(header::CACHE_CONTROL, "no-store")
        .body(Body::from_stream(stream))
        .unwrap_or_else(|_| plain(StatusCode::INTERNAL_SERVER_ERROR, "cannot open the event stream"))
}

fn sse(event: &Event) -> String {
    match event {
        Event::Reload(None) => "event: reload\ndata: {}\n\n".to_string(),
        Event::Reload(Some(urls)) => format!("event: reload\ndata: {}\n\n", serde_json::json!({ "only": urls })),
        Event::Errors(json) => format!("event: errors\ndata: {json}\n\n"),
    }
}

/// The parameters of `/api/search`.
#[derive(Debug, Default, PartialEq)]
struct SearchParams {
    q: String,
    lang: Option<String>,
    kind: Option<String>,
    limit: Option<usize>,
}

/// Reads the query string of `/api/search`: `q`, `lang`, `kind` and `limit` (1 to
/// [`guidebook_search::MAX_LIMIT`]), each at most once; other parameters are ignored. The
/// error is the message for a 400 answer.
fn search_params(query: &str) -> Result<SearchParams, String> {
    let mut params = SearchParams::default();
    let mut seen: Vec<String> = Vec::new();
    for (name, value) in url::form_urlencoded::parse(query.as_bytes()) {
        if !matches!(name.as_ref(), "q" | "lang" | "kind" | "limit") {
            continue;
        }
        if seen.iter().any(|s| *s == name) {
            return Err(format!("parameter `{name}` is given more than once: give it once"));
        }
        seen.push(name.to_string());
        let value = value.into_owned();
        match name.as_ref() {
            "q" => params.q = value,
            "lang" => params.lang = Some(value),
            "kind" => params.kind = Some(value),
            _ => {
                let max = guidebook_search::MAX_LIMIT;
                match value.parse::<usize>() {
                    Ok(n) if (1..=max).contains(&n) => params.limit = Some(n),
                    _ => return Err(format!("limit must be a whole number from 1 to {max}, not `{value}`")),
                }
            }
        }
    }
    Ok(params)
}

fn api_search(state: &AppState, params: SearchParams) -> Response {
    let languages = lock(&state.languages).clone();
    // Known once a build has written the site: before, there is nothing to search.
    if languages.is_empty() {
        let why = "the site is not built yet: fix the problems `guidebook serve` lists, then search again";
        return plain(StatusCode::SERVICE_UNAVAILABLE, why);
    }
    let lang = match params.lang {
        None => languages.first().cloned().unwrap_or_default(),
        Some(asked) => match languages.iter().find(|l| l.eq_ignore_ascii_case(&asked)) {
            Some(lang) => lang.clone(),
            None => {
                let codes = crate::config::quote_list(&languages);
                return plain(
                    StatusCode::BAD_REQUEST,
                    &format!("lang `{asked}` is not a language of this site: use {codes}"),
                );
            }
        },
    };
    if let Some(kind) = &params.kind {
        let kinds = lock(&state.kinds).clone();
        if !kinds.contains(kind) {
            let h = crate::diagnostics::hint(kind, kinds.iter().map(String::as_str));
            let names = crate::config::quote_list(&kinds);
            return plain(
                StatusCode::BAD_REQUEST,
                &format!("kind `{kind}` is not a kind of this site{h}: use {names}"),
            );
        }
    }
    let limit = params.limit.unwrap_or(10);
    let question = answers::Answers::question(&lang, params.kind.as_deref(), limit, &params.q);
    let generation = {
        let answers = lock(&state.answers);
        if let Some(answer) = answers.get(&question) {
            return search_answer(answer);
        }
        answers.generation()
    };
    let engine = {
        let mut engines = lock(&state.engines);
        match engines.get(&lang) {
            Some(e) => Arc::clone(e),
            None => match crate::search::SiteIndex::open(&state.out, &lang).map_err(|e| e.to_string()) {
                Ok(e) => {
                    let e = Arc::new(e);
                    engines.insert(lang.clone(), Arc::clone(&e));
                    e
                }
                Err(message) => {
                    let text = format!("{}: {message}; rebuild the site", crate::search::index_path(&lang));
                    return plain(StatusCode::NOT_FOUND, &text);
                }
            },
        }
    };
    let filters = params.kind.map(|k| vec![("kind".to_string(), k)]).unwrap_or_default();
    let request = guidebook_search::Request { q: params.q, filters, limit };
    let response = match engine.search(&request) {
        Ok(response) => response,
        Err(e) => return plain(StatusCode::NOT_FOUND, &format!("{e}; rebuild the site")),
    };
    let answer = Bytes::from(serde_json::to_string(&response).unwrap_or_default());
    lock(&state.answers).insert(generation, question, answer.clone());
    search_answer(answer)
}

fn search_answer(json: Bytes) -> Response {
    ([(header::CONTENT_TYPE, "application/json"), (header::CACHE_CONTROL, "no-store")], json).into_response()
}

/// Added to every HTML page served: reloads after a rebuild, shows build problems in an
/// opaque dialog that Escape or its button closes (styled through the CSSOM, which a
/// strict Content-Security-Policy allows, unlike `style` attributes).
const LIVE_JS: &str = include_str!("live.js");

/// The shared worker through which the open pages of the site share one event stream.
const LIVE_WORKER_JS: &str = include_str!("live-worker.js");

#[cfg(test)]
mod tests {
    use super::{after_giving_way, Next};

    /// A job that gave way at change 3: a newer rebuild that wrote takes over; one still
    /// running is waited for; newer ones that all failed leave the job to go on.
    #[test]
    fn an_index_job_goes_on_only_when_every_newer_rebuild_failed() {
        assert_eq!(after_giving_way(3, [4, 4, 4]), Next::Stop);
        assert_eq!(after_giving_way(3, [4, 5, 4]), Next::Stop);
        assert_eq!(after_giving_way(3, [3, 4, 3]), Next::Wait);
        assert_eq!(after_giving_way(3, [3, 5, 4]), Next::Wait);
        assert_eq!(after_giving_way(3, [3, 4, 4]), Next::Again(4));
        assert_eq!(after_giving_way(3, [3, 6, 6]), Next::Again(6));
    }
}
