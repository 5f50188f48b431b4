//! `open()`, file objects and the standard streams (`sys.stdout`…).

use crate::sim::python::builtins::take_kw;
use crate::sim::python::os::{OsCall, OsValue, Stream};
use crate::sim::python::value::*;
use crate::sim::python::vm::{Flow, R};
use crate::sim::python::{Interp, Os};
use std::rc::Rc;

impl Interp {
    // ------------------------------------------------------------ files and streams

    pub(crate) fn open(
        &mut self,
        os: &mut dyn Os,
        args: Vec<Value>,
        mut kw: Vec<(Sym, Value)>,
    ) -> R<Value> {
        let file = take_kw(&self.heap, &mut kw, "file").or_else(|| args.first().cloned());
        let mode = take_kw(&self.heap, &mut kw, "mode").or_else(|| args.get(1).cloned());
        let _buffering = take_kw(&self.heap, &mut kw, "buffering").or_else(|| args.get(2).cloned());
        let encoding = take_kw(&self.heap, &mut kw, "encoding").or_else(|| args.get(3).cloned());
        let errors = take_kw(&self.heap, &mut kw, "errors").or_else(|| args.get(4).cloned());
        let _newline = take_kw(&self.heap, &mut kw, "newline");
        self.no_kw("open", &kw)?;
        let path = match file {
            Some(Value::Str(s)) => s,
            Some(other) => {
                let n = self.type_name(&other);
                return Err(self.exc_flow(
                    Ty::TypeError,
                    &format!("expected str, bytes or os.PathLike object, not {n}"),
                ));
            }
            None => {
                return Err(self.exc_flow(
                    Ty::TypeError,
                    "open() missing required argument 'file' (pos 1)",
                ))
            }
        };
        let mode: Rc<str> = match mode {
            Some(Value::Str(m)) => m,
            None => "r".into(),
            Some(other) => {
                let n = self.type_name(&other);
                return Err(self.exc_flow(
                    Ty::TypeError,
                    &format!("open() argument 'mode' must be str, not {n}"),
                ));
            }
        };
        if !mode.chars().all(|c| "rwxabt+U".contains(c)) || mode.is_empty() {
            return Err(self.exc_flow(Ty::ValueError, &format!("invalid mode: '{mode}'")));
        }
        let binary = mode.contains('b');
        if binary && encoding.is_some() {
            return Err(self.exc_flow(
                Ty::ValueError,
                "binary mode doesn't take an encoding argument",
            ));
        }
        if mode.contains(['w', 'a', 'x', '+']) {
            let e = self.new_exc_args(
                Ty::OSError,
                vec![
                    Value::Int(30),
                    Value::str("Read-only file system"),
                    Value::Str(path),
                ],
            );
            return Err(Flow::Exc(e));
        }
        let data = match self.os_call(
            os,
            OsCall::Open {
                path: path.to_string(),
                mode: mode.to_string(),
            },
        ) {
            Ok(OsValue::Bytes(b)) => b,
            Ok(OsValue::Str(s)) => s.into_bytes(),
            Ok(_) => Vec::new(),
            Err(Flow::Exc(e)) => {
                // the file name is part of the message: [Errno 2] No such file or directory: 'x'
                if let Some(x) = self.heap.exc_mut(&e) {
                    if x.args.len() == 2 {
                        x.args.push(Value::Str(path.clone()));
                    }
                }
                return Err(Flow::Exc(e));
            }
            Err(other) => return Err(other),
        };
        let enc: Rc<str> = match &encoding {
            Some(Value::Str(e)) => e.clone(),
            _ => "UTF-8".into(),
        };
        let text = if binary {
            None
        } else {
            let errors = match errors {
                Some(Value::Str(e)) => e.to_string(),
                _ => "strict".into(),
            };
            let t = self.decode_bytes(&data, &enc, &errors)?;
            Some(Rc::from(t.replace("\r\n", "\n").replace('\r', "\n")))
        };
        Ok(Value::Ref(self.heap.alloc(Obj::Inst(Box::new(Inst {
            class: Value::Type(if binary { Ty::BinFile } else { Ty::TextFile }),
            attrs: Vec::new(),
            native: Native::File(Box::new(FileObj {
                name: path,
                mode,
                data: data.into(),
                text,
                pos: 0,
                closed: false,
                encoding: enc,
            })),
        })))))
    }

    fn file(&self, v: &Value) -> Option<FileObj> {
        match self.heap.inst(v).map(|i| &i.native) {
            Some(Native::File(f)) => Some((**f).clone()),
            _ => None,
        }
    }

    fn set_pos(&mut self, v: &Value, pos: usize) {
        if let Some(Native::File(f)) = self.heap.inst_mut(v).map(|i| &mut i.native) {
            f.pos = pos;
        }
    }

    /// The next line of a file (for iteration).
    pub(crate) fn file_next_line(&mut self, v: &Value) -> R<Option<Value>> {
        let Some(f) = self.file(v) else {
            return Ok(None);
        };
        if f.closed {
            return Err(self.exc_flow(Ty::ValueError, "I/O operation on closed file."));
        }
        let (line, newpos) = match &f.text {
            Some(t) => {
                let rest = t.get(f.pos..).unwrap_or("");
                if rest.is_empty() {
                    return Ok(None);
                }
                let end = rest.find('\n').map(|p| p + 1).unwrap_or(rest.len());
                (Value::str(rest.get(..end).unwrap_or("")), f.pos + end)
            }
            None => {
                let rest = f.data.get(f.pos..).unwrap_or(&[]);
                if rest.is_empty() {
                    return Ok(None);
                }
                let end = rest
                    .iter()
                    .position(|&b| b == b'\n')
                    .map(|p| p + 1)
                    .unwrap_or(rest.len());
                (
                    Value::Bytes(rest.get(..end).unwrap_or(&[]).into()),
                    f.pos + end,
                )
            }
        };
        self.set_pos(v, newpos);
        Ok(Some(line))
    }

    pub(crate) fn file_method(
        &mut self,
        os: &mut dyn Os,
        v: &Value,
        n: &str,
        args: Vec<Value>,
        _kw: Vec<(Sym, Value)>,
    ) -> R<Value> {
        let Some(f) = self.file(v) else {
            return Err(self.internal("not a file"));
        };
        if f.closed && !matches!(n, "close" | "__exit__") {
            return Err(self.exc_flow(Ty::ValueError, "I/O operation on closed file."));
        }
        match n {
            "read" => {
                let size = match args.first() {
                    None | Some(Value::None) => -1,
                    Some(x) => self.index_of(x)?,
                };
                match &f.text {
                    Some(t) => {
                        let rest = t.get(f.pos..).unwrap_or("");
                        let end = if size < 0 {
                            rest.len()
                        } else {
                            rest.char_indices()
                                .nth(size as usize)
                                .map(|(i, _)| i)
                                .unwrap_or(rest.len())
                        };
                        self.set_pos(v, f.pos + end);
                        Ok(Value::str(rest.get(..end).unwrap_or("")))
                    }
                    None => {
                        let rest = f.data.get(f.pos..).unwrap_or(&[]);
                        let end = if size < 0 {
                            rest.len()
                        } else {
                            (size as usize).min(rest.len())
                        };
                        self.set_pos(v, f.pos + end);
                        Ok(Value::Bytes(rest.get(..end).unwrap_or(&[]).into()))
                    }
                }
            }
            "readline" | "__next__" => match self.file_next_line(v)? {
                Some(l) => Ok(l),
                None => {
                    if n == "__next__" {
                        let e = self.new_exc_args(Ty::StopIteration, Vec::new());
                        return Err(Flow::Exc(e));
                    }
                    Ok(if f.text.is_some() {
                        Value::str("")
                    } else {
                        Value::Bytes(Rc::from(&[][..]))
                    })
                }
            },
            "readlines" => {
                let mut out = Vec::new();
                while let Some(l) = self.file_next_line(v)? {
                    out.push(l);
                }
                Ok(Value::Ref(self.heap.alloc(Obj::List(out))))
            }
            "close" | "__exit__" => {
                if let Some(Native::File(x)) = self.heap.inst_mut(v).map(|i| &mut i.native) {
                    x.closed = true;
                }
                Ok(if n == "__exit__" {
                    Value::Bool(false)
                } else {
                    Value::None
                })
            }
            "__enter__" | "__iter__" => Ok(v.clone()),
            "readable" | "seekable" => Ok(Value::Bool(true)),
            "writable" => Ok(Value::Bool(false)),
            "fileno" => Ok(Value::Int(3)),
            _ => {
                let _ = os;
                let sy = self.heap.intern(n);
                Err(self.attr_error(v, sy))
            }
        }
    }

    pub(crate) fn stream_method(
        &mut self,
        os: &mut dyn Os,
        v: &Value,
        n: &str,
        args: Vec<Value>,
    ) -> R<Value> {
        let which = match self.heap.inst(v).map(|i| &i.native) {
            Some(Native::Stream(s)) => *s,
            _ => 1,
        };
        match n {
            "write" => {
                self.nargs("write", &args, 1, 1)?;
                let s = match args.first() {
                    Some(Value::Str(s)) => s.clone(),
                    Some(other) => {
                        let t = self.type_name(other);
                        return Err(self.exc_flow(
                            Ty::TypeError,
                            &format!("write() argument must be str, not {t}"),
                        ));
                    }
                    None => Rc::from(""),
                };
                let stream = if which == 2 {
                    Stream::Stderr
                } else {
                    Stream::Stdout
                };
                if !s.is_empty() {
                    self.os_call(
                        os,
                        OsCall::Write {
                            stream,
                            text: s.to_string(),
                        },
                    )?;
                }
                Ok(Value::Int(s.chars().count() as i64))
            }
            "flush" => Ok(Value::None),
            "fileno" => Ok(Value::Int(which as i64)),
            "isatty" => Ok(Value::Bool(false)),
            "readline" => match self.os_call(
                os,
                OsCall::Input {
                    prompt: String::new(),
                },
            ) {
                Ok(OsValue::Str(s)) => Ok(Value::Str(format!("{s}\n").into())),
                Ok(_) => Ok(Value::str("")),
                Err(Flow::Exc(e)) if self.exc_is(&e, Ty::EOFError) => Ok(Value::str("")),
                Err(e) => Err(e),
            },
            _ => {
                let sy = self.heap.intern(n);
                Err(self.attr_error(v, sy))
            }
        }
    }
}
