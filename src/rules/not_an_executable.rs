use crate::code::Content;
use crate::finding::Location;
use crate::model::action_type::BaseKind;
use crate::rules::{Context, Report, Rule, RuleMeta};

declare_rule! {
    /// ## What it does
    /// Finds DLL and EXE custom actions (types 1, 2, 17, 18) whose code is not a PE image
    /// of the kind the type needs: text, an image, an installer database, an MS-DOS
    /// program; a DLL action whose image is a program with no exports; an EXE action
    /// whose image is a DLL. Code msica could not read (a missing stream, a file in an
    /// external cabinet, a damaged image) is not judged.
    ///
    /// ## Why is this bad?
    /// The installer writes the stream to a temporary file and loads it as a DLL or
    /// starts it as a program; neither works on data that is not one, and the action
    /// fails with error 1723 (DLL) or 1721 (EXE), usually after a wrong Binary row was
    /// picked or a placeholder file was left in the build.
    ///
    /// ## Example
    /// | Action | Type | Source (holds) |
    /// |---|---|---|
    /// | `Configure` | 1 | `ConfigCA` (a text file) |
    ///
    /// ## Use instead
    /// Point the Binary (or File) row at the built DLL or EXE, and make sure the type
    /// matches it (1 or 17 for a DLL, 2 or 18 for a program).
    ///
    /// ## References
    /// "Custom Action Type 1", "Custom Action Type 2"; Windows Installer errors 1721 and 1723.
    pub struct NotAnExecutable {
        code: "MCA306",
        name: "not-an-executable",
        severity: Error,
        summary: "A DLL or EXE action whose code is not a PE image of the kind its type needs",
    }
}

impl Rule for NotAnExecutable {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, cx: &mut Context) {
        for (ca, code) in cx.pkg.actions_with_code() {
            let kind = ca.action_type.kind();
            let (needs, error) = match kind {
                BaseKind::Dll => ("a DLL", 1723),
                BaseKind::Exe => ("a program", 1721),
                _ => continue,
            };
            let is = match &code.code.content {
                Content::Data(what) => what.clone(),
                Content::Pe(pe)
                    if kind == BaseKind::Dll
                        && !pe.is_dll
                        && pe.named_exports().next().is_none() =>
                {
                    "a program with no exports".into()
                }
                Content::Pe(pe) if kind == BaseKind::Exe && pe.is_dll => "a DLL".into(),
                _ => continue,
            };
            cx.report(
                Report::new(
                    format!(
                        "`{}` runs {} as {needs}, but it is {is}: the action fails with {error}",
                        ca.name, code.summary.origin
                    ),
                    Location::custom_action(ca, "Source"),
                )
                .help(format!(
                    "point Source at the built {} (or change the type to match the code)",
                    if kind == BaseKind::Dll {
                        "DLL"
                    } else {
                        "program"
                    }
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
    fn fires_on_data_and_the_wrong_kind_of_image() {
        let dll = PeBuilder::dll(Arch::X86).export("Go").build();
        let exe = PeBuilder::exe(Arch::X86).build();
        let b = MsiBuilder::new()
            .binary_data("Text", b"placeholder text\r\n")
            .binary_data("Png", b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR")
            .binary_data("Dll", &dll)
            .binary_data("Exe", &exe)
            .action("TextDll", 1, Some("Text"), Some("Go"))
            .action("PngExe", 2, Some("Png"), None)
            .action("ExeAsDll", 1, Some("Exe"), Some("Go"))
            .action("DllAsExe", 2, Some("Dll"), None)
            .action("GoodDll", 1, Some("Dll"), Some("Go"))
            .action("GoodExe", 2, Some("Exe"), None)
            .action("NoStream", 1, Some("Missing"), Some("Go"))
            .binary("Missing");
        let findings = assert_actions(
            &NotAnExecutable,
            b,
            &["DllAsExe", "ExeAsDll", "PngExe", "TextDll"],
        );
        assert!(findings[3].message.contains("text"));
        assert!(findings[2].message.contains("PNG"));
    }
}
