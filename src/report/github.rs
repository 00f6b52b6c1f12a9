//! `--format github`: one GitHub Actions workflow command per finding, so
//! that each shows as an annotation on the run and in the pull request.
//!
//! ```text
//! ::error file=dist/app.msi,title=MCA101 deferred-outside-script::deferred action `InstallFoo` ...
//! ```
//!
//! A finding whose WiX source line is known (`--source`, a `.wixpdb`) is
//! annotated on that line (`file=installer/Product.wxs,line=42,col=5`), so it
//! shows in the pull request's diff; its message names the package.
//!
//! Errors become `::error`, warnings `::warning` and infos `::notice`. A file
//! that cannot be read is an `::error` too. Values are escaped as the
//! workflow-command syntax requires: `%`, CR and LF everywhere, and `:` and
//! `,` as well inside properties.

use std::fmt::Write as _;

use crate::engine::FileReport;
use crate::finding::{Finding, Severity};

/// Escapes the message part of a workflow command.
pub fn escape_data(text: &str) -> String {
    text.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// Escapes a property value (`file=`, `title=`) of a workflow command.
pub fn escape_property(text: &str) -> String {
    escape_data(text).replace(':', "%3A").replace(',', "%2C")
}

fn command(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info => "notice",
    }
}

/// The message, the row it is about and (when the annotation sits on the
/// source line) the package.
fn message(f: &Finding, package: Option<&str>) -> String {
    let mut text = f.message.clone();
    if !f.location.key.is_empty() {
        let _ = write!(text, " ({} {}", f.location.table, f.location.key);
        if let Some(origin) = &f.location.origin {
            let _ = write!(text, ", {origin}");
        }
        if let Some(package) = package {
            let _ = write!(text, " in {package}");
        }
        text.push(')');
    }
    if !f.help.is_empty() {
        let _ = write!(text, "\nhelp: {}", f.help);
    }
    text
}

/// A line and, when known, a column of a file.
type Place = Option<(usize, Option<usize>)>;

fn line(out: &mut String, severity: Severity, file: &str, place: Place, title: &str, text: &str) {
    let _ = write!(
        out,
        "::{} file={}",
        command(severity),
        escape_property(file)
    );
    if let Some((line, column)) = place {
        let _ = write!(out, ",line={line}");
        if let Some(column) = column {
            let _ = write!(out, ",col={column}");
        }
    }
    let _ = writeln!(
        out,
        ",title={}::{}",
        escape_property(title),
        escape_data(text)
    );
}

/// GitHub Actions workflow commands, one per finding, written as files
/// are linted.
pub struct Writer {
    paths: super::Paths,
}

impl Writer {
    pub fn new(paths: super::Paths) -> Self {
        Self { paths }
    }
}

impl super::LintWriter for Writer {
    fn file(&mut self, r: &FileReport, out: &mut dyn std::io::Write) -> std::io::Result<()> {
        let mut text = String::new();
        let file = self.paths.locate(&r.path).text;
        for f in &r.findings {
            let title = format!("{} {}", f.code, f.rule);
            match &f.location.authored_at {
                Some(at) => {
                    let source = self.paths.locate(&at.path).text;
                    let place = Some((at.line, at.column));
                    let text_of = message(f, Some(&file));
                    line(&mut text, f.severity, &source, place, &title, &text_of);
                }
                None => line(
                    &mut text,
                    f.severity,
                    &file,
                    None,
                    &title,
                    &message(f, None),
                ),
            }
        }
        if let Some(e) = &r.error {
            line(
                &mut text,
                Severity::Error,
                &file,
                None,
                "msica: cannot read the package",
                &e.to_string(),
            );
        }
        out.write_all(text.as_bytes())
    }

    fn finish(&mut self, end: &super::RunEnd, out: &mut dyn std::io::Write) -> std::io::Result<()> {
        let mut text = String::new();
        for cf in end.config_findings {
            let file = self.paths.locate(&cf.path).text;
            let f = &cf.finding;
            let message = format!("{}\nhelp: {}", f.message, f.help);
            line(
                &mut text,
                f.severity,
                &file,
                Some((cf.line, None)),
                &format!("{} {}", f.code, f.rule),
                &message,
            );
        }
        out.write_all(text.as_bytes())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_as_the_workflow_command_syntax_requires() {
        assert_eq!(escape_data("100% a\r\nb: c, d"), "100%25 a%0D%0Ab: c, d");
        assert_eq!(
            escape_property("C:\\dist\\a,b%.msi\n"),
            "C%3A\\dist\\a%2Cb%25.msi%0A"
        );
    }
}
