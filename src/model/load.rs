//! The loader: the only place that uses the `msi` crate.
//!
//! It opens a database read-only, reads the few tables the analysis needs and
//! turns them into the owned [`Package`] model. A table that exists but cannot
//! be decoded becomes a [`TableProblem`], not a failure. The `msi` crate can
//! panic on malformed data; every call into it runs under
//! [`catch_unwind`](std::panic::catch_unwind) and a panic becomes an error
//! that names the file.


use std::collections::{BTreeMap, BTreeSet};
use std::fs::File;
use std::io::{self, BufReader, Read, Seek};
use std::panic::{self, AssertUnwindSafe};
use std::path::Path;
use std::sync::Once;

use serde::Serialize;

use super::{
    ActionType, ControlEvent, CustomAction, FileEntry, Package, PackageKind, Sequence, SequenceKind, SequenceRow,
    Summary, TableProblem,
};
use crate::error::LoadError;

type MsiPackage = msi::Package<BufReader<File>>;

/// The compound-file signature every installer database starts with.
const CFB_MAGIC: [u8; 8] = [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];

/// Loads the analysis model of the database at `path`.
pub fn load_package(path: &Path) -> Result<Package, LoadError> {
    let mut db = open(path)?;
    guarded(path, || Ok(read_model(&mut db)))
}

/// Loads the analysis model of a database held in memory.
pub fn load_from_bytes(bytes: Vec<u8>) -> Result<Package, LoadError> {
    let path = Path::new("<memory>");
    let mut db = guarded(path, || {
        let inner = check_size_fields(path, io::Cursor::new(bytes))?;
        msi::Package::open(inner).map_err(|e| classify_open_error(path, e))
    })?;
    guarded(path, || Ok(read_model(&mut db)))
}

/// One table, every column and row, for Orca-like display and export.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RawTable {
    pub name: String,
    pub columns: Vec<RawColumn>,
    pub rows: Vec<Vec<Cell>>,
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
}

fn serialize_stream<S: serde::Serializer>(name: &str, s: S) -> Result<S::Ok, S::Error> {
    use serde::ser::SerializeMap;
    let mut map = s.serialize_map(Some(1))?;
    map.serialize_entry("stream", name)?;
    map.end()
}

impl Cell {
    /// The cell as IDT text (empty for null).
    pub fn to_text(&self) -> String {
        match self {
            Cell::Null => String::new(),
            Cell::Int(i) => i.to_string(),
            Cell::Str(s) | Cell::Stream(s) => s.clone(),
        }
    }
}

/// Table names with their row counts (`None` when the table cannot be read).
pub fn list_tables(path: &Path) -> Result<Vec<(String, Option<usize>)>, LoadError> {
    let mut db = open(path)?;
    guarded(path, || {
        let names = user_table_names(&db);
        Ok(names.into_iter().map(|name| {
            let count = db.select_rows(msi::Select::table(name.as_str())).map(|rows| rows.len()).ok();
            (name, count)
        }).collect())
    })
}

/// Reads one whole table.
pub fn read_table(path: &Path, name: &str) -> Result<RawTable, LoadError> {
    let mut db = open(path)?;
    guarded(path, || {
        let Some(table_name) = user_table_names(&db).into_iter().find(|t| t == name || t.eq_ignore_ascii_case(name))
        else {
            return Err(LoadError::NoSuchTable { path: path.to_owned(), table: name.to_owned() });
        };
        let column_bits = column_type_bits(&mut db, &table_name);
        let table = db.get_table(&table_name).expect("listed table exists");
        let key_indices = table.primary_key_indices();
        let columns: Vec<RawColumn> = table
            .columns()
            .iter()
            .enumerate()
            .map(|(i, col)| RawColumn {
                name: col.name().to_owned(),
                idt_type: column_bits.get(i).copied().flatten().map_or_else(|| idt_type_of(col), idt_type_from_bits),
                primary_key: col.is_primary_key(),
            })
            .collect();
        let rows = db
            .select_rows(msi::Select::table(table_name.as_str()))
            .map_err(|e| damaged(path, format!("table {table_name}: {e}")))?;
        let rows = rows
            .map(|row| {
                let stream_name = || {
                    key_indices.iter().map(|&k| value_text(&row[k])).collect::<Vec<_>>().join(".")
                };
                (0..row.len())
                    .map(|i| match &row[i] {
                        msi::Value::Null => Cell::Null,
                        msi::Value::Int(n) => Cell::Int(*n),
                        msi::Value::Str(s) => Cell::Str(s.clone()),
                        msi::Value::Binary => Cell::Stream(format!("{table_name}.{}", stream_name())),
                    })
                    .collect()
            })
            .collect();
        Ok(RawTable { name: table_name, columns, rows })
    })
}

fn value_text(value: &msi::Value) -> String {
    match value {
        msi::Value::Null | msi::Value::Binary => String::new(),
        msi::Value::Int(n) => n.to_string(),
        msi::Value::Str(s) => s.clone(),
    }
}

/// Raw `_Columns.Type` bits of each column of `table`, by column index.
fn column_type_bits(db: &mut MsiPackage, table: &str) -> Vec<Option<i32>> {
    let Ok(rows) = db.select_rows(msi::Select::table("_Columns")) else { return Vec::new() };
    let mut bits = Vec::new();
    for row in rows {
        if row[0].as_str() == Some(table) {
            if let (Some(number), Some(ty)) = (row[1].as_int(), row[3].as_int()) {
                let index = (number as usize).saturating_sub(1);
                if index < 4096 {
                    if bits.len() <= index {
                        bits.resize(index + 1, None);
                    }
                    bits[index] = Some(ty);
                }
            }
        }
    }
    bits
}

/// IDT type code from `_Columns` type bits, as msiinfo export writes it.
fn idt_type_from_bits(bits: i32) -> String {
    const VALID: i32 = 0x0100;
    const LOCALIZABLE: i32 = 0x0200;
    const STRING: i32 = 0x0800;
    const NULLABLE: i32 = 0x1000;
    let nullable = bits & NULLABLE != 0;
    let (letter, size) = if bits & !(NULLABLE | 0x2000) == STRING | VALID {
        ('v', 0)
    } else if bits & STRING != 0 {
        (if bits & LOCALIZABLE != 0 { 'l' } else { 's' }, bits & 0xFF)
    } else {
        ('i', bits & 0xFF)
    };
    let letter = if nullable { letter.to_ascii_uppercase() } else { letter };
    format!("{letter}{size}")
}

fn idt_type_of(col: &msi::Column) -> String {
    let (letter, size) = match col.coltype() {
        msi::ColumnType::Int16 => ('i', 2),
        msi::ColumnType::Int32 => ('i', 4),
        msi::ColumnType::Str(n) => (if col.is_localizable() { 'l' } else { 's' }, n),
        msi::ColumnType::Binary => ('v', 0),
    };
    let letter = if col.is_nullable() { letter.to_ascii_uppercase() } else { letter };
    format!("{letter}{size}")
}

/// Tables a user can see: everything but the system tables the format uses
/// to describe itself.
fn user_table_names<R: Read + Seek>(db: &msi::Package<R>) -> Vec<String> {
    let mut names: Vec<String> =
        db.tables().map(|t| t.name().to_owned()).filter(|n| n != "_Tables" && n != "_Columns").collect();
    names.sort();
    names
}

fn open(path: &Path) -> Result<MsiPackage, LoadError> {
    let mut file = File::open(path).map_err(|source| LoadError::Open { path: path.to_owned(), source })?;
    if file.metadata().map(|m| m.is_dir()).unwrap_or(false) {
        return Err(LoadError::Open { path: path.to_owned(), source: io::Error::other("is a directory") });
    }
    let mut magic = [0u8; 8];
    let got = read_up_to(&mut file, &mut magic).map_err(|source| LoadError::Open { path: path.to_owned(), source })?;
    if got < magic.len() || magic != CFB_MAGIC {
        let reason = if got == 0 { "the file is empty".into() } else { "it is not an OLE compound file".to_string() };
        return Err(LoadError::NotADatabase { path: path.to_owned(), reason });
    }
    file.rewind().map_err(|source| LoadError::Open { path: path.to_owned(), source })?;
    guarded(path, || {
        let inner = check_size_fields(path, BufReader::new(file))?;
        msi::Package::open(inner).map_err(|e| classify_open_error(path, e))
    })
}

/// The string pool and summary information streams, as stored.
const STRING_POOL_STREAM: &str = "\u{4840}\u{3F3F}\u{4577}\u{446C}\u{3E6A}\u{44B2}\u{482F}";
const STRING_DATA_STREAM: &str = "\u{4840}\u{3F3F}\u{4577}\u{446C}\u{3B6A}\u{45E4}\u{4824}";
const SUMMARY_STREAM: &str = "\u{5}SummaryInformation";

/// Refuses a database whose size fields promise more than its streams hold,
/// before the `msi` crate allocates by them: the string lengths of the
/// string pool (each one is allocated before it is read) and the string
/// values of the summary information (likewise; and a property table that
/// makes the crate re-read one long value thousands of times). Everything
/// else in the file is left to the crate, whose reads are bounded by the
/// data. Returns the reader, rewound.
fn check_size_fields<F: Read + Seek>(path: &Path, inner: F) -> Result<F, LoadError> {
    let mut cfb = cfb::CompoundFile::open(inner).map_err(|e| classify_open_error(path, e))?;
    if let Ok(data) = cfb.entry(STRING_DATA_STREAM) {
        if let Ok(pool) = read_stream(&mut cfb, STRING_POOL_STREAM) {
            let claimed = string_pool_claim(&pool);
            if claimed > data.len() {
                let reason = format!(
                    "the string pool promises {claimed} bytes of strings but the string data holds {}",
                    data.len()
                );
                return Err(damaged(path, reason));
            }
        }
    }
    if let Ok(summary) = read_stream(&mut cfb, SUMMARY_STREAM) {
        if let Err(reason) = check_summary(&summary) {
            return Err(damaged(path, format!("summary information: {reason}")));
        }
    }
    let mut inner = cfb.into_inner();
    inner.rewind().map_err(|e| damaged(path, e.to_string()))?;
    Ok(inner)
}

fn read_stream<F: Read + Seek>(cfb: &mut cfb::CompoundFile<F>, name: &str) -> io::Result<Vec<u8>> {
    let mut bytes = Vec::new();
    // Reads what the chain holds, whatever size the directory claims.
    cfb.open_stream(name)?.read_to_end(&mut bytes)?;
    Ok(bytes)
}

fn le_u16(b: &[u8], at: usize) -> Option<u16> {
    Some(u16::from_le_bytes(b.get(at..at.checked_add(2)?)?.try_into().ok()?))
}

fn le_u32(b: &[u8], at: usize) -> Option<u32> {
    Some(u32::from_le_bytes(b.get(at..at.checked_add(4)?)?.try_into().ok()?))
}

/// Total string bytes a string pool announces (entries after the 4-byte
/// codepage: a 16-bit length and refcount; a zero length with a refcount
/// means a 32-bit length follows).
fn string_pool_claim(pool: &[u8]) -> u64 {
    let mut total = 0u64;
    let mut at = 4;
    while let (Some(len), Some(refcount)) = (le_u16(pool, at), le_u16(pool, at + 2)) {
        at += 4;
        let mut len = u64::from(len);
        if len == 0 && refcount > 0 {
            let Some(long) = le_u32(pool, at) else { break };
            len = u64::from(long);
            at += 4;
        }
        total += len;
    }
    total
}

/// Checks the string values of a property set against its length, as the
/// `msi` crate will read them (one section, a table of property offsets).
fn check_summary(b: &[u8]) -> Result<(), String> {
    const VT_LPSTR: u32 = 30;
    const MAX_PROPERTIES: u32 = 4096;
    let Some(section) = le_u32(b, 44) else { return Ok(()) };
    let section = section as usize;
    let Some(count) = le_u32(b, section.saturating_add(4)) else { return Ok(()) };
    if count > MAX_PROPERTIES {
        return Err(format!("{count} properties"));
    }
    let mut total = 0u64;
    for i in 0..count as usize {
        let Some(offset) = le_u32(b, section + 8 + 8 * i + 4) else { break };
        let at = section.saturating_add(offset as usize);
        if le_u32(b, at) == Some(VT_LPSTR) {
            let len = u64::from(le_u32(b, at + 4).unwrap_or(0));
            if len > b.len() as u64 {
                return Err(format!("a string of {len} bytes in a stream of {}", b.len()));
            }
            total += len;
        }
    }
    if total > 4 * b.len() as u64 + 4096 {
        return Err(format!("{total} bytes of strings in a stream of {}", b.len()));
    }
    Ok(())
}

fn read_up_to(file: &mut File, buf: &mut [u8]) -> io::Result<usize> {
    let mut filled = 0;
    while filled < buf.len() {
        match file.read(&mut buf[filled..])? {
            0 => break,
            n => filled += n,
        }
    }
    Ok(filled)
}

fn classify_open_error(path: &Path, e: io::Error) -> LoadError {
    let text = e.to_string();
    let lower = text.to_ascii_lowercase();
    if lower.contains("clsid") || lower.contains("not found") || lower.contains("no such") {
        LoadError::NotADatabase { path: path.to_owned(), reason: describe_missing(&text) }
    } else {
        LoadError::Damaged { path: path.to_owned(), reason: text }
    }
}

fn describe_missing(text: &str) -> String {
    if text.contains("\u{5}SummaryInformation") || text.contains("SummaryInformation") {
        "it has no summary information stream".into()
    } else if text.to_ascii_lowercase().contains("clsid") {
        format!("the compound file is not marked as an installer database ({text})")
    } else {
        format!("a required stream is missing ({text})")
    }
}

fn damaged(path: &Path, reason: String) -> LoadError {
    LoadError::Damaged { path: path.to_owned(), reason }
}

thread_local! {
    static QUIET_PANICS: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

/// Runs `f`, turning a panic inside the `msi` crate into a [`LoadError`]
/// that names the file. The default panic message is suppressed meanwhile.
fn guarded<T>(path: &Path, f: impl FnOnce() -> Result<T, LoadError>) -> Result<T, LoadError> {
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
    result.unwrap_or_else(|payload| {
        let detail = payload
            .downcast_ref::<&str>()
            .map(|s| s.to_string())
            .or_else(|| payload.downcast_ref::<String>().cloned())
            .unwrap_or_else(|| "unexpected data".into());
        Err(damaged(path, format!("malformed database structure ({detail})")))
    })
}

// ------------------------------------------------------------------------ //
// The analysis model

fn read_model<R: Read + Seek>(db: &mut msi::Package<R>) -> Package {
    let tables = user_table_names(db);
    let kind = match db.package_type() {
        msi::PackageType::Patch => PackageKind::Patch,
        msi::PackageType::Transform => PackageKind::Transform,
        msi::PackageType::Installer if tables.iter().any(|t| t == "ModuleSignature") => PackageKind::MergeModule,
        msi::PackageType::Installer => PackageKind::Installer,
    };
    let summary = read_summary(db);
    let mut reader = TableReader { db, tables: &tables, problems: Vec::new(), transform: kind == PackageKind::Transform };

    let custom_actions = reader.rows("CustomAction", &["Action", "Type", "Source", "Target", "ExtendedType"], |r| {
        Some(CustomAction {
            name: r.str(0)?,
            action_type: ActionType::new(r.int(1).unwrap_or(0), r.int(4)),
            source: r.str(2),
            target: r.str(3),
        })
    });
    let mut sequences = Vec::new();
    for kind in SequenceKind::ALL {
        if !reader.has(kind.table_name()) {
            continue;
        }
        let rows = reader.rows(kind.table_name(), &["Action", "Condition", "Sequence", "BaseAction", "After"], |r| {
            Some(SequenceRow {
                action: r.str(0)?,
                condition: r.str(1),
                sequence: r.int(2),
                base_action: r.str(3),
                after: r.int(4).map(|a| a != 0),
                order: None,
                root_sequence: None,
            })
        });
        sequences.push(Sequence::new(kind, rows));
    }
    let properties: BTreeMap<String, String> =
        reader.rows("Property", &["Property", "Value"], |r| Some((r.str(0)?, r.str(1).unwrap_or_default()))).into_iter().collect();
    let binaries: BTreeSet<String> = reader.rows("Binary", &["Name"], |r| r.str(0)).into_iter().collect();
    let files = reader
        .rows("File", &["File", "Component_"], |r| Some((r.str(0)?, FileEntry { component: r.str(1).unwrap_or_default() })))
        .into_iter()
        .collect();
    let directories = reader.rows("Directory", &["Directory"], |r| r.str(0)).into_iter().collect();
    let dialogs = reader.rows("Dialog", &["Dialog"], |r| r.str(0)).into_iter().collect();
    let control_events =
        reader.rows("ControlEvent", &["Dialog_", "Control_", "Event", "Argument", "Condition"], |r| {
            Some(ControlEvent {
                dialog: r.str(0)?,
                control: r.str(1).unwrap_or_default(),
                event: r.str(2).unwrap_or_default(),
                argument: r.str(3).unwrap_or_default(),
                condition: r.str(4),
            })
        });
    let problems = reader.problems;
    Package {
        kind,
        summary,
        tables,
        custom_actions,
        sequences,
        properties,
        binaries,
        files,
        directories,
        dialogs,
        control_events,
        problems,
    }
}

fn read_summary<R: Read + Seek>(db: &msi::Package<R>) -> Summary {
    let info = db.summary_info();
    Summary {
        title: info.title().map(str::to_owned),
        subject: info.subject().map(str::to_owned),
        author: info.author().map(str::to_owned),
        comments: info.comments().map(str::to_owned),
        keywords: info.keywords(),
        creating_application: info.creating_application().map(str::to_owned),
        platform: info.arch().map(str::to_owned),
        languages: info.languages().iter().map(|l| l.tag().to_owned()).collect(),
        package_code: info.uuid().map(|u| format!("{{{}}}", u.hyphenated().to_string().to_uppercase())),
        schema: info.page_count(),
        word_count: info.word_count(),
        codepage: db.database_codepage().id() as u32,
    }
}

/// Reads selected columns of tables by name, tolerating missing tables and
/// columns and recording tables that fail to decode.
struct TableReader<'a, R: Read + Seek> {
    db: &'a mut msi::Package<R>,
    tables: &'a [String],
    problems: Vec<TableProblem>,
    /// Transforms store row differences, not rows: their tables are not read.
    transform: bool,
}

/// A row projected onto the requested columns (missing columns read as null).
struct RowView<'a> {
    values: Vec<Option<&'a msi::Value>>,
}

impl RowView<'_> {
    fn str(&self, i: usize) -> Option<String> {
        match self.values.get(i).copied().flatten() {
            Some(msi::Value::Str(s)) => Some(s.clone()),
            Some(msi::Value::Int(n)) => Some(n.to_string()),
            _ => None,
        }
    }

    fn int(&self, i: usize) -> Option<i32> {
        match self.values.get(i).copied().flatten() {
            Some(msi::Value::Int(n)) => Some(*n),
            Some(msi::Value::Str(s)) => s.trim().parse().ok(),
            _ => None,
        }
    }
}

impl<R: Read + Seek> TableReader<'_, R> {
    fn has(&self, table: &str) -> bool {
        !self.transform && self.tables.iter().any(|t| t == table)
    }

    fn rows<T>(&mut self, table: &str, columns: &[&str], mut map: impl FnMut(&RowView) -> Option<T>) -> Vec<T> {
        if !self.has(table) {
            return Vec::new();
        }
        let db = &mut *self.db;
        let outcome = panic::catch_unwind(AssertUnwindSafe(|| -> io::Result<Vec<T>> {
            let Some(t) = db.get_table(table) else { return Ok(Vec::new()) };
            let indices: Vec<Option<usize>> =
                columns.iter().map(|c| t.columns().iter().position(|col| col.name() == *c)).collect();
            let rows = db.select_rows(msi::Select::table(table))?;
            let mut out = Vec::with_capacity(rows.len());
            for row in rows {
                let view = RowView { values: indices.iter().map(|i| i.map(|i| &row[i])).collect() };
                if let Some(item) = map(&view) {
                    out.push(item);
                }
            }
            Ok(out)
        }));
        match outcome {
            Ok(Ok(rows)) => rows,
            Ok(Err(e)) => {
                self.problems.push(TableProblem { table: table.to_owned(), message: e.to_string() });
                Vec::new()
            }
            Err(_) => {
                self.problems.push(TableProblem { table: table.to_owned(), message: "malformed table data".into() });
                Vec::new()
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn idt_codes_follow_column_bits() {
        assert_eq!(idt_type_from_bits(0x2D48), "s72"); // key, string, valid, 72
        assert_eq!(idt_type_from_bits(0x1502), "I2"); // nullable int16
        assert_eq!(idt_type_from_bits(0x1104), "I4");
        assert_eq!(idt_type_from_bits(0x1900), "V0"); // nullable binary
        assert_eq!(idt_type_from_bits(0x0900), "v0");
        assert_eq!(idt_type_from_bits(0x1BFF), "L255");
    }

    #[test]
    fn string_pool_claims_count_short_and_long_lengths() {
        let mut pool = vec![0xE4, 0x04, 0, 0]; // codepage 1252
        pool.extend([5, 0, 1, 0]); // "hello"
        pool.extend([0, 0, 0, 0]); // unused slot
        pool.extend([0, 0, 1, 0, 0xF0, 0xFF, 0xFF, 0xFF]); // 32-bit length
        pool.extend([3]); // a dangling byte is ignored
        assert_eq!(string_pool_claim(&pool), 5 + 0xFFFF_FFF0);
    }

    #[test]
    fn summary_strings_longer_than_the_stream_are_refused() {
        let mut b = vec![0u8; 48];
        b[44..48].copy_from_slice(&48u32.to_le_bytes()); // section offset
        b.extend(0u32.to_le_bytes()); // section size
        b.extend(1u32.to_le_bytes()); // one property
        b.extend(2u32.to_le_bytes()); // id: title
        b.extend(16u32.to_le_bytes()); // at section offset + 16
        b.extend(30u32.to_le_bytes()); // VT_LPSTR
        b.extend(3u32.to_le_bytes());
        b.extend(*b"ab\0");
        assert!(check_summary(&b).is_ok());
        let at = b.len() - 7;
        b[at..at + 4].copy_from_slice(&0xFFFF_FFF0u32.to_le_bytes());
        assert!(check_summary(&b).is_err());
    }
}
