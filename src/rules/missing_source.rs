use crate::finding::Location;
use crate::rules::{Context, Report, Rule, RuleMeta};

declare_rule! {
    /// ## What it does
    /// Finds custom actions whose Source must be a key of the Binary table (types 1, 2,
    /// 5, 6), the File table (17, 18, 21, 22) or the Directory table (34, 35), but names
    /// no row there.
    ///
    /// ## Why is this bad?
    /// The installer cannot find the code or the directory and fails with error 2721
    /// (Binary), 2722 (File) or 2727 (Directory). ICE03's foreign-key check reports it.
    ///
    /// ## Example
    /// | Action | Type | Source |
    /// |---|---|---|
    /// | `Configure` | 3073 | `ConfigCA.dll` (Binary has `ConfigCA`) |
    ///
    /// ## Use instead
    /// Point Source at the existing row, or add the Binary/File/Directory row.
    ///
    /// ## References
    /// ICE03; Windows Installer errors 2721, 2722, 2727.
    pub struct MissingSource {
        code: "MCA301",
        name: "missing-source",
        severity: Error,
        summary: "Source does not resolve to a row of the table its type demands (Binary, File, Directory)",
    }
}

impl Rule for MissingSource {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, cx: &mut Context) {
        let pkg = cx.pkg;
        for ca in &pkg.custom_actions {
            let Some(table) = ca.action_type.source_table() else {
                continue;
            };
            let source = ca.source.as_deref().unwrap_or("");
            let found = match table {
                "Binary" => pkg.binaries.contains(source),
                "File" => pkg.files.contains_key(source),
                _ => pkg.directories.contains(source),
            };
            // A key may be missing only because its row cannot be read.
            if found || pkg.has_unreadable_rows(table) {
                continue;
            }
            let message = if source.is_empty() {
                format!(
                    "`{}` has no Source, but its type needs a key of the {table} table",
                    ca.name
                )
            } else {
                format!(
                    "Source `{source}` of `{}` is not a key of the {table} table",
                    ca.name
                )
            };
            cx.report(
                Report::new(message, Location::custom_action(ca, "Source"))
                    .help(format!(
                        "point Source at an existing {table} row, or add the row"
                    ))
                    .action(&ca.name)
                    .action_type(ca.action_type),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::test_support::assert_actions;
    use crate::testing::MsiBuilder;

    #[test]
    fn fires_on_dangling_sources() {
        let b = MsiBuilder::new()
            .binary("Bin")
            .file("tool.exe", "Comp")
            .directory("INSTALLDIR", None)
            .action("BadBinary", 1, Some("Missing"), Some("E"))
            .action("BadFile", 18, Some("nofile"), None)
            .action("BadDir", 35, Some("NODIR"), Some("x"))
            .action("NoSource", 1, None, Some("E"))
            .action("GoodBinary", 1, Some("Bin"), Some("E"))
            .action("GoodFile", 18, Some("tool.exe"), None)
            .action("GoodDir", 34, Some("INSTALLDIR"), Some("x.exe"))
            .action("PropExe", 50, Some("ANYPROP"), None);
        assert_actions(
            &MissingSource,
            b,
            &["BadBinary", "BadDir", "BadFile", "NoSource"],
        );
    }
}
