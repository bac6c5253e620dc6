//! What the targets share: the shipped site (its `site.yaml` and interface strings),
//! loaded once per fuzzing process.

use std::sync::OnceLock;

/// The repository's own site, or `None` if it does not load.
pub fn site() -> Option<&'static guidebook::fuzzing::Site> {
    static SITE: OnceLock<Option<guidebook::fuzzing::Site>> = OnceLock::new();
    SITE.get_or_init(|| guidebook::fuzzing::Site::load(&std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")))
        .as_ref()
}
