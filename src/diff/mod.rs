//! `msica diff`: what changed between two packages, or what transforms
//! change in one, as data that the command renders.
//!
//! Custom actions come first, explained in installer terms ([`actions`]);
//! then the findings each side's lint gives, matched by fingerprint; then
//! every table by primary key and every stream by size and hash
//! ([`tables`]); and the summary information and package facts. The
//! comparison reads both databases through msica's own reader and never
//! writes to them.

pub mod actions;
pub mod tables;

use std::collections::HashMap;
use std::path::Path;

use serde::Serialize;

use crate::config::Config;
use crate::db::Database;
use crate::engine::{run_rules, FileReport, Levels, PackageFacts};
use crate::error::LoadError;
use crate::finding::{Finding, Severity};
use crate::model::load::{self, Input, TransformSpec};
use crate::model::{Package, PackageKind};
use crate::report::sarif::fingerprint;
use crate::rules::RULES;
use crate::suppress::Suppressor;

pub use actions::{ActionChange, ChangeKind};
pub use tables::{CellChange, RowChange, StreamChange, TableDiff, TableStatus};

/// The version of the JSON document; fields are added, never renamed or
/// removed, without bumping it.
pub const VERSION: u32 = 1;

/// Everything that differs between two packages.
#[derive(Debug, Clone, Serialize)]
pub struct Diff {
    pub version: u32,
    pub old: Side,
    pub new: Side,
    /// Package facts and summary information that differ.
    pub package: Vec<FactChange>,
    /// Custom actions added, removed or changed, by name.
    pub actions: Vec<ActionChange>,
    pub findings: FindingChanges,
    /// Every table of either side, by name.
    pub tables: Vec<TableDiff>,
    /// Streams (Binary and Icon data, cabinets) added, removed or changed.
    pub streams: Vec<StreamChange>,
}

/// One side of the comparison.
#[derive(Debug, Clone, Serialize)]
pub struct Side {
    pub path: String,
    /// The transforms applied to this side, in order.
    pub transforms: Vec<String>,
    /// The patches applied to this side after its transforms, in order.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub patches: Vec<String>,
    pub kind: PackageKind,
    pub product_name: Option<String>,
    pub product_version: Option<String>,
    pub product_code: Option<String>,
    pub upgrade_code: Option<String>,
    pub package_code: Option<String>,
    pub producer: Option<String>,
    pub custom_actions: usize,
    /// How many findings its lint gives.
    pub findings: usize,
}

/// A package fact or summary information field that differs.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FactChange {
    pub name: String,
    pub old: Option<String>,
    pub new: Option<String>,
}

/// Findings of the new side that the old one does not have, and the reverse.
#[derive(Debug, Clone, Default, Serialize)]
pub struct FindingChanges {
    pub introduced: Vec<FindingEntry>,
    pub resolved: Vec<FindingEntry>,
    /// Findings both sides have (matched by fingerprint).
    pub unchanged: usize,
}

/// A finding as the diff reports it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FindingEntry {
    pub code: &'static str,
    pub rule: &'static str,
    pub severity: Severity,
    pub message: String,
    pub action: Option<String>,
    pub table: String,
    pub key: String,
    /// The SARIF fingerprint the two sides are matched by.
    pub fingerprint: String,
}

impl FindingEntry {
    fn of(f: &Finding) -> Self {
        Self {
            code: f.code,
            rule: f.rule,
            severity: f.severity,
            message: f.message.clone(),
            action: f.action.clone(),
            table: f.location.table.clone(),
            key: f.location.key.clone(),
            fingerprint: fingerprint(f),
        }
    }
}

impl Diff {
    /// Whether nothing differs.
    pub fn is_empty(&self) -> bool {
        self.package.is_empty()
            && self.actions.is_empty()
            && self.findings.introduced.is_empty()
            && self.findings.resolved.is_empty()
            && self.streams.is_empty()
            && self
                .tables
                .iter()
                .all(|t| t.status == TableStatus::Unchanged)
    }

    /// The introduced findings at or above `level`.
    pub fn introduced_at(&self, level: Severity) -> usize {
        self.findings
            .introduced
            .iter()
            .filter(|f| f.severity >= level)
            .count()
    }
}

/// An opened side: the database, its model and its findings.
struct Opened {
    db: Database,
    pkg: Package,
    findings: Vec<Finding>,
    transforms: Vec<String>,
    patches: Vec<String>,
}

/// How each side is linted: rule levels, and the configuration whose
/// ignores hide accepted findings.
#[derive(Debug, Default, Clone, Copy)]
pub struct LintSettings<'a> {
    pub levels: Option<&'a Levels>,
    pub config: Option<&'a Config>,
}

fn open_side(input: &Input, settings: LintSettings) -> Result<Opened, LoadError> {
    let db = load::open_database(input)?;
    let default_levels = Levels::default();
    let levels = settings.levels.unwrap_or(&default_levels);
    let (pkg, mut findings) = load::guarded(&input.path, || {
        let pkg = load::package(&db);
        let findings = run_rules(&pkg, RULES, levels);
        Ok((pkg, findings))
    })?;
    if let Some(config) = settings.config {
        // The ignores see the package as `msica lint` would show it.
        let mut report = FileReport {
            path: input.path.clone(),
            package: Some(PackageFacts::of(&pkg)),
            findings,
            error: None,
        };
        Suppressor::new(Some(config), None, false).filter(&mut report);
        findings = report.findings;
    }
    let transforms = input
        .transforms
        .iter()
        .map(|t| match t {
            TransformSpec::File(path) => path.display().to_string(),
            TransformSpec::Embedded(name) => format!(":{name}"),
        })
        .collect();
    Ok(Opened {
        db,
        pkg,
        findings,
        transforms,
        patches: input
            .patches
            .iter()
            .map(|p| p.display().to_string())
            .collect(),
    })
}

/// Compares two inputs (each with its transforms applied). An input that
/// cannot be read gives an error naming it.
pub fn diff_inputs(old: &Input, new: &Input) -> Result<Diff, LoadError> {
    diff_inputs_with(old, new, LintSettings::default())
}

/// [`diff_inputs`] with the rule levels and ignores of a configuration.
pub fn diff_inputs_with(
    old: &Input,
    new: &Input,
    settings: LintSettings,
) -> Result<Diff, LoadError> {
    let old_side = open_side(old, settings)?;
    let new_side = open_side(new, settings)?;
    // Both paths are named if the comparison itself meets damage.
    load::guarded(&new.path, || Ok(compare(&old_side, &new_side)))
}

fn compare(old: &Opened, new: &Opened) -> Diff {
    let tables = tables::compare_tables(&old.db, &new.db);
    let streams = tables::compare_streams(&old.db, &new.db);
    Diff {
        version: VERSION,
        old: side(old),
        new: side(new),
        package: package_changes(&old.pkg, &new.pkg),
        actions: actions::compare(&old.pkg, &new.pkg, &streams, &tables),
        findings: finding_changes(&old.findings, &new.findings),
        tables,
        streams,
    }
}

fn side(s: &Opened) -> Side {
    let facts = PackageFacts::of(&s.pkg);
    Side {
        path: display_path(&s.db.path),
        transforms: s.transforms.clone(),
        patches: s.patches.clone(),
        kind: facts.kind,
        product_name: facts.product_name,
        product_version: facts.product_version,
        product_code: facts.product_code,
        upgrade_code: facts.upgrade_code,
        package_code: facts.package_code,
        producer: facts.producer,
        custom_actions: facts.custom_actions,
        findings: s.findings.len(),
    }
}

fn display_path(path: &Path) -> String {
    path.display().to_string()
}

/// The package facts and summary fields that differ, facts first.
fn package_changes(old: &Package, new: &Package) -> Vec<FactChange> {
    let property = |pkg: &Package, name: &str| pkg.property(name).map(str::to_owned);
    let mut out = Vec::new();
    let mut push = |name: &str, a: Option<String>, b: Option<String>| {
        if a != b {
            out.push(FactChange {
                name: name.to_owned(),
                old: a,
                new: b,
            });
        }
    };
    for name in [
        "ProductName",
        "ProductVersion",
        "ProductCode",
        "UpgradeCode",
        "Manufacturer",
        "ProductLanguage",
    ] {
        push(name, property(old, name), property(new, name));
    }
    let (a, b) = (&old.summary, &new.summary);
    push(
        "package code",
        a.package_code.clone(),
        b.package_code.clone(),
    );
    let joined = |v: &[String]| (!v.is_empty()).then(|| v.join(";"));
    let number = |n: Option<i32>| n.map(|n| n.to_string());
    push("title", a.title.clone(), b.title.clone());
    push("subject", a.subject.clone(), b.subject.clone());
    push("author", a.author.clone(), b.author.clone());
    push("comments", a.comments.clone(), b.comments.clone());
    push("keywords", joined(&a.keywords), joined(&b.keywords));
    push(
        "creating application",
        a.creating_application.clone(),
        b.creating_application.clone(),
    );
    push("platform", a.platform.clone(), b.platform.clone());
    push("languages", joined(&a.languages), joined(&b.languages));
    push("schema", number(a.schema), number(b.schema));
    push("word count", number(a.word_count), number(b.word_count));
    push(
        "codepage",
        Some(a.codepage.to_string()),
        Some(b.codepage.to_string()),
    );
    out
}

/// Matches the two sides' findings by fingerprint. Several findings with
/// one fingerprint are matched one for one.
fn finding_changes(old: &[Finding], new: &[Finding]) -> FindingChanges {
    let mut remaining: HashMap<String, usize> = HashMap::new();
    for f in old {
        *remaining.entry(fingerprint(f)).or_default() += 1;
    }
    let mut changes = FindingChanges::default();
    for f in new {
        let print = fingerprint(f);
        match remaining.get_mut(&print) {
            Some(n) if *n > 0 => {
                *n -= 1;
                changes.unchanged += 1;
            }
            _ => changes.introduced.push(FindingEntry::of(f)),
        }
    }
    let mut matched: HashMap<String, usize> = HashMap::new();
    for f in new {
        *matched.entry(fingerprint(f)).or_default() += 1;
    }
    for f in old {
        let print = fingerprint(f);
        match matched.get_mut(&print) {
            Some(n) if *n > 0 => *n -= 1,
            _ => changes.resolved.push(FindingEntry::of(f)),
        }
    }
    changes
}
