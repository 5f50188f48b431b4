//! Methods of `list`, and those `tuple` and `range` share with it (`count`,
//! `index`).

use crate::sim::python::builtins::take_kw;
use crate::sim::python::value::*;
use crate::sim::python::vm::R;
use crate::sim::python::{Interp, Os};

impl Interp {
    // ------------------------------------------------------------ list / tuple

    pub(super) fn seq_method(
        &mut self,
        os: &mut dyn Os,
        items: &[Value],
        what: &str,
        n: &str,
        args: Vec<Value>,
    ) -> R<Value> {
        let x = args.first().cloned().unwrap_or(Value::None);
        match n {
            "count" => {
                let mut c = 0;
                for it in items {
                    if Self::identical(it, &x) || self.eq(os, it, &x)? {
                        c += 1;
                    }
                }
                Ok(Value::Int(c))
            }
            "index" => {
                let (st, en) = self.range_args(&args, 1, items.len())?;
                for (i, it) in items.iter().enumerate().take(en).skip(st) {
                    if Self::identical(it, &x) || self.eq(os, it, &x)? {
                        return Ok(Value::Int(i as i64));
                    }
                }
                let msg = if what == "list" {
                    let r = self.repr(os, &x)?;
                    format!("{r} is not in list")
                } else if what == "range" {
                    let r = self.repr(os, &x)?;
                    format!("{r} is not in range")
                } else {
                    format!("{what}.index(x): x not in {what}")
                };
                Err(self.exc_flow(Ty::ValueError, &msg))
            }
            "__len__" => Ok(Value::Int(items.len() as i64)),
            _ => {
                let s = self.heap.intern(n);
                let t = self.new_tuple(items.to_vec());
                Err(self.attr_error(&t, s))
            }
        }
    }

    fn list_items(&self, l: &Value) -> Vec<Value> {
        match l {
            Value::Ref(i) => match self.heap.get(*i) {
                Some(Obj::List(v)) => v.clone(),
                _ => Vec::new(),
            },
            _ => Vec::new(),
        }
    }

    fn with_list<T>(&mut self, l: &Value, f: impl FnOnce(&mut Vec<Value>) -> T) -> Option<T> {
        match l {
            Value::Ref(i) => match self.heap.get_mut(*i) {
                Some(Obj::List(v)) => Some(f(v)),
                _ => None,
            },
            _ => None,
        }
    }

    pub(super) fn list_method(
        &mut self,
        os: &mut dyn Os,
        l: &Value,
        n: &str,
        args: Vec<Value>,
        mut kw: Vec<(Sym, Value)>,
    ) -> R<Value> {
        let a0 = args.first().cloned();
        let fname = format!("list.{n}");
        match n {
            "append" => {
                self.nargs(&fname, &args, 1, 1)?;
                let v = a0.unwrap_or(Value::None);
                let len = self.with_list(l, |v2| {
                    v2.push(v);
                    v2.len()
                });
                if len.unwrap_or(0) > super::super::ops::MAX_ITEMS {
                    return Err(self.exc_flow(Ty::MemoryError, ""));
                }
                Ok(Value::None)
            }
            "extend" => {
                self.nargs(&fname, &args, 1, 1)?;
                let items = self.iterate(os, &a0.unwrap_or(Value::None))?;
                self.with_list(l, |v| v.extend(items));
                Ok(Value::None)
            }
            "insert" => {
                self.nargs(&fname, &args, 2, 2)?;
                let i = self.index_of(&a0.unwrap_or(Value::None))?;
                let v = args.get(1).cloned().unwrap_or(Value::None);
                self.with_list(l, |items| {
                    let len = items.len() as i64;
                    let pos = if i < 0 { (i + len).max(0) } else { i.min(len) } as usize;
                    items.insert(pos, v);
                });
                Ok(Value::None)
            }
            "pop" => {
                self.nargs(&fname, &args, 0, 1)?;
                let i = match a0 {
                    Some(v) => self.index_of(&v)?,
                    None => -1,
                };
                let r = self.with_list(l, |items| {
                    if items.is_empty() {
                        return Err("pop from empty list");
                    }
                    let len = items.len() as i64;
                    let j = if i < 0 { i + len } else { i };
                    if j < 0 || j >= len {
                        return Err("pop index out of range");
                    }
                    Ok(items.remove(j as usize))
                });
                match r {
                    Some(Ok(v)) => {
                        if self.is_socket(&v) {
                            self.gc_pending = true;
                        }
                        Ok(v)
                    }
                    Some(Err(m)) => Err(self.exc_flow(Ty::IndexError, m)),
                    None => Ok(Value::None),
                }
            }
            "remove" => {
                self.nargs(&fname, &args, 1, 1)?;
                let x = a0.unwrap_or(Value::None);
                let items = self.list_items(l);
                for (i, it) in items.iter().enumerate() {
                    if Self::identical(it, &x) || self.eq(os, it, &x)? {
                        self.with_list(l, |v| {
                            if i < v.len() {
                                v.remove(i);
                            }
                        });
                        self.gc_pending = true;
                        return Ok(Value::None);
                    }
                }
                Err(self.exc_flow(Ty::ValueError, "list.remove(x): x not in list"))
            }
            "reverse" => {
                self.with_list(l, |v| v.reverse());
                Ok(Value::None)
            }
            "clear" => {
                self.with_list(l, |v| v.clear());
                self.gc_pending = true;
                Ok(Value::None)
            }
            "copy" => {
                let items = self.list_items(l);
                Ok(Value::Ref(self.heap.alloc(Obj::List(items))))
            }
            "sort" => {
                if !args.is_empty() {
                    return Err(
                        self.exc_flow(Ty::TypeError, "sort() takes no positional arguments")
                    );
                }
                let key = take_kw(&self.heap, &mut kw, "key");
                let rev = take_kw(&self.heap, &mut kw, "reverse");
                self.no_kw("sort", &kw)?;
                let rev = match rev {
                    Some(r) => self.truthy(os, &r)?,
                    None => false,
                };
                let mut items = self.list_items(l);
                self.sort_values(os, &mut items, key, rev)?;
                self.with_list(l, |v| *v = items);
                Ok(Value::None)
            }
            "__setitem__" => {
                let v = args.get(1).cloned().unwrap_or(Value::None);
                self.setitem(os, l, &a0.unwrap_or(Value::None), v)?;
                Ok(Value::None)
            }
            "__getitem__" => self.getitem(os, l, &a0.unwrap_or(Value::None)),
            "__contains__" => Ok(Value::Bool(self.contains(
                os,
                l,
                &a0.unwrap_or(Value::None),
            )?)),
            "__iter__" => self.get_iter(os, l),
            _ => {
                let items = self.list_items(l);
                self.seq_method(os, &items, "list", n, args)
            }
        }
    }
}
