//! Stepping a thread: one statement per step, and a thread's end (its
//! uncaught exception, its exit).

use super::*;

impl Interp {
    // ------------------------------------------------------------- stepping

    pub(crate) fn step_thread(&mut self, thread: usize, os: &mut dyn Os) -> Step {
        let marker = 0u8;
        self.stack_base = std::ptr::addr_of!(marker) as usize;
        let r = self.step_inner(thread, os);
        self.stack_base = 0;
        r
    }

    fn step_inner(&mut self, thread: usize, os: &mut dyn Os) -> Step {
        self.cur = thread;
        self.fuel = 0;
        if self.threads.get(thread).is_none_or(|t| t.done) {
            return Step::Exited { uncaught: None };
        }
        if thread == 0 {
            for (line, msg) in std::mem::take(&mut self.warnings) {
                let src = self
                    .lines
                    .get(line.saturating_sub(1) as usize)
                    .map(|l| l.trim().to_string())
                    .unwrap_or_default();
                let text = format!("{}:{line}: SyntaxWarning: {msg}\n  {src}\n", self.filename);
                self.write(os, Stream::Stderr, &text);
            }
            if let Some(e) = self.syntax_error.clone() {
                self.write(os, Stream::Stderr, &e.render());
                if let Some(t) = self.thread_mut() {
                    t.done = true;
                }
                self.exit_code = Some(1);
                return Step::Exited {
                    uncaught: Some(Uncaught {
                        kind: e.kind.to_string(),
                        message: e.msg.clone(),
                        line: e.line,
                        exit_code: 1,
                    }),
                };
            }
        }
        // Ctrl-C: KeyboardInterrupt where the thread is (a blocking call is abandoned)
        if self.threads.get(thread).is_some_and(|t| t.interrupt) {
            if let Some(t) = self.thread_mut() {
                t.interrupt = false;
                t.boot = None;
            }
            let e = self.new_exc_args(Ty::KeyboardInterrupt, Vec::new());
            if self.thread().is_some_and(|t| t.in_accept) {
                if let Some(x) = self.heap.exc_mut(&e) {
                    x.tb.push(TbEntry::Lib {
                        file: super::super::exc::SOCKET_PY,
                        line: 294,
                        name: "accept",
                        text: "fd, addr = self._accept()",
                        carets: "               ^^^^^^^^^^^^^^",
                    });
                }
            }
            if self.thread().is_some_and(|t| t.frames.is_empty()) {
                return self.finish_thread(os, Some(e));
            }
            match self.unwind(e, false) {
                Some(RunEnd::Uncaught(e)) | Some(RunEnd::Raised(e)) => {
                    return self.finish_thread(os, Some(e))
                }
                Some(_) => return self.finish_thread(os, None),
                None => {}
            }
        }
        // a thread's first step makes its boot call
        let boot = self.threads.get(thread).and_then(|t| t.boot.clone());
        if let Some((f, args, kw)) = boot {
            let call = match self.expand_call_args(os, &f, &args, &kw) {
                Ok((a, k)) => self.call(os, f, a, k, Mode::Sync),
                Err(e) => Err(e),
            };
            match call {
                Ok(Called::Pushed) => {
                    if let Some(t) = self.thread_mut() {
                        t.boot = None;
                    }
                }
                Ok(Called::Val(_)) => {
                    if let Some(t) = self.thread_mut() {
                        t.boot = None;
                    }
                    return self.finish_thread(os, None);
                }
                Err(Flow::Block(b)) => {
                    return Step::Blocked {
                        line: self.cur_line(),
                        on: b,
                    }
                }
                Err(Flow::Exc(e)) | Err(Flow::Reraise(e)) => {
                    if let Some(t) = self.thread_mut() {
                        t.boot = None;
                    }
                    return self.finish_thread(os, Some(e));
                }
            }
            if let Some(f) = self.thread_mut().and_then(|t| t.frames.last_mut()) {
                f.stop = false;
            }
        }
        match self.run(os, false) {
            RunEnd::Stmt(line) => Step::Ran { line },
            RunEnd::Blocked(b) => Step::Blocked {
                line: self.cur_line(),
                on: b,
            },
            RunEnd::Done | RunEnd::Returned(_) => self.finish_thread(os, None),
            RunEnd::Uncaught(e) | RunEnd::Raised(e) => self.finish_thread(os, Some(e)),
        }
    }

    fn finish_thread(&mut self, os: &mut dyn Os, exc: Option<Value>) -> Step {
        let line = self.thread().map(|t| t.line).unwrap_or(0);
        let is_main = self.cur == self.main_thread;
        if let Some(t) = self.thread_mut() {
            t.done = true;
            t.frames.clear();
            t.exc_stack.clear();
        }
        if let Some(obj) = self.thread().and_then(|t| t.obj.clone()) {
            if let Some(Native::Thread(th)) = self.heap.inst_mut(&obj).map(|i| &mut i.native) {
                th.done = true;
                // Thread.run() deletes its target and arguments when it is
                // done: they no longer keep a connection alive
                th.target = Value::None;
                th.args = Value::None;
                th.kwargs = Value::None;
            }
        }
        let mut uncaught = None;
        if let Some(e) = exc {
            let ty = self.class_of_exc(&e);
            let is_exit = ty
                .as_ref()
                .is_some_and(|t| self.is_subclass_ty(t, Ty::SystemExit));
            let message = self.exc_str(os, &e);
            let kind = self.exc_type_name(&e);
            let mut code = 1;
            if is_exit {
                let arg = self.heap.exc(&e).and_then(|x| x.args.first().cloned());
                code = match arg {
                    None | Some(Value::None) => 0,
                    Some(Value::Int(i)) => i as i32,
                    Some(Value::Bool(b)) => b as i32,
                    Some(_) => {
                        if is_main {
                            self.write(os, Stream::Stderr, &format!("{message}\n"));
                        }
                        1
                    }
                };
            } else {
                let text = self.format_exception(os, &e);
                let text = if let (true, Some(name)) = (is_main, &self.process_name) {
                    // multiprocessing's _bootstrap: `traceback.print_exc()`
                    format!("Process {name}:\n{text}")
                } else if is_main {
                    text
                } else {
                    let name = self
                        .thread()
                        .map(|t| t.name.clone())
                        .unwrap_or_else(|| "".into());
                    format!("Exception in thread {name}:\n{text}")
                };
                self.write(os, Stream::Stderr, &text);
            }
            if is_main {
                self.exit_code = Some(code);
            }
            uncaught = Some(Uncaught {
                kind,
                message,
                line,
                exit_code: code,
            });
        } else if is_main {
            self.exit_code = Some(0);
        }
        self.collect(os);
        Step::Exited { uncaught }
    }
}
