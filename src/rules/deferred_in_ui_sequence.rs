use crate::finding::Location;
use crate::rules::{scheduled_custom_actions, Context, Report, Rule, RuleMeta};

declare_rule! {
    /// ## What it does
    /// Finds in-script actions (deferred, rollback or commit) scheduled in a UI sequence
    /// (`InstallUISequence`, `AdminUISequence`, `AdvtUISequence` or their merge-module forms).
    ///
    /// ## Why is this bad?
    /// UI sequences run on the client before any installation script exists, so an
    /// in-script action there cannot be written anywhere: the installer fails with error
    /// 2762. UI sequences are also skipped entirely at basic or no UI (`/qb`, `/qn`).
    ///
    /// ## Example
    /// | Table | Action | Sequence |
    /// |---|---|---|
    /// | CustomAction | `WriteConfig` | Type 1025 |
    /// | InstallUISequence | `WriteConfig` | 1301 |
    ///
    /// ## Use instead
    /// Move the action to `InstallExecuteSequence`, between `InstallInitialize` and
    /// `InstallFinalize`.
    ///
    /// ## References
    /// Windows Installer error 2762; "InstallUISequence Table".
    pub struct DeferredInUiSequence {
        code: "MCA102",
        name: "deferred-in-ui-sequence",
        severity: Error,
        summary: "An in-script action scheduled in a UI sequence, where no script exists",
    }
}

impl Rule for DeferredInUiSequence {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, cx: &mut Context) {
        for (seq, row, ca) in scheduled_custom_actions(cx.pkg) {
            if !seq.kind.is_ui()
                || !ca.action_type.in_script()
                || (row.order.is_none() && row.termination().is_none())
            {
                continue;
            }
            cx.report(
                Report::new(
                    format!(
                        "{} action `{}` is scheduled in {}, where no installation script exists",
                        ca.action_type.execution_short(),
                        ca.name,
                        seq.kind.table_name()
                    ),
                    Location::sequence_row(seq, row, "Action"),
                )
                .help("move the action to the execute sequence, between InstallInitialize and InstallFinalize")
                .action(&ca.name)
                .row(row)
                .action_type(ca.action_type),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::test_support::assert_actions;
    use crate::testing::MsiBuilder;

    #[test]
    fn fires_on_deferred_in_ui_only() {
        let b = MsiBuilder::new()
            .standard_ui()
            .standard_execute()
            .binary("Bin")
            .action("UiDeferred", 1025, Some("Bin"), Some("A"))
            .action("UiImmediate", 1, Some("Bin"), Some("B"))
            .action("ExecDeferred", 1025, Some("Bin"), Some("C"))
            .seq("InstallUISequence", "UiDeferred", None, 1001)
            .seq("InstallUISequence", "UiImmediate", None, 1002)
            .seq("InstallExecuteSequence", "ExecDeferred", None, 4001);
        let f = assert_actions(&DeferredInUiSequence, b, &["UiDeferred"]);
        assert!(f[0].message.contains("InstallUISequence"));
    }

    #[test]
    fn quiet_when_never_run() {
        let b = MsiBuilder::new()
            .binary("Bin")
            .action("Off", 1025, Some("Bin"), Some("A"))
            .seq("InstallUISequence", "Off", None, 0);
        assert_actions(&DeferredInUiSequence, b, &[]);
    }
}
