//! Number literals: ints in every base, floats, imaginary numbers,
//! underscores, and CPython's messages for malformed ones.

use super::*;

impl<'a> Lexer<'a> {
    pub(super) fn number(&mut self) -> Result<(), TokError> {
        let start = self.pos;
        let start_col = self.col();
        let l = self.line;
        let digits = |lx: &mut Self, ok: &dyn Fn(char) -> bool| {
            let mut s = String::new();
            loop {
                let c = lx.peek(0);
                if ok(c) {
                    s.push(c);
                    lx.pos += 1;
                } else if c == '_' && ok(lx.peek(1)) && !s.is_empty() {
                    lx.pos += 1;
                } else {
                    break;
                }
            }
            s
        };
        let c0 = self.peek(0);
        let c1 = self.peek(1).to_ascii_lowercase();
        let mut is_float = false;
        let tok;
        if c0 == '0' && matches!(c1, 'x' | 'o' | 'b') {
            self.pos += 2;
            if self.peek(0) == '_' {
                self.pos += 1;
            }
            let radix = match c1 {
                'x' => 16,
                'o' => 8,
                _ => 2,
            };
            let s = digits(self, &|c: char| c.is_digit(radix));
            if s.is_empty() {
                let kind = match c1 {
                    'x' => "hexadecimal",
                    'o' => "octal",
                    _ => "binary",
                };
                let col = self.col();
                return Err(self.err(
                    "SyntaxError",
                    format!("invalid {kind} literal"),
                    l,
                    col,
                    col,
                ));
            }
            tok = match i64::from_str_radix(&s, radix) {
                Ok(v) => Tok::Int(v),
                Err(_) => Tok::BigInt,
            };
        } else {
            let mut text = digits(self, &|c: char| c.is_ascii_digit());
            if self.peek(0) == '.' {
                is_float = true;
                self.pos += 1;
                text.push('.');
                text.push_str(&digits(self, &|c: char| c.is_ascii_digit()));
            }
            if matches!(self.peek(0), 'e' | 'E')
                && (self.peek(1).is_ascii_digit()
                    || (matches!(self.peek(1), '+' | '-') && self.peek(2).is_ascii_digit()))
            {
                is_float = true;
                text.push('e');
                self.pos += 1;
                if matches!(self.peek(0), '+' | '-') {
                    text.push(self.peek(0));
                    self.pos += 1;
                }
                text.push_str(&digits(self, &|c: char| c.is_ascii_digit()));
            }
            if matches!(self.peek(0), 'j' | 'J') {
                let col = self.col();
                return Err(self.err(
                    "SyntaxError",
                    "complex numbers are not supported here".into(),
                    l,
                    col,
                    col,
                ));
            }
            if is_float {
                tok = Tok::Float(super::super::float::parse(&text).unwrap_or(0.0));
            } else {
                if text.len() > 1 && text.starts_with('0') && text.chars().any(|c| c != '0') {
                    return Err(self.err(
                        "SyntaxError",
                        "leading zeros in decimal integer literals are not permitted; use an 0o prefix for octal integers".into(),
                        l,
                        start_col,
                        start_col + 1,
                    ));
                }
                tok = match text.parse::<i64>() {
                    Ok(v) => Tok::Int(v),
                    Err(_) => Tok::BigInt,
                };
            }
        }
        if is_id_char(self.peek(0)) {
            let _ = start;
            return Err(self.err(
                "SyntaxError",
                "invalid decimal literal".into(),
                l,
                start_col,
                start_col,
            ));
        }
        let sp = Span {
            line: l,
            col: start_col,
            end_line: l,
            end_col: self.col(),
        };
        self.push(tok, sp);
        Ok(())
    }
}
