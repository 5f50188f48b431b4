//! `exec_cold_flow`: the instructions of `exec_cold` about control flow
//! (jumps, iteration, unpacking), making functions and classes, returning
//! and raising, exception blocks, `with`, imports and `yield`.

use super::*;

impl Interp {
    #[inline(never)]
    pub(super) fn exec_cold_flow(&mut self, os: &mut dyn Os, op: Op) -> R<Ctl> {
        macro_rules! next {
            () => {{
                frame!(self).ip += 1;
                return Ok(Ctl::Next);
            }};
        }
        match op {
            Op::Jump(t) => {
                self.jump(t)?;
                Ok(Ctl::Next)
            }
            Op::JumpIfFalse(t) | Op::JumpIfTrue(t) => {
                let v = self.pop()?;
                let b = match v {
                    Value::Bool(b) => b,
                    _ => self.truthy(os, &v)?,
                };
                if b == matches!(op, Op::JumpIfTrue(_)) {
                    self.jump(t)?;
                } else {
                    frame!(self).ip += 1;
                }
                Ok(Ctl::Next)
            }
            Op::JumpIfFalseOrPop(t) | Op::JumpIfTrueOrPop(t) => {
                let v = self.peek(0)?;
                let b = self.truthy(os, &v)?;
                if b == matches!(op, Op::JumpIfTrueOrPop(_)) {
                    self.jump(t)?;
                } else {
                    self.pop()?;
                    frame!(self).ip += 1;
                }
                Ok(Ctl::Next)
            }
            Op::GetIter => {
                let v = self.peek(0)?;
                let it = self.get_iter(os, &v)?;
                let f = frame!(self);
                f.stack.pop();
                f.stack.push(it);
                next!()
            }
            Op::ForIter(end) => {
                let it = self.peek(0)?;
                if let Value::Ref(g) = it {
                    if let Some(Obj::Gen(_)) = self.heap.get(g) {
                        if !self.resume_gen(g, Value::None, Some(end))? {
                            self.pop()?;
                            self.jump(end)?;
                        }
                        return Ok(Ctl::Next);
                    }
                }
                match self.next(os, &it)? {
                    Some(v) => {
                        self.push(v)?;
                        next!()
                    }
                    None => {
                        self.pop()?;
                        self.jump(end)?;
                        Ok(Ctl::Next)
                    }
                }
            }
            Op::Unpack(n) => {
                let v = self.peek(0)?;
                let items = self.unpack(os, &v, n as usize, None)?;
                let f = frame!(self);
                f.stack.pop();
                f.stack.extend(items.into_iter().rev());
                next!()
            }
            Op::UnpackEx(before, after) => {
                let v = self.peek(0)?;
                let items = self.unpack(os, &v, before as usize, Some(after as usize))?;
                let f = frame!(self);
                f.stack.pop();
                f.stack.extend(items.into_iter().rev());
                next!()
            }
            Op::MakeFunction(ci) => {
                let (code, globals, cells) = {
                    let f = frame!(self);
                    (
                        f.code.codes.get(ci as usize).cloned(),
                        f.globals,
                        f.cells.clone(),
                    )
                };
                let Some(code) = code else {
                    return Err(self.internal("bad code index"));
                };
                let nk = code.kwdefault_names.len();
                let kwvals = self.popn(nk)?;
                let defaults = self.popn(code.n_defaults as usize)?;
                let closure: Vec<Ix> = code
                    .free_from
                    .iter()
                    .filter_map(|&i| cells.get(i as usize).copied())
                    .collect();
                let kwdefaults = code.kwdefault_names.iter().copied().zip(kwvals).collect();
                let f = Value::Ref(self.heap.alloc(Obj::Func(Box::new(Func {
                    code,
                    globals,
                    defaults,
                    kwdefaults,
                    closure,
                    class: None,
                    attrs: Vec::new(),
                }))));
                self.push(f)?;
                next!()
            }
            Op::BuildClass(ci, nbases) => {
                let bases = self.popn(nbases as usize)?;
                let (code, globals, cells) = {
                    let f = frame!(self);
                    (
                        f.code.codes.get(ci as usize).cloned(),
                        f.globals,
                        f.cells.clone(),
                    )
                };
                let Some(code) = code else {
                    return Err(self.internal("bad code index"));
                };
                for b in &bases {
                    self.check_base(b)?;
                }
                let closure: Vec<Ix> = code
                    .free_from
                    .iter()
                    .filter_map(|&i| cells.get(i as usize).copied())
                    .collect();
                let depth = self.thread().map(|t| t.frames.len()).unwrap_or(0);
                if depth >= RECURSION_LIMIT {
                    return Err(
                        self.exc_flow(Ty::RecursionError, "maximum recursion depth exceeded")
                    );
                }
                let mut ns: Ns = Vec::new();
                let modname = self.module_name(globals);
                ns.push((bi::S_MODULE, Value::Str(modname)));
                ns.push((bi::S_QUALNAME, Value::Str(code.qualname.clone())));
                let frame = Frame {
                    code,
                    ip: 0,
                    stack: Vec::new(),
                    fast: Vec::new(),
                    cells: closure,
                    globals,
                    ns: Some(ns),
                    blocks: Vec::new(),
                    func: None,
                    kind: FrameKind::Class(bases),
                    stop: false,
                };
                frame!(self).ip += 1;
                if let Some(t) = self.thread_mut() {
                    t.frames.push(frame);
                }
                Ok(Ctl::Next)
            }
            Op::Return => self.do_return(os),
            Op::Raise(n) => {
                let cause = if n == 2 { Some(self.pop()?) } else { None };
                let exc = if n >= 1 { Some(self.pop()?) } else { None };
                match exc {
                    None => {
                        let top = self.thread().and_then(|t| t.exc_stack.last().cloned());
                        match top {
                            Some(e) => Err(Flow::Reraise(e)),
                            None => {
                                Err(self
                                    .exc_flow(Ty::RuntimeError, "No active exception to reraise"))
                            }
                        }
                    }
                    Some(e) => {
                        let e = self.make_exc(os, e)?;
                        if let Some(c) = cause {
                            let c = if c == Value::None {
                                None
                            } else {
                                Some(self.make_exc_cause(os, c)?)
                            };
                            if let Some(x) = self.heap.exc_mut(&e) {
                                x.cause = c;
                                x.suppress_context = true;
                            }
                        }
                        Err(Flow::Exc(e))
                    }
                }
            }
            Op::Reraise => {
                let e = self.pop()?;
                Err(Flow::Reraise(e))
            }
            Op::SetupExcept(h) | Op::SetupFinally(h) | Op::SetupWith(h) => {
                let f = frame!(self);
                let level =
                    (f.stack.len() as u32).saturating_sub(matches!(op, Op::SetupWith(_)) as u32);
                let kind = match op {
                    Op::SetupExcept(_) => BlockKind::Except,
                    Op::SetupFinally(_) => BlockKind::Finally,
                    _ => BlockKind::With,
                };
                f.blocks.push(Block {
                    kind,
                    handler: h,
                    level,
                });
                next!()
            }
            Op::PopBlock => {
                frame!(self).blocks.pop();
                next!()
            }
            Op::PopExcept => {
                let f = frame!(self);
                if let Some(b) = f.blocks.pop() {
                    if b.kind == BlockKind::Handler {
                        if let Some(t) = self.thread_mut() {
                            t.exc_stack.pop();
                        }
                    }
                }
                next!()
            }
            Op::ExcMatch => {
                // [exc, exc, type] -> [exc, bool]
                let typ = self.pop()?;
                let exc = self.pop()?;
                let m = self.exc_matches(&exc, &typ)?;
                self.push(Value::Bool(m))?;
                next!()
            }
            Op::BeforeWith => {
                let mgr = self.peek(0)?;
                let enter = self.lookup_special(&mgr, bi::S_ENTER);
                let exit = self.lookup_special(&mgr, bi::S_EXIT);
                let (Some(enter), Some(exit)) = (enter, exit) else {
                    let n = self.type_name(&mgr);
                    return Err(self.exc_flow(
                        Ty::TypeError,
                        &format!("'{n}' object does not support the context manager protocol"),
                    ));
                };
                {
                    let f = frame!(self);
                    f.stack.pop();
                    f.stack.push(exit);
                }
                let c = self.call(os, enter, Vec::new(), Vec::new(), Mode::Op);
                match c {
                    Ok(c) => self.finish(c),
                    Err(e) => {
                        // leave the stack as it was for the traceback
                        let f = frame!(self);
                        f.stack.pop();
                        f.stack.push(mgr);
                        Err(e)
                    }
                }
            }
            Op::WithExitNormal => {
                let exit = self.pop()?;
                let c = self.call(
                    os,
                    exit,
                    vec![Value::None, Value::None, Value::None],
                    Vec::new(),
                    Mode::Op,
                )?;
                self.finish(c)
            }
            Op::WithExcept => {
                let exc = self.peek(0)?;
                let exit = self.peek(1)?;
                let ty = self.type_of(&exc);
                let c = self.call(os, exit, vec![ty, exc, Value::None], Vec::new(), Mode::Op)?;
                self.finish(c)
            }
            Op::WithExceptCheck => {
                let res = self.pop()?;
                let exc = self.pop()?;
                if self.truthy(os, &res)? {
                    self.pop()?; // __exit__
                    let f = frame!(self);
                    if let Some(b) = f.blocks.pop() {
                        if b.kind == BlockKind::Handler {
                            if let Some(t) = self.thread_mut() {
                                t.exc_stack.pop();
                            }
                        }
                    }
                    next!()
                }
                Err(Flow::Reraise(exc))
            }
            Op::ImportName(s) => {
                let m = self.import(os, s)?;
                self.push(m)?;
                next!()
            }
            Op::ImportFrom(s) => {
                let m = self.peek(0)?;
                let v = match self.module_get(&m, s) {
                    Some(v) => v,
                    None => {
                        let name = self.heap.name(s).to_string();
                        let mn = self.module_name_of(&m);
                        return Err(self.exc_flow(
                            Ty::ImportError,
                            &format!("cannot import name '{name}' from '{mn}' (unknown location)"),
                        ));
                    }
                };
                self.push(v)?;
                next!()
            }
            Op::ImportStar => {
                let m = self.pop()?;
                let items: Ns = match &m {
                    Value::Ref(i) => match self.heap.get(*i) {
                        Some(Obj::Module(md)) => md
                            .ns
                            .iter()
                            .filter(|(k, _)| !self.heap.name(*k).starts_with('_'))
                            .cloned()
                            .collect(),
                        _ => Vec::new(),
                    },
                    _ => Vec::new(),
                };
                let f = frame!(self);
                let g = f.globals;
                if let Some(ns) = f.ns.as_mut() {
                    for (k, v) in items {
                        ns_set(ns, k, v);
                    }
                } else if let Some(Obj::Module(md)) = self.heap.get_mut(g) {
                    for (k, v) in items {
                        ns_set(&mut md.ns, k, v);
                    }
                }
                next!()
            }
            Op::Yield => self.do_yield(),
            Op::BigInt => Err(self.exc_flow(
                Ty::OverflowError,
                "integer literal too large (this interpreter's ints are 64-bit)",
            )),
            // every other instruction is exec_cold's
            _ => Err(self.exc_flow(Ty::SystemError, "unknown opcode")),
        }
    }
}
