//! Expressions: `yield`, starred items, `lambda`, boolean and comparison
//! operators, precedence climbing, calls, subscripts and slices,
//! comprehension clauses.

use super::*;

impl<'a> Parser<'a> {
    // ---------------------------------------------------------------- expressions

    pub(super) fn yield_expr(&mut self) -> PR<Expr> {
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
    pub(super) fn star_exprs(&mut self) -> PR<Expr> {
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

    pub(super) fn star_item(&mut self) -> PR<Expr> {
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

    pub(super) fn named_expr(&mut self) -> PR<Expr> {
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

    pub(super) fn bitor(&mut self) -> PR<Expr> {
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
    pub(super) fn call_args(&mut self) -> PR<Vec<Arg>> {
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
    pub(super) fn forgot_comma(&mut self, a: &Expr) -> PR<()> {
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

    pub(super) fn comp_for(&mut self) -> PR<Vec<Comp>> {
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
}
