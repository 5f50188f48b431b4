//! Types: the type of a value, the MRO, `isinstance`/`issubclass`,
//! exception matching and looking names up in classes.

use crate::sim::python::value::*;
use crate::sim::python::vm::R;
use crate::sim::python::Interp;
use std::rc::Rc;

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
}
