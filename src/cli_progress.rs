//! The command's progress display (part of `src/main.rs`, not of the library): one line on
//! stderr naming the stage a build or check is in (`load`, `parse`, `resolve`, `render`
//! with files made / total, `index`, `write`: the names of `--timings`), drawn by
//! indicatif. The library only reports ([`guidebook::timings::Progress`]).
//!
//! It appears only when stderr is a terminal and the work has lasted [`DELAY`]; otherwise
//! (tests, CI, a pipe, a short build) nothing at all is written. It is cleared before the
//! diagnostics and the summary are printed: [`Display`] clears it when dropped.

use guidebook::timings::{Progress, ProgressFn, Stage};
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use std::io::IsTerminal;
use std::sync::{Arc, Condvar, Mutex, MutexGuard, PoisonError};
use std::thread::JoinHandle;
use std::time::Duration;

/// How long the work runs before the display appears.
pub(crate) const DELAY: Duration = Duration::from_secs(1);

/// A progress display, drawn from [`DELAY`] on until dropped.
pub(crate) struct Display {
    shared: Arc<Shared>,
    /// Waits for [`DELAY`], then draws.
    waiter: Option<JoinHandle<()>>,
}

#[derive(Default)]
struct Shared {
    state: Mutex<State>,
    /// Wakes the waiter when the work is over before the delay.
    over: Condvar,
}

#[derive(Default)]
struct State {
    /// What was last reported, to draw when the display appears.
    latest: Option<Progress>,
    /// The display, once it appeared.
    bar: Option<ProgressBar>,
    /// The work is over: never draw again.
    over: bool,
}

impl Shared {
    fn lock(&self) -> MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

impl Display {
    /// A display for work that `doing` ("building"), or `None` when stderr is not a
    /// terminal.
    pub(crate) fn start(doing: &'static str) -> Option<Display> {
        std::io::stderr().is_terminal().then(|| Display::drawing_to(ProgressDrawTarget::stderr(), DELAY, doing))
    }

    /// A display on `target`, appearing after `delay`.
    fn drawing_to(target: ProgressDrawTarget, delay: Duration, doing: &'static str) -> Display {
        let shared = Arc::new(Shared::default());
        let waiting = Arc::clone(&shared);
        let waiter = std::thread::spawn(move || {
            let state = waiting.lock();
            let (mut state, _) =
                waiting.over.wait_timeout_while(state, delay, |s| !s.over).unwrap_or_else(PoisonError::into_inner);
            if state.over {
                return;
            }
            // Made hidden, then shown once it holds its first line.
            let bar = ProgressBar::hidden();
            bar.set_style(
                ProgressStyle::with_template("{spinner} {prefix}: {msg}")
                    .unwrap_or_else(|_| ProgressStyle::default_spinner()),
            );
            bar.set_prefix(doing);
            bar.set_message(state.latest.map_or_else(String::new, describe));
            bar.set_draw_target(target);
            bar.enable_steady_tick(Duration::from_millis(100));
            state.bar = Some(bar);
        });
        Display { shared, waiter: Some(waiter) }
    }

    /// What the library reports to: kept for the display, drawn once it appears.
    pub(crate) fn reporter(&self) -> ProgressFn {
        let shared = Arc::clone(&self.shared);
        ProgressFn::new(move |progress| {
            let mut state = shared.lock();
            state.latest = Some(progress);
            if let Some(bar) = &state.bar {
                bar.set_message(describe(progress));
            }
        })
    }

    /// Whether the display appeared (for tests).
    #[cfg(test)]
    fn appeared(&self) -> bool {
        self.shared.lock().bar.is_some()
    }
}

impl Drop for Display {
    /// Clears the display, or keeps it from appearing, and waits for the waiter.
    fn drop(&mut self) {
        {
            let mut state = self.shared.lock();
            state.over = true;
            if let Some(bar) = state.bar.take() {
                bar.finish_and_clear();
            }
        }
        self.shared.over.notify_all();
        if let Some(waiter) = self.waiter.take() {
            let _ = waiter.join();
        }
    }
}

/// The line for `progress`: the stage's name, and for render the files made of the total.
fn describe(progress: Progress) -> String {
    match progress {
        Progress::Stage(stage) => stage.name().to_string(),
        Progress::Rendered { done, total } => format!("{} {done}/{total} files", Stage::Render.name()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_name_the_stages_as_timings_does() {
        assert_eq!(describe(Progress::Stage(Stage::Resolve)), "resolve");
        assert_eq!(describe(Progress::Rendered { done: 12, total: 340 }), "render 12/340 files");
    }

    #[test]
    fn short_work_shows_nothing() {
        let display = Display::drawing_to(ProgressDrawTarget::hidden(), Duration::from_secs(60), "building");
        display.reporter().call(Progress::Stage(Stage::Load));
        assert!(!display.appeared());
        // Dropped long before the delay: the waiter ends at once, and never draws.
        let at = std::time::Instant::now();
        drop(display);
        assert!(at.elapsed() < Duration::from_secs(30));
    }

    #[test]
    fn long_work_shows_the_latest_stage_until_dropped() {
        let display = Display::drawing_to(ProgressDrawTarget::hidden(), Duration::ZERO, "building");
        let report = display.reporter();
        report.call(Progress::Stage(Stage::Parse));
        while !display.appeared() {
            std::thread::sleep(Duration::from_millis(5));
        }
        report.call(Progress::Rendered { done: 3, total: 9 });
        let bar = display.shared.lock().bar.clone();
        assert_eq!(bar.as_ref().map(|b| b.message()), Some("render 3/9 files".to_string()));
        assert_eq!(bar.as_ref().map(|b| b.prefix()), Some("building".to_string()));
        drop(display);
        assert!(bar.is_some_and(|b| b.is_finished()));
    }
}
