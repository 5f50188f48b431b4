//! `%`-formatting of strings (`'%s: %d' % (a, b)`).

use super::*;

impl Interp {
    // ------------------------------------------------------------ %-formatting

    pub(crate) fn percent_format(
        &mut self,
        os: &mut dyn Os,
        fmt: &str,
        args: &Value,
    ) -> R<Rc<str>> {
        let is_tuple = self.tuple_items(args);
        let is_map =
            matches!(args, Value::Ref(i) if matches!(self.heap.get(*i), Some(Obj::Dict(_))));
        let items: Vec<Value> = match &is_tuple {
            Some(t) => t.clone(),
            None => vec![args.clone()],
        };
        let mut next = 0usize;
        let mut used_map = false;
        let chars: Vec<char> = fmt.chars().collect();
        let mut out = String::new();
        let mut i = 0;
        while let Some(&c) = chars.get(i) {
            if c != '%' {
                out.push(c);
                i += 1;
                continue;
            }
            let start = i;
            i += 1;
            // mapping key
            let mut key_val: Option<Value> = None;
            if chars.get(i) == Some(&'(') {
                let mut depth = 1;
                let mut j = i + 1;
                while let Some(&d) = chars.get(j) {
                    if d == '(' {
                        depth += 1;
                    } else if d == ')' {
                        depth -= 1;
                        if depth == 0 {
                            break;
                        }
                    }
                    j += 1;
                }
                if chars.get(j).is_none() {
                    return Err(self.exc_flow(Ty::ValueError, "incomplete format key"));
                }
                let key: String = chars.get(i + 1..j).unwrap_or(&[]).iter().collect();
                if !is_map {
                    return Err(self.exc_flow(Ty::TypeError, "format requires a mapping"));
                }
                used_map = true;
                let k = Value::Str(key.into());
                match self.dict_get(args, &k)? {
                    Some(v) => key_val = Some(v),
                    None => {
                        let e = self.new_exc_args(Ty::KeyError, vec![k]);
                        return Err(Flow::Exc(e));
                    }
                }
                i = j + 1;
            }
            let mut flags = String::new();
            while let Some(&f @ ('-' | '+' | ' ' | '#' | '0')) = chars.get(i) {
                flags.push(f);
                i += 1;
            }
            let take_arg = |s: &mut Self, next: &mut usize| -> R<Value> {
                if let Some(v) = &key_val {
                    return Ok(v.clone());
                }
                match items.get(*next) {
                    Some(v) => {
                        *next += 1;
                        Ok(v.clone())
                    }
                    None => {
                        Err(s.exc_flow(Ty::TypeError, "not enough arguments for format string"))
                    }
                }
            };
            let mut width = None;
            if chars.get(i) == Some(&'*') {
                let w = take_arg(self, &mut next)?;
                width = Some(self.index_of(&w)?);
                i += 1;
            } else {
                let mut w = String::new();
                while let Some(d) = chars.get(i).filter(|d| d.is_ascii_digit()) {
                    w.push(*d);
                    i += 1;
                }
                if !w.is_empty() {
                    width = w.parse::<i64>().ok();
                }
            }
            let mut prec = None;
            if chars.get(i) == Some(&'.') {
                i += 1;
                if chars.get(i) == Some(&'*') {
                    let p = take_arg(self, &mut next)?;
                    prec = Some(self.index_of(&p)?.clamp(0, 10_000) as usize);
                    i += 1;
                } else {
                    let mut p = String::new();
                    while let Some(d) = chars.get(i).filter(|d| d.is_ascii_digit()) {
                        p.push(*d);
                        i += 1;
                    }
                    prec = Some(p.parse::<usize>().unwrap_or(0).min(10_000));
                }
            }
            // length modifiers are ignored, as in CPython
            while let Some('h' | 'l' | 'L') = chars.get(i) {
                i += 1;
            }
            let Some(&conv) = chars.get(i) else {
                return Err(self.exc_flow(Ty::ValueError, "incomplete format"));
            };
            i += 1;
            if conv == '%' {
                out.push('%');
                continue;
            }
            let arg = take_arg(self, &mut next)?;
            let left = flags.contains('-');
            let zero = flags.contains('0') && !left;
            let plus = flags.contains('+');
            let space = flags.contains(' ');
            let alt = flags.contains('#');
            let mut sign_prefix_len = 0;
            let body: String = match conv {
                's' | 'r' | 'a' => {
                    let s = match conv {
                        's' => self.str_of(os, &arg)?,
                        'r' => self.repr(os, &arg)?,
                        _ => self.ascii(os, &arg)?,
                    };
                    match prec {
                        Some(p) => s.chars().take(p).collect(),
                        None => s.to_string(),
                    }
                }
                'd' | 'i' | 'u' | 'x' | 'X' | 'o' => {
                    let n = match &arg {
                        Value::Int(n) => *n,
                        Value::Bool(b) => *b as i64,
                        Value::Float(f) if matches!(conv, 'd' | 'i' | 'u') => {
                            if !f.0.is_finite() {
                                return Err(self.exc_flow(
                                    Ty::OverflowError,
                                    "cannot convert float infinity to integer",
                                ));
                            }
                            f.0.trunc() as i64
                        }
                        other => {
                            let n = self.type_name(other);
                            let msg = if matches!(conv, 'd' | 'i' | 'u') {
                                format!("%{conv} format: a real number is required, not {n}")
                            } else {
                                format!("%{conv} format: an integer is required, not {n}")
                            };
                            return Err(self.exc_flow(Ty::TypeError, &msg));
                        }
                    };
                    let mag = n.unsigned_abs();
                    let mut digits = match conv {
                        'x' => format!("{mag:x}"),
                        'X' => format!("{mag:X}"),
                        'o' => format!("{mag:o}"),
                        _ => mag.to_string(),
                    };
                    if let Some(p) = prec {
                        while digits.len() < p {
                            digits.insert(0, '0');
                        }
                    }
                    let prefix = if alt {
                        match conv {
                            'x' => "0x",
                            'X' => "0X",
                            'o' => "0o",
                            _ => "",
                        }
                    } else {
                        ""
                    };
                    let sign = if n < 0 {
                        "-"
                    } else if plus {
                        "+"
                    } else if space {
                        " "
                    } else {
                        ""
                    };
                    sign_prefix_len = sign.len() + prefix.len();
                    format!("{sign}{prefix}{digits}")
                }
                'e' | 'E' | 'f' | 'F' | 'g' | 'G' => {
                    let x = match &arg {
                        Value::Int(n) => *n as f64,
                        Value::Bool(b) => *b as i64 as f64,
                        Value::Float(f) => f.0,
                        other => {
                            let n = self.type_name(other);
                            return Err(self.exc_flow(
                                Ty::TypeError,
                                &format!("must be real number, not {n}"),
                            ));
                        }
                    };
                    let p = prec.unwrap_or(6);
                    let mag = x.abs();
                    let mut b = match conv {
                        'e' | 'E' => fmt_e(mag, p, conv == 'E'),
                        'f' | 'F' => fmt_f(mag, p, conv == 'F'),
                        _ => fmt_g(mag, p, conv == 'G', alt, false),
                    };
                    if alt && !b.contains('.') && x.is_finite() && !matches!(conv, 'g' | 'G') {
                        b.push('.');
                    }
                    let sign = if x.is_sign_negative() && !x.is_nan() {
                        "-"
                    } else if plus {
                        "+"
                    } else if space {
                        " "
                    } else {
                        ""
                    };
                    sign_prefix_len = sign.len();
                    format!("{sign}{b}")
                }
                'c' => match &arg {
                    Value::Int(n) => match u32::try_from(*n).ok().and_then(char::from_u32) {
                        Some(c) => c.to_string(),
                        None => {
                            return Err(
                                self.exc_flow(Ty::OverflowError, "%c arg not in range(0x110000)")
                            )
                        }
                    },
                    Value::Str(s) if s.chars().count() == 1 => s.to_string(),
                    _ => return Err(self.exc_flow(Ty::TypeError, "%c requires int or char")),
                },
                other => {
                    let idx = chars
                        .get(..i - 1)
                        .map(|s| s.iter().collect::<String>().len())
                        .unwrap_or(0);
                    let _ = start;
                    return Err(self.exc_flow(
                        Ty::ValueError,
                        &format!(
                            "unsupported format character '{other}' (0x{:x}) at index {idx}",
                            other as u32
                        ),
                    ));
                }
            };
            let w = width.unwrap_or(0);
            let left = left || w < 0;
            if w.unsigned_abs() as usize > super::super::ops::MAX_ITEMS {
                return Err(self.exc_flow(Ty::MemoryError, ""));
            }
            let w = w.unsigned_abs() as usize;
            let n = body.chars().count();
            if n >= w {
                out.push_str(&body);
            } else if left {
                out.push_str(&body);
                out.push_str(&" ".repeat(w - n));
            } else if zero && !matches!(conv, 's' | 'r' | 'a' | 'c') {
                let split = body
                    .char_indices()
                    .nth(sign_prefix_len)
                    .map(|(i, _)| i)
                    .unwrap_or(body.len());
                let (a, b) = body.split_at(split);
                out.push_str(a);
                out.push_str(&"0".repeat(w - n));
                out.push_str(b);
            } else {
                out.push_str(&" ".repeat(w - n));
                out.push_str(&body);
            }
        }
        if !used_map && is_tuple.is_some() && next < items.len() {
            return Err(self.exc_flow(
                Ty::TypeError,
                "not all arguments converted during string formatting",
            ));
        }
        if !used_map && is_tuple.is_none() && next == 0 && !is_map {
            return Err(self.exc_flow(
                Ty::TypeError,
                "not all arguments converted during string formatting",
            ));
        }
        Ok(out.into())
    }
}
