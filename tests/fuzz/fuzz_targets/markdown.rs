//! Markdown to HTML as a page body is rendered: links checked and rewritten, raw HTML
//! handled, code highlighted, charts drawn.
#![no_main]

mod common;

use common::site;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let (Some(site), Ok(body)) = (site(), std::str::from_utf8(data)) else { return };
    site.markdown(body);
});
