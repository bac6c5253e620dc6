//! Resolve stage: the site's dependency facts, as data. Which page refers to which (by a
//! front-matter field or by a link in its text), and which pages each generated list
//! shows (a section, a taxonomy term, a facet value, a page's backlinks, mentions and
//! related pages). A later stage that rebuilds only what a change touches reads them: when
//! page id `x` changes, the pages that refer to it (their links and facts show its title)
//! and the lists it is in are to be rendered again.
//!
//! Not recorded here because every page depends on them: navigation (every page shows the
//! sections and root pages), the reading order (previous and next), and `site.yaml`.

use super::{IdIdx, PageIdx, Resolved, Site};
use std::collections::BTreeMap;

/// How a page refers to another.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub(crate) enum Via {
    /// Through the front-matter reference field of this name.
    Field(String),
    /// Through a link in its text.
    Body,
}

/// A generated list of pages.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub(crate) enum Listing {
    /// A section's list page, by index in [`Site::sections`].
    Section(usize),
    /// The page of a taxonomy term: the taxonomy's name and the term as front matter
    /// writes it.
    Term {
        /// The taxonomy (`themes`).
        taxonomy: String,
        /// The term (`training`).
        term: String,
    },
    /// The page of one facet value of a section.
    Facet {
        /// The section, by index in [`Site::sections`].
        section: usize,
        /// The facet field (`country`).
        field: String,
        /// The value's key (`france`).
        key: String,
    },
    /// The typed backlinks shown on this page id.
    Backlinks(IdIdx),
    /// The mentions (pages whose text links here) shown on this page id.
    Mentions(IdIdx),
    /// The related pages shown on this page id.
    Related(IdIdx),
}

/// Who refers to and who lists whom, in both directions. References are per page file
/// (each language's file has its own fields and text); lists are per page id (they are
/// built from originals, the same in every language).
#[derive(Debug, Default, PartialEq, Eq)]
pub(crate) struct Dependencies {
    /// Per page file: the page ids it refers to and how, front-matter fields first (in
    /// the kind's order), then body links, in the order written, without repeats.
    pub refers_to: BTreeMap<PageIdx, Vec<(IdIdx, Via)>>,
    /// Per page id: the page files that refer to it and how (the reverse of `refers_to`),
    /// in page file order.
    pub referred_by: BTreeMap<IdIdx, Vec<(PageIdx, Via)>>,
    /// Per list: the page ids it shows.
    pub lists: BTreeMap<Listing, Vec<IdIdx>>,
    /// Per page id: the lists it is shown in (the reverse of `lists`), in list order.
    pub listed_in: BTreeMap<IdIdx, Vec<Listing>>,
}

impl Dependencies {
    /// The dependency facts of `site`.
    pub(crate) fn of(site: &Site) -> Self {
        let mut deps = Dependencies::default();
        for (i, page) in site.pages.iter().enumerate() {
            let from = PageIdx(i as u32);
            let mut out: Vec<(IdIdx, Via)> = Vec::new();
            for (field, refs) in &page.refs {
                out.extend(refs.iter().map(|r| (r.target, Via::Field(field.clone()))));
            }
            out.extend(page.link_targets.iter().filter_map(|t| match t {
                Resolved::Page(to, _) => Some((*to, Via::Body)),
                _ => None,
            }));
            let mut seen = std::collections::BTreeSet::new();
            out.retain(|x| seen.insert(x.clone()));
            for (to, via) in &out {
                deps.referred_by.entry(*to).or_default().push((from, via.clone()));
            }
            if !out.is_empty() {
                deps.refers_to.insert(from, out);
            }
        }
        deps.lists = lists(site);
        for (listing, ids) in &deps.lists {
            for id in ids {
                deps.listed_in.entry(*id).or_default().push(listing.clone());
            }
        }
        deps
    }
}

/// Every generated list of the site with the ids it shows (lists that show nothing left
/// out).
fn lists(site: &Site) -> BTreeMap<Listing, Vec<IdIdx>> {
    let mut lists: BTreeMap<Listing, Vec<IdIdx>> = BTreeMap::new();
    let default = site.config.default_lang();
    for (i, section) in site.sections.iter().enumerate() {
        let ids = section.pages.get(default).cloned().unwrap_or_default();
        let facets = site.config.sections.get(&section.name).map(|s| s.facets.as_slice()).unwrap_or_default();
        for field in facets {
            for &id in &ids {
                for v in site.facet_values(id, field, default) {
                    let listing = Listing::Facet { section: i, field: field.clone(), key: v.key.clone() };
                    let list = lists.entry(listing).or_default();
                    if list.last() != Some(&id) {
                        list.push(id);
                    }
                }
            }
        }
        lists.insert(Listing::Section(i), ids);
    }
    for (taxonomy, terms) in &site.graph.terms {
        for (term, ids) in terms {
            lists.insert(Listing::Term { taxonomy: taxonomy.clone(), term: term.clone() }, ids.clone());
        }
    }
    let graph = &site.graph;
    for (to, links) in &graph.backlinks {
        let mut ids: Vec<IdIdx> = links.iter().map(|b| b.from).collect();
        ids.dedup();
        lists.insert(Listing::Backlinks(*to), ids);
    }
    for (to, ids) in &graph.mentions {
        lists.insert(Listing::Mentions(*to), ids.clone());
    }
    for (to, ids) in &graph.related {
        lists.insert(Listing::Related(*to), ids.clone());
    }
    lists.retain(|_, ids| !ids.is_empty());
    lists
}

#[cfg(test)]
mod tests {
    use super::{Dependencies, Listing, Via};
    use crate::diagnostics::Diagnostics;
    use crate::site::{IdIdx, PageIdx, Site};

    const SITE_YAML: &str = "title: T
languages: [en, fr]
sections:
  countries: { kind: country }
  pilots: { kind: pilot, facets: [country, themes] }
kinds:
  country:
    fields:
      parent: { type: ref, kind: country }
  pilot:
    related: 2
    fields:
      country: { type: ref, kind: country, required: true }
      neighbours: { type: list, of: ref, kind: country }
      themes: { type: taxonomy, taxonomy: themes }
taxonomies:
  themes:
    terms: [training, exit work]
";

    /// A small site: two countries, two pilots (one translated), links between them.
    fn site() -> Site {
        let dir = tempfile::tempdir().expect("temp dir");
        let files = [
            ("site.yaml", SITE_YAML),
            ("content/countries/france.en.md", "---\ntitle: France\n---\nSee [Spain](@/countries/spain).\n"),
            ("content/countries/spain.en.md", "---\ntitle: Spain\nparent: countries/france\n---\n"),
            (
                "content/pilots/lyon.en.md",
                "---\ntitle: Lyon\ncountry: countries/france\nneighbours: [countries/spain, countries/france]\nthemes: [training]\n---\nIn [France](@/countries/france) and [Madrid](@/pilots/madrid).\n",
            ),
            ("content/pilots/lyon.fr.md", "---\ntitle: Lyon\ncountry: countries/spain\n---\n"),
            (
                "content/pilots/madrid.en.md",
                "---\ntitle: Madrid\ncountry: countries/spain\nthemes: [training, exit work]\n---\nNear [France](@/countries/france).\n",
            ),
        ];
        for (rel, text) in files {
            let path = dir.path().join(rel);
            std::fs::create_dir_all(path.parent().expect("parent")).expect("mkdir");
            std::fs::write(path, text).expect("write");
        }
        let mut diags = Diagnostics::new();
        let tools = crate::content::markdown::BodyTools::default();
        let prepared = crate::prepare(
            &crate::BuildOptions::new(dir.path()),
            &mut diags,
            &tools,
            None,
            &crate::timings::Clock::new(false),
        );
        let problems: Vec<String> = diags.sorted().iter().map(|d| d.to_human("")).collect();
        assert!(!diags.has_errors(), "{problems:?}");
        prepared.ok().flatten().map(|p| p.site).expect("a site without errors")
    }

    fn id(site: &Site, name: &str) -> IdIdx {
        site.ids.iter().position(|i| i.id == name).map(|i| IdIdx(i as u32)).expect(name)
    }

    fn file(site: &Site, name: &str, lang: &str) -> PageIdx {
        let lang = site.config.lang(lang).expect("lang");
        site.info(id(site, name)).sources[lang]
    }

    #[test]
    fn references_are_recorded_both_ways_by_field_and_by_link() {
        let site = site();
        let deps = Dependencies::of(&site);
        let (france, spain, madrid) =
            (id(&site, "countries/france"), id(&site, "countries/spain"), id(&site, "pilots/madrid"));
        let lyon_en = file(&site, "pilots/lyon", "en");
        assert_eq!(
            deps.refers_to[&lyon_en],
            [
                (france, Via::Field("country".into())),
                (spain, Via::Field("neighbours".into())),
                (france, Via::Field("neighbours".into())),
                (france, Via::Body),
                (madrid, Via::Body),
            ]
        );
        // The translation wrote `country: countries/spain`, but shows its original's facts.
        let lyon_fr = file(&site, "pilots/lyon", "fr");
        assert_eq!(
            deps.refers_to[&lyon_fr],
            [
                (france, Via::Field("country".into())),
                (spain, Via::Field("neighbours".into())),
                (france, Via::Field("neighbours".into())),
            ]
        );
        assert_eq!(deps.referred_by[&madrid], [(lyon_en, Via::Body)]);
        let to_spain = &deps.referred_by[&spain];
        assert!(to_spain.contains(&(lyon_fr, Via::Field("neighbours".into()))));
        assert!(to_spain.contains(&(file(&site, "countries/france", "en"), Via::Body)));
        assert_eq!(site.page(lyon_en).refs("neighbours").iter().map(|r| r.target).collect::<Vec<_>>(), [spain, france]);
        assert_eq!(site.page(lyon_en).refs("neighbours")[0].pos, crate::diagnostics::Pos::new(4, 14));
        assert!(site.page(lyon_en).refs("themes").is_empty());
    }

    #[test]
    fn lists_are_recorded_both_ways() {
        let site = site();
        let deps = Dependencies::of(&site);
        let (france, spain) = (id(&site, "countries/france"), id(&site, "countries/spain"));
        let (lyon, madrid) = (id(&site, "pilots/lyon"), id(&site, "pilots/madrid"));
        let pilots = site.sections.iter().position(|s| s.name == "pilots").expect("pilots");
        let facet = |field: &str, key: &str| Listing::Facet { section: pilots, field: field.into(), key: key.into() };
        let term = |t: &str| Listing::Term { taxonomy: "themes".into(), term: t.into() };
        assert_eq!(deps.lists[&Listing::Section(pilots)], [lyon, madrid]);
        assert_eq!(deps.lists[&facet("country", "france")], [lyon]);
        assert_eq!(deps.lists[&facet("themes", "training")], [lyon, madrid]);
        assert_eq!(deps.lists[&term("exit work")], [madrid]);
        // By kind, then field (`country` before `neighbours`), as the page shows them.
        assert_eq!(deps.lists[&Listing::Backlinks(spain)], [madrid, lyon]);
        // France mentions Spain, but Spain's facts box links France already (`parent`);
        // Lyon mentions France, but lists it as its country.
        assert!(!deps.lists.contains_key(&Listing::Mentions(spain)));
        assert_eq!(deps.lists[&Listing::Mentions(france)], [madrid]);
        assert_eq!(deps.lists[&Listing::Related(lyon)], [madrid]);
        assert!(deps.listed_in[&madrid].contains(&facet("country", "spain")));
        assert!(!deps.listed_in[&france].contains(&Listing::Backlinks(spain)));
        assert!(deps.listed_in[&spain].contains(&Listing::Backlinks(france)));
    }
}
