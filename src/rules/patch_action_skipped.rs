use crate::analysis::scenarios::Scenario;
#[cfg(test)]
use crate::analysis::scenarios::ScenarioFacts;
use crate::condition::Truth;
#[cfg(test)]
use crate::condition::{parse, Condition};
use crate::finding::Location;
use crate::model::{CustomAction, Package, SequenceKind};
use crate::rules::{Context, Report, Rule, RuleMeta};

declare_rule! {
    /// ## What it does
    /// Finds a custom action that a patch (`-p`) adds, or whose Type, Source, Target or
    /// code (its Binary row) a patch changes, and that cannot run while the patch is
    /// installed: in every place it is scheduled in InstallExecuteSequence and
    /// InstallUISequence its condition is false in the `patch` scenario (`Installed`,
    /// `PATCH` and `REINSTALL` set, `REMOVE` not; see `msica scenarios`), whatever the
    /// other properties are (`NOT Installed`, `NOT Installed AND
    /// VersionNT >= 600`, `REMOVE="ALL"` ...).
    ///
    /// ## Why is this bad?
    /// A patch installs as a maintenance of an installed product: `Installed` is set, so
    /// an action conditioned `NOT Installed` is skipped. The new or fixed action the patch
    /// carries does not run on the machines the patch is meant for; it runs only on a
    /// fresh installation of the patched product.
    ///
    /// ## Example
    /// A patch adds `ConfigureService` (deferred), scheduled with the condition
    /// `NOT Installed`.
    ///
    /// ## Use instead
    /// Condition the action so that it also runs while patching: `NOT Installed OR
    /// PATCH` (`PATCH` holds the patches being applied; test a particular one with
    /// `PATCH >< "fix.msp"`).
    ///
    /// ## References
    /// The PATCH property; msi-reference 8.3 (a patch installs with `Installed` set).
    pub struct PatchActionSkipped {
        code: "MCA604",
        name: "patch-action-skipped",
        severity: Warning,
        summary: "A custom action a patch adds or changes is conditioned so that it cannot run while the patch installs",
    }
}

/// The sequences that run while a patch installs.
const PATCH_SEQUENCES: [SequenceKind; 2] = [
    SequenceKind::InstallExecuteSequence,
    SequenceKind::InstallUISequence,
];

impl Rule for PatchActionSkipped {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, cx: &mut Context) {
        if cx.pkg.patches.is_empty() {
            return;
        }
        for ca in &cx.pkg.custom_actions {
            let Some(patched) = patched_by(cx.pkg, ca) else {
                continue;
            };
            let schedules: Vec<_> = cx
                .pkg
                .schedules(&ca.name)
                .filter(|(seq, _)| PATCH_SEQUENCES.contains(&seq.kind))
                .collect();
            let Some((seq, row)) = schedules.first() else {
                continue;
            };
            let matrix = cx.scenarios();
            let verdict = matrix
                .action(&ca.name)
                .and_then(|a| a.run(matrix, Scenario::Patch));
            if verdict.is_none_or(|v| v.truth != Truth::No) {
                continue;
            }
            let condition = row.condition.as_deref().unwrap_or_default();
            cx.report(
                Report::new(
                    format!(
                        "custom action `{}`, {patched}, cannot run while the patch installs: its condition `{condition}` in {} is false when Installed is set",
                        ca.name,
                        seq.kind.table_name()
                    ),
                    Location::sequence_row(seq, row, "Condition"),
                )
                .action(&ca.name)
                .row(row)
                .help("a patch installs as a maintenance of the installed product (Installed is set, REMOVE is not): add `OR PATCH` to the condition for the action to run while patching")
                .note(if schedules.len() > 1 {
                    "its other schedules in the install sequences are false then too"
                } else {
                    "the condition is false whatever the other properties are"
                }),
            );
        }
    }
}

/// How a patch touched the action, in words (`added by fix.msp:rtm.1`), if
/// it added or changed its row or the Binary row of its code.
pub(crate) fn patched_by(pkg: &Package, ca: &CustomAction) -> Option<String> {
    if pkg.patch_transform(&ca.row.origin).is_some() {
        return ca.row.origin.describe();
    }
    let source = ca.source.as_deref()?;
    let origin = pkg.binary_origins.get(source)?;
    pkg.patch_transform(origin)?;
    Some(format!(
        "whose code (Binary row {source}) is {}",
        origin.describe()?
    ))
}

/// Whether the condition can hold while a patch installs: the `patch`
/// scenario of the scenario model (`Installed`, `PATCH` and `REINSTALL`
/// set, `REMOVE` unset), `No` only when it is false whatever the other
/// properties are.
#[cfg(test)]
fn runs_while_patching(pkg: &Package, condition: &Condition) -> Truth {
    crate::condition::evaluate(condition.expr(), &ScenarioFacts::new(Scenario::Patch, pkg)).truth
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::{Cell, MsiBuilder, PatchBuilder, TransformBuilder};

    const CODE: &str = "{11111111-1111-1111-1111-111111111111}";

    fn base() -> MsiBuilder {
        MsiBuilder::new()
            .standard_execute()
            .property("ProductCode", CODE)
            .property("ProductVersion", "1.0.0")
            .action("Existing", 3073, Some("Lib"), Some("Run"))
            .seq(
                "InstallExecuteSequence",
                "Existing",
                Some("NOT Installed"),
                4100,
            )
            .binary("Lib")
    }

    fn findings(product: TransformBuilder) -> Vec<crate::finding::Finding> {
        let pkg = base().load_with_patches(&[], &[PatchBuilder::new(&[CODE]).pair("rtm", product)]);
        assert!(pkg.patches[0].pair.is_some(), "the patch applies");
        crate::engine::run_rules(&pkg, &[&PatchActionSkipped], &Default::default())
    }

    /// The patch adds the deferred action `Added` with this condition.
    fn adds_action_conditioned(condition: &str) -> TransformBuilder {
        TransformBuilder::new()
            .insert(
                "CustomAction",
                vec!["Added".into(), 3073.into(), "Lib".into(), "Run".into()],
            )
            .insert(
                "InstallExecuteSequence",
                vec!["Added".into(), condition.into(), 4200.into()],
            )
    }

    fn while_patching(text: &str) -> Truth {
        runs_while_patching(&base().load(), &parse(text).unwrap())
    }

    #[test]
    fn conditions_decided_by_installed_and_remove() {
        assert_eq!(while_patching("NOT Installed"), Truth::No);
        assert_eq!(
            while_patching("NOT Installed AND VersionNT >= 600"),
            Truth::No
        );
        assert_eq!(while_patching("REMOVE~=\"ALL\""), Truth::No);
        assert_eq!(while_patching("Installed AND NOT REMOVE"), Truth::Yes);
        assert_eq!(while_patching(""), Truth::Yes);
        // PATCH and REINSTALL are set while a patch installs.
        assert_eq!(while_patching("NOT Installed OR PATCH"), Truth::Yes);
        assert_eq!(while_patching("NOT Installed OR REINSTALL"), Truth::Yes);
        // Installed's value is not known, only that it is set.
        assert_eq!(while_patching("Installed = 1"), Truth::Maybe);
    }

    #[test]
    fn an_added_not_installed_action_is_found_naming_the_patch() {
        let found = findings(adds_action_conditioned("NOT Installed"));
        assert_eq!(found.len(), 1, "{found:#?}");
        assert_eq!(found[0].action.as_deref(), Some("Added"));
        assert!(
            found[0]
                .message
                .contains("`Added`, added by fix1.msp:rtm, cannot run while the patch installs"),
            "{}",
            found[0].message
        );
    }

    #[test]
    fn a_changed_action_is_found_and_an_untouched_one_is_not() {
        // The base's own `NOT Installed` action is the product's business;
        // once the patch changes its Target it is the patch's.
        assert!(findings(TransformBuilder::new()).is_empty());
        let found = findings(TransformBuilder::new().update(
            "CustomAction",
            vec!["Existing".into()],
            vec![(3, "RunFixed".into())],
        ));
        assert_eq!(found.len(), 1, "{found:#?}");
        assert!(found[0].message.contains("changed by fix1.msp:rtm"));
    }

    #[test]
    fn new_code_for_an_action_counts_as_a_change() {
        let found = findings(
            TransformBuilder::new()
                .update("Binary", vec!["Lib".into()], vec![(1, Cell::Stream)])
                .stream("Binary.Lib", b"MZ"),
        );
        assert_eq!(found.len(), 1, "{found:#?}");
        assert!(found[0]
            .message
            .contains("whose code (Binary row Lib) is changed by fix1.msp:rtm"));
    }

    #[test]
    fn an_action_that_runs_while_patching_is_not_found() {
        let found = findings(adds_action_conditioned("NOT Installed OR PATCH"));
        assert!(found.is_empty(), "{found:#?}");
    }
}
