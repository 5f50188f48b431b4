//! Methods of `set`.

use crate::sim::python::value::*;
use crate::sim::python::vm::{Flow, R};
use crate::sim::python::{Interp, Os};

impl Interp {
    // ------------------------------------------------------------ set

    pub(super) fn set_method(
        &mut self,
        os: &mut dyn Os,
        s: &Value,
        n: &str,
        args: Vec<Value>,
        _kw: Vec<(Sym, Value)>,
    ) -> R<Value> {
        let a0 = args.first().cloned().unwrap_or(Value::None);
        let si = match s {
            Value::Ref(i) => *i,
            _ => return Err(self.internal("set")),
        };
        let items = match self.heap.get(si) {
            Some(Obj::Set(v)) => v.clone(),
            _ => Vec::new(),
        };
        match n {
            "add" => {
                self.set_add(s, a0)?;
                Ok(Value::None)
            }
            "remove" | "discard" => {
                self.hashable(&a0)?;
                let pos = items.iter().position(|x| self.key_eq(x, &a0, 0));
                match pos {
                    Some(p) => {
                        if let Some(Obj::Set(v)) = self.heap.get_mut(si) {
                            v.remove(p);
                        }
                        Ok(Value::None)
                    }
                    None if n == "discard" => Ok(Value::None),
                    None => {
                        let e = self.new_exc_args(Ty::KeyError, vec![a0]);
                        Err(Flow::Exc(e))
                    }
                }
            }
            "pop" => {
                let first = match self.heap.get_mut(si) {
                    Some(Obj::Set(v)) if !v.is_empty() => Some(v.remove(0)),
                    _ => None,
                };
                match first {
                    Some(v) => Ok(v),
                    None => {
                        let e = self.new_exc(Ty::KeyError, "pop from an empty set");
                        Err(Flow::Exc(e))
                    }
                }
            }
            "clear" => {
                if let Some(Obj::Set(v)) = self.heap.get_mut(si) {
                    v.clear();
                }
                Ok(Value::None)
            }
            "copy" => Ok(Value::Ref(self.heap.alloc(Obj::Set(items)))),
            "update"
            | "union"
            | "intersection"
            | "difference"
            | "symmetric_difference"
            | "intersection_update"
            | "difference_update" => {
                let mut others = Vec::new();
                for a in &args {
                    let it = self.iterate(os, a)?;
                    others.push(self.new_set(it)?);
                }
                let op = match n {
                    "update" | "union" => super::super::ast::BinOp::BitOr,
                    "intersection" | "intersection_update" => super::super::ast::BinOp::BitAnd,
                    "difference" | "difference_update" => super::super::ast::BinOp::Sub,
                    _ => super::super::ast::BinOp::BitXor,
                };
                let inplace = n.ends_with("update");
                let mut acc = if inplace {
                    s.clone()
                } else {
                    Value::Ref(self.heap.alloc(Obj::Set(items)))
                };
                for o in others {
                    acc = self.binary(os, op, &acc, &o, true)?;
                }
                Ok(if inplace { Value::None } else { acc })
            }
            "issubset" | "issuperset" | "isdisjoint" => {
                let other = self.iterate(os, &a0)?;
                let r = match n {
                    "issubset" => {
                        let mut ok = true;
                        for x in &items {
                            if !self.contains_value(&other, x)? {
                                ok = false;
                            }
                        }
                        ok
                    }
                    "issuperset" => {
                        let mut ok = true;
                        for x in &other {
                            if !self.contains_value(&items, x)? {
                                ok = false;
                            }
                        }
                        ok
                    }
                    _ => {
                        let mut ok = true;
                        for x in &other {
                            if self.contains_value(&items, x)? {
                                ok = false;
                            }
                        }
                        ok
                    }
                };
                Ok(Value::Bool(r))
            }
            "__len__" => Ok(Value::Int(items.len() as i64)),
            "__contains__" => Ok(Value::Bool(self.contains(os, s, &a0)?)),
            _ => {
                let sy = self.heap.intern(n);
                Err(self.attr_error(s, sy))
            }
        }
    }
}
