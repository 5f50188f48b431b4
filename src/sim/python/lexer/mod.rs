//! The tokenizer: source text to tokens with INDENT/DEDENT, as CPython's
//! `Parser/tokenizer.c` cuts it, with its error messages.
//!
//! The whole file is tokenized before parsing. A tokenizer error stops the
//! token list (it ends in [`Tok::Error`]) and is kept aside: CPython reports
//! a tokenizer error found anywhere in the file in preference to most parser
//! errors (see `parser::parse_module`).

use super::SyntaxErr;

mod indent;
mod number;
mod operator;
mod strings;
#[cfg(test)]
mod tests;

pub use strings::{unescape, Unescaped};

/// Columns are 0-based character offsets; lines are 1-based.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Span {
    pub line: u32,
    pub col: u32,
    pub end_line: u32,
    pub end_col: u32,
}

impl Span {
    pub fn to(self, end: Span) -> Span {
        Span {
            line: self.line,
            col: self.col,
            end_line: end.end_line,
            end_col: end.end_col,
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub enum Tok {
    Name(String),
    Int(i64),
    /// An integer literal that does not fit in 64 bits.
    BigInt,
    Float(f64),
    Str(String),
    Bytes(Vec<u8>),
    /// An f-string: its body between the quotes (raw text), whether it is
    /// raw, and where the body starts (line, column).
    FStr {
        body: String,
        raw: bool,
        line: u32,
        col: u32,
    },
    Op(&'static str),
    Newline,
    Indent,
    Dedent,
    Eof,
    /// A character that starts no token (`$`, `?`): the parser reports
    /// "invalid syntax" there.
    Bad,
    /// The tokenizer stopped here with an error (kept in `Lexed::error`).
    Error,
}

#[derive(Debug, Clone)]
pub struct Token {
    pub tok: Tok,
    pub span: Span,
    /// Bracket nesting level before this token.
    pub level: u16,
}

pub struct Lexed {
    pub tokens: Vec<Token>,
    pub error: Option<TokError>,
}

#[derive(Debug, Clone)]
pub struct TokError {
    pub err: SyntaxErr,
    /// "'(' was never closed": it replaces a parser error only when that
    /// error is on a later line than the bracket.
    pub unclosed_line: Option<u32>,
}

const OPS3: [&str; 5] = ["**=", "//=", ">>=", "<<=", "..."];
const OPS2: [&str; 19] = [
    "**", "//", ">>", "<<", "<=", ">=", "==", "!=", "->", "+=", "-=", "*=", "/=", "%=", "&=", "|=",
    "^=", "@=", ":=",
];
const OPS1: &str = "+-*/%@&|^~<>()[]{},:.;=";

pub(crate) fn op_str(s: &str) -> Option<&'static str> {
    OPS3.iter()
        .chain(OPS2.iter())
        .copied()
        .find(|o| *o == s)
        .or_else(|| {
            let i = OPS1.find(s)?;
            (s.len() == 1).then(|| OPS1.get(i..i + 1)).flatten()
        })
}

/// The deepest bracket nesting CPython's tokenizer allows.
const MAX_LEVEL: usize = 200;
/// The deepest indentation CPython's tokenizer allows.
const MAX_INDENT: usize = 100;

struct Lexer<'a> {
    src: &'a [char],
    lines: Vec<usize>,
    pos: usize,
    line: u32,
    line_start: usize,
    tokens: Vec<Token>,
    indents: Vec<(usize, usize)>,
    brackets: Vec<(char, u32, u32)>,
    at_line_start: bool,
    filename: &'a str,
}

pub fn tokenize(source: &str, filename: &str) -> Lexed {
    let chars: Vec<char> = source.chars().collect();
    let mut lines = vec![0];
    for (i, c) in chars.iter().enumerate() {
        if *c == '\n' {
            lines.push(i + 1);
        }
    }
    let mut lx = Lexer {
        src: &chars,
        lines,
        pos: 0,
        line: 1,
        line_start: 0,
        tokens: Vec::new(),
        indents: vec![(0, 0)],
        brackets: Vec::new(),
        at_line_start: true,
        filename,
    };
    let error = lx.run().err();
    let span = lx.here_span(0);
    let level = lx.brackets.len() as u16;
    lx.tokens.push(Token {
        tok: if error.is_some() {
            Tok::Error
        } else {
            Tok::Eof
        },
        span,
        level,
    });
    Lexed {
        tokens: lx.tokens,
        error,
    }
}

fn is_id_start(c: char) -> bool {
    c == '_' || c.is_alphabetic()
}
fn is_id_char(c: char) -> bool {
    c == '_' || c.is_alphanumeric()
}

impl<'a> Lexer<'a> {
    fn peek(&self, k: usize) -> char {
        self.src.get(self.pos + k).copied().unwrap_or('\0')
    }
    fn eof(&self) -> bool {
        self.pos >= self.src.len()
    }
    fn col(&self) -> u32 {
        (self.pos - self.line_start) as u32
    }
    fn here_span(&self, len: u32) -> Span {
        let c = self.col();
        Span {
            line: self.line,
            col: c,
            end_line: self.line,
            end_col: c + len,
        }
    }
    /// The text of source line `n` (1-based), without its newline.
    pub fn line_text(&self, n: u32) -> String {
        let Some(&start) = self.lines.get(n.saturating_sub(1) as usize) else {
            return String::new();
        };
        let mut end = start;
        while let Some(&c) = self.src.get(end) {
            if c == '\n' {
                break;
            }
            end += 1;
        }
        self.src.get(start..end).unwrap_or(&[]).iter().collect()
    }
    fn newline(&mut self) {
        // self.pos is just past a '\n'
        self.line += 1;
        self.line_start = self.pos;
    }
    fn err(&self, kind: &'static str, msg: String, line: u32, col: u32, end_col: u32) -> TokError {
        TokError {
            err: SyntaxErr {
                kind,
                msg,
                filename: self.filename.into(),
                line,
                text: Some(self.line_text(line)),
                col: Some(col + 1),
                end_col: Some(end_col + 1),
            },
            unclosed_line: None,
        }
    }
    fn push(&mut self, tok: Tok, span: Span) {
        let level = self.brackets.len() as u16;
        self.tokens.push(Token { tok, span, level });
    }

    fn run(&mut self) -> Result<(), TokError> {
        loop {
            if self.at_line_start && self.brackets.is_empty() {
                if self.eof() {
                    return self.finish();
                }
                if self.indentation()? {
                    // blank line or comment-only line skipped
                    continue;
                }
                self.at_line_start = false;
            }
            // skip spaces
            while matches!(self.peek(0), ' ' | '\t' | '\x0c') {
                self.pos += 1;
            }
            if self.eof() {
                return self.finish();
            }
            let c = self.peek(0);
            let start_col = self.col();
            match c {
                '#' => {
                    while !self.eof() && self.peek(0) != '\n' {
                        self.pos += 1;
                    }
                }
                '\r' if self.peek(1) == '\n' => self.pos += 1,
                '\r' => {
                    self.pos += 1;
                }
                '\n' => {
                    if self.brackets.is_empty() {
                        let sp = self.here_span(1);
                        self.push(Tok::Newline, sp);
                        self.at_line_start = true;
                    }
                    self.pos += 1;
                    self.newline();
                }
                '\\' => {
                    let mut k = 1;
                    if self.peek(k) == '\r' {
                        k += 1;
                    }
                    if self.peek(k) == '\n' {
                        self.pos += k + 1;
                        self.newline();
                        if self.eof() {
                            return Err(self.err(
                                "SyntaxError",
                                "unexpected EOF while parsing".into(),
                                self.line - 1,
                                start_col + 1,
                                start_col + 1,
                            ));
                        }
                    } else {
                        return Err(self.err(
                            "SyntaxError",
                            "unexpected character after line continuation character".into(),
                            self.line,
                            start_col + 1,
                            start_col + 1,
                        ));
                    }
                }
                c if c.is_ascii_digit() || (c == '.' && self.peek(1).is_ascii_digit()) => {
                    self.number()?
                }
                c if is_id_start(c) => {
                    // string prefixes
                    let mut k = 0;
                    while is_id_char(self.peek(k)) {
                        k += 1;
                    }
                    let q = self.peek(k);
                    let word: String = self
                        .src
                        .get(self.pos..self.pos + k)
                        .unwrap_or(&[])
                        .iter()
                        .collect();
                    let lower = word.to_ascii_lowercase();
                    if (q == '\'' || q == '"')
                        && matches!(
                            lower.as_str(),
                            "r" | "u" | "b" | "br" | "rb" | "f" | "fr" | "rf"
                        )
                    {
                        self.pos += k;
                        self.string(&lower, start_col)?;
                    } else {
                        self.pos += k;
                        let sp = Span {
                            line: self.line,
                            col: start_col,
                            end_line: self.line,
                            end_col: self.col(),
                        };
                        self.push(Tok::Name(word), sp);
                    }
                }
                '\'' | '"' => self.string("", start_col)?,
                _ => self.operator(c, start_col)?,
            }
        }
    }
}
