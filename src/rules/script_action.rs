use crate::finding::Location;
use crate::rules::{Context, Report, Rule, RuleMeta};

declare_rule! {
    /// ## What it does
    /// Finds JScript and VBScript custom actions (types 5, 6, 21, 22, 37, 38, 53, 54).
    ///
    /// ## Why is this bad?
    /// Script custom actions depend on the Windows Script Host, which security software
    /// and hardened systems disable (errors 2738/2739), report errors badly, cannot be
    /// debugged, and are a favourite of malicious packages, so reviewers and scanners
    /// flag them. Microsoft recommends against them.
    ///
    /// ## Example
    /// | Action | Type | Source |
    /// |---|---|---|
    /// | `CheckPrereqs` | 6 | `checks.vbs` |
    ///
    /// ## Use instead
    /// Write the action as a DLL (C++ or a managed DTF action), or use a built-in feature
    /// (AppSearch, LaunchCondition, util extension actions).
    ///
    /// ## References
    /// "Custom Action Type 6"; Windows Installer errors 1720, 2738, 2739.
    pub struct ScriptAction {
        code: "MCA204",
        name: "script-action",
        severity: Warning,
        summary: "A VBScript or JScript custom action",
    }
}

impl Rule for ScriptAction {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, cx: &mut Context) {
        for ca in cx
            .pkg
            .custom_actions
            .iter()
            .filter(|ca| ca.action_type.is_script())
        {
            cx.report(
                Report::new(
                    format!(
                        "`{}` is a script action ({})",
                        ca.name,
                        ca.action_type.what_and_where()
                    ),
                    Location::custom_action(ca, "Type"),
                )
                .help("replace the script with a DLL custom action or a built-in feature")
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
    fn fires_on_scripts_only() {
        let b = MsiBuilder::new()
            .action("Vbs", 6, Some("Bin"), None)
            .action("InlineJs", 37, None, Some("var x = 1;"))
            .action("Dll", 1, Some("Bin"), Some("E"));
        assert_actions(&ScriptAction, b, &["InlineJs", "Vbs"]);
    }
}
