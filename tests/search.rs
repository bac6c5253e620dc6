//! `guidebook search` on a built fixture: what readers find in each language, and what
//! hosts are told when the index is missing or damaged.

mod support;

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;
use support::{assert_no_panic, TestSite};

fn built() -> TestSite {
    let site = TestSite::fixture("knowledge");
    let run = site.run(&["build"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    site
}

fn ids(site: &TestSite, args: &[&str]) -> Vec<String> {
    let mut all = vec!["search", "--json"];
    all.extend_from_slice(args);
    let run = site.run(&all);
    assert_no_panic(&run);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let v: serde_json::Value = serde_json::from_str(&run.stdout).expect("JSON answer");
    v["hits"].as_array().expect("hits").iter().map(|h| h["id"].as_str().unwrap_or_default().to_string()).collect()
}

#[test]
fn each_language_is_searched_with_its_own_analyzer() {
    let site = built();
    // The page on training first, then the pages filed under the theme `formation`.
    assert_eq!(
        ids(&site, &["formations", "--lang", "fr"]),
        ["recommendations/training", "pilots/avignon", "pilots/sarcelles"]
    );
    assert_eq!(ids(&site, &["déradicalisation", "--lang", "fr"])[0], "glossary/deradicalisation");
    assert_eq!(ids(&site, &["trainings", "--lang", "en"])[0], "recommendations/training");
}

#[test]
fn accents_and_typos_are_forgiven() {
    let site = built();
    assert_eq!(ids(&site, &["malaga"])[0], "pilots/malaga");
    assert_eq!(ids(&site, &["deradicalisaton"])[0], "glossary/deradicalisation");
}

#[test]
fn untranslated_pages_are_found_in_every_language() {
    let site = built();
    assert_eq!(ids(&site, &["citizenship", "--lang", "fr"]), ["pilots/sarcelles"]);
}

#[test]
fn kinds_filter_results() {
    let site = built();
    let all = ids(&site, &["training"]);
    assert!(
        all.contains(&"recommendations/training".to_string()) && all.contains(&"pilots/malaga".to_string()),
        "{all:?}"
    );
    // Pilots tagged `training` before the one whose text speaks of it.
    assert_eq!(ids(&site, &["training", "--kind", "pilot"]), ["pilots/avignon", "pilots/sarcelles", "pilots/malaga"]);
}

#[test]
fn the_answer_carries_snippets_headings_and_facets() {
    let site = built();
    let run = site.run(&["search", "--json", "results"]);
    let v: serde_json::Value = serde_json::from_str(&run.stdout).expect("JSON");
    let hit = &v["hits"][0];
    assert_eq!(hit["id"], "pilots/avignon");
    assert_eq!(hit["url"], "pilots/avignon/");
    assert_eq!(hit["heading"]["anchor"], "results");
    let snippet = hit["snippet"]["text"].as_str().unwrap_or_default();
    let [start, end] = [&hit["snippet"]["highlights"][0][0], &hit["snippet"]["highlights"][0][1]]
        .map(|n| n.as_u64().unwrap_or(0) as usize);
    let units: Vec<u16> = snippet.encode_utf16().collect();
    assert_eq!(String::from_utf16_lossy(&units[start..end]).to_lowercase(), "results");
    let facets = v["facets"].as_array().expect("facets");
    assert_eq!(facets[0]["name"], "kind");
    assert!(facets.iter().any(|f| f["name"] == "country" && f["values"][0]["label"] == "France"), "{facets:?}");
}

#[test]
fn the_human_answer_is_readable() {
    let site = built();
    let run = site.run(&["search", "malaga", "--limit", "1"]);
    assert_eq!(run.code, 0);
    let lines: Vec<&str> = run.stdout.lines().collect();
    assert!(lines[0].ends_with(" for \"malaga\" (en)"), "{}", run.stdout);
    assert_eq!(lines[1], " 1. Málaga · Pilot");
    assert_eq!(lines[2], "    en/pilots/malaga/");
}

#[test]
fn hostile_queries_are_empty_answers() {
    let site = built();
    let ten_kb = "a".repeat(10 * 1024);
    let parens = "(".repeat(1000);
    for q in
        ["", "   ", "- *", "!!!", parens.as_str(), ten_kb.as_str(), "\u{1}\u{7}\u{1b}", "Αθήνα Софія 東京 🙂", "\"\"\""]
    {
        assert!(ids(&site, &[q]).is_empty(), "{q:?}");
    }
}

#[test]
fn a_missing_or_damaged_index_says_which_file_and_what_to_do() {
    let site = built();
    // A language the site does not have is a usage error, not a missing index.
    let run = site.run(&["search", "x", "--lang", "de"]);
    assert_eq!(
        (run.code, run.stderr.as_str()),
        (2, "error: --lang `de` is not a language of this site: use `en` or `fr`\n")
    );
    site.remove("public/search/en/index.bin");
    let run = site.run(&["search", "x", "--lang", "en"]);
    assert_eq!(run.code, 2);
    assert!(
        run.stderr.starts_with("error: public/search/en/index.bin: cannot be read (")
            && run.stderr.ends_with("); run `guidebook build` first, or name the built site with --out\n"),
        "{}",
        run.stderr
    );
    site.write("public/search/fr/index.bin", b"garbage");
    let run = site.run(&["search", "x", "--lang", "fr"]);
    assert_no_panic(&run);
    assert_eq!(run.code, 2);
    assert_eq!(
        run.stderr,
        "error: public/search/fr/index.bin: not a valid search index: it does not start like a guidebook index; run `guidebook build` again to rewrite it\n"
    );
}

/// `guidebook search --out DIR` from outside the site, without `--root`, as after
/// `guidebook build --out`: the site is the folder that holds the output.
#[test]
fn search_out_finds_the_site_beside_the_output() {
    let site = built();
    let run = |cwd: &Path, args: &[&str]| {
        let out = std::process::Command::new(env!("CARGO_BIN_EXE_guidebook"))
            .args(args)
            .current_dir(cwd)
            .output()
            .expect("run guidebook");
        (
            out.status.code(),
            String::from_utf8_lossy(&out.stdout).into_owned(),
            String::from_utf8_lossy(&out.stderr).into_owned(),
        )
    };
    let public = site.path("public");
    let public = public.to_str().expect("a path in UTF-8");
    let (code, stdout, stderr) = run(&site.path("content"), &["search", "--out", public, "malaga", "--limit", "1"]);
    assert_eq!(code, Some(0), "{stderr}");
    assert_eq!(stdout, "2 results for \"malaga\" (en)\n 1. Málaga · Pilot\n    en/pilots/malaga/\n");
    // Relative to the current folder, as `build --out` takes it.
    let (code, stdout, _) = run(site.root(), &["search", "--out", "public", "malaga", "--limit", "1", "--lang", "fr"]);
    assert_eq!((code, stdout.lines().next()), (Some(0), Some("2 results for \"malaga\" (fr)")));
    // Neither here nor beside the output: the message says how to name the site.
    let (code, _, stderr) = run(&site.path("content"), &["search", "--out", "pilots", "malaga"]);
    assert_eq!(
        (code, stderr.as_str()),
        (Some(2), "error: --out `pilots` is not inside a site: there is no site.yaml in `.`, which holds it; name the site it was built from with --root DIR\n")
    );
    let (code, _, stderr) = run(&site.path("content"), &["search", "--out", "pilots/x", "malaga"]);
    assert_eq!(
        (code, stderr.as_str()),
        (Some(2), "error: --out `pilots/x` is not inside a site: there is no site.yaml in `pilots`, which holds it, nor in `.`; name the site it was built from with --root DIR\n")
    );
    // With --root, the site named is the one read, whatever --out says.
    let (code, stdout, stderr) =
        run(&site.path("content"), &["search", "--root", "..", "--out", "../public", "malaga", "--limit", "1"]);
    assert_eq!((code, stdout.lines().next()), (Some(0), Some("2 results for \"malaga\" (en)")), "{stderr}");
}

/// The browser's module is a workspace of its own (so that it can swap `regex` for
/// `regex-lite`): every crate it shares with the binary must be at the same version, or the
/// browser could read an index differently from `guidebook search`.
#[test]
fn the_browser_module_and_the_binary_share_crate_versions() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let versions = |lock: &str| -> BTreeMap<String, BTreeSet<String>> {
        let text = std::fs::read_to_string(root.join(lock)).expect("lock file");
        let mut out: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
        let mut name = None;
        for line in text.lines() {
            if let Some(n) = line.strip_prefix("name = ") {
                name = Some(n.trim_matches('"').to_string());
            } else if let (Some(v), Some(n)) = (line.strip_prefix("version = "), name.take()) {
                out.entry(n).or_default().insert(v.trim_matches('"').to_string());
            }
        }
        out
    };
    let binary = versions("Cargo.lock");
    let module = versions("search/wasm/Cargo.lock");
    assert!(module.contains_key("tantivy") && module.contains_key("guidebook-search"));
    for (name, module_versions) in &module {
        // `regex` is the one crate the module replaces on purpose.
        if name == "regex" {
            continue;
        }
        if let Some(binary_versions) = binary.get(name) {
            assert!(
                module_versions.is_subset(binary_versions),
                "{name}: the browser module has {module_versions:?}, the binary {binary_versions:?}; \
                 copy the binary's version into search/wasm/Cargo.lock (`cargo update --precise`)"
            );
        }
    }
}

/// The engine and the indexes are written gzip-compressed, so readers download small files
/// whatever the web server does; a damaged one is reported, not a crash.
#[test]
fn the_engine_and_indexes_are_written_compressed() {
    use std::io::Read;
    let site = built();
    for rel in ["public/search/engine.bin", "public/search/en/index.bin", "public/search/fr/index.bin"] {
        let bytes = std::fs::read(site.path(rel)).expect("written");
        assert!(bytes.starts_with(&[0x1f, 0x8b]), "{rel} is gzip");
        let mut unpacked = Vec::new();
        flate2::read::GzDecoder::new(&bytes[..]).read_to_end(&mut unpacked).expect("unpacks");
        assert!(unpacked.len() > bytes.len());
        let magic: &[u8] = if rel.ends_with("engine.bin") { b"\0asm" } else { b"GBIX1\n" };
        assert!(unpacked.starts_with(magic), "{rel}");
    }
    let index = std::fs::read(site.path("public/search/fr/index.bin")).expect("written");
    site.write("public/search/fr/index.bin", &index[..index.len() / 2]);
    let run = site.run(&["search", "x", "--lang", "fr"]);
    assert_no_panic(&run);
    assert_eq!(run.code, 2);
    assert!(
        run.stderr.starts_with(
            "error: public/search/fr/index.bin: not a valid search index: its compressed data is damaged ("
        ) && run.stderr.ends_with("); run `guidebook build` again to rewrite it\n"),
        "{}",
        run.stderr
    );
}

#[test]
fn facts_boxes_are_searched_in_the_readers_language() {
    let site = built();
    // The French name of the term `exit work`, on a page not translated into French.
    assert_eq!(ids(&site, &["accompagnement", "--lang", "fr"]), ["pilots/malaga"]);
    assert_eq!(ids(&site, &["accompagnement"]), Vec::<String>::new());
    // Its snippet quotes the fact that matched, with its label.
    let run = site.run(&["search", "--json", "accompagnement", "--lang", "fr"]);
    let v: serde_json::Value = serde_json::from_str(&run.stdout).expect("JSON answer");
    assert_eq!(v["hits"][0]["snippet"]["text"], "Thèmes – accompagnement à la sortie");
    assert_eq!(v["hits"][0]["snippet"]["highlights"], serde_json::json!([[9, 23]]));
    // A page by the title of the page its facts box names (Málaga's country is Spain),
    // ranked below the page of that title and above a page whose text mentions it.
    assert_eq!(ids(&site, &["spain"]), ["countries/spain", "pilots/malaga", "pilots/avignon"]);
}

#[test]
fn hidden_fields_are_not_searched() {
    let site = TestSite::fixture("knowledge");
    site.write("content/countries/spain.en.md", "---\ntitle: Spain\niso: Zorbland\n---\n\nMálaga and Catalonia.\n");
    site.write(
        "content/glossary/ftf.en.md",
        "---\ntitle: Foreign terrorist fighter\nacronym: FTF\nexpansion: A fighter from Zorbland\n---\n\nSomeone who travelled to fight.\n",
    );
    let run = site.run(&["build"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    // Spain's `iso` is `hidden: true`; the glossary's `expansion` is shown.
    assert_eq!(ids(&site, &["zorbland"]), ["glossary/ftf"]);
}
