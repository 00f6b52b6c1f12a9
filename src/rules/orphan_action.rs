use crate::finding::Location;
use crate::rules::{Context, Report, Rule, RuleMeta};

declare_rule! {
    /// ## What it does
    /// Finds custom actions that nothing msica can see reaches: no sequence table, no
    /// DoAction control event, and no scheduler pattern (a sequenced immediate action
    /// running code from the same Binary or File, WiX's scheduler/executor binary pairs,
    /// or a CustomActionData setter for the action). A deferred, rollback or commit action
    /// can only be scheduled by an action inside the script window: `MsiDoAction` fails
    /// with error 2762 anywhere else.
    ///
    /// ## Why is this bad?
    /// Usually nothing: an unreachable action is dead weight, often left behind by a
    /// rename. It can also mean the author forgot to schedule it. Actions may be called by
    /// `MsiDoAction` from code msica cannot read, so this is only information.
    ///
    /// ## Example
    /// | Action | Type | Source |
    /// |---|---|---|
    /// | `OldCleanup` | 1 | `LegacyCA` |
    ///
    /// ## Use instead
    /// Schedule the action, or remove it together with its Binary row.
    ///
    /// ## References
    /// "CustomAction Table"; msi-reference 7.1 and 7.7.
    pub struct OrphanAction {
        code: "MCA110",
        name: "orphan-action",
        severity: Info,
        summary: "A custom action that no sequence, no DoAction control event and no scheduler pattern reaches",
    }
}

impl Rule for OrphanAction {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, cx: &mut Context) {
        for ca in &cx.pkg.custom_actions {
            if cx.roles.contains_key(&ca.name) {
                continue;
            }
            cx.report(
                Report::new(
                    format!("custom action `{}` is not scheduled in any sequence and no DoAction event calls it", ca.name),
                    Location::custom_action(ca, "Action"),
                )
                .help("schedule the action or remove it; ignore this if code calls it through MsiDoAction")
                .action(&ca.name)
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
    fn fires_only_for_unreached_actions() {
        let b = MsiBuilder::new()
            .standard_execute()
            .binary("Sched")
            .binary("Lone")
            .dialog("D")
            .action("SchedFoo", 1, Some("Sched"), Some("SchedFoo"))
            .action("ExecFoo", 3073, Some("Sched"), Some("ExecFoo"))
            .action("Clicked", 1, Some("Lone"), Some("Click"))
            .action("Forgotten", 1, Some("Lone"), Some("Forgotten"))
            .seq("InstallExecuteSequence", "SchedFoo", None, 4001)
            .control_event("D", "Next", "DoAction", "Clicked", "1");
        assert_actions(&OrphanAction, b, &["Forgotten"]);
    }

    #[test]
    fn wix_executor_binary_of_a_scheduler_is_reached() {
        let b = MsiBuilder::new()
            .standard_execute()
            .binary("ScaSchedule")
            .binary("ScaExecute")
            .action(
                "ConfigureUsers",
                1,
                Some("ScaSchedule"),
                Some("ConfigureUsers"),
            )
            .action("CreateUser", 11265, Some("ScaExecute"), Some("CreateUser"))
            .seq("InstallExecuteSequence", "ConfigureUsers", None, 3999);
        assert_actions(&OrphanAction, b, &[]);
    }
}
