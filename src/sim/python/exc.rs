//! Exceptions: making them, their `str()`, and printing tracebacks exactly
//! as CPython 3.11's `traceback` module does (carets included: see
//! `format_frame_summary` and `_extract_caret_anchors_from_line_segment` in
//! Lib/traceback.py, which [`carets`] follows).

use super::ast::E;
use super::os::{strerror, OsErr};
use super::parser;
use super::value::*;
use super::vm::{Flow, R};
use super::{Interp, Os, SyntaxErr};
use std::rc::Rc;

/// The exception class CPython raises for an errno (PEP 3151).
pub fn errno_class(errno: i32) -> Ty {
    match errno {
        11 | 114 | 115 => Ty::BlockingIOError,
        32 | 108 => Ty::BrokenPipeError,
        103 => Ty::ConnectionAbortedError,
        104 => Ty::ConnectionResetError,
        111 => Ty::ConnectionRefusedError,
        110 => Ty::TimeoutError,
        2 => Ty::FileNotFoundError,
        1 | 13 => Ty::PermissionError,
        17 => Ty::FileExistsError,
        21 => Ty::IsADirectoryError,
        20 => Ty::NotADirectoryError,
        4 => Ty::InterruptedError,
        10 => Ty::ChildProcessError,
        _ => Ty::OSError,
    }
}

/// East Asian wide and fullwidth characters take two columns in a terminal
/// (`unicodedata.east_asian_width(c) in "WF"`), for caret alignment.
pub fn is_wide(c: char) -> bool {
    let u = c as u32;
    matches!(u,
        0x1100..=0x115F | 0x231A..=0x231B | 0x2329..=0x232A | 0x23E9..=0x23EC | 0x23F0 | 0x23F3
        | 0x25FD..=0x25FE | 0x2614..=0x2615 | 0x2648..=0x2653 | 0x267F | 0x2693 | 0x26A1
        | 0x26AA..=0x26AB | 0x26BD..=0x26BE | 0x26C4..=0x26C5 | 0x26CE | 0x26D4 | 0x26EA
        | 0x26F2..=0x26F3 | 0x26F5 | 0x26FA | 0x26FD | 0x2705 | 0x270A..=0x270B | 0x2728
        | 0x274C | 0x274E | 0x2753..=0x2755 | 0x2757 | 0x2795..=0x2797 | 0x27B0 | 0x27BF
        | 0x2B1B..=0x2B1C | 0x2B50 | 0x2B55 | 0x2E80..=0x303E | 0x3041..=0x33FF
        | 0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0xA000..=0xA4CF | 0xA960..=0xA97F
        | 0xAC00..=0xD7A3 | 0xF900..=0xFAFF | 0xFE10..=0xFE19 | 0xFE30..=0xFE6F
        | 0xFF00..=0xFF60 | 0xFFE0..=0xFFE6 | 0x16FE0..=0x1B2FF | 0x1F004 | 0x1F0CF | 0x1F18E
        | 0x1F191..=0x1F19A | 0x1F200..=0x1F64F | 0x1F680..=0x1F6FF | 0x1F7E0..=0x1F7EB
        | 0x1F90C..=0x1F9FF | 0x1FA70..=0x1FAFF | 0x20000..=0x3FFFD)
}

fn display_width(s: &str, chars: usize) -> usize {
    s.chars()
        .take(chars)
        .map(|c| if is_wide(c) { 2 } else { 1 })
        .sum()
}

fn is_py_space(c: char) -> bool {
    c.is_whitespace() || c == '\x1c' || c == '\x1d' || c == '\x1e' || c == '\x1f'
}

/// The caret line for a frame (without its newline), or None when CPython
/// shows none. `line` is the whole source line; columns are characters.
pub fn carets(line: &str, lineno: u32, span: super::lexer::Span) -> Option<String> {
    let chars: Vec<char> = line.chars().collect();
    let stripped: String = line.trim_matches(is_py_space).to_string();
    if stripped.is_empty() {
        return None;
    }
    let indent = chars.len() - line.trim_start_matches(is_py_space).chars().count();
    let start = (span.col as usize).min(chars.len());
    let mut end = (span.end_col as usize).min(chars.len());
    let mut anchors = None;
    if span.line == lineno && span.end_line == lineno {
        if end < start {
            return None;
        }
        let segment: String = chars.get(start..end).unwrap_or(&[]).iter().collect();
        anchors = anchor_offsets(&segment);
    } else {
        end = line.trim_end_matches(is_py_space).chars().count();
    }
    if span.line != lineno {
        return None;
    }
    let show =
        end.saturating_sub(start) < stripped.chars().count() || anchors.is_some_and(|(l, r)| r > l);
    if !show {
        return None;
    }
    let dp_start = display_width(line, start);
    let dp_end = display_width(line, end);
    let mut row = String::from("    ");
    row.push_str(&" ".repeat(dp_start.saturating_sub(indent)));
    match anchors {
        Some((l, r)) => {
            let segment: String = chars.get(start..end).unwrap_or(&[]).iter().collect();
            let dl = display_width(&segment, l);
            let dr = display_width(&segment, r);
            row.push_str(&"~".repeat(dl));
            row.push_str(&"^".repeat(dr.saturating_sub(dl)));
            row.push_str(&"~".repeat(dp_end.saturating_sub(dp_start).saturating_sub(dr)));
        }
        None => row.push_str(&"^".repeat(dp_end.saturating_sub(dp_start))),
    }
    Some(row)
}

/// `_extract_caret_anchors_from_line_segment`: for a binary operation the
/// operator, for a subscript the brackets.
fn anchor_offsets(segment: &str) -> Option<(usize, usize)> {
    let e = parser::parse_expression(segment)?;
    let seg: Vec<char> = segment.chars().collect();
    let len = seg.len();
    match &e.kind {
        E::BinOp(left, _, right) => {
            // Python/traceback.c's extract_anchors_from_expr (what prints an
            // uncaught exception): the first operator character after the
            // left operand, skipping whitespace and closing parentheses
            if left.span.end_line != 1 || right.span.line != 1 {
                return None;
            }
            let ws = |c: Option<&char>| matches!(c, Some(' ' | '\t' | '\x0c'));
            let (from, to) = (left.span.end_col as usize, right.span.col as usize);
            let mut found = None;
            let mut i = from;
            while i < to {
                if ws(seg.get(i)) {
                    i += 1;
                    continue;
                }
                let mut r = i + 1;
                if i + 1 < to && !ws(seg.get(i + 1)) {
                    r += 1;
                }
                found = Some((i, r));
                if i + 1 < to && seg.get(i) == Some(&')') {
                    i += 1;
                    continue;
                }
                break;
            }
            let _ = len;
            found
        }
        E::Subscript(value, slice) => {
            if value.span.end_line != 1 || slice.span.end_line != 1 {
                return None;
            }
            let mut l = value.span.end_col as usize;
            let mut r = slice.span.end_col as usize + 1;
            while l < len && seg.get(l).is_some_and(|c| is_py_space(*c) || *c != '[') {
                l += 1;
            }
            while r < len && seg.get(r).is_some_and(|c| is_py_space(*c) || *c != ']') {
                r += 1;
            }
            if r < len {
                r += 1;
            }
            Some((l, r))
        }
        _ => None,
    }
}

impl SyntaxErr {
    pub(crate) fn at(
        msg: String,
        filename: &str,
        span: super::lexer::Span,
        lines: &[String],
    ) -> SyntaxErr {
        let text = lines.get(span.line.saturating_sub(1) as usize).cloned();
        let end = if span.end_line == span.line {
            span.end_col
        } else {
            text.as_ref()
                .map(|t| t.chars().count() as u32)
                .unwrap_or(span.col + 1)
        };
        SyntaxErr {
            kind: "SyntaxError",
            msg,
            filename: filename.into(),
            line: span.line,
            text,
            col: Some(span.col + 1),
            end_col: Some(end.max(span.col + 1) + 1),
        }
    }

    /// The report CPython prints for a syntax error in the main script.
    pub fn render(&self) -> String {
        let mut out = format!("  File \"{}\", line {}\n", self.filename, self.line);
        if let Some(text) = &self.text {
            let rtext = text.trim_end_matches('\n');
            let ltext = rtext.trim_start_matches([' ', '\n', '\x0c']);
            let spaces = rtext.chars().count() - ltext.chars().count();
            out.push_str(&format!("    {ltext}\n"));
            if let Some(offset) = self.col {
                let offset = offset as i64;
                let mut end = match self.end_col {
                    None | Some(0) => offset,
                    Some(e) => e as i64,
                };
                if end == offset || end == -1 {
                    end = offset + 1;
                }
                let colno = offset - 1 - spaces as i64;
                let end_colno = end - 1 - spaces as i64;
                if colno >= 0 {
                    let caretspace: String = ltext
                        .chars()
                        .take(colno as usize)
                        .map(|c| if c.is_whitespace() { c } else { ' ' })
                        .collect();
                    let n = (end_colno - colno).max(0) as usize;
                    out.push_str(&format!("    {caretspace}{}\n", "^".repeat(n)));
                }
            }
        }
        out.push_str(&format!("{}: {}\n", self.kind, self.msg));
        out
    }
}

impl Interp {
    pub(crate) fn new_exc_args(&mut self, ty: Ty, args: Vec<Value>) -> Value {
        self.new_instance(Value::Type(ty), ty, &args)
    }

    pub(crate) fn new_exc(&mut self, ty: Ty, msg: &str) -> Value {
        self.new_exc_args(ty, vec![Value::str(msg)])
    }

    pub(crate) fn exc_flow(&mut self, ty: Ty, msg: &str) -> Flow {
        if ty == Ty::MemoryError && msg.is_empty() {
            return Flow::Exc(self.new_exc_args(ty, Vec::new()));
        }
        Flow::Exc(self.new_exc(ty, msg))
    }

    pub(crate) fn os_error(&mut self, e: OsErr) -> Flow {
        let v = match e {
            OsErr::Errno(n) => {
                let ty = errno_class(n);
                self.new_exc_args(ty, vec![Value::Int(n as i64), Value::str(strerror(n))])
            }
            OsErr::ErrnoMsg(n, m) => {
                let ty = errno_class(n);
                self.new_exc_args(ty, vec![Value::Int(n as i64), Value::str(&m)])
            }
            OsErr::Timeout => self.new_exc(Ty::TimeoutError, "timed out"),
            OsErr::Gai(n, m) => {
                self.new_exc_args(Ty::Gaierror, vec![Value::Int(n as i64), Value::str(&m)])
            }
            OsErr::Eof => self.new_exc(Ty::EOFError, "EOF when reading a line"),
        };
        Flow::Exc(v)
    }

    /// `raise X`: X may be a class (instantiated with no arguments) or an instance.
    pub(crate) fn make_exc(&mut self, os: &mut dyn Os, v: Value) -> R<Value> {
        if self.heap.exc(&v).is_some() {
            return Ok(v);
        }
        if self.is_class(&v) && self.is_subclass_ty(&v, Ty::BaseException) {
            let inst = self.call_sync(os, v, Vec::new(), Vec::new())?;
            if self.heap.exc(&inst).is_some() {
                return Ok(inst);
            }
            let n = self.type_name(&inst);
            return Err(self.exc_flow(
                Ty::TypeError,
                &format!("calling exception class should have returned an instance of BaseException, not {n}"),
            ));
        }
        Err(self.exc_flow(Ty::TypeError, "exceptions must derive from BaseException"))
    }

    pub(crate) fn make_exc_cause(&mut self, os: &mut dyn Os, v: Value) -> R<Value> {
        if self.heap.exc(&v).is_some()
            || (self.is_class(&v) && self.is_subclass_ty(&v, Ty::BaseException))
        {
            return self.make_exc(os, v);
        }
        Err(self.exc_flow(
            Ty::TypeError,
            "exception causes must derive from BaseException",
        ))
    }

    /// The class name as a traceback's last line shows it.
    pub(crate) fn exc_type_name(&self, e: &Value) -> String {
        let c = self.type_of(e);
        match &c {
            Value::Type(t) => t.qualified(),
            other => match self.heap.class(other) {
                Some(cl) => {
                    if &*cl.module == "__main__" || &*cl.module == "builtins" {
                        cl.qualname.to_string()
                    } else {
                        format!("{}.{}", cl.module, cl.qualname)
                    }
                }
                None => "?".into(),
            },
        }
    }

    /// `str(e)` of an exception, calling a user `__str__`.
    pub(crate) fn exc_str(&mut self, os: &mut dyn Os, e: &Value) -> String {
        if self.lookup_class_attr(e, super::builtins::S_STR).is_some() {
            return match self.str_of(os, e) {
                Ok(s) => s.to_string(),
                Err(_) => "<exception str() failed>".into(),
            };
        }
        let args = self.heap.exc(e).map(|x| x.args.clone()).unwrap_or_default();
        let c = self.type_of(e);
        let is = |t: Ty| self.is_subclass_ty(&c, t);
        if is(Ty::KeyError) && args.len() == 1 {
            return self
                .repr(os, &args[0])
                .map(|s| s.to_string())
                .unwrap_or_default();
        }
        if is(Ty::OSError) && (2..=3).contains(&args.len()) {
            if let (Value::Int(n), s) = (&args[0], &args[1]) {
                let s = self
                    .str_of(os, s)
                    .map(|s| s.to_string())
                    .unwrap_or_default();
                let mut out = format!("[Errno {n}] {s}");
                if let Some(f) = args.get(2) {
                    let r = self.repr(os, f).map(|s| s.to_string()).unwrap_or_default();
                    out.push_str(&format!(": {r}"));
                }
                return out;
            }
        }
        if is(Ty::UnicodeDecodeError) && args.len() == 5 {
            if let (
                Value::Str(enc),
                Value::Bytes(b),
                Value::Int(s),
                Value::Int(en),
                Value::Str(r),
            ) = (&args[0], &args[1], &args[2], &args[3], &args[4])
            {
                return if *en == s + 1 {
                    let byte = b.get(*s as usize).copied().unwrap_or(0);
                    format!("'{enc}' codec can't decode byte 0x{byte:02x} in position {s}: {r}")
                } else {
                    format!(
                        "'{enc}' codec can't decode bytes in position {s}-{}: {r}",
                        en - 1
                    )
                };
            }
        }
        if is(Ty::UnicodeEncodeError) && args.len() == 5 {
            if let (
                Value::Str(enc),
                Value::Str(text),
                Value::Int(s),
                Value::Int(en),
                Value::Str(r),
            ) = (&args[0], &args[1], &args[2], &args[3], &args[4])
            {
                return if *en == s + 1 {
                    let ch = text.chars().nth(*s as usize).unwrap_or('?');
                    let u = ch as u32;
                    let esc = if u < 0x100 {
                        format!("\\x{u:02x}")
                    } else if u < 0x10000 {
                        format!("\\u{u:04x}")
                    } else {
                        format!("\\U{u:08x}")
                    };
                    format!("'{enc}' codec can't encode character '{esc}' in position {s}: {r}")
                } else {
                    format!(
                        "'{enc}' codec can't encode characters in position {s}-{}: {r}",
                        en - 1
                    )
                };
            }
        }
        match args.len() {
            0 => String::new(),
            1 => self
                .str_of(os, &args[0])
                .map(|s| s.to_string())
                .unwrap_or_default(),
            _ => {
                let t = self.new_tuple(args);
                self.repr(os, &t).map(|s| s.to_string()).unwrap_or_default()
            }
        }
    }

    /// The whole report for an uncaught exception, chained exceptions first.
    pub(crate) fn format_exception(&mut self, os: &mut dyn Os, e: &Value) -> String {
        // walk __cause__ / __context__ (at most 10 links, no cycles)
        let mut chain: Vec<(Option<&'static str>, Value)> = Vec::new();
        let mut cur = Some(e.clone());
        let mut msg: Option<&'static str> = None;
        let mut seen: Vec<Value> = Vec::new();
        while let Some(x) = cur.take() {
            if seen.contains(&x) || seen.len() > 10 {
                break;
            }
            seen.push(x.clone());
            chain.push((msg, x.clone()));
            let Some(ex) = self.heap.exc(&x) else {
                break;
            };
            if let Some(c) = &ex.cause {
                msg = Some(
                    "\nThe above exception was the direct cause of the following exception:\n\n",
                );
                cur = Some(c.clone());
            } else if let (Some(c), false) = (&ex.context, ex.suppress_context) {
                msg = Some(
                    "\nDuring handling of the above exception, another exception occurred:\n\n",
                );
                cur = Some(c.clone());
            }
        }
        let mut out = String::new();
        for (i, (_, x)) in chain.iter().enumerate().rev() {
            let tb = self.heap.exc(x).map(|e| e.tb.clone()).unwrap_or_default();
            if !tb.is_empty() || i == 0 {
                let lib = if i == 0 {
                    self.lib_frames()
                } else {
                    Vec::new()
                };
                if !tb.is_empty() || !lib.is_empty() {
                    out.push_str("Traceback (most recent call last):\n");
                    let mut entries = lib;
                    entries.extend(tb.into_iter().rev());
                    out.push_str(&self.format_stack(&entries));
                }
            }
            let name = self.exc_type_name(x);
            let mut s = self.exc_str(os, x);
            if let Some(sug) = self.suggestion(x) {
                s.push_str(&format!(". Did you mean: '{sug}'?"));
            }
            if s.is_empty() {
                out.push_str(&format!("{name}\n"));
            } else {
                out.push_str(&format!("{name}: {s}\n"));
            }
            // the message joining this exception to the next (outer) one
            if let Some((Some(m), _)) = chain.get(i) {
                out.push_str(m);
            }
        }
        out
    }

    /// "Did you mean" for a NameError or AttributeError (as CPython's
    /// default exception printer offers it).
    fn suggestion(&self, e: &Value) -> Option<String> {
        let inst = self.heap.inst(e)?;
        let name_sym = self.heap.lookup("name")?;
        let Some(Value::Str(wrong)) = ns_get(&inst.attrs, name_sym) else {
            return None;
        };
        let c = self.type_of(e);
        if self.is_subclass_ty(&c, Ty::AttributeError) {
            let obj_sym = self.heap.lookup("obj")?;
            let obj = ns_get(&inst.attrs, obj_sym)?.clone();
            // Sorted as `dir()` sorts (one sort instantiation for both).
            let mut names: Vec<Rc<str>> = self.dir_names(&obj).into_iter().map(Rc::from).collect();
            super::builtins::sort_names(&mut names);
            names.dedup();
            let refs: Vec<&str> = names.iter().map(|s| &**s).collect();
            return closest(&refs, wrong).map(str::to_string);
        }
        if !self.is_subclass_ty(&c, Ty::NameError) {
            return None;
        }
        // the innermost frame's locals, then the globals, then the builtins
        let tb = self.heap.exc(e)?.tb.first()?.clone();
        if let TbEntry::Code(code, _) = &tb {
            let locals: Vec<&str> = code.varnames.iter().map(|s| self.heap.name(*s)).collect();
            if let Some(s) = closest(&locals, wrong) {
                return Some(s.to_string());
            }
        }
        let mut globals: Vec<&str> = MODULE_DUNDERS.to_vec();
        if let Some(Obj::Module(m)) = self.heap.get(self.main_module) {
            for (k, _) in &m.ns {
                let n = self.heap.name(*k);
                if !MODULE_DUNDERS.contains(&n) {
                    globals.push(n);
                }
            }
        }
        if let Some(s) = closest(&globals, wrong) {
            return Some(s.to_string());
        }
        closest(CPYTHON_BUILTINS, wrong).map(str::to_string)
    }

    /// The names `dir(obj)` lists (approximately: the public names CPython has).
    pub(crate) fn dir_names(&self, obj: &Value) -> Vec<String> {
        let mut out: Vec<String> = OBJECT_DIR.iter().map(|s| s.to_string()).collect();
        if let Value::Ref(i) = obj {
            match self.heap.get(*i) {
                Some(Obj::Module(m)) => {
                    out =
                        m.ns.iter()
                            .map(|(k, _)| self.heap.name(*k).to_string())
                            .collect();
                    out.extend(MODULE_DUNDERS.iter().map(|s| s.to_string()));
                    return out;
                }
                Some(Obj::Class(_)) => {
                    for c in self.mro(obj) {
                        if let Some(cl) = self.heap.class(&c) {
                            out.extend(cl.ns.iter().map(|(k, _)| self.heap.name(*k).to_string()));
                        }
                    }
                    return out;
                }
                Some(Obj::Inst(inst)) => {
                    out.extend(
                        inst.attrs
                            .iter()
                            .map(|(k, _)| self.heap.name(*k).to_string()),
                    );
                    for c in self.mro(&inst.class) {
                        if let Some(cl) = self.heap.class(&c) {
                            out.extend(cl.ns.iter().map(|(k, _)| self.heap.name(*k).to_string()));
                        }
                    }
                }
                _ => {}
            }
        }
        out.extend(self.native_dir(obj).iter().map(|s| s.to_string()));
        out
    }

    /// threading.py's frames above a thread's own (see `PyThread::lib_frames`).
    fn lib_frames(&self) -> Vec<TbEntry> {
        let n = self.thread().map(|t| t.lib_frames).unwrap_or(0);
        let mut v = Vec::new();
        if n >= 11 {
            // a multiprocessing child: process.py's `_bootstrap` and `run`
            v.push(TbEntry::Lib {
                file: MULTIPROCESSING_PY,
                line: 314,
                name: "_bootstrap",
                text: "self.run()",
                carets: "",
            });
            if n >= 12 {
                v.push(TbEntry::Lib {
                    file: MULTIPROCESSING_PY,
                    line: 108,
                    name: "run",
                    text: "self._target(*self._args, **self._kwargs)",
                    carets: "",
                });
            }
            return v;
        }
        if n >= 1 {
            v.push(TbEntry::Lib {
                file: THREADING_PY,
                line: 1038,
                name: "_bootstrap_inner",
                text: "self.run()",
                carets: "",
            });
        }
        if n >= 2 {
            v.push(TbEntry::Lib {
                file: THREADING_PY,
                line: 975,
                name: "run",
                text: "self._target(*self._args, **self._kwargs)",
                carets: "",
            });
        }
        v
    }

    /// Traceback lines for entries, outermost first (`StackSummary.format`).
    pub(crate) fn format_stack(&self, entries: &[TbEntry]) -> String {
        const CUTOFF: usize = 3;
        let mut out = String::new();
        let mut last: Option<(String, u32, String)> = None;
        let mut count = 0usize;
        for e in entries {
            let mut lib_carets = "";
            let (file, line, name, text, span) = match e {
                TbEntry::Code(code, ip) => {
                    let span = span_of(code, *ip);
                    let text = self
                        .lines
                        .get(span.line.saturating_sub(1) as usize)
                        .cloned()
                        .unwrap_or_default();
                    (
                        code.filename.to_string(),
                        span.line,
                        code.name.to_string(),
                        text,
                        Some(span),
                    )
                }
                TbEntry::Lib {
                    file,
                    line,
                    name,
                    text,
                    carets,
                } => {
                    lib_carets = carets;
                    (
                        file.to_string(),
                        *line,
                        name.to_string(),
                        format!("        {text}"),
                        None,
                    )
                }
            };
            let key = (file.clone(), line, name.clone());
            if last.as_ref() != Some(&key) {
                if count > CUTOFF {
                    let k = count - CUTOFF;
                    out.push_str(&format!(
                        "  [Previous line repeated {k} more time{}]\n",
                        if k > 1 { "s" } else { "" }
                    ));
                }
                last = Some(key);
                count = 0;
            }
            count += 1;
            if count > CUTOFF {
                continue;
            }
            out.push_str(&format!("  File \"{file}\", line {line}, in {name}\n"));
            let stripped = text.trim_matches(is_py_space);
            if !stripped.is_empty() {
                out.push_str(&format!("    {stripped}\n"));
                if let Some(span) = span {
                    if let Some(c) = carets(&text, line, span) {
                        out.push_str(&c);
                        out.push('\n');
                    }
                } else if !lib_carets.is_empty() {
                    out.push_str(lib_carets);
                    out.push('\n');
                }
            }
        }
        if count > CUTOFF {
            let k = count - CUTOFF;
            out.push_str(&format!(
                "  [Previous line repeated {k} more time{}]\n",
                if k > 1 { "s" } else { "" }
            ));
        }
        out
    }

    /// Attributes builtin exception instances have.
    pub(crate) fn exc_attr(&mut self, e: &Value, name: &str) -> Option<Value> {
        let x = self.heap.exc(e)?;
        let args = x.args.clone();
        let (cause, context, suppress) = (x.cause.clone(), x.context.clone(), x.suppress_context);
        let c = self.type_of(e);
        let os_like = self.is_subclass_ty(&c, Ty::OSError) && (2..=3).contains(&args.len());
        Some(match name {
            "args" => self.new_tuple(args),
            "errno" if self.is_subclass_ty(&c, Ty::OSError) => {
                if os_like {
                    args[0].clone()
                } else {
                    Value::None
                }
            }
            "strerror" if self.is_subclass_ty(&c, Ty::OSError) => {
                if os_like {
                    args[1].clone()
                } else {
                    Value::None
                }
            }
            "filename" if self.is_subclass_ty(&c, Ty::OSError) => args
                .get(2)
                .cloned()
                .filter(|_| os_like)
                .unwrap_or(Value::None),
            "code" if self.is_subclass_ty(&c, Ty::SystemExit) => match args.len() {
                0 => Value::None,
                1 => args[0].clone(),
                _ => self.new_tuple(args),
            },
            "value" if self.is_subclass_ty(&c, Ty::StopIteration) => {
                args.first().cloned().unwrap_or(Value::None)
            }
            "encoding" | "object" | "start" | "end" | "reason"
                if self.is_subclass_ty(&c, Ty::UnicodeError) && args.len() == 5 =>
            {
                let i = ["encoding", "object", "start", "end", "reason"]
                    .iter()
                    .position(|n| *n == name)
                    .unwrap_or(0);
                args[i].clone()
            }
            "msg" if self.is_subclass_ty(&c, Ty::SyntaxError) => {
                args.first().cloned().unwrap_or(Value::None)
            }
            "__cause__" => cause.unwrap_or(Value::None),
            "__context__" => context.unwrap_or(Value::None),
            "__suppress_context__" => Value::Bool(suppress),
            "__traceback__" => Value::None,
            _ => return None,
        })
    }
}

/// CPython's builtins, in the order of its `builtins` module's dict (the
/// order decides ties between equally close "Did you mean" suggestions).
const CPYTHON_BUILTINS: &[&str] = &[
    "__name__",
    "__doc__",
    "__package__",
    "__loader__",
    "__spec__",
    "__build_class__",
    "__import__",
    "abs",
    "all",
    "any",
    "ascii",
    "bin",
    "breakpoint",
    "callable",
    "chr",
    "compile",
    "delattr",
    "dir",
    "divmod",
    "eval",
    "exec",
    "format",
    "getattr",
    "globals",
    "hasattr",
    "hash",
    "hex",
    "id",
    "input",
    "isinstance",
    "issubclass",
    "iter",
    "aiter",
    "len",
    "locals",
    "max",
    "min",
    "next",
    "anext",
    "oct",
    "ord",
    "pow",
    "print",
    "repr",
    "round",
    "setattr",
    "sorted",
    "sum",
    "vars",
    "None",
    "Ellipsis",
    "NotImplemented",
    "False",
    "True",
    "bool",
    "memoryview",
    "bytearray",
    "bytes",
    "classmethod",
    "complex",
    "dict",
    "enumerate",
    "filter",
    "float",
    "frozenset",
    "property",
    "int",
    "list",
    "map",
    "object",
    "range",
    "reversed",
    "set",
    "slice",
    "staticmethod",
    "str",
    "super",
    "tuple",
    "type",
    "zip",
    "__debug__",
    "BaseException",
    "BaseExceptionGroup",
    "Exception",
    "GeneratorExit",
    "KeyboardInterrupt",
    "SystemExit",
    "ArithmeticError",
    "AssertionError",
    "AttributeError",
    "BufferError",
    "EOFError",
    "ImportError",
    "LookupError",
    "MemoryError",
    "NameError",
    "OSError",
    "ReferenceError",
    "RuntimeError",
    "StopAsyncIteration",
    "StopIteration",
    "SyntaxError",
    "SystemError",
    "TypeError",
    "ValueError",
    "Warning",
    "FloatingPointError",
    "OverflowError",
    "ZeroDivisionError",
    "BytesWarning",
    "DeprecationWarning",
    "EncodingWarning",
    "FutureWarning",
    "ImportWarning",
    "PendingDeprecationWarning",
    "ResourceWarning",
    "RuntimeWarning",
    "SyntaxWarning",
    "UnicodeWarning",
    "UserWarning",
    "BlockingIOError",
    "ChildProcessError",
    "ConnectionError",
    "FileExistsError",
    "FileNotFoundError",
    "InterruptedError",
    "IsADirectoryError",
    "NotADirectoryError",
    "PermissionError",
    "ProcessLookupError",
    "TimeoutError",
    "IndentationError",
    "IndexError",
    "KeyError",
    "ModuleNotFoundError",
    "NotImplementedError",
    "RecursionError",
    "UnboundLocalError",
    "UnicodeError",
    "BrokenPipeError",
    "ConnectionAbortedError",
    "ConnectionRefusedError",
    "ConnectionResetError",
    "TabError",
    "UnicodeDecodeError",
    "UnicodeEncodeError",
    "UnicodeTranslateError",
    "ExceptionGroup",
    "EnvironmentError",
    "IOError",
    "open",
    "quit",
    "exit",
    "copyright",
    "credits",
    "license",
    "help",
];

/// The keys a module's dict starts with in CPython.
const MODULE_DUNDERS: &[&str] = &[
    "__name__",
    "__doc__",
    "__package__",
    "__loader__",
    "__spec__",
    "__annotations__",
    "__builtins__",
    "__file__",
    "__cached__",
];

/// The attributes every object has (`dir(object())`).
const OBJECT_DIR: &[&str] = &[
    "__class__",
    "__delattr__",
    "__dir__",
    "__doc__",
    "__eq__",
    "__format__",
    "__ge__",
    "__getattribute__",
    "__getstate__",
    "__gt__",
    "__hash__",
    "__init__",
    "__init_subclass__",
    "__le__",
    "__lt__",
    "__ne__",
    "__new__",
    "__reduce__",
    "__reduce_ex__",
    "__repr__",
    "__setattr__",
    "__sizeof__",
    "__str__",
    "__subclasshook__",
];

const MOVE_COST: usize = 2;
const CASE_COST: usize = 1;
const MAX_STRING_SIZE: usize = 40;

fn substitution_cost(a: u8, b: u8) -> usize {
    if (a & 31) != (b & 31) {
        return MOVE_COST;
    }
    if a == b {
        return 0;
    }
    if a.eq_ignore_ascii_case(&b) {
        CASE_COST
    } else {
        MOVE_COST
    }
}

/// Python/suggestions.c's levenshtein_distance (on UTF-8 bytes).
fn levenshtein(a: &[u8], b: &[u8], max_cost: usize) -> usize {
    let (mut a, mut b) = (a, b);
    if a == b {
        return 0;
    }
    while let (Some(x), Some(y)) = (a.first(), b.first()) {
        if x != y {
            break;
        }
        a = &a[1..];
        b = &b[1..];
    }
    while let (Some(x), Some(y)) = (a.last(), b.last()) {
        if x != y {
            break;
        }
        a = &a[..a.len() - 1];
        b = &b[..b.len() - 1];
    }
    if a.is_empty() || b.is_empty() {
        return (a.len() + b.len()) * MOVE_COST;
    }
    if a.len() > MAX_STRING_SIZE || b.len() > MAX_STRING_SIZE {
        return max_cost + 1;
    }
    if b.len() < a.len() {
        std::mem::swap(&mut a, &mut b);
    }
    if (b.len() - a.len()) * MOVE_COST > max_cost {
        return max_cost + 1;
    }
    let mut buffer: Vec<usize> = (1..=a.len()).map(|i| i * MOVE_COST).collect();
    let mut result = 0;
    for (bi, &code) in b.iter().enumerate() {
        let mut distance = bi * MOVE_COST;
        result = distance;
        let mut minimum = usize::MAX;
        for (i, &ac) in a.iter().enumerate() {
            let substitute = distance + substitution_cost(code, ac);
            distance = buffer[i];
            let insert_delete = result.min(distance) + MOVE_COST;
            result = insert_delete.min(substitute);
            buffer[i] = result;
            minimum = minimum.min(result);
        }
        if minimum > max_cost {
            return max_cost + 1;
        }
    }
    result
}

/// calculate_suggestions: the closest candidate, if close enough.
fn closest<'a>(candidates: &[&'a str], name: &str) -> Option<&'a str> {
    if candidates.len() >= 750 {
        return None;
    }
    let mut best: Option<&str> = None;
    let mut best_d = usize::MAX;
    for &c in candidates {
        if c == name {
            continue;
        }
        let max_d = ((name.len() + c.len() + 3) * MOVE_COST / 6).min(best_d.saturating_sub(1));
        let d = levenshtein(name.as_bytes(), c.as_bytes(), max_d);
        if d > max_d {
            continue;
        }
        if best.is_none() || d < best_d {
            best = Some(c);
            best_d = d;
        }
    }
    best
}

/// Where tracebacks say socket.py is (`accept` is Python code there).
pub const SOCKET_PY: &str = "/usr/lib/python3.11/socket.py";

/// Where tracebacks say selectors.py is (the module is Python code there).
pub const SELECTORS_PY: &str = "/usr/lib/python3.11/selectors.py";

/// Where tracebacks say threading.py is, with the line numbers of its
/// `self.run()` and `self._target(…)` calls: Debian 12's python3.11 (3.11.2).
pub const THREADING_PY: &str = "/usr/lib/python3.11/threading.py";
const MULTIPROCESSING_PY: &str = "/usr/lib/python3.11/multiprocessing/process.py";

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sim::python::lexer::Span;

    fn sp(col: u32, end: u32) -> Span {
        Span {
            line: 1,
            col,
            end_line: 1,
            end_col: end,
        }
    }

    #[test]
    fn carets_follow_cpython_311() {
        // y = "a" + x  → binary operator anchors
        assert_eq!(
            carets("y = \"a\" + x", 1, sp(4, 11)).as_deref(),
            Some("        ~~~~^~~")
        );
        // subscript: return x[n] + 1 (indented)
        assert_eq!(
            carets("    return x[n] + 1", 1, sp(11, 15)).as_deref(),
            Some("           ~^^^")
        );
        // a call covering the whole line: no carets
        assert_eq!(carets("f()", 1, sp(0, 3)), None);
        // a call inside: ^^^
        assert_eq!(
            carets("print(f(1) + 2)", 1, sp(6, 10)).as_deref(),
            Some("          ^^^^")
        );
        // two-character operator after a parenthesized operand
        assert_eq!(
            carets("z = (a + b) ** \"x\"", 1, sp(4, 18)).as_deref(),
            Some("        ~~~~~~~~^^~~~~")
        );
        // wide characters take two columns
        assert_eq!(
            carets("print(\"收到\" + n)", 1, sp(6, 14)).as_deref(),
            Some("          ~~~~~~~^~~")
        );
    }

    #[test]
    fn syntax_error_layout() {
        let e = SyntaxErr {
            kind: "SyntaxError",
            msg: "expected ':'".into(),
            filename: "s.py".into(),
            line: 1,
            text: Some("if x".into()),
            col: Some(5),
            end_col: Some(6),
        };
        assert_eq!(
            e.render(),
            "  File \"s.py\", line 1\n    if x\n        ^\nSyntaxError: expected ':'\n"
        );
    }
}
