//! The echo protocol of the course's multi-threaded TCP server, shared by the
//! simulated server program (`sim`) and the real one (`native`).
//!
//! The server answers every message with a fixed reply text, encoded the way
//! the lesson chooses (GBK as in the course, or UTF-8), and prints one console
//! line per event, formatted the way Python's `print` would format them:
//! a peer address prints as the tuple `('10.0.0.2', 50001)`.
//!
//! Keeping these strings in one place is what lets a test compare the real
//! server's console with the simulation's, line by line.

use crate::text::Lang;
use serde::{Deserialize, Serialize};
use std::fmt;

/// The reply the echo server sends for every message it receives, unless the
/// lesson or the command line says otherwise.
pub const DEFAULT_REPLY: &str = "收到，正在处理…";

/// How the text of a message becomes bytes on the wire.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, Default)]
#[serde(rename_all = "kebab-case")]
pub enum TextEncoding {
    /// GBK, as a Windows client in the course sends; a Chinese character is 2 bytes.
    #[default]
    Gbk,
    /// UTF-8; a Chinese character is 3 bytes.
    Utf8,
}

impl TextEncoding {
    pub const ALL: [TextEncoding; 2] = [TextEncoding::Gbk, TextEncoding::Utf8];

    /// The name Python uses for this codec, as in `data.decode("gbk")`.
    pub fn python_name(self) -> &'static str {
        match self {
            TextEncoding::Gbk => "gbk",
            TextEncoding::Utf8 => "utf-8",
        }
    }

    /// Encodes text. Characters the codec cannot represent become `?`, so
    /// encoding never fails (GBK has no emoji, for example).
    pub fn encode(self, text: &str) -> Vec<u8> {
        match self {
            TextEncoding::Utf8 => text.as_bytes().to_vec(),
            TextEncoding::Gbk => {
                let mut out = Vec::with_capacity(text.len());
                for ch in text.chars() {
                    if crate::gbk::encode_char(ch, &mut out).is_none() {
                        out.push(b'?');
                    }
                }
                out
            }
        }
    }

    /// Decodes bytes the way Python's `bytes.decode(codec, errors="replace")`
    /// does: an incomplete or invalid sequence becomes U+FFFD. A `recv` that cut
    /// a character in two shows exactly that.
    pub fn decode_lossy(self, bytes: &[u8]) -> String {
        match self {
            TextEncoding::Utf8 => String::from_utf8_lossy(bytes).into_owned(),
            TextEncoding::Gbk => crate::gbk::decode(bytes, true).unwrap_or_default(),
        }
    }

    /// Decodes bytes strictly; `None` if any sequence is invalid or incomplete.
    pub fn decode_strict(self, bytes: &[u8]) -> Option<String> {
        match self {
            TextEncoding::Utf8 => std::str::from_utf8(bytes).ok().map(str::to_owned),
            TextEncoding::Gbk => crate::gbk::decode(bytes, false),
        }
    }
}

/// One character's worth of bytes in a buffer, as [`TextEncoding::glyphs`] cuts it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Glyph {
    /// Index of the first byte.
    pub start: usize,
    /// How many bytes the character takes (1 for ASCII, 2 for a GBK
    /// character, up to 4 in UTF-8).
    pub len: usize,
    /// The character, or `None` when the bytes are invalid or incomplete:
    /// the front half of a character whose back half has not arrived yet.
    pub ch: Option<char>,
}

impl TextEncoding {
    /// Cuts bytes into characters, keeping each one's byte span, so a buffer
    /// drawn as byte cells can label a 2- or 3-byte character across its cells
    /// and show a character cut in two by a `recv`.
    pub fn glyphs(self, bytes: &[u8]) -> Vec<Glyph> {
        let mut out = Vec::with_capacity(bytes.len());
        let mut i = 0;
        while i < bytes.len() {
            let want = match self {
                TextEncoding::Utf8 => match bytes[i] {
                    0x00..=0x7F => 1,
                    0xC2..=0xDF => 2,
                    0xE0..=0xEF => 3,
                    0xF0..=0xF4 => 4,
                    _ => 1,
                },
                TextEncoding::Gbk => match bytes[i] {
                    0x81..=0xFE => 2,
                    _ => 1,
                },
            };
            let end = (i + want).min(bytes.len());
            let ch = self
                .decode_strict(&bytes[i..end])
                .filter(|s| s.chars().count() == 1)
                .and_then(|s| s.chars().next());
            // An invalid lead or a cut sequence is shown one byte at a time,
            // unless it is the tail of the buffer: the rest may still arrive.
            let len = if ch.is_some() || end == bytes.len() {
                end - i
            } else {
                1
            };
            out.push(Glyph { start: i, len, ch });
            i += len;
        }
        out
    }
}

impl fmt::Display for TextEncoding {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.python_name())
    }
}

impl std::str::FromStr for TextEncoding {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        match s.to_ascii_lowercase().as_str() {
            "gbk" | "cp936" => Ok(TextEncoding::Gbk),
            "utf-8" | "utf8" => Ok(TextEncoding::Utf8),
            other => Err(format!(
                "unknown encoding {}: use gbk or utf-8",
                crate::pyrepr::py_str_repr(other)
            )),
        }
    }
}

/// What the echo server replies to every message, in the language its
/// program is written in.
pub fn default_reply(lang: Lang) -> &'static str {
    match lang {
        Lang::Zh => DEFAULT_REPLY,
        Lang::En => "Got it, working on it…",
    }
}

/// The line the server prints when `accept()` returns a new client, as the
/// lesson's `server.py` prints it in English.
pub fn connected_line(addr: &str) -> String {
    connected_line_in(Lang::En, addr)
}

/// The same in the language of the program (`print("客户端已连接", addr)`).
pub fn connected_line_in(lang: Lang, addr: &str) -> String {
    match lang {
        Lang::En => format!("client connected: {addr}"),
        Lang::Zh => format!("客户端已连接 {addr}"),
    }
}

/// The line the server prints for each message: the decoded text, then the address.
pub fn message_line(text: &str, addr: &str) -> String {
    format!("{text} {addr}")
}

/// The line the server prints when `recv` returned empty bytes: the peer
/// closed (the English program's line).
pub fn offline_line(addr: &str) -> String {
    offline_line_in(Lang::En, addr)
}

/// The same in the language of the program.
pub fn offline_line_in(lang: Lang, addr: &str) -> String {
    match lang {
        Lang::En => format!("client offline: {addr}"),
        Lang::Zh => format!("客户端下线了 {addr}"),
    }
}

/// The reply bytes for one received message.
pub fn reply_bytes(reply: &str, encoding: TextEncoding) -> Vec<u8> {
    encoding.encode(reply)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn gbk_chinese_is_two_bytes_and_utf8_three() {
        assert_eq!(
            TextEncoding::Gbk.encode("你好"),
            vec![0xC4, 0xE3, 0xBA, 0xC3]
        );
        assert_eq!(TextEncoding::Utf8.encode("你好").len(), 6);
    }

    #[test]
    fn unmappable_characters_become_question_marks_in_gbk() {
        assert_eq!(TextEncoding::Gbk.encode("a😀b"), b"a?b".to_vec());
    }

    #[test]
    fn a_cut_character_decodes_to_a_replacement() {
        let bytes = TextEncoding::Gbk.encode("你好");
        assert_eq!(TextEncoding::Gbk.decode_lossy(&bytes[..3]), "你\u{FFFD}");
        assert_eq!(TextEncoding::Gbk.decode_strict(&bytes[..3]), None);
        assert_eq!(
            TextEncoding::Gbk.decode_strict(&bytes).as_deref(),
            Some("你好")
        );
    }

    #[test]
    fn glyphs_keep_byte_spans_and_mark_a_cut_character() {
        let gbk = TextEncoding::Gbk.encode("a你好");
        let g = TextEncoding::Gbk.glyphs(&gbk[..4]);
        assert_eq!(
            g,
            vec![
                Glyph {
                    start: 0,
                    len: 1,
                    ch: Some('a')
                },
                Glyph {
                    start: 1,
                    len: 2,
                    ch: Some('你')
                },
                Glyph {
                    start: 3,
                    len: 1,
                    ch: None
                },
            ]
        );
        let utf8 = "你".as_bytes();
        let g = TextEncoding::Utf8.glyphs(&utf8[1..]);
        assert_eq!(g.iter().map(|g| g.len).sum::<usize>(), 2);
        assert!(g.iter().all(|g| g.ch.is_none()));
    }

    #[test]
    fn the_default_reply_round_trips_in_both_encodings() {
        for enc in TextEncoding::ALL {
            let bytes = reply_bytes(DEFAULT_REPLY, enc);
            assert_eq!(enc.decode_strict(&bytes).as_deref(), Some(DEFAULT_REPLY));
        }
    }

    #[test]
    fn addresses_print_like_python_tuples() {
        let addr: std::net::SocketAddr = "127.0.0.1:51528".parse().unwrap();
        assert_eq!(
            crate::pyrepr::python_socket_addr(addr),
            "('127.0.0.1', 51528)"
        );
        assert_eq!(
            connected_line("('10.0.0.2', 50001)"),
            "client connected: ('10.0.0.2', 50001)"
        );
    }

    #[test]
    fn encodings_parse_from_their_python_names() {
        assert_eq!("GBK".parse::<TextEncoding>(), Ok(TextEncoding::Gbk));
        assert_eq!("utf8".parse::<TextEncoding>(), Ok(TextEncoding::Utf8));
        assert!("latin-1".parse::<TextEncoding>().is_err());
    }
}
