//! Methods of the built-in types (str, bytes, list, dict, set, tuple, int,
//! float) and the text codecs (utf-8, gbk, gb2312, ascii, latin-1) with
//! CPython's error messages.

use super::value::*;
use super::vm::{Flow, R};
use super::{Interp, Os};

mod bytes;
mod codec;
mod dict;
mod list;
mod num;
mod object;
mod set;
mod string;
#[cfg(test)]
mod tests;

const STR_METHODS: &[&str] = &[
    "capitalize",
    "casefold",
    "center",
    "count",
    "encode",
    "endswith",
    "expandtabs",
    "find",
    "format",
    "index",
    "isalnum",
    "isalpha",
    "isascii",
    "isdecimal",
    "isdigit",
    "isidentifier",
    "islower",
    "isnumeric",
    "isprintable",
    "isspace",
    "istitle",
    "isupper",
    "join",
    "ljust",
    "lower",
    "lstrip",
    "partition",
    "removeprefix",
    "removesuffix",
    "replace",
    "rfind",
    "rindex",
    "rjust",
    "rpartition",
    "rsplit",
    "rstrip",
    "split",
    "splitlines",
    "startswith",
    "strip",
    "swapcase",
    "title",
    "upper",
    "zfill",
    "maketrans",
    "translate",
    "__len__",
    "__contains__",
    "__getitem__",
    "__add__",
    "__mul__",
    "__eq__",
    "__lt__",
    "__hash__",
    "__str__",
    "__repr__",
    "__format__",
];
const BYTES_METHODS: &[&str] = &[
    "capitalize",
    "center",
    "count",
    "decode",
    "endswith",
    "find",
    "hex",
    "index",
    "isalnum",
    "isalpha",
    "isascii",
    "isdigit",
    "islower",
    "isspace",
    "istitle",
    "isupper",
    "join",
    "ljust",
    "lower",
    "lstrip",
    "partition",
    "removeprefix",
    "removesuffix",
    "replace",
    "rfind",
    "rindex",
    "rjust",
    "rpartition",
    "rsplit",
    "rstrip",
    "split",
    "splitlines",
    "startswith",
    "strip",
    "swapcase",
    "title",
    "upper",
    "zfill",
    "fromhex",
    "__len__",
    "__getitem__",
    "__contains__",
];
const LIST_METHODS: &[&str] = &[
    "append",
    "clear",
    "copy",
    "count",
    "extend",
    "index",
    "insert",
    "pop",
    "remove",
    "reverse",
    "sort",
    "__len__",
    "__getitem__",
    "__setitem__",
    "__contains__",
    "__iter__",
];
const DICT_METHODS: &[&str] = &[
    "clear",
    "copy",
    "get",
    "items",
    "keys",
    "pop",
    "popitem",
    "setdefault",
    "update",
    "values",
    "fromkeys",
    "__len__",
    "__getitem__",
    "__setitem__",
    "__contains__",
    "__iter__",
];
const SET_METHODS: &[&str] = &[
    "add",
    "clear",
    "copy",
    "difference",
    "difference_update",
    "discard",
    "intersection",
    "intersection_update",
    "isdisjoint",
    "issubset",
    "issuperset",
    "pop",
    "remove",
    "symmetric_difference",
    "union",
    "update",
    "__len__",
    "__contains__",
];
const TUPLE_METHODS: &[&str] = &["count", "index", "__len__", "__getitem__", "__contains__"];
const INT_METHODS: &[&str] = &[
    "bit_length",
    "to_bytes",
    "from_bytes",
    "conjugate",
    "as_integer_ratio",
    "__add__",
    "__sub__",
    "__mul__",
    "__eq__",
    "__lt__",
    "__hash__",
    "__str__",
    "__repr__",
    "__format__",
];
const FLOAT_METHODS: &[&str] = &["is_integer", "conjugate", "as_integer_ratio", "__format__"];
const RANGE_METHODS: &[&str] = &["count", "index"];
const EXC_METHODS: &[&str] = &[
    "with_traceback",
    "add_note",
    "__init__",
    "__str__",
    "__repr__",
];
pub(crate) const SOCKET_METHODS: &[&str] = &[
    "accept",
    "bind",
    "close",
    "connect",
    "connect_ex",
    "detach",
    "fileno",
    "getpeername",
    "getsockname",
    "getsockopt",
    "gettimeout",
    "getblocking",
    "listen",
    "recv",
    "send",
    "sendall",
    "setblocking",
    "setsockopt",
    "settimeout",
    "shutdown",
    "__enter__",
    "__exit__",
];
pub(crate) const THREAD_METHODS: &[&str] = &[
    "start",
    "join",
    "is_alive",
    "run",
    "getName",
    "setName",
    "isDaemon",
    "setDaemon",
    "__init__",
];
pub(crate) const LOCK_METHODS: &[&str] = &[
    "acquire",
    "release",
    "locked",
    "__enter__",
    "__exit__",
    "acquire_lock",
    "release_lock",
];
pub(crate) const EVENT_METHODS: &[&str] = &["set", "clear", "is_set", "isSet", "wait"];
pub(crate) const FILE_METHODS: &[&str] = &[
    "read",
    "readline",
    "readlines",
    "close",
    "__enter__",
    "__exit__",
    "__iter__",
    "__next__",
    "readable",
    "writable",
    "seekable",
    "fileno",
];
pub(crate) const STREAM_METHODS: &[&str] = &["write", "flush", "fileno", "isatty", "readline"];
const OBJECT_METHODS: &[&str] = &[
    "__init__",
    "__str__",
    "__repr__",
    "__eq__",
    "__ne__",
    "__hash__",
    "__format__",
];
const PROPERTY_METHODS: &[&str] = &["setter", "getter"];
const GEN_METHODS: &[&str] = &["send", "close", "__next__", "__iter__"];

/// The value of a Unicode decimal digit (ASCII, Arabic-Indic, Devanagari,
/// fullwidth… the scripts whose digits run 0–9 from a block start).
pub fn decimal_value(c: char) -> Option<u32> {
    if let Some(d) = c.to_digit(10) {
        return Some(d);
    }
    const STARTS: [u32; 22] = [
        0x0660, 0x06F0, 0x07C0, 0x0966, 0x09E6, 0x0A66, 0x0AE6, 0x0B66, 0x0BE6, 0x0C66, 0x0CE6,
        0x0D66, 0x0DE6, 0x0E50, 0x0ED0, 0x0F20, 0x1040, 0x1090, 0x17E0, 0x1810, 0x1946, 0xFF10,
    ];
    let u = c as u32;
    STARTS
        .iter()
        .find(|&&s| u >= s && u < s + 10)
        .map(|&s| u - s)
}

impl Interp {
    pub(crate) fn has_native_method_ty(&self, t: Ty, name: Sym) -> bool {
        let n = self.heap.name(name);
        let list: &[&str] = match t {
            Ty::Str => STR_METHODS,
            Ty::Bytes => BYTES_METHODS,
            Ty::List => LIST_METHODS,
            Ty::Dict => DICT_METHODS,
            Ty::Set => SET_METHODS,
            Ty::Tuple => TUPLE_METHODS,
            Ty::Int | Ty::Bool => INT_METHODS,
            Ty::Float => FLOAT_METHODS,
            Ty::Range => RANGE_METHODS,
            Ty::Socket => SOCKET_METHODS,
            Ty::Thread | Ty::Process => THREAD_METHODS,
            Ty::Lock | Ty::RLock => LOCK_METHODS,
            Ty::Event => EVENT_METHODS,
            Ty::TextFile | Ty::BinFile => FILE_METHODS,
            Ty::HttpRequest => super::httpmsg::REQUEST_METHODS,
            Ty::HttpReply => super::httpmsg::REPLY_METHODS,
            Ty::Selector => super::select::SELECTOR_METHODS,
            Ty::Property => PROPERTY_METHODS,
            Ty::Generator => GEN_METHODS,
            Ty::Object => OBJECT_METHODS,
            t if t.is_exception() => EXC_METHODS,
            _ => &[],
        };
        list.contains(&n) || (n == "__init__" && t == Ty::Object)
    }

    /// The built-in method names of a value (for `dir()` and suggestions).
    pub(crate) fn native_dir(&self, v: &Value) -> &'static [&'static str] {
        let t = match self.heap.inst(v) {
            Some(inst) => match &inst.native {
                Native::Exc(_) => Ty::BaseException,
                Native::Socket(_) => Ty::Socket,
                Native::Thread(_) => Ty::Thread,
                Native::Lock { .. } => Ty::Lock,
                Native::Event(_) => Ty::Event,
                Native::File(_) => Ty::TextFile,
                Native::Stream(_) => return STREAM_METHODS,
                Native::HttpRequest(_) => return super::httpmsg::REQUEST_METHODS,
                Native::HttpReply(_) => return super::httpmsg::REPLY_METHODS,
                Native::Selector(_) => return super::select::SELECTOR_METHODS,
                Native::Site(_) | Native::SelectorKey(_) => return &[],
                Native::None => Ty::Object,
            },
            None => self.ty_of(v),
        };
        match t {
            Ty::Str => STR_METHODS,
            Ty::Bytes => BYTES_METHODS,
            Ty::List => LIST_METHODS,
            Ty::Dict => DICT_METHODS,
            Ty::Set => SET_METHODS,
            Ty::Tuple => TUPLE_METHODS,
            Ty::Int | Ty::Bool => INT_METHODS,
            Ty::Float => FLOAT_METHODS,
            Ty::Socket => SOCKET_METHODS,
            Ty::Thread => THREAD_METHODS,
            Ty::Lock | Ty::RLock => LOCK_METHODS,
            Ty::Event => EVENT_METHODS,
            Ty::TextFile | Ty::BinFile => FILE_METHODS,
            t if t.is_exception() => EXC_METHODS,
            _ => &[],
        }
    }

    pub(crate) fn has_native_method(&self, v: &Value, name: Sym) -> bool {
        match self.heap.inst(v) {
            Some(inst) => {
                let t = match &inst.native {
                    Native::Exc(_) => Ty::BaseException,
                    Native::Socket(_) => Ty::Socket,
                    Native::Thread(_) => Ty::Thread,
                    Native::Lock { .. } => Ty::Lock,
                    Native::Event(_) => Ty::Event,
                    Native::File(_) => Ty::TextFile,
                    Native::Stream(_) => {
                        return STREAM_METHODS.contains(&self.heap.name(name));
                    }
                    Native::HttpRequest(_) => Ty::HttpRequest,
                    Native::HttpReply(_) => Ty::HttpReply,
                    Native::Site(_) => Ty::MemoryFiles,
                    Native::Selector(_) => Ty::Selector,
                    Native::SelectorKey(_) => Ty::SelectorKey,
                    Native::None => Ty::Object,
                };
                self.has_native_method_ty(t, name)
            }
            None => {
                let t = self.ty_of(v);
                self.has_native_method_ty(t, name)
            }
        }
    }

    /// Calls a built-in method `name` on `recv`.
    pub(crate) fn call_method(
        &mut self,
        os: &mut dyn Os,
        recv: &Value,
        name: Sym,
        args: Vec<Value>,
        kw: Vec<(Sym, Value)>,
    ) -> R<Value> {
        let n = self.heap.name_rc(name);
        match recv {
            Value::Str(s) => self.str_method(os, s.clone(), &n, args, kw),
            Value::Bytes(b) => self.bytes_method(os, b.clone(), &n, args, kw),
            Value::Int(_) | Value::Bool(_) | Value::Float(_) => {
                self.num_method(os, recv, &n, args, kw)
            }
            Value::Type(t) => self.type_method(os, *t, name, &n, args, kw),
            Value::Ref(i) => {
                let i = *i;
                match self.heap.get(i) {
                    Some(Obj::List(_)) => self.list_method(os, recv, &n, args, kw),
                    Some(Obj::Dict(_)) => self.dict_method(os, recv, &n, args, kw),
                    Some(Obj::Set(_)) => self.set_method(os, recv, &n, args, kw),
                    Some(Obj::Tuple(t)) => {
                        let t = t.clone();
                        self.seq_method(os, &t, "tuple", &n, args)
                    }
                    Some(Obj::Range(..)) => {
                        let items = self.iterate(os, recv)?;
                        self.seq_method(os, &items, "range", &n, args)
                    }
                    Some(Obj::Property(g, s)) => {
                        let (mut g, mut s) = (g.clone(), s.clone());
                        let f = args.into_iter().next().unwrap_or(Value::None);
                        match &*n {
                            "setter" => s = f,
                            _ => g = f,
                        }
                        Ok(Value::Ref(self.heap.alloc(Obj::Property(g, s))))
                    }
                    Some(Obj::Inst(_)) => self.inst_method(os, recv, name, &n, args, kw),
                    Some(Obj::Gen(_)) => match &*n {
                        "send" | "__next__" => {
                            let sent = if &*n == "send" {
                                args.into_iter().next().unwrap_or(Value::None)
                            } else {
                                Value::None
                            };
                            match self.resume_gen_sync(os, i, sent)? {
                                Some(v) => Ok(v),
                                None => {
                                    let e = self.new_exc_args(Ty::StopIteration, Vec::new());
                                    Err(Flow::Exc(e))
                                }
                            }
                        }
                        "close" => {
                            if let Some(Obj::Gen(st)) = self.heap.get_mut(i) {
                                if !st.running {
                                    st.done = true;
                                    st.frame = None;
                                }
                            }
                            Ok(Value::None)
                        }
                        "__iter__" => Ok(recv.clone()),
                        _ => Err(self.attr_error(recv, name)),
                    },
                    _ => Err(self.attr_error(recv, name)),
                }
            }
            _ => Err(self.attr_error(recv, name)),
        }
    }
}
