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
use crate::paths::{self, Located, Style};
use crate::rules::RULES;
use crate::suppress::ConfigFinding;
use crate::ExitStatus;

pub use human::print_error;

#[cfg(test)]
mod path_tests;

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

/// Where output paths are relative to: SARIF, GitHub and GitLab name files
/// relative to the working directory (the checkout) when they lie under it.
#[derive(Debug, Clone)]
pub struct Paths {
    pub cwd: Option<PathBuf>,
    /// The platform the paths are of.
    style: Style,
    /// Whether `..` and links are resolved on the file system; tests of
    /// another platform's paths take them as text.
    resolve: bool,
}

impl Paths {
    pub fn new(cwd: Option<PathBuf>) -> Self {
        Self {
            cwd,
            style: Style::NATIVE,
            resolve: true,
        }
    }

    /// Paths of `style` taken as text, never looked up: Windows paths in
    /// tests on any platform.
    #[cfg(test)]
    pub(crate) fn text(cwd: &str, style: Style) -> Self {
        Self {
            cwd: Some(PathBuf::from(cwd)),
            style,
            resolve: false,
        }
    }

    /// `path` as SARIF, GitHub and GitLab want it: relative to the working
    /// directory with forward slashes when it is under it, else absolute
    /// (see [`crate::paths`]).
    pub fn locate(&self, path: &Path) -> Located {
        let text = |p: &Path| p.to_string_lossy().into_owned();
        let (path, cwd) = match self.cwd.as_deref() {
            Some(cwd) if self.resolve => {
                (text(&resolve(&cwd.join(path))), Some(text(&resolve(cwd))))
            }
            cwd => (text(path), cwd.map(text)),
        };
        paths::locate(&path, cwd.as_deref(), self.style)
    }

    /// The `file://` URI of the working directory, ending in `/`.
    pub fn cwd_uri(&self) -> Option<String> {
        let cwd = self.cwd.as_deref()?;
        let cwd = if self.resolve {
            resolve(cwd)
        } else {
            cwd.to_owned()
        };
        Some(paths::directory_uri(&cwd.to_string_lossy(), self.style))
    }
}

/// Resolves `.`, `..` and symbolic links (when the path exists), without
/// touching the file system otherwise.
fn resolve(path: &Path) -> PathBuf {
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

/// The path as given with forward slashes, for the JSON report.
pub(crate) fn json_path(path: &Path, style: Style) -> String {
    paths::forward_slashes(&path.to_string_lossy(), style)
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
