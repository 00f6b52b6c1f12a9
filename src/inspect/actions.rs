//! The custom actions view: each action decoded, where it runs, who calls it.

use std::collections::BTreeMap;

use serde::Serialize;

use crate::analysis::scenarios::ScenarioMatrix;
use crate::analysis::{self, ActionRole};
use crate::inspect::scenarios::grouped;
use crate::model::{ActionType, CustomAction, Package, SequenceKind};

#[derive(Serialize)]
pub struct ActionView<'a> {
    pub name: &'a str,
    #[serde(rename = "type")]
    pub raw_type: i32,
    pub type_hex: String,
    pub extended_type: Option<i32>,
    pub kind: String,
    pub summary: String,
    pub execution: &'static str,
    pub context: &'static str,
    pub return_processing: &'static str,
    pub source: Option<&'a str>,
    pub target: Option<&'a str>,
    pub options: Vec<&'static str>,
    pub problems: Vec<&'static str>,
    pub role: Option<String>,
    pub scheduled: Vec<ScheduleView<'a>>,
    pub called_from: Vec<CallerView<'a>>,
    /// What the action's DLL, EXE or script is (absent for actions
    /// without code, and for code msica did not look at).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub code: Option<&'a crate::code::CodeSummary>,
    /// Scenario name → `yes`, `no` or `maybe` (see `msica scenarios`); empty
    /// for an action no sequence table schedules.
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub scenarios: BTreeMap<&'static str, &'static str>,
    /// The same, grouped in words with what each `maybe` depends on.
    #[serde(skip)]
    pub scenario_lines: Vec<String>,
    #[serde(skip)]
    pub action_type: ActionType,
    /// Where the action first runs: (sequence table rank, position), for
    /// listing actions in run order.
    #[serde(skip)]
    pub first_run: Option<(usize, usize)>,
    /// The action's position in `Package::custom_actions`.
    #[serde(skip)]
    pub index: usize,
}

#[derive(Serialize)]
pub struct ScheduleView<'a> {
    pub table: &'static str,
    pub sequence: Option<i32>,
    pub position: String,
    pub condition: Option<&'a str>,
    pub in_script_window: Option<bool>,
}

#[derive(Serialize)]
pub struct CallerView<'a> {
    pub dialog: &'a str,
    pub control: &'a str,
    pub condition: Option<&'a str>,
}

/// Every custom action in the order they run (UI sequence first, then
/// execute, admin, advertise), actions run by no sequence last, each group
/// by name.
pub fn action_views<'a>(pkg: &'a Package, roles: &analysis::Roles) -> Vec<ActionView<'a>> {
    let mut views: Vec<ActionView> = pkg
        .custom_actions
        .iter()
        .enumerate()
        .map(|(index, ca)| ActionView {
            index,
            ..action_view(pkg, ca, roles)
        })
        .collect();
    views.sort_by(|a, b| {
        (a.first_run.is_none(), a.first_run, a.name).cmp(&(
            b.first_run.is_none(),
            b.first_run,
            b.name,
        ))
    });
    views
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
        code: pkg.code(&ca.name).map(|c| &c.summary),
        scenarios: BTreeMap::new(),
        scenario_lines: Vec::new(),
        action_type: t,
        first_run,
        index: 0,
    }
}

/// Fills in each view's verdicts in every scenario.
pub fn add_scenarios(views: &mut [ActionView], matrix: &ScenarioMatrix) {
    for view in views {
        let Some(entry) = matrix.action(view.name) else {
            continue;
        };
        let verdicts: Vec<_> = matrix
            .scenarios
            .iter()
            .copied()
            .zip(entry.runs.iter().cloned())
            .collect();
        view.scenarios = verdicts
            .iter()
            .map(|(s, v)| (s.name(), v.truth.word()))
            .collect();
        view.scenario_lines = grouped(&verdicts);
    }
}

/// What Source and Target mean for an action's kind, as field labels.
pub struct FieldLabels {
    pub source: &'static str,
    pub target: &'static str,
    /// Whether code runs, so that return processing means something.
    pub runs_code: bool,
}

impl FieldLabels {
    pub fn of(t: ActionType) -> Self {
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

pub fn ca_what(v: &ActionView) -> String {
    // The summary starts with the what-and-where part.
    v.summary.split(", ").next().unwrap_or_default().to_string()
}

/// What an action's code is, as labelled lines (`code`, `entry`, `imports`,
/// `managed` ...), for the text views: `actions` and `browse`.
pub fn code_fields(code: &crate::code::CodeSummary) -> Vec<(&'static str, String)> {
    let mut out = vec![(
        "code",
        format!("{} ({})", code.kind.describe(), code.origin),
    )];
    if !code.detail.is_empty() {
        out.push(("", code.detail.clone()));
    }
    if let Some(exported) = code.entry_exported {
        out.push((
            "export",
            if exported {
                "the DLL exports the entry point"
            } else {
                "the DLL does NOT export the entry point"
            }
            .into(),
        ));
    }
    if !code.imports.is_empty() {
        out.push(("imports", code.imports.join(", ")));
    }
    if !code.not_on_windows.is_empty() {
        out.push((
            "missing",
            format!("{} (not part of Windows)", code.not_on_windows.join(", ")),
        ));
    }
    if let Some(m) = &code.managed {
        let method = match (&m.assembly, &m.class, &m.method) {
            (Some(a), Some(c), Some(me)) => format!("{a}!{c}.{me}"),
            (Some(a), _, _) => format!("assembly {a}"),
            _ => "entry not found in the stub".into(),
        };
        let runtime = m
            .runtime
            .as_deref()
            .map(|r| format!(", .NET runtime {r}"))
            .unwrap_or_default();
        out.push(("managed", format!("{method}{runtime}")));
    }
    out
}
