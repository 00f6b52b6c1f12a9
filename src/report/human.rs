//! Human output: the only place that builds miette reports.
//!
//! An installer database has no text to point into, so each finding gets a
//! synthesised excerpt of the table row it concerns, with the offending cell
//! underlined, much as cargo-deny does for `Cargo.lock`.

use std::fmt::Write as _;
use std::io::Write;

use miette::{
    Diagnostic, GraphicalReportHandler, GraphicalTheme, LabeledSpan, MietteDiagnostic, NamedSource, Report,
};

use super::LintRun;
use crate::finding::{Finding, Severity};
use crate::render::Style;
use crate::suppress::ConfigFinding;

fn handler(style: Style) -> GraphicalReportHandler {
    let theme = if style.color() { GraphicalTheme::unicode() } else { GraphicalTheme::unicode_nocolor() };
    GraphicalReportHandler::new_themed(theme).with_width(120).with_links(false)
}

/// Prints a fatal error (exit code 2) to `err`.
pub fn print_error(err: &mut dyn Write, error: &crate::error::LoadError, style: Style) {
    print_diagnostic(err, error, style);
}

pub fn print_diagnostic(err: &mut dyn Write, diagnostic: &dyn Diagnostic, style: Style) {
    let mut text = String::new();
    if handler(style).render_report(&mut text, diagnostic).is_err() {
        text = format!("error: {diagnostic}\n");
    }
    let _ = err.write_all(text.as_bytes());
}

/// The table excerpt behind a finding: a header line of column names and a
/// line of values, aligned, and the byte span of the offending cell.
fn excerpt(f: &Finding) -> Option<(String, Option<(usize, usize)>)> {
    let loc = &f.location;
    if loc.cells.is_empty() {
        return None;
    }
    let shown = |v: &str| -> String {
        let flat: String = v.chars().map(|c| if c.is_control() { ' ' } else { c }).collect();
        if flat.chars().count() > 60 {
            format!("{}…", flat.chars().take(59).collect::<String>())
        } else {
            flat
        }
    };
    let values: Vec<String> = loc.cells.iter().map(|(_, v)| shown(v)).collect();
    let widths: Vec<usize> =
        loc.cells.iter().zip(&values).map(|((name, _), v)| name.chars().count().max(v.chars().count())).collect();
    let mut header = String::new();
    let mut row = String::new();
    let mut span = None;
    for (i, ((name, _), value)) in loc.cells.iter().zip(&values).enumerate() {
        let sep = if i == 0 { "" } else { "  " };
        header.push_str(sep);
        let _ = write!(header, "{name:<w$}", w = widths[i]);
        row.push_str(sep);
        let start = row.len();
        let _ = write!(row, "{value:<w$}", w = widths[i]);
        if loc.column.as_deref() == Some(name.as_str()) {
            span = Some((start, value.len().max(1)));
        }
    }
    let header = header.trim_end().to_string();
    let text = format!("{header}\n{}", row.trim_end());
    let span = span.map(|(start, len)| (header.len() + 1 + start, len));
    Some((text, span))
}

fn diagnostic(f: &Finding, file: &str, style: Style) -> Report {
    let severity = match f.severity {
        Severity::Error => miette::Severity::Error,
        Severity::Warning => miette::Severity::Warning,
        Severity::Info => miette::Severity::Advice,
    };
    let mut help = f.help.clone();
    for note in &f.notes {
        let _ = write!(help, "\nnote: {note}");
    }
    let _ = write!(help, "\nsee: msica explain {}", f.rule);
    let mut diag = MietteDiagnostic::new(f.message.clone())
        .with_code(format!("{}({})", f.code, f.rule))
        .with_severity(severity)
        .with_help(help);
    let excerpt = excerpt(f);
    if let Some((_, Some((start, len)))) = &excerpt {
        let label = f.location.column.clone().unwrap_or_default();
        diag = diag.with_label(LabeledSpan::at(*start..*start + *len, label));
    }
    let report = Report::new(diag);
    let _ = style;
    match excerpt {
        Some((text, _)) => report.with_source_code(NamedSource::new(format!("{file}#{}", f.location.table), text)),
        None => report,
    }
}

/// A finding about the configuration file, pointing into its text.
fn config_diagnostic(cf: &ConfigFinding, source: &str) -> Report {
    let severity = match cf.finding.severity {
        Severity::Error => miette::Severity::Error,
        Severity::Warning => miette::Severity::Warning,
        Severity::Info => miette::Severity::Advice,
    };
    let mut help = cf.finding.help.clone();
    for note in &cf.finding.notes {
        let _ = write!(help, "\nnote: {note}");
    }
    let _ = write!(help, "\nsee: msica explain {}", cf.finding.rule);
    let end = cf.span.end.min(source.len());
    let diag = MietteDiagnostic::new(cf.finding.message.clone())
        .with_code(format!("{}({})", cf.finding.code, cf.finding.rule))
        .with_severity(severity)
        .with_help(help)
        .with_label(LabeledSpan::at(cf.span.start.min(end)..end, "this ignore"));
    Report::new(diag).with_source_code(NamedSource::new(super::path_text(&cf.path), source.to_owned()))
}

/// The whole human report of a lint run.
pub fn render_lint(run: &LintRun, style: Style) -> String {
    let reports = &run.reports;
    let handler = handler(style);
    let mut out = String::new();
    for r in reports {
        let file = super::path_text(&r.path);
        for f in &r.findings {
            let report = diagnostic(f, &file, style);
            let _ = handler.render_report(&mut out, report.as_ref());
        }
    }
    if let Some(config) = &run.config {
        for cf in &run.config_findings {
            let _ = handler.render_report(&mut out, config_diagnostic(cf, &config.source).as_ref());
        }
    }
    let (errors, warnings, infos) = run.counts();
    let failed = reports.iter().filter(|r| r.error.is_some()).count();
    let files = reports.len();
    let plural = |n: usize, word: &str| format!("{n} {word}{}", if n == 1 { "" } else { "s" });
    let _ = write!(
        out,
        "{}: {}, {}, {}",
        plural(files, "file"),
        plural(errors, "error"),
        plural(warnings, "warning"),
        plural(infos, "info")
    );
    if run.ignored > 0 {
        let _ = write!(out, "; {} ignored by {}", run.ignored, crate::config::FILE_NAME);
    }
    if run.baselined > 0 {
        let _ = write!(out, "; {} hidden by the baseline", run.baselined);
    }
    if failed > 0 {
        let _ = write!(out, "; {} could not be read", plural(failed, "file"));
    }
    out.push('\n');
    out
}
