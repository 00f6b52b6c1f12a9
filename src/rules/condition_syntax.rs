use crate::analysis::ConditionOwner;
use crate::rules::{Context, Report, Rule, RuleMeta};

declare_rule! {
    /// ## What it does
    /// Finds conditions that do not parse under the Windows Installer condition grammar:
    /// in every sequence table, in ControlEvent, LaunchCondition, ControlCondition and
    /// Condition rows. The finding underlines the first token that does not fit and says
    /// what was expected there.
    ///
    /// ## Why is this bad?
    /// Windows Installer does not guess. A sequence-table condition that does not parse
    /// ends the sequence with an error (`iesBadActionData`), so the installation fails
    /// wherever that row is reached. Elsewhere the condition evaluates to an error
    /// instead of true or false, so the dialog control, launch check or feature level it
    /// guards does not behave as written. Wine, by contrast, runs such an action anyway,
    /// so a package tested only there can look fine. ICE03 reports the same problem as
    /// "Bad conditional string".
    ///
    /// Common causes: C-style operators (`==`, `!=`, `&&`, `||`), single quotes,
    /// formatted text such as `[PROP]`, unbalanced parentheses or quotes, arithmetic,
    /// and a keyword (`NOT`, `OR` ...) used as a property name.
    ///
    /// ## Example
    /// | Action | Condition | Sequence |
    /// |---|---|---|
    /// | `RemoveCache` | `REMOVE == "ALL"` | 3000 |
    ///
    /// ## Use instead
    /// | Action | Condition | Sequence |
    /// |---|---|---|
    /// | `RemoveCache` | `REMOVE~="ALL"` | 3000 |
    ///
    /// `msica condition "EXPR"` shows how a condition parses.
    ///
    /// ## References
    /// "Conditional Statement Syntax"; ICE03; msi-reference 4.1, 4.2 and 4.4.
    pub struct ConditionSyntax {
        code: "MCA401",
        name: "condition-syntax",
        severity: Error,
        summary: "A condition that does not parse under the MSI condition grammar",
    }
}

impl Rule for ConditionSyntax {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, cx: &mut Context) {
        for site in cx.conditions {
            let Err(error) = &*site.parsed else {
                continue;
            };
            let consequence = match site.owner {
                ConditionOwner::SequenceRow(..) => {
                    "Windows Installer ends the sequence with an error when it reaches this row"
                }
                _ => "Windows Installer cannot evaluate it, so it is neither true nor false",
            };
            let report = Report::new(
                format!("{} does not parse: {}", site.describe(), error.message),
                site.location().with_span(error.offset, error.len, error.message.clone()),
            )
            .help(format!(
                "write the condition in the Windows Installer condition syntax (`msica condition \"...\"` shows how it \
                 parses); {consequence}"
            ))
            .note(format!("condition: {}", site.text));
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

    fn package() -> MsiBuilder {
        MsiBuilder::new().standard_execute().binary("Bin").action(
            "Clean",
            1,
            Some("Bin"),
            Some("Clean"),
        )
    }

    #[test]
    fn fires_on_a_sequence_row_and_underlines_the_bad_token() {
        let b = package().seq(IE, "Clean", Some(r#"REMOVE == "ALL""#), 3000);
        let f = assert_actions(&ConditionSyntax, b, &["Clean"]);
        assert!(
            f[0].message.contains("`Clean` in InstallExecuteSequence"),
            "{}",
            f[0].message
        );
        assert!(
            f[0].message.contains("`==` is not an operator"),
            "{}",
            f[0].message
        );
        let span = f[0].location.span.as_ref().expect("a span inside the cell");
        assert_eq!((span.offset, span.len), (7, 2));
        assert_eq!(f[0].location.column.as_deref(), Some("Condition"));
        assert_eq!(f[0].condition.as_deref(), Some(r#"REMOVE == "ALL""#));
        assert_eq!(f[0].severity, crate::finding::Severity::Error);
    }

    #[test]
    fn says_what_was_expected() {
        let b = package().seq(IE, "Clean", Some("Installed AND"), 3000);
        let f = assert_actions(&ConditionSyntax, b, &["Clean"]);
        assert!(
            f[0].message
                .contains("expected an operand after `AND`, found end of condition"),
            "{}",
            f[0].message
        );
        let span = f[0].location.span.as_ref().unwrap();
        assert_eq!(span.offset, "Installed AND".len());
    }

    #[test]
    fn fires_in_every_condition_table() {
        let b = package()
            .standard_ui()
            .seq("InstallUISequence", "Clean", Some("(A"), 1200)
            .dialog("Dlg")
            .control_event("Dlg", "Next", "DoAction", "Clean", "A != B")
            .launch_condition("VersionNT >= 6.1", "Windows 7 or later is required")
            .control_condition("Dlg", "Next", "Disable", "NOT")
            .feature_condition("Main", 0, "[ALLUSERS] = 1");
        let f = run(&ConditionSyntax, b);
        let tables: Vec<&str> = f.iter().map(|f| f.location.table.as_str()).collect();
        assert_eq!(
            tables,
            [
                "Condition",
                "ControlCondition",
                "ControlEvent",
                "InstallUISequence",
                "LaunchCondition"
            ],
            "{f:#?}"
        );
        let event = &f[2];
        assert_eq!(event.action.as_deref(), Some("Clean"));
        assert!(event.message.contains("`!=` is not an operator"));
        let launch = &f[4];
        assert!(
            launch.message.contains("floating-point"),
            "{}",
            launch.message
        );
        assert_eq!(launch.location.key, "VersionNT >= 6.1");
    }

    #[test]
    fn quiet_on_valid_and_empty_conditions() {
        let b = package()
            .seq(
                IE,
                "Clean",
                Some(r#"(NOT Installed OR REINSTALL) AND NOT REMOVE~="ALL" AND ($Comp = 3 OR &Feat = 3)"#),
                3000,
            )
            .seq(IE, "LaunchConditions", Some("   "), 100)
            .launch_condition("Privileged", "Administrator rights are needed")
            .feature_condition("Main", 0, "VersionNT < 600");
        assert_actions(&ConditionSyntax, b, &[]);
    }
}
