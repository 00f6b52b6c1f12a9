//! Findings: what a rule reports, as plain data that every output format reads.

use serde::{Deserialize, Serialize};

use crate::model::{ConditionSite, ControlEvent, CustomAction, RowInfo, Sequence, SequenceRow};
use crate::source::SourceLine;

/// How serious a finding is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Info,
    Warning,
    Error,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Info => "info",
            Self::Warning => "warning",
            Self::Error => "error",
        }
    }
}

/// A row of a table, with the cell a finding points at.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Location {
    pub table: String,
    /// The row's primary key, joined with `/` when it has several columns.
    pub key: String,
    /// The column of the offending cell.
    pub column: Option<String>,
    /// The row's cells (column, value), for display.
    #[serde(skip)]
    pub cells: Vec<(String, String)>,
    /// The offending part of the cell, when the finding is about text inside
    /// it (a condition's bad token); `None` points at the whole cell.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub span: Option<CellSpan>,
    /// The row's position among the table's rows as stored (0-based).
    #[serde(skip)]
    pub row: Option<usize>,
    /// Which transform added or changed the row (`added by site.mst`);
    /// `None` for a row of the base database.
    #[serde(skip)]
    pub origin: Option<String>,
    /// The row cannot be fully read (a lost string): findings on it are
    /// not reported, the damage is.
    #[serde(skip)]
    pub damaged: bool,
    /// Where the row was authored in the WiX sources, when `--source` or a
    /// `.wixpdb` told (set by the command layer, never by a rule).
    #[serde(skip)]
    pub authored_at: Option<SourceLine>,
}

/// A part of a cell value: byte offset and length into the value, with a
/// label saying what is wrong there.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CellSpan {
    pub offset: usize,
    pub len: usize,
    pub label: String,
}

impl Location {
    pub fn custom_action(ca: &CustomAction, column: &str) -> Self {
        let mut cells = vec![
            ("Action".into(), ca.name.clone()),
            ("Type".into(), ca.action_type.raw.to_string()),
            ("Source".into(), ca.source.clone().unwrap_or_default()),
            ("Target".into(), ca.target.clone().unwrap_or_default()),
        ];
        if let Some(extended) = ca.action_type.extended {
            cells.push(("ExtendedType".into(), extended.to_string()));
        }
        Self {
            table: "CustomAction".into(),
            key: ca.name.clone(),
            column: Some(column.into()),
            cells,
            span: None,
            ..Self::at(&ca.row)
        }
    }

    /// The row identity of a model row: position, origin and damage.
    fn at(row: &RowInfo) -> Self {
        Self {
            row: Some(row.index),
            origin: row.origin.describe(),
            damaged: row.damaged,
            ..Self::table("")
        }
    }

    pub fn sequence_row(seq: &Sequence, row: &SequenceRow, column: &str) -> Self {
        let mut cells = vec![
            ("Action".into(), row.action.clone()),
            (
                "Condition".into(),
                row.condition.clone().unwrap_or_default(),
            ),
            (
                "Sequence".into(),
                row.sequence.map(|s| s.to_string()).unwrap_or_default(),
            ),
        ];
        if seq.kind.is_module() {
            cells.push((
                "BaseAction".into(),
                row.base_action.clone().unwrap_or_default(),
            ));
            cells.push((
                "After".into(),
                row.after
                    .map(|a| (a as i32).to_string())
                    .unwrap_or_default(),
            ));
        }
        Self {
            table: seq.kind.table_name().into(),
            key: row.action.clone(),
            column: Some(column.into()),
            cells,
            span: None,
            ..Self::at(&row.row)
        }
    }

    pub fn control_event(event: &ControlEvent, column: &str) -> Self {
        Self {
            table: "ControlEvent".into(),
            key: format!(
                "{}/{}/{}/{}",
                event.dialog, event.control, event.event, event.argument
            ),
            column: Some(column.into()),
            cells: vec![
                ("Dialog_".into(), event.dialog.clone()),
                ("Control_".into(), event.control.clone()),
                ("Event".into(), event.event.clone()),
                ("Argument".into(), event.argument.clone()),
                (
                    "Condition".into(),
                    event.condition.clone().unwrap_or_default(),
                ),
            ],
            span: None,
            ..Self::at(&event.row)
        }
    }

    /// A LaunchCondition, ControlCondition or Condition row, pointing at its condition.
    pub fn condition_site(site: &ConditionSite) -> Self {
        Self {
            table: site.table.clone(),
            key: site.key.clone(),
            column: Some(site.column.clone()),
            cells: site.cells.clone(),
            span: None,
            ..Self::at(&site.row)
        }
    }

    /// Narrows the location to part of the cell (byte offsets into its value).
    pub fn with_span(mut self, offset: usize, len: usize, label: impl Into<String>) -> Self {
        self.span = Some(CellSpan {
            offset,
            len,
            label: label.into(),
        });
        self
    }

    /// A whole table, for findings about a table rather than a row.
    pub fn table(name: &str) -> Self {
        Self {
            table: name.into(),
            key: String::new(),
            column: None,
            cells: Vec::new(),
            span: None,
            row: None,
            origin: None,
            damaged: false,
            authored_at: None,
        }
    }
}

/// One problem found by one rule.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Finding {
    pub code: &'static str,
    pub rule: &'static str,
    pub severity: Severity,
    /// What is wrong: lower-case, no trailing period, names the action.
    pub message: String,
    /// What to do about it.
    pub help: String,
    pub action: Option<String>,
    pub location: Location,
    /// The sequence number of the row concerned, when there is one.
    pub sequence: Option<i32>,
    pub condition: Option<String>,
    /// Other actions involved (a sibling, a setter).
    pub related: Vec<String>,
    /// The decoded Type of the action concerned.
    #[serde(rename = "type")]
    pub action_type: Option<i32>,
    /// Facts behind the finding (decoded Type, how a pair was found).
    pub notes: Vec<String>,
}

#[cfg(test)]
impl Finding {
    /// An MCA104 warning about the action `key` on its CustomAction row,
    /// for tests of what reports, baselines and suppressions do with a
    /// finding.
    pub(crate) fn missing_rollback(key: &str) -> Self {
        let mut location = Location::table("CustomAction");
        location.key = key.into();
        Self {
            code: "MCA104",
            rule: "missing-rollback",
            severity: Severity::Warning,
            message: format!("deferred action `{key}` has no rollback action to undo it"),
            help: String::new(),
            action: Some(key.into()),
            location,
            sequence: None,
            condition: None,
            related: Vec::new(),
            action_type: None,
            notes: Vec::new(),
        }
    }
}
