//! Rebuilds after an edit of page texts alone, told which files changed
//! ([`crate::Session::changed`]): the files named are parsed again, and the site that the
//! last rebuild resolved is patched with their new bodies, instead of loading, parsing and
//! resolving every file again. Then only the files that show those texts are rendered
//! ([`Plan::Texts`](super::Plan::Texts)), as a whole rebuild would decide.
//!
//! That stands for a whole rebuild only when the edit changes nothing that resolving
//! reads or reports. Each file named must be a page file the site holds, which parses
//! without a problem and had none before (no message to place among the others), and of
//! which only the body's text changed:
//! - the same front matter;
//! - the same links, to the same targets (their resolution, backlinks and mentions);
//! - the same headings' anchors and other anchors (which other pages' links name);
//! - the same face: its summary, drawn from the first paragraph when the front matter
//!   has none, included (lists and cards show it);
//! - no translation records its content hash (their status would change: up to date,
//!   stale);
//! - the same languages' print versions in parts (`print.max_size`).
//!
//! Anything else (a file added, deleted or renamed, `site.yaml`, a template, an interface
//! or static file, a draft, a path the watcher could not name) is a whole rebuild.

use super::{face_of, print_parts, relations_of, text_of, Snapshot};
use crate::config::Lang;
use crate::content::markdown::{BodyTools, LinkTarget};
use crate::content::{ParseCache, ParsedPage};
use crate::diagnostics::Diagnostics;
use crate::output::StaticSource;
use crate::site::{IdIdx, Site};
use crate::{lang, render};
use std::collections::BTreeMap;
use std::collections::BTreeSet;
use std::path::{Component, Path, PathBuf};
use std::sync::Arc;

/// What the output was last rendered from, whole: what a rebuild after an edit of texts
/// alone patches instead of loading, parsing and resolving every file again.
pub(crate) struct Kept {
    /// The resolved site (shared with that rebuild's index job).
    pub(crate) site: Arc<Site>,
    pub(crate) theme: render::theme::Theme,
    pub(crate) i18n: Arc<lang::I18n>,
    /// The formats of the dates its pages show (a text edit changes none).
    pub(crate) dates: lang::DateFormats,
    pub(crate) statics: BTreeMap<String, StaticSource>,
    /// Every problem that rebuild reported.
    pub(crate) diagnostics: Diagnostics,
    /// The options it was built with (see `crate::rebuild`).
    pub(crate) options: u64,
}

/// A page file's new text: its index in [`Site::pages`], and the file parsed again.
pub(crate) struct Change {
    at: usize,
    now: ParsedPage,
}

/// Parses again the files `changed` names (absolute, below `root` as given or as
/// `canonical`, or relative to it), when each is a page file of `kept`'s site whose text
/// alone changed (see the module's documentation); `None` otherwise, or when `changed`
/// names nothing.
pub(crate) fn reparse(
    kept: &Kept,
    parsed: &mut ParseCache,
    tools: &BodyTools,
    (root, canonical): (&Path, &Path),
    changed: &BTreeSet<PathBuf>,
) -> Option<Vec<Change>> {
    let site = &kept.site;
    let mut changes = Vec::with_capacity(changed.len());
    for path in changed {
        let rel = site_relative(path, root, canonical)?;
        let at = site.pages.iter().position(|p| p.file == rel)?;
        if kept.diagnostics.iter().any(|d| d.file == rel) {
            return None;
        }
        let (before, now) = parsed.reparse(&rel, &site.config, tools, &kept.i18n)?;
        if !text_alone(&before, &now) || (before.hash != now.hash && hash_recorded(site, at)) {
            return None;
        }
        changes.push(Change { at, now });
    }
    (!changes.is_empty()).then_some(changes)
}

/// Patches `kept`'s site with `changes` and records their texts in `snapshot` (which
/// describes the output): the texts changed, by page id and language, whose files are to
/// be rendered again. `None` when a change turns out to alter more than texts (a face, a
/// translation status, the print versions in parts); the site is then patched in part,
/// and `snapshot` untouched: the caller drops the site and rebuilds everything.
///
/// The site is shared with the index job of the rebuild that made it: while that job
/// runs, the site is copied first.
pub(crate) fn apply(kept: &mut Kept, snapshot: &mut Snapshot, changes: Vec<Change>) -> Option<BTreeSet<(IdIdx, Lang)>> {
    let site: &mut Site = Arc::make_mut(&mut kept.site);
    let mut ids = BTreeSet::new();
    let mut patched = Vec::with_capacity(changes.len());
    for Change { at, now } in changes {
        let page = &mut site.pages[at];
        (page.body, page.hash, page.digest) = (now.body, now.hash, now.digest);
        ids.insert(page.id);
        patched.push(at);
    }
    let site: &Site = site;
    for at in patched {
        let page = &site.pages[at];
        if snapshot.faces.get(at) != Some(&face_of(site, page, relations_of(page))) {
            return None;
        }
    }
    if print_parts(site) != snapshot.print_parts {
        return None;
    }
    let languages = &site.config.languages;
    let mut texts = Vec::new();
    for &id in &ids {
        for (l, lang) in languages.iter().enumerate() {
            let (kind, text) = text_of(site, id, lang);
            if snapshot.statuses.get(id.0 as usize * languages.len() + l) != Some(&kind) {
                return None;
            }
            if snapshot.text.get(&(id, lang.clone())) != Some(&text) {
                texts.push(((id, lang.clone()), text));
            }
        }
    }
    let mut changed = BTreeSet::new();
    for (key, text) in texts {
        changed.insert(key.clone());
        snapshot.text.insert(key, text);
    }
    Some(changed)
}

/// Whether `now` differs from `before` only in what its body says: the same front
/// matter, links (by target and as written; where they stand does not matter) and
/// anchors.
fn text_alone(before: &ParsedPage, now: &ParsedPage) -> bool {
    fn links(p: &ParsedPage) -> Vec<(&LinkTarget, &String)> {
        p.body.links.iter().map(|l| (&l.target, &l.written)).collect()
    }
    fn anchors(p: &ParsedPage) -> Vec<&str> {
        p.body.headings.iter().map(|h| h.id.as_str()).chain(p.body.anchors.iter().map(String::as_str)).collect()
    }
    before.fm_print == now.fm_print && links(before) == links(now) && anchors(before) == anchors(now)
}

/// Whether another file of the page at `at` (a translation) records a content hash in
/// `translated_from`, whose status the page's hash decides.
fn hash_recorded(site: &Site, at: usize) -> bool {
    let page = &site.pages[at];
    let sources = site.info(page.id).sources.values();
    sources.map(|&p| site.page(p)).any(|other| other.file != page.file && other.fm.translated_from.is_some())
}

/// `path` relative to the site root, with `/` separators (as [`crate::site::Page::file`]
/// names files); `None` when it is not below the root, or not in UTF-8.
pub(crate) fn site_relative(path: &Path, root: &Path, canonical: &Path) -> Option<String> {
    let rel = match path.is_absolute() {
        true => path.strip_prefix(canonical).or_else(|_| path.strip_prefix(root)).ok()?,
        false => path,
    };
    let parts = rel.components().map(|c| match c {
        Component::Normal(part) => part.to_str(),
        _ => None,
    });
    Some(parts.collect::<Option<Vec<&str>>>()?.join("/"))
}
