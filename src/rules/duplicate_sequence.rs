use std::collections::BTreeMap;

use crate::finding::Location;
use crate::rules::{Context, Report, Rule, RuleMeta};

declare_rule! {
    /// ## What it does
    /// Finds two or more actions that share a positive sequence number in one table.
    ///
    /// ## Why is this bad?
    /// Their relative order is undefined: it may change between Windows Installer
    /// versions or after a transform, and an action that depends on the other (a setter
    /// and its deferred action, a rollback and its action) may run in the wrong order.
    /// ICE82 warns about it.
    ///
    /// ## Example
    /// | Action | Sequence |
    /// |---|---|
    /// | `SetInstallFoo` | 4001 |
    /// | `InstallFoo` | 4001 |
    ///
    /// ## Use instead
    /// Give each action its own number (WiX does this when you use `Before`/`After`).
    ///
    /// ## References
    /// ICE82.
    pub struct DuplicateSequence {
        code: "MCA115",
        name: "duplicate-sequence",
        severity: Warning,
        summary: "Two actions share a sequence number in one table",
    }
}

impl Rule for DuplicateSequence {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, cx: &mut Context) {
        for seq in cx.pkg.sequences.iter().filter(|s| !s.kind.is_module()) {
            let mut by_number: BTreeMap<i32, Vec<&crate::model::SequenceRow>> = BTreeMap::new();
            for row in &seq.rows {
                if let Some(n) = row.sequence.filter(|&n| n > 0) {
                    by_number.entry(n).or_default().push(row);
                }
            }
            // Standard actions and dialogs sharing a number (WiX's mutually
            // exclusive welcome dialogs) are left alone: the order matters for
            // custom actions, which depend on each other.
            let involves_custom = |rows: &Vec<&crate::model::SequenceRow>| {
                rows.iter()
                    .any(|r| cx.pkg.custom_action(&r.action).is_some())
            };
            for (number, rows) in by_number
                .into_iter()
                .filter(|(_, rows)| rows.len() > 1 && involves_custom(rows))
            {
                let names: Vec<String> = rows.iter().map(|r| format!("`{}`", r.action)).collect();
                let mut report = Report::new(
                    format!(
                        "{} share sequence number {number} in {}",
                        names.join(" and "),
                        seq.kind.table_name()
                    ),
                    Location::sequence_row(seq, rows[0], "Sequence"),
                )
                .help("give each action its own sequence number so their order is defined")
                .action(&rows[0].action)
                .row(rows[0]);
                for row in &rows[1..] {
                    report = report.related(&row.action);
                }
                cx.report(report);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::test_support::assert_actions;
    use crate::testing::MsiBuilder;

    #[test]
    fn fires_once_per_shared_number() {
        let b = MsiBuilder::new()
            .standard_execute()
            .binary("Bin")
            .action("A", 1, Some("Bin"), Some("A"))
            .dialog("WelcomeDlg")
            .dialog("ResumeDlg")
            .seq("InstallUISequence", "WelcomeDlg", None, 1298)
            .seq("InstallUISequence", "ResumeDlg", None, 1298)
            .seq("InstallExecuteSequence", "A", None, 4001)
            .seq("InstallExecuteSequence", "B", None, 4001)
            .seq("InstallExecuteSequence", "C", None, 4001)
            .seq("InstallExecuteSequence", "Off1", None, 0)
            .seq("InstallExecuteSequence", "Off2", None, 0);
        let f = assert_actions(&DuplicateSequence, b, &["A"]);
        assert_eq!(f[0].related, ["B", "C"]);
    }

    #[test]
    fn quiet_on_distinct_numbers() {
        assert_actions(
            &DuplicateSequence,
            MsiBuilder::new().standard_execute(),
            &[],
        );
    }
}
