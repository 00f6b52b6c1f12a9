use std::collections::BTreeMap;

use crate::db::transform::ConflictKind;
use crate::finding::{Location, Severity};
use crate::rules::{Context, Report, Rule, RuleMeta};

declare_rule! {
    /// ## What it does
    /// Finds changes a transform (`-t`) makes that this package cannot take: a row
    /// added that already exists, a row deleted or updated that does not exist, a
    /// table added that exists or dropped that does not, a codepage that differs from
    /// the package's when neither is neutral. A change is reported only when the
    /// transform's error-condition flags do not tell Windows Installer to ignore it.
    ///
    /// Rows of a table the package does not have (and the transform does not add)
    /// are reported as a warning: no error flag covers them, and the changes are lost.
    ///
    /// ## Why is this bad?
    /// msiexec stops the installation with error 1624 (ERROR_INSTALL_TRANSFORM_FAILURE)
    /// when a transform in TRANSFORMS cannot be applied. This usually means the
    /// transform was made against another build of the package.
    ///
    /// ## Example
    /// `site.mst` inserts the Property row `INSTALLDIR`, which `app.msi` already has,
    /// and its summary information does not suppress "adding an existing row" (0x1).
    ///
    /// ## Use instead
    /// Regenerate the transform against this build (`msitran -g base.msi new.msi site.mst`,
    /// or your authoring tool), or set the error-condition flags that make the
    /// difference harmless when you know it is.
    ///
    /// ## References
    /// `MsiDatabaseApplyTransform` and `MsiCreateTransformSummaryInfo` (error
    /// conditions); msi-reference 8.2.1.
    pub struct TransformConflict {
        code: "MCA601",
        name: "transform-conflict",
        severity: Error,
        summary: "A change a transform makes cannot be applied to this package and its error-condition flags do not suppress it",
    }
}

/// At most this many row keys are named in one finding.
const KEYS_SHOWN: usize = 5;

impl Rule for TransformConflict {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, cx: &mut Context) {
        for t in &cx.pkg.transforms {
            // One finding per kind of conflict and table, naming the rows.
            let mut groups: BTreeMap<(String, &'static str), (ConflictKind, Vec<&str>)> =
                BTreeMap::new();
            for c in &t.conflicts {
                groups
                    .entry((c.table.clone(), c.kind.describe()))
                    .or_insert((c.kind, Vec::new()))
                    .1
                    .push(&c.key);
            }
            for ((table, what), (kind, keys)) in groups {
                let rows = keys.iter().filter(|k| !k.is_empty()).count();
                let mut shown: Vec<String> = keys
                    .iter()
                    .filter(|k| !k.is_empty())
                    .take(KEYS_SHOWN)
                    .map(|k| format!("`{k}`"))
                    .collect();
                if rows > KEYS_SHOWN {
                    shown.push(format!("and {} more", rows - KEYS_SHOWN));
                }
                let (message, location) = match kind {
                    ConflictKind::Codepage => (
                        format!("transform {} {what}", t.name),
                        Location::table("_ForceCodepage"),
                    ),
                    ConflictKind::AddExistingTable
                    | ConflictKind::DeleteMissingTable
                    | ConflictKind::MissingTable => (
                        format!("transform {} {what}: {table}", t.name),
                        Location::table(&table),
                    ),
                    _ => (
                        format!(
                            "transform {} {what} in {table} ({} {})",
                            t.name,
                            if rows == 1 { "row" } else { "rows" },
                            shown.join(", ")
                        ),
                        Location {
                            key: keys.first().map_or_else(String::new, |k| k.to_string()),
                            ..Location::table(&table)
                        },
                    ),
                };
                let mut report = Report::new(message, location).note(format!(
                    "the transform's error-condition flags are {:#06x}",
                    t.info.errors
                ));
                report = match kind.flag() {
                    Some(flag) => report.help(format!(
                        "msiexec fails with 1624 when it applies this transform to this package: \
                         regenerate the transform against this build, or set the error-condition \
                         flag {flag:#x} if the difference is harmless"
                    )),
                    None => report
                        .help("the transform was made for a package that has this table: regenerate it against this build")
                        .cap(Severity::Warning),
                };
                cx.report(report);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::db::transform::error_flags::*;
    use crate::testing::{MsiBuilder, TransformBuilder};

    fn lint(base: &MsiBuilder, transform: TransformBuilder) -> Vec<crate::finding::Finding> {
        let pkg = base.load_with(&[transform]);
        crate::engine::run_rules(
            &pkg,
            &[&TransformConflict],
            &crate::engine::Levels::default(),
        )
    }

    #[test]
    fn every_kind_of_conflict_is_an_error_unless_its_flag_is_set() {
        let base = MsiBuilder::new()
            .standard_execute()
            .property("INSTALLDIR", "C:\\App")
            .binary("Existing");
        let cases: [(TransformBuilder, u16, &str); 5] = [
            (
                TransformBuilder::new()
                    .insert("Property", vec!["INSTALLDIR".into(), "D:\\".into()]),
                ADD_EXISTING_ROW,
                "adds a row that already exists in Property (row `INSTALLDIR`)",
            ),
            (
                TransformBuilder::new().delete("Property", vec!["GONE".into()]),
                DELETE_MISSING_ROW,
                "deletes a row that does not exist in Property (row `GONE`)",
            ),
            (
                TransformBuilder::new().update(
                    "Property",
                    vec!["GONE".into()],
                    vec![(1, "x".into())],
                ),
                UPDATE_MISSING_ROW,
                "updates a row that does not exist in Property (row `GONE`)",
            ),
            (
                TransformBuilder::new().add_table("Binary", &[("Name", "s72*"), ("Data", "v0")]),
                ADD_EXISTING_TABLE,
                "adds a table that already exists: Binary",
            ),
            (
                TransformBuilder::new().drop_table("AppId"),
                DELETE_MISSING_TABLE,
                "drops a table that does not exist: AppId",
            ),
        ];
        for (transform, flag, message) in cases {
            let found = lint(&base, transform.clone());
            assert_eq!(found.len(), 1, "{message}: {found:#?}");
            assert!(found[0].message.contains(message), "{}", found[0].message);
            assert_eq!(found[0].severity, Severity::Error);
            assert!(
                lint(&base, transform.ignore_errors(flag)).is_empty(),
                "{message}"
            );
        }
    }

    #[test]
    fn a_codepage_change_conflicts_unless_one_side_is_neutral() {
        let base = MsiBuilder::new()
            .standard_execute()
            .property("P", "1")
            .codepage(1252);
        let t = TransformBuilder::new()
            .codepage(1251)
            .insert("Property", vec!["A".into(), "Б".into()]);
        let found = lint(&base, t.clone());
        assert_eq!(found.len(), 1);
        assert!(found[0].message.contains("changes the codepage"));
        assert!(lint(&base, t.clone().ignore_errors(CHANGE_CODEPAGE)).is_empty());
        assert!(lint(&base.codepage(0), t).is_empty());
    }

    #[test]
    fn rows_of_a_missing_table_warn_and_many_rows_make_one_finding() {
        let base = MsiBuilder::new().standard_execute();
        let t = TransformBuilder::new()
            .insert("Binary", vec!["New".into(), crate::testing::Cell::Stream]);
        let found = lint(&base, t);
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].severity, Severity::Warning);
        let base = base.property("P", "1");
        let mut t = TransformBuilder::new();
        for i in 0..8 {
            t = t.delete("Property", vec![format!("P{i}").as_str().into()]);
        }
        let found = lint(&base, t);
        assert_eq!(found.len(), 1, "{found:#?}");
        assert!(
            found[0].message.contains("and 3 more"),
            "{}",
            found[0].message
        );
    }
}
