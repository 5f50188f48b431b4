//! Classes: callables, base checks, making a class, and module names and
//! attributes.

use crate::sim::python::value::*;
use crate::sim::python::vm::R;
use crate::sim::python::{Interp, Os};
use std::rc::Rc;

impl Interp {
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
        code: &super::super::compile::Code,
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
