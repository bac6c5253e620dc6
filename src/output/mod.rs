//! Write stage: every file goes into a temporary folder beside the output, which replaces
//! the output only once everything is written. A failed build leaves the previous output
//! exactly as it was.
//!
//! A build hands each file to a [`Sink`] as soon as it is made: staged (written into the
//! temporary folder at once), kept in memory, or only counted.
//!
//! `serve` rebuilds write differently, in place ([`in_place`]).

mod in_place;

pub(crate) use in_place::{all_written, write_changed, write_index_files, Written};

use crate::error::Error;
use rayon::prelude::*;
use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::{Path, PathBuf};
use std::sync::{Arc, PoisonError, RwLock, RwLockReadGuard, RwLockWriteGuard};

/// A generated file: its path below the output root and its bytes.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct OutputFile {
    /// Path with `/` separators.
    pub path: String,
    /// Contents.
    pub bytes: Vec<u8>,
}

/// Where a static file (copied as it is into the output) comes from.
#[derive(Debug, Clone)]
pub(crate) enum StaticSource {
    /// Embedded in the binary (the default theme's files).
    Embedded(&'static [u8]),
    /// A file of the site.
    Disk(PathBuf),
}

/// Writes `files` and `statics` (generated files win over static ones) to `out`, atomically.
pub(crate) fn write_site(
    out: &Path,
    files: &[OutputFile],
    statics: &BTreeMap<String, StaticSource>,
    interrupt: &Interrupt,
) -> Result<(), Error> {
    let staging = Staging::new(out, statics, interrupt)?;
    files.par_iter().try_for_each(|f| staging.write(f))?;
    staging.finish()
}

/// What a build has under way beside its output (a staging folder, temporary files), shared
/// between the build and whoever stops it: `guidebook` calls [`Interrupt::stop`] from the
/// thread that receives SIGINT, SIGTERM or SIGHUP, then exits. Writes hold it off while
/// they run, so it never removes a folder that is being moved into place.
#[derive(Clone, Debug, Default)]
pub struct Interrupt {
    state: Arc<RwLock<InFlight>>,
}

#[derive(Debug, Default)]
struct InFlight {
    /// Set by [`Interrupt::stop`]: nothing more may start.
    stopped: bool,
    /// Staging folders and temporary files to remove if stopped.
    paths: BTreeSet<PathBuf>,
    /// Folders made to hold a new output (its parent did not exist), innermost last: removed
    /// if stopped, when empty.
    made: Vec<PathBuf>,
    /// Set once a new output has been put in place (set under a read lock, hence atomic).
    replaced: std::sync::atomic::AtomicBool,
}

/// What [`Interrupt::stop`] found the build had done.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stopped {
    /// The new output was not put in place: the output folder is as it was before.
    Before,
    /// The new output was already in place; only the removal of the previous one (now
    /// done) was cut short.
    AfterReplacing,
}

impl Interrupt {
    fn lock_write(&self) -> RwLockWriteGuard<'_, InFlight> {
        self.state.write().unwrap_or_else(PoisonError::into_inner)
    }

    /// Records `path` as under way.
    fn track(&self, path: &Path) -> Result<(), Error> {
        let mut state = self.lock_write();
        if state.stopped {
            return Err(Error::Interrupted);
        }
        state.paths.insert(path.to_path_buf());
        Ok(())
    }

    fn untrack(&self, path: &Path) {
        self.lock_write().paths.remove(path);
    }

    /// Keeps [`Interrupt::stop`] waiting while the guard lives (several writes may hold it
    /// at once). Fails once stopped.
    fn hold(&self) -> Result<RwLockReadGuard<'_, InFlight>, Error> {
        let state = self.state.read().unwrap_or_else(PoisonError::into_inner);
        if state.stopped {
            return Err(Error::Interrupted);
        }
        Ok(state)
    }

    /// Waits for the writes under way to end, refuses any later one, and removes every
    /// staging folder and temporary file the build had started, and the folders it made to
    /// hold the output if they are empty. The output itself is left as it is: the previous
    /// site, or the new one if it was already in place, as the answer says.
    pub fn stop(&self) -> Stopped {
        let mut state = self.lock_write();
        state.stopped = true;
        for path in std::mem::take(&mut state.paths) {
            let _ = if path.is_dir() { fs::remove_dir_all(&path) } else { fs::remove_file(&path) };
            let _ = fs::remove_file(lock_path(&path));
        }
        for made in std::mem::take(&mut state.made).iter().rev() {
            let _ = fs::remove_dir(made);
        }
        match state.replaced.load(std::sync::atomic::Ordering::SeqCst) {
            true => Stopped::AfterReplacing,
            false => Stopped::Before,
        }
    }
}

/// The suffix of a staging folder's lock file: `.public.new-Ab12Cd` is locked by
/// `.public.new-Ab12Cd.lock`.
const LOCK_SUFFIX: &str = ".lock";

fn lock_path(staging: &Path) -> PathBuf {
    let mut s = staging.as_os_str().to_os_string();
    s.push(LOCK_SUFFIX);
    PathBuf::from(s)
}

/// A new output being written in a staging folder beside `out` (`.public.new-XXXXXX` for
/// `public`), which replaces `out` only when [`Staging::finish`] is called; dropped
/// unfinished, it is removed and `out` is left as it was.
///
/// Interrupted builds: the staging folder has a lock file beside it
/// (`.public.new-XXXXXX.lock`), created before the folder, removed after it, and locked
/// (an OS advisory lock, released by the OS however the process ends) for as long as the
/// build runs. Every build starts by removing the staging folders beside its output whose
/// lock file is missing or can be locked: their build is gone, killed or crashed. A
/// folder whose lock is held belongs to a build running now and is left alone. The lock
/// is used rather than a process id in the name because ids are reused and are not
/// comparable across containers sharing a folder.
pub(crate) struct Staging {
    dir: PathBuf,
    /// Deleted when dropped, after the folder.
    lock: tempfile::NamedTempFile,
    out: PathBuf,
    interrupt: Interrupt,
    done: bool,
}

impl Staging {
    /// Removes what interrupted builds left beside `out`, then starts a new output with the
    /// static files (written first: generated files of the same path replace them).
    pub(crate) fn new(
        out: &Path,
        statics: &BTreeMap<String, StaticSource>,
        interrupt: &Interrupt,
    ) -> Result<Staging, Error> {
        let parent = match out.parent() {
            Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
            _ => PathBuf::from("."),
        };
        let missing: Vec<PathBuf> = parent.ancestors().take_while(|a| !a.exists()).map(Path::to_path_buf).collect();
        fs::create_dir_all(&parent).map_err(|e| Error::io(&parent, e))?;
        interrupt.lock_write().made.extend(missing.into_iter().rev());
        let name = out.file_name().map_or_else(|| "public".into(), |n| n.to_string_lossy().into_owned());
        remove_stale(&parent, &name, out);
        let staging = Self::create(&parent, &name, out, interrupt)?;
        statics.par_iter().try_for_each(|(rel, src)| {
            let _hold = interrupt.hold()?;
            let dest = safe_join(&staging.dir, rel)?;
            create_parent(&dest)?;
            match src {
                StaticSource::Embedded(bytes) => fs::write(&dest, bytes).map_err(|e| Error::io(&dest, e)),
                StaticSource::Disk(path) => fs::copy(path, &dest).map(|_| ()).map_err(|e| Error::io(path, e)),
            }
        })?;
        Ok(staging)
    }

    /// Creates the lock file, locks it, then creates the folder of the same name; all of
    /// it under the interrupt's lock, so that a signal finds both or neither.
    fn create(parent: &Path, name: &str, out: &Path, interrupt: &Interrupt) -> Result<Staging, Error> {
        let mut state = interrupt.lock_write();
        if state.stopped {
            return Err(Error::Interrupted);
        }
        let mut last = None;
        for _ in 0..8 {
            let lock = tempfile::Builder::new()
                .prefix(&format!(".{name}.new-"))
                .suffix(LOCK_SUFFIX)
                .tempfile_in(parent)
                .map_err(|e| Error::io(parent, e))?;
            lock.as_file().lock().map_err(|e| Error::io(lock.path(), e))?;
            // Another build's clean-up may have taken the file for a stale one between its
            // creation and our lock: start again with a new name.
            if !lock.path().exists() {
                continue;
            }
            let lock_name = lock.path().to_string_lossy().into_owned();
            let dir = PathBuf::from(lock_name.strip_suffix(LOCK_SUFFIX).unwrap_or(&lock_name));
            match fs::create_dir(&dir) {
                Ok(()) => {
                    state.paths.insert(dir.clone());
                    drop(state);
                    let staging =
                        Staging { dir, lock, out: out.to_path_buf(), interrupt: interrupt.clone(), done: false };
                    set_dir_mode(&staging.dir)?;
                    return Ok(staging);
                }
                Err(e) => last = Some(Error::io(&dir, e)),
            }
        }
        Err(last.unwrap_or_else(|| Error::Internal("could not start a staging folder".into())))
    }

    /// Writes one generated file.
    pub(crate) fn write(&self, f: &OutputFile) -> Result<(), Error> {
        let _hold = self.interrupt.hold()?;
        let dest = safe_join(&self.dir, &f.path)?;
        create_parent(&dest)?;
        fs::write(&dest, &f.bytes).map_err(|e| Error::io(&dest, e))
    }

    /// Puts the new output in place of the old one.
    pub(crate) fn finish(mut self) -> Result<(), Error> {
        let interrupt = self.interrupt.clone();
        let _hold = interrupt.hold()?;
        self.done = true;
        let result = swap(&self.dir, &self.out);
        if result.is_ok() {
            _hold.replaced.store(true, std::sync::atomic::Ordering::SeqCst);
        }
        // Whatever happened, the staging folder holds nothing anyone needs now: the previous
        // output after a swap, or the unused new one.
        remove_tree(&self.dir);
        result
    }
}

/// Removes the folder `dir` and everything in it, its top-level entries on every core
/// (a site's output is a folder per language and a few more): unlinking tens of thousands
/// of files is the last thing a build does, with nothing else for the other core to do.
/// What cannot be removed is left; the next build's staging sweep finds it.
fn remove_tree(dir: &Path) {
    let Ok(entries) = fs::read_dir(dir) else { return };
    let entries: Vec<fs::DirEntry> = entries.flatten().collect();
    entries.par_iter().with_max_len(1).for_each(|entry| {
        let path = entry.path();
        let _ = match entry.file_type() {
            Ok(kind) if kind.is_dir() => fs::remove_dir_all(&path),
            _ => fs::remove_file(&path),
        };
    });
    let _ = fs::remove_dir_all(dir);
}

impl Drop for Staging {
    fn drop(&mut self) {
        if !self.done {
            let _ = fs::remove_dir_all(&self.dir);
        }
        self.interrupt.untrack(&self.dir);
        // `lock` is deleted after this, once the folder is gone.
        let _ = self.lock.as_file().unlock();
    }
}

/// Where a build's generated files go as they are made, and what is kept of them.
pub(crate) enum Sink {
    /// Each file is written at once into a new output that replaces the old one when
    /// [`Sink::finish`] is called (`build`): nothing stays in memory.
    Staged(Staging),
    /// Every file is kept in memory, to be written afterwards, only those whose bytes
    /// changed (`rebuild`).
    Kept,
    /// Files are counted and dropped (`check`).
    Counting,
}

impl Sink {
    /// Takes one generated file: writes it when staged; returns it when kept.
    pub(crate) fn take(&self, file: OutputFile) -> Result<Option<OutputFile>, Error> {
        match self {
            Sink::Staged(staging) => staging.write(&file).map(|()| None),
            Sink::Kept => Ok(Some(file)),
            Sink::Counting => Ok(None),
        }
    }

    /// Whether the search indexes are made beside the pages and taken by this sink too.
    /// A kept site is indexed after its pages are written, so that open pages reload
    /// sooner (see `rebuild` in `src/lib.rs`); a counted one (`check`) is not indexed at
    /// all: indexing finds no problem in a site, and is half of a build's work.
    pub(crate) fn indexes_beside(&self) -> bool {
        matches!(self, Sink::Staged(_))
    }

    /// Whether [`Sink::take`] writes to disk.
    pub(crate) fn writes(&self) -> bool {
        matches!(self, Sink::Staged(_))
    }

    /// Puts a staged output in place of the old one; nothing to do for the others.
    pub(crate) fn finish(self) -> Result<(), Error> {
        match self {
            Sink::Staged(staging) => staging.finish(),
            Sink::Kept | Sink::Counting => Ok(()),
        }
    }
}

/// Moves `new` into place at `out`; the previous output, if any, ends up at `new`. On
/// Linux both are exchanged in one step, so `out` is at every instant either the previous
/// output or the new one, even if the process is killed.
fn swap(new: &Path, out: &Path) -> Result<(), Error> {
    if !out.exists() {
        return fs::rename(new, out).map_err(|e| Error::io(out, e));
    }
    #[cfg(any(target_os = "linux", target_os = "android"))]
    {
        use rustix::fs::{renameat_with, RenameFlags, CWD};
        if renameat_with(CWD, new, CWD, out, RenameFlags::EXCHANGE).is_ok() {
            return Ok(());
        }
    }
    // Elsewhere (or on a file system without the exchange), two renames: the previous
    // output goes to `<new>.old` first; if the process dies in between, the next build
    // puts it back.
    let old = old_path(new);
    fs::rename(out, &old).map_err(|e| Error::io(out, e))?;
    if let Err(e) = fs::rename(new, out) {
        let _ = fs::rename(&old, out);
        return Err(Error::io(out, e));
    }
    fs::rename(&old, new).map_err(|e| Error::io(&old, e))
}

fn old_path(staging: &Path) -> PathBuf {
    let mut s = staging.as_os_str().to_os_string();
    s.push(".old");
    PathBuf::from(s)
}

/// Removes the staging folders beside `out` (named `.NAME.new-*`) left by builds that are
/// no longer running (see [`Staging`]), and puts back a previous output that such a build
/// had moved aside. Best effort: what cannot be removed now is tried again next time.
fn remove_stale(parent: &Path, name: &str, out: &Path) {
    let prefix = format!(".{name}.new-");
    let Ok(entries) = fs::read_dir(parent) else { return };
    let mut names: Vec<String> = entries
        .filter_map(|e| e.ok()?.file_name().into_string().ok())
        .filter(|n| n.starts_with(&prefix) && n.len() > prefix.len())
        .collect();
    names.sort();
    for n in &names {
        let path = parent.join(n);
        if let Some(dir) = n.strip_suffix(LOCK_SUFFIX) {
            // A lock file: stale if it can be locked now.
            let Ok(file) = fs::OpenOptions::new().read(true).write(true).open(&path) else { continue };
            if file.try_lock().is_err() {
                continue;
            }
            let dir = parent.join(dir);
            let old = old_path(&dir);
            if !out.exists() && old.is_dir() {
                let _ = fs::rename(&old, out);
            }
            let _ = fs::remove_dir_all(&old);
            let _ = fs::remove_dir_all(&dir);
            let _ = fs::remove_file(&path);
        } else if !n.ends_with(".old") && !names.iter().any(|l| l.strip_suffix(LOCK_SUFFIX) == Some(n.as_str())) {
            // A staging folder without its lock file: its build is gone (a running build
            // creates the lock file first and removes it last).
            if !lock_path(&path).exists() {
                let _ = fs::remove_dir_all(&path);
            }
        }
    }
}

/// Refuses to replace a folder that is not a build output: the site itself, a parent of
/// it, a folder holding another site, a folder with files that no build wrote (no
/// `search/engine.bin`), or a folder inside the site's own folders
/// ([`SITE_FOLDERS`], or hidden ones such as `.git`).
pub(crate) fn guard_output(root: &Path, out: &Path) -> Result<(), Error> {
    let canonical = |p: &Path| p.canonicalize().unwrap_or_else(|_| p.to_path_buf());
    let root_c = canonical(root);
    let out_c = absolute(out);
    if let Ok(inside) = out_c.strip_prefix(&root_c) {
        let first = inside.components().next().map(|c| c.as_os_str().to_string_lossy().into_owned());
        if let Some(folder) = first.filter(|f| SITE_FOLDERS.contains(&f.as_str()) || f.starts_with('.')) {
            return Err(Error::OutputInSite { out: out.to_path_buf(), folder });
        }
    }
    if out.exists() && (root_c.starts_with(&out_c) || out.join("site.yaml").exists() || out.join("content").is_dir()) {
        return Err(Error::UnsafeOutput(out.to_path_buf()));
    }
    if out.exists() && !out.is_dir() {
        return Err(Error::UnsafeOutput(out.to_path_buf()));
    }
    // A folder with files in it is replaced only when a build wrote it: every build
    // writes the search engine, whatever the theme.
    let has_files = fs::read_dir(out).map(|mut entries| entries.next().is_some()).unwrap_or(false);
    if has_files && !out.join(ENGINE_PATH).is_file() {
        return Err(Error::NotAnOutput(out.to_path_buf()));
    }
    Ok(())
}

/// Where the search module is written, below the output root. Every build writes it, so
/// it also tells a folder a build wrote from one it did not ([`guard_output`]).
pub(crate) const ENGINE_PATH: &str = "search/engine.bin";

/// The folders of a site that hold what its editors write: an output inside one of them
/// would replace their files.
const SITE_FOLDERS: [&str; 4] = ["content", "static", "themes", "i18n"];

/// `path` made absolute with its links resolved, also when it does not exist yet: its
/// nearest existing ancestor canonicalised, and the rest appended.
fn absolute(path: &Path) -> PathBuf {
    let mut rest = Vec::new();
    let mut at = path;
    loop {
        if let Ok(c) = at.canonicalize() {
            return rest.iter().rev().fold(c, |p: PathBuf, part| p.join(part));
        }
        match (at.parent(), at.file_name()) {
            (Some(parent), Some(name)) => {
                rest.push(name.to_os_string());
                at = if parent.as_os_str().is_empty() { Path::new(".") } else { parent };
            }
            _ => return path.to_path_buf(),
        }
    }
}

fn safe_join(base: &Path, rel: &str) -> Result<PathBuf, Error> {
    let mut p = base.to_path_buf();
    for seg in rel.split('/') {
        if seg.is_empty() || seg == "." || seg == ".." {
            return Err(Error::Internal(format!("refusing to write outside the output: `{rel}`")));
        }
        p.push(seg);
    }
    Ok(p)
}

fn create_parent(path: &Path) -> Result<(), Error> {
    if let Some(parent) = path.parent() {
        fs::create_dir_all(parent).map_err(|e| Error::io(parent, e))?;
    }
    Ok(())
}

#[cfg(unix)]
fn set_dir_mode(dir: &Path) -> Result<(), Error> {
    use std::os::unix::fs::PermissionsExt;
    // tempfile creates private folders; web servers need to read the output.
    fs::set_permissions(dir, fs::Permissions::from_mode(0o755)).map_err(|e| Error::io(dir, e))
}

#[cfg(not(unix))]
fn set_dir_mode(_dir: &Path) -> Result<(), Error> {
    Ok(())
}
