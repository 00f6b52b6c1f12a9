//! Tables by primary key, and streams by size and hash.
//!
//! Cells are compared as the text `msiinfo export` prints: integers in
//! decimal, null and empty strings alike, a binary cell by the name of its
//! stream. What a binary cell holds is compared in the streams, which are
//! never dumped: a stream's size is read from the directory, and the data
//! is read and hashed only when the two sizes are equal.

use std::collections::{BTreeMap, BTreeSet};

use serde::Serialize;
use sha2::{Digest, Sha256};

use crate::db::{Database, Row, Table};

/// What happened to a table.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum TableStatus {
    Added,
    Removed,
    Changed,
    Unchanged,
    /// One side's rows cannot be read: nothing is said about them.
    Unreadable,
}

/// One table's differences. A key is the list of the primary key values as
/// text, as `msiinfo export` prints them.
#[derive(Debug, Clone, Serialize)]
pub struct TableDiff {
    pub name: String,
    pub status: TableStatus,
    /// Rows only the new side has (every row of an added table).
    pub added: Vec<Vec<String>>,
    /// Rows only the old side has (every row of a removed table).
    pub removed: Vec<Vec<String>>,
    /// Rows both sides have whose cells differ.
    pub changed: Vec<RowChange>,
    /// Columns only the new side's table has.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub columns_added: Vec<String>,
    /// Columns only the old side's table has.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub columns_removed: Vec<String>,
    /// Why the rows cannot be compared (status `unreadable`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub problem: Option<String>,
}

/// A row both sides have, with the cells that differ.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RowChange {
    pub key: Vec<String>,
    pub cells: Vec<CellChange>,
}

/// One cell that differs. A column only one side has reads as null on the
/// other.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CellChange {
    pub column: String,
    pub old: Option<String>,
    pub new: Option<String>,
}

/// A stream that was added, removed or changed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct StreamChange {
    pub name: String,
    /// `added`, `removed` or `changed`.
    pub status: &'static str,
    pub old_size: Option<u64>,
    pub new_size: Option<u64>,
    /// SHA-256 of each side's data, when the sizes are equal (only then is
    /// the data read).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub old_sha256: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub new_sha256: Option<String>,
    /// Why the data could not be read.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub problem: Option<String>,
}

impl TableDiff {
    fn new(name: &str, status: TableStatus) -> Self {
        Self {
            name: name.to_owned(),
            status,
            added: Vec::new(),
            removed: Vec::new(),
            changed: Vec::new(),
            columns_added: Vec::new(),
            columns_removed: Vec::new(),
            problem: None,
        }
    }
}

/// Every table of either side, by name.
pub fn compare_tables(old: &Database, new: &Database) -> Vec<TableDiff> {
    let names: BTreeSet<&str> = old.table_names().chain(new.table_names()).collect();
    names
        .into_iter()
        .map(|name| match (old.table(name), new.table(name)) {
            (Some(a), Some(b)) => compare_table(old, a, new, b),
            (None, Some(b)) => whole(new, b, TableStatus::Added),
            (Some(a), None) => whole(old, a, TableStatus::Removed),
            (None, None) => unreachable!("the name comes from one of the sides"),
        })
        .collect()
}

/// A table only one side has: all its rows are added or removed.
fn whole(db: &Database, table: &Table, status: TableStatus) -> TableDiff {
    let mut diff = TableDiff::new(&table.name, status);
    let data = db.data(table);
    if let Some(problem) = &data.problem {
        diff.problem = Some(format!("{}: {problem}", db.path.display()));
        return diff;
    }
    let keys = key_columns(table);
    let mut rows: Vec<Vec<String>> = data
        .rows
        .iter()
        .map(|row| cells_text(db, table, row, &keys))
        .collect();
    rows.sort();
    match status {
        TableStatus::Added => diff.added = rows,
        _ => diff.removed = rows,
    }
    diff
}

/// The key columns of a table; every column when none is marked (a table
/// without a key is not valid, but its rows still need telling apart).
fn key_columns(table: &Table) -> Vec<usize> {
    let keys: Vec<usize> = table.key_columns().collect();
    if keys.is_empty() {
        (0..table.columns.len()).collect()
    } else {
        keys
    }
}

fn cells_text(db: &Database, table: &Table, row: &Row, columns: &[usize]) -> Vec<String> {
    columns
        .iter()
        .map(|&i| db.text(table, row, i).into_owned())
        .collect()
}

fn compare_table(old: &Database, a: &Table, new: &Database, b: &Table) -> TableDiff {
    let mut diff = TableDiff::new(&a.name, TableStatus::Unchanged);
    let (data_a, data_b) = (old.data(a), new.data(b));
    let problem = [(old, &data_a.problem), (new, &data_b.problem)]
        .into_iter()
        .find_map(|(db, p)| Some(format!("{}: {}", db.path.display(), p.as_ref()?)));
    if let Some(problem) = problem {
        diff.status = TableStatus::Unreadable;
        diff.problem = Some(problem);
        return diff;
    }
    // Columns are matched by name: a transform or a new schema may add one.
    diff.columns_added = b
        .columns
        .iter()
        .filter(|c| a.column(&c.name).is_none())
        .map(|c| c.name.clone())
        .collect();
    diff.columns_removed = a
        .columns
        .iter()
        .filter(|c| b.column(&c.name).is_none())
        .map(|c| c.name.clone())
        .collect();
    let keys_a = key_columns(a);
    // The new side's key columns, found by the old side's key names; a key
    // column the new side lacks makes every row differ in key.
    let keys_b: Option<Vec<usize>> = keys_a
        .iter()
        .map(|&i| b.column(&a.columns[i].name))
        .collect();
    let mut old_rows: BTreeMap<Vec<String>, Vec<&Row>> = BTreeMap::new();
    for row in &data_a.rows {
        old_rows
            .entry(cells_text(old, a, row, &keys_a))
            .or_default()
            .push(row);
    }
    let keys_b = keys_b.unwrap_or_else(|| key_columns(b));
    let mut new_rows: BTreeMap<Vec<String>, Vec<&Row>> = BTreeMap::new();
    for row in &data_b.rows {
        new_rows
            .entry(cells_text(new, b, row, &keys_b))
            .or_default()
            .push(row);
    }
    // (old column, new column, name) for every column either side has.
    let mut columns: Vec<(Option<usize>, Option<usize>, &str)> = a
        .columns
        .iter()
        .enumerate()
        .map(|(i, c)| (Some(i), b.column(&c.name), c.name.as_str()))
        .collect();
    columns.extend(
        b.columns
            .iter()
            .enumerate()
            .filter(|(_, c)| a.column(&c.name).is_none())
            .map(|(i, c)| (None, Some(i), c.name.as_str())),
    );
    let text = |db: &Database, t: &Table, row: &Row, i: Option<usize>| -> Option<String> {
        let text = db.text(t, row, i?);
        (!text.is_empty()).then(|| text.into_owned())
    };
    for (key, rows_a) in &old_rows {
        let rows_b = new_rows.get(key).map_or(&[][..], Vec::as_slice);
        // Rows sharing a key (a damaged table) are paired in stored order.
        for (i, row_a) in rows_a.iter().enumerate() {
            let Some(row_b) = rows_b.get(i) else {
                diff.removed.push(key.clone());
                continue;
            };
            let cells: Vec<CellChange> = columns
                .iter()
                .filter_map(|&(ia, ib, name)| {
                    let (va, vb) = (text(old, a, row_a, ia), text(new, b, row_b, ib));
                    (va != vb).then(|| CellChange {
                        column: name.to_owned(),
                        old: va,
                        new: vb,
                    })
                })
                .collect();
            if !cells.is_empty() {
                diff.changed.push(RowChange {
                    key: key.clone(),
                    cells,
                });
            }
        }
    }
    for (key, rows_b) in &new_rows {
        let paired = old_rows.get(key).map_or(0, Vec::len);
        for _ in paired..rows_b.len() {
            diff.added.push(key.clone());
        }
    }
    let differs = !diff.added.is_empty()
        || !diff.removed.is_empty()
        || !diff.changed.is_empty()
        || !diff.columns_added.is_empty()
        || !diff.columns_removed.is_empty();
    if differs {
        diff.status = TableStatus::Changed;
    }
    diff
}

/// Streams that are not tables, by name: sizes from the directories, data
/// read and hashed only when the sizes are equal.
pub fn compare_streams(old: &Database, new: &Database) -> Vec<StreamChange> {
    let a: BTreeMap<String, u64> = old.streams().into_iter().collect();
    let b: BTreeMap<String, u64> = new.streams().into_iter().collect();
    let names: BTreeSet<&String> = a.keys().chain(b.keys()).collect();
    let mut out = Vec::new();
    for name in names {
        let change = |status| StreamChange {
            name: name.clone(),
            status,
            old_size: a.get(name).copied(),
            new_size: b.get(name).copied(),
            old_sha256: None,
            new_sha256: None,
            problem: None,
        };
        match (a.get(name), b.get(name)) {
            (Some(_), None) => out.push(change("removed")),
            (None, Some(_)) => out.push(change("added")),
            (Some(x), Some(y)) if x != y => out.push(change("changed")),
            (Some(_), Some(_)) => match (hash(old, name), hash(new, name)) {
                (Ok(x), Ok(y)) if x == y => {}
                (Ok(x), Ok(y)) => out.push(StreamChange {
                    old_sha256: Some(x),
                    new_sha256: Some(y),
                    ..change("changed")
                }),
                (Err(e), _) | (_, Err(e)) => out.push(StreamChange {
                    problem: Some(e),
                    ..change("changed")
                }),
            },
            (None, None) => unreachable!("the name comes from one of the sides"),
        }
    }
    out
}

fn hash(db: &Database, name: &str) -> Result<String, String> {
    let bytes = db
        .read_stream(name)
        .map_err(|e| format!("{}: stream {name} cannot be read: {e}", db.path.display()))?;
    let digest = Sha256::digest(&bytes);
    Ok(digest.iter().map(|b| format!("{b:02x}")).collect())
}
