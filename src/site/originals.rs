//! Resolve stage: page ids whose original is lost. A page id is written first in the
//! default language (its original) and translated from it. When that file is gone (moved
//! or deleted) or cannot be read while a translation of it remains, the id would be
//! shown in every language with the translation's text, the default language included.
//! Such an id is found here, once, so that every page that refers to it is told (an
//! error at the reference, see [`Lost::message`]) and the translation's own warning
//! offers the right mend.
//!
//! An id known only in another language, none of whose files says it is a translation
//! (`translated_from`), is a page written in that language: it is not lost, and is shown
//! in every language as before (the translation warning still tells its editor).

use super::{IdIdx, IdInfo, Page};
use crate::config::Lang;
use crate::diagnostics::{Diagnostics, Severity};
use std::collections::BTreeMap;

/// Why a page id's original in the default language is not among its pages.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Lost {
    /// The file is gone: moved or deleted, while a translation says it was translated
    /// from it.
    Gone {
        /// The file the original would be (`content/organisations/face.en.md`).
        expected: String,
        /// A page of the default language (another id) whose content hash is the one a
        /// translation's `translated_from` gives: most likely the original, moved there.
        moved_to: Option<(String, String)>,
        /// The file shown in its place in every language without a translation.
        shown: String,
    },
    /// The file exists but could not be read or parsed: its own errors say why, and are
    /// the only ones told (see [`Lost::message`]).
    Unreadable,
}

impl Lost {
    /// The error for a reference to the lost id `id`, written as `what` (`linked page`,
    /// or the name of the reference field): the file that is missing, what readers
    /// would get, and the mends. `None` for an original that cannot be read: its own error
    /// is the one to mend, and telling every reference too would bury it.
    pub(crate) fn message(&self, what: &str, id: &str) -> Option<String> {
        Some(match self {
            Lost::Gone { expected, moved_to: Some((file, new_id)), shown } => format!(
                "{what} `{id}` has lost its original: {expected} does not exist, so readers of every language without a translation of their own would get the translation {shown}; {file} has the original's text (the hash `translated_from` names), so it seems to have been moved: rename it back to {expected}, or point this reference to `{new_id}` and rename the translations to match"
            ),
            Lost::Gone { expected, moved_to: None, shown } => format!(
                "{what} `{id}` has lost its original: {expected} does not exist, so readers of every language without a translation of their own would get the translation {shown}: restore {expected} (rename the moved original back); if the page moved to another id, point this reference there; if it was deleted on purpose, remove this reference"
            ),
            Lost::Unreadable => return None,
        })
    }
}

/// The files that would give `info` in `lang`: `content/s/slug.lang.md`, and for the
/// default language also `content/s/slug.md`.
pub(super) fn file_names(info: &IdInfo, lang: &Lang, default: &Lang) -> Vec<String> {
    let base = match &info.section {
        Some(s) => format!("content/{s}/{}", info.slug),
        None => format!("content/{}", info.slug),
    };
    let mut names = vec![format!("{base}.{lang}.md")];
    if lang == default {
        names.push(format!("{base}.md"));
    }
    names
}

/// Whether a file of the default language that would give `info` has an error already
/// (so exists but could not be read).
fn unreadable(info: &IdInfo, default: &Lang, diags: &Diagnostics) -> bool {
    let names = file_names(info, default, default);
    diags.iter().any(|d| d.severity == Severity::Error && names.contains(&d.file))
}

/// Every id with a translation whose original in `default` is lost, and why. `drafts`
/// holds the draft files by id and language: an original left out as a draft is not lost
/// (its translations say so on their own).
pub(super) fn lost_originals(
    default: &Lang,
    ids: &[IdInfo],
    pages: &[Page],
    drafts: &BTreeMap<(String, Lang), String>,
    diags: &Diagnostics,
) -> BTreeMap<IdIdx, Lost> {
    // Pages of the default language by content hash, to find an original moved elsewhere.
    let by_hash: BTreeMap<&str, &Page> =
        pages.iter().filter(|p| &p.lang == default).map(|p| (p.hash.as_str(), p)).collect();
    let mut lost = BTreeMap::new();
    for (i, info) in ids.iter().enumerate() {
        let Some(&shown) = info.sources.get(&info.original) else { continue };
        if &info.original == default || drafts.contains_key(&(info.id.clone(), default.clone())) {
            continue;
        }
        let shown = pages[shown.0 as usize].file.clone();
        if unreadable(info, default, diags) {
            lost.insert(IdIdx(i as u32), Lost::Unreadable);
            continue;
        }
        let hashes: Vec<&str> = info
            .sources
            .values()
            .filter_map(|p| pages[p.0 as usize].fm.translated_from.as_ref().map(|(h, _)| h.as_str()))
            .collect();
        if hashes.is_empty() {
            continue;
        }
        let moved_to = hashes.iter().find_map(|h| by_hash.get(h)).map(|p| {
            let new_id = ids[p.id.0 as usize].id.clone();
            (p.file.clone(), new_id)
        });
        let expected = file_names(info, default, default).swap_remove(0);
        lost.insert(IdIdx(i as u32), Lost::Gone { expected, moved_to, shown });
    }
    lost
}

/// Reports each entry of `site.yaml`'s `menu:` and `footer:` that names a page whose
/// original is lost (code `lost-original`, at the entry): every reader's menu would show
/// the translation's title and lead to its text.
pub(super) fn check_menus(
    config: &crate::config::Config,
    by_id: &BTreeMap<String, IdIdx>,
    lost: &BTreeMap<IdIdx, Lost>,
    diags: &mut Diagnostics,
) {
    use crate::config::menu::{MenuEntry, MenuTarget};
    fn walk(
        entries: &[MenuEntry],
        key: &str,
        (by_id, lost): (&BTreeMap<String, IdIdx>, &BTreeMap<IdIdx, Lost>),
        diags: &mut Diagnostics,
    ) {
        for e in entries {
            match &e.target {
                MenuTarget::Page(p) => {
                    let what = format!("the `{key}:` entry for page");
                    if let Some(message) = by_id.get(p).and_then(|id| lost.get(id)?.message(&what, p)) {
                        diags.error(crate::config::CONFIG_FILE, e.pos, "lost-original", message);
                    }
                }
                MenuTarget::Group(inner) => walk(inner, key, (by_id, lost), diags),
                MenuTarget::Section(_) => {}
            }
        }
    }
    if lost.is_empty() {
        return;
    }
    walk(config.menu.menu.as_deref().unwrap_or_default(), "menu", (by_id, lost), diags);
    walk(&config.menu.footer, "footer", (by_id, lost), diags);
}
