//! Tests of the string splitting helpers and the codecs.

use super::bytes::split_bytes;
use super::codec::{codec_name, gbk_decode_py};
use super::string::{split_ws, splitlines};

#[test]
fn split_and_lines() {
    assert_eq!(split_ws("  a b  c ", -1, false), vec!["a", "b", "c"]);
    assert_eq!(split_ws("  a b  c ", 1, false), vec!["a", "b  c "]);
    assert_eq!(split_ws("  a b  c ", 1, true), vec!["  a b", "c"]);
    assert_eq!(splitlines("a\r\nb\nc", false), vec!["a", "b", "c"]);
    assert_eq!(splitlines("a\n\nb\n", true), vec!["a\n", "\n", "b\n"]);
    assert_eq!(
        split_bytes(b"a,b,,c", b","),
        vec![b"a".to_vec(), b"b".to_vec(), vec![], b"c".to_vec()]
    );
}

#[test]
fn codec_names() {
    assert_eq!(codec_name("UTF-8"), Some("utf-8"));
    assert_eq!(codec_name("utf8"), Some("utf-8"));
    assert_eq!(codec_name("GBK"), Some("gbk"));
    assert_eq!(codec_name("Latin-1"), Some("latin-1"));
    assert_eq!(codec_name("gb2312"), Some("gb2312"));
    assert_eq!(codec_name("klingon"), None);
}

#[test]
fn gbk_like_cpython() {
    let r = gbk_decode_py(b"\xc4\xe3\xba", false);
    assert_eq!(r[0], Ok('你'));
    assert_eq!(r[1], Err((2, 1, "incomplete multibyte sequence")));
    let r = gbk_decode_py(b"\x81\x30\x81\x30", false);
    assert_eq!(r[0], Err((0, 1, "illegal multibyte sequence")));
    assert_eq!(r[1], Ok('0'));
}
