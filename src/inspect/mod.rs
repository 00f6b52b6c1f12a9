//! Inspection views as data: what `info`, `tables`, `table`, `actions`,
//! `sequence` and `browse` show, built from the database and the model.
//! The commands render them as text or JSON, the browser draws them; no
//! view knows about an output format.

pub mod actions;
pub mod explain;
pub mod findings;
pub mod info;
pub mod scenarios;
pub mod sequence;
pub mod table;
pub mod tables;

use serde::Serialize;

pub use info::{damage_lines, unreadable_text};
pub use table::to_idt;

pub fn to_json<T: Serialize>(value: &T) -> String {
    let mut s = serde_json::to_string_pretty(value).expect("model serialises");
    s.push('\n');
    s
}

/// What msica says about a transform wherever a database was expected.
pub const TRANSFORM_NOTE: &str = "a transform (.mst) holds changes to another database's tables, \
not a database: it has no custom actions or sequences of its own to analyse";

pub fn plural(n: usize, word: &str) -> String {
    format!("{n} {word}{}", if n == 1 { "" } else { "s" })
}

/// The text on one line (control characters as spaces), cut at `max` characters.
pub fn one_line(text: &str, max: usize) -> String {
    let flat: String = text
        .chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect();
    if flat.chars().count() > max {
        format!("{}…", flat.chars().take(max).collect::<String>())
    } else {
        flat
    }
}
