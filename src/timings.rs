//! How long each stage of a build or check took (`--timings`): wall time and CPU time of
//! load, parse, resolve, render, index and write; and, as the stages go, [`Progress`]
//! reports to the caller's [`ProgressFn`] (for a progress display).
//!
//! The stages up to resolve run one after the other, each on every core: their CPU time
//! is the process's between the stage's start and end. Render, index and write run at the
//! same time (the indexes are built beside the pages, and each file is written as soon as
//! it is rendered), so their CPU time is measured on the threads that do their work: each
//! rendered file, each file written, and for index what the process used while the
//! indexes were built, less what render and write used meanwhile. CPU time is read from
//! the system's per-thread and per-process clocks (`clock_gettime`); where there are none
//! (outside Unix), it is not given.

use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

/// A stage of the pipeline, in the order it starts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stage {
    /// `site.yaml`, the interface strings, the theme and the walk of `content/`.
    Load,
    /// Front matter and markdown of every page.
    Parse,
    /// Ids, translations, references, backlinks, navigation.
    Resolve,
    /// Templates: every output file made in memory.
    Render,
    /// The search indexes.
    Index,
    /// The output folder: static files copied, generated files written, the swap.
    Write,
}

impl Stage {
    /// Every stage, in order.
    pub const ALL: [Stage; 6] = [Stage::Load, Stage::Parse, Stage::Resolve, Stage::Render, Stage::Index, Stage::Write];

    /// Its name as `--timings` prints it: `load`, `parse`, ...
    pub fn name(self) -> &'static str {
        match self {
            Stage::Load => "load",
            Stage::Parse => "parse",
            Stage::Resolve => "resolve",
            Stage::Render => "render",
            Stage::Index => "index",
            Stage::Write => "write",
        }
    }
}

/// What a build or check reports as it goes, for a progress display
/// ([`crate::BuildOptions::progress`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Progress {
    /// A stage starts. Load, parse and resolve run one after the other; render, index and
    /// write overlap in a build (indexes are built beside the pages, files written as they
    /// are made), so render is reported when rendering starts, index when every file is
    /// rendered and indexes are still being built, and write when what is left is to
    /// finish the output (copy the static files, put the new output in place). `check`
    /// reports no index and no write.
    Stage(Stage),
    /// During render: `done` of the `total` files to render are made (pages, sections,
    /// taxonomy, print and other pages; every language).
    Rendered {
        /// Files made so far.
        done: usize,
        /// Files to make.
        total: usize,
    },
}

/// Receives a build's [`Progress`] reports, from any of its threads, in order for the
/// stages; `Rendered` reports may come from several threads at once (each `done` once).
/// It should return quickly: it is called once per rendered file.
#[derive(Clone)]
pub struct ProgressFn(Arc<dyn Fn(Progress) + Send + Sync>);

impl ProgressFn {
    /// Reports to `f`.
    pub fn new(f: impl Fn(Progress) + Send + Sync + 'static) -> Self {
        ProgressFn(Arc::new(f))
    }

    /// Reports `progress`.
    pub fn call(&self, progress: Progress) {
        (self.0)(progress);
    }
}

impl std::fmt::Debug for ProgressFn {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("ProgressFn")
    }
}

/// The time one stage took.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct StageTime {
    /// Elapsed time on the clock. For write, which happens while render runs, the time
    /// spent writing, summed over the threads that wrote.
    pub wall: Duration,
    /// Processor time, summed over every thread that worked on the stage; `None` where the
    /// system gives no CPU clock.
    pub cpu: Option<Duration>,
}

/// The time of every stage that ran, and of the whole command.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Timings {
    /// Indexed by the position of the stage in [`Stage::ALL`]; `None` for a stage that did
    /// not run (`check` builds no index and writes nothing; a site with errors stops
    /// before rendering).
    stages: [Option<StageTime>; 6],
    /// From the start of the command's work to its end.
    pub total: StageTime,
}

impl Timings {
    /// The time `stage` took, if it ran.
    pub fn get(&self, stage: Stage) -> Option<StageTime> {
        self.stages[stage as usize]
    }
}

/// Nanoseconds in a `u64`: enough for 584 years.
fn nanos(d: Duration) -> u64 {
    u64::try_from(d.as_nanos()).unwrap_or(u64::MAX)
}

/// CPU time of the calling thread, where the system has such a clock.
#[cfg(unix)]
fn thread_cpu() -> Option<Duration> {
    let t = rustix::time::clock_gettime(rustix::time::ClockId::ThreadCPUTime);
    Some(Duration::new(u64::try_from(t.tv_sec).ok()?, u32::try_from(t.tv_nsec).ok()?))
}

/// CPU time of the whole process, all threads, where the system has such a clock.
#[cfg(unix)]
fn process_cpu() -> Option<Duration> {
    let t = rustix::time::clock_gettime(rustix::time::ClockId::ProcessCPUTime);
    Some(Duration::new(u64::try_from(t.tv_sec).ok()?, u32::try_from(t.tv_nsec).ok()?))
}

#[cfg(not(unix))]
fn thread_cpu() -> Option<Duration> {
    None
}

#[cfg(not(unix))]
fn process_cpu() -> Option<Duration> {
    None
}

/// A point in time on both clocks: the wall clock and the process's CPU clock.
#[derive(Clone, Copy)]
pub(crate) struct Mark {
    at: Instant,
    cpu: Option<Duration>,
}

impl Mark {
    /// Now.
    pub(crate) fn now() -> Mark {
        Mark { at: Instant::now(), cpu: process_cpu() }
    }

    /// The time from this mark to now.
    fn elapsed(&self) -> StageTime {
        let cpu = match (process_cpu(), self.cpu) {
            (Some(now), Some(then)) => Some(now.saturating_sub(then)),
            _ => None,
        };
        StageTime { wall: self.at.elapsed(), cpu }
    }
}

/// Time and CPU time added up by several threads at once, in nanoseconds.
#[derive(Default)]
struct Sum {
    wall: AtomicU64,
    cpu: AtomicU64,
    /// Whether a CPU clock was missing once.
    no_cpu: std::sync::atomic::AtomicBool,
    /// Whether anything was added.
    ran: std::sync::atomic::AtomicBool,
}

impl Sum {
    fn add(&self, t: StageTime) {
        self.ran.store(true, Ordering::Relaxed);
        self.wall.fetch_add(nanos(t.wall), Ordering::Relaxed);
        match t.cpu {
            Some(cpu) => {
                self.cpu.fetch_add(nanos(cpu), Ordering::Relaxed);
            }
            None => self.no_cpu.store(true, Ordering::Relaxed),
        }
    }

    fn get(&self) -> Option<StageTime> {
        self.ran.load(Ordering::Relaxed).then(|| StageTime {
            wall: Duration::from_nanos(self.wall.load(Ordering::Relaxed)),
            cpu: (!self.no_cpu.load(Ordering::Relaxed)).then(|| Duration::from_nanos(self.cpu.load(Ordering::Relaxed))),
        })
    }
}

/// What a build records of its stages' times while it runs; shared by the threads of the
/// render and index stages (atomics, no lock). A clock that is off records nothing and
/// reads no clock, so that builds without `--timings` pay nothing for it.
pub(crate) struct Clock {
    on: bool,
    start: Mark,
    sums: [Sum; 6],
    /// The CPU time of the threads' work in render and write while the indexes were
    /// built beside them, to take from the process's CPU time of that span.
    beside: Sum,
    /// Where progress is reported, if anywhere.
    progress: Option<ProgressFn>,
    /// Files rendered, and to render, for [`Progress::Rendered`].
    rendered: AtomicUsize,
    to_render: AtomicUsize,
}

impl Clock {
    /// A clock that records when `on`, started now.
    pub(crate) fn new(on: bool) -> Clock {
        let start = if on { Mark::now() } else { Mark { at: Instant::now(), cpu: None } };
        Clock {
            on,
            start,
            sums: Default::default(),
            beside: Sum::default(),
            progress: None,
            rendered: AtomicUsize::new(0),
            to_render: AtomicUsize::new(0),
        }
    }

    /// This clock, reporting the stages' progress to `progress` as well.
    pub(crate) fn reporting(self, progress: Option<ProgressFn>) -> Clock {
        Clock { progress, ..self }
    }

    fn report(&self, progress: Progress) {
        if let Some(f) = &self.progress {
            f.call(progress);
        }
    }

    /// Reports that `stage` starts (render: see [`Clock::to_render`]).
    pub(crate) fn starts(&self, stage: Stage) {
        self.report(Progress::Stage(stage));
    }

    /// Reports that render starts, with `total` files to make.
    pub(crate) fn to_render(&self, total: usize) {
        self.to_render.store(total, Ordering::Relaxed);
        self.rendered.store(0, Ordering::Relaxed);
        self.starts(Stage::Render);
        self.report(Progress::Rendered { done: 0, total });
    }

    /// Reports one more file rendered.
    pub(crate) fn rendered(&self) {
        if self.progress.is_some() {
            let done = self.rendered.fetch_add(1, Ordering::Relaxed) + 1;
            self.report(Progress::Rendered { done, total: self.to_render.load(Ordering::Relaxed) });
        }
    }

    /// A mark now, to give to [`Clock::lap`] at the end of a stage (`None` when off).
    pub(crate) fn mark(&self) -> Option<Mark> {
        self.on.then(Mark::now)
    }

    /// Records the time from `since` to now as `stage`'s, and returns a mark for the next
    /// stage. For stages that run alone: the process's CPU time is theirs.
    pub(crate) fn lap(&self, stage: Stage, since: Option<Mark>) -> Option<Mark> {
        let since = since?;
        self.sums[stage as usize].add(since.elapsed());
        Some(Mark::now())
    }

    /// Runs `work`, which nothing else runs beside, and adds its time to `stage`'s (the
    /// process's CPU time: `work` may use every core).
    pub(crate) fn alone<T>(&self, stage: Stage, work: impl FnOnce() -> T) -> T {
        let since = self.mark();
        let result = work();
        self.lap(stage, since);
        result
    }

    /// Runs `work` for `stage` on this thread and adds its time, measured on this thread's
    /// clocks, to the stage's.
    pub(crate) fn time<T>(&self, stage: Stage, work: impl FnOnce() -> T) -> T {
        if !self.on {
            return work();
        }
        let (at, cpu) = (Instant::now(), thread_cpu());
        let result = work();
        let cpu = match (thread_cpu(), cpu) {
            (Some(now), Some(then)) => Some(now.saturating_sub(then)),
            _ => None,
        };
        let t = StageTime { wall: at.elapsed(), cpu };
        self.sums[stage as usize].add(t);
        self.beside.add(t);
        result
    }

    /// Runs `work`, which renders and writes through [`Clock::time`] while `index` builds
    /// the indexes beside it (`None`: no index); render's wall time is `work`'s, index's
    /// the process's time during `index` less what render and write used meanwhile.
    pub(crate) fn beside<A: Send, B: Send>(
        &self,
        work: impl FnOnce() -> A + Send,
        index: Option<impl FnOnce() -> B + Send>,
    ) -> (A, Option<B>) {
        let indexing = index.is_some();
        let timed_work = || {
            let at = Instant::now();
            let result = work();
            if self.on {
                self.set_wall(Stage::Render, at.elapsed());
            }
            if indexing {
                self.starts(Stage::Index);
            }
            result
        };
        let Some(index) = index else { return (timed_work(), None) };
        let started = self.mark();
        let before = self.beside.get().and_then(|s| s.cpu).unwrap_or_default();
        let timed_index = || {
            let at = Instant::now();
            let result = index();
            (result, at.elapsed())
        };
        let (a, (b, index_wall)) = rayon::join(timed_work, timed_index);
        if let Some(started) = started {
            let span = started.elapsed();
            let others = self.beside.get().and_then(|s| s.cpu).unwrap_or_default().saturating_sub(before);
            let cpu = span.cpu.map(|c| c.saturating_sub(others));
            self.sums[Stage::Index as usize].add(StageTime { wall: index_wall, cpu });
        }
        (a, Some(b))
    }

    /// Puts `wall` in place of the wall time summed so far for `stage` (whose work ran
    /// in parallel: the elapsed time is what the reader needs).
    fn set_wall(&self, stage: Stage, wall: Duration) {
        let sum = &self.sums[stage as usize];
        sum.ran.store(true, Ordering::Relaxed);
        sum.wall.store(nanos(wall), Ordering::Relaxed);
    }

    /// What was recorded, with the total from the clock's start to now; `None` when off.
    pub(crate) fn timings(&self) -> Option<Timings> {
        if !self.on {
            return None;
        }
        let mut stages = [None; 6];
        for (slot, sum) in stages.iter_mut().zip(&self.sums) {
            *slot = sum.get();
        }
        Some(Timings { stages, total: self.start.elapsed() })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_clock_that_is_off_gives_no_timings() {
        let clock = Clock::new(false);
        assert_eq!(clock.time(Stage::Render, || 1 + 1), 2);
        assert!(clock.lap(Stage::Load, clock.mark()).is_none());
        assert_eq!(clock.timings(), None);
    }

    #[test]
    fn each_stage_gets_the_time_of_its_own_work() {
        let clock = Clock::new(true);
        let parse = clock.lap(Stage::Load, clock.mark());
        clock.lap(Stage::Parse, parse);
        let spin = |ms| {
            let until = Instant::now() + Duration::from_millis(ms);
            while Instant::now() < until {}
        };
        let (rendered, indexed) = clock.beside(
            || {
                clock.time(Stage::Render, || spin(30));
                clock.time(Stage::Write, || spin(10));
                "pages"
            },
            Some(|| spin(20)),
        );
        assert_eq!((rendered, indexed), ("pages", Some(())));
        let t = clock.timings().expect("on");
        let ran: Vec<&str> = Stage::ALL.iter().filter(|s| t.get(**s).is_some()).map(|s| s.name()).collect();
        assert_eq!(ran, ["load", "parse", "render", "index", "write"]);
        let wall = |s| t.get(s).map(|t| t.wall).unwrap_or_default();
        // Render's wall time is the span of its work, write's included; write's its own.
        assert!(wall(Stage::Render) >= Duration::from_millis(40), "{t:?}");
        assert!(wall(Stage::Write) >= Duration::from_millis(10), "{t:?}");
        assert!(wall(Stage::Index) >= Duration::from_millis(20), "{t:?}");
        assert!(t.total.wall >= wall(Stage::Render), "{t:?}");
        // CPU time depends on what else the machine runs: only its presence is certain.
        let cpus = Stage::ALL.iter().filter_map(|s| t.get(*s)).chain([t.total]).filter(|t| t.cpu.is_some()).count();
        assert_eq!(cpus, if cfg!(unix) { 6 } else { 0 }, "{t:?}");
    }
}
