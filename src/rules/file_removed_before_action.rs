use crate::analysis::scenarios::Scenario;
use crate::condition::Truth;
use crate::finding::{Location, Severity};
use crate::model::action_type::SourceKind;
use crate::model::SequenceKind;
use crate::rules::{Context, Report, Rule, RuleMeta};

/// `msidbComponentAttributesPermanent`: the component stays at uninstall.
const PERMANENT: i32 = 0x10;

declare_rule! {
    /// ## What it does
    /// Finds deferred and commit actions whose code is an installed file (types 17, 18,
    /// 21 and 22: a DLL, EXE, JScript or VBScript file of the File table) that run on
    /// uninstall after `RemoveFiles`: a deferred action placed after it in
    /// InstallExecuteSequence, or a commit action (which runs when the whole script has
    /// run). The finding is an error when the action certainly runs on uninstall and its
    /// file's component is not permanent; a warning when whether it runs depends on a
    /// property msica cannot know.
    ///
    /// ## Why is this bad?
    /// At uninstall `RemoveFiles` deletes the files of every component being removed,
    /// in the script, before the action's turn. The action's file is gone when Windows
    /// Installer calls it: error 1721 or 1723 (a DLL "required for this install" could
    /// not be run), the uninstall rolls back, and the product cannot be removed without
    /// repairing it first or editing the cached package.
    ///
    /// ## Example
    /// | Action | Type | Source | Condition | Sequence |
    /// |---|---|---|---|---|
    /// | `RemoveFiles` | | | | 3500 |
    /// | `UnregisterPlugin` | 3089 (DLL file, deferred) | `plugin.dll` | `REMOVE="ALL"` | 3600 |
    ///
    /// ## Use instead
    /// Run the action before `RemoveFiles` (3400, after `InstallInitialize`), or stream
    /// its DLL from the Binary table (type 3073), which does not depend on installed files.
    ///
    /// ## References
    /// Microsoft: "Custom Action Type 17", "RemoveFiles Action", "Windows Installer Error
    /// Messages" (1721, 1723); msi-reference 1.4 and 6.1.
    pub struct FileRemovedBeforeAction {
        code: "MCA117",
        name: "file-removed-before-action",
        severity: Error,
        summary: "A deferred or commit action runs an installed file on uninstall after RemoveFiles deleted it",
    }
}

impl Rule for FileRemovedBeforeAction {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, cx: &mut Context) {
        let pkg = cx.pkg;
        let candidates = pkg.custom_actions.iter().any(|ca| {
            ca.action_type.source() == SourceKind::File
                && (ca.action_type.is_deferred() || ca.action_type.is_commit())
        });
        if !candidates {
            return;
        }
        let matrix = cx.scenarios();
        let Some(column) = matrix.column(Scenario::Uninstall) else {
            return;
        };
        for entry in &matrix.actions {
            let ca = entry.action;
            let t = ca.action_type;
            let commit = t.is_commit();
            if t.source() != SourceKind::File || !(t.is_deferred() || commit) {
                continue;
            }
            let verdict = &entry.runs[column];
            if verdict.truth == Truth::No {
                continue;
            }
            let Some(file) = ca.source.as_deref() else {
                continue;
            };
            let Some(component) = pkg.files.get(file).map(|f| f.component.as_str()) else {
                continue;
            };
            let attributes = pkg.components.get(component).copied();
            if attributes.is_some_and(|a| a & PERMANENT != 0) {
                continue;
            }
            for (seq, row) in pkg.schedules(&ca.name) {
                if seq.kind.merged() != SequenceKind::InstallExecuteSequence {
                    continue;
                }
                let (Some(order), Some(remove_files)) = (row.order, seq.order_of("RemoveFiles"))
                else {
                    continue;
                };
                if !commit && order < remove_files {
                    continue;
                }
                let when = if commit {
                    "as a commit action, when the whole script has run".to_owned()
                } else {
                    format!(
                        "at {}, after RemoveFiles ({})",
                        row.position_label(),
                        seq.row("RemoveFiles")
                            .map_or_else(String::new, |r| r.position_label())
                    )
                };
                let mut report = Report::new(
                    format!(
                        "`{}` runs file `{file}` (component {component}) on uninstall {when}, which has deleted it: 1721/1723 and the product cannot be removed",
                        ca.name
                    ),
                    Location::sequence_row(seq, row, "Sequence"),
                )
                .help(format!(
                    "schedule `{}` before RemoveFiles, or run its code from the Binary table instead of an installed file",
                    ca.name
                ))
                .action(&ca.name)
                .row(row)
                .action_type(t);
                if verdict.truth == Truth::Maybe {
                    report = report
                        .note(format!(
                            "whether it runs on uninstall depends on {}",
                            verdict.depends_on.join(", ")
                        ))
                        .cap(Severity::Warning);
                }
                if attributes.is_none() {
                    report = report
                        .note(format!(
                            "component {component} is not in the Component table that msica read"
                        ))
                        .cap(Severity::Warning);
                }
                cx.report(report);
                break;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::test_support::assert_actions;
    use crate::testing::MsiBuilder;

    const IE: &str = "InstallExecuteSequence";

    /// A deferred DLL from the installed file `plugin.dll` (type 17 + 1024).
    fn package(condition: Option<&str>, sequence: i32, attributes: i32) -> MsiBuilder {
        MsiBuilder::new()
            .standard_execute()
            .file("plugin.dll", "Plugin")
            .component("Plugin", attributes)
            .action(
                "Unregister",
                17 | 1024,
                Some("plugin.dll"),
                Some("Unregister"),
            )
            .seq(IE, "Unregister", condition, sequence)
    }

    #[test]
    fn fires_after_remove_files_on_uninstall() {
        let f = assert_actions(
            &FileRemovedBeforeAction,
            package(Some("REMOVE=\"ALL\""), 3600, 0),
            &["Unregister"],
        );
        assert_eq!(f[0].severity, Severity::Error);
        assert!(
            f[0].message.contains("after RemoveFiles (3500)"),
            "{}",
            f[0].message
        );
        // No condition: it runs on uninstall too.
        assert_actions(
            &FileRemovedBeforeAction,
            package(None, 3600, 0),
            &["Unregister"],
        );
    }

    #[test]
    fn a_commit_action_runs_after_every_removal_wherever_it_is_placed() {
        let b = MsiBuilder::new()
            .standard_execute()
            .file("plugin.dll", "Plugin")
            .component("Plugin", 0)
            .action(
                "Finish",
                17 | 1024 | 512,
                Some("plugin.dll"),
                Some("Finish"),
            )
            .seq(IE, "Finish", None, 1600);
        assert_actions(&FileRemovedBeforeAction, b, &["Finish"]);
    }

    #[test]
    fn maybe_on_uninstall_is_a_warning() {
        let f = assert_actions(
            &FileRemovedBeforeAction,
            package(Some("CLEANUP"), 3600, 0),
            &["Unregister"],
        );
        assert_eq!(f[0].severity, Severity::Warning);
        assert!(
            f[0].notes.iter().any(|n| n.contains("CLEANUP")),
            "{:?}",
            f[0].notes
        );
    }

    #[test]
    fn quiet_before_remove_files_when_not_on_uninstall_or_permanent() {
        assert_actions(&FileRemovedBeforeAction, package(None, 3400, 0), &[]);
        assert_actions(
            &FileRemovedBeforeAction,
            package(Some("NOT Installed"), 3600, 0),
            &[],
        );
        assert_actions(
            &FileRemovedBeforeAction,
            package(Some("REMOVE=\"ALL\" AND NOT Installed"), 3600, 0),
            &[],
        );
        assert_actions(
            &FileRemovedBeforeAction,
            package(None, 3600, PERMANENT),
            &[],
        );
    }
}
