use crate::rules::{Context, Report, Rule, RuleMeta};

declare_rule! {
    /// ## What it does
    /// Finds conditions in which two different operators among `OR`, `XOR`, `EQV` and
    /// `IMP` meet without parentheses, such as `A XOR B OR C`, in every table that holds
    /// conditions. The finding underlines the two operators.
    ///
    /// ## Why is this bad?
    /// Microsoft documents a precedence for each of the four (`OR` binds tighter than
    /// `XOR`, which binds tighter than `EQV`, then `IMP`), but Wine's parser gives them
    /// one level and reads left to right. `A XOR B OR C` is `A XOR (B OR C)` on Windows
    /// and `(A XOR B) OR C` under Wine; with A, B and C all true the first is false and
    /// the second true. Readers rarely know either rule, so the condition does not say
    /// clearly what its author meant.
    ///
    /// ## Example
    /// | Action | Condition |
    /// |---|---|
    /// | `ConfigureFoo` | `NOT Installed XOR REINSTALL OR PATCH` |
    ///
    /// ## Use instead
    /// | Action | Condition |
    /// |---|---|
    /// | `ConfigureFoo` | `NOT Installed XOR (REINSTALL OR PATCH)` |
    ///
    /// The help of each finding gives the condition with the parentheses that keep
    /// Windows' reading.
    ///
    /// ## References
    /// "Conditional Statement Syntax" (operator precedence); Wine `dlls/msi/cond.y`;
    /// msi-reference 4.2.
    pub struct MixedLogicalPrecedence {
        code: "MCA403",
        name: "mixed-logical-precedence",
        severity: Warning,
        summary: "OR, XOR, EQV, IMP mixed without parentheses, where readers and implementations disagree",
    }
}

impl Rule for MixedLogicalPrecedence {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, cx: &mut Context) {
        for site in cx.conditions {
            let Ok(parsed) = &*site.parsed else {
                continue;
            };
            let Some((offset, len)) = parsed.mixed_precedence() else {
                continue;
            };
            let spot = site.text.get(offset..offset + len).unwrap_or_default();
            let words: Vec<&str> = spot.split_whitespace().collect();
            let (first, second) = match (words.first(), words.last()) {
                (Some(a), Some(b)) => (a.to_ascii_uppercase(), b.to_ascii_uppercase()),
                _ => continue,
            };
            let report = Report::new(
                format!("{} mixes {first} and {second} without parentheses: `{}`", site.describe(), site.text.trim()),
                site.location().with_span(
                    offset,
                    len,
                    format!("{first} and {second} meet here; Windows and Wine group them differently"),
                ),
            )
            .help(format!("add parentheses; Windows reads the condition as `{parsed}`"))
            .note(
                "Windows binds OR tighter than XOR, XOR tighter than EQV and EQV tighter than IMP; Wine gives them one \
                 level, left to right",
            );
            cx.report(report.site(site));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::test_support::{assert_actions, run};
    use crate::testing::MsiBuilder;

    const IE: &str = "InstallExecuteSequence";

    fn package(condition: &str) -> MsiBuilder {
        MsiBuilder::new()
            .standard_execute()
            .binary("Bin")
            .action("Configure", 1, Some("Bin"), Some("Configure"))
            .seq(IE, "Configure", Some(condition), 3000)
    }

    #[test]
    fn fires_and_underlines_the_two_operators() {
        let f = assert_actions(
            &MixedLogicalPrecedence,
            package("A XOR B OR C"),
            &["Configure"],
        );
        assert!(
            f[0].message.contains("mixes XOR and OR"),
            "{}",
            f[0].message
        );
        let span = f[0].location.span.as_ref().unwrap();
        assert_eq!((span.offset, span.len), (2, "XOR B OR".len()));
        assert!(f[0].help.contains("`A XOR (B OR C)`"), "{}", f[0].help);
    }

    #[test]
    fn fires_for_imp_and_eqv_in_any_case_and_in_other_tables() {
        assert_actions(
            &MixedLogicalPrecedence,
            package("A imp B eqv C"),
            &["Configure"],
        );
        let b = MsiBuilder::new()
            .launch_condition("A OR B XOR C", "text")
            .feature_condition("F", 0, "X EQV Y OR Z");
        let f = run(&MixedLogicalPrecedence, b);
        assert_eq!(f.len(), 2, "{f:#?}");
    }

    #[test]
    fn quiet_with_parentheses_same_operators_or_and() {
        for condition in [
            "A XOR (B OR C)",
            "(A XOR B) OR C",
            "A OR B OR C",
            "A AND B OR C",
            "A XOR B XOR C",
            "NOT A OR B AND C",
        ] {
            assert_actions(&MixedLogicalPrecedence, package(condition), &[]);
        }
    }

    #[test]
    fn quiet_when_the_condition_does_not_parse() {
        assert_actions(&MixedLogicalPrecedence, package("A XOR B OR"), &[]);
    }
}
