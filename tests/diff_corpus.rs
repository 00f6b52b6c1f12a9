//! `msica diff` on the corpus release pairs, checked against the row
//! differences computed from an independent reader's exports.
//!
//! `corpus/oracle/<file>/<Table>.idt` is what `msiinfo export` (libmsi)
//! prints for every table. For each release pair named in the corpus
//! README, the rows of both exports are keyed by the primary key columns the
//! export's third line names; a key only the new export has is added, only
//! the old one removed, and a key both have whose cells differ (compared by
//! column name) is changed. `msica diff --format json` must report exactly
//! those keys for every table.
//!
//! The custom-action section is checked against the same exports: the
//! actions whose CustomAction row differs, and the sequence rows of custom
//! actions that differ, must all be reported.
//!
//! What is comparable, and what is not:
//! * the oracle leaves out the tables whose names start with `_`
//!   (`_Validation`, tool tables), so those are not compared;
//! * binary cells are compared by the stream name both readers print; the
//!   stream data is compared by msica's streams section, which the oracle
//!   does not cover;
//! * msiinfo writes cells raw (a cell may hold a line break, which the IDT
//!   parser joins back); a row whose tab count does not match its header
//!   would make keys ambiguous, and the test fails on it rather than guess.

mod common;

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use common::idt::{parse_idt, Idt};
use msica::ExitStatus;
use serde_json::Value;

/// The release pairs of `corpus/README.md`: (old, new).
const PAIRS: [(&str, &str); 6] = [
    (
        "ZeroTierOne__ZeroTierOne_NDIS6_x86_AI14.5.msi",
        "ZeroTierOne__ZeroTierOne_NDIS6_x86_AI17.6.msi",
    ),
    (
        "vcredist-extracted__2022_x64_vc_runtimeMinimum_14.38.32919.msi",
        "vcredist-extracted__2022_x64_vc_runtimeMinimum_14.42.34438.msi",
    ),
    (
        "vcredist-extracted__2022_x64_vc_runtimeAdditional_14.38.32919.msi",
        "vcredist-extracted__2022_x64_vc_runtimeAdditional_14.42.34438.msi",
    ),
    (
        "winget__AppInstallerTestMsiInstaller.msi",
        "winget__AppInstallerTestMsiInstallerV2.msi",
    ),
    (
        "justcla__AltWinHotKeys_1.1.0.msi",
        "justcla__AltWinHotKeys_1.4.1.msi",
    ),
    (
        "Gimcrack__MSB_Virus_Sentry_1.0.8.msi",
        "Gimcrack__MSB_Virus_Sentry_1.0.9.msi",
    ),
];

fn corpus() -> Option<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus");
    if dir.join("msi").is_dir() && dir.join("oracle").is_dir() {
        return Some(dir);
    }
    eprintln!();
    eprintln!("**************************************************************");
    eprintln!(
        "*** DIFF CORPUS TEST SKIPPED: no corpus at {}",
        dir.display()
    );
    eprintln!("**************************************************************");
    None
}

/// One exported table: column names and rows by key (rows sharing a key
/// kept in order).
struct OracleTable {
    columns: Vec<String>,
    rows: BTreeMap<Vec<String>, Vec<Vec<String>>>,
}

fn read_oracle_table(path: &Path) -> OracleTable {
    let bytes = std::fs::read(path).unwrap();
    let idt: Idt = parse_idt(&String::from_utf8_lossy(&bytes))
        .unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let columns: Vec<String> = idt.names.split('\t').map(str::to_owned).collect();
    let keys: Vec<usize> = idt
        .keys
        .split('\t')
        .skip(1)
        .map(|k| {
            columns
                .iter()
                .position(|c| c == k)
                .unwrap_or_else(|| panic!("{}: key column {k} not in header", path.display()))
        })
        .collect();
    let mut rows: BTreeMap<Vec<String>, Vec<Vec<String>>> = BTreeMap::new();
    for row in &idt.rows {
        let cells: Vec<String> = row.split('\t').map(str::to_owned).collect();
        assert_eq!(
            cells.len(),
            columns.len(),
            "{}: a row does not split into its columns: {row:?}",
            path.display()
        );
        let key = keys.iter().map(|&i| cells[i].clone()).collect();
        rows.entry(key).or_default().push(cells);
    }
    OracleTable { columns, rows }
}

fn read_oracle(dir: &Path) -> BTreeMap<String, OracleTable> {
    std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter_map(|p| {
            let name = p.file_name()?.to_str()?.strip_suffix(".idt")?.to_owned();
            Some((name, read_oracle_table(&p)))
        })
        .collect()
}

/// Added, removed and changed keys, each sorted (repeated for rows sharing a key).
type Keys = (Vec<Vec<String>>, Vec<Vec<String>>, Vec<Vec<String>>);

fn expected(old: Option<&OracleTable>, new: Option<&OracleTable>) -> Keys {
    let empty = OracleTable {
        columns: Vec::new(),
        rows: BTreeMap::new(),
    };
    let (a, b) = (old.unwrap_or(&empty), new.unwrap_or(&empty));
    let (mut added, mut removed, mut changed) = (Vec::new(), Vec::new(), Vec::new());
    let cell = |t: &OracleTable, row: &[String], column: &str| -> String {
        t.columns
            .iter()
            .position(|c| c == column)
            .map(|i| row[i].clone())
            .unwrap_or_default()
    };
    let columns: BTreeSet<&String> = a.columns.iter().chain(&b.columns).collect();
    for (key, rows_a) in &a.rows {
        let rows_b = b.rows.get(key).map_or(&[][..], Vec::as_slice);
        for (i, row_a) in rows_a.iter().enumerate() {
            match rows_b.get(i) {
                None => removed.push(key.clone()),
                Some(row_b) => {
                    if columns
                        .iter()
                        .any(|c| cell(a, row_a, c) != cell(b, row_b, c))
                    {
                        changed.push(key.clone());
                    }
                }
            }
        }
    }
    for (key, rows_b) in &b.rows {
        let paired = a.rows.get(key).map_or(0, Vec::len);
        added.extend(std::iter::repeat_n(
            key.clone(),
            rows_b.len().saturating_sub(paired),
        ));
    }
    added.sort();
    removed.sort();
    changed.sort();
    (added, removed, changed)
}

fn keys(v: &Value) -> Vec<Vec<String>> {
    let mut out: Vec<Vec<String>> = v
        .as_array()
        .unwrap()
        .iter()
        .map(|k| {
            k.as_array()
                .unwrap()
                .iter()
                .map(|s| s.as_str().unwrap().to_owned())
                .collect()
        })
        .collect();
    out.sort();
    out
}

#[test]
fn table_differences_of_every_release_pair_agree_with_the_oracle() {
    let Some(corpus) = corpus() else { return };
    let schema_path = Path::new(env!("CARGO_MANIFEST_DIR")).join("schemas/diff.schema.json");
    let schema: Value =
        serde_json::from_str(&std::fs::read_to_string(schema_path).unwrap()).unwrap();
    let validator = jsonschema::draft202012::new(&schema).unwrap();
    let mut problems = Vec::new();
    let (mut compared_rows, mut differing_rows) = (0, 0);
    for (old, new) in PAIRS {
        let (a, b) = (corpus.join("msi").join(old), corpus.join("msi").join(new));
        let run = common::run([
            "diff".as_ref(),
            a.as_os_str(),
            b.as_os_str(),
            "--format".as_ref(),
            "json".as_ref(),
        ]);
        assert_eq!(
            run.status,
            ExitStatus::Success,
            "{old} vs {new}: {}",
            run.err
        );
        let diff: Value = serde_json::from_str(&run.out).unwrap();
        for e in validator.iter_errors(&diff) {
            problems.push(format!(
                "{old} vs {new}: schema: {e} at {}",
                e.instance_path()
            ));
        }
        let oracle_old = read_oracle(&corpus.join("oracle").join(old));
        let oracle_new = read_oracle(&corpus.join("oracle").join(new));
        let ours: BTreeMap<&str, &Value> = diff["tables"]
            .as_array()
            .unwrap()
            .iter()
            .map(|t| (t["name"].as_str().unwrap(), t))
            .collect();
        let names: BTreeSet<&String> = oracle_old.keys().chain(oracle_new.keys()).collect();
        for name in &names {
            let (a, b) = (oracle_old.get(*name), oracle_new.get(*name));
            compared_rows += a.map_or(0, |t| t.rows.len()) + b.map_or(0, |t| t.rows.len());
            let Some(table) = ours.get(name.as_str()) else {
                problems.push(format!(
                    "{old} vs {new}: msica does not report table {name}"
                ));
                continue;
            };
            let want_status = match (a, b) {
                (None, _) => "added",
                (_, None) => "removed",
                _ => "",
            };
            if !want_status.is_empty() && table["status"] != want_status {
                problems.push(format!(
                    "{old} vs {new}: table {name} is {}, the oracle says {want_status}",
                    table["status"]
                ));
            }
            let (added, removed, changed) = expected(a, b);
            differing_rows += added.len() + removed.len() + changed.len();
            let changed_ours = {
                let mut k: Vec<Vec<String>> = table["changed"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|c| keys(&Value::Array(vec![c["key"].clone()])).remove(0))
                    .collect();
                k.sort();
                k
            };
            for (what, want, got) in [
                ("added", added, keys(&table["added"])),
                ("removed", removed, keys(&table["removed"])),
                ("changed", changed, changed_ours),
            ] {
                if want != got {
                    problems.push(format!(
                        "{old} vs {new}: table {name}, {what} rows: oracle {want:?}, msica {got:?}"
                    ));
                }
            }
            let unchanged = table["status"] == "unchanged";
            let same = a.is_some() && b.is_some() && {
                let (x, y, z) = expected(a, b);
                x.is_empty() && y.is_empty() && z.is_empty()
            };
            if unchanged != same && a.map(|t| &t.columns) == b.map(|t| &t.columns) {
                problems.push(format!(
                    "{old} vs {new}: table {name} status {}",
                    table["status"]
                ));
            }
        }
        problems.extend(check_actions(old, new, &diff, &oracle_old, &oracle_new));
        for name in ours.keys() {
            if !name.starts_with('_') && !names.contains(&name.to_string()) {
                problems.push(format!(
                    "{old} vs {new}: msica reports table {name}, the oracle has none"
                ));
            }
        }
    }
    println!(
        "diff corpus: {} release pairs, {compared_rows} oracle rows compared, \
         {differing_rows} added, removed or changed; {} problems",
        PAIRS.len(),
        problems.len()
    );
    assert!(differing_rows > 0, "the release pairs differ");
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

/// The custom-action section agrees with the oracle too: the actions whose
/// CustomAction row was added, removed or changed are the ones reported
/// added, removed, or changed in Type, Source or Target; and every custom
/// action whose row in a sequence table was added, removed or changed has
/// a scheduling entry for that table.
fn check_actions(
    old: &str,
    new: &str,
    diff: &Value,
    oracle_old: &BTreeMap<String, OracleTable>,
    oracle_new: &BTreeMap<String, OracleTable>,
) -> Vec<String> {
    let mut problems = Vec::new();
    let actions = diff["actions"].as_array().unwrap();
    let reported = |kind: &str| -> Vec<String> {
        let mut names: Vec<String> = actions
            .iter()
            .filter(|a| a["change"] == kind)
            .filter(|a| {
                kind != "changed"
                    || a["old_type"] != a["new_type"]
                    || a.get("source").is_some()
                    || a.get("target").is_some()
            })
            .map(|a| a["name"].as_str().unwrap().to_owned())
            .collect();
        names.sort();
        names
    };
    let (added, removed, changed) = expected(
        oracle_old.get("CustomAction"),
        oracle_new.get("CustomAction"),
    );
    let first = |keys: Vec<Vec<String>>| -> Vec<String> {
        keys.into_iter().map(|k| k[0].clone()).collect()
    };
    for (kind, want) in [
        ("added", first(added)),
        ("removed", first(removed)),
        ("changed", first(changed)),
    ] {
        let got = reported(kind);
        if want != got {
            problems.push(format!(
                "{old} vs {new}: custom actions {kind}: oracle {want:?}, msica {got:?}"
            ));
        }
    }
    let is_custom = |name: &str| {
        [oracle_old, oracle_new].iter().any(|o| {
            o.get("CustomAction")
                .is_some_and(|t| t.rows.contains_key(&vec![name.to_owned()]))
        })
    };
    for (table, _) in oracle_old.iter().chain(oracle_new.iter()) {
        if !table.ends_with("Sequence") {
            continue;
        }
        let (a, b) = (oracle_old.get(table), oracle_new.get(table));
        let (x, y, z) = expected(a, b);
        for key in x.into_iter().chain(y).chain(z) {
            let name = &key[0];
            if !is_custom(name) {
                continue;
            }
            let scheduled = actions.iter().any(|act| {
                act["name"] == name.as_str()
                    && act["scheduling"]
                        .as_array()
                        .is_some_and(|s| s.iter().any(|s| s["table"] == table.as_str()))
            });
            if !scheduled {
                problems.push(format!(
                    "{old} vs {new}: {table} row of custom action {name} differs, msica reports no scheduling change"
                ));
            }
        }
    }
    problems
}
