//! Generators: resuming one as a frame, running one to its next `yield`,
//! and `yield` itself.

use super::*;

impl Interp {
    /// Resumes a generator as a frame on this thread's stack. `for_end`: a
    /// `for` loop resumed it (its instruction pointer advances; the loop
    /// ends there when the generator returns); None: a built-in resumed it
    /// and runs it to its next `yield` (see `resume_gen_sync`).
    pub(super) fn resume_gen(&mut self, g: Ix, sent: Value, for_end: Option<u32>) -> R<bool> {
        let depth = self.thread().map(|t| t.frames.len()).unwrap_or(0);
        let (running, done) = match self.heap.get(g) {
            Some(Obj::Gen(st)) => (st.running, st.done),
            _ => return Err(self.internal("not a generator")),
        };
        if running {
            return Err(self.exc_flow(Ty::ValueError, "generator already executing"));
        }
        if done {
            return Ok(false);
        }
        if depth >= RECURSION_LIMIT {
            return Err(self.exc_flow(Ty::RecursionError, "maximum recursion depth exceeded"));
        }
        let frame = match self.heap.get_mut(g) {
            Some(Obj::Gen(st)) => {
                st.running = true;
                st.frame.take()
            }
            _ => None,
        };
        let Some(mut frame) = frame else {
            return Ok(false);
        };
        if frame.ip > 0 {
            frame.stack.push(sent);
        } else if sent != Value::None {
            if let Some(Obj::Gen(st)) = self.heap.get_mut(g) {
                st.running = false;
                st.frame = Some(frame);
            }
            return Err(self.exc_flow(
                Ty::TypeError,
                "can't send non-None value to a just-started generator",
            ));
        }
        frame.kind = FrameKind::Gen { gen: g, for_end };
        frame.stop = for_end.is_none();
        if for_end.is_some() {
            frame!(self).ip += 1;
        }
        match self.thread_mut() {
            Some(t) => t.frames.push(frame),
            None => return Err(self.internal("no thread")),
        }
        Ok(true)
    }

    /// A built-in's `next()` on a generator: runs it to its next `yield`
    /// (None when it returned).
    pub(crate) fn resume_gen_sync(
        &mut self,
        os: &mut dyn Os,
        g: Ix,
        sent: Value,
    ) -> R<Option<Value>> {
        let marker = 0u8;
        let here = std::ptr::addr_of!(marker) as usize;
        let used = self.stack_base.saturating_sub(here);
        if self.nested >= NESTED_LIMIT || used > STACK_BUDGET {
            return Err(self.exc_flow(
                Ty::RecursionError,
                "maximum recursion depth exceeded while calling a Python object",
            ));
        }
        if !self.resume_gen(g, sent, None)? {
            return Ok(None);
        }
        self.nested += 1;
        let end = self.run(os, true);
        self.nested -= 1;
        match end {
            RunEnd::Returned(v) => {
                if std::mem::take(&mut self.gen_returned) {
                    Ok(None)
                } else {
                    Ok(Some(v))
                }
            }
            RunEnd::Raised(e) | RunEnd::Uncaught(e) => Err(Flow::Exc(e)),
            _ => Err(self.internal("generator did not yield")),
        }
    }

    pub(super) fn gen_finished(&mut self, g: Ix) {
        if let Some(Obj::Gen(st)) = self.heap.get_mut(g) {
            st.running = false;
            st.done = true;
            st.frame = None;
        }
    }

    pub(super) fn do_yield(&mut self) -> R<Ctl> {
        let v = self.pop()?;
        let Some(mut frame) = self.thread_mut().and_then(|t| t.frames.pop()) else {
            return Err(self.internal("yield without frame"));
        };
        let FrameKind::Gen { gen, .. } = frame.kind else {
            if let Some(t) = self.thread_mut() {
                t.frames.push(frame);
            }
            return Err(self.internal("yield outside a generator frame"));
        };
        frame.ip += 1;
        let stop = frame.stop;
        frame.stop = false;
        if let Some(Obj::Gen(st)) = self.heap.get_mut(gen) {
            st.running = false;
            st.frame = Some(frame);
        }
        if stop {
            return Ok(Ctl::Returned(v));
        }
        self.push(v)?;
        Ok(Ctl::Next)
    }
}
