//! Entry points for the fuzz targets in `tests/fuzz/`: a page's front matter, its markdown
//! and a whole page, parsed as a build parses them; and the HTML reader the tests'
//! oracles read output with. Not a stable interface.

use crate::config::Config;
use crate::content::chart::ChartText;
use crate::content::discover::SourceFile;
pub use crate::content::html::{attributes, decode_entities, pieces, tag_name, Attribute, Piece};
use crate::content::markdown::{self, BodyTools};
use crate::content::{frontmatter, parse_one};
use crate::diagnostics::Diagnostics;
use crate::lang::{self, I18n, Lang};
use std::path::Path;

/// A site's configuration and interface strings, loaded once for many inputs.
pub struct Site {
    config: Config,
    i18n: I18n,
    tools: BodyTools,
    lang: Lang,
}

impl Site {
    /// Loads `root/site.yaml` and the interface strings; `None` if the site has errors.
    pub fn load(root: &Path) -> Option<Site> {
        let text = std::fs::read_to_string(root.join(crate::config::CONFIG_FILE)).ok()?;
        let mut diags = Diagnostics::new();
        let config = crate::config::load(&text, &mut diags)?;
        let i18n = lang::load_i18n(root, &config.lang_locales(), &mut diags);
        let lang = config.languages.first().cloned()?;
        (!diags.has_errors()).then_some(Site { config, i18n, tools: BodyTools::default(), lang })
    }

    /// The file `content/<section>/fuzz.<lang>.md` in the site's default language, with
    /// `section` its first section (or none).
    fn file(&self) -> SourceFile {
        let lang = self.lang.clone();
        let section = self.config.sections.keys().next().cloned();
        let dir = section.as_ref().map(|s| format!("{s}/")).unwrap_or_default();
        SourceFile {
            rel: format!("content/{dir}fuzz.{lang}.md"),
            abs: Path::new("content").join(format!("{dir}fuzz.{lang}.md")),
            id: format!("{dir}fuzz"),
            slug: "fuzz".into(),
            section,
            lang,
        }
    }

    /// Splits `text` at its `---` lines and checks the front matter against the site's
    /// schema. Returns how many problems were found.
    pub fn front_matter(&self, text: &str) -> usize {
        let file = self.file();
        let mut diags = Diagnostics::new();
        match frontmatter::split(text) {
            Ok(split) => {
                frontmatter::check(&file, &split, &self.config, &mut diags);
                diags.sorted().len()
            }
            Err(_) => 1,
        }
    }

    /// Renders `body` with [`markdown::render`] under the site's `raw_html` setting and
    /// fills its page links as the render stage does. Returns the HTML.
    ///
    /// # Panics
    /// Under `raw_html: sanitize` or `escape`, when the HTML holds anything that can run:
    /// an element the sanitiser never keeps, an event handler, or a `javascript:`,
    /// `vbscript:` or `data:` address. That is what the fuzzer looks for.
    pub fn markdown(&self, body: &str) -> String {
        let chart_text = ChartText { lang: &self.lang, table: "The figures", label: "Item", value: "Value" };
        let raw_html = self.config.markdown.raw_html;
        let (md, _problems) = markdown::render(body, 1, "pilots", &self.tools, raw_html, &chart_text);
        let urls: Vec<String> = (0..md.links.len()).map(|i| format!("../page-{i}/")).collect();
        let html = md.fill_links(&md.html, &urls);
        if raw_html != crate::config::RawHtml::Allow {
            if let Some(found) = runnable(&html) {
                panic!("the published HTML can run something: {found}\nin: {html}");
            }
        }
        html
    }

    /// Parses `text` as a whole page file (front matter and body), as a build does.
    /// Returns how many problems were found.
    pub fn page(&self, text: &str) -> usize {
        let mut diags = Diagnostics::new();
        let page = parse_one(self.file(), text, &self.config, &self.tools, &self.i18n, &mut diags);
        if let Some(p) = page {
            let urls: Vec<String> = (0..p.body.links.len()).map(|i| format!("../page-{i}/")).collect();
            std::hint::black_box(p.body.fill_links(&p.body.html, &urls));
        }
        diags.sorted().len()
    }
}

/// The search engine over the default language's index of the site at `root`, built as
/// `guidebook build` builds it; `None` if the site has errors.
pub fn search_engine(root: &Path) -> Option<guidebook_search::Engine> {
    let opts = crate::BuildOptions::new(root);
    let mut diags = Diagnostics::new();
    let prepared =
        crate::prepare(&opts, &mut diags, &BodyTools::default(), None, &crate::timings::Clock::new(false)).ok()??;
    let site = &prepared.site;
    let lang = site.config.languages.first()?.to_string();
    let indexes = crate::search::build_indexes(site, opts.offline, None).ok()?;
    crate::search::engine_of(&indexes, &lang)
}

/// The first thing in `html` that could run in a browser, if any: an element outside what
/// the sanitiser keeps (and our own highlighted code and charts: `pre`, `code`, `span`,
/// `figure`, inline SVG), an event handler, or an address with a scheme that runs.
fn runnable(html: &str) -> Option<String> {
    const NEVER: [&str; 12] =
        ["script", "style", "iframe", "object", "embed", "form", "button", "base", "meta", "link", "math", "template"];
    for piece in pieces(html) {
        let Piece::Tag(tag) = piece else { continue };
        if tag.starts_with("</") {
            continue;
        }
        let name = tag_name(tag);
        if NEVER.contains(&name.as_str()) {
            return Some(tag.to_string());
        }
        for a in attributes(tag) {
            let attr = a.name.to_ascii_lowercase();
            let value: String = crate::content::html::decode_entities(a.value)
                .chars()
                .filter(|c| !c.is_whitespace() && !c.is_control())
                .collect::<String>()
                .to_ascii_lowercase();
            // Only attributes that a browser follows or loads are addresses (`id="data:y"` is not).
            let is_address = matches!(
                attr.as_str(),
                "href"
                    | "src"
                    | "action"
                    | "formaction"
                    | "xlink:href"
                    | "srcset"
                    | "poster"
                    | "cite"
                    | "data"
                    | "background"
            );
            let runs = is_address && ["javascript:", "vbscript:", "data:"].iter().any(|s| value.starts_with(s));
            if attr.starts_with("on") || attr == "style" && !matches!(name.as_str(), "td" | "th") || runs {
                return Some(tag.to_string());
            }
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::runnable;

    #[test]
    fn only_what_runs_is_flagged() {
        // Found by the markdown target: a heading id that merely looks like an address.
        assert_eq!(runnable("<h2 id=\"data:y\">x</h2><p title=\"javascript:no\">y</p>"), None);
        for evil in
            ["<a href=\" data:text/html,x\">", "<img src=\"java&#x09;script:x\">", "<p onclick=\"x\">", "<script>"]
        {
            assert!(runnable(evil).is_some(), "{evil}");
        }
    }
}
