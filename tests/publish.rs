//! What is published and what is not (editor leftovers, copies of page sources, `ignore:`,
//! files no page links to), and a command line that never crashes on ordinary use: closed
//! pipes and bad arguments.

mod support;

use std::io::Read;
use std::process::{Command, Stdio};
use support::{assert_no_panic, TestSite};

const UNLINKED: &str = "content/pilots/old-report.pdf:1:1: warning: no published page links to this file, yet it is copied to the output: link it from a page, delete it, or add it to `ignore:` in site.yaml";

/// Leftovers of editors and systems, written beside the pages and in `static/`.
const LEFTOVERS: [&str; 15] = [
    "Thumbs.db",
    "desktop.ini",
    ".DS_Store",
    "report.pdf~",
    "notes.swp",
    "notes.swo",
    ".notes.txt.swp",
    "4913",
    "report.pdf.bak",
    "report.pdf.orig",
    "upload.tmp",
    "report.pdf.bck",
    "~$report.docx",
    "#notes#",
    "DESKTOP.INI",
];

/// Copies of `avignon.en.md` that editors and tools leave behind: drafts, never published.
const SOURCE_COPIES: [&str; 8] = [
    "avignon.en.md.bck",
    "avignon.en.md0HlVyu.bck",
    "avignon.en.md~",
    "avignon.md.orig",
    "avignon.en.md0HlVyu",
    "avignon.fr.md.txt",
    ".avignon.en.md.swp",
    "#avignon.en.md#",
];

/// The files of the output that are not generated pages, indexes or theme files.
fn copied_files(site: &TestSite) -> Vec<String> {
    site.snapshot("public")
        .into_keys()
        .filter(|k| {
            !["en/", "fr/", "css/", "js/", "search/"].iter().any(|p| k.starts_with(p))
                && !["404.html", "index.html", "favicon.svg"].contains(&k.as_str())
        })
        .collect()
}

#[test]
fn leftovers_and_copies_of_page_sources_are_never_published() {
    let site = TestSite::fixture("publish");
    for name in LEFTOVERS {
        site.write(&format!("content/pilots/{name}"), "LEFTOVER");
        site.write(&format!("static/files/{name}"), "LEFTOVER");
        site.write(&format!("content/{name}"), "LEFTOVER");
    }
    // A copy of a page's source is an unpublished draft, and need not even be valid.
    for name in SOURCE_COPIES {
        site.write(&format!("content/pilots/{name}"), "---\ntitle: [SECRET DRAFT\n---\n\nSECRET DRAFT\n");
    }
    let run = site.run(&["build"]);
    assert_no_panic(&run);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(run.diagnostics(), [UNLINKED]);
    assert_eq!(copied_files(&site), ["files/guide.pdf", "pilots/old-report.pdf", "pilots/report.pdf"]);
    for (path, bytes) in site.snapshot("public") {
        let text = String::from_utf8_lossy(&bytes);
        assert!(!text.contains("SECRET") && !text.contains("LEFTOVER"), "{path} publishes a leftover");
    }
}

#[test]
fn ignore_globs_keep_files_out_of_the_site() {
    let site = TestSite::fixture("publish");
    let run = site.run(&["build"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    // `*.psd` anywhere, a folder of drafts (whose page would be an error: it is too deep),
    // and static files by path.
    assert!(site.exists("content/pilots/map.psd") && site.exists("content/pilots/private/notes.en.md"));
    assert!(site.exists("static/files/draft-2020.pdf"));
    assert_eq!(copied_files(&site), ["files/guide.pdf", "pilots/old-report.pdf", "pilots/report.pdf"]);
    // Without `ignore:`, the same files are published, and the folder is an error.
    let yaml = site.read("site.yaml");
    let without = &yaml[..yaml.find("ignore:").expect("ignore")];
    site.write("site.yaml", without);
    let run = site.run(&["check"]);
    assert_eq!(run.code, 1);
    assert_eq!(
        run.diagnostics(),
        [
            "content/pilots/map.psd:1:1: warning: no published page links to this file, yet it is copied to the output: link it from a page, delete it, or add it to `ignore:` in site.yaml",
            UNLINKED,
            "content/pilots/private/notes.en.md:1:1: error: pages live in `content/` or one section folder below it: move the file to `content/pilots/notes.en.md`",
        ]
    );
}

#[test]
fn a_bad_ignore_glob_is_a_config_error_at_its_place() {
    let site = TestSite::fixture("publish");
    let yaml = site.read("site.yaml");
    let yaml = yaml.replace("  - \"*.psd\"\n", "  - \"*.psd\"\n  - content/[abc\n  - ../secrets/*\n");
    site.write("site.yaml", yaml);
    let run = site.run(&["check"]);
    assert_no_panic(&run);
    assert_eq!(run.code, 1);
    assert_eq!(
        run.diagnostics(),
        [
            "site.yaml:9:5: error: ignore pattern `content/[abc` is not a valid glob: unclosed character class; missing ']'",
            "site.yaml:10:5: error: ignore pattern `../secrets/*` is not a valid glob: `..` would leave the site folder",
        ]
    );
}

#[test]
fn files_no_page_links_to_are_reported_with_their_place() {
    let site = TestSite::fixture("publish");
    let run = site.run(&["check", "--format", "json"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let warning: serde_json::Value = serde_json::from_str(run.stdout.trim()).expect("one JSON line");
    assert_eq!(
        warning,
        serde_json::json!({
            "file": "content/pilots/old-report.pdf",
            "line": 1,
            "column": 1,
            "severity": "warning",
            "code": "unlinked-file",
            "message": "no published page links to this file, yet it is copied to the output: link it from a page, delete it, or add it to `ignore:` in site.yaml",
        })
    );
    // Linked from a page, the warning goes.
    site.write(
        "content/pilots/avignon.fr.md",
        "---\ntitle: Avignon\n---\n\nLe [rapport final](report.pdf) et l'[ancien](old-report.pdf).\n",
    );
    let run = site.run(&["check"]);
    assert_eq!((run.code, run.stderr.as_str()), (0, "checked 3 pages\n"));
}

/// Runs `guidebook ARGS` in `site` with the reading end of stdout (or stderr) closed before
/// it prints anything: returns the exit status and what it printed on the other stream.
fn closed(site: &TestSite, args: &[&str], stream: &str) -> (i32, String) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_guidebook"))
        .args(args)
        .current_dir(site.root())
        .env_remove("SOURCE_DATE_EPOCH")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("start guidebook");
    let mut other = String::new();
    if stream == "stdout" {
        drop(child.stdout.take());
        child.stderr.take().expect("stderr").read_to_string(&mut other).expect("read stderr");
    } else {
        drop(child.stderr.take());
        child.stdout.take().expect("stdout").read_to_string(&mut other).expect("read stdout");
    }
    let status = child.wait().expect("wait");
    (status.code().unwrap_or(-1), other)
}

#[test]
fn every_command_ends_quietly_when_its_reader_closes_the_pipe() {
    let site = TestSite::fixture("publish");
    assert_eq!(site.run(&["build"]).code, 0);
    for (args, code) in [
        (&["search", "avignon"][..], 0),
        (&["search", "--json", "avignon"], 0),
        (&["check", "--format", "json"], 0),
        (&["check", "--translations"], 0),
        (&["check", "--translations", "--format", "json"], 0),
        (&["new", "page", "lyon"], 0),
        (&["init", "other-site"], 0),
        (&["--help"], 0),
        (&["search", "--help"], 0),
        (&["--version"], 0),
    ] {
        assert_eq!(closed(&site, args, "stdout"), (code, String::new()), "guidebook {}", args.join(" "));
    }
    // The status stays what it would have been: content errors give 1.
    site.write("content/pilots/broken.en.md", "---\ntitle: [\n---\n");
    assert_eq!(closed(&site, &["check", "--format", "json"], "stdout"), (1, String::new()));
    // Diagnostics and summaries go to stderr.
    assert_eq!(closed(&site, &["check"], "stderr"), (1, String::new()));
    site.remove("content/pilots/broken.en.md");
    assert_eq!(closed(&site, &["build"], "stderr"), (0, String::new()));
    assert_eq!(closed(&site, &["check", "--translations"], "stderr").0, 0);
    assert_eq!(closed(&site, &["search", "--lang", "it", "x"], "stderr"), (2, String::new()));
}

#[test]
fn bad_search_arguments_are_usage_errors_naming_the_valid_values() {
    let site = TestSite::fixture("publish");
    assert_eq!(site.run(&["build"]).code, 0);
    for (args, message) in [
        (&["search", "avignon", "--lang", "it"][..], "error: --lang `it` is not a language of this site: use `en` or `fr`\n"),
        (&["search", "avignon", "--kind", "pilot"], "error: --kind `pilot` is not a kind of this site: use `page`\n"),
        (&["search", "avignon", "--kind", "pag"], "error: --kind `pag` is not a kind of this site (did you mean `page`?): use `page`\n"),
        (
            &["search", "avignon", "--limit", "0"],
            "error: invalid value '0' for '--limit <LIMIT>': 0 is not in 1..=100\n\nFor more information, try '--help'.\n",
        ),
        (
            &["search", "avignon", "--limit", "500"],
            "error: invalid value '500' for '--limit <LIMIT>': 500 is not in 1..=100\n\nFor more information, try '--help'.\n",
        ),
    ] {
        let run = site.run(args);
        assert_no_panic(&run);
        assert_eq!((run.code, run.stderr.as_str(), run.stdout.as_str()), (2, message, ""), "{}", args.join(" "));
    }
    // Language codes are matched whatever their case.
    let run = site.run(&["search", "avignon", "--lang", "FR"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(run.stdout.starts_with("2 results for \"avignon\" (fr)\n"), "{}", run.stdout);
}

#[test]
fn ignore_that_leaves_no_page_is_an_error_and_public_is_kept() {
    let site = TestSite::fixture("valid");
    assert_eq!(site.run(&["build"]).code, 0);
    let before = site.snapshot("public");
    let yaml = site.read("site.yaml");
    site.write("site.yaml", format!("{yaml}ignore: [\"*\"]\n"));
    let run = site.run(&["build"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert_eq!(
        run.diagnostics(),
        [format!("site.yaml:{}:1: error: `ignore:` (`*`) leaves no page in `content/` to publish: a glob without `/` matches names in every folder, so `*` or `**` ignores everything; name the files or folders to leave out", yaml.lines().count() + 1)]
    );
    assert_eq!(site.snapshot("public"), before, "the previous site must stay");
}
