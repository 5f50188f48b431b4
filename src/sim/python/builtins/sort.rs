//! Sorting: `sorted()`/`list.sort()` (stable, with `key` and `reverse`) and
//! the name sort of `dir()`.

use crate::sim::python::value::*;
use crate::sim::python::vm::{Flow, R};
use crate::sim::python::{Interp, Os};
use std::rc::Rc;

/// Sorts names (heapsort: std's sort would add its own instantiation to
/// the bundle for this one use).
pub(crate) fn sort_names(v: &mut [Rc<str>]) {
    fn sift(v: &mut [Rc<str>], mut root: usize, end: usize) {
        loop {
            let mut child = 2 * root + 1;
            if child >= end {
                return;
            }
            if child + 1 < end && v[child] < v[child + 1] {
                child += 1;
            }
            if v[root] >= v[child] {
                return;
            }
            v.swap(root, child);
            root = child;
        }
    }
    let n = v.len();
    for i in (0..n / 2).rev() {
        sift(v, i, n);
    }
    for end in (1..n).rev() {
        v.swap(0, end);
        sift(v, 0, end);
    }
}

impl Interp {
    /// Sorts in place (stable, like CPython's), calling `key` and `<`.
    pub(crate) fn sort_values(
        &mut self,
        os: &mut dyn Os,
        items: &mut Vec<Value>,
        key: Option<Value>,
        reverse: bool,
    ) -> R<()> {
        let key = key.filter(|k| *k != Value::None);
        let mut keyed: Vec<(Value, Value)> = Vec::with_capacity(items.len());
        for it in items.drain(..) {
            let k = match &key {
                Some(kf) => self.call_sync(os, kf.clone(), vec![it.clone()], Vec::new())?,
                None => it.clone(),
            };
            keyed.push((k, it));
        }
        if reverse {
            keyed.reverse();
        }
        // merge sort with a fallible comparison (stable)
        let mut err: Option<Flow> = None;
        let n = keyed.len();
        let mut buf: Vec<(Value, Value)> = keyed;
        let mut width = 1;
        while width < n && err.is_none() {
            let mut out: Vec<(Value, Value)> = Vec::with_capacity(n);
            let mut i = 0;
            while i < n {
                let mid = (i + width).min(n);
                let end = (i + 2 * width).min(n);
                let (mut a, mut b) = (i, mid);
                while a < mid && b < end {
                    let (ka, kb) = match (buf.get(a), buf.get(b)) {
                        (Some(x), Some(y)) => (x.0.clone(), y.0.clone()),
                        _ => break,
                    };
                    // take b first only if b < a (stability)
                    let lt = match self.compare(os, super::super::ast::CmpOp::Lt, &kb, &ka) {
                        Ok(v) => self.truthy(os, &v),
                        Err(e) => Err(e),
                    };
                    let take_b = match lt {
                        Ok(t) => t,
                        Err(e) => {
                            err = Some(e);
                            false
                        }
                    };
                    if take_b {
                        if let Some(x) = buf.get(b) {
                            out.push(x.clone());
                        }
                        b += 1;
                    } else {
                        if let Some(x) = buf.get(a) {
                            out.push(x.clone());
                        }
                        a += 1;
                    }
                }
                out.extend(buf.get(a..mid).unwrap_or(&[]).iter().cloned());
                out.extend(buf.get(b..end).unwrap_or(&[]).iter().cloned());
                i = end;
            }
            buf = out;
            width *= 2;
        }
        if reverse {
            buf.reverse();
        }
        items.extend(buf.into_iter().map(|(_, v)| v));
        match err {
            Some(e) => Err(e),
            None => Ok(()),
        }
    }
}
