//! The instruction loop: `run`, exception unwinding, and `exec`, which runs
//! the most frequent instructions (the rest are in `exec_cold`).

use super::*;

impl Interp {
    /// Runs instructions of the current thread. Outermost (`nested` false):
    /// until the next statement boundary. Nested: until the callback frame
    /// on top when it started returns.
    pub(super) fn run(&mut self, os: &mut dyn Os, nested: bool) -> RunEnd {
        let mut executed = false;
        let mut first_line = 0;
        let mut budget: u64 = 0;
        loop {
            // statement boundary
            let op = {
                let Some(f) = self.threads.get(self.cur).and_then(|t| t.frames.last()) else {
                    return RunEnd::Done;
                };
                f.code.ops.get(f.ip as usize).copied().unwrap_or(Op::Return)
            };
            if !nested && executed {
                // the end of the thread's code is a step of its own (the last
                // statement ran in this one)
                if op == Op::Return
                    && self.thread().is_some_and(|t| t.frames.len() == 1)
                    && first_line != 0
                {
                    return RunEnd::Stmt(first_line);
                }
            }
            if let Op::Stmt(line) = op {
                if !nested {
                    if executed {
                        return RunEnd::Stmt(first_line);
                    }
                    first_line = line;
                }
                if let Some(t) = self.thread_mut() {
                    t.line = line;
                }
            }
            executed = true;
            budget += 1;
            if !nested && budget > STEP_BUDGET as u64 {
                return RunEnd::Stmt(if first_line == 0 {
                    self.cur_line()
                } else {
                    first_line
                });
            }
            if nested && budget > NESTED_BUDGET {
                let e = self.new_exc(
                    Ty::RuntimeError,
                    "a callback (__str__, key=…) ran too long for one step",
                );
                match self.unwind(e, false) {
                    Some(end) => return end,
                    None => continue,
                }
            }
            let r = self.exec(os, op);
            let flow = match r {
                Ok(Ctl::Next) => continue,
                Ok(Ctl::Done) => return RunEnd::Done,
                Ok(Ctl::Returned(v)) => return RunEnd::Returned(v),
                Err(f) => f,
            };
            match flow {
                Flow::Block(b) => {
                    if nested {
                        let e = self.new_exc(
                            Ty::RuntimeError,
                            "a blocking call inside a callback (__str__, key=…) is not supported",
                        );
                        if let Some(end) = self.unwind(e, false) {
                            return end;
                        }
                        continue;
                    }
                    return RunEnd::Blocked(b);
                }
                Flow::Exc(e) => {
                    if let Some(end) = self.unwind(e, false) {
                        return end;
                    }
                }
                Flow::Reraise(e) => {
                    if let Some(end) = self.unwind(e, true) {
                        return end;
                    }
                }
            }
        }
    }

    /// Looks for a handler for `exc`, popping frames. `None` when one was
    /// found (execution continues there).
    pub(super) fn unwind(&mut self, exc: Value, reraise: bool) -> Option<RunEnd> {
        if !reraise {
            // __context__: the exception being handled when this one was raised
            let top = self.thread().and_then(|t| t.exc_stack.last().cloned());
            if let Some(top) = top {
                if top != exc {
                    if let Some(x) = self.heap.exc_mut(&exc) {
                        if x.context.is_none() {
                            x.context = Some(top);
                        }
                    }
                }
            }
        }
        let mut add_tb = !reraise;
        let mut raising_frame = true;
        loop {
            let cur = self.cur;
            let thread = self.threads.get_mut(cur)?;
            let Some(frame) = thread.frames.last_mut() else {
                return Some(RunEnd::Uncaught(exc));
            };
            if add_tb {
                let ip = if raising_frame {
                    frame.ip
                } else {
                    frame.ip.saturating_sub(1)
                };
                let entry = TbEntry::Code(frame.code.clone(), ip);
                if let Some(Obj::Inst(i)) = match &exc {
                    Value::Ref(ix) => self
                        .heap
                        .objs
                        .get_mut(*ix as usize)
                        .and_then(|o| o.as_mut())
                        .map(Rc::make_mut),
                    _ => None,
                } {
                    if let Native::Exc(x) = &mut i.native {
                        x.tb.push(entry);
                    }
                }
            }
            let thread = self.threads.get_mut(cur)?;
            let frame = thread.frames.last_mut()?;
            while let Some(b) = frame.blocks.pop() {
                if b.kind == BlockKind::Handler {
                    thread.exc_stack.pop();
                    continue;
                }
                frame.stack.truncate(b.level as usize);
                frame.blocks.push(Block {
                    kind: BlockKind::Handler,
                    handler: 0,
                    level: b.level,
                });
                frame.stack.push(exc.clone());
                frame.ip = b.handler;
                thread.exc_stack.push(exc);
                return None;
            }
            let popped = thread.frames.pop()?;
            let stop = popped.stop;
            if let FrameKind::Gen { gen, .. } = popped.kind {
                self.gen_finished(gen);
            }
            let had_socket = self.holds_socket(&popped);
            if had_socket {
                self.gc_pending = true;
            }
            if stop {
                return Some(RunEnd::Raised(exc));
            }
            if self.threads.get(cur).is_some_and(|t| t.frames.is_empty()) {
                return Some(RunEnd::Uncaught(exc));
            }
            add_tb = true;
            raising_frame = false;
        }
    }

    // ------------------------------------------------------------- the loop

    /// The most frequent instructions, in a function with a small stack
    /// frame; everything else (and the slow paths) in `exec_cold`.
    #[inline(never)]
    fn exec(&mut self, os: &mut dyn Os, op: Op) -> R<Ctl> {
        let cur = self.cur;
        let Some(f) = self.threads.get_mut(cur).and_then(|t| t.frames.last_mut()) else {
            return self.exec_cold(os, op);
        };
        match op {
            Op::Stmt(_) => {
                if self.heap.allocated > self.gc_threshold || self.gc_pending {
                    return self.exec_cold(os, op);
                }
            }
            Op::Const(i) => {
                let v = f
                    .code
                    .consts
                    .get(i as usize)
                    .cloned()
                    .unwrap_or(Value::None);
                f.stack.push(v);
            }
            Op::LoadFast(i) => match f.fast.get(i as usize) {
                Some(Some(v)) => {
                    let v = v.clone();
                    f.stack.push(v);
                }
                _ => return self.exec_cold(os, op),
            },
            Op::StoreFast(i) => match (f.stack.last(), f.fast.get(i as usize)) {
                (
                    Some(Value::Int(_) | Value::Bool(_) | Value::Float(_) | Value::None),
                    Some(
                        Some(Value::Int(_) | Value::Bool(_) | Value::Float(_) | Value::None) | None,
                    ),
                ) => {
                    let v = f.stack.pop();
                    if let Some(slot) = f.fast.get_mut(i as usize) {
                        *slot = v;
                    }
                }
                _ => return self.exec_cold(os, op),
            },
            Op::Jump(t) => {
                f.ip = t;
                return Ok(Ctl::Next);
            }
            Op::JumpIfFalse(t) | Op::JumpIfTrue(t) => match f.stack.last() {
                Some(Value::Bool(b)) => {
                    let b = *b;
                    f.stack.pop();
                    if b == matches!(op, Op::JumpIfTrue(_)) {
                        f.ip = t;
                        return Ok(Ctl::Next);
                    }
                }
                _ => return self.exec_cold(os, op),
            },
            Op::Bin(bop) | Op::Inplace(bop) => {
                let n = f.stack.len();
                let (Some(Value::Int(a)), Some(Value::Int(b))) = (
                    f.stack.get(n.wrapping_sub(2)),
                    f.stack.get(n.wrapping_sub(1)),
                ) else {
                    return self.exec_cold(os, op);
                };
                let (a, b) = (*a, *b);
                let r = match bop {
                    BinOp::Add => a.checked_add(b),
                    BinOp::Sub => a.checked_sub(b),
                    BinOp::Mul => a.checked_mul(b),
                    BinOp::Mod if b > 0 && a >= 0 => Some(a % b),
                    BinOp::FloorDiv if b > 0 && a >= 0 => Some(a / b),
                    _ => None,
                };
                let Some(r) = r else {
                    return self.exec_cold(os, op);
                };
                f.stack.truncate(n - 2);
                f.stack.push(Value::Int(r));
            }
            Op::Cmp(cop) => {
                let n = f.stack.len();
                let (Some(Value::Int(a)), Some(Value::Int(b))) = (
                    f.stack.get(n.wrapping_sub(2)),
                    f.stack.get(n.wrapping_sub(1)),
                ) else {
                    return self.exec_cold(os, op);
                };
                let (a, b) = (*a, *b);
                let r = match cop {
                    CmpOp::Lt => a < b,
                    CmpOp::Le => a <= b,
                    CmpOp::Gt => a > b,
                    CmpOp::Ge => a >= b,
                    CmpOp::Eq => a == b,
                    CmpOp::Ne => a != b,
                    _ => return self.exec_cold(os, op),
                };
                f.stack.truncate(n - 2);
                f.stack.push(Value::Bool(r));
            }
            Op::LoadName(s) | Op::LoadGlobal(s) => {
                if f.ns.is_some() {
                    return self.exec_cold(os, op);
                }
                let g = f.globals;
                let v = match self.heap.get(g) {
                    Some(Obj::Module(m)) => ns_get(&m.ns, s).cloned(),
                    _ => None,
                };
                let Some(v) = v else {
                    return self.exec_cold(os, op);
                };
                match self.threads.get_mut(cur).and_then(|t| t.frames.last_mut()) {
                    Some(f) => f.stack.push(v),
                    None => return self.exec_cold(os, op),
                }
            }
            Op::StoreName(s) | Op::StoreGlobal(s) => {
                if f.ns.is_some()
                    || !matches!(
                        f.stack.last(),
                        Some(
                            Value::Int(_)
                                | Value::Bool(_)
                                | Value::Float(_)
                                | Value::None
                                | Value::Str(_)
                        )
                    )
                {
                    return self.exec_cold(os, op);
                }
                let g = f.globals;
                let Some(v) = f.stack.pop() else {
                    return self.exec_cold(os, op);
                };
                let old = match self.heap.get_mut(g) {
                    Some(Obj::Module(m)) => ns_set(&mut m.ns, s, v),
                    _ => None,
                };
                if let Some(Value::Ref(_)) = old {
                    self.note_drop_ref(old);
                }
            }
            Op::Pop => {
                if matches!(f.stack.last(), Some(Value::Ref(_))) {
                    return self.exec_cold(os, op);
                }
                f.stack.pop();
            }
            // calls go straight to their helpers (a callback from a built-in
            // nests run → exec → call: keep that path's frames small)
            Op::CallMethod(n) => return self.do_call(os, n as usize, None, true),
            Op::CallMethodKw(n, k) => return self.do_call(os, n as usize, Some(k), true),
            Op::Call(n) => return self.do_call(os, n as usize, None, false),
            Op::CallKw(n, k) => return self.do_call(os, n as usize, Some(k), false),
            Op::Return => return self.do_return(os),
            _ => return self.exec_cold(os, op),
        }
        if let Some(f) = self.threads.get_mut(cur).and_then(|t| t.frames.last_mut()) {
            f.ip += 1;
        }
        Ok(Ctl::Next)
    }

    fn note_drop_ref(&mut self, old: Option<Value>) {
        if let Some(v) = old {
            self.note_drop(&v);
        }
    }
}
