//! The modules a socket program imports (`socket`, `threading`, `time`,
//! `sys`, `os`, `random`), the built-in constructors (`int(…)`, `bytes(…)`,
//! `socket.socket(…)`, `threading.Thread(…)`) and file objects — all on the
//! [`Os`] trait. `select` and `selectors` are in `select.rs`.

use super::builtins::{self as bi, take_kw};
use super::os::{OsCall, OsErr, OsValue, Stream};
use super::value::*;
use super::vm::{Flow, PyThread, R};
use super::{Blocker, Interp, Os};
use std::rc::Rc;

/// The working directory a program sees (`os.getcwd()`, `os.path.abspath`).
const CWD: &str = "/home/learner";

/// `time.time()` at the simulation's start (2023-11-14 22:13:20 UTC).
pub const EPOCH_OFFSET: f64 = 1_700_000_000.0;

const SOCKET_INTS: &[(&str, i64)] = &[
    ("AF_INET", 2),
    ("AF_INET6", 10),
    ("AF_UNIX", 1),
    ("AF_UNSPEC", 0),
    ("SOCK_STREAM", 1),
    ("SOCK_DGRAM", 2),
    ("SOCK_RAW", 3),
    ("SOL_SOCKET", 1),
    ("SO_REUSEADDR", 2),
    ("SO_REUSEPORT", 15),
    ("SO_KEEPALIVE", 9),
    ("SO_SNDBUF", 7),
    ("SO_RCVBUF", 8),
    ("SO_BROADCAST", 6),
    ("SO_ERROR", 4),
    ("SO_LINGER", 13),
    ("SO_RCVTIMEO", 20),
    ("SO_SNDTIMEO", 21),
    ("IPPROTO_TCP", 6),
    ("IPPROTO_UDP", 17),
    ("IPPROTO_IP", 0),
    ("TCP_NODELAY", 1),
    ("SHUT_RD", 0),
    ("SHUT_WR", 1),
    ("SHUT_RDWR", 2),
    ("SOMAXCONN", 4096),
    ("INADDR_ANY", 0),
    ("MSG_PEEK", 2),
    ("MSG_DONTWAIT", 64),
    ("MSG_WAITALL", 256),
];

/// A constant a module holds: the tables below are data, not code.
#[derive(Clone, Copy)]
enum Item {
    Fun(Bf),
    Cls(Ty),
    Num(i64),
    Txt(&'static str),
    /// The n-th value made for this process (`sys.argv`, `os.environ`…).
    Made(u8),
}

impl Item {
    fn value(self) -> Value {
        match self {
            Fun(f) => Value::Builtin(f),
            Cls(t) => Value::Type(t),
            Num(i) => Value::Int(i),
            Txt(s) => Value::str(s),
            Made(_) => Value::None,
        }
    }
}

use Item::{Cls, Fun, Made, Num, Txt};

const SOCKET_ITEMS: &[(&str, Item)] = &[
    ("socket", Cls(Ty::Socket)),
    ("SocketType", Cls(Ty::Socket)),
    ("timeout", Cls(Ty::TimeoutError)),
    ("error", Cls(Ty::OSError)),
    ("gaierror", Cls(Ty::Gaierror)),
    ("gethostbyname", Fun(Bf::SockGethostbyname)),
    ("gethostname", Fun(Bf::SockGethostname)),
    ("create_connection", Fun(Bf::SockCreateConnection)),
];

const THREADING_ITEMS: &[(&str, Item)] = &[
    ("Thread", Cls(Ty::Thread)),
    ("Lock", Fun(Bf::ThLock)),
    ("RLock", Fun(Bf::ThRLock)),
    ("Event", Cls(Ty::Event)),
    ("current_thread", Fun(Bf::ThCurrentThread)),
    ("currentThread", Fun(Bf::ThCurrentThread)),
    ("main_thread", Fun(Bf::ThMainThread)),
    ("active_count", Fun(Bf::ThActiveCount)),
    ("activeCount", Fun(Bf::ThActiveCount)),
    ("enumerate", Fun(Bf::ThEnumerate)),
    ("get_ident", Fun(Bf::ThGetIdent)),
    ("get_native_id", Fun(Bf::ThGetIdent)),
];

const MULTIPROCESSING_ITEMS: &[(&str, Item)] = &[("Process", Cls(Ty::Process))];

const TIME_ITEMS: &[(&str, Item)] = &[
    ("sleep", Fun(Bf::TimeSleep)),
    ("time", Fun(Bf::TimeTime)),
    ("monotonic", Fun(Bf::TimeMonotonic)),
    ("perf_counter", Fun(Bf::TimePerfCounter)),
    ("ctime", Fun(Bf::TimeCtime)),
    ("strftime", Fun(Bf::TimeStrftime)),
];

const SYS_ITEMS: &[(&str, Item)] = &[
    ("argv", Made(0)),
    ("exit", Fun(Bf::SysExit)),
    ("stdin", Made(1)),
    ("stdout", Made(2)),
    ("stderr", Made(3)),
    ("maxsize", Num(i64::MAX)),
    ("platform", Txt("linux")),
    ("byteorder", Txt("little")),
    ("version", Txt("3.11.2 (sockscope simulation)")),
    ("executable", Txt("/usr/bin/python3")),
    ("path", Made(4)),
    ("getrecursionlimit", Fun(Bf::SysGetRecursionLimit)),
    ("intern", Fun(Bf::SysIntern)),
];

const PATH_ITEMS: &[(&str, Item)] = &[
    ("join", Fun(Bf::PathJoin)),
    ("exists", Fun(Bf::PathExists)),
    ("isfile", Fun(Bf::PathIsfile)),
    ("isdir", Fun(Bf::PathIsdir)),
    ("basename", Fun(Bf::PathBasename)),
    ("dirname", Fun(Bf::PathDirname)),
    ("split", Fun(Bf::PathSplit)),
    ("splitext", Fun(Bf::PathSplitext)),
    ("abspath", Fun(Bf::PathAbspath)),
    ("getsize", Fun(Bf::PathGetsize)),
    ("sep", Txt("/")),
];

const OS_ITEMS: &[(&str, Item)] = &[
    ("path", Made(0)),
    ("getpid", Fun(Bf::OsGetpid)),
    ("getppid", Fun(Bf::OsGetppid)),
    ("fork", Fun(Bf::OsFork)),
    ("waitpid", Fun(Bf::OsWaitpid)),
    ("WNOHANG", Num(1)),
    ("WEXITSTATUS", Fun(Bf::OsWexitstatus)),
    ("WIFEXITED", Fun(Bf::OsWifexited)),
    ("_exit", Fun(Bf::OsExit)),
    ("getcwd", Fun(Bf::OsGetcwd)),
    ("name", Txt("posix")),
    ("sep", Txt("/")),
    ("linesep", Txt("\n")),
    ("environ", Made(1)),
];

const RANDOM_ITEMS: &[(&str, Item)] = &[
    ("random", Fun(Bf::RandRandom)),
    ("randint", Fun(Bf::RandRandint)),
    ("choice", Fun(Bf::RandChoice)),
    ("seed", Fun(Bf::RandSeed)),
    ("shuffle", Fun(Bf::RandShuffle)),
    ("uniform", Fun(Bf::RandUniform)),
    ("randrange", Fun(Bf::RandRandrange)),
];

const SELECT_ITEMS: &[(&str, Item)] = &[
    ("select", Fun(Bf::SelectSelect)),
    ("error", Cls(Ty::OSError)),
    ("POLLIN", Num(1)),
    ("POLLPRI", Num(2)),
    ("POLLOUT", Num(4)),
    ("POLLERR", Num(8)),
    ("POLLHUP", Num(16)),
    ("EPOLLIN", Num(1)),
    ("EPOLLOUT", Num(4)),
    ("EPOLLERR", Num(8)),
    ("EPOLLHUP", Num(16)),
];

const SELECTORS_ITEMS: &[(&str, Item)] = &[
    ("EVENT_READ", Num(super::select::EVENT_READ)),
    ("EVENT_WRITE", Num(super::select::EVENT_WRITE)),
    ("DefaultSelector", Cls(Ty::Selector)),
    ("EpollSelector", Cls(Ty::Selector)),
    ("SelectorKey", Cls(Ty::SelectorKey)),
];

const HTTPMSG_ITEMS: &[(&str, Item)] = &[
    ("parse_request", Fun(Bf::HttpParseRequest)),
    ("serve_static", Fun(Bf::HttpServeStatic)),
    ("http_date", Fun(Bf::HttpDate)),
    ("MemoryFiles", Cls(Ty::MemoryFiles)),
];

impl Interp {
    fn module(&mut self, name: &str, items: Vec<(&str, Value)>) -> Value {
        let mut ns = Vec::new();
        ns.push((bi::S_NAME, Value::str(name)));
        for (k, v) in items {
            let s = self.heap.intern(k);
            ns.push((s, v));
        }
        Value::Ref(self.heap.alloc(Obj::Module(Box::new(Module {
            name: name.into(),
            ns,
        }))))
    }

    /// A module built from a table (`made`: the values of its `D(n)`s).
    fn table_module(&mut self, name: &str, table: &[(&str, Item)], made: &[Value]) -> Value {
        let items = table
            .iter()
            .map(|&(k, v)| match v {
                Made(n) => (k, made.get(n as usize).cloned().unwrap_or(Value::None)),
                v => (k, v.value()),
            })
            .collect();
        self.module(name, items)
    }

    fn const_module(&mut self, name: &str, table: &[(&str, Item)]) -> Value {
        self.table_module(name, table, &[])
    }

    pub(crate) fn import(&mut self, _os: &mut dyn Os, s: Sym) -> R<Value> {
        if let Some((_, m)) = self.modules.iter().find(|(k, _)| *k == s) {
            return Ok(m.clone());
        }
        let name = self.heap.name(s).to_string();
        let m = match name.as_str() {
            "socket" => {
                let mut items: Vec<(&str, Value)> = SOCKET_INTS
                    .iter()
                    .map(|(k, v)| (*k, Value::Int(*v)))
                    .collect();
                items.extend(SOCKET_ITEMS.iter().map(|&(k, v)| (k, v.value())));
                self.module("socket", items)
            }
            "threading" => self.const_module("threading", THREADING_ITEMS),
            "multiprocessing" => self.const_module("multiprocessing", MULTIPROCESSING_ITEMS),
            "time" => self.const_module("time", TIME_ITEMS),
            "sys" => {
                let argv: Vec<Value> = self.argv.iter().map(|a| Value::Str(a.clone())).collect();
                let argv = Value::Ref(self.heap.alloc(Obj::List(argv)));
                let stream = |s: &mut Self, n: u8| {
                    Value::Ref(s.heap.alloc(Obj::Inst(Box::new(Inst {
                        class: Value::Type(Ty::TextFile),
                        attrs: Vec::new(),
                        native: Native::Stream(n),
                    }))))
                };
                let (i, o, e) = (stream(self, 0), stream(self, 1), stream(self, 2));
                let path = Value::Ref(self.heap.alloc(Obj::List(Vec::new())));
                self.table_module("sys", SYS_ITEMS, &[argv, i, o, e, path])
            }
            "os.path" | "posixpath" => self.const_module("posixpath", PATH_ITEMS),
            "os" => {
                let environ = Value::Ref(self.heap.alloc(Obj::Dict(Vec::new())));
                let path_sym = self.heap.intern("os.path");
                let path = self.import(_os, path_sym)?;
                self.table_module("os", OS_ITEMS, &[path, environ])
            }
            "random" => self.const_module("random", RANDOM_ITEMS),
            "httpmsg" => self.const_module("httpmsg", HTTPMSG_ITEMS),
            "select" => self.const_module("select", SELECT_ITEMS),
            "selectors" => self.const_module("selectors", SELECTORS_ITEMS),
            _ => {
                let e = self.new_exc(
                    Ty::ModuleNotFoundError,
                    &format!("No module named '{name}'"),
                );
                return Err(Flow::Exc(e));
            }
        };
        self.modules.push((s, m.clone()));
        Ok(m)
    }

    // ------------------------------------------------------------ constructors

    pub(crate) fn construct(
        &mut self,
        os: &mut dyn Os,
        t: Ty,
        tv: &Value,
        args: Vec<Value>,
        mut kw: Vec<(Sym, Value)>,
    ) -> R<Value> {
        let name = t.name();
        let a0 = args.first().cloned();
        match t {
            Ty::Int => {
                let base = take_kw(&self.heap, &mut kw, "base").or_else(|| args.get(1).cloned());
                self.no_kw("int", &kw)?;
                self.nargs("int", &args, 0, 2)
                    .map_err(|_| self.exc_flow(Ty::TypeError, "int() takes at most 2 arguments"))?;
                self.int_of(os, a0, base)
            }
            Ty::Float => {
                self.nargs("float", &args, 0, 1)?;
                match a0 {
                    None => Ok(Value::float(0.0)),
                    Some(Value::Float(f)) => Ok(Value::Float(f)),
                    Some(Value::Int(i)) => Ok(Value::float(i as f64)),
                    Some(Value::Bool(b)) => Ok(Value::float(b as i64 as f64)),
                    Some(Value::Str(s)) => self.parse_float(&s, &Value::Str(s.clone())),
                    Some(Value::Bytes(b)) => {
                        let s: String = b.iter().map(|&c| c as char).collect();
                        self.parse_float(&s, &Value::Bytes(b))
                    }
                    Some(other) => {
                        let n = self.type_name(&other);
                        Err(self.exc_flow(
                            Ty::TypeError,
                            &format!(
                                "float() argument must be a string or a real number, not '{n}'"
                            ),
                        ))
                    }
                }
            }
            Ty::Str => {
                let enc = take_kw(&self.heap, &mut kw, "encoding").or_else(|| args.get(1).cloned());
                let errors =
                    take_kw(&self.heap, &mut kw, "errors").or_else(|| args.get(2).cloned());
                self.no_kw("str", &kw)?;
                match (a0, enc, errors) {
                    (None, None, None) => Ok(Value::str("")),
                    (Some(v), None, None) => Ok(Value::Str(self.str_of(os, &v)?)),
                    (Some(Value::Bytes(b)), enc, errors) => {
                        let enc = match enc {
                            Some(Value::Str(s)) => s.to_string(),
                            _ => "utf-8".into(),
                        };
                        let errors = match errors {
                            Some(Value::Str(s)) => s.to_string(),
                            _ => "strict".into(),
                        };
                        Ok(Value::Str(self.decode_bytes(&b, &enc, &errors)?.into()))
                    }
                    (Some(v), _, _) => {
                        let n = self.type_name(&v);
                        Err(self.exc_flow(
                            Ty::TypeError,
                            &format!("decoding to str: need a bytes-like object, {n} found"),
                        ))
                    }
                    _ => Ok(Value::str("")),
                }
            }
            Ty::Bool => {
                self.nargs("bool", &args, 0, 1)?;
                match a0 {
                    None => Ok(Value::Bool(false)),
                    Some(v) => Ok(Value::Bool(self.truthy(os, &v)?)),
                }
            }
            Ty::Bytes => {
                let enc = take_kw(&self.heap, &mut kw, "encoding").or_else(|| args.get(1).cloned());
                let errors =
                    take_kw(&self.heap, &mut kw, "errors").or_else(|| args.get(2).cloned());
                self.no_kw("bytes", &kw)?;
                match a0 {
                    None => Ok(Value::Bytes(Rc::from(&[][..]))),
                    Some(Value::Str(s)) => {
                        let Some(Value::Str(enc)) = enc else {
                            return Err(
                                self.exc_flow(Ty::TypeError, "string argument without an encoding")
                            );
                        };
                        let errors = match errors {
                            Some(Value::Str(e)) => e.to_string(),
                            _ => "strict".into(),
                        };
                        Ok(Value::Bytes(self.encode_text(&s, &enc, &errors)?.into()))
                    }
                    Some(Value::Int(n)) => {
                        if n < 0 {
                            return Err(self.exc_flow(Ty::ValueError, "negative count"));
                        }
                        if n as usize > super::ops::MAX_ITEMS {
                            return Err(self.exc_flow(Ty::MemoryError, ""));
                        }
                        Ok(Value::Bytes(vec![0u8; n as usize].into()))
                    }
                    Some(Value::Bytes(b)) => Ok(Value::Bytes(b)),
                    Some(v) => {
                        if matches!(v, Value::Float(_) | Value::None) {
                            let n = self.type_name(&v);
                            return Err(self.exc_flow(
                                Ty::TypeError,
                                &format!("cannot convert '{n}' object to bytes"),
                            ));
                        }
                        let items = self.iterate(os, &v)?;
                        let mut out = Vec::with_capacity(items.len());
                        for it in items {
                            match it {
                                Value::Int(i) if (0..256).contains(&i) => out.push(i as u8),
                                Value::Int(_) => {
                                    return Err(self.exc_flow(
                                        Ty::ValueError,
                                        "bytes must be in range(0, 256)",
                                    ))
                                }
                                other => {
                                    let n = self.type_name(&other);
                                    return Err(self.exc_flow(
                                        Ty::TypeError,
                                        &format!(
                                            "'{n}' object cannot be interpreted as an integer"
                                        ),
                                    ));
                                }
                            }
                        }
                        Ok(Value::Bytes(out.into()))
                    }
                }
            }
            Ty::List | Ty::Tuple | Ty::Set => {
                self.no_kw(name, &kw)?;
                self.nargs(name, &args, 0, 1)?;
                let items = match a0 {
                    Some(v) => self.iterate(os, &v)?,
                    None => Vec::new(),
                };
                Ok(match t {
                    Ty::List => Value::Ref(self.heap.alloc(Obj::List(items))),
                    Ty::Tuple => self.new_tuple(items),
                    _ => self.new_set(items)?,
                })
            }
            Ty::Dict => {
                self.nargs("dict", &args, 0, 1)?;
                let d = Value::Ref(self.heap.alloc(Obj::Dict(Vec::new())));
                let upd = self.heap.intern("update");
                self.call_method(os, &d, upd, args, kw)?;
                Ok(d)
            }
            Ty::Range => {
                self.no_kw("range", &kw)?;
                if args.is_empty() {
                    return Err(
                        self.exc_flow(Ty::TypeError, "range expected at least 1 argument, got 0")
                    );
                }
                if args.len() > 3 {
                    let n = args.len();
                    return Err(self.exc_flow(
                        Ty::TypeError,
                        &format!("range expected at most 3 arguments, got {n}"),
                    ));
                }
                let mut ints = Vec::new();
                for a in &args {
                    ints.push(self.index_of(a)?);
                }
                let (a, b, c) = match ints.as_slice() {
                    [b] => (0, *b, 1),
                    [a, b] => (*a, *b, 1),
                    [a, b, c] => (*a, *b, *c),
                    _ => (0, 0, 1),
                };
                if c == 0 {
                    return Err(self.exc_flow(Ty::ValueError, "range() arg 3 must not be zero"));
                }
                Ok(Value::Ref(self.heap.alloc(Obj::Range(a, b, c))))
            }
            Ty::Slice => {
                let a = args.first().cloned().unwrap_or(Value::None);
                let (a, b, c) = match args.len() {
                    1 => (Value::None, a, Value::None),
                    _ => (
                        a,
                        args.get(1).cloned().unwrap_or(Value::None),
                        args.get(2).cloned().unwrap_or(Value::None),
                    ),
                };
                Ok(Value::Ref(self.heap.alloc(Obj::Slice(a, b, c))))
            }
            Ty::Enumerate => {
                let start = take_kw(&self.heap, &mut kw, "start").or_else(|| args.get(1).cloned());
                self.no_kw("enumerate", &kw)?;
                let Some(src) = a0 else {
                    return Err(self.exc_flow(
                        Ty::TypeError,
                        "enumerate() missing required argument 'iterable' (pos 1)",
                    ));
                };
                let it = self.get_iter(os, &src)?;
                let n = match start {
                    Some(s) => self.index_of(&s)?,
                    None => 0,
                };
                Ok(self.iter_obj(Iter::Enumerate(it, n)))
            }
            Ty::Zip => {
                let _ = take_kw(&self.heap, &mut kw, "strict");
                self.no_kw("zip", &kw)?;
                let mut its = Vec::new();
                for (i, a) in args.iter().enumerate() {
                    match self.get_iter(os, a) {
                        Ok(it) => its.push(it),
                        Err(_) => {
                            return Err(self.exc_flow(
                                Ty::TypeError,
                                &format!("zip argument #{} must support iteration", i + 1),
                            ));
                        }
                    }
                }
                Ok(self.iter_obj(Iter::Zip(its)))
            }
            Ty::Map => {
                if args.len() < 2 {
                    return Err(
                        self.exc_flow(Ty::TypeError, "map() must have at least two arguments.")
                    );
                }
                let f = args.first().cloned().unwrap_or(Value::None);
                let mut its = Vec::new();
                for a in args.iter().skip(1) {
                    its.push(self.get_iter(os, a)?);
                }
                Ok(self.iter_obj(Iter::Map(f, its)))
            }
            Ty::Filter => {
                self.nargs("filter", &args, 2, 2)?;
                let f = args.first().cloned().unwrap_or(Value::None);
                let it = self.get_iter(os, args.get(1).unwrap_or(&Value::None))?;
                Ok(self.iter_obj(Iter::Filter(f, it)))
            }
            Ty::Reversed => {
                self.nargs("reversed", &args, 1, 1)?;
                let v = a0.unwrap_or(Value::None);
                let n = match &v {
                    Value::Str(s) => s.chars().count(),
                    Value::Bytes(b) => b.len(),
                    Value::Ref(i) => match self.heap.get(*i) {
                        Some(Obj::List(l)) | Some(Obj::Tuple(l)) => l.len(),
                        Some(Obj::Range(a, b, c)) => super::ops::range_len(*a, *b, *c) as usize,
                        Some(Obj::Dict(d)) => {
                            let keys: Vec<Value> = d.iter().rev().map(|(k, _)| k.clone()).collect();
                            let t = self.new_tuple(keys);
                            return Ok(self.iter_obj(Iter::Seq(t, 0)));
                        }
                        _ => {
                            let n = self.type_name(&v);
                            return Err(self.exc_flow(
                                Ty::TypeError,
                                &format!("'{n}' object is not reversible"),
                            ));
                        }
                    },
                    _ => {
                        let n = self.type_name(&v);
                        return Err(self
                            .exc_flow(Ty::TypeError, &format!("'{n}' object is not reversible")));
                    }
                };
                Ok(self.iter_obj(Iter::Reversed(v, n)))
            }
            Ty::Type => {
                if args.len() == 1 {
                    return Ok(self.type_of(&args[0]));
                }
                Err(self.exc_flow(
                    Ty::TypeError,
                    "type() takes 1 argument here (creating classes with type() is not supported)",
                ))
            }
            Ty::Object => {
                if !args.is_empty() || !kw.is_empty() {
                    return Err(self.exc_flow(Ty::TypeError, "object() takes no arguments"));
                }
                Ok(self.new_instance(Value::Type(Ty::Object), Ty::Object, &[]))
            }
            Ty::Super => self.make_super(args),
            Ty::StaticMethod | Ty::ClassMethod => {
                self.nargs(name, &args, 1, 1)?;
                let f = a0.unwrap_or(Value::None);
                Ok(Value::Ref(self.heap.alloc(if t == Ty::StaticMethod {
                    Obj::StaticMethod(f)
                } else {
                    Obj::ClassMethod(f)
                })))
            }
            Ty::Property => {
                let g = take_kw(&self.heap, &mut kw, "fget")
                    .or(a0)
                    .unwrap_or(Value::None);
                let s = take_kw(&self.heap, &mut kw, "fset")
                    .or_else(|| args.get(1).cloned())
                    .unwrap_or(Value::None);
                Ok(Value::Ref(self.heap.alloc(Obj::Property(g, s))))
            }
            Ty::Socket => self.new_socket(os, args, kw),
            Ty::Selector => self.new_selector(os, args, kw),
            Ty::SelectorKey => self.new_selector_key(args, kw),
            Ty::Thread | Ty::Process => {
                let inst = self.new_instance(tv.clone(), t, &[]);
                self.thread_init(&inst, args, kw)?;
                Ok(inst)
            }
            Ty::MemoryFiles => {
                self.no_kw(name, &kw)?;
                self.memory_files(os, args)
            }
            Ty::Event => Ok(Value::Ref(self.heap.alloc(Obj::Inst(Box::new(Inst {
                class: Value::Type(Ty::Event),
                attrs: Vec::new(),
                native: Native::Event(false),
            }))))),
            t if t.is_exception() => {
                if let Some((k, _)) = kw.first() {
                    let _ = k;
                    return Err(self.exc_flow(
                        Ty::TypeError,
                        &format!("{name}() takes no keyword arguments"),
                    ));
                }
                // OSError(errno, strerror) becomes the errno's subclass (PEP 3151)
                let mut ty = t;
                if t == Ty::OSError && (2..=3).contains(&args.len()) {
                    if let Some(Value::Int(n)) = args.first() {
                        ty = super::exc::errno_class(*n as i32);
                    }
                }
                Ok(self.new_exc_args(ty, args))
            }
            _ => Err(self.exc_flow(Ty::TypeError, &format!("cannot create '{name}' instances"))),
        }
    }

    fn iter_obj(&mut self, it: Iter) -> Value {
        Value::Ref(self.heap.alloc(Obj::Iter(Box::new(it))))
    }

    /// The native `__init__` of a builtin base, for a user class without
    /// its own `__init__`.
    pub(crate) fn native_init(
        &mut self,
        _os: &mut dyn Os,
        inst: &Value,
        ty: Ty,
        args: Vec<Value>,
        kw: Vec<(Sym, Value)>,
    ) -> R<()> {
        if ty == Ty::Thread || ty == Ty::Process {
            return self.thread_init(inst, args, kw);
        }
        if ty.is_exception() {
            return Ok(());
        }
        if !args.is_empty() || !kw.is_empty() {
            let n = self.type_name(inst);
            return Err(self.exc_flow(Ty::TypeError, &format!("{n}() takes no arguments")));
        }
        Ok(())
    }

    fn make_super(&mut self, args: Vec<Value>) -> R<Value> {
        let (cls, obj) = if args.len() >= 2 {
            (args[0].clone(), args[1].clone())
        } else {
            // zero-argument form: the function's class and its first argument
            let found = self.thread().and_then(|t| t.frames.last()).and_then(|f| {
                let fi = f.func?;
                let first = f.fast.first().cloned().flatten().or_else(|| {
                    // the first argument may live in a cell
                    let _ = fi;
                    None
                })?;
                Some((fi, first))
            });
            let Some((fi, first)) = found else {
                return Err(self.exc_flow(Ty::RuntimeError, "super(): no arguments"));
            };
            let class = match self.heap.get(fi) {
                Some(Obj::Func(f)) => f.class,
                _ => None,
            };
            let Some(c) = class else {
                return Err(self.exc_flow(Ty::RuntimeError, "super(): __class__ cell not found"));
            };
            (Value::Ref(c), first)
        };
        Ok(Value::Ref(self.heap.alloc(Obj::Super(cls, obj))))
    }

    pub(crate) fn int_of(
        &mut self,
        os: &mut dyn Os,
        v: Option<Value>,
        base: Option<Value>,
    ) -> R<Value> {
        let base = match base {
            None => None,
            Some(b) => Some(self.index_of(&b)?),
        };
        if let Some(b) = base {
            if b != 0 && !(2..=36).contains(&b) {
                return Err(
                    self.exc_flow(Ty::ValueError, "int() base must be >= 2 and <= 36, or 0")
                );
            }
        }
        match v {
            None => Ok(Value::Int(0)),
            Some(Value::Int(i)) if base.is_none() => Ok(Value::Int(i)),
            Some(Value::Bool(b)) if base.is_none() => Ok(Value::Int(b as i64)),
            Some(Value::Float(f)) if base.is_none() => {
                let x = f.0;
                if x.is_nan() {
                    return Err(
                        self.exc_flow(Ty::ValueError, "cannot convert float NaN to integer")
                    );
                }
                if x.is_infinite() {
                    return Err(self.exc_flow(
                        Ty::OverflowError,
                        "cannot convert float infinity to integer",
                    ));
                }
                let t = x.trunc();
                if t.abs() >= 9.223_372_036_854_776e18 {
                    return Err(self.overflow());
                }
                Ok(Value::Int(t as i64))
            }
            Some(Value::Str(s)) => self.parse_int(&s, base.unwrap_or(10), &Value::Str(s.clone())),
            Some(Value::Bytes(b)) => {
                let s: String = b.iter().map(|&c| c as char).collect();
                self.parse_int(&s, base.unwrap_or(10), &Value::Bytes(b))
            }
            Some(other) => {
                if base.is_some() {
                    return Err(self.exc_flow(
                        Ty::TypeError,
                        "int() can't convert non-string with explicit base",
                    ));
                }
                let int_sym = self.heap.intern("__int__");
                if let Some(f) = self
                    .lookup_class_attr(&other, int_sym)
                    .filter(|_| self.heap.inst(&other).is_some())
                {
                    return self.call_sync(os, f, vec![other], Vec::new());
                }
                let n = self.type_name(&other);
                Err(self.exc_flow(
                    Ty::TypeError,
                    &format!("int() argument must be a string, a bytes-like object or a real number, not '{n}'"),
                ))
            }
        }
    }

    fn parse_int(&mut self, s: &str, base: i64, orig: &Value) -> R<Value> {
        // digits of other scripts count, as in CPython
        let normalized: String = s
            .chars()
            .map(|c| match super::methods::decimal_value(c) {
                Some(d) if !c.is_ascii() => char::from_digit(d, 10).unwrap_or(c),
                _ => c,
            })
            .collect();
        let s = normalized.as_str();
        let err = |me: &mut Self| -> Flow {
            let r = me.safe_repr(orig);
            me.exc_flow(
                Ty::ValueError,
                &format!("invalid literal for int() with base {base}: {r}"),
            )
        };
        let t = s.trim_matches(|c: char| c.is_whitespace());
        let (neg, mut body) = match t.strip_prefix('-') {
            Some(r) => (true, r),
            None => (false, t.strip_prefix('+').unwrap_or(t)),
        };
        let mut base = base;
        let lower = body.to_ascii_lowercase();
        for (p, b) in [("0x", 16), ("0o", 8), ("0b", 2)] {
            if lower.starts_with(p) && (base == b || base == 0) {
                base = b;
                body = body.get(2..).unwrap_or("");
                body = body.strip_prefix('_').unwrap_or(body);
                break;
            }
        }
        if base == 0 {
            if body.len() > 1 && body.starts_with('0') && body.chars().any(|c| c != '0' && c != '_')
            {
                return Err(err(self));
            }
            base = 10;
        }
        if body.is_empty() || body.starts_with('_') || body.ends_with('_') || body.contains("__") {
            return Err(err(self));
        }
        let digits: String = body.chars().filter(|c| *c != '_').collect();
        if !digits.chars().all(|c| c.is_digit(base as u32)) {
            return Err(err(self));
        }
        match i64::from_str_radix(&digits, base as u32) {
            Ok(v) => Ok(Value::Int(if neg { -v } else { v })),
            Err(_) => {
                if neg && i128::from_str_radix(&digits, base as u32).ok() == Some(1i128 << 63) {
                    return Ok(Value::Int(i64::MIN));
                }
                Err(self.overflow())
            }
        }
    }

    fn parse_float(&mut self, s: &str, orig: &Value) -> R<Value> {
        let normalized: String = s
            .chars()
            .map(|c| match super::methods::decimal_value(c) {
                Some(d) if !c.is_ascii() => char::from_digit(d, 10).unwrap_or(c),
                _ => c,
            })
            .collect();
        let s = normalized.as_str();
        let t = s.trim();
        let lower = t.to_ascii_lowercase();
        let body = lower.trim_start_matches(['+', '-']);
        let neg = lower.starts_with('-');
        let special = match body {
            "inf" | "infinity" => Some(f64::INFINITY),
            "nan" => Some(f64::NAN),
            _ => None,
        };
        if let Some(x) = special {
            return Ok(Value::float(if neg { -x } else { x }));
        }
        let ok_chars = !t.is_empty()
            && t.chars()
                .all(|c| c.is_ascii_digit() || matches!(c, '.' | 'e' | 'E' | '+' | '-' | '_'))
            && !t.contains("__")
            && !t.starts_with('_')
            && !t.ends_with('_');
        let cleaned: String = t.chars().filter(|c| *c != '_').collect();
        match (ok_chars, super::float::parse(&cleaned)) {
            (true, Some(x)) => Ok(Value::float(x)),
            _ => {
                let r = self.safe_repr(orig);
                Err(self.exc_flow(
                    Ty::ValueError,
                    &format!("could not convert string to float: {r}"),
                ))
            }
        }
    }

    // ------------------------------------------------------------ attributes of natives

    pub(crate) fn native_attr(
        &mut self,
        _os: &mut dyn Os,
        obj: &Value,
        name: Sym,
    ) -> R<Option<Value>> {
        let n = self.heap.name_rc(name);
        let Some(inst) = self.heap.inst(obj) else {
            return Ok(None);
        };
        Ok(match &inst.native {
            Native::Exc(_) => self.exc_attr(obj, &n),
            Native::Socket(s) => match &*n {
                "family" => Some(Value::Int(s.family)),
                "type" => Some(Value::Int(s.kind)),
                "proto" => Some(Value::Int(0)),
                "timeout" => Some(match s.timeout {
                    Some(t) => Value::Float(t),
                    None => Value::None,
                }),
                _ => None,
            },
            Native::Thread(t) if t.process.is_some() => {
                let p = t.process.as_deref().cloned().unwrap_or_default();
                let opt = |v: Option<i64>| v.map(Value::Int).unwrap_or(Value::None);
                match &*n {
                    "name" => Some(Value::Str(t.name.clone())),
                    "daemon" => Some(Value::Bool(t.daemon)),
                    "pid" | "ident" => Some(opt(p.pid)),
                    "exitcode" => Some(opt(p.exitcode)),
                    "_target" => Some(t.target.clone()),
                    "_args" => Some(t.args.clone()),
                    _ => None,
                }
            }
            Native::Thread(t) => match &*n {
                "name" => Some(Value::Str(t.name.clone())),
                "daemon" => Some(Value::Bool(t.daemon)),
                "ident" | "native_id" => Some(if t.ix.is_some() || t.main {
                    Value::Int(t.ident)
                } else {
                    Value::None
                }),
                "_target" => Some(t.target.clone()),
                "_args" => Some(t.args.clone()),
                _ => None,
            },
            Native::File(f) => match &*n {
                "name" => Some(Value::Str(f.name.clone())),
                "mode" => Some(Value::Str(f.mode.clone())),
                "closed" => Some(Value::Bool(f.closed)),
                "encoding" if f.text.is_some() => Some(Value::Str(f.encoding.clone())),
                _ => None,
            },
            Native::Stream(s) => match &*n {
                "name" => Some(Value::str(
                    ["<stdin>", "<stdout>", "<stderr>"][(*s as usize).min(2)],
                )),
                "encoding" => Some(Value::str("utf-8")),
                "closed" => Some(Value::Bool(false)),
                _ => None,
            },
            n2 @ (Native::HttpRequest(_) | Native::HttpReply(_)) => Self::http_attr(n2, &n),
            Native::SelectorKey(k) => Self::key_attr(k, &n),
            Native::Event(_)
            | Native::Lock { .. }
            | Native::Site(_)
            | Native::Selector(_)
            | Native::None => None,
        })
    }

    pub(crate) fn set_native_attr(
        &mut self,
        os: &mut dyn Os,
        obj: &Value,
        name: Sym,
        v: &Value,
    ) -> R<bool> {
        let n = self.heap.name_rc(name);
        let is_thread = matches!(
            self.heap.inst(obj).map(|i| &i.native),
            Some(Native::Thread(_))
        );
        if !is_thread {
            return Ok(false);
        }
        match &*n {
            "daemon" => {
                let started = matches!(self.heap.inst(obj).map(|i| &i.native), Some(Native::Thread(t)) if t.ix.is_some() || t.main);
                if started {
                    return Err(self.exc_flow(
                        Ty::RuntimeError,
                        "cannot set daemon status of active thread",
                    ));
                }
                let d = self.truthy(os, v)?;
                if let Some(Native::Thread(t)) = self.heap.inst_mut(obj).map(|i| &mut i.native) {
                    t.daemon = d;
                }
                Ok(true)
            }
            "name" => {
                let s = self.str_of(os, v)?;
                if let Some(Native::Thread(t)) = self.heap.inst_mut(obj).map(|i| &mut i.native) {
                    t.name = s;
                }
                Ok(true)
            }
            _ => Ok(false),
        }
    }

    // ------------------------------------------------------------ socket

    fn new_socket(
        &mut self,
        os: &mut dyn Os,
        args: Vec<Value>,
        mut kw: Vec<(Sym, Value)>,
    ) -> R<Value> {
        let family = take_kw(&self.heap, &mut kw, "family").or_else(|| args.first().cloned());
        let kind = take_kw(&self.heap, &mut kw, "type").or_else(|| args.get(1).cloned());
        let _proto = take_kw(&self.heap, &mut kw, "proto").or_else(|| args.get(2).cloned());
        let _fileno = take_kw(&self.heap, &mut kw, "fileno");
        self.no_kw("socket", &kw)?;
        let family = match family {
            None | Some(Value::None) => 2,
            Some(v) => self.index_of(&v)?,
        };
        let kind = match kind {
            None | Some(Value::None) => 1,
            Some(v) => self.index_of(&v)?,
        };
        let fd = match self.os_call(
            os,
            OsCall::Socket {
                family: family as i32,
                kind: kind as i32,
            },
        )? {
            OsValue::Int(fd) => fd,
            _ => return Err(self.internal("socket() answered no fd")),
        };
        Ok(self.socket_obj(fd, family, kind))
    }

    fn socket_obj(&mut self, fd: i64, family: i64, kind: i64) -> Value {
        Value::Ref(self.heap.alloc(Obj::Inst(Box::new(Inst {
            class: Value::Type(Ty::Socket),
            attrs: Vec::new(),
            native: Native::Socket(Sock {
                fd,
                family,
                kind,
                closed: false,
                timeout: None,
            }),
        }))))
    }

    fn sock(&self, v: &Value) -> Option<Sock> {
        match self.heap.inst(v).map(|i| &i.native) {
            Some(Native::Socket(s)) => Some(s.clone()),
            _ => None,
        }
    }

    fn address(&mut self, v: &Value, what: &str) -> R<(String, u16)> {
        let Some(items) = self.tuple_items(v) else {
            let n = self.type_name(v);
            return Err(self.exc_flow(
                Ty::TypeError,
                &format!("{what}(): AF_INET address must be tuple, not {n}"),
            ));
        };
        if items.len() != 2 {
            return Err(self.exc_flow(
                Ty::TypeError,
                &format!("{what}(): AF_INET address must be a pair (host, port)"),
            ));
        }
        let host = match &items[0] {
            Value::Str(s) => s.to_string(),
            Value::Bytes(b) => String::from_utf8_lossy(b).into_owned(),
            other => {
                let n = self.type_name(other);
                return Err(self.exc_flow(
                    Ty::TypeError,
                    &format!("str, bytes or bytearray expected, not {n}"),
                ));
            }
        };
        let port = match &items[1] {
            Value::Int(p) => *p,
            Value::Bool(b) => *b as i64,
            other => {
                let n = self.type_name(other);
                return Err(self.exc_flow(
                    Ty::TypeError,
                    &format!("'{n}' object cannot be interpreted as an integer"),
                ));
            }
        };
        if !(0..=65535).contains(&port) {
            return Err(self.exc_flow(
                Ty::OverflowError,
                &format!("{what}(): port must be 0-65535."),
            ));
        }
        Ok((host, port as u16))
    }

    fn data_arg(&mut self, v: Option<&Value>) -> R<Vec<u8>> {
        match v {
            Some(Value::Bytes(b)) => Ok(b.to_vec()),
            Some(other) => {
                let n = self.type_name(other);
                Err(self.exc_flow(
                    Ty::TypeError,
                    &format!("a bytes-like object is required, not '{n}'"),
                ))
            }
            None => Err(self.exc_flow(
                Ty::TypeError,
                "a bytes-like object is required, not 'NoneType'",
            )),
        }
    }

    fn addr_tuple(&mut self, v: OsValue) -> Value {
        match v {
            OsValue::Addr(h, p) => {
                let items = vec![Value::Str(h.into()), Value::Int(p as i64)];
                self.new_tuple(items)
            }
            _ => {
                let items = vec![Value::str("0.0.0.0"), Value::Int(0)];
                self.new_tuple(items)
            }
        }
    }

    /// A socket method; an exception leaving `accept()` gets socket.py's
    /// frame, as CPython's traceback shows it (accept is Python code there).
    pub(crate) fn socket_method(
        &mut self,
        os: &mut dyn Os,
        s: &Value,
        n: &str,
        args: Vec<Value>,
        kw: Vec<(Sym, Value)>,
    ) -> R<Value> {
        let r = self.socket_method_inner(os, s, n, args, kw);
        let blocked = n == "accept" && matches!(r, Err(Flow::Block(_)));
        if let Some(t) = self.thread_mut() {
            t.in_accept = blocked;
        }
        if n == "accept" {
            if let Err(Flow::Exc(e)) = &r {
                if let Some(x) = self.heap.exc_mut(e) {
                    x.tb.push(TbEntry::Lib {
                        file: super::exc::SOCKET_PY,
                        line: 294,
                        name: "accept",
                        text: "fd, addr = self._accept()",
                        carets: "               ^^^^^^^^^^^^^^",
                    });
                }
            }
        }
        r
    }

    fn socket_method_inner(
        &mut self,
        os: &mut dyn Os,
        s: &Value,
        n: &str,
        args: Vec<Value>,
        mut kw: Vec<(Sym, Value)>,
    ) -> R<Value> {
        let Some(sock) = self.sock(s) else {
            return Err(self.internal("not a socket"));
        };
        let fd = sock.fd as i32;
        let a0 = args.first().cloned();
        if sock.closed
            && !matches!(
                n,
                "close" | "fileno" | "__exit__" | "gettimeout" | "getblocking" | "detach"
            )
        {
            return Err(self.os_error(OsErr::Errno(9)));
        }
        // the argument-count messages of CPython's socket methods
        let k = args.len();
        let (min, max) = match n {
            "bind" | "connect" | "connect_ex" | "settimeout" | "setblocking" => (1, 1),
            "recv" | "send" | "sendall" => (1, 2),
            "listen" | "shutdown" => (0, 1),
            "setsockopt" => (3, 4),
            "getsockopt" => (2, 3),
            "accept" | "close" | "fileno" | "getpeername" | "getsockname" | "gettimeout"
            | "getblocking" | "detach" => (0, 0),
            _ => (0, 8),
        };
        if (k < min && (n != "recv" || kw.is_empty())) || k > max {
            let msg = match n {
                "bind" | "connect" | "connect_ex" => {
                    format!("socket.{n}() takes exactly one argument ({k} given)")
                }
                _ if max == 0 => {
                    format!(
                        "socket.{n}() takes 1 positional argument but {} were given",
                        k + 1
                    )
                }
                _ if k < min => format!(
                    "{n}() takes {} {min} argument{} ({k} given)",
                    if min == max || n == "setsockopt" {
                        "exactly"
                    } else {
                        "at least"
                    },
                    if min == 1 { "" } else { "s" }
                ),
                _ => format!(
                    "{n}() takes {} {max} argument{} ({k} given)",
                    if min == max { "exactly" } else { "at most" },
                    if max == 1 { "" } else { "s" }
                ),
            };
            return Err(self.exc_flow(Ty::TypeError, &msg));
        }
        match n {
            "bind" => {
                let (host, port) = self.address(&a0.unwrap_or(Value::None), "bind")?;
                self.os_call(os, OsCall::Bind { fd, host, port })?;
                Ok(Value::None)
            }
            "listen" => {
                let backlog = match a0 {
                    Some(v) => self.index_of(&v)?.max(0),
                    None => 128,
                };
                self.os_call(
                    os,
                    OsCall::Listen {
                        fd,
                        backlog: backlog as i32,
                    },
                )?;
                Ok(Value::None)
            }
            "accept" => match self.os_call(os, OsCall::Accept { fd })? {
                OsValue::Accepted {
                    fd: nfd,
                    host,
                    port,
                } => {
                    let conn = self.socket_obj(nfd as i64, sock.family, sock.kind);
                    let addr = self.addr_tuple(OsValue::Addr(host, port));
                    Ok(self.new_tuple(vec![conn, addr]))
                }
                _ => Err(self.internal("accept() answered no connection")),
            },
            "connect" | "connect_ex" => {
                let (host, port) = self.address(&a0.unwrap_or(Value::None), n)?;
                let r = self.os_call(os, OsCall::Connect { fd, host, port });
                if n == "connect_ex" {
                    return match r {
                        Ok(_) => Ok(Value::Int(0)),
                        Err(Flow::Exc(e)) => Ok(self
                            .exc_attr(&e, "errno")
                            .filter(|v| *v != Value::None)
                            .unwrap_or(Value::Int(110))),
                        Err(other) => Err(other),
                    };
                }
                r?;
                Ok(Value::None)
            }
            "send" => {
                let data = self.data_arg(a0.as_ref())?;
                match self.os_call(os, OsCall::Send { fd, data })? {
                    OsValue::Int(k) => Ok(Value::Int(k)),
                    _ => Ok(Value::Int(0)),
                }
            }
            "sendall" => {
                let data = self.data_arg(a0.as_ref())?;
                self.os_call(os, OsCall::Sendall { fd, data })?;
                Ok(Value::None)
            }
            "recv" => {
                let size = take_kw(&self.heap, &mut kw, "bufsize").or(a0);
                let Some(size) = size else {
                    return Err(
                        self.exc_flow(Ty::TypeError, "recv() takes at least 1 argument (0 given)")
                    );
                };
                let size = self.index_of(&size)?;
                if size < 0 {
                    return Err(self.exc_flow(Ty::ValueError, "negative buffersize in recv"));
                }
                match self.os_call(
                    os,
                    OsCall::Recv {
                        fd,
                        max: size as usize,
                    },
                )? {
                    OsValue::Bytes(b) => Ok(Value::Bytes(b.into())),
                    _ => Ok(Value::Bytes(Rc::from(&[][..]))),
                }
            }
            "shutdown" => {
                let how = self.index_of(&a0.unwrap_or(Value::Int(2)))?;
                self.os_call(
                    os,
                    OsCall::Shutdown {
                        fd,
                        how: how as i32,
                    },
                )?;
                Ok(Value::None)
            }
            "close" | "__exit__" => {
                if !sock.closed {
                    self.os_call(os, OsCall::Close { fd })?;
                    if let Some(Native::Socket(x)) = self.heap.inst_mut(s).map(|i| &mut i.native) {
                        x.closed = true;
                    }
                }
                Ok(if n == "__exit__" {
                    Value::Bool(false)
                } else {
                    Value::None
                })
            }
            "__enter__" => Ok(s.clone()),
            "detach" => {
                if let Some(Native::Socket(x)) = self.heap.inst_mut(s).map(|i| &mut i.native) {
                    x.closed = true;
                }
                Ok(Value::Int(if sock.closed { -1 } else { sock.fd }))
            }
            "fileno" => Ok(Value::Int(if sock.closed { -1 } else { sock.fd })),
            "getpeername" | "getsockname" => {
                let call = if n == "getpeername" {
                    OsCall::Getpeername { fd }
                } else {
                    OsCall::Getsockname { fd }
                };
                let r = self.os_call(os, call)?;
                Ok(self.addr_tuple(r))
            }
            "settimeout" | "setblocking" => {
                let t: Option<f64> = if n == "setblocking" {
                    let b = self.truthy(os, &a0.unwrap_or(Value::Bool(true)))?;
                    if b {
                        None
                    } else {
                        Some(0.0)
                    }
                } else {
                    match a0 {
                        None | Some(Value::None) => None,
                        Some(Value::Int(i)) => Some(i as f64),
                        Some(Value::Float(f)) => Some(f.0),
                        Some(Value::Bool(b)) => Some(b as i64 as f64),
                        Some(other) => {
                            let tn = self.type_name(&other);
                            return Err(self.exc_flow(
                                Ty::TypeError,
                                &format!("'{tn}' object cannot be interpreted as an integer"),
                            ));
                        }
                    }
                };
                if let Some(x) = t {
                    if x < 0.0 || !x.is_finite() {
                        return Err(self.exc_flow(Ty::ValueError, "Timeout value out of range"));
                    }
                }
                let call = if n == "setblocking" {
                    OsCall::Setblocking {
                        fd,
                        blocking: t.is_none(),
                    }
                } else {
                    OsCall::Settimeout {
                        fd,
                        timeout: t.map(|x| (x * 1e6).round() as u64),
                    }
                };
                self.os_call(os, call)?;
                if let Some(Native::Socket(x)) = self.heap.inst_mut(s).map(|i| &mut i.native) {
                    x.timeout = t.map(F);
                }
                Ok(Value::None)
            }
            "gettimeout" => Ok(match sock.timeout {
                Some(t) => Value::Float(t),
                None => Value::None,
            }),
            "getblocking" => Ok(Value::Bool(sock.timeout.is_none_or(|t| t.0 != 0.0))),
            "setsockopt" => {
                let level = self.index_of(&args[0])?;
                let opt = self.index_of(&args[1])?;
                let value = match &args[2] {
                    Value::Bytes(b) => b.first().copied().unwrap_or(0) as i64,
                    v => self.index_of(v)?,
                };
                self.os_call(
                    os,
                    OsCall::Setsockopt {
                        fd,
                        level: level as i32,
                        opt: opt as i32,
                        value,
                    },
                )?;
                Ok(Value::None)
            }
            "getsockopt" => Ok(Value::Int(0)),
            _ => {
                let sy = self.heap.intern(n);
                Err(self.attr_error(s, sy))
            }
        }
    }

    // ------------------------------------------------------------ threading

    fn thread_init(&mut self, inst: &Value, args: Vec<Value>, mut kw: Vec<(Sym, Value)>) -> R<()> {
        let mut pos = args.into_iter();
        let _group = pos.next();
        let target = take_kw(&self.heap, &mut kw, "target")
            .or_else(|| pos.next())
            .unwrap_or(Value::None);
        let name = take_kw(&self.heap, &mut kw, "name")
            .or_else(|| pos.next())
            .unwrap_or(Value::None);
        let targs = take_kw(&self.heap, &mut kw, "args").or_else(|| pos.next());
        let tkw = take_kw(&self.heap, &mut kw, "kwargs")
            .or_else(|| pos.next())
            .unwrap_or(Value::None);
        let daemon = take_kw(&self.heap, &mut kw, "daemon");
        let _group = take_kw(&self.heap, &mut kw, "group");
        if pos.next().is_some() {
            return Err(self.exc_flow(
                Ty::TypeError,
                "Thread.__init__() takes from 1 to 6 positional arguments",
            ));
        }
        self.no_kw("Thread.__init__", &kw)?;
        let targs = match targs {
            Some(a) => a,
            None => self.new_tuple(Vec::new()),
        };
        let is_process = matches!(self.heap.inst(inst).map(|i| &i.native), Some(Native::Thread(t)) if t.process.is_some());
        if is_process {
            // every Process made gets the next number (its `_identity`)
            self.process_counter += 1;
        }
        let name: Rc<str> = match name {
            Value::None if is_process => {
                // multiprocessing: `Process-N` (the class's name, for a subclass)
                let cls = self.type_of(inst);
                let cls = self.class_name(&cls).to_string();
                format!("{cls}-{}", self.process_counter).into()
            }
            Value::None => {
                self.thread_counter += 1;
                let n = self.thread_counter;
                let tname = match &target {
                    Value::None => None,
                    t => {
                        let s = self.heap.intern("__name__");
                        let mut dummy = NoOs;
                        self.getattr(&mut dummy, t, s).ok().and_then(|v| match v {
                            Value::Str(s) => Some(s),
                            _ => None,
                        })
                    }
                };
                match tname {
                    Some(t) => format!("Thread-{n} ({t})").into(),
                    None => format!("Thread-{n}").into(),
                }
            }
            v => {
                let mut dummy = NoOs;
                self.str_of(&mut dummy, &v)?
            }
        };
        let daemon = match daemon {
            None | Some(Value::None) => self.current_daemon(),
            Some(v) => {
                let mut dummy = NoOs;
                self.truthy(&mut dummy, &v)?
            }
        };
        if let Some(Native::Thread(t)) = self.heap.inst_mut(inst).map(|i| &mut i.native) {
            t.name = name;
            t.target = target;
            t.args = targs;
            t.kwargs = tkw;
            t.daemon = daemon;
        }
        Ok(())
    }

    fn current_daemon(&self) -> bool {
        let obj = self.thread().and_then(|t| t.obj.clone());
        match obj
            .as_ref()
            .and_then(|o| self.heap.inst(o))
            .map(|i| &i.native)
        {
            Some(Native::Thread(t)) => t.daemon && !t.main,
            _ => false,
        }
    }

    /// Prints a DeprecationWarning the way the `warnings` module shows it
    /// (once per source location, for code in `__main__`).
    fn deprecation(&mut self, os: &mut dyn Os, msg: &str) {
        let line = self.cur_line();
        let key = (line, Rc::<str>::from(msg));
        if self.warned.contains(&key) {
            return;
        }
        self.warned.push(key);
        let src = self
            .lines
            .get(line.saturating_sub(1) as usize)
            .map(|l| l.trim().to_string())
            .unwrap_or_default();
        let mut text = format!("{}:{line}: DeprecationWarning: {msg}\n", self.filename);
        if !src.is_empty() {
            text.push_str(&format!("  {src}\n"));
        }
        self.write(os, Stream::Stderr, &text);
    }

    fn thread_obj(&self, v: &Value) -> Option<ThreadObj> {
        match self.heap.inst(v).map(|i| &i.native) {
            Some(Native::Thread(t)) => Some((**t).clone()),
            _ => None,
        }
    }

    pub(crate) fn thread_method(
        &mut self,
        os: &mut dyn Os,
        t: &Value,
        n: &str,
        args: Vec<Value>,
        mut kw: Vec<(Sym, Value)>,
    ) -> R<Value> {
        let Some(th) = self.thread_obj(t) else {
            return Err(self.internal("not a thread"));
        };
        if th.process.is_some() && matches!(n, "start" | "join" | "is_alive") {
            return self.process_method(os, t, th, n, args, kw);
        }
        match n {
            "__init__" => {
                self.thread_init(t, args, kw)?;
                Ok(Value::None)
            }
            "start" => {
                if th.main || th.ix.is_some_and(|ix| self.thread_started.contains(&ix)) {
                    return Err(self.exc_flow(Ty::RuntimeError, "threads can only be started once"));
                }
                if th.name.is_empty() {
                    return Err(self.exc_flow(Ty::RuntimeError, "thread.__init__() not called"));
                }
                let ix = match th.ix {
                    Some(ix) => ix,
                    None => {
                        // the thread's first call: its class's run(), or the target
                        let run_sym = bi::S_RUN;
                        let cls = self.type_of(t);
                        let user_run = self.lookup_in_mro(&cls, run_sym);
                        let (callee, cargs, ckw, lib) = match user_run {
                            Some(r) => {
                                let a = self.new_tuple(vec![t.clone()]);
                                (r, a, Value::None, 1)
                            }
                            None => (th.target.clone(), th.args.clone(), th.kwargs.clone(), 2),
                        };
                        let ix = self.threads.len() as u32;
                        let ident = 140_000_000_000_000 + ix as i64 * 6_291_456;
                        let boot = if callee == Value::None {
                            None
                        } else {
                            Some((callee, cargs, ckw))
                        };
                        let empty = boot.is_none();
                        self.threads.push(PyThread {
                            frames: Vec::new(),
                            exc_stack: Vec::new(),
                            obj: Some(t.clone()),
                            boot,
                            done: empty,
                            lib_frames: lib,
                            line: 0,
                            name: th.name.clone(),
                            interrupt: false,
                            in_accept: false,
                            pending_connect: None,
                        });
                        if let Some(Native::Thread(x)) =
                            self.heap.inst_mut(t).map(|i| &mut i.native)
                        {
                            x.ix = Some(ix);
                            x.ident = ident;
                            if empty {
                                x.done = true;
                            }
                        }
                        ix
                    }
                };
                self.os_call(
                    os,
                    OsCall::StartThread {
                        thread: ix,
                        name: th.name.to_string(),
                        daemon: th.daemon,
                    },
                )?;
                self.thread_started.push(ix);
                Ok(Value::None)
            }
            "join" => {
                let timeout =
                    take_kw(&self.heap, &mut kw, "timeout").or_else(|| args.first().cloned());
                let Some(ix) = th.ix.filter(|_| !th.main) else {
                    if th.main {
                        return Err(self.exc_flow(Ty::RuntimeError, "cannot join current thread"));
                    }
                    return Err(
                        self.exc_flow(Ty::RuntimeError, "cannot join thread before it is started")
                    );
                };
                if ix as usize == self.cur {
                    return Err(self.exc_flow(Ty::RuntimeError, "cannot join current thread"));
                }
                if self.threads.get(ix as usize).is_none_or(|x| x.done) {
                    return Ok(Value::None);
                }
                let timeout = match timeout {
                    None | Some(Value::None) => None,
                    Some(Value::Int(i)) => Some((i.max(0) as u64).saturating_mul(1_000_000)),
                    Some(Value::Float(f)) => Some((f.0.max(0.0) * 1e6).round() as u64),
                    Some(other) => {
                        let tn = self.type_name(&other);
                        return Err(self.exc_flow(
                            Ty::TypeError,
                            &format!("'{tn}' object cannot be interpreted as an integer or float"),
                        ));
                    }
                };
                self.os_call(
                    os,
                    OsCall::Join {
                        thread: ix,
                        timeout,
                    },
                )?;
                Ok(Value::None)
            }
            "is_alive" => {
                let alive = th.main && !self.threads.first().is_some_and(|t| t.done)
                    || th.ix.is_some_and(|ix| {
                        self.thread_started.contains(&ix)
                            && self.threads.get(ix as usize).is_some_and(|x| !x.done)
                    });
                Ok(Value::Bool(alive))
            }
            "run" => {
                if th.target == Value::None {
                    return Ok(Value::None);
                }
                let targs = match &th.args {
                    Value::None => Vec::new(),
                    a => self.iterate(os, a)?,
                };
                self.call_sync(os, th.target.clone(), targs, Vec::new())?;
                Ok(Value::None)
            }
            "getName" => {
                self.deprecation(
                    os,
                    "getName() is deprecated, get the name attribute instead",
                );
                Ok(Value::Str(th.name))
            }
            "setName" => {
                self.deprecation(
                    os,
                    "setName() is deprecated, set the name attribute instead",
                );
                let v = args.first().cloned().unwrap_or(Value::None);
                self.set_native_attr(os, t, bi::S_SELFNAME, &v)?;
                Ok(Value::None)
            }
            "isDaemon" => {
                self.deprecation(
                    os,
                    "isDaemon() is deprecated, get the daemon attribute instead",
                );
                Ok(Value::Bool(th.daemon))
            }
            "setDaemon" => {
                self.deprecation(
                    os,
                    "setDaemon() is deprecated, set the daemon attribute instead",
                );
                let v = args.first().cloned().unwrap_or(Value::None);
                self.set_native_attr(os, t, bi::S_DAEMON, &v)?;
                Ok(Value::None)
            }
            _ => {
                let sy = self.heap.intern(n);
                Err(self.attr_error(t, sy))
            }
        }
    }

    /// `multiprocessing.Process`'s `start`, `join` and `is_alive`. Python
    /// 3.11 on Linux starts a process by forking (the default start
    /// method, `fork`): the child is a copy of this interpreter whose one
    /// thread calls the target (or the subclass's `run`).
    fn process_method(
        &mut self,
        os: &mut dyn Os,
        t: &Value,
        th: ThreadObj,
        n: &str,
        args: Vec<Value>,
        mut kw: Vec<(Sym, Value)>,
    ) -> R<Value> {
        let p = th.process.as_deref().cloned().unwrap_or_default();
        let set = |me: &mut Self, f: &dyn Fn(&mut ThreadObj)| {
            if let Some(Native::Thread(x)) = me.heap.inst_mut(t).map(|i| &mut i.native) {
                f(x);
            }
        };
        match n {
            "start" => {
                if p.pid.is_some() {
                    return Err(self.exc_flow(Ty::AssertionError, "cannot start a process twice"));
                }
                let cls = self.type_of(t);
                let user_run = self.lookup_in_mro(&cls, bi::S_RUN);
                let (callee, cargs, ckw, lib) = match user_run {
                    Some(r) => {
                        let a = self.new_tuple(vec![t.clone()]);
                        (r, a, Value::None, 11)
                    }
                    None => (th.target.clone(), th.args.clone(), th.kwargs.clone(), 12),
                };
                let ix = self.threads.len();
                let boot = (callee != Value::None).then_some((callee, cargs, ckw));
                self.threads.push(PyThread {
                    frames: Vec::new(),
                    exc_stack: Vec::new(),
                    obj: Some(t.clone()),
                    done: boot.is_none(),
                    boot,
                    lib_frames: lib,
                    line: 0,
                    name: "MainThread".into(),
                    interrupt: false,
                    in_accept: false,
                    pending_connect: None,
                });
                let mut child = self.fork_copy(ix);
                child.process_name = Some(th.name.clone());
                // The parent never runs that thread.
                if let Some(x) = self.threads.get_mut(ix) {
                    x.done = true;
                    x.boot = None;
                }
                let call = OsCall::Fork {
                    thread: ix as u32,
                    name: Some(th.name.to_string()),
                    daemon: Some(th.daemon),
                };
                let pid = match self.os_call(os, call)? {
                    OsValue::Int(pid) => pid,
                    _ => 0,
                };
                self.forked.push(child);
                // start() forgets the target and its arguments in the parent
                // (bpo-30775): they no longer keep a connection alive here.
                set(self, &|x| {
                    x.target = Value::None;
                    x.args = Value::None;
                    x.kwargs = Value::None;
                    if let Some(pr) = x.process.as_deref_mut() {
                        pr.pid = Some(pid);
                    }
                });
                Ok(Value::None)
            }
            "join" => {
                let _timeout = take_kw(&self.heap, &mut kw, "timeout").or(args.first().cloned());
                let Some(pid) = p.pid else {
                    return Err(
                        self.exc_flow(Ty::AssertionError, "can only join a started process")
                    );
                };
                if p.exitcode.is_some() {
                    return Ok(Value::None);
                }
                let call = OsCall::Waitpid {
                    pid,
                    block: true,
                    name: Some(th.name.to_string()),
                };
                if let OsValue::Int(code) = self.os_call(os, call)? {
                    set(self, &|x| {
                        if let Some(pr) = x.process.as_deref_mut() {
                            pr.exitcode = Some(code);
                        }
                    });
                }
                Ok(Value::None)
            }
            _ => {
                // is_alive
                let Some(pid) = p.pid.filter(|_| p.exitcode.is_none()) else {
                    return Ok(Value::Bool(false));
                };
                let call = OsCall::Waitpid {
                    pid,
                    block: false,
                    name: None,
                };
                match self.os_call(os, call)? {
                    OsValue::Int(code) => {
                        set(self, &|x| {
                            if let Some(pr) = x.process.as_deref_mut() {
                                pr.exitcode = Some(code);
                            }
                        });
                        Ok(Value::Bool(false))
                    }
                    _ => Ok(Value::Bool(true)),
                }
            }
        }
    }

    /// The threading.Thread object of the running thread.
    fn current_thread_obj(&mut self) -> Value {
        if let Some(o) = self.thread().and_then(|t| t.obj.clone()) {
            return o;
        }
        let o = Value::Ref(self.heap.alloc(Obj::Inst(Box::new(Inst {
            class: Value::Type(Ty::Thread),
            attrs: Vec::new(),
            native: Native::Thread(Box::new(ThreadObj {
                name: "MainThread".into(),
                daemon: false,
                target: Value::None,
                args: Value::None,
                kwargs: Value::None,
                ix: Some(self.cur as u32),
                done: false,
                main: true,
                ident: 140_000_000_000_000 - 4096,
                process: None,
            })),
        }))));
        if let Some(t) = self.thread_mut() {
            t.obj = Some(o.clone());
        }
        o
    }

    pub(crate) fn lock_method(
        &mut self,
        os: &mut dyn Os,
        l: &Value,
        n: &str,
        args: Vec<Value>,
        mut kw: Vec<(Sym, Value)>,
    ) -> R<Value> {
        let (locked, owner, count, reentrant) = match self.heap.inst(l).map(|i| &i.native) {
            Some(Native::Lock {
                locked,
                owner,
                count,
                reentrant,
            }) => (*locked, *owner, *count, *reentrant),
            _ => return Err(self.internal("not a lock")),
        };
        let me = self.cur as u32;
        let set = |s: &mut Self, lk: bool, ow: Option<u32>, c: u32| {
            if let Some(Native::Lock {
                locked,
                owner,
                count,
                ..
            }) = s.heap.inst_mut(l).map(|i| &mut i.native)
            {
                *locked = lk;
                *owner = ow;
                *count = c;
            }
        };
        match n {
            "acquire" | "acquire_lock" | "__enter__" => {
                let blocking =
                    take_kw(&self.heap, &mut kw, "blocking").or_else(|| args.first().cloned());
                let timeout =
                    take_kw(&self.heap, &mut kw, "timeout").or_else(|| args.get(1).cloned());
                let blocking = match blocking {
                    Some(b) => self.truthy(os, &b)?,
                    None => true,
                };
                let zero_timeout = matches!(timeout, Some(Value::Int(0)))
                    || matches!(timeout, Some(Value::Float(f)) if f.0 == 0.0);
                if !locked {
                    set(self, true, Some(me), 1);
                    return Ok(Value::Bool(true));
                }
                if reentrant && owner == Some(me) {
                    set(self, true, Some(me), count + 1);
                    return Ok(Value::Bool(true));
                }
                if !blocking || zero_timeout {
                    return Ok(Value::Bool(false));
                }
                Err(Flow::Block(Blocker::Lock))
            }
            "release" | "release_lock" | "__exit__" => {
                if !locked {
                    return Err(self.exc_flow(
                        Ty::RuntimeError,
                        if reentrant {
                            "cannot release un-acquired lock"
                        } else {
                            "release unlocked lock"
                        },
                    ));
                }
                if reentrant {
                    if owner != Some(me) {
                        return Err(
                            self.exc_flow(Ty::RuntimeError, "cannot release un-acquired lock")
                        );
                    }
                    if count > 1 {
                        set(self, true, Some(me), count - 1);
                        return Ok(if n == "__exit__" {
                            Value::Bool(false)
                        } else {
                            Value::None
                        });
                    }
                }
                set(self, false, None, 0);
                Ok(if n == "__exit__" {
                    Value::Bool(false)
                } else {
                    Value::None
                })
            }
            "locked" => Ok(Value::Bool(locked)),
            _ => {
                let sy = self.heap.intern(n);
                Err(self.attr_error(l, sy))
            }
        }
    }

    pub(crate) fn event_method(
        &mut self,
        _os: &mut dyn Os,
        e: &Value,
        n: &str,
        _args: Vec<Value>,
        _kw: Vec<(Sym, Value)>,
    ) -> R<Value> {
        let flag = matches!(
            self.heap.inst(e).map(|i| &i.native),
            Some(Native::Event(true))
        );
        let set = |s: &mut Self, v: bool| {
            if let Some(Native::Event(f)) = s.heap.inst_mut(e).map(|i| &mut i.native) {
                *f = v;
            }
        };
        match n {
            "set" => {
                set(self, true);
                Ok(Value::None)
            }
            "clear" => {
                set(self, false);
                Ok(Value::None)
            }
            "is_set" | "isSet" => Ok(Value::Bool(flag)),
            "wait" => {
                if flag {
                    Ok(Value::Bool(true))
                } else {
                    Err(Flow::Block(Blocker::Lock))
                }
            }
            _ => {
                let sy = self.heap.intern(n);
                Err(self.attr_error(e, sy))
            }
        }
    }

    // ------------------------------------------------------------ files and streams

    pub(crate) fn open(
        &mut self,
        os: &mut dyn Os,
        args: Vec<Value>,
        mut kw: Vec<(Sym, Value)>,
    ) -> R<Value> {
        let file = take_kw(&self.heap, &mut kw, "file").or_else(|| args.first().cloned());
        let mode = take_kw(&self.heap, &mut kw, "mode").or_else(|| args.get(1).cloned());
        let _buffering = take_kw(&self.heap, &mut kw, "buffering").or_else(|| args.get(2).cloned());
        let encoding = take_kw(&self.heap, &mut kw, "encoding").or_else(|| args.get(3).cloned());
        let errors = take_kw(&self.heap, &mut kw, "errors").or_else(|| args.get(4).cloned());
        let _newline = take_kw(&self.heap, &mut kw, "newline");
        self.no_kw("open", &kw)?;
        let path = match file {
            Some(Value::Str(s)) => s,
            Some(other) => {
                let n = self.type_name(&other);
                return Err(self.exc_flow(
                    Ty::TypeError,
                    &format!("expected str, bytes or os.PathLike object, not {n}"),
                ));
            }
            None => {
                return Err(self.exc_flow(
                    Ty::TypeError,
                    "open() missing required argument 'file' (pos 1)",
                ))
            }
        };
        let mode: Rc<str> = match mode {
            Some(Value::Str(m)) => m,
            None => "r".into(),
            Some(other) => {
                let n = self.type_name(&other);
                return Err(self.exc_flow(
                    Ty::TypeError,
                    &format!("open() argument 'mode' must be str, not {n}"),
                ));
            }
        };
        if !mode.chars().all(|c| "rwxabt+U".contains(c)) || mode.is_empty() {
            return Err(self.exc_flow(Ty::ValueError, &format!("invalid mode: '{mode}'")));
        }
        let binary = mode.contains('b');
        if binary && encoding.is_some() {
            return Err(self.exc_flow(
                Ty::ValueError,
                "binary mode doesn't take an encoding argument",
            ));
        }
        if mode.contains(['w', 'a', 'x', '+']) {
            let e = self.new_exc_args(
                Ty::OSError,
                vec![
                    Value::Int(30),
                    Value::str("Read-only file system"),
                    Value::Str(path),
                ],
            );
            return Err(Flow::Exc(e));
        }
        let data = match self.os_call(
            os,
            OsCall::Open {
                path: path.to_string(),
                mode: mode.to_string(),
            },
        ) {
            Ok(OsValue::Bytes(b)) => b,
            Ok(OsValue::Str(s)) => s.into_bytes(),
            Ok(_) => Vec::new(),
            Err(Flow::Exc(e)) => {
                // the file name is part of the message: [Errno 2] No such file or directory: 'x'
                if let Some(x) = self.heap.exc_mut(&e) {
                    if x.args.len() == 2 {
                        x.args.push(Value::Str(path.clone()));
                    }
                }
                return Err(Flow::Exc(e));
            }
            Err(other) => return Err(other),
        };
        let enc: Rc<str> = match &encoding {
            Some(Value::Str(e)) => e.clone(),
            _ => "UTF-8".into(),
        };
        let text = if binary {
            None
        } else {
            let errors = match errors {
                Some(Value::Str(e)) => e.to_string(),
                _ => "strict".into(),
            };
            let t = self.decode_bytes(&data, &enc, &errors)?;
            Some(Rc::from(t.replace("\r\n", "\n").replace('\r', "\n")))
        };
        Ok(Value::Ref(self.heap.alloc(Obj::Inst(Box::new(Inst {
            class: Value::Type(if binary { Ty::BinFile } else { Ty::TextFile }),
            attrs: Vec::new(),
            native: Native::File(Box::new(FileObj {
                name: path,
                mode,
                data: data.into(),
                text,
                pos: 0,
                closed: false,
                encoding: enc,
            })),
        })))))
    }

    fn file(&self, v: &Value) -> Option<FileObj> {
        match self.heap.inst(v).map(|i| &i.native) {
            Some(Native::File(f)) => Some((**f).clone()),
            _ => None,
        }
    }

    fn set_pos(&mut self, v: &Value, pos: usize) {
        if let Some(Native::File(f)) = self.heap.inst_mut(v).map(|i| &mut i.native) {
            f.pos = pos;
        }
    }

    /// The next line of a file (for iteration).
    pub(crate) fn file_next_line(&mut self, v: &Value) -> R<Option<Value>> {
        let Some(f) = self.file(v) else {
            return Ok(None);
        };
        if f.closed {
            return Err(self.exc_flow(Ty::ValueError, "I/O operation on closed file."));
        }
        let (line, newpos) = match &f.text {
            Some(t) => {
                let rest = t.get(f.pos..).unwrap_or("");
                if rest.is_empty() {
                    return Ok(None);
                }
                let end = rest.find('\n').map(|p| p + 1).unwrap_or(rest.len());
                (Value::str(rest.get(..end).unwrap_or("")), f.pos + end)
            }
            None => {
                let rest = f.data.get(f.pos..).unwrap_or(&[]);
                if rest.is_empty() {
                    return Ok(None);
                }
                let end = rest
                    .iter()
                    .position(|&b| b == b'\n')
                    .map(|p| p + 1)
                    .unwrap_or(rest.len());
                (
                    Value::Bytes(rest.get(..end).unwrap_or(&[]).into()),
                    f.pos + end,
                )
            }
        };
        self.set_pos(v, newpos);
        Ok(Some(line))
    }

    pub(crate) fn file_method(
        &mut self,
        os: &mut dyn Os,
        v: &Value,
        n: &str,
        args: Vec<Value>,
        _kw: Vec<(Sym, Value)>,
    ) -> R<Value> {
        let Some(f) = self.file(v) else {
            return Err(self.internal("not a file"));
        };
        if f.closed && !matches!(n, "close" | "__exit__") {
            return Err(self.exc_flow(Ty::ValueError, "I/O operation on closed file."));
        }
        match n {
            "read" => {
                let size = match args.first() {
                    None | Some(Value::None) => -1,
                    Some(x) => self.index_of(x)?,
                };
                match &f.text {
                    Some(t) => {
                        let rest = t.get(f.pos..).unwrap_or("");
                        let end = if size < 0 {
                            rest.len()
                        } else {
                            rest.char_indices()
                                .nth(size as usize)
                                .map(|(i, _)| i)
                                .unwrap_or(rest.len())
                        };
                        self.set_pos(v, f.pos + end);
                        Ok(Value::str(rest.get(..end).unwrap_or("")))
                    }
                    None => {
                        let rest = f.data.get(f.pos..).unwrap_or(&[]);
                        let end = if size < 0 {
                            rest.len()
                        } else {
                            (size as usize).min(rest.len())
                        };
                        self.set_pos(v, f.pos + end);
                        Ok(Value::Bytes(rest.get(..end).unwrap_or(&[]).into()))
                    }
                }
            }
            "readline" | "__next__" => match self.file_next_line(v)? {
                Some(l) => Ok(l),
                None => {
                    if n == "__next__" {
                        let e = self.new_exc_args(Ty::StopIteration, Vec::new());
                        return Err(Flow::Exc(e));
                    }
                    Ok(if f.text.is_some() {
                        Value::str("")
                    } else {
                        Value::Bytes(Rc::from(&[][..]))
                    })
                }
            },
            "readlines" => {
                let mut out = Vec::new();
                while let Some(l) = self.file_next_line(v)? {
                    out.push(l);
                }
                Ok(Value::Ref(self.heap.alloc(Obj::List(out))))
            }
            "close" | "__exit__" => {
                if let Some(Native::File(x)) = self.heap.inst_mut(v).map(|i| &mut i.native) {
                    x.closed = true;
                }
                Ok(if n == "__exit__" {
                    Value::Bool(false)
                } else {
                    Value::None
                })
            }
            "__enter__" | "__iter__" => Ok(v.clone()),
            "readable" | "seekable" => Ok(Value::Bool(true)),
            "writable" => Ok(Value::Bool(false)),
            "fileno" => Ok(Value::Int(3)),
            _ => {
                let _ = os;
                let sy = self.heap.intern(n);
                Err(self.attr_error(v, sy))
            }
        }
    }

    pub(crate) fn stream_method(
        &mut self,
        os: &mut dyn Os,
        v: &Value,
        n: &str,
        args: Vec<Value>,
    ) -> R<Value> {
        let which = match self.heap.inst(v).map(|i| &i.native) {
            Some(Native::Stream(s)) => *s,
            _ => 1,
        };
        match n {
            "write" => {
                self.nargs("write", &args, 1, 1)?;
                let s = match args.first() {
                    Some(Value::Str(s)) => s.clone(),
                    Some(other) => {
                        let t = self.type_name(other);
                        return Err(self.exc_flow(
                            Ty::TypeError,
                            &format!("write() argument must be str, not {t}"),
                        ));
                    }
                    None => Rc::from(""),
                };
                let stream = if which == 2 {
                    Stream::Stderr
                } else {
                    Stream::Stdout
                };
                if !s.is_empty() {
                    self.os_call(
                        os,
                        OsCall::Write {
                            stream,
                            text: s.to_string(),
                        },
                    )?;
                }
                Ok(Value::Int(s.chars().count() as i64))
            }
            "flush" => Ok(Value::None),
            "fileno" => Ok(Value::Int(which as i64)),
            "isatty" => Ok(Value::Bool(false)),
            "readline" => match self.os_call(
                os,
                OsCall::Input {
                    prompt: String::new(),
                },
            ) {
                Ok(OsValue::Str(s)) => Ok(Value::Str(format!("{s}\n").into())),
                Ok(_) => Ok(Value::str("")),
                Err(Flow::Exc(e)) if self.exc_is(&e, Ty::EOFError) => Ok(Value::str("")),
                Err(e) => Err(e),
            },
            _ => {
                let sy = self.heap.intern(n);
                Err(self.attr_error(v, sy))
            }
        }
    }

    // ------------------------------------------------------------ module functions

    pub(crate) fn call_module_fn(
        &mut self,
        os: &mut dyn Os,
        f: Bf,
        args: Vec<Value>,
        kw: Vec<(Sym, Value)>,
    ) -> R<Value> {
        if f == Bf::SockCreateConnection {
            return self.create_connection(os, args, kw);
        }
        if f == Bf::SelectSelect {
            return self.select_select(os, args, kw);
        }
        if matches!(f, Bf::HttpParseRequest | Bf::HttpServeStatic | Bf::HttpDate) {
            self.no_kw(f.name(), &kw)?;
            return self.httpmsg_fn(os, f, args);
        }
        let a0 = args.first().cloned();
        self.no_kw(f.name(), &kw)?;
        match f {
            Bf::TimeSleep => {
                self.nargs("sleep", &args, 1, 1)?;
                let secs = match a0 {
                    Some(Value::Int(i)) => i as f64,
                    Some(Value::Bool(b)) => b as i64 as f64,
                    Some(Value::Float(x)) => x.0,
                    Some(other) => {
                        let n = self.type_name(&other);
                        return Err(self.exc_flow(
                            Ty::TypeError,
                            &format!("'{n}' object cannot be interpreted as an integer"),
                        ));
                    }
                    None => 0.0,
                };
                if secs < 0.0 {
                    return Err(self.exc_flow(Ty::ValueError, "sleep length must be non-negative"));
                }
                if !secs.is_finite() {
                    return Err(self.exc_flow(
                        Ty::OverflowError,
                        "timestamp too large to convert to C _PyTime_t",
                    ));
                }
                self.os_call(
                    os,
                    OsCall::Sleep {
                        micros: (secs * 1e6).round() as u64,
                    },
                )?;
                Ok(Value::None)
            }
            Bf::TimeTime
            | Bf::TimeMonotonic
            | Bf::TimePerfCounter
            | Bf::TimeCtime
            | Bf::TimeStrftime => {
                let micros = match self.os_call(os, OsCall::Monotonic)? {
                    OsValue::Int(m) => m,
                    _ => 0,
                };
                let secs = micros as f64 / 1e6;
                match f {
                    Bf::TimeTime => Ok(Value::float(EPOCH_OFFSET + secs)),
                    Bf::TimeMonotonic | Bf::TimePerfCounter => Ok(Value::float(secs)),
                    Bf::TimeCtime => {
                        let t = match a0 {
                            Some(Value::Int(i)) => i as f64,
                            Some(Value::Float(x)) => x.0,
                            _ => EPOCH_OFFSET + secs,
                        };
                        Ok(Value::Str(ctime(t).into()))
                    }
                    _ => {
                        let fmt = match a0 {
                            Some(Value::Str(s)) => s,
                            _ => {
                                return Err(self
                                    .exc_flow(Ty::TypeError, "strftime() argument 1 must be str"))
                            }
                        };
                        Ok(Value::Str(strftime(&fmt, EPOCH_OFFSET + secs).into()))
                    }
                }
            }
            Bf::SysGetRecursionLimit => Ok(Value::Int(super::vm::RECURSION_LIMIT as i64)),
            Bf::SysIntern => Ok(a0.unwrap_or(Value::None)),
            Bf::OsGetpid => match self.os_call(os, OsCall::Getpid)? {
                OsValue::Int(p) => Ok(Value::Int(p)),
                _ => Ok(Value::Int(1000)),
            },
            Bf::OsGetppid => match self.os_call(os, OsCall::Getppid)? {
                OsValue::Int(p) => Ok(Value::Int(p)),
                _ => Ok(Value::Int(1)),
            },
            Bf::OsFork => {
                if self.fork_child {
                    // the child's side of the call: it returns 0
                    self.fork_child = false;
                    return Ok(Value::Int(0));
                }
                let mut child = self.fork_copy(self.cur);
                child.fork_child = true;
                let call = OsCall::Fork {
                    thread: self.cur as u32,
                    name: None,
                    daemon: None,
                };
                let pid = match self.os_call(os, call)? {
                    OsValue::Int(pid) => pid,
                    _ => 0,
                };
                self.forked.push(child);
                Ok(Value::Int(pid))
            }
            Bf::OsWaitpid => {
                let pid = match a0 {
                    Some(v) => self.index_of(&v)?,
                    None => {
                        return Err(
                            self.exc_flow(Ty::TypeError, "waitpid expected 2 arguments, got 0")
                        )
                    }
                };
                let options = match args.get(1) {
                    Some(v) => self.index_of(v)?,
                    None => {
                        return Err(
                            self.exc_flow(Ty::TypeError, "waitpid expected 2 arguments, got 1")
                        )
                    }
                };
                let call = OsCall::Waitpid {
                    pid,
                    block: options & 1 == 0,
                    name: None,
                };
                let (pid, status) = match self.os_call(os, call)? {
                    OsValue::Int(code) => (pid, (code & 0xff) << 8),
                    _ => (0, 0),
                };
                Ok(self.new_tuple(vec![Value::Int(pid), Value::Int(status)]))
            }
            Bf::OsWexitstatus | Bf::OsWifexited => {
                let status = match a0 {
                    Some(v) => self.index_of(&v)?,
                    None => 0,
                };
                Ok(if f == Bf::OsWexitstatus {
                    Value::Int((status >> 8) & 0xff)
                } else {
                    Value::Bool(status & 0x7f == 0)
                })
            }
            Bf::OsExit => {
                let code = match a0 {
                    Some(v) => self.index_of(&v)?,
                    None => 0,
                };
                self.os_call(os, OsCall::Exit { code: code as i32 })?;
                self.exit_code = Some(code as i32);
                let e = self.new_exc_args(Ty::SystemExit, vec![Value::Int(code)]);
                Err(Flow::Exc(e))
            }
            Bf::OsGetcwd => Ok(Value::str(CWD)),
            Bf::PathJoin
            | Bf::PathBasename
            | Bf::PathDirname
            | Bf::PathSplit
            | Bf::PathSplitext
            | Bf::PathAbspath => {
                let mut parts = Vec::new();
                for a in &args {
                    match a {
                        Value::Str(s) => parts.push(s.to_string()),
                        other => {
                            let t = self.type_name(other);
                            return Err(self.exc_flow(
                                Ty::TypeError,
                                &format!("expected str, bytes or os.PathLike object, not {t}"),
                            ));
                        }
                    }
                }
                let first = parts.first().cloned().unwrap_or_default();
                let (head, tail) = match first.rfind('/') {
                    Some(i) => (
                        first.get(..i + 1).unwrap_or(""),
                        first.get(i + 1..).unwrap_or(""),
                    ),
                    None => ("", first.as_str()),
                };
                let head_trim = if head.chars().all(|c| c == '/') {
                    head.to_string()
                } else {
                    head.trim_end_matches('/').to_string()
                };
                Ok(match f {
                    Bf::PathJoin => {
                        let mut out = String::new();
                        for p in &parts {
                            if p.starts_with('/') {
                                out = p.clone();
                            } else if out.is_empty() || out.ends_with('/') {
                                out.push_str(p);
                            } else {
                                out.push('/');
                                out.push_str(p);
                            }
                        }
                        Value::Str(out.into())
                    }
                    Bf::PathBasename => Value::str(tail),
                    Bf::PathDirname => Value::Str(head_trim.into()),
                    Bf::PathSplit => {
                        let items = vec![Value::Str(head_trim.into()), Value::str(tail)];
                        self.new_tuple(items)
                    }
                    Bf::PathSplitext => {
                        let dot = tail.rfind('.').filter(|&i| {
                            tail.get(..i).is_some_and(|s| !s.chars().all(|c| c == '.'))
                        });
                        let (root, ext) = match dot {
                            Some(i) => (
                                format!("{head}{}", tail.get(..i).unwrap_or("")),
                                tail.get(i..).unwrap_or("").to_string(),
                            ),
                            None => (first.clone(), String::new()),
                        };
                        let items = vec![Value::Str(root.into()), Value::Str(ext.into())];
                        self.new_tuple(items)
                    }
                    _ => {
                        let full = if first.starts_with('/') {
                            first.clone()
                        } else {
                            format!("{CWD}/{first}")
                        };
                        let mut stack: Vec<&str> = Vec::new();
                        for seg in full.split('/') {
                            match seg {
                                "" | "." => {}
                                ".." => {
                                    stack.pop();
                                }
                                s => stack.push(s),
                            }
                        }
                        Value::Str(format!("/{}", stack.join("/")).into())
                    }
                })
            }
            Bf::PathExists | Bf::PathIsfile | Bf::PathIsdir | Bf::PathGetsize => {
                let path = match a0 {
                    Some(Value::Str(s)) => s.to_string(),
                    Some(other) => {
                        let t = self.type_name(&other);
                        return Err(self.exc_flow(
                            Ty::TypeError,
                            &format!("stat: path should be string, bytes, os.PathLike or integer, not {t}"),
                        ));
                    }
                    None => String::new(),
                };
                // the host's files answer: a file, a directory (EISDIR), or nothing
                let r = self.os_call(
                    os,
                    OsCall::Open {
                        path: path.clone(),
                        mode: "rb".into(),
                    },
                );
                let (file, dir, size) = match r {
                    Ok(OsValue::Bytes(b)) => (true, false, b.len()),
                    Ok(OsValue::Str(s)) => (true, false, s.len()),
                    Ok(_) => (true, false, 0),
                    Err(Flow::Exc(e)) => (false, self.exc_is(&e, Ty::IsADirectoryError), 0),
                    Err(other) => return Err(other),
                };
                Ok(match f {
                    Bf::PathExists => Value::Bool(file || dir),
                    Bf::PathIsfile => Value::Bool(file),
                    Bf::PathIsdir => Value::Bool(dir),
                    _ => {
                        if !file && !dir {
                            let e = self.new_exc_args(
                                Ty::FileNotFoundError,
                                vec![
                                    Value::Int(2),
                                    Value::str("No such file or directory"),
                                    Value::Str(path.into()),
                                ],
                            );
                            return Err(Flow::Exc(e));
                        }
                        Value::Int(size as i64)
                    }
                })
            }
            Bf::SockGethostbyname => {
                let name = match a0 {
                    Some(Value::Str(s)) => s.to_string(),
                    Some(other) => {
                        let n = self.type_name(&other);
                        return Err(self.exc_flow(
                            Ty::TypeError,
                            &format!("gethostbyname() argument 1 must be str, bytes or bytearray, not {n}"),
                        ));
                    }
                    None => {
                        return Err(self.exc_flow(
                            Ty::TypeError,
                            "gethostbyname() takes exactly one argument (0 given)",
                        ))
                    }
                };
                match self.os_call(os, OsCall::GetHostByName { name })? {
                    OsValue::Str(ip) => Ok(Value::Str(ip.into())),
                    _ => Ok(Value::str("0.0.0.0")),
                }
            }
            Bf::SockGethostname => Ok(Value::str("localhost")),
            Bf::ThCurrentThread => Ok(self.current_thread_obj()),
            Bf::ThMainThread => {
                let saved = self.cur;
                self.cur = 0;
                let o = self.current_thread_obj();
                self.cur = saved;
                Ok(o)
            }
            Bf::ThActiveCount => {
                let n = self
                    .threads
                    .iter()
                    .enumerate()
                    .filter(|(i, t)| {
                        !t.done && (*i == 0 || self.thread_started.contains(&(*i as u32)))
                    })
                    .count();
                Ok(Value::Int(n as i64))
            }
            Bf::ThEnumerate => {
                let saved = self.cur;
                let mut out = Vec::new();
                for i in 0..self.threads.len() {
                    let alive = self.threads.get(i).is_some_and(|t| !t.done)
                        && (i == 0 || self.thread_started.contains(&(i as u32)));
                    if alive {
                        self.cur = i;
                        out.push(self.current_thread_obj());
                    }
                }
                self.cur = saved;
                Ok(Value::Ref(self.heap.alloc(Obj::List(out))))
            }
            Bf::ThGetIdent => {
                let o = self.current_thread_obj();
                let ident = match self.heap.inst(&o).map(|i| &i.native) {
                    Some(Native::Thread(t)) => t.ident,
                    _ => 0,
                };
                Ok(Value::Int(ident))
            }
            Bf::ThLock | Bf::ThRLock => {
                Ok(Value::Ref(self.heap.alloc(Obj::Inst(Box::new(Inst {
                    class: Value::Type(if f == Bf::ThLock { Ty::Lock } else { Ty::RLock }),
                    attrs: Vec::new(),
                    native: Native::Lock {
                        locked: false,
                        owner: None,
                        count: 0,
                        reentrant: f == Bf::ThRLock,
                    },
                })))))
            }
            Bf::RandSeed => {
                let s = match a0 {
                    Some(v) => self.hash(os, &v)? as u64,
                    None => 0,
                };
                self.rng = s ^ 0x9E37_79B9_7F4A_7C15;
                Ok(Value::None)
            }
            Bf::RandRandom => Ok(Value::float(self.rand_f64())),
            Bf::RandUniform => {
                let a = self.num_arg(args.first())?;
                let b = self.num_arg(args.get(1))?;
                Ok(Value::float(a + (b - a) * self.rand_f64()))
            }
            Bf::RandRandint | Bf::RandRandrange => {
                let (lo, hi) = if f == Bf::RandRandint {
                    self.nargs("randint", &args, 2, 2)?;
                    (self.index_of(&args[0])?, self.index_of(&args[1])?)
                } else {
                    match args.len() {
                        1 => (0, self.index_of(&args[0])?.saturating_sub(1)),
                        _ => (
                            self.index_of(args.first().unwrap_or(&Value::Int(0)))?,
                            self.index_of(args.get(1).unwrap_or(&Value::Int(1)))?
                                .saturating_sub(1),
                        ),
                    }
                };
                if hi < lo {
                    return Err(self.exc_flow(
                        Ty::ValueError,
                        &format!(
                            "empty range for randrange() ({lo}, {}, {})",
                            i128_text(hi as i128 + 1),
                            i128_text(hi as i128 + 1 - lo as i128)
                        ),
                    ));
                }
                let span = (hi as i128 - lo as i128 + 1) as u128;
                let r = (self.rand_u64() as u128) % span;
                Ok(Value::Int((lo as i128 + r as i128) as i64))
            }
            Bf::RandChoice => {
                let items = self.iterate(os, &a0.unwrap_or(Value::None))?;
                if items.is_empty() {
                    return Err(
                        self.exc_flow(Ty::IndexError, "Cannot choose from an empty sequence")
                    );
                }
                let i = (self.rand_u64() % items.len() as u64) as usize;
                Ok(items.get(i).cloned().unwrap_or(Value::None))
            }
            Bf::RandShuffle => {
                let l = a0.unwrap_or(Value::None);
                let Value::Ref(li) = l else {
                    return Ok(Value::None);
                };
                let n = match self.heap.get(li) {
                    Some(Obj::List(v)) => v.len(),
                    _ => 0,
                };
                for i in (1..n).rev() {
                    let j = (self.rand_u64() % (i as u64 + 1)) as usize;
                    if let Some(Obj::List(v)) = self.heap.get_mut(li) {
                        v.swap(i, j);
                    }
                }
                Ok(Value::None)
            }
            _ => Err(self.exc_flow(
                Ty::NotImplementedError,
                &format!("{} is not available", f.name()),
            )),
        }
    }

    /// `socket.create_connection((host, port), timeout=None)`: resolve,
    /// make a socket, connect. Blocked in connect, the socket is kept for
    /// the repeated call; on failure it is closed and the error shows
    /// socket.py's frames, as CPython's traceback does.
    fn create_connection(
        &mut self,
        os: &mut dyn Os,
        args: Vec<Value>,
        mut kw: Vec<(Sym, Value)>,
    ) -> R<Value> {
        let addr = take_kw(&self.heap, &mut kw, "address").or_else(|| args.first().cloned());
        let timeout = take_kw(&self.heap, &mut kw, "timeout").or_else(|| args.get(1).cloned());
        let _ = take_kw(&self.heap, &mut kw, "source_address");
        self.no_kw("create_connection", &kw)?;
        let (host, port) = self.address(&addr.unwrap_or(Value::None), "create_connection")?;
        let lib = |s: &mut Self, e: &Value, entries: &[(u32, &'static str, &'static str)]| {
            if let Some(x) = s.heap.exc_mut(e) {
                for &(line, text, carets) in entries {
                    x.tb.push(TbEntry::Lib {
                        file: super::exc::SOCKET_PY,
                        line,
                        name: if line > 900 {
                            "getaddrinfo"
                        } else {
                            "create_connection"
                        },
                        text,
                        carets,
                    });
                }
            }
        };
        let pending = self
            .thread()
            .and_then(|t| t.pending_connect.clone())
            .filter(|(_, h, p)| *h == host && *p == port);
        let fd = match pending {
            Some((fd, _, _)) => fd,
            None => {
                let ip = if host.is_empty()
                    || host.split('.').count() == 4
                        && host.split('.').all(|p| p.parse::<u8>().is_ok())
                {
                    host.clone()
                } else {
                    match self.os_call(os, OsCall::GetHostByName { name: host.clone() }) {
                        Ok(OsValue::Str(ip)) => ip,
                        Ok(_) => host.clone(),
                        Err(Flow::Exc(e)) => {
                            lib(self, &e, &[
                                (962, "for res in _socket.getaddrinfo(host, port, family, type, proto, flags):", "               ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^"),
                                (827, "for res in getaddrinfo(host, port, 0, SOCK_STREAM):", "               ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^"),
                            ]);
                            return Err(Flow::Exc(e));
                        }
                        Err(other) => return Err(other),
                    }
                };
                let fd = match self.os_call(os, OsCall::Socket { family: 2, kind: 1 })? {
                    OsValue::Int(fd) => fd,
                    _ => return Err(self.internal("socket() answered no fd")),
                };
                if let Some(t) = timeout.as_ref().filter(|t| **t != Value::None) {
                    let secs = match t {
                        Value::Int(i) => *i as f64,
                        Value::Float(f) => f.0,
                        _ => 0.0,
                    };
                    self.os_call(
                        os,
                        OsCall::Settimeout {
                            fd: fd as i32,
                            timeout: Some((secs.max(0.0) * 1e6).round() as u64),
                        },
                    )?;
                }
                if let Some(t) = self.thread_mut() {
                    t.pending_connect = Some((fd, host.clone(), port));
                }
                let _ = ip;
                fd
            }
        };
        let ip = self
            .thread()
            .and_then(|t| t.pending_connect.as_ref().map(|(_, h, _)| h.clone()))
            .unwrap_or(host);
        match self.os_call(
            os,
            OsCall::Connect {
                fd: fd as i32,
                host: ip,
                port,
            },
        ) {
            Ok(_) => {
                if let Some(t) = self.thread_mut() {
                    t.pending_connect = None;
                }
                let s = self.socket_obj(fd, 2, 1);
                let secs = match timeout {
                    Some(Value::Float(f)) => Some(f),
                    Some(Value::Int(i)) => Some(F(i as f64)),
                    _ => None,
                };
                if let Some(Native::Socket(x)) = self.heap.inst_mut(&s).map(|i| &mut i.native) {
                    x.timeout = secs;
                }
                Ok(s)
            }
            Err(Flow::Exc(e)) => {
                if let Some(t) = self.thread_mut() {
                    t.pending_connect = None;
                }
                let _ = self.os_call(os, OsCall::Close { fd: fd as i32 });
                lib(
                    self,
                    &e,
                    &[
                        (836, "sock.connect(sa)", ""),
                        (851, "raise exceptions[0]", ""),
                    ],
                );
                Err(Flow::Exc(e))
            }
            Err(other) => Err(other),
        }
    }

    fn num_arg(&mut self, v: Option<&Value>) -> R<f64> {
        match v {
            Some(Value::Int(i)) => Ok(*i as f64),
            Some(Value::Float(f)) => Ok(f.0),
            Some(Value::Bool(b)) => Ok(*b as i64 as f64),
            _ => Err(self.exc_flow(Ty::TypeError, "must be real number")),
        }
    }

    /// splitmix64: `random` is seeded and reproducible (its numbers are
    /// not CPython's Mersenne Twister's).
    fn rand_u64(&mut self) -> u64 {
        self.rng = self.rng.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.rng;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    fn rand_f64(&mut self) -> f64 {
        (self.rand_u64() >> 11) as f64 / (1u64 << 53) as f64
    }
}

/// An i128 in decimal without `i128`'s `Display` (1.5 KB in the bundle).
fn i128_text(n: i128) -> String {
    if let Ok(small) = i64::try_from(n) {
        return small.to_string();
    }
    let mut u = n.unsigned_abs();
    let mut digits = Vec::new();
    while u > 0 {
        digits.push(b'0' + (u % 10) as u8);
        u /= 10;
    }
    if n < 0 {
        digits.push(b'-');
    }
    digits.iter().rev().map(|&b| char::from(b)).collect()
}

/// An `Os` for calls that must not reach the host (naming a thread).
struct NoOs;
impl Os for NoOs {
    fn call(&mut self, _t: u32, _l: u32, _c: OsCall) -> super::os::OsReply {
        super::os::OsReply::Failed(OsErr::Errno(1))
    }
}

/// Civil date from days since 1970-01-01 (Howard Hinnant's algorithm).
fn civil(days: i64) -> (i64, u32, u32) {
    let z = days + 719468;
    let era = z.div_euclid(146097);
    let doe = z.rem_euclid(146097);
    let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    (if m <= 2 { y + 1 } else { y }, m, d)
}

fn parts(t: f64) -> (i64, u32, u32, i64, i64, i64, i64) {
    let secs = t.floor() as i64;
    let days = secs.div_euclid(86400);
    let rem = secs.rem_euclid(86400);
    let (y, m, d) = civil(days);
    let wday = (days + 3).rem_euclid(7); // 0 = Monday
    (y, m, d, rem / 3600, rem % 3600 / 60, rem % 60, wday)
}

const DAYS: [&str; 7] = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"];
const MONTHS: [&str; 12] = [
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
];

fn ctime(t: f64) -> String {
    let (y, m, d, hh, mm, ss, wd) = parts(t);
    format!(
        "{} {} {:2} {:02}:{:02}:{:02} {}",
        DAYS.get(wd as usize).unwrap_or(&"Mon"),
        MONTHS.get(m as usize - 1).unwrap_or(&"Jan"),
        d,
        hh,
        mm,
        ss,
        y
    )
}

fn strftime(fmt: &str, t: f64) -> String {
    let (y, m, d, hh, mm, ss, wd) = parts(t);
    let mut out = String::new();
    let mut it = fmt.chars();
    while let Some(c) = it.next() {
        if c != '%' {
            out.push(c);
            continue;
        }
        match it.next() {
            Some('Y') => out.push_str(&y.to_string()),
            Some('m') => out.push_str(&format!("{m:02}")),
            Some('d') => out.push_str(&format!("{d:02}")),
            Some('H') => out.push_str(&format!("{hh:02}")),
            Some('M') => out.push_str(&format!("{mm:02}")),
            Some('S') => out.push_str(&format!("{ss:02}")),
            Some('a') => out.push_str(DAYS.get(wd as usize).unwrap_or(&"Mon")),
            Some('b') => out.push_str(MONTHS.get(m as usize - 1).unwrap_or(&"Jan")),
            Some('y') => out.push_str(&format!("{:02}", y % 100)),
            Some('%') => out.push('%'),
            Some(other) => {
                out.push('%');
                out.push(other);
            }
            None => out.push('%'),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    #[test]
    fn clock_text() {
        assert_eq!(super::ctime(1_700_000_000.0), "Tue Nov 14 22:13:20 2023");
        assert_eq!(
            super::strftime("%Y-%m-%d %H:%M:%S", 0.0),
            "1970-01-01 00:00:00"
        );
    }
}
