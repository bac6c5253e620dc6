//! Builds the browser's search module (`search/wasm`, for `wasm32-unknown-unknown`) from
//! this repository's source and hands it to the `guidebook` binary, which writes it into
//! every built site as `search/engine.bin`. The module is the same search code the
//! binary runs natively, so results are identical everywhere.
//!
//! The module is exactly what rustc makes with search/wasm's release profile (size-optimised,
//! LTO, one codegen unit, `panic = "abort"`, stripped): no post-processing tool runs, so a
//! fresh machine with only Rust embeds the same engine as CI, and a missing optimiser can
//! never change it silently. (binaryen's `wasm-opt -Oz` would save 2.8% gzipped, 13 KB, and
//! its output differs between binaryen versions.)

use std::env;
use std::path::{Path, PathBuf};
use std::process::Command;

const TARGET: &str = "wasm32-unknown-unknown";

fn main() {
    let manifest = PathBuf::from(env::var("CARGO_MANIFEST_DIR").unwrap_or_default());
    // The built-in theme and interface strings are embedded with `include_dir!`, which cargo
    // does not track: watching them here recompiles the crate when a file is added.
    for path in [
        "search/src",
        "search/Cargo.toml",
        "search/wasm/src",
        "search/wasm/Cargo.toml",
        "search/wasm/Cargo.lock",
        "search/wasm/regex-lite-as-regex",
        "themes/default",
        "i18n",
    ] {
        println!("cargo:rerun-if-changed={}", manifest.join(path).display());
    }
    let out = PathBuf::from(env::var("OUT_DIR").unwrap_or_default()).join("engine.wasm");
    if let Err(message) = build(&manifest, &out).and_then(|()| compress(&out)) {
        println!("cargo:warning={message}");
        panic!("cannot build the search module: {message}");
    }
}

fn build(manifest: &Path, out: &Path) -> Result<(), String> {
    let cargo = env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    ensure_target()?;
    // A target directory of its own: the outer build holds the lock of the usual one. The
    // module is a workspace of its own, with its own lock file, profile and patch.
    let target_dir = manifest.join("target").join("wasm");
    let status = Command::new(&cargo)
        .current_dir(manifest.join("search").join("wasm"))
        .args(["build", "--locked", "--quiet", "--release", "--target", TARGET])
        .arg("--target-dir")
        .arg(&target_dir)
        // The module needs no randomness; its dependencies are told where to ask for it.
        .env("CARGO_ENCODED_RUSTFLAGS", "--cfg\u{1f}getrandom_backend=\"custom\"")
        .env_remove("RUSTFLAGS")
        .env_remove("CARGO_BUILD_RUSTFLAGS")
        .env_remove("CARGO_TARGET_DIR")
        .env_remove("CARGO_BUILD_TARGET")
        .env_remove("RUSTC_WORKSPACE_WRAPPER")
        .status()
        .map_err(|e| format!("cannot run cargo: {e}"))?;
    if !status.success() {
        return Err("cargo could not build search/wasm for wasm32-unknown-unknown".into());
    }
    let built = target_dir.join(TARGET).join("release").join("guidebook_search_wasm.wasm");
    std::fs::copy(&built, out).map(|_| ()).map_err(|e| format!("cannot copy {}: {e}", built.display()))
}

/// Writes `engine.wasm.gz` beside `engine.wasm`: the module is served compressed, whatever
/// the web server does.
fn compress(wasm: &Path) -> Result<(), String> {
    use std::io::Write as _;
    let bytes = std::fs::read(wasm).map_err(|e| format!("cannot read {}: {e}", wasm.display()))?;
    let mut gz = flate2::GzBuilder::new().write(Vec::new(), flate2::Compression::best());
    gz.write_all(&bytes).map_err(|e| e.to_string())?;
    let packed = gz.finish().map_err(|e| e.to_string())?;
    let out = wasm.with_extension("wasm.gz");
    std::fs::write(&out, packed).map_err(|e| format!("cannot write {}: {e}", out.display()))
}

/// Adds the WebAssembly target to the toolchain when it is missing (rustup fetches it).
fn ensure_target() -> Result<(), String> {
    let sysroot = Command::new(env::var("RUSTC").unwrap_or_else(|_| "rustc".into()))
        .args(["--print", "sysroot"])
        .output()
        .map_err(|e| format!("cannot run rustc: {e}"))?;
    let sysroot = String::from_utf8_lossy(&sysroot.stdout).trim().to_string();
    if Path::new(&sysroot).join("lib").join("rustlib").join(TARGET).exists() {
        return Ok(());
    }
    let added = Command::new("rustup").args(["target", "add", TARGET]).status();
    match added {
        Ok(s) if s.success() => Ok(()),
        _ => Err(format!("the Rust target {TARGET} is missing: install it with `rustup target add {TARGET}`")),
    }
}
