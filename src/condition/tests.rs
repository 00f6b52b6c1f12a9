//! Parser, printer and analysis tests, property tests and the real-world
//! corpus check. Equivalence pairs live beside the comparator.

use super::*;

fn expr(src: &str) -> Expr {
    match parse(src) {
        Ok(c) => c.expr().cloned().expect("not empty"),
        Err(e) => panic!("`{src}` should parse: {e}"),
    }
}

fn prop(name: &str) -> Expr {
    Expr::Value(Operand::Property(name.to_owned()))
}

fn cmp(op: CompareOp, left: Operand, right: Operand) -> Expr {
    Expr::Compare {
        op,
        case_insensitive: false,
        left,
        right,
    }
}

fn not(e: Expr) -> Expr {
    Expr::Not(Box::new(e))
}

fn p(name: &str) -> Operand {
    Operand::Property(name.to_owned())
}

/// Asserts that `src` fails at `offset` with a message containing `needle`.
#[track_caller]
fn rejects(src: &str, offset: usize, needle: &str) -> ParseError {
    let err = match parse(src) {
        Ok(c) => panic!("`{src}` should not parse, got {c}"),
        Err(e) => e,
    };
    assert_eq!(err.offset, offset, "offset for `{src}`: {err}");
    assert!(
        err.message.contains(needle),
        "message for `{src}` should contain `{needle}`: {}",
        err.message
    );
    assert!(
        !err.message.ends_with('.'),
        "no final period: {}",
        err.message
    );
    assert!(err.offset + err.len <= src.len(), "span inside the source");
    err
}

// ---------------------------------------------------------------- parsing

#[test]
fn empty_condition_is_always_true() {
    for src in ["", "   ", "\t \r\n"] {
        let c: Condition = src.parse().unwrap();
        assert!(c.is_empty());
        assert!(c.expr().is_none());
        assert_eq!(c.to_string(), "");
        assert!(c.references().is_empty());
    }
}

#[test]
fn accepts_real_world_forms() {
    let forms = [
        "NOT Installed",
        "(NOT Installed)",
        "Not   Installed",
        "REMOVE~=\"ALL\"",
        "REMOVE=\"ALL\" AND NOT UPGRADINGPRODUCTCODE",
        "(&Feat=3) AND NOT (!Feat=3)",
        "(?Comp=3) AND ($Comp=2 OR $Comp=4)",
        "?Comp=$Comp",
        "PATCH AND PATCH >< MEDIASRCPROPNAME",
        "VersionNT>=600",
        "VersionNT64",
        "%PROCESSOR_ARCHITECTURE=\"x86\"",
        "Installed AND NOT REMOVE",
        "NOT REMOVE~=\"ALL\" AND ProductState <> 1",
        "RollbackDisabled <> 1",
        "WIXFAILWHENDEFERRED=1",
        "UILevel >= 5",
        "Privileged",
        "MsiNTProductType<>1",
        "(VersionNT = 501 AND ServicePackLevel >= 2) OR VersionNT > 501",
        "MyProp.ABCD_1234",
        "NOTE AND Order",
        "NOT NOT A",
        "A-B#1 = 2",
        "A\tAND\r\nB",
        "A = -5",
        "A<>-1",
        "A << \"x\" OR A >> \"y\" OR A ~>< \"z\" OR A <= 1",
        "A XOR B EQV C IMP D",
        "% PATH",
        "\"\" = A",
        "Installed        OR ((VersionNT = 500) and (ServicePackLevel > 3))",
    ];
    for src in forms {
        expr(src);
    }
}

#[test]
fn builds_the_expected_trees() {
    assert_eq!(expr("NOT Installed"), not(prop("Installed")));
    assert_eq!(expr("(NOT Installed)"), expr("Not   Installed"));
    assert_eq!(
        expr("REMOVE~=\"ALL\""),
        Expr::Compare {
            op: CompareOp::Eq,
            case_insensitive: true,
            left: p("REMOVE"),
            right: Operand::Literal("ALL".into()),
        }
    );
    assert_eq!(
        expr("?Comp=$Comp"),
        cmp(
            CompareOp::Eq,
            Operand::ComponentInstalled("Comp".into()),
            Operand::ComponentAction("Comp".into())
        )
    );
    assert_eq!(
        expr("&F >< !F"),
        cmp(
            CompareOp::Contains,
            Operand::FeatureAction("F".into()),
            Operand::FeatureInstalled("F".into())
        )
    );
    assert_eq!(
        expr("%PROCESSOR_ARCHITECTURE"),
        Expr::Value(Operand::Env("PROCESSOR_ARCHITECTURE".into()))
    );
    assert_eq!(
        expr("VersionNT>=600"),
        cmp(CompareOp::Ge, p("VersionNT"), Operand::Integer(600))
    );
    assert_eq!(expr("A << B"), cmp(CompareOp::StartsWith, p("A"), p("B")));
    assert_eq!(expr("A >> B"), cmp(CompareOp::EndsWith, p("A"), p("B")));
    assert_eq!(expr("A <= B"), cmp(CompareOp::Le, p("A"), p("B")));
    assert_eq!(
        expr("A < -2"),
        cmp(CompareOp::Lt, p("A"), Operand::Integer(-2))
    );
    assert_eq!(expr("NOTE"), prop("NOTE"));
    assert_eq!(expr("NOT NOT A"), not(not(prop("A"))));
}

#[test]
fn comparison_binds_tighter_than_not() {
    assert_eq!(expr("NOT A = B"), not(cmp(CompareOp::Eq, p("A"), p("B"))));
}

#[test]
fn precedence_follows_microsoft() {
    let (a, b, c) = (prop("A"), prop("B"), prop("C"));
    let and = |l: Expr, r: Expr| Expr::binary(LogicOp::And, l, r);
    let or = |l: Expr, r: Expr| Expr::binary(LogicOp::Or, l, r);
    let xor = |l: Expr, r: Expr| Expr::binary(LogicOp::Xor, l, r);
    let imp = |l: Expr, r: Expr| Expr::binary(LogicOp::Imp, l, r);
    let eqv = |l: Expr, r: Expr| Expr::binary(LogicOp::Eqv, l, r);
    assert_eq!(
        expr("A AND B OR C"),
        or(and(a.clone(), b.clone()), c.clone())
    );
    assert_eq!(
        expr("A OR B AND C"),
        or(a.clone(), and(b.clone(), c.clone()))
    );
    assert_eq!(
        expr("A XOR B OR C"),
        xor(a.clone(), or(b.clone(), c.clone()))
    );
    assert_eq!(
        expr("A OR B IMP C"),
        imp(or(a.clone(), b.clone()), c.clone())
    );
    assert_eq!(
        expr("A EQV B XOR C"),
        eqv(a.clone(), xor(b.clone(), c.clone()))
    );
    assert_eq!(
        expr("A IMP B IMP C"),
        imp(imp(a.clone(), b.clone()), c.clone())
    );
    assert_eq!(expr("NOT A AND B"), and(not(a.clone()), b.clone()));
    assert_eq!(
        expr("a and b Or c"),
        or(and(prop("a"), prop("b")), prop("c"))
    );
    assert_eq!(expr("A AND B AND C"), and(and(a, b), c));
}

// ----------------------------------------------------------------- errors

#[test]
fn rejects_unbalanced_parentheses() {
    rejects(
        "(A AND B",
        0,
        "expected `)` to close this `(`, found end of condition",
    );
    rejects("NOT (A OR (B)", 4, "expected `)`");
    rejects("A AND B)", 7, "unmatched `)`");
    rejects("(A B)", 3, "expected `)` or an operator, found `B`");
    rejects("()", 1, "expected an operand after `(`, found `)`");
}

#[test]
fn rejects_unterminated_string() {
    let e = rejects("REMOVE = \"ALL", 9, "unterminated string");
    assert_eq!(e.len, 4);
}

#[test]
fn rejects_tilde_without_operator() {
    rejects(
        "A ~ \"x\"",
        2,
        "expected a comparison operator directly after `~`, found whitespace",
    );
    rejects("A ~\"x\"", 2, "found `\"`");
    rejects("A ~", 2, "found end of condition");
}

#[test]
fn rejects_missing_operands() {
    rejects(
        "A =",
        3,
        "expected a value after `=`, found end of condition",
    );
    rejects(
        "A <> AND B",
        5,
        "expected a value after `<>`, found keyword `AND`",
    );
    rejects("= 1", 0, "expected a condition, found `=`");
    rejects(
        "A AND",
        5,
        "expected an operand after `AND`, found end of condition",
    );
    rejects("A OR OR B", 5, "expected an operand after `OR`");
    rejects(
        "NOT",
        3,
        "expected an operand after `NOT`, found end of condition",
    );
    rejects("$ = 2", 2, "expected a component name after `$`, found `=`");
    rejects("!(A)", 1, "expected a feature name after `!`, found `(`");
    rejects(
        "% = 1",
        2,
        "expected an environment variable name after `%`",
    );
}

#[test]
fn rejects_chained_comparisons() {
    rejects(
        "A = B = C",
        6,
        "comparisons cannot be chained, found a second operator `=`",
    );
    rejects("A < B <> 1", 6, "`<>`");
}

#[test]
fn rejects_comparing_a_group() {
    rejects(
        "(A) = 1",
        4,
        "a parenthesised expression is a condition, not a value",
    );
    rejects("(A=1) = (B=1)", 6, "cannot be compared with `=`");
    rejects(
        "A = (B)",
        4,
        "a parenthesised expression cannot be compared",
    );
}

#[test]
fn rejects_c_style_operators() {
    rejects("A == 1", 2, "`==` is not an operator, use `=`");
    rejects("A != 1", 2, "`!=` is not an operator, use `<>`");
    rejects("A && B", 2, "`&&` is not an operator, use AND");
    rejects("A & B", 2, "found `&` (`&` is the feature action prefix");
    rejects("A || B", 2, "`||` is not an operator, use OR");
    rejects("A | B", 2, "`|` is not an operator, use OR");
    rejects("A => 1", 2, "`=>` is not an operator, use `>=`");
    rejects(
        "!",
        1,
        "expected a feature name after `!`, found end of condition",
    );
    rejects("!Feat = 3 AND !", 15, "expected a feature name after `!`");
}

#[test]
fn rejects_arithmetic_and_floats() {
    rejects("A + 1", 2, "arithmetic is not supported, found `+`");
    rejects("A * 2 = 4", 2, "arithmetic is not supported, found `*`");
    rejects("A / 2", 2, "arithmetic is not supported, found `/`");
    rejects("A - 1", 2, "arithmetic is not supported, found `-`");
    rejects("A -1", 2, "arithmetic is not supported");
    let e = rejects(
        "VersionNT >= 6.1",
        13,
        "floating-point numbers are not supported, found `6.1`",
    );
    assert_eq!(e.len, 3);
    rejects("A = 99999999999", 4, "does not fit in 32 bits");
}

#[test]
fn rejects_other_quoting_and_formatted_text() {
    let e = rejects("A = 'x'", 4, "single-quoted strings are not supported");
    assert_eq!(e.len, 3);
    let e = rejects(
        "[PROP] = 1",
        0,
        "formatted text like [PROP] is not expanded in conditions",
    );
    assert_eq!(e.len, 6);
    rejects("A = \"x\" AND [B", 12, "formatted text");
}

#[test]
fn rejects_keywords_as_property_names() {
    rejects(
        "NOT = 1",
        0,
        "keyword `NOT` cannot be used as a property name",
    );
    rejects(
        "A AND OR",
        6,
        "found keyword `OR`, which cannot be used as a property name",
    );
    rejects("OR = 1", 0, "found keyword `OR`");
    rejects("A = Imp", 4, "found keyword `Imp`");
}

#[test]
fn rejects_trailing_garbage() {
    rejects(
        "A B",
        2,
        "expected an operator or end of condition, found `B`",
    );
    rejects("A = 1 2", 6, "found `2`");
    let e = rejects("NOT A NOT B", 6, "found keyword `NOT`");
    assert!(!e.message.contains("property name"), "{}", e.message);
    rejects("A = \"x\" \"y\"", 8, "found string `\"y\"`");
    rejects("A @", 2, "unexpected character `@`");
}

#[test]
fn error_display_names_the_offset() {
    let e = parse("A =").unwrap_err();
    assert_eq!(
        e.to_string(),
        "expected a value after `=`, found end of condition (at byte 3)"
    );
    let _: &dyn std::error::Error = &e;
}

// ------------------------------------------------------ printing & facts

#[test]
fn display_is_canonical() {
    let cases = [
        ("not   installed", "NOT installed"),
        ("(NOT Installed)", "NOT Installed"),
        ("REMOVE~=\"ALL\"", "REMOVE ~= \"ALL\""),
        ("a and (b or c)", "a AND (b OR c)"),
        ("(a and b) or c", "a AND b OR c"),
        ("A AND (B AND C)", "A AND (B AND C)"),
        ("A XOR B OR C", "A XOR (B OR C)"),
        ("A OR B XOR C", "(A OR B) XOR C"),
        ("NOT (A = 1)", "NOT A = 1"),
        ("NOT (A AND B)", "NOT (A AND B)"),
        ("(&Feat=3) AND NOT (!Feat=3)", "&Feat = 3 AND NOT !Feat = 3"),
        ("%x<>-1", "%x <> -1"),
    ];
    for (src, canonical) in cases {
        assert_eq!(expr(src).to_string(), canonical, "for `{src}`");
        assert_eq!(parse(src).unwrap().to_string(), canonical);
    }
}

#[test]
fn explain_draws_the_tree() {
    let c = parse("NOT Installed AND REMOVE~=\"ALL\"").unwrap();
    assert_eq!(
        c.explain(),
        "AND\n\
         ├─ NOT\n\
         │  └─ property Installed\n\
         └─ compare ~= (case-insensitive)\n\
         \x20  ├─ property REMOVE\n\
         \x20  └─ string \"ALL\"\n"
    );
    let c = parse("(A OR $C = 3) AND %E").unwrap();
    assert_eq!(
        c.explain(),
        "AND\n\
         ├─ OR\n\
         │  ├─ property A\n\
         │  └─ compare =\n\
         │     ├─ component action state $C\n\
         │     └─ integer 3\n\
         └─ environment variable %E\n"
    );
    assert_eq!(
        parse("").unwrap().explain(),
        "empty condition (always true)\n"
    );
}

#[test]
fn references_are_deduplicated_in_order() {
    let src = "(?Comp=3) AND ($Comp=2 OR $Comp=4) AND %Path AND %PATH AND A AND a AND A = &F";
    let refs = parse(src).unwrap().references();
    let got: Vec<(RefKind, &str, usize, usize)> = refs
        .iter()
        .map(|r| (r.kind, r.name.as_str(), r.offset, r.len))
        .collect();
    assert_eq!(
        got,
        vec![
            (RefKind::ComponentInstalled, "Comp", 1, 5),
            (RefKind::ComponentAction, "Comp", 15, 5),
            (RefKind::Env, "Path", 39, 5),
            (RefKind::Property, "A", 59, 1),
            (RefKind::Property, "a", 65, 1),
            (RefKind::FeatureAction, "F", 75, 2),
        ]
    );
    assert_eq!(&src[39..44], "%Path");
    assert_eq!(&src[75..77], "&F");
}

#[test]
fn install_state_use_is_detected() {
    assert!(parse("$C = 3").unwrap().uses_install_state());
    assert!(parse("A OR !F = 2").unwrap().uses_install_state());
    assert!(!parse("NOT Installed AND %PATH")
        .unwrap()
        .uses_install_state());
    assert!(!parse("").unwrap().uses_install_state());
}

#[test]
fn mixed_precedence_is_reported() {
    let span = |src: &str| parse(src).unwrap().mixed_precedence();
    let src = "A XOR B OR C";
    assert_eq!(span(src), Some((2, 8)));
    assert_eq!(&src[2..10], "XOR B OR");
    assert_eq!(span("A OR B IMP C"), Some((2, 8)));
    assert_eq!(span("(X) AND (A EQV B AND C XOR D)"), Some((11, 15)));
    assert_eq!(span("A OR (B XOR C) IMP D"), Some((2, 16)));
    assert_eq!(span("A OR B OR C"), None);
    assert_eq!(span("(A XOR B) OR C"), None);
    assert_eq!(span("A AND B OR C"), None);
    assert_eq!(span("A IMP (B OR C)"), None);
    assert_eq!(span(""), None);
}

// ---------------------------------------------------------- property tests

mod generated {
    use super::super::*;
    use proptest::prelude::*;

    fn name() -> impl Strategy<Value = String> {
        prop_oneof![
            Just("A".to_owned()),
            Just("B".to_owned()),
            Just("Installed".to_owned()),
            "[A-Za-z_][A-Za-z0-9_.#-]{0,6}".prop_filter("not a keyword", |s| {
                !["NOT", "AND", "OR", "XOR", "EQV", "IMP"]
                    .contains(&s.to_ascii_uppercase().as_str())
            }),
        ]
    }

    fn operand() -> impl Strategy<Value = Operand> {
        prop_oneof![
            4 => name().prop_map(Operand::Property),
            1 => name().prop_map(Operand::Env),
            1 => name().prop_map(Operand::ComponentAction),
            1 => name().prop_map(Operand::ComponentInstalled),
            1 => name().prop_map(Operand::FeatureAction),
            1 => name().prop_map(Operand::FeatureInstalled),
            2 => prop_oneof![-3i32..5, any::<i32>()].prop_map(Operand::Integer),
            2 => "[^\"]{0,5}".prop_map(Operand::Literal),
        ]
    }

    fn leaf() -> impl Strategy<Value = Expr> {
        prop_oneof![
            operand().prop_map(Expr::Value),
            (
                proptest::sample::select(CompareOp::ALL.to_vec()),
                any::<bool>(),
                operand(),
                operand()
            )
                .prop_map(|(op, case_insensitive, left, right)| Expr::Compare {
                    op,
                    case_insensitive,
                    left,
                    right,
                }),
        ]
    }

    fn tree() -> impl Strategy<Value = Expr> {
        let ops = vec![
            LogicOp::And,
            LogicOp::Or,
            LogicOp::Xor,
            LogicOp::Eqv,
            LogicOp::Imp,
        ];
        leaf().prop_recursive(5, 24, 2, move |inner| {
            prop_oneof![
                inner.clone().prop_map(|e| Expr::Not(Box::new(e))),
                (proptest::sample::select(ops.clone()), inner.clone(), inner)
                    .prop_map(|(op, l, r)| Expr::binary(op, l, r)),
            ]
        })
    }

    /// Small atom pools so the truth table gets real work.
    fn small_tree() -> impl Strategy<Value = Expr> {
        let atom = prop_oneof![
            proptest::sample::select(vec!["A", "B", "C"])
                .prop_map(|n| Expr::Value(Operand::Property(n.to_owned()))),
            (
                proptest::sample::select(vec!["A", "B"]),
                0i32..3,
                any::<bool>()
            )
                .prop_map(|(n, v, flip)| {
                    let (left, right) = (Operand::Property(n.to_owned()), Operand::Integer(v));
                    let (left, right) = if flip { (right, left) } else { (left, right) };
                    Expr::Compare {
                        op: if v == 2 { CompareOp::Ne } else { CompareOp::Eq },
                        case_insensitive: false,
                        left,
                        right,
                    }
                }),
        ];
        atom.prop_recursive(5, 20, 2, |inner| {
            prop_oneof![
                inner.clone().prop_map(|e| Expr::Not(Box::new(e))),
                (
                    proptest::sample::select(vec![
                        LogicOp::And,
                        LogicOp::Or,
                        LogicOp::Xor,
                        LogicOp::Eqv,
                        LogicOp::Imp
                    ]),
                    inner.clone(),
                    inner
                )
                    .prop_map(|(op, l, r)| Expr::binary(op, l, r)),
            ]
        })
    }

    /// Reference semantics of section 4.3 for the soundness check: two
    /// properties `A`, `B` and one component action state `$C`.
    struct State<'a> {
        a: &'a str,
        b: &'a str,
        c: i32,
    }

    enum Val<'a> {
        Int(i32),
        Str(&'a str, bool),
    }

    /// An MSI integer: optional `-`, then digits only.
    fn as_int(s: &str) -> Option<i32> {
        let digits = s.strip_prefix('-').unwrap_or(s);
        let numeric = !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit());
        numeric.then(|| s.parse().ok()).flatten()
    }

    fn compare_int(op: CompareOp, a: i32, b: i32) -> bool {
        match op {
            CompareOp::Eq => a == b,
            CompareOp::Ne => a != b,
            CompareOp::Lt => a < b,
            CompareOp::Gt => a > b,
            CompareOp::Le => a <= b,
            CompareOp::Ge => a >= b,
            CompareOp::Contains => a & b != 0,
            CompareOp::StartsWith => (a >> 16) & 0xFFFF == b,
            CompareOp::EndsWith => a & 0xFFFF == b,
        }
    }

    fn compare_str(op: CompareOp, ci: bool, a: &str, b: &str) -> bool {
        let (a, b) = if ci {
            (a.to_ascii_lowercase(), b.to_ascii_lowercase())
        } else {
            (a.to_owned(), b.to_owned())
        };
        match op {
            CompareOp::Eq => a == b,
            CompareOp::Ne => a != b,
            CompareOp::Lt => a < b,
            CompareOp::Gt => a > b,
            CompareOp::Le => a <= b,
            CompareOp::Ge => a >= b,
            CompareOp::Contains => !a.is_empty() && a.contains(&b),
            CompareOp::StartsWith => !a.is_empty() && a.starts_with(&b),
            CompareOp::EndsWith => !a.is_empty() && a.ends_with(&b),
        }
    }

    fn value<'a>(o: &'a Operand, s: &State<'a>) -> Val<'a> {
        match o {
            Operand::Property(n) if n == "A" => Val::Str(s.a, true),
            Operand::Property(_) => Val::Str(s.b, true),
            Operand::ComponentAction(_) => Val::Int(s.c),
            Operand::Integer(i) => Val::Int(*i),
            Operand::Literal(l) => Val::Str(l, false),
            other => unreachable!("not generated: {other}"),
        }
    }

    fn eval(e: &Expr, s: &State) -> bool {
        match e {
            Expr::Value(o) => match value(o, s) {
                Val::Int(i) => i != 0,
                Val::Str(v, _) => !v.is_empty(),
            },
            Expr::Compare {
                op,
                case_insensitive,
                left,
                right,
            } => match (value(left, s), value(right, s)) {
                (Val::Int(a), Val::Int(b)) => compare_int(*op, a, b),
                (Val::Str(v, property), Val::Int(i)) | (Val::Int(i), Val::Str(v, property)) => {
                    let swapped = matches!(value(left, s), Val::Int(_));
                    match as_int(v).filter(|_| property) {
                        Some(n) if swapped => compare_int(*op, i, n),
                        Some(n) => compare_int(*op, n, i),
                        None => *op == CompareOp::Ne,
                    }
                }
                (Val::Str(a, pa), Val::Str(b, pb)) => {
                    let digits = |x: &str| !x.is_empty() && x.bytes().all(|c| c.is_ascii_digit());
                    let numeric = (pa || pb) && digits(a) && digits(b);
                    let small = op.mirrored().is_some();
                    match (numeric && small, a.parse::<i32>(), b.parse::<i32>()) {
                        (true, Ok(x), Ok(y)) => compare_int(*op, x, y),
                        _ => compare_str(*op, *case_insensitive, a, b),
                    }
                }
            },
            Expr::Not(x) => !eval(x, s),
            Expr::And(x, y) => eval(x, s) && eval(y, s),
            Expr::Or(x, y) => eval(x, s) || eval(y, s),
            Expr::Xor(x, y) => eval(x, s) != eval(y, s),
            Expr::Eqv(x, y) => eval(x, s) == eval(y, s),
            Expr::Imp(x, y) => !eval(x, s) || eval(y, s),
        }
    }

    fn model_operand() -> impl Strategy<Value = Operand> {
        prop_oneof![
            3 => proptest::sample::select(vec!["A", "B"])
                .prop_map(|n| Operand::Property(n.to_owned())),
            1 => Just(Operand::ComponentAction("C".to_owned())),
            2 => (0i32..3).prop_map(Operand::Integer),
            1 => proptest::sample::select(vec!["", "1", "x", "X"])
                .prop_map(|l| Operand::Literal(l.to_owned())),
        ]
    }

    fn model_tree() -> impl Strategy<Value = Expr> {
        let atom = prop_oneof![
            model_operand().prop_map(Expr::Value),
            (
                proptest::sample::select(CompareOp::ALL.to_vec()),
                any::<bool>(),
                model_operand(),
                model_operand()
            )
                .prop_map(|(op, case_insensitive, left, right)| Expr::Compare {
                    op,
                    case_insensitive,
                    left,
                    right,
                }),
        ];
        atom.prop_recursive(3, 8, 2, |inner| {
            prop_oneof![
                inner.clone().prop_map(|e| Expr::Not(Box::new(e))),
                (
                    proptest::sample::select(vec![
                        LogicOp::And,
                        LogicOp::Or,
                        LogicOp::Xor,
                        LogicOp::Eqv,
                        LogicOp::Imp
                    ]),
                    inner.clone(),
                    inner
                )
                    .prop_map(|(op, l, r)| Expr::binary(op, l, r)),
            ]
        })
    }

    /// Property values chosen to hit every comparison mode.
    const VALUES: [&str; 8] = ["", "0", "1", "2", "01", "-1", "x", "X"];

    fn for_each_state(mut f: impl FnMut(&State)) {
        for va in VALUES {
            for vb in VALUES {
                for c in [-1, 0, 1, 2, 3] {
                    f(&State { a: va, b: vb, c });
                }
            }
        }
    }

    fn agree_everywhere(a: &Expr, b: &Expr) -> bool {
        VALUES.iter().all(|va| {
            VALUES.iter().all(|vb| {
                [-1, 0, 1, 2, 3].iter().all(|&c| {
                    let s = State { a: va, b: vb, c };
                    eval(a, &s) == eval(b, &s)
                })
            })
        })
    }

    proptest! {
        #[test]
        fn printing_then_parsing_gives_the_same_tree(tree in tree()) {
            let text = tree.to_string();
            let parsed = parse(&text).map_err(|e| TestCaseError::fail(format!("`{text}`: {e}")))?;
            prop_assert_eq!(parsed.expr(), Some(&tree), "text: {}", text);
            prop_assert_eq!(parsed.mixed_precedence(), None, "canonical text is unambiguous: {}", text);
        }

        #[test]
        fn normal_form_is_equivalent(tree in tree()) {
            let normal = normalize(&tree);
            prop_assert!(equivalent_exprs(&normal, &tree), "{} vs {}", normal, tree);
            let reparsed = parse(&normal.to_string()).unwrap();
            prop_assert_eq!(reparsed.expr(), Some(&normal));
            prop_assert_eq!(normalize(&normal), normal.clone(), "normalising is idempotent");
        }

        #[test]
        fn equivalence_verdicts_hold_in_the_model(a in model_tree(), b in model_tree()) {
            if equivalent_exprs(&a, &b) {
                prop_assert!(agree_everywhere(&a, &b), "`{}` and `{}` differ", a, b);
            }
            prop_assert!(agree_everywhere(&a, &normalize(&a)), "normal form of `{}`", a);
        }

        #[test]
        fn difference_verdicts_hold_in_the_model(a in model_tree(), b in model_tree()) {
            let (ca, cb) = (parse(&a.to_string()).unwrap(), parse(&b.to_string()).unwrap());
            match difference(&ca, &cb) {
                None => prop_assert!(agree_everywhere(&a, &b), "`{}` and `{}` differ", a, b),
                Some(d) => {
                    // Every model state that gives a witness's atoms their
                    // values tells the conditions apart as the witness says.
                    for (cube, first) in [(&d.only_first, true), (&d.only_second, false)] {
                        let Some(cube) = cube else { continue };
                        for_each_state(|s| {
                            if cube.iter().all(|(atom, value)| eval(atom, s) == *value) {
                                assert_eq!(
                                    (eval(&a, s), eval(&b, s)),
                                    (first, !first),
                                    "`{a}` vs `{b}`, witness {cube:?}"
                                );
                            }
                        });
                    }
                }
            }
        }

        #[test]
        fn normal_form_is_equivalent_on_shared_atoms(tree in small_tree()) {
            prop_assert!(equivalent_exprs(&normalize(&tree), &tree));
            let negated = Expr::Not(Box::new(tree.clone()));
            prop_assert!(!equivalent_exprs(&negated, &tree));
        }
    }
}

// ------------------------------------------------------------ real corpus

/// Columns holding conditions, by IDT file name.
fn condition_column(file: &str) -> bool {
    file.ends_with("Sequence.idt")
        || matches!(
            file,
            "ControlCondition.idt" | "ControlEvent.idt" | "LaunchCondition.idt" | "Condition.idt"
        )
}

/// Every non-empty `Condition` cell of the condition-bearing tables in an
/// exported database folder, with the file it came from.
fn conditions_in(dir: &std::path::Path) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let Ok(entries) = std::fs::read_dir(dir) else {
        return out;
    };
    let mut files: Vec<_> = entries.flatten().map(|e| e.path()).collect();
    files.sort();
    for path in files {
        let file = path
            .file_name()
            .unwrap_or_default()
            .to_string_lossy()
            .into_owned();
        if !condition_column(&file) {
            continue;
        }
        let Ok(bytes) = std::fs::read(&path) else {
            continue;
        };
        // IDT files use the database code page; mapping bytes one to one
        // keeps every ASCII condition intact whatever the code page.
        let text: String = bytes.iter().map(|&b| char::from(b)).collect();
        let mut lines = text.split('\n').map(|l| l.trim_end_matches('\r'));
        let Some(header) = lines.next() else {
            continue;
        };
        let Some(column) = header.split('\t').position(|c| c == "Condition") else {
            continue;
        };
        for row in lines.skip(2) {
            let Some(cell) = row.split('\t').nth(column) else {
                continue;
            };
            // IDT escapes control characters inside cells; treat them as the
            // whitespace they stand for.
            let cell: String = cell
                .chars()
                .map(|c| {
                    if ('\x10'..='\x1f').contains(&c) {
                        ' '
                    } else {
                        c
                    }
                })
                .collect();
            if !cell.trim().is_empty() {
                out.push((format!("{}/{file}", dir.display()), cell));
            }
        }
    }
    out
}

#[test]
fn every_corpus_condition_parses() {
    let manifest = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let Some(root) = ["../shared/corpus/oracle", "../../shared/corpus/oracle"]
        .iter()
        .map(|rel| manifest.join(rel))
        .find(|p| p.is_dir())
    else {
        eprintln!("!!! corpus folder shared/corpus/oracle not found: corpus check SKIPPED !!!");
        return;
    };
    let mut dirs: Vec<_> = std::fs::read_dir(&root)
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.is_dir())
        .collect();
    dirs.sort();
    let mut total = 0;
    let mut failures = Vec::new();
    for dir in &dirs {
        for (origin, src) in conditions_in(dir) {
            total += 1;
            match parse(&src) {
                Ok(c) => {
                    let again = parse(&c.to_string()).expect("canonical text parses");
                    assert_eq!(again.expr(), c.expr(), "round trip of `{src}`");
                    assert!(equivalent(&c, &again));
                }
                Err(e) => failures.push(format!("{origin}: `{src}`: {e}")),
            }
        }
    }
    eprintln!("corpus: {total} conditions from {} databases", dirs.len());
    assert!(total > 0, "the corpus holds conditions");
    assert!(failures.is_empty(), "unparsed:\n{}", failures.join("\n"));
}

#[test]
fn implication_and_exclusion() {
    let c = |s: &str| parse(s).unwrap();
    // A rollback on first install only, inside an action that runs on every
    // install or repair.
    assert!(implies(&c("NOT Installed"), &c(r#"NOT REMOVE="ALL""#)));
    assert!(!implies(&c(r#"NOT REMOVE="ALL""#), &c("NOT Installed")));
    assert!(implies(&c("A AND B"), &c("A")));
    assert!(implies(&c("A"), &c("")));
    assert!(!implies(&c(""), &c("A")));
    assert!(excludes(&c("ALLUSERS"), &c("NOT ALLUSERS")));
    assert!(excludes(&c("X = 1"), &c("X = 2")));
    assert!(!excludes(&c("ALLUSERS"), &c("ALLUSERS")));
    assert!(!excludes(&c("A"), &c("")));
}

#[test]
fn conditions_on_properties_nothing_sets() {
    let holds = |s: &str, unset: &[&str]| {
        can_hold_with_empty(&parse(s).unwrap(), |name| unset.contains(&name))
    };
    assert!(!holds(r#"VIEWLOG = "1""#, &["VIEWLOG"]));
    assert!(!holds(r#"ISSCRIPTRUNNING~="1""#, &["ISSCRIPTRUNNING"]));
    assert!(!holds(
        "(RUNAPPLICATION=1) AND (AI_INSTALL OR AI_PATCH)",
        &["RUNAPPLICATION"]
    ));
    assert!(holds("NOT VIEWLOG", &["VIEWLOG"]));
    assert!(holds(r#"VIEWLOG <> "1""#, &["VIEWLOG"]));
    assert!(holds(r#"VIEWLOG = "1""#, &[]));
    assert!(holds("", &["VIEWLOG"]));
}
