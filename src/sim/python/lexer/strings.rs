//! String and bytes literals (prefixes, triple quotes, f-strings) and
//! backslash escapes.

use super::*;

impl<'a> Lexer<'a> {
    pub(super) fn string(&mut self, prefix: &str, start_col: u32) -> Result<(), TokError> {
        let q = self.peek(0);
        let start_line = self.line;
        let triple = self.peek(1) == q && self.peek(2) == q;
        let qlen = if triple { 3 } else { 1 };
        self.pos += qlen;
        let body_line = self.line;
        let body_col = self.col();
        let raw = prefix.contains('r');
        let is_bytes = prefix.contains('b');
        let is_f = prefix.contains('f');
        let mut body = String::new();
        loop {
            if self.eof() {
                // a final newline belongs to the last line
                let last = if self.src.last() == Some(&'\n') && self.line > 1 {
                    self.line - 1
                } else {
                    self.line
                };
                let msg = if triple {
                    format!("unterminated triple-quoted string literal (detected at line {last})")
                } else {
                    format!(
                        "unterminated string literal (detected at line {})",
                        self.line
                    )
                };
                return Err(self.err("SyntaxError", msg, start_line, start_col, start_col));
            }
            let c = self.peek(0);
            if c == q && (!triple || (self.peek(1) == q && self.peek(2) == q)) {
                self.pos += qlen;
                break;
            }
            if c == '\n' {
                if !triple {
                    let msg = format!(
                        "unterminated string literal (detected at line {})",
                        self.line
                    );
                    return Err(self.err("SyntaxError", msg, start_line, start_col, start_col));
                }
                body.push('\n');
                self.pos += 1;
                self.newline();
                continue;
            }
            if c == '\\' {
                let n = self.peek(1);
                body.push('\\');
                self.pos += 1;
                if n == '\n' {
                    body.push('\n');
                    self.pos += 1;
                    self.newline();
                } else if n != '\0' || !self.eof() {
                    body.push(n);
                    self.pos += 1;
                }
                continue;
            }
            body.push(c);
            self.pos += 1;
        }
        let span = Span {
            line: start_line,
            col: start_col,
            end_line: self.line,
            end_col: self.col(),
        };
        if is_f {
            self.push(
                Tok::FStr {
                    body,
                    raw,
                    line: body_line,
                    col: body_col,
                },
                span,
            );
            return Ok(());
        }
        if is_bytes {
            if !body.is_ascii() {
                let end = span.col + 2 + body.len() as u32 + qlen as u32 * 2 - 1;
                return Err(self.err(
                    "SyntaxError",
                    "bytes can only contain ASCII literal characters".into(),
                    start_line,
                    span.col,
                    end,
                ));
            }
            let bytes = if raw {
                body.bytes().collect()
            } else {
                match unescape(&body, true) {
                    Ok(Unescaped::Bytes(b)) => b,
                    Ok(Unescaped::Str(s)) => s.into_bytes(),
                    Err(m) => {
                        return Err(self.err(
                            "SyntaxError",
                            format!("(value error) {m}"),
                            start_line,
                            span.col,
                            span.col,
                        ))
                    }
                }
            };
            self.push(Tok::Bytes(bytes), span);
        } else {
            let s = if raw {
                body
            } else {
                match unescape(&body, false) {
                    Ok(Unescaped::Str(s)) => s,
                    Ok(Unescaped::Bytes(_)) => String::new(),
                    Err(m) => {
                        let c = self.col();
                        return Err(self.err(
                            "SyntaxError",
                            format!("(unicode error) 'unicodeescape' codec can't decode bytes in position {m}"),
                            self.line,
                            c,
                            c,
                        ));
                    }
                }
            };
            self.push(Tok::Str(s), span);
        }
        Ok(())
    }
}

pub enum Unescaped {
    Str(String),
    Bytes(Vec<u8>),
}

/// Processes backslash escapes. For str, `\x`, `\u`, `\U` give code points;
/// for bytes, `\x` gives a byte and `\u` is kept literally, as in CPython.
pub fn unescape(body: &str, bytes: bool) -> Result<Unescaped, String> {
    let chars: Vec<char> = body.chars().collect();
    let mut out_s = String::new();
    let mut out_b: Vec<u8> = Vec::new();
    let mut i = 0;
    let mut pos_bytes = 0usize; // byte position in the encoded input, for messages
    let push = |c: char, out_s: &mut String, out_b: &mut Vec<u8>| {
        if bytes {
            let mut buf = [0u8; 4];
            out_b.extend_from_slice(c.encode_utf8(&mut buf).as_bytes());
        } else {
            out_s.push(c);
        }
    };
    while let Some(&c) = chars.get(i) {
        if c != '\\' {
            push(c, &mut out_s, &mut out_b);
            pos_bytes += c.len_utf8();
            i += 1;
            continue;
        }
        let n = chars.get(i + 1).copied().unwrap_or('\\');
        let start = pos_bytes;
        i += 2;
        pos_bytes += 1 + n.len_utf8();
        let simple = match n {
            '\n' => Some(None),
            '\\' => Some(Some('\\')),
            '\'' => Some(Some('\'')),
            '"' => Some(Some('"')),
            'a' => Some(Some('\x07')),
            'b' => Some(Some('\x08')),
            'f' => Some(Some('\x0c')),
            'n' => Some(Some('\n')),
            'r' => Some(Some('\r')),
            't' => Some(Some('\t')),
            'v' => Some(Some('\x0b')),
            _ => None,
        };
        if let Some(s) = simple {
            if let Some(c) = s {
                push(c, &mut out_s, &mut out_b);
            }
            continue;
        }
        if ('0'..='7').contains(&n) {
            let mut v = n.to_digit(8).unwrap_or(0);
            for _ in 0..2 {
                match chars.get(i).and_then(|c| c.to_digit(8)) {
                    Some(d) => {
                        v = v * 8 + d;
                        i += 1;
                        pos_bytes += 1;
                    }
                    None => break,
                }
            }
            if bytes {
                out_b.push((v & 0xff) as u8);
            } else {
                out_s.push(char::from_u32(v).unwrap_or('\u{FFFD}'));
            }
            continue;
        }
        let hex_len = match n {
            'x' => 2,
            'u' if !bytes => 4,
            'U' if !bytes => 8,
            _ => 0,
        };
        if hex_len > 0 {
            let mut v: u32 = 0;
            for k in 0..hex_len {
                match chars.get(i + k).and_then(|c| c.to_digit(16)) {
                    Some(d) => v = v * 16 + d,
                    None => {
                        let end = pos_bytes + k - 1;
                        let what = match n {
                            'x' => "truncated \\xXX escape",
                            'u' => "truncated \\uXXXX escape",
                            _ => "truncated \\UXXXXXXXX escape",
                        };
                        return Err(if bytes {
                            format!("invalid \\x escape at position {start}")
                        } else {
                            format!("{start}-{end}: {what}")
                        });
                    }
                }
            }
            i += hex_len;
            pos_bytes += hex_len;
            if bytes {
                out_b.push(v as u8);
            } else {
                match char::from_u32(v) {
                    Some(c) => out_s.push(c),
                    None => {
                        return Err(format!(
                            "{start}-{}: illegal Unicode character",
                            pos_bytes - 1
                        ))
                    }
                }
            }
            continue;
        }
        // unknown escape: kept as is
        push('\\', &mut out_s, &mut out_b);
        if i - 1 < chars.len() {
            push(n, &mut out_s, &mut out_b);
        } else {
            i -= 1;
        }
    }
    Ok(if bytes {
        Unescaped::Bytes(out_b)
    } else {
        Unescaped::Str(out_s)
    })
}
