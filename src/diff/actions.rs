//! Custom actions compared in installer terms: what the Type change means,
//! where the action moved in each sequence (and whether it crossed the
//! script window, CostFinalize or its rollback sibling), how its condition
//! changed in meaning, and whether its CustomActionData is still set.

use std::collections::{BTreeMap, BTreeSet};

use serde::Serialize;

use super::tables::{StreamChange, TableDiff};
use crate::analysis::scenarios::{self, Scenario};
use crate::analysis::{self, SiblingKind};
use crate::condition::{self, Expr, RefKind, Truth, Verdict};
use crate::model::action_type::{ActionType, ReturnProcessing, SourceKind, TypeFlags};
use crate::model::{CustomAction, Package, Sequence, SequenceKind, SequenceRow, WindowPosition};

/// Whether an action (or a sequence row) was added, removed or changed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum ChangeKind {
    Added,
    Removed,
    Changed,
}

impl ChangeKind {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Added => "added",
            Self::Removed => "removed",
            Self::Changed => "changed",
        }
    }
}

/// One custom action that differs.
#[derive(Debug, Clone, Serialize)]
pub struct ActionChange {
    pub name: String,
    pub change: ChangeKind,
    /// The Type on each side (null where the action does not exist).
    pub old_type: Option<i32>,
    pub new_type: Option<i32>,
    /// The decoded Type of the side that has the action (the new side
    /// when both do).
    pub summary: String,
    /// What the Type change means, aspect by aspect.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub type_changes: Vec<String>,
    /// The Type bits (or bit fields) the new side sets that the old does
    /// not, by constant name and value, e.g. `msidbCustomActionTypeNoImpersonate (0x0800)`.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub bits_set: Vec<String>,
    /// The Type bits (or bit fields) the old side set that the new does not.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub bits_cleared: Vec<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub source: Option<ValueChange>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub target: Option<ValueChange>,
    /// Scheduling changes, per sequence table.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub scheduling: Vec<ScheduleChange>,
    /// CustomActionData wiring that appeared or broke, in words.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub custom_action_data: Vec<String>,
    /// Rollback and commit siblings gained or lost, in words.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub siblings: Vec<String>,
    /// Scenarios in which it now runs or no longer runs, in words
    /// ("now also runs on uninstall", "no longer runs on repair").
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub scenarios: Vec<String>,
    /// The code the action runs changed while its row did not: the Binary
    /// stream or the installed file its Source names.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub code: Option<String>,
}

/// A column value on each side.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ValueChange {
    pub old: Option<String>,
    pub new: Option<String>,
}

/// How an action's row in one sequence table changed.
#[derive(Debug, Clone, Serialize)]
pub struct ScheduleChange {
    pub table: String,
    /// `added`: newly scheduled in this table; `removed`: no longer;
    /// `changed`: moved, or its condition changed, or a sibling moved
    /// around it.
    pub change: ChangeKind,
    /// The position on each side: the sequence number, or `after X` /
    /// `before X` in a merge module.
    pub old_position: Option<String>,
    pub new_position: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub condition: Option<ConditionChange>,
    /// What the move means: the script window, CostFinalize, siblings.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub notes: Vec<String>,
}

/// A condition on each side, compared by meaning.
#[derive(Debug, Clone, Serialize)]
pub struct ConditionChange {
    pub old: Option<String>,
    pub new: Option<String>,
    /// `equivalent`: rewritten with the same meaning; `changed`: some
    /// installer state gives different results; `unknown`: one side does
    /// not parse, or has too many atoms to compare; `new`: the condition of
    /// a row newly scheduled.
    pub verdict: &'static str,
    /// The atoms (properties, comparisons) whose effect changed.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub deciding: Vec<String>,
    /// The properties, environment variables, components and features those atoms read.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub properties: Vec<String>,
    /// A condition describing states in which only the old condition holds
    /// (`always` when every state does).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub only_old: Option<String>,
    /// The same for the new condition.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub only_new: Option<String>,
    /// The verdict in one sentence.
    pub words: String,
}

/// Every custom action that was added, removed or changed: added first,
/// then removed, then changed, each by name.
/// `streams` and `tables` are the differences already found, to tell
/// when the code an action runs changed.
pub fn compare(
    old: &Package,
    new: &Package,
    streams: &[StreamChange],
    tables: &[TableDiff],
) -> Vec<ActionChange> {
    let mut cx = Context::new(old, new);
    cx.streams = streams;
    cx.tables = tables;
    let names: BTreeSet<&str> = old
        .custom_actions
        .iter()
        .chain(&new.custom_actions)
        .map(|ca| ca.name.as_str())
        .collect();
    let mut out: Vec<ActionChange> = names
        .into_iter()
        .filter_map(
            // A side whose CustomAction rows cannot all be read proves no
            // absence: the tables section says the table is unreadable.
            |name| match (old.custom_action(name), new.custom_action(name)) {
                (None, Some(_)) if old.has_unreadable_rows("CustomAction") => None,
                (Some(_), None) if new.has_unreadable_rows("CustomAction") => None,
                (None, Some(b)) => Some(cx.added(b)),
                (Some(a), None) => Some(cx.removed(a)),
                (Some(a), Some(b)) => cx.changed(a, b),
                (None, None) => None,
            },
        )
        .collect();
    out.sort_by(|a, b| (a.change, &a.name).cmp(&(b.change, &b.name)));
    out
}

/// Both packages with what the comparison looks up more than once.
struct Context<'a> {
    old: &'a Package,
    new: &'a Package,
    streams: &'a [StreamChange],
    tables: &'a [TableDiff],
    old_siblings: Vec<analysis::Sibling>,
    new_siblings: Vec<analysis::Sibling>,
    old_runs: Runs,
    new_runs: Runs,
}

/// Each scheduled custom action's verdict in every scenario.
type Runs = BTreeMap<String, BTreeMap<Scenario, Verdict>>;

fn runs(pkg: &Package) -> Runs {
    let conditions = analysis::condition_sites(pkg);
    let matrix = scenarios::matrix(pkg, &conditions);
    matrix
        .actions
        .iter()
        .map(|a| {
            let verdicts = matrix.scenarios.iter().copied().zip(a.runs.iter().cloned());
            (a.action.name.clone(), verdicts.collect())
        })
        .collect()
}

impl<'a> Context<'a> {
    fn new(old: &'a Package, new: &'a Package) -> Self {
        Self {
            old,
            new,
            streams: &[],
            tables: &[],
            old_siblings: analysis::siblings(old).pairs,
            new_siblings: analysis::siblings(new).pairs,
            old_runs: runs(old),
            new_runs: runs(new),
        }
    }

    fn blank(name: &str, change: ChangeKind, ty: ActionType) -> ActionChange {
        ActionChange {
            name: name.to_owned(),
            change,
            old_type: None,
            new_type: None,
            summary: ty.summary(),
            type_changes: Vec::new(),
            bits_set: Vec::new(),
            bits_cleared: Vec::new(),
            source: None,
            target: None,
            scheduling: Vec::new(),
            custom_action_data: Vec::new(),
            siblings: Vec::new(),
            scenarios: Vec::new(),
            code: None,
        }
    }

    fn added(&self, ca: &CustomAction) -> ActionChange {
        let mut change = Self::blank(&ca.name, ChangeKind::Added, ca.action_type);
        change.new_type = Some(ca.action_type.raw);
        change.source = Some(ValueChange {
            old: None,
            new: ca.source.clone(),
        });
        change.target = Some(ValueChange {
            old: None,
            new: ca.target.clone(),
        });
        for (seq, row) in self.new.schedules(&ca.name) {
            change.scheduling.push(ScheduleChange {
                table: seq.kind.table_name().to_owned(),
                change: ChangeKind::Added,
                old_position: None,
                new_position: Some(row.position_label()),
                condition: new_condition(row),
                notes: vec![window_words(seq.window_position(row)).to_owned()],
            });
        }
        change.custom_action_data = wiring_change(
            Wiring::None,
            wiring(self.new, &ca.name),
            ca.action_type.in_script(),
        );
        change.siblings = self
            .new_siblings
            .iter()
            .filter(|s| s.deferred == ca.name)
            .map(|s| format!("paired with {} {}", sibling_role(s.kind), s.sibling))
            .collect();
        change
    }

    fn removed(&self, ca: &CustomAction) -> ActionChange {
        let mut change = Self::blank(&ca.name, ChangeKind::Removed, ca.action_type);
        change.old_type = Some(ca.action_type.raw);
        for (seq, row) in self.old.schedules(&ca.name) {
            change.scheduling.push(ScheduleChange {
                table: seq.kind.table_name().to_owned(),
                change: ChangeKind::Removed,
                old_position: Some(row.position_label()),
                new_position: None,
                condition: None,
                notes: Vec::new(),
            });
        }
        change
    }

    fn changed(&self, a: &CustomAction, b: &CustomAction) -> Option<ActionChange> {
        let mut change = Self::blank(&b.name, ChangeKind::Changed, b.action_type);
        change.old_type = Some(a.action_type.raw);
        change.new_type = Some(b.action_type.raw);
        if a.action_type != b.action_type {
            change.type_changes = type_changes(a.action_type, b.action_type);
            (change.bits_set, change.bits_cleared) = bit_changes(a.action_type, b.action_type);
        }
        let value = |x: &Option<String>, y: &Option<String>| {
            (x.as_deref().unwrap_or("") != y.as_deref().unwrap_or("")).then(|| ValueChange {
                old: x.clone(),
                new: y.clone(),
            })
        };
        change.source = value(&a.source, &b.source);
        change.target = value(&a.target, &b.target);
        change.scheduling = self.schedule_changes(&a.name);
        change.custom_action_data = wiring_change(
            wiring(self.old, &a.name),
            wiring(self.new, &b.name),
            a.action_type.in_script() || b.action_type.in_script(),
        );
        change.siblings = self.sibling_changes(&a.name);
        change.scenarios = self.scenario_changes(&a.name);
        if change.source.is_none() {
            change.code = self.code_change(b);
        }
        let same = a.action_type == b.action_type
            && change.code.is_none()
            && change.source.is_none()
            && change.target.is_none()
            && change.scheduling.is_empty()
            && change.custom_action_data.is_empty()
            && change.siblings.is_empty()
            && change.scenarios.is_empty();
        (!same).then_some(change)
    }

    /// Scenarios whose verdict changed, among those both sides evaluate
    /// (`upgrade` only applies with an Upgrade row that removes).
    fn scenario_changes(&self, name: &str) -> Vec<String> {
        // An action scheduled on one side only: the scheduling changes say it.
        let (Some(old), Some(new)) = (self.old_runs.get(name), self.new_runs.get(name)) else {
            return Vec::new();
        };
        let mut out = Vec::new();
        for scenario in Scenario::ALL {
            let (Some(a), Some(b)) = (old.get(&scenario), new.get(&scenario)) else {
                continue;
            };
            let name = scenario.name();
            let depends = |v: &Verdict| {
                if v.depends_on.is_empty() {
                    String::new()
                } else {
                    format!(" (depending on {})", v.depends_on.join(", "))
                }
            };
            let words = match (a.truth, b.truth) {
                (x, y) if x == y => continue,
                (Truth::No, Truth::Yes) => format!("now also runs on {name}"),
                (Truth::No, Truth::Maybe) => format!("now may run on {name}{}", depends(b)),
                (_, Truth::No) => format!("no longer runs on {name}"),
                (Truth::Maybe, Truth::Yes) => format!("now always runs on {name}"),
                (Truth::Yes, Truth::Maybe) => {
                    format!("no longer always runs on {name}{}", depends(b))
                }
                _ => continue,
            };
            out.push(words);
        }
        out
    }

    /// The Binary stream or File row the action's code comes from, when it
    /// changed.
    fn code_change(&self, ca: &CustomAction) -> Option<String> {
        let source = ca.source.as_deref()?;
        match ca.action_type.source() {
            SourceKind::Binary if ca.action_type.runs_code() => {
                let name = format!("Binary.{source}");
                let s = self.streams.iter().find(|s| s.name == name)?;
                let bytes = |n: Option<u64>| n.map_or_else(|| "-".into(), |n| n.to_string());
                Some(if s.old_size == s.new_size {
                    format!(
                        "its code changed: stream {name} has new content ({} bytes, same size)",
                        bytes(s.new_size)
                    )
                } else {
                    format!(
                        "its code changed: stream {name} {} → {} bytes",
                        bytes(s.old_size),
                        bytes(s.new_size)
                    )
                })
            }
            SourceKind::File if ca.action_type.runs_code() => {
                let table = self.tables.iter().find(|t| t.name == "File")?;
                let row = table.changed.iter().find(|r| r.key == [source])?;
                let cells: Vec<String> = row
                    .cells
                    .iter()
                    .map(|c| {
                        format!(
                            "{} {} → {}",
                            c.column,
                            c.old.as_deref().unwrap_or(""),
                            c.new.as_deref().unwrap_or("")
                        )
                    })
                    .collect();
                Some(format!("its file {source} changed: {}", cells.join(", ")))
            }
            _ => None,
        }
    }

    /// Rollback and commit partners the action gained or lost.
    fn sibling_changes(&self, name: &str) -> Vec<String> {
        let partners = |list: &[analysis::Sibling]| -> BTreeSet<(String, &'static str)> {
            list.iter()
                .filter_map(|s| {
                    if s.deferred == name {
                        Some((s.sibling.clone(), sibling_role(s.kind)))
                    } else if s.sibling == name {
                        Some((s.deferred.clone(), "the deferred action it belongs to:"))
                    } else {
                        None
                    }
                })
                .collect()
        };
        let (before, after) = (partners(&self.old_siblings), partners(&self.new_siblings));
        let mut out: Vec<String> = before
            .difference(&after)
            .map(|(n, role)| format!("no longer paired with {role} {n}"))
            .collect();
        out.extend(
            after
                .difference(&before)
                .map(|(n, role)| format!("now paired with {role} {n}")),
        );
        out
    }

    /// Per sequence table: rows added, removed, moved, conditions changed,
    /// and siblings that moved around the action.
    fn schedule_changes(&self, name: &str) -> Vec<ScheduleChange> {
        let mut out = Vec::new();
        for kind in SequenceKind::ALL {
            let table = kind.table_name();
            if self.old.has_unreadable_rows(table) || self.new.has_unreadable_rows(table) {
                continue;
            }
            let row_of = |seq: Option<&'a Sequence>| seq.and_then(|s| Some((s, s.row(name)?)));
            let table = kind.table_name().to_owned();
            match (
                row_of(self.old.sequence(kind)),
                row_of(self.new.sequence(kind)),
            ) {
                (None, None) => {}
                (None, Some((seq, row))) => {
                    out.push(ScheduleChange {
                        table,
                        change: ChangeKind::Added,
                        old_position: None,
                        new_position: Some(row.position_label()),
                        condition: new_condition(row),
                        notes: vec![window_words(seq.window_position(row)).to_owned()],
                    });
                }
                (Some((_, row)), None) => out.push(ScheduleChange {
                    table,
                    change: ChangeKind::Removed,
                    old_position: Some(row.position_label()),
                    new_position: None,
                    condition: None,
                    notes: Vec::new(),
                }),
                (Some((sa, ra)), Some((sb, rb))) => {
                    let moved = ra.position_label() != rb.position_label();
                    let mut notes = Vec::new();
                    // The landmarks may move while the row stays: the notes
                    // are checked either way.
                    notes.extend(move_notes(sa, ra, sb, rb, moved));
                    notes.extend(self.sibling_moves(name, sa, ra, sb, rb));
                    let condition =
                        condition_change(ra.condition.as_deref(), rb.condition.as_deref());
                    if moved || condition.is_some() || !notes.is_empty() {
                        out.push(ScheduleChange {
                            table,
                            change: ChangeKind::Changed,
                            old_position: Some(ra.position_label()),
                            new_position: Some(rb.position_label()),
                            condition,
                            notes,
                        });
                    }
                }
            }
        }
        out
    }

    /// Siblings the action now runs on the other side of.
    fn sibling_moves(
        &self,
        name: &str,
        sa: &Sequence,
        ra: &SequenceRow,
        sb: &Sequence,
        rb: &SequenceRow,
    ) -> Vec<String> {
        let mut partners: BTreeSet<(String, &'static str)> = BTreeSet::new();
        for s in self.old_siblings.iter().chain(&self.new_siblings) {
            if s.deferred == name {
                partners.insert((s.sibling.clone(), sibling_role(s.kind)));
            } else if s.sibling == name {
                partners.insert((s.deferred.clone(), "the deferred action it belongs to,"));
            }
        }
        let mut out = Vec::new();
        for (partner, role) in partners {
            let (Some(before), Some(after)) =
                (relation(sa, ra, &partner), relation(sb, rb, &partner))
            else {
                continue;
            };
            if before != after {
                out.push(format!(
                    "now runs {} {role} {partner} (was {})",
                    order_word(after),
                    order_word(before)
                ));
            }
        }
        out
    }
}

fn sibling_role(kind: SiblingKind) -> &'static str {
    match kind {
        SiblingKind::Rollback => "its rollback action",
        SiblingKind::Commit => "its commit action",
    }
}

/// Whether `row` runs before (`Less`) or after (`Greater`) `landmark` in
/// `seq`; `None` when either does not run or they share a position.
fn relation(seq: &Sequence, row: &SequenceRow, landmark: &str) -> Option<std::cmp::Ordering> {
    let mine = row.order?;
    let theirs = seq.order_of(landmark)?;
    (mine != theirs).then(|| mine.cmp(&theirs))
}

fn order_word(o: std::cmp::Ordering) -> &'static str {
    if o == std::cmp::Ordering::Less {
        "before"
    } else {
        "after"
    }
}

/// Where a row runs relative to the script window, in words.
fn window_words(position: WindowPosition) -> &'static str {
    match position {
        WindowPosition::Inside => "inside the script window",
        WindowPosition::Before => "before InstallInitialize, outside the script window",
        WindowPosition::After => "after InstallFinalize, outside the script window",
        WindowPosition::NoWindow => "in a sequence without a script window",
        WindowPosition::NotRun => {
            "never runs in the normal flow (sequence 0, negative or unplaced)"
        }
    }
}

/// What a move (of the row, or of the landmarks around it) means: the
/// script window and CostFinalize crossed, or a renumbering.
fn move_notes(
    sa: &Sequence,
    ra: &SequenceRow,
    sb: &Sequence,
    rb: &SequenceRow,
    moved: bool,
) -> Vec<String> {
    let mut notes = Vec::new();
    if moved && neighbours(sa, ra, sb).is_some() && neighbours(sa, ra, sb) == neighbours(sb, rb, sa)
    {
        notes.push("renumbered, same place in run order".to_owned());
    }
    let (wa, wb) = (sa.window_position(ra), sb.window_position(rb));
    if wa != wb {
        notes.push(format!(
            "now {} (was {})",
            window_words(wb),
            window_words(wa)
        ));
    }
    if let (Some(before), Some(after)) = (
        relation(sa, ra, "CostFinalize"),
        relation(sb, rb, "CostFinalize"),
    ) {
        if before != after {
            let why = if after == std::cmp::Ordering::Less {
                ": directories and component and feature states are not resolved yet"
            } else {
                ""
            };
            notes.push(format!(
                "now runs {} CostFinalize (was {}){why}",
                order_word(after),
                order_word(before)
            ));
        }
    }
    notes
}

/// The condition of a row newly scheduled (verdict `new`).
fn new_condition(row: &SequenceRow) -> Option<ConditionChange> {
    row.has_condition().then(|| ConditionChange {
        old: None,
        new: row.condition.clone(),
        verdict: "new",
        deciding: Vec::new(),
        properties: Vec::new(),
        only_old: None,
        only_new: None,
        words: format!(
            "runs when {}",
            row.condition.as_deref().unwrap_or_default().trim()
        ),
    })
}

/// The actions just before and after `row` in `seq`, among those that
/// `other` also schedules; `None` when the row does not run.
fn neighbours<'s>(
    seq: &'s Sequence,
    row: &SequenceRow,
    other: &Sequence,
) -> Option<(Option<&'s str>, Option<&'s str>)> {
    let order = row.order?;
    let shared = |r: &&SequenceRow| r.order.is_some() && other.row(&r.action).is_some();
    let before = seq
        .rows
        .iter()
        .rev()
        .filter(shared)
        .find(|r| r.order < Some(order))
        .map(|r| r.action.as_str());
    let after = seq
        .rows
        .iter()
        .filter(shared)
        .find(|r| r.order > Some(order))
        .map(|r| r.action.as_str());
    Some((before, after))
}

/// Two conditions compared by meaning; `None` when the text is the same.
fn condition_change(old: Option<&str>, new: Option<&str>) -> Option<ConditionChange> {
    let (a, b) = (old.unwrap_or("").trim(), new.unwrap_or("").trim());
    if a == b {
        return None;
    }
    let mut change = ConditionChange {
        old: old.map(str::to_owned),
        new: new.map(str::to_owned),
        verdict: "unknown",
        deciding: Vec::new(),
        properties: Vec::new(),
        only_old: None,
        only_new: None,
        words: String::new(),
    };
    let (pa, pb) = match (condition::parse(a), condition::parse(b)) {
        (Ok(pa), Ok(pb)) => (pa, pb),
        (Err(_), _) => {
            change.words = "condition changed (the old condition does not parse)".into();
            return Some(change);
        }
        (_, Err(_)) => {
            change.words = "condition changed (the new condition does not parse)".into();
            return Some(change);
        }
    };
    let Some(d) = condition::difference(&pa, &pb) else {
        change.verdict = "equivalent";
        change.words = "condition rewritten, equivalent".into();
        return Some(change);
    };
    if !d.exhaustive {
        change.words = "condition changed (too many terms to compare by meaning)".into();
        return Some(change);
    }
    change.verdict = "changed";
    change.deciding = d.deciding.iter().map(ToString::to_string).collect();
    let mut names = Vec::new();
    for atom in &d.deciding {
        if let Ok(parsed) = condition::parse(&atom.to_string()) {
            for r in parsed.references() {
                let prefix = match r.kind {
                    RefKind::Property => "",
                    RefKind::Env => "%",
                    RefKind::ComponentAction => "$",
                    RefKind::ComponentInstalled => "?",
                    RefKind::FeatureAction => "&",
                    RefKind::FeatureInstalled => "!",
                };
                let name = format!("{prefix}{}", r.name);
                if !names.contains(&name) {
                    names.push(name);
                }
            }
        }
    }
    change.properties = names;
    change.only_old = d.only_first.as_deref().map(cube_text);
    change.only_new = d.only_second.as_deref().map(cube_text);
    let mut words = if change.properties.is_empty() {
        "condition changed in meaning".to_owned()
    } else {
        format!(
            "condition changed in meaning: the effect of {} changed",
            change.properties.join(", ")
        )
    };
    if let Some(state) = &change.only_old {
        words.push_str(&format!("; only the old one holds when {state}"));
    }
    if let Some(state) = &change.only_new {
        words.push_str(&format!("; only the new one holds when {state}"));
    }
    change.words = words;
    Some(change)
}

/// A set of atom values as condition text (`NOT Installed AND PATCH`).
fn cube_text(cube: &[(Expr, bool)]) -> String {
    cube.iter()
        .map(|(atom, value)| {
            if *value {
                atom.clone()
            } else {
                Expr::Not(Box::new(atom.clone()))
            }
        })
        .reduce(|acc, e| Expr::And(Box::new(acc), Box::new(e)))
        .map_or_else(|| "always".to_owned(), |e| e.to_string())
}

/// What a Type change means, aspect by aspect.
fn type_changes(a: ActionType, b: ActionType) -> Vec<String> {
    let mut out = Vec::new();
    if a.what_and_where() != b.what_and_where() {
        out.push(format!(
            "now {} (was {})",
            b.what_and_where(),
            a.what_and_where()
        ));
    }
    if a.execution() != b.execution() {
        out.push(format!(
            "now {} (was {})",
            b.execution_short(),
            a.execution_short()
        ));
    }
    // Who the action runs as changes only between the installing user and
    // LocalSystem (an in-script action without impersonation); the TS-aware
    // bit only matters in-script too.
    let system = |t: ActionType| t.in_script() && t.no_impersonate();
    let ts_aware = |t: ActionType| t.flags().contains(TypeFlags::TS_AWARE);
    let ts_changed = a.in_script() && b.in_script() && ts_aware(a) != ts_aware(b);
    if system(a) != system(b) || ts_changed {
        out.push(format!("now runs as {} (was {})", b.context(), a.context()));
    }
    if a.return_processing() != b.return_processing() {
        let now = match b.return_processing() {
            ReturnProcessing::Check => "return code now checked".to_owned(),
            ReturnProcessing::Ignore => "return code now ignored".to_owned(),
            _ => format!("now {}", b.return_words()),
        };
        out.push(format!("{now} (was: {})", a.return_words()));
    }
    let flag = |f: TypeFlags, t: ActionType| t.flags().contains(f);
    match (a.hide_target(), b.hide_target()) {
        (true, false) => {
            out.push("hide-target removed: Target and CustomActionData now reach the log".into())
        }
        (false, true) => out
            .push("hide-target added: Target and CustomActionData are kept out of the log".into()),
        _ => {}
    }
    if flag(TypeFlags::X64_SCRIPT, a) != flag(TypeFlags::X64_SCRIPT, b) {
        out.push(if flag(TypeFlags::X64_SCRIPT, b) {
            "64-bit script bit set".into()
        } else {
            "64-bit script bit cleared".into()
        });
    }
    // No-impersonate and TS-aware matter only in-script, where the context
    // above says it; elsewhere the bit changed without effect.
    for (f, what) in [
        (TypeFlags::NO_IMPERSONATE, "no-impersonate"),
        (TypeFlags::TS_AWARE, "TS-aware"),
    ] {
        if flag(f, a) != flag(f, b) && !a.in_script() && !b.in_script() {
            out.push(format!(
                "{what} bit {} (no effect: the action is not in-script)",
                if flag(f, b) { "set" } else { "cleared" }
            ));
        }
    }
    if a.patch_uninstall() != b.patch_uninstall() {
        out.push(if b.patch_uninstall() {
            "now runs only on patch uninstall".into()
        } else {
            "no longer limited to patch uninstall".into()
        });
    }
    if out.is_empty() && a.raw != b.raw {
        out.push(format!("Type value changed ({} to {})", a.raw, b.raw));
    }
    out
}

/// The Type fields each side has that the other lacks, by constant name.
fn bit_changes(a: ActionType, b: ActionType) -> (Vec<String>, Vec<String>) {
    let fields = |t: ActionType| -> Vec<String> {
        t.bit_breakdown()
            .into_iter()
            .map(|(value, name, _)| format!("{name} (0x{value:04X})"))
            .collect()
    };
    let (fa, fb) = (fields(a), fields(b));
    let set = fb.iter().filter(|f| !fa.contains(f)).cloned().collect();
    let cleared = fa.iter().filter(|f| !fb.contains(f)).cloned().collect();
    (set, cleared)
}

/// How a deferred action's CustomActionData is set.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Wiring {
    /// No set-property action writes it.
    None,
    /// Set by these actions, scheduled before it (or it is not sequenced).
    Set(Vec<String>),
    /// Setters exist, but none runs before it in an execute sequence.
    Late(Vec<String>),
}

fn wiring(pkg: &Package, name: &str) -> Wiring {
    let setters: Vec<&str> = pkg.setters_of(name).map(|s| s.name.as_str()).collect();
    if setters.is_empty() {
        return Wiring::None;
    }
    let owned = || setters.iter().map(|s| (*s).to_owned()).collect();
    let places: Vec<&Sequence> = pkg
        .sequences
        .iter()
        .filter(|s| s.kind.is_execute() && s.row(name).is_some_and(|r| r.order.is_some()))
        .collect();
    if places.is_empty() {
        return Wiring::Set(owned());
    }
    let before = |seq: &Sequence, setter: &str| match (seq.order_of(setter), seq.order_of(name)) {
        (Some(s), Some(a)) => s < a,
        _ => false,
    };
    let early: Vec<String> = setters
        .iter()
        .filter(|s| places.iter().any(|seq| before(seq, s)))
        .map(|s| (*s).to_owned())
        .collect();
    if early.is_empty() {
        Wiring::Late(owned())
    } else {
        Wiring::Set(early)
    }
}

fn wiring_change(old: Wiring, new: Wiring, in_script: bool) -> Vec<String> {
    if !in_script || old == new {
        return Vec::new();
    }
    let list = |v: &[String]| v.join(", ");
    let words = match (&old, &new) {
        (Wiring::None, Wiring::Set(b)) => format!("CustomActionData now set by {}", list(b)),
        (Wiring::None, Wiring::Late(b)) => format!(
            "CustomActionData setter {} added, but it runs after the action: the data never arrives",
            list(b)
        ),
        (Wiring::Set(a), Wiring::None) => format!(
            "CustomActionData wiring broke: no action sets it any more (was set by {})",
            list(a)
        ),
        (Wiring::Set(_), Wiring::Late(b)) => format!(
            "CustomActionData wiring broke: {} now runs after the action",
            list(b)
        ),
        (Wiring::Late(_), Wiring::Set(b)) => format!(
            "CustomActionData wiring fixed: {} now runs before the action",
            list(b)
        ),
        (Wiring::Late(a), Wiring::None) => format!(
            "CustomActionData setter {} removed (it ran after the action)",
            list(a)
        ),
        (Wiring::Set(a), Wiring::Set(b)) => {
            format!("CustomActionData now set by {} (was {})", list(b), list(a))
        }
        (Wiring::Late(a), Wiring::Late(b)) => format!(
            "CustomActionData setters now {} (was {}), still after the action",
            list(b),
            list(a)
        ),
        (Wiring::None, Wiring::None) => return Vec::new(),
    };
    vec![words]
}
