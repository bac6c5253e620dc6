//! Every page runs under a strict Content-Security-Policy (`default-src 'self'; script-src
//! 'self' 'wasm-unsafe-eval'; object-src 'none'; base-uri 'self'`): no inline script, no
//! `<style>` element, no `style` attribute and no event handler attribute in any HTML file
//! of any fixture site that builds or of the shipped guidebook, online or `--offline`.

mod support;

use guidebook::fuzzing::{attributes, pieces, tag_name, Piece};
use std::path::Path;
use support::{assert_no_panic, snapshot_of, Run, TestSite};

/// What in `html` a strict policy would refuse, one entry per tag.
fn refused(html: &str) -> Vec<String> {
    let mut found = Vec::new();
    for piece in pieces(html) {
        let Piece::Tag(tag) = piece else { continue };
        if tag.starts_with("</") {
            continue;
        }
        let name = tag_name(tag);
        let attrs: Vec<String> = attributes(tag).iter().map(|a| a.name.to_ascii_lowercase()).collect();
        if name == "script" && !attrs.iter().any(|a| a == "src") {
            found.push(format!("inline script: {tag}"));
        }
        if name == "style" {
            found.push(format!("style element: {tag}"));
        }
        for a in &attrs {
            if a == "style" || a.starts_with("on") {
                found.push(format!("`{a}` attribute: {tag}"));
            }
        }
    }
    found
}

/// Builds the site at `root` into `out` with `extra` options and lists what is refused.
fn check(root: &Path, out: &Path, extra: &[&str]) -> Vec<String> {
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_guidebook"))
        .arg("build")
        .arg("--root")
        .arg(root)
        .arg("--out")
        .arg(out)
        .args(extra)
        .output()
        .unwrap_or_else(|e| panic!("cannot run guidebook: {e}"));
    let run = Run {
        code: output.status.code().unwrap_or(-1),
        stdout: String::new(),
        stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
    };
    assert_no_panic(&run);
    assert_eq!(run.code, 0, "{}: {}", root.display(), run.stderr);
    let mut found = Vec::new();
    for (rel, bytes) in snapshot_of(out) {
        if rel.ends_with(".html") {
            found.extend(refused(&String::from_utf8_lossy(&bytes)).into_iter().map(|r| format!("{rel}: {r}")));
        }
    }
    found
}

#[test]
fn the_reader_checks_what_it_should() {
    assert_eq!(
        refused("<script>a()</script><script src=\"x.js\"></script><p style=\"x\" onclick=\"y\">&lt;script&gt;</p><style>p{}</style>"),
        [
            "inline script: <script>",
            "`style` attribute: <p style=\"x\" onclick=\"y\">",
            "`onclick` attribute: <p style=\"x\" onclick=\"y\">",
            "style element: <style>",
        ]
    );
}

#[test]
fn no_fixture_site_has_inline_script_or_style() {
    // `links` and `hostile-links` are built by tests that first create their files, or
    // refuse to build: their pages are checked in `tests/links.rs` and `tests/hostile.rs`.
    for name in ["valid", "knowledge", "multilingual", "publish", "hostile"] {
        let site = TestSite::fixture(name);
        for extra in [&[][..], &["--offline"][..]] {
            let found = check(site.root(), &site.path(&format!("out{}", extra.len())), extra);
            assert!(found.is_empty(), "{name} {extra:?}:\n{}", found.join("\n"));
        }
    }
}

#[test]
fn the_shipped_guidebook_has_no_inline_script_or_style() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let out = tempfile::tempdir().unwrap_or_else(|e| panic!("temp dir: {e}"));
    let found = check(root, &out.path().join("public"), &[]);
    assert!(found.is_empty(), "{}", found.join("\n"));
}
