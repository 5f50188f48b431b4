//! Statements: the file, blocks, and the compound statements (`if`,
//! `while`, `for`, `try`, `with`, `def` with its parameters, `class`).

use super::*;

impl<'a> Parser<'a> {
    // ---------------------------------------------------------------- statements

    pub(super) fn file(&mut self) -> PR<Vec<Stmt>> {
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

    pub(super) fn eat_newline(&mut self) -> bool {
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
    pub(super) fn targets(&mut self) -> PR<Expr> {
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
    pub(super) fn params(
        &mut self,
        close: &str,
    ) -> PR<(Vec<Param>, usize, Option<Rc<str>>, Option<Rc<str>>)> {
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
}
