//! Render stage, 404 family: each language's `<lang>/404.html` and the output's own
//! `404.html` (in the default language), with the normal layout (navigation, search box,
//! language switcher). A server shows such a page at any address, at any depth, so its
//! links cannot be relative: they start from the site's path, the path of `base_url`
//! when the site has one, else `/` (a site served from a sub-path without `base_url`
//! gets an unstyled 404 page whose links leave it; the README's hosting section says so).

use super::{Family, Reads};
use crate::config::Lang;
use crate::render::context::{Layout, LangChoice};
use crate::render::view::View;
use crate::render::{OutputFile, Problem};
use serde::Serialize;

/// The file name of a 404 page, in a language folder and at the root.
pub(crate) const FILE: &str = "404.html";

/// Context of `404.html`.
#[derive(Debug, Serialize)]
pub(crate) struct NotFoundCtx {
    /// The reader's language (used by `t()`).
    pub(crate) lang: String,
    /// Layout, its links starting from the site's path.
    pub(crate) layout: Layout,
    /// Every language's home page.
    pub(crate) languages: Vec<LangChoice>,
}

/// One 404 page.
pub(crate) enum NotFoundJob {
    /// The output's `404.html`, in the default language.
    Root,
    /// `<lang>/404.html`.
    Lang(Lang),
}

/// The 404 pages.
pub(crate) struct NotFound;

impl Family for NotFound {
    const NAME: &'static str = "not found";
    const RESERVED: &'static [&'static str] = &[FILE];
    type Job = NotFoundJob;

    fn jobs(view: &View<'_>) -> Vec<NotFoundJob> {
        let mut jobs = vec![NotFoundJob::Root];
        jobs.extend(view.site.config.languages.iter().map(|l| NotFoundJob::Lang(l.clone())));
        jobs
    }

    fn render(view: &View<'_>, job: &NotFoundJob) -> Result<OutputFile, Problem> {
        let (lang, path) = match job {
            NotFoundJob::Root => (view.site.config.default_lang().clone(), FILE.to_string()),
            NotFoundJob::Lang(lang) => (lang.clone(), format!("{lang}/{FILE}")),
        };
        let root = site_path(view.site.config.base_url.as_deref());
        let anywhere = View { site_root: Some(&root), ..*view };
        let out = vec![lang.to_string()];
        let layout = anywhere.layout(&out, &lang, None, Vec::new(), None);
        let config = &view.site.config;
        let languages = config
            .languages
            .iter()
            .map(|l| LangChoice {
                code: l.to_string(),
                name: l.autonym(),
                title: config.title_in(l),
                url: anywhere.url(&out, &[l.to_string()]),
            })
            .collect();
        anywhere.render("404.html", &NotFoundCtx { lang: lang.to_string(), layout, languages }, path)
    }

    fn lang(_view: &View<'_>, job: &NotFoundJob) -> Option<Lang> {
        match job {
            NotFoundJob::Lang(lang) => Some(lang.clone()),
            NotFoundJob::Root => None,
        }
    }

    fn reads(_view: &View<'_>, _job: &NotFoundJob) -> Reads {
        Reads::Nothing
    }
}

/// The path of the site on its server: that of `base_url` (`/guide/`), else `/`.
pub(crate) fn site_path(base_url: Option<&str>) -> String {
    base_url.and_then(|u| url::Url::parse(u).ok()).map_or("/".to_string(), |u| {
        let path = u.path();
        if path.ends_with('/') {
            path.to_string()
        } else {
            format!("{path}/")
        }
    })
}
