//! The tables list: every table with its row count and what transforms did to it.

use crate::db::transform::Op;
use crate::db::{Database, Transform};

/// One table of a database.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TableEntry {
    pub name: String,
    /// `None` when the rows cannot be read, or the table was dropped.
    pub rows: Option<usize>,
    /// What transforms did to it: `added by X`, `+1 ~2 -0`, `dropped by X`;
    /// empty when nothing (or no transform was applied).
    pub change: String,
}

impl TableEntry {
    /// The row count as text: `-` for a dropped table.
    pub fn rows_text(&self) -> String {
        match self.rows {
            Some(n) => n.to_string(),
            None if self.change.starts_with("dropped") => "-".to_string(),
            None => "unreadable".to_string(),
        }
    }
}

/// The tables of a database (and those transforms dropped), by name.
pub fn table_list(db: &Database) -> Vec<TableEntry> {
    let transformed = !db.transforms.is_empty();
    db.tables()
        .map(|t| {
            let change = if !transformed {
                String::new()
            } else if let Some(by) = t.added_by {
                format!("added by {}", db.transform_name(by))
            } else {
                // Only tables a transform touched have their rows read already.
                let data = t.data_if_read();
                let added = data.map_or(0, |d| {
                    d.rows
                        .iter()
                        .filter(|r| r.origin.added_by.is_some())
                        .count()
                });
                let changed = data.map_or(0, |d| {
                    d.rows
                        .iter()
                        .filter(|r| r.origin.added_by.is_none() && r.origin.changed_by.is_some())
                        .count()
                });
                let deleted = data.map_or(0, |d| d.deleted.len());
                if added + changed + deleted == 0 {
                    String::new()
                } else {
                    format!("+{added} ~{changed} -{deleted}")
                }
            };
            TableEntry {
                name: t.name.clone(),
                rows: db.row_count(t),
                change,
            }
        })
        .chain(db.dropped.iter().map(|(t, by)| TableEntry {
            name: t.name.clone(),
            rows: None,
            change: format!("dropped by {}", db.transform_name(*by)),
        }))
        .collect()
}

/// One table a transform on its own changes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TransformTableEntry {
    pub name: String,
    /// Inserted, updated and deleted records; `None` when the records cannot
    /// be read without the database (the columns are unknown).
    pub counts: Option<[usize; 3]>,
}

impl TransformTableEntry {
    pub fn describe(&self) -> String {
        match self.counts {
            Some([i, u, d]) => format!("+{i} ~{u} -{d}"),
            None => "changed (its columns are unknown without the database)".into(),
        }
    }
}

/// The tables a transform changes, with its records counted by kind.
pub fn transform_table_list(t: &mut Transform) -> Vec<TransformTableEntry> {
    let names: Vec<String> = t.tables.clone();
    names
        .into_iter()
        .map(|name| {
            let records = t.table_records(&name);
            let counts = records.problem.is_none().then(|| {
                let count =
                    |f: fn(&Op) -> bool| records.records.iter().filter(|r| f(&r.op)).count();
                [
                    count(|op| *op == Op::Insert),
                    count(|op| matches!(op, Op::Update(_))),
                    count(|op| *op == Op::Delete),
                ]
            });
            TransformTableEntry { name, counts }
        })
        .collect()
}
