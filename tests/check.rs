//! `guidebook check`: the same problems as `build`, without building the search indexes
//! or writing anything; and `--timings` on both.

mod support;

use std::collections::BTreeMap;
use std::path::Path;
use support::{assert_no_panic, Run, TestSite};

/// The stages `--timings` lists, in order, then the total.
const STAGES: [&str; 7] = ["load", "parse", "resolve", "render", "index", "write", "total"];

/// Each edit makes a site with problems found at a different stage: site.yaml (load),
/// front matter and markdown (parse), references and anchors (resolve), templates (theme
/// loading, and rendering with one page's data).
fn problem_sites() -> Vec<(&'static str, TestSite)> {
    let invalid = TestSite::fixture("invalid");
    invalid.write("content/pilots/empty.en.md", b"");
    invalid.write("content/pilots/latin1.en.md", b"---\ntitle: Caf\xe9\ncountry: countries/france\n---\n");

    let broken_yaml = TestSite::fixture("valid");
    let yaml = broken_yaml.read("site.yaml").replace("type: int,", "type: integer,");
    broken_yaml.write("site.yaml", yaml);

    let links = TestSite::fixture("knowledge");
    links.write(
        "content/recommendations/training.en.md",
        "---\ntitle: Training\n---\n\n## Results\n\nSee [a](/files/reprot.pdf), [b](#resluts), [c](../countries/italy.en.md),\n[d](@/pilots/avignon.md#resluts) and [e](notes.pdf).\n",
    );

    // Warnings only: both commands succeed.
    let acronyms = TestSite::fixture("knowledge");
    acronyms.remove("content/glossary/psp.en.md");
    let anchors = TestSite::fixture("knowledge");
    anchors.write("content/countries/france.fr.md", "---\ntitle: France\niso: FR\n---\n\n## Institutions françaises\n");
    anchors.write(
        "content/recommendations/training.fr.md",
        "---\ntitle: Formation\n---\n\nVoir [les institutions](@/countries/france.md#institutions).\n",
    );

    let hostile = TestSite::fixture("hostile");
    let hostile_links = TestSite::fixture("hostile-links");

    // A template that parses, and fails only when rendering a section with its data.
    let render = TestSite::fixture("valid");
    render.write(
        "themes/default/templates/section.html",
        "{% extends \"base.html\" %}\n{% block main %}\n<p>\n{{ page.no_such_field }}\n</p>\n{% endblock main %}\n",
    );
    let syntax = TestSite::fixture("valid");
    syntax.write(
        "themes/default/templates/page.html",
        "{% extends \"base.html\" %}\n{% block main %}\n<h1>{{ page.title }</h1>\n{% endblock main %}\n",
    );
    // A template using an interface string that the default language does not define.
    let i18n = TestSite::fixture("multilingual");
    i18n.write("i18n/en.yaml", "other: \"x\"\n");

    vec![
        ("invalid", invalid),
        ("site.yaml", broken_yaml),
        ("links", links),
        ("acronyms", acronyms),
        ("anchors", anchors),
        ("hostile", hostile),
        ("hostile links", hostile_links),
        ("template render", render),
        ("template syntax", syntax),
        ("interface string", i18n),
    ]
}

/// A copy of `site` as it is now, in a new folder.
fn copy_of(site: &TestSite) -> TestSite {
    let copy = TestSite::fixture("valid");
    std::fs::remove_dir_all(copy.root()).expect("empty the copy");
    for (rel, bytes) in support::snapshot_of(site.root()) {
        copy.write(&rel, bytes);
    }
    copy
}

#[test]
fn check_reports_exactly_what_build_reports() {
    for (name, site) in problem_sites() {
        let built = copy_of(&site).run(&["build"]);
        let checked = site.run(&["check"]);
        assert_no_panic(&checked);
        assert!(!built.diagnostics().is_empty(), "{name}: no diagnostics to compare");
        assert_eq!(checked.code, built.code, "{name}:\ncheck: {}\nbuild: {}", checked.stderr, built.stderr);
        assert_eq!(checked.diagnostics(), built.diagnostics(), "{name}");
        if built.code == 1 {
            // The same count: "error: 3 errors, 1 warning; nothing was written".
            assert_eq!(checked.summary(), built.summary(), "{name}");
        } else {
            assert!(checked.summary().starts_with("checked "), "{name}: {}", checked.stderr);
        }
    }
}

#[test]
fn template_render_errors_are_found_by_check() {
    let site = problem_sites().into_iter().find(|(name, _)| *name == "template render").expect("site").1;
    let run = site.run(&["check"]);
    assert_eq!(run.code, 1);
    assert_eq!(
        run.diagnostics(),
        ["themes/default/templates/section.html:4:9: error: template error: Field `no_such_field` is not defined. Available fields: backlinks, content, content_lang, date, facts, id, kind, kind_label, lists, mentions, next, notice, prev, related, summary, title, toc (while making `en/countries/index.html` and 3 other files)"]
    );
}

/// Every file and folder below `dir`, with the bytes of the files.
fn tree(dir: &Path) -> BTreeMap<String, Option<Vec<u8>>> {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .map(|e| e.expect("entry"))
        .map(|e| {
            let rel = e.path().strip_prefix(dir).expect("inside").to_string_lossy().into_owned();
            (rel, e.file_type().is_file().then(|| std::fs::read(e.path()).expect("read")))
        })
        .collect()
}

#[test]
fn check_writes_nothing_and_leaves_no_temporary_folder() {
    for fixture in ["valid", "knowledge", "multilingual"] {
        let site = TestSite::fixture(fixture);
        let before = tree(site.root());
        let temp = tempfile::tempdir().expect("temp dir");
        let run = site.run_with_env(&["check"], &[("TMPDIR", &temp.path().to_string_lossy())]);
        assert_eq!(run.code, 0, "{fixture}: {}", run.stderr);
        assert!(!site.exists("public"), "{fixture}: check made the output folder");
        // No staging folder (`.public.new-*`) or any other file appeared, and none changed.
        assert_eq!(tree(site.root()), before, "{fixture}: check changed the site folder");
        assert_eq!(tree(temp.path()).len(), 1, "{fixture}: check left files in the temporary folder");
    }
}

/// The lines of `--timings` after the summary line, each checked for its shape: a stage
/// name, then the wall and CPU times, each `N.NNN s` or `-`, aligned in columns.
fn timing_lines(run: &Run, summary_starts: &str) -> Vec<(String, String, String)> {
    let lines: Vec<&str> = run.stderr.lines().collect();
    let at = lines.iter().position(|l| l.starts_with(summary_starts)).unwrap_or_else(|| panic!("{}", run.stderr));
    let table = &lines[at + 1..];
    assert_eq!(table.len(), 1 + STAGES.len(), "a header and a line per stage, then the total:\n{}", run.stderr);
    assert_eq!(table[0], "stage          wall        cpu");
    let time = regex::Regex::new(r"^(\d+\.\d{3} s|-)$").expect("regex");
    table[1..]
        .iter()
        .map(|line| {
            assert_eq!(line.len(), table[0].len(), "aligned: {line:?}");
            let cells: Vec<&str> = line.split_whitespace().collect();
            let (name, wall, cpu) = match cells.as_slice() {
                [name, "-", "-"] => (name.to_string(), "-".to_string(), "-".to_string()),
                [name, wall, "s", "-"] => (name.to_string(), format!("{wall} s"), "-".to_string()),
                [name, wall, "s", cpu, "s"] => (name.to_string(), format!("{wall} s"), format!("{cpu} s")),
                _ => panic!("not a timing line: {line:?}"),
            };
            assert!(time.is_match(&wall) && time.is_match(&cpu), "{line:?}");
            (name, wall, cpu)
        })
        .collect()
}

#[test]
fn timings_list_every_stage_after_the_summary() {
    let site = TestSite::fixture("knowledge");
    let run = site.run(&["build", "--timings"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let lines = timing_lines(&run, "built ");
    let names: Vec<&str> = lines.iter().map(|(n, _, _)| n.as_str()).collect();
    assert_eq!(names, STAGES);
    for (name, wall, cpu) in &lines {
        assert_ne!(wall, "-", "build runs {name}");
        if cfg!(unix) {
            assert_ne!(cpu, "-", "a CPU time for {name}");
        }
    }

    let run = site.run(&["check", "--timings"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let lines = timing_lines(&run, "checked ");
    let names: Vec<&str> = lines.iter().map(|(n, _, _)| n.as_str()).collect();
    assert_eq!(names, STAGES);
    for (name, wall, cpu) in &lines {
        // The built-in templates render any site that resolves: nothing is rendered.
        let ran = !matches!(name.as_str(), "render" | "index" | "write");
        assert_eq!(wall != "-", ran, "check runs {name}: {ran}");
        assert_eq!(cpu != "-", ran && cfg!(unix), "{name}");
    }

    // A copy of a built-in template is built in; a template of the site's own is rendered.
    let builtin =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("themes/default/templates/term.html"))
            .expect("built-in template");
    site.write("themes/default/templates/term.html", &builtin);
    let rendered = |site: &TestSite| {
        let run = site.run(&["check", "--timings"]);
        assert_eq!(run.code, 0, "{}", run.stderr);
        timing_lines(&run, "checked ").iter().any(|(name, wall, _)| name == "render" && wall != "-")
    };
    assert!(!rendered(&site));
    site.write("themes/default/templates/term.html", builtin.replace("</h1>", "</h1>\n<p>Own.</p>"));
    assert!(rendered(&site));

    // Without the flag, the summary is the last line.
    let run = site.run(&["check"]);
    assert!(run.summary().starts_with("checked "), "{}", run.stderr);
}

#[test]
fn timings_are_printed_when_the_site_has_errors() {
    let site = TestSite::fixture("invalid");
    let run = site.run(&["check", "--timings"]);
    assert_eq!(run.code, 1);
    let lines = timing_lines(&run, "error: ");
    let ran: Vec<&str> = lines.iter().filter(|(_, wall, _)| wall != "-").map(|(n, _, _)| n.as_str()).collect();
    // Errors in the pages stop the run before rendering.
    assert_eq!(ran, ["load", "parse", "resolve", "total"]);
}

/// Run from a folder inside a site (`content/`), a command names the site above and how
/// to reach it, as the user would type it (it said only that `.` has no site.yaml).
#[test]
fn a_command_run_inside_a_site_names_the_site_above() {
    let site = TestSite::fixture("valid");
    let run_in = |dir: &str, args: &[&str]| {
        let out = std::process::Command::new(env!("CARGO_BIN_EXE_guidebook"))
            .args(args)
            .current_dir(site.path(dir))
            .output()
            .expect("run guidebook");
        (out.status.code(), String::from_utf8_lossy(&out.stderr).into_owned())
    };
    let above = |dir: &str, site: &str| {
        format!("error: no site.yaml in `{dir}`, but `{site}` has one: run guidebook there, or name it with --root {site}\n")
    };
    assert_eq!(run_in("content", &["check"]), (Some(2), above(".", "..")));
    assert_eq!(run_in("content", &["build"]), (Some(2), above(".", "..")));
    assert_eq!(run_in("content", &["serve", "--no-watch"]), (Some(2), above(".", "..")));
    assert_eq!(run_in("content/pilots", &["check"]), (Some(2), above(".", "../..")));
    assert_eq!(run_in("content", &["check", "--root", "pilots"]), (Some(2), above("pilots", "..")));
    assert_eq!(
        run_in(".", &["check", "--root", "content/pilots"]),
        (
            Some(2),
            "error: no site.yaml in `content/pilots`, but `.` has one: leave out --root, or write --root .\n"
                .to_string()
        )
    );
    assert_eq!(run_in("content", &["check", "--root", ".."]).0, Some(0));
}
