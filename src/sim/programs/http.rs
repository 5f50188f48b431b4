//! The `http` lesson's mock browser as a step machine (its Python text is
//! in [`super::source`]), and the small site the web server serves. (The
//! web server is a Python program, `lessons/py/web_server.*.py`, run by the
//! interpreter with its `httpmsg` module.)
//!
//! The browser holds no HTTP logic of its own: it writes with
//! [`crate::http::RequestBuilder`] and reads with
//! [`crate::http::parse_response`], the code the real tools use.

use super::source::{ProgramSource, BROWSER_RECV};
use super::Flow;
use crate::http::{parse_response, Limits, Parsed, RequestBuilder, Response, Url};
use crate::sim::event::{Fd, HttpNote, ThreadEnd, ThreadId};
use crate::sim::http_view::NewExchange;
use crate::sim::net::segment::Endpoint;
use crate::sim::time::Instant;
use crate::sim::world::{Sys, World};
use std::net::Ipv4Addr;

/// The site the lesson's server serves: (URL path, content). Both languages
/// are on every page.
pub const SITE: &[(&str, &str)] = &[
    (
        "/index.html",
        r#"<!DOCTYPE html>
<html>
<head>
<meta charset="utf-8">
<title>Harbour Tea House · 港湾茶馆</title>
<link rel="stylesheet" href="/style.css">
</head>
<body>
<h1>Harbour Tea House · 港湾茶馆</h1>
<p lang="en">This page reached you as the body of an HTTP response: the bytes after the blank line.</p>
<p lang="zh">这个页面是一个 HTTP 响应的响应体：空行之后的那些字节。</p>
<ul>
<li lang="en">Jasmine tea, green tea, oolong</li>
<li lang="zh">茉莉花茶、绿茶、乌龙茶</li>
</ul>
<p><a href="/about.html">About us · 关于我们</a></p>
</body>
</html>
"#,
    ),
    (
        "/style.css",
        "body { font-family: sans-serif; max-width: 32em; margin: 2em auto; background: #fbf7ef; color: #2b2b2b; }\n\
         h1 { color: #2f6f5e; }\n\
         a { color: #a0522d; }\n",
    ),
    (
        "/about.html",
        r#"<!DOCTYPE html>
<html>
<head>
<meta charset="utf-8">
<title>About · 关于</title>
<link rel="stylesheet" href="/style.css">
</head>
<body>
<h1>About · 关于</h1>
<p lang="en">A small tea house by the water, open every day from nine.</p>
<p lang="zh">水边的一家小茶馆，每天九点开门。</p>
<p><a href="/">Home · 首页</a></p>
</body>
</html>
"#,
    ),
];

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct BrowserLines {
    resolve: u32,
    socket: u32,
    connect: u32,
    keep_alive: u32,
    build: u32,
    send: u32,
    parse: u32,
    recv: u32,
    raise: u32,
    print: u32,
    close: u32,
    wait: u32,
}

impl BrowserLines {
    fn of(src: &ProgramSource) -> Self {
        BrowserLines {
            resolve: src.line_of("socket.gethostbyname("),
            socket: src.line_of("conn = socket.socket("),
            connect: src.line_of("conn.connect("),
            keep_alive: src.line_of("keep_alive = len("),
            build: src.line_of("request = build_request("),
            send: src.line_of("conn.sendall(request)"),
            parse: src.line_of("while not parse_response(buf)"),
            recv: src.line_of("data = conn.recv("),
            raise: src.line_of("raise ConnectionError("),
            print: src.line_of("print(response.status"),
            close: src.line_of("conn.close()"),
            wait: src.line_of("wait_for_learner()"),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum BrowserPc {
    Resolve,
    Socket,
    Connect,
    KeepAlive,
    Build,
    Send,
    Parse,
    Recv,
    Raise,
    Print,
    Close,
    Wait,
}

/// The browser's one thread.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Browser {
    lines: BrowserLines,
    pc: BrowserPc,
    host: String,
    port: u16,
    ip: Option<Ipv4Addr>,
    fd: Fd,
    /// The URLs to visit on this connection, and the next one.
    urls: Vec<String>,
    next: usize,
    keep_alive: bool,
    request: Vec<u8>,
    buf: Vec<u8>,
    response: Option<Response>,
    /// Timing marks not yet given to an exchange.
    dns_start: Option<Instant>,
    dns: Option<(Instant, Instant)>,
    connect_start: Option<Instant>,
    connect: Option<(Instant, Instant)>,
    /// Bytes sent and received on this connection so far.
    tx_total: u64,
    rx_total: u64,
    exchange: Option<usize>,
}

impl Browser {
    pub(crate) fn new(src: &ProgramSource) -> Self {
        let ProgramSource::Browser { host, port, pages } = src;
        Browser {
            lines: BrowserLines::of(src),
            pc: BrowserPc::Resolve,
            host: host.clone(),
            port: *port,
            ip: None,
            fd: 0,
            urls: pages.iter().map(|p| format!("http://{host}{p}")).collect(),
            next: 0,
            keep_alive: true,
            request: vec![],
            buf: vec![],
            response: None,
            dns_start: None,
            dns: None,
            connect_start: None,
            connect: None,
            tx_total: 0,
            rx_total: 0,
            exchange: None,
        }
    }

    fn url(&self) -> Url {
        Url::parse(&self.urls[self.next])
            .unwrap_or_else(|_| unreachable!("URLs are checked before they get here"))
    }

    pub(crate) fn step(&mut self, w: &mut World, tid: ThreadId) -> Flow {
        let l = self.lines;
        match self.pc {
            BrowserPc::Resolve => {
                self.dns_start.get_or_insert(w.now());
                match w.sys_gethostbyname(tid, l.resolve, &self.host) {
                    Sys::Ready(ip) => {
                        self.ip = Some(ip);
                        self.dns = self.dns_start.take().map(|s| (s, w.now()));
                        self.pc = BrowserPc::Socket;
                    }
                    Sys::Blocked => return Flow::Blocked,
                    Sys::Failed(e) => return w.uncaught(tid, e),
                }
            }
            BrowserPc::Socket => {
                self.fd = w.sys_socket(tid, l.socket);
                self.pc = BrowserPc::Connect;
            }
            BrowserPc::Connect => {
                self.connect_start.get_or_insert(w.now());
                let to = Endpoint::new(self.ip.unwrap_or(Ipv4Addr::UNSPECIFIED), self.port);
                match w.sys_connect(tid, l.connect, self.fd, to) {
                    Sys::Ready(_) => {
                        self.connect = self.connect_start.take().map(|s| (s, w.now()));
                        self.tx_total = 0;
                        self.rx_total = 0;
                        self.pc = BrowserPc::KeepAlive;
                    }
                    Sys::Blocked => return Flow::Blocked,
                    Sys::Failed(e) => return w.uncaught(tid, e),
                }
            }
            BrowserPc::KeepAlive => {
                w.set_line(tid, l.keep_alive);
                self.keep_alive = self.urls.len() > 1;
                self.next = 0;
                self.pc = BrowserPc::Build;
            }
            BrowserPc::Build => {
                let url = self.url();
                let target = url.request_target();
                self.request = RequestBuilder::new("GET", &target)
                    .header("Host", &url.host_header())
                    .header("User-Agent", "sockscope-browser/1.0")
                    .header("Accept", "*/*")
                    .header(
                        "Connection",
                        if self.keep_alive {
                            "keep-alive"
                        } else {
                            "close"
                        },
                    )
                    .to_bytes();
                let conn = w.stream_of(tid, self.fd);
                let server = Endpoint::new(self.ip.unwrap_or(Ipv4Addr::UNSPECIFIED), self.port);
                let (sock, local, remote, iss, irs) = match conn {
                    Some((s, local, remote, iss, irs)) => (Some(s), local, remote, iss, irs),
                    None => (None, server, server, Default::default(), Default::default()),
                };
                let id = w.http_begin(NewExchange {
                    url: url.request_url(),
                    method: "GET".into(),
                    target: target.clone(),
                    request: self.request.clone(),
                    sock,
                    local,
                    remote,
                    request_offset: self.tx_total,
                    response_offset: self.rx_total,
                    request_seq: iss + 1 + self.tx_total as usize,
                    response_seq: irs + 1 + self.rx_total as usize,
                    dns: self.dns.take(),
                    connect: self.connect.take(),
                });
                self.exchange = Some(id);
                self.tx_total += self.request.len() as u64;
                let note = HttpNote::RequestBuilt {
                    method: "GET".into(),
                    target,
                    len: self.request.len(),
                    keep_alive: self.keep_alive,
                };
                w.http_note(tid, l.build, note);
                self.pc = BrowserPc::Send;
            }
            BrowserPc::Send => {
                match w.sys_send(tid, l.send, self.fd, &self.request.clone(), true) {
                    Sys::Ready(_) => {
                        self.buf.clear();
                        self.pc = BrowserPc::Parse;
                    }
                    Sys::Blocked => return Flow::Blocked,
                    Sys::Failed(e) => return w.uncaught(tid, e),
                }
            }
            BrowserPc::Parse => match parse_response(&self.buf, &Limits::default(), false) {
                Ok(Parsed::Complete { message, len }) => {
                    let note = HttpNote::ResponseParsed {
                        status: message.status.code(),
                        reason: message.reason.clone(),
                        head_len: message.head_len,
                        body_len: message.body.len(),
                    };
                    w.http_note(tid, l.parse, note);
                    if let Some(id) = self.exchange.take() {
                        w.http_complete(id, &message, &self.buf, len);
                    }
                    self.rx_total += len as u64;
                    self.response = Some(message);
                    self.pc = BrowserPc::Print;
                }
                Ok(Parsed::Partial) => {
                    if self.buf.is_empty() {
                        w.set_line(tid, l.parse);
                    } else {
                        let have = self.buf.len();
                        w.http_note(tid, l.parse, HttpNote::ResponseIncomplete { have });
                    }
                    self.pc = BrowserPc::Recv;
                }
                Err(_) => self.pc = BrowserPc::Raise,
            },
            BrowserPc::Recv => match w.sys_recv(tid, l.recv, self.fd, BROWSER_RECV) {
                Sys::Ready(data) if data.is_empty() => self.pc = BrowserPc::Raise,
                Sys::Ready(data) => {
                    self.buf.extend_from_slice(&data);
                    self.pc = BrowserPc::Parse;
                }
                Sys::Blocked => return Flow::Blocked,
                Sys::Failed(e) => {
                    if let Some(id) = self.exchange.take() {
                        w.http_failed(id);
                    }
                    return w.uncaught(tid, e);
                }
            },
            BrowserPc::Raise => {
                // The connection ended (or the bytes were no response): the
                // exception nobody catches ends the browser's thread.
                if let Some(id) = self.exchange.take() {
                    w.http_failed(id);
                }
                w.print(tid, l.raise, "Traceback (most recent call last):".into());
                w.print(
                    tid,
                    l.raise,
                    "ConnectionError: closed before the end".into(),
                );
                return Flow::Exit(ThreadEnd::Exception {
                    kind: "ConnectionError".into(),
                    message: "closed before the end".into(),
                });
            }
            BrowserPc::Print => {
                let res = self.response.take().expect("parsed");
                let path = self.url().request_target();
                let line = format!("{} {} {path}", res.status.code(), res.reason);
                w.print(tid, l.print, line);
                self.next += 1;
                self.pc = if self.next < self.urls.len() {
                    BrowserPc::Build
                } else {
                    BrowserPc::Close
                };
            }
            BrowserPc::Close => {
                w.sys_close(tid, l.close, self.fd);
                self.pc = BrowserPc::Wait;
            }
            BrowserPc::Wait => match w.sys_wait_url(tid, l.wait) {
                Sys::Ready(url) => {
                    self.urls = vec![url];
                    self.next = 0;
                    self.pc = BrowserPc::Socket;
                }
                Sys::Blocked => return Flow::Blocked,
                Sys::Failed(e) => return w.uncaught(tid, e),
            },
        }
        Flow::Next
    }
}
