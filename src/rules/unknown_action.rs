use crate::finding::Location;
use crate::model::standard::is_standard_action;
use crate::rules::{Context, Report, Rule, RuleMeta};

declare_rule! {
    /// ## What it does
    /// Finds sequence rows that name no standard action, no custom action and (in UI
    /// sequences) no dialog; and dialogs scheduled in an execute sequence.
    ///
    /// ## Why is this bad?
    /// The installer looks the name up as a standard action, then as a custom action,
    /// then (in UI sequences only) as a dialog. When nothing matches, the sequence fails
    /// ("Action not found", error 2726). ICE27 and ICE13 report these rows. A frequent
    /// cause is a custom action renamed or removed while its sequence row stayed, or a
    /// misspelt standard action (names are case-sensitive).
    ///
    /// ## Example
    /// | Table | Action | Sequence |
    /// |---|---|---|
    /// | InstallExecuteSequence | `InstallFile` | 4000 |
    ///
    /// ## Use instead
    /// Correct the name, add the missing CustomAction row (or, in a UI sequence, the
    /// missing Dialog row), or remove the sequence row.
    ///
    /// ## References
    /// ICE27; ICE13; Windows Installer error 2726.
    pub struct UnknownAction {
        code: "MCA109",
        name: "unknown-action",
        severity: Error,
        summary: "A sequence row that names no standard action, no custom action and (in UI sequences) no dialog",
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
                        format!("`{name}` in {} is not a standard action, custom action or dialog", seq.kind.table_name()),
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
}
