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
