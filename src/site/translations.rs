//! Resolve stage: translations. Every page id is shown in every declared language: its
//! translation when there is one, else its original as a fallback. A translation whose
//! `translated_from` hash is not its original's current hash is stale. Also the report
//! behind `check --translations`.

use super::{IdIdx, IdInfo, Page, Shown, Site, Status};
use crate::config::{Config, Lang};
use crate::diagnostics::{Diagnostics, Pos};
use std::collections::BTreeMap;

/// The translation status of one page id in one language, for `check --translations`.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct TranslationEntry {
    /// The page id.
    pub id: String,
    /// The language.
    pub lang: String,
    /// `original`, `translated`, `stale` or `missing`.
    pub status: &'static str,
    /// The file in that language, if there is one.
    pub file: Option<String>,
    /// The original's file.
    pub original: String,
    /// The original's content hash now: what `translated_from` should say.
    pub hash: String,
    /// What the translation's `translated_from` says.
    pub translated_from: Option<String>,
}

impl Site {
    /// Every page id in every language, with its translation status, languages in
    /// `site.yaml` order, ids sorted.
    pub(crate) fn translation_report(&self) -> Vec<TranslationEntry> {
        let mut out = Vec::new();
        for lang in &self.config.languages {
            for (i, info) in self.ids.iter().enumerate() {
                let id = IdIdx(i as u32);
                let Some(original) = info.sources.get(&info.original).map(|&p| self.page(p)) else {
                    continue;
                };
                let shown = self.shown(id, lang);
                let own = info.sources.get(lang).map(|&p| self.page(p));
                let status = match &shown.status {
                    Status::Original => "original",
                    Status::Translated => "translated",
                    Status::Stale { .. } => "stale",
                    Status::Fallback => "missing",
                };
                out.push(TranslationEntry {
                    id: info.id.clone(),
                    lang: lang.to_string(),
                    status,
                    file: own.map(|p| p.file.clone()),
                    original: original.file.clone(),
                    hash: original.hash.clone(),
                    translated_from: own.and_then(|p| p.fm.translated_from.as_ref().map(|(h, _)| h.clone())),
                });
            }
        }
        out
    }
}

/// The file name an original in `lang` would have, for messages.
fn file_name(info: &IdInfo, lang: &Lang) -> String {
    match &info.section {
        Some(s) => format!("content/{s}/{}.{lang}.md", info.slug),
        None => format!("content/{}.{lang}.md", info.slug),
    }
}

/// The warning for `page`, a translation whose original (in the default language) does
/// not exist: the file that is missing, what readers see meanwhile, and the two mends.
/// `standing_in` is the page's language when it is the one shown in every language that
/// has no translation (the first language of `site.yaml` that has the page).
fn orphan_message(info: &IdInfo, default: &Lang, page: &Page, standing_in: Option<&Lang>, shown: &Page) -> String {
    let expected = file_name(info, default);
    let meanwhile = match standing_in {
        Some(lang) => format!("this `{lang}` page is shown in every language without a translation of its own"),
        None => format!("languages without a translation of their own show {} instead", shown.file),
    };
    let mend = match page.fm.translated_from {
        Some(_) => format!("rename it to {expected} and remove its `translated_from` line"),
        None => format!("rename it to {expected}"),
    };
    format!(
        "the original of this translation, {expected}, does not exist, so {meanwhile}: add {expected}, or make this page the original: {mend}"
    )
}

/// Decides, for every id and language, which file is shown and how it stands.
pub(super) fn translation_status(
    config: &Config,
    ids: &[IdInfo],
    pages: &[Page],
    draft_files: &BTreeMap<(String, Lang), String>,
    diags: &mut Diagnostics,
) -> BTreeMap<(IdIdx, Lang), Shown> {
    let mut shown = BTreeMap::new();
    let default = config.default_lang();
    for (i, info) in ids.iter().enumerate() {
        let id = IdIdx(i as u32);
        let Some(&original_idx) = info.sources.get(&info.original) else {
            continue;
        };
        let original = &pages[original_idx.0 as usize];
        // An original that exists but could not be read has its own errors: a warning that
        // it does not exist would send the editor the wrong way.
        let broken = || {
            let file = file_name(info, default);
            diags.iter().any(|d| d.file == file && d.severity == crate::diagnostics::Severity::Error)
        };
        // Without its original, each translation gets one warning that says which file is
        // missing and how to mend it; none of the others, which assume an original.
        let orphan = &info.original != default && !broken();
        if orphan {
            let draft = draft_files.get(&(info.id.clone(), default.clone()));
            for (lang, &idx) in &info.sources {
                let page = &pages[idx.0 as usize];
                let pos = page.fm.translated_from.as_ref().map_or_else(Pos::default, |(_, pos)| *pos);
                let message = match draft {
                    Some(file) => format!(
                        "translation has no original: {file} is a draft, which is not built, so this `{lang}` page is shown in every language (publish the original, or make this file a draft too)"
                    ),
                    None => orphan_message(info, default, page, (idx == original_idx).then_some(lang), original),
                };
                diags.warning(&page.file, pos, "no-original", message);
            }
        }
        if let (Some((_, pos)), false) = (&original.fm.translated_from, orphan) {
            diags.warning(
                &original.file,
                *pos,
                "translated-from-original",
                "`translated_from` belongs in translations, and this file is the original: remove the line".to_string(),
            );
        }
        for lang in &config.languages {
            let status = match info.sources.get(lang) {
                None => Shown { source: original_idx, status: Status::Fallback },
                Some(&idx) if idx == original_idx => Shown { source: idx, status: Status::Original },
                Some(&idx) => {
                    let page = &pages[idx.0 as usize];
                    let status = match &page.fm.translated_from {
                        Some((from, pos)) if from != &original.hash && !orphan => {
                            diags.warning(
                                &page.file,
                                *pos,
                                "stale-translation",
                                format!(
                                    "translation is out of date: {} has changed since `translated_from: {from}` (it is now `{}`); update the translation, then set `translated_from: {}`",
                                    original.file, original.hash, crate::yaml::text_value(&original.hash)
                                ),
                            );
                            Status::Stale { translated_from: from.clone(), current: original.hash.clone() }
                        }
                        _ => Status::Translated,
                    };
                    Shown { source: idx, status }
                }
            };
            shown.insert((id, lang.clone()), status);
        }
    }
    shown
}
