//! The scenarios view: which custom actions run in which scenario (install,
//! silent install, repair, modify, uninstall, upgrade, upgrade removal,
//! patch, patch removal), as data for the human and JSON renderers.

use std::collections::BTreeMap;

use serde::Serialize;

use crate::analysis::scenarios::{Scenario, ScenarioMatrix};
use crate::condition::{Truth, Verdict};
use crate::model::action_type::Execution;
use crate::model::ActionType;

/// One scenario: its name and what it is.
#[derive(Debug, Serialize)]
pub struct ScenarioView {
    pub name: &'static str,
    pub description: &'static str,
}

/// One custom action's verdicts.
#[derive(Debug, Serialize)]
pub struct ActionScenariosView<'a> {
    pub name: &'a str,
    /// Scenario name → `yes`, `no` or `maybe`.
    pub runs: BTreeMap<&'static str, &'static str>,
    /// Scenario name → what a `maybe` depends on (only scenarios with a `maybe`).
    pub depends_on: BTreeMap<&'static str, Vec<String>>,
    /// When and as whom it runs.
    pub execution: &'static str,
    /// The sequence tables that schedule it.
    pub tables: Vec<&'static str>,
    /// Dialogs whose DoAction events call it (with the UI, when the user acts).
    pub dialogs: Vec<&'a str>,
    #[serde(skip)]
    pub verdicts: Vec<(Scenario, Truth)>,
}

/// The whole view.
#[derive(Debug, Serialize)]
pub struct ScenariosView<'a> {
    /// The scenario names, in column order.
    pub scenarios: Vec<&'static str>,
    #[serde(skip)]
    pub described: Vec<ScenarioView>,
    pub actions: Vec<ActionScenariosView<'a>>,
}

/// When an action of a type runs and as whom, for people.
pub fn execution(t: ActionType) -> &'static str {
    match t.execution() {
        Execution::Immediate(_) => "immediate: when its row is reached, as the user",
        Execution::Deferred if t.no_impersonate() => "deferred: in the script, as LocalSystem",
        Execution::Deferred => "deferred: in the script, as the user",
        Execution::Rollback => "rollback: only if the install fails after it",
        Execution::Commit => "commit: at the end of a successful script",
        Execution::UndefinedInScript => "in the script (rollback and commit bits both set)",
    }
}

/// The view of a matrix; with `only`, the actions that may run in that
/// scenario, in the order they run.
pub fn scenarios_view<'a>(
    matrix: &ScenarioMatrix<'a>,
    only: Option<Scenario>,
) -> ScenariosView<'a> {
    let columns: Vec<(usize, Scenario)> = matrix
        .scenarios
        .iter()
        .copied()
        .enumerate()
        .filter(|(_, s)| only.is_none_or(|o| o == *s))
        .collect();
    let actions = matrix
        .actions
        .iter()
        .filter(|a| only.is_none() || columns.iter().any(|&(i, _)| a.runs[i].truth != Truth::No))
        .map(|a| {
            let mut runs = BTreeMap::new();
            let mut depends_on = BTreeMap::new();
            let mut verdicts = Vec::new();
            for &(i, s) in &columns {
                let v = &a.runs[i];
                runs.insert(s.name(), v.truth.word());
                if v.truth == Truth::Maybe {
                    depends_on.insert(s.name(), v.depends_on.clone());
                }
                verdicts.push((s, v.truth));
            }
            ActionScenariosView {
                name: &a.action.name,
                runs,
                depends_on,
                execution: execution(a.action.action_type),
                tables: a.tables.iter().map(|t| t.table_name()).collect(),
                dialogs: a.dialogs.clone(),
                verdicts,
            }
        })
        .collect();
    ScenariosView {
        scenarios: columns.iter().map(|(_, s)| s.name()).collect(),
        described: columns
            .iter()
            .map(|(_, s)| ScenarioView {
                name: s.name(),
                description: s.describe(),
            })
            .collect(),
        actions,
    }
}

/// One action's verdicts grouped for a line each: `yes: install, upgrade`,
/// `maybe: modify (REMOVE)`, `no: repair, uninstall`; empty groups left out.
pub fn grouped(verdicts: &[(Scenario, Verdict)]) -> Vec<String> {
    [Truth::Yes, Truth::Maybe, Truth::No]
        .into_iter()
        .filter_map(|truth| {
            let names: Vec<String> = verdicts
                .iter()
                .filter(|(_, v)| v.truth == truth)
                .map(|(s, v)| {
                    if v.depends_on.is_empty() || truth != Truth::Maybe {
                        s.name().to_owned()
                    } else {
                        format!("{} ({})", s.name(), v.depends_on.join(", "))
                    }
                })
                .collect();
            (!names.is_empty()).then(|| format!("{}: {}", truth.word(), names.join(", ")))
        })
        .collect()
}

/// Every scheduled action's verdicts, by name, owned (for views that keep
/// them beside the package).
pub fn verdicts_by_action(
    matrix: &ScenarioMatrix,
) -> std::collections::HashMap<String, Vec<(Scenario, Verdict)>> {
    matrix
        .actions
        .iter()
        .map(|a| {
            let verdicts = matrix.scenarios.iter().copied().zip(a.runs.iter().cloned());
            (a.action.name.clone(), verdicts.collect())
        })
        .collect()
}
