//! Mark-and-sweep collection of the object arena.
//!
//! CPython frees an object when its last reference goes (reference
//! counting), and a socket object freed that way closes its file
//! descriptor: a handler thread that returns without `conn.close()` still
//! closes the connection at that moment. This interpreter has no reference
//! counts; it collects instead, deterministically:
//!
//! - when a thread ends (so the handler's socket closes as its thread ends,
//!   as in CPython);
//! - when a frame that held an open socket returns or unwinds, and at the
//!   next statement after a name, list slot or attribute holding an open
//!   socket is overwritten or deleted (`conn, addr = s.accept()` in a loop
//!   closes the previous connection, as in CPython);
//! - when the arena has grown by a threshold since the last collection.
//!
//! An unreachable open socket (or selector) is closed through the host
//! (`OsCall::Close`).
//! The difference from CPython: a socket kept alive only by a reference
//! cycle closes at the next collection instead of never (CPython's cycle
//! collector runs at unpredictable times); and a socket dropped in the
//! middle of an expression closes at the next statement, not at once.
//! Collections never run inside a callback from a built-in (`__str__`
//! called by `print`), where Rust code holds values the roots do not show.

use super::os::{Os, OsCall};
use super::value::*;
use super::vm::{FrameKind, PyThread};
use super::Interp;

fn push_value(v: &Value, work: &mut Vec<Ix>) {
    if let Value::Ref(i) = v {
        work.push(*i);
    }
}

fn push_frame(f: &super::vm::Frame, work: &mut Vec<Ix>) {
    {
        for v in f.stack.iter().chain(f.fast.iter().flatten()) {
            push_value(v, work);
        }
        work.extend(f.cells.iter().copied());
        work.push(f.globals);
        if let Some(ns) = &f.ns {
            for (_, v) in ns {
                push_value(v, work);
            }
        }
        if let Some(fi) = f.func {
            work.push(fi);
        }
        match &f.kind {
            FrameKind::Init(v) => push_value(v, work),
            FrameKind::Class(bases) => {
                for b in bases {
                    push_value(b, work);
                }
            }
            FrameKind::Gen { gen, .. } => work.push(*gen),
            FrameKind::Normal => {}
        }
    }
}

fn push_thread(t: &PyThread, work: &mut Vec<Ix>) {
    for f in &t.frames {
        push_frame(f, work);
    }
    for v in &t.exc_stack {
        push_value(v, work);
    }
    if let Some(o) = &t.obj {
        push_value(o, work);
    }
    if let Some((f, args, kw)) = &t.boot {
        for v in [f, args, kw] {
            push_value(v, work);
        }
    }
}

fn children(o: &Obj, work: &mut Vec<Ix>) {
    fn vals(vs: &[Value], work: &mut Vec<Ix>) {
        for v in vs {
            push_value(v, work);
        }
    }
    match o {
        Obj::List(l) | Obj::Tuple(l) | Obj::Set(l) => vals(l, work),
        Obj::Dict(d) => {
            for (k, v) in d {
                push_value(k, work);
                push_value(v, work);
            }
        }
        Obj::Func(f) => {
            work.push(f.globals);
            for v in &f.defaults {
                push_value(v, work);
            }
            for (_, v) in f.kwdefaults.iter().chain(f.attrs.iter()) {
                push_value(v, work);
            }
            work.extend(f.closure.iter().copied());
            if let Some(c) = f.class {
                work.push(c);
            }
        }
        Obj::Class(c) => {
            for v in c.bases.iter().chain(c.mro.iter()) {
                push_value(v, work);
            }
            for (_, v) in &c.ns {
                push_value(v, work);
            }
        }
        Obj::Inst(i) => {
            push_value(&i.class, work);
            for (_, v) in &i.attrs {
                push_value(v, work);
            }
            match &i.native {
                Native::Exc(e) => {
                    for v in e.args.iter().chain(e.cause.iter()).chain(e.context.iter()) {
                        push_value(v, work);
                    }
                }
                Native::Thread(t) => {
                    for v in [&t.target, &t.args, &t.kwargs] {
                        push_value(v, work);
                    }
                }
                Native::Selector(s) => {
                    for (_, key) in &s.keys {
                        push_value(key, work);
                    }
                }
                Native::SelectorKey(k) => vals(&k[..], work),
                _ => {}
            }
        }
        Obj::Module(m) => {
            for (_, v) in &m.ns {
                push_value(v, work);
            }
        }
        Obj::Cell(v) => {
            if let Some(v) = v {
                push_value(v, work);
            }
        }
        Obj::Bound(a, b) | Obj::Property(a, b) | Obj::Super(a, b) => {
            push_value(a, work);
            push_value(b, work);
        }
        Obj::BoundNative(a, _) | Obj::StaticMethod(a) | Obj::ClassMethod(a) => push_value(a, work),
        Obj::Slice(a, b, c) => {
            for v in [a, b, c] {
                push_value(v, work);
            }
        }
        Obj::DictView(d, _) => work.push(*d),
        Obj::Gen(g) => {
            if let Some(f) = &g.frame {
                push_frame(f, work);
            }
        }
        Obj::Range(..) => {}
        Obj::Iter(it) => match &**it {
            Iter::Seq(v, _) | Iter::Reversed(v, _) | Iter::Enumerate(v, _) => push_value(v, work),
            Iter::Dict(d, ..) => work.push(*d),
            Iter::Zip(vs) => vals(vs, work),
            Iter::Map(f, vs) => {
                push_value(f, work);
                vals(vs, work);
            }
            Iter::Filter(a, b) | Iter::Callable(a, b) => {
                push_value(a, work);
                push_value(b, work);
            }
            Iter::Range(..) | Iter::Done => {}
        },
    }
}

impl Interp {
    /// Collects unreachable objects; closes unreachable open sockets.
    pub(crate) fn collect(&mut self, os: &mut dyn Os) {
        if self.nested > 0 {
            self.gc_pending = true;
            return;
        }
        let n = self.heap.objs.len();
        let mut marked = vec![false; n];
        let mut work: Vec<Ix> = Vec::new();
        for t in &self.threads {
            push_thread(t, &mut work);
        }
        work.push(self.main_module);
        for (_, m) in &self.modules {
            push_value(m, &mut work);
        }
        while let Some(i) = work.pop() {
            let Some(m) = marked.get_mut(i as usize) else {
                continue;
            };
            if *m {
                continue;
            }
            *m = true;
            if let Some(o) = self.heap.get(i) {
                children(o, &mut work);
            }
        }
        let mut to_close = Vec::new();
        let mut live = 0u32;
        for (i, slot) in self.heap.objs.iter_mut().enumerate() {
            if slot.is_none() {
                continue;
            }
            if marked.get(i).copied().unwrap_or(true) {
                live += 1;
                continue;
            }
            if let Some(Obj::Inst(inst)) = slot.as_deref() {
                match &inst.native {
                    Native::Socket(s) if !s.closed => to_close.push(s.fd),
                    // A selector's epoll fd closes with it too.
                    Native::Selector(s) if !s.closed => to_close.push(s.epfd),
                    _ => {}
                }
            }
            *slot = None;
        }
        let mut len = self.heap.objs.len();
        while len > 0 && self.heap.objs.get(len - 1).is_some_and(|o| o.is_none()) {
            len -= 1;
        }
        self.heap.objs.truncate(len);
        // keep the free list deterministic and the arena compact: every
        // empty slot, the lowest reused first (no sort: no sort's code)
        let objs = &self.heap.objs;
        self.heap.free = (0..len as Ix)
            .rev()
            .filter(|&i| objs.get(i as usize).is_some_and(|o| o.is_none()))
            .collect();
        self.heap.allocated = 0;
        self.gc_threshold = (live * 2).max(4096);
        self.gc_pending = false;
        let line = self.cur_line();
        for fd in to_close {
            let _ = os.call(self.cur as u32, line, OsCall::Close { fd: fd as i32 });
        }
    }
}
