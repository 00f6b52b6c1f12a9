use crate::finding::Location;
use crate::rules::{Context, Report, Rule, RuleMeta};

declare_rule! {
    /// ## What it does
    /// Finds a transform (`-t`) whose validation conditions this package does not meet:
    /// the ProductCode, UpgradeCode, language or platform it requires, or the relation
    /// between this package's ProductVersion and the version it was made against, as
    /// its validation flags say.
    ///
    /// ## Why is this bad?
    /// msiexec checks these conditions before it applies a transform listed in
    /// TRANSFORMS, and refuses the installation when they do not hold: the transform
    /// was made for another product or another version. What msica shows with `-t`
    /// (the transform applied anyway) is not what would be installed.
    ///
    /// ## Example
    /// `site.mst` was made against version 1.0 and requires an equal version
    /// (validation flags 0x0922: ProductCode, major.minor.update, equal, UpgradeCode);
    /// the package is version 1.1.
    ///
    /// ## Use instead
    /// Regenerate the transform against this build, or give it validation flags that
    /// accept it (for example "version >= target" for a transform meant to carry over
    /// to later builds).
    ///
    /// ## References
    /// `MsiCreateTransformSummaryInfo` (validation conditions); msi-reference 8.2.1.
    pub struct TransformNotApplicable {
        code: "MCA602",
        name: "transform-not-applicable",
        severity: Error,
        summary: "A transform's validation conditions do not hold for this package, so msiexec refuses it",
    }
}

impl Rule for TransformNotApplicable {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, cx: &mut Context) {
        for t in &cx.pkg.transforms {
            for n in &t.not_applicable {
                let location = if n.what == "platform" {
                    Location {
                        key: "Template".into(),
                        ..Location::table("_SummaryInformation")
                    }
                } else {
                    Location {
                        key: n.what.into(),
                        column: Some("Value".into()),
                        cells: vec![
                            ("Property".into(), n.what.into()),
                            ("Value".into(), n.actual.clone().unwrap_or_default()),
                        ],
                        ..Location::table("Property")
                    }
                };
                cx.report(
                    Report::new(
                        format!("transform {} does not apply to this package: {}", t.name, n.describe()),
                        location,
                    )
                    .help("msiexec refuses a transform whose validation conditions do not hold: regenerate it against this build, or relax its validation flags")
                    .note(format!("the transform's validation flags are {:#06x}", t.info.validation)),
                );
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::db::transform::validation_flags::*;
    use crate::testing::{MsiBuilder, TransformBuilder};

    const CODE: &str = "{11111111-1111-1111-1111-111111111111}";
    const OTHER: &str = "{22222222-2222-2222-2222-222222222222}";
    const UPGRADE: &str = "{33333333-3333-3333-3333-333333333333}";

    fn base(version: &str) -> MsiBuilder {
        MsiBuilder::new()
            .standard_execute()
            .property("ProductCode", CODE)
            .property("UpgradeCode", UPGRADE)
            .property("ProductVersion", version)
            .property("ProductLanguage", "1033")
    }

    fn messages(b: &MsiBuilder, t: TransformBuilder) -> Vec<String> {
        let pkg = b.load_with(&[t]);
        crate::engine::run_rules(&pkg, &[&TransformNotApplicable], &Default::default())
            .into_iter()
            .map(|f| f.message)
            .collect()
    }

    fn made_for(code: &str, version: &str, flags: u16) -> TransformBuilder {
        TransformBuilder::new()
            .products((code, version), (code, version), UPGRADE)
            .validation(flags)
    }

    #[test]
    fn product_and_upgrade_codes_must_match() {
        let b = base("1.0.0");
        assert!(messages(&b, made_for(CODE, "1.0.0", PRODUCT | UPGRADE_CODE)).is_empty());
        let found = messages(&b, made_for(OTHER, "1.0.0", PRODUCT));
        assert_eq!(found.len(), 1);
        assert!(found[0].contains(&format!(
            "its ProductCode must be {OTHER}, this database's is {CODE}"
        )));
        // Without the flag, another product code does not matter.
        assert!(messages(&b, made_for(OTHER, "1.0.0", 0)).is_empty());
    }

    #[test]
    fn versions_compare_with_the_precision_and_relation_asked_for() {
        let flags = |precision, relation| made_for(CODE, "1.2.3", precision | relation);
        let b = base("1.2.4");
        assert!(messages(&b, flags(MINOR_VERSION, NEW_EQUAL_BASE)).is_empty());
        assert_eq!(messages(&b, flags(UPDATE_VERSION, NEW_EQUAL_BASE)).len(), 1);
        assert!(messages(&b, flags(UPDATE_VERSION, NEW_GREATER_BASE)).is_empty());
        assert!(messages(&b, flags(UPDATE_VERSION, NEW_GREATER_EQUAL_BASE)).is_empty());
        let found = messages(&b, flags(UPDATE_VERSION, NEW_LESS_BASE));
        assert!(
            found[0].contains("lower than 1.2.3 (comparing major.minor.update)"),
            "{found:?}"
        );
        assert_eq!(
            messages(&base("1.1.9"), flags(MINOR_VERSION, NEW_GREATER_EQUAL_BASE)).len(),
            1
        );
    }

    #[test]
    fn language_and_platform() {
        let b = base("1.0.0");
        let t = |template: &str, flags| made_for(CODE, "1.0.0", flags).target(template);
        assert!(messages(&b, t("Intel;1033", LANGUAGE | PLATFORM)).is_empty());
        assert_eq!(messages(&b, t("Intel;1031", LANGUAGE)).len(), 1);
        // A neutral target language matches any.
        assert!(messages(&b, t("Intel;0", LANGUAGE)).is_empty());
        let found = messages(&b, t("x64;1033", PLATFORM));
        assert!(
            found[0].contains("its platform must be x64, this database's is Intel"),
            "{found:?}"
        );
    }
}
