//! The tokenizer: source text to tokens with INDENT/DEDENT, as CPython's
//! `Parser/tokenizer.c` cuts it, with its error messages.
//!
//! The whole file is tokenized before parsing. A tokenizer error stops the
//! token list (it ends in [`Tok::Error`]) and is kept aside: CPython reports
//! a tokenizer error found anywhere in the file in preference to most parser
//! errors (see `parser::parse_module`).

use super::SyntaxErr;

/// Columns are 0-based character offsets; lines are 1-based.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Span {
    pub line: u32,
    pub col: u32,
    pub end_line: u32,
    pub end_col: u32,
}

impl Span {
    pub fn to(self, end: Span) -> Span {
        Span {
            line: self.line,
            col: self.col,
            end_line: end.end_line,
            end_col: end.end_col,
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub enum Tok {
    Name(String),
    Int(i64),
    /// An integer literal that does not fit in 64 bits.
    BigInt,
    Float(f64),
    Str(String),
    Bytes(Vec<u8>),
    /// An f-string: its body between the quotes (raw text), whether it is
    /// raw, and where the body starts (line, column).
    FStr {
        body: String,
        raw: bool,
        line: u32,
        col: u32,
    },
    Op(&'static str),
    Newline,
    Indent,
    Dedent,
    Eof,
    /// A character that starts no token (`$`, `?`): the parser reports
    /// "invalid syntax" there.
    Bad,
    /// The tokenizer stopped here with an error (kept in `Lexed::error`).
    Error,
}

#[derive(Debug, Clone)]
pub struct Token {
    pub tok: Tok,
    pub span: Span,
    /// Bracket nesting level before this token.
    pub level: u16,
}

pub struct Lexed {
    pub tokens: Vec<Token>,
    pub error: Option<TokError>,
}

#[derive(Debug, Clone)]
pub struct TokError {
    pub err: SyntaxErr,
    /// "'(' was never closed": it replaces a parser error only when that
    /// error is on a later line than the bracket.
    pub unclosed_line: Option<u32>,
}

const OPS3: [&str; 5] = ["**=", "//=", ">>=", "<<=", "..."];
const OPS2: [&str; 19] = [
    "**", "//", ">>", "<<", "<=", ">=", "==", "!=", "->", "+=", "-=", "*=", "/=", "%=", "&=", "|=",
    "^=", "@=", ":=",
];
const OPS1: &str = "+-*/%@&|^~<>()[]{},:.;=";

pub(crate) fn op_str(s: &str) -> Option<&'static str> {
    OPS3.iter()
        .chain(OPS2.iter())
        .copied()
        .find(|o| *o == s)
        .or_else(|| {
            let i = OPS1.find(s)?;
            (s.len() == 1).then(|| OPS1.get(i..i + 1)).flatten()
        })
}

/// The deepest bracket nesting CPython's tokenizer allows.
const MAX_LEVEL: usize = 200;
/// The deepest indentation CPython's tokenizer allows.
const MAX_INDENT: usize = 100;

struct Lexer<'a> {
    src: &'a [char],
    lines: Vec<usize>,
    pos: usize,
    line: u32,
    line_start: usize,
    tokens: Vec<Token>,
    indents: Vec<(usize, usize)>,
    brackets: Vec<(char, u32, u32)>,
    at_line_start: bool,
    filename: &'a str,
}

pub fn tokenize(source: &str, filename: &str) -> Lexed {
    let chars: Vec<char> = source.chars().collect();
    let mut lines = vec![0];
    for (i, c) in chars.iter().enumerate() {
        if *c == '\n' {
            lines.push(i + 1);
        }
    }
    let mut lx = Lexer {
        src: &chars,
        lines,
        pos: 0,
        line: 1,
        line_start: 0,
        tokens: Vec::new(),
        indents: vec![(0, 0)],
        brackets: Vec::new(),
        at_line_start: true,
        filename,
    };
    let error = lx.run().err();
    let span = lx.here_span(0);
    let level = lx.brackets.len() as u16;
    lx.tokens.push(Token {
        tok: if error.is_some() {
            Tok::Error
        } else {
            Tok::Eof
        },
        span,
        level,
    });
    Lexed {
        tokens: lx.tokens,
        error,
    }
}

fn is_id_start(c: char) -> bool {
    c == '_' || c.is_alphabetic()
}
fn is_id_char(c: char) -> bool {
    c == '_' || c.is_alphanumeric()
}

impl<'a> Lexer<'a> {
    fn peek(&self, k: usize) -> char {
        self.src.get(self.pos + k).copied().unwrap_or('\0')
    }
    fn eof(&self) -> bool {
        self.pos >= self.src.len()
    }
    fn col(&self) -> u32 {
        (self.pos - self.line_start) as u32
    }
    fn here_span(&self, len: u32) -> Span {
        let c = self.col();
        Span {
            line: self.line,
            col: c,
            end_line: self.line,
            end_col: c + len,
        }
    }
    /// The text of source line `n` (1-based), without its newline.
    pub fn line_text(&self, n: u32) -> String {
        let Some(&start) = self.lines.get(n.saturating_sub(1) as usize) else {
            return String::new();
        };
        let mut end = start;
        while let Some(&c) = self.src.get(end) {
            if c == '\n' {
                break;
            }
            end += 1;
        }
        self.src.get(start..end).unwrap_or(&[]).iter().collect()
    }
    fn newline(&mut self) {
        // self.pos is just past a '\n'
        self.line += 1;
        self.line_start = self.pos;
    }
    fn err(&self, kind: &'static str, msg: String, line: u32, col: u32, end_col: u32) -> TokError {
        TokError {
            err: SyntaxErr {
                kind,
                msg,
                filename: self.filename.into(),
                line,
                text: Some(self.line_text(line)),
                col: Some(col + 1),
                end_col: Some(end_col + 1),
            },
            unclosed_line: None,
        }
    }
    fn push(&mut self, tok: Tok, span: Span) {
        let level = self.brackets.len() as u16;
        self.tokens.push(Token { tok, span, level });
    }

    fn run(&mut self) -> Result<(), TokError> {
        loop {
            if self.at_line_start && self.brackets.is_empty() {
                if self.eof() {
                    return self.finish();
                }
                if self.indentation()? {
                    // blank line or comment-only line skipped
                    continue;
                }
                self.at_line_start = false;
            }
            // skip spaces
            while matches!(self.peek(0), ' ' | '\t' | '\x0c') {
                self.pos += 1;
            }
            if self.eof() {
                return self.finish();
            }
            let c = self.peek(0);
            let start_col = self.col();
            match c {
                '#' => {
                    while !self.eof() && self.peek(0) != '\n' {
                        self.pos += 1;
                    }
                }
                '\r' if self.peek(1) == '\n' => self.pos += 1,
                '\r' => {
                    self.pos += 1;
                }
                '\n' => {
                    if self.brackets.is_empty() {
                        let sp = self.here_span(1);
                        self.push(Tok::Newline, sp);
                        self.at_line_start = true;
                    }
                    self.pos += 1;
                    self.newline();
                }
                '\\' => {
                    let mut k = 1;
                    if self.peek(k) == '\r' {
                        k += 1;
                    }
                    if self.peek(k) == '\n' {
                        self.pos += k + 1;
                        self.newline();
                        if self.eof() {
                            return Err(self.err(
                                "SyntaxError",
                                "unexpected EOF while parsing".into(),
                                self.line - 1,
                                start_col + 1,
                                start_col + 1,
                            ));
                        }
                    } else {
                        return Err(self.err(
                            "SyntaxError",
                            "unexpected character after line continuation character".into(),
                            self.line,
                            start_col + 1,
                            start_col + 1,
                        ));
                    }
                }
                c if c.is_ascii_digit() || (c == '.' && self.peek(1).is_ascii_digit()) => {
                    self.number()?
                }
                c if is_id_start(c) => {
                    // string prefixes
                    let mut k = 0;
                    while is_id_char(self.peek(k)) {
                        k += 1;
                    }
                    let q = self.peek(k);
                    let word: String = self
                        .src
                        .get(self.pos..self.pos + k)
                        .unwrap_or(&[])
                        .iter()
                        .collect();
                    let lower = word.to_ascii_lowercase();
                    if (q == '\'' || q == '"')
                        && matches!(
                            lower.as_str(),
                            "r" | "u" | "b" | "br" | "rb" | "f" | "fr" | "rf"
                        )
                    {
                        self.pos += k;
                        self.string(&lower, start_col)?;
                    } else {
                        self.pos += k;
                        let sp = Span {
                            line: self.line,
                            col: start_col,
                            end_line: self.line,
                            end_col: self.col(),
                        };
                        self.push(Tok::Name(word), sp);
                    }
                }
                '\'' | '"' => self.string("", start_col)?,
                _ => self.operator(c, start_col)?,
            }
        }
    }

    /// Measures a line's indentation; returns true if the line is blank
    /// (or a comment) and was skipped.
    fn indentation(&mut self) -> Result<bool, TokError> {
        let mut col = 0usize;
        let mut alt = 0usize;
        let start = self.pos;
        loop {
            match self.peek(0) {
                ' ' => {
                    col += 1;
                    alt += 1;
                }
                '\t' => {
                    col = (col / 8 + 1) * 8;
                    alt += 1;
                }
                '\x0c' => {
                    col = 0;
                    alt = 0;
                }
                _ => break,
            }
            self.pos += 1;
        }
        let c = self.peek(0);
        if c == '#' || c == '\n' || c == '\r' {
            // blank or comment line: skip to its end
            while !self.eof() && self.peek(0) != '\n' {
                self.pos += 1;
            }
            if !self.eof() {
                self.pos += 1;
                self.newline();
            }
            return Ok(true);
        }
        if self.eof() {
            return Ok(false);
        }
        let _ = start;
        let &(cur, cur_alt) = self.indents.last().unwrap_or(&(0, 0));
        let tab_err = |lx: &Self| {
            let l = lx.line;
            let mut e = lx.err(
                "TabError",
                "inconsistent use of tabs and spaces in indentation".into(),
                l,
                0,
                0,
            );
            e.err.col = None;
            e
        };
        if col == cur {
            if alt != cur_alt {
                return Err(tab_err(self));
            }
        } else if col > cur {
            if alt <= cur_alt {
                return Err(tab_err(self));
            }
            if self.indents.len() >= MAX_INDENT {
                let l = self.line;
                let mut e = self.err(
                    "IndentationError",
                    "too many levels of indentation".into(),
                    l,
                    0,
                    0,
                );
                e.err.col = None;
                return Err(e);
            }
            self.indents.push((col, alt));
            let sp = Span {
                line: self.line,
                col: 0,
                end_line: self.line,
                end_col: self.col(),
            };
            self.push(Tok::Indent, sp);
        } else {
            while self.indents.len() > 1 && col < self.indents.last().map_or(0, |x| x.0) {
                self.indents.pop();
                let sp = self.here_span(0);
                self.push(Tok::Dedent, sp);
            }
            let &(top, top_alt) = self.indents.last().unwrap_or(&(0, 0));
            if col != top {
                let l = self.line;
                let len = self.line_text(l).chars().count() as u32;
                return Err(self.err(
                    "IndentationError",
                    "unindent does not match any outer indentation level".into(),
                    l,
                    len,
                    len,
                ));
            }
            if alt != top_alt {
                return Err(tab_err(self));
            }
        }
        Ok(false)
    }

    fn finish(&mut self) -> Result<(), TokError> {
        if let Some(&(ch, line, col)) = self.brackets.last() {
            let mut e = self.err(
                "SyntaxError",
                format!("'{ch}' was never closed"),
                line,
                col,
                col + 1,
            );
            e.unclosed_line = Some(line);
            return Err(e);
        }
        if !self.at_line_start {
            let sp = self.here_span(0);
            self.push(Tok::Newline, sp);
        }
        while self.indents.len() > 1 {
            self.indents.pop();
            let sp = self.here_span(0);
            self.push(Tok::Dedent, sp);
        }
        Ok(())
    }

    fn operator(&mut self, c: char, start_col: u32) -> Result<(), TokError> {
        let three: String = [self.peek(0), self.peek(1), self.peek(2)].iter().collect();
        let mut found = None;
        for n in [3usize, 2, 1] {
            let s: String = three.chars().take(n).collect();
            if let Some(o) = op_str(&s) {
                found = Some((o, n));
                break;
            }
        }
        let Some((op, n)) = found else {
            if c == '!' || c == '$' || c == '?' || c == '`' {
                let sp = self.here_span(1);
                self.push(Tok::Bad, sp);
                self.pos += 1;
                return Ok(());
            }
            let l = self.line;
            let printable = !c.is_control();
            let msg = if printable {
                format!("invalid character '{c}' (U+{:04X})", c as u32)
            } else {
                format!("invalid non-printable character U+{:04X}", c as u32)
            };
            return Err(self.err("SyntaxError", msg, l, start_col, start_col));
        };
        match op {
            "(" | "[" | "{" => {
                if self.brackets.len() >= MAX_LEVEL {
                    let l = self.line;
                    return Err(self.err(
                        "SyntaxError",
                        "too many nested parentheses".into(),
                        l,
                        start_col,
                        start_col,
                    ));
                }
                self.brackets.push((c, self.line, start_col));
            }
            ")" | "]" | "}" => {
                let l = self.line;
                match self.brackets.pop() {
                    None => {
                        return Err(self.err(
                            "SyntaxError",
                            format!("unmatched '{c}'"),
                            l,
                            start_col,
                            start_col,
                        ))
                    }
                    Some((open, oline, _)) => {
                        let want = match open {
                            '(' => ')',
                            '[' => ']',
                            _ => '}',
                        };
                        if want != c {
                            let msg = if oline != l {
                                format!(
                                    "closing parenthesis '{c}' does not match opening parenthesis '{open}' on line {oline}"
                                )
                            } else {
                                format!(
                                    "closing parenthesis '{c}' does not match opening parenthesis '{open}'"
                                )
                            };
                            return Err(self.err("SyntaxError", msg, l, start_col, start_col));
                        }
                    }
                }
            }
            _ => {}
        }
        let sp = self.here_span(n as u32);
        // the bracket level recorded is the one before an opening bracket
        let level = if matches!(op, "(" | "[" | "{") {
            self.brackets.len() as u16 - 1
        } else {
            self.brackets.len() as u16
        };
        self.tokens.push(Token {
            tok: Tok::Op(op),
            span: sp,
            level,
        });
        self.pos += n;
        Ok(())
    }

    fn number(&mut self) -> Result<(), TokError> {
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
                tok = Tok::Float(super::float::parse(&text).unwrap_or(0.0));
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

    fn string(&mut self, prefix: &str, start_col: u32) -> Result<(), TokError> {
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

#[cfg(test)]
mod tests {
    use super::*;

    fn kinds(src: &str) -> Vec<String> {
        let lx = tokenize(src, "t.py");
        assert!(lx.error.is_none(), "{:?}", lx.error);
        lx.tokens
            .iter()
            .map(|t| match &t.tok {
                Tok::Name(n) => n.clone(),
                Tok::Int(i) => i.to_string(),
                Tok::Op(o) => o.to_string(),
                Tok::Newline => "NL".into(),
                Tok::Indent => "IN".into(),
                Tok::Dedent => "DE".into(),
                Tok::Eof => "EOF".into(),
                Tok::Str(s) => format!("{s:?}"),
                other => format!("{other:?}"),
            })
            .collect()
    }

    #[test]
    fn indentation_gives_indent_and_dedent_tokens() {
        let src = "if x:\n    y = 1\n\n    # c\n    if z:\n        w\nv\n";
        assert_eq!(
            kinds(src).join(" "),
            "if x : NL IN y = 1 NL if z : NL IN w NL DE DE v NL EOF"
        );
        // brackets continue lines; backslash too
        assert_eq!(
            kinds("x = (1,\n  2)\ny = 1 + \\\n 2\n").join(" "),
            "x = ( 1 , 2 ) NL y = 1 + 2 NL EOF"
        );
        // no newline at the end
        assert_eq!(kinds("if a:\n  b").join(" "), "if a : NL IN b NL DE EOF");
    }

    #[test]
    fn indentation_errors_say_what_cpython_says() {
        let e = tokenize("if 1:\n    x=1\n  y=2\n", "t.py").error.unwrap();
        assert_eq!(
            e.err.msg,
            "unindent does not match any outer indentation level"
        );
        assert_eq!(e.err.kind, "IndentationError");
        assert_eq!(e.err.line, 3);
        let e = tokenize("for i in x:\n\tpass\n        pass\n", "t.py")
            .error
            .unwrap();
        assert_eq!(e.err.kind, "TabError");
        let e = tokenize("x = (1,\n", "t.py").error.unwrap();
        assert_eq!(e.err.msg, "'(' was never closed");
        let e = tokenize("x = 'abc\n", "t.py").error.unwrap();
        assert_eq!(
            e.err.msg,
            "unterminated string literal (detected at line 1)"
        );
        let e = tokenize("print('a'，'b')\n", "t.py").error.unwrap();
        assert_eq!(e.err.msg, "invalid character '，' (U+FF0C)");
    }

    #[test]
    fn strings_and_escapes() {
        assert_eq!(kinds(r#"'a\n\x41\u00e9\101'"#)[0], "\"a\\nAéA\"");
        assert_eq!(kinds(r#"r'a\n'"#)[0], "\"a\\\\n\"");
        let lx = tokenize("b'\\xff\\n'", "t.py");
        assert_eq!(lx.tokens[0].tok, Tok::Bytes(vec![0xff, b'\n']));
        let lx = tokenize("'''a\nb'''", "t.py");
        assert_eq!(lx.tokens[0].tok, Tok::Str("a\nb".into()));
        let lx = tokenize("x = 1_000 + 0x1f + 1.5e3", "t.py");
        assert_eq!(lx.tokens[2].tok, Tok::Int(1000));
        assert_eq!(lx.tokens[4].tok, Tok::Int(31));
        assert_eq!(lx.tokens[6].tok, Tok::Float(1500.0));
    }
}
