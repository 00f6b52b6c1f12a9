//! The versioned JSON report of `msica lint --format json`.
//!
//! Fields are added, never renamed or removed, without bumping [`VERSION`].
//! The schema is `schemas/report.schema.json`.

use serde::Serialize;

use crate::engine::FileReport;
use crate::finding::{Finding, Severity};
use crate::model::Package;
use crate::rules::RuleMeta;

pub const VERSION: u32 = 1;

#[derive(Serialize)]
struct Document<'a> {
    version: u32,
    tool: Tool,
    files: Vec<FileEntry<'a>>,
    summary: Summary,
}

#[derive(Serialize)]
struct Tool {
    name: &'static str,
    version: &'static str,
}

#[derive(Serialize)]
struct FileEntry<'a> {
    path: String,
    package: Option<PackageFacts<'a>>,
    findings: Vec<FindingEntry<'a>>,
    error: Option<ErrorEntry>,
}

#[derive(Serialize)]
pub struct PackageFacts<'a> {
    kind: crate::model::PackageKind,
    product_name: Option<&'a str>,
    product_version: Option<&'a str>,
    product_code: Option<&'a str>,
    upgrade_code: Option<&'a str>,
    package_code: Option<&'a str>,
    producer: Option<&'a str>,
    custom_actions: usize,
}

impl<'a> PackageFacts<'a> {
    pub fn of(pkg: &'a Package) -> Self {
        Self {
            kind: pkg.kind,
            product_name: pkg.property("ProductName"),
            product_version: pkg.property("ProductVersion"),
            product_code: pkg.property("ProductCode"),
            upgrade_code: pkg.property("UpgradeCode"),
            package_code: pkg.summary.package_code.as_deref(),
            producer: pkg.summary.creating_application.as_deref(),
            custom_actions: pkg.custom_actions.len(),
        }
    }
}

#[derive(Serialize)]
struct FindingEntry<'a> {
    code: &'a str,
    rule: &'a str,
    severity: Severity,
    message: &'a str,
    action: Option<&'a str>,
    table: &'a str,
    key: &'a str,
    column: Option<&'a str>,
    help: &'a str,
    sequence: Option<i32>,
    condition: Option<&'a str>,
    related: &'a [String],
    #[serde(rename = "type")]
    action_type: Option<i32>,
    notes: &'a [String],
}

impl<'a> FindingEntry<'a> {
    fn of(f: &'a Finding) -> Self {
        Self {
            code: f.code,
            rule: f.rule,
            severity: f.severity,
            message: &f.message,
            action: f.action.as_deref(),
            table: &f.location.table,
            key: &f.location.key,
            column: f.location.column.as_deref(),
            help: &f.help,
            sequence: f.sequence,
            condition: f.condition.as_deref(),
            related: &f.related,
            action_type: f.action_type,
            notes: &f.notes,
        }
    }
}

#[derive(Serialize)]
struct ErrorEntry {
    message: String,
}

#[derive(Serialize, Default)]
struct Summary {
    files: usize,
    files_with_errors: usize,
    errors: usize,
    warnings: usize,
    infos: usize,
}

pub fn render_lint(reports: &[FileReport]) -> String {
    let mut summary = Summary {
        files: reports.len(),
        ..Summary::default()
    };
    let files = reports
        .iter()
        .map(|r| {
            if r.error.is_some() {
                summary.files_with_errors += 1;
            }
            for f in &r.findings {
                match f.severity {
                    Severity::Error => summary.errors += 1,
                    Severity::Warning => summary.warnings += 1,
                    Severity::Info => summary.infos += 1,
                }
            }
            FileEntry {
                path: super::path_text(&r.path),
                package: r.package.as_ref().map(PackageFacts::of),
                findings: r.findings.iter().map(FindingEntry::of).collect(),
                error: r.error.as_ref().map(|e| ErrorEntry {
                    message: e.to_string(),
                }),
            }
        })
        .collect();
    let doc = Document {
        version: VERSION,
        tool: Tool {
            name: "msica",
            version: env!("CARGO_PKG_VERSION"),
        },
        files,
        summary,
    };
    crate::inspect::to_json(&doc)
}

/// A rule's metadata as JSON (for `rules` and `explain`).
pub fn rule_json(meta: &RuleMeta) -> serde_json::Value {
    serde_json::json!({
        "code": meta.code,
        "name": meta.name,
        "severity": meta.severity,
        "summary": meta.summary,
        "documentation": meta.documentation(),
    })
}
