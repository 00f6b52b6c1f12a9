//! A sequence table as shown: rows in run order, what each names, the script window.

use serde::Serialize;

use crate::db::Database;
use crate::error::LoadError;
use crate::model::load::{self, Cell};
use crate::model::{ActionType, Package, PackageKind, Sequence, SequenceKind, SequenceRow};

// sequence

/// What a sequence row names.
pub fn row_kind(pkg: &Package, seq: &Sequence, row: &SequenceRow) -> String {
    if crate::model::standard::is_standard_action(&row.action) {
        "standard".into()
    } else if let Some(ca) = pkg.custom_action(&row.action) {
        format!(
            "custom: {}, {}",
            ca.action_type.kind_short(),
            ca.action_type.execution_short()
        )
    } else if pkg.dialogs.contains(&row.action) {
        if seq.kind.is_ui() {
            "dialog".into()
        } else {
            "dialog (not allowed here)".into()
        }
    } else {
        "unknown".into()
    }
}

#[derive(Serialize)]
pub struct SequenceRowView {
    pub action: String,
    pub sequence: Option<i32>,
    pub position: String,
    pub order: Option<usize>,
    pub kind: String,
    pub condition: Option<String>,
    /// Where the row stands in the script window: `begin`, `inside`, `end` or empty.
    pub script: &'static str,
    /// The custom action the row runs, for colouring by kind.
    #[serde(skip)]
    pub custom: Option<ActionType>,
    /// The row's position among the table's rows as stored.
    #[serde(skip)]
    pub stored_row: Option<usize>,
}

/// A sequence table ready to show.
pub struct SequenceView {
    pub table: String,
    pub rows: Vec<SequenceRowView>,
    pub script_window: bool,
    /// What a reader should know before the rows (no script window ...).
    pub notes: Vec<String>,
}

/// The sequence tables of a package in the order they are listed, with the
/// `_ICESequence` of a validation database last.
pub fn sequence_tables(pkg: &Package) -> Vec<String> {
    let mut names: Vec<String> = pkg
        .sequences
        .iter()
        .map(|s| s.kind.table_name().to_string())
        .collect();
    if pkg.tables.iter().any(|t| t == ICE_SEQUENCE) {
        names.push(ICE_SEQUENCE.to_string());
    }
    names
}

/// The named sequence table, or the one a packager looks at first (the
/// execute sequence, its Module* form in a merge module); `None` when the
/// database has no sequence table.
pub fn sequence_view(
    db: &Database,
    pkg: &Package,
    table: Option<&str>,
) -> Result<Option<SequenceView>, LoadError> {
    let has_ice = pkg.tables.iter().any(|t| t == ICE_SEQUENCE);
    Ok(Some(match table {
        Some(name) if name.eq_ignore_ascii_case(ICE_SEQUENCE) && has_ice => ice_sequence(db, pkg)?,
        Some(name) => {
            let kind = SequenceKind::from_table_name(name)
                .filter(|k| pkg.sequence(*k).is_some())
                .ok_or_else(|| LoadError::NoSuchTable {
                    path: db.path.clone(),
                    table: name.to_owned(),
                })?;
            standard_sequence(pkg, kind)
        }
        None => {
            let preferred = if pkg.kind == PackageKind::MergeModule {
                SequenceKind::ModuleInstallExecuteSequence
            } else {
                SequenceKind::InstallExecuteSequence
            };
            // A merge module may carry an empty InstallExecuteSequence
            // beside the Module* table it really uses.
            let found = [preferred]
                .into_iter()
                .chain(pkg.sequences.iter().map(|s| s.kind))
                .find(|k| pkg.sequence(*k).is_some_and(|s| !s.rows.is_empty()))
                .or_else(|| pkg.sequences.first().map(|s| s.kind));
            match found {
                Some(kind) => standard_sequence(pkg, kind),
                None if has_ice => ice_sequence(db, pkg)?,
                None => return Ok(None),
            }
        }
    }))
}

/// The `_ICESequence` table of an ICE validation database (.cub), whose
/// ICE custom actions run in its order.
const ICE_SEQUENCE: &str = "_ICESequence";

fn standard_sequence(pkg: &Package, kind: SequenceKind) -> SequenceView {
    let seq = pkg
        .sequence(kind)
        .expect("the caller checked the table exists");
    let window = seq.script_window();
    let rows = seq
        .rows
        .iter()
        .map(|row| SequenceRowView {
            action: row.action.clone(),
            sequence: row.sequence,
            position: row.position_label(),
            order: row.order,
            kind: row_kind(pkg, seq, row),
            condition: row.condition.clone().filter(|c| !c.trim().is_empty()),
            script: match (window, row.order) {
                (Some((start, _)), Some(o)) if o == start => "begin",
                (Some((_, end)), Some(o)) if o == end => "end",
                (Some((start, end)), Some(o)) if start < o && o < end => "inside",
                _ => "",
            },
            custom: pkg.custom_action(&row.action).map(|ca| ca.action_type),
            stored_row: Some(row.row.index),
        })
        .collect();
    let mut notes = Vec::new();
    if kind.is_execute() && window.is_none() && !seq.rows.is_empty() {
        notes.push(if kind.is_module() {
            "no script window in this module table: once merged, the InstallInitialize..InstallFinalize \
             window of the product's sequence applies"
                .to_string()
        } else {
            "no script window: InstallInitialize and InstallFinalize are not both scheduled".to_string()
        });
    }
    SequenceView {
        table: kind.table_name().to_string(),
        rows,
        script_window: window.is_some(),
        notes,
    }
}

/// The `_ICESequence` of an ICE validation database, in sequence order.
fn ice_sequence(db: &Database, pkg: &Package) -> Result<SequenceView, LoadError> {
    let raw = load::raw_table(db, ICE_SEQUENCE)?;
    let col = |name: &str| raw.columns.iter().position(|c| c.name == name);
    let (action, condition, number) = (col("Action"), col("Condition"), col("Sequence"));
    let text = |row: &[Cell], i: Option<usize>| -> Option<String> {
        i.and_then(|i| row.get(i))
            .map(Cell::to_text)
            .filter(|t| !t.trim().is_empty())
    };
    let mut rows: Vec<SequenceRowView> = raw
        .rows
        .iter()
        .enumerate()
        .map(|(stored, row)| {
            let name = text(row, action).unwrap_or_default();
            let sequence = number.and_then(|i| match row.get(i) {
                Some(Cell::Int(n)) => Some(*n),
                _ => None,
            });
            let custom = pkg.custom_action(&name).map(|ca| ca.action_type);
            let kind = match pkg.custom_action(&name) {
                Some(ca) => format!(
                    "custom: {}, {}",
                    ca.action_type.kind_short(),
                    ca.action_type.execution_short()
                ),
                None => "unknown".into(),
            };
            SequenceRowView {
                position: sequence.map_or_else(|| "-".into(), |n| n.to_string()),
                action: name,
                sequence,
                order: None,
                kind,
                condition: text(row, condition),
                script: "",
                custom,
                stored_row: Some(stored),
            }
        })
        .collect();
    rows.sort_by(|a, b| {
        (a.sequence.is_none(), a.sequence, &a.action).cmp(&(
            b.sequence.is_none(),
            b.sequence,
            &b.action,
        ))
    });
    for (i, row) in rows.iter_mut().enumerate() {
        row.order = Some(i);
    }
    Ok(SequenceView {
        table: ICE_SEQUENCE.to_string(),
        rows,
        script_window: false,
        notes: vec!["an ICE validation database: its ICE custom actions run in this order during validation".into()],
    })
}
