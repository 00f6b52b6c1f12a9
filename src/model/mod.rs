//! msica's own plain data model of an installer database.
//!
//! The loader turns a package into these owned types once; nothing outside
//! [`load`] sees the `msi` crate. Rules read only this model.

pub mod action_code;
pub mod action_type;
pub mod load;
pub mod sequence;
pub mod standard;

use std::collections::{BTreeMap, BTreeSet};

use foldhash::HashMap;
use std::sync::Arc;

use serde::Serialize;

pub use action_type::ActionType;
pub use sequence::{Sequence, SequenceKind, SequenceRow, WindowPosition};

/// What sort of database a file is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum PackageKind {
    /// An installation package (.msi); also ICE databases (.cub).
    Installer,
    /// A merge module (.msm): an installer database with a ModuleSignature table.
    MergeModule,
    /// A patch (.msp).
    Patch,
    /// A transform (.mst): a difference between two databases, not a database.
    Transform,
}

impl PackageKind {
    pub fn describe(self) -> &'static str {
        match self {
            Self::Installer => "installation package",
            Self::MergeModule => "merge module",
            Self::Patch => "patch",
            Self::Transform => "transform",
        }
    }
}

/// The summary information stream, as far as msica uses it.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Summary {
    pub title: Option<String>,
    pub subject: Option<String>,
    pub author: Option<String>,
    pub comments: Option<String>,
    pub keywords: Vec<String>,
    /// "Creating Application": the tool that produced the database.
    pub creating_application: Option<String>,
    /// The platform part of the Template property (e.g. "x64", "Intel").
    pub platform: Option<String>,
    /// The languages of the Template property, as tags (e.g. "en-US").
    pub languages: Vec<String>,
    /// The package code (Revision Number).
    pub package_code: Option<String>,
    /// Page Count: the minimum installer version times 100.
    pub schema: Option<i32>,
    /// Word Count: source image flags.
    pub word_count: Option<i32>,
    /// The string pool's codepage (0: neutral, read as Windows-1252).
    pub codepage: u32,
    /// The database has no summary information stream.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub missing: bool,
}

/// Where a model row is stored, and where it comes from.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RowInfo {
    /// Position among the table's rows as stored (0-based).
    pub index: usize,
    pub origin: Origin,
    /// A cell this row needs could not be read (a string id beyond the
    /// string pool): findings about the row would be built on lost text.
    pub damaged: bool,
}

/// Whether a row is the base database's or a transform's.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub enum Origin {
    #[default]
    Base,
    /// Added by the named transform.
    Added(Arc<str>),
    /// Changed by the named transform.
    Changed(Arc<str>),
}

impl Origin {
    /// The transform that added or changed the row.
    pub fn transform(&self) -> Option<&str> {
        match self {
            Self::Base => None,
            Self::Added(t) | Self::Changed(t) => Some(t),
        }
    }

    /// `added by site.mst`, `changed by site.mst`; `None` for a base row.
    pub fn describe(&self) -> Option<String> {
        match self {
            Self::Base => None,
            Self::Added(t) => Some(format!("added by {t}")),
            Self::Changed(t) => Some(format!("changed by {t}")),
        }
    }
}

/// One row of the CustomAction table.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CustomAction {
    pub name: String,
    pub action_type: ActionType,
    pub source: Option<String>,
    pub target: Option<String>,
    pub row: RowInfo,
}

/// A File table row, as far as rules need it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FileEntry {
    pub component: String,
}

/// A ControlEvent row.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ControlEvent {
    pub dialog: String,
    pub control: String,
    pub event: String,
    pub argument: String,
    pub condition: Option<String>,
    pub row: RowInfo,
}

impl ControlEvent {
    /// The custom action a DoAction event calls.
    pub fn do_action(&self) -> Option<&str> {
        (self.event == "DoAction").then_some(self.argument.as_str())
    }
}

/// A condition stored outside the sequence tables and ControlEvent:
/// `LaunchCondition.Condition`, `ControlCondition.Condition` and
/// `Condition.Condition`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConditionSite {
    pub table: String,
    /// The row's primary key, joined with `/` when it has several columns.
    pub key: String,
    /// The column holding the condition.
    pub column: String,
    /// The condition text as stored.
    pub text: String,
    /// The row's cells (column, value) as read, for display.
    pub cells: Vec<(String, String)>,
    pub row: RowInfo,
}

/// An Upgrade table row, as far as the scenarios need it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UpgradeEntry {
    /// The property FindRelatedProducts sets to the related products found.
    pub action_property: String,
    /// `msidbUpgradeAttributesOnlyDetect` (2): the products found are not
    /// removed by RemoveExistingProducts.
    pub only_detect: bool,
}

/// A control that a user fills in, and the property it writes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ControlProperty {
    pub dialog: String,
    pub control: String,
    pub property: String,
}

/// A table the analysis needed that could not be read.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TableProblem {
    pub table: String,
    pub message: String,
}

/// A table with cells that name strings the string pool does not hold.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct UnreadableStrings {
    pub table: String,
    pub cells: usize,
    pub rows: usize,
    pub lowest_id: u32,
    pub highest_id: u32,
    /// How many strings the pool holds.
    pub pool: u32,
}

/// Everything msica knows about one database.
#[derive(Debug, Clone)]
pub struct Package {
    pub kind: PackageKind,
    pub summary: Summary,
    /// Names of all tables, sorted.
    pub tables: Vec<String>,
    pub custom_actions: Vec<CustomAction>,
    /// The sequence tables present, in [`SequenceKind`] order.
    pub sequences: Vec<Sequence>,
    pub properties: BTreeMap<String, String>,
    pub binaries: BTreeSet<String>,
    /// Binary rows that a transform or patch added or changed (the code a
    /// custom action calls), by name.
    pub binary_origins: BTreeMap<String, Origin>,
    pub files: BTreeMap<String, FileEntry>,
    pub directories: BTreeSet<String>,
    pub dialogs: BTreeSet<String>,
    pub control_events: Vec<ControlEvent>,
    /// Controls of the Control table that write a property (edit fields,
    /// check boxes, radio button groups, lists, path fields).
    pub control_properties: Vec<ControlProperty>,
    /// Properties that AppSearch sets (the AppSearch table).
    pub searched_properties: BTreeSet<String>,
    pub upgrades: Vec<UpgradeEntry>,
    /// Component key → Attributes.
    pub components: BTreeMap<String, i32>,
    /// Conditions of LaunchCondition, ControlCondition and Condition rows.
    pub conditions: Vec<ConditionSite>,
    /// Actions of an ICE validation database's `_ICESequence` (.cub files).
    pub validation_actions: BTreeSet<String>,
    /// Tables that exist but could not be decoded.
    pub problems: Vec<TableProblem>,
    /// Cells whose string id lies beyond the string pool, per table.
    pub unreadable_strings: Vec<UnreadableStrings>,
    /// Other damage the file has that did not stop msica from reading it
    /// (a stream cut short by the end of the file ...), in words.
    pub damage: Vec<String>,
    /// The transforms applied, in order, with their conflicts.
    pub transforms: Vec<crate::db::AppliedTransform>,
    /// The code each DLL, EXE and script action calls, by action name.
    pub action_code: BTreeMap<String, action_code::ActionCode>,
    /// The patches applied, in order, with the pair each applied.
    pub patches: Vec<crate::db::AppliedPatch>,
    /// Lookups built once by [`Package::build_index`].
    pub(crate) index: PackageIndex,
}

/// Lookups by name, so that rules stay linear in the size of the package.
#[derive(Debug, Clone, Default)]
pub(crate) struct PackageIndex {
    /// Custom action name → position in `custom_actions` (the first wins).
    actions: HashMap<String, usize>,
    /// Property name → set-property (type 51) actions that write it.
    setters: HashMap<String, Vec<usize>>,
}

impl Package {
    /// Builds the name lookups; the loader calls it once the tables are read.
    pub(crate) fn build_index(&mut self) {
        let mut index = PackageIndex::default();
        for (i, ca) in self.custom_actions.iter().enumerate() {
            index.actions.entry(ca.name.clone()).or_insert(i);
            if ca.action_type.kind() == action_type::BaseKind::SetProperty {
                if let Some(property) = &ca.source {
                    index.setters.entry(property.clone()).or_default().push(i);
                }
            }
        }
        self.index = index;
    }

    /// Position in `custom_actions` of the action named `name` (the first
    /// row wins, as a key lookup would).
    pub fn custom_action_index(&self, name: &str) -> Option<usize> {
        self.index.actions.get(name).copied()
    }

    pub fn custom_action(&self, name: &str) -> Option<&CustomAction> {
        self.index
            .actions
            .get(name)
            .map(|&i| &self.custom_actions[i])
    }

    /// The set-property (type 51) actions that write `property`; for a
    /// deferred action's name, the setters of its CustomActionData.
    pub fn setters_of<'a>(&'a self, property: &str) -> impl Iterator<Item = &'a CustomAction> + 'a {
        self.index
            .setters
            .get(property)
            .into_iter()
            .flatten()
            .map(|&i| &self.custom_actions[i])
    }

    /// Whether anything in the package, or the installer itself, can give
    /// `name` a value: a standard property, a Property or Directory row, a
    /// set-property or set-directory action, or a table that sets it at
    /// run time. (Code calling `MsiSetProperty` cannot be seen.)
    pub fn property_may_be_set(&self, name: &str) -> bool {
        standard::is_standard_property(name)
            || self.properties.contains_key(name)
            || self.set_by_tables(name)
            || self.directories.contains(name)
            || self.setters_of(name).next().is_some()
            || self.custom_actions.iter().any(|ca| {
                ca.action_type.kind() == action_type::BaseKind::SetDirectory
                    && ca.source.as_deref() == Some(name)
            })
    }

    pub fn sequence(&self, kind: SequenceKind) -> Option<&Sequence> {
        self.sequences.iter().find(|s| s.kind == kind)
    }

    /// Every place `action` is scheduled: (table, row).
    pub fn schedules<'a>(
        &'a self,
        action: &'a str,
    ) -> impl Iterator<Item = (&'a Sequence, &'a SequenceRow)> + 'a {
        self.sequences
            .iter()
            .filter_map(move |seq| seq.row(action).map(|row| (seq, row)))
    }

    /// Every DoAction control event that calls `action`.
    pub fn do_action_callers<'a>(
        &'a self,
        action: &'a str,
    ) -> impl Iterator<Item = &'a ControlEvent> + 'a {
        self.control_events
            .iter()
            .filter(move |e| e.do_action() == Some(action))
    }

    /// The code `action` calls, when it has code msica looked at.
    /// Whether another table sets `name` at run time: AppSearch, an Upgrade
    /// row's action property, a dialog control that writes it, or a
    /// `[NAME]` control event.
    fn set_by_tables(&self, name: &str) -> bool {
        self.searched_properties.contains(name)
            || self.upgrades.iter().any(|u| u.action_property == name)
            || self.control_properties.iter().any(|c| c.property == name)
            || self
                .control_events
                .iter()
                .any(|e| e.event.strip_prefix('[').and_then(|e| e.strip_suffix(']')) == Some(name))
    }

    /// Every custom action whose code msica read, with that code.
    pub fn actions_with_code(
        &self,
    ) -> impl Iterator<Item = (&CustomAction, &action_code::ActionCode)> {
        self.custom_actions
            .iter()
            .filter_map(|ca| Some((ca, self.code(&ca.name)?)))
    }

    pub fn code(&self, action: &str) -> Option<&action_code::ActionCode> {
        self.action_code.get(action)
    }

    pub fn property(&self, name: &str) -> Option<&str> {
        self.properties.get(name).map(String::as_str)
    }

    /// The patch behind a row a transform added or changed: the applied
    /// transform of that patch (its name is `FILE.msp:PAIR`).
    pub fn patch_transform(&self, origin: &Origin) -> Option<&crate::db::AppliedTransform> {
        let name = origin.transform()?;
        self.transforms
            .iter()
            .find(|t| t.patch.is_some() && t.name == name)
    }

    /// Whether rows of `table` may be missing from the model's lookups
    /// because their key cells cannot be read: a failed lookup in such a
    /// table proves nothing.
    pub fn has_unreadable_rows(&self, table: &str) -> bool {
        self.unreadable_strings.iter().any(|u| u.table == table)
            || self.problems.iter().any(|p| p.table == table)
    }
}
