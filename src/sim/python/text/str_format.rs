//! `str.format`: replacement fields, auto and manual numbering, attribute
//! and index lookups, conversions, nested specs.

use super::*;

impl Interp {
    // ------------------------------------------------------------ str.format

    pub(crate) fn str_format(
        &mut self,
        os: &mut dyn Os,
        fmt: &str,
        args: &[Value],
        kw: &[(Sym, Value)],
        depth: u32,
    ) -> R<Rc<str>> {
        let mut auto: Option<usize> = None;
        let mut manual = false;
        self.str_format_in(os, fmt, args, kw, depth, &mut auto, &mut manual)
    }

    /// `auto`/`manual`: the field numbering, shared with nested specs
    /// (`"{:>{}}".format(x, w)`).
    #[allow(clippy::too_many_arguments)]
    fn str_format_in(
        &mut self,
        os: &mut dyn Os,
        fmt: &str,
        args: &[Value],
        kw: &[(Sym, Value)],
        depth: u32,
        auto: &mut Option<usize>,
        manual: &mut bool,
    ) -> R<Rc<str>> {
        if depth > 2 {
            return Err(self.exc_flow(Ty::ValueError, "Max string recursion exceeded"));
        }
        let chars: Vec<char> = fmt.chars().collect();
        let mut out = String::new();
        let mut i = 0;
        while let Some(&c) = chars.get(i) {
            if c == '{' {
                if chars.get(i + 1) == Some(&'{') {
                    out.push('{');
                    i += 2;
                    continue;
                }
                // find the matching '}'
                let mut d = 1;
                let mut j = i + 1;
                while let Some(&x) = chars.get(j) {
                    if x == '{' {
                        d += 1;
                    } else if x == '}' {
                        d -= 1;
                        if d == 0 {
                            break;
                        }
                    }
                    j += 1;
                }
                if chars.get(j).is_none() {
                    return Err(self.exc_flow(Ty::ValueError, "expected '}' before end of string"));
                }
                let field: String = chars.get(i + 1..j).unwrap_or(&[]).iter().collect();
                i = j + 1;
                // split name!conv:spec
                let mut name_end = field.len();
                let mut in_bracket = false;
                for (k, ch) in field.char_indices() {
                    match ch {
                        '[' => in_bracket = true,
                        ']' => in_bracket = false,
                        '!' | ':' if !in_bracket => {
                            name_end = k;
                            break;
                        }
                        _ => {}
                    }
                }
                let (name, rest) = field.split_at(name_end);
                let (conv, spec) = if let Some(r) = rest.strip_prefix('!') {
                    let mut it = r.chars();
                    let cv = it.next();
                    let after: String = it.collect();
                    match after.strip_prefix(':') {
                        Some(s) => (cv, s.to_string()),
                        None if after.is_empty() => (cv, String::new()),
                        None => {
                            return Err(self.exc_flow(
                                Ty::ValueError,
                                "expected ':' after conversion specifier",
                            ))
                        }
                    }
                } else if let Some(s) = rest.strip_prefix(':') {
                    (None, s.to_string())
                } else {
                    (None, String::new())
                };
                // the first part of the name: index or keyword
                let first_end = name.find(['.', '[']).unwrap_or(name.len());
                let (first, mut tail) = name.split_at(first_end);
                let mut val = if first.is_empty() {
                    if *manual {
                        return Err(self.exc_flow(
                            Ty::ValueError,
                            "cannot switch from manual field specification to automatic field numbering",
                        ));
                    }
                    let n = auto.map(|n| n + 1).unwrap_or(0);
                    *auto = Some(n);
                    match args.get(n) {
                        Some(v) => v.clone(),
                        None => {
                            return Err(self.exc_flow(
                                Ty::IndexError,
                                &format!(
                                    "Replacement index {n} out of range for positional args tuple"
                                ),
                            ))
                        }
                    }
                } else if let Ok(n) = first.parse::<usize>() {
                    if auto.is_some() {
                        return Err(self.exc_flow(
                            Ty::ValueError,
                            "cannot switch from automatic field numbering to manual field specification",
                        ));
                    }
                    *manual = true;
                    match args.get(n) {
                        Some(v) => v.clone(),
                        None => {
                            return Err(self.exc_flow(
                                Ty::IndexError,
                                &format!(
                                    "Replacement index {n} out of range for positional args tuple"
                                ),
                            ))
                        }
                    }
                } else {
                    match kw.iter().find(|(k, _)| self.heap.name(*k) == first) {
                        Some((_, v)) => v.clone(),
                        None => {
                            let e = self.new_exc_args(Ty::KeyError, vec![Value::str(first)]);
                            return Err(Flow::Exc(e));
                        }
                    }
                };
                while !tail.is_empty() {
                    if let Some(r) = tail.strip_prefix('.') {
                        let end = r.find(['.', '[']).unwrap_or(r.len());
                        let (attr, t) = r.split_at(end);
                        let s = self.heap.intern(attr);
                        val = self.getattr(os, &val, s)?;
                        tail = t;
                    } else if let Some(r) = tail.strip_prefix('[') {
                        let end = r.find(']').unwrap_or(r.len());
                        let key = &r[..end];
                        let k = match key.parse::<i64>() {
                            Ok(n) => Value::Int(n),
                            Err(_) => Value::str(key),
                        };
                        val = self.getitem(os, &val, &k)?;
                        tail = r.get(end + 1..).unwrap_or("");
                    } else {
                        return Err(self.exc_flow(
                            Ty::ValueError,
                            "Only '.' or '[' may follow ']' in format field specifier",
                        ));
                    }
                }
                let val = match conv {
                    Some('r') => Value::Str(self.repr(os, &val)?),
                    Some('s') => Value::Str(self.str_of(os, &val)?),
                    Some('a') => Value::Str(self.ascii(os, &val)?),
                    None => val,
                    Some(c) => {
                        return Err(self.exc_flow(
                            Ty::ValueError,
                            &format!("Unknown conversion specifier {c}"),
                        ))
                    }
                };
                let spec = if spec.contains('{') {
                    self.str_format_in(os, &spec, args, kw, depth + 1, auto, manual)?
                        .to_string()
                } else {
                    spec
                };
                out.push_str(&self.format(os, &val, &spec)?);
                continue;
            }
            if c == '}' {
                if chars.get(i + 1) == Some(&'}') {
                    out.push('}');
                    i += 2;
                    continue;
                }
                return Err(
                    self.exc_flow(Ty::ValueError, "Single '}' encountered in format string")
                );
            }
            out.push(c);
            i += 1;
        }
        Ok(out.into())
    }
}
