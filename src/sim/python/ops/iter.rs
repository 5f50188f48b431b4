//! Iteration: iterators, `next()`, unpacking and the fuel that bounds one
//! step.

use super::{range_len, FUEL_PER_STEP, MAX_ITEMS};
use crate::sim::python::builtins as bi;
use crate::sim::python::value::*;
use crate::sim::python::vm::{Flow, R};
use crate::sim::python::{Interp, Os};

impl Interp {
    // ------------------------------------------------------------ iteration

    pub(crate) fn get_iter(&mut self, os: &mut dyn Os, v: &Value) -> R<Value> {
        let it = match v {
            Value::Str(_) | Value::Bytes(_) => Iter::Seq(v.clone(), 0),
            Value::Ref(i) => match self.heap.get(*i) {
                Some(Obj::List(_)) | Some(Obj::Tuple(_)) => Iter::Seq(v.clone(), 0),
                Some(Obj::Set(s)) => {
                    let t = self.new_tuple(s.clone());
                    Iter::Seq(t, 0)
                }
                Some(Obj::Dict(d)) => Iter::Dict(*i, d.len(), 0, 0),
                Some(Obj::DictView(d, k)) => {
                    let (d, k) = (*d, *k);
                    let n = match self.heap.get(d) {
                        Some(Obj::Dict(e)) => e.len(),
                        _ => 0,
                    };
                    Iter::Dict(d, n, k, 0)
                }
                Some(Obj::Range(a, b, c)) => Iter::Range(*a, *b, *c),
                Some(Obj::Iter(_)) | Some(Obj::Gen(_)) => return Ok(v.clone()),
                Some(Obj::Inst(x)) => {
                    if let Native::File(_) = x.native {
                        return Ok(v.clone());
                    }
                    if let Some(t) = self.key_tuple(v) {
                        return self.get_iter(os, &t);
                    }
                    if let Some(f) = self.lookup_user_method(v, bi::S_ITER) {
                        let r = self.call_sync(os, f, vec![v.clone()], Vec::new())?;
                        if !self.is_iterator(&r) {
                            let n = self.type_name(&r);
                            return Err(self.exc_flow(
                                Ty::TypeError,
                                &format!("iter() returned non-iterator of type '{n}'"),
                            ));
                        }
                        return Ok(r);
                    }
                    if self.lookup_user_method(v, bi::S_GETITEM).is_some() {
                        // the old sequence protocol: v[0], v[1], … until IndexError
                        let n = self.type_name(v);
                        return Err(
                            self.exc_flow(Ty::TypeError, &format!("'{n}' object is not iterable"))
                        );
                    }
                    let n = self.type_name(v);
                    return Err(
                        self.exc_flow(Ty::TypeError, &format!("'{n}' object is not iterable"))
                    );
                }
                _ => {
                    let n = self.type_name(v);
                    return Err(
                        self.exc_flow(Ty::TypeError, &format!("'{n}' object is not iterable"))
                    );
                }
            },
            _ => {
                let n = self.type_name(v);
                return Err(self.exc_flow(Ty::TypeError, &format!("'{n}' object is not iterable")));
            }
        };
        Ok(Value::Ref(self.heap.alloc(Obj::Iter(Box::new(it)))))
    }

    pub(crate) fn is_iterator(&self, v: &Value) -> bool {
        match v {
            Value::Ref(i) => match self.heap.get(*i) {
                Some(Obj::Iter(_)) | Some(Obj::Gen(_)) => true,
                Some(Obj::Inst(x)) => {
                    matches!(x.native, Native::File(_))
                        || self.lookup_user_method(v, bi::S_NEXT).is_some()
                }
                _ => false,
            },
            _ => false,
        }
    }

    /// The next item of an iterator, or None at its end.
    pub(crate) fn next(&mut self, os: &mut dyn Os, it: &Value) -> R<Option<Value>> {
        self.burn(1)?;
        let Value::Ref(ix) = it else {
            let n = self.type_name(it);
            return Err(self.exc_flow(Ty::TypeError, &format!("'{n}' object is not an iterator")));
        };
        let ix = *ix;
        let state = match self.heap.get(ix) {
            Some(Obj::Gen(_)) => return self.resume_gen_sync(os, ix, Value::None),
            Some(Obj::Iter(s)) => (**s).clone(),
            Some(Obj::Inst(x)) => {
                if let Native::File(_) = x.native {
                    return self.file_next_line(it);
                }
                let Some(f) = self.lookup_user_method(it, bi::S_NEXT) else {
                    let n = self.type_name(it);
                    return Err(
                        self.exc_flow(Ty::TypeError, &format!("'{n}' object is not an iterator"))
                    );
                };
                return match self.call_sync(os, f, vec![it.clone()], Vec::new()) {
                    Ok(v) => Ok(Some(v)),
                    Err(Flow::Exc(e)) | Err(Flow::Reraise(e))
                        if self.exc_is(&e, Ty::StopIteration) =>
                    {
                        Ok(None)
                    }
                    Err(e) => Err(e),
                };
            }
            _ => {
                let n = self.type_name(it);
                return Err(
                    self.exc_flow(Ty::TypeError, &format!("'{n}' object is not an iterator"))
                );
            }
        };
        let (result, new_state) = match state {
            Iter::Seq(seq, pos) => match &seq {
                Value::Str(s) => match s.get(pos..).and_then(|r| r.chars().next()) {
                    Some(c) => (
                        Some(Value::Str(c.to_string().into())),
                        Iter::Seq(seq.clone(), pos + c.len_utf8()),
                    ),
                    None => (None, Iter::Done),
                },
                Value::Bytes(b) => match b.get(pos) {
                    Some(&c) => (Some(Value::Int(c as i64)), Iter::Seq(seq.clone(), pos + 1)),
                    None => (None, Iter::Done),
                },
                Value::Ref(r) => {
                    let item = match self.heap.get(*r) {
                        Some(Obj::List(l)) | Some(Obj::Tuple(l)) => l.get(pos).cloned(),
                        _ => None,
                    };
                    match item {
                        Some(v) => (Some(v), Iter::Seq(seq.clone(), pos + 1)),
                        None => (None, Iter::Done),
                    }
                }
                _ => (None, Iter::Done),
            },
            Iter::Range(cur, stop, step) => {
                if (step > 0 && cur < stop) || (step < 0 && cur > stop) {
                    let nxt = cur.checked_add(step);
                    (
                        Some(Value::Int(cur)),
                        match nxt {
                            Some(n) => Iter::Range(n, stop, step),
                            None => Iter::Done,
                        },
                    )
                } else {
                    (None, Iter::Done)
                }
            }
            Iter::Dict(d, n, kind, pos) => {
                let entries_len = match self.heap.get(d) {
                    Some(Obj::Dict(e)) => e.len(),
                    _ => 0,
                };
                if entries_len != n {
                    self.set_iter(ix, Iter::Done);
                    return Err(
                        self.exc_flow(Ty::RuntimeError, "dictionary changed size during iteration")
                    );
                }
                let entry = match self.heap.get(d) {
                    Some(Obj::Dict(e)) => e.get(pos).cloned(),
                    _ => None,
                };
                match entry {
                    Some((k, v)) => {
                        let out = match kind {
                            0 => k,
                            1 => v,
                            _ => self.new_tuple(vec![k, v]),
                        };
                        (Some(out), Iter::Dict(d, n, kind, pos + 1))
                    }
                    None => (None, Iter::Done),
                }
            }
            Iter::Enumerate(inner, n) => match self.next(os, &inner)? {
                Some(v) => {
                    let t = self.new_tuple(vec![Value::Int(n), v]);
                    (Some(t), Iter::Enumerate(inner, n + 1))
                }
                None => (None, Iter::Done),
            },
            Iter::Zip(its) => {
                let mut items = Vec::with_capacity(its.len());
                let mut done = its.is_empty();
                for i in &its {
                    match self.next(os, i)? {
                        Some(v) => items.push(v),
                        None => {
                            done = true;
                            break;
                        }
                    }
                }
                if done {
                    (None, Iter::Done)
                } else {
                    let t = self.new_tuple(items);
                    (Some(t), Iter::Zip(its))
                }
            }
            Iter::Reversed(seq, n) => {
                if n == 0 {
                    (None, Iter::Done)
                } else {
                    let item = match &seq {
                        Value::Str(s) => s
                            .chars()
                            .nth(n - 1)
                            .map(|c| Value::Str(c.to_string().into())),
                        Value::Bytes(b) => b.get(n - 1).map(|&c| Value::Int(c as i64)),
                        Value::Ref(r) => match self.heap.get(*r) {
                            Some(Obj::List(l)) | Some(Obj::Tuple(l)) => l.get(n - 1).cloned(),
                            Some(Obj::Range(a, _, c)) => {
                                Some(Value::Int(a.wrapping_add((n as i64 - 1).wrapping_mul(*c))))
                            }
                            _ => None,
                        },
                        _ => None,
                    };
                    match item {
                        Some(v) => (Some(v), Iter::Reversed(seq, n - 1)),
                        None => (None, Iter::Done),
                    }
                }
            }
            Iter::Map(f, its) => {
                let mut args = Vec::with_capacity(its.len());
                let mut done = false;
                for i in &its {
                    match self.next(os, i)? {
                        Some(v) => args.push(v),
                        None => {
                            done = true;
                            break;
                        }
                    }
                }
                if done {
                    (None, Iter::Done)
                } else {
                    let r = self.call_sync(os, f.clone(), args, Vec::new())?;
                    (Some(r), Iter::Map(f, its))
                }
            }
            Iter::Filter(f, inner) => {
                let mut out = None;
                while let Some(v) = self.next(os, &inner)? {
                    let keep = if f == Value::None {
                        self.truthy(os, &v)?
                    } else {
                        let r = self.call_sync(os, f.clone(), vec![v.clone()], Vec::new())?;
                        self.truthy(os, &r)?
                    };
                    if keep {
                        out = Some(v);
                        break;
                    }
                }
                match out {
                    Some(v) => (Some(v), Iter::Filter(f, inner)),
                    None => (None, Iter::Done),
                }
            }
            Iter::Callable(f, sentinel) => {
                let v = self.call_sync(os, f.clone(), Vec::new(), Vec::new())?;
                if self.eq(os, &v, &sentinel)? {
                    (None, Iter::Done)
                } else {
                    (Some(v), Iter::Callable(f, sentinel))
                }
            }
            Iter::Done => (None, Iter::Done),
        };
        self.set_iter(ix, new_state);
        Ok(result)
    }

    /// Native work (a built-in looping over an iterator) is limited per
    /// step, so `all(range(10**18))` cannot freeze the host: past the
    /// limit it raises RuntimeError. (CPython would just run for ages.)
    pub(crate) fn burn(&mut self, n: u64) -> R<()> {
        self.fuel = self.fuel.saturating_add(n);
        if self.fuel > FUEL_PER_STEP {
            return Err(self.exc_flow(
                Ty::RuntimeError,
                "this statement ran too long for the simulation (more than 20 million iterations)",
            ));
        }
        Ok(())
    }

    fn set_iter(&mut self, ix: Ix, st: Iter) {
        if let Some(Obj::Iter(s)) = self.heap.get_mut(ix) {
            **s = st;
        }
    }

    /// All items of an iterable.
    pub(crate) fn iterate(&mut self, os: &mut dyn Os, v: &Value) -> R<Vec<Value>> {
        match v {
            Value::Ref(i) => match self.heap.get(*i) {
                Some(Obj::List(l)) | Some(Obj::Tuple(l)) | Some(Obj::Set(l)) => {
                    return Ok(l.clone())
                }
                Some(Obj::Dict(d)) => return Ok(d.iter().map(|(k, _)| k.clone()).collect()),
                Some(Obj::Range(a, b, c)) => {
                    let (a, b, c) = (*a, *b, *c);
                    let n = range_len(a, b, c);
                    self.check_size(n as usize)?;
                    return Ok((0..n).map(|k| Value::Int(a + k * c)).collect());
                }
                _ => {}
            },
            Value::Str(s) => {
                self.check_size(s.len())?;
                return Ok(s
                    .chars()
                    .map(|c| Value::Str(c.to_string().into()))
                    .collect());
            }
            Value::Bytes(b) => return Ok(b.iter().map(|&c| Value::Int(c as i64)).collect()),
            _ => {}
        }
        let it = self.get_iter(os, v)?;
        let mut out = Vec::new();
        while let Some(x) = self.next(os, &it)? {
            out.push(x);
            if out.len() > MAX_ITEMS {
                return Err(self.exc_flow(Ty::MemoryError, ""));
            }
        }
        Ok(out)
    }

    pub(crate) fn seq_items(&mut self, v: &Value) -> R<Vec<Value>> {
        match v {
            Value::Ref(i) => match self.heap.get(*i) {
                Some(Obj::List(l)) | Some(Obj::Tuple(l)) => Ok(l.clone()),
                _ => Err(self.internal("not a sequence")),
            },
            _ => Err(self.internal("not a sequence")),
        }
    }

    /// Unpacks into `n` values (or `n` before a starred target and `after`
    /// after it).
    pub(crate) fn unpack(
        &mut self,
        os: &mut dyn Os,
        v: &Value,
        n: usize,
        after: Option<usize>,
    ) -> R<Vec<Value>> {
        let iterable = match v {
            Value::Str(_) | Value::Bytes(_) => true,
            Value::Ref(i) => {
                !matches!(
                    self.heap.get(*i),
                    Some(
                        Obj::Func(_)
                            | Obj::Class(_)
                            | Obj::Module(_)
                            | Obj::Bound(..)
                            | Obj::BoundNative(..)
                    )
                ) && (self.heap.inst(v).is_none()
                    || self.key_fields(v).is_some()
                    || self.lookup_user_method(v, bi::S_ITER).is_some()
                    || self.is_iterator(v))
            }
            _ => false,
        };
        if !iterable {
            let t = self.type_name(v);
            return Err(self.exc_flow(
                Ty::TypeError,
                &format!("cannot unpack non-iterable {t} object"),
            ));
        }
        let items = self.iterate(os, v)?;
        match after {
            None => {
                if items.len() < n {
                    let got = items.len();
                    return Err(self.exc_flow(
                        Ty::ValueError,
                        &format!("not enough values to unpack (expected {n}, got {got})"),
                    ));
                }
                if items.len() > n {
                    return Err(self.exc_flow(
                        Ty::ValueError,
                        &format!("too many values to unpack (expected {n})"),
                    ));
                }
                Ok(items)
            }
            Some(k) => {
                if items.len() < n + k {
                    let got = items.len();
                    return Err(self.exc_flow(
                        Ty::ValueError,
                        &format!(
                            "not enough values to unpack (expected at least {}, got {got})",
                            n + k
                        ),
                    ));
                }
                let mut items = items;
                let tail = items.split_off(items.len() - k);
                let middle = items.split_off(n);
                let l = Value::Ref(self.heap.alloc(Obj::List(middle)));
                items.push(l);
                items.extend(tail);
                Ok(items)
            }
        }
    }

    pub(crate) fn is_callable(&self, v: &Value) -> bool {
        match v {
            Value::Builtin(_) | Value::Type(_) => true,
            Value::Ref(i) => match self.heap.get(*i) {
                Some(
                    Obj::Func(_)
                    | Obj::Class(_)
                    | Obj::Bound(..)
                    | Obj::BoundNative(..)
                    | Obj::StaticMethod(_),
                ) => true,
                Some(Obj::Inst(_)) => self.lookup_user_method(v, bi::S_CALL).is_some(),
                _ => false,
            },
            _ => false,
        }
    }
}
