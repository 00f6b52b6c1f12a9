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

/// Hides accepted findings report by report, as reports stream in: the
/// ignores of the configuration and the entries of a baseline. At the end
/// it says how many it hid and which ignores hid nothing.
#[derive(Debug)]
pub struct Suppressor<'a> {
    config: Option<&'a Config>,
    /// Per ignore: it hid a finding; it applies to a package that was linted.
    used: Vec<bool>,
    applicable: Vec<bool>,
    baseline: Option<crate::baseline::Matcher>,
    /// The findings left, recorded for `--write-baseline`.
    record: Option<Vec<crate::baseline::Entry>>,
    pub ignored: usize,
    pub baselined: usize,
}

impl<'a> Suppressor<'a> {
    pub fn new(config: Option<&'a Config>, baseline: Option<&Baseline>, record: bool) -> Self {
        let n = config.map_or(0, |c| c.ignores.len());
        Self {
            config,
            used: vec![false; n],
            applicable: vec![false; n],
            baseline: baseline.map(Baseline::matcher),
            record: record.then(Vec::new),
            ignored: 0,
            baselined: 0,
        }
    }

    /// Removes the accepted findings of one report. With a baseline being
    /// written, the findings the ignores leave are recorded and hidden.
    pub fn filter(&mut self, report: &mut FileReport) {
        if report.error.is_some() {
            return;
        }
        if let Some(config) = self.config {
            let pkg = report.package.as_ref();
            let here: Vec<usize> = (0..config.ignores.len())
                .filter(|&i| config.ignores[i].applies_to(pkg, &report.path))
                .collect();
            for &i in &here {
                self.applicable[i] = true;
            }
            let (used, ignored) = (&mut self.used, &mut self.ignored);
            report.findings.retain(|f| {
                let mut hit = false;
                for &i in here.iter().filter(|&&i| config.ignores[i].matches(f)) {
                    used[i] = true;
                    hit = true;
                }
                *ignored += usize::from(hit);
                !hit
            });
        }
        let package = package_identity(report.package.as_ref(), &report.path);
        if let Some(record) = &mut self.record {
            record.extend(
                report
                    .findings
                    .iter()
                    .map(|f| crate::baseline::Entry::of(&package, f)),
            );
            self.baselined += report.findings.len();
            report.findings.clear();
        } else if let Some(matcher) = &mut self.baseline {
            let baselined = &mut self.baselined;
            report.findings.retain(|f| {
                let hit = matcher.take(&package, f);
                *baselined += usize::from(hit);
                !hit
            });
        }
    }

    /// The baseline recorded with `record`.
    pub fn recorded(&mut self) -> Option<Baseline> {
        self.record.take().map(Baseline::new)
    }

    /// The ignores that hid nothing in a package they apply to, as `MCA001`
    /// findings (none when that rule or the ignored rule is off).
    pub fn stale(&self, levels: &Levels) -> Vec<ConfigFinding> {
        let Some(config) = self.config else {
            return Vec::new();
        };
        let unused_ignore = find_rule("MCA001").expect("MCA001 is registered");
        let Some(severity) = levels.level(unused_ignore) else {
            return Vec::new();
        };
        config
            .ignores
            .iter()
            .enumerate()
            .filter(|&(i, ignore)| {
                !self.used[i]
                    && self.applicable[i]
                    && find_rule(ignore.code).is_some_and(|r| levels.level(r).is_some())
            })
            .map(|(_, ignore)| stale_finding(config, ignore, severity))
            .collect()
    }
}

/// Removes the findings the configuration ignores from `reports` and
/// returns the ignores that matched nothing.
pub fn apply_ignores(
    config: &Config,
    reports: &mut [FileReport],
    levels: &Levels,
) -> Vec<ConfigFinding> {
    let mut suppressor = Suppressor::new(Some(config), None, false);
    for report in reports.iter_mut() {
        suppressor.filter(report);
    }
    suppressor.stale(levels)
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
