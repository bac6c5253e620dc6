//! What a reader's browser downloads for queries on a built site's index: the entry file,
//! then each query's pages (as written, gzip-compressed), round by round.
//!
//! Usage: `cargo run --release --example transfer -- SITE_OUT LANG QUERY...`

use guidebook_search::{Answer, Engine, Request};
use std::io::Read as _;
use std::path::Path;

fn unpack(bytes: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    match flate2::read::GzDecoder::new(bytes).read_to_end(&mut out) {
        Ok(_) => out,
        Err(_) => bytes.to_vec(),
    }
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [out, lang, queries @ ..] = args.as_slice() else {
        return Err("usage: transfer SITE_OUT LANG QUERY...".into());
    };
    let folder = Path::new(out).join("search").join(lang);
    let entry = std::fs::read(folder.join("index.bin"))?;
    let engine = Engine::open(&unpack(&entry))?;
    let pages = folder.join(engine.folder());
    println!("entry: {} bytes; pages in the index: {}", entry.len(), engine.page_count());
    for q in queries {
        let req = Request { q: q.clone(), limit: 10, ..Request::default() };
        let (mut bytes, mut rounds, mut fetched) = (0, 0, 0);
        loop {
            match engine.answer(&req) {
                Answer::Ready(r) => {
                    println!("{q:?}: {} results, {rounds} rounds, {fetched} pages, {bytes} bytes", r.total);
                    break;
                }
                Answer::Needs(numbers) => {
                    rounds += 1;
                    if std::env::var("TRANSFER_DEBUG").is_ok() {
                        eprintln!("  round {rounds}: {numbers:?}");
                    }
                    for n in numbers {
                        let file = std::fs::read(pages.join(format!("{n}.bin")))?;
                        bytes += file.len();
                        fetched += 1;
                        engine.add_page(n, unpack(&file));
                    }
                }
            }
        }
    }
    Ok(())
}
