//! The library's failures that are not content problems (those are
//! [`Diagnostics`](crate::diagnostics::Diagnostics)): I/O, unsafe output folders, requests
//! the site cannot answer, interruptions and bugs.
//!
//! Messages describe the problem in the library's terms. The command line adds which of
//! its flags or commands to use (`--root DIR`, `--out`, `--allow-remote`, ...): see
//! `src/main.rs`.

use std::net::SocketAddr;
use std::path::{Path, PathBuf};

/// Failures that are not content problems: I/O, unsafe output folders, internal errors.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// A file or folder could not be read or written.
    #[error("{path}: {source}")]
    Io {
        /// The path involved.
        path: PathBuf,
        /// What went wrong.
        source: std::io::Error,
    },
    /// The folder is not a site: it has no `site.yaml`.
    #[error("no site.yaml in `{0}`")]
    NotASite(PathBuf),
    /// The site's `site.yaml` has errors (a check of the site reports them).
    #[error("site.yaml has errors")]
    BrokenConfig,
    /// The output folder is the site itself or something that is not a build output.
    #[error("refusing to replace `{0}`: it is not a build output (it holds the site or is not a folder)")]
    UnsafeOutput(PathBuf),
    /// The output folder holds files, but not those of a build (it has no
    /// `search/engine.bin`): replacing it would delete someone's files.
    #[error(
        "refusing to replace `{0}`: it holds files that no guidebook build wrote (there is no search/engine.bin in it)"
    )]
    NotAnOutput(PathBuf),
    /// The output folder is, or is inside, one of the folders the site is made from
    /// (`content`, `static`, `themes`, `i18n`) or a hidden folder such as `.git`: a build
    /// would replace what the editors wrote.
    #[error("refusing to write the output into `{out}`: it is inside `{folder}`, one of the site's own folders")]
    OutputInSite {
        /// The output folder asked for.
        out: PathBuf,
        /// The site's folder it is in (`content`).
        folder: String,
    },
    /// A search was asked in a language the site does not have.
    #[error("`{asked}` is not a language of this site: use {known}")]
    UnknownLanguage {
        /// The language asked for.
        asked: String,
        /// The site's languages, quoted and listed (`` `en` or `fr` ``).
        known: String,
    },
    /// A search was asked for a kind of page the site does not have.
    #[error("`{asked}` is not a kind of this site{hint}: use {known}")]
    UnknownKind {
        /// The kind asked for.
        asked: String,
        /// A did-you-mean (`` (did you mean `page`?)``), or nothing.
        hint: String,
        /// The site's kinds, quoted and listed.
        known: String,
    },
    /// A search index could not be read: the site was not built, or not there.
    #[error("{path}: cannot be read ({source})")]
    IndexMissing {
        /// The index file.
        path: PathBuf,
        /// Why it could not be read.
        source: std::io::Error,
    },
    /// A search index is damaged or was written by another version.
    #[error("{path}: {message}")]
    IndexDamaged {
        /// The index file.
        path: PathBuf,
        /// What is wrong with it.
        message: String,
    },
    /// `serve` was asked to listen on an address other than this machine's own, without
    /// being allowed to.
    #[error("{0} is not a loopback address: anyone on the network could read the site")]
    NotLoopback(SocketAddr),
    /// `serve` cannot listen at the address asked (it is in use, or not this machine's).
    #[error("cannot listen at {addr}: {source}")]
    Bind {
        /// The address asked for.
        addr: SocketAddr,
        /// Why not.
        source: std::io::Error,
    },
    /// The command was asked something it cannot do.
    #[error("{0}")]
    Usage(String),
    /// The build was stopped by a signal; what it had started writing was removed.
    #[error("interrupted")]
    Interrupted,
    /// A bug.
    #[error("internal error: {0}")]
    Internal(String),
}

impl Error {
    pub(crate) fn io(path: &Path, source: std::io::Error) -> Self {
        Error::Io { path: path.to_path_buf(), source }
    }
}
