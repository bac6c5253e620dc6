//! Builds killed at random moments: the output is always a complete site (the previous one
//! or the new one), a build stopped by SIGINT or SIGTERM removes its staging folder before
//! it exits, and the next build removes what a SIGKILL left.
//!
//! The moments come from a seeded generator: set `GUIDEBOOK_CRASH_SEED` to replay a run
//! (the seed is printed on failure), `GUIDEBOOK_CRASH_RUNS` to change the number of kills.
#![cfg(unix)]

mod support;

use std::collections::BTreeMap;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};
use support::TestSite;

/// A small seeded generator (xorshift64*), enough to spread kill moments.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }

    fn below(&mut self, n: u64) -> u64 {
        self.next() % n.max(1)
    }
}

/// Every file of the output, by path, with a hash of its bytes.
fn manifest(out: &Path) -> BTreeMap<String, u64> {
    use std::hash::{DefaultHasher, Hash, Hasher};
    let mut files = BTreeMap::new();
    for entry in walkdir::WalkDir::new(out).sort_by_file_name() {
        let entry = entry.expect("entry");
        if entry.file_type().is_file() {
            let mut h = DefaultHasher::new();
            std::fs::read(entry.path()).expect("read").hash(&mut h);
            let rel = entry.path().strip_prefix(out).expect("inside").to_string_lossy().into_owned();
            files.insert(rel, h.finish());
        }
    }
    files
}

/// What a build leaves beside the output while it runs (`.public.new-*`).
fn leftovers(site: &TestSite) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(site.root())
        .expect("read site")
        .filter_map(|e| e.ok()?.file_name().into_string().ok())
        .filter(|n| n.starts_with(".public."))
        .collect();
    names.sort();
    names
}

/// Adds pages and static files enough for a debug build to take a noticeable time.
fn enlarge(site: &TestSite) {
    for i in 0..30 {
        let body =
            "A paragraph of the generated page, with *emphasis* and a [link](@/countries/france.md).\n\n".repeat(20);
        site.write(
            &format!("content/pilots/generated-{i}.en.md"),
            format!("---\ntitle: Generated {i}\ncountry: countries/france\n---\n\n## Part\n\n{body}\n```python\nprint({i})\n```\n"),
        );
    }
    for i in 0..60 {
        site.write(&format!("static/files/file-{i}.txt"), vec![b'x'; 20_000]);
    }
}

fn build_command(site: &TestSite) -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_guidebook"));
    cmd.arg("build")
        .current_dir(site.root())
        .env_remove("SOURCE_DATE_EPOCH")
        .stdout(Stdio::null())
        .stderr(Stdio::null());
    cmd
}

fn complete_build(site: &TestSite) {
    let status = build_command(site).status().expect("run build");
    assert!(status.success(), "a build that nobody stopped failed: {status}");
}

#[test]
fn killed_builds_leave_a_complete_site_and_nothing_else() {
    let seed: u64 = std::env::var("GUIDEBOOK_CRASH_SEED").ok().and_then(|s| s.parse().ok()).unwrap_or(0x5eed_0011);
    let runs: usize = std::env::var("GUIDEBOOK_CRASH_RUNS").ok().and_then(|s| s.parse().ok()).unwrap_or(50);
    let mut rng = Rng(seed | 1);
    let site = TestSite::fixture("valid");
    enlarge(&site);
    let page = "content/pilots/avignon.en.md";
    let original = site.read(page);
    let edited = original.replace("Joint working groups", "Joint working groups, edited");
    let out = site.path("public");

    // The two complete sites, and how long a build takes.
    let started = Instant::now();
    complete_build(&site);
    let took = started.elapsed();
    let site_a = manifest(&out);
    site.write(page, &edited);
    let started = Instant::now();
    complete_build(&site);
    // The quicker of the two: the first may have waited on a busy machine.
    let took = took.min(started.elapsed());
    let site_b = manifest(&out);
    assert_ne!(site_a, site_b, "the two versions must build differently");
    let sites = [site_a, site_b];
    let mut current = 1; // the output holds version B

    let window = took.as_millis() as u64 * 5 / 4 + 1;
    let mut stopped_by = BTreeMap::<&str, usize>::new();
    for run in 0..runs {
        let next = 1 - current;
        site.write(page, if next == 0 { &original } else { &edited });
        let (signal, name) = match rng.below(3) {
            0 => ("-KILL", "SIGKILL"),
            1 => ("-TERM", "SIGTERM"),
            _ => ("-INT", "SIGINT"),
        };
        let delay = Duration::from_millis(rng.below(window));
        let context = format!("seed {seed}, run {run}: {name} after {delay:?}");
        let mut child = build_command(&site).stderr(Stdio::piped()).spawn().expect("spawn build");
        std::thread::sleep(delay);
        let sent = Command::new("kill").arg(signal).arg(child.id().to_string()).status().expect("kill");
        assert!(sent.success() || child.try_wait().ok().flatten().is_some(), "{context}: kill failed");
        let ended = child.wait_with_output().expect("wait");
        let (status, said) = (ended.status, String::from_utf8_lossy(&ended.stderr).into_owned());
        let now = manifest(&out);
        let finished = status.success();
        if finished {
            assert!(now == sites[next], "{context}: the build succeeded but the output is not the new site");
        } else {
            assert!(
                now == sites[current] || now == sites[next],
                "{context}: the output is neither the previous site nor the new one ({status})"
            );
        }
        current = if now == sites[next] { next } else { current };
        if name != "SIGKILL" {
            use std::os::unix::process::ExitStatusExt;
            let expected = if name == "SIGTERM" { 143 } else { 130 };
            // Before its handler is installed, the process simply ends by the signal.
            assert!(
                finished || status.code() == Some(expected) || status.signal().is_some(),
                "{context}: exit status {status}, expected {expected}"
            );
            // What the editor is told matches what the output holds.
            if status.code() == Some(expected) {
                let told = match now == sites[next] {
                    true => "stopped after the new site was put in place: the output folder holds the whole new site",
                    false => "stopped: nothing half-written was left behind; the output folder was not replaced",
                };
                assert!(said.contains(told), "{context}: said {said:?}, expected {told:?}");
            }
            assert_eq!(leftovers(&site), Vec::<String>::new(), "{context}: the stopped build left files behind");
        } else if !leftovers(&site).is_empty() {
            // What the killed build left goes with the next build.
            site.write(page, if current == 0 { &original } else { &edited });
            complete_build(&site);
            assert_eq!(leftovers(&site), Vec::<String>::new(), "{context}: the next build left files behind");
            assert!(manifest(&out) == sites[current], "{context}: the next build did not write the site");
        }
        if status.code() != Some(0) {
            *stopped_by.entry(name).or_default() += 1;
        }
    }
    complete_build(&site);
    assert_eq!(leftovers(&site), Vec::<String>::new());
    eprintln!("seed {seed}: a build took {took:?}; builds stopped: {stopped_by:?}");
    // The kills must have landed during builds, not only after them.
    // (a loose floor: on a busy machine, build times vary from one build to the next).
    assert!(stopped_by.values().sum::<usize>() >= runs / 4, "too few builds were stopped: {stopped_by:?}");
}

/// A staging folder another build is using right now (its lock is held) is left alone;
/// those of builds that are gone are removed, whatever their age.
#[test]
fn a_running_build_keeps_its_staging_folder() {
    let site = TestSite::fixture("valid");
    complete_build(&site);
    // Left by builds that were killed: a staging folder with its lock file, and one whose
    // lock file was already removed.
    site.write(".public.new-dead01.lock", "");
    site.write(".public.new-dead01/en/index.html", "half");
    site.write(".public.new-dead02/en/index.html", "half");
    // Held by a running build.
    site.write(".public.new-live01.lock", "");
    site.write(".public.new-live01/en/index.html", "being written");
    let lock =
        std::fs::OpenOptions::new().read(true).write(true).open(site.path(".public.new-live01.lock")).expect("open");
    lock.lock().expect("lock");
    // Something else of the user's beside the output.
    site.write(".public.notes/keep.txt", "mine");
    complete_build(&site);
    assert_eq!(leftovers(&site), [".public.new-live01", ".public.new-live01.lock", ".public.notes"]);
    lock.unlock().expect("unlock");
    complete_build(&site);
    assert_eq!(leftovers(&site), [".public.notes"]);
}

/// A build into a folder that does not exist yet makes the folders above it; stopped
/// before its output is in place, it removes them again, and says the output was not
/// replaced.
#[test]
fn a_stopped_build_removes_the_folders_it_made() {
    let site = TestSite::fixture("valid");
    enlarge(&site);
    let out = "made/for/it/public";
    let started = Instant::now();
    let built = build_command(&site).args(["--out", out]).status().expect("run build");
    assert!(built.success(), "a build that nobody stopped failed: {built}");
    let window = started.elapsed().as_millis() as u64;
    let mut rng = Rng(0x5eed_0022);
    let mut stopped = 0;
    for run in 0..12 {
        // Gone already when the last build was stopped before its output was in place.
        let _ = std::fs::remove_dir_all(site.path("made"));
        let delay = Duration::from_millis(rng.below(window));
        let child = build_command(&site).args(["--out", out]).stderr(Stdio::piped()).spawn().expect("spawn build");
        std::thread::sleep(delay);
        let _ = Command::new("kill").arg("-INT").arg(child.id().to_string()).status();
        let ended = child.wait_with_output().expect("wait");
        if ended.status.code() != Some(130) || site.path(out).exists() {
            continue;
        }
        stopped += 1;
        let said = String::from_utf8_lossy(&ended.stderr);
        assert!(said.contains("the output folder was not replaced"), "run {run}, after {delay:?}: said {said:?}");
        assert!(!site.path("made").exists(), "run {run}, after {delay:?}: the folders made for the output are left");
    }
    assert!(stopped > 0, "no build was stopped before its output was in place");
}
