//! Three-valued evaluation: what a condition is when only some of its atoms
//! (bare values and single comparisons) are known.

use super::ast::Expr;

/// The value of `expr` when `atom` gives the value of the atoms it knows
/// and `None` for the others, in Kleene's three-valued logic: `Some(v)` only
/// when `expr` is `v` whatever values the unknown atoms take.
pub fn evaluate(expr: &Expr, atom: &impl Fn(&Expr) -> Option<bool>) -> Option<bool> {
    let both = |a: &Expr, b: &Expr| (evaluate(a, atom), evaluate(b, atom));
    match expr {
        Expr::Not(e) => evaluate(e, atom).map(|v| !v),
        Expr::And(a, b) => match both(a, b) {
            (Some(false), _) | (_, Some(false)) => Some(false),
            (Some(true), Some(true)) => Some(true),
            _ => None,
        },
        Expr::Or(a, b) => match both(a, b) {
            (Some(true), _) | (_, Some(true)) => Some(true),
            (Some(false), Some(false)) => Some(false),
            _ => None,
        },
        Expr::Imp(a, b) => match both(a, b) {
            (Some(false), _) | (_, Some(true)) => Some(true),
            (Some(true), Some(false)) => Some(false),
            _ => None,
        },
        Expr::Xor(a, b) => match both(a, b) {
            (Some(x), Some(y)) => Some(x != y),
            _ => None,
        },
        Expr::Eqv(a, b) => match both(a, b) {
            (Some(x), Some(y)) => Some(x == y),
            _ => None,
        },
        Expr::Compare { .. } | Expr::Value(_) => atom(expr),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::condition::{parse, Operand};

    /// `A` is true, `B` false, anything else unknown.
    fn eval(text: &str) -> Option<bool> {
        let cond = parse(text).unwrap();
        evaluate(cond.expr().unwrap(), &|atom| match atom {
            Expr::Value(Operand::Property(p)) if p == "A" => Some(true),
            Expr::Value(Operand::Property(p)) if p == "B" => Some(false),
            _ => None,
        })
    }

    #[test]
    fn known_atoms_decide_only_what_they_decide() {
        assert_eq!(eval("NOT A"), Some(false));
        assert_eq!(eval("NOT A AND X"), Some(false));
        assert_eq!(eval("NOT A OR X"), None);
        assert_eq!(eval("A OR X"), Some(true));
        assert_eq!(eval("B IMP X"), Some(true));
        assert_eq!(eval("A IMP B"), Some(false));
        assert_eq!(eval("A XOR B"), Some(true));
        assert_eq!(eval("A EQV X"), None);
        assert_eq!(eval("X = 1"), None);
    }
}
