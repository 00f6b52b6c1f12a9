//! `msica sequence FILE [TABLE]`: a sequence table in run order.

use std::fmt::Write as _;

use serde_json::json;

use super::{escape_idt, Output};
use crate::cli::TableFormat;
use crate::inspect::sequence::*;
use crate::inspect::{one_line, to_json, TRANSFORM_NOTE};
use crate::model::load::{self, Input, Loaded};
use crate::render::{self, Style};

pub fn run(input: &Input, table: Option<&str>, format: TableFormat, style: Style) -> Output {
    use TableFormat::*;
    let path = &input.path;
    let loaded = load::open(input)?;
    let nothing = |note: String| -> String {
        match format {
            Json => to_json(&json!({
                "path": path.display().to_string(),
                "table": null,
                "script_window": false,
                "rows": [],
                "note": note,
            })),
            _ => format!("{}: {note}\n", path.display()),
        }
    };
    let Loaded::Database(db) = loaded else {
        return Ok(nothing(TRANSFORM_NOTE.into()));
    };
    let pkg = load::package(&db);
    let Some(shown) = sequence_view(&db, &pkg, table)? else {
        return Ok(nothing(
            "no sequence tables: nothing is scheduled in this database".into(),
        ));
    };
    Ok(match format {
        Json => to_json(&json!({
            "path": path.display().to_string(),
            "table": shown.table,
            "script_window": shown.script_window,
            "rows": shown.rows,
        })),
        Tsv | Idt => {
            let mut out = String::from("Sequence\tAction\tKind\tScript\tCondition\n");
            for v in &shown.rows {
                let _ = writeln!(
                    out,
                    "{}\t{}\t{}\t{}\t{}",
                    v.position,
                    v.action,
                    v.kind,
                    v.script,
                    v.condition.as_deref().map(escape_idt).unwrap_or_default()
                );
            }
            out
        }
        Human => {
            let bar = |script: &str| -> String {
                match (script, style.terminal) {
                    ("begin", true) => "┌ script".into(),
                    ("inside", true) => "│".into(),
                    ("end", true) => "└ script".into(),
                    ("begin", false) => "[ script".into(),
                    ("inside", false) => "|".into(),
                    ("end", false) => "] script".into(),
                    _ => String::new(),
                }
            };
            let rows = shown
                .rows
                .iter()
                .map(|v| {
                    let mut cells = vec![v.position.clone()];
                    if shown.script_window {
                        cells.push(bar(v.script));
                    }
                    cells.push(v.action.clone());
                    cells.push(v.kind.clone());
                    cells.push(
                        v.condition
                            .as_deref()
                            .map(|c| one_line(c, 80))
                            .unwrap_or_default(),
                    );
                    cells
                })
                .collect();
            let mut out = format!("{}: {}\n", path.display(), shown.table);
            for note in &shown.notes {
                let _ = writeln!(out, "{note}");
            }
            if shown.rows.is_empty() {
                out.push_str("the table has no rows\n");
                return Ok(out);
            }
            let header: &[&str] = if shown.script_window {
                &["Seq", "Window", "Action", "Kind", "Condition"]
            } else {
                &["Seq", "Action", "Kind", "Condition"]
            };
            out + &render::table(style, header, rows)
        }
    })
}
