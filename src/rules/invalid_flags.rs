use crate::model::action_type::TypeProblem;
use crate::rules::{report_type_problems, Context, Rule, RuleMeta};

declare_rule! {
    /// ## What it does
    /// Finds contradictory option bits in a custom action Type:
    /// - asynchronous execution (`0x80`) of a rollback action, a script or a nested install;
    /// - asynchronous no-wait (`0xC0`) on anything but an EXE;
    /// - in-script bits on a type that cannot be deferred (nested installs, error, set
    ///   directory, set property);
    /// - in-script with both rollback and commit bits (`0x700`), which has no meaning;
    /// - asynchronous commit actions (undocumented; reported as a warning).
    ///
    /// ## Why is this bad?
    /// The documentation forbids these combinations; the installer either ignores a bit
    /// the author relied on or fails. A rollback that runs asynchronously may still be
    /// running when the rollback finishes; a deferred set-property does nothing useful.
    ///
    /// ## Example
    /// | Action | Type |
    /// |---|---|
    /// | `UndoFoo` | 1409 (DLL, rollback, asynchronous) |
    ///
    /// ## Use instead
    /// Drop the contradictory bit: 1281 for a synchronous rollback DLL; run EXEs with
    /// `0xC0` only.
    ///
    /// An action an authoring tool's engine generates (InstallShield's
    /// `ISMsiServerStartup`, Type 193, from `ISScriptBridge.dll`) is reported as info
    /// only: its author cannot change the row, and the tool's engine works with it.
    ///
    /// ## References
    /// "Custom Action Return Processing Options"; "Custom Action In-Script Execution
    /// Options"; "Concurrent Installations".
    pub struct InvalidFlags {
        code: "MCA202",
        name: "invalid-flags",
        severity: Error,
        summary: "Contradictory option bits: asynchronous rollback, commit, script or nested install, async-no-wait on a non-EXE, and the like",
    }
}

impl Rule for InvalidFlags {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, cx: &mut Context) {
        use TypeProblem::*;
        report_type_problems(
            cx,
            &[
                UndefinedInScript,
                NotDeferrable,
                AsyncNoWaitNotExe,
                AsyncScript,
                AsyncRollback,
                AsyncNestedInstall,
                AsyncCommit,
            ],
            |_, _| {
                "remove the contradictory option bits; `msica explain TYPE` shows what each bit means here".into()
            },
            &[AsyncCommit],
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::finding::Severity;
    use crate::rules::test_support::assert_actions;
    use crate::testing::MsiBuilder;

    #[test]
    fn fires_on_contradictions() {
        let b = MsiBuilder::new()
            .action("AsyncRollback", 1409, Some("Bin"), Some("x"))
            .action("AsyncScript", 6 + 0x80, Some("Bin"), Some("x"))
            .action("NoWaitDll", 1 + 0xC0, Some("Bin"), Some("x"))
            .action("DeferredProp", 51 + 0x400, Some("P"), Some("x"))
            .action("Undefined", 1 + 0x700, Some("Bin"), Some("x"))
            .action("AsyncCommit", 1 + 0x80 + 0x600, Some("Bin"), Some("x"))
            .action("NoWaitExe", 2 + 0xC0, Some("Bin"), Some("x"));
        let f = assert_actions(
            &InvalidFlags,
            b,
            &[
                "AsyncCommit",
                "AsyncRollback",
                "AsyncScript",
                "DeferredProp",
                "NoWaitDll",
                "Undefined",
            ],
        );
        assert_eq!(f[0].severity, Severity::Warning);
        assert_eq!(f[1].severity, Severity::Error);
    }

    #[test]
    fn an_authoring_tool_engine_row_is_info() {
        let b = MsiBuilder::new().binary("ISScriptBridge.dll").action(
            "ISMsiServerStartup",
            193,
            Some("ISScriptBridge.dll"),
            Some("MsiServerStartup"),
        );
        let f = assert_actions(&InvalidFlags, b, &["ISMsiServerStartup"]);
        assert_eq!(f[0].severity, Severity::Info);
        assert!(f[0]
            .notes
            .iter()
            .any(|n| n.contains("InstallScript engine")));
    }
}
