//! Test support: a fixture site copied into a temporary folder, and the real `guidebook`
//! binary run in it, so tests see exactly what a user sees.
#![allow(dead_code, unreachable_pub)]

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;

/// A site in a temporary folder.
pub struct TestSite {
    dir: tempfile::TempDir,
}

/// What one run of the binary printed and returned.
#[derive(Debug)]
pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

impl Run {
    /// stderr without the last line (the summary, whose timing varies).
    pub fn diagnostics(&self) -> Vec<&str> {
        let lines: Vec<&str> = self.stderr.lines().collect();
        lines[..lines.len().saturating_sub(1)].to_vec()
    }

    pub fn summary(&self) -> &str {
        self.stderr.lines().last().unwrap_or("")
    }
}

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests").join("fixtures")
}

impl TestSite {
    /// A copy of `tests/fixtures/<name>`.
    pub fn fixture(name: &str) -> Self {
        let dir = tempfile::tempdir().expect("temp dir");
        let src = fixtures().join(name);
        for entry in walkdir::WalkDir::new(&src) {
            let entry = entry.expect("fixture entry");
            let rel = entry.path().strip_prefix(&src).expect("inside fixture");
            let dest = dir.path().join(rel);
            if entry.file_type().is_dir() {
                std::fs::create_dir_all(&dest).expect("mkdir");
            } else {
                std::fs::copy(entry.path(), &dest).expect("copy");
            }
        }
        TestSite { dir }
    }

    pub fn root(&self) -> &Path {
        self.dir.path()
    }

    pub fn path(&self, rel: &str) -> PathBuf {
        self.dir.path().join(rel)
    }

    pub fn write(&self, rel: &str, bytes: impl AsRef<[u8]>) {
        let p = self.path(rel);
        std::fs::create_dir_all(p.parent().expect("parent")).expect("mkdir");
        std::fs::write(p, bytes).expect("write");
    }

    pub fn remove(&self, rel: &str) {
        std::fs::remove_file(self.path(rel)).expect("remove");
    }

    pub fn read(&self, rel: &str) -> String {
        std::fs::read_to_string(self.path(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"))
    }

    pub fn exists(&self, rel: &str) -> bool {
        self.path(rel).exists()
    }

    /// Runs `guidebook ARGS` in the site folder.
    pub fn run(&self, args: &[&str]) -> Run {
        self.run_with_env(args, &[])
    }

    pub fn run_with_env(&self, args: &[&str], env: &[(&str, &str)]) -> Run {
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_guidebook"));
        cmd.args(args).current_dir(self.root()).env_remove("SOURCE_DATE_EPOCH").env("RUST_BACKTRACE", "1");
        for (k, v) in env {
            cmd.env(k, v);
        }
        let out = cmd.output().expect("run guidebook");
        Run {
            code: out.status.code().unwrap_or(-1),
            stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
        }
    }

    /// Every file below `rel` with its bytes, by relative path.
    pub fn snapshot(&self, rel: &str) -> BTreeMap<String, Vec<u8>> {
        snapshot_of(&self.path(rel))
    }
}

/// Every file below `base` with its bytes, by relative path.
pub fn snapshot_of(base: &Path) -> BTreeMap<String, Vec<u8>> {
    let mut files = BTreeMap::new();
    for entry in walkdir::WalkDir::new(base).sort_by_file_name() {
        let entry = entry.expect("entry");
        if entry.file_type().is_file() {
            let name = entry.path().strip_prefix(base).expect("inside").to_string_lossy().replace('\\', "/");
            files.insert(name, std::fs::read(entry.path()).expect("read"));
        }
    }
    files
}

/// A server process a test started (`guidebook serve`, Python's `http.server`), on the
/// loopback interface at `port`; killed when dropped, so no test leaves one running.
pub struct Server {
    pub child: std::process::Child,
    pub port: u16,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Asserts that no run printed a panic or a backtrace.
pub fn assert_no_panic(run: &Run) {
    for needle in ["panicked", "RUST_BACKTRACE", "stack backtrace"] {
        assert!(!run.stderr.contains(needle), "a user saw a panic:\n{}", run.stderr);
    }
}
