use crate::finding::Location;
use crate::rules::{Context, Report, Rule, RuleMeta};

declare_rule! {
    /// ## What it does
    /// Reads the script of every VBScript and JScript action stored in the Binary table
    /// or installed as a file (types 5, 6, 21, 22) and checks that the function its
    /// Target names is defined: case-insensitively for VBScript (`Function` or `Sub`),
    /// case-sensitively for JScript (`function NAME`, `NAME = function`). An empty
    /// Target runs the script's top level and is not checked.
    ///
    /// ## Why is this bad?
    /// The script engine loads the script and calls the function by name; a name the
    /// script does not define fails the action with error 1720 ("there is a problem
    /// with this Windows Installer package. A script required for this install to
    /// complete could not be run").
    ///
    /// ## Example
    /// | Action | Type | Source | Target |
    /// |---|---|---|---|
    /// | `CheckPrereqs` | 6 | `checks.vbs` (defines `CheckPrerequisites`) | `CheckPrereqs` |
    ///
    /// ## Use instead
    /// Set Target to the function's name, or rename the function.
    ///
    /// ## References
    /// "Custom Action Type 6"; Windows Installer error 1720.
    pub struct ScriptFunctionMissing {
        code: "MCA305",
        name: "script-function-missing",
        severity: Error,
        summary: "A VBScript or JScript action whose Target names a function the script does not define: 1720",
    }
}

impl Rule for ScriptFunctionMissing {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, cx: &mut Context) {
        for (ca, code) in cx.pkg.actions_with_code() {
            let Some(script) = code.code.script() else {
                continue;
            };
            let target = ca.target.as_deref().unwrap_or_default().trim();
            if target.is_empty() || script.cut || script.defines(target) {
                continue;
            }
            let defined = if script.functions.is_empty() {
                "it defines no function".to_owned()
            } else {
                let names: Vec<String> = script
                    .functions
                    .iter()
                    .take(8)
                    .map(|f| format!("`{f}`"))
                    .collect();
                format!("it defines {}", names.join(", "))
            };
            cx.report(
                Report::new(
                    format!(
                        "`{}` calls `{target}`, which the {} in {} does not define",
                        ca.name,
                        code.summary.kind.describe(),
                        code.summary.origin
                    ),
                    Location::custom_action(ca, "Target"),
                )
                .help(format!(
                    "set Target to the function to call ({defined}), or define `{target}`"
                ))
                .code_of(ca, &code.summary),
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
    fn fires_on_an_undefined_function_with_each_engines_case_rules() {
        let vbs = b"Option Explicit\r\nFunction CheckPrerequisites()\r\n  CheckPrerequisites = 1\r\nEnd Function\r\n";
        let js = b"function CheckPrerequisites() { return 1; }\r\n";
        let b = MsiBuilder::new()
            .binary_data("Vbs", vbs)
            .binary_data("Js", js)
            .action("VbsOtherCase", 6, Some("Vbs"), Some("checkprerequisites"))
            .action("VbsMissing", 6, Some("Vbs"), Some("CheckPrereqs"))
            .action("VbsTopLevel", 6, Some("Vbs"), None)
            .action("JsOtherCase", 5, Some("Js"), Some("checkprerequisites"))
            .action("JsRight", 5, Some("Js"), Some("CheckPrerequisites"));
        let findings = assert_actions(&ScriptFunctionMissing, b, &["JsOtherCase", "VbsMissing"]);
        assert!(findings[1].help.contains("`CheckPrerequisites`"));
    }
}
