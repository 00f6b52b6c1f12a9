use crate::model::action_type::TypeProblem;
use crate::model::{ActionType, CustomAction, Package, WindowPosition};
use crate::rules::{report_type_problems, Context, Rule, RuleMeta};

declare_rule! {
    /// ## What it does
    /// Finds the no-impersonate bit (`0x800`) or the TS-aware bit (`0x4000`) on an
    /// action that is not in-script.
    ///
    /// ## Why is this bad?
    /// Both bits only take effect together with `0x400`. An immediate action always
    /// runs with the installing user's rights, so an author who set `0x800` to get
    /// elevation does not get it and the action may fail with access denied. ICE68 warns.
    ///
    /// ## Example
    /// | Action | Type |
    /// |---|---|
    /// | `RegisterDriver` | 2049 (DLL, immediate, no-impersonate) |
    ///
    /// ## Use instead
    /// Make the action deferred (3073) if it needs system rights, or drop the bit (1).
    /// A deferred action runs only inside the script window: an action scheduled after
    /// `InstallFinalize`, in a UI sequence or from a DoAction event must also move
    /// between `InstallInitialize` and `InstallFinalize` in the execute sequence, or
    /// adding `0x400` turns this warning into error 2762. The finding says where the
    /// action is scheduled when it has to move. A set-property, set-directory, error or
    /// nested-install action can never be deferred: for those the only fix is to remove
    /// the bit.
    ///
    /// ## References
    /// ICE68; "Custom Action In-Script Execution Options".
    pub struct NoImpersonateIgnored {
        code: "MCA207",
        name: "no-impersonate-ignored",
        severity: Warning,
        summary: "The no-impersonate or TS-aware bit on an action that is not in-script, where it has no effect",
    }
}

impl Rule for NoImpersonateIgnored {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, cx: &mut Context) {
        report_type_problems(
            cx,
            &[
                TypeProblem::NoImpersonateNotInScript,
                TypeProblem::TsAwareNotInScript,
            ],
            help,
            &[],
        );
    }
}

/// Adding 0x400 is only half the fix for an action that runs outside the
/// script window: a deferred action there fails with error 2762.
fn help(pkg: &Package, ca: &CustomAction) -> String {
    const ADVICE: &str =
        "make the action deferred (add 0x400) if it needs the system context, or remove the bit";
    // Text actions and nested installs can never run in the script.
    if ActionType::new(ca.action_type.raw | 0x400, None)
        .problems()
        .contains(&TypeProblem::NotDeferrable)
    {
        return "remove the bit: this kind of action cannot run in the installation script, so it never runs in the system context".to_owned();
    }
    let outside: Vec<String> = pkg
        .schedules(&ca.name)
        .filter(|(seq, row)| {
            !seq.kind.is_execute() || seq.window_position(row) != WindowPosition::Inside
        })
        .map(|(seq, row)| format!("{} at {}", seq.kind.table_name(), row.position_label()))
        .collect();
    if outside.is_empty() && pkg.do_action_callers(&ca.name).next().is_none() {
        return ADVICE.to_owned();
    }
    let place = if outside.is_empty() {
        "it is called by a DoAction control event".to_owned()
    } else {
        format!("it is scheduled in {}", outside.join(", "))
    };
    format!(
        "{ADVICE}; a deferred action must also move into the execute sequence between InstallInitialize and InstallFinalize, because {place}, where a deferred action fails with error 2762"
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::test_support::assert_actions;
    use crate::testing::MsiBuilder;

    #[test]
    fn fires_on_immediate_actions_only() {
        let b = MsiBuilder::new()
            .action("Imm", 2049, Some("Bin"), Some("x"))
            .action("Ts", 1 + 0x4000, Some("Bin"), Some("x"))
            .action("Deferred", 3073, Some("Bin"), Some("x"))
            .action("DeferredTs", 1025 + 0x4000, Some("Bin"), Some("x"));
        assert_actions(&NoImpersonateIgnored, b, &["Imm", "Ts"]);
    }

    #[test]
    fn the_help_says_to_move_an_action_after_install_finalize() {
        let b = MsiBuilder::new()
            .standard_execute()
            .action("associate", 2114, Some("Bin"), Some("x"))
            .action("Inside", 2049, Some("Bin"), Some("x"))
            .action("SetFooData", 2099, Some("InstallFoo"), Some("[INSTALLDIR]"))
            .seq("InstallExecuteSequence", "associate", None, 6601)
            .seq("InstallExecuteSequence", "Inside", None, 4001);
        let f = assert_actions(
            &NoImpersonateIgnored,
            b,
            &["Inside", "SetFooData", "associate"],
        );
        assert!(
            f[1].help
                .starts_with("remove the bit: this kind of action cannot run"),
            "{}",
            f[1].help
        );
        let f = [&f[0], &f[2]];
        assert!(!f[0].help.contains("2762"), "{}", f[0].help);
        assert!(
            f[1].help.contains("InstallExecuteSequence at 6601") && f[1].help.contains("2762"),
            "{}",
            f[1].help
        );
    }
}
