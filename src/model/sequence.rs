//! Sequence tables: which actions run, in what order, under what condition.

use foldhash::{HashMap, HashMapExt};

use serde::Serialize;

/// The sequence tables msica knows. Merge modules carry `Module*` variants,
/// whose custom actions are placed by `BaseAction`/`After` instead of numbers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub enum SequenceKind {
    InstallUISequence,
    InstallExecuteSequence,
    AdminUISequence,
    AdminExecuteSequence,
    AdvtUISequence,
    AdvtExecuteSequence,
    ModuleInstallUISequence,
    ModuleInstallExecuteSequence,
    ModuleAdminUISequence,
    ModuleAdminExecuteSequence,
    ModuleAdvtUISequence,
    ModuleAdvtExecuteSequence,
}

impl SequenceKind {
    pub const ALL: [SequenceKind; 12] = [
        Self::InstallUISequence,
        Self::InstallExecuteSequence,
        Self::AdminUISequence,
        Self::AdminExecuteSequence,
        Self::AdvtUISequence,
        Self::AdvtExecuteSequence,
        Self::ModuleInstallUISequence,
        Self::ModuleInstallExecuteSequence,
        Self::ModuleAdminUISequence,
        Self::ModuleAdminExecuteSequence,
        Self::ModuleAdvtUISequence,
        Self::ModuleAdvtExecuteSequence,
    ];

    pub fn table_name(self) -> &'static str {
        match self {
            Self::InstallUISequence => "InstallUISequence",
            Self::InstallExecuteSequence => "InstallExecuteSequence",
            Self::AdminUISequence => "AdminUISequence",
            Self::AdminExecuteSequence => "AdminExecuteSequence",
            Self::AdvtUISequence => "AdvtUISequence",
            Self::AdvtExecuteSequence => "AdvtExecuteSequence",
            Self::ModuleInstallUISequence => "ModuleInstallUISequence",
            Self::ModuleInstallExecuteSequence => "ModuleInstallExecuteSequence",
            Self::ModuleAdminUISequence => "ModuleAdminUISequence",
            Self::ModuleAdminExecuteSequence => "ModuleAdminExecuteSequence",
            Self::ModuleAdvtUISequence => "ModuleAdvtUISequence",
            Self::ModuleAdvtExecuteSequence => "ModuleAdvtExecuteSequence",
        }
    }

    pub fn from_table_name(name: &str) -> Option<Self> {
        Self::ALL
            .into_iter()
            .find(|k| k.table_name().eq_ignore_ascii_case(name))
    }

    pub fn is_module(self) -> bool {
        self >= Self::ModuleInstallUISequence
    }

    /// The sequence this one corresponds to once merged (identity for packages).
    pub fn merged(self) -> Self {
        match self {
            Self::ModuleInstallUISequence => Self::InstallUISequence,
            Self::ModuleInstallExecuteSequence => Self::InstallExecuteSequence,
            Self::ModuleAdminUISequence => Self::AdminUISequence,
            Self::ModuleAdminExecuteSequence => Self::AdminExecuteSequence,
            Self::ModuleAdvtUISequence => Self::AdvtUISequence,
            Self::ModuleAdvtExecuteSequence => Self::AdvtExecuteSequence,
            other => other,
        }
    }

    /// A UI sequence: runs on the client, only at full or reduced UI, no script.
    pub fn is_ui(self) -> bool {
        matches!(
            self.merged(),
            Self::InstallUISequence | Self::AdminUISequence | Self::AdvtUISequence
        )
    }

    pub fn is_execute(self) -> bool {
        !self.is_ui()
    }

    pub fn is_advertise(self) -> bool {
        matches!(
            self.merged(),
            Self::AdvtUISequence | Self::AdvtExecuteSequence
        )
    }
}

/// One row of a sequence table.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SequenceRow {
    pub action: String,
    pub condition: Option<String>,
    /// The `Sequence` column as stored (null for anchored module rows).
    pub sequence: Option<i32>,
    /// Merge modules: the action this row is placed relative to.
    pub base_action: Option<String>,
    /// Merge modules: true to place after `base_action`, false before.
    pub after: Option<bool>,
    /// Position in run order (0-based) among the rows that run in the
    /// normal flow; `None` for rows that never run there (sequence 0, null
    /// or negative; unresolvable anchors).
    pub order: Option<usize>,
    /// The sequence number of the numbered row this row is anchored to
    /// (its own number for numbered rows), for placing module rows against
    /// standard numbers.
    pub root_sequence: Option<i32>,
    #[serde(skip)]
    pub row: super::RowInfo,
}

/// Where a row runs relative to the InstallInitialize..InstallFinalize window.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WindowPosition {
    Inside,
    Before,
    After,
    /// The table has no complete script window.
    NoWindow,
    /// The row never runs in the normal flow (0, null, unresolved anchor).
    NotRun,
}

impl SequenceRow {
    /// A termination row (-1 success, -2 user exit, -3 failure, -4 suspend).
    pub fn termination(&self) -> Option<i32> {
        self.sequence.filter(|s| (-4..=-1).contains(s))
    }

    /// How the position reads for a person: the number, or the anchor.
    pub fn position_label(&self) -> String {
        match (&self.sequence, &self.base_action, self.after) {
            (Some(n), _, _) => n.to_string(),
            (None, Some(base), Some(true)) => format!("after {base}"),
            (None, Some(base), _) => format!("before {base}"),
            (None, None, _) => "-".into(),
        }
    }

    pub fn has_condition(&self) -> bool {
        self.condition
            .as_deref()
            .is_some_and(|c| !c.trim().is_empty())
    }
}

/// A sequence table with its rows in run order.
#[derive(Debug, Clone, Serialize)]
pub struct Sequence {
    pub kind: SequenceKind,
    /// Rows sorted by run order; rows that never run come last.
    pub rows: Vec<SequenceRow>,
    /// Position of each action's row in `rows`.
    #[serde(skip)]
    index: HashMap<String, usize>,
}

impl Sequence {
    /// Builds a sequence from rows in any order, resolving run order.
    pub fn new(kind: SequenceKind, rows: Vec<SequenceRow>) -> Self {
        let rows = if kind.is_module() {
            resolve_module_order(rows)
        } else {
            resolve_numbered_order(rows)
        };
        // Sorted through positions: moving the rows themselves costs more
        // than comparing them on a large table.
        let key = |r: &SequenceRow| (r.order.is_none(), r.order, r.sequence);
        let mut positions: Vec<usize> = (0..rows.len()).collect();
        positions.sort_by(|&a, &b| {
            let (a, b) = (&rows[a], &rows[b]);
            key(a).cmp(&key(b)).then_with(|| a.action.cmp(&b.action))
        });
        let mut slots: Vec<Option<SequenceRow>> = rows.into_iter().map(Some).collect();
        let rows: Vec<SequenceRow> = positions
            .into_iter()
            .filter_map(|i| slots[i].take())
            .collect();
        // The first row wins, as a key lookup in the table would.
        let mut index = HashMap::with_capacity(rows.len());
        for (i, row) in rows.iter().enumerate() {
            index.entry(row.action.clone()).or_insert(i);
        }
        Self { kind, rows, index }
    }

    pub fn row(&self, action: &str) -> Option<&SequenceRow> {
        self.index.get(action).map(|&i| &self.rows[i])
    }

    /// The rows that run after `action`'s row, in run order.
    pub fn rows_after(&self, action: &str) -> &[SequenceRow] {
        self.index.get(action).map_or(&[], |&i| &self.rows[i + 1..])
    }

    /// Run-order position of `action`, if it runs in the normal flow.
    pub fn order_of(&self, action: &str) -> Option<usize> {
        self.row(action).and_then(|r| r.order)
    }

    /// The script window: run-order positions of InstallInitialize and
    /// InstallFinalize, when both run.
    pub fn script_window(&self) -> Option<(usize, usize)> {
        Some((
            self.order_of("InstallInitialize")?,
            self.order_of("InstallFinalize")?,
        ))
    }

    /// Whether a row at `order` lies strictly inside the script window.
    pub fn in_script_window(&self, order: usize) -> bool {
        self.script_window()
            .is_some_and(|(start, end)| start < order && order < end)
    }

    /// Where `row` runs relative to the script window. Termination rows run
    /// after the sequence. A merge module that does not list the window
    /// actions is placed against the standard numbers 1500 and 6600, which
    /// the merge tool keeps from the target package.
    pub fn window_position(&self, row: &SequenceRow) -> WindowPosition {
        if row.termination().is_some() {
            return WindowPosition::After;
        }
        let Some(order) = row.order else {
            return WindowPosition::NotRun;
        };
        if let Some((start, end)) = self.script_window() {
            return if order <= start {
                WindowPosition::Before
            } else if order >= end {
                WindowPosition::After
            } else {
                WindowPosition::Inside
            };
        }
        let listed = |a: &str| self.row(a).is_some();
        match row.root_sequence {
            Some(n)
                if self.kind.is_module()
                    && !listed("InstallInitialize")
                    && !listed("InstallFinalize") =>
            {
                if n <= 1500 {
                    WindowPosition::Before
                } else if n >= 6600 {
                    WindowPosition::After
                } else {
                    WindowPosition::Inside
                }
            }
            _ => WindowPosition::NoWindow,
        }
    }
}

/// Ordinary tables: positive numbers run, in ascending order; equal numbers
/// share a position (their relative order is undefined).
fn resolve_numbered_order(mut rows: Vec<SequenceRow>) -> Vec<SequenceRow> {
    let mut numbers: Vec<i32> = rows
        .iter()
        .filter_map(|r| r.sequence)
        .filter(|&s| s > 0)
        .collect();
    numbers.sort_unstable();
    numbers.dedup();
    for row in &mut rows {
        row.order = row
            .sequence
            .filter(|&s| s > 0)
            .and_then(|s| numbers.binary_search(&s).ok());
        row.root_sequence = row.sequence.filter(|&s| s > 0);
    }
    rows
}

/// Merge-module tables: rows with a positive `Sequence` are anchors in
/// numeric order; the others are placed immediately before or after their
/// `BaseAction`, recursively. Rows whose anchor chain does not reach a
/// numbered row (missing base, cycle) get no position.
fn resolve_module_order(mut rows: Vec<SequenceRow>) -> Vec<SequenceRow> {
    let mut roots: Vec<usize> = (0..rows.len())
        .filter(|&i| rows[i].base_action.is_none() && rows[i].sequence.is_some_and(|s| s > 0))
        .collect();
    roots.sort_by_key(|&i| (rows[i].sequence, rows[i].action.clone()));
    let mut ordered = Vec::with_capacity(rows.len());
    let mut visited = vec![false; rows.len()];
    for root in roots {
        place(root, &rows, &mut visited, &mut ordered);
    }
    let mut roots = vec![None; rows.len()];
    for (position, &index) in ordered.iter().enumerate() {
        rows[index].order = Some(position);
        roots[index] = root_number(index, &rows);
    }
    for (row, root) in rows.iter_mut().zip(roots) {
        row.root_sequence = root;
    }
    rows
}

/// The number of the numbered row at the end of `index`'s anchor chain.
fn root_number(mut index: usize, rows: &[SequenceRow]) -> Option<i32> {
    for _ in 0..rows.len() {
        let row = &rows[index];
        let Some(base) = &row.base_action else {
            return row.sequence.filter(|&s| s > 0);
        };
        index = rows.iter().position(|r| &r.action == base)?;
    }
    None
}

fn place(index: usize, rows: &[SequenceRow], visited: &mut [bool], ordered: &mut Vec<usize>) {
    if visited[index] {
        return;
    }
    visited[index] = true;
    let name = &rows[index].action;
    let children = |after: bool| -> Vec<usize> {
        (0..rows.len())
            .filter(|&i| {
                rows[i].base_action.as_deref() == Some(name.as_str())
                    && rows[i].after.unwrap_or(false) == after
            })
            .collect()
    };
    for child in children(false) {
        place(child, rows, visited, ordered);
    }
    ordered.push(index);
    // Each later "after" child is inserted directly after the base, so it
    // ends up before the earlier ones; the merge tool behaves the same way.
    for child in children(true).into_iter().rev() {
        place(child, rows, visited, ordered);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(action: &str, sequence: Option<i32>) -> SequenceRow {
        SequenceRow {
            action: action.into(),
            condition: None,
            sequence,
            base_action: None,
            after: None,
            order: None,
            root_sequence: None,
            row: Default::default(),
        }
    }

    fn anchored(action: &str, base: &str, after: bool) -> SequenceRow {
        SequenceRow {
            base_action: Some(base.into()),
            after: Some(after),
            ..row(action, None)
        }
    }

    #[test]
    fn numbered_rows_run_in_ascending_order_and_zero_never_runs() {
        let seq = Sequence::new(
            SequenceKind::InstallExecuteSequence,
            vec![
                row("InstallFinalize", Some(6600)),
                row("X", Some(0)),
                row("InstallInitialize", Some(1500)),
                row("A", Some(2000)),
                row("Exit", Some(-1)),
            ],
        );
        let names: Vec<_> = seq.rows.iter().map(|r| r.action.as_str()).collect();
        assert_eq!(&names[..3], ["InstallInitialize", "A", "InstallFinalize"]);
        assert!(seq.in_script_window(seq.order_of("A").unwrap()));
        assert_eq!(seq.order_of("X"), None);
        assert_eq!(seq.row("Exit").unwrap().termination(), Some(-1));
    }

    #[test]
    fn equal_numbers_share_a_position() {
        let seq = Sequence::new(
            SequenceKind::InstallExecuteSequence,
            vec![row("A", Some(10)), row("B", Some(10))],
        );
        assert_eq!(seq.order_of("A"), seq.order_of("B"));
    }

    #[test]
    fn module_rows_resolve_around_their_anchors() {
        let seq = Sequence::new(
            SequenceKind::ModuleInstallExecuteSequence,
            vec![
                anchored("Exec", "InstallFiles", true),
                row("InstallFinalize", Some(6600)),
                anchored("Rollback", "Exec", false),
                row("InstallFiles", Some(4000)),
                row("InstallInitialize", Some(1500)),
                anchored("Orphan", "Missing", true),
            ],
        );
        let names: Vec<_> = seq.rows.iter().map(|r| r.action.as_str()).collect();
        assert_eq!(
            names,
            [
                "InstallInitialize",
                "InstallFiles",
                "Rollback",
                "Exec",
                "InstallFinalize",
                "Orphan"
            ]
        );
        assert!(seq.in_script_window(seq.order_of("Exec").unwrap()));
        assert_eq!(seq.order_of("Orphan"), None);
        assert_eq!(
            seq.row("Exec").unwrap().position_label(),
            "after InstallFiles"
        );
    }

    #[test]
    fn module_anchor_cycles_terminate() {
        let seq = Sequence::new(
            SequenceKind::ModuleInstallExecuteSequence,
            vec![anchored("A", "B", true), anchored("B", "A", true)],
        );
        assert!(seq.rows.iter().all(|r| r.order.is_none()));
    }
}
