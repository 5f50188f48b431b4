//! Indentation: INDENT and DEDENT tokens from a line's leading whitespace,
//! CPython's indentation errors, and the tokens at the end of the file.

use super::*;

impl<'a> Lexer<'a> {
    /// Measures a line's indentation; returns true if the line is blank
    /// (or a comment) and was skipped.
    pub(super) fn indentation(&mut self) -> Result<bool, TokError> {
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

    pub(super) fn finish(&mut self) -> Result<(), TokError> {
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
}
