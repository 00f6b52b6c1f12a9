use crate::analysis::{normalize_name, ActionRole};
use crate::finding::Location;
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
    /// When a later action fails, the installer rolls back by running the rollback
    /// script. Work done by a deferred custom action without a rollback partner stays
    /// behind: a half-configured service, a stray registry value, a user account.
    ///
    /// Known actions that have no rollback by design (WiX NetFx native-image actions,
    /// `WixFailWhenDeferred`, the Visual Studio `VS*Setup` actions, InstallShield's
    /// self-registration, WixSharp's `CancelRequestHandler`, Wise's `WiseConvertPaths`)
    /// are not reported. An action whose commit sibling exists is not reported either: it
    /// completes its work only when the installation succeeds. Nor is an action that a
    /// rollback or commit action may belong to when msica cannot tell which of several
    /// deferred actions it serves (they share its entry point).
    ///
    /// ## Example
    /// | Action | Type | Sequence |
    /// |---|---|---|
    /// | `CreateAppPool` | 3073 | 4001 |
    ///
    /// ## Use instead
    /// Add a rollback action (Type + 0x100, e.g. 3329) that undoes the change, and
    /// schedule it immediately before the deferred action. For an action in no sequence
    /// table, have the scheduler that runs it through `MsiDoAction` run the rollback
    /// first; the finding names that scheduler.
    ///
    /// ## References
    /// "Rollback Custom Actions"; msi-reference 6.2 rule 6 and 7.7.
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
            let mut report = Report::new(
                format!(
                    "deferred action `{}` has no rollback action to undo it",
                    ca.name
                ),
                Location::custom_action(ca, "Action"),
            )
            .help(help(&ca.name, &cx.roles[&ca.name]))
            .action(&ca.name)
            .action_type(t);
            match cx.pkg.schedules(&ca.name).next() {
                Some((_, row)) => report = report.row(row),
                None => {
                    report = report.note(format!(
                        "in no sequence table: {}",
                        cx.roles[&ca.name].describe()
                    ))
                }
            }
            cx.report(report);
        }
    }
}

/// What to do, said where the action is run from: an action in no sequence
/// table gets its rollback from whatever runs it.
fn help(name: &str, role: &ActionRole) -> String {
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
}
