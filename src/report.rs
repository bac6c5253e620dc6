//! Reports printed by `check --translations`: a table per language, or JSON lines.

use crate::lang::Lang;
use crate::site::TranslationEntry;

/// One table per language: counts, then one row per page id with its status and file.
pub fn translations_text(entries: &[TranslationEntry]) -> String {
    let width = entries.iter().map(|e| e.id.chars().count()).max().unwrap_or(0);
    let file_width = entries.iter().filter_map(|e| e.file.as_ref()).map(|f| f.chars().count()).max().unwrap_or(0);
    let mut langs: Vec<&str> = Vec::new();
    for e in entries {
        if !langs.contains(&e.lang.as_str()) {
            langs.push(&e.lang);
        }
    }
    let mut out = String::new();
    for lang in langs {
        let rows: Vec<&TranslationEntry> = entries.iter().filter(|e| e.lang == lang).collect();
        let count = |status: &str| rows.iter().filter(|e| e.status == status).count();
        let name = Lang::parse(lang).map(|l| l.autonym()).unwrap_or_else(|_| lang.to_string());
        let originals = match count("original") {
            1 => "1 original".to_string(),
            n => format!("{n} originals"),
        };
        out.push_str(&format!(
            "{lang} ({name}): {originals}, {} translated, {} stale, {} missing\n",
            count("translated"),
            count("stale"),
            count("missing")
        ));
        for e in rows {
            let detail = match e.status {
                "original" => format!("hash {}", e.hash),
                "stale" => {
                    format!("translated from {}, original now {}", e.translated_from.as_deref().unwrap_or(""), e.hash)
                }
                "missing" => format!("{} is shown", e.original),
                _ => String::new(),
            };
            let file = e.file.as_deref().unwrap_or("-");
            let line = format!("  {:<width$}  {:<10}  {:<file_width$}  {detail}", e.id, e.status, file);
            out.push_str(line.trim_end());
            out.push('\n');
        }
    }
    out
}

/// One JSON object per page and language.
pub fn translations_json(entries: &[TranslationEntry]) -> Vec<String> {
    entries.iter().map(|e| serde_json::to_string(e).unwrap_or_default()).collect()
}
