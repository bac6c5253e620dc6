//! The cross-linked knowledge base, on a two-language fixture: typed backlinks, mentions,
//! taxonomy pages, browse pages, related pages, glossary links, the print page, and the
//! exact messages for broken links and references.

mod support;

use support::{assert_no_panic, TestSite};

fn built() -> TestSite {
    let site = TestSite::fixture("knowledge");
    let run = site.run(&["build"]);
    assert_no_panic(&run);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(run.diagnostics(), Vec::<&str>::new());
    site
}

fn assert_contains(html: &str, needles: &[&str]) {
    for needle in needles {
        assert!(html.contains(needle), "missing {needle:?} in\n{html}");
    }
}

/// The section of `html` starting at `start`, up to the next `end`.
fn between<'a>(html: &'a str, start: &str, end: &str) -> &'a str {
    let from = html.find(start).unwrap_or_else(|| panic!("{start:?} not found in\n{html}"));
    let rest = &html[from..];
    &rest[..rest.find(end).map_or(rest.len(), |i| i + end.len())]
}

#[test]
fn typed_backlinks_are_labelled_by_field_in_each_language() {
    let site = built();
    let en = site.read("public/en/countries/france/index.html");
    assert_eq!(
        between(&en, "<section class=\"backlinks", "</section>"),
        "<section class=\"backlinks backlinks-pilot-country\">\n<h2>Pilots in this country</h2>\n<ul>\n<li><a href=\"../../pilots/avignon/\">Avignon</a></li>\n<li><a href=\"../../pilots/sarcelles/\">Sarcelles</a></li>\n</ul>\n</section>"
    );
    let fr = site.read("public/fr/countries/france/index.html");
    assert_eq!(
        between(&fr, "<section class=\"backlinks", "</section>"),
        "<section class=\"backlinks backlinks-pilot-country\">\n<h2>Projets pilotes dans ce pays</h2>\n<ul>\n<li><a href=\"../../pilots/avignon/\">Avignon (FR)</a></li>\n<li><a href=\"../../pilots/sarcelles/\" lang=\"en\">Sarcelles</a></li>\n</ul>\n</section>"
    );
    // The label comes from the site's interface strings when they give one.
    assert_contains(
        &site.read("public/en/recommendations/training/index.html"),
        &["<h2>Pilots that illustrate this recommendation</h2>"],
    );
    assert_contains(
        &site.read("public/fr/recommendations/training/index.html"),
        &["<h2>Projets pilotes qui illustrent cette recommandation</h2>"],
    );
    assert_contains(&site.read("public/en/organisations/face/index.html"), &["<h2>Pilots it took part in</h2>"]);
    // Without a label anywhere: the kind and the field.
    assert_contains(
        &site.read("public/en/organisations/network/index.html"),
        &["<h2>Organisation (Part of)</h2>\n<ul>\n<li><a href=\"../face/\">FACE</a></li>"],
    );
}

#[test]
fn links_in_the_text_make_a_separate_mentioned_in_list() {
    let site = built();
    let sarcelles = site.read("public/en/pilots/sarcelles/index.html");
    assert_contains(&sarcelles, &["<section class=\"mentions\">\n<h2>Mentioned in</h2>\n<ul>\n<li><a href=\"../../recommendations/training/\">Training, and again, training</a></li>"]);
    // Avignon is mentioned by the home page, which mentions every part of the site, and by
    // the recommendation its facts box already links: it has no "Mentioned in" list.
    let avignon = site.read("public/en/pilots/avignon/index.html");
    assert!(site.read("public/en/recommendations/training/index.html").contains("href=\"../../pilots/avignon/\""));
    assert!(!avignon.contains("<section class=\"mentions\">"), "{avignon}");
    // A page listed under a typed backlink is not listed again as a mention.
    let spain = site.read("public/en/countries/spain/index.html");
    assert_contains(
        &spain,
        &[
            "<h2>Pilots in this country</h2>\n<ul>\n<li><a href=\"../../pilots/malaga/\">Málaga</a></li>",
            "<h2>Mentioned in</h2>\n<ul>\n<li><a href=\"../../pilots/avignon/\">Avignon</a></li>",
        ],
    );
}

#[test]
fn taxonomies_have_an_index_and_a_page_per_term_in_each_language() {
    let site = built();
    assert_eq!(
        between(&site.read("public/fr/themes/index.html"), "<ul class=\"terms\">", "</ul>"),
        "<ul class=\"terms\">\n<li><a href=\"training/\">formation</a> <span class=\"count\">(2)</span></li>\n<li><a href=\"risk-assessment/\">évaluation des risques</a> <span class=\"count\">(1)</span></li>\n<li><a href=\"exit-work/\">accompagnement à la sortie</a> <span class=\"count\">(1)</span></li>\n</ul>"
    );
    let term = site.read("public/en/themes/training/index.html");
    assert_contains(
        &term,
        &[
            "<h1>training</h1>",
            "<a href=\"../../pilots/avignon/\">Avignon</a>",
            "<a href=\"../../pilots/sarcelles/\">Sarcelles</a>",
        ],
    );
    assert!(!term.contains("Málaga"));
    let avignon = site.read("public/fr/pilots/avignon/index.html");
    assert_contains(&avignon, &["<dt>Thèmes</dt><dd><a href=\"../../themes/training/\">formation</a>, <a href=\"../../themes/risk-assessment/\">évaluation des risques</a></dd>"]);
}

#[test]
fn browse_pages_work_without_javascript() {
    let site = built();
    let section = site.read("public/en/pilots/index.html");
    assert_contains(
        &section,
        &[
            "<section class=\"facet\" data-facet=\"country\">\n<h2>Country</h2>\n<ul>\n<li><a href=\"country/france/\" data-value=\"country:france\">France</a> <span class=\"count\">2</span></li>\n<li><a href=\"country/spain/\" data-value=\"country:spain\">Spain</a> <span class=\"count\">1</span></li>\n</ul>",
            "<li><a href=\"themes/training/\" data-value=\"themes:training\">training</a> <span class=\"count\">2</span></li>",
            "<li class=\"card\" data-facets=\"country:france themes:training themes:risk-assessment\">",
            "<script src=\"../../js/browse.js\"></script>",
        ],
    );
    let france = site.read("public/en/pilots/country/france/index.html");
    assert_contains(
        &france,
        &[
            "<title>Country: France · Pilots · Knowledge base</title>",
            "<li><a href=\"./\" data-value=\"country:france\" aria-current=\"page\">France</a>",
            "<p class=\"facets-all\"><a href=\"../../\">All pages</a></p>",
            "<h2><a href=\"../../avignon/\">Avignon</a></h2>",
            "<h2><a href=\"../../sarcelles/\">Sarcelles</a></h2>",
        ],
    );
    assert!(!france.contains("Málaga</a></h2>"));
    assert_contains(
        &site.read("public/fr/pilots/themes/training/index.html"),
        &["<title>Thèmes : formation · Projets pilotes · Base de connaissances</title>"],
    );
}

#[test]
fn related_pages_share_references_and_terms() {
    let site = built();
    let avignon = site.read("public/en/pilots/avignon/index.html");
    assert_eq!(
        between(&avignon, "<section class=\"related\">", "</section>"),
        "<section class=\"related\">\n<h2>Related pages</h2>\n<ul>\n<li><a href=\"../sarcelles/\">Sarcelles</a></li>\n</ul>\n</section>"
    );
    assert!(
        !site.read("public/en/pilots/malaga/index.html").contains("class=\"related\""),
        "nothing in common, nothing listed"
    );
}

#[test]
fn glossary_terms_are_linked_on_first_mention_only() {
    let site = built();
    let avignon = site.read("public/en/pilots/avignon/index.html");
    assert_contains(
        &avignon,
        &[
            "<p>Work on <a class=\"glossary-link\" href=\"../../glossary/deradicalisation/\" title=\"A change in beliefs.\">deradicalisation</a> and on de-radicalisation again; deradicalisation is hard.\nThe <a class=\"glossary-link\" href=\"../../glossary/psp/\"><abbr title=\"PSP: two meanings\">PSP</abbr></a> met twice, and PSP members agreed. An <a class=\"glossary-link\" href=\"../../glossary/ftf/\"><abbr title=\"Foreign terrorist fighter\">FTF</abbr></a> came home.</p>",
            "<p><code>deradicalisation</code> in code is never linked.</p>",
        ],
    );
    assert_eq!(avignon.matches("glossary-link").count(), 3);
    // In French, the French term.
    assert_contains(&site.read("public/fr/pilots/avignon/index.html"), &["<a class=\"glossary-link\" href=\"../../glossary/deradicalisation/\" title=\"Un changement de convictions.\">déradicalisation</a>"]);
    // A glossary page does not link to itself; kinds without glossary_links are left alone.
    assert!(!site.read("public/en/glossary/deradicalisation/index.html").contains("glossary-link"));
    assert!(!site.read("public/en/glossary/psp/index.html").contains("glossary-link"));
}

#[test]
fn links_of_every_form_are_rewritten_to_relative_urls() {
    let site = built();
    let avignon = site.read("public/en/pilots/avignon/index.html");
    assert_contains(
        &avignon,
        &["<p>See <a href=\"../../countries/spain/\">Spain</a>, <a href=\"../../countries/france/#institutions\">the institutions</a>,\n<a href=\"#results\">the results</a> and <a href=\"../../../files/report.pdf\">the report</a>.</p>"],
    );
    assert!(site.exists("public/files/report.pdf"));
}

#[test]
fn the_print_page_holds_the_whole_guidebook_in_order() {
    let site = built();
    let html = site.read("public/en/print/index.html");
    let contents = between(&html, "<nav class=\"print-contents\"", "</nav>");
    let entries: Vec<&str> =
        contents.split("<span class=\"number\">").skip(1).filter_map(|e| e.split("</span>").next()).collect();
    assert_eq!(
        entries,
        [
            "1", "1.1", "1.2", "2", "2.1", "2.2", "2.3", "3", "3.1", "4", "4.1", "4.2", "5", "5.1", "5.2", "5.3",
            "5.4", "5.5"
        ]
    );
    assert_contains(
        contents,
        &["<li class=\"level-1\"><a href=\"#part-pilots\"><span class=\"number\">2</span> <span>Pilots</span></a></li>\n<li class=\"level-2\"><a href=\"#p-pilots-avignon\"><span class=\"number\">2.1</span> <span>Avignon</span></a></li>"],
    );
    // Every page is there once, with its anchor; inner links point inside the page.
    for anchor in [
        "part-countries",
        "p-countries-france",
        "p-pilots-avignon",
        "p-recommendations-training",
        "p-glossary-psp-partnership",
    ] {
        assert_eq!(html.matches(&format!(" id=\"{anchor}\"")).count(), 1, "{anchor}");
    }
    assert_contains(
        &html,
        &[
            "<h2 id=\"p-pilots-avignon--results\">Results</h2>",
            "<p>See <a href=\"#p-countries-spain\">Spain</a>, <a href=\"#p-countries-france--institutions\">the institutions</a>,\n<a href=\"#p-pilots-avignon--results\">the results</a> and <a href=\"../../files/report.pdf\">the report</a>.</p>",
            "<dt>Country</dt><dd><a href=\"#p-countries-france\">France</a></dd>",
            "<h2 id=\"p-countries-france--institutions\">Institutions</h2>",
            "<link rel=\"stylesheet\" href=\"../../css/print.css\">",
        ],
    );
    for href in html.split("href=\"#").skip(1).filter_map(|h| h.split('"').next()) {
        assert!(html.contains(&format!(" id=\"{href}\"")), "link to #{href} leads nowhere in the print page");
    }
}

#[test]
fn pages_read_in_guidebook_order() {
    let site = built();
    let malaga = site.read("public/en/pilots/malaga/index.html");
    assert_contains(
        &malaga,
        &[
            "<a class=\"prev\" rel=\"prev\" href=\"../sarcelles/\"><span>Previous</span> <span class=\"title\">Sarcelles</span></a>",
            "<a class=\"next\" rel=\"next\" href=\"../../recommendations/\"><span>Next</span> <span class=\"title\">Recommendations</span></a>",
        ],
    );
}

fn check_with(edit: impl FnOnce(&TestSite)) -> (i32, Vec<String>) {
    let site = TestSite::fixture("knowledge");
    edit(&site);
    let run = site.run(&["check"]);
    assert_no_panic(&run);
    (run.code, run.diagnostics().iter().map(|s| s.to_string()).collect())
}

/// `check` on the fixture with `extra` lines of site.yaml written after the line `after`.
fn check_with_yaml(after: &str, extra: &str) -> (i32, Vec<String>) {
    check_with(|site| {
        let yaml = site.read("site.yaml");
        assert!(yaml.contains(after), "{after}");
        site.write("site.yaml", yaml.replace(after, &format!("{after}\n{extra}")));
    })
}

#[test]
fn broken_links_are_reported_with_position_and_hint() {
    let (code, diags) = check_with(|site| {
        site.write(
            "content/recommendations/training.en.md",
            "---\ntitle: Training\n---\n\n## Results\n\nSee [a](/files/reprot.pdf), [b](#resluts), [c](../countries/italy.en.md),\n[d](@/pilots/avignon.md#resluts) and [e](notes.pdf).\n",
        );
    });
    assert_eq!(code, 1);
    assert_eq!(
        diags,
        [
            "content/recommendations/training.en.md:7:5: error: `/files/reprot.pdf` links to static/files/reprot.pdf, which does not exist (did you mean `/files/report.pdf`?)",
            "content/recommendations/training.en.md:7:29: error: heading anchor `#resluts` not found on this page (did you mean `#results`?)",
            "content/recommendations/training.en.md:7:44: error: linked page `countries/italy` does not exist",
            "content/recommendations/training.en.md:8:1: error: heading anchor `#resluts` not found in `pilots/avignon` (did you mean `#results`?)",
            "content/recommendations/training.en.md:8:38: error: `notes.pdf` links to content/recommendations/notes.pdf, which does not exist",
        ]
    );
}

#[test]
fn an_anchor_missing_only_in_a_translation_is_a_warning_naming_both_files() {
    let (code, diags) = check_with(|site| {
        site.write(
            "content/countries/france.fr.md",
            "---\ntitle: France\niso: FR\n---\n\n## Institutions françaises\n",
        );
        site.write(
            "content/recommendations/training.fr.md",
            "---\ntitle: Formation\n---\n\nVoir [les institutions](@/countries/france.md#institutions).\n",
        );
    });
    assert_eq!(code, 0);
    assert_eq!(
        diags,
        ["content/recommendations/training.fr.md:5:6: warning: heading anchor `#institutions` exists in content/countries/france.en.md but not in its translation content/countries/france.fr.md: give the translated heading `{#institutions}`"]
    );
}

#[test]
fn acronym_clashes_are_reported_not_guessed() {
    let site = TestSite::fixture("knowledge");
    site.remove("content/glossary/psp.en.md");
    let run = site.run(&["build"]);
    assert_eq!(run.code, 0);
    assert_eq!(
        run.diagnostics(),
        [
            "content/glossary/psp-partnership.en.md:3:10: warning: acronym `PSP` also stands for `glossary/psp-police`: it is not linked automatically; add a glossary page with `acronym: PSP` and `disambiguation:` listing the meanings",
            "content/glossary/psp-police.en.md:3:10: warning: acronym `PSP` also stands for `glossary/psp-partnership`: it is not linked automatically; add a glossary page with `acronym: PSP` and `disambiguation:` listing the meanings",
        ]
    );
    let avignon = site.read("public/en/pilots/avignon/index.html");
    assert!(avignon.contains("The PSP met twice"), "the clashing acronym is left as text");
}

#[test]
fn parent_chains_may_not_loop() {
    let (code, diags) = check_with(|site| {
        site.write(
            "content/organisations/network.en.md",
            "---\ntitle: A network of foundations\nparent: organisations/face\n---\n",
        );
    });
    assert_eq!(code, 1);
    assert_eq!(
        diags,
        [
            "content/organisations/face.en.md:3:9: error: `parent` goes round in a circle: organisations/face → organisations/network → organisations/face; one of these pages must point elsewhere",
            "content/organisations/network.en.md:3:9: error: `parent` goes round in a circle: organisations/network → organisations/face → organisations/network; one of these pages must point elsewhere",
        ]
    );
}

#[test]
fn facets_must_be_fields_and_keep_their_addresses() {
    let (code, diags) = check_with(|site| {
        let yaml = site.read("site.yaml").replace("facets: [country, themes]", "facets: [country, themes, cuntry]");
        site.write("site.yaml", yaml);
    });
    assert_eq!(code, 1);
    assert_eq!(
        diags,
        ["site.yaml:9:31: error: facet `cuntry` is not a field of kind `pilot` (did you mean `country`?)"]
    );
    let (code, diags) = check_with(|site| {
        site.write("content/pilots/themes.en.md", "---\ntitle: Themes\ncountry: countries/france\n---\n");
    });
    assert_eq!(code, 1);
    assert_eq!(diags, ["content/pilots/themes.en.md:1:1: error: page `pilots/themes` would have the address of the `themes` filter pages of its section: rename the file"]);
}

#[test]
fn every_section_is_published_as_open_data_in_each_language() {
    let site = built();
    let json: serde_json::Value = serde_json::from_str(&site.read("public/fr/pilots/pilots.json")).expect("JSON");
    assert_eq!(
        (&json["language"], &json["section"], &json["title"], &json["kind"]),
        (&"fr".into(), &"pilots".into(), &"Projets pilotes".into(), &"pilot".into())
    );
    assert_eq!(json["fields"][0], serde_json::json!({ "name": "country", "label": "Pays", "type": "reference" }));
    let pages = json["pages"].as_array().expect("pages");
    let ids: Vec<&str> = pages.iter().filter_map(|p| p["id"].as_str()).collect();
    assert_eq!(ids, ["pilots/avignon", "pilots/sarcelles", "pilots/malaga"]);
    // References as ids and URLs, terms by their names in the file's language, the
    // translation status of what a reader of the language gets.
    assert_eq!(
        pages[0],
        serde_json::json!({
            "id": "pilots/avignon",
            "url": "avignon/",
            "title": "Avignon (FR)",
            "summary": "Un travail de déradicalisation.",
            "language": "fr",
            "translation": "translation",
            "date": null,
            "fields": {
                "country": { "id": "countries/france", "url": "../countries/france/", "title": "France" },
                "partners": [{ "id": "organisations/face", "url": "../organisations/face/", "title": "FACE" }],
                "recommendations": [{
                    "id": "recommendations/training",
                    "url": "../recommendations/training/",
                    "title": "La formation, encore la formation"
                }],
                "themes": ["formation", "évaluation des risques"]
            }
        })
    );
    assert_eq!((&pages[2]["language"], &pages[2]["translation"]), (&"en".into(), &"not translated".into()));
    assert_eq!(pages[2]["fields"]["recommendations"], serde_json::Value::Null);

    // The CSV has the same rows, read by a CSV parser; it starts with a byte-order mark.
    let csv_text = site.read("public/fr/pilots/pilots.csv");
    let body = csv_text.strip_prefix('\u{feff}').expect("byte-order mark");
    let mut reader = csv::Reader::from_reader(body.as_bytes());
    let header: Vec<String> = reader.headers().expect("header").iter().map(str::to_string).collect();
    assert_eq!(
        header,
        [
            "id",
            "page_url",
            "title",
            "summary",
            "language",
            "translation",
            "date",
            "country",
            "country_url",
            "partners",
            "partners_url",
            "recommendations",
            "recommendations_url",
            "themes"
        ]
    );
    let rows: Vec<csv::StringRecord> = reader.records().collect::<Result<_, _>>().expect("rows");
    assert_eq!(rows.iter().map(|r| &r[0]).collect::<Vec<_>>(), ids);
    assert_eq!(
        rows[0].iter().skip(7).collect::<Vec<_>>(),
        [
            "countries/france",
            "../countries/france/",
            "organisations/face",
            "../organisations/face/",
            "recommendations/training",
            "../recommendations/training/",
            "formation\névaluation des risques"
        ]
    );

    // Hidden fields are data: in the files, not on the page.
    let countries: serde_json::Value =
        serde_json::from_str(&site.read("public/en/countries/countries.json")).expect("JSON");
    assert_eq!(countries["pages"][0]["fields"]["iso"], "FR");
    assert!(!site.read("public/en/countries/france/index.html").contains("ISO code"));

    // A facet value named by a page not yet translated is marked as in its language.
    assert_contains(
        &site.read("public/fr/pilots/index.html"),
        &["<li><a href=\"country/spain/\" data-value=\"country:spain\" lang=\"en\">Spain</a>"],
    );
    // Each section page links its files, in the reader's language.
    assert_contains(
        &site.read("public/fr/pilots/index.html"),
        &["<p class=\"open-data\">Toutes les pages de cette rubrique en données ouvertes\u{a0}: <a href=\"pilots.json\" type=\"application/json\">JSON</a> · <a href=\"pilots.csv\" type=\"text/csv\">CSV</a></p>"],
    );
    assert_contains(
        &site.read("public/en/pilots/country/france/index.html"),
        &["<a href=\"../../pilots.json\" type=\"application/json\">JSON</a>"],
    );
    for lang in ["en", "fr"] {
        for section in ["countries", "pilots", "recommendations", "organisations", "glossary"] {
            for ext in ["json", "csv"] {
                assert!(site.exists(&format!("public/{lang}/{section}/{section}.{ext}")), "{lang}/{section}.{ext}");
            }
        }
    }
}

#[test]
fn hidden_fields_cannot_be_shown_on_cards_or_filtered_by() {
    let (code, diags) = check_with(|site| {
        let yaml = site.read("site.yaml");
        let yaml = yaml.replace(
            "  country:\n    label: { en: Country, fr: Pays }\n",
            "  country:\n    label: { en: Country, fr: Pays }\n    card: [iso]\n",
        );
        let yaml = yaml.replace(
            "      themes: { type: taxonomy, taxonomy: themes, label: { en: Themes, fr: Thèmes } }",
            "      themes: { type: taxonomy, taxonomy: themes, hidden: true, label: { en: Themes, fr: Thèmes } }",
        );
        site.write("site.yaml", yaml);
    });
    assert_eq!(code, 1);
    assert_eq!(
        diags,
        [
            "site.yaml:9:23: error: facet `themes` is a field hidden from readers: remove it from `facets:` or its `hidden: true`",
            "site.yaml:16:12: error: `card:` names field `iso`, which is hidden from readers: remove it from `card:` or its `hidden: true`",
        ]
    );
}

#[test]
fn a_hidden_field_gives_no_backlinks_term_pages_or_search_filters() {
    let site = TestSite::fixture("knowledge");
    let yaml = site.read("site.yaml");
    let yaml = yaml.replace("    facets: [country, themes]\n", "    facets: [country]\n");
    let yaml = yaml.replace(
        "        kind: organisation\n        label: { en: Partners,",
        "        kind: organisation\n        hidden: true\n        label: { en: Partners,",
    );
    let yaml = yaml.replace(
        "      themes: { type: taxonomy, taxonomy: themes, label: { en: Themes, fr: Thèmes } }",
        "      themes: { type: taxonomy, taxonomy: themes, hidden: true, label: { en: Themes, fr: Thèmes } }",
    );
    site.write("site.yaml", yaml);
    // FACE is named in Avignon's hidden `partners` and in its text: the text link is a mention.
    site.write(
        "content/pilots/avignon.en.md",
        site.read("content/pilots/avignon.en.md")
            .replace("An FTF came home.", "An FTF came home. [FACE](@/organisations/face.md) helped."),
    );
    let run = site.run(&["build"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let face = site.read("public/en/organisations/face/index.html");
    assert!(!face.contains("Pilots it took part in"), "{face}");
    assert_contains(&face, &["<h2>Mentioned in</h2>\n<ul>\n<li><a href=\"../../pilots/avignon/\">Avignon</a></li>"]);
    let avignon = site.read("public/en/pilots/avignon/index.html");
    assert!(!avignon.contains("Partners") && !avignon.contains("<dt>Themes</dt>"), "{avignon}");
    // Only a hidden field uses the taxonomy: it has no pages.
    assert!(!site.exists("public/en/themes/index.html") && !site.exists("public/en/themes/training/index.html"));
    let search = site.run(&["search", "--json", "deradicalisation"]);
    assert!(!search.stdout.contains("\"themes\""), "{}", search.stdout);
}

#[test]
fn fields_may_not_take_the_names_of_the_open_data_columns() {
    let (code, diags) = check_with_yaml(
        "      themes: { type: taxonomy, taxonomy: themes, label: { en: Themes, fr: Thèmes } }",
        "      id: { type: string }\n      country_url: { type: url }",
    );
    assert_eq!(code, 1);
    assert_eq!(
        diags,
        [
            "site.yaml:37:7: error: field `id` would share its name with a column of the open data (`id`, `page_url`, `language` or `translation`): rename it",
            "site.yaml:38:7: error: field `country_url` would share its name with the column of `country`'s addresses in the open data: rename it",
        ]
    );
}

#[test]
fn enum_values_are_named_in_each_language_and_written_by_their_default_name() {
    let site = TestSite::fixture("knowledge");
    let yaml = site.read("site.yaml").replace(
        "      themes: { type: taxonomy, taxonomy: themes, label: { en: Themes, fr: Thèmes } }",
        "      themes: { type: taxonomy, taxonomy: themes, label: { en: Themes, fr: Thèmes } }\n      status: { type: enum, values: [{ en: ongoing, fr: en cours }, finished_early], label: { en: Status, fr: État } }",
    );
    site.write("site.yaml", yaml);
    let avignon = site.read("content/pilots/avignon.en.md").replace("weight: 1\n", "weight: 1\nstatus: ongoing\n");
    site.write("content/pilots/avignon.en.md", avignon);
    let malaga =
        site.read("content/pilots/malaga.en.md").replace("title: Málaga\n", "title: Málaga\nstatus: finished_early\n");
    site.write("content/pilots/malaga.en.md", malaga);
    let run = site.run(&["build"]);
    assert_eq!((run.code, run.diagnostics()), (0, Vec::<&str>::new()), "{}", run.stderr);
    assert_contains(&site.read("public/en/pilots/avignon/index.html"), &["<dt>Status</dt><dd>ongoing</dd>"]);
    assert_contains(&site.read("public/fr/pilots/avignon/index.html"), &["<dt>État</dt><dd>en cours</dd>"]);
    // A value without names is shown with `_` as spaces.
    assert_contains(&site.read("public/fr/pilots/malaga/index.html"), &["<dd>finished early</dd>"]);
    let json: serde_json::Value = serde_json::from_str(&site.read("public/fr/pilots/pilots.json")).expect("JSON");
    assert_eq!(json["pages"][0]["fields"]["status"], "en cours");

    // Front matter writes the default language's name; the French one is explained.
    let fr = site
        .read("content/pilots/avignon.fr.md")
        .replace("title: Avignon (FR)\n", "title: Avignon (FR)\nstatus: en cours\n");
    site.write("content/pilots/avignon.fr.md", fr);
    let run = site.run(&["check"]);
    assert_eq!(
        run.diagnostics(),
        ["content/pilots/avignon.fr.md:3:9: error: `en cours` is not an allowed value of `status` (`en cours` is its `fr` name for `ongoing`: write `ongoing` in every language); allowed: `ongoing` or `finished_early`"]
    );
}

#[test]
fn a_term_or_value_without_letters_or_digits_is_refused_at_its_line() {
    let (code, diags) = check_with_yaml("      - { en: exit work, fr: accompagnement à la sortie }", "      - '***'");
    assert_eq!(code, 1);
    assert_eq!(
        diags,
        ["site.yaml:60:10: error: term `***` of taxonomy `themes` has no letter or digit, so it can have no address: name it with words"]
    );
}

#[test]
fn terms_must_be_text_and_distinct_in_every_language() {
    let (code, diags) = check_with(|site| {
        let yaml = site.read("site.yaml").replace(
            "      - { en: exit work, fr: accompagnement à la sortie }",
            "      - { en: exit work, fr: formation }\n      - 2019",
        );
        site.write("site.yaml", yaml);
    });
    assert_eq!(code, 1);
    assert_eq!(
        diags,
        [
            "site.yaml:59:15: error: terms `training` and `exit work` of taxonomy `themes` have the same `fr` name `formation`: readers could not tell them apart; rename one",
            "site.yaml:60:9: error: each term of taxonomy `themes` is a name, but `2019` is not text: write it in quotes: `\"2019\"`",
        ]
    );
}

#[test]
fn a_reference_may_not_give_its_addresses_the_page_url_column() {
    let (code, diags) = check_with_yaml(
        "      themes: { type: taxonomy, taxonomy: themes, label: { en: Themes, fr: Thèmes } }",
        "      page: { type: ref, kind: country }",
    );
    assert_eq!(code, 1);
    assert_eq!(
        diags,
        ["site.yaml:37:7: error: reference field `page` would give its addresses the column `page_url` of the open data, which holds each page's own address: rename it"]
    );
}
