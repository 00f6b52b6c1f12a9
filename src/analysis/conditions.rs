//! Every condition of a package, wherever it is stored, parsed once.

use std::sync::Arc;

use foldhash::{HashMap, HashMapExt};

use crate::condition::{self, Condition, RefKind, Reference};
use crate::finding::Location;
use crate::model::{Package, Sequence, SequenceKind, SequenceRow};

/// Where a condition is stored.
#[derive(Debug, Clone, Copy)]
pub enum ConditionOwner<'a> {
    /// A sequence row: the action runs when the condition holds.
    SequenceRow(&'a Sequence, &'a SequenceRow),
    /// A ControlEvent row: the event is published when the condition holds.
    ControlEvent(&'a crate::model::ControlEvent),
    /// A LaunchCondition, ControlCondition or Condition row.
    Other(&'a crate::model::ConditionSite),
}

/// One non-empty condition of the package, wherever it is stored.
#[derive(Debug, Clone)]
pub struct ConditionSiteRef<'a> {
    pub owner: ConditionOwner<'a>,
    /// The condition text as stored.
    pub text: &'a str,
    /// The condition parsed, once for every rule that reads it and once for
    /// every site with the same text.
    pub parsed: Arc<Result<Condition, condition::ParseError>>,
}

impl<'a> ConditionSiteRef<'a> {
    /// The row and its condition cell.
    pub fn location(&self) -> Location {
        match self.owner {
            ConditionOwner::SequenceRow(seq, row) => Location::sequence_row(seq, row, "Condition"),
            ConditionOwner::ControlEvent(event) => Location::control_event(event, "Condition"),
            ConditionOwner::Other(site) => Location::condition_site(site),
        }
    }

    /// The action concerned: the sequenced action, or the action a DoAction
    /// event calls.
    pub fn action(&self) -> Option<&'a str> {
        match self.owner {
            ConditionOwner::SequenceRow(_, row) => Some(&row.action),
            ConditionOwner::ControlEvent(event) => event.do_action(),
            ConditionOwner::Other(_) => None,
        }
    }

    /// The sequence row, when the condition belongs to one.
    pub fn row(&self) -> Option<&'a SequenceRow> {
        match self.owner {
            ConditionOwner::SequenceRow(_, row) => Some(row),
            _ => None,
        }
    }

    /// Where the condition is, in words, e.g. "the condition of `Foo` in
    /// InstallExecuteSequence".
    pub fn describe(&self) -> String {
        match self.owner {
            ConditionOwner::SequenceRow(seq, row) => {
                format!(
                    "the condition of `{}` in {}",
                    row.action,
                    seq.kind.table_name()
                )
            }
            ConditionOwner::ControlEvent(e) => {
                format!(
                    "the condition of the {} event `{}` of control {}/{}",
                    e.event, e.argument, e.dialog, e.control
                )
            }
            ConditionOwner::Other(site) => match site.table.as_str() {
                "LaunchCondition" => "a launch condition".to_owned(),
                "ControlCondition" => format!("the ControlCondition of {}", site.key),
                "Condition" => format!("the Condition row of feature {}", site.key),
                table => format!("the {table} row {}", site.key),
            },
        }
    }
}

/// Every non-empty condition of a package, each parsed once for every rule
/// that reads it, in the order of [`condition_sites`].
#[derive(Debug)]
pub struct Conditions<'a> {
    sites: Vec<ConditionSiteRef<'a>>,
    /// Sequence rows by table and action, to their site.
    by_row: HashMap<(SequenceKind, &'a str), usize>,
}

impl<'a> std::ops::Deref for Conditions<'a> {
    type Target = [ConditionSiteRef<'a>];

    fn deref(&self) -> &Self::Target {
        &self.sites
    }
}

impl Conditions<'_> {
    /// The parsed condition of a sequence row; `None` when it is empty
    /// (the row always runs).
    pub fn of_row(
        &self,
        kind: SequenceKind,
        action: &str,
    ) -> Option<&Result<Condition, condition::ParseError>> {
        self.by_row
            .get(&(kind, action))
            .map(|&i| &*self.sites[i].parsed)
    }
}

impl<'b, 'a> IntoIterator for &'b Conditions<'a> {
    type Item = &'b ConditionSiteRef<'a>;
    type IntoIter = std::slice::Iter<'b, ConditionSiteRef<'a>>;

    fn into_iter(self) -> Self::IntoIter {
        self.sites.iter()
    }
}

/// Every non-empty condition of the package: sequence rows of every
/// sequence table, ControlEvent rows, and LaunchCondition, ControlCondition
/// and Condition rows, in that order, each parsed.
pub fn condition_sites(pkg: &Package) -> Conditions<'_> {
    fn non_empty(c: &Option<String>) -> Option<&str> {
        c.as_deref().filter(|t| !t.trim().is_empty())
    }
    // Packages repeat the same few conditions (`NOT Installed`) on many rows.
    let mut parsed: HashMap<&str, Arc<_>> = HashMap::new();
    let mut site = |owner, text| ConditionSiteRef {
        owner,
        text,
        parsed: parsed
            .entry(text)
            .or_insert_with(|| Arc::new(condition::parse(text)))
            .clone(),
    };
    let mut sites = Vec::new();
    let mut by_row = HashMap::new();
    for seq in &pkg.sequences {
        for row in &seq.rows {
            if let Some(text) = non_empty(&row.condition) {
                by_row.insert((seq.kind, row.action.as_str()), sites.len());
                sites.push(site(ConditionOwner::SequenceRow(seq, row), text));
            }
        }
    }
    for event in &pkg.control_events {
        if let Some(text) = non_empty(&event.condition) {
            sites.push(site(ConditionOwner::ControlEvent(event), text));
        }
    }
    for other in pkg.conditions.iter().filter(|s| !s.text.trim().is_empty()) {
        sites.push(site(ConditionOwner::Other(other), &other.text));
    }
    Conditions { sites, by_row }
}

/// What decides whether one sequenced action runs: what its condition reads.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RowCondition {
    pub table: SequenceKind,
    pub action: String,
    /// The parsed condition (never empty).
    pub condition: Condition,
}

impl RowCondition {
    /// The properties read, in order of first appearance.
    pub fn properties(&self) -> Vec<&str> {
        self.references_of(RefKind::Property)
    }

    /// Every value read: properties, environment variables, component and
    /// feature states.
    pub fn references(&self) -> Vec<Reference> {
        self.condition.references()
    }

    fn references_of(&self, kind: RefKind) -> Vec<&str> {
        self.condition
            .references
            .iter()
            .filter(|r| r.kind == kind)
            .map(|r| r.name.as_str())
            .collect()
    }
}

/// For every sequence row with a non-empty condition that parses, what its
/// condition reads, in table and run order. Rows without a condition always
/// run and are left out; conditions that do not parse are left to MCA401.
pub fn row_conditions(pkg: &Package) -> Vec<RowCondition> {
    let mut out = Vec::new();
    for seq in &pkg.sequences {
        for row in &seq.rows {
            let Some(text) = row.condition.as_deref() else {
                continue;
            };
            let Ok(condition) = condition::parse(text) else {
                continue;
            };
            if !condition.is_empty() {
                out.push(RowCondition {
                    table: seq.kind,
                    action: row.action.clone(),
                    condition,
                });
            }
        }
    }
    out
}

/// The properties that decide whether `action` runs in `table`: those its
/// condition reads. Empty when the row has no condition; `None` when the
/// action is not in the table or its condition does not parse.
pub fn deciding_properties(
    pkg: &Package,
    table: SequenceKind,
    action: &str,
) -> Option<Vec<String>> {
    let row = pkg.sequence(table)?.row(action)?;
    let condition = condition::parse(row.condition.as_deref().unwrap_or_default()).ok()?;
    Some(
        condition
            .references()
            .into_iter()
            .filter(|r| r.kind == RefKind::Property)
            .map(|r| r.name)
            .collect(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::SequenceKind;
    use crate::testing::MsiBuilder;

    #[test]
    fn conditions_tell_which_properties_decide_each_action() {
        let pkg = MsiBuilder::new()
            .standard_execute()
            .binary("Bin")
            .action("Cleanup", 1, Some("Bin"), Some("Cleanup"))
            .action("Always", 1, Some("Bin"), Some("Always"))
            .action("Broken", 1, Some("Bin"), Some("Broken"))
            .seq(
                "InstallExecuteSequence",
                "Cleanup",
                Some(r#"REMOVE~="ALL" AND NOT UPGRADINGPRODUCTCODE AND $Comp=2 AND %TEMP"#),
                3000,
            )
            .seq("InstallExecuteSequence", "Always", None, 3001)
            .seq("InstallExecuteSequence", "Broken", Some("A ="), 3002)
            .load();
        let ie = SequenceKind::InstallExecuteSequence;
        let rows = row_conditions(&pkg);
        assert_eq!(rows.len(), 1, "{rows:?}");
        assert_eq!(rows[0].action, "Cleanup");
        assert_eq!(rows[0].properties(), ["REMOVE", "UPGRADINGPRODUCTCODE"]);
        assert_eq!(rows[0].references().len(), 4);
        assert_eq!(
            deciding_properties(&pkg, ie, "Cleanup").unwrap(),
            ["REMOVE", "UPGRADINGPRODUCTCODE"]
        );
        assert_eq!(
            deciding_properties(&pkg, ie, "Always").unwrap(),
            Vec::<String>::new()
        );
        assert_eq!(deciding_properties(&pkg, ie, "Broken"), None);
        assert_eq!(deciding_properties(&pkg, ie, "Missing"), None);
    }

    #[test]
    fn condition_sites_cover_every_condition_table() {
        let pkg = MsiBuilder::new()
            .standard_execute()
            .seq("InstallExecuteSequence", "LaunchConditions", Some("1"), 100)
            .dialog("Dlg")
            .control_event("Dlg", "Next", "NewDialog", "Other", "Ready = 1")
            .launch_condition("Privileged", "Administrator rights are needed")
            .control_condition("Dlg", "Next", "Disable", "NOT Ready")
            .feature_condition("Main", 0, "VersionNT < 600")
            .load();
        let sites = condition_sites(&pkg);
        let tables: Vec<String> = sites.iter().map(|s| s.location().table).collect();
        assert_eq!(
            tables,
            [
                "InstallExecuteSequence",
                "ControlEvent",
                "LaunchCondition",
                "ControlCondition",
                "Condition"
            ]
        );
        let feature = sites.iter().find(|s| s.text == "VersionNT < 600").unwrap();
        assert_eq!(feature.location().key, "Main/0");
        assert_eq!(feature.location().column.as_deref(), Some("Condition"));
        assert_eq!(sites[3].location().key, "Dlg/Next/Disable/NOT Ready");
    }
}
