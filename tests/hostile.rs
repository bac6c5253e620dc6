//! Issue #11: what an editor writes can never attack a reader. The fixture
//! `tests/fixtures/hostile` puts injection payloads in every place an editor writes (page
//! bodies, raw HTML, every link form, front matter, taxonomy terms, file names, charts,
//! glossary entries, interface strings); `tests/browser/hostile.test.mjs` reads it in
//! Chromium. These tests check what the build writes and says, without a browser.

mod support;

use guidebook::fuzzing::{attributes, decode_entities, pieces, tag_name, Piece};
use support::{assert_no_panic, TestSite};

/// The schemes a published address may have (or none: a relative address).
const ALLOWED_SCHEMES: [&str; 4] = ["http", "https", "mailto", "tel"];

/// Attributes whose value is an address the browser may load or open.
const URL_ATTRIBUTES: [&str; 12] = [
    "href",
    "src",
    "srcset",
    "action",
    "formaction",
    "data",
    "xlink:href",
    "poster",
    "background",
    "codebase",
    "cite",
    "ping",
];

/// Elements that run, load or hide markup, and never come from the theme or a sanitised page.
const FORBIDDEN_ELEMENTS: [&str; 18] = [
    "iframe",
    "frame",
    "frameset",
    "object",
    "embed",
    "applet",
    "base",
    "style",
    "template",
    "xmp",
    "plaintext",
    "noembed",
    "noscript",
    "math",
    "foreignobject",
    "animate",
    "set",
    "use",
];

/// The scheme of an address as a browser reads it (ASCII whitespace and control characters
/// dropped, lowercased), if it has one.
fn scheme(address: &str) -> Option<String> {
    let cleaned: String =
        decode_entities(address).chars().filter(|c| !c.is_ascii_whitespace() && !c.is_control()).collect();
    let (scheme, _) = cleaned.split_once(':')?;
    let valid = scheme.starts_with(|c: char| c.is_ascii_alphabetic())
        && scheme.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'));
    valid.then(|| scheme.to_ascii_lowercase())
}

/// What in the tags of `html` (an output file at `path`) could run or load something.
fn dangerous_tags(path: &str, html: &str) -> Vec<String> {
    let mut found = Vec::new();
    for piece in pieces(html) {
        let Piece::Tag(tag) = piece else { continue };
        if tag.starts_with("</") {
            continue;
        }
        let name = tag_name(tag);
        let attrs = attributes(tag);
        let value = |n: &str| attrs.iter().find(|a| a.name.eq_ignore_ascii_case(n)).map(|a| decode_entities(a.value));
        let mut say = |what: String| found.push(format!("{path}: {what} in {tag}"));
        // The results page says in a <noscript> that search needs JavaScript.
        let theirs = name == "noscript" && path.ends_with("search/index.html");
        if FORBIDDEN_ELEMENTS.contains(&name.as_str()) && !theirs {
            say(format!("<{name}>"));
        }
        if name == "script" {
            // The theme has no inline script (see tests/csp.rs): only its own files.
            let ours = value("src").is_some_and(|s| {
                ["js/search.js", "js/browse.js", "js/theme.js", "js/languages.js"].iter().any(|o| s.ends_with(o))
            });
            if !ours {
                say("a script".into());
            }
        }
        if name == "meta" && value("http-equiv").is_some() {
            // Alias pages redirect to a relative address.
            let content = value("content").unwrap_or_default();
            let relative = content.strip_prefix("0; url=").is_some_and(|target| scheme(target).is_none());
            if !relative {
                say("a refresh".into());
            }
        }
        for a in &attrs {
            let attr = a.name.to_ascii_lowercase();
            if attr.starts_with("on") || attr == "srcdoc" {
                say(format!("`{attr}`"));
            }
            if URL_ATTRIBUTES.contains(&attr.as_str()) {
                if let Some(s) = scheme(a.value).filter(|s| !ALLOWED_SCHEMES.contains(&s.as_str())) {
                    say(format!("`{attr}` with the scheme `{s}:`"));
                }
            }
            if attr == "style" {
                let v = decode_entities(a.value).to_ascii_lowercase();
                if ["url(", "expression", "@import", "behavior", "binding", "javascript"].iter().any(|n| v.contains(n))
                {
                    say("a style that loads or runs".into());
                }
            }
        }
    }
    found
}

/// Every `.html` file under `dir`, as (path relative to it, contents).
fn html_files(dir: &std::path::Path) -> Vec<(String, String)> {
    walkdir::WalkDir::new(dir)
        .sort_by_file_name()
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file() && e.path().extension().is_some_and(|x| x == "html"))
        .map(|e| {
            let rel = e.path().strip_prefix(dir).expect("inside").to_string_lossy().replace('\\', "/");
            (rel, std::fs::read_to_string(e.path()).expect("read"))
        })
        .collect()
}

/// The hostile fixture with `markdown: { raw_html: MODE }` appended to its site.yaml.
fn hostile_with(mode: &str) -> TestSite {
    let site = TestSite::fixture("hostile");
    let yaml = site.read("site.yaml");
    site.write("site.yaml", format!("{yaml}markdown: {{ raw_html: {mode} }}\n"));
    site
}

#[test]
fn the_hostile_site_builds_and_no_tag_it_writes_can_run_anything() {
    let site = TestSite::fixture("hostile");
    if cfg!(unix) {
        // Names Windows refuses, so they cannot live in git.
        site.write("content/pilots/\"><img src=x onerror=alert(`N3`)>.txt", "three\n");
        site.write(
            "content/pilots/generated-names.en.md",
            "---\ntitle: File names git cannot hold\ncountry: countries/nowhere\n---\n\n\
             [three](<%22%3E%3Cimg%20src=x%20onerror=alert(`N3`)%3E.txt>)\n",
        );
    }
    let run = site.run(&["build"]);
    assert_no_panic(&run);
    assert_eq!(run.code, 0, "{}", run.stderr);
    // The only messages are the warnings that tell editors what the sanitiser removed,
    // and what a heading cannot carry.
    let others: Vec<&str> = run
        .diagnostics()
        .into_iter()
        .filter(|d| !(d.contains(": warning: ") && d.ends_with("(`markdown.raw_html` in site.yaml)")))
        .filter(|d| !d.contains(": warning: the heading attribute `on"))
        .collect();
    assert_eq!(others, Vec::<&str>::new());
    assert!(run.diagnostics().len() >= 100, "{} warnings", run.diagnostics().len());
    let files = html_files(&site.path("public"));
    assert!(files.len() >= 80, "{} pages", files.len());
    let found: Vec<String> = files.iter().flat_map(|(path, html)| dangerous_tags(path, html)).collect();
    assert_eq!(found, Vec::<String>::new());
    // The payloads are still there, as text a reader can see.
    let page = site.read("public/en/pilots/script-tags/index.html");
    assert!(page.contains("<h1>Script tags</h1>"), "{page}");
    // Headings named like the layout's elements do not take their ids (DOM clobbering).
    let forms = site.read("public/en/pilots/markdown-forms/index.html");
    assert!(forms.contains("<h2 id=\"section-search-page\">Search page</h2>"), "{forms}");
    assert!(forms.contains("<h2 id=\"section-main\">Main</h2>"), "{forms}");
    let front = site.read("public/en/pilots/front-matter/index.html");
    assert!(front.contains("<h1>&quot;&gt;&lt;script&gt;alert(&#39;F1&#39;)&lt;/script&gt;&lt;/title&gt;"), "{front}");
}

#[test]
fn the_check_finds_payloads_in_a_page_built_with_raw_html_allowed() {
    // The scan above would see them: under `allow` the same site publishes them as written.
    let site = hostile_with("allow");
    let run = site.run(&["build"]);
    assert_no_panic(&run);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let page = site.read("public/en/pilots/script-tags/index.html");
    assert!(page.contains("<script>alert('P01')</script>"), "{page}");
    let found =
        dangerous_tags("en/pilots/event-handlers/index.html", &site.read("public/en/pilots/event-handlers/index.html"));
    assert!(found.iter().any(|f| f.contains("`onerror`")), "{found:?}");
}

#[test]
fn raw_html_escape_shows_the_payloads_as_text() {
    let site = hostile_with("escape");
    // Escaped, `<span id="focus-me">` is text, and no longer an anchor to link to.
    let page = site.read("content/pilots/event-handlers.en.md");
    site.write("content/pilots/event-handlers.en.md", page.replace(" [focus it](#focus-me)", ""));
    let run = site.run(&["build"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let page = site.read("public/en/pilots/script-tags/index.html");
    assert!(page.contains("<p>&lt;SCRIPT&gt;confirm('P02')&lt;/SCRIPT&gt;\n"), "{page}");
    let found: Vec<String> =
        html_files(&site.path("public")).iter().flat_map(|(path, html)| dangerous_tags(path, html)).collect();
    assert_eq!(found, Vec::<String>::new());
}

/// The messages an editor reads for `tests/fixtures/hostile-links`, in order.
const LINK_ERRORS: [(&str, &str, &str); 18] = [
    ("5:1", "javascript", "javascript:alert(1)"),
    ("6:10", "javascript", "JaVaScRiPt:alert(2)"),
    ("7:1", "javascript", "  javascript:alert(3)"),
    ("8:1", "javascript", "jav\\u{9}ascript:alert(4)"),
    ("9:1", "javascript", "javascript:alert(5)"),
    ("10:1", "javascript", "java%73cript:alert(6)"),
    ("11:1", "javascript", "%6Aavascript:alert(7)"),
    ("12:1", "javascript", "java\\u{1}script:alert(8)"),
    ("13:1", "vbscript", "vbscript:msgbox(9)"),
    ("14:1", "data", "data:text/html;base64,PHNjcmlwdD5hbGVydCgxMCk8L3NjcmlwdD4="),
    ("15:1", "javascript", "javascript:alert(11)"),
    ("16:1", "data", "data:image/svg+xml,%3Csvg%20onload=alert(12)%3E"),
    ("18:5", "javascript", "javascript:alert(13)"),
    ("19:1", "vbscript", "vbscript:msgbox(14)"),
    ("20:1", "file", "file:///etc/passwd"),
    ("21:1", "", "C:\\Users\\me\\report.pdf"),
    ("23:1", "javascript", "javascript:alert(15)"),
    ("24:1", "data", "data:text/html,x"),
];

#[test]
fn markdown_links_with_other_schemes_are_errors_at_their_place() {
    let site = TestSite::fixture("hostile-links");
    let allowed = "links may use http:, https:, mailto: or tel:, or point to a page (`@/pilots/avignon.md`) or a file of the site";
    let expected: Vec<String> = LINK_ERRORS
        .iter()
        .map(|(at, scheme, dest)| {
            let message = if scheme.is_empty() {
                format!("`{dest}` is a path on one computer, which readers cannot open: copy the file into `content/` or `static/` and link to it there ({allowed})")
            } else {
                format!("`{dest}` uses the scheme `{scheme}:`, which is not allowed: {allowed}")
            };
            format!("content/_index.en.md:{at}: error: {message}")
        })
        .collect();
    for command in ["build", "check"] {
        let run = site.run(&[command]);
        assert_no_panic(&run);
        assert_eq!(run.code, 1, "{command}: {}", run.stderr);
        assert_eq!(run.diagnostics(), expected, "{command}");
        assert_eq!(run.summary(), "error: 18 errors, 0 warnings; nothing was written", "{command}");
        assert!(!site.exists("public"), "nothing may be written");
    }
}
