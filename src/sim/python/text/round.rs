//! The built-in `round()` of ints and floats,
//! rounding half to even as CPython does.

use super::*;

impl Interp {
    pub(crate) fn round(&mut self, _os: &mut dyn Os, v: &Value, nd: Option<Value>) -> R<Value> {
        let nd = match nd {
            None | Some(Value::None) => None,
            Some(n) => Some(self.index_of(&n)?),
        };
        match v {
            Value::Int(_) | Value::Bool(_) => {
                let i = match v {
                    Value::Int(i) => *i,
                    Value::Bool(b) => *b as i64,
                    _ => 0,
                };
                match nd {
                    Some(n) if n < 0 => {
                        if n < -18 {
                            return Ok(Value::Int(0));
                        }
                        let p = 10i64.pow((-n) as u32);
                        let q = i.div_euclid(p);
                        let r = i.rem_euclid(p);
                        let q = if r * 2 > p || (r * 2 == p && q % 2 != 0) {
                            q + 1
                        } else {
                            q
                        };
                        match q.checked_mul(p) {
                            Some(x) => Ok(Value::Int(x)),
                            None => Err(self.overflow()),
                        }
                    }
                    _ => Ok(Value::Int(i)),
                }
            }
            Value::Float(f) => {
                let x = f.0;
                match nd {
                    None => {
                        if x.is_nan() {
                            return Err(self
                                .exc_flow(Ty::ValueError, "cannot convert float NaN to integer"));
                        }
                        if x.is_infinite() {
                            return Err(self.exc_flow(
                                Ty::OverflowError,
                                "cannot convert float infinity to integer",
                            ));
                        }
                        let r = x.round_ties_even();
                        if r.abs() >= 9.2e18 {
                            return Err(self.overflow());
                        }
                        Ok(Value::Int(r as i64))
                    }
                    Some(n) => {
                        if !x.is_finite() {
                            return Ok(v.clone());
                        }
                        if n >= 0 {
                            let n = n.min(320) as usize;
                            let s = float::fixed(x, n);
                            Ok(Value::float(float::parse(&s).unwrap_or(x)))
                        } else {
                            let p = 10f64.powi((-n).min(320) as i32);
                            Ok(Value::float((x / p).round_ties_even() * p))
                        }
                    }
                }
            }
            other => {
                let n = self.type_name(other);
                Err(self.exc_flow(
                    Ty::TypeError,
                    &format!("type {n} doesn't define __round__ method"),
                ))
            }
        }
    }
}
