//! Render stage, taxonomy family: for each taxonomy of `site.yaml`, in every language, an
//! index of its terms (`<lang>/<taxonomy>/`) and a page per term listing the pages that
//! have it (`<lang>/<taxonomy>/<term>/`).

use super::{Faces, Family, Reads};
use crate::config::Lang;
use crate::render::context::{Card, Layout, Link};
use crate::render::view::{page_file, View};
use crate::render::{OutputFile, Problem};
use crate::site::OutDir;
use serde::Serialize;

/// A term in a taxonomy's index.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct TermCard {
    /// Its name in the reader's language.
    pub(crate) name: String,
    /// Relative URL of its page.
    pub(crate) url: String,
    /// How many pages have it.
    pub(crate) count: usize,
}

/// Context of `taxonomy.html`: a taxonomy and its terms.
#[derive(Debug, Serialize)]
pub(crate) struct TaxonomyCtx {
    /// The reader's language.
    pub(crate) lang: String,
    /// Layout.
    pub(crate) layout: Layout,
    /// The taxonomy's title.
    pub(crate) title: String,
    /// Its terms with counts.
    pub(crate) terms: Vec<TermCard>,
}

/// Context of `term.html`: the pages with one term.
#[derive(Debug, Serialize)]
pub(crate) struct TermCtx {
    /// The reader's language.
    pub(crate) lang: String,
    /// Layout.
    pub(crate) layout: Layout,
    /// The taxonomy's title.
    pub(crate) taxonomy: String,
    /// Link to the taxonomy's index.
    pub(crate) taxonomy_url: String,
    /// The term's name.
    pub(crate) name: String,
    /// Its pages.
    pub(crate) pages: Vec<Card>,
}

/// One file of the taxonomy family.
pub(crate) enum TaxonomyJob {
    /// A taxonomy's index of terms: its name, the reader's language.
    Index(String, Lang),
    /// A term's page: the taxonomy's name, the term's key, the reader's language.
    Term(String, String, Lang),
}

/// Taxonomy indexes and term pages.
pub(crate) struct Taxonomies;

impl Family for Taxonomies {
    const NAME: &'static str = "taxonomies";
    type Job = TaxonomyJob;

    fn jobs(view: &View<'_>) -> Vec<TaxonomyJob> {
        let mut jobs = Vec::new();
        for (name, terms) in &view.site.graph.terms {
            for lang in &view.site.config.languages {
                jobs.push(TaxonomyJob::Index(name.clone(), lang.clone()));
                jobs.extend(terms.keys().map(|t| TaxonomyJob::Term(name.clone(), t.clone(), lang.clone())));
            }
        }
        jobs
    }

    fn render(view: &View<'_>, job: &TaxonomyJob) -> Result<OutputFile, Problem> {
        match job {
            TaxonomyJob::Index(name, lang) => view.taxonomy(name, lang),
            TaxonomyJob::Term(name, term, lang) => view.term(name, term, lang),
        }
    }

    /// Cards: titles and summaries, no text.
    fn lang(_view: &View<'_>, job: &TaxonomyJob) -> Option<Lang> {
        match job {
            TaxonomyJob::Index(_, lang) | TaxonomyJob::Term(_, _, lang) => Some(lang.clone()),
        }
    }

    fn reads(_view: &View<'_>, _job: &TaxonomyJob) -> Reads {
        Reads::Nothing
    }

    /// A term's page shows the cards of the pages with the term.
    fn faces(view: &View<'_>, job: &TaxonomyJob) -> Faces {
        match job {
            TaxonomyJob::Index(..) => Faces::Any,
            TaxonomyJob::Term(name, key, _) => {
                let ids = view.site.graph.terms.get(name).and_then(|terms| terms.get(key));
                Faces::of(ids.into_iter().flatten().copied().collect())
            }
        }
    }
}

impl View<'_> {
    /// The title of taxonomy `name` in `lang`: `site.yaml`'s, else its name.
    fn taxonomy_title(&self, name: &str, lang: &Lang) -> String {
        let config = &self.site.config;
        config.taxonomies[name]
            .title
            .as_ref()
            .and_then(|t| t.get(lang, config.default_lang()))
            .unwrap_or(name)
            .to_string()
    }

    /// The slug and the name in `lang` of the term `key` of `taxonomy`.
    fn term_slug_and_name(&self, taxonomy: &str, key: &str, lang: &Lang) -> (String, String) {
        match self.site.config.taxonomies[taxonomy].term(key) {
            Some(t) => (t.slug.clone(), t.name(lang).to_string()),
            None => (slug::slugify(key), key.to_string()),
        }
    }

    fn taxonomy(&self, name: &str, lang: &Lang) -> Result<OutputFile, Problem> {
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

    fn term(&self, name: &str, key: &str, lang: &Lang) -> Result<OutputFile, Problem> {
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
}
