//! Links to files and headings whose names need percent-encoding (RFC 3986): the exact
//! `href` the build writes, and that a real HTTP server (`guidebook serve`, Python's
//! `http.server`) and a browser on `file://` open the linked file with it. The offline
//! build's links all name a file, never a folder.
//!
//! The fixture `tests/fixtures/links` holds the files whose names every system accepts;
//! the names Windows refuses or git tools mishandle are written into the temporary copy
//! by [`site`] before building.

mod support;

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::{Command, Stdio};
use std::time::Duration;
use support::{assert_no_panic, Server, TestSite};

/// File names created at run time, beside the page (`content/docs/`) and in `static/files/`.
const CREATED: [&str; 4] = ["annual report #2.pdf", "what?.pdf", "100%.pdf", "a\\b.pdf"];

/// The fixture with every awkward file name in place. Each PDF holds `<place> <name>\n`
/// (`content what?.pdf`), so that a test can tell which file it was given.
fn site() -> TestSite {
    let site = TestSite::fixture("links");
    for name in CREATED {
        site.write(&format!("content/docs/{name}"), format!("content {name}\n"));
        site.write(&format!("static/files/{name}"), format!("static {name}\n"));
    }
    site
}

fn built(args: &[&str]) -> TestSite {
    let site = site();
    let mut all = vec!["build"];
    all.extend_from_slice(args);
    let run = site.run(&all);
    assert_no_panic(&run);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(run.diagnostics(), Vec::<&str>::new());
    site
}

/// Every link of the guide page to a file: (link text, exact href, file on disk below
/// the output, its bytes).
fn file_links() -> Vec<(&'static str, &'static str, String, String)> {
    let content = |text, href, name: &str| (text, href, format!("docs/{name}"), format!("content {name}\n"));
    let stat = |text, href, name: &str| (text, href, format!("files/{name}"), format!("static {name}\n"));
    vec![
        content("space", "../../../docs/report%202019.pdf", "report 2019.pdf"),
        content("space, encoded", "../../../docs/report%202019.pdf", "report 2019.pdf"),
        content("hash", "../../../docs/annual%20report%20%232.pdf", "annual report #2.pdf"),
        content("hash, as named", "../../../docs/annual%20report%20%232.pdf", "annual report #2.pdf"),
        content("question", "../../../docs/what%3F.pdf", "what?.pdf"),
        content("question, as named", "../../../docs/what%3F.pdf", "what?.pdf"),
        content("percent", "../../../docs/100%25.pdf", "100%.pdf"),
        content("percent, as named", "../../../docs/100%25.pdf", "100%.pdf"),
        content("backslash", "../../../docs/a%5Cb.pdf", "a\\b.pdf"),
        content("backslash, as named", "../../../docs/a%5Cb.pdf", "a\\b.pdf"),
        content("accents", "../../../docs/r%C3%A9sum%C3%A9.pdf", "résumé.pdf"),
        content("accents, encoded", "../../../docs/r%C3%A9sum%C3%A9.pdf", "résumé.pdf"),
        stat("space", "../../../files/report%202019.pdf", "report 2019.pdf"),
        stat("hash", "../../../files/annual%20report%20%232.pdf", "annual report #2.pdf"),
        stat("question", "../../../files/what%3F.pdf", "what?.pdf"),
        stat("percent", "../../../files/100%25.pdf", "100%.pdf"),
        stat("backslash", "../../../files/a%5Cb.pdf", "a\\b.pdf"),
        stat("accents", "../../../files/r%C3%A9sum%C3%A9.pdf", "résumé.pdf"),
    ]
}

const IMAGE_SRC: &str = "../../../docs/graph%20%C3%A9t%C3%A9.svg";
const GUIDE: &str = "public/en/docs/guide/index.html";

#[test]
fn file_links_are_percent_encoded_segment_by_segment() {
    let site = built(&[]);
    let html = site.read(GUIDE);
    for (text, href, _, _) in file_links() {
        let link = format!("<a href=\"{href}\">{text}</a>");
        assert!(html.contains(&link), "{link} missing in\n{html}");
    }
    assert!(html.contains(&format!("<img src=\"{IMAGE_SRC}\" alt=\"A graph\"")), "{html}");
    // The files keep their names on disk.
    for (_, _, file, bytes) in file_links() {
        assert_eq!(site.read(&format!("public/{file}")), bytes, "{file}");
    }
    assert!(site.exists("public/docs/graph été.svg"));
}

#[test]
fn every_file_link_opens_its_file_from_file_urls() {
    let site = built(&[]);
    let page = url::Url::from_file_path(site.path(GUIDE)).expect("file URL");
    for (text, href, file, bytes) in file_links() {
        let resolved = page.join(href).expect("join");
        let path = resolved.to_file_path().expect("a file path");
        assert_eq!(path, site.path(&format!("public/{file}")), "{text}: {href}");
        assert_eq!(std::fs::read_to_string(&path).expect("read"), bytes, "{text}: {href}");
    }
    let image = page.join(IMAGE_SRC).expect("join").to_file_path().expect("path");
    assert_eq!(image, site.path("public/docs/graph été.svg"));
}

#[test]
fn anchors_are_encoded_and_ids_are_not() {
    let site = built(&[]);
    let guide = site.read(GUIDE);
    for needle in [
        "<h2 id=\"résultats\">Résultats</h2>",
        "<h2 id=\"ελληνικά\">Ελληνικά</h2>",
        "<h2 id=\"costs:2019\">Costs</h2>",
        "<a href=\"#r%C3%A9sultats\">the results</a>",
        "<a href=\"#%CE%B5%CE%BB%CE%BB%CE%B7%CE%BD%CE%B9%CE%BA%CE%AC\">the Greek heading</a>",
        "<a href=\"#costs:2019\">the costs</a>",
        // The table of contents.
        "<a href=\"#r%C3%A9sultats\">Résultats</a>",
        // Taxonomy terms with spaces and accents: their slugs.
        "<a href=\"../../themes/case-management/\">case management</a>",
        "<a href=\"../../themes/resume-ecrit/\">résumé écrit</a>",
    ] {
        assert!(guide.contains(needle), "{needle} missing in\n{guide}");
    }
    let other = site.read("public/en/docs/other/index.html");
    for needle in [
        "<a href=\"../guide/#r%C3%A9sultats\">the guide’s results</a>",
        "<a href=\"../guide/#costs:2019\">its costs</a>",
        "<a href=\"../../../docs/report%202019.pdf\">its report</a>",
    ] {
        assert!(other.contains(needle), "{needle} missing in\n{other}");
    }
    assert!(site.read("public/en/index.html").contains("<a href=\"docs/guide/#r%C3%A9sultats\">its results</a>"));
    let print = site.read("public/en/print/index.html");
    for needle in [
        "<h2 id=\"p-docs-guide--résultats\">Résultats</h2>",
        "<a href=\"#p-docs-guide--r%C3%A9sultats\">the results</a>",
        "<a href=\"#p-docs-guide--%CE%B5%CE%BB%CE%BB%CE%B7%CE%BD%CE%B9%CE%BA%CE%AC\">the Greek heading</a>",
        "<a href=\"#p-docs-guide--r%C3%A9sultats\">the guide’s results</a>",
    ] {
        assert!(print.contains(needle), "{needle} missing in the print page");
    }
}

#[test]
fn aliases_keep_their_names_on_disk_and_redirect_to_the_page() {
    let site = built(&[]);
    for alias in ["public/en/old/ancien-résumé/index.html", "public/en/old/with space/index.html"] {
        let html = site.read(alias);
        assert!(html.contains("<meta http-equiv=\"refresh\" content=\"0; url=../../docs/guide/\">"), "{html}");
        assert!(html.contains("<a href=\"../../docs/guide/\">Guide</a>"), "{html}");
    }
}

#[test]
fn sitemap_feeds_and_canonical_links_are_absolute_and_encoded() {
    let site = built(&["--base-url", "https://example.org/guide/"]);
    let sitemap = site.read("public/sitemap.xml");
    for needle in [
        "<loc>https://example.org/guide/en/</loc>",
        "<loc>https://example.org/guide/en/docs/guide/</loc>",
        "<loc>https://example.org/guide/en/docs/other/</loc>",
    ] {
        assert!(sitemap.contains(needle), "{needle} missing in\n{sitemap}");
    }
    let feed = site.read("public/en/atom.xml");
    for needle in [
        "<link rel=\"self\" type=\"application/atom+xml\" href=\"https://example.org/guide/en/atom.xml\"/>",
        "<link rel=\"alternate\" type=\"text/html\" href=\"https://example.org/guide/en/docs/guide/\"/>",
        "<id>https://example.org/guide/en/docs/guide/</id>",
    ] {
        assert!(feed.contains(needle), "{needle} missing in\n{feed}");
    }
    let guide = site.read(GUIDE);
    assert!(guide.contains("<link rel=\"canonical\" href=\"https://example.org/guide/en/docs/guide/\">"), "{guide}");
}

#[test]
fn offline_search_form_opens_the_results_page() {
    let site = built(&["--offline"]);
    let action = |file: &str| {
        let html = site.read(file);
        let at = html.find("<form class=\"search-box\"").expect("search box");
        attribute_values(&html[at..], "action").into_iter().next().expect("action")
    };
    assert_eq!(action("public/en/index.html"), "search/index.html");
    assert_eq!(action(GUIDE), "../../search/index.html");
    assert_eq!(action("public/fr/search/index.html"), "index.html");
    assert!(site.exists("public/en/search/index.html"));
}

#[test]
fn offline_links_name_files_that_exist_never_folders() {
    let site = built(&["--offline"]);
    let mut checked = 0;
    for (rel, _) in site.snapshot("public") {
        // Servers show the 404 pages at any address, so their links start from the site's root.
        if !rel.ends_with(".html") || rel == "404.html" || rel.ends_with("/404.html") {
            continue;
        }
        let html = site.read(&format!("public/{rel}"));
        let page = url::Url::from_file_path(site.path(&format!("public/{rel}"))).expect("file URL");
        for attr in ["href", "action", "src"] {
            for value in attribute_values(&html, attr) {
                let external = ["http:", "https:", "mailto:", "tel:"].iter().any(|s| value.starts_with(s));
                if value.is_empty() || value.starts_with('#') || external {
                    continue;
                }
                assert!(!value.ends_with('/') && value != ".", "{rel}: {attr}=\"{value}\" names a folder");
                let path = page.join(&value).expect("join").to_file_path().expect("path");
                assert!(path.is_file(), "{rel}: {attr}=\"{value}\" opens nothing from file://");
                checked += 1;
            }
        }
    }
    assert!(checked > 200, "only {checked} links checked");
}

/// The values of every `name="..."` attribute in `html`, with `&amp;` decoded.
fn attribute_values(html: &str, name: &str) -> Vec<String> {
    let open = format!(" {name}=\"");
    let mut values = Vec::new();
    let mut rest = html;
    while let Some(at) = rest.find(&open) {
        let after = &rest[at + open.len()..];
        let end = after.find('"').unwrap_or(after.len());
        values.push(after[..end].replace("&amp;", "&"));
        rest = &after[end..];
    }
    values
}

/// Starts `cmd` and reads the port it listens on from the first line of `stream`
/// (`stderr` or `stdout`) that holds `marker` followed by the port.
fn start_server(mut cmd: Command, from_stderr: bool, marker: &str) -> Server {
    if from_stderr {
        cmd.stderr(Stdio::piped()).stdout(Stdio::null());
    } else {
        cmd.stdout(Stdio::piped()).stderr(Stdio::null());
    }
    let mut child = cmd.spawn().expect("start the server");
    let stream: Box<dyn Read + Send> = if from_stderr {
        Box::new(child.stderr.take().expect("stderr"))
    } else {
        Box::new(child.stdout.take().expect("stdout"))
    };
    let mut lines = BufReader::new(stream).lines();
    let port = loop {
        let line = lines.next().expect("the server stopped before listening").expect("read");
        if let Some(rest) = line.split(marker).nth(1) {
            let digits: String = rest.chars().take_while(char::is_ascii_digit).collect();
            break digits.parse().expect("port");
        }
    };
    // Keep reading its output so the server never blocks on a full pipe.
    std::thread::spawn(move || for _ in lines.by_ref() {});
    Server { child, port }
}

/// `GET path` on the loopback port: status and body.
fn get(port: u16, path: &str) -> (u16, Vec<u8>) {
    let mut stream = TcpStream::connect(("127.0.0.1", port)).expect("connect");
    stream.set_read_timeout(Some(Duration::from_secs(20))).expect("timeout");
    let request = format!("GET {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nConnection: close\r\n\r\n");
    stream.write_all(request.as_bytes()).expect("send");
    let mut response = Vec::new();
    let _ = stream.read_to_end(&mut response);
    let head_end = response.windows(4).position(|w| w == b"\r\n\r\n").map_or(response.len(), |p| p + 4);
    let head = String::from_utf8_lossy(&response[..head_end]);
    let status = head.split_whitespace().nth(1).and_then(|s| s.parse().ok()).unwrap_or(0);
    (status, response[head_end..].to_vec())
}

/// Requests every file link of the guide page as a browser would (the `href` resolved
/// against the page's address) and checks the server returns that file.
fn assert_files_served(port: u16) {
    let page = url::Url::parse(&format!("http://127.0.0.1:{port}/en/docs/guide/")).expect("page URL");
    for (text, href, _, bytes) in file_links() {
        let resolved = page.join(href).expect("join");
        let (status, body) = get(port, resolved.path());
        assert_eq!(status, 200, "{text}: {href} -> {}", resolved.path());
        assert_eq!(String::from_utf8_lossy(&body), bytes, "{text}: {href} -> {}", resolved.path());
    }
    let image = page.join(IMAGE_SRC).expect("join");
    assert_eq!(get(port, image.path()).0, 200, "{}", image.path());
    for alias in ["/en/old/ancien-r%C3%A9sum%C3%A9/", "/en/old/with%20space/"] {
        let (status, body) = get(port, alias);
        assert_eq!(status, 200, "{alias}");
        assert!(String::from_utf8_lossy(&body).contains("<a href=\"../../docs/guide/\">Guide</a>"), "{alias}");
    }
}

#[test]
fn guidebook_serve_returns_every_linked_file() {
    let site = site();
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_guidebook"));
    cmd.args(["serve", "--no-watch", "--bind", "127.0.0.1:0"]).current_dir(site.root());
    let server = start_server(cmd, true, "http://127.0.0.1:");
    assert_files_served(server.port);
}

#[test]
fn python_http_server_returns_every_linked_file() {
    let site = built(&[]);
    if Command::new("python3").arg("--version").output().is_err() {
        eprintln!("python3 is not installed: this test checks nothing");
        return;
    }
    let mut cmd = Command::new("python3");
    cmd.args(["-u", "-m", "http.server", "0", "--bind", "127.0.0.1", "--directory"]).arg(site.path("public"));
    let server = start_server(cmd, false, " port ");
    assert_files_served(server.port);
}

/// A missing file whose name holds `#` or `?` is named whole, as written (it was named cut
/// there, as if the rest were an anchor or a query); a real anchor after a page or a file
/// name is still an anchor (after a name with `#` too), and `%23` is a `#` of the name.
#[test]
fn a_missing_file_is_named_whole_with_its_hash() {
    let site = site();
    site.write(
        "content/docs/missing.en.md",
        "---\ntitle: Missing\n---\n\n[a](a#b.pdf), [b](<annual report #3.pdf>), [c](annual%20report%20%233.pdf),\n\
         [d](/files/what#2.pdf), ![e](chart#1.png), [f](what?2.pdf), [g](lost.pdf#page=2),\n\
         [h](other.md#nowhere), [i](<report 2019.pdf#page=2>) and [j](<annual report #2.pdf#page=1>).\n",
    );
    let run = site.run(&["check"]);
    assert_no_panic(&run);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert_eq!(
        run.diagnostics(),
        [
            "content/docs/missing.en.md:5:1: error: `a#b.pdf` links to content/docs/a#b.pdf, which does not exist (did you mean `a\\b.pdf`?)",
            "content/docs/missing.en.md:5:15: error: `annual report #3.pdf` links to content/docs/annual report #3.pdf, which does not exist (did you mean `<annual report #2.pdf>`?)",
            "content/docs/missing.en.md:5:44: error: `annual%20report%20%233.pdf` links to content/docs/annual report #3.pdf, which does not exist (did you mean `<annual report #2.pdf>`?)",
            "content/docs/missing.en.md:6:1: error: `/files/what#2.pdf` links to static/files/what#2.pdf, which does not exist (did you mean `/files/what?.pdf`?)",
            "content/docs/missing.en.md:6:25: error: `chart#1.png` links to content/docs/chart#1.png, which does not exist",
            "content/docs/missing.en.md:6:44: error: `what?2.pdf` links to content/docs/what?2.pdf, which does not exist (did you mean `what?.pdf`?)",
            "content/docs/missing.en.md:6:61: error: `lost.pdf#page=2` links to content/docs/lost.pdf, which does not exist",
            "content/docs/missing.en.md:7:1: error: heading anchor `#nowhere` not found in `docs/other`",
        ]
    );
}

/// The did-you-mean of a missing file is what to write in that page's link: relative to
/// the page's folder (`../` to go up), `/` and the path inside `static/` for a file there,
/// and in angle brackets when the name has a space. Written so, each link finds its file.
#[test]
fn a_missing_file_suggests_the_link_to_write_in_that_page() {
    let site = site();
    site.write("content/plan 2024.pdf", "content plan 2024.pdf\n");
    let page = |links: &str| format!("---\ntitle: Near\n---\n\n{links}\n");
    site.write(
        "content/docs/near.en.md",
        page("[a](../docs/wht?.pdf), [b](<../plan 2042.pdf>) and [c](/files/100%25.pfd)."),
    );
    site.write("content/top.en.md", page("[a](<docs/report 2109.pdf>) and [b](docs/resume.pdf)."));
    let run = site.run(&["check"]);
    assert_no_panic(&run);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert_eq!(
        run.diagnostics(),
        [
            "content/docs/near.en.md:5:1: error: `../docs/wht?.pdf` links to content/docs/wht?.pdf, which does not exist (did you mean `what?.pdf`?)",
            "content/docs/near.en.md:5:24: error: `../plan 2042.pdf` links to content/plan 2042.pdf, which does not exist (did you mean `<../plan 2024.pdf>`?)",
            "content/docs/near.en.md:5:52: error: `/files/100%25.pfd` links to static/files/100%.pfd, which does not exist (did you mean `/files/100%.pdf`?)",
            "content/plan 2024.pdf:1:1: warning: no published page links to this file, yet it is copied to the output: link it from a page, delete it, or add it to `ignore:` in site.yaml",
            "content/top.en.md:5:1: error: `docs/report 2109.pdf` links to content/docs/report 2109.pdf, which does not exist (did you mean `<docs/report 2019.pdf>`?)",
            "content/top.en.md:5:33: error: `docs/resume.pdf` links to content/docs/resume.pdf, which does not exist (did you mean `docs/résumé.pdf`?)",
        ]
    );
    // Each suggestion, written in its page, finds its file.
    site.write("content/docs/near.en.md", page("[a](what?.pdf), [b](<../plan 2024.pdf>) and [c](/files/100%.pdf)."));
    site.write("content/top.en.md", page("[a](<docs/report 2019.pdf>) and [b](docs/résumé.pdf)."));
    let run = site.run(&["check"]);
    assert_no_panic(&run);
    assert_eq!(run.diagnostics(), Vec::<&str>::new(), "{}", run.stderr);
}
