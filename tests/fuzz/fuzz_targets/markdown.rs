//! Markdown to HTML as a page body is rendered: links checked and rewritten, raw HTML
//! handled, code highlighted, charts drawn.
#![no_main]

use libfuzzer_sys::fuzz_target;
use std::sync::OnceLock;

fn site() -> Option<&'static guidebook::fuzzing::Site> {
    static SITE: OnceLock<Option<guidebook::fuzzing::Site>> = OnceLock::new();
    SITE.get_or_init(|| guidebook::fuzzing::Site::load(&std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")))
        .as_ref()
}

fuzz_target!(|data: &[u8]| {
    let (Some(site), Ok(body)) = (site(), std::str::from_utf8(data)) else { return };
    site.markdown(body);
});
