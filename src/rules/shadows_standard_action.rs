use crate::finding::{Location, Severity};
use crate::model::standard::is_reserved_action;
use crate::rules::{Context, Report, Rule, RuleMeta};

declare_rule! {
    /// ## What it does
    /// Finds custom actions named like a standard or top-level action (ICE93), and, as a
    /// warning, custom actions whose name starts with the reserved `Msi` prefix.
    ///
    /// ## Why is this bad?
    /// The installer looks a name up as a standard action first, so a custom action
    /// named `InstallFiles` is never called: the standard action runs instead. Microsoft
    /// reserves the `Msi` prefix (any letter case) for future tables, properties and
    /// actions.
    ///
    /// ## Example
    /// | Action | Type |
    /// |---|---|
    /// | `BindImage` | 1 |
    ///
    /// ## Use instead
    /// Rename the custom action, e.g. `MyCompanyBindImage`.
    ///
    /// ## References
    /// ICE93; "Naming Custom Tables, Properties, and Actions".
    pub struct ShadowsStandardAction {
        code: "MCA114",
        name: "shadows-standard-action",
        severity: Error,
        summary: "A custom action named like a standard action",
    }
}

impl Rule for ShadowsStandardAction {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, cx: &mut Context) {
        for ca in &cx.pkg.custom_actions {
            let report = if is_reserved_action(&ca.name) {
                Report::new(
                    format!(
                        "custom action `{}` has the name of a standard action and is never called",
                        ca.name
                    ),
                    Location::custom_action(ca, "Action"),
                )
                .help("rename the custom action and its sequence rows")
            } else if ca
                .name
                .get(..3)
                .is_some_and(|p| p.eq_ignore_ascii_case("msi"))
                && !crate::analysis::is_microsoft_module_action(&ca.name)
            {
                Report::new(
                    format!("custom action `{}` uses the `Msi` prefix Microsoft reserves for its own actions", ca.name),
                    Location::custom_action(ca, "Action"),
                )
                .help("rename the custom action with a prefix of your own")
                .cap(Severity::Warning)
            } else {
                continue;
            };
            cx.report(report.action(&ca.name).action_type(ca.action_type));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::test_support::assert_actions;
    use crate::testing::MsiBuilder;

    #[test]
    fn fires_on_standard_names_and_msi_prefix() {
        let b = MsiBuilder::new()
            .binary("Bin")
            .action("BindImage", 1, Some("Bin"), Some("E"))
            .action("MsiDoSomething", 1, Some("Bin"), Some("E"))
            .action("MyInstallFiles", 1, Some("Bin"), Some("E"))
            .action("installfiles", 1, Some("Bin"), Some("E"))
            .action(
                "MsiProcessDrivers",
                1,
                Some("DIFxApp.dll"),
                Some("ProcessDriverPackages"),
            );
        let f = assert_actions(&ShadowsStandardAction, b, &["BindImage", "MsiDoSomething"]);
        assert_eq!(f[0].severity, Severity::Error);
        assert_eq!(f[1].severity, Severity::Warning);
    }
}
