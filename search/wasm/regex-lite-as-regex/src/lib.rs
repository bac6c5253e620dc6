//! `regex-lite` under the name `regex` (see this crate's `Cargo.toml`).

pub use regex_lite::*;
