//! The loader: opens a package (with any transforms applied) through
//! msica's database reader ([`crate::db`]) and builds the analysis model.
//!
//! A table that exists but cannot be decoded becomes a [`TableProblem`],
//! not a failure; cells whose strings are lost are counted and their rows
//! marked, so that rules say nothing built on them. Every read runs under
//! [`catch_unwind`](std::panic::catch_unwind) as a last defence: a panic
//! becomes an error that names the file.

use std::collections::{BTreeMap, BTreeSet};
use std::panic::{self, AssertUnwindSafe};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Once};

use serde::Serialize;

use super::{
    ActionType, ConditionSite, ControlEvent, ControlProperty, CustomAction, FileEntry, Origin,
    Package, PackageKind, RowInfo, Sequence, SequenceKind, SequenceRow, Summary, TableProblem,
    UnreadableStrings, UpgradeEntry,
};
use crate::db::{self, summary as si, Class, Database, Opened, Row, Table, Transform, Value};
use crate::error::LoadError;

/// What to read: a package, the transforms to apply to it, in order, and
/// then the patches, in order.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Input {
    pub path: PathBuf,
    pub transforms: Vec<TransformSpec>,
    pub patches: Vec<PathBuf>,
}

/// A transform to apply: a file, or a substorage of the package (`:NAME`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TransformSpec {
    File(PathBuf),
    Embedded(String),
}

impl TransformSpec {
    /// `:NAME` names an embedded transform, anything else a file.
    pub fn parse(arg: &str) -> Self {
        match arg.strip_prefix(':') {
            Some(name) => Self::Embedded(name.to_owned()),
            None => Self::File(PathBuf::from(arg)),
        }
    }
}

impl Input {
    pub fn file(path: impl Into<PathBuf>) -> Self {
        Self {
            path: path.into(),
            ..Self::default()
        }
    }
}

/// A file opened for a command: a database with its transforms applied, or
/// a transform on its own.
#[derive(Debug)]
pub enum Loaded {
    Database(Database),
    Transform(Transform),
}

/// Opens the input and applies its transforms in order.
pub fn open(input: &Input) -> Result<Loaded, LoadError> {
    guarded(&input.path, || {
        let opened = db::open(&input.path)?;
        let mut db = match opened {
            Opened::Transform(t) if input.transforms.is_empty() && input.patches.is_empty() => {
                return Ok(Loaded::Transform(t))
            }
            Opened::Transform(_) => {
                return Err(LoadError::NotADatabase {
                    path: input.path.clone(),
                    reason: "it is a transform; give the database it applies to first".into(),
                })
            }
            // `fix.msp -t :NAME`: one of the patch's transforms, on its own.
            Opened::Database(db) if db.class == Class::Patch && !input.transforms.is_empty() => {
                return match (&input.transforms[..], input.patches.is_empty()) {
                    ([TransformSpec::Embedded(name)], true) => {
                        drop(db);
                        db::Patch::open(&input.path)?
                            .transform(name)
                            .map(Loaded::Transform)
                    }
                    _ => Err(LoadError::NotADatabase {
                        path: input.path.clone(),
                        reason: "it is a patch: `-t :NAME` (once) shows one of its transforms; to apply it, give the database first: `BASE.msi -p FILE.msp`".into(),
                    }),
                };
            }
            Opened::Database(db) if db.class == Class::Patch && !input.patches.is_empty() => {
                return Err(LoadError::NotADatabase {
                    path: input.path.clone(),
                    reason: "it is a patch; give the database it applies to first: `BASE.msi -p FILE.msp`".into(),
                })
            }
            Opened::Database(db) => db,
        };
        apply_transforms(&mut db, &input.transforms)?;
        apply_patches(&mut db, &input.patches)?;
        Ok(Loaded::Database(db))
    })
}

/// Applies transforms to an opened database, in order.
pub fn apply_transforms(db: &mut Database, specs: &[TransformSpec]) -> Result<(), LoadError> {
    for spec in specs {
        let transform = match spec {
            TransformSpec::File(path) => guarded(path, || Transform::open(path))?,
            TransformSpec::Embedded(name) => db.embedded_transform(name)?,
        };
        let path = transform.path.clone();
        guarded(&path, || {
            db.apply(transform);
            Ok(())
        })?;
    }
    Ok(())
}

/// The transforms a patch's summary lists that the file does not hold
/// (msiexec cannot apply such a pair), in words.
fn missing_patch_transforms(db: &Database) -> Vec<String> {
    let storages = db.storages();
    db::patch::PatchInfo::read(db.summary.as_ref())
        .transforms
        .into_iter()
        .filter(|t| !storages.contains(t))
        .map(|t| {
            format!(
                "summary information: it lists the transform :{t}, which the patch does not hold"
            )
        })
        .collect()
}

/// Applies patches to an opened database, in order.
pub fn apply_patches(db: &mut Database, paths: &[PathBuf]) -> Result<(), LoadError> {
    for path in paths {
        let patch = guarded(path, || db::Patch::open(path))?;
        guarded(path, || {
            db.apply_patch(&patch);
            Ok(())
        })?;
    }
    Ok(())
}

/// Opens the input as a database (a transform on its own is refused).
pub fn open_database(input: &Input) -> Result<Database, LoadError> {
    match open(input)? {
        Loaded::Database(db) => Ok(db),
        Loaded::Transform(_) => Err(LoadError::NotADatabase {
            path: input.path.clone(),
            reason: "it is a transform (.mst); apply it to its database: `msica ... BASE.msi -t FILE.mst`"
                .into(),
        }),
    }
}

/// Loads the analysis model of the database at `path`.
pub fn load_package(path: &Path) -> Result<Package, LoadError> {
    load(&Input::file(path))
}

/// Loads the analysis model of an input, transforms applied.
pub fn load(input: &Input) -> Result<Package, LoadError> {
    match open(input)? {
        Loaded::Database(db) => guarded(&input.path, || Ok(package(&db))),
        Loaded::Transform(t) => Ok(transform_package(&t)),
    }
}

/// Loads the analysis model of a database held in memory.
pub fn load_from_bytes(bytes: Vec<u8>) -> Result<Package, LoadError> {
    let path = Path::new("<memory>");
    guarded(path, || match db::open_bytes(path, bytes)? {
        Opened::Database(db) => Ok(package(&db)),
        Opened::Transform(t) => Ok(transform_package(&t)),
    })
}

/// One table, every column and row, for Orca-like display and export.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RawTable {
    pub name: String,
    pub columns: Vec<RawColumn>,
    pub rows: Vec<Vec<Cell>>,
    /// What transforms did to the rows (empty without transforms): for row
    /// `i` of `rows`, or for a row that is gone.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub changes: Vec<RowChange>,
    /// Rows transforms deleted (not in `rows`).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub deleted: Vec<Vec<Cell>>,
}

/// What a transform did to one row of `rows`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RowChange {
    /// The row's index in `rows`.
    pub row: usize,
    /// `added` or `changed`.
    pub change: &'static str,
    pub transform: String,
    /// The columns a change set (by name); empty for an added row.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub columns: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RawColumn {
    pub name: String,
    /// The column type in IDT notation (`s72`, `I2`, `L0`, `v0` ...).
    pub idt_type: String,
    pub primary_key: bool,
}

/// A cell value. Binary cells name their stream (`Table.Key`), as IDT export does.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(untagged)]
pub enum Cell {
    Null,
    Int(i32),
    Str(String),
    #[serde(serialize_with = "serialize_stream")]
    Stream(String),
    /// A string id beyond the string pool: the text is lost.
    #[serde(serialize_with = "serialize_unreadable")]
    Unreadable(u32),
}

fn serialize_stream<S: serde::Serializer>(name: &str, s: S) -> Result<S::Ok, S::Error> {
    use serde::ser::SerializeMap;
    let mut map = s.serialize_map(Some(1))?;
    map.serialize_entry("stream", name)?;
    map.end()
}

fn serialize_unreadable<S: serde::Serializer>(id: &u32, s: S) -> Result<S::Ok, S::Error> {
    use serde::ser::SerializeMap;
    let mut map = s.serialize_map(Some(1))?;
    map.serialize_entry("unreadable_string", id)?;
    map.end()
}

impl Cell {
    /// The cell as IDT text (empty for null). An unreadable string is
    /// empty too, as Windows Installer's own export writes it.
    pub fn to_text(&self) -> String {
        match self {
            Cell::Null | Cell::Unreadable(_) => String::new(),
            Cell::Int(i) => i.to_string(),
            Cell::Str(s) | Cell::Stream(s) => s.clone(),
        }
    }

    /// The cell for a person to read: an unreadable string is marked.
    pub fn display(&self) -> String {
        match self {
            Cell::Unreadable(id) => unreadable_marker(*id),
            other => other.to_text(),
        }
    }
}

/// How a lost string shows wherever text is expected.
pub fn unreadable_marker(id: u32) -> String {
    format!("<unreadable string #{id}>")
}

/// Table names with their row counts (`None` when the table cannot be read).
pub fn list_tables(path: &Path) -> Result<Vec<(String, Option<usize>)>, LoadError> {
    let db = open_database(&Input::file(path))?;
    Ok(db
        .tables()
        .map(|t| (t.name.clone(), db.row_count(t)))
        .collect())
}

/// Reads one whole table.
pub fn read_table(path: &Path, name: &str) -> Result<RawTable, LoadError> {
    let db = open_database(&Input::file(path))?;
    raw_table(&db, name)
}

/// One table of an opened database, for display.
pub fn raw_table(db: &Database, name: &str) -> Result<RawTable, LoadError> {
    let table = db.find_table(name).ok_or_else(|| LoadError::NoSuchTable {
        path: db.path.clone(),
        table: name.to_owned(),
    })?;
    let data = db.data(table);
    if let Some(problem) = &data.problem {
        return Err(LoadError::Damaged {
            path: db.path.clone(),
            reason: format!("table {}: {problem}", table.name),
        });
    }
    let cells = |row: &Row| -> Vec<Cell> {
        (0..table.columns.len())
            .map(|i| match row.values.get(i) {
                Some(Value::Int(n)) => Cell::Int(*n),
                Some(Value::Str(id)) => {
                    Cell::Str(db.strings.get(*id).unwrap_or_default().to_owned())
                }
                Some(Value::Unreadable(id)) => Cell::Unreadable(*id),
                Some(Value::Stream) => db.binary_cell(table, row).map_or(Cell::Null, Cell::Stream),
                Some(Value::Null) | None => Cell::Null,
            })
            .collect()
    };
    let mut changes = Vec::new();
    for (i, row) in data.rows.iter().enumerate() {
        if let Some(t) = row.origin.added_by {
            changes.push(RowChange {
                row: i,
                change: "added",
                transform: db.transform_name(t).to_owned(),
                columns: Vec::new(),
            });
        } else if let Some((t, mask)) = row.origin.changed_by {
            changes.push(RowChange {
                row: i,
                change: "changed",
                transform: db.transform_name(t).to_owned(),
                columns: table
                    .columns
                    .iter()
                    .enumerate()
                    .filter(|(c, _)| mask & (1 << (*c).min(63)) != 0)
                    .map(|(_, c)| c.name.clone())
                    .collect(),
            });
        }
    }
    Ok(RawTable {
        name: table.name.clone(),
        columns: table
            .columns
            .iter()
            .map(|c| RawColumn {
                name: c.name.clone(),
                idt_type: c.idt_type(),
                primary_key: c.is_key(),
            })
            .collect(),
        rows: data.rows.iter().map(cells).collect(),
        changes,
        deleted: data.deleted.iter().map(cells).collect(),
    })
}

/// The tables of a database, or the tables a transform changes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TableListing {
    pub kind: PackageKind,
    /// Names with row counts; `None` when the table cannot be read.
    pub tables: Vec<(String, Option<usize>)>,
}

thread_local! {
    static QUIET_PANICS: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

/// Runs `f`, turning a panic into a [`LoadError`] that names the file. The
/// default panic message is suppressed meanwhile.
pub(crate) fn guarded<T>(
    path: &Path,
    f: impl FnOnce() -> Result<T, LoadError>,
) -> Result<T, LoadError> {
    static HOOK: Once = Once::new();
    HOOK.call_once(|| {
        let previous = panic::take_hook();
        panic::set_hook(Box::new(move |info| {
            if !QUIET_PANICS.with(std::cell::Cell::get) {
                previous(info);
            }
        }));
    });
    let was_quiet = QUIET_PANICS.with(|q| q.replace(true));
    let result = panic::catch_unwind(AssertUnwindSafe(f));
    QUIET_PANICS.with(|q| q.set(was_quiet));
    result.unwrap_or_else(|_| {
        Err(LoadError::Damaged {
            path: path.to_owned(),
            reason: "its tables are malformed: the database structure cannot be decoded".into(),
        })
    })
}

// ------------------------------------------------------------------------ //
// The analysis model

/// What kind of package a database is. A merge module has ModuleSignature
/// and no ProductCode; a product keeps the ModuleSignature rows the merge
/// tool leaves behind, but has a ProductCode.
pub fn package_kind(db: &Database) -> PackageKind {
    match db.class {
        Class::Patch => PackageKind::Patch,
        Class::Transform => PackageKind::Transform,
        Class::Installer
            if db.has_table("ModuleSignature") && db.property("ProductCode").is_none() =>
        {
            PackageKind::MergeModule
        }
        Class::Installer => PackageKind::Installer,
    }
}

/// The model of a transform on its own: its summary and the tables it changes.
fn transform_package(t: &Transform) -> Package {
    let mut pkg = empty_package(
        PackageKind::Transform,
        summary(t.summary.as_ref(), t.strings.codepage),
    );
    pkg.tables = t
        .tables
        .iter()
        .filter(|n| !db::SYSTEM_TABLES.contains(&n.as_str()))
        .cloned()
        .collect();
    pkg.tables.sort();
    pkg
}

fn empty_package(kind: PackageKind, summary: Summary) -> Package {
    Package {
        kind,
        summary,
        tables: Vec::new(),
        custom_actions: Vec::new(),
        sequences: Vec::new(),
        properties: BTreeMap::new(),
        binaries: BTreeSet::new(),
        binary_origins: BTreeMap::new(),
        files: BTreeMap::new(),
        directories: BTreeSet::new(),
        dialogs: BTreeSet::new(),
        control_events: Vec::new(),
        control_properties: Vec::new(),
        searched_properties: BTreeSet::new(),
        upgrades: Vec::new(),
        components: BTreeMap::new(),
        conditions: Vec::new(),
        validation_actions: BTreeSet::new(),
        problems: Vec::new(),
        unreadable_strings: Vec::new(),
        damage: Vec::new(),
        transforms: Vec::new(),
        action_code: BTreeMap::new(),
        patches: Vec::new(),
        index: Default::default(),
    }
}

/// Control types whose `Property` the user sets (the others only show it).
const WRITING_CONTROLS: &[&str] = &[
    "Edit",
    "MaskedEdit",
    "PathEdit",
    "CheckBox",
    "RadioButtonGroup",
    "ComboBox",
    "ListBox",
    "ListView",
    "DirectoryCombo",
    "DirectoryList",
    "VolumeSelectCombo",
];

/// Builds the analysis model of an opened database.
pub fn package(db: &Database) -> Package {
    let mut summary = summary(db.summary.as_ref(), db.strings.codepage);
    if db.class == Class::Patch {
        // A patch's Template holds the ProductCodes it targets, not a
        // platform and languages (`info` shows them as targets).
        summary.platform = None;
        summary.languages.clear();
    }
    let mut pkg = empty_package(package_kind(db), summary);
    pkg.tables = db.table_names().map(str::to_owned).collect();
    let reader = Reader::new(db);

    pkg.custom_actions = reader.rows(
        "CustomAction",
        &["Action", "Type", "Source", "Target", "ExtendedType"],
        |r| {
            Some(CustomAction {
                name: r.str(0)?,
                action_type: ActionType::new(r.int(1).unwrap_or(0), r.int(4)),
                source: r.str(2),
                target: r.str(3),
                row: r.info(),
            })
        },
    );
    for kind in SequenceKind::ALL {
        if !db.has_table(kind.table_name()) {
            continue;
        }
        let rows = reader.rows(
            kind.table_name(),
            &["Action", "Condition", "Sequence", "BaseAction", "After"],
            |r| {
                Some(SequenceRow {
                    action: r.str(0)?,
                    condition: r.str(1),
                    sequence: r.int(2),
                    base_action: r.str(3),
                    after: r.int(4).map(|a| a != 0),
                    order: None,
                    root_sequence: None,
                    row: r.info(),
                })
            },
        );
        pkg.sequences.push(Sequence::new(kind, rows));
    }
    pkg.properties = reader
        .rows("Property", &["Property", "Value"], |r| {
            Some((r.str(0)?, r.str(1).unwrap_or_default()))
        })
        .into_iter()
        .collect();
    let binaries = reader.rows("Binary", &["Name"], |r| Some((r.str(0)?, r.info().origin)));
    pkg.binary_origins = binaries
        .iter()
        .filter(|(_, origin)| *origin != Origin::Base)
        .cloned()
        .collect();
    pkg.binaries = binaries.into_iter().map(|(name, _)| name).collect();
    pkg.files = reader
        .rows("File", &["File", "Component_"], |r| {
            Some((
                r.str(0)?,
                FileEntry {
                    component: r.str(1).unwrap_or_default(),
                },
            ))
        })
        .into_iter()
        .collect();
    pkg.directories = reader
        .rows("Directory", &["Directory"], |r| r.str(0))
        .into_iter()
        .collect();
    pkg.dialogs = reader
        .rows("Dialog", &["Dialog"], |r| r.str(0))
        .into_iter()
        .collect();
    pkg.control_events = reader.rows(
        "ControlEvent",
        &["Dialog_", "Control_", "Event", "Argument", "Condition"],
        |r| {
            Some(ControlEvent {
                dialog: r.str(0)?,
                control: r.str(1).unwrap_or_default(),
                event: r.str(2).unwrap_or_default(),
                argument: r.str(3).unwrap_or_default(),
                condition: r.str(4),
                row: r.info(),
            })
        },
    );
    pkg.control_properties = reader.rows(
        "Control",
        &["Dialog_", "Control", "Type", "Property"],
        |r| {
            let kind = r.str(2)?;
            WRITING_CONTROLS.contains(&kind.as_str()).then_some(())?;
            Some(ControlProperty {
                dialog: r.str(0)?,
                control: r.str(1).unwrap_or_default(),
                property: r.str(3).filter(|p| !p.is_empty())?,
            })
        },
    );
    pkg.searched_properties = reader
        .rows("AppSearch", &["Property"], |r| r.str(0))
        .into_iter()
        .collect();
    pkg.upgrades = reader.rows("Upgrade", &["ActionProperty", "Attributes"], |r| {
        Some(UpgradeEntry {
            action_property: r.str(0)?,
            only_detect: r.int(1).unwrap_or(0) & 2 != 0,
        })
    });
    pkg.components = reader
        .rows("Component", &["Component", "Attributes"], |r| {
            Some((r.str(0)?, r.int(1).unwrap_or(0)))
        })
        .into_iter()
        .collect();
    pkg.conditions = read_condition_sites(&reader);
    pkg.validation_actions = reader
        .rows("_ICESequence", &["Action"], |r| r.str(0))
        .into_iter()
        .collect();
    let Reader { problems, .. } = reader;
    pkg.problems = problems.into_inner();
    pkg.unreadable_strings = db
        .tables()
        .filter_map(|t| {
            let u = t.data_if_read()?.unreadable?;
            Some(UnreadableStrings {
                table: t.name.clone(),
                cells: u.cells,
                rows: u.rows,
                lowest_id: u.lowest_id,
                highest_id: u.highest_id,
                pool: db.strings.len(),
            })
        })
        .collect();
    pkg.damage = db
        .damage
        .iter()
        .map(|d| format!("{}: {}", d.part, d.message))
        .collect();
    if db.class == Class::Patch {
        pkg.damage.extend(missing_patch_transforms(db));
    }
    pkg.transforms = db.transforms.clone();
    pkg.patches = db.patches.clone();
    pkg.build_index();
    pkg.action_code = super::action_code::read(db, &pkg);
    pkg
}

/// The conditions of LaunchCondition, ControlCondition and Condition rows
/// (sequence tables and ControlEvent keep theirs in their own model).
fn read_condition_sites(reader: &Reader) -> Vec<ConditionSite> {
    // (table, columns shown, how many leading columns form the key, the condition column)
    const TABLES: [(&str, &[&str], usize, usize); 3] = [
        ("LaunchCondition", &["Condition", "Description"], 1, 0),
        (
            "ControlCondition",
            &["Dialog_", "Control_", "Action", "Condition"],
            4,
            3,
        ),
        ("Condition", &["Feature_", "Level", "Condition"], 2, 2),
    ];
    let mut out = Vec::new();
    for (table, columns, key_len, condition) in TABLES {
        out.extend(reader.rows(table, columns, |r| {
            let text = r.str(condition)?;
            let values: Vec<String> = (0..columns.len())
                .map(|i| r.str(i).unwrap_or_default())
                .collect();
            Some(ConditionSite {
                table: table.to_owned(),
                key: values[..key_len].join("/"),
                column: columns[condition].to_owned(),
                text,
                cells: columns
                    .iter()
                    .map(|c| (*c).to_owned())
                    .zip(values)
                    .collect(),
                row: r.info(),
            })
        }));
    }
    out
}

fn summary(set: Option<&db::PropertySet>, codepage: u32) -> Summary {
    let Some(s) = set else {
        return Summary {
            missing: true,
            codepage,
            ..Summary::default()
        };
    };
    let text = |pid| s.text(pid).map(str::to_owned);
    let (platform, languages) = si::split_template(s.text(si::PID_TEMPLATE).unwrap_or_default());
    Summary {
        title: text(si::PID_TITLE),
        subject: text(si::PID_SUBJECT),
        author: text(si::PID_AUTHOR),
        comments: text(si::PID_COMMENTS),
        keywords: s
            .text(si::PID_KEYWORDS)
            .filter(|k| !k.is_empty())
            .map(|k| k.split("; ").map(|w| w.trim_end().to_owned()).collect())
            .unwrap_or_default(),
        creating_application: text(si::PID_CREATING_APP),
        platform: s.text(si::PID_TEMPLATE).map(|_| platform),
        languages: languages.into_iter().map(si::language_tag).collect(),
        package_code: s.text(si::PID_REVISION).and_then(package_code),
        schema: s.int(si::PID_PAGE_COUNT),
        word_count: s.int(si::PID_WORD_COUNT),
        codepage,
        missing: false,
    }
}

/// The package code of PID 9, normalised: `{XXXXXXXX-...}` in upper case.
fn package_code(revision: &str) -> Option<String> {
    let inner = revision
        .trim()
        .trim_start_matches('{')
        .trim_end_matches('}');
    let ok = inner.len() == 36
        && inner.char_indices().all(|(i, c)| {
            if [8, 13, 18, 23].contains(&i) {
                c == '-'
            } else {
                c.is_ascii_hexdigit()
            }
        });
    ok.then(|| format!("{{{}}}", inner.to_uppercase()))
}

/// Reads selected columns of tables by name, tolerating missing tables and
/// columns and recording tables that fail to decode.
struct Reader<'a> {
    db: &'a Database,
    problems: std::cell::RefCell<Vec<TableProblem>>,
    /// Transform names, shared by every row they touched.
    transforms: Vec<Arc<str>>,
}

/// A row projected onto the requested columns (missing columns read as null).
struct RowView<'a> {
    db: &'a Database,
    table: &'a Table,
    row: &'a Row,
    index: usize,
    columns: &'a [Option<usize>],
    transforms: &'a [Arc<str>],
}

impl RowView<'_> {
    fn value(&self, i: usize) -> Option<&Value> {
        self.row.values.get(self.columns.get(i).copied().flatten()?)
    }

    fn str(&self, i: usize) -> Option<String> {
        match self.value(i)? {
            Value::Str(id) => self.db.strings.get(*id).map(str::to_owned),
            Value::Int(n) => Some(n.to_string()),
            Value::Unreadable(id) => Some(unreadable_marker(*id)),
            Value::Stream => Some(self.db.stream_name(self.table, self.row)),
            Value::Null => None,
        }
    }

    fn int(&self, i: usize) -> Option<i32> {
        match self.value(i)? {
            Value::Int(n) => Some(*n),
            Value::Str(id) => self.db.strings.get(*id)?.trim().parse().ok(),
            _ => None,
        }
    }

    fn info(&self) -> RowInfo {
        let name = |t: u8| {
            self.transforms
                .get(t as usize)
                .cloned()
                .unwrap_or_else(|| "a transform".into())
        };
        let origin = match (self.row.origin.added_by, self.row.origin.changed_by) {
            (Some(t), _) => Origin::Added(name(t)),
            (None, Some((t, _))) => Origin::Changed(name(t)),
            (None, None) => Origin::Base,
        };
        RowInfo {
            index: self.index,
            origin,
            damaged: (0..self.columns.len())
                .any(|i| matches!(self.value(i), Some(Value::Unreadable(_)))),
        }
    }
}

impl<'a> Reader<'a> {
    fn new(db: &'a Database) -> Self {
        Self {
            db,
            problems: Default::default(),
            transforms: db
                .transforms
                .iter()
                .map(|t| Arc::from(t.name.as_str()))
                .collect(),
        }
    }

    fn rows<T>(
        &self,
        table: &str,
        columns: &[&str],
        mut map: impl FnMut(&RowView) -> Option<T>,
    ) -> Vec<T> {
        let Some(t) = self.db.table(table) else {
            return Vec::new();
        };
        let data = self.db.data(t);
        if let Some(problem) = &data.problem {
            self.problems.borrow_mut().push(TableProblem {
                table: table.to_owned(),
                message: problem.clone(),
            });
            return Vec::new();
        }
        let indices: Vec<Option<usize>> = columns.iter().map(|c| t.column(c)).collect();
        data.rows
            .iter()
            .enumerate()
            .filter_map(|(index, row)| {
                map(&RowView {
                    db: self.db,
                    table: t,
                    row,
                    index,
                    columns: &indices,
                    transforms: &self.transforms,
                })
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn package_codes_are_normalised_guids() {
        assert_eq!(
            package_code("{12345678-90ab-cdef-1234-567890abcdef}").as_deref(),
            Some("{12345678-90AB-CDEF-1234-567890ABCDEF}")
        );
        assert_eq!(package_code("{X}1.0;{Y}2.0"), None);
    }

    #[test]
    fn a_product_that_keeps_module_signature_is_a_product() {
        use crate::testing::MsiBuilder;
        let module = MsiBuilder::merge_module().load();
        assert_eq!(module.kind, PackageKind::MergeModule);
        // The merge tool leaves ModuleSignature rows in the product it merges into.
        let merged = MsiBuilder::merge_module()
            .property("ProductCode", "{11111111-1111-1111-1111-111111111111}")
            .load();
        assert_eq!(merged.kind, PackageKind::Installer);
    }

    #[test]
    fn transform_arguments() {
        assert_eq!(
            TransformSpec::parse(":1033"),
            TransformSpec::Embedded("1033".into())
        );
        assert_eq!(
            TransformSpec::parse("site.mst"),
            TransformSpec::File("site.mst".into())
        );
    }
}
