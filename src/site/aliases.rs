//! Resolve stage: aliases. A page's `aliases` are old addresses that redirect to it, in
//! its language. Each must be a path inside the site, and free: not an address the build
//! writes for itself, another page's, nor another alias's.

use super::{out_dir, IdIdx, IdInfo, OutDir, Page};
use crate::config::{Config, Lang};
use crate::diagnostics::Diagnostics;
use std::collections::{BTreeMap, BTreeSet};

/// The addresses the build writes for itself, under a language (`print`, `search`, a
/// section's list and its facet pages, the taxonomies, the feed), which no alias may take:
/// `None` when `segments` is free, else what already lives there.
fn generated_address(config: &Config, segments: &[String]) -> Option<String> {
    let first = segments.first()?.as_str();
    match first {
        "print" | "search" | "atom.xml" | "index.html" => return Some(format!("the `{first}` page")),
        _ => {}
    }
    if config.taxonomies.contains_key(first) {
        return Some(format!("the pages of taxonomy `{first}`"));
    }
    let section = config.sections.get(first)?;
    match segments.get(1) {
        None => Some(format!("the list of section `{first}`")),
        Some(facet) if section.facets.contains(facet) => Some(format!("the `{facet}` pages of section `{first}`")),
        Some(_) => None,
    }
}

/// The alias folders of every page, each with the page and language it redirects to;
/// bad or taken aliases are reported and left out.
pub(super) fn aliases(
    config: &Config,
    pages: &[Page],
    ids: &[IdInfo],
    diags: &mut Diagnostics,
) -> Vec<(OutDir, IdIdx, Lang)> {
    let taken: BTreeSet<OutDir> = pages
        .iter()
        .map(|p| {
            let info = &ids[p.id.0 as usize];
            out_dir(&p.lang, info.section.as_deref(), &info.slug)
        })
        .collect();
    let mut seen: BTreeMap<OutDir, (IdIdx, Lang)> = BTreeMap::new();
    for page in pages {
        for alias in &page.fm.aliases {
            let mut segments: Vec<String> = alias.split('/').filter(|s| !s.is_empty()).map(str::to_string).collect();
            // `/en/pilots/old/`, copied from an old address, names the same place as `pilots/old`.
            if alias.starts_with('/') && !alias.starts_with("//") && segments.first() == Some(&page.lang.to_string()) {
                segments.remove(0);
            }
            let valid = !segments.is_empty()
                && segments.iter().all(|s| s != "." && s != ".." && !s.contains(['\\', ':', '?', '#']));
            let pos = page.fm.positions.get("aliases").copied().unwrap_or_default();
            if !valid || alias.starts_with("//") {
                diags.error(
                    &page.file,
                    pos,
                    "bad-alias",
                    format!(
                        "alias `{alias}` is not a path inside the site: write the old address below the language folder, like `pilots/old-name`"
                    ),
                );
                continue;
            }
            if let Some(what) = generated_address(config, &segments) {
                diags.error(
                    &page.file,
                    pos,
                    "url-clash",
                    format!("alias `{alias}` is the address of {what}, which the build writes: choose another old address or remove it"),
                );
                continue;
            }
            let mut out = vec![page.lang.to_string()];
            out.extend(segments);
            if taken.contains(&out) || seen.contains_key(&out) {
                diags.error(
                    &page.file,
                    pos,
                    "url-clash",
                    format!("alias `{alias}` is already the address of another page"),
                );
                continue;
            }
            seen.insert(out, (page.id, page.lang.clone()));
        }
    }
    seen.into_iter().map(|(out, (id, lang))| (out, id, lang)).collect()
}
