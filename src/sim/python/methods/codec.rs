//! The text codecs (utf-8, gbk, gb2312, gb18030, ascii, latin-1): encoding
//! and decoding with CPython's names, error handlers and messages.

use crate::sim::python::builtins::take_kw;
use crate::sim::python::value::*;
use crate::sim::python::vm::{Flow, R};
use crate::sim::python::Interp;

/// The canonical name of an encoding CPython accepts (its codec's display name).
pub fn codec_name(enc: &str) -> Option<&'static str> {
    let n: String = enc
        .trim()
        .to_ascii_lowercase()
        .chars()
        .map(|c| if c == '-' || c == ' ' { '_' } else { c })
        .collect();
    Some(match n.as_str() {
        "utf_8" | "utf8" | "u8" | "utf" | "utf8_ucs2" | "utf8_ucs4" | "cp65001" => "utf-8",
        "gbk" | "cp936" | "ms936" | "936" => "gbk",
        "gb2312" | "gb2312_1980" | "gb2312_80" | "euc_cn" | "euccn" | "eucgb2312_cn"
        | "chinese" | "csiso58gb231280" | "iso_ir_58" => "gb2312",
        "gb18030" | "gb18030_2000" => "gb18030",
        "ascii" | "us_ascii" | "646" | "us" | "ansi_x3.4_1968" | "cp367" | "csascii" | "ibm367"
        | "iso646_us" | "iso_ir_6" => "ascii",
        "latin_1" | "latin1" | "latin" | "l1" | "iso_8859_1" | "iso8859_1" | "8859" | "cp819"
        | "iso_ir_100" | "ibm819" | "iso_8859_1:1987" => "latin-1",
        _ => return None,
    })
}

/// CPython's gbk decoder (cp936 without the euro sign; no 4-byte sequences):
/// each decoded item is a char or an error `(start, len, reason)`.
pub(super) fn gbk_decode_py(
    b: &[u8],
    gb2312: bool,
) -> Vec<Result<char, (usize, usize, &'static str)>> {
    let mut out = Vec::new();
    let mut i = 0;
    while let Some(&c) = b.get(i) {
        if c < 0x80 {
            out.push(Ok(c as char));
            i += 1;
            continue;
        }
        let Some(&c2) = b.get(i + 1) else {
            out.push(Err((i, 1, "incomplete multibyte sequence")));
            break;
        };
        let ok = if c == 0x80
            || c == 0xff
            || (gb2312 && !(0xa1..=0xf7).contains(&c))
            || (gb2312 && !(0xa1..=0xfe).contains(&c2))
        {
            None
        } else {
            crate::gbk::decode(&[c, c2], false).and_then(|s| {
                let mut it = s.chars();
                match (it.next(), it.next()) {
                    // CPython's gbk has no user-defined area (WHATWG maps it to private use)
                    (Some(ch), None) if c2 >= 0x40 && !('\u{e000}'..='\u{f8ff}').contains(&ch) => {
                        Some(ch)
                    }
                    _ => None,
                }
            })
        };
        match ok {
            Some(ch) => {
                out.push(Ok(ch));
                i += 2;
            }
            None => {
                out.push(Err((i, 1, "illegal multibyte sequence")));
                i += 1;
            }
        }
    }
    out
}

impl Interp {
    // ------------------------------------------------------------ codecs

    pub(crate) fn encode_text(&mut self, s: &str, enc: &str, errors: &str) -> R<Vec<u8>> {
        let Some(codec) = codec_name(enc) else {
            return Err(self.exc_flow(Ty::LookupError, &format!("unknown encoding: {enc}")));
        };
        if codec == "utf-8" {
            return Ok(s.as_bytes().to_vec());
        }
        let chars: Vec<char> = s.chars().collect();
        let mut out = Vec::with_capacity(s.len());
        let mut i = 0;
        while let Some(&c) = chars.get(i) {
            let ok = match codec {
                "ascii" => {
                    (c as u32) < 0x80 && {
                        out.push(c as u8);
                        true
                    }
                }
                "latin-1" => {
                    (c as u32) < 0x100 && {
                        out.push(c as u32 as u8);
                        true
                    }
                }
                _ => {
                    // gbk / gb2312 / gb18030: CPython's gbk has no euro sign
                    if (c == '\u{20ac}' && codec != "gb18030")
                        || ('\u{e000}'..='\u{f8ff}').contains(&c)
                    {
                        false
                    } else {
                        let mut tmp = Vec::new();
                        let r = crate::gbk::encode_char(c, &mut tmp).is_some()
                            && (codec != "gb2312"
                                || tmp.len() == 1
                                || tmp.first().is_some_and(|b| (0xa1..=0xf7).contains(b)));
                        if r {
                            out.extend_from_slice(&tmp);
                        }
                        r
                    }
                }
            };
            if ok {
                i += 1;
                continue;
            }
            // an error: CPython groups a run of unencodable characters for
            // the single-byte codecs, one at a time for the CJK ones
            let mut end = i + 1;
            if codec == "ascii" || codec == "latin-1" {
                let lim = if codec == "ascii" { 0x80 } else { 0x100 };
                while chars.get(end).is_some_and(|c| (*c as u32) >= lim) {
                    end += 1;
                }
            }
            match errors {
                "strict" => {
                    let reason = match codec {
                        "ascii" => "ordinal not in range(128)",
                        "latin-1" => "ordinal not in range(256)",
                        _ => "illegal multibyte sequence",
                    };
                    let e = self.new_exc_args(
                        Ty::UnicodeEncodeError,
                        vec![
                            Value::str(codec),
                            Value::str(s),
                            Value::Int(i as i64),
                            Value::Int(end as i64),
                            Value::str(reason),
                        ],
                    );
                    return Err(Flow::Exc(e));
                }
                "replace" => out.extend(std::iter::repeat_n(b'?', end - i)),
                "ignore" => {}
                "xmlcharrefreplace" => {
                    for ch in chars.get(i..end).unwrap_or(&[]) {
                        out.extend_from_slice(format!("&#{};", *ch as u32).as_bytes());
                    }
                }
                "backslashreplace" => {
                    for ch in chars.get(i..end).unwrap_or(&[]) {
                        let u = *ch as u32;
                        let esc = if u < 0x100 {
                            format!("\\x{u:02x}")
                        } else if u < 0x10000 {
                            format!("\\u{u:04x}")
                        } else {
                            format!("\\U{u:08x}")
                        };
                        out.extend_from_slice(esc.as_bytes());
                    }
                }
                other => {
                    return Err(self.exc_flow(
                        Ty::LookupError,
                        &format!("unknown error handler name '{other}'"),
                    ))
                }
            }
            i = end;
        }
        Ok(out)
    }

    pub(crate) fn decode_bytes(&mut self, b: &[u8], enc: &str, errors: &str) -> R<String> {
        let Some(codec) = codec_name(enc) else {
            return Err(self.exc_flow(Ty::LookupError, &format!("unknown encoding: {enc}")));
        };
        // items: decoded chars or errors (start, len, reason)
        let mut items: Vec<Result<char, (usize, usize, &'static str)>> = Vec::new();
        match codec {
            "utf-8" => {
                let mut rest = b;
                let mut base = 0;
                loop {
                    match std::str::from_utf8(rest) {
                        Ok(s) => {
                            items.extend(s.chars().map(Ok));
                            break;
                        }
                        Err(e) => {
                            let good = e.valid_up_to();
                            let s =
                                std::str::from_utf8(rest.get(..good).unwrap_or(&[])).unwrap_or("");
                            items.extend(s.chars().map(Ok));
                            let first = rest.get(good).copied().unwrap_or(0);
                            let start_ok = matches!(first, 0xc2..=0xf4);
                            let (len, reason) = match e.error_len() {
                                Some(n) => (
                                    n,
                                    if start_ok {
                                        "invalid continuation byte"
                                    } else {
                                        "invalid start byte"
                                    },
                                ),
                                None => (rest.len() - good, "unexpected end of data"),
                            };
                            items.push(Err((base + good, len, reason)));
                            let skip = good + len;
                            base += skip;
                            rest = rest.get(skip..).unwrap_or(&[]);
                            if rest.is_empty() {
                                break;
                            }
                        }
                    }
                }
            }
            "ascii" => {
                for (i, &c) in b.iter().enumerate() {
                    items.push(if c < 0x80 {
                        Ok(c as char)
                    } else {
                        Err((i, 1, "ordinal not in range(128)"))
                    });
                }
            }
            "latin-1" => items.extend(b.iter().map(|&c| Ok(c as char))),
            "gb18030" => {
                return match crate::gbk::decode(b, errors == "replace") {
                    Some(s) => Ok(s),
                    None => {
                        let e = self.new_exc_args(
                            Ty::UnicodeDecodeError,
                            vec![
                                Value::str("gb18030"),
                                Value::Bytes(b.into()),
                                Value::Int(0),
                                Value::Int(1),
                                Value::str("illegal multibyte sequence"),
                            ],
                        );
                        Err(Flow::Exc(e))
                    }
                };
            }
            _ => items = gbk_decode_py(b, codec == "gb2312"),
        }
        let mut out = String::with_capacity(b.len());
        for it in items {
            match it {
                Ok(c) => out.push(c),
                Err((start, len, reason)) => match errors {
                    "strict" => {
                        let e = self.new_exc_args(
                            Ty::UnicodeDecodeError,
                            vec![
                                Value::str(codec),
                                Value::Bytes(b.into()),
                                Value::Int(start as i64),
                                Value::Int((start + len) as i64),
                                Value::str(reason),
                            ],
                        );
                        return Err(Flow::Exc(e));
                    }
                    "replace" => out.push('\u{FFFD}'),
                    "ignore" => {}
                    "backslashreplace" => {
                        for x in b.get(start..start + len).unwrap_or(&[]) {
                            out.push_str(&format!("\\x{x:02x}"));
                        }
                    }
                    other => {
                        return Err(self.exc_flow(
                            Ty::LookupError,
                            &format!("unknown error handler name '{other}'"),
                        ))
                    }
                },
            }
        }
        Ok(out)
    }

    pub(super) fn enc_args(
        &mut self,
        fname: &str,
        args: &[Value],
        kw: &mut Vec<(Sym, Value)>,
    ) -> R<(String, String)> {
        let enc = take_kw(&self.heap, kw, "encoding").or_else(|| args.first().cloned());
        let errors = take_kw(&self.heap, kw, "errors").or_else(|| args.get(1).cloned());
        self.no_kw(fname, kw)?;
        let enc = match enc {
            None => "utf-8".to_string(),
            Some(Value::Str(s)) => s.to_string(),
            Some(v) => {
                let n = self.type_name(&v);
                return Err(self.exc_flow(
                    Ty::TypeError,
                    &format!("{fname}() argument 'encoding' must be str, not {n}"),
                ));
            }
        };
        let errors = match errors {
            None => "strict".to_string(),
            Some(Value::Str(s)) => s.to_string(),
            Some(v) => {
                let n = self.type_name(&v);
                return Err(self.exc_flow(
                    Ty::TypeError,
                    &format!("{fname}() argument 'errors' must be str, not {n}"),
                ));
            }
        };
        Ok((enc, errors))
    }
}
