//! Hiding accepted findings: the ignores of `msica.toml` and a baseline.
//!
//! Both run after the rules, on the findings of every file, so that an ignore
//! that hid nothing in the whole run can be reported (`MCA001 unused-ignore`).

use std::path::PathBuf;

use crate::baseline::{package_identity, Baseline};
use crate::config::{Config, Ignore};
use crate::engine::{FileReport, Levels};
use crate::finding::{Finding, Location};
use crate::rules::{find_rule, Report};

/// A finding about the configuration file itself (an unused ignore).
#[derive(Debug, Clone)]
pub struct ConfigFinding {
    pub finding: Finding,
    /// The configuration file.
    pub path: PathBuf,
    /// 1-based line of the entry concerned.
    pub line: usize,
    /// Byte range of the entry, for human output.
    pub span: std::ops::Range<usize>,
}

/// What applying the ignores did.
#[derive(Debug, Default)]
pub struct IgnoreOutcome {
    /// Findings hidden.
    pub hidden: usize,
    /// Ignores that hid nothing, as `MCA001` findings (empty when the rule is off).
    pub stale: Vec<ConfigFinding>,
}

/// Removes the findings the configuration ignores and reports the ignores
/// that matched nothing.
pub fn apply_ignores(
    config: &Config,
    reports: &mut [FileReport],
    levels: &Levels,
) -> IgnoreOutcome {
    let mut used = vec![false; config.ignores.len()];
    let mut applicable = vec![false; config.ignores.len()];
    let mut hidden = 0;
    for report in reports.iter_mut() {
        if report.error.is_some() {
            continue;
        }
        let pkg = report.package.as_ref();
        let here: Vec<usize> = (0..config.ignores.len())
            .filter(|&i| config.ignores[i].applies_to(pkg, &report.path))
            .collect();
        for &i in &here {
            applicable[i] = true;
        }
        report.findings.retain(|f| {
            let hit = here
                .iter()
                .copied()
                .filter(|&i| config.ignores[i].matches(f))
                .collect::<Vec<_>>();
            for &i in &hit {
                used[i] = true;
            }
            if hit.is_empty() {
                true
            } else {
                hidden += 1;
                false
            }
        });
    }
    let unused_ignore = find_rule("MCA001").expect("MCA001 is registered");
    let stale = match levels.level(unused_ignore) {
        None => Vec::new(),
        Some(severity) => config
            .ignores
            .iter()
            .enumerate()
            .filter(|&(i, ignore)| {
                !used[i]
                    && applicable[i]
                    && find_rule(ignore.code).is_some_and(|r| levels.level(r).is_some())
            })
            .map(|(_, ignore)| stale_finding(config, ignore, severity))
            .collect(),
    };
    IgnoreOutcome { hidden, stale }
}

fn stale_finding(
    config: &Config,
    ignore: &Ignore,
    severity: crate::finding::Severity,
) -> ConfigFinding {
    let meta = find_rule("MCA001").expect("registered").meta();
    let file = config
        .path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let mut location = Location::table(&file);
    location.key = format!("ignore:{}", ignore.line);
    location.column = Some("action".into());
    ConfigFinding {
        finding: Report::new(
            format!("{} matched no finding", ignore.describe()),
            location,
        )
        .help("delete the entry, or correct its rule, action, package or table")
        .action(&ignore.action)
        .note(format!("reason given: {}", ignore.reason))
        .into_finding(meta, severity),
        path: config.path.clone(),
        line: ignore.line,
        span: ignore.span.clone(),
    }
}

/// Builds the baseline of the current findings.
pub fn baseline_of(reports: &[FileReport]) -> Baseline {
    Baseline::new(reports.iter().flat_map(|r| {
        let package = package_identity(r.package.as_ref(), &r.path);
        r.findings
            .iter()
            .map(move |f| crate::baseline::Entry::of(&package, f))
    }))
}

/// Removes the findings the baseline accepts; returns how many.
pub fn apply_baseline(baseline: &Baseline, reports: &mut [FileReport]) -> usize {
    let mut matcher = baseline.matcher();
    let mut hidden = 0;
    for report in reports.iter_mut() {
        let package = package_identity(report.package.as_ref(), &report.path);
        report.findings.retain(|f| {
            if matcher.take(&package, f) {
                hidden += 1;
                false
            } else {
                true
            }
        });
    }
    hidden
}
