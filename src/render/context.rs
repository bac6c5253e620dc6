//! Render stage: the typed contexts templates receive, those shared by several page
//! families (layout, links, page views, cards, the pages outside every language). Every
//! template variable is a field of one of these structs or of a family's own context,
//! beside its family in `family/`; no context is assembled from string keys.

use serde::Serialize;

/// A link: text and a relative URL.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct Link {
    /// The link text.
    pub title: String,
    /// Relative URL from the page being rendered.
    pub url: String,
    /// The language of the text, when it is not the reader's (an untranslated page's title).
    pub lang: Option<String>,
}

/// An entry of the main navigation.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct NavItem {
    /// Its title.
    pub title: String,
    /// Relative URL.
    pub url: String,
    /// Whether the page being rendered is this entry or inside it.
    pub current: bool,
    /// The language of the title, when it is not the reader's.
    pub lang: Option<String>,
    /// The entries of a group (`url` is then empty): a disclosure list.
    pub children: Vec<NavItem>,
}

/// A language in the language switcher.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct LangLink {
    /// Language code (for `lang` and `hreflang`).
    pub code: String,
    /// The language's name in itself.
    pub name: String,
    /// Relative URL of this page in that language.
    pub url: String,
    /// Whether it is the language being read.
    pub current: bool,
    /// When this page has no translation in that language: a note, in that language,
    /// naming the language of the text it shows instead ("(English text)").
    pub fallback: Option<String>,
}

/// An alternate-language version for `<link rel="alternate" hreflang>`.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct Alternate {
    /// Language code, or `x-default`.
    pub hreflang: String,
    /// Its URL (absolute when `base_url` is set).
    pub href: String,
}

/// A notice shown above a page: not translated yet, or translated from an older original.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct Notice {
    /// `fallback` or `stale`.
    pub kind: String,
    /// The message, in the reader's language.
    pub text: String,
    /// A link to the original.
    pub link: Option<Link>,
}

/// A date: machine-readable and written out in the reader's language.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct DateView {
    /// `YYYY-MM-DD`.
    pub iso: String,
    /// "14 mai 2019".
    pub text: String,
}

/// What every page's layout needs.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct Layout {
    /// The page's language code (for `<html lang>`).
    pub lang: String,
    /// The site title in that language.
    pub site_title: String,
    /// The site description in that language.
    pub site_description: String,
    /// Relative prefix from the page to the output root (`../../`), for assets.
    pub root: String,
    /// Relative URL of the language's home page.
    pub home_url: String,
    /// Main navigation.
    pub nav: Vec<NavItem>,
    /// Links of the footer (`footer:` in `site.yaml`).
    pub footer_links: Vec<NavItem>,
    /// Breadcrumbs from the home page to the page's parent.
    pub breadcrumbs: Vec<Link>,
    /// The build date, only when `SOURCE_DATE_EPOCH` gives one.
    pub build_date: Option<DateView>,
    /// The language switcher: the languages this page exists in, the current one marked.
    pub languages: Vec<LangLink>,
    /// `<link rel="alternate" hreflang>` targets, `x-default` last.
    pub alternates: Vec<Alternate>,
    /// Relative URL of this language's Atom feed, when there is one.
    pub feed_url: Option<String>,
    /// Relative URL of this language's print page (the whole guidebook, or, when it is
    /// in parts, the contents page that links them).
    pub print_url: String,
    /// Whether this language's print version is in parts (`print.max_size` of `site.yaml`).
    pub print_in_parts: bool,
    /// Relative URL of this language's search page.
    pub search_url: String,
    /// The search script's interface strings, as JSON.
    pub search_strings: String,
    /// Whether the site was built for `file://` (search loads as classic scripts).
    pub offline: bool,
    /// `guidebook` and its version.
    pub generator: String,
    /// The page's canonical address (the original's, for a fallback page).
    pub canonical: Option<String>,
    /// The site's favicon, logo, organisation and accessibility statement.
    pub brand: super::family::brand::BrandView,
}

/// One value of a front-matter field, ready to show.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct FactValue {
    /// The text shown.
    pub text: String,
    /// Where it links to, for references and web addresses.
    pub url: Option<String>,
    /// The language of the text, when it is not the reader's.
    pub lang: Option<String>,
}

/// A front-matter field shown on the page.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct Fact {
    /// The field name (for CSS and custom templates).
    pub name: String,
    /// Its label.
    pub label: String,
    /// Its values.
    pub values: Vec<FactValue>,
}

/// An entry of the table of contents.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct TocItem {
    /// Heading level (2 or 3).
    pub level: u8,
    /// The heading text.
    pub title: String,
    /// `#anchor`.
    pub url: String,
}

/// A page, ready to show.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct PageView {
    /// The page id.
    pub id: String,
    /// The title.
    pub title: String,
    /// The summary, from front matter or the first paragraph.
    pub summary: Option<String>,
    /// The kind name.
    pub kind: String,
    /// The kind's label.
    pub kind_label: String,
    /// The date.
    pub date: Option<DateView>,
    /// The language of the content, when it is not the reader's (a fallback page).
    pub content_lang: Option<String>,
    /// Not translated yet, or translated from an older original.
    pub notice: Option<Notice>,
    /// The body as HTML.
    pub content: String,
    /// Table of contents (levels 2 and 3).
    pub toc: Vec<TocItem>,
    /// Short fields, shown as a fact sheet.
    pub facts: Vec<Fact>,
    /// Lists of text (sources, say), shown after the body.
    pub lists: Vec<Fact>,
    /// Pages pointing here through reference fields, one group per field.
    pub backlinks: Vec<LinkGroup>,
    /// Pages whose text links here.
    pub mentions: Vec<Link>,
    /// The most related pages of the same kind.
    pub related: Vec<Link>,
    /// The previous page in the guidebook.
    pub prev: Option<Link>,
    /// The next page in the guidebook.
    pub next: Option<Link>,
}

/// A labelled list of links (a backlink group).
#[derive(Debug, Clone, Serialize)]
pub(crate) struct LinkGroup {
    /// `kind-field`, for CSS and custom templates.
    pub name: String,
    /// The label, in the reader's language.
    pub label: String,
    /// The links.
    pub links: Vec<Link>,
}

/// A page in a listing.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct Card {
    /// Its title.
    pub title: String,
    /// Relative URL.
    pub url: String,
    /// Its summary.
    pub summary: Option<String>,
    /// Its kind's label.
    pub kind_label: String,
    /// The language of its title, when it is not the reader's.
    pub lang: Option<String>,
    /// Its facet values (`country:france themes:training`), for filtering in place.
    pub facets: String,
    /// The values of its kind's `card:` fields, in order, for a meta line.
    pub meta: Vec<FactValue>,
}

/// A language offered by the language chooser.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct LangChoice {
    /// Language code.
    pub code: String,
    /// The language's name in itself.
    pub name: String,
    /// The site title in that language.
    pub title: String,
    /// Relative URL of its home page.
    pub url: String,
}

/// Context of `languages.html` (the output's `index.html`) and `404.html`.
#[derive(Debug, Serialize)]
pub(crate) struct RootCtx {
    /// The default language's code.
    pub lang: String,
    /// The site title in the default language.
    pub site_title: String,
    /// Prefix from the page to the output root.
    pub root: String,
    /// Every language.
    pub languages: Vec<LangChoice>,
    /// `guidebook` and its version.
    pub generator: String,
    /// The site's favicon, logo, organisation and accessibility statement.
    pub brand: super::family::brand::BrandView,
    /// The accessibility statement in each language (none when the site has no statement),
    /// each titled in its own language.
    pub statements: Vec<Link>,
}
