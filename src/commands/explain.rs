//! `msica explain X`: a custom action Type in words, or a rule's documentation.

use crate::inspect::explain::{explain_type, parse_type_number};
use crate::inspect::to_json;
use crate::report::json;
use crate::rules::find_rule;

/// `msica explain X`: a Type number or a rule.
pub fn run(what: &str, as_json: bool) -> Option<String> {
    if let Some(raw) = parse_type_number(what) {
        return Some(explain_type(raw, as_json));
    }
    let meta = find_rule(what)?.meta();
    Some(if as_json {
        to_json(&json::rule_json(meta))
    } else {
        format!(
            "{} {} ({})\n\n{}\n",
            meta.code,
            meta.name,
            meta.severity.as_str(),
            meta.documentation()
        )
    })
}
