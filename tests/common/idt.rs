//! IDT text as `msiinfo export` writes it: parsing and comparing tables.

use std::collections::BTreeMap;

/// One IDT export split into its three header lines and its row records.
#[derive(Debug)]
pub struct Idt {
    pub names: String,
    pub types: String,
    pub keys: String,
    pub rows: Vec<String>,
}

/// Splits IDT text as `msiinfo export` writes it: records end with `\r\n`
/// (or `\n`), fields are separated by tabs, and cell text is written raw, so a
/// cell may itself contain line breaks. A record is complete once it has as
/// many fields as the header has columns; a following line without a tab
/// continues the last cell (a new record of a multi-column table has a tab).
pub fn parse_idt(text: &str) -> Result<Idt, String> {
    let mut lines = Vec::new();
    let mut rest = text;
    while !rest.is_empty() {
        let end = rest.find('\n').map_or(rest.len(), |i| i + 1);
        lines.push(&rest[..end]);
        rest = &rest[end..];
    }
    let trim = |l: &str| {
        l.strip_suffix('\n')
            .map(|l| l.strip_suffix('\r').unwrap_or(l))
            .unwrap_or(l)
            .to_string()
    };
    if lines.len() < 3 {
        return Err(format!("only {} header lines", lines.len()));
    }
    let names = trim(lines[0]);
    let types = trim(lines[1]);
    let keys = trim(lines[2]);
    let separators = names.matches('\t').count();
    let mut rows: Vec<String> = Vec::new();
    let mut current: Option<String> = None;
    for line in &lines[3..] {
        match current.as_mut() {
            Some(record) if record.matches('\t').count() < separators => record.push_str(line),
            Some(record) if separators > 0 && !line.contains('\t') => record.push_str(line),
            _ => {
                if let Some(done) = current.take() {
                    rows.push(done);
                }
                current = Some(line.to_string());
            }
        }
    }
    rows.extend(current);
    // The record terminator is not part of the last cell.
    let rows = rows.into_iter().map(|r| trim(&r)).collect();
    Ok(Idt {
        names,
        types,
        keys,
        rows,
    })
}

pub fn multiset(rows: &[String]) -> BTreeMap<&str, isize> {
    let mut m = BTreeMap::new();
    for r in rows {
        *m.entry(r.as_str()).or_insert(0) += 1;
    }
    m
}

pub fn shorten(s: &str) -> String {
    let flat: String = s
        .chars()
        .map(|c| if c.is_control() && c != '\t' { '¶' } else { c })
        .collect();
    let flat = flat.replace('\t', " | ");
    if flat.chars().count() > 200 {
        format!("{}…", flat.chars().take(200).collect::<String>())
    } else {
        flat
    }
}

/// Compares one table; returns the differences found.
pub fn compare_table(file: &str, table: &str, oracle: &Idt, ours: &Idt) -> Vec<String> {
    let mut diffs = Vec::new();
    let here = |what: String| format!("{file} {table}: {what}");
    if oracle.names != ours.names {
        diffs.push(here(format!(
            "column names: oracle `{}`, msica `{}`",
            oracle.names, ours.names
        )));
    }
    if oracle.types != ours.types {
        diffs.push(here(format!(
            "column types: oracle `{}`, msica `{}`",
            oracle.types, ours.types
        )));
    }
    if oracle.keys != ours.keys {
        diffs.push(here(format!(
            "key line: oracle `{}`, msica `{}`",
            oracle.keys, ours.keys
        )));
    }
    let mut theirs = multiset(&oracle.rows);
    for (row, n) in multiset(&ours.rows) {
        *theirs.entry(row).or_insert(0) -= n;
    }
    for (row, n) in theirs {
        match n {
            0 => {}
            n if n > 0 => diffs.push(here(format!("row only in oracle (x{n}): {}", shorten(row)))),
            n => diffs.push(here(format!(
                "row only in msica (x{}): {}",
                -n,
                shorten(row)
            ))),
        }
    }
    diffs
}

/// `msiinfo export FILE TABLE`, when msiinfo is installed.
pub fn msiinfo_export(path: &std::path::Path, table: &str) -> Option<String> {
    let out = std::process::Command::new("msiinfo")
        .arg("export")
        .arg(path)
        .arg(table)
        .output()
        .ok()?;
    out.status
        .success()
        .then(|| String::from_utf8_lossy(&out.stdout).into_owned())
}

/// What comparing a database with a folder of Wine's IDT exports found.
#[derive(Debug, Default)]
pub struct OracleComparison {
    pub tables: usize,
    pub rows: usize,
    /// Rows Wine inserted for updates of missing rows (left out).
    pub wine_inserts: usize,
    pub diffs: Vec<String>,
}

/// Compares every table of `db` with the IDT files of `dir` (Wine's
/// export, `case` names it in differences): the same tables, columns and
/// rows as multisets, binary cells by key (Wine writes a stream cell as the
/// row's key, msica as `Table.Key`).
///
/// One behaviour of Wine's is not Windows Installer's and is undone
/// exactly: for an update record whose row is missing, Wine inserts the
/// record as a new row. `missing` lists the (table, `/`-joined key) of the
/// updates msica reported as missing; an oracle row msica lacks must be one.
pub fn compare_with_wine(
    case: &str,
    dir: &std::path::Path,
    db: &msica::db::Database,
    missing: &[(String, String)],
) -> OracleComparison {
    use msica::inspect::to_idt;
    use msica::model::load::{raw_table, Cell};
    let mut out = OracleComparison::default();
    let mut oracle_tables: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .filter_map(|e| {
            e.unwrap()
                .file_name()
                .to_string_lossy()
                .strip_suffix(".idt")
                .map(str::to_owned)
        })
        .collect();
    oracle_tables.sort();
    for listed in db.table_names().filter(|t| !t.starts_with('_')) {
        if !oracle_tables.iter().any(|t| t == listed) {
            out.diffs
                .push(format!("{case}: msica lists {listed}, Wine does not"));
        }
    }
    for table in &oracle_tables {
        let text = String::from_utf8(std::fs::read(dir.join(format!("{table}.idt"))).unwrap())
            .expect("the oracle is UTF-8");
        let mut oracle = parse_idt(&text).expect("oracle parses");
        let ours = match raw_table(db, table) {
            Ok(mut raw) => {
                let prefix = format!("{}.", raw.name);
                for row in &mut raw.rows {
                    for cell in row.iter_mut() {
                        if let Cell::Stream(name) = cell {
                            *name = name.strip_prefix(&prefix).unwrap_or(name).to_owned();
                        }
                    }
                }
                parse_idt(&to_idt(&raw)).expect("ours parses")
            }
            Err(e) => {
                out.diffs
                    .push(format!("{case} {table}: msica cannot read it: {e}"));
                continue;
            }
        };
        let key_columns = oracle.keys.split('\t').skip(1).count();
        oracle.rows.retain(|row| {
            let key = row
                .split('\t')
                .take(key_columns)
                .collect::<Vec<_>>()
                .join("/");
            let wine_only =
                missing.iter().any(|(t, k)| t == table && *k == key) && !ours.rows.contains(row);
            out.wine_inserts += usize::from(wine_only);
            !wine_only
        });
        out.tables += 1;
        out.rows += oracle.rows.len();
        out.diffs.extend(compare_table(case, table, &oracle, &ours));
    }
    out
}
