//! Methods of `dict`.

use crate::sim::python::builtins::{self as bi};
use crate::sim::python::value::*;
use crate::sim::python::vm::{Flow, R};
use crate::sim::python::{Interp, Os};

impl Interp {
    // ------------------------------------------------------------ dict

    pub(super) fn dict_method(
        &mut self,
        os: &mut dyn Os,
        d: &Value,
        n: &str,
        args: Vec<Value>,
        kw: Vec<(Sym, Value)>,
    ) -> R<Value> {
        let a0 = args.first().cloned().unwrap_or(Value::None);
        let di = match d {
            Value::Ref(i) => *i,
            _ => return Err(self.internal("dict")),
        };
        match n {
            "get" => {
                self.nargs("get", &args, 1, 2)?;
                Ok(self
                    .dict_get(d, &a0)?
                    .unwrap_or_else(|| args.get(1).cloned().unwrap_or(Value::None)))
            }
            "keys" => Ok(Value::Ref(self.heap.alloc(Obj::DictView(di, 0)))),
            "values" => Ok(Value::Ref(self.heap.alloc(Obj::DictView(di, 1)))),
            "items" => Ok(Value::Ref(self.heap.alloc(Obj::DictView(di, 2)))),
            "pop" => {
                self.nargs("pop", &args, 1, 2)?;
                self.hashable(&a0)?;
                let pos = match self.heap.get(di) {
                    Some(Obj::Dict(e)) => e.iter().position(|(k, _)| self.key_eq(k, &a0, 0)),
                    _ => None,
                };
                match pos {
                    Some(p) => {
                        let v = match self.heap.get_mut(di) {
                            Some(Obj::Dict(e)) if p < e.len() => e.remove(p).1,
                            _ => Value::None,
                        };
                        self.gc_pending = true;
                        Ok(v)
                    }
                    None => match args.get(1) {
                        Some(dflt) => Ok(dflt.clone()),
                        None => {
                            let e = self.new_exc_args(Ty::KeyError, vec![a0]);
                            Err(Flow::Exc(e))
                        }
                    },
                }
            }
            "popitem" => {
                let last = match self.heap.get_mut(di) {
                    Some(Obj::Dict(e)) => e.pop(),
                    _ => None,
                };
                match last {
                    Some((k, v)) => Ok(self.new_tuple(vec![k, v])),
                    None => {
                        let e = self.new_exc(Ty::KeyError, "popitem(): dictionary is empty");
                        Err(Flow::Exc(e))
                    }
                }
            }
            "setdefault" => {
                self.nargs("setdefault", &args, 1, 2)?;
                match self.dict_get(d, &a0)? {
                    Some(v) => Ok(v),
                    None => {
                        let v = args.get(1).cloned().unwrap_or(Value::None);
                        self.dict_set(d, a0, v.clone())?;
                        Ok(v)
                    }
                }
            }
            "update" => {
                if let Some(src) = args.first() {
                    let pairs = match self.dict_items(src) {
                        Ok(p) => p,
                        Err(_) => {
                            let mut out = Vec::new();
                            for (i, it) in self.iterate(os, src)?.into_iter().enumerate() {
                                let kv = self.iterate(os, &it).map_err(|_| {
                                    let t = self.type_name(&it);
                                    self.exc_flow(
                                        Ty::TypeError,
                                        &format!("cannot convert dictionary update sequence element #{i} to a sequence"),
                                    )
                                    .clone_flow(t)
                                })?;
                                if kv.len() != 2 {
                                    return Err(self.exc_flow(
                                        Ty::ValueError,
                                        &format!("dictionary update sequence element #{i} has length {}; 2 is required", kv.len()),
                                    ));
                                }
                                let mut it2 = kv.into_iter();
                                if let (Some(k), Some(v)) = (it2.next(), it2.next()) {
                                    out.push((k, v));
                                }
                            }
                            out
                        }
                    };
                    for (k, v) in pairs {
                        self.dict_set(d, k, v)?;
                    }
                }
                for (k, v) in kw {
                    let ks = Value::Str(self.heap.name_rc(k));
                    self.dict_set(d, ks, v)?;
                }
                Ok(Value::None)
            }
            "copy" => {
                let e = self.dict_items(d)?;
                Ok(Value::Ref(self.heap.alloc(Obj::Dict(e))))
            }
            "clear" => {
                if let Some(Obj::Dict(e)) = self.heap.get_mut(di) {
                    e.clear();
                }
                self.gc_pending = true;
                Ok(Value::None)
            }
            "fromkeys" => self.type_method(os, Ty::Dict, bi::S_INIT, "fromkeys", args, kw),
            "__getitem__" => self.getitem(os, d, &a0),
            "__setitem__" => {
                let v = args.get(1).cloned().unwrap_or(Value::None);
                self.dict_set(d, a0, v)?;
                Ok(Value::None)
            }
            "__contains__" => Ok(Value::Bool(self.contains(os, d, &a0)?)),
            "__len__" => Ok(Value::Int(self.len_of(os, d)? as i64)),
            "__iter__" => self.get_iter(os, d),
            _ => {
                let s = self.heap.intern(n);
                Err(self.attr_error(d, s))
            }
        }
    }
}

trait CloneFlow {
    fn clone_flow(self, _t: String) -> Flow;
}

impl CloneFlow for Flow {
    fn clone_flow(self, _t: String) -> Flow {
        self
    }
}
