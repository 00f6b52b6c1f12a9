use crate::finding::Location;
use crate::model::WindowPosition;
use crate::rules::{scheduled_custom_actions, Context, Report, Rule, RuleMeta};

declare_rule! {
    /// ## What it does
    /// Finds in-script actions (deferred, rollback or commit) scheduled in an execute
    /// sequence before `InstallInitialize`, after `InstallFinalize`, or in a table where
    /// the script window does not exist.
    ///
    /// ## Why is this bad?
    /// In-script actions are written into the installation script, which exists only
    /// between `InstallInitialize` and `InstallFinalize`. Outside that window the
    /// installer stops with error 2762 ("Unable to schedule operation"). ICE77 reports
    /// the same.
    ///
    /// ## Example
    /// | Table | Action | Sequence |
    /// |---|---|---|
    /// | CustomAction | `ConfigureService` | Type 3073 |
    /// | InstallExecuteSequence | `ConfigureService` | 1400 |
    /// | InstallExecuteSequence | `InstallInitialize` | 1500 |
    ///
    /// ## Use instead
    /// Schedule the action between `InstallInitialize` and `InstallFinalize`, usually
    /// after `InstallFiles` (for example at 4001).
    ///
    /// ## References
    /// ICE77; Windows Installer error 2762; "Deferred Execution Custom Actions".
    pub struct DeferredOutsideScript {
        code: "MCA101",
        name: "deferred-outside-script",
        severity: Error,
        summary: "An in-script action scheduled outside the InstallInitialize..InstallFinalize window",
    }
}

impl Rule for DeferredOutsideScript {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, cx: &mut Context) {
        for (seq, row, ca) in scheduled_custom_actions(cx.pkg) {
            if !seq.kind.is_execute() || !ca.action_type.in_script() {
                continue;
            }
            let execution = ca.action_type.execution_short();
            let place = match seq.window_position(row) {
                WindowPosition::Inside | WindowPosition::NotRun => continue,
                WindowPosition::Before => "before InstallInitialize".to_string(),
                WindowPosition::After if row.termination().is_some() => {
                    "as a termination action, after the script has ended".to_string()
                }
                WindowPosition::After => "after InstallFinalize".to_string(),
                WindowPosition::NoWindow => {
                    "in a table without both InstallInitialize and InstallFinalize".to_string()
                }
            };
            cx.report(
                Report::new(
                    format!("{execution} action `{}` is scheduled at {} in {} {place}", ca.name, row.position_label(), seq.kind.table_name()),
                    Location::sequence_row(seq, row, "Sequence"),
                )
                .help("schedule in-script actions between InstallInitialize and InstallFinalize; the installer fails with error 2762 otherwise")
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

    fn package() -> MsiBuilder {
        MsiBuilder::new().standard_execute().binary("Bin")
    }

    #[test]
    fn fires_before_initialize_after_finalize_and_at_termination() {
        let b = package()
            .action("Early", 3073, Some("Bin"), Some("E"))
            .action("Late", 1281, Some("Bin"), Some("L"))
            .action("AtExit", 1537, Some("Bin"), Some("X"))
            .seq(IE, "Early", None, 1400)
            .seq(IE, "Late", None, 6601)
            .seq(IE, "AtExit", None, -1);
        let f = assert_actions(&DeferredOutsideScript, b, &["AtExit", "Early", "Late"]);
        assert!(
            f[1].message.contains("before InstallInitialize"),
            "{}",
            f[1].message
        );
        assert!(f[2].message.contains("after InstallFinalize"));
        assert_eq!(f[1].sequence, Some(1400));
    }

    #[test]
    fn quiet_inside_the_window_for_immediate_and_unscheduled() {
        let b = package()
            .action("Inside", 3073, Some("Bin"), Some("I"))
            .action("Immediate", 1, Some("Bin"), Some("M"))
            .action("Never", 3073, Some("Bin"), Some("N"))
            .seq(IE, "Inside", None, 4001)
            .seq(IE, "Immediate", None, 100)
            .seq(IE, "Never", None, 0);
        assert_actions(&DeferredOutsideScript, b, &[]);
    }

    #[test]
    fn fires_when_the_window_is_missing() {
        let b = MsiBuilder::new()
            .binary("Bin")
            .action("D", 1025, Some("Bin"), Some("D"))
            .seq(IE, "D", None, 4001);
        let f = assert_actions(&DeferredOutsideScript, b, &["D"]);
        assert!(f[0].message.contains("without both InstallInitialize"));
    }

    #[test]
    fn merge_module_rows_are_placed_by_their_anchor() {
        let t = "ModuleInstallExecuteSequence";
        let b = MsiBuilder::merge_module()
            .binary("Bin")
            .action("Good", 3073, Some("Bin"), Some("G"))
            .action("Bad", 3073, Some("Bin"), Some("B"))
            .module_seq(t, "InstallFiles", Some(4000), None, None, None)
            .module_seq(t, "CostFinalize", Some(1000), None, None, None)
            .module_seq(t, "Good", None, Some("InstallFiles"), Some(true), None)
            .module_seq(t, "Bad", None, Some("CostFinalize"), Some(true), None);
        assert_actions(&DeferredOutsideScript, b, &["Bad"]);
    }
}
