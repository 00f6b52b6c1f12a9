//! What the browser shows, built once from the package: the views of
//! [`crate::inspect`] (the tables list, table rows read on demand, the
//! actions, sequences and findings), and the details of one action.

use std::borrow::Cow;
use std::fmt::Write as _;

use crate::analysis::scenarios::Scenario;
use crate::analysis::{self, Roles, Sibling, SiblingKind};
use crate::condition::Verdict;
use crate::db::{Database, Table};
use crate::error::LoadError;
use crate::finding::{Finding, Severity};
use crate::inspect::actions::{action_views, FieldLabels};
use crate::inspect::findings::FindingsView;
use crate::inspect::sequence::{sequence_tables, sequence_view, SequenceView};
use crate::inspect::table::{self as rows, RowMark, RowRef};
use crate::inspect::tables::{table_list, TableEntry};
use crate::model::action_type::SourceKind;
use crate::model::load::{self, Input, Loaded};
use crate::model::{CustomAction, Package};

/// One custom action in the list, in run order.
#[derive(Debug, Clone)]
pub struct ActionLine {
    /// Position in `Package::custom_actions`.
    pub index: usize,
    pub name: String,
    pub kind: String,
    /// When it runs, and as LocalSystem when it does: `deferred, system`.
    pub execution: String,
}

/// Everything the browser reads, loaded before the terminal is taken over.
/// The scenario matrix, owned: the scenarios in column order and each
/// scheduled custom action's verdicts, in run order.
#[derive(Debug, Default)]
pub struct ScenarioTable {
    pub columns: Vec<Scenario>,
    pub rows: Vec<(String, Vec<Verdict>)>,
}

impl ScenarioTable {
    fn new(pkg: &Package) -> Self {
        let conditions = analysis::condition_sites(pkg);
        let matrix = analysis::scenarios::matrix(pkg, &conditions);
        Self {
            rows: matrix
                .actions
                .iter()
                .map(|a| (a.action.name.clone(), a.runs.clone()))
                .collect(),
            columns: matrix.scenarios,
        }
    }

    /// An action's verdicts grouped in words, for the detail pane.
    pub fn lines_of(&self, action: &str) -> Vec<String> {
        self.rows
            .iter()
            .find(|(name, _)| name == action)
            .map(|(_, runs)| {
                let verdicts: Vec<_> = self
                    .columns
                    .iter()
                    .copied()
                    .zip(runs.iter().cloned())
                    .collect();
                crate::inspect::scenarios::grouped(&verdicts)
            })
            .unwrap_or_default()
    }
}

pub struct Data {
    pub db: Database,
    pub pkg: Package,
    pub roles: Roles,
    pub siblings: Vec<Sibling>,
    pub findings: FindingsView,
    pub tables: Vec<TableEntry>,
    pub actions: Vec<ActionLine>,
    /// Sequence tables, in the order they are listed.
    pub sequences: Vec<String>,
    /// Which scheduled custom action runs in which scenario.
    pub scenarios: ScenarioTable,
    /// The file name and the transforms applied, for the title.
    pub title: String,
}

impl Data {
    /// Opens the input: a broken file is an error naming it, never a panic.
    pub fn load(input: &Input) -> Result<Self, LoadError> {
        let db = match load::open(input)? {
            Loaded::Database(db) => db,
            Loaded::Transform(_) => {
                return Err(LoadError::NotADatabase {
                    path: input.path.clone(),
                    reason: "it is a transform (.mst); browse its database with it applied: \
                             `msica browse BASE.msi -t FILE.mst`"
                        .into(),
                })
            }
        };
        load::guarded(&input.path, || Ok(Self::new(db)))
    }

    pub fn new(db: Database) -> Self {
        let pkg = load::package(&db);
        let roles = analysis::roles(&pkg);
        let siblings = analysis::siblings(&pkg).pairs;
        let findings = FindingsView::new(&pkg);
        let actions = action_views(&pkg, &roles)
            .iter()
            .map(|v| ActionLine {
                index: v.index,
                name: v.name.to_owned(),
                kind: v.kind.clone(),
                execution: if v.action_type.in_script() && v.action_type.no_impersonate() {
                    format!("{}, system", v.execution)
                } else {
                    v.execution.to_owned()
                },
            })
            .collect();
        let mut title = db.path.file_name().map_or_else(
            || db.path.display().to_string(),
            |n| n.to_string_lossy().into_owned(),
        );
        for t in &db.transforms {
            match &t.patch {
                // A patch's pair reads once: `+ fix.msp:rtm.1`.
                Some(patch) if t.name.starts_with(&format!("{patch}:#")) => {}
                _ => {
                    let _ = write!(title, " + {}", t.name);
                }
            }
        }
        Self {
            tables: table_list(&db),
            sequences: sequence_tables(&pkg),
            scenarios: ScenarioTable::new(&pkg),
            roles,
            siblings,
            findings,
            actions,
            pkg,
            title,
            db,
        }
    }

    pub fn transformed(&self) -> bool {
        !self.db.transforms.is_empty()
    }

    pub fn table(&self, name: &str) -> Option<&Table> {
        self.db.table(name)
    }

    /// The rows of a table in stored order, then the rows transforms deleted.
    pub fn rows_of(&self, table: &str) -> Vec<RowRef> {
        self.db
            .table(table)
            .map_or_else(Vec::new, |t| rows::refs(&self.db, t))
    }

    /// Why a table's rows cannot be shown, if they cannot.
    pub fn problem(&self, table: &str) -> Option<&str> {
        let t = self.db.table(table)?;
        self.db.data(t).problem.as_deref()
    }

    /// A cell as text; a lost string is marked, a binary cell names its stream.
    pub fn cell(&self, table: &str, row: RowRef, column: usize) -> Cow<'_, str> {
        self.db
            .table(table)
            .map_or(Cow::Borrowed(""), |t| rows::cell(&self.db, t, row, column))
    }

    pub fn mark(&self, table: &str, row: RowRef) -> RowMark {
        self.db
            .table(table)
            .map_or(RowMark::Base, |t| rows::mark(&self.db, t, row))
    }

    pub fn origin_text(&self, table: &str, row: RowRef) -> Option<String> {
        rows::origin_text(&self.db, self.db.table(table)?, row)
    }

    /// The most serious finding on a row (deleted rows have none).
    pub fn finding_mark(&self, table: &str, row: RowRef) -> Option<Severity> {
        match row {
            RowRef::Live(i) => self.findings.mark(table, i),
            RowRef::Deleted(_) => None,
        }
    }

    pub fn reference(&self, table: &str, row: RowRef, column: usize) -> Option<(String, RowRef)> {
        rows::reference(&self.db, self.db.table(table)?, row, column)
    }

    pub fn find_row(&self, table: &str, key: &str) -> Option<RowRef> {
        rows::find_row(&self.db, self.db.table(table)?, key)
    }

    pub fn action(&self, line: &ActionLine) -> &CustomAction {
        &self.pkg.custom_actions[line.index]
    }

    /// The sequence view of the sequence table at `index`.
    pub fn sequence(&self, index: usize) -> Option<SequenceView> {
        let name = self.sequences.get(index)?;
        sequence_view(&self.db, &self.pkg, Some(name))
            .ok()
            .flatten()
    }

    /// The rollback and commit pairs an action belongs to.
    pub fn siblings_of<'a>(&'a self, action: &'a str) -> impl Iterator<Item = &'a Sibling> {
        self.siblings
            .iter()
            .filter(move |s| s.deferred == action || s.sibling == action)
    }
}

/// A styled line of a detail pane: how it should be drawn, and its text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DetailLine {
    pub style: LineStyle,
    pub text: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LineStyle {
    Heading,
    Plain,
    Dim,
    Code,
    Error,
    Warning,
    Info,
}

fn line(style: LineStyle, text: impl Into<String>) -> DetailLine {
    DetailLine {
        style,
        text: text.into(),
    }
}

/// How many bytes of a stream the detail pane reads for its preview.
const PREVIEW_BYTES: u64 = 64 * 1024;

/// Everything about one custom action: its Type bit by bit, where it runs,
/// its condition's parse tree, its siblings and CustomActionData setter,
/// its findings, and its script or stream.
pub fn action_detail(data: &Data, ca: &CustomAction) -> Vec<DetailLine> {
    use LineStyle::*;
    let t = ca.action_type;
    let mut out = vec![
        line(
            Heading,
            format!("{}  Type {} (0x{:04X})", ca.name, t.raw, t.bits()),
        ),
        line(Plain, t.summary()),
    ];
    out.extend(data.findings.about_action(&ca.name).map(finding_line));

    let labels = FieldLabels::of(t);
    out.push(line(Heading, "cells"));
    if let Some(source) = ca.source.as_deref().filter(|s| !s.is_empty()) {
        let table = t.source_table().filter(|_| labels.source == "source");
        let text = match table {
            Some(table) => format!("  {:<9} {source} ({table} table)", labels.source),
            None => format!("  {:<9} {source}", labels.source),
        };
        out.push(line(Plain, text));
    }
    // An inline script is shown whole below.
    let inline_script = t.is_script() && t.source() == SourceKind::Inline;
    if let Some(target) = ca
        .target
        .as_deref()
        .filter(|s| !s.is_empty() && !inline_script)
    {
        if target.contains('\n') || target.len() > 60 {
            out.push(line(Plain, format!("  {}:", labels.target)));
            out.extend(target.lines().map(|l| line(Code, format!("    {l}"))));
        } else {
            out.push(line(Plain, format!("  {:<9} {target}", labels.target)));
        }
    }

    out.push(line(Heading, "runs"));
    let mut reached = false;
    for (seq, row) in data.pkg.schedules(&ca.name) {
        reached = true;
        let window = if seq.kind.is_execute() && seq.script_window().is_some() {
            if row.order.is_some_and(|o| seq.in_script_window(o)) {
                ", inside the script window"
            } else {
                ", outside the script window"
            }
        } else {
            ""
        };
        out.push(line(
            Plain,
            format!(
                "  {} {}{window}",
                seq.kind.table_name(),
                row.position_label()
            ),
        ));
        if let Some(cond) = row.condition.as_deref().filter(|c| !c.trim().is_empty()) {
            condition_lines(&mut out, cond);
        }
    }
    for e in data.pkg.do_action_callers(&ca.name) {
        reached = true;
        out.push(line(
            Plain,
            format!("  DoAction from dialog {} control {}", e.dialog, e.control),
        ));
        if let Some(cond) = e
            .condition
            .as_deref()
            .filter(|c| !matches!(c.trim(), "" | "1"))
        {
            condition_lines(&mut out, cond);
        }
    }
    match data.roles.get(&ca.name) {
        Some(role)
            if !matches!(
                role,
                analysis::ActionRole::Sequenced | analysis::ActionRole::DoAction
            ) =>
        {
            out.push(line(Plain, format!("  {}", role.describe())))
        }
        _ if !reached => out.push(line(
            Warning,
            "  in no sequence table and no DoAction event",
        )),
        _ => {}
    }

    let scenarios = data.scenarios.lines_of(&ca.name);
    if !scenarios.is_empty() {
        out.push(line(Heading, "scenarios"));
        out.extend(scenarios.into_iter().map(|l| line(Plain, format!("  {l}"))));
    }

    let siblings: Vec<&Sibling> = data.siblings_of(&ca.name).collect();
    if !siblings.is_empty() {
        out.push(line(Heading, "siblings"));
        for s in siblings {
            let kind = match s.kind {
                SiblingKind::Rollback => "rollback",
                SiblingKind::Commit => "commit",
            };
            let certainty = if s.certain { "certain" } else { "a guess" };
            let text = if s.deferred == ca.name {
                format!("  {kind} {}", s.sibling)
            } else {
                format!("  {kind} of {}", s.deferred)
            };
            out.push(line(Plain, text));
            out.push(line(Dim, format!("    paired: {} ({certainty})", s.reason)));
        }
    }

    if t.in_script() {
        out.push(line(Heading, "CustomActionData"));
        let setters: Vec<&CustomAction> = data.pkg.setters_of(&ca.name).collect();
        if setters.is_empty() {
            let from_property = data.pkg.property(&ca.name);
            out.push(line(
                Dim,
                match from_property {
                    Some(v) => format!("  the Property table sets {} = {v}", ca.name),
                    None => format!("  no type 51 action sets the property {}", ca.name),
                },
            ));
        }
        for setter in setters {
            let at: Vec<String> = data
                .pkg
                .schedules(&setter.name)
                .map(|(seq, row)| format!("{} {}", seq.kind.table_name(), row.position_label()))
                .collect();
            out.push(line(
                Plain,
                format!(
                    "  set by {}{}",
                    setter.name,
                    if at.is_empty() {
                        String::new()
                    } else {
                        format!(" at {}", at.join(", "))
                    }
                ),
            ));
            if let Some(value) = &setter.target {
                out.push(line(Code, format!("    {value}")));
            }
        }
    }

    if let Some(code) = data.pkg.code(&ca.name) {
        out.push(line(Heading, "code"));
        for (label, value) in crate::inspect::actions::code_fields(&code.summary) {
            let style = if label == "missing" || value.contains("NOT") {
                Warning
            } else {
                Plain
            };
            out.push(line(style, format!("  {label:<8} {value}")));
        }
    }
    code_lines(data, ca, &mut out);
    if let Some(ext) = t.extended {
        out.push(line(Plain, format!("extended {ext}")));
    }
    out.push(line(Heading, "Type bits"));
    for (value, name, words) in t.bit_breakdown() {
        let name = name.strip_prefix("msidbCustomActionType").unwrap_or(name);
        out.push(line(Code, format!("  0x{value:04X} {name:<16} {words}")));
    }
    for p in t.problems() {
        out.push(line(Error, format!("problem: {}", p.describe())));
    }

    out
}

/// `error MCA101 deferred-outside-script: message`, in the finding's colour.
pub fn finding_line(f: &Finding) -> DetailLine {
    line(
        severity_style(f.severity),
        format!(
            "{} {} {}: {}",
            f.severity.as_str(),
            f.code,
            f.rule,
            f.message
        ),
    )
}

pub fn severity_style(s: Severity) -> LineStyle {
    match s {
        Severity::Error => LineStyle::Error,
        Severity::Warning => LineStyle::Warning,
        Severity::Info => LineStyle::Info,
    }
}

/// A condition and its parse tree (or where it does not parse).
fn condition_lines(out: &mut Vec<DetailLine>, text: &str) {
    out.push(line(LineStyle::Plain, format!("    if {text}")));
    match crate::condition::parse(text) {
        Ok(parsed) => {
            for l in parsed.explain().lines() {
                out.push(line(LineStyle::Dim, format!("      {l}")));
            }
        }
        Err(e) => out.push(line(
            LineStyle::Error,
            format!("      does not parse at {}: {}", e.offset, e.message),
        )),
    }
}

/// The script of a script action, or a preview of the stream a code action
/// runs from.
fn code_lines(data: &Data, ca: &CustomAction, out: &mut Vec<DetailLine>) {
    use LineStyle::*;
    let t = ca.action_type;
    if t.is_script() && t.source() == SourceKind::Inline {
        out.push(line(Heading, "script (inline in Target)"));
        let script = ca.target.as_deref().unwrap_or_default();
        out.extend(script.lines().map(|l| line(Code, format!("  {l}"))));
        return;
    }
    if t.source() != SourceKind::Binary || !t.runs_code() {
        return;
    }
    let Some(source) = ca.source.as_deref() else {
        return;
    };
    let stream = format!("Binary.{source}");
    let (bytes, len) = match data.db.read_stream_head(&stream, PREVIEW_BYTES) {
        Ok(found) => found,
        Err(_) => {
            out.push(line(Heading, "stream"));
            out.push(line(Warning, format!("  {stream}: no such stream")));
            return;
        }
    };
    if t.is_script() {
        out.push(line(Heading, format!("script ({stream}, {len} bytes)")));
        let text = decode_text(&bytes);
        out.extend(text.lines().map(|l| line(Code, format!("  {l}"))));
        if len > bytes.len() as u64 {
            out.push(line(
                Dim,
                format!("  … {} more bytes", len - bytes.len() as u64),
            ));
        }
    } else {
        out.push(line(Heading, format!("stream {stream}: {len} bytes")));
        let preview = &bytes[..bytes.len().min(HEX_PREVIEW_BYTES)];
        for (i, chunk) in preview.chunks(HEX_LINE_BYTES).enumerate() {
            out.push(line(Code, hex_line(i * HEX_LINE_BYTES, chunk)));
        }
    }
}

/// Script text as stored: UTF-8 or UTF-16 with their byte-order marks, else
/// the ANSI codepage (read as Windows-1252, as Latin-1 for the controls).
pub fn decode_text(bytes: &[u8]) -> String {
    crate::code::script::decode(bytes)
}

/// How much of a binary stream the detail pane shows.
const HEX_PREVIEW_BYTES: usize = 256;
/// Bytes per hex line: 8 keep a line at 45 columns, inside the detail pane
/// of an 80-column terminal, where 16 would wrap the text column.
const HEX_LINE_BYTES: usize = 8;

/// `00000008  4d 5a 90 00 ...  MZ..`
pub fn hex_line(offset: usize, chunk: &[u8]) -> String {
    let mut text = format!("  {offset:08x} ");
    for i in 0..HEX_LINE_BYTES {
        match chunk.get(i) {
            Some(b) => {
                let _ = write!(text, " {b:02x}");
            }
            None => text.push_str("   "),
        }
    }
    text.push_str("  ");
    text.extend(chunk.iter().map(|&b| {
        if b.is_ascii_graphic() || b == b' ' {
            char::from(b)
        } else {
            '.'
        }
    }));
    text
}
