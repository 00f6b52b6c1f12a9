use crate::analysis::{generated_by_tool, name_has_word, normalize_name, ActionRole};
use crate::finding::{Location, Severity};
use crate::model::action_type::ReturnProcessing;
use crate::model::{Package, WindowPosition};
use crate::rules::{Context, Report, Rule, RuleMeta};

/// Deferred actions that have no rollback by design (msi-reference 7.2-7.6):
/// they change nothing (WixSharp's `CancelRequestHandler` only fails the
/// installation when the user cancelled in its managed UI), or only change
/// files the installation itself copied (Wise's path conversion).
const NO_ROLLBACK_BY_DESIGN: [&str; 10] = [
    "NetFxExecuteNativeImage",
    "WixFailWhenDeferred",
    "WixWaitForEventDeferred",
    "WixCloseApplicationsDeferred",
    "ISSelfRegisterFiles",
    "ISUnSelfRegisterFiles",
    "ISJITCompileActionAtInstall",
    "ISJITCompileActionAtUnInstall",
    "CancelRequestHandler",
    "WiseConvertPaths",
];

fn exempt(name: &str) -> bool {
    let n = normalize_name(name);
    // WiX v4 writes `Wix4FailWhenDeferred` where v3 wrote `WixFailWhenDeferred`.
    let v3 = format!("Wix{n}");
    NO_ROLLBACK_BY_DESIGN.iter().any(|known| n.starts_with(known) || v3.starts_with(known))
        // WiX VisualStudio extension: VS2010Setup, VS2019InstallVSTemplates ...
        || (n.starts_with("VS") && (n.ends_with("Setup") || n.ends_with("InstallVSTemplates")))
        // Microsoft's DIFxApp pairs its actions by its own names.
        || crate::analysis::is_microsoft_module_action(name)
        // The uninstall phase of a Visual Studio Installer class has no rollback phase.
        || name.rsplit_once('.').is_some_and(|(_, phase)| phase.eq_ignore_ascii_case("uninstall"))
}

declare_rule! {
    /// ## What it does
    /// Finds a deferred action that runs code (DLL, EXE or script) and so may change the
    /// system, but has no rollback action paired with it.
    ///
    /// ## Why is this bad?
    /// When a later action fails, or the user cancels, the installer rolls back by running
    /// the rollback script. Work done by a deferred custom action without a rollback partner
    /// stays behind: a half-configured service, a stray registry value, a user account.
    ///
    /// Two kinds of work cannot be undone at all, and the finding says so instead of asking
    /// for a rollback action: a deletion (the action's name says Delete, Remove, Cleanup ...),
    /// whose rollback would have nothing to restore from, and a program launch (Launch, Start,
    /// Run ...), which leaves the program running even when the installation rolls back.
    ///
    /// When nothing after the action in the script can fail (every later deferred action
    /// ignores its return code and no standard action follows before InstallFinalize), only
    /// a cancel by the user can roll it back: the finding is info.
    ///
    /// Known actions that have no rollback by design (WiX NetFx native-image actions,
    /// `WixFailWhenDeferred`, the Visual Studio `VS*Setup` actions, InstallShield's
    /// self-registration, WixSharp's `CancelRequestHandler`, Wise's `WiseConvertPaths`)
    /// are not reported, nor are InstallShield's InstallScript event dispatchers
    /// (`OnMoving`, `OnFeaturesInstalled` ... from `ISScriptBridge.dll`), whose work is in
    /// the script. Actions another authoring tool generated (MSI Wrapper's `bz.*` actions,
    /// the one EXE action of an exe-to-msi converter, recognised by the summary
    /// information) are info: only the tool can change them. An action whose commit
    /// sibling exists is not reported: it completes its work only when the installation
    /// succeeds. Nor is an action that a rollback or commit action may belong to when
    /// msica cannot tell which of several deferred actions it serves (they share its entry
    /// point).
    ///
    /// ## Example
    /// | Action | Type | Sequence |
    /// |---|---|---|
    /// | `CreateAppPool` | 3073 | 4001 |
    /// | `DeleteTask` | 3137 | 4002 |
    ///
    /// ## Use instead
    /// Add a rollback action (Type + 0x100, e.g. 3329) that undoes the change, and
    /// schedule it immediately before the deferred action. For an action in no sequence
    /// table, have the scheduler that runs it through `MsiDoAction` run the rollback
    /// first; the finding names that scheduler.
    ///
    /// Make a deletion a commit action (Type + 0x200, e.g. 3585), so that it happens only
    /// once the installation has succeeded. Start a program from an immediate action after
    /// InstallFinalize, or from a commit action.
    ///
    /// ## References
    /// "Rollback Custom Actions"; "Commit Custom Actions"; msi-reference 6.2 rule 6 and 7.7.
    pub struct MissingRollback {
        code: "MCA104",
        name: "missing-rollback",
        severity: Warning,
        summary: "A deferred action that changes the system and has no rollback sibling",
    }
}

impl Rule for MissingRollback {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, cx: &mut Context) {
        for ca in &cx.pkg.custom_actions {
            let t = ca.action_type;
            if !t.is_deferred()
                || !t.runs_code()
                || exempt(&ca.name)
                || !cx.roles.contains_key(&ca.name)
            {
                continue;
            }
            if cx.siblings.may_have_sibling(&ca.name) {
                continue;
            }
            let generated = generated_by_tool(cx.pkg, ca);
            // What an InstallScript event does is in the script, not the tables.
            if generated.is_some_and(|g| g.dispatcher) {
                continue;
            }
            let role = &cx.roles[&ca.name];
            let work = Work::of(&ca.name);
            let mut report = Report::new(
                work.message(&ca.name),
                Location::custom_action(ca, "Action"),
            )
            .help(work.help(&ca.name, role))
            .action(&ca.name)
            .action_type(t);
            match cx.pkg.schedules(&ca.name).next() {
                Some((_, row)) => report = report.row(row),
                None => report = report.note(format!("in no sequence table: {}", role.describe())),
            }
            if let Some(g) = generated {
                report = report.cap(Severity::Info).note(format!(
                    "generated by {}, not written by the package's author ({}); only a newer version of the tool can add a rollback",
                    g.tool, g.recognised_by
                ));
            } else if work == Work::Reversible && !later_work_can_fail(cx.pkg, &ca.name) {
                report = report.cap(Severity::Info).note(
                    "nothing that runs after it in the script can fail (every later deferred action ignores its return code and no standard action follows before InstallFinalize), so a rollback would only run when the user cancels",
                );
            }
            cx.report(report);
        }
    }
}

/// What the action's name says it does, for the advice.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Work {
    /// Deletes something: no rollback action can bring it back.
    Deletion,
    /// Starts a program: nothing to undo, but it runs even when the
    /// installation then rolls back.
    Launch,
    Reversible,
}

impl Work {
    const DELETION: [&'static str; 7] = [
        "Delete", "Del", "Remove", "Cleanup", "Clean", "Purge", "Wipe",
    ];
    const LAUNCH: [&'static str; 5] = ["Launch", "Start", "Restart", "Open", "Run"];

    fn of(name: &str) -> Self {
        if name_has_word(name, &Self::DELETION) {
            Self::Deletion
        } else if name_has_word(name, &Self::LAUNCH) {
            Self::Launch
        } else {
            Self::Reversible
        }
    }

    fn message(self, name: &str) -> String {
        match self {
            Self::Deletion => format!(
                "deferred action `{name}` deletes inside the installation script, so a rollback cannot bring back what it deleted"
            ),
            Self::Launch => format!(
                "deferred action `{name}` starts a program inside the installation script, where it keeps running even if the installation then rolls back"
            ),
            Self::Reversible => format!("deferred action `{name}` has no rollback action to undo it"),
        }
    }

    /// What to do, said where the action is run from: an action in no
    /// sequence table gets its rollback from whatever runs it.
    fn help(self, name: &str, role: &ActionRole) -> String {
        match self {
            Self::Deletion => {
                return format!(
                    "make `{name}` a commit action (Type + 0x200 instead of a plain deferred action), so that the deletion happens only once the installation has succeeded; a rollback action cannot undo a deletion"
                )
            }
            Self::Launch => {
                return "start the program after InstallFinalize (an immediate action) or from a commit action (Type + 0x200), so that it starts only once the installation has succeeded; there is nothing for a rollback action to undo".to_owned();
            }
            Self::Reversible => {}
        }
        const ADD: &str = "add a rollback custom action (Type + 0x100) that undoes it";
        match role {
            ActionRole::Sequenced => {
                format!("{ADD} and schedule it just before `{name}` in the same sequence")
            }
            ActionRole::ScheduledBy { scheduler, .. } => format!(
                "{ADD}, and have `{scheduler}`, which runs `{name}` through MsiDoAction, run the rollback the same way just before it"
            ),
            ActionRole::DataSetBy { setter } => format!(
                "{ADD}, and run it just before `{name}` from the code that runs `{name}` (`{setter}` sets its CustomActionData)"
            ),
            ActionRole::DoAction | ActionRole::Vendor(_) => {
                format!("{ADD}, and run it just before `{name}` from where `{name}` is run")
            }
        }
    }
}

/// Whether something after `action` in the script can fail, and so roll
/// back what `action` did: a later deferred action that checks its return
/// code, or a standard action before InstallFinalize. Immediate actions run
/// while the script is written, before `action` runs; rollback and commit
/// actions cannot start a rollback. Unknown (not sequenced) counts as yes.
fn later_work_can_fail(pkg: &Package, action: &str) -> bool {
    let mut scheduled = false;
    for seq in pkg.sequences.iter().filter(|s| s.kind.is_execute()) {
        let Some(row) = seq.row(action) else {
            continue;
        };
        let Some(order) = row.order else {
            continue;
        };
        // Outside the window it is another rule's finding, not a rollback's.
        if seq.window_position(row) != WindowPosition::Inside {
            return true;
        }
        scheduled = true;
        let later = seq
            .rows_after(action)
            .iter()
            .filter(|r| r.order.is_some_and(|o| o > order))
            .take_while(|r| r.action != "InstallFinalize");
        for row in later {
            let can_fail = match pkg.custom_action(&row.action) {
                Some(other) => {
                    other.action_type.is_deferred()
                        && other.action_type.return_processing() == ReturnProcessing::Check
                }
                // Running the script written so far adds no work of its own.
                None => !matches!(
                    row.action.as_str(),
                    "InstallExecute" | "InstallExecuteAgain"
                ),
            };
            if can_fail {
                return true;
            }
        }
    }
    !scheduled
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::test_support::{assert_actions, register_port_groups};
    use crate::testing::MsiBuilder;

    const IE: &str = "InstallExecuteSequence";

    #[test]
    fn fires_without_a_rollback_and_quiet_with_one() {
        let b = MsiBuilder::new()
            .standard_execute()
            .binary("Bin")
            .action("Lonely", 3073, Some("Bin"), Some("Lonely"))
            .action("ExecFoo", 3073, Some("Bin"), Some("ExecFoo"))
            .action(
                "ExecFooRollback",
                3329,
                Some("Bin"),
                Some("ExecFooRollback"),
            )
            .seq(IE, "Lonely", None, 4001)
            .seq(IE, "ExecFooRollback", None, 4002)
            .seq(IE, "ExecFoo", None, 4003);
        assert_actions(&MissingRollback, b, &["Lonely"]);
    }

    #[test]
    fn quiet_for_known_actions_setters_and_unreached() {
        let b = MsiBuilder::new()
            .standard_execute()
            .binary("Bin")
            .action(
                "Wix4FailWhenDeferred_X64",
                3073,
                Some("Bin"),
                Some("WixFailWhenDeferred"),
            )
            .action("VS2010Setup", 3186, Some("VS2010DEVENV"), Some("/setup"))
            .action("SetSomething", 51, Some("P"), Some("v"))
            .action(
                "_0A1B.uninstall",
                3073,
                Some("InstallUtil"),
                Some("ManagedInstall"),
            )
            .seq(IE, "_0A1B.uninstall", Some("REMOVE~=\"ALL\""), 4002)
            .action("NobodyCalls", 3073, Some("Other"), Some("X"))
            .action(
                "CancelRequestHandler",
                3073,
                Some("WixSharp_CA"),
                Some("CancelRequestHandler"),
            )
            .action(
                "Set_CancelRequestHandler_Props",
                51,
                Some("CancelRequestHandler"),
                Some("UpgradeCode=[UpgradeCode]"),
            )
            .seq(IE, "Set_CancelRequestHandler_Props", None, 6596)
            .seq(
                IE,
                "CancelRequestHandler",
                Some("NOT (REMOVE=\"ALL\")"),
                6597,
            )
            .action(
                "WiseConvertPaths",
                3073,
                Some("Callwiseapi"),
                Some("ConvertPaths"),
            )
            .seq(IE, "WiseConvertPaths", None, 6200)
            .seq(
                IE,
                "Wix4FailWhenDeferred_X64",
                Some("WIXFAILWHENDEFERRED=1"),
                6599,
            )
            .seq(IE, "VS2010Setup", Some("VS2010DEVENV"), 6598)
            .seq(IE, "SetSomething", None, 1001);
        assert_actions(&MissingRollback, b, &[]);
    }

    #[test]
    fn a_commit_sibling_counts() {
        let b = MsiBuilder::new()
            .standard_execute()
            .binary("Bin")
            .action("ExecBar", 3073, Some("Bin"), Some("ExecBar"))
            .action("ExecBarCommit", 3585, Some("Bin"), Some("ExecBarCommit"))
            .seq(IE, "ExecBar", None, 4001)
            .seq(IE, "ExecBarCommit", None, 4002);
        assert_actions(&MissingRollback, b, &[]);
    }

    #[test]
    fn role_words_count_in_any_position() {
        const SOURCE: &str = "CA_AddSourceDeferred.3643236F_FC70_11D3_A536_0090278A1BB8";
        const COMMIT: &str = "CA_AddSourceCommit.3643236F_FC70_11D3_A536_0090278A1BB8";
        let b = MsiBuilder::new()
            .standard_execute()
            .binary("Stub")
            .binary("Help")
            .action(
                "DDSE_CA_Uninstall_Deferred_amd64",
                3073,
                Some("Stub"),
                Some("DDSE_CA_Uninstall_Deferred"),
            )
            .action(
                "DDSE_CA_Uninstall_Rollback_amd64",
                3329,
                Some("Stub"),
                Some("DDSE_CA_Uninstall_Rollback"),
            )
            .action(
                "DDSE_CA_Uninstall_Commit_amd64",
                3585,
                Some("Stub"),
                Some("DDSE_CA_Uninstall_Commit"),
            )
            .action(SOURCE, 3073, Some("Help"), Some("AddSource"))
            .action(COMMIT, 3585, Some("Help"), Some("CommitSource"))
            .action(
                "CA_RemoveSourceDeferred",
                3073,
                Some("Help"),
                Some("RemoveSource"),
            )
            .seq(IE, "DDSE_CA_Uninstall_Rollback_amd64", None, 4001)
            .seq(IE, "DDSE_CA_Uninstall_Deferred_amd64", None, 4002)
            .seq(IE, "DDSE_CA_Uninstall_Commit_amd64", None, 4003)
            .seq(IE, SOURCE, None, 4004)
            .seq(IE, COMMIT, None, 4005)
            .seq(IE, "CA_RemoveSourceDeferred", None, 4006);
        assert_actions(&MissingRollback, b, &["CA_RemoveSourceDeferred"]);
    }

    #[test]
    fn only_the_action_without_its_own_rollback_among_shared_entry_points() {
        assert_actions(&MissingRollback, register_port_groups(3, &[]), &[]);
        assert_actions(
            &MissingRollback,
            register_port_groups(3, &[1]),
            &["RegisterPort1"],
        );
        assert_actions(
            &MissingRollback,
            register_port_groups(2_000, &[1234]),
            &["RegisterPort1234"],
        );
    }

    #[test]
    fn the_help_names_the_scheduler_of_an_unsequenced_action() {
        let b = MsiBuilder::new()
            .standard_execute()
            .binary("Bin")
            .action("SchedFoo", 1, Some("Bin"), Some("SchedFoo"))
            .action("ExecFoo", 3073, Some("Bin"), Some("ExecFoo"))
            .action("Sequenced", 3073, Some("Other"), Some("Sequenced"))
            .seq(IE, "SchedFoo", None, 4001)
            .seq(IE, "Sequenced", None, 4002);
        let f = assert_actions(&MissingRollback, b, &["ExecFoo", "Sequenced"]);
        assert!(
            f[0].help
                .contains("have `SchedFoo`, which runs `ExecFoo` through MsiDoAction"),
            "{}",
            f[0].help
        );
        assert!(f[0]
            .notes
            .iter()
            .any(|n| n.starts_with("in no sequence table")));
        assert!(f[1].help.contains("schedule it just before `Sequenced`"));
    }

    #[test]
    fn deletion_and_launch_get_advice_that_works() {
        let b = MsiBuilder::new()
            .standard_execute()
            .binary("Bin")
            .action("DeleteTask", 3073, Some("Bin"), Some("DeleteTask"))
            .action("LaunchApp", 1025, Some("Bin"), Some("LaunchApp"))
            .action("CreateTask", 3073, Some("Bin"), Some("CreateTask"))
            .seq(IE, "DeleteTask", Some(r#"REMOVE="ALL""#), 4001)
            .seq(IE, "LaunchApp", None, 4002)
            .seq(IE, "CreateTask", None, 4003);
        let f = assert_actions(
            &MissingRollback,
            b,
            &["CreateTask", "DeleteTask", "LaunchApp"],
        );
        assert!(
            f[0].help.contains("add a rollback custom action"),
            "{}",
            f[0].help
        );
        assert!(
            f[1].help.contains("commit action (Type + 0x200"),
            "{}",
            f[1].help
        );
        assert!(
            f[1].message.contains("a rollback cannot bring back"),
            "{}",
            f[1].message
        );
        assert!(f[2].help.contains("after InstallFinalize"), "{}", f[2].help);
    }

    #[test]
    fn a_rollback_matters_only_on_cancel_when_nothing_later_can_fail() {
        let b = |later_type: i32| {
            MsiBuilder::new()
                .standard_execute()
                .binary("Bin")
                .action("CreateActiveSetupKey", 3073, Some("Bin"), Some("CreateKey"))
                .action("Later", later_type, Some("Bin"), Some("Later"))
                .seq(IE, "CreateActiveSetupKey", None, 6590)
                .seq(IE, "Later", None, 6595)
        };
        // 3137 ignores its return code: only a cancel can roll back.
        let f = assert_actions(
            &MissingRollback,
            b(3137),
            &["CreateActiveSetupKey", "Later"],
        );
        assert_eq!(f[0].severity, Severity::Info);
        assert!(f[0]
            .notes
            .iter()
            .any(|n| n.contains("only run when the user cancels")));
        // 3073 checks it: a failure there rolls back.
        let f = assert_actions(
            &MissingRollback,
            b(3073),
            &["CreateActiveSetupKey", "Later"],
        );
        assert_eq!(f[0].severity, Severity::Warning);
        // A standard action after it can fail too.
        let f = assert_actions(
            &MissingRollback,
            b(3137).seq(IE, "RegisterProduct", None, 6598),
            &["CreateActiveSetupKey", "Later"],
        );
        assert_eq!(f[0].severity, Severity::Warning);
    }

    #[test]
    fn authoring_tool_engine_actions_are_at_most_info() {
        let b = MsiBuilder::new()
            .standard_execute()
            .binary("ISScriptBridge.dll")
            .binary("Setup")
            .action("OnMoving", 1025, Some("ISScriptBridge.dll"), Some("Moving"))
            .action("bz.WrappedSetupProgram", 3074, Some("Setup"), Some("/s"))
            .action("Mine", 3073, Some("Setup"), Some("Mine"))
            .seq(IE, "OnMoving", None, 701)
            .seq(IE, "bz.WrappedSetupProgram", None, 4001)
            .seq(IE, "Mine", None, 4002)
            .seq(IE, "RegisterProduct", None, 6000);
        let f = assert_actions(&MissingRollback, b, &["Mine", "bz.WrappedSetupProgram"]);
        assert_eq!(f[0].severity, Severity::Warning);
        assert_eq!(f[1].severity, Severity::Info);
        assert!(f[1]
            .notes
            .iter()
            .any(|n| n.contains("generated by MSI Wrapper")));
    }
}
