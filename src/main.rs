//! The `guidebook` command: parses arguments, calls the library, prints diagnostics and
//! maps the outcome to an exit status (0 success, 1 content errors, 2 usage or I/O).

use clap::{Parser, Subcommand, ValueEnum};
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
            let out = out.unwrap_or_else(|| root.join("public"));
            let opts = BuildOptions { root, out, base_url, offline, drafts, source_date_epoch: epoch };
            let started = Instant::now();
            finish(guidebook::build(&opts), &opts.root, Format::Human, |o| {
                format!(
                    "built {} pages into {} in {:.2} s",
                    o.pages,
                    opts.out.strip_prefix(".").unwrap_or(&opts.out).display(),
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
    }
}

/// The prefix that makes a site-relative path relative to the current folder.
fn display_prefix(root: &Path) -> String {
    let s = root.to_string_lossy().replace('\\', "/");
    let s = s.trim_end_matches('/');
    if s.is_empty() || s == "." {
        String::new()
    } else {
        format!("{}/", s.strip_prefix("./").unwrap_or(s))
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
        Err(e) => {
            eprintln!("error: {e}");
            return ExitCode::from(2);
        }
    };
    let prefix = display_prefix(root);
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
