//! "Did you mean": CPython's suggestions for a NameError or AttributeError
//! (its Levenshtein distance and candidate lists), and `dir()`'s names.

use super::*;

impl Interp {
    /// "Did you mean" for a NameError or AttributeError (as CPython's
    /// default exception printer offers it).
    pub(super) fn suggestion(&self, e: &Value) -> Option<String> {
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
            super::super::builtins::sort_names(&mut names);
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
