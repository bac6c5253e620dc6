//! Pages made to be hard to build, each up to 1 MB: every one builds, or is refused with a
//! message naming the file and saying what to do. The limits are in src/content/limits.rs.
//! How long each build takes is printed, not asserted: these machines are too noisy for a
//! time bound to mean anything (speed is measured by `tests/bench/run`); a build that hung
//! would stop the suite.

mod support;

use std::time::Instant;
use support::{Run, TestSite};

/// Builds the `valid` fixture with `content/hard.en.md` holding `body` after a title.
fn build_with(body: &str) -> (TestSite, Run) {
    let site = TestSite::fixture("valid");
    site.write("content/hard.en.md", format!("---\ntitle: Hard\n---\n\n{body}"));
    let started = Instant::now();
    let run = site.run(&["build"]);
    let took = started.elapsed();
    support::assert_no_panic(&run);
    eprintln!("{} KB page: {took:?}, exit {}", body.len() / 1024, run.code);
    (site, run)
}

fn assert_builds(body: &str) -> TestSite {
    let (site, run) = build_with(body);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(site.exists("public/en/hard/index.html"));
    site
}

#[test]
fn ten_thousand_nested_quotes() {
    assert_builds(&format!("{} deep\n", ">".repeat(10_000)));
}

#[test]
fn a_megabyte_of_quotes_nesting_deeper_line_by_line() {
    let body: String = (1..1400).map(|i| format!("{} x\n", ">".repeat(i))).collect();
    assert!(body.len() > 900_000);
    assert_builds(&body);
}

#[test]
fn thousands_of_footnotes() {
    let refs: String = (0..5000).map(|i| format!("Text[^n{i}].\n")).collect();
    let notes: String = (0..5000).map(|i| format!("[^n{i}]: Note {i}.\n")).collect();
    assert_builds(&format!("{refs}\n{notes}"));
}

#[test]
fn hundred_thousand_character_lines() {
    assert_builds(&format!("{}\n\n{}\n\n{}\n", "word ".repeat(20_000), "x".repeat(100_000), "[".repeat(100_000)));
}

#[test]
fn a_megabyte_of_prose_and_a_large_table() {
    assert_builds(&"A paragraph with some words and [a link](https://example.org).\n\n".repeat(14_000));
    let table =
        format!("|{}\n|{}\n{}", "a|".repeat(200), "-|".repeat(200), format!("|{}\n", "b|".repeat(200)).repeat(1000));
    assert!(table.len() > 400_000);
    assert_builds(&table);
}

/// A line that makes the highlighter's backtracking regular expressions crawl (a
/// 20,000-character line took 20 to 30 s in a debug build): the block is shown as it is.
#[test]
fn code_with_very_long_lines_is_shown_unhighlighted() {
    let line = " \t".repeat(50_000);
    let site = assert_builds(&format!(
        "```sql\n{line}x\n```\n\n```bash\n{}\n```\n\n```rust\nfn main() {{}}\n```\n",
        "a".repeat(100_000)
    ));
    let html = site.read("public/en/hard/index.html");
    assert!(html.contains(&format!("<code class=\"language-bash\">{}\n</code>", "a".repeat(100_000))));
    assert!(html.contains("<span class=\"hl-"), "short code is still highlighted");
}

/// The most code a page may highlight, as ordinary code. (Adversarial code does worse: 6 KB
/// of lines of 120 `a`s as JavaScript took 36 s in a debug build on an overloaded machine.)
#[test]
fn the_most_code_a_page_may_highlight_builds() {
    let code = "function risk(score) {\n  // a comment about the score\n  return score > 3 && \"high\";\n}\n";
    let body = format!("```js\n{}```\n", code.repeat(7 * 1024 / code.len()));
    assert_builds(&body);
}

#[test]
fn a_page_with_too_much_code_is_refused() {
    let block = format!("```js\n{}```\n\n", "let a = 1;\n".repeat(200));
    let (_, run) = build_with(&block.repeat(50));
    assert_eq!(run.code, 1);
    assert_eq!(
        run.diagnostics(),
        ["content/hard.en.md:615:1: error: this page holds 108 KB of code to highlight; a page may hold 8 KB: move long listings into files beside the page and link to them, or split the page"]
    );
}

#[test]
fn a_page_whose_html_balloons_is_refused() {
    let body: String = (1..1000).map(|i| format!("{}item\n", "- ".repeat(i))).collect();
    assert!(body.len() < 1024 * 1024);
    let (site, run) = build_with(&body);
    assert_eq!(run.code, 1);
    assert_eq!(
        run.diagnostics(),
        ["content/hard.en.md:1:1: error: this page's text makes 10.5 MB of HTML from 981 KB of markdown, over 8 times as much (deeply nested lists or quotes do this): flatten the nesting, or split the page"]
    );
    assert!(!site.exists("public"));
}

#[test]
fn a_page_over_the_size_limit_is_refused() {
    let site = TestSite::fixture("valid");
    site.write("content/huge.en.md", format!("---\ntitle: Huge\n---\n\n{}", "words ".repeat(2_000_000)));
    let run = site.run(&["build"]);
    assert_eq!(run.code, 1);
    assert_eq!(
        run.diagnostics(),
        ["content/huge.en.md:1:1: error: file is 11.4 MB; pages are limited to 10 MB: split it into several pages"]
    );
}
