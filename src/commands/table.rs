//! `msica table FILE NAME`: every row of one table.

use serde_json::json;

use super::{escape_idt, Output};
use crate::cli::TableFormat;
use crate::db::transform::{Op, RecordSchema};
use crate::db::{Transform, Value};
use crate::error::LoadError;
use crate::inspect::table::to_idt;
use crate::inspect::to_json;
use crate::model::load::{self, Cell, Input, Loaded};
use crate::render::{self, Style};

pub fn run(input: &Input, name: &str, format: TableFormat, style: Style) -> Output {
    use crate::cli::TableFormat::*;
    let db = match load::open(input)? {
        Loaded::Database(db) => db,
        Loaded::Transform(mut t) => return transform_table(input, &mut t, name, format, style),
    };
    let table = load::raw_table(&db, name)?;
    Ok(match format {
        Json => to_json(&table),
        Idt => to_idt(&table),
        Tsv => {
            let mut out = table
                .columns
                .iter()
                .map(|c| c.name.as_str())
                .collect::<Vec<_>>()
                .join("\t");
            out.push('\n');
            for row in &table.rows {
                out.push_str(
                    &row.iter()
                        .map(|c| escape_idt(&c.display()))
                        .collect::<Vec<_>>()
                        .join("\t"),
                );
                out.push('\n');
            }
            out
        }
        Human if !db.transforms.is_empty() => {
            // Orca's transform view: a mark per row, deleted rows kept.
            let mut header = vec![""];
            header.extend(table.columns.iter().map(|c| c.name.as_str()));
            let mark = |i: usize| match table.changes.iter().find(|c| c.row == i) {
                Some(c) if c.change == "added" => "+".to_string(),
                Some(c) => format!("~ {}", c.columns.join(",")),
                None => String::new(),
            };
            let rows = table
                .rows
                .iter()
                .enumerate()
                .map(|(i, r)| {
                    std::iter::once(mark(i))
                        .chain(r.iter().map(Cell::display))
                        .collect()
                })
                .chain(table.deleted.iter().map(|r| {
                    std::iter::once("-".to_string())
                        .chain(r.iter().map(Cell::display))
                        .collect()
                }))
                .collect();
            render::table(style, &header, rows)
        }
        Human => {
            let header: Vec<&str> = table.columns.iter().map(|c| c.name.as_str()).collect();
            let rows = table
                .rows
                .iter()
                .map(|r| r.iter().map(Cell::display).collect())
                .collect();
            render::table(style, &header, rows)
        }
    })
}

/// A transform's change records for one table, as Orca shows a transform.
fn transform_table(
    input: &Input,
    t: &mut Transform,
    name: &str,
    format: crate::cli::TableFormat,
    style: Style,
) -> Output {
    use crate::cli::TableFormat::*;
    let Some(table) = t
        .tables
        .iter()
        .find(|n| n.eq_ignore_ascii_case(name))
        .cloned()
    else {
        return Err(LoadError::NoSuchTable {
            path: input.path.clone(),
            table: name.to_owned(),
        });
    };
    let records = t.table_records(&table);
    if let Some(problem) = &records.problem {
        return Err(LoadError::TransformTable {
            path: input.path.clone(),
            table,
            reason: problem.clone(),
        });
    }
    let text = |v: &Value| match v {
        Value::Null => String::new(),
        Value::Int(n) => n.to_string(),
        Value::Str(id) => t
            .strings
            .get(*id)
            .map_or_else(|| load::unreadable_marker(*id), str::to_owned),
        Value::Unreadable(id) => load::unreadable_marker(*id),
        Value::Stream => "[stream]".into(),
    };
    let op_name = |op: &Op| match op {
        Op::Insert => "insert",
        Op::Update(_) => "update",
        Op::Delete => "delete",
    };
    let schema = match records.schema {
        RecordSchema::Transform => "the transform",
        RecordSchema::Standard => "the standard definition of the table",
    };
    Ok(match format {
        Json => to_json(&json!({
            "path": input.path.display().to_string(),
            "table": table,
            "transform": true,
            "columns_from": schema,
            "columns": records.columns.iter().map(|c| json!({
                "name": c.name, "idt_type": c.idt_type(), "primary_key": c.is_key(),
            })).collect::<Vec<_>>(),
            "records": records.records.iter().map(|r| {
                let cells: serde_json::Map<String, serde_json::Value> = records
                    .columns
                    .iter()
                    .zip(&r.cells)
                    .filter_map(|(c, v)| Some((c.name.clone(), json!(text(v.as_ref()?)))))
                    .collect();
                json!({"op": op_name(&r.op), "cells": cells})
            }).collect::<Vec<_>>(),
        })),
        Idt => {
            return Err(LoadError::TransformTable {
                path: input.path.clone(),
                table,
                reason: "a transform's change records have no IDT form".into(),
            })
        }
        Tsv | Human => {
            let mut header = vec!["Change"];
            header.extend(records.columns.iter().map(|c| c.name.as_str()));
            let rows: Vec<Vec<String>> = records
                .records
                .iter()
                .map(|r| {
                    std::iter::once(op_name(&r.op).to_string())
                        .chain(
                            r.cells
                                .iter()
                                .map(|v| v.as_ref().map(text).unwrap_or_default()),
                        )
                        .collect()
                })
                .collect();
            if format == Tsv {
                let mut out = header.join("\t") + "\n";
                for row in rows {
                    out += &row
                        .iter()
                        .map(|c| escape_idt(c))
                        .collect::<Vec<_>>()
                        .join("\t");
                    out.push('\n');
                }
                out
            } else {
                format!(
                    "{}: change records for {table} (columns from {schema}; an update shows the cells it sets):\n{}",
                    input.path.display(),
                    render::table(style, &header, rows)
                )
            }
        }
    })
}
