//! Load and parse stages for pages: discovery, reading, front matter, markdown.

pub(crate) mod chart;
pub(crate) mod discover;
pub(crate) mod frontmatter;
pub(crate) mod html;
pub(crate) mod limits;
pub(crate) mod markdown;

use crate::config::Config;
use crate::diagnostics::Diagnostics;
use crate::lang::I18n;
use discover::SourceFile;
use frontmatter::FrontMatter;
use markdown::{BodyTools, Markdown};
use rayon::prelude::*;
use std::collections::HashMap;
use std::hash::{DefaultHasher, Hash, Hasher};

/// Pages parsed by earlier builds of a `serve` session, by what they were parsed from (the
/// file's name and text, the site's configuration and interface strings): an unchanged
/// file is not parsed again.
///
/// A file whose size and time of change are those it had when it was last read is not
/// read again, provided that time was at least [`RACY`] before that reading (so that a
/// later write, which the file system may stamp with the same coarse time, cannot go
/// unseen); such a file is read and hashed as any other.
#[derive(Default)]
pub(crate) struct ParseCache {
    pages: HashMap<u64, (Option<ParsedPage>, Diagnostics)>,
    /// Per file on disk: its size and time of change, and the hash of the text read then.
    stamps: HashMap<std::path::PathBuf, Stamp>,
    /// What every page's parse depended on at the last [`parse_all`] (see `cache_key`).
    context: Option<u64>,
    /// Per file (relative to the site root), the key of its entry in `pages`.
    keys: HashMap<String, u64>,
    /// For the next [`parse_all`] only: the files (relative to the site root) that may
    /// have changed since the last one, when a file watcher named every change; the others
    /// keep their stamps without being looked at (see [`ParseCache::only_changed`]).
    only_changed: Option<std::collections::BTreeSet<String>>,
    /// What the last discovery of `content/` found, and the problems it reported.
    discovered: Option<(discover::Discovered, Diagnostics)>,
}

impl ParseCache {
    /// Tells the next [`parse_all`] that only the files `changed` (relative to the site
    /// root, `/` separators) may differ from the last parse: the stamps of the others are
    /// taken as they are, without asking the file system (ten thousand `stat` calls are
    /// a tenth of a title change's rebuild on the benchmark corpus). Only for a caller
    /// that was told of every change since then (a file watcher that lost no event).
    pub(crate) fn only_changed(&mut self, changed: std::collections::BTreeSet<String>) {
        self.only_changed = Some(changed);
    }

    /// What [`discover::discover`] would find now, without walking `content/` again: the
    /// last discovery's files and problems, when the next [`parse_all`] was told which
    /// files changed ([`ParseCache::only_changed`]) and each is a page file found then that
    /// is still a file. A file added, deleted or renamed, a folder, or any other file
    /// named (`site.yaml`, an image) needs a new discovery: `None`.
    pub(crate) fn discovered_again(&self) -> Option<(discover::Discovered, Diagnostics)> {
        let (found, diags) = self.discovered.as_ref()?;
        let still_pages = self
            .only_changed
            .as_ref()?
            .iter()
            .all(|c| found.pages.iter().find(|f| f.rel == *c).is_some_and(|f| f.abs.is_file()));
        still_pages.then(|| (found.clone(), diags.clone()))
    }

    /// Keeps what a discovery found, and its problems, for [`ParseCache::discovered_again`].
    pub(crate) fn discovered(&mut self, found: &discover::Discovered, diags: &Diagnostics) {
        self.discovered = Some((found.clone(), diags.clone()));
    }

    /// Parses again the page file `rel` (relative to the site root, `/` separators), which
    /// the last [`parse_all`] of this cache parsed from other text, with that parse's
    /// `config`, `tools` and `i18n`, and keeps the result: the page before and now. `None`
    /// when that cannot stand for a whole parse: the file was not parsed then, is gone or
    /// unreadable, or its page had or now has a problem (whose message the caller would
    /// have to place among the others).
    pub(crate) fn reparse(
        &mut self,
        rel: &str,
        config: &Config,
        tools: &BodyTools,
        i18n: &I18n,
    ) -> Option<(ParsedPage, ParsedPage)> {
        let context = self.context?;
        let (before, problems) = self.pages.get(self.keys.get(rel)?)?;
        let before = before.as_ref().filter(|_| problems.is_empty())?.clone();
        let mut d = Diagnostics::new();
        let text = discover::read_text(&before.file, &mut d)?;
        let key = cache_key(Some(context), &before.file, hash_text(&text));
        let now = parse_one(before.file.clone(), &text, config, tools, i18n, &mut d).filter(|_| d.is_empty())?;
        // Stamped when read by the next whole parse (this file changed just now).
        self.stamps.remove(&before.file.abs);
        self.pages.insert(key, (Some(now.clone()), d));
        self.keys.insert(rel.to_string(), key);
        Some((before, now))
    }
}

/// How long before it was read a file must have been changed for its size and time of
/// change to stand for its text: more than the coarsest time stamps of common file
/// systems' (ext4's ticks, FAT's two seconds).
const RACY: std::time::Duration = std::time::Duration::from_secs(3);

/// What a file's metadata said when its text was read, and that text's hash.
#[derive(Clone, Copy, PartialEq, Eq)]
struct Stamp {
    len: u64,
    modified: std::time::SystemTime,
    text: u64,
}

/// Whether one of `changed` (paths relative to the site root) is `rel` or a folder above
/// it (a watcher may name the folder of a file that changed, or a folder renamed).
fn names_or_holds(changed: &std::collections::BTreeSet<String>, rel: &str) -> bool {
    changed
        .iter()
        .any(|c| c.is_empty() || rel.strip_prefix(c.as_str()).is_some_and(|r| r.is_empty() || r.starts_with('/')))
}

/// The size and time of change of `path` (a text hash of 0), when the system gives them.
fn stamp_of(path: &std::path::Path) -> Option<Stamp> {
    let meta = std::fs::metadata(path).ok()?;
    Some(Stamp { len: meta.len(), modified: meta.modified().ok()?, text: 0 })
}

/// A page file, parsed: checked front matter and rendered body.
#[derive(Debug, Clone)]
pub(crate) struct ParsedPage {
    /// Where it came from and what its name says.
    pub file: SourceFile,
    /// Its checked front matter.
    pub fm: FrontMatter,
    /// Its rendered body, shared: the parse cache of a `serve` session hands the same
    /// body to each rebuild without copying it.
    pub body: std::sync::Arc<Markdown>,
    /// A short hash of what translators translate (title, summary, body): a translation
    /// records the hash of the original it was made from in `translated_from`.
    pub hash: String,
    /// A hash of what a page's own files show of its body (its HTML and headings), for
    /// `serve`'s rebuilds to tell a changed text (see `crate::incremental`).
    pub digest: u64,
    /// A hash of its front matter as checked (its debug form), for `serve`'s rebuilds to
    /// tell a changed face without writing out every page's front matter at each rebuild.
    pub fm_print: u64,
    /// A hash of the facts a translation takes from it when it is an original: its kind,
    /// date and fields.
    pub facts_print: u64,
}

/// The content hash of a page: the first 10 hex digits of SHA-256 over title, summary and body.
pub(crate) fn content_hash(fm: &FrontMatter, body: &str) -> String {
    use sha2::{Digest, Sha256};
    let mut h = Sha256::new();
    h.update(fm.title.trim().as_bytes());
    h.update(b"\n");
    h.update(fm.summary.as_deref().unwrap_or("").trim().as_bytes());
    h.update(b"\n");
    for line in body.trim().lines() {
        h.update(line.trim_end().as_bytes());
        h.update(b"\n");
    }
    h.finalize().iter().take(5).map(|b| format!("{b:02x}")).collect()
}

/// Parses every file in parallel, one file per task: a file can take a hundred times
/// another's time (code to highlight), and rayon splits a list only so far before a thread
/// works through its share alone, which left one core idle at the end of the stage. The
/// result keeps the order of `files`. With a `cache`, files parsed before from the same
/// text are taken from it, and it is left holding this build's pages.
pub(crate) fn parse_all(
    files: Vec<SourceFile>,
    config: &Config,
    tools: &BodyTools,
    i18n: &I18n,
    diags: &mut Diagnostics,
    mut cache: Option<&mut ParseCache>,
) -> Vec<ParsedPage> {
    let context = cache.as_ref().map(|_| parse_context(config, i18n));
    let only_changed = cache.as_mut().and_then(|c| c.only_changed.take());
    let known = cache.as_deref();
    // Files changed this long before now can be known by their stamps from now on.
    let settled = std::time::SystemTime::now().checked_sub(RACY);
    let key_of = |file: &SourceFile, text: u64| cache_key(context, file, text);
    // (page, its diagnostics, its cache key, whether it came from the cache, its stamp)
    let results: Vec<Parsed> = files
        .into_par_iter()
        .with_max_len(1)
        .map(|file| {
            let mut d = Diagnostics::new();
            let stamp = known.and_then(|k| match &only_changed {
                // A file not stamped yet is looked at, so that it can be.
                Some(changed) if !names_or_holds(changed, &file.rel) => {
                    k.stamps.get(&file.abs).copied().or_else(|| stamp_of(&file.abs))
                }
                _ => stamp_of(&file.abs),
            });
            // Unchanged since it was read: its page is known without reading it.
            let same = |s: &&Stamp| stamp.is_some_and(|now| Stamp { text: s.text, ..now } == **s);
            if let Some(before) = known.and_then(|k| k.stamps.get(&file.abs)).filter(same) {
                let key = key_of(&file, before.text);
                if let Some((page, diags)) = known.and_then(|k| k.pages.get(&key)) {
                    return (page.clone(), diags.clone(), Some(key), true, Some(*before));
                }
            }
            let Some(text) = discover::read_text(&file, &mut d) else { return (None, d, None, false, None) };
            let text_hash = hash_text(&text);
            let stamp = stamp
                .filter(|s| settled.is_some_and(|settled| s.modified < settled))
                .map(|s| Stamp { text: text_hash, ..s });
            let key = context.map(|_| key_of(&file, text_hash));
            if let Some((page, before)) = key.and_then(|k| known?.pages.get(&k)) {
                return (page.clone(), before.clone(), key, true, stamp);
            }
            let page = parse_one(file, &text, config, tools, i18n, &mut d);
            (page, d, key, false, stamp)
        })
        .collect();
    let mut pages = Vec::with_capacity(results.len());
    let mut old = cache.as_deref_mut().map(|c| std::mem::take(&mut c.pages)).unwrap_or_default();
    let mut kept = HashMap::with_capacity(results.len()); // Growing it would move each page.
    let mut stamps = HashMap::with_capacity(results.len());
    let mut keys = HashMap::with_capacity(results.len());
    for (page, d, key, cached, stamp) in results {
        if let (Some(stamp), Some(page)) = (stamp, &page) {
            stamps.insert(page.file.abs.clone(), stamp);
        }
        if let (Some(k), Some(page)) = (key, &page) {
            keys.insert(page.file.rel.clone(), k);
        }
        if let Some(k) = key {
            // An entry still in use moves to the new table; a new one is copied into it.
            let entry = match old.remove(&k).filter(|_| cached) {
                Some(entry) => entry,
                None => (page.clone(), d.clone()),
            };
            kept.insert(k, entry);
        }
        diags.extend(d);
        pages.extend(page);
    }
    if let Some(cache) = cache {
        // Pages of files gone or changed are dropped.
        cache.pages = kept;
        cache.stamps = stamps;
        cache.keys = keys;
        cache.context = context;
    }
    pages
}

/// What every page's parse depends on besides its file: the configuration, and the
/// interface strings that charts write.
fn parse_context(config: &Config, i18n: &I18n) -> u64 {
    let mut h = DefaultHasher::new();
    format!("{config:?}").hash(&mut h);
    for lang in &config.languages {
        for key in ["chart_table", "chart_label", "chart_value"] {
            i18n.get(lang, key).hash(&mut h);
        }
    }
    h.finish()
}

/// A page, its diagnostics, its cache key, whether it came from the cache, and its file's
/// stamp (when it can stand for its text).
type Parsed = (Option<ParsedPage>, Diagnostics, Option<u64>, bool, Option<Stamp>);

/// The key of a page in a [`ParseCache`]: what every page's parse depends on, its file,
/// and the hash of its text.
fn cache_key(context: Option<u64>, file: &SourceFile, text: u64) -> u64 {
    let mut h = DefaultHasher::new();
    context.hash(&mut h);
    format!("{file:?}").hash(&mut h);
    text.hash(&mut h);
    h.finish()
}

fn hash_text(text: &str) -> u64 {
    let mut h = DefaultHasher::new();
    text.hash(&mut h);
    h.finish()
}

pub(crate) fn parse_one(
    file: SourceFile,
    text: &str,
    config: &Config,
    tools: &BodyTools,
    i18n: &I18n,
    diags: &mut Diagnostics,
) -> Option<ParsedPage> {
    let split = match frontmatter::split(text) {
        Ok(s) => s,
        Err((pos, code, message)) => {
            diags.error(&file.rel, pos, code, message);
            return None;
        }
    };
    let fm = frontmatter::check(&file, &split, config, diags);
    let chart_text = chart::ChartText {
        lang: &file.lang,
        table: i18n.get(&file.lang, "chart_table").unwrap_or("chart_table"),
        label: i18n.get(&file.lang, "chart_label").unwrap_or("chart_label"),
        value: i18n.get(&file.lang, "chart_value").unwrap_or("chart_value"),
    };
    let dir = file.section.as_deref().unwrap_or("");
    if let Some((pos, code, message)) = limits::check_code(split.body, split.body_line) {
        diags.error(&file.rel, pos, code, message);
        return None;
    }
    let (body, problems) =
        markdown::render(split.body, split.body_line, dir, tools, config.markdown.raw_html, &chart_text);
    for p in problems {
        if p.warning {
            diags.warning(&file.rel, p.pos, p.code, p.message);
        } else {
            diags.error(&file.rel, p.pos, p.code, p.message);
        }
    }
    if let Some((pos, code, message)) = limits::check_growth(split.body.len(), body.html.len()) {
        diags.error(&file.rel, pos, code, message);
        return None;
    }
    let fm = fm?;
    let hash = content_hash(&fm, split.body);
    let mut h = DefaultHasher::new();
    (&body.html, format!("{:?}", body.headings)).hash(&mut h);
    let digest = h.finish();
    let debug_hash = |value: &dyn std::fmt::Debug| {
        let mut h = DefaultHasher::new();
        format!("{value:?}").hash(&mut h);
        h.finish()
    };
    let (fm_print, facts_print) = (debug_hash(&fm), debug_hash(&(&fm.kind, &fm.date, &fm.fields)));
    Some(ParsedPage { fm, body: std::sync::Arc::new(body), file, hash, digest, fm_print, facts_print })
}

#[cfg(test)]
mod tests {
    use super::names_or_holds;

    #[test]
    fn a_file_changed_is_named_or_below_a_folder_named() {
        let changed = ["content/pilots".to_string(), "content/a.en.md".to_string()].into_iter().collect();
        assert!(names_or_holds(&changed, "content/a.en.md"));
        assert!(names_or_holds(&changed, "content/pilots/b.en.md"));
        assert!(!names_or_holds(&changed, "content/pilots-old/b.en.md"));
        assert!(!names_or_holds(&changed, "content/a.en.mdx"));
        assert!(names_or_holds(&[String::new()].into_iter().collect(), "content/a.en.md"));
    }
}
