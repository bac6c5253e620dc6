//! Render stage, feed family: one Atom feed per language (`<lang>/atom.xml`) listing the
//! pages of the kinds marked `feed: true`, newest first, when some kind is; and
//! `sitemap.xml` with hreflang alternates, when `base_url` is set (a sitemap lists
//! absolute addresses).

use super::{Family, Reads};
use crate::config::Lang;
use crate::content::markdown::escape_attr;
use crate::href;
use crate::render::view::page::summary;
use crate::render::view::View;
use crate::render::{OutputFile, Problem, GENERATOR};
use crate::site::{IdIdx, OutDir, Status};

/// The file name of a language's feed, in its folder.
pub(crate) const FEED_FILE: &str = "atom.xml";

/// The file name of the sitemap, at the output root.
const SITEMAP_FILE: &str = "sitemap.xml";

/// One file of the feed family.
pub(crate) enum FeedJob {
    /// `sitemap.xml`.
    Sitemap,
    /// A language's Atom feed.
    Feed(Lang),
}

/// Atom feeds and the sitemap.
pub(crate) struct Feeds;

impl Family for Feeds {
    const NAME: &'static str = "feeds";
    const RESERVED: &'static [&'static str] = &[FEED_FILE];
    type Job = FeedJob;

    fn jobs(view: &View<'_>) -> Vec<FeedJob> {
        let config = &view.site.config;
        let mut jobs = Vec::new();
        if config.base_url.is_some() {
            jobs.push(FeedJob::Sitemap);
        }
        if config.kinds.values().any(|k| k.feed) {
            jobs.extend(config.languages.iter().map(|l| FeedJob::Feed(l.clone())));
        }
        jobs
    }

    fn render(view: &View<'_>, job: &FeedJob) -> Result<OutputFile, Problem> {
        Ok(match job {
            FeedJob::Sitemap => view.sitemap(),
            FeedJob::Feed(lang) => view.feed(lang),
        })
    }

    /// Titles, summaries, dates and addresses: no text.
    fn lang(_view: &View<'_>, job: &FeedJob) -> Option<Lang> {
        match job {
            FeedJob::Feed(lang) => Some(lang.clone()),
            FeedJob::Sitemap => None,
        }
    }

    fn reads(_view: &View<'_>, _job: &FeedJob) -> Reads {
        Reads::Nothing
    }
}

impl View<'_> {
    /// `sitemap.xml`: every page once per language it is written in, with its alternates.
    /// Needs `base_url`: a sitemap lists absolute addresses.
    fn sitemap(&self) -> OutputFile {
        let site = self.site;
        let langs = &site.config.languages;
        let mut xml = String::from(
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\" xmlns:xhtml=\"http://www.w3.org/1999/xhtml\">\n",
        );
        let all: Vec<&Lang> = langs.iter().collect();
        let default = site.config.default_lang();
        let mut places: Vec<(OutDir, Vec<&Lang>, &Lang)> = vec![(Vec::new(), all.clone(), default)];
        places.extend(site.sections.iter().map(|s| (vec![s.name.clone()], all.clone(), default)));
        for (i, info) in site.ids.iter().enumerate() {
            if info.is_index() {
                continue;
            }
            let out = site.out(IdIdx(i as u32), default);
            places.push((out[1..].to_vec(), site.translations(IdIdx(i as u32)), &info.original));
        }
        for (rest, available, original) in places {
            let at = |l: &Lang| {
                let mut out = vec![l.to_string()];
                out.extend(rest.iter().cloned());
                escape_attr(&self.address(&[], &out))
            };
            for lang in &available {
                xml.push_str(&format!("  <url>\n    <loc>{}</loc>\n", at(lang)));
                if available.len() > 1 {
                    for alt in &available {
                        xml.push_str(&format!(
                            "    <xhtml:link rel=\"alternate\" hreflang=\"{alt}\" href=\"{}\"/>\n",
                            at(alt)
                        ));
                    }
                    xml.push_str(&format!(
                        "    <xhtml:link rel=\"alternate\" hreflang=\"x-default\" href=\"{}\"/>\n",
                        at(original)
                    ));
                }
                xml.push_str("  </url>\n");
            }
        }
        xml.push_str("</urlset>\n");
        OutputFile { path: SITEMAP_FILE.into(), bytes: xml.into_bytes() }
    }

    /// `<lang>/atom.xml`: pages of the kinds marked `feed: true`, newest first.
    fn feed(&self, lang: &Lang) -> OutputFile {
        let site = self.site;
        let here: OutDir = vec![lang.to_string()];
        let mut entries: Vec<IdIdx> = (0..site.ids.len() as u32)
            .map(IdIdx)
            .filter(|&id| {
                !site.info(id).is_index()
                    && site.config.kind(site.shown_page(id, lang).kind).feed
            })
            .collect();
        let key = |id: &IdIdx| {
            let p = site.shown_page(*id, lang);
            (std::cmp::Reverse(p.fm.date), p.fm.weight, crate::lang::sort_key(&p.fm.title))
        };
        entries.sort_by_cached_key(key);
        let newest = entries.iter().filter_map(|&id| site.shown_page(id, lang).fm.date).max();
        let stamp = |d: chrono::NaiveDate| format!("{}T00:00:00Z", d.format("%Y-%m-%d"));
        let updated = newest.or(self.opts.build_date).map_or_else(|| "1970-01-01T00:00:00Z".to_string(), stamp);
        let base = site.config.base_url.clone();
        // `path` is already percent-encoded.
        let id_of = |path: &str| match &base {
            Some(b) => format!("{b}{}/{path}", href::segment(lang.as_str())),
            None => format!("urn:guidebook:{}:{path}", href::segment(lang.as_str())),
        };
        let title = self.t(lang, "feed_title", &[("site", &site.config.title_in(lang))]);
        let mut xml = format!(
            "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<feed xmlns=\"http://www.w3.org/2005/Atom\" xml:lang=\"{lang}\">\n  <title>{}</title>\n  <id>{}</id>\n  <link rel=\"self\" type=\"application/atom+xml\" href=\"{}\"/>\n  <link rel=\"alternate\" type=\"text/html\" href=\"{}\"/>\n  <updated>{updated}</updated>\n  <generator>{GENERATOR}</generator>\n",
            escape_attr(&title),
            escape_attr(&id_of(FEED_FILE)),
            escape_attr(&base.as_ref().map_or_else(
                || FEED_FILE.to_string(),
                |b| format!("{b}{}/{FEED_FILE}", href::segment(lang.as_str()))
            )),
            escape_attr(&self.address(&here, &here)),
        );
        for id in entries {
            let shown = site.shown(id, lang);
            let page = site.page(shown.source);
            let out = site.out(id, lang);
            let href = self.address(&here, &out);
            let hreflang =
                if shown.status == Status::Fallback { format!(" hreflang=\"{}\"", page.lang) } else { String::new() };
            let entry_updated = page.fm.date.map_or_else(|| updated.clone(), stamp);
            xml.push_str(&format!(
                "  <entry>\n    <title>{}</title>\n    <link rel=\"alternate\" type=\"text/html\" href=\"{}\"{hreflang}/>\n    <id>{}</id>\n    <updated>{entry_updated}</updated>\n",
                escape_attr(&page.fm.title),
                escape_attr(&href),
                escape_attr(&id_of(&format!("{}/", href::path(&site.info(id).id)))),
            ));
            if let Some(summary) = summary(page) {
                xml.push_str(&format!("    <summary>{}</summary>\n", escape_attr(&summary)));
            }
            xml.push_str("  </entry>\n");
        }
        xml.push_str("</feed>\n");
        OutputFile { path: format!("{lang}/{FEED_FILE}"), bytes: xml.into_bytes() }
    }
}
