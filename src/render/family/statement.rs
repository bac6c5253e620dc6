//! Render stage, accessibility statement family: `<lang>/accessibility/`, the site's
//! accessibility statement in each language, from `accessibility:` in `site.yaml`. Its
//! sections follow the model statement of Commission Implementing Decision (EU) 2018/1523:
//! the commitment, the compliance status, the content that is not accessible, the
//! preparation of the statement, feedback and contact, and the enforcement procedure.
//! The texts are interface strings (`a11y_*` in `i18n/`).

use super::brand::{localized, LangText};
use super::{Family, Reads};
use crate::content::markdown::escape_attr;
use crate::config::Lang;
use crate::render::context::{DateView, Layout};
use crate::render::view::{page_file, View};
use crate::render::{OutputFile, Problem};
use crate::site::OutDir;
use serde::Serialize;

/// The folder of the statement below `<lang>/`.
pub(crate) const SEGMENT: &str = "accessibility";

/// Context of `statement.html`.
#[derive(Debug, Serialize)]
pub(crate) struct StatementCtx {
    /// The reader's language.
    pub(crate) lang: String,
    /// Layout.
    pub(crate) layout: Layout,
    /// The statement in the reader's language.
    pub(crate) statement: StatementView,
}

/// The statement's facts, in the reader's language.
#[derive(Debug, Serialize)]
pub(crate) struct StatementView {
    /// The opening sentence, as HTML: who publishes the site (the organisation of
    /// `branding:`, else the site title), marked with its language when not the page's.
    pub(crate) commitment: String,
    /// The site's address, when `base_url` is set.
    pub(crate) site_url: Option<String>,
    /// `fully`, `partially` or `not`.
    pub(crate) status: String,
    /// What is not accessible.
    pub(crate) non_accessible: Vec<LangText>,
    /// When the statement was prepared.
    pub(crate) prepared: DateView,
    /// When it was last reviewed.
    pub(crate) reviewed: Option<DateView>,
    /// Whether a third party assessed the site.
    pub(crate) third_party: bool,
    /// Where to report a problem.
    pub(crate) email: String,
    /// A telephone number for the same.
    pub(crate) phone: Option<String>,
    /// The enforcement body.
    pub(crate) enforcement_name: LangText,
    /// Its address.
    pub(crate) enforcement_url: String,
}

/// The accessibility statement of each language.
pub(crate) struct Statement;

impl Family for Statement {
    const NAME: &'static str = "accessibility statement";
    const RESERVED: &'static [&'static str] = &[SEGMENT];
    type Job = Lang;

    fn jobs(view: &View<'_>) -> Vec<Lang> {
        match view.site.config.statement {
            Some(_) => view.site.config.languages.clone(),
            None => Vec::new(),
        }
    }

    fn render(view: &View<'_>, lang: &Lang) -> Result<OutputFile, Problem> {
        let config = &view.site.config;
        let out: OutDir = vec![lang.to_string(), SEGMENT.to_string()];
        let layout = view.layout(&out, lang, None, vec![view.home_crumb(&out, lang)], None);
        let Some(s) = &config.statement else {
            return Err((
                crate::config::CONFIG_FILE.to_string(),
                crate::diagnostics::Pos::start(),
                "no `accessibility:`".into(),
                None,
            ));
        };
        let default = config.default_lang();
        let text = |l: &crate::config::Localized| localized(l, lang, default);
        let organisation = config.branding.organisation.as_ref().map_or_else(|| text(&config.title), |o| text(&o.name));
        let statement = StatementView {
            commitment: commitment(view, lang, &organisation),
            site_url: config.base_url.clone(),
            status: s.status.as_str().to_string(),
            non_accessible: s.non_accessible.iter().map(text).collect(),
            prepared: view.date(s.prepared, lang),
            reviewed: s.reviewed.map(|d| view.date(d, lang)),
            third_party: s.third_party,
            email: s.email.clone(),
            phone: s.phone.clone(),
            enforcement_name: text(&s.enforcement_name),
            enforcement_url: s.enforcement_url.clone(),
        };
        view.render("statement.html", &StatementCtx { lang: lang.to_string(), layout, statement }, page_file(&out))
    }

    fn reads(_view: &View<'_>, _lang: &Lang) -> Reads {
        Reads::Nothing
    }
}

/// The statement's opening sentence in `lang`, as HTML, with the organisation's name in an
/// element of its own language when that is not `lang`.
fn commitment(view: &View<'_>, lang: &Lang, organisation: &LangText) -> String {
    const MARK: &str = "\u{1}";
    let name = match &organisation.lang {
        Some(l) => format!("<span lang=\"{}\">{}</span>", escape(l), escape(&organisation.text)),
        None => escape(&organisation.text),
    };
    escape(&view.t(lang, "a11y_commitment", &[("organisation", MARK)])).replace(MARK, &name)
}

/// Escapes `s` as the templates escape every value.
fn escape(s: &str) -> String {
    escape_attr(s).replace('\'', "&#39;")
}
