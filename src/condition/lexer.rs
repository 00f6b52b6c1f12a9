//! Tokenizer. It runs one token ahead of the parser, so the first error in
//! the text is the one reported, whether the lexer or the parser finds it.

use super::ast::{CompareOp, LogicOp};
use super::ParseError;

#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum TokenKind {
    Ident(String),
    Not,
    Logic(LogicOp),
    Integer(i32),
    Literal(String),
    /// One of `% $ ? & !`.
    Prefix(char),
    Compare {
        op: CompareOp,
        case_insensitive: bool,
    },
    LParen,
    RParen,
    End,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Token {
    pub kind: TokenKind,
    pub offset: usize,
    pub len: usize,
}

impl Token {
    pub fn end(&self) -> usize {
        self.offset + self.len
    }
}

/// Splits condition text into tokens on demand.
#[derive(Debug, Clone)]
pub(crate) struct Lexer<'a> {
    src: &'a str,
    pos: usize,
}

/// Characters that may continue an identifier. `-` and `#` are not in
/// Microsoft's property-name rules but Wine accepts them and real packages
/// use them.
fn is_ident_continue(c: char) -> bool {
    c.is_alphanumeric() || matches!(c, '_' | '.' | '-' | '#')
}

/// Whitespace between tokens. Wine only skips spaces, but real packages
/// contain tabs and line breaks, so all ASCII whitespace is accepted.
fn is_space(c: char) -> bool {
    c.is_ascii_whitespace()
}

impl<'a> Lexer<'a> {
    pub fn new(src: &'a str) -> Self {
        Lexer { src, pos: 0 }
    }

    fn rest(&self) -> &'a str {
        &self.src[self.pos..]
    }

    fn peek_char(&self, skip: usize) -> Option<char> {
        self.rest().chars().nth(skip)
    }

    fn token(&mut self, kind: TokenKind, start: usize) -> Token {
        Token {
            kind,
            offset: start,
            len: self.pos - start,
        }
    }

    /// Advances while `pred` holds.
    fn eat_while(&mut self, pred: impl Fn(char) -> bool) {
        let n = self.rest().find(|c| !pred(c)).unwrap_or(self.rest().len());
        self.pos += n;
    }

    pub fn next_token(&mut self) -> Result<Token, ParseError> {
        self.eat_while(is_space);
        let start = self.pos;
        let Some(c) = self.peek_char(0) else {
            return Ok(self.token(TokenKind::End, start));
        };
        let next = self.peek_char(1);
        match c {
            '(' | ')' => {
                self.pos += 1;
                let kind = if c == '(' {
                    TokenKind::LParen
                } else {
                    TokenKind::RParen
                };
                Ok(self.token(kind, start))
            }
            '"' => self.string(start),
            '0'..='9' => self.number(start),
            '-' if next.is_some_and(|n| n.is_ascii_digit()) => self.number(start),
            '=' | '<' | '>' => self.compare(start, false),
            '~' => {
                self.pos += 1;
                match next {
                    Some('=' | '<' | '>') => self.compare(start, true),
                    _ => Err(ParseError::new(
                        start,
                        1,
                        format!(
                            "expected a comparison operator directly after `~`, found {}",
                            describe_char(next)
                        ),
                    )),
                }
            }
            '&' if next == Some('&') => Err(ParseError::new(
                start,
                2,
                "`&&` is not an operator, use AND",
            )),
            '!' if next == Some('=') => Err(ParseError::new(
                start,
                2,
                "`!=` is not an operator, use `<>` for not equal",
            )),
            '%' | '$' | '?' | '&' | '!' => {
                self.pos += 1;
                Ok(self.token(TokenKind::Prefix(c), start))
            }
            '|' => {
                let len = if next == Some('|') { 2 } else { 1 };
                let op = &self.src[start..start + len];
                Err(ParseError::new(
                    start,
                    len,
                    format!("`{op}` is not an operator, use OR"),
                ))
            }
            '\'' => {
                let len = self.rest()[1..]
                    .find('\'')
                    .map_or(self.rest().len(), |i| i + 2);
                Err(ParseError::new(
                    start,
                    len,
                    "single-quoted strings are not supported, use double quotes",
                ))
            }
            '[' => {
                let len = self.rest().find(']').map_or(self.rest().len(), |i| i + 1);
                Err(ParseError::new(
                    start,
                    len,
                    "formatted text like [PROP] is not expanded in conditions",
                ))
            }
            '+' | '-' | '*' | '/' => Err(ParseError::new(
                start,
                1,
                format!("arithmetic is not supported, found `{c}`"),
            )),
            c if c.is_alphabetic() || c == '_' => Ok(self.word(start)),
            c => Err(ParseError::new(
                start,
                c.len_utf8(),
                format!("unexpected character {}", describe_char(Some(c))),
            )),
        }
    }

    fn string(&mut self, start: usize) -> Result<Token, ParseError> {
        match self.rest()[1..].find('"') {
            Some(i) => {
                let text = self.rest()[1..=i].to_owned();
                self.pos += i + 2;
                Ok(self.token(TokenKind::Literal(text), start))
            }
            None => Err(ParseError::new(
                start,
                self.rest().len(),
                "unterminated string, expected a closing `\"` before the end of the condition",
            )),
        }
    }

    fn number(&mut self, start: usize) -> Result<Token, ParseError> {
        self.pos += 1;
        self.eat_while(|c| c.is_ascii_digit());
        if self.peek_char(0) == Some('.') {
            self.eat_while(|c| c.is_ascii_digit() || c == '.');
            let text = &self.src[start..self.pos];
            return Err(ParseError::new(
                start,
                text.len(),
                format!(
                    "floating-point numbers are not supported, found `{text}` (quote it to compare text)"
                ),
            ));
        }
        let text = &self.src[start..self.pos];
        match text.parse::<i32>() {
            Ok(value) => Ok(self.token(TokenKind::Integer(value), start)),
            Err(_) => Err(ParseError::new(
                start,
                text.len(),
                format!("integer `{text}` does not fit in 32 bits"),
            )),
        }
    }

    fn compare(&mut self, start: usize, case_insensitive: bool) -> Result<Token, ParseError> {
        let at = self.pos;
        let first = self.peek_char(0);
        let second = self.peek_char(1);
        let (op, len) = match (first, second) {
            (Some('='), Some('=')) => {
                return Err(ParseError::new(at, 2, "`==` is not an operator, use `=`"));
            }
            (Some('='), Some(c @ ('<' | '>'))) => {
                return Err(ParseError::new(
                    at,
                    2,
                    format!("`={c}` is not an operator, use `{c}=`"),
                ));
            }
            (Some('='), _) => (CompareOp::Eq, 1),
            (Some('<'), Some('=')) => (CompareOp::Le, 2),
            (Some('<'), Some('>')) => (CompareOp::Ne, 2),
            (Some('<'), Some('<')) => (CompareOp::StartsWith, 2),
            (Some('<'), _) => (CompareOp::Lt, 1),
            (Some('>'), Some('=')) => (CompareOp::Ge, 2),
            (Some('>'), Some('<')) => (CompareOp::Contains, 2),
            (Some('>'), Some('>')) => (CompareOp::EndsWith, 2),
            _ => (CompareOp::Gt, 1),
        };
        self.pos += len;
        Ok(self.token(
            TokenKind::Compare {
                op,
                case_insensitive,
            },
            start,
        ))
    }

    /// An identifier or, matched without case, a keyword.
    fn word(&mut self, start: usize) -> Token {
        self.eat_while(is_ident_continue);
        let text = &self.src[start..self.pos];
        let kind = match text.to_ascii_uppercase().as_str() {
            "NOT" => TokenKind::Not,
            "AND" => TokenKind::Logic(LogicOp::And),
            "OR" => TokenKind::Logic(LogicOp::Or),
            "XOR" => TokenKind::Logic(LogicOp::Xor),
            "EQV" => TokenKind::Logic(LogicOp::Eqv),
            "IMP" => TokenKind::Logic(LogicOp::Imp),
            _ => TokenKind::Ident(text.to_owned()),
        };
        self.token(kind, start)
    }
}

fn describe_char(c: Option<char>) -> String {
    match c {
        None => "end of condition".to_owned(),
        Some(c) if is_space(c) => "whitespace".to_owned(),
        Some(c) => format!("`{c}`"),
    }
}
