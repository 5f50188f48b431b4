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

#[cfg(test)]
mod tests {
    use super::super::os::OsCall;
    use super::super::test_os::{RunEnd, TestOs};
    use super::super::Interp;
    use crate::sim::event::HttpNote;

    /// Runs `src` with a site of two files (and a secret one beside it);
    /// returns stdout (or stderr after it) and the notes, with their lines.
    fn run(src: &str) -> (String, Vec<(u32, HttpNote)>, Vec<OsCall>) {
        let mut os = TestOs::new();
        os.files = vec![
            ("index.html".into(), b"<h1>hi</h1>".to_vec()),
            ("style.css".into(), b"h1{}".to_vec()),
            ("secret.txt".into(), b"password".to_vec()),
        ];
        let mut py = Interp::new("t.py", src);
        assert_eq!(os.run(&mut py, 10_000), RunEnd::Finished);
        let notes = os
            .log
            .iter()
            .filter_map(|(_, line, c)| match c {
                OsCall::HttpNote(n) => Some((*line, n.clone())),
                _ => None,
            })
            .collect();
        let calls = os.log.iter().map(|(_, _, c)| c.clone()).collect();
        (os.stdout + &os.stderr, notes, calls)
    }

    const PRELUDE: &str =
        "from httpmsg import parse_request, serve_static, http_date, MemoryFiles\n\
                           SITE = MemoryFiles(['index.html', 'style.css', 'nothere.html'])\n";

    #[test]
    fn a_request_in_pieces_is_none_until_whole() {
        let src = format!(
            "{PRELUDE}\
             buf = b''\n\
             for piece in [b'GET /ind', b'ex.html HTTP/1.1\\r\\nHo', b'st: x\\r\\n\\r\\nGET /']:\n\
             \x20   buf += piece\n\
             \x20   request, used = parse_request(buf)\n\
             \x20   print(request is None, used)\n\
             print(request.method, request.target, request.keep_alive(), buf[used:])\n\
             print(parse_request(b''))\n"
        );
        let (out, notes, _) = run(&src);
        assert_eq!(
            out,
            "True 0\nTrue 0\nFalse 37\nGET /index.html True b'GET /'\n(None, 0)\n"
        );
        let kinds: Vec<_> = notes.iter().map(|(l, n)| (*l, n.clone())).collect();
        assert_eq!(
            kinds,
            vec![
                (6, HttpNote::RequestIncomplete { have: 8 }),
                (6, HttpNote::RequestIncomplete { have: 28 }),
                (
                    6,
                    HttpNote::RequestParsed {
                        method: "GET".into(),
                        target: "/index.html".into(),
                        len: 37,
                        keep_alive: true
                    }
                ),
            ],
            "no note for an empty buffer"
        );
    }

    #[test]
    fn a_bad_request_is_answered_400_and_closes() {
        let src = format!(
            "{PRELUDE}\
             buf = b'GARBAGE\\r\\n\\r\\n'\n\
             request, used = parse_request(buf)\n\
             reply = serve_static(request, SITE)\n\
             print(request.method, request.target, used, reply.status, request.keep_alive())\n\
             out = reply.to_bytes(http_date(1700000000), request.keep_alive())\n\
             print(out.split(b'\\r\\n\\r\\n')[0].decode())\n\
             print(parse_request(b'GET / HTTP/2.0\\r\\n\\r\\n')[0].keep_alive(),\n\
             \x20     serve_static(parse_request(b'GET / HTTP/2.0\\r\\n\\r\\n')[0], SITE).status)\n"
        );
        let (out, notes, _) = run(&src);
        assert_eq!(
            out,
            "- - 11 400 False\n\
             HTTP/1.1 400 Bad Request\r\n\
             Server: sockscope\r\n\
             Date: Tue, 14 Nov 2023 22:13:20 GMT\r\n\
             Content-Type: text/html; charset=utf-8\r\n\
             Content-Length: 110\r\n\
             Connection: close\n\
             False 505\n"
        );
        assert!(matches!(
            &notes[0],
            (4, HttpNote::RequestRejected { status: 400, why }) if why.starts_with("malformed request")
        ));
        // A rejected request is narrated once, by parse_request: no Reply note.
        assert!(notes
            .iter()
            .all(|(_, n)| !matches!(n, HttpNote::Reply { .. })));
    }

    #[test]
    fn a_path_outside_the_site_is_never_read() {
        let src = format!(
            "{PRELUDE}\
             for target in ['/', '/style.css', '/secret.txt', '/../secret.txt', '/%2e%2e/x', '/nothere.html']:\n\
             \x20   request, used = parse_request(b'GET ' + target.encode() + b' HTTP/1.1\\r\\n\\r\\n')\n\
             \x20   reply = serve_static(request, SITE)\n\
             \x20   body = reply.to_bytes(http_date(0), True).split(b'\\r\\n\\r\\n', 1)[1]\n\
             \x20   print(target, reply.status, b'password' in body)\n"
        );
        let (out, notes, calls) = run(&src);
        assert_eq!(
            out,
            "/ 200 False\n/style.css 200 False\n/secret.txt 404 False\n\
             /../secret.txt 400 False\n/%2e%2e/x 400 False\n/nothere.html 404 False\n"
        );
        // The host was asked for the site's names only, once.
        let reads: Vec<_> = calls
            .iter()
            .filter(|c| matches!(c, OsCall::ReadSite { .. } | OsCall::Open { .. }))
            .collect();
        assert_eq!(
            reads,
            vec![&OsCall::ReadSite {
                names: vec![
                    "index.html".into(),
                    "style.css".into(),
                    "nothere.html".into()
                ]
            }]
        );
        let files: Vec<_> = notes
            .iter()
            .filter_map(|(_, n)| match n {
                HttpNote::Reply { status, file, .. } => Some((*status, file.clone())),
                _ => None,
            })
            .collect();
        assert_eq!(
            files,
            vec![
                (200, Some("/index.html".into())),
                (200, Some("/style.css".into())),
                (404, Some("/secret.txt".into())),
                (400, None),
                (400, None),
                (404, Some("/nothere.html".into())),
            ]
        );
    }

    #[test]
    fn keep_alive_follows_the_request_and_the_caller() {
        let src = format!(
            "{PRELUDE}\
             for head in [b'GET / HTTP/1.1\\r\\n', b'GET / HTTP/1.1\\r\\nConnection: close\\r\\n',\n\
             \x20            b'GET / HTTP/1.0\\r\\n', b'GET / HTTP/1.0\\r\\nConnection: keep-alive\\r\\n']:\n\
             \x20   request, used = parse_request(head + b'\\r\\n')\n\
             \x20   k = request.keep_alive()\n\
             \x20   out = serve_static(request, SITE).to_bytes(http_date(1.5), k)\n\
             \x20   print(k, b'Connection: keep-alive' in out, b'Connection: close' in out)\n"
        );
        let (out, notes, _) = run(&src);
        assert_eq!(
            out,
            "True True False\nFalse False True\nFalse False True\nTrue True False\n"
        );
        let ka: Vec<bool> = notes
            .iter()
            .filter_map(|(_, n)| match n {
                HttpNote::Reply { keep_alive, .. } => Some(*keep_alive),
                _ => None,
            })
            .collect();
        assert_eq!(ka, vec![true, false, false, true]);
    }

    #[test]
    fn http_date_formats_its_argument_and_to_bytes_checks_it() {
        let src = format!(
            "{PRELUDE}\
             print(http_date(1700000000.9), http_date(0), http_date(-5))\n\
             r = serve_static(parse_request(b'GET / HTTP/1.1\\r\\n\\r\\n')[0], SITE)\n\
             for bad in ['yesterday', 'Wed, 14 Nov 2023 22:13:20 GMT', 3]:\n\
             \x20   try:\n\
             \x20       r.to_bytes(bad, True)\n\
             \x20   except (ValueError, TypeError) as e:\n\
             \x20       print(type(e).__name__, e)\n\
             for call in [lambda: parse_request('GET'), lambda: serve_static(r, SITE),\n\
             \x20            lambda: MemoryFiles([1]), lambda: http_date('now'), lambda: r.nope]:\n\
             \x20   try:\n\
             \x20       call()\n\
             \x20   except (TypeError, AttributeError) as e:\n\
             \x20       print(type(e).__name__, e)\n\
             print(r.status, r.to_byte)\n"
        );
        let (out, _, _) = run(&src);
        assert_eq!(
            out,
            "Tue, 14 Nov 2023 22:13:20 GMT Thu, 01 Jan 1970 00:00:00 GMT Thu, 01 Jan 1970 00:00:00 GMT\n\
             ValueError not an HTTP date (like 'Tue, 14 Nov 2023 22:13:20 GMT'): 'yesterday'\n\
             ValueError not an HTTP date (like 'Tue, 14 Nov 2023 22:13:20 GMT'): 'Wed, 14 Nov 2023 22:13:20 GMT'\n\
             TypeError to_bytes() argument must be str, not 'int'\n\
             TypeError parse_request() argument must be bytes, not 'str'\n\
             TypeError serve_static() argument must be a request, not 'Reply'\n\
             TypeError MemoryFiles() argument must be names (str), not 'int'\n\
             TypeError http_date() argument must be a number, not 'str'\n\
             AttributeError 'Reply' object has no attribute 'nope'\n\
             Traceback (most recent call last):\n  File \"t.py\", line 16, in <module>\n\
             \x20   print(r.status, r.to_byte)\n                    ^^^^^^^^^\n\
             AttributeError: 'Reply' object has no attribute 'to_byte'. Did you mean: 'to_bytes'?\n"
        );
    }

    #[test]
    fn time_time_and_the_http_epoch_agree() {
        assert_eq!(
            super::super::modules::EPOCH_OFFSET,
            crate::sim::world::HTTP_EPOCH_UNIX_SECS as f64
        );
    }
}
