//! Transforms (.mst): reading their change records and applying them to a
//! database as Windows Installer does.
//!
//! A transform is a compound file like a database, with its own string
//! pool. Each table it changes has a stream of row records: a 16-bit mask,
//! then cells encoded as in a database, row by row. `mask & 1` inserts a row
//! (the high byte counts the cells that follow); `mask == 0` deletes the row
//! whose key follows; any other mask updates the row: the key cells, then
//! the cell of every other column `i` whose bit `1 << i` is set. `_Tables`
//! records add and drop tables, `_Columns` records add columns; both are
//! applied before the other tables.
//!
//! The summary information says which bases the transform is for (the
//! validation flags and the product codes and versions of PID 9) and which
//! errors to ignore when it is applied (the error-condition flags).

use std::collections::{HashMap, HashSet};
use std::hash::{BuildHasher, Hash, Hasher};
use std::path::{Path, PathBuf};

use super::container::{self, encode_stream_name, Storage};
use super::strings::{le_u16, StringId, StringPool};
use super::summary::{self, PropertySet};
use super::table::{bits, Column, Row, RowOrigin, Value};
use super::{read_stream, read_string_pool, Database, Table, TableData};
use crate::error::LoadError;

/// Error-condition flags: an error whose flag is set is ignored.
pub mod error_flags {
    pub const ADD_EXISTING_ROW: u16 = 0x1;
    pub const DELETE_MISSING_ROW: u16 = 0x2;
    pub const ADD_EXISTING_TABLE: u16 = 0x4;
    pub const DELETE_MISSING_TABLE: u16 = 0x8;
    pub const UPDATE_MISSING_ROW: u16 = 0x10;
    pub const CHANGE_CODEPAGE: u16 = 0x20;
    pub const VIEW_TRANSFORM: u16 = 0x100;
}

/// Validation flags: what a base must match for the transform to apply.
pub mod validation_flags {
    pub const LANGUAGE: u16 = 0x1;
    pub const PRODUCT: u16 = 0x2;
    pub const PLATFORM: u16 = 0x4;
    pub const MAJOR_VERSION: u16 = 0x8;
    pub const MINOR_VERSION: u16 = 0x10;
    pub const UPDATE_VERSION: u16 = 0x20;
    pub const NEW_LESS_BASE: u16 = 0x40;
    pub const NEW_LESS_EQUAL_BASE: u16 = 0x80;
    pub const NEW_EQUAL_BASE: u16 = 0x100;
    pub const NEW_GREATER_EQUAL_BASE: u16 = 0x200;
    pub const NEW_GREATER_BASE: u16 = 0x400;
    pub const UPGRADE_CODE: u16 = 0x800;
}

/// A transform, opened.
pub struct Transform {
    /// How the user named it: the file name, or `:NAME` when embedded.
    pub name: String,
    pub path: PathBuf,
    pub strings: StringPool,
    pub summary: Option<PropertySet>,
    /// The tables it has change records for, `_Tables` and `_Columns` first.
    pub tables: Vec<String>,
    storage: Storage,
    /// The storage path of the transform inside `storage` (`""` for a file).
    root: String,
}

impl std::fmt::Debug for Transform {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Transform")
            .field("name", &self.name)
            .field("tables", &self.tables)
            .finish_non_exhaustive()
    }
}

/// What the summary information of a transform says.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TransformInfo {
    /// Platform and languages of the database it was made against.
    pub target_platform: String,
    pub target_languages: Vec<u16>,
    /// Platform and languages of the database it produces.
    pub new_platform: String,
    pub new_languages: Vec<u16>,
    pub target_product_code: Option<String>,
    pub target_version: Option<String>,
    pub new_product_code: Option<String>,
    pub new_version: Option<String>,
    pub upgrade_code: Option<String>,
    pub validation: u16,
    pub errors: u16,
}

impl Transform {
    /// Opens a transform file.
    pub fn open(path: &Path) -> Result<Self, LoadError> {
        match super::open(path)? {
            super::Opened::Transform(t) => Ok(t),
            super::Opened::Database(_) => Err(LoadError::NotATransform {
                path: path.to_owned(),
            }),
        }
    }

    /// Opens a transform held in memory; `path` names it in messages.
    pub fn open_bytes(path: &Path, bytes: Vec<u8>) -> Result<Self, LoadError> {
        match super::open_bytes(path, bytes)? {
            super::Opened::Transform(t) => Ok(t),
            super::Opened::Database(_) => Err(LoadError::NotATransform {
                path: path.to_owned(),
            }),
        }
    }

    pub(super) fn from_storage(
        path: &Path,
        storage: Storage,
        embedded: Option<&str>,
    ) -> Result<Self, LoadError> {
        let mut storage = storage;
        let root = embedded.map_or(String::new(), |n| format!("/{n}"));
        let (strings, _) = read_string_pool(path, &mut storage, &root)?;
        let summary = read_stream(&mut storage, &format!("{root}/{}", summary::STREAM))
            .ok()
            .map(|b| PropertySet::read(&b));
        let entries: Vec<String> = storage
            .read_storage(if root.is_empty() { "/" } else { &root })
            .map_err(|e| container::damaged(path, e.to_string()))?
            .filter(|e| e.is_stream())
            .filter_map(|e| {
                let (name, is_table) = container::decode_stream_name(e.name());
                (is_table && name != "_StringPool" && name != "_StringData").then_some(name)
            })
            .collect();
        let mut tables: Vec<String> = entries
            .iter()
            .filter(|t| *t == "_Tables" || *t == "_Columns")
            .cloned()
            .collect();
        tables.sort_by_key(|t| t != "_Tables");
        let mut rest: Vec<String> = entries
            .into_iter()
            .filter(|t| t != "_Tables" && t != "_Columns")
            .collect();
        rest.sort();
        tables.extend(rest);
        let name = match embedded {
            Some(n) => format!(":{n}"),
            None => path.file_name().map_or_else(
                || path.display().to_string(),
                |n| n.to_string_lossy().into_owned(),
            ),
        };
        Ok(Self {
            name,
            path: path.to_owned(),
            strings,
            summary,
            tables,
            storage,
            root,
        })
    }

    /// Opens the transform stored in `db` as the substorage `name`.
    pub(super) fn embedded(db: &Database, name: &str) -> Result<Self, LoadError> {
        let c = container::open_path(&db.path)?;
        Self::from_storage(&db.path, c.storage, Some(name))
    }

    /// What its summary information says.
    pub fn info(&self) -> TransformInfo {
        let Some(s) = &self.summary else {
            return TransformInfo::default();
        };
        let (target_platform, target_languages) =
            summary::split_template(s.text(summary::PID_TEMPLATE).unwrap_or_default());
        let (new_platform, new_languages) =
            summary::split_template(s.text(summary::PID_LAST_SAVED_BY).unwrap_or_default());
        let revision = s.text(summary::PID_REVISION).unwrap_or_default();
        let mut parts = revision.split(';');
        let (target_product_code, target_version) = split_code(parts.next());
        let (new_product_code, new_version) = split_code(parts.next());
        let (upgrade_code, _) = split_code(parts.next());
        let flags = s.int(summary::PID_CHAR_COUNT).unwrap_or(0) as u32;
        TransformInfo {
            target_platform,
            target_languages,
            new_platform,
            new_languages,
            target_product_code,
            target_version,
            new_product_code,
            new_version,
            upgrade_code,
            validation: (flags >> 16) as u16,
            errors: (flags & 0xFFFF) as u16,
        }
    }

    fn stream(&mut self, name: &str) -> std::io::Result<Vec<u8>> {
        read_stream(
            &mut self.storage,
            &format!("{}/{}", self.root, encode_stream_name(name, true)),
        )
    }

    /// The change records of one table, read with the given columns.
    pub fn records(&mut self, table: &str, columns: &[Column]) -> Result<Vec<Record>, String> {
        let data = self.stream(table).map_err(|e| e.to_string())?;
        parse_records(&data, columns, self.strings.ref_width())
    }

    /// The columns of the tables this transform adds (from its `_Columns`).
    pub fn added_columns(&mut self) -> Vec<(String, Option<i32>, Column)> {
        let (_, catalog) = super::catalog_columns();
        let Ok(records) = self.records("_Columns", &catalog) else {
            return Vec::new();
        };
        records
            .iter()
            .filter(|r| r.op == Op::Insert)
            .filter_map(|r| {
                let table = self.strings.str_of(r.cell(0)?)?.to_owned();
                let number = match r.cell(1) {
                    Some(Value::Int(n)) => Some(*n),
                    _ => None,
                };
                let name = self.strings.str_of(r.cell(2)?)?.to_owned();
                let bits = match r.cell(3) {
                    Some(Value::Int(b)) => *b as u16,
                    _ => 0,
                };
                Some((table, number, Column::new(name, bits)))
            })
            .collect()
    }

    /// The tables this transform adds or drops (from its `_Tables`).
    pub fn table_changes(&mut self) -> Vec<(String, Op)> {
        let (catalog, _) = super::catalog_columns();
        let Ok(records) = self.records("_Tables", &catalog) else {
            return Vec::new();
        };
        records
            .iter()
            .filter_map(|r| {
                let name = self.strings.str_of(r.cell(0)?)?.to_owned();
                Some((name, r.op))
            })
            .collect()
    }
}

/// Where the columns of a transform's records come from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RecordSchema {
    /// The transform adds the table and defines its columns.
    Transform,
    /// The standard definition of the table ([`super::schema`]).
    Standard,
}

/// A transform's change records for one table, read on their own.
#[derive(Debug, Clone)]
pub struct TableRecords {
    pub columns: Vec<Column>,
    pub schema: RecordSchema,
    pub records: Vec<Record>,
    /// Why the records cannot be read (then `records` is empty).
    pub problem: Option<String>,
}

impl Transform {
    /// The change records of `table`, read without the database the
    /// transform applies to: with the columns the transform itself defines
    /// for a table it adds, else with the table's standard definition (the
    /// first one its records fit).
    pub fn table_records(&mut self, table: &str) -> TableRecords {
        if super::SYSTEM_TABLES.contains(&table) {
            let (tables, columns) = super::catalog_columns();
            let columns = if table == "_Tables" { tables } else { columns };
            return self.records_with(table, columns, RecordSchema::Standard);
        }
        let mut own: Vec<(Option<i32>, Column)> = self
            .added_columns()
            .into_iter()
            .filter(|(t, _, _)| t == table)
            .map(|(_, n, c)| (n, c))
            .collect();
        if !own.is_empty() {
            own.sort_by_key(|(n, _)| n.unwrap_or(i32::MAX));
            let columns = own.into_iter().map(|(_, c)| c).collect();
            return self.records_with(table, columns, RecordSchema::Transform);
        }
        let mut last = None;
        for columns in super::schema::standard_definitions(table) {
            let found = self.records_with(table, columns.to_vec(), RecordSchema::Standard);
            if found.problem.is_none() {
                return found;
            }
            last = Some(found);
        }
        last.unwrap_or_else(|| TableRecords {
            columns: Vec::new(),
            schema: RecordSchema::Standard,
            records: Vec::new(),
            problem: Some(format!(
                "{table} is not a standard table and the transform does not define it: its columns are known only to the database it applies to (use `msica table BASE {table} -t TRANSFORM`)"
            )),
        })
    }

    fn records_with(
        &mut self,
        table: &str,
        columns: Vec<Column>,
        schema: RecordSchema,
    ) -> TableRecords {
        match self.records(table, &columns) {
            Ok(records) => TableRecords {
                columns,
                schema,
                records,
                problem: None,
            },
            Err(e) => TableRecords {
                columns,
                schema,
                records: Vec::new(),
                problem: Some(format!(
                    "its records do not fit the known definition of {table} ({e}); read them with the database they apply to (`-t`)"
                )),
            },
        }
    }
}

/// `{GUID}1.2.3` → (`{GUID}`, `1.2.3`).
fn split_code(part: Option<&str>) -> (Option<String>, Option<String>) {
    let Some(part) = part.map(str::trim).filter(|p| !p.is_empty()) else {
        return (None, None);
    };
    match part.find('}') {
        Some(end) if part.starts_with('{') => {
            let version = part[end + 1..].trim();
            (
                Some(part[..=end].to_uppercase()),
                (!version.is_empty()).then(|| version.to_owned()),
            )
        }
        _ => (None, Some(part.to_owned())),
    }
}

/// What a record does.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Op {
    Insert,
    /// Changes the columns whose bits are set (bit i for column i).
    Update(u16),
    Delete,
}

/// One change record: the cells it carries, by column (`None` when the
/// record does not carry that column). String ids are the transform's.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Record {
    pub op: Op,
    pub cells: Vec<Option<Value>>,
}

impl Record {
    pub fn cell(&self, column: usize) -> Option<&Value> {
        self.cells.get(column)?.as_ref()
    }
}

/// Splits a transform table stream into records.
pub fn parse_records(
    data: &[u8],
    columns: &[Column],
    ref_width: usize,
) -> Result<Vec<Record>, String> {
    let mut out = Vec::new();
    let mut at = 0;
    while at + 2 <= data.len() {
        let mask = le_u16(data, at).unwrap_or(0);
        let present: Vec<bool> = if mask & 1 != 0 {
            let count = (mask >> 8) as usize;
            if count > columns.len() {
                return Err(format!(
                    "a record at byte {at} inserts {count} cells into a table of {} columns",
                    columns.len()
                ));
            }
            (0..columns.len()).map(|i| i < count).collect()
        } else {
            columns
                .iter()
                .enumerate()
                .map(|(i, c)| c.is_key() || (i < 16 && mask & (1 << i) != 0))
                .collect()
        };
        let size: usize = columns
            .iter()
            .zip(&present)
            .filter(|(_, p)| **p)
            .map(|(c, _)| c.width(ref_width))
            .sum();
        let Some(bytes) = data.get(at + 2..at + 2 + size) else {
            return Err(format!(
                "the record at byte {at} runs past the end of its {} bytes",
                data.len()
            ));
        };
        let mut offset = 0;
        let cells = columns
            .iter()
            .zip(&present)
            .map(|(c, p)| {
                p.then(|| {
                    let width = c.width(ref_width);
                    let raw = bytes[offset..offset + width]
                        .iter()
                        .rev()
                        .fold(0u32, |acc, &b| (acc << 8) | u32::from(b));
                    offset += width;
                    if c.is_binary() {
                        Value::Stream
                    } else if raw == 0 {
                        Value::Null
                    } else if c.is_string() {
                        Value::Str(raw)
                    } else if width == 2 {
                        Value::Int(raw as i32 - 0x8000)
                    } else {
                        Value::Int((raw ^ 0x8000_0000) as i32)
                    }
                })
            })
            .collect();
        let op = match mask {
            0 => Op::Delete,
            m if m & 1 != 0 => Op::Insert,
            m => Op::Update(m),
        };
        out.push(Record { op, cells });
        at += 2 + size;
    }
    if at < data.len() {
        return Err(format!("{} stray bytes at the end", data.len() - at));
    }
    Ok(out)
}

// ------------------------------------------------------------------------ //
// Applying a transform

/// A change the transform makes that the base cannot take.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Conflict {
    pub kind: ConflictKind,
    pub table: String,
    /// The row's key (`/`-joined), empty for a table-level conflict.
    pub key: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ConflictKind {
    AddExistingRow,
    DeleteMissingRow,
    UpdateMissingRow,
    AddExistingTable,
    DeleteMissingTable,
    /// The codepages differ and neither is neutral.
    Codepage,
    /// Rows of a table the base does not have and the transform does not add.
    MissingTable,
}

impl ConflictKind {
    /// The error-condition flag that suppresses it, if any.
    pub fn flag(self) -> Option<u16> {
        use error_flags::*;
        Some(match self {
            Self::AddExistingRow => ADD_EXISTING_ROW,
            Self::DeleteMissingRow => DELETE_MISSING_ROW,
            Self::UpdateMissingRow => UPDATE_MISSING_ROW,
            Self::AddExistingTable => ADD_EXISTING_TABLE,
            Self::DeleteMissingTable => DELETE_MISSING_TABLE,
            Self::Codepage => CHANGE_CODEPAGE,
            Self::MissingTable => return None,
        })
    }

    pub fn describe(self) -> &'static str {
        match self {
            Self::AddExistingRow => "adds a row that already exists",
            Self::DeleteMissingRow => "deletes a row that does not exist",
            Self::UpdateMissingRow => "updates a row that does not exist",
            Self::AddExistingTable => "adds a table that already exists",
            Self::DeleteMissingTable => "drops a table that does not exist",
            Self::Codepage => "changes the codepage, and neither codepage is neutral",
            Self::MissingTable => "changes rows of a table that does not exist",
        }
    }
}

/// A validation condition of a transform that a database does not meet.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NotApplicable {
    /// What is compared: `ProductCode`, `UpgradeCode`, `ProductLanguage`,
    /// `ProductVersion` (Property rows) or `platform` (the summary's Template).
    pub what: &'static str,
    /// What the transform requires, in words (`{GUID}`, `at least 1.2`).
    pub required: String,
    /// What this database has (`None` when it has no value).
    pub actual: Option<String>,
}

impl NotApplicable {
    pub fn describe(&self) -> String {
        format!(
            "its {} must be {}, this database's is {}",
            self.what,
            self.required,
            self.actual.as_deref().unwrap_or("not set")
        )
    }
}

/// How many changes a transform made.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ChangeCounts {
    pub inserted: usize,
    pub updated: usize,
    pub deleted: usize,
    pub tables_added: usize,
    pub tables_dropped: usize,
    pub columns_added: usize,
}

/// A transform applied to a database, and how it went.
#[derive(Debug, Clone)]
pub struct AppliedTransform {
    pub name: String,
    pub path: PathBuf,
    pub info: TransformInfo,
    /// Changes the base could not take and the error flags do not suppress.
    pub conflicts: Vec<Conflict>,
    /// Changes the base could not take that the error flags suppress.
    pub suppressed: Vec<Conflict>,
    /// Validation conditions the base does not meet.
    pub not_applicable: Vec<NotApplicable>,
    /// Tables whose records could not be read, with why.
    pub unreadable: Vec<(String, String)>,
    pub changes: ChangeCounts,
    /// The patch this transform belongs to (its file name), if any.
    pub patch: Option<String>,
}

/// A key value, comparable across string pools.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
enum KeyPart {
    Null,
    Int(i32),
    Str(Box<str>),
}

impl Database {
    /// Applies a transform, as msiexec does when it is listed in TRANSFORMS.
    /// Conflicts and validation failures are recorded, not fatal: the rest
    /// of the transform is applied so that its effect can be inspected.
    pub fn apply(&mut self, mut t: Transform) -> &AppliedTransform {
        let index = self.transforms.len().min(u8::MAX as usize) as u8;
        let info = t.info();
        let mut applied = AppliedTransform {
            name: t.name.clone(),
            path: t.path.clone(),
            not_applicable: self.validate(&info),
            info,
            conflicts: Vec::new(),
            suppressed: Vec::new(),
            unreadable: Vec::new(),
            changes: ChangeCounts::default(),
            patch: None,
        };
        let conflict =
            |applied: &mut AppliedTransform, kind: ConflictKind, table: &str, key: String| {
                let c = Conflict {
                    kind,
                    table: table.to_owned(),
                    key,
                };
                match kind.flag() {
                    Some(flag) if applied.info.errors & flag != 0 => applied.suppressed.push(c),
                    _ => applied.conflicts.push(c),
                }
            };
        let (base_cp, new_cp) = (self.strings.codepage, t.strings.codepage);
        if base_cp != new_cp && base_cp != 0 && new_cp != 0 {
            conflict(&mut applied, ConflictKind::Codepage, "", String::new());
        } else if base_cp == 0 {
            self.strings.codepage = new_cp;
        }

        for (name, op) in t.table_changes() {
            match op {
                Op::Insert if self.tables.contains_key(&name) => {
                    conflict(
                        &mut applied,
                        ConflictKind::AddExistingTable,
                        &name,
                        String::new(),
                    );
                }
                Op::Insert => {
                    applied.changes.tables_added += 1;
                    self.tables.insert(
                        name.clone(),
                        Table {
                            name,
                            columns: Vec::new(),
                            added_by: Some(index),
                            data: TableData::default().into(),
                        },
                    );
                }
                Op::Delete => match self.tables.remove(&name) {
                    Some(table) => {
                        self.data(&table);
                        applied.changes.tables_dropped += 1;
                        self.dropped.push((table, index));
                    }
                    None => conflict(
                        &mut applied,
                        ConflictKind::DeleteMissingTable,
                        &name,
                        String::new(),
                    ),
                },
                Op::Update(_) => {}
            }
        }
        for (table_name, number, column) in t.added_columns() {
            let Some(table) = self.tables.get(&table_name) else {
                continue;
            };
            // Rows are read before the table's shape changes.
            self.data(table);
            let table = self.tables.get_mut(&table_name).expect("present");
            let at = number
                .and_then(|n| usize::try_from(n - 1).ok())
                .filter(|&n| n <= table.columns.len())
                .unwrap_or(table.columns.len());
            if table.columns.iter().any(|c| c.name == column.name) {
                continue;
            }
            table.columns.insert(at, column);
            // The columns of a table it adds are part of adding the table.
            if table.added_by != Some(index) {
                applied.changes.columns_added += 1;
            }
            if let Some(data) = table.data.get_mut() {
                for row in data.rows.iter_mut().chain(data.deleted.iter_mut()) {
                    let mut values = row.values.to_vec();
                    values.insert(at.min(values.len()), Value::Null);
                    row.values = values.into_boxed_slice();
                }
            }
        }
        // Tables that were added but given no columns do not exist.
        self.tables.retain(|_, t| !t.columns.is_empty());

        let names: Vec<String> = t
            .tables
            .iter()
            .filter(|n| *n != "_Tables" && *n != "_Columns")
            .cloned()
            .collect();
        let mut strings: HashMap<StringId, StringId> = HashMap::new();
        for name in names {
            let Some(table) = self.tables.get(&name) else {
                conflict(
                    &mut applied,
                    ConflictKind::MissingTable,
                    &name,
                    String::new(),
                );
                continue;
            };
            self.data(table);
            let columns = table.columns.clone();
            let records = match t.records(&name, &columns) {
                Ok(records) => records,
                Err(e) => {
                    applied.unreadable.push((name.clone(), e));
                    continue;
                }
            };
            if records.is_empty() {
                continue;
            }
            let keys: Vec<usize> = table.key_columns().collect();
            // Only the rows that a record names are indexed, found by a hash
            // of their key computed without allocating: the cost follows the
            // transform, not the size of the table.
            let hasher = foldhash::fast::FixedState::default();
            let wanted: HashSet<u64> = records
                .iter()
                .map(|r| {
                    key_hash(
                        &hasher,
                        keys.iter()
                            .map(|&k| key_ref(&t.strings, r.cell(k).unwrap_or(&Value::Null))),
                    )
                })
                .collect();
            let mut index_of: HashMap<Vec<KeyPart>, usize> = HashMap::new();
            {
                let data = self.data(table);
                for (i, row) in data.rows.iter().enumerate() {
                    let parts = || keys.iter().map(|&k| key_ref(&self.strings, &row.values[k]));
                    if wanted.contains(&key_hash(&hasher, parts())) {
                        index_of
                            .entry(parts().map(KeyPart::from).collect())
                            .or_insert(i);
                    }
                }
            }
            let mut removed: Vec<bool> = vec![false; self.data(table).rows.len()];
            for record in records {
                let key: Vec<KeyPart> = keys
                    .iter()
                    .map(|&k| key_part(&t.strings, record.cell(k).unwrap_or(&Value::Null)))
                    .collect();
                let key_text = key_display(&key);
                let found = index_of.get(&key).copied().filter(|&i| !removed[i]);
                // Cells in the database's string pool.
                let mut converted = |v: &Value| match v {
                    Value::Str(id) => {
                        let text = t.strings.get(*id);
                        match text {
                            Some(text) => Value::Str(
                                *strings
                                    .entry(*id)
                                    .or_insert_with(|| self.strings.push(text)),
                            ),
                            None => Value::Unreadable(*id),
                        }
                    }
                    other => *other,
                };
                let values: Vec<Option<Value>> = record
                    .cells
                    .iter()
                    .map(|c| c.as_ref().map(&mut converted))
                    .collect();
                let table = self.tables.get_mut(&name).expect("present");
                let data = table.data.get_mut().expect("read above");
                match (record.op, found) {
                    (Op::Delete, Some(i)) => {
                        removed[i] = true;
                        let mut row = data.rows[i].clone();
                        row.origin.changed_by = Some((index, 0));
                        data.deleted.push(row);
                        applied.changes.deleted += 1;
                    }
                    (Op::Delete, None) => conflict(
                        &mut applied,
                        ConflictKind::DeleteMissingRow,
                        &name,
                        key_text,
                    ),
                    (Op::Update(_), None) => conflict(
                        &mut applied,
                        ConflictKind::UpdateMissingRow,
                        &name,
                        key_text,
                    ),
                    (Op::Insert, Some(i)) => {
                        let suppressed = applied.info.errors & error_flags::ADD_EXISTING_ROW != 0;
                        conflict(&mut applied, ConflictKind::AddExistingRow, &name, key_text);
                        if suppressed {
                            // The new row replaces the old one.
                            let row = &mut data.rows[i];
                            let mut mask = 0u64;
                            for (c, v) in values.iter().enumerate() {
                                let v = v.unwrap_or(Value::Null);
                                if row.values[c] != v {
                                    row.values[c] = v;
                                    mask |= 1 << c.min(63);
                                }
                            }
                            row.origin.changed_by = Some((index, mask));
                            applied.changes.updated += 1;
                        }
                    }
                    (Op::Update(_), Some(i)) => {
                        let row = &mut data.rows[i];
                        let mut mask = 0u64;
                        for (c, v) in values.iter().enumerate() {
                            if let (Some(v), false) = (v, columns[c].is_key()) {
                                row.values[c] = *v;
                                mask |= 1 << c.min(63);
                            }
                        }
                        row.origin.changed_by = Some((index, mask));
                        applied.changes.updated += 1;
                    }
                    (Op::Insert, None) => {
                        let row = Row {
                            values: values.iter().map(|v| v.unwrap_or(Value::Null)).collect(),
                            origin: RowOrigin {
                                added_by: Some(index),
                                changed_by: None,
                            },
                        };
                        index_of.insert(key, data.rows.len());
                        removed.push(false);
                        data.rows.push(row);
                        applied.changes.inserted += 1;
                    }
                }
            }
            let table = self.tables.get_mut(&name).expect("present");
            let data = table.data.get_mut().expect("read above");
            let mut i = 0;
            data.rows.retain(|_| {
                let keep = !removed[i];
                i += 1;
                keep
            });
        }
        let (storage, root) = t.into_storage();
        self.overlays.push(std::cell::RefCell::new(storage));
        self.overlay_roots.push(root);
        self.transforms.push(applied);
        self.transforms.last().expect("just pushed")
    }

    /// The validation conditions of a transform this database does not meet.
    pub(super) fn validate(&self, info: &TransformInfo) -> Vec<NotApplicable> {
        use validation_flags::*;
        let mut out = Vec::new();
        let flags = info.validation;
        let mut require = |what: &'static str, actual: Option<&str>, required: Option<&str>| {
            if let Some(required) = required {
                if actual.is_none_or(|a| !a.eq_ignore_ascii_case(required)) {
                    out.push(NotApplicable {
                        what,
                        required: required.to_owned(),
                        actual: actual.map(str::to_owned),
                    });
                }
            }
        };
        if flags & PRODUCT != 0 {
            require(
                "ProductCode",
                self.property("ProductCode"),
                info.target_product_code.as_deref(),
            );
        }
        if flags & UPGRADE_CODE != 0 {
            require(
                "UpgradeCode",
                self.property("UpgradeCode"),
                info.upgrade_code.as_deref(),
            );
        }
        if flags & LANGUAGE != 0 {
            // The target's default language; a neutral one (0) matches any.
            let required = info
                .target_languages
                .first()
                .filter(|&&l| l != 0)
                .map(|l| l.to_string());
            require(
                "ProductLanguage",
                self.property("ProductLanguage"),
                required.as_deref(),
            );
        }
        if flags & PLATFORM != 0 {
            let actual = self
                .summary
                .as_ref()
                .and_then(|s| s.text(summary::PID_TEMPLATE))
                .map(|t| summary::split_template(t).0);
            let required = Some(info.target_platform.as_str()).filter(|p| !p.is_empty());
            require("platform", actual.as_deref(), required);
        }
        let relation = flags
            & (NEW_LESS_BASE
                | NEW_LESS_EQUAL_BASE
                | NEW_EQUAL_BASE
                | NEW_GREATER_EQUAL_BASE
                | NEW_GREATER_BASE);
        let fields = if flags & UPDATE_VERSION != 0 {
            3
        } else if flags & MINOR_VERSION != 0 {
            2
        } else if flags & MAJOR_VERSION != 0 {
            1
        } else {
            0
        };
        if let (Some(base), true) = (info.target_version.as_deref(), fields > 0 && relation != 0) {
            let actual = self.property("ProductVersion");
            let ordering = version_fields(actual.unwrap_or_default(), fields)
                .cmp(&version_fields(base, fields));
            use std::cmp::Ordering::*;
            let (holds, words) = match relation {
                NEW_LESS_BASE => (ordering == Less, "lower than"),
                NEW_LESS_EQUAL_BASE => (ordering != Greater, "at most"),
                NEW_EQUAL_BASE => (ordering == Equal, "equal to"),
                NEW_GREATER_EQUAL_BASE => (ordering != Less, "at least"),
                _ => (ordering == Greater, "higher than"),
            };
            if !holds {
                let precision = ["", "major", "major.minor", "major.minor.update"][fields];
                out.push(NotApplicable {
                    what: "ProductVersion",
                    required: format!("{words} {base} (comparing {precision})"),
                    actual: actual.map(str::to_owned),
                });
            }
        }
        out
    }
}

impl Transform {
    /// Its storage, and its own root inside it (`""` for a file).
    fn into_storage(self) -> (Storage, String) {
        (self.storage, self.root)
    }
}

fn version_fields(version: &str, fields: usize) -> Vec<u32> {
    let mut parts: Vec<u32> = version
        .split('.')
        .map(|p| p.trim().parse().unwrap_or(0))
        .collect();
    parts.resize(fields, 0);
    parts
}

fn key_part(strings: &StringPool, v: &Value) -> KeyPart {
    key_ref(strings, v).into()
}

/// A key value as it is read, before it is kept.
#[derive(Hash)]
enum KeyRef<'a> {
    Null,
    Int(i32),
    Str(&'a str),
}

impl From<KeyRef<'_>> for KeyPart {
    fn from(k: KeyRef) -> Self {
        match k {
            KeyRef::Null => Self::Null,
            KeyRef::Int(n) => Self::Int(n),
            KeyRef::Str(s) => Self::Str(s.into()),
        }
    }
}

fn key_ref<'a>(strings: &'a StringPool, v: &Value) -> KeyRef<'a> {
    match v {
        Value::Int(n) => KeyRef::Int(*n),
        Value::Str(id) => KeyRef::Str(strings.get(*id).unwrap_or_default()),
        _ => KeyRef::Null,
    }
}

fn key_hash<'a>(hasher: &impl BuildHasher, parts: impl Iterator<Item = KeyRef<'a>>) -> u64 {
    let mut h = hasher.build_hasher();
    for part in parts {
        part.hash(&mut h);
    }
    h.finish()
}

fn key_display(key: &[KeyPart]) -> String {
    key.iter()
        .map(|k| match k {
            KeyPart::Null => String::new(),
            KeyPart::Int(n) => n.to_string(),
            KeyPart::Str(s) => s.to_string(),
        })
        .collect::<Vec<_>>()
        .join("/")
}

/// The type bits of a column given in IDT notation (`s72`, `I2`, `v0`).
pub fn bits_from_idt(idt: &str, key: bool) -> Option<u16> {
    let mut chars = idt.chars();
    let letter = chars.next()?;
    let size: u16 = chars.as_str().parse().ok()?;
    let nullable = if letter.is_ascii_uppercase() {
        bits::NULLABLE
    } else {
        0
    };
    let key = if key { bits::KEY } else { 0 };
    let base = match letter.to_ascii_lowercase() {
        's' => 0x0D00 | size,
        'l' => 0x0F00 | size,
        'i' if size == 4 => 0x0104,
        'i' => 0x0500 | size,
        'v' => 0x0900,
        _ => return None,
    };
    Some(base | nullable | key)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn revision_numbers_split_into_codes_and_versions() {
        assert_eq!(
            split_code(Some("{abc}1.0.0")),
            (Some("{ABC}".into()), Some("1.0.0".into()))
        );
        assert_eq!(split_code(Some("{abc}")), (Some("{ABC}".into()), None));
        assert_eq!(split_code(None), (None, None));
    }

    #[test]
    fn records_of_each_kind() {
        let columns = [
            Column::new("Action", 0x2D48),
            Column::new("Type", 0x0502),
            Column::new("Source", 0x1D48),
        ];
        let mut data = Vec::new();
        // insert of 3 cells: mask 0x0301
        data.extend([0x01, 0x03, 1, 0, 0x01, 0x80, 2, 0]);
        // update of Type (bit 1): mask 0x0002
        data.extend([0x02, 0x00, 1, 0, 0x05, 0x80]);
        // delete: mask 0
        data.extend([0, 0, 3, 0]);
        let records = parse_records(&data, &columns, 2).unwrap();
        assert_eq!(records.len(), 3);
        assert_eq!(records[0].op, Op::Insert);
        assert_eq!(
            records[0].cells,
            vec![
                Some(Value::Str(1)),
                Some(Value::Int(1)),
                Some(Value::Str(2))
            ]
        );
        assert_eq!(records[1].op, Op::Update(2));
        assert_eq!(
            records[1].cells,
            vec![Some(Value::Str(1)), Some(Value::Int(5)), None]
        );
        assert_eq!(records[2].op, Op::Delete);
        assert_eq!(records[2].cells, vec![Some(Value::Str(3)), None, None]);
    }

    #[test]
    fn records_past_the_end_are_refused() {
        let columns = [Column::new("Action", 0x2D48)];
        assert!(parse_records(&[0x01, 0x01, 1], &columns, 2).is_err());
        assert!(parse_records(&[0x01, 0x05, 1, 0], &columns, 2).is_err());
    }

    #[test]
    fn idt_types_to_bits_and_back() {
        for (idt, key) in [
            ("s72", true),
            ("S255", false),
            ("L0", false),
            ("i2", false),
            ("I4", false),
            ("v0", false),
            ("V0", false),
        ] {
            let bits = bits_from_idt(idt, key).unwrap();
            let column = Column::new("c", bits);
            assert_eq!(column.idt_type(), idt);
            assert_eq!(column.is_key(), key);
        }
    }

    #[test]
    fn versions_compare_by_the_fields_asked_for() {
        assert_eq!(version_fields("1.2.3.4", 2), vec![1, 2]);
        assert_eq!(version_fields("1", 3), vec![1, 0, 0]);
    }
}
