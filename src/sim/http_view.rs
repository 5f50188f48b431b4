//! The HTTP exchanges of the `http` lesson, as DevTools' Network panel shows
//! them: what was asked, what came back, the bytes that carried each header,
//! and when each phase began and ended in simulated time.
//!
//! The browser program records an exchange when it writes a request; the
//! kernel hooks in [`World`] fill in when its bytes went out and when the
//! response's bytes arrived; the browser completes it when the shared parser
//! ([`crate::http::parse_response`]) says the response is whole.
//!
//! # Finding a header's bytes
//!
//! Each [`HeaderField::span`] is a byte range in [`HttpExchange::request`] or
//! in [`HttpResponseView::head`]. The request starts at
//! [`HttpExchange::request_seq`] in the browser→server byte stream and the
//! response at [`HttpExchange::response_seq`] in the server→browser stream, so
//! [`HttpExchange::request_seqs`] and [`HttpExchange::response_seqs`] turn a
//! span into TCP sequence numbers. A byte with sequence number `s`:
//!
//! - is on the wire in a segment of that direction with
//!   `seg.seq <= s < seg.seq + payload.len()` (at index `s - seg.seq`);
//! - sits in the sender's send buffer at index `s - SND.UNA` while unacknowledged;
//! - sits in the receiver's receive buffer at index
//!   `s - (RCV.NXT - recv_buffer.len())` until `recv()` takes it.

use super::event::{HostId, SockId};
use super::net::segment::{Endpoint, SeqNumber};
use super::net::Segment;
use super::time::{Duration, Instant};
use super::world::World;
use crate::http::{Header, Response, Url};
use serde::{Deserialize, Serialize};
use std::ops::Range;

/// One header field and where its line (`Name: value`, without CRLF) sits in
/// the message.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct HeaderField {
    pub name: String,
    pub value: String,
    pub span: Range<usize>,
}

impl From<&Header> for HeaderField {
    fn from(h: &Header) -> Self {
        HeaderField {
            name: h.name.clone(),
            value: h.value.clone(),
            span: h.span.clone(),
        }
    }
}

/// The response as the browser read it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct HttpResponseView {
    pub status: u16,
    /// The reason phrase as sent (`OK`, `Not Found`).
    pub reason: String,
    /// `HTTP/1.1`.
    pub version: String,
    /// The head's raw bytes: status line, header lines, blank line.
    pub head: Vec<u8>,
    pub body: Vec<u8>,
    /// The status line in `head` (without CRLF).
    pub status_line: Range<usize>,
    /// In order, with spans in `head`.
    pub headers: Vec<HeaderField>,
    /// The `Content-Type` header, if any.
    pub content_type: Option<String>,
}

impl HttpResponseView {
    fn from_parsed(res: &Response, bytes: &[u8]) -> Self {
        HttpResponseView {
            status: res.status.code(),
            reason: res.reason.clone(),
            version: res.version.to_string(),
            head: bytes[..res.head_len].to_vec(),
            body: res.body.clone(),
            status_line: res.status_line.clone(),
            headers: res.headers.iter().map(HeaderField::from).collect(),
            content_type: res.header("content-type").map(str::to_string),
        }
    }

    /// Head and body: the size DevTools calls "transferred".
    pub fn total_len(&self) -> usize {
        self.head.len() + self.body.len()
    }
}

/// Where an exchange is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum ExchangeState {
    /// Request written; the whole response has not been read yet.
    Pending,
    /// The browser read a whole response.
    Complete,
    /// The connection ended before the response was whole.
    Failed,
}

/// When each phase of an exchange began and ended, in simulated time. The
/// marks are in this order whenever present: DNS, connect, request sent,
/// waiting (time to first byte), content download.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct HttpTiming {
    /// `gethostbyname()` called and answered; `None` when the address was
    /// already known (the browser caches it).
    pub dns_start: Option<Instant>,
    pub dns_end: Option<Instant>,
    /// `connect()` called (the SYN leaves) and returned (handshake done);
    /// `None` when the request reused an open keep-alive connection.
    pub connect_start: Option<Instant>,
    pub connect_end: Option<Instant>,
    /// `sendall()` called: the first request byte enters the send buffer.
    pub request_start: Instant,
    /// The last request byte was put on the wire.
    pub request_end: Option<Instant>,
    /// The first response byte reached the browser's receive buffer.
    pub first_byte: Option<Instant>,
    /// The last response byte reached it.
    pub last_byte: Option<Instant>,
}

impl HttpTiming {
    /// When the exchange began: its DNS lookup, else its connect, else its request.
    pub fn start(&self) -> Instant {
        self.dns_start
            .or(self.connect_start)
            .unwrap_or(self.request_start)
    }

    fn span(a: Option<Instant>, b: Option<Instant>) -> Option<Duration> {
        Some(b? - a?)
    }

    pub fn dns(&self) -> Option<Duration> {
        Self::span(self.dns_start, self.dns_end)
    }

    /// "Initial connection": the three-way handshake.
    pub fn connect(&self) -> Option<Duration> {
        Self::span(self.connect_start, self.connect_end)
    }

    /// "Request sent".
    pub fn request_sent(&self) -> Option<Duration> {
        Self::span(Some(self.request_start), self.request_end)
    }

    /// "Waiting (TTFB)": from the request's last byte to the response's first.
    pub fn waiting(&self) -> Option<Duration> {
        Self::span(self.request_end, self.first_byte)
    }

    /// "Content download": from the response's first byte to its last.
    pub fn download(&self) -> Option<Duration> {
        Self::span(self.first_byte, self.last_byte)
    }

    /// From [`HttpTiming::start`] to the last response byte.
    pub fn total(&self) -> Option<Duration> {
        Self::span(Some(self.start()), self.last_byte)
    }
}

/// One request and its response, as the Network panel lists them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct HttpExchange {
    /// 0, 1, … in the order the browser sent them.
    pub id: usize,
    /// The URL as typed (or as the program built it). [`HttpExchange::url_parts`]
    /// splits it.
    pub url: String,
    pub method: String,
    /// The request target on the request line (path and query).
    pub target: String,
    /// The server's address and port ("Remote Address").
    pub remote: Endpoint,
    /// The browser's end of the connection.
    pub local: Endpoint,
    /// Whether this request opened its connection (later ones reuse it).
    pub new_connection: bool,
    /// The request's raw bytes.
    pub request: Vec<u8>,
    /// The request line in `request` (without CRLF).
    pub request_line: Range<usize>,
    /// In order, with spans in `request`.
    pub request_headers: Vec<HeaderField>,
    pub state: ExchangeState,
    pub response: Option<HttpResponseView>,
    /// Bytes the browser had sent on this connection before this request
    /// (its offset in the browser→server stream).
    pub request_offset: u64,
    /// Bytes the browser had received on this connection before this
    /// response (its offset in the server→browser stream).
    pub response_offset: u64,
    /// Sequence number of the request's first byte.
    pub request_seq: SeqNumber,
    /// Sequence number of the response's first byte.
    pub response_seq: SeqNumber,
    pub timing: HttpTiming,
    #[serde(skip)]
    pub(crate) sock: Option<SockId>,
    /// (sequence number just past the received bytes, when), for each
    /// arrival of response bytes.
    #[serde(skip)]
    pub(crate) arrivals: Vec<(SeqNumber, Instant)>,
}

impl HttpExchange {
    /// The URL split into its parts (scheme, host, port, path, query,
    /// fragment), each with its byte range in [`HttpExchange::url`].
    pub fn url_parts(&self) -> Option<Url> {
        Url::parse(&self.url).ok()
    }

    /// Sequence numbers `[start, end)` of a byte range of the request.
    pub fn request_seqs(&self, span: &Range<usize>) -> (SeqNumber, SeqNumber) {
        (self.request_seq + span.start, self.request_seq + span.end)
    }

    /// Sequence numbers `[start, end)` of a byte range of the response
    /// (head first, then body).
    pub fn response_seqs(&self, span: &Range<usize>) -> (SeqNumber, SeqNumber) {
        (self.response_seq + span.start, self.response_seq + span.end)
    }

    /// The response's status code, once read.
    pub fn status(&self) -> Option<u16> {
        self.response.as_ref().map(|r| r.status)
    }

    /// The last segment of the URL's path, as the Network panel's Name
    /// column shows it (`/` for the root).
    pub fn name(&self) -> String {
        let target = self.target.split('#').next().unwrap_or("");
        let (path, query) = match target.find('?') {
            Some(q) => (&target[..q], &target[q..]),
            None => (target, ""),
        };
        match (path.rsplit('/').next().unwrap_or(""), query) {
            ("", "") => "/".to_string(),
            (last, query) => format!("{last}{query}"),
        }
    }
}

/// The HTTP exchanges a browser host made, as its DevTools record them.
/// The kernel reports every segment it sends or receives; only the
/// browser's connections count.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct HttpState {
    /// The host whose requests are recorded (the browser), if any.
    pub client: Option<HostId>,
    pub exchanges: Vec<HttpExchange>,
}

impl HttpState {
    /// A host's kernel put a segment on the wire.
    pub fn on_wire(&mut self, host: HostId, sock: SockId, seg: &Segment, now: Instant) {
        if self.client != Some(host) || seg.payload.is_empty() {
            return;
        }
        let end = seg.seq + seg.payload.len();
        for x in self.pending_on(sock) {
            let req_end = x.request_seq + x.request.len();
            if x.timing.request_end.is_none() && end.distance_from(req_end) >= 0 {
                x.timing.request_end = Some(now);
            }
        }
    }

    /// Bytes up to (not including) `rcv_end` have reached `host`'s receive
    /// buffer on `sock`.
    pub fn on_arrival(&mut self, host: HostId, sock: SockId, rcv_end: SeqNumber, now: Instant) {
        if self.client != Some(host) {
            return;
        }
        for x in self.pending_on(sock) {
            if rcv_end.distance_from(x.response_seq) <= 0 {
                continue;
            }
            if x.timing.first_byte.is_none() {
                x.timing.first_byte = Some(now);
            }
            if x.arrivals.last().map(|a| a.0) != Some(rcv_end) {
                x.arrivals.push((rcv_end, now));
            }
        }
    }

    fn pending_on(&mut self, sock: SockId) -> impl Iterator<Item = &mut HttpExchange> {
        self.exchanges
            .iter_mut()
            .filter(move |x| x.state == ExchangeState::Pending && x.sock == Some(sock))
    }
}

/// What the browser knows about its connection when it writes a request.
pub(crate) struct NewExchange {
    pub url: String,
    pub method: String,
    pub target: String,
    pub request: Vec<u8>,
    pub sock: Option<SockId>,
    pub local: Endpoint,
    pub remote: Endpoint,
    pub request_offset: u64,
    pub response_offset: u64,
    pub request_seq: SeqNumber,
    pub response_seq: SeqNumber,
    pub dns: Option<(Instant, Instant)>,
    pub connect: Option<(Instant, Instant)>,
}

impl World {
    /// Every HTTP exchange so far, oldest first.
    pub fn http_exchanges(&self) -> &[HttpExchange] {
        &self.http.exchanges
    }

    /// The paths of the site the web server serves (empty outside the `http` lesson).
    pub fn http_site(&self) -> Vec<String> {
        self.find_host(HostId::SERVER)
            .map(|h| &h.files)
            .into_iter()
            .flat_map(|f| f.paths())
            .map(|p| format!("/{}", p.as_str()))
            .collect()
    }

    pub(crate) fn http_begin(&mut self, x: NewExchange) -> usize {
        let id = self.http.exchanges.len();
        let (request_line, request_headers) =
            match crate::http::parse_request(&x.request, &crate::http::Limits::default()) {
                Ok(crate::http::Parsed::Complete { message, .. }) => (
                    message.request_line.clone(),
                    message.headers.iter().map(HeaderField::from).collect(),
                ),
                _ => (0..0, vec![]),
            };
        self.http.exchanges.push(HttpExchange {
            id,
            url: x.url,
            method: x.method,
            target: x.target,
            remote: x.remote,
            local: x.local,
            new_connection: x.connect.is_some(),
            request: x.request,
            request_line,
            request_headers,
            state: ExchangeState::Pending,
            response: None,
            request_offset: x.request_offset,
            response_offset: x.response_offset,
            request_seq: x.request_seq,
            response_seq: x.response_seq,
            timing: HttpTiming {
                dns_start: x.dns.map(|d| d.0),
                dns_end: x.dns.map(|d| d.1),
                connect_start: x.connect.map(|c| c.0),
                connect_end: x.connect.map(|c| c.1),
                request_start: self.now(),
                request_end: None,
                first_byte: None,
                last_byte: None,
            },
            sock: x.sock,
            arrivals: vec![],
        });
        id
    }

    /// The browser's parser found a whole response of `len` bytes at the
    /// start of `bytes`.
    pub(crate) fn http_complete(&mut self, id: usize, res: &Response, bytes: &[u8], len: usize) {
        let Some(x) = self.http.exchanges.get_mut(id) else {
            return;
        };
        x.response = Some(HttpResponseView::from_parsed(res, &bytes[..len]));
        x.state = ExchangeState::Complete;
        let end = x.response_seq + len;
        x.timing.last_byte = x
            .arrivals
            .iter()
            .find(|(seq, _)| seq.distance_from(end) >= 0)
            .map(|(_, at)| *at);
        x.sock = None;
        x.arrivals.clear();
    }

    pub(crate) fn http_failed(&mut self, id: usize) {
        if let Some(x) = self.http.exchanges.get_mut(id) {
            x.state = ExchangeState::Failed;
            x.sock = None;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_the_last_path_segment_with_the_query() {
        let mut x = HttpExchange {
            id: 0,
            url: "http://www.example.test/".into(),
            method: "GET".into(),
            target: "/".into(),
            remote: Endpoint::new([10, 0, 0, 1].into(), 80),
            local: Endpoint::new([10, 0, 0, 100].into(), 40000),
            new_connection: true,
            request: vec![],
            request_line: 0..0,
            request_headers: vec![],
            state: ExchangeState::Pending,
            response: None,
            request_offset: 0,
            response_offset: 0,
            request_seq: SeqNumber(u32::MAX - 1),
            response_seq: SeqNumber(7),
            timing: HttpTiming::default(),
            sock: None,
            arrivals: vec![],
        };
        assert_eq!(x.name(), "/");
        x.target = "/css/style.css".into();
        assert_eq!(x.name(), "style.css");
        x.target = "/news/?page=1&count=10".into();
        assert_eq!(x.name(), "?page=1&count=10");
        x.target = "/about.html?x=1".into();
        assert_eq!(x.name(), "about.html?x=1");
        // Sequence numbers wrap.
        assert_eq!(x.request_seqs(&(1..4)), (SeqNumber(u32::MAX), SeqNumber(2)));
        assert_eq!(x.response_seqs(&(0..3)), (SeqNumber(7), SeqNumber(10)));
    }
}
