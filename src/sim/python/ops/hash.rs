//! Hashing and the dict and set entries built on it (`hash()`, `id()`).

use crate::sim::python::builtins as bi;
use crate::sim::python::value::*;
use crate::sim::python::vm::R;
use crate::sim::python::{Interp, Os};

impl Interp {
    // ------------------------------------------------------------ hashing & dicts

    pub(crate) fn hashable(&mut self, v: &Value) -> R<()> {
        self.hashable_depth(v, 0)
    }

    fn hashable_depth(&mut self, v: &Value, depth: u32) -> R<()> {
        if depth > 200 {
            return Err(self.exc_flow(Ty::RecursionError, "maximum recursion depth exceeded"));
        }
        if let Value::Ref(i) = v {
            let bad = match self.heap.get(*i) {
                Some(Obj::List(_)) | Some(Obj::Dict(_)) | Some(Obj::Set(_)) => true,
                Some(Obj::Tuple(items)) => {
                    let items = items.clone();
                    for it in &items {
                        self.hashable_depth(it, depth + 1)?;
                    }
                    false
                }
                Some(Obj::Inst(_)) => !self.inst_hashable(v),
                _ => false,
            };
            if bad {
                let n = self.type_name(v);
                return Err(self.exc_flow(Ty::TypeError, &format!("unhashable type: '{n}'")));
            }
        }
        Ok(())
    }

    /// A class that defines `__eq__` but not `__hash__` makes its instances
    /// unhashable (its `__hash__` is None), as in CPython.
    fn inst_hashable(&self, v: &Value) -> bool {
        let c = self.type_of(v);
        for k in self.mro(&c) {
            if let Some(cl) = self.heap.class(&k) {
                if let Some(h) = ns_get(&cl.ns, bi::S_HASH) {
                    return *h != Value::None;
                }
                if ns_get(&cl.ns, bi::S_EQ).is_some() {
                    return false;
                }
            }
        }
        true
    }

    /// Equality of dict keys / set members: Python's `==` for the hashable
    /// builtin types; instances compare by identity (a user `__eq__` /
    /// `__hash__` is not consulted here).
    pub(crate) fn key_eq(&self, a: &Value, b: &Value, depth: u32) -> bool {
        match (a, b) {
            (Value::Str(x), Value::Str(y)) => x == y,
            (Value::Int(x), Value::Int(y)) => x == y,
            (Value::Ref(x), Value::Ref(y)) => {
                if x == y {
                    return true;
                }
                if depth > 50 {
                    return false;
                }
                match (self.heap.get(*x), self.heap.get(*y)) {
                    (Some(Obj::Tuple(l)), Some(Obj::Tuple(m))) => {
                        l.len() == m.len()
                            && l.iter()
                                .zip(m.iter())
                                .all(|(p, q)| self.key_eq(p, q, depth + 1))
                    }
                    _ => false,
                }
            }
            _ => {
                if let (Some(x), Some(y)) = (Self::num(a), Self::num(b)) {
                    if let (Some(i), Some(j)) = (Self::int(a), Self::int(b)) {
                        return i == j;
                    }
                    return x == y;
                }
                a == b
            }
        }
    }

    pub(crate) fn find_key(&mut self, entries: &[(Value, Value)], k: &Value) -> R<Option<usize>> {
        Ok(entries.iter().position(|(x, _)| self.key_eq(x, k, 0)))
    }

    pub(crate) fn contains_value(&mut self, items: &[Value], v: &Value) -> R<bool> {
        Ok(items.iter().any(|x| self.key_eq(x, v, 0)))
    }

    pub(crate) fn dict_set(&mut self, d: &Value, k: Value, v: Value) -> R<()> {
        self.hashable(&k)?;
        let Value::Ref(di) = d else {
            return Err(self.internal("not a dict"));
        };
        let pos = match self.heap.get(*di) {
            Some(Obj::Dict(e)) => e.iter().position(|(x, _)| self.key_eq(x, &k, 0)),
            _ => return Err(self.internal("not a dict")),
        };
        if let Some(Obj::Dict(e)) = self.heap.get_mut(*di) {
            match pos.and_then(|p| e.get_mut(p)) {
                Some(slot) => slot.1 = v,
                None => e.push((k, v)),
            }
        }
        Ok(())
    }

    pub(crate) fn dict_get(&mut self, d: &Value, k: &Value) -> R<Option<Value>> {
        self.hashable(k)?;
        let Value::Ref(di) = d else {
            return Ok(None);
        };
        Ok(match self.heap.get(*di) {
            Some(Obj::Dict(e)) => e
                .iter()
                .find(|(x, _)| self.key_eq(x, k, 0))
                .map(|(_, v)| v.clone()),
            _ => None,
        })
    }

    pub(crate) fn dict_items(&mut self, d: &Value) -> R<Vec<(Value, Value)>> {
        match d {
            Value::Ref(i) => match self.heap.get(*i) {
                Some(Obj::Dict(e)) => Ok(e.clone()),
                _ => Err(self.exc_flow(Ty::TypeError, "not a mapping")),
            },
            _ => Err(self.exc_flow(Ty::TypeError, "not a mapping")),
        }
    }

    pub(crate) fn new_tuple(&mut self, items: Vec<Value>) -> Value {
        Value::Ref(self.heap.alloc(Obj::Tuple(items)))
    }

    pub(crate) fn new_set(&mut self, items: Vec<Value>) -> R<Value> {
        let s = Value::Ref(self.heap.alloc(Obj::Set(Vec::new())));
        for v in items {
            self.set_add(&s, v)?;
        }
        Ok(s)
    }

    pub(crate) fn set_add(&mut self, s: &Value, v: Value) -> R<()> {
        self.hashable(&v)?;
        let Value::Ref(si) = s else {
            return Ok(());
        };
        let present = match self.heap.get(*si) {
            Some(Obj::Set(items)) => items.iter().any(|x| self.key_eq(x, &v, 0)),
            _ => true,
        };
        if !present {
            if let Some(Obj::Set(items)) = self.heap.get_mut(*si) {
                items.push(v);
            }
        }
        Ok(())
    }

    pub(crate) fn hash(&mut self, os: &mut dyn Os, v: &Value) -> R<i64> {
        self.hashable(v)?;
        self.hash_depth(os, v, 0)
    }

    fn hash_depth(&mut self, os: &mut dyn Os, v: &Value, depth: u32) -> R<i64> {
        if depth > 200 {
            return Err(self.exc_flow(Ty::RecursionError, "maximum recursion depth exceeded"));
        }
        Ok(match v {
            Value::None => 0x5f3759df,
            Value::Bool(b) => *b as i64,
            Value::Int(i) => {
                if *i == -1 {
                    -2
                } else {
                    *i
                }
            }
            Value::Float(f) => {
                if f.0.fract() == 0.0 && f.0.abs() < 9.2e18 {
                    f.0 as i64
                } else {
                    (f.0.to_bits() >> 1) as i64
                }
            }
            Value::Str(s) => fnv(s.as_bytes()),
            Value::Bytes(b) => fnv(b),
            Value::Ref(i) => match self.heap.get(*i) {
                Some(Obj::Tuple(items)) => {
                    let items = items.clone();
                    let mut h: i64 = 0x345678;
                    for it in &items {
                        h = h.wrapping_mul(1000003) ^ self.hash_depth(os, it, depth + 1)?;
                    }
                    h
                }
                Some(Obj::Inst(_)) => {
                    if let Some(f) = self.lookup_user_method(v, bi::S_HASH) {
                        let r = self.call_sync(os, f, vec![v.clone()], Vec::new())?;
                        return self.index_of(&r);
                    }
                    self.id_of(v) >> 4
                }
                _ => self.id_of(v) >> 4,
            },
            _ => self.id_of(v) >> 4,
        })
    }

    /// A deterministic `id()`: the arena slot for objects.
    pub(crate) fn id_of(&self, v: &Value) -> i64 {
        match v {
            Value::Ref(i) => 0x7f00_0000_0000 + (*i as i64) * 16,
            Value::Int(i) => i.wrapping_mul(32).wrapping_add(0x5500_0000_0000),
            Value::None => 0x5600_0000_0000,
            Value::Bool(b) => 0x5600_0000_0010 + *b as i64 * 16,
            Value::Str(s) => 0x6000_0000_0000 + (fnv(s.as_bytes()) & 0xffff_ffff) * 16,
            _ => 0x5700_0000_0000,
        }
    }
}

/// FNV-1a: a fixed hash for `hash(str)` (CPython's is randomized per
/// process; a simulation must be reproducible).
pub fn fnv(b: &[u8]) -> i64 {
    let mut h: u64 = 0xcbf29ce484222325;
    for &x in b {
        h ^= x as u64;
        h = h.wrapping_mul(0x100000001b3);
    }
    (h >> 1) as i64
}
