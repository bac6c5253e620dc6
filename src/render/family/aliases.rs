//! Render stage, alias family: a redirect at each earlier address a page declares in
//! `aliases:`, to the page in the same language. The addresses are the editor's, checked
//! by the resolve stage; no template is involved.

use super::{Family, Reads};
use crate::config::Lang;
use crate::content::markdown::{escape_attr, escape_text};
use crate::render::view::{page_file, View};
use crate::render::{OutputFile, Problem};

/// Alias redirects: one file per alias of the site.
pub(crate) struct Aliases;

impl Family for Aliases {
    const NAME: &'static str = "aliases";
    /// The index in `site.aliases`.
    type Job = usize;

    fn jobs(view: &View<'_>) -> Vec<usize> {
        (0..view.site.aliases.len()).collect()
    }

    fn render(view: &View<'_>, &i: &usize) -> Result<OutputFile, Problem> {
        let (out, id, lang) = &view.site.aliases[i];
        let url = escape_attr(&view.id_url(out, *id, lang));
        let title = escape_text(&view.site.shown_page(*id, lang).fm.title);
        // The favicon too, else the browser asks for the server's `/favicon.ico`.
        let brand = view.brand(lang, &"../".repeat(out.len()));
        let icon = format!(
            "<link rel=\"icon\" href=\"{}\" type=\"{}\">",
            escape_attr(&brand.favicon_url),
            escape_attr(&brand.favicon_type)
        );
        let html = format!(
            "<!DOCTYPE html>\n<html lang=\"{lang}\">\n<head>\n<meta charset=\"utf-8\">\n<title>{title}</title>\n<link rel=\"canonical\" href=\"{url}\">\n{icon}\n<meta http-equiv=\"refresh\" content=\"0; url={url}\">\n</head>\n<body>\n<p><a href=\"{url}\">{title}</a></p>\n</body>\n</html>\n",
        );
        Ok(OutputFile { path: page_file(out), bytes: html.into_bytes() })
    }

    /// The target's title: no text.
    fn lang(view: &View<'_>, job: &usize) -> Option<Lang> {
        view.site.aliases.get(*job).map(|(_, _, lang)| lang.clone())
    }

    fn reads(_view: &View<'_>, _job: &usize) -> Reads {
        Reads::Nothing
    }
}
