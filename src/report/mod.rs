//! Lint output in every format, and how a lint run ends.

pub mod github;
pub mod gitlab;
pub mod human;
pub mod json;
pub mod sarif;

use std::io::Write;
use std::path::{Path, PathBuf};

use crate::cli::LintArgs;
use crate::config::Config;
use crate::engine::{self, FileReport, Levels};
use crate::finding::Severity;
use crate::rules::RULES;
use crate::suppress::ConfigFinding;
use crate::ExitStatus;

pub use human::print_error;

/// Applies `--allow`, `--warn` and `--deny` on top of `levels` (they override
/// the configuration file).
pub fn apply_args(levels: &mut Levels, args: &LintArgs) -> Result<(), engine::UnknownRule> {
    for rule in &args.allow {
        levels.set(rule, None)?;
    }
    for rule in &args.warn {
        levels.set(rule, Some(Severity::Warning))?;
    }
    for rule in &args.deny {
        if rule.eq_ignore_ascii_case("warnings") {
            levels.warnings_are_errors = true;
        } else {
            levels.set(rule, Some(Severity::Error))?;
        }
    }
    Ok(())
}

/// How a lint run ends, for the last part of every format.
#[derive(Debug)]
pub struct RunEnd<'a> {
    pub files: usize,
    /// Files that could not be read.
    pub files_with_errors: usize,
    /// (errors, warnings, infos) over every finding reported, the findings
    /// about the configuration included.
    pub counts: (usize, usize, usize),
    /// Findings hidden by `[[ignore]]` entries and by the baseline.
    pub ignored: usize,
    pub baselined: usize,
    /// The configuration file used, and the findings about it.
    pub config: Option<&'a Config>,
    pub config_findings: &'a [ConfigFinding],
}

/// A lint report in one format, written as the files' reports arrive.
pub trait LintWriter {
    fn file(&mut self, report: &FileReport, out: &mut dyn Write) -> std::io::Result<()>;
    fn finish(&mut self, end: &RunEnd, out: &mut dyn Write) -> std::io::Result<()>;
}

/// Where output paths are relative to: SARIF and GitHub make paths relative
/// to the working directory.
#[derive(Debug, Clone, Default)]
pub struct Paths {
    pub cwd: Option<PathBuf>,
}

impl Paths {
    /// `path` as SARIF and GitHub want it: relative to the working directory
    /// with forward slashes when it is under it, else absolute.
    pub fn display(&self, path: &Path) -> (String, bool) {
        relative_path(self.cwd.as_deref(), path)
    }
}

/// `path` relative to `cwd` with `/` separators, and whether it is relative.
pub fn relative_path(cwd: Option<&Path>, path: &Path) -> (String, bool) {
    let slashes = |p: &Path| {
        let text = p.to_string_lossy().into_owned();
        if std::path::MAIN_SEPARATOR == '\\' {
            text.replace('\\', "/")
        } else {
            text
        }
    };
    let Some(cwd) = cwd else {
        return (slashes(path), path.is_relative());
    };
    let absolute = normalize(&cwd.join(path));
    let cwd = normalize(cwd);
    match absolute.strip_prefix(&cwd) {
        Ok(rel) if !rel.as_os_str().is_empty() => (slashes(rel), true),
        _ => (slashes(&absolute), false),
    }
}

/// Resolves `.` and `..` without touching the file system (symbolic links
/// are resolved when the path exists).
fn normalize(path: &Path) -> PathBuf {
    if let Ok(real) = path.canonicalize() {
        return real;
    }
    let mut out = PathBuf::new();
    for part in path.components() {
        match part {
            std::path::Component::CurDir => {}
            std::path::Component::ParentDir => {
                out.pop();
            }
            other => out.push(other),
        }
    }
    out
}

/// 2 when a file could not be read, else 1 when an error-level finding
/// exists (a finding about the configuration included), else 0.
pub fn exit_status(end: &RunEnd) -> ExitStatus {
    if end.files_with_errors > 0 {
        ExitStatus::Error
    } else if end.counts.0 > 0 {
        ExitStatus::Failure
    } else {
        ExitStatus::Success
    }
}

/// The path as given, for messages.
pub(crate) fn path_text(path: &Path) -> String {
    path.display().to_string()
}

/// The rule catalogue as Markdown (`docs/rules.md` is generated from it).
pub fn rules_markdown() -> String {
    let mut out = String::from(
        "# msica rules\n\n<!-- Generated from the rule registry by `MSICA_BLESS=1 cargo test --test docs`; do not edit. -->\n\n",
    );
    out.push_str("| Code | Name | Default | What it finds |\n|---|---|---|---|\n");
    for rule in RULES {
        let m = rule.meta();
        out.push_str(&format!(
            "| {} | [{}](#{}) | {} | {} |\n",
            m.code,
            m.name,
            m.name,
            m.severity.as_str(),
            m.summary
        ));
    }
    for rule in RULES {
        let m = rule.meta();
        let doc = m
            .documentation()
            .replace("\n## ", "\n### ")
            .replacen("## ", "### ", 1);
        out.push_str(&format!(
            "\n## {}\n\n`{}` · default severity: {}\n\n{}\n",
            m.name,
            m.code,
            m.severity.as_str(),
            doc
        ));
    }
    out
}
