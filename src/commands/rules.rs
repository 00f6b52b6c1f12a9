//! `msica rules`: the rule catalogue.

use crate::inspect::to_json;
use crate::render::{self, Style};
use crate::report::json;
use crate::rules::RULES;

/// `msica rules`.
pub fn run(as_json: bool, style: Style) -> String {
    if as_json {
        return to_json(
            &RULES
                .iter()
                .map(|r| json::rule_json(r.meta()))
                .collect::<Vec<_>>(),
        );
    }
    let rows = RULES
        .iter()
        .map(|r| {
            let m = r.meta();
            vec![
                m.code.to_string(),
                m.name.to_string(),
                m.severity.as_str().to_string(),
                m.summary.to_string(),
            ]
        })
        .collect();
    render::table(style, &["Code", "Name", "Default", "What it finds"], rows)
}
