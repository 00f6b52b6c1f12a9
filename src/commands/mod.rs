//! The commands: each file runs one `msica` subcommand, reading the package,
//! building its view (see [`crate::inspect`]) and rendering it in the
//! format asked for.

pub mod actions;
pub mod browse;
pub mod condition;
pub mod diff;
pub mod explain;
pub mod info;
pub mod lint;
pub mod rules;
pub mod scenarios;
pub mod sequence;
pub mod table;
pub mod tables;

use std::fmt::Write as _;
use std::io::Write;

use crate::cli::{Command, Format};
use crate::error::LoadError;
use crate::render::Style;
use crate::{report, write_out, ExitStatus};

/// A command's output text or a load error.
pub type Output = Result<String, LoadError>;

/// Runs one command, writing its output to `out` and messages to `err`.
pub fn run(command: Command, style: Style, out: &mut dyn Write, err: &mut dyn Write) -> ExitStatus {
    let result = match command {
        Command::Lint(args) => return lint::run(&args, style, out, err),
        Command::Info { package, format } => info::run(&package.input(), format == Format::Json),
        Command::Tables { package, format } => tables::run(&package.input(), format, style),
        Command::Table {
            package,
            name,
            format,
        } => table::run(&package.input(), &name, format, style),
        Command::Actions { package, format } => {
            actions::run(&package.input(), format == Format::Json)
        }
        Command::Sequence {
            package,
            table,
            format,
        } => sequence::run(&package.input(), table.as_deref(), format, style),
        Command::Explain { what, format } => match explain::run(&what, format == Format::Json) {
            Some(text) => Ok(text),
            None => {
                let _ = writeln!(
                    err,
                    "error: `{what}` is neither a Type number (0..=65535, decimal or 0x hex) nor a rule code or name"
                );
                return ExitStatus::Error;
            }
        },
        Command::Scenarios {
            package,
            scenario,
            format,
        } => scenarios::run(
            &package.input(),
            scenario.as_deref(),
            format == Format::Json,
            style,
        ),
        Command::Rules { format } => Ok(rules::run(format == Format::Json, style)),
        Command::Completions { shell } => Ok(crate::generate::completions(shell)),
        Command::Man { command } => match crate::generate::man_page(command.as_deref()) {
            Some(page) => Ok(page),
            None => {
                let _ = writeln!(
                    err,
                    "error: msica has no command `{}`",
                    command.unwrap_or_default()
                );
                return ExitStatus::Error;
            }
        },
        Command::Condition { expression, format } => {
            return condition::run(&expression, format == Format::Json, style, out, err)
        }
        Command::Browse(args) => return browse::run(&args, err),
        Command::Diff(args) => return diff::run(&args, style, out, err),
    };
    match result {
        Ok(text) => write_out(out, &text),
        Err(e) => {
            report::print_error(err, &e, style);
            ExitStatus::Error
        }
    }
}

/// `key  value` lines with the values aligned.
fn aligned(lines: &[(&str, String)]) -> String {
    let width = lines.iter().map(|(k, _)| k.len()).max().unwrap_or(0);
    let mut out = String::new();
    for (key, value) in lines {
        let _ = writeln!(out, "{key:width$}  {value}");
    }
    out
}

/// Escapes for one-line-per-row text: tab, CR and LF inside a cell are written
/// as the control codes IDT archives use for them (0x10, 0x11, 0x19).
fn escape_idt(text: &str) -> String {
    text.replace('\t', "\x10")
        .replace('\r', "\x11")
        .replace('\n', "\x19")
}
