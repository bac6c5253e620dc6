//! Writing over the output in place, as `serve`'s rebuilds do: they know what the previous
//! build wrote ([`Written`]), so they replace only the files whose bytes changed (each one
//! atomically, by renaming a finished temporary file over it) and remove the ones no
//! longer built. The search indexes are written apart from the pages
//! ([`write_index_files`]), after them, and can give way to a newer change.

use super::{create_parent, safe_join, Interrupt, OutputFile, StaticSource};
use crate::error::Error;
use rayon::prelude::*;
use std::collections::{BTreeMap, HashMap, HashSet};
use std::fs;
use std::hash::{DefaultHasher, Hash, Hasher};
use std::path::Path;
use std::time::SystemTime;

/// A file of the output: its path below the output root and a fingerprint of its bytes.
type Record = (String, u64);

/// What a build left in the output: a fingerprint of every file, by path.
#[derive(Debug, Default)]
pub(crate) struct Written {
    files: HashMap<String, u64>,
}

impl Written {
    /// Whether nothing is known of the output (no build yet).
    pub(crate) fn is_empty(&self) -> bool {
        self.files.is_empty()
    }

    /// Records a full write of `files` and `statics`.
    pub(crate) fn record(&mut self, files: &[OutputFile], statics: &BTreeMap<String, StaticSource>) {
        self.files = fingerprints(files, statics).into_iter().collect();
    }

    /// Takes out the records of the files whose path `which` accepts (the search
    /// indexes', which are written apart from the pages), and returns them.
    pub(crate) fn split_off(&mut self, which: impl Fn(&str) -> bool) -> Written {
        let (taken, kept) = std::mem::take(&mut self.files).into_iter().partition(|(path, _)| which(path));
        self.files = kept;
        Written { files: taken }
    }
}

fn fingerprint_bytes(bytes: &[u8]) -> u64 {
    let mut h = DefaultHasher::new();
    bytes.hash(&mut h);
    h.finish()
}

/// A file of the site is known by its size and modification time, not read again.
fn fingerprint_disk(path: &Path) -> u64 {
    let meta = fs::metadata(path).ok();
    let mut h = DefaultHasher::new();
    path.hash(&mut h);
    meta.as_ref().map(|m| m.len()).hash(&mut h);
    meta.and_then(|m| m.modified().ok()).and_then(|t| t.duration_since(SystemTime::UNIX_EPOCH).ok()).hash(&mut h);
    h.finish()
}

/// The fingerprint of every file of the output: generated files (hashed in parallel, they
/// are most of the bytes) and the static files they do not replace.
fn fingerprints(files: &[OutputFile], statics: &BTreeMap<String, StaticSource>) -> Vec<(String, u64)> {
    let mut out: Vec<(String, u64)> = files.par_iter().map(|f| (f.path.clone(), fingerprint_bytes(&f.bytes))).collect();
    let generated: std::collections::HashSet<&str> = files.iter().map(|f| f.path.as_str()).collect();
    for (rel, src) in statics.iter().filter(|(rel, _)| !generated.contains(rel.as_str())) {
        let print = match src {
            StaticSource::Embedded(bytes) => fingerprint_bytes(bytes),
            StaticSource::Disk(path) => fingerprint_disk(path),
        };
        out.push((rel.clone(), print));
    }
    out
}

/// Writes, in place, those of `files` and `statics` that differ from what `written` says
/// is in `out`, and records them. With `prune`, files of the previous build that are not
/// among `keep` nor written now are removed. Returns the files written (those whose bytes
/// changed, or that were missing), in no particular order, each with whether a file was
/// there before. A static file deleted from the site since it was listed is left out (the
/// rebuild that its deletion starts removes it). Temporary files are removed if
/// `interrupt` is stopped meanwhile.
pub(crate) fn write_changed(
    out: &Path,
    files: &[OutputFile],
    statics: &BTreeMap<String, StaticSource>,
    written: &mut Written,
    prune: Option<&[&str]>,
    interrupt: &Interrupt,
) -> Result<Vec<(String, bool)>, Error> {
    let now = fingerprints(files, statics);
    let changed: Vec<&(String, u64)> =
        now.iter().filter(|(path, print)| written.files.get(path) != Some(print) || !out.join(path).exists()).collect();
    let by_path: HashMap<&str, &OutputFile> = files.iter().map(|f| (f.path.as_str(), f)).collect();
    let gone: HashSet<&str> = changed
        .par_iter()
        .map(|(rel, _)| {
            let dest = safe_join(out, rel)?;
            create_parent(&dest)?;
            match by_path.get(rel.as_str()) {
                Some(f) => replace(&dest, interrupt, |tmp| fs::write(tmp, &f.bytes)).map(|()| None),
                None => match statics.get(rel) {
                    Some(StaticSource::Embedded(bytes)) => {
                        replace(&dest, interrupt, |tmp| fs::write(tmp, bytes)).map(|()| None)
                    }
                    Some(StaticSource::Disk(path)) => {
                        match replace(&dest, interrupt, |tmp| fs::copy(path, tmp).map(|_| ())) {
                            Err(_) if !path.exists() => Ok(Some(rel.as_str())),
                            done => done.map(|()| None),
                        }
                    }
                    None => Ok(None),
                },
            }
        })
        .collect::<Result<Vec<Option<&str>>, Error>>()?
        .into_iter()
        .flatten()
        .collect();
    let written_now: Vec<(String, bool)> = (changed.iter())
        .filter(|(path, _)| !gone.contains(path.as_str()))
        .map(|(path, _)| (path.clone(), written.files.contains_key(path)))
        .collect();
    if let Some(keep) = prune {
        let current: HashSet<&str> = now.iter().map(|(p, _)| p.as_str()).chain(keep.iter().copied()).collect();
        remove_others(out, written, &current, &|| false)?;
    }
    let gone: HashSet<String> = gone.into_iter().map(str::to_string).collect();
    written.files.extend(now.into_iter().filter(|(path, _)| !gone.contains(path)));
    Ok(written_now)
}

/// Writes a build's search index files (`files`, every file below `search/`) over those
/// of the previous build that `written` records, as `serve` does after the pages. The
/// files that `is_page` accepts go first; the entries, which name the pages (and the
/// engine), only once all of them are in place, so that a reader never loads an entry
/// whose pages are missing. Then the previous indexes' files go.
///
/// Gives way when `stop` says a newer change is waiting (it is asked before each file):
/// returns `Ok(false)`, leaving the previous entries in use and the files written so far
/// recorded, for the next build to keep or remove. `Ok(true)`: every file is in place.
pub(crate) fn write_index_files(
    out: &Path,
    files: &[OutputFile],
    written: &mut Written,
    is_page: fn(&str) -> bool,
    (stop, interrupt): (&(dyn Fn() -> bool + Sync), &Interrupt),
) -> Result<bool, Error> {
    let now = fingerprints(files, &BTreeMap::new());
    let bytes: HashMap<&str, &[u8]> = files.iter().map(|f| (f.path.as_str(), f.bytes.as_slice())).collect();
    let (pages, entries): (Vec<&Record>, Vec<&Record>) = now
        .iter()
        .filter(|(path, print)| written.files.get(path) != Some(print) || !out.join(path).exists())
        .partition(|(path, _)| is_page(path));
    for group in [pages, entries] {
        let done: Vec<Option<&Record>> = group
            .par_iter()
            .map(|&item| {
                if stop() {
                    return Ok(None);
                }
                let dest = safe_join(out, &item.0)?;
                create_parent(&dest)?;
                let data = bytes.get(item.0.as_str()).copied().unwrap_or_default();
                replace(&dest, interrupt, |tmp| fs::write(tmp, data)).map(|()| Some(item))
            })
            .collect::<Result<_, Error>>()?;
        let complete = done.iter().all(Option::is_some);
        written.files.extend(done.into_iter().flatten().cloned());
        if !complete {
            return Ok(false);
        }
    }
    let current: HashSet<&str> = now.iter().map(|(p, _)| p.as_str()).collect();
    remove_others(out, written, &current, stop)
}

/// Whether every one of `files` is in `out` as `written` records it, with these bytes:
/// writing them would change nothing.
pub(crate) fn all_written(out: &Path, files: &[OutputFile], written: &Written) -> bool {
    let now = fingerprints(files, &BTreeMap::new());
    now.iter().all(|(path, print)| written.files.get(path) == Some(print) && out.join(path).exists())
}

/// Removes the files that `written` records and `current` does not name, and their
/// records, until `stop` says to give way (`Ok(false)`; the rest stay recorded).
fn remove_others(
    out: &Path,
    written: &mut Written,
    current: &HashSet<&str>,
    stop: &(dyn Fn() -> bool + Sync),
) -> Result<bool, Error> {
    let gone: Vec<String> = written.files.keys().filter(|p| !current.contains(p.as_str())).cloned().collect();
    for rel in gone {
        if stop() {
            return Ok(false);
        }
        written.files.remove(&rel);
        let path = safe_join(out, &rel)?;
        match fs::remove_file(&path) {
            Ok(()) => remove_empty_parents(out, &path),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
            Err(e) => return Err(Error::io(&path, e)),
        }
    }
    Ok(true)
}

/// Writes `dest` through a temporary file beside it, so that it is never seen half written.
/// If the build is interrupted meanwhile, the temporary file is removed.
fn replace(dest: &Path, interrupt: &Interrupt, write: impl FnOnce(&Path) -> std::io::Result<()>) -> Result<(), Error> {
    let name = dest.file_name().map_or_else(String::new, |n| n.to_string_lossy().into_owned());
    let tmp = dest.with_file_name(format!(".{name}.new"));
    interrupt.track(&tmp)?;
    let result = {
        let _hold = interrupt.hold()?;
        write(&tmp).map_err(|e| Error::io(&tmp, e)).and_then(|()| {
            fs::rename(&tmp, dest).map_err(|e| {
                let _ = fs::remove_file(&tmp);
                Error::io(dest, e)
            })
        })
    };
    interrupt.untrack(&tmp);
    result
}

/// Removes the folders left empty by a removed file, up to the output.
fn remove_empty_parents(out: &Path, file: &Path) {
    let mut dir = file.parent();
    while let Some(d) = dir {
        if d == out || fs::remove_dir(d).is_err() {
            break;
        }
        dir = d.parent();
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::{AtomicUsize, Ordering};

    fn file(path: &str, text: &str) -> OutputFile {
        OutputFile { path: path.into(), bytes: text.as_bytes().to_vec() }
    }

    fn is_page(path: &str) -> bool {
        path.matches('/').count() == 3
    }

    /// An index's pages go before its entry; a job that gives way leaves the previous entry
    /// in use and its own pages recorded, and the next one writes the rest and removes
    /// the previous files.
    #[test]
    fn index_files_go_pages_first_and_give_way() {
        let out = tempfile::tempdir().expect("tempdir");
        let out = out.path();
        let interrupt = Interrupt::default();
        let mut written = Written::default();
        let first = [file("search/en/index.bin", "entry a"), file("search/en/a/0.bin", "page a0")];
        assert_eq!(write_index_files(out, &first, &mut written, is_page, (&|| false, &interrupt)).ok(), Some(true));
        let second = [
            file("search/en/index.bin", "entry b"),
            file("search/en/b/0.bin", "page b0"),
            file("search/en/b/1.bin", "page b1"),
        ];
        // Asked before each file: the second file asked about finds the change waiting.
        let asked = AtomicUsize::new(0);
        let stop = || asked.fetch_add(1, Ordering::SeqCst) >= 1;
        assert_eq!(write_index_files(out, &second, &mut written, is_page, (&stop, &interrupt)).ok(), Some(false));
        let read = |rel: &str| fs::read_to_string(out.join(rel)).ok();
        assert_eq!(read("search/en/index.bin").as_deref(), Some("entry a"), "the previous entry stays in use");
        assert_eq!(read("search/en/a/0.bin").as_deref(), Some("page a0"), "with its pages");
        let new_pages = ["search/en/b/0.bin", "search/en/b/1.bin"].iter().filter(|p| read(p).is_some()).count();
        assert_eq!(new_pages, 1, "one new page was written before the job gave way");
        assert_eq!(write_index_files(out, &second, &mut written, is_page, (&|| false, &interrupt)).ok(), Some(true));
        assert_eq!(read("search/en/index.bin").as_deref(), Some("entry b"));
        assert_eq!(read("search/en/b/1.bin").as_deref(), Some("page b1"));
        assert!(!out.join("search/en/a").exists(), "the previous pages and their folder are gone");
        let mut recorded: Vec<&String> = written.files.keys().collect();
        recorded.sort();
        assert_eq!(recorded, ["search/en/b/0.bin", "search/en/b/1.bin", "search/en/index.bin"]);
    }

    /// A file beside the pages deleted after the build listed it is left out, and not
    /// recorded; the page written with it is, and says whether one was there before.
    #[test]
    fn a_static_file_deleted_meanwhile_is_left_out() {
        let dir = tempfile::tempdir().expect("tempdir");
        let out = dir.path().join("out");
        let mut written = Written::default();
        let gone = dir.path().join("gone.pdf");
        let statics = BTreeMap::from([("gone.pdf".to_string(), StaticSource::Disk(gone))]);
        let pages = [file("en/index.html", "home")];
        let interrupt = Interrupt::default();
        let first = write_changed(&out, &pages, &statics, &mut written, None, &interrupt).expect("written");
        assert_eq!(first, vec![("en/index.html".to_string(), false)]);
        assert!(!written.files.contains_key("gone.pdf") && !out.join("gone.pdf").exists());
        let pages = [file("en/index.html", "home again")];
        let second = write_changed(&out, &pages, &BTreeMap::new(), &mut written, None, &interrupt).expect("written");
        assert_eq!(second, vec![("en/index.html".to_string(), true)]);
    }
}
