//! Every condition of every database in the shared real-world corpus parses,
//! and the condition-syntax rule (MCA401) stays quiet on them.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use msica::analysis::condition_sites;
use msica::engine::{run_rules, Levels};
use msica::model::load::load_package;
use msica::rules::find_rule;

fn corpus_files() -> Option<Vec<PathBuf>> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus/msi");
    let entries = std::fs::read_dir(&dir).ok()?;
    let mut files: Vec<PathBuf> = entries
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.is_file())
        .collect();
    files.sort();
    Some(files)
}

#[test]
fn every_corpus_condition_parses_and_mca401_is_quiet() {
    let Some(files) = corpus_files() else {
        eprintln!(
            "!!! corpus folder ../shared/corpus/msi not found: corpus condition check SKIPPED !!!"
        );
        return;
    };
    let rule = find_rule("MCA401").expect("MCA401 is registered");
    let mut per_table: BTreeMap<String, usize> = BTreeMap::new();
    let mut failures = Vec::new();
    let mut findings = Vec::new();
    let mut loaded = 0;
    for path in &files {
        let pkg = match load_package(path) {
            Ok(pkg) => pkg,
            Err(e) => {
                // Transforms and the unreadable stub are not databases to analyse.
                eprintln!("skipped {}: {e}", path.display());
                continue;
            }
        };
        loaded += 1;
        for site in &condition_sites(&pkg) {
            *per_table.entry(site.location().table).or_default() += 1;
            if let Err(e) = msica::condition::parse(site.text) {
                failures.push(format!(
                    "{}: {}: `{}`: {e}",
                    path.display(),
                    site.describe(),
                    site.text
                ));
            }
        }
        for f in run_rules(&pkg, &[rule], &Levels::default()) {
            findings.push(format!("{}: {}", path.display(), f.message));
        }
    }
    eprintln!("corpus: {loaded} databases loaded, conditions per table: {per_table:?}");
    assert!(loaded > 0, "no corpus database could be loaded");
    assert!(
        per_table.values().sum::<usize>() > 100,
        "the corpus holds many conditions: {per_table:?}"
    );
    for table in [
        "InstallExecuteSequence",
        "InstallUISequence",
        "ControlEvent",
        "LaunchCondition",
        "ControlCondition",
        "Condition",
    ] {
        assert!(
            per_table.contains_key(table),
            "no condition read from {table}: {per_table:?}"
        );
    }
    assert!(
        failures.is_empty(),
        "conditions that do not parse:\n{}",
        failures.join("\n")
    );
    assert!(
        findings.is_empty(),
        "MCA401 findings on the corpus:\n{}",
        findings.join("\n")
    );
}

/// The sample packages that seed one condition defect each report exactly
/// that rule among the condition rules; the clean samples report none.
#[test]
fn condition_samples_report_their_rule() {
    let samples = Path::new(env!("CARGO_MANIFEST_DIR")).join("samples");
    let rules: Vec<_> = ["MCA401", "MCA402", "MCA403", "MCA404"]
        .iter()
        .map(|c| find_rule(c).unwrap())
        .collect();
    for (file, expected) in [
        ("MCA401-condition-syntax.msi", vec!["MCA401"]),
        ("MCA402-condition-mismatch.msi", vec!["MCA402"]),
        ("MCA403-mixed-logical-precedence.msi", vec!["MCA403"]),
        ("MCA404-state-condition-too-early.msi", vec!["MCA404"]),
        ("clean-app.msi", vec![]),
        ("clean-minimal.msi", vec![]),
    ] {
        let path = samples.join(file);
        if !path.exists() {
            eprintln!("!!! sample {file} not found: SKIPPED !!!");
            continue;
        }
        let pkg = load_package(&path).unwrap();
        let codes: Vec<&str> = run_rules(&pkg, &rules, &Levels::default())
            .iter()
            .map(|f| f.code)
            .collect();
        assert_eq!(codes, expected, "{file}");
    }
}
