//! Syntax tree of a condition, its canonical text form and a tree printer.

use std::fmt;

/// A comparison operator, without the `~` (case-insensitive) prefix.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum CompareOp {
    /// `=`
    Eq,
    /// `<>`
    Ne,
    /// `<`
    Lt,
    /// `>`
    Gt,
    /// `<=`
    Le,
    /// `>=`
    Ge,
    /// `><`: substring test on strings, bitwise AND on integers.
    Contains,
    /// `<<`: prefix test on strings, high 16 bits on integers.
    StartsWith,
    /// `>>`: suffix test on strings, low 16 bits on integers.
    EndsWith,
}

impl CompareOp {
    /// Every operator, in the order the lexer documents them.
    pub const ALL: [CompareOp; 9] = [
        CompareOp::Eq,
        CompareOp::Ne,
        CompareOp::Lt,
        CompareOp::Gt,
        CompareOp::Le,
        CompareOp::Ge,
        CompareOp::Contains,
        CompareOp::StartsWith,
        CompareOp::EndsWith,
    ];

    /// The operator as written in a condition.
    pub fn symbol(self) -> &'static str {
        match self {
            CompareOp::Eq => "=",
            CompareOp::Ne => "<>",
            CompareOp::Lt => "<",
            CompareOp::Gt => ">",
            CompareOp::Le => "<=",
            CompareOp::Ge => ">=",
            CompareOp::Contains => "><",
            CompareOp::StartsWith => "<<",
            CompareOp::EndsWith => ">>",
        }
    }

    /// The operator giving the same result with the operands swapped.
    ///
    /// `None` for the substring operators: on strings `"ab" >< "a"` and
    /// `"a" >< "ab"` differ, so they cannot be turned around.
    pub fn mirrored(self) -> Option<CompareOp> {
        match self {
            CompareOp::Eq => Some(CompareOp::Eq),
            CompareOp::Ne => Some(CompareOp::Ne),
            CompareOp::Lt => Some(CompareOp::Gt),
            CompareOp::Gt => Some(CompareOp::Lt),
            CompareOp::Le => Some(CompareOp::Ge),
            CompareOp::Ge => Some(CompareOp::Le),
            CompareOp::Contains | CompareOp::StartsWith | CompareOp::EndsWith => None,
        }
    }
}

/// A binary logical operator.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum LogicOp {
    And,
    Or,
    Xor,
    Eqv,
    Imp,
}

impl LogicOp {
    /// The keyword in canonical (upper) case.
    pub fn keyword(self) -> &'static str {
        match self {
            LogicOp::And => "AND",
            LogicOp::Or => "OR",
            LogicOp::Xor => "XOR",
            LogicOp::Eqv => "EQV",
            LogicOp::Imp => "IMP",
        }
    }

    /// Binding strength under Microsoft's precedence; larger binds tighter.
    pub(crate) fn precedence(self) -> u8 {
        match self {
            LogicOp::Imp => 1,
            LogicOp::Eqv => 2,
            LogicOp::Xor => 3,
            LogicOp::Or => 4,
            LogicOp::And => 5,
        }
    }

    /// `OR`, `XOR`, `EQV` and `IMP`: the operators whose relative precedence
    /// Wine and Windows disagree on.
    pub(crate) fn is_low(self) -> bool {
        self != LogicOp::And
    }
}

/// A value in a condition.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Operand {
    /// A property name (case sensitive).
    Property(String),
    /// `%NAME`: an environment variable (name not case sensitive).
    Env(String),
    /// `$Component`: the component's action state.
    ComponentAction(String),
    /// `?Component`: the component's installed state.
    ComponentInstalled(String),
    /// `&Feature`: the feature's action state.
    FeatureAction(String),
    /// `!Feature`: the feature's installed state.
    FeatureInstalled(String),
    /// An integer constant; MSI integers are 32-bit.
    Integer(i32),
    /// A double-quoted string constant (it cannot contain `"`).
    Literal(String),
}

impl Operand {
    /// True for the four install-state prefixes `$ ? & !`.
    pub fn is_install_state(&self) -> bool {
        matches!(
            self,
            Operand::ComponentAction(_)
                | Operand::ComponentInstalled(_)
                | Operand::FeatureAction(_)
                | Operand::FeatureInstalled(_)
        )
    }

    /// True for values read at run time (anything but a constant).
    pub fn is_symbol(&self) -> bool {
        !matches!(self, Operand::Integer(_) | Operand::Literal(_))
    }

    /// Human-readable description used by [`Expr::explain`].
    fn describe(&self) -> String {
        match self {
            Operand::Property(n) => format!("property {n}"),
            Operand::Env(n) => format!("environment variable %{n}"),
            Operand::ComponentAction(n) => format!("component action state ${n}"),
            Operand::ComponentInstalled(n) => format!("component installed state ?{n}"),
            Operand::FeatureAction(n) => format!("feature action state &{n}"),
            Operand::FeatureInstalled(n) => format!("feature installed state !{n}"),
            Operand::Integer(i) => format!("integer {i}"),
            Operand::Literal(s) => format!("string \"{s}\""),
        }
    }
}

impl fmt::Display for Operand {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Operand::Property(n) => f.write_str(n),
            Operand::Env(n) => write!(f, "%{n}"),
            Operand::ComponentAction(n) => write!(f, "${n}"),
            Operand::ComponentInstalled(n) => write!(f, "?{n}"),
            Operand::FeatureAction(n) => write!(f, "&{n}"),
            Operand::FeatureInstalled(n) => write!(f, "!{n}"),
            Operand::Integer(i) => write!(f, "{i}"),
            Operand::Literal(s) => write!(f, "\"{s}\""),
        }
    }
}

/// A condition expression.
///
/// The tree keeps the shape the source had (`A AND (B AND C)` stays
/// right-nested), so printing and re-parsing gives back the same tree.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Expr {
    Not(Box<Expr>),
    And(Box<Expr>, Box<Expr>),
    Or(Box<Expr>, Box<Expr>),
    Xor(Box<Expr>, Box<Expr>),
    Eqv(Box<Expr>, Box<Expr>),
    Imp(Box<Expr>, Box<Expr>),
    /// A single comparison of two values.
    Compare {
        op: CompareOp,
        /// Written with a `~` prefix: string comparison ignores case.
        case_insensitive: bool,
        left: Operand,
        right: Operand,
    },
    /// A bare value tested for truth.
    Value(Operand),
}

impl Expr {
    /// Builds `left op right`.
    pub fn binary(op: LogicOp, left: Expr, right: Expr) -> Expr {
        let (l, r) = (Box::new(left), Box::new(right));
        match op {
            LogicOp::And => Expr::And(l, r),
            LogicOp::Or => Expr::Or(l, r),
            LogicOp::Xor => Expr::Xor(l, r),
            LogicOp::Eqv => Expr::Eqv(l, r),
            LogicOp::Imp => Expr::Imp(l, r),
        }
    }

    /// Splits a binary logical node into its operator and operands.
    pub fn as_binary(&self) -> Option<(LogicOp, &Expr, &Expr)> {
        match self {
            Expr::And(l, r) => Some((LogicOp::And, l, r)),
            Expr::Or(l, r) => Some((LogicOp::Or, l, r)),
            Expr::Xor(l, r) => Some((LogicOp::Xor, l, r)),
            Expr::Eqv(l, r) => Some((LogicOp::Eqv, l, r)),
            Expr::Imp(l, r) => Some((LogicOp::Imp, l, r)),
            Expr::Not(_) | Expr::Compare { .. } | Expr::Value(_) => None,
        }
    }

    /// Binding strength of the node's own operator (terms bind tightest).
    fn precedence(&self) -> u8 {
        match self {
            Expr::Not(_) => 6,
            Expr::Compare { .. } | Expr::Value(_) => 7,
            _ => self.as_binary().map_or(7, |(op, _, _)| op.precedence()),
        }
    }

    /// A multi-line, indented drawing of the tree for humans.
    ///
    /// ```text
    /// AND
    /// ├─ NOT
    /// │  └─ property Installed
    /// └─ compare ~= (case-insensitive)
    ///    ├─ property REMOVE
    ///    └─ string "ALL"
    /// ```
    pub fn explain(&self) -> String {
        let mut out = String::new();
        Node::Expr(self).draw(&mut out, "", "");
        out
    }
}

/// A node of the drawing made by [`Expr::explain`].
enum Node<'a> {
    Expr(&'a Expr),
    Operand(&'a Operand),
}

impl Node<'_> {
    fn draw(&self, out: &mut String, first: &str, rest: &str) {
        let (label, children) = match self {
            Node::Operand(o) => (o.describe(), Vec::new()),
            Node::Expr(Expr::Value(o)) => (o.describe(), Vec::new()),
            Node::Expr(Expr::Not(e)) => ("NOT".to_owned(), vec![Node::Expr(e)]),
            Node::Expr(Expr::Compare {
                op,
                case_insensitive,
                left,
                right,
            }) => {
                let label = if *case_insensitive {
                    format!("compare ~{} (case-insensitive)", op.symbol())
                } else {
                    format!("compare {}", op.symbol())
                };
                (label, vec![Node::Operand(left), Node::Operand(right)])
            }
            Node::Expr(e) => {
                let (op, l, r) = e.as_binary().expect("remaining nodes are binary");
                (op.keyword().to_owned(), vec![Node::Expr(l), Node::Expr(r)])
            }
        };
        out.push_str(first);
        out.push_str(&label);
        out.push('\n');
        let count = children.len();
        for (i, child) in children.iter().enumerate() {
            let last = i + 1 == count;
            let branch = if last { "└─ " } else { "├─ " };
            let indent = if last { "   " } else { "│  " };
            child.draw(out, &format!("{rest}{branch}"), &format!("{rest}{indent}"));
        }
    }
}

impl fmt::Display for Expr {
    /// Canonical text: upper-case keywords, single spaces, and only the
    /// parentheses needed, except that different operators among
    /// `OR`/`XOR`/`EQV`/`IMP` are always separated by parentheses so the
    /// output reads the same under Wine's and Microsoft's precedence.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Expr::Value(o) => write!(f, "{o}"),
            Expr::Compare {
                op,
                case_insensitive,
                left,
                right,
            } => {
                let tilde = if *case_insensitive { "~" } else { "" };
                write!(f, "{left} {tilde}{} {right}", op.symbol())
            }
            Expr::Not(e) => {
                f.write_str("NOT ")?;
                write_operand(f, e, e.precedence() < 6)
            }
            _ => {
                let (op, l, r) = self.as_binary().expect("remaining nodes are binary");
                let own = op.precedence();
                write_operand(f, l, needs_parens(op, l, l.precedence() < own))?;
                write!(f, " {} ", op.keyword())?;
                write_operand(f, r, needs_parens(op, r, r.precedence() <= own))
            }
        }
    }
}

/// Whether `child` under `parent` must be parenthesised, given whether
/// precedence and associativity alone demand it.
fn needs_parens(parent: LogicOp, child: &Expr, by_precedence: bool) -> bool {
    let mixes_low_ops = parent.is_low()
        && child
            .as_binary()
            .is_some_and(|(op, _, _)| op.is_low() && op != parent);
    by_precedence || mixes_low_ops
}

fn write_operand(f: &mut fmt::Formatter<'_>, e: &Expr, parens: bool) -> fmt::Result {
    if parens {
        write!(f, "({e})")
    } else {
        write!(f, "{e}")
    }
}

/// What kind of run-time value a condition reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum RefKind {
    Property,
    Env,
    ComponentAction,
    ComponentInstalled,
    FeatureAction,
    FeatureInstalled,
}

impl RefKind {
    /// The kind of a run-time operand; `None` for constants.
    pub fn of(operand: &Operand) -> Option<(RefKind, &str)> {
        Some(match operand {
            Operand::Property(n) => (RefKind::Property, n),
            Operand::Env(n) => (RefKind::Env, n),
            Operand::ComponentAction(n) => (RefKind::ComponentAction, n),
            Operand::ComponentInstalled(n) => (RefKind::ComponentInstalled, n),
            Operand::FeatureAction(n) => (RefKind::FeatureAction, n),
            Operand::FeatureInstalled(n) => (RefKind::FeatureInstalled, n),
            Operand::Integer(_) | Operand::Literal(_) => return None,
        })
    }

    /// True for the install-state prefixes, which need `CostFinalize`.
    pub fn is_install_state(self) -> bool {
        !matches!(self, RefKind::Property | RefKind::Env)
    }
}

/// One property, environment variable, component or feature read by a
/// condition, located at its first appearance in the source.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Reference {
    pub kind: RefKind,
    /// The name without its prefix character.
    pub name: String,
    /// Byte offset of the first appearance, prefix included.
    pub offset: usize,
    /// Byte length of the first appearance, prefix included.
    pub len: usize,
}

/// A parsed condition, with facts about its source text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Condition {
    pub(crate) expr: Option<Expr>,
    pub(crate) references: Vec<Reference>,
    pub(crate) mixed_precedence: Option<(usize, usize)>,
}

impl Condition {
    /// The expression; `None` for an empty condition, which always holds.
    pub fn expr(&self) -> Option<&Expr> {
        self.expr.as_ref()
    }

    /// True for an empty (or all-whitespace) condition: the row always runs.
    pub fn is_empty(&self) -> bool {
        self.expr.is_none()
    }

    /// Every property, environment variable and `$ ? & !` operand read, in
    /// order of first appearance, each once (environment names compare
    /// without case, as Windows does).
    pub fn references(&self) -> Vec<Reference> {
        self.references.clone()
    }

    /// True if any `$`, `?`, `&` or `!` operand is read; those are only
    /// meaningful after `CostFinalize`.
    pub fn uses_install_state(&self) -> bool {
        self.references.iter().any(|r| r.kind.is_install_state())
    }

    /// The source span `(offset, len)` of the first place where two
    /// different operators among `OR`/`XOR`/`EQV`/`IMP` meet without
    /// parentheses (from the start of the first keyword to the end of the
    /// second), e.g. `XOR B OR` in `A XOR B OR C`. Wine gives those four one
    /// precedence level while Windows does not, so such text is ambiguous.
    pub fn mixed_precedence(&self) -> Option<(usize, usize)> {
        self.mixed_precedence
    }

    /// The tree drawing of [`Expr::explain`]; a single line for an empty
    /// condition.
    pub fn explain(&self) -> String {
        match &self.expr {
            Some(e) => e.explain(),
            None => "empty condition (always true)\n".to_owned(),
        }
    }
}

impl std::str::FromStr for Condition {
    type Err = super::ParseError;

    fn from_str(src: &str) -> Result<Self, Self::Err> {
        super::parse(src)
    }
}

impl fmt::Display for Condition {
    /// The canonical text; empty for an empty condition.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.expr {
            Some(e) => write!(f, "{e}"),
            None => Ok(()),
        }
    }
}
