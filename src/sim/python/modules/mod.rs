//! The modules a socket program imports (`socket`, `threading`, `time`,
//! `sys`, `os`, `random`), the built-in constructors (`int(…)`, `bytes(…)`,
//! `socket.socket(…)`, `threading.Thread(…)`) and file objects — all on the
//! [`Os`] trait. `select` and `selectors` are in `select/`.

use super::builtins::{self as bi};
use super::value::*;
use super::vm::{Flow, R};
use super::{Interp, Os};

mod attr;
mod construct;
mod file;
mod functions;
mod socket;
#[cfg(test)]
mod tests;
mod threading;
mod time;

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
}
