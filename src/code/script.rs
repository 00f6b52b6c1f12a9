//! VBScript and JScript: the functions a script defines, so that an
//! action's Target can be checked against them (error 1720).
//!
//! Not a parser: it finds definitions at the start of a statement, outside
//! comments and strings, the way the script engines name them. VBScript
//! names are case-insensitive (`Function` and `Sub`, with `Public` or
//! `Private`); JScript names are case-sensitive (`function NAME(`, and
//! `NAME = function`).

use std::io::Read;

use super::{Source, MAX_SCRIPT_LEN};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Language {
    VbScript,
    JScript,
}

/// What msica reads of a script.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ScriptInfo {
    pub language: Language,
    /// Names of the functions (and VBScript subs) it defines, in order.
    pub functions: Vec<String>,
    /// The script was longer than msica reads: definitions after the cut
    /// are not known, so a missing name proves nothing.
    pub cut: bool,
}

impl ScriptInfo {
    /// Whether the script defines `name`, as its engine looks it up.
    pub fn defines(&self, name: &str) -> bool {
        match self.language {
            Language::VbScript => self.functions.iter().any(|f| f.eq_ignore_ascii_case(name)),
            Language::JScript => self.functions.iter().any(|f| f == name),
        }
    }
}

/// Reads a script (UTF-16 with a byte order mark, UTF-8, or ANSI).
pub fn read<S: Source>(source: &mut S, language: Language) -> std::io::Result<ScriptInfo> {
    let mut bytes = Vec::new();
    source.take(MAX_SCRIPT_LEN + 1).read_to_end(&mut bytes)?;
    let cut = bytes.len() as u64 > MAX_SCRIPT_LEN;
    let text = decode(&bytes);
    Ok(ScriptInfo {
        language,
        functions: match language {
            Language::VbScript => vbscript_functions(&text),
            Language::JScript => jscript_functions(&text),
        },
        cut,
    })
}

/// Decodes script text by its byte order mark; without one, UTF-8 where it
/// is valid, else one byte a character.
pub fn decode(bytes: &[u8]) -> String {
    let utf16 = |bytes: &[u8], le: bool| {
        let units: Vec<u16> = bytes
            .chunks_exact(2)
            .map(|c| {
                if le {
                    u16::from_le_bytes([c[0], c[1]])
                } else {
                    u16::from_be_bytes([c[0], c[1]])
                }
            })
            .collect();
        String::from_utf16_lossy(&units)
    };
    if let Some(rest) = bytes.strip_prefix(&[0xFF, 0xFE]) {
        utf16(rest, true)
    } else if let Some(rest) = bytes.strip_prefix(&[0xFE, 0xFF]) {
        utf16(rest, false)
    } else {
        let rest = bytes.strip_prefix(&[0xEF, 0xBB, 0xBF]).unwrap_or(bytes);
        match std::str::from_utf8(rest) {
            Ok(s) => s.to_owned(),
            Err(_) => rest.iter().map(|&b| b as char).collect(),
        }
    }
}

fn identifier(s: &str) -> Option<&str> {
    let end = s
        .char_indices()
        .find(|(_, c)| !(c.is_alphanumeric() || *c == '_' || *c == '$'))
        .map_or(s.len(), |(i, _)| i);
    let id = &s[..end];
    (!id.is_empty() && !id.starts_with(|c: char| c.is_ascii_digit())).then_some(id)
}

/// Strips one leading keyword (any case) followed by white space.
fn keyword<'a>(s: &'a str, word: &str) -> Option<&'a str> {
    let head = s.get(..word.len())?;
    let rest = &s[word.len()..];
    (head.eq_ignore_ascii_case(word) && rest.starts_with([' ', '\t'])).then(|| rest.trim_start())
}

/// VBScript: `[Public [Default] | Private] Function|Sub NAME` at the start
/// of a statement (a line, or after `:`).
fn vbscript_functions(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    for line in text.lines() {
        for statement in vb_statements(line) {
            let mut s = statement.trim_start();
            if let Some(rest) = keyword(s, "Public") {
                s = keyword(rest, "Default").unwrap_or(rest);
            } else if let Some(rest) = keyword(s, "Private") {
                s = rest;
            }
            let Some(rest) = keyword(s, "Function").or_else(|| keyword(s, "Sub")) else {
                continue;
            };
            if let Some(name) = identifier(rest) {
                out.push(name.to_owned());
            }
        }
    }
    out
}

/// The statements of one VBScript line: split at `:` outside strings, up to
/// a `'` comment.
fn vb_statements(line: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut start = 0;
    let mut in_string = false;
    for (i, c) in line.char_indices() {
        match c {
            '"' => in_string = !in_string,
            '\'' if !in_string => {
                out.push(&line[start..i]);
                return out;
            }
            ':' if !in_string => {
                out.push(&line[start..i]);
                start = i + 1;
            }
            _ => {}
        }
    }
    out.push(&line[start..]);
    out
}

/// JScript: `function NAME` and `NAME = function`, outside comments and strings.
fn jscript_functions(text: &str) -> Vec<String> {
    let code = strip_js_comments_and_strings(text);
    let mut out = Vec::new();
    let bytes = code.as_bytes();
    let mut i = 0;
    while let Some(at) = code[i..].find("function") {
        let pos = i + at;
        i = pos + "function".len();
        let before_ok = pos == 0 || !is_ident_byte(bytes[pos - 1]);
        let after = &code[i..];
        if !before_ok || after.starts_with(|c: char| c.is_alphanumeric() || c == '_' || c == '$') {
            continue;
        }
        let rest = after.trim_start();
        if let Some(name) = identifier(rest) {
            out.push(name.to_owned());
            continue;
        }
        // `NAME = function` or `var NAME = function`
        let head = code[..pos].trim_end();
        if let Some(head) = head.strip_suffix('=') {
            let head = head.trim_end();
            let start = head
                .char_indices()
                .rev()
                .find(|(_, c)| !(c.is_alphanumeric() || *c == '_' || *c == '$'))
                .map_or(0, |(p, c)| p + c.len_utf8());
            if let Some(name) = identifier(&head[start..]) {
                out.push(name.to_owned());
            }
        }
    }
    out
}

fn is_ident_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_' || b == b'$'
}

/// The text with comments and string contents blanked (lengths kept).
fn strip_js_comments_and_strings(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '/' if chars.peek() == Some(&'/') => {
                for c in chars.by_ref() {
                    if c == '\n' {
                        out.push('\n');
                        break;
                    }
                }
            }
            '/' if chars.peek() == Some(&'*') => {
                chars.next();
                let mut last = ' ';
                for c in chars.by_ref() {
                    if last == '*' && c == '/' {
                        break;
                    }
                    last = c;
                }
                out.push(' ');
            }
            '"' | '\'' => {
                let quote = c;
                let mut escaped = false;
                for c in chars.by_ref() {
                    if escaped {
                        escaped = false;
                    } else if c == '\\' {
                        escaped = true;
                    } else if c == quote || c == '\n' {
                        break;
                    }
                }
                out.push_str("\"\"");
            }
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn vbs(text: &str) -> Vec<String> {
        vbscript_functions(text)
    }

    #[test]
    fn vbscript_definitions_in_any_case_and_form() {
        let text = "' Function Commented\r\nOption Explicit\r\nFUNCTION CheckDb()\r\nEnd Function\r\n  private sub Helper : End Sub\r\nPublic Default Function Main\r\nx = \"Sub InString\"\r\n";
        assert_eq!(vbs(text), ["CheckDb", "Helper", "Main"]);
        let info = ScriptInfo {
            language: Language::VbScript,
            functions: vbs(text),
            cut: false,
        };
        assert!(info.defines("checkdb"));
        assert!(!info.defines("InString"));
    }

    #[test]
    fn jscript_definitions_are_case_sensitive() {
        let text = "// function Commented()\nfunction CheckDb(a) { var s = \"function InString()\"; }\nvar Other = function () {};\n/* function Block() */\n";
        let functions = jscript_functions(text);
        assert_eq!(functions, ["CheckDb", "Other"]);
        let info = ScriptInfo {
            language: Language::JScript,
            functions,
            cut: false,
        };
        assert!(info.defines("CheckDb"));
        assert!(!info.defines("checkdb"));
    }

    #[test]
    fn a_multibyte_character_before_an_assignment_is_no_boundary_problem() {
        assert_eq!(jscript_functions("v\u{80}ther = function () {};"), ["ther"]);
        assert_eq!(
            jscript_functions("\u{80} = function () {};"),
            Vec::<String>::new()
        );
    }

    #[test]
    fn utf16_scripts_are_decoded() {
        let mut bytes = vec![0xFF, 0xFE];
        for u in "Sub Go\r\nEnd Sub".encode_utf16() {
            bytes.extend_from_slice(&u.to_le_bytes());
        }
        assert_eq!(vbs(&decode(&bytes)), ["Go"]);
    }
}
