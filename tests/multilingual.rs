//! A site in three languages (en, fr, el): `pilots/sarcelles` is missing in French,
//! `pilots/malaga` in Greek, the Greek `pilots/avignon` is stale, and `pilots/orphan`
//! exists only in French. What readers get in each language, and what editors are told.

mod support;

use support::{assert_no_panic, TestSite};

const WARNINGS: [&str; 4] = [
    "content/pilots/avignon.el.md:4:18: warning: translation is out of date: content/pilots/avignon.en.md has changed since `translated_from: 0123456789` (it is now `c91b7d229f`); update the translation, then set `translated_from: c91b7d229f`",
    "content/pilots/orphan.fr.md:1:1: warning: the original of this translation, content/pilots/orphan.en.md, does not exist, so this `fr` page is shown in every language without a translation of its own: add content/pilots/orphan.en.md, or make this page the original: rename it to content/pilots/orphan.en.md",
    "i18n/el.yaml:1:1: warning: interface string `pilot_intro` is missing in `el`: the `en` text is used until you add it",
    "i18n/fr.yaml:1:1: warning: interface string `pilot_intro` is missing in `fr`: the `en` text is used until you add it",
];

fn built() -> TestSite {
    let site = TestSite::fixture("multilingual");
    let run = site.run(&["build"]);
    assert_no_panic(&run);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(run.diagnostics(), WARNINGS);
    assert!(run.summary().starts_with("built 11 pages into public in "), "{}", run.summary());
    assert!(run.summary().ends_with(" (4 warnings)"), "{}", run.summary());
    site
}

fn assert_contains(html: &str, needles: &[&str]) {
    for needle in needles {
        assert!(html.contains(needle), "missing {needle:?} in\n{html}");
    }
}

#[test]
fn every_page_exists_in_every_language() {
    let site = built();
    for lang in ["en", "fr", "el"] {
        for page in ["", "pilots/", "pilots/avignon/", "pilots/malaga/", "pilots/sarcelles/", "pilots/orphan/"] {
            assert!(site.exists(&format!("public/{lang}/{page}index.html")), "{lang}/{page} missing");
        }
        assert!(site.exists(&format!("public/{lang}/atom.xml")));
    }
}

#[test]
fn a_fallback_page_has_the_readers_interface_and_the_originals_content() {
    let site = built();
    let html = site.read("public/fr/pilots/sarcelles/index.html");
    assert_contains(
        &html,
        &[
            "<html lang=\"fr\">",
            "<a class=\"skip-link\" href=\"#main\">Aller au contenu</a>",
            "<p class=\"notice notice-fallback\" role=\"note\">Cette page n&#39;a pas encore été traduite. Vous lisez l&#39;original (English).</p>",
            "<p class=\"kind\">Fiche pilote</p>",
            "<h1 lang=\"en\">Sarcelles</h1>",
            "<p class=\"summary\" lang=\"en\">A civic education week for fifteen young offenders.</p>",
            "<time datetime=\"2019-11-20\">20 novembre 2019</time>",
            "<dt>Ville</dt><dd><span lang=\"en\">Sarcelles</span></dd>",
            "<div class=\"content\" lang=\"en\">\n<h2 id=\"results\">Results</h2>",
            "<link rel=\"canonical\" href=\"https://guide.example.org/practices/en/pilots/sarcelles/\">",
            "<li aria-current=\"page\"><span lang=\"en\">Sarcelles</span></li>",
            // The site's own French string overrides the built-in one.
            "<span>Fiche suivante</span>",
        ],
    );
    // Listed in French navigation, marked as English.
    let home = site.read("public/fr/index.html");
    assert_contains(
        &home,
        &[
            "<li><a href=\"pilots/sarcelles/\" lang=\"en\" hreflang=\"en\">Sarcelles</a></li>",
            // Links from French pages lead to the French address of the fallback.
            "<a href=\"pilots/sarcelles/#results\">Sarcelles</a>",
        ],
    );
    let section = site.read("public/fr/pilots/index.html");
    assert_contains(
        &section,
        &[
            "<li><a href=\"sarcelles/\" lang=\"en\">Sarcelles</a></li>",
            "<p class=\"intro\">One local practice per sheet.</p>",
        ],
    );
}

#[test]
fn a_stale_translation_says_so_and_links_the_original() {
    let site = built();
    let html = site.read("public/el/pilots/avignon/index.html");
    assert_contains(
        &html,
        &[
            "<html lang=\"el\">",
            "<p class=\"notice notice-stale\" role=\"note\">Το πρωτότυπο (English) έχει αλλάξει από τότε που μεταφράστηκε αυτή η σελίδα. <a href=\"../../../en/pilots/avignon/\">Διαβάστε το πρωτότυπο</a></p>",
            "<h1>Αβινιόν: ομάδες εργασίας</h1>",
            "<time datetime=\"2019-05-14\">14 Μαΐου 2019</time>",
        ],
    );
    assert!(
        !site.read("public/fr/pilots/avignon/index.html").contains("class=\"notice"),
        "an up-to-date translation has no notice"
    );
}

#[test]
fn the_switcher_and_hreflang_list_the_translations() {
    let site = built();
    let html = site.read("public/en/pilots/avignon/index.html");
    assert_contains(
        &html,
        &[
            "<li><a href=\"./\" lang=\"en\" hreflang=\"en\" aria-current=\"page\">English</a></li>\n<li><a href=\"../../../fr/pilots/avignon/\" lang=\"fr\" hreflang=\"fr\">Français</a></li>\n<li><a href=\"../../../el/pilots/avignon/\" lang=\"el\" hreflang=\"el\">Ελληνικά</a></li>",
            "<link rel=\"canonical\" href=\"https://guide.example.org/practices/en/pilots/avignon/\">\n<link rel=\"alternate\" hreflang=\"en\" href=\"https://guide.example.org/practices/en/pilots/avignon/\">\n<link rel=\"alternate\" hreflang=\"fr\" href=\"https://guide.example.org/practices/fr/pilots/avignon/\">\n<link rel=\"alternate\" hreflang=\"el\" href=\"https://guide.example.org/practices/el/pilots/avignon/\">\n<link rel=\"alternate\" hreflang=\"x-default\" href=\"https://guide.example.org/practices/en/pilots/avignon/\">",
        ],
    );
    // A fallback page offers every language, marks the current one, and says which
    // languages show the original's text.
    let fallback = site.read("public/fr/pilots/sarcelles/index.html");
    assert_contains(
        &fallback,
        &[
            "<li><a href=\"../../../en/pilots/sarcelles/\" lang=\"en\" hreflang=\"en\">English</a></li>\n<li><a href=\"./\" lang=\"fr\" hreflang=\"fr\" aria-current=\"page\">Français <span class=\"lang-fallback\">(texte en anglais)</span></a></li>\n<li><a href=\"../../../el/pilots/sarcelles/\" lang=\"el\" hreflang=\"el\">Ελληνικά</a></li>",
            "<link rel=\"alternate\" hreflang=\"en\" href=\"https://guide.example.org/practices/en/pilots/sarcelles/\">\n<link rel=\"alternate\" hreflang=\"el\" href=\"https://guide.example.org/practices/el/pilots/sarcelles/\">\n<link rel=\"alternate\" hreflang=\"x-default\" href=\"https://guide.example.org/practices/en/pilots/sarcelles/\">",
        ],
    );
    assert!(!fallback.contains("hreflang=\"fr\" href=\"https://"), "no alternate for a language without the page");
}

#[test]
fn the_sitemap_lists_each_translation_with_its_alternates() {
    let site = built();
    let xml = site.read("public/sitemap.xml");
    assert!(xml.starts_with("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\" xmlns:xhtml=\"http://www.w3.org/1999/xhtml\">\n"));
    assert_contains(
        &xml,
        &["  <url>\n    <loc>https://guide.example.org/practices/el/pilots/sarcelles/</loc>\n    <xhtml:link rel=\"alternate\" hreflang=\"en\" href=\"https://guide.example.org/practices/en/pilots/sarcelles/\"/>\n    <xhtml:link rel=\"alternate\" hreflang=\"el\" href=\"https://guide.example.org/practices/el/pilots/sarcelles/\"/>\n    <xhtml:link rel=\"alternate\" hreflang=\"x-default\" href=\"https://guide.example.org/practices/en/pilots/sarcelles/\"/>\n  </url>\n"],
    );
    assert!(
        !xml.contains("<loc>https://guide.example.org/practices/fr/pilots/sarcelles/</loc>"),
        "a fallback is not a page of its own"
    );
    assert_eq!(
        xml.matches("<loc>").count(),
        3 + 3 + 3 + 2 + 2 + 1,
        "homes, sections, avignon, malaga, sarcelles, orphan"
    );
}

#[test]
fn each_language_has_a_feed_newest_first() {
    let site = built();
    let xml = site.read("public/fr/atom.xml");
    let titles: Vec<&str> = xml.split("<title>").skip(1).filter_map(|t| t.split("</title>").next()).collect();
    assert_eq!(
        titles,
        [
            "Guide des pratiques : dernières pages",
            "Sarcelles",
            "Avignon : groupes de travail",
            "Málaga",
            "Une fiche sans original"
        ]
    );
    assert_contains(
        &xml,
        &[
            "<feed xmlns=\"http://www.w3.org/2005/Atom\" xml:lang=\"fr\">",
            "<link rel=\"alternate\" type=\"text/html\" href=\"https://guide.example.org/practices/fr/pilots/sarcelles/\" hreflang=\"en\"/>",
            "<updated>2018-03-01T00:00:00Z</updated>",
        ],
    );
    assert!(site
        .read("public/fr/index.html")
        .contains("<link rel=\"alternate\" type=\"application/atom+xml\" title=\"Flux Atom\" href=\"atom.xml\">"));
}

#[test]
fn the_language_chooser_works_without_javascript() {
    let site = built();
    let html = site.read("public/index.html");
    assert_contains(
        &html,
        &[
            "<li><a href=\"en/\" lang=\"en\" hreflang=\"en\">English</a> <span class=\"title\" lang=\"en\">Practice guide</span></li>",
            "<li><a href=\"fr/\" lang=\"fr\" hreflang=\"fr\">Français</a> <span class=\"title\" lang=\"fr\">Guide des pratiques</span></li>",
            "<li><a href=\"el/\" lang=\"el\" hreflang=\"el\">Ελληνικά</a> <span class=\"title\" lang=\"el\">Οδηγός πρακτικών</span></li>",
            // The redirect to the reader's language is a file of its own: no inline script.
            "<script src=\"js/languages.js\"></script>",
        ],
    );
}

#[test]
fn the_translation_status_report_in_text() {
    let site = TestSite::fixture("multilingual");
    let run = site.run(&["check", "--translations"]);
    assert_eq!(run.code, 0);
    assert_eq!(
        run.stdout,
        "en (English): 4 originals, 0 translated, 0 stale, 1 missing
  _index            original    content/_index.en.md            hash c90ab87d9d
  pilots/avignon    original    content/pilots/avignon.en.md    hash c91b7d229f
  pilots/malaga     original    content/pilots/malaga.en.md     hash 7b343024c9
  pilots/orphan     missing     -                               content/pilots/orphan.fr.md is shown
  pilots/sarcelles  original    content/pilots/sarcelles.en.md  hash bab4a07fcc
fr (Français): 1 original, 3 translated, 0 stale, 1 missing
  _index            translated  content/_index.fr.md
  pilots/avignon    translated  content/pilots/avignon.fr.md
  pilots/malaga     translated  content/pilots/malaga.fr.md
  pilots/orphan     original    content/pilots/orphan.fr.md     hash cf11618b86
  pilots/sarcelles  missing     -                               content/pilots/sarcelles.en.md is shown
el (Ελληνικά): 0 originals, 2 translated, 1 stale, 2 missing
  _index            translated  content/_index.el.md
  pilots/avignon    stale       content/pilots/avignon.el.md    translated from 0123456789, original now c91b7d229f
  pilots/malaga     missing     -                               content/pilots/malaga.en.md is shown
  pilots/orphan     missing     -                               content/pilots/orphan.fr.md is shown
  pilots/sarcelles  translated  content/pilots/sarcelles.el.md
"
    );
    assert_eq!(run.diagnostics(), WARNINGS);
}

#[test]
fn the_translation_status_report_in_json() {
    let site = TestSite::fixture("multilingual");
    let run = site.run(&["check", "--translations", "--format", "json"]);
    assert_eq!(run.code, 0);
    let lines: Vec<&str> = run.stdout.lines().collect();
    assert_eq!(lines.len(), 15 + WARNINGS.len(), "one object per page and language, then the warnings");
    assert_eq!(
        lines[9],
        r#"{"id":"pilots/sarcelles","lang":"fr","status":"missing","file":null,"original":"content/pilots/sarcelles.en.md","hash":"bab4a07fcc","translated_from":null}"#
    );
    assert_eq!(
        lines[11],
        r#"{"id":"pilots/avignon","lang":"el","status":"stale","file":"content/pilots/avignon.el.md","original":"content/pilots/avignon.en.md","hash":"c91b7d229f","translated_from":"0123456789"}"#
    );
}

#[test]
fn updating_translated_from_clears_the_stale_notice() {
    let site = TestSite::fixture("multilingual");
    let text = site.read("content/pilots/avignon.el.md").replace("0123456789", "c91b7d229f");
    site.write("content/pilots/avignon.el.md", text);
    let run = site.run(&["build"]);
    assert_eq!(run.diagnostics(), &WARNINGS[1..]);
    assert!(!site.read("public/el/pilots/avignon/index.html").contains("notice-stale"));
}

#[test]
fn a_key_used_by_a_template_must_exist_in_the_default_language() {
    let site = TestSite::fixture("multilingual");
    site.write("i18n/en.yaml", "other: \"x\"\n");
    let run = site.run(&["check"]);
    assert_no_panic(&run);
    assert_eq!(run.code, 1);
    assert_eq!(
        run.diagnostics().last().copied(),
        Some("themes/default/templates/section.html:4:21: error: template `section.html` uses interface string `pilot_intro`, which i18n/en.yaml does not define: add `pilot_intro: ...` there")
    );
    assert_eq!(run.summary(), "error: 1 error, 3 warnings; nothing was written");
}

/// Interface strings that load, yet would show readers something else than meant: each
/// is a warning at its line naming what is used instead and the mend. A misspelt key is
/// told once, in its own file, not as missing from the other languages.
#[test]
fn interface_string_mistakes_are_warnings_at_their_lines() {
    let site = TestSite::fixture("multilingual");
    site.write("i18n/en.yaml", "pilot_intro: \"One local practice per sheet.\"\nnxet: \"Next sheet\"\n");
    site.write(
        "i18n/fr.yaml",
        "search_results:\n  one: \"{cuont} résultat\"\n  other: \"{count} résultats\"\nprevious: \"Avant {page}\"\npilot_intrp: \"Une pratique\"\nskip_to_content:\n  one: \"Aller\"\n  other: \"Aller au contenu\"\n",
    );
    site.write("i18n/el.yaml", "pilot_intro: \"Μία πρακτική\"\n");
    let run = site.run(&["check"]);
    assert_no_panic(&run);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let i18n: Vec<&str> = run.diagnostics().into_iter().filter(|d| d.starts_with("i18n/")).collect();
    assert_eq!(
        i18n,
        [
            "i18n/en.yaml:2:1: warning: interface string `nxet` is not one of guidebook's and no template uses it, so nothing shows it (did you mean `next`?): rename it, or remove it",
            "i18n/fr.yaml:1:1: warning: interface string `pilot_intro` is missing in `fr`: the `en` text is used until you add it",
            "i18n/fr.yaml:2:8: warning: interface string `search_results` has placeholder `{cuont}`, which guidebook does not fill in, so readers would see it as written (the `en` string has `{count}`): did you mean `{count}`?",
            "i18n/fr.yaml:4:11: warning: interface string `previous` has placeholder `{page}`, which guidebook does not fill in, so readers would see it as written (the `en` string has none): remove it",
            "i18n/fr.yaml:5:1: warning: interface string `pilot_intrp` is not one of the `en` strings, so nothing shows it (did you mean `pilot_intro`?): rename it, or add it to i18n/en.yaml first",
            "i18n/fr.yaml:6:1: warning: interface string `skip_to_content` has plural forms, but the `en` string has no `{count}` to choose among them, so only `other` is ever shown: write it as one text, `skip_to_content: \"...\"`",
        ]
    );
}

/// An empty `other` form, and a key given twice (at the second one's line).
#[test]
fn an_empty_other_form_and_a_repeated_key_are_errors_at_their_lines() {
    let site = TestSite::fixture("multilingual");
    site.write("i18n/fr.yaml", "search_results:\n  one: \"{count} résultat\"\n  other: \"\"\n");
    site.write("i18n/el.yaml", "# Greek\nnext: \"Επόμενο\"\nprevious: \"Προηγούμενο\"\n\nnext: \"Μετά\"\n");
    let run = site.run(&["check"]);
    assert_no_panic(&run);
    assert_eq!(run.code, 1);
    let errors: Vec<&str> = run.diagnostics().into_iter().filter(|d| d.contains(": error: ")).collect();
    assert_eq!(
        errors,
        [
            "i18n/el.yaml:5:1: error: not valid YAML: duplicate entry with key \"next\" (given first at line 2: keep one of the two)",
            "i18n/fr.yaml:3:10: error: form `other` of interface string `search_results` is empty: it stands for every number without a form of its own, so readers would see nothing; write its text",
        ]
    );
}

#[test]
fn bad_interface_files_are_errors_with_lines() {
    let site = TestSite::fixture("multilingual");
    site.write("i18n/fr.yaml", "next: \"Suivant\"\nprevious: [a, b]\ncount: 3\n");
    site.write("i18n/el.yaml", "next: \"unclosed\n");
    let run = site.run(&["check"]);
    assert_no_panic(&run);
    assert_eq!(run.code, 1);
    let errors: Vec<&str> = run.diagnostics().into_iter().filter(|d| d.contains(": error: ")).collect();
    assert_eq!(
        errors,
        [
            "i18n/el.yaml:2:1: error: not valid YAML: found unexpected end of stream (a quote or a bracket is not closed)",
            "i18n/fr.yaml:2:11: error: interface string `previous` is a list; it must be text",
            "i18n/fr.yaml:3:8: error: interface string `count` is not text; it must be text (put it in quotes)",
        ]
    );
}

#[test]
fn unknown_language_codes_are_refused() {
    let site = TestSite::fixture("multilingual");
    let yaml = site.read("site.yaml").replace("languages: [en, fr, el]", "languages: [en, fr, el, gr, english]");
    site.write("site.yaml", yaml);
    let run = site.run(&["check"]);
    assert_eq!(run.code, 1);
    assert_eq!(
        run.diagnostics(),
        [
            "site.yaml:5:25: error: `gr` is not a known language code (ISO 639): use a code such as `en`, `fr`, `de`, `el` or `bg`",
            "site.yaml:5:29: error: `english` is not a language code: use an ISO 639 code such as `en`, `fr` or `pt-BR`",
        ]
    );
}

#[test]
fn a_hash_made_of_digits_may_be_written_without_quotes() {
    let site = TestSite::fixture("multilingual");
    // YAML reads an unquoted all-digit hash as a number; it is still the hash.
    let text = site.read("content/pilots/avignon.el.md").replace("0123456789", "1234567890");
    site.write("content/pilots/avignon.el.md", text);
    let run = site.run(&["check"]);
    assert_eq!(run.code, 0);
    assert!(run.diagnostics()[0].contains("has changed since `translated_from: 1234567890`"), "{}", run.stderr);
}

#[test]
fn charts_are_inline_svg_with_a_table_and_numbers_in_the_page_language() {
    let site = TestSite::fixture("multilingual");
    let chart = |title: &str| {
        format!(
            "```chart\ntitle: {title}\nunit: \" %\"\nmax: 100\ndata:\n  Islamist: 48.31\n  Right-wing: 24.58\n```\n"
        )
    };
    site.write("content/survey.en.md", format!("---\ntitle: Survey\n---\n\nText.\n\n{}", chart("Concerns")));
    site.write(
        "content/survey.fr.md",
        format!("---\ntitle: Enquête\ntranslated_from: 0000000000\n---\n\n{}", chart("Préoccupations")),
    );
    let run = site.run(&["build"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let en = site.read("public/en/survey/index.html");
    assert_contains(
        &en,
        &[
            "<figure class=\"chart\" id=\"chart-0\">",
            "<figcaption>Concerns</figcaption>",
            "role=\"img\" aria-labelledby=\"chart-0-title chart-0-desc\"",
            "<desc id=\"chart-0-desc\">Islamist: 48.31%; Right-wing: 24.58%</desc>",
            "<summary>The figures as a table</summary>",
            "<tr><th scope=\"row\">Right-wing</th><td>24.58%</td></tr>",
        ],
    );
    assert!(!en.contains("```") && !en.contains("<script src=\"http"));
    let fr = site.read("public/fr/survey/index.html");
    assert_contains(
        &fr,
        &["<figcaption>Préoccupations</figcaption>", "<td>48,31\u{a0}%</td>", "Les chiffres sous forme de tableau"],
    );
    // The same input gives the same bytes.
    let again = site.run(&["build"]);
    assert_eq!(again.code, 0);
    assert_eq!(site.read("public/en/survey/index.html"), en);
}

/// A translation shows its original's facts (references, terms, numbers, dates, choices),
/// so that its facts box and card agree with the facets and backlinks, which read the
/// original; where it writes one differently, the editor is told. Text and web addresses
/// are its own; an address it leaves out is the original's.
#[test]
fn a_translation_shows_its_originals_facts_and_is_warned_where_it_differs() {
    let site = TestSite::fixture("valid");
    site.write(
        "content/pilots/avignon.fr.md",
        "---\ntitle: \"Avignon : évaluation des risques\"\ncountry: countries/spain\nyear: 2020\nthemes: [training]\nsources: [\"Rapport\"]\n---\n\nTexte.\n",
    );
    let run = site.run(&["build"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let warned: Vec<&str> = run
        .diagnostics()
        .into_iter()
        .filter(|l| l.contains("translation-fact") || l.contains("original says"))
        .collect();
    let said = |field: &str, pos: &str| {
        format!(
            "content/pilots/avignon.fr.md:{pos}: warning: `{field}` is not what the original says \
             (content/pilots/avignon.en.md): a translation shows its original's facts (references, terms, numbers, \
             dates, choices) in every language; remove `{field}` from this file, or change it in the original"
        )
    };
    assert_eq!(warned, [said("country", "3:10"), said("year", "4:7"), said("themes", "5:9")]);
    let fr = site.read("public/fr/pilots/avignon/index.html");
    assert_contains(
        &fr,
        &[
            "<div class=\"fact fact-country\"><dt>Pays</dt><dd><a href=\"../../countries/france/\" lang=\"en\">France</a></dd></div>",
            "<div class=\"fact fact-year\"><dt>Year</dt><dd>2019</dd></div>",
            "<a href=\"../../themes/case-management/\">case management</a>",
            "<a href=\"https://example.org/avignon\">https://example.org/avignon</a>",
        ],
    );
    // Spain's page lists Avignon as a neighbour only (as the original says), not by country.
    let spain = site.read("public/fr/countries/spain/index.html");
    let by_country = spain.split("backlinks-pilot-country").nth(1).and_then(|s| s.split("</section>").next());
    assert!(by_country.is_some_and(|s| !s.contains("Avignon")), "{spain}");
    assert!(spain.contains("backlinks-pilot-neighbours\">\n<h2>Fiche pilote (Neighbours)</h2>\n<ul>\n<li><a href=\"../../pilots/avignon/\">"));
}

/// A mistyped reference in the original is one error, in the original: its translations,
/// which name the page meant, are not told to change.
#[test]
fn a_broken_reference_in_the_original_is_not_blamed_on_its_translations() {
    let site = TestSite::fixture("valid");
    let en =
        site.read("content/pilots/avignon.en.md").replace("country: countries/france", "country: countries/frnace");
    site.write("content/pilots/avignon.en.md", en);
    site.write(
        "content/pilots/avignon.fr.md",
        "---\ntitle: \"Avignon : évaluation des risques\"\ncountry: countries/france\n---\n\nTexte.\n",
    );
    let run = site.run(&["check"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    let about_avignon: Vec<&str> = run.diagnostics().into_iter().filter(|l| l.contains("avignon")).collect();
    assert_eq!(
        about_avignon,
        ["content/pilots/avignon.en.md:6:10: error: country `countries/frnace` does not exist (did you mean \
          `countries/france`?)"]
    );
}

/// What a translation may leave out or get wrong about its original's facts: a required fact
/// left out is the original's (no error); terms in another order are the same terms; a term
/// written by its name in the translation's language is explained; another kind is an error.
#[test]
fn a_translations_facts_left_out_reordered_translated_or_of_another_kind() {
    let site = TestSite::fixture("valid");
    let yaml = site.read("site.yaml").replace(
        "terms: [training, exit work, case management]",
        "terms: [{ en: training, fr: formation }, exit work, case management]",
    );
    site.write("site.yaml", yaml);
    site.write(
        "content/pilots/avignon.fr.md",
        "---\ntitle: \"Avignon : évaluation des risques\"\nthemes: [case management, training]\n---\n\nTexte.\n",
    );
    let run = site.run(&["build"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(!run.stderr.contains("avignon.fr.md"), "{}", run.stderr);
    let fr = site.read("public/fr/pilots/avignon/index.html");
    assert!(fr.contains("<dt>Pays</dt><dd><a href=\"../../countries/france/\" lang=\"en\">France</a></dd>"), "{fr}");

    site.write(
        "content/pilots/avignon.fr.md",
        "---\ntitle: \"Avignon\"\nkind: country\niso: FR\nthemes: [formation]\n---\n\nTexte.\n",
    );
    let run = site.run(&["check"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert_eq!(
        run.diagnostics(),
        [
            "content/pilots/avignon.fr.md:3:7: error: this translation is a `country`, but its original \
             (content/pilots/avignon.en.md) is a `pilot`: a translation has its original's kind; write `kind: pilot`, \
             or remove `kind:`",
            "content/pilots/avignon.fr.md:5:1: error: unknown field `themes` for a `country` page; fields of this \
             kind: title, summary, weight, draft, date, aliases, kind, translated_from, iso",
        ]
    );
    site.write("content/pilots/avignon.fr.md", "---\ntitle: \"Avignon\"\nthemes: [formation]\n---\n\nTexte.\n");
    let run = site.run(&["check"]);
    assert_eq!(
        run.diagnostics(),
        [
            "content/pilots/avignon.fr.md:3:9: warning: `themes` is not what the original says \
             (content/pilots/avignon.en.md): a translation shows its original's facts (references, terms, numbers, \
             dates, choices) in every language; remove `themes` from this file, or change it in the original",
            "content/pilots/avignon.fr.md:3:10: error: `formation` is the `fr` name of term `training` of taxonomy \
             `themes`: front matter names a term by its `en` name in every language; write `training`",
        ]
    );
}

/// An original outside the default language is still told of a required fact it leaves out.
#[test]
fn an_original_in_another_language_must_give_its_required_facts() {
    let site = TestSite::fixture("valid");
    site.write("content/pilots/lille.fr.md", "---\ntitle: \"Lille\"\n---\n\nTexte.\n");
    let run = site.run(&["check"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(
        run.diagnostics().contains(
            &"content/pilots/lille.fr.md:3:1: error: required field `country` is missing: add `country: ...` with the id of a `country` page"
        ),
        "{}",
        run.stderr
    );
}

/// An empty interface file changes no string (as one of comments only does); a file in
/// another encoding is named at the line and column of its first bad byte.
#[test]
fn an_empty_interface_file_changes_nothing_and_a_bad_byte_is_placed() {
    let site = TestSite::fixture("multilingual");
    site.write("i18n/fr.yaml", "\n");
    let run = site.run(&["check"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(!run.stderr.contains("empty"), "{}", run.stderr);
    site.write("i18n/fr.yaml", b"# French\nnext: \"Suivant\"\nprevious: \"Pr\xE9c\xE9dent\"\n");
    let run = site.run(&["check"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    let bad = run
        .diagnostics()
        .into_iter()
        .find(|d| d.starts_with("i18n/fr.yaml") && d.contains(": error: "))
        .unwrap_or_default()
        .to_string();
    assert_eq!(bad, "i18n/fr.yaml:3:14: error: file is not valid UTF-8: byte 0xE9 at byte offset 38 cannot be read; save the file with UTF-8 encoding");
}
