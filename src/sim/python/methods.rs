//! Methods of the built-in types (str, bytes, list, dict, set, tuple, int,
//! float) and the text codecs (utf-8, gbk, gb2312, ascii, latin-1) with
//! CPython's error messages.

use super::builtins::{self as bi, take_kw};
use super::case;
use super::value::*;
use super::vm::{Flow, R};
use super::{Interp, Os};
use std::rc::Rc;

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

/// The canonical name of an encoding CPython accepts (its codec's display name).
pub fn codec_name(enc: &str) -> Option<&'static str> {
    let n: String = enc
        .trim()
        .to_ascii_lowercase()
        .chars()
        .map(|c| if c == '-' || c == ' ' { '_' } else { c })
        .collect();
    Some(match n.as_str() {
        "utf_8" | "utf8" | "u8" | "utf" | "utf8_ucs2" | "utf8_ucs4" | "cp65001" => "utf-8",
        "gbk" | "cp936" | "ms936" | "936" => "gbk",
        "gb2312" | "gb2312_1980" | "gb2312_80" | "euc_cn" | "euccn" | "eucgb2312_cn"
        | "chinese" | "csiso58gb231280" | "iso_ir_58" => "gb2312",
        "gb18030" | "gb18030_2000" => "gb18030",
        "ascii" | "us_ascii" | "646" | "us" | "ansi_x3.4_1968" | "cp367" | "csascii" | "ibm367"
        | "iso646_us" | "iso_ir_6" => "ascii",
        "latin_1" | "latin1" | "latin" | "l1" | "iso_8859_1" | "iso8859_1" | "8859" | "cp819"
        | "iso_ir_100" | "ibm819" | "iso_8859_1:1987" => "latin-1",
        _ => return None,
    })
}

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

fn is_py_space(c: char) -> bool {
    matches!(
        c,
        ' ' | '\t' | '\n' | '\r' | '\x0b' | '\x0c' | '\x1c' | '\x1d' | '\x1e' | '\x1f' | '\u{85}'
    ) || (c as u32 > 0x7f && c.is_whitespace())
}

fn is_byte_space(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\n' | b'\r' | 0x0b | 0x0c)
}

/// CPython's gbk decoder (cp936 without the euro sign; no 4-byte sequences):
/// each decoded item is a char or an error `(start, len, reason)`.
fn gbk_decode_py(b: &[u8], gb2312: bool) -> Vec<Result<char, (usize, usize, &'static str)>> {
    let mut out = Vec::new();
    let mut i = 0;
    while let Some(&c) = b.get(i) {
        if c < 0x80 {
            out.push(Ok(c as char));
            i += 1;
            continue;
        }
        let Some(&c2) = b.get(i + 1) else {
            out.push(Err((i, 1, "incomplete multibyte sequence")));
            break;
        };
        let ok = if c == 0x80
            || c == 0xff
            || (gb2312 && !(0xa1..=0xf7).contains(&c))
            || (gb2312 && !(0xa1..=0xfe).contains(&c2))
        {
            None
        } else {
            crate::gbk::decode(&[c, c2], false).and_then(|s| {
                let mut it = s.chars();
                match (it.next(), it.next()) {
                    // CPython's gbk has no user-defined area (WHATWG maps it to private use)
                    (Some(ch), None) if c2 >= 0x40 && !('\u{e000}'..='\u{f8ff}').contains(&ch) => {
                        Some(ch)
                    }
                    _ => None,
                }
            })
        };
        match ok {
            Some(ch) => {
                out.push(Ok(ch));
                i += 2;
            }
            None => {
                out.push(Err((i, 1, "illegal multibyte sequence")));
                i += 1;
            }
        }
    }
    out
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

    /// `str.upper` called on the class: the first argument is the receiver;
    /// `dict.fromkeys`, `int.from_bytes`, `bytes.fromhex` are class methods.
    fn type_method(
        &mut self,
        os: &mut dyn Os,
        t: Ty,
        name: Sym,
        n: &str,
        mut args: Vec<Value>,
        kw: Vec<(Sym, Value)>,
    ) -> R<Value> {
        match (t, n) {
            (Ty::Dict, "fromkeys") => {
                let keys = args.first().cloned().unwrap_or(Value::None);
                let v = args.get(1).cloned().unwrap_or(Value::None);
                let items = self.iterate(os, &keys)?;
                let d = Value::Ref(self.heap.alloc(Obj::Dict(Vec::new())));
                for k in items {
                    self.dict_set(&d, k, v.clone())?;
                }
                return Ok(d);
            }
            (Ty::Int, "from_bytes") => return self.int_from_bytes(os, args, kw),
            (Ty::Bytes, "fromhex") => {
                let s = match args.first() {
                    Some(Value::Str(s)) => s.clone(),
                    _ => return Err(self.exc_flow(Ty::TypeError, "fromhex() argument must be str")),
                };
                let digits: Vec<char> = s.chars().filter(|c| !c.is_whitespace()).collect();
                let mut out = Vec::new();
                for (k, pair) in digits.chunks(2).enumerate() {
                    let h: String = pair.iter().collect();
                    match u8::from_str_radix(&h, 16) {
                        Ok(b) if h.len() == 2 => out.push(b),
                        _ => {
                            return Err(self.exc_flow(
                                Ty::ValueError,
                                &format!(
                                    "non-hexadecimal number found in fromhex() arg at position {}",
                                    k * 2
                                ),
                            ))
                        }
                    }
                }
                return Ok(Value::Bytes(out.into()));
            }
            (Ty::Str, "maketrans") => {
                let d = Value::Ref(self.heap.alloc(Obj::Dict(Vec::new())));
                if let (Some(Value::Str(a)), Some(Value::Str(b))) = (args.first(), args.get(1)) {
                    for (x, y) in a.chars().zip(b.chars()) {
                        self.dict_set(&d, Value::Int(x as i64), Value::Int(y as i64))?;
                    }
                } else if let Some(m) = args.first() {
                    for (k, v) in self.dict_items(m)? {
                        let k = match k {
                            Value::Str(s) => {
                                Value::Int(s.chars().next().map(|c| c as i64).unwrap_or(0))
                            }
                            other => other,
                        };
                        self.dict_set(&d, k, v)?;
                    }
                }
                return Ok(d);
            }
            _ => {}
        }
        if args.is_empty() {
            return Err(self.exc_flow(
                Ty::TypeError,
                &format!("unbound method {}.{n}() needs an argument", t.name()),
            ));
        }
        let recv = args.remove(0);
        if t.is_exception() || t == Ty::Object || t == Ty::Thread || t == Ty::Process {
            // Base.__init__(self, …) and friends act on the instance
            return self.call_method(os, &recv, name, args, kw);
        }
        self.call_method(os, &recv, name, args, kw)
    }

    fn inst_method(
        &mut self,
        os: &mut dyn Os,
        recv: &Value,
        name: Sym,
        n: &str,
        args: Vec<Value>,
        kw: Vec<(Sym, Value)>,
    ) -> R<Value> {
        let kind = match self.heap.inst(recv).map(|i| &i.native) {
            Some(Native::Exc(_)) => 0,
            Some(Native::Socket(_)) => 1,
            Some(Native::Thread(_)) => 2,
            Some(Native::Lock { .. }) => 3,
            Some(Native::Event(_)) => 4,
            Some(Native::File(_)) => 5,
            Some(Native::Stream(_)) => 6,
            Some(Native::HttpRequest(_) | Native::HttpReply(_)) => 8,
            Some(Native::Selector(_)) => 9,
            _ => 7,
        };
        match kind {
            0 => match n {
                "__init__" => {
                    if let Some(x) = self.heap.exc_mut(recv) {
                        x.args = args;
                    }
                    Ok(Value::None)
                }
                "with_traceback" | "add_note" => Ok(recv.clone()),
                "__str__" => Ok(Value::str(&self.exc_str_native(os, recv))),
                "__repr__" => Ok(Value::Str(self.repr(os, recv)?)),
                _ => Err(self.attr_error(recv, name)),
            },
            1 => self.socket_method(os, recv, n, args, kw),
            2 => self.thread_method(os, recv, n, args, kw),
            3 => self.lock_method(os, recv, n, args, kw),
            4 => self.event_method(os, recv, n, args, kw),
            5 => self.file_method(os, recv, n, args, kw),
            6 => self.stream_method(os, recv, n, args),
            8 => self.http_method(os, recv, name, n, args),
            9 => self.selector_method(os, recv, name, n, args, kw),
            _ => match n {
                "__init__" => {
                    if !args.is_empty() || !kw.is_empty() {
                        return Err(self.exc_flow(
                            Ty::TypeError,
                            "object.__init__() takes exactly one argument (the instance to initialize)",
                        ));
                    }
                    Ok(Value::None)
                }
                "__str__" | "__repr__" => Ok(Value::Str(self.repr_plain(recv))),
                "__eq__" => Ok(match args.first() {
                    Some(o) if o == recv => Value::Bool(true),
                    _ => Value::NotImplemented,
                }),
                "__ne__" => Ok(match args.first() {
                    Some(o) => Value::Bool(o != recv),
                    _ => Value::NotImplemented,
                }),
                "__hash__" => Ok(Value::Int(self.id_of(recv) >> 4)),
                "__format__" => Ok(Value::Str(self.str_of(os, recv)?)),
                _ => Err(self.attr_error(recv, name)),
            },
        }
    }

    fn exc_str_native(&mut self, os: &mut dyn Os, e: &Value) -> String {
        // BaseException.__str__ (ignoring an override, which is the caller)
        let args = self.heap.exc(e).map(|x| x.args.clone()).unwrap_or_default();
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

    fn repr_plain(&mut self, v: &Value) -> Rc<str> {
        Rc::from(self.safe_repr(v))
    }

    // ------------------------------------------------------------ codecs

    pub(crate) fn encode_text(&mut self, s: &str, enc: &str, errors: &str) -> R<Vec<u8>> {
        let Some(codec) = codec_name(enc) else {
            return Err(self.exc_flow(Ty::LookupError, &format!("unknown encoding: {enc}")));
        };
        if codec == "utf-8" {
            return Ok(s.as_bytes().to_vec());
        }
        let chars: Vec<char> = s.chars().collect();
        let mut out = Vec::with_capacity(s.len());
        let mut i = 0;
        while let Some(&c) = chars.get(i) {
            let ok = match codec {
                "ascii" => {
                    (c as u32) < 0x80 && {
                        out.push(c as u8);
                        true
                    }
                }
                "latin-1" => {
                    (c as u32) < 0x100 && {
                        out.push(c as u32 as u8);
                        true
                    }
                }
                _ => {
                    // gbk / gb2312 / gb18030: CPython's gbk has no euro sign
                    if (c == '\u{20ac}' && codec != "gb18030")
                        || ('\u{e000}'..='\u{f8ff}').contains(&c)
                    {
                        false
                    } else {
                        let mut tmp = Vec::new();
                        let r = crate::gbk::encode_char(c, &mut tmp).is_some()
                            && (codec != "gb2312"
                                || tmp.len() == 1
                                || tmp.first().is_some_and(|b| (0xa1..=0xf7).contains(b)));
                        if r {
                            out.extend_from_slice(&tmp);
                        }
                        r
                    }
                }
            };
            if ok {
                i += 1;
                continue;
            }
            // an error: CPython groups a run of unencodable characters for
            // the single-byte codecs, one at a time for the CJK ones
            let mut end = i + 1;
            if codec == "ascii" || codec == "latin-1" {
                let lim = if codec == "ascii" { 0x80 } else { 0x100 };
                while chars.get(end).is_some_and(|c| (*c as u32) >= lim) {
                    end += 1;
                }
            }
            match errors {
                "strict" => {
                    let reason = match codec {
                        "ascii" => "ordinal not in range(128)",
                        "latin-1" => "ordinal not in range(256)",
                        _ => "illegal multibyte sequence",
                    };
                    let e = self.new_exc_args(
                        Ty::UnicodeEncodeError,
                        vec![
                            Value::str(codec),
                            Value::str(s),
                            Value::Int(i as i64),
                            Value::Int(end as i64),
                            Value::str(reason),
                        ],
                    );
                    return Err(Flow::Exc(e));
                }
                "replace" => out.extend(std::iter::repeat_n(b'?', end - i)),
                "ignore" => {}
                "xmlcharrefreplace" => {
                    for ch in chars.get(i..end).unwrap_or(&[]) {
                        out.extend_from_slice(format!("&#{};", *ch as u32).as_bytes());
                    }
                }
                "backslashreplace" => {
                    for ch in chars.get(i..end).unwrap_or(&[]) {
                        let u = *ch as u32;
                        let esc = if u < 0x100 {
                            format!("\\x{u:02x}")
                        } else if u < 0x10000 {
                            format!("\\u{u:04x}")
                        } else {
                            format!("\\U{u:08x}")
                        };
                        out.extend_from_slice(esc.as_bytes());
                    }
                }
                other => {
                    return Err(self.exc_flow(
                        Ty::LookupError,
                        &format!("unknown error handler name '{other}'"),
                    ))
                }
            }
            i = end;
        }
        Ok(out)
    }

    pub(crate) fn decode_bytes(&mut self, b: &[u8], enc: &str, errors: &str) -> R<String> {
        let Some(codec) = codec_name(enc) else {
            return Err(self.exc_flow(Ty::LookupError, &format!("unknown encoding: {enc}")));
        };
        // items: decoded chars or errors (start, len, reason)
        let mut items: Vec<Result<char, (usize, usize, &'static str)>> = Vec::new();
        match codec {
            "utf-8" => {
                let mut rest = b;
                let mut base = 0;
                loop {
                    match std::str::from_utf8(rest) {
                        Ok(s) => {
                            items.extend(s.chars().map(Ok));
                            break;
                        }
                        Err(e) => {
                            let good = e.valid_up_to();
                            let s =
                                std::str::from_utf8(rest.get(..good).unwrap_or(&[])).unwrap_or("");
                            items.extend(s.chars().map(Ok));
                            let first = rest.get(good).copied().unwrap_or(0);
                            let start_ok = matches!(first, 0xc2..=0xf4);
                            let (len, reason) = match e.error_len() {
                                Some(n) => (
                                    n,
                                    if start_ok {
                                        "invalid continuation byte"
                                    } else {
                                        "invalid start byte"
                                    },
                                ),
                                None => (rest.len() - good, "unexpected end of data"),
                            };
                            items.push(Err((base + good, len, reason)));
                            let skip = good + len;
                            base += skip;
                            rest = rest.get(skip..).unwrap_or(&[]);
                            if rest.is_empty() {
                                break;
                            }
                        }
                    }
                }
            }
            "ascii" => {
                for (i, &c) in b.iter().enumerate() {
                    items.push(if c < 0x80 {
                        Ok(c as char)
                    } else {
                        Err((i, 1, "ordinal not in range(128)"))
                    });
                }
            }
            "latin-1" => items.extend(b.iter().map(|&c| Ok(c as char))),
            "gb18030" => {
                return match crate::gbk::decode(b, errors == "replace") {
                    Some(s) => Ok(s),
                    None => {
                        let e = self.new_exc_args(
                            Ty::UnicodeDecodeError,
                            vec![
                                Value::str("gb18030"),
                                Value::Bytes(b.into()),
                                Value::Int(0),
                                Value::Int(1),
                                Value::str("illegal multibyte sequence"),
                            ],
                        );
                        Err(Flow::Exc(e))
                    }
                };
            }
            _ => items = gbk_decode_py(b, codec == "gb2312"),
        }
        let mut out = String::with_capacity(b.len());
        for it in items {
            match it {
                Ok(c) => out.push(c),
                Err((start, len, reason)) => match errors {
                    "strict" => {
                        let e = self.new_exc_args(
                            Ty::UnicodeDecodeError,
                            vec![
                                Value::str(codec),
                                Value::Bytes(b.into()),
                                Value::Int(start as i64),
                                Value::Int((start + len) as i64),
                                Value::str(reason),
                            ],
                        );
                        return Err(Flow::Exc(e));
                    }
                    "replace" => out.push('\u{FFFD}'),
                    "ignore" => {}
                    "backslashreplace" => {
                        for x in b.get(start..start + len).unwrap_or(&[]) {
                            out.push_str(&format!("\\x{x:02x}"));
                        }
                    }
                    other => {
                        return Err(self.exc_flow(
                            Ty::LookupError,
                            &format!("unknown error handler name '{other}'"),
                        ))
                    }
                },
            }
        }
        Ok(out)
    }

    fn enc_args(
        &mut self,
        fname: &str,
        args: &[Value],
        kw: &mut Vec<(Sym, Value)>,
    ) -> R<(String, String)> {
        let enc = take_kw(&self.heap, kw, "encoding").or_else(|| args.first().cloned());
        let errors = take_kw(&self.heap, kw, "errors").or_else(|| args.get(1).cloned());
        self.no_kw(fname, kw)?;
        let enc = match enc {
            None => "utf-8".to_string(),
            Some(Value::Str(s)) => s.to_string(),
            Some(v) => {
                let n = self.type_name(&v);
                return Err(self.exc_flow(
                    Ty::TypeError,
                    &format!("{fname}() argument 'encoding' must be str, not {n}"),
                ));
            }
        };
        let errors = match errors {
            None => "strict".to_string(),
            Some(Value::Str(s)) => s.to_string(),
            Some(v) => {
                let n = self.type_name(&v);
                return Err(self.exc_flow(
                    Ty::TypeError,
                    &format!("{fname}() argument 'errors' must be str, not {n}"),
                ));
            }
        };
        Ok((enc, errors))
    }

    // ------------------------------------------------------------ str

    fn str_arg(&mut self, v: Option<&Value>, what: &str) -> R<Rc<str>> {
        match v {
            Some(Value::Str(s)) => Ok(s.clone()),
            Some(other) => {
                let n = self.type_name(other);
                Err(self.exc_flow(Ty::TypeError, &format!("{what}must be str, not {n}")))
            }
            None => Err(self.exc_flow(Ty::TypeError, &format!("{what}missing argument"))),
        }
    }

    /// start/end arguments as char indices into a text of `len` chars.
    fn range_args(&mut self, args: &[Value], from: usize, len: usize) -> R<(usize, usize)> {
        let norm = |i: i64| -> usize {
            if i < 0 {
                (i + len as i64).max(0) as usize
            } else {
                (i as usize).min(len)
            }
        };
        let s = match args.get(from) {
            None | Some(Value::None) => 0,
            Some(v) => norm(self.index_of(v)?),
        };
        let e = match args.get(from + 1) {
            None | Some(Value::None) => len,
            Some(v) => norm(self.index_of(v)?),
        };
        Ok((s, e))
    }

    fn str_method(
        &mut self,
        os: &mut dyn Os,
        s: Rc<str>,
        n: &str,
        args: Vec<Value>,
        mut kw: Vec<(Sym, Value)>,
    ) -> R<Value> {
        let a0 = args.first().cloned();
        let text = |x: String| Ok(Value::Str(x.into()));
        match n {
            "encode" => {
                let (enc, errors) = self.enc_args("encode", &args, &mut kw)?;
                let b = self.encode_text(&s, &enc, &errors)?;
                Ok(Value::Bytes(b.into()))
            }
            "upper" | "lower" | "casefold" | "swapcase" | "title" | "capitalize" => {
                // CPython's do_upper, do_lower… (the final sigma included).
                let cs: Vec<char> = s.chars().collect();
                let mut out = String::with_capacity(s.len());
                let mut prev_cased = false;
                for (i, &c) in cs.iter().enumerate() {
                    match n {
                        "upper" => case::upper(c, &mut out),
                        "casefold" => case::fold(c, &mut out),
                        "swapcase" if c.is_uppercase() => case::lower_at(&cs, i, &mut out),
                        "swapcase" if c.is_lowercase() => case::upper(c, &mut out),
                        "swapcase" => out.push(c),
                        "title" if !prev_cased => case::title(c, &mut out),
                        "capitalize" if i == 0 => case::title(c, &mut out),
                        _ => case::lower_at(&cs, i, &mut out),
                    }
                    prev_cased = case::is_cased(c);
                }
                text(out)
            }
            "strip" | "lstrip" | "rstrip" => {
                let chars = match a0 {
                    None | Some(Value::None) => None,
                    Some(Value::Str(c)) => Some(c),
                    Some(v) => {
                        let t = self.type_name(&v);
                        return Err(self.exc_flow(
                            Ty::TypeError,
                            &format!("{n} arg must be None or str, not {t}"),
                        ));
                    }
                };
                let f = |c: char| match &chars {
                    Some(set) => set.contains(c),
                    None => is_py_space(c),
                };
                let r = match n {
                    "strip" => s.trim_matches(f),
                    "lstrip" => s.trim_start_matches(f),
                    _ => s.trim_end_matches(f),
                };
                text(r.to_string())
            }
            "split" | "rsplit" => {
                let sep = take_kw(&self.heap, &mut kw, "sep").or_else(|| args.first().cloned());
                let maxsplit =
                    take_kw(&self.heap, &mut kw, "maxsplit").or_else(|| args.get(1).cloned());
                self.no_kw(n, &kw)?;
                let max = match maxsplit {
                    None => -1,
                    Some(v) => self.index_of(&v)?,
                };
                let parts: Vec<String> = match sep {
                    None | Some(Value::None) => split_ws(&s, max, n == "rsplit"),
                    Some(Value::Str(sep)) => {
                        if sep.is_empty() {
                            return Err(self.exc_flow(Ty::ValueError, "empty separator"));
                        }
                        if max < 0 {
                            s.split(&*sep).map(String::from).collect()
                        } else if n == "split" {
                            s.splitn(max as usize + 1, &*sep)
                                .map(String::from)
                                .collect()
                        } else {
                            let mut v: Vec<String> = s
                                .rsplitn(max as usize + 1, &*sep)
                                .map(String::from)
                                .collect();
                            v.reverse();
                            v
                        }
                    }
                    Some(v) => {
                        let t = self.type_name(&v);
                        return Err(
                            self.exc_flow(Ty::TypeError, &format!("must be str or None, not {t}"))
                        );
                    }
                };
                let items = parts.into_iter().map(|p| Value::Str(p.into())).collect();
                Ok(Value::Ref(self.heap.alloc(Obj::List(items))))
            }
            "splitlines" => {
                let keep = match take_kw(&self.heap, &mut kw, "keepends").or(a0) {
                    Some(v) => self.truthy(os, &v)?,
                    None => false,
                };
                let items = splitlines(&s, keep)
                    .into_iter()
                    .map(|p| Value::Str(p.into()))
                    .collect();
                Ok(Value::Ref(self.heap.alloc(Obj::List(items))))
            }
            "startswith" | "endswith" => {
                let prefixes: Vec<Rc<str>> = match &a0 {
                    Some(Value::Str(p)) => vec![p.clone()],
                    Some(v) => match self.tuple_items(v) {
                        Some(items) => {
                            let mut out = Vec::new();
                            for it in items {
                                match it {
                                    Value::Str(p) => out.push(p),
                                    other => {
                                        let t = self.type_name(&other);
                                        return Err(self.exc_flow(
                                            Ty::TypeError,
                                            &format!(
                                                "tuple for {n} must only contain str, not {t}"
                                            ),
                                        ));
                                    }
                                }
                            }
                            out
                        }
                        None => {
                            let t = self.type_name(v);
                            return Err(self.exc_flow(
                                Ty::TypeError,
                                &format!("{n} first arg must be str or a tuple of str, not {t}"),
                            ));
                        }
                    },
                    None => {
                        return Err(self.exc_flow(
                            Ty::TypeError,
                            &format!("{n}() takes at least 1 argument (0 given)"),
                        ))
                    }
                };
                let chars: Vec<char> = s.chars().collect();
                let (st, en) = self.range_args(&args, 1, chars.len())?;
                let sub: String = if st <= en {
                    chars.get(st..en).unwrap_or(&[]).iter().collect()
                } else {
                    String::new()
                };
                if st > chars.len() {
                    return Ok(Value::Bool(false));
                }
                let r = prefixes.iter().any(|p| {
                    if n == "startswith" {
                        sub.starts_with(&**p)
                    } else {
                        sub.ends_with(&**p)
                    }
                });
                Ok(Value::Bool(r))
            }
            "find" | "rfind" | "index" | "rindex" | "count" => {
                let sub = self.str_arg(a0.as_ref(), "")?;
                let chars: Vec<char> = s.chars().collect();
                let (st, en) = self.range_args(&args, 1, chars.len())?;
                if st > en || st > chars.len() {
                    if n == "count" {
                        return Ok(Value::Int(0));
                    }
                    if n.ends_with("index") {
                        return Err(self.exc_flow(Ty::ValueError, "substring not found"));
                    }
                    return Ok(Value::Int(-1));
                }
                let hay: String = chars.get(st..en).unwrap_or(&[]).iter().collect();
                if n == "count" {
                    let c = if sub.is_empty() {
                        hay.chars().count() + 1
                    } else {
                        hay.matches(&*sub).count()
                    };
                    return Ok(Value::Int(c as i64));
                }
                let pos = if n.starts_with('r') {
                    hay.rfind(&*sub)
                } else {
                    hay.find(&*sub)
                };
                match pos {
                    Some(p) => Ok(Value::Int(
                        (st + hay.get(..p).unwrap_or("").chars().count()) as i64,
                    )),
                    None => {
                        if n.ends_with("index") {
                            Err(self.exc_flow(Ty::ValueError, "substring not found"))
                        } else {
                            Ok(Value::Int(-1))
                        }
                    }
                }
            }
            "replace" => {
                let old = self.str_arg(a0.as_ref(), "replace() argument 1 ")?;
                let new = self.str_arg(args.get(1), "replace() argument 2 ")?;
                let count = match args.get(2) {
                    Some(v) => self.index_of(v)?,
                    None => -1,
                };
                let r = if count < 0 {
                    s.replace(&*old, &new)
                } else {
                    s.replacen(&*old, &new, count as usize)
                };
                if r.len() > super::ops::MAX_ITEMS {
                    return Err(self.exc_flow(Ty::MemoryError, ""));
                }
                text(r)
            }
            "join" => {
                let items = self.iterate(os, &a0.unwrap_or(Value::None))?;
                let mut out = String::new();
                for (i, it) in items.iter().enumerate() {
                    if i > 0 {
                        out.push_str(&s);
                    }
                    match it {
                        Value::Str(p) => out.push_str(p),
                        other => {
                            let t = self.type_name(other);
                            return Err(self.exc_flow(
                                Ty::TypeError,
                                &format!("sequence item {i}: expected str instance, {t} found"),
                            ));
                        }
                    }
                }
                text(out)
            }
            "format" => Ok(Value::Str(self.str_format(os, &s, &args, &kw, 0)?)),
            "isdigit" | "isdecimal" | "isnumeric" | "isalpha" | "isalnum" | "isspace"
            | "isascii" | "isprintable" | "isidentifier" => {
                let r = match n {
                    "isdigit" | "isdecimal" => {
                        // decimal digits of any script (CJK numerals are numeric, not digits)
                        !s.is_empty() && s.chars().all(|c| decimal_value(c).is_some())
                    }
                    "isnumeric" => !s.is_empty() && s.chars().all(|c| c.is_numeric()),
                    "isalpha" => !s.is_empty() && s.chars().all(|c| c.is_alphabetic()),
                    "isalnum" => !s.is_empty() && s.chars().all(|c| c.is_alphanumeric()),
                    "isspace" => !s.is_empty() && s.chars().all(is_py_space),
                    "isascii" => s.is_ascii(),
                    "isprintable" => s.chars().all(|c| !c.is_control()),
                    _ => {
                        let mut cs = s.chars();
                        cs.next().is_some_and(|c| c == '_' || c.is_alphabetic())
                            && cs.all(|c| c == '_' || c.is_alphanumeric())
                    }
                };
                Ok(Value::Bool(r))
            }
            "isupper" | "islower" => {
                let cased: Vec<char> = s
                    .chars()
                    .filter(|c| c.is_uppercase() || c.is_lowercase())
                    .collect();
                let r = !cased.is_empty()
                    && cased.iter().all(|c| {
                        if n == "isupper" {
                            c.is_uppercase()
                        } else {
                            c.is_lowercase()
                        }
                    });
                Ok(Value::Bool(r))
            }
            "istitle" => {
                let mut prev_cased = false;
                let mut any = false;
                let mut ok = true;
                for c in s.chars() {
                    if c.is_uppercase() {
                        if prev_cased {
                            ok = false;
                        }
                        prev_cased = true;
                        any = true;
                    } else if c.is_lowercase() {
                        if !prev_cased {
                            ok = false;
                        }
                        prev_cased = true;
                        any = true;
                    } else {
                        prev_cased = false;
                    }
                }
                Ok(Value::Bool(ok && any))
            }
            "partition" | "rpartition" => {
                let sep = self.str_arg(a0.as_ref(), "")?;
                if sep.is_empty() {
                    return Err(self.exc_flow(Ty::ValueError, "empty separator"));
                }
                let found = if n == "partition" {
                    s.find(&*sep)
                } else {
                    s.rfind(&*sep)
                };
                let (a, b, c) = match found {
                    Some(p) => (
                        s.get(..p).unwrap_or(""),
                        &*sep,
                        s.get(p + sep.len()..).unwrap_or(""),
                    ),
                    None => {
                        if n == "partition" {
                            (&*s, "", "")
                        } else {
                            ("", "", &*s)
                        }
                    }
                };
                let items = vec![Value::str(a), Value::str(b), Value::str(c)];
                Ok(self.new_tuple(items))
            }
            "zfill" => {
                let w = self.index_of(&a0.unwrap_or(Value::Int(0)))?.max(0) as usize;
                if w > super::ops::MAX_ITEMS {
                    return Err(self.exc_flow(Ty::MemoryError, ""));
                }
                let len = s.chars().count();
                if len >= w {
                    return Ok(Value::Str(s));
                }
                let (sign, rest) = match s.chars().next() {
                    Some(c @ ('+' | '-')) => (c.to_string(), s.get(1..).unwrap_or("").to_string()),
                    _ => (String::new(), s.to_string()),
                };
                text(format!("{sign}{}{rest}", "0".repeat(w - len)))
            }
            "center" | "ljust" | "rjust" => {
                let w = self.index_of(&a0.unwrap_or(Value::Int(0)))?.max(0) as usize;
                if w > super::ops::MAX_ITEMS {
                    return Err(self.exc_flow(Ty::MemoryError, ""));
                }
                let fill = match args.get(1) {
                    None => ' ',
                    Some(Value::Str(f)) if f.chars().count() == 1 => {
                        f.chars().next().unwrap_or(' ')
                    }
                    Some(_) => {
                        return Err(self.exc_flow(
                            Ty::TypeError,
                            "The fill character must be exactly one character long",
                        ))
                    }
                };
                let len = s.chars().count();
                if len >= w {
                    return Ok(Value::Str(s));
                }
                let marg = w - len;
                let (l, r) = match n {
                    "ljust" => (0, marg),
                    "rjust" => (marg, 0),
                    _ => {
                        let l = marg / 2 + (marg & w & 1);
                        (l, marg - l)
                    }
                };
                let f = |k: usize| std::iter::repeat_n(fill, k).collect::<String>();
                text(format!("{}{s}{}", f(l), f(r)))
            }
            "removeprefix" => {
                let p = self.str_arg(a0.as_ref(), "")?;
                text(s.strip_prefix(&*p).unwrap_or(&s).to_string())
            }
            "removesuffix" => {
                let p = self.str_arg(a0.as_ref(), "")?;
                text(s.strip_suffix(&*p).unwrap_or(&s).to_string())
            }
            "expandtabs" => {
                let ts = match a0 {
                    Some(v) => self.index_of(&v)?.clamp(0, 1 << 16) as usize,
                    None => 8,
                };
                let mut out = String::new();
                let mut col = 0;
                for c in s.chars() {
                    match c {
                        '\t' => {
                            if ts > 0 {
                                let k = ts - col % ts;
                                out.push_str(&" ".repeat(k));
                                col += k;
                            }
                        }
                        '\n' | '\r' => {
                            out.push(c);
                            col = 0;
                        }
                        _ => {
                            out.push(c);
                            col += 1;
                        }
                    }
                }
                text(out)
            }
            "translate" => {
                let table = a0.unwrap_or(Value::None);
                let mut out = String::new();
                for c in s.chars() {
                    match self.getitem(os, &table, &Value::Int(c as i64)) {
                        Ok(Value::None) => {}
                        Ok(Value::Int(i)) => {
                            out.push(u32::try_from(i).ok().and_then(char::from_u32).unwrap_or(c))
                        }
                        Ok(Value::Str(r)) => out.push_str(&r),
                        Ok(_) => out.push(c),
                        Err(Flow::Exc(e)) if self.exc_is(&e, Ty::LookupError) => out.push(c),
                        Err(e) => return Err(e),
                    }
                }
                text(out)
            }
            "__len__" => Ok(Value::Int(s.chars().count() as i64)),
            "__contains__" => Ok(Value::Bool(self.contains(
                os,
                &Value::Str(s),
                &a0.unwrap_or(Value::None),
            )?)),
            "__getitem__" => self.getitem(os, &Value::Str(s), &a0.unwrap_or(Value::None)),
            "__str__" => Ok(Value::Str(s)),
            "__repr__" => Ok(Value::Str(self.repr(os, &Value::Str(s))?)),
            "__format__" => {
                let spec = self.str_arg(a0.as_ref(), "")?;
                Ok(Value::Str(self.format(os, &Value::Str(s), &spec)?))
            }
            "__hash__" => Ok(Value::Int(self.hash(os, &Value::Str(s))?)),
            "__add__" | "__mul__" | "__eq__" | "__lt__" => {
                let b = a0.unwrap_or(Value::None);
                let a = Value::Str(s);
                match n {
                    "__add__" => self.binary(os, super::ast::BinOp::Add, &a, &b, false),
                    "__mul__" => self.binary(os, super::ast::BinOp::Mul, &a, &b, false),
                    "__eq__" => self.compare(os, super::ast::CmpOp::Eq, &a, &b),
                    _ => self.compare(os, super::ast::CmpOp::Lt, &a, &b),
                }
            }
            _ => {
                let sym = self.heap.intern(n);
                Err(self.attr_error(&Value::Str(s), sym))
            }
        }
    }

    // ------------------------------------------------------------ bytes

    fn bytes_arg(&mut self, v: Option<&Value>) -> R<Rc<[u8]>> {
        match v {
            Some(Value::Bytes(b)) => Ok(b.clone()),
            Some(other) => {
                let n = self.type_name(other);
                Err(self.exc_flow(
                    Ty::TypeError,
                    &format!("a bytes-like object is required, not '{n}'"),
                ))
            }
            None => Err(self.exc_flow(Ty::TypeError, "a bytes-like object is required")),
        }
    }

    fn bytes_method(
        &mut self,
        os: &mut dyn Os,
        b: Rc<[u8]>,
        n: &str,
        args: Vec<Value>,
        mut kw: Vec<(Sym, Value)>,
    ) -> R<Value> {
        let a0 = args.first().cloned();
        let bytes = |x: Vec<u8>| Ok(Value::Bytes(x.into()));
        match n {
            "decode" => {
                let (enc, errors) = self.enc_args("decode", &args, &mut kw)?;
                Ok(Value::Str(self.decode_bytes(&b, &enc, &errors)?.into()))
            }
            "hex" => {
                let sep = match &a0 {
                    Some(Value::Str(s)) => Some(s.to_string()),
                    Some(Value::Bytes(s)) => Some(String::from_utf8_lossy(s).to_string()),
                    _ => None,
                };
                let parts: Vec<String> = b.iter().map(|x| format!("{x:02x}")).collect();
                Ok(Value::Str(parts.join(sep.as_deref().unwrap_or("")).into()))
            }
            "upper" => bytes(b.to_ascii_uppercase()),
            "lower" => bytes(b.to_ascii_lowercase()),
            "strip" | "lstrip" | "rstrip" => {
                let set: Option<Rc<[u8]>> = match &a0 {
                    None | Some(Value::None) => None,
                    Some(v) => Some(self.bytes_arg(Some(v))?),
                };
                let f = |c: &u8| match &set {
                    Some(s) => s.contains(c),
                    None => is_byte_space(*c),
                };
                let mut start = 0;
                let mut end = b.len();
                if n != "rstrip" {
                    while start < end && b.get(start).is_some_and(f) {
                        start += 1;
                    }
                }
                if n != "lstrip" {
                    while end > start && b.get(end - 1).is_some_and(f) {
                        end -= 1;
                    }
                }
                bytes(b.get(start..end).unwrap_or(&[]).to_vec())
            }
            "split" | "rsplit" => {
                let sep = take_kw(&self.heap, &mut kw, "sep").or_else(|| args.first().cloned());
                let maxsplit =
                    take_kw(&self.heap, &mut kw, "maxsplit").or_else(|| args.get(1).cloned());
                self.no_kw(n, &kw)?;
                let max = match maxsplit {
                    None => -1,
                    Some(v) => self.index_of(&v)?,
                };
                let parts: Vec<Vec<u8>> = match sep {
                    None | Some(Value::None) => {
                        let text: String = b.iter().map(|&c| c as char).collect();
                        split_ws(&text, max, n == "rsplit")
                            .into_iter()
                            .map(|p| p.chars().map(|c| c as u32 as u8).collect())
                            .collect()
                    }
                    Some(v) => {
                        let sep = self.bytes_arg(Some(&v))?;
                        if sep.is_empty() {
                            return Err(self.exc_flow(Ty::ValueError, "empty separator"));
                        }
                        let mut parts = split_bytes(&b, &sep);
                        if max >= 0 && parts.len() > max as usize + 1 {
                            let k = max as usize;
                            if n == "split" {
                                let rest = parts.split_off(k);
                                parts.push(rest.join(&sep[..]));
                            } else {
                                let keep = parts.split_off(parts.len() - k);
                                let head = parts.join(&sep[..]);
                                parts = vec![head];
                                parts.extend(keep);
                            }
                        }
                        parts
                    }
                };
                let items = parts.into_iter().map(|p| Value::Bytes(p.into())).collect();
                Ok(Value::Ref(self.heap.alloc(Obj::List(items))))
            }
            "splitlines" => {
                let text: String = b.iter().map(|&c| c as char).collect();
                let keep = match a0 {
                    Some(v) => self.truthy(os, &v)?,
                    None => false,
                };
                let items = splitlines(&text, keep)
                    .into_iter()
                    .map(|p| {
                        Value::Bytes(
                            p.chars()
                                .map(|c| c as u32 as u8)
                                .collect::<Vec<u8>>()
                                .into(),
                        )
                    })
                    .collect();
                Ok(Value::Ref(self.heap.alloc(Obj::List(items))))
            }
            "startswith" | "endswith" => {
                let prefixes: Vec<Rc<[u8]>> = match &a0 {
                    Some(Value::Bytes(p)) => vec![p.clone()],
                    Some(v) => match self.tuple_items(v) {
                        Some(items) => {
                            let mut out = Vec::new();
                            for it in items {
                                out.push(self.bytes_arg(Some(&it))?);
                            }
                            out
                        }
                        None => {
                            let t = self.type_name(v);
                            return Err(self.exc_flow(
                                Ty::TypeError,
                                &format!(
                                    "{n} first arg must be bytes or a tuple of bytes, not {t}"
                                ),
                            ));
                        }
                    },
                    None => return Err(self.exc_flow(Ty::TypeError, "missing argument")),
                };
                let (st, en) = self.range_args(&args, 1, b.len())?;
                let sub = if st <= en {
                    b.get(st..en).unwrap_or(&[])
                } else {
                    &[]
                };
                let r = prefixes.iter().any(|p| {
                    if n == "startswith" {
                        sub.starts_with(p)
                    } else {
                        sub.ends_with(p)
                    }
                });
                Ok(Value::Bool(r))
            }
            "find" | "rfind" | "index" | "rindex" | "count" => {
                let sub: Vec<u8> = match &a0 {
                    Some(Value::Int(i)) => vec![*i as u8],
                    v => self.bytes_arg(v.as_ref())?.to_vec(),
                };
                let (st, en) = self.range_args(&args, 1, b.len())?;
                let hay = if st <= en {
                    b.get(st..en).unwrap_or(&[])
                } else {
                    &[]
                };
                if n == "count" {
                    if sub.is_empty() {
                        return Ok(Value::Int(hay.len() as i64 + 1));
                    }
                    let mut c = 0;
                    let mut i = 0;
                    while i + sub.len() <= hay.len() {
                        if hay.get(i..i + sub.len()) == Some(&sub[..]) {
                            c += 1;
                            i += sub.len();
                        } else {
                            i += 1;
                        }
                    }
                    return Ok(Value::Int(c));
                }
                let mut positions = (0..=hay.len().saturating_sub(sub.len())).filter(|&i| {
                    hay.get(i..i + sub.len()) == Some(&sub[..]) && i + sub.len() <= hay.len()
                });
                let pos = if n.starts_with('r') {
                    positions.next_back()
                } else {
                    positions.next()
                };
                let pos = if hay.len() < sub.len() { None } else { pos };
                match pos {
                    Some(p) => Ok(Value::Int((st + p) as i64)),
                    None => {
                        if n.ends_with("index") {
                            Err(self.exc_flow(Ty::ValueError, "subsection not found"))
                        } else {
                            Ok(Value::Int(-1))
                        }
                    }
                }
            }
            "replace" => {
                let old = self.bytes_arg(a0.as_ref())?;
                let new = self.bytes_arg(args.get(1))?;
                let count = match args.get(2) {
                    Some(v) => self.index_of(v)?,
                    None => -1,
                };
                if old.is_empty() {
                    let text: String = b.iter().map(|&c| c as char).collect();
                    let o: String = old.iter().map(|&c| c as char).collect();
                    let nw: String = new.iter().map(|&c| c as char).collect();
                    let r = if count < 0 {
                        text.replace(&o, &nw)
                    } else {
                        text.replacen(&o, &nw, count as usize)
                    };
                    return bytes(r.chars().map(|c| c as u32 as u8).collect());
                }
                let parts = split_bytes(&b, &old);
                let mut out = Vec::new();
                let mut done = 0i64;
                for (i, p) in parts.iter().enumerate() {
                    if i > 0 {
                        if count < 0 || done < count {
                            out.extend_from_slice(&new);
                            done += 1;
                        } else {
                            out.extend_from_slice(&old);
                        }
                    }
                    out.extend_from_slice(p);
                }
                bytes(out)
            }
            "join" => {
                let items = self.iterate(os, &a0.unwrap_or(Value::None))?;
                let mut out = Vec::new();
                for (i, it) in items.iter().enumerate() {
                    if i > 0 {
                        out.extend_from_slice(&b);
                    }
                    match it {
                        Value::Bytes(p) => out.extend_from_slice(p),
                        other => {
                            let t = self.type_name(other);
                            return Err(self.exc_flow(
                                Ty::TypeError,
                                &format!(
                                    "sequence item {i}: expected a bytes-like object, {t} found"
                                ),
                            ));
                        }
                    }
                }
                bytes(out)
            }
            "partition" | "rpartition" => {
                let sep = self.bytes_arg(a0.as_ref())?;
                let pos = if n == "partition" {
                    (0..b.len()).find(|&i| b.get(i..i + sep.len()) == Some(&sep[..]))
                } else {
                    (0..b.len())
                        .rev()
                        .find(|&i| b.get(i..i + sep.len()) == Some(&sep[..]))
                };
                let e: Rc<[u8]> = Rc::from(&[][..]);
                type Parts = (Rc<[u8]>, Rc<[u8]>, Rc<[u8]>);
                let (x, y, z): Parts = match pos {
                    Some(p) => (
                        b.get(..p).unwrap_or(&[]).into(),
                        sep.clone(),
                        b.get(p + sep.len()..).unwrap_or(&[]).into(),
                    ),
                    None => {
                        if n == "partition" {
                            (b.clone(), e.clone(), e)
                        } else {
                            (e.clone(), e, b.clone())
                        }
                    }
                };
                let items = vec![Value::Bytes(x), Value::Bytes(y), Value::Bytes(z)];
                Ok(self.new_tuple(items))
            }
            "isdigit" => Ok(Value::Bool(
                !b.is_empty() && b.iter().all(|c| c.is_ascii_digit()),
            )),
            "isalpha" => Ok(Value::Bool(
                !b.is_empty() && b.iter().all(|c| c.is_ascii_alphabetic()),
            )),
            "isalnum" => Ok(Value::Bool(
                !b.is_empty() && b.iter().all(|c| c.is_ascii_alphanumeric()),
            )),
            "isspace" => Ok(Value::Bool(
                !b.is_empty() && b.iter().all(|c| is_byte_space(*c)),
            )),
            "isascii" => Ok(Value::Bool(b.is_ascii())),
            "isupper" => Ok(Value::Bool(
                b.iter().any(|c| c.is_ascii_uppercase())
                    && !b.iter().any(|c| c.is_ascii_lowercase()),
            )),
            "islower" => Ok(Value::Bool(
                b.iter().any(|c| c.is_ascii_lowercase())
                    && !b.iter().any(|c| c.is_ascii_uppercase()),
            )),
            "__len__" => Ok(Value::Int(b.len() as i64)),
            _ => {
                // the rest act like the str methods on latin-1 text
                let text: String = b.iter().map(|&c| c as char).collect();
                let conv: Vec<Value> = args
                    .iter()
                    .map(|a| match a {
                        Value::Bytes(x) => {
                            Value::Str(x.iter().map(|&c| c as char).collect::<String>().into())
                        }
                        other => other.clone(),
                    })
                    .collect();
                let r = self.str_method(os, text.into(), n, conv, kw)?;
                Ok(match r {
                    Value::Str(s) => Value::Bytes(
                        s.chars()
                            .map(|c| c as u32 as u8)
                            .collect::<Vec<u8>>()
                            .into(),
                    ),
                    other => other,
                })
            }
        }
    }

    // ------------------------------------------------------------ numbers

    fn num_method(
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
                if len > super::ops::MAX_ITEMS {
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
                    "__add__" => super::ast::BinOp::Add,
                    "__sub__" => super::ast::BinOp::Sub,
                    _ => super::ast::BinOp::Mul,
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
                self.compare(os, super::ast::CmpOp::Eq, v, &b)
            }
            ("__lt__", _) => {
                let b = args.first().cloned().unwrap_or(Value::None);
                self.compare(os, super::ast::CmpOp::Lt, v, &b)
            }
            _ => {
                let s = self.heap.intern(n);
                Err(self.attr_error(v, s))
            }
        }
    }

    fn int_from_bytes(
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

    // ------------------------------------------------------------ list / tuple

    fn seq_method(
        &mut self,
        os: &mut dyn Os,
        items: &[Value],
        what: &str,
        n: &str,
        args: Vec<Value>,
    ) -> R<Value> {
        let x = args.first().cloned().unwrap_or(Value::None);
        match n {
            "count" => {
                let mut c = 0;
                for it in items {
                    if Self::identical(it, &x) || self.eq(os, it, &x)? {
                        c += 1;
                    }
                }
                Ok(Value::Int(c))
            }
            "index" => {
                let (st, en) = self.range_args(&args, 1, items.len())?;
                for (i, it) in items.iter().enumerate().take(en).skip(st) {
                    if Self::identical(it, &x) || self.eq(os, it, &x)? {
                        return Ok(Value::Int(i as i64));
                    }
                }
                let msg = if what == "list" {
                    let r = self.repr(os, &x)?;
                    format!("{r} is not in list")
                } else if what == "range" {
                    let r = self.repr(os, &x)?;
                    format!("{r} is not in range")
                } else {
                    format!("{what}.index(x): x not in {what}")
                };
                Err(self.exc_flow(Ty::ValueError, &msg))
            }
            "__len__" => Ok(Value::Int(items.len() as i64)),
            _ => {
                let s = self.heap.intern(n);
                let t = self.new_tuple(items.to_vec());
                Err(self.attr_error(&t, s))
            }
        }
    }

    fn list_items(&self, l: &Value) -> Vec<Value> {
        match l {
            Value::Ref(i) => match self.heap.get(*i) {
                Some(Obj::List(v)) => v.clone(),
                _ => Vec::new(),
            },
            _ => Vec::new(),
        }
    }

    fn with_list<T>(&mut self, l: &Value, f: impl FnOnce(&mut Vec<Value>) -> T) -> Option<T> {
        match l {
            Value::Ref(i) => match self.heap.get_mut(*i) {
                Some(Obj::List(v)) => Some(f(v)),
                _ => None,
            },
            _ => None,
        }
    }

    fn list_method(
        &mut self,
        os: &mut dyn Os,
        l: &Value,
        n: &str,
        args: Vec<Value>,
        mut kw: Vec<(Sym, Value)>,
    ) -> R<Value> {
        let a0 = args.first().cloned();
        let fname = format!("list.{n}");
        match n {
            "append" => {
                self.nargs(&fname, &args, 1, 1)?;
                let v = a0.unwrap_or(Value::None);
                let len = self.with_list(l, |v2| {
                    v2.push(v);
                    v2.len()
                });
                if len.unwrap_or(0) > super::ops::MAX_ITEMS {
                    return Err(self.exc_flow(Ty::MemoryError, ""));
                }
                Ok(Value::None)
            }
            "extend" => {
                self.nargs(&fname, &args, 1, 1)?;
                let items = self.iterate(os, &a0.unwrap_or(Value::None))?;
                self.with_list(l, |v| v.extend(items));
                Ok(Value::None)
            }
            "insert" => {
                self.nargs(&fname, &args, 2, 2)?;
                let i = self.index_of(&a0.unwrap_or(Value::None))?;
                let v = args.get(1).cloned().unwrap_or(Value::None);
                self.with_list(l, |items| {
                    let len = items.len() as i64;
                    let pos = if i < 0 { (i + len).max(0) } else { i.min(len) } as usize;
                    items.insert(pos, v);
                });
                Ok(Value::None)
            }
            "pop" => {
                self.nargs(&fname, &args, 0, 1)?;
                let i = match a0 {
                    Some(v) => self.index_of(&v)?,
                    None => -1,
                };
                let r = self.with_list(l, |items| {
                    if items.is_empty() {
                        return Err("pop from empty list");
                    }
                    let len = items.len() as i64;
                    let j = if i < 0 { i + len } else { i };
                    if j < 0 || j >= len {
                        return Err("pop index out of range");
                    }
                    Ok(items.remove(j as usize))
                });
                match r {
                    Some(Ok(v)) => {
                        if self.is_socket(&v) {
                            self.gc_pending = true;
                        }
                        Ok(v)
                    }
                    Some(Err(m)) => Err(self.exc_flow(Ty::IndexError, m)),
                    None => Ok(Value::None),
                }
            }
            "remove" => {
                self.nargs(&fname, &args, 1, 1)?;
                let x = a0.unwrap_or(Value::None);
                let items = self.list_items(l);
                for (i, it) in items.iter().enumerate() {
                    if Self::identical(it, &x) || self.eq(os, it, &x)? {
                        self.with_list(l, |v| {
                            if i < v.len() {
                                v.remove(i);
                            }
                        });
                        self.gc_pending = true;
                        return Ok(Value::None);
                    }
                }
                Err(self.exc_flow(Ty::ValueError, "list.remove(x): x not in list"))
            }
            "reverse" => {
                self.with_list(l, |v| v.reverse());
                Ok(Value::None)
            }
            "clear" => {
                self.with_list(l, |v| v.clear());
                self.gc_pending = true;
                Ok(Value::None)
            }
            "copy" => {
                let items = self.list_items(l);
                Ok(Value::Ref(self.heap.alloc(Obj::List(items))))
            }
            "sort" => {
                if !args.is_empty() {
                    return Err(
                        self.exc_flow(Ty::TypeError, "sort() takes no positional arguments")
                    );
                }
                let key = take_kw(&self.heap, &mut kw, "key");
                let rev = take_kw(&self.heap, &mut kw, "reverse");
                self.no_kw("sort", &kw)?;
                let rev = match rev {
                    Some(r) => self.truthy(os, &r)?,
                    None => false,
                };
                let mut items = self.list_items(l);
                self.sort_values(os, &mut items, key, rev)?;
                self.with_list(l, |v| *v = items);
                Ok(Value::None)
            }
            "__setitem__" => {
                let v = args.get(1).cloned().unwrap_or(Value::None);
                self.setitem(os, l, &a0.unwrap_or(Value::None), v)?;
                Ok(Value::None)
            }
            "__getitem__" => self.getitem(os, l, &a0.unwrap_or(Value::None)),
            "__contains__" => Ok(Value::Bool(self.contains(
                os,
                l,
                &a0.unwrap_or(Value::None),
            )?)),
            "__iter__" => self.get_iter(os, l),
            _ => {
                let items = self.list_items(l);
                self.seq_method(os, &items, "list", n, args)
            }
        }
    }

    // ------------------------------------------------------------ dict

    fn dict_method(
        &mut self,
        os: &mut dyn Os,
        d: &Value,
        n: &str,
        args: Vec<Value>,
        kw: Vec<(Sym, Value)>,
    ) -> R<Value> {
        let a0 = args.first().cloned().unwrap_or(Value::None);
        let di = match d {
            Value::Ref(i) => *i,
            _ => return Err(self.internal("dict")),
        };
        match n {
            "get" => {
                self.nargs("get", &args, 1, 2)?;
                Ok(self
                    .dict_get(d, &a0)?
                    .unwrap_or_else(|| args.get(1).cloned().unwrap_or(Value::None)))
            }
            "keys" => Ok(Value::Ref(self.heap.alloc(Obj::DictView(di, 0)))),
            "values" => Ok(Value::Ref(self.heap.alloc(Obj::DictView(di, 1)))),
            "items" => Ok(Value::Ref(self.heap.alloc(Obj::DictView(di, 2)))),
            "pop" => {
                self.nargs("pop", &args, 1, 2)?;
                self.hashable(&a0)?;
                let pos = match self.heap.get(di) {
                    Some(Obj::Dict(e)) => e.iter().position(|(k, _)| self.key_eq(k, &a0, 0)),
                    _ => None,
                };
                match pos {
                    Some(p) => {
                        let v = match self.heap.get_mut(di) {
                            Some(Obj::Dict(e)) if p < e.len() => e.remove(p).1,
                            _ => Value::None,
                        };
                        self.gc_pending = true;
                        Ok(v)
                    }
                    None => match args.get(1) {
                        Some(dflt) => Ok(dflt.clone()),
                        None => {
                            let e = self.new_exc_args(Ty::KeyError, vec![a0]);
                            Err(Flow::Exc(e))
                        }
                    },
                }
            }
            "popitem" => {
                let last = match self.heap.get_mut(di) {
                    Some(Obj::Dict(e)) => e.pop(),
                    _ => None,
                };
                match last {
                    Some((k, v)) => Ok(self.new_tuple(vec![k, v])),
                    None => {
                        let e = self.new_exc(Ty::KeyError, "popitem(): dictionary is empty");
                        Err(Flow::Exc(e))
                    }
                }
            }
            "setdefault" => {
                self.nargs("setdefault", &args, 1, 2)?;
                match self.dict_get(d, &a0)? {
                    Some(v) => Ok(v),
                    None => {
                        let v = args.get(1).cloned().unwrap_or(Value::None);
                        self.dict_set(d, a0, v.clone())?;
                        Ok(v)
                    }
                }
            }
            "update" => {
                if let Some(src) = args.first() {
                    let pairs = match self.dict_items(src) {
                        Ok(p) => p,
                        Err(_) => {
                            let mut out = Vec::new();
                            for (i, it) in self.iterate(os, src)?.into_iter().enumerate() {
                                let kv = self.iterate(os, &it).map_err(|_| {
                                    let t = self.type_name(&it);
                                    self.exc_flow(
                                        Ty::TypeError,
                                        &format!("cannot convert dictionary update sequence element #{i} to a sequence"),
                                    )
                                    .clone_flow(t)
                                })?;
                                if kv.len() != 2 {
                                    return Err(self.exc_flow(
                                        Ty::ValueError,
                                        &format!("dictionary update sequence element #{i} has length {}; 2 is required", kv.len()),
                                    ));
                                }
                                let mut it2 = kv.into_iter();
                                if let (Some(k), Some(v)) = (it2.next(), it2.next()) {
                                    out.push((k, v));
                                }
                            }
                            out
                        }
                    };
                    for (k, v) in pairs {
                        self.dict_set(d, k, v)?;
                    }
                }
                for (k, v) in kw {
                    let ks = Value::Str(self.heap.name_rc(k));
                    self.dict_set(d, ks, v)?;
                }
                Ok(Value::None)
            }
            "copy" => {
                let e = self.dict_items(d)?;
                Ok(Value::Ref(self.heap.alloc(Obj::Dict(e))))
            }
            "clear" => {
                if let Some(Obj::Dict(e)) = self.heap.get_mut(di) {
                    e.clear();
                }
                self.gc_pending = true;
                Ok(Value::None)
            }
            "fromkeys" => self.type_method(os, Ty::Dict, bi::S_INIT, "fromkeys", args, kw),
            "__getitem__" => self.getitem(os, d, &a0),
            "__setitem__" => {
                let v = args.get(1).cloned().unwrap_or(Value::None);
                self.dict_set(d, a0, v)?;
                Ok(Value::None)
            }
            "__contains__" => Ok(Value::Bool(self.contains(os, d, &a0)?)),
            "__len__" => Ok(Value::Int(self.len_of(os, d)? as i64)),
            "__iter__" => self.get_iter(os, d),
            _ => {
                let s = self.heap.intern(n);
                Err(self.attr_error(d, s))
            }
        }
    }

    // ------------------------------------------------------------ set

    fn set_method(
        &mut self,
        os: &mut dyn Os,
        s: &Value,
        n: &str,
        args: Vec<Value>,
        _kw: Vec<(Sym, Value)>,
    ) -> R<Value> {
        let a0 = args.first().cloned().unwrap_or(Value::None);
        let si = match s {
            Value::Ref(i) => *i,
            _ => return Err(self.internal("set")),
        };
        let items = match self.heap.get(si) {
            Some(Obj::Set(v)) => v.clone(),
            _ => Vec::new(),
        };
        match n {
            "add" => {
                self.set_add(s, a0)?;
                Ok(Value::None)
            }
            "remove" | "discard" => {
                self.hashable(&a0)?;
                let pos = items.iter().position(|x| self.key_eq(x, &a0, 0));
                match pos {
                    Some(p) => {
                        if let Some(Obj::Set(v)) = self.heap.get_mut(si) {
                            v.remove(p);
                        }
                        Ok(Value::None)
                    }
                    None if n == "discard" => Ok(Value::None),
                    None => {
                        let e = self.new_exc_args(Ty::KeyError, vec![a0]);
                        Err(Flow::Exc(e))
                    }
                }
            }
            "pop" => {
                let first = match self.heap.get_mut(si) {
                    Some(Obj::Set(v)) if !v.is_empty() => Some(v.remove(0)),
                    _ => None,
                };
                match first {
                    Some(v) => Ok(v),
                    None => {
                        let e = self.new_exc(Ty::KeyError, "pop from an empty set");
                        Err(Flow::Exc(e))
                    }
                }
            }
            "clear" => {
                if let Some(Obj::Set(v)) = self.heap.get_mut(si) {
                    v.clear();
                }
                Ok(Value::None)
            }
            "copy" => Ok(Value::Ref(self.heap.alloc(Obj::Set(items)))),
            "update"
            | "union"
            | "intersection"
            | "difference"
            | "symmetric_difference"
            | "intersection_update"
            | "difference_update" => {
                let mut others = Vec::new();
                for a in &args {
                    let it = self.iterate(os, a)?;
                    others.push(self.new_set(it)?);
                }
                let op = match n {
                    "update" | "union" => super::ast::BinOp::BitOr,
                    "intersection" | "intersection_update" => super::ast::BinOp::BitAnd,
                    "difference" | "difference_update" => super::ast::BinOp::Sub,
                    _ => super::ast::BinOp::BitXor,
                };
                let inplace = n.ends_with("update");
                let mut acc = if inplace {
                    s.clone()
                } else {
                    Value::Ref(self.heap.alloc(Obj::Set(items)))
                };
                for o in others {
                    acc = self.binary(os, op, &acc, &o, true)?;
                }
                Ok(if inplace { Value::None } else { acc })
            }
            "issubset" | "issuperset" | "isdisjoint" => {
                let other = self.iterate(os, &a0)?;
                let r = match n {
                    "issubset" => {
                        let mut ok = true;
                        for x in &items {
                            if !self.contains_value(&other, x)? {
                                ok = false;
                            }
                        }
                        ok
                    }
                    "issuperset" => {
                        let mut ok = true;
                        for x in &other {
                            if !self.contains_value(&items, x)? {
                                ok = false;
                            }
                        }
                        ok
                    }
                    _ => {
                        let mut ok = true;
                        for x in &other {
                            if self.contains_value(&items, x)? {
                                ok = false;
                            }
                        }
                        ok
                    }
                };
                Ok(Value::Bool(r))
            }
            "__len__" => Ok(Value::Int(items.len() as i64)),
            "__contains__" => Ok(Value::Bool(self.contains(os, s, &a0)?)),
            _ => {
                let sy = self.heap.intern(n);
                Err(self.attr_error(s, sy))
            }
        }
    }
}

trait CloneFlow {
    fn clone_flow(self, _t: String) -> Flow;
}
impl CloneFlow for Flow {
    fn clone_flow(self, _t: String) -> Flow {
        self
    }
}

/// `str.split()` with no separator: runs of whitespace, ends stripped.
fn split_ws(s: &str, max: i64, from_right: bool) -> Vec<String> {
    let words: Vec<&str> = s.split(is_py_space).filter(|w| !w.is_empty()).collect();
    if max < 0 || words.len() <= max as usize {
        return words.into_iter().map(String::from).collect();
    }
    let k = max as usize;
    if !from_right {
        // the first k words, then the rest of the string as it is
        let mut out = Vec::new();
        let mut rest = s.trim_start_matches(is_py_space);
        for _ in 0..k {
            let end = rest.find(is_py_space).unwrap_or(rest.len());
            out.push(rest.get(..end).unwrap_or("").to_string());
            rest = rest
                .get(end..)
                .unwrap_or("")
                .trim_start_matches(is_py_space);
        }
        if !rest.is_empty() {
            out.push(rest.to_string());
        }
        out
    } else {
        let mut out = Vec::new();
        let mut rest = s.trim_end_matches(is_py_space);
        for _ in 0..k {
            let start = rest
                .rfind(is_py_space)
                .map(|p| {
                    p + rest
                        .get(p..)
                        .and_then(|r| r.chars().next())
                        .map(|c| c.len_utf8())
                        .unwrap_or(1)
                })
                .unwrap_or(0);
            out.push(rest.get(start..).unwrap_or("").to_string());
            rest = rest
                .get(..start)
                .unwrap_or("")
                .trim_end_matches(is_py_space);
        }
        if !rest.is_empty() {
            out.push(rest.to_string());
        }
        out.reverse();
        out
    }
}

fn splitlines(s: &str, keep: bool) -> Vec<String> {
    let mut out = Vec::new();
    let mut cur = String::new();
    let mut it = s.chars().peekable();
    while let Some(c) = it.next() {
        let brk = matches!(
            c,
            '\n' | '\r'
                | '\x0b'
                | '\x0c'
                | '\x1c'
                | '\x1d'
                | '\x1e'
                | '\u{85}'
                | '\u{2028}'
                | '\u{2029}'
        );
        if brk {
            let mut ending = c.to_string();
            if c == '\r' && it.peek() == Some(&'\n') {
                it.next();
                ending.push('\n');
            }
            if keep {
                cur.push_str(&ending);
            }
            out.push(std::mem::take(&mut cur));
        } else {
            cur.push(c);
        }
    }
    if !cur.is_empty() {
        out.push(cur);
    }
    out
}

fn split_bytes(b: &[u8], sep: &[u8]) -> Vec<Vec<u8>> {
    let mut out = Vec::new();
    let mut start = 0;
    let mut i = 0;
    while i + sep.len() <= b.len() {
        if b.get(i..i + sep.len()) == Some(sep) {
            out.push(b.get(start..i).unwrap_or(&[]).to_vec());
            i += sep.len();
            start = i;
        } else {
            i += 1;
        }
    }
    out.push(b.get(start..).unwrap_or(&[]).to_vec());
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn split_and_lines() {
        assert_eq!(split_ws("  a b  c ", -1, false), vec!["a", "b", "c"]);
        assert_eq!(split_ws("  a b  c ", 1, false), vec!["a", "b  c "]);
        assert_eq!(split_ws("  a b  c ", 1, true), vec!["  a b", "c"]);
        assert_eq!(splitlines("a\r\nb\nc", false), vec!["a", "b", "c"]);
        assert_eq!(splitlines("a\n\nb\n", true), vec!["a\n", "\n", "b\n"]);
        assert_eq!(
            split_bytes(b"a,b,,c", b","),
            vec![b"a".to_vec(), b"b".to_vec(), vec![], b"c".to_vec()]
        );
    }

    #[test]
    fn codec_names() {
        assert_eq!(codec_name("UTF-8"), Some("utf-8"));
        assert_eq!(codec_name("utf8"), Some("utf-8"));
        assert_eq!(codec_name("GBK"), Some("gbk"));
        assert_eq!(codec_name("Latin-1"), Some("latin-1"));
        assert_eq!(codec_name("gb2312"), Some("gb2312"));
        assert_eq!(codec_name("klingon"), None);
    }

    #[test]
    fn gbk_like_cpython() {
        let r = gbk_decode_py(b"\xc4\xe3\xba", false);
        assert_eq!(r[0], Ok('你'));
        assert_eq!(r[1], Err((2, 1, "incomplete multibyte sequence")));
        let r = gbk_decode_py(b"\x81\x30\x81\x30", false);
        assert_eq!(r[0], Err((0, 1, "illegal multibyte sequence")));
        assert_eq!(r[1], Ok('0'));
    }
}
