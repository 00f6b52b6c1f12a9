use crate::finding::Location;
use crate::rules::{Context, Report, Rule, RuleMeta};

declare_rule! {
    /// ## What it does
    /// Finds a patch (`-p`) that does not apply to this package: the patch does not list
    /// the package's ProductCode among its targets, or none of its transform pairs
    /// validates against the package as it is at that point (another product, another
    /// baseline version, another UpgradeCode or language, as each pair's validation
    /// flags say).
    ///
    /// ## Why is this bad?
    /// msiexec refuses such a patch ("the upgrade patch cannot be installed ... the
    /// program to be upgraded may be missing, or the upgrade patch may update a
    /// different version of the program"): nothing it carries reaches the machine. A
    /// patch made against a later baseline needs the patches that produce that baseline
    /// first.
    ///
    /// ## Example
    /// `gdr1.msp` has one pair made against 1.0.1.0 and one against 1.0.0.0; applied to
    /// a 1.0.2.0 build, neither validates.
    ///
    /// ## Use instead
    /// Build the patch against this product's release (a pair per baseline it must
    /// serve), or apply the patches it depends on first (`-p` in order).
    ///
    /// ## References
    /// Patch applicability and `MsiCreateTransformSummaryInfo` (validation conditions);
    /// msi-reference 8.2.1 and 8.3.
    pub struct PatchNotApplicable {
        code: "MCA603",
        name: "patch-not-applicable",
        severity: Error,
        summary: "No transform pair of a patch validates against this package, so msiexec refuses it",
    }
}

impl Rule for PatchNotApplicable {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, cx: &mut Context) {
        for p in &cx.pkg.patches {
            let Some(refusal) = p.refusal() else {
                continue;
            };
            // Point at what the first refusal names: the ProductCode, the
            // ProductVersion, ... or the platform in the summary.
            let reason = p
                .not_targeted
                .as_ref()
                .or_else(|| p.rejected.first().and_then(|r| r.reasons.first()));
            let location = match reason {
                Some(n) if n.what == "platform" => Location {
                    key: "Template".into(),
                    ..Location::table("_SummaryInformation")
                },
                _ => {
                    let what = reason.map_or("ProductCode", |n| n.what);
                    Location {
                        key: what.into(),
                        column: Some("Value".into()),
                        cells: vec![
                            ("Property".into(), what.into()),
                            (
                                "Value".into(),
                                cx.pkg.property(what).unwrap_or_default().into(),
                            ),
                        ],
                        ..Location::table("Property")
                    }
                }
            };
            let mut report = Report::new(
                format!("patch {} does not apply to this package: {refusal}", p.name),
                location,
            )
            .help("msiexec refuses a patch none of whose transform pairs validates: build it against this product's baseline, or apply the patches it depends on first (`-p` in order)");
            if !p.info.targets.is_empty() {
                report = report.note(format!("the patch targets {}", p.info.targets.join(", ")));
            }
            cx.report(report);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::db::transform::validation_flags::*;
    use crate::testing::{MsiBuilder, PatchBuilder, TransformBuilder};

    const CODE: &str = "{11111111-1111-1111-1111-111111111111}";
    const OTHER: &str = "{22222222-2222-2222-2222-222222222222}";
    const UPGRADE: &str = "{33333333-3333-3333-3333-333333333333}";

    fn base() -> MsiBuilder {
        MsiBuilder::new()
            .standard_execute()
            .property("ProductCode", CODE)
            .property("UpgradeCode", UPGRADE)
            .property("ProductVersion", "1.0.0")
    }

    fn pair(code: &str, version: &str) -> TransformBuilder {
        TransformBuilder::new()
            .products((code, version), (code, "1.0.1"), UPGRADE)
            .validation(PRODUCT | UPDATE_VERSION | NEW_EQUAL_BASE)
            .update(
                "Property",
                vec!["ProductVersion".into()],
                vec![(1, "1.0.1".into())],
            )
    }

    fn messages(patch: PatchBuilder) -> Vec<String> {
        let pkg = base().load_with_patches(&[], &[patch]);
        crate::engine::run_rules(&pkg, &[&PatchNotApplicable], &Default::default())
            .into_iter()
            .map(|f| f.message)
            .collect()
    }

    #[test]
    fn a_patch_for_another_product_is_refused() {
        let found = messages(PatchBuilder::new(&[OTHER]).pair("rtm", pair(OTHER, "1.0.0")));
        assert_eq!(found.len(), 1, "{found:?}");
        assert!(
            found[0].starts_with("patch fix1.msp does not apply to this package: its ProductCode must be one of its targets ({2222"),
            "{found:?}"
        );
    }

    #[test]
    fn a_patch_for_another_baseline_is_refused_pair_by_pair() {
        let found = messages(
            PatchBuilder::new(&[CODE])
                .pair("sp1", pair(CODE, "1.0.1"))
                .pair("sp2", pair(CODE, "1.0.2")),
        );
        assert_eq!(found.len(), 1, "{found:?}");
        assert!(found[0].contains("pair sp1: its ProductVersion must be equal to 1.0.1"));
        assert!(found[0].contains("; pair sp2: "));
    }

    #[test]
    fn a_pair_that_validates_is_applied() {
        assert!(messages(
            PatchBuilder::new(&[CODE])
                .pair("sp1", pair(CODE, "1.0.1"))
                .pair("rtm", pair(CODE, "1.0.0"))
        )
        .is_empty());
    }
}
