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
        match self {
            Self::Install => "install",
            Self::InstallSilent => "install-silent",
            Self::Repair => "repair",
            Self::Modify => "modify",
            Self::Uninstall => "uninstall",
            Self::Upgrade => "upgrade",
            Self::UpgradeRemoval => "upgrade-removal",
            Self::Patch => "patch",
            Self::PatchRemoval => "patch-removal",
        }
    }

    pub fn from_name(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|s| s.name() == name)
    }

    /// What the scenario is, in words.
    pub fn describe(self) -> &'static str {
        match self {
            Self::Install => "first install with the full UI",
            Self::InstallSilent => "first install with no UI (/qn): InstallUISequence is skipped",
            Self::Repair => "repair: REINSTALL=ALL",
            Self::Modify => "maintenance that adds or removes features",
            Self::Uninstall => "uninstall: REMOVE=ALL",
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
            Scenario::Upgrade => Known::Anything,
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

/// Whether a sequence row's table and place let it run in a scenario, its
/// condition aside.
fn table_verdict(scenario: Scenario, seq: &Sequence, row: &SequenceRow) -> Verdict {
    // Rows with sequence 0 or an anchor that cannot be placed never run,
    // and termination rows other than -1 run only on cancel or failure.
    if row.order.is_none() && row.termination() != Some(-1) {
        return Verdict::certain(Truth::No);
    }
    match seq.kind.merged() {
        SequenceKind::InstallUISequence => scenario.ui_sequence(),
        SequenceKind::InstallExecuteSequence => Verdict::certain(Truth::Yes),
        // Admin installs and advertising are not among the scenarios.
        _ => Verdict::certain(Truth::No),
    }
}

/// Whether a condition holds in a scenario; `None` is an empty condition.
pub fn condition_verdict(
    facts: &ScenarioFacts,
    parsed: Option<&Result<condition::Condition, condition::ParseError>>,
) -> Verdict {
    match parsed {
        None => Verdict::certain(Truth::Yes),
        Some(Ok(c)) => condition::evaluate(c.expr(), facts),
        // Windows ends the sequence on a condition it cannot parse.
        Some(Err(_)) => Verdict::certain(Truth::Maybe),
    }
}

/// How one custom action fares in every applicable scenario.
#[derive(Debug, Clone)]
pub struct ActionScenarios<'a> {
    pub action: &'a CustomAction,
    /// One verdict per scenario of [`ScenarioMatrix::scenarios`].
    pub runs: Vec<Verdict>,
    /// Every sequence table that schedules the action.
    pub tables: Vec<SequenceKind>,
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
}

impl<'a> ScenarioMatrix<'a> {
    pub fn action(&self, name: &str) -> Option<&ActionScenarios<'a>> {
        self.actions.iter().find(|a| a.action.name == name)
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
    let mut positions: HashMap<&str, usize> = HashMap::default();
    let mut actions: Vec<ActionScenarios> = Vec::new();
    let mut ordered: Vec<&Sequence> = pkg.sequences.iter().collect();
    ordered.sort_by_key(|s| match s.kind.merged() {
        SequenceKind::InstallUISequence => 0,
        SequenceKind::InstallExecuteSequence => 1,
        _ => 2,
    });
    for seq in ordered {
        for row in &seq.rows {
            let Some(ca) = pkg.custom_action(&row.action) else {
                continue;
            };
            let parsed = conditions.of_row(seq.kind, &row.action);
            let evaluate =
                || -> Vec<Verdict> { facts.iter().map(|f| condition_verdict(f, parsed)).collect() };
            let condition = match parsed {
                Some(Ok(c)) => cache.entry(c as *const _).or_insert_with(evaluate).clone(),
                _ => evaluate(),
            };
            let i = *positions.entry(ca.name.as_str()).or_insert_with(|| {
                actions.push(ActionScenarios {
                    action: ca,
                    runs: vec![Verdict::certain(Truth::No); scenarios.len()],
                    tables: Vec::new(),
                    dialogs: Vec::new(),
                });
                actions.len() - 1
            });
            let entry = &mut actions[i];
            entry.tables.push(seq.kind);
            for ((slot, condition), &s) in entry.runs.iter_mut().zip(condition).zip(&scenarios) {
                let row = table_verdict(s, seq, row).and(condition);
                *slot = std::mem::replace(slot, Verdict::certain(Truth::No)).or(row);
            }
        }
    }
    for event in &pkg.control_events {
        if let Some(i) = event.do_action().and_then(|a| positions.get(a)) {
            let dialogs = &mut actions[*i].dialogs;
            if !dialogs.contains(&event.dialog.as_str()) {
                dialogs.push(&event.dialog);
            }
        }
    }
    ScenarioMatrix { scenarios, actions }
}
