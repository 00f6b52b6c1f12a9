use crate::finding::Location;
use crate::rules::{scheduled_custom_actions, Context, Report, Rule, RuleMeta};

declare_rule! {
    /// ## What it does
    /// Finds custom actions other than types 19 (error), 35 (set directory) and 51 (set
    /// property) in `AdvtExecuteSequence`.
    ///
    /// ## Why is this bad?
    /// Advertisement runs without the product's files and without the full install
    /// logic. The AdvtExecuteSequence table page says custom actions cannot be used
    /// there; ICE72 tolerates only 19, 35 and 51 and reports everything else as an error.
    ///
    /// ## Example
    /// | Table | Action | Type |
    /// |---|---|---|
    /// | AdvtExecuteSequence | `RegisterAddin` | 1 |
    ///
    /// ## Use instead
    /// Remove the action from AdvtExecuteSequence; do the work in InstallExecuteSequence,
    /// which runs when the advertised product is installed on first use.
    ///
    /// ## References
    /// ICE72; "AdvtExecuteSequence Table".
    pub struct AdvertiseSequenceAction {
        code: "MCA108",
        name: "advertise-sequence-action",
        severity: Error,
        summary: "A custom action other than types 19, 35, 51 in AdvtExecuteSequence",
    }
}

impl Rule for AdvertiseSequenceAction {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, cx: &mut Context) {
        for (seq, row, ca) in scheduled_custom_actions(cx.pkg) {
            if !seq.kind.is_advertise()
                || !seq.kind.is_execute()
                || matches!(ca.action_type.base_type(), 19 | 35 | 51)
            {
                continue;
            }
            cx.report(
                Report::new(
                    format!("custom action `{}` (Type {}) is scheduled in {}", ca.name, ca.action_type.raw, seq.kind.table_name()),
                    Location::sequence_row(seq, row, "Action"),
                )
                .help("only types 19, 35 and 51 may appear in the advertise sequence; move the action to InstallExecuteSequence")
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
    fn fires_on_code_actions_only() {
        let t = "AdvtExecuteSequence";
        let b = MsiBuilder::new()
            .binary("Bin")
            .action("Code", 1, Some("Bin"), Some("E"))
            .action("SetProp", 51, Some("P"), Some("1"))
            .action("Err", 19, None, Some("no"))
            .seq(t, "Code", None, 10)
            .seq(t, "SetProp", None, 11)
            .seq(t, "Err", Some("X"), 12)
            .seq("InstallExecuteSequence", "Code", None, 10);
        assert_actions(&AdvertiseSequenceAction, b, &["Code"]);
    }
}
