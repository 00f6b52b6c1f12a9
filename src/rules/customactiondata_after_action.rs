use crate::finding::Location;
use crate::rules::{Context, Report, Rule, RuleMeta};

declare_rule! {
    /// ## What it does
    /// Finds a deferred action whose CustomActionData setter (a type 51 action writing
    /// the property named exactly like the deferred action) is scheduled after it in the
    /// execute sequence, or only in a UI sequence.
    ///
    /// ## Why is this bad?
    /// A deferred action cannot read properties; it receives only the value of the
    /// property named after it, captured when the action is written into the script. A
    /// setter that runs later, or only in the UI sequence (skipped at basic or no UI, and
    /// whose private properties never reach the execute sequence), leaves
    /// CustomActionData empty.
    ///
    /// ## Example
    /// | Action | Type | Source | Sequence |
    /// |---|---|---|---|
    /// | `InstallFoo` | 3073 | `FooCA` | 4001 |
    /// | `SetInstallFoo` | 51 | `InstallFoo` | 4002 |
    ///
    /// ## Use instead
    /// Schedule the setter in the execute sequence before the deferred action.
    ///
    /// ## References
    /// "Obtaining Context Information for Deferred Execution Custom Actions"; msi-reference 5.2.
    pub struct CustomactiondataAfterAction {
        code: "MCA112",
        name: "customactiondata-after-action",
        severity: Warning,
        summary: "The action that sets a deferred action's CustomActionData is scheduled after it, or only in a UI sequence",
    }
}

impl Rule for CustomactiondataAfterAction {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, cx: &mut Context) {
        let pkg = cx.pkg;
        for deferred in pkg
            .custom_actions
            .iter()
            .filter(|ca| ca.action_type.in_script())
        {
            let setters: Vec<_> = pkg.setters_of(&deferred.name).collect();
            if setters.is_empty() {
                continue;
            }
            for seq in pkg.sequences.iter().filter(|s| s.kind.is_execute()) {
                let Some(row) = seq.row(&deferred.name) else {
                    continue;
                };
                let Some(order) = row.order else { continue };
                let setter_rows: Vec<_> = setters
                    .iter()
                    .filter_map(|s| seq.row(&s.name).map(|r| (s, r)))
                    .collect();
                if setter_rows
                    .iter()
                    .any(|(_, r)| r.order.is_some_and(|o| o < order))
                {
                    continue;
                }
                let (message, related) = match setter_rows.iter().find(|(_, r)| r.order.is_some()) {
                    Some((setter, setter_row)) => (
                        format!(
                            "`{}` sets the CustomActionData of `{}` at {}, after the action runs at {} in {}",
                            setter.name,
                            deferred.name,
                            setter_row.position_label(),
                            row.position_label(),
                            seq.kind.table_name()
                        ),
                        setter.name.clone(),
                    ),
                    None => {
                        let setter = setters[0];
                        if pkg.schedules(&setter.name).next().is_none() {
                            continue; // set at run time by code msica cannot see
                        }
                        (
                            format!(
                                "`{}` sets the CustomActionData of `{}` only outside {}, so the action gets no data there",
                                setter.name,
                                deferred.name,
                                seq.kind.table_name()
                            ),
                            setter.name.clone(),
                        )
                    }
                };
                cx.report(
                    Report::new(message, Location::sequence_row(seq, row, "Sequence"))
                        .help(format!(
                            "schedule `{related}` in {} before `{}`",
                            seq.kind.table_name(),
                            deferred.name
                        ))
                        .action(&deferred.name)
                        .row(row)
                        .related(&related),
                );
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::test_support::assert_actions;
    use crate::testing::MsiBuilder;

    const IE: &str = "InstallExecuteSequence";

    fn package(setter_table: &str, setter_seq: i32) -> MsiBuilder {
        MsiBuilder::new()
            .standard_execute()
            .binary("Bin")
            .action("InstallFoo", 3073, Some("Bin"), Some("InstallFoo"))
            .action(
                "SetInstallFoo",
                51,
                Some("InstallFoo"),
                Some("[INSTALLDIR]"),
            )
            .seq(IE, "InstallFoo", None, 4001)
            .seq(setter_table, "SetInstallFoo", None, setter_seq)
    }

    #[test]
    fn fires_when_the_setter_runs_later_or_only_in_ui() {
        let f = assert_actions(
            &CustomactiondataAfterAction,
            package(IE, 4002),
            &["InstallFoo"],
        );
        assert_eq!(f[0].related, ["SetInstallFoo"]);
        let f = assert_actions(
            &CustomactiondataAfterAction,
            package("InstallUISequence", 1001),
            &["InstallFoo"],
        );
        assert!(f[0].message.contains("only outside"));
    }

    #[test]
    fn quiet_when_the_setter_runs_first() {
        assert_actions(&CustomactiondataAfterAction, package(IE, 4000), &[]);
    }
}
