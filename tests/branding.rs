//! An authority's own look from `site.yaml` (`favicon:`, `branding:`) and the
//! accessibility statement (`accessibility:`): what readers get, and the positioned
//! messages an editor gets for a colour that is not readable or a statement that is
//! incomplete.

mod support;

use support::{assert_no_panic, TestSite};

const BRANDING: &str = "
favicon: img/icon.png
branding:
  logo: static/img/logo.svg
  accent: { light: \"#7a3e9d\", dark: \"#d7b4ff\" }
  organisation:
    name: { en: City of Test, fr: Ville de Test }
    address: |
      1 Main Street
      1000 Test
    email: web@test.example
    phone: +32 2 000 00 00
accessibility:
  status: partially
  prepared: 2024-05-14
  reviewed: 2025-01-31
  method: third-party
  non_accessible:
    - { en: Old scanned reports are images of text., fr: Les anciens rapports numérisés sont des images de texte. }
  contact: { email: access@test.example, phone: +32 2 000 00 01 }
  enforcement: { name: { en: The Ombudsman, fr: Le Médiateur }, url: \"https://ombudsman.test.example/\" }
";

fn site_with(extra: &str) -> TestSite {
    let site = TestSite::fixture("valid");
    let yaml = site.read("site.yaml");
    site.write("site.yaml", format!("{yaml}{extra}"));
    site
}

#[test]
fn branding_and_the_statement_reach_every_page() {
    let site = site_with(BRANDING);
    site.write("static/img/logo.svg", "<svg xmlns=\"http://www.w3.org/2000/svg\"/>");
    site.write("static/img/icon.png", "png");
    let run = site.run(&["build"]);
    assert_no_panic(&run);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let page = site.read("public/fr/pilots/avignon/index.html");
    assert!(page.contains("<link rel=\"stylesheet\" href=\"../../../css/brand.css\">"), "{page}");
    assert!(page.contains("<link rel=\"icon\" href=\"../../../img/icon.png\" type=\"image/png\">"));
    assert!(page.contains("<img class=\"site-logo\" src=\"../../../img/logo.svg\" alt=\"Guide de test\">"));
    assert!(page.contains(
        "<span class=\"organisation-name\">Ville de Test</span>\n<span>1 Main Street</span>\n<span>1000 Test</span>"
    ));
    assert!(page.contains("<a href=\"tel:+3220000000\">+32 2 000 00 00</a>"));
    assert!(page.contains("<p class=\"statement-link\"><a href=\"../../../fr/accessibility/\">Déclaration d&#39;accessibilité</a></p>"), "{page}");
    let css = site.read("public/css/brand.css");
    assert!(css.contains("--accent: #7a3e9d;") && css.contains("--accent: #d7b4ff;"), "{css}");
    let statement = site.read("public/fr/accessibility/index.html");
    assert!(statement.contains("<h1>Déclaration d&#39;accessibilité</h1>"));
    assert!(statement.contains("Ville de Test souhaite que ce site web"));
    assert!(statement.contains("<li>Les anciens rapports numérisés sont des images de texte.</li>"));
    assert!(statement.contains("Cette déclaration a été rédigée le 14 mai 2024. Le site a été évalué par un tiers indépendant. Elle a été revue pour la dernière fois le 31 janvier 2025."), "{statement}");
    assert!(statement.contains("<a href=\"https://ombudsman.test.example/\">Le Médiateur</a>"));
    assert!(site.exists("public/en/accessibility/index.html"));
    let chooser = site.read("public/index.html");
    assert!(chooser.contains("<link rel=\"icon\" href=\"img/icon.png\" type=\"image/png\">"));
}

#[test]
fn the_print_page_and_the_chooser_lead_back_and_to_the_statement() {
    let site = site_with(BRANDING);
    site.write("static/img/logo.svg", "<svg xmlns=\"http://www.w3.org/2000/svg\"/>");
    site.write("static/img/icon.png", "png");
    let run = site.run(&["build"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let print = site.read("public/fr/print/index.html");
    assert!(print.contains("<link rel=\"stylesheet\" href=\"../../css/brand.css\">\n"), "{print}");
    assert!(
        print.contains(
            "<body class=\"print-book\">
<a class=\"skip-link\" href=\"#main\">Aller au contenu</a>
<header class=\"site-header print-chrome\">
<div class=\"wrap\">
<p class=\"print-home\"><a class=\"site-title\" href=\"../\">Page d&#39;accueil de Guide de test</a></p>
</div>
</header>
<main id=\"main\">"
        ),
        "{print}"
    );
    assert!(print.contains("<footer class=\"site-footer print-chrome\">"));
    assert!(print.contains("<span class=\"organisation-name\">Ville de Test</span>"));
    assert!(print.contains(
        "<p class=\"statement-link\"><a href=\"../../fr/accessibility/\">Déclaration d&#39;accessibilité</a></p>"
    ));
    let chooser = site.read("public/index.html");
    assert!(
        chooser.contains(
            "<ul class=\"footer-links statement-links\">
<li><a href=\"en/accessibility/\" lang=\"en\" hreflang=\"en\">Accessibility statement</a></li>
<li><a href=\"fr/accessibility/\" lang=\"fr\" hreflang=\"fr\">Déclaration d&#39;accessibilité</a></li>
</ul>"
        ),
        "{chooser}"
    );
}

#[test]
fn without_branding_the_theme_favicon_is_declared() {
    let site = TestSite::fixture("valid");
    assert_eq!(site.run(&["build"]).code, 0);
    let page = site.read("public/en/pilots/avignon/index.html");
    assert!(page.contains("<link rel=\"icon\" href=\"../../../favicon.svg\" type=\"image/svg+xml\">"));
    assert!(site.exists("public/favicon.svg"));
    assert!(!site.exists("public/css/brand.css") && !site.exists("public/en/accessibility/index.html"));
    assert!(!page.contains("statement-link"));
    assert!(!site.read("public/index.html").contains("statement-links"));
}

#[test]
fn an_unreadable_accent_colour_names_the_colours_and_the_ratio() {
    let site = site_with("branding:\n  accent: { light: \"#8fb3d9\", dark: \"#0b5cad\" }\n");
    let run = site.run(&["build"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    let line = site.read("site.yaml").lines().count();
    assert_eq!(
        run.diagnostics(),
        [
            format!("site.yaml:{line}:20: error: accent colour `#8fb3d9` against the light scheme's chosen search suggestion background `#e8f0f8` has a contrast ratio of 1.89:1, below the 4.5:1 that WCAG 2.1 asks of link text; also too low against the outdated translation notice background `#fdeeee` (1.93:1), the facts box and table header background `#f3f5f7` (1.99:1) and 2 more colours of the theme: choose a darker colour, such as `#596f87`, the closest that meets every ratio of the theme"),
            format!("site.yaml:{line}:37: error: accent colour `#0b5cad` against the dark scheme's chosen search suggestion background `#243447` has a contrast ratio of 1.89:1, below the 4.5:1 that WCAG 2.1 asks of link text; also too low against the facts box and table header background `#1f252b` (2.31:1), the translation notice background `#2b2314` (2.32:1) and 3 more colours of the theme: choose a lighter colour, such as `#6f9fcf`, the closest that meets every ratio of the theme"),
        ]
    );
}

/// A grey that passes on the page background but not on the facts box, the search
/// suggestions or the notices: every background of the theme counts.
#[test]
fn the_accent_colour_must_be_readable_on_every_background_of_the_theme() {
    let site = site_with("branding:\n  accent: { light: \"#767676\", dark: \"#888888\" }\n");
    let run = site.run(&["build"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    let line = site.read("site.yaml").lines().count();
    assert_eq!(
        run.diagnostics(),
        [
            format!("site.yaml:{line}:20: error: accent colour `#767676` against the light scheme's chosen search suggestion background `#e8f0f8` has a contrast ratio of 3.94:1, below the 4.5:1 that WCAG 2.1 asks of link text; also too low against the outdated translation notice background `#fdeeee` (4.03:1), the facts box and table header background `#f3f5f7` (4.15:1) and the translation notice background `#fff6e5` (4.23:1): choose a darker colour, such as `#6b6b6b`, the closest that meets every ratio of the theme"),
            format!("site.yaml:{line}:37: error: accent colour `#888888` against the dark scheme's chosen search suggestion background `#243447` has a contrast ratio of 3.57:1, below the 4.5:1 that WCAG 2.1 asks of link text; also too low against the facts box and table header background `#1f252b` (4.36:1) and the translation notice background `#2b2314` (4.37:1): choose a lighter colour, such as `#9a9a9a`, the closest that meets every ratio of the theme"),
        ]
    );
    // The colours suggested build.
    site.write("site.yaml", site.read("site.yaml").replace("#767676", "#6b6b6b").replace("#888888", "#9a9a9a"));
    let run = site.run(&["build"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
}

#[test]
fn an_accent_of_the_wrong_shape_says_what_to_write() {
    let site = site_with("branding:\n  accent: { light: \"#0b5cad\", drak: \"#ffffff\" }\n");
    let line = site.read("site.yaml").lines().count();
    let run = site.run(&["check"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert_eq!(
        run.diagnostics(),
        [format!("site.yaml:{line}:31: error: `branding.accent` has no key `drak` (did you mean `dark`?): its keys are `light` and `dark`")]
    );
    let how = "write a colour, `accent: \"#0b5cad\"` (for the light scheme; the dark scheme then keeps the theme's), or both, `accent: { light: \"#0b5cad\", dark: \"#7cb8f5\" }`";
    let site = site_with("branding:\n  accent: { dark: \"#7cb8f5\" }\n");
    let run = site.run(&["check"]);
    assert_eq!(
        run.diagnostics(),
        [format!(
            "site.yaml:{line}:11: error: `branding.accent` gives the dark scheme's colour but not the light one: {how}"
        )]
    );
    let site = site_with("branding:\n  accent: [\"#0b5cad\"]\n");
    let run = site.run(&["check"]);
    assert_eq!(run.diagnostics(), [format!("site.yaml:{line}:11: error: `branding.accent` is not a colour: {how}")]);
}

#[test]
fn a_logo_or_favicon_must_be_an_image_of_the_site() {
    let site = site_with("favicon: img/icon.bmp\nbranding:\n  logo: \"//cdn.example.com/logo.png\"\n");
    let line = site.read("site.yaml").lines().count();
    let run = site.run(&["check"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert_eq!(
        run.diagnostics(),
        [
            format!("site.yaml:{}:10: error: `favicon` is `img/icon.bmp`, which is not an image that browsers show: use a `.svg`, `.png`, `.jpg`, `.jpeg`, `.gif`, `.webp`, `.avif` or `.ico` file", line - 2),
            format!("site.yaml:{line}:9: error: `branding.logo` is `//cdn.example.com/logo.png`, an address on another host, and a guidebook site loads nothing from another host: copy the image into `static/` (e.g. `static/img/logo.svg`) and write `logo: img/logo.svg`"),
        ]
    );
    let site = site_with("favicon: img/icon.ico\nbranding:\n  logo: img/logo.txt\n");
    let run = site.run(&["check"]);
    assert_eq!(
        run.diagnostics(),
        [format!("site.yaml:{line}:9: error: `branding.logo` is `img/logo.txt`, which is not an image that browsers show: use a `.svg`, `.png`, `.jpg`, `.jpeg`, `.gif`, `.webp` or `.avif` file")]
    );
    // Files that do not exist, with the closest image of the site.
    let site = site_with("favicon: img/icon.ico\nbranding:\n  logo: static/img/logo.svg\n");
    site.write("static/img/logo.png", "png");
    let run = site.run(&["check"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert_eq!(
        run.diagnostics(),
        [
            format!("site.yaml:{}:10: error: `favicon` is `img/icon.ico`, but the site has no file `static/img/icon.ico`: put the image there, or correct the path", line - 2),
            format!("site.yaml:{line}:9: error: `branding.logo` is `img/logo.svg`, but the site has no file `static/img/logo.svg` (did you mean `img/logo.png`?): put the image there, or correct the path"),
        ]
    );
}

#[test]
fn localised_texts_need_the_default_language_and_no_other() {
    let site = site_with(
        "branding:\n  organisation:\n    name: { fr: Ville de Test, fe: Ville }\n    address: { en: \"\", fr: 1 rue de Test }\n",
    );
    let line = site.read("site.yaml").lines().count();
    let run = site.run(&["check"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert_eq!(
        run.diagnostics(),
        [
            format!("site.yaml:{}:13: error: `branding.organisation.name` has no `en` text, which the languages without their own text show: add `en: ...`", line - 1),
            format!("site.yaml:{}:32: error: `branding.organisation.name` has a text in `fe`, a language that `languages` does not declare (did you mean `fr`?): use `en` or `fr`, or add `fe` to `languages`", line - 1),
            format!("site.yaml:{line}:16: error: `branding.organisation.address` is empty in `en`: write the `en` text, which the languages without their own text show"),
        ]
    );
}

#[test]
fn mistakes_in_the_statement_are_placed_and_explained() {
    let site = site_with(concat!(
        "accessibility:\n",
        "  status: partial\n",
        "  prepared: 2024-05-14\n",
        "  reviewed: 2023-01-31\n",
        "  non_accessible:\n",
        "    - { fr: Les cartes., fe: Maps. }\n",
        "    - \"\"\n",
        "  enforcement: { name: { fr: Le Médiateur }, url: \"https://ombudsman.test.example/\" }\n",
    ));
    let first = site.read("site.yaml").lines().count() - 7;
    let run = site.run(&["check"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert_eq!(
        run.diagnostics(),
        [
            format!("site.yaml:{first}:1: error: `accessibility:` has no `contact`: add it, e.g. `contact: {{ email: accessibility@example.org }}`, where readers report a problem"),
            format!("site.yaml:{}:11: error: `accessibility.status` is `partial` (did you mean `partially`?): write `fully`, `partially` or `not` (compliant with WCAG 2.1 level AA)", first + 1),
            format!("site.yaml:{}:13: error: `accessibility.reviewed` is 2023-01-31, before `prepared` (2024-05-14): a statement is reviewed after it is prepared; correct one of the dates", first + 3),
            format!("site.yaml:{}:9: error: this item of `accessibility.non_accessible` has no `en` text, which the languages without their own text show: add `en: ...`", first + 5),
            format!("site.yaml:{}:26: error: this item of `accessibility.non_accessible` has a text in `fe`, a language that `languages` does not declare (did you mean `fr`?): use `en` or `fr`, or add `fe` to `languages`", first + 5),
            format!("site.yaml:{}:7: error: this item of `accessibility.non_accessible` is empty: write the text", first + 6),
            format!("site.yaml:{}:26: error: `accessibility.enforcement.name` has no `en` text, which the languages without their own text show: add `en: ...`", first + 7),
        ]
    );
}

#[test]
fn an_incomplete_statement_is_refused_where_it_is_written() {
    let site = site_with("accessibility:\n  status: partly\n  prepared: 14/05/2024\n  contact: { email: nobody }\n  enforcement: { name: X, url: \"ombudsman\" }\n");
    let run = site.run(&["build"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    let first = site.read("site.yaml").lines().count() - 3;
    assert_eq!(
        run.diagnostics(),
        [
            format!("site.yaml:{first}:11: error: `accessibility.status` is `partly` (did you mean `partially`?): write `fully`, `partially` or `not` (compliant with WCAG 2.1 level AA)"),
            format!("site.yaml:{}:13: error: `accessibility.prepared` is `14/05/2024`, which is not a date: write it as `YYYY-MM-DD`, e.g. `2024-05-14`", first + 1),
            format!("site.yaml:{}:21: error: `accessibility.contact.email` is `nobody`, which is not an e-mail address: write it like `accessibility@example.org`", first + 2),
            format!("site.yaml:{}:32: error: `accessibility.enforcement.url` is `ombudsman`, which is not a web address: write the enforcement body's address, like `https://example.org/complaints`", first + 3),
        ]
    );
}

#[test]
fn texts_shown_in_another_language_than_the_page_say_which() {
    let site = site_with(
        "
branding:
  organisation:
    name: { en: City of Test }
    address: { en: \"1 Main Street\\n1000 Test\" }
accessibility:
  status: partially
  prepared: 2024-05-14
  non_accessible:
    - { en: Old scanned reports., fr: Les anciens rapports. }
    - { en: Some maps. }
  contact: { email: access@test.example }
  enforcement: { name: { en: The Ombudsman }, url: \"https://ombudsman.test.example/\" }
",
    );
    let run = site.run(&["build"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let page = site.read("public/fr/pilots/avignon/index.html");
    assert!(
        page.contains(
            "<span class=\"organisation-name\" lang=\"en\">City of Test</span>\n<span lang=\"en\">1 Main Street</span>\n<span lang=\"en\">1000 Test</span>"
        ),
        "{page}"
    );
    let en = site.read("public/en/pilots/avignon/index.html");
    assert!(en.contains("<span class=\"organisation-name\">City of Test</span>\n<span>1 Main Street</span>"), "{en}");
    let statement = site.read("public/fr/accessibility/index.html");
    assert!(statement.contains("<p><span lang=\"en\">City of Test</span> souhaite que ce site web"), "{statement}");
    assert!(statement.contains("<li>Les anciens rapports.</li>\n<li lang=\"en\">Some maps.</li>"), "{statement}");
    assert!(
        statement.contains("<a href=\"https://ombudsman.test.example/\" lang=\"en\">The Ombudsman</a>"),
        "{statement}"
    );
    let statement = site.read("public/en/accessibility/index.html");
    assert!(statement.contains("<p>City of Test wants as many people"), "{statement}");
}

#[test]
fn a_fully_compliant_site_lists_nothing_as_not_accessible() {
    let site = site_with(concat!(
        "accessibility:\n",
        "  status: fully\n",
        "  prepared: 2024-05-14\n",
        "  non_accessible: [\"Some PDF files are not tagged.\"]\n",
        "  contact: { email: accessibility@example.org }\n",
        "  enforcement: { name: The Ombudsman, url: \"https://ombudsman.test.example/\" }\n",
    ));
    let first = site.read("site.yaml").lines().count() - 5;
    let run = site.run(&["check"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert_eq!(
        run.diagnostics(),
        [format!("site.yaml:{}:11: error: `accessibility.status` is `fully`, but `accessibility.non_accessible` lists content that is not accessible: a site with such content is `partially` compliant; write `status: partially`, or remove the list once that content is accessible", first + 1)]
    );
}
