//! Simple statements (`return`, `import`, `del`, assignments, …) and the
//! checks of assignment and `del` targets.

use super::*;

impl<'a> Parser<'a> {
    pub(super) fn simple_stmts(&mut self, out: &mut Vec<Stmt>) -> PR<()> {
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

    pub(super) fn at_stmt_end(&mut self) -> bool {
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

    pub(super) fn check_target(&self, t: &Expr, assign_stmt: bool) -> PR<()> {
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
