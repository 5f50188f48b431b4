//! `exec_cold`: every instruction `exec` does not handle, and the slow
//! paths of those it does: names, attributes, calls, operators, the stack,
//! building collections. The rest (control flow, functions and classes,
//! exceptions, `with`, imports) is `exec_cold_flow`, in `exec_flow.rs`.

use super::*;

impl Interp {
    #[inline(never)]
    pub(super) fn exec_cold(&mut self, os: &mut dyn Os, op: Op) -> R<Ctl> {
        macro_rules! next {
            () => {{
                frame!(self).ip += 1;
                return Ok(Ctl::Next);
            }};
        }
        match op {
            Op::Stmt(_) => {
                if self.heap.allocated > self.gc_threshold || self.gc_pending {
                    self.gc_pending = false;
                    self.collect(os);
                }
                next!()
            }
            Op::Const(i) => {
                let f = frame!(self);
                let v = f
                    .code
                    .consts
                    .get(i as usize)
                    .cloned()
                    .unwrap_or(Value::None);
                f.stack.push(v);
                next!()
            }
            Op::LoadFast(i) => {
                let f = frame!(self);
                match f.fast.get(i as usize) {
                    Some(Some(v)) => {
                        let v = v.clone();
                        f.stack.push(v);
                        next!()
                    }
                    _ => {
                        let name = f.code.varnames.get(i as usize).copied().unwrap_or(0);
                        let n = self.heap.name(name).to_string();
                        Err(self.exc_flow(
                            Ty::UnboundLocalError,
                            &format!("cannot access local variable '{n}' where it is not associated with a value"),
                        ))
                    }
                }
            }
            Op::StoreFast(i) => {
                let v = self.pop()?;
                let f = frame!(self);
                let old = f.fast.get_mut(i as usize).and_then(|s| s.replace(v));
                if let Some(old) = old {
                    self.note_drop(&old);
                }
                next!()
            }
            Op::DelFast(i) => {
                let f = frame!(self);
                match f.fast.get_mut(i as usize).and_then(|s| s.take()) {
                    Some(old) => {
                        self.note_drop(&old);
                        next!()
                    }
                    None => {
                        let name = f.code.varnames.get(i as usize).copied().unwrap_or(0);
                        let n = self.heap.name(name).to_string();
                        Err(self.exc_flow(
                            Ty::UnboundLocalError,
                            &format!("cannot access local variable '{n}' where it is not associated with a value"),
                        ))
                    }
                }
            }
            Op::LoadDeref(i) | Op::LoadClassDeref(_, i) => {
                if let Op::LoadClassDeref(s, _) = op {
                    let f = frame!(self);
                    if let Some(v) = f.ns.as_ref().and_then(|ns| ns_get(ns, s)).cloned() {
                        f.stack.push(v);
                        next!()
                    }
                }
                let cell = frame!(self).cells.get(i as usize).copied();
                let v = cell.and_then(|c| match self.heap.get(c) {
                    Some(Obj::Cell(v)) => v.clone(),
                    _ => None,
                });
                match v {
                    Some(v) => {
                        self.push(v)?;
                        next!()
                    }
                    None => {
                        let name = self.cell_name(i);
                        Err(self.exc_flow(
                            Ty::NameError,
                            &format!("cannot access free variable '{name}' where it is not associated with a value in enclosing scope"),
                        ))
                    }
                }
            }
            Op::StoreDeref(i) | Op::DelDeref(i) => {
                let v = if matches!(op, Op::StoreDeref(_)) {
                    Some(self.pop()?)
                } else {
                    None
                };
                let cell = frame!(self).cells.get(i as usize).copied();
                if let Some(c) = cell {
                    if let Some(Obj::Cell(slot)) = self.heap.get_mut(c) {
                        *slot = v;
                    }
                }
                next!()
            }
            Op::LoadGlobal(s) | Op::LoadName(s) => {
                let f = frame!(self);
                if let Op::LoadName(_) = op {
                    if let Some(v) = f.ns.as_ref().and_then(|ns| ns_get(ns, s)).cloned() {
                        f.stack.push(v);
                        next!()
                    }
                }
                let g = f.globals;
                let v = match self.heap.get(g) {
                    Some(Obj::Module(m)) => ns_get(&m.ns, s).cloned(),
                    _ => None,
                };
                let v = match v {
                    Some(v) => v,
                    None => match bi::builtin(s) {
                        Some(v) => v,
                        None => {
                            let n = self.heap.name(s).to_string();
                            let e =
                                self.new_exc(Ty::NameError, &format!("name '{n}' is not defined"));
                            let ns = self.heap.intern("name");
                            let nv = Value::Str(self.heap.name_rc(s));
                            if let Some(x) = self.heap.inst_mut(&e) {
                                x.attrs.push((ns, nv));
                            }
                            return Err(Flow::Exc(e));
                        }
                    },
                };
                self.push(v)?;
                next!()
            }
            Op::StoreName(s) | Op::StoreGlobal(s) => {
                let v = self.pop()?;
                let f = frame!(self);
                if let (Op::StoreName(_), Some(ns)) = (op, f.ns.as_mut()) {
                    ns_set(ns, s, v);
                    next!()
                }
                let g = f.globals;
                let old = match self.heap.get_mut(g) {
                    Some(Obj::Module(m)) => ns_set(&mut m.ns, s, v),
                    _ => None,
                };
                if let Some(old) = old {
                    self.note_drop(&old);
                }
                next!()
            }
            Op::DelName(s) | Op::DelGlobal(s) => {
                let f = frame!(self);
                if let (Op::DelName(_), Some(ns)) = (op, f.ns.as_mut()) {
                    if ns_del(ns, s).is_some() {
                        next!()
                    }
                }
                let g = f.globals;
                let old = match self.heap.get_mut(g) {
                    Some(Obj::Module(m)) => ns_del(&mut m.ns, s),
                    _ => None,
                };
                match old {
                    Some(old) => {
                        self.note_drop(&old);
                        next!()
                    }
                    None => {
                        let n = self.heap.name(s).to_string();
                        Err(self.exc_flow(Ty::NameError, &format!("name '{n}' is not defined")))
                    }
                }
            }
            Op::LoadAttr(s) => {
                let obj = self.peek(0)?;
                let v = self.getattr(os, &obj, s)?;
                let f = frame!(self);
                f.stack.pop();
                f.stack.push(v);
                next!()
            }
            Op::StoreAttr(s) => {
                let obj = self.peek(0)?;
                let v = self.peek(1)?;
                self.setattr(os, &obj, s, v)?;
                self.popn(2)?;
                next!()
            }
            Op::DelAttr(s) => {
                let obj = self.peek(0)?;
                self.delattr(&obj, s)?;
                self.pop()?;
                next!()
            }
            Op::LoadMethod(s) => {
                let obj = self.peek(0)?;
                let (a, b) = self.load_method(os, &obj, s)?;
                let f = frame!(self);
                f.stack.pop();
                f.stack.push(a);
                f.stack.push(b);
                next!()
            }
            Op::CallMethod(n) => self.do_call(os, n as usize, None, true),
            Op::CallMethodKw(n, k) => self.do_call(os, n as usize, Some(k), true),
            Op::Call(n) => self.do_call(os, n as usize, None, false),
            Op::CallKw(n, k) => self.do_call(os, n as usize, Some(k), false),
            Op::CallStar => {
                let v = self.pop()?;
                let target = self.peek(0)?;
                let f = self.peek(1)?;
                let (items, _) = self.expand_call_args(os, &f, &v, &Value::None)?;
                if let Value::Ref(i) = target {
                    if let Some(Obj::List(l)) = self.heap.get_mut(i) {
                        l.extend(items);
                    }
                }
                next!()
            }
            Op::CallDStar => {
                let v = self.pop()?;
                let target = self.peek(0)?;
                let f = self.peek(2)?;
                let (_, kw) = self.expand_call_args(os, &f, &Value::None, &v)?;
                for (k, val) in kw {
                    let ks = Value::Str(self.heap.name_rc(k));
                    self.dict_set(&target, ks, val)?;
                }
                next!()
            }
            Op::CallEx(has_kw) => {
                let kwargs = if has_kw { Some(self.peek(0)?) } else { None };
                let d = has_kw as usize;
                let args = self.peek(d)?;
                let f = self.peek(d + 1)?;
                let args = self.seq_items(&args)?;
                let mut kw = Vec::new();
                if let Some(k) = kwargs {
                    for (key, v) in self.dict_items(&k)? {
                        match key {
                            Value::Str(s) => kw.push((self.heap.intern(&s), v)),
                            _ => {
                                return Err(self.exc_flow(Ty::TypeError, "keywords must be strings"))
                            }
                        }
                    }
                }
                let py = self.is_py_callable(&f);
                if py {
                    let fr = frame!(self);
                    let n = fr.stack.len().saturating_sub(d + 2);
                    fr.stack.truncate(n);
                }
                let c = self.call(os, f, args, kw, Mode::Op)?;
                if let Called::Val(v) = c {
                    let fr = frame!(self);
                    if !py {
                        let n = fr.stack.len().saturating_sub(d + 2);
                        fr.stack.truncate(n);
                    }
                    fr.stack.push(v);
                    fr.ip += 1;
                }
                Ok(Ctl::Next)
            }
            Op::Subscr => {
                let idx = self.peek(0)?;
                let obj = self.peek(1)?;
                let v = self.getitem(os, &obj, &idx)?;
                let f = frame!(self);
                let n = f.stack.len().saturating_sub(2);
                f.stack.truncate(n);
                f.stack.push(v);
                next!()
            }
            Op::StoreSubscr => {
                let idx = self.peek(0)?;
                let obj = self.peek(1)?;
                let v = self.peek(2)?;
                self.setitem(os, &obj, &idx, v)?;
                self.popn(3)?;
                next!()
            }
            Op::DelSubscr => {
                let idx = self.peek(0)?;
                let obj = self.peek(1)?;
                self.delitem(os, &obj, &idx)?;
                self.popn(2)?;
                next!()
            }
            Op::Bin(bop) | Op::Inplace(bop) => {
                let f = frame!(self);
                let n = f.stack.len();
                // the fast path: two small ints
                if let (Some(Value::Int(a)), Some(Value::Int(b))) = (
                    f.stack.get(n.wrapping_sub(2)),
                    f.stack.get(n.wrapping_sub(1)),
                ) {
                    let (a, b) = (*a, *b);
                    let r = match bop {
                        BinOp::Add => a.checked_add(b),
                        BinOp::Sub => a.checked_sub(b),
                        BinOp::Mul => a.checked_mul(b),
                        BinOp::Mod if b > 0 && a >= 0 => Some(a % b),
                        BinOp::FloorDiv if b > 0 && a >= 0 => Some(a / b),
                        _ => None,
                    };
                    if let Some(r) = r {
                        f.stack.truncate(n - 2);
                        f.stack.push(Value::Int(r));
                        f.ip += 1;
                        return Ok(Ctl::Next);
                    }
                }
                let b = self.peek(0)?;
                let a = self.peek(1)?;
                let v = self.binary(os, bop, &a, &b, matches!(op, Op::Inplace(_)))?;
                let f = frame!(self);
                let n = f.stack.len().saturating_sub(2);
                f.stack.truncate(n);
                f.stack.push(v);
                next!()
            }
            Op::Unary(uop) => {
                let a = self.peek(0)?;
                let v = self.unary(os, uop, &a)?;
                let f = frame!(self);
                f.stack.pop();
                f.stack.push(v);
                next!()
            }
            Op::Cmp(cop) => {
                let f = frame!(self);
                let n = f.stack.len();
                if let (Some(Value::Int(a)), Some(Value::Int(b))) = (
                    f.stack.get(n.wrapping_sub(2)),
                    f.stack.get(n.wrapping_sub(1)),
                ) {
                    let (a, b) = (*a, *b);
                    let r = match cop {
                        CmpOp::Lt => Some(a < b),
                        CmpOp::Le => Some(a <= b),
                        CmpOp::Gt => Some(a > b),
                        CmpOp::Ge => Some(a >= b),
                        CmpOp::Eq => Some(a == b),
                        CmpOp::Ne => Some(a != b),
                        _ => None,
                    };
                    if let Some(r) = r {
                        f.stack.truncate(n - 2);
                        f.stack.push(Value::Bool(r));
                        f.ip += 1;
                        return Ok(Ctl::Next);
                    }
                }
                let b = self.peek(0)?;
                let a = self.peek(1)?;
                let v = self.compare(os, cop, &a, &b)?;
                let f = frame!(self);
                let n = f.stack.len().saturating_sub(2);
                f.stack.truncate(n);
                f.stack.push(v);
                next!()
            }
            Op::Pop => {
                let v = self.pop()?;
                self.note_drop(&v);
                next!()
            }
            Op::Dup => {
                let v = self.peek(0)?;
                self.push(v)?;
                next!()
            }
            Op::Dup2 => {
                let b = self.peek(0)?;
                let a = self.peek(1)?;
                self.push(a)?;
                self.push(b)?;
                next!()
            }
            Op::Rot2 => {
                let f = frame!(self);
                let n = f.stack.len();
                if n >= 2 {
                    f.stack.swap(n - 1, n - 2);
                }
                next!()
            }
            Op::Rot3 => {
                let f = frame!(self);
                let n = f.stack.len();
                if n >= 3 {
                    // a b c -> c a b
                    if let Some(top) = f.stack.pop() {
                        f.stack.insert(n - 3, top);
                    }
                }
                next!()
            }
            Op::BuildTuple(n) => {
                let items = self.popn(n as usize)?;
                let t = self.new_tuple(items);
                self.push(t)?;
                next!()
            }
            Op::BuildList(n) => {
                let items = self.popn(n as usize)?;
                let l = Value::Ref(self.heap.alloc(Obj::List(items)));
                self.push(l)?;
                next!()
            }
            Op::BuildSet(n) => {
                let items = self.popn(n as usize)?;
                let s = self.new_set(items)?;
                self.push(s)?;
                next!()
            }
            Op::BuildMap(n) => {
                let items = self.popn(2 * n as usize)?;
                let d = Value::Ref(self.heap.alloc(Obj::Dict(Vec::new())));
                let mut it = items.into_iter();
                while let (Some(k), Some(v)) = (it.next(), it.next()) {
                    self.dict_set(&d, k, v)?;
                }
                self.push(d)?;
                next!()
            }
            Op::BuildSlice(n) => {
                let items = self.popn(n as usize)?;
                let mut it = items.into_iter();
                let a = it.next().unwrap_or(Value::None);
                let b = it.next().unwrap_or(Value::None);
                let c = it.next().unwrap_or(Value::None);
                let s = Value::Ref(self.heap.alloc(Obj::Slice(a, b, c)));
                self.push(s)?;
                next!()
            }
            Op::BuildStr(n) => {
                let items = self.popn(n as usize)?;
                let mut s = String::new();
                for i in items {
                    if let Value::Str(p) = i {
                        s.push_str(&p);
                    }
                }
                self.push(Value::Str(s.into()))?;
                next!()
            }
            Op::ListAppend(d) | Op::SetAdd(d) | Op::ListExtend(d) | Op::SetUpdate(d) => {
                let v = self.pop()?;
                let target = self.peek((d as usize).saturating_sub(1))?;
                match op {
                    Op::ListAppend(_) => {
                        let mut too_big = false;
                        if let Value::Ref(i) = target {
                            if let Some(Obj::List(l)) = self.heap.get_mut(i) {
                                l.push(v);
                                too_big = l.len() > super::super::ops::MAX_ITEMS;
                            }
                        }
                        if too_big {
                            return Err(self.exc_flow(Ty::MemoryError, ""));
                        }
                    }
                    Op::SetAdd(_) => self.set_add(&target, v)?,
                    Op::ListExtend(_) => {
                        let items = self.iterate(os, &v).map_err(|e| self.star_error(e, &v))?;
                        if let Value::Ref(i) = target {
                            if let Some(Obj::List(l)) = self.heap.get_mut(i) {
                                l.extend(items);
                            }
                        }
                    }
                    _ => {
                        let items = self.iterate(os, &v)?;
                        for it in items {
                            self.set_add(&target, it)?;
                        }
                    }
                }
                next!()
            }
            Op::MapAdd(d) => {
                let v = self.pop()?;
                let k = self.pop()?;
                let target = self.peek((d as usize).saturating_sub(1))?;
                self.dict_set(&target, k, v)?;
                next!()
            }
            Op::DictUpdate(d) => {
                let v = self.pop()?;
                let target = self.peek((d as usize).saturating_sub(1))?;
                let items = match self.dict_items(&v) {
                    Ok(i) => i,
                    Err(_) => {
                        let n = self.type_name(&v);
                        return Err(self.exc_flow(
                            Ty::TypeError,
                            &format!("argument after ** must be a mapping, not {n}"),
                        ));
                    }
                };
                for (k, val) in items {
                    self.dict_set(&target, k, val)?;
                }
                next!()
            }
            Op::ListToTuple => {
                let v = self.pop()?;
                let items = match &v {
                    Value::Ref(i) => match self.heap.get(*i) {
                        Some(Obj::List(l)) => l.clone(),
                        _ => Vec::new(),
                    },
                    _ => Vec::new(),
                };
                let t = self.new_tuple(items);
                self.push(t)?;
                next!()
            }
            Op::Format(flags) => {
                let spec = if flags & 4 != 0 {
                    match self.pop()? {
                        Value::Str(s) => Some(s),
                        _ => None,
                    }
                } else {
                    None
                };
                let v = self.pop()?;
                let v = match flags & 3 {
                    1 => Value::Str(self.str_of(os, &v)?),
                    2 => Value::Str(self.repr(os, &v)?),
                    3 => Value::Str(self.ascii(os, &v)?),
                    _ => v,
                };
                let s = match (&v, &spec) {
                    (Value::Str(s), None) => s.clone(),
                    _ => self.format(os, &v, spec.as_deref().unwrap_or(""))?,
                };
                self.push(Value::Str(s))?;
                next!()
            }
            // control flow, functions and classes, exceptions, `with`, imports
            op => self.exec_cold_flow(os, op),
        }
    }
}
