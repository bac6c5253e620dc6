//! Golden output: every fixture site, and the guidebook that ships in `content/`, built
//! and compared with a record kept under `tests/golden/<site>/`.
//!
//! The record of one site is:
//! - `build.txt`: the exit code and what `guidebook build` printed on stderr (the time in
//!   the summary line replaced by `<time>`);
//! - `files.txt`: every output file with its size and SHA-256. Search files
//!   (`search/**.bin`) are listed by name only: their bytes belong to tantivy's format,
//!   and the index is recorded by its answers instead;
//! - `search.txt`: the answers, as `/api/search` gives them, of each language's index to a
//!   fixed set of queries;
//! - `out/`: a copy of every text file of a fixture site's output (HTML, XML, text), so
//!   that a difference shows as a diff. The shipped guidebook is recorded by hashes only.
//!
//! A refactoring must leave the record unchanged. When a change of output is intended,
//! run `GUIDEBOOK_BLESS=1 cargo test --test golden`, review `git diff tests/golden`, and
//! commit the new record on its own, with the reason in the message.

mod support;

use sha2::{Digest, Sha256};
use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::Command;

/// The build date every golden build shows (2023-11-14).
const SOURCE_DATE_EPOCH: &str = "1700000000";

/// Queries asked of every language's index: words of the fixtures and of the guidebook in
/// several languages, a prefix, a phrase, a word no page has, and an empty query.
const QUERIES: &[&str] = &[
    "pilot",
    "probation",
    "prison",
    "training",
    "mentoring",
    "radicalisation",
    "france",
    "report",
    "exit",
    "\"case management\"",
    "prob",
    "the",
    "de",
    "formation",
    "zzzzqx",
    "",
];

fn golden_dir(site: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests").join("golden").join(site)
}

fn bless() -> bool {
    std::env::var_os("GUIDEBOOK_BLESS").is_some_and(|v| !v.is_empty() && v != "0")
}

/// Text outputs whose copies are kept, so that a difference reads as a diff.
fn is_text(path: &str) -> bool {
    [".html", ".xml", ".txt", ".json", ".csv", ".webmanifest"].iter().any(|ext| path.ends_with(ext))
}

fn is_search_file(path: &str) -> bool {
    path.starts_with("search/") && path.ends_with(".bin")
}

/// The summary line's duration (`in 0.31 s`, `in 12 ms`) varies from run to run.
fn without_time(stderr: &str) -> String {
    let time = regex::Regex::new(r" in [0-9]+(\.[0-9]+)? ?(ms|s)\b").expect("pattern");
    stderr.lines().map(|l| time.replace_all(l, " in <time>").into_owned() + "\n").collect()
}

/// Builds `root` into a new folder and returns the record as (relative path, bytes).
fn record(root: &Path, keep_text: bool) -> BTreeMap<String, Vec<u8>> {
    let out = tempfile::tempdir().expect("temp dir");
    let out_dir = out.path().join("public");
    let run = Command::new(env!("CARGO_BIN_EXE_guidebook"))
        .args(["build", "--out"])
        .arg(&out_dir)
        .current_dir(root)
        .env("SOURCE_DATE_EPOCH", SOURCE_DATE_EPOCH)
        .env_remove("NO_COLOR")
        .output()
        .expect("run guidebook");
    let stderr = String::from_utf8_lossy(&run.stderr).replace(&out_dir.to_string_lossy().into_owned(), "<out>");
    let mut rec = BTreeMap::new();
    let code = run.status.code().unwrap_or(-1);
    rec.insert("build.txt".to_string(), format!("exit code {code}\n{}", without_time(&stderr)).into_bytes());
    if !out_dir.is_dir() {
        return rec;
    }
    let files = support::snapshot_of(&out_dir);
    let mut list = String::new();
    for (path, bytes) in &files {
        if is_search_file(path) {
            writeln!(list, "{path} (search file: recorded by its answers)").expect("write");
            continue;
        }
        let hash: String = Sha256::digest(bytes).iter().map(|b| format!("{b:02x}")).collect();
        writeln!(list, "{path} {} {hash}", bytes.len()).expect("write");
        if keep_text && is_text(path) {
            rec.insert(format!("out/{path}"), bytes.clone());
        }
    }
    rec.insert("files.txt".to_string(), list.into_bytes());
    rec.insert("search.txt".to_string(), answers(root, &out_dir, &files).into_bytes());
    rec
}

/// Every language's answers to [`QUERIES`], and to a query filtered by each kind.
fn answers(root: &Path, out: &Path, files: &BTreeMap<String, Vec<u8>>) -> String {
    let langs: Vec<&str> = files.keys().filter_map(|p| p.strip_prefix("search/")?.strip_suffix("/index.bin")).collect();
    let mut text = String::new();
    for lang in langs {
        for q in QUERIES {
            let request = guidebook_search::Request { q: q.to_string(), filters: Vec::new(), limit: 10 };
            let opts = guidebook::SearchOptions {
                root: root.to_path_buf(),
                out: out.to_path_buf(),
                lang: Some(lang.to_string()),
                request,
            };
            let answer = match guidebook::search(&opts) {
                Ok((_, response)) => serde_json::to_string_pretty(&response).expect("json"),
                Err(e) => format!("error: {e}"),
            };
            writeln!(text, "== {lang} {q:?}\n{answer}").expect("write");
        }
    }
    text
}

/// Compares `rec` with the stored record of `site`, or stores it when blessing.
fn compare(site: &str, rec: &BTreeMap<String, Vec<u8>>) {
    let dir = golden_dir(site);
    if bless() {
        let _ = std::fs::remove_dir_all(&dir);
        for (rel, bytes) in rec {
            let path = dir.join(rel);
            std::fs::create_dir_all(path.parent().expect("parent")).expect("mkdir");
            std::fs::write(&path, bytes).expect("write record");
        }
        return;
    }
    assert!(dir.is_dir(), "no record for `{site}`: run GUIDEBOOK_BLESS=1 cargo test --test golden");
    let stored = support::snapshot_of(&dir);
    let mut problems = Vec::new();
    for rel in stored.keys().filter(|k| !rec.contains_key(*k)) {
        problems.push(format!("{rel}: recorded, no longer produced"));
    }
    for (rel, bytes) in rec {
        match stored.get(rel) {
            None => problems.push(format!("{rel}: produced, not in the record")),
            Some(old) if old != bytes => problems.push(first_difference(rel, old, bytes)),
            Some(_) => {}
        }
    }
    assert!(
        problems.is_empty(),
        "the output of `{site}` changed ({} differences; if intended, run GUIDEBOOK_BLESS=1 cargo test --test golden and commit the record with the reason):\n{}",
        problems.len(),
        problems.join("\n")
    );
}

/// The first line that differs, with its number, as a short message.
fn first_difference(rel: &str, old: &[u8], new: &[u8]) -> String {
    let (old, new) = (String::from_utf8_lossy(old), String::from_utf8_lossy(new));
    let (mut a, mut b) = (old.lines(), new.lines());
    for n in 1.. {
        match (a.next(), b.next()) {
            (x, y) if x == y && x.is_some() => continue,
            (x, y) => {
                let show = |l: Option<&str>| l.map_or("<end>".to_string(), |l| l.chars().take(300).collect());
                return format!("{rel}:{n}:\n  recorded: {}\n  now:      {}", show(x), show(y));
            }
        }
    }
    unreachable!()
}

fn fixture(name: &str) {
    let site = support::TestSite::fixture(name);
    compare(name, &record(site.root(), true));
}

#[test]
fn valid() {
    fixture("valid");
}

#[test]
fn knowledge() {
    fixture("knowledge");
}

#[test]
fn multilingual() {
    fixture("multilingual");
}

#[test]
fn publish() {
    fixture("publish");
}

#[test]
fn hostile() {
    fixture("hostile");
}

#[test]
fn links() {
    fixture("links");
}

#[test]
fn hostile_links() {
    fixture("hostile-links");
}

#[test]
fn invalid() {
    fixture("invalid");
}

/// The guidebook that ships with the repository, built where it is (nothing is written
/// inside it: the output goes to a temporary folder).
#[test]
fn shipped() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    compare("shipped", &record(root, false));
}
