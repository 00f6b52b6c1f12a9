//! Baselines: the findings a team has accepted, so that only new ones fail.
//!
//! `msica lint --write-baseline msica-baseline.json dist/` records the current
//! findings; `msica lint --baseline msica-baseline.json dist/` hides exactly
//! those and reports the rest. A finding is recorded by what survives a
//! rebuild: the package's identity ([`package_identity`]: ProductName, else
//! UpgradeCode, else ProductCode, else the file name), the rule code, the
//! action and the table row it points at. Paths, sequence numbers, messages
//! and severities are not part of the key, so moving a file, renumbering a
//! sequence or changing a rule's level keeps the baseline matching.
//!
//! The file is JSON (schema `schemas/baseline.schema.json`):
//!
//! ```json
//! {
//!   "version": 1,
//!   "findings": [
//!     {
//!       "package": "Foo Product",
//!       "code": "MCA104",
//!       "rule": "missing-rollback",
//!       "action": "InstallFoo",
//!       "table": "CustomAction",
//!       "key": "InstallFoo",
//!       "message": "..."
//!     }
//!   ]
//! }
//! ```
//!
//! `rule` and `message` are there for readers and are not compared. Each
//! entry hides one finding: two equal entries hide two equal findings (the
//! same rule on the same action of two builds of one product, say).

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::engine::PackageFacts;
use crate::finding::Finding;

pub const VERSION: u32 = 1;

/// The name by which a baseline knows a package.
pub fn package_identity(pkg: Option<&PackageFacts>, path: &Path) -> String {
    let fact = |value: fn(&PackageFacts) -> &Option<String>| {
        pkg.and_then(|p| value(p).as_deref())
            .map(str::trim)
            .filter(|v| !v.is_empty())
    };
    fact(|p| &p.product_name)
        .or_else(|| fact(|p| &p.upgrade_code))
        .or_else(|| fact(|p| &p.product_code))
        .map(str::to_owned)
        .unwrap_or_else(|| {
            path.file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default()
        })
}

/// A baseline file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Baseline {
    pub version: u32,
    pub findings: Vec<Entry>,
}

/// One accepted finding.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Entry {
    pub package: String,
    pub code: String,
    #[serde(default)]
    pub rule: String,
    pub action: Option<String>,
    pub table: String,
    pub key: String,
    #[serde(default)]
    pub message: String,
}

type Key = (String, String, Option<String>, String, String);

impl Entry {
    pub fn of(package: &str, f: &Finding) -> Self {
        Self {
            package: package.to_owned(),
            code: f.code.to_owned(),
            rule: f.rule.to_owned(),
            action: f.action.clone(),
            table: f.location.table.clone(),
            key: f.location.key.clone(),
            message: f.message.clone(),
        }
    }

    /// What identifies the entry: the package without regard to case (a
    /// file name typed `APP.MSI` on Windows is the file `App.msi`).
    fn key(&self) -> Key {
        (
            self.package.to_lowercase(),
            self.code.to_ascii_uppercase(),
            self.action.clone(),
            self.table.clone(),
            self.key.clone(),
        )
    }
}

/// A baseline file that cannot be used (exit code 2).
#[derive(Debug, thiserror::Error, miette::Diagnostic)]
pub enum BaselineError {
    #[error("{}: cannot read the baseline: {source}", path.display())]
    #[diagnostic(code(msica::baseline))]
    Read {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("{}: not a msica baseline: {message}", path.display())]
    #[diagnostic(
        code(msica::baseline),
        help("write one with `msica lint --write-baseline FILE`")
    )]
    Parse { path: PathBuf, message: String },
    #[error("{}: cannot write the baseline: {source}", path.display())]
    #[diagnostic(code(msica::baseline))]
    Write {
        path: PathBuf,
        source: std::io::Error,
    },
}

impl Baseline {
    /// The baseline of a set of findings, sorted so that it diffs well.
    pub fn new(entries: impl IntoIterator<Item = Entry>) -> Self {
        let mut findings: Vec<Entry> = entries.into_iter().collect();
        findings.sort();
        Self {
            version: VERSION,
            findings,
        }
    }

    pub fn to_json(&self) -> String {
        crate::inspect::to_json(self)
    }

    pub fn read(path: &Path) -> Result<Self, BaselineError> {
        let text = std::fs::read_to_string(path).map_err(|source| BaselineError::Read {
            path: path.to_owned(),
            source,
        })?;
        let baseline: Self = serde_json::from_str(&text).map_err(|e| BaselineError::Parse {
            path: path.to_owned(),
            message: e.to_string(),
        })?;
        if baseline.version != VERSION {
            return Err(BaselineError::Parse {
                path: path.to_owned(),
                message: format!(
                    "version {} is not supported (this msica writes version {VERSION})",
                    baseline.version
                ),
            });
        }
        Ok(baseline)
    }

    pub fn write(&self, path: &Path) -> Result<(), BaselineError> {
        std::fs::write(path, self.to_json()).map_err(|source| BaselineError::Write {
            path: path.to_owned(),
            source,
        })
    }

    /// A matcher that hides each entry once.
    pub fn matcher(&self) -> Matcher {
        let mut remaining = BTreeMap::new();
        for entry in &self.findings {
            *remaining.entry(entry.key()).or_insert(0usize) += 1;
        }
        Matcher { remaining }
    }
}

/// Hides the findings of a baseline, each entry at most once.
#[derive(Debug)]
pub struct Matcher {
    remaining: BTreeMap<Key, usize>,
}

impl Matcher {
    /// Whether the baseline accepts `finding` of `package`; uses up one entry if so.
    pub fn take(&mut self, package: &str, finding: &Finding) -> bool {
        let key = Entry::of(package, finding).key();
        match self.remaining.get_mut(&key) {
            Some(n) if *n > 0 => {
                *n -= 1;
                true
            }
            _ => false,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_package_named_by_its_file_matches_in_any_case_once() {
        let finding = Finding::missing_rollback("InstallFoo");
        let identity = |path: &str| package_identity(None, Path::new(path));
        let baseline = Baseline {
            version: VERSION,
            findings: vec![Entry::of(&identity("App.msi"), &finding)],
        };
        let mut matcher = baseline.matcher();
        assert!(!matcher.take(&identity("other.msi"), &finding));
        assert!(matcher.take(&identity("dist/APP.MSI"), &finding));
        assert!(!matcher.take(&identity("App.msi"), &finding), "used up");
    }
}
