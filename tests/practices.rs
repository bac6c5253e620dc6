//! The practice database of the shipped guidebook (INTEGRA's good practices, policies and
//! tools) and what it joins: typed links both ways, search, facet pages without
//! JavaScript, open data, translations, and what readers see of the schema.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;

const LANGS: [&str; 6] = ["en", "fr", "de", "es", "el", "bg"];

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// The shipped guidebook, built once for every test of this file.
fn built() -> &'static Path {
    static OUT: OnceLock<tempfile::TempDir> = OnceLock::new();
    OUT.get_or_init(|| {
        let dir = tempfile::tempdir().expect("temp dir");
        let run = Command::new(env!("CARGO_BIN_EXE_guidebook"))
            .args(["build", "--out"])
            .arg(dir.path())
            .current_dir(root())
            .output()
            .expect("run guidebook");
        assert_eq!(run.status.code(), Some(0), "{}", String::from_utf8_lossy(&run.stderr));
        dir
    })
    .path()
}

fn read(rel: &str) -> String {
    std::fs::read_to_string(built().join(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"))
}

/// The front matter of a content file, as YAML.
fn front_matter(path: &Path) -> serde_yaml::Value {
    let text = std::fs::read_to_string(path).expect("read page");
    let yaml =
        text.strip_prefix("---\n").and_then(|t| t.split_once("\n---\n")).map(|(fm, _)| fm).expect("front matter");
    serde_yaml::from_str(yaml).expect("valid front matter")
}

/// The slugs of the English practice pages, sorted.
fn practices() -> Vec<String> {
    let dir = root().join("content/practices");
    let mut slugs: Vec<String> = std::fs::read_dir(&dir)
        .expect("read practices")
        .filter_map(|e| e.ok()?.file_name().to_str()?.strip_suffix(".en.md").map(str::to_string))
        .filter(|s| s != "_index")
        .collect();
    slugs.sort();
    slugs
}

fn refs(fm: &serde_yaml::Value, field: &str) -> Vec<String> {
    match &fm[field] {
        serde_yaml::Value::String(s) => vec![s.clone()],
        serde_yaml::Value::Sequence(items) => items.iter().filter_map(|i| i.as_str().map(str::to_string)).collect(),
        _ => Vec::new(),
    }
}

/// The section of `html` from `start` to the next `end`, or "" when `start` is absent.
fn between<'a>(html: &'a str, start: &str, end: &str) -> &'a str {
    let Some(from) = html.find(start) else { return "" };
    let rest = &html[from..];
    &rest[..rest.find(end).map_or(rest.len(), |i| i + end.len())]
}

#[test]
fn every_practice_links_its_country_and_recommendations_and_is_listed_back() {
    let slugs = practices();
    assert!(slugs.len() >= 12, "{} practice pages", slugs.len());
    for slug in &slugs {
        let fm = front_matter(&root().join(format!("content/practices/{slug}.en.md")));
        let country = refs(&fm, "country");
        let recommendations = refs(&fm, "recommendations");
        assert!(country.len() == 1 && country[0].starts_with("countries/"), "{slug}: country {country:?}");
        assert!(!recommendations.is_empty(), "{slug}: no recommendation");
        let link = format!("href=\"../../practices/{slug}/\"");
        let country_page = read(&format!("en/{}/index.html", country[0]));
        assert!(
            between(&country_page, "<h2>Practices in this country</h2>", "</section>").contains(&link),
            "{slug} is not listed on {}",
            country[0]
        );
        for r in &recommendations {
            let page = read(&format!("en/{r}/index.html"));
            assert!(
                between(&page, "<h2>Practices that illustrate this recommendation</h2>", "</section>").contains(&link),
                "{slug} is not listed on {r}"
            );
        }
    }
}

/// The ids and languages of the first hits of `query` in `lang`.
fn search(query: &str, lang: &str) -> Vec<(String, String)> {
    let run = Command::new(env!("CARGO_BIN_EXE_guidebook"))
        .args(["search", "--json", "--limit", "3", "--lang", lang, "--out"])
        .arg(built())
        .arg(query)
        .current_dir(root())
        .output()
        .expect("run guidebook search");
    assert_eq!(run.status.code(), Some(0), "{}", String::from_utf8_lossy(&run.stderr));
    let answer: serde_json::Value = serde_json::from_slice(&run.stdout).expect("JSON");
    let hits = answer["hits"].as_array().cloned().unwrap_or_default();
    hits.iter().map(|h| (h["id"].as_str().unwrap_or("").into(), h["lang"].as_str().unwrap_or("").into())).collect()
}

#[test]
fn search_finds_a_practice_by_what_it_does_and_by_its_name_in_english_and_french() {
    for (query, id) in [("mentoring", "practices/back-on-track"), ("PAIRS", "practices/pairs")] {
        for lang in ["en", "fr"] {
            let hits = search(query, lang);
            assert_eq!(hits.first(), Some(&(id.to_string(), lang.to_string())), "{query:?} in {lang}: {hits:?}");
        }
    }
    // Written in lower case, the programme's name still comes first.
    assert_eq!(search("pairs", "en").first().map(|h| h.0.as_str()), Some("practices/pairs"));
}

#[test]
fn the_practices_can_be_browsed_by_type_country_and_level_without_javascript() {
    for lang in LANGS {
        for (facet, value) in [("type", "practice"), ("type", "tool"), ("country", "denmark"), ("level", "national")] {
            let page = read(&format!("{lang}/practices/{facet}/{value}/index.html"));
            assert!(page.contains("<li class=\"card\""), "{lang}/practices/{facet}/{value}: no cards");
            assert!(!page.contains("<noscript"), "{lang}/practices/{facet}/{value}");
        }
    }
    let tools = read("fr/practices/type/tool/index.html");
    assert!(tools.contains("href=\"../../healthy-identity-intervention/\""), "{tools}");
    assert!(read("fr/practices/index.html").contains("<h2>Type</h2>"));
}

#[test]
fn the_practices_are_open_data_in_every_language() {
    let slugs = practices();
    for lang in LANGS {
        let json: serde_json::Value =
            serde_json::from_str(&read(&format!("{lang}/practices/practices.json"))).expect("JSON parses");
        let pages = json["pages"].as_array().expect("pages");
        let mut ids: Vec<&str> = pages.iter().filter_map(|p| p["id"].as_str()).collect();
        ids.sort();
        let expected: Vec<String> = slugs.iter().map(|s| format!("practices/{s}")).collect();
        assert_eq!(ids, expected, "{lang}: every practice");
        let declared: Vec<&str> =
            json["fields"].as_array().expect("fields").iter().filter_map(|f| f["name"].as_str()).collect();
        assert_eq!(
            declared,
            [
                "type",
                "country",
                "level",
                "challenges",
                "themes",
                "target_groups",
                "phase",
                "operators",
                "partners",
                "recommendations",
                "pilots",
                "started",
                "sources"
            ]
        );
        for page in pages {
            let fields = page["fields"].as_object().expect("fields");
            assert_eq!(fields.len(), declared.len(), "{lang}: {}", page["id"]);
            assert!(page["url"].as_str().is_some_and(|u| u.ends_with('/')), "{}", page["url"]);
            let country = &fields["country"];
            assert!(country["id"].as_str().is_some_and(|c| c.starts_with("countries/")), "{country}");
            assert!(country["url"].as_str().is_some_and(|u| u.starts_with("../countries/")), "{country}");
        }

        let text = read(&format!("{lang}/practices/practices.csv"));
        let mut reader = csv::Reader::from_reader(text.trim_start_matches('\u{feff}').as_bytes());
        let header = reader.headers().expect("header").clone();
        let rows: Vec<csv::StringRecord> = reader.records().collect::<Result<_, _>>().expect("rows");
        assert_eq!(rows.len(), pages.len(), "{lang}: the CSV has the JSON's rows");
        let column = |name: &str| header.iter().position(|h| h == name).expect(name);
        for (row, page) in rows.iter().zip(pages) {
            assert_eq!(&row[column("id")], page["id"].as_str().unwrap_or(""));
            assert_eq!(&row[column("country")], page["fields"]["country"]["id"].as_str().unwrap_or(""));
            assert_eq!(&row[column("title")], page["title"].as_str().unwrap_or(""));
        }
    }
    // Terms by their names in the file's language.
    let fr: serde_json::Value = serde_json::from_str(&read("fr/practices/practices.json")).expect("JSON");
    let pairs = fr["pages"].as_array().and_then(|p| p.iter().find(|p| p["id"] == "practices/pairs")).expect("PAIRS");
    assert_eq!(pairs["fields"]["type"], serde_json::json!(["pratique"]));
    assert_eq!(pairs["language"], "fr");
    // The section page links both files.
    assert!(read("en/practices/index.html")
        .contains("<a href=\"practices.json\" type=\"application/json\">JSON</a> · <a href=\"practices.csv\" type=\"text/csv\">CSV</a>"));
}

/// `guidebook check --translations --format json`: (lang, id, status) for every page.
fn translation_status() -> Vec<(String, String, String)> {
    let out = Command::new(env!("CARGO_BIN_EXE_guidebook"))
        .args(["check", "--translations", "--format", "json"])
        .current_dir(root())
        .output()
        .expect("run guidebook");
    assert_eq!(out.status.code(), Some(0));
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .filter_map(|l| serde_json::from_str::<serde_json::Value>(l).ok())
        .filter(|e| e["status"].is_string())
        .map(|e| {
            let s = |k: &str| e[k].as_str().unwrap_or_default().to_string();
            (s("lang"), s("id"), s("status"))
        })
        .collect()
}

#[test]
fn translations_cover_what_each_language_needs_and_none_is_stale() {
    let status = translation_status();
    assert!(!status.is_empty());
    assert!(
        status.iter().all(|(_, _, s)| s != "stale"),
        "stale: {:?}",
        status.iter().filter(|e| e.2 == "stale").collect::<Vec<_>>()
    );
    assert!(status.iter().filter(|e| e.0 == "fr").all(|e| e.2 == "translated"), "French is complete");
    let translated = |lang: &str, id: &str| status.iter().any(|e| e.0 == lang && e.1 == id && e.2 == "translated");
    let sections = ["countries", "pilots", "recommendations", "practices", "organisations", "glossary"];
    let all_of = |dir: &str| -> Vec<String> {
        std::fs::read_dir(root().join("content").join(dir))
            .expect("read")
            .filter_map(|e| e.ok()?.file_name().to_str()?.strip_suffix(".en.md").map(|s| format!("{dir}/{s}")))
            .filter(|id| !id.ends_with("/_index"))
            .collect()
    };
    for lang in ["de", "es"] {
        let mut ids: Vec<String> = sections.iter().map(|s| format!("{s}/_index")).collect();
        ids.extend(all_of("recommendations"));
        ids.extend(all_of("practices"));
        ids.extend(["where-to-start", "prepare", "integra"].map(String::from));
        for id in ids {
            assert!(translated(lang, &id), "{lang}: {id} is not translated");
        }
    }
    for lang in ["el", "bg"] {
        let mut ids: Vec<String> = sections.iter().map(|s| format!("{s}/_index")).collect();
        ids.extend(all_of("recommendations").into_iter().filter(|id| id.starts_with("recommendations/integra-")));
        ids.push("where-to-start".into());
        let country = if lang == "el" { "countries/greece" } else { "countries/bulgaria" };
        for slug in practices() {
            let fm = front_matter(&root().join(format!("content/practices/{slug}.en.md")));
            if refs(&fm, "country") == [country] {
                ids.push(format!("practices/{slug}"));
            }
        }
        for id in ids {
            assert!(translated(lang, &id), "{lang}: {id} is not translated");
        }
    }
}

#[test]
fn the_home_page_and_the_menu_lead_to_every_section() {
    let sections = ["countries", "pilots", "recommendations", "practices", "organisations", "glossary"];
    for lang in LANGS {
        let home = read(&format!("{lang}/index.html"));
        let main = between(&home, "<main", "</main>");
        for s in sections {
            assert!(main.contains(&format!("href=\"{s}/\"")), "{lang} home page: no link to the {s} section");
        }
        assert!(main.contains("href=\"where-to-start/\""), "{lang} home page: Where to start");
        let section = read(&format!("{lang}/practices/index.html"));
        let nav = between(&section, "<nav class=\"site-nav\"", "</nav>");
        for s in sections {
            // The section being read is linked as itself.
            let href = if s == "practices" { "href=\"./\"".to_string() } else { format!("href=\"../{s}/\"") };
            assert!(nav.contains(&href), "{lang} menu: no link to the {s} section");
        }
    }
}

/// Every `.html` file of the built site.
fn html_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).expect("read dir").flatten() {
        let path = entry.path();
        if path.is_dir() {
            html_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "html") {
            out.push(path);
        }
    }
}

#[test]
fn readers_see_neither_hidden_fields_nor_invented_numbers() {
    // The labels of the fields site.yaml hides, in every language.
    let config: serde_yaml::Value =
        serde_yaml::from_str(&std::fs::read_to_string(root().join("site.yaml")).expect("site.yaml")).expect("YAML");
    let mut hidden = Vec::new();
    for (_, kind) in config["kinds"].as_mapping().expect("kinds") {
        for (_, field) in kind["fields"].as_mapping().into_iter().flatten() {
            if field["hidden"].as_bool() == Some(true) {
                for (_, label) in field["label"].as_mapping().expect("label") {
                    hidden.push(format!("<dt>{}</dt>", label.as_str().unwrap_or_default()));
                }
            }
        }
    }
    assert!(hidden.contains(&"<dt>ISO code</dt>".to_string()), "{hidden:?}");
    let mut files = Vec::new();
    html_files(built(), &mut files);
    for file in &files {
        let html = std::fs::read_to_string(file).expect("read");
        for label in &hidden {
            assert!(!html.contains(label.as_str()), "{}: {label}", file.display());
        }
    }
    // INTEGRA's recommendations show their challenge and level, not a sort key.
    for entry in std::fs::read_dir(built().join("en/recommendations")).expect("read").flatten() {
        let name = entry.file_name().to_string_lossy().to_string();
        if !name.starts_with("integra-") {
            continue;
        }
        let html = read(&format!("en/recommendations/{name}/index.html"));
        let facts = between(&html, "<dl class=\"facts\"", "</dl>");
        assert!(facts.contains("<dt>Level</dt>"), "{name}: {facts}");
        assert!(!facts.contains("<dt>Chapter number</dt>"), "{name}: {facts}");
        assert!(!(101..=113).any(|n| facts.contains(&format!(">{n}<"))), "{name}: {facts}");
    }
    // Terms are shown as site.yaml writes them, capitals included.
    assert!(read("en/recommendations/integra-european-network/index.html").contains(">European</a>"));
}
