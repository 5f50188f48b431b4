//! HTTP/1.1 as the course teaches it: a request message, a response message,
//! a URL split into its parts, and a static web server's rule for turning a
//! request target into a file.
//!
//! This module is shared by the simulated static web server (in `sim`) and
//! the real one (in `native`), so both parse the same bytes the same way and
//! answer with the same headers. It does no I/O of its own ("sans-IO"): bytes
//! come in as slices, the current time comes in as an argument, and files come
//! from a [`FileSource`] the caller provides (an in-memory [`MemoryFiles`] in
//! the simulation, a directory on disk natively).
//!
//! # Layout
//!
//! - [`request`]: [`parse_request`] turns the bytes received so far into
//!   [`Parsed::Partial`] ("not yet, keep reading"), a complete [`Request`], or
//!   a [`RequestError`] that knows which status code to answer with.
//!   [`RequestBuilder`] writes a request, as the simulated browser does.
//! - [`response`]: [`Status`], [`ResponseHead`] (status line and headers),
//!   [`parse_response`] for the browser side, [`content_type_for`], and the
//!   keep-alive rule.
//! - [`date`]: [`HttpDate`], the `Date` header's IMF-fixdate format.
//! - [`path`]: [`resolve_target`] turns a request target into a [`SafePath`]
//!   that can never leave the served root; [`FileSource`] and [`MemoryFiles`].
//! - [`url`]: [`Url::parse`] splits `http://host:port/path?query#fragment`
//!   into parts, each with its byte range for highlighting.
//! - [`server`]: [`serve_static`], the static web server's whole decision for
//!   one request (method, path, file, status), used by both servers.
//!
//! # Example
//!
//! ```
//! use sockscope::http::*;
//!
//! let mut files = MemoryFiles::new();
//! files.insert("/index.html", b"<h1>hi</h1>".to_vec());
//!
//! let bytes = b"GET /?page=1 HTTP/1.1\r\nHost: example\r\n\r\n";
//! let Parsed::Complete { message: req, len } = parse_request(bytes, &Limits::default()).unwrap()
//! else { panic!("a whole request") };
//! assert_eq!(len, bytes.len());
//!
//! let reply = serve_static(&req, &files);
//! assert_eq!(reply.status, Status::OK);
//! let date = HttpDate::from_unix_secs(784_111_777);
//! let head = reply.head(&date, req.keep_alive());
//! let out = head.to_bytes();
//! assert!(out.starts_with(b"HTTP/1.1 200 OK\r\n"));
//! ```

pub mod address_bar;
pub mod date;
pub mod path;
pub mod request;
pub mod response;
pub mod server;
pub mod url;

pub use address_bar::address_bar;
pub use date::HttpDate;
pub use path::{resolve_target, FileError, FileSource, MemoryFiles, PathError, SafePath};
pub use request::{
    parse_request, Header, Limits, Parsed, Request, RequestBuilder, RequestError, Version,
};
pub use response::{
    content_type_for, keep_alive, parse_response, Response, ResponseError, ResponseHead, Status,
};
pub use server::{serve_static, StaticReply};
pub use url::{QueryParam, Url, UrlError, UrlPart, UrlPartKind};

/// The value of the `Server` header both servers send.
pub const SERVER_NAME: &str = "sockscope";
