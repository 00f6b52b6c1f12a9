//! `.wixpdb` files: WiX's record of the source line behind every row.
//!
//! Three shapes exist:
//! - WiX v3, plain XML: each `row` of a `table` carries
//!   `sourceLineNumber="C:\src\Product.wxs*42"` (several places joined
//!   with `|` when the row came through includes; the first is the row's own);
//! - WiX v3 with bound files (`-bf`): a cabinet of those files, followed by
//!   the same XML;
//! - WiX v4 and later: a zip holding `wix-ir.json`, whose symbols carry
//!   `"ln": {"file": ..., "line": ...}`.
//!
//! The recorded paths are those of the build machine. [`resolve`] maps them
//! onto the indexed sources (see [`SourceIndex::resolve_recorded`]).

use std::collections::HashMap;
use std::io::{Cursor, Read};
use std::path::Path;

use roxmltree::{Document, Node, ParsingOptions};

use super::{RowIndex, SourceIndex, SourceLine};

/// The largest `.wixpdb` (or member of one) read: real ones are a few MB.
const MAX_SIZE: u64 = 256 << 20;

/// A row as the `.wixpdb` records it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RecordedRow {
    pub table: String,
    /// The primary key as [`crate::finding::Location`] writes it.
    pub key: String,
    /// The source file as recorded on the build machine.
    pub file: String,
    pub line: usize,
}

/// Reads the rows of a `.wixpdb` that record a source line.
pub fn read(path: &Path) -> Result<Vec<RecordedRow>, String> {
    let size = std::fs::metadata(path)
        .map_err(|e| format!("cannot read: {e}"))?
        .len();
    if size > MAX_SIZE {
        return Err(format!("{size} bytes is too large for a .wixpdb"));
    }
    let bytes = std::fs::read(path).map_err(|e| format!("cannot read: {e}"))?;
    if bytes.starts_with(b"MSCF") {
        rows_of_v3_xml(after_cabinet(&bytes)?)
    } else if bytes.starts_with(b"PK\x03\x04") {
        rows_of_intermediate(&from_zip(bytes, "wix-ir.json")?)
    } else {
        rows_of_v3_xml(&bytes)
    }
}

/// Reads at most [`MAX_SIZE`] bytes of an archive member.
fn read_member(mut member: impl Read, what: &str) -> Result<Vec<u8>, String> {
    let mut out = Vec::new();
    member
        .by_ref()
        .take(MAX_SIZE + 1)
        .read_to_end(&mut out)
        .map_err(|e| format!("cannot read {what}: {e}"))?;
    if out.len() as u64 > MAX_SIZE {
        return Err(format!("{what} is too large"));
    }
    Ok(out)
}

/// The XML document that follows the cabinet of bound files: the cabinet
/// header gives the cabinet's size (`cbCabinet`, bytes 8..12).
fn after_cabinet(bytes: &[u8]) -> Result<&[u8], String> {
    let size = bytes
        .get(8..12)
        .map(|b| u32::from_le_bytes([b[0], b[1], b[2], b[3]]) as usize)
        .ok_or("truncated cabinet header")?;
    bytes
        .get(size..)
        .filter(|rest| !rest.is_empty())
        .ok_or_else(|| "no XML document follows the cabinet of bound files".to_owned())
}

fn from_zip(bytes: Vec<u8>, name: &str) -> Result<Vec<u8>, String> {
    let mut archive =
        zip::ZipArchive::new(Cursor::new(bytes)).map_err(|e| format!("not a readable zip: {e}"))?;
    let member = archive
        .by_name(name)
        .map_err(|e| format!("no {name} in the zip: {e}"))?;
    read_member(member, name)
}

fn text_of(bytes: &[u8]) -> Result<&str, String> {
    let text = std::str::from_utf8(bytes).map_err(|_| "not valid UTF-8".to_owned())?;
    Ok(text.strip_prefix('\u{feff}').unwrap_or(text))
}

/// The columns of a row that make msica's key for it: the primary key,
/// except that a ControlEvent row is keyed without its Condition.
fn key_columns(table: &str, primary: &[usize]) -> Vec<usize> {
    if table == "ControlEvent" {
        vec![0, 1, 2, 3]
    } else if primary.is_empty() {
        vec![0]
    } else {
        primary.to_vec()
    }
}

/// `C:\src\Product.wxs*42|C:\src\Includer.wxs*7` → the first place.
fn first_place(encoded: &str) -> Option<(String, usize)> {
    let first = encoded.split('|').next()?;
    let (file, line) = first.rsplit_once('*')?;
    let line = line.trim().parse().ok().filter(|&l| l > 0)?;
    Some((file.to_owned(), line))
}

fn rows_of_v3_xml(bytes: &[u8]) -> Result<Vec<RecordedRow>, String> {
    let text = text_of(bytes)?;
    let options = ParsingOptions {
        allow_dtd: true,
        ..ParsingOptions::default()
    };
    let doc = Document::parse_with_options(text, options)
        .map_err(|e| format!("not well-formed XML: {e}"))?;
    let root = doc.root_element();
    if root.tag_name().name() != "wixPdb" {
        return Err(format!(
            "not a WiX .wixpdb (its root element is `{}`)",
            root.tag_name().name()
        ));
    }
    let elements = |name: &'static str| {
        root.descendants()
            .filter(move |n| n.is_element() && n.tag_name().name() == name)
    };
    let mut primary: HashMap<&str, Vec<usize>> = HashMap::new();
    for definition in elements("tableDefinition") {
        let columns = definition
            .children()
            .filter(|c| c.is_element() && c.tag_name().name() == "columnDefinition");
        let keys = columns
            .enumerate()
            .filter(|(_, c)| c.attribute("primaryKey") == Some("yes"))
            .map(|(i, _)| i)
            .collect();
        if let Some(name) = definition.attribute("name") {
            primary.insert(name, keys);
        }
    }
    let mut rows = Vec::new();
    for table in elements("table") {
        let Some(name) = table.attribute("name") else {
            continue;
        };
        let columns = key_columns(name, primary.get(name).map_or(&[], Vec::as_slice));
        for row in table.children().filter(|r| r.is_element()) {
            let Some((file, line)) = row.attribute("sourceLineNumber").and_then(first_place) else {
                continue;
            };
            let fields: Vec<Node<'_, '_>> = row.children().filter(|f| f.is_element()).collect();
            let key = columns
                .iter()
                .map(|&i| fields.get(i).and_then(|f| f.text()).unwrap_or(""))
                .collect::<Vec<_>>()
                .join("/");
            rows.push(RecordedRow {
                table: name.to_owned(),
                key,
                file,
                line,
            });
        }
    }
    Ok(rows)
}

/// A field of a WiX intermediate symbol: `{"data": ...}` or null.
fn field(symbol: &serde_json::Value, index: usize) -> String {
    match &symbol["fields"][index]["data"] {
        serde_json::Value::String(s) => s.clone(),
        serde_json::Value::Number(n) => n.to_string(),
        _ => String::new(),
    }
}

/// The rows behind the symbols of a WiX 4+ intermediate (`wix-ir.json`).
fn rows_of_intermediate(bytes: &[u8]) -> Result<Vec<RecordedRow>, String> {
    let ir: serde_json::Value = serde_json::from_str(text_of(bytes)?)
        .map_err(|e| format!("wix-ir.json is not JSON: {e}"))?;
    let sections = ir["sections"]
        .as_array()
        .ok_or("wix-ir.json has no sections")?;
    let mut rows = Vec::new();
    for symbol in sections
        .iter()
        .filter_map(|s| s["symbols"].as_array())
        .flatten()
    {
        let (Some(file), Some(line)) =
            (symbol["ln"]["file"].as_str(), symbol["ln"]["line"].as_u64())
        else {
            continue;
        };
        let id = symbol["id"]["id"].as_str().unwrap_or("");
        let (table, key) = match symbol["type"].as_str().unwrap_or("") {
            kind @ ("CustomAction" | "Property" | "Binary" | "Dialog") => {
                (kind.to_owned(), id.to_owned())
            }
            // `InstallExecuteSequence/InstallFoo`; v4 spells out the
            // advertisement sequence.
            "WixAction" => match id.split_once('/') {
                Some(("AdvertiseExecuteSequence", action)) => {
                    ("AdvtExecuteSequence".to_owned(), action.to_owned())
                }
                Some((table, action)) => (table.to_owned(), action.to_owned()),
                None => continue,
            },
            "ControlEvent" => (
                "ControlEvent".to_owned(),
                (0..4)
                    .map(|i| field(symbol, i))
                    .collect::<Vec<_>>()
                    .join("/"),
            ),
            "LaunchCondition" => ("LaunchCondition".to_owned(), field(symbol, 0)),
            _ => continue,
        };
        rows.push(RecordedRow {
            table,
            key,
            file: file.to_owned(),
            line: usize::try_from(line).unwrap_or(usize::MAX),
        });
    }
    Ok(rows)
}

/// The rows whose recorded file maps onto a source here. Says once when
/// the `.wixpdb` names source files none of which could be found.
pub(super) fn resolve(
    pdb: &Path,
    rows: Vec<RecordedRow>,
    index: &SourceIndex,
    warn: &mut dyn FnMut(String),
) -> RowIndex<SourceLine> {
    let mut found = RowIndex::default();
    let mut paths = HashMap::new();
    for row in &rows {
        let path = paths
            .entry(row.file.as_str())
            .or_insert_with(|| index.resolve_recorded(&row.file));
        if let Some(path) = path {
            found.insert(
                &row.table,
                &row.key,
                SourceLine {
                    path: path.clone(),
                    line: row.line,
                    column: None,
                },
            );
        }
    }
    if found.len() == 0 {
        if let Some(row) = rows.first() {
            warn(format!(
                "{}: none of the source files it records (such as {}) is under a --source directory",
                pdb.display(),
                row.file
            ));
        }
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_first_place_of_a_source_line_number_is_the_rows_own() {
        assert_eq!(
            first_place(r"C:\src\Actions.wxi*7|C:\src\Product.wxs*42"),
            Some((r"C:\src\Actions.wxi".to_owned(), 7))
        );
        assert_eq!(first_place(r"C:\src\Product.wxs"), None);
        assert_eq!(first_place(r"C:\src\Product.wxs*0"), None);
    }

    #[test]
    fn v3_rows_are_keyed_by_their_primary_key() {
        let xml = r#"<?xml version="1.0" encoding="utf-8"?>
<wixPdb xmlns="http://schemas.microsoft.com/wix/2006/pdbs">
 <wixOutput type="Product" xmlns="http://schemas.microsoft.com/wix/2006/outputs">
  <tableDefinitions xmlns="http://schemas.microsoft.com/wix/2006/tables">
   <tableDefinition name="ControlEvent">
    <columnDefinition name="Dialog_" primaryKey="yes"/><columnDefinition name="Control_" primaryKey="yes"/>
    <columnDefinition name="Event" primaryKey="yes"/><columnDefinition name="Argument" primaryKey="yes"/>
    <columnDefinition name="Condition" primaryKey="yes"/><columnDefinition name="Ordering"/>
   </tableDefinition>
   <tableDefinition name="Condition">
    <columnDefinition name="Feature_" primaryKey="yes"/><columnDefinition name="Level" primaryKey="yes"/>
    <columnDefinition name="Condition"/>
   </tableDefinition>
  </tableDefinitions>
  <table name="ControlEvent" xmlns="http://schemas.microsoft.com/wix/2006/objects">
   <row sourceLineNumber="C:\src\Ui.wxs*12"><field>Dlg</field><field>Next</field><field>DoAction</field><field>Foo</field><field>1</field><field>2</field></row>
  </table>
  <table name="Condition" xmlns="http://schemas.microsoft.com/wix/2006/objects">
   <row sourceLineNumber="C:\src\Product.wxs*30"><field>Main</field><field>0</field><field>X</field></row>
   <row><field>Other</field><field>0</field><field>X</field></row>
  </table>
  <table name="CustomAction" xmlns="http://schemas.microsoft.com/wix/2006/objects">
   <row sourceLineNumber="C:\src\Product.wxs*8"><field>Foo</field><field>3073</field><field>FooCA</field><field>Foo</field></row>
  </table>
 </wixOutput>
</wixPdb>"#;
        let rows = rows_of_v3_xml(xml.as_bytes()).unwrap();
        let keys: Vec<(&str, &str, usize)> = rows
            .iter()
            .map(|r| (r.table.as_str(), r.key.as_str(), r.line))
            .collect();
        assert_eq!(
            keys,
            [
                ("ControlEvent", "Dlg/Next/DoAction/Foo", 12),
                ("Condition", "Main/0", 30),
                ("CustomAction", "Foo", 8)
            ]
        );
        assert_eq!(rows[0].file, r"C:\src\Ui.wxs");
    }

    #[test]
    fn broken_files_are_errors_that_say_why() {
        let err = |bytes: &[u8]| {
            let dir = tempfile::tempdir().unwrap();
            let path = dir.path().join("x.wixpdb");
            std::fs::write(&path, bytes).unwrap();
            read(&path).unwrap_err()
        };
        assert!(err(b"<wixPdb><row").starts_with("not well-formed XML"));
        assert!(err(b"<Wix/>").contains("not a WiX .wixpdb"));
        assert!(err(b"MSCF\0\0\0\0\x40\0\0\0garbage").starts_with("no XML document follows"));
        assert!(err(b"MSCF\0\0").starts_with("truncated cabinet header"));
        assert!(err(b"PK\x03\x04garbage").starts_with("not a readable zip"));
        assert!(err(b"\xff\xfe<").starts_with("not valid UTF-8"));
    }

    #[test]
    fn intermediate_symbols_become_rows() {
        let ir = br#"{"sections":[{"symbols":[
          {"type":"CustomAction","id":{"id":"Foo"},"ln":{"file":"C:\\s\\Package.wxs","line":9},"fields":[]},
          {"type":"WixAction","id":{"id":"AdvertiseExecuteSequence/Foo"},"ln":{"file":"C:\\s\\Package.wxs","line":12}},
          {"type":"WixAction","id":{"id":"InstallExecuteSequence/InstallFiles"}},
          {"type":"WixAction","id":{"id":"InstallExecuteSequence/X"},"ln":{"file":"wixstd.wixlib","line":null}},
          {"type":"ControlEvent","ln":{"file":"C:\\s\\Ui.wxs","line":4},
           "fields":[{"data":"Dlg"},{"data":"Next"},{"data":"DoAction"},{"data":"Foo"},{"data":"1"},{"data":2}]},
          {"type":"File","id":{"id":"f"},"ln":{"file":"C:\\s\\Package.wxs","line":3}}
        ]}]}"#;
        let rows = rows_of_intermediate(ir).unwrap();
        let keys: Vec<(&str, &str, usize)> = rows
            .iter()
            .map(|r| (r.table.as_str(), r.key.as_str(), r.line))
            .collect();
        assert_eq!(
            keys,
            [
                ("CustomAction", "Foo", 9),
                ("AdvtExecuteSequence", "Foo", 12),
                ("ControlEvent", "Dlg/Next/DoAction/Foo", 4)
            ]
        );
    }
}
