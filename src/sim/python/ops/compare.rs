//! Truth, comparison and ordering (`==`, `<`…) and membership (`in`).

use super::range_len;
use crate::sim::python::ast::CmpOp;
use crate::sim::python::builtins as bi;
use crate::sim::python::value::*;
use crate::sim::python::vm::R;
use crate::sim::python::{Interp, Os};
use std::rc::Rc;

impl Interp {
    pub(crate) fn truthy(&mut self, os: &mut dyn Os, v: &Value) -> R<bool> {
        Ok(match v {
            Value::None | Value::Null => false,
            Value::Bool(b) => *b,
            Value::Int(i) => *i != 0,
            Value::Float(f) => f.0 != 0.0,
            Value::Str(s) => !s.is_empty(),
            Value::Bytes(b) => !b.is_empty(),
            Value::Ref(i) => match self.heap.get(*i) {
                Some(Obj::List(l)) | Some(Obj::Tuple(l)) | Some(Obj::Set(l)) => !l.is_empty(),
                Some(Obj::Dict(d)) => !d.is_empty(),
                Some(Obj::Range(..)) | Some(Obj::DictView(..)) => self.len_of(os, v)? > 0,
                Some(Obj::Inst(_)) => {
                    if let Some(f) = self.lookup_user_method(v, bi::S_BOOL) {
                        let r = self.call_sync(os, f, vec![v.clone()], Vec::new())?;
                        match r {
                            Value::Bool(b) => b,
                            other => {
                                let n = self.type_name(&other);
                                return Err(self.exc_flow(
                                    Ty::TypeError,
                                    &format!("__bool__ should return bool, returned {n}"),
                                ));
                            }
                        }
                    } else if let Some(f) = self.lookup_user_method(v, bi::S_LEN) {
                        let r = self.call_sync(os, f, vec![v.clone()], Vec::new())?;
                        self.index_of(&r)? != 0
                    } else {
                        true
                    }
                }
                _ => true,
            },
            _ => true,
        })
    }

    /// `a is b`
    pub(crate) fn identical(a: &Value, b: &Value) -> bool {
        match (a, b) {
            (Value::Str(x), Value::Str(y)) => Rc::ptr_eq(x, y) || x == y,
            _ => a == b,
        }
    }

    pub(crate) fn compare(&mut self, os: &mut dyn Os, op: CmpOp, a: &Value, b: &Value) -> R<Value> {
        Ok(Value::Bool(match op {
            CmpOp::Eq => self.eq(os, a, b)?,
            CmpOp::Ne => {
                if let Some(f) = self.lookup_user_method(a, bi::S_NE) {
                    let r = self.call_sync(os, f, vec![a.clone(), b.clone()], Vec::new())?;
                    if r != Value::NotImplemented {
                        return Ok(r);
                    }
                }
                !self.eq(os, a, b)?
            }
            CmpOp::Is => Self::identical(a, b),
            CmpOp::IsNot => !Self::identical(a, b),
            CmpOp::In => self.contains(os, b, a)?,
            CmpOp::NotIn => !self.contains(os, b, a)?,
            _ => return self.ordering(os, op, a, b, 0),
        }))
    }

    pub(crate) fn eq(&mut self, os: &mut dyn Os, a: &Value, b: &Value) -> R<bool> {
        self.eq_depth(os, a, b, 0)
    }

    fn eq_depth(&mut self, os: &mut dyn Os, a: &Value, b: &Value, depth: u32) -> R<bool> {
        if depth > 200 {
            return Err(self.exc_flow(
                Ty::RecursionError,
                "maximum recursion depth exceeded in comparison",
            ));
        }
        match (a, b) {
            (Value::Int(x), Value::Int(y)) => return Ok(x == y),
            (Value::Str(x), Value::Str(y)) => return Ok(x == y),
            (Value::Bytes(x), Value::Bytes(y)) => return Ok(x == y),
            (Value::None, Value::None) => return Ok(true),
            _ => {}
        }
        if let (Some(x), Some(y)) = (Self::num(a), Self::num(b)) {
            if let (Some(i), Some(j)) = (Self::int(a), Self::int(b)) {
                return Ok(i == j);
            }
            return Ok(x == y);
        }
        // user __eq__
        for (x, y) in [(a, b), (b, a)] {
            if let Some(f) = self.lookup_user_method(x, bi::S_EQ) {
                let r = self.call_sync(os, f, vec![x.clone(), y.clone()], Vec::new())?;
                if r != Value::NotImplemented {
                    return self.truthy(os, &r);
                }
            }
        }
        if let (Value::Ref(x), Value::Ref(y)) = (a, b) {
            if x == y {
                return Ok(true);
            }
            let (x, y) = (*x, *y);
            let pair = match (self.heap.get(x), self.heap.get(y)) {
                (Some(Obj::List(l)), Some(Obj::List(m)))
                | (Some(Obj::Tuple(l)), Some(Obj::Tuple(m))) => Some((l.clone(), m.clone())),
                (Some(Obj::Dict(l)), Some(Obj::Dict(m))) => {
                    if l.len() != m.len() {
                        return Ok(false);
                    }
                    let (l, m) = (l.clone(), m.clone());
                    for (k, v) in l {
                        let found = self.find_key(&m, &k)?;
                        match found.and_then(|i| m.get(i)) {
                            Some((_, v2)) => {
                                let v2 = v2.clone();
                                if !self.eq_depth(os, &v, &v2, depth + 1)? {
                                    return Ok(false);
                                }
                            }
                            None => return Ok(false),
                        }
                    }
                    return Ok(true);
                }
                (Some(Obj::Set(l)), Some(Obj::Set(m))) => {
                    if l.len() != m.len() {
                        return Ok(false);
                    }
                    let (l, m) = (l.clone(), m.clone());
                    for v in l {
                        if !self.contains_value(&m, &v)? {
                            return Ok(false);
                        }
                    }
                    return Ok(true);
                }
                (Some(Obj::Range(a1, b1, c1)), Some(Obj::Range(a2, b2, c2))) => {
                    let (l1, l2) = (range_len(*a1, *b1, *c1), range_len(*a2, *b2, *c2));
                    return Ok(l1 == l2 && (l1 == 0 || (a1 == a2 && (l1 == 1 || c1 == c2))));
                }
                (Some(Obj::Bound(s1, f1)), Some(Obj::Bound(s2, f2))) => {
                    return Ok(s1 == s2 && f1 == f2);
                }
                _ => None,
            };
            if let Some((l, m)) = pair {
                if l.len() != m.len() {
                    return Ok(false);
                }
                for (p, q) in l.iter().zip(m.iter()) {
                    if !Self::identical(p, q) && !self.eq_depth(os, p, q, depth + 1)? {
                        return Ok(false);
                    }
                }
                return Ok(true);
            }
            return Ok(false);
        }
        Ok(a == b)
    }

    fn ordering(
        &mut self,
        os: &mut dyn Os,
        op: CmpOp,
        a: &Value,
        b: &Value,
        depth: u32,
    ) -> R<Value> {
        use std::cmp::Ordering;
        let ord: Option<Ordering> = match (a, b) {
            (Value::Str(x), Value::Str(y)) => Some(x.cmp(y)),
            (Value::Bytes(x), Value::Bytes(y)) => Some(x.cmp(y)),
            _ => {
                if let (Some(i), Some(j)) = (Self::int(a), Self::int(b)) {
                    Some(i.cmp(&j))
                } else if let (Some(x), Some(y)) = (Self::num(a), Self::num(b)) {
                    match x.partial_cmp(&y) {
                        Some(o) => Some(o),
                        None => return Ok(Value::Bool(false)),
                    }
                } else {
                    None
                }
            }
        };
        let test = |o: Ordering| match op {
            CmpOp::Lt => o == Ordering::Less,
            CmpOp::Le => o != Ordering::Greater,
            CmpOp::Gt => o == Ordering::Greater,
            _ => o != Ordering::Less,
        };
        if let Some(o) = ord {
            return Ok(Value::Bool(test(o)));
        }
        // sequences: lexicographic
        if let (Value::Ref(x), Value::Ref(y)) = (a, b) {
            let pair = match (self.heap.get(*x), self.heap.get(*y)) {
                (Some(Obj::List(l)), Some(Obj::List(m)))
                | (Some(Obj::Tuple(l)), Some(Obj::Tuple(m))) => Some((l.clone(), m.clone())),
                (Some(Obj::Set(l)), Some(Obj::Set(m))) => {
                    let (l, m) = (l.clone(), m.clone());
                    let sub = |s: &mut Self, p: &Vec<Value>, q: &Vec<Value>| -> R<bool> {
                        for v in p {
                            if !s.contains_value(q, v)? {
                                return Ok(false);
                            }
                        }
                        Ok(true)
                    };
                    let r = match op {
                        CmpOp::Le => sub(self, &l, &m)?,
                        CmpOp::Lt => l.len() < m.len() && sub(self, &l, &m)?,
                        CmpOp::Ge => sub(self, &m, &l)?,
                        _ => m.len() < l.len() && sub(self, &m, &l)?,
                    };
                    return Ok(Value::Bool(r));
                }
                _ => None,
            };
            if let Some((l, m)) = pair {
                if depth > 200 {
                    return Err(self.exc_flow(
                        Ty::RecursionError,
                        "maximum recursion depth exceeded in comparison",
                    ));
                }
                for (p, q) in l.iter().zip(m.iter()) {
                    if !self.eq_depth(os, p, q, depth + 1)? {
                        return self.ordering(os, op, p, q, depth + 1);
                    }
                }
                return Ok(Value::Bool(test(l.len().cmp(&m.len()))));
            }
        }
        // user methods, then reflected
        let (name, rname) = match op {
            CmpOp::Lt => (bi::S_LT, bi::S_GT),
            CmpOp::Le => (bi::S_LE, bi::S_GE),
            CmpOp::Gt => (bi::S_GT, bi::S_LT),
            _ => (bi::S_GE, bi::S_LE),
        };
        if let Some(f) = self.lookup_user_method(a, name) {
            let r = self.call_sync(os, f, vec![a.clone(), b.clone()], Vec::new())?;
            if r != Value::NotImplemented {
                return Ok(r);
            }
        }
        if let Some(f) = self.lookup_user_method(b, rname) {
            let r = self.call_sync(os, f, vec![b.clone(), a.clone()], Vec::new())?;
            if r != Value::NotImplemented {
                return Ok(r);
            }
        }
        let (ta, tb) = (self.type_name(a), self.type_name(b));
        Err(self.exc_flow(
            Ty::TypeError,
            &format!(
                "'{}' not supported between instances of '{ta}' and '{tb}'",
                op.symbol()
            ),
        ))
    }

    /// `item in container`
    pub(crate) fn contains(&mut self, os: &mut dyn Os, container: &Value, item: &Value) -> R<bool> {
        match container {
            Value::Str(s) => match item {
                Value::Str(i) => Ok(s.contains(&**i)),
                other => {
                    let n = self.type_name(other);
                    Err(self.exc_flow(
                        Ty::TypeError,
                        &format!("'in <string>' requires string as left operand, not {n}"),
                    ))
                }
            },
            Value::Bytes(b) => match item {
                Value::Bytes(i) => Ok(i.is_empty() || b.windows(i.len()).any(|w| w == &**i)),
                Value::Int(i) => {
                    if !(0..256).contains(i) {
                        return Err(self.exc_flow(Ty::ValueError, "byte must be in range(0, 256)"));
                    }
                    Ok(b.contains(&(*i as u8)))
                }
                other => {
                    let n = self.type_name(other);
                    Err(self.exc_flow(
                        Ty::TypeError,
                        &format!("a bytes-like object is required, not '{n}'"),
                    ))
                }
            },
            Value::Ref(i) => {
                let i = *i;
                match self.heap.get(i) {
                    Some(Obj::List(l)) | Some(Obj::Tuple(l)) => {
                        let l = l.clone();
                        for v in &l {
                            if Self::identical(v, item) || self.eq(os, v, item)? {
                                return Ok(true);
                            }
                        }
                        Ok(false)
                    }
                    Some(Obj::Set(l)) => {
                        let l = l.clone();
                        self.hashable(item)?;
                        self.contains_value(&l, item)
                    }
                    Some(Obj::Dict(d)) => {
                        let d = d.clone();
                        self.hashable(item)?;
                        Ok(self.find_key(&d, item)?.is_some())
                    }
                    Some(Obj::DictView(d, kind)) => {
                        let (d, kind) = (*d, *kind);
                        let entries = match self.heap.get(d) {
                            Some(Obj::Dict(e)) => e.clone(),
                            _ => Vec::new(),
                        };
                        match kind {
                            0 => Ok(self.find_key(&entries, item)?.is_some()),
                            1 => {
                                for (_, v) in &entries {
                                    if self.eq(os, v, item)? {
                                        return Ok(true);
                                    }
                                }
                                Ok(false)
                            }
                            _ => {
                                let Some(pair) = self.tuple_items(item) else {
                                    return Ok(false);
                                };
                                let (Some(k), Some(v)) = (pair.first(), pair.get(1)) else {
                                    return Ok(false);
                                };
                                match self.find_key(&entries, k)?.and_then(|i| entries.get(i)) {
                                    Some((_, v2)) => {
                                        let v2 = v2.clone();
                                        self.eq(os, v, &v2)
                                    }
                                    None => Ok(false),
                                }
                            }
                        }
                    }
                    Some(Obj::Range(a, b, c)) => {
                        let (a, b, c) = (*a, *b, *c);
                        match Self::int(item) {
                            Some(x) => {
                                let inr = if c > 0 {
                                    x >= a && x < b
                                } else {
                                    x <= a && x > b
                                };
                                Ok(inr && (x as i128 - a as i128) % c as i128 == 0)
                            }
                            None => Ok(false),
                        }
                    }
                    Some(Obj::Inst(_)) => {
                        if let Some(f) = self.lookup_user_method(container, bi::S_CONTAINS) {
                            let r = self.call_sync(
                                os,
                                f,
                                vec![container.clone(), item.clone()],
                                Vec::new(),
                            )?;
                            return self.truthy(os, &r);
                        }
                        self.contains_by_iter(os, container, item)
                    }
                    Some(Obj::Iter(_)) | Some(Obj::Gen(_)) => {
                        self.contains_by_iter(os, container, item)
                    }
                    _ => {
                        let n = self.type_name(container);
                        Err(self.exc_flow(
                            Ty::TypeError,
                            &format!("argument of type '{n}' is not iterable"),
                        ))
                    }
                }
            }
            _ => {
                let n = self.type_name(container);
                Err(self.exc_flow(
                    Ty::TypeError,
                    &format!("argument of type '{n}' is not iterable"),
                ))
            }
        }
    }

    fn contains_by_iter(&mut self, os: &mut dyn Os, container: &Value, item: &Value) -> R<bool> {
        let it = self.get_iter(os, container)?;
        while let Some(v) = self.next(os, &it)? {
            if self.eq(os, &v, item)? {
                return Ok(true);
            }
        }
        Ok(false)
    }
}
