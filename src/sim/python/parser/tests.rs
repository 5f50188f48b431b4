//! Tests of the parser: statements learners write, CPython's syntax errors.

use super::*;

fn err(src: &str) -> SyntaxErr {
    *parse_module(src, "t.py").expect_err("should fail")
}

#[test]
fn parses_the_statements_learners_write() {
    let src = "import socket\nfrom threading import Thread as T, Lock\n\
                   def f(a, b=2, *args, k=1, **kw):\n    return a + b * 2 ** -1\n\
                   class C(Base):\n    x = 1\n    def m(self): pass\n\
                   for i, (a, b) in enumerate(x):\n    if a < b <= c and not d: continue\n    elif x: break\n    else: pass\n\
                   try:\n    x = y[1:2, ::3]\nexcept (A, B) as e:\n    raise X from e\nelse:\n    pass\nfinally:\n    del x\n\
                   with open('f') as f, g:\n    print(f'{x!r:>{w}} {y=}', end='')\n\
                   a = b = [i * 2 for i in range(3) if i]\nx += 1\nd = {k: v for k, v in e.items()}\n\
                   s = {1, 2}; t = (1,); u = lambda x, y=1: x if y else -x\n";
    let body = parse_module(src, "t.py").unwrap();
    assert_eq!(body.len(), 13);
}

#[test]
fn syntax_errors_match_cpython() {
    let e = err("if x\n  pass\n");
    assert_eq!(
        (e.msg.as_str(), e.line, e.col),
        ("expected ':'", 1, Some(5))
    );
    let e = err("print(\"a\" \"b\" 1 2)\n");
    assert_eq!(e.msg, "invalid syntax. Perhaps you forgot a comma?");
    assert_eq!((e.col, e.end_col), (Some(7), Some(16)));
    let e = err("x = (1,\ny = 2\n");
    assert_eq!(e.msg, "'(' was never closed");
    let e = err("x = 1 +\ny = 2\nz = (\n");
    assert_eq!((e.msg.as_str(), e.line), ("invalid syntax", 1));
    let e = err("if True:\nprint(1)\n");
    assert_eq!(
        e.msg,
        "expected an indented block after 'if' statement on line 1"
    );
    let e = err("x = 1\n  y = 2\nz = \"abc\n");
    assert_eq!(e.msg, "unexpected indent");
    let e = err("print \"hi\"\n");
    assert_eq!(
        e.msg,
        "Missing parentheses in call to 'print'. Did you mean print(...)?"
    );
    let e = err("f(1) = 2\n");
    assert_eq!(
        e.msg,
        "cannot assign to function call here. Maybe you meant '==' instead of '='?"
    );
    let e = err("else:\n  pass\n");
    assert_eq!(
        (e.msg.as_str(), e.col, e.end_col),
        ("invalid syntax", Some(1), Some(5))
    );
    let e = err("if x = 1:\n  pass\n");
    assert_eq!(
        e.msg,
        "invalid syntax. Maybe you meant '==' or ':=' instead of '='?"
    );
}

#[test]
fn deep_nesting_is_an_error_not_a_crash() {
    let src = format!("x = {}1{}\n", "(".repeat(300), ")".repeat(300));
    assert_eq!(err(&src).msg, "too many nested parentheses");
    let src = format!("x = {}1\n", "-".repeat(5000));
    assert_eq!(err(&src).msg, "too many nested parentheses");
    let src = format!("x = {}1\n", "not ".repeat(5000));
    assert_eq!(err(&src).msg, "too many nested parentheses");
}
