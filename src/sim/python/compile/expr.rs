//! Compiling expressions: operators, literals and displays, f-strings,
//! sequences with `*`, and calls.

use super::warnings::{is_literal, literal_type};
use super::*;

impl<'a> Compiler<'a> {
    // ------------------------------------------------------------ expressions

    pub(super) fn expr(&mut self, e: &'a Expr) -> CR<()> {
        let saved = self.set_span(e.span);
        self.expr_inner(e)?;
        self.set_span(saved);
        Ok(())
    }

    fn expr_inner(&mut self, e: &'a Expr) -> CR<()> {
        match &e.kind {
            E::Name(n) => self.load_name(n),
            E::Int(i) => self.load_const(Value::Int(*i)),
            E::Float(f) => self.load_const(Value::float(*f)),
            E::Str(s) => self.load_const(Value::Str(s.clone())),
            E::Bytes(b) => self.load_const(Value::Bytes(b.clone())),
            E::True => self.load_const(Value::Bool(true)),
            E::False => self.load_const(Value::Bool(false)),
            E::None => self.load_const(Value::None),
            E::Ellipsis => self.load_const(Value::Ellipsis),
            E::BigInt => {
                self.emit(Op::BigInt);
            }
            E::FStr(parts) => {
                let n = self.fparts(parts)?;
                if n != 1
                    || !matches!(
                        parts.first(),
                        Some(FPart::Expr { .. }) | Some(FPart::Lit(_))
                    )
                {
                    self.emit(Op::BuildStr(n));
                } else if let Some(FPart::Lit(_)) = parts.first() {
                    // a lone literal is already a str
                } else {
                    self.emit(Op::BuildStr(1));
                }
            }
            E::BinOp(a, op, b) => {
                self.expr(a)?;
                self.expr(b)?;
                self.emit(Op::Bin(*op));
            }
            E::Unary(op, a) => {
                self.expr(a)?;
                self.emit(Op::Unary(*op));
            }
            E::BoolOp(is_and, items) => {
                let mut jumps = Vec::new();
                let n = items.len();
                for (i, it) in items.iter().enumerate() {
                    self.expr(it)?;
                    if i + 1 < n {
                        jumps.push(self.emit(if *is_and {
                            Op::JumpIfFalseOrPop(0)
                        } else {
                            Op::JumpIfTrueOrPop(0)
                        }));
                    }
                }
                let end = self.here();
                for j in jumps {
                    self.patch(j, end);
                }
            }
            E::Compare(a, rest) => {
                let mut left: &Expr = a;
                for (op, right) in rest.iter() {
                    if matches!(op, CmpOp::Is | CmpOp::IsNot)
                        && (is_literal(left) || is_literal(right))
                    {
                        let msg = if *op == CmpOp::Is {
                            "\"is\" with a literal. Did you mean \"==\"?"
                        } else {
                            "\"is not\" with a literal. Did you mean \"!=\"?"
                        };
                        self.warnings.push((e.span.line, msg.into()));
                    }
                    left = right;
                }
                self.expr(a)?;
                if rest.len() == 1 {
                    if let Some((op, b)) = rest.first() {
                        self.expr(b)?;
                        self.emit(Op::Cmp(*op));
                    }
                } else {
                    let mut cleanup = Vec::new();
                    let n = rest.len();
                    for (i, (op, b)) in rest.iter().enumerate() {
                        self.expr(b)?;
                        if i + 1 < n {
                            self.emit(Op::Dup);
                            self.emit(Op::Rot3);
                            self.emit(Op::Cmp(*op));
                            cleanup.push(self.emit(Op::JumpIfFalseOrPop(0)));
                        } else {
                            self.emit(Op::Cmp(*op));
                        }
                    }
                    let j = self.emit(Op::Jump(0));
                    let c = self.here();
                    for x in cleanup {
                        self.patch(x, c);
                    }
                    self.emit(Op::Rot2);
                    self.emit(Op::Pop);
                    let end = self.here();
                    self.patch(j, end);
                }
            }
            E::Call(f, args) => self.call(e, f, args)?,
            E::Attr(obj, name) => {
                self.expr(obj)?;
                let s = self.sym(name);
                self.emit(Op::LoadAttr(s));
            }
            E::Subscript(obj, idx) => {
                self.check_subscript(obj, idx, e.span.line);
                self.expr(obj)?;
                self.expr(idx)?;
                self.emit(Op::Subscr);
            }
            E::Slice(a, b, c) => {
                for x in [a, b] {
                    match x {
                        Some(x) => self.expr(x)?,
                        None => self.load_const(Value::None),
                    }
                }
                match c {
                    Some(c) => {
                        self.expr(c)?;
                        self.emit(Op::BuildSlice(3));
                    }
                    None => {
                        self.emit(Op::BuildSlice(2));
                    }
                }
            }
            E::List(items) => self.sequence(items, 0)?,
            E::Tuple(items) => self.sequence(items, 1)?,
            E::Set(items) => self.sequence(items, 2)?,
            E::Dict(items) => {
                let simple = items.iter().all(|(k, _)| k.is_some());
                if simple {
                    for (k, v) in items {
                        if let Some(k) = k {
                            self.expr(k)?;
                        }
                        self.expr(v)?;
                    }
                    self.emit(Op::BuildMap(items.len() as u32));
                } else {
                    self.emit(Op::BuildMap(0));
                    for (k, v) in items {
                        match k {
                            Some(k) => {
                                self.expr(k)?;
                                self.expr(v)?;
                                self.emit(Op::MapAdd(1));
                            }
                            None => {
                                self.expr(v)?;
                                self.emit(Op::DictUpdate(1));
                            }
                        }
                    }
                }
            }
            E::Starred(_) => return self.error("can't use starred expression here", e.span),
            E::IfExp(test, body, orelse) => {
                self.expr(test)?;
                let j = self.emit(Op::JumpIfFalse(0));
                self.expr(body)?;
                let j2 = self.emit(Op::Jump(0));
                let h = self.here();
                self.patch(j, h);
                self.expr(orelse)?;
                let h = self.here();
                self.patch(j2, h);
            }
            E::Lambda(f) => self.function(f, e.span)?,
            E::Comp(kind, elt, val, gens) => {
                self.comprehension(e, *kind, elt, val.as_deref(), gens)?
            }
            E::Yield(v) => {
                match v {
                    Some(v) => self.expr(v)?,
                    None => self.load_const(Value::None),
                }
                self.emit(Op::Yield);
            }
            E::YieldFrom(v) => {
                self.expr(v)?;
                self.emit(Op::GetIter);
                let head = self.here();
                let fi = self.emit(Op::ForIter(0));
                self.emit(Op::Yield);
                self.emit(Op::Pop);
                self.emit(Op::Jump(head as u32));
                let end = self.here();
                self.patch(fi, end);
                self.load_const(Value::None);
            }
            E::Named(n, v) => {
                self.expr(v)?;
                self.emit(Op::Dup);
                // a walrus in a comprehension binds in the enclosing function
                self.store_name(n, false);
            }
        }
        Ok(())
    }

    fn fparts(&mut self, parts: &'a [FPart]) -> CR<u32> {
        let mut n = 0;
        for p in parts {
            match p {
                FPart::Lit(s) => {
                    self.load_const(Value::Str(s.as_str().into()));
                }
                FPart::Expr { expr, conv, spec } => {
                    self.expr(expr)?;
                    let mut flags = match conv {
                        Some('s') => 1,
                        Some('r') => 2,
                        Some('a') => 3,
                        _ => 0,
                    };
                    if let Some(spec) = spec {
                        let k = self.fparts(spec)?;
                        if k != 1 || !matches!(spec.first(), Some(FPart::Lit(_))) {
                            self.emit(Op::BuildStr(k));
                        }
                        flags |= 4;
                    }
                    self.emit(Op::Format(flags));
                }
            }
            n += 1;
        }
        if n == 0 {
            self.load_const(Value::str(""));
            n = 1;
        }
        Ok(n)
    }

    /// list (0), tuple (1) or set (2) display, with `*x` unpacking.
    fn sequence(&mut self, items: &'a [Expr], kind: u8) -> CR<()> {
        let has_star = items.iter().any(|i| matches!(i.kind, E::Starred(_)));
        if !has_star {
            for i in items {
                self.expr(i)?;
            }
            let n = items.len() as u32;
            self.emit(match kind {
                0 => Op::BuildList(n),
                1 => Op::BuildTuple(n),
                _ => Op::BuildSet(n),
            });
            return Ok(());
        }
        self.emit(if kind == 2 {
            Op::BuildSet(0)
        } else {
            Op::BuildList(0)
        });
        for i in items {
            match &i.kind {
                E::Starred(inner) => {
                    self.expr(inner)?;
                    self.emit(if kind == 2 {
                        Op::SetUpdate(1)
                    } else {
                        Op::ListExtend(1)
                    });
                }
                _ => {
                    self.expr(i)?;
                    self.emit(if kind == 2 {
                        Op::SetAdd(1)
                    } else {
                        Op::ListAppend(1)
                    });
                }
            }
        }
        if kind == 1 {
            self.emit(Op::ListToTuple);
        }
        Ok(())
    }

    fn call(&mut self, e: &'a Expr, f: &'a Expr, args: &'a [Arg]) -> CR<()> {
        if let Some(t) = literal_type(f) {
            if !matches!(
                f.kind,
                E::Lambda(_) | E::True | E::False | E::None | E::Ellipsis
            ) {
                self.warnings.push((
                    e.span.line,
                    format!("'{t}' object is not callable; perhaps you missed a comma?"),
                ));
            }
        }
        let simple = args.iter().all(|a| matches!(a, Arg::Pos(_) | Arg::Kw(..)));
        let call_span = e.span;
        if simple {
            let method = matches!(f.kind, E::Attr(..));
            if let E::Attr(obj, name) = &f.kind {
                self.expr(obj)?;
                self.set_span(f.span);
                let s = self.sym(name);
                self.emit(Op::LoadMethod(s));
            } else {
                self.expr(f)?;
            }
            let mut kw = Vec::new();
            let mut n = 0;
            for a in args {
                match a {
                    Arg::Pos(x) => {
                        self.expr(x)?;
                        n += 1;
                    }
                    Arg::Kw(k, x) => {
                        self.expr(x)?;
                        kw.push(self.heap.intern(k));
                        n += 1;
                    }
                    _ => {}
                }
            }
            self.set_span(call_span);
            if kw.is_empty() {
                self.emit(if method {
                    Op::CallMethod(n)
                } else {
                    Op::Call(n)
                });
            } else {
                let c = self.code();
                c.kwnames.push(kw);
                let ki = (c.kwnames.len() - 1) as u32;
                self.emit(if method {
                    Op::CallMethodKw(n, ki)
                } else {
                    Op::CallKw(n, ki)
                });
            }
            return Ok(());
        }
        // general form: f(*args, **kwargs)
        self.expr(f)?;
        self.emit(Op::BuildList(0));
        for a in args {
            match a {
                Arg::Pos(x) => {
                    self.expr(x)?;
                    self.emit(Op::ListAppend(1));
                }
                Arg::Star(x) => {
                    self.expr(x)?;
                    self.set_span(call_span);
                    self.emit(Op::CallStar);
                }
                _ => {}
            }
        }
        self.emit(Op::ListToTuple);
        let has_kw = args
            .iter()
            .any(|a| matches!(a, Arg::Kw(..) | Arg::DStar(_)));
        if has_kw {
            self.emit(Op::BuildMap(0));
            for a in args {
                match a {
                    Arg::Kw(k, x) => {
                        self.load_const(Value::Str(k.clone()));
                        self.expr(x)?;
                        self.emit(Op::MapAdd(1));
                    }
                    Arg::DStar(x) => {
                        self.expr(x)?;
                        self.set_span(call_span);
                        self.emit(Op::CallDStar);
                    }
                    _ => {}
                }
            }
        }
        self.set_span(call_span);
        self.emit(Op::CallEx(has_kw));
        Ok(())
    }
}
