//! Resolve stage: translations. Every page id is shown in every declared language: its
//! translation when there is one, else its original as a fallback. A translation whose
//! `translated_from` hash is not its original's current hash is stale. Also the report
//! behind `check --translations`.

use super::originals::{file_names, Lost};
use super::{IdIdx, IdInfo, Page, PageIdx, Shown, Site, Status};
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

/// What readers see of an id whose original is missing, for the warnings of its
/// translations: `standing_in` is the page's language when it is the one shown in every
/// language that has no translation (the first language of `site.yaml` that has the
/// page); otherwise `shown` is.
fn meanwhile(standing_in: Option<&Lang>, shown: &Page) -> String {
    match standing_in {
        Some(lang) => format!("this `{lang}` page is shown in every language without a translation of its own"),
        None => format!("languages without a translation of their own show {} instead", shown.file),
    }
}

/// The warning for `page`, a translation whose original (`expected`, in the default
/// language) does not exist: the file that is missing, what readers see `meanwhile`, and
/// the mends. A page that says it is a translation (`translated_from`) is not told to
/// become the original (its text would then stand as the default language's): its
/// original is to be restored, and where it was moved to is named when `lost` knows.
fn orphan_message(expected: &str, meanwhile: &str, page: &Page, lost: Option<&Lost>) -> String {
    match (lost, &page.fm.translated_from) {
        (Some(Lost::Gone { moved_to: Some((file, new_id)), .. }), _) => format!(
            "the original of this translation, {expected}, does not exist, so {meanwhile}; {file} has the text `translated_from` names, so the original seems to have been moved: rename it back to {expected}, or rename this translation to match `{new_id}`"
        ),
        (_, Some(_)) => format!(
            "the original of this translation, {expected}, does not exist, so {meanwhile}: restore {expected} (rename the moved original back), or delete this translation"
        ),
        (_, None) => format!(
            "the original of this translation, {expected}, does not exist, so {meanwhile}: add {expected}, or make this page the original: rename it to {expected}"
        ),
    }
}

/// The warning for `page`, a translation of `info` whose original `draft` is a draft, left
/// out of the build: `page` is published all the same, and `stand_in` (the file of the
/// first language in `site.yaml` that has the page) is shown in every language that has
/// no file of its own, the draft's included. The mends: publish the original, or make
/// every translation a draft too.
fn draft_message(
    draft: &str,
    (page, stand_in): (&Page, &Page),
    info: &IdInfo,
    config: &Config,
    pages: &[Page],
) -> String {
    let without: Vec<String> =
        config.languages.iter().filter(|l| !info.sources.contains_key(*l)).map(|l| format!("`{l}`")).collect();
    let shown = if stand_in.file == page.file { "it" } else { stand_in.file.as_str() };
    let mut translations = vec!["this file".to_string()];
    translations.extend(info.sources.values().map(|p| &pages[p.0 as usize].file).filter(|f| **f != page.file).cloned());
    format!(
        "translation has no original: {draft} is a draft, which is not built, yet this `{}` page is published, and readers of {} get {shown} in place of the original: remove `draft: true` from {draft} to publish the original, or add `draft: true` to {} to leave the page out in every language",
        page.lang,
        and_list(&without),
        and_list(&translations),
    )
}

/// `items` joined for a sentence: `a`, `a and b`, `a, b and c`.
fn and_list(items: &[String]) -> String {
    match items.split_last() {
        None => String::new(),
        Some((last, [])) => last.clone(),
        Some((last, rest)) => format!("{} and {last}", rest.join(", ")),
    }
}

/// Decides, for every id and language, which file is shown and how it stands. An id
/// whose original in the default language is missing (`lost`, or known only in other
/// languages) gets no warning that assumes an original (a stale hash, `translated_from`
/// in an original); each of its translations is told once, unless the original exists
/// but cannot be read (its own errors say so).
pub(super) fn translation_status(
    config: &Config,
    ids: &[IdInfo],
    pages: &[Page],
    draft_files: &BTreeMap<(String, Lang), String>,
    lost: &BTreeMap<IdIdx, Lost>,
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
        let away = &info.original != default;
        let lost = lost.get(&id);
        if away && !matches!(lost, Some(Lost::Unreadable)) {
            let draft = draft_files.get(&(info.id.clone(), default.clone()));
            for (lang, &idx) in &info.sources {
                let page = &pages[idx.0 as usize];
                let pos = page.fm.translated_from.as_ref().map_or_else(Pos::default, |(_, pos)| *pos);
                let message = match draft {
                    Some(file) => draft_message(file, (page, original), info, config, pages),
                    None => orphan_message(
                        &file_names(info, default, default)[0],
                        &meanwhile((idx == original_idx).then_some(lang), original),
                        page,
                        lost,
                    ),
                };
                diags.warning(&page.file, pos, "no-original", message);
            }
        }
        if let (Some((_, pos)), false) = (&original.fm.translated_from, away) {
            diags.warning(
                &original.file,
                *pos,
                "translated-from-original",
                "`translated_from` belongs in translations, and this file is the original: remove the line".to_string(),
            );
        }
        for lang in &config.languages {
            let status = status_in(info.sources.get(lang).copied(), original_idx, pages, away, diags);
            shown.insert((id, lang.clone()), status);
        }
    }
    shown
}

/// How the file `own` (the language's own file, if any) of an id whose original is
/// `original_idx` is shown; a stale translation is warned about unless the original is
/// missing (`away`).
fn status_in(
    own: Option<PageIdx>,
    original_idx: PageIdx,
    pages: &[Page],
    away: bool,
    diags: &mut Diagnostics,
) -> Shown {
    let original = &pages[original_idx.0 as usize];
    match own {
        None => Shown { source: original_idx, status: Status::Fallback },
        Some(idx) if idx == original_idx => Shown { source: idx, status: Status::Original },
        Some(idx) => {
            let page = &pages[idx.0 as usize];
            let status = match &page.fm.translated_from {
                Some((from, pos)) if from != &original.hash && !away => {
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
    }
}
