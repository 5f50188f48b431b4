//! Tests of the exception printer: carets, the SyntaxError layout.

use super::*;
use crate::sim::python::lexer::Span;

fn sp(col: u32, end: u32) -> Span {
    Span {
        line: 1,
        col,
        end_line: 1,
        end_col: end,
    }
}

#[test]
fn carets_follow_cpython_311() {
    // y = "a" + x  → binary operator anchors
    assert_eq!(
        carets("y = \"a\" + x", 1, sp(4, 11)).as_deref(),
        Some("        ~~~~^~~")
    );
    // subscript: return x[n] + 1 (indented)
    assert_eq!(
        carets("    return x[n] + 1", 1, sp(11, 15)).as_deref(),
        Some("           ~^^^")
    );
    // a call covering the whole line: no carets
    assert_eq!(carets("f()", 1, sp(0, 3)), None);
    // a call inside: ^^^
    assert_eq!(
        carets("print(f(1) + 2)", 1, sp(6, 10)).as_deref(),
        Some("          ^^^^")
    );
    // two-character operator after a parenthesized operand
    assert_eq!(
        carets("z = (a + b) ** \"x\"", 1, sp(4, 18)).as_deref(),
        Some("        ~~~~~~~~^^~~~~")
    );
    // wide characters take two columns
    assert_eq!(
        carets("print(\"收到\" + n)", 1, sp(6, 14)).as_deref(),
        Some("          ~~~~~~~^~~")
    );
}

#[test]
fn syntax_error_layout() {
    let e = SyntaxErr {
        kind: "SyntaxError",
        msg: "expected ':'".into(),
        filename: "s.py".into(),
        line: 1,
        text: Some("if x".into()),
        col: Some(5),
        end_col: Some(6),
    };
    assert_eq!(
        e.render(),
        "  File \"s.py\", line 1\n    if x\n        ^\nSyntaxError: expected ':'\n"
    );
}
