//! Render stage: the [`Site`] becomes HTML, XML and redirect files through tera templates
//! and typed contexts, in parallel. Every page id is rendered in every language. Internal
//! links are relative, so the output works at any sub-path and, with `offline`, from
//! `file://`.

mod browse;
pub mod context;
mod feeds;
mod glossary;
mod knowledge;
mod pages;
pub mod theme;

use crate::config::Lang;
use crate::content::markdown::{escape_attr, escape_text};
use crate::diagnostics::{Diagnostics, Pos};
use crate::error::Error;
use crate::href;
use crate::lang::{DateFormats, I18n};
use crate::output::OutputFile;
use crate::site::{IdIdx, OutDir, Site, Status};
use context::*;
use rayon::prelude::*;
use serde::Serialize;
use theme::Theme;

/// Options that change the rendered output.
#[derive(Debug, Clone, Default)]
pub struct RenderOptions {
    /// Links end in `index.html`, for reading from `file://`.
    pub offline: bool,
    /// The build date (from `SOURCE_DATE_EPOCH`).
    pub build_date: Option<chrono::NaiveDate>,
}

/// What generated the pages, for `<meta name="generator">` and the footer.
const GENERATOR: &str = concat!("guidebook ", env!("CARGO_PKG_VERSION"));

/// A problem met while rendering: file, position, message.
type Problem = (String, Pos, String);

enum Job {
    Page(IdIdx, Lang),
    Section(usize, Lang),
    Facet(usize, String, String, Lang),
    Taxonomy(String, Lang),
    Term(String, String, Lang),
    Print(Lang),
    SearchPage(Lang),
    Home(Lang),
    Languages,
    NotFound,
    Alias(usize),
    Sitemap,
    Feed(Lang),
}

/// What the render stage reads.
pub struct RenderInput<'a> {
    /// The resolved site.
    pub site: &'a Site,
    /// Templates and static files.
    pub theme: &'a Theme,
    /// Interface strings.
    pub i18n: &'a I18n,
    /// Date formats per language.
    pub dates: &'a DateFormats,
    /// Output options.
    pub opts: &'a RenderOptions,
}

/// Renders every file of the site and hands each to `take` as soon as it is made (which
/// may write it, so that the whole site is never held in memory); returns what `take`
/// returned, or its first error. Template problems go to `diags`.
pub fn render_each<T: Send>(
    input: &RenderInput<'_>,
    diags: &mut Diagnostics,
    take: impl Fn(OutputFile) -> Result<T, Error> + Sync,
) -> Result<Vec<T>, Error> {
    let site = input.site;
    // The print versions (every page of a language in one file) are the longest jobs:
    // first, so that they do not finish alone while the other cores wait.
    let mut jobs: Vec<Job> = site.config.languages.iter().map(|l| Job::Print(l.clone())).collect();
    jobs.extend([Job::Languages, Job::NotFound]);
    if site.config.base_url.is_some() {
        jobs.push(Job::Sitemap);
    }
    for lang in &site.config.languages {
        jobs.push(Job::Home(lang.clone()));
        jobs.extend((0..site.sections.len()).map(|i| Job::Section(i, lang.clone())));
        if site.config.kinds.values().any(|k| k.feed) {
            jobs.push(Job::Feed(lang.clone()));
        }
        let regular = site.ids.iter().enumerate().filter(|(_, info)| !info.is_index());
        jobs.extend(regular.map(|(i, _)| Job::Page(IdIdx(i as u32), lang.clone())));
    }
    jobs.extend((0..site.aliases.len()).map(Job::Alias));
    let glossary = glossary::GlossaryIndex::new(site);
    let r = Renderer {
        site,
        theme: input.theme,
        i18n: input.i18n,
        dates: input.dates,
        opts: input.opts,
        print: false,
        glossary: &glossary,
    };
    for i in 0..site.sections.len() {
        for (facet, key) in r.facet_keys(i) {
            jobs.extend(site.config.languages.iter().map(|l| Job::Facet(i, facet.clone(), key.clone(), l.clone())));
        }
    }
    for (name, terms) in &site.graph.terms {
        for lang in &site.config.languages {
            jobs.push(Job::Taxonomy(name.clone(), lang.clone()));
            jobs.extend(terms.keys().map(|t| Job::Term(name.clone(), t.clone(), lang.clone())));
        }
    }
    jobs.extend(site.config.languages.iter().map(|l| Job::SearchPage(l.clone())));
    let results: Vec<Result<T, Problem>> = jobs
        .par_iter()
        .map(|job| match r.job(job) {
            Ok(file) => take(file).map(Ok),
            Err(problem) => Ok(Err(problem)),
        })
        .collect::<Result<_, Error>>()?;
    let mut taken = Vec::with_capacity(results.len());
    for res in results {
        match res {
            Ok(t) => taken.push(t),
            Err((file, pos, message)) => diags.error(&file, pos, "template", message),
        }
    }
    Ok(taken)
}

/// The relative URL from the folder `from` to the folder `to` (both as folder names on
/// disk, below the output root), each segment percent-encoded ([`crate::href::segment`]).
/// Offline, it names the folder's `index.html`, never the folder itself: `file://` lists
/// a folder instead of opening its page.
pub fn relative_url(from: &[String], to: &[String], offline: bool) -> String {
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
pub fn relative_file_url(from: &[String], path: &str) -> String {
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

fn page_file(out: &[String]) -> String {
    let mut p = out.join("/");
    if !p.is_empty() {
        p.push('/');
    }
    p + "index.html"
}

#[derive(Clone, Copy)]
pub(crate) struct Renderer<'a> {
    site: &'a Site,
    theme: &'a Theme,
    i18n: &'a I18n,
    dates: &'a DateFormats,
    opts: &'a RenderOptions,
    /// Rendering the print page: links between pages become anchors inside it.
    print: bool,
    glossary: &'a glossary::GlossaryIndex,
}

impl Renderer<'_> {
    fn job(&self, job: &Job) -> Result<OutputFile, Problem> {
        match job {
            Job::Page(id, lang) => self.page(*id, lang),
            Job::Section(i, lang) => self.section(*i, lang),
            Job::Facet(i, facet, key, lang) => self.facet_page(*i, facet, key, lang),
            Job::Taxonomy(name, lang) => self.taxonomy(name, lang),
            Job::Term(name, term, lang) => self.term(name, term, lang),
            Job::Print(lang) => self.print(lang),
            Job::SearchPage(lang) => self.search_page(lang),
            Job::Home(lang) => self.home(lang),
            Job::Languages => self.root_page("languages.html", "index.html", String::new()),
            Job::NotFound => {
                let base = self
                    .site
                    .config
                    .base_url
                    .as_deref()
                    .and_then(|u| url::Url::parse(u).ok())
                    .map_or("/".to_string(), |u| u.path().to_string());
                self.root_page("404.html", "404.html", base)
            }
            Job::Alias(i) => Ok(self.alias(*i)),
            Job::Sitemap => Ok(self.sitemap()),
            Job::Feed(lang) => Ok(self.feed(lang)),
        }
    }

    fn render<T: Serialize>(&self, template: &str, ctx: &T, path: String) -> Result<OutputFile, Problem> {
        let context = tera::Context::from_serialize(ctx).map_err(|e| theme::template_problem(&e, &self.theme.paths))?;
        let html =
            self.theme.tera.render(template, &context).map_err(|e| theme::template_problem(&e, &self.theme.paths))?;
        Ok(OutputFile { path, bytes: html.into_bytes() })
    }

    fn url(&self, from: &[String], to: &[String]) -> String {
        relative_url(from, to, self.opts.offline)
    }

    /// Relative URL of `id` as read in `lang` (on the print page: its anchor there).
    fn id_url(&self, from: &[String], id: IdIdx, lang: &Lang) -> String {
        if self.print {
            return format!("#{}", href::fragment(&self.print_anchor(id)));
        }
        self.url(from, &self.site.out(id, lang))
    }

    /// The absolute address of `out` when `base_url` is set, else its relative URL; its
    /// segments percent-encoded either way.
    fn address(&self, from: &[String], out: &[String]) -> String {
        match &self.site.config.base_url {
            Some(base) => format!("{base}{}", out.iter().map(|s| format!("{}/", href::segment(s))).collect::<String>()),
            None => self.url(from, out),
        }
    }

    fn t(&self, lang: &Lang, key: &str, args: &[(&str, &str)]) -> String {
        self.i18n.format(lang, key, args)
    }

    fn date(&self, date: chrono::NaiveDate, lang: &Lang) -> DateView {
        DateView { iso: date.format("%Y-%m-%d").to_string(), text: self.dates.long(date, lang) }
    }

    fn section_title(&self, i: usize, lang: &Lang) -> String {
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

    fn section_index_of(&self, name: &str) -> Option<usize> {
        self.site.sections.iter().position(|s| s.name == name)
    }

    fn kind_label(&self, kind: &str, lang: &Lang) -> String {
        let config = &self.site.config;
        config.kinds[kind]
            .label
            .as_ref()
            .and_then(|l| l.get(lang, config.default_lang()))
            .map_or_else(|| kind.replace('_', " "), str::to_string)
    }

    /// The layout of a page at `out`; `id` is the page id shown, for the switcher.
    fn layout(&self, out: &OutDir, lang: &Lang, id: Option<IdIdx>, crumbs: Vec<Link>, current: Option<&str>) -> Layout {
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
        Layout {
            lang: lang.to_string(),
            site_title: config.title_in(lang),
            site_description: config
                .description
                .as_ref()
                .and_then(|d| d.get(lang, config.default_lang()))
                .unwrap_or_default()
                .to_string(),
            root: "../".repeat(out.len()),
            home_url: self.url(out, &[lang.to_string()]),
            nav: entries.into_iter().map(|(_, _, n)| n).collect(),
            breadcrumbs: crumbs,
            build_date: self.opts.build_date.map(|d| self.date(d, lang)),
            generator: GENERATOR.to_string(),
            canonical,
            languages,
            alternates,
            print_url: self.url(out, &[lang.to_string(), "print".to_string()]),
            search_url: self.url(out, &[lang.to_string(), "search".to_string()]),
            search_strings: self.search_strings(lang),
            offline: self.opts.offline,
            feed_url: config
                .kinds
                .values()
                .any(|k| k.feed)
                .then(|| format!("{}atom.xml", "../".repeat(out.len().saturating_sub(1)))),
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

    fn search_page(&self, lang: &Lang) -> Result<OutputFile, Problem> {
        let out: OutDir = vec![lang.to_string(), "search".to_string()];
        let mut layout = self.layout(&out, lang, None, vec![self.home_crumb(&out, lang)], None);
        layout.alternates.clear();
        self.render("search.html", &SearchCtx { lang: lang.to_string(), layout }, page_file(&out))
    }

    fn home_crumb(&self, out: &OutDir, lang: &Lang) -> Link {
        match self.site.home {
            Some(id) => self.page_link(out, id, lang),
            None => {
                Link { title: self.site.config.title_in(lang), url: self.url(out, &[lang.to_string()]), lang: None }
            }
        }
    }

    fn root_page(&self, template: &str, path: &str, root: String) -> Result<OutputFile, Problem> {
        let config = &self.site.config;
        let languages = config
            .languages
            .iter()
            .map(|l| {
                let url = if root.is_empty() {
                    self.url(&[], &[l.to_string()])
                } else {
                    let index = if self.opts.offline { "index.html" } else { "" };
                    format!("{root}{}/{index}", href::segment(l.as_str()))
                };
                LangChoice { code: l.to_string(), name: l.autonym(), title: config.title_in(l), url }
            })
            .collect();
        let lang = config.default_lang();
        let ctx = RootCtx {
            lang: lang.to_string(),
            site_title: config.title_in(lang),
            root,
            languages,
            generator: GENERATOR.to_string(),
        };
        self.render(template, &ctx, path.to_string())
    }

    fn alias(&self, i: usize) -> OutputFile {
        let (out, id, lang) = &self.site.aliases[i];
        let url = escape_attr(&self.id_url(out, *id, lang));
        let title = escape_text(&self.site.shown_page(*id, lang).fm.title);
        let html = format!(
            "<!DOCTYPE html>\n<html lang=\"{lang}\">\n<head>\n<meta charset=\"utf-8\">\n<title>{title}</title>\n<link rel=\"canonical\" href=\"{url}\">\n<meta http-equiv=\"refresh\" content=\"0; url={url}\">\n</head>\n<body>\n<p><a href=\"{url}\">{title}</a></p>\n</body>\n</html>\n",
        );
        OutputFile { path: page_file(out), bytes: html.into_bytes() }
    }
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
