//! Differential test of patch application against an independent
//! implementation.
//!
//! `corpus/oracle-patched/<base>+<patch>[+<patch>...]/<Table>.idt` holds
//! every table of `corpus/msi/<base>` after the patches in `corpus/msp/` were
//! applied in that order, exported by Wine's msi.dll: for each patch the pair
//! whose first transform validates against the database as it then is, both
//! transforms applied with `MsiDatabaseApplyTransform`. This test applies the
//! same patches with msica (`-p`) and requires the same tables, columns and
//! rows (as multisets), comparing binary cells by key as the transform oracle
//! test does. One folder's second patch has two pairs, and the right one
//! depends on the first patch: the test checks which pair msica chose too.

mod common;

use std::fs;
use std::path::{Path, PathBuf};

use common::idt::compare_with_wine;
use msica::db::transform::ConflictKind;
use msica::model::load::{self, Input};

fn corpus() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus")
}

#[test]
fn patched_tables_match_wine() {
    let root = corpus();
    let oracle_root = root.join("oracle-patched");
    if !oracle_root.is_dir() {
        eprintln!();
        eprintln!("**************************************************************");
        eprintln!(
            "*** PATCH ORACLE TEST SKIPPED: no {}",
            oracle_root.display()
        );
        eprintln!("**************************************************************");
        return;
    }
    let mut cases: Vec<PathBuf> = fs::read_dir(&oracle_root)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_dir())
        .collect();
    cases.sort();
    let (mut compared, mut tables, mut rows) = (0, 0, 0);
    let mut diffs = Vec::new();
    for case in &cases {
        let name = case.file_name().unwrap().to_string_lossy().into_owned();
        let mut parts = name.split('+');
        let base = root.join("msi").join(parts.next().unwrap());
        let patches: Vec<PathBuf> = parts.map(|p| root.join("msp").join(p)).collect();
        let input = Input {
            path: base,
            patches,
            ..Input::default()
        };
        let db = load::open_database(&input).expect("the base opens and the patches apply");
        compared += 1;
        for p in &db.patches {
            if p.pair.is_none() {
                diffs.push(format!(
                    "{name}: {} did not apply: {:?}",
                    p.name,
                    p.refusal()
                ));
            }
        }
        // Wine inserts the record of an update whose row is missing: such
        // rows are the updates msica reported as missing, key for key.
        let missing: Vec<(String, String)> = db
            .transforms
            .iter()
            .flat_map(|t| t.conflicts.iter().chain(&t.suppressed))
            .filter(|c| c.kind == ConflictKind::UpdateMissingRow)
            .map(|c| (c.table.clone(), c.key.clone()))
            .collect();

        let found = compare_with_wine(&name, case, &db, &missing);
        tables += found.tables;
        rows += found.rows;
        diffs.extend(found.diffs);
    }
    println!(
        "patch oracle: {compared} cases, {tables} tables, {rows} rows compared with Wine; {} differences",
        diffs.len()
    );
    for d in diffs.iter().take(200) {
        println!("  {d}");
    }
    assert!(compared > 0, "no oracle cases");
    assert!(
        diffs.is_empty(),
        "{} differences (listed above)",
        diffs.len()
    );
}

/// gdr1.msp has two pairs: `rtm.2` for the product as released and
/// `rtmldr.1` for the product after rtmldr.msp. Which one applies depends on
/// what was applied before it.
#[test]
fn the_pair_depends_on_the_patches_before() {
    let root = corpus();
    let base = root.join("msi/wix3__RtmProduct_product.msi");
    let (rtmldr, gdr1) = (
        root.join("msp/wixtoolset__wix3_rtmldr.msp"),
        root.join("msp/wixtoolset__wix3_gdr1.msp"),
    );
    if !base.is_file() || !gdr1.is_file() {
        eprintln!("*** PATCH PAIR TEST SKIPPED: no corpus");
        return;
    }
    let open = |patches: Vec<PathBuf>| {
        load::open_database(&Input {
            path: base.clone(),
            patches,
            ..Input::default()
        })
        .expect("opens")
    };
    // Its summary lists `rtmldr.1` first: alone, that pair is refused (it
    // was made against 1.0.1.0) and `rtm.2` applies.
    let alone = open(vec![gdr1.clone()]);
    assert_eq!(alone.patches[0].pair.as_deref(), Some("rtm.2"));
    let rejected: Vec<String> = alone.patches[0]
        .rejected
        .iter()
        .map(|r| format!("{}: {}", r.name, r.reasons[0].describe()))
        .collect();
    assert_eq!(rejected.len(), 1);
    assert!(
        rejected[0].starts_with("rtmldr.1: its ProductVersion must be"),
        "{rejected:?}"
    );
    let after = open(vec![rtmldr, gdr1]);
    assert_eq!(after.patches[0].pair.as_deref(), Some("rtm.1"));
    assert_eq!(after.patches[1].pair.as_deref(), Some("rtmldr.1"));
    assert!(after.patches[1].rejected.is_empty());
    // Rows name the patch and the pair that touched them.
    assert_eq!(
        after.transforms[2].name,
        "wixtoolset__wix3_gdr1.msp:rtmldr.1"
    );
    assert_eq!(
        after.transforms[2].patch.as_deref(),
        Some("wixtoolset__wix3_gdr1.msp")
    );
}
