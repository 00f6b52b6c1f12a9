use crate::analysis::scenarios::Scenario;
use crate::condition::Truth;
use crate::finding::Location;
use crate::model::SequenceKind;
use crate::rules::{Context, Report, Rule, RuleMeta};

declare_rule! {
    /// ## What it does
    /// Finds custom actions whose conditions hold in no scenario: not on a first install
    /// (with or without UI), a repair, a modify, an uninstall, a major upgrade (either
    /// side), a patch or a patch removal. Each scenario fixes the properties Windows
    /// Installer sets for it (`Installed`, `REMOVE`, `REINSTALL`, `UPGRADINGPRODUCTCODE`,
    /// `PATCH`, `MSIPATCHREMOVE`, `UILevel`, the Upgrade table's properties) and
    /// leaves every other property unknown; the action is reported only when every
    /// one of its rows is false whatever the unknown values are.
    ///
    /// Actions that also run from AdminExecuteSequence, an advertise sequence or a
    /// dialog's DoAction event are left alone, as are rows placed at 0 or at a
    /// termination number.
    ///
    /// ## Why is this bad?
    /// The action is dead: whatever it was written to do never happens. Usually the
    /// condition mixes two scenarios, such as `REMOVE="ALL" AND NOT Installed`
    /// (an uninstall of a product that is not installed) or `PATCH AND NOT Installed`.
    ///
    /// ## Example
    /// | Action | Condition |
    /// |---|---|
    /// | `CleanupData` | `REMOVE="ALL" AND NOT Installed` |
    ///
    /// ## Use instead
    /// | Action | Condition |
    /// |---|---|
    /// | `CleanupData` | `REMOVE="ALL" AND NOT UPGRADINGPRODUCTCODE` |
    ///
    /// ## References
    /// Microsoft: "Installed property", "REMOVE property", "UPGRADINGPRODUCTCODE
    /// property", "PATCH property"; msi-reference 4.3 and 8.3; `msica scenarios FILE`
    /// shows the verdict of every action in every scenario.
    pub struct NeverRuns {
        code: "MCA116",
        name: "never-runs",
        severity: Warning,
        summary: "No scenario satisfies the action's conditions: the action never runs",
    }
}

impl Rule for NeverRuns {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, cx: &mut Context) {
        let pkg = cx.pkg;
        let matrix = cx.scenarios();
        for entry in &matrix.actions {
            if entry.runs.iter().any(|v| v.truth != Truth::No) || !entry.dialogs.is_empty() {
                continue;
            }
            let name = entry.action.name.as_str();
            let rows: Vec<_> = pkg.schedules(name).collect();
            // Only conditions prove an action dead; tables and places are
            // other rules' concern.
            let decided_by_conditions = rows.iter().all(|(seq, row)| {
                matches!(
                    seq.kind.merged(),
                    SequenceKind::InstallUISequence | SequenceKind::InstallExecuteSequence
                ) && row.order.is_some()
                    && matches!(cx.conditions.of_row(seq.kind, name), Some(Ok(_)))
            });
            let Some((seq, row)) = rows.first().filter(|_| decided_by_conditions) else {
                continue;
            };
            let condition = row.condition.as_deref().unwrap_or_default();
            let names: Vec<&str> = matrix.scenarios.iter().map(|s| s.name()).collect();
            let mut report = Report::new(
                format!(
                    "`{name}` never runs: its condition `{condition}` holds in no scenario"
                ),
                Location::sequence_row(seq, row, "Condition"),
            )
            .help(format!(
                "fix the condition of `{name}` so that it holds where the action is meant to run, or remove the action"
            ))
            .action(name)
            .row(row)
            .note(format!("scenarios evaluated: {}", names.join(", ")));
            for (other, other_row) in rows.iter().skip(1) {
                report = report.note(format!(
                    "also in {} with condition `{}`, which holds in no scenario either",
                    other.kind.table_name(),
                    other_row.condition.as_deref().unwrap_or_default()
                ));
            }
            if !matrix.scenarios.contains(&Scenario::Upgrade) {
                report = report.note(
                    "the package has no Upgrade row that removes an older version, so `upgrade` does not apply",
                );
            }
            cx.report(report);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::test_support::assert_actions;
    use crate::testing::MsiBuilder;

    const IE: &str = "InstallExecuteSequence";

    fn package(condition: &str) -> MsiBuilder {
        MsiBuilder::new()
            .standard_execute()
            .binary("Bin")
            .action("Cleanup", 3073, Some("Bin"), Some("Cleanup"))
            .seq(IE, "Cleanup", Some(condition), 3000)
    }

    #[test]
    fn fires_on_conditions_no_scenario_satisfies() {
        for condition in [
            "REMOVE=\"ALL\" AND NOT Installed",
            "PATCH AND NOT Installed",
            "UPGRADINGPRODUCTCODE AND NOT REMOVE",
            "UPGRADINGPRODUCTCODE AND PATCH",
            "0",
        ] {
            let f = assert_actions(&NeverRuns, package(condition), &["Cleanup"]);
            assert!(
                f[0].message.contains("holds in no scenario"),
                "{}",
                f[0].message
            );
        }
    }

    #[test]
    fn quiet_when_some_scenario_may_run_it() {
        for condition in [
            "REMOVE=\"ALL\" AND NOT UPGRADINGPRODUCTCODE",
            "NOT Installed",
            "Installed AND NOT REMOVE",
            "CUSTOM AND NOT Installed",
            "REMOVE~=\"ALL\" AND Installed",
        ] {
            assert_actions(&NeverRuns, package(condition), &[]);
        }
    }

    #[test]
    fn quiet_for_admin_installs_dialogs_and_rows_that_never_run_by_place() {
        let admin = package("0").seq("AdminExecuteSequence", "Cleanup", Some("1"), 1000);
        assert_actions(&NeverRuns, admin, &[]);
        let dialog = package("0")
            .dialog("Done")
            .control_event("Done", "Ok", "DoAction", "Cleanup", "1");
        assert_actions(&NeverRuns, dialog, &[]);
        let unplaced = MsiBuilder::new()
            .standard_execute()
            .binary("Bin")
            .action("Cleanup", 1, Some("Bin"), Some("Cleanup"))
            .seq(IE, "Cleanup", Some("0"), 0);
        assert_actions(&NeverRuns, unplaced, &[]);
    }

    #[test]
    fn a_ui_action_with_a_live_execute_row_is_alive() {
        let b = package("NOT Installed").seq(
            "InstallUISequence",
            "Cleanup",
            Some("REMOVE=\"ALL\" AND NOT Installed"),
            1000,
        );
        assert_actions(&NeverRuns, b, &[]);
    }
}
