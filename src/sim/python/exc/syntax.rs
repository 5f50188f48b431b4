//! A SyntaxError's position and its report laid out as CPython 3.11 prints
//! it (the line, the carets, the message).

use super::*;

impl SyntaxErr {
    pub(crate) fn at(
        msg: String,
        filename: &str,
        span: super::super::lexer::Span,
        lines: &[String],
    ) -> SyntaxErr {
        let text = lines.get(span.line.saturating_sub(1) as usize).cloned();
        let end = if span.end_line == span.line {
            span.end_col
        } else {
            text.as_ref()
                .map(|t| t.chars().count() as u32)
                .unwrap_or(span.col + 1)
        };
        SyntaxErr {
            kind: "SyntaxError",
            msg,
            filename: filename.into(),
            line: span.line,
            text,
            col: Some(span.col + 1),
            end_col: Some(end.max(span.col + 1) + 1),
        }
    }

    /// The report CPython prints for a syntax error in the main script.
    pub fn render(&self) -> String {
        let mut out = format!("  File \"{}\", line {}\n", self.filename, self.line);
        if let Some(text) = &self.text {
            let rtext = text.trim_end_matches('\n');
            let ltext = rtext.trim_start_matches([' ', '\n', '\x0c']);
            let spaces = rtext.chars().count() - ltext.chars().count();
            out.push_str(&format!("    {ltext}\n"));
            if let Some(offset) = self.col {
                let offset = offset as i64;
                let mut end = match self.end_col {
                    None | Some(0) => offset,
                    Some(e) => e as i64,
                };
                if end == offset || end == -1 {
                    end = offset + 1;
                }
                let colno = offset - 1 - spaces as i64;
                let end_colno = end - 1 - spaces as i64;
                if colno >= 0 {
                    let caretspace: String = ltext
                        .chars()
                        .take(colno as usize)
                        .map(|c| if c.is_whitespace() { c } else { ' ' })
                        .collect();
                    let n = (end_colno - colno).max(0) as usize;
                    out.push_str(&format!("    {caretspace}{}\n", "^".repeat(n)));
                }
            }
        }
        out.push_str(&format!("{}: {}\n", self.kind, self.msg));
        out
    }
}
