//! Tracebacks: the report of an uncaught exception (chained exceptions
//! first), threading.py's frames, and the frame lines with their carets.

use super::*;

impl Interp {
    /// The whole report for an uncaught exception, chained exceptions first.
    pub(crate) fn format_exception(&mut self, os: &mut dyn Os, e: &Value) -> String {
        // walk __cause__ / __context__ (at most 10 links, no cycles)
        let mut chain: Vec<(Option<&'static str>, Value)> = Vec::new();
        let mut cur = Some(e.clone());
        let mut msg: Option<&'static str> = None;
        let mut seen: Vec<Value> = Vec::new();
        while let Some(x) = cur.take() {
            if seen.contains(&x) || seen.len() > 10 {
                break;
            }
            seen.push(x.clone());
            chain.push((msg, x.clone()));
            let Some(ex) = self.heap.exc(&x) else {
                break;
            };
            if let Some(c) = &ex.cause {
                msg = Some(
                    "\nThe above exception was the direct cause of the following exception:\n\n",
                );
                cur = Some(c.clone());
            } else if let (Some(c), false) = (&ex.context, ex.suppress_context) {
                msg = Some(
                    "\nDuring handling of the above exception, another exception occurred:\n\n",
                );
                cur = Some(c.clone());
            }
        }
        let mut out = String::new();
        for (i, (_, x)) in chain.iter().enumerate().rev() {
            let tb = self.heap.exc(x).map(|e| e.tb.clone()).unwrap_or_default();
            if !tb.is_empty() || i == 0 {
                let lib = if i == 0 {
                    self.lib_frames()
                } else {
                    Vec::new()
                };
                if !tb.is_empty() || !lib.is_empty() {
                    out.push_str("Traceback (most recent call last):\n");
                    let mut entries = lib;
                    entries.extend(tb.into_iter().rev());
                    out.push_str(&self.format_stack(&entries));
                }
            }
            let name = self.exc_type_name(x);
            let mut s = self.exc_str(os, x);
            if let Some(sug) = self.suggestion(x) {
                s.push_str(&format!(". Did you mean: '{sug}'?"));
            }
            if s.is_empty() {
                out.push_str(&format!("{name}\n"));
            } else {
                out.push_str(&format!("{name}: {s}\n"));
            }
            // the message joining this exception to the next (outer) one
            if let Some((Some(m), _)) = chain.get(i) {
                out.push_str(m);
            }
        }
        out
    }

    /// threading.py's frames above a thread's own (see `PyThread::lib_frames`).
    fn lib_frames(&self) -> Vec<TbEntry> {
        let n = self.thread().map(|t| t.lib_frames).unwrap_or(0);
        let mut v = Vec::new();
        if n >= 11 {
            // a multiprocessing child: process.py's `_bootstrap` and `run`
            v.push(TbEntry::Lib {
                file: MULTIPROCESSING_PY,
                line: 314,
                name: "_bootstrap",
                text: "self.run()",
                carets: "",
            });
            if n >= 12 {
                v.push(TbEntry::Lib {
                    file: MULTIPROCESSING_PY,
                    line: 108,
                    name: "run",
                    text: "self._target(*self._args, **self._kwargs)",
                    carets: "",
                });
            }
            return v;
        }
        if n >= 1 {
            v.push(TbEntry::Lib {
                file: THREADING_PY,
                line: 1038,
                name: "_bootstrap_inner",
                text: "self.run()",
                carets: "",
            });
        }
        if n >= 2 {
            v.push(TbEntry::Lib {
                file: THREADING_PY,
                line: 975,
                name: "run",
                text: "self._target(*self._args, **self._kwargs)",
                carets: "",
            });
        }
        v
    }

    /// Traceback lines for entries, outermost first (`StackSummary.format`).
    pub(crate) fn format_stack(&self, entries: &[TbEntry]) -> String {
        const CUTOFF: usize = 3;
        let mut out = String::new();
        let mut last: Option<(String, u32, String)> = None;
        let mut count = 0usize;
        for e in entries {
            let mut lib_carets = "";
            let (file, line, name, text, span) = match e {
                TbEntry::Code(code, ip) => {
                    let span = span_of(code, *ip);
                    let text = self
                        .lines
                        .get(span.line.saturating_sub(1) as usize)
                        .cloned()
                        .unwrap_or_default();
                    (
                        code.filename.to_string(),
                        span.line,
                        code.name.to_string(),
                        text,
                        Some(span),
                    )
                }
                TbEntry::Lib {
                    file,
                    line,
                    name,
                    text,
                    carets,
                } => {
                    lib_carets = carets;
                    (
                        file.to_string(),
                        *line,
                        name.to_string(),
                        format!("        {text}"),
                        None,
                    )
                }
            };
            let key = (file.clone(), line, name.clone());
            if last.as_ref() != Some(&key) {
                if count > CUTOFF {
                    let k = count - CUTOFF;
                    out.push_str(&format!(
                        "  [Previous line repeated {k} more time{}]\n",
                        if k > 1 { "s" } else { "" }
                    ));
                }
                last = Some(key);
                count = 0;
            }
            count += 1;
            if count > CUTOFF {
                continue;
            }
            out.push_str(&format!("  File \"{file}\", line {line}, in {name}\n"));
            let stripped = text.trim_matches(is_py_space);
            if !stripped.is_empty() {
                out.push_str(&format!("    {stripped}\n"));
                if let Some(span) = span {
                    if let Some(c) = carets(&text, line, span) {
                        out.push_str(&c);
                        out.push('\n');
                    }
                } else if !lib_carets.is_empty() {
                    out.push_str(lib_carets);
                    out.push('\n');
                }
            }
        }
        if count > CUTOFF {
            let k = count - CUTOFF;
            out.push_str(&format!(
                "  [Previous line repeated {k} more time{}]\n",
                if k > 1 { "s" } else { "" }
            ));
        }
        out
    }
}
