//! `format()` with a format spec: strings, ints and floats (fill, align,
//! sign, `#`, `0`, width, grouping, precision, type).

use super::*;

impl Interp {
    // ------------------------------------------------------------ format()

    pub(crate) fn format(&mut self, os: &mut dyn Os, v: &Value, spec: &str) -> R<Rc<str>> {
        if self.heap.inst(v).is_some() {
            if let Some(f) = self.lookup_class_attr(v, bi::S_FORMAT) {
                let r = self.call_sync(os, f, vec![v.clone(), Value::str(spec)], Vec::new())?;
                return match r {
                    Value::Str(s) => Ok(s),
                    _ => Err(self.exc_flow(Ty::TypeError, "__format__ must return a str")),
                };
            }
        }
        if spec.is_empty() {
            return self.str_of(os, v);
        }
        let Some(sp) = parse_spec(spec) else {
            return Err(self.exc_flow(Ty::ValueError, "Invalid format specifier"));
        };
        if sp.width > super::super::ops::MAX_ITEMS {
            return Err(self.exc_flow(Ty::MemoryError, ""));
        }
        if sp.precision.is_some_and(|p| p > 10_000) {
            return Err(self.exc_flow(Ty::ValueError, "precision too big"));
        }
        match v {
            Value::Str(s) => self.format_str(s, &sp),
            Value::Int(_) | Value::Bool(_) => {
                let i = match v {
                    Value::Int(i) => *i,
                    Value::Bool(b) => *b as i64,
                    _ => 0,
                };
                // a bool formats as an int once there is a spec
                self.format_int(i, &sp)
            }
            Value::Float(f) => self.format_float(f.0, &sp, "float"),
            _ => {
                let n = self.type_name(v);
                Err(self.exc_flow(
                    Ty::TypeError,
                    &format!("unsupported format string passed to {n}.__format__"),
                ))
            }
        }
    }

    fn format_str(&mut self, s: &str, sp: &Spec) -> R<Rc<str>> {
        match sp.ty {
            None | Some('s') => {}
            Some(t) => {
                return Err(self.exc_flow(
                    Ty::ValueError,
                    &format!("Unknown format code '{t}' for object of type 'str'"),
                ))
            }
        }
        if sp.sign.is_some() {
            return Err(self.exc_flow(
                Ty::ValueError,
                "Sign not allowed in string format specifier",
            ));
        }
        if sp.align == Some('=') {
            return Err(self.exc_flow(
                Ty::ValueError,
                "'=' alignment not allowed in string format specifier",
            ));
        }
        let body: String = match sp.precision {
            Some(p) => s.chars().take(p).collect(),
            None => s.to_string(),
        };
        let sp2 = Spec {
            zero: false,
            fill: sp.fill.or(if sp.zero { Some('0') } else { None }),
            align: sp.align,
            width: sp.width,
            ..Spec::default()
        };
        Ok(pad(&body, &sp2, '<', 0).into())
    }

    fn format_int(&mut self, i: i64, sp: &Spec) -> R<Rc<str>> {
        let t = sp.ty.unwrap_or('d');
        if matches!(t, 'e' | 'E' | 'f' | 'F' | 'g' | 'G' | '%') {
            return self.format_float(i as f64, sp, "int");
        }
        if sp.precision.is_some() {
            return Err(self.exc_flow(
                Ty::ValueError,
                "Precision not allowed in integer format specifier",
            ));
        }
        let mag = i.unsigned_abs();
        let mut digits = match t {
            'd' | 'n' => mag.to_string(),
            'x' => format!("{mag:x}"),
            'X' => format!("{mag:X}"),
            'o' => format!("{mag:o}"),
            'b' => format!("{mag:b}"),
            'c' => {
                let c = u32::try_from(i).ok().and_then(char::from_u32);
                match c {
                    Some(c) => return Ok(pad(&c.to_string(), sp, '<', 0).into()),
                    None => {
                        return Err(
                            self.exc_flow(Ty::OverflowError, "%c arg not in range(0x110000)")
                        )
                    }
                }
            }
            _ => {
                return Err(self.exc_flow(
                    Ty::ValueError,
                    &format!("Unknown format code '{t}' for object of type 'int'"),
                ))
            }
        };
        if let Some(g) = sp.grouping {
            let every = if matches!(t, 'd' | 'n') { 3 } else { 4 };
            digits = group(&digits, g, every);
        }
        let prefix = if sp.alt {
            match t {
                'x' => "0x",
                'X' => "0X",
                'o' => "0o",
                'b' => "0b",
                _ => "",
            }
        } else {
            ""
        };
        let sign = if i < 0 {
            "-"
        } else {
            match sp.sign {
                Some('+') => "+",
                Some(' ') => " ",
                _ => "",
            }
        };
        let body = format!("{sign}{prefix}{digits}");
        Ok(pad(&body, sp, '>', sign.len() + prefix.len()).into())
    }

    fn format_float(&mut self, x: f64, sp: &Spec, tyname: &str) -> R<Rc<str>> {
        let t = sp.ty;
        let prec = sp.precision;
        let mag = x.abs();
        let mut body = match t {
            Some('f') | Some('F') => fmt_f(mag, prec.unwrap_or(6), t == Some('F')),
            Some('e') | Some('E') => fmt_e(mag, prec.unwrap_or(6), t == Some('E')),
            Some('g') | Some('G') | Some('n') => {
                fmt_g(mag, prec.unwrap_or(6), t == Some('G'), sp.alt, false)
            }
            Some('%') => format!("{}%", fmt_f(mag * 100.0, prec.unwrap_or(6), false)),
            None => match prec {
                Some(p) => fmt_g(mag, p, false, sp.alt, true),
                None => float_repr(mag),
            },
            Some(c) => {
                return Err(self.exc_flow(
                    Ty::ValueError,
                    &format!("Unknown format code '{c}' for object of type '{tyname}'"),
                ))
            }
        };
        if sp.alt && !body.contains('.') && !body.contains('e') && x.is_finite() {
            body.push('.');
        }
        if let Some(g) = sp.grouping {
            let (int_part, rest) = match body.find(['.', 'e', '%']) {
                Some(p) => body.split_at(p),
                None => (body.as_str(), ""),
            };
            body = format!("{}{rest}", group(int_part, g, 3));
        }
        let sign = if x.is_sign_negative() && !x.is_nan() {
            "-"
        } else {
            match sp.sign {
                Some('+') => "+",
                Some(' ') => " ",
                _ => "",
            }
        };
        let body = format!("{sign}{body}");
        Ok(pad(&body, sp, '>', sign.len()).into())
    }
}
