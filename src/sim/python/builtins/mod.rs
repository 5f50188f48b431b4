//! The `builtins` namespace and the built-in functions.
//!
//! Built-in names are interned first, in the order of [`BUILTINS`], so a
//! name's symbol number is its index in that table: looking up a builtin is
//! an index, not a search. Other names the interpreter needs by number
//! (`__init__`, `__str__`…) follow, as the `S_*` constants.

use super::value::*;
use super::vm::{Flow, R};
use super::Interp;

mod functions;
mod sort;

pub(crate) use sort::sort_names;

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
