//! The functions of the modules (`time.sleep`, `sys.exit`, `os.getpid`,
//! `random.randint`, `socket.gethostname`…) and the seeded random numbers.

use super::time::{ctime, strftime};
use super::{CWD, EPOCH_OFFSET};
use crate::sim::python::os::{OsCall, OsValue};
use crate::sim::python::value::*;
use crate::sim::python::vm::{Flow, R};
use crate::sim::python::{Interp, Os};

impl Interp {
    // ------------------------------------------------------------ module functions

    pub(crate) fn call_module_fn(
        &mut self,
        os: &mut dyn Os,
        f: Bf,
        args: Vec<Value>,
        kw: Vec<(Sym, Value)>,
    ) -> R<Value> {
        if f == Bf::SockCreateConnection {
            return self.create_connection(os, args, kw);
        }
        if f == Bf::SelectSelect {
            return self.select_select(os, args, kw);
        }
        if matches!(f, Bf::HttpParseRequest | Bf::HttpServeStatic | Bf::HttpDate) {
            self.no_kw(f.name(), &kw)?;
            return self.httpmsg_fn(os, f, args);
        }
        let a0 = args.first().cloned();
        self.no_kw(f.name(), &kw)?;
        match f {
            Bf::TimeSleep => {
                self.nargs("sleep", &args, 1, 1)?;
                let secs = match a0 {
                    Some(Value::Int(i)) => i as f64,
                    Some(Value::Bool(b)) => b as i64 as f64,
                    Some(Value::Float(x)) => x.0,
                    Some(other) => {
                        let n = self.type_name(&other);
                        return Err(self.exc_flow(
                            Ty::TypeError,
                            &format!("'{n}' object cannot be interpreted as an integer"),
                        ));
                    }
                    None => 0.0,
                };
                if secs < 0.0 {
                    return Err(self.exc_flow(Ty::ValueError, "sleep length must be non-negative"));
                }
                if !secs.is_finite() {
                    return Err(self.exc_flow(
                        Ty::OverflowError,
                        "timestamp too large to convert to C _PyTime_t",
                    ));
                }
                self.os_call(
                    os,
                    OsCall::Sleep {
                        micros: (secs * 1e6).round() as u64,
                    },
                )?;
                Ok(Value::None)
            }
            Bf::TimeTime
            | Bf::TimeMonotonic
            | Bf::TimePerfCounter
            | Bf::TimeCtime
            | Bf::TimeStrftime => {
                let micros = match self.os_call(os, OsCall::Monotonic)? {
                    OsValue::Int(m) => m,
                    _ => 0,
                };
                let secs = micros as f64 / 1e6;
                match f {
                    Bf::TimeTime => Ok(Value::float(EPOCH_OFFSET + secs)),
                    Bf::TimeMonotonic | Bf::TimePerfCounter => Ok(Value::float(secs)),
                    Bf::TimeCtime => {
                        let t = match a0 {
                            Some(Value::Int(i)) => i as f64,
                            Some(Value::Float(x)) => x.0,
                            _ => EPOCH_OFFSET + secs,
                        };
                        Ok(Value::Str(ctime(t).into()))
                    }
                    _ => {
                        let fmt = match a0 {
                            Some(Value::Str(s)) => s,
                            _ => {
                                return Err(self
                                    .exc_flow(Ty::TypeError, "strftime() argument 1 must be str"))
                            }
                        };
                        Ok(Value::Str(strftime(&fmt, EPOCH_OFFSET + secs).into()))
                    }
                }
            }
            Bf::SysGetRecursionLimit => Ok(Value::Int(super::super::vm::RECURSION_LIMIT as i64)),
            Bf::SysIntern => Ok(a0.unwrap_or(Value::None)),
            Bf::OsGetpid => match self.os_call(os, OsCall::Getpid)? {
                OsValue::Int(p) => Ok(Value::Int(p)),
                _ => Ok(Value::Int(1000)),
            },
            Bf::OsGetppid => match self.os_call(os, OsCall::Getppid)? {
                OsValue::Int(p) => Ok(Value::Int(p)),
                _ => Ok(Value::Int(1)),
            },
            Bf::OsFork => {
                if self.fork_child {
                    // the child's side of the call: it returns 0
                    self.fork_child = false;
                    return Ok(Value::Int(0));
                }
                let mut child = self.fork_copy(self.cur);
                child.fork_child = true;
                let call = OsCall::Fork {
                    thread: self.cur as u32,
                    name: None,
                    daemon: None,
                };
                let pid = match self.os_call(os, call)? {
                    OsValue::Int(pid) => pid,
                    _ => 0,
                };
                self.forked.push(child);
                Ok(Value::Int(pid))
            }
            Bf::OsWaitpid => {
                let pid = match a0 {
                    Some(v) => self.index_of(&v)?,
                    None => {
                        return Err(
                            self.exc_flow(Ty::TypeError, "waitpid expected 2 arguments, got 0")
                        )
                    }
                };
                let options = match args.get(1) {
                    Some(v) => self.index_of(v)?,
                    None => {
                        return Err(
                            self.exc_flow(Ty::TypeError, "waitpid expected 2 arguments, got 1")
                        )
                    }
                };
                let call = OsCall::Waitpid {
                    pid,
                    block: options & 1 == 0,
                    name: None,
                };
                let (pid, status) = match self.os_call(os, call)? {
                    OsValue::Int(code) => (pid, (code & 0xff) << 8),
                    _ => (0, 0),
                };
                Ok(self.new_tuple(vec![Value::Int(pid), Value::Int(status)]))
            }
            Bf::OsWexitstatus | Bf::OsWifexited => {
                let status = match a0 {
                    Some(v) => self.index_of(&v)?,
                    None => 0,
                };
                Ok(if f == Bf::OsWexitstatus {
                    Value::Int((status >> 8) & 0xff)
                } else {
                    Value::Bool(status & 0x7f == 0)
                })
            }
            Bf::OsExit => {
                let code = match a0 {
                    Some(v) => self.index_of(&v)?,
                    None => 0,
                };
                self.os_call(os, OsCall::Exit { code: code as i32 })?;
                self.exit_code = Some(code as i32);
                let e = self.new_exc_args(Ty::SystemExit, vec![Value::Int(code)]);
                Err(Flow::Exc(e))
            }
            Bf::OsGetcwd => Ok(Value::str(CWD)),
            Bf::PathJoin
            | Bf::PathBasename
            | Bf::PathDirname
            | Bf::PathSplit
            | Bf::PathSplitext
            | Bf::PathAbspath => {
                let mut parts = Vec::new();
                for a in &args {
                    match a {
                        Value::Str(s) => parts.push(s.to_string()),
                        other => {
                            let t = self.type_name(other);
                            return Err(self.exc_flow(
                                Ty::TypeError,
                                &format!("expected str, bytes or os.PathLike object, not {t}"),
                            ));
                        }
                    }
                }
                let first = parts.first().cloned().unwrap_or_default();
                let (head, tail) = match first.rfind('/') {
                    Some(i) => (
                        first.get(..i + 1).unwrap_or(""),
                        first.get(i + 1..).unwrap_or(""),
                    ),
                    None => ("", first.as_str()),
                };
                let head_trim = if head.chars().all(|c| c == '/') {
                    head.to_string()
                } else {
                    head.trim_end_matches('/').to_string()
                };
                Ok(match f {
                    Bf::PathJoin => {
                        let mut out = String::new();
                        for p in &parts {
                            if p.starts_with('/') {
                                out = p.clone();
                            } else if out.is_empty() || out.ends_with('/') {
                                out.push_str(p);
                            } else {
                                out.push('/');
                                out.push_str(p);
                            }
                        }
                        Value::Str(out.into())
                    }
                    Bf::PathBasename => Value::str(tail),
                    Bf::PathDirname => Value::Str(head_trim.into()),
                    Bf::PathSplit => {
                        let items = vec![Value::Str(head_trim.into()), Value::str(tail)];
                        self.new_tuple(items)
                    }
                    Bf::PathSplitext => {
                        let dot = tail.rfind('.').filter(|&i| {
                            tail.get(..i).is_some_and(|s| !s.chars().all(|c| c == '.'))
                        });
                        let (root, ext) = match dot {
                            Some(i) => (
                                format!("{head}{}", tail.get(..i).unwrap_or("")),
                                tail.get(i..).unwrap_or("").to_string(),
                            ),
                            None => (first.clone(), String::new()),
                        };
                        let items = vec![Value::Str(root.into()), Value::Str(ext.into())];
                        self.new_tuple(items)
                    }
                    _ => {
                        let full = if first.starts_with('/') {
                            first.clone()
                        } else {
                            format!("{CWD}/{first}")
                        };
                        let mut stack: Vec<&str> = Vec::new();
                        for seg in full.split('/') {
                            match seg {
                                "" | "." => {}
                                ".." => {
                                    stack.pop();
                                }
                                s => stack.push(s),
                            }
                        }
                        Value::Str(format!("/{}", stack.join("/")).into())
                    }
                })
            }
            Bf::PathExists | Bf::PathIsfile | Bf::PathIsdir | Bf::PathGetsize => {
                let path = match a0 {
                    Some(Value::Str(s)) => s.to_string(),
                    Some(other) => {
                        let t = self.type_name(&other);
                        return Err(self.exc_flow(
                            Ty::TypeError,
                            &format!("stat: path should be string, bytes, os.PathLike or integer, not {t}"),
                        ));
                    }
                    None => String::new(),
                };
                // the host's files answer: a file, a directory (EISDIR), or nothing
                let r = self.os_call(
                    os,
                    OsCall::Open {
                        path: path.clone(),
                        mode: "rb".into(),
                    },
                );
                let (file, dir, size) = match r {
                    Ok(OsValue::Bytes(b)) => (true, false, b.len()),
                    Ok(OsValue::Str(s)) => (true, false, s.len()),
                    Ok(_) => (true, false, 0),
                    Err(Flow::Exc(e)) => (false, self.exc_is(&e, Ty::IsADirectoryError), 0),
                    Err(other) => return Err(other),
                };
                Ok(match f {
                    Bf::PathExists => Value::Bool(file || dir),
                    Bf::PathIsfile => Value::Bool(file),
                    Bf::PathIsdir => Value::Bool(dir),
                    _ => {
                        if !file && !dir {
                            let e = self.new_exc_args(
                                Ty::FileNotFoundError,
                                vec![
                                    Value::Int(2),
                                    Value::str("No such file or directory"),
                                    Value::Str(path.into()),
                                ],
                            );
                            return Err(Flow::Exc(e));
                        }
                        Value::Int(size as i64)
                    }
                })
            }
            Bf::SockGethostbyname => {
                let name = match a0 {
                    Some(Value::Str(s)) => s.to_string(),
                    Some(other) => {
                        let n = self.type_name(&other);
                        return Err(self.exc_flow(
                            Ty::TypeError,
                            &format!("gethostbyname() argument 1 must be str, bytes or bytearray, not {n}"),
                        ));
                    }
                    None => {
                        return Err(self.exc_flow(
                            Ty::TypeError,
                            "gethostbyname() takes exactly one argument (0 given)",
                        ))
                    }
                };
                match self.os_call(os, OsCall::GetHostByName { name })? {
                    OsValue::Str(ip) => Ok(Value::Str(ip.into())),
                    _ => Ok(Value::str("0.0.0.0")),
                }
            }
            Bf::SockGethostname => Ok(Value::str("localhost")),
            Bf::ThCurrentThread => Ok(self.current_thread_obj()),
            Bf::ThMainThread => {
                let saved = self.cur;
                self.cur = 0;
                let o = self.current_thread_obj();
                self.cur = saved;
                Ok(o)
            }
            Bf::ThActiveCount => {
                let n = self
                    .threads
                    .iter()
                    .enumerate()
                    .filter(|(i, t)| {
                        !t.done && (*i == 0 || self.thread_started.contains(&(*i as u32)))
                    })
                    .count();
                Ok(Value::Int(n as i64))
            }
            Bf::ThEnumerate => {
                let saved = self.cur;
                let mut out = Vec::new();
                for i in 0..self.threads.len() {
                    let alive = self.threads.get(i).is_some_and(|t| !t.done)
                        && (i == 0 || self.thread_started.contains(&(i as u32)));
                    if alive {
                        self.cur = i;
                        out.push(self.current_thread_obj());
                    }
                }
                self.cur = saved;
                Ok(Value::Ref(self.heap.alloc(Obj::List(out))))
            }
            Bf::ThGetIdent => {
                let o = self.current_thread_obj();
                let ident = match self.heap.inst(&o).map(|i| &i.native) {
                    Some(Native::Thread(t)) => t.ident,
                    _ => 0,
                };
                Ok(Value::Int(ident))
            }
            Bf::ThLock | Bf::ThRLock => {
                Ok(Value::Ref(self.heap.alloc(Obj::Inst(Box::new(Inst {
                    class: Value::Type(if f == Bf::ThLock { Ty::Lock } else { Ty::RLock }),
                    attrs: Vec::new(),
                    native: Native::Lock {
                        locked: false,
                        owner: None,
                        count: 0,
                        reentrant: f == Bf::ThRLock,
                    },
                })))))
            }
            Bf::RandSeed => {
                let s = match a0 {
                    Some(v) => self.hash(os, &v)? as u64,
                    None => 0,
                };
                self.rng = s ^ 0x9E37_79B9_7F4A_7C15;
                Ok(Value::None)
            }
            Bf::RandRandom => Ok(Value::float(self.rand_f64())),
            Bf::RandUniform => {
                let a = self.num_arg(args.first())?;
                let b = self.num_arg(args.get(1))?;
                Ok(Value::float(a + (b - a) * self.rand_f64()))
            }
            Bf::RandRandint | Bf::RandRandrange => {
                let (lo, hi) = if f == Bf::RandRandint {
                    self.nargs("randint", &args, 2, 2)?;
                    (self.index_of(&args[0])?, self.index_of(&args[1])?)
                } else {
                    match args.len() {
                        1 => (0, self.index_of(&args[0])?.saturating_sub(1)),
                        _ => (
                            self.index_of(args.first().unwrap_or(&Value::Int(0)))?,
                            self.index_of(args.get(1).unwrap_or(&Value::Int(1)))?
                                .saturating_sub(1),
                        ),
                    }
                };
                if hi < lo {
                    return Err(self.exc_flow(
                        Ty::ValueError,
                        &format!(
                            "empty range for randrange() ({lo}, {}, {})",
                            i128_text(hi as i128 + 1),
                            i128_text(hi as i128 + 1 - lo as i128)
                        ),
                    ));
                }
                let span = (hi as i128 - lo as i128 + 1) as u128;
                let r = (self.rand_u64() as u128) % span;
                Ok(Value::Int((lo as i128 + r as i128) as i64))
            }
            Bf::RandChoice => {
                let items = self.iterate(os, &a0.unwrap_or(Value::None))?;
                if items.is_empty() {
                    return Err(
                        self.exc_flow(Ty::IndexError, "Cannot choose from an empty sequence")
                    );
                }
                let i = (self.rand_u64() % items.len() as u64) as usize;
                Ok(items.get(i).cloned().unwrap_or(Value::None))
            }
            Bf::RandShuffle => {
                let l = a0.unwrap_or(Value::None);
                let Value::Ref(li) = l else {
                    return Ok(Value::None);
                };
                let n = match self.heap.get(li) {
                    Some(Obj::List(v)) => v.len(),
                    _ => 0,
                };
                for i in (1..n).rev() {
                    let j = (self.rand_u64() % (i as u64 + 1)) as usize;
                    if let Some(Obj::List(v)) = self.heap.get_mut(li) {
                        v.swap(i, j);
                    }
                }
                Ok(Value::None)
            }
            _ => Err(self.exc_flow(
                Ty::NotImplementedError,
                &format!("{} is not available", f.name()),
            )),
        }
    }

    fn num_arg(&mut self, v: Option<&Value>) -> R<f64> {
        match v {
            Some(Value::Int(i)) => Ok(*i as f64),
            Some(Value::Float(f)) => Ok(f.0),
            Some(Value::Bool(b)) => Ok(*b as i64 as f64),
            _ => Err(self.exc_flow(Ty::TypeError, "must be real number")),
        }
    }

    /// splitmix64: `random` is seeded and reproducible (its numbers are
    /// not CPython's Mersenne Twister's).
    fn rand_u64(&mut self) -> u64 {
        self.rng = self.rng.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.rng;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    fn rand_f64(&mut self) -> f64 {
        (self.rand_u64() >> 11) as f64 / (1u64 << 53) as f64
    }
}

/// An i128 in decimal without `i128`'s `Display` (1.5 KB in the bundle).
fn i128_text(n: i128) -> String {
    if let Ok(small) = i64::try_from(n) {
        return small.to_string();
    }
    let mut u = n.unsigned_abs();
    let mut digits = Vec::new();
    while u > 0 {
        digits.push(b'0' + (u % 10) as u8);
        u /= 10;
    }
    if n < 0 {
        digits.push(b'-');
    }
    digits.iter().rev().map(|&b| char::from(b)).collect()
}
