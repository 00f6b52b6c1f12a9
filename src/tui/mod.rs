//! `msica browse`: the interactive, read-only browser.
//!
//! As in gitui, state and drawing are apart: [`data`] holds what is shown
//! (built from the views of [`crate::inspect`]), [`app`] the selection and
//! how keys and the mouse change it, as plain data that tests drive without
//! a terminal; [`ui`] draws a frame from it, and [`terminal`] owns the real
//! terminal and the event loop.

pub mod app;
pub mod data;
pub mod terminal;
pub mod ui;

pub use app::{App, View};
pub use data::Data;

use ratatui::backend::TestBackend;
use ratatui::buffer::Buffer;
use ratatui::Terminal;

/// Draws one frame of `app` in a `width` x `height` screen held in memory:
/// what the tests snapshot and the benchmark times.
pub fn render(app: &mut App, width: u16, height: u16) -> Buffer {
    let mut terminal =
        Terminal::new(TestBackend::new(width, height)).expect("a test backend never fails");
    terminal
        .draw(|frame| ui::draw(frame, app))
        .expect("a test backend never fails");
    terminal.backend().buffer().clone()
}

/// The text of a screen, one line per row, trailing blanks removed.
pub fn screen_text(buffer: &Buffer) -> String {
    let area = buffer.area;
    let mut out = String::new();
    for y in 0..area.height {
        let mut line = String::new();
        for x in 0..area.width {
            line.push_str(buffer[(x, y)].symbol());
        }
        out.push_str(line.trim_end());
        out.push('\n');
    }
    out
}
