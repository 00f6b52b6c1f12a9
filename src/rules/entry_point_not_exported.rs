use crate::code::CodeKind;
use crate::finding::Location;
use crate::model::action_type::BaseKind;
use crate::rules::{Context, Report, Rule, RuleMeta};

declare_rule! {
    /// ## What it does
    /// Reads the DLL of every DLL custom action (types 1 and 17) and checks that the
    /// action's Target is one of its exports, as `GetProcAddress` looks it up: the exact
    /// name, case-sensitive. When the DLL exports a decorated or differently cased form
    /// (`_ConfigureDb@4`, `ConfigureDb@4`, `configuredb`), the finding names it.
    ///
    /// ## Why is this bad?
    /// The installer loads the DLL and asks for the entry point by name; a name the DLL
    /// does not export fails the action with error 1723 ("a DLL required for this
    /// install to complete could not be run"). A `__stdcall` function exported without
    /// a .def file carries its decoration (`_ConfigureDb@4`), which the plain name does
    /// not match.
    ///
    /// ## Example
    /// | Action | Type | Source | Target |
    /// |---|---|---|---|
    /// | `ConfigureDb` | 1 | `DbCA` (exports `_ConfigureDb@4`) | `ConfigureDb` |
    ///
    /// ## Use instead
    /// Export the plain name: a .def file (`EXPORTS ConfigureDb`), or
    /// `#pragma comment(linker, "/EXPORT:ConfigureDb=_ConfigureDb@4")`; or set Target
    /// to a name the DLL exports. For a DTF action, rebuild the `.CA.dll`: MakeSfxCA
    /// exports each method marked `[CustomAction]`.
    ///
    /// ## References
    /// "Custom Action Type 1"; "Exporting from a DLL Using DEF Files"; Windows
    /// Installer errors 1723 and 2737.
    pub struct EntryPointNotExported {
        code: "MCA302",
        name: "entry-point-not-exported",
        severity: Error,
        summary: "A DLL action's Target is not an export of its DLL (GetProcAddress semantics; decorated names say so): 1723",
    }
}

impl Rule for EntryPointNotExported {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, cx: &mut Context) {
        for (ca, code) in cx.pkg.actions_with_code() {
            if ca.action_type.kind() != BaseKind::Dll {
                continue;
            }
            let Some(pe) = code.code.pe() else {
                continue;
            };
            let target = ca.target.as_deref().unwrap_or_default();
            // An empty Target is empty-target's; a managed assembly or a
            // program is managed-dll-without-exports' or not-an-executable's;
            // a damaged export directory proves nothing.
            let exportless = pe.named_exports().next().is_none();
            if target.is_empty()
                || code.summary.entry_exported != Some(false)
                || code.summary.kind == CodeKind::ManagedAssembly
                || (exportless && !pe.is_dll)
                || !pe.damage.is_empty()
            {
                continue;
            }
            let near = pe.near_exports(target);
            let help = if let Some(first) = near.first() {
                format!(
                    "the DLL exports `{first}`: export the plain name `{target}` with a .def file (`EXPORTS {target}={first}`) or `/EXPORT:{target}={first}`, or set Target to `{first}`"
                )
            } else if code.summary.kind == CodeKind::Dtf {
                format!(
                    "rebuild the DTF .CA.dll: MakeSfxCA exports each method marked [CustomAction]; `{target}` is not one of them"
                )
            } else if exportless {
                format!("the DLL exports nothing: export `{target}` from it (a .def file)")
            } else {
                let mut names: Vec<&str> = pe
                    .named_exports()
                    .filter(|e| !e.starts_with("zzz"))
                    .take(8)
                    .collect();
                names.sort_unstable();
                format!(
                    "set Target to an export of the DLL ({}), or export `{target}` from it",
                    names
                        .iter()
                        .map(|n| format!("`{n}`"))
                        .collect::<Vec<_>>()
                        .join(", ")
                )
            };
            let message = match near.first() {
                Some(first) => format!(
                    "`{}` calls `{target}`, which {} does not export; it exports `{first}`",
                    ca.name, code.summary.origin
                ),
                None => format!(
                    "`{}` calls `{target}`, which {} does not export",
                    ca.name, code.summary.origin
                ),
            };
            cx.report(
                Report::new(message, Location::custom_action(ca, "Target"))
                    .help(help)
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
    fn fires_on_a_missing_or_decorated_entry_point_only() {
        let decorated = PeBuilder::dll(Arch::X86).export("_ConfigureDb@4").build();
        let def_exported = PeBuilder::dll(Arch::X86)
            .export("ConfigureDb")
            .export("_ConfigureDb@4")
            .build();
        let b = MsiBuilder::new()
            .binary_data("Decorated", &decorated)
            .binary_data("Def", &def_exported)
            .action("Decorated", 1, Some("Decorated"), Some("ConfigureDb"))
            .action("Cased", 1, Some("Def"), Some("configuredb"))
            .action("Healthy", 1, Some("Def"), Some("ConfigureDb"))
            .action("Exe", 2, Some("Decorated"), Some("ConfigureDb"));
        let findings = assert_actions(&EntryPointNotExported, b, &["Cased", "Decorated"]);
        assert!(
            findings[0].help.contains("`ConfigureDb`"),
            "{}",
            findings[0].help
        );
        assert!(findings[1].help.contains("_ConfigureDb@4") && findings[1].help.contains(".def"));
    }

    #[test]
    fn reads_an_installed_dll_from_the_embedded_cabinet() {
        let dll = PeBuilder::dll(Arch::X86).export("Configure").build();
        let b = MsiBuilder::new()
            .installed_file("ca.dll", "ca.dll", &dll)
            .action("Healthy", 17, Some("ca.dll"), Some("Configure"))
            .action("Wrong", 17, Some("ca.dll"), Some("Configur"));
        assert_actions(&EntryPointNotExported, b.clone(), &["Wrong"]);
        let pkg = b.load();
        let code = pkg.code("Healthy").expect("the installed DLL was read");
        assert_eq!(code.summary.entry_exported, Some(true));
        assert_eq!(
            code.summary.origin,
            "file ca.dll (ca.dll) in cabinet #code.cab"
        );
    }

    #[test]
    fn a_dtf_stub_with_the_entry_point_is_quiet() {
        let stub = PeBuilder::dtf_stub(
            Arch::X86,
            &[("Install", "Setup!Setup.Actions.Install")],
            "v4.0",
        )
        .build();
        let b = MsiBuilder::new()
            .binary_data("SetupCA", &stub)
            .action("Install", 1, Some("SetupCA"), Some("Install"))
            .action("Uninstall", 1, Some("SetupCA"), Some("Uninstall"));
        let findings = assert_actions(&EntryPointNotExported, b, &["Uninstall"]);
        assert!(findings[0].help.contains("MakeSfxCA"));
    }
}
