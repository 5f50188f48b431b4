//! Socket objects: creating them, their addresses and their methods
//! (`bind`, `connect`, `send`, `recv`…), and `socket.create_connection`.

use crate::sim::python::builtins::take_kw;
use crate::sim::python::os::{OsCall, OsErr, OsValue};
use crate::sim::python::value::*;
use crate::sim::python::vm::{Flow, R};
use crate::sim::python::{Interp, Os};
use std::rc::Rc;

impl Interp {
    // ------------------------------------------------------------ socket

    pub(super) fn new_socket(
        &mut self,
        os: &mut dyn Os,
        args: Vec<Value>,
        mut kw: Vec<(Sym, Value)>,
    ) -> R<Value> {
        let family = take_kw(&self.heap, &mut kw, "family").or_else(|| args.first().cloned());
        let kind = take_kw(&self.heap, &mut kw, "type").or_else(|| args.get(1).cloned());
        let _proto = take_kw(&self.heap, &mut kw, "proto").or_else(|| args.get(2).cloned());
        let _fileno = take_kw(&self.heap, &mut kw, "fileno");
        self.no_kw("socket", &kw)?;
        let family = match family {
            None | Some(Value::None) => 2,
            Some(v) => self.index_of(&v)?,
        };
        let kind = match kind {
            None | Some(Value::None) => 1,
            Some(v) => self.index_of(&v)?,
        };
        let fd = match self.os_call(
            os,
            OsCall::Socket {
                family: family as i32,
                kind: kind as i32,
            },
        )? {
            OsValue::Int(fd) => fd,
            _ => return Err(self.internal("socket() answered no fd")),
        };
        Ok(self.socket_obj(fd, family, kind))
    }

    fn socket_obj(&mut self, fd: i64, family: i64, kind: i64) -> Value {
        Value::Ref(self.heap.alloc(Obj::Inst(Box::new(Inst {
            class: Value::Type(Ty::Socket),
            attrs: Vec::new(),
            native: Native::Socket(Sock {
                fd,
                family,
                kind,
                closed: false,
                timeout: None,
            }),
        }))))
    }

    fn sock(&self, v: &Value) -> Option<Sock> {
        match self.heap.inst(v).map(|i| &i.native) {
            Some(Native::Socket(s)) => Some(s.clone()),
            _ => None,
        }
    }

    fn address(&mut self, v: &Value, what: &str) -> R<(String, u16)> {
        let Some(items) = self.tuple_items(v) else {
            let n = self.type_name(v);
            return Err(self.exc_flow(
                Ty::TypeError,
                &format!("{what}(): AF_INET address must be tuple, not {n}"),
            ));
        };
        if items.len() != 2 {
            return Err(self.exc_flow(
                Ty::TypeError,
                &format!("{what}(): AF_INET address must be a pair (host, port)"),
            ));
        }
        let host = match &items[0] {
            Value::Str(s) => s.to_string(),
            Value::Bytes(b) => String::from_utf8_lossy(b).into_owned(),
            other => {
                let n = self.type_name(other);
                return Err(self.exc_flow(
                    Ty::TypeError,
                    &format!("str, bytes or bytearray expected, not {n}"),
                ));
            }
        };
        let port = match &items[1] {
            Value::Int(p) => *p,
            Value::Bool(b) => *b as i64,
            other => {
                let n = self.type_name(other);
                return Err(self.exc_flow(
                    Ty::TypeError,
                    &format!("'{n}' object cannot be interpreted as an integer"),
                ));
            }
        };
        if !(0..=65535).contains(&port) {
            return Err(self.exc_flow(
                Ty::OverflowError,
                &format!("{what}(): port must be 0-65535."),
            ));
        }
        Ok((host, port as u16))
    }

    fn data_arg(&mut self, v: Option<&Value>) -> R<Vec<u8>> {
        match v {
            Some(Value::Bytes(b)) => Ok(b.to_vec()),
            Some(other) => {
                let n = self.type_name(other);
                Err(self.exc_flow(
                    Ty::TypeError,
                    &format!("a bytes-like object is required, not '{n}'"),
                ))
            }
            None => Err(self.exc_flow(
                Ty::TypeError,
                "a bytes-like object is required, not 'NoneType'",
            )),
        }
    }

    fn addr_tuple(&mut self, v: OsValue) -> Value {
        match v {
            OsValue::Addr(h, p) => {
                let items = vec![Value::Str(h.into()), Value::Int(p as i64)];
                self.new_tuple(items)
            }
            _ => {
                let items = vec![Value::str("0.0.0.0"), Value::Int(0)];
                self.new_tuple(items)
            }
        }
    }

    /// A socket method; an exception leaving `accept()` gets socket.py's
    /// frame, as CPython's traceback shows it (accept is Python code there).
    pub(crate) fn socket_method(
        &mut self,
        os: &mut dyn Os,
        s: &Value,
        n: &str,
        args: Vec<Value>,
        kw: Vec<(Sym, Value)>,
    ) -> R<Value> {
        let r = self.socket_method_inner(os, s, n, args, kw);
        let blocked = n == "accept" && matches!(r, Err(Flow::Block(_)));
        if let Some(t) = self.thread_mut() {
            t.in_accept = blocked;
        }
        if n == "accept" {
            if let Err(Flow::Exc(e)) = &r {
                if let Some(x) = self.heap.exc_mut(e) {
                    x.tb.push(TbEntry::Lib {
                        file: super::super::exc::SOCKET_PY,
                        line: 294,
                        name: "accept",
                        text: "fd, addr = self._accept()",
                        carets: "               ^^^^^^^^^^^^^^",
                    });
                }
            }
        }
        r
    }

    fn socket_method_inner(
        &mut self,
        os: &mut dyn Os,
        s: &Value,
        n: &str,
        args: Vec<Value>,
        mut kw: Vec<(Sym, Value)>,
    ) -> R<Value> {
        let Some(sock) = self.sock(s) else {
            return Err(self.internal("not a socket"));
        };
        let fd = sock.fd as i32;
        let a0 = args.first().cloned();
        if sock.closed
            && !matches!(
                n,
                "close" | "fileno" | "__exit__" | "gettimeout" | "getblocking" | "detach"
            )
        {
            return Err(self.os_error(OsErr::Errno(9)));
        }
        // the argument-count messages of CPython's socket methods
        let k = args.len();
        let (min, max) = match n {
            "bind" | "connect" | "connect_ex" | "settimeout" | "setblocking" => (1, 1),
            "recv" | "send" | "sendall" => (1, 2),
            "listen" | "shutdown" => (0, 1),
            "setsockopt" => (3, 4),
            "getsockopt" => (2, 3),
            "accept" | "close" | "fileno" | "getpeername" | "getsockname" | "gettimeout"
            | "getblocking" | "detach" => (0, 0),
            _ => (0, 8),
        };
        if (k < min && (n != "recv" || kw.is_empty())) || k > max {
            let msg = match n {
                "bind" | "connect" | "connect_ex" => {
                    format!("socket.{n}() takes exactly one argument ({k} given)")
                }
                _ if max == 0 => {
                    format!(
                        "socket.{n}() takes 1 positional argument but {} were given",
                        k + 1
                    )
                }
                _ if k < min => format!(
                    "{n}() takes {} {min} argument{} ({k} given)",
                    if min == max || n == "setsockopt" {
                        "exactly"
                    } else {
                        "at least"
                    },
                    if min == 1 { "" } else { "s" }
                ),
                _ => format!(
                    "{n}() takes {} {max} argument{} ({k} given)",
                    if min == max { "exactly" } else { "at most" },
                    if max == 1 { "" } else { "s" }
                ),
            };
            return Err(self.exc_flow(Ty::TypeError, &msg));
        }
        match n {
            "bind" => {
                let (host, port) = self.address(&a0.unwrap_or(Value::None), "bind")?;
                self.os_call(os, OsCall::Bind { fd, host, port })?;
                Ok(Value::None)
            }
            "listen" => {
                let backlog = match a0 {
                    Some(v) => self.index_of(&v)?.max(0),
                    None => 128,
                };
                self.os_call(
                    os,
                    OsCall::Listen {
                        fd,
                        backlog: backlog as i32,
                    },
                )?;
                Ok(Value::None)
            }
            "accept" => match self.os_call(os, OsCall::Accept { fd })? {
                OsValue::Accepted {
                    fd: nfd,
                    host,
                    port,
                } => {
                    let conn = self.socket_obj(nfd as i64, sock.family, sock.kind);
                    let addr = self.addr_tuple(OsValue::Addr(host, port));
                    Ok(self.new_tuple(vec![conn, addr]))
                }
                _ => Err(self.internal("accept() answered no connection")),
            },
            "connect" | "connect_ex" => {
                let (host, port) = self.address(&a0.unwrap_or(Value::None), n)?;
                let r = self.os_call(os, OsCall::Connect { fd, host, port });
                if n == "connect_ex" {
                    return match r {
                        Ok(_) => Ok(Value::Int(0)),
                        Err(Flow::Exc(e)) => Ok(self
                            .exc_attr(&e, "errno")
                            .filter(|v| *v != Value::None)
                            .unwrap_or(Value::Int(110))),
                        Err(other) => Err(other),
                    };
                }
                r?;
                Ok(Value::None)
            }
            "send" => {
                let data = self.data_arg(a0.as_ref())?;
                match self.os_call(os, OsCall::Send { fd, data })? {
                    OsValue::Int(k) => Ok(Value::Int(k)),
                    _ => Ok(Value::Int(0)),
                }
            }
            "sendall" => {
                let data = self.data_arg(a0.as_ref())?;
                self.os_call(os, OsCall::Sendall { fd, data })?;
                Ok(Value::None)
            }
            "recv" => {
                let size = take_kw(&self.heap, &mut kw, "bufsize").or(a0);
                let Some(size) = size else {
                    return Err(
                        self.exc_flow(Ty::TypeError, "recv() takes at least 1 argument (0 given)")
                    );
                };
                let size = self.index_of(&size)?;
                if size < 0 {
                    return Err(self.exc_flow(Ty::ValueError, "negative buffersize in recv"));
                }
                match self.os_call(
                    os,
                    OsCall::Recv {
                        fd,
                        max: size as usize,
                    },
                )? {
                    OsValue::Bytes(b) => Ok(Value::Bytes(b.into())),
                    _ => Ok(Value::Bytes(Rc::from(&[][..]))),
                }
            }
            "shutdown" => {
                let how = self.index_of(&a0.unwrap_or(Value::Int(2)))?;
                self.os_call(
                    os,
                    OsCall::Shutdown {
                        fd,
                        how: how as i32,
                    },
                )?;
                Ok(Value::None)
            }
            "close" | "__exit__" => {
                if !sock.closed {
                    self.os_call(os, OsCall::Close { fd })?;
                    if let Some(Native::Socket(x)) = self.heap.inst_mut(s).map(|i| &mut i.native) {
                        x.closed = true;
                    }
                }
                Ok(if n == "__exit__" {
                    Value::Bool(false)
                } else {
                    Value::None
                })
            }
            "__enter__" => Ok(s.clone()),
            "detach" => {
                if let Some(Native::Socket(x)) = self.heap.inst_mut(s).map(|i| &mut i.native) {
                    x.closed = true;
                }
                Ok(Value::Int(if sock.closed { -1 } else { sock.fd }))
            }
            "fileno" => Ok(Value::Int(if sock.closed { -1 } else { sock.fd })),
            "getpeername" | "getsockname" => {
                let call = if n == "getpeername" {
                    OsCall::Getpeername { fd }
                } else {
                    OsCall::Getsockname { fd }
                };
                let r = self.os_call(os, call)?;
                Ok(self.addr_tuple(r))
            }
            "settimeout" | "setblocking" => {
                let t: Option<f64> = if n == "setblocking" {
                    let b = self.truthy(os, &a0.unwrap_or(Value::Bool(true)))?;
                    if b {
                        None
                    } else {
                        Some(0.0)
                    }
                } else {
                    match a0 {
                        None | Some(Value::None) => None,
                        Some(Value::Int(i)) => Some(i as f64),
                        Some(Value::Float(f)) => Some(f.0),
                        Some(Value::Bool(b)) => Some(b as i64 as f64),
                        Some(other) => {
                            let tn = self.type_name(&other);
                            return Err(self.exc_flow(
                                Ty::TypeError,
                                &format!("'{tn}' object cannot be interpreted as an integer"),
                            ));
                        }
                    }
                };
                if let Some(x) = t {
                    if x < 0.0 || !x.is_finite() {
                        return Err(self.exc_flow(Ty::ValueError, "Timeout value out of range"));
                    }
                }
                let call = if n == "setblocking" {
                    OsCall::Setblocking {
                        fd,
                        blocking: t.is_none(),
                    }
                } else {
                    OsCall::Settimeout {
                        fd,
                        timeout: t.map(|x| (x * 1e6).round() as u64),
                    }
                };
                self.os_call(os, call)?;
                if let Some(Native::Socket(x)) = self.heap.inst_mut(s).map(|i| &mut i.native) {
                    x.timeout = t.map(F);
                }
                Ok(Value::None)
            }
            "gettimeout" => Ok(match sock.timeout {
                Some(t) => Value::Float(t),
                None => Value::None,
            }),
            "getblocking" => Ok(Value::Bool(sock.timeout.is_none_or(|t| t.0 != 0.0))),
            "setsockopt" => {
                let level = self.index_of(&args[0])?;
                let opt = self.index_of(&args[1])?;
                let value = match &args[2] {
                    Value::Bytes(b) => b.first().copied().unwrap_or(0) as i64,
                    v => self.index_of(v)?,
                };
                self.os_call(
                    os,
                    OsCall::Setsockopt {
                        fd,
                        level: level as i32,
                        opt: opt as i32,
                        value,
                    },
                )?;
                Ok(Value::None)
            }
            "getsockopt" => Ok(Value::Int(0)),
            _ => {
                let sy = self.heap.intern(n);
                Err(self.attr_error(s, sy))
            }
        }
    }

    /// `socket.create_connection((host, port), timeout=None)`: resolve,
    /// make a socket, connect. Blocked in connect, the socket is kept for
    /// the repeated call; on failure it is closed and the error shows
    /// socket.py's frames, as CPython's traceback does.
    pub(super) fn create_connection(
        &mut self,
        os: &mut dyn Os,
        args: Vec<Value>,
        mut kw: Vec<(Sym, Value)>,
    ) -> R<Value> {
        let addr = take_kw(&self.heap, &mut kw, "address").or_else(|| args.first().cloned());
        let timeout = take_kw(&self.heap, &mut kw, "timeout").or_else(|| args.get(1).cloned());
        let _ = take_kw(&self.heap, &mut kw, "source_address");
        self.no_kw("create_connection", &kw)?;
        let (host, port) = self.address(&addr.unwrap_or(Value::None), "create_connection")?;
        let lib = |s: &mut Self, e: &Value, entries: &[(u32, &'static str, &'static str)]| {
            if let Some(x) = s.heap.exc_mut(e) {
                for &(line, text, carets) in entries {
                    x.tb.push(TbEntry::Lib {
                        file: super::super::exc::SOCKET_PY,
                        line,
                        name: if line > 900 {
                            "getaddrinfo"
                        } else {
                            "create_connection"
                        },
                        text,
                        carets,
                    });
                }
            }
        };
        let pending = self
            .thread()
            .and_then(|t| t.pending_connect.clone())
            .filter(|(_, h, p)| *h == host && *p == port);
        let fd = match pending {
            Some((fd, _, _)) => fd,
            None => {
                let ip = if host.is_empty()
                    || host.split('.').count() == 4
                        && host.split('.').all(|p| p.parse::<u8>().is_ok())
                {
                    host.clone()
                } else {
                    match self.os_call(os, OsCall::GetHostByName { name: host.clone() }) {
                        Ok(OsValue::Str(ip)) => ip,
                        Ok(_) => host.clone(),
                        Err(Flow::Exc(e)) => {
                            lib(self, &e, &[
                                (962, "for res in _socket.getaddrinfo(host, port, family, type, proto, flags):", "               ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^"),
                                (827, "for res in getaddrinfo(host, port, 0, SOCK_STREAM):", "               ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^"),
                            ]);
                            return Err(Flow::Exc(e));
                        }
                        Err(other) => return Err(other),
                    }
                };
                let fd = match self.os_call(os, OsCall::Socket { family: 2, kind: 1 })? {
                    OsValue::Int(fd) => fd,
                    _ => return Err(self.internal("socket() answered no fd")),
                };
                if let Some(t) = timeout.as_ref().filter(|t| **t != Value::None) {
                    let secs = match t {
                        Value::Int(i) => *i as f64,
                        Value::Float(f) => f.0,
                        _ => 0.0,
                    };
                    self.os_call(
                        os,
                        OsCall::Settimeout {
                            fd: fd as i32,
                            timeout: Some((secs.max(0.0) * 1e6).round() as u64),
                        },
                    )?;
                }
                if let Some(t) = self.thread_mut() {
                    t.pending_connect = Some((fd, host.clone(), port));
                }
                let _ = ip;
                fd
            }
        };
        let ip = self
            .thread()
            .and_then(|t| t.pending_connect.as_ref().map(|(_, h, _)| h.clone()))
            .unwrap_or(host);
        match self.os_call(
            os,
            OsCall::Connect {
                fd: fd as i32,
                host: ip,
                port,
            },
        ) {
            Ok(_) => {
                if let Some(t) = self.thread_mut() {
                    t.pending_connect = None;
                }
                let s = self.socket_obj(fd, 2, 1);
                let secs = match timeout {
                    Some(Value::Float(f)) => Some(f),
                    Some(Value::Int(i)) => Some(F(i as f64)),
                    _ => None,
                };
                if let Some(Native::Socket(x)) = self.heap.inst_mut(&s).map(|i| &mut i.native) {
                    x.timeout = secs;
                }
                Ok(s)
            }
            Err(Flow::Exc(e)) => {
                if let Some(t) = self.thread_mut() {
                    t.pending_connect = None;
                }
                let _ = self.os_call(os, OsCall::Close { fd: fd as i32 });
                lib(
                    self,
                    &e,
                    &[
                        (836, "sock.connect(sa)", ""),
                        (851, "raise exceptions[0]", ""),
                    ],
                );
                Err(Flow::Exc(e))
            }
            Err(other) => Err(other),
        }
    }
}
