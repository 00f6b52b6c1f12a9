//! Output of `msica lint`, `rules`, `explain` and `condition`, in every format.

mod human;
pub mod json;

use std::io::Write;
use std::path::Path;

use crate::cli::{LintArgs, LintFormat};
use crate::engine::{self, FileReport, Levels};
use crate::finding::Severity;
use crate::render::{self, Style};
use crate::rules::{find_rule, RULES};
use crate::{write_out, ExitStatus};

pub use human::print_error;

/// Severity settings from `--deny`, `--warn` and `--allow`.
pub fn levels_from_args(args: &LintArgs) -> Result<Levels, engine::UnknownRule> {
    let mut levels = Levels::default();
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
    Ok(levels)
}

/// `msica lint PATH...`.
pub fn lint_command(
    args: &LintArgs,
    style: Style,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> ExitStatus {
    let levels = match levels_from_args(args) {
        Ok(levels) => levels,
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
    let reports: Vec<FileReport> = inputs
        .iter()
        .map(|p| engine::lint_file(p, &levels))
        .collect();
    let text = match args.format {
        LintFormat::Human => human::render_lint(&reports, style),
        LintFormat::Json => json::render_lint(&reports),
    };
    // Errors go to stderr in human output; JSON carries them in the document.
    if args.format == LintFormat::Human {
        for r in &reports {
            if let Some(e) = &r.error {
                print_error(err, e, style);
            }
        }
    }
    if inputs.is_empty() && missing.is_empty() {
        let _ = writeln!(
            err,
            "error: no .msi or .msm files found in {}",
            display_paths(&args.paths)
        );
        return ExitStatus::Error;
    }
    if write_out(out, &text) == ExitStatus::Error {
        return ExitStatus::Error;
    }
    exit_status(&reports)
}

fn display_paths(paths: &[std::path::PathBuf]) -> String {
    paths
        .iter()
        .map(|p| p.display().to_string())
        .collect::<Vec<_>>()
        .join(", ")
}

/// 2 when a file could not be read, else 1 when an error-level finding
/// exists, else 0.
pub fn exit_status(reports: &[FileReport]) -> ExitStatus {
    if reports.iter().any(|r| r.error.is_some()) {
        ExitStatus::Error
    } else if reports
        .iter()
        .flat_map(|r| &r.findings)
        .any(|f| f.severity == Severity::Error)
    {
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
        format!(
            "{} {} ({})\n\n{}\n",
            meta.code,
            meta.name,
            meta.severity.as_str(),
            meta.documentation()
        )
    })
}

/// `msica rules`.
pub fn rules_table(json: bool, style: Style) -> String {
    if json {
        return crate::inspect::to_json(
            &RULES
                .iter()
                .map(|r| json::rule_json(r.meta()))
                .collect::<Vec<_>>(),
        );
    }
    let rows = RULES
        .iter()
        .map(|r| {
            let m = r.meta();
            vec![
                m.code.to_string(),
                m.name.to_string(),
                m.severity.as_str().to_string(),
                m.summary.to_string(),
            ]
        })
        .collect();
    render::table(style, &["Code", "Name", "Default", "What it finds"], rows)
}

/// `msica condition EXPR`.
pub fn condition_command(
    expression: &str,
    json: bool,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> ExitStatus {
    let _ = (expression, json, out);
    let _ = writeln!(
        err,
        "error: the condition parser is not available in this build"
    );
    ExitStatus::Error
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
