//! Resolve stage: body links. Each link a page's text makes was recorded by the parse
//! stage with its position; here it is resolved once into a typed target ([`Resolved`]):
//! a page and heading, a heading of the same page, a section, or a file. What it names
//! must exist; what does not is reported with a did-you-mean. Front-matter references
//! are resolved with the same knowledge, in [`super::refs`].

use super::originals::Lost;
use super::{Assets, IdIdx, IdInfo, Page, Resolved, Shown, Site};
use crate::config::{Config, Lang};
use crate::content::discover::INDEX_SLUG;
use crate::content::markdown::{BodyLink, Destination, LinkTarget};
use crate::diagnostics::{did_you_mean, hint, Diagnostics, Pos};
use std::collections::{BTreeMap, BTreeSet};

/// What the resolve stage knows once every page is read: enough to resolve a link or a
/// reference and to explain why one cannot be.
pub(super) struct Known<'a> {
    pub config: &'a Config,
    pub pages: &'a [Page],
    pub ids: &'a [IdInfo],
    pub by_id: &'a BTreeMap<String, IdIdx>,
    pub shown: &'a BTreeMap<(IdIdx, Lang), Shown>,
    /// The ids whose original is lost (see [`super::originals`]).
    pub lost: &'a BTreeMap<IdIdx, Lost>,
    pub drafts: &'a BTreeSet<String>,
    pub assets: &'a Assets,
}

impl Known<'_> {
    pub(super) fn shown_page(&self, id: IdIdx, lang: &Lang) -> Option<&Page> {
        self.shown.get(&(id, lang.clone())).map(|s| &self.pages[s.source.0 as usize])
    }

    /// Reports that `id`, named by `what` at `pos` of `file`, is not a page of the site.
    pub(super) fn missing(
        &self,
        file: &str,
        pos: Pos,
        what: &str,
        id: &str,
        candidates: Vec<&str>,
        diags: &mut Diagnostics,
    ) {
        if self.drafts.contains(id) {
            diags.error(
                file,
                pos,
                crate::DRAFT_TARGET_CODE,
                format!(
                    "{what} `{id}` is a draft, which is not built: remove `draft: true` from it, {}, or remove the reference",
                    crate::DRAFTS_FIX
                ),
            );
            return;
        }
        let h = hint(id, candidates);
        diags.error(file, pos, "missing-page", format!("{what} `{id}` does not exist{h}"));
    }

    /// Reports that `target`, named by `what` at `pos` of `page`, has lost its original
    /// (see [`super::originals`]); a translation that names its own id is not told again.
    pub(super) fn check_original(&self, page: &Page, pos: Pos, what: &str, target: IdIdx, diags: &mut Diagnostics) {
        if let (Some(lost), false) = (self.lost.get(&target), target == page.id) {
            if let Some(message) = lost.message(what, &self.ids[target.0 as usize].id) {
                diags.error(&page.file, pos, "lost-original", message);
            }
        }
    }

    /// Where each body link of `page` leads, in the order of `page.body.links`.
    pub(super) fn check_links(&self, page: &Page, diags: &mut Diagnostics) -> Vec<Resolved> {
        page.body.links.iter().map(|link| self.check_link(page, link, diags)).collect()
    }

    fn check_link(&self, page: &Page, link: &BodyLink, diags: &mut Diagnostics) -> Resolved {
        match &link.target {
            LinkTarget::Page { id, anchor } => {
                let found = self.by_id.get(id).copied();
                // A section's own page exists whether or not it has an `_index` file.
                let section = id.strip_suffix(INDEX_SLUG).and_then(|s| s.strip_suffix('/')).unwrap_or(id);
                if found.is_none() && anchor.is_none() && self.config.sections.contains_key(section) {
                    return Resolved::Section(section.to_string());
                }
                let Some(target) = found else {
                    self.missing(
                        &page.file,
                        link.pos,
                        "linked page",
                        id,
                        self.by_id.keys().map(String::as_str).collect(),
                        diags,
                    );
                    return Resolved::Broken;
                };
                self.check_original(page, link.pos, "linked page", target, diags);
                if let Some(anchor) = anchor {
                    self.check_anchor(page, link.pos, target, anchor, diags);
                }
                Resolved::Page(target, anchor.clone())
            }
            LinkTarget::Anchor(anchor) => {
                self.check_anchor(page, link.pos, page.id, anchor, diags);
                Resolved::Anchor(anchor.clone())
            }
            LinkTarget::File { output, from_static, fragment } => {
                let (known, place) =
                    if *from_static { (&self.assets.statics, "static/") } else { (&self.assets.content, "content/") };
                if known.contains(output) {
                    return Resolved::File(output.clone(), fragment.clone());
                }
                let readings = file_readings(&page.file, &link.written);
                if let Some((file, anchor)) = readings.iter().find(|(f, _)| known.contains(f)) {
                    return Resolved::File(file.clone(), anchor.clone());
                }
                // `a#b.pdf` or `what?.pdf` names a missing file as written, not `a` with an
                // anchor or a query; `lost.pdf#page=2` names `lost.pdf`.
                let output = match readings.into_iter().find(|(f, _)| has_extension(f)) {
                    Some((file, _)) if !has_extension(output) => file,
                    _ => output.clone(),
                };
                let written = &link.written;
                let h = if written.contains('@') && !written.contains('/') {
                    format!(": for an email address, write `mailto:{written}` or `<{written}>`")
                } else {
                    did_you_mean(&output, known.iter().map(String::as_str))
                        .map(|c| format!(" (did you mean `{}`?)", as_written(&page.file, c, *from_static)))
                        .unwrap_or_default()
                };
                diags.error(
                    &page.file,
                    link.pos,
                    "missing-file",
                    format!("`{}` links to {place}{output}, which does not exist{h}", link.written),
                );
                Resolved::Broken
            }
        }
    }

    /// Checks that `anchor` is a heading of `target` as read in the page's language.
    fn check_anchor(&self, page: &Page, pos: Pos, target: IdIdx, anchor: &str, diags: &mut Diagnostics) {
        let Some(in_lang) = self.shown_page(target, &page.lang) else { return };
        if in_lang.body.has_anchor(anchor) {
            return;
        }
        let info = &self.ids[target.0 as usize];
        let original = info.sources.get(&info.original).map(|p| &self.pages[p.0 as usize]);
        match original {
            Some(o) if o.file != in_lang.file && o.body.has_anchor(anchor) => diags.warning(
                &page.file,
                pos,
                "anchor-not-translated",
                format!(
                    "heading anchor `#{anchor}` exists in {} but not in its translation {}: give the translated heading `{{#{anchor}}}`",
                    o.file, in_lang.file
                ),
            ),
            _ => {
                let ids = in_lang.body.headings.iter().map(|h| h.id.as_str());
                let h = did_you_mean(anchor, ids.chain(in_lang.body.anchors.iter().map(String::as_str)))
                    .map(|c| format!(" (did you mean `#{c}`?)"))
                    .unwrap_or_default();
                let place = if target == page.id { "on this page".to_string() } else { format!("in `{}`", info.id) };
                diags.error(&page.file, pos, "missing-anchor", format!("heading anchor `#{anchor}` not found {place}{h}"));
            }
        }
    }
}

/// How a link in the page `page_file` (`content/docs/guide.en.md`) is written to name the
/// file `file`, a path inside `content/` (`docs/files/report.pdf`) or, when `from_static`,
/// inside `static/`: `files/report.pdf` relative to the page's folder, with `../` to go up
/// (`../countries/report.pdf`), or `/files/report.pdf` for a file in `static/`. A name with
/// a space is put in angle brackets (`<annual report.pdf>`), as CommonMark needs.
fn as_written(page_file: &str, file: &str, from_static: bool) -> String {
    let path = if from_static {
        format!("/{file}")
    } else {
        let page = page_file.strip_prefix(crate::content::discover::CONTENT_DIR).unwrap_or(page_file);
        let mut dir: Vec<&str> = page.split('/').filter(|s| !s.is_empty()).collect();
        dir.pop();
        let mut target: Vec<&str> = file.split('/').collect();
        let common = dir.iter().zip(&target).take_while(|(a, b)| a == b).count().min(target.len() - 1);
        let ups = dir.len() - common;
        target.drain(..common);
        std::iter::repeat_n("..", ups).chain(target).collect::<Vec<_>>().join("/")
    };
    if path.contains(' ') {
        format!("<{path}>")
    } else {
        path
    }
}

/// The file a link names when `written` is read as a file name rather than as a URL, so
/// that `what?.pdf`, `#2.pdf` or `%41.pdf` written as the file is named on disk still find
/// it (as a URL they would mean `what` with a query, an anchor, and `A.pdf`). `page_file`
/// is the linking page's path from the site root (`content/docs/guide.en.md`).
fn literal_file(page_file: &str, written: &str) -> Option<String> {
    let as_url = written.replace('%', "%25").replace('?', "%3F").replace('#', "%23");
    let dir = page_file.strip_prefix(crate::content::discover::CONTENT_DIR)?.trim_start_matches('/');
    let dir = dir.rsplit_once('/').map_or("", |(d, _)| d);
    match crate::content::markdown::classify(&as_url, dir) {
        Ok(Destination::Internal(LinkTarget::File { output, .. })) => Some(output),
        _ => None,
    }
}

/// The files a link names when `written` is read as a file name as it is on disk
/// ([`literal_file`]) followed by an anchor, cut at each `#` in turn, then whole: for
/// `annual report #2.pdf#page=1`, (`annual report `, `2.pdf#page=1`), (`annual report
/// #2.pdf`, `page=1`) and (`annual report #2.pdf#page=1`, none). Each is the file's path
/// in the output and the anchor, if any.
fn file_readings(page_file: &str, written: &str) -> Vec<(String, Option<String>)> {
    let cut = written.match_indices('#').map(|(i, _)| (&written[..i], Some(&written[i + 1..])));
    cut.chain([(written, None)])
        .filter_map(|(name, anchor)| {
            let anchor = anchor.filter(|a| !a.is_empty()).map(str::to_string);
            literal_file(page_file, name).map(|file| (file, anchor))
        })
        .collect()
}

/// Whether the last segment of `path` (`docs/report.pdf`) ends with a file extension:
/// letters and digits after a dot (`pdf`, not `pdf#page=2`).
fn has_extension(path: &str) -> bool {
    let name = path.rsplit('/').next().unwrap_or(path);
    name.rsplit_once('.').is_some_and(|(stem, ext)| {
        !stem.is_empty() && !ext.is_empty() && ext.chars().all(|c| c.is_ascii_alphanumeric())
    })
}

/// Warns about each file beside the pages (`content`, by path inside `content/`) that no
/// page of the site links to: it is published all the same, maybe by mistake. Links from
/// drafts count only when drafts are built.
pub(crate) fn warn_unlinked(site: &Site, content: &BTreeSet<String>, diags: &mut Diagnostics) {
    let linked: BTreeSet<&str> = site
        .pages
        .iter()
        .flat_map(|p| &p.link_targets)
        .filter_map(|t| match t {
            Resolved::File(output, _) => Some(output.as_str()),
            _ => None,
        })
        .collect();
    for file in content.iter().filter(|f| !linked.contains(f.as_str())) {
        diags.warning(
            &format!("{}/{file}", crate::content::discover::CONTENT_DIR),
            Pos::start(),
            "unlinked-file",
            "no published page links to this file, yet it is copied to the output: link it from a page, delete it, or add it to `ignore:` in site.yaml",
        );
    }
}

#[cfg(test)]
mod tests {
    use super::as_written;

    #[test]
    fn a_suggested_file_is_written_from_the_page_folder() {
        let page = "content/docs/guide.en.md";
        assert_eq!(as_written(page, "docs/report.pdf", false), "report.pdf");
        assert_eq!(as_written(page, "docs/maps/port.png", false), "maps/port.png");
        assert_eq!(as_written(page, "countries/annual report.pdf", false), "<../countries/annual report.pdf>");
        assert_eq!(as_written(page, "docs", false), "../docs");
        assert_eq!(as_written("content/_index.en.md", "docs/a#2.pdf", false), "docs/a#2.pdf");
        assert_eq!(as_written(page, "files/report 2019.pdf", true), "</files/report 2019.pdf>");
    }
}
