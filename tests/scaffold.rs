//! `guidebook init` and `guidebook new`: what they write builds at once.

mod support;

use std::process::Command;
use support::TestSite;

fn guidebook(dir: &std::path::Path, args: &[&str]) -> (i32, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_guidebook")).args(args).current_dir(dir).output().expect("run");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// The ids of the pages `guidebook search --json` finds in the built site at `site`.
fn search_ids(site: &std::path::Path, args: &[&str]) -> Vec<String> {
    let (code, stdout, stderr) = guidebook(site, &[&["search", "--json"], args].concat());
    assert_eq!(code, 0, "{stderr}");
    let v: serde_json::Value = serde_json::from_str(&stdout).expect("JSON answer");
    v["hits"].as_array().expect("hits").iter().map(|h| h["id"].as_str().unwrap_or_default().to_string()).collect()
}

#[test]
fn init_makes_a_site_that_builds_with_no_diagnostics() {
    let dir = tempfile::tempdir().expect("temp");
    let (code, stdout, _) = guidebook(dir.path(), &["init", "mysite"]);
    assert_eq!(code, 0);
    assert_eq!(stdout, "created a site in mysite (11 files)\nnext: cd mysite && guidebook serve\n");
    let site = dir.path().join("mysite");
    let (code, _, stderr) = guidebook(&site, &["build"]);
    assert_eq!(code, 0, "{stderr}");
    assert!(stderr.starts_with("built 7 pages into public in ") && stderr.lines().count() == 1, "{stderr}");
    let html = std::fs::read_to_string(site.join("public/fr/practices/first-practice/index.html")).expect("page");
    assert!(html.contains("<h1>Une première pratique</h1>"));
    // The first practice is tagged `training`: found by the term's name in each language.
    assert_eq!(search_ids(&site, &["training"]), ["practices/first-practice"]);
    assert_eq!(search_ids(&site, &["formation", "--lang", "fr"]), ["practices/first-practice"]);
    let (code, _, stderr) = guidebook(dir.path(), &["init", "mysite"]);
    assert_eq!(code, 2);
    assert_eq!(stderr, "error: mysite is not empty: choose a new or empty folder\n");
}

/// The examples `init` leaves commented out in site.yaml (menu, footer, branding,
/// accessibility statement) build once uncommented, and do what they say.
#[test]
fn inits_commented_examples_build_when_uncommented() {
    let dir = tempfile::tempdir().expect("temp");
    let (code, _, _) = guidebook(dir.path(), &["init", "mysite"]);
    assert_eq!(code, 0);
    let site = dir.path().join("mysite");
    let yaml = std::fs::read_to_string(site.join("site.yaml")).expect("site.yaml");
    // An example line is `# key:` or `#   ...` (prose comments start with a capital or a
    // word that is not a key).
    let example = |l: &str| {
        let rest = l.strip_prefix("# ").unwrap_or("");
        rest.starts_with(' ')
            || rest
                .split_once(':')
                .is_some_and(|(k, _)| !k.is_empty() && k.chars().all(|c| c.is_ascii_lowercase() || c == '_'))
    };
    let uncommented: Vec<&str> = yaml.lines().map(|l| if example(l) { &l[2..] } else { l }).collect();
    assert!(
        uncommented.iter().filter(|l| !l.starts_with('#')).count()
            > yaml.lines().filter(|l| !l.starts_with('#')).count() + 20
    );
    std::fs::write(site.join("site.yaml"), uncommented.join("\n")).expect("write");
    std::fs::create_dir_all(site.join("static/img")).expect("static");
    std::fs::write(site.join("static/img/favicon.png"), b"\x89PNG\r\n\x1a\n").expect("favicon");
    std::fs::write(site.join("static/img/logo.svg"), "<svg xmlns=\"http://www.w3.org/2000/svg\"/>").expect("logo");
    let (code, _, stderr) = guidebook(&site, &["build"]);
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
    let fr = std::fs::read_to_string(site.join("public/fr/index.html")).expect("page");
    assert!(
        fr.contains("<li><a href=\"practices/\">Pratiques</a></li>") && fr.contains(">Ville d&#39;Exemple</a>"),
        "{fr}"
    );
    let statement = std::fs::read_to_string(site.join("public/fr/accessibility/index.html")).expect("statement");
    assert!(statement.contains("Le médiateur national"), "{statement}");
}

#[test]
fn new_writes_every_required_field_and_the_page_builds() {
    let site = TestSite::fixture("knowledge");
    let run = site.run(&["new", "pilot", "lyon", "--lang", "all"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(
        run.stdout,
        "created content/pilots/lyon.en.md: its address will be /en/pilots/lyon/\ncreated content/pilots/lyon.fr.md: its address will be /fr/pilots/lyon/\nfill in the fields marked `required`, then run `guidebook check`\n"
    );
    let text = site.read("content/pilots/lyon.en.md");
    assert!(text.starts_with("---\ntitle: \"Lyon\"  # required: the page's title\n"), "{text}");
    assert!(
        text.contains("country: countries/france  # required: the id of a `country` page; replace this example\n"),
        "{text}"
    );
    assert!(text.contains("# themes: [training]  # optional: one or more `themes` terms\n"), "{text}");
    let check = site.run(&["check"]);
    assert_eq!(check.code, 0, "{}", check.stderr);
    assert_eq!(check.diagnostics(), Vec::<&str>::new());
}

#[test]
fn new_refuses_to_overwrite_and_explains_mistakes() {
    let site = TestSite::fixture("knowledge");
    let run = site.run(&["new", "pilot", "avignon"]);
    assert_eq!(
        (run.code, run.stderr.as_str()),
        (2, "error: content/pilots/avignon.en.md already exists: choose another name, or edit that file\n")
    );
    let run = site.run(&["new", "pilto", "x"]);
    assert_eq!(run.stderr, "error: kind `pilto` is not declared in site.yaml (did you mean `pilot`?); kinds: `country`, `pilot`, `recommendation`, `organisation`, `term` or `page`\n");
    let run = site.run(&["new", "pilot", "My Pilot"]);
    assert_eq!(
        run.stderr,
        "error: `My Pilot` cannot be a page id: use lowercase letters, digits and hyphens, e.g. `my-pilot`\n"
    );
    let run = site.run(&["new", "pilot", "x", "--lang", "de"]);
    assert_eq!(run.stderr, "error: language `de` is not declared in site.yaml; declared: en, fr, or `all`\n");
}

#[test]
fn an_archetype_is_used_when_the_site_has_one() {
    let site = TestSite::fixture("knowledge");
    site.write(
        "archetypes/pilot.md",
        "---\ntitle: \"{{ title }}\"\ncountry: countries/spain\n---\n\n## What was done ({{ lang }})\n",
    );
    let run = site.run(&["new", "pilot", "new-town"]);
    assert_eq!(run.code, 0);
    assert_eq!(
        site.read("content/pilots/new-town.en.md"),
        "---\ntitle: \"New Town\"\ncountry: countries/spain\n---\n\n## What was done (en)\n"
    );
}
