use crate::finding::Location;
use crate::model::action_type::BaseKind;
use crate::rules::{scheduled_custom_actions, Context, Report, Rule, RuleMeta};

declare_rule! {
    /// ## What it does
    /// Finds error actions (type 19) scheduled with no condition.
    ///
    /// ## Why is this bad?
    /// A type 19 action always fails, which ends the installation. Without a condition
    /// it runs every time, so the package can never be installed.
    ///
    /// ## Example
    /// | Action | Condition | Sequence |
    /// |---|---|---|
    /// | `BlockOldOS` | | 10 |
    ///
    /// ## Use instead
    /// Give the row the condition under which installation must stop, e.g.
    /// `VersionNT < 601`.
    ///
    /// ## References
    /// "Custom Action Type 19".
    pub struct UnconditionalError {
        code: "MCA205",
        name: "unconditional-error",
        severity: Error,
        summary: "An error action (type 19) with no condition in a sequence: it always aborts",
    }
}

impl Rule for UnconditionalError {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, cx: &mut Context) {
        for (seq, row, ca) in scheduled_custom_actions(cx.pkg) {
            if ca.action_type.kind() != BaseKind::ErrorMessage
                || row.order.is_none()
                || row.has_condition()
            {
                continue;
            }
            cx.report(
                Report::new(
                    format!("error action `{}` has no condition in {}, so it always ends the installation", ca.name, seq.kind.table_name()),
                    Location::sequence_row(seq, row, "Condition"),
                )
                .help("add the condition under which the installation must stop")
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
    fn fires_without_condition_only() {
        let t = "InstallExecuteSequence";
        let b = MsiBuilder::new()
            .action("Always", 19, None, Some("no"))
            .action("Guarded", 19, None, Some("no"))
            .action("Blank", 19, None, Some("no"))
            .seq(t, "Always", None, 10)
            .seq(t, "Guarded", Some("VersionNT < 601"), 11)
            .seq(t, "Blank", Some("  "), 12);
        assert_actions(&UnconditionalError, b, &["Always", "Blank"]);
    }
}
