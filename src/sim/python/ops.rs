//! Operators, attributes, subscripts, iteration and the type machinery,
//! with CPython 3.11's error messages.

use super::ast::{BinOp, CmpOp, UnOp};
use super::builtins as bi;
use super::value::*;
use super::vm::{Flow, R};
use super::{Interp, Os};
use std::rc::Rc;

/// The most items a list, string or bytes built by one operation may have
/// (`[0] * 10**12` is a MemoryError, not an abort).
pub const MAX_ITEMS: usize = 1 << 26;
/// See [`Interp::burn`].
pub const FUEL_PER_STEP: u64 = 20_000_000;

fn floor_div(a: i64, b: i64) -> Option<i64> {
    let q = a.checked_div(b)?;
    if a % b != 0 && ((a < 0) != (b < 0)) {
        q.checked_sub(1)
    } else {
        Some(q)
    }
}
fn floor_mod(a: i64, b: i64) -> i64 {
    let r = a.wrapping_rem(b);
    if r != 0 && ((r < 0) != (b < 0)) {
        r + b
    } else {
        r
    }
}
pub fn float_floordiv(a: f64, b: f64) -> f64 {
    let m = a % b;
    let mut div = (a - m) / b;
    if m != 0.0 && ((b < 0.0) != (m < 0.0)) {
        div -= 1.0;
    }
    if div != 0.0 {
        let fl = div.floor();
        if div - fl > 0.5 {
            fl + 1.0
        } else {
            fl
        }
    } else {
        (0.0f64).copysign(a / b)
    }
}
pub fn float_mod(a: f64, b: f64) -> f64 {
    let mut m = a % b;
    if m != 0.0 {
        if (b < 0.0) != (m < 0.0) {
            m += b;
        }
    } else {
        m = (0.0f64).copysign(b);
    }
    m
}

impl Interp {
    // ------------------------------------------------------------ types

    /// The class of a value.
    pub(crate) fn type_of(&self, v: &Value) -> Value {
        match v {
            Value::Ref(i) => match self.heap.get(*i) {
                Some(Obj::Inst(x)) => x.class.clone(),
                _ => Value::Type(self.ty_of(v)),
            },
            _ => Value::Type(self.ty_of(v)),
        }
    }

    /// The builtin type a value is made of.
    pub(crate) fn ty_of(&self, v: &Value) -> Ty {
        match v {
            Value::None => Ty::NoneType,
            Value::Bool(_) => Ty::Bool,
            Value::Int(_) => Ty::Int,
            Value::Float(_) => Ty::Float,
            Value::Str(_) => Ty::Str,
            Value::Bytes(_) => Ty::Bytes,
            Value::Type(_) => Ty::Type,
            Value::Builtin(_) | Value::NativeMeth(_) => Ty::BuiltinFunction,
            Value::Ellipsis => Ty::Ellipsis,
            Value::NotImplemented | Value::Null => Ty::NotImplementedType,
            Value::Ref(i) => match self.heap.get(*i) {
                Some(Obj::List(_)) => Ty::List,
                Some(Obj::Tuple(_)) => Ty::Tuple,
                Some(Obj::Dict(_)) => Ty::Dict,
                Some(Obj::Set(_)) => Ty::Set,
                Some(Obj::Func(_)) => Ty::Function,
                Some(Obj::Class(_)) => Ty::Type,
                Some(Obj::Inst(x)) => match &x.class {
                    Value::Type(t) => *t,
                    c => self.heap.class(c).map(|c| c.native).unwrap_or(Ty::Object),
                },
                Some(Obj::Module(_)) => Ty::Module,
                Some(Obj::Cell(_)) => Ty::Cell,
                Some(Obj::Bound(..)) => Ty::Method,
                Some(Obj::BoundNative(..)) => Ty::BuiltinFunction,
                Some(Obj::Iter(it)) => match &**it {
                    Iter::Seq(s, _) => match s {
                        Value::Str(_) => Ty::StrIter,
                        Value::Bytes(_) => Ty::BytesIter,
                        Value::Ref(j) => match self.heap.get(*j) {
                            Some(Obj::Tuple(_)) => Ty::TupleIter,
                            _ => Ty::ListIter,
                        },
                        _ => Ty::ListIter,
                    },
                    Iter::Range(..) => Ty::RangeIter,
                    Iter::Dict(_, _, 1, _) => Ty::DictValueIter,
                    Iter::Dict(_, _, 2, _) => Ty::DictItemIter,
                    Iter::Dict(..) => Ty::DictKeyIter,
                    Iter::Enumerate(..) => Ty::Enumerate,
                    Iter::Zip(_) => Ty::Zip,
                    Iter::Reversed(..) => Ty::Reversed,
                    Iter::Map(..) => Ty::Map,
                    Iter::Filter(..) => Ty::Filter,
                    Iter::Callable(..) => Ty::CallableIter,
                    Iter::Done => Ty::ListIter,
                },
                Some(Obj::Range(..)) => Ty::Range,
                Some(Obj::Slice(..)) => Ty::Slice,
                Some(Obj::StaticMethod(_)) => Ty::StaticMethod,
                Some(Obj::ClassMethod(_)) => Ty::ClassMethod,
                Some(Obj::Property(..)) => Ty::Property,
                Some(Obj::Super(..)) => Ty::Super,
                Some(Obj::DictView(_, 0)) => Ty::DictKeys,
                Some(Obj::DictView(_, 1)) => Ty::DictValues,
                Some(Obj::DictView(..)) => Ty::DictItems,
                Some(Obj::Gen(_)) => Ty::Generator,
                None => Ty::NoneType,
            },
        }
    }

    /// The class name CPython's messages use: `'int'`, `'Foo'`.
    pub(crate) fn type_name(&self, v: &Value) -> String {
        let c = self.type_of(v);
        self.class_name(&c).to_string()
    }

    pub(crate) fn class_name(&self, c: &Value) -> Rc<str> {
        match c {
            Value::Type(t) => Rc::from(t.name()),
            other => match self.heap.class(other) {
                Some(c) => c.name.clone(),
                None => Rc::from("?"),
            },
        }
    }

    pub(crate) fn is_class(&self, v: &Value) -> bool {
        matches!(v, Value::Type(_)) || self.heap.class(v).is_some()
    }

    /// The method resolution order of a class (itself first).
    pub(crate) fn mro(&self, c: &Value) -> Vec<Value> {
        match c {
            Value::Type(t) => {
                let mut out = vec![Value::Type(*t)];
                let mut t = *t;
                while t != Ty::Object {
                    t = t.base();
                    out.push(Value::Type(t));
                }
                out
            }
            other => match self.heap.class(other) {
                Some(c) => c.mro.clone(),
                None => Vec::new(),
            },
        }
    }

    pub(crate) fn is_subclass_val(&self, a: &Value, b: &Value) -> bool {
        if a == b {
            return true;
        }
        if let (Value::Type(x), Value::Type(y)) = (a, b) {
            return x.is_subtype(*y);
        }
        match b {
            Value::Type(t) => self.is_subclass_ty(a, *t),
            _ => self.mro(a).contains(b),
        }
    }

    pub(crate) fn is_subclass_ty(&self, a: &Value, t: Ty) -> bool {
        match a {
            Value::Type(x) => x.is_subtype(t),
            other => self.mro(other).iter().any(|c| match c {
                Value::Type(x) => x.is_subtype(t),
                _ => false,
            }),
        }
    }

    pub(crate) fn isinstance(&mut self, v: &Value, cls: &Value) -> R<bool> {
        if let Some(items) = self.tuple_items(cls) {
            for c in items {
                if self.isinstance(v, &c)? {
                    return Ok(true);
                }
            }
            return Ok(false);
        }
        if !self.is_class(cls) {
            return Err(self.exc_flow(
                Ty::TypeError,
                "isinstance() arg 2 must be a type, a tuple of types, or a union",
            ));
        }
        let t = self.type_of(v);
        Ok(self.is_subclass_val(&t, cls))
    }

    pub(crate) fn issubclass_any(&mut self, a: &Value, cls: &Value) -> R<bool> {
        if let Some(items) = self.tuple_items(cls) {
            for c in items {
                if self.issubclass_any(a, &c)? {
                    return Ok(true);
                }
            }
            return Ok(false);
        }
        if !self.is_class(cls) {
            return Err(self.exc_flow(
                Ty::TypeError,
                "issubclass() arg 2 must be a class, a tuple of classes, or a union",
            ));
        }
        Ok(self.is_subclass_val(a, cls))
    }

    pub(crate) fn exc_is(&self, e: &Value, t: Ty) -> bool {
        let c = self.type_of(e);
        self.is_subclass_ty(&c, t)
    }

    pub(crate) fn exc_matches(&mut self, exc: &Value, typ: &Value) -> R<bool> {
        if let Some(items) = self.tuple_items(typ) {
            for c in items {
                if self.exc_matches(exc, &c)? {
                    return Ok(true);
                }
            }
            return Ok(false);
        }
        if !self.is_class(typ) || !self.is_subclass_ty(typ, Ty::BaseException) {
            return Err(self.exc_flow(
                Ty::TypeError,
                "catching classes that do not inherit from BaseException is not allowed",
            ));
        }
        let c = self.type_of(exc);
        Ok(self.is_subclass_val(&c, typ))
    }

    pub(crate) fn tuple_items(&self, v: &Value) -> Option<Vec<Value>> {
        match v {
            Value::Ref(i) => match self.heap.get(*i) {
                Some(Obj::Tuple(t)) => Some(t.clone()),
                _ => None,
            },
            _ => None,
        }
    }

    /// Looks `name` up in a class's MRO (user classes only: builtin types'
    /// methods are native).
    pub(crate) fn lookup_in_mro(&self, cls: &Value, name: Sym) -> Option<Value> {
        for c in self.mro(cls) {
            if let Some(c) = self.heap.class(&c) {
                if let Some(v) = ns_get(&c.ns, name) {
                    return Some(v.clone());
                }
            }
        }
        None
    }

    /// A class attribute of `obj`'s class (not bound).
    pub(crate) fn lookup_class_attr(&self, obj: &Value, name: Sym) -> Option<Value> {
        let c = if self.is_class(obj)
            && !matches!(obj, Value::Type(_))
            && self.heap.inst(obj).is_none()
        {
            obj.clone()
        } else {
            self.type_of(obj)
        };
        self.lookup_in_mro(&c, name)
    }

    /// A special method of an instance, bound, for the `with` statement.
    pub(crate) fn lookup_special(&mut self, obj: &Value, name: Sym) -> Option<Value> {
        let c = self.type_of(obj);
        if let Some(f) = self.lookup_in_mro(&c, name) {
            return Some(self.bind(obj, f));
        }
        if self.has_native_method(obj, name) {
            return Some(Value::Ref(
                self.heap.alloc(Obj::BoundNative(obj.clone(), name)),
            ));
        }
        None
    }

    /// A class attribute accessed through an instance.
    fn bind(&mut self, obj: &Value, f: Value) -> Value {
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

    // ------------------------------------------------------------ operators

    pub(crate) fn index_of(&mut self, v: &Value) -> R<i64> {
        match v {
            Value::Int(i) => Ok(*i),
            Value::Bool(b) => Ok(*b as i64),
            other => {
                let n = self.type_name(other);
                Err(self.exc_flow(
                    Ty::TypeError,
                    &format!("'{n}' object cannot be interpreted as an integer"),
                ))
            }
        }
    }

    fn num(v: &Value) -> Option<f64> {
        match v {
            Value::Int(i) => Some(*i as f64),
            Value::Bool(b) => Some(*b as i64 as f64),
            Value::Float(f) => Some(f.0),
            _ => None,
        }
    }
    fn int(v: &Value) -> Option<i64> {
        match v {
            Value::Int(i) => Some(*i),
            Value::Bool(b) => Some(*b as i64),
            _ => None,
        }
    }

    fn op_error(&mut self, op: BinOp, a: &Value, b: &Value) -> Flow {
        let (ta, tb) = (self.type_name(a), self.type_name(b));
        let msg = match (op, a, b) {
            (BinOp::Add, Value::Str(_), _) => {
                format!("can only concatenate str (not \"{tb}\") to str")
            }
            (BinOp::Add, Value::Bytes(_), _) => format!("can't concat {tb} to bytes"),
            (BinOp::Add, Value::Ref(_), _) if ta == "list" || ta == "tuple" => {
                format!("can only concatenate {ta} (not \"{tb}\") to {ta}")
            }
            (BinOp::Mul, _, _) if is_seq(&ta) || is_seq(&tb) => {
                let other = if is_seq(&ta) { &tb } else { &ta };
                format!("can't multiply sequence by non-int of type '{other}'")
            }
            _ => format!(
                "unsupported operand type(s) for {}: '{ta}' and '{tb}'",
                op.symbol()
            ),
        };
        self.exc_flow(Ty::TypeError, &msg)
    }

    fn check_size(&mut self, n: usize) -> R<()> {
        if n > MAX_ITEMS {
            return Err(self.exc_flow(Ty::MemoryError, ""));
        }
        Ok(())
    }

    pub(crate) fn binary(
        &mut self,
        os: &mut dyn Os,
        op: BinOp,
        a: &Value,
        b: &Value,
        inplace: bool,
    ) -> R<Value> {
        // ints (and bools)
        if let (Some(x), Some(y)) = (Self::int(a), Self::int(b)) {
            return self.int_op(op, x, y);
        }
        if let (Some(x), Some(y)) = (Self::num(a), Self::num(b)) {
            return self.float_op(op, x, y);
        }
        match (a, b) {
            (Value::Str(x), Value::Str(y)) if op == BinOp::Add => {
                self.check_size(x.len() + y.len())?;
                let mut s = String::with_capacity(x.len() + y.len());
                s.push_str(x);
                s.push_str(y);
                return Ok(Value::Str(s.into()));
            }
            (Value::Bytes(x), Value::Bytes(y)) if op == BinOp::Add => {
                let mut v = x.to_vec();
                v.extend_from_slice(y);
                return Ok(Value::Bytes(v.into()));
            }
            (Value::Str(s), n) | (n, Value::Str(s))
                if op == BinOp::Mul && Self::int(n).is_some() =>
            {
                let k = Self::int(n).unwrap_or(0).max(0) as usize;
                self.check_size(s.len().saturating_mul(k))?;
                return Ok(Value::Str(s.repeat(k).into()));
            }
            (Value::Bytes(s), n) | (n, Value::Bytes(s))
                if op == BinOp::Mul && Self::int(n).is_some() =>
            {
                let k = Self::int(n).unwrap_or(0).max(0) as usize;
                self.check_size(s.len().saturating_mul(k))?;
                return Ok(Value::Bytes(s.repeat(k).into()));
            }
            (Value::Str(s), _) if op == BinOp::Mod => {
                return Ok(Value::Str(self.percent_format(os, s, b)?));
            }
            (Value::Bytes(s), _) if op == BinOp::Mod => {
                let text: String = s.iter().map(|&c| c as char).collect();
                let r = self.percent_format(os, &text, b)?;
                return Ok(Value::Bytes(
                    r.chars()
                        .map(|c| c as u32 as u8)
                        .collect::<Vec<u8>>()
                        .into(),
                ));
            }
            _ => {}
        }
        // containers
        if let (Value::Ref(x), Value::Ref(y)) = (a, b) {
            let (x, y) = (*x, *y);
            match (self.heap.get(x), self.heap.get(y), op) {
                (Some(Obj::List(l)), Some(Obj::List(m)), BinOp::Add) => {
                    if inplace {
                        let m = m.clone();
                        if let Some(Obj::List(l)) = self.heap.get_mut(x) {
                            l.extend(m);
                        }
                        return Ok(a.clone());
                    }
                    let mut v = l.clone();
                    v.extend(m.iter().cloned());
                    return Ok(Value::Ref(self.heap.alloc(Obj::List(v))));
                }
                (Some(Obj::Tuple(l)), Some(Obj::Tuple(m)), BinOp::Add) => {
                    let mut v = l.clone();
                    v.extend(m.iter().cloned());
                    return Ok(self.new_tuple(v));
                }
                (Some(Obj::Dict(l)), Some(Obj::Dict(m)), BinOp::BitOr) => {
                    let (l, m) = (l.clone(), m.clone());
                    let d = if inplace {
                        a.clone()
                    } else {
                        Value::Ref(self.heap.alloc(Obj::Dict(l)))
                    };
                    for (k, v) in m {
                        self.dict_set(&d, k, v)?;
                    }
                    return Ok(d);
                }
                (
                    Some(Obj::Set(l)),
                    Some(Obj::Set(m)),
                    BinOp::BitOr | BinOp::BitAnd | BinOp::Sub | BinOp::BitXor,
                ) => {
                    let (l, m) = (l.clone(), m.clone());
                    let mut out = Vec::new();
                    match op {
                        BinOp::BitOr => {
                            out = l;
                            for v in m {
                                if !self.contains_value(&out, &v)? {
                                    out.push(v);
                                }
                            }
                        }
                        BinOp::BitAnd => {
                            for v in l {
                                if self.contains_value(&m, &v)? {
                                    out.push(v);
                                }
                            }
                        }
                        BinOp::Sub => {
                            for v in l {
                                if !self.contains_value(&m, &v)? {
                                    out.push(v);
                                }
                            }
                        }
                        _ => {
                            for v in l.iter() {
                                if !self.contains_value(&m, v)? {
                                    out.push(v.clone());
                                }
                            }
                            for v in m {
                                if !self.contains_value(&l, &v)? {
                                    out.push(v);
                                }
                            }
                        }
                    }
                    if inplace {
                        if let Some(Obj::Set(s)) = self.heap.get_mut(x) {
                            *s = out;
                        }
                        return Ok(a.clone());
                    }
                    return Ok(Value::Ref(self.heap.alloc(Obj::Set(out))));
                }
                _ => {}
            }
        }
        if inplace {
            if let (Value::Ref(x), BinOp::Add) = (a, op) {
                if let Some(Obj::List(_)) = self.heap.get(*x) {
                    if self.heap.inst(b).is_none() {
                        let items = match self.iterate(os, b) {
                            Ok(i) => i,
                            Err(_) => {
                                let n = self.type_name(b);
                                return Err(self.exc_flow(
                                    Ty::TypeError,
                                    &format!("'{n}' object is not iterable"),
                                ));
                            }
                        };
                        if let Some(Obj::List(l)) = self.heap.get_mut(*x) {
                            l.extend(items);
                        }
                        return Ok(a.clone());
                    }
                }
            }
        }
        if let (Value::Ref(x), Some(n)) = (a, Self::int(b)) {
            if op == BinOp::Mul {
                let k = n.max(0) as usize;
                let (is_list, src) = match self.heap.get(*x) {
                    Some(Obj::List(l)) => (true, Some(l.clone())),
                    Some(Obj::Tuple(l)) => (false, Some(l.clone())),
                    _ => (false, None),
                };
                match src {
                    Some(l) if is_list => {
                        self.check_size(l.len().saturating_mul(k))?;
                        let v: Vec<Value> = l.iter().cloned().cycle().take(l.len() * k).collect();
                        if inplace {
                            if let Some(Obj::List(l)) = self.heap.get_mut(*x) {
                                *l = v;
                            }
                            return Ok(a.clone());
                        }
                        return Ok(Value::Ref(self.heap.alloc(Obj::List(v))));
                    }
                    Some(l) => {
                        self.check_size(l.len().saturating_mul(k))?;
                        let v: Vec<Value> = l.iter().cloned().cycle().take(l.len() * k).collect();
                        return Ok(self.new_tuple(v));
                    }
                    None => {}
                }
            }
        }
        if let (Some(n), Value::Ref(y)) = (Self::int(a), b) {
            if op == BinOp::Mul {
                if let Some(Obj::List(_) | Obj::Tuple(_)) = self.heap.get(*y) {
                    return self.binary(os, op, b, &Value::Int(n), false);
                }
            }
        }
        // user-defined operators
        let (name, rname) = dunder(op);
        if inplace && op == BinOp::Add {
            if let Some(f) = self.lookup_user_method(a, bi::S_IADD) {
                let r = self.call_sync(os, f, vec![a.clone(), b.clone()], Vec::new())?;
                if r != Value::NotImplemented {
                    return Ok(r);
                }
            }
        }
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
        Err(self.op_error(op, a, b))
    }

    fn lookup_user_method(&self, v: &Value, name: Sym) -> Option<Value> {
        self.heap.inst(v)?;
        let c = self.type_of(v);
        self.lookup_in_mro(&c, name)
    }

    fn int_op(&mut self, op: BinOp, a: i64, b: i64) -> R<Value> {
        let r = match op {
            BinOp::Add => a.checked_add(b),
            BinOp::Sub => a.checked_sub(b),
            BinOp::Mul => a.checked_mul(b),
            BinOp::Div => {
                if b == 0 {
                    return Err(self.exc_flow(Ty::ZeroDivisionError, "division by zero"));
                }
                return Ok(Value::float(a as f64 / b as f64));
            }
            BinOp::FloorDiv | BinOp::Mod => {
                if b == 0 {
                    return Err(self.exc_flow(
                        Ty::ZeroDivisionError,
                        if op == BinOp::Mod {
                            "integer modulo by zero"
                        } else {
                            "integer division or modulo by zero"
                        },
                    ));
                }
                if op == BinOp::Mod {
                    Some(floor_mod(a, b))
                } else {
                    floor_div(a, b)
                }
            }
            BinOp::Pow => {
                if b < 0 {
                    if a == 0 {
                        return Err(self.exc_flow(
                            Ty::ZeroDivisionError,
                            "0.0 cannot be raised to a negative power",
                        ));
                    }
                    return Ok(Value::float((a as f64).powf(b as f64)));
                }
                match u32::try_from(b) {
                    Ok(e) => a.checked_pow(e),
                    Err(_) => match a {
                        0 | 1 => Some(a),
                        -1 => Some(if b % 2 == 0 { 1 } else { -1 }),
                        _ => None,
                    },
                }
            }
            BinOp::LShift | BinOp::RShift => {
                if b < 0 {
                    return Err(self.exc_flow(Ty::ValueError, "negative shift count"));
                }
                if op == BinOp::RShift {
                    Some(if b >= 64 {
                        if a < 0 {
                            -1
                        } else {
                            0
                        }
                    } else {
                        a >> b
                    })
                } else if a == 0 {
                    Some(0)
                } else if b >= 63 {
                    None
                } else {
                    let r = a << b;
                    if r >> b == a {
                        Some(r)
                    } else {
                        None
                    }
                }
            }
            BinOp::BitAnd => Some(a & b),
            BinOp::BitOr => Some(a | b),
            BinOp::BitXor => Some(a ^ b),
            BinOp::MatMul => {
                return Err(self.exc_flow(
                    Ty::TypeError,
                    "unsupported operand type(s) for @: 'int' and 'int'",
                ))
            }
        };
        match r {
            Some(v) => Ok(Value::Int(v)),
            None => Err(self.overflow()),
        }
    }

    fn float_op(&mut self, op: BinOp, a: f64, b: f64) -> R<Value> {
        let r = match op {
            BinOp::Add => a + b,
            BinOp::Sub => a - b,
            BinOp::Mul => a * b,
            BinOp::Div => {
                if b == 0.0 {
                    return Err(self.exc_flow(Ty::ZeroDivisionError, "float division by zero"));
                }
                a / b
            }
            BinOp::FloorDiv => {
                if b == 0.0 {
                    return Err(
                        self.exc_flow(Ty::ZeroDivisionError, "float floor division by zero")
                    );
                }
                float_floordiv(a, b)
            }
            BinOp::Mod => {
                if b == 0.0 {
                    return Err(self.exc_flow(Ty::ZeroDivisionError, "float modulo"));
                }
                float_mod(a, b)
            }
            BinOp::Pow => {
                if a == 0.0 && b < 0.0 {
                    return Err(self.exc_flow(
                        Ty::ZeroDivisionError,
                        "0.0 cannot be raised to a negative power",
                    ));
                }
                if a < 0.0 && b.fract() != 0.0 && b.is_finite() {
                    return Err(self.exc_flow(
                        Ty::ValueError,
                        "a negative number to a fractional power gives a complex number, which this interpreter does not have",
                    ));
                }
                let r = a.powf(b);
                if r.is_infinite() && a.is_finite() && b.is_finite() {
                    return Err(
                        self.exc_flow(Ty::OverflowError, "(34, 'Numerical result out of range')")
                    );
                }
                r
            }
            _ => {
                let msg = format!(
                    "unsupported operand type(s) for {}: 'float' and 'float'",
                    op.symbol()
                );
                return Err(self.exc_flow(Ty::TypeError, &msg));
            }
        };
        Ok(Value::float(r))
    }

    pub(crate) fn pow_mod(&mut self, a: &Value, b: &Value, m: &Value) -> R<Value> {
        let (Some(a), Some(b), Some(m)) = (Self::int(a), Self::int(b), Self::int(m)) else {
            return Err(self.exc_flow(
                Ty::TypeError,
                "pow() 3rd argument not allowed unless all arguments are integers",
            ));
        };
        if m == 0 {
            return Err(self.exc_flow(Ty::ValueError, "pow() 3rd argument cannot be 0"));
        }
        if b < 0 {
            return Err(self.exc_flow(
                Ty::ValueError,
                "base is not invertible for the given modulus",
            ));
        }
        let (mut base, mut e, mm) = (a.rem_euclid(m) as i128, b, m as i128);
        let mut r: i128 = 1 % mm;
        while e > 0 {
            if e & 1 == 1 {
                r = (r * base).rem_euclid(mm);
            }
            base = (base * base).rem_euclid(mm);
            e >>= 1;
        }
        let mut r = r as i64;
        if m < 0 && r > 0 {
            r += m;
        }
        Ok(Value::Int(r))
    }

    pub(crate) fn unary(&mut self, os: &mut dyn Os, op: UnOp, a: &Value) -> R<Value> {
        if op == UnOp::Not {
            return Ok(Value::Bool(!self.truthy(os, a)?));
        }
        match (op, a) {
            (UnOp::Neg, Value::Int(i)) => match i.checked_neg() {
                Some(v) => Ok(Value::Int(v)),
                None => Err(self.overflow()),
            },
            (UnOp::Neg, Value::Bool(b)) => Ok(Value::Int(-(*b as i64))),
            (UnOp::Neg, Value::Float(f)) => Ok(Value::float(-f.0)),
            (UnOp::Pos, Value::Int(_) | Value::Float(_)) => Ok(a.clone()),
            (UnOp::Pos, Value::Bool(b)) => Ok(Value::Int(*b as i64)),
            (UnOp::Invert, Value::Int(i)) => Ok(Value::Int(!i)),
            (UnOp::Invert, Value::Bool(b)) => Ok(Value::Int(!(*b as i64))),
            _ => {
                let name = match op {
                    UnOp::Neg => bi::S_NEG,
                    UnOp::Pos => bi::S_POS,
                    _ => bi::S_INVERT,
                };
                if let Some(f) = self.lookup_user_method(a, name) {
                    return self.call_sync(os, f, vec![a.clone()], Vec::new());
                }
                let sym = match op {
                    UnOp::Neg => "-",
                    UnOp::Pos => "+",
                    _ => "~",
                };
                let n = self.type_name(a);
                Err(self.exc_flow(
                    Ty::TypeError,
                    &format!("bad operand type for unary {sym}: '{n}'"),
                ))
            }
        }
    }

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

    // ------------------------------------------------------------ classes

    pub(crate) fn check_base(&mut self, b: &Value) -> R<()> {
        match b {
            Value::Type(t) => {
                if matches!(
                    t,
                    Ty::Bool | Ty::NoneType | Ty::Range | Ty::Slice | Ty::Function | Ty::Type
                ) {
                    return Err(self.exc_flow(
                        Ty::TypeError,
                        &format!("type '{}' is not an acceptable base type", t.name()),
                    ));
                }
                Ok(())
            }
            other if self.heap.class(other).is_some() => Ok(()),
            other => {
                let n = self.type_name(other);
                Err(self.exc_flow(Ty::TypeError, &format!("bases must be types, not '{n}'")))
            }
        }
    }

    pub(crate) fn make_class(
        &mut self,
        _os: &mut dyn Os,
        code: &super::compile::Code,
        bases: Vec<Value>,
        ns: Ns,
        globals: Ix,
    ) -> R<Value> {
        let bases = if bases.is_empty() {
            vec![Value::Type(Ty::Object)]
        } else {
            bases
        };
        // MRO: C3 for the simple cases (depth-first, duplicates kept last)
        let mut mro_tail: Vec<Value> = Vec::new();
        for b in &bases {
            for c in self.mro(b) {
                if let Some(p) = mro_tail.iter().position(|x| *x == c) {
                    mro_tail.remove(p);
                }
                mro_tail.push(c);
            }
        }
        let mut native = Ty::Object;
        for c in &mro_tail {
            let t = match c {
                Value::Type(t) => *t,
                other => self
                    .heap
                    .class(other)
                    .map(|c| c.native)
                    .unwrap_or(Ty::Object),
            };
            if t != Ty::Object {
                if native != Ty::Object && !native.is_subtype(t) && !t.is_subtype(native) {
                    return Err(self.exc_flow(
                        Ty::TypeError,
                        "multiple bases have instance lay-out conflict",
                    ));
                }
                if native == Ty::Object || t.is_subtype(native) {
                    native = t;
                }
            }
        }
        let module = self.module_name(globals);
        let ix = self.heap.alloc(Obj::Class(Box::new(Class {
            name: code.name.clone(),
            qualname: code.qualname.clone(),
            module,
            bases,
            mro: Vec::new(),
            ns,
            native,
        })));
        let mut mro = vec![Value::Ref(ix)];
        mro.extend(mro_tail);
        // functions defined in the body learn their class (zero-arg super())
        let members: Vec<Value> = match self.heap.get(ix) {
            Some(Obj::Class(c)) => c.ns.iter().map(|(_, v)| v.clone()).collect(),
            _ => Vec::new(),
        };
        for m in members {
            let mut f = m;
            if let Value::Ref(i) = &f {
                match self.heap.get(*i) {
                    Some(Obj::StaticMethod(x)) | Some(Obj::ClassMethod(x)) => f = x.clone(),
                    Some(Obj::Property(g, s)) => {
                        for x in [g.clone(), s.clone()] {
                            if let Value::Ref(j) = x {
                                if let Some(Obj::Func(func)) = self.heap.get_mut(j) {
                                    func.class = Some(ix);
                                }
                            }
                        }
                    }
                    _ => {}
                }
            }
            if let Value::Ref(i) = f {
                if let Some(Obj::Func(func)) = self.heap.get_mut(i) {
                    func.class = Some(ix);
                }
            }
        }
        if let Some(Obj::Class(c)) = self.heap.get_mut(ix) {
            c.mro = mro;
        }
        Ok(Value::Ref(ix))
    }

    pub(crate) fn module_name(&self, m: Ix) -> Rc<str> {
        match self.heap.get(m) {
            Some(Obj::Module(md)) => md.name.clone(),
            _ => Rc::from("__main__"),
        }
    }

    pub(crate) fn module_name_of(&self, m: &Value) -> String {
        match m {
            Value::Ref(i) => self.module_name(*i).to_string(),
            _ => String::new(),
        }
    }

    pub(crate) fn module_get(&self, m: &Value, s: Sym) -> Option<Value> {
        match m {
            Value::Ref(i) => match self.heap.get(*i) {
                Some(Obj::Module(md)) => ns_get(&md.ns, s).cloned(),
                _ => None,
            },
            _ => None,
        }
    }
}

pub(crate) fn range_len(a: i64, b: i64, c: i64) -> i64 {
    if c > 0 && a < b {
        ((b as i128 - a as i128 - 1) / c as i128 + 1) as i64
    } else if c < 0 && a > b {
        ((a as i128 - b as i128 - 1) / (-(c as i128)) + 1) as i64
    } else {
        0
    }
}

fn is_seq(t: &str) -> bool {
    matches!(t, "str" | "bytes" | "list" | "tuple")
}

fn dunder(op: BinOp) -> (Sym, Sym) {
    match op {
        BinOp::Add => (bi::S_ADD, bi::S_RADD),
        BinOp::Sub => (bi::S_SUB, bi::S_RSUB),
        BinOp::Mul => (bi::S_MUL, bi::S_RMUL),
        BinOp::Div => (bi::S_TRUEDIV, bi::S_RTRUEDIV),
        BinOp::FloorDiv => (bi::S_FLOORDIV, bi::S_RFLOORDIV),
        BinOp::Mod => (bi::S_MOD, bi::S_RMOD),
        BinOp::Pow => (bi::S_POW, bi::S_RPOW),
        BinOp::LShift => (bi::S_LSHIFT, bi::S_RLSHIFT),
        BinOp::RShift => (bi::S_RSHIFT, bi::S_RRSHIFT),
        BinOp::BitOr => (bi::S_OR, bi::S_ROR),
        BinOp::BitXor => (bi::S_XOR, bi::S_RXOR),
        BinOp::BitAnd => (bi::S_AND, bi::S_RAND),
        BinOp::MatMul => (bi::S_MATMUL, bi::S_RMATMUL),
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

impl Native {
    /// Instances of builtin exception classes take attributes (e.errno…).
    pub(crate) fn is_exc_like(&self) -> bool {
        matches!(self, Native::Exc(_))
    }
}
