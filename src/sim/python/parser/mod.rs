//! A recursive-descent parser (precedence climbing for binary operators)
//! from tokens to the [`ast`](super::ast), with the error messages CPython
//! 3.11's PEG parser gives for the mistakes learners make.
//!
//! Nesting is bounded: brackets by the tokenizer (200 levels, CPython's
//! limit), everything else by a depth counter, so a hostile input cannot
//! overflow the Rust stack.

use super::ast::*;
use super::lexer::{self, Tok, Token};
use super::SyntaxErr;
use std::rc::Rc;

mod atoms;
mod compound;
mod expr;
mod simple;
mod strings;
#[cfg(test)]
mod tests;

type PR<T> = Result<T, Box<SyntaxErr>>;

/// Nested expressions the parser accepts (each level costs the Rust
/// stack a dozen frames; the browser's stack is 1 MB).
const MAX_DEPTH: u32 = 100;

const KEYWORDS: [&str; 35] = [
    "False", "None", "True", "and", "as", "assert", "async", "await", "break", "class", "continue",
    "def", "del", "elif", "else", "except", "finally", "for", "from", "global", "if", "import",
    "in", "is", "lambda", "nonlocal", "not", "or", "pass", "raise", "return", "try", "while",
    "with", "yield",
];

pub fn is_keyword(s: &str) -> bool {
    KEYWORDS.contains(&s)
}

struct Parser<'a> {
    toks: &'a [Token],
    pos: usize,
    furthest: usize,
    filename: &'a str,
    lines: Vec<&'a str>,
    depth: u32,
    eof: Token,
    /// per enclosing scope: 0 a function, 1 a function with `yield`,
    /// 2 a class body (where `yield` is an error)
    func_yield: Vec<u8>,
}

/// Parses a module. On failure, the error CPython would report.
pub fn parse_module(source: &str, filename: &str) -> Result<Vec<Stmt>, Box<SyntaxErr>> {
    let lexed = lexer::tokenize(source, filename);
    let mut p = Parser::new(&lexed.tokens, source, filename);
    let result = p.file();
    match (result, lexed.error) {
        (Ok(body), None) => Ok(body),
        (Ok(_), Some(te)) => Err(Box::new(te.err)),
        (Err(e), None) => Err(e),
        (Err(e), Some(te)) => {
            // CPython tokenizes the rest of the file after a parser error and
            // reports a tokenizer error instead, except after "unexpected
            // indent"; an unclosed bracket only replaces an error on a later line.
            if e.msg == "unexpected indent" {
                return Err(e);
            }
            if let Some(l) = te.unclosed_line {
                // CPython compares the line of the last token the parser
                // fetched (not the error's line) with the bracket's
                let furthest_line = p.token(p.furthest).span.line;
                if furthest_line > l || p.reached_error() {
                    return Err(Box::new(te.err));
                }
                return Err(e);
            }
            Err(Box::new(te.err))
        }
    }
}

/// Parses the text of an f-string replacement field (or a traceback's code
/// segment) as one expression. Spans are relative to the text.
pub fn parse_expression(text: &str) -> Option<Expr> {
    let lexed = lexer::tokenize(text, "");
    if lexed.error.is_some() {
        return None;
    }
    let mut p = Parser::new(&lexed.tokens, text, "");
    let body = p.file().ok()?;
    if body.len() != 1 {
        return None;
    }
    match body.into_iter().next()?.kind {
        S::Expr(e) => Some(e),
        _ => None,
    }
}

fn is_expr_start(t: &Tok) -> bool {
    match t {
        Tok::Name(n) => {
            !is_keyword(n)
                || matches!(
                    n.as_str(),
                    "True" | "False" | "None" | "not" | "lambda" | "await"
                )
        }
        Tok::Int(_) | Tok::BigInt | Tok::Float(_) | Tok::Str(_) | Tok::Bytes(_) => true,
        Tok::FStr { .. } => true,
        Tok::Op(o) => matches!(*o, "(" | "[" | "{" | "-" | "+" | "~" | "..."),
        _ => false,
    }
}

impl<'a> Parser<'a> {
    fn new(toks: &'a [Token], source: &'a str, filename: &'a str) -> Self {
        Parser {
            toks,
            pos: 0,
            furthest: 0,
            filename,
            lines: source.split('\n').collect(),
            depth: 0,
            eof: Token {
                tok: Tok::Eof,
                span: Span::default(),
                level: 0,
            },
            func_yield: Vec::new(),
        }
    }

    fn reached_error(&self) -> bool {
        matches!(
            self.toks.get(self.furthest).map(|t| &t.tok),
            Some(Tok::Error)
        )
    }

    fn token(&self, i: usize) -> &Token {
        self.toks.get(i).or(self.toks.last()).unwrap_or(&self.eof)
    }
    fn peek(&mut self) -> &Tok {
        if self.pos > self.furthest {
            self.furthest = self.pos;
        }
        &self.token(self.pos).tok
    }
    /// Looks ahead without counting as "reached" for error locations.
    fn peek_at(&mut self, k: usize) -> &Tok {
        let i = (self.pos + k).min(self.toks.len().saturating_sub(1));
        &self.token(i).tok
    }
    fn span(&self) -> Span {
        self.token(self.pos).span
    }
    fn prev_span(&self) -> Span {
        self.token(self.pos.saturating_sub(1)).span
    }
    fn advance(&mut self) -> Token {
        let t = self.token(self.pos).clone();
        if self.pos + 1 < self.toks.len() {
            self.pos += 1;
        }
        t
    }
    fn is_op(&mut self, op: &str) -> bool {
        matches!(self.peek(), Tok::Op(o) if *o == op)
    }
    fn is_kw(&mut self, kw: &str) -> bool {
        matches!(self.peek(), Tok::Name(n) if n == kw)
    }
    fn eat_op(&mut self, op: &str) -> bool {
        if self.is_op(op) {
            self.advance();
            true
        } else {
            false
        }
    }
    fn eat_kw(&mut self, kw: &str) -> bool {
        if self.is_kw(kw) {
            self.advance();
            true
        } else {
            false
        }
    }

    fn line_text(&self, line: u32) -> String {
        self.lines
            .get(line.saturating_sub(1) as usize)
            .map(|l| l.trim_end_matches('\r').to_string())
            .unwrap_or_default()
    }

    fn error_at(&self, kind: &'static str, msg: impl Into<String>, span: Span) -> Box<SyntaxErr> {
        let end_col = if span.end_line == span.line {
            span.end_col
        } else {
            span.col + 1
        };
        Box::new(SyntaxErr {
            kind,
            msg: msg.into(),
            filename: self.filename.into(),
            line: span.line,
            text: Some(self.line_text(span.line)),
            col: Some(span.col + 1),
            end_col: Some(end_col.max(span.col + 1) + 1),
        })
    }
    fn err<T>(&self, msg: impl Into<String>, span: Span) -> PR<T> {
        Err(self.error_at("SyntaxError", msg, span))
    }
    /// "invalid syntax" at the furthest token the parser looked at.
    fn generic<T>(&self) -> PR<T> {
        let t = self.token(self.furthest);
        if let Tok::Error = t.tok {
            // the tokenizer's error replaces this one (see parse_module)
        }
        let mut sp = t.span;
        if sp.end_col <= sp.col || sp.end_line != sp.line {
            sp.end_col = sp.col + 1;
            sp.end_line = sp.line;
        }
        self.err("invalid syntax", sp)
    }
    fn expect_op(&mut self, op: &str) -> PR<Span> {
        if self.is_op(op) {
            Ok(self.advance().span)
        } else {
            self.generic()
        }
    }
    fn expect_colon(&mut self) -> PR<()> {
        if self.eat_op(":") {
            return Ok(());
        }
        let sp = self.span();
        if matches!(self.peek(), Tok::Error) {
            return self.generic();
        }
        // CPython points just after the previous token when the line ends.
        let sp = if matches!(self.peek(), Tok::Newline) {
            sp
        } else {
            let p = self.prev_span();
            Span {
                line: p.end_line,
                col: p.end_col,
                end_line: p.end_line,
                end_col: p.end_col + 1,
            }
        };
        self.err("expected ':'", sp)
    }
    fn name(&mut self) -> PR<Rc<str>> {
        match self.peek().clone() {
            Tok::Name(n) if !is_keyword(&n) => {
                self.advance();
                Ok(n.into())
            }
            _ => self.generic(),
        }
    }
    fn enter(&mut self) -> PR<()> {
        self.depth += 1;
        if self.depth > MAX_DEPTH {
            let sp = self.span();
            return self.err("too many nested parentheses", sp);
        }
        Ok(())
    }
}
