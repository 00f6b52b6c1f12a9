use crate::condition;
use crate::finding::{Location, Severity};
use crate::model::action_type::SourceKind;
use crate::model::SequenceRow;
use crate::rules::{scheduled_custom_actions, Context, Report, Rule, RuleMeta};

declare_rule! {
    /// ## What it does
    /// Finds actions whose code comes from the File table (types 17, 18, 21, 22) scheduled
    /// before the file can exist:
    /// - before `CostFinalize` in any sequence (ICE75);
    /// - deferred, before `InstallFiles` in the execute sequence;
    /// - immediate, in the execute sequence before `InstallFinalize` (and not after an
    ///   `InstallExecute`), or anywhere in a UI sequence: the file is copied only when the
    ///   script runs, so on a first install it is not there yet (reported as a warning).
    ///
    /// ## Why is this bad?
    /// The installer runs the file from its installed location. Before the file is
    /// installed the action fails with error 1721 (EXE) or 1723 (DLL), and before
    /// costing the installer does not even know where the file goes.
    ///
    /// ## Example
    /// | Action | Type | Source | Sequence |
    /// |---|---|---|---|
    /// | `RunTool` | 3090 | `tool.exe` | 3999 |
    /// | `InstallFiles` | | | 4000 |
    ///
    /// ## Use instead
    /// Schedule deferred file actions after `InstallFiles`; immediate ones after
    /// `InstallFinalize`.
    ///
    /// Work that runs only on removal (its condition implies `REMOVE`, `REMOVE="ALL"` or
    /// `$Component=2` for the file's component) needs the installed file, which is still
    /// there until `RemoveFiles`: such an action is placed correctly before `RemoveFiles`
    /// and is not reported there. After `RemoveFiles` and before `InstallFiles` it is
    /// reported, with the advice to move it before `RemoveFiles`.
    ///
    /// ## References
    /// ICE75; "Custom Action Type 17/18/21/22"; Windows Installer errors 1721, 1723.
    pub struct FileActionBeforeInstall {
        code: "MCA106",
        name: "file-action-before-install",
        severity: Error,
        summary: "An action whose code comes from the File table scheduled before that file can exist",
    }
}

impl Rule for FileActionBeforeInstall {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, cx: &mut Context) {
        for (seq, row, ca) in scheduled_custom_actions(cx.pkg) {
            let t = ca.action_type;
            let Some(order) = row.order else { continue };
            if t.source() != SourceKind::File || !t.runs_code() {
                continue;
            }
            let before = |action: &str| seq.order_of(action).is_some_and(|o| order < o);
            let after = |action: &str| seq.order_of(action).is_some_and(|o| order > o);
            let file = ca.source.as_deref().unwrap_or("");
            let (problem, cap) = if before("CostFinalize") {
                (
                    "before CostFinalize, when the file's location is not yet known".to_string(),
                    None,
                )
            } else if seq.kind.is_ui() {
                (
                    "in a UI sequence, before the file is installed".to_string(),
                    Some(Severity::Warning),
                )
            } else if t.in_script() {
                if !before("InstallFiles") {
                    continue;
                }
                // Removal work needs the installed file, which is still there
                // until RemoveFiles.
                if runs_on_removal_only(cx, row, file) {
                    if !after("RemoveFiles") {
                        continue;
                    }
                    (
                        "after RemoveFiles removed the file it runs on removal".to_string(),
                        None,
                    )
                } else {
                    ("before InstallFiles copies the file".to_string(), None)
                }
            } else {
                if !before("InstallFinalize")
                    || after("InstallExecute")
                    || after("InstallExecuteAgain")
                {
                    continue;
                }
                ("as an immediate action before InstallFinalize, before the script installs the file".to_string(), Some(Severity::Warning))
            };
            let mut report = Report::new(
                format!("`{}` runs file `{file}` and is scheduled at {} in {} {problem}", ca.name, row.position_label(), seq.kind.table_name()),
                Location::sequence_row(seq, row, "Sequence"),
            )
            .help(if problem.starts_with("after RemoveFiles") {
                "schedule the action before RemoveFiles, while the file is still installed"
            } else if t.in_script() {
                "schedule the action after InstallFiles, and condition it on the component's state (e.g. $Component>2); work on removal belongs before RemoveFiles, conditioned on removal (REMOVE=\"ALL\" or $Component=2)"
            } else {
                "schedule the action after InstallFinalize, or use a deferred action after InstallFiles"
            })
            .action(&ca.name)
            .row(row)
            .action_type(t);
            if let Some(cap) = cap {
                report = report.cap(cap);
            }
            cx.report(report);
        }
    }
}

/// Whether the row's condition holds only when something is being removed:
/// `REMOVE` is set, or the file's component is being removed (`$Comp=2`).
fn runs_on_removal_only(cx: &Context, row: &SequenceRow, file: &str) -> bool {
    let Some(Ok(own)) = row.condition.as_deref().map(condition::parse) else {
        return false;
    };
    let mut removals = vec!["REMOVE".to_owned(), r#"REMOVE="ALL""#.to_owned()];
    if let Some(entry) = cx.pkg.files.get(file) {
        removals.push(format!("${}=2", entry.component));
    }
    removals
        .iter()
        .filter_map(|text| condition::parse(text).ok())
        .any(|removal| condition::implies(&own, &removal))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::test_support::assert_actions;
    use crate::testing::MsiBuilder;

    const IE: &str = "InstallExecuteSequence";

    fn package() -> MsiBuilder {
        MsiBuilder::new()
            .standard_execute()
            .file("tool.exe", "Main")
    }

    #[test]
    fn fires_for_deferred_before_install_files_and_before_costing() {
        let b = package()
            .action("TooEarly", 3090, Some("tool.exe"), Some("/x"))
            .action("BeforeCost", 18, Some("tool.exe"), Some("/y"))
            .seq(IE, "TooEarly", None, 3999)
            .seq(IE, "BeforeCost", None, 950);
        let f = assert_actions(&FileActionBeforeInstall, b, &["BeforeCost", "TooEarly"]);
        assert!(f[0].message.contains("before CostFinalize"));
        assert_eq!(f[1].severity, Severity::Error);
    }

    #[test]
    fn immediate_before_finalize_is_a_warning() {
        let b = package()
            .action("Imm", 18, Some("tool.exe"), Some("/z"))
            .seq(IE, "Imm", None, 4001);
        let f = assert_actions(&FileActionBeforeInstall, b, &["Imm"]);
        assert_eq!(f[0].severity, Severity::Warning);
    }

    #[test]
    fn quiet_when_placed_after_the_file_exists() {
        let b = package()
            .action("Deferred", 3090, Some("tool.exe"), Some("/x"))
            .action("AfterFinalize", 18, Some("tool.exe"), Some("/y"))
            .action("FromBinary", 3074, Some("Bin"), Some("/z"))
            .seq(IE, "Deferred", None, 4001)
            .seq(IE, "AfterFinalize", None, 6601)
            .seq(IE, "FromBinary", None, 1600);
        assert_actions(&FileActionBeforeInstall, b, &[]);
    }

    #[test]
    fn removal_work_before_remove_files_is_placed_correctly() {
        let b = |condition: &str, at: i32| {
            package()
                .action("DeleteX64Registry", 3153, Some("tool.exe"), Some("Delete"))
                .seq(IE, "DeleteX64Registry", Some(condition), at)
        };
        assert_actions(
            &FileActionBeforeInstall,
            b("VersionNT64 And REMOVE", 1525),
            &[],
        );
        assert_actions(&FileActionBeforeInstall, b("$Main=2", 1525), &[]);
        assert_actions(&FileActionBeforeInstall, b(r#"REMOVE="ALL""#, 1525), &[]);
        // Install work at the same place still fires.
        assert_actions(
            &FileActionBeforeInstall,
            b("VersionNT64", 1525),
            &["DeleteX64Registry"],
        );
        // Removal work after RemoveFiles runs on a file that is gone.
        let f = assert_actions(
            &FileActionBeforeInstall,
            b("$Main=2", 3600),
            &["DeleteX64Registry"],
        );
        assert!(f[0].help.contains("before RemoveFiles"), "{}", f[0].help);
    }
}
