//! `msica scenarios FILE`: which custom actions run in which scenario.

use std::fmt::Write as _;

use serde_json::json;

use super::Output;
use crate::analysis::{self, scenarios::Scenario};
use crate::condition::Truth;
use crate::inspect::scenarios::{scenarios_view, ScenariosView};
use crate::inspect::{to_json, TRANSFORM_NOTE};
use crate::model::load::{self, Input, Loaded};
use crate::render::{self, Style};

const LEGEND: &str = "yes: runs; no: cannot run; maybe: depends on values the scenario does not fix (listed below the table).
A rollback action that runs is written into the script and runs only if the install fails after it.";

pub fn run(input: &Input, scenario: Option<&str>, json: bool, style: Style) -> Output {
    let path = &input.path;
    let Loaded::Database(db) = load::open(input)? else {
        return Ok(if json {
            to_json(
                &json!({"path": path.display().to_string(), "scenarios": [], "actions": [], "note": TRANSFORM_NOTE}),
            )
        } else {
            format!("{}: {TRANSFORM_NOTE}\n", path.display())
        });
    };
    let pkg = load::package(&db);
    let conditions = analysis::condition_sites(&pkg);
    let matrix = analysis::scenarios::matrix(&pkg, &conditions);
    let only = scenario.and_then(Scenario::from_name);
    let view = scenarios_view(&matrix, only);
    if json {
        let mut doc = json!({"path": path.display().to_string()});
        let fields = serde_json::to_value(&view).expect("the view serialises");
        doc.as_object_mut()
            .expect("an object")
            .extend(fields.as_object().expect("an object").clone());
        return Ok(to_json(&doc));
    }
    if view.actions.is_empty() {
        return Ok(match only {
            Some(s) => format!(
                "{}: no custom action can run on {}\n",
                path.display(),
                s.name()
            ),
            None => format!("{}: no scheduled custom actions\n", path.display()),
        });
    }
    Ok(match only {
        Some(s) => one_scenario(&view, s, style),
        None => whole_matrix(&view, style),
    })
}

/// Rows: actions in run order; columns: scenarios.
fn whole_matrix(view: &ScenariosView, style: Style) -> String {
    let mut header = vec!["action"];
    header.extend(view.scenarios.iter().copied());
    let rows = view
        .actions
        .iter()
        .map(|a| {
            let mut row = vec![a.name.to_owned()];
            row.extend(a.verdicts.iter().map(|(_, t)| t.word().to_owned()));
            row
        })
        .collect();
    let mut out = render::table(style, &header, rows);
    let _ = writeln!(out, "\n{LEGEND}");
    for s in &view.described {
        let _ = writeln!(out, "  {:<16} {}", s.name, s.description);
    }
    if !view.scenarios.contains(&Scenario::Upgrade.name()) {
        let _ = writeln!(
            out,
            "  (upgrade: not shown, no Upgrade row removes an older version)"
        );
    }
    let with_maybe = view.actions.iter().filter(|a| !a.depends_on.is_empty());
    let width = with_maybe.clone().map(|a| a.name.chars().count()).max();
    let maybes: Vec<String> = with_maybe
        .map(|a| {
            let parts: Vec<String> = a
                .depends_on
                .iter()
                .map(|(s, deps)| format!("{s}: {}", describe(deps)))
                .collect();
            let width = width.unwrap_or_default();
            format!("  {:width$}  {}", a.name, parts.join("; "))
        })
        .collect();
    if !maybes.is_empty() {
        let _ = writeln!(out, "\nmaybe depends on:");
        for line in maybes {
            let _ = writeln!(out, "{line}");
        }
    }
    for a in view.actions.iter().filter(|a| !a.dialogs.is_empty()) {
        let _ = writeln!(
            out,
            "\n{} is also called by a DoAction event of dialog {}: it runs when the user acts there",
            a.name,
            a.dialogs.join(", ")
        );
    }
    out
}

/// The actions that may run in one scenario, in the order they run.
fn one_scenario(view: &ScenariosView, scenario: Scenario, style: Style) -> String {
    let rows = view
        .actions
        .iter()
        .map(|a| {
            let truth = a.verdicts.first().map_or(Truth::No, |(_, t)| *t);
            let why = a
                .depends_on
                .get(scenario.name())
                .map(|d| describe(d))
                .unwrap_or_default();
            let sequences: Vec<&str> = a
                .tables
                .iter()
                .filter(|t| t.starts_with("Install") || t.starts_with("ModuleInstall"))
                .copied()
                .collect();
            vec![
                a.name.to_owned(),
                truth.word().to_owned(),
                a.execution.to_owned(),
                sequences.join(", "),
                why,
            ]
        })
        .collect();
    let mut out = format!("{}: {}\n\n", scenario.name(), scenario.describe());
    out += &render::table(
        style,
        &[
            "action",
            "runs",
            "when and as whom",
            "from",
            "maybe depends on",
        ],
        rows,
    );
    let _ = writeln!(out, "\n{LEGEND}");
    out
}

fn describe(deps: &[String]) -> String {
    if deps.is_empty() {
        "a condition that does not parse".to_owned()
    } else {
        deps.join(", ")
    }
}
