//! Runs the rules over packages and applies severity settings, in one place.

use std::collections::BTreeMap;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Mutex, PoisonError};
use std::time::{Duration, Instant};

use crate::analysis;
use crate::error::LoadError;
use crate::finding::{Finding, Severity};
use crate::model::load::{self, Input};
use crate::model::Package;
use crate::rules::{find_rule, Context, Rule, RULES};

/// Effective severity per rule code; `None` means the rule is off.
#[derive(Debug, Clone, Default)]
pub struct Levels {
    overrides: BTreeMap<&'static str, Option<Severity>>,
    /// `--deny warnings`: every warning is reported as an error.
    pub warnings_are_errors: bool,
}

/// A rule name or code that matches no rule.
#[derive(Debug, thiserror::Error, miette::Diagnostic)]
#[error("unknown rule `{0}`")]
#[diagnostic(
    code(msica::unknown_rule),
    help("`msica rules` lists every rule code and name")
)]
pub struct UnknownRule(pub String);

impl Levels {
    /// Sets a rule (code or name) to a level; `None` turns it off.
    pub fn set(&mut self, rule: &str, level: Option<Severity>) -> Result<(), UnknownRule> {
        let rule = find_rule(rule).ok_or_else(|| UnknownRule(rule.to_owned()))?;
        self.overrides.insert(rule.meta().code, level);
        Ok(())
    }

    /// The level a rule reports at, or `None` when it is off.
    pub fn level(&self, rule: &dyn Rule) -> Option<Severity> {
        let meta = rule.meta();
        let level = self
            .overrides
            .get(meta.code)
            .copied()
            .unwrap_or(Some(meta.severity))?;
        Some(if self.warnings_are_errors && level == Severity::Warning {
            Severity::Error
        } else {
            level
        })
    }
}

/// Runs `rules` on a package and returns the findings in a stable order.
pub fn run_rules(pkg: &Package, rules: &[&dyn Rule], levels: &Levels) -> Vec<Finding> {
    let roles = analysis::roles(pkg);
    let siblings = analysis::siblings(pkg);
    let conditions = analysis::condition_sites(pkg);
    let mut findings = Vec::new();
    for rule in rules {
        let Some(level) = levels.level(*rule) else {
            continue;
        };
        let mut cx = Context {
            pkg,
            roles: &roles,
            siblings: &siblings,
            conditions: &conditions,
            meta: rule.meta(),
            reports: Vec::new(),
        };
        rule.check(&mut cx);
        let meta = cx.meta;
        findings.extend(cx.reports.into_iter().map(|r| {
            let mut f = r.into_finding(meta, level);
            if levels.warnings_are_errors && f.severity == Severity::Warning {
                f.severity = Severity::Error;
            }
            f
        }));
    }
    // A finding about a row whose cells are partly lost would be built on
    // text msica cannot see; the damage itself is reported (MCA901).
    findings.retain(|f| !f.location.damaged);
    findings.sort_by(|a, b| {
        (a.code, &a.location.table, &a.location.key, &a.message).cmp(&(
            b.code,
            &b.location.table,
            &b.location.key,
            &b.message,
        ))
    });
    findings.dedup();
    findings
}

/// The outcome of linting one file.
#[derive(Debug)]
pub struct FileReport {
    pub path: PathBuf,
    pub package: Option<Package>,
    pub findings: Vec<Finding>,
    pub error: Option<LoadError>,
}

/// Lints one file with every rule.
pub fn lint_file(path: &Path, levels: &Levels) -> FileReport {
    lint_input(&Input::file(path), levels)
}

/// Lints one package, its transforms applied, with every rule.
pub fn lint_input(input: &Input, levels: &Levels) -> FileReport {
    let path = &input.path;
    match load::load(input) {
        Ok(pkg) => {
            let findings = run_rules(&pkg, RULES, levels);
            FileReport {
                path: path.to_owned(),
                package: Some(pkg),
                findings,
                error: None,
            }
        }
        Err(error) => FileReport {
            path: path.to_owned(),
            package: None,
            findings: Vec::new(),
            error: Some(error),
        },
    }
}

/// Lints files in parallel, one worker per core, and returns the reports in
/// the order of `paths`. With `progress`, a count of linted files is shown
/// there (and cleared again) once the run takes more than a moment.
pub fn lint_files(
    paths: &[Input],
    levels: &Levels,
    progress: Option<&mut dyn Write>,
) -> Vec<FileReport> {
    // One file is linted on this thread: starting a thread costs more than
    // linting a small package.
    if let [one] = paths {
        return vec![lint_input(one, levels)];
    }
    let threads = std::thread::available_parallelism()
        .map_or(1, |n| n.get())
        .clamp(1, paths.len().max(1));
    let next = AtomicUsize::new(0);
    let done = AtomicUsize::new(0);
    let slots: Vec<Mutex<Option<FileReport>>> = paths.iter().map(|_| Mutex::new(None)).collect();
    std::thread::scope(|scope| {
        for _ in 0..threads {
            scope.spawn(|| loop {
                let i = next.fetch_add(1, Ordering::Relaxed);
                let Some(path) = paths.get(i) else { break };
                let report = lint_input(path, levels);
                *slots[i].lock().unwrap_or_else(PoisonError::into_inner) = Some(report);
                done.fetch_add(1, Ordering::Release);
            });
        }
        if let Some(out) = progress {
            let start = Instant::now();
            let mut shown = false;
            while done.load(Ordering::Acquire) < paths.len() {
                std::thread::sleep(Duration::from_millis(10));
                if start.elapsed() >= PROGRESS_DELAY {
                    let _ = write!(
                        out,
                        "\rlinting: {}/{} files",
                        done.load(Ordering::Acquire),
                        paths.len()
                    );
                    let _ = out.flush();
                    shown = true;
                }
            }
            if shown {
                // Clear the line again, so the report starts clean.
                let _ = write!(out, "\r\x1b[2K");
                let _ = out.flush();
            }
        }
    });
    slots
        .into_iter()
        .map(|slot| {
            slot.into_inner()
                .unwrap_or_else(PoisonError::into_inner)
                .expect("every file was linted")
        })
        .collect()
}

/// How long a run goes before it shows progress.
const PROGRESS_DELAY: Duration = Duration::from_millis(500);

/// Expands directories (recursively) into their .msi and .msm files, sorted;
/// files named on the command line are kept whatever their extension.
pub fn collect_inputs(paths: &[PathBuf]) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for path in paths {
        if path.is_dir() {
            let mut found = Vec::new();
            walk(path, &mut found);
            found.sort();
            out.extend(found);
        } else {
            out.push(path.clone());
        }
    }
    out
}

fn walk(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        let Ok(kind) = entry.file_type() else {
            continue;
        };
        if kind.is_dir() {
            walk(&path, out);
        } else if path
            .extension()
            .is_some_and(|e| e.eq_ignore_ascii_case("msi") || e.eq_ignore_ascii_case("msm"))
        {
            out.push(path);
        }
    }
}
