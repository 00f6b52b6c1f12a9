//! The versioned JSON report of `msica lint --format json`.
//!
//! Fields are added, never renamed or removed, without bumping [`VERSION`].
//! The schema is `schemas/report.schema.json`.

use serde::Serialize;

use crate::engine::FileReport;
use crate::finding::{Finding, Severity};
use crate::paths::Style;
use crate::rules::RuleMeta;

pub const VERSION: u32 = 1;

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
    /// Damage msica read past (a cut-off stream, lost strings).
    damage: &'a [String],
}

impl<'a> PackageFacts<'a> {
    pub fn of(pkg: &'a crate::engine::PackageFacts) -> Self {
        Self {
            kind: pkg.kind,
            product_name: pkg.product_name.as_deref(),
            product_version: pkg.product_version.as_deref(),
            product_code: pkg.product_code.as_deref(),
            upgrade_code: pkg.upgrade_code.as_deref(),
            package_code: pkg.package_code.as_deref(),
            producer: pkg.producer.as_deref(),
            custom_actions: pkg.custom_actions,
            damage: &pkg.damage,
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
    /// The WiX source line that authored the row, when known.
    source: Option<SourceEntry>,
}

#[derive(Serialize)]
struct SourceEntry {
    path: String,
    line: usize,
    column: Option<usize>,
}

impl<'a> FindingEntry<'a> {
    fn of(f: &'a Finding, style: Style) -> Self {
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
            source: f.location.authored_at.as_ref().map(|at| SourceEntry {
                path: super::json_path(&at.path, style),
                line: at.line,
                column: at.column,
            }),
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

/// The JSON document, written file by file: `{"version", "tool", "files":
/// [...], "config", "summary"}`, pretty-printed as one document would be.
pub struct Writer {
    files: usize,
    /// The platform the paths are of (Windows paths are tested everywhere).
    style: Style,
}

impl Default for Writer {
    fn default() -> Self {
        Self::new(Style::NATIVE)
    }
}

impl Writer {
    pub fn new(style: Style) -> Self {
        Self { files: 0, style }
    }
}

/// `value` pretty-printed, its lines after the first indented by `level`
/// levels, to sit inside an enclosing document.
fn nested<T: Serialize>(value: &T, level: usize) -> String {
    let text = serde_json::to_string_pretty(value).expect("reports serialise");
    text.replace('\n', &format!("\n{}", "  ".repeat(level)))
}

/// The document's opening, up to and including `"files": [`.
fn write_head(out: &mut dyn std::io::Write) -> std::io::Result<()> {
    let tool = Tool {
        name: "msica",
        version: env!("CARGO_PKG_VERSION"),
    };
    write!(
        out,
        "{{\n  \"version\": {VERSION},\n  \"tool\": {},\n  \"files\": [",
        nested(&tool, 1)
    )
}

impl super::LintWriter for Writer {
    fn file(&mut self, r: &FileReport, out: &mut dyn std::io::Write) -> std::io::Result<()> {
        if self.files == 0 {
            write_head(out)?;
        } else {
            out.write_all(b",")?;
        }
        self.files += 1;
        let entry = FileEntry {
            path: super::json_path(&r.path, self.style),
            package: r.package.as_ref().map(PackageFacts::of),
            findings: r
                .findings
                .iter()
                .map(|f| FindingEntry::of(f, self.style))
                .collect(),
            error: r.error.as_ref().map(|e| ErrorEntry {
                message: e.to_string(),
            }),
        };
        write!(out, "\n    {}", nested(&entry, 2))
    }

    fn finish(&mut self, end: &super::RunEnd, out: &mut dyn std::io::Write) -> std::io::Result<()> {
        if self.files == 0 {
            write_head(out)?;
            out.write_all(b"]")?;
        } else {
            out.write_all(b"\n  ]")?;
        }
        let (errors, warnings, infos) = end.counts;
        let summary = Summary {
            files: end.files,
            files_with_errors: end.files_with_errors,
            errors,
            warnings,
            infos,
            ignored: end.ignored,
            baselined: end.baselined,
        };
        let config = end.config.map(|c| ConfigEntry {
            path: super::json_path(&c.path, self.style),
            findings: end
                .config_findings
                .iter()
                .map(|cf| ConfigFindingEntry {
                    finding: FindingEntry::of(&cf.finding, self.style),
                    line: cf.line,
                })
                .collect(),
        });
        writeln!(
            out,
            ",\n  \"config\": {},\n  \"summary\": {}\n}}",
            nested(&config, 1),
            nested(&summary, 1)
        )
    }
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::{LintWriter, RunEnd};

    #[test]
    fn a_run_without_files_is_one_valid_document() {
        let end = RunEnd {
            files: 0,
            files_with_errors: 0,
            counts: (0, 0, 0),
            ignored: 0,
            baselined: 0,
            config: None,
            config_findings: &[],
        };
        let mut out = Vec::new();
        Writer::default().finish(&end, &mut out).unwrap();
        let doc: serde_json::Value = serde_json::from_slice(&out).unwrap();
        assert_eq!(doc["files"], serde_json::json!([]));
        assert_eq!(doc["tool"]["name"], "msica");
        assert_eq!(doc["summary"]["files"], 0);
    }
}
