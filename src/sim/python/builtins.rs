//! The `builtins` namespace and the built-in functions.
//!
//! Built-in names are interned first, in the order of [`BUILTINS`], so a
//! name's symbol number is its index in that table: looking up a builtin is
//! an index, not a search. Other names the interpreter needs by number
//! (`__init__`, `__str__`…) follow, as the `S_*` constants.

use super::os::{OsCall, OsValue, Stream};
use super::value::*;
use super::vm::{Flow, R};
use super::{Interp, Os};
use std::rc::Rc;

#[derive(Clone, Copy)]
pub enum BV {
    F(Bf),
    T(Ty),
    NotImpl,
    Ellipsis,
}

pub const BUILTINS: &[(&str, BV)] = &[
    ("print", BV::F(Bf::Print)),
    ("len", BV::F(Bf::Len)),
    ("repr", BV::F(Bf::Repr)),
    ("ascii", BV::F(Bf::Ascii)),
    ("abs", BV::F(Bf::Abs)),
    ("min", BV::F(Bf::Min)),
    ("max", BV::F(Bf::Max)),
    ("sum", BV::F(Bf::Sum)),
    ("sorted", BV::F(Bf::Sorted)),
    ("any", BV::F(Bf::Any)),
    ("all", BV::F(Bf::All)),
    ("ord", BV::F(Bf::Ord)),
    ("chr", BV::F(Bf::Chr)),
    ("hex", BV::F(Bf::Hex)),
    ("oct", BV::F(Bf::Oct)),
    ("bin", BV::F(Bf::Bin)),
    ("hasattr", BV::F(Bf::HasAttr)),
    ("getattr", BV::F(Bf::GetAttr)),
    ("setattr", BV::F(Bf::SetAttr)),
    ("delattr", BV::F(Bf::DelAttr)),
    ("id", BV::F(Bf::Id)),
    ("hash", BV::F(Bf::Hash)),
    ("round", BV::F(Bf::Round)),
    ("divmod", BV::F(Bf::DivMod)),
    ("pow", BV::F(Bf::Pow)),
    ("iter", BV::F(Bf::Iter)),
    ("next", BV::F(Bf::Next)),
    ("callable", BV::F(Bf::Callable)),
    ("input", BV::F(Bf::Input)),
    ("isinstance", BV::F(Bf::IsInstance)),
    ("issubclass", BV::F(Bf::IsSubclass)),
    ("format", BV::F(Bf::Format)),
    ("open", BV::F(Bf::Open)),
    ("globals", BV::F(Bf::Globals)),
    ("locals", BV::F(Bf::Locals)),
    ("vars", BV::F(Bf::Vars)),
    ("dir", BV::F(Bf::Dir)),
    ("exit", BV::F(Bf::Exit)),
    ("quit", BV::F(Bf::Exit)),
    ("object", BV::T(Ty::Object)),
    ("type", BV::T(Ty::Type)),
    ("int", BV::T(Ty::Int)),
    ("bool", BV::T(Ty::Bool)),
    ("float", BV::T(Ty::Float)),
    ("str", BV::T(Ty::Str)),
    ("bytes", BV::T(Ty::Bytes)),
    ("list", BV::T(Ty::List)),
    ("tuple", BV::T(Ty::Tuple)),
    ("dict", BV::T(Ty::Dict)),
    ("set", BV::T(Ty::Set)),
    ("range", BV::T(Ty::Range)),
    ("slice", BV::T(Ty::Slice)),
    ("enumerate", BV::T(Ty::Enumerate)),
    ("zip", BV::T(Ty::Zip)),
    ("map", BV::T(Ty::Map)),
    ("filter", BV::T(Ty::Filter)),
    ("reversed", BV::T(Ty::Reversed)),
    ("property", BV::T(Ty::Property)),
    ("staticmethod", BV::T(Ty::StaticMethod)),
    ("classmethod", BV::T(Ty::ClassMethod)),
    ("super", BV::T(Ty::Super)),
    ("NotImplemented", BV::NotImpl),
    ("Ellipsis", BV::Ellipsis),
    ("BaseException", BV::T(Ty::BaseException)),
    ("SystemExit", BV::T(Ty::SystemExit)),
    ("KeyboardInterrupt", BV::T(Ty::KeyboardInterrupt)),
    ("GeneratorExit", BV::T(Ty::GeneratorExit)),
    ("Exception", BV::T(Ty::Exception)),
    ("StopIteration", BV::T(Ty::StopIteration)),
    ("ArithmeticError", BV::T(Ty::ArithmeticError)),
    ("OverflowError", BV::T(Ty::OverflowError)),
    ("ZeroDivisionError", BV::T(Ty::ZeroDivisionError)),
    ("AssertionError", BV::T(Ty::AssertionError)),
    ("AttributeError", BV::T(Ty::AttributeError)),
    ("EOFError", BV::T(Ty::EOFError)),
    ("ImportError", BV::T(Ty::ImportError)),
    ("ModuleNotFoundError", BV::T(Ty::ModuleNotFoundError)),
    ("LookupError", BV::T(Ty::LookupError)),
    ("IndexError", BV::T(Ty::IndexError)),
    ("KeyError", BV::T(Ty::KeyError)),
    ("MemoryError", BV::T(Ty::MemoryError)),
    ("NameError", BV::T(Ty::NameError)),
    ("UnboundLocalError", BV::T(Ty::UnboundLocalError)),
    ("OSError", BV::T(Ty::OSError)),
    ("IOError", BV::T(Ty::OSError)),
    ("EnvironmentError", BV::T(Ty::OSError)),
    ("BlockingIOError", BV::T(Ty::BlockingIOError)),
    ("ConnectionError", BV::T(Ty::ConnectionError)),
    ("BrokenPipeError", BV::T(Ty::BrokenPipeError)),
    ("ConnectionAbortedError", BV::T(Ty::ConnectionAbortedError)),
    ("ConnectionRefusedError", BV::T(Ty::ConnectionRefusedError)),
    ("ConnectionResetError", BV::T(Ty::ConnectionResetError)),
    ("FileExistsError", BV::T(Ty::FileExistsError)),
    ("FileNotFoundError", BV::T(Ty::FileNotFoundError)),
    ("InterruptedError", BV::T(Ty::InterruptedError)),
    ("ChildProcessError", BV::T(Ty::ChildProcessError)),
    ("IsADirectoryError", BV::T(Ty::IsADirectoryError)),
    ("NotADirectoryError", BV::T(Ty::NotADirectoryError)),
    ("PermissionError", BV::T(Ty::PermissionError)),
    ("TimeoutError", BV::T(Ty::TimeoutError)),
    ("RuntimeError", BV::T(Ty::RuntimeError)),
    ("NotImplementedError", BV::T(Ty::NotImplementedError)),
    ("RecursionError", BV::T(Ty::RecursionError)),
    ("SyntaxError", BV::T(Ty::SyntaxError)),
    ("IndentationError", BV::T(Ty::IndentationError)),
    ("TabError", BV::T(Ty::TabError)),
    ("SystemError", BV::T(Ty::SystemError)),
    ("TypeError", BV::T(Ty::TypeError)),
    ("ValueError", BV::T(Ty::ValueError)),
    ("UnicodeError", BV::T(Ty::UnicodeError)),
    ("UnicodeDecodeError", BV::T(Ty::UnicodeDecodeError)),
    ("UnicodeEncodeError", BV::T(Ty::UnicodeEncodeError)),
    ("Warning", BV::T(Ty::Warning)),
    ("UserWarning", BV::T(Ty::UserWarning)),
    ("DeprecationWarning", BV::T(Ty::DeprecationWarning)),
    ("RuntimeWarning", BV::T(Ty::RuntimeWarning)),
];

pub const NB: u32 = BUILTINS.len() as u32;

macro_rules! syms {
    ($($c:ident = $s:literal,)*) => {
        pub const EXTRA_NAMES: &[&str] = &[$($s,)*];
        #[allow(non_camel_case_types, clippy::upper_case_acronyms, dead_code)]
        #[repr(u32)]
        enum SymOrd { $($c,)* }
        $(pub const $c: Sym = NB + SymOrd::$c as u32;)*
    };
}

syms! {
    S_INIT = "__init__",
    S_STR = "__str__",
    S_REPR = "__repr__",
    S_NAME = "__name__",
    S_QUALNAME = "__qualname__",
    S_MODULE = "__module__",
    S_CLASS = "__class__",
    S_DICT = "__dict__",
    S_DOC = "__doc__",
    S_ENTER = "__enter__",
    S_EXIT = "__exit__",
    S_ITER = "__iter__",
    S_NEXT = "__next__",
    S_LEN = "__len__",
    S_BOOL = "__bool__",
    S_EQ = "__eq__",
    S_NE = "__ne__",
    S_LT = "__lt__",
    S_LE = "__le__",
    S_GT = "__gt__",
    S_GE = "__ge__",
    S_HASH = "__hash__",
    S_CONTAINS = "__contains__",
    S_GETITEM = "__getitem__",
    S_SETITEM = "__setitem__",
    S_DELITEM = "__delitem__",
    S_CALL = "__call__",
    S_FORMAT = "__format__",
    S_NEG = "__neg__",
    S_POS = "__pos__",
    S_INVERT = "__invert__",
    S_ABS = "__abs__",
    S_GETATTR = "__getattr__",
    S_FILE = "__file__",
    S_RUN = "run",
    S_DAEMON = "daemon",
    S_SELFNAME = "name",
    S_ADD = "__add__",
    S_SUB = "__sub__",
    S_MUL = "__mul__",
    S_TRUEDIV = "__truediv__",
    S_FLOORDIV = "__floordiv__",
    S_MOD = "__mod__",
    S_POW = "__pow__",
    S_LSHIFT = "__lshift__",
    S_RSHIFT = "__rshift__",
    S_OR = "__or__",
    S_XOR = "__xor__",
    S_AND = "__and__",
    S_MATMUL = "__matmul__",
    S_RADD = "__radd__",
    S_RSUB = "__rsub__",
    S_RMUL = "__rmul__",
    S_RTRUEDIV = "__rtruediv__",
    S_RFLOORDIV = "__rfloordiv__",
    S_RMOD = "__rmod__",
    S_RPOW = "__rpow__",
    S_RLSHIFT = "__rlshift__",
    S_RRSHIFT = "__rrshift__",
    S_ROR = "__ror__",
    S_RXOR = "__rxor__",
    S_RAND = "__rand__",
    S_RMATMUL = "__rmatmul__",
    S_IADD = "__iadd__",
}

/// The value of a builtin name, by its symbol.
pub fn builtin(s: Sym) -> Option<Value> {
    let (_, bv) = BUILTINS.get(s as usize)?;
    Some(match bv {
        BV::F(f) => Value::Builtin(*f),
        BV::T(t) => Value::Type(*t),
        BV::NotImpl => Value::NotImplemented,
        BV::Ellipsis => Value::Ellipsis,
    })
}

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

/// Takes a keyword argument by name.
pub(crate) fn take_kw(heap: &Heap, kw: &mut Vec<(Sym, Value)>, name: &str) -> Option<Value> {
    let i = kw.iter().position(|(k, _)| heap.name(*k) == name)?;
    Some(kw.remove(i).1)
}

impl Interp {
    /// The first keyword argument left over, as an error.
    pub(crate) fn no_kw(&mut self, fname: &str, kw: &[(Sym, Value)]) -> R<()> {
        if let Some((k, _)) = kw.first() {
            let n = self.heap.name(*k).to_string();
            return Err(self.exc_flow(
                Ty::TypeError,
                &format!("{fname}() got an unexpected keyword argument '{n}'"),
            ));
        }
        Ok(())
    }

    pub(crate) fn nargs(&mut self, fname: &str, args: &[Value], min: usize, max: usize) -> R<()> {
        let n = args.len();
        if n >= min && n <= max {
            return Ok(());
        }
        let msg = if min == max {
            match min {
                0 => format!("{fname}() takes no arguments ({n} given)"),
                1 => format!("{fname}() takes exactly one argument ({n} given)"),
                _ => format!("{fname} expected {min} arguments, got {n}"),
            }
        } else if n < min {
            format!(
                "{fname} expected at least {min} argument{}, got {n}",
                if min == 1 { "" } else { "s" }
            )
        } else {
            format!(
                "{fname} expected at most {max} argument{}, got {n}",
                if max == 1 { "" } else { "s" }
            )
        };
        Err(self.exc_flow(Ty::TypeError, &msg))
    }

    pub(crate) fn call_builtin(
        &mut self,
        os: &mut dyn Os,
        f: Bf,
        args: Vec<Value>,
        mut kw: Vec<(Sym, Value)>,
    ) -> R<Value> {
        let a0 = args.first().cloned().unwrap_or(Value::None);
        let a1 = args.get(1).cloned().unwrap_or(Value::None);
        match f {
            Bf::Print => {
                let sep = take_kw(&self.heap, &mut kw, "sep");
                let end = take_kw(&self.heap, &mut kw, "end");
                let file = take_kw(&self.heap, &mut kw, "file");
                let _flush = take_kw(&self.heap, &mut kw, "flush");
                self.no_kw("print", &kw)?;
                let sep = match sep {
                    None | Some(Value::None) => Rc::from(" "),
                    Some(Value::Str(s)) => s,
                    Some(v) => {
                        let n = self.type_name(&v);
                        return Err(self.exc_flow(
                            Ty::TypeError,
                            &format!("sep must be None or a string, not {n}"),
                        ));
                    }
                };
                let end = match end {
                    None | Some(Value::None) => Rc::from("\n"),
                    Some(Value::Str(s)) => s,
                    Some(v) => {
                        let n = self.type_name(&v);
                        return Err(self.exc_flow(
                            Ty::TypeError,
                            &format!("end must be None or a string, not {n}"),
                        ));
                    }
                };
                let mut text = String::new();
                for (i, a) in args.iter().enumerate() {
                    if i > 0 {
                        text.push_str(&sep);
                    }
                    let s = self.str_of(os, a)?;
                    text.push_str(&s);
                }
                text.push_str(&end);
                let stream = match file {
                    None | Some(Value::None) => Stream::Stdout,
                    Some(f) => match self.heap.inst(&f).map(|i| &i.native) {
                        Some(Native::Stream(2)) => Stream::Stderr,
                        Some(Native::Stream(_)) => Stream::Stdout,
                        _ => {
                            // any object with write()
                            let w = self.heap.intern("write");
                            let m = self.getattr(os, &f, w)?;
                            self.call_sync(os, m, vec![Value::Str(text.into())], Vec::new())?;
                            return Ok(Value::None);
                        }
                    },
                };
                self.os_call(os, OsCall::Write { stream, text })?;
                Ok(Value::None)
            }
            Bf::Len => {
                self.no_kw("len", &kw)?;
                self.nargs("len", &args, 1, 1)?;
                let n = self.len_of(os, &a0)?;
                Ok(Value::Int(n as i64))
            }
            Bf::Repr => {
                self.nargs("repr", &args, 1, 1)?;
                Ok(Value::Str(self.repr(os, &a0)?))
            }
            Bf::Ascii => {
                self.nargs("ascii", &args, 1, 1)?;
                Ok(Value::Str(self.ascii(os, &a0)?))
            }
            Bf::Abs => {
                self.nargs("abs", &args, 1, 1)?;
                match a0 {
                    Value::Int(i) => match i.checked_abs() {
                        Some(v) => Ok(Value::Int(v)),
                        None => Err(self.overflow()),
                    },
                    Value::Bool(b) => Ok(Value::Int(b as i64)),
                    Value::Float(f) => Ok(Value::float(f.0.abs())),
                    other => {
                        if let Some(m) = self.lookup_class_attr(&other, S_ABS) {
                            return self.call_sync(os, m, vec![other], Vec::new());
                        }
                        let n = self.type_name(&other);
                        Err(self
                            .exc_flow(Ty::TypeError, &format!("bad operand type for abs(): '{n}'")))
                    }
                }
            }
            Bf::Min | Bf::Max => self.min_max(os, f == Bf::Max, args, kw),
            Bf::Sum => {
                let start = take_kw(&self.heap, &mut kw, "start");
                self.no_kw("sum", &kw)?;
                self.nargs("sum", &args, 1, 2)?;
                let mut acc =
                    start.unwrap_or_else(|| args.get(1).cloned().unwrap_or(Value::Int(0)));
                if let Value::Str(_) = acc {
                    return Err(self.exc_flow(
                        Ty::TypeError,
                        "sum() can't sum strings [use ''.join(seq) instead]",
                    ));
                }
                let items = self.iterate(os, &a0)?;
                for it in items {
                    acc = match (&acc, &it) {
                        (Value::Int(a), Value::Int(b)) => match a.checked_add(*b) {
                            Some(v) => Value::Int(v),
                            None => return Err(self.overflow()),
                        },
                        _ => self.binary(os, super::ast::BinOp::Add, &acc, &it, false)?,
                    };
                }
                Ok(acc)
            }
            Bf::Sorted => {
                let key = take_kw(&self.heap, &mut kw, "key");
                let rev = take_kw(&self.heap, &mut kw, "reverse");
                self.no_kw("sorted", &kw)?;
                if args.len() != 1 {
                    let n = args.len();
                    return Err(self.exc_flow(
                        Ty::TypeError,
                        &format!("sorted expected 1 argument, got {n}"),
                    ));
                }
                let mut items = self.iterate(os, &a0)?;
                let rev = match rev {
                    Some(r) => self.truthy(os, &r)?,
                    None => false,
                };
                self.sort_values(os, &mut items, key, rev)?;
                Ok(Value::Ref(self.heap.alloc(Obj::List(items))))
            }
            Bf::Any | Bf::All => {
                let name = if f == Bf::Any { "any" } else { "all" };
                self.nargs(name, &args, 1, 1)?;
                let it = self.get_iter(os, &a0)?;
                while let Some(v) = self.next(os, &it)? {
                    let t = self.truthy(os, &v)?;
                    if f == Bf::Any && t {
                        return Ok(Value::Bool(true));
                    }
                    if f == Bf::All && !t {
                        return Ok(Value::Bool(false));
                    }
                }
                Ok(Value::Bool(f == Bf::All))
            }
            Bf::Ord => {
                self.nargs("ord", &args, 1, 1)?;
                match &a0 {
                    Value::Str(s) => {
                        let mut cs = s.chars();
                        match (cs.next(), cs.next()) {
                            (Some(c), None) => Ok(Value::Int(c as i64)),
                            _ => {
                                let n = s.chars().count();
                                Err(self.exc_flow(
                                    Ty::TypeError,
                                    &format!("ord() expected a character, but string of length {n} found"),
                                ))
                            }
                        }
                    }
                    Value::Bytes(b) if b.len() == 1 => Ok(Value::Int(b[0] as i64)),
                    Value::Bytes(b) => {
                        let n = b.len();
                        Err(self.exc_flow(
                            Ty::TypeError,
                            &format!("ord() expected a character, but string of length {n} found"),
                        ))
                    }
                    other => {
                        let n = self.type_name(other);
                        Err(self.exc_flow(
                            Ty::TypeError,
                            &format!("ord() expected string of length 1, but {n} found"),
                        ))
                    }
                }
            }
            Bf::Chr => {
                self.nargs("chr", &args, 1, 1)?;
                let i = self.index_of(&a0)?;
                match u32::try_from(i).ok().and_then(char::from_u32) {
                    Some(c) => Ok(Value::Str(c.to_string().into())),
                    None if (0..0x110000).contains(&i) => {
                        // a lone surrogate: not representable here
                        Ok(Value::str("\u{FFFD}"))
                    }
                    None => Err(self.exc_flow(Ty::ValueError, "chr() arg not in range(0x110000)")),
                }
            }
            Bf::Hex | Bf::Oct | Bf::Bin => {
                let name = f.name();
                self.nargs(name, &args, 1, 1)?;
                let i = self.index_of(&a0)?;
                let (neg, mag) = (i < 0, i.unsigned_abs());
                let body = match f {
                    Bf::Hex => format!("0x{mag:x}"),
                    Bf::Oct => format!("0o{mag:o}"),
                    _ => format!("0b{mag:b}"),
                };
                Ok(Value::Str(
                    if neg { format!("-{body}") } else { body }.into(),
                ))
            }
            Bf::HasAttr => {
                self.nargs("hasattr", &args, 2, 2)?;
                let name = self.attr_name_arg(&a1)?;
                match self.getattr(os, &a0, name) {
                    Ok(_) => Ok(Value::Bool(true)),
                    Err(Flow::Exc(e)) | Err(Flow::Reraise(e)) => {
                        if self.exc_is(&e, Ty::AttributeError) {
                            Ok(Value::Bool(false))
                        } else {
                            Err(Flow::Exc(e))
                        }
                    }
                    Err(b) => Err(b),
                }
            }
            Bf::GetAttr => {
                self.nargs("getattr", &args, 2, 3)?;
                let name = self.attr_name_arg(&a1)?;
                match self.getattr(os, &a0, name) {
                    Ok(v) => Ok(v),
                    Err(Flow::Exc(e)) | Err(Flow::Reraise(e)) => {
                        if let (Some(d), true) = (args.get(2), self.exc_is(&e, Ty::AttributeError))
                        {
                            Ok(d.clone())
                        } else {
                            Err(Flow::Exc(e))
                        }
                    }
                    Err(b) => Err(b),
                }
            }
            Bf::SetAttr => {
                self.nargs("setattr", &args, 3, 3)?;
                let name = self.attr_name_arg(&a1)?;
                let v = args.get(2).cloned().unwrap_or(Value::None);
                self.setattr(os, &a0, name, v)?;
                Ok(Value::None)
            }
            Bf::DelAttr => {
                self.nargs("delattr", &args, 2, 2)?;
                let name = self.attr_name_arg(&a1)?;
                self.delattr(&a0, name)?;
                Ok(Value::None)
            }
            Bf::Id => {
                self.nargs("id", &args, 1, 1)?;
                Ok(Value::Int(self.id_of(&a0)))
            }
            Bf::Hash => {
                self.nargs("hash", &args, 1, 1)?;
                Ok(Value::Int(self.hash(os, &a0)?))
            }
            Bf::Round => {
                let nd = take_kw(&self.heap, &mut kw, "ndigits");
                self.no_kw("round", &kw)?;
                self.nargs("round", &args, 1, 2)?;
                let nd = nd.or_else(|| args.get(1).cloned());
                self.round(os, &a0, nd)
            }
            Bf::DivMod => {
                self.nargs("divmod", &args, 2, 2)?;
                let q = self
                    .binary(os, super::ast::BinOp::FloorDiv, &a0, &a1, false)
                    .map_err(|e| self.divmod_msg(e))?;
                let r = self.binary(os, super::ast::BinOp::Mod, &a0, &a1, false)?;
                Ok(self.new_tuple(vec![q, r]))
            }
            Bf::Pow => {
                self.nargs("pow", &args, 2, 3)?;
                if let Some(m) = args.get(2) {
                    if *m != Value::None {
                        return self.pow_mod(&a0, &a1, m);
                    }
                }
                self.binary(os, super::ast::BinOp::Pow, &a0, &a1, false)
            }
            Bf::Iter => {
                self.nargs("iter", &args, 1, 2)?;
                if let Some(sentinel) = args.get(1) {
                    let it = Iter::Callable(a0, sentinel.clone());
                    return Ok(Value::Ref(self.heap.alloc(Obj::Iter(Box::new(it)))));
                }
                self.get_iter(os, &a0)
            }
            Bf::Next => {
                self.nargs("next", &args, 1, 2)?;
                if !self.is_iterator(&a0) {
                    let n = self.type_name(&a0);
                    return Err(
                        self.exc_flow(Ty::TypeError, &format!("'{n}' object is not an iterator"))
                    );
                }
                match self.next(os, &a0)? {
                    Some(v) => Ok(v),
                    None => match args.get(1) {
                        Some(d) => Ok(d.clone()),
                        None => {
                            let e = self.new_exc_args(Ty::StopIteration, Vec::new());
                            Err(Flow::Exc(e))
                        }
                    },
                }
            }
            Bf::Callable => {
                self.nargs("callable", &args, 1, 1)?;
                Ok(Value::Bool(self.is_callable(&a0)))
            }
            Bf::Input => {
                self.nargs("input", &args, 0, 1)?;
                let prompt = match args.first() {
                    Some(v) => self.str_of(os, v)?.to_string(),
                    None => String::new(),
                };
                match self.os_call(os, OsCall::Input { prompt })? {
                    OsValue::Str(s) => Ok(Value::Str(s.into())),
                    OsValue::Bytes(b) => Ok(Value::Str(String::from_utf8_lossy(&b).into())),
                    _ => Err(self.exc_flow(Ty::EOFError, "EOF when reading a line")),
                }
            }
            Bf::IsInstance => {
                self.nargs("isinstance", &args, 2, 2)?;
                let r = self.isinstance(&a0, &a1)?;
                Ok(Value::Bool(r))
            }
            Bf::IsSubclass => {
                self.nargs("issubclass", &args, 2, 2)?;
                if !self.is_class(&a0) {
                    return Err(self.exc_flow(Ty::TypeError, "issubclass() arg 1 must be a class"));
                }
                let r = self.issubclass_any(&a0, &a1)?;
                Ok(Value::Bool(r))
            }
            Bf::Format => {
                self.nargs("format", &args, 1, 2)?;
                let spec = match args.get(1) {
                    Some(Value::Str(s)) => s.clone(),
                    Some(_) => {
                        return Err(self.exc_flow(Ty::TypeError, "format() argument 2 must be str"))
                    }
                    None => Rc::from(""),
                };
                Ok(Value::Str(self.format(os, &a0, &spec)?))
            }
            Bf::Open => self.open(os, args, kw),
            Bf::Globals | Bf::Locals | Bf::Vars => {
                // a snapshot (writes to it are not seen by the module)
                let g = self.cur_globals();
                let items: Vec<(Value, Value)> = match self.heap.get(g) {
                    Some(Obj::Module(m)) => {
                        m.ns.iter()
                            .map(|(k, v)| (Value::Str(self.heap.name_rc(*k)), v.clone()))
                            .collect()
                    }
                    _ => Vec::new(),
                };
                if f == Bf::Vars && !args.is_empty() {
                    let attrs: Vec<(Value, Value)> = match self.heap.inst(&a0) {
                        Some(i) => i
                            .attrs
                            .iter()
                            .map(|(k, v)| (Value::Str(self.heap.name_rc(*k)), v.clone()))
                            .collect(),
                        None => {
                            return Err(self.exc_flow(
                                Ty::TypeError,
                                "vars() argument must have __dict__ attribute",
                            ))
                        }
                    };
                    return Ok(Value::Ref(self.heap.alloc(Obj::Dict(attrs))));
                }
                Ok(Value::Ref(self.heap.alloc(Obj::Dict(items))))
            }
            Bf::Dir => {
                let mut names: Vec<Rc<str>> = match args.first() {
                    Some(v) => match self.heap.inst(v) {
                        Some(i) => i.attrs.iter().map(|(k, _)| self.heap.name_rc(*k)).collect(),
                        None => match v {
                            Value::Ref(i) => match self.heap.get(*i) {
                                Some(Obj::Module(m)) => {
                                    m.ns.iter().map(|(k, _)| self.heap.name_rc(*k)).collect()
                                }
                                Some(Obj::Class(c)) => {
                                    c.ns.iter().map(|(k, _)| self.heap.name_rc(*k)).collect()
                                }
                                _ => Vec::new(),
                            },
                            _ => Vec::new(),
                        },
                    },
                    None => {
                        let g = self.cur_globals();
                        match self.heap.get(g) {
                            Some(Obj::Module(m)) => {
                                m.ns.iter().map(|(k, _)| self.heap.name_rc(*k)).collect()
                            }
                            _ => Vec::new(),
                        }
                    }
                };
                sort_names(&mut names);
                let items = names.into_iter().map(Value::Str).collect();
                Ok(Value::Ref(self.heap.alloc(Obj::List(items))))
            }
            Bf::Exit | Bf::SysExit => {
                let e = self.new_exc_args(Ty::SystemExit, args);
                Err(Flow::Exc(e))
            }
            _ => self.call_module_fn(os, f, args, kw),
        }
    }

    fn attr_name_arg(&mut self, v: &Value) -> R<Sym> {
        match v {
            Value::Str(s) => Ok(self.heap.intern(s)),
            other => {
                let n = self.type_name(other);
                Err(self.exc_flow(
                    Ty::TypeError,
                    &format!("attribute name must be string, not '{n}'"),
                ))
            }
        }
    }

    fn divmod_msg(&mut self, e: Flow) -> Flow {
        match &e {
            Flow::Exc(x) if self.exc_is(x, Ty::ZeroDivisionError) => {
                let s = self
                    .heap
                    .exc(x)
                    .and_then(|x| x.args.first().cloned())
                    .unwrap_or(Value::None);
                if s == Value::str("integer division or modulo by zero") {
                    return self
                        .exc_flow(Ty::ZeroDivisionError, "integer division or modulo by zero");
                }
                if s == Value::str("float floor division by zero") {
                    return self.exc_flow(Ty::ZeroDivisionError, "float divmod()");
                }
                e
            }
            _ => e,
        }
    }

    fn min_max(
        &mut self,
        os: &mut dyn Os,
        is_max: bool,
        args: Vec<Value>,
        mut kw: Vec<(Sym, Value)>,
    ) -> R<Value> {
        let name = if is_max { "max" } else { "min" };
        let key = take_kw(&self.heap, &mut kw, "key");
        let default = take_kw(&self.heap, &mut kw, "default");
        self.no_kw(name, &kw)?;
        let items = match args.len() {
            0 => {
                return Err(self.exc_flow(
                    Ty::TypeError,
                    &format!("{name} expected at least 1 argument, got 0"),
                ))
            }
            1 => {
                let a = args.into_iter().next().unwrap_or(Value::None);
                self.iterate(os, &a)?
            }
            _ => args,
        };
        let key = key.filter(|k| *k != Value::None);
        let mut best: Option<(Value, Value)> = None;
        for it in items {
            let k = match &key {
                Some(kf) => self.call_sync(os, kf.clone(), vec![it.clone()], Vec::new())?,
                None => it.clone(),
            };
            best = match best {
                None => Some((k, it)),
                Some((bk, bv)) => {
                    let op = if is_max {
                        super::ast::CmpOp::Gt
                    } else {
                        super::ast::CmpOp::Lt
                    };
                    let better = self.compare(os, op, &k, &bk)?;
                    if self.truthy(os, &better)? {
                        Some((k, it))
                    } else {
                        Some((bk, bv))
                    }
                }
            };
        }
        match best {
            Some((_, v)) => Ok(v),
            None => match default {
                Some(d) => Ok(d),
                None => Err(self.exc_flow(
                    Ty::ValueError,
                    &format!("{name}() arg is an empty sequence"),
                )),
            },
        }
    }

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
                    let lt = match self.compare(os, super::ast::CmpOp::Lt, &kb, &ka) {
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

    pub(crate) fn cur_globals(&self) -> Ix {
        self.thread()
            .and_then(|t| t.frames.last())
            .map(|f| f.globals)
            .unwrap_or(self.main_module)
    }

    pub(crate) fn overflow(&mut self) -> Flow {
        self.exc_flow(
            Ty::OverflowError,
            "integer overflow: this interpreter's ints are 64-bit",
        )
    }
}
