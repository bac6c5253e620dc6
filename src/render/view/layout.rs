//! Render stage, view layer: what surrounds every page. The layout (site title, main
//! navigation, breadcrumbs, links to the print and search pages and the feed), the
//! language switcher with its hreflang alternates and canonical address, and the pages
//! outside every language (the language chooser).

use super::View;
use crate::config::menu::{MenuEntry, MenuTarget};
use crate::config::Lang;
use crate::href;
use crate::render::context::{Alternate, LangChoice, LangLink, Layout, Link, NavItem, RootCtx};
use crate::render::family::{feeds, print, search_page};
use crate::render::{OutputFile, Problem, GENERATOR};
use crate::site::{IdIdx, OutDir, Status};

impl View<'_> {
    /// The layout of a page at `out`; `id` is the page id shown, for the switcher.
    pub(crate) fn layout(
        &self,
        out: &OutDir,
        lang: &Lang,
        id: Option<IdIdx>,
        crumbs: Vec<Link>,
        current: Option<&str>,
    ) -> Layout {
        let config = &self.site.config;
        let (nav, footer_links) = self.menu(out, lang, current);
        let (languages, alternates, canonical) = self.translations(out, lang, id);
        let root = self.site_root.map_or_else(|| "../".repeat(out.len()), str::to_string);
        Layout {
            brand: self.brand(lang, &root),
            lang: lang.to_string(),
            site_title: config.title_in(lang),
            site_description: config
                .description
                .as_ref()
                .and_then(|d| d.get(lang, config.default_lang()))
                .unwrap_or_default()
                .to_string(),
            root,
            home_url: self.url(out, &[lang.to_string()]),
            nav,
            footer_links,
            breadcrumbs: crumbs,
            build_date: self.opts.build_date.map(|d| self.date(d, lang)),
            generator: GENERATOR.to_string(),
            canonical,
            languages,
            alternates,
            print_url: self.url(out, &[lang.to_string(), print::SEGMENT.to_string()]),
            print_in_parts: self.print_plan.in_parts(lang),
            search_url: self.url(out, &[lang.to_string(), search_page::SEGMENT.to_string()]),
            search_strings: self.search_strings(lang),
            offline: self.opts.offline,
            feed_url: config.kinds.values().any(|k| k.feed).then(|| match self.site_root {
                Some(root) => format!("{root}{}/{}", href::segment(lang.as_str()), feeds::FEED_FILE),
                None => format!("{}{}", "../".repeat(out.len().saturating_sub(1)), feeds::FEED_FILE),
            }),
        }
    }

    /// The main navigation and the footer's links of a page at `out`: `menu:` and
    /// `footer:` of `site.yaml`, or by default the sections and an "About" group of the
    /// pages at the root that the footer does not link.
    fn menu(&self, out: &OutDir, lang: &Lang, current: Option<&str>) -> (Vec<NavItem>, Vec<NavItem>) {
        let config = &self.site.config;
        let footer = config.menu.footer.iter().filter_map(|e| self.menu_item(e, out, lang, current)).collect();
        if let Some(menu) = &config.menu.menu {
            return (menu.iter().filter_map(|e| self.menu_item(e, out, lang, current)).collect(), footer);
        }
        let mut sections: Vec<(i64, usize)> =
            self.site.sections.iter().enumerate().map(|(i, s)| (config.sections[&s.name].weight, i)).collect();
        sections.sort();
        let mut nav: Vec<NavItem> = sections
            .into_iter()
            .filter_map(|(_, i)| {
                let entry = MenuEntry {
                    target: MenuTarget::Section(self.site.sections[i].name.clone()),
                    label: None,
                    pos: Default::default(),
                };
                self.menu_item(&entry, out, lang, current)
            })
            .collect();
        let mut pages: Vec<(i64, &str)> = self
            .site
            .root_pages
            .get(lang)
            .into_iter()
            .flatten()
            .map(|&id| (self.site.shown_page(id, lang).fm.weight, self.site.info(id).id.as_str()))
            .filter(|(_, id)| !config.menu.in_footer(id))
            .collect();
        pages.sort();
        let children: Vec<NavItem> = pages
            .into_iter()
            .filter_map(|(_, id)| {
                let entry =
                    MenuEntry { target: MenuTarget::Page(id.to_string()), label: None, pos: Default::default() };
                self.menu_item(&entry, out, lang, current)
            })
            .collect();
        if !children.is_empty() {
            nav.push(NavItem {
                title: self.t(lang, "menu_about", &[]),
                url: String::new(),
                current: children.iter().any(|c| c.current),
                lang: None,
                children,
            });
        }
        (nav, footer)
    }

    /// One entry of the menu or footer, for readers of `lang`; `None` for a page that does
    /// not exist (reported when the site was read).
    fn menu_item(&self, entry: &MenuEntry, out: &OutDir, lang: &Lang, current: Option<&str>) -> Option<NavItem> {
        let config = &self.site.config;
        let default = config.default_lang();
        let label = entry.label.as_ref().and_then(|l| {
            let own = match l {
                crate::config::Localized::One(s) => Some(s.as_str()),
                crate::config::Localized::Many(m) => m.get(lang.as_str()).map(String::as_str),
            };
            match own {
                Some(text) => Some((text.to_string(), None)),
                None => l.get(default, default).map(|text| (text.to_string(), Some(default.to_string()))),
            }
        });
        let mut item = match &entry.target {
            MenuTarget::Section(name) => {
                let i = self.site.sections.iter().position(|s| &s.name == name)?;
                let title = config.sections[name]
                    .title
                    .as_ref()
                    .and_then(|t| t.get(lang, default))
                    .map_or_else(|| self.section_title(i, lang), str::to_string);
                NavItem {
                    title,
                    url: self.url(out, &[lang.to_string(), name.clone()]),
                    current: current == Some(name.as_str()),
                    lang: None,
                    children: Vec::new(),
                }
            }
            MenuTarget::Page(id) => {
                let idx = self.site.ids.binary_search_by(|i| i.id.as_str().cmp(id)).ok()?;
                let link = self.page_link(out, crate::site::IdIdx(idx as u32), lang);
                NavItem {
                    title: link.title,
                    url: link.url,
                    current: current == Some(id.as_str()),
                    lang: link.lang,
                    children: Vec::new(),
                }
            }
            MenuTarget::Group(entries) => {
                let children: Vec<NavItem> =
                    entries.iter().filter_map(|e| self.menu_item(e, out, lang, current)).collect();
                NavItem {
                    title: self.t(lang, "menu_about", &[]),
                    url: String::new(),
                    current: children.iter().any(|c| c.current),
                    lang: None,
                    children,
                }
            }
        };
        if let Some((title, title_lang)) = label {
            item.title = title;
            item.lang = title_lang;
        }
        Some(item)
    }

    /// The switcher, hreflang alternates and canonical address of a page at `out`.
    /// Pages without an id (sections, homes) exist in every language.
    fn translations(
        &self,
        out: &OutDir,
        lang: &Lang,
        id: Option<IdIdx>,
    ) -> (Vec<LangLink>, Vec<Alternate>, Option<String>) {
        let config = &self.site.config;
        let same_place = |l: &Lang| {
            let mut o = out.clone();
            o[0] = l.to_string();
            o
        };
        let available: Vec<&Lang> = match id {
            Some(id) => self.site.translations(id),
            None => config.languages.iter().collect(),
        };
        let original = id.map_or_else(|| config.default_lang().clone(), |id| self.site.info(id).original.clone());
        let languages = config
            .languages
            .iter()
            .map(|l| LangLink {
                code: l.to_string(),
                name: l.autonym(),
                url: self.url(out, &same_place(l)),
                current: l == lang,
                fallback: (!available.contains(&l))
                    .then(|| self.t(l, "language_fallback", &[("language", &language_name(&original, l))])),
            })
            .collect();
        let mut alternates: Vec<Alternate> = available
            .iter()
            .map(|l| Alternate { hreflang: l.to_string(), href: self.address(out, &same_place(l)) })
            .collect();
        if alternates.len() > 1 {
            alternates
                .push(Alternate { hreflang: "x-default".into(), href: self.address(out, &same_place(&original)) });
        }
        let fallback = id.is_some_and(|id| self.site.shown(id, lang).status == Status::Fallback);
        let canonical = if fallback {
            Some(self.address(out, &same_place(&original)))
        } else {
            config.base_url.as_ref().map(|_| self.address(out, out))
        };
        (languages, alternates, canonical)
    }

    /// The strings the search script shows, in `lang`: each a text or its plural forms
    /// (which the script chooses with `Intl.PluralRules` for `locale`, as the build does).
    fn search_strings(&self, lang: &Lang) -> String {
        let keys = [
            ("results", "search_results"),
            ("showing", "search_showing"),
            ("no_results", "search_no_results"),
            ("loading", "search_loading"),
            ("unavailable", "search_unavailable"),
            ("kind", "search_kind"),
            ("more", "search_more"),
        ];
        let mut map: std::collections::BTreeMap<&str, crate::lang::Text> =
            keys.iter().map(|(k, key)| (*k, self.i18n.forms(lang, key))).collect();
        map.insert("locale", crate::lang::Text::Plain(self.i18n.locale(lang)));
        serde_json::to_string(&map).unwrap_or_default()
    }

    /// The output's own `index.html`, outside every language, written with `template`:
    /// every language, its links relative.
    pub(crate) fn root_page(&self, template: &str, path: &str) -> Result<OutputFile, Problem> {
        let config = &self.site.config;
        let languages = config
            .languages
            .iter()
            .map(|l| LangChoice {
                code: l.to_string(),
                name: l.autonym(),
                title: config.title_in(l),
                url: self.url(&[], &[l.to_string()]),
            })
            .collect();
        let lang = config.default_lang();
        let ctx = RootCtx {
            lang: lang.to_string(),
            site_title: config.title_in(lang),
            root: String::new(),
            languages,
            generator: GENERATOR.to_string(),
            brand: self.brand(lang, ""),
            statements: config
                .languages
                .iter()
                .filter_map(|l| {
                    let url = self.brand(l, "").statement_url?;
                    Some(Link { title: self.t(l, "a11y_title", &[]), url, lang: Some(l.to_string()) })
                })
                .collect(),
        };
        self.render(template, &ctx, path.to_string())
    }
}

/// The name of `language` in the language `reader` reads ("anglais" for English in French,
/// "английски" in Bulgarian), from CLDR's display names; its autonym where CLDR has none.
fn language_name(language: &Lang, reader: &Lang) -> String {
    use icu_experimental::displaynames::multi::LanguageDisplayNames;
    let locale = reader.default_locale();
    let subtag = language.as_str().split('-').next().and_then(|p| p.parse::<icu_locale_core::subtags::Language>().ok());
    subtag
        .and_then(|subtag| {
            let names = LanguageDisplayNames::try_new((&locale).into(), Default::default()).ok()?;
            names.of(subtag).map(str::to_string)
        })
        .unwrap_or_else(|| language.autonym())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lang(code: &str) -> Lang {
        Lang::parse(code).unwrap_or_else(|_| unreachable!("{code} is a language"))
    }

    #[test]
    fn a_language_is_named_in_the_readers_language() {
        let names: Vec<String> = ["en", "fr", "de", "es", "pt", "nl", "el", "bg"]
            .iter()
            .map(|r| language_name(&lang("en"), &lang(r)))
            .collect();
        assert_eq!(names, ["English", "anglais", "Englisch", "inglés", "inglês", "Engels", "Αγγλικά", "английски"]);
        assert_eq!(language_name(&lang("fr"), &lang("bg")), "френски");
        assert_eq!(language_name(&lang("pt-BR"), &lang("en")), "Portuguese");
    }
}
