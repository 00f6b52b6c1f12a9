//! The findings msica reports on every real-world database of the corpus,
//! kept as a snapshot so that a rule change that adds or removes a finding on
//! a real installer shows up in review. Each finding here was read and is true
//! of its file.

use std::fmt::Write as _;
use std::path::Path;

use msica::engine::{lint_file, Levels};

#[test]
fn corpus_findings() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus/msi");
    if !dir.is_dir() {
        eprintln!(
            "\n!!! corpus folder {} is missing: corpus findings NOT checked !!!\n",
            dir.display()
        );
        return;
    }
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    files.sort();
    let mut out = String::new();
    for path in &files {
        let report = lint_file(path, &Levels::default());
        let name = path.file_name().unwrap().to_string_lossy();
        if let Some(e) = &report.error {
            let message = e.to_string();
            let _ = writeln!(
                out,
                "{name}: error: {}",
                message
                    .split_once(": ")
                    .map_or(message.as_str(), |(_, m)| m)
            );
            continue;
        }
        if report.findings.is_empty() {
            continue;
        }
        let _ = writeln!(out, "{name}:");
        for f in &report.findings {
            let _ = writeln!(
                out,
                "  {} {} {}: {}",
                f.code,
                f.severity.as_str(),
                f.action.as_deref().unwrap_or("-"),
                f.message
            );
        }
    }
    insta::assert_snapshot!(out);
}

#[test]
fn the_corpus_is_present_in_ci() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus/msi");
    if std::env::var_os("CI").is_some() {
        assert!(
            dir.is_dir(),
            "CI must provide the corpus at {}",
            dir.display()
        );
    }
}
