use crate::finding::Location;
use crate::model::action_type::BaseKind;
use crate::rules::{Context, Report, Rule, RuleMeta};

declare_rule! {
    /// ## What it does
    /// Finds DLL and EXE custom actions (types 1, 2, 17, 18) whose code is 64-bit (x64
    /// or ARM64) in a package whose Template summary property says it installs on
    /// 32-bit Windows (`Intel`, or no platform). An action whose every schedule is
    /// conditioned on `VersionNT64` (or `Msix64`) runs only on 64-bit Windows and is not
    /// reported; 32-bit code in a 64-bit package is fine (it runs in the 32-bit custom
    /// action server) and is not reported either.
    ///
    /// ## Why is this bad?
    /// A 32-bit package installs on 32-bit Windows, where 64-bit code cannot load: the
    /// action fails with error 1723 (DLL) or 1721 (EXE) there.
    ///
    /// ## Example
    /// | Template | Action | Type | Source |
    /// |---|---|---|---|
    /// | `Intel;1033` | `Configure` | 1 | `ConfigCA` (an x64 DLL) |
    ///
    /// ## Use instead
    /// Ship the 32-bit build of the custom action in the 32-bit package (and the 64-bit
    /// build in an x64 package), or condition the action on `VersionNT64`.
    ///
    /// ## References
    /// "64-bit Custom Actions"; "Template Summary property"; Windows Installer error 1723.
    pub struct DllArchitectureMismatch {
        code: "MCA307",
        name: "dll-architecture-mismatch",
        severity: Warning,
        summary: "64-bit code in a package that installs on 32-bit Windows (Template `Intel`)",
    }
}

impl Rule for DllArchitectureMismatch {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, cx: &mut Context) {
        let pkg = cx.pkg;
        let Some(platform) = pkg.summary.platform.as_deref() else {
            return;
        };
        if !(platform.is_empty() || platform.eq_ignore_ascii_case("Intel")) {
            return;
        }
        for (ca, code) in pkg.actions_with_code() {
            if !matches!(ca.action_type.kind(), BaseKind::Dll | BaseKind::Exe) {
                continue;
            }
            let Some(pe) = code.code.pe() else {
                continue;
            };
            if !pe.machine.is_64_bit() {
                continue;
            }
            let conditions: Vec<Option<&str>> = pkg
                .schedules(&ca.name)
                .map(|(_, row)| row.condition.as_deref())
                .chain(
                    pkg.do_action_callers(&ca.name)
                        .map(|e| e.condition.as_deref()),
                )
                .collect();
            let only_on_64_bit = |c: &Option<&str>| {
                c.is_some_and(|c| {
                    let c = c.to_ascii_lowercase();
                    (c.contains("versionnt64") || c.contains("msix64")) && !c.contains("not")
                })
            };
            if conditions.is_empty() || conditions.iter().all(only_on_64_bit) {
                continue;
            }
            let machine = pe.machine.describe();
            cx.report(
                Report::new(
                    format!(
                        "`{}` runs {}, {machine} code, but the package installs on 32-bit Windows (Template `{}`), where it cannot load",
                        ca.name,
                        code.summary.origin,
                        if platform.is_empty() { "Intel" } else { platform }
                    ),
                    Location::custom_action(ca, "Source"),
                )
                .help("ship the 32-bit build of the custom action in the 32-bit package, or condition the action on VersionNT64")
                .code_of(ca, &code.summary),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::test_support::{assert_actions, run};
    use crate::testing::pe::{Arch, PeBuilder};
    use crate::testing::MsiBuilder;

    const IE: &str = "InstallExecuteSequence";

    fn package() -> MsiBuilder {
        let x64 = PeBuilder::dll(Arch::X64).export("Go").build();
        let arm64 = PeBuilder::dll(Arch::Arm64).export("Go").build();
        let x86 = PeBuilder::dll(Arch::X86).export("Go").build();
        MsiBuilder::new()
            .binary_data("X64", &x64)
            .binary_data("Arm64", &arm64)
            .binary_data("X86", &x86)
            .action("X64Dll", 1, Some("X64"), Some("Go"))
            .action("Arm64Dll", 1, Some("Arm64"), Some("Go"))
            .action("Guarded", 1, Some("X64"), Some("Go"))
            .action("X86Dll", 1, Some("X86"), Some("Go"))
            .seq(IE, "X64Dll", None, 100)
            .seq(IE, "Arm64Dll", None, 101)
            .seq(IE, "Guarded", Some("VersionNT64"), 102)
            .seq(IE, "X86Dll", None, 103)
    }

    #[test]
    fn fires_on_64_bit_code_in_a_32_bit_package() {
        assert_actions(&DllArchitectureMismatch, package(), &["Arm64Dll", "X64Dll"]);
    }

    #[test]
    fn a_64_bit_package_is_quiet() {
        assert!(run(&DllArchitectureMismatch, package().template("x64;1033")).is_empty());
    }
}
