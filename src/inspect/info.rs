//! Facts about a package for `info`: product facts, damage, applied
//! transforms and patches, and what a patch on its own holds.

use serde::Serialize;
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

/// What `info` shows of a patch (.msp) on its own.
#[derive(Debug, Clone, Serialize)]
pub struct PatchView {
    pub info: crate::db::patch::PatchInfo,
    /// MsiPatchMetadata rows: (Company, Property, Value).
    pub metadata: Vec<(String, String, String)>,
    /// MsiPatchSequence rows: (PatchFamily, ProductCode, Sequence).
    pub sequence: Vec<(String, String, String)>,
    pub pairs: Vec<PairView>,
}

/// One transform of a patch's pair, as `info` shows it.
#[derive(Debug, Clone, Serialize)]
pub struct PairTransform {
    pub name: String,
    pub made_against: Option<String>,
    pub produces: Option<String>,
    pub validation: Vec<&'static str>,
    pub ignored_errors: Vec<&'static str>,
    pub changed_tables: Vec<String>,
    /// Why it cannot be read, if it cannot.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub problem: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct PairView {
    pub name: String,
    pub transforms: Vec<PairTransform>,
}

impl PatchView {
    pub fn new(patch: &crate::db::Patch) -> Self {
        let db = &patch.db;
        let rows = |table: &str, columns: &[&str]| -> Vec<Vec<String>> {
            let Some(t) = db.table(table) else {
                return Vec::new();
            };
            let at: Vec<Option<usize>> = columns.iter().map(|c| t.column(c)).collect();
            db.data(t)
                .rows
                .iter()
                .map(|r| {
                    at.iter()
                        .map(|i| i.map_or_else(String::new, |i| db.text(t, r, i).into_owned()))
                        .collect()
                })
                .collect()
        };
        let triple = |r: Vec<String>| (r[0].clone(), r[1].clone(), r[2].clone());
        let transform = |name: &str| match patch.transform(name) {
            Ok(t) => {
                let info = t.info();
                let code_version = |code: &Option<String>, version: &Option<String>| {
                    let text = [code.as_deref(), version.as_deref()]
                        .into_iter()
                        .flatten()
                        .collect::<Vec<_>>()
                        .join(" ");
                    (!text.is_empty()).then_some(text)
                };
                PairTransform {
                    name: name.to_owned(),
                    made_against: code_version(&info.target_product_code, &info.target_version),
                    produces: code_version(&info.new_product_code, &info.new_version),
                    validation: validation_words(info.validation),
                    ignored_errors: error_words(info.errors),
                    changed_tables: t
                        .tables
                        .iter()
                        .filter(|n| !crate::db::SYSTEM_TABLES.contains(&n.as_str()))
                        .cloned()
                        .collect(),
                    problem: None,
                }
            }
            Err(e) => PairTransform {
                name: name.to_owned(),
                made_against: None,
                produces: None,
                validation: Vec::new(),
                ignored_errors: Vec::new(),
                changed_tables: Vec::new(),
                problem: Some(e.to_string()),
            },
        };
        Self {
            info: patch.info.clone(),
            metadata: rows("MsiPatchMetadata", &["Company", "Property", "Value"])
                .into_iter()
                .map(triple)
                .collect(),
            sequence: rows(
                "MsiPatchSequence",
                &["PatchFamily", "ProductCode", "Sequence"],
            )
            .into_iter()
            .map(triple)
            .collect(),
            pairs: patch
                .info
                .pairs()
                .into_iter()
                .map(|pair| PairView {
                    transforms: std::iter::once(&pair.name)
                        .chain(&pair.own)
                        .map(|n| transform(n))
                        .collect(),
                    name: pair.name,
                })
                .collect(),
        }
    }
}

/// One line about an applied patch: the pair it applied, or why none.
pub fn patch_summary(p: &crate::db::AppliedPatch) -> String {
    match (&p.pair, p.refusal()) {
        (Some(pair), _) => format!("{}: pair {pair} applied", p.name),
        (None, Some(why)) => format!("{}: does not apply ({why})", p.name),
        (None, None) => p.name.clone(),
    }
}

pub fn patch_json(p: &crate::db::AppliedPatch) -> serde_json::Value {
    json!({
        "name": p.name,
        "path": p.path.display().to_string(),
        "patch_code": p.info.patch_code,
        "pair": p.pair,
        "not_applicable": p.refusal(),
    })
}
