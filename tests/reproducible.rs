//! Two builds of the same site are byte-identical, search indexes included, whatever the
//! folder, time zone, locale and the order in which the files were created.

mod support;

use std::path::Path;
use support::TestSite;

/// Copies `src` into `dest` creating folders and files in the reverse of name order, so
/// that directory listings come back in another order than in the first copy.
fn copy_reversed(src: &Path, dest: &Path) {
    let mut entries: Vec<walkdir::DirEntry> =
        walkdir::WalkDir::new(src).sort_by_file_name().into_iter().map(|e| e.expect("entry")).collect();
    entries.reverse();
    for e in entries.iter().filter(|e| e.file_type().is_dir()).rev() {
        std::fs::create_dir_all(dest.join(e.path().strip_prefix(src).expect("inside"))).expect("mkdir");
    }
    for e in entries.iter().filter(|e| e.file_type().is_file()) {
        std::fs::copy(e.path(), dest.join(e.path().strip_prefix(src).expect("inside"))).expect("copy");
    }
}

fn assert_reproducible(fixture: &str) {
    let first = TestSite::fixture(fixture);
    let second_dir = tempfile::tempdir().expect("temp dir");
    let second = second_dir.path().join("elsewhere").join("site copy");
    copy_reversed(first.root(), &second);
    let build = |root: &Path, env: &[(&str, &str)]| {
        let mut cmd = std::process::Command::new(env!("CARGO_BIN_EXE_guidebook"));
        cmd.args(["build", "--out", "out"]).current_dir(root).env_remove("SOURCE_DATE_EPOCH");
        cmd.envs(env.iter().copied());
        let out = cmd.output().expect("run guidebook");
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    };
    build(first.root(), &[("TZ", "UTC"), ("LANG", "C.UTF-8"), ("LC_ALL", "C.UTF-8")]);
    build(&second, &[("TZ", "Pacific/Chatham"), ("LANG", "fr_FR.UTF-8"), ("LC_ALL", "el_GR.UTF-8")]);
    let a = first.snapshot("out");
    let b = support::snapshot_of(&second.join("out"));
    assert_eq!(a.keys().collect::<Vec<_>>(), b.keys().collect::<Vec<_>>(), "the two builds wrote different files");
    assert!(a.keys().any(|k| k.starts_with("search/") && k.ends_with("/index.bin")), "no search index was built");
    let differ: Vec<&String> = a.iter().filter(|(k, v)| b.get(*k) != Some(v)).map(|(k, _)| k).collect();
    assert!(differ.is_empty(), "these files differ between two builds of the same site: {differ:?}");
}

#[test]
fn builds_are_byte_identical_multilingual() {
    assert_reproducible("multilingual");
}

#[test]
fn builds_are_byte_identical_knowledge() {
    assert_reproducible("knowledge");
}
