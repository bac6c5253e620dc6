//! Write stage: every file goes into a temporary folder beside the output, which replaces
//! the output only once everything is written. A failed build leaves the previous output
//! exactly as it was.

use crate::render::theme::StaticSource;
use crate::render::OutputFile;
use crate::Error;
use rayon::prelude::*;
use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};

/// Writes `files` and `statics` (generated files win over static ones) to `out`, atomically.
pub fn write_site(out: &Path, files: &[OutputFile], statics: &BTreeMap<String, StaticSource>) -> Result<(), Error> {
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
    // Generated files win over static ones of the same path: statics first, then files.
    statics.par_iter().try_for_each(|(rel, src)| {
        let dest = safe_join(tmp.path(), rel)?;
        create_parent(&dest)?;
        match src {
            StaticSource::Embedded(bytes) => fs::write(&dest, bytes).map_err(|e| Error::io(&dest, e)),
            StaticSource::Disk(path) => fs::copy(path, &dest).map(|_| ()).map_err(|e| Error::io(path, e)),
        }
    })?;
    files.par_iter().try_for_each(|f| {
        let dest = safe_join(tmp.path(), &f.path)?;
        create_parent(&dest)?;
        fs::write(&dest, &f.bytes).map_err(|e| Error::io(&dest, e))
    })?;
    swap(tmp, out, &parent, &name)
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
