//! The static web server's decision for one request, shared by the
//! simulated server program and the real one: check the method, resolve the
//! path, read the file, choose the status and headers.

use std::sync::Arc;

use super::date::HttpDate;
use super::path::{resolve_target, FileError, FileSource, SafePath};
use super::request::Request;
use super::response::{content_type_for, ResponseHead, Status};
use super::url::Url;

/// What to answer one request with. [`StaticReply::head`] adds the parts the
/// caller owns (the date and whether the connection stays open).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StaticReply {
    pub status: Status,
    pub content_type: Option<&'static str>,
    /// The body a `GET` gets: the file, or a short HTML page for an error.
    pub body: Arc<[u8]>,
    /// `false` for `HEAD`: the same head, no body.
    pub send_body: bool,
    /// Further header fields (`Allow`, `Location`).
    pub extra: Vec<(&'static str, String)>,
    /// The file the target resolved to, if it did.
    pub path: Option<SafePath>,
    /// Why this is not a 200, for the log or the narration.
    pub note: Option<String>,
}

impl StaticReply {
    /// An error page for `status`, e.g. to answer a [`super::RequestError`].
    pub fn error(status: Status, note: impl Into<String>) -> StaticReply {
        let page = format!(
            "<!DOCTYPE html>\n<html><head><title>{status}</title></head>\
             <body><h1>{status}</h1></body></html>\n"
        );
        StaticReply {
            status,
            content_type: Some("text/html; charset=utf-8"),
            body: Arc::from(page.into_bytes()),
            send_body: true,
            extra: Vec::new(),
            path: None,
            note: Some(note.into()),
        }
    }

    /// The response head for this reply.
    pub fn head<'a>(&'a self, date: &'a HttpDate, keep_alive: bool) -> ResponseHead<'a> {
        ResponseHead {
            status: self.status,
            date,
            content_type: self.content_type,
            content_length: self.body.len() as u64,
            keep_alive,
            extra: self.extra.clone(),
        }
    }

    /// The body bytes that follow the head on the wire (none for `HEAD`).
    pub fn body_to_send(&self) -> &[u8] {
        if self.send_body {
            &self.body
        } else {
            &[]
        }
    }

    /// Appends the whole response (head and body) to `out`.
    pub fn write_to(&self, date: &HttpDate, keep_alive: bool, out: &mut Vec<u8>) {
        self.head(date, keep_alive).write_to(out);
        out.extend_from_slice(self.body_to_send());
    }

    /// The whole response as bytes.
    pub fn to_bytes(&self, date: &HttpDate, keep_alive: bool) -> Vec<u8> {
        let mut out = Vec::with_capacity(192 + self.body_to_send().len());
        self.write_to(date, keep_alive, &mut out);
        out
    }
}

/// Answers one request from `files`:
///
/// - methods other than `GET` and `HEAD`: 405 with `Allow: GET, HEAD`;
/// - a target that does not resolve (see [`resolve_target`]): 400;
/// - a missing file: 404; a directory without a trailing `/`: 301 to `path/`;
/// - otherwise 200 with the file and its content type.
///
/// `HEAD` gets the same status and headers as `GET`, without the body.
pub fn serve_static<F: FileSource + ?Sized>(req: &Request, files: &F) -> StaticReply {
    let is_head = req.is_head();
    let mut reply = decide(req, files);
    reply.send_body = !is_head;
    reply
}

fn decide<F: FileSource + ?Sized>(req: &Request, files: &F) -> StaticReply {
    if req.method != "GET" && req.method != "HEAD" {
        let mut r = StaticReply::error(
            Status::METHOD_NOT_ALLOWED,
            format!("method {} is not allowed", req.method),
        );
        r.extra.push(("Allow", "GET, HEAD".to_string()));
        return r;
    }
    let path = match resolve_target(&req.target) {
        Ok(p) => p,
        Err(e) => return StaticReply::error(Status::BAD_REQUEST, e.to_string()),
    };
    match files.read(&path) {
        Ok(body) => StaticReply {
            status: Status::OK,
            content_type: Some(content_type_for(path.as_str())),
            body,
            send_body: true,
            extra: Vec::new(),
            path: Some(path),
            note: None,
        },
        Err(FileError::IsDirectory) => {
            let mut r =
                StaticReply::error(Status::MOVED_PERMANENTLY, "a directory: add a trailing /");
            r.extra.push(("Location", directory_location(&req.target)));
            r.path = Some(path);
            r
        }
        Err(e) => {
            let status = match e {
                FileError::NotFound => Status::NOT_FOUND,
                FileError::Forbidden => Status::FORBIDDEN,
                _ => Status::INTERNAL_SERVER_ERROR,
            };
            let mut r = StaticReply::error(status, format!("{path}: {e}"));
            r.path = Some(path);
            r
        }
    }
}

/// `/docs?x=1` → `/docs/?x=1`.
fn directory_location(target: &str) -> String {
    let (path, query) = if target.starts_with('/') {
        let mut it = target.splitn(2, '?');
        let path = it.next().unwrap_or("/").split('#').next().unwrap_or("/");
        (path.to_string(), it.next().map(str::to_string))
    } else {
        match Url::parse(target) {
            Ok(u) => (u.path.text, u.query.map(|q| q.text)),
            Err(_) => ("/".to_string(), None),
        }
    };
    match query {
        Some(q) => format!("{path}/?{q}"),
        None => format!("{path}/"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::http::path::MemoryFiles;
    use crate::http::request::{parse_request, Limits, Parsed};
    use crate::http::response::{parse_response, Response};

    fn files() -> MemoryFiles {
        let mut f = MemoryFiles::new();
        f.insert("/", "<h1>home</h1>").unwrap();
        f.insert("/style.css", "h1{color:red}").unwrap();
        f.insert("/docs/", "<p>docs</p>").unwrap();
        f
    }

    fn request(raw: &str) -> Request {
        match parse_request(raw.as_bytes(), &Limits::default()) {
            Ok(Parsed::Complete { message, .. }) => message,
            other => panic!("{raw:?}: {other:?}"),
        }
    }

    fn exchange(raw: &str) -> Response {
        let req = request(raw);
        let reply = serve_static(&req, &files());
        let bytes = reply.to_bytes(&HttpDate::from_unix_secs(0), req.keep_alive());
        match parse_response(&bytes, &Limits::default(), req.is_head()) {
            Ok(Parsed::Complete { message, len }) => {
                assert_eq!(len, bytes.len(), "no bytes after the response");
                message
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn status_codes_for_requests() {
        let table = [
            (
                "GET / HTTP/1.1\r\n\r\n",
                200,
                Some("text/html; charset=utf-8"),
            ),
            (
                "GET /style.css?v=1 HTTP/1.1\r\n\r\n",
                200,
                Some("text/css; charset=utf-8"),
            ),
            (
                "GET /docs/ HTTP/1.1\r\n\r\n",
                200,
                Some("text/html; charset=utf-8"),
            ),
            (
                "GET /docs HTTP/1.1\r\n\r\n",
                301,
                Some("text/html; charset=utf-8"),
            ),
            (
                "GET /missing.png HTTP/1.1\r\n\r\n",
                404,
                Some("text/html; charset=utf-8"),
            ),
            (
                "GET /../etc/passwd HTTP/1.1\r\n\r\n",
                400,
                Some("text/html; charset=utf-8"),
            ),
            (
                "GET /%2e%2e/etc/passwd HTTP/1.1\r\n\r\n",
                400,
                Some("text/html; charset=utf-8"),
            ),
            (
                "POST / HTTP/1.1\r\nContent-Length: 1\r\n\r\nx",
                405,
                Some("text/html; charset=utf-8"),
            ),
            (
                "DELETE /style.css HTTP/1.1\r\n\r\n",
                405,
                Some("text/html; charset=utf-8"),
            ),
            (
                "get / HTTP/1.1\r\n\r\n",
                405,
                Some("text/html; charset=utf-8"),
            ),
        ];
        for (raw, code, ct) in table {
            let res = exchange(raw);
            assert_eq!(res.status.code(), code, "{raw:?}");
            assert_eq!(res.header("content-type"), ct, "{raw:?}");
            assert_eq!(
                res.header("content-length"),
                Some(res.body.len().to_string().as_str())
            );
        }
        assert_eq!(
            exchange("GET /style.css HTTP/1.1\r\n\r\n").body,
            b"h1{color:red}"
        );
        assert_eq!(
            exchange("POST / HTTP/1.1\r\n\r\n").header("allow"),
            Some("GET, HEAD")
        );
        assert_eq!(
            exchange("GET /docs?a=1 HTTP/1.1\r\n\r\n").header("location"),
            Some("/docs/?a=1")
        );
    }

    #[test]
    fn head_gets_the_get_headers_without_a_body() {
        let get = exchange("GET /style.css HTTP/1.1\r\n\r\n");
        let head = exchange("HEAD /style.css HTTP/1.1\r\n\r\n");
        assert_eq!(head.status, get.status);
        assert_eq!(head.header("content-length"), get.header("content-length"));
        assert_eq!(head.header("content-type"), get.header("content-type"));
        assert!(head.body.is_empty());
        let missing = exchange("HEAD /nope HTTP/1.1\r\n\r\n");
        assert_eq!(missing.status, Status::NOT_FOUND);
        assert!(missing.body.is_empty());
    }

    #[test]
    fn connection_header_follows_the_request() {
        assert!(exchange("GET / HTTP/1.1\r\n\r\n").keep_alive());
        assert!(!exchange("GET / HTTP/1.1\r\nConnection: close\r\n\r\n").keep_alive());
        assert!(!exchange("GET / HTTP/1.0\r\n\r\n").keep_alive());
        assert!(exchange("GET / HTTP/1.0\r\nConnection: keep-alive\r\n\r\n").keep_alive());
    }

    #[test]
    fn absolute_form_targets_are_served() {
        let res = exchange("GET http://localhost:8080/style.css HTTP/1.1\r\n\r\n");
        assert_eq!(res.status, Status::OK);
        assert_eq!(directory_location("http://h/docs?x"), "/docs/?x");
    }
}
