//! How Python writes values back: `repr()` of `str` and `bytes`, and the
//! `(ip, port)` tuple `accept()` returns. Narrations, the simulated
//! consoles and the real servers all quote Python's way, from here.

use std::fmt;
use std::net::SocketAddr;

/// Python's `repr()` of a `str`: single quotes unless the text holds a `'`
/// and no `"`; backslash, the quote, `\t`, `\n`, `\r` escaped; other
/// control characters as `\xhh`; everything else (Chinese included) as it
/// is. `py_str_repr("it's")` is `"it's"`.
pub fn py_str_repr(text: &str) -> String {
    let control = |u: u32| u < 0x20 || (0x7f..0xa0).contains(&u);
    py_repr("", text.chars().map(u32::from), usize::MAX, |u| {
        char::from_u32(u).filter(|_| !control(u))
    })
}

/// Python's `repr()` of `bytes`, at most `limit` of them (then `…`):
/// `b'hi\n'`, `b'\xc4\xe3'`, `b"it's"`.
pub fn py_bytes_repr(data: &[u8], limit: usize) -> String {
    py_repr("b", data.iter().map(|&b| u32::from(b)), limit, |u| {
        (0x20..=0x7e).contains(&u).then_some(u as u8 as char)
    })
}

/// What `repr()` does for both: the quote is `"` only if the units hold a
/// `'` and no `"`; backslash, the quote, tab, newline and return are
/// escaped; `shown` gives how any other unit appears, `None` for `\xhh`.
fn py_repr<I>(prefix: &str, units: I, limit: usize, shown: impl Fn(u32) -> Option<char>) -> String
where
    I: Iterator<Item = u32> + Clone,
{
    let holds = |c: char| units.clone().any(|u| u == c as u32);
    let quote = if holds('\'') && !holds('"') {
        '"'
    } else {
        '\''
    };
    let mut out = String::from(prefix);
    out.push(quote);
    for u in units.clone().take(limit) {
        match char::from_u32(u) {
            Some('\\') => out.push_str("\\\\"),
            Some('\t') => out.push_str("\\t"),
            Some('\n') => out.push_str("\\n"),
            Some('\r') => out.push_str("\\r"),
            Some(c) if c == quote => {
                out.push('\\');
                out.push(c);
            }
            _ => match shown(u) {
                Some(c) => out.push(c),
                None => out.push_str(&format!("\\x{u:02x}")),
            },
        }
    }
    if units.count() > limit {
        out.push('…');
    }
    out.push(quote);
    out
}

/// A peer address as Python prints the `(ip, port)` tuple `accept()` returns.
pub fn python_addr(ip: impl fmt::Display, port: u16) -> String {
    format!("('{ip}', {port})")
}

/// [`python_addr`] for a std socket address.
pub fn python_socket_addr(addr: SocketAddr) -> String {
    python_addr(addr.ip(), addr.port())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reprs_read_as_python_prints_them() {
        // The outputs of repr() in CPython 3.
        assert_eq!(py_str_repr("hi"), "'hi'");
        assert_eq!(py_str_repr("it's"), "\"it's\"");
        assert_eq!(py_str_repr("say \"it's\""), "'say \"it\\'s\"'");
        assert_eq!(py_str_repr("a\tb\nc\\"), "'a\\tb\\nc\\\\'");
        assert_eq!(py_str_repr("你好\u{7}"), "'你好\\x07'");
        assert_eq!(py_bytes_repr(b"hi\n", 24), "b'hi\\n'");
        assert_eq!(py_bytes_repr(b"it's", 24), "b\"it's\"");
        assert_eq!(
            py_bytes_repr(&[0xc4, 0xe3, b'\'', b'"'], 24),
            "b'\\xc4\\xe3\\'\"'"
        );
        assert_eq!(py_bytes_repr(b"abcdef", 3), "b'abc…'");
    }
}
