use crate::finding::Location;
use crate::model::action_type::BaseKind;
use crate::rules::{scheduled_custom_actions, Context, Report, Rule, RuleMeta};

declare_rule! {
    /// ## What it does
    /// Finds set-directory actions (type 35) scheduled before `CostFinalize`, or in a
    /// sequence table that has no `CostFinalize` at all.
    ///
    /// ## Why is this bad?
    /// Type 35 calls `MsiSetTargetPath`, which works only once the directory manager is
    /// initialised by `CostFinalize`. Earlier it fails with error 2732. ICE12 reports it.
    ///
    /// ## Example
    /// | Action | Type | Source | Sequence |
    /// |---|---|---|---|
    /// | `SetDataDir` | 35 | `DATADIR` | 990 |
    /// | `CostFinalize` | | | 1000 |
    ///
    /// ## Use instead
    /// Schedule type 35 after `CostFinalize`, or set the directory's property with a
    /// type 51 action before `CostFinalize`.
    ///
    /// ## References
    /// ICE12; "Custom Action Type 35"; Windows Installer error 2732.
    pub struct SetDirectoryTooEarly {
        code: "MCA107",
        name: "set-directory-too-early",
        severity: Error,
        summary: "A set-directory action (type 35) before CostFinalize",
    }
}

impl Rule for SetDirectoryTooEarly {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, cx: &mut Context) {
        for (seq, row, ca) in scheduled_custom_actions(cx.pkg) {
            if ca.action_type.kind() != BaseKind::SetDirectory {
                continue;
            }
            let Some(order) = row.order else { continue };
            let problem = match seq.order_of("CostFinalize") {
                Some(cost) if order < cost => "before CostFinalize".to_string(),
                Some(_) => continue,
                None if seq.kind.is_module() => continue, // placed against the package's CostFinalize when merged
                None => "in a table without CostFinalize".to_string(),
            };
            cx.report(
                Report::new(
                    format!("set-directory action `{}` is scheduled at {} in {} {problem}", ca.name, row.position_label(), seq.kind.table_name()),
                    Location::sequence_row(seq, row, "Sequence"),
                )
                .help("schedule type 35 actions after CostFinalize, or set the directory property with type 51 before it")
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

    const IE: &str = "InstallExecuteSequence";

    #[test]
    fn fires_before_cost_finalize_only() {
        let b = MsiBuilder::new()
            .standard_execute()
            .directory("DATADIR", None)
            .action("Early", 35, Some("DATADIR"), Some("[A]"))
            .action("Late", 35, Some("DATADIR"), Some("[B]"))
            .action("Prop", 51, Some("DATADIR"), Some("[C]"))
            .seq(IE, "Early", None, 990)
            .seq(IE, "Late", None, 1001)
            .seq(IE, "Prop", None, 801);
        assert_actions(&SetDirectoryTooEarly, b, &["Early"]);
    }

    #[test]
    fn fires_without_cost_finalize() {
        let b = MsiBuilder::new()
            .directory("D", None)
            .action("S", 35, Some("D"), Some("x"))
            .seq("InstallUISequence", "S", None, 5);
        let f = assert_actions(&SetDirectoryTooEarly, b, &["S"]);
        assert!(f[0].message.contains("without CostFinalize"));
    }
}
