//! Calls: callbacks run to completion, calling any callable, class
//! instantiation, argument binding and frame pushing, `return`.

use super::*;

impl Interp {
    // ------------------------------------------------------------- calls

    /// Calls `f` and runs it to completion (a callback from a built-in).
    pub(crate) fn call_sync(
        &mut self,
        os: &mut dyn Os,
        f: Value,
        args: Vec<Value>,
        kw: Vec<(Sym, Value)>,
    ) -> R<Value> {
        match self.call(os, f, args, kw, Mode::Sync)? {
            Called::Val(v) => Ok(v),
            Called::Pushed => {
                if let Some(fr) = self.thread_mut().and_then(|t| t.frames.last_mut()) {
                    fr.stop = true;
                }
                let marker = 0u8;
                let here = std::ptr::addr_of!(marker) as usize;
                let used = self.stack_base.saturating_sub(here);
                if self.nested >= NESTED_LIMIT || used > STACK_BUDGET {
                    if let Some(t) = self.thread_mut() {
                        t.frames.pop();
                    }
                    return Err(self.exc_flow(
                        Ty::RecursionError,
                        "maximum recursion depth exceeded while calling a Python object",
                    ));
                }
                self.nested += 1;
                let end = self.run(os, true);
                self.nested -= 1;
                match end {
                    RunEnd::Returned(v) => Ok(v),
                    // it passes on through the built-in's caller: a new
                    // traceback entry there
                    RunEnd::Raised(e) | RunEnd::Uncaught(e) => Err(Flow::Exc(e)),
                    _ => Err(self.internal("callback did not return")),
                }
            }
        }
    }

    /// Calls any callable. A Python function gets a new frame (`Pushed`).
    pub(crate) fn call(
        &mut self,
        os: &mut dyn Os,
        f: Value,
        mut args: Vec<Value>,
        kw: Vec<(Sym, Value)>,
        mode: Mode,
    ) -> R<Called> {
        match &f {
            Value::Builtin(b) => Ok(Called::Val(self.call_builtin(os, *b, args, kw)?)),
            Value::Type(t) => Ok(Called::Val(self.construct(os, *t, &f, args, kw)?)),
            Value::Ref(ix) => {
                let ix = *ix;
                match self.heap.get(ix) {
                    Some(Obj::Func(_)) => {
                        match self.push_call(ix, args, kw, FrameKind::Normal, mode)? {
                            None => Ok(Called::Pushed),
                            Some(g) => Ok(Called::Val(g)),
                        }
                    }
                    Some(Obj::Bound(s, func)) => {
                        let (s, func) = (s.clone(), func.clone());
                        args.insert(0, s);
                        self.call(os, func, args, kw, mode)
                    }
                    Some(Obj::BoundNative(s, name)) => {
                        let (s, name) = (s.clone(), *name);
                        Ok(Called::Val(self.call_method(os, &s, name, args, kw)?))
                    }
                    Some(Obj::Class(_)) => self.instantiate(os, f, args, kw, mode),
                    Some(Obj::StaticMethod(inner)) => {
                        let inner = inner.clone();
                        self.call(os, inner, args, kw, mode)
                    }
                    Some(Obj::Inst(_)) => {
                        let call = self.lookup_class_attr(&f, bi::S_CALL);
                        match call {
                            Some(c) => {
                                args.insert(0, f.clone());
                                self.call(os, c, args, kw, mode)
                            }
                            None => {
                                let n = self.type_name(&f);
                                Err(self.exc_flow(
                                    Ty::TypeError,
                                    &format!("'{n}' object is not callable"),
                                ))
                            }
                        }
                    }
                    _ => {
                        let n = self.type_name(&f);
                        Err(self.exc_flow(Ty::TypeError, &format!("'{n}' object is not callable")))
                    }
                }
            }
            _ => {
                let n = self.type_name(&f);
                Err(self.exc_flow(Ty::TypeError, &format!("'{n}' object is not callable")))
            }
        }
    }

    /// A user class called: make the instance, run `__init__`.
    fn instantiate(
        &mut self,
        os: &mut dyn Os,
        cls: Value,
        args: Vec<Value>,
        kw: Vec<(Sym, Value)>,
        mode: Mode,
    ) -> R<Called> {
        let native_ty = self
            .heap
            .class(&cls)
            .map(|c| c.native)
            .unwrap_or(Ty::Object);
        let inst = self.new_instance(cls.clone(), native_ty, &args);
        let init = self.lookup_class_attr(&cls, bi::S_INIT);
        match init {
            Some(Value::Ref(fi)) if matches!(self.heap.get(fi), Some(Obj::Func(_))) => {
                let mut a = Vec::with_capacity(args.len() + 1);
                a.push(inst.clone());
                a.extend(args);
                match self.push_call(fi, a, kw, FrameKind::Init(inst), mode)? {
                    None => Ok(Called::Pushed),
                    Some(_) => Err(self.exc_flow(
                        Ty::TypeError,
                        "__init__() should return None, not 'generator'",
                    )),
                }
            }
            Some(other) if !matches!(other, Value::Type(_)) => {
                let mut a = vec![inst.clone()];
                a.extend(args);
                let r = self.call_sync(os, other, a, kw)?;
                if r != Value::None {
                    let n = self.type_name(&r);
                    return Err(self.exc_flow(
                        Ty::TypeError,
                        &format!("__init__() should return None, not '{n}'"),
                    ));
                }
                Ok(Called::Val(inst))
            }
            _ => {
                // the native __init__ of the builtin base
                self.native_init(os, &inst, native_ty, args, kw)?;
                Ok(Called::Val(inst))
            }
        }
    }

    pub(crate) fn new_instance(&mut self, cls: Value, native_ty: Ty, args: &[Value]) -> Value {
        let native = if native_ty.is_exception() {
            Native::Exc(Box::new(Exc {
                args: args.to_vec(),
                cause: None,
                context: None,
                suppress_context: false,
                tb: Vec::new(),
            }))
        } else if native_ty == Ty::Thread || native_ty == Ty::Process {
            Native::Thread(Box::new(ThreadObj {
                name: "".into(),
                daemon: false,
                target: Value::None,
                args: Value::None,
                kwargs: Value::None,
                ix: None,
                done: false,
                main: false,
                ident: 0,
                process: (native_ty == Ty::Process).then(Default::default),
            }))
        } else {
            Native::None
        };
        Value::Ref(self.heap.alloc(Obj::Inst(Box::new(Inst {
            class: cls,
            attrs: Vec::new(),
            native,
        }))))
    }

    /// Binds arguments and pushes a frame for the function at `fi`.
    pub(crate) fn push_call(
        &mut self,
        fi: Ix,
        args: Vec<Value>,
        kw: Vec<(Sym, Value)>,
        kind: FrameKind,
        mode: Mode,
    ) -> R<Option<Value>> {
        let (code, globals, closure, n_def, nkwdef) = match self.heap.get(fi) {
            Some(Obj::Func(f)) => (
                f.code.clone(),
                f.globals,
                f.closure.clone(),
                f.defaults.len(),
                f.kwdefaults.len(),
            ),
            _ => return Err(self.internal("not a function")),
        };
        let depth = self.thread().map(|t| t.frames.len()).unwrap_or(0);
        if depth >= RECURSION_LIMIT {
            return Err(self.exc_flow(Ty::RecursionError, "maximum recursion depth exceeded"));
        }
        let n_pos = code.n_pos as usize;
        let n_kwonly = code.n_kwonly as usize;
        let n_params = n_pos + n_kwonly;
        let mut fast: Vec<Option<Value>> = vec![None; code.varnames.len().max(n_params)];
        let nargs = args.len();
        let mut extra = Vec::new();
        for (i, a) in args.into_iter().enumerate() {
            if i < n_pos {
                if let Some(slot) = fast.get_mut(i) {
                    *slot = Some(a);
                }
            } else {
                extra.push(a);
            }
        }
        let qual = code.qualname.clone();
        let vararg_ix = n_params;
        let kwarg_ix = n_params + code.vararg as usize;
        if !extra.is_empty() {
            if code.vararg {
                let t = self.new_tuple(extra);
                if let Some(slot) = fast.get_mut(vararg_ix) {
                    *slot = Some(t);
                }
            } else {
                let given_kwonly = kw
                    .iter()
                    .filter(|(k, _)| {
                        code.varnames
                            .get(n_pos..n_params)
                            .is_some_and(|s| s.contains(k))
                    })
                    .count();
                let takes = if n_def > 0 {
                    format!(
                        "from {} to {} positional arguments",
                        n_pos - n_def.min(n_pos),
                        n_pos
                    )
                } else if n_pos == 1 {
                    "1 positional argument".to_string()
                } else {
                    format!("{n_pos} positional arguments")
                };
                let given = if given_kwonly > 0 {
                    format!(
                        "{nargs} positional argument{} (and {given_kwonly} keyword-only argument{}) were given",
                        if nargs == 1 { "" } else { "s" },
                        if given_kwonly == 1 { "" } else { "s" }
                    )
                } else if nargs == 1 {
                    "1 was given".to_string()
                } else {
                    format!("{nargs} were given")
                };
                return Err(self.exc_flow(
                    Ty::TypeError,
                    &format!("{qual}() takes {takes} but {given}"),
                ));
            }
        } else if code.vararg {
            let t = self.new_tuple(Vec::new());
            if let Some(slot) = fast.get_mut(vararg_ix) {
                *slot = Some(t);
            }
        }
        let mut kwdict: Vec<(Value, Value)> = Vec::new();
        for (k, v) in kw {
            let pos = code
                .varnames
                .get(..n_params)
                .and_then(|s| s.iter().position(|x| *x == k));
            match pos {
                Some(i) => {
                    if fast.get(i).is_some_and(|s| s.is_some()) {
                        let n = self.heap.name(k).to_string();
                        return Err(self.exc_flow(
                            Ty::TypeError,
                            &format!("{qual}() got multiple values for argument '{n}'"),
                        ));
                    }
                    if let Some(slot) = fast.get_mut(i) {
                        *slot = Some(v);
                    }
                }
                None => {
                    if code.kwarg {
                        kwdict.push((Value::Str(self.heap.name_rc(k)), v));
                    } else {
                        let n = self.heap.name(k).to_string();
                        return Err(self.exc_flow(
                            Ty::TypeError,
                            &format!("{qual}() got an unexpected keyword argument '{n}'"),
                        ));
                    }
                }
            }
        }
        if code.kwarg {
            let d = Value::Ref(self.heap.alloc(Obj::Dict(kwdict)));
            if let Some(slot) = fast.get_mut(kwarg_ix) {
                *slot = Some(d);
            }
        }
        // defaults
        let first_default = n_pos.saturating_sub(n_def);
        let mut missing = Vec::new();
        for i in 0..n_pos {
            if fast.get(i).is_some_and(|s| s.is_none()) {
                if i >= first_default {
                    let d = match self.heap.get(fi) {
                        Some(Obj::Func(f)) => f.defaults.get(i - first_default).cloned(),
                        _ => None,
                    };
                    if let Some(slot) = fast.get_mut(i) {
                        *slot = d;
                    }
                } else {
                    missing.push(code.varnames.get(i).copied().unwrap_or(0));
                }
            }
        }
        if !missing.is_empty() {
            let msg = self.missing_msg(&qual, &missing, "positional");
            return Err(self.exc_flow(Ty::TypeError, &msg));
        }
        let mut missing_kw = Vec::new();
        for i in n_pos..n_params {
            if fast.get(i).is_some_and(|s| s.is_none()) {
                let name = code.varnames.get(i).copied().unwrap_or(0);
                let d = if nkwdef > 0 {
                    match self.heap.get(fi) {
                        Some(Obj::Func(f)) => f
                            .kwdefaults
                            .iter()
                            .find(|(k, _)| *k == name)
                            .map(|(_, v)| v.clone()),
                        _ => None,
                    }
                } else {
                    None
                };
                match d {
                    Some(d) => {
                        if let Some(slot) = fast.get_mut(i) {
                            *slot = Some(d);
                        }
                    }
                    None => missing_kw.push(name),
                }
            }
        }
        if !missing_kw.is_empty() {
            let msg = self.missing_msg(&qual, &missing_kw, "keyword-only");
            return Err(self.exc_flow(Ty::TypeError, &msg));
        }
        // cells
        let mut cells = Vec::with_capacity(code.cellvars.len() + closure.len());
        for _ in 0..code.cellvars.len() {
            cells.push(self.heap.alloc(Obj::Cell(None)));
        }
        for &(pi, ci) in &code.cell_args {
            let v = fast.get_mut(pi as usize).and_then(|s| s.take());
            if let Some(&cell) = cells.get(ci as usize) {
                if let Some(Obj::Cell(c)) = self.heap.get_mut(cell) {
                    *c = v;
                }
            }
        }
        cells.extend(closure);
        let frame = Frame {
            code,
            ip: 0,
            stack: Vec::new(),
            fast,
            cells,
            globals,
            ns: None,
            blocks: Vec::new(),
            func: Some(fi),
            kind,
            stop: false,
        };
        if frame.code.generator {
            // calling a generator function makes a generator
            let qualname = frame.code.qualname.clone();
            let g = self.heap.alloc(Obj::Gen(Box::new(GenState {
                frame: Some(frame),
                qualname,
                running: false,
                done: false,
            })));
            return Ok(Some(Value::Ref(g)));
        }
        if mode == Mode::Op {
            frame!(self).ip += 1;
        }
        match self.thread_mut() {
            Some(t) => t.frames.push(frame),
            None => return Err(self.internal("no thread")),
        }
        Ok(None)
    }

    fn missing_msg(&self, qual: &str, names: &[Sym], what: &str) -> String {
        let quoted: Vec<String> = names
            .iter()
            .map(|n| format!("'{}'", self.heap.name(*n)))
            .collect();
        let list = match quoted.len() {
            1 => quoted[0].clone(),
            2 => format!("{} and {}", quoted[0], quoted[1]),
            n => format!("{}, and {}", quoted[..n - 1].join(", "), quoted[n - 1]),
        };
        format!(
            "{qual}() missing {} required {what} argument{}: {list}",
            names.len(),
            if names.len() == 1 { "" } else { "s" }
        )
    }

    /// Makes the call at the top of the stack: `base` is the callee's
    /// position; `self_` a bound receiver (CallMethod), `native` a built-in
    /// method name to apply to it.
    pub(super) fn do_call(
        &mut self,
        os: &mut dyn Os,
        n: usize,
        kwnames: Option<u32>,
        method: bool,
    ) -> R<Ctl> {
        let (f, recv, args, base) = {
            let fr = frame!(self);
            let len = fr.stack.len();
            let extra = if method { 2 } else { 1 };
            let Some(base) = len.checked_sub(n + extra) else {
                return Err(self.internal("stack underflow in call"));
            };
            let f = fr.stack.get(base).cloned().unwrap_or(Value::None);
            let recv = if method {
                fr.stack.get(base + 1).cloned()
            } else {
                None
            };
            let args: Vec<Value> = fr
                .stack
                .get(base + extra..)
                .map(|s| s.to_vec())
                .unwrap_or_default();
            (f, recv, args, base)
        };
        let mut args = args;
        let kw: Vec<(Sym, Value)> = match kwnames {
            Some(ki) => {
                let names = {
                    let fr = frame!(self);
                    fr.code
                        .kwnames
                        .get(ki as usize)
                        .cloned()
                        .unwrap_or_default()
                };
                let nk = names.len().min(args.len());
                let vals = args.split_off(args.len() - nk);
                names.into_iter().zip(vals).collect()
            }
            None => Vec::new(),
        };
        let result = match (&f, recv) {
            (Value::NativeMeth(name), Some(r)) => {
                Called::Val(self.call_method(os, &r, *name, args, kw)?)
            }
            (_, Some(Value::Null)) | (_, None) => {
                if self.is_py_callable(&f) {
                    frame!(self).stack.truncate(base);
                    self.call(os, f, args, kw, Mode::Op)?
                } else {
                    self.call(os, f, args, kw, Mode::Op)?
                }
            }
            (_, Some(r)) => {
                args.insert(0, r);
                frame!(self).stack.truncate(base);
                self.call(os, f, args, kw, Mode::Op)?
            }
        };
        if let Called::Val(v) = result {
            let fr = frame!(self);
            fr.stack.truncate(base);
            fr.stack.push(v);
            fr.ip += 1;
        }
        Ok(Ctl::Next)
    }

    pub(super) fn is_py_callable(&self, f: &Value) -> bool {
        match f {
            Value::Ref(i) => match self.heap.get(*i) {
                Some(Obj::Func(_)) => true,
                Some(Obj::Bound(_, g)) => self.is_py_callable(g),
                Some(Obj::Class(_)) => true,
                _ => false,
            },
            _ => false,
        }
    }

    /// Pushes a call's result (or leaves a pushed frame to deliver it).
    pub(super) fn finish(&mut self, c: Called) -> R<Ctl> {
        if let Called::Val(v) = c {
            let f = frame!(self);
            f.stack.push(v);
            f.ip += 1;
        }
        Ok(Ctl::Next)
    }

    pub(super) fn do_return(&mut self, os: &mut dyn Os) -> R<Ctl> {
        let v = self.pop()?;
        let Some(mut frame) = self.thread_mut().and_then(|t| t.frames.pop()) else {
            return Err(self.internal("return without frame"));
        };
        let had_socket = self.holds_socket(&frame);
        let v = match std::mem::replace(&mut frame.kind, FrameKind::Normal) {
            FrameKind::Gen { gen, for_end } => {
                self.gen_finished(gen);
                if had_socket {
                    self.gc_pending = true;
                }
                if frame.stop {
                    self.gen_returned = true;
                    return Ok(Ctl::Returned(v));
                }
                // the for loop that resumed it ends
                let f = frame!(self);
                f.stack.pop();
                if let Some(end) = for_end {
                    f.ip = end;
                }
                return Ok(Ctl::Next);
            }
            FrameKind::Normal => v,
            FrameKind::Init(inst) => {
                if v != Value::None {
                    let n = self.type_name(&v);
                    // the error belongs to the caller's call
                    if let Some(t) = self.thread_mut() {
                        t.frames.push(frame);
                    }
                    return Err(self.exc_flow(
                        Ty::TypeError,
                        &format!("__init__() should return None, not '{n}'"),
                    ));
                }
                inst
            }
            FrameKind::Class(bases) => {
                let ns = frame.ns.take().unwrap_or_default();
                match self.make_class(os, &frame.code, bases, ns, frame.globals) {
                    Ok(c) => c,
                    Err(e) => {
                        if let Some(t) = self.thread_mut() {
                            t.frames.push(frame);
                        }
                        return Err(e);
                    }
                }
            }
        };
        if had_socket {
            self.gc_pending = true;
        }
        if frame.stop {
            return Ok(Ctl::Returned(v));
        }
        match self.thread_mut().and_then(|t| t.frames.last_mut()) {
            Some(caller) => {
                caller.stack.push(v);
                if self.gc_pending {
                    self.gc_pending = false;
                    self.collect(os);
                }
                Ok(Ctl::Next)
            }
            None => Ok(Ctl::Done),
        }
    }
}
