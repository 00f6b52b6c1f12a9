use crate::analysis::property_flow::{self, ExecuteRead, PASSED_ANYWAY};
use crate::analysis::scenarios::{condition_verdict, Scenario, ScenarioFacts, WithUnset};
use crate::condition::Truth;
use crate::finding::Location;
use crate::model::{Package, SequenceKind};
use crate::rules::{Context, Report, Rule, RuleMeta};

declare_rule! {
    /// ## What it does
    /// Finds properties that only the user interface sets (a set-property action in
    /// InstallUISequence or called by a dialog, a control the user fills in, a
    /// `[NAME]` control event) and that InstallExecuteSequence reads (a row's
    /// condition, the formatted Target of an action it runs), with no value in the
    /// Property table and no other setter: no set-property action in the execute
    /// sequence, no AppSearch, no Upgrade row. A condition counts only when the empty
    /// value keeps its action from running in a silent install where it could run with
    /// the UI (a condition such as `NOT Installed AND NOT X` that handles the empty
    /// value is left alone), a Target only when its action may run in a silent install.
    /// Directory keys, which costing resolves in every install, and properties Windows
    /// Installer itself defines are left alone.
    ///
    /// ## Why is this bad?
    /// With `/qn` (and with basic UI) InstallUISequence does not run: the property is
    /// empty in the execute sequence, so a condition that tests it takes the other
    /// branch and a formatted Target that uses it gets an empty string. Silent installs
    /// are what deployment tools run, so the package behaves differently exactly where
    /// nobody watches.
    ///
    /// ## Example
    /// | Table | Row |
    /// |---|---|
    /// | Control | `OptionsDlg/Port`: Edit, Property `SERVICEPORT` |
    /// | InstallExecuteSequence | `SetConfigureService`, Target `port=[SERVICEPORT]` |
    ///
    /// ## Use instead
    /// Give the property a default in the Property table (`SERVICEPORT` = `8080`), or set it
    /// in InstallExecuteSequence as well, conditioned on it being empty.
    ///
    /// ## References
    /// Microsoft: "InstallUISequence Table", "UILevel property", "Property Table";
    /// msi-reference 5.2.
    pub struct UiOnlyProperty {
        code: "MCA118",
        name: "ui-only-property",
        severity: Warning,
        summary: "A property only the UI sets, with no default, read by the execute sequence: empty in a silent install",
    }
}

/// Properties Windows Installer sets or takes from the command line for
/// every kind of install: a package does not default them.
const STANDARD: &[&str] = &[
    "ADDLOCAL",
    "ADDSOURCE",
    "ADDDEFAULT",
    "ADVERTISE",
    "REMOVE",
    "COMPADDLOCAL",
    "COMPADDSOURCE",
    "COMPADDDEFAULT",
    "FILEADDLOCAL",
    "FILEADDSOURCE",
    "FILEADDDEFAULT",
];

impl Rule for UiOnlyProperty {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, cx: &mut Context) {
        let pkg = cx.pkg;
        let silent = ScenarioFacts::new(Scenario::InstallSilent, pkg);
        let install = ScenarioFacts::new(Scenario::Install, pkg);
        for property in property_flow::ui_properties(pkg, cx.conditions) {
            let name = property.name;
            if property.set_in_execute
                || property.default.is_some()
                || property.directory
                || STANDARD.contains(&name)
                || PASSED_ANYWAY.contains(&name)
            {
                continue;
            }
            let empty = WithUnset {
                facts: &silent,
                property: name,
            };
            // What the empty value does to each reading row in a silent
            // install: a condition that `NOT X` handles is no finding.
            let harmed: Vec<(&ExecuteRead, String)> = property
                .reads
                .iter()
                .filter_map(|read| {
                    let parsed = execute_condition(cx, read.action());
                    let when_silent = condition_verdict(&empty, parsed).truth;
                    match read {
                        ExecuteRead::Condition(action) => (when_silent == Truth::No
                            && condition_verdict(&install, parsed).truth != Truth::No)
                            .then(|| format!("`{action}` does not run")),
                        ExecuteRead::Target(action) => (when_silent != Truth::No)
                            .then(|| format!("the Target of `{action}` gets an empty value")),
                    }
                    .map(|effect| (read, effect))
                })
                .collect();
            let Some((first, effect)) = harmed.first() else {
                continue;
            };
            let setters: Vec<String> = property.setters.iter().map(ToString::to_string).collect();
            let mut report = Report::new(
                format!(
                    "property {name} is set only in the user interface ({}) and has no default, but {first} reads it: in a silent install (/qn) it is empty and {effect}",
                    setters.join(", "),
                ),
                read_location(pkg, first),
            )
            .help(format!(
                "give {name} a default in the Property table, or set it in InstallExecuteSequence too"
            ))
            .action(first.action());
            for (read, effect) in &harmed[1..] {
                report = report.note(format!("also read by {read}: {effect}"));
            }
            if !property.is_public() {
                report = report.note(format!(
                    "{name} is private (it has lower-case letters): even with the UI its value does not reach the execute sequence"
                ));
            }
            cx.report(report);
        }
    }
}

/// The parsed condition of an action's InstallExecuteSequence row (`None`
/// when it has none).
fn execute_condition<'a>(
    cx: &Context<'a>,
    action: &str,
) -> Option<&'a Result<crate::condition::Condition, crate::condition::ParseError>> {
    let (seq, _) = cx
        .pkg
        .schedules(action)
        .find(|(s, _)| s.kind.merged() == SequenceKind::InstallExecuteSequence)?;
    cx.conditions.of_row(seq.kind, action)
}

/// Where a person changes the read: the row's condition or the action's Target.
pub(crate) fn read_location(pkg: &Package, read: &ExecuteRead) -> Location {
    let action = read.action();
    if let ExecuteRead::Condition(_) = read {
        if let Some((seq, row)) = pkg
            .schedules(action)
            .find(|(s, _)| s.kind.merged() == SequenceKind::InstallExecuteSequence)
        {
            return Location::sequence_row(seq, row, "Condition");
        }
    }
    match pkg.custom_action(action) {
        Some(ca) => Location::custom_action(ca, "Target"),
        None => Location::table("InstallExecuteSequence"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::test_support::assert_actions;
    use crate::testing::MsiBuilder;

    const IE: &str = "InstallExecuteSequence";
    const UI: &str = "InstallUISequence";

    /// SERVICEPORT is typed into a dialog and read by the execute sequence.
    fn package() -> MsiBuilder {
        MsiBuilder::new()
            .standard_execute()
            .dialog("OptionsDlg")
            .control("OptionsDlg", "Port", "Edit", "SERVICEPORT")
            .action(
                "SetConfigure",
                51,
                Some("Configure"),
                Some("port=[SERVICEPORT]"),
            )
            .seq(IE, "SetConfigure", None, 1600)
    }

    #[test]
    fn fires_for_a_dialog_property_read_by_the_execute_sequence() {
        let f = assert_actions(&UiOnlyProperty, package(), &["SetConfigure"]);
        assert!(
            f[0].message.contains("control OptionsDlg/Port"),
            "{}",
            f[0].message
        );
        assert!(
            f[0].message.contains("the Target of `SetConfigure`"),
            "{}",
            f[0].message
        );
    }

    #[test]
    fn fires_for_a_ui_sequence_setter_read_in_a_condition() {
        let b = MsiBuilder::new()
            .standard_execute()
            .binary("Bin")
            .action("DetectMode", 51, Some("FASTMODE"), Some("1"))
            .seq(UI, "DetectMode", None, 100)
            .action("Tune", 3073, Some("Bin"), Some("Tune"))
            .seq(IE, "Tune", Some("FASTMODE"), 4000);
        assert_actions(&UiOnlyProperty, b, &["Tune"]);
    }

    #[test]
    fn quiet_with_a_default_or_a_setter_outside_the_ui() {
        assert_actions(
            &UiOnlyProperty,
            package().property("SERVICEPORT", "8080"),
            &[],
        );
        let execute_setter = package()
            .action("DefaultPort", 51, Some("SERVICEPORT"), Some("8080"))
            .seq(IE, "DefaultPort", Some("NOT SERVICEPORT"), 100);
        assert_actions(&UiOnlyProperty, execute_setter, &[]);
        assert_actions(
            &UiOnlyProperty,
            package().app_search("SERVICEPORT", "PortSig"),
            &[],
        );
        // A directory is resolved by costing in every install.
        let directory = MsiBuilder::new()
            .standard_execute()
            .directory("INSTALLDIR", None)
            .control("FolderDlg", "Path", "PathEdit", "INSTALLDIR")
            .action("SetData", 51, Some("Configure"), Some("[INSTALLDIR]"))
            .seq(IE, "SetData", None, 1600);
        assert_actions(&UiOnlyProperty, directory, &[]);
    }

    #[test]
    fn quiet_when_the_condition_handles_the_empty_value() {
        // InstallShield's pattern: the execute sequence does the dialog's
        // work itself when the dialog did not run.
        let b = MsiBuilder::new()
            .standard_execute()
            .binary("Bin")
            .control_event("SetupType", "Next", "[ADDLOCALDONE]", "1", "1")
            .action("RunAddLocal", 1, Some("Bin"), Some("AddLocal"))
            .seq(
                IE,
                "RunAddLocal",
                Some("NOT Installed AND NOT ADDLOCALDONE"),
                1050,
            )
            .action("SetDefault", 51, Some("MODE"), Some("fast"))
            .control("OptionsDlg", "Mode", "ComboBox", "MODE")
            .seq(IE, "SetDefault", Some("MODE = \"\""), 1060);
        assert_actions(&UiOnlyProperty, b, &[]);
    }

    #[test]
    fn quiet_when_the_execute_sequence_does_not_read_it() {
        let b = MsiBuilder::new()
            .standard_execute()
            .control("OptionsDlg", "Port", "Edit", "SERVICEPORT")
            .control("OptionsDlg", "Label", "Text", "LABELTEXT")
            .action(
                "SetConfigure",
                51,
                Some("Configure"),
                Some("port=[LABELTEXT]"),
            )
            .seq(IE, "SetConfigure", None, 1600);
        assert_actions(&UiOnlyProperty, b, &[]);
    }
}
