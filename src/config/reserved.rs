//! Load stage: names in `site.yaml` that would take an address the generated pages use.
//! A section or taxonomy is published at `<lang>/<name>/`, so its name may not be a segment
//! that a page family writes there (`search`, `print`...), which the caller gives.

use super::{Config, CONFIG_FILE};
use crate::diagnostics::Diagnostics;
use crate::yaml::Locator;

/// Reports each section and taxonomy of `config` whose name is one of `reserved`, at its
/// key in `text` (the text of `site.yaml`), with the code `url-clash`.
pub(crate) fn check_reserved(config: &Config, text: &str, reserved: &[&str], diags: &mut Diagnostics) {
    let loc = Locator::new(text.strip_prefix('\u{feff}').unwrap_or(text), 1);
    let sections = config.sections.keys().map(|name| ("sections", "section", name));
    let taxonomies = config.taxonomies.keys().map(|name| ("taxonomies", "taxonomy", name));
    for (key, what, name) in sections.chain(taxonomies) {
        if reserved.contains(&name.as_str()) {
            diags.error(
                CONFIG_FILE,
                loc.key(&[key, name]),
                "url-clash",
                format!(
                    "{what} `{name}` would take `{name}/`, an address reserved in every language: rename the {what}"
                ),
            );
        }
    }
}
