//! String literals: adjacent literals joined, and f-strings with their
//! replacement fields.

use super::*;

impl<'a> Parser<'a> {
    /// Adjacent string literals are one constant (f-strings join in).
    pub(super) fn strings(&mut self) -> PR<Expr> {
        let start = self.span();
        let mut parts: Vec<FPart> = Vec::new();
        let mut bytes: Option<Vec<u8>> = None;
        let mut any_str = false;
        let mut any_f = false;
        loop {
            let t = self.peek().clone();
            let sp = self.span();
            match t {
                Tok::Str(s) => {
                    any_str = true;
                    push_lit(&mut parts, &s);
                }
                Tok::Bytes(b) => {
                    bytes.get_or_insert_with(Vec::new).extend_from_slice(&b);
                }
                Tok::FStr {
                    body,
                    raw,
                    line,
                    col,
                } => {
                    any_str = true;
                    any_f = true;
                    let fp = self.fstring(&body, raw, line, col, sp, 0)?;
                    for p in fp {
                        match p {
                            FPart::Lit(s) => push_lit(&mut parts, &s),
                            e => parts.push(e),
                        }
                    }
                }
                _ => break,
            }
            self.advance();
        }
        let span = start.to(self.prev_span());
        if bytes.is_some() && any_str {
            return self.err("cannot mix bytes and nonbytes literals", span);
        }
        if let Some(b) = bytes {
            return Ok(Expr {
                kind: E::Bytes(b.into()),
                span,
            });
        }
        if !any_f {
            let s = match parts.into_iter().next() {
                Some(FPart::Lit(s)) => s,
                _ => String::new(),
            };
            return Ok(Expr {
                kind: E::Str(s.into()),
                span,
            });
        }
        Ok(Expr {
            kind: E::FStr(parts),
            span,
        })
    }

    /// Splits an f-string body into literal text and replacement fields.
    fn fstring(
        &mut self,
        body: &str,
        raw: bool,
        line: u32,
        col: u32,
        tok_span: Span,
        nest: u32,
    ) -> PR<Vec<FPart>> {
        let chars: Vec<char> = body.chars().collect();
        let mut parts = Vec::new();
        let mut lit = String::new();
        let mut i = 0;
        let end_span = Span {
            line: tok_span.end_line,
            col: tok_span.end_col,
            end_line: tok_span.end_line,
            end_col: tok_span.end_col + 1,
        };
        let flush = |lit: &mut String, parts: &mut Vec<FPart>| -> Result<(), ()> {
            if lit.is_empty() {
                return Ok(());
            }
            let text = if raw {
                std::mem::take(lit)
            } else {
                match lexer::unescape(lit, false) {
                    Ok(lexer::Unescaped::Str(s)) => {
                        lit.clear();
                        s
                    }
                    _ => return Err(()),
                }
            };
            parts.push(FPart::Lit(text));
            Ok(())
        };
        while let Some(&c) = chars.get(i) {
            if c == '{' && chars.get(i + 1) == Some(&'{') && nest == 0 {
                lit.push('{');
                i += 2;
                continue;
            }
            if c == '}' && chars.get(i + 1) == Some(&'}') && nest == 0 {
                lit.push('}');
                i += 2;
                continue;
            }
            if c == '}' {
                return self.err("f-string: single '}' is not allowed", end_span);
            }
            if c != '{' {
                lit.push(c);
                i += 1;
                continue;
            }
            if flush(&mut lit, &mut parts).is_err() {
                return self.err("(unicode error) invalid escape in f-string", tok_span);
            }
            if nest >= 2 {
                return self.err("f-string: expressions nested too deeply", end_span);
            }
            // find the end of the expression
            let expr_start = i + 1;
            let mut j = expr_start;
            let mut depth = 0i32;
            let mut quote: Option<char> = None;
            while let Some(&d) = chars.get(j) {
                if let Some(q) = quote {
                    if d == q {
                        quote = None;
                    }
                    j += 1;
                    continue;
                }
                match d {
                    '\'' | '"' => quote = Some(d),
                    '(' | '[' | '{' => depth += 1,
                    ')' | ']' | '}' if depth > 0 => depth -= 1,
                    '}' => break,
                    '!' if depth == 0 && chars.get(j + 1) != Some(&'=') => break,
                    ':' if depth == 0 => break,
                    '=' if depth == 0
                        && chars.get(j + 1) != Some(&'=')
                        && !matches!(chars.get(j.wrapping_sub(1)), Some('=' | '!' | '<' | '>')) =>
                    {
                        break
                    }
                    '\\' => {
                        return self.err(
                            "f-string expression part cannot include a backslash",
                            end_span,
                        )
                    }
                    _ => {}
                }
                j += 1;
            }
            if chars.get(j).is_none() {
                return self.err("f-string: expecting '}'", end_span);
            }
            let text: String = chars.get(expr_start..j).unwrap_or(&[]).iter().collect();
            if text.trim().is_empty() {
                return self.err("f-string: empty expression not allowed", end_span);
            }
            // position of the expression in the file
            let before: String = chars.get(..expr_start).unwrap_or(&[]).iter().collect();
            let nl = before.matches('\n').count() as u32;
            let (eline, ecol) = if nl == 0 {
                (line, col + expr_start as u32)
            } else {
                let after_nl = before.rsplit('\n').next().unwrap_or("");
                (line + nl, after_nl.chars().count() as u32)
            };
            let mut expr = match self.sub_expr(&text, eline, ecol) {
                Some(e) => e,
                None => return self.err("f-string: invalid syntax", end_span),
            };
            let mut conv = None;
            let mut self_doc = false;
            if chars.get(j) == Some(&'=') {
                self_doc = true;
                j += 1;
                // whitespace after '=' is kept in the text
                while matches!(chars.get(j), Some(' ')) {
                    j += 1;
                }
                let doc: String = chars.get(expr_start..j).unwrap_or(&[]).iter().collect();
                lit.push_str(&doc);
                if flush(&mut lit, &mut parts).is_err() {
                    return self.err("f-string: invalid syntax", end_span);
                }
            }
            if chars.get(j) == Some(&'!') {
                match chars.get(j + 1) {
                    Some(&c @ ('s' | 'r' | 'a')) => {
                        conv = Some(c);
                        j += 2;
                    }
                    Some('}') | Some(':') | None => {
                        return self.err("f-string: missing conversion character", end_span)
                    }
                    _ => {
                        return self.err(
                            "f-string: invalid conversion character: expected 's', 'r', or 'a'",
                            end_span,
                        )
                    }
                }
            }
            let mut spec = None;
            if chars.get(j) == Some(&':') {
                j += 1;
                let spec_start = j;
                let mut d = 0;
                while let Some(&c) = chars.get(j) {
                    if c == '{' {
                        d += 1;
                    } else if c == '}' {
                        if d == 0 {
                            break;
                        }
                        d -= 1;
                    }
                    j += 1;
                }
                let spec_text: String = chars.get(spec_start..j).unwrap_or(&[]).iter().collect();
                spec = Some(self.fstring(
                    &spec_text,
                    raw,
                    line,
                    col + spec_start as u32,
                    tok_span,
                    nest + 1,
                )?);
            }
            if chars.get(j) != Some(&'}') {
                return self.err("f-string: expecting '}'", end_span);
            }
            if self_doc && conv.is_none() && spec.is_none() {
                conv = Some('r');
            }
            // keep spans sane
            if expr.span.line == 0 {
                expr.span = tok_span;
            }
            parts.push(FPart::Expr {
                expr: Box::new(expr),
                conv,
                spec,
            });
            i = j + 1;
        }
        if flush(&mut lit, &mut parts).is_err() {
            return self.err("(unicode error) invalid escape in f-string", tok_span);
        }
        Ok(parts)
    }

    fn sub_expr(&mut self, text: &str, line: u32, col: u32) -> Option<Expr> {
        if self.depth > MAX_DEPTH / 2 {
            return None;
        }
        let wrapped = format!("({text})");
        let lexed = lexer::tokenize(&wrapped, "");
        if lexed.error.is_some() {
            return None;
        }
        let toks: Vec<Token> = lexed
            .tokens
            .into_iter()
            .map(|mut t| {
                let shift = |l: &mut u32, c: &mut u32| {
                    if *l == 1 {
                        *c = (*c + col).saturating_sub(1);
                    }
                    *l += line - 1;
                };
                shift(&mut t.span.line, &mut t.span.col);
                shift(&mut t.span.end_line, &mut t.span.end_col);
                t
            })
            .collect();
        let mut p = Parser::new(&toks, "", self.filename);
        p.depth = self.depth + 1;
        p.lines = self.lines.clone();
        let e = p.star_exprs().ok()?;
        if !matches!(p.peek(), Tok::Newline | Tok::Eof) {
            return None;
        }
        Some(e)
    }
}

fn push_lit(parts: &mut Vec<FPart>, s: &str) {
    if let Some(FPart::Lit(last)) = parts.last_mut() {
        last.push_str(s);
    } else {
        parts.push(FPart::Lit(s.to_string()));
    }
}
