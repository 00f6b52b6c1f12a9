//! A table's rows as shown: each row (deleted ones too) with what transforms
//! did to it, its cells read on demand, the rows its cells refer to; and the
//! whole table as IDT text.

use std::borrow::Cow;

use crate::db::{Database, Row, Table, Value};
use crate::model::action_type::{BaseKind, SourceKind};
use crate::model::load::{self, Cell, RawTable};

/// A row of a table: one that is there, or one a transform deleted.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum RowRef {
    Live(usize),
    Deleted(usize),
}

/// What transforms did to a row.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RowMark {
    Base,
    Added,
    /// Changed: bit i set for column i.
    Changed(u64),
    Deleted,
}

/// The rows of a table in stored order, then the rows transforms deleted.
pub fn refs(db: &Database, t: &Table) -> Vec<RowRef> {
    let data = db.data(t);
    (0..data.rows.len())
        .map(RowRef::Live)
        .chain((0..data.deleted.len()).map(RowRef::Deleted))
        .collect()
}

/// The stored row a reference names.
pub fn row<'a>(db: &'a Database, t: &'a Table, row: RowRef) -> Option<&'a Row> {
    let data = db.data(t);
    match row {
        RowRef::Live(i) => data.rows.get(i),
        RowRef::Deleted(i) => data.deleted.get(i),
    }
}

/// A cell as text; a lost string is marked, a binary cell names its stream.
pub fn cell<'a>(db: &'a Database, t: &'a Table, row: RowRef, column: usize) -> Cow<'a, str> {
    let Some(r) = self::row(db, t, row) else {
        return Cow::Borrowed("");
    };
    match r.values.get(column) {
        Some(Value::Unreadable(id)) => Cow::Owned(load::unreadable_marker(*id)),
        _ => db.text(t, r, column),
    }
}

/// What transforms did to a row, for marking it.
pub fn mark(db: &Database, t: &Table, row: RowRef) -> RowMark {
    let origin = self::row(db, t, row).map(|r| r.origin);
    match (row, origin) {
        (RowRef::Deleted(_), _) => RowMark::Deleted,
        (_, Some(o)) if o.added_by.is_some() => RowMark::Added,
        (_, Some(o)) => o
            .changed_by
            .map_or(RowMark::Base, |(_, m)| RowMark::Changed(m)),
        _ => RowMark::Base,
    }
}

/// What a transform did to a row, in words: `added by site.mst`,
/// `changed by site.mst: Condition`, `deleted by site.mst`.
pub fn origin_text(db: &Database, t: &Table, row: RowRef) -> Option<String> {
    let origin = self::row(db, t, row)?.origin;
    let name = |i: u8| db.transform_name(i).to_owned();
    match (row, origin.added_by, origin.changed_by) {
        (RowRef::Deleted(_), _, changed) => Some(format!(
            "deleted by {}",
            changed.map_or_else(|| "a transform".to_owned(), |(i, _)| name(i))
        )),
        (_, Some(i), _) => Some(format!("added by {}", name(i))),
        (_, None, Some((i, mask))) => {
            let columns: Vec<&str> = t
                .columns
                .iter()
                .enumerate()
                .filter(|(c, _)| mask & (1 << (*c).min(63)) != 0)
                .map(|(_, c)| c.name.as_str())
                .collect();
            Some(format!("changed by {}: {}", name(i), columns.join(", ")))
        }
        _ => None,
    }
}

/// The row a cell refers to: (table, row), when it names one that exists.
pub fn reference(db: &Database, t: &Table, row: RowRef, column: usize) -> Option<(String, RowRef)> {
    let table = t.name.as_str();
    let col = t.columns.get(column)?;
    let value = cell(db, t, row, column);
    if value.is_empty() {
        return None;
    }
    let cell_of = |name: &str| {
        t.column(name)
            .map(|c| cell(db, t, row, c).into_owned())
            .unwrap_or_default()
    };
    let targets: Vec<&str> = match (table, col.name.as_str()) {
        ("CustomAction", "Source") => {
            let raw = cell_of("Type").parse().unwrap_or(0);
            let ext = cell_of("ExtendedType").parse().ok();
            let action_type = crate::model::ActionType::new(raw, ext);
            match action_type.kind() {
                BaseKind::SetProperty => vec!["Property", "CustomAction"],
                BaseKind::SetDirectory => vec!["Directory"],
                _ => match action_type.source() {
                    SourceKind::Binary => vec!["Binary"],
                    SourceKind::File => vec!["File"],
                    SourceKind::Directory => vec!["Directory"],
                    SourceKind::Property => vec!["Property"],
                    _ => vec![],
                },
            }
        }
        (_, "Action" | "BaseAction") if is_sequence_table(table) => {
            vec!["CustomAction", "Dialog"]
        }
        ("ControlEvent", "Argument") => match cell_of("Event").as_str() {
            "DoAction" => vec!["CustomAction"],
            "NewDialog" | "SpawnDialog" | "SpawnWaitDialog" => vec!["Dialog"],
            _ => vec![],
        },
        (_, "Property") if table != "Property" => vec!["Property"],
        (_, name) => match name.split_once('_') {
            // `Component_`, `Feature_Parent`, `Directory_Parent`, `Dialog_` ...
            Some((prefix, _)) if !prefix.is_empty() && prefix != table => vec![prefix],
            _ => vec![],
        },
    };
    targets.into_iter().find_map(|target| {
        let row = find_row(db, db.table(target)?, &value)?;
        Some((target.to_owned(), row))
    })
}

/// The row whose first key column holds `key`.
pub fn find_row(db: &Database, t: &Table, key: &str) -> Option<RowRef> {
    let first = t.key_columns().next().unwrap_or(0);
    db.data(t)
        .rows
        .iter()
        .position(|r| db.text(t, r, first) == key)
        .map(RowRef::Live)
}

/// A table that schedules actions: a sequence table or `_ICESequence`.
pub fn is_sequence_table(name: &str) -> bool {
    crate::model::SequenceKind::from_table_name(name).is_some() || name == "_ICESequence"
}

/// The table in IDT form, byte for byte as `msiinfo export` writes it: a line
/// of column names, a line of column types, a line with the table name and its
/// key columns, then one line per row. Fields are separated by tabs and every
/// line ends with CR LF. Cell text is written as stored, like msiinfo does, so
/// a cell holding a line break spans several lines (the multi-line text of a
/// `ScrollableText` control, for example); `--format tsv` escapes instead.
pub fn to_idt(table: &RawTable) -> String {
    let mut out = String::new();
    let mut line = |fields: Vec<String>| {
        out += &fields.join("\t");
        out += "\r\n";
    };
    line(table.columns.iter().map(|c| c.name.clone()).collect());
    line(table.columns.iter().map(|c| c.idt_type.clone()).collect());
    let keys = table
        .columns
        .iter()
        .filter(|c| c.primary_key)
        .map(|c| c.name.clone());
    line(std::iter::once(table.name.clone()).chain(keys).collect());
    for row in &table.rows {
        line(row.iter().map(Cell::to_text).collect());
    }
    out
}
