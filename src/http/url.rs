//! The parts of a URL, as the course draws them:
//!
//! ```text
//! http://www.example.com:8080/news/index.html?page=1&count=10#top
//! └┬─┘   └──────┬──────┘ └┬─┘└──────┬───────┘ └──────┬──────┘ └┬┘
//! scheme      host      port      path           query     fragment
//! ```
//!
//! [`Url::parse`] keeps each part's byte range in the original string so a UI
//! can highlight it, and splits the query into ordered `(key, value)` pairs.
//! Only `http` and `https` are accepted; a bad URL gets a [`UrlError`] whose
//! `Display` says what is wrong and where.

use std::fmt;
use std::ops::Range;

/// Which part of a URL a range of it is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum UrlPartKind {
    Scheme,
    Host,
    Port,
    Path,
    Query,
    Fragment,
}

impl UrlPartKind {
    /// A short English name, e.g. for a CSS class or a JSON key.
    pub fn name(self) -> &'static str {
        match self {
            UrlPartKind::Scheme => "scheme",
            UrlPartKind::Host => "host",
            UrlPartKind::Port => "port",
            UrlPartKind::Path => "path",
            UrlPartKind::Query => "query",
            UrlPartKind::Fragment => "fragment",
        }
    }
}

/// One part of a URL: its text as written and where it is in the input.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct UrlPart {
    pub text: String,
    /// Byte range in the input. Empty for a part that was left out and
    /// defaulted (the path `/` of `http://host`).
    pub span: Range<usize>,
}

/// One `key=value` pair of the query, decoded (`+` is a space, `%xx` a byte).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct QueryParam {
    pub key: String,
    pub value: String,
    /// The whole `key=value` in the input.
    pub span: Range<usize>,
    pub key_span: Range<usize>,
    /// `None` for a bare key such as `?debug`.
    pub value_span: Option<Range<usize>>,
}

/// A parsed `http`/`https` URL.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Url {
    input: String,
    /// `http` or `https` as written (compare case-insensitively).
    pub scheme: UrlPart,
    /// A name, an IPv4 address, or an IPv6 address in brackets.
    pub host: UrlPart,
    /// The port written after `:`, if any.
    pub port_part: Option<UrlPart>,
    /// The port to connect to: the written one, or 80 for http, 443 for https.
    pub port: u16,
    /// The path as written (still percent-encoded); `/` if left out.
    pub path: UrlPart,
    /// The query without its `?`.
    pub query: Option<UrlPart>,
    /// The query's pairs, in order.
    pub params: Vec<QueryParam>,
    /// The fragment without its `#`; the browser keeps it, it is never sent.
    pub fragment: Option<UrlPart>,
}

/// Why a string is not a URL this module accepts.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum UrlError {
    Empty,
    /// No `scheme://` in front, as in `www.example.com/`.
    MissingScheme,
    /// A scheme other than http and https.
    UnsupportedScheme(String),
    /// Nothing between `://` and the path.
    MissingHost,
    /// `user:password@` before the host.
    UserInfo,
    /// A character a host name cannot have.
    InvalidHost {
        at: usize,
    },
    /// The port is not a number.
    InvalidPort {
        at: usize,
    },
    /// The port is 0 or above 65535.
    PortOutOfRange(u32),
    /// A space or control character (they must be percent-encoded).
    InvalidCharacter {
        ch: char,
        at: usize,
    },
    /// `%` not followed by two hex digits.
    BadPercentEncoding {
        at: usize,
    },
}

impl fmt::Display for UrlError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            UrlError::Empty => f.write_str("the URL is empty"),
            UrlError::MissingScheme => {
                f.write_str("the URL needs a scheme: start it with http:// or https://")
            }
            UrlError::UnsupportedScheme(s) => {
                write!(
                    f,
                    "the scheme {} is not supported: use http or https",
                    crate::pyrepr::py_str_repr(s)
                )
            }
            UrlError::MissingHost => f.write_str("the URL has no host after ://"),
            UrlError::UserInfo => {
                f.write_str("a user name before the host (user@host) is not supported")
            }
            UrlError::InvalidHost { at } => write!(f, "invalid character in the host at byte {at}"),
            UrlError::InvalidPort { at } => {
                write!(f, "the port must be a number (at byte {at})")
            }
            UrlError::PortOutOfRange(p) => write!(f, "the port {p} is out of range 1-65535"),
            UrlError::InvalidCharacter { ch, at } => {
                write!(
                    f,
                    "the character {} at byte {at} must be percent-encoded",
                    crate::pyrepr::py_str_repr(&ch.to_string())
                )
            }
            UrlError::BadPercentEncoding { at } => {
                write!(f, "'%' at byte {at} must be followed by two hex digits")
            }
        }
    }
}

impl std::error::Error for UrlError {}

impl UrlError {
    /// The same message in Chinese (the English is its `Display`).
    pub fn zh(&self) -> String {
        match self {
            UrlError::Empty => "URL 是空的".into(),
            UrlError::MissingScheme => "URL 需要协议：以 http:// 或 https:// 开头".into(),
            UrlError::UnsupportedScheme(s) => format!(
                "不支持协议 {}：请用 http 或 https",
                crate::pyrepr::py_str_repr(s)
            ),
            UrlError::MissingHost => "URL 在 :// 之后没有主机名".into(),
            UrlError::UserInfo => "不支持在主机名前写用户名（user@host）".into(),
            UrlError::InvalidHost { at } => format!("主机名第 {at} 个字节处有非法字符"),
            UrlError::InvalidPort { at } => format!("端口必须是数字（第 {at} 个字节处）"),
            UrlError::PortOutOfRange(p) => format!("端口 {p} 超出 1-65535 的范围"),
            UrlError::InvalidCharacter { ch, at } => {
                format!(
                    "第 {at} 个字节处的字符 {} 必须用百分号编码",
                    crate::pyrepr::py_str_repr(&ch.to_string())
                )
            }
            UrlError::BadPercentEncoding { at } => {
                format!("第 {at} 个字节处的 '%' 后面必须跟两位十六进制数字")
            }
        }
    }
}

/// `%XX` for every byte of every non-ASCII character; ASCII stays as it is.
fn percent_encode_non_ascii(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if c.is_ascii() {
            out.push(c);
        } else {
            let mut buf = [0u8; 4];
            for b in c.encode_utf8(&mut buf).bytes() {
                out.push_str(&format!("%{b:02X}"));
            }
        }
    }
    out
}

impl Url {
    pub fn parse(input: &str) -> Result<Url, UrlError> {
        if input.is_empty() {
            return Err(UrlError::Empty);
        }
        if let Some((at, ch)) = input
            .char_indices()
            .find(|&(_, c)| c.is_control() || c.is_whitespace())
        {
            return Err(UrlError::InvalidCharacter { ch, at });
        }

        // scheme
        let Some(sep) = input.find("://") else {
            if let Some(colon) = input.find(':') {
                let before = &input[..colon];
                let looks_like_scheme = before
                    .chars()
                    .next()
                    .is_some_and(|c| c.is_ascii_alphabetic())
                    && before
                        .chars()
                        .all(|c| c.is_ascii_alphanumeric() || "+-.".contains(c))
                    && !input[colon + 1..].starts_with(|c: char| c.is_ascii_digit());
                if looks_like_scheme {
                    return Err(UrlError::UnsupportedScheme(before.to_string()));
                }
            }
            return Err(UrlError::MissingScheme);
        };
        let scheme_text = &input[..sep];
        let default_port = if scheme_text.eq_ignore_ascii_case("http") {
            80
        } else if scheme_text.eq_ignore_ascii_case("https") {
            443
        } else if scheme_text.is_empty() {
            return Err(UrlError::MissingScheme);
        } else {
            return Err(UrlError::UnsupportedScheme(scheme_text.to_string()));
        };
        let scheme = part(input, 0..sep);

        // authority: host[:port]
        let auth_start = sep + 3;
        let auth_end = input[auth_start..]
            .find(['/', '?', '#'])
            .map_or(input.len(), |i| auth_start + i);
        let auth = &input[auth_start..auth_end];
        if auth.contains('@') {
            return Err(UrlError::UserInfo);
        }
        let (host_end, port_start) = if auth.starts_with('[') {
            let close = auth
                .find(']')
                .ok_or(UrlError::InvalidHost { at: auth_start })?;
            let inner = &auth[1..close];
            if let Some(i) = inner.find(|c: char| !(c.is_ascii_hexdigit() || c == ':' || c == '.'))
            {
                return Err(UrlError::InvalidHost {
                    at: auth_start + 1 + i,
                });
            }
            if inner.is_empty() {
                return Err(UrlError::MissingHost);
            }
            let after = auth_start + close + 1;
            match &input[after..auth_end] {
                "" => (after, None),
                rest if rest.starts_with(':') => (after, Some(after + 1)),
                _ => return Err(UrlError::InvalidHost { at: after }),
            }
        } else {
            match auth.find(':') {
                Some(i) => (auth_start + i, Some(auth_start + i + 1)),
                None => (auth_end, None),
            }
        };
        if host_end == auth_start {
            return Err(UrlError::MissingHost);
        }
        if !auth.starts_with('[') {
            let host = &input[auth_start..host_end];
            if let Some((i, _)) = host.char_indices().find(|&(_, c)| {
                c.is_ascii() && !(c.is_ascii_alphanumeric() || c == '-' || c == '.' || c == '_')
            }) {
                return Err(UrlError::InvalidHost { at: auth_start + i });
            }
        }
        let host = part(input, auth_start..host_end);
        let (port, port_part) = match port_start {
            None => (default_port, None),
            Some(p) if p == auth_end => (default_port, None), // `host:` means the default
            Some(p) => {
                let digits = &input[p..auth_end];
                if let Some(i) = digits.find(|c: char| !c.is_ascii_digit()) {
                    return Err(UrlError::InvalidPort { at: p + i });
                }
                let n: u32 = if digits.len() > 5 {
                    u32::MAX
                } else {
                    digits.parse().unwrap_or(u32::MAX)
                };
                if n == 0 || n > 65_535 {
                    return Err(UrlError::PortOutOfRange(n));
                }
                (n as u16, Some(part(input, p..auth_end)))
            }
        };

        // path, query, fragment
        let frag_at = input[auth_end..].find('#').map(|i| auth_end + i);
        let before_frag = frag_at.unwrap_or(input.len());
        let query_at = input[auth_end..before_frag].find('?').map(|i| auth_end + i);
        let path_end = query_at.unwrap_or(before_frag);
        check_percent(input, auth_end..input.len())?;
        let path = if path_end == auth_end {
            UrlPart {
                text: "/".to_string(),
                span: auth_end..auth_end,
            }
        } else {
            part(input, auth_end..path_end)
        };
        let query = query_at.map(|q| part(input, q + 1..before_frag));
        let params = query
            .as_ref()
            .map_or_else(Vec::new, |q| split_query(input, q.span.clone()));
        let fragment = frag_at.map(|f| part(input, f + 1..input.len()));

        Ok(Url {
            input: input.to_string(),
            scheme,
            host,
            port_part,
            port,
            path,
            query,
            params,
            fragment,
        })
    }

    /// The URL as given.
    pub fn as_str(&self) -> &str {
        &self.input
    }

    pub fn is_https(&self) -> bool {
        self.scheme.text.eq_ignore_ascii_case("https")
    }

    /// What goes on the request line: path and query, never the fragment.
    /// A character outside ASCII is sent as its UTF-8 bytes, percent-encoded,
    /// as a browser does (`?q=你` goes out as `?q=%E4%BD%A0`).
    pub fn request_target(&self) -> String {
        let target = match &self.query {
            Some(q) => format!("{}?{}", self.path.text, q.text),
            None => self.path.text.clone(),
        };
        percent_encode_non_ascii(&target)
    }

    /// The URL the request is for, as DevTools shows it: without the
    /// fragment (the browser keeps it), non-ASCII characters percent-encoded.
    pub fn request_url(&self) -> String {
        let port = match &self.port_part {
            Some(p) => format!(":{}", p.text),
            None => String::new(),
        };
        format!(
            "{}://{}{port}{}",
            self.scheme.text.to_ascii_lowercase(),
            self.host.text,
            self.request_target()
        )
    }

    /// The `Host` header: the host, and the port if it is not the default.
    pub fn host_header(&self) -> String {
        let default = if self.is_https() { 443 } else { 80 };
        if self.port == default {
            self.host.text.clone()
        } else {
            format!("{}:{}", self.host.text, self.port)
        }
    }

    /// Every part present in the input, in order, for highlighting. A
    /// defaulted path (empty span) is left out.
    pub fn parts(&self) -> Vec<(UrlPartKind, Range<usize>)> {
        let mut out = vec![
            (UrlPartKind::Scheme, self.scheme.span.clone()),
            (UrlPartKind::Host, self.host.span.clone()),
        ];
        if let Some(p) = &self.port_part {
            out.push((UrlPartKind::Port, p.span.clone()));
        }
        if !self.path.span.is_empty() {
            out.push((UrlPartKind::Path, self.path.span.clone()));
        }
        if let Some(q) = &self.query {
            out.push((UrlPartKind::Query, q.span.clone()));
        }
        if let Some(f) = &self.fragment {
            out.push((UrlPartKind::Fragment, f.span.clone()));
        }
        out
    }
}

impl fmt::Display for Url {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.input)
    }
}

fn part(input: &str, span: Range<usize>) -> UrlPart {
    UrlPart {
        text: input[span.clone()].to_string(),
        span,
    }
}

fn check_percent(input: &str, span: Range<usize>) -> Result<(), UrlError> {
    let b = input.as_bytes();
    for i in span.clone() {
        if b[i] == b'%' {
            let ok = |j: usize| j < span.end && b[j].is_ascii_hexdigit();
            if !(ok(i + 1) && ok(i + 2)) {
                return Err(UrlError::BadPercentEncoding { at: i });
            }
        }
    }
    Ok(())
}

fn split_query(input: &str, span: Range<usize>) -> Vec<QueryParam> {
    let mut out = Vec::new();
    let mut start = span.start;
    for piece in input[span.clone()].split('&') {
        let end = start + piece.len();
        if !piece.is_empty() {
            let (key_span, value_span) = match piece.find('=') {
                Some(i) => (start..start + i, Some(start + i + 1..end)),
                None => (start..end, None),
            };
            out.push(QueryParam {
                key: form_decode(&input[key_span.clone()]),
                value: value_span
                    .clone()
                    .map_or_else(String::new, |v| form_decode(&input[v])),
                span: start..end,
                key_span,
                value_span,
            });
        }
        start = end + 1;
    }
    out
}

/// `application/x-www-form-urlencoded` decoding: `+` is a space, `%xx` a byte.
fn form_decode(s: &str) -> String {
    let spaced = s.replace('+', " ");
    percent_encoding::percent_decode_str(&spaced)
        .decode_utf8_lossy()
        .into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_url_error_is_said_in_chinese_too() {
        let errors = [
            UrlError::Empty,
            UrlError::MissingScheme,
            UrlError::UnsupportedScheme("ftp".into()),
            UrlError::MissingHost,
            UrlError::UserInfo,
            UrlError::InvalidHost { at: 3 },
            UrlError::InvalidPort { at: 4 },
            UrlError::PortOutOfRange(70000),
            UrlError::InvalidCharacter { ch: ' ', at: 5 },
            UrlError::BadPercentEncoding { at: 6 },
        ];
        for e in errors {
            let zh = e.zh();
            assert!(
                zh.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c)),
                "{zh}"
            );
            assert_ne!(zh, e.to_string());
        }
        assert!(UrlError::UnsupportedScheme("ftp".into())
            .zh()
            .contains("'ftp'"));
    }

    #[test]
    fn the_course_example_splits_into_parts() {
        let s = "http://www.example.com:8080/news/index.html?page=1&count=10#top";
        let u = Url::parse(s).unwrap();
        assert_eq!(u.scheme.text, "http");
        assert_eq!(u.host.text, "www.example.com");
        assert_eq!(u.port, 8080);
        assert_eq!(u.port_part.as_ref().unwrap().text, "8080");
        assert_eq!(u.path.text, "/news/index.html");
        assert_eq!(u.query.as_ref().unwrap().text, "page=1&count=10");
        assert_eq!(u.fragment.as_ref().unwrap().text, "top");
        let pairs: Vec<(&str, &str)> = u
            .params
            .iter()
            .map(|p| (p.key.as_str(), p.value.as_str()))
            .collect();
        assert_eq!(pairs, [("page", "1"), ("count", "10")]);
        assert_eq!(&s[u.params[1].span.clone()], "count=10");
        assert_eq!(&s[u.params[1].value_span.clone().unwrap()], "10");
        assert_eq!(u.request_target(), "/news/index.html?page=1&count=10");
        assert_eq!(u.host_header(), "www.example.com:8080");
        // The parts tile the string apart from the separators.
        let kinds: Vec<UrlPartKind> = u.parts().iter().map(|(k, _)| *k).collect();
        use UrlPartKind::*;
        assert_eq!(kinds, [Scheme, Host, Port, Path, Query, Fragment]);
        for (kind, span) in u.parts() {
            let text = &s[span];
            match kind {
                Scheme => assert_eq!(text, "http"),
                Host => assert_eq!(text, "www.example.com"),
                Port => assert_eq!(text, "8080"),
                Path => assert_eq!(text, "/news/index.html"),
                Query => assert_eq!(text, "page=1&count=10"),
                Fragment => assert_eq!(text, "top"),
            }
        }
        assert_eq!(u.to_string(), s);
    }

    #[test]
    fn defaults_and_variants() {
        // (url, host, port, path, request target)
        let table = [
            ("http://example.com", "example.com", 80, "/", "/"),
            ("https://example.com", "example.com", 443, "/", "/"),
            ("HTTP://Example.com/", "Example.com", 80, "/", "/"),
            ("http://10.0.0.1:9090/a", "10.0.0.1", 9090, "/a", "/a"),
            ("http://localhost:/x", "localhost", 80, "/x", "/x"),
            ("http://[::1]:8080/x?y", "[::1]", 8080, "/x", "/x?y"),
            ("http://[::1]/", "[::1]", 80, "/", "/"),
            ("http://example.com?q=1", "example.com", 80, "/", "/?q=1"),
            ("http://example.com#frag", "example.com", 80, "/", "/"),
            // A browser percent-encodes what is not ASCII on the request line.
            ("http://例子.测试/页", "例子.测试", 80, "/页", "/%E9%A1%B5"),
        ];
        for (s, host, port, path, target) in table {
            let u = Url::parse(s).unwrap_or_else(|e| panic!("{s}: {e}"));
            assert_eq!(u.host.text, host, "{s}");
            assert_eq!(u.port, port, "{s}");
            assert_eq!(u.path.text, path, "{s}");
            assert_eq!(u.request_target(), target, "{s}");
        }
        assert_eq!(Url::parse("http://a:80/").unwrap().host_header(), "a");
        assert!(Url::parse("http://a")
            .unwrap()
            .parts()
            .iter()
            .all(|(k, _)| *k != UrlPartKind::Path));
    }

    #[test]
    fn query_pairs_are_decoded_and_keep_order() {
        let u = Url::parse("http://h/s?q=a+b%20c&empty=&flag&&x=%E4%BD%A0&q=2").unwrap();
        let pairs: Vec<(&str, &str, bool)> = u
            .params
            .iter()
            .map(|p| (p.key.as_str(), p.value.as_str(), p.value_span.is_some()))
            .collect();
        assert_eq!(
            pairs,
            [
                ("q", "a b c", true),
                ("empty", "", true),
                ("flag", "", false),
                ("x", "你", true),
                ("q", "2", true)
            ]
        );
    }

    #[test]
    fn bad_urls_say_what_is_wrong() {
        let table = [
            ("", UrlError::Empty),
            ("www.example.com/index.html", UrlError::MissingScheme),
            ("localhost:8080/", UrlError::MissingScheme),
            ("://x", UrlError::MissingScheme),
            (
                "ftp://example.com/",
                UrlError::UnsupportedScheme("ftp".into()),
            ),
            (
                "mailto:someone@example.com",
                UrlError::UnsupportedScheme("mailto".into()),
            ),
            ("http:///path", UrlError::MissingHost),
            ("http://:8080/", UrlError::MissingHost),
            ("http://user:pw@host/", UrlError::UserInfo),
            ("http://exa$mple.com/", UrlError::InvalidHost { at: 10 }),
            ("http://host:80a/", UrlError::InvalidPort { at: 14 }),
            ("http://host:1:2/", UrlError::InvalidPort { at: 13 }),
            ("http://host:0/", UrlError::PortOutOfRange(0)),
            ("http://host:65536/", UrlError::PortOutOfRange(65536)),
            (
                "http://host/a b",
                UrlError::InvalidCharacter { ch: ' ', at: 13 },
            ),
            (
                " http://host/",
                UrlError::InvalidCharacter { ch: ' ', at: 0 },
            ),
            ("http://host/%zz", UrlError::BadPercentEncoding { at: 12 }),
            ("http://host/?a=%4", UrlError::BadPercentEncoding { at: 15 }),
            ("http://[::1/", UrlError::InvalidHost { at: 7 }),
            ("http://[::g]/", UrlError::InvalidHost { at: 10 }),
        ];
        for (s, err) in table {
            let got = Url::parse(s);
            assert_eq!(got.as_ref().err(), Some(&err), "{s}: {got:?}");
            assert!(!err.to_string().is_empty());
        }
        assert!(UrlError::MissingScheme.to_string().contains("http://"));
    }

    #[test]
    fn the_request_line_percent_encodes_non_ascii_and_never_carries_the_fragment() {
        let url = Url::parse("http://www.example.test/搜索?q=你好&n=1#top").unwrap();
        assert_eq!(
            url.request_target(),
            "/%E6%90%9C%E7%B4%A2?q=%E4%BD%A0%E5%A5%BD&n=1"
        );
        assert_eq!(
            url.request_url(),
            "http://www.example.test/%E6%90%9C%E7%B4%A2?q=%E4%BD%A0%E5%A5%BD&n=1"
        );
        let url = Url::parse("HTTP://www.example.test:8080/a?b=1#frag").unwrap();
        assert_eq!(url.request_url(), "http://www.example.test:8080/a?b=1");
        assert_eq!(
            Url::parse("http://x.test").unwrap().request_url(),
            "http://x.test/"
        );
    }
}
