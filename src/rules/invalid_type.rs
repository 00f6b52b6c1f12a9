use crate::model::action_type::TypeProblem;
use crate::rules::{report_type_problems, Context, Rule, RuleMeta};

declare_rule! {
    /// ## What it does
    /// Finds custom action Types whose base type (`Type & 0x3F`) is not one of the twenty
    /// valid kinds, or that set reserved bits: bit `0x08`, `0x8000` (PatchUninstall, which
    /// belongs in ExtendedType), a Type of 0 or outside 16 bits, or ExtendedType bits
    /// other than `0x8000`.
    ///
    /// ## Why is this bad?
    /// The installer does not know what to run. Windows reports "unsupported type"
    /// (error 2723) and the install fails; Wine runs nothing. ICE68 reports invalid base
    /// types as errors.
    ///
    /// ## Example
    /// | Action | Type |
    /// |---|---|
    /// | `Configure` | 1027 (base type 3: text data without a source kind) |
    ///
    /// ## Use instead
    /// Use one of the documented base types: 1, 2, 5, 6, 7, 17, 18, 19, 21, 22, 23, 34,
    /// 35, 37, 38, 39, 50, 51, 53, 54, plus option bits. `msica explain TYPE` decodes a value.
    ///
    /// ## References
    /// ICE68; ICE03; "Summary List of All Custom Action Types"; error 2723.
    pub struct InvalidType {
        code: "MCA201",
        name: "invalid-type",
        severity: Error,
        summary: "A Type whose base type is not one of the valid kinds, or with reserved bits set",
    }
}

impl Rule for InvalidType {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, cx: &mut Context) {
        use TypeProblem::*;
        report_type_problems(
            cx,
            &[
                OutOfRange,
                InvalidBaseType,
                UndefinedBit,
                PatchUninstallInType,
                UnknownExtendedBits,
            ],
            |_, _| {
                "use a documented base type with documented option bits; `msica explain` decodes a Type value".into()
            },
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
    fn fires_on_invalid_base_types_and_reserved_bits() {
        let b = MsiBuilder::new()
            .action("Base3", 1027, None, Some("x"))
            .action("Base4", 4, None, Some("x"))
            .action("Bit3", 9, Some("Bin"), Some("x"))
            .action("Good", 3073, Some("Bin"), Some("x"))
            .action_extended("Ext", 1, Some("Bin"), Some("x"), 0x8001);
        let f = assert_actions(&InvalidType, b, &["Base3", "Base4", "Bit3", "Ext"]);
        assert!(f[0].message.contains("base type"));
        assert_eq!(f[3].location.column.as_deref(), Some("ExtendedType"));
    }

    #[test]
    fn quiet_on_patch_uninstall_in_extended_type() {
        let b = MsiBuilder::new().action_extended("Ok", 3073, Some("Bin"), Some("x"), 0x8000);
        assert_actions(&InvalidType, b, &[]);
    }
}
