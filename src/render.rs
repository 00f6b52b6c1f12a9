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

/// The longest cell a human table shows in full. Longer text (a damaged
/// string pool can make a name megabytes long) is cut, so that one cell
/// cannot widen every line of the table; JSON and TSV keep it whole.
const MAX_CELL_CHARS: usize = 1000;

/// `text` cut to [`MAX_CELL_CHARS`], saying how much was left out.
fn shortened(text: String) -> String {
    match text.char_indices().nth(MAX_CELL_CHARS) {
        Some((cut, _)) => {
            let rest = text[cut..].chars().count();
            format!("{}… ({rest} more characters)", &text[..cut])
        }
        None => text,
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
        t.add_row(row.into_iter().map(shortened));
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_huge_cell_is_cut_and_says_so() {
        let huge = "x".repeat(MAX_CELL_CHARS + 5);
        let text = table(Style::plain(), &["A", "B"], vec![vec![huge, "b".into()]]);
        assert!(text.contains("… (5 more characters)"), "{text}");
        assert!(text
            .lines()
            .all(|l| l.chars().count() < MAX_CELL_CHARS + 40));
        let short = table(Style::plain(), &["A"], vec![vec!["ümlaut".into()]]);
        assert!(short.contains("ümlaut") && !short.contains('…'));
    }
}
