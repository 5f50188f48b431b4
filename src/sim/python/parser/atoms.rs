//! Atoms: names, numbers, parenthesised expressions and tuples, lists,
//! dicts and sets (with their comprehensions).

use super::*;

impl<'a> Parser<'a> {
    pub(super) fn atom(&mut self) -> PR<Expr> {
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
}
