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
use std::io::{self, BufReader, Read, Seek, Write};
use std::panic::{self, AssertUnwindSafe};
use std::path::Path;
use std::sync::Once;

use serde::Serialize;

use super::{
    ActionType, ConditionSite, ControlEvent, CustomAction, FileEntry, Package, PackageKind,
    Sequence, SequenceKind, SequenceRow, Summary, TableProblem,
};
use crate::error::LoadError;

type MsiPackage = msi::Package<ReadOnlyFile>;

/// The compound-file signature every installer database starts with.
const CFB_MAGIC: [u8; 8] = [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];

/// Loads the analysis model of the database at `path`.
pub fn load_package(path: &Path) -> Result<Package, LoadError> {
    let Opened {
        mut db,
        transform_tables,
    } = open(path)?;
    guarded(path, || Ok(read_model(&mut db, transform_tables)))
}

/// Loads the analysis model of a database held in memory.
pub fn load_from_bytes(bytes: Vec<u8>) -> Result<Package, LoadError> {
    let path = Path::new("<memory>");
    let (mut db, transform_tables) = guarded(path, || {
        let len = Some(bytes.len() as u64);
        let (inner, transform_tables) = prepare(path, io::Cursor::new(bytes), len)?;
        let db = msi::Package::open(inner).map_err(|e| classify_open_error(path, e, len))?;
        Ok((db, transform_tables))
    })?;
    guarded(path, || Ok(read_model(&mut db, transform_tables)))
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
    table_listing(path).map(|listing| listing.tables)
}

/// The tables of a database, or the tables a transform changes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TableListing {
    pub kind: PackageKind,
    /// Names with row counts; `None` when the table cannot be read, and for
    /// every table of a transform (which holds row changes, not rows).
    pub tables: Vec<(String, Option<usize>)>,
}

pub fn table_listing(path: &Path) -> Result<TableListing, LoadError> {
    let Opened {
        mut db,
        transform_tables,
    } = open(path)?;
    if let Some(tables) = transform_tables {
        return Ok(TableListing {
            kind: PackageKind::Transform,
            tables: tables.into_iter().map(|t| (t, None)).collect(),
        });
    }
    let kind = package_kind(&db, &user_table_names(&db));
    let tables = guarded(path, || {
        let names = user_table_names(&db);
        Ok(names
            .into_iter()
            .map(|name| {
                let count = db
                    .select_rows(msi::Select::table(name.as_str()))
                    .map(|rows| rows.len())
                    .ok();
                (name, count)
            })
            .collect())
    })?;
    Ok(TableListing { kind, tables })
}

/// Reads one whole table.
pub fn read_table(path: &Path, name: &str) -> Result<RawTable, LoadError> {
    let Opened {
        mut db,
        transform_tables,
    } = open(path)?;
    if let Some(tables) = transform_tables {
        return Err(
            match tables.into_iter().find(|t| t.eq_ignore_ascii_case(name)) {
                Some(table) => LoadError::TransformTable {
                    path: path.to_owned(),
                    table,
                },
                None => LoadError::NoSuchTable {
                    path: path.to_owned(),
                    table: name.to_owned(),
                },
            },
        );
    }
    guarded(path, || {
        let Some(table_name) = user_table_names(&db)
            .into_iter()
            .find(|t| t == name || t.eq_ignore_ascii_case(name))
        else {
            return Err(LoadError::NoSuchTable {
                path: path.to_owned(),
                table: name.to_owned(),
            });
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
                idt_type: column_bits
                    .get(i)
                    .copied()
                    .flatten()
                    .map_or_else(|| idt_type_of(col), idt_type_from_bits),
                primary_key: col.is_primary_key(),
            })
            .collect();
        let rows = db
            .select_rows(msi::Select::table(table_name.as_str()))
            .map_err(|e| damaged(path, format!("table {table_name}: {e}")))?;
        let rows = rows
            .map(|row| {
                let stream_name = || {
                    key_indices
                        .iter()
                        .map(|&k| value_text(&row[k]))
                        .collect::<Vec<_>>()
                        .join(".")
                };
                (0..row.len())
                    .map(|i| match &row[i] {
                        msi::Value::Null => Cell::Null,
                        msi::Value::Int(n) => Cell::Int(*n),
                        msi::Value::Str(s) => Cell::Str(s.clone()),
                        msi::Value::Binary => {
                            Cell::Stream(format!("{table_name}.{}", stream_name()))
                        }
                    })
                    .collect()
            })
            .collect();
        Ok(RawTable {
            name: table_name,
            columns,
            rows,
        })
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
    let Ok(rows) = db.select_rows(msi::Select::table("_Columns")) else {
        return Vec::new();
    };
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
    let letter = if nullable {
        letter.to_ascii_uppercase()
    } else {
        letter
    };
    format!("{letter}{size}")
}

fn idt_type_of(col: &msi::Column) -> String {
    let (letter, size) = match col.coltype() {
        msi::ColumnType::Int16 => ('i', 2),
        msi::ColumnType::Int32 => ('i', 4),
        msi::ColumnType::Str(n) => (if col.is_localizable() { 'l' } else { 's' }, n),
        msi::ColumnType::Binary => ('v', 0),
    };
    let letter = if col.is_nullable() {
        letter.to_ascii_uppercase()
    } else {
        letter
    };
    format!("{letter}{size}")
}

/// Tables a user can see: everything but the system tables the format uses
/// to describe itself.
fn user_table_names<R: Read + Seek>(db: &msi::Package<R>) -> Vec<String> {
    let mut names: Vec<String> = db
        .tables()
        .map(|t| t.name().to_owned())
        .filter(|n| n != "_Tables" && n != "_Columns")
        .collect();
    names.sort();
    names
}

/// A database opened for reading.
struct Opened {
    db: MsiPackage,
    /// For a transform, the tables it changes (from its table streams). A
    /// transform's tables hold row differences the `msi` crate cannot read,
    /// so they are hidden from it.
    transform_tables: Option<Vec<String>>,
}

fn open(path: &Path) -> Result<Opened, LoadError> {
    let open_error = |source| LoadError::Open {
        path: path.to_owned(),
        source,
    };
    let mut file = File::open(path).map_err(open_error)?;
    if file.metadata().map(|m| m.is_dir()).unwrap_or(false) {
        return Err(LoadError::Open {
            path: path.to_owned(),
            source: io::Error::other("is a directory"),
        });
    }
    let mut magic = [0u8; 8];
    let got = read_up_to(&mut file, &mut magic).map_err(open_error)?;
    if got < magic.len() || magic != CFB_MAGIC {
        let reason = if got == 0 {
            "the file is empty".into()
        } else {
            "it is not an OLE compound file".to_string()
        };
        return Err(LoadError::NotADatabase {
            path: path.to_owned(),
            reason,
        });
    }
    file.rewind().map_err(open_error)?;
    let len = file.metadata().ok().map(|m| m.len());
    guarded(path, || {
        let reader = ReadOnlyFile::new(file).map_err(open_error)?;
        let (reader, transform_tables) = prepare(path, reader, len)?;
        let db = msi::Package::open(reader).map_err(|e| classify_open_error(path, e, len))?;
        Ok(Opened {
            db,
            transform_tables,
        })
    })
}

/// A file opened read-only, seen through an in-memory overlay: writes land in
/// memory and are read back, the file itself never changes. It lets the
/// loader adjust how the database is read without touching the database.
pub(crate) struct ReadOnlyFile {
    file: BufReader<File>,
    /// Where `file` is positioned, to avoid seeks (which drop its buffer).
    file_pos: u64,
    file_len: u64,
    pos: u64,
    len: u64,
    /// Patched byte ranges, applied in order over the file's bytes.
    patches: Vec<(u64, Vec<u8>)>,
}

impl ReadOnlyFile {
    fn new(file: File) -> io::Result<Self> {
        let file_len = file.metadata()?.len();
        // The handle may be shared with a clone: seek before the first read.
        let file_pos = u64::MAX;
        Ok(Self {
            file: BufReader::new(file),
            file_pos,
            file_len,
            pos: 0,
            len: file_len,
            patches: Vec::new(),
        })
    }
}

impl Read for ReadOnlyFile {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        if self.pos >= self.len || buf.is_empty() {
            return Ok(0);
        }
        let want = buf
            .len()
            .min(usize::try_from(self.len - self.pos).unwrap_or(usize::MAX));
        let n = if self.pos < self.file_len {
            if self.file_pos != self.pos {
                self.file.seek(io::SeekFrom::Start(self.pos))?;
            }
            let avail = want.min(usize::try_from(self.file_len - self.pos).unwrap_or(usize::MAX));
            let n = self.file.read(&mut buf[..avail])?;
            self.file_pos = self.pos + n as u64;
            n
        } else {
            buf[..want].fill(0);
            want
        };
        let (start, end) = (self.pos, self.pos + n as u64);
        for (at, bytes) in &self.patches {
            let (p_start, p_end) = (*at, *at + bytes.len() as u64);
            let (lo, hi) = (start.max(p_start), end.min(p_end));
            if lo < hi {
                buf[(lo - start) as usize..(hi - start) as usize]
                    .copy_from_slice(&bytes[(lo - p_start) as usize..(hi - p_start) as usize]);
            }
        }
        self.pos = end;
        Ok(n)
    }
}

impl Write for ReadOnlyFile {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.patches.push((self.pos, buf.to_vec()));
        self.pos += buf.len() as u64;
        self.len = self.len.max(self.pos);
        Ok(buf.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

impl Seek for ReadOnlyFile {
    fn seek(&mut self, to: io::SeekFrom) -> io::Result<u64> {
        let target = match to {
            io::SeekFrom::Start(n) => Some(n),
            io::SeekFrom::End(d) => self.len.checked_add_signed(d),
            io::SeekFrom::Current(d) => self.pos.checked_add_signed(d),
        };
        self.pos = target
            .ok_or_else(|| io::Error::new(io::ErrorKind::InvalidInput, "seek before the start"))?;
        Ok(self.pos)
    }
}

/// Opens the compound file once before the `msi` crate does, to make the
/// database safe and right for it to read:
///
/// - Size fields the file cannot back are refused ([`check_size_fields`]).
/// - A database with the neutral codepage (0) is marked as Windows-1252.
///   Strings of a neutral database are in the ANSI codepage of the machine
///   that reads it; Windows on western systems, and msiinfo everywhere, read
///   them as Windows-1252. The `msi` crate would read them as UTF-8 and turn
///   every byte above 0x7F (`®`, `é`) into U+FFFD.
/// - A transform's `_Tables`, `_Columns` and `_Validation` streams are
///   hidden: they hold row differences, which the `msi` crate reads as rows
///   (and can panic on). The tables the transform changes are returned.
///
/// The changes are written through `inner`: for a file, a [`ReadOnlyFile`]
/// keeps them in memory. Returns the reader, rewound.
fn prepare<F: Read + Write + Seek>(
    path: &Path,
    inner: F,
    len: Option<u64>,
) -> Result<(F, Option<Vec<String>>), LoadError> {
    let mut cfb = cfb::CompoundFile::open(inner).map_err(|e| classify_open_error(path, e, len))?;
    check_size_fields(path, &mut cfb)?;
    // A codepage that cannot be read is left for the `msi` crate to report.
    let _ = neutral_codepage_as_windows_1252(&mut cfb);
    let transform_tables = if cfb.root_entry().clsid().to_string() == TRANSFORM_CLSID {
        let mut tables: Vec<String> = cfb
            .read_root_storage()
            .filter(|e| e.is_stream())
            .filter_map(|e| decode_table_stream_name(e.name()))
            .filter(|t| {
                !matches!(
                    t.as_str(),
                    "_Tables" | "_Columns" | "_StringPool" | "_StringData"
                )
            })
            .collect();
        tables.sort();
        for hidden in ["_Tables", "_Columns", "_Validation"] {
            let name = msi_table_stream_name(hidden);
            if cfb.is_stream(&name) {
                cfb.remove_stream(&name)
                    .map_err(|e| damaged(path, e.to_string()))?;
            }
        }
        Some(tables)
    } else {
        None
    };
    let mut inner = cfb.into_inner();
    inner.rewind().map_err(|e| damaged(path, e.to_string()))?;
    Ok((inner, transform_tables))
}

/// The root storage CLSID of a transform (.mst).
const TRANSFORM_CLSID: &str = "000c1082-0000-0000-c000-000000000046";

/// Sets the string pool's codepage to 1252 if it is neutral (0).
fn neutral_codepage_as_windows_1252<F: Read + Write + Seek>(
    cfb: &mut cfb::CompoundFile<F>,
) -> io::Result<bool> {
    const LONG_STRING_REFS: u32 = 0x8000_0000;
    let name = msi_table_stream_name("_StringPool");
    if !cfb.is_stream(&name) {
        return Ok(false);
    }
    let mut stream = cfb.open_stream(&name)?;
    let mut header = [0u8; 4];
    stream.read_exact(&mut header)?;
    let id = u32::from_le_bytes(header);
    if id & !LONG_STRING_REFS != 0 {
        return Ok(false);
    }
    stream.seek(io::SeekFrom::Start(0))?;
    stream.write_all(&(1252 | (id & LONG_STRING_REFS)).to_le_bytes())?;
    stream.flush()?;
    Ok(true)
}

fn b64_value(c: char) -> Option<u32> {
    match c {
        '0'..='9' => Some(c as u32 - '0' as u32),
        'A'..='Z' => Some(10 + c as u32 - 'A' as u32),
        'a'..='z' => Some(36 + c as u32 - 'a' as u32),
        '.' => Some(62),
        '_' => Some(63),
        _ => None,
    }
}

fn b64_char(v: u32) -> char {
    match v {
        0..=9 => char::from(b'0' + v as u8),
        10..=35 => char::from(b'A' + (v - 10) as u8),
        36..=61 => char::from(b'a' + (v - 36) as u8),
        62 => '.',
        _ => '_',
    }
}

/// Undoes the installer's stream-name compression (two name characters per
/// UTF-16 unit in 0x3800..0x4840); the flag says whether the name carries
/// the 0x4840 prefix of table streams.
pub(crate) fn decode_stream_name(raw: &str) -> (String, bool) {
    let (rest, is_table) = match raw.strip_prefix('\u{4840}') {
        Some(rest) => (rest, true),
        None => (raw, false),
    };
    let mut out = String::new();
    for c in rest.chars() {
        let v = c as u32;
        if (0x3800..0x4800).contains(&v) {
            out.push(b64_char((v - 0x3800) & 0x3f));
            out.push(b64_char((v - 0x3800) >> 6));
        } else if (0x4800..0x4840).contains(&v) {
            out.push(b64_char(v - 0x4800));
        } else {
            out.push(c);
        }
    }
    (out, is_table)
}

/// The table name of a compound-file stream name, if it names a table.
fn decode_table_stream_name(name: &str) -> Option<String> {
    let (decoded, is_table) = decode_stream_name(name);
    is_table.then_some(decoded)
}

/// The compound-file name of a table's stream (the `msi` crate's encoding:
/// a table prefix, then pairs of name characters packed into one).
fn msi_table_stream_name(table: &str) -> String {
    let mut out = String::from('\u{4840}');
    let mut chars = table.chars().peekable();
    while let Some(c1) = chars.next() {
        match (b64_value(c1), chars.peek().copied().and_then(b64_value)) {
            (Some(v1), Some(v2)) => {
                chars.next();
                out.extend(char::from_u32(0x3800 + (v2 << 6) + v1));
            }
            (Some(v1), None) => out.extend(char::from_u32(0x4800 + v1)),
            (None, _) => out.push(c1),
        }
    }
    out
}

/// The summary information stream.
const SUMMARY_STREAM: &str = "\u{5}SummaryInformation";

/// Refuses a database whose size fields promise more than its streams hold,
/// before the `msi` crate allocates by them: the string lengths of the
/// string pool (each one is allocated before it is read) and the string
/// values of the summary information (likewise; and a property table that
/// makes the crate re-read one long value thousands of times). Everything
/// else in the file is left to the crate, whose reads are bounded by the
/// data.
fn check_size_fields<F: Read + Seek>(
    path: &Path,
    cfb: &mut cfb::CompoundFile<F>,
) -> Result<(), LoadError> {
    if let Ok(data) = cfb.entry(msi_table_stream_name("_StringData")) {
        if let Ok(pool) = read_stream(cfb, &msi_table_stream_name("_StringPool")) {
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
    if let Ok(summary) = read_stream(cfb, SUMMARY_STREAM) {
        if let Err(reason) = check_summary(&summary) {
            return Err(damaged(path, format!("summary information: {reason}")));
        }
    }
    Ok(())
}

fn read_stream<F: Read + Seek>(cfb: &mut cfb::CompoundFile<F>, name: &str) -> io::Result<Vec<u8>> {
    let mut bytes = Vec::new();
    // Reads what the chain holds, whatever size the directory claims.
    cfb.open_stream(name)?.read_to_end(&mut bytes)?;
    Ok(bytes)
}

fn le_u16(b: &[u8], at: usize) -> Option<u16> {
    Some(u16::from_le_bytes(
        b.get(at..at.checked_add(2)?)?.try_into().ok()?,
    ))
}

fn le_u32(b: &[u8], at: usize) -> Option<u32> {
    Some(u32::from_le_bytes(
        b.get(at..at.checked_add(4)?)?.try_into().ok()?,
    ))
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
    let Some(section) = le_u32(b, 44) else {
        return Ok(());
    };
    let section = section as usize;
    let Some(count) = le_u32(b, section.saturating_add(4)) else {
        return Ok(());
    };
    if count > MAX_PROPERTIES {
        return Err(format!("{count} properties"));
    }
    let mut total = 0u64;
    for i in 0..count as usize {
        let Some(offset) = le_u32(b, section + 8 + 8 * i + 4) else {
            break;
        };
        let at = section.saturating_add(offset as usize);
        if le_u32(b, at) == Some(VT_LPSTR) {
            let len = u64::from(le_u32(b, at + 4).unwrap_or(0));
            if len > b.len() as u64 {
                return Err(format!(
                    "a string of {len} bytes in a stream of {}",
                    b.len()
                ));
            }
            total += len;
        }
    }
    if total > 4 * b.len() as u64 + 4096 {
        return Err(format!(
            "{total} bytes of strings in a stream of {}",
            b.len()
        ));
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

/// Turns what the compound-file and `msi` readers say into a cause a user
/// can act on. `len` is the file's size, when known.
fn classify_open_error(path: &Path, e: io::Error, len: Option<u64>) -> LoadError {
    let text = e.to_string();
    let lower = text.to_ascii_lowercase();
    let not_a_database = |reason: String| LoadError::NotADatabase {
        path: path.to_owned(),
        reason,
    };
    // The compound-file layer refers to sectors or bytes past the end.
    let truncated = e.kind() == io::ErrorKind::UnexpectedEof
        || lower.contains("sector count is only")
        || lower.contains("but file has only")
        || lower.contains("fill whole buffer")
        || lower.contains("beyond the end")
        || lower.contains("past the end");
    if let Some(clsid) = text
        .strip_prefix("Unrecognized package CLSID (")
        .and_then(|t| t.strip_suffix(')'))
    {
        not_a_database(if clsid.bytes().all(|b| b == b'0' || b == b'-') {
            "it is an OLE compound file without the class id of an installer database".into()
        } else {
            format!(
                "it is an OLE compound file of another kind (class id {{{}}}, not that of a .msi, .msm, .msp or .mst)",
                clsid.to_uppercase()
            )
        })
    } else if truncated {
        let at = len.map(|n| format!(" at {n} bytes")).unwrap_or_default();
        damaged(
            path,
            format!("truncated{at}, before the end of the data it refers to"),
        )
    } else if lower.contains("summaryinformation") {
        not_a_database("it is an OLE compound file without a summary information stream".into())
    } else if lower.contains("no such stream") || lower.contains("not found") {
        not_a_database(format!(
            "it is an OLE compound file without the streams of a database ({text})"
        ))
    } else {
        damaged(path, text)
    }
}

fn damaged(path: &Path, reason: String) -> LoadError {
    LoadError::Damaged {
        path: path.to_owned(),
        reason,
    }
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
    // The panic message speaks of the reader's internals, not of the file.
    result.unwrap_or_else(|_| {
        Err(damaged(
            path,
            "its tables are malformed: the database structure cannot be decoded".into(),
        ))
    })
}

// ------------------------------------------------------------------------ //
// The analysis model

fn package_kind<R: Read + Seek>(db: &msi::Package<R>, tables: &[String]) -> PackageKind {
    match db.package_type() {
        msi::PackageType::Patch => PackageKind::Patch,
        msi::PackageType::Transform => PackageKind::Transform,
        msi::PackageType::Installer if tables.iter().any(|t| t == "ModuleSignature") => {
            PackageKind::MergeModule
        }
        msi::PackageType::Installer => PackageKind::Installer,
    }
}

fn read_model<R: Read + Seek>(
    db: &mut msi::Package<R>,
    transform_tables: Option<Vec<String>>,
) -> Package {
    let kind = package_kind(db, &user_table_names(db));
    let tables = transform_tables.unwrap_or_else(|| user_table_names(db));
    let summary = read_summary(db);
    let mut reader = TableReader {
        db,
        tables: &tables,
        problems: Vec::new(),
        transform: kind == PackageKind::Transform,
    };

    let custom_actions = reader.rows(
        "CustomAction",
        &["Action", "Type", "Source", "Target", "ExtendedType"],
        |r| {
            Some(CustomAction {
                name: r.str(0)?,
                action_type: ActionType::new(r.int(1).unwrap_or(0), r.int(4)),
                source: r.str(2),
                target: r.str(3),
            })
        },
    );
    let mut sequences = Vec::new();
    for kind in SequenceKind::ALL {
        if !reader.has(kind.table_name()) {
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
                })
            },
        );
        sequences.push(Sequence::new(kind, rows));
    }
    let properties: BTreeMap<String, String> = reader
        .rows("Property", &["Property", "Value"], |r| {
            Some((r.str(0)?, r.str(1).unwrap_or_default()))
        })
        .into_iter()
        .collect();
    let binaries: BTreeSet<String> = reader
        .rows("Binary", &["Name"], |r| r.str(0))
        .into_iter()
        .collect();
    let files = reader
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
    let directories = reader
        .rows("Directory", &["Directory"], |r| r.str(0))
        .into_iter()
        .collect();
    let dialogs = reader
        .rows("Dialog", &["Dialog"], |r| r.str(0))
        .into_iter()
        .collect();
    let control_events = reader.rows(
        "ControlEvent",
        &["Dialog_", "Control_", "Event", "Argument", "Condition"],
        |r| {
            Some(ControlEvent {
                dialog: r.str(0)?,
                control: r.str(1).unwrap_or_default(),
                event: r.str(2).unwrap_or_default(),
                argument: r.str(3).unwrap_or_default(),
                condition: r.str(4),
            })
        },
    );
    let conditions = read_condition_sites(&mut reader);
    let validation_actions = reader
        .rows("_ICESequence", &["Action"], |r| r.str(0))
        .into_iter()
        .collect();
    let problems = reader.problems;
    let mut package = Package {
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
        conditions,
        validation_actions,
        problems,
        index: Default::default(),
    };
    package.build_index();
    package
}

/// The conditions of LaunchCondition, ControlCondition and Condition rows
/// (sequence tables and ControlEvent keep theirs in their own model).
fn read_condition_sites<R: Read + Seek>(reader: &mut TableReader<'_, R>) -> Vec<ConditionSite> {
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
            })
        }));
    }
    out
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
        languages: info
            .languages()
            .iter()
            .map(|l| l.tag().to_owned())
            .collect(),
        package_code: info
            .uuid()
            .map(|u| format!("{{{}}}", u.hyphenated().to_string().to_uppercase())),
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

    fn rows<T>(
        &mut self,
        table: &str,
        columns: &[&str],
        mut map: impl FnMut(&RowView) -> Option<T>,
    ) -> Vec<T> {
        if !self.has(table) {
            return Vec::new();
        }
        let db = &mut *self.db;
        let outcome = panic::catch_unwind(AssertUnwindSafe(|| -> io::Result<Vec<T>> {
            let Some(t) = db.get_table(table) else {
                return Ok(Vec::new());
            };
            let indices: Vec<Option<usize>> = columns
                .iter()
                .map(|c| t.columns().iter().position(|col| col.name() == *c))
                .collect();
            let rows = db.select_rows(msi::Select::table(table))?;
            let mut out = Vec::with_capacity(rows.len());
            for row in rows {
                let view = RowView {
                    values: indices.iter().map(|i| i.map(|i| &row[i])).collect(),
                };
                if let Some(item) = map(&view) {
                    out.push(item);
                }
            }
            Ok(out)
        }));
        match outcome {
            Ok(Ok(rows)) => rows,
            Ok(Err(e)) => {
                self.problems.push(TableProblem {
                    table: table.to_owned(),
                    message: e.to_string(),
                });
                Vec::new()
            }
            Err(_) => {
                self.problems.push(TableProblem {
                    table: table.to_owned(),
                    message: "malformed table data".into(),
                });
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
