//! The string pool: `_StringPool` (codepage, then a length and reference
//! count per string) and `_StringData` (the string bytes, back to back).
//!
//! Table cells hold 1-based indices into the pool (0 is null). All strings
//! are decoded once, into one buffer; transforms append their own strings.

use std::ops::Range;

/// Set in the pool header when string indices take three bytes, not two.
const LONG_STRING_REFS: u32 = 0x8000_0000;

/// An index into a [`StringPool`] (1-based, as stored).
pub type StringId = u32;

/// The strings of a database.
#[derive(Debug, Clone, Default)]
pub struct StringPool {
    /// The codepage of the stored strings (0 = neutral).
    pub codepage: u32,
    /// Whether table cells refer to strings with 3 bytes instead of 2.
    pub long_refs: bool,
    text: String,
    /// Byte range in `text` of string `i + 1`.
    spans: Vec<Range<u32>>,
}

/// What is wrong with a string pool, for the damage report.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PoolDamage(pub String);

impl StringPool {
    /// An empty pool in the given codepage.
    pub fn empty(codepage: u32) -> Self {
        Self {
            codepage,
            ..Self::default()
        }
    }

    /// Decodes a pool from its two streams. Lengths that run past the data
    /// are cut short and reported; the strings before them stay readable.
    pub fn read(pool: &[u8], data: &[u8]) -> (Self, Option<PoolDamage>) {
        let header = le_u32(pool, 0).unwrap_or(0);
        let codepage = header & !LONG_STRING_REFS;
        let mut this = Self {
            codepage,
            long_refs: header & LONG_STRING_REFS != 0,
            text: String::with_capacity(data.len()),
            spans: Vec::with_capacity(pool.len() / 4),
        };
        let decoder = Decoder::new(codepage);
        let ascii = data.is_ascii();
        let mut damage = None;
        let (mut at, mut offset) = (4usize, 0usize);
        while let (Some(len), Some(refcount)) = (le_u16(pool, at), le_u16(pool, at + 2)) {
            at += 4;
            let mut len = len as usize;
            if len == 0 && refcount > 0 {
                // A long string: a zero length, then the length in 32 bits.
                let Some(long) = le_u32(pool, at) else { break };
                len = long as usize;
                at += 4;
            }
            let end = offset.saturating_add(len);
            let bytes = match data.get(offset..end) {
                Some(bytes) => bytes,
                None => {
                    damage.get_or_insert_with(|| {
                        PoolDamage(format!(
                            "the string pool lists {} bytes of strings beyond the {} bytes of string data",
                            end - data.len().min(end),
                            data.len()
                        ))
                    });
                    data.get(offset.min(data.len())..).unwrap_or_default()
                }
            };
            offset = end.min(data.len());
            let start = this.text.len() as u32;
            if ascii {
                // ASCII is the same text in every codepage.
                this.text
                    .push_str(std::str::from_utf8(bytes).unwrap_or_default());
            } else {
                decoder.decode_into(bytes, &mut this.text);
            }
            this.spans.push(start..this.text.len() as u32);
        }
        (this, damage)
    }

    /// The number of strings (ids `1..=len`).
    pub fn len(&self) -> u32 {
        self.spans.len() as u32
    }

    pub fn is_empty(&self) -> bool {
        self.spans.is_empty()
    }

    /// The string with this id; `None` for an id outside the pool.
    pub fn get(&self, id: StringId) -> Option<&str> {
        let span = self.spans.get((id as usize).checked_sub(1)?)?;
        Some(&self.text[span.start as usize..span.end as usize])
    }

    /// Appends a string and returns its id (used for strings a transform
    /// brings; they are not deduplicated).
    pub fn push(&mut self, s: &str) -> StringId {
        let start = self.text.len() as u32;
        self.text.push_str(s);
        self.spans.push(start..self.text.len() as u32);
        self.len()
    }

    /// Bytes per string reference in a table stream.
    pub fn ref_width(&self) -> usize {
        if self.long_refs {
            3
        } else {
            2
        }
    }
}

/// Decodes the bytes of one codepage. A neutral database (codepage 0)
/// stores strings in the ANSI codepage of the machine that made it; Windows
/// on western systems, and msiinfo everywhere, read them as Windows-1252.
struct Decoder(msi::CodePage);

impl Decoder {
    fn new(codepage: u32) -> Self {
        let id = if codepage == 0 { 1252 } else { codepage };
        Self(
            i32::try_from(id)
                .ok()
                .and_then(msi::CodePage::from_id)
                .unwrap_or(msi::CodePage::Windows1252),
        )
    }

    fn decode_into(&self, bytes: &[u8], out: &mut String) {
        out.push_str(&self.0.decode(bytes));
    }
}

/// Whether `codepage` names a codepage msica can decode.
pub fn known_codepage(codepage: u32) -> bool {
    codepage == 0
        || i32::try_from(codepage)
            .ok()
            .and_then(msi::CodePage::from_id)
            .is_some()
}

pub(crate) fn le_u16(b: &[u8], at: usize) -> Option<u16> {
    Some(u16::from_le_bytes(
        b.get(at..at.checked_add(2)?)?.try_into().ok()?,
    ))
}

pub(crate) fn le_u32(b: &[u8], at: usize) -> Option<u32> {
    Some(u32::from_le_bytes(
        b.get(at..at.checked_add(4)?)?.try_into().ok()?,
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pool(header: u32, entries: &[(u16, u16)]) -> Vec<u8> {
        let mut b = header.to_le_bytes().to_vec();
        for (len, refs) in entries {
            b.extend(len.to_le_bytes());
            b.extend(refs.to_le_bytes());
        }
        b
    }

    #[test]
    fn reads_strings_by_one_based_id() {
        let (p, damage) = StringPool::read(&pool(1252, &[(5, 1), (0, 0), (2, 1)]), b"helloab");
        assert!(damage.is_none());
        assert_eq!(p.len(), 3);
        assert_eq!(p.get(1), Some("hello"));
        assert_eq!(p.get(2), Some(""));
        assert_eq!(p.get(3), Some("ab"));
        assert_eq!(p.get(0), None);
        assert_eq!(p.get(4), None);
        assert!(!p.long_refs);
    }

    #[test]
    fn decodes_the_codepage_and_long_lengths() {
        let mut b = pool(1252 | LONG_STRING_REFS, &[(0, 1)]);
        b.extend(2u32.to_le_bytes());
        let (p, _) = StringPool::read(&b, &[0xE9, 0xAE]);
        assert_eq!(p.get(1), Some("é®"));
        assert!(p.long_refs);
        assert_eq!(p.ref_width(), 3);
        // A neutral pool reads as Windows-1252 too.
        let (p, _) = StringPool::read(&pool(0, &[(1, 1)]), &[0xE9]);
        assert_eq!(p.get(1), Some("é"));
    }

    #[test]
    fn lengths_past_the_data_are_cut_and_reported() {
        let (p, damage) = StringPool::read(&pool(1252, &[(3, 1), (10, 1)]), b"abcde");
        assert_eq!(p.get(1), Some("abc"));
        assert_eq!(p.get(2), Some("de"));
        assert!(damage.unwrap().0.contains("beyond"));
    }
}
