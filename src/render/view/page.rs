//! Render stage, view layer: a page ready to show ([`PageView`]) in the reader's language,
//! with the original's content (and a notice) where no translation exists: its body with
//! links filled in, table of contents, facts, backlinks, mentions, related pages and its
//! neighbours in the guidebook's reading order.

use super::View;
use crate::config::{FieldType, KindIdx, Lang, DEFAULT_KIND};
use crate::content::frontmatter::FieldValue;
use crate::content::html::prefix_ids;
use crate::content::markdown::escape_attr;
use crate::href;
use crate::render::context::{Fact, FactValue, Link, LinkGroup, Notice, PageView, TocItem};
use crate::site::fact_box::ShownValue;
use crate::site::graph::Stop;
use crate::site::{IdIdx, OutDir, Page, Resolved, Status};

impl View<'_> {
    /// The body HTML with `@/` link placeholders turned into relative URLs, in `lang`.
    fn content(&self, page: &Page, from: &[String], lang: &Lang) -> String {
        let html = self.content_links(page, from, lang);
        if !self.site.config.kind(page.kind).glossary_links {
            return html;
        }
        self.glossary.link(&html, lang, page.id, |id| self.id_url(from, id, lang))
    }

    fn content_links(&self, page: &Page, from: &[String], lang: &Lang) -> String {
        if self.print {
            let prefix = format!("{}--", self.print_anchor(page.id));
            let urls: Vec<String> = page
                .link_targets
                .iter()
                .map(|target| match target {
                    Resolved::Page(id, Some(a)) => {
                        escape_attr(&self.print_url(from, *id, lang, &format!("{}--{a}", self.print_anchor(*id))))
                    }
                    Resolved::Anchor(a) => escape_attr(&format!("#{}", href::fragment(&format!("{prefix}{a}")))),
                    other => escape_attr(&self.link_url(from, other, lang)),
                })
                .collect();
            return page.body.fill_links(&prefix_ids(&page.body.html, &prefix), &urls);
        }
        let urls: Vec<String> =
            page.link_targets.iter().map(|target| escape_attr(&self.link_url(from, target, lang))).collect();
        page.body.fill_links(&page.body.html, &urls)
    }

    /// The URL of a resolved body link, from the folder `from`, for readers of `lang`:
    /// percent-encoded (see [`crate::href`]), not yet escaped for HTML.
    pub(crate) fn link_url(&self, from: &[String], target: &Resolved, lang: &Lang) -> String {
        match target {
            Resolved::Page(id, anchor) => {
                let mut url = self.id_url(from, *id, lang);
                if let Some(a) = anchor {
                    url.push('#');
                    url.push_str(&href::fragment(a));
                }
                url
            }
            Resolved::Anchor(a) => format!("#{}", href::fragment(a)),
            Resolved::Section(name) => super::relative_url(from, &[lang.to_string(), name.clone()], self.opts.offline),
            Resolved::File(path, fragment) => {
                let mut url = super::relative_file_url(from, path);
                if let Some(f) = fragment {
                    url.push('#');
                    url.push_str(&href::fragment(f));
                }
                url
            }
            Resolved::Broken => String::new(),
        }
    }

    fn notice(&self, id: IdIdx, lang: &Lang, from: &OutDir) -> Option<Notice> {
        let info = self.site.info(id);
        let original = &info.original;
        let link =
            || Link { title: self.t(lang, "read_original", &[]), url: self.id_url(from, id, original), lang: None };
        let original_name = original.autonym();
        match &self.site.shown(id, lang).status {
            Status::Fallback => Some(Notice {
                kind: "fallback".into(),
                text: self.t(lang, "not_translated", &[("original", &original_name)]),
                link: None,
            }),
            Status::Stale { .. } => Some(Notice {
                kind: "stale".into(),
                text: self.t(lang, "stale_translation", &[("original", &original_name)]),
                link: Some(link()),
            }),
            Status::Original | Status::Translated => None,
        }
    }

    /// The view of `id` for readers of `lang`, as seen from `from`.
    pub(crate) fn page_view(&self, id: IdIdx, lang: &Lang, from: &OutDir) -> PageView {
        let page = self.site.shown_page(id, lang);
        let (facts, lists) = self.facts(page, lang, from);
        PageView {
            id: self.site.info(id).id.clone(),
            title: page.fm.title.clone(),
            summary: summary(page),
            kind: page.fm.kind.clone(),
            kind_label: self.site.config.kind_label(page.kind, lang),
            date: page.fm.date.map(|d| self.date(d, lang)),
            content_lang: (&page.lang != lang).then(|| page.lang.to_string()),
            notice: self.notice(id, lang, from),
            content: self.content(page, from, lang),
            toc: page
                .body
                .headings
                .iter()
                .filter(|h| (2..=3).contains(&h.level))
                .map(|h| TocItem { level: h.level, title: h.text.clone(), url: format!("#{}", href::fragment(&h.id)) })
                .collect(),
            facts,
            lists,
            backlinks: self.backlinks(id, lang, from),
            mentions: self
                .site
                .graph
                .mentions
                .get(&id)
                .into_iter()
                .flatten()
                .map(|&m| self.page_link(from, m, lang))
                .collect(),
            related: self
                .site
                .graph
                .related
                .get(&id)
                .into_iter()
                .flatten()
                .map(|&r| self.page_link(from, r, lang))
                .collect(),
            prev: None,
            next: None,
        }
    }

    /// One group per (kind, field) pointing at `id`, labelled by the field.
    fn backlinks(&self, id: IdIdx, lang: &Lang, from: &OutDir) -> Vec<LinkGroup> {
        let mut groups: Vec<LinkGroup> = Vec::new();
        for b in self.site.graph.backlinks.get(&id).into_iter().flatten() {
            let kind = self.site.config.kind_name(b.kind);
            let name = format!("{kind}-{}", b.field);
            let link = self.page_link(from, b.from, lang);
            match groups.last_mut() {
                Some(g) if g.name == name => g.links.push(link),
                _ => groups.push(LinkGroup {
                    label: self.backlink_label(b.kind, &b.field, lang),
                    name,
                    links: vec![link],
                }),
            }
        }
        groups
    }

    /// The label of a backlink group: the i18n string `backlink.<kind>.<field>`, else the
    /// field's `backlink` label in `site.yaml`, else "<kind> (<field>)".
    fn backlink_label(&self, kind: KindIdx, field: &str, lang: &Lang) -> String {
        let config = &self.site.config;
        let name = config.kind_name(kind);
        if let Some(text) = self.i18n.get(lang, &format!("backlink.{name}.{field}")) {
            return text.to_string();
        }
        let spec = config.kind(kind).fields.get(field);
        if let Some(label) = spec.and_then(|f| f.backlink.as_ref()).and_then(|l| l.get(lang, config.default_lang())) {
            return label.to_string();
        }
        let field_label =
            spec.and_then(|f| f.label.as_ref()).and_then(|l| l.get(lang, config.default_lang())).unwrap_or(field);
        self.t(lang, "backlink_default", &[("kind", &config.kind_label(kind, lang)), ("field", field_label)])
    }

    /// The previous and next stops of the guidebook around `stop`, for readers of `lang`.
    pub(crate) fn neighbours(&self, stop: Stop, lang: &Lang, from: &OutDir) -> (Option<Link>, Option<Link>) {
        let order = &self.site.graph.order;
        let Some(pos) = order.iter().position(|s| *s == stop) else { return (None, None) };
        let link = |s: &Stop| match *s {
            Stop::Page(id) => self.page_link(from, id, lang),
            Stop::Section(i) => Link {
                title: self.section_title(i, lang),
                url: self.url(from, &[lang.to_string(), self.site.sections[i].name.clone()]),
                lang: None,
            },
        };
        (pos.checked_sub(1).map(|p| link(&order[p])), order.get(pos + 1).map(link))
    }

    /// A taxonomy term, named `name` in `lang`, as a link to its page.
    fn term_value(&self, taxonomy: &str, key: &str, name: String, lang: &Lang, from: &OutDir) -> FactValue {
        let slug = match self.site.config.taxonomies.get(taxonomy).and_then(|t| t.term(key)) {
            Some(term) => term.slug.clone(),
            None => slug::slugify(key),
        };
        FactValue { text: name, url: Some(self.url(from, &[lang.to_string(), taxonomy.to_string(), slug])), lang: None }
    }

    /// The values of the `card:` fields of `page`'s kind, in order, as plain text: refs by
    /// their titles in `lang`, taxonomy terms by their names.
    pub(crate) fn card_meta(&self, page: &Page, lang: &Lang, from: &OutDir) -> Vec<FactValue> {
        let card = &self.site.config.kind(page.kind).card;
        if card.is_empty() {
            return Vec::new();
        }
        let (facts, lists) = self.facts(page, lang, from);
        card.iter()
            .filter_map(|name| facts.iter().chain(&lists).find(|f| &f.name == name))
            .flat_map(|f| f.values.iter().map(|v| FactValue { url: None, ..v.clone() }))
            .collect()
    }

    /// The facts box of `page` in `lang` (see [`crate::site::fact_box`]), and its lists of
    /// text, shown after the body.
    fn facts(&self, page: &Page, lang: &Lang, from: &OutDir) -> (Vec<Fact>, Vec<Fact>) {
        let (mut facts, mut lists) = (Vec::new(), Vec::new());
        let text_lang = (&page.lang != lang).then(|| page.lang.as_str());
        for shown in self.site.shown_facts(page, lang) {
            let mut values = Vec::new();
            for value in shown.values {
                match value {
                    ShownValue::Term { taxonomy, key, name } => {
                        values.push(self.term_value(taxonomy, key, name, lang, from))
                    }
                    ShownValue::Choice(text) => values.push(FactValue { text, url: None, lang: None }),
                    ShownValue::Page(target) => values.push(self.ref_value(from, target, lang)),
                    ShownValue::Plain(value) => self.fact_values(value, lang, text_lang, &mut values),
                }
            }
            let fact = Fact { name: shown.name.to_string(), label: shown.label, values };
            match &shown.spec.ty {
                FieldType::List(inner) if matches!(inner.as_ref(), FieldType::String) => lists.push(fact),
                _ => facts.push(fact),
            }
        }
        (facts, lists)
    }

    /// A link to the page `target`, as a fact's value.
    fn ref_value(&self, from: &OutDir, target: IdIdx, lang: &Lang) -> FactValue {
        let link = self.page_link(from, target, lang);
        FactValue { text: link.title, url: Some(link.url), lang: link.lang }
    }

    /// The values of one field. `text_lang` is the language of the page's own texts when
    /// it is not the reader's (a fallback page).
    fn fact_values(&self, value: &FieldValue, lang: &Lang, text_lang: Option<&str>, out: &mut Vec<FactValue>) {
        // Texts written in the page keep its language; what guidebook writes is the reader's.
        let plain = |text: String| FactValue { text, url: None, lang: text_lang.map(str::to_string) };
        let ours = |text: String| FactValue { text, url: None, lang: None };
        match value {
            FieldValue::Text(s) => out.push(plain(s.clone())),
            FieldValue::Int(n) => out.push(ours(n.to_string())),
            FieldValue::Date(d) => out.push(ours(self.dates.long(*d, lang))),
            FieldValue::Bool(b) => out.push(ours(self.t(lang, if *b { "yes" } else { "no" }, &[]))),
            FieldValue::Url(u) => out.push(FactValue { text: u.clone(), url: Some(u.clone()), lang: None }),
            FieldValue::Enum(e) => out.push(plain(e.replace('_', " "))),
            FieldValue::Terms(terms) => out.extend(terms.iter().map(|t| plain(t.clone()))),
            // Not reached for fields declared as references (see `facts`).
            FieldValue::Ref(r) => out.push(plain(r.id.clone())),
            FieldValue::List(items) => {
                for item in items {
                    self.fact_values(item, lang, text_lang, out);
                }
            }
        }
    }
}

/// The view of a page that has no file: a section or home without `_index`, a facet
/// page. Only its id and title are set.
pub(crate) fn synthetic_view(id: String, title: String) -> PageView {
    PageView {
        id,
        title,
        summary: None,
        kind: DEFAULT_KIND.into(),
        kind_label: String::new(),
        date: None,
        content_lang: None,
        notice: None,
        content: String::new(),
        toc: Vec::new(),
        facts: Vec::new(),
        lists: Vec::new(),
        backlinks: Vec::new(),
        mentions: Vec::new(),
        related: Vec::new(),
        prev: None,
        next: None,
    }
}

/// The page's summary: its `summary` field, else the start of its first paragraph.
pub(crate) fn summary(page: &Page) -> Option<String> {
    page.fm
        .summary
        .clone()
        .or_else(|| (!page.body.first_paragraph.is_empty()).then(|| shorten(&page.body.first_paragraph, 240)))
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

/// The enum values `value` holds (itself, or a list's items), in order.
#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shorten_cuts_at_words() {
        assert_eq!(shorten("one two three", 9), "one two…");
        assert_eq!(shorten("short", 9), "short");
    }
}
