use crate::finding::Location;
use crate::rules::{Context, Report, Rule, RuleMeta};

declare_rule! {
    /// ## What it does
    /// Finds actions whose kind needs a Target but whose Target is empty: DLL actions
    /// (1, 17: the entry point), EXE by full path (34: the command line), inline scripts
    /// (37, 38: the script text), error actions (19: the message) and set-directory
    /// actions (35: the path).
    ///
    /// ## Why is this bad?
    /// The installer has nothing to call or run: a DLL action without an entry point
    /// fails with error 1723, a type 34 without a command line with 1721. An empty type
    /// 19 shows a blank error. (An empty Target on a set-property action is legitimate: it
    /// clears the property.)
    ///
    /// ## Example
    /// | Action | Type | Source | Target |
    /// |---|---|---|---|
    /// | `Configure` | 3073 | `ConfigCA` | |
    ///
    /// ## Use instead
    /// Put the exported function name (or command line, script, message) in Target.
    ///
    /// ## References
    /// "Custom Action Type 1", "34", "37", "19", "35"; Windows Installer errors 1721, 1723.
    pub struct EmptyTarget {
        code: "MCA206",
        name: "empty-target",
        severity: Error,
        summary: "An action whose kind needs a Target with an empty Target",
    }
}

impl Rule for EmptyTarget {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, cx: &mut Context) {
        for ca in &cx.pkg.custom_actions {
            let needs = match ca.action_type.base_type() {
                1 | 17 => "a DLL entry point",
                34 => "the full path and command line of the EXE",
                37 | 38 => "the script text",
                19 => "the error message or an Error table number",
                35 => "the directory path",
                _ => continue,
            };
            if ca.target.as_deref().is_some_and(|t| !t.trim().is_empty()) {
                continue;
            }
            cx.report(
                Report::new(
                    format!(
                        "`{}` has an empty Target, but its type needs {needs}",
                        ca.name
                    ),
                    Location::custom_action(ca, "Target"),
                )
                .help(format!("put {needs} in the Target column"))
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
    fn fires_where_target_is_required() {
        let b = MsiBuilder::new()
            .action("NoEntry", 3073, Some("Bin"), None)
            .action("BlankEntry", 1, Some("Bin"), Some(" "))
            .action("ClearProp", 51, Some("P"), None)
            .action("ExeArgs", 2, Some("Bin"), None)
            .action("Ok", 1, Some("Bin"), Some("Entry"));
        assert_actions(&EmptyTarget, b, &["BlankEntry", "NoEntry"]);
    }
}
