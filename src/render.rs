//! Plain tables for human output: comfy-table boxes on a terminal, aligned
//! text when piped.

use comfy_table::{presets, ContentArrangement, Table};

/// Whether human output should be styled (a terminal, and `NO_COLOR` unset).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Style {
    pub terminal: bool,
}

impl Style {
    pub fn detect() -> Self {
        use std::io::IsTerminal;
        Self {
            terminal: std::io::stdout().is_terminal(),
        }
    }

    pub fn plain() -> Self {
        Self { terminal: false }
    }

    pub fn color(self) -> bool {
        self.terminal && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
    }
}

/// Renders `rows` under `header`.
pub fn table(style: Style, header: &[&str], rows: Vec<Vec<String>>) -> String {
    let mut t = Table::new();
    if style.terminal {
        t.load_preset(presets::UTF8_FULL_CONDENSED)
            .set_content_arrangement(ContentArrangement::Dynamic);
    } else {
        t.load_preset(presets::NOTHING)
            .set_content_arrangement(ContentArrangement::Disabled);
    }
    t.set_header(header.iter().copied());
    for row in rows {
        t.add_row(row);
    }
    let mut text = t.to_string();
    if !style.terminal {
        // The NOTHING preset pads every line; trailing blanks help nobody.
        text = text
            .lines()
            .map(str::trim_end)
            .collect::<Vec<_>>()
            .join("\n");
    }
    text.push('\n');
    text
}
