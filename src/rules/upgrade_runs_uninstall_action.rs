use crate::analysis::scenarios::{self, Scenario};
use crate::condition::Truth;
use crate::finding::Location;
use crate::model::action_type::BaseKind;
use crate::model::SequenceKind;
use crate::rules::{Context, Report, Rule, RuleMeta};

declare_rule! {
    /// ## What it does
    /// In a package that does major upgrades (an Upgrade row that removes older versions,
    /// and `RemoveExistingProducts` in InstallExecuteSequence), finds actions that run on
    /// uninstall, do not run on a first install, and also run when a newer version's
    /// `RemoveExistingProducts` removes this one (`upgrade-removal`): their condition does
    /// not tell the two apart with `UPGRADINGPRODUCTCODE`. Set-property and
    /// set-directory actions, and rollback actions, are left out.
    ///
    /// ## Why is this bad?
    /// Often it is not meant: an action that deletes user data, unregisters a service or
    /// calls home "on uninstall" also runs in the middle of every major upgrade, and the
    /// new version starts without what the old one removed. It is information, not a
    /// defect: some actions must run in both cases.
    ///
    /// ## Example
    /// | Action | Condition |
    /// |---|---|
    /// | `DeleteUserData` | `REMOVE~="ALL"` |
    ///
    /// ## Use instead
    /// | Action | Condition |
    /// |---|---|
    /// | `DeleteUserData` | `REMOVE~="ALL" AND NOT UPGRADINGPRODUCTCODE` |
    ///
    /// ## References
    /// Microsoft: "UPGRADINGPRODUCTCODE property", "RemoveExistingProducts Action",
    /// "Upgrade Table"; msi-reference 4.4 (idioms) and 8.3.
    pub struct UpgradeRunsUninstallAction {
        code: "MCA120",
        name: "upgrade-runs-uninstall-action",
        severity: Info,
        summary: "An action that runs on uninstall also runs when a major upgrade removes this version (no UPGRADINGPRODUCTCODE test)",
    }
}

impl Rule for UpgradeRunsUninstallAction {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, cx: &mut Context) {
        let pkg = cx.pkg;
        let removes_products = pkg.sequences.iter().any(|s| {
            s.kind.merged() == SequenceKind::InstallExecuteSequence
                && s.row("RemoveExistingProducts").is_some()
        });
        if !removes_products || !scenarios::has_major_upgrade(pkg) {
            return;
        }
        let matrix = cx.scenarios();
        let column = |s| matrix.column(s).expect("always applicable");
        let (install, uninstall, removal) = (
            column(Scenario::Install),
            column(Scenario::Uninstall),
            column(Scenario::UpgradeRemoval),
        );
        for entry in &matrix.actions {
            let t = entry.action.action_type;
            if matches!(t.kind(), BaseKind::SetProperty | BaseKind::SetDirectory) || t.is_rollback()
            {
                continue;
            }
            let runs = |i: usize| entry.runs[i].truth;
            if runs(install) != Truth::No
                || runs(uninstall) != Truth::Yes
                || runs(removal) != Truth::Yes
            {
                continue;
            }
            let name = entry.action.name.as_str();
            let Some((seq, row)) = pkg.schedules(name).find(|(s, r)| {
                s.kind.merged() == SequenceKind::InstallExecuteSequence && r.order.is_some()
            }) else {
                continue;
            };
            let condition = row.condition.as_deref().unwrap_or_default();
            let fixed = if condition.trim().is_empty() {
                "NOT UPGRADINGPRODUCTCODE".to_owned()
            } else {
                format!("({condition}) AND NOT UPGRADINGPRODUCTCODE")
            };
            cx.report(
                Report::new(
                    format!(
                        "`{name}` runs on uninstall and also when a newer version's RemoveExistingProducts removes this one: its condition `{condition}` does not test UPGRADINGPRODUCTCODE"
                    ),
                    Location::sequence_row(seq, row, "Condition"),
                )
                .help(format!(
                    "if `{name}` should run only when the user removes the product, make its condition `{fixed}`"
                ))
                .action(name)
                .row(row)
                .action_type(t),
            );
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
            .upgrade("WIX_UPGRADE_DETECTED", 0)
            .seq(IE, "RemoveExistingProducts", None, 1450)
            .binary("Bin")
            .action("DeleteUserData", 3073, Some("Bin"), Some("Delete"))
            .seq(IE, "DeleteUserData", Some(condition), 3000)
    }

    #[test]
    fn fires_on_an_uninstall_action_without_an_upgrade_test() {
        for condition in ["REMOVE~=\"ALL\"", "Installed AND REMOVE=\"ALL\""] {
            let f = assert_actions(
                &UpgradeRunsUninstallAction,
                package(condition),
                &["DeleteUserData"],
            );
            assert!(
                f[0].help.contains("AND NOT UPGRADINGPRODUCTCODE"),
                "{}",
                f[0].help
            );
        }
    }

    #[test]
    fn quiet_when_upgrades_are_told_apart_or_not_done() {
        let b = package("REMOVE=\"ALL\" AND NOT UPGRADINGPRODUCTCODE");
        assert_actions(&UpgradeRunsUninstallAction, b, &[]);
        // Runs on a first install too: not an uninstall action.
        assert_actions(&UpgradeRunsUninstallAction, package("1"), &[]);
        // Depends on a property msica cannot know.
        assert_actions(
            &UpgradeRunsUninstallAction,
            package("REMOVE=\"ALL\" AND PURGE"),
            &[],
        );
        // No major upgrade: no RemoveExistingProducts.
        let no_upgrade = MsiBuilder::new()
            .standard_execute()
            .binary("Bin")
            .action("DeleteUserData", 3073, Some("Bin"), Some("Delete"))
            .seq(IE, "DeleteUserData", Some("REMOVE=\"ALL\""), 3000);
        assert_actions(&UpgradeRunsUninstallAction, no_upgrade, &[]);
    }
}
