use foldhash::{HashMap, HashMapExt, HashSet, HashSetExt};

use crate::finding::Location;
use crate::model::action_type::BaseKind;
use crate::model::CustomAction;
use crate::rules::{Context, Report, Rule, RuleMeta};

declare_rule! {
    /// ## What it does
    /// Finds a set-property action (type 51) that writes a property whose name almost
    /// matches a deferred action's name (differs in letter case, or by one or two
    /// characters) while no setter writes the exact name.
    ///
    /// ## Why is this bad?
    /// A deferred action receives as CustomActionData the value of the property named
    /// exactly like the action. Property names are case-sensitive; a near miss sets a
    /// property nobody reads and the deferred action runs with empty data.
    ///
    /// ## Example
    /// | Action | Type | Source |
    /// |---|---|---|
    /// | `InstallFoo` | 3073 | `FooCA` |
    /// | `SetInstallFoo` | 51 | `installFoo` |
    ///
    /// ## Use instead
    /// Name the property exactly like the deferred action: `InstallFoo`.
    ///
    /// ## References
    /// "Obtaining Context Information for Deferred Execution Custom Actions".
    pub struct CustomactiondataNameMismatch {
        code: "MCA113",
        name: "customactiondata-name-mismatch",
        severity: Warning,
        summary: "A set-property action writes a property whose name almost matches a deferred action's name",
    }
}

/// Levenshtein distance, stopping early above `max`.
fn distance_at_most(a: &str, b: &str, max: usize) -> Option<usize> {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    if a.len().abs_diff(b.len()) > max {
        return None;
    }
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.iter().enumerate() {
        let mut cur = vec![i + 1];
        for (j, cb) in b.iter().enumerate() {
            cur.push(
                (prev[j] + usize::from(ca != cb))
                    .min(prev[j + 1] + 1)
                    .min(cur[j] + 1),
            );
        }
        prev = cur;
    }
    let d = prev[b.len()];
    (d <= max).then_some(d)
}

impl Rule for CustomactiondataNameMismatch {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, cx: &mut Context) {
        let pkg = cx.pkg;
        let setters: Vec<_> = pkg
            .custom_actions
            .iter()
            .filter(|s| s.action_type.kind() == BaseKind::SetProperty)
            .collect();
        let written: HashSet<&str> = setters.iter().filter_map(|s| s.source.as_deref()).collect();
        // Only a property that no action and no Property row names can be a
        // misspelt action name. These are few, so they are indexed and every
        // in-script action is looked up, without allocating per action.
        let orphans: Vec<(&CustomAction, &str)> = setters
            .iter()
            .filter_map(|s| Some((*s, s.source.as_deref()?)))
            .filter(|(_, p)| pkg.custom_action(p).is_none() && !pkg.properties.contains_key(*p))
            .collect();
        if orphans.is_empty() {
            return;
        }
        let mut by_key: HashMap<String, Vec<usize>> = HashMap::new();
        let mut lengths = HashSet::new();
        let mut key = String::new();
        for (i, (_, property)) in orphans.iter().enumerate() {
            let lower: Vec<char> = property.to_lowercase().chars().collect();
            lengths.insert(lower.len());
            for_each_near_key(&lower, &mut key, |k| {
                by_key.entry(k.to_owned()).or_default().push(i);
            });
        }
        let mut nearest: Vec<Option<&CustomAction>> = vec![None; orphans.len()];
        for d in pkg
            .custom_actions
            .iter()
            .filter(|d| d.action_type.in_script() && !written.contains(d.name.as_str()))
        {
            let lower: Vec<char> = d.name.to_lowercase().chars().collect();
            // Names that share a key differ in length by one at most.
            let len = lower.len();
            if ![len.saturating_sub(1), len, len + 1]
                .iter()
                .any(|l| lengths.contains(l))
            {
                continue;
            }
            for_each_near_key(&lower, &mut key, |k| {
                for &i in by_key.get(k).into_iter().flatten() {
                    let property = orphans[i].1;
                    if nearest[i].is_none()
                        && (d.name.eq_ignore_ascii_case(property)
                            || (d.name.len() >= 8
                                && distance_at_most(&d.name, property, 2).is_some()))
                    {
                        nearest[i] = Some(d);
                    }
                }
            });
        }
        for ((setter, property), deferred) in orphans.into_iter().zip(nearest) {
            let Some(deferred) = deferred else { continue };
            cx.report(
                Report::new(
                    format!(
                        "`{}` sets property `{property}`, which almost matches deferred action `{}`; its CustomActionData stays empty",
                        setter.name, deferred.name
                    ),
                    Location::custom_action(setter, "Source"),
                )
                .help(format!("name the property exactly like the deferred action: `{}`", deferred.name))
                .action(&setter.name)
                .related(&deferred.name),
            );
        }
    }
}

/// Calls `f` with the lower-cased name and every variant with one character
/// deleted, built in `buf`: two names within one edit of each other (ignoring
/// case) share a key.
fn for_each_near_key(lower: &[char], buf: &mut String, mut f: impl FnMut(&str)) {
    for skip in std::iter::once(None).chain((0..lower.len()).map(Some)) {
        buf.clear();
        buf.extend(
            lower
                .iter()
                .enumerate()
                .filter(|(i, _)| Some(*i) != skip)
                .map(|(_, c)| c),
        );
        f(buf);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::test_support::assert_actions;
    use crate::testing::MsiBuilder;

    fn package(property: &str) -> MsiBuilder {
        MsiBuilder::new()
            .binary("Bin")
            .action("InstallFoo", 3073, Some("Bin"), Some("InstallFoo"))
            .action("SetInstallFoo", 51, Some(property), Some("[INSTALLDIR]"))
    }

    #[test]
    fn fires_on_case_and_typo_mismatches() {
        assert_actions(
            &CustomactiondataNameMismatch,
            package("installFoo"),
            &["SetInstallFoo"],
        );
        assert_actions(
            &CustomactiondataNameMismatch,
            package("InstallFo0"),
            &["SetInstallFoo"],
        );
    }

    #[test]
    fn quiet_on_exact_names_and_unrelated_properties() {
        assert_actions(&CustomactiondataNameMismatch, package("InstallFoo"), &[]);
        assert_actions(
            &CustomactiondataNameMismatch,
            package("ARPINSTALLLOCATION"),
            &[],
        );
        let b = package("installFoo").property("installFoo", "x");
        assert_actions(&CustomactiondataNameMismatch, b, &[]);
    }

    #[test]
    fn distance_is_bounded() {
        assert_eq!(distance_at_most("kitten", "sitting", 3), Some(3));
        assert_eq!(distance_at_most("kitten", "sitting", 2), None);
    }
}
