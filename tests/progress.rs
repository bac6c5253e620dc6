//! Progress reports: the library tells `BuildOptions::progress` each stage as it starts
//! (with `--timings`' names) and each file rendered; the command shows them only on a
//! terminal, so a build whose stderr is not one prints nothing but its summary.

mod support;

use guidebook::timings::{Progress, ProgressFn, Stage};
use guidebook::BuildOptions;
use std::sync::{Arc, Mutex};
use support::{assert_no_panic, TestSite};

/// Runs `work` on the site with a progress callback; returns what it was told.
fn reports(site: &TestSite, work: fn(&BuildOptions) -> Result<guidebook::Outcome, guidebook::Error>) -> Vec<Progress> {
    let told = Arc::new(Mutex::new(Vec::new()));
    let mut opts = BuildOptions::new(site.root());
    let sink = Arc::clone(&told);
    opts.progress = Some(ProgressFn::new(move |p| sink.lock().expect("not poisoned").push(p)));
    let outcome = work(&opts).expect("runs");
    assert!(!outcome.diagnostics.has_errors() || outcome.pages == 0, "{:?}", outcome.diagnostics);
    drop(opts);
    let told = told.lock().expect("not poisoned").clone();
    told
}

fn stages(told: &[Progress]) -> Vec<&'static str> {
    told.iter().filter_map(|p| if let Progress::Stage(s) = p { Some(s.name()) } else { None }).collect()
}

#[test]
fn a_build_reports_every_stage_in_order_and_every_file_rendered() {
    let site = TestSite::fixture("knowledge");
    let told = reports(&site, guidebook::build);
    assert_eq!(stages(&told), ["load", "parse", "resolve", "render", "index", "write"]);
    // Between render and index: every file, counted once, out of the same total.
    let render = told.iter().position(|p| *p == Progress::Stage(Stage::Render)).expect("render");
    let index = told.iter().position(|p| *p == Progress::Stage(Stage::Index)).expect("index");
    let Some(Progress::Rendered { done: 0, total }) = told.get(render + 1).copied() else {
        panic!("render starts with nothing made: {told:?}")
    };
    let mut done: Vec<usize> = told[render + 2..index]
        .iter()
        .map(|p| match *p {
            Progress::Rendered { done, total: t } if t == total => done,
            other => panic!("{other:?} during render"),
        })
        .collect();
    done.sort_unstable();
    assert_eq!(done, (1..=total).collect::<Vec<_>>());
    assert!(total > 20, "{total}");
}

#[test]
fn a_check_reports_no_index_and_no_write() {
    let site = TestSite::fixture("knowledge");
    // The built-in templates are not rendered: they render any site that resolves.
    assert_eq!(stages(&reports(&site, guidebook::check)), ["load", "parse", "resolve"]);
    site.write(
        "themes/default/templates/term.html",
        "{% extends \"base.html\" %}\n{% block main %}<h1>{{ name }}</h1>{% endblock main %}\n",
    );
    assert_eq!(stages(&reports(&site, guidebook::check)), ["load", "parse", "resolve", "render"]);
}

#[test]
fn a_site_yaml_that_cannot_be_read_stops_after_load() {
    let site = TestSite::fixture("knowledge");
    site.write("site.yaml", "title: [\n");
    assert_eq!(stages(&reports(&site, guidebook::check)), ["load"]);
}

#[test]
fn without_a_terminal_the_command_shows_no_progress() {
    let site = TestSite::fixture("knowledge");
    for command in ["build", "check"] {
        let run = site.run(&[command]);
        assert_no_panic(&run);
        assert_eq!(run.code, 0, "{}", run.stderr);
        // The summary line alone: no progress line, no cursor movement or clearing.
        assert_eq!(run.stderr.lines().count(), 1, "{}", run.stderr);
        assert!(!run.stderr.contains(['\r', '\u{1b}']), "{:?}", run.stderr);
        assert_eq!(run.stdout, "");
    }
}
