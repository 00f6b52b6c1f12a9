//! Property flow between the sequences: which properties the user
//! interface sets (a set-property action of InstallUISequence or of a
//! dialog's DoAction, a control the user fills in, a `[NAME]` control
//! event) and where InstallExecuteSequence reads them (a row's condition, a
//! formatted Target of an action it runs).
//!
//! Only public properties set on the client reach the execute sequence, and
//! when the install elevates only those in `SecureCustomProperties` or
//! Windows' own list of restricted public properties
//! (<https://learn.microsoft.com/windows/win32/msi/securecustomproperties>,
//! <https://learn.microsoft.com/windows/win32/msi/restricted-public-properties>).

use std::collections::BTreeMap;

use super::Conditions;
use crate::condition::RefKind;
use crate::model::action_type::BaseKind;
use crate::model::{Package, SequenceKind};

/// Public properties Windows passes to the elevated install without
/// `SecureCustomProperties` (the default restricted public properties).
pub const PASSED_ANYWAY: &[&str] = &[
    "ACTION",
    "AFTERREBOOT",
    "ALLUSERS",
    "EXECUTEACTION",
    "EXECUTEMODE",
    "FILEADDDEFAULT",
    "FILEADDLOCAL",
    "FILEADDSOURCE",
    "INSTALLLEVEL",
    "LIMITUI",
    "LOGACTION",
    "NOCOMPANYNAME",
    "NOUSERNAME",
    "MSIENFORCEUPGRADECOMPONENTRULES",
    "MSIINSTANCEGUID",
    "MSINEWINSTANCE",
    "MSIPATCHREMOVE",
    "PATCH",
    "PRIMARYFOLDER",
    "PROMPTROLLBACKCOST",
    "REBOOT",
    "REINSTALL",
    "REINSTALLMODE",
    "RESUME",
    "SEQUENCE",
    "SHORTFILENAMES",
    "TRANSFORMS",
    "TRANSFORMSATSOURCE",
];

/// How the user interface sets a property.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum UiSetter<'a> {
    /// A set-property (type 51) action in InstallUISequence.
    Action(&'a str),
    /// A set-property action that a dialog's DoAction event calls.
    DialogAction { action: &'a str, dialog: &'a str },
    /// A control the user fills in.
    Control { dialog: &'a str, control: &'a str },
    /// A `[NAME]` event of a control.
    Event { dialog: &'a str, control: &'a str },
}

impl std::fmt::Display for UiSetter<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Action(a) => write!(f, "`{a}` in InstallUISequence"),
            Self::DialogAction { action, dialog } => {
                write!(f, "`{action}`, called by dialog {dialog}")
            }
            Self::Control { dialog, control } => write!(f, "control {dialog}/{control}"),
            Self::Event { dialog, control } => write!(f, "an event of control {dialog}/{control}"),
        }
    }
}

/// Where InstallExecuteSequence reads a property.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ExecuteRead<'a> {
    /// The condition of this action's row.
    Condition(&'a str),
    /// The formatted Target of this action.
    Target(&'a str),
}

impl ExecuteRead<'_> {
    pub fn action(&self) -> &str {
        match self {
            Self::Condition(a) | Self::Target(a) => a,
        }
    }
}

impl std::fmt::Display for ExecuteRead<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Condition(a) => write!(f, "the condition of `{a}`"),
            Self::Target(a) => write!(f, "the Target of `{a}`"),
        }
    }
}

/// A property the UI sets and the execute sequence reads.
#[derive(Debug, Clone)]
pub struct UiProperty<'a> {
    pub name: &'a str,
    pub setters: Vec<UiSetter<'a>>,
    pub reads: Vec<ExecuteRead<'a>>,
    /// Also set where the UI does not run: a set-property action of the
    /// execute sequence, AppSearch, or FindRelatedProducts (an Upgrade row).
    pub set_in_execute: bool,
    /// Its Property-table value.
    pub default: Option<&'a str>,
    /// A Directory key: costing resolves it in every install.
    pub directory: bool,
}

impl UiProperty<'_> {
    /// Upper case letters, digits, `_` and `.` only: passed from the client
    /// to the execute sequence.
    pub fn is_public(&self) -> bool {
        is_public(self.name)
    }
}

/// Whether a property name is public (no lower-case letter).
pub fn is_public(name: &str) -> bool {
    !name.chars().any(|c| c.is_lowercase())
}

/// The names listed in `SecureCustomProperties`.
pub fn secure_properties(pkg: &Package) -> Vec<&str> {
    pkg.property("SecureCustomProperties")
        .unwrap_or_default()
        .split(';')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .collect()
}

/// Every property the UI sets that the execute sequence reads, by name.
pub fn ui_properties<'a>(pkg: &'a Package, conditions: &Conditions<'a>) -> Vec<UiProperty<'a>> {
    let mut setters: BTreeMap<&str, Vec<UiSetter>> = BTreeMap::new();
    let mut in_execute: std::collections::BTreeSet<&str> = pkg
        .searched_properties
        .iter()
        .map(String::as_str)
        .chain(pkg.upgrades.iter().map(|u| u.action_property.as_str()))
        .collect();
    let set_property = |name: &str| {
        pkg.custom_action(name)
            .filter(|ca| ca.action_type.kind() == BaseKind::SetProperty)
            .and_then(|ca| ca.source.as_deref())
    };
    let tables = |kind: SequenceKind| {
        pkg.sequences
            .iter()
            .filter(move |s| s.kind.merged() == kind)
            .flat_map(|s| &s.rows)
    };
    for row in tables(SequenceKind::InstallUISequence) {
        if let Some(property) = set_property(&row.action) {
            setters
                .entry(property)
                .or_default()
                .push(UiSetter::Action(&row.action));
        }
    }
    for event in &pkg.control_events {
        if let Some(action) = event.do_action() {
            if let Some(property) = set_property(action) {
                setters
                    .entry(property)
                    .or_default()
                    .push(UiSetter::DialogAction {
                        action,
                        dialog: &event.dialog,
                    });
            }
        } else if let Some(property) = event
            .event
            .strip_prefix('[')
            .and_then(|e| e.strip_suffix(']'))
        {
            setters.entry(property).or_default().push(UiSetter::Event {
                dialog: &event.dialog,
                control: &event.control,
            });
        }
    }
    for control in &pkg.control_properties {
        setters
            .entry(&control.property)
            .or_default()
            .push(UiSetter::Control {
                dialog: &control.dialog,
                control: &control.control,
            });
    }
    if setters.is_empty() {
        return Vec::new();
    }
    in_execute.extend(
        tables(SequenceKind::InstallExecuteSequence).filter_map(|row| set_property(&row.action)),
    );
    let mut reads: BTreeMap<&str, Vec<ExecuteRead>> = BTreeMap::new();
    for seq in &pkg.sequences {
        if seq.kind.merged() != SequenceKind::InstallExecuteSequence {
            continue;
        }
        for row in &seq.rows {
            // `SetX` conditioned `NOT X` gives X a value when it has none:
            // it reads X only to keep what the UI chose.
            let sets = set_property(&row.action);
            if let Some(Ok(c)) = conditions.of_row(seq.kind, &row.action) {
                for r in &c.references {
                    if r.kind == RefKind::Property && sets != Some(r.name.as_str()) {
                        if let Some((name, _)) = setters.get_key_value(r.name.as_str()) {
                            reads
                                .entry(name)
                                .or_default()
                                .push(ExecuteRead::Condition(&row.action));
                        }
                    }
                }
            }
            let target = pkg
                .custom_action(&row.action)
                .and_then(|ca| ca.target.as_deref());
            for name in target
                .into_iter()
                .flat_map(crate::rules::referenced_properties)
            {
                if let Some((name, _)) = setters.get_key_value(name) {
                    let read = ExecuteRead::Target(&row.action);
                    let list = reads.entry(name).or_default();
                    if !list.contains(&read) {
                        list.push(read);
                    }
                }
            }
        }
    }
    reads
        .into_iter()
        .map(|(name, reads)| UiProperty {
            name,
            setters: setters.remove(name).unwrap_or_default(),
            reads,
            set_in_execute: in_execute.contains(name),
            default: pkg.property(name),
            directory: pkg.directories.contains(name),
        })
        .collect()
}
