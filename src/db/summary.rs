//! The summary information stream (`\u{5}SummaryInformation`): an OLE
//! property set with one section of numbered properties.
//!
//! Every offset and length is checked against the stream, so a damaged
//! stream gives fewer properties, never a large allocation or a panic.

use std::collections::BTreeMap;

use super::strings::{le_u16, le_u32};

/// The name of the summary information stream.
pub const STREAM: &str = "\u{5}SummaryInformation";

/// A property value, as far as installer databases use them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PropertyValue {
    Int(i32),
    Text(String),
    /// A FILETIME: 100 ns intervals since 1601-01-01 UTC.
    Time(u64),
}

/// The properties of the stream by id (PID).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PropertySet {
    pub properties: BTreeMap<u32, PropertyValue>,
    /// Properties listed in the section whose value cannot be read.
    pub unreadable: usize,
}

pub const PID_CODEPAGE: u32 = 1;
pub const PID_TITLE: u32 = 2;
pub const PID_SUBJECT: u32 = 3;
pub const PID_AUTHOR: u32 = 4;
pub const PID_KEYWORDS: u32 = 5;
pub const PID_COMMENTS: u32 = 6;
/// Platform and languages (`Intel;1033`); of a transform: of its target.
pub const PID_TEMPLATE: u32 = 7;
/// Of a transform: platform and language of the database it produces.
pub const PID_LAST_SAVED_BY: u32 = 8;
/// The package code; of a transform: the product codes and versions.
pub const PID_REVISION: u32 = 9;
pub const PID_PAGE_COUNT: u32 = 14;
pub const PID_WORD_COUNT: u32 = 15;
/// Of a transform: validation flags (high 16 bits) and error-condition flags.
pub const PID_CHAR_COUNT: u32 = 16;
pub const PID_CREATING_APP: u32 = 18;
pub const PID_SECURITY: u32 = 19;

pub(crate) const VT_I2: u32 = 2;
pub(crate) const VT_I4: u32 = 3;
pub(crate) const VT_LPSTR: u32 = 30;
pub(crate) const VT_FILETIME: u32 = 64;

/// At most this many properties are read from a section.
const MAX_PROPERTIES: usize = 1024;

impl PropertySet {
    /// Reads the first section of a property set; what cannot be read is
    /// left out.
    pub fn read(b: &[u8]) -> Self {
        let mut out = Self::default();
        let Some(section) = le_u32(b, 44).map(|s| s as usize) else {
            return out;
        };
        let count = le_u32(b, section.saturating_add(4)).unwrap_or(0) as usize;
        let mut entries = Vec::new();
        for i in 0..count.min(MAX_PROPERTIES) {
            let at = section.saturating_add(8 + 8 * i);
            let (Some(pid), Some(offset)) = (le_u32(b, at), le_u32(b, at + 4)) else {
                break;
            };
            entries.push((pid, section.saturating_add(offset as usize)));
        }
        // Strings are in the codepage the set names (PID 1), if any.
        let codepage = entries
            .iter()
            .find(|(pid, _)| *pid == PID_CODEPAGE)
            .and_then(|&(_, at)| match le_u32(b, at) {
                Some(VT_I2) => le_u16(b, at + 4).map(|c| c as u32),
                _ => None,
            })
            .unwrap_or(1252);
        let codepage = i32::try_from(codepage)
            .ok()
            .and_then(msi::CodePage::from_id)
            .unwrap_or(msi::CodePage::Windows1252);
        for (pid, at) in entries {
            let value = match le_u32(b, at) {
                Some(VT_I2) => le_u16(b, at + 4).map(|v| PropertyValue::Int(v as i16 as i32)),
                Some(VT_I4) => le_u32(b, at + 4).map(|v| PropertyValue::Int(v as i32)),
                Some(VT_LPSTR) => le_u32(b, at + 4).and_then(|len| {
                    let bytes = b.get(at + 8..(at + 8).checked_add(len as usize)?)?;
                    let bytes = bytes.split(|&c| c == 0).next().unwrap_or_default();
                    Some(PropertyValue::Text(codepage.decode(bytes)))
                }),
                Some(VT_FILETIME) => le_u32(b, at + 4)
                    .zip(le_u32(b, at + 8))
                    .map(|(lo, hi)| PropertyValue::Time(u64::from(hi) << 32 | u64::from(lo))),
                _ => None,
            };
            match value {
                Some(value) => {
                    out.properties.insert(pid, value);
                }
                None => out.unreadable += 1,
            }
        }
        out
    }

    pub fn text(&self, pid: u32) -> Option<&str> {
        match self.properties.get(&pid) {
            Some(PropertyValue::Text(s)) => Some(s),
            _ => None,
        }
    }

    pub fn int(&self, pid: u32) -> Option<i32> {
        match self.properties.get(&pid) {
            Some(PropertyValue::Int(n)) => Some(*n),
            _ => None,
        }
    }
}

/// `Intel;1033,1031` → (`Intel`, [1033, 1031]).
pub fn split_template(template: &str) -> (String, Vec<u16>) {
    let (platform, languages) = template.split_once(';').unwrap_or((template, ""));
    let languages = languages
        .split(',')
        .filter_map(|l| l.trim().parse().ok())
        .collect();
    (platform.trim().to_owned(), languages)
}

/// The language tag of a Windows language id (`1033` → `en-US`).
pub fn language_tag(id: u16) -> String {
    msi::LanguageId::from_id(id).tag().to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::write_property_set;

    #[test]
    fn reads_numbers_texts_and_times() {
        let set = PropertySet::read(&write_property_set(&[
            (
                PID_TITLE,
                PropertyValue::Text("Installation Database".into()),
            ),
            (PID_CHAR_COUNT, PropertyValue::Int(0x0922_001F)),
            (12, PropertyValue::Time(7)),
        ]));
        assert_eq!(set.text(PID_TITLE), Some("Installation Database"));
        assert_eq!(set.int(PID_CHAR_COUNT), Some(0x0922_001F));
        assert_eq!(set.properties.get(&12), Some(&PropertyValue::Time(7)));
    }

    #[test]
    fn damaged_sets_give_what_they_can() {
        let good = write_property_set(&[(PID_TITLE, PropertyValue::Text("x".into()))]);
        for cut in 0..good.len() {
            let _ = PropertySet::read(&good[..cut]);
        }
        let mut huge = good.clone();
        let at = huge.len() - 8; // the string length
        huge[at..at + 4].copy_from_slice(&u32::MAX.to_le_bytes());
        let set = PropertySet::read(&huge);
        assert_eq!(set.text(PID_TITLE), None);
        assert_eq!(set.unreadable, 1);
    }

    #[test]
    fn templates_split_into_platform_and_languages() {
        assert_eq!(
            split_template("Intel;1033,1031"),
            ("Intel".to_string(), vec![1033, 1031])
        );
        assert_eq!(split_template(";0"), (String::new(), vec![0]));
        assert_eq!(language_tag(1033), "en-US");
    }
}
