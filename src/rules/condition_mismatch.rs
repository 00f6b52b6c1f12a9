use crate::analysis::SiblingKind;
use crate::condition::{self, equivalent_exprs, Condition, Expr, Operand};
use crate::finding::{Location, Severity};
use crate::model::SequenceRow;
use crate::rules::{Context, Report, Rule, RuleMeta};

declare_rule! {
    /// ## What it does
    /// Finds a deferred action and its rollback or commit sibling scheduled in the same
    /// execute sequence under conditions that are not equivalent. Conditions are
    /// compared by meaning, not by text: operand order, letter case of keywords,
    /// redundant parentheses, `A <> 1` versus `NOT A = 1` and De Morgan rewrites do not
    /// count as differences. `~=` (ignores case) versus `=` does.
    ///
    /// ## Why is this bad?
    /// The installer evaluates each condition while it writes the script. When the
    /// conditions differ, the rollback action can be written without the action it
    /// undoes (rolling back something that never happened), or the action without its
    /// rollback (nothing undoes it when the installation fails later). The same holds
    /// for a commit action and its deferred partner.
    ///
    /// Windows Installer has no explicit link between an action and its rollback, so
    /// pairs are found by naming, shared source and adjacency; the finding says how.
    ///
    /// WiX's NetFx extension pairs a commit action conditioned `RollbackDisabled <> 1`
    /// with a deferred fallback conditioned `RollbackDisabled = 1` on purpose, because
    /// commit actions never run when rollback is disabled. Conditions that agree once
    /// their `RollbackDisabled` tests are set aside are therefore not reported.
    ///
    /// ## Example
    /// | Action | Type | Condition | Sequence |
    /// |---|---|---|---|
    /// | `InstallFooRollback` | 3329 | `NOT Installed` | 4000 |
    /// | `InstallFoo` | 3073 | `NOT Installed AND NOT PATCH` | 4001 |
    ///
    /// A rollback whose condition is narrower than its action's (the action runs on
    /// `NOT REMOVE="ALL"`, the rollback only on `NOT Installed`) is a deliberate design:
    /// a failed repair must not delete what existed before it. It is reported as info
    /// that says in which cases the work is not undone. A wider rollback, or a commit
    /// action that differs either way, stays a warning.
    ///
    /// ## Use instead
    /// Give both rows the same condition, `NOT Installed AND NOT PATCH`.
    ///
    /// ## References
    /// "Rollback Custom Actions"; "Commit Custom Actions"; msi-reference 6.2 rule 7 and
    /// 7.2 (NetFx `RollbackDisabled` pairs).
    pub struct ConditionMismatch {
        code: "MCA402",
        name: "condition-mismatch",
        severity: Warning,
        summary: "A deferred action and its rollback or commit sibling run under conditions that are not equivalent",
    }
}

impl Rule for ConditionMismatch {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, cx: &mut Context) {
        let conditions = cx.conditions;
        let always = condition::parse("").expect("the empty condition parses");
        for pair in &cx.siblings.pairs {
            for seq in cx.pkg.sequences.iter().filter(|s| s.kind.is_execute()) {
                let (Some(sibling), Some(action)) =
                    (seq.row(&pair.sibling), seq.row(&pair.deferred))
                else {
                    continue;
                };
                if sibling.order.is_none() || action.order.is_none() {
                    continue;
                }
                let sibling_text = sibling.condition.as_deref().unwrap_or_default();
                let action_text = action.condition.as_deref().unwrap_or_default();
                // A condition that does not parse is MCA401's finding.
                let parsed = |row: &SequenceRow| match conditions.of_row(seq.kind, &row.action) {
                    None => Some(&always),
                    Some(parsed) => parsed.as_ref().ok(),
                };
                let (Some(sibling_cond), Some(action_cond)) = (parsed(sibling), parsed(action))
                else {
                    continue;
                };
                if condition::equivalent(sibling_cond, action_cond)
                    || agree_without_rollback_disabled(sibling_cond, action_cond)
                {
                    continue;
                }
                let kind = match pair.kind {
                    SiblingKind::Rollback => "rollback",
                    SiblingKind::Commit => "commit",
                };
                let shown = |c: &Condition, raw: &str| {
                    if c.is_empty() {
                        "no condition (always runs)".to_owned()
                    } else {
                        format!("`{}`", raw.trim())
                    }
                };
                // A rollback that runs in only some of its action's cases
                // undoes the work only where it created something new.
                let narrower = pair.kind == SiblingKind::Rollback
                    && condition::implies(sibling_cond, action_cond);
                let help = if narrower {
                    format!(
                        "nothing to change if `{}` must leave alone what `{}` finds already there in the other cases (a repair, for instance); otherwise give both the condition of `{}`",
                        pair.sibling, pair.deferred, pair.deferred
                    )
                } else {
                    format!(
                        "give `{}` and `{}` equivalent conditions, so that one is in the script exactly when the other is",
                        pair.sibling, pair.deferred
                    )
                };
                let mut report = Report::new(
                    format!(
                        "{kind} action `{}` runs under {} but `{}` runs under {} in {}",
                        pair.sibling,
                        shown(sibling_cond, sibling_text),
                        pair.deferred,
                        shown(action_cond, action_text),
                        seq.kind.table_name()
                    ),
                    Location::sequence_row(seq, sibling, "Condition"),
                )
                .help(help)
                .action(&pair.sibling)
                .row(sibling)
                .related(&pair.deferred)
                .note(format!("paired because the {}", pair.reason))
                .note(format!(
                    "{kind} condition, normalised: {}",
                    canonical(sibling_cond)
                ))
                .note(format!(
                    "deferred condition, normalised: {}",
                    canonical(action_cond)
                ))
                .cap(Severity::Warning);
                if narrower {
                    report = report.cap(Severity::Info).note(format!(
                        "the rollback's condition is narrower: whenever `{}` is in the script `{}` is too, so nothing is undone that never happened; in the other cases a failure leaves the work of `{}` in place, which is the intent when it found the thing it changes already there",
                        pair.sibling, pair.deferred, pair.deferred
                    ));
                }
                cx.report(report);
            }
        }
    }
}

/// The canonical text, or a word for the empty condition.
fn canonical(c: &Condition) -> String {
    if c.is_empty() {
        "(none: always true)".to_owned()
    } else {
        c.to_string()
    }
}

const ROLLBACK_DISABLED: &str = "RollbackDisabled";

/// The WiX NetFx pattern: the two conditions differ only in how they test
/// `RollbackDisabled` (`RollbackDisabled <> 1` on the commit action,
/// `RollbackDisabled = 1` on the deferred fallback). Each test of that
/// property is taken as satisfied, i.e. removed from the condition, and
/// what remains must be equivalent.
fn agree_without_rollback_disabled(a: &Condition, b: &Condition) -> bool {
    let mentions = |c: &Condition| c.references().iter().any(|r| r.name == ROLLBACK_DISABLED);
    if !mentions(a) && !mentions(b) {
        return false;
    }
    let always = Expr::Value(Operand::Integer(1));
    let strip = |c: &Condition| {
        c.expr()
            .map_or_else(|| always.clone(), |e| satisfy(e, true))
    };
    equivalent_exprs(&strip(a), &strip(b))
}

/// Replaces every atom that reads `RollbackDisabled` by the constant that
/// makes it drop out: true where it is asserted, false under an odd number
/// of `NOT`s (`positive` tracks that).
fn satisfy(e: &Expr, positive: bool) -> Expr {
    let reads_it = |o: &Operand| matches!(o, Operand::Property(n) if n == ROLLBACK_DISABLED);
    match e {
        Expr::Value(o) if reads_it(o) => Expr::Value(Operand::Integer(i32::from(positive))),
        Expr::Compare { left, right, .. } if reads_it(left) || reads_it(right) => {
            Expr::Value(Operand::Integer(i32::from(positive)))
        }
        Expr::Value(_) | Expr::Compare { .. } => e.clone(),
        Expr::Not(inner) => Expr::Not(Box::new(satisfy(inner, !positive))),
        _ => {
            let (op, l, r) = e.as_binary().expect("remaining nodes are binary");
            Expr::binary(op, satisfy(l, positive), satisfy(r, positive))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::test_support::assert_actions;
    use crate::testing::MsiBuilder;

    const IE: &str = "InstallExecuteSequence";

    /// `InstallFoo` (deferred) with `InstallFooRollback`, same Binary: a certain pair.
    fn pair(rollback_condition: Option<&str>, action_condition: Option<&str>) -> MsiBuilder {
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
            .seq(IE, "InstallFooRollback", rollback_condition, 4000)
            .seq(IE, "InstallFoo", action_condition, 4001)
    }

    #[test]
    fn fires_when_conditions_differ() {
        let f = assert_actions(
            &ConditionMismatch,
            pair(Some("NOT Installed"), Some("NOT Installed AND NOT PATCH")),
            &["InstallFooRollback"],
        );
        assert_eq!(f[0].severity, Severity::Warning);
        assert_eq!(f[0].related, ["InstallFoo"]);
        assert!(f[0].message.contains("`NOT Installed`"), "{}", f[0].message);
        assert!(
            f[0].message.contains("`NOT Installed AND NOT PATCH`"),
            "{}",
            f[0].message
        );
        assert!(
            f[0].notes
                .iter()
                .any(|n| n.starts_with("paired because the names differ only")),
            "{:?}",
            f[0].notes
        );
        assert_eq!(f[0].location.column.as_deref(), Some("Condition"));
    }

    #[test]
    fn case_insensitive_comparison_is_a_difference() {
        let f = assert_actions(
            &ConditionMismatch,
            pair(Some(r#"REMOVE~="ALL""#), Some(r#"REMOVE="ALL""#)),
            &["InstallFooRollback"],
        );
        assert!(
            f[0].message.contains(r#"`REMOVE~="ALL"`"#),
            "{}",
            f[0].message
        );
    }

    #[test]
    fn a_missing_condition_on_one_side_is_a_difference() {
        let f = assert_actions(
            &ConditionMismatch,
            pair(None, Some("NOT Installed")),
            &["InstallFooRollback"],
        );
        assert!(
            f[0].message.contains("no condition (always runs)"),
            "{}",
            f[0].message
        );
    }

    #[test]
    fn quiet_for_equivalent_conditions() {
        for (a, b) in [
            (
                "NOT Installed AND VersionNT >= 600",
                "600 <= VersionNT and not Installed",
            ),
            ("NOT (Installed OR PATCH)", "NOT Installed AND NOT PATCH"),
            ("A <> 1", "NOT (A = 1)"),
            ("((NOT Installed))", "NOT   Installed"),
            ("", "1"),
        ] {
            assert_actions(&ConditionMismatch, pair(Some(a), Some(b)), &[]);
        }
        assert_actions(&ConditionMismatch, pair(None, None), &[]);
    }

    #[test]
    fn quiet_for_the_netfx_rollback_disabled_pattern() {
        let netfx = |commit: &str, deferred: &str| {
            MsiBuilder::new()
                .standard_execute()
                .binary("NetFxCA")
                .action(
                    "NetFxExecuteNativeImageInstall",
                    3073,
                    Some("NetFxCA"),
                    Some("ExecNetFx"),
                )
                .action(
                    "NetFxExecuteNativeImageCommitInstall",
                    3585,
                    Some("NetFxCA"),
                    Some("ExecNetFx"),
                )
                .seq(
                    IE,
                    "NetFxExecuteNativeImageCommitInstall",
                    Some(commit),
                    4050,
                )
                .seq(IE, "NetFxExecuteNativeImageInstall", Some(deferred), 4051)
        };
        assert_actions(
            &ConditionMismatch,
            netfx("RollbackDisabled <> 1", "RollbackDisabled = 1"),
            &[],
        );
        assert_actions(
            &ConditionMismatch,
            netfx(
                "NOT Installed AND RollbackDisabled <> 1",
                "RollbackDisabled=1 AND NOT Installed",
            ),
            &[],
        );
        assert_actions(
            &ConditionMismatch,
            netfx("NOT (RollbackDisabled = 1) AND A", "A AND RollbackDisabled"),
            &[],
        );
        // Something besides RollbackDisabled differs: still reported.
        assert_actions(
            &ConditionMismatch,
            netfx(
                "NOT Installed AND RollbackDisabled <> 1",
                "RollbackDisabled = 1",
            ),
            &["NetFxExecuteNativeImageCommitInstall"],
        );
    }

    #[test]
    fn quiet_when_a_condition_does_not_parse_or_a_row_never_runs() {
        assert_actions(
            &ConditionMismatch,
            pair(
                Some("NOT Installed AND"),
                Some("NOT Installed AND NOT PATCH"),
            ),
            &[],
        );
        let b = MsiBuilder::new()
            .standard_execute()
            .binary("Bin")
            .action("InstallFoo", 3073, Some("Bin"), Some("InstallFoo"))
            .action(
                "InstallFooRollback",
                3329,
                Some("Bin"),
                Some("InstallFooRollback"),
            )
            .seq(IE, "InstallFooRollback", Some("A"), 0)
            .seq(IE, "InstallFoo", Some("B"), 4001);
        assert_actions(&ConditionMismatch, b, &[]);
    }

    #[test]
    fn pairs_in_different_tables_are_not_compared() {
        let b = MsiBuilder::new()
            .standard_execute()
            .binary("Bin")
            .action("InstallFoo", 3073, Some("Bin"), Some("InstallFoo"))
            .action(
                "InstallFooRollback",
                3329,
                Some("Bin"),
                Some("InstallFooRollback"),
            )
            .seq(IE, "InstallFooRollback", Some("A"), 4000)
            .seq("AdminExecuteSequence", "InstallFoo", Some("B"), 4001);
        assert_actions(&ConditionMismatch, b, &[]);
    }

    #[test]
    fn a_narrower_rollback_is_info() {
        let f = assert_actions(
            &ConditionMismatch,
            pair(Some("NOT Installed"), Some(r#"NOT REMOVE="ALL""#)),
            &["InstallFooRollback"],
        );
        assert_eq!(f[0].severity, Severity::Info);
        assert!(f[0].notes.iter().any(|n| n.contains("narrower")));
        // The other way round the rollback runs where its action did nothing.
        let f = assert_actions(
            &ConditionMismatch,
            pair(Some(r#"NOT REMOVE="ALL""#), Some("NOT Installed")),
            &["InstallFooRollback"],
        );
        assert_eq!(f[0].severity, Severity::Warning);
    }
}
