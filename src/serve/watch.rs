//! Watching the site for changes: notify's debouncer groups the events of one save
//! (editors that write a temporary file and rename it included) and the site is rebuilt
//! once per group. Only the site's own folders count, never its output.

use super::{lock, rebuild, AppState};
use crate::error::Error;
use crate::ignore::Ignore;
use crate::BuildOptions;
use notify_debouncer_full::notify::event::ModifyKind;
use notify_debouncer_full::notify::{EventKind, RecursiveMode};
use notify_debouncer_full::{new_debouncer, DebounceEventResult};
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::Duration;

/// How long a save may go quiet before the site is rebuilt: long enough to group the
/// writes and renames of one save, short enough not to be felt.
const QUIET: Duration = Duration::from_millis(40);

/// What a site is made of, relative to its root.
const WATCHED: [&str; 5] = ["content", "i18n", "themes", "static", "site.yaml"];

pub(super) fn spawn(state: AppState, opts: BuildOptions) -> Result<(), Error> {
    let (tx, mut rx) = tokio::sync::mpsc::unbounded_channel::<()>();
    let root = opts.root.canonicalize().unwrap_or_else(|_| opts.root.clone());
    let out = opts.out.canonicalize().unwrap_or_else(|_| opts.out.clone());
    let watched_root = root.clone();
    let ignore = Ignore::builtin();
    let seen = Arc::clone(&state);
    let mut debouncer = new_debouncer(QUIET, None, move |result: DebounceEventResult| {
        let Ok(events) = result else {
            // Events may have been lost: the next rebuild looks at every file.
            lock(&seen.pending).unknown = true;
            return;
        };
        // Reading a file (as every build does) is an event too: only changes count.
        let changes = events.iter().filter(|e| is_change(&e.kind));
        let mut pending = lock(&seen.pending);
        let mut relevant = false;
        for event in changes {
            // An event that names no file, or whose files the watcher lost track of.
            pending.unknown |= event.paths.is_empty() || event.need_rescan();
            for path in event.paths.iter().filter(|p| concerns_site(&watched_root, &out, &ignore, p)) {
                pending.paths.insert(path.clone());
                relevant = true;
            }
        }
        drop(pending);
        if relevant {
            // Counted at once: the search indexes being made give way to this change.
            seen.changes.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
            let _ = tx.send(());
        }
    })
    .map_err(|e| Error::Internal(format!("cannot watch the site: {e}")))?;
    debouncer
        .watch(&root, RecursiveMode::Recursive)
        .map_err(|e| Error::Internal(format!("cannot watch {}: {e}", root.display())))?;
    tokio::spawn(async move {
        // The debouncer stops watching when dropped: it lives as long as this task.
        let _debouncer = debouncer;
        while rx.recv().await.is_some() {
            // Saves that came in while building are handled by one more build.
            while rx.try_recv().is_ok() {}
            rebuild(&state, &opts, true).await;
        }
    });
    Ok(())
}

/// The site's files changed since a rebuild last took them ([`take`]), as the watcher
/// named them.
#[derive(Default)]
pub(super) struct Pending {
    /// The files named (absolute).
    paths: BTreeSet<PathBuf>,
    /// Whether a change may have gone unnamed (lost events, an event without a file).
    unknown: bool,
}

/// The files changed since the last call, or `None` when a change may have gone unnamed
/// (the rebuild then looks at every file).
pub(super) fn take(pending: &Mutex<Pending>) -> Option<BTreeSet<PathBuf>> {
    let Pending { paths, unknown } = std::mem::take(&mut *lock(pending));
    (!unknown).then_some(paths)
}

fn is_change(kind: &EventKind) -> bool {
    matches!(
        kind,
        EventKind::Any
            | EventKind::Create(_)
            | EventKind::Remove(_)
            | EventKind::Modify(ModifyKind::Any | ModifyKind::Data(_) | ModifyKind::Name(_) | ModifyKind::Other)
    )
}

/// Whether a changed path is part of the site (and not its output, a hidden file or an
/// editor's leftover: a save writes those too). `ignore:` globs are not read here: a
/// change to an ignored file rebuilds the site to the same result.
fn concerns_site(root: &Path, out: &Path, ignore: &Ignore, path: &Path) -> bool {
    if path.starts_with(out) {
        return false;
    }
    let Ok(rel) = path.strip_prefix(root) else { return false };
    let mut parts = rel.components().map(|c| c.as_os_str().to_string_lossy().into_owned());
    let Some(first) = parts.next() else { return false };
    let rel = rel.components().map(|c| c.as_os_str().to_string_lossy()).collect::<Vec<_>>().join("/");
    WATCHED.contains(&first.as_str()) && !ignore.skips(&rel)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_the_sites_own_files_trigger_a_build() {
        let root = Path::new("/site");
        let out = Path::new("/site/public");
        let ignore = Ignore::builtin();
        assert!(concerns_site(root, out, &ignore, Path::new("/site/content/pilots/a.en.md")));
        assert!(concerns_site(root, out, &ignore, Path::new("/site/site.yaml")));
        assert!(concerns_site(root, out, &ignore, Path::new("/site/themes/default/templates/page.html")));
        assert!(!concerns_site(root, out, &ignore, Path::new("/site/public/en/index.html")));
        assert!(!concerns_site(root, out, &ignore, Path::new("/site/content/.a.en.md.swp")));
        for leftover in ["a.en.md~", "4913", "a.en.md0HlVyu.bck", "Thumbs.db", "a.en.md.orig"] {
            assert!(
                !concerns_site(root, out, &ignore, &Path::new("/site/content/pilots").join(leftover)),
                "{leftover}"
            );
        }
        assert!(!concerns_site(root, out, &ignore, Path::new("/site/target/debug/x")));
        assert!(!concerns_site(root, out, &ignore, Path::new("/elsewhere/content/a.md")));
    }
}
