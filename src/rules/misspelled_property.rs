use foldhash::{HashMap, HashMapExt, HashSet, HashSetExt};

use crate::condition::RefKind;
use crate::model::standard::standard_properties;
use crate::rules::{Context, Report, Rule, RuleMeta};

declare_rule! {
    /// ## What it does
    /// Finds a condition that tests a property nothing in the package defines (no
    /// Property row, no set-property or set-directory action, no Directory row, no
    /// AppSearch, dialog control, Upgrade row or `[PROPERTY]` control event, and not a
    /// standard property) whose name is within a few edits of a standard property (one
    /// for names under 8 characters, two under 16, three for longer ones; a swap of
    /// neighbours counts once), or differs from one only in letter case:
    /// `UPGRADEPRODUCTCODE` for `UPGRADINGPRODUCTCODE`, `INSTALLED` for `Installed`.
    ///
    /// ## Why is this bad?
    /// Property names are case-sensitive, and a property nobody sets is empty. The test is
    /// always false, so `NOT UPGRADEPRODUCTCODE` is always true: an uninstall action meant
    /// to stay out of major upgrades runs in every one of them, and the installation gives
    /// no sign of it.
    ///
    /// Only names close to a standard property are reported: a public property the user
    /// may pass on the command line is a legitimate reason for a test of a name nothing
    /// defines. Names shorter than five characters are left alone (`PATH` is not a
    /// misspelt `PATCH`). Properties that custom action code sets through
    /// `MsiSetProperty` cannot be seen in the tables, so this is a warning, not an error.
    ///
    /// ## Example
    /// | Action | Condition |
    /// |---|---|
    /// | `RemoveSettings` | `REMOVE="ALL" AND NOT UPGRADEPRODUCTCODE` |
    ///
    /// ## Use instead
    /// Spell the standard property as Windows Installer does: `UPGRADINGPRODUCTCODE`.
    ///
    /// ## References
    /// "Property Reference"; "Conditional Statement Syntax" (property names are
    /// case-sensitive).
    pub struct MisspelledProperty {
        code: "MCA405",
        name: "misspelled-property",
        severity: Warning,
        summary: "A condition tests a property nothing defines whose name is a few edits from a standard property",
    }
}

/// Names shorter than this are too close to too many others to judge.
const SHORTEST: usize = 5;

impl Rule for MisspelledProperty {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, cx: &mut Context) {
        // Packages test the same few properties on many rows: judge each once.
        let mut judged: HashMap<&str, Option<&'static str>> = HashMap::new();
        for site in cx.conditions {
            let Ok(parsed) = site.parsed.as_ref() else {
                continue;
            };
            let mut seen = HashSet::new();
            for r in parsed
                .references
                .iter()
                .filter(|r| r.kind == RefKind::Property)
            {
                let name = r.name.as_str();
                if !seen.insert(name) {
                    continue;
                }
                let misspelt = *judged.entry(name).or_insert_with(|| {
                    closest_standard(name).filter(|_| !cx.pkg.property_may_be_set(name))
                });
                let Some(standard) = misspelt else {
                    continue;
                };
                let mut report = Report::new(
                    format!(
                        "{} tests `{name}`, which nothing in the package defines; the standard property is `{standard}`, so the test is always false",
                        site.describe()
                    ),
                    site.location(),
                )
                .help(format!(
                    "write `{standard}`; if `{name}` is a property of your own passed on the command line, give it a name that is not so close to a standard one"
                ))
                .site(site);
                if let Some(action) = site.action() {
                    report = report.action(action);
                }
                cx.report(report);
            }
        }
    }
}

/// The standard property `name` is most likely a misspelling of.
fn closest_standard(name: &str) -> Option<&'static str> {
    if name.len() < SHORTEST {
        return None;
    }
    let mut letters = [0i16; 256];
    for &b in name.as_bytes() {
        letters[usize::from(b)] += 1;
    }
    standard_properties()
        .iter()
        .filter_map(|&standard| {
            if standard.eq_ignore_ascii_case(name) {
                return Some((0, standard));
            }
            let allowed = match standard.len() {
                0..8 => 1,
                8..16 => 2,
                _ => 3,
            };
            if name.len().abs_diff(standard.len()) > allowed
                || letters_apart(&letters, name.len(), standard) > allowed
            {
                return None;
            }
            let d = edit_distance(name, standard, allowed)?;
            Some((d, standard))
        })
        .min_by_key(|&(d, _)| d)
        .map(|(_, standard)| standard)
}

/// A lower bound of the edit distance, cheap to compute: how many letters one
/// side has that the other lacks (a swap moves none, an edit at most one).
fn letters_apart(letters: &[i16; 256], len: usize, other: &str) -> usize {
    let mut left = *letters;
    let mut lacking = 0;
    for &b in other.as_bytes() {
        let slot = &mut left[usize::from(b)];
        if *slot > 0 {
            *slot -= 1;
        } else {
            lacking += 1;
        }
    }
    let matched = other.len() - lacking;
    lacking.max(len - matched)
}

/// The optimal-string-alignment distance between `a` and `b` (insertions,
/// deletions, substitutions and swaps of neighbours, counted in bytes), when
/// it is at most `limit`.
fn edit_distance(a: &str, b: &str, limit: usize) -> Option<usize> {
    let (a, b) = (a.as_bytes(), b.as_bytes());
    if a.len().abs_diff(b.len()) > limit {
        return None;
    }
    let width = b.len() + 1;
    // One flat table; row i is at [i * width ..].
    let mut d: Vec<usize> = (0..width).collect();
    d.resize((a.len() + 1) * width, 0);
    for i in 1..=a.len() {
        d[i * width] = i;
        for j in 1..=b.len() {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            let mut best = (d[(i - 1) * width + j] + 1)
                .min(d[i * width + j - 1] + 1)
                .min(d[(i - 1) * width + j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                best = best.min(d[(i - 2) * width + j - 2] + 1);
            }
            d[i * width + j] = best;
        }
        // Distances never shrink down the table: once a whole row (and the
        // one before, for swaps) is over the limit, so is the end.
        let over = |row: usize| d[row * width..(row + 1) * width].iter().all(|&n| n > limit);
        if over(i) && over(i - 1) {
            return None;
        }
    }
    Some(d[a.len() * width + b.len()]).filter(|&n| n <= limit)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::test_support::assert_actions;
    use crate::testing::MsiBuilder;

    const IE: &str = "InstallExecuteSequence";

    fn tested(condition: &str) -> MsiBuilder {
        MsiBuilder::new()
            .standard_execute()
            .binary("Bin")
            .action("RemoveSettings", 3073, Some("Bin"), Some("RemoveSettings"))
            .seq(IE, "RemoveSettings", Some(condition), 4001)
    }

    #[test]
    fn fires_on_near_misses_of_standard_properties() {
        let f = assert_actions(
            &MisspelledProperty,
            tested(r#"REMOVE="ALL" AND NOT UPGRADEPRODUCTCODE"#),
            &["RemoveSettings"],
        );
        assert!(
            f[0].message.contains("`UPGRADINGPRODUCTCODE`"),
            "{}",
            f[0].message
        );
        assert_eq!(f[0].location.table, IE);
        let f = assert_actions(
            &MisspelledProperty,
            tested("NOT INSTALLED"),
            &["RemoveSettings"],
        );
        assert!(f[0].message.contains("`Installed`"), "{}", f[0].message);
        assert_actions(
            &MisspelledProperty,
            tested("VersioNT64"),
            &["RemoveSettings"],
        );
    }

    #[test]
    fn quiet_for_standard_defined_and_distant_names() {
        for condition in [
            r#"REMOVE="ALL" AND NOT UPGRADINGPRODUCTCODE"#,
            "MYFEATURE_ENABLED",
            "PATH",
        ] {
            assert_actions(&MisspelledProperty, tested(condition), &[]);
        }
        // Defined by a Property row, a setter or a search.
        let b = tested("INSTALLED AND UPGRADECODE2 AND REINSTALLED")
            .property("INSTALLED", "1")
            .action("SetUpgradeCode2", 51, Some("UPGRADECODE2"), Some("1"))
            .app_search("REINSTALLED", "Sig");
        assert_actions(&MisspelledProperty, b, &[]);
    }

    #[test]
    fn edit_distance_counts_swaps_once() {
        assert_eq!(edit_distance("VersionTN", "VersionNT", 2), Some(1));
        assert_eq!(edit_distance("abc", "abc", 0), Some(0));
        assert_eq!(
            edit_distance("UPGRADEPRODUCTCODE", "UPGRADINGPRODUCTCODE", 3),
            Some(3)
        );
        assert_eq!(edit_distance("A", "ABCD", 2), None);
        let mut letters = [0i16; 256];
        for &b in b"VersioNT64" {
            letters[usize::from(b)] += 1;
        }
        assert_eq!(letters_apart(&letters, 10, "VersionNT64"), 1);
        assert_eq!(letters_apart(&letters, 10, "ProductCode"), 8);
    }
}
