use crate::analysis::property_flow::{self, PASSED_ANYWAY};
use crate::rules::ui_only_property::read_location;
use crate::rules::{Context, Report, Rule, RuleMeta};

declare_rule! {
    /// ## What it does
    /// Finds public properties (no lower-case letter) that the user interface sets (a
    /// set-property action in InstallUISequence or called by a dialog, a control the
    /// user fills in, a `[NAME]` control event) and that InstallExecuteSequence reads
    /// (a row's condition, the formatted Target of an action it runs), but that are not
    /// listed in `SecureCustomProperties` and are not among the restricted public
    /// properties Windows passes anyway. Properties that the execute sequence sets again
    /// itself (a set-property action, AppSearch, an Upgrade row) and directory keys are
    /// left alone, and so is a package that sets `EnableUserControl`.
    ///
    /// ## Why is this bad?
    /// When the install elevates (a per-machine install started by a user, a managed
    /// install), the execute sequence runs in the Windows Installer service, and only
    /// the restricted public properties and those in `SecureCustomProperties` cross over
    /// from the UI. The log says "Ignoring disallowed property X" and the execute
    /// sequence sees the Property-table default or nothing: what the user typed or
    /// chose is silently lost.
    ///
    /// ## Example
    /// | Table | Row |
    /// |---|---|
    /// | Control | `OptionsDlg/Port`: Edit, Property `SERVICEPORT` |
    /// | InstallExecuteSequence | `SetConfigureService`, Target `port=[SERVICEPORT]` |
    /// | Property | `SecureCustomProperties` = `WIX_UPGRADE_DETECTED` |
    ///
    /// ## Use instead
    /// | Property | Value |
    /// |---|---|
    /// | `SecureCustomProperties` | `WIX_UPGRADE_DETECTED;SERVICEPORT` |
    ///
    /// (WiX: `<Property Id="SERVICEPORT" Secure="yes" />`.)
    ///
    /// ## References
    /// Microsoft: "SecureCustomProperties property", "Restricted Public Properties",
    /// "EnableUserControl property".
    pub struct InsecureUiProperty {
        code: "MCA119",
        name: "insecure-ui-property",
        severity: Warning,
        summary: "A public property set in the UI and read by the execute sequence, not in SecureCustomProperties: dropped when the install elevates",
    }
}

impl Rule for InsecureUiProperty {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, cx: &mut Context) {
        let pkg = cx.pkg;
        if pkg
            .property("EnableUserControl")
            .is_some_and(|v| !v.is_empty())
        {
            return;
        }
        let properties = property_flow::ui_properties(pkg, cx.conditions);
        if properties.is_empty() {
            return;
        }
        let secure = property_flow::secure_properties(pkg);
        for property in properties {
            let name = property.name;
            // A value the execute sequence computes again does not need
            // the UI's.
            if !property.is_public()
                || property.set_in_execute
                || property.directory
                || secure.contains(&name)
                || PASSED_ANYWAY.contains(&name)
            {
                continue;
            }
            let Some(first) = property.reads.first() else {
                continue;
            };
            let setters: Vec<String> = property.setters.iter().map(ToString::to_string).collect();
            let reads: Vec<String> = property.reads.iter().map(ToString::to_string).collect();
            let mut report = Report::new(
                format!(
                    "public property {name} is set in the user interface ({}) and read by {}, but is not in SecureCustomProperties: an elevated install ignores the UI's value",
                    setters.join(", "),
                    reads[0]
                ),
                read_location(pkg, first),
            )
            .help(format!(
                "add {name} to SecureCustomProperties (WiX: Secure=\"yes\" on its Property)"
            ))
            .action(first.action());
            if reads.len() > 1 {
                report = report.note(format!("also read by {}", reads[1..].join(", ")));
            }
            if let Some(default) = property.default {
                report = report.note(format!(
                    "the execute sequence then sees the Property-table value `{default}`"
                ));
            }
            cx.report(report);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::test_support::assert_actions;
    use crate::testing::MsiBuilder;

    const IE: &str = "InstallExecuteSequence";

    fn package(property: &str) -> MsiBuilder {
        MsiBuilder::new()
            .standard_execute()
            .control("OptionsDlg", "Port", "Edit", property)
            .action(
                "SetConfigure",
                51,
                Some("Configure"),
                Some(&format!("port=[{property}]")),
            )
            .seq(IE, "SetConfigure", None, 1600)
            .property(property, "8080")
    }

    #[test]
    fn fires_for_a_public_ui_property_that_is_not_secure() {
        let b = package("SERVICEPORT").property("SecureCustomProperties", "OTHER;NEWER");
        let f = assert_actions(&InsecureUiProperty, b, &["SetConfigure"]);
        assert!(f[0].message.contains("SERVICEPORT"), "{}", f[0].message);
        assert!(
            f[0].notes.iter().any(|n| n.contains("`8080`")),
            "{:?}",
            f[0].notes
        );
    }

    #[test]
    fn quiet_for_secure_private_restricted_and_directory_properties() {
        let secure =
            package("SERVICEPORT").property("SecureCustomProperties", "OTHER; SERVICEPORT");
        assert_actions(&InsecureUiProperty, secure, &[]);
        assert_actions(&InsecureUiProperty, package("ServicePort"), &[]);
        assert_actions(&InsecureUiProperty, package("REINSTALLMODE"), &[]);
        assert_actions(
            &InsecureUiProperty,
            package("INSTALLDIR").directory("INSTALLDIR", None),
            &[],
        );
        let user_control = package("SERVICEPORT").property("EnableUserControl", "1");
        assert_actions(&InsecureUiProperty, user_control, &[]);
    }
}
