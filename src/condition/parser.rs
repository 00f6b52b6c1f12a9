//! Recursive-descent parser following the grammar of the reference, with
//! Microsoft's precedence: NOT > AND > OR > XOR > EQV > IMP, comparisons
//! tighter than NOT, every binary operator left-associative.

use std::fmt;

use super::ast::{Condition, Expr, LogicOp, Operand, RefKind, Reference};
use super::lexer::{Lexer, Token, TokenKind};

/// Why a condition does not parse, located by byte offsets into the source.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParseError {
    pub offset: usize,
    pub len: usize,
    /// What was expected and what was found, lower-case, no final period.
    pub message: String,
}

impl fmt::Display for ParseError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} (at byte {})", self.message, self.offset)
    }
}

impl std::error::Error for ParseError {}

impl ParseError {
    pub(crate) fn new(offset: usize, len: usize, message: impl Into<String>) -> Self {
        ParseError {
            offset,
            len,
            message: message.into(),
        }
    }

    fn at(tok: &Token, message: impl Into<String>) -> Self {
        ParseError::new(tok.offset, tok.len, message)
    }
}

/// Parses condition text. Empty or all-whitespace text gives an empty
/// condition, which always holds.
///
/// # Errors
///
/// A [`ParseError`] locating the first token that does not fit the grammar.
pub fn parse(src: &str) -> Result<Condition, ParseError> {
    let mut parser = Parser::new(src)?;
    if parser.tok.kind == TokenKind::End {
        return Ok(Condition {
            expr: None,
            references: Vec::new(),
            mixed_precedence: None,
        });
    }
    let expr = parser.expr(None)?;
    match parser.tok.kind {
        TokenKind::End => Ok(Condition {
            expr: Some(expr),
            references: parser.references,
            mixed_precedence: parser.mixed,
        }),
        TokenKind::RParen => Err(ParseError::at(&parser.tok, "unmatched `)`")),
        _ => Err(parser.expected_operator("an operator or end of condition")),
    }
}

/// The logical operators from the loosest to the tightest binding.
const LEVELS: [LogicOp; 5] = [
    LogicOp::Imp,
    LogicOp::Eqv,
    LogicOp::Xor,
    LogicOp::Or,
    LogicOp::And,
];

struct Parser<'a> {
    src: &'a str,
    lexer: Lexer<'a>,
    /// The lookahead token.
    tok: Token,
    references: Vec<Reference>,
    /// For each open parenthesis (and the top level), the last of
    /// `OR`/`XOR`/`EQV`/`IMP` seen at that depth, with its offset.
    low_ops: Vec<Option<(LogicOp, usize)>>,
    mixed: Option<(usize, usize)>,
}

impl<'a> Parser<'a> {
    fn new(src: &'a str) -> Result<Self, ParseError> {
        let mut lexer = Lexer::new(src);
        let tok = lexer.next_token()?;
        Ok(Parser {
            src,
            lexer,
            tok,
            references: Vec::new(),
            low_ops: vec![None],
            mixed: None,
        })
    }

    /// Consumes the lookahead and returns it.
    fn bump(&mut self) -> Result<Token, ParseError> {
        let next = self.lexer.next_token()?;
        Ok(std::mem::replace(&mut self.tok, next))
    }

    fn text(&self, tok: &Token) -> &'a str {
        &self.src[tok.offset..tok.end()]
    }

    /// How a token is named in messages.
    fn describe(&self, tok: &Token) -> String {
        let text = self.text(tok);
        match tok.kind {
            TokenKind::End => "end of condition".to_owned(),
            TokenKind::Not | TokenKind::Logic(_) => {
                format!("keyword `{text}`")
            }
            TokenKind::Literal(_) => format!("string `{text}`"),
            _ => format!("`{text}`"),
        }
    }

    /// "expected X, found <lookahead>", at the lookahead.
    fn unexpected(&self, expected: &str) -> ParseError {
        let message = format!("expected {expected}, found {}", self.describe(&self.tok));
        ParseError::at(&self.tok, message)
    }

    /// [`Self::unexpected`] where an operator belongs: a negative number
    /// there is most likely a subtraction, and `&` a C-style "and".
    fn expected_operator(&self, expected: &str) -> ParseError {
        let mut error = self.unexpected(expected);
        match self.tok.kind {
            TokenKind::Integer(i) if i < 0 => {
                error.message.push_str(" (arithmetic is not supported)");
            }
            TokenKind::Prefix('&') => error.message.push_str(
                " (`&` is the feature action prefix: use AND, or `><` for a bitwise and)",
            ),
            _ => {}
        }
        error
    }

    /// [`Self::unexpected`] where a value belongs: a keyword there is most
    /// likely meant as a property name.
    fn expected_value(&self, expected: &str) -> ParseError {
        let mut error = self.unexpected(expected);
        if matches!(self.tok.kind, TokenKind::Not | TokenKind::Logic(_)) {
            error
                .message
                .push_str(", which cannot be used as a property name");
        }
        error
    }

    /// Parses the logical levels from `LEVELS[level]` down. `after` is the
    /// token text preceding the first operand, for messages.
    fn binary(&mut self, level: usize, after: Option<&'a str>) -> Result<Expr, ParseError> {
        let Some(&op) = LEVELS.get(level) else {
            return self.not(after);
        };
        let mut left = self.binary(level + 1, after)?;
        while self.tok.kind == TokenKind::Logic(op) {
            let keyword = self.bump()?;
            if op.is_low() {
                self.note_low_op(op, &keyword);
            }
            let right = self.binary(level + 1, Some(self.text(&keyword)))?;
            left = Expr::binary(op, left, right);
        }
        Ok(left)
    }

    fn expr(&mut self, after: Option<&'a str>) -> Result<Expr, ParseError> {
        self.binary(0, after)
    }

    /// Records the first place where two different low-precedence operators
    /// meet at one parenthesis depth.
    fn note_low_op(&mut self, op: LogicOp, keyword: &Token) {
        let slot = self
            .low_ops
            .last_mut()
            .expect("the top level is never popped");
        if let Some((previous, offset)) = *slot {
            if previous != op && self.mixed.is_none() {
                self.mixed = Some((offset, keyword.end() - offset));
            }
        }
        *slot = Some((op, keyword.offset));
    }

    fn not(&mut self, after: Option<&'a str>) -> Result<Expr, ParseError> {
        if self.tok.kind != TokenKind::Not {
            return self.term(after);
        }
        let keyword = self.bump()?;
        if matches!(self.tok.kind, TokenKind::Compare { .. }) {
            let message = format!(
                "keyword `{}` cannot be used as a property name",
                self.text(&keyword)
            );
            return Err(ParseError::at(&keyword, message));
        }
        let operand = self.not(Some(self.text(&keyword)))?;
        Ok(Expr::Not(Box::new(operand)))
    }

    fn term(&mut self, after: Option<&'a str>) -> Result<Expr, ParseError> {
        match self.tok.kind {
            TokenKind::LParen => self.group(),
            TokenKind::Ident(_)
            | TokenKind::Integer(_)
            | TokenKind::Literal(_)
            | TokenKind::Prefix(_) => self.comparison(),
            _ => Err(match after {
                Some(after) => self.expected_value(&format!("an operand after `{after}`")),
                None => self.expected_value("a condition"),
            }),
        }
    }

    fn group(&mut self) -> Result<Expr, ParseError> {
        let open = self.bump()?;
        self.low_ops.push(None);
        let inner = self.expr(Some("("))?;
        match self.tok.kind {
            TokenKind::RParen => {}
            TokenKind::End => {
                return Err(ParseError::at(
                    &open,
                    "expected `)` to close this `(`, found end of condition",
                ));
            }
            _ => return Err(self.expected_operator("`)` or an operator")),
        }
        self.bump()?;
        self.low_ops.pop();
        if matches!(self.tok.kind, TokenKind::Compare { .. }) {
            let message = format!(
                "a parenthesised expression is a condition, not a value, and cannot be compared with `{}`",
                self.text(&self.tok)
            );
            return Err(ParseError::at(&self.tok, message));
        }
        Ok(inner)
    }

    /// A value, optionally compared with a second one.
    fn comparison(&mut self) -> Result<Expr, ParseError> {
        let left = self.value(None)?;
        let TokenKind::Compare {
            op,
            case_insensitive,
        } = self.tok.kind
        else {
            return Ok(Expr::Value(left));
        };
        let op_token = self.bump()?;
        let right = self.value(Some(self.text(&op_token)))?;
        if matches!(self.tok.kind, TokenKind::Compare { .. }) {
            let message = format!(
                "comparisons cannot be chained, found a second operator `{}` (join comparisons with AND)",
                self.text(&self.tok)
            );
            return Err(ParseError::at(&self.tok, message));
        }
        Ok(Expr::Compare {
            op,
            case_insensitive,
            left,
            right,
        })
    }

    /// A single value. `after` names the comparison operator before it;
    /// `None` for a left operand, whose first token the caller has checked.
    fn value(&mut self, after: Option<&'a str>) -> Result<Operand, ParseError> {
        let start = self.tok.offset;
        let operand = match &self.tok.kind {
            TokenKind::Ident(name) => Operand::Property(name.clone()),
            TokenKind::Integer(i) => Operand::Integer(*i),
            TokenKind::Literal(s) => Operand::Literal(s.clone()),
            &TokenKind::Prefix(prefix) => return self.prefixed(prefix),
            _ => {
                let after = after.unwrap_or_default();
                let mut error = self.expected_value(&format!("a value after `{after}`"));
                if self.tok.kind == TokenKind::LParen {
                    error
                        .message
                        .push_str(" (a parenthesised expression cannot be compared)");
                }
                return Err(error);
            }
        };
        let token = self.bump()?;
        self.note_reference(&operand, start, token.len);
        Ok(operand)
    }

    /// `%name`, `$name`, `?name`, `&name` or `!name`.
    fn prefixed(&mut self, prefix: char) -> Result<Operand, ParseError> {
        let prefix_token = self.bump()?;
        let TokenKind::Ident(name) = &self.tok.kind else {
            let what = match prefix {
                '%' => "an environment variable name",
                '$' | '?' => "a component name",
                _ => "a feature name",
            };
            let after = self.text(&prefix_token);
            return Err(self.unexpected(&format!("{what} after `{after}`")));
        };
        let name = name.clone();
        let operand = match prefix {
            '%' => Operand::Env(name),
            '$' => Operand::ComponentAction(name),
            '?' => Operand::ComponentInstalled(name),
            '&' => Operand::FeatureAction(name),
            _ => Operand::FeatureInstalled(name),
        };
        let name_token = self.bump()?;
        let start = prefix_token.offset;
        self.note_reference(&operand, start, name_token.end() - start);
        Ok(operand)
    }

    /// Adds a run-time operand to the reference list unless already there.
    fn note_reference(&mut self, operand: &Operand, offset: usize, len: usize) {
        let Some((kind, name)) = RefKind::of(operand) else {
            return;
        };
        let seen = self.references.iter().any(|r| {
            r.kind == kind
                && if kind == RefKind::Env {
                    r.name.eq_ignore_ascii_case(name)
                } else {
                    r.name == name
                }
        });
        if !seen {
            self.references.push(Reference {
                kind,
                name: name.to_owned(),
                offset,
                len,
            });
        }
    }
}
