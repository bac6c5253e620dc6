//! Render stage, brand family: what `favicon:` and `branding:` in `site.yaml` give every
//! page (the favicon, the header's logo, the footer's organisation details, the link to
//! the accessibility statement) and `css/brand.css`, the site's accent colour as the
//! theme's custom properties. A file of its own, since a strict Content-Security-Policy
//! refuses inline styles.

use super::{statement, Family, Reads};
use crate::config::{Lang, Localized};
use crate::href;
use crate::render::view::View;
use crate::render::{OutputFile, Problem};
use serde::Serialize;

/// The style sheet with the accent colour, below the output root.
pub(crate) const BRAND_CSS: &str = "css/brand.css";

/// The site's own look, as the layout of one page shows it.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct BrandView {
    /// URL of the favicon.
    pub favicon_url: String,
    /// Its media type.
    pub favicon_type: String,
    /// URL of the logo, when the site has one (its `alt` is the site title).
    pub logo_url: Option<String>,
    /// URL of `css/brand.css`, when the site has an accent colour.
    pub css_url: Option<String>,
    /// The organisation's details, for the footer.
    pub organisation: Option<OrganisationView>,
    /// URL of this language's accessibility statement, when the site has one.
    pub statement_url: Option<String>,
}

/// A text of `site.yaml` in the reader's language, or in the default language when it has
/// none in the reader's: then `lang` names that language, for the `lang` attribute of the
/// element that shows it.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct LangText {
    /// The text.
    pub text: String,
    /// The language it is written in, when not the page's.
    pub lang: Option<String>,
}

/// `text` as the reader of `lang` gets it: in `lang`, else in `default`, marked as such.
/// A text written once for every language (`name: Efus`) carries no mark.
pub(crate) fn localized(text: &Localized, lang: &Lang, default: &Lang) -> LangText {
    match text {
        Localized::One(s) => LangText { text: s.clone(), lang: None },
        Localized::Many(m) => match m.get(lang.as_str()) {
            Some(s) => LangText { text: s.clone(), lang: None },
            None => LangText {
                text: m.get(default.as_str()).cloned().unwrap_or_default(),
                lang: Some(default.to_string()),
            },
        },
    }
}

/// The footer's organisation details in the reader's language.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct OrganisationView {
    /// Its name.
    pub name: LangText,
    /// Its postal address, one line each.
    pub address: Vec<String>,
    /// The language of the address, when not the page's.
    pub address_lang: Option<String>,
    /// Contact e-mail address.
    pub email: Option<String>,
    /// Contact telephone number.
    pub phone: Option<String>,
    /// Its own web site.
    pub url: Option<String>,
}

/// `css/brand.css`.
pub(crate) struct Brand;

impl Family for Brand {
    const NAME: &'static str = "brand";
    type Job = ();

    fn jobs(view: &View<'_>) -> Vec<()> {
        if view.site.config.branding.accent.is_some() || view.site.config.branding.accent_dark.is_some() {
            vec![()]
        } else {
            Vec::new()
        }
    }

    fn render(view: &View<'_>, (): &()) -> Result<OutputFile, Problem> {
        let branding = &view.site.config.branding;
        // The scheme a reader chose with the theme's toggle is `data-scheme` on the root
        // element; without a choice, the system's setting applies.
        let mut css = String::from("/* The site's accent colour, from `branding.accent` in site.yaml. */\n");
        if let Some(light) = &branding.accent {
            let vars = format!("--accent: {light}; --accent-dark: {light};");
            css.push_str(&format!(
                "@media not (prefers-color-scheme: dark) {{ :root:not([data-scheme=\"dark\"]) {{ {vars} }} }}\n:root[data-scheme=\"light\"] {{ {vars} }}\n"
            ));
        }
        if let Some(dark) = &branding.accent_dark {
            let vars = format!("--accent: {dark}; --accent-dark: {dark};");
            css.push_str(&format!(
                "@media (prefers-color-scheme: dark) {{ :root:not([data-scheme=\"light\"]) {{ {vars} }} }}\n:root[data-scheme=\"dark\"] {{ {vars} }}\n"
            ));
        }
        Ok(OutputFile { path: BRAND_CSS.to_string(), bytes: css.into_bytes() })
    }

    fn reads(_view: &View<'_>, (): &()) -> Reads {
        Reads::Nothing
    }
}

impl View<'_> {
    /// What the layout of a page in `lang` shows of the site's look; `root` is the prefix
    /// from the page to the output root.
    pub(crate) fn brand(&self, lang: &Lang, root: &str) -> BrandView {
        let config = &self.site.config;
        let branding = &config.branding;
        let file_url = |path: &str| format!("{root}{}", path.split('/').map(href::segment).collect::<Vec<_>>().join("/"));
        let favicon_type = match branding.favicon.rsplit('.').next().map(str::to_ascii_lowercase).as_deref() {
            Some("svg") => "image/svg+xml",
            Some("png") => "image/png",
            Some("ico") => "image/x-icon",
            Some("jpg" | "jpeg") => "image/jpeg",
            Some("gif") => "image/gif",
            Some("webp") => "image/webp",
            Some("avif") => "image/avif",
            _ => "image/png",
        };
        let default = config.default_lang();
        let organisation = branding.organisation.as_ref().map(|o| {
            let address = o.address.as_ref().map(|a| localized(a, lang, default));
            OrganisationView {
                name: localized(&o.name, lang, default),
                address: address
                    .as_ref()
                    .map(|a| a.text.lines().map(str::trim).filter(|l| !l.is_empty()).map(str::to_string).collect())
                    .unwrap_or_default(),
                address_lang: address.and_then(|a| a.lang),
                email: o.email.clone(),
                phone: o.phone.clone(),
                url: o.url.clone(),
            }
        });
        let statement_url = config.statement.as_ref().map(|_| {
            let index = if self.opts.offline { "index.html" } else { "" };
            format!("{root}{}/{}/{index}", href::segment(lang.as_str()), statement::SEGMENT)
        });
        BrandView {
            favicon_url: file_url(&branding.favicon),
            favicon_type: favicon_type.to_string(),
            logo_url: branding.logo.as_deref().map(file_url),
            css_url: (branding.accent.is_some() || branding.accent_dark.is_some()).then(|| file_url(BRAND_CSS)),
            organisation,
            statement_url,
        }
    }
}
