//! The Windows Installer condition language: the expressions in the
//! `Condition` column of sequence tables, `LaunchCondition`, `Condition`,
//! `ControlCondition` and `ControlEvent`, e.g. `NOT Installed AND REMOVE~="ALL"`.
//!
//! [`parse`] turns text into a [`Condition`] (with byte-accurate
//! [`ParseError`]s for malformed text), [`Expr`]'s `Display` prints the
//! canonical text back, and [`equivalent`] decides whether two conditions
//! always give the same result.

mod ast;
mod equiv;
mod eval;
mod lexer;
mod parser;

pub use ast::{CompareOp, Condition, Expr, LogicOp, Operand, RefKind, Reference};
pub use equiv::{difference, equivalent, equivalent_exprs, normalize, Difference};
pub use eval::evaluate;
pub use parser::{parse, ParseError};

#[cfg(test)]
mod tests;
