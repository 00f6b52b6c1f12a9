//! Columns, values and rows, and the decoding of a table stream.
//!
//! A table stream stores its rows column after column: every row's first
//! cell, then every row's second cell, and so on. A cell is a string id (2
//! or 3 bytes), a 16-bit or 32-bit integer stored with its sign bit flipped
//! (0 is null), or 2 bytes for a binary column, whose data lives in a
//! stream named after the row's key.

use super::strings::{StringId, StringPool};

/// Column type bits, as stored in `_Columns.Type`.
pub mod bits {
    pub const SIZE: u16 = 0x00FF;
    pub const VALID: u16 = 0x0100;
    pub const LOCALIZABLE: u16 = 0x0200;
    pub const STRING: u16 = 0x0800;
    pub const NULLABLE: u16 = 0x1000;
    pub const KEY: u16 = 0x2000;
}

/// One column of a table.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Column {
    pub name: String,
    /// The raw type bits of `_Columns.Type`.
    pub bits: u16,
}

impl Column {
    pub fn new(name: impl Into<String>, bits: u16) -> Self {
        Self {
            name: name.into(),
            bits,
        }
    }

    pub fn is_key(&self) -> bool {
        self.bits & bits::KEY != 0
    }

    pub fn is_nullable(&self) -> bool {
        self.bits & bits::NULLABLE != 0
    }

    /// A binary column: its cells name streams.
    pub fn is_binary(&self) -> bool {
        self.bits & !bits::NULLABLE == bits::STRING | bits::VALID
    }

    pub fn is_string(&self) -> bool {
        self.bits & bits::STRING != 0 && !self.is_binary()
    }

    /// Bytes a cell of this column takes in a stream whose string
    /// references are `ref_width` bytes.
    pub fn width(&self, ref_width: usize) -> usize {
        if self.is_binary() {
            2
        } else if self.is_string() {
            ref_width
        } else if self.bits & bits::SIZE <= 2 {
            2
        } else {
            4
        }
    }

    /// The column type in IDT notation: `s72`, `L0`, `I2`, `v0` ...
    pub fn idt_type(&self) -> String {
        let size = self.bits & bits::SIZE;
        let (letter, size) = if self.is_binary() {
            ('v', 0)
        } else if self.is_string() {
            let localizable = self.bits & bits::LOCALIZABLE != 0;
            (if localizable { 'l' } else { 's' }, size)
        } else {
            ('i', size)
        };
        if self.is_nullable() {
            format!("{}{size}", letter.to_ascii_uppercase())
        } else {
            format!("{letter}{size}")
        }
    }
}

/// A cell as stored.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Value {
    Null,
    Int(i32),
    /// An id in the database's string pool.
    Str(StringId),
    /// A string id beyond the end of the string pool: the text is lost.
    Unreadable(u32),
    /// A binary cell; its data is the stream named after the row's key.
    Stream,
}

/// Where a row comes from, when transforms were applied.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct RowOrigin {
    /// The transform (index into the applied transforms) that added it.
    pub added_by: Option<u8>,
    /// The last transform that changed it, and the columns it changed (bit i
    /// for column i).
    pub changed_by: Option<(u8, u64)>,
}

impl RowOrigin {
    pub fn is_base(&self) -> bool {
        self.added_by.is_none() && self.changed_by.is_none()
    }
}

/// One row of a table.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Row {
    pub values: Box<[Value]>,
    pub origin: RowOrigin,
}

/// Cells whose string id lies beyond the string pool.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct UnreadableCells {
    pub cells: usize,
    pub rows: usize,
    pub lowest_id: u32,
    pub highest_id: u32,
}

/// Decoded rows of one table stream.
#[derive(Debug, Default)]
pub struct Decoded {
    pub rows: Vec<Row>,
    pub unreadable: Option<UnreadableCells>,
}

/// Decodes a table stream. Fails when the stream does not divide into rows.
pub fn decode(data: &[u8], columns: &[Column], strings: &StringPool) -> Result<Decoded, String> {
    let mut ref_width = strings.ref_width();
    let row_size = |w: usize| columns.iter().map(|c| c.width(w)).sum::<usize>();
    let mut size = row_size(ref_width);
    if size == 0 {
        return Ok(Decoded::default());
    }
    // A transform may switch the pool to long references without rewriting
    // the tables that do not change: such a table still uses 2 bytes.
    if !data.len().is_multiple_of(size) && ref_width == 3 && data.len().is_multiple_of(row_size(2))
    {
        ref_width = 2;
        size = row_size(2);
    }
    let mut len = data.len();
    match len % size {
        0 => {}
        // Windows ignores a few bytes of padding.
        padding if padding < 4 => len -= padding,
        _ => {
            return Err(format!(
                "its stream of {} bytes does not divide into rows of {size} bytes",
                data.len()
            ))
        }
    }
    let count = len / size;
    let mut rows: Vec<Vec<Value>> = (0..count)
        .map(|_| Vec::with_capacity(columns.len()))
        .collect();
    let mut unreadable: Option<UnreadableCells> = None;
    let mut offset = 0;
    for column in columns {
        let width = column.width(ref_width);
        let cells = &data[offset..offset + width * count];
        offset += width * count;
        for (i, cell) in cells.chunks_exact(width).enumerate() {
            let raw = cell
                .iter()
                .rev()
                .fold(0u32, |acc, &b| (acc << 8) | u32::from(b));
            let value = if column.is_binary() {
                Value::Stream
            } else if raw == 0 {
                Value::Null
            } else if column.is_string() {
                if raw <= strings.len() {
                    Value::Str(raw)
                } else {
                    let u = unreadable.get_or_insert(UnreadableCells {
                        cells: 0,
                        rows: 0,
                        lowest_id: raw,
                        highest_id: raw,
                    });
                    u.cells += 1;
                    u.lowest_id = u.lowest_id.min(raw);
                    u.highest_id = u.highest_id.max(raw);
                    Value::Unreadable(raw)
                }
            } else if width == 2 {
                Value::Int(raw as i32 - 0x8000)
            } else {
                Value::Int((raw ^ 0x8000_0000) as i32)
            };
            rows[i].push(value);
        }
    }
    if let Some(u) = unreadable.as_mut() {
        u.rows = rows
            .iter()
            .filter(|r| r.iter().any(|v| matches!(v, Value::Unreadable(_))))
            .count();
    }
    Ok(Decoded {
        rows: rows
            .into_iter()
            .map(|values| Row {
                values: values.into_boxed_slice(),
                origin: RowOrigin::default(),
            })
            .collect(),
        unreadable,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pool(strings: &[&str]) -> StringPool {
        let mut p = StringPool::empty(1252);
        for s in strings {
            p.push(s);
        }
        p
    }

    #[test]
    fn idt_codes_follow_column_bits() {
        let idt = |b| Column::new("c", b).idt_type();
        assert_eq!(idt(0x2D48), "s72"); // key, string, valid, 72
        assert_eq!(idt(0x1502), "I2");
        assert_eq!(idt(0x1104), "I4");
        assert_eq!(idt(0x1900), "V0");
        assert_eq!(idt(0x0900), "v0");
        assert_eq!(idt(0x1BFF), "L255");
    }

    #[test]
    fn decodes_column_after_column() {
        let columns = [Column::new("Action", 0x2D48), Column::new("Type", 0x0502)];
        let strings = pool(&["A", "B"]);
        // Two rows: ("A", 1), ("B", null).
        let data = [1, 0, 2, 0, 0x01, 0x80, 0, 0];
        let d = decode(&data, &columns, &strings).unwrap();
        assert_eq!(d.rows.len(), 2);
        assert_eq!(&*d.rows[0].values, &[Value::Str(1), Value::Int(1)]);
        assert_eq!(&*d.rows[1].values, &[Value::Str(2), Value::Null]);
        assert!(d.unreadable.is_none());
    }

    #[test]
    fn four_byte_integers_flip_the_sign_bit() {
        let columns = [Column::new("N", 0x0104)];
        let data = [0xFF, 0xFF, 0xFF, 0x7F, 0x05, 0, 0, 0x80];
        let d = decode(&data, &columns, &pool(&[])).unwrap();
        assert_eq!(&*d.rows[0].values, &[Value::Int(-1)]);
        assert_eq!(&*d.rows[1].values, &[Value::Int(5)]);
    }

    #[test]
    fn string_ids_past_the_pool_are_unreadable() {
        let columns = [Column::new("Name", 0x0D48)];
        let data = [1, 0, 9, 0, 7, 0];
        let d = decode(&data, &columns, &pool(&["A"])).unwrap();
        assert_eq!(&*d.rows[1].values, &[Value::Unreadable(9)]);
        assert_eq!(
            d.unreadable,
            Some(UnreadableCells {
                cells: 2,
                rows: 2,
                lowest_id: 7,
                highest_id: 9
            })
        );
    }

    #[test]
    fn odd_sizes_are_refused_but_small_padding_is_not() {
        let columns = [Column::new("N", 0x0104), Column::new("S", 0x0D48)];
        assert!(decode(&[0; 10], &columns, &pool(&[])).is_err());
        let padded = decode(&[1, 0, 0, 0x80, 0, 0, 0, 0], &columns, &pool(&[])).unwrap();
        assert_eq!(padded.rows.len(), 1);
    }
}
