use crate::analysis::SiblingKind;
use crate::finding::Location;
use crate::rules::{Context, Report, Rule, RuleMeta};

declare_rule! {
    /// ## What it does
    /// Finds a rollback action whose impersonation differs from the deferred action it
    /// undoes: one has the no-impersonate bit (`0x800`, runs as LocalSystem) and the other
    /// does not (runs as the installing user).
    ///
    /// ## Why is this bad?
    /// In a per-machine installation under UAC, an impersonated in-script action runs
    /// with the user's filtered token, without administrator rights. When the action runs
    /// as LocalSystem (under Program Files, HKLM, services) and its rollback runs as the
    /// user, the rollback lacks the rights to undo it: the failed installation leaves the
    /// change behind and the rollback itself may fail with access denied. The other way
    /// round, an action that changes the user's profile or HKCU undone by a rollback that
    /// runs as LocalSystem undoes it in LocalSystem's profile, not the user's.
    ///
    /// Pairs are found as for `rollback-after-action` (names, entry points, adjacency);
    /// the finding says how.
    ///
    /// ## Example
    /// | Action | Type | Sequence |
    /// |---|---|---|
    /// | `RollbackCreateService` | 1281 (DLL, rollback, impersonated) | 4000 |
    /// | `CreateService` | 3073 (DLL, deferred, no-impersonate) | 4001 |
    ///
    /// ## Use instead
    /// Give the rollback the same context as its action: 3329 (rollback, no-impersonate)
    /// beside 3073, or 1281 beside 1025.
    ///
    /// ## References
    /// "Custom Action In-Script Execution Options"; "Rollback Custom Actions";
    /// msi-reference 6.2 rule 25.
    pub struct RollbackContextMismatch {
        code: "MCA121",
        name: "rollback-context-mismatch",
        severity: Warning,
        summary: "A rollback whose impersonation differs from the deferred action it undoes: under UAC it lacks the rights to undo it",
    }
}

impl Rule for RollbackContextMismatch {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, cx: &mut Context) {
        for pair in cx
            .siblings
            .pairs
            .iter()
            .filter(|p| p.kind == SiblingKind::Rollback)
        {
            let (Some(rollback), Some(action)) = (
                cx.pkg.custom_action(&pair.sibling),
                cx.pkg.custom_action(&pair.deferred),
            ) else {
                continue;
            };
            let (r, a) = (rollback.action_type, action.action_type);
            if r.no_impersonate() == a.no_impersonate() {
                continue;
            }
            let (message, fixed) = if a.no_impersonate() {
                (
                    format!(
                        "rollback action `{}` runs as the installing user, but `{}`, which it undoes, runs as LocalSystem: under UAC the rollback lacks the rights to undo it",
                        rollback.name, action.name
                    ),
                    r.raw | 0x800,
                )
            } else {
                (
                    format!(
                        "rollback action `{}` runs as LocalSystem, but `{}`, which it undoes, runs as the installing user: the rollback works in LocalSystem's profile and registry hive, not the user's",
                        rollback.name, action.name
                    ),
                    r.raw & !0x800,
                )
            };
            let mut report = Report::new(message, Location::custom_action(rollback, "Type"))
                .help(format!(
                    "give `{}` the context of `{}`: Type {fixed} instead of {}",
                    rollback.name, action.name, r.raw
                ))
                .action(&rollback.name)
                .action_type(r)
                .related(&action.name)
                .note(format!("paired because the {}", pair.reason));
            if let Some((_, row)) = cx.pkg.schedules(&rollback.name).next() {
                report = report.row(row);
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

    fn pair(rollback_type: i32, action_type: i32) -> MsiBuilder {
        MsiBuilder::new()
            .standard_execute()
            .binary("Bin")
            .action(
                "CreateService",
                action_type,
                Some("Bin"),
                Some("CreateService"),
            )
            .action(
                "RollbackCreateService",
                rollback_type,
                Some("Bin"),
                Some("RollbackCreateService"),
            )
            .seq(IE, "RollbackCreateService", None, 4000)
            .seq(IE, "CreateService", None, 4001)
    }

    #[test]
    fn fires_when_the_contexts_differ() {
        let f = assert_actions(
            &RollbackContextMismatch,
            pair(1281, 3073),
            &["RollbackCreateService"],
        );
        assert!(
            f[0].message.contains("lacks the rights"),
            "{}",
            f[0].message
        );
        assert!(
            f[0].help.contains("Type 3329 instead of 1281"),
            "{}",
            f[0].help
        );
        let f = assert_actions(
            &RollbackContextMismatch,
            pair(3329, 1025),
            &["RollbackCreateService"],
        );
        assert!(
            f[0].message.contains("LocalSystem's profile"),
            "{}",
            f[0].message
        );
        assert!(
            f[0].help.contains("Type 1281 instead of 3329"),
            "{}",
            f[0].help
        );
    }

    #[test]
    fn quiet_when_they_agree() {
        assert_actions(&RollbackContextMismatch, pair(3329, 3073), &[]);
        assert_actions(&RollbackContextMismatch, pair(1281, 1025), &[]);
    }
}
