//! Load stage: the files of a site that are never published nor read as pages.
//!
//! Three rules, applied to `content/`, `static/` and the site's theme folder:
//! - editor and system leftovers ([`JUNK`]), by file name, whatever its case;
//! - copies of a page's markdown source (`avignon.en.md.bck`, `avignon.en.md0HlVyu.bck`,
//!   `avignon.en.md~`): any file whose name is a page file's name followed by more
//!   characters, or that has `.md.` in its name ([`is_source_copy`]). Such a copy can be an
//!   unpublished draft;
//! - the `ignore:` globs of `site.yaml` ([`Ignore`]).

use globset::{GlobBuilder, GlobSet, GlobSetBuilder};

/// File names of editor and system leftovers, as globs matched against a file's name
/// without regard to case: Windows' and macOS's folder files, vim's swap files and its
/// write test (`4913`), backups (`~`, `.bak`, `.orig`, `.bck`), temporary files, Office's
/// lock files (`~$report.docx`) and Emacs's autosaves (`#page.en.md#`).
pub(crate) const JUNK: [&str; 14] = [
    "Thumbs.db",
    "desktop.ini",
    ".DS_Store",
    "*~",
    "*.swp",
    "*.swo",
    "4913",
    "*.bak",
    "*.orig",
    "*.tmp",
    "*.bck",
    "~$*",
    "#*#",
    ".*.sw?",
];

/// Whether `name` is a copy of a page's markdown source: it starts with the name of one of
/// `sources` (the page files of its folder) and goes on, or has `.md.` in it
/// (`avignon.en.md.orig` of a page since deleted).
pub(crate) fn is_source_copy<'a>(name: &str, mut sources: impl Iterator<Item = &'a str>) -> bool {
    name.to_lowercase().contains(".md.") || sources.any(|s| name.len() > s.len() && name.starts_with(s))
}

/// The `ignore:` globs of `site.yaml`, relative to the site folder.
///
/// `*` and `?` stay within one path segment, `**` crosses segments, `[abc]` and `{a,b}`
/// are sets and alternatives; a glob without `/` matches a file or folder name anywhere
/// (`*.psd`), one with `/` a path from the site folder (`content/pilots/old/**`). A glob
/// that matches a folder ignores everything in it. Matching ignores case, as Windows and
/// macOS file systems do.
///
/// It holds [`JUNK`] too: [`Ignore::skips`] answers for all three rules but source copies.
#[derive(Clone, Default)]
pub(crate) struct Ignore {
    globs: GlobSet,
    /// The globs as `site.yaml` writes them.
    written: Vec<String>,
}

/// Shows the globs as written: the compiled set's own form is not stable from one
/// compilation to the next, and `serve`'s parse cache hashes the configuration's.
impl std::fmt::Debug for Ignore {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Ignore").field("globs", &self.written).finish()
    }
}

/// A glob of `ignore:` that cannot be used.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct BadGlob {
    /// The glob as written.
    pub glob: String,
    /// Why it cannot be used.
    pub reason: String,
}

impl Ignore {
    /// [`JUNK`] alone, for a site whose `site.yaml` cannot be read.
    pub(crate) fn builtin() -> Ignore {
        Ignore::new(&[]).unwrap_or_default()
    }

    /// Compiles [`JUNK`] and the globs; every bad glob is returned, in order.
    pub(crate) fn new(globs: &[String]) -> Result<Ignore, Vec<BadGlob>> {
        let mut set = GlobSetBuilder::new();
        let mut bad = Vec::new();
        for name in JUNK {
            let glob = GlobBuilder::new(&format!("**/{name}")).literal_separator(true).case_insensitive(true).build();
            match glob {
                Ok(glob) => {
                    set.add(glob);
                }
                Err(e) => bad.push(BadGlob { glob: name.to_string(), reason: e.kind().to_string() }),
            }
        }
        for written in globs {
            let normal = written.trim().replace('\\', "/");
            let anchored = normal.trim_start_matches('/').trim_end_matches('/');
            let reason = if anchored.is_empty() {
                Some("it is empty".to_string())
            } else if anchored.split('/').any(|s| s == "..") {
                Some("`..` would leave the site folder".to_string())
            } else {
                None
            };
            if let Some(reason) = reason {
                bad.push(BadGlob { glob: written.clone(), reason });
                continue;
            }
            let pattern = if normal.trim_end_matches('/').contains('/') {
                anchored.to_string()
            } else {
                format!("**/{anchored}")
            };
            match GlobBuilder::new(&pattern).literal_separator(true).case_insensitive(true).build() {
                Ok(glob) => {
                    set.add(glob);
                }
                Err(e) => bad.push(BadGlob { glob: written.clone(), reason: e.kind().to_string() }),
            }
        }
        if !bad.is_empty() {
            return Err(bad);
        }
        let set = set.build().map_err(|e| vec![BadGlob { glob: globs.join(", "), reason: e.to_string() }])?;
        Ok(Ignore { globs: set, written: globs.to_vec() })
    }

    /// The globs as `site.yaml` writes them.
    pub(crate) fn globs(&self) -> &[String] {
        &self.written
    }

    /// Whether `rel`, a path from the site folder with `/` separators, or a folder that
    /// holds it, is hidden (starts with `.`) or matches a leftover's name or a glob.
    pub(crate) fn skips(&self, rel: &str) -> bool {
        let mut end = 0;
        for segment in rel.split('/') {
            if segment.starts_with('.') {
                return true;
            }
            end += segment.len();
            if self.globs.is_match(&rel[..end]) {
                return true;
            }
            end += 1;
        }
        false
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn leftovers_are_known_by_name_whatever_their_case() {
        let ignore = Ignore::builtin();
        for junk in [
            "Thumbs.db",
            "thumbs.db",
            "Desktop.ini",
            ".DS_Store",
            "page.en.md~",
            "page.en.md.swp",
            "page.swo",
            ".page.en.md.swp",
            "4913",
            "report.pdf.BAK",
            "a.orig",
            "x.tmp",
            "x.en.md0HlVyu.bck",
            "~$report.docx",
            "#page.en.md#",
        ] {
            assert!(ignore.skips(&format!("content/pilots/{junk}")), "{junk}");
            assert!(ignore.skips(&format!("static/{junk}")), "{junk}");
        }
        assert!(ignore.skips(".git/config") && ignore.skips("static/.hidden/a.pdf"));
        for kept in ["report.pdf", "photo.jpg", "49130", "backup.pdf", "bak", "map.svg", "x.swf"] {
            assert!(!ignore.skips(&format!("content/{kept}")), "{kept}");
        }
    }

    #[test]
    fn copies_of_page_sources_are_recognised() {
        let sources = ["avignon.en.md", "avignon.fr.md"];
        for copy in ["avignon.en.md0HlVyu", "avignon.fr.md.txt", "other.en.md.old"] {
            assert!(is_source_copy(copy, sources.iter().copied()), "{copy}");
        }
        for kept in ["avignon.en.md", "avignon.pdf", "report.mdb"] {
            assert!(!is_source_copy(kept, sources.iter().copied()), "{kept}");
        }
    }

    #[test]
    fn globs_match_names_anywhere_and_paths_from_the_root() {
        let ignore =
            Ignore::new(&["*.psd".into(), "content/pilots/old/".into(), "/static/drafts/*.pdf".into()]).expect("valid");
        assert!(ignore.skips("content/pilots/map.PSD"));
        assert!(ignore.skips("static/x.psd"));
        assert!(ignore.skips("content/pilots/old/report.pdf"));
        assert!(ignore.skips("static/drafts/a.pdf"));
        assert!(!ignore.skips("static/drafts/deeper/a.pdf"));
        assert!(!ignore.skips("content/pilots/report.pdf"));
    }

    #[test]
    fn bad_globs_are_all_reported() {
        let bad = Ignore::new(&["content/[a".into(), "ok/*.pdf".into(), "../x".into(), " ".into()]).err();
        let reasons: Vec<(String, String)> = bad.unwrap_or_default().into_iter().map(|b| (b.glob, b.reason)).collect();
        assert_eq!(
            reasons,
            [
                ("content/[a".to_string(), "unclosed character class; missing ']'".to_string()),
                ("../x".to_string(), "`..` would leave the site folder".to_string()),
                (" ".to_string(), "it is empty".to_string()),
            ]
        );
    }
}
