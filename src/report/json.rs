//! The versioned JSON report of `msica lint --format json`.
//!
//! Fields are added, never renamed or removed, without bumping [`VERSION`].
//! The schema is `schemas/report.schema.json`.

use serde::Serialize;

use super::LintRun;
use crate::finding::{Finding, Severity};
use crate::model::Package;
use crate::rules::RuleMeta;

pub const VERSION: u32 = 1;

#[derive(Serialize)]
struct Document<'a> {
    version: u32,
    tool: Tool,
    files: Vec<FileEntry<'a>>,
    /// The configuration file used (`null` without one) and the findings
    /// about it (unused ignores).
    config: Option<ConfigEntry<'a>>,
    summary: Summary,
}

#[derive(Serialize)]
struct ConfigEntry<'a> {
    path: String,
    findings: Vec<ConfigFindingEntry<'a>>,
}

#[derive(Serialize)]
struct ConfigFindingEntry<'a> {
    #[serde(flatten)]
    finding: FindingEntry<'a>,
    /// The line of the configuration file the finding is about.
    line: usize,
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
    /// The transform that added or changed the row (`added by site.mst`),
    /// or null for a row of the package itself.
    origin: Option<&'a str>,
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
            origin: f.location.origin.as_deref(),
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
    /// Files that could not be read.
    files_with_errors: usize,
    /// Findings reported, by severity (findings about the configuration included).
    errors: usize,
    warnings: usize,
    infos: usize,
    /// Findings hidden by an `[[ignore]]` of the configuration file.
    ignored: usize,
    /// Findings hidden by the baseline.
    baselined: usize,
}

pub fn render_lint(run: &LintRun) -> String {
    let (errors, warnings, infos) = run.counts();
    let summary = Summary {
        files: run.reports.len(),
        files_with_errors: run.reports.iter().filter(|r| r.error.is_some()).count(),
        errors,
        warnings,
        infos,
        ignored: run.ignored,
        baselined: run.baselined,
    };
    let files = run
        .reports
        .iter()
        .map(|r| FileEntry {
            path: super::path_text(&r.path),
            package: r.package.as_ref().map(PackageFacts::of),
            findings: r.findings.iter().map(FindingEntry::of).collect(),
            error: r.error.as_ref().map(|e| ErrorEntry {
                message: e.to_string(),
            }),
        })
        .collect();
    let config = run.config.as_ref().map(|c| ConfigEntry {
        path: super::path_text(&c.path),
        findings: run
            .config_findings
            .iter()
            .map(|cf| ConfigFindingEntry {
                finding: FindingEntry::of(&cf.finding),
                line: cf.line,
            })
            .collect(),
    });
    let tool = Tool {
        name: "msica",
        version: env!("CARGO_PKG_VERSION"),
    };
    let doc = Document {
        version: VERSION,
        tool,
        files,
        config,
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
