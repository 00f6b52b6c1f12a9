use crate::condition;
use crate::finding::{Location, Severity};
use crate::model::standard::is_standard_action;
use crate::rules::{Context, Report, Rule, RuleMeta};

declare_rule! {
    /// ## What it does
    /// Finds sequence rows that name no standard action, no custom action and (in UI
    /// sequences) no dialog; dialogs scheduled in an execute sequence; and DoAction
    /// control events that call a custom action the package does not have.
    ///
    /// ## Why is this bad?
    /// The installer looks the name up as a standard action, then as a custom action,
    /// then (in UI sequences only) as a dialog. When nothing matches, it logs that the
    /// action was not found and goes on with the next row (Wine's action loop treats it
    /// as not called, and WiX's own test products rely on that): the installation does
    /// not fail, but the step the row was meant to run never runs. A button whose
    /// DoAction event names a missing action does nothing when clicked; an event whose
    /// condition needs a property nothing in the package sets (a template's
    /// `ISSCRIPTRUNNING="1"` in a package without InstallScript) is never published and
    /// is not reported. Such an event is info, not a warning: dialog templates keep
    /// these events behind controls they hide, and msica cannot tell whether the control
    /// is ever shown. A frequent cause
    /// is a custom action renamed or removed while its sequence row or event stayed, or
    /// a misspelt standard action (names are case-sensitive). ICE27 and ICE13 report
    /// these rows.
    ///
    /// ## Example
    /// | Table | Action | Sequence |
    /// |---|---|---|
    /// | InstallExecuteSequence | `InstallFile` | 4000 |
    ///
    /// ## Use instead
    /// Correct the name, add the missing CustomAction row (or, in a UI sequence, the
    /// missing Dialog row), or remove the sequence row or control event.
    ///
    /// ## References
    /// ICE27; ICE13; Windows Installer error 2726; "DoAction ControlEvent".
    pub struct UnknownAction {
        code: "MCA109",
        name: "unknown-action",
        severity: Warning,
        summary: "A sequence row or DoAction event that names no standard action, no custom action and (in UI sequences) no dialog: the step never runs",
    }
}

impl Rule for UnknownAction {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, cx: &mut Context) {
        let pkg = cx.pkg;
        // A name may be missing from a table only because its row cannot
        // be read: then a failed lookup proves nothing.
        if pkg.has_unreadable_rows("CustomAction") || pkg.has_unreadable_rows("Dialog") {
            return;
        }
        for seq in &pkg.sequences {
            for row in &seq.rows {
                let name = row.action.as_str();
                if is_standard_action(name) || pkg.custom_action(name).is_some() {
                    continue;
                }
                let is_dialog = pkg.dialogs.contains(name);
                if is_dialog && seq.kind.is_ui() {
                    continue;
                }
                let (message, help) = if is_dialog {
                    (
                        format!(
                            "dialog `{name}` is scheduled in {}, where dialogs cannot be shown",
                            seq.kind.table_name()
                        ),
                        "schedule dialogs only in UI sequences".to_string(),
                    )
                } else {
                    let hint = crate::model::standard::standard_action_ignoring_case(name)
                        .map(|s| {
                            format!(
                                "; standard action names are case-sensitive: did you mean `{s}`?"
                            )
                        })
                        .unwrap_or_default();
                    // Only UI sequences can show dialogs, so only there may the
                    // missing row be a Dialog row.
                    let missing = if seq.kind.is_ui() {
                        "Dialog or CustomAction row"
                    } else {
                        "CustomAction row"
                    };
                    (
                        format!("`{name}` in {} is not a standard action, custom action or dialog, so the installer skips the row and that step never runs", seq.kind.table_name()),
                        format!("add the missing {missing}, fix the name or remove the sequence row{hint}"),
                    )
                };
                cx.report(
                    Report::new(message, Location::sequence_row(seq, row, "Action"))
                        .help(help)
                        .action(name)
                        .row(row),
                );
            }
        }
        for event in &pkg.control_events {
            let Some(name) = event.do_action() else {
                continue;
            };
            if is_standard_action(name) || pkg.custom_action(name).is_some() {
                continue;
            }
            // A template's event whose condition needs a property nothing
            // sets (InstallShield's `ISSCRIPTRUNNING="1"` without
            // InstallScript) is never published.
            let condition = event.condition.as_deref().map(condition::parse);
            if let Some(Ok(c)) = &condition {
                if !condition::can_hold_with_empty(c, |p| !pkg.property_may_be_set(p)) {
                    continue;
                }
            }
            cx.report(
                Report::new(
                    format!(
                        "the DoAction event of control {}/{} calls `{name}`, which is not a custom action, so the control does nothing when used",
                        event.dialog, event.control
                    ),
                    Location::control_event(event, "Argument"),
                )
                .help("add the missing CustomAction row, fix the name or remove the control event")
                .action(name)
                .note("authoring tools leave such events in their dialog templates behind controls they hide; msica cannot tell whether the control is ever shown")
                .cap(Severity::Info),
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
    fn fires_on_unknown_names_and_dialogs_in_execute() {
        let b = MsiBuilder::new()
            .standard_execute()
            .dialog("WelcomeDlg")
            .seq("InstallExecuteSequence", "installfiles", None, 4001)
            .seq("InstallExecuteSequence", "WelcomeDlg", None, 5)
            .seq("InstallUISequence", "WelcomeDlg", None, 5);
        let f = assert_actions(&UnknownAction, b, &["WelcomeDlg", "installfiles"]);
        assert!(f[1].help.contains("InstallFiles"));
        assert!(f[1].help.contains("missing CustomAction row"));
        assert!(f[0].message.contains("dialog"));
    }

    #[test]
    fn in_a_ui_sequence_the_missing_row_may_be_a_dialog() {
        let b = MsiBuilder::new()
            .standard_ui()
            .seq("InstallUISequence", "LicenseDlg", None, 1299);
        let f = assert_actions(&UnknownAction, b, &["LicenseDlg"]);
        assert!(
            f[0].help
                .contains("add the missing Dialog or CustomAction row"),
            "{}",
            f[0].help
        );
    }

    #[test]
    fn quiet_for_standard_custom_and_ui_dialogs() {
        let b = MsiBuilder::new()
            .standard_execute()
            .dialog("ExitDlg")
            .binary("Bin")
            .action("Mine", 1, Some("Bin"), Some("E"))
            .seq("InstallExecuteSequence", "Mine", None, 10)
            .seq("InstallUISequence", "ExitDlg", None, -1);
        assert_actions(&UnknownAction, b, &[]);
    }

    #[test]
    fn a_do_action_event_that_names_nothing() {
        let b = MsiBuilder::new()
            .dialog("ExitDlg")
            .binary("Bin")
            .action("LaunchApp", 1, Some("Bin"), Some("Launch"))
            .control_event("ExitDlg", "Finish", "DoAction", "LaunchApplication", "1")
            .control_event("ExitDlg", "Finish", "DoAction", "LaunchApp", "1")
            .control_event("ExitDlg", "Cancel", "EndDialog", "Exit", "1")
            .control_event(
                "ExitDlg",
                "Cancel",
                "DoAction",
                "CleanUp",
                r#"ISSCRIPTRUNNING="1""#,
            )
            .control_event("ExitDlg", "Back", "DoAction", "ShowLog", r#"VIEWLOG="1""#)
            .property("VIEWLOG", "0");
        let f = assert_actions(&UnknownAction, b, &["ShowLog", "LaunchApplication"]);
        assert_eq!(f[0].severity, Severity::Info);
        assert_eq!(f[0].location.table, "ControlEvent");
        assert!(f[1].message.contains("ExitDlg/Finish"), "{}", f[1].message);
    }
}
