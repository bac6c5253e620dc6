//! The reader's way around: the main menu and the footer's links from `site.yaml`, the
//! language switcher, the cards' meta line, and dates and percentages in each language's
//! conventions; and the mistakes an editor can make in `menu:`, `footer:`, `card:` and
//! `locale:`, with the exact messages.

mod support;

use support::TestSite;

const SITE_YAML: &str = r#"title:
  en: Practice guide
  fr: Guide des pratiques
  el: Οδηγός πρακτικών
languages: [en, fr, el]
sections:
  pilots:
    title: { en: Pilots, fr: Projets pilotes, el: Πιλοτικά έργα }
    kind: pilot
  countries:
    title: { en: Countries, fr: Pays, el: Χώρες }
    kind: country
    weight: 5
kinds:
  country: {}
  pilot:
    card: [number, country, city]
    fields:
      number: { type: string }
      country: { type: ref, kind: country }
      city: { type: string, label: { en: City, fr: Ville, el: Πόλη } }
menu:
  - section: pilots
    label: { en: Pilots, fr: Pilotes }
  - section: countries
  - label: { en: About, fr: À propos, el: Σχετικά }
    pages:
      - page: about
footer:
  - page: guide
    label: { en: Guide, fr: Guide, el: Οδηγός }
"#;

/// The multilingual fixture (en, fr, el) with a menu, a footer, a country, cards with a
/// meta line, a root page with a percentage chart (en, fr) and one in English only.
fn site() -> TestSite {
    let site = TestSite::fixture("multilingual");
    std::fs::remove_dir_all(site.path("themes")).expect("the fixture's own theme");
    site.write("site.yaml", SITE_YAML);
    site.write("content/countries/france.en.md", "---\ntitle: France\n---\n\nFrance.\n");
    site.write("content/countries/france.el.md", "---\ntitle: Γαλλία\n---\n\nΓαλλία.\n");
    let chart = |title: &str| format!("```chart\ntitle: {title}\nunit: \"%\"\ndata:\n  A: 48.31\n```\n");
    site.write("content/about.en.md", format!("---\ntitle: About the guide\n---\n\nAbout.\n\n{}", chart("Share")));
    site.write("content/about.fr.md", format!("---\ntitle: À propos du guide\n---\n\nÀ propos.\n\n{}", chart("Part")));
    site.write("content/guide.en.md", "---\ntitle: Editors' guide\n---\n\nGuide.\n");
    for lang in ["en", "fr", "el"] {
        let file = format!("content/pilots/avignon.{lang}.md");
        let text = site.read(&file).replacen("---\n", "---\nnumber: \"2.1\"\ncountry: countries/france\n", 1);
        site.write(&file, text);
    }
    site
}

/// The lines of `html` from the one that contains `start` to the first after it that
/// contains `end`.
fn lines_between(html: &str, start: &str, end: &str) -> String {
    let lines: Vec<&str> = html.lines().collect();
    let from = lines.iter().position(|l| l.contains(start)).unwrap_or_else(|| panic!("no `{start}` in {html}"));
    let to = from + lines[from..].iter().position(|l| l.contains(end)).expect("end");
    lines[from..=to].join("\n")
}

fn built() -> TestSite {
    let site = site();
    let run = site.run(&["build"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    site
}

#[test]
fn the_menu_and_the_footer_come_from_site_yaml_with_labels_per_language() {
    let site = built();
    let el = site.read("public/el/pilots/index.html");
    assert_eq!(
        lines_between(&el, "<nav class=\"site-nav\"", "</nav>"),
        "<nav class=\"site-nav\" aria-label=\"Ενότητες\">
<ul>
<li><a href=\"./\" lang=\"en\" aria-current=\"true\">Pilots</a></li>
<li><a href=\"../countries/\">Χώρες</a></li>
<li class=\"nav-group\"><details><summary>Σχετικά</summary>
<ul>
<li><a href=\"../about/\" lang=\"en\">About the guide</a></li>
</ul>
</details></li>
</ul>
</nav>"
    );
    let fr = site.read("public/fr/index.html");
    assert_eq!(
        lines_between(&fr, "<nav class=\"site-nav\"", "</nav>"),
        "<nav class=\"site-nav\" aria-label=\"Rubriques\">
<ul>
<li><a href=\"pilots/\">Pilotes</a></li>
<li><a href=\"countries/\">Pays</a></li>
<li class=\"nav-group\"><details><summary>À propos</summary>
<ul>
<li><a href=\"about/\">À propos du guide</a></li>
</ul>
</details></li>
</ul>
</nav>"
    );
    assert_eq!(
        lines_between(&fr, "<ul class=\"footer-links\">", "</ul>"),
        "<ul class=\"footer-links\">\n<li><a href=\"guide/\">Guide</a></li>\n</ul>"
    );
}

#[test]
fn without_a_menu_the_sections_come_first_and_root_pages_go_under_about() {
    let site = site();
    let yaml = SITE_YAML.split("menu:").next().unwrap_or_default().to_string() + "footer:\n  - page: guide\n";
    site.write("site.yaml", yaml);
    let run = site.run(&["build"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let en = site.read("public/en/index.html");
    assert_eq!(
        lines_between(&en, "<nav class=\"site-nav\"", "</nav>"),
        "<nav class=\"site-nav\" aria-label=\"Sections\">
<ul>
<li><a href=\"pilots/\">Pilots</a></li>
<li><a href=\"countries/\">Countries</a></li>
<li class=\"nav-group\"><details><summary>About</summary>
<ul>
<li><a href=\"about/\">About the guide</a></li>
</ul>
</details></li>
</ul>
</nav>"
    );
    assert_eq!(
        lines_between(&en, "<ul class=\"footer-links\">", "</ul>"),
        "<ul class=\"footer-links\">\n<li><a href=\"guide/\">Editors&#39; guide</a></li>\n</ul>"
    );
}

#[test]
fn the_switcher_offers_every_language_and_marks_those_without_a_translation() {
    let site = built();
    let el = site.read("public/el/about/index.html");
    assert_eq!(
        lines_between(&el, "<nav class=\"languages\"", "</nav>"),
        "<nav class=\"languages\" aria-label=\"Γλώσσες\">
<ul>
<li><a href=\"../../en/about/\" lang=\"en\" hreflang=\"en\">English</a></li>
<li><a href=\"../../fr/about/\" lang=\"fr\" hreflang=\"fr\">Français</a></li>
<li><a href=\"./\" lang=\"el\" hreflang=\"el\" aria-current=\"page\">Ελληνικά <span class=\"lang-fallback\">(κείμενο: Αγγλικά)</span></a></li>
</ul>
</nav>"
    );
    let fr = site.read("public/fr/guide/index.html");
    assert_eq!(
        lines_between(&fr, "<nav class=\"languages\"", "</nav>"),
        "<nav class=\"languages\" aria-label=\"Langues\">
<ul>
<li><a href=\"../../en/guide/\" lang=\"en\" hreflang=\"en\">English</a></li>
<li><a href=\"./\" lang=\"fr\" hreflang=\"fr\" aria-current=\"page\">Français <span class=\"lang-fallback\">(texte en anglais)</span></a></li>
<li><a href=\"../../el/guide/\" lang=\"el\" hreflang=\"el\">Ελληνικά <span class=\"lang-fallback\">(κείμενο: Αγγλικά)</span></a></li>
</ul>
</nav>"
    );
}

#[test]
fn cards_show_the_fields_their_kind_lists_in_card() {
    let site = built();
    let meta = |file: &str| -> Vec<String> {
        site.read(file).lines().filter(|l| l.contains("class=\"card-meta\"")).map(str::to_string).collect()
    };
    assert_eq!(meta("public/el/pilots/index.html")[2], "<p class=\"card-meta\">2.1 · Γαλλία · Αβινιόν</p>");
    assert_eq!(
        meta("public/fr/pilots/index.html")[0],
        "<p class=\"card-meta\">2.1 · <span lang=\"en\">France</span> · Avignon</p>"
    );
    assert_eq!(meta("public/en/pilots/index.html")[0], "<p class=\"card-meta\">2.1 · France · Avignon</p>");
}

#[test]
fn dates_and_percentages_follow_each_language() {
    let site = built();
    let time = |lang: &str| {
        let html = site.read(&format!("public/{lang}/pilots/avignon/index.html"));
        lines_between(&html, "<p class=\"date\">", "</p>")
    };
    assert_eq!(time("en"), "<p class=\"date\"><time datetime=\"2019-05-14\">14 May 2019</time></p>");
    assert_eq!(time("fr"), "<p class=\"date\"><time datetime=\"2019-05-14\">14 mai 2019</time></p>");
    assert_eq!(time("el"), "<p class=\"date\"><time datetime=\"2019-05-14\">14 Μαΐου 2019</time></p>");
    let cell = |lang: &str| {
        let html = site.read(&format!("public/{lang}/about/index.html"));
        lines_between(&html, "<tr><th scope=\"row\">A</th>", "</tr>")
    };
    assert_eq!(cell("en"), "<tr><th scope=\"row\">A</th><td>48.31%</td></tr>");
    assert_eq!(cell("fr"), "<tr><th scope=\"row\">A</th><td>48,31\u{a0}%</td></tr>");

    // A site that wants American dates says so on the language.
    site.write(
        "site.yaml",
        SITE_YAML.replace("languages: [en, fr, el]", "languages: [{ code: en, locale: en-US }, fr, el]"),
    );
    let run = site.run(&["build"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(time("en"), "<p class=\"date\"><time datetime=\"2019-05-14\">May 14, 2019</time></p>");
}

#[test]
fn mistakes_in_menu_footer_card_and_locale_are_placed_and_explained() {
    let site = site();
    let yaml = SITE_YAML
        .replace("languages: [en, fr, el]", "languages: [{ code: en, locale: fr-FR }, fr, el]")
        .replace("card: [number, country, city]", "card: [number, contry]")
        .replace("  - section: countries\n", "  - section: countrys\n")
        .replace("label: { en: Guide, fr: Guide, el: Οδηγός }", "label: { fr: Guide, el: Οδηγός }");
    site.write("site.yaml", yaml);
    let run = site.run(&["build"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert_eq!(
        run.diagnostics(),
        [
            "site.yaml:5:33: error: `fr-FR` is not a locale of `en`: write `en` followed by a region, e.g. `locale: en-US`",
            "site.yaml:17:20: error: `card:` names field `contry`, which kind `pilot` does not have (did you mean `country`?); its fields are `number`, `country` or `city`",
            "site.yaml:25:14: error: `menu:` names section `countrys`, which `sections:` does not declare (did you mean `countries`?); the sections are `pilots` or `countries`",
            "site.yaml:31:14: error: this label has no `en` text, which the languages without their own label show: add `en: ...`",
        ]
    );

    // Page ids are checked once the pages are read.
    site.write("site.yaml", SITE_YAML.replace("      - page: about\n", "      - page: abut\n"));
    let run = site.run(&["build"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    let errors: Vec<&str> = run.diagnostics().into_iter().filter(|l| l.contains(": error: ")).collect();
    assert_eq!(
        errors,
        ["site.yaml:28:9: error: `menu:` names page `abut`, which no page has as id (did you mean `about`?): use a page's id, its file name without the language"]
    );
}

#[test]
fn menu_groups_labels_and_duplicates_are_checked() {
    let site = site();
    let yaml = SITE_YAML
        .replace(
            "      - page: about\n",
            "      - page: about\n      - label: { en: Deeper }\n        pages:\n          - page: guide\n",
        )
        .replace("label: { en: Pilots, fr: Pilotes }", "label: { en: Pilots, fe: Pilotes, el: \"\" }")
        .replace("footer:\n", "  - section: pilots\nfooter:\n");
    site.write("site.yaml", yaml);
    let run = site.run(&["check"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert_eq!(
        run.diagnostics(),
        [
            "site.yaml:24:26: error: this label has a text in `fe`, a language that `languages` does not declare (did you mean `fr`?): use `en`, `fr` or `el`, or add `fe` to `languages`",
            "site.yaml:24:39: error: this label is empty in `el`: write the `el` text, or remove `el:` so that `el` pages show the `en` label",
            "site.yaml:30:9: error: this group is inside another group, but the menu's groups have one level: move its entries into the outer group, or make it an entry of `menu:` itself",
            "site.yaml:32:14: warning: `menu:` already links to section `pilots` (line 23): remove one of the two entries",
        ]
    );
    // A group without pages is refused.
    let yaml =
        SITE_YAML.replace("      - page: about\n", "      - page: about\n  - label: { en: Empty }\n    pages: []\n");
    site.write("site.yaml", yaml);
    let run = site.run(&["check"]);
    assert_eq!(
        run.diagnostics(),
        ["site.yaml:30:5: error: this group has no pages: list them under `pages:` (`- page: <id>` or `- section: <name>`), or remove the group"]
    );
    // An empty menu is refused: removing `menu:` gives the default one.
    let start = SITE_YAML.find("menu:").unwrap_or_default();
    let end = SITE_YAML.find("footer:").unwrap_or_default();
    site.write("site.yaml", format!("{}menu: []\n{}", &SITE_YAML[..start], &SITE_YAML[end..]));
    let run = site.run(&["check"]);
    assert_eq!(
        run.diagnostics(),
        ["site.yaml:22:7: error: `menu:` is empty: list its entries (`- section: <name>` or `- page: <id>`), or remove `menu:` to get the default menu (the sections, then the other pages under \"About\")"]
    );
}

#[test]
fn a_menu_page_that_is_a_section_or_a_draft_says_so() {
    let site = site();
    site.write("content/draft.en.md", "---\ntitle: Soon\ndraft: true\n---\n\nSoon.\n");
    let yaml = SITE_YAML.replace("      - page: about\n", "      - page: countries\n      - page: draft\n");
    site.write("site.yaml", yaml);
    let run = site.run(&["check"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    let errors: Vec<&str> = run.diagnostics().into_iter().filter(|l| l.contains(": error: ")).collect();
    assert_eq!(
        errors,
        [
            "site.yaml:28:9: error: `menu:` names page `countries`, but `countries` is a section: write `section: countries`",
            "site.yaml:29:9: error: `menu:` names page `draft`, which is a draft and is not built: remove `draft: true` from it, build with `--drafts`, or remove the entry",
        ]
    );
    // With drafts, the page is there.
    let run = site.run(&["check", "--drafts"]);
    let errors: Vec<&str> = run.diagnostics().into_iter().filter(|l| l.contains(": error: ")).collect();
    assert_eq!(errors.len(), 1, "{}", run.stderr);
}

/// Each label's problem is shown at that label, whether it is written before or after
/// the entry's target.
#[test]
fn label_problems_are_placed_at_their_own_entry() {
    let site = site();
    let yaml = SITE_YAML.replace("  - section: countries\n", "  - section: countries\n    label: { fr: Pays }\n");
    site.write("site.yaml", yaml);
    let run = site.run(&["check"]);
    assert_eq!(
        run.diagnostics(),
        ["site.yaml:26:14: error: this label has no `en` text, which the languages without their own label show: add `en: ...`"]
    );
}
