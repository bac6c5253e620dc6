//! Render stage, 404 family: the output's `404.html`, offering every language's home.
//! A server shows it at any address, so its links start from the site's path rather
//! than being relative.

use super::Family;
use crate::render::view::View;
use crate::render::{OutputFile, Problem};

/// The 404 page.
pub(crate) struct NotFound;

impl Family for NotFound {
    const NAME: &'static str = "not found";
    type Job = ();

    fn jobs(_: &View<'_>) -> Vec<()> {
        vec![()]
    }

    fn render(view: &View<'_>, (): &()) -> Result<OutputFile, Problem> {
        let base = view
            .site
            .config
            .base_url
            .as_deref()
            .and_then(|u| url::Url::parse(u).ok())
            .map_or("/".to_string(), |u| u.path().to_string());
        view.root_page("404.html", "404.html", base)
    }
}
