//! The guidebook that ships in this repository builds with no diagnostics at all.

use std::process::Command;

#[test]
fn the_shipped_guidebook_checks_clean() {
    let out = Command::new(env!("CARGO_BIN_EXE_guidebook"))
        .args(["check"])
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .expect("run guidebook");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{stderr}");
    assert!(
        stderr.starts_with("checked ") && stderr.lines().count() == 1,
        "diagnostics on the shipped guidebook:\n{stderr}"
    );
}

#[test]
fn the_shipped_guidebook_builds_every_section() {
    let dir = tempfile::tempdir().expect("temp dir");
    let out = dir.path().join("site");
    let status = Command::new(env!("CARGO_BIN_EXE_guidebook"))
        .args(["build", "--out"])
        .arg(&out)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .expect("run guidebook");
    assert_eq!(status.status.code(), Some(0), "{}", String::from_utf8_lossy(&status.stderr));
    for page in [
        "index.html",
        "en/index.html",
        "en/pilots/avignon/index.html",
        "en/pilots/catalonia/index.html",
        "en/pilots/malaga/index.html",
        "en/countries/france/index.html",
        "en/countries/spain/index.html",
        "en/recommendations/training/index.html",
        "en/organisations/efus/index.html",
    ] {
        assert!(out.join(page).is_file(), "{page} missing");
    }
    let avignon = std::fs::read_to_string(out.join("en/pilots/avignon/index.html")).expect("read");
    assert!(avignon.contains("<dt>Country</dt><dd><a href=\"../../countries/france/\">France</a></dd>"));
}

#[test]
fn the_shipped_guidebook_is_complete_in_french_and_falls_back_elsewhere() {
    let out = Command::new(env!("CARGO_BIN_EXE_guidebook"))
        .args(["check", "--translations", "--format", "json"])
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .expect("run guidebook");
    assert_eq!(out.status.code(), Some(0));
    let stdout = String::from_utf8_lossy(&out.stdout);
    let entries: Vec<serde_json::Value> = stdout.lines().filter_map(|l| serde_json::from_str(l).ok()).collect();
    let status_of = |lang: &str| -> Vec<String> {
        entries
            .iter()
            .filter(|e| e["lang"] == lang)
            .map(|e| e["status"].as_str().unwrap_or_default().to_string())
            .collect()
    };
    let langs: Vec<&str> = ["en", "fr", "de", "es", "el", "bg"].to_vec();
    for lang in &langs {
        assert!(!status_of(lang).is_empty(), "{lang} is declared");
    }
    assert!(status_of("en").iter().all(|s| s == "original"));
    assert!(
        status_of("fr").iter().all(|s| s == "translated"),
        "French is complete and up to date: {:?}",
        status_of("fr")
    );
    assert!(status_of("de").iter().any(|s| s == "missing"), "German shows fallbacks");
}

/// The shipped guidebook, built once into a temporary folder.
fn build_shipped() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temp dir");
    let out = Command::new(env!("CARGO_BIN_EXE_guidebook"))
        .args(["build", "--out"])
        .arg(dir.path())
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .expect("run guidebook");
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    dir
}

/// The front matter of a shipped page file.
fn front_matter(rel: &str) -> serde_yaml::Value {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(rel);
    let text = std::fs::read_to_string(&path).expect("read page");
    let yaml =
        text.strip_prefix("---\n").and_then(|t| t.split_once("\n---\n")).map(|(fm, _)| fm).expect("front matter");
    serde_yaml::from_str(yaml).expect("valid front matter")
}

/// The ids of the English pages of `section`, and their French translations.
fn section_pages(section: &str) -> Vec<String> {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("content").join(section);
    let mut ids: Vec<String> = std::fs::read_dir(&dir)
        .expect("read section")
        .filter_map(|e| e.ok()?.file_name().to_str()?.strip_suffix(".en.md").map(str::to_string))
        .filter(|slug| slug != "_index")
        .collect();
    ids.sort();
    for slug in &ids {
        assert!(dir.join(format!("{slug}.fr.md")).is_file(), "{section}/{slug} has no French translation");
    }
    ids
}

#[test]
fn the_shipped_guidebook_has_every_part_in_english_and_french() {
    for (section, at_least) in
        [("countries", 10), ("pilots", 9), ("recommendations", 24), ("organisations", 20), ("glossary", 15)]
    {
        let n = section_pages(section).len();
        assert!(n >= at_least, "{section}: {n} pages, at least {at_least} expected");
    }
    assert_eq!(section_pages("pilots").len(), 9, "PREPARE carried out nine local actions");
    for page in ["prepare", "integra", "earlier-projects", "survey", "editors-guide"] {
        for lang in ["en", "fr"] {
            let rel = format!("content/{page}.{lang}.md");
            assert!(
                front_matter(&rel)["sources"].as_sequence().is_some_and(|s| !s.is_empty()),
                "{rel} lists no sources"
            );
        }
    }
}

#[test]
fn every_pilot_sheet_names_its_country_partners_and_recommendations() {
    for slug in section_pages("pilots") {
        let fm = front_matter(&format!("content/pilots/{slug}.en.md"));
        assert!(fm["country"].as_str().is_some_and(|c| c.starts_with("countries/")), "{slug}: country");
        let listed = |field: &str| fm[field].as_sequence().map_or(0, Vec::len);
        assert!(listed("partners") >= 1, "{slug}: partners");
        assert!(listed("recommendations") >= 1, "{slug}: recommendations");
        assert!(fm["sources"].as_sequence().is_some_and(|s| !s.is_empty()), "{slug}: sources");
    }
}

#[test]
fn every_recommendation_is_illustrated_and_every_page_shows_its_sources() {
    let out = build_shipped();
    for slug in section_pages("recommendations") {
        let html =
            std::fs::read_to_string(out.path().join(format!("en/recommendations/{slug}/index.html"))).expect("read");
        assert!(
            html.contains("<section class=\"backlinks") || html.contains("<section class=\"mentions\">"),
            "recommendations/{slug} is neither referenced nor mentioned by any page"
        );
        assert!(
            html.contains("<dt>Sources</dt>") || html.contains(">Sources</h2>"),
            "recommendations/{slug} hides its sources"
        );
    }
}

#[test]
fn the_survey_is_charted_without_script_and_in_each_language() {
    let out = build_shipped();
    let en = std::fs::read_to_string(out.path().join("en/survey/index.html")).expect("read");
    // Every question of the annex that gives figures is charted (questions 1 to 15; question 9
    // has a chart per statement, question 13 two), each with its table of figures.
    assert_eq!(en.matches("<figure class=\"chart\"").count(), 20);
    for q in 1..=15 {
        assert!(en.contains(&format!("(question {q}")) || en.contains(&format!("Question {q},")), "question {q}");
    }
    assert!(en.contains("<tr><th scope=\"row\">Greece</th><td>51 respondents</td></tr>"));
    assert!(en.contains("<tr><th scope=\"row\">No mechanism, or none known</th><td>84%</td></tr>"));
    let fr = std::fs::read_to_string(out.path().join("fr/survey/index.html")).expect("read");
    assert!(fr.contains("<tr><th scope=\"row\">Grèce</th><td>51 répondants</td></tr>"));
    assert!(fr.contains("<tr><th scope=\"row\">Aucun mécanisme, ou aucun connu</th><td>84\u{a0}%</td></tr>"));
    assert!(fr.contains("Les chiffres sous forme de tableau"));
}

#[test]
fn greek_and_bulgarian_readers_get_their_home_and_country_report_in_their_script() {
    let out = build_shipped();
    let read = |rel: &str| std::fs::read_to_string(out.path().join(rel)).expect(rel);
    let el = read("el/index.html");
    assert!(el.contains("<html lang=\"el\""), "Greek home page");
    assert!(el.chars().any(|c| ('\u{0370}'..='\u{03FF}').contains(&c)), "Greek script");
    let greece = read("el/countries/greece/index.html");
    assert!(greece.chars().filter(|c| ('\u{0370}'..='\u{03FF}').contains(c)).count() > 500, "Greek country report");
    let bg = read("bg/index.html");
    assert!(bg.contains("<html lang=\"bg\""), "Bulgarian home page");
    let bulgaria = read("bg/countries/bulgaria/index.html");
    assert!(
        bulgaria.chars().filter(|c| ('\u{0400}'..='\u{04FF}').contains(c)).count() > 500,
        "Bulgarian country report"
    );
}

/// Quirks of the sources that readers must not trip over: accents, other spellings of the
/// same place, and counts that disagree.
#[test]
fn names_with_accents_and_other_spellings_are_found() {
    let out = build_shipped();
    let search = |query: &str| -> String {
        let run = Command::new(env!("CARGO_BIN_EXE_guidebook"))
            .args(["search", "--json", "--out"])
            .arg(out.path())
            .arg(query)
            .current_dir(env!("CARGO_MANIFEST_DIR"))
            .output()
            .expect("run guidebook search");
        assert_eq!(run.status.code(), Some(0), "{}", String::from_utf8_lossy(&run.stderr));
        String::from_utf8_lossy(&run.stdout).into_owned()
    };
    for (query, expected) in [
        ("malaga", "pilots/malaga"),
        ("Málaga", "pilots/malaga"),
        ("gottingen", "countries/germany"),
        ("Göttingen", "countries/germany"),
        ("hospitalet", "pilots/catalonia"),
        ("Catalunya", "pilots/catalonia"),
        ("Turin", "earlier-projects"),
        ("Torino", "earlier-projects"),
    ] {
        assert!(
            search(query).contains(&format!("\"id\":\"{expected}\"")),
            "searching {query:?} does not find {expected}"
        );
    }
    let prepare = std::fs::read_to_string(out.path().join("en/prepare/index.html")).expect("read");
    assert!(
        prepare.contains("<strong>seven</strong>") && prepare.contains("nine"),
        "the seven/nine discrepancy is stated"
    );
}
