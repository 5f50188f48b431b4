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

mod suggest;
mod syntax;
#[cfg(test)]
mod tests;
mod traceback;

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

/// Where tracebacks say socket.py is (`accept` is Python code there).
pub const SOCKET_PY: &str = "/usr/lib/python3.11/socket.py";

/// Where tracebacks say selectors.py is (the module is Python code there).
pub const SELECTORS_PY: &str = "/usr/lib/python3.11/selectors.py";

/// Where tracebacks say threading.py is, with the line numbers of its
/// `self.run()` and `self._target(…)` calls: Debian 12's python3.11 (3.11.2).
pub const THREADING_PY: &str = "/usr/lib/python3.11/threading.py";
const MULTIPROCESSING_PY: &str = "/usr/lib/python3.11/multiprocessing/process.py";
