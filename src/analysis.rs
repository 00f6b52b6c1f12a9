//! Analysis shared by the rules: how each custom action is reached, and which
//! rollback and commit actions belong to which deferred action.

use std::collections::{BTreeMap, HashMap, HashSet};

use crate::condition::{self, Condition, RefKind, Reference};
use crate::finding::Location;
use crate::model::{CustomAction, Package, Sequence, SequenceKind, SequenceRow};

/// How a custom action is reached at run time.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ActionRole {
    /// Listed in at least one sequence table.
    Sequenced,
    /// Called by a DoAction control event.
    DoAction,
    /// Not sequenced, but scheduled at run time through `MsiDoAction` by a
    /// sequenced immediate action (the scheduler/executor pattern).
    ScheduledBy {
        scheduler: String,
        reason: &'static str,
    },
    /// Not sequenced, but a known vendor action reached at run time.
    Vendor(&'static str),
}

impl ActionRole {
    pub fn describe(&self) -> String {
        match self {
            Self::Sequenced => "sequenced".into(),
            Self::DoAction => "called by a DoAction control event".into(),
            Self::ScheduledBy { scheduler, reason } => {
                format!("scheduled at run time by {scheduler} through MsiDoAction ({reason})")
            }
            Self::Vendor(what) => format!("reached at run time: {what}"),
        }
    }
}

pub type Roles = BTreeMap<String, ActionRole>;

/// The role of every custom action that is reached; an action missing from
/// the map is reached by nothing msica can see.
pub fn roles(pkg: &Package) -> Roles {
    let mut roles = Roles::new();
    for ca in &pkg.custom_actions {
        if pkg.schedules(&ca.name).next().is_some() {
            roles.insert(ca.name.clone(), ActionRole::Sequenced);
        } else if pkg.do_action_callers(&ca.name).next().is_some() {
            roles.insert(ca.name.clone(), ActionRole::DoAction);
        }
    }
    let sequenced = Sequenced::new(pkg, &roles);
    for ca in &pkg.custom_actions {
        if roles.contains_key(&ca.name) {
            continue;
        }
        if let Some(role) = run_time_role(pkg, ca, &sequenced) {
            roles.insert(ca.name.clone(), role);
        }
    }
    roles
}

/// Lookups over the sequenced custom actions, built once per package.
struct Sequenced<'a> {
    /// Names with any merge-module suffix removed.
    names: HashSet<&'a str>,
    /// Immediate code actions by their Source (a scheduler's Binary or File).
    code_by_source: HashMap<&'a str, &'a CustomAction>,
    /// Any action by its normalised Source.
    by_normalized_source: HashMap<String, &'a CustomAction>,
}

impl<'a> Sequenced<'a> {
    fn new(pkg: &'a Package, roles: &Roles) -> Self {
        let mut this = Self {
            names: HashSet::new(),
            code_by_source: HashMap::new(),
            by_normalized_source: HashMap::new(),
        };
        for ca in pkg
            .custom_actions
            .iter()
            .filter(|ca| roles.get(&ca.name) == Some(&ActionRole::Sequenced))
        {
            this.names.insert(strip_module_suffix(&ca.name));
            if let Some(source) = ca.source.as_deref() {
                if !ca.action_type.in_script() && ca.action_type.runs_code() {
                    this.code_by_source.entry(source).or_insert(ca);
                }
                this.by_normalized_source
                    .entry(normalize_name(source))
                    .or_insert(ca);
            }
        }
        this
    }
}

/// Vendor schedulers whose deferred actions live in a different Binary:
/// (scheduler, actions it schedules through MsiDoAction, who ships it).
const VENDOR_SCHEDULERS: [(&str, &[&str], &str); 1] = [(
    "MsiProcessDrivers",
    &[
        "MsiInstallDrivers",
        "MsiUninstallDrivers",
        "MsiRollbackInstall",
        "MsiCleanupOnSuccess",
    ],
    "Microsoft DIFxApp driver installation",
)];

/// Names Microsoft's own redistributable modules give their custom actions
/// (DIFxApp), which use the otherwise reserved `Msi` prefix.
pub fn is_microsoft_module_action(name: &str) -> bool {
    let name = strip_module_suffix(name);
    VENDOR_SCHEDULERS
        .iter()
        .any(|(scheduler, scheduled, _)| *scheduler == name || scheduled.contains(&name))
}

fn run_time_role(pkg: &Package, ca: &CustomAction, sequenced: &Sequenced) -> Option<ActionRole> {
    if pkg.validation_actions.contains(&ca.name) {
        return Some(ActionRole::Vendor(
            "run by the _ICESequence of this validation database",
        ));
    }
    let name = strip_module_suffix(&ca.name);
    for (scheduler, scheduled, vendor) in VENDOR_SCHEDULERS {
        if scheduled.contains(&name) && sequenced.names.contains(scheduler) {
            return Some(ActionRole::Vendor(vendor));
        }
    }
    // A sequenced immediate action running code from the same Binary or
    // File: the WiX/vendor scheduler that MsiDoAction's this one.
    let source = ca.source.as_deref()?;
    if let Some(s) = sequenced
        .code_by_source
        .get(source)
        .filter(|s| s.name != ca.name)
    {
        return Some(ActionRole::ScheduledBy {
            scheduler: s.name.clone(),
            reason: "same source as the scheduler",
        });
    }
    // WiX splits scheduler and executor into ...Sched/...Exec binaries
    // (ScaSchedule/ScaExecute, IIsSchedule/IIsExecute, WixCPSched/WixCPExec ...).
    let stem = normalize_name(source);
    for (sched, exec) in [("Schedule", "Execute"), ("Sched", "Exec")] {
        if let Some(prefix) = stem.strip_suffix(exec) {
            if let Some(s) = sequenced
                .by_normalized_source
                .get(&format!("{prefix}{sched}"))
            {
                return Some(ActionRole::ScheduledBy {
                    scheduler: s.name.clone(),
                    reason: "executor binary of the scheduler's binary",
                });
            }
        }
    }
    // A deferred action whose data property is set by a sequenced setter is
    // being prepared for an MsiDoAction call or a DoAction.
    if ca.action_type.in_script() {
        if let Some(setter) = pkg
            .setters_of(&ca.name)
            .find(|o| sequenced.names.contains(strip_module_suffix(&o.name)))
        {
            return Some(ActionRole::ScheduledBy {
                scheduler: setter.name.clone(),
                reason: "its CustomActionData is set",
            });
        }
    }
    None
}

/// Strips WiX v4+ prefixes, platform suffixes and a merge-module GUID
/// suffix, so that names from different builds compare equal.
pub fn normalize_name(name: &str) -> String {
    let mut s = strip_module_suffix(name);
    for prefix in ["Wix4", "Wix5", "Wix6"] {
        if let Some(rest) = s.strip_prefix(prefix) {
            if rest.chars().next().is_some_and(|c| c.is_ascii_uppercase()) {
                s = rest;
                break;
            }
        }
    }
    for suffix in [
        "_X86", "_X64", "_A64", "_A32", "_ARM", "_x64", "_64", "_ARM64", "_x86",
    ] {
        if let Some(rest) = s.strip_suffix(suffix) {
            s = rest;
            break;
        }
    }
    s.to_string()
}

/// `Name.0123ABCD_...` (a merge-module key) → `Name`.
pub fn strip_module_suffix(name: &str) -> &str {
    match name.rsplit_once('.') {
        Some((stem, guid)) if is_module_guid(guid) => stem,
        _ => name,
    }
}

fn is_module_guid(s: &str) -> bool {
    let parts: Vec<&str> = s.split('_').collect();
    parts.len() == 5
        && [8, 4, 4, 4, 12]
            .iter()
            .zip(&parts)
            .all(|(len, p)| p.len() == *len && p.chars().all(|c| c.is_ascii_hexdigit()))
}

/// Whether a rollback or commit action undoes or completes which deferred action.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SiblingKind {
    Rollback,
    Commit,
}

/// A deferred action and one of its rollback or commit siblings.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Sibling {
    pub deferred: String,
    pub sibling: String,
    pub kind: SiblingKind,
    /// How the pair was found, for messages.
    pub reason: &'static str,
    /// Names and source agree; otherwise only one of them does.
    pub certain: bool,
}

const ROLLBACK_AFFIXES: [&str; 3] = ["Rollback", "Undo", "Rb"];
const COMMIT_AFFIXES: [&str; 1] = ["Commit"];

/// Every rollback/commit sibling pair in the package.
pub fn siblings(pkg: &Package) -> Vec<Sibling> {
    let deferred = DeferredIndex::new(pkg);
    let mut out = Vec::new();
    for ca in &pkg.custom_actions {
        let (kind, affixes): (SiblingKind, &[&str]) = if ca.action_type.is_rollback() {
            (SiblingKind::Rollback, &ROLLBACK_AFFIXES)
        } else if ca.action_type.is_commit() {
            (SiblingKind::Commit, &COMMIT_AFFIXES)
        } else {
            continue;
        };
        let stems = affix_stems(&normalize_name(&ca.name), affixes);
        let mut best: Option<Sibling> = None;
        let target_stems = ca
            .target
            .as_deref()
            .map(|t| affix_stems(t, affixes))
            .unwrap_or_default();
        for &i in &deferred.candidates(&stems, ca.source.as_deref(), &target_stems) {
            let d = &pkg.custom_actions[i];
            let name_match = stems
                .iter()
                .any(|stem| names_match(stem, &deferred.normalized[&i]));
            let same_source = ca.source.is_some() && ca.source == d.source;
            let target_match = same_source
                && d.target
                    .as_deref()
                    .is_some_and(|dt| target_stems.iter().any(|stem| names_match(stem, dt)));
            let (reason, certain) = match (name_match, same_source, target_match) {
                (true, true, _) => (
                    "names differ only by a rollback/commit affix and share the source",
                    true,
                ),
                (_, true, true) => (
                    "entry points differ only by a rollback/commit affix in the same source",
                    true,
                ),
                (true, false, _) => ("names differ only by a rollback/commit affix", false),
                _ => continue,
            };
            let candidate = Sibling {
                deferred: d.name.clone(),
                sibling: ca.name.clone(),
                kind,
                reason,
                certain,
            };
            if best.as_ref().is_none_or(|b| !b.certain && certain) {
                best = Some(candidate);
            }
        }
        if let Some(pair) = best
            .or_else(|| installer_class_sibling(pkg, ca, kind))
            .or_else(|| adjacent_sibling(pkg, ca, kind))
        {
            out.push(pair);
        }
    }
    out
}

/// Deferred actions indexed by the name keys and the source a rollback or
/// commit action may share with them, so pairing stays linear.
struct DeferredIndex<'a> {
    /// Position → normalised name.
    normalized: HashMap<usize, String>,
    /// Normalised name, also without an `Exec`/`Install`/`Do` prefix → positions.
    by_key: HashMap<String, Vec<usize>>,
    /// (Source, entry-point key of Target) → positions.
    by_source_target: HashMap<(&'a str, String), Vec<usize>>,
}

impl<'a> DeferredIndex<'a> {
    fn new(pkg: &'a Package) -> Self {
        let mut this = Self {
            normalized: HashMap::new(),
            by_key: HashMap::new(),
            by_source_target: HashMap::new(),
        };
        for (i, d) in pkg
            .custom_actions
            .iter()
            .enumerate()
            .filter(|(_, d)| d.action_type.is_deferred())
        {
            let n = normalize_name(&d.name);
            for key in name_keys(&n) {
                this.by_key.entry(key).or_default().push(i);
            }
            if let (Some(source), Some(target)) = (d.source.as_deref(), d.target.as_deref()) {
                for key in name_keys(target) {
                    this.by_source_target
                        .entry((source, key))
                        .or_default()
                        .push(i);
                }
            }
            this.normalized.insert(i, n);
        }
        this
    }

    /// Deferred actions that may pair with a sibling whose name and target
    /// have these stems, in table order.
    fn candidates(
        &self,
        stems: &[String],
        source: Option<&str>,
        target_stems: &[String],
    ) -> Vec<usize> {
        let by_name = stems
            .iter()
            .flat_map(|stem| name_keys(stem))
            .filter_map(|key| self.by_key.get(&key));
        let by_target = source.into_iter().flat_map(|source| {
            target_stems
                .iter()
                .flat_map(|stem| name_keys(stem))
                .filter_map(move |key| self.by_source_target.get(&(source, key)))
        });
        let mut out: Vec<usize> = by_name.chain(by_target).flatten().copied().collect();
        out.sort_unstable();
        out.dedup();
        out
    }
}

/// A name and the name without each action-verb prefix ([`names_match`]).
fn name_keys(name: &str) -> Vec<String> {
    let mut keys = vec![name.to_owned()];
    for prefix in NAME_PREFIXES {
        if let Some(rest) = name.strip_prefix(prefix) {
            keys.push(rest.to_owned());
            keys.push(rest.trim_start_matches('_').to_owned());
        }
    }
    keys
}

/// Visual Studio Installer-class actions: `_ID.install` with `_ID.rollback`
/// and `_ID.commit`, sharing the prefix before the last dot.
fn installer_class_sibling(pkg: &Package, ca: &CustomAction, kind: SiblingKind) -> Option<Sibling> {
    let (prefix, phase) = ca.name.rsplit_once('.')?;
    let expected = match kind {
        SiblingKind::Rollback => "rollback",
        SiblingKind::Commit => "commit",
    };
    if !phase.eq_ignore_ascii_case(expected) {
        return None;
    }
    let install = pkg.custom_actions.iter().find(|d| {
        d.action_type.is_deferred()
            && d.name
                .rsplit_once('.')
                .is_some_and(|(p, ph)| p == prefix && ph.eq_ignore_ascii_case("install"))
    })?;
    Some(Sibling {
        deferred: install.name.clone(),
        sibling: ca.name.clone(),
        kind,
        reason: "Installer-class phases of the same component",
        certain: install.source == ca.source,
    })
}

/// Prefixes a deferred action's name may carry that its rollback's name drops
/// (`ExecServiceConfig` ↔ `RollbackServiceConfig`).
const NAME_PREFIXES: [&str; 4] = ["Execute", "Exec", "Install", "Do"];

/// A rollback or commit action whose next in-script action in an execute
/// sequence is a deferred action from the same source.
fn adjacent_sibling(pkg: &Package, ca: &CustomAction, kind: SiblingKind) -> Option<Sibling> {
    ca.source.as_ref()?;
    for seq in pkg.sequences.iter().filter(|s| s.kind.is_execute()) {
        let Some(order) = seq.order_of(&ca.name) else {
            continue;
        };
        let next = seq
            .rows_after(&ca.name)
            .iter()
            .filter(|r| r.order.is_some_and(|o| o > order))
            .filter_map(|r| pkg.custom_action(&r.action))
            .find(|other| other.action_type.in_script());
        if let Some(d) = next.filter(|d| d.action_type.is_deferred() && d.source == ca.source) {
            return Some(Sibling {
                deferred: d.name.clone(),
                sibling: ca.name.clone(),
                kind,
                reason: "shares the source and is the in-script action scheduled just before it",
                certain: false,
            });
        }
    }
    None
}

/// The name with one affix removed, in each position it occurs: prefix,
/// suffix (with or without `_`), or inside (`ExecFooRollback` style).
fn affix_stems(name: &str, affixes: &[&str]) -> Vec<String> {
    let mut stems = Vec::new();
    for affix in affixes {
        let mut search = 0;
        while let Some(pos) = name[search..].find(affix).map(|p| p + search) {
            let mut stem = format!("{}{}", &name[..pos], &name[pos + affix.len()..]);
            stem = stem.replace("__", "_").trim_matches('_').to_string();
            if !stem.is_empty() {
                stems.push(stem);
            }
            search = pos + affix.len();
        }
    }
    stems
}

/// `stem` (a rollback name without its affix) names the deferred action
/// `deferred`: equal, or equal once an `Exec`/`Do`/`Execute` prefix is removed.
fn names_match(stem: &str, deferred: &str) -> bool {
    if stem == deferred {
        return true;
    }
    NAME_PREFIXES.iter().any(|p| {
        deferred
            .strip_prefix(p)
            .is_some_and(|rest| rest == stem || rest.trim_start_matches('_') == stem)
            || stem.strip_prefix(p).is_some_and(|rest| rest == deferred)
    })
}

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
    /// The condition parsed, once for every rule that reads it.
    pub parsed: Result<Condition, condition::ParseError>,
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

/// Every non-empty condition of the package: sequence rows of every
/// sequence table, ControlEvent rows, and LaunchCondition, ControlCondition
/// and Condition rows, in that order, each parsed.
pub fn condition_sites(pkg: &Package) -> Vec<ConditionSiteRef<'_>> {
    fn non_empty(c: &Option<String>) -> Option<&str> {
        c.as_deref().filter(|t| !t.trim().is_empty())
    }
    let site = |owner, text| ConditionSiteRef {
        owner,
        text,
        parsed: condition::parse(text),
    };
    let mut out = Vec::new();
    for seq in &pkg.sequences {
        for row in &seq.rows {
            if let Some(text) = non_empty(&row.condition) {
                out.push(site(ConditionOwner::SequenceRow(seq, row), text));
            }
        }
    }
    for event in &pkg.control_events {
        if let Some(text) = non_empty(&event.condition) {
            out.push(site(ConditionOwner::ControlEvent(event), text));
        }
    }
    for other in pkg.conditions.iter().filter(|s| !s.text.trim().is_empty()) {
        out.push(site(ConditionOwner::Other(other), &other.text));
    }
    out
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

    #[test]
    fn normalises_wix_and_module_names() {
        assert_eq!(normalize_name("Wix4ExecXmlFile_X64"), "ExecXmlFile");
        assert_eq!(normalize_name("ExecXmlFile_64"), "ExecXmlFile");
        assert_eq!(
            normalize_name("CA_Help.3643236F_FC70_11D3_A536_0090278A1BB8"),
            "CA_Help"
        );
        assert_eq!(normalize_name("Wix4"), "Wix4");
    }

    #[test]
    fn rollback_stems_match_their_deferred_action() {
        let stems = affix_stems("ExecXmlFileRollback", &ROLLBACK_AFFIXES);
        assert!(stems.iter().any(|s| names_match(s, "ExecXmlFile")));
        let stems = affix_stems("RollbackServiceConfig", &ROLLBACK_AFFIXES);
        assert!(stems.iter().any(|s| names_match(s, "ExecServiceConfig")));
        let stems = affix_stems("CreateUserRollback", &ROLLBACK_AFFIXES);
        assert!(stems.iter().any(|s| names_match(s, "CreateUser")));
        let stems = affix_stems("RollbackEaGroups", &ROLLBACK_AFFIXES);
        assert!(stems.iter().any(|s| names_match(s, "InstallEaGroups")));
        assert!(!affix_stems("RollbackFoo", &ROLLBACK_AFFIXES)
            .iter()
            .any(|s| names_match(s, "Bar")));
    }
}
