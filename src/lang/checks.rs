//! Load stage: mistakes in a site's interface files (`i18n/<lang>.yaml`) that load without
//! error yet would show readers something else than meant. Each is a warning at the line
//! of the string, saying what is used instead and how to mend it:
//!
//! - a `{placeholder}` that the default language's string does not have (`{cuont}` for
//!   `{count}`): guidebook fills in only those, so it would be printed as written;
//! - plural forms for a string whose default-language string is plain and has no
//!   `{count}`: no number chooses among them, so only `other` would ever be shown;
//! - a key that the default language does not have (in another language's file), or that
//!   neither guidebook nor a template uses (in the default language's file,
//!   [`I18n::unused_site_strings`]): nothing would show it.
//!
//! A string of the default language's own file is compared with guidebook's built-in one;
//! one of another language with the default language's (the site's, else built-in).

use super::{I18n, Lang, Text};
use crate::diagnostics::{did_you_mean, hint, Diagnostics, Pos};
use crate::yaml::Locator;
use indexmap::IndexMap;
use std::collections::BTreeSet;

/// Where the placeholders of an interface string's text are: each `{name}` whose name is
/// a word (letters, digits, `_`), in order.
pub(super) fn placeholders(text: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut rest = text;
    while let Some(open) = rest.find('{') {
        let after = &rest[open + 1..];
        match after.find('}') {
            Some(close) => {
                let name = &after[..close];
                if !name.is_empty() && name.chars().all(|c| c.is_alphanumeric() || c == '_') {
                    out.push(name);
                }
                rest = &after[close + 1..];
            }
            None => break,
        }
    }
    out
}

/// The texts of `text` with the form each belongs to (`None` for a plain string).
fn forms(text: &Text) -> Vec<(Option<&str>, &str)> {
    match text {
        Text::Plain(s) => vec![(None, s.as_str())],
        Text::Plural(forms) => forms.iter().map(|(f, s)| (Some(f.as_str()), s.as_str())).collect(),
    }
}

/// One interface file of the site, as read: its language, its name as shown
/// (`i18n/fr.yaml`), and its text.
pub(super) struct SiteFile {
    pub lang: Lang,
    pub shown: String,
    pub text: String,
}

/// Checks the strings of the site's file `file` against `reference`, the strings of the
/// default language `default` they translate or override (built-in ones for the default
/// language's own file); `strings` are the file's language's strings as loaded. Keys the
/// default language lacks are reported for other languages only (`translated`).
pub(super) struct Check<'a> {
    pub file: &'a SiteFile,
    pub default: &'a Lang,
    pub reference: &'a IndexMap<String, Text>,
    pub strings: &'a IndexMap<String, Text>,
    pub translated: bool,
}

impl Check<'_> {
    /// Reports every mistake of the file (see the module's documentation).
    pub(super) fn run(&self, diags: &mut Diagnostics) {
        let Ok(serde_yaml::Value::Mapping(entries)) = serde_yaml::from_str::<serde_yaml::Value>(&self.file.text) else {
            return;
        };
        let loc = Locator::new(&self.file.text, 1);
        for key in entries.keys().filter_map(|k| k.as_str()) {
            let Some(theirs) = self.reference.get(key) else {
                // A key that did not load has its error already.
                if self.translated && self.strings.contains_key(key) {
                    self.unknown_key(key, &loc, diags);
                }
                continue;
            };
            if let Some(mine) = self.strings.get(key) {
                self.compare(key, mine, theirs, &loc, diags);
            }
        }
    }

    fn unknown_key(&self, key: &str, loc: &Locator, diags: &mut Diagnostics) {
        let (default, file) = (self.default, &self.file.shown);
        let h = hint(key, self.reference.keys().map(String::as_str));
        diags.warning(
            file,
            loc.key(&[key]),
            "i18n-unknown",
            format!("interface string `{key}` is not one of the `{default}` strings, so nothing shows it{h}: rename it, or add it to i18n/{default}.yaml first"),
        );
    }

    /// Compares the string `key` of the file (`mine`) with the default language's
    /// (`theirs`): placeholders, and plural forms.
    fn compare(&self, key: &str, mine: &Text, theirs: &Text, loc: &Locator, diags: &mut Diagnostics) {
        let (default, file) = (self.default, &self.file.shown);
        let known: BTreeSet<&str> = forms(theirs).into_iter().flat_map(|(_, t)| placeholders(t)).collect();
        for (form, text) in forms(mine) {
            for name in placeholders(text).into_iter().filter(|n| !known.contains(n)) {
                let pos = match form {
                    Some(f) => loc.value(&[key, f]),
                    None => loc.value(&[key]),
                };
                diags.warning(file, pos, "i18n-placeholder", placeholder_message(key, name, default, &known));
            }
        }
        if matches!((mine, theirs), (Text::Plural(_), Text::Plain(_))) && !known.contains("count") {
            diags.warning(
                file,
                loc.key(&[key]),
                "i18n-plural",
                format!("interface string `{key}` has plural forms, but the `{default}` string has no `{{count}}` to choose among them, so only `other` is ever shown: write it as one text, `{key}: \"...\"`"),
            );
        }
    }
}

/// The warning for placeholder `{name}` of string `key`, which the default language's
/// string (whose placeholders are `known`) does not have.
fn placeholder_message(key: &str, name: &str, default: &Lang, known: &BTreeSet<&str>) -> String {
    let list: Vec<String> = known.iter().map(|k| format!("`{{{k}}}`")).collect();
    let fix = match did_you_mean(name, known.iter().copied()) {
        Some(c) => format!("did you mean `{{{c}}}`?"),
        None if known.is_empty() => "remove it".to_string(),
        None => "use one of those, or remove it".to_string(),
    };
    let has = if list.is_empty() { "none".to_string() } else { list.join(", ") };
    format!(
        "interface string `{key}` has placeholder `{{{name}}}`, which guidebook does not fill in, so readers would see it as written (the `{default}` string has {has}): {fix}"
    )
}

impl I18n {
    /// Warns about each string of the site's default-language file that neither guidebook
    /// (its built-in strings, and the `backlink.<kind>.<field>` labels) nor a template
    /// (`used`: the keys the templates ask for) uses: most likely a misspelt key, whose text
    /// nothing shows.
    pub(crate) fn unused_site_strings(&self, used: &BTreeSet<String>, diags: &mut Diagnostics) {
        let Some(default) = &self.default else { return };
        let file = format!("{}/{default}.yaml", super::I18N_DIR);
        let known: Vec<&str> = self.builtin_default.iter().chain(used).map(String::as_str).collect();
        // `backlink.<kind>.<field>` labels a backlink group (`render::view::page`).
        let unused = |k: &str| !known.contains(&k) && !k.starts_with("backlink.");
        for (key, pos) in self.site_default_keys.iter().filter(|(k, _)| unused(k)) {
            let h = hint(key, known.iter().copied());
            diags.warning(
                &file,
                *pos,
                "i18n-unknown",
                format!("interface string `{key}` is not one of guidebook's and no template uses it, so nothing shows it{h}: rename it, or remove it"),
            );
        }
    }
}

impl I18n {
    /// Warns about each string of the default language that another language's file does
    /// not give (its default-language text is shown there), or once per language that
    /// gives none. Only strings that something shows count (guidebook's own, the
    /// `backlink.<kind>.<field>` labels and those in `used`, the keys the templates ask
    /// for): a misspelt key, which [`I18n::unused_site_strings`] reports, is not asked for.
    pub(crate) fn missing_strings(&self, used: &BTreeSet<String>, diags: &mut Diagnostics) {
        let Some((default, others)) = self.languages.split_first() else { return };
        let shown = |k: &&String| self.builtin_default.contains(*k) || used.contains(*k) || k.starts_with("backlink.");
        let reference: Vec<&String> =
            self.strings.get(default).into_iter().flat_map(|m| m.keys()).filter(shown).collect();
        let dir = super::I18N_DIR;
        for lang in others {
            let Some(map) = self.strings.get(lang) else { continue };
            let missing: Vec<&&String> = reference.iter().filter(|k| !map.contains_key(**k)).collect();
            let file = format!("{dir}/{lang}.yaml");
            if map.is_empty() && !missing.is_empty() {
                diags.warning(
                    &file,
                    Pos::default(),
                    "i18n-missing",
                    format!("there are no interface strings for `{lang}`: the `{default}` ones are used; create {file} with the keys of {dir}/{default}.yaml"),
                );
                continue;
            }
            for key in missing {
                diags.warning(
                    &file,
                    Pos::default(),
                    "i18n-missing",
                    format!("interface string `{key}` is missing in `{lang}`: the `{default}` text is used until you add it"),
                );
            }
        }
    }
}

/// The keys of the site's interface file `text`, with the position of each.
pub(super) fn keys_with_positions(text: &str) -> Vec<(String, Pos)> {
    let Ok(serde_yaml::Value::Mapping(entries)) = serde_yaml::from_str::<serde_yaml::Value>(text) else {
        return Vec::new();
    };
    let loc = Locator::new(text, 1);
    entries.keys().filter_map(|k| k.as_str()).map(|k| (k.to_string(), loc.key(&[k]))).collect()
}

/// Runs the checks of this module on the site's own files, and keeps the keys of its
/// default-language file for [`I18n::unused_site_strings`].
pub(super) fn check_site_files(
    i18n: &mut I18n,
    builtin_default: &IndexMap<String, Text>,
    files: &[SiteFile],
    diags: &mut Diagnostics,
) {
    let Some(default) = i18n.default.clone() else { return };
    i18n.builtin_default = builtin_default.keys().cloned().collect();
    for file in files {
        let translated = file.lang != default;
        let reference = if translated { &i18n.strings[&default] } else { builtin_default };
        let strings = &i18n.strings[&file.lang];
        Check { file, default: &default, reference, strings, translated }.run(diags);
        if !translated {
            i18n.site_default_keys = keys_with_positions(&file.text);
        }
    }
}

/// The keys a template asks for with `t(key="...")`, with their positions.
pub(crate) fn template_keys(source: &str) -> Vec<(String, Pos)> {
    let mut keys = Vec::new();
    for (i, line) in source.lines().enumerate() {
        let mut from = 0;
        while let Some(at) = line[from..].find("(key=") {
            let open = from + at;
            from = open + 5;
            let start = line[..open]
                .char_indices()
                .rev()
                .find(|(_, c)| !(c.is_alphanumeric() || *c == '_'))
                .map_or(0, |(i, c)| i + c.len_utf8());
            // `t(key=...)` and `t_script(key=...)`, not `not_t(key=...)`.
            if !matches!(&line[start..open], "t" | "t_script") {
                continue;
            }
            let rest = &line[open + 5..];
            let Some(quote) = rest.chars().next().filter(|c| *c == '"' || *c == '\'') else {
                continue;
            };
            if let Some(end) = rest[1..].find(quote) {
                keys.push((rest[1..1 + end].to_string(), Pos::new(i + 1, line[..start].chars().count() + 1)));
            }
        }
    }
    keys
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_template_keys() {
        let keys = template_keys(
            "<a>{{ t(key=\"next\") }}</a> {{ t(key='prev', x=1) }}\n{{ not_t(key=\"no\") }} {{ t_script(key='s') }}",
        );
        assert_eq!(
            keys,
            [
                ("next".to_string(), Pos::new(1, 7)),
                ("prev".to_string(), Pos::new(1, 31)),
                ("s".to_string(), Pos::new(2, 26))
            ]
        );
    }
}
