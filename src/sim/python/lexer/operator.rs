//! Operators and brackets (with the bracket nesting and its errors).

use super::*;

impl<'a> Lexer<'a> {
    pub(super) fn operator(&mut self, c: char, start_col: u32) -> Result<(), TokError> {
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
}
