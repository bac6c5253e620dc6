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
    let langs: Vec<&str> = ["en", "fr", "de", "es"].to_vec();
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
