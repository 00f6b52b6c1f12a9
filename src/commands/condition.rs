//! `msica condition EXPR`: how Windows Installer reads a condition.

use std::io::Write;

use crate::condition::{Condition, Expr, Operand, RefKind};
use crate::inspect::to_json;
use crate::render::Style;
use crate::report::human;
use crate::{write_out, ExitStatus};

/// `msica condition EXPR`: the canonical form, the parse tree and what the
/// condition reads; a condition that does not parse is shown with the bad
/// spot underlined and exits 2.
pub fn run(
    expression: &str,
    json: bool,
    style: Style,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> ExitStatus {
    match crate::condition::parse(expression) {
        Ok(parsed) => {
            let text = if json {
                condition_json(expression, &parsed)
            } else {
                condition_human(expression, &parsed)
            };
            write_out(out, &text)
        }
        Err(error) => {
            if json {
                let doc = serde_json::json!({
                    "condition": expression,
                    "valid": false,
                    "error": {"message": error.message, "offset": error.offset, "len": error.len},
                });
                let _ = write_out(out, &to_json(&doc));
            } else {
                human::print_condition_error(err, expression, &error, style);
            }
            ExitStatus::Error
        }
    }
}

/// The reference kinds in display order, with their human and JSON names.
const REFERENCE_KINDS: [(RefKind, &str, &str); 6] = [
    (RefKind::Property, "properties", "properties"),
    (
        RefKind::Env,
        "environment variables",
        "environment_variables",
    ),
    (
        RefKind::ComponentAction,
        "component action states ($)",
        "component_action_states",
    ),
    (
        RefKind::ComponentInstalled,
        "component installed states (?)",
        "component_installed_states",
    ),
    (
        RefKind::FeatureAction,
        "feature action states (&)",
        "feature_action_states",
    ),
    (
        RefKind::FeatureInstalled,
        "feature installed states (!)",
        "feature_installed_states",
    ),
];

fn names_of(parsed: &Condition, kind: RefKind) -> Vec<String> {
    parsed
        .references()
        .into_iter()
        .filter(|r| r.kind == kind)
        .map(|r| r.name)
        .collect()
}

fn condition_human(expression: &str, parsed: &Condition) -> String {
    use std::fmt::Write as _;
    let mut text = String::new();
    if parsed.is_empty() {
        let _ = writeln!(text, "canonical: (empty: the condition always holds)");
    } else {
        let _ = writeln!(text, "canonical: {parsed}");
    }
    let _ = writeln!(text, "\nparse tree:");
    for line in parsed.explain().lines() {
        let _ = writeln!(text, "  {line}");
    }
    let _ = writeln!(text, "\nreads:");
    let mut any = false;
    for (kind, label, _) in REFERENCE_KINDS {
        let names = names_of(parsed, kind);
        if !names.is_empty() {
            any = true;
            let _ = writeln!(text, "  {label}: {}", names.join(", "));
        }
    }
    if !any {
        let _ = writeln!(
            text,
            "  nothing: the result is the same for every installation"
        );
    }
    if parsed.uses_install_state() {
        let _ = writeln!(
            text,
            "\nnote: component and feature states are only known after CostFinalize"
        );
    }
    if let Some((offset, len)) = parsed.mixed_precedence() {
        let spot = expression.get(offset..offset + len).unwrap_or_default();
        let _ = writeln!(
            text,
            "\nwarning: `{spot}` mixes operators without parentheses; Windows reads it as shown above, Wine \
             left to right (MCA403)"
        );
    }
    text
}

fn condition_json(expression: &str, parsed: &Condition) -> String {
    let mut reads = serde_json::Map::new();
    for (kind, _, key) in REFERENCE_KINDS {
        reads.insert(key.to_owned(), serde_json::json!(names_of(parsed, kind)));
    }
    let references: Vec<serde_json::Value> = parsed
        .references()
        .iter()
        .map(|r| {
            serde_json::json!({
                "kind": ref_kind_name(r.kind),
                "name": r.name,
                "offset": r.offset,
                "len": r.len,
            })
        })
        .collect();
    let doc = serde_json::json!({
        "condition": expression,
        "valid": true,
        "empty": parsed.is_empty(),
        "canonical": parsed.to_string(),
        "tree": parsed.expr().map(expr_json),
        "explain": parsed.explain(),
        "reads": reads,
        "references": references,
        "uses_install_state": parsed.uses_install_state(),
        "mixed_precedence": parsed
            .mixed_precedence()
            .map(|(offset, len)| serde_json::json!({"offset": offset, "len": len})),
    });
    to_json(&doc)
}

fn ref_kind_name(kind: RefKind) -> &'static str {
    match kind {
        RefKind::Property => "property",
        RefKind::Env => "environment",
        RefKind::ComponentAction => "component_action",
        RefKind::ComponentInstalled => "component_installed",
        RefKind::FeatureAction => "feature_action",
        RefKind::FeatureInstalled => "feature_installed",
    }
}

fn operand_json(o: &Operand) -> serde_json::Value {
    match o {
        Operand::Integer(i) => serde_json::json!({"kind": "integer", "value": i}),
        Operand::Literal(s) => serde_json::json!({"kind": "string", "value": s}),
        other => {
            let (kind, name) = RefKind::of(other).expect("every other operand is read at run time");
            serde_json::json!({"kind": ref_kind_name(kind), "name": name})
        }
    }
}

/// The syntax tree as nested JSON objects.
fn expr_json(e: &Expr) -> serde_json::Value {
    match e {
        Expr::Value(o) => serde_json::json!({"node": "value", "operand": operand_json(o)}),
        Expr::Not(inner) => serde_json::json!({"node": "NOT", "operand": expr_json(inner)}),
        Expr::Compare {
            op,
            case_insensitive,
            left,
            right,
        } => serde_json::json!({
            "node": "compare",
            "operator": format!("{}{}", if *case_insensitive { "~" } else { "" }, op.symbol()),
            "case_insensitive": case_insensitive,
            "left": operand_json(left),
            "right": operand_json(right),
        }),
        _ => {
            let (op, l, r) = e.as_binary().expect("remaining nodes are binary");
            serde_json::json!({"node": op.keyword(), "left": expr_json(l), "right": expr_json(r)})
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(expression: &str, json: bool) -> (ExitStatus, String, String) {
        let (mut out, mut err) = (Vec::new(), Vec::new());
        let status = super::run(expression, json, Style::plain(), &mut out, &mut err);
        (
            status,
            String::from_utf8(out).unwrap(),
            String::from_utf8(err).unwrap(),
        )
    }

    #[test]
    fn condition_prints_canonical_form_tree_and_references() {
        let (status, out, err) = check(
            r#"not installed AND (REMOVE~="ALL" or $Comp=2) AND %TEMP AND !Feat"#,
            false,
        );
        assert_eq!(status, ExitStatus::Success, "{err}");
        let canonical =
            r#"canonical: NOT installed AND (REMOVE ~= "ALL" OR $Comp = 2) AND %TEMP AND !Feat"#;
        assert!(out.contains(canonical), "{out}");
        assert!(out.contains("parse tree:\n  AND\n"), "{out}");
        assert!(out.contains("compare ~= (case-insensitive)"), "{out}");
        assert!(out.contains("properties: installed, REMOVE"), "{out}");
        assert!(out.contains("environment variables: TEMP"), "{out}");
        assert!(out.contains("component action states ($): Comp"), "{out}");
        assert!(out.contains("feature installed states (!): Feat"), "{out}");
        assert!(out.contains("only known after CostFinalize"), "{out}");
    }

    #[test]
    fn condition_warns_about_mixed_precedence_and_handles_empty_text() {
        let (_, out, _) = check("A XOR B OR C", false);
        assert!(out.contains("canonical: A XOR (B OR C)"), "{out}");
        assert!(out.contains("`XOR B OR` mixes operators"), "{out}");
        let (status, out, _) = check("  ", false);
        assert_eq!(status, ExitStatus::Success);
        assert!(
            out.contains("always holds") && out.contains("nothing"),
            "{out}"
        );
    }

    #[test]
    fn condition_json_has_the_same_facts() {
        let (status, out, _) = check("NOT Installed AND VersionNT >= 600", true);
        assert_eq!(status, ExitStatus::Success);
        let v: serde_json::Value = serde_json::from_str(&out).unwrap();
        assert_eq!(v["valid"], true);
        assert_eq!(v["canonical"], "NOT Installed AND VersionNT >= 600");
        assert_eq!(v["tree"]["node"], "AND");
        assert_eq!(v["tree"]["left"]["node"], "NOT");
        assert_eq!(v["tree"]["right"]["operator"], ">=");
        assert_eq!(
            v["tree"]["right"]["right"],
            serde_json::json!({"kind": "integer", "value": 600})
        );
        assert_eq!(
            v["reads"]["properties"],
            serde_json::json!(["Installed", "VersionNT"])
        );
        assert_eq!(v["references"][1]["offset"], 18);
        assert!(v["explain"].as_str().unwrap().starts_with("AND\n"));
    }

    #[test]
    fn syntax_error_is_underlined_and_exits_2() {
        let (status, out, err) = check(r#"REMOVE == "ALL""#, false);
        assert_eq!(status, ExitStatus::Error);
        assert!(out.is_empty());
        assert!(err.contains("`==` is not an operator, use `=`"), "{err}");
        assert!(err.contains(r#"REMOVE == "ALL""#), "{err}");
        // The underline sits under `==` (7 columns in), two columns wide.
        let source = err
            .lines()
            .find(|l| l.contains(r#"REMOVE == "ALL""#))
            .unwrap();
        let marks = err.lines().skip_while(|l| *l != source).nth(1).unwrap();
        let col = source[..source.find("REMOVE").unwrap()].chars().count();
        let under: String = marks.chars().skip(col).collect();
        assert_eq!(
            under.find(|c: char| c != ' '),
            Some(7),
            "{marks:?} under {source:?}"
        );
        assert!(
            under.chars().skip(7).take(2).all(|c| c != ' '),
            "{marks:?} under {source:?}"
        );

        let (status, out, _) = check("A AND", true);
        assert_eq!(status, ExitStatus::Error);
        let v: serde_json::Value = serde_json::from_str(&out).unwrap();
        assert_eq!(v["valid"], false);
        assert_eq!(v["error"]["offset"], 5);
        assert!(v["error"]["message"]
            .as_str()
            .unwrap()
            .contains("expected an operand after `AND`"));
    }
}
