use crate::code::CodeKind;
use crate::finding::Location;
use crate::model::action_type::BaseKind;
use crate::rules::{Context, Report, Rule, RuleMeta};

declare_rule! {
    /// ## What it does
    /// Finds DLL custom actions (types 1 and 17) whose DLL is a .NET assembly (it has a
    /// CLR header) with no native export.
    ///
    /// ## Why is this bad?
    /// Windows Installer calls a DLL action through `LoadLibrary` and `GetProcAddress`; a
    /// managed assembly exports nothing they can find, so the action always fails with
    /// error 1723. Managed custom actions need a native stub that hosts the runtime: the
    /// `.CA.dll` that WiX's MakeSfxCA (or WixSharp) builds from the assembly.
    ///
    /// ## Example
    /// | Action | Type | Source | Target |
    /// |---|---|---|---|
    /// | `Configure` | 1 | `MyActions` (MyActions.dll, a managed assembly) | `Configure` |
    ///
    /// ## Use instead
    /// Put the `.CA.dll` that MakeSfxCA produces (`MyActions.CA.dll`, built by the WiX
    /// custom action project) in the Binary row, not the assembly itself.
    ///
    /// ## References
    /// WiX "Deployment Tools Foundation: managed custom actions"; Windows Installer error 1723.
    pub struct ManagedDllWithoutExports {
        code: "MCA303",
        name: "managed-dll-without-exports",
        severity: Error,
        summary: "A DLL action whose code is a managed assembly with no native export (not the MakeSfxCA `.CA.dll`): 1723",
    }
}

impl Rule for ManagedDllWithoutExports {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, cx: &mut Context) {
        for (ca, code) in cx.pkg.actions_with_code() {
            if ca.action_type.kind() != BaseKind::Dll {
                continue;
            }
            if code.summary.kind != CodeKind::ManagedAssembly {
                continue;
            }
            let source = ca.source.as_deref().unwrap_or_default();
            cx.report(
                Report::new(
                    format!(
                        "`{}` calls {}, a .NET assembly with no native export: it can never load",
                        ca.name, code.summary.origin
                    ),
                    Location::custom_action(ca, "Source"),
                )
                .help(format!(
                    "store the MakeSfxCA (or WixSharp) output in Binary row `{source}`: the `.CA.dll` built from the assembly, whose exports call its [CustomAction] methods"
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
    fn fires_on_an_assembly_not_on_its_ca_dll() {
        let assembly = PeBuilder::managed(Arch::X86).build();
        let stub = PeBuilder::dtf_stub(
            Arch::X86,
            &[("Configure", "MyActions!MyActions.CustomActions.Configure")],
            "v4.0",
        )
        .build();
        let b = MsiBuilder::new()
            .binary_data("MyActions", &assembly)
            .binary_data("MyActionsCA", &stub)
            .action("Raw", 1, Some("MyActions"), Some("Configure"))
            .action("Configure", 1, Some("MyActionsCA"), Some("Configure"));
        let findings = assert_actions(&ManagedDllWithoutExports, b, &["Raw"]);
        assert!(findings[0].help.contains(".CA.dll"));
    }
}
