//! `--format sarif`: SARIF 2.1.0 for code-scanning dashboards (GitHub code
//! scanning, Azure DevOps, ...).
//!
//! Hand-written serialise-only structs for the part of the standard msica
//! uses. `tool.driver.rules` holds every rule of the catalogue, in
//! [`RULES`] order, so `ruleIndex` is the rule's place there. A result points
//! at the package file (line 1: a database has no lines) and names the table
//! and row in `logicalLocations`. `partialFingerprints` are a hash of rule,
//! table, row key and action, so a result keeps its identity when the file
//! moves or its sequence numbers change. Rules at level `allow` report
//! nothing, so they produce no result.
//!
//! When the WiX source line that authored the row is known (`--source`, a
//! `.wixpdb`), that line is the result's location instead, relative to
//! `%SRCROOT%` (the working directory, given in `originalUriBaseIds`), and
//! the package row becomes a related location.

use std::collections::BTreeMap;
use std::path::Path;

use serde::Serialize;

use crate::engine::FileReport;
use crate::finding::{Finding, Severity};
use crate::rules::{RuleMeta, RULES};
use crate::source::SourceLine;

pub const SCHEMA: &str = "https://json.schemastore.org/sarif-2.1.0.json";

/// Where the tool is documented.
pub fn information_uri() -> &'static str {
    [env!("CARGO_PKG_HOMEPAGE"), env!("CARGO_PKG_REPOSITORY")]
        .into_iter()
        .find(|u| !u.is_empty())
        .unwrap_or("https://github.com/msica/msica")
}

/// The key of msica's fingerprint in `partialFingerprints`.
pub const FINGERPRINT_KEY: &str = "msicaFinding/v1";

#[derive(Serialize)]
struct Tool {
    driver: Driver,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Driver {
    name: &'static str,
    version: &'static str,
    semantic_version: &'static str,
    information_uri: &'static str,
    rules: Vec<ReportingDescriptor>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct ReportingDescriptor {
    id: &'static str,
    name: &'static str,
    short_description: Message,
    full_description: Message,
    help: MultiformatMessage,
    default_configuration: Configuration,
}

#[derive(Serialize)]
struct Message {
    text: String,
}

#[derive(Serialize)]
struct MultiformatMessage {
    text: String,
    markdown: String,
}

#[derive(Serialize)]
struct Configuration {
    level: &'static str,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Invocation {
    execution_successful: bool,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    tool_execution_notifications: Vec<Notification>,
}

#[derive(Serialize)]
struct Notification {
    level: &'static str,
    message: Message,
    locations: Vec<Location>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct SarifResult {
    rule_id: &'static str,
    rule_index: usize,
    level: &'static str,
    message: Message,
    locations: Vec<Location>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    related_locations: Vec<Location>,
    partial_fingerprints: BTreeMap<&'static str, String>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Location {
    #[serde(skip_serializing_if = "Option::is_none")]
    id: Option<usize>,
    physical_location: PhysicalLocation,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    logical_locations: Vec<LogicalLocation>,
    #[serde(skip_serializing_if = "Option::is_none")]
    message: Option<Message>,
}

impl Location {
    fn at(physical_location: PhysicalLocation, logical_locations: Vec<LogicalLocation>) -> Self {
        Self {
            id: None,
            physical_location,
            logical_locations,
            message: None,
        }
    }
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct PhysicalLocation {
    artifact_location: ArtifactLocation,
    #[serde(skip_serializing_if = "Option::is_none")]
    region: Option<Region>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct ArtifactLocation {
    uri: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    uri_base_id: Option<&'static str>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Region {
    start_line: usize,
    #[serde(skip_serializing_if = "Option::is_none")]
    start_column: Option<usize>,
}

#[derive(Clone, Serialize)]
#[serde(rename_all = "camelCase")]
struct LogicalLocation {
    name: String,
    fully_qualified_name: String,
    kind: &'static str,
}

/// The SARIF level of a severity.
pub fn level(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info => "note",
    }
}

/// SARIF messages are sentences.
fn sentence(text: &str) -> String {
    let text = text.trim_end();
    if text.ends_with(['.', '!', '?']) {
        text.to_owned()
    } else {
        format!("{text}.")
    }
}

/// The text of one `## Section` of a rule's documentation.
fn doc_section(docs: &str, title: &str) -> Option<String> {
    let start = docs.find(&format!("## {title}"))?;
    let body = &docs[start..];
    let body = &body[body.find('\n').map_or(body.len(), |i| i + 1)..];
    let end = body.find("\n## ").unwrap_or(body.len());
    let text = body[..end].split_whitespace().collect::<Vec<_>>().join(" ");
    (!text.is_empty()).then_some(text)
}

fn descriptor(meta: &'static RuleMeta) -> ReportingDescriptor {
    let docs = meta.documentation();
    let full = doc_section(&docs, "What it does").unwrap_or_else(|| meta.summary.to_owned());
    ReportingDescriptor {
        id: meta.code,
        name: meta.name,
        short_description: Message {
            text: sentence(meta.summary),
        },
        full_description: Message {
            text: sentence(&full),
        },
        help: MultiformatMessage {
            text: docs.clone(),
            markdown: docs,
        },
        default_configuration: Configuration {
            level: level(meta.severity),
        },
    }
}

/// 64-bit FNV-1a: small, and the same on every platform and in every build.
pub(crate) fn fnv1a(parts: &[&str]) -> u64 {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for part in parts {
        for byte in part.bytes().chain(std::iter::once(0)) {
            hash ^= u64::from(byte);
            hash = hash.wrapping_mul(0x0100_0000_01b3);
        }
    }
    hash
}

/// The fingerprint of a finding: rule, table, row key and action, never a
/// path or a sequence number.
pub fn fingerprint(f: &Finding) -> String {
    format!(
        "{:016x}",
        fnv1a(&[
            f.code,
            &f.location.table,
            &f.location.key,
            f.action.as_deref().unwrap_or("")
        ])
    )
}

fn rule_index(code: &str) -> usize {
    RULES
        .iter()
        .position(|r| r.meta().code == code)
        .expect("findings come from registered rules")
}

fn artifact(paths: &super::Paths, path: &Path, line: usize) -> PhysicalLocation {
    PhysicalLocation {
        artifact_location: ArtifactLocation {
            uri: paths.locate(path).uri,
            uri_base_id: None,
        },
        region: Some(Region {
            start_line: line,
            start_column: None,
        }),
    }
}

/// The base of the URIs of source files: the root of the checkout.
pub const SOURCE_ROOT: &str = "%SRCROOT%";

/// A source line, relative to [`SOURCE_ROOT`] when it lies under the
/// working directory.
fn source_artifact(paths: &super::Paths, at: &SourceLine) -> PhysicalLocation {
    let file = paths.locate(&at.path);
    PhysicalLocation {
        artifact_location: ArtifactLocation {
            uri: file.uri,
            uri_base_id: file.relative.then_some(SOURCE_ROOT),
        },
        region: Some(Region {
            start_line: at.line,
            start_column: at.column,
        }),
    }
}

/// `originalUriBaseIds`: where [`SOURCE_ROOT`] is, as an absolute
/// directory URI (ending in `/`).
fn source_root(paths: &super::Paths) -> Option<ArtifactLocation> {
    Some(ArtifactLocation {
        uri: paths.cwd_uri()?,
        uri_base_id: None,
    })
}

fn result(f: &Finding, location: Location) -> SarifResult {
    SarifResult {
        rule_id: f.code,
        rule_index: rule_index(f.code),
        level: level(f.severity),
        message: Message {
            text: sentence(&with_origin(f)),
        },
        locations: vec![location],
        related_locations: Vec::new(),
        partial_fingerprints: BTreeMap::from([(FINGERPRINT_KEY, fingerprint(f))]),
    }
}

/// The message, and the transform behind the row when there is one.
pub fn with_origin(f: &Finding) -> String {
    match &f.location.origin {
        Some(origin) => format!("{} (row {origin})", f.message),
        None => f.message.clone(),
    }
}

/// The SARIF log, written file by file: the one run's tool, then its
/// results as files are linted, then its invocation (with a notification for
/// each file that could not be read), pretty-printed as one document.
pub struct Writer {
    paths: super::Paths,
    results: usize,
    notifications: Vec<Notification>,
    /// Whether a result sits on a source line relative to [`SOURCE_ROOT`].
    uses_source_root: bool,
}

impl Writer {
    pub fn new(paths: super::Paths) -> Self {
        Self {
            paths,
            results: 0,
            notifications: Vec::new(),
            uses_source_root: false,
        }
    }

    /// Writes the start of the document before the first result.
    fn start(&mut self, out: &mut dyn std::io::Write) -> std::io::Result<()> {
        let version = env!("CARGO_PKG_VERSION");
        let tool = Tool {
            driver: Driver {
                name: "msica",
                version,
                semantic_version: version,
                information_uri: information_uri(),
                rules: RULES.iter().map(|r| descriptor(r.meta())).collect(),
            },
        };
        write!(
            out,
            "{{\n  \"$schema\": \"{SCHEMA}\",\n  \"version\": \"2.1.0\",\n  \"runs\": [\n    {{\n      \"tool\": {},\n      \"results\": [",
            nested(&tool, 3)
        )
    }

    fn result(
        &mut self,
        result: &SarifResult,
        out: &mut dyn std::io::Write,
    ) -> std::io::Result<()> {
        if self.results > 0 {
            out.write_all(b",")?;
        }
        self.results += 1;
        write!(out, "\n        {}", nested(result, 4))
    }
}

/// `value` pretty-printed, its lines after the first indented by `level`
/// levels, to sit inside an enclosing document.
fn nested<T: Serialize>(value: &T, level: usize) -> String {
    let text = serde_json::to_string_pretty(value).expect("SARIF serialises");
    text.replace('\n', &format!("\n{}", "  ".repeat(level)))
}

impl super::LintWriter for Writer {
    fn file(&mut self, r: &FileReport, out: &mut dyn std::io::Write) -> std::io::Result<()> {
        if self.results == 0 && self.notifications.is_empty() {
            self.start(out)?;
        }
        for f in &r.findings {
            let loc = &f.location;
            let logical = if loc.key.is_empty() {
                LogicalLocation {
                    name: loc.table.clone(),
                    fully_qualified_name: loc.table.clone(),
                    kind: "type",
                }
            } else {
                LogicalLocation {
                    name: loc.key.clone(),
                    fully_qualified_name: format!("{}/{}", loc.table, loc.key),
                    kind: "object",
                }
            };
            let row = Location::at(artifact(&self.paths, &r.path, 1), vec![logical]);
            let Some(at) = &loc.authored_at else {
                self.result(&result(f, row), out)?;
                continue;
            };
            let authored = source_artifact(&self.paths, at);
            self.uses_source_root |= authored.artifact_location.uri_base_id.is_some();
            let mut with_source = result(f, Location::at(authored, row.logical_locations.clone()));
            with_source.related_locations.push(Location {
                id: Some(1),
                message: Some(Message {
                    text: format!(
                        "The {} row {} of {}.",
                        loc.table,
                        loc.key,
                        super::path_text(&r.path)
                    ),
                }),
                ..row
            });
            self.result(&with_source, out)?;
        }
        if let Some(e) = &r.error {
            self.notifications.push(Notification {
                level: "error",
                message: Message {
                    text: sentence(&e.to_string()),
                },
                locations: vec![Location::at(artifact(&self.paths, &r.path, 1), Vec::new())],
            });
        }
        Ok(())
    }

    fn finish(&mut self, end: &super::RunEnd, out: &mut dyn std::io::Write) -> std::io::Result<()> {
        if self.results == 0 && self.notifications.is_empty() {
            self.start(out)?;
        }
        for cf in end.config_findings {
            let location = Location::at(artifact(&self.paths, &cf.path, cf.line), Vec::new());
            self.result(&result(&cf.finding, location), out)?;
        }
        let close = if self.results == 0 { "]" } else { "\n      ]" };
        let invocations = vec![Invocation {
            execution_successful: self.notifications.is_empty(),
            tool_execution_notifications: std::mem::take(&mut self.notifications),
        }];
        let base_ids = match source_root(&self.paths).filter(|_| self.uses_source_root) {
            Some(root) => format!(
                ",\n      \"originalUriBaseIds\": {}",
                nested(&BTreeMap::from([(SOURCE_ROOT, root)]), 3)
            ),
            None => String::new(),
        };
        writeln!(
            out,
            "{close},\n      \"invocations\": {},\n      \"columnKind\": \"utf16CodeUnits\"{base_ids}\n    }}\n  ]\n}}",
            nested(&invocations, 3)
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn doc_sections_are_found() {
        let docs = "## What it does\nFinds a\nthing.\n\n## Why is this bad?\nBecause.";
        assert_eq!(
            doc_section(docs, "What it does").as_deref(),
            Some("Finds a thing.")
        );
        assert_eq!(
            doc_section(docs, "Why is this bad?").as_deref(),
            Some("Because.")
        );
    }
}
