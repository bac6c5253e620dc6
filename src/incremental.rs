//! Rebuilds of only what an edit touched (for `serve`, through [`crate::rebuild`]): what a
//! resolved site looked like to the render stage, kept between builds, and which output
//! files an edit can alter.
//!
//! The whole site is still loaded, parsed (from the parse cache) and resolved on every
//! rebuild; only rendering is selective. Each page file's data is split in two:
//! - its *text*: its rendered body (HTML, headings, plain text) and its translation status
//!   with the hashes that decide it. A page's text is shown only by the files that show the
//!   page itself, which each family declares ([`Reads`]);
//! - everything else (its *face*: title, summary, date, fields, references, body links'
//!   targets, draft, weight, aliases...), which lists, cards, facts boxes, backlinks,
//!   menus, breadcrumbs, feeds and the reading order may show anywhere in the site.
//!
//! A rebuild renders only the files that read a changed text when nothing else changed;
//! otherwise, that is when `site.yaml`, a template, an interface string, a static file, a
//! build option, the set of page files or languages, or any page's face changed, it renders
//! everything, as a build does. A new page or a deleted page thus takes the full path. The
//! search index is rebuilt per language from its own cache either way.

use crate::config::Lang;
use crate::render::{summary, Reads};
use crate::site::{IdIdx, Site};
use crate::{BuildOptions, Prepared};
use rayon::prelude::*;
use std::collections::hash_map::DefaultHasher;
use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Debug;
use std::hash::{Hash, Hasher};

/// What a build rendered from, as fingerprints: enough to tell, at the next rebuild, which
/// output files an edit can alter.
#[derive(Debug, Clone, Default)]
pub(crate) struct Snapshot {
    /// Everything that is not a page's text: the configuration, theme, interface strings,
    /// static files and options, every page id and file, every page's face, and the kind
    /// of each translation status.
    frame: u64,
    /// Per page id and language: the text shown there.
    text: BTreeMap<(IdIdx, Lang), u64>,
    /// The path of every file rendered (not the search indexes), as the build left them.
    pub(crate) outputs: Vec<String>,
}

/// What a rebuild renders.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum Plan {
    /// Every file, as a build does.
    Everything,
    /// Only the files that show the text of one of these page ids in that language; all
    /// the others are as the previous build wrote them.
    Texts(BTreeSet<(IdIdx, Lang)>),
}

impl Plan {
    /// Whether a file that reads `reads` is to be rendered.
    pub(crate) fn renders(&self, reads: &Reads) -> bool {
        match self {
            Plan::Everything => true,
            Plan::Texts(changed) => changed.iter().any(|(id, lang)| reads.shows(*id, lang)),
        }
    }
}

fn hash_of(value: &impl Hash) -> u64 {
    let mut h = DefaultHasher::new();
    value.hash(&mut h);
    h.finish()
}

/// The hash of `value`'s debug form: for the resolved types, which have no `Hash`.
fn debug_hash(value: &impl Debug) -> u64 {
    let mut h = DefaultHasher::new();
    format!("{value:?}").hash(&mut h);
    h.finish()
}

impl Snapshot {
    /// The fingerprints of `prepared` as built with `opts` (its outputs not yet known).
    pub(crate) fn of(prepared: &Prepared, opts: &BuildOptions) -> Self {
        let site = &prepared.site;
        let mut frame = DefaultHasher::new();
        debug_hash(&site.config).hash(&mut frame);
        debug_hash(&*prepared.i18n).hash(&mut frame);
        prepared.theme.fingerprint.hash(&mut frame);
        statics_hash(&prepared.statics).hash(&mut frame);
        (opts.offline, opts.drafts, opts.source_date_epoch, &opts.base_url).hash(&mut frame);
        debug_hash(&site.ids).hash(&mut frame);
        faces(site).hash(&mut frame);
        // What a page's own files render of its body: its HTML and its contents (headings).
        let bodies: Vec<u64> =
            site.pages.par_iter().map(|p| hash_of(&(&p.body.html, debug_hash(&p.body.headings)))).collect();
        let mut text = BTreeMap::new();
        for i in 0..site.ids.len() {
            let id = IdIdx(i as u32);
            for lang in &site.config.languages {
                let shown = site.shown(id, lang);
                (shown.source, std::mem::discriminant(&shown.status)).hash(&mut frame);
                let status = debug_hash(&shown.status);
                text.insert((id, lang.clone()), hash_of(&(bodies[shown.source.0 as usize], status)));
            }
        }
        Snapshot { frame: frame.finish(), text, outputs: Vec::new() }
    }

    /// What to render now that the site is `self`, when the output is what `before`
    /// describes (`None`: unknown, render everything).
    pub(crate) fn plan(&self, before: Option<&Snapshot>) -> Plan {
        let Some(before) = before.filter(|b| b.frame == self.frame) else {
            return Plan::Everything;
        };
        // Equal frames hold the same page ids and languages: the keys are the same.
        let changed = self.text.iter().filter(|(key, print)| before.text.get(*key) != Some(*print));
        Plan::Texts(changed.map(|(key, _)| key.clone()).collect())
    }
}

/// A hash of every page file's face: all that other files may show of it.
fn faces(site: &Site) -> u64 {
    let faces: Vec<u64> = site
        .pages
        .par_iter()
        .map(|p| debug_hash(&(p.id, &p.lang, &p.file, p.kind, &p.fm, &p.link_targets, &p.refs, summary(p))))
        .collect();
    hash_of(&faces)
}

/// A hash of the static files: their paths, and for files on disk their size and time of
/// change (as the write stage fingerprints them).
fn statics_hash(statics: &BTreeMap<String, crate::output::StaticSource>) -> u64 {
    let mut h = DefaultHasher::new();
    for (rel, source) in statics {
        rel.hash(&mut h);
        match source {
            // Built into this program: the same from one rebuild to the next.
            crate::output::StaticSource::Embedded(bytes) => bytes.len().hash(&mut h),
            crate::output::StaticSource::Disk(path) => {
                let meta = std::fs::metadata(path).ok();
                meta.as_ref().map(std::fs::Metadata::len).hash(&mut h);
                meta.and_then(|m| m.modified().ok()).hash(&mut h);
            }
        }
    }
    h.finish()
}
