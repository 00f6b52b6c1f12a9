use crate::finding::Location;
use crate::model::action_type::{Execution, Scheduling};
use crate::model::SequenceKind;
use crate::rules::{Context, Report, Rule, RuleMeta};

declare_rule! {
    /// ## What it does
    /// Finds an immediate action that runs code (DLL, EXE or script) and is scheduled in
    /// both the UI sequence and the execute sequence (install or admin) without a
    /// run-once option (`0x100` first sequence, `0x200` once per process, `0x300`
    /// client repeat).
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
                if ui_row.order.is_none() || exec_row.order.is_none() {
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
                        "add the first-sequence option (Type {} instead of {}) or schedule the action in one table only",
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

    fn both(name: &str, ty: i32) -> MsiBuilder {
        MsiBuilder::new()
            .binary("Bin")
            .action(name, ty, Some("Bin"), Some("Entry"))
            .seq("InstallUISequence", name, None, 1001)
            .seq("InstallExecuteSequence", name, None, 1001)
    }

    #[test]
    fn fires_on_plain_immediate_code_in_both() {
        let f = assert_actions(&RunsInBothSequences, both("Detect", 1), &["Detect"]);
        assert!(f[0].help.contains("257"));
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
