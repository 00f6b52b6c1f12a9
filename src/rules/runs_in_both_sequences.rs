use crate::finding::Location;
use crate::model::action_type::{BaseKind, Execution, Scheduling};
use crate::model::{Sequence, SequenceKind, SequenceRow};
use crate::rules::{Context, Report, Rule, RuleMeta};

declare_rule! {
    /// ## What it does
    /// Finds an immediate action that runs code (DLL, EXE or script) and is scheduled in
    /// both the UI sequence and the execute sequence (install or admin) without a
    /// run-once option (`0x100` first sequence, `0x200` once per process, `0x300`
    /// client repeat).
    ///
    /// A DLL that runs before InstallValidate in the execute sequence (and before
    /// ExecuteAction in the UI sequence) is not reported: that is where detection actions
    /// (`IsPendingRebootKey`, `IsDotNet20Or40Installed`) sit on purpose. The properties
    /// they set are usually private, so they do not pass from the UI sequence to the
    /// execute sequence, and the execute sequence must compute them again for the actions
    /// that read them (error actions, conditions).
    ///
    /// ## Why is this bad?
    /// With full UI both sequences run, so the action runs twice: dialogs appear twice,
    /// work is repeated, and the second run may see a different state.
    ///
    /// ## Example
    /// | Table | Action | Type |
    /// |---|---|---|
    /// | InstallUISequence | `DetectTool` | 1 |
    /// | InstallExecuteSequence | `DetectTool` | 1 |
    ///
    /// ## Use instead
    /// Add `msidbCustomActionTypeFirstSequence` (Type + 0x100, e.g. 257) so the execute
    /// sequence skips it after the UI sequence ran, or keep it in one table only.
    ///
    /// `0x100` is safe only when the execute sequence does not need what the action
    /// computes, or when every property it sets is public (upper case) and listed in
    /// `SecureCustomProperties`, so that it passes to the execute sequence. It is not safe
    /// for a detection action whose private properties the execute sequence reads: they
    /// would be empty there, and an error action conditioned on them would abort the
    /// installation.
    ///
    /// ## References
    /// "Custom Action Execution Scheduling Options".
    pub struct RunsInBothSequences {
        code: "MCA105",
        name: "runs-in-both-sequences",
        severity: Warning,
        summary: "An immediate code action in both the UI and the execute sequence without a run-once option",
    }
}

/// Vendor detection actions that are placed in both sequences by design
/// and only read the system: Advanced Installer, Visual Studio setup
/// projects, InstallShield and Wise.
const VENDOR_PREFIXES: [&str; 5] = ["AI_", "DIRCA_", "VSDCA_", "IS", "Wise"];

fn vendor_action(name: &str) -> bool {
    VENDOR_PREFIXES.iter().any(|p| {
        name.starts_with(p)
            && name[p.len()..]
                .chars()
                .next()
                .is_some_and(|c| c.is_ascii_uppercase() || c == '_')
    })
}

const PAIRS: [(SequenceKind, SequenceKind); 3] = [
    (
        SequenceKind::InstallUISequence,
        SequenceKind::InstallExecuteSequence,
    ),
    (
        SequenceKind::AdminUISequence,
        SequenceKind::AdminExecuteSequence,
    ),
    (
        SequenceKind::ModuleInstallUISequence,
        SequenceKind::ModuleInstallExecuteSequence,
    ),
];

/// Whether the rows run before the installer validates the installation:
/// before InstallValidate in the execute sequence and before ExecuteAction
/// (where the execute sequence starts) in the UI sequence.
fn runs_before_validation(
    ui: &Sequence,
    ui_row: &SequenceRow,
    exec: &Sequence,
    exec_row: &SequenceRow,
) -> bool {
    let before = |seq: &Sequence, row: &SequenceRow, standard: &str| {
        row.order
            .zip(seq.order_of(standard))
            .is_some_and(|(own, other)| own < other)
    };
    before(exec, exec_row, "InstallValidate")
        && (ui.row("ExecuteAction").is_none() || before(ui, ui_row, "ExecuteAction"))
}

impl Rule for RunsInBothSequences {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, cx: &mut Context) {
        for (ui, exec) in PAIRS {
            let (Some(ui_seq), Some(exec_seq)) = (cx.pkg.sequence(ui), cx.pkg.sequence(exec))
            else {
                continue;
            };
            for ca in &cx.pkg.custom_actions {
                let t = ca.action_type;
                if t.execution() != Execution::Immediate(Scheduling::Always)
                    || !t.runs_code()
                    || vendor_action(&ca.name)
                {
                    continue;
                }
                let (Some(ui_row), Some(exec_row)) = (ui_seq.row(&ca.name), exec_seq.row(&ca.name))
                else {
                    continue;
                };
                if ui_row.order.is_none()
                    || exec_row.order.is_none()
                    || (t.kind() == BaseKind::Dll
                        && runs_before_validation(ui_seq, ui_row, exec_seq, exec_row))
                {
                    continue;
                }
                cx.report(
                    Report::new(
                        format!(
                            "immediate action `{}` is scheduled in both {} and {} and runs twice with full UI",
                            ca.name,
                            ui.table_name(),
                            exec.table_name()
                        ),
                        Location::custom_action(ca, "Type"),
                    )
                    .help(format!(
                        "add the first-sequence option (Type {} instead of {}) or schedule the action in one table only; 0x100 is safe when the execute sequence does not need what the action computes, or every property it sets is public and listed in SecureCustomProperties, and not when the execute sequence reads private properties it sets",
                        t.raw | 0x100,
                        t.raw
                    ))
                    .action(&ca.name)
                    .row(exec_row)
                    .action_type(t),
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

    /// `name` at `ui` in the UI sequence and at `exec` in the execute sequence
    /// (InstallValidate is at 1400, ExecuteAction at 1300).
    fn scheduled(name: &str, ty: i32, ui: i32, exec: i32) -> MsiBuilder {
        MsiBuilder::new()
            .standard_ui()
            .standard_execute()
            .binary("Bin")
            .action(name, ty, Some("Bin"), Some("Entry"))
            .seq("InstallUISequence", name, None, ui)
            .seq("InstallExecuteSequence", name, None, exec)
    }

    /// After InstallValidate in the execute sequence.
    fn both(name: &str, ty: i32) -> MsiBuilder {
        scheduled(name, ty, 1001, 1401)
    }

    #[test]
    fn fires_on_plain_immediate_code_in_both() {
        let f = assert_actions(&RunsInBothSequences, both("Work", 1), &["Work"]);
        assert!(f[0].help.contains("257"));
        assert!(f[0].help.contains("SecureCustomProperties"));
        assert!(f[0]
            .help
            .contains("not when the execute sequence reads private properties"));
    }

    #[test]
    fn quiet_for_a_detection_dll_before_install_validate() {
        let b = scheduled("IsPendingRebootKey", 1, 203, 204);
        assert_actions(&RunsInBothSequences, b, &[]);
        // After ExecuteAction the UI sequence runs it once the execute sequence is done.
        let b = scheduled("AfterTheInstall", 1, 1301, 204);
        assert_actions(&RunsInBothSequences, b, &["AfterTheInstall"]);
    }

    #[test]
    fn fires_on_an_exe_or_a_script_in_both_even_before_install_validate() {
        let b = scheduled("RunTool", 2, 1001, 1001);
        assert_actions(&RunsInBothSequences, b, &["RunTool"]);
        let b = scheduled("Probe", 6, 1001, 1001);
        assert_actions(&RunsInBothSequences, b, &["Probe"]);
    }

    #[test]
    fn quiet_with_run_once_options_or_for_set_property() {
        assert_actions(&RunsInBothSequences, both("Once", 257), &[]);
        assert_actions(&RunsInBothSequences, both("PerProcess", 513), &[]);
        assert_actions(&RunsInBothSequences, both("SetProp", 51), &[]);
        assert_actions(&RunsInBothSequences, both("AI_DETECT_MODERNWIN", 1), &[]);
        assert_actions(
            &RunsInBothSequences,
            both("VSDCA_VsdLaunchConditions", 1),
            &[],
        );
    }

    #[test]
    fn quiet_when_in_one_table() {
        let b = MsiBuilder::new()
            .binary("Bin")
            .action("A", 1, Some("Bin"), Some("E"))
            .seq("InstallUISequence", "A", None, 5);
        assert_actions(&RunsInBothSequences, b, &[]);
    }
}
