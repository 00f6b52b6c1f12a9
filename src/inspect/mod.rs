//! Orca-like views of a database: info, tables, table, actions, sequence.

pub mod explain;

use std::fmt::Write as _;

use serde::Serialize;
use serde_json::json;

use crate::analysis::{self, ActionRole};
use crate::db::transform::{Op, RecordSchema};
use crate::db::{self, AppliedTransform, Database, Transform, Value};
use crate::error::LoadError;
use crate::model::load::{self, Cell, Input, Loaded, RawTable};
use crate::model::{
    ActionType, CustomAction, Package, PackageKind, Sequence, SequenceKind, SequenceRow,
};
use crate::render::{self, Style};

/// A command's output text or a load error.
pub type Output = Result<String, LoadError>;

pub fn to_json<T: Serialize>(value: &T) -> String {
    let mut s = serde_json::to_string_pretty(value).expect("model serialises");
    s.push('\n');
    s
}

/// What msica says about a transform wherever a database was expected.
pub const TRANSFORM_NOTE: &str = "a transform (.mst) holds changes to another database's tables, \
not a database: it has no custom actions or sequences of its own to analyse";

// ------------------------------------------------------------------------ //
// info

pub fn info(input: &Input, json: bool) -> Output {
    match load::open(input)? {
        Loaded::Database(db) => Ok(database_info(input, &db, json)),
        Loaded::Transform(t) => Ok(transform_info(input, &t, json)),
    }
}

fn database_info(input: &Input, db: &Database, json: bool) -> String {
    let path = &input.path;
    let pkg = load::package(db);
    let facts = package_facts(&pkg);
    let embedded = db.embedded_transforms();
    let damage = damage_lines(&pkg);
    if json {
        return to_json(&json!({
            "path": path.display().to_string(),
            "kind": pkg.kind,
            "summary": pkg.summary,
            "facts": facts.iter().map(|(k, v)| json!({"name": k, "value": v})).collect::<Vec<_>>(),
            "tables": pkg.tables.len(),
            "custom_actions": pkg.custom_actions.len(),
            "sequences": pkg.sequences.iter().map(|s| s.kind.table_name()).collect::<Vec<_>>(),
            "embedded_transforms": embedded,
            "transforms": pkg.transforms.iter().map(applied_json).collect::<Vec<_>>(),
            "damage": damage,
        }));
    }
    let s = &pkg.summary;
    let mut lines: Vec<(&str, String)> = vec![
        ("File", path.display().to_string()),
        ("Type", pkg.kind.describe().into()),
    ];
    for (key, value) in &facts {
        lines.push((key, value.clone()));
    }
    let optional = [
        ("Title", &s.title),
        ("Subject", &s.subject),
        ("Author", &s.author),
        ("Producer", &s.creating_application),
        ("Package code", &s.package_code),
        ("Platform", &s.platform),
    ];
    for (key, value) in optional {
        if let Some(v) = value.as_deref().filter(|v| !v.trim().is_empty()) {
            lines.push((key, v.to_owned()));
        }
    }
    if !s.languages.is_empty() {
        lines.push(("Languages", s.languages.join(", ")));
    }
    if let Some(schema) = s.schema {
        lines.push((
            "Schema",
            format!(
                "{schema} (Windows Installer {}.{})",
                schema / 100,
                schema % 100
            ),
        ));
    }
    if s.missing {
        lines.push((
            "Summary",
            "missing: the database has no summary information stream".into(),
        ));
    }
    lines.push(("Codepage", codepage_text(s.codepage)));
    lines.push(("Tables", pkg.tables.len().to_string()));
    lines.push(("Custom actions", pkg.custom_actions.len().to_string()));
    let seqs: Vec<_> = pkg
        .sequences
        .iter()
        .map(|s| format!("{} ({})", s.kind.table_name(), s.rows.len()))
        .collect();
    lines.push((
        "Sequences",
        if seqs.is_empty() {
            "none".into()
        } else {
            seqs.join(", ")
        },
    ));
    if !embedded.is_empty() {
        lines.push((
            "Embedded transforms",
            embedded
                .iter()
                .map(|n| format!(":{n}"))
                .collect::<Vec<_>>()
                .join(", "),
        ));
    }
    for t in &pkg.transforms {
        lines.push(("Transform applied", applied_summary(t)));
    }
    for d in damage {
        lines.push(("Damage", d));
    }
    aligned(&lines)
}

/// A codepage number with what it means when that is not obvious.
fn codepage_text(codepage: u32) -> String {
    if codepage == 0 {
        "0 (neutral: strings read as Windows-1252)".into()
    } else {
        codepage.to_string()
    }
}

/// Every kind of damage msica saw in a package, one line each.
pub fn damage_lines(pkg: &Package) -> Vec<String> {
    let mut out = pkg.damage.clone();
    for u in &pkg.unreadable_strings {
        out.push(unreadable_text(u));
    }
    for p in &pkg.problems {
        out.push(format!("table {}: {}", p.table, p.message));
    }
    out
}

/// `table Binary: 12 cells in 6 rows refer to strings 1196..2003, beyond
/// the 1195 strings of the string pool`.
pub fn unreadable_text(u: &crate::model::UnreadableStrings) -> String {
    let ids = if u.lowest_id == u.highest_id {
        format!("string {}", u.lowest_id)
    } else {
        format!("strings {}..{}", u.lowest_id, u.highest_id)
    };
    format!(
        "table {}: {} in {} refer to {ids}, beyond the {} strings of the string pool; their text is lost",
        u.table,
        plural(u.cells, "cell"),
        plural(u.rows, "row"),
        u.pool
    )
}

/// One line about an applied transform: its changes and its problems.
fn applied_summary(t: &AppliedTransform) -> String {
    let c = t.changes;
    let mut parts = vec![format!(
        "{}: {} added, {} changed, {} deleted",
        t.name,
        plural(c.inserted, "row"),
        c.updated,
        c.deleted
    )];
    if c.tables_added + c.tables_dropped + c.columns_added > 0 {
        parts.push(format!(
            "{} added, {} dropped, {} added",
            plural(c.tables_added, "table"),
            c.tables_dropped,
            plural(c.columns_added, "column")
        ));
    }
    if !t.conflicts.is_empty() {
        parts.push(format!(
            "{} (msiexec fails with 1624)",
            plural(t.conflicts.len(), "conflict")
        ));
    }
    if !t.not_applicable.is_empty() {
        parts.push("its validation conditions do not hold".into());
    }
    parts.join("; ")
}

fn applied_json(t: &AppliedTransform) -> serde_json::Value {
    json!({
        "name": t.name,
        "path": t.path.display().to_string(),
        "rows_added": t.changes.inserted,
        "rows_changed": t.changes.updated,
        "rows_deleted": t.changes.deleted,
        "tables_added": t.changes.tables_added,
        "tables_dropped": t.changes.tables_dropped,
        "columns_added": t.changes.columns_added,
        "conflicts": t.conflicts.iter().map(|c| json!({
            "kind": c.kind.describe(), "table": c.table, "key": c.key,
        })).collect::<Vec<_>>(),
        "not_applicable": t.not_applicable.iter().map(|n| n.describe()).collect::<Vec<_>>(),
    })
}

fn transform_info(input: &Input, t: &Transform, json: bool) -> String {
    let info = t.info();
    let changed: Vec<&str> = t
        .tables
        .iter()
        .map(String::as_str)
        .filter(|n| !db::SYSTEM_TABLES.contains(n))
        .collect();
    let validation = validation_words(info.validation);
    let errors = error_words(info.errors);
    let languages = |ids: &[u16]| {
        ids.iter()
            .map(|l| l.to_string())
            .collect::<Vec<_>>()
            .join(",")
    };
    if json {
        return to_json(&json!({
            "path": input.path.display().to_string(),
            "kind": PackageKind::Transform,
            "target": {
                "product_code": info.target_product_code,
                "version": info.target_version,
                "platform": info.target_platform,
                "languages": info.target_languages,
            },
            "result": {
                "product_code": info.new_product_code,
                "version": info.new_version,
                "platform": info.new_platform,
                "languages": info.new_languages,
            },
            "upgrade_code": info.upgrade_code,
            "validation": validation,
            "ignored_errors": errors,
            "changed_tables": changed,
            "codepage": t.strings.codepage,
        }));
    }
    let mut lines: Vec<(&str, String)> = vec![
        ("File", input.path.display().to_string()),
        ("Type", PackageKind::Transform.describe().into()),
    ];
    let code_version = |code: &Option<String>, version: &Option<String>| {
        [code.as_deref(), version.as_deref()]
            .into_iter()
            .flatten()
            .collect::<Vec<_>>()
            .join(" ")
    };
    let target = code_version(&info.target_product_code, &info.target_version);
    if !target.is_empty() {
        lines.push(("Made against", target));
    }
    let result = code_version(&info.new_product_code, &info.new_version);
    if !result.is_empty() {
        lines.push(("Produces", result));
    }
    if let Some(u) = &info.upgrade_code {
        lines.push(("Upgrade code", u.clone()));
    }
    if !info.target_platform.is_empty() || !info.target_languages.is_empty() {
        lines.push((
            "Target",
            format!(
                "{};{}",
                info.target_platform,
                languages(&info.target_languages)
            ),
        ));
    }
    if !info.new_platform.is_empty() || !info.new_languages.is_empty() {
        lines.push((
            "Result",
            format!("{};{}", info.new_platform, languages(&info.new_languages)),
        ));
    }
    lines.push((
        "Validation",
        if validation.is_empty() {
            "none: applies to any database".into()
        } else {
            validation.join(", ")
        },
    ));
    lines.push((
        "Ignored errors",
        if errors.is_empty() {
            "none".into()
        } else {
            errors.join(", ")
        },
    ));
    lines.push(("Codepage", codepage_text(t.strings.codepage)));
    lines.push((
        "Changes",
        format!(
            "{} ({})",
            plural(changed.len(), "table"),
            if changed.is_empty() {
                "none".into()
            } else {
                changed.join(", ")
            }
        ),
    ));
    aligned(&lines)
}

/// The validation flags of a transform, in words.
pub fn validation_words(flags: u16) -> Vec<&'static str> {
    use crate::db::transform::validation_flags::*;
    [
        (LANGUAGE, "same language"),
        (PRODUCT, "same ProductCode"),
        (PLATFORM, "same platform"),
        (UPGRADE_CODE, "same UpgradeCode"),
        (MAJOR_VERSION, "major version"),
        (MINOR_VERSION, "major.minor version"),
        (UPDATE_VERSION, "major.minor.update version"),
        (NEW_LESS_BASE, "version < target"),
        (NEW_LESS_EQUAL_BASE, "version <= target"),
        (NEW_EQUAL_BASE, "version = target"),
        (NEW_GREATER_EQUAL_BASE, "version >= target"),
        (NEW_GREATER_BASE, "version > target"),
    ]
    .into_iter()
    .filter(|(bit, _)| flags & bit != 0)
    .map(|(_, w)| w)
    .collect()
}

/// The error-condition flags of a transform (the errors it ignores), in words.
pub fn error_words(flags: u16) -> Vec<&'static str> {
    use crate::db::transform::error_flags::*;
    [
        (ADD_EXISTING_ROW, "adding an existing row"),
        (DELETE_MISSING_ROW, "deleting a missing row"),
        (ADD_EXISTING_TABLE, "adding an existing table"),
        (DELETE_MISSING_TABLE, "dropping a missing table"),
        (UPDATE_MISSING_ROW, "updating a missing row"),
        (CHANGE_CODEPAGE, "a different codepage"),
    ]
    .into_iter()
    .filter(|(bit, _)| flags & bit != 0)
    .map(|(_, w)| w)
    .collect()
}

/// `key  value` lines with the values aligned.
fn aligned(lines: &[(&str, String)]) -> String {
    let width = lines.iter().map(|(k, _)| k.len()).max().unwrap_or(0);
    let mut out = String::new();
    for (key, value) in lines {
        let _ = writeln!(out, "{key:width$}  {value}");
    }
    out
}

fn plural(n: usize, word: &str) -> String {
    format!("{n} {word}{}", if n == 1 { "" } else { "s" })
}

/// Product facts from the Property table (or ModuleSignature of a module).
fn package_facts(pkg: &Package) -> Vec<(&'static str, String)> {
    let names = [
        ("Product", "ProductName"),
        ("Version", "ProductVersion"),
        ("Manufacturer", "Manufacturer"),
        ("Product code", "ProductCode"),
        ("Upgrade code", "UpgradeCode"),
        ("ALLUSERS", "ALLUSERS"),
    ];
    names
        .iter()
        .filter_map(|(label, prop)| pkg.property(prop).map(|v| (*label, v.to_owned())))
        .collect()
}

// ------------------------------------------------------------------------ //
// tables / table

pub fn tables(input: &Input, format: crate::cli::TableFormat, style: Style) -> Output {
    use crate::cli::TableFormat::*;
    let mut t = match load::open(input)? {
        Loaded::Database(db) => return Ok(database_tables(&db, format, style)),
        Loaded::Transform(t) => t,
    };
    let names: Vec<String> = t.tables.clone();
    let listing: Vec<(String, String, Option<[usize; 3]>)> = names
        .iter()
        .map(|name| {
            let records = t.table_records(name);
            let counts = records.problem.is_none().then(|| {
                let count =
                    |f: fn(&Op) -> bool| records.records.iter().filter(|r| f(&r.op)).count();
                [
                    count(|op| *op == Op::Insert),
                    count(|op| matches!(op, Op::Update(_))),
                    count(|op| *op == Op::Delete),
                ]
            });
            let what = match counts {
                Some([i, u, d]) => format!("+{i} ~{u} -{d}"),
                None => "changed (its columns are unknown without the database)".into(),
            };
            (name.clone(), what, counts)
        })
        .collect();
    Ok(match format {
        Json => to_json(
            &listing
                .iter()
                .map(|(name, _, counts)| match counts {
                    Some([i, u, d]) => json!({"name": name, "rows": null, "changed": true,
                        "inserted": i, "updated": u, "deleted": d}),
                    None => json!({"name": name, "rows": null, "changed": true}),
                })
                .collect::<Vec<_>>(),
        ),
        Tsv | Idt => listing
            .iter()
            .map(|(name, what, _)| format!("{name}\t{what}\n"))
            .collect(),
        Human => format!(
            "{}: a transform; the tables it changes (+ inserted, ~ updated, - deleted rows):\n{}",
            input.path.display(),
            render::table(
                style,
                &["Table", "Changes"],
                listing.into_iter().map(|(n, w, _)| vec![n, w]).collect()
            )
        ),
    })
}

fn database_tables(db: &Database, format: crate::cli::TableFormat, style: Style) -> String {
    use crate::cli::TableFormat::*;
    let transformed = !db.transforms.is_empty();
    let list: Vec<(String, Option<usize>, String)> = db
        .tables()
        .map(|t| {
            let change = if !transformed {
                String::new()
            } else if let Some(by) = t.added_by {
                format!("added by {}", db.transform_name(by))
            } else {
                let data = t.data_if_read();
                let added = data.map_or(0, |d| {
                    d.rows
                        .iter()
                        .filter(|r| r.origin.added_by.is_some())
                        .count()
                });
                let changed = data.map_or(0, |d| {
                    d.rows
                        .iter()
                        .filter(|r| r.origin.added_by.is_none() && r.origin.changed_by.is_some())
                        .count()
                });
                let deleted = data.map_or(0, |d| d.deleted.len());
                if added + changed + deleted == 0 {
                    String::new()
                } else {
                    format!("+{added} ~{changed} -{deleted}")
                }
            };
            (t.name.clone(), db.row_count(t), change)
        })
        .chain(db.dropped.iter().map(|(t, by)| {
            (
                t.name.clone(),
                None,
                format!("dropped by {}", db.transform_name(*by)),
            )
        }))
        .collect();
    let count = |c: &Option<usize>, change: &str| match c {
        Some(n) => n.to_string(),
        None if change.starts_with("dropped") => "-".to_string(),
        None => "unreadable".to_string(),
    };
    match format {
        Json => to_json(
            &list
                .iter()
                .map(|(name, rows, change)| {
                    if change.is_empty() {
                        json!({"name": name, "rows": rows})
                    } else {
                        json!({"name": name, "rows": rows, "transformed": change})
                    }
                })
                .collect::<Vec<_>>(),
        ),
        Tsv | Idt => list
            .iter()
            .map(|(name, rows, _)| format!("{name}\t{}\n", count(rows, "")))
            .collect(),
        Human if transformed => {
            let rows = list
                .iter()
                .map(|(n, c, change)| vec![n.clone(), count(c, change), change.clone()])
                .collect();
            render::table(style, &["Table", "Rows", "Transformed"], rows)
        }
        Human => {
            let rows = list
                .iter()
                .map(|(n, c, change)| vec![n.clone(), count(c, change)])
                .collect();
            render::table(style, &["Table", "Rows"], rows)
        }
    }
}

pub fn table(input: &Input, name: &str, format: crate::cli::TableFormat, style: Style) -> Output {
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

/// The table in IDT form, byte for byte as `msiinfo export` writes it: a line
/// of column names, a line of column types, a line with the table name and its
/// key columns, then one line per row. Fields are separated by tabs and every
/// line ends with CR LF. Cell text is written as stored, like msiinfo does, so
/// a cell holding a line break spans several lines (the multi-line text of a
/// `ScrollableText` control, for example); `--format tsv` escapes instead.
pub fn to_idt(table: &RawTable) -> String {
    let mut out = String::new();
    let mut line = |fields: Vec<String>| {
        out += &fields.join("\t");
        out += "\r\n";
    };
    line(table.columns.iter().map(|c| c.name.clone()).collect());
    line(table.columns.iter().map(|c| c.idt_type.clone()).collect());
    let keys = table
        .columns
        .iter()
        .filter(|c| c.primary_key)
        .map(|c| c.name.clone());
    line(std::iter::once(table.name.clone()).chain(keys).collect());
    for row in &table.rows {
        line(row.iter().map(Cell::to_text).collect());
    }
    out
}

/// Escapes for one-line-per-row text: tab, CR and LF inside a cell are written
/// as the control codes IDT archives use for them (0x10, 0x11, 0x19).
fn escape_idt(text: &str) -> String {
    text.replace('\t', "\x10")
        .replace('\r', "\x11")
        .replace('\n', "\x19")
}

// ------------------------------------------------------------------------ //
// actions

#[derive(Serialize)]
struct ActionView<'a> {
    name: &'a str,
    #[serde(rename = "type")]
    raw_type: i32,
    type_hex: String,
    extended_type: Option<i32>,
    kind: String,
    summary: String,
    execution: &'static str,
    context: &'static str,
    return_processing: &'static str,
    source: Option<&'a str>,
    target: Option<&'a str>,
    options: Vec<&'static str>,
    problems: Vec<&'static str>,
    role: Option<String>,
    scheduled: Vec<ScheduleView<'a>>,
    called_from: Vec<CallerView<'a>>,
    #[serde(skip)]
    action_type: ActionType,
    /// Where the action first runs: (sequence table rank, position), for
    /// listing actions in run order.
    #[serde(skip)]
    first_run: Option<(usize, usize)>,
}

#[derive(Serialize)]
struct ScheduleView<'a> {
    table: &'static str,
    sequence: Option<i32>,
    position: String,
    condition: Option<&'a str>,
    in_script_window: Option<bool>,
}

#[derive(Serialize)]
struct CallerView<'a> {
    dialog: &'a str,
    control: &'a str,
    condition: Option<&'a str>,
}

fn action_view<'a>(
    pkg: &'a Package,
    ca: &'a CustomAction,
    roles: &analysis::Roles,
) -> ActionView<'a> {
    let t = ca.action_type;
    let mut options = Vec::new();
    if t.hide_target() {
        options.push("hide-target");
    }
    if t.flags()
        .contains(crate::model::action_type::TypeFlags::X64_SCRIPT)
    {
        options.push("64-bit-script");
    }
    if t.flags()
        .contains(crate::model::action_type::TypeFlags::TS_AWARE)
    {
        options.push("ts-aware");
    }
    if t.patch_uninstall() {
        options.push("patch-uninstall");
    }
    let scheduled = pkg
        .schedules(&ca.name)
        .map(|(seq, row)| ScheduleView {
            table: seq.kind.table_name(),
            sequence: row.sequence,
            position: row.position_label(),
            condition: row.condition.as_deref().filter(|c| !c.trim().is_empty()),
            in_script_window: (seq.kind.is_execute() && seq.script_window().is_some())
                .then(|| row.order.is_some_and(|o| seq.in_script_window(o))),
        })
        .collect();
    let first_run = pkg
        .schedules(&ca.name)
        .filter_map(|(seq, row)| {
            let rank = SequenceKind::ALL.iter().position(|k| *k == seq.kind)?;
            Some((rank, row.order.unwrap_or(usize::MAX)))
        })
        .min();
    let called_from = pkg
        .do_action_callers(&ca.name)
        .map(|e| CallerView {
            dialog: &e.dialog,
            control: &e.control,
            condition: e.condition.as_deref(),
        })
        .collect();
    ActionView {
        name: &ca.name,
        raw_type: t.raw,
        type_hex: format!("0x{:04X}", t.bits()),
        extended_type: t.extended,
        kind: t.kind_short(),
        summary: t.summary(),
        execution: t.execution_short(),
        context: t.context(),
        return_processing: t.return_words(),
        source: ca.source.as_deref(),
        target: ca.target.as_deref(),
        options,
        problems: t.problems().into_iter().map(|p| p.describe()).collect(),
        role: roles.get(&ca.name).map(ActionRole::describe),
        scheduled,
        called_from,
        action_type: t,
        first_run,
    }
}

pub fn actions(input: &Input, json: bool) -> Output {
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
    let mut views: Vec<ActionView> = pkg
        .custom_actions
        .iter()
        .map(|ca| action_view(&pkg, ca, &roles))
        .collect();
    // In the order they run (UI sequence first, then execute, admin,
    // advertise), actions run by no sequence last, each group by name.
    views.sort_by(|a, b| {
        (a.first_run.is_none(), a.first_run, a.name).cmp(&(
            b.first_run.is_none(),
            b.first_run,
            b.name,
        ))
    });
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

/// What Source and Target mean for an action's kind, as field labels.
struct FieldLabels {
    source: &'static str,
    target: &'static str,
    /// Whether code runs, so that return processing means something.
    runs_code: bool,
}

impl FieldLabels {
    fn of(t: ActionType) -> Self {
        use crate::model::action_type::{BaseKind, SourceKind};
        let (source, target, runs_code) = match t.kind() {
            BaseKind::Dll => ("source", "entry", true),
            BaseKind::Exe => ("source", "command", true),
            BaseKind::JScript | BaseKind::VBScript if t.source() == SourceKind::Inline => {
                ("source", "script", true)
            }
            BaseKind::JScript | BaseKind::VBScript => ("source", "function", true),
            BaseKind::NestedInstall => ("source", "properties", true),
            BaseKind::ErrorMessage => ("source", "message", false),
            BaseKind::SetDirectory => ("directory", "value", false),
            BaseKind::SetProperty => ("property", "value", false),
            _ => ("source", "target", true),
        };
        Self {
            source,
            target,
            runs_code,
        }
    }
}

fn ca_what(v: &ActionView) -> String {
    // The summary starts with the what-and-where part.
    v.summary.split(", ").next().unwrap_or_default().to_string()
}

fn one_line(text: &str, max: usize) -> String {
    let flat: String = text
        .chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect();
    if flat.chars().count() > max {
        format!("{}…", flat.chars().take(max).collect::<String>())
    } else {
        flat
    }
}

// ------------------------------------------------------------------------ //
// sequence

/// What a sequence row names.
pub fn row_kind(pkg: &Package, seq: &Sequence, row: &SequenceRow) -> String {
    if crate::model::standard::is_standard_action(&row.action) {
        "standard".into()
    } else if let Some(ca) = pkg.custom_action(&row.action) {
        format!(
            "custom: {}, {}",
            ca.action_type.kind_short(),
            ca.action_type.execution_short()
        )
    } else if pkg.dialogs.contains(&row.action) {
        if seq.kind.is_ui() {
            "dialog".into()
        } else {
            "dialog (not allowed here)".into()
        }
    } else {
        "unknown".into()
    }
}

#[derive(Serialize)]
struct SequenceRowView {
    action: String,
    sequence: Option<i32>,
    position: String,
    order: Option<usize>,
    kind: String,
    condition: Option<String>,
    script: &'static str,
}

/// A sequence table ready to show.
struct SequenceShown {
    table: String,
    rows: Vec<SequenceRowView>,
    script_window: bool,
    /// Lines printed above the human table.
    notes: Vec<String>,
}

/// The `_ICESequence` table of an ICE validation database (.cub), whose
/// ICE custom actions run in its order.
const ICE_SEQUENCE: &str = "_ICESequence";

pub fn sequence(
    input: &Input,
    table: Option<&str>,
    format: crate::cli::TableFormat,
    style: Style,
) -> Output {
    use crate::cli::TableFormat::*;
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
    let has_ice = pkg.tables.iter().any(|t| t == ICE_SEQUENCE);
    let shown = match table {
        Some(name) if name.eq_ignore_ascii_case(ICE_SEQUENCE) && has_ice => {
            ice_sequence(&db, &pkg)?
        }
        Some(name) => {
            let kind = SequenceKind::from_table_name(name)
                .filter(|k| pkg.sequence(*k).is_some())
                .ok_or_else(|| LoadError::NoSuchTable {
                    path: path.to_owned(),
                    table: name.to_owned(),
                })?;
            standard_sequence(&pkg, kind)
        }
        None => {
            let preferred = if pkg.kind == PackageKind::MergeModule {
                SequenceKind::ModuleInstallExecuteSequence
            } else {
                SequenceKind::InstallExecuteSequence
            };
            // A merge module may carry an empty InstallExecuteSequence
            // beside the Module* table it really uses.
            let found = [preferred]
                .into_iter()
                .chain(pkg.sequences.iter().map(|s| s.kind))
                .find(|k| pkg.sequence(*k).is_some_and(|s| !s.rows.is_empty()))
                .or_else(|| pkg.sequences.first().map(|s| s.kind));
            match found {
                Some(kind) => standard_sequence(&pkg, kind),
                None if has_ice => ice_sequence(&db, &pkg)?,
                None => {
                    return Ok(nothing(
                        "no sequence tables: nothing is scheduled in this database".into(),
                    ))
                }
            }
        }
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

fn standard_sequence(pkg: &Package, kind: SequenceKind) -> SequenceShown {
    let seq = pkg
        .sequence(kind)
        .expect("the caller checked the table exists");
    let window = seq.script_window();
    let rows = seq
        .rows
        .iter()
        .map(|row| SequenceRowView {
            action: row.action.clone(),
            sequence: row.sequence,
            position: row.position_label(),
            order: row.order,
            kind: row_kind(pkg, seq, row),
            condition: row.condition.clone().filter(|c| !c.trim().is_empty()),
            script: match (window, row.order) {
                (Some((start, _)), Some(o)) if o == start => "begin",
                (Some((_, end)), Some(o)) if o == end => "end",
                (Some((start, end)), Some(o)) if start < o && o < end => "inside",
                _ => "",
            },
        })
        .collect();
    let mut notes = Vec::new();
    if kind.is_execute() && window.is_none() && !seq.rows.is_empty() {
        notes.push(if kind.is_module() {
            "no script window in this module table: once merged, the InstallInitialize..InstallFinalize \
             window of the product's sequence applies"
                .to_string()
        } else {
            "no script window: InstallInitialize and InstallFinalize are not both scheduled".to_string()
        });
    }
    SequenceShown {
        table: kind.table_name().to_string(),
        rows,
        script_window: window.is_some(),
        notes,
    }
}

/// The `_ICESequence` of an ICE validation database, in sequence order.
fn ice_sequence(db: &Database, pkg: &Package) -> Result<SequenceShown, LoadError> {
    let raw = load::raw_table(db, ICE_SEQUENCE)?;
    let col = |name: &str| raw.columns.iter().position(|c| c.name == name);
    let (action, condition, number) = (col("Action"), col("Condition"), col("Sequence"));
    let text = |row: &[Cell], i: Option<usize>| -> Option<String> {
        i.and_then(|i| row.get(i))
            .map(Cell::to_text)
            .filter(|t| !t.trim().is_empty())
    };
    let mut rows: Vec<SequenceRowView> = raw
        .rows
        .iter()
        .map(|row| {
            let name = text(row, action).unwrap_or_default();
            let sequence = number.and_then(|i| match row.get(i) {
                Some(Cell::Int(n)) => Some(*n),
                _ => None,
            });
            let kind = match pkg.custom_action(&name) {
                Some(ca) => format!(
                    "custom: {}, {}",
                    ca.action_type.kind_short(),
                    ca.action_type.execution_short()
                ),
                None => "unknown".into(),
            };
            SequenceRowView {
                position: sequence.map_or_else(|| "-".into(), |n| n.to_string()),
                action: name,
                sequence,
                order: None,
                kind,
                condition: text(row, condition),
                script: "",
            }
        })
        .collect();
    rows.sort_by(|a, b| {
        (a.sequence.is_none(), a.sequence, &a.action).cmp(&(
            b.sequence.is_none(),
            b.sequence,
            &b.action,
        ))
    });
    for (i, row) in rows.iter_mut().enumerate() {
        row.order = Some(i);
    }
    Ok(SequenceShown {
        table: ICE_SEQUENCE.to_string(),
        rows,
        script_window: false,
        notes: vec!["an ICE validation database: its ICE custom actions run in this order during validation".into()],
    })
}
