//! `len()`, slices and subscripts: getting, setting and deleting items.

use super::range_len;
use crate::sim::python::builtins as bi;
use crate::sim::python::value::*;
use crate::sim::python::vm::{Flow, R};
use crate::sim::python::{Interp, Os};

impl Interp {
    // ------------------------------------------------------------ subscripts

    pub(crate) fn len_of(&mut self, os: &mut dyn Os, v: &Value) -> R<usize> {
        match v {
            Value::Str(s) => Ok(s.chars().count()),
            Value::Bytes(b) => Ok(b.len()),
            Value::Ref(i) => match self.heap.get(*i) {
                Some(Obj::List(l)) | Some(Obj::Tuple(l)) | Some(Obj::Set(l)) => Ok(l.len()),
                Some(Obj::Dict(d)) => Ok(d.len()),
                Some(Obj::DictView(d, _)) => match self.heap.get(*d) {
                    Some(Obj::Dict(e)) => Ok(e.len()),
                    _ => Ok(0),
                },
                Some(Obj::Range(a, b, c)) => Ok(range_len(*a, *b, *c) as usize),
                Some(Obj::Inst(_)) => {
                    if self.key_fields(v).is_some() {
                        return Ok(4);
                    }
                    if let Some(f) = self.lookup_user_method(v, bi::S_LEN) {
                        let r = self.call_sync(os, f, vec![v.clone()], Vec::new())?;
                        let n = self.index_of(&r)?;
                        if n < 0 {
                            return Err(
                                self.exc_flow(Ty::ValueError, "__len__() should return >= 0")
                            );
                        }
                        return Ok(n as usize);
                    }
                    let n = self.type_name(v);
                    Err(self.exc_flow(Ty::TypeError, &format!("object of type '{n}' has no len()")))
                }
                _ => {
                    let n = self.type_name(v);
                    Err(self.exc_flow(Ty::TypeError, &format!("object of type '{n}' has no len()")))
                }
            },
            _ => {
                let n = self.type_name(v);
                Err(self.exc_flow(Ty::TypeError, &format!("object of type '{n}' has no len()")))
            }
        }
    }

    /// Python's slice.indices(len): (start, stop, step) clamped.
    pub(crate) fn slice_indices(&mut self, s: &Value, len: usize) -> R<(i64, i64, i64)> {
        let (a, b, c) = match s {
            Value::Ref(i) => match self.heap.get(*i) {
                Some(Obj::Slice(a, b, c)) => (a.clone(), b.clone(), c.clone()),
                _ => return Err(self.internal("not a slice")),
            },
            _ => return Err(self.internal("not a slice")),
        };
        let idx = |s: &mut Self, v: &Value| -> R<Option<i64>> {
            match v {
                Value::None => Ok(None),
                Value::Int(i) => Ok(Some(*i)),
                Value::Bool(b) => Ok(Some(*b as i64)),
                _ => Err(s.exc_flow(
                    Ty::TypeError,
                    "slice indices must be integers or None or have an __index__ method",
                )),
            }
        };
        let step = idx(self, &c)?.unwrap_or(1);
        if step == 0 {
            return Err(self.exc_flow(Ty::ValueError, "slice step cannot be zero"));
        }
        let len = len as i64;
        let (lo, hi) = if step < 0 { (-1, len - 1) } else { (0, len) };
        let fix = |v: Option<i64>, default: i64| -> i64 {
            match v {
                None => default,
                Some(mut x) => {
                    if x < 0 {
                        x += len;
                        if x < lo {
                            x = lo;
                        }
                    } else if x > hi {
                        x = hi;
                    }
                    x
                }
            }
        };
        let start = fix(idx(self, &a)?, if step < 0 { hi } else { lo });
        let stop = fix(idx(self, &b)?, if step < 0 { lo } else { hi });
        Ok((start, stop, step))
    }

    fn slice_positions(start: i64, stop: i64, step: i64) -> Vec<usize> {
        let mut out = Vec::new();
        let mut i = start;
        if step > 0 {
            while i < stop {
                out.push(i as usize);
                i += step;
            }
        } else {
            while i > stop {
                out.push(i as usize);
                i += step;
            }
        }
        out
    }

    fn is_slice(&self, v: &Value) -> bool {
        matches!(v, Value::Ref(i) if matches!(self.heap.get(*i), Some(Obj::Slice(..))))
    }

    fn seq_index(&mut self, idx: &Value, len: usize, what: &str) -> R<usize> {
        let i = match idx {
            Value::Int(i) => *i,
            Value::Bool(b) => *b as i64,
            other => {
                let n = self.type_name(other);
                return Err(self.exc_flow(
                    Ty::TypeError,
                    &format!("{what} indices must be integers or slices, not {n}"),
                ));
            }
        };
        let j = if i < 0 { i + len as i64 } else { i };
        if j < 0 || j >= len as i64 {
            let msg = match what {
                "string" => "string index out of range",
                "list" => "list index out of range",
                "tuple" => "tuple index out of range",
                "range object" => "range object index out of range",
                _ => "index out of range",
            };
            return Err(self.exc_flow(Ty::IndexError, msg));
        }
        Ok(j as usize)
    }

    pub(crate) fn getitem(&mut self, os: &mut dyn Os, obj: &Value, idx: &Value) -> R<Value> {
        match obj {
            Value::Str(s) => {
                if self.is_slice(idx) {
                    let chars: Vec<char> = s.chars().collect();
                    let (a, b, c) = self.slice_indices(idx, chars.len())?;
                    if c == 1 && s.is_ascii() {
                        let (a, b) = (a as usize, (b.max(a)) as usize);
                        return Ok(Value::Str(s.get(a..b).unwrap_or("").into()));
                    }
                    let out: String = Self::slice_positions(a, b, c)
                        .into_iter()
                        .filter_map(|i| chars.get(i))
                        .collect();
                    return Ok(Value::Str(out.into()));
                }
                if s.is_ascii() {
                    let i = self.seq_index(idx, s.len(), "string")?;
                    return Ok(Value::Str(s.get(i..i + 1).unwrap_or("").into()));
                }
                let n = s.chars().count();
                let i = self.seq_index(idx, n, "string")?;
                Ok(Value::Str(
                    s.chars()
                        .nth(i)
                        .map(|c| c.to_string())
                        .unwrap_or_default()
                        .into(),
                ))
            }
            Value::Bytes(b) => {
                if self.is_slice(idx) {
                    let (x, y, z) = self.slice_indices(idx, b.len())?;
                    let out: Vec<u8> = Self::slice_positions(x, y, z)
                        .into_iter()
                        .filter_map(|i| b.get(i).copied())
                        .collect();
                    return Ok(Value::Bytes(out.into()));
                }
                let i = self.seq_index(idx, b.len(), "byte")?;
                Ok(Value::Int(b.get(i).copied().unwrap_or(0) as i64))
            }
            Value::Ref(r) => {
                let r = *r;
                match self.heap.get(r) {
                    Some(Obj::List(l)) | Some(Obj::Tuple(l)) => {
                        let is_list = matches!(self.heap.get(r), Some(Obj::List(_)));
                        let len = l.len();
                        if self.is_slice(idx) {
                            let (a, b, c) = self.slice_indices(idx, len)?;
                            let l = match self.heap.get(r) {
                                Some(Obj::List(l)) | Some(Obj::Tuple(l)) => l,
                                _ => return Err(self.internal("list")),
                            };
                            let out: Vec<Value> = Self::slice_positions(a, b, c)
                                .into_iter()
                                .filter_map(|i| l.get(i).cloned())
                                .collect();
                            return Ok(if is_list {
                                Value::Ref(self.heap.alloc(Obj::List(out)))
                            } else {
                                self.new_tuple(out)
                            });
                        }
                        let i = self.seq_index(idx, len, if is_list { "list" } else { "tuple" })?;
                        Ok(match self.heap.get(r) {
                            Some(Obj::List(l)) | Some(Obj::Tuple(l)) => {
                                l.get(i).cloned().unwrap_or(Value::None)
                            }
                            _ => Value::None,
                        })
                    }
                    Some(Obj::Dict(_)) => match self.dict_get(obj, idx)? {
                        Some(v) => Ok(v),
                        None => {
                            let e = self.new_exc_args(Ty::KeyError, vec![idx.clone()]);
                            Err(Flow::Exc(e))
                        }
                    },
                    Some(Obj::Range(a, b, c)) => {
                        let (a, b, c) = (*a, *b, *c);
                        let n = range_len(a, b, c) as usize;
                        if self.is_slice(idx) {
                            let (x, y, z) = self.slice_indices(idx, n)?;
                            let clamp =
                                |v: i128| v.clamp(i64::MIN as i128, i64::MAX as i128) as i64;
                            let start = clamp(a as i128 + x as i128 * c as i128);
                            let stop = clamp(a as i128 + y as i128 * c as i128);
                            let step = clamp(z as i128 * c as i128);
                            return Ok(Value::Ref(self.heap.alloc(Obj::Range(start, stop, step))));
                        }
                        let i = self.seq_index(idx, n, "range object")?;
                        Ok(Value::Int(a.wrapping_add((i as i64).wrapping_mul(c))))
                    }
                    Some(Obj::Inst(_)) => {
                        if let Some(t) = self.key_tuple(obj) {
                            return self.getitem(os, &t, idx);
                        }
                        if let Some(f) = self.lookup_user_method(obj, bi::S_GETITEM) {
                            return self.call_sync(
                                os,
                                f,
                                vec![obj.clone(), idx.clone()],
                                Vec::new(),
                            );
                        }
                        self.not_subscriptable(obj)
                    }
                    Some(Obj::Class(_)) => Ok(obj.clone()),
                    _ => self.not_subscriptable(obj),
                }
            }
            Value::Type(_) => Ok(obj.clone()),
            _ => self.not_subscriptable(obj),
        }
    }

    fn not_subscriptable<T>(&mut self, obj: &Value) -> R<T> {
        let n = self.type_name(obj);
        Err(self.exc_flow(Ty::TypeError, &format!("'{n}' object is not subscriptable")))
    }

    pub(crate) fn setitem(&mut self, os: &mut dyn Os, obj: &Value, idx: &Value, v: Value) -> R<()> {
        if let Value::Ref(r) = obj {
            let r = *r;
            match self.heap.get(r) {
                Some(Obj::List(l)) => {
                    let len = l.len();
                    if self.is_slice(idx) {
                        let (a, b, c) = self.slice_indices(idx, len)?;
                        let items = self.iterate(os, &v).map_err(|_| {
                            self.exc_flow(Ty::TypeError, "can only assign an iterable")
                        })?;
                        let Some(Obj::List(l)) = self.heap.get_mut(r) else {
                            return Ok(());
                        };
                        if c == 1 {
                            let (a, b) = (a as usize, (b.max(a)) as usize);
                            let b = b.min(l.len());
                            let a = a.min(b);
                            l.splice(a..b, items);
                            return Ok(());
                        }
                        let pos = Self::slice_positions(a, b, c);
                        if pos.len() != items.len() {
                            let msg = format!(
                                "attempt to assign sequence of size {} to extended slice of size {}",
                                items.len(),
                                pos.len()
                            );
                            return Err(self.exc_flow(Ty::ValueError, &msg));
                        }
                        for (p, it) in pos.into_iter().zip(items) {
                            if let Some(slot) = l.get_mut(p) {
                                *slot = it;
                            }
                        }
                        return Ok(());
                    }
                    let i = match self.seq_index(idx, len, "list") {
                        Ok(i) => i,
                        Err(Flow::Exc(e)) if self.exc_is(&e, Ty::IndexError) => {
                            return Err(
                                self.exc_flow(Ty::IndexError, "list assignment index out of range")
                            )
                        }
                        Err(e) => return Err(e),
                    };
                    let mut old = None;
                    if let Some(Obj::List(l)) = self.heap.get_mut(r) {
                        if let Some(slot) = l.get_mut(i) {
                            old = Some(std::mem::replace(slot, v));
                        }
                    }
                    if let Some(o) = old {
                        if self.is_socket(&o) {
                            self.gc_pending = true;
                        }
                    }
                    return Ok(());
                }
                Some(Obj::Dict(_)) => return self.dict_set(obj, idx.clone(), v),
                Some(Obj::Inst(_)) => {
                    if let Some(f) = self.lookup_user_method(obj, bi::S_SETITEM) {
                        self.call_sync(os, f, vec![obj.clone(), idx.clone(), v], Vec::new())?;
                        return Ok(());
                    }
                }
                _ => {}
            }
        }
        let n = self.type_name(obj);
        Err(self.exc_flow(
            Ty::TypeError,
            &format!("'{n}' object does not support item assignment"),
        ))
    }

    pub(crate) fn delitem(&mut self, os: &mut dyn Os, obj: &Value, idx: &Value) -> R<()> {
        if let Value::Ref(r) = obj {
            let r = *r;
            match self.heap.get(r) {
                Some(Obj::List(l)) => {
                    let len = l.len();
                    if self.is_slice(idx) {
                        let (a, b, c) = self.slice_indices(idx, len)?;
                        let mut pos = Self::slice_positions(a, b, c);
                        if c < 0 {
                            pos.reverse();
                        }
                        if let Some(Obj::List(l)) = self.heap.get_mut(r) {
                            for p in pos.into_iter().rev() {
                                if p < l.len() {
                                    l.remove(p);
                                }
                            }
                        }
                        return Ok(());
                    }
                    let i = match self.seq_index(idx, len, "list") {
                        Ok(i) => i,
                        Err(Flow::Exc(e)) if self.exc_is(&e, Ty::IndexError) => {
                            return Err(
                                self.exc_flow(Ty::IndexError, "list assignment index out of range")
                            )
                        }
                        Err(e) => return Err(e),
                    };
                    if let Some(Obj::List(l)) = self.heap.get_mut(r) {
                        if i < l.len() {
                            l.remove(i);
                        }
                    }
                    self.gc_pending = true;
                    return Ok(());
                }
                Some(Obj::Dict(_)) => {
                    self.hashable(idx)?;
                    let pos = match self.heap.get(r) {
                        Some(Obj::Dict(e)) => e.iter().position(|(k, _)| self.key_eq(k, idx, 0)),
                        _ => None,
                    };
                    match pos {
                        Some(p) => {
                            if let Some(Obj::Dict(e)) = self.heap.get_mut(r) {
                                e.remove(p);
                            }
                            self.gc_pending = true;
                            return Ok(());
                        }
                        None => {
                            let e = self.new_exc_args(Ty::KeyError, vec![idx.clone()]);
                            return Err(Flow::Exc(e));
                        }
                    }
                }
                Some(Obj::Inst(_)) => {
                    if let Some(f) = self.lookup_user_method(obj, bi::S_DELITEM) {
                        self.call_sync(os, f, vec![obj.clone(), idx.clone()], Vec::new())?;
                        return Ok(());
                    }
                }
                _ => {}
            }
        }
        let n = self.type_name(obj);
        Err(self.exc_flow(
            Ty::TypeError,
            &format!("'{n}' object doesn't support item deletion"),
        ))
    }
}
