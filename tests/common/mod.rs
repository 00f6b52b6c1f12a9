//! Running msica in-process, as the binary would, for integration tests.

#![allow(dead_code)]

pub mod idt;

use std::ffi::OsString;
use std::path::{Path, PathBuf};

use clap::Parser;
use msica::cli::Cli;
use msica::render::Style;
use msica::ExitStatus;

/// What one run printed and returned.
#[derive(Debug)]
pub struct Run {
    pub status: ExitStatus,
    pub out: String,
    pub err: String,
}

/// Runs `msica ARGS...` with plain (non-terminal) output.
pub fn run<I, S>(args: I) -> Run
where
    I: IntoIterator<Item = S>,
    S: Into<OsString>,
{
    let argv: Vec<OsString> = std::iter::once(OsString::from("msica"))
        .chain(args.into_iter().map(Into::into))
        .collect();
    let cli =
        Cli::try_parse_from(&argv).unwrap_or_else(|e| panic!("bad test arguments {argv:?}: {e}"));
    let (mut out, mut err) = (Vec::new(), Vec::new());
    let status = msica::run_with(cli, Style::plain(), &mut out, &mut err);
    Run {
        status,
        out: String::from_utf8_lossy(&out).into_owned(),
        err: String::from_utf8_lossy(&err).into_owned(),
    }
}

pub fn corpus_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus/msi")
}

pub fn samples_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("samples")
}

/// The corpus files, sorted; `None` (after a loud message) without a corpus.
pub fn corpus_files() -> Option<Vec<PathBuf>> {
    let dir = corpus_dir();
    if !dir.is_dir() {
        eprintln!();
        eprintln!("**************************************************************");
        eprintln!("*** CORPUS TEST SKIPPED: no corpus at {}", dir.display());
        eprintln!("**************************************************************");
        return None;
    }
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .expect("corpus is readable")
        .map(|e| e.expect("dir entry").path())
        .filter(|p| {
            p.is_file()
                && !p
                    .file_name()
                    .is_some_and(|n| n.to_string_lossy().starts_with('.'))
        })
        .collect();
    files.sort();
    Some(files)
}

/// Asserts that stderr holds one clear error: it names `path`, it says
/// `cause`, and it carries no trace of a panic.
pub fn assert_clear_error(run: &Run, path: &Path, cause: &str) {
    let shown = path.display().to_string();
    assert_eq!(
        run.status,
        ExitStatus::Error,
        "exit status for {shown}; stderr: {}",
        run.err
    );
    assert!(
        run.err.contains(&shown),
        "stderr does not name {shown}: {}",
        run.err
    );
    // The message may be wrapped over continuation lines (`  │ `).
    let unwrapped = run.err.replace("\n  │ ", " ");
    assert!(
        unwrapped.to_lowercase().contains(&cause.to_lowercase()),
        "stderr for {shown} does not say `{cause}`: {}",
        run.err
    );
    for leak in [
        "panicked",
        "backtrace",
        "unwrap",
        "RUST_BACKTRACE",
        "thread '",
    ] {
        assert!(
            !run.err.contains(leak),
            "stderr for {shown} leaks `{leak}`: {}",
            run.err
        );
    }
    let headlines = run.err.lines().filter(|l| l.contains(&shown)).count();
    assert_eq!(
        headlines, 1,
        "expected one message naming {shown}, got: {}",
        run.err
    );
}
