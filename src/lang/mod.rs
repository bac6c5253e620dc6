//! Languages: validated codes, their names, dates in each language, and the interface
//! strings of `i18n/<lang>.yaml` with their fallback to the default language.
//!
//! Load stage. Interface strings come from the files built into the binary (the default
//! theme's) merged with the site's own `i18n/` folder, key by key.

mod checks;

pub(crate) use checks::template_keys;

use crate::diagnostics::{Diagnostics, Pos};
use crate::yaml::{self, Locator};
use include_dir::{include_dir, Dir};
use indexmap::IndexMap;
use std::collections::BTreeMap;
use std::fmt;
use std::path::Path;

static BUILTIN_I18N: Dir<'static> = include_dir!("$CARGO_MANIFEST_DIR/i18n");

/// The folder of interface strings, relative to the site root.
pub(crate) const I18N_DIR: &str = "i18n";

/// A validated language code (`en`, `fr`, `pt-BR`): a BCP 47 tag whose language is in ISO 639.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize)]
pub(crate) struct Lang(String);

/// Why a language code was refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum LangError {
    /// Not shaped like a language tag.
    Malformed,
    /// Well formed, but ISO 639 has no such language.
    Unknown,
}

impl Lang {
    /// Validates a code as written in `site.yaml` or a file name.
    pub(crate) fn parse(code: &str) -> Result<Lang, LangError> {
        let locale: icu_locale_core::Locale = code.parse().map_err(|_| LangError::Malformed)?;
        let primary = locale.id.language.as_str();
        if primary != code.split('-').next().unwrap_or_default() || code.contains('_') {
            return Err(LangError::Malformed);
        }
        let known = match primary.len() {
            2 => isolang::Language::from_639_1(primary).is_some(),
            3 => isolang::Language::from_639_3(primary).is_some(),
            _ => false,
        };
        if known {
            Ok(Lang(code.to_string()))
        } else {
            Err(LangError::Unknown)
        }
    }

    /// The code as written in `site.yaml`.
    pub(crate) fn as_str(&self) -> &str {
        &self.0
    }

    fn iso(&self) -> Option<isolang::Language> {
        let primary = self.0.split('-').next()?;
        isolang::Language::from_639_1(primary).or_else(|| isolang::Language::from_639_3(primary))
    }

    /// The locale of the language's dates and numbers when `site.yaml` names none: the
    /// code itself, except English, which follows British (European) conventions:
    /// `14 May 2019`.
    pub(crate) fn default_locale(&self) -> icu_locale_core::Locale {
        let code = if self.0 == "en" { "en-GB" } else { self.0.as_str() };
        code.parse().unwrap_or(icu_locale_core::Locale::UNKNOWN)
    }

    /// The language's name in itself, capitalised: `Français`, `Ελληνικά`, `Български`.
    pub(crate) fn autonym(&self) -> String {
        let name = self.iso().and_then(|l| l.to_autonym()).unwrap_or(self.0.as_str());
        capitalise(name)
    }
}

impl fmt::Display for Lang {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

fn capitalise(s: &str) -> String {
    let mut chars = s.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// A key that orders titles as readers expect in an index rather than by code point:
/// case and accents ignored (`Département` before `Direction`, `Αθήνα` beside `Αγία`), each
/// script kept in its own order. The text is decomposed (Unicode NFD) and its combining
/// marks (U+0300 to U+036F) dropped; ties are broken by the caller.
pub(crate) fn sort_key(text: &str) -> String {
    icu_normalizer::DecomposingNormalizerBorrowed::new_nfd()
        .normalize(text)
        .chars()
        .filter(|c| !('\u{0300}'..='\u{036f}').contains(c))
        .flat_map(char::to_lowercase)
        .collect()
}

/// Dates written out in the conventions of each language (month names, order), by ICU4X.
/// ICU's formatters cannot be shared between threads, so every date a build shows is
/// formatted once, up front, and rendering reads the results.
pub(crate) struct DateFormats {
    texts: BTreeMap<(Lang, chrono::NaiveDate), String>,
}

impl DateFormats {
    /// Formats each of `dates` in each of `langs`, following each one's locale.
    pub(crate) fn new(
        langs: &[(Lang, icu_locale_core::Locale)],
        dates: impl IntoIterator<Item = chrono::NaiveDate>,
    ) -> Self {
        use chrono::Datelike;
        let dates: std::collections::BTreeSet<chrono::NaiveDate> = dates.into_iter().collect();
        let mut texts = BTreeMap::new();
        for (lang, locale) in langs {
            let Ok(f) = icu_datetime::DateTimeFormatter::try_new(locale.into(), icu_datetime::fieldsets::YMD::long())
            else {
                continue;
            };
            for &date in &dates {
                let (Ok(month), Ok(day)) = (u8::try_from(date.month()), u8::try_from(date.day())) else {
                    continue;
                };
                if let Ok(d) = icu_calendar::Date::try_new_iso(date.year(), month, day) {
                    texts.insert((lang.clone(), date), f.format(&d).to_string());
                }
            }
        }
        DateFormats { texts }
    }

    /// `date` written out in `lang` ("14 mai 2019"), or ISO 8601 when ICU has no data.
    pub(crate) fn long(&self, date: chrono::NaiveDate, lang: &Lang) -> String {
        self.texts.get(&(lang.clone(), date)).cloned().unwrap_or_else(|| date.format("%Y-%m-%d").to_string())
    }
}

/// Interface strings per language, with the default language's as fallback.
#[derive(Debug, Default)]
pub(crate) struct I18n {
    strings: BTreeMap<Lang, IndexMap<String, Text>>,
    default: Option<Lang>,
    /// The locale of each language, whose CLDR plural rules choose among a string's forms.
    locales: BTreeMap<Lang, icu_locale_core::Locale>,
    /// The keys of guidebook's built-in strings in the default language.
    builtin_default: Vec<String>,
    /// The keys of the site's own default-language file, where each is written.
    site_default_keys: Vec<(String, Pos)>,
    /// The site's languages, the default first.
    languages: Vec<Lang>,
}

/// The CLDR plural categories a string's forms are named after
/// (<https://cldr.unicode.org/index/cldr-spec/plural-rules>).
pub(crate) const PLURAL_CATEGORIES: [&str; 6] = ["zero", "one", "two", "few", "many", "other"];

/// One interface string as `i18n/<lang>.yaml` writes it.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
#[serde(untagged)]
pub(crate) enum Text {
    /// `key: "text"`: the same whatever the number.
    Plain(String),
    /// `key: { one: "{count} result", other: "{count} results" }`: a form per CLDR plural
    /// category ([`PLURAL_CATEGORIES`]), chosen by the number `{count}` stands for in the
    /// language's plural rules; `other` is always present and stands in for missing ones.
    Plural(BTreeMap<String, String>),
}

impl Text {
    /// The text for `count` in `locale` (`other` when there is no count or no form for it).
    fn select(&self, count: Option<u64>, locale: Option<&icu_locale_core::Locale>) -> &str {
        match self {
            Text::Plain(s) => s,
            Text::Plural(forms) => {
                let category = count.zip(locale).and_then(|(n, l)| plural_category(l, n));
                category.and_then(|c| forms.get(c)).or_else(|| forms.get("other")).map_or("", String::as_str)
            }
        }
    }
}

/// The CLDR plural category of the whole number `n` in `locale`, by ICU4X's rules
/// (already built in for dates), or `None` when ICU has no rules for it.
fn plural_category(locale: &icu_locale_core::Locale, n: u64) -> Option<&'static str> {
    use icu_plurals::{PluralCategory, PluralRules};
    let rules = PluralRules::try_new_cardinal(locale.into()).ok()?;
    Some(match rules.category_for(n) {
        PluralCategory::Zero => "zero",
        PluralCategory::One => "one",
        PluralCategory::Two => "two",
        PluralCategory::Few => "few",
        PluralCategory::Many => "many",
        PluralCategory::Other => "other",
    })
}

/// `text` with each `{name}` of `args` replaced by its value, in one pass: a value that
/// itself contains `{name}` (a page title, say) is published as written.
fn fill_args(text: &str, args: &[(&str, &str)]) -> String {
    let mut out = String::with_capacity(text.len() + 64);
    let mut rest = text;
    while let Some(open) = rest.find('{') {
        out.push_str(&rest[..open]);
        let after = &rest[open + 1..];
        let value = after.find('}').and_then(|close| {
            let name = &after[..close];
            args.iter().find(|(n, _)| *n == name).map(|(_, v)| (*v, close))
        });
        match value {
            Some((v, close)) => {
                out.push_str(v);
                rest = &after[close + 1..];
            }
            None => {
                out.push('{');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

impl I18n {
    /// The string `key` in `lang`, else in the default language, with the language it is in.
    fn text(&self, lang: &Lang, key: &str) -> Option<(&Lang, &Text)> {
        let in_lang = |l: &'_ Lang| self.strings.get_key_value(l).and_then(|(l, m)| m.get(key).map(|t| (l, t)));
        in_lang(lang).or_else(|| self.default.as_ref().and_then(in_lang))
    }

    /// The string `key` in `lang`, else in the default language (a string with plural
    /// forms gives its `other` form).
    pub(crate) fn get(&self, lang: &Lang, key: &str) -> Option<&str> {
        self.text(lang, key).map(|(_, t)| t.select(None, None))
    }

    /// The string `key` in `lang` with `{name}` placeholders filled from `args`; of a string
    /// with plural forms, the form for the number given as `count`.
    pub(crate) fn format(&self, lang: &Lang, key: &str, args: &[(&str, &str)]) -> String {
        let Some((written_in, text)) = self.text(lang, key) else { return fill_args(key, args) };
        let count = args.iter().find(|(n, _)| *n == "count").and_then(|(_, v)| v.trim().parse::<u64>().ok());
        fill_args(text.select(count, self.locales.get(written_in)), args)
    }

    /// The string `key` in `lang` as the browser's scripts take it: a text, or an object of
    /// forms by plural category.
    pub(crate) fn forms(&self, lang: &Lang, key: &str) -> Text {
        self.text(lang, key).map_or_else(|| Text::Plain(key.to_string()), |(_, t)| t.clone())
    }

    /// The locale (BCP 47) whose plural rules the browser applies to `lang`'s strings, as
    /// the build does.
    pub(crate) fn locale(&self, lang: &Lang) -> String {
        self.locales.get(lang).map_or_else(|| lang.to_string(), ToString::to_string)
    }

    /// Like [`I18n::format`], for a language named by its code (from a template).
    pub(crate) fn format_code(&self, code: &str, key: &str, args: &[(&str, &str)]) -> String {
        let lang = self.strings.keys().find(|l| l.as_str() == code).or(self.default.as_ref());
        match lang {
            Some(l) => self.format(l, key, args),
            None => key.to_string(),
        }
    }

    /// The string `key` for a script, in the language named by `code` (from a template):
    /// `{"locale": "en-GB", "text": ...}`, the text plain or its plural forms, which the
    /// script chooses among with `Intl.PluralRules` for that locale, as the build does.
    pub(crate) fn script_text(&self, code: &str, key: &str) -> String {
        let lang = self.strings.keys().find(|l| l.as_str() == code).or(self.default.as_ref());
        let (locale, text) = match lang {
            Some(l) => (self.locale(l), self.forms(l, key)),
            None => (code.to_string(), Text::Plain(key.to_string())),
        };
        serde_json::json!({ "locale": locale, "text": text }).to_string()
    }

    /// Whether the default language defines `key`.
    pub(crate) fn has_default(&self, key: &str) -> bool {
        self.default.as_ref().and_then(|d| self.strings.get(d)).is_some_and(|m| m.contains_key(key))
    }
}

/// Loads the interface strings of `langs`: built-in files, then the site's `i18n/`.
/// Keys missing in a language are warnings; malformed files are errors.
/// `langs` come with their locales (`Config::lang_locales`), whose plural rules choose
/// among a string's forms.
pub(crate) fn load_i18n(root: &Path, langs: &[(Lang, icu_locale_core::Locale)], diags: &mut Diagnostics) -> I18n {
    let locales: BTreeMap<Lang, icu_locale_core::Locale> = langs.iter().cloned().collect();
    let langs: Vec<Lang> = langs.iter().map(|(l, _)| l.clone()).collect();
    let mut i18n = I18n { default: langs.first().cloned(), locales, ..I18n::default() };
    let mut builtin_default = IndexMap::new();
    let mut site_files = Vec::new();
    for lang in &langs {
        let mut map = IndexMap::new();
        let name = format!("{lang}.yaml");
        if let Some(text) = BUILTIN_I18N.get_file(&name).and_then(|f| f.contents_utf8()) {
            // The built-in files are tested; a problem in them is reported like a site's.
            read_strings(&format!("{I18N_DIR}/{name}"), text, &mut map, diags);
            if Some(lang) == langs.first() {
                builtin_default = map.clone();
            }
        }
        let path = root.join(I18N_DIR).join(&name);
        if path.is_file() {
            let shown = format!("{I18N_DIR}/{name}");
            let bytes = std::fs::read(&path).map_err(|e| (Pos::default(), "i18n", format!("cannot be read: {e}")));
            match bytes.and_then(|b| crate::decode::decode(&b)) {
                Ok(text) => {
                    read_strings(&shown, &text, &mut map, diags);
                    site_files.push(checks::SiteFile { lang: lang.clone(), shown, text });
                }
                // An empty file (or one of comments only) changes no string.
                Err((_, crate::decode::EMPTY_FILE, _)) => {}
                Err((pos, _, message)) => diags.error(&shown, pos, "i18n", message),
            }
        }
        i18n.strings.insert(lang.clone(), map);
    }
    checks::check_site_files(&mut i18n, &builtin_default, &site_files, diags);
    i18n.languages = langs;
    i18n
}

fn read_strings(file: &str, text: &str, map: &mut IndexMap<String, Text>, diags: &mut Diagnostics) {
    let value = match yaml::parse(text, 1, file) {
        Ok(v) => v,
        Err(e) => {
            diags.error(file, e.pos, "i18n", e.message.replace(&format!("{file} is not valid YAML"), "not valid YAML"));
            return;
        }
    };
    let serde_yaml::Value::Mapping(entries) = value else {
        if !value.is_null() {
            diags.error(file, Pos::start(), "i18n", "an interface file is a list of `key: text` lines");
        }
        return;
    };
    let loc = Locator::new(text, 1);
    for (k, v) in entries {
        let Some(key) = k.as_str() else {
            diags.error(file, Pos::start(), "i18n", "every key of an interface file must be text");
            continue;
        };
        match v {
            serde_yaml::Value::String(s) => {
                map.insert(key.to_string(), Text::Plain(s));
            }
            serde_yaml::Value::Mapping(forms) if forms.keys().all(|k| k.as_str().is_some()) => {
                if let Some(forms) = plural_forms(file, &loc, key, forms, diags) {
                    map.insert(key.to_string(), Text::Plural(forms));
                }
            }
            other => {
                let kind = match other {
                    serde_yaml::Value::Mapping(_) => "a set of `key: value` pairs",
                    serde_yaml::Value::Sequence(_) => "a list",
                    serde_yaml::Value::Null => "empty",
                    _ => "not text",
                };
                let hint = if matches!(other, serde_yaml::Value::Bool(_) | serde_yaml::Value::Number(_)) {
                    " (put it in quotes)"
                } else {
                    ""
                };
                diags.error(
                    file,
                    loc.value(&[key]),
                    "i18n",
                    format!("interface string `{key}` is {kind}; it must be text{hint}"),
                );
            }
        }
    }
}

/// The forms of the string `key`, one per CLDR plural category (`one: "{count} result"`),
/// each checked; `None`, reported, when one is wrong or `other` is missing.
fn plural_forms(
    file: &str,
    loc: &Locator,
    key: &str,
    forms: serde_yaml::Mapping,
    diags: &mut Diagnostics,
) -> Option<BTreeMap<String, String>> {
    let mut out = BTreeMap::new();
    let mut fine = true;
    for (form, value) in forms {
        let form = form.as_str().unwrap_or_default().to_string();
        if !PLURAL_CATEGORIES.contains(&form.as_str()) {
            let hint = crate::diagnostics::hint(&form, PLURAL_CATEGORIES);
            diags.error(
                file,
                loc.key(&[key, &form]),
                "i18n",
                format!("interface string `{key}` has a form `{form}`, which is not a plural category: name its forms `zero`, `one`, `two`, `few`, `many` or `other`, as CLDR does for the language{hint}"),
            );
            fine = false;
            continue;
        }
        match value {
            serde_yaml::Value::String(text) if form == "other" && text.trim().is_empty() => {
                diags.error(
                    file,
                    loc.value(&[key, &form]),
                    "i18n",
                    format!("form `other` of interface string `{key}` is empty: it stands for every number without a form of its own, so readers would see nothing; write its text"),
                );
                fine = false;
            }
            serde_yaml::Value::String(text) => {
                out.insert(form, text);
            }
            _ => {
                diags.error(
                    file,
                    loc.value(&[key, &form]),
                    "i18n",
                    format!(
                        "form `{form}` of interface string `{key}` is not text; it must be text (put it in quotes)"
                    ),
                );
                fine = false;
            }
        }
    }
    if fine && !out.contains_key("other") {
        diags.error(
            file,
            loc.value(&[key]),
            "i18n",
            format!("interface string `{key}` has no `other` form, which every language uses (for `2` in English): add `other: \"...\"`"),
        );
        fine = false;
    }
    fine.then_some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn titles_sort_without_case_or_accents_each_script_in_its_order() {
        let mut titles = ["Direction", "Département", "école", "Zéro", "Άλφα", "Βήτα", "αγία"];
        titles.sort_by_key(|t| sort_key(t));
        assert_eq!(titles, ["Département", "Direction", "école", "Zéro", "αγία", "Άλφα", "Βήτα"]);
    }

    #[test]
    fn arguments_are_filled_in_one_pass() {
        assert_eq!(
            fill_args("{title} ({lang}) {unknown} {", &[("title", "A {lang} page"), ("lang", "fr")]),
            "A {lang} page (fr) {unknown} {"
        );
    }

    #[test]
    fn codes_are_checked_against_iso_639() {
        assert_eq!(Lang::parse("fr").map(|l| l.autonym()), Ok("Français".to_string()));
        assert_eq!(Lang::parse("el").map(|l| l.autonym()), Ok("Ελληνικά".to_string()));
        assert_eq!(Lang::parse("bg").map(|l| l.autonym()), Ok("Български".to_string()));
        assert!(Lang::parse("pt-BR").is_ok());
        assert_eq!(Lang::parse("xx"), Err(LangError::Unknown));
        assert_eq!(Lang::parse("english"), Err(LangError::Malformed));
        assert_eq!(Lang::parse("pt_BR"), Err(LangError::Malformed));
        assert_eq!(Lang::parse("FR"), Err(LangError::Malformed));
    }

    #[test]
    fn dates_follow_each_language() {
        let langs: Vec<(Lang, icu_locale_core::Locale)> = ["en", "fr", "de", "el"]
            .iter()
            .filter_map(|c| Lang::parse(c).ok())
            .map(|l| (l.clone(), l.default_locale()))
            .collect();
        let d = chrono::NaiveDate::from_ymd_opt(2019, 5, 14).unwrap_or_default();
        let f = DateFormats::new(&langs, [d]);
        let out: Vec<String> = langs.iter().map(|(l, _)| f.long(d, l)).collect();
        assert_eq!(out, ["14 May 2019", "14 mai 2019", "14. Mai 2019", "14 Μαΐου 2019"]);
        let us = Lang::parse("en").unwrap_or_else(|_| langs[0].0.clone());
        let f = DateFormats::new(&[(us.clone(), "en-US".parse().unwrap_or(icu_locale_core::Locale::UNKNOWN))], [d]);
        assert_eq!(f.long(d, &us), "May 14, 2019");
    }

    #[test]
    fn i18n_values_must_be_text() {
        let mut d = Diagnostics::new();
        let mut map = IndexMap::new();
        read_strings("i18n/fr.yaml", "next: Suivant\ncount: 3\nnested:\n  a: b\nlist: [a]\n", &mut map, &mut d);
        let lines: Vec<String> = d.sorted().iter().map(|d| d.to_human("")).collect();
        assert_eq!(
            lines,
            [
                "i18n/fr.yaml:2:8: error: interface string `count` is not text; it must be text (put it in quotes)",
                "i18n/fr.yaml:4:3: error: interface string `nested` has a form `a`, which is not a plural category: name its forms `zero`, `one`, `two`, `few`, `many` or `other`, as CLDR does for the language",
                "i18n/fr.yaml:5:7: error: interface string `list` is a list; it must be text",
            ]
        );
        assert_eq!(map.get("next"), Some(&Text::Plain("Suivant".into())));
    }

    #[test]
    fn plural_forms_follow_each_language() {
        let mut d = Diagnostics::new();
        let mut map = IndexMap::new();
        let yaml =
            "n:\n  one: \"{count} résultat\"\n  many: \"{count} de résultats\"\n  other: \"{count} résultats\"\n\
                    bad:\n  singular: x\n  other: y\nnone:\n  one: x\n";
        read_strings("i18n/fr.yaml", yaml, &mut map, &mut d);
        let lines: Vec<String> = d.sorted().iter().map(|d| d.to_human("")).collect();
        assert_eq!(
            lines,
            [
                "i18n/fr.yaml:6:3: error: interface string `bad` has a form `singular`, which is not a plural category: name its forms `zero`, `one`, `two`, `few`, `many` or `other`, as CLDR does for the language",
                "i18n/fr.yaml:9:3: error: interface string `none` has no `other` form, which every language uses (for `2` in English): add `other: \"...\"`",
            ]
        );
        let fr = Lang::parse("fr").unwrap_or_else(|_| Lang(String::new()));
        let en = Lang::parse("en").unwrap_or_else(|_| Lang(String::new()));
        let mut i18n = I18n { default: Some(en.clone()), ..I18n::default() };
        i18n.strings.insert(fr.clone(), map);
        i18n.strings.insert(en.clone(), IndexMap::new());
        i18n.locales.insert(fr.clone(), fr.default_locale());
        // French: 0 and 1 are singular; a million takes "de".
        let shown: Vec<String> =
            ["0", "1", "2", "1000000"].iter().map(|n| i18n.format(&fr, "n", &[("count", n)])).collect();
        assert_eq!(shown, ["0 résultat", "1 résultat", "2 résultats", "1000000 de résultats"]);
        assert_eq!(i18n.get(&fr, "n"), Some("{count} résultats"));
    }
}
