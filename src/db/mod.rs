//! msica's reader of the Windows Installer database format, on top of the
//! `cfb` crate's compound files.
//!
//! Why msica reads the tables itself instead of through the `msi` crate:
//! transforms store their changes in the same encoding (string pool, cell
//! widths) but as row records, which no crate reads, so the codec is needed
//! anyway; and the `msi` crate refuses databases Windows opens (no summary
//! information stream) and silently reads a string id past the end of the
//! pool as an empty string, where msica must see damage. The `msi` crate
//! still decodes codepages and names languages, and writes the databases
//! the tests build.
//!
//! [`Database::open`] reads the string pool and the table catalogue; each
//! table's rows are decoded the first time they are asked for, so a command
//! reads only the tables it needs and never the embedded cabinets.
//! [`transform`] applies transforms with Windows Installer's semantics and
//! remembers, for every row, which transform added or changed it.

pub mod container;
pub mod patch;
pub mod schema;
pub mod strings;
pub mod summary;
pub mod table;
pub mod transform;

use std::borrow::Cow;
use std::cell::{OnceCell, RefCell};
use std::collections::BTreeMap;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

pub use container::Truncation;
pub use patch::{AppliedPatch, Patch};
pub use strings::StringPool;
pub use summary::PropertySet;
pub use table::{Column, Row, RowOrigin, UnreadableCells, Value};
pub use transform::{AppliedTransform, Transform};

use crate::error::LoadError;
use container::{encode_stream_name, Storage};

/// What the root storage's class id says a compound file is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Class {
    /// An installation package, merge module or ICE database.
    Installer,
    Patch,
    Transform,
}

impl Class {
    fn of(storage: &Storage, path: &Path) -> Result<Self, LoadError> {
        let clsid = storage.root_entry().clsid().to_string();
        match clsid.as_str() {
            "000c1084-0000-0000-c000-000000000046" => Ok(Self::Installer),
            "000c1086-0000-0000-c000-000000000046" => Ok(Self::Patch),
            "000c1082-0000-0000-c000-000000000046" => Ok(Self::Transform),
            other => Err(LoadError::NotADatabase {
                path: path.to_owned(),
                reason: if other.bytes().all(|b| b == b'0' || b == b'-') {
                    "it is an OLE compound file without the class id of an installer database"
                        .into()
                } else {
                    format!(
                        "it is an OLE compound file of another kind (class id {{{}}}, not that of a .msi, .msm, .msp or .mst)",
                        other.to_uppercase()
                    )
                },
            }),
        }
    }
}

/// Something wrong with the file that did not stop msica from reading it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Damage {
    /// What is damaged: `string pool`, `table Binary`, `stream Disk1.cab` ...
    pub part: String,
    pub message: String,
}

/// One table: its columns, and its rows once read.
pub struct Table {
    pub name: String,
    pub columns: Vec<Column>,
    /// The transform that added the table, if one did.
    pub added_by: Option<u8>,
    data: OnceCell<TableData>,
}

/// The rows of a table.
#[derive(Debug, Default)]
pub struct TableData {
    pub rows: Vec<Row>,
    /// Rows that transforms deleted, with the deleting transform in
    /// `origin.changed_by`.
    pub deleted: Vec<Row>,
    /// Why the rows could not be read (then `rows` is empty).
    pub problem: Option<String>,
    pub unreadable: Option<UnreadableCells>,
}

impl Table {
    pub fn key_columns(&self) -> impl Iterator<Item = usize> + '_ {
        self.columns
            .iter()
            .enumerate()
            .filter(|(_, c)| c.is_key())
            .map(|(i, _)| i)
    }

    pub fn column(&self, name: &str) -> Option<usize> {
        self.columns.iter().position(|c| c.name == name)
    }

    /// The rows, if they have been read already.
    pub fn data_if_read(&self) -> Option<&TableData> {
        self.data.get()
    }
}

/// An opened database, with any transforms applied.
pub struct Database {
    pub path: PathBuf,
    pub class: Class,
    pub strings: StringPool,
    /// The summary information, unless the stream is missing.
    pub summary: Option<PropertySet>,
    /// Every table but `_Tables` and `_Columns`, by name.
    tables: BTreeMap<String, Table>,
    /// Tables that transforms dropped, by the dropping transform.
    pub dropped: Vec<(Table, u8)>,
    pub damage: Vec<Damage>,
    pub truncation: Option<Truncation>,
    /// The transforms applied, in order (a patch's among them).
    pub transforms: Vec<AppliedTransform>,
    /// The patches applied, in order, with the pair each applied.
    pub patches: Vec<AppliedPatch>,
    storage: RefCell<Storage>,
    /// Transforms' storages, for the streams they add (newest last).
    overlays: Vec<RefCell<Storage>>,
    /// For each of `overlays`, the transform's own storage in it (`""` for
    /// a transform file; `/NAME` for one embedded in a package or carried
    /// by a patch), searched before the file's root (a patch's cabinets).
    overlay_roots: Vec<String>,
    past_end: Arc<AtomicBool>,
}

impl std::fmt::Debug for Database {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Database")
            .field("path", &self.path)
            .field("class", &self.class)
            .field("tables", &self.tables.keys().collect::<Vec<_>>())
            .finish_non_exhaustive()
    }
}

/// Where a stream stored under `encoded` may be in a transform's storage
/// whose own root is `root`: there first, then at the file's root.
fn overlay_paths(root: &str, encoded: &str) -> Vec<String> {
    let mut paths = vec![format!("/{encoded}")];
    if !root.is_empty() {
        paths.insert(0, format!("{root}/{encoded}"));
    }
    paths
}

/// A file msica was asked to read: a database, or a transform on its own.
#[derive(Debug)]
pub enum Opened {
    Database(Database),
    Transform(Transform),
}

/// Opens a database or a transform.
pub fn open(path: &Path) -> Result<Opened, LoadError> {
    opened(path, container::open_path(path)?)
}

/// Opens a database or a transform held in memory.
pub fn open_bytes(path: &Path, bytes: Vec<u8>) -> Result<Opened, LoadError> {
    opened(path, container::open_bytes(path, bytes)?)
}

fn opened(path: &Path, c: container::Container) -> Result<Opened, LoadError> {
    match Class::of(&c.storage, path)? {
        Class::Transform => Transform::from_storage(path, c.storage, None).map(Opened::Transform),
        class => Database::from_container(path, class, c).map(Opened::Database),
    }
}

/// The system tables that describe the others.
pub const SYSTEM_TABLES: [&str; 2] = ["_Tables", "_Columns"];

impl Database {
    /// Opens a database; a transform is refused with a message that says so.
    pub fn open(path: &Path) -> Result<Self, LoadError> {
        match open(path)? {
            Opened::Database(db) => Ok(db),
            Opened::Transform(_) => Err(LoadError::NotADatabase {
                path: path.to_owned(),
                reason: "it is a transform (.mst); apply it to its database with `-t`".into(),
            }),
        }
    }

    fn from_container(
        path: &Path,
        class: Class,
        c: container::Container,
    ) -> Result<Self, LoadError> {
        let mut storage = c.storage;
        let mut damage = Vec::new();
        // The string pool and the catalogue must be whole: without them no
        // table can be read.
        let truncated = || {
            container::damaged(
                path,
                format!(
                    "truncated at {} bytes, before the end of the data it refers to",
                    c.file_len
                ),
            )
        };
        c.past_end.store(false, Ordering::Relaxed);
        let (strings, pool_damage) = read_string_pool(path, &mut storage, "")?;
        if let Some(d) = pool_damage {
            damage.push(Damage {
                part: "string pool".into(),
                message: d.0,
            });
        }
        let tables = read_catalog(path, &mut storage, &strings, &mut damage)?;
        if c.past_end.swap(false, Ordering::Relaxed) {
            return Err(truncated());
        }
        let summary = read_stream(&mut storage, summary::STREAM)
            .ok()
            .map(|b| PropertySet::read(&b));
        if c.past_end.swap(false, Ordering::Relaxed) {
            damage.push(Damage {
                part: "summary information".into(),
                message: "its stream runs past the end of the file".into(),
            });
        } else if let Some(n) = summary.as_ref().map(|s| s.unreadable).filter(|&n| n > 0) {
            damage.push(Damage {
                part: "summary information".into(),
                message: format!(
                    "{n} of its properties cannot be read (their values run past the stream)"
                ),
            });
        }
        if let Some(t) = &c.truncation {
            for stream in &t.streams {
                damage.push(Damage {
                    part: format!("stream {stream}"),
                    message: format!(
                        "its data runs past the end of the file, which is {} bytes short",
                        t.missing
                    ),
                });
            }
        }
        Ok(Self {
            path: path.to_owned(),
            class,
            strings,
            summary,
            tables,
            dropped: Vec::new(),
            damage,
            truncation: c.truncation,
            transforms: Vec::new(),
            patches: Vec::new(),
            storage: RefCell::new(storage),
            overlays: Vec::new(),
            overlay_roots: Vec::new(),
            past_end: c.past_end,
        })
    }

    /// The tables, by name (without `_Tables` and `_Columns`).
    pub fn tables(&self) -> impl Iterator<Item = &Table> {
        self.tables.values()
    }

    pub fn table_names(&self) -> impl Iterator<Item = &str> {
        self.tables.keys().map(String::as_str)
    }

    pub fn table(&self, name: &str) -> Option<&Table> {
        self.tables.get(name)
    }

    /// Finds a table by name, ignoring case if no name matches exactly.
    pub fn find_table(&self, name: &str) -> Option<&Table> {
        self.tables.get(name).or_else(|| {
            self.tables
                .values()
                .find(|t| t.name.eq_ignore_ascii_case(name))
        })
    }

    pub fn has_table(&self, name: &str) -> bool {
        self.tables.contains_key(name)
    }

    /// The rows of a table, read on first use.
    pub fn data<'a>(&'a self, table: &'a Table) -> &'a TableData {
        table.data.get_or_init(|| self.read_rows(table))
    }

    /// The rows of the named table (empty when it does not exist).
    pub fn rows(&self, name: &str) -> &[Row] {
        self.table(name).map_or(&[], |t| &self.data(t).rows)
    }

    /// How many rows a table has, without decoding them when nothing
    /// changed it; `None` when they cannot be read.
    pub fn row_count(&self, table: &Table) -> Option<usize> {
        if let Some(data) = table.data.get() {
            return data.problem.is_none().then_some(data.rows.len());
        }
        let entry = self
            .storage
            .borrow()
            .entry(encode_stream_name(&table.name, true))
            .ok();
        let Some(entry) = entry else {
            return Some(0);
        };
        let size: usize = table
            .columns
            .iter()
            .map(|c| c.width(self.strings.ref_width()))
            .sum();
        match (size, entry.len() as usize) {
            (0, _) => Some(0),
            (size, len) if len % size < 4 => Some(len / size),
            _ => self
                .data(table)
                .problem
                .is_none()
                .then(|| self.data(table).rows.len()),
        }
    }

    fn read_rows(&self, table: &Table) -> TableData {
        let name = encode_stream_name(&table.name, true);
        self.past_end.store(false, Ordering::Relaxed);
        let bytes = match read_stream(&mut self.storage.borrow_mut(), &name) {
            Ok(bytes) => bytes,
            // A table without a stream has no rows.
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Vec::new(),
            Err(e) => {
                return TableData {
                    problem: Some(format!("its stream cannot be read: {e}")),
                    ..TableData::default()
                }
            }
        };
        if self.past_end.swap(false, Ordering::Relaxed) {
            return TableData {
                problem: Some("its stream runs past the end of the file".into()),
                ..TableData::default()
            };
        }
        match table::decode(&bytes, &table.columns, &self.strings) {
            Ok(decoded) => TableData {
                rows: decoded.rows,
                unreadable: decoded.unreadable,
                ..TableData::default()
            },
            Err(problem) => TableData {
                problem: Some(problem),
                ..TableData::default()
            },
        }
    }

    /// The text of a string cell (`None` for null, integers and streams).
    pub fn str(&self, value: &Value) -> Option<&str> {
        match value {
            Value::Str(id) => self.strings.get(*id),
            _ => None,
        }
    }

    /// A cell as text, as Windows Installer would return it: integers in
    /// decimal, null and unreadable strings empty, a stream by its name.
    pub fn text<'a>(&'a self, table: &Table, row: &Row, column: usize) -> Cow<'a, str> {
        match row.values.get(column) {
            Some(Value::Str(id)) => Cow::Borrowed(self.strings.get(*id).unwrap_or_default()),
            Some(Value::Int(n)) => Cow::Owned(n.to_string()),
            Some(Value::Stream) => Cow::Owned(self.binary_cell(table, row).unwrap_or_default()),
            _ => Cow::Borrowed(""),
        }
    }

    /// The stream a binary cell names, if it exists: a binary cell without
    /// its stream holds nothing.
    pub fn binary_cell(&self, table: &Table, row: &Row) -> Option<String> {
        let name = self.stream_name(table, row);
        self.has_stream(&name).then_some(name)
    }

    /// The row's key values joined with `sep` (`/` for display, `.` for
    /// stream names).
    pub fn key_text(&self, table: &Table, row: &Row, sep: &str) -> String {
        table
            .key_columns()
            .map(|i| self.text(table, row, i))
            .collect::<Vec<_>>()
            .join(sep)
    }

    /// The stream a binary cell of this row refers to: `Table.Key1.Key2`.
    pub fn stream_name(&self, table: &Table, row: &Row) -> String {
        format!("{}.{}", table.name, self.key_text(table, row, "."))
    }

    /// The streams that are not tables (Binary data, cabinets, ...), with
    /// their sizes, from the directory only. A stream a transform added or
    /// replaced is listed once, with its new size.
    pub fn streams(&self) -> Vec<(String, u64)> {
        let mut out: BTreeMap<String, u64> = BTreeMap::new();
        let mut list = |storage: &Storage, root: &str| {
            let Ok(entries) = storage.read_storage(if root.is_empty() { "/" } else { root }) else {
                return;
            };
            for e in entries {
                if !e.is_stream() {
                    continue;
                }
                let (name, is_table) = container::decode_stream_name(e.name());
                if !is_table && !name.starts_with('\u{5}') {
                    out.insert(name, e.len());
                }
            }
        };
        list(&self.storage.borrow(), "");
        for (overlay, root) in self.overlays.iter().zip(&self.overlay_roots) {
            let storage = overlay.borrow();
            list(&storage, "");
            if !root.is_empty() {
                list(&storage, root);
            }
        }
        out.into_iter().collect()
    }

    /// Whether a stream that is not a table exists (in a transform or the base).
    pub fn has_stream(&self, name: &str) -> bool {
        let encoded = encode_stream_name(name, false);
        self.storage.borrow().is_stream(&encoded)
            || self
                .overlays
                .iter()
                .zip(&self.overlay_roots)
                .any(|(o, root)| {
                    let storage = o.borrow();
                    overlay_paths(root, &encoded)
                        .iter()
                        .any(|p| storage.is_stream(p))
                })
    }

    /// Reads a stream that is not a table; transforms' streams first.
    pub fn read_stream(&self, name: &str) -> std::io::Result<Vec<u8>> {
        let encoded = encode_stream_name(name, false);
        for (overlay, root) in self.overlays.iter().zip(&self.overlay_roots).rev() {
            for path in overlay_paths(root, &encoded) {
                if let Ok(bytes) = read_stream(&mut overlay.borrow_mut(), &path) {
                    return Ok(bytes);
                }
            }
        }
        read_stream(&mut self.storage.borrow_mut(), &encoded)
    }

    /// Runs `f` on a stream that is not a table (a transform's first),
    /// read on demand: `f` seeks and reads only what it needs.
    pub fn with_stream<T>(
        &self,
        name: &str,
        f: impl FnOnce(&mut dyn crate::code::Source) -> T,
    ) -> std::io::Result<T> {
        let encoded = encode_stream_name(name, false);
        for overlay in self.overlays.iter().rev() {
            let mut storage = overlay.borrow_mut();
            if storage.is_stream(&encoded) {
                let mut stream = storage.open_stream(&encoded)?;
                return Ok(f(&mut stream));
            }
        }
        let mut storage = self.storage.borrow_mut();
        let mut stream = storage.open_stream(&encoded)?;
        Ok(f(&mut stream))
    }

    /// The first `limit` bytes of a stream that is not a table, and its
    /// whole length, without reading the rest (a preview of a large stream).
    pub fn read_stream_head(&self, name: &str, limit: u64) -> std::io::Result<(Vec<u8>, u64)> {
        let encoded = encode_stream_name(name, false);
        let head = |storage: &RefCell<Storage>, path: &str| -> std::io::Result<(Vec<u8>, u64)> {
            let mut storage = storage.borrow_mut();
            let stream = storage.open_stream(path)?;
            let len = stream.len();
            let mut bytes = Vec::with_capacity(len.min(limit) as usize);
            stream.take(limit).read_to_end(&mut bytes)?;
            Ok((bytes, len))
        };
        for (overlay, root) in self.overlays.iter().zip(&self.overlay_roots).rev() {
            for path in overlay_paths(root, &encoded) {
                if let Ok(found) = head(overlay, &path) {
                    return Ok(found);
                }
            }
        }
        head(&self.storage, &encoded)
    }

    /// The names of substorages (embedded transforms, nested databases).
    pub fn storages(&self) -> Vec<String> {
        self.storage
            .borrow()
            .read_root_storage()
            .filter(|e| e.is_storage())
            .map(|e| e.name().to_owned())
            .collect()
    }

    /// The substorages that are transforms (`msiexec TRANSFORMS=:NAME`).
    pub fn embedded_transforms(&self) -> Vec<String> {
        const TRANSFORM: &str = "000c1082-0000-0000-c000-000000000046";
        self.storage
            .borrow()
            .read_root_storage()
            .filter(|e| e.is_storage() && e.clsid().to_string() == TRANSFORM)
            .map(|e| e.name().to_owned())
            .collect()
    }

    /// Opens a transform embedded in this database as a substorage.
    pub fn embedded_transform(&self, name: &str) -> Result<Transform, LoadError> {
        let storage = self.storage.borrow();
        if !storage.is_storage(format!("/{name}")) {
            let known = self.storages();
            return Err(LoadError::NoSuchTransform {
                path: self.path.clone(),
                name: name.to_owned(),
                known: if known.is_empty() {
                    "it embeds none".into()
                } else {
                    format!("it embeds {}", known.join(", "))
                },
            });
        }
        drop(storage);
        Transform::embedded(self, name)
    }

    /// A property of the Property table.
    pub fn property(&self, name: &str) -> Option<&str> {
        let table = self.table("Property")?;
        let (key, value) = (table.column("Property")?, table.column("Value")?);
        self.data(table)
            .rows
            .iter()
            .find(|r| self.str(&r.values[key]) == Some(name))
            .and_then(|r| self.str(&r.values[value]))
    }

    /// The names of the transforms applied, for messages.
    pub fn transform_name(&self, index: u8) -> &str {
        self.transforms
            .get(index as usize)
            .map_or("a transform", |t| t.name.as_str())
    }
}

/// Reads a whole stream.
fn read_stream(storage: &mut Storage, name: &str) -> std::io::Result<Vec<u8>> {
    let mut stream = storage.open_stream(name)?;
    let mut bytes = Vec::with_capacity(stream.len().min(1 << 24) as usize);
    stream.read_to_end(&mut bytes)?;
    Ok(bytes)
}

/// Reads the string pool of the storage at `root` (`""` for the root).
fn read_string_pool(
    path: &Path,
    storage: &mut Storage,
    root: &str,
) -> Result<(StringPool, Option<strings::PoolDamage>), LoadError> {
    let stream = |name: &str| format!("{root}/{}", encode_stream_name(name, true));
    let missing = |e: std::io::Error| LoadError::NotADatabase {
        path: path.to_owned(),
        reason: format!("it is an OLE compound file without the string pool of a database ({e})"),
    };
    let pool = read_stream(storage, &stream("_StringPool")).map_err(missing)?;
    let data = read_stream(storage, &stream("_StringData")).map_err(missing)?;
    Ok(StringPool::read(&pool, &data))
}

/// The columns of `_Tables` and `_Columns` themselves.
fn catalog_columns() -> (Vec<Column>, Vec<Column>) {
    use table::bits::*;
    let s64 = VALID | STRING | 64;
    (
        vec![Column::new("Name", s64 | KEY)],
        vec![
            Column::new("Table", s64 | KEY),
            Column::new("Number", VALID | KEY | 2),
            Column::new("Name", s64),
            Column::new("Type", VALID | 2),
        ],
    )
}

/// Reads `_Tables` and `_Columns` into table definitions.
fn read_catalog(
    path: &Path,
    storage: &mut Storage,
    strings: &StringPool,
    damage: &mut Vec<Damage>,
) -> Result<BTreeMap<String, Table>, LoadError> {
    let (tables_columns, columns_columns) = catalog_columns();
    let mut decode = |name: &str, columns: &[Column]| -> Result<Vec<Row>, LoadError> {
        let bytes = match read_stream(storage, &encode_stream_name(name, true)) {
            Ok(bytes) => bytes,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Vec::new(),
            Err(e) => return Err(container::damaged(path, format!("{name}: {e}"))),
        };
        table::decode(&bytes, columns, strings)
            .map(|d| d.rows)
            .map_err(|e| container::damaged(path, format!("the table catalogue ({name}) {e}")))
    };
    let names = decode("_Tables", &tables_columns)?;
    let columns = decode("_Columns", &columns_columns)?;
    let mut defs: BTreeMap<String, Vec<(i32, Column)>> = BTreeMap::new();
    let mut unnamed = 0;
    for row in &columns {
        let (Value::Str(t), Value::Int(number), Value::Str(n)) =
            (row.values[0], row.values[1], row.values[2])
        else {
            unnamed += 1;
            continue;
        };
        let (Some(table), Some(name)) = (strings.get(t), strings.get(n)) else {
            unnamed += 1;
            continue;
        };
        let bits = match row.values[3] {
            Value::Int(b) => b as u16,
            _ => 0,
        };
        defs.entry(table.to_owned())
            .or_default()
            .push((number, Column::new(name, bits)));
    }
    if unnamed > 0 {
        damage.push(Damage {
            part: "table catalogue".into(),
            message: format!("{unnamed} column definitions in _Columns cannot be read"),
        });
    }
    let mut tables = BTreeMap::new();
    for row in &names {
        let Some(name) = strings.str_of(&row.values[0]) else {
            continue;
        };
        // A table without columns does not exist (as for Windows).
        let Some(mut cols) = defs.remove(name) else {
            continue;
        };
        cols.sort_by_key(|(n, _)| *n);
        tables.insert(
            name.to_owned(),
            Table {
                name: name.to_owned(),
                columns: cols.into_iter().map(|(_, c)| c).collect(),
                added_by: None,
                data: OnceCell::new(),
            },
        );
    }
    Ok(tables)
}

impl StringPool {
    /// The text of a string cell.
    pub fn str_of(&self, value: &Value) -> Option<&str> {
        match value {
            Value::Str(id) => self.get(*id),
            _ => None,
        }
    }
}
