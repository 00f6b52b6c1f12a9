use crate::finding::Location;
use crate::model::action_type::BaseKind;
use crate::rules::{Context, Report, Rule, RuleMeta};

declare_rule! {
    /// ## What it does
    /// Finds nested installations: custom action types 7 (a package stored in this
    /// one), 23 (a package in the source tree) and 39 (an installed or advertised
    /// product).
    ///
    /// ## Why is this bad?
    /// Nested installations are deprecated. They cannot be serviced or patched on
    /// their own, do not appear in Programs and Features, share rollback with the parent
    /// in fragile ways, and type 23 needs the original source, which breaks patching
    /// without it.
    ///
    /// ## Example
    /// | Action | Type | Source | Target |
    /// |---|---|---|---|
    /// | `InstallRuntime` | 23 | `redist\runtime.msi` | `ALLUSERS=1` |
    ///
    /// ## Use instead
    /// Chain the packages with a bootstrapper (WiX Burn, for example) instead.
    ///
    /// ## References
    /// "Concurrent Installations"; msi-reference 6.2 rule 18.
    pub struct NestedInstall {
        code: "MCA203",
        name: "nested-install",
        severity: Warning,
        summary: "A nested installation (types 7, 23, 39): deprecated and fragile",
    }
}

impl Rule for NestedInstall {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, cx: &mut Context) {
        for ca in cx
            .pkg
            .custom_actions
            .iter()
            .filter(|ca| ca.action_type.kind() == BaseKind::NestedInstall)
        {
            cx.report(
                Report::new(
                    format!(
                        "`{}` is a nested installation ({})",
                        ca.name,
                        ca.action_type.what_and_where()
                    ),
                    Location::custom_action(ca, "Type"),
                )
                .help("chain the packages with a bootstrapper instead of nesting them")
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
    fn fires_on_types_7_23_39() {
        let b = MsiBuilder::new()
            .action("A", 7, Some("Sub"), None)
            .action("B", 23, Some("x.msi"), None)
            .action(
                "C",
                39,
                Some("{00000000-0000-0000-0000-000000000000}"),
                Some("REMOVE=ALL"),
            )
            .action("D", 2, Some("Bin"), None);
        assert_actions(&NestedInstall, b, &["A", "B", "C"]);
    }
}
