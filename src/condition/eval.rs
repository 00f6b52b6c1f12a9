//! Three-valued evaluation of conditions: given what is known about the
//! run-time values a condition reads (a value fixed, one of a few, some
//! non-empty value, or anything), whether it certainly holds, certainly does
//! not, or may go either way, and then which values it depends on.
//!
//! Atoms are evaluated with the comparison semantics of msi-reference §4.3
//! over every combination of the values still possible; the logical
//! operators follow Kleene's three-valued logic. A `maybe` that hides a
//! tautology (`A OR NOT A`) is settled by the truth tables of
//! [`equivalent_exprs`](super::equivalent_exprs), which never claim more
//! than every installer state allows. The verdict is therefore never wrong,
//! only sometimes less precise than a full search.

use std::ops::Not;

use super::ast::{CompareOp, Expr, Operand, RefKind};
use super::equiv::equivalent_exprs;

/// A three-valued truth.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Truth {
    No,
    Maybe,
    Yes,
}

impl Truth {
    pub fn from_bool(b: bool) -> Self {
        if b {
            Self::Yes
        } else {
            Self::No
        }
    }

    pub fn and(self, other: Self) -> Self {
        self.min(other)
    }

    pub fn or(self, other: Self) -> Self {
        self.max(other)
    }

    /// `yes`, `no` or `maybe`.
    pub fn word(self) -> &'static str {
        match self {
            Self::Yes => "yes",
            Self::No => "no",
            Self::Maybe => "maybe",
        }
    }
}

impl std::ops::Not for Truth {
    type Output = Truth;

    fn not(self) -> Truth {
        match self {
            Truth::Yes => Truth::No,
            Truth::No => Truth::Yes,
            Truth::Maybe => Truth::Maybe,
        }
    }
}

/// A concrete run-time value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Value {
    /// A property's or environment variable's text; unset is `""`.
    Text(String),
    /// A component or feature state.
    State(i32),
}

/// What is known about one run-time value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Known {
    /// Anything, set or not.
    Anything,
    /// Set to some non-empty text, unknown which.
    NonEmpty,
    /// One of these values.
    OneOf(Vec<Value>),
}

impl Known {
    /// A property that is not set.
    pub fn unset() -> Self {
        Self::text("")
    }

    /// A property with exactly this text.
    pub fn text(s: &str) -> Self {
        Self::OneOf(vec![Value::Text(s.to_owned())])
    }

    /// A state that is one of these.
    pub fn states(states: &[i32]) -> Self {
        Self::OneOf(states.iter().map(|&s| Value::State(s)).collect())
    }
}

/// What a scenario knows about the values conditions read.
pub trait Facts {
    fn known(&self, kind: RefKind, name: &str) -> Known;
}

/// The outcome of a condition, with the values a `maybe` depends on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Verdict {
    pub truth: Truth,
    /// For a `maybe`: the values (as written, with their prefix) whose
    /// unknown value decides the outcome, each once, in order of appearance.
    pub depends_on: Vec<String>,
}

impl Verdict {
    pub fn certain(truth: Truth) -> Self {
        Self {
            truth,
            depends_on: Vec::new(),
        }
    }

    /// Both must hold (an action in the UI sequence runs when the sequence
    /// runs and its condition holds).
    pub fn and(self, other: Verdict) -> Verdict {
        combine(self, other, Truth::No)
    }

    /// Either may hold (an action scheduled in two tables).
    pub fn or(self, other: Verdict) -> Verdict {
        combine(self, other, Truth::Yes)
    }
}

/// Kleene AND (`dominant` No) or OR (`dominant` Yes), keeping only the
/// dependencies of a `maybe` that still matters.
fn combine(a: Verdict, b: Verdict, dominant: Truth) -> Verdict {
    if a.truth == dominant || b.truth == dominant {
        return Verdict::certain(dominant);
    }
    // `yes AND x` and `no OR x` are x.
    if a.truth == dominant.not() {
        return b;
    }
    if b.truth == dominant.not() {
        return a;
    }
    let truth = if dominant == Truth::No {
        a.truth.and(b.truth)
    } else {
        a.truth.or(b.truth)
    };
    let mut depends_on = Vec::new();
    for side in [a, b] {
        if side.truth == Truth::Maybe {
            for d in side.depends_on {
                if !depends_on.contains(&d) {
                    depends_on.push(d);
                }
            }
        }
    }
    Verdict { truth, depends_on }
}

/// Evaluates a condition; `None` (an empty condition) always holds.
pub fn evaluate(expr: Option<&Expr>, facts: &impl Facts) -> Verdict {
    let Some(expr) = expr else {
        return Verdict::certain(Truth::Yes);
    };
    let verdict = eval(expr, facts);
    if verdict.truth != Truth::Maybe || !repeats(expr) {
        return verdict;
    }
    // Kleene logic cannot see that `A OR NOT A` holds: fix every atom it
    // decided and let the truth tables judge what is left.
    let residual = residual(expr, facts);
    for (truth, constant) in [(Truth::Yes, 1), (Truth::No, 0)] {
        if equivalent_exprs(&residual, &Expr::Value(Operand::Integer(constant))) {
            return Verdict::certain(truth);
        }
    }
    verdict
}

/// Whether a run-time value is read twice: Kleene logic is exact on a
/// condition that reads each value once, and only then.
fn repeats(expr: &Expr) -> bool {
    let mut atoms = Vec::new();
    collect_atoms(expr, &mut atoms);
    atoms
        .iter()
        .enumerate()
        .any(|(i, a)| atoms[i + 1..].contains(a))
}

fn collect_atoms<'a>(expr: &'a Expr, out: &mut Vec<&'a Operand>) {
    match expr {
        Expr::Not(e) => collect_atoms(e, out),
        Expr::Value(o) => out.push(o),
        Expr::Compare { left, right, .. } => {
            out.extend([left, right].into_iter().filter(|o| o.is_symbol()))
        }
        _ => {
            let (_, l, r) = expr.as_binary().expect("remaining nodes are binary");
            collect_atoms(l, out);
            collect_atoms(r, out);
        }
    }
}

fn eval(expr: &Expr, facts: &impl Facts) -> Verdict {
    match expr {
        Expr::Not(e) => {
            let v = eval(e, facts);
            Verdict {
                truth: v.truth.not(),
                ..v
            }
        }
        Expr::And(a, b) => eval(a, facts).and(eval(b, facts)),
        Expr::Or(a, b) => eval(a, facts).or(eval(b, facts)),
        Expr::Xor(a, b) | Expr::Eqv(a, b) => {
            let (a, b) = (eval(a, facts), eval(b, facts));
            let flip = matches!(expr, Expr::Eqv(..));
            match (a.truth, b.truth) {
                (Truth::Maybe, _) | (_, Truth::Maybe) => combine(
                    Verdict {
                        truth: Truth::Maybe,
                        ..a
                    },
                    Verdict {
                        truth: Truth::Maybe,
                        ..b
                    },
                    Truth::Yes,
                ),
                (x, y) => Verdict::certain(Truth::from_bool((x != y) != flip)),
            }
        }
        Expr::Imp(a, b) => {
            let a = eval(a, facts);
            Verdict {
                truth: a.truth.not(),
                ..a
            }
            .or(eval(b, facts))
        }
        Expr::Value(_) | Expr::Compare { .. } => atom(expr, facts),
    }
}

/// The condition with every atom that `facts` decide replaced by a constant.
fn residual(expr: &Expr, facts: &impl Facts) -> Expr {
    let boxed = |e: &Expr| Box::new(residual(e, facts));
    match expr {
        Expr::Not(e) => Expr::Not(boxed(e)),
        Expr::And(a, b) => Expr::And(boxed(a), boxed(b)),
        Expr::Or(a, b) => Expr::Or(boxed(a), boxed(b)),
        Expr::Xor(a, b) => Expr::Xor(boxed(a), boxed(b)),
        Expr::Eqv(a, b) => Expr::Eqv(boxed(a), boxed(b)),
        Expr::Imp(a, b) => Expr::Imp(boxed(a), boxed(b)),
        Expr::Value(_) | Expr::Compare { .. } => match atom(expr, facts).truth {
            Truth::Yes => Expr::Value(Operand::Integer(1)),
            Truth::No => Expr::Value(Operand::Integer(0)),
            Truth::Maybe => expr.clone(),
        },
    }
}

/// The values an operand can take, or what is known when they cannot be
/// listed.
fn candidates(operand: &Operand, facts: &impl Facts) -> Result<Vec<Operandish>, Known> {
    let Some((kind, name)) = RefKind::of(operand) else {
        return Ok(vec![match operand {
            Operand::Integer(n) => Operandish::Int(*n),
            Operand::Literal(s) => Operandish::Literal(s.clone()),
            _ => unreachable!("constants only"),
        }]);
    };
    match facts.known(kind, name) {
        Known::OneOf(values) => Ok(values
            .into_iter()
            .map(|v| match v {
                Value::Text(s) => Operandish::Text(s),
                Value::State(n) => Operandish::Int(n),
            })
            .collect()),
        other => Err(other),
    }
}

/// A concrete operand, keeping apart literals (compared as text even when
/// they look numeric) and run-time text (compared as numbers when both
/// sides are integers).
#[derive(Debug, Clone)]
enum Operandish {
    Int(i32),
    Literal(String),
    Text(String),
}

fn atom(expr: &Expr, facts: &impl Facts) -> Verdict {
    let maybe = |operands: &[&Operand]| Verdict {
        truth: Truth::Maybe,
        depends_on: operands
            .iter()
            .filter(|o| o.is_symbol())
            .map(|o| o.to_string())
            .collect(),
    };
    match expr {
        Expr::Value(o) => match candidates(o, facts) {
            Ok(values) => fold(values.iter().map(truth_of), || maybe(&[o])),
            Err(Known::NonEmpty) => Verdict::certain(Truth::Yes),
            Err(_) => maybe(&[o]),
        },
        Expr::Compare {
            op,
            case_insensitive,
            left,
            right,
        } => match (candidates(left, facts), candidates(right, facts)) {
            (Ok(ls), Ok(rs)) => fold(
                ls.iter().flat_map(|l| {
                    rs.iter()
                        .map(move |r| compare(*op, *case_insensitive, l, r))
                }),
                || maybe(&[left, right]),
            ),
            _ => maybe(&[left, right]),
        },
        _ => unreachable!("atoms only"),
    }
}

/// Yes when every outcome is true, No when none is, else `maybe()`.
fn fold(outcomes: impl Iterator<Item = bool>, maybe: impl FnOnce() -> Verdict) -> Verdict {
    let (mut any_true, mut any_false) = (false, false);
    for b in outcomes {
        any_true |= b;
        any_false |= !b;
    }
    match (any_true, any_false) {
        (true, false) => Verdict::certain(Truth::Yes),
        (false, true) => Verdict::certain(Truth::No),
        _ => maybe(),
    }
}

fn truth_of(v: &Operandish) -> bool {
    match v {
        Operandish::Int(n) => *n != 0,
        Operandish::Literal(s) | Operandish::Text(s) => !s.is_empty(),
    }
}

/// An integer as Windows Installer reads one from text: an optional `-`
/// and decimal digits.
fn as_integer(s: &str) -> Option<i32> {
    let digits = s.strip_prefix('-').unwrap_or(s);
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    s.parse().ok()
}

/// One comparison of concrete values (msi-reference §4.3).
fn compare(op: CompareOp, case_insensitive: bool, l: &Operandish, r: &Operandish) -> bool {
    use Operandish::*;
    match (l, r) {
        (Int(a), Int(b)) => compare_int(op, *a, *b),
        (Text(s), Int(b)) => as_integer(s).map_or(op == CompareOp::Ne, |a| compare_int(op, a, *b)),
        (Int(a), Text(s)) => as_integer(s).map_or(op == CompareOp::Ne, |b| compare_int(op, *a, b)),
        (Literal(_), Int(_)) | (Int(_), Literal(_)) => op == CompareOp::Ne,
        (Literal(a), Literal(b)) => compare_text(op, case_insensitive, a, b),
        (Text(a), Text(b)) | (Text(a), Literal(b)) | (Literal(a), Text(b)) => {
            match (as_integer(a), as_integer(b)) {
                (Some(x), Some(y)) => compare_int(op, x, y),
                _ => compare_text(op, case_insensitive, a, b),
            }
        }
    }
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
        CompareOp::StartsWith => (a >> 16) == b,
        CompareOp::EndsWith => (a & 0xFFFF) == b,
    }
}

fn compare_text(op: CompareOp, case_insensitive: bool, a: &str, b: &str) -> bool {
    let (a, b) = if case_insensitive {
        (a.to_lowercase(), b.to_lowercase())
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
        CompareOp::Contains => !a.is_empty() && (b.is_empty() || a.contains(&b)),
        CompareOp::StartsWith => !a.is_empty() && a.starts_with(&b),
        CompareOp::EndsWith => !a.is_empty() && a.ends_with(&b),
    }
}

#[cfg(test)]
mod tests {
    use super::super::parse;
    use super::*;
    use std::collections::HashMap;

    struct Map(HashMap<String, Known>);

    impl Facts for Map {
        fn known(&self, kind: RefKind, name: &str) -> Known {
            let key = match kind {
                RefKind::Property => name.to_owned(),
                RefKind::Env => format!("%{name}"),
                RefKind::ComponentAction => format!("${name}"),
                RefKind::ComponentInstalled => format!("?{name}"),
                RefKind::FeatureAction => format!("&{name}"),
                RefKind::FeatureInstalled => format!("!{name}"),
            };
            self.0.get(&key).cloned().unwrap_or(Known::Anything)
        }
    }

    fn facts(pairs: &[(&str, Known)]) -> Map {
        Map(pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.clone()))
            .collect())
    }

    fn verdict(condition: &str, facts: &Map) -> (Truth, Vec<String>) {
        let c = parse(condition).unwrap();
        let v = evaluate(c.expr(), facts);
        (v.truth, v.depends_on)
    }

    #[test]
    fn uninstall_conditions() {
        let uninstall = facts(&[
            ("Installed", Known::NonEmpty),
            ("REMOVE", Known::text("ALL")),
            ("UPGRADINGPRODUCTCODE", Known::unset()),
        ]);
        assert_eq!(verdict("REMOVE~=\"ALL\"", &uninstall).0, Truth::Yes);
        assert_eq!(verdict("REMOVE=\"all\"", &uninstall).0, Truth::No);
        assert_eq!(verdict("NOT Installed", &uninstall).0, Truth::No);
        assert_eq!(
            verdict("REMOVE=\"ALL\" AND NOT UPGRADINGPRODUCTCODE", &uninstall).0,
            Truth::Yes
        );
        assert_eq!(verdict("", &uninstall).0, Truth::Yes);
        assert_eq!(
            verdict("Installed AND CLEANUP = 1", &uninstall),
            (Truth::Maybe, vec!["CLEANUP".to_owned()])
        );
        // A decided conjunct hides the unknown one.
        assert_eq!(
            verdict("NOT Installed AND CLEANUP", &uninstall),
            (Truth::No, vec![])
        );
    }

    #[test]
    fn comparisons_follow_msi_semantics() {
        let f = facts(&[
            ("N", Known::text("10")),
            ("T", Known::text("abc")),
            ("E", Known::unset()),
        ]);
        for (condition, truth) in [
            ("N = 10", Truth::Yes),
            ("N > 9", Truth::Yes),
            ("N = \"10\"", Truth::Yes),
            ("T = 1", Truth::No),
            ("T <> 1", Truth::Yes),
            ("\"5\" = 5", Truth::No),
            ("T >< \"b\"", Truth::Yes),
            ("T << \"ab\"", Truth::Yes),
            ("T >> \"bc\"", Truth::Yes),
            ("E >< \"\"", Truth::No),
            ("T ~= \"ABC\"", Truth::Yes),
            ("T = \"ABC\"", Truth::No),
            ("E", Truth::No),
            ("NOT E", Truth::Yes),
            ("E = \"\"", Truth::Yes),
        ] {
            assert_eq!(verdict(condition, &f).0, truth, "{condition}");
        }
    }

    #[test]
    fn states_with_several_possible_values() {
        let f = facts(&[
            ("$C", Known::states(&[2, -1])),
            ("&F", Known::states(&[2, -1])),
        ]);
        assert_eq!(verdict("$C = 3", &f).0, Truth::No);
        assert_eq!(verdict("$C", &f).0, Truth::Yes);
        assert_eq!(verdict("&F = 2", &f), (Truth::Maybe, vec!["&F".to_owned()]));
        assert_eq!(verdict("?C = 3", &f), (Truth::Maybe, vec!["?C".to_owned()]));
    }

    #[test]
    fn tautologies_over_unknown_values_are_settled() {
        let f = facts(&[]);
        assert_eq!(verdict("A OR NOT A", &f).0, Truth::Yes);
        assert_eq!(verdict("A AND NOT A", &f).0, Truth::No);
        assert_eq!(verdict("A = 1 AND A = 2", &f).0, Truth::No);
        assert_eq!(verdict("A XOR B", &f).0, Truth::Maybe);
    }
}
