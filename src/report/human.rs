//! Human output: the only place that builds miette reports.
//!
//! An installer database has no text to point into, so each finding gets a
//! synthesised excerpt of the table row it concerns, with the offending cell
//! underlined, much as cargo-deny does for `Cargo.lock`.

use std::fmt::Write as _;
use std::io::Write;

use miette::{
    Diagnostic, GraphicalReportHandler, GraphicalTheme, LabeledSpan, MietteDiagnostic, NamedSource,
    Report,
};

use crate::engine::FileReport;
use crate::finding::{Finding, Severity};
use crate::render::Style;
use crate::suppress::ConfigFinding;

fn handler(style: Style) -> GraphicalReportHandler {
    let theme = if style.color() {
        GraphicalTheme::unicode()
    } else {
        GraphicalTheme::unicode_nocolor()
    };
    GraphicalReportHandler::new_themed(theme)
        .with_width(120)
        .with_links(false)
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

/// A cell value as one line: control characters (tabs, line breaks) become spaces.
fn flatten(value: &str) -> String {
    value
        .chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect()
}

/// Where byte `offset` of `value` lands in [`flatten`]`(value)`; offsets past
/// the end stay past the end by the same amount.
fn flat_offset(value: &str, offset: usize) -> usize {
    let inside: usize = value
        .char_indices()
        .take_while(|(i, _)| *i < offset)
        .map(|(_, c)| if c.is_control() { 1 } else { c.len_utf8() })
        .sum();
    inside + offset.saturating_sub(value.len())
}

/// The span `(start, len)` in flattened text of bytes `offset..offset+len`
/// of `value`, at least one column wide so an empty span (an error at the
/// end of the text) still shows.
fn flat_span(value: &str, offset: usize, len: usize) -> (usize, usize) {
    let start = flat_offset(value, offset);
    let end = flat_offset(value, offset + len);
    (start, end.saturating_sub(start).max(1))
}

/// The table excerpt behind a finding: a header line of column names and a
/// line of values, aligned, and the byte span of the offending cell (or of
/// the offending part of it).
fn excerpt(f: &Finding) -> Option<(String, Option<(usize, usize)>)> {
    let loc = &f.location;
    if loc.cells.is_empty() {
        return None;
    }
    let is_target = |name: &str| loc.column.as_deref() == Some(name);
    let shown = |name: &str, v: &str| -> String {
        let flat = flatten(v);
        // The cell holding a span is shown whole, so the spot stays visible.
        if flat.chars().count() > 60 && !(loc.span.is_some() && is_target(name)) {
            format!("{}…", flat.chars().take(59).collect::<String>())
        } else {
            flat
        }
    };
    let values: Vec<String> = loc.cells.iter().map(|(name, v)| shown(name, v)).collect();
    let widths: Vec<usize> = loc
        .cells
        .iter()
        .zip(&values)
        .map(|((name, _), v)| name.chars().count().max(v.chars().count()))
        .collect();
    let mut header = String::new();
    let mut row = String::new();
    let mut span = None;
    for (i, ((name, raw), value)) in loc.cells.iter().zip(&values).enumerate() {
        let sep = if i == 0 { "" } else { "  " };
        header.push_str(sep);
        let _ = write!(header, "{name:<w$}", w = widths[i]);
        row.push_str(sep);
        let start = row.len();
        let _ = write!(row, "{value:<w$}", w = widths[i]);
        if is_target(name) {
            span = Some(match &loc.span {
                Some(part) => {
                    let (offset, len) = flat_span(raw, part.offset, part.len);
                    (start + offset, len)
                }
                None => (start, value.len().max(1)),
            });
        }
    }
    let header = header.trim_end().to_string();
    let mut row = row.trim_end().to_string();
    if let Some((start, len)) = span {
        // An error at the very end of the text points just past it.
        while row.len() < start + len {
            row.push(' ');
        }
    }
    let text = format!("{header}\n{row}");
    let span = span.map(|(start, len)| (header.len() + 1 + start, len));
    Some((text, span))
}

/// Prints a condition that does not parse, with the bad spot underlined
/// and the parser's message as the label.
pub fn print_condition_error(
    err: &mut dyn Write,
    src: &str,
    error: &crate::condition::ParseError,
    style: Style,
) {
    let (start, len) = flat_span(src, error.offset, error.len);
    let mut text = flatten(src);
    while text.len() < start + len {
        text.push(' ');
    }
    let diag = MietteDiagnostic::new(format!("the condition does not parse: {}", error.message))
        .with_code("msica::condition_syntax")
        .with_severity(miette::Severity::Error)
        .with_label(LabeledSpan::at(start..start + len, error.message.clone()))
        .with_help("see the condition syntax in `msica explain condition-syntax`");
    let report = Report::new(diag).with_source_code(NamedSource::new("condition", text));
    print_diagnostic(err, report.as_ref(), style);
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
        let label = match &f.location.span {
            Some(part) => part.label.clone(),
            None => f.location.column.clone().unwrap_or_default(),
        };
        diag = diag.with_label(LabeledSpan::at(*start..*start + *len, label));
    }
    let report = Report::new(diag);
    let _ = style;
    let loc = &f.location;
    let mut name = format!("{file}#{}", loc.table);
    if let Some(origin) = &loc.origin {
        let _ = write!(name, " ({origin})");
    }
    match excerpt {
        Some((text, _)) => report.with_source_code(RowExcerpt {
            name,
            text,
            // The row's line in `msica table FILE TABLE --format tsv`:
            // a header line, then the rows in stored order.
            header_line: loc.row.unwrap_or(0),
        }),
        None => report,
    }
}

/// A header line and one row of a table, numbered as the row's line in the
/// table's listing rather than as lines 1 and 2.
#[derive(Debug)]
struct RowExcerpt {
    name: String,
    text: String,
    /// 0-based line number to give the header line.
    header_line: usize,
}

impl miette::SourceCode for RowExcerpt {
    fn read_span<'a>(
        &'a self,
        span: &miette::SourceSpan,
        before: usize,
        after: usize,
    ) -> Result<Box<dyn miette::SpanContents<'a> + 'a>, miette::MietteError> {
        let inner = self.text.read_span(span, before, after)?;
        Ok(Box::new(miette::MietteSpanContents::new_named(
            self.name.clone(),
            inner.data(),
            *inner.span(),
            inner.line() + self.header_line,
            inner.column(),
            inner.line_count(),
        )))
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
    Report::new(diag).with_source_code(NamedSource::new(
        super::path_text(&cf.path),
        source.to_owned(),
    ))
}

/// Adds `defined at PLACE` under the table excerpt of a rendered finding
/// (after the line that closes the excerpt), or at its end without one.
fn with_defined_at(rendered: &str, place: &str) -> String {
    let line = format!("  defined at {place}\n");
    let mut out = String::with_capacity(rendered.len() + line.len());
    let mut added = false;
    for text in rendered.split_inclusive('\n') {
        out.push_str(text);
        if !added && strip_ansi(text).trim_start().starts_with('╰') {
            out.push_str(&line);
            added = true;
        }
    }
    if !added {
        out.push_str(&line);
    }
    out
}

/// Text without its ANSI colour sequences (`ESC [ ... letter`).
fn strip_ansi(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars();
    while let Some(c) = chars.next() {
        if c == '\u{1b}' {
            for c in chars.by_ref() {
                if c.is_ascii_alphabetic() {
                    break;
                }
            }
        } else {
            out.push(c);
        }
    }
    out
}

/// The human report: each file's findings as miette diagnostics, notes
/// about files that are not what lint expects, then a summary line.
pub struct Writer {
    style: Style,
    handler: GraphicalReportHandler,
}

impl Writer {
    pub fn new(style: Style) -> Self {
        Self {
            style,
            handler: handler(style),
        }
    }
}

impl super::LintWriter for Writer {
    fn file(&mut self, r: &FileReport, out: &mut dyn std::io::Write) -> std::io::Result<()> {
        let file = super::path_text(&r.path);
        let mut text = String::new();
        if let Some(facts) = &r.package {
            if facts.kind == crate::model::PackageKind::Transform {
                let _ = writeln!(
                    text,
                    "note: {file} is a transform: it holds changes to another database, not tables to analyse; lint the database with the transform applied (`-t`)"
                );
            }
            if facts.kind == crate::model::PackageKind::Patch {
                let _ = writeln!(
                    text,
                    "note: {file} is a patch: its transforms change another database; lint that database with the patch applied (`-p`)"
                );
            }
            for damage in &facts.damage {
                let _ = writeln!(text, "note: {file}: {damage}");
            }
        }
        for f in &r.findings {
            let report = diagnostic(f, &file, self.style);
            let mut rendered = String::new();
            let _ = self.handler.render_report(&mut rendered, report.as_ref());
            if let Some(at) = &f.location.authored_at {
                let place = format!("{}:{}", super::path_text(&at.path), at.line);
                rendered = with_defined_at(&rendered, &place);
            }
            text.push_str(&rendered);
        }
        out.write_all(text.as_bytes())
    }

    fn finish(&mut self, end: &super::RunEnd, out: &mut dyn std::io::Write) -> std::io::Result<()> {
        let mut text = String::new();
        if let Some(config) = end.config {
            for cf in end.config_findings {
                let _ = self
                    .handler
                    .render_report(&mut text, config_diagnostic(cf, &config.source).as_ref());
            }
        }
        let (errors, warnings, infos) = end.counts;
        let plural = |n: usize, word: &str| format!("{n} {word}{}", if n == 1 { "" } else { "s" });
        let _ = write!(
            text,
            "{}: {}, {}, {}",
            plural(end.files, "file"),
            plural(errors, "error"),
            plural(warnings, "warning"),
            plural(infos, "info")
        );
        if end.ignored > 0 {
            let _ = write!(
                text,
                "; {} ignored by {}",
                end.ignored,
                crate::config::FILE_NAME
            );
        }
        if end.baselined > 0 {
            let _ = write!(text, "; {} hidden by the baseline", end.baselined);
        }
        if end.files_with_errors > 0 {
            let _ = write!(
                text,
                "; {} could not be read",
                plural(end.files_with_errors, "file")
            );
        }
        text.push('\n');
        out.write_all(text.as_bytes())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::finding::Location;

    fn finding(cells: &[(&str, &str)], column: &str, span: Option<(usize, usize)>) -> Finding {
        let mut location = Location::table("InstallExecuteSequence");
        location.key = "Foo".into();
        location.column = Some(column.into());
        location.cells = cells
            .iter()
            .map(|(c, v)| ((*c).to_owned(), (*v).to_owned()))
            .collect();
        if let Some((offset, len)) = span {
            location = location.with_span(offset, len, "here");
        }
        Finding {
            code: "MCA401",
            rule: "condition-syntax",
            severity: Severity::Error,
            message: "m".into(),
            help: String::new(),
            action: None,
            location,
            sequence: None,
            condition: None,
            related: Vec::new(),
            action_type: None,
            notes: Vec::new(),
        }
    }

    /// The text under the excerpt's span.
    fn underlined(f: &Finding) -> String {
        let (text, span) = excerpt(f).unwrap();
        let (start, len) = span.unwrap();
        text[start..start + len].to_owned()
    }

    #[test]
    fn the_authoring_line_follows_the_excerpt_in_colour_too() {
        let mut f = finding(
            &[("Action", "Foo"), ("Condition", "A AND")],
            "Condition",
            None,
        );
        f.location.authored_at = Some(crate::source::SourceLine {
            path: "installer/Product.wxs".into(),
            line: 42,
            column: Some(7),
        });
        for style in [Style::plain(), Style { terminal: true }] {
            let mut rendered = String::new();
            handler(style)
                .render_report(&mut rendered, diagnostic(&f, "a.msi", style).as_ref())
                .unwrap();
            let text = strip_ansi(&with_defined_at(&rendered, "installer/Product.wxs:42"));
            let lines: Vec<&str> = text.lines().collect();
            let at = lines
                .iter()
                .position(|l| *l == "  defined at installer/Product.wxs:42")
                .unwrap_or_else(|| panic!("{text}"));
            assert!(lines[at - 1].trim_start().starts_with("╰─"), "{text}");
            assert!(lines[at + 1].trim_start().starts_with("help:"), "{text}");
        }
    }

    #[test]
    fn underlines_the_span_inside_the_cell() {
        let cells = [
            ("Action", "Foo"),
            ("Condition", r#"REMOVE == "ALL""#),
            ("Sequence", "1"),
        ];
        let f = finding(&cells, "Condition", Some((7, 2)));
        assert_eq!(underlined(&f), "==");
    }

    #[test]
    fn falls_back_to_the_whole_cell() {
        let f = finding(
            &[
                ("Action", "Foo"),
                ("Condition", "NOT Installed"),
                ("Sequence", "1"),
            ],
            "Condition",
            None,
        );
        assert_eq!(underlined(&f), "NOT Installed");
    }

    #[test]
    fn a_spanned_cell_is_not_truncated_and_control_characters_keep_their_place() {
        let long = format!("{}\tAND (B", "A AND ".repeat(12));
        let offset = long.find('(').unwrap();
        let f = finding(
            &[("Action", "Foo"), ("Condition", &long)],
            "Condition",
            Some((offset, 1)),
        );
        assert_eq!(underlined(&f), "(");
        let (text, _) = excerpt(&f).unwrap();
        assert!(!text.contains('…') && !text.contains('\t'), "{text}");
    }

    #[test]
    fn a_span_at_the_end_of_the_text_points_past_it() {
        let f = finding(
            &[("Action", "Foo"), ("Condition", "A AND")],
            "Condition",
            Some((5, 0)),
        );
        assert_eq!(underlined(&f), " ");
        let (text, span) = excerpt(&f).unwrap();
        assert_eq!(span.unwrap().0, text.len() - 1);
    }

    /// The excerpt numbers the row as its line in `msica table --format
    /// tsv` (header line 1), and names the transform behind the row.
    #[test]
    fn the_excerpt_shows_the_real_row_and_its_origin() {
        let mut f = finding(&[("Action", "Foo"), ("Sequence", "7")], "Sequence", None);
        f.location.row = Some(41);
        f.location.origin = Some("added by site.mst".into());
        let text = render_one(&f);
        assert!(
            text.contains("x.msi#InstallExecuteSequence (added by site.mst):43:"),
            "{text}"
        );
        assert!(
            text.contains("42 │ Action") && text.contains("43 │ Foo"),
            "{text}"
        );
    }

    fn render_one(f: &Finding) -> String {
        let mut out = String::new();
        handler(Style::plain())
            .render_report(&mut out, diagnostic(f, "x.msi", Style::plain()).as_ref())
            .unwrap();
        out
    }
}
