//! Values and the object arena.
//!
//! Immutable scalars (None, bool, int, float, str, bytes) are held inline;
//! strings and bytes share their text through `Rc`. Everything else — list,
//! tuple, dict, set, instance, class, function, module, iterator, cell —
//! lives in the arena ([`Heap`]) and a [`Value::Ref`] is its index, so
//! cloning the interpreter deep-copies the object graph with no pointer
//! fix-ups, and dropping a deeply nested structure never recurses.

use super::compile::Code;
use super::lexer::Span;
use std::rc::Rc;

pub type Ix = u32;
/// An interned identifier (attribute, variable or keyword name).
pub type Sym = u32;

/// A float that compares by its bits, so that the whole interpreter state
/// can be `Eq` (a snapshot equals its clone, NaN included).
#[derive(Debug, Clone, Copy)]
pub struct F(pub f64);
impl PartialEq for F {
    fn eq(&self, o: &F) -> bool {
        self.0.to_bits() == o.0.to_bits()
    }
}
impl Eq for F {}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Value {
    None,
    Bool(bool),
    Int(i64),
    Float(F),
    Str(Rc<str>),
    Bytes(Rc<[u8]>),
    /// An object in the arena.
    Ref(Ix),
    /// A built-in class (int, str, ValueError, socket.socket…).
    Type(Ty),
    /// A built-in function (print, len, time.sleep…).
    Builtin(Bf),
    Ellipsis,
    NotImplemented,
    /// Internal, on the value stack only: "no receiver" after LoadMethod.
    Null,
    /// Internal, on the value stack only: a built-in method to apply to the
    /// receiver below it (LoadMethod without allocating a bound method).
    NativeMeth(Sym),
}

impl Value {
    pub fn str(s: &str) -> Value {
        Value::Str(Rc::from(s))
    }
    pub fn float(f: f64) -> Value {
        Value::Float(F(f))
    }
}

/// Key-value pairs in insertion order (a namespace or an attribute dict).
pub type Ns = Vec<(Sym, Value)>;

pub fn ns_get(ns: &Ns, k: Sym) -> Option<&Value> {
    ns.iter().find(|(n, _)| *n == k).map(|(_, v)| v)
}
pub fn ns_set(ns: &mut Ns, k: Sym, v: Value) -> Option<Value> {
    for (n, slot) in ns.iter_mut() {
        if *n == k {
            return Some(std::mem::replace(slot, v));
        }
    }
    ns.push((k, v));
    None
}
pub fn ns_del(ns: &mut Ns, k: Sym) -> Option<Value> {
    let i = ns.iter().position(|(n, _)| *n == k)?;
    Some(ns.remove(i).1)
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Obj {
    List(Vec<Value>),
    Tuple(Vec<Value>),
    /// Entries in insertion order; lookups compare keys with Python's `==`.
    Dict(Vec<(Value, Value)>),
    Set(Vec<Value>),
    Func(Box<Func>),
    Class(Box<Class>),
    Inst(Box<Inst>),
    Module(Box<Module>),
    Cell(Option<Value>),
    /// A Python function bound to an instance (or a class, for classmethod).
    Bound(Value, Value),
    /// A built-in method bound to its object: `"abc".upper`.
    BoundNative(Value, Sym),
    Iter(Box<Iter>),
    Range(i64, i64, i64),
    Slice(Value, Value, Value),
    StaticMethod(Value),
    ClassMethod(Value),
    Property(Value, Value),
    Super(Value, Value),
    /// keys / values / items of a dict (0, 1, 2)
    DictView(Ix, u8),
    Gen(Box<GenState>),
}

/// A generator: its suspended frame (taken out while it runs).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct GenState {
    pub(crate) frame: Option<super::vm::Frame>,
    pub(crate) qualname: Rc<str>,
    pub(crate) running: bool,
    pub(crate) done: bool,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Iter {
    /// list, tuple (by index), str (by byte offset), bytes
    Seq(Value, usize),
    Range(i64, i64, i64),
    /// keys/values/items of a dict, with the size it had (changing it is an error)
    Dict(Ix, usize, u8, usize),
    Enumerate(Value, i64),
    Zip(Vec<Value>),
    Reversed(Value, usize),
    /// map(f, it) / filter(f, it): the function, the iterators
    Map(Value, Vec<Value>),
    Filter(Value, Value),
    /// iter(callable, sentinel)
    Callable(Value, Value),
    Done,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Func {
    pub code: Rc<Code>,
    pub globals: Ix,
    pub defaults: Vec<Value>,
    pub kwdefaults: Vec<(Sym, Value)>,
    pub closure: Vec<Ix>,
    /// The class whose body defined it (for zero-argument `super()`).
    pub class: Option<Ix>,
    pub attrs: Ns,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Class {
    pub name: Rc<str>,
    pub qualname: Rc<str>,
    pub module: Rc<str>,
    pub bases: Vec<Value>,
    /// The method resolution order, this class first, ending in a builtin type.
    pub mro: Vec<Value>,
    pub ns: Ns,
    /// The builtin type instances are made of (object, Exception, Thread…).
    pub native: Ty,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Inst {
    pub class: Value,
    pub attrs: Ns,
    pub native: Native,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Module {
    pub name: Rc<str>,
    pub ns: Ns,
}

/// The built-in state some instances carry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Native {
    None,
    Exc(Box<Exc>),
    Socket(Sock),
    Thread(Box<ThreadObj>),
    Lock {
        locked: bool,
        owner: Option<u32>,
        count: u32,
        reentrant: bool,
    },
    Event(bool),
    File(Box<FileObj>),
    /// sys.stdout (1) / sys.stderr (2) / sys.stdin (0)
    Stream(u8),
    /// `httpmsg`'s objects: a parsed request, a reply, a site.
    HttpRequest(Rc<super::httpmsg::HttpReq>),
    HttpReply(Rc<crate::http::StaticReply>),
    Site(Rc<crate::http::MemoryFiles>),
    /// `selectors.DefaultSelector()`.
    Selector(Box<SelectorObj>),
    /// A `selectors.SelectorKey`: (fileobj, fd, events, data).
    SelectorKey(Box<[Value; 4]>),
}

/// A selector: its epoll fd and the keys registered with it, in the order
/// they were registered (CPython's `_fd_to_key` dict).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SelectorObj {
    pub epfd: i64,
    /// `close()` was called: the keys are gone and the epoll fd closed.
    pub closed: bool,
    /// (fd, its `SelectorKey`)
    pub keys: Vec<(i64, Value)>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Exc {
    pub args: Vec<Value>,
    pub cause: Option<Value>,
    pub context: Option<Value>,
    pub suppress_context: bool,
    /// Traceback entries, innermost first (printed in reverse).
    pub tb: Vec<TbEntry>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TbEntry {
    Code(Rc<Code>, u32),
    /// A frame of the standard library's Python code (threading.py,
    /// socket.py), with its caret line if CPython shows one.
    Lib {
        file: &'static str,
        line: u32,
        name: &'static str,
        text: &'static str,
        carets: &'static str,
    },
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Sock {
    pub fd: i64,
    pub family: i64,
    pub kind: i64,
    pub closed: bool,
    /// seconds; None = blocking
    pub timeout: Option<F>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ThreadObj {
    pub name: Rc<str>,
    pub daemon: bool,
    pub target: Value,
    pub args: Value,
    pub kwargs: Value,
    /// The interpreter thread it runs as, once started.
    pub ix: Option<u32>,
    pub done: bool,
    pub main: bool,
    pub ident: i64,
    /// A `multiprocessing.Process` (the same machinery: a target run by a
    /// new thread, here the first thread of a forked child).
    pub process: Option<Box<ProcObj>>,
}

/// What a `multiprocessing.Process` object knows besides a thread's.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ProcObj {
    /// The child's PID, once started.
    pub pid: Option<i64>,
    /// Its exit code, once `join()` or `is_alive()` found it ended.
    pub exitcode: Option<i64>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FileObj {
    pub name: Rc<str>,
    pub mode: Rc<str>,
    pub data: Rc<[u8]>,
    /// decoded text for text mode
    pub text: Option<Rc<str>>,
    pub pos: usize,
    pub closed: bool,
    pub encoding: Rc<str>,
}

/// The arena and the name interner.
///
/// Each object sits behind an `Rc`, so cloning the heap (a snapshot of
/// the world) copies one pointer per object, not the object graph; the
/// first change to an object shared with a snapshot copies that object
/// alone (`Rc::make_mut` in [`Heap::get_mut`]). Nothing outside the heap
/// holds these `Rc`s, so the two copies never see each other's changes.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Heap {
    pub objs: Vec<Option<Rc<Obj>>>,
    pub free: Vec<Ix>,
    pub names: Vec<Rc<str>>,
    /// The syms ordered by their names, for lookups by bisection (a
    /// `BTreeMap` would bring its node code into the wasm bundle).
    pub name_ix: Vec<Sym>,
    /// Objects allocated since the last collection.
    pub allocated: u32,
}

impl Heap {
    pub fn alloc(&mut self, o: Obj) -> Ix {
        self.allocated += 1;
        if let Some(i) = self.free.pop() {
            if let Some(slot) = self.objs.get_mut(i as usize) {
                *slot = Some(Rc::new(o));
                return i;
            }
        }
        self.objs.push(Some(Rc::new(o)));
        (self.objs.len() - 1) as Ix
    }
    pub fn get(&self, i: Ix) -> Option<&Obj> {
        self.objs.get(i as usize).and_then(|o| o.as_deref())
    }
    pub fn get_mut(&mut self, i: Ix) -> Option<&mut Obj> {
        self.objs
            .get_mut(i as usize)
            .and_then(|o| o.as_mut())
            .map(Rc::make_mut)
    }
    fn find_name(&self, s: &str) -> Result<usize, usize> {
        self.name_ix
            .binary_search_by(|&k| self.names.get(k as usize).map_or("", |n| &**n).cmp(s))
    }
    pub fn intern(&mut self, s: &str) -> Sym {
        match self.find_name(s) {
            Ok(at) => self.name_ix[at],
            Err(at) => {
                let i = self.names.len() as Sym;
                self.names.push(Rc::from(s));
                self.name_ix.insert(at, i);
                i
            }
        }
    }
    pub fn lookup(&self, s: &str) -> Option<Sym> {
        self.find_name(s).ok().map(|at| self.name_ix[at])
    }
    pub fn name(&self, s: Sym) -> &str {
        self.names.get(s as usize).map(|r| &**r).unwrap_or("?")
    }
    pub fn name_rc(&self, s: Sym) -> Rc<str> {
        self.names
            .get(s as usize)
            .cloned()
            .unwrap_or_else(|| Rc::from("?"))
    }
    pub fn inst(&self, v: &Value) -> Option<&Inst> {
        match v {
            Value::Ref(i) => match self.get(*i) {
                Some(Obj::Inst(x)) => Some(x),
                _ => None,
            },
            _ => None,
        }
    }
    pub fn inst_mut(&mut self, v: &Value) -> Option<&mut Inst> {
        match v {
            Value::Ref(i) => match self.get_mut(*i) {
                Some(Obj::Inst(x)) => Some(x),
                _ => None,
            },
            _ => None,
        }
    }
    pub fn exc(&self, v: &Value) -> Option<&Exc> {
        match &self.inst(v)?.native {
            Native::Exc(e) => Some(e),
            _ => None,
        }
    }
    pub fn exc_mut(&mut self, v: &Value) -> Option<&mut Exc> {
        match &mut self.inst_mut(v)?.native {
            Native::Exc(e) => Some(e),
            _ => None,
        }
    }
    pub fn class(&self, v: &Value) -> Option<&Class> {
        match v {
            Value::Ref(i) => match self.get(*i) {
                Some(Obj::Class(c)) => Some(c),
                _ => None,
            },
            _ => None,
        }
    }
}

macro_rules! types {
    ($($id:ident = $name:literal : $base:ident $(, $module:literal)?;)*) => {
        /// The built-in classes, exceptions included, with their bases.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
        pub enum Ty { $($id,)* }
        impl Ty {
            pub fn name(self) -> &'static str {
                match self { $(Ty::$id => $name,)* }
            }
            /// The base class (object's is itself).
            pub fn base(self) -> Ty {
                match self { $(Ty::$id => Ty::$base,)* }
            }
            /// The module a class comes from, if not `builtins`.
            pub fn module(self) -> Option<&'static str> {
                match self { $(Ty::$id => types!(@m $($module)?),)* }
            }
        }
    };
    (@m) => { None };
    (@m $m:literal) => { Some($m) };
}

types! {
    Object = "object": Object;
    Type = "type": Object;
    NoneType = "NoneType": Object;
    Int = "int": Object;
    Bool = "bool": Int;
    Float = "float": Object;
    Str = "str": Object;
    Bytes = "bytes": Object;
    List = "list": Object;
    Tuple = "tuple": Object;
    Dict = "dict": Object;
    Set = "set": Object;
    Range = "range": Object;
    Slice = "slice": Object;
    Function = "function": Object;
    BuiltinFunction = "builtin_function_or_method": Object;
    Method = "method": Object;
    Module = "module": Object;
    Cell = "cell": Object;
    ListIter = "list_iterator": Object;
    TupleIter = "tuple_iterator": Object;
    StrIter = "str_ascii_iterator": Object;
    BytesIter = "bytes_iterator": Object;
    RangeIter = "range_iterator": Object;
    DictKeyIter = "dict_keyiterator": Object;
    DictValueIter = "dict_valueiterator": Object;
    DictItemIter = "dict_itemiterator": Object;
    Enumerate = "enumerate": Object;
    Zip = "zip": Object;
    Map = "map": Object;
    Filter = "filter": Object;
    Reversed = "reversed": Object;
    CallableIter = "callable_iterator": Object;
    DictKeys = "dict_keys": Object;
    DictValues = "dict_values": Object;
    DictItems = "dict_items": Object;
    Property = "property": Object;
    StaticMethod = "staticmethod": Object;
    ClassMethod = "classmethod": Object;
    Super = "super": Object;
    Ellipsis = "ellipsis": Object;
    NotImplementedType = "NotImplementedType": Object;
    Generator = "generator": Object;
    Socket = "socket": Object, "socket";
    Thread = "Thread": Object, "threading";
    Process = "Process": Object, "multiprocessing";
    Lock = "lock": Object, "_thread";
    RLock = "RLock": Object, "_thread";
    Event = "Event": Object, "threading";
    TextFile = "TextIOWrapper": Object, "_io";
    BinFile = "BufferedReader": Object, "_io";
    HttpRequest = "Request": Object, "httpmsg";
    HttpReply = "Reply": Object, "httpmsg";
    MemoryFiles = "MemoryFiles": Object, "httpmsg";
    Selector = "EpollSelector": Object, "selectors";
    SelectorKey = "SelectorKey": Object, "selectors";
    BaseException = "BaseException": Object;
    SystemExit = "SystemExit": BaseException;
    KeyboardInterrupt = "KeyboardInterrupt": BaseException;
    GeneratorExit = "GeneratorExit": BaseException;
    Exception = "Exception": BaseException;
    StopIteration = "StopIteration": Exception;
    ArithmeticError = "ArithmeticError": Exception;
    OverflowError = "OverflowError": ArithmeticError;
    ZeroDivisionError = "ZeroDivisionError": ArithmeticError;
    AssertionError = "AssertionError": Exception;
    AttributeError = "AttributeError": Exception;
    EOFError = "EOFError": Exception;
    ImportError = "ImportError": Exception;
    ModuleNotFoundError = "ModuleNotFoundError": ImportError;
    LookupError = "LookupError": Exception;
    IndexError = "IndexError": LookupError;
    KeyError = "KeyError": LookupError;
    MemoryError = "MemoryError": Exception;
    NameError = "NameError": Exception;
    UnboundLocalError = "UnboundLocalError": NameError;
    OSError = "OSError": Exception;
    BlockingIOError = "BlockingIOError": OSError;
    ChildProcessError = "ChildProcessError": OSError;
    ConnectionError = "ConnectionError": OSError;
    BrokenPipeError = "BrokenPipeError": ConnectionError;
    ConnectionAbortedError = "ConnectionAbortedError": ConnectionError;
    ConnectionRefusedError = "ConnectionRefusedError": ConnectionError;
    ConnectionResetError = "ConnectionResetError": ConnectionError;
    FileExistsError = "FileExistsError": OSError;
    FileNotFoundError = "FileNotFoundError": OSError;
    InterruptedError = "InterruptedError": OSError;
    IsADirectoryError = "IsADirectoryError": OSError;
    NotADirectoryError = "NotADirectoryError": OSError;
    PermissionError = "PermissionError": OSError;
    TimeoutError = "TimeoutError": OSError;
    Gaierror = "gaierror": OSError, "socket";
    RuntimeError = "RuntimeError": Exception;
    NotImplementedError = "NotImplementedError": RuntimeError;
    RecursionError = "RecursionError": RuntimeError;
    SyntaxError = "SyntaxError": Exception;
    IndentationError = "IndentationError": SyntaxError;
    TabError = "TabError": IndentationError;
    SystemError = "SystemError": Exception;
    TypeError = "TypeError": Exception;
    ValueError = "ValueError": Exception;
    UnicodeError = "UnicodeError": ValueError;
    UnicodeDecodeError = "UnicodeDecodeError": UnicodeError;
    UnicodeEncodeError = "UnicodeEncodeError": UnicodeError;
    Warning = "Warning": Exception;
    UserWarning = "UserWarning": Warning;
    DeprecationWarning = "DeprecationWarning": Warning;
    RuntimeWarning = "RuntimeWarning": Warning;
}

impl Ty {
    pub fn is_subtype(self, of: Ty) -> bool {
        let mut t = self;
        loop {
            if t == of {
                return true;
            }
            if t == Ty::Object {
                return false;
            }
            t = t.base();
        }
    }
    pub fn is_exception(self) -> bool {
        self.is_subtype(Ty::BaseException)
    }
    /// The name with its module, as tracebacks print a class: `socket.gaierror`.
    pub fn qualified(self) -> String {
        match self.module() {
            Some(m) if self.is_exception() => format!("{m}.{}", self.name()),
            _ => self.name().to_string(),
        }
    }
}

macro_rules! builtins {
    ($($id:ident = $name:literal;)*) => {
        /// Built-in functions, of `builtins` and of the modules.
        #[derive(Debug, Clone, Copy, PartialEq, Eq)]
        pub enum Bf { $($id,)* }
        impl Bf {
            pub fn name(self) -> &'static str {
                match self { $(Bf::$id => $name,)* }
            }
        }
    };
}

builtins! {
    Print = "print";
    Len = "len";
    Repr = "repr";
    Ascii = "ascii";
    Abs = "abs";
    Min = "min";
    Max = "max";
    Sum = "sum";
    Sorted = "sorted";
    Any = "any";
    All = "all";
    Ord = "ord";
    Chr = "chr";
    Hex = "hex";
    Oct = "oct";
    Bin = "bin";
    HasAttr = "hasattr";
    GetAttr = "getattr";
    SetAttr = "setattr";
    DelAttr = "delattr";
    Id = "id";
    Hash = "hash";
    Round = "round";
    DivMod = "divmod";
    Pow = "pow";
    Iter = "iter";
    Next = "next";
    Callable = "callable";
    Input = "input";
    IsInstance = "isinstance";
    IsSubclass = "issubclass";
    Format = "format";
    Open = "open";
    Globals = "globals";
    Locals = "locals";
    Vars = "vars";
    Dir = "dir";
    Exit = "exit";
    TimeSleep = "sleep";
    TimeTime = "time";
    TimeMonotonic = "monotonic";
    TimePerfCounter = "perf_counter";
    TimeCtime = "ctime";
    TimeStrftime = "strftime";
    SysExit = "exit";
    SysGetRecursionLimit = "getrecursionlimit";
    SysIntern = "intern";
    OsGetpid = "getpid";
    OsGetppid = "getppid";
    OsFork = "fork";
    OsWaitpid = "waitpid";
    OsWexitstatus = "WEXITSTATUS";
    OsWifexited = "WIFEXITED";
    OsExit = "_exit";
    OsGetcwd = "getcwd";
    PathJoin = "join";
    PathExists = "exists";
    PathIsfile = "isfile";
    PathIsdir = "isdir";
    PathBasename = "basename";
    PathDirname = "dirname";
    PathSplit = "split";
    PathSplitext = "splitext";
    PathAbspath = "abspath";
    PathGetsize = "getsize";
    SockGethostbyname = "gethostbyname";
    SockGethostname = "gethostname";
    SockCreateConnection = "create_connection";
    ThCurrentThread = "current_thread";
    ThMainThread = "main_thread";
    ThActiveCount = "active_count";
    ThEnumerate = "enumerate";
    ThGetIdent = "get_ident";
    ThLock = "allocate_lock";
    ThRLock = "RLock";
    RandRandom = "random";
    RandRandint = "randint";
    RandChoice = "choice";
    RandSeed = "seed";
    RandShuffle = "shuffle";
    RandUniform = "uniform";
    RandRandrange = "randrange";
    HttpParseRequest = "parse_request";
    HttpServeStatic = "serve_static";
    HttpDate = "http_date";
    SelectSelect = "select";
}

/// Where a traceback points inside a line: a code object and the
/// instruction's span.
pub fn span_of(code: &Code, ip: u32) -> Span {
    code.spans.get(ip as usize).copied().unwrap_or_default()
}
