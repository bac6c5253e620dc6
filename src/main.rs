//! The `guidebook` command: parses arguments, calls the library, prints diagnostics and
//! maps the outcome to an exit status (0 success, 1 content errors, 2 usage or I/O).

use clap::{Parser, Subcommand, ValueEnum};
use guidebook::output::Interrupt;
use guidebook::{BuildOptions, Outcome};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;

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
        /// How many results to show.
        #[arg(long, default_value_t = 10)]
        limit: usize,
        /// Print the answer as JSON, as `serve`'s /api/search does.
        #[arg(long)]
        json: bool,
        /// The site folder (where site.yaml is).
        #[arg(long, default_value = ".", value_name = "DIR")]
        root: PathBuf,
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
        eprintln!("error: internal error: {info}");
        eprintln!("this is a bug in guidebook; please report it with the file that caused it");
    }));
    std::panic::catch_unwind(|| run(cli)).unwrap_or(ExitCode::from(2))
}

fn run(cli: Cli) -> ExitCode {
    let epoch = std::env::var("SOURCE_DATE_EPOCH").ok().and_then(|s| s.trim().parse::<i64>().ok());
    match cli.command {
        Command::Build { root, out, base_url, offline, drafts } => {
            let out = out.unwrap_or_else(|| default_out(&root));
            let interrupt = Interrupt::default();
            if let Err(e) = on_termination(interrupt.clone()) {
                eprintln!("error: {e}");
                return ExitCode::from(2);
            }
            let opts = BuildOptions { root, out, base_url, offline, drafts, source_date_epoch: epoch, interrupt };
            let started = Instant::now();
            finish(guidebook::build(&opts), &opts.root, Format::Human, |o| {
                format!(
                    "built {} pages into {} in {:.2} s",
                    o.pages,
                    opts.out.display(),
                    started.elapsed().as_secs_f64()
                )
            })
        }
        Command::Check { root, format, drafts, translations } => {
            let mut opts = BuildOptions::new(root);
            opts.drafts = drafts;
            opts.source_date_epoch = epoch;
            let result = guidebook::check(&opts);
            if let (Ok(outcome), true) = (&result, translations) {
                match format {
                    Format::Human => print!("{}", guidebook::report::translations_text(&outcome.translations)),
                    Format::Json => {
                        guidebook::report::translations_json(&outcome.translations).iter().for_each(|l| println!("{l}"))
                    }
                }
            }
            finish(result, &opts.root, format, |o| format!("checked {} pages", o.pages))
        }
        Command::Serve { root, out, bind, allow_remote, no_watch, drafts } => {
            let out = out.unwrap_or_else(|| default_out(&root));
            let interrupt = Interrupt::default();
            if let Err(e) = on_termination(interrupt.clone()) {
                eprintln!("error: {e}");
                return ExitCode::from(2);
            }
            let build =
                BuildOptions { root, out, base_url: None, offline: false, drafts, source_date_epoch: epoch, interrupt };
            let opts = guidebook::serve::ServeOptions { build, bind, allow_remote, watch: !no_watch };
            match guidebook::serve::serve(opts) {
                Ok(()) => ExitCode::SUCCESS,
                Err(e) => {
                    eprintln!("error: {e}");
                    ExitCode::from(2)
                }
            }
        }
        Command::New { kind, slug, lang, root } => {
            match guidebook::scaffold::new_page(&root, &kind, &slug, lang.as_deref()) {
                Ok(created) => {
                    let prefix = guidebook::diagnostics_prefix(&root);
                    for c in created {
                        println!("created {prefix}{}: its address will be /{}", c.file, c.url);
                    }
                    println!("fill in the fields marked `required`, then run `guidebook check`");
                    ExitCode::SUCCESS
                }
                Err(e) => {
                    eprintln!("error: {e}");
                    ExitCode::from(2)
                }
            }
        }
        Command::Init { dir } => match guidebook::scaffold::init(&dir) {
            Ok(files) => {
                println!("created a site in {} ({} files)", dir.display(), files.len());
                println!("next: cd {} && guidebook serve", dir.display());
                ExitCode::SUCCESS
            }
            Err(e) => {
                eprintln!("error: {e}");
                ExitCode::from(2)
            }
        },
        Command::Search { query, lang, kind, limit, json, root, out } => {
            let out = out.unwrap_or_else(|| default_out(&root));
            let filters = kind.map(|k| vec![("kind".to_string(), k)]).unwrap_or_default();
            let request = guidebook_search::Request { q: query, filters, limit };
            run_search(guidebook::SearchOptions { root, out, lang, request }, json)
        }
    }
}

fn run_search(opts: guidebook::SearchOptions, json: bool) -> ExitCode {
    let (lang, response) = match guidebook::search(&opts) {
        Ok(r) => r,
        Err(e) => {
            eprintln!("error: {e}");
            return ExitCode::from(2);
        }
    };
    if json {
        println!("{}", serde_json::to_string(&response).unwrap_or_default());
        return ExitCode::SUCCESS;
    }
    let bold = std::io::IsTerminal::is_terminal(&std::io::stdout());
    let plural = if response.total == 1 { "" } else { "s" };
    println!("{} result{plural} for \"{}\" ({lang})", response.total, opts.request.q.trim());
    for (i, hit) in response.hits.iter().enumerate() {
        let anchor = hit.heading.as_ref().map(|h| format!("#{}", h.anchor)).unwrap_or_default();
        println!("{:>2}. {} · {}", i + 1, hit.title, hit.kind);
        println!("    {lang}/{}{anchor}", hit.url);
        if !hit.snippet.text.is_empty() {
            println!("    {}", mark(&hit.snippet, bold));
        }
    }
    ExitCode::SUCCESS
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
            interrupt.stop();
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

/// `ROOT/public`, written `public` when the root is the current folder.
fn default_out(root: &Path) -> PathBuf {
    if root == Path::new(".") {
        PathBuf::from("public")
    } else {
        root.join("public")
    }
}

fn finish(
    result: Result<Outcome, guidebook::Error>,
    root: &Path,
    format: Format,
    success: impl Fn(&Outcome) -> String,
) -> ExitCode {
    let outcome = match result {
        Ok(o) => o,
        Err(guidebook::Error::Interrupted) => wait_for_exit(),
        Err(e) => {
            eprintln!("error: {e}");
            return ExitCode::from(2);
        }
    };
    let prefix = guidebook::diagnostics_prefix(root);
    let diags = &outcome.diagnostics;
    for d in diags.sorted() {
        match format {
            Format::Human => eprintln!("{}", d.to_human(&prefix)),
            Format::Json => println!("{}", d.to_json(&prefix)),
        }
    }
    if diags.has_errors() {
        let tail = if outcome.written { "" } else { "; nothing was written" };
        eprintln!("error: {}{tail}", diags.counts());
        return ExitCode::from(1);
    }
    let warnings = match diags.warnings() {
        0 => String::new(),
        1 => " (1 warning)".to_string(),
        n => format!(" ({n} warnings)"),
    };
    eprintln!("{}{warnings}", success(&outcome));
    ExitCode::SUCCESS
}
