//! Load stage: the validator. The raw `site.yaml` ([`super::raw`]) becomes a trusted
//! [`Config`]; every problem is reported at its line and column (by [`crate::yaml`]'s
//! locator), most with a did-you-mean. Kinds and their fields are checked in
//! [`super::kinds`].

use super::raw::{RawConfig, RawGlossary, RawLanguage, RawMarkdown, RawSection, RawTaxonomy, RawTerm};
use super::*;
use crate::diagnostics::{hint, Diagnostics, Pos};
use crate::lang::LangError;
use crate::yaml::{self, Locator};

/// Parses and validates the text of `site.yaml`. Problems go to `diags`; `None` when the
/// configuration cannot be used at all.
pub(crate) fn load(text: &str, diags: &mut Diagnostics) -> Option<Config> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    if let Err(e) = yaml::parse(text, 1, CONFIG_FILE) {
        let message = e.message.replace("site.yaml is not valid YAML", "not valid YAML");
        diags.error(CONFIG_FILE, e.pos, e.code, message);
        return None;
    }
    let raw: RawConfig = match serde_yaml::from_str(text) {
        Ok(raw) => raw,
        Err(e) => {
            let e = yaml::from_serde(&e, 1, CONFIG_FILE);
            // The position already names the file: say what is wrong, not where again.
            let message = e.message.strip_prefix("site.yaml is not valid YAML: ").unwrap_or(&e.message);
            diags.error(CONFIG_FILE, e.pos, "config", format!("{message}{}", unknown_field_hint(message)));
            return None;
        }
    };
    let loc = Locator::new(text, 1);
    let mut v = Validator { loc: &loc, diags };
    v.config(raw)
}

/// ` (did you mean `label`?)` for serde's "unknown field `lable`, expected one of
/// `section`, `page`, `pages`, `label`" (or "expected `light` or `dark`").
fn unknown_field_hint(message: &str) -> String {
    let Some(rest) = message.split("unknown field `").nth(1) else { return String::new() };
    let Some((field, expected)) = rest.split_once("`, expected ") else { return String::new() };
    let known: Vec<&str> = expected.split('`').skip(1).step_by(2).collect();
    hint(field, known)
}

/// Checks the raw configuration, reporting each problem at its place in `site.yaml`.
pub(super) struct Validator<'a, 'd> {
    pub(super) loc: &'a Locator<'a>,
    pub(super) diags: &'d mut Diagnostics,
}

impl Validator<'_, '_> {
    pub(super) fn err(&mut self, pos: Pos, message: String) {
        self.diags.error(CONFIG_FILE, pos, "config", message);
    }

    fn config(&mut self, raw: RawConfig) -> Option<Config> {
        let languages = self.languages(&raw.languages)?;
        let locales = self.locales(&raw.languages, &languages);
        for (path, text) in [(vec!["title"], Some(&raw.title)), (vec!["description"], raw.description.as_ref())] {
            self.localized(&path, text, &languages);
        }
        let base_url = raw.base_url.as_deref().and_then(|u| self.base_url(u));
        let taxonomies = self.taxonomies(raw.taxonomies, &languages);
        let kinds = self.kinds(raw.kinds, &taxonomies, &languages);
        let sections = self.sections(raw.sections, &kinds, &languages);
        for name in sections.keys().filter(|n| taxonomies.contains_key(*n)) {
            let pos = self.loc.key(&["taxonomies", name]);
            self.err(
                pos,
                format!(
                    "taxonomy `{name}` has the same name as a section: their pages would share one address; rename one"
                ),
            );
        }
        let glossary = raw.glossary.and_then(|g| self.glossary(g, &kinds));
        let names: Vec<&str> = sections.keys().map(String::as_str).collect();
        let menu = self.menu(raw.menu, raw.footer, &names, &languages);
        let markdown = self.markdown(raw.markdown);
        let theme = raw.theme.unwrap_or_else(|| "default".to_string());
        if !is_id_segment(&theme) {
            let pos = self.loc.value(&["theme"]);
            self.err(
                pos,
                format!("theme `{theme}` is not a valid folder name: use lowercase letters, digits and hyphens"),
            );
        }
        let ignore = self.ignore(&raw.ignore);
        let branding = self.branding(raw.favicon, raw.branding, &languages);
        let statement = raw.accessibility.and_then(|s| self.statement(s, &languages));
        let print = self.print(raw.print);
        Some(Config {
            branding,
            statement,
            ignore,
            title: raw.title,
            description: raw.description,
            languages,
            locales,
            menu,
            base_url,
            theme,
            sections,
            kinds,
            taxonomies,
            glossary,
            markdown,
            print,
        })
    }

    /// `glossary:`: its kind must be declared, and each field it reads declared on that
    /// kind with the role's type (see [`GlossaryFields`]).
    fn glossary(&mut self, g: RawGlossary, kinds: &IndexMap<String, KindConfig>) -> Option<GlossaryConfig> {
        let Some(kind) = kinds.get(&g.kind) else {
            let pos = self.loc.value(&["glossary", "kind"]);
            let h = hint(&g.kind, kinds.keys().map(String::as_str));
            self.err(pos, format!("glossary kind `{}` is not declared under `kinds`{h}", g.kind));
            return None;
        };
        let mut fields = GlossaryFields::default();
        // Roles given a field in `glossary.fields`, and the role each field has there.
        let mut given: Vec<String> = Vec::new();
        let mut taken: IndexMap<String, String> = IndexMap::new();
        for (role, name) in g.fields {
            let Some(slot) = fields.name_mut(&role) else {
                let pos = self.loc.key(&["glossary", "fields", &role]);
                let roles = GlossaryFields::ROLES.map(|(r, _)| r);
                let h = hint(&role, roles);
                self.err(
                    pos,
                    format!(
                        "`glossary.fields` has no role `{role}`{h}; the roles are {}",
                        quote_list(&roles.map(String::from))
                    ),
                );
                continue;
            };
            if !kind.fields.contains_key(&name) {
                let pos = self.loc.value(&["glossary", "fields", &role]);
                let h = hint(&name, kind.fields.keys().map(String::as_str));
                self.err(pos, format!("glossary field `{name}` is not a field of kind `{}`{h}", g.kind));
                continue;
            }
            if let Some(other) = taken.insert(name.clone(), role.clone()) {
                let pos = self.loc.value(&["glossary", "fields", &role]);
                self.err(
                    pos,
                    format!("field `{name}` is already the glossary's `{other}`: give each role a field of its own"),
                );
                continue;
            }
            *slot = name;
            given.push(role);
        }
        for (role, _) in GlossaryFields::ROLES.iter().filter(|(r, _)| !given.iter().any(|g| g == r)) {
            let default = fields.name_mut(role).map(|n| n.clone()).unwrap_or_default();
            if let Some(other) = taken.get(&default).filter(|_| kind.fields.contains_key(&default)) {
                let pos = self.loc.value(&["glossary", "fields", other]);
                self.err(
                    pos,
                    format!("field `{default}` is the glossary's `{role}` by its name: give `{other}` another field, or name the `{role}` field as well"),
                );
            }
        }
        for (role, wanted) in GlossaryFields::ROLES {
            let name = fields.name_mut(role).map(|n| n.clone()).unwrap_or_default();
            match kind.fields.get(&name) {
                Some(f) if !GlossaryFields::fits(role, &f.ty) => {
                    // Where the editor chose the field, or else where the field is declared.
                    let pos = if given.iter().any(|r| r == role) {
                        self.loc.value(&["glossary", "fields", role])
                    } else {
                        self.loc.key(&["kinds", &g.kind, "fields", &name])
                    };
                    self.err(
                        pos,
                        format!(
                            "field `{name}` of kind `{}` is the glossary's `{role}`, so it must be {wanted}, but it is {}",
                            g.kind,
                            f.ty.describe()
                        ),
                    );
                }
                _ => {}
            }
        }
        Some(GlossaryConfig { kind: g.kind, fields })
    }

    fn markdown(&mut self, raw: Option<RawMarkdown>) -> MarkdownConfig {
        let Some(name) = raw.and_then(|m| m.raw_html) else { return MarkdownConfig::default() };
        match RawHtml::parse(&name) {
            Some(raw_html) => MarkdownConfig { raw_html },
            None => {
                let pos = self.loc.value(&["markdown", "raw_html"]);
                let h = hint(&name, RawHtml::NAMES);
                self.err(
                    pos,
                    format!(
                        "`raw_html: {name}` is not a choice{h}: write `sanitize` (the default), `escape` or `allow`"
                    ),
                );
                MarkdownConfig::default()
            }
        }
    }

    /// `ignore:` globs, each bad one reported at its place.
    fn ignore(&mut self, globs: &[String]) -> crate::ignore::Ignore {
        crate::ignore::Ignore::new(globs).unwrap_or_else(|bad| {
            for b in bad {
                let pos = self.loc.item(&["ignore"], &b.glob);
                self.err(pos, format!("ignore pattern `{}` is not a valid glob: {}", b.glob, b.reason));
            }
            crate::ignore::Ignore::builtin()
        })
    }

    fn languages(&mut self, raw: &[RawLanguage]) -> Option<Vec<Lang>> {
        let codes: Vec<&str> = raw.iter().map(RawLanguage::code).collect();
        if codes.is_empty() {
            let pos = self.loc.key(&["languages"]);
            self.err(pos, "`languages` is empty: list at least one language code, e.g. `languages: [en]`".into());
            return None;
        }
        let mut langs: Vec<Lang> = Vec::new();
        for code in codes {
            let pos = self.loc.item(&["languages"], code);
            match Lang::parse(code) {
                Ok(l) if langs.contains(&l) => self.err(pos, format!("language `{code}` is listed twice")),
                Ok(l) => langs.push(l),
                Err(LangError::Malformed) => self.err(
                    pos,
                    format!("`{code}` is not a language code: use an ISO 639 code such as `en`, `fr` or `pt-BR`"),
                ),
                Err(LangError::Unknown) => self.err(
                    pos,
                    format!("`{code}` is not a known language code (ISO 639): use a code such as `en`, `fr`, `de`, `el` or `bg`"),
                ),
            }
        }
        (!langs.is_empty()).then_some(langs)
    }

    /// The `locale:` given to languages, checked: a locale of the same language.
    fn locales(&mut self, raw: &[RawLanguage], langs: &[Lang]) -> BTreeMap<Lang, String> {
        let mut locales = BTreeMap::new();
        for item in raw {
            let RawLanguage::Full { code, locale } = item else { continue };
            let Some(lang) = langs.iter().find(|l| l.as_str() == code) else { continue };
            let parsed = locale.parse::<icu_locale_core::Locale>().ok();
            let primary = lang.as_str().split('-').next().unwrap_or_default();
            if parsed.as_ref().is_some_and(|l| l.id.language.as_str() == primary) {
                locales.insert(lang.clone(), locale.clone());
            } else {
                let pos = self.loc.item(&["languages"], locale);
                self.err(
                    pos,
                    format!("`{locale}` is not a locale of `{code}`: write `{code}` followed by a region, e.g. `locale: {primary}-US`"),
                );
            }
        }
        locales
    }

    pub(super) fn localized(&mut self, path: &[&str], text: Option<&Localized>, langs: &[Lang]) {
        if let Some(Localized::Many(map)) = text {
            for code in map.keys() {
                if !langs.iter().any(|l| l.as_str() == code) {
                    let mut p: Vec<&str> = path.to_vec();
                    p.push(code);
                    let pos = self.loc.key(&p);
                    let declared: Vec<&str> = langs.iter().map(Lang::as_str).collect();
                    self.err(
                        pos,
                        format!(
                            "`{}` has a text for language `{code}`, which `languages` does not declare{}",
                            path.join("."),
                            hint(code, declared.iter().copied())
                        ),
                    );
                }
            }
        }
    }

    fn base_url(&mut self, raw: &str) -> Option<String> {
        match crate::href::base_url(raw) {
            Ok(base) => Some(base),
            Err(why) => {
                let pos = self.loc.value(&["base_url"]);
                self.err(pos, format!("base_url `{raw}` {why}: write it like `https://example.org/guidebook/`"));
                None
            }
        }
    }

    fn taxonomies(&mut self, raw: IndexMap<String, RawTaxonomy>, langs: &[Lang]) -> IndexMap<String, TaxonomyConfig> {
        let mut out = IndexMap::new();
        for (name, t) in raw {
            if !is_id_segment(&name) {
                let pos = self.loc.key(&["taxonomies", &name]);
                self.err(pos, format!("taxonomy name `{name}` must use lowercase letters, digits, `-` and `_`"));
            }
            self.localized(&["taxonomies", &name, "title"], t.title.as_ref(), langs);
            let owner = format!("taxonomy `{name}`");
            let terms = t.terms.map(|raw| self.terms(&["taxonomies", &name, "terms"], &owner, "term", raw, langs));
            out.insert(name, TaxonomyConfig { title: t.title, terms });
        }
        out
    }

    /// Terms (of a taxonomy, or values of an enum field) are written as their name
    /// (`training`) or with translations (`{ en: training, fr: formation }`), the default
    /// language's name being the key. `path` is where the list stands in site.yaml,
    /// `owner` names it in messages (``taxonomy `themes` ``) and `item` names its items.
    pub(super) fn terms(
        &mut self,
        path: &[&str],
        owner: &str,
        item: &str,
        raw: Vec<RawTerm>,
        langs: &[Lang],
    ) -> Vec<Term> {
        let mut terms: Vec<Term> = Vec::new();
        for t in raw {
            let (key, names) = match t {
                RawTerm::Plain(key) => (key, IndexMap::new()),
                RawTerm::Other(value) => {
                    let text = match &value {
                        serde_yaml::Value::Number(n) => n.to_string(),
                        serde_yaml::Value::Bool(b) => b.to_string(),
                        _ => String::new(),
                    };
                    let pos = if text.is_empty() { self.loc.key(path) } else { self.loc.item(path, &text) };
                    let fix = if text.is_empty() {
                        "give it a name".to_string()
                    } else {
                        format!("write it in quotes: `\"{text}\"`")
                    };
                    self.err(pos, format!("each {item} of {owner} is a name, but `{text}` is not text: {fix}"));
                    continue;
                }
                RawTerm::Named(names) => {
                    let default = langs[0].as_str();
                    let Some(key) = names.get(default).cloned() else {
                        let first = names.values().next().cloned().unwrap_or_default();
                        let pos = self.loc.item(path, &first);
                        self.err(pos, format!("{item} `{first}` of {owner} has no name in `{default}`, the default language: add `{default}: ...`"));
                        continue;
                    };
                    for code in names.keys().filter(|c| !langs.iter().any(|l| l.as_str() == c.as_str())) {
                        let pos = self.loc.item(path, &key);
                        self.err(
                            pos,
                            format!("{item} `{key}` has a name in `{code}`, which `languages` does not declare"),
                        );
                    }
                    (key, names)
                }
            };
            let slug = slug::slugify(&key);
            if slug.is_empty() {
                let pos = self.loc.item(path, &key);
                self.err(pos, format!("{item} `{key}` of {owner} has no letter or digit, so it can have no address: name it with words"));
                continue;
            }
            if let Some(other) = terms.iter().find(|t| t.slug == slug) {
                let pos = self.loc.item(path, &key);
                self.err(
                    pos,
                    format!(
                        "{item}s `{}` and `{key}` of {owner} would have the same address `{slug}`: rename one",
                        other.key
                    ),
                );
                continue;
            }
            for (lang, name) in &names {
                let same = terms.iter().find(|t| t.names.get(lang) == Some(name));
                if let Some(other) = same {
                    let pos = self.loc.item(path, &key);
                    let message = format!("{item}s `{}` and `{key}` of {owner} have the same `{lang}` name `{name}`: readers could not tell them apart; rename one", other.key);
                    self.err(pos, message);
                }
            }
            terms.push(Term { key, slug, names });
        }
        terms
    }

    fn sections(
        &mut self,
        raw: IndexMap<String, RawSection>,
        kinds: &IndexMap<String, KindConfig>,
        langs: &[Lang],
    ) -> IndexMap<String, SectionConfig> {
        let mut out = IndexMap::new();
        for (name, s) in raw {
            if !is_id_segment(&name) {
                let pos = self.loc.key(&["sections", &name]);
                self.err(
                    pos,
                    format!("section name `{name}` must use lowercase letters, digits, `-` and `_`, like its folder"),
                );
            }
            self.localized(&["sections", &name, "title"], s.title.as_ref(), langs);
            let kind = s.kind.unwrap_or_else(|| DEFAULT_KIND.to_string());
            if !kinds.contains_key(&kind) {
                let pos = self.loc.value(&["sections", &name, "kind"]);
                let h = hint(&kind, kinds.keys().map(String::as_str));
                self.err(
                    pos,
                    format!("section `{name}` holds pages of kind `{kind}`, which is not declared under `kinds`{h}"),
                );
            }
            if let Some(k) = kinds.get(&kind) {
                for facet in &s.facets {
                    let pos = self.loc.item(&["sections", &name, "facets"], facet);
                    if k.fields.get(facet).is_some_and(|f| f.hidden) {
                        let fix = "remove it from `facets:` or its `hidden: true`";
                        self.err(pos, format!("facet `{facet}` is a field hidden from readers: {fix}"));
                        continue;
                    }
                    match k.fields.get(facet).map(|f| &f.ty) {
                        Some(FieldType::Taxonomy(_) | FieldType::Ref(_) | FieldType::Enum(_)) => {}
                        Some(FieldType::List(inner))
                            if matches!(inner.as_ref(), FieldType::Ref(_) | FieldType::Enum(_)) => {}
                        Some(_) => self.err(
                            pos,
                            format!("facet `{facet}` must be a taxonomy, reference or enum field of kind `{kind}`"),
                        ),
                        None => {
                            let h = hint(facet, k.fields.keys().map(String::as_str));
                            self.err(pos, format!("facet `{facet}` is not a field of kind `{kind}`{h}"));
                        }
                    }
                }
            }
            out.insert(name, SectionConfig { title: s.title, kind, weight: s.weight, facets: s.facets });
        }
        out
    }
}
