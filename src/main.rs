//! The `guidebook` command: parses arguments, calls the library, prints diagnostics and
//! maps the outcome to an exit status (0 success, 1 content errors, 2 usage or I/O).
//!
//! Every line goes through [`out`] or [`err`]: when the reader of stdout or stderr goes
//! away (`guidebook search x | head -1`), the command stops printing and ends quietly with
//! the exit status it would have had otherwise.

mod cli_progress;
mod cli_serve;

use clap::{Parser, Subcommand, ValueEnum};
use guidebook::Interrupt;
#[cfg(unix)]
use guidebook::Stopped;
use guidebook::{BuildOptions, Diagnostic, Error, Outcome};
use std::borrow::Cow;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;

/// See `mimalloc` in Cargo.toml: the program's allocator.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// Builds multilingual guidebook and knowledge-base sites from typed markdown.
#[derive(Parser)]
#[command(name = "guidebook", version, about, propagate_version = true)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Build the site into a folder of static files.
    Build {
        /// The site folder (where site.yaml is).
        #[arg(long, default_value = ".", value_name = "DIR")]
        root: PathBuf,
        /// Where to write the site; replaced only when the whole build succeeds [default: ROOT/public].
        #[arg(long, value_name = "DIR")]
        out: Option<PathBuf>,
        /// The absolute address the site will be published at (overrides site.yaml).
        #[arg(long, value_name = "URL")]
        base_url: Option<String>,
        /// Make links end in index.html, so the site can be opened from a shared drive (file://).
        #[arg(long)]
        offline: bool,
        /// Also build pages marked `draft: true`.
        #[arg(long)]
        drafts: bool,
        /// Print each stage's wall and CPU time (load, parse, resolve, render, index, write).
        #[arg(long)]
        timings: bool,
    },
    /// Check everything a build checks, and write nothing.
    Check {
        /// The site folder (where site.yaml is).
        #[arg(long, default_value = ".", value_name = "DIR")]
        root: PathBuf,
        /// How to print problems: one line each, or one JSON object per line.
        #[arg(long, value_enum, default_value_t = Format::Human)]
        format: Format,
        /// Also check pages marked `draft: true`.
        #[arg(long)]
        drafts: bool,
        /// Also print, per language, which pages are translated, stale or missing.
        #[arg(long)]
        translations: bool,
        /// Print each stage's wall and CPU time (load, parse, resolve, render; check builds no index and writes nothing).
        #[arg(long)]
        timings: bool,
    },
    /// Build the site, serve it on this machine, rebuild on every change and reload open pages.
    Serve {
        /// The site folder (where site.yaml is).
        #[arg(long, default_value = ".", value_name = "DIR")]
        root: PathBuf,
        /// Where to build the site [default: ROOT/public].
        #[arg(long, value_name = "DIR")]
        out: Option<PathBuf>,
        /// The address and port to listen on.
        #[arg(long, default_value = "127.0.0.1:1111", value_name = "ADDR:PORT")]
        bind: std::net::SocketAddr,
        /// Allow an address other than this machine's own (the site becomes readable on the network).
        #[arg(long)]
        allow_remote: bool,
        /// Build and serve once, without watching for changes.
        #[arg(long)]
        no_watch: bool,
        /// Also build pages marked `draft: true`.
        #[arg(long)]
        drafts: bool,
    },
    /// Start a page of a kind, with every field it needs and what to write in them.
    New {
        /// The kind of page (as declared under `kinds:` in site.yaml).
        kind: String,
        /// Its name: lowercase letters, digits and hyphens (the page's address).
        slug: String,
        /// The language to write it in, or `all` [default: the site's default language].
        #[arg(long, value_name = "LANG")]
        lang: Option<String>,
        /// The site folder (where site.yaml is).
        #[arg(long, default_value = ".", value_name = "DIR")]
        root: PathBuf,
    },
    /// Create a new site that builds and serves at once.
    Init {
        /// The folder to create it in (new or empty).
        dir: PathBuf,
    },
    /// Search the built site, with the same index and engine as its search box.
    Search {
        /// What to look for: words, a "quoted phrase"; the last word may be unfinished.
        #[arg(allow_hyphen_values = true)]
        query: String,
        /// The language to search in [default: the site's default language].
        #[arg(long, value_name = "LANG")]
        lang: Option<String>,
        /// Only pages of this kind (e.g. pilot_sheet).
        #[arg(long, value_name = "KIND")]
        kind: Option<String>,
        /// How many results to show (1 to 100).
        #[arg(long, default_value_t = 10, value_parser = clap::value_parser!(u64).range(1..=guidebook_search::MAX_LIMIT as u64))]
        limit: u64,
        /// Print the answer as JSON, as `serve`'s /api/search does.
        #[arg(long)]
        json: bool,
        /// The site folder (where site.yaml is) [default: `.`, else the folder that holds
        /// OUT, as `guidebook build --out` leaves it].
        #[arg(long, value_name = "DIR")]
        root: Option<PathBuf>,
        /// The built site [default: ROOT/public].
        #[arg(long, value_name = "DIR")]
        out: Option<PathBuf>,
    },
}

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
enum Format {
    Human,
    Json,
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    // A bug must never show a user a Rust backtrace: say what happened, exit with 2.
    std::panic::set_hook(Box::new(|info| {
        let _ = err(format_args!("error: internal error: {info}"))
            .and_then(|()| err("this is a bug in guidebook; please report it with the file that caused it"));
    }));
    std::panic::catch_unwind(|| run(cli)).unwrap_or(ExitCode::from(2))
}

fn run(cli: Cli) -> ExitCode {
    let epoch = std::env::var("SOURCE_DATE_EPOCH").ok().and_then(|s| s.trim().parse::<i64>().ok());
    match cli.command {
        Command::Build { root, out, base_url, offline, drafts, timings } => {
            let out = out.unwrap_or_else(|| default_out(&root));
            let Some(interrupt) = interrupt() else { return ExitCode::from(2) };
            let mut opts = BuildOptions::new(root);
            (opts.out, opts.base_url, opts.offline, opts.drafts) = (out, base_url, offline, drafts);
            (opts.source_date_epoch, opts.interrupt, opts.timings) = (epoch, interrupt, timings);
            run_build(opts)
        }
        Command::Check { root, format, drafts, translations, timings } => {
            let mut opts = BuildOptions::new(root);
            opts.drafts = drafts;
            opts.source_date_epoch = epoch;
            opts.timings = timings;
            run_check(opts, format, translations)
        }
        Command::Serve { root, out, bind, allow_remote, no_watch, drafts } => {
            let out = out.unwrap_or_else(|| default_out(&root));
            let Some(interrupt) = interrupt() else { return ExitCode::from(2) };
            let mut build = BuildOptions::new(root);
            (build.out, build.drafts, build.source_date_epoch, build.interrupt) = (out, drafts, epoch, interrupt);
            cli_serve::run_serve(guidebook::serve::ServeOptions { build, bind, allow_remote, watch: !no_watch })
        }
        Command::New { kind, slug, lang, root } => run_new(&root, &kind, &slug, lang.as_deref()),
        Command::Init { dir } => match guidebook::scaffold::init(&dir) {
            Ok(files) => {
                let printed = out(format_args!("created a site in {} ({} files)", dir.display(), files.len()))
                    .and_then(|()| out(format_args!("next: cd {} && guidebook serve", dir.display())));
                quietly(ExitCode::SUCCESS, printed)
            }
            Err(e) => failed(&e),
        },
        Command::Search { query, lang, kind, limit, json, root, out } => {
            if let (None, Some(message)) = (&root, out.as_deref().and_then(out_without_site)) {
                return quietly(ExitCode::from(2), err(format_args!("error: {message}")));
            }
            let root = root.unwrap_or_else(|| search_root(out.as_deref()));
            let out = out.unwrap_or_else(|| default_out(&root));
            let filters = kind.map(|k| vec![("kind".to_string(), k)]).unwrap_or_default();
            // `limit` is at most MAX_LIMIT: clap checked it.
            let request = guidebook_search::Request { q: query, filters, limit: limit as usize };
            run_search(guidebook::SearchOptions { root, out, lang, request }, json)
        }
    }
}

/// What stops a build on a signal (see [`on_termination`]); `None`, said, if the signal
/// handler could not be set up.
fn interrupt() -> Option<Interrupt> {
    let interrupt = Interrupt::default();
    match on_termination(interrupt.clone()) {
        Ok(()) => Some(interrupt),
        Err(e) => {
            let _ = err(format_args!("error: {e}"));
            None
        }
    }
}

fn run_build(mut opts: BuildOptions) -> ExitCode {
    let started = Instant::now();
    let result = with_progress(&mut opts, "building", guidebook::build);
    finish(
        result,
        &opts.root,
        Format::Human,
        |_| Ok(()),
        |o| format!("built {} pages into {} in {:.2} s", o.pages, opts.out.display(), started.elapsed().as_secs_f64()),
    )
}

fn run_check(mut opts: BuildOptions, format: Format, translations: bool) -> ExitCode {
    let report = |outcome: &Outcome| match (translations, format) {
        (false, _) => Ok(()),
        (true, Format::Human) => write_out(&guidebook::report::translations_text(&outcome.translations)),
        (true, Format::Json) => guidebook::report::translations_json(&outcome.translations).iter().try_for_each(out),
    };
    let result = with_progress(&mut opts, "checking", guidebook::check);
    finish(result, &opts.root, format, report, |o| format!("checked {} pages", o.pages))
}

/// Runs `work` with a progress display on stderr when it is a terminal (see
/// [`cli_progress`]), cleared before returning: before anything else is printed.
fn with_progress<T>(opts: &mut BuildOptions, doing: &'static str, work: impl FnOnce(&BuildOptions) -> T) -> T {
    let display = cli_progress::Display::start(doing);
    opts.progress = display.as_ref().map(cli_progress::Display::reporter);
    let result = work(opts);
    drop(display);
    opts.progress = None;
    result
}

fn run_new(root: &Path, kind: &str, slug: &str, lang: Option<&str>) -> ExitCode {
    match guidebook::scaffold::new_page(root, kind, slug, lang) {
        Ok(created) => {
            let prefix = guidebook::diagnostics_prefix(root);
            let printed = created
                .iter()
                .try_for_each(|c| out(format_args!("created {prefix}{}: its address will be /{}", c.file, c.url)))
                .and_then(|()| out("fill in the fields marked `required`, then run `guidebook check`"));
            quietly(ExitCode::SUCCESS, printed)
        }
        Err(e) => failed(&e),
    }
}

/// Why printing stopped.
enum Stop {
    /// The reader went away (a closed pipe): nothing more to say, and no one to say it to.
    Closed,
    /// Writing failed otherwise (a full disk, say).
    Failed(std::io::Error),
}

type Printed = Result<(), Stop>;

fn write_to(mut stream: impl Write, text: &str) -> Printed {
    stream.write_all(text.as_bytes()).and_then(|()| stream.flush()).map_err(|e| match e.kind() {
        std::io::ErrorKind::BrokenPipe => Stop::Closed,
        _ => Stop::Failed(e),
    })
}

/// Prints `text` as it is on stdout.
fn write_out(text: &str) -> Printed {
    write_to(std::io::stdout().lock(), text)
}

/// Prints a line on stdout.
fn out(line: impl std::fmt::Display) -> Printed {
    write_out(&format!("{line}\n"))
}

/// Prints a line on stderr.
fn err(line: impl std::fmt::Display) -> Printed {
    write_err(&format!("{line}\n"))
}

/// Prints `text` as it is on stderr.
fn write_err(text: &str) -> Printed {
    write_to(std::io::stderr().lock(), text)
}

/// `code`, once printing went well or stopped because the reader went away; 2 when the
/// output could not be written.
fn quietly(code: ExitCode, printed: Printed) -> ExitCode {
    match printed {
        Ok(()) | Err(Stop::Closed) => code,
        Err(Stop::Failed(e)) => {
            let _ = err(format_args!("error: cannot write the output: {e}"));
            ExitCode::from(2)
        }
    }
}

/// Says what stopped the command, and exits with 2.
fn failed(e: &Error) -> ExitCode {
    quietly(ExitCode::from(2), err(format_args!("error: {}", explain(e))))
}

/// A diagnostic as the command shows it: one about an option names its flag.
fn shown(d: &Diagnostic) -> Cow<'_, Diagnostic> {
    let message = match d.code {
        guidebook::BASE_URL_CODE => format!("--base-url {}", d.message),
        guidebook::DRAFT_TARGET_CODE => d.message.replace(guidebook::DRAFTS_FIX, "build with `--drafts`"),
        _ => return Cow::Borrowed(d),
    };
    Cow::Owned(Diagnostic { message, ..d.clone() })
}

/// The library's description of `e`, with the flag or command that deals with it.
fn explain(e: &Error) -> String {
    match e {
        Error::NotASite(root) => match guidebook::site_above(root) {
            Some(site) if site == Path::new(".") => {
                format!("{e}, but `.` has one: leave out --root, or write --root .")
            }
            Some(site) => {
                format!("{e}, but `{0}` has one: run guidebook there, or name it with --root {0}", site.display())
            }
            None => format!("{e}: run guidebook in a site folder, or name one with --root DIR"),
        },
        Error::BrokenConfig => format!("{e}: run `guidebook check` to see them"),
        Error::UnsafeOutput(_) | Error::OutputInSite { .. } => format!("{e}; choose another --out"),
        Error::NotAnOutput(_) => format!("{e}; choose another --out, or empty that folder first"),
        Error::UnknownLanguage { .. } => format!("--lang {e}"),
        Error::UnknownKind { .. } => format!("--kind {e}"),
        Error::IndexMissing { .. } => format!("{e}; run `guidebook build` first, or name the built site with --out"),
        Error::IndexDamaged { .. } => format!("{e}; run `guidebook build` again to rewrite it"),
        Error::NotLoopback(_) => format!("{e}; add --allow-remote if that is what you want"),
        Error::Bind { .. } => format!("{e}; choose another address with --bind, such as 127.0.0.1:8080"),
        _ => e.to_string(),
    }
}

fn run_search(opts: guidebook::SearchOptions, json: bool) -> ExitCode {
    let (lang, response) = match guidebook::search(&opts) {
        Ok(r) => r,
        Err(e) => return failed(&e),
    };
    if json {
        return quietly(ExitCode::SUCCESS, out(serde_json::to_string(&response).unwrap_or_default()));
    }
    let bold = std::io::IsTerminal::is_terminal(&std::io::stdout());
    let plural = if response.total == 1 { "" } else { "s" };
    let printed = out(format_args!("{} result{plural} for \"{}\" ({lang})", response.total, opts.request.q.trim()))
        .and_then(|()| {
            response.hits.iter().enumerate().try_for_each(|(i, hit)| {
                let anchor = hit.heading.as_ref().map(|h| format!("#{}", h.anchor)).unwrap_or_default();
                out(format_args!("{:>2}. {} · {}", i + 1, hit.title, hit.kind))?;
                out(format_args!("    {lang}/{}{anchor}", hit.url))?;
                if hit.snippet.text.is_empty() {
                    return Ok(());
                }
                out(format_args!("    {}", mark(&hit.snippet, bold)))
            })
        });
    quietly(ExitCode::SUCCESS, printed)
}

/// The snippet's text with its matches in bold on a terminal.
fn mark(snippet: &guidebook_search::Snippet, bold: bool) -> String {
    let units: Vec<u16> = snippet.text.encode_utf16().collect();
    let mut out = String::new();
    let mut at = 0;
    for [start, end] in &snippet.highlights {
        out.push_str(&String::from_utf16_lossy(&units[at.min(*start)..*start]));
        let word = String::from_utf16_lossy(&units[*start..*end]);
        if bold {
            out.push_str(&format!("\x1b[1m{word}\x1b[0m"));
        } else {
            out.push_str(&word);
        }
        at = *end;
    }
    out.push_str(&String::from_utf16_lossy(&units[at.min(units.len())..]));
    out.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// On SIGINT (Ctrl-C), SIGTERM or SIGHUP, removes what the build had under way (waiting
/// for a swap of the output to end) and exits with the shell's status for that signal,
/// 128 + its number (130, 143, 129).
#[cfg(unix)]
fn on_termination(interrupt: Interrupt) -> std::io::Result<()> {
    use signal_hook::consts::{SIGHUP, SIGINT, SIGTERM};
    let mut signals = signal_hook::iterator::Signals::new([SIGINT, SIGTERM, SIGHUP])?;
    std::thread::Builder::new().name("signals".into()).spawn(move || {
        if let Some(signal) = signals.forever().next() {
            // Said once the clean-up is done; a reader that went away is not an error.
            let _ = err(match interrupt.stop() {
                Stopped::Before => "stopped: nothing half-written was left behind; the output folder was not replaced",
                Stopped::AfterReplacing => {
                    "stopped after the new site was put in place: the output folder holds the whole new site"
                }
            });
            std::process::exit(128 + signal);
        }
    })?;
    Ok(())
}

/// A build stopped by a signal: the thread that received it exits the process with the
/// signal's status once it has removed what the build started, so wait for it.
fn wait_for_exit() -> ! {
    loop {
        std::thread::park();
    }
}

/// Elsewhere, Ctrl-C ends the process as before; the next build removes what it left.
#[cfg(not(unix))]
fn on_termination(_interrupt: Interrupt) -> std::io::Result<()> {
    Ok(())
}

/// The site `guidebook search` reads when `--root` is not given: the current folder, as
/// for every command, unless it holds no `site.yaml` and the folder above `--out` does
/// (`guidebook search --out ../site/public` from elsewhere finds `../site`).
fn search_root(out: Option<&Path>) -> PathBuf {
    let here = PathBuf::from(".");
    let beside_out = out.and_then(Path::parent).map(|p| if p.as_os_str().is_empty() { Path::new(".") } else { p });
    match beside_out {
        Some(site) if !here.join("site.yaml").is_file() && site.join("site.yaml").is_file() => site.to_path_buf(),
        _ => here,
    }
}

/// Why `guidebook search --out DIR` without `--root` finds no site, if it does not: neither
/// the current folder nor the one that holds DIR has a `site.yaml` (see [`search_root`]).
fn out_without_site(out: &Path) -> Option<String> {
    let root = search_root(Some(out));
    if root.join("site.yaml").is_file() {
        return None;
    }
    let holder = out.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."));
    let places = if holder == Path::new(".") {
        "in `.`, which holds it".to_string()
    } else {
        format!("in `{}`, which holds it, nor in `.`", holder.display())
    };
    Some(format!(
        "--out `{}` is not inside a site: there is no site.yaml {places}; name the site it was built from with --root DIR",
        out.display()
    ))
}

/// `ROOT/public`, written `public` when the root is the current folder.
fn default_out(root: &Path) -> PathBuf {
    if root == Path::new(".") {
        PathBuf::from("public")
    } else {
        root.join("public")
    }
}

/// Prints what `report` prints, the diagnostics and a summary line, and returns the exit
/// status: 1 with content errors, else 0 (2 for I/O and usage errors).
fn finish(
    result: Result<Outcome, Error>,
    root: &Path,
    format: Format,
    report: impl Fn(&Outcome) -> Printed,
    success: impl Fn(&Outcome) -> String,
) -> ExitCode {
    let outcome = match result {
        Ok(o) => o,
        Err(Error::Interrupted) => wait_for_exit(),
        Err(e) => return failed(&e),
    };
    let prefix = guidebook::diagnostics_prefix(root);
    let diags = &outcome.diagnostics;
    let code = if diags.has_errors() { ExitCode::from(1) } else { ExitCode::SUCCESS };
    let printed = report(&outcome)
        .and_then(|()| {
            diags.sorted().iter().try_for_each(|d| match format {
                Format::Human => err(shown(d).to_human(&prefix)),
                Format::Json => out(shown(d).to_json(&prefix)),
            })
        })
        .and_then(|()| {
            if diags.has_errors() {
                let tail = if outcome.written { "" } else { "; nothing was written" };
                return err(format_args!("error: {}{tail}", diags.counts()));
            }
            let warnings = match diags.warnings() {
                0 => String::new(),
                1 => " (1 warning)".to_string(),
                n => format!(" ({n} warnings)"),
            };
            err(format_args!("{}{warnings}", success(&outcome)))
        })
        .and_then(|()| outcome.timings.as_ref().map_or(Ok(()), |t| write_err(&timings_table(t))));
    quietly(code, printed)
}

/// The table `--timings` prints: a header, one line per stage (`-` for a stage that did
/// not run, or a CPU time the system does not give), and the total, in seconds.
fn timings_table(timings: &guidebook::timings::Timings) -> String {
    use guidebook::timings::{Stage, StageTime};
    let secs =
        |d: Option<std::time::Duration>| d.map_or_else(|| "-".to_string(), |d| format!("{:.3} s", d.as_secs_f64()));
    let line = |name: &str, t: Option<StageTime>| {
        format!("{name:<8} {:>10} {:>10}\n", secs(t.map(|t| t.wall)), secs(t.and_then(|t| t.cpu)))
    };
    let mut table = format!("{:<8} {:>10} {:>10}\n", "stage", "wall", "cpu");
    for stage in Stage::ALL {
        table.push_str(&line(stage.name(), timings.get(stage)));
    }
    table.push_str(&line("total", Some(timings.total)));
    table
}
