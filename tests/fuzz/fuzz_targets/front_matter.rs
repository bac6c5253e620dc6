//! The front-matter splitter and schema check, with the shipped site's `site.yaml`; each
//! input is also parsed as a whole page (front matter and body).
#![no_main]

mod common;

use common::site;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let (Some(site), Ok(text)) = (site(), std::str::from_utf8(data)) else { return };
    site.front_matter(text);
    site.page(text);
});
