//! `msica explain NUMBER`: a custom action Type in words, bit by bit.

use std::fmt::Write as _;

use serde_json::json;

use crate::model::ActionType;

/// Parses `3073`, `0xC01` or `0XC01` as a Type value in 0..=65535.
pub fn parse_type_number(text: &str) -> Option<i32> {
    let t = text.trim();
    let value = match t.strip_prefix("0x").or_else(|| t.strip_prefix("0X")) {
        Some(hex) => i64::from_str_radix(hex, 16).ok()?,
        None => t.parse::<i64>().ok()?,
    };
    (0..=0xFFFF).contains(&value).then_some(value as i32)
}

pub fn explain_type(raw: i32, json: bool) -> String {
    let t = ActionType::new(raw, None);
    let bits = t.bit_breakdown();
    let problems: Vec<&str> = t.problems().into_iter().map(|p| p.describe()).collect();
    if json {
        return super::to_json(&json!({
            "type": raw,
            "hex": format!("0x{:04X}", t.bits()),
            "base_type": t.base_type(),
            "kind": t.kind(),
            "source": t.source(),
            "execution": t.execution_short(),
            "context": t.context(),
            "return_processing": t.return_processing(),
            "summary": t.summary(),
            "bits": bits.iter().map(|(v, name, words)| json!({"value": v, "name": name, "meaning": words})).collect::<Vec<_>>(),
            "problems": problems,
        }));
    }
    let mut out = String::new();
    let _ = writeln!(out, "Type {raw} (0x{:04X})", t.bits());
    let _ = writeln!(out, "  {}", t.summary());
    let _ = writeln!(out);
    let _ = writeln!(out, "  what     {}", t.what_and_where());
    let _ = writeln!(out, "  when     {}", t.execution_words());
    let _ = writeln!(out, "  as whom  {}", t.context());
    let _ = writeln!(out, "  failure  {}", t.return_words());
    let _ = writeln!(out);
    let _ = writeln!(out, "  bits");
    for (value, name, words) in &bits {
        let _ = writeln!(out, "    0x{value:04X}  {name:<40} {words}");
    }
    if !problems.is_empty() {
        let _ = writeln!(out);
        let _ = writeln!(out, "  problems");
        for p in problems {
            let _ = writeln!(out, "    {p}");
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_decimal_and_hex() {
        assert_eq!(parse_type_number("3073"), Some(3073));
        assert_eq!(parse_type_number("0xC01"), Some(3073));
        assert_eq!(parse_type_number("0XC01"), Some(3073));
        assert_eq!(parse_type_number("65536"), None);
        assert_eq!(parse_type_number("-1"), None);
        assert_eq!(parse_type_number("MCA101"), None);
    }

    #[test]
    fn explains_3073_in_words() {
        let text = explain_type(3073, false);
        assert!(text.contains("DLL stored in the Binary table"), "{text}");
        assert!(text.contains("deferred (in-script)"), "{text}");
        assert!(text.contains("LocalSystem (no impersonation)"), "{text}");
        assert!(text.contains("return code checked"), "{text}");
        assert!(
            text.contains("msidbCustomActionTypeNoImpersonate"),
            "{text}"
        );
    }
}
