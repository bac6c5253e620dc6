//! Write stage: every file goes into a temporary folder beside the output, which replaces
//! the output only once everything is written. A failed build leaves the previous output
//! exactly as it was.
//!
//! `serve` rebuilds write differently: they know what the previous build wrote
//! ([`Written`]), so they replace only the files whose bytes changed (each one atomically,
//! by renaming a finished temporary file over it) and remove the ones no longer built.

use crate::render::theme::StaticSource;
use crate::render::OutputFile;
use crate::Error;
use rayon::prelude::*;
use std::collections::{BTreeMap, HashMap};
use std::fs;
use std::hash::{DefaultHasher, Hash, Hasher};
use std::path::{Path, PathBuf};
use std::time::SystemTime;

/// What a build left in the output: a fingerprint of every file, by path.
#[derive(Debug, Default)]
pub struct Written {
    files: HashMap<String, u64>,
}

impl Written {
    /// Whether nothing is known of the output (no build yet).
    pub fn is_empty(&self) -> bool {
        self.files.is_empty()
    }

    /// Records a full write of `files` and `statics`.
    pub fn record(&mut self, files: &[OutputFile], statics: &BTreeMap<String, StaticSource>) {
        self.files = fingerprints(files, statics).into_iter().collect();
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
/// among `keep` nor written now are removed. Returns how many files were written.
pub fn write_changed(
    out: &Path,
    files: &[OutputFile],
    statics: &BTreeMap<String, StaticSource>,
    written: &mut Written,
    prune: Option<&[&str]>,
) -> Result<usize, Error> {
    let now = fingerprints(files, statics);
    let changed: Vec<&(String, u64)> =
        now.iter().filter(|(path, print)| written.files.get(path) != Some(print) || !out.join(path).exists()).collect();
    let by_path: HashMap<&str, &OutputFile> = files.iter().map(|f| (f.path.as_str(), f)).collect();
    changed.par_iter().try_for_each(|(rel, _)| {
        let dest = safe_join(out, rel)?;
        create_parent(&dest)?;
        match by_path.get(rel.as_str()) {
            Some(f) => replace(&dest, |tmp| fs::write(tmp, &f.bytes)),
            None => match statics.get(rel) {
                Some(StaticSource::Embedded(bytes)) => replace(&dest, |tmp| fs::write(tmp, bytes)),
                Some(StaticSource::Disk(path)) => replace(&dest, |tmp| fs::copy(path, tmp).map(|_| ())),
                None => Ok(()),
            },
        }
    })?;
    let count = changed.len();
    if let Some(keep) = prune {
        let current: std::collections::HashSet<&str> =
            now.iter().map(|(p, _)| p.as_str()).chain(keep.iter().copied()).collect();
        let gone: Vec<String> = written.files.keys().filter(|p| !current.contains(p.as_str())).cloned().collect();
        for rel in gone {
            written.files.remove(&rel);
            let path = safe_join(out, &rel)?;
            match fs::remove_file(&path) {
                Ok(()) => remove_empty_parents(out, &path),
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
                Err(e) => return Err(Error::io(&path, e)),
            }
        }
    }
    written.files.extend(now);
    Ok(count)
}

/// Writes `dest` through a temporary file beside it, so that it is never seen half written.
fn replace(dest: &Path, write: impl FnOnce(&Path) -> std::io::Result<()>) -> Result<(), Error> {
    let name = dest.file_name().map_or_else(String::new, |n| n.to_string_lossy().into_owned());
    let tmp = dest.with_file_name(format!(".{name}.new"));
    write(&tmp).map_err(|e| Error::io(&tmp, e))?;
    fs::rename(&tmp, dest).map_err(|e| {
        let _ = fs::remove_file(&tmp);
        Error::io(dest, e)
    })
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

/// Writes `files` and `statics` (generated files win over static ones) to `out`, atomically.
pub fn write_site(out: &Path, files: &[OutputFile], statics: &BTreeMap<String, StaticSource>) -> Result<(), Error> {
    let staging = Staging::new(out, statics)?;
    files.par_iter().try_for_each(|f| staging.write(f))?;
    staging.finish()
}

/// A new output being written in a temporary folder beside `out`, which replaces `out` only
/// when [`Staging::finish`] is called; dropped unfinished, it is removed and `out` is left
/// as it was.
pub struct Staging {
    tmp: tempfile::TempDir,
    out: PathBuf,
    parent: PathBuf,
    name: String,
}

impl Staging {
    /// Starts a new output with the static files (written first: generated files of the
    /// same path replace them).
    pub fn new(out: &Path, statics: &BTreeMap<String, StaticSource>) -> Result<Staging, Error> {
        let parent = match out.parent() {
            Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
            _ => PathBuf::from("."),
        };
        fs::create_dir_all(&parent).map_err(|e| Error::io(&parent, e))?;
        let name = out.file_name().map_or_else(|| "public".into(), |n| n.to_string_lossy().into_owned());
        let tmp = tempfile::Builder::new()
            .prefix(&format!(".{name}.new-"))
            .tempdir_in(&parent)
            .map_err(|e| Error::io(&parent, e))?;
        set_dir_mode(tmp.path())?;
        statics.par_iter().try_for_each(|(rel, src)| {
            let dest = safe_join(tmp.path(), rel)?;
            create_parent(&dest)?;
            match src {
                StaticSource::Embedded(bytes) => fs::write(&dest, bytes).map_err(|e| Error::io(&dest, e)),
                StaticSource::Disk(path) => fs::copy(path, &dest).map(|_| ()).map_err(|e| Error::io(path, e)),
            }
        })?;
        Ok(Staging { tmp, out: out.to_path_buf(), parent, name })
    }

    /// Writes one generated file.
    pub fn write(&self, f: &OutputFile) -> Result<(), Error> {
        let dest = safe_join(self.tmp.path(), &f.path)?;
        create_parent(&dest)?;
        fs::write(&dest, &f.bytes).map_err(|e| Error::io(&dest, e))
    }

    /// Puts the new output in place of the old one.
    pub fn finish(self) -> Result<(), Error> {
        swap(self.tmp, &self.out, &self.parent, &self.name)
    }
}

fn swap(tmp: tempfile::TempDir, out: &Path, parent: &Path, name: &str) -> Result<(), Error> {
    let new = tmp.keep();
    if out.exists() {
        let old = tempfile::Builder::new()
            .prefix(&format!(".{name}.old-"))
            .tempdir_in(parent)
            .map_err(|e| Error::io(parent, e))?
            .keep();
        // `old` is an empty folder we own: renaming over it moves the previous output aside.
        fs::remove_dir(&old).map_err(|e| Error::io(&old, e))?;
        if let Err(e) = fs::rename(out, &old) {
            let _ = fs::remove_dir_all(&new);
            return Err(Error::io(out, e));
        }
        if let Err(e) = fs::rename(&new, out) {
            let _ = fs::rename(&old, out);
            let _ = fs::remove_dir_all(&new);
            return Err(Error::io(out, e));
        }
        fs::remove_dir_all(&old).map_err(|e| Error::io(&old, e))?;
    } else if let Err(e) = fs::rename(&new, out) {
        let _ = fs::remove_dir_all(&new);
        return Err(Error::io(out, e));
    }
    Ok(())
}

/// Refuses to replace a folder that is not a build output: the site itself, or a parent of it.
pub fn guard_output(root: &Path, out: &Path) -> Result<(), Error> {
    let canonical = |p: &Path| p.canonicalize().unwrap_or_else(|_| p.to_path_buf());
    let root_c = canonical(root);
    let out_c = canonical(out);
    if out.exists() && (root_c.starts_with(&out_c) || out.join("site.yaml").exists() || out.join("content").is_dir()) {
        return Err(Error::UnsafeOutput(out.to_path_buf()));
    }
    if out.exists() && !out.is_dir() {
        return Err(Error::UnsafeOutput(out.to_path_buf()));
    }
    Ok(())
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
