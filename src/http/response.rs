//! Writing a response message (the server side) and reading one (the
//! browser side), content types, and the keep-alive rule.

use std::fmt;
use std::ops::Range;

use super::date::HttpDate;
use super::request::{Header, Limits, Parsed, Version};
use super::SERVER_NAME;

/// A status code; [`Status::reason`] gives its reason phrase.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Status(u16);

impl Status {
    pub const OK: Status = Status(200);
    pub const MOVED_PERMANENTLY: Status = Status(301);
    pub const BAD_REQUEST: Status = Status(400);
    pub const FORBIDDEN: Status = Status(403);
    pub const NOT_FOUND: Status = Status(404);
    pub const METHOD_NOT_ALLOWED: Status = Status(405);
    pub const REQUEST_TIMEOUT: Status = Status(408);
    pub const CONTENT_TOO_LARGE: Status = Status(413);
    pub const URI_TOO_LONG: Status = Status(414);
    pub const REQUEST_HEADER_FIELDS_TOO_LARGE: Status = Status(431);
    pub const INTERNAL_SERVER_ERROR: Status = Status(500);
    pub const NOT_IMPLEMENTED: Status = Status(501);
    pub const SERVICE_UNAVAILABLE: Status = Status(503);
    pub const HTTP_VERSION_NOT_SUPPORTED: Status = Status(505);

    /// Any three-digit code; `None` outside 100..=999.
    pub fn from_code(code: u16) -> Option<Status> {
        (100..=999).contains(&code).then_some(Status(code))
    }

    pub fn code(self) -> u16 {
        self.0
    }

    /// The standard reason phrase, or `""` for a code this module does not name.
    pub fn reason(self) -> &'static str {
        match self.0 {
            200 => "OK",
            204 => "No Content",
            301 => "Moved Permanently",
            304 => "Not Modified",
            400 => "Bad Request",
            403 => "Forbidden",
            404 => "Not Found",
            405 => "Method Not Allowed",
            408 => "Request Timeout",
            413 => "Content Too Large",
            414 => "URI Too Long",
            431 => "Request Header Fields Too Large",
            500 => "Internal Server Error",
            501 => "Not Implemented",
            503 => "Service Unavailable",
            505 => "HTTP Version Not Supported",
            _ => "",
        }
    }

    /// 1xx, 204 and 304 responses never carry a body.
    pub fn has_body(self) -> bool {
        !(self.0 < 200 || self.0 == 204 || self.0 == 304)
    }
}

impl fmt::Display for Status {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {}", self.0, self.reason())
    }
}

/// Whether a connection stays open after this exchange.
///
/// HTTP/1.1 keeps it open unless a `Connection` header says `close`;
/// HTTP/1.0 closes it unless a `Connection` header says `keep-alive`.
/// `connection` is the header's value (a comma-separated token list).
pub fn keep_alive(version: Version, connection: Option<&str>) -> bool {
    let has = |token: &str| {
        connection.is_some_and(|v| v.split(',').any(|t| t.trim().eq_ignore_ascii_case(token)))
    };
    match version {
        Version::Http11 => !has("close"),
        Version::Http10 => has("keep-alive") && !has("close"),
    }
}

/// The `Content-Type` for a file, by its extension (case-insensitive).
/// Text types say `charset=utf-8`; an unknown extension is
/// `application/octet-stream`.
pub fn content_type_for(path: &str) -> &'static str {
    let name = path.rsplit('/').next().unwrap_or(path);
    let ext = match name.rfind('.') {
        Some(i) if i > 0 => &name[i + 1..],
        _ => "",
    };
    let ext = ext.to_ascii_lowercase();
    match ext.as_str() {
        "html" | "htm" => "text/html; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "js" | "mjs" => "text/javascript; charset=utf-8",
        "json" | "map" => "application/json",
        "txt" => "text/plain; charset=utf-8",
        "svg" => "image/svg+xml",
        "wasm" => "application/wasm",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "gif" => "image/gif",
        "webp" => "image/webp",
        "ico" => "image/x-icon",
        "woff2" => "font/woff2",
        "pcap" => "application/vnd.tcpdump.pcap",
        _ => "application/octet-stream",
    }
}

/// The head of a response: status line and header fields, written the same
/// way by the simulated server and the real one.
///
/// The caller says how long the body is; for a `HEAD` request it sends this
/// same head (with the `GET` body's length) and no body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ResponseHead<'a> {
    pub status: Status,
    /// The `Date` header; the caller owns the clock.
    pub date: &'a HttpDate,
    /// `Content-Type`; `None` leaves the header out.
    pub content_type: Option<&'a str>,
    pub content_length: u64,
    /// `Connection: keep-alive` or `Connection: close`.
    pub keep_alive: bool,
    /// Further fields, e.g. `Allow` with a 405 or `Location` with a 301.
    pub extra: Vec<(&'static str, String)>,
}

impl ResponseHead<'_> {
    /// Appends the head to `out`, ending with the blank line.
    pub fn write_to(&self, out: &mut Vec<u8>) {
        let mut len_buf = itoa_buf();
        out.extend_from_slice(b"HTTP/1.1 ");
        out.extend_from_slice(itoa(self.status.code() as u64, &mut len_buf));
        out.push(b' ');
        out.extend_from_slice(self.status.reason().as_bytes());
        out.extend_from_slice(b"\r\nServer: ");
        out.extend_from_slice(SERVER_NAME.as_bytes());
        out.extend_from_slice(b"\r\nDate: ");
        out.extend_from_slice(self.date.as_str().as_bytes());
        if let Some(ct) = self.content_type {
            out.extend_from_slice(b"\r\nContent-Type: ");
            out.extend_from_slice(ct.as_bytes());
        }
        out.extend_from_slice(b"\r\nContent-Length: ");
        out.extend_from_slice(itoa(self.content_length, &mut len_buf));
        out.extend_from_slice(if self.keep_alive {
            b"\r\nConnection: keep-alive"
        } else {
            b"\r\nConnection: close"
        });
        for (name, value) in &self.extra {
            out.extend_from_slice(b"\r\n");
            out.extend_from_slice(name.as_bytes());
            out.extend_from_slice(b": ");
            // A value can never end the head early.
            out.extend(value.bytes().filter(|&b| b != b'\r' && b != b'\n'));
        }
        out.extend_from_slice(b"\r\n\r\n");
    }

    pub fn to_bytes(&self) -> Vec<u8> {
        let mut out = Vec::with_capacity(192);
        self.write_to(&mut out);
        out
    }
}

fn itoa_buf() -> [u8; 20] {
    [0; 20]
}

fn itoa(mut n: u64, buf: &mut [u8; 20]) -> &[u8] {
    let mut i = buf.len();
    loop {
        i -= 1;
        buf[i] = b'0' + (n % 10) as u8;
        n /= 10;
        if n == 0 {
            break;
        }
    }
    &buf[i..]
}

/// A complete response message, as the browser reads it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Response {
    pub version: Version,
    pub status: Status,
    /// The reason phrase as sent.
    pub reason: String,
    pub headers: Vec<Header>,
    pub body: Vec<u8>,
    /// The bytes of the status line (without CRLF).
    pub status_line: Range<usize>,
    /// Length of the head, including the blank line.
    pub head_len: usize,
}

impl Response {
    /// The first header with this name (case-insensitive).
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|h| h.name.eq_ignore_ascii_case(name))
            .map(|h| h.value.as_str())
    }

    pub fn keep_alive(&self) -> bool {
        keep_alive(self.version, self.header("connection"))
    }

    pub fn body_span(&self) -> Range<usize> {
        self.head_len..self.head_len + self.body.len()
    }
}

/// Why some bytes can never become a valid response.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ResponseError {
    Malformed(&'static str),
    HeadTooLarge,
    BodyTooLarge,
    /// This reader needs `Content-Length` (or a status without a body).
    MissingContentLength,
    BadContentLength,
}

impl fmt::Display for ResponseError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ResponseError::Malformed(what) => write!(f, "malformed response: {what}"),
            ResponseError::HeadTooLarge => f.write_str("response headers too large"),
            ResponseError::BodyTooLarge => f.write_str("response body too large"),
            ResponseError::MissingContentLength => f.write_str("response has no Content-Length"),
            ResponseError::BadContentLength => f.write_str("invalid Content-Length"),
        }
    }
}

impl std::error::Error for ResponseError {}

/// Parses the response bytes received so far. `to_head` says the request was
/// `HEAD`, whose response has a `Content-Length` but no body.
pub fn parse_response(
    buf: &[u8],
    limits: &Limits,
    to_head: bool,
) -> Result<Parsed<Response>, ResponseError> {
    let mut storage = [httparse::EMPTY_HEADER; 64];
    let n = limits.max_headers.min(storage.len());
    let mut res = httparse::Response::new(&mut storage[..n]);
    let head_len = match res.parse(buf) {
        Ok(httparse::Status::Complete(n)) => n,
        Ok(httparse::Status::Partial) => {
            if buf.len() > limits.max_head {
                return Err(ResponseError::HeadTooLarge);
            }
            return Ok(Parsed::Partial);
        }
        Err(httparse::Error::TooManyHeaders) => return Err(ResponseError::HeadTooLarge),
        Err(_) => return Err(ResponseError::Malformed("bad status line or header")),
    };
    if head_len > limits.max_head {
        return Err(ResponseError::HeadTooLarge);
    }
    let status = res
        .code
        .and_then(Status::from_code)
        .ok_or(ResponseError::Malformed("bad status code"))?;
    let version = match res.version {
        Some(0) => Version::Http10,
        _ => Version::Http11,
    };
    let base = buf.as_ptr() as usize;
    let headers: Vec<Header> = res
        .headers
        .iter()
        .map(|h| Header {
            name: h.name.to_string(),
            value: String::from_utf8_lossy(h.value).into_owned(),
            span: (h.name.as_ptr() as usize - base)
                ..(h.value.as_ptr() as usize - base + h.value.len()),
        })
        .collect();
    let reason = res.reason.unwrap_or_default().to_string();
    let line_end = buf.iter().position(|&b| b == b'\n').unwrap_or(0);
    let status_line =
        0..line_end.saturating_sub(usize::from(line_end > 0 && buf[line_end - 1] == b'\r'));

    let body_len = if to_head || !status.has_body() {
        0
    } else {
        let mut len: Option<u64> = None;
        for h in headers
            .iter()
            .filter(|h| h.name.eq_ignore_ascii_case("content-length"))
        {
            let v = h.value.trim();
            if v.is_empty() || v.len() > 19 || !v.bytes().all(|b| b.is_ascii_digit()) {
                return Err(ResponseError::BadContentLength);
            }
            let n: u64 = v.parse().map_err(|_| ResponseError::BadContentLength)?;
            if len.is_some_and(|old| old != n) {
                return Err(ResponseError::BadContentLength);
            }
            len = Some(n);
        }
        let n = len.ok_or(ResponseError::MissingContentLength)?;
        if n > limits.max_body as u64 {
            return Err(ResponseError::BodyTooLarge);
        }
        n as usize
    };
    let total = head_len + body_len;
    if buf.len() < total {
        return Ok(Parsed::Partial);
    }
    Ok(Parsed::Complete {
        message: Response {
            version,
            status,
            reason,
            headers,
            body: buf[head_len..total].to_vec(),
            status_line,
            head_len,
        },
        len: total,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keep_alive_follows_the_version_and_the_connection_header() {
        let table = [
            (Version::Http11, None, true),
            (Version::Http11, Some("close"), false),
            (Version::Http11, Some("Close"), false),
            (Version::Http11, Some("keep-alive"), true),
            (Version::Http11, Some("Upgrade, close"), false),
            (Version::Http10, None, false),
            (Version::Http10, Some("keep-alive"), true),
            (Version::Http10, Some("Keep-Alive"), true),
            (Version::Http10, Some("close"), false),
        ];
        for (version, header, expected) in table {
            assert_eq!(
                keep_alive(version, header),
                expected,
                "{version} {header:?}"
            );
        }
    }

    #[test]
    fn content_types_by_extension() {
        let table = [
            ("index.html", "text/html; charset=utf-8"),
            ("a/b/STYLE.CSS", "text/css; charset=utf-8"),
            ("app.js", "text/javascript; charset=utf-8"),
            ("app_bg.wasm", "application/wasm"),
            ("data.json", "application/json"),
            ("logo.png", "image/png"),
            ("photo.jpg", "image/jpeg"),
            ("photo.jpeg", "image/jpeg"),
            ("icon.svg", "image/svg+xml"),
            ("favicon.ico", "image/x-icon"),
            ("notes.txt", "text/plain; charset=utf-8"),
            ("Makefile", "application/octet-stream"),
            (".hidden", "application/octet-stream"),
            ("dir.d/file", "application/octet-stream"),
        ];
        for (path, ct) in table {
            assert_eq!(content_type_for(path), ct, "{path}");
        }
    }

    fn date() -> HttpDate {
        HttpDate::from_unix_secs(784_111_777)
    }

    #[test]
    fn a_head_is_written_in_a_fixed_order() {
        let d = date();
        let head = ResponseHead {
            status: Status::OK,
            date: &d,
            content_type: Some("text/html; charset=utf-8"),
            content_length: 1234,
            keep_alive: true,
            extra: vec![],
        };
        assert_eq!(
            String::from_utf8(head.to_bytes()).unwrap(),
            "HTTP/1.1 200 OK\r\nServer: sockscope\r\nDate: Sun, 06 Nov 1994 08:49:37 GMT\r\n\
             Content-Type: text/html; charset=utf-8\r\nContent-Length: 1234\r\n\
             Connection: keep-alive\r\n\r\n"
        );
        let closing = ResponseHead {
            status: Status::METHOD_NOT_ALLOWED,
            content_type: None,
            content_length: 0,
            keep_alive: false,
            extra: vec![("Allow", "GET, HEAD\r\nX: y".into())],
            ..head
        };
        let text = String::from_utf8(closing.to_bytes()).unwrap();
        assert!(text.starts_with("HTTP/1.1 405 Method Not Allowed\r\n"));
        assert!(text.contains("\r\nConnection: close\r\nAllow: GET, HEADX: y\r\n\r\n"));
        assert!(!text.contains("Content-Type"));
    }

    #[test]
    fn written_responses_parse_back() {
        let d = date();
        let mut bytes = ResponseHead {
            status: Status::NOT_FOUND,
            date: &d,
            content_type: Some("text/plain; charset=utf-8"),
            content_length: 9,
            keep_alive: true,
            extra: vec![],
        }
        .to_bytes();
        bytes.extend_from_slice(b"not found");
        for cut in 0..bytes.len() {
            assert_eq!(
                parse_response(&bytes[..cut], &Limits::default(), false),
                Ok(Parsed::Partial)
            );
        }
        let Ok(Parsed::Complete { message, len }) =
            parse_response(&bytes, &Limits::default(), false)
        else {
            panic!("complete")
        };
        assert_eq!(len, bytes.len());
        assert_eq!(message.status, Status::NOT_FOUND);
        assert_eq!(message.reason, "Not Found");
        assert_eq!(message.body, b"not found");
        assert_eq!(message.header("server"), Some("sockscope"));
        assert_eq!(
            &bytes[message.status_line.clone()],
            b"HTTP/1.1 404 Not Found"
        );
        assert!(message.keep_alive());

        // The same head answering HEAD: complete without a body.
        let head_only = &bytes[..bytes.len() - 9];
        let Ok(Parsed::Complete { message, .. }) =
            parse_response(head_only, &Limits::default(), true)
        else {
            panic!("complete")
        };
        assert!(message.body.is_empty());
        assert_eq!(message.header("content-length"), Some("9"));
    }

    #[test]
    fn malformed_responses_are_errors() {
        let l = Limits::default();
        assert!(parse_response(b"HTTP/1.1 abc OK\r\n\r\n", &l, false).is_err());
        assert!(parse_response(b"HTTP/1.1 200 OK\r\nBad Name: x\r\n\r\n", &l, false).is_err());
        assert_eq!(
            parse_response(b"HTTP/1.1 200 OK\r\n\r\n", &l, false),
            Err(ResponseError::MissingContentLength)
        );
        assert!(matches!(
            parse_response(b"HTTP/1.1 204 No Content\r\n\r\n", &l, false),
            Ok(Parsed::Complete { .. })
        ));
    }

    #[test]
    fn itoa_writes_decimal() {
        let mut b = itoa_buf();
        assert_eq!(itoa(0, &mut b), b"0");
        assert_eq!(itoa(1024, &mut b), b"1024");
        assert_eq!(itoa(u64::MAX, &mut b), u64::MAX.to_string().as_bytes());
    }
}
