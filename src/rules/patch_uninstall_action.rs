use crate::finding::Location;
use crate::model::Origin;
use crate::rules::{Context, Report, Rule, RuleMeta};

declare_rule! {
    /// ## What it does
    /// Finds a custom action that a patch (`-p`) adds to the product, that is scheduled,
    /// and that does not carry the PatchUninstall option (`ExtendedType` 0x8000).
    ///
    /// ## Why is this bad?
    /// When a patch is removed, its transforms are no longer in effect: an action only
    /// the patch added is not in the package being maintained, so it cannot run to undo
    /// what it did while the patch was installed. From Windows Installer 4.5 on, the
    /// PatchUninstall option makes the action run during the patch's removal. Many
    /// patch actions need no undo, so this is only information.
    ///
    /// ## Example
    /// A patch adds `RegisterPlugin`, which writes a registry value outside the
    /// Registry table; removing the patch leaves the value behind.
    ///
    /// ## Use instead
    /// Give the action `ExtendedType` 0x8000 (WiX: `PatchUninstall="yes"`) and condition
    /// it on `MSIPATCHREMOVE`, or put the undoing action in the original package (or a
    /// patch that is always applied).
    ///
    /// ## References
    /// Custom action patch uninstall option; patch uninstall custom actions;
    /// msi-reference 1.10 and 8.3.
    pub struct PatchUninstallAction {
        code: "MCA605",
        name: "patch-uninstall-action",
        severity: Info,
        summary: "A custom action a patch adds cannot run when the patch is removed (no PatchUninstall option)",
    }
}

impl Rule for PatchUninstallAction {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, cx: &mut Context) {
        if cx.pkg.patches.is_empty() {
            return;
        }
        for ca in &cx.pkg.custom_actions {
            if !matches!(ca.row.origin, Origin::Added(_))
                || cx.pkg.patch_transform(&ca.row.origin).is_none()
                || ca.action_type.patch_uninstall()
                || cx.pkg.schedules(&ca.name).next().is_none()
            {
                continue;
            }
            cx.report(
                Report::new(
                    format!(
                        "custom action `{}`, {}, cannot run when the patch is removed: it has no PatchUninstall option (ExtendedType 0x8000)",
                        ca.name,
                        ca.row.origin.describe().unwrap_or_default()
                    ),
                    Location::custom_action(ca, "ExtendedType"),
                )
                .action(&ca.name)
                .action_type(ca.action_type)
                .help("if what it does must be undone when the patch is removed, give it ExtendedType 0x8000 (WiX: PatchUninstall=\"yes\") and condition it on MSIPATCHREMOVE"),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::{MsiBuilder, PatchBuilder, TransformBuilder};

    const CODE: &str = "{11111111-1111-1111-1111-111111111111}";

    fn actions(product: TransformBuilder) -> Vec<String> {
        let pkg = MsiBuilder::new()
            .standard_execute()
            .property("ProductCode", CODE)
            .action_extended("Existing", 3073, Some("Lib"), Some("Run"), 0)
            .seq("InstallExecuteSequence", "Existing", None, 4100)
            .load_with_patches(&[], &[PatchBuilder::new(&[CODE]).pair("rtm", product)]);
        crate::engine::run_rules(&pkg, &[&PatchUninstallAction], &Default::default())
            .into_iter()
            .map(|f| {
                assert_eq!(f.severity, crate::finding::Severity::Info);
                f.action.unwrap_or_default()
            })
            .collect()
    }

    fn add(name: &str, extended: Option<i32>, scheduled: bool) -> TransformBuilder {
        let ext = extended.map_or(crate::testing::Cell::Null, Into::into);
        let t = TransformBuilder::new().insert(
            "CustomAction",
            vec![name.into(), 3073.into(), "Lib".into(), "Run".into(), ext],
        );
        if scheduled {
            t.insert(
                "InstallExecuteSequence",
                vec![name.into(), crate::testing::Cell::Null, 4200.into()],
            )
        } else {
            t
        }
    }

    #[test]
    fn an_added_action_without_the_option_is_reported() {
        assert_eq!(actions(add("Added", None, true)), ["Added"]);
    }

    #[test]
    fn the_option_an_unscheduled_action_and_a_changed_one_are_not() {
        assert!(actions(add("Added", Some(0x8000), true)).is_empty());
        assert!(actions(add("Added", None, false)).is_empty());
        assert!(actions(TransformBuilder::new().update(
            "CustomAction",
            vec!["Existing".into()],
            vec![(3, "RunFixed".into())]
        ))
        .is_empty());
    }
}
