//! Methods of `int`, `bool` and `float`, and `int.from_bytes`.

use crate::sim::python::builtins::take_kw;
use crate::sim::python::value::*;
use crate::sim::python::vm::{Flow, R};
use crate::sim::python::{Interp, Os};
use std::rc::Rc;

impl Interp {
    // ------------------------------------------------------------ numbers

    pub(super) fn num_method(
        &mut self,
        os: &mut dyn Os,
        v: &Value,
        n: &str,
        args: Vec<Value>,
        kw: Vec<(Sym, Value)>,
    ) -> R<Value> {
        match (n, v) {
            ("bit_length", Value::Int(i)) => {
                Ok(Value::Int(64 - i.unsigned_abs().leading_zeros() as i64))
            }
            ("bit_length", Value::Bool(b)) => Ok(Value::Int(*b as i64)),
            ("conjugate", _) => Ok(v.clone()),
            ("is_integer", Value::Float(f)) => {
                Ok(Value::Bool(f.0.is_finite() && f.0.fract() == 0.0))
            }
            ("as_integer_ratio", Value::Int(i)) => {
                Ok(self.new_tuple(vec![Value::Int(*i), Value::Int(1)]))
            }
            ("to_bytes", Value::Int(i)) => {
                let mut kw = kw;
                let length =
                    take_kw(&self.heap, &mut kw, "length").or_else(|| args.first().cloned());
                let order =
                    take_kw(&self.heap, &mut kw, "byteorder").or_else(|| args.get(1).cloned());
                let signed = take_kw(&self.heap, &mut kw, "signed");
                let len = match length {
                    Some(l) => self.index_of(&l)?.max(0) as usize,
                    None => 1,
                };
                if len > super::super::ops::MAX_ITEMS {
                    return Err(self.exc_flow(Ty::MemoryError, ""));
                }
                let signed = match signed {
                    Some(s) => self.truthy(os, &s)?,
                    None => false,
                };
                if *i < 0 && !signed {
                    return Err(
                        self.exc_flow(Ty::OverflowError, "can't convert negative int to unsigned")
                    );
                }
                let big = match order {
                    Some(Value::Str(s)) if &*s == "little" => false,
                    Some(Value::Str(s)) if &*s == "big" => true,
                    None => true,
                    _ => {
                        return Err(self.exc_flow(
                            Ty::ValueError,
                            "byteorder must be either 'little' or 'big'",
                        ))
                    }
                };
                let all = i.to_be_bytes();
                let fits = if len >= 8 {
                    true
                } else if signed {
                    let bits = 8 * len as u32;
                    *i >= -(1i64 << (bits - 1).min(62)) * if bits == 64 { 2 } else { 1 }
                        && *i < (1i64 << (bits - 1))
                } else {
                    (*i as u64) < (1u64 << (8 * len as u32))
                };
                if !fits {
                    return Err(self.exc_flow(Ty::OverflowError, "int too big to convert"));
                }
                let fill = if *i < 0 { 0xff } else { 0 };
                let mut out = vec![fill; len.saturating_sub(8)];
                out.extend_from_slice(all.get(8usize.saturating_sub(len)..).unwrap_or(&[]));
                if !big {
                    out.reverse();
                }
                Ok(Value::Bytes(out.into()))
            }
            ("__format__", _) => {
                let spec = match args.first() {
                    Some(Value::Str(s)) => s.clone(),
                    _ => Rc::from(""),
                };
                Ok(Value::Str(self.format(os, v, &spec)?))
            }
            ("__str__" | "__repr__", _) => Ok(Value::Str(self.repr(os, v)?)),
            ("__hash__", _) => Ok(Value::Int(self.hash(os, v)?)),
            ("__add__" | "__sub__" | "__mul__", _) => {
                let op = match n {
                    "__add__" => super::super::ast::BinOp::Add,
                    "__sub__" => super::super::ast::BinOp::Sub,
                    _ => super::super::ast::BinOp::Mul,
                };
                let b = args.first().cloned().unwrap_or(Value::None);
                match self.binary(os, op, v, &b, false) {
                    Ok(r) => Ok(r),
                    Err(Flow::Exc(_)) => Ok(Value::NotImplemented),
                    Err(e) => Err(e),
                }
            }
            ("__eq__", _) => {
                let b = args.first().cloned().unwrap_or(Value::None);
                self.compare(os, super::super::ast::CmpOp::Eq, v, &b)
            }
            ("__lt__", _) => {
                let b = args.first().cloned().unwrap_or(Value::None);
                self.compare(os, super::super::ast::CmpOp::Lt, v, &b)
            }
            _ => {
                let s = self.heap.intern(n);
                Err(self.attr_error(v, s))
            }
        }
    }

    pub(super) fn int_from_bytes(
        &mut self,
        os: &mut dyn Os,
        args: Vec<Value>,
        mut kw: Vec<(Sym, Value)>,
    ) -> R<Value> {
        let data = take_kw(&self.heap, &mut kw, "bytes").or_else(|| args.first().cloned());
        let order = take_kw(&self.heap, &mut kw, "byteorder").or_else(|| args.get(1).cloned());
        let signed = take_kw(&self.heap, &mut kw, "signed");
        let data = match data {
            Some(Value::Bytes(b)) => b.to_vec(),
            Some(v) => self
                .iterate(os, &v)?
                .iter()
                .map(|x| match x {
                    Value::Int(i) => *i as u8,
                    _ => 0,
                })
                .collect(),
            None => Vec::new(),
        };
        let little = matches!(order, Some(Value::Str(s)) if &*s == "little");
        let mut bytes = data;
        if little {
            bytes.reverse();
        }
        let signed = match signed {
            Some(s) => self.truthy(os, &s)?,
            None => false,
        };
        let significant: Vec<u8> = {
            let skip = bytes.len().saturating_sub(8);
            if bytes
                .iter()
                .take(skip)
                .any(|&b| b != 0 && !(signed && b == 0xff))
            {
                return Err(self.overflow());
            }
            bytes.get(skip..).unwrap_or(&[]).to_vec()
        };
        let mut v: i64 = 0;
        for b in &significant {
            v = (v << 8) | *b as i64;
        }
        if signed && significant.first().is_some_and(|b| b & 0x80 != 0) && significant.len() < 8 {
            v -= 1i64 << (8 * significant.len());
        } else if !signed && significant.len() == 8 && v < 0 {
            return Err(self.overflow());
        }
        Ok(Value::Int(v))
    }
}
