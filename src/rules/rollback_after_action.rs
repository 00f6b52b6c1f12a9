use crate::analysis::SiblingKind;
use crate::finding::{Location, Severity};
use crate::rules::{Context, Report, Rule, RuleMeta};

declare_rule! {
    /// ## What it does
    /// Finds a rollback action scheduled after the deferred action it undoes, in the same
    /// execute sequence.
    ///
    /// ## Why is this bad?
    /// The rollback script holds only what was written before a failure. If the deferred
    /// action itself fails, a rollback action scheduled after it was never written into
    /// the rollback script, so nothing undoes the half-done work. Microsoft requires the
    /// rollback action to come first.
    ///
    /// Windows Installer has no explicit link between an action and its rollback, so
    /// pairs are found by name (the names differ only by role words such as `Rollback`,
    /// `Undo`, `Commit`, `Exec`, `Deferred`, `Do` or `Install`, in any position), by an
    /// entry point in the same Source that differs only by such words, or by adjacency;
    /// the finding says how. A name or entry point that several deferred actions share
    /// identifies none of them. An uncertain pairing is reported as a warning, never as an
    /// error, and an ambiguous one not at all.
    ///
    /// ## Example
    /// | Action | Type | Sequence |
    /// |---|---|---|
    /// | `InstallFoo` | 3073 | 4001 |
    /// | `InstallFooRollback` | 3329 | 4002 |
    ///
    /// ## Use instead
    /// Schedule `InstallFooRollback` immediately before `InstallFoo` (4000.5 is not
    /// possible, so renumber: rollback at 4001, action at 4002).
    ///
    /// ## References
    /// "Rollback Custom Actions"; msi-reference 6.2 rule 4.
    pub struct RollbackAfterAction {
        code: "MCA103",
        name: "rollback-after-action",
        severity: Error,
        summary: "A rollback action scheduled after the deferred action it undoes",
    }
}

impl Rule for RollbackAfterAction {
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
            for seq in cx.pkg.sequences.iter().filter(|s| s.kind.is_execute()) {
                let (Some(rollback), Some(action)) =
                    (seq.row(&pair.sibling), seq.row(&pair.deferred))
                else {
                    continue;
                };
                let (Some(r), Some(a)) = (rollback.order, action.order) else {
                    continue;
                };
                if r < a {
                    continue;
                }
                let when = if r == a {
                    "at the same sequence number as"
                } else {
                    "after"
                };
                let mut report = Report::new(
                    format!(
                        "rollback action `{}` is scheduled {when} `{}` ({} vs {}) in {}",
                        pair.sibling,
                        pair.deferred,
                        rollback.position_label(),
                        action.position_label(),
                        seq.kind.table_name()
                    ),
                    Location::sequence_row(seq, rollback, "Sequence"),
                )
                .help(format!(
                    "schedule `{}` before `{}` so it is in the rollback script if the action fails",
                    pair.sibling, pair.deferred
                ))
                .action(&pair.sibling)
                .row(rollback)
                .related(&pair.deferred)
                .note(format!("paired because the {}", pair.reason));
                if !pair.certain || r == a {
                    report = report.cap(Severity::Warning);
                }
                cx.report(report);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::test_support::{assert_actions, register_port_groups};
    use crate::testing::MsiBuilder;

    const IE: &str = "InstallExecuteSequence";

    fn pair(rollback_seq: i32) -> MsiBuilder {
        MsiBuilder::new()
            .standard_execute()
            .binary("Bin")
            .action("InstallFoo", 3073, Some("Bin"), Some("InstallFoo"))
            .action(
                "InstallFooRollback",
                3329,
                Some("Bin"),
                Some("InstallFooRollback"),
            )
            .seq(IE, "InstallFoo", None, 4001)
            .seq(IE, "InstallFooRollback", None, rollback_seq)
    }

    #[test]
    fn fires_as_error_when_the_pair_is_certain() {
        let f = assert_actions(&RollbackAfterAction, pair(4002), &["InstallFooRollback"]);
        assert_eq!(f[0].severity, Severity::Error);
        assert_eq!(f[0].related, ["InstallFoo"]);
        assert!(f[0].notes.iter().any(|n| n.contains("share the source")));
    }

    #[test]
    fn quiet_when_rollback_comes_first() {
        assert_actions(&RollbackAfterAction, pair(4000), &[]);
    }

    #[test]
    fn uncertain_pairing_is_only_a_warning() {
        let b = MsiBuilder::new()
            .standard_execute()
            .binary("A")
            .binary("B")
            .action("ExecFoo", 3073, Some("A"), Some("X"))
            .action("RollbackFoo", 3329, Some("B"), Some("Y"))
            .seq(IE, "ExecFoo", None, 4001)
            .seq(IE, "RollbackFoo", None, 4002);
        let f = assert_actions(&RollbackAfterAction, b, &["RollbackFoo"]);
        assert_eq!(f[0].severity, Severity::Warning);
    }

    #[test]
    fn unsequenced_pairs_are_not_checked() {
        let b = MsiBuilder::new()
            .standard_execute()
            .binary("Bin")
            .action("ExecFoo", 3073, Some("Bin"), Some("ExecFoo"))
            .action(
                "ExecFooRollback",
                3329,
                Some("Bin"),
                Some("ExecFooRollback"),
            );
        assert_actions(&RollbackAfterAction, b, &[]);
    }

    #[test]
    fn rollbacks_sharing_an_entry_point_pair_with_their_own_action() {
        assert_actions(&RollbackAfterAction, register_port_groups(3, &[]), &[]);
        assert_actions(&RollbackAfterAction, register_port_groups(2_000, &[]), &[]);
    }

    #[test]
    fn an_ambiguous_pairing_is_never_an_error() {
        // `UndoPorts` may belong to either action: no pair, so no finding.
        let b = MsiBuilder::new()
            .standard_execute()
            .binary("NetLib")
            .action("RegisterPortA", 3073, Some("NetLib"), Some("RegisterPort"))
            .action("RegisterPortB", 3073, Some("NetLib"), Some("RegisterPort"))
            .action(
                "UndoPorts",
                3329,
                Some("NetLib"),
                Some("RollbackRegisterPort"),
            )
            .seq(IE, "RegisterPortA", None, 4001)
            .seq(IE, "UndoPorts", None, 4002)
            .seq(IE, "RegisterPortB", None, 4003);
        assert_actions(&RollbackAfterAction, b, &[]);
    }
}
