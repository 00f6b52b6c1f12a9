//! The real terminal: raw mode, the alternate screen and mouse reporting on
//! the way in, all undone on the way out, whether by `q`, Ctrl-C or a panic.

use std::io::{self, stdout};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Once;

use ratatui::backend::CrosstermBackend;
use ratatui::crossterm::event::{self, DisableMouseCapture, EnableMouseCapture, Event};
use ratatui::crossterm::execute;
use ratatui::crossterm::terminal::{
    disable_raw_mode, enable_raw_mode, EnterAlternateScreen, LeaveAlternateScreen,
};
use ratatui::Terminal;

use super::{ui, App};

/// Whether the terminal is in the browser's state and must be restored.
static TAKEN: AtomicBool = AtomicBool::new(false);

/// Restores the terminal before a panic message is printed. Install it
/// before the package is loaded: the loader's own hook, which silences the
/// panics it catches, then wraps this one.
pub fn install_panic_hook() {
    static HOOK: Once = Once::new();
    HOOK.call_once(|| {
        let previous = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            restore();
            previous(info);
        }));
    });
}

fn restore() {
    if TAKEN.swap(false, Ordering::SeqCst) {
        let _ = disable_raw_mode();
        let _ = execute!(
            stdout(),
            DisableMouseCapture,
            LeaveAlternateScreen,
            ratatui::crossterm::cursor::Show
        );
    }
}

/// Restores the terminal when the loop ends, however it ends.
struct Restore;

impl Drop for Restore {
    fn drop(&mut self) {
        restore();
    }
}

/// Runs the browser until the user quits.
pub fn run(app: &mut App) -> io::Result<()> {
    TAKEN.store(true, Ordering::SeqCst);
    let _restore = Restore;
    enable_raw_mode()?;
    execute!(stdout(), EnterAlternateScreen, EnableMouseCapture)?;
    let mut terminal = Terminal::new(CrosstermBackend::new(stdout()))?;
    while !app.quit {
        terminal.draw(|frame| ui::draw(frame, app))?;
        // A resize needs nothing but the next frame, which fills the new size.
        match event::read()? {
            Event::Key(key) => app.handle_key(key),
            Event::Mouse(mouse) => app.handle_mouse(mouse),
            _ => {}
        }
    }
    Ok(())
}
