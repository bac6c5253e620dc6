//! Render stage: the [`Site`] becomes HTML files through tera templates and typed contexts,
//! in parallel. Every internal link is relative, so the output works at any sub-path and,
//! with `offline`, from `file://`.

pub mod context;
pub mod theme;

use crate::config::{FieldType, Lang};
use crate::content::frontmatter::FieldValue;
use crate::content::markdown::{escape_attr, escape_text, fill_links};
use crate::diagnostics::{Diagnostics, Pos};
use crate::site::{OutDir, Page, PageIdx, Site};
use context::*;
use rayon::prelude::*;
use serde::Serialize;
use theme::Theme;

/// Options that change the rendered output.
#[derive(Debug, Clone, Default)]
pub struct RenderOptions {
    /// Links end in `index.html`, for reading from `file://`.
    pub offline: bool,
    /// The build date shown in the footer (from `SOURCE_DATE_EPOCH`).
    pub build_date: Option<String>,
}

/// A generated file: its path below the output root and its bytes.
#[derive(Debug, Clone, PartialEq)]
pub struct OutputFile {
    /// Path with `/` separators.
    pub path: String,
    /// Contents.
    pub bytes: Vec<u8>,
}

/// What generated the pages, for `<meta name="generator">` and the footer.
const GENERATOR: &str = concat!("guidebook ", env!("CARGO_PKG_VERSION"));

enum Job {
    Page(PageIdx),
    Section(usize, Lang),
    Home(Lang),
    Languages,
    NotFound,
    Alias(usize),
}

/// Renders every file of the site. Template problems go to `diags`.
pub fn render_site(
    site: &Site,
    theme: &Theme,
    opts: &RenderOptions,
    diags: &mut Diagnostics,
) -> Vec<OutputFile> {
    let mut jobs = vec![Job::Languages, Job::NotFound];
    for lang in &site.config.languages {
        jobs.push(Job::Home(lang.clone()));
        jobs.extend((0..site.sections.len()).map(|i| Job::Section(i, lang.clone())));
    }
    jobs.extend(
        site.pages
            .iter()
            .enumerate()
            .filter(|(_, p)| !p.is_index)
            .map(|(i, _)| Job::Page(PageIdx(i as u32))),
    );
    jobs.extend((0..site.aliases.len()).map(Job::Alias));
    let r = Renderer { site, theme, opts };
    let results: Vec<Result<OutputFile, (String, Pos, String)>> =
        jobs.par_iter().map(|job| r.job(job)).collect();
    let mut files = Vec::with_capacity(results.len());
    for res in results {
        match res {
            Ok(f) => files.push(f),
            Err((file, pos, message)) => diags.error(&file, pos, "template", message),
        }
    }
    files
}

/// The relative URL from the folder `from` to the folder `to`.
pub fn relative_url(from: &[String], to: &[String], offline: bool) -> String {
    let common = from.iter().zip(to).take_while(|(a, b)| a == b).count();
    let mut url = "../".repeat(from.len() - common);
    for seg in &to[common..] {
        url.push_str(seg);
        url.push('/');
    }
    match (url.is_empty(), offline) {
        (true, true) => "index.html".into(),
        (true, false) => "./".into(),
        (false, true) => url + "index.html",
        (false, false) => url,
    }
}

fn page_file(out: &[String]) -> String {
    let mut p = out.join("/");
    if !p.is_empty() {
        p.push('/');
    }
    p + "index.html"
}

struct Renderer<'a> {
    site: &'a Site,
    theme: &'a Theme,
    opts: &'a RenderOptions,
}

impl Renderer<'_> {
    fn job(&self, job: &Job) -> Result<OutputFile, (String, Pos, String)> {
        match job {
            Job::Page(idx) => self.page(*idx),
            Job::Section(i, lang) => self.section(*i, lang),
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
        }
    }

    fn render<T: Serialize>(
        &self,
        template: &str,
        ctx: &T,
        path: String,
    ) -> Result<OutputFile, (String, Pos, String)> {
        let context = tera::Context::from_serialize(ctx)
            .map_err(|e| theme::template_problem(&e, &self.theme.paths))?;
        let html = self
            .theme
            .tera
            .render(template, &context)
            .map_err(|e| theme::template_problem(&e, &self.theme.paths))?;
        Ok(OutputFile {
            path,
            bytes: html.into_bytes(),
        })
    }

    fn url(&self, from: &[String], to: &[String]) -> String {
        relative_url(from, to, self.opts.offline)
    }

    fn page_url(&self, from: &[String], idx: PageIdx) -> String {
        self.url(from, &self.site.page(idx).out)
    }

    fn section_title(&self, name: &str, lang: &Lang) -> String {
        let config = &self.site.config;
        self.site
            .section_index(name, lang)
            .or_else(|| self.site.section_index(name, config.default_lang()))
            .map(|i| self.site.page(i).fm.title.clone())
            .or_else(|| {
                config.sections[name]
                    .title
                    .as_ref()
                    .and_then(|t| t.get(lang, config.default_lang()))
                    .map(str::to_string)
            })
            .unwrap_or_else(|| name.to_string())
    }

    fn kind_label(&self, kind: &str, lang: &Lang) -> String {
        let config = &self.site.config;
        config.kinds[kind]
            .label
            .as_ref()
            .and_then(|l| l.get(lang, config.default_lang()))
            .map_or_else(|| kind.replace('_', " "), str::to_string)
    }

    fn layout(
        &self,
        out: &OutDir,
        lang: &Lang,
        crumbs: Vec<Link>,
        current: Option<&str>,
    ) -> Layout {
        let config = &self.site.config;
        let home: OutDir = vec![lang.to_string()];
        let mut entries: Vec<(i64, String, NavItem)> = Vec::new();
        for s in &self.site.sections {
            let to = vec![lang.to_string(), s.name.clone()];
            let item = NavItem {
                title: self.section_title(&s.name, lang),
                url: self.url(out, &to),
                current: current == Some(s.name.as_str()),
            };
            entries.push((config.sections[&s.name].weight, s.name.clone(), item));
        }
        for &idx in self.site.root_pages.get(lang).into_iter().flatten() {
            let p = self.site.page(idx);
            let item = NavItem {
                title: p.fm.title.clone(),
                url: self.page_url(out, idx),
                current: current == Some(p.id.as_str()),
            };
            entries.push((p.fm.weight, p.id.clone(), item));
        }
        entries.sort_by(|a, b| (a.0, &a.1).cmp(&(b.0, &b.1)));
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
            home_url: self.url(out, &home),
            nav: entries.into_iter().map(|(_, _, n)| n).collect(),
            breadcrumbs: crumbs,
            build_date: self.opts.build_date.clone(),
            generator: GENERATOR.to_string(),
            canonical: config.base_url.as_ref().map(|b| {
                format!(
                    "{b}{}",
                    out.iter().map(|s| format!("{s}/")).collect::<String>()
                )
            }),
        }
    }

    fn home_crumb(&self, out: &OutDir, lang: &Lang) -> Link {
        let title = self.site.home(lang).map_or_else(
            || self.site.config.title_in(lang),
            |i| self.site.page(i).fm.title.clone(),
        );
        Link {
            title,
            url: self.url(out, &[lang.to_string()]),
        }
    }

    /// The body HTML with `@/` link placeholders turned into relative URLs from `from`.
    fn content(&self, page: &Page, from: &[String]) -> String {
        let urls: Vec<String> = page
            .body
            .links
            .iter()
            .zip(&page.link_targets)
            .map(|(link, target)| {
                let mut url = self.page_url(from, *target);
                if let Some(a) = &link.anchor {
                    url.push('#');
                    url.push_str(a);
                }
                escape_attr(&url)
            })
            .collect();
        fill_links(&page.body.html, &urls)
    }

    fn view(&self, idx: PageIdx, from: &OutDir) -> PageView {
        let page = self.site.page(idx);
        let (facts, lists) = self.facts(page, from);
        let summary = summary(page);
        PageView {
            id: page.id.clone(),
            title: page.fm.title.clone(),
            summary,
            kind: page.fm.kind.clone(),
            kind_label: self.kind_label(&page.fm.kind, &page.lang),
            date: page.fm.date.map(|d| d.format("%Y-%m-%d").to_string()),
            content: self.content(page, from),
            toc: page
                .body
                .headings
                .iter()
                .filter(|h| (2..=3).contains(&h.level))
                .map(|h| TocItem {
                    level: h.level,
                    title: h.text.clone(),
                    url: format!("#{}", h.id),
                })
                .collect(),
            facts,
            lists,
            prev: None,
            next: None,
        }
    }

    fn facts(&self, page: &Page, from: &OutDir) -> (Vec<Fact>, Vec<Fact>) {
        let config = &self.site.config;
        let spec = &config.kinds[&page.fm.kind];
        let (mut facts, mut lists) = (Vec::new(), Vec::new());
        for (name, value) in &page.fm.fields {
            let Some(field) = spec.fields.get(name) else {
                continue;
            };
            let label = field
                .label
                .as_ref()
                .and_then(|l| l.get(&page.lang, config.default_lang()))
                .map_or_else(|| name.replace('_', " "), str::to_string);
            let mut values = Vec::new();
            self.fact_values(value, &page.lang, from, &mut values);
            let fact = Fact {
                name: name.clone(),
                label,
                values,
            };
            match &field.ty {
                FieldType::List(inner) if matches!(inner.as_ref(), FieldType::String) => {
                    lists.push(fact)
                }
                _ => facts.push(fact),
            }
        }
        (facts, lists)
    }

    fn fact_values(
        &self,
        value: &FieldValue,
        lang: &Lang,
        from: &OutDir,
        out: &mut Vec<FactValue>,
    ) {
        let plain = |text: String| FactValue { text, url: None };
        match value {
            FieldValue::Text(s) => out.push(plain(s.clone())),
            FieldValue::Int(n) => out.push(plain(n.to_string())),
            FieldValue::Date(d) => out.push(plain(d.format("%Y-%m-%d").to_string())),
            FieldValue::Bool(b) => out.push(plain(if *b { "yes" } else { "no" }.to_string())),
            FieldValue::Url(u) => out.push(FactValue {
                text: u.clone(),
                url: Some(u.clone()),
            }),
            FieldValue::Enum(e) => out.push(plain(e.replace('_', " "))),
            FieldValue::Terms(terms) => out.extend(terms.iter().map(|t| plain(t.clone()))),
            FieldValue::Ref(r) => match self.site.lookup(&r.id, lang) {
                Some(t) => out.push(FactValue {
                    text: self.site.page(t).fm.title.clone(),
                    url: Some(self.page_url(from, t)),
                }),
                None => out.push(plain(r.id.clone())),
            },
            FieldValue::List(items) => {
                for item in items {
                    self.fact_values(item, lang, from, out);
                }
            }
        }
    }

    fn card(&self, idx: PageIdx, from: &OutDir) -> Card {
        let page = self.site.page(idx);
        Card {
            title: page.fm.title.clone(),
            url: self.page_url(from, idx),
            summary: summary(page),
            kind_label: self.kind_label(&page.fm.kind, &page.lang),
        }
    }

    fn cards(&self, pages: Option<&Vec<PageIdx>>, from: &OutDir) -> Vec<Card> {
        pages
            .into_iter()
            .flatten()
            .map(|&p| self.card(p, from))
            .collect()
    }

    fn page(&self, idx: PageIdx) -> Result<OutputFile, (String, Pos, String)> {
        let page = self.site.page(idx);
        let out = &page.out;
        let lang = &page.lang;
        let mut crumbs = vec![self.home_crumb(out, lang)];
        let mut view = self.view(idx, out);
        if let Some(section) = &page.section {
            crumbs.push(Link {
                title: self.section_title(section, lang),
                url: self.url(out, &[lang.to_string(), section.clone()]),
            });
            let siblings = self
                .site
                .sections
                .iter()
                .find(|s| &s.name == section)
                .and_then(|s| s.pages.get(lang));
            if let Some(siblings) = siblings {
                if let Some(pos) = siblings.iter().position(|&p| p == idx) {
                    let link = |i: PageIdx| Link {
                        title: self.site.page(i).fm.title.clone(),
                        url: self.page_url(out, i),
                    };
                    view.prev = pos.checked_sub(1).map(|p| link(siblings[p]));
                    view.next = siblings.get(pos + 1).map(|&p| link(p));
                }
            }
        }
        let current = page.section.as_deref().unwrap_or(&page.id);
        let layout = self.layout(out, lang, crumbs, Some(current));
        let kind_template = format!("{}.html", page.fm.kind);
        let template = if self.theme.paths.contains_key(&kind_template) {
            kind_template.as_str()
        } else {
            "page.html"
        };
        self.render(template, &PageCtx { layout, page: view }, page_file(out))
    }

    fn section(&self, i: usize, lang: &Lang) -> Result<OutputFile, (String, Pos, String)> {
        let section = &self.site.sections[i];
        let out: OutDir = vec![lang.to_string(), section.name.clone()];
        let page = match self.site.section_index(&section.name, lang) {
            Some(idx) => self.view(idx, &out),
            None => self.synthetic_view(
                format!("{}/_index", section.name),
                self.section_title(&section.name, lang),
            ),
        };
        let pages = self.cards(section.pages.get(lang), &out);
        let layout = self.layout(
            &out,
            lang,
            vec![self.home_crumb(&out, lang)],
            Some(&section.name),
        );
        self.render(
            "section.html",
            &SectionCtx {
                layout,
                page,
                pages,
            },
            page_file(&out),
        )
    }

    fn home(&self, lang: &Lang) -> Result<OutputFile, (String, Pos, String)> {
        let out: OutDir = vec![lang.to_string()];
        let page = match self.site.home(lang) {
            Some(idx) => self.view(idx, &out),
            None => self.synthetic_view("_index".into(), self.site.config.title_in(lang)),
        };
        let sections = self
            .site
            .sections
            .iter()
            .map(|s| {
                let pages = self.cards(s.pages.get(lang), &out);
                SectionCard {
                    title: self.section_title(&s.name, lang),
                    url: self.url(&out, &[lang.to_string(), s.name.clone()]),
                    count: pages.len(),
                    pages,
                }
            })
            .collect();
        let pages = self.cards(self.site.root_pages.get(lang), &out);
        let layout = self.layout(&out, lang, Vec::new(), None);
        self.render(
            "home.html",
            &HomeCtx {
                layout,
                page,
                sections,
                pages,
            },
            page_file(&out),
        )
    }

    fn synthetic_view(&self, id: String, title: String) -> PageView {
        PageView {
            id,
            title,
            summary: None,
            kind: crate::config::DEFAULT_KIND.into(),
            kind_label: String::new(),
            date: None,
            content: String::new(),
            toc: Vec::new(),
            facts: Vec::new(),
            lists: Vec::new(),
            prev: None,
            next: None,
        }
    }

    fn root_page(
        &self,
        template: &str,
        path: &str,
        root: String,
    ) -> Result<OutputFile, (String, Pos, String)> {
        let config = &self.site.config;
        let languages = config
            .languages
            .iter()
            .map(|l| {
                let url = if root.is_empty() {
                    self.url(&[], &[l.to_string()])
                } else {
                    format!("{root}{l}/")
                };
                LangChoice {
                    code: l.to_string(),
                    title: config.title_in(l),
                    url,
                }
            })
            .collect();
        let ctx = RootCtx {
            lang: config.default_lang().to_string(),
            site_title: config.title_in(config.default_lang()),
            root,
            languages,
            generator: GENERATOR.to_string(),
        };
        self.render(template, &ctx, path.to_string())
    }

    fn alias(&self, i: usize) -> OutputFile {
        let (out, target) = &self.site.aliases[i];
        let url = escape_attr(&self.page_url(out, *target));
        let title = escape_text(&self.site.page(*target).fm.title);
        let html = format!(
            "<!DOCTYPE html>\n<html lang=\"{lang}\">\n<head>\n<meta charset=\"utf-8\">\n<title>{title}</title>\n<link rel=\"canonical\" href=\"{url}\">\n<meta http-equiv=\"refresh\" content=\"0; url={url}\">\n</head>\n<body>\n<p><a href=\"{url}\">{title}</a></p>\n</body>\n</html>\n",
            lang = self.site.page(*target).lang,
        );
        OutputFile {
            path: page_file(out),
            bytes: html.into_bytes(),
        }
    }
}

/// The page's summary: its `summary` field, else the start of its first paragraph.
fn summary(page: &Page) -> Option<String> {
    page.fm.summary.clone().or_else(|| {
        (!page.body.first_paragraph.is_empty()).then(|| shorten(&page.body.first_paragraph, 240))
    })
}

/// `text` cut at a word boundary to at most `max` characters, with an ellipsis.
fn shorten(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        return text.to_string();
    }
    let cut: String = text.chars().take(max).collect();
    let cut = cut.rsplit_once(' ').map_or(cut.as_str(), |(a, _)| a);
    format!("{}…", cut.trim_end_matches([',', ';', ':', '.']))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn dir(s: &str) -> Vec<String> {
        s.split('/')
            .filter(|s| !s.is_empty())
            .map(String::from)
            .collect()
    }

    #[test]
    fn relative_urls() {
        assert_eq!(
            relative_url(&dir("en/pilots/a"), &dir("en/pilots/b"), false),
            "../b/"
        );
        assert_eq!(
            relative_url(&dir("en/pilots/a"), &dir("en"), false),
            "../../"
        );
        assert_eq!(
            relative_url(&dir("en"), &dir("en/pilots"), false),
            "pilots/"
        );
        assert_eq!(relative_url(&dir("en"), &dir("en"), false), "./");
        assert_eq!(relative_url(&dir("en"), &dir("en"), true), "index.html");
        assert_eq!(
            relative_url(&dir("en/pilots/a"), &dir("fr/pilots/a"), true),
            "../../../fr/pilots/a/index.html"
        );
        assert_eq!(relative_url(&[], &dir("en"), false), "en/");
    }

    #[test]
    fn shorten_cuts_at_words() {
        assert_eq!(shorten("one two three", 9), "one two…");
        assert_eq!(shorten("short", 9), "short");
    }
}
