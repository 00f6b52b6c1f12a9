//! A table's rows as shown: IDT text, and what transforms did to each row.

use crate::model::load::{Cell, RawTable};

/// The table in IDT form, byte for byte as `msiinfo export` writes it: a line
/// of column names, a line of column types, a line with the table name and its
/// key columns, then one line per row. Fields are separated by tabs and every
/// line ends with CR LF. Cell text is written as stored, like msiinfo does, so
/// a cell holding a line break spans several lines (the multi-line text of a
/// `ScrollableText` control, for example); `--format tsv` escapes instead.
pub fn to_idt(table: &RawTable) -> String {
    let mut out = String::new();
    let mut line = |fields: Vec<String>| {
        out += &fields.join("\t");
        out += "\r\n";
    };
    line(table.columns.iter().map(|c| c.name.clone()).collect());
    line(table.columns.iter().map(|c| c.idt_type.clone()).collect());
    let keys = table
        .columns
        .iter()
        .filter(|c| c.primary_key)
        .map(|c| c.name.clone());
    line(std::iter::once(table.name.clone()).chain(keys).collect());
    for row in &table.rows {
        line(row.iter().map(Cell::to_text).collect());
    }
    out
}
