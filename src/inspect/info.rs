//! Facts about a package for `info`: product facts, damage, applied transforms.

use serde_json::json;

use crate::db::AppliedTransform;
use crate::model::Package;

use super::plural;

/// A codepage number with what it means when that is not obvious.
pub fn codepage_text(codepage: u32) -> String {
    if codepage == 0 {
        "0 (neutral: strings read as Windows-1252)".into()
    } else {
        codepage.to_string()
    }
}

/// Every kind of damage msica saw in a package, one line each.
pub fn damage_lines(pkg: &Package) -> Vec<String> {
    let mut out = pkg.damage.clone();
    for u in &pkg.unreadable_strings {
        out.push(unreadable_text(u));
    }
    for p in &pkg.problems {
        out.push(format!("table {}: {}", p.table, p.message));
    }
    out
}

/// `table Binary: 12 cells in 6 rows refer to strings 1196..2003, beyond
/// the 1195 strings of the string pool`.
pub fn unreadable_text(u: &crate::model::UnreadableStrings) -> String {
    let ids = if u.lowest_id == u.highest_id {
        format!("string {}", u.lowest_id)
    } else {
        format!("strings {}..{}", u.lowest_id, u.highest_id)
    };
    format!(
        "table {}: {} in {} refer to {ids}, beyond the {} strings of the string pool; their text is lost",
        u.table,
        plural(u.cells, "cell"),
        plural(u.rows, "row"),
        u.pool
    )
}

/// One line about an applied transform: its changes and its problems.
pub fn applied_summary(t: &AppliedTransform) -> String {
    let c = t.changes;
    let mut parts = vec![format!(
        "{}: {} added, {} changed, {} deleted",
        t.name,
        plural(c.inserted, "row"),
        c.updated,
        c.deleted
    )];
    if c.tables_added + c.tables_dropped + c.columns_added > 0 {
        parts.push(format!(
            "{} added, {} dropped, {} added",
            plural(c.tables_added, "table"),
            c.tables_dropped,
            plural(c.columns_added, "column")
        ));
    }
    if !t.conflicts.is_empty() {
        parts.push(format!(
            "{} (msiexec fails with 1624)",
            plural(t.conflicts.len(), "conflict")
        ));
    }
    if !t.not_applicable.is_empty() {
        parts.push("its validation conditions do not hold".into());
    }
    parts.join("; ")
}

pub fn applied_json(t: &AppliedTransform) -> serde_json::Value {
    json!({
        "name": t.name,
        "path": t.path.display().to_string(),
        "rows_added": t.changes.inserted,
        "rows_changed": t.changes.updated,
        "rows_deleted": t.changes.deleted,
        "tables_added": t.changes.tables_added,
        "tables_dropped": t.changes.tables_dropped,
        "columns_added": t.changes.columns_added,
        "conflicts": t.conflicts.iter().map(|c| json!({
            "kind": c.kind.describe(), "table": c.table, "key": c.key,
        })).collect::<Vec<_>>(),
        "not_applicable": t.not_applicable.iter().map(|n| n.describe()).collect::<Vec<_>>(),
    })
}

/// The validation flags of a transform, in words.
pub fn validation_words(flags: u16) -> Vec<&'static str> {
    use crate::db::transform::validation_flags::*;
    [
        (LANGUAGE, "same language"),
        (PRODUCT, "same ProductCode"),
        (PLATFORM, "same platform"),
        (UPGRADE_CODE, "same UpgradeCode"),
        (MAJOR_VERSION, "major version"),
        (MINOR_VERSION, "major.minor version"),
        (UPDATE_VERSION, "major.minor.update version"),
        (NEW_LESS_BASE, "version < target"),
        (NEW_LESS_EQUAL_BASE, "version <= target"),
        (NEW_EQUAL_BASE, "version = target"),
        (NEW_GREATER_EQUAL_BASE, "version >= target"),
        (NEW_GREATER_BASE, "version > target"),
    ]
    .into_iter()
    .filter(|(bit, _)| flags & bit != 0)
    .map(|(_, w)| w)
    .collect()
}

/// The error-condition flags of a transform (the errors it ignores), in words.
pub fn error_words(flags: u16) -> Vec<&'static str> {
    use crate::db::transform::error_flags::*;
    [
        (ADD_EXISTING_ROW, "adding an existing row"),
        (DELETE_MISSING_ROW, "deleting a missing row"),
        (ADD_EXISTING_TABLE, "adding an existing table"),
        (DELETE_MISSING_TABLE, "dropping a missing table"),
        (UPDATE_MISSING_ROW, "updating a missing row"),
        (CHANGE_CODEPAGE, "a different codepage"),
    ]
    .into_iter()
    .filter(|(bit, _)| flags & bit != 0)
    .map(|(_, w)| w)
    .collect()
}

/// Product facts from the Property table (or ModuleSignature of a module).
pub fn package_facts(pkg: &Package) -> Vec<(&'static str, String)> {
    let names = [
        ("Product", "ProductName"),
        ("Version", "ProductVersion"),
        ("Manufacturer", "Manufacturer"),
        ("Product code", "ProductCode"),
        ("Upgrade code", "UpgradeCode"),
        ("ALLUSERS", "ALLUSERS"),
    ];
    names
        .iter()
        .filter_map(|(label, prop)| pkg.property(prop).map(|v| (*label, v.to_owned())))
        .collect()
}
