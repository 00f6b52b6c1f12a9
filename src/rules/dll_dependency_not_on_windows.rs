use crate::code::system_dlls;
use crate::finding::Location;
use crate::model::action_type::BaseKind;
use crate::rules::{Context, Report, Rule, RuleMeta};

declare_rule! {
    /// ## What it does
    /// Reads the import directory of the DLL or EXE each DLL and EXE action calls (types
    /// 1, 2, 17, 18) and finds imported DLLs that a clean Windows does not have: the
    /// versioned Visual C++ runtimes (`MSVCR80.dll` to `MSVCR120.dll`, `MSVCP*.dll`,
    /// `VCRUNTIME*.dll`), their debug builds (`MSVCR80D.dll` ...), MFC, and any other DLL
    /// outside Windows' own (the list, with its sources, is msica's
    /// `src/code/windows-dlls.txt`). `msvcrt.dll` is Windows' own C runtime. The
    /// Universal CRT (`ucrtbase.dll`, `api-ms-win-crt-*`) is part of Windows 10 and
    /// later and is not reported. A DLL the package itself installs is not reported
    /// either. Delay-loaded DLLs are not read: they fail only when called.
    ///
    /// ## Why is this bad?
    /// The loader resolves every import before the entry point runs. On a machine
    /// without the runtime (a clean test machine, a fresh server) the action fails with
    /// error 1723 (DLL) or 1721 (EXE). A debug runtime is never there: only Visual Studio
    /// installs it, and it may not be redistributed.
    ///
    /// ## Example
    /// | Action | Type | Source | Imports |
    /// |---|---|---|---|
    /// | `CustomAction1` | 1026 | `Binary1` | `MSVCR80D.dll`, `KERNEL32.dll` |
    ///
    /// ## Use instead
    /// Link the custom action statically against the C runtime (`/MT`, a release
    /// build), or make sure the runtime is installed before the action runs (a
    /// bootstrapper prerequisite).
    ///
    /// ## References
    /// "Dynamic-Link Library Search Order"; "Known DLLs"; Windows Installer errors
    /// 1721 and 1723.
    pub struct DllDependencyNotOnWindows {
        code: "MCA304",
        name: "dll-dependency-not-on-windows",
        severity: Warning,
        summary: "The action's DLL or EXE imports a DLL a clean Windows lacks (Visual C++ runtimes, debug runtimes, MFC): 1723/1721 there",
    }
}

impl Rule for DllDependencyNotOnWindows {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, cx: &mut Context) {
        for (ca, code) in cx.pkg.actions_with_code() {
            let error = match ca.action_type.kind() {
                BaseKind::Dll => 1723,
                BaseKind::Exe => 1721,
                _ => continue,
            };
            let missing = &code.summary.not_on_windows;
            if missing.is_empty() {
                continue;
            }
            let names = missing
                .iter()
                .map(|d| format!("`{d}`"))
                .collect::<Vec<_>>()
                .join(", ");
            let what = missing
                .iter()
                .find_map(|d| system_dlls::comes_with(d).map(|w| format!("`{d}` comes with {w}")))
                .unwrap_or_else(|| format!("{names} must be installed before the action runs"));
            cx.report(
                Report::new(
                    format!(
                        "`{}` calls {}, which imports {names}: Windows does not have {}, so the action fails with {error} where it is missing",
                        ca.name,
                        code.summary.origin,
                        if missing.len() == 1 { "it" } else { "them" }
                    ),
                    Location::custom_action(ca, "Source"),
                )
                .help(format!(
                    "{what}: link the C runtime statically (/MT, a release build), or install what it needs before the action runs"
                ))
                .code_of(ca, &code.summary),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::test_support::assert_actions;
    use crate::testing::pe::{Arch, PeBuilder};
    use crate::testing::MsiBuilder;

    #[test]
    fn fires_on_runtimes_windows_lacks() {
        let debug = PeBuilder::exe(Arch::X86).import("MSVCR80D.dll").build();
        let system = PeBuilder::dll(Arch::X86)
            .export("Go")
            .import("msvcrt.dll")
            .import("ADVAPI32.dll")
            .import("api-ms-win-crt-runtime-l1-1-0.dll")
            .build();
        let b = MsiBuilder::new()
            .binary_data("Debug", &debug)
            .binary_data("System", &system)
            .action("DebugExe", 1026, Some("Debug"), None)
            .action("SystemDll", 1, Some("System"), Some("Go"));
        let findings = assert_actions(&DllDependencyNotOnWindows, b, &["DebugExe"]);
        assert!(
            findings[0].message.contains("MSVCR80D.dll") && findings[0].message.contains("1721")
        );
        assert!(findings[0].help.contains("debug build"));
    }
}
