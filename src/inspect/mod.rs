//! Orca-like views of a database: info, tables, table, actions, sequence.

pub mod explain;

use std::fmt::Write as _;
use std::path::Path;

use serde::Serialize;
use serde_json::json;

use crate::analysis::{self, ActionRole};
use crate::error::LoadError;
use crate::model::load::{self, Cell, RawTable};
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

pub fn info(path: &Path, json: bool) -> Output {
    let pkg = load::load_package(path)?;
    let facts = package_facts(&pkg);
    if json {
        return Ok(to_json(&json!({
            "path": path.display().to_string(),
            "kind": pkg.kind,
            "summary": pkg.summary,
            "facts": facts.iter().map(|(k, v)| json!({"name": k, "value": v})).collect::<Vec<_>>(),
            "tables": pkg.tables.len(),
            "custom_actions": pkg.custom_actions.len(),
            "sequences": pkg.sequences.iter().map(|s| s.kind.table_name()).collect::<Vec<_>>(),
            "changed_tables": (pkg.kind == PackageKind::Transform).then_some(&pkg.tables),
            "note": (pkg.kind == PackageKind::Transform).then_some(TRANSFORM_NOTE),
        })));
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
    lines.push(("Codepage", s.codepage.to_string()));
    if pkg.kind == PackageKind::Transform {
        let changed = if pkg.tables.is_empty() {
            "none".to_string()
        } else {
            pkg.tables.join(", ")
        };
        lines.push((
            "Changes",
            format!("{} ({changed})", plural(pkg.tables.len(), "table")),
        ));
        lines.push(("Note", TRANSFORM_NOTE.to_string()));
        return Ok(aligned(&lines));
    }
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
    Ok(aligned(&lines))
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

pub fn tables(path: &Path, format: crate::cli::TableFormat, style: Style) -> Output {
    use crate::cli::TableFormat::*;
    let listing = load::table_listing(path)?;
    let transform = listing.kind == PackageKind::Transform;
    let list = listing.tables;
    // A transform holds row changes, not rows: there is nothing to count.
    let count = |c: &Option<usize>| match c {
        Some(n) => n.to_string(),
        None if transform => "changed".to_string(),
        None => "unreadable".to_string(),
    };
    Ok(match format {
        Json => to_json(
            &list
                .iter()
                .map(|(name, rows)| {
                    if transform {
                        json!({"name": name, "rows": rows, "changed": true})
                    } else {
                        json!({"name": name, "rows": rows})
                    }
                })
                .collect::<Vec<_>>(),
        ),
        Tsv | Idt => list
            .iter()
            .map(|(name, rows)| format!("{name}\t{}\n", count(rows)))
            .collect(),
        Human => {
            let rows = list
                .iter()
                .map(|(n, c)| vec![n.clone(), count(c)])
                .collect();
            let table = render::table(style, &["Table", "Rows"], rows);
            if transform {
                format!("{}: a transform; the tables it changes (it holds row changes, not rows):\n{table}", path.display())
            } else {
                table
            }
        }
    })
}

pub fn table(path: &Path, name: &str, format: crate::cli::TableFormat, style: Style) -> Output {
    use crate::cli::TableFormat::*;
    let table = load::read_table(path, name)?;
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
                        .map(|c| escape_idt(&c.to_text()))
                        .collect::<Vec<_>>()
                        .join("\t"),
                );
                out.push('\n');
            }
            out
        }
        Human => {
            let header: Vec<&str> = table.columns.iter().map(|c| c.name.as_str()).collect();
            let rows = table
                .rows
                .iter()
                .map(|r| r.iter().map(Cell::to_text).collect())
                .collect();
            render::table(style, &header, rows)
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

pub fn actions(path: &Path, json: bool) -> Output {
    let pkg = load::load_package(path)?;
    if pkg.kind == PackageKind::Transform {
        return Ok(if json {
            to_json(
                &json!({"path": path.display().to_string(), "actions": [], "note": TRANSFORM_NOTE}),
            )
        } else {
            format!("{}: {TRANSFORM_NOTE}\n", path.display())
        });
    }
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
    path: &Path,
    table: Option<&str>,
    format: crate::cli::TableFormat,
    style: Style,
) -> Output {
    use crate::cli::TableFormat::*;
    let pkg = load::load_package(path)?;
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
    if pkg.kind == PackageKind::Transform {
        return Ok(nothing(TRANSFORM_NOTE.into()));
    }
    let has_ice = pkg.tables.iter().any(|t| t == ICE_SEQUENCE);
    let shown = match table {
        Some(name) if name.eq_ignore_ascii_case(ICE_SEQUENCE) && has_ice => {
            ice_sequence(path, &pkg)?
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
                None if has_ice => ice_sequence(path, &pkg)?,
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
fn ice_sequence(path: &Path, pkg: &Package) -> Result<SequenceShown, LoadError> {
    let raw = load::read_table(path, ICE_SEQUENCE)?;
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
