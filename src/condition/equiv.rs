//! Semantic equivalence of conditions.
//!
//! Two steps: both sides are brought to a normal form (which settles most
//! real cases on its own), then the atoms of both (bare values and single
//! comparisons) are treated as boolean variables and the two formulas are
//! compared over every assignment of them. An assignment is skipped only
//! when MSI semantics make it impossible, so "equivalent" is never claimed
//! for conditions that can differ at run time.

use std::collections::HashMap;

use super::ast::{CompareOp, Condition, Expr, LogicOp, Operand};

/// Above this many distinct atoms the truth table is not built and only
/// the normal forms are compared (which can miss an equivalence, never
/// invent one).
const MAX_ATOMS: usize = 20;

/// Whether two conditions give the same result for every installer state.
/// An empty condition counts as always true.
pub fn equivalent(a: &Condition, b: &Condition) -> bool {
    let always = Expr::Value(Operand::Integer(1));
    equivalent_exprs(a.expr().unwrap_or(&always), b.expr().unwrap_or(&always))
}

/// Whether `b` holds in every state in which `a` holds (`a` is the same as
/// or narrower than `b`: `NOT Installed` is narrower than `NOT REMOVE="ALL"`).
/// Never claimed when msica cannot tell.
pub fn implies(a: &Condition, b: &Condition) -> bool {
    let always = Expr::Value(Operand::Integer(1));
    let (a, b) = (a.expr().unwrap_or(&always), b.expr().unwrap_or(&always));
    never_holds(Expr::And(
        Box::new(a.clone()),
        Box::new(Expr::Not(Box::new(b.clone()))),
    ))
}

/// Whether no state satisfies both `a` and `b` (`ALLUSERS` and
/// `NOT ALLUSERS`). Never claimed when msica cannot tell.
pub fn excludes(a: &Condition, b: &Condition) -> bool {
    match (a.expr(), b.expr()) {
        (Some(a), Some(b)) => never_holds(Expr::And(Box::new(a.clone()), Box::new(b.clone()))),
        _ => false,
    }
}

/// Whether `c` can hold when every property for which `empty` says so has
/// no value (nothing in the package sets it).
pub fn can_hold_with_empty(c: &Condition, empty: impl Fn(&str) -> bool) -> bool {
    fn emptied(e: &Expr, empty: &dyn Fn(&str) -> bool) -> Expr {
        let operand = |o: &Operand| match o {
            Operand::Property(name) if empty(name) => Operand::Literal(String::new()),
            other => other.clone(),
        };
        match e {
            Expr::Value(o) => Expr::Value(operand(o)),
            Expr::Compare {
                op,
                case_insensitive,
                left,
                right,
            } => Expr::Compare {
                op: *op,
                case_insensitive: *case_insensitive,
                left: operand(left),
                right: operand(right),
            },
            Expr::Not(inner) => Expr::Not(Box::new(emptied(inner, empty))),
            _ => {
                let (op, l, r) = e.as_binary().expect("remaining nodes are binary");
                Expr::binary(op, emptied(l, empty), emptied(r, empty))
            }
        }
    }
    match c.expr() {
        None => true,
        Some(e) => !never_holds(emptied(e, &empty)),
    }
}

/// Whether `expr` is false in every state that can occur. Besides what the
/// comparisons themselves rule out, a first installation removes nothing:
/// `REMOVE="ALL"` only holds when the product is installed.
fn never_holds(expr: Expr) -> bool {
    let fact = super::parse(r#"Installed OR (NOT REMOVE="ALL" AND NOT REMOVE~="ALL")"#)
        .ok()
        .and_then(|c| c.expr)
        .expect("the fact parses");
    let expr = Expr::And(Box::new(expr), Box::new(fact));
    let never = Condition {
        expr: Some(Expr::Value(Operand::Integer(0))),
        references: Vec::new(),
        mixed_precedence: None,
    };
    let expr = Condition {
        expr: Some(expr),
        references: Vec::new(),
        mixed_precedence: None,
    };
    difference(&expr, &never).is_none()
}

/// [`equivalent`] on bare expressions.
pub fn equivalent_exprs(a: &Expr, b: &Expr) -> bool {
    let (a, b) = (normalize(a), normalize(b));
    if a == b {
        return true;
    }
    let mut atoms = Atoms::default();
    let fa = atoms.compile(&a);
    let fb = atoms.compile(&b);
    if atoms.list.len() > MAX_ATOMS {
        return false;
    }
    let constraints = atoms.constraints();
    (0..1u32 << atoms.list.len())
        .filter(|&bits| constraints.iter().all(|c| c.holds(bits)))
        .all(|bits| fa.eval(bits) == fb.eval(bits))
}

/// Rewrites an expression into a normal form with the same meaning:
///
/// * `NOT NOT x` becomes `x`;
/// * `a IMP b` becomes `NOT a OR b`; `EQV` becomes a negated `XOR`, and
///   negations are pulled out of `XOR` (`NOT a XOR b` is `NOT (a XOR b)`);
/// * `AND`, `OR` and `XOR` chains are flattened, their operands sorted,
///   repeats removed from `AND`/`OR` and cancelled in pairs in `XOR`;
/// * a comparison is turned so the run-time value comes first (`1 = A`
///   becomes `A = 1`, `5 > A` becomes `A < 5`), `~` is dropped when an
///   integer is compared (it only affects strings), and `x <> y` becomes
///   `NOT x = y`, which MSI makes an exact negation in every case (for a
///   non-numeric property against an integer `=` is false and `<>` true);
/// * environment variable names are upper-cased (they ignore case).
///
/// The result prints as valid condition text.
pub fn normalize(expr: &Expr) -> Expr {
    match expr {
        Expr::Value(o) => Expr::Value(normalize_operand(o)),
        Expr::Compare {
            op,
            case_insensitive,
            left,
            right,
        } => normalize_compare(*op, *case_insensitive, left, right),
        Expr::Not(e) => negate(normalize(e)),
        Expr::And(a, b) => chain(LogicOp::And, vec![normalize(a), normalize(b)]),
        Expr::Or(a, b) => chain(LogicOp::Or, vec![normalize(a), normalize(b)]),
        Expr::Imp(a, b) => chain(LogicOp::Or, vec![negate(normalize(a)), normalize(b)]),
        Expr::Xor(a, b) => xor_chain(vec![normalize(a), normalize(b)], false),
        // a EQV b == NOT (a XOR b), and EQV chains reduce the same way.
        Expr::Eqv(a, b) => xor_chain(vec![normalize(a), normalize(b)], true),
    }
}

fn negate(e: Expr) -> Expr {
    match e {
        Expr::Not(inner) => *inner,
        other => Expr::Not(Box::new(other)),
    }
}

/// Sorting key of normalised operands: the canonical text, which is
/// deterministic and cheap for the small trees conditions make.
fn sort_key(e: &Expr) -> String {
    e.to_string()
}

/// Collects the operands of nested `op` nodes, left to right.
fn flatten_into(op: LogicOp, e: Expr, out: &mut Vec<Expr>) {
    match e.as_binary() {
        Some((inner, _, _)) if inner == op => {
            let (Expr::And(l, r) | Expr::Or(l, r) | Expr::Xor(l, r)) = e else {
                unreachable!("only AND, OR and XOR chains are flattened")
            };
            flatten_into(op, *l, out);
            flatten_into(op, *r, out);
        }
        _ => out.push(e),
    }
}

/// Rebuilds a sorted operand list as a left-nested chain.
fn rebuild(op: LogicOp, items: Vec<Expr>) -> Expr {
    items
        .into_iter()
        .reduce(|acc, e| Expr::binary(op, acc, e))
        .expect("a chain has at least one operand")
}

/// Normal form of an `AND` or `OR` over already-normalised operands.
fn chain(op: LogicOp, items: Vec<Expr>) -> Expr {
    let mut flat = Vec::new();
    for item in items {
        flatten_into(op, item, &mut flat);
    }
    let mut keyed: Vec<(String, Expr)> = flat.into_iter().map(|e| (sort_key(&e), e)).collect();
    keyed.sort_by(|a, b| a.0.cmp(&b.0));
    keyed.dedup_by(|a, b| a.0 == b.0);
    rebuild(op, keyed.into_iter().map(|(_, e)| e).collect())
}

/// Normal form of a `XOR` over already-normalised operands, negated when
/// `negated` is set.
fn xor_chain(items: Vec<Expr>, mut negated: bool) -> Expr {
    let mut flat = Vec::new();
    for item in items {
        let item = match item {
            Expr::Not(inner) => {
                negated = !negated;
                *inner
            }
            other => other,
        };
        flatten_into(LogicOp::Xor, item, &mut flat);
    }
    let mut keyed: Vec<(String, Expr)> = flat.into_iter().map(|e| (sort_key(&e), e)).collect();
    keyed.sort_by(|a, b| a.0.cmp(&b.0));
    // x XOR x is false, and false XOR y is y: equal neighbours cancel.
    let mut kept: Vec<(String, Expr)> = Vec::with_capacity(keyed.len());
    for item in keyed {
        if kept.last().is_some_and(|last| last.0 == item.0) {
            kept.pop();
        } else {
            kept.push(item);
        }
    }
    if kept.is_empty() {
        return Expr::Value(Operand::Integer(i32::from(negated)));
    }
    let result = rebuild(LogicOp::Xor, kept.into_iter().map(|(_, e)| e).collect());
    if negated {
        negate(result)
    } else {
        result
    }
}

fn normalize_operand(o: &Operand) -> Operand {
    match o {
        Operand::Env(name) => Operand::Env(name.to_ascii_uppercase()),
        other => other.clone(),
    }
}

/// Orders operands so that run-time values come before constants.
fn operand_key(o: &Operand) -> (u8, String) {
    let class = match o {
        Operand::Integer(_) => 2,
        Operand::Literal(_) => 1,
        _ => 0,
    };
    (class, o.to_string())
}

fn normalize_compare(
    op: CompareOp,
    case_insensitive: bool,
    left: &Operand,
    right: &Operand,
) -> Expr {
    let (mut left, mut right) = (normalize_operand(left), normalize_operand(right));
    let mut op = op;
    // `~` only changes string comparisons; with an integer on either side
    // the comparison is numeric (or false) whatever the case.
    let case_insensitive = case_insensitive
        && !matches!(left, Operand::Integer(_))
        && !matches!(right, Operand::Integer(_));
    if let Some(mirrored) = op.mirrored() {
        if operand_key(&right) < operand_key(&left) {
            std::mem::swap(&mut left, &mut right);
            op = mirrored;
        }
    }
    let negated = op == CompareOp::Ne;
    let compare = Expr::Compare {
        op: if negated { CompareOp::Eq } else { op },
        case_insensitive,
        left,
        right,
    };
    if negated {
        negate(compare)
    } else {
        compare
    }
}

/// A normalised expression over numbered atoms.
enum Formula {
    Const(bool),
    Var(usize),
    Not(Box<Formula>),
    And(Box<Formula>, Box<Formula>),
    Or(Box<Formula>, Box<Formula>),
    Xor(Box<Formula>, Box<Formula>),
}

impl Formula {
    /// Evaluates with atom `i` set to bit `i` of `bits`.
    fn eval(&self, bits: u32) -> bool {
        match self {
            Formula::Const(b) => *b,
            Formula::Var(i) => bits & (1 << i) != 0,
            Formula::Not(f) => !f.eval(bits),
            Formula::And(a, b) => a.eval(bits) && b.eval(bits),
            Formula::Or(a, b) => a.eval(bits) || b.eval(bits),
            Formula::Xor(a, b) => a.eval(bits) != b.eval(bits),
        }
    }
}

/// A fact linking two atoms that every real installer state satisfies.
enum Constraint {
    /// Both cannot hold at once.
    Exclusive(usize, usize),
    /// If the first holds, the second has the given value.
    Implies(usize, usize, bool),
}

impl Constraint {
    fn holds(&self, bits: u32) -> bool {
        let bit = |i: &usize| bits & (1 << i) != 0;
        match self {
            Constraint::Exclusive(a, b) => !(bit(a) && bit(b)),
            Constraint::Implies(a, b, value) => !bit(a) || bit(b) == *value,
        }
    }
}

/// The variable atoms of one comparison, keyed by canonical text so that
/// the same atom in both conditions gets the same number.
#[derive(Default)]
struct Atoms {
    list: Vec<Expr>,
    index: HashMap<String, usize>,
}

impl Atoms {
    fn compile(&mut self, e: &Expr) -> Formula {
        let pair = |atoms: &mut Self, a: &Expr, b: &Expr| {
            (Box::new(atoms.compile(a)), Box::new(atoms.compile(b)))
        };
        match e {
            Expr::Not(inner) => Formula::Not(Box::new(self.compile(inner))),
            Expr::And(a, b) => {
                let (a, b) = pair(self, a, b);
                Formula::And(a, b)
            }
            Expr::Or(a, b) => {
                let (a, b) = pair(self, a, b);
                Formula::Or(a, b)
            }
            Expr::Xor(a, b) => {
                let (a, b) = pair(self, a, b);
                Formula::Xor(a, b)
            }
            Expr::Eqv(a, b) => {
                let (a, b) = pair(self, a, b);
                Formula::Not(Box::new(Formula::Xor(a, b)))
            }
            Expr::Imp(a, b) => {
                let (a, b) = pair(self, a, b);
                Formula::Or(Box::new(Formula::Not(a)), b)
            }
            Expr::Value(_) | Expr::Compare { .. } => match constant_value(e) {
                Some(value) => Formula::Const(value),
                None => Formula::Var(self.intern(e)),
            },
        }
    }

    fn intern(&mut self, atom: &Expr) -> usize {
        let key = atom.to_string();
        if let Some(&i) = self.index.get(&key) {
            return i;
        }
        self.list.push(atom.clone());
        self.index.insert(key, self.list.len() - 1);
        self.list.len() - 1
    }

    /// Facts between atoms of the form `X = n` (n an integer constant, X a
    /// run-time value) and the bare `X`:
    ///
    /// * `X = n` and `X = m` with n ≠ m exclude each other: the value is
    ///   compared numerically when it is an integer and is false otherwise;
    /// * `X = n` implies that a property or environment variable `X` is
    ///   non-empty (true), and that an install state `X` is `n ≠ 0`.
    fn constraints(&self) -> Vec<Constraint> {
        let equalities: Vec<(usize, &Operand, i32)> = self
            .list
            .iter()
            .enumerate()
            .filter_map(|(i, atom)| match atom {
                Expr::Compare {
                    op: CompareOp::Eq,
                    left,
                    right: Operand::Integer(n),
                    ..
                } if left.is_symbol() => Some((i, left, *n)),
                _ => None,
            })
            .collect();
        let mut out = Vec::new();
        for (k, &(i, subject, n)) in equalities.iter().enumerate() {
            for &(j, other, m) in &equalities[k + 1..] {
                if other == subject && m != n {
                    out.push(Constraint::Exclusive(i, j));
                }
            }
            if let Some(&j) = self.index.get(&subject.to_string()) {
                let truth = !subject.is_install_state() || n != 0;
                out.push(Constraint::Implies(i, j, truth));
            }
        }
        out
    }
}

/// The value of an atom that does not depend on the installer state, where
/// MSI semantics fix it beyond doubt; `None` leaves the atom variable.
fn constant_value(atom: &Expr) -> Option<bool> {
    match atom {
        Expr::Value(Operand::Integer(n)) => Some(*n != 0),
        Expr::Value(Operand::Literal(s)) => Some(!s.is_empty()),
        Expr::Compare {
            op,
            left: Operand::Integer(a),
            right: Operand::Integer(b),
            ..
        } => match op {
            CompareOp::Eq => Some(a == b),
            CompareOp::Ne => Some(a != b),
            CompareOp::Lt => Some(a < b),
            CompareOp::Gt => Some(a > b),
            CompareOp::Le => Some(a <= b),
            CompareOp::Ge => Some(a >= b),
            CompareOp::Contains => Some(a & b != 0),
            // The 16-bit half comparisons have sign details not worth
            // guessing at.
            CompareOp::StartsWith | CompareOp::EndsWith => None,
        },
        Expr::Compare {
            op: op @ (CompareOp::Eq | CompareOp::Ne),
            case_insensitive,
            left: Operand::Literal(a),
            right: Operand::Literal(b),
        } => {
            let equal = if *case_insensitive {
                a.to_lowercase() == b.to_lowercase()
            } else {
                a == b
            };
            Some(equal == (*op == CompareOp::Eq))
        }
        // An empty value is no integer: it equals none.
        Expr::Compare {
            op: op @ (CompareOp::Eq | CompareOp::Ne),
            left: Operand::Literal(s),
            right: Operand::Integer(_),
            ..
        }
        | Expr::Compare {
            op: op @ (CompareOp::Eq | CompareOp::Ne),
            left: Operand::Integer(_),
            right: Operand::Literal(s),
            ..
        } if s.is_empty() => Some(*op == CompareOp::Ne),
        _ => None,
    }
}

/// How two conditions that can give different results differ.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Difference {
    /// Every installer state was enumerated. `false` when the conditions
    /// have too many atoms; then the fields below are empty.
    pub exhaustive: bool,
    /// The atoms (bare values and single comparisons, normalised) whose
    /// effect changed: in some state, flipping the atom changes the result
    /// of one condition but not that of the other.
    pub deciding: Vec<Expr>,
    /// States in which the first condition holds and the second does not,
    /// as atoms with their values (every state that gives the atoms these
    /// values qualifies). `None` when there is no such state, or when msica
    /// cannot be sure the state it found can occur.
    pub only_first: Option<Vec<(Expr, bool)>>,
    /// The same for states in which only the second condition holds.
    pub only_second: Option<Vec<(Expr, bool)>>,
}

/// How `a` and `b` differ; `None` when they are equivalent. An empty
/// condition counts as always true.
///
/// This knows more about impossible states than [`equivalent`] (two integer
/// comparisons of one value that no integer satisfies together), so it also
/// returns `None` for some pairs [`equivalent`] cannot prove equal.
pub fn difference(a: &Condition, b: &Condition) -> Option<Difference> {
    if equivalent(a, b) {
        return None;
    }
    let always = Expr::Value(Operand::Integer(1));
    let na = normalize(a.expr().unwrap_or(&always));
    let nb = normalize(b.expr().unwrap_or(&always));
    let mut atoms = Atoms::default();
    let (fa, fb) = (atoms.compile(&na), atoms.compile(&nb));
    let n = atoms.list.len();
    if n > MAX_ATOMS {
        return Some(Difference {
            exhaustive: false,
            deciding: Vec::new(),
            only_first: None,
            only_second: None,
        });
    }
    let constraints = atoms.constraints();
    let subjects = Subjects::new(&atoms.list);
    // Every state is judged once: (whether it can occur, whether msica can
    // vouch that it does, whether the conditions differ in it). Impossible
    // states are skipped; states msica cannot judge count as possible.
    let states: Vec<(bool, bool, bool)> = (0..1u32 << n)
        .map(|bits| {
            let check = subjects.check(bits);
            let possible = constraints.iter().all(|c| c.holds(bits)) && check != Some(false);
            (
                possible,
                check == Some(true),
                fa.eval(bits) != fb.eval(bits),
            )
        })
        .collect();
    let possible = |bits: u32| states[bits as usize].0;
    let differs = |bits: u32| states[bits as usize].2;
    if !(0..1u32 << n).any(|bits| possible(bits) && differs(bits)) {
        return None;
    }
    let deciding = (0..n)
        .filter(|&i| {
            (0..1u32 << n).any(|bits| {
                let flipped = bits ^ (1 << i);
                possible(bits) && possible(flipped) && differs(bits) != differs(flipped)
            })
        })
        .map(|i| atoms.list[i].clone())
        .collect();
    let witness = |want_a: bool| {
        let holds = |bits: u32| fa.eval(bits) == want_a && fb.eval(bits) != want_a;
        let state = (0..1u32 << n)
            .find(|&bits| holds(bits) && possible(bits) && states[bits as usize].1)?;
        let kept = widest_cube(n, state, |bits| !possible(bits) || holds(bits));
        Some(
            (0..n)
                .filter(|i| kept & (1 << i) != 0)
                .map(|i| (atoms.list[i].clone(), state & (1 << i) != 0))
                .collect(),
        )
    };
    Some(Difference {
        exhaustive: true,
        deciding,
        only_first: witness(true),
        only_second: witness(false),
    })
}

/// Above this many atoms a witness state is given as is, not widened.
const MAX_WIDENED_ATOMS: usize = 12;

/// The atoms (as a bit mask) that must keep their value in `state` for
/// `ok` to hold: atoms are freed one by one while every state agreeing on
/// the rest still satisfies `ok`.
fn widest_cube(n: usize, state: u32, ok: impl Fn(u32) -> bool) -> u32 {
    let all = if n == 32 { u32::MAX } else { (1u32 << n) - 1 };
    if n > MAX_WIDENED_ATOMS {
        return all;
    }
    let mut fixed = all;
    for i in 0..n {
        let trial = fixed & !(1 << i);
        let free = all & !trial;
        let mut sub = free;
        let mut every = true;
        loop {
            if !ok((state & trial) | sub) {
                every = false;
                break;
            }
            if sub == 0 {
                break;
            }
            sub = (sub - 1) & free;
        }
        if every {
            fixed = trial;
        }
    }
    fixed
}

/// Atoms grouped by the run-time value they test, to judge whether the
/// truth values a state gives them can occur together.
struct Subjects {
    /// (is an install state, the atoms testing this value)
    groups: Vec<(bool, Vec<(usize, Test)>)>,
}

/// What an atom tests about its value.
#[derive(Clone, Copy)]
enum Test {
    /// The bare value: a non-empty string, or a non-zero install state.
    Bare,
    /// A numeric comparison with an integer.
    Int(CompareOp, i64),
    /// Anything else (string comparisons, substring operators).
    Other,
}

impl Subjects {
    fn new(atoms: &[Expr]) -> Self {
        // (the value's text, is an install state, its atoms)
        type Group = (String, bool, Vec<(usize, Test)>);
        let mut groups: Vec<Group> = Vec::new();
        for (i, atom) in atoms.iter().enumerate() {
            let (subject, test) = match atom {
                Expr::Value(o) if o.is_symbol() => (o, Test::Bare),
                Expr::Compare {
                    op, left, right, ..
                } if left.is_symbol() => (
                    left,
                    match (op, right) {
                        (
                            CompareOp::Eq
                            | CompareOp::Lt
                            | CompareOp::Gt
                            | CompareOp::Le
                            | CompareOp::Ge,
                            Operand::Integer(n),
                        ) => Test::Int(*op, i64::from(*n)),
                        _ => Test::Other,
                    },
                ),
                _ => continue,
            };
            let key = subject.to_string();
            match groups.iter_mut().find(|g| g.0 == key) {
                Some(g) => g.2.push((i, test)),
                None => groups.push((key, subject.is_install_state(), vec![(i, test)])),
            }
        }
        Self {
            groups: groups.into_iter().map(|(_, s, g)| (s, g)).collect(),
        }
    }

    /// Whether the state can occur: `None` when msica cannot tell.
    fn check(&self, bits: u32) -> Option<bool> {
        let mut known = true;
        for (install_state, tests) in &self.groups {
            if tests.len() < 2 {
                continue;
            }
            let values: Vec<(Test, bool)> = tests
                .iter()
                .map(|&(i, t)| (t, bits & (1 << i) != 0))
                .collect();
            if values.iter().any(|(t, _)| matches!(t, Test::Other)) {
                known = false;
                continue;
            }
            if !(integer_fits(&values, *install_state)
                || (!install_state && non_numeric_fits(&values)))
            {
                return Some(false);
            }
        }
        known.then_some(true)
    }
}

/// A value that is not an integer: every integer comparison is false.
fn non_numeric_fits(values: &[(Test, bool)]) -> bool {
    values.iter().all(|(t, v)| matches!(t, Test::Bare) || !v)
}

/// Some integer satisfies every test. A property holding an integer is
/// non-empty; an install state is true when it is not 0.
fn integer_fits(values: &[(Test, bool)], install_state: bool) -> bool {
    let (mut lo, mut hi) = (i64::MIN, i64::MAX);
    let mut excluded = Vec::new();
    for &(test, value) in values {
        match (test, value) {
            (Test::Bare, true) => {
                if install_state {
                    excluded.push(0);
                }
            }
            (Test::Bare, false) => {
                if !install_state {
                    return false;
                }
                (lo, hi) = (lo.max(0), hi.min(0));
            }
            (Test::Int(CompareOp::Eq, n), true) => (lo, hi) = (lo.max(n), hi.min(n)),
            (Test::Int(CompareOp::Eq, n), false) => excluded.push(n),
            (Test::Int(CompareOp::Lt, n), true) | (Test::Int(CompareOp::Ge, n), false) => {
                hi = hi.min(n - 1)
            }
            (Test::Int(CompareOp::Le, n), true) | (Test::Int(CompareOp::Gt, n), false) => {
                hi = hi.min(n)
            }
            (Test::Int(CompareOp::Gt, n), true) | (Test::Int(CompareOp::Le, n), false) => {
                lo = lo.max(n + 1)
            }
            (Test::Int(CompareOp::Ge, n), true) | (Test::Int(CompareOp::Lt, n), false) => {
                lo = lo.max(n)
            }
            _ => return false,
        }
    }
    // Fewer exclusions than candidates leave one free.
    lo <= hi
        && (lo..=hi)
            .take(excluded.len() + 1)
            .any(|v| !excluded.contains(&v))
}

#[cfg(test)]
mod tests {
    use super::super::parse;
    use super::*;

    fn eq(a: &str, b: &str) -> bool {
        equivalent(&parse(a).unwrap(), &parse(b).unwrap())
    }

    /// Pairs that always evaluate alike.
    const EQUIVALENT: &[(&str, &str)] = &[
        ("NOT Installed", "not Installed"),
        ("A AND B OR C", "A and B oR C"),
        ("NOT Installed", "Not   Installed"),
        ("NOT Installed", "(NOT Installed)"),
        ("NOT Installed", "((NOT (Installed)))"),
        ("A AND B", "B AND A"),
        ("A OR B", "B OR A"),
        ("A AND B AND C", "C AND (B AND A)"),
        ("A OR (B OR C)", "(A OR B) OR C"),
        ("A XOR B", "B XOR A"),
        ("A EQV B", "B EQV A"),
        ("NOT (A OR B)", "NOT A AND NOT B"),
        ("NOT (A AND B)", "NOT A OR NOT B"),
        ("NOT NOT A", "A"),
        ("NOT (NOT (NOT A))", "NOT A"),
        ("A = 1", "1 = A"),
        ("A < 5", "5 > A"),
        ("A <= 5", "5 >= A"),
        ("A ~= \"x\"", "\"x\" ~= A"),
        ("A IMP B", "NOT A OR B"),
        ("A EQV B", "NOT (A XOR B)"),
        ("A EQV B", "(A AND B) OR (NOT A AND NOT B)"),
        ("A XOR B", "(A AND NOT B) OR (NOT A AND B)"),
        ("A OR (A AND B)", "A"),
        ("A AND (A OR B)", "A"),
        ("A AND A", "A"),
        ("NOT (A = 1)", "A <> 1"),
        ("NOT A = 1", "A <> 1"),
        ("NOT (A ~= \"x\")", "A ~<> \"x\""),
        ("A ~= 1", "A = 1"),
        ("%path", "%PATH"),
        ("A AND (B OR C)", "(A AND B) OR (A AND C)"),
        ("1 OR CostingComplete = 1", "1"),
        ("A AND 0", "0"),
        ("", "1"),
        ("", "NOT 0"),
        ("A XOR A", "0"),
        ("$C = 2 AND $C = 4", "0"),
        ("$C = 2 OR $C = 4 OR NOT $C = 2", "NOT $C = 2 OR $C = 2"),
        ("Installed AND Installed = 1", "Installed = 1"),
        ("(&F=3) AND NOT (!F=3)", "NOT !F = 3 AND &F = 3"),
        ("(?C=3) AND ($C=2 OR $C=4)", "($C = 4 OR 2 = $C) AND 3 = ?C"),
        ("A IMP B IMP C", "(NOT A OR B) IMP C"),
        ("\"a\" = \"a\"", "1"),
        (
            "(VersionNT = 501 AND ServicePackLevel >= 2) OR VersionNT > 501",
            "501 < VersionNT OR (2 <= ServicePackLevel AND 501 = VersionNT)",
        ),
    ];

    /// Pairs that can differ for some installer state.
    const DIFFERENT: &[(&str, &str)] = &[
        ("REMOVE~=\"ALL\"", "REMOVE=\"ALL\""),
        ("A = 1", "A = \"1\""),
        ("NOT Installed", "NOT Installed AND NOT PATCH"),
        ("A", "B"),
        ("A", "a"),
        ("A IMP B", "B IMP A"),
        ("A XOR B OR C", "(A XOR B) OR C"),
        ("NOT A < 5", "A >= 5"),
        ("NOT A > 5", "A <= 5"),
        ("A < 5", "A > 5"),
        ("A >< \"x\"", "\"x\" >< A"),
        ("A << \"x\"", "A >> \"x\""),
        ("A = 1 OR A = 2", "A"),
        ("$C = 3", "$C"),
        ("$C = 0", "NOT $C"),
        ("A AND B", "A OR B"),
        ("", "A"),
        ("%PATH", "PATH"),
        ("$C = 3", "?C = 3"),
        ("&F = 3", "!F = 3"),
        ("\"5\" = 5", "1"),
        ("A EQV B", "A XOR B"),
    ];

    #[test]
    fn equivalent_pairs() {
        for (a, b) in EQUIVALENT {
            assert!(eq(a, b), "expected `{a}` to be equivalent to `{b}`");
            assert!(eq(b, a), "expected `{b}` to be equivalent to `{a}`");
        }
    }

    #[test]
    fn different_pairs() {
        for (a, b) in DIFFERENT {
            assert!(!eq(a, b), "expected `{a}` not to be equivalent to `{b}`");
            assert!(!eq(b, a), "expected `{b}` not to be equivalent to `{a}`");
        }
    }

    #[test]
    fn normal_form_settles_simple_rewrites() {
        let n = |s: &str| normalize(parse(s).unwrap().expr().unwrap()).to_string();
        assert_eq!(n("5 > A"), "A < 5");
        assert_eq!(n("1 <> A"), "NOT A = 1");
        assert_eq!(n("B and (c OR a)"), "B AND (a OR c)");
        assert_eq!(n("A EQV B"), "NOT (A XOR B)");
        assert_eq!(n("A IMP B"), "B OR NOT A");
        assert_eq!(n("A ~= 1"), "A = 1");
        assert_eq!(n("\"x\" >< A"), "\"x\" >< A");
    }

    fn state(atoms: &Option<Vec<(Expr, bool)>>) -> Option<Vec<String>> {
        atoms.as_ref().map(|a| {
            a.iter()
                .map(|(atom, value)| format!("{atom}={}", u8::from(*value)))
                .collect()
        })
    }

    fn differ(a: &str, b: &str) -> Option<Difference> {
        difference(&parse(a).unwrap(), &parse(b).unwrap())
    }

    #[test]
    fn equivalent_conditions_have_no_difference() {
        assert_eq!(differ("NOT Installed", "(not Installed)"), None);
        assert_eq!(differ("", "1"), None);
    }

    #[test]
    fn difference_gives_the_deciding_atoms_and_the_states_that_tell_apart() {
        let d = differ("NOT Installed", "NOT Installed AND NOT PATCH").unwrap();
        assert!(d.exhaustive);
        let deciding: Vec<String> = d.deciding.iter().map(ToString::to_string).collect();
        assert_eq!(deciding, ["Installed", "PATCH"]);
        assert_eq!(
            state(&d.only_first),
            Some(vec!["Installed=0".into(), "PATCH=1".into()])
        );
        assert_eq!(d.only_second, None);

        let d = differ("", "REMOVE").unwrap();
        assert_eq!(state(&d.only_first), Some(vec!["REMOVE=0".into()]));
    }

    #[test]
    fn difference_skips_impossible_states_of_numeric_comparisons() {
        // No version is >= 603 and below 602: only the new condition can
        // hold alone, for VersionNT = 602.
        let d = differ("VersionNT >= 603", "VersionNT >= 602").unwrap();
        assert_eq!(d.only_first, None);
        assert_eq!(
            state(&d.only_second),
            Some(vec![
                "VersionNT >= 603=0".into(),
                "VersionNT >= 602=1".into()
            ])
        );
    }

    #[test]
    fn conditions_that_differ_only_in_impossible_states_have_no_difference() {
        // Every version >= 603 is also >= 602.
        assert_eq!(
            differ("VersionNT >= 603", "VersionNT >= 603 AND VersionNT >= 602"),
            None
        );
    }

    #[test]
    fn constant_conditions_differ_in_every_state() {
        let d = differ("1", "0").unwrap();
        assert!(d.deciding.is_empty());
        assert_eq!(state(&d.only_first), Some(vec![]));
        assert_eq!(d.only_second, None);
    }

    #[test]
    fn difference_gives_no_state_it_cannot_vouch_for() {
        // Two string tests of one property: msica cannot tell which
        // combinations occur, so it names no state.
        let d = differ("A = \"x\"", "A >< \"x\"").unwrap();
        assert_eq!(d.only_first, None);
        assert_eq!(d.only_second, None);
        assert_eq!(d.deciding.len(), 2);
    }

    #[test]
    fn many_atoms_fall_back_to_structure() {
        let wide: Vec<String> = (0..25).map(|i| format!("P{i}")).collect();
        let a = wide.join(" AND ");
        let mut reversed = wide.clone();
        reversed.reverse();
        let b = reversed.join(" AND ");
        assert!(eq(&a, &b));
        assert!(!eq(&a, &format!("{a} AND Q")));
    }
}
