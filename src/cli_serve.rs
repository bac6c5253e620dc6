//! What `guidebook serve` prints: the server's events as lines on stderr.

use crate::{err, explain, failed, shown, Printed};
use guidebook::serve::ServeEvent;
use guidebook::{Outcome, Severity};
use std::collections::BTreeSet;
use std::process::ExitCode;
use std::sync::Mutex;

/// Serves until interrupted, printing on stderr what the server tells. When no one reads
/// it any more (a closed pipe), the server goes on serving, silently.
pub(crate) fn run_serve(opts: guidebook::serve::ServeOptions) -> ExitCode {
    let prefix = guidebook::diagnostics_prefix(&opts.build.root);
    let before = Mutex::new(BTreeSet::new());
    let report = move |event: ServeEvent<'_>| {
        let mut before = before.lock().unwrap_or_else(|e| e.into_inner());
        let _ = say(&prefix, event, &mut before);
    };
    match guidebook::serve::serve(opts, report) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => failed(&e),
    }
}

/// The lines `guidebook serve` prints for an event of the server. `before` holds the
/// problems printed for the last build: a rebuild prints only those that are new (a
/// site's warnings are not printed again at every save) and says how many remain.
fn say(prefix: &str, event: ServeEvent<'_>, before: &mut BTreeSet<String>) -> Printed {
    let lines = |outcome: &Outcome| -> Vec<String> {
        outcome.diagnostics.sorted().iter().map(|d| shown(d).to_human(prefix)).collect()
    };
    match event {
        ServeEvent::Listening { addr, out } => {
            if !addr.ip().is_loopback() {
                err(format_args!(
                    "note: serving to the network on {addr}: every machine that can reach it can read the site"
                ))?;
            }
            err(format_args!("serving {} at http://{addr}/ (press Ctrl+C to stop)", out.display()))
        }
        ServeEvent::Built { rebuilt, outcome, elapsed } => {
            let now = lines(outcome);
            let new: Vec<&String> = now.iter().filter(|l| !rebuilt || !before.contains(*l)).collect();
            new.iter().try_for_each(err)?;
            let what = if rebuilt { "rebuilt" } else { "built" };
            let mut stages = if rebuilt { rebuild_stages(outcome) } else { String::new() };
            // A rebuild that wrote its pages has no error: the others are warnings.
            if let Some(note) = not_repeated(now.len() - new.len()) {
                stages = format!(" ({note}){stages}");
            }
            *before = now.into_iter().collect();
            err(format_args!("{what} {} pages in {:.2} s{stages}", outcome.pages, elapsed.as_secs_f64()))
        }
        ServeEvent::Printed { files, elapsed } => {
            let what = if files == 1 { "print version" } else { "print versions" };
            err(format_args!("{what} rewritten in {:.2} s", elapsed.as_secs_f64()))
        }
        ServeEvent::Indexed { elapsed } => err(format_args!("search index updated in {:.2} s", elapsed.as_secs_f64())),
        ServeEvent::Failed { outcome, serving } => {
            // Every error (what is wrong now is what to fix), and the warnings not printed
            // before.
            let errors: BTreeSet<String> = (outcome.diagnostics.iter())
                .filter(|d| d.severity == Severity::Error)
                .map(|d| shown(d).to_human(prefix))
                .collect();
            let now = lines(outcome);
            let new: Vec<&String> = now.iter().filter(|l| errors.contains(*l) || !before.contains(*l)).collect();
            new.iter().try_for_each(err)?;
            if let Some(note) = not_repeated(now.len() - new.len()) {
                err(format_args!("({note})"))?;
            }
            *before = now.into_iter().collect();
            let counts = outcome.diagnostics.counts();
            if serving {
                err(format_args!("error: {counts}; still serving the last good site"))
            } else {
                err(format_args!(
                    "error: {counts}; there is no site to serve until they are fixed: open pages show them, and reload once you save the fix"
                ))
            }
        }
        ServeEvent::Stopped(e) => err(format_args!("error: {}", explain(e))),
    }
}

/// What is said of `n` warnings printed before and not again (`None` for none).
fn not_repeated(n: usize) -> Option<String> {
    let warnings = if n == 1 { "warning" } else { "warnings" };
    (n > 0).then(|| format!("{n} {warnings} as before, not repeated"))
}

/// What a rebuild of `serve` did, for its line: the files rendered of all, how many of
/// them differ from what was there (when it rendered only what the change can alter),
/// and the time of each stage that ran until the pages were written, in milliseconds
/// (`: 3 of 10525 files rendered, 1 rewritten; load 12, parse <1, resolve 20, render 3,
/// write 1 ms`). The print versions follow in a line of their own.
fn rebuild_stages(outcome: &Outcome) -> String {
    use guidebook::timings::Stage;
    let mut text = format!(": {} of {} files rendered", outcome.rendered, outcome.files);
    if let Some(rewritten) = &outcome.rewritten {
        text.push_str(&format!(", {} rewritten", rewritten.len()));
    }
    let ms = |wall: std::time::Duration| match wall.as_millis() {
        0 => "<1".to_string(),
        n => n.to_string(),
    };
    if let Some(t) = &outcome.timings {
        let stages: Vec<String> =
            Stage::ALL.iter().filter_map(|&s| t.get(s).map(|time| format!("{} {}", s.name(), ms(time.wall)))).collect();
        if !stages.is_empty() {
            text.push_str(&format!("; {} ms", stages.join(", ")));
        }
    }
    text
}
