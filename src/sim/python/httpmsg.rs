//! `httpmsg`: the HTTP helpers of the `http` lesson's static web server, as a
//! built-in module. It holds no HTTP of its own: parsing a request, choosing
//! the reply and writing it are [`crate::http`]'s, the code the real server
//! runs too. What the host must give or know goes through the [`Os`]: the
//! site's bytes (`OsCall::ReadSite`) and what the program did with a message
//! (`OsCall::HttpNote`, for the narration and the Network panel).
//!
//! ```python
//! from httpmsg import parse_request, serve_static, http_date, MemoryFiles
//! SITE = MemoryFiles(["index.html"])       # the host's files of those names
//! request, used = parse_request(buf)       # (None, 0): not a whole request yet
//! reply = serve_static(request, SITE)      # reply.status: 200, 404, 400…
//! conn.sendall(reply.to_bytes(http_date(time.time()), request.keep_alive()))
//! ```
//!
//! Bytes that can never become a request are not an exception: they parse
//! to a request object (`method` and `target` are `"-"`) whose reply is the
//! error status the shared parser gives (400, 413, 414, 431, 501, 505), and
//! whose `keep_alive()` is false, so the server answers and closes.

use super::os::{OsCall, OsValue};
use super::value::*;
use super::vm::R;
use super::{Interp, Os};
use crate::http::{
    parse_request, serve_static, HttpDate, Limits, MemoryFiles, Parsed, Request, RequestError,
    StaticReply,
};
use crate::sim::event::HttpNote;
use std::rc::Rc;

/// A request object's state: a whole request, or bytes the parser rejected.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum HttpReq {
    Ok(Request),
    Bad(RequestError),
}

/// The method names of the module's objects (for `dir()` and suggestions).
pub(crate) const REQUEST_METHODS: &[&str] = &["keep_alive"];
pub(crate) const REPLY_METHODS: &[&str] = &["to_bytes"];

impl Interp {
    fn http_obj(&mut self, ty: Ty, native: Native) -> Value {
        Value::Ref(self.heap.alloc(Obj::Inst(Box::new(Inst {
            class: Value::Type(ty),
            attrs: Vec::new(),
            native,
        }))))
    }

    fn http_note(&mut self, os: &mut dyn Os, note: HttpNote) -> R<()> {
        self.os_call(os, OsCall::HttpNote(note)).map(|_| ())
    }

    fn http_arg_error(&mut self, f: &str, want: &str, got: &Value) -> super::vm::Flow {
        let t = self.type_name(got);
        self.exc_flow(
            Ty::TypeError,
            &format!("{f}() argument must be {want}, not '{t}'"),
        )
    }

    /// `parse_request(buf)`, `serve_static(request, site)`, `http_date(t)`.
    pub(crate) fn httpmsg_fn(&mut self, os: &mut dyn Os, f: Bf, args: Vec<Value>) -> R<Value> {
        match f {
            Bf::HttpParseRequest => {
                self.nargs("parse_request", &args, 1, 1)?;
                let buf = match &args[0] {
                    Value::Bytes(b) => b.clone(),
                    other => return Err(self.http_arg_error("parse_request", "bytes", other)),
                };
                let (req, used) = match parse_request(&buf, &Limits::default()) {
                    Ok(Parsed::Complete { message, len }) => {
                        let note = HttpNote::RequestParsed {
                            method: message.method.clone(),
                            target: message.target.clone(),
                            len,
                            keep_alive: message.keep_alive(),
                        };
                        self.http_note(os, note)?;
                        (Some(HttpReq::Ok(message)), len)
                    }
                    Ok(Parsed::Partial) => {
                        if !buf.is_empty() {
                            let have = buf.len();
                            self.http_note(os, HttpNote::RequestIncomplete { have })?;
                        }
                        (None, 0)
                    }
                    Err(e) => {
                        let note = HttpNote::RequestRejected {
                            status: e.status().code(),
                            why: e.to_string(),
                        };
                        self.http_note(os, note)?;
                        (Some(HttpReq::Bad(e)), buf.len())
                    }
                };
                let req = match req {
                    Some(r) => self.http_obj(Ty::HttpRequest, Native::HttpRequest(Rc::new(r))),
                    None => Value::None,
                };
                let t = Obj::Tuple(vec![req, Value::Int(used as i64)]);
                Ok(Value::Ref(self.heap.alloc(t)))
            }
            Bf::HttpServeStatic => {
                self.nargs("serve_static", &args, 2, 2)?;
                let req = match self.heap.inst(&args[0]).map(|i| &i.native) {
                    Some(Native::HttpRequest(r)) => r.clone(),
                    _ => return Err(self.http_arg_error("serve_static", "a request", &args[0])),
                };
                let site = match self.heap.inst(&args[1]).map(|i| &i.native) {
                    Some(Native::Site(s)) => s.clone(),
                    _ => return Err(self.http_arg_error("serve_static", "MemoryFiles", &args[1])),
                };
                let reply = match &*req {
                    HttpReq::Ok(req) => {
                        let reply = serve_static(req, &*site);
                        let note = HttpNote::Reply {
                            status: reply.status.code(),
                            reason: reply.status.reason().to_string(),
                            file: reply.path.as_ref().map(|p| format!("/{p}")),
                            content_type: reply.content_type.map(str::to_string),
                            body_len: reply.body_to_send().len(),
                            keep_alive: req.keep_alive(),
                        };
                        self.http_note(os, note)?;
                        reply
                    }
                    // Already narrated by parse_request (RequestRejected).
                    HttpReq::Bad(e) => StaticReply::error(e.status(), e.to_string()),
                };
                Ok(self.http_obj(Ty::HttpReply, Native::HttpReply(Rc::new(reply))))
            }
            _ => {
                self.nargs("http_date", &args, 1, 1)?;
                let secs = match &args[0] {
                    Value::Int(i) => *i as f64,
                    Value::Bool(b) => f64::from(u8::from(*b)),
                    Value::Float(x) => x.0,
                    other => return Err(self.http_arg_error("http_date", "a number", other)),
                };
                // Before 1970 (or NaN) clamps to the epoch; after 9999, to its end.
                let secs = if secs > 0.0 { secs as u64 } else { 0 };
                Ok(Value::str(HttpDate::from_unix_secs(secs).as_str()))
            }
        }
    }

    /// `MemoryFiles(names)`: the host's files of those names (relative to
    /// the site's root), read once into memory.
    pub(crate) fn memory_files(&mut self, os: &mut dyn Os, args: Vec<Value>) -> R<Value> {
        self.nargs("MemoryFiles", &args, 1, 1)?;
        let mut names = Vec::new();
        for v in self.iterate(os, &args[0])? {
            match v {
                Value::Str(s) => names.push(s.trim_start_matches('/').to_string()),
                other => return Err(self.http_arg_error("MemoryFiles", "names (str)", &other)),
            }
        }
        let found = match self.os_call(os, OsCall::ReadSite { names })? {
            OsValue::Files(f) => f,
            _ => Vec::new(),
        };
        let mut site = MemoryFiles::new();
        for (name, bytes) in found {
            if let Err(e) = site.insert(&format!("/{name}"), bytes) {
                let msg = format!("{}: {e}", crate::pyrepr::py_str_repr(&name));
                return Err(self.exc_flow(Ty::ValueError, &msg));
            }
        }
        Ok(self.http_obj(Ty::MemoryFiles, Native::Site(Rc::new(site))))
    }

    /// `request.method`, `request.target`, `reply.status`.
    pub(crate) fn http_attr(native: &Native, n: &str) -> Option<Value> {
        match (native, n) {
            (Native::HttpRequest(r), "method" | "target") => Some(match &**r {
                HttpReq::Ok(req) if n == "method" => Value::str(&req.method),
                HttpReq::Ok(req) => Value::str(&req.target),
                HttpReq::Bad(_) => Value::str("-"),
            }),
            (Native::HttpReply(r), "status") => Some(Value::Int(r.status.code().into())),
            _ => None,
        }
    }

    /// `request.keep_alive()`, `reply.to_bytes(date, keep_alive)`.
    pub(crate) fn http_method(
        &mut self,
        os: &mut dyn Os,
        recv: &Value,
        name: Sym,
        n: &str,
        args: Vec<Value>,
    ) -> R<Value> {
        let native = self.heap.inst(recv).map(|i| i.native.clone());
        match (native, n) {
            (Some(Native::HttpRequest(r)), "keep_alive") => {
                self.nargs("keep_alive", &args, 0, 0)?;
                Ok(Value::Bool(match &*r {
                    HttpReq::Ok(req) => req.keep_alive(),
                    HttpReq::Bad(_) => false,
                }))
            }
            (Some(Native::HttpReply(r)), "to_bytes") => {
                self.nargs("to_bytes", &args, 2, 2)?;
                let date = match &args[0] {
                    Value::Str(s) => HttpDate::parse(s),
                    other => return Err(self.http_arg_error("to_bytes", "str", other)),
                };
                let Some(date) = date else {
                    let msg = format!(
                        "not an HTTP date (like 'Tue, 14 Nov 2023 22:13:20 GMT'): {}",
                        self.safe_repr(&args[0])
                    );
                    return Err(self.exc_flow(Ty::ValueError, &msg));
                };
                let keep_alive = self.truthy(os, &args[1])?;
                Ok(Value::Bytes(r.to_bytes(&date, keep_alive).into()))
            }
            _ => Err(self.attr_error(recv, name)),
        }
    }
}
