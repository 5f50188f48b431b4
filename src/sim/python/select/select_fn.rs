//! `select.select(rlist, wlist, xlist[, timeout])`: the lists of file
//! objects, the timeout, and one wait on all their fds.

use super::FD_SETSIZE;
use crate::sim::python::os::{OsCall, OsValue};
use crate::sim::python::value::*;
use crate::sim::python::vm::{Flow, R};
use crate::sim::python::{Interp, Os};

impl Interp {
    // ------------------------------------------------------------ select.select

    /// `select.select(rlist, wlist, xlist[, timeout])`.
    pub(crate) fn select_select(
        &mut self,
        os: &mut dyn Os,
        args: Vec<Value>,
        kw: Vec<(Sym, Value)>,
    ) -> R<Value> {
        if !kw.is_empty() {
            return Err(self.exc_flow(Ty::TypeError, "select.select() takes no keyword arguments"));
        }
        self.nargs("select", &args, 3, 4)?;
        let timeout = match args.get(3) {
            None | Some(Value::None) => None,
            Some(t) => Some(self.select_timeout(t)?),
        };
        let mut lists = Vec::with_capacity(3);
        for seq in args.iter().take(3) {
            lists.push(self.fd_pairs(os, seq)?);
        }
        let fds = |l: &[(Value, i64)]| l.iter().map(|(_, fd)| *fd as i32).collect::<Vec<i32>>();
        let call = OsCall::Select {
            read: fds(&lists[0]),
            write: fds(&lists[1]),
            timeout,
            epoll: false,
        };
        let (read, write) = match self.os_call(os, call)? {
            OsValue::Ready { read, write } => (read, write),
            _ => (Vec::new(), Vec::new()),
        };
        let pick = |l: &[(Value, i64)], ready: &[i32]| -> Vec<Value> {
            l.iter()
                .filter(|(_, fd)| ready.contains(&(*fd as i32)))
                .map(|(v, _)| v.clone())
                .collect()
        };
        let out = [pick(&lists[0], &read), pick(&lists[1], &write), Vec::new()];
        let items = out
            .into_iter()
            .map(|l| Value::Ref(self.heap.alloc(Obj::List(l))))
            .collect();
        Ok(self.new_tuple(items))
    }

    /// `select()`'s timeout in microseconds, rounded up as CPython's
    /// `_PyTime_ROUND_TIMEOUT` does.
    fn select_timeout(&mut self, t: &Value) -> R<u64> {
        let secs = match t {
            Value::Int(i) => *i as f64,
            Value::Bool(b) => *b as i64 as f64,
            Value::Float(f) => f.0,
            _ => return Err(self.exc_flow(Ty::TypeError, "timeout must be a float or None")),
        };
        if secs.is_nan() {
            return Err(self.exc_flow(Ty::ValueError, "Invalid value NaN (not a number)"));
        }
        if secs < 0.0 {
            return Err(self.exc_flow(Ty::ValueError, "timeout must be non-negative"));
        }
        let micros = (secs * 1e6).ceil();
        if micros > 9.2e18 {
            return Err(self.exc_flow(
                Ty::OverflowError,
                "timestamp out of range for platform time_t",
            ));
        }
        Ok(micros as u64)
    }

    /// The objects of one of `select()`'s lists with their fds
    /// (`PyObject_AsFileDescriptor` on each).
    fn fd_pairs(&mut self, os: &mut dyn Os, seq: &Value) -> R<Vec<(Value, i64)>> {
        let items = match self.iterate(os, seq) {
            Ok(items) => items,
            Err(Flow::Exc(e)) if self.exc_is(&e, Ty::TypeError) => {
                return Err(self.exc_flow(Ty::TypeError, "arguments 1-3 must be sequences"))
            }
            Err(e) => return Err(e),
        };
        let mut out = Vec::with_capacity(items.len());
        for v in items {
            let fd = match &v {
                Value::Int(i) => *i,
                Value::Bool(b) => *b as i64,
                other => {
                    let f = match self.fileno_method(os, other)? {
                        Some(f) => f,
                        None => {
                            return Err(self.exc_flow(
                                Ty::TypeError,
                                "argument must be an int, or have a fileno() method.",
                            ))
                        }
                    };
                    match self.call_sync(os, f, Vec::new(), Vec::new())? {
                        Value::Int(i) => i,
                        Value::Bool(b) => b as i64,
                        _ => {
                            return Err(
                                self.exc_flow(Ty::TypeError, "fileno() returned a non-integer")
                            )
                        }
                    }
                }
            };
            if fd < 0 {
                return Err(self.exc_flow(
                    Ty::ValueError,
                    &format!("file descriptor cannot be a negative integer ({fd})"),
                ));
            }
            if fd >= FD_SETSIZE {
                return Err(
                    self.exc_flow(Ty::ValueError, "filedescriptor out of range in select()")
                );
            }
            out.push((v, fd));
        }
        Ok(out)
    }

    /// `obj.fileno`, or `None` when it has no such attribute.
    pub(super) fn fileno_method(&mut self, os: &mut dyn Os, obj: &Value) -> R<Option<Value>> {
        let name = self.heap.intern("fileno");
        match self.getattr(os, obj, name) {
            Ok(f) => Ok(Some(f)),
            Err(Flow::Exc(e)) if self.exc_is(&e, Ty::AttributeError) => Ok(None),
            Err(e) => Err(e),
        }
    }
}
