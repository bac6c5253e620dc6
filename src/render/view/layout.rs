//! Render stage, view layer: what surrounds every page. The layout (site title, main
//! navigation, breadcrumbs, links to the print and search pages and the feed), the
//! language switcher with its hreflang alternates and canonical address, and the pages
//! outside every language (the language chooser).

use super::View;
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
        let mut entries: Vec<(i64, String, NavItem)> = Vec::new();
        for (i, s) in self.site.sections.iter().enumerate() {
            let to = vec![lang.to_string(), s.name.clone()];
            let item = NavItem {
                title: self.section_title(i, lang),
                url: self.url(out, &to),
                current: current == Some(s.name.as_str()),
                lang: None,
            };
            entries.push((config.sections[&s.name].weight, s.name.clone(), item));
        }
        for &id in self.site.root_pages.get(lang).into_iter().flatten() {
            let name = &self.site.info(id).id;
            let link = self.page_link(out, id, lang);
            let item =
                NavItem { title: link.title, url: link.url, current: current == Some(name.as_str()), lang: link.lang };
            entries.push((self.site.shown_page(id, lang).fm.weight, name.clone(), item));
        }
        entries.sort_by(|a, b| (a.0, &a.1).cmp(&(b.0, &b.1)));
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
            nav: entries.into_iter().map(|(_, _, n)| n).collect(),
            breadcrumbs: crumbs,
            build_date: self.opts.build_date.map(|d| self.date(d, lang)),
            generator: GENERATOR.to_string(),
            canonical,
            languages,
            alternates,
            print_url: self.url(out, &[lang.to_string(), print::SEGMENT.to_string()]),
            search_url: self.url(out, &[lang.to_string(), search_page::SEGMENT.to_string()]),
            search_strings: self.search_strings(lang),
            offline: self.opts.offline,
            feed_url: config.kinds.values().any(|k| k.feed).then(|| match self.site_root {
                Some(root) => format!("{root}{}/{}", href::segment(lang.as_str()), feeds::FEED_FILE),
                None => format!("{}{}", "../".repeat(out.len().saturating_sub(1)), feeds::FEED_FILE),
            }),
        }
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
        let languages = config
            .languages
            .iter()
            .filter(|l| available.contains(l) || *l == lang)
            .map(|l| LangLink {
                code: l.to_string(),
                name: l.autonym(),
                url: self.url(out, &same_place(l)),
                current: l == lang,
            })
            .collect();
        let mut alternates: Vec<Alternate> = available
            .iter()
            .map(|l| Alternate { hreflang: l.to_string(), href: self.address(out, &same_place(l)) })
            .collect();
        let original = id.map_or_else(|| config.default_lang().clone(), |id| self.site.info(id).original.clone());
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

    /// The strings the search script shows, in `lang`.
    fn search_strings(&self, lang: &Lang) -> String {
        let keys = [
            ("results", "search_results"),
            ("no_results", "search_no_results"),
            ("loading", "search_loading"),
            ("unavailable", "search_unavailable"),
            ("kind", "search_kind"),
        ];
        let map: std::collections::BTreeMap<&str, String> =
            keys.iter().map(|(k, key)| (*k, self.t(lang, key, &[]))).collect();
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
        };
        self.render(template, &ctx, path.to_string())
    }
}
