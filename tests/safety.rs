//! What an editor writes can never attack a reader: raw HTML is sanitised (or escaped, or
//! allowed, as `site.yaml` says), links may only use safe schemes, and nothing in page text
//! can forge the build's own markers. Each case asserts the exact file or message a user gets.

mod support;

use support::{assert_no_panic, TestSite};

/// The valid fixture with one more page, `content/pilots/raw.en.md`.
fn site_with(body: &str) -> TestSite {
    let site = TestSite::fixture("valid");
    site.write("content/pilots/raw.en.md", format!("---\ntitle: Raw\ncountry: countries/france\n---\n\n{body}"));
    site
}

fn built(site: &TestSite, rel: &str) -> String {
    let run = site.run(&["build"]);
    assert_no_panic(&run);
    assert_eq!(run.code, 0, "{}", run.stderr);
    site.read(rel)
}

/// The `<article>` ... `</article>` of a built page, where the body is.
fn article(html: &str) -> &str {
    let start = html.find("<article").unwrap_or(0);
    let end = html[start..].find("</article>").map_or(html.len(), |e| start + e);
    &html[start..end]
}

#[test]
fn raw_html_is_sanitised_by_default() {
    let site = site_with(
        "<details open><summary>Contacts</summary>\n\n| a | b |\n|:-:|--:|\n| 1 | 2 |\n\n</details>\n\n\
         Water is H<sub>2</sub>O, press <kbd>Ctrl</kbd>, see <abbr title=\"Probation and Release\">P&amp;R</abbr>.\n\n\
         <figure id=\"map\" class=\"wide\"><img src=\"https://example.org/map.png\" alt=\"Map\" onerror=\"alert(1)\"><figcaption>Map</figcaption></figure>\n\n\
         <script>alert(2)</script>\n\n<iframe src=\"https://example.org\"></iframe>\n\n\
         A <a href=\"javascript:alert(3)\" onclick=\"alert(4)\">link</a> and <svg onload=alert(5)><circle r=\"1\"/></svg>.\n\n\
         <form action=\"https://example.org\"><button formaction=\"javascript:alert(6)\">Send</button></form>\n\n\
         <style>body{background:url(https://example.org/x)}</style><p style=\"color:red\">Red</p>\n\n\
         ## Heading {onclick=alert(7) .note}\n",
    );
    let page = built(&site, "public/en/pilots/raw/index.html");
    let body = article(&page);
    for kept in [
        "<details open=\"\"><summary>Contacts</summary>",
        // Column alignment is a class: the output has no `style` attribute (strict CSP).
        "<th class=\"align-center\">a</th><th class=\"align-right\">b</th>",
        "H<sub>2</sub>O, press <kbd>Ctrl</kbd>, see <abbr title=\"Probation and Release\">P&amp;R</abbr>.",
        "<figure id=\"map\" class=\"wide\"><img src=\"https://example.org/map.png\" alt=\"Map\"><figcaption>Map</figcaption></figure>",
        "A <a>link</a> and .",
        "\nSend\n",
        "<p>Red</p>",
        "<h2 id=\"heading\" class=\"note\">Heading</h2>",
    ] {
        assert!(body.contains(kept), "missing {kept} in\n{body}");
    }
    for gone in ["alert", "<script", "<iframe", "<svg", "<form", "<button", "<style", "onclick", "onerror", "color:red"]
    {
        assert!(!body.contains(gone), "{gone} published in\n{body}");
    }
    let print = site.read("public/en/print/index.html");
    assert!(!print.contains("alert("), "the print page publishes a script");
}

#[test]
fn raw_html_can_be_escaped_or_allowed() {
    let site = site_with("A <b onclick=\"alert(1)\">bold</b> word.\n\n<div>\nblock\n</div>\n");
    let yaml = site.read("site.yaml");
    site.write("site.yaml", format!("{yaml}markdown:\n  raw_html: escape\n"));
    let page = built(&site, "public/en/pilots/raw/index.html");
    let body = article(&page);
    assert!(body.contains("<p>A &lt;b onclick=\"alert(1)\"&gt;bold&lt;/b&gt; word.</p>"), "{body}");
    assert!(body.contains("<p>&lt;div&gt;\nblock\n&lt;/div&gt;\n</p>"), "{body}");

    site.write("site.yaml", format!("{yaml}markdown:\n  raw_html: allow\n"));
    let page = built(&site, "public/en/pilots/raw/index.html");
    assert!(article(&page).contains("<p>A <b onclick=\"alert(1)\">bold</b> word.</p>"), "{page}");

    site.write("site.yaml", format!("{yaml}markdown:\n  raw_html: sanitise\n"));
    let run = site.run(&["check"]);
    assert_eq!(run.code, 1);
    let line = yaml.lines().count() + 2;
    assert_eq!(
        run.diagnostics(),
        [format!(
            "site.yaml:{line}:13: error: `raw_html: sanitise` is not a choice (did you mean `sanitize`?): write `sanitize` (the default), `escape` or `allow`"
        )]
    );
}

#[test]
fn links_with_other_schemes_and_links_to_folders_are_errors() {
    let site = site_with(
        "[a](javascript:alert(1)) and ![i](data:image/png;base64,AAAA) and [b](JaVa%73cript:alert(2))\n\n\
         <vbscript:msgbox(1)> and [c][evil] and [d](C:\\Users\\me\\report.pdf)\n\n\
         [back](./) [up](..) [next](?page=2)\n\n\
         [evil]: javascript:alert(3)\n",
    );
    let run = site.run(&["build"]);
    assert_no_panic(&run);
    assert_eq!(run.code, 1);
    let allowed = "links may use http:, https:, mailto: or tel:, or point to a page (`@/pilots/avignon.md`) or a file of the site";
    let folder = "links to a folder, and a folder is not a page: link to a page by its id (`@/section/page.md`, or `@/section/_index.md` for a section's list of pages) or to a file by its name (`report.pdf`)";
    let f = "content/pilots/raw.en.md";
    assert_eq!(
        run.diagnostics(),
        [
            format!("{f}:6:1: error: `javascript:alert(1)` uses the scheme `javascript:`, which is not allowed: {allowed}"),
            format!("{f}:6:30: error: `data:image/png;base64,AAAA` uses the scheme `data:`, which is not allowed: {allowed}"),
            format!("{f}:6:67: error: `JaVa%73cript:alert(2)` uses the scheme `javascript:`, which is not allowed: {allowed}"),
            format!("{f}:8:1: error: `vbscript:msgbox(1)` uses the scheme `vbscript:`, which is not allowed: {allowed}"),
            format!("{f}:8:40: error: `C:\\Users\\me\\report.pdf` is a path on one computer, which readers cannot open: copy the file into `content/` or `static/` and link to it there ({allowed})"),
            format!("{f}:10:1: error: `./` {folder}"),
            format!("{f}:10:12: error: `..` {folder}"),
            format!("{f}:10:21: error: `?page=2` {folder}"),
            format!("{f}:12:1: error: `javascript:alert(3)` uses the scheme `javascript:`, which is not allowed: {allowed}"),
        ]
    );
    assert!(!site.exists("public"));
}

#[test]
fn email_autolinks_top_links_and_raw_html_ids_work() {
    let site = site_with(
        "Write to <contact@example.org> or [go to the top](#).\n\n\
         <a id=\"install\"></a>\n\n<div id=\"contacts\">Desk</div>\n\n\
         See [install](#install) and [France's desk](@/countries/france.md#desk).\n\n## Notes\n",
    );
    let france = site.read("content/countries/france.en.md");
    site.write(
        "content/countries/france.en.md",
        format!("{france}\n<p id=\"desk\">The desk.</p>\n\nSee [contacts](@/pilots/raw.md#contacts).\n"),
    );
    let page = built(&site, "public/en/pilots/raw/index.html");
    let body = article(&page);
    for needle in [
        "<a href=\"mailto:contact@example.org\">contact@example.org</a>",
        "<a href=\"#\">go to the top</a>",
        "<a id=\"install\"></a>",
        "<a href=\"#install\">install</a>",
        "<a href=\"../../countries/france/#desk\">France’s desk</a>",
    ] {
        assert!(body.contains(needle), "missing {needle} in\n{body}");
    }
    let france = site.read("public/en/countries/france/index.html");
    assert!(france.contains("<a href=\"../../pilots/raw/#contacts\">contacts</a>"), "{france}");
    // The print page rewrites raw-HTML ids like heading anchors.
    let print = site.read("public/en/print/index.html");
    assert!(print.contains("<div id=\"p-pilots-raw--contacts\">Desk</div>"), "raw id not prefixed");
    assert!(print.contains("<a href=\"#p-pilots-raw--install\">install</a>"), "same-page link not prefixed");
    assert!(print.contains("href=\"#p-countries-france--desk\""), "link to another page's raw id not rewritten");

    // A link to an id that no element has is still an error, with a position.
    site.write(
        "content/pilots/raw.en.md",
        "---\ntitle: Raw\ncountry: countries/france\n---\n\n<div id=\"contacts\">Desk</div>\n\nSee [x](#nowhere).\n",
    );
    let run = site.run(&["check"]);
    assert_eq!(
        run.diagnostics(),
        ["content/pilots/raw.en.md:8:5: error: heading anchor `#nowhere` not found on this page"]
    );
}

#[test]
fn text_that_looks_like_an_internal_marker_is_published_as_written() {
    let site = site_with(
        "Literal @@gb-link:0@@ and `@@gb-link:1@@` and &#64;&#64;gb-link:0&#64;&#64; \
         and <span title=\"@@gb-link:0@@\">x</span> next to [a real link](@/pilots/avignon.md).\n\n\
         ```\n@@gb-link:0@@\n```\n",
    );
    let page = built(&site, "public/en/pilots/raw/index.html");
    let body = article(&page);
    assert!(
        body.contains(
            "Literal @@gb-link:0@@ and <code>@@gb-link:1@@</code> and @@gb-link:0@@ and <span title=\"@@gb-link:0@@\">x</span> next to <a href=\"../avignon/\">a real link</a>."
        ),
        "{body}"
    );
    assert!(body.contains("<code>@@gb-link:0@@\n</code>"), "{body}");
}

#[test]
fn glossary_links_never_land_inside_an_attribute() {
    let site = TestSite::fixture("knowledge");
    site.write(
        "content/pilots/sarcelles.en.md",
        "---\ntitle: Sarcelles\ncountry: countries/france\n---\n\n\
         <abbr title=\"x> FTF <img src=x onerror=alert(1)>\">y</abbr> and <span title='a > FTF'>z</span>, then FTF.\n",
    );
    let page = built(&site, "public/en/pilots/sarcelles/index.html");
    let body = article(&page);
    assert!(
        body.contains(
            "<abbr title=\"x&gt; FTF &lt;img src=x onerror=alert(1)&gt;\">y</abbr> and <span title=\"a &gt; FTF\">z</span>, then <a class=\"glossary-link\""
        ),
        "{body}"
    );
    assert_eq!(body.matches("<img").count(), 0, "{body}");
}

#[test]
fn links_to_files_keep_their_fragment() {
    let site = site_with("Read [page 2](report.pdf#page=2) and [the notes](/files/notes.pdf#Résumé).\n");
    site.write("content/pilots/report.pdf", b"%PDF-1.4\n");
    site.write("static/files/notes.pdf", b"%PDF-1.4\n");
    let page = built(&site, "public/en/pilots/raw/index.html");
    let body = article(&page);
    assert!(body.contains("<a href=\"../../../pilots/report.pdf#page=2\">page 2</a>"), "{body}");
    assert!(body.contains("<a href=\"../../../files/notes.pdf#R%C3%A9sum%C3%A9\">the notes</a>"), "{body}");
}

#[test]
fn sections_without_an_index_file_can_be_linked() {
    // The valid fixture's `countries` section has no `_index` file.
    let site = site_with("All [countries](@/countries/_index.md), or [the same](@/countries.md).\n");
    let page = built(&site, "public/en/pilots/raw/index.html");
    let body = article(&page);
    assert!(
        body.contains("<a href=\"../../countries/\">countries</a>, or <a href=\"../../countries/\">the same</a>"),
        "{body}"
    );
}

#[test]
fn links_to_another_host_need_their_scheme() {
    let site = site_with("[cdn](//cdn.example.org/x.js) and <img src=\"//evil.example/t.png\" alt=\"t\">\n");
    let run = site.run(&["check"]);
    assert_eq!(run.code, 1);
    assert_eq!(
        run.diagnostics(),
        [
            "content/pilots/raw.en.md:6:1: error: `//cdn.example.org/x.js` names another host without a scheme, which readers of a copy on a shared drive would open as a network share: write the full address, with `https://`",
            "content/pilots/raw.en.md:6:35: warning: the `src` of `<img>` is removed: it names another host without a scheme (write `https://`): raw HTML may format text, but not run, embed or load anything (`markdown.raw_html` in site.yaml)",
        ]
    );
}

#[test]
fn aliases_may_not_take_an_address_the_build_writes() {
    let site = TestSite::fixture("valid");
    site.write(
        "content/pilots/raw.en.md",
        "---\ntitle: Raw\ncountry: countries/france\naliases: [pilots, print, themes/training, pilots/old-raw]\n---\n\nText.\n",
    );
    let run = site.run(&["check"]);
    assert_eq!(run.code, 1);
    let f = "content/pilots/raw.en.md:4:10: error: alias";
    assert_eq!(
        run.diagnostics(),
        [
            format!("{f} `pilots` is the address of the list of section `pilots`, which the build writes: choose another old address or remove it"),
            format!("{f} `print` is the address of the `print` page, which the build writes: choose another old address or remove it"),
            format!("{f} `themes/training` is the address of the pages of taxonomy `themes`, which the build writes: choose another old address or remove it"),
        ]
    );
}

#[test]
fn an_email_address_written_as_a_link_is_told_to_use_mailto() {
    let site = site_with("[mail](contact@example.org)\n");
    let run = site.run(&["check"]);
    assert_eq!(
        run.diagnostics(),
        ["content/pilots/raw.en.md:6:1: error: `contact@example.org` links to content/pilots/contact@example.org, which does not exist: for an email address, write `mailto:contact@example.org` or `<contact@example.org>`"]
    );
}

#[test]
fn file_names_meet_whatever_their_unicode_form() {
    // `café.pdf` as macOS saves it (e + combining acute), linked as typed (é).
    let site = site_with("[menu](café.pdf) and [tarif](/files/r\u{e9}sum\u{e9}.pdf)\n");
    site.write("content/pilots/cafe\u{301}.pdf", b"%PDF-1.4\n");
    site.write("static/files/re\u{301}sume\u{301}.pdf", b"%PDF-1.4\n");
    let page = built(&site, "public/en/pilots/raw/index.html");
    let body = article(&page);
    assert!(body.contains("<a href=\"../../../pilots/caf%C3%A9.pdf\">menu</a>"), "{body}");
    assert!(body.contains("<a href=\"../../../files/r%C3%A9sum%C3%A9.pdf\">tarif</a>"), "{body}");
    assert!(site.exists("public/pilots/caf\u{e9}.pdf") && site.exists("public/files/r\u{e9}sum\u{e9}.pdf"));
}

#[test]
fn an_alias_copied_with_its_language_folder_redirects_from_there() {
    let site = TestSite::fixture("valid");
    site.write(
        "content/pilots/raw.en.md",
        "---\ntitle: Raw\ncountry: countries/france\naliases: [/en/pilots/old-raw/, pilots/older-raw]\n---\n\nText.\n",
    );
    let redirect = built(&site, "public/en/pilots/old-raw/index.html");
    assert!(redirect.contains("<meta http-equiv=\"refresh\" content=\"0; url=../raw/\">"), "{redirect}");
    assert!(site.exists("public/en/pilots/older-raw/index.html"));
    assert!(!site.exists("public/en/en"));
}

/// What an editor writes in a link or a field reaches the terminal quoted in messages, but
/// never as terminal control: escapes, line breaks (which would forge a line of their own)
/// and the bidirectional overrides are written out.
#[test]
fn messages_never_carry_terminal_controls() {
    let site =
        site_with("[a](%1B%5B31mRED.pdf) [b](x%0Acontent/fake.md:1:1:%20error:%20forged.pdf) [c](x%E2%80%AEfdp.pdf)\n");
    let run = site.run(&["check"]);
    assert_no_panic(&run);
    for bad in ['\u{1b}', '\u{202e}'] {
        assert!(!run.stderr.contains(bad), "{:?}", run.stderr);
    }
    assert!(!run.stderr.lines().any(|l| l.starts_with("content/fake.md")), "{}", run.stderr);
    for shown in [
        "links to content/pilots/\\u{1b}[31mRED.pdf, which does not exist",
        "links to content/pilots/x\\u{a}content/fake.md:1:1: error: forged.pdf, which does not exist",
        "links to content/pilots/x\\u{202e}fdp.pdf, which does not exist",
    ] {
        assert!(run.stderr.contains(shown), "{shown}\n{}", run.stderr);
    }
}
