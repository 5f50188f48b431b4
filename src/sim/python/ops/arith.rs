//! Arithmetic: binary and unary operators on ints, floats and sequences,
//! with CPython's floor division, modulo and error messages.

use super::MAX_ITEMS;
use crate::sim::python::ast::{BinOp, UnOp};
use crate::sim::python::builtins as bi;
use crate::sim::python::value::*;
use crate::sim::python::vm::{Flow, R};
use crate::sim::python::{Interp, Os};

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

    pub(super) fn num(v: &Value) -> Option<f64> {
        match v {
            Value::Int(i) => Some(*i as f64),
            Value::Bool(b) => Some(*b as i64 as f64),
            Value::Float(f) => Some(f.0),
            _ => None,
        }
    }

    pub(super) fn int(v: &Value) -> Option<i64> {
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

    pub(super) fn check_size(&mut self, n: usize) -> R<()> {
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

    pub(super) fn lookup_user_method(&self, v: &Value, name: Sym) -> Option<Value> {
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
