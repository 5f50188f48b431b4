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

    // ---------------------------------------------------------------- statements

    fn file(&mut self) -> PR<Vec<Stmt>> {
        let mut body = Vec::new();
        loop {
            match self.peek() {
                Tok::Eof => break,
                Tok::Newline => {
                    self.advance();
                }
                _ => self.statement(&mut body)?,
            }
        }
        Ok(body)
    }

    fn statement(&mut self, out: &mut Vec<Stmt>) -> PR<()> {
        let start = self.span();
        let kw = match self.peek() {
            Tok::Indent => {
                let mut e = self.error_at("IndentationError", "unexpected indent", start);
                e.col = None;
                return Err(e);
            }
            Tok::Dedent => {
                let mut e = self.error_at("IndentationError", "unexpected unindent", start);
                e.col = None;
                return Err(e);
            }
            Tok::Error => return self.generic(),
            Tok::Name(n) => n.clone(),
            Tok::Op("@") => String::from("@"),
            _ => String::new(),
        };
        let s = match kw.as_str() {
            "if" => self.if_stmt("if")?,
            "while" => self.while_stmt()?,
            "for" => self.for_stmt()?,
            "try" => self.try_stmt()?,
            "with" => self.with_stmt()?,
            "def" => self.def_stmt(Vec::new())?,
            "class" => self.class_stmt(Vec::new())?,
            "@" => self.decorated()?,
            _ => return self.simple_stmts(out),
        };
        out.push(s);
        Ok(())
    }

    fn block(&mut self, what: &str, line: u32) -> PR<Vec<Stmt>> {
        self.expect_colon()?;
        let mut body = Vec::new();
        if self.eat_newline() {
            if !matches!(self.peek(), Tok::Indent) {
                if matches!(self.peek(), Tok::Error) {
                    return self.generic();
                }
                let sp = self.span();
                let sp = Span {
                    end_col: sp.col + 1,
                    end_line: sp.line,
                    ..sp
                };
                return Err(self.error_at(
                    "IndentationError",
                    format!("expected an indented block after {what} on line {line}"),
                    sp,
                ));
            }
            self.advance();
            loop {
                match self.peek() {
                    Tok::Dedent => {
                        self.advance();
                        break;
                    }
                    Tok::Eof => break,
                    Tok::Newline => {
                        self.advance();
                    }
                    _ => self.statement(&mut body)?,
                }
            }
        } else {
            self.simple_stmts(&mut body)?;
        }
        Ok(body)
    }

    fn eat_newline(&mut self) -> bool {
        if matches!(self.peek(), Tok::Newline) {
            self.advance();
            true
        } else {
            false
        }
    }

    fn if_stmt(&mut self, what: &str) -> PR<Stmt> {
        let start = self.advance().span;
        let test = self.named_expr_test()?;
        let body = self.block(&format!("'{what}' statement"), start.line)?;
        let orelse = if self.is_kw("elif") {
            vec![self.if_stmt("elif")?]
        } else if self.is_kw("else") {
            let l = self.advance().span.line;
            self.block("'else' statement", l)?
        } else {
            Vec::new()
        };
        Ok(Stmt {
            kind: S::If(test, body, orelse),
            span: start.to(self.prev_span()),
        })
    }

    /// A condition: `if x = 1:` gets CPython's hint.
    fn named_expr_test(&mut self) -> PR<Expr> {
        let e = self.named_expr()?;
        if self.is_op("=") {
            let save = self.pos;
            self.advance();
            if let Ok(rhs) = self.bitor() {
                if !self.is_op("=") && !self.is_op(":=") {
                    return self.err(
                        "invalid syntax. Maybe you meant '==' or ':=' instead of '='?",
                        e.span.to(rhs.span),
                    );
                }
            }
            self.pos = save;
        }
        Ok(e)
    }

    fn while_stmt(&mut self) -> PR<Stmt> {
        let start = self.advance().span;
        let test = self.named_expr_test()?;
        let body = self.block("'while' statement", start.line)?;
        let orelse = if self.is_kw("else") {
            let l = self.advance().span.line;
            self.block("'else' statement", l)?
        } else {
            Vec::new()
        };
        Ok(Stmt {
            kind: S::While(test, body, orelse),
            span: start.to(self.prev_span()),
        })
    }

    fn for_stmt(&mut self) -> PR<Stmt> {
        let start = self.advance().span;
        let target = self.targets()?;
        if !self.eat_kw("in") {
            return self.generic();
        }
        let iter = self.star_exprs()?;
        let body = self.block("'for' statement", start.line)?;
        let orelse = if self.is_kw("else") {
            let l = self.advance().span.line;
            self.block("'else' statement", l)?
        } else {
            Vec::new()
        };
        Ok(Stmt {
            kind: S::For(target, iter, body, orelse),
            span: start.to(self.prev_span()),
        })
    }

    /// `for` / comprehension targets: `x`, `a, b`, `(a, b)`, `*rest`.
    fn targets(&mut self) -> PR<Expr> {
        let first = self.target_item()?;
        if !self.is_op(",") {
            self.check_target(&first, false)?;
            return Ok(first);
        }
        let mut items = vec![first];
        while self.eat_op(",") {
            if self.is_kw("in") || self.is_op("=") {
                break;
            }
            items.push(self.target_item()?);
        }
        let span = items[0].span.to(self.prev_span());
        let t = Expr {
            kind: E::Tuple(items),
            span,
        };
        self.check_target(&t, false)?;
        Ok(t)
    }
    fn target_item(&mut self) -> PR<Expr> {
        if self.is_op("*") {
            let s = self.advance().span;
            let e = self.bitor()?;
            let span = s.to(self.prev_span());
            return Ok(Expr {
                kind: E::Starred(Box::new(e)),
                span,
            });
        }
        self.bitor()
    }

    fn try_stmt(&mut self) -> PR<Stmt> {
        let start = self.advance().span;
        let body = self.block("'try' statement", start.line)?;
        let mut handlers = Vec::new();
        while self.is_kw("except") {
            let hs = self.advance().span;
            let mut typ = None;
            let mut name = None;
            if !self.is_op(":") {
                let t = self.expression()?;
                if self.is_op(",") {
                    // `except A, B:`
                    let save = self.pos;
                    self.advance();
                    let more = self.expression();
                    self.pos = save;
                    if let Ok(m) = more {
                        return self.err(
                            "multiple exception types must be parenthesized",
                            t.span.to(m.span),
                        );
                    }
                }
                typ = Some(t);
                if self.eat_kw("as") {
                    name = Some(self.name()?);
                }
            }
            let hbody = self.block("'except' statement", hs.line)?;
            handlers.push(Handler {
                typ,
                name,
                body: hbody,
                line: hs.line,
                span: hs,
            });
        }
        let mut orelse = Vec::new();
        if !handlers.is_empty() && self.is_kw("else") {
            let l = self.advance().span.line;
            orelse = self.block("'else' statement", l)?;
        }
        let mut finalbody = Vec::new();
        if self.is_kw("finally") {
            let l = self.advance().span.line;
            finalbody = self.block("'finally' statement", l)?;
        } else if handlers.is_empty() {
            if matches!(self.peek(), Tok::Error) {
                return self.generic();
            }
            let sp = self.span();
            return self.err("expected 'except' or 'finally' block", sp);
        }
        Ok(Stmt {
            kind: S::Try {
                body,
                handlers,
                orelse,
                finalbody,
            },
            span: start,
        })
    }

    fn with_stmt(&mut self) -> PR<Stmt> {
        let start = self.advance().span;
        let mut items = Vec::new();
        loop {
            let e = self.expression()?;
            let target = if self.eat_kw("as") {
                let t = self.target_item()?;
                self.check_target(&t, false)?;
                Some(t)
            } else {
                None
            };
            items.push((e, target));
            if !self.eat_op(",") {
                break;
            }
        }
        let body = self.block("'with' statement", start.line)?;
        Ok(Stmt {
            kind: S::With(items, body),
            span: start,
        })
    }

    fn decorated(&mut self) -> PR<Stmt> {
        let mut decorators = Vec::new();
        while self.eat_op("@") {
            decorators.push(self.named_expr()?);
            if !self.eat_newline() {
                return self.generic();
            }
        }
        if self.is_kw("def") {
            self.def_stmt(decorators)
        } else if self.is_kw("class") {
            self.class_stmt(decorators)
        } else {
            self.generic()
        }
    }

    fn def_stmt(&mut self, decorators: Vec<Expr>) -> PR<Stmt> {
        let start = self.advance().span;
        let name = self.name()?;
        self.expect_op("(")?;
        let (params, n_pos, vararg, kwarg) = self.params(")")?;
        self.expect_op(")")?;
        if self.eat_op("->") {
            self.expression()?;
        }
        self.func_yield.push(0);
        let body = self.block("function definition", start.line);
        let is_generator = self.func_yield.pop() == Some(1);
        let body = body?;
        Ok(Stmt {
            kind: S::Def(Rc::new(FuncDef {
                name,
                params,
                n_pos,
                vararg,
                kwarg,
                body,
                decorators,
                is_lambda: false,
                line: start.line,
                is_generator,
            })),
            span: start,
        })
    }

    #[allow(clippy::type_complexity)]
    fn params(&mut self, close: &str) -> PR<(Vec<Param>, usize, Option<Rc<str>>, Option<Rc<str>>)> {
        let mut params: Vec<Param> = Vec::new();
        let mut n_pos = usize::MAX;
        let mut vararg = None;
        let mut kwarg = None;
        let mut seen_default = false;
        let lambda = close == ":";
        while !self.is_op(close) {
            if self.eat_op("/") {
                // positional-only marker: accepted, not enforced
            } else if self.eat_op("**") {
                kwarg = Some(self.name()?);
                if !lambda && self.eat_op(":") {
                    self.expression()?;
                }
            } else if self.eat_op("*") {
                if n_pos != usize::MAX {
                    return self.generic();
                }
                n_pos = params.len();
                if !self.is_op(",") {
                    vararg = Some(self.name()?);
                    if !lambda && self.eat_op(":") {
                        self.expression()?;
                    }
                }
            } else {
                let sp = self.span();
                let name = self.name()?;
                if params.iter().any(|p| p.name == name) || vararg.as_ref() == Some(&name) {
                    return self.err(
                        format!("duplicate argument '{name}' in function definition"),
                        sp,
                    );
                }
                if !lambda && self.eat_op(":") {
                    self.expression()?;
                }
                let default = if self.eat_op("=") {
                    Some(self.expression()?)
                } else {
                    None
                };
                if default.is_some() {
                    if n_pos == usize::MAX {
                        seen_default = true;
                    }
                } else if seen_default && n_pos == usize::MAX {
                    return self.err("non-default argument follows default argument", sp);
                }
                params.push(Param { name, default });
            }
            if !self.eat_op(",") {
                break;
            }
            if kwarg.is_some() && !self.is_op(close) {
                return self.generic();
            }
        }
        if n_pos == usize::MAX {
            n_pos = params.len();
        }
        Ok((params, n_pos, vararg, kwarg))
    }

    fn class_stmt(&mut self, decorators: Vec<Expr>) -> PR<Stmt> {
        let start = self.advance().span;
        let name = self.name()?;
        let mut bases = Vec::new();
        if self.eat_op("(") {
            for a in self.call_args()? {
                match a {
                    Arg::Pos(e) => bases.push(e),
                    Arg::Kw(_, e) | Arg::Star(e) | Arg::DStar(e) => {
                        return self.err("class keywords and *bases are not supported", e.span)
                    }
                }
            }
        }
        self.func_yield.push(2);
        let body = self.block("class definition", start.line);
        self.func_yield.pop();
        Ok(Stmt {
            kind: S::Class {
                name,
                bases,
                body: body?,
                decorators,
            },
            span: start,
        })
    }

    fn simple_stmts(&mut self, out: &mut Vec<Stmt>) -> PR<()> {
        loop {
            let s = self.simple_stmt()?;
            out.push(s);
            if self.eat_op(";") {
                if self.eat_newline() {
                    return Ok(());
                }
                continue;
            }
            if self.eat_newline() {
                return Ok(());
            }
            if matches!(self.peek(), Tok::Eof) {
                return Ok(());
            }
            return self.generic();
        }
    }

    fn simple_stmt(&mut self) -> PR<Stmt> {
        let start = self.span();
        let kw = match self.peek() {
            Tok::Name(n) => n.clone(),
            _ => String::new(),
        };
        let kind = match kw.as_str() {
            "pass" => {
                self.advance();
                S::Pass
            }
            "break" => {
                self.advance();
                S::Break
            }
            "continue" => {
                self.advance();
                S::Continue
            }
            "return" => {
                self.advance();
                if self.at_stmt_end() {
                    S::Return(None)
                } else {
                    S::Return(Some(self.star_exprs()?))
                }
            }
            "raise" => {
                self.advance();
                if self.at_stmt_end() {
                    S::Raise(None, None)
                } else {
                    let e = self.expression()?;
                    let cause = if self.eat_kw("from") {
                        Some(self.expression()?)
                    } else {
                        None
                    };
                    S::Raise(Some(e), cause)
                }
            }
            "global" | "nonlocal" => {
                self.advance();
                let mut names = vec![self.name()?];
                while self.eat_op(",") {
                    names.push(self.name()?);
                }
                if kw == "global" {
                    S::Global(names)
                } else {
                    S::Nonlocal(names)
                }
            }
            "del" => {
                self.advance();
                let mut targets = Vec::new();
                loop {
                    let t = self.bitor()?;
                    self.check_del(&t)?;
                    targets.push(t);
                    if !self.eat_op(",") || self.at_stmt_end() {
                        break;
                    }
                }
                S::Del(targets)
            }
            "assert" => {
                self.advance();
                let test = self.expression()?;
                let msg = if self.eat_op(",") {
                    Some(self.expression()?)
                } else {
                    None
                };
                S::Assert(test, msg)
            }
            "import" => {
                self.advance();
                let mut names = Vec::new();
                loop {
                    let n = self.dotted()?;
                    let alias = if self.eat_kw("as") {
                        Some(self.name()?)
                    } else {
                        None
                    };
                    names.push((n, alias));
                    if !self.eat_op(",") {
                        break;
                    }
                }
                S::Import(names)
            }
            "from" => {
                self.advance();
                let mut dots = String::new();
                while self.is_op(".") || self.is_op("...") {
                    let t = self.advance();
                    dots.push_str(if matches!(t.tok, Tok::Op("...")) {
                        "..."
                    } else {
                        "."
                    });
                }
                let module: Rc<str> = if self.is_kw("import") && !dots.is_empty() {
                    dots.into()
                } else {
                    format!("{dots}{}", self.dotted()?).into()
                };
                if !self.eat_kw("import") {
                    return self.generic();
                }
                let mut names = Vec::new();
                if !self.eat_op("*") {
                    let paren = self.eat_op("(");
                    loop {
                        let n = self.name()?;
                        let alias = if self.eat_kw("as") {
                            Some(self.name()?)
                        } else {
                            None
                        };
                        names.push((n, alias));
                        if !self.eat_op(",") {
                            break;
                        }
                        if paren && self.is_op(")") {
                            break;
                        }
                    }
                    if paren {
                        self.expect_op(")")?;
                    }
                }
                S::ImportFrom(module, names)
            }
            _ => return self.expr_stmt(),
        };
        let span = start.to(self.prev_span());
        Ok(Stmt { kind, span })
    }

    fn at_stmt_end(&mut self) -> bool {
        matches!(self.peek(), Tok::Newline | Tok::Eof) || self.is_op(";")
    }

    fn dotted(&mut self) -> PR<Rc<str>> {
        let mut s = self.name()?.to_string();
        while self.eat_op(".") {
            s.push('.');
            s.push_str(&self.name()?);
        }
        Ok(s.into())
    }

    fn expr_stmt(&mut self) -> PR<Stmt> {
        let start = self.span();
        let first = if self.is_kw("yield") {
            self.yield_expr()?
        } else {
            self.star_exprs()?
        };
        // print "hello"
        if let E::Name(n) = &first.kind {
            if (&**n == "print" || &**n == "exec") && is_expr_start(&self.peek().clone()) {
                let save = self.pos;
                if let Ok(rest) = self.star_exprs() {
                    return self.err(
                        format!("Missing parentheses in call to '{n}'. Did you mean {n}(...)?"),
                        first.span.to(rest.span),
                    );
                }
                self.pos = save;
            }
        }
        let aug = match self.peek() {
            Tok::Op(o) => match *o {
                "+=" => Some(BinOp::Add),
                "-=" => Some(BinOp::Sub),
                "*=" => Some(BinOp::Mul),
                "/=" => Some(BinOp::Div),
                "//=" => Some(BinOp::FloorDiv),
                "%=" => Some(BinOp::Mod),
                "**=" => Some(BinOp::Pow),
                "<<=" => Some(BinOp::LShift),
                ">>=" => Some(BinOp::RShift),
                "|=" => Some(BinOp::BitOr),
                "^=" => Some(BinOp::BitXor),
                "&=" => Some(BinOp::BitAnd),
                "@=" => Some(BinOp::MatMul),
                _ => None,
            },
            _ => None,
        };
        if let Some(op) = aug {
            match &first.kind {
                E::Name(_) | E::Attr(..) | E::Subscript(..) => {}
                _ => {
                    let what = target_kind(&first).unwrap_or("expression");
                    return self.err(
                        format!("'{what}' is an illegal expression for augmented assignment"),
                        first.span,
                    );
                }
            }
            self.advance();
            let value = if self.is_kw("yield") {
                self.yield_expr()?
            } else {
                self.star_exprs()?
            };
            let span = start.to(self.prev_span());
            return Ok(Stmt {
                kind: S::AugAssign(first, op, value),
                span,
            });
        }
        if self.is_op(":") {
            // annotated assignment
            self.advance();
            self.check_target(&first, true)?;
            self.expression()?;
            let value = if self.eat_op("=") {
                Some(self.star_exprs()?)
            } else {
                None
            };
            let span = start.to(self.prev_span());
            return Ok(Stmt {
                kind: S::AnnAssign(first, value),
                span,
            });
        }
        if !self.is_op("=") {
            let span = start.to(self.prev_span());
            return Ok(Stmt {
                kind: S::Expr(first),
                span,
            });
        }
        let mut targets = vec![first];
        let mut value;
        loop {
            self.advance(); // '='
            value = if self.is_kw("yield") {
                self.yield_expr()?
            } else {
                self.star_exprs()?
            };
            if !self.is_op("=") {
                break;
            }
            targets.push(value);
        }
        for t in &targets {
            self.check_target(t, true)?;
        }
        let span = start.to(self.prev_span());
        Ok(Stmt {
            kind: S::Assign(targets, value),
            span,
        })
    }

    fn check_target(&self, t: &Expr, assign_stmt: bool) -> PR<()> {
        match &t.kind {
            E::Name(_) | E::Attr(..) | E::Subscript(..) => Ok(()),
            E::Tuple(items) | E::List(items) => {
                let mut stars = 0;
                for i in items {
                    if let E::Starred(inner) = &i.kind {
                        stars += 1;
                        self.check_target(inner, assign_stmt)?;
                    } else {
                        self.check_target(i, assign_stmt)?;
                    }
                }
                if stars > 1 {
                    return self.err("multiple starred expressions in assignment", t.span);
                }
                Ok(())
            }
            E::Starred(inner) => self.check_target(inner, assign_stmt),
            E::True | E::False | E::None => {
                let n = match t.kind {
                    E::True => "True",
                    E::False => "False",
                    _ => "None",
                };
                self.err(format!("cannot assign to {n}"), t.span)
            }
            _ => {
                let what = target_kind(t).unwrap_or("expression");
                if assign_stmt {
                    self.err(
                        format!(
                            "cannot assign to {what} here. Maybe you meant '==' instead of '='?"
                        ),
                        t.span,
                    )
                } else {
                    self.err(format!("cannot assign to {what}"), t.span)
                }
            }
        }
    }

    fn check_del(&self, t: &Expr) -> PR<()> {
        match &t.kind {
            E::Name(_) | E::Attr(..) | E::Subscript(..) => Ok(()),
            E::Tuple(items) | E::List(items) => {
                for i in items {
                    self.check_del(i)?;
                }
                Ok(())
            }
            _ => {
                let what = target_kind(t).unwrap_or("expression");
                self.err(format!("cannot delete {what}"), t.span)
            }
        }
    }

    // ---------------------------------------------------------------- expressions

    fn yield_expr(&mut self) -> PR<Expr> {
        let s = self.advance().span;
        match self.func_yield.last_mut() {
            Some(last) if *last < 2 => *last = 1,
            _ => {
                let sp = Span {
                    end_col: s.col + 5,
                    ..s
                };
                return self.err("'yield' outside function", sp);
            }
        }
        if self.eat_kw("from") {
            let e = self.expression()?;
            let span = s.to(self.prev_span());
            return Ok(Expr {
                kind: E::YieldFrom(Box::new(e)),
                span,
            });
        }
        let value = if self.at_stmt_end()
            || self.is_op(")")
            || self.is_op("=")
            || self.is_op("]")
            || self.is_op("}")
        {
            None
        } else {
            Some(Box::new(self.star_exprs()?))
        };
        let span = match &value {
            Some(_) => s.to(self.prev_span()),
            None => s,
        };
        Ok(Expr {
            kind: E::Yield(value),
            span,
        })
    }

    /// `a, b, *c` (a tuple without parentheses) or one expression.
    fn star_exprs(&mut self) -> PR<Expr> {
        let start = self.span();
        let first = self.star_item()?;
        if !self.is_op(",") {
            if let E::Starred(_) = first.kind {
                return self.err("can't use starred expression here", first.span);
            }
            return Ok(first);
        }
        let mut items = vec![first];
        while self.eat_op(",") {
            if !is_expr_start(&self.peek().clone()) && !self.is_op("*") {
                break;
            }
            items.push(self.star_item()?);
        }
        let span = start.to(self.prev_span());
        Ok(Expr {
            kind: E::Tuple(items),
            span,
        })
    }

    fn star_item(&mut self) -> PR<Expr> {
        if self.is_op("*") {
            let s = self.advance().span;
            let e = self.bitor()?;
            let span = s.to(self.prev_span());
            return Ok(Expr {
                kind: E::Starred(Box::new(e)),
                span,
            });
        }
        self.named_expr()
    }

    fn named_expr(&mut self) -> PR<Expr> {
        if let (Tok::Name(n), Tok::Op(":=")) = (self.peek().clone(), self.peek_at(1).clone()) {
            if !is_keyword(&n) {
                let s = self.advance().span;
                self.advance();
                let v = self.expression()?;
                let span = s.to(self.prev_span());
                return Ok(Expr {
                    kind: E::Named(n.into(), Box::new(v)),
                    span,
                });
            }
        }
        self.expression()
    }

    pub fn expression(&mut self) -> PR<Expr> {
        self.enter()?;
        let r = self.expression_inner();
        self.depth -= 1;
        r
    }

    fn expression_inner(&mut self) -> PR<Expr> {
        if self.is_kw("lambda") {
            return self.lambda();
        }
        let start = self.span();
        let body = self.disjunction()?;
        if self.is_kw("if") {
            let save = self.pos;
            self.advance();
            let test = self.disjunction()?;
            let _ = save;
            if !self.eat_kw("else") {
                if matches!(self.peek(), Tok::Error) || self.is_op(":") {
                    return self.generic();
                }
                return self.err(
                    "expected 'else' after 'if' expression",
                    body.span.to(test.span),
                );
            }
            let orelse = self.expression()?;
            let span = start.to(self.prev_span());
            return Ok(Expr {
                kind: E::IfExp(Box::new(test), Box::new(body), Box::new(orelse)),
                span,
            });
        }
        Ok(body)
    }

    fn lambda(&mut self) -> PR<Expr> {
        let s = self.advance().span;
        let (params, n_pos, vararg, kwarg) = self.params(":")?;
        self.expect_op(":")?;
        self.func_yield.push(0);
        let body = self.expression();
        let is_generator = self.func_yield.pop() == Some(1);
        let body = body?;
        let span = s.to(self.prev_span());
        let bspan = body.span;
        Ok(Expr {
            kind: E::Lambda(Rc::new(FuncDef {
                name: "<lambda>".into(),
                params,
                n_pos,
                vararg,
                kwarg,
                body: vec![Stmt {
                    kind: S::Return(Some(body)),
                    span: bspan,
                }],
                decorators: Vec::new(),
                is_lambda: true,
                line: s.line,
                is_generator,
            })),
            span,
        })
    }

    fn disjunction(&mut self) -> PR<Expr> {
        let start = self.span();
        let first = self.conjunction()?;
        if !self.is_kw("or") {
            return Ok(first);
        }
        let mut items = vec![first];
        while self.eat_kw("or") {
            items.push(self.conjunction()?);
        }
        let span = start.to(self.prev_span());
        Ok(Expr {
            kind: E::BoolOp(false, items),
            span,
        })
    }

    fn conjunction(&mut self) -> PR<Expr> {
        let start = self.span();
        let first = self.inversion()?;
        if !self.is_kw("and") {
            return Ok(first);
        }
        let mut items = vec![first];
        while self.eat_kw("and") {
            items.push(self.inversion()?);
        }
        let span = start.to(self.prev_span());
        Ok(Expr {
            kind: E::BoolOp(true, items),
            span,
        })
    }

    fn inversion(&mut self) -> PR<Expr> {
        if self.is_kw("not") {
            self.enter()?;
            let s = self.advance().span;
            let e = self.inversion();
            self.depth -= 1;
            let e = e?;
            let span = s.to(self.prev_span());
            return Ok(Expr {
                kind: E::Unary(UnOp::Not, Box::new(e)),
                span,
            });
        }
        self.comparison()
    }

    fn comparison(&mut self) -> PR<Expr> {
        let start = self.span();
        let first = self.bitor()?;
        let mut ops = Vec::new();
        loop {
            let op = match self.peek().clone() {
                Tok::Op("==") => CmpOp::Eq,
                Tok::Op("!=") => CmpOp::Ne,
                Tok::Op("<") => CmpOp::Lt,
                Tok::Op("<=") => CmpOp::Le,
                Tok::Op(">") => CmpOp::Gt,
                Tok::Op(">=") => CmpOp::Ge,
                Tok::Name(n) if n == "in" => CmpOp::In,
                Tok::Name(n) if n == "is" => {
                    if matches!(self.peek_at(1), Tok::Name(m) if m == "not") {
                        self.advance();
                        CmpOp::IsNot
                    } else {
                        CmpOp::Is
                    }
                }
                Tok::Name(n) if n == "not" => {
                    if matches!(self.peek_at(1), Tok::Name(m) if m == "in") {
                        self.advance();
                        CmpOp::NotIn
                    } else {
                        break;
                    }
                }
                _ => break,
            };
            self.advance();
            ops.push((op, self.bitor()?));
        }
        if ops.is_empty() {
            return Ok(first);
        }
        let span = start.to(self.prev_span());
        Ok(Expr {
            kind: E::Compare(Box::new(first), ops),
            span,
        })
    }

    fn bitor(&mut self) -> PR<Expr> {
        self.binary(0)
    }

    fn binary(&mut self, min: u8) -> PR<Expr> {
        let start = self.span();
        let mut chain = 0;
        let r = self.binary_chain(min, start, &mut chain);
        self.depth -= chain;
        r
    }

    fn binary_chain(&mut self, min: u8, start: Span, chain: &mut u32) -> PR<Expr> {
        let mut left = self.unary()?;
        while let Tok::Op(o) = self.peek() {
            let (op, prec) = match *o {
                "|" => (BinOp::BitOr, 1),
                "^" => (BinOp::BitXor, 2),
                "&" => (BinOp::BitAnd, 3),
                "<<" => (BinOp::LShift, 4),
                ">>" => (BinOp::RShift, 4),
                "+" => (BinOp::Add, 5),
                "-" => (BinOp::Sub, 5),
                "*" => (BinOp::Mul, 6),
                "/" => (BinOp::Div, 6),
                "//" => (BinOp::FloorDiv, 6),
                "%" => (BinOp::Mod, 6),
                "@" => (BinOp::MatMul, 6),
                _ => break,
            };
            if prec < min {
                break;
            }
            // a long chain `a + b + c + …` nests to the left: it counts
            // against the depth too (the compiler recurses over it)
            self.enter()?;
            *chain += 1;
            self.advance();
            let right = self.binary(prec + 1)?;
            let span = start.to(self.prev_span());
            left = Expr {
                kind: E::BinOp(Box::new(left), op, Box::new(right)),
                span,
            };
        }
        Ok(left)
    }

    fn unary(&mut self) -> PR<Expr> {
        let op = match self.peek() {
            Tok::Op("-") => UnOp::Neg,
            Tok::Op("+") => UnOp::Pos,
            Tok::Op("~") => UnOp::Invert,
            _ => return self.power(),
        };
        self.enter()?;
        let s = self.advance().span;
        let e = self.unary();
        self.depth -= 1;
        let e = e?;
        let span = s.to(self.prev_span());
        Ok(Expr {
            kind: E::Unary(op, Box::new(e)),
            span,
        })
    }

    fn power(&mut self) -> PR<Expr> {
        if self.is_kw("await") {
            let sp = self.span();
            return self.err("'await' outside async function", sp);
        }
        let start = self.span();
        let base = self.primary()?;
        if self.eat_op("**") {
            self.enter()?;
            let exp = self.unary();
            self.depth -= 1;
            let exp = exp?;
            let span = start.to(self.prev_span());
            return Ok(Expr {
                kind: E::BinOp(Box::new(base), BinOp::Pow, Box::new(exp)),
                span,
            });
        }
        Ok(base)
    }

    fn primary(&mut self) -> PR<Expr> {
        let start = self.span();
        let mut e = self.atom()?;
        loop {
            if self.is_op(".") {
                self.advance();
                let n = self.name()?;
                let span = start.to(self.prev_span());
                e = Expr {
                    kind: E::Attr(Box::new(e), n),
                    span,
                };
            } else if self.is_op("(") {
                self.advance();
                let args = self.call_args()?;
                let span = start.to(self.prev_span());
                e = Expr {
                    kind: E::Call(Box::new(e), args),
                    span,
                };
            } else if self.is_op("[") {
                self.advance();
                let idx = self.slices()?;
                self.expect_op("]")?;
                let span = start.to(self.prev_span());
                e = Expr {
                    kind: E::Subscript(Box::new(e), Box::new(idx)),
                    span,
                };
            } else {
                break;
            }
        }
        Ok(e)
    }

    /// After '(' of a call; consumes the ')'.
    fn call_args(&mut self) -> PR<Vec<Arg>> {
        let mut args: Vec<Arg> = Vec::new();
        let mut seen_kw = false;
        let mut seen_dstar = false;
        let mut kwnames: Vec<Rc<str>> = Vec::new();
        while !self.is_op(")") {
            if self.is_op("**") {
                self.advance();
                let e = self.expression()?;
                seen_dstar = true;
                args.push(Arg::DStar(e));
            } else if self.is_op("*") {
                let sp = self.advance().span;
                if seen_dstar {
                    return self.err(
                        "iterable argument unpacking follows keyword argument unpacking",
                        sp,
                    );
                }
                let e = self.expression()?;
                args.push(Arg::Star(e));
            } else if let (Tok::Name(n), Tok::Op("=")) =
                (self.peek().clone(), self.peek_at(1).clone())
            {
                let sp = self.span();
                if is_keyword(&n) {
                    if matches!(n.as_str(), "True" | "False" | "None") {
                        return self.err(format!("cannot assign to {n}"), sp);
                    }
                    return self.generic();
                }
                self.advance();
                self.advance();
                let e = self.expression()?;
                let n: Rc<str> = n.into();
                if kwnames.contains(&n) {
                    return self.err(format!("keyword argument repeated: {n}"), sp.to(e.span));
                }
                kwnames.push(n.clone());
                seen_kw = true;
                args.push(Arg::Kw(n, e));
            } else {
                let e = self.named_expr()?;
                if self.is_kw("for") {
                    let comps = self.comp_for()?;
                    let span = e.span.to(self.prev_span());
                    let g = Expr {
                        kind: E::Comp(CompKind::Gen, Box::new(e), None, Rc::new(comps)),
                        span,
                    };
                    if !args.is_empty() || !self.is_op(")") {
                        return self.err("Generator expression must be parenthesized", span);
                    }
                    args.push(Arg::Pos(g));
                    continue;
                }
                if self.is_op("=") {
                    let save = self.pos;
                    self.advance();
                    if self.expression().is_ok() {
                        return self.err(
                            "expression cannot contain assignment, perhaps you meant \"==\"?",
                            e.span.to(self.prev_span()),
                        );
                    }
                    self.pos = save;
                }
                self.forgot_comma(&e)?;
                if seen_dstar {
                    let sp = self.span();
                    return self.err("positional argument follows keyword argument unpacking", sp);
                }
                if seen_kw {
                    let sp = self.span();
                    return self.err("positional argument follows keyword argument", sp);
                }
                args.push(Arg::Pos(e));
            }
            if !self.eat_op(",") {
                break;
            }
        }
        self.expect_op(")")?;
        Ok(args)
    }

    /// Inside brackets, an expression followed directly by another one:
    /// "invalid syntax. Perhaps you forgot a comma?"
    fn forgot_comma(&mut self, a: &Expr) -> PR<()> {
        let t = self.peek().clone();
        if self.token(self.pos).level == 0 || !is_expr_start(&t) {
            return Ok(());
        }
        if let Tok::Name(n) = &t {
            if matches!(n.as_str(), "not" | "lambda") {
                return Ok(());
            }
        }
        // `f"..."`-like prefixes (NAME STRING) are excluded by CPython
        if let (E::Name(_), Tok::Str(_) | Tok::Bytes(_) | Tok::FStr { .. }) = (&a.kind, &t) {
            return Ok(());
        }
        let save = self.pos;
        let save_f = self.furthest;
        if let Ok(b) = self.expression() {
            return self.err(
                "invalid syntax. Perhaps you forgot a comma?",
                a.span.to(b.span),
            );
        }
        self.pos = save;
        self.furthest = save_f;
        Ok(())
    }

    fn slices(&mut self) -> PR<Expr> {
        let first = self.slice()?;
        if !self.is_op(",") {
            return Ok(first);
        }
        let mut items = vec![first];
        while self.eat_op(",") {
            if self.is_op("]") {
                break;
            }
            items.push(self.slice()?);
        }
        let span = items[0].span.to(self.prev_span());
        Ok(Expr {
            kind: E::Tuple(items),
            span,
        })
    }

    fn slice(&mut self) -> PR<Expr> {
        let start = self.span();
        let lower = if self.is_op(":") {
            None
        } else {
            let e = self.named_expr()?;
            if !self.is_op(":") {
                self.forgot_comma(&e)?;
                return Ok(e);
            }
            Some(Box::new(e))
        };
        self.expect_op(":")?;
        let upper = if self.is_op(":") || self.is_op("]") || self.is_op(",") {
            None
        } else {
            Some(Box::new(self.expression()?))
        };
        let step = if self.eat_op(":") {
            if self.is_op("]") || self.is_op(",") {
                None
            } else {
                Some(Box::new(self.expression()?))
            }
        } else {
            None
        };
        let span = start.to(self.prev_span());
        Ok(Expr {
            kind: E::Slice(lower, upper, step),
            span,
        })
    }

    fn comp_for(&mut self) -> PR<Vec<Comp>> {
        let mut comps = Vec::new();
        while self.eat_kw("for") {
            let target = self.targets()?;
            if !self.eat_kw("in") {
                return self.generic();
            }
            let iter = self.disjunction()?;
            let mut ifs = Vec::new();
            while self.eat_kw("if") {
                ifs.push(self.disjunction()?);
            }
            comps.push(Comp { target, iter, ifs });
        }
        Ok(comps)
    }

    fn atom(&mut self) -> PR<Expr> {
        let t = self.peek().clone();
        let span = self.span();
        let simple = |kind| Ok(Expr { kind, span });
        match t {
            Tok::Name(n) => {
                let kind = match n.as_str() {
                    "True" => E::True,
                    "False" => E::False,
                    "None" => E::None,
                    _ if is_keyword(&n) => return self.generic(),
                    _ => E::Name(n.into()),
                };
                self.advance();
                simple(kind)
            }
            Tok::Int(i) => {
                self.advance();
                simple(E::Int(i))
            }
            Tok::BigInt => {
                self.advance();
                simple(E::BigInt)
            }
            Tok::Float(f) => {
                self.advance();
                simple(E::Float(f))
            }
            Tok::Str(_) | Tok::Bytes(_) | Tok::FStr { .. } => self.strings(),
            Tok::Op("...") => {
                self.advance();
                simple(E::Ellipsis)
            }
            Tok::Op("(") => {
                self.enter()?;
                let r = self.paren();
                self.depth -= 1;
                r
            }
            Tok::Op("[") => {
                self.enter()?;
                let r = self.list();
                self.depth -= 1;
                r
            }
            Tok::Op("{") => {
                self.enter()?;
                let r = self.dict_or_set();
                self.depth -= 1;
                r
            }
            _ => self.generic(),
        }
    }

    fn paren(&mut self) -> PR<Expr> {
        let s = self.advance().span;
        if self.eat_op(")") {
            let span = s.to(self.prev_span());
            return Ok(Expr {
                kind: E::Tuple(Vec::new()),
                span,
            });
        }
        if self.is_kw("yield") {
            let y = self.yield_expr()?;
            self.expect_op(")")?;
            return Ok(y);
        }
        let first = self.star_item()?;
        if self.is_kw("for") {
            let comps = self.comp_for()?;
            self.expect_op(")")?;
            let span = s.to(self.prev_span());
            return Ok(Expr {
                kind: E::Comp(CompKind::Gen, Box::new(first), None, Rc::new(comps)),
                span,
            });
        }
        if self.eat_op(")") {
            if let E::Starred(_) = first.kind {
                return self.err("cannot use starred expression here", first.span);
            }
            // a parenthesized expression keeps its own span, as in CPython
            return Ok(first);
        }
        if self.is_op("=") {
            let save = self.pos;
            self.advance();
            if let Ok(rhs) = self.bitor() {
                if !self.is_op("=") {
                    return self.err(
                        "invalid syntax. Maybe you meant '==' or ':=' instead of '='?",
                        first.span.to(rhs.span),
                    );
                }
            }
            self.pos = save;
        }
        if !self.is_op(",") {
            self.forgot_comma(&first)?;
            return self.generic();
        }
        let mut items = vec![first];
        while self.eat_op(",") {
            if self.is_op(")") {
                break;
            }
            let e = self.star_item()?;
            items.push(e);
            if !self.is_op(",") && !self.is_op(")") {
                if let Some(last) = items.last() {
                    let last = last.clone();
                    self.forgot_comma(&last)?;
                }
            }
        }
        self.expect_op(")")?;
        let span = s.to(self.prev_span());
        Ok(Expr {
            kind: E::Tuple(items),
            span,
        })
    }

    fn list(&mut self) -> PR<Expr> {
        let s = self.advance().span;
        let mut items = Vec::new();
        if !self.is_op("]") {
            let first = self.star_item()?;
            if self.is_kw("for") {
                let comps = self.comp_for()?;
                self.expect_op("]")?;
                let span = s.to(self.prev_span());
                return Ok(Expr {
                    kind: E::Comp(CompKind::List, Box::new(first), None, Rc::new(comps)),
                    span,
                });
            }
            self.forgot_comma(&first)?;
            items.push(first);
            while self.eat_op(",") {
                if self.is_op("]") {
                    break;
                }
                let e = self.star_item()?;
                self.forgot_comma(&e)?;
                items.push(e);
            }
        }
        self.expect_op("]")?;
        let span = s.to(self.prev_span());
        Ok(Expr {
            kind: E::List(items),
            span,
        })
    }

    fn dict_or_set(&mut self) -> PR<Expr> {
        let s = self.advance().span;
        if self.eat_op("}") {
            let span = s.to(self.prev_span());
            return Ok(Expr {
                kind: E::Dict(Vec::new()),
                span,
            });
        }
        // first item decides
        if self.eat_op("**") {
            let v = self.bitor()?;
            let mut items = vec![(None, v)];
            self.dict_rest(&mut items)?;
            let span = s.to(self.prev_span());
            return Ok(Expr {
                kind: E::Dict(items),
                span,
            });
        }
        let first = self.star_item()?;
        if self.eat_op(":") {
            let v = self.expression()?;
            if self.is_kw("for") {
                let comps = self.comp_for()?;
                self.expect_op("}")?;
                let span = s.to(self.prev_span());
                return Ok(Expr {
                    kind: E::Comp(
                        CompKind::Dict,
                        Box::new(first),
                        Some(Box::new(v)),
                        Rc::new(comps),
                    ),
                    span,
                });
            }
            let mut items = vec![(Some(first), v)];
            self.dict_rest(&mut items)?;
            let span = s.to(self.prev_span());
            return Ok(Expr {
                kind: E::Dict(items),
                span,
            });
        }
        if self.is_kw("for") {
            let comps = self.comp_for()?;
            self.expect_op("}")?;
            let span = s.to(self.prev_span());
            return Ok(Expr {
                kind: E::Comp(CompKind::Set, Box::new(first), None, Rc::new(comps)),
                span,
            });
        }
        self.forgot_comma(&first)?;
        let mut items = vec![first];
        while self.eat_op(",") {
            if self.is_op("}") {
                break;
            }
            let e = self.star_item()?;
            self.forgot_comma(&e)?;
            items.push(e);
        }
        self.expect_op("}")?;
        let span = s.to(self.prev_span());
        Ok(Expr {
            kind: E::Set(items),
            span,
        })
    }

    fn dict_rest(&mut self, items: &mut Vec<(Option<Expr>, Expr)>) -> PR<()> {
        while self.eat_op(",") {
            if self.is_op("}") {
                break;
            }
            if self.eat_op("**") {
                let v = self.bitor()?;
                items.push((None, v));
                continue;
            }
            let k = self.expression()?;
            if !self.eat_op(":") {
                if self.is_op("}") || self.is_op(",") {
                    let sp = self.span();
                    let _ = sp;
                    let ksp = k.span;
                    return self.err(
                        "':' expected after dictionary key",
                        Span {
                            line: ksp.line,
                            col: ksp.col,
                            end_line: ksp.line,
                            end_col: ksp.col + 1,
                        },
                    );
                }
                return self.generic();
            }
            let v = self.expression()?;
            items.push((Some(k), v));
        }
        self.expect_op("}")?;
        Ok(())
    }

    /// Adjacent string literals are one constant (f-strings join in).
    fn strings(&mut self) -> PR<Expr> {
        let start = self.span();
        let mut parts: Vec<FPart> = Vec::new();
        let mut bytes: Option<Vec<u8>> = None;
        let mut any_str = false;
        let mut any_f = false;
        loop {
            let t = self.peek().clone();
            let sp = self.span();
            match t {
                Tok::Str(s) => {
                    any_str = true;
                    push_lit(&mut parts, &s);
                }
                Tok::Bytes(b) => {
                    bytes.get_or_insert_with(Vec::new).extend_from_slice(&b);
                }
                Tok::FStr {
                    body,
                    raw,
                    line,
                    col,
                } => {
                    any_str = true;
                    any_f = true;
                    let fp = self.fstring(&body, raw, line, col, sp, 0)?;
                    for p in fp {
                        match p {
                            FPart::Lit(s) => push_lit(&mut parts, &s),
                            e => parts.push(e),
                        }
                    }
                }
                _ => break,
            }
            self.advance();
        }
        let span = start.to(self.prev_span());
        if bytes.is_some() && any_str {
            return self.err("cannot mix bytes and nonbytes literals", span);
        }
        if let Some(b) = bytes {
            return Ok(Expr {
                kind: E::Bytes(b.into()),
                span,
            });
        }
        if !any_f {
            let s = match parts.into_iter().next() {
                Some(FPart::Lit(s)) => s,
                _ => String::new(),
            };
            return Ok(Expr {
                kind: E::Str(s.into()),
                span,
            });
        }
        Ok(Expr {
            kind: E::FStr(parts),
            span,
        })
    }

    /// Splits an f-string body into literal text and replacement fields.
    fn fstring(
        &mut self,
        body: &str,
        raw: bool,
        line: u32,
        col: u32,
        tok_span: Span,
        nest: u32,
    ) -> PR<Vec<FPart>> {
        let chars: Vec<char> = body.chars().collect();
        let mut parts = Vec::new();
        let mut lit = String::new();
        let mut i = 0;
        let end_span = Span {
            line: tok_span.end_line,
            col: tok_span.end_col,
            end_line: tok_span.end_line,
            end_col: tok_span.end_col + 1,
        };
        let flush = |lit: &mut String, parts: &mut Vec<FPart>| -> Result<(), ()> {
            if lit.is_empty() {
                return Ok(());
            }
            let text = if raw {
                std::mem::take(lit)
            } else {
                match lexer::unescape(lit, false) {
                    Ok(lexer::Unescaped::Str(s)) => {
                        lit.clear();
                        s
                    }
                    _ => return Err(()),
                }
            };
            parts.push(FPart::Lit(text));
            Ok(())
        };
        while let Some(&c) = chars.get(i) {
            if c == '{' && chars.get(i + 1) == Some(&'{') && nest == 0 {
                lit.push('{');
                i += 2;
                continue;
            }
            if c == '}' && chars.get(i + 1) == Some(&'}') && nest == 0 {
                lit.push('}');
                i += 2;
                continue;
            }
            if c == '}' {
                return self.err("f-string: single '}' is not allowed", end_span);
            }
            if c != '{' {
                lit.push(c);
                i += 1;
                continue;
            }
            if flush(&mut lit, &mut parts).is_err() {
                return self.err("(unicode error) invalid escape in f-string", tok_span);
            }
            if nest >= 2 {
                return self.err("f-string: expressions nested too deeply", end_span);
            }
            // find the end of the expression
            let expr_start = i + 1;
            let mut j = expr_start;
            let mut depth = 0i32;
            let mut quote: Option<char> = None;
            while let Some(&d) = chars.get(j) {
                if let Some(q) = quote {
                    if d == q {
                        quote = None;
                    }
                    j += 1;
                    continue;
                }
                match d {
                    '\'' | '"' => quote = Some(d),
                    '(' | '[' | '{' => depth += 1,
                    ')' | ']' | '}' if depth > 0 => depth -= 1,
                    '}' => break,
                    '!' if depth == 0 && chars.get(j + 1) != Some(&'=') => break,
                    ':' if depth == 0 => break,
                    '=' if depth == 0
                        && chars.get(j + 1) != Some(&'=')
                        && !matches!(chars.get(j.wrapping_sub(1)), Some('=' | '!' | '<' | '>')) =>
                    {
                        break
                    }
                    '\\' => {
                        return self.err(
                            "f-string expression part cannot include a backslash",
                            end_span,
                        )
                    }
                    _ => {}
                }
                j += 1;
            }
            if chars.get(j).is_none() {
                return self.err("f-string: expecting '}'", end_span);
            }
            let text: String = chars.get(expr_start..j).unwrap_or(&[]).iter().collect();
            if text.trim().is_empty() {
                return self.err("f-string: empty expression not allowed", end_span);
            }
            // position of the expression in the file
            let before: String = chars.get(..expr_start).unwrap_or(&[]).iter().collect();
            let nl = before.matches('\n').count() as u32;
            let (eline, ecol) = if nl == 0 {
                (line, col + expr_start as u32)
            } else {
                let after_nl = before.rsplit('\n').next().unwrap_or("");
                (line + nl, after_nl.chars().count() as u32)
            };
            let mut expr = match self.sub_expr(&text, eline, ecol) {
                Some(e) => e,
                None => return self.err("f-string: invalid syntax", end_span),
            };
            let mut conv = None;
            let mut self_doc = false;
            if chars.get(j) == Some(&'=') {
                self_doc = true;
                j += 1;
                // whitespace after '=' is kept in the text
                while matches!(chars.get(j), Some(' ')) {
                    j += 1;
                }
                let doc: String = chars.get(expr_start..j).unwrap_or(&[]).iter().collect();
                lit.push_str(&doc);
                if flush(&mut lit, &mut parts).is_err() {
                    return self.err("f-string: invalid syntax", end_span);
                }
            }
            if chars.get(j) == Some(&'!') {
                match chars.get(j + 1) {
                    Some(&c @ ('s' | 'r' | 'a')) => {
                        conv = Some(c);
                        j += 2;
                    }
                    Some('}') | Some(':') | None => {
                        return self.err("f-string: missing conversion character", end_span)
                    }
                    _ => {
                        return self.err(
                            "f-string: invalid conversion character: expected 's', 'r', or 'a'",
                            end_span,
                        )
                    }
                }
            }
            let mut spec = None;
            if chars.get(j) == Some(&':') {
                j += 1;
                let spec_start = j;
                let mut d = 0;
                while let Some(&c) = chars.get(j) {
                    if c == '{' {
                        d += 1;
                    } else if c == '}' {
                        if d == 0 {
                            break;
                        }
                        d -= 1;
                    }
                    j += 1;
                }
                let spec_text: String = chars.get(spec_start..j).unwrap_or(&[]).iter().collect();
                spec = Some(self.fstring(
                    &spec_text,
                    raw,
                    line,
                    col + spec_start as u32,
                    tok_span,
                    nest + 1,
                )?);
            }
            if chars.get(j) != Some(&'}') {
                return self.err("f-string: expecting '}'", end_span);
            }
            if self_doc && conv.is_none() && spec.is_none() {
                conv = Some('r');
            }
            // keep spans sane
            if expr.span.line == 0 {
                expr.span = tok_span;
            }
            parts.push(FPart::Expr {
                expr: Box::new(expr),
                conv,
                spec,
            });
            i = j + 1;
        }
        if flush(&mut lit, &mut parts).is_err() {
            return self.err("(unicode error) invalid escape in f-string", tok_span);
        }
        Ok(parts)
    }

    fn sub_expr(&mut self, text: &str, line: u32, col: u32) -> Option<Expr> {
        if self.depth > MAX_DEPTH / 2 {
            return None;
        }
        let wrapped = format!("({text})");
        let lexed = lexer::tokenize(&wrapped, "");
        if lexed.error.is_some() {
            return None;
        }
        let toks: Vec<Token> = lexed
            .tokens
            .into_iter()
            .map(|mut t| {
                let shift = |l: &mut u32, c: &mut u32| {
                    if *l == 1 {
                        *c = (*c + col).saturating_sub(1);
                    }
                    *l += line - 1;
                };
                shift(&mut t.span.line, &mut t.span.col);
                shift(&mut t.span.end_line, &mut t.span.end_col);
                t
            })
            .collect();
        let mut p = Parser::new(&toks, "", self.filename);
        p.depth = self.depth + 1;
        p.lines = self.lines.clone();
        let e = p.star_exprs().ok()?;
        if !matches!(p.peek(), Tok::Newline | Tok::Eof) {
            return None;
        }
        Some(e)
    }
}

fn push_lit(parts: &mut Vec<FPart>, s: &str) {
    if let Some(FPart::Lit(last)) = parts.last_mut() {
        last.push_str(s);
    } else {
        parts.push(FPart::Lit(s.to_string()));
    }
}

/// The name CPython's messages give an expression that cannot be assigned.
fn target_kind(e: &Expr) -> Option<&'static str> {
    Some(match &e.kind {
        E::Call(..) => "function call",
        E::Int(_) | E::Float(_) | E::Str(_) | E::Bytes(_) | E::BigInt | E::Ellipsis => "literal",
        E::FStr(_) => "f-string expression",
        E::BinOp(..) | E::Unary(..) => "expression",
        E::BoolOp(..) => "expression",
        E::Compare(..) => "comparison",
        E::IfExp(..) => "conditional expression",
        E::Lambda(_) => "lambda",
        E::Dict(_) => "dict literal",
        E::Set(_) => "set display",
        E::Comp(CompKind::List, ..) => "list comprehension",
        E::Comp(CompKind::Set, ..) => "set comprehension",
        E::Comp(CompKind::Dict, ..) => "dict comprehension",
        E::Comp(CompKind::Gen, ..) => "generator expression",
        E::Named(..) => "named expression",
        E::Yield(_) | E::YieldFrom(_) => "yield expression",
        E::True => "True",
        E::False => "False",
        E::None => "None",
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn err(src: &str) -> SyntaxErr {
        *parse_module(src, "t.py").expect_err("should fail")
    }

    #[test]
    fn parses_the_statements_learners_write() {
        let src = "import socket\nfrom threading import Thread as T, Lock\n\
                   def f(a, b=2, *args, k=1, **kw):\n    return a + b * 2 ** -1\n\
                   class C(Base):\n    x = 1\n    def m(self): pass\n\
                   for i, (a, b) in enumerate(x):\n    if a < b <= c and not d: continue\n    elif x: break\n    else: pass\n\
                   try:\n    x = y[1:2, ::3]\nexcept (A, B) as e:\n    raise X from e\nelse:\n    pass\nfinally:\n    del x\n\
                   with open('f') as f, g:\n    print(f'{x!r:>{w}} {y=}', end='')\n\
                   a = b = [i * 2 for i in range(3) if i]\nx += 1\nd = {k: v for k, v in e.items()}\n\
                   s = {1, 2}; t = (1,); u = lambda x, y=1: x if y else -x\n";
        let body = parse_module(src, "t.py").unwrap();
        assert_eq!(body.len(), 13);
    }

    #[test]
    fn syntax_errors_match_cpython() {
        let e = err("if x\n  pass\n");
        assert_eq!(
            (e.msg.as_str(), e.line, e.col),
            ("expected ':'", 1, Some(5))
        );
        let e = err("print(\"a\" \"b\" 1 2)\n");
        assert_eq!(e.msg, "invalid syntax. Perhaps you forgot a comma?");
        assert_eq!((e.col, e.end_col), (Some(7), Some(16)));
        let e = err("x = (1,\ny = 2\n");
        assert_eq!(e.msg, "'(' was never closed");
        let e = err("x = 1 +\ny = 2\nz = (\n");
        assert_eq!((e.msg.as_str(), e.line), ("invalid syntax", 1));
        let e = err("if True:\nprint(1)\n");
        assert_eq!(
            e.msg,
            "expected an indented block after 'if' statement on line 1"
        );
        let e = err("x = 1\n  y = 2\nz = \"abc\n");
        assert_eq!(e.msg, "unexpected indent");
        let e = err("print \"hi\"\n");
        assert_eq!(
            e.msg,
            "Missing parentheses in call to 'print'. Did you mean print(...)?"
        );
        let e = err("f(1) = 2\n");
        assert_eq!(
            e.msg,
            "cannot assign to function call here. Maybe you meant '==' instead of '='?"
        );
        let e = err("else:\n  pass\n");
        assert_eq!(
            (e.msg.as_str(), e.col, e.end_col),
            ("invalid syntax", Some(1), Some(5))
        );
        let e = err("if x = 1:\n  pass\n");
        assert_eq!(
            e.msg,
            "invalid syntax. Maybe you meant '==' or ':=' instead of '='?"
        );
    }

    #[test]
    fn deep_nesting_is_an_error_not_a_crash() {
        let src = format!("x = {}1{}\n", "(".repeat(300), ")".repeat(300));
        assert_eq!(err(&src).msg, "too many nested parentheses");
        let src = format!("x = {}1\n", "-".repeat(5000));
        assert_eq!(err(&src).msg, "too many nested parentheses");
        let src = format!("x = {}1\n", "not ".repeat(5000));
        assert_eq!(err(&src).msg, "too many nested parentheses");
    }
}
