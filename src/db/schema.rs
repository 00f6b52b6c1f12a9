//! Definitions of the tables Windows Installer databases commonly have.
//!
//! A transform names the columns only of the tables it adds; its records
//! for any other table can be decoded only with that table's definition,
//! which normally comes from the database it is applied to. To show a
//! transform on its own, msica uses these definitions instead, gathered
//! from real databases made by WiX, InstallShield, Advanced Installer,
//! Visual Studio and Microsoft's own tools. A table whose cell widths
//! differ between schema versions (an `i2` that became `i4`) has one line
//! per variant, the most common first.

use std::sync::OnceLock;

use super::table::Column;
use super::transform::bits_from_idt;

/// `Table<TAB>Column:type[*] ...`, `*` marking key columns.
const DEFINITIONS: &str = include_str!("standard-tables.txt");

/// The known definitions of `table`, most common first.
pub fn standard_definitions(table: &str) -> Vec<&'static [Column]> {
    static PARSED: OnceLock<Vec<(&'static str, Vec<Column>)>> = OnceLock::new();
    PARSED
        .get_or_init(|| {
            DEFINITIONS
                .lines()
                .filter_map(|line| {
                    let (name, columns) = line.split_once('\t')?;
                    let columns = columns
                        .split(' ')
                        .map(|c| {
                            let (name, idt) = c.split_once(':')?;
                            let (idt, key) = match idt.strip_suffix('*') {
                                Some(idt) => (idt, true),
                                None => (idt, false),
                            };
                            Some(Column::new(name, bits_from_idt(idt, key)?))
                        })
                        .collect::<Option<Vec<_>>>()?;
                    Some((name, columns))
                })
                .collect()
        })
        .iter()
        .filter(|(name, _)| *name == table)
        .map(|(_, columns)| columns.as_slice())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_line_parses() {
        let lines = DEFINITIONS.lines().count();
        let parsed: usize = DEFINITIONS
            .lines()
            .filter_map(|l| l.split_once('\t'))
            .map(|(t, _)| t)
            .collect::<std::collections::BTreeSet<_>>()
            .into_iter()
            .map(|t| standard_definitions(t).len())
            .sum();
        assert_eq!(parsed, lines);
        let ca = standard_definitions("CustomAction");
        assert_eq!(ca[0].len(), 5);
        assert!(ca[0][0].is_key() && ca[0][0].is_string());
        assert_eq!(ca[0][1].idt_type(), "i2");
        assert!(standard_definitions("NoSuchTable").is_empty());
    }
}
