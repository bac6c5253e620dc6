//! The print version in parts: over `print.max_size` of `site.yaml`, each language's print
//! version is a contents page linking one page per part (section), every link between
//! pages leading into the part that prints its target; the exact messages for a bad size.

mod support;

use std::collections::BTreeSet;
use support::{assert_no_panic, TestSite};

/// The knowledge fixture with a page outside every section, built with `print` (lines of
/// site.yaml) appended to its site.yaml.
fn built_with(print: &str) -> TestSite {
    let site = TestSite::fixture("knowledge");
    site.write(
        "content/about.en.md",
        "---\ntitle: About\nweight: 10\n---\n\nRead [Avignon](@/pilots/avignon.md#results) and [the cover](@/_index.md).\n",
    );
    let yaml = site.read("site.yaml");
    site.write("site.yaml", format!("{yaml}{print}"));
    let run = site.run(&["build"]);
    assert_no_panic(&run);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(run.diagnostics(), Vec::<&str>::new());
    site
}

/// Every file below `dir` of the site, relative to it.
fn files_below(site: &TestSite, dir: &str) -> BTreeSet<String> {
    support::snapshot_of(&site.path(dir)).into_keys().collect()
}

/// The text of `html` from `start` to the next `end` (included).
fn between<'a>(html: &'a str, start: &str, end: &str) -> &'a str {
    let from = html.find(start).unwrap_or_else(|| panic!("{start:?} not found in\n{html}"));
    let rest = &html[from..];
    &rest[..rest.find(end).map_or(rest.len(), |i| i + end.len())]
}

/// The anchors of the parts and chapters printed in `html`, in order.
fn printed(html: &str) -> Vec<&str> {
    let mut ids = Vec::new();
    for piece in html.split("<section class=\"print-part\" id=\"").skip(1) {
        ids.extend(piece.split('"').next());
        for chapter in piece.split("<article class=\"print-chapter\" id=\"").skip(1) {
            ids.extend(chapter.split('"').next());
        }
    }
    ids
}

const PARTS: [(&str, &[&str]); 6] = [
    ("countries", &["part-countries", "p-countries-france", "p-countries-spain"]),
    ("pilots", &["part-pilots", "p-pilots-avignon", "p-pilots-sarcelles", "p-pilots-malaga"]),
    ("recommendations", &["part-recommendations", "p-recommendations-training"]),
    ("organisations", &["part-organisations", "p-organisations-network", "p-organisations-face"]),
    (
        "glossary",
        &[
            "part-glossary",
            "p-glossary-deradicalisation",
            "p-glossary-ftf",
            "p-glossary-psp-police",
            "p-glossary-psp",
            "p-glossary-psp-partnership",
        ],
    ),
    ("pages", &["other-pages", "p-about"]),
];

#[test]
fn over_the_threshold_each_part_is_printed_alone_with_a_contents_page() {
    let site = built_with("print:\n  max_size: 100\n");
    for lang in ["en", "fr"] {
        let expected: BTreeSet<String> = std::iter::once("index.html".to_string())
            .chain(PARTS.iter().map(|(slug, _)| format!("{slug}/index.html")))
            .collect();
        assert_eq!(files_below(&site, &format!("public/{lang}/print")), expected, "{lang}");
    }

    let contents = site.read("public/en/print/index.html");
    assert!(contents.contains("<section class=\"cover\" id=\"cover\">\n<h1>Knowledge base</h1>"), "{contents}");
    assert!(contents.contains("<p>Start with <a href=\"pilots/#p-pilots-avignon\">Avignon</a>.</p>"), "{contents}");
    assert_eq!(
        between(&contents, "<nav class=\"print-contents print-parts\"", "</nav>"),
        "<nav class=\"print-contents print-parts\" aria-labelledby=\"print-contents-title\">
<h2 id=\"print-contents-title\">Contents</h2>
<ol>
<li class=\"level-1\"><a href=\"countries/\"><span class=\"number\">1</span> <span>Countries</span></a> <span class=\"pages\">Pages: 2</span></li>
<li class=\"level-1\"><a href=\"pilots/\"><span class=\"number\">2</span> <span>Pilots</span></a> <span class=\"pages\">Pages: 3</span></li>
<li class=\"level-1\"><a href=\"recommendations/\"><span class=\"number\">3</span> <span>Recommendations</span></a> <span class=\"pages\">Pages: 1</span></li>
<li class=\"level-1\"><a href=\"organisations/\"><span class=\"number\">4</span> <span>Organisations</span></a> <span class=\"pages\">Pages: 2</span></li>
<li class=\"level-1\"><a href=\"glossary/\"><span class=\"number\">5</span> <span>Glossary</span></a> <span class=\"pages\">Pages: 5</span></li>
<li class=\"level-1\"><a href=\"pages/\"><span class=\"number\">6</span> <span>Other pages</span></a> <span class=\"pages\">Pages: 1</span></li>
</ol>
</nav>"
    );
    assert!(printed(&contents).is_empty(), "the contents page prints no page");

    for (slug, anchors) in PARTS {
        let part = site.read(&format!("public/en/print/{slug}/index.html"));
        assert_eq!(printed(&part), anchors, "{slug}");
        // The same chrome and stylesheet as the whole print page, and a way back.
        for needle in [
            "<link rel=\"stylesheet\" href=\"../../../css/print.css\">",
            "<body class=\"print-book\">",
            "<a class=\"skip-link\" href=\"#main\">Skip to content</a>",
            "<header class=\"site-header print-chrome\">",
            "<main id=\"main\">\n<section class=\"cover print-part-cover\">\n<h1>Knowledge base</h1>\n<p class=\"print-all-parts\"><a href=\"../\">All parts of the print version</a></p>",
            "<nav class=\"print-contents\" aria-labelledby=\"print-contents-title\">",
            "<footer class=\"site-footer print-chrome\">",
        ] {
            assert!(part.contains(needle), "{slug}: {needle:?} missing in\n{part}");
        }
    }

    let pilots = site.read("public/en/print/pilots/index.html");
    assert!(pilots.contains("<title>Pilots · Knowledge base · Print version</title>"), "{pilots}");
    assert!(
        pilots.contains("<p>See <a href=\"../countries/#p-countries-spain\">Spain</a>, <a href=\"../countries/#p-countries-france--institutions\">the institutions</a>,\n<a href=\"#p-pilots-avignon--results\">the results</a> and <a href=\"../../../files/report.pdf\">the report</a>.</p>"),
        "{pilots}"
    );
    assert!(pilots.contains("<li class=\"level-2\"><a href=\"#p-pilots-avignon\"><span class=\"number\">2.1</span> <span>Avignon</span></a></li>"), "{pilots}");
    let pages = site.read("public/en/print/pages/index.html");
    assert!(
        pages.contains("<p>Read <a href=\"../pilots/#p-pilots-avignon--results\">Avignon</a> and <a href=\"../#cover\">the cover</a>.</p>"),
        "{pages}"
    );
    assert!(
        pages.contains(
            "<li class=\"level-2\"><a href=\"#p-about\"><span class=\"number\">6.1</span> <span>About</span></a></li>"
        ),
        "{pages}"
    );

    // Every link between print files leads to an element that is there.
    for (slug, _) in PARTS {
        let part = site.read(&format!("public/en/print/{slug}/index.html"));
        for href in part.split("href=\"").skip(1).filter_map(|h| h.split('"').next()) {
            let Some((file, anchor)) = href.split_once('#') else { continue };
            let target = match file {
                "" => part.clone(),
                "../" => contents.clone(),
                other if other.starts_with("../") && !other.contains("../../") => {
                    site.read(&format!("public/en/print/{}index.html", &other[3..]))
                }
                _ => continue,
            };
            assert!(target.contains(&format!(" id=\"{anchor}\"")), "{slug}: {href} leads nowhere");
        }
    }

    // Every page's footer says the print version is in parts.
    let avignon = site.read("public/fr/pilots/avignon/index.html");
    assert!(
        avignon.contains("<a href=\"../../print/\">Le guide en plusieurs parties, pour l&#39;impression</a>"),
        "{avignon}"
    );
}

#[test]
fn under_the_threshold_the_whole_guidebook_is_one_page() {
    let site = built_with("print: { max_size: 4MB }\n");
    assert_eq!(files_below(&site, "public/en/print"), BTreeSet::from(["index.html".to_string()]));
    let print = site.read("public/en/print/index.html");
    // The parts, one after the other, print what the whole page prints, in the same order.
    let parts: Vec<&str> = PARTS.iter().flat_map(|(_, a)| a.iter().copied()).filter(|a| *a != "other-pages").collect();
    assert_eq!(printed(&print), parts);
    assert!(
        print.contains(
            "<p>Read <a href=\"#p-pilots-avignon--results\">Avignon</a> and <a href=\"#cover\">the cover</a>.</p>"
        ),
        "{print}"
    );
    let avignon = site.read("public/en/pilots/avignon/index.html");
    assert!(
        avignon.contains("<a href=\"../../print/\">The whole guidebook on one page, for printing</a>"),
        "{avignon}"
    );
}

#[test]
fn a_size_that_is_not_one_is_reported_where_it_is_written() {
    let site = TestSite::fixture("knowledge");
    let yaml = site.read("site.yaml");
    let line = yaml.lines().count() + 2;
    for (written, shown) in [("4 MiB", "4 MiB"), ("-1", "-1"), ("1.5", "1.5"), ("true", "true")] {
        site.write("site.yaml", format!("{yaml}print:\n  max_size: {written}\n"));
        let run = site.run(&["check"]);
        assert_no_panic(&run);
        assert_eq!(run.code, 1, "{written}");
        assert_eq!(
            run.diagnostics(),
            [format!(
                "site.yaml:{line}:13: error: `max_size: {shown}` is not a size: write a number of bytes, or a number with a unit (`B`, `kB`, `MB` or `GB`), such as `4MB` (the default)"
            )],
            "{written}"
        );
    }
    let units =
        "write a number of bytes, or a number with a unit (`B`, `kB`, `MB` or `GB`), such as `4MB` (the default)";
    for (written, message) in [
        ("[1]", format!("`max_size` is a list, not a size: {units}")),
        ("{ MB: 4 }", format!("`max_size` is a set of `key: value` pairs, not a size: {units}")),
        (
            "99999999999999999999",
            "`print.max_size: 99999999999999999999` is too large a number (the largest is 18446744073709551615): write a smaller one, or put it in quotes if it is text".to_string(),
        ),
        (
            "99999999999GB",
            "`max_size: 99999999999GB` is too large: the largest is `18446744073GB`, or 18446744073709551615 bytes written without a unit; a size larger than the site (`10GB`) in effect never cuts the print version".to_string(),
        ),
        (
            "0x100",
            format!("`max_size: 0x100` is not a size: sizes are written in decimal digits (this would be read as 256 bytes); {units}"),
        ),
        (
            "0o400  # octal",
            format!("`max_size: 0o400` is not a size: sizes are written in decimal digits (this would be read as 256 bytes); {units}"),
        ),
        (
            "~",
            "`max_size` is empty: remove the line to get the default (`4MB`), or write a size, such as `4MB`".to_string(),
        ),
        (
            "0",
            "`max_size: 0` could mean \"no limit\" or \"always in parts\": write the size above which a language's print version is cut into one page per part, such as `4MB` (the default); `1B` always cuts it, a size larger than the site (`10GB`) in effect never does".to_string(),
        ),
    ] {
        site.write("site.yaml", format!("{yaml}print:\n  max_size: {written}\n"));
        let run = site.run(&["check"]);
        assert_no_panic(&run);
        assert_eq!((run.code, run.diagnostics()), (1, vec![format!("site.yaml:{line}:13: error: {message}").as_str()]), "{written}");
    }
    // A size written in place of the settings.
    for (written, message) in [
        ("200kB", "`print:` is a single value, but it holds settings: write the size under `max_size`, as `print: { max_size: 200kB }`"),
        ("[4MB]", "`print:` is a list, but it holds settings: write the size under `max_size`, as `print: { max_size: 4MB }`"),
    ] {
        site.write("site.yaml", format!("{yaml}print: {written}\n"));
        let run = site.run(&["check"]);
        assert_no_panic(&run);
        let at = line - 1;
        assert_eq!((run.code, run.diagnostics()), (1, vec![format!("site.yaml:{at}:8: error: {message}").as_str()]), "{written}");
    }
    site.write("site.yaml", format!("{yaml}print:\n  max_sise: 4MB\n"));
    let run = site.run(&["check"]);
    assert_eq!(run.code, 1);
    assert_eq!(
        run.diagnostics(),
        [format!("site.yaml:{line}:3: error: print: unknown field `max_sise`, expected `max_size` (did you mean `max_size`?)")]
    );
}
