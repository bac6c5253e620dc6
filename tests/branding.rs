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
            format!("site.yaml:{line}:20: error: accent colour `#8fb3d9` on the light scheme's page background `#ffffff` has a contrast ratio of 2.18:1, below the 4.5:1 that WCAG 2.1 asks of link text: choose a darker colour"),
            format!("site.yaml:{line}:37: error: accent colour `#0b5cad` on the dark scheme's page background `#14181c` has a contrast ratio of 2.67:1, below the 4.5:1 that WCAG 2.1 asks of link text: choose a lighter colour"),
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
            format!("site.yaml:{first}:11: error: `accessibility.status` is `partly`: write `fully`, `partially` or `not` (compliant with WCAG 2.1 level AA)"),
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
  status: fully
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
