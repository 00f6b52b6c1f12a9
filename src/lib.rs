//! msica: analyse and lint the custom actions of Windows Installer databases.
//!
//! The pipeline: [`model::load`] turns a database into the plain [`model`];
//! [`engine`] runs the [`rules`] over it, with [`analysis`] shared between
//! them; [`report`] renders the [`finding`]s; [`inspect`] builds the
//! Orca-like views as data; [`commands`] runs each subcommand and renders its
//! view, and [`tui`] draws the same views in `msica browse`. Only the loader
//! touches the `msi` crate.

pub mod analysis;
pub mod baseline;
pub mod cli;
pub mod code;
pub mod commands;
pub mod condition;
pub mod config;
pub mod db;
pub mod diff;
pub mod engine;
pub mod error;
pub mod finding;
pub mod generate;
pub mod inspect;
pub mod model;
pub mod paths;
pub mod render;
pub mod report;
pub mod rules;
pub mod source;
pub mod suppress;
#[cfg(any(test, feature = "test-support"))]
#[doc(hidden)]
pub mod testing;
pub mod tui;

use std::io::Write;

use cli::Cli;
use render::Style;

/// Process exit status: 0 clean, 1 findings at the failing level, 2 the tool
/// could not do its job.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExitStatus {
    Success = 0,
    Failure = 1,
    Error = 2,
}

/// Runs a parsed command line, writing to stdout and stderr.
pub fn run(cli: Cli) -> ExitStatus {
    let style = Style::detect();
    let mut stdout = std::io::stdout().lock();
    let mut stderr = std::io::stderr().lock();
    run_with(cli, style, &mut stdout, &mut stderr)
}

/// Runs a parsed command line against the given writers (used by tests).
pub fn run_with(cli: Cli, style: Style, out: &mut dyn Write, err: &mut dyn Write) -> ExitStatus {
    commands::run(cli.command, style, out, err)
}

/// Writes command output; a closed pipe (`msica ... | head`) is not an error.
pub(crate) fn write_out(out: &mut dyn Write, text: &str) -> ExitStatus {
    match out.write_all(text.as_bytes()).and_then(|()| out.flush()) {
        Ok(()) => ExitStatus::Success,
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => ExitStatus::Success,
        Err(_) => ExitStatus::Error,
    }
}
