//! The search indexes of a `serve` session, made after the pages of each rebuild and apart
//! from them: a rebuild's pages are written and open pages reload while its indexes are
//! still being made, and a newer change does not wait for them. The indexes then give way
//! (see [`IndexJob::run`]), and that change's rebuild makes them.

use super::{build_indexes_unless, is_index_page, IndexCache};
use crate::error::Error;
use crate::output::{all_written, write_index_files, Interrupt, Written};
use crate::site::Site;
use std::path::PathBuf;
use std::sync::{Arc, Mutex, MutexGuard};

/// What a session knows of its search indexes: those last built (so that a language whose
/// pages did not change is not indexed again) and what is on disk below `search/`.
#[derive(Default)]
pub(crate) struct Indexes {
    /// The indexes of the last build that made them, by language.
    pub(crate) cache: IndexCache,
    /// The index files in the output, as written.
    pub(crate) written: Written,
}

/// Locks a session's indexes. A poisoned lock only means that a job panicked; what it
/// recorded is still what is on disk.
pub(crate) fn lock(indexes: &Mutex<Indexes>) -> MutexGuard<'_, Indexes> {
    indexes.lock().unwrap_or_else(|e| e.into_inner())
}

/// The search indexes of one rebuild, to be made and written after its pages.
pub(crate) struct IndexJob {
    /// The site as that rebuild resolved it.
    pub(crate) site: Arc<Site>,
    /// The output folder.
    pub(crate) out: PathBuf,
    /// Whether the indexes also come as classic scripts (`--offline`).
    pub(crate) offline: bool,
    /// What to remove if the process is stopped by a signal meanwhile.
    pub(crate) interrupt: Interrupt,
    /// The session's indexes, which only one job at a time updates.
    pub(crate) indexes: Arc<Mutex<Indexes>>,
}

/// How an [`IndexJob`] ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Indexed {
    /// Every language's index is in place, and the previous indexes' files are gone.
    Done,
    /// The indexes are those already in place: the change altered nothing they hold.
    Unchanged,
    /// It gave way to a newer change: readers still search the previous indexes (or, in
    /// part, this job's, for the languages whose entry it had written).
    GaveWay,
}

impl IndexJob {
    /// Builds the languages' indexes (those whose pages changed; the others are taken from
    /// the session) and writes them, pages before entries, then removes the previous
    /// files. `stop` is asked as each language's index is begun and before each file is
    /// written or removed: once it says a newer change is waiting, the job ends
    /// ([`Indexed::GaveWay`]) and the session keeps what it did, so that the next job
    /// rewrites nothing in vain. An error is an [`Error::Internal`] from the index (a bug)
    /// or an [`Error::Io`] from writing.
    pub(crate) fn run(&self, stop: &(dyn Fn() -> bool + Sync)) -> Result<Indexed, Error> {
        let mut indexes = lock(&self.indexes);
        if stop() {
            return Ok(Indexed::GaveWay);
        }
        let Indexes { cache, written } = &mut *indexes;
        let Some(files) = build_indexes_unless(&self.site, self.offline, Some(cache), stop)? else {
            return Ok(Indexed::GaveWay);
        };
        let unchanged = all_written(&self.out, &files, written);
        let done = write_index_files(&self.out, &files, written, is_index_page, (stop, &self.interrupt))?;
        Ok(match (done, unchanged) {
            (false, _) => Indexed::GaveWay,
            (true, true) => Indexed::Unchanged,
            (true, false) => Indexed::Done,
        })
    }
}
