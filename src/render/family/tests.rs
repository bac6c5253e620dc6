//! Every file a family writes inside a language's folder is a page, section or taxonomy
//! output, or below a segment that family declares in [`Family::RESERVED`]: a family
//! that writes somewhere new without declaring it fails here, before a page can take
//! its address.

use super::FAMILIES;
use crate::content::markdown::BodyTools;
use crate::diagnostics::Diagnostics;
use crate::render::glossary::GlossaryIndex;
use crate::render::theme::Theme;
use crate::render::view::View;
use crate::render::RenderOptions;
use crate::site::{IdIdx, Site};
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// The site at `root`, resolved, with its theme, as a build prepares it; `None` when it
/// has errors.
fn resolved(root: &Path) -> Option<(Site, Theme, Arc<crate::lang::I18n>)> {
    let mut diags = Diagnostics::new();
    let opts = crate::BuildOptions::new(root);
    let prepared =
        crate::prepare(&opts, &mut diags, &BodyTools::default(), None, &crate::timings::Clock::new(false)).ok()??;
    (!diags.has_errors()).then_some((prepared.site, prepared.theme, prepared.i18n))
}

/// The second segment of every page's and section's folder, and every taxonomy's name.
fn content_segments(site: &Site) -> BTreeSet<String> {
    let mut taken: BTreeSet<String> = site.config.taxonomies.keys().cloned().collect();
    taken.extend(site.sections.iter().map(|s| s.name.clone()));
    for lang in &site.config.languages {
        for i in 0..site.ids.len() {
            taken.extend(site.out(IdIdx(i as u32), lang).get(1).cloned());
        }
    }
    taken
}

/// The files each family writes for the site at `root`, checked; `false` when the site
/// does not build.
fn check_site(root: &Path) -> bool {
    let Some((site, theme, i18n)) = resolved(root) else { return false };
    let dates = crate::lang::DateFormats::new(&site.config.lang_locales(), site.dates());
    let opts = RenderOptions::default();
    let glossary = GlossaryIndex::new(&site);
    let print_plan = super::print::plan::PrintPlan::new(&site);
    let view = View {
        site: &site,
        theme: &theme,
        i18n: &i18n,
        dates: &dates,
        opts: &opts,
        print: false,
        print_at: Default::default(),
        print_plan: &print_plan,
        glossary: &glossary,
        site_root: None,
    };
    let taken = content_segments(&site);
    let langs: BTreeSet<String> = site.config.languages.iter().map(|l| l.to_string()).collect();
    // Aliases are the editor's earlier addresses, checked by the resolve stage.
    for family in FAMILIES.iter().filter(|f| f.name != "aliases") {
        for job in (family.jobs)(&view, None) {
            let Ok(file) = job(&view) else { continue };
            let segments: Vec<&str> = file.path.split('/').collect();
            let [lang, segment, ..] = segments.as_slice() else { continue };
            if !langs.contains(*lang) || taken.contains(*segment) {
                continue;
            }
            assert!(
                family.reserved.contains(segment),
                "{}: family `{}` writes `{}`, below `{segment}`, which it does not declare in RESERVED",
                root.display(),
                family.name,
                file.path
            );
        }
    }
    true
}

#[test]
fn every_file_in_a_language_folder_is_content_or_reserved_by_its_family() {
    let manifest = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let fixtures = manifest.join("tests").join("fixtures");
    let mut roots = vec![manifest.clone()];
    roots.extend(["knowledge", "multilingual", "valid", "links", "publish"].map(|s| fixtures.join(s)));
    let built = roots.iter().filter(|root| check_site(root)).count();
    assert!(built >= 4, "only {built} of the sites built");
}

#[test]
fn reserved_segments_are_declared_once() {
    let all = crate::render::reserved_segments();
    let unique: BTreeSet<&str> = all.iter().copied().collect();
    assert_eq!(unique.len(), all.len(), "a segment is declared twice: {all:?}");
    assert!(all.contains(&"search") && all.contains(&"print"), "{all:?}");
}
