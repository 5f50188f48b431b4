//! Attributes: getting, setting and deleting them, bound methods and
//! `super()` lookups.

use crate::sim::python::builtins as bi;
use crate::sim::python::value::*;
use crate::sim::python::vm::{Flow, R};
use crate::sim::python::{Interp, Os};

impl Interp {
    /// A class attribute accessed through an instance.
    pub(super) fn bind(&mut self, obj: &Value, f: Value) -> Value {
        match &f {
            Value::Ref(i) => match self.heap.get(*i) {
                Some(Obj::Func(_)) => Value::Ref(self.heap.alloc(Obj::Bound(obj.clone(), f))),
                Some(Obj::StaticMethod(inner)) => inner.clone(),
                Some(Obj::ClassMethod(inner)) => {
                    let inner = inner.clone();
                    let c = self.type_of(obj);
                    Value::Ref(self.heap.alloc(Obj::Bound(c, inner)))
                }
                _ => f,
            },
            _ => f,
        }
    }

    // ------------------------------------------------------------ attributes

    pub(crate) fn getattr(&mut self, os: &mut dyn Os, obj: &Value, name: Sym) -> R<Value> {
        match self.getattr_opt(os, obj, name)? {
            Some(v) => Ok(v),
            None => {
                // __getattr__ hook
                if self.heap.inst(obj).is_some() {
                    if let Some(h) = self.lookup_class_attr(obj, bi::S_GETATTR) {
                        let n = Value::Str(self.heap.name_rc(name));
                        return self.call_sync(os, h, vec![obj.clone(), n], Vec::new());
                    }
                }
                Err(self.attr_error(obj, name))
            }
        }
    }

    pub(crate) fn attr_error(&mut self, obj: &Value, name: Sym) -> Flow {
        let n = self.heap.name(name).to_string();
        let msg = match obj {
            Value::Ref(i) => match self.heap.get(*i) {
                Some(Obj::Module(m)) => format!("module '{}' has no attribute '{n}'", m.name),
                Some(Obj::Class(c)) => format!("type object '{}' has no attribute '{n}'", c.name),
                _ => format!("'{}' object has no attribute '{n}'", self.type_name(obj)),
            },
            Value::Type(t) => format!("type object '{}' has no attribute '{n}'", t.name()),
            _ => format!("'{}' object has no attribute '{n}'", self.type_name(obj)),
        };
        // like CPython, the exception knows the object and the name (for
        // the "Did you mean" suggestion)
        let e = self.new_exc(Ty::AttributeError, &msg);
        let (ns, os_) = (self.heap.intern("name"), self.heap.intern("obj"));
        let nv = Value::Str(self.heap.name_rc(name));
        if let Some(x) = self.heap.inst_mut(&e) {
            x.attrs.push((ns, nv));
            x.attrs.push((os_, obj.clone()));
        }
        Flow::Exc(e)
    }

    fn getattr_opt(&mut self, os: &mut dyn Os, obj: &Value, name: Sym) -> R<Option<Value>> {
        if name == bi::S_CLASS {
            return Ok(Some(self.type_of(obj)));
        }
        match obj {
            Value::Ref(i) => {
                let i = *i;
                match self.heap.get(i) {
                    Some(Obj::Inst(inst)) => {
                        if let Some(v) = ns_get(&inst.attrs, name) {
                            return Ok(Some(v.clone()));
                        }
                        let cls = inst.class.clone();
                        if let Some(f) = self.lookup_in_mro(&cls, name) {
                            if let Value::Ref(fi) = &f {
                                if let Some(Obj::Property(get, _)) = self.heap.get(*fi) {
                                    let get = get.clone();
                                    if get == Value::None {
                                        let n = self.heap.name(name).to_string();
                                        return Err(self.exc_flow(
                                            Ty::AttributeError,
                                            &format!("property '{n}' has no getter"),
                                        ));
                                    }
                                    return self
                                        .call_sync(os, get, vec![obj.clone()], Vec::new())
                                        .map(Some);
                                }
                            }
                            return Ok(Some(self.bind(obj, f)));
                        }
                        if name == bi::S_DICT {
                            let items: Vec<(Value, Value)> = match self.heap.inst(obj) {
                                Some(x) => x
                                    .attrs
                                    .iter()
                                    .map(|(k, v)| (Value::Str(self.heap.name_rc(*k)), v.clone()))
                                    .collect(),
                                None => Vec::new(),
                            };
                            return Ok(Some(Value::Ref(self.heap.alloc(Obj::Dict(items)))));
                        }
                        if let Some(v) = self.native_attr(os, obj, name)? {
                            return Ok(Some(v));
                        }
                        if self.has_native_method(obj, name) {
                            return Ok(Some(Value::Ref(
                                self.heap.alloc(Obj::BoundNative(obj.clone(), name)),
                            )));
                        }
                        Ok(None)
                    }
                    Some(Obj::Class(c)) => {
                        let c = c.clone();
                        if let Some(f) = self.lookup_in_mro(obj, name) {
                            if let Value::Ref(fi) = &f {
                                match self.heap.get(*fi) {
                                    Some(Obj::ClassMethod(inner)) => {
                                        let inner = inner.clone();
                                        return Ok(Some(Value::Ref(
                                            self.heap.alloc(Obj::Bound(obj.clone(), inner)),
                                        )));
                                    }
                                    Some(Obj::StaticMethod(inner)) => {
                                        return Ok(Some(inner.clone()))
                                    }
                                    _ => {}
                                }
                            }
                            return Ok(Some(f));
                        }
                        let n = self.heap.name(name);
                        Ok(match n {
                            "__name__" => Some(Value::Str(c.name.clone())),
                            "__qualname__" => Some(Value::Str(c.qualname.clone())),
                            "__module__" => Some(Value::Str(c.module.clone())),
                            "__bases__" => {
                                let b = c.bases.clone();
                                Some(self.new_tuple(b))
                            }
                            "__mro__" => {
                                let m = c.mro.clone();
                                Some(self.new_tuple(m))
                            }
                            "__doc__" => Some(Value::None),
                            _ => {
                                // a builtin base's method, unbound
                                if self.has_native_method_ty(c.native, name) {
                                    Some(Value::Ref(
                                        self.heap
                                            .alloc(Obj::BoundNative(Value::Type(c.native), name)),
                                    ))
                                } else {
                                    None
                                }
                            }
                        })
                    }
                    Some(Obj::Module(m)) => Ok(ns_get(&m.ns, name).cloned()),
                    Some(Obj::Func(f)) => {
                        if let Some(v) = ns_get(&f.attrs, name) {
                            return Ok(Some(v.clone()));
                        }
                        let (fname, qual, defaults) = (
                            f.code.name.clone(),
                            f.code.qualname.clone(),
                            f.defaults.clone(),
                        );
                        let module = self.module_name(f.globals);
                        Ok(match self.heap.name(name) {
                            "__name__" => Some(Value::Str(fname)),
                            "__qualname__" => Some(Value::Str(qual)),
                            "__module__" => Some(Value::Str(module)),
                            "__doc__" => Some(Value::None),
                            "__defaults__" => Some(if defaults.is_empty() {
                                Value::None
                            } else {
                                self.new_tuple(defaults)
                            }),
                            _ => None,
                        })
                    }
                    Some(Obj::Bound(s, f)) => {
                        let (s, f) = (s.clone(), f.clone());
                        match self.heap.name(name) {
                            "__self__" => Ok(Some(s)),
                            "__func__" => Ok(Some(f)),
                            _ => self.getattr_opt(os, &f, name),
                        }
                    }
                    Some(Obj::BoundNative(s, m)) => {
                        let (s, m) = (s.clone(), *m);
                        match self.heap.name(name) {
                            "__self__" => Ok(Some(s)),
                            "__name__" => Ok(Some(Value::Str(self.heap.name_rc(m)))),
                            _ => Ok(None),
                        }
                    }
                    Some(Obj::Super(cls, o)) => {
                        let (cls, o) = (cls.clone(), o.clone());
                        self.super_attr(&cls, &o, name)
                    }
                    Some(Obj::Property(g, _)) => {
                        let g = g.clone();
                        match self.heap.name(name) {
                            "fget" => Ok(Some(g)),
                            _ => Ok(if self.has_native_method(obj, name) {
                                Some(Value::Ref(
                                    self.heap.alloc(Obj::BoundNative(obj.clone(), name)),
                                ))
                            } else {
                                None
                            }),
                        }
                    }
                    Some(Obj::Range(a, b, c)) => {
                        let (a, b, c) = (*a, *b, *c);
                        Ok(match self.heap.name(name) {
                            "start" => Some(Value::Int(a)),
                            "stop" => Some(Value::Int(b)),
                            "step" => Some(Value::Int(c)),
                            _ => self.native_method_value(obj, name),
                        })
                    }
                    _ => Ok(self.native_method_value(obj, name)),
                }
            }
            Value::Type(t) => {
                let t = *t;
                Ok(match self.heap.name(name) {
                    "__name__" | "__qualname__" => Some(Value::str(t.name())),
                    "__module__" => Some(Value::str(t.module().unwrap_or("builtins"))),
                    "__doc__" => Some(Value::None),
                    "__mro__" => {
                        let m = self.mro(obj);
                        Some(self.new_tuple(m))
                    }
                    "__bases__" => {
                        let b = if t == Ty::Object {
                            vec![]
                        } else {
                            vec![Value::Type(t.base())]
                        };
                        Some(self.new_tuple(b))
                    }
                    _ => {
                        if self.has_native_method_ty(t, name) {
                            Some(Value::Ref(
                                self.heap.alloc(Obj::BoundNative(obj.clone(), name)),
                            ))
                        } else {
                            None
                        }
                    }
                })
            }
            Value::Builtin(b) => Ok(match self.heap.name(name) {
                "__name__" | "__qualname__" => Some(Value::str(b.name())),
                "__self__" => Some(Value::None),
                _ => None,
            }),
            Value::Int(_) | Value::Bool(_) | Value::Float(_) => {
                let n = self.heap.name(name);
                match (n, obj) {
                    ("real", _) => Ok(Some(match obj {
                        Value::Bool(b) => Value::Int(*b as i64),
                        o => o.clone(),
                    })),
                    ("imag", Value::Float(_)) => Ok(Some(Value::float(0.0))),
                    ("imag", _) => Ok(Some(Value::Int(0))),
                    ("numerator", Value::Int(_) | Value::Bool(_)) => Ok(Some(obj.clone())),
                    ("denominator", Value::Int(_) | Value::Bool(_)) => Ok(Some(Value::Int(1))),
                    _ => Ok(self.native_method_value(obj, name)),
                }
            }
            _ => Ok(self.native_method_value(obj, name)),
        }
    }

    fn native_method_value(&mut self, obj: &Value, name: Sym) -> Option<Value> {
        if self.has_native_method(obj, name) {
            Some(Value::Ref(
                self.heap.alloc(Obj::BoundNative(obj.clone(), name)),
            ))
        } else {
            None
        }
    }

    /// `super().name`: looked up after `cls` in the MRO of `obj`'s class.
    fn super_attr(&mut self, cls: &Value, obj: &Value, name: Sym) -> R<Option<Value>> {
        let start = if self.is_class(obj) && self.heap.inst(obj).is_none() {
            obj.clone()
        } else {
            self.type_of(obj)
        };
        let mro = self.mro(&start);
        let pos = mro
            .iter()
            .position(|c| c == cls)
            .map(|p| p + 1)
            .unwrap_or(mro.len());
        for c in mro.get(pos..).unwrap_or(&[]) {
            if let Some(cl) = self.heap.class(c) {
                if let Some(f) = ns_get(&cl.ns, name).cloned() {
                    return Ok(Some(self.bind(obj, f)));
                }
            } else if let Value::Type(t) = c {
                if self.has_native_method_ty(*t, name) || name == bi::S_INIT {
                    return Ok(Some(Value::Ref(
                        self.heap.alloc(Obj::BoundNative(obj.clone(), name)),
                    )));
                }
            }
        }
        Ok(None)
    }

    pub(crate) fn load_method(
        &mut self,
        os: &mut dyn Os,
        obj: &Value,
        name: Sym,
    ) -> R<(Value, Value)> {
        if let Some(inst) = self.heap.inst(obj) {
            if ns_get(&inst.attrs, name).is_none() {
                let cls = inst.class.clone();
                if let Some(f) = self.lookup_in_mro(&cls, name) {
                    if let Value::Ref(fi) = &f {
                        match self.heap.get(*fi) {
                            Some(Obj::Func(_)) => return Ok((f, obj.clone())),
                            Some(Obj::StaticMethod(inner)) => {
                                return Ok((inner.clone(), Value::Null))
                            }
                            Some(Obj::ClassMethod(inner)) => return Ok((inner.clone(), cls)),
                            _ => {}
                        }
                    }
                } else if self.has_native_method(obj, name) && self.native_attr_is_none(obj, name) {
                    return Ok((Value::NativeMeth(name), obj.clone()));
                }
            }
        } else if (!matches!(obj, Value::Ref(_) | Value::Type(_)) || self.is_native_container(obj))
            && self.has_native_method(obj, name)
        {
            return Ok((Value::NativeMeth(name), obj.clone()));
        }
        let v = self.getattr(os, obj, name)?;
        Ok((v, Value::Null))
    }

    fn native_attr_is_none(&self, _obj: &Value, _name: Sym) -> bool {
        true
    }

    fn is_native_container(&self, v: &Value) -> bool {
        match v {
            Value::Ref(i) => matches!(
                self.heap.get(*i),
                Some(
                    Obj::List(_)
                        | Obj::Tuple(_)
                        | Obj::Dict(_)
                        | Obj::Set(_)
                        | Obj::DictView(..)
                        | Obj::Range(..)
                )
            ),
            _ => false,
        }
    }

    pub(crate) fn setattr(&mut self, os: &mut dyn Os, obj: &Value, name: Sym, v: Value) -> R<()> {
        match obj {
            Value::Ref(i) => {
                let i = *i;
                match self.heap.get(i) {
                    Some(Obj::Inst(inst)) => {
                        let cls = inst.class.clone();
                        if let Some(Value::Ref(pi)) = self.lookup_in_mro(&cls, name) {
                            if let Some(Obj::Property(_, set)) = self.heap.get(pi) {
                                let set = set.clone();
                                if set == Value::None {
                                    let n = self.heap.name(name).to_string();
                                    let t = self.type_name(obj);
                                    return Err(self.exc_flow(
                                        Ty::AttributeError,
                                        &format!("property '{n}' of '{t}' object has no setter"),
                                    ));
                                }
                                self.call_sync(os, set, vec![obj.clone(), v], Vec::new())?;
                                return Ok(());
                            }
                        }
                        if self.set_native_attr(os, obj, name, &v)? {
                            return Ok(());
                        }
                        if let Value::Type(_) = cls {
                            // instances of builtin classes (object(), a socket) have no __dict__
                            if !self.heap.inst(obj).is_some_and(|x| x.native.is_exc_like()) {
                                return Err(self.attr_error(obj, name));
                            }
                        }
                        let old = match self.heap.inst_mut(obj) {
                            Some(x) => ns_set(&mut x.attrs, name, v),
                            None => None,
                        };
                        if let Some(old) = old {
                            if self.is_socket(&old) {
                                self.gc_pending = true;
                            }
                        }
                        Ok(())
                    }
                    Some(Obj::Class(_)) => {
                        if let Some(Obj::Class(c)) = self.heap.get_mut(i) {
                            ns_set(&mut c.ns, name, v);
                        }
                        Ok(())
                    }
                    Some(Obj::Module(_)) => {
                        if let Some(Obj::Module(m)) = self.heap.get_mut(i) {
                            ns_set(&mut m.ns, name, v);
                        }
                        Ok(())
                    }
                    Some(Obj::Func(_)) => {
                        if let Some(Obj::Func(f)) = self.heap.get_mut(i) {
                            ns_set(&mut f.attrs, name, v);
                        }
                        Ok(())
                    }
                    _ => Err(self.attr_error(obj, name)),
                }
            }
            Value::Type(t) => {
                let n = self.heap.name(name).to_string();
                Err(self.exc_flow(
                    Ty::TypeError,
                    &format!(
                        "cannot set '{n}' attribute of immutable type '{}'",
                        t.name()
                    ),
                ))
            }
            _ => Err(self.attr_error(obj, name)),
        }
    }

    pub(crate) fn delattr(&mut self, obj: &Value, name: Sym) -> R<()> {
        let removed = match obj {
            Value::Ref(i) => match self.heap.get_mut(*i) {
                Some(Obj::Inst(x)) => ns_del(&mut x.attrs, name).is_some(),
                Some(Obj::Class(c)) => ns_del(&mut c.ns, name).is_some(),
                Some(Obj::Module(m)) => ns_del(&mut m.ns, name).is_some(),
                Some(Obj::Func(f)) => ns_del(&mut f.attrs, name).is_some(),
                _ => false,
            },
            _ => false,
        };
        if removed {
            Ok(())
        } else {
            Err(self.attr_error(obj, name))
        }
    }
}
