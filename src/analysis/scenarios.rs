//! Scenarios: which custom actions run on a first install (with and without
//! the UI), a repair, a modify, an uninstall, a major upgrade (this version
//! installing over an older one, and this version being removed by a newer
//! one), a patch and a patch removal.
//!
//! Each scenario fixes the properties Windows Installer sets for it and, at
//! uninstall, the action states of features and components; everything else
//! (an arbitrary public property, a feature the user may deselect) stays
//! unknown. Conditions are evaluated in three-valued logic
//! ([`crate::condition::evaluate`]), so each action is `yes`, `no` or
//! `maybe` in each scenario, and a `maybe` names what it depends on.
//!
//! What Windows sets, from Microsoft's property reference:
//!
//! * `Installed` is set when the product is installed for the machine or the
//!   current user, so in every maintenance scenario and never on a first
//!   install (<https://learn.microsoft.com/windows/win32/msi/installed>).
//! * `REMOVE` lists the features being removed and is `ALL` when the whole
//!   product is (<https://learn.microsoft.com/windows/win32/msi/remove>);
//!   RemoveExistingProducts removes an old product with `REMOVE` set to the
//!   Upgrade row's Remove column, `ALL` when it is blank
//!   (<https://learn.microsoft.com/windows/win32/msi/removeexistingproducts-action>).
//! * `REINSTALL` lists the features reinstalled: `ALL` for a repair, the
//!   patched features when a patch is applied
//!   (<https://learn.microsoft.com/windows/win32/msi/reinstall>).
//! * `UPGRADINGPRODUCTCODE` is set only while RemoveExistingProducts removes
//!   an application, never when the user removes it
//!   (<https://learn.microsoft.com/windows/win32/msi/upgradingproductcode>).
//! * `PATCH` lists the patches being applied
//!   (<https://learn.microsoft.com/windows/win32/msi/patch>), and
//!   `MSIPATCHREMOVE` the patches being removed
//!   (<https://learn.microsoft.com/windows/win32/msi/msipatchremove>).
//! * `UILevel` is the user interface level (5 full, 2 none)
//!   (<https://learn.microsoft.com/windows/win32/msi/uilevel>); with basic or
//!   no UI the InstallUISequence table is skipped
//!   (<https://learn.microsoft.com/windows/win32/msi/installuisequence-table>).
//! * An Upgrade row's `ActionProperty` is set by FindRelatedProducts to the
//!   related products it finds, and FindRelatedProducts runs only on a first
//!   install, never in maintenance or at uninstall
//!   (<https://learn.microsoft.com/windows/win32/msi/upgrade-table>,
//!   <https://learn.microsoft.com/windows/win32/msi/findrelatedproducts-action>).
//!
//! A property that a custom action of the package sets (type 51) is not
//! fixed by any scenario: the action may change it.

use foldhash::HashMap;
use serde::Serialize;

use super::Conditions;
use crate::condition::{self, Facts, Known, RefKind, Truth, Verdict};
use crate::model::{CustomAction, Package, Sequence, SequenceKind, SequenceRow};

/// One way a package is run.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Scenario {
    Install,
    InstallSilent,
    Repair,
    Modify,
    Uninstall,
    Upgrade,
    UpgradeRemoval,
    Patch,
    PatchRemoval,
}

/// The scenario names, in column order.
pub const SCENARIO_NAMES: [&str; 9] = [
    "install",
    "install-silent",
    "repair",
    "modify",
    "uninstall",
    "upgrade",
    "upgrade-removal",
    "patch",
    "patch-removal",
];

impl Scenario {
    pub const ALL: [Scenario; 9] = [
        Scenario::Install,
        Scenario::InstallSilent,
        Scenario::Repair,
        Scenario::Modify,
        Scenario::Uninstall,
        Scenario::Upgrade,
        Scenario::UpgradeRemoval,
        Scenario::Patch,
        Scenario::PatchRemoval,
    ];

    pub fn name(self) -> &'static str {
        SCENARIO_NAMES[self as usize]
    }

    pub fn from_name(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|s| s.name() == name)
    }

    /// What the scenario is, in words.
    pub fn describe(self) -> &'static str {
        match self {
            Self::Install => "first install with the full UI",
            Self::InstallSilent => "first install with no UI (/qn): InstallUISequence is skipped",
            Self::Repair => "the product reinstalled: REINSTALL=ALL",
            Self::Modify => "maintenance that adds or removes features",
            Self::Uninstall => "the product removed by the user: REMOVE=ALL",
            Self::Upgrade => {
                "this version installing over an older one that the Upgrade table finds"
            }
            Self::UpgradeRemoval => {
                "this version removed by a newer one's RemoveExistingProducts: REMOVE=ALL, UPGRADINGPRODUCTCODE set, no UI"
            }
            Self::Patch => "a patch being applied: Installed, PATCH and REINSTALL set",
            Self::PatchRemoval => "a patch being removed: MSIPATCHREMOVE set",
        }
    }

    /// Whether InstallUISequence runs: always with the full UI, never
    /// without UI, and otherwise as `UILevel` says.
    fn ui_sequence(self) -> Verdict {
        match self {
            Self::Install => Verdict::certain(Truth::Yes),
            Self::InstallSilent | Self::UpgradeRemoval => Verdict::certain(Truth::No),
            _ => Verdict {
                truth: Truth::Maybe,
                depends_on: vec!["UILevel".to_owned()],
            },
        }
    }

    /// The value of a property Windows Installer fixes in this scenario.
    fn fixed_property(self, name: &str) -> Option<Known> {
        use Scenario::*;
        let set = |yes: bool| if yes { Known::NonEmpty } else { Known::unset() };
        Some(match name {
            "Installed" => set(!matches!(self, Install | InstallSilent | Upgrade)),
            "REMOVE" => match self {
                Uninstall | UpgradeRemoval => Known::text("ALL"),
                Modify => Known::Anything,
                _ => Known::unset(),
            },
            "REINSTALL" => match self {
                Repair => Known::text("ALL"),
                Patch => Known::NonEmpty,
                Modify | PatchRemoval => Known::Anything,
                _ => Known::unset(),
            },
            "UPGRADINGPRODUCTCODE" => set(self == UpgradeRemoval),
            "PATCH" => match self {
                Patch => Known::NonEmpty,
                PatchRemoval => Known::Anything,
                _ => Known::unset(),
            },
            "MSIPATCHREMOVE" => set(self == PatchRemoval),
            "UILevel" => match self {
                Install => Known::text("5"),
                InstallSilent => Known::text("2"),
                _ => Known::Anything,
            },
            _ => return None,
        })
    }
}

/// What one scenario knows about one package.
pub struct ScenarioFacts<'a> {
    pub scenario: Scenario,
    pkg: &'a Package,
}

impl<'a> ScenarioFacts<'a> {
    pub fn new(scenario: Scenario, pkg: &'a Package) -> Self {
        Self { scenario, pkg }
    }

    fn upgrade_property(&self, name: &str) -> Option<Known> {
        let entry = self
            .pkg
            .upgrades
            .iter()
            .find(|u| u.action_property == name)?;
        Some(match self.scenario {
            // FindRelatedProducts sets it only when it finds a product;
            // one removable row is the one that found the older version.
            Scenario::Upgrade if !entry.only_detect && removable_upgrades(self.pkg) == 1 => {
                Known::NonEmpty
            }
            // A first install may still find a newer version (the
            // downgrade checks) or one the rows describe otherwise.
            Scenario::Install | Scenario::InstallSilent | Scenario::Upgrade => Known::Anything,
            _ => Known::unset(),
        })
    }
}

impl Facts for ScenarioFacts<'_> {
    fn known(&self, kind: RefKind, name: &str) -> Known {
        let removing = matches!(
            self.scenario,
            Scenario::Uninstall | Scenario::UpgradeRemoval
        );
        let first_install = matches!(
            self.scenario,
            Scenario::Install | Scenario::InstallSilent | Scenario::Upgrade
        );
        match kind {
            RefKind::Property => {
                // A custom action of the package may change any of them.
                if self.pkg.setters_of(name).next().is_some() {
                    return Known::Anything;
                }
                self.scenario
                    .fixed_property(name)
                    .or_else(|| self.upgrade_property(name))
                    .unwrap_or(Known::Anything)
            }
            // Everything installed is being removed (2); what was never
            // installed has no action (-1).
            RefKind::ComponentAction | RefKind::FeatureAction if removing => {
                Known::states(&[2, -1])
            }
            // The product is not installed yet: its features are absent.
            RefKind::FeatureInstalled if first_install => Known::states(&[2, -1]),
            _ => Known::Anything,
        }
    }
}

/// Facts with one property known to be unset (a property only the UI sets,
/// in a scenario without UI).
pub struct WithUnset<'a, F> {
    pub facts: &'a F,
    pub property: &'a str,
}

impl<F: Facts> Facts for WithUnset<'_, F> {
    fn known(&self, kind: RefKind, name: &str) -> Known {
        if kind == RefKind::Property && name == self.property {
            Known::unset()
        } else {
            self.facts.known(kind, name)
        }
    }
}

/// Upgrade rows whose products RemoveExistingProducts removes.
fn removable_upgrades(pkg: &Package) -> usize {
    pkg.upgrades.iter().filter(|u| !u.only_detect).count()
}

/// Whether the package can upgrade an older version: an Upgrade row that is
/// not detect-only.
pub fn has_major_upgrade(pkg: &Package) -> bool {
    removable_upgrades(pkg) > 0
}

/// The scenarios that apply to a package: `upgrade` needs an Upgrade row
/// that finds an older version to remove.
pub fn applicable(pkg: &Package) -> Vec<Scenario> {
    Scenario::ALL
        .into_iter()
        .filter(|s| *s != Scenario::Upgrade || has_major_upgrade(pkg))
        .collect()
}

/// Whether a sequence row can run in any scenario: a row of
/// InstallUISequence or InstallExecuteSequence (admin installs and
/// advertising are not scenarios) in the normal flow. Rows with sequence 0
/// or an anchor that cannot be placed never run, and termination rows other
/// than -1 run only on cancel or failure.
fn in_scenarios(seq: &Sequence, row: &SequenceRow) -> bool {
    matches!(
        seq.kind.merged(),
        SequenceKind::InstallUISequence | SequenceKind::InstallExecuteSequence
    ) && (row.order.is_some() || row.termination() == Some(-1))
}

/// Whether a condition holds in a scenario; `None` is an empty condition.
pub fn condition_verdict(
    facts: &impl Facts,
    parsed: Option<&Result<condition::Condition, condition::ParseError>>,
) -> Verdict {
    match parsed {
        None => Verdict::certain(Truth::Yes),
        Some(Ok(c)) => condition::evaluate(c.expr(), facts),
        // Windows ends the sequence on a condition it cannot parse.
        Some(Err(_)) => Verdict::certain(Truth::Maybe),
    }
}

/// A set of sequence tables (a bit per [`SequenceKind::ALL`] entry: the
/// matrix keeps one per action, and a package may have 10,000 actions).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Tables(u16);

impl Tables {
    fn bit(kind: SequenceKind) -> u16 {
        let i = SequenceKind::ALL.iter().position(|k| *k == kind);
        1 << i.expect("every kind is listed")
    }

    fn insert(&mut self, kind: SequenceKind) {
        self.0 |= Self::bit(kind);
    }

    /// The tables in [`SequenceKind::ALL`] order.
    pub fn iter(self) -> impl Iterator<Item = SequenceKind> {
        SequenceKind::ALL
            .into_iter()
            .filter(move |k| self.0 & Self::bit(*k) != 0)
    }

    pub fn len(self) -> usize {
        self.0.count_ones() as usize
    }

    pub fn is_empty(self) -> bool {
        self.0 == 0
    }
}

/// How one custom action fares in every applicable scenario.
#[derive(Debug, Clone)]
pub struct ActionScenarios<'a> {
    pub action: &'a CustomAction,
    /// One verdict per scenario of [`ScenarioMatrix::scenarios`].
    pub runs: Vec<Verdict>,
    /// Every sequence table that schedules the action.
    pub tables: Tables,
    /// Dialogs whose DoAction events call it.
    pub dialogs: Vec<&'a str>,
}

impl ActionScenarios<'_> {
    /// The verdict in one scenario; `None` when it does not apply.
    pub fn run(&self, matrix: &ScenarioMatrix, scenario: Scenario) -> Option<&Verdict> {
        let i = matrix.scenarios.iter().position(|s| *s == scenario)?;
        self.runs.get(i)
    }
}

/// Every scheduled custom action in run order (InstallUISequence first,
/// then InstallExecuteSequence, then the other tables), with its verdict in
/// every scenario that applies.
#[derive(Debug, Clone)]
pub struct ScenarioMatrix<'a> {
    pub scenarios: Vec<Scenario>,
    pub actions: Vec<ActionScenarios<'a>>,
    /// Action name → position in `actions`, built by the first lookup.
    positions: std::sync::OnceLock<HashMap<&'a str, usize>>,
}

impl<'a> ScenarioMatrix<'a> {
    pub fn action(&self, name: &str) -> Option<&ActionScenarios<'a>> {
        let positions = self.positions.get_or_init(|| positions_of(&self.actions));
        positions.get(name).map(|&i| &self.actions[i])
    }

    /// Column position of a scenario.
    pub fn column(&self, scenario: Scenario) -> Option<usize> {
        self.scenarios.iter().position(|s| *s == scenario)
    }
}

/// Builds the matrix. Each distinct condition is evaluated once per
/// scenario, however many rows share it.
pub fn matrix<'a>(pkg: &'a Package, conditions: &Conditions<'_>) -> ScenarioMatrix<'a> {
    let scenarios = applicable(pkg);
    let facts: Vec<ScenarioFacts> = scenarios
        .iter()
        .map(|&s| ScenarioFacts::new(s, pkg))
        .collect();
    // Rows with the same condition text share one parsed condition.
    let mut cache: HashMap<*const condition::Condition, Vec<Verdict>> = HashMap::default();
    // Custom action (by its position in the package) → its entry.
    let mut slots: Vec<Option<usize>> = vec![None; pkg.custom_actions.len()];
    let mut actions: Vec<ActionScenarios> = Vec::with_capacity(pkg.custom_actions.len());
    let mut ordered: Vec<&Sequence> = pkg.sequences.iter().collect();
    ordered.sort_by_key(|s| match s.kind.merged() {
        SequenceKind::InstallUISequence => 0,
        SequenceKind::InstallExecuteSequence => 1,
        _ => 2,
    });
    // An empty condition holds everywhere.
    let always = vec![Verdict::certain(Truth::Yes); scenarios.len()];
    // Whether InstallUISequence runs, per scenario.
    let ui: Vec<Verdict> = scenarios.iter().map(|s| s.ui_sequence()).collect();
    // An action's UI row that shares its condition with one of its execute
    // rows adds nothing: the execute sequence runs in every scenario, and
    // (UI and C) or C is C. Skipping it keeps UILevel out of what a maybe
    // depends on.
    let parsed_condition = |seq: &Sequence, row: &SequenceRow| match row
        .has_condition()
        .then(|| conditions.of_row(seq.kind, &row.action))
        .flatten()
    {
        Some(Ok(c)) => Some(c as *const condition::Condition),
        _ => None,
    };
    let executed: foldhash::HashSet<(&str, *const condition::Condition)> = ordered
        .iter()
        .filter(|seq| seq.kind.merged() == SequenceKind::InstallExecuteSequence)
        .flat_map(|seq| seq.rows.iter().map(move |row| (*seq, row)))
        .filter(|(seq, row)| in_scenarios(seq, row))
        .filter_map(|(seq, row)| Some((row.action.as_str(), parsed_condition(seq, row)?)))
        .collect();
    for seq in ordered {
        let kind = seq.kind.merged();
        for row in &seq.rows {
            let Some(index) = pkg.custom_action_index(&row.action) else {
                continue;
            };
            let i = *slots[index].get_or_insert_with(|| {
                actions.push(ActionScenarios {
                    action: &pkg.custom_actions[index],
                    runs: vec![Verdict::certain(Truth::No); scenarios.len()],
                    tables: Tables::default(),
                    dialogs: Vec::new(),
                });
                actions.len() - 1
            });
            let entry = &mut actions[i];
            entry.tables.insert(seq.kind);
            if !in_scenarios(seq, row) {
                continue;
            }
            if kind == SequenceKind::InstallUISequence
                && parsed_condition(seq, row)
                    .is_some_and(|c| executed.contains(&(row.action.as_str(), c)))
            {
                continue;
            }
            let parsed = row
                .has_condition()
                .then(|| conditions.of_row(seq.kind, &row.action))
                .flatten();
            let evaluate =
                || -> Vec<Verdict> { facts.iter().map(|f| condition_verdict(f, parsed)).collect() };
            let unparsed;
            let condition = match parsed {
                None => &always,
                Some(Ok(c)) => &*cache.entry(c as *const _).or_insert_with(evaluate),
                Some(Err(_)) => {
                    unparsed = evaluate();
                    &unparsed
                }
            };
            for (s, slot) in entry.runs.iter_mut().enumerate() {
                // Once it surely runs, another row changes nothing.
                if slot.truth == Truth::Yes || condition[s].truth == Truth::No {
                    continue;
                }
                let row = match kind {
                    SequenceKind::InstallUISequence => ui[s].clone().and(condition[s].clone()),
                    _ => condition[s].clone(),
                };
                *slot = std::mem::replace(slot, Verdict::certain(Truth::No)).or(row);
            }
        }
    }
    let positions = std::sync::OnceLock::new();
    let mut calls = pkg
        .control_events
        .iter()
        .filter(|e| e.do_action().is_some())
        .peekable();
    if calls.peek().is_some() {
        let by_name = positions.get_or_init(|| positions_of(&actions));
        for event in calls {
            if let Some(&i) = event.do_action().and_then(|a| by_name.get(a)) {
                let dialogs = &mut actions[i].dialogs;
                if !dialogs.contains(&event.dialog.as_str()) {
                    dialogs.push(&event.dialog);
                }
            }
        }
    }
    ScenarioMatrix {
        scenarios,
        actions,
        positions,
    }
}

/// Action name → position.
fn positions_of<'a>(actions: &[ActionScenarios<'a>]) -> HashMap<&'a str, usize> {
    actions
        .iter()
        .enumerate()
        .map(|(i, a)| (a.action.name.as_str(), i))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::condition_sites;
    use crate::condition::{parse, CompareOp, Expr, Operand, Value};
    use crate::testing::MsiBuilder;
    use proptest::prelude::*;

    const IE: &str = "InstallExecuteSequence";
    const UI: &str = "InstallUISequence";

    /// A package with one deferred action per condition, in the execute
    /// sequence, and a major upgrade.
    fn package(conditions: &[&str]) -> Package {
        let b = MsiBuilder::new()
            .standard_execute()
            .binary("Bin")
            .upgrade("WIX_UPGRADE_DETECTED", 0)
            .upgrade("NEWERFOUND", 2);
        conditions
            .iter()
            .enumerate()
            .fold(b, |b, (i, c)| {
                let name = format!("A{i}");
                b.action(&name, 3073, Some("Bin"), Some("X")).seq(
                    IE,
                    &name,
                    Some(c),
                    2000 + i as i32,
                )
            })
            .load()
    }

    /// The verdict words of one condition in every scenario, in order.
    fn row(condition: &str) -> Vec<(&'static str, &'static str)> {
        let pkg = package(&[condition]);
        let conditions = condition_sites(&pkg);
        let m = matrix(&pkg, &conditions);
        m.scenarios
            .iter()
            .zip(&m.actions[0].runs)
            .map(|(s, v)| (s.name(), v.truth.word()))
            .collect()
    }

    fn runs_in(condition: &str) -> Vec<&'static str> {
        row(condition)
            .into_iter()
            .filter(|(_, w)| *w == "yes")
            .map(|(s, _)| s)
            .collect()
    }

    #[test]
    fn each_scenario_property_decides_its_scenarios() {
        assert_eq!(
            runs_in("NOT Installed"),
            ["install", "install-silent", "upgrade"]
        );
        assert_eq!(runs_in("REMOVE~=\"ALL\""), ["uninstall", "upgrade-removal"]);
        assert_eq!(
            runs_in("REMOVE=\"ALL\" AND NOT UPGRADINGPRODUCTCODE"),
            ["uninstall"]
        );
        assert_eq!(runs_in("UPGRADINGPRODUCTCODE"), ["upgrade-removal"]);
        assert_eq!(runs_in("REINSTALL"), ["repair", "patch"]);
        assert_eq!(runs_in("PATCH"), ["patch"]);
        assert_eq!(runs_in("MSIPATCHREMOVE"), ["patch-removal"]);
        assert_eq!(runs_in("UILevel = 2"), ["install-silent"]);
        assert_eq!(runs_in("WIX_UPGRADE_DETECTED"), ["upgrade"]);
        assert_eq!(runs_in("").len(), 9);
    }

    #[test]
    fn unknowns_stay_maybe_and_name_what_they_depend_on() {
        let pkg = package(&["Installed AND NOT REMOVE AND CLEANUP"]);
        let conditions = condition_sites(&pkg);
        let m = matrix(&pkg, &conditions);
        let a = &m.actions[0];
        let modify = a.run(&m, Scenario::Modify).unwrap();
        assert_eq!(modify.truth, Truth::Maybe);
        assert_eq!(modify.depends_on, ["REMOVE", "CLEANUP"]);
        let repair = a.run(&m, Scenario::Repair).unwrap();
        assert_eq!(
            (repair.truth, &repair.depends_on[..]),
            (Truth::Maybe, &["CLEANUP".to_owned()][..])
        );
        assert_eq!(a.run(&m, Scenario::Install).unwrap().truth, Truth::No);
        // The detect-only row may be set on a first install (a newer
        // version is present), never in maintenance.
        let words = row("NEWERFOUND");
        assert!(words.contains(&("install", "maybe")), "{words:?}");
        assert!(words.contains(&("repair", "no")), "{words:?}");
    }

    #[test]
    fn component_and_feature_states() {
        assert_eq!(runs_in("&Main = 3").len(), 0);
        let words = row("$Core = 2");
        assert!(words.contains(&("uninstall", "maybe")), "{words:?}");
        assert!(words.contains(&("install", "maybe")), "{words:?}");
        // Nothing is installed locally when it is being removed.
        let words = row("$Core = 3 OR &Main = 3");
        assert!(words.contains(&("uninstall", "no")), "{words:?}");
        assert!(words.contains(&("upgrade-removal", "no")), "{words:?}");
        // The product's features are not installed before its first install.
        let words = row("!Main = 3");
        assert!(words.contains(&("install", "no")), "{words:?}");
        assert!(words.contains(&("repair", "maybe")), "{words:?}");
    }

    #[test]
    fn ui_actions_run_only_with_the_ui_and_other_tables_never() {
        let pkg = MsiBuilder::new()
            .standard_execute()
            .binary("Bin")
            .action("Ui", 1, Some("Bin"), Some("X"))
            .seq(UI, "Ui", Some("NOT Installed"), 1000)
            .action("Admin", 1, Some("Bin"), Some("X"))
            .seq("AdminExecuteSequence", "Admin", None, 1000)
            .action("Advt", 1, Some("Bin"), Some("X"))
            .seq("AdvtExecuteSequence", "Advt", None, 1000)
            .load();
        let conditions = condition_sites(&pkg);
        let m = matrix(&pkg, &conditions);
        assert!(!m.scenarios.contains(&Scenario::Upgrade));
        let ui = m.action("Ui").unwrap();
        assert_eq!(ui.run(&m, Scenario::Install).unwrap().truth, Truth::Yes);
        assert_eq!(
            ui.run(&m, Scenario::InstallSilent).unwrap().truth,
            Truth::No
        );
        assert_eq!(ui.run(&m, Scenario::Repair).unwrap().truth, Truth::No);
        // Upgrade installs are first installs: the UI may run.
        for name in ["Admin", "Advt"] {
            let a = m.action(name).unwrap();
            assert!(a.runs.iter().all(|v| v.truth == Truth::No), "{name}");
            assert_eq!(a.tables.len(), 1);
        }
        // Actions come in run order: the UI sequence first.
        assert_eq!(m.actions[0].action.name, "Ui");
    }

    #[test]
    fn a_ui_row_with_the_condition_of_an_execute_row_adds_no_dependency() {
        let pkg = MsiBuilder::new()
            .standard_execute()
            .binary("Bin")
            .action("Both", 1, Some("Bin"), Some("X"))
            .seq(UI, "Both", Some("CHECK"), 1000)
            .seq(IE, "Both", Some("CHECK"), 1000)
            .action("UiWider", 1, Some("Bin"), Some("X"))
            .seq(UI, "UiWider", Some("NOT Installed"), 1001)
            .seq(IE, "UiWider", Some("NOT Installed AND CHECK"), 1001)
            .load();
        let conditions = condition_sites(&pkg);
        let m = matrix(&pkg, &conditions);
        let both = m.action("Both").unwrap();
        // On repair the UI may or may not run (UILevel), but the execute
        // row runs under the same condition either way.
        let repair = both.run(&m, Scenario::Repair).unwrap();
        assert_eq!(repair.truth, Truth::Maybe);
        assert_eq!(repair.depends_on, ["CHECK"]);
        assert_eq!(both.tables.len(), 2);
        // A UI row with another condition still counts, UILevel and all.
        let wider = m.action("UiWider").unwrap();
        assert_eq!(wider.run(&m, Scenario::Install).unwrap().truth, Truth::Yes);
    }

    #[test]
    fn a_property_a_custom_action_sets_is_not_fixed() {
        let pkg = MsiBuilder::new()
            .standard_execute()
            .binary("Bin")
            .action("ForceRemove", 51, Some("REMOVE"), Some("ALL"))
            .seq(IE, "ForceRemove", Some("CLEAN"), 100)
            .action("Act", 1, Some("Bin"), Some("X"))
            .seq(IE, "Act", Some("REMOVE = \"ALL\""), 2000)
            .load();
        let conditions = condition_sites(&pkg);
        let m = matrix(&pkg, &conditions);
        let a = m.action("Act").unwrap();
        assert_eq!(a.run(&m, Scenario::Install).unwrap().truth, Truth::Maybe);
    }

    const NAMES: &[&str] = &[
        "Installed",
        "REMOVE",
        "REINSTALL",
        "UPGRADINGPRODUCTCODE",
        "PATCH",
        "MSIPATCHREMOVE",
        "UILevel",
        "WIX_UPGRADE_DETECTED",
        "NEWERFOUND",
        "CUSTOM",
    ];
    const TEXTS: &[&str] = &["", "ALL", "all", "1", "2", "5", "x"];
    const STATES: &[i32] = &[-1, 1, 2, 3, 4];

    fn operand() -> impl Strategy<Value = Operand> {
        prop_oneof![
            proptest::sample::select(NAMES).prop_map(|n| Operand::Property(n.to_owned())),
            proptest::sample::select(&["C", "D"][..])
                .prop_map(|n| Operand::ComponentAction(n.to_owned())),
            proptest::sample::select(&["F"][..]).prop_map(|n| Operand::FeatureAction(n.to_owned())),
            proptest::sample::select(&["F"][..])
                .prop_map(|n| Operand::FeatureInstalled(n.to_owned())),
        ]
    }

    fn constant() -> impl Strategy<Value = Operand> {
        prop_oneof![
            proptest::sample::select(TEXTS).prop_map(|s| Operand::Literal(s.to_owned())),
            (-1i32..6).prop_map(Operand::Integer),
        ]
    }

    fn expr() -> impl Strategy<Value = Expr> {
        let leaf = prop_oneof![
            operand().prop_map(Expr::Value),
            (
                proptest::sample::select(&CompareOp::ALL[..]),
                any::<bool>(),
                operand(),
                prop_oneof![constant(), operand()],
            )
                .prop_map(|(op, case_insensitive, left, right)| Expr::Compare {
                    op,
                    case_insensitive,
                    left,
                    right,
                }),
        ];
        leaf.prop_recursive(4, 12, 2, |inner| {
            prop_oneof![
                inner.clone().prop_map(|e| Expr::Not(Box::new(e))),
                (inner.clone(), inner.clone())
                    .prop_map(|(a, b)| Expr::And(Box::new(a), Box::new(b))),
                (inner.clone(), inner.clone())
                    .prop_map(|(a, b)| Expr::Or(Box::new(a), Box::new(b))),
                (inner.clone(), inner.clone())
                    .prop_map(|(a, b)| Expr::Xor(Box::new(a), Box::new(b))),
                (inner.clone(), inner.clone())
                    .prop_map(|(a, b)| Expr::Eqv(Box::new(a), Box::new(b))),
                (inner.clone(), inner).prop_map(|(a, b)| Expr::Imp(Box::new(a), Box::new(b))),
            ]
        })
    }

    /// Every value the brute force tries for what a scenario knows.
    fn concrete(known: Known, state: bool) -> Vec<Value> {
        let texts = |non_empty: bool| {
            TEXTS
                .iter()
                .filter(|t| !(non_empty && t.is_empty()))
                .map(|t| Value::Text(t.to_string()))
                .collect()
        };
        match known {
            Known::OneOf(values) => values,
            Known::NonEmpty => texts(true),
            Known::Anything if state => STATES.iter().map(|&s| Value::State(s)).collect(),
            Known::Anything => texts(false),
        }
    }

    /// A single assignment of every value the condition reads.
    struct Assignment<'a>(&'a [(RefKind, String, Value)]);

    impl Facts for Assignment<'_> {
        fn known(&self, kind: RefKind, name: &str) -> Known {
            self.0
                .iter()
                .find(|(k, n, _)| *k == kind && n == name)
                .map_or(Known::Anything, |(_, _, v)| Known::OneOf(vec![v.clone()]))
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(200))]

        /// The three-valued verdict never contradicts a brute-force
        /// evaluation over every assignment of the values left unknown.
        #[test]
        fn verdicts_agree_with_brute_force(e in expr()) {
            static PACKAGE: std::sync::OnceLock<Package> = std::sync::OnceLock::new();
            let pkg = PACKAGE.get_or_init(|| package(&[]));
            let text = e.to_string();
            let parsed = parse(&text).expect("the canonical text parses");
            let mut symbols: Vec<(RefKind, String)> = parsed
                .references()
                .into_iter()
                .map(|r| (r.kind, r.name))
                .collect();
            symbols.dedup();
            for scenario in Scenario::ALL {
                let facts = ScenarioFacts::new(scenario, pkg);
                let verdict = condition::evaluate(parsed.expr(), &facts);
                let choices: Vec<Vec<Value>> = symbols
                    .iter()
                    .map(|(k, n)| concrete(facts.known(*k, n), k.is_install_state()))
                    .collect();
                let assignments: usize = choices.iter().map(Vec::len).product();
                prop_assume!(assignments <= 4096, "too many assignments to enumerate");
                let mut index = vec![0usize; symbols.len()];
                loop {
                    let assignment: Vec<(RefKind, String, Value)> = symbols
                        .iter()
                        .zip(&index)
                        .zip(&choices)
                        .map(|(((k, n), &i), c)| (*k, n.clone(), c[i].clone()))
                        .collect();
                    let truth = condition::evaluate(parsed.expr(), &Assignment(&assignment)).truth;
                    prop_assert_ne!(truth, Truth::Maybe, "`{}` is decided once every value is", text);
                    if verdict.truth != Truth::Maybe {
                        prop_assert_eq!(
                            truth, verdict.truth,
                            "`{}` in {}: {:?} under {:?}", text, scenario.name(), verdict, assignment
                        );
                    }
                    // The next assignment, odometer style.
                    let mut k = 0;
                    while k < index.len() {
                        index[k] += 1;
                        if index[k] < choices[k].len() {
                            break;
                        }
                        index[k] = 0;
                        k += 1;
                    }
                    if k == index.len() {
                        break;
                    }
                }
            }
        }
    }
}
