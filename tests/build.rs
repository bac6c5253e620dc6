//! `guidebook build` on a valid fixture site: the files a user gets and their key HTML.

mod support;

use support::{assert_no_panic, TestSite};

fn built() -> TestSite {
    let site = TestSite::fixture("valid");
    let run = site.run(&["build"]);
    assert_no_panic(&run);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(run.diagnostics(), Vec::<&str>::new());
    assert!(run.summary().starts_with("built 9 pages into public in "), "{}", run.summary());
    site
}

#[test]
fn writes_the_documented_files() {
    let site = built();
    let files: Vec<String> = site.snapshot("public").into_keys().collect();
    assert_eq!(
        files,
        [
            "404.html",
            "css/guidebook.css",
            "css/print.css",
            "en/404.html",
            "en/about/index.html",
            "en/countries/countries.csv",
            "en/countries/countries.json",
            "en/countries/france/index.html",
            "en/countries/index.html",
            "en/countries/spain/index.html",
            "en/index.html",
            "en/pilots/avignon/index.html",
            "en/pilots/index.html",
            "en/pilots/malaga/index.html",
            "en/pilots/pilots.csv",
            "en/pilots/pilots.json",
            "en/print/index.html",
            "en/search/index.html",
            "en/themes/case-management/index.html",
            "en/themes/exit-work/index.html",
            "en/themes/index.html",
            "en/themes/training/index.html",
            "en/who-we-are/index.html",
            "favicon.svg",
            "fr/404.html",
            "fr/about/index.html",
            "fr/countries/countries.csv",
            "fr/countries/countries.json",
            "fr/countries/france/index.html",
            "fr/countries/index.html",
            "fr/countries/spain/index.html",
            "fr/index.html",
            "fr/pilots/avignon/index.html",
            "fr/pilots/index.html",
            "fr/pilots/malaga/index.html",
            "fr/pilots/pilots.csv",
            "fr/pilots/pilots.json",
            "fr/print/index.html",
            "fr/search/index.html",
            "fr/themes/case-management/index.html",
            "fr/themes/exit-work/index.html",
            "fr/themes/index.html",
            "fr/themes/training/index.html",
            "index.html",
            "js/browse.js",
            "js/languages.js",
            "js/search.js",
            "js/theme.js",
            "robots.txt",
            "search/en/index.bin",
            "search/engine.bin",
            "search/fr/index.bin",
        ]
    );
    assert_eq!(site.read("public/robots.txt"), "User-agent: *\nAllow: /\n");
}

#[test]
fn a_page_has_layout_facts_toc_and_relative_links() {
    let site = built();
    let html = site.read("public/en/pilots/avignon/index.html");
    for needle in [
        "<html lang=\"en\">",
        "<title>Avignon: risk assessment · Test Guide</title>",
        "<link rel=\"stylesheet\" href=\"../../../css/guidebook.css\">",
        // Navigation of sections in weight order, the current one marked.
        "<li><a href=\"../../countries/\">Countries</a></li>\n<li><a href=\"../\" aria-current=\"true\">Pilots</a></li>\n<li class=\"nav-group\"><details><summary>About</summary>\n<ul>\n<li><a href=\"../../about/\">About this guide</a></li>",
        // Breadcrumbs.
        "<li><a href=\"../../\">Welcome to the test guide</a></li>\n<li><a href=\"../\">Pilot sheets</a></li>\n<li aria-current=\"page\"><span>Avignon: risk assessment</span></li>",
        "<p class=\"kind\">Pilot sheet</p>",
        // Every field type, references as links.
        "<dt>Country</dt><dd><a href=\"../../countries/france/\">France</a></dd>",
        "<dt>Neighbours</dt><dd><a href=\"../../countries/spain/\">Spain</a></dd>",
        "<dt>Year</dt><dd>2019</dd>",
        "<dt>Started</dt><dd>1 October 2018</dd>",
        "<dt>Still running</dt><dd>no</dd>",
        "<dt>Website</dt><dd><a href=\"https://example.org/avignon\">https://example.org/avignon</a></dd>",
        "<dt>Level</dt><dd>local</dd>",
        "<dt>Themes</dt><dd><a href=\"../../themes/training/\">training</a>, <a href=\"../../themes/case-management/\">case management</a></dd>",
        // Table of contents with unique anchors and the custom one.
        "<li class=\"toc-level-2\"><a href=\"#results\">Results</a></li>\n<li class=\"toc-level-2\"><a href=\"#results-1\">Results</a></li>\n<li class=\"toc-level-3\"><a href=\"#lessons-learnt\">Lessons</a></li>",
        "<h2 id=\"results-1\">Results</h2>\n<h3 id=\"lessons-learnt\">Lessons</h3>",
        // Markdown extensions and smart punctuation.
        "<table><thead><tr><th>Step</th><th>When</th></tr></thead>",
        "<input disabled=\"\" type=\"checkbox\" checked=\"\">",
        "<del>Old plan</del>",
        "on \u{201c}risk assessment\u{201d} \u{2013} see",
        "<sup class=\"footnote-reference\"><a href=\"#fn-face\">1</a></sup>",
        "<div class=\"footnote-definition\" id=\"fn-face\">",
        // Page links become relative URLs, anchors kept.
        "<a href=\"../malaga/#r%C3%A9sultats\">Málaga</a>",
        "<a href=\"../../countries/spain/\">Spain</a>",
        // Code highlighted into classes.
        "<pre class=\"code\" tabindex=\"0\"><code class=\"language-python\">",
        "<span class=\"hl-storage hl-type hl-function hl-python\">def</span>",
        // List fields shown after the body.
        "<h2>Sources</h2>\n<ul>\n<li>PREPARE pilot summaries, pilot 2.1</li>",
        // Previous/next in the section (the draft is not built).
        "<a class=\"next\" rel=\"next\" href=\"../malaga/\"><span>Next</span> <span class=\"title\">Málaga</span></a>",
    ] {
        assert!(html.contains(needle), "missing {needle:?} in\n{html}");
    }
    assert!(!html.contains("style="), "no inline styles");
    assert!(!html.contains("Built on"), "no build date without SOURCE_DATE_EPOCH");
    let malaga = site.read("public/en/pilots/malaga/index.html");
    assert!(malaga.contains("<a class=\"prev\" rel=\"prev\" href=\"../avignon/\"><span>Previous</span> <span class=\"title\">Avignon: risk assessment</span></a>"));
    assert!(
        malaga.contains("<h2 id=\"résultats\">Résultats</h2>"),
        "file without language suffix is the default language"
    );
}

#[test]
fn home_section_language_and_alias_pages() {
    let site = built();
    let home = site.read("public/en/index.html");
    assert!(home.contains("<h1>Welcome to the test guide</h1>"));
    assert!(
        home.contains("Start with <a href=\"pilots/avignon/\">Avignon</a> or read <a href=\"about/\">about us</a>.")
    );
    assert!(home.contains("<a href=\"pilots/\">Pilot sheets</a> <span class=\"count\">(2)</span>"), "{home}");
    let section = site.read("public/en/pilots/index.html");
    assert!(section.contains("<h1>Pilot sheets</h1>"));
    assert!(section.contains("<p>Each sheet describes <strong>one</strong> local practice.</p>"));
    assert!(section.contains(
        "<h2><a href=\"avignon/\">Avignon: risk assessment</a></h2>\n<p>Joint working groups for young offenders.</p>"
    ));
    let fr = site.read("public/fr/pilots/avignon/index.html");
    assert!(fr.contains("<html lang=\"fr\">"));
    assert!(fr.contains("<p class=\"kind\">Fiche pilote</p>"));
    assert!(
        fr.contains("<dt>Pays</dt><dd><a href=\"../../countries/france/\" lang=\"en\">France</a></dd>"),
        "an untranslated target links to its French address, its English title marked"
    );
    let chooser = site.read("public/index.html");
    assert!(chooser.contains(
        "<a href=\"en/\" lang=\"en\" hreflang=\"en\">English</a> <span class=\"title\" lang=\"en\">Test Guide</span>"
    ));
    assert!(chooser.contains("<a href=\"fr/\" lang=\"fr\" hreflang=\"fr\">Français</a> <span class=\"title\" lang=\"fr\">Guide de test</span>"));
    assert!(chooser.contains("<script src=\"js/languages.js\"></script>"));
    let not_found = site.read("public/404.html");
    assert!(not_found.contains("<html lang=\"en\">"));
    assert!(not_found.contains("<link rel=\"stylesheet\" href=\"/css/guidebook.css\">"));
    assert!(not_found.contains("<a href=\"/fr/\" lang=\"fr\" hreflang=\"fr\">Français</a>"));
    let fr_not_found = site.read("public/fr/404.html");
    assert!(fr_not_found.contains("<h1>Page introuvable</h1>"), "{fr_not_found}");
    assert!(fr_not_found.contains("<a href=\"/fr/search/\">"));
    assert!(fr_not_found.contains("<a href=\"/en/\" lang=\"en\" hreflang=\"en\">English</a>"));
    let alias = site.read("public/en/who-we-are/index.html");
    assert!(alias.contains("<meta http-equiv=\"refresh\" content=\"0; url=../about/\">"));
}

#[test]
fn two_builds_are_byte_identical() {
    let site = TestSite::fixture("valid");
    assert_eq!(site.run(&["build", "--out", "one"]).code, 0);
    assert_eq!(site.run(&["build", "--out", "two"]).code, 0);
    let (one, two) = (site.snapshot("one"), site.snapshot("two"));
    assert_eq!(one.len(), 52);
    assert!(one == two, "two builds differ");
}

#[test]
fn a_failed_build_leaves_the_previous_output_untouched() {
    let site = built();
    let before = site.snapshot("public");
    site.write("content/pilots/malaga.md", "---\ntitle: Málaga\ncountry: countries/nowhere\n---\n\n## Résultats\n");
    let run = site.run(&["build"]);
    assert_no_panic(&run);
    assert_eq!(run.code, 1);
    assert_eq!(run.diagnostics(), ["content/pilots/malaga.md:3:10: error: country `countries/nowhere` does not exist"]);
    assert_eq!(run.summary(), "error: 1 error, 0 warnings; nothing was written");
    assert!(site.snapshot("public") == before, "the previous output changed");
    let leftovers: Vec<String> = std::fs::read_dir(site.root())
        .expect("read root")
        .filter_map(|e| e.ok())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with('.'))
        .collect();
    assert!(leftovers.is_empty(), "temporary folders left behind: {leftovers:?}");
}

#[test]
fn a_successful_rebuild_replaces_stale_files() {
    let site = built();
    site.write("content/about.en.md", "---\ntitle: About this guide\n---\n");
    site.remove("content/_index.fr.md");
    assert_eq!(site.run(&["build"]).code, 0);
    assert!(!site.exists("public/en/who-we-are/index.html"), "the removed alias is gone");
    assert!(
        !site.read("public/fr/index.html").contains("Bienvenue"),
        "the French home page is made from site.yaml again"
    );
}

#[test]
fn offline_links_name_index_html() {
    let site = TestSite::fixture("valid");
    assert_eq!(site.run(&["build", "--offline"]).code, 0);
    let html = site.read("public/en/pilots/avignon/index.html");
    assert!(html.contains("<a href=\"../malaga/index.html#r%C3%A9sultats\">Málaga</a>"));
    assert!(html.contains("<a class=\"site-title\" href=\"../../index.html\">"));
    assert!(site.read("public/index.html").contains("<a href=\"en/index.html\""));
}

#[test]
fn build_date_comes_only_from_source_date_epoch() {
    let site = TestSite::fixture("valid");
    let run = site.run_with_env(&["build"], &[("SOURCE_DATE_EPOCH", "1573776000")]);
    assert_eq!(run.code, 0);
    assert!(site
        .read("public/en/index.html")
        .contains("<time datetime=\"2019-11-15\">Built on 15 November 2019</time>"));
}

#[test]
fn drafts_are_built_only_when_asked() {
    let site = TestSite::fixture("valid");
    assert_eq!(site.run(&["build", "--drafts"]).code, 0);
    assert!(site.read("public/en/pilots/unfinished/index.html").contains("<h1>Unfinished sheet</h1>"));
}

#[test]
fn base_url_gives_canonical_links() {
    let site = TestSite::fixture("valid");
    assert_eq!(site.run(&["build", "--base-url", "https://example.org/guide"]).code, 0);
    let html = site.read("public/en/pilots/avignon/index.html");
    assert!(html.contains("<link rel=\"canonical\" href=\"https://example.org/guide/en/pilots/avignon/\">"));
    assert!(site.read("public/404.html").contains("<a href=\"/guide/fr/\""));
    let fr_not_found = site.read("public/fr/404.html");
    assert!(fr_not_found.contains("<link rel=\"stylesheet\" href=\"/guide/css/guidebook.css\">"));
    assert!(fr_not_found.contains("<a href=\"/guide/fr/search/\">"));
}

#[test]
fn a_site_theme_overrides_templates_one_by_one() {
    let site = TestSite::fixture("valid");
    site.write(
        "themes/default/templates/section.html",
        "{% extends \"base.html\" %}{% block main %}<p class=\"mine\">{{ page.title }}: {{ pages | length }} pages</p>{% endblock main %}",
    );
    site.write("themes/default/static/css/extra.css", "p { color: red; }\n");
    assert_eq!(site.run(&["build"]).code, 0);
    assert!(site.read("public/en/pilots/index.html").contains("<p class=\"mine\">Pilot sheets: 2 pages</p>"));
    assert!(
        site.read("public/en/pilots/avignon/index.html").contains("<dl class=\"facts\">"),
        "other templates stay built in"
    );
    assert_eq!(site.read("public/css/extra.css"), "p { color: red; }\n");
    assert!(site.exists("public/css/guidebook.css"));
}

#[test]
fn a_kind_template_is_used_when_present() {
    let site = TestSite::fixture("valid");
    site.write(
        "themes/default/templates/kinds/country.html",
        "{% extends \"page.html\" %}{% block crumb %}Country {{ page.title }}{% endblock crumb %}",
    );
    assert_eq!(site.run(&["build"]).code, 0);
    assert!(site
        .read("public/en/countries/france/index.html")
        .contains("<li aria-current=\"page\">Country France</li>"));
}

#[test]
fn check_validates_and_writes_nothing() {
    let site = TestSite::fixture("valid");
    let run = site.run(&["check"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(run.stderr, "checked 9 pages\n");
    assert!(!site.exists("public"));
}

#[test]
fn refuses_to_replace_the_site_itself() {
    let site = TestSite::fixture("valid");
    let run = site.run(&["build", "--out", "."]);
    assert_eq!(run.code, 2);
    assert!(run.stderr.starts_with("error: refusing to replace `.`"), "{}", run.stderr);
    assert!(site.exists("content/_index.en.md"));
}

/// An output inside the folders editors write (or a hidden one such as `.git`) would
/// replace their files: refused, with nothing touched, whether it exists or not.
#[test]
fn refuses_to_write_into_the_sites_own_folders() {
    let site = TestSite::fixture("valid");
    std::fs::create_dir_all(site.path(".git")).expect("mkdir");
    for out in ["content", "content/pilots", "static/new", "themes", "i18n", ".git", "./content/../content"] {
        let folder = out.trim_start_matches("./").split('/').next().unwrap_or_default();
        let run = site.run(&["build", "--out", out]);
        assert_eq!(run.code, 2, "{out}: {}", run.stderr);
        assert_eq!(
            run.stderr,
            format!("error: refusing to write the output into `{out}`: it is inside `{folder}`, one of the site's own folders; choose another --out\n")
        );
    }
    assert!(site.exists("content/pilots/avignon.en.md"));
    assert!(!site.exists("static/new"));
    let run = site.run(&["build", "--out", "public/en-site"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
}

/// A base address is where the site's folders start: no query, fragment or credentials,
/// which every page's address in the sitemap and feeds would inherit.
#[test]
fn base_urls_that_no_page_address_can_start_with_are_refused() {
    let site = TestSite::fixture("valid");
    let cases = [
        ("ftp://example.org/", "is not an absolute web address"),
        ("https://example.org/#top", "has a query (`?`) or a fragment (`#`), which every page's address would inherit"),
        (
            "https://example.org/?lang=en",
            "has a query (`?`) or a fragment (`#`), which every page's address would inherit",
        ),
        ("https://me:secret@example.org/", "names a user or a password, which every page would publish"),
    ];
    for (url, why) in cases {
        let run = site.run(&["build", "--base-url", url]);
        assert_eq!(run.code, 1, "{url}: {}", run.stderr);
        assert_eq!(
            run.diagnostics(),
            [format!("error: --base-url `{url}` {why}: write it like https://example.org/guidebook/")]
        );
    }
    let yaml = site.read("site.yaml").replace("languages:", "base_url: https://example.org/#x\nlanguages:");
    site.write("site.yaml", yaml);
    let run = site.run(&["check"]);
    assert_eq!(
        run.diagnostics(),
        ["site.yaml:5:11: error: base_url `https://example.org/#x` has a query (`?`) or a fragment (`#`), which every page's address would inherit: write it like `https://example.org/guidebook/`"]
    );
}

/// A folder with files that no build wrote is someone's: refused, and kept as it was.
/// An empty folder, or one a build wrote, is replaced.
#[test]
fn refuses_to_replace_a_folder_no_build_wrote() {
    let site = TestSite::fixture("valid");
    site.write("notes/thesis.docx", "mine");
    let run = site.run(&["build", "--out", "notes"]);
    assert_eq!(run.code, 2);
    assert_eq!(
        run.stderr,
        "error: refusing to replace `notes`: it holds files that no guidebook build wrote (there is no search/engine.bin in it); choose another --out, or empty that folder first\n"
    );
    assert_eq!(site.read("notes/thesis.docx"), "mine");
    std::fs::create_dir_all(site.path("empty")).expect("mkdir");
    assert_eq!(site.run(&["build", "--out", "empty"]).code, 0);
    assert_eq!(site.run(&["build", "--out", "empty"]).code, 0);
}

#[test]
fn a_folder_without_site_yaml_is_a_usage_error() {
    let site = TestSite::fixture("valid");
    site.remove("site.yaml");
    let run = site.run(&["build"]);
    assert_eq!(run.code, 2);
    assert_eq!(run.stderr, "error: no site.yaml in `.`: run guidebook in a site folder, or name one with --root DIR\n");
}

#[test]
fn root_option_prefixes_paths_in_messages() {
    let site = TestSite::fixture("valid");
    site.write("content/pilots/malaga.md", "---\ntitle: Málaga\ncountry: countries/spainn\n---\n\n## Résultats\n");
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_guidebook"))
        .args(["check", "--root"])
        .arg(site.root())
        .current_dir(site.root().parent().expect("parent"))
        .output()
        .expect("run");
    let stderr = String::from_utf8_lossy(&out.stderr);
    let name = site.root().file_name().expect("name").to_string_lossy().into_owned();
    let expected = format!("{}/content/pilots/malaga.md:3:10: error: country `countries/spainn` does not exist (did you mean `countries/spain`?)", site.root().display());
    assert!(stderr.starts_with(&expected), "{stderr}\n{name}");
}

#[test]
fn help_lists_the_commands() {
    let site = TestSite::fixture("valid");
    let run = site.run(&["--help"]);
    assert_eq!(run.code, 0);
    assert!(run.stdout.contains("build") && run.stdout.contains("check"));
    let run = site.run(&["build", "--help"]);
    assert!(run.stdout.contains("--offline") && run.stdout.contains("--base-url"));
    let run = site.run(&["frobnicate"]);
    assert_eq!(run.code, 2);
}
