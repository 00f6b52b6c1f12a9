//! Differential test of transform application against an independent
//! implementation.
//!
//! `corpus/oracle-transformed/<base>+<transform>/<Table>.idt` holds every
//! table of `corpus/msi/<base>` after `corpus/msi/<transform>` is applied,
//! exported by Wine's msi.dll (`MsiDatabaseApplyTransform`, then
//! `MsiDatabaseExport`). This test applies the same transform with msica
//! (`-t`) and requires the same tables, columns and rows (as multisets).
//!
//! Wine's export names the stream of a binary cell by the row's key
//! (`Key`), msiinfo's and msica's by table and key (`Table.Key`): the test
//! compares binary cells by key.
//!
//! One behaviour of Wine's is not Windows Installer's, and the test undoes
//! it exactly: for an update record whose row the base lacks, Wine inserts
//! the record as a new row, where Windows Installer reports "updating a row
//! that does not exist" (or, with that error suppressed, ignores the
//! record). Each oracle row msica lacks must be such a record, key for key.

mod common;

use std::fs;
use std::path::{Path, PathBuf};

use common::idt::compare_with_wine;
use msica::db::transform::{ConflictKind, Op};
use msica::db::Transform;
use msica::model::load::{self, Input, TransformSpec};

fn corpus() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus")
}

/// The keys (`/`-joined) of the update records whose rows were missing.
fn missing_updates(base: &Path, transform: &Path) -> Vec<(String, String)> {
    let mut db = load::open_database(&Input::file(base)).expect("base opens");
    load::apply_transforms(&mut db, &[TransformSpec::File(transform.to_owned())])
        .expect("transform applies");
    db.transforms[0]
        .conflicts
        .iter()
        .chain(&db.transforms[0].suppressed)
        .filter(|c| c.kind == ConflictKind::UpdateMissingRow)
        .map(|c| (c.table.clone(), c.key.clone()))
        .collect()
}

#[test]
fn transformed_tables_match_wine() {
    let root = corpus();
    let oracle_root = root.join("oracle-transformed");
    if !oracle_root.is_dir() {
        eprintln!();
        eprintln!("**************************************************************");
        eprintln!(
            "*** TRANSFORM ORACLE TEST SKIPPED: no {}",
            oracle_root.display()
        );
        eprintln!("**************************************************************");
        return;
    }
    let mut pairs: Vec<PathBuf> = fs::read_dir(&oracle_root)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_dir())
        .collect();
    pairs.sort();
    let (mut compared, mut tables, mut rows, mut wine_inserts) = (0, 0, 0, 0);
    let mut diffs = Vec::new();
    for pair in &pairs {
        let name = pair.file_name().unwrap().to_string_lossy().into_owned();
        let (base, transform) = name.split_once('+').expect("folder is BASE+TRANSFORM");
        let (base, transform) = (
            root.join("msi").join(base),
            root.join("msi").join(transform),
        );
        let input = Input {
            path: base.clone(),
            transforms: vec![TransformSpec::File(transform.clone())],
            ..Input::default()
        };
        let db = load::open_database(&input).expect("the pair opens and applies");
        compared += 1;
        let missing = missing_updates(&base, &transform);

        let found = compare_with_wine(&name, pair, &db, &missing);
        tables += found.tables;
        rows += found.rows;
        wine_inserts += found.wine_inserts;
        diffs.extend(found.diffs);
    }
    println!(
        "transform oracle: {compared} pairs, {tables} tables, {rows} rows compared with Wine; \
         {wine_inserts} rows Wine inserted for updates of missing rows; {} differences",
        diffs.len()
    );
    for d in diffs.iter().take(200) {
        println!("  {d}");
    }
    assert!(compared > 0, "no oracle pairs");
    assert!(
        diffs.is_empty(),
        "{} differences (listed above)",
        diffs.len()
    );
}

/// Reading a transform on its own gives the same records the application
/// uses: every pair's transform decodes with the standard definitions.
#[test]
fn corpus_transforms_decode_on_their_own() {
    let dir = corpus().join("msi");
    let Ok(entries) = fs::read_dir(&dir) else {
        eprintln!("*** CORPUS TEST SKIPPED: no {}", dir.display());
        return;
    };
    let mut transforms: Vec<PathBuf> = entries
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "mst"))
        .collect();
    transforms.sort();
    assert!(!transforms.is_empty());
    for path in transforms {
        let mut t = Transform::open(&path).expect("transform opens");
        for table in t.tables.clone() {
            let records = t.table_records(&table);
            assert!(
                records.problem.is_none(),
                "{} {table}: {:?}",
                path.display(),
                records.problem
            );
            assert!(
                records
                    .records
                    .iter()
                    .all(|r| r.op == Op::Delete || r.cells.iter().any(Option::is_some)),
                "{} {table}: a record without cells",
                path.display()
            );
        }
    }
}
