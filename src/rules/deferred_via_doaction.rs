use crate::finding::Location;
use crate::rules::{Context, Report, Rule, RuleMeta};

declare_rule! {
    /// ## What it does
    /// Finds DoAction control events that call an in-script action (deferred, rollback
    /// or commit).
    ///
    /// ## Why is this bad?
    /// DoAction runs while a dialog is shown, in the UI sequence, where no installation
    /// script exists. The deferred action cannot be written anywhere and the installer
    /// fails with error 2762.
    ///
    /// ## Example
    /// | Dialog_ | Control_ | Event | Argument |
    /// |---|---|---|---|
    /// | `ExitDlg` | `Finish` | `DoAction` | `LaunchAppElevated` (Type 3106) |
    ///
    /// ## Use instead
    /// Call an immediate action from the dialog, or schedule the deferred action in the
    /// execute sequence between InstallInitialize and InstallFinalize.
    ///
    /// ## References
    /// "DoAction ControlEvent"; Windows Installer error 2762.
    pub struct DeferredViaDoaction {
        code: "MCA111",
        name: "deferred-via-doaction",
        severity: Error,
        summary: "A DoAction control event that calls an in-script action",
    }
}

impl Rule for DeferredViaDoaction {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, cx: &mut Context) {
        for event in &cx.pkg.control_events {
            let Some(ca) = event
                .do_action()
                .and_then(|name| cx.pkg.custom_action(name))
            else {
                continue;
            };
            if !ca.action_type.in_script() {
                continue;
            }
            cx.report(
                Report::new(
                    format!(
                        "control `{}` of dialog `{}` calls {} action `{}` with DoAction, outside any installation script",
                        event.control,
                        event.dialog,
                        ca.action_type.execution_short(),
                        ca.name
                    ),
                    Location::control_event(event, "Argument"),
                )
                .help("call an immediate action from the dialog, or schedule this action in the execute sequence")
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
    fn fires_for_deferred_targets_only() {
        let b = MsiBuilder::new()
            .binary("Bin")
            .dialog("ExitDlg")
            .action(
                "Elevated",
                3106,
                Some("INSTALLDIR"),
                Some("\"[INSTALLDIR]app.exe\""),
            )
            .action(
                "Launch",
                226,
                Some("INSTALLDIR"),
                Some("\"[INSTALLDIR]app.exe\""),
            )
            .control_event("ExitDlg", "Finish", "DoAction", "Elevated", "1")
            .control_event("ExitDlg", "Launch", "DoAction", "Launch", "1")
            .control_event("ExitDlg", "Finish", "EndDialog", "Return", "1");
        let f = assert_actions(&DeferredViaDoaction, b, &["Elevated"]);
        assert_eq!(f[0].location.table, "ControlEvent");
    }
}
