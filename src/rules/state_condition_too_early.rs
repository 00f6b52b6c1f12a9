use crate::analysis::ConditionOwner;
use crate::condition::RefKind;
use crate::finding::Location;
use crate::rules::{Context, Report, Rule, RuleMeta};

/// The conventional number of CostFinalize, which a merge module that does
/// not list it inherits from the package it is merged into.
const COST_FINALIZE_NUMBER: i32 = 1000;

declare_rule! {
    /// ## What it does
    /// Finds sequence rows whose condition tests a component or feature state (`$Comp`,
    /// `?Comp`, `&Feature`, `!Feature`) and that run before `CostFinalize` in their
    /// table, or in a table that has no `CostFinalize` at all.
    ///
    /// ## Why is this bad?
    /// Component and feature states are computed by costing: they are set only by
    /// `CostFinalize` (or `MsiSetInstallLevel`). Before it, every state reads as unknown
    /// (-1), which counts as true in a bare test and fails every comparison such as
    /// `&Feature = 3`. The condition therefore does not decide what its author meant;
    /// the row runs, or is skipped, whatever the user selected.
    ///
    /// ## Example
    /// | Action | Condition | Sequence |
    /// |---|---|---|
    /// | `PrepareService` | `&ServiceFeature = 3` | 700 |
    /// | `CostFinalize` | | 1000 |
    ///
    /// ## Use instead
    /// Schedule the action after `CostFinalize` (for example after `InstallValidate`,
    /// at 1401), or test a property that is known at that point.
    ///
    /// ## References
    /// "Conditional Statement Syntax" (access prefixes); "CostFinalize Action";
    /// msi-reference 4.3, 4.4 and 6.2 rule 28.
    pub struct StateConditionTooEarly {
        code: "MCA404",
        name: "state-condition-too-early",
        severity: Warning,
        summary: "A component or feature state ($ ? & !) tested before CostFinalize, where it is not known yet",
    }
}

impl Rule for StateConditionTooEarly {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, cx: &mut Context) {
        for site in cx.conditions {
            let ConditionOwner::SequenceRow(seq, row) = site.owner else {
                continue;
            };
            let text = site.text;
            let cost_finalize = seq.order_of("CostFinalize");
            let Some(order) = row.order else { continue };
            let Ok(parsed) = &*site.parsed else {
                continue;
            };
            if !parsed.uses_install_state() {
                continue;
            }
            let place = match cost_finalize {
                Some(cf) if order < cf => {
                    let cf_row = seq.row("CostFinalize").expect("CostFinalize runs");
                    format!("before CostFinalize ({})", cf_row.position_label())
                }
                Some(_) => continue,
                // A merge module that does not list CostFinalize is
                // placed against the standard number it will be merged
                // next to.
                None if seq.kind.is_module() => match row.root_sequence {
                    Some(n) if n < COST_FINALIZE_NUMBER => {
                        format!("before CostFinalize (which runs at {COST_FINALIZE_NUMBER} once merged)")
                    }
                    _ => continue,
                },
                None => {
                    "in a table without CostFinalize, where states are never computed".to_owned()
                }
            };
            let states: Vec<_> = parsed
                .references()
                .into_iter()
                .filter(|r| r.kind.is_install_state())
                .collect();
            let first = &states[0];
            let what = |kind: RefKind| match kind {
                RefKind::ComponentAction => "component action state",
                RefKind::ComponentInstalled => "component installed state",
                RefKind::FeatureAction => "feature action state",
                _ => "feature installed state",
            };
            let shown = text
                .get(first.offset..first.offset + first.len)
                .unwrap_or(&first.name)
                .to_owned();
            cx.report(
                    Report::new(
                        format!(
                            "the condition of `{}` tests the {} `{shown}` at {} in {} {place}",
                            row.action,
                            what(first.kind),
                            row.position_label(),
                            seq.kind.table_name()
                        ),
                        Location::sequence_row(seq, row, "Condition").with_span(
                            first.offset,
                            first.len,
                            "not known before CostFinalize: reads as unknown (-1)",
                        ),
                    )
                    .help(format!(
                        "schedule `{}` after CostFinalize, or condition it on a property known at this point",
                        row.action
                    ))
                    .action(&row.action)
                    .row(row)
                    .note(format!(
                        "states read: {}",
                        states
                            .iter()
                            .map(|r| format!("{} ({})", &text[r.offset..r.offset + r.len], what(r.kind)))
                            .collect::<Vec<_>>()
                            .join(", ")
                    )),
                );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::test_support::assert_actions;
    use crate::testing::MsiBuilder;

    const IE: &str = "InstallExecuteSequence";

    fn package() -> MsiBuilder {
        MsiBuilder::new().standard_execute().binary("Bin").action(
            "Prepare",
            1,
            Some("Bin"),
            Some("Prepare"),
        )
    }

    #[test]
    fn fires_before_cost_finalize_and_underlines_the_state() {
        let b = package().seq(IE, "Prepare", Some("NOT Installed AND &Main = 3"), 950);
        let f = assert_actions(&StateConditionTooEarly, b, &["Prepare"]);
        assert!(
            f[0].message.contains("feature action state `&Main`"),
            "{}",
            f[0].message
        );
        assert!(
            f[0].message.contains("before CostFinalize (1000)"),
            "{}",
            f[0].message
        );
        let span = f[0].location.span.as_ref().unwrap();
        assert_eq!((span.offset, span.len), ("NOT Installed AND ".len(), 5));
    }

    #[test]
    fn fires_for_every_prefix() {
        for condition in ["$C = 3", "?C = 3", "&F = 3", "!F = 3", "NOT $C"] {
            assert_actions(
                &StateConditionTooEarly,
                package().seq(IE, "Prepare", Some(condition), 700),
                &["Prepare"],
            );
        }
    }

    #[test]
    fn fires_in_a_table_without_cost_finalize() {
        let b = package().seq("InstallUISequence", "Prepare", Some("?C = 3"), 1200);
        let f = assert_actions(&StateConditionTooEarly, b, &["Prepare"]);
        assert!(
            f[0].message.contains("without CostFinalize"),
            "{}",
            f[0].message
        );
    }

    #[test]
    fn quiet_after_cost_finalize_for_properties_and_rows_that_never_run() {
        let b = package()
            .action("Other", 1, Some("Bin"), Some("Other"))
            .action("Never", 1, Some("Bin"), Some("Never"))
            .seq(IE, "Prepare", Some("&Main = 3 AND NOT !Main = 3"), 1001)
            .seq(
                IE,
                "Other",
                Some("NOT Installed AND %PROCESSOR_ARCHITECTURE = \"AMD64\""),
                700,
            )
            .seq(IE, "Never", Some("$C = 3"), 0);
        assert_actions(&StateConditionTooEarly, b, &[]);
    }

    #[test]
    fn merge_modules_without_cost_finalize_use_the_standard_number() {
        let t = "ModuleInstallExecuteSequence";
        let b = MsiBuilder::merge_module()
            .binary("Bin")
            .action("Early", 1, Some("Bin"), Some("E"))
            .action("Late", 1, Some("Bin"), Some("L"))
            .module_seq(t, "AppSearch", Some(400), None, None, None)
            .module_seq(t, "InstallFiles", Some(4000), None, None, None)
            .module_seq(
                t,
                "Early",
                None,
                Some("AppSearch"),
                Some(true),
                Some("$C = 3"),
            )
            .module_seq(
                t,
                "Late",
                None,
                Some("InstallFiles"),
                Some(true),
                Some("$C = 3"),
            );
        let f = assert_actions(&StateConditionTooEarly, b, &["Early"]);
        assert!(f[0].message.contains("once merged"), "{}", f[0].message);
    }
}
