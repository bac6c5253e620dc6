//! `guidebook serve` on a fixture site, started on a free port: pages, live rebuilds, the
//! error overlay's channel, the search API, and requests that must not get a byte from
//! outside the output.

mod support;

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};
use support::{Server, TestSite};

fn start(site: &TestSite, extra: &[&str]) -> Server {
    start_logged(site, extra).0
}

/// [`start`], and what the server prints, as it prints it.
fn start_logged(site: &TestSite, extra: &[&str]) -> (Server, std::sync::Arc<std::sync::Mutex<String>>) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_guidebook"))
        .args(["serve", "--bind", "127.0.0.1:0"])
        .args(extra)
        .current_dir(site.root())
        .stderr(Stdio::piped())
        .stdout(Stdio::null())
        .spawn()
        .expect("start serve");
    let stderr = child.stderr.take().expect("stderr");
    let mut lines = BufReader::new(stderr).lines();
    let mut before = String::new();
    let port = loop {
        let line = lines.next().expect("serve stopped early").expect("read");
        before.push_str(&line);
        before.push('\n');
        if let Some(rest) = line.split("http://127.0.0.1:").nth(1) {
            break rest
                .trim_end_matches(|c: char| !c.is_ascii_digit())
                .split('/')
                .next()
                .unwrap_or_default()
                .parse()
                .expect("port");
        }
    };
    // Keep reading the terminal lines so the server never blocks on a full pipe.
    let log = std::sync::Arc::new(std::sync::Mutex::new(before));
    let printed = std::sync::Arc::clone(&log);
    std::thread::spawn(move || {
        for line in lines.map_while(Result::ok) {
            if let Ok(mut log) = printed.lock() {
                log.push_str(&line);
                log.push('\n');
            }
        }
    });
    (Server { child, port }, log)
}

/// A first build that fails with no site built before says there is nothing to serve;
/// every address answers a page that says so (with the live-reload script, so that the
/// problems show over it and it reloads); the fix builds the site, search included.
#[test]
fn a_failed_first_build_says_there_is_no_site_yet() {
    let site = TestSite::fixture("knowledge");
    let good = "---\ntitle: FACE\nparent: organisations/network\n---\n\nQuokkas.\n";
    site.write("content/organisations/face.en.md", good.replace("network", "nowhere"));
    let (server, log) = start_logged(&site, &[]);
    let printed = || log.lock().map(|l| l.clone()).unwrap_or_default();
    wait_for("the failure", || printed().contains("error: 1 error"));
    assert!(
        printed().contains(
            "error: 1 error, 0 warnings; there is no site to serve until they are fixed: open pages show them, and reload once you save the fix\n"
        ),
        "{}",
        printed()
    );
    let (status, page) = get(server.port, "/en/");
    assert_eq!(status, 404);
    assert!(page.contains("<h1>Not built yet</h1>") && page.contains("<script src=\"/__guidebook/live.js\"></script>"));
    let (status, answer) = get(server.port, "/api/search?q=quokkas&lang=en");
    assert_eq!(status, 503, "{answer}");
    assert!(
        answer.ends_with("the site is not built yet: fix the problems `guidebook serve` lists, then search again"),
        "{answer}"
    );
    site.write("content/organisations/face.en.md", good);
    wait_for("the fix", || get(server.port, "/en/organisations/face/").1.contains("Quokkas."));
    wait_for("the search", || printed().contains("search index updated in "));
    assert!(get(server.port, "/api/search?q=quokkas&lang=en").1.contains("\"total\":1"));
}

/// A file added beside the pages that no page shows yet reloads no open page: the reload
/// names it alone.
#[test]
fn a_new_file_reloads_no_open_page() {
    let site = TestSite::fixture("knowledge");
    let server = start(&site, &[]);
    let mut events = Events::open(server.port);
    events.until(|s| s.contains("event: ok"));
    site.write("content/pilots/notes.txt", "notes");
    // The reload event, and its data line, in full.
    let seen = events.until(|s| s.split("event: reload").nth(1).is_some_and(|r| r.contains("\n\n")));
    assert!(seen.contains("data: {\"only\":[\"/pilots/notes.txt\"]}"), "{seen}");
}

/// `serve`'s reload channel, opened as a page opens it, and what it said so far.
struct Events {
    stream: TcpStream,
    seen: String,
}

impl Events {
    fn open(port: u16) -> Self {
        let mut stream = TcpStream::connect(("127.0.0.1", port)).expect("connect");
        stream.set_read_timeout(Some(Duration::from_secs(30))).expect("timeout");
        let ask = format!("GET /__guidebook/events HTTP/1.1\r\nHost: localhost:{port}\r\n\r\n");
        stream.write_all(ask.as_bytes()).expect("ask for events");
        Events { stream, seen: String::new() }
    }

    /// Reads until what was said satisfies `done` (each read within 30 s); returns it.
    fn until(&mut self, done: impl Fn(&str) -> bool) -> String {
        let mut buf = [0u8; 4096];
        while !done(&self.seen) {
            let n = self.stream.read(&mut buf).expect("an event within 30 s");
            assert!(n > 0, "the event stream ended: {}", self.seen);
            self.seen.push_str(&String::from_utf8_lossy(&buf[..n]));
        }
        self.seen.clone()
    }
}

/// A site's warnings are printed once, not again at every save: a rebuild prints those
/// that are new and says how many remain. The rebuild's line says how many files it
/// rewrote; the print version follows in its own line; a save that changes nothing says
/// so, and no search index line follows it.
#[test]
fn warnings_are_not_printed_again_at_every_save() {
    let site = TestSite::fixture("knowledge");
    site.write("content/stray.txt", "not linked");
    let (server, log) = start_logged(&site, &[]);
    let printed = || log.lock().map(|l| l.clone()).unwrap_or_default();
    let warning = "content/stray.txt:1:1: warning: no published page links to this file";
    wait_for("the first build", || printed().contains("serving "));
    let pilot = "content/pilots/avignon.en.md";
    site.write(pilot, site.read(pilot).replace("is never linked.", "is never linked, nor this."));
    wait_for("the rebuild", || printed().contains("rebuilt "));
    let log = printed();
    assert_eq!(log.matches(warning).count(), 1, "{log}");
    assert!(log.contains(" (1 warning as before, not repeated): "), "{log}");
    // The English page; the French one is rendered again to the same bytes.
    assert!(log.contains(" files rendered, 1 rewritten; "), "{log}");
    wait_for("the print version", || printed().contains("print version rewritten in "));
    wait_for("the search index", || printed().contains("search index updated in "));
    site.write(pilot, site.read(pilot));
    wait_for("the second rebuild", || printed().matches("rebuilt ").count() == 2);
    std::thread::sleep(Duration::from_millis(1500));
    let log = printed();
    assert!(log.contains(" files rendered, 0 rewritten; "), "{log}");
    assert_eq!(log.matches("search index updated in ").count(), 1, "nothing changed, nothing to tell: {log}");
    assert_eq!(log.matches("print version rewritten in ").count(), 1, "{log}");
    // A broken save prints its error, and not the warning again.
    site.write(pilot, site.read(pilot).replace("country: countries/france", "country: countries/nowhere"));
    wait_for("the failure", || printed().contains("error: 1 error, 1 warning; still serving"));
    let log = printed();
    assert_eq!(log.matches(warning).count(), 1, "{log}");
    assert!(log.contains("\n(1 warning as before, not repeated)\n"), "{log}");
    drop(server);
}

/// Sends `request` as written and returns the status code and the whole response.
fn raw(port: u16, request: &str) -> (u16, String) {
    let mut stream = TcpStream::connect(("127.0.0.1", port)).expect("connect");
    stream.set_read_timeout(Some(Duration::from_secs(10))).expect("timeout");
    stream.write_all(request.as_bytes()).expect("send");
    let mut response = Vec::new();
    let _ = stream.read_to_end(&mut response);
    let text = String::from_utf8_lossy(&response).into_owned();
    let status = text.split_whitespace().nth(1).and_then(|s| s.parse().ok()).unwrap_or(0);
    (status, text)
}

fn get(port: u16, path: &str) -> (u16, String) {
    raw(port, &format!("GET {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nConnection: close\r\n\r\n"))
}

fn wait_for(what: &str, mut done: impl FnMut() -> bool) {
    let started = Instant::now();
    while !done() {
        assert!(started.elapsed() < Duration::from_secs(30), "timed out waiting for {what}");
        std::thread::sleep(Duration::from_millis(100));
    }
}

#[test]
fn serves_pages_with_live_reload_and_rebuilds_on_save() {
    let site = TestSite::fixture("knowledge");
    let server = start(&site, &[]);
    let (status, page) = get(server.port, "/en/organisations/face/");
    assert_eq!(status, 200);
    assert!(
        page.contains("A French foundation.")
            && page.contains("<script src=\"/__guidebook/live.js\"></script>\n</body>")
    );
    assert!(!page.to_ascii_lowercase().contains("access-control-allow-origin"));
    assert_eq!(get(server.port, "/en/organisations/face").0, 301, "a folder without its slash is redirected");
    site.write(
        "content/organisations/face.en.md",
        "---\ntitle: FACE\nparent: organisations/network\n---\n\nEdited in place.\n",
    );
    wait_for("the edit", || get(server.port, "/en/organisations/face/").1.contains("Edited in place."));
    // Save by rename, as vim and JetBrains editors do.
    site.write(
        "content/organisations/.face.en.md.tmp",
        "---\ntitle: FACE\nparent: organisations/network\n---\n\nSaved by rename.\n",
    );
    std::fs::rename(site.path("content/organisations/.face.en.md.tmp"), site.path("content/organisations/face.en.md"))
        .expect("rename");
    wait_for("the renamed save", || get(server.port, "/en/organisations/face/").1.contains("Saved by rename."));
    // A new page, then its removal.
    site.write("content/pilots/lyon.en.md", "---\ntitle: Lyon\ncountry: countries/france\n---\n\nNew.\n");
    wait_for("the new page", || get(server.port, "/en/pilots/lyon/").0 == 200);
    site.remove("content/pilots/lyon.en.md");
    wait_for("the removal", || get(server.port, "/en/pilots/lyon/").0 == 404);
}

#[test]
fn a_broken_save_keeps_the_last_good_site_and_reports_to_open_pages() {
    let site = TestSite::fixture("knowledge");
    let server = start(&site, &[]);
    let good = "---\ntitle: FACE\nparent: organisations/network\n---\n\nGood.\n";
    site.write("content/organisations/face.en.md", good);
    wait_for("the good save", || get(server.port, "/en/organisations/face/").1.contains("Good."));
    site.write("content/organisations/face.en.md", "---\ntitle: FACE\nparent: organisations/nowhere\n---\n\nBroken.\n");
    // The reload channel tells open pages what is wrong.
    let mut seen = String::new();
    wait_for("the error report", || {
        let mut stream = TcpStream::connect(("127.0.0.1", server.port)).expect("connect");
        stream.set_read_timeout(Some(Duration::from_millis(800))).expect("timeout");
        let _ = stream.write_all(
            format!("GET /__guidebook/events HTTP/1.1\r\nHost: localhost:{}\r\n\r\n", server.port).as_bytes(),
        );
        let mut buf = [0u8; 4096];
        let n = stream.read(&mut buf).unwrap_or(0);
        let m = stream.read(&mut buf[n..]).unwrap_or(0);
        seen = String::from_utf8_lossy(&buf[..n + m]).into_owned();
        seen.contains("event: errors")
    });
    assert!(
        seen.contains("content/organisations/face.en.md") && seen.contains("`organisations/nowhere` does not exist"),
        "{seen}"
    );
    assert!(get(server.port, "/en/organisations/face/").1.contains("Good."), "the last good page is still served");
    site.write("content/organisations/face.en.md", good.replace("Good.", "Fixed."));
    wait_for("the fix", || get(server.port, "/en/organisations/face/").1.contains("Fixed."));
}

#[test]
fn only_files_of_the_output_are_served() {
    let site = TestSite::fixture("knowledge");
    let outside = site
        .root()
        .parent()
        .expect("parent")
        .join(format!("{}-secret.txt", site.root().file_name().expect("name").to_string_lossy()));
    std::fs::write(&outside, "SECRET").expect("write");
    let server = start(&site, &["--no-watch"]);
    #[cfg(unix)]
    std::os::unix::fs::symlink(&outside, site.path("public/leak.txt")).expect("symlink");
    for path in [
        "/../site.yaml",
        "/%2e%2e/site.yaml",
        "/%2e%2e%2fsite.yaml",
        "/en/..%2f..%2fsite.yaml",
        "/%252e%252e/site.yaml",
        "/..%5c..%5csite.yaml",
        "/en/index.html%00.txt",
        "/c:/windows/win.ini",
        "/leak.txt",
        "/.git/config",
    ] {
        let (status, body) = get(server.port, path);
        assert!(status == 400 || status == 404, "{path}: {status}");
        assert!(!body.contains("SECRET") && !body.contains("languages:"), "{path} leaked a file");
    }
    let (status, _) =
        raw(server.port, "GET http://evil.example/en/ HTTP/1.1\r\nHost: evil.example\r\nConnection: close\r\n\r\n");
    assert_eq!(status, 400, "absolute-form request for another host");
    let (status, _) = raw(
        server.port,
        &format!("GET /en/ HTTP/1.1\r\nHost: attacker.example:{}\r\nConnection: close\r\n\r\n", server.port),
    );
    assert_eq!(status, 400, "DNS rebinding: a foreign Host");
    let (status, _) =
        raw(server.port, &format!("GET /en/ HTTP/1.1\r\nHost: localhost:{}\r\nConnection: close\r\n\r\n", server.port));
    assert_eq!(status, 200);
    let (status, _) =
        raw(server.port, &format!("GET /__guidebook/events HTTP/1.1\r\nHost: localhost:{}\r\nOrigin: http://evil.example\r\nConnection: close\r\n\r\n", server.port));
    assert_eq!(status, 403, "the reload channel checks the Origin");
}

#[test]
fn the_search_api_answers_like_the_command_line() {
    let site = TestSite::fixture("knowledge");
    let server = start(&site, &["--no-watch"]);
    let (status, response) = get(server.port, "/api/search?q=training&lang=en&limit=5");
    assert_eq!(status, 200);
    let body = response.split("\r\n\r\n").nth(1).unwrap_or_default();
    let api: serde_json::Value = serde_json::from_str(body).expect("JSON");
    let cli = site.run(&["search", "--json", "--lang", "en", "--limit", "5", "training"]);
    let cli: serde_json::Value = serde_json::from_str(&cli.stdout).expect("JSON");
    let ids = |v: &serde_json::Value| {
        v["hits"].as_array().map(|h| h.iter().map(|x| x["id"].clone()).collect::<Vec<_>>()).unwrap_or_default()
    };
    assert!(!ids(&api).is_empty());
    assert_eq!(ids(&api), ids(&cli));
    let (status, response) = get(server.port, "/api/search?q=training&kind=pilot");
    assert_eq!(status, 200);
    assert!(response.contains("\"id\":\"pilots/malaga\"") && !response.contains("recommendations/training"));
    let long = "(".repeat(2000);
    let (status, response) = get(server.port, &format!("/api/search?q={long}"));
    assert_eq!(status, 200);
    assert!(response.contains("\"total\":0"));
}

#[test]
fn many_saves_leave_the_server_running_with_the_last_content() {
    let site = TestSite::fixture("knowledge");
    let server = start(&site, &[]);
    let page = |n: usize| format!("---\ntitle: FACE\nparent: organisations/network\n---\n\nVersion {n}.\n");
    for n in 0..100 {
        site.write("content/organisations/face.en.md", page(n));
    }
    wait_for("the last of 100 saves", || get(server.port, "/en/organisations/face/").1.contains("Version 99."));
    for n in 0..50 {
        site.write("content/organisations/face.en.md", "---\ntitle: FACE\nparent: [broken\n---\n");
        std::thread::sleep(Duration::from_millis(30));
        site.write("content/organisations/face.en.md", page(1000 + n));
    }
    wait_for("the last fix", || get(server.port, "/en/organisations/face/").1.contains("Version 1049."));
}

#[test]
fn serving_to_the_network_needs_an_explicit_flag() {
    let site = TestSite::fixture("knowledge");
    let run = site.run(&["serve", "--bind", "0.0.0.0:0", "--no-watch"]);
    assert_eq!(run.code, 2);
    assert_eq!(
        run.stderr,
        "error: 0.0.0.0:0 is not a loopback address: anyone on the network could read the site; add --allow-remote if that is what you want\n"
    );
}

/// What would stop every build stops `serve` at once, with the flag to change.
#[test]
fn serve_stops_at_once_when_it_cannot_serve_a_site() {
    let site = TestSite::fixture("valid");
    let run = site.run(&["serve", "--bind", "127.0.0.1:0", "--no-watch", "--out", "content"]);
    assert_eq!(run.code, 2);
    assert_eq!(
        run.stderr,
        "error: refusing to write the output into `content`: it is inside `content`, one of the site's own folders; choose another --out\n"
    );
    let taken = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
    let addr = taken.local_addr().expect("addr").to_string();
    let run = site.run(&["serve", "--bind", &addr, "--no-watch"]);
    assert_eq!(run.code, 2);
    assert!(
        run.stderr.starts_with(&format!("error: cannot listen at {addr}: "))
            && run.stderr.ends_with("; choose another address with --bind, such as 127.0.0.1:8080\n"),
        "{}",
        run.stderr
    );
    site.remove("site.yaml");
    let run = site.run(&["serve", "--bind", "127.0.0.1:0", "--no-watch"]);
    assert_eq!(run.code, 2);
    assert_eq!(run.stderr, "error: no site.yaml in `.`: run guidebook in a site folder, or name one with --root DIR\n");
}

/// `serve` rewrites only the files a change touched, and writes the search indexes after
/// the pages: once it has caught up, its output must be exactly what `build` writes.
#[test]
fn rebuilds_in_place_leave_what_a_full_build_writes() {
    let site = TestSite::fixture("knowledge");
    let server = start(&site, &[]);
    let finds = |word: &str| get(server.port, &format!("/api/search?q={word}%20&lang=en")).1.contains("\"total\":1");
    site.write("content/pilots/lyon.en.md", "---\ntitle: Lyon\ncountry: countries/france\n---\n\nZanzibarquux.\n");
    wait_for("the new page in the index", || finds("zanzibarquux"));
    assert!(site.exists("public/en/pilots/lyon/index.html"));
    site.remove("content/pilots/lyon.en.md");
    wait_for("the removal from the index", || !finds("zanzibarquux"));
    assert!(!site.exists("public/en/pilots/lyon"), "a removed page's folder goes too");
    site.write(
        "content/organisations/face.en.md",
        "---\ntitle: FACE\nparent: organisations/network\n---\n\nQuokkas everywhere.\n",
    );
    wait_for("the edit in the index", || finds("quokkas"));
    drop(server);
    let served = site.snapshot("public");
    let run = site.run(&["build", "--out", "public-full"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let built = site.snapshot("public-full");
    assert_eq!(served.keys().collect::<Vec<_>>(), built.keys().collect::<Vec<_>>());
    for (path, bytes) in &built {
        assert!(served[path] == *bytes, "{path} differs from a full build's");
    }
}

/// Open pages are told which pages a text edit rewrote: first the page (not its other
/// languages, rendered again to the same bytes), then, once rendered after the others,
/// the print page; a page not named stays as it is, scrolled where its reader left it.
#[test]
fn a_text_edit_reloads_only_the_pages_that_show_it() {
    let site = TestSite::fixture("knowledge");
    let server = start(&site, &[]);
    let mut events = Events::open(server.port);
    events.until(|s| s.contains("event: ok"));
    let pilot = "content/pilots/avignon.en.md";
    site.write(pilot, site.read(pilot).replace("is never linked.", "is never linked, nor this."));
    let seen = events.until(|s| s.matches("event: reload").count() >= 2);
    let reloads: Vec<&str> = seen.lines().filter(|l| l.starts_with("data: {\"only\"")).collect();
    assert_eq!(reloads.len(), 2, "{seen}");
    assert_eq!(reloads[0], "data: {\"only\":[\"/en/pilots/avignon/\"]}", "{seen}");
    assert!(!reloads[0].contains("/en/print/"), "the print page comes after the pages: {seen}");
    assert_eq!(reloads[1], "data: {\"only\":[\"/en/print/\"]}", "{seen}");
}

/// The `Location` header of a response, if any.
fn location(response: &str) -> Option<&str> {
    response.lines().find_map(|l| l.strip_prefix("location: ").or_else(|| l.strip_prefix("Location: ")))
}

#[test]
fn redirects_stay_on_this_server_at_the_normalised_path() {
    let site = TestSite::fixture("knowledge");
    let server = start(&site, &["--no-watch"]);
    for (path, target) in [
        ("//en", "/en/"),
        ("//en/", "/en/"),
        ("///en//organisations//face", "/en/organisations/face/"),
        ("/en/organisations/face?from=menu", "/en/organisations/face/?from=menu"),
        ("//en?q=a//b", "/en/?q=a//b"),
        ("/en/./organisations/", "/en/organisations/"),
        ("/en/pilots/../organisations", "/en/organisations/"),
        ("/en/%2e/organisations/%2E%2e/", "/en/"),
        ("//evil.example/", "/evil.example/"),
        ("/./\\evil.example", "/%5Cevil.example"),
    ] {
        let (status, response) = get(server.port, path);
        assert_eq!((status, location(&response)), (301, Some(target)), "{path}");
    }
    assert_eq!(get(server.port, "/en/").0, 200);
    for climbing in ["/../en/", "/en/../../en/", "/%2e%2e/en/"] {
        assert_eq!(get(server.port, climbing).0, 400, "{climbing}");
    }
}

#[test]
fn the_search_api_refuses_bad_parameters_with_a_message() {
    let site = TestSite::fixture("knowledge");
    let server = start(&site, &["--no-watch"]);
    let body = |response: &str| response.split("\r\n\r\n").nth(1).unwrap_or_default().to_string();
    for (query, message) in [
        ("q=training&limit=ten", "limit must be a whole number from 1 to 100, not `ten`"),
        ("q=training&limit=-1", "limit must be a whole number from 1 to 100, not `-1`"),
        ("q=training&limit=0", "limit must be a whole number from 1 to 100, not `0`"),
        (
            "q=training&limit=100000000000000000000",
            "limit must be a whole number from 1 to 100, not `100000000000000000000`",
        ),
        ("q=training&q=exit", "parameter `q` is given more than once: give it once"),
        ("q=training&lang=en&lang=fr", "parameter `lang` is given more than once: give it once"),
        ("q=training&lang=it", "lang `it` is not a language of this site: use `en` or `fr`"),
        (
            "q=training&lang=..%2F..%2Fsite.yaml",
            "lang `../../site.yaml` is not a language of this site: use `en` or `fr`",
        ),
        (
            "q=training&kind=pilto",
            "kind `pilto` is not a kind of this site (did you mean `pilot`?): use `country`, `pilot`, `recommendation`, `organisation`, `term` or `page`",
        ),
    ] {
        let (status, response) = get(server.port, &format!("/api/search?{query}"));
        assert_eq!((status, body(&response).as_str()), (400, message), "{query}");
        assert!(response.to_ascii_lowercase().contains("content-type: text/plain; charset=utf-8"), "{query}");
    }
    // Language codes match whatever their case; parameters the API does not know are left alone.
    let (status, upper) = get(server.port, "/api/search?q=training&lang=FR&_=123");
    let (_, lower) = get(server.port, "/api/search?q=training&lang=fr");
    assert_eq!(status, 200);
    assert_eq!(body(&upper), body(&lower));
    assert_eq!(get(server.port, "/api/search?q=training&limit=100").0, 200);
}
