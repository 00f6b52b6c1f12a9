//! `msica actions FILE`: every custom action, decoded.

use std::fmt::Write as _;

use serde_json::json;

use super::Output;
use crate::analysis;
use crate::inspect::actions::*;
use crate::inspect::{one_line, to_json, TRANSFORM_NOTE};
use crate::model::load::{self, Input, Loaded};

pub fn run(input: &Input, json: bool) -> Output {
    let path = &input.path;
    let Loaded::Database(db) = load::open(input)? else {
        return Ok(if json {
            to_json(
                &json!({"path": path.display().to_string(), "actions": [], "note": TRANSFORM_NOTE}),
            )
        } else {
            format!("{}: {TRANSFORM_NOTE}\n", path.display())
        });
    };
    let pkg = load::package(&db);
    let roles = analysis::roles(&pkg);
    let mut views = action_views(&pkg, &roles);
    let conditions = analysis::condition_sites(&pkg);
    add_scenarios(&mut views, &analysis::scenarios::matrix(&pkg, &conditions));
    if json {
        return Ok(to_json(
            &json!({"path": path.display().to_string(), "actions": views}),
        ));
    }
    if views.is_empty() {
        return Ok(format!("{}: no custom actions\n", path.display()));
    }
    let mut out = String::new();
    for (i, v) in views.iter().enumerate() {
        if i > 0 {
            out.push('\n');
        }
        let _ = writeln!(out, "{}  Type {} ({})", v.name, v.raw_type, v.type_hex);
        let mut field = |label: &str, value: &str| {
            let _ = writeln!(out, "  {label:<10} {value}");
        };
        let labels = FieldLabels::of(v.action_type);
        field("kind", &ca_what(v));
        field("runs", &format!("{}, as {}", v.execution, v.context));
        if labels.runs_code {
            field("return", v.return_processing);
        }
        if let Some(source) = v.source.filter(|s| !s.is_empty()) {
            match v
                .action_type
                .source_table()
                .filter(|_| labels.source == "source")
            {
                Some(table) => field("source", &format!("{source} ({table} table)")),
                None => {
                    // A property named like an in-script action is its CustomActionData.
                    let data_of = pkg
                        .custom_action(source)
                        .filter(|ca| labels.source == "property" && ca.action_type.in_script());
                    match data_of {
                        Some(ca) => field(
                            labels.source,
                            &format!(
                                "{source} (the CustomActionData of the {} action)",
                                ca.action_type.execution_short()
                            ),
                        ),
                        None => field(labels.source, source),
                    }
                }
            }
        }
        if let Some(target) = v.target.filter(|t| !t.is_empty()) {
            field(labels.target, &one_line(target, 120));
        }
        if let Some(code) = v.code {
            for (label, value) in code_fields(code) {
                field(label, &value);
            }
        }
        if !v.options.is_empty() {
            field("options", &v.options.join(", "));
        }
        if let Some(ext) = v.extended_type {
            field("extended", &ext.to_string());
        }
        for problem in &v.problems {
            field("problem", problem);
        }
        // "sequenced" says no more than the scheduled lines below.
        if let Some(role) = v.role.as_ref().filter(|_| v.scheduled.is_empty()) {
            field("role", role);
        }
        if v.scheduled.is_empty() && v.called_from.is_empty() {
            field("scheduled", "in no sequence table and no DoAction event");
        }
        for s in &v.scheduled {
            let window = match s.in_script_window {
                Some(true) => ", inside the script window",
                Some(false) => ", outside the script window",
                None => "",
            };
            let cond = s
                .condition
                .map(|c| format!("  if {}", one_line(c, 100)))
                .unwrap_or_default();
            field(
                "scheduled",
                &format!("{} {}{window}{cond}", s.table, s.position),
            );
        }
        for (i, words) in v.scenario_lines.iter().enumerate() {
            field(if i == 0 { "scenarios" } else { "" }, words);
        }
        for c in &v.called_from {
            let cond = c
                .condition
                .filter(|c| c.trim() != "1")
                .map(|c| format!(" if {c}"))
                .unwrap_or_default();
            field(
                "called",
                &format!(
                    "DoAction from dialog {} control {}{cond}",
                    c.dialog, c.control
                ),
            );
        }
    }
    Ok(out)
}
