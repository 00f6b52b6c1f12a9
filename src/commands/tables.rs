//! `msica tables FILE`: the tables with their row counts.

use serde_json::json;

use super::Output;
use crate::cli::TableFormat::{self, *};
use crate::inspect::tables::{table_list, transform_table_list, TableEntry};
use crate::inspect::to_json;
use crate::model::load::{self, Input, Loaded};
use crate::render::{self, Style};

pub fn run(input: &Input, format: TableFormat, style: Style) -> Output {
    let mut t = match load::open(input)? {
        Loaded::Database(db) => {
            let transformed = !db.transforms.is_empty();
            return Ok(database_tables(
                &table_list(&db),
                transformed,
                format,
                style,
            ));
        }
        Loaded::Transform(t) => t,
    };
    let listing = transform_table_list(&mut t);
    Ok(match format {
        Json => to_json(
            &listing
                .iter()
                .map(|entry| match entry.counts {
                    Some([i, u, d]) => json!({"name": entry.name, "rows": null, "changed": true,
                        "inserted": i, "updated": u, "deleted": d}),
                    None => json!({"name": entry.name, "rows": null, "changed": true}),
                })
                .collect::<Vec<_>>(),
        ),
        Tsv | Idt => listing
            .iter()
            .map(|entry| format!("{}\t{}\n", entry.name, entry.describe()))
            .collect(),
        Human => format!(
            "{}: a transform; the tables it changes (+ inserted, ~ updated, - deleted rows):\n{}",
            input.path.display(),
            render::table(
                style,
                &["Table", "Changes"],
                listing
                    .iter()
                    .map(|entry| vec![entry.name.clone(), entry.describe()])
                    .collect()
            )
        ),
    })
}

fn database_tables(
    list: &[TableEntry],
    transformed: bool,
    format: TableFormat,
    style: Style,
) -> String {
    match format {
        Json => to_json(
            &list
                .iter()
                .map(|entry| {
                    if entry.change.is_empty() {
                        json!({"name": entry.name, "rows": entry.rows})
                    } else {
                        json!({"name": entry.name, "rows": entry.rows, "transformed": entry.change})
                    }
                })
                .collect::<Vec<_>>(),
        ),
        Tsv | Idt => list
            .iter()
            .map(|entry| {
                let rows = entry
                    .rows
                    .map_or("unreadable".to_string(), |n| n.to_string());
                format!("{}\t{rows}\n", entry.name)
            })
            .collect(),
        Human if transformed => {
            let rows = list
                .iter()
                .map(|entry| vec![entry.name.clone(), entry.rows_text(), entry.change.clone()])
                .collect();
            render::table(style, &["Table", "Rows", "Transformed"], rows)
        }
        Human => {
            let rows = list
                .iter()
                .map(|entry| vec![entry.name.clone(), entry.rows_text()])
                .collect();
            render::table(style, &["Table", "Rows"], rows)
        }
    }
}
