//! `--format gitlab`: GitLab's Code Quality report, so that findings show in
//! merge requests (`artifacts: reports: codequality:`).
//!
//! One issue per finding: `check_name` is the rule code, `severity` maps
//! error, warning and info to `major`, `minor` and `info`, and `location`
//! is the WiX source line when it is known (`--source`, a `.wixpdb`), else
//! the package (line 1: a database has no lines). The fingerprint hashes the
//! package's identity (its ProductName, else UpgradeCode or ProductCode, else
//! file name) with the SARIF fingerprint (rule, table, row key, action), so
//! an issue keeps its identity across rebuilds and output folders. A file
//! that cannot be read is no issue: the exit code (2) reports it.

use serde::Serialize;

use crate::baseline::package_identity;
use crate::engine::FileReport;
use crate::finding::{Finding, Severity};

#[derive(Serialize)]
struct Issue {
    description: String,
    check_name: &'static str,
    fingerprint: String,
    severity: &'static str,
    location: Location,
}

#[derive(Serialize)]
struct Location {
    path: String,
    lines: Lines,
}

#[derive(Serialize)]
struct Lines {
    begin: usize,
}

fn severity(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "major",
        Severity::Warning => "minor",
        Severity::Info => "info",
    }
}

fn issue(f: &Finding, owner: &str, path: String, line: usize) -> Issue {
    let mut description = format!("{} {}: {}", f.code, f.rule, f.message);
    if !f.location.key.is_empty() {
        description += &format!(" ({} {})", f.location.table, f.location.key);
    }
    Issue {
        description,
        check_name: f.code,
        fingerprint: format!(
            "{:016x}",
            super::sarif::fnv1a(&[owner, &super::sarif::fingerprint(f)])
        ),
        severity: severity(f.severity),
        location: Location {
            path,
            lines: Lines { begin: line },
        },
    }
}

/// The report, written file by file: a JSON array of issues.
pub struct Writer {
    paths: super::Paths,
    issues: usize,
}

impl Writer {
    pub fn new(paths: super::Paths) -> Self {
        Self { paths, issues: 0 }
    }

    fn issue(&mut self, issue: &Issue, out: &mut dyn std::io::Write) -> std::io::Result<()> {
        out.write_all(if self.issues == 0 { b"[" } else { b"," })?;
        self.issues += 1;
        let text = serde_json::to_string_pretty(issue).expect("issues serialise");
        write!(out, "\n  {}", text.replace('\n', "\n  "))
    }
}

impl super::LintWriter for Writer {
    fn file(&mut self, r: &FileReport, out: &mut dyn std::io::Write) -> std::io::Result<()> {
        let owner = package_identity(r.package.as_ref(), &r.path);
        for f in &r.findings {
            let (path, line) = match &f.location.authored_at {
                Some(at) => (self.paths.locate(&at.path).text, at.line),
                None => (self.paths.locate(&r.path).text, 1),
            };
            self.issue(&issue(f, &owner, path, line), out)?;
        }
        Ok(())
    }

    fn finish(&mut self, end: &super::RunEnd, out: &mut dyn std::io::Write) -> std::io::Result<()> {
        for cf in end.config_findings {
            let path = self.paths.locate(&cf.path).text;
            self.issue(&issue(&cf.finding, &path, path.clone(), cf.line), out)?;
        }
        out.write_all(if self.issues == 0 { b"[]\n" } else { b"\n]\n" })
    }
}
