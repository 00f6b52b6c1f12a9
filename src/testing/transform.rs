//! Writes transforms (.mst) for tests: the `msi` crate cannot.
//!
//! A transform is written as Windows Installer writes one: a compound file
//! with the transform class id, its own string pool, one stream of row
//! records per changed table (`_Tables` and `_Columns` for added tables and
//! columns), the streams it adds, and summary information that carries the
//! product codes, the validation flags and the error-condition flags.

use std::collections::HashMap;
use std::io::{Cursor, Write};

use crate::db::container::encode_stream_name;
use crate::db::summary::{self, PropertyValue, VT_FILETIME, VT_I2, VT_I4, VT_LPSTR};
use crate::db::table::{bits, Column};

/// A cell value of a record.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Cell {
    Null,
    Int(i32),
    Str(String),
    /// A binary cell; its data is the stream named after the row's key.
    Stream,
}

impl From<&str> for Cell {
    fn from(s: &str) -> Self {
        Cell::Str(s.to_owned())
    }
}

impl From<i32> for Cell {
    fn from(n: i32) -> Self {
        Cell::Int(n)
    }
}

impl<T: Into<Cell>> From<Option<T>> for Cell {
    fn from(v: Option<T>) -> Self {
        v.map_or(Cell::Null, Into::into)
    }
}

#[derive(Debug, Clone)]
enum Change {
    Insert(Vec<Cell>),
    /// Key cells, then (column, value) for the columns that change.
    Update(Vec<Cell>, Vec<(usize, Cell)>),
    Delete(Vec<Cell>),
}

/// Builds a transform.
#[derive(Debug, Clone)]
pub struct TransformBuilder {
    codepage: u32,
    long_refs: bool,
    columns: HashMap<String, Vec<Column>>,
    /// Table changes in the order given.
    changes: Vec<(String, Change)>,
    tables_added: Vec<String>,
    tables_dropped: Vec<String>,
    /// (table, number, name, type bits) for `_Columns`.
    columns_added: Vec<(String, i32, String, u16)>,
    streams: Vec<(String, Vec<u8>)>,
    template: String,
    last_saved_by: String,
    revision: String,
    validation: u16,
    errors: u16,
}

impl Default for TransformBuilder {
    fn default() -> Self {
        Self::new()
    }
}

impl TransformBuilder {
    pub fn new() -> Self {
        Self {
            // Neutral, so that it applies to a base of any codepage.
            codepage: 0,
            long_refs: false,
            columns: HashMap::new(),
            changes: Vec::new(),
            tables_added: Vec::new(),
            tables_dropped: Vec::new(),
            columns_added: Vec::new(),
            streams: Vec::new(),
            template: "Intel;1033".into(),
            last_saved_by: "Intel;1033".into(),
            revision: String::new(),
            validation: 0,
            errors: 0,
        }
    }

    /// The codepage of the transform's string pool.
    pub fn codepage(mut self, codepage: u32) -> Self {
        self.codepage = codepage;
        self
    }

    /// String references of 3 bytes instead of 2.
    pub fn long_string_refs(mut self) -> Self {
        self.long_refs = true;
        self
    }

    /// The columns a table's records are written with (default: the
    /// table's standard definition, or the columns this transform adds).
    pub fn columns(mut self, table: &str, columns: Vec<Column>) -> Self {
        self.columns.insert(table.to_owned(), columns);
        self
    }

    pub fn insert(mut self, table: &str, cells: Vec<Cell>) -> Self {
        self.changes.push((table.to_owned(), Change::Insert(cells)));
        self
    }

    /// Changes the given columns (by index) of the row with this key.
    pub fn update(mut self, table: &str, key: Vec<Cell>, cells: Vec<(usize, Cell)>) -> Self {
        self.changes
            .push((table.to_owned(), Change::Update(key, cells)));
        self
    }

    pub fn delete(mut self, table: &str, key: Vec<Cell>) -> Self {
        self.changes.push((table.to_owned(), Change::Delete(key)));
        self
    }

    /// Adds a table with these columns (IDT types, `*` after a key column's
    /// type: `("Name", "s72*")`).
    pub fn add_table(mut self, table: &str, columns: &[(&str, &str)]) -> Self {
        self.tables_added.push(table.to_owned());
        for (i, (name, idt)) in columns.iter().enumerate() {
            self = self.add_column(table, i as i32 + 1, name, idt);
        }
        self
    }

    /// Adds one column (`number` is its 1-based position).
    pub fn add_column(mut self, table: &str, number: i32, name: &str, idt: &str) -> Self {
        let (idt, key) = match idt.strip_suffix('*') {
            Some(idt) => (idt, true),
            None => (idt, false),
        };
        let bits = crate::db::transform::bits_from_idt(idt, key).expect("a valid IDT type");
        self.columns_added
            .push((table.to_owned(), number, name.to_owned(), bits));
        self
    }

    pub fn drop_table(mut self, table: &str) -> Self {
        self.tables_dropped.push(table.to_owned());
        self
    }

    /// A stream the transform adds (`Binary.NewDll`).
    pub fn stream(mut self, name: &str, data: &[u8]) -> Self {
        self.streams.push((name.to_owned(), data.to_vec()));
        self
    }

    /// The product codes and versions (summary PID 9).
    pub fn products(mut self, target: (&str, &str), new: (&str, &str), upgrade_code: &str) -> Self {
        self.revision = format!("{}{};{}{};{upgrade_code}", target.0, target.1, new.0, new.1);
        self
    }

    /// Platform and languages of the target database (`Intel;1033`).
    pub fn target(mut self, template: &str) -> Self {
        self.template = template.to_owned();
        self
    }

    /// Validation flags (`validation_flags::*`).
    pub fn validation(mut self, flags: u16) -> Self {
        self.validation = flags;
        self
    }

    /// Error-condition flags (`error_flags::*`): the errors to ignore.
    pub fn ignore_errors(mut self, flags: u16) -> Self {
        self.errors = flags;
        self
    }

    fn columns_of(&self, table: &str) -> Vec<Column> {
        if let Some(columns) = self.columns.get(table) {
            return columns.clone();
        }
        // The table's own columns (none when this transform adds it), then
        // the columns this transform adds, at their positions.
        let mut columns = if self.tables_added.iter().any(|t| t == table) {
            Vec::new()
        } else {
            crate::db::schema::standard_definitions(table)
                .first()
                .unwrap_or_else(|| panic!("no definition of {table}: give its columns"))
                .to_vec()
        };
        let mut added: Vec<&(String, i32, String, u16)> =
            self.columns_added.iter().filter(|c| c.0 == table).collect();
        added.sort_by_key(|c| c.1);
        for (_, number, name, bits) in added {
            let at = usize::try_from(number - 1).unwrap_or(0).min(columns.len());
            columns.insert(at, Column::new(name.clone(), *bits));
        }
        columns
    }

    /// The transform's bytes.
    pub fn bytes(&self) -> Vec<u8> {
        let mut pool = Pool::default();
        let ref_width = if self.long_refs { 3 } else { 2 };
        let mut streams: Vec<(String, Vec<u8>)> = Vec::new();

        let s64 = bits::VALID | bits::STRING | 64;
        let tables_columns = [Column::new("Name", s64 | bits::KEY)];
        let columns_columns = [
            Column::new("Table", s64 | bits::KEY),
            Column::new("Number", bits::VALID | bits::KEY | 2),
            Column::new("Name", s64),
            Column::new("Type", bits::VALID | 2),
        ];
        let mut tables = Vec::new();
        for t in &self.tables_added {
            record(
                &mut tables,
                &mut pool,
                &tables_columns,
                ref_width,
                &Change::Insert(vec![t.as_str().into()]),
            );
        }
        for t in &self.tables_dropped {
            record(
                &mut tables,
                &mut pool,
                &tables_columns,
                ref_width,
                &Change::Delete(vec![t.as_str().into()]),
            );
        }
        if !tables.is_empty() {
            streams.push(("_Tables".into(), tables));
        }
        let mut columns = Vec::new();
        for (table, number, name, bits) in &self.columns_added {
            let cells = vec![
                table.as_str().into(),
                Cell::Int(*number),
                name.as_str().into(),
                Cell::Int(i32::from(*bits)),
            ];
            record(
                &mut columns,
                &mut pool,
                &columns_columns,
                ref_width,
                &Change::Insert(cells),
            );
        }
        if !columns.is_empty() {
            streams.push(("_Columns".into(), columns));
        }
        let mut per_table: Vec<(String, Vec<u8>)> = Vec::new();
        for (table, change) in &self.changes {
            let cols = self.columns_of(table);
            let at = match per_table.iter().position(|(t, _)| t == table) {
                Some(at) => at,
                None => {
                    per_table.push((table.clone(), Vec::new()));
                    per_table.len() - 1
                }
            };
            record(&mut per_table[at].1, &mut pool, &cols, ref_width, change);
        }
        streams.extend(per_table);

        let mut cfb = cfb::CompoundFile::create(Cursor::new(Vec::new())).expect("create");
        let clsid = "000c1082-0000-0000-c000-000000000046".parse().unwrap();
        cfb.set_storage_clsid("/", clsid).unwrap();
        let mut write = |name: &str, data: &[u8]| {
            cfb.create_stream(name).unwrap().write_all(data).unwrap();
        };
        let header = self.codepage | if self.long_refs { 0x8000_0000 } else { 0 };
        let (pool_bytes, data_bytes) = pool.encode(header, self.codepage);
        write(&encode_stream_name("_StringPool", true), &pool_bytes);
        write(&encode_stream_name("_StringData", true), &data_bytes);
        for (table, data) in &streams {
            write(&encode_stream_name(table, true), data);
        }
        for (name, data) in &self.streams {
            write(&encode_stream_name(name, false), data);
        }
        let flags = (i32::from(self.validation) << 16) | i32::from(self.errors);
        write(
            summary::STREAM,
            &write_property_set(&[
                (summary::PID_CODEPAGE, summary::PropertyValue::Int(1252)),
                (
                    summary::PID_TEMPLATE,
                    summary::PropertyValue::Text(self.template.clone()),
                ),
                (
                    summary::PID_LAST_SAVED_BY,
                    summary::PropertyValue::Text(self.last_saved_by.clone()),
                ),
                (
                    summary::PID_REVISION,
                    summary::PropertyValue::Text(self.revision.clone()),
                ),
                (summary::PID_CHAR_COUNT, summary::PropertyValue::Int(flags)),
            ]),
        );
        cfb.flush().unwrap();
        cfb.into_inner().into_inner()
    }

    /// Writes the transform to `dir/name` and returns the path.
    pub fn write_to(&self, dir: &std::path::Path, name: &str) -> std::path::PathBuf {
        let path = dir.join(name);
        std::fs::write(&path, self.bytes()).expect("write transform");
        path
    }
}

/// The transform's string pool, built as records are written.
#[derive(Default)]
struct Pool {
    ids: HashMap<String, u32>,
    strings: Vec<String>,
}

impl Pool {
    fn id(&mut self, s: &str) -> u32 {
        if let Some(&id) = self.ids.get(s) {
            return id;
        }
        self.strings.push(s.to_owned());
        let id = self.strings.len() as u32;
        self.ids.insert(s.to_owned(), id);
        id
    }

    fn encode(&self, header: u32, codepage: u32) -> (Vec<u8>, Vec<u8>) {
        let codec = msi::CodePage::from_id(codepage as i32).unwrap_or(msi::CodePage::Windows1252);
        let mut pool = header.to_le_bytes().to_vec();
        let mut data = Vec::new();
        for s in &self.strings {
            let bytes = codec.encode(s);
            pool.extend((bytes.len() as u16).to_le_bytes());
            pool.extend(1u16.to_le_bytes());
            data.extend(bytes);
        }
        (pool, data)
    }
}

/// Appends one record to a table's stream.
fn record(
    out: &mut Vec<u8>,
    pool: &mut Pool,
    columns: &[Column],
    ref_width: usize,
    change: &Change,
) {
    let keys: Vec<usize> = (0..columns.len())
        .filter(|&i| columns[i].is_key())
        .collect();
    let (mask, cells): (u16, Vec<(usize, &Cell)>) = match change {
        Change::Insert(cells) => (
            0x1 | ((cells.len() as u16) << 8),
            cells.iter().enumerate().collect(),
        ),
        Change::Delete(key) => (0, keys.iter().copied().zip(key).collect()),
        Change::Update(key, set) => {
            let mut cells: Vec<(usize, &Cell)> = keys.iter().copied().zip(key).collect();
            cells.extend(set.iter().map(|(i, c)| (*i, c)));
            cells.sort_by_key(|(i, _)| *i);
            let mask = set.iter().fold(0u16, |m, (i, _)| m | (1 << i));
            (mask, cells)
        }
    };
    out.extend(mask.to_le_bytes());
    for (i, cell) in cells {
        let column = &columns[i];
        let width = column.width(ref_width);
        let raw: u32 = match cell {
            Cell::Null | Cell::Stream => 0,
            Cell::Str(s) => pool.id(s),
            Cell::Int(n) if width == 2 => (*n + 0x8000) as u32,
            Cell::Int(n) => (*n as u32) ^ 0x8000_0000,
        };
        // A binary cell is stored as a non-zero marker.
        let raw = if column.is_binary() && matches!(cell, Cell::Stream) {
            1
        } else {
            raw
        };
        out.extend(&raw.to_le_bytes()[..width]);
    }
}

/// The database `db` with `transform` embedded as the substorage `name`
/// (`msiexec TRANSFORMS=:name`).
pub fn embed_transform(db: &[u8], name: &str, transform: &[u8]) -> Vec<u8> {
    let mut outer = cfb::CompoundFile::open(Cursor::new(db.to_vec())).expect("the database opens");
    let inner =
        cfb::CompoundFile::open(Cursor::new(transform.to_vec())).expect("the transform opens");
    let root = format!("/{name}");
    outer.create_storage(&root).unwrap();
    outer
        .set_storage_clsid(&root, *inner.root_entry().clsid())
        .unwrap();
    let mut inner = inner;
    let names: Vec<String> = inner
        .read_root_storage()
        .filter(|e| e.is_stream())
        .map(|e| e.name().to_owned())
        .collect();
    for stream in names {
        let mut data = Vec::new();
        std::io::Read::read_to_end(&mut inner.open_stream(&stream).unwrap(), &mut data).unwrap();
        outer
            .create_stream(format!("{root}/{stream}"))
            .unwrap()
            .write_all(&data)
            .unwrap();
    }
    outer.flush().unwrap();
    outer.into_inner().into_inner()
}

/// A property set with one section holding the given properties (the
/// writer behind test fixtures).
pub fn write_property_set(props: &[(u32, PropertyValue)]) -> Vec<u8> {
    let mut values = Vec::new();
    let mut offsets = Vec::new();
    let table_len = 8 + 8 * props.len();
    for (pid, value) in props {
        offsets.push((*pid, (table_len + values.len()) as u32));
        match value {
            // The codepage is a 16-bit value, as Windows writes it.
            PropertyValue::Int(n) if *pid == summary::PID_CODEPAGE => {
                values.extend(VT_I2.to_le_bytes());
                values.extend((*n as i16).to_le_bytes());
                values.extend([0, 0]);
            }
            PropertyValue::Int(n) => {
                values.extend(VT_I4.to_le_bytes());
                values.extend(n.to_le_bytes());
            }
            PropertyValue::Text(s) => {
                values.extend(VT_LPSTR.to_le_bytes());
                values.extend((s.len() as u32 + 1).to_le_bytes());
                values.extend(s.as_bytes());
                values.push(0);
                while values.len() % 4 != 0 {
                    values.push(0);
                }
            }
            PropertyValue::Time(t) => {
                values.extend(VT_FILETIME.to_le_bytes());
                values.extend(t.to_le_bytes());
            }
        }
    }
    let mut b = vec![0xFE, 0xFF, 0, 0];
    b.extend([0u8; 20]);
    b.extend(1u32.to_le_bytes());
    b.extend([0u8; 16]);
    b.extend(48u32.to_le_bytes());
    b.extend(((table_len + values.len()) as u32).to_le_bytes());
    b.extend((props.len() as u32).to_le_bytes());
    for (pid, offset) in offsets {
        b.extend(pid.to_le_bytes());
        b.extend(offset.to_le_bytes());
    }
    b.extend(values);
    b
}
