//! Output of `msica lint`, `rules`, `explain` and `condition`, in every format.

pub mod github;
mod human;
pub mod json;
pub mod sarif;

use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};

use crate::baseline::Baseline;
use crate::cli::{LintArgs, LintFormat};
use crate::config::Config;
use crate::suppress::{self, ConfigFinding};
use crate::engine::{self, FileReport, Levels};
use crate::finding::Severity;
use crate::render::{self, Style};
use crate::rules::{find_rule, RULES};
use crate::{write_out, ExitStatus};

pub use human::print_error;

/// Severity settings from `--deny`, `--warn` and `--allow`.
pub fn levels_from_args(args: &LintArgs) -> Result<Levels, engine::UnknownRule> {
    let mut levels = Levels::default();
    apply_args(&mut levels, args)?;
    Ok(levels)
}

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

/// Everything a lint run produced, for every output format.
#[derive(Debug)]
pub struct LintRun {
    /// One report per input, in input order, without the hidden findings.
    pub reports: Vec<FileReport>,
    /// The configuration file used, if any.
    pub config: Option<Config>,
    /// Findings about the configuration file (unused ignores).
    pub config_findings: Vec<ConfigFinding>,
    /// Findings hidden by `[[ignore]]` entries.
    pub ignored: usize,
    /// Findings hidden by the baseline.
    pub baselined: usize,
    /// The working directory, to which SARIF and GitHub output make paths relative.
    pub cwd: Option<PathBuf>,
}

impl LintRun {
    /// Every visible finding's severity, config findings included.
    fn severities(&self) -> impl Iterator<Item = Severity> + '_ {
        self.reports
            .iter()
            .flat_map(|r| r.findings.iter().map(|f| f.severity))
            .chain(self.config_findings.iter().map(|c| c.finding.severity))
    }

    /// (errors, warnings, infos) over every visible finding.
    pub fn counts(&self) -> (usize, usize, usize) {
        self.severities().fold((0, 0, 0), |(e, w, i), s| match s {
            Severity::Error => (e + 1, w, i),
            Severity::Warning => (e, w + 1, i),
            Severity::Info => (e, w, i + 1),
        })
    }

    /// `path` as SARIF and GitHub want it: relative to the working directory
    /// with forward slashes when it is under it, else absolute.
    pub fn display_path(&self, path: &Path) -> (String, bool) {
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
    let Some(cwd) = cwd else { return (slashes(path), path.is_relative()) };
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

/// The configuration of a run: `--config`, else `msica.toml` above the
/// working directory, unless `--no-config`.
fn find_config(args: &LintArgs, cwd: Option<&Path>) -> Result<Option<Config>, miette::Report> {
    if args.no_config {
        return Ok(None);
    }
    let path = match &args.config {
        Some(path) => Some(path.clone()),
        // Shown relative to the working directory when it is there.
        None => cwd.and_then(|cwd| Config::discover(cwd).map(|p| p.strip_prefix(cwd).map_or(p.clone(), Path::to_path_buf))),
    };
    path.map(|p| Config::load(&p)).transpose()
}

/// `msica lint PATH...`.
pub fn lint_command(args: &LintArgs, style: Style, out: &mut dyn Write, err: &mut dyn Write) -> ExitStatus {
    let cwd = std::env::current_dir().ok();
    let config = match find_config(args, cwd.as_deref()) {
        Ok(config) => config,
        Err(report) => {
            human::print_diagnostic(err, report.as_ref(), style);
            return ExitStatus::Error;
        }
    };
    let mut levels = Levels::default();
    if let Some(config) = &config {
        config.apply_levels(&mut levels);
    }
    if let Err(e) = apply_args(&mut levels, args) {
        human::print_diagnostic(err, &e, style);
        return ExitStatus::Error;
    }
    let baseline = match args.baseline.as_deref().map(Baseline::read).transpose() {
        Ok(baseline) => baseline,
        Err(e) => {
            human::print_diagnostic(err, &e, style);
            return ExitStatus::Error;
        }
    };
    let mut missing = Vec::new();
    for path in &args.paths {
        if !path.exists() {
            missing.push(path.clone());
        }
    }
    let inputs = engine::collect_inputs(&args.paths);
    // Progress only for people: human output on a terminal, stderr a terminal too.
    let progress = args.format == LintFormat::Human && style.terminal && std::io::stderr().is_terminal();
    let mut reports = engine::lint_files(&inputs, &levels, if progress { Some(&mut *err) } else { None });

    let mut run = LintRun { reports: Vec::new(), config: None, config_findings: Vec::new(), ignored: 0, baselined: 0, cwd };
    if let Some(config) = config {
        let outcome = suppress::apply_ignores(&config, &mut reports, &levels);
        run.ignored = outcome.hidden;
        run.config_findings = outcome.stale;
        run.config = Some(config);
    }
    let baseline = match &args.write_baseline {
        Some(path) => {
            let new = suppress::baseline_of(&reports);
            if let Err(e) = new.write(path) {
                human::print_diagnostic(err, &e, style);
                return ExitStatus::Error;
            }
            if args.format == LintFormat::Human {
                let n = new.findings.len();
                let _ = writeln!(err, "wrote {n} finding{} to the baseline {}", if n == 1 { "" } else { "s" }, path.display());
            }
            Some(new)
        }
        None => baseline,
    };
    if let Some(baseline) = &baseline {
        run.baselined = suppress::apply_baseline(baseline, &mut reports);
    }
    run.reports = reports;

    let text = match args.format {
        LintFormat::Human => human::render_lint(&run, style),
        LintFormat::Json => json::render_lint(&run),
        LintFormat::Sarif => sarif::render_lint(&run),
        LintFormat::Github => github::render_lint(&run),
    };
    // Errors go to stderr in human output; the other formats carry them.
    if args.format == LintFormat::Human {
        for r in &run.reports {
            if let Some(e) = &r.error {
                print_error(err, e, style);
            }
        }
    }
    if inputs.is_empty() && missing.is_empty() {
        let _ = writeln!(err, "error: no .msi or .msm files found in {}", display_paths(&args.paths));
        return ExitStatus::Error;
    }
    if write_out(out, &text) == ExitStatus::Error {
        return ExitStatus::Error;
    }
    exit_status(&run)
}

fn display_paths(paths: &[std::path::PathBuf]) -> String {
    paths.iter().map(|p| p.display().to_string()).collect::<Vec<_>>().join(", ")
}

/// 2 when a file could not be read, else 1 when an error-level finding
/// exists (a finding about the configuration included), else 0.
pub fn exit_status(run: &LintRun) -> ExitStatus {
    if run.reports.iter().any(|r| r.error.is_some()) {
        ExitStatus::Error
    } else if run.severities().any(|s| s == Severity::Error) {
        ExitStatus::Failure
    } else {
        ExitStatus::Success
    }
}

/// `msica explain X`: a Type number or a rule.
pub fn explain(what: &str, json: bool) -> Option<String> {
    if let Some(raw) = crate::inspect::explain::parse_type_number(what) {
        return Some(crate::inspect::explain::explain_type(raw, json));
    }
    let meta = find_rule(what)?.meta();
    Some(if json {
        crate::inspect::to_json(&json::rule_json(meta))
    } else {
        format!("{} {} ({})\n\n{}\n", meta.code, meta.name, meta.severity.as_str(), meta.documentation())
    })
}

/// `msica rules`.
pub fn rules_table(json: bool, style: Style) -> String {
    if json {
        return crate::inspect::to_json(&RULES.iter().map(|r| json::rule_json(r.meta())).collect::<Vec<_>>());
    }
    let rows = RULES
        .iter()
        .map(|r| {
            let m = r.meta();
            vec![m.code.to_string(), m.name.to_string(), m.severity.as_str().to_string(), m.summary.to_string()]
        })
        .collect();
    render::table(style, &["Code", "Name", "Default", "What it finds"], rows)
}

/// `msica condition EXPR`.
pub fn condition_command(expression: &str, json: bool, out: &mut dyn Write, err: &mut dyn Write) -> ExitStatus {
    let _ = (expression, json, out);
    let _ = writeln!(err, "error: the condition parser is not available in this build");
    ExitStatus::Error
}

/// The path as given, for messages.
pub(crate) fn path_text(path: &Path) -> String {
    path.display().to_string()
}
