//! Reading a request message from the bytes received so far.
//!
//! TCP is a byte stream: one `recv` may return half a request, or a request
//! and the start of the next. So the parser is asked again each time more
//! bytes arrive, and it answers one of three things:
//!
//! - [`Parsed::Partial`]: the bytes so far are a valid beginning; read more.
//! - [`Parsed::Complete`]: a whole request, and how many bytes it used (the
//!   rest belongs to the next request on a keep-alive connection).
//! - a [`RequestError`]: these bytes can never become a valid request (or a
//!   limit was exceeded); [`RequestError::status`] says what to answer.
//!
//! The head (request line and headers) is parsed with `httparse`; the body is
//! read by `Content-Length`.

use std::fmt;
use std::ops::Range;

use super::response::Status;

/// Size limits that keep one client from using unbounded memory.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// Longest request line (`GET /path HTTP/1.1`), in bytes, without CRLF.
    /// Longer gets `414 URI Too Long`.
    pub max_request_line: usize,
    /// Largest head (request line plus headers plus the blank line), in bytes.
    /// Larger gets `431 Request Header Fields Too Large`.
    pub max_head: usize,
    /// Most header fields. More gets `431`.
    pub max_headers: usize,
    /// Largest body, in bytes. Larger gets `413 Content Too Large`.
    pub max_body: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_request_line: 8 * 1024,
            max_head: 16 * 1024,
            max_headers: 64,
            max_body: 1024 * 1024,
        }
    }
}

/// The outcome of parsing the bytes received so far.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Parsed<T> {
    /// A whole message, and the number of bytes it took from the buffer.
    Complete { message: T, len: usize },
    /// A valid beginning; more bytes are needed.
    Partial,
}

impl<T> Parsed<T> {
    pub fn is_partial(&self) -> bool {
        matches!(self, Parsed::Partial)
    }
}

/// The HTTP version in a request or status line.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Version {
    Http10,
    Http11,
}

impl Version {
    pub fn as_str(self) -> &'static str {
        match self {
            Version::Http10 => "HTTP/1.0",
            Version::Http11 => "HTTP/1.1",
        }
    }
}

impl fmt::Display for Version {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One header field, and where it sat in the message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Header {
    /// The name as sent (names are case-insensitive; compare with
    /// `eq_ignore_ascii_case`).
    pub name: String,
    /// The value; bytes that are not UTF-8 show as U+FFFD.
    pub value: String,
    /// The bytes of the whole field line `Name: value` (without CRLF) in the
    /// message, so a UI can highlight the bytes that carried it.
    pub span: Range<usize>,
}

/// A complete request message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Request {
    /// The method token as sent, e.g. `GET` (methods are case-sensitive).
    pub method: String,
    /// The request target as sent, e.g. `/index.html?page=1`.
    pub target: String,
    pub version: Version,
    pub headers: Vec<Header>,
    pub body: Vec<u8>,
    /// The bytes of the request line (without CRLF).
    pub request_line: Range<usize>,
    /// Length of the head, including the blank line that ends it.
    pub head_len: usize,
}

impl Request {
    /// The first header with this name (case-insensitive).
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|h| h.name.eq_ignore_ascii_case(name))
            .map(|h| h.value.as_str())
    }

    /// Whether the connection stays open after the response
    /// (see [`super::response::keep_alive`]).
    pub fn keep_alive(&self) -> bool {
        super::response::keep_alive(self.version, self.header("connection"))
    }

    /// `HEAD` asks for the headers a `GET` would get, without the body.
    pub fn is_head(&self) -> bool {
        self.method == "HEAD"
    }

    /// The bytes the body took in the message.
    pub fn body_span(&self) -> Range<usize> {
        self.head_len..self.head_len + self.body.len()
    }
}

/// Why some bytes can never become a valid request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RequestError {
    /// The syntax is wrong; the text says where.
    Malformed(&'static str),
    /// The request line is longer than [`Limits::max_request_line`].
    RequestLineTooLong,
    /// The head is larger than [`Limits::max_head`].
    HeadTooLarge,
    /// More header fields than [`Limits::max_headers`].
    TooManyHeaders,
    /// `Content-Length` is larger than [`Limits::max_body`].
    BodyTooLarge,
    /// `Content-Length` is not a number, or two disagree.
    BadContentLength,
    /// A `Transfer-Encoding` (such as chunked) this server does not implement.
    UnsupportedTransferEncoding,
    /// A well-formed `HTTP/x.y` other than 1.0 and 1.1.
    UnsupportedVersion,
}

impl RequestError {
    /// The status code a server answers this error with.
    pub fn status(&self) -> Status {
        match self {
            RequestError::Malformed(_) | RequestError::BadContentLength => Status::BAD_REQUEST,
            RequestError::RequestLineTooLong => Status::URI_TOO_LONG,
            RequestError::HeadTooLarge | RequestError::TooManyHeaders => {
                Status::REQUEST_HEADER_FIELDS_TOO_LARGE
            }
            RequestError::BodyTooLarge => Status::CONTENT_TOO_LARGE,
            RequestError::UnsupportedTransferEncoding => Status::NOT_IMPLEMENTED,
            RequestError::UnsupportedVersion => Status::HTTP_VERSION_NOT_SUPPORTED,
        }
    }
}

impl fmt::Display for RequestError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            RequestError::Malformed(what) => write!(f, "malformed request: {what}"),
            RequestError::RequestLineTooLong => f.write_str("request line too long"),
            RequestError::HeadTooLarge => f.write_str("request headers too large"),
            RequestError::TooManyHeaders => f.write_str("too many request headers"),
            RequestError::BodyTooLarge => f.write_str("request body too large"),
            RequestError::BadContentLength => f.write_str("invalid Content-Length"),
            RequestError::UnsupportedTransferEncoding => {
                f.write_str("Transfer-Encoding is not supported")
            }
            RequestError::UnsupportedVersion => f.write_str("HTTP version not supported"),
        }
    }
}

impl std::error::Error for RequestError {}

/// Parses the bytes received so far on a connection.
///
/// Never panics, whatever the bytes. Any prefix of a valid request within the
/// limits is [`Parsed::Partial`].
pub fn parse_request(buf: &[u8], limits: &Limits) -> Result<Parsed<Request>, RequestError> {
    // The request line limit is checked before anything else: a client that
    // never sends a newline must not make us buffer forever.
    let line_end = buf.iter().position(|&b| b == b'\n');
    let line_len = match line_end {
        Some(i) => i.saturating_sub(usize::from(i > 0 && buf[i - 1] == b'\r')),
        None => buf.len(),
    };
    if line_len > limits.max_request_line {
        return Err(RequestError::RequestLineTooLong);
    }

    // Up to 64 header slots live on the stack; more only if the limit asks.
    let mut on_stack = [httparse::EMPTY_HEADER; 64];
    let mut on_heap = Vec::new();
    let storage: &mut [httparse::Header<'_>] = if limits.max_headers <= on_stack.len() {
        &mut on_stack[..limits.max_headers]
    } else {
        on_heap.resize(limits.max_headers, httparse::EMPTY_HEADER);
        &mut on_heap
    };
    let mut req = httparse::Request::new(storage);
    let head_len = match req.parse(buf) {
        Ok(httparse::Status::Complete(n)) => n,
        Ok(httparse::Status::Partial) => {
            if buf.len() > limits.max_head {
                return Err(RequestError::HeadTooLarge);
            }
            return Ok(Parsed::Partial);
        }
        Err(httparse::Error::TooManyHeaders) => return Err(RequestError::TooManyHeaders),
        Err(httparse::Error::Version) => return Err(classify_version_error(buf)),
        Err(e) => return Err(RequestError::Malformed(httparse_reason(e))),
    };
    if head_len > limits.max_head {
        return Err(RequestError::HeadTooLarge);
    }

    let method = req.method.unwrap_or_default().to_string();
    let target = req.path.unwrap_or_default().to_string();
    let version = match req.version {
        Some(0) => Version::Http10,
        _ => Version::Http11,
    };
    let base = buf.as_ptr() as usize;
    let headers: Vec<Header> = req
        .headers
        .iter()
        .map(|h| {
            // httparse hands out slices of `buf`; their addresses give the offsets.
            let start = h.name.as_ptr() as usize - base;
            let end = h.value.as_ptr() as usize - base + h.value.len();
            Header {
                name: h.name.to_string(),
                value: String::from_utf8_lossy(h.value).into_owned(),
                span: start..end,
            }
        })
        .collect();
    // Leading blank lines before the request line are allowed (RFC 9112 2.2).
    let line_start = method_offset(buf, req.method.unwrap_or_default());
    let request_line = line_start..line_start + first_line_len(&buf[line_start..]);

    let body_len = body_length(&headers, limits)?;
    let total = head_len + body_len;
    if buf.len() < total {
        return Ok(Parsed::Partial);
    }
    Ok(Parsed::Complete {
        message: Request {
            method,
            target,
            version,
            headers,
            body: buf[head_len..total].to_vec(),
            request_line,
            head_len,
        },
        len: total,
    })
}

fn method_offset(buf: &[u8], method: &str) -> usize {
    if method.is_empty() {
        return 0;
    }
    let base = buf.as_ptr() as usize;
    method.as_ptr() as usize - base
}

fn first_line_len(buf: &[u8]) -> usize {
    let end = buf.iter().position(|&b| b == b'\n').unwrap_or(buf.len());
    if end > 0 && buf[end - 1] == b'\r' {
        end - 1
    } else {
        end
    }
}

/// How long the body is, by `Content-Length` (no header: no body).
fn body_length(headers: &[Header], limits: &Limits) -> Result<usize, RequestError> {
    if headers
        .iter()
        .any(|h| h.name.eq_ignore_ascii_case("transfer-encoding"))
    {
        return Err(RequestError::UnsupportedTransferEncoding);
    }
    let mut length: Option<u64> = None;
    for h in headers
        .iter()
        .filter(|h| h.name.eq_ignore_ascii_case("content-length"))
    {
        let v = h.value.trim();
        if v.is_empty() || v.len() > 19 || !v.bytes().all(|b| b.is_ascii_digit()) {
            return Err(RequestError::BadContentLength);
        }
        let n: u64 = v.parse().map_err(|_| RequestError::BadContentLength)?;
        if length.is_some_and(|old| old != n) {
            return Err(RequestError::BadContentLength);
        }
        length = Some(n);
    }
    let n = length.unwrap_or(0);
    if n > limits.max_body as u64 {
        return Err(RequestError::BodyTooLarge);
    }
    Ok(n as usize)
}

/// httparse says "Version" both for `HTTP/2.0` (well-formed, unsupported:
/// 505) and for a request line that is simply broken (400).
fn classify_version_error(buf: &[u8]) -> RequestError {
    let line = &buf[..first_line_len(buf)];
    let parts: Vec<&[u8]> = line.split(|&b| b == b' ').collect();
    if let [_, _, v] = parts.as_slice() {
        let well_formed = v.len() == 8
            && v.starts_with(b"HTTP/")
            && v[5].is_ascii_digit()
            && v[6] == b'.'
            && v[7].is_ascii_digit();
        if well_formed {
            return RequestError::UnsupportedVersion;
        }
    }
    RequestError::Malformed("bad request line")
}

fn httparse_reason(e: httparse::Error) -> &'static str {
    match e {
        httparse::Error::HeaderName => "invalid header name",
        httparse::Error::HeaderValue => "invalid header value",
        httparse::Error::NewLine => "invalid line ending",
        httparse::Error::Status => "invalid status",
        httparse::Error::Token => "invalid method or request target",
        httparse::Error::TooManyHeaders => "too many headers",
        httparse::Error::Version => "invalid HTTP version",
    }
}

/// Writes a request message, as the simulated browser (or a test) sends it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RequestBuilder {
    method: String,
    target: String,
    version: Version,
    headers: Vec<(String, String)>,
    body: Vec<u8>,
}

impl RequestBuilder {
    /// A request line `METHOD target HTTP/1.1`.
    pub fn new(method: &str, target: &str) -> Self {
        RequestBuilder {
            method: method.to_string(),
            target: target.to_string(),
            version: Version::Http11,
            headers: Vec::new(),
            body: Vec::new(),
        }
    }

    pub fn version(mut self, version: Version) -> Self {
        self.version = version;
        self
    }

    /// Adds a header field. CR and LF in either part are dropped so a header
    /// can never split the message.
    pub fn header(mut self, name: &str, value: &str) -> Self {
        let clean = |s: &str| s.chars().filter(|&c| c != '\r' && c != '\n').collect();
        self.headers.push((clean(name), clean(value)));
        self
    }

    /// Sets the body and its `Content-Length`.
    pub fn body(mut self, body: impl Into<Vec<u8>>) -> Self {
        self.body = body.into();
        self
    }

    pub fn to_bytes(&self) -> Vec<u8> {
        let mut out = Vec::with_capacity(128 + self.body.len());
        out.extend_from_slice(self.method.as_bytes());
        out.push(b' ');
        out.extend_from_slice(self.target.as_bytes());
        out.push(b' ');
        out.extend_from_slice(self.version.as_str().as_bytes());
        out.extend_from_slice(b"\r\n");
        for (name, value) in &self.headers {
            out.extend_from_slice(name.as_bytes());
            out.extend_from_slice(b": ");
            out.extend_from_slice(value.as_bytes());
            out.extend_from_slice(b"\r\n");
        }
        if !self.body.is_empty() {
            out.extend_from_slice(format!("Content-Length: {}\r\n", self.body.len()).as_bytes());
        }
        out.extend_from_slice(b"\r\n");
        out.extend_from_slice(&self.body);
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(bytes: &[u8]) -> Result<Parsed<Request>, RequestError> {
        parse_request(bytes, &Limits::default())
    }

    fn complete(bytes: &[u8]) -> (Request, usize) {
        match parse(bytes) {
            Ok(Parsed::Complete { message, len }) => (message, len),
            other => panic!("expected a complete request, got {other:?}"),
        }
    }

    #[test]
    fn complete_requests() {
        // (bytes, method, target, version, header count, body)
        type Row = (
            &'static [u8],
            &'static str,
            &'static str,
            Version,
            usize,
            &'static [u8],
        );
        let table: &[Row] = &[
            (
                b"GET / HTTP/1.1\r\nHost: a\r\n\r\n",
                "GET",
                "/",
                Version::Http11,
                1,
                b"",
            ),
            (
                b"HEAD /x.css HTTP/1.0\r\n\r\n",
                "HEAD",
                "/x.css",
                Version::Http10,
                0,
                b"",
            ),
            (
                b"GET /?page=1&count=10 HTTP/1.1\r\nHost: a\r\nAccept: */*\r\n\r\n",
                "GET",
                "/?page=1&count=10",
                Version::Http11,
                2,
                b"",
            ),
            (
                b"POST /f HTTP/1.1\r\nContent-Length: 5\r\n\r\nhello",
                "POST",
                "/f",
                Version::Http11,
                1,
                b"hello",
            ),
            // Bare LF line endings are tolerated.
            (
                b"GET /a HTTP/1.1\nHost: a\n\n",
                "GET",
                "/a",
                Version::Http11,
                1,
                b"",
            ),
        ];
        for (bytes, method, target, version, nheaders, body) in table {
            let (req, len) = complete(bytes);
            assert_eq!(len, bytes.len(), "{bytes:?}");
            assert_eq!(req.method, *method);
            assert_eq!(req.target, *target);
            assert_eq!(req.version, *version);
            assert_eq!(req.headers.len(), *nheaders);
            assert_eq!(req.body, *body);
        }
    }

    #[test]
    fn bytes_after_the_request_belong_to_the_next_one() {
        let two = b"GET /a HTTP/1.1\r\n\r\nGET /b HTTP/1.1\r\n\r\n";
        let (first, len) = complete(two);
        assert_eq!(first.target, "/a");
        let (second, len2) = complete(&two[len..]);
        assert_eq!(second.target, "/b");
        assert_eq!(len + len2, two.len());
    }

    #[test]
    fn spans_point_at_the_bytes_that_carried_each_part() {
        let bytes = b"GET /p HTTP/1.1\r\nHost: example.com\r\nX-A:  b \r\n\r\n";
        let (req, _) = complete(bytes);
        assert_eq!(&bytes[req.request_line.clone()], b"GET /p HTTP/1.1");
        assert_eq!(&bytes[req.headers[0].span.clone()], b"Host: example.com");
        assert_eq!(req.headers[1].value, "b");
        assert_eq!(req.header("host"), Some("example.com"));
        assert_eq!(req.head_len, bytes.len());
    }

    #[test]
    fn partial_requests_say_not_yet() {
        let table: &[&[u8]] = &[
            b"",
            b"G",
            b"GET",
            b"GET /index.html",
            b"GET / HTTP/1.1",
            b"GET / HTTP/1.1\r",
            b"GET / HTTP/1.1\r\n",
            b"GET / HTTP/1.1\r\nHost: a",
            b"GET / HTTP/1.1\r\nHost: a\r\n",
            b"GET / HTTP/1.1\r\nHost: a\r\n\r",
            b"POST / HTTP/1.1\r\nContent-Length: 5\r\n\r\n",
            b"POST / HTTP/1.1\r\nContent-Length: 5\r\n\r\nhell",
        ];
        for bytes in table {
            assert_eq!(
                parse(bytes),
                Ok(Parsed::Partial),
                "{:?}",
                String::from_utf8_lossy(bytes)
            );
        }
    }

    #[test]
    fn malformed_requests_map_to_their_status() {
        let table: &[(&[u8], u16)] = &[
            (b"GET / HTTP/1.1\r\nBad Header: x\r\n\r\n", 400),
            (b"GET / HTTP/1.1\r\n: empty-name\r\n\r\n", 400),
            (b"GET /a b HTTP/1.1\r\n\r\n", 400),
            (b"GET / FTP/1.1\r\n\r\n", 400),
            (b"GET\r\n\r\n", 400),
            (b"G(T / HTTP/1.1\r\n\r\n", 400),
            (b"GET / HTTP/2.0\r\n\r\n", 505),
            (b"GET / HTTP/1.1\r\nContent-Length: abc\r\n\r\n", 400),
            (b"GET / HTTP/1.1\r\nContent-Length: -1\r\n\r\n", 400),
            (
                b"GET / HTTP/1.1\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\nab",
                400,
            ),
            (
                b"POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n",
                501,
            ),
            (
                b"POST / HTTP/1.1\r\nContent-Length: 99999999999\r\n\r\n",
                413,
            ),
            (b"\x00\x01\x02 / HTTP/1.1\r\n\r\n", 400),
        ];
        for (bytes, status) in table {
            match parse(bytes) {
                Err(e) => assert_eq!(
                    e.status().code(),
                    *status,
                    "{:?}: {e}",
                    String::from_utf8_lossy(bytes)
                ),
                Ok(p) => panic!("{:?} parsed as {p:?}", String::from_utf8_lossy(bytes)),
            }
        }
    }

    #[test]
    fn limits_turn_into_414_431_and_413() {
        let limits = Limits {
            max_request_line: 32,
            max_head: 64,
            max_headers: 2,
            max_body: 4,
        };
        let p = |b: &[u8]| parse_request(b, &limits);

        // A request line that never ends is cut off at the limit, not buffered forever.
        let long = format!("GET /{}", "a".repeat(40));
        assert_eq!(p(long.as_bytes()), Err(RequestError::RequestLineTooLong));
        assert_eq!(p(&long.as_bytes()[..30]), Ok(Parsed::Partial));
        let long_line = format!("GET /{} HTTP/1.1\r\n\r\n", "a".repeat(40));
        assert_eq!(p(long_line.as_bytes()).unwrap_err().status().code(), 414);

        // Headers that never end are cut off at the head limit.
        let big = format!("GET / HTTP/1.1\r\nX: {}", "v".repeat(80));
        assert_eq!(p(big.as_bytes()).unwrap_err().status().code(), 431);
        let big_done = format!("GET / HTTP/1.1\r\nX: {}\r\n\r\n", "v".repeat(80));
        assert_eq!(p(big_done.as_bytes()).unwrap_err().status().code(), 431);

        let many = b"GET / HTTP/1.1\r\nA: 1\r\nB: 2\r\nC: 3\r\n\r\n";
        assert_eq!(p(many), Err(RequestError::TooManyHeaders));
        assert_eq!(RequestError::TooManyHeaders.status().code(), 431);

        let body = b"POST / HTTP/1.1\r\nContent-Length: 5\r\n\r\nhello";
        assert_eq!(p(body).unwrap_err().status().code(), 413);
        let ok_body = b"POST / HTTP/1.1\r\nContent-Length: 4\r\n\r\nhell";
        assert!(matches!(p(ok_body), Ok(Parsed::Complete { .. })));
    }

    #[test]
    fn builder_output_parses_back() {
        let bytes = RequestBuilder::new("GET", "/style.css")
            .header("Host", "10.0.0.1:8080")
            .header("Connection", "keep-alive\r\nX-Evil: 1")
            .to_bytes();
        let (req, len) = complete(&bytes);
        assert_eq!(len, bytes.len());
        assert_eq!(req.target, "/style.css");
        assert_eq!(req.headers.len(), 2, "CR/LF in a value cannot add a header");
        assert!(req.keep_alive());

        let post = RequestBuilder::new("POST", "/").body("abc").to_bytes();
        assert_eq!(complete(&post).0.body, b"abc");
    }

    #[test]
    fn every_prefix_of_a_request_is_partial() {
        let bytes = b"POST /form HTTP/1.1\r\nHost: a\r\nContent-Length: 3\r\n\r\nxyz";
        for cut in 0..bytes.len() {
            assert_eq!(parse(&bytes[..cut]), Ok(Parsed::Partial), "cut at {cut}");
        }
        assert!(matches!(parse(bytes), Ok(Parsed::Complete { .. })));
    }
}
