use crate::model::action_type::TypeProblem;
use crate::rules::{report_type_problems, Context, Rule, RuleMeta};

declare_rule! {
    /// ## What it does
    /// Finds the no-impersonate bit (`0x800`) or the TS-aware bit (`0x4000`) on an
    /// action that is not in-script.
    ///
    /// ## Why is this bad?
    /// Both bits only take effect together with `0x400`. An immediate action always
    /// runs with the installing user's rights, so an author who set `0x800` to get
    /// elevation does not get it and the action may fail with access denied. ICE68 warns.
    ///
    /// ## Example
    /// | Action | Type |
    /// |---|---|
    /// | `RegisterDriver` | 2049 (DLL, immediate, no-impersonate) |
    ///
    /// ## Use instead
    /// Make the action deferred (3073) if it needs system rights, or drop the bit (1).
    ///
    /// ## References
    /// ICE68; "Custom Action In-Script Execution Options".
    pub struct NoImpersonateIgnored {
        code: "MCA207",
        name: "no-impersonate-ignored",
        severity: Warning,
        summary: "The no-impersonate or TS-aware bit on an action that is not in-script, where it has no effect",
    }
}

impl Rule for NoImpersonateIgnored {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, cx: &mut Context) {
        report_type_problems(
            cx,
            &[TypeProblem::NoImpersonateNotInScript, TypeProblem::TsAwareNotInScript],
            "make the action deferred (add 0x400) if it needs the system context, or remove the bit",
            &[],
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::test_support::assert_actions;
    use crate::testing::MsiBuilder;

    #[test]
    fn fires_on_immediate_actions_only() {
        let b = MsiBuilder::new()
            .action("Imm", 2049, Some("Bin"), Some("x"))
            .action("Ts", 1 + 0x4000, Some("Bin"), Some("x"))
            .action("Deferred", 3073, Some("Bin"), Some("x"))
            .action("DeferredTs", 1025 + 0x4000, Some("Bin"), Some("x"));
        assert_actions(&NoImpersonateIgnored, b, &["Imm", "Ts"]);
    }
}
