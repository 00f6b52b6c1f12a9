//! `msica browse FILE`: the interactive browser (see [`crate::tui`]).

use std::io::{IsTerminal, Write};

use crate::cli::{BrowseArgs, BrowseView};
use crate::render::Style;
use crate::report::print_error;
use crate::tui::{self, App, Data, View};
use crate::ExitStatus;

pub fn run(args: &BrowseArgs, err: &mut dyn Write) -> ExitStatus {
    if !std::io::stdout().is_terminal() {
        let _ = writeln!(
            err,
            "error: msica browse needs a terminal, and its output is not one; \
             `msica tables`, `table`, `actions` and `sequence` print the same views as text"
        );
        return ExitStatus::Error;
    }
    tui::terminal::install_panic_hook();
    // Everything that can fail on a broken file happens before the terminal
    // is taken over, so the error is printed as usual.
    let input = args.package.input();
    let data = match Data::load(&input) {
        Ok(data) => data,
        Err(e) => {
            print_error(err, &e, Style::detect());
            return ExitStatus::Error;
        }
    };
    let mut app = App::new(data);
    let view = match args.view {
        Some(BrowseView::Tables) | None => View::Tables,
        Some(BrowseView::Actions) => View::Actions,
        Some(BrowseView::Sequence) => View::Sequence,
        Some(BrowseView::Findings) => View::Findings,
        Some(BrowseView::Scenarios) => View::Scenarios,
    };
    if let Err(message) = app.start(view, args.table.as_deref()) {
        let _ = writeln!(err, "error: {}: {message}", input.path.display());
        return ExitStatus::Error;
    }
    match tui::terminal::run(&mut app) {
        Ok(()) => ExitStatus::Success,
        Err(e) => {
            let _ = writeln!(err, "error: the terminal failed: {e}");
            ExitStatus::Error
        }
    }
}
