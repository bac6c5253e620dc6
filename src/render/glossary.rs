//! Render stage: the first mention of a glossary term or acronym in a page links to its
//! entry (for kinds with `glossary_links: true`). Terms match whole words in any case;
//! acronyms match exactly and are wrapped in `<abbr>` with their expansion.

use crate::config::Lang;
use crate::content::frontmatter::FieldValue;
use crate::content::html::{pieces, tag_name, Piece};
use crate::content::markdown::escape_attr;
use crate::site::{IdIdx, Site};
use std::collections::{BTreeMap, BTreeSet, HashMap};

struct Entry {
    id: IdIdx,
    /// Shown as the link's title: the entry's summary.
    title: Option<String>,
    /// For acronyms: the expansion, shown by `<abbr>`.
    expansion: Option<String>,
}

/// What to look for in one language.
struct Matcher {
    regex: regex::Regex,
    entries: Vec<Entry>,
    /// Lowercased term, or exact acronym, to its entry.
    by_text: HashMap<String, usize>,
    acronyms: BTreeSet<String>,
}

/// The glossary of every language, built once per build.
#[derive(Default)]
pub(crate) struct GlossaryIndex {
    langs: BTreeMap<Lang, Matcher>,
}

fn text_field(site: &Site, id: IdIdx, lang: &Lang, field: &str) -> Option<String> {
    match site.shown_page(id, lang).fm.fields.get(field) {
        Some(FieldValue::Text(t)) => Some(t.clone()),
        _ => None,
    }
}

impl GlossaryIndex {
    pub(crate) fn new(site: &Site) -> Self {
        let Some(glossary) = &site.config.glossary else { return Self::default() };
        let roles = &glossary.fields;
        let glossary_kind = site.config.kind_idx(&glossary.kind);
        let mut langs = BTreeMap::new();
        for lang in &site.config.languages {
            let mut entries = Vec::new();
            let mut by_text = HashMap::new();
            let mut terms: Vec<String> = Vec::new();
            for (i, info) in site.ids.iter().enumerate() {
                let id = IdIdx(i as u32);
                let page = site.shown_page(id, lang);
                if info.is_index()
                    || Some(page.kind) != glossary_kind
                    || page.fm.fields.contains_key(&roles.disambiguation)
                {
                    continue;
                }
                let acronym = text_field(site, id, lang, &roles.acronym);
                let mut names = vec![page.fm.title.clone()];
                if let Some(FieldValue::List(variants)) = page.fm.fields.get(&roles.variants) {
                    names.extend(variants.iter().filter_map(|v| {
                        if let FieldValue::Text(t) = v {
                            Some(t.clone())
                        } else {
                            None
                        }
                    }));
                }
                let idx = entries.len();
                entries.push(Entry { id, title: page.fm.summary.clone(), expansion: None });
                for name in names {
                    let name = name.trim().to_string();
                    if name.is_empty() || Some(&name) == acronym.as_ref() {
                        continue;
                    }
                    if by_text.insert(name.to_lowercase(), idx).is_none() {
                        terms.push(name);
                    }
                }
            }
            let mut acronyms = BTreeSet::new();
            for (acronym, &id) in &site.graph.acronyms {
                let idx = entries.len();
                let expansion = text_field(site, id, lang, &roles.expansion)
                    .or_else(|| Some(site.shown_page(id, lang).fm.title.clone()));
                entries.push(Entry { id, title: None, expansion });
                by_text.insert(acronym.clone(), idx);
                acronyms.insert(acronym.clone());
            }
            if by_text.is_empty() {
                continue;
            }
            let alternation = |mut items: Vec<String>| {
                items.sort_by(|a, b| b.chars().count().cmp(&a.chars().count()).then(a.cmp(b)));
                items.iter().map(|t| regex::escape(t)).collect::<Vec<_>>().join("|")
            };
            let mut parts = Vec::new();
            if !terms.is_empty() {
                parts.push(format!("(?i:{})", alternation(terms)));
            }
            if !acronyms.is_empty() {
                parts.push(format!("(?-i:{})", alternation(acronyms.iter().cloned().collect())));
            }
            // Word boundaries are checked by hand (see `Matcher::link_text`): a Unicode `\b`
            // keeps the regex off its fast automaton on any text with accents.
            if let Ok(regex) = regex::Regex::new(&format!("(?:{})", parts.join("|"))) {
                langs.insert(lang.clone(), Matcher { regex, entries, by_text, acronyms });
            }
        }
        GlossaryIndex { langs }
    }

    /// `html` with the first mention of each glossary entry linked. `page` is the page's
    /// own id (an entry does not link to itself); `url` gives an entry's URL.
    pub(crate) fn link(&self, html: &str, lang: &Lang, page: IdIdx, url: impl Fn(IdIdx) -> String) -> String {
        let Some(m) = self.langs.get(lang) else { return html.to_string() };
        let mut used: BTreeSet<usize> = BTreeSet::new();
        let mut out = String::with_capacity(html.len() + 256);
        let mut skip = 0usize;
        // Tags are read with their quoted values, so text inside an attribute (`title="a > PSP"`)
        // is never taken for page text.
        for piece in pieces(html) {
            match piece {
                Piece::Text(text) if skip == 0 => out.push_str(&m.link_text(text, page, &mut used, &url)),
                Piece::Tag(tag) => {
                    skip = adjust_skip(skip, tag);
                    out.push_str(tag);
                }
                Piece::Text(other) | Piece::Other(other) => out.push_str(other),
            }
        }
        out
    }
}

/// Whether byte `at` of escaped HTML text is inside a character reference (`lt` in
/// `&lt;`, `x41` in `&#x41;`), which a glossary link would break apart.
fn in_character_reference(text: &str, at: usize) -> bool {
    let before = &text[..at];
    match before.rfind('&') {
        Some(amp) => {
            let name = &before[amp + 1..];
            let rest = text[at..].trim_start_matches(|c: char| c.is_ascii_alphanumeric());
            name.chars().all(|c| c.is_ascii_alphanumeric() || c == '#') && rest.starts_with(';')
        }
        None => false,
    }
}

/// Elements whose text is never linked: links, code, headings, abbreviations, scripts.
const SKIPPED: [&str; 12] = ["a", "code", "pre", "h1", "h2", "h3", "h4", "h5", "h6", "abbr", "script", "style"];

fn adjust_skip(skip: usize, tag: &str) -> usize {
    let inner = tag.trim_start_matches('<').trim_end_matches('>');
    let closing = inner.starts_with('/');
    let name = tag_name(tag);
    if !SKIPPED.contains(&name.as_str()) || inner.ends_with('/') {
        return skip;
    }
    if closing {
        skip.saturating_sub(1)
    } else {
        skip + 1
    }
}

impl Matcher {
    fn link_text(&self, text: &str, page: IdIdx, used: &mut BTreeSet<usize>, url: &impl Fn(IdIdx) -> String) -> String {
        let mut out = String::with_capacity(text.len());
        let mut last = 0;
        for found in self.regex.find_iter(text) {
            let matched = found.as_str();
            let word = |c: char| c.is_alphanumeric() || c == '_';
            if text[..found.start()].chars().next_back().is_some_and(word)
                || text[found.end()..].chars().next().is_some_and(word)
                || in_character_reference(text, found.start())
            {
                continue;
            }
            let key = if self.acronyms.contains(matched) { matched.to_string() } else { matched.to_lowercase() };
            let Some(&idx) = self.by_text.get(&key) else { continue };
            let entry = &self.entries[idx];
            if entry.id == page
                || used.contains(&idx)
                || self.entries.iter().enumerate().any(|(i, e)| e.id == entry.id && used.contains(&i))
            {
                continue;
            }
            used.insert(idx);
            out.push_str(&text[last..found.start()]);
            let href = escape_attr(&url(entry.id));
            match &entry.expansion {
                Some(expansion) => out.push_str(&format!(
                    "<a class=\"glossary-link\" href=\"{href}\"><abbr title=\"{}\">{matched}</abbr></a>",
                    escape_attr(expansion)
                )),
                None => {
                    let title =
                        entry.title.as_ref().map(|t| format!(" title=\"{}\"", escape_attr(t))).unwrap_or_default();
                    out.push_str(&format!("<a class=\"glossary-link\" href=\"{href}\"{title}>{matched}</a>"));
                }
            }
            last = found.end();
        }
        out.push_str(&text[last..]);
        out
    }
}

#[cfg(test)]
mod tests {
    use super::in_character_reference;

    #[test]
    fn character_references_are_not_words() {
        let text = "a &lt;script&gt; &amp; lt &#x41; amp;";
        let at = |needle: &str| text.find(needle).unwrap_or(usize::MAX);
        assert!(in_character_reference(text, at("lt;")));
        assert!(in_character_reference(text, at("amp;")));
        assert!(in_character_reference(text, at("x41")));
        assert!(!in_character_reference(text, at(" lt ") + 1));
        assert!(!in_character_reference(text, text.rfind("amp;").unwrap_or(0)));
    }
}
