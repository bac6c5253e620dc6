//! Render stage: taxonomy pages (an index per taxonomy, a page per term, in every
//! language) and the whole guidebook on one page for printing, where every link between
//! pages points inside the print page.

use super::context::*;
use super::{page_file, OutputFile, Problem, Renderer};
use crate::config::Lang;
use crate::content::markdown::escape_attr;
use crate::site::graph::Stop;
use crate::site::{IdIdx, OutDir};

impl Renderer<'_> {
    fn taxonomy_title(&self, name: &str, lang: &Lang) -> String {
        let config = &self.site.config;
        config.taxonomies[name]
            .title
            .as_ref()
            .and_then(|t| t.get(lang, config.default_lang()))
            .unwrap_or(name)
            .to_string()
    }

    fn term_slug_and_name(&self, taxonomy: &str, key: &str, lang: &Lang) -> (String, String) {
        match self.site.config.taxonomies[taxonomy].term(key) {
            Some(t) => (t.slug.clone(), t.name(lang).to_string()),
            None => (slug::slugify(key), key.to_string()),
        }
    }

    pub(super) fn taxonomy(&self, name: &str, lang: &Lang) -> Result<OutputFile, Problem> {
        let out: OutDir = vec![lang.to_string(), name.to_string()];
        let terms = self.site.graph.terms[name]
            .iter()
            .filter(|(_, ids)| !ids.is_empty())
            .map(|(key, ids)| {
                let (slug, term) = self.term_slug_and_name(name, key, lang);
                TermCard {
                    name: term,
                    url: self.url(&out, &[lang.to_string(), name.to_string(), slug]),
                    count: ids.len(),
                }
            })
            .collect();
        let layout = self.layout(&out, lang, None, vec![self.home_crumb(&out, lang)], None);
        let ctx = TaxonomyCtx { lang: lang.to_string(), layout, title: self.taxonomy_title(name, lang), terms };
        self.render("taxonomy.html", &ctx, page_file(&out))
    }

    pub(super) fn term(&self, name: &str, key: &str, lang: &Lang) -> Result<OutputFile, Problem> {
        let (slug, term) = self.term_slug_and_name(name, key, lang);
        let out: OutDir = vec![lang.to_string(), name.to_string(), slug];
        let taxonomy = self.taxonomy_title(name, lang);
        let taxonomy_url = self.url(&out, &[lang.to_string(), name.to_string()]);
        let pages = self.cards(self.site.graph.terms[name].get(key), lang, &out);
        let crumbs =
            vec![self.home_crumb(&out, lang), Link { title: taxonomy.clone(), url: taxonomy_url.clone(), lang: None }];
        let layout = self.layout(&out, lang, None, crumbs, None);
        let ctx = TermCtx { lang: lang.to_string(), layout, taxonomy, taxonomy_url, name: term, pages };
        self.render("term.html", &ctx, page_file(&out))
    }

    /// The anchor of a page id in the print page.
    pub(super) fn print_anchor(&self, id: IdIdx) -> String {
        let info = self.site.info(id);
        match (&info.section, info.is_index()) {
            (None, true) => "cover".into(),
            (Some(section), true) => format!("part-{section}"),
            _ => format!("p-{}", info.id.replace('/', "-")),
        }
    }

    /// `/<lang>/print/`: cover, numbered contents, then every part and chapter in order.
    pub(super) fn print(&self, lang: &Lang) -> Result<OutputFile, Problem> {
        let printer = Renderer { print: true, ..*self };
        let out: OutDir = vec![lang.to_string(), "print".to_string()];
        let cover = match self.site.home {
            Some(id) => printer.view(id, lang, &out),
            None => super::pages::synthetic_view("_index".into(), self.site.config.title_in(lang)),
        };
        let (mut part, mut chapter) = (0, 0);
        let mut entries = Vec::new();
        for stop in &self.site.graph.order {
            let (number, level, anchor, page) = match *stop {
                Stop::Section(i) => {
                    part += 1;
                    chapter = 0;
                    let section = &self.site.sections[i];
                    let mut view = match section.index {
                        Some(id) => printer.view(id, lang, &out),
                        None => super::pages::synthetic_view(
                            format!("{}/_index", section.name),
                            self.section_title(i, lang),
                        ),
                    };
                    view.title = self.section_title(i, lang);
                    (part.to_string(), 1, format!("part-{}", section.name), view)
                }
                Stop::Page(id) if self.site.info(id).section.is_none() => {
                    part += 1;
                    chapter = 0;
                    (part.to_string(), 1, self.print_anchor(id), printer.view(id, lang, &out))
                }
                Stop::Page(id) => {
                    chapter += 1;
                    (format!("{part}.{chapter}"), 2, self.print_anchor(id), printer.view(id, lang, &out))
                }
            };
            entries.push(PrintEntry { number, level, anchor, page });
        }
        let mut layout = self.layout(&out, lang, None, vec![self.home_crumb(&out, lang)], None);
        layout.alternates.clear();
        self.render("print.html", &PrintCtx { lang: lang.to_string(), layout, cover, entries }, page_file(&out))
    }
}

/// Prefixes every `id="..."` and same-page `href="#..."` of a page's HTML, so that pages
/// put together on one print page keep distinct anchors (percent-encoded in `href`).
pub(super) fn prefix_anchors(html: &str, prefix: &str) -> String {
    let in_href = escape_attr(&crate::href::fragment(prefix));
    html.replace(" id=\"", &format!(" id=\"{}", escape_attr(prefix)))
        .replace(" href=\"#", &format!(" href=\"#{in_href}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn anchors_are_prefixed() {
        let html = "<h2 id=\"results\">R</h2><a href=\"#results\">x</a><a href=\"../a/\">y</a>";
        assert_eq!(
            prefix_anchors(html, "p-a--"),
            "<h2 id=\"p-a--results\">R</h2><a href=\"#p-a--results\">x</a><a href=\"../a/\">y</a>"
        );
    }
}
