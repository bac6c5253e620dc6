//! The front-matter splitter and schema check, with the shipped site's `site.yaml`; each
//! input is also parsed as a whole page (front matter and body).
#![no_main]

use libfuzzer_sys::fuzz_target;
use std::sync::OnceLock;

fn site() -> Option<&'static guidebook::fuzzing::Site> {
    static SITE: OnceLock<Option<guidebook::fuzzing::Site>> = OnceLock::new();
    SITE.get_or_init(|| guidebook::fuzzing::Site::load(&std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")))
        .as_ref()
}

fuzz_target!(|data: &[u8]| {
    let (Some(site), Ok(text)) = (site(), std::str::from_utf8(data)) else { return };
    site.front_matter(text);
    site.page(text);
});
