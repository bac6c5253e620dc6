//! Render stage: the view layer every page family shares. A [`View`] holds what rendering
//! reads (the site, theme, interface strings, date formats, options) and makes the pieces
//! that pages have in common: relative links ([`relative_url`]), the layout
//! ([`layout`]: navigation, breadcrumbs, language switcher), page views with their facts
//! and backlinks ([`page`]), cards for listings, facet values ([`facets`]), interface
//! strings (`t`) and dates.

pub(crate) mod facets;
pub(crate) mod layout;
pub(crate) mod page;

use super::context::{Card, DateView, Link};
use super::family::print::plan::{PrintAt, PrintPlan};
use super::glossary::GlossaryIndex;
use super::theme::{self, Theme};
use super::{OutputFile, Problem, RenderOptions};
use crate::config::Lang;
use crate::href;
use crate::lang::{DateFormats, I18n};
use crate::site::{IdIdx, OutDir, Site};
use serde::Serialize;

/// What every family renders with: read-only, shared by all the jobs running in parallel.
#[derive(Clone, Copy)]
pub(crate) struct View<'a> {
    /// The resolved site.
    pub(crate) site: &'a Site,
    /// Templates.
    pub(crate) theme: &'a Theme,
    /// Interface strings.
    pub(crate) i18n: &'a I18n,
    /// Date formats per language.
    pub(crate) dates: &'a DateFormats,
    /// Output options.
    pub(crate) opts: &'a RenderOptions,
    /// Rendering the print page: links between pages become anchors inside it.
    pub(crate) print: bool,
    /// Which print file is rendered (with [`View::print`]): in a print version in parts,
    /// links to pages printed in another part lead into that part.
    pub(crate) print_at: PrintAt,
    /// How each language's print version is laid out (on one page or in parts).
    pub(crate) print_plan: &'a PrintPlan,
    /// The glossary's terms, for linking their first mention in a page.
    pub(crate) glossary: &'a GlossaryIndex,
    /// For a page a server shows at any address (a 404 page): the site's path (`/` or the
    /// path of `base_url`), from which its links start instead of being relative.
    pub(crate) site_root: Option<&'a str>,
}

impl View<'_> {
    /// Renders `template` with `ctx` into the file at `path` (below the output root).
    /// A tera error becomes a problem positioned in the template.
    pub(crate) fn render<T: Serialize>(&self, template: &str, ctx: &T, path: String) -> Result<OutputFile, Problem> {
        let problem = |e: tera::Error| {
            let (file, pos, message) = theme::template_problem(&e, &self.theme.paths);
            (file, pos, message, Some(path.clone()))
        };
        let context = tera::Context::from_serialize(ctx).map_err(problem)?;
        let html = self.theme.tera.render(template, &context).map_err(problem)?;
        Ok(OutputFile { path, bytes: html.into_bytes() })
    }

    /// The relative URL from the folder `from` to the folder `to` (see [`relative_url`]).
    /// On a page with a [`View::site_root`], the URL from that root instead.
    pub(crate) fn url(&self, from: &[String], to: &[String]) -> String {
        match self.site_root {
            Some(root) => format!("{root}{}", relative_url(&[], to, self.opts.offline).trim_start_matches("./")),
            None => relative_url(from, to, self.opts.offline),
        }
    }

    /// Relative URL of `id` as read in `lang` (on the print page: its anchor there).
    pub(crate) fn id_url(&self, from: &[String], id: IdIdx, lang: &Lang) -> String {
        if self.print {
            return self.print_url(from, id, lang, &self.print_anchor(id));
        }
        self.url(from, &self.site.out(id, lang))
    }

    /// On a print page at `from`: the URL of `anchor`, which stands where page `id` is
    /// printed: `#anchor` in the same print file, else the URL of the print file (the part)
    /// holding `id` followed by `#anchor`.
    pub(crate) fn print_url(&self, from: &[String], id: IdIdx, lang: &Lang, anchor: &str) -> String {
        let fragment = format!("#{}", href::fragment(anchor));
        let target = self.print_plan.at(id);
        if self.print_at == PrintAt::Whole || self.print_at == target {
            return fragment;
        }
        format!("{}{fragment}", self.url(from, &self.print_plan.out(lang, target)))
    }

    /// The anchor of a page id in the print page.
    pub(crate) fn print_anchor(&self, id: IdIdx) -> String {
        let info = self.site.info(id);
        match (&info.section, info.is_index()) {
            (None, true) => "cover".into(),
            (Some(section), true) => format!("part-{section}"),
            _ => format!("p-{}", info.id.replace('/', "-")),
        }
    }

    /// The absolute address of `out` when `base_url` is set, else its relative URL; its
    /// segments percent-encoded either way.
    pub(crate) fn address(&self, from: &[String], out: &[String]) -> String {
        match &self.site.config.base_url {
            Some(base) => format!("{base}{}", out.iter().map(|s| format!("{}/", href::segment(s))).collect::<String>()),
            None => self.url(from, out),
        }
    }

    /// The interface string `key` in `lang`, its `{name}` placeholders filled from `args`.
    pub(crate) fn t(&self, lang: &Lang, key: &str, args: &[(&str, &str)]) -> String {
        self.i18n.format(lang, key, args)
    }

    /// `date`, machine-readable and written out in `lang`.
    pub(crate) fn date(&self, date: chrono::NaiveDate, lang: &Lang) -> DateView {
        DateView { iso: date.format("%Y-%m-%d").to_string(), text: self.dates.long(date, lang) }
    }

    /// The title of section `i` in `lang`: its `_index` page's, else `site.yaml`'s, else its name.
    pub(crate) fn section_title(&self, i: usize, lang: &Lang) -> String {
        let config = &self.site.config;
        let section = &self.site.sections[i];
        if let Some(index) = section.index {
            return self.site.shown_page(index, lang).fm.title.clone();
        }
        config.sections[&section.name]
            .title
            .as_ref()
            .and_then(|t| t.get(lang, config.default_lang()))
            .map_or_else(|| section.name.clone(), str::to_string)
    }

    /// The index in `site.sections` of the section called `name`.
    pub(crate) fn section_index_of(&self, name: &str) -> Option<usize> {
        self.site.sections.iter().position(|s| s.name == name)
    }

    /// The first breadcrumb: the home page of `lang`.
    pub(crate) fn home_crumb(&self, out: &OutDir, lang: &Lang) -> Link {
        match self.site.home {
            Some(id) => self.page_link(out, id, lang),
            None => {
                Link { title: self.site.config.title_in(lang), url: self.url(out, &[lang.to_string()]), lang: None }
            }
        }
    }

    /// A link to `id` for readers of `lang`, its title marked when untranslated.
    pub(crate) fn page_link(&self, from: &[String], id: IdIdx, lang: &Lang) -> Link {
        let page = self.site.shown_page(id, lang);
        Link {
            title: page.fm.title.clone(),
            url: self.id_url(from, id, lang),
            lang: (&page.lang != lang).then(|| page.lang.to_string()),
        }
    }

    /// `id` as a card in a listing at `from`, for readers of `lang`.
    pub(crate) fn card(&self, id: IdIdx, lang: &Lang, from: &OutDir) -> Card {
        let page = self.site.shown_page(id, lang);
        Card {
            title: page.fm.title.clone(),
            url: self.id_url(from, id, lang),
            summary: page::summary(page),
            kind_label: self.site.config.kind_label(page.kind, lang),
            lang: (&page.lang != lang).then(|| page.lang.to_string()),
            facets: self.card_facets(id),
            meta: self.card_meta(page, lang, from),
        }
    }

    /// Cards of `ids`, in order.
    pub(crate) fn cards(&self, ids: Option<&Vec<IdIdx>>, lang: &Lang, from: &OutDir) -> Vec<Card> {
        ids.into_iter().flatten().map(|&id| self.card(id, lang, from)).collect()
    }
}

/// The relative URL from the folder `from` to the folder `to` (both as folder names on
/// disk, below the output root), each segment percent-encoded ([`crate::href::segment`]).
/// Offline, it names the folder's `index.html`, never the folder itself: `file://` lists
/// a folder instead of opening its page.
pub(crate) fn relative_url(from: &[String], to: &[String], offline: bool) -> String {
    let common = from.iter().zip(to).take_while(|(a, b)| a == b).count();
    let mut url = "../".repeat(from.len() - common);
    for seg in &to[common..] {
        url.push_str(&href::segment(seg));
        url.push('/');
    }
    match (url.is_empty(), offline) {
        (true, true) => "index.html".into(),
        (true, false) => "./".into(),
        (false, true) => url + "index.html",
        (false, false) => url,
    }
}

/// The relative URL from the folder `from` to the file at `path` (below the output root,
/// `/`-separated, as named on disk), each segment percent-encoded
/// ([`crate::href::segment`]): `files/annual report #2.pdf` from `en/pilots/a` is
/// `../../../files/annual%20report%20%232.pdf`.
pub(crate) fn relative_file_url(from: &[String], path: &str) -> String {
    let segments: Vec<String> = path.split('/').map(str::to_string).collect();
    let Some((file, dir)) = segments.split_last() else { return String::new() };
    let common = from.iter().zip(dir).take_while(|(a, b)| a == b).count();
    let mut url = "../".repeat(from.len() - common);
    for seg in &dir[common..] {
        url.push_str(&href::segment(seg));
        url.push('/');
    }
    url + &href::segment(file)
}

/// The path of the page file of the folder `out`: `en/pilots/index.html`.
pub(crate) fn page_file(out: &[String]) -> String {
    let mut p = out.join("/");
    if !p.is_empty() {
        p.push('/');
    }
    p + "index.html"
}

#[cfg(test)]
mod tests {
    use super::*;

    fn dir(s: &str) -> Vec<String> {
        s.split('/').filter(|s| !s.is_empty()).map(String::from).collect()
    }

    #[test]
    fn relative_urls() {
        assert_eq!(relative_url(&dir("en/pilots/a"), &dir("en/pilots/b"), false), "../b/");
        assert_eq!(relative_url(&dir("en/pilots/a"), &dir("en"), false), "../../");
        assert_eq!(relative_url(&dir("en"), &dir("en/pilots"), false), "pilots/");
        assert_eq!(relative_url(&dir("en"), &dir("en"), false), "./");
        assert_eq!(relative_url(&dir("en"), &dir("en"), true), "index.html");
        assert_eq!(relative_url(&dir("en/pilots/a"), &dir("fr/pilots/a"), true), "../../../fr/pilots/a/index.html");
        assert_eq!(relative_url(&[], &dir("en"), false), "en/");
    }
}
