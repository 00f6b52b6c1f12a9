//! Differential test against an independent reader.
//!
//! `corpus/oracle/<file>/<Table>.idt` holds what `msiinfo export` (GNOME
//! msitools, libmsi) prints for every table of every real-world database in
//! `corpus/msi/`. This test reads the same tables with msica (`read_table` +
//! `to_idt`) and requires the same column names, column types, key line and
//! rows (as a multiset: row order is whatever each reader returns).

use std::fs;
use std::path::{Path, PathBuf};

mod common;

use common::idt::{compare_table, msiinfo_export, parse_idt, Idt};
use msica::inspect::to_idt;
use msica::model::load::{list_tables, read_table};

fn corpus_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus")
}

/// Undoes a known libmsi defect in the oracle. An integer column declared
/// with a width other than 2 or 4 (WiX 4 declares `I1` columns, for example
/// `Wix4FirewallException.Protocol`) is stored in 2 bytes, which libmsi reads
/// correctly but then un-biases as a 4-byte value: a stored 6 (0x8006)
/// comes out as 0x8006 - 2^31 = -2147450874. Windows Installer, the `msi`
/// crate and msica read 6. The inverse is exact: the stored 16-bit word is
/// the printed value + 2^31, and the value is that word - 0x8000.
fn has_narrow_int(idt: &Idt) -> bool {
    idt.types
        .split('\t')
        .any(|t| t.starts_with(['i', 'I']) && !matches!(&t[1..], "2" | "4"))
}

fn undo_libmsi_narrow_int(oracle: &mut Idt) {
    let types: Vec<&str> = oracle.types.split('\t').collect();
    let narrow: Vec<usize> = types
        .iter()
        .enumerate()
        .filter(|(_, t)| t.starts_with(['i', 'I']) && !matches!(&t[1..], "2" | "4"))
        .map(|(i, _)| i)
        .collect();
    if narrow.is_empty() {
        return;
    }
    for row in &mut oracle.rows {
        let mut cells: Vec<String> = row.split('\t').map(str::to_owned).collect();
        if cells.len() != types.len() {
            continue;
        }
        for &i in &narrow {
            if let Ok(printed) = cells[i].parse::<i64>() {
                let word = printed + (1i64 << 31);
                if (0..=0xFFFF).contains(&word) {
                    cells[i] = (word - 0x8000).to_string();
                }
            }
        }
        *row = cells.join("\t");
    }
}

#[test]
fn every_table_matches_msiinfo_export() {
    let corpus = corpus_dir();
    let (msi_dir, oracle_dir) = (corpus.join("msi"), corpus.join("oracle"));
    if !msi_dir.is_dir() || !oracle_dir.is_dir() {
        eprintln!();
        eprintln!("**************************************************************");
        eprintln!("*** ORACLE TEST SKIPPED: no corpus at {}", corpus.display());
        eprintln!("*** (expected corpus/msi and corpus/oracle beside the crate)");
        eprintln!("**************************************************************");
        return;
    }

    let mut entries: Vec<PathBuf> = fs::read_dir(&msi_dir)
        .expect("corpus/msi is readable")
        .map(|e| e.expect("dir entry").path())
        .collect();
    entries.sort();

    let (mut files, mut tables, mut rows) = (0usize, 0usize, 0usize);
    let (mut live_compared, mut live_rows, mut live_skipped) = (0usize, 0usize, 0usize);
    let mut without_oracle = Vec::new();
    let mut diffs: Vec<String> = Vec::new();

    for path in entries {
        let file = path.file_name().unwrap().to_string_lossy().into_owned();
        let folder = oracle_dir.join(&file);
        if !folder.is_dir() {
            without_oracle.push(file);
            continue;
        }
        files += 1;

        let mut oracle_tables: Vec<String> = fs::read_dir(&folder)
            .expect("oracle folder is readable")
            .filter_map(|e| {
                let name = e
                    .expect("dir entry")
                    .file_name()
                    .to_string_lossy()
                    .into_owned();
                name.strip_suffix(".idt").map(str::to_owned)
            })
            .collect();
        oracle_tables.sort();

        // The oracle was made for tables whose names do not start with `_`:
        // it leaves out `_Validation` and the private tables of ICE cubes and
        // authoring tools (`_ICESequence`, `_sqlAction`, `_VsdLaunchCondition`
        // ...). Every other table msica lists must be in the oracle and the
        // other way round; the `_` tables are compared with a live
        // `msiinfo export` when msiinfo is installed.
        let mut live_tables = Vec::new();
        match list_tables(&path) {
            Ok(listed) => {
                for (name, _) in &listed {
                    if name.starts_with('_') {
                        live_tables.push(name.clone());
                    } else if !oracle_tables.contains(name) {
                        diffs.push(format!(
                            "{file}: msica lists table {name}, the oracle has no such table"
                        ));
                    }
                }
                for t in &oracle_tables {
                    if t.starts_with('_') {
                        diffs.push(format!("{file}: the oracle unexpectedly exports {t}"));
                    }
                    if !listed.iter().any(|(name, _)| name == t) {
                        diffs.push(format!("{file}: msica does not list table {t}"));
                    }
                }
            }
            Err(e) => diffs.push(format!("{file}: msica cannot list tables: {e}")),
        }
        for table in &live_tables {
            let Some(text) = msiinfo_export(&path, table) else {
                live_skipped += 1;
                continue;
            };
            let oracle = parse_idt(&text).expect("msiinfo output parses");
            match read_table(&path, table) {
                Ok(raw) => {
                    let ours = parse_idt(&to_idt(&raw)).expect("to_idt output parses");
                    live_compared += 1;
                    live_rows += oracle.rows.len();
                    diffs.extend(compare_table(&file, table, &oracle, &ours));
                }
                Err(e) => diffs.push(format!("{file} {table}: msica cannot read the table: {e}")),
            }
        }

        for table in &oracle_tables {
            let text =
                fs::read(folder.join(format!("{table}.idt"))).expect("oracle file is readable");
            let text = String::from_utf8_lossy(&text);
            let mut oracle = match parse_idt(&text) {
                Ok(idt) => idt,
                Err(e) => {
                    diffs.push(format!("{file} {table}: cannot parse oracle: {e}"));
                    continue;
                }
            };
            let ours = match read_table(&path, table) {
                Ok(raw) => {
                    let idt = to_idt(&raw);
                    // Same records and the same size: the same CR LF line ends.
                    if !has_narrow_int(&oracle) && idt.len() != text.len() {
                        diffs.push(format!(
                            "{file} {table}: export is {} bytes, the oracle {} bytes",
                            idt.len(),
                            text.len()
                        ));
                    }
                    parse_idt(&idt).expect("to_idt output parses")
                }
                Err(e) => {
                    diffs.push(format!("{file} {table}: msica cannot read the table: {e}"));
                    continue;
                }
            };
            undo_libmsi_narrow_int(&mut oracle);
            tables += 1;
            rows += oracle.rows.len();
            diffs.extend(compare_table(&file, table, &oracle, &ours));
        }
    }

    println!(
        "oracle: {files} files, {tables} tables, {rows} rows compared with msiinfo export; {} differences",
        diffs.len()
    );
    if live_compared > 0 {
        println!("oracle: {live_compared} `_` tables, {live_rows} rows compared with a live msiinfo export");
    }
    if live_skipped > 0 {
        eprintln!("oracle: {live_skipped} `_` tables not compared: msiinfo is not installed");
    }
    if !without_oracle.is_empty() {
        println!(
            "oracle: no oracle folder (not compared): {}",
            without_oracle.join(", ")
        );
    }
    for d in diffs.iter().take(300) {
        println!("  {d}");
    }
    if diffs.len() > 300 {
        println!("  ... and {} more", diffs.len() - 300);
    }
    assert!(files > 0, "the corpus has no oracle folders");
    assert!(
        diffs.is_empty(),
        "{} differences between msica and msiinfo export (listed above)",
        diffs.len()
    );
}

#[test]
fn narrow_integer_defect_is_undone_exactly() {
    let mut idt =
        parse_idt("K\tP\tQ\r\ns72\tI1\tI2\r\nT\tK\r\na\t-2147450874\t6\r\nb\t\t-5\r\n").unwrap();
    undo_libmsi_narrow_int(&mut idt);
    assert_eq!(idt.rows, vec!["a\t6\t6", "b\t\t-5"]);
}

#[test]
fn idt_parser_joins_multi_line_cells() {
    let text = "A\tB\r\ns72\tL0\r\nT\tA\r\nk1\tline one\r\nline two\nline three\r\nk2\tx\r\n";
    let idt = parse_idt(text).unwrap();
    assert_eq!(
        idt.rows,
        vec!["k1\tline one\r\nline two\nline three", "k2\tx"]
    );
}
