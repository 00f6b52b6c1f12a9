use crate::model::action_type::TypeProblem;
use crate::rules::{report_type_problems, Context, Rule, RuleMeta};

declare_rule! {
    /// ## What it does
    /// Finds the 64-bit script bit (`0x1000`) on an action that is not a JScript or
    /// VBScript action.
    ///
    /// ## Why is this bad?
    /// The bitness of DLL and EXE actions comes from the binary itself. The bit means
    /// nothing there, and suggests the author expected it to select a 64-bit host. WiX
    /// refuses to build it.
    ///
    /// ## Example
    /// | Action | Type |
    /// |---|---|
    /// | `Configure64` | 4097 (DLL + 0x1000) |
    ///
    /// ## Use instead
    /// Remove the bit (1); build the DLL for the platform you need.
    ///
    /// ## References
    /// "64-Bit Custom Actions"; ICE80.
    pub struct X64ScriptFlag {
        code: "MCA208",
        name: "x64-script-flag",
        severity: Warning,
        summary: "The 64-bit script bit on an action that is not a script",
    }
}

impl Rule for X64ScriptFlag {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, cx: &mut Context) {
        report_type_problems(
            cx,
            &[TypeProblem::X64NotScript],
            |_, _| "remove the 0x1000 bit; only script actions use it".into(),
            &[],
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::test_support::assert_actions;
    use crate::testing::MsiBuilder;

    #[test]
    fn fires_on_non_script_actions() {
        let b = MsiBuilder::new()
            .action("Dll64", 4097, Some("Bin"), Some("x"))
            .action("Vbs64", 4102, Some("Bin"), Some("x"));
        assert_actions(&X64ScriptFlag, b, &["Dll64"]);
    }
}
