//! Tests of the tokenizer: indentation, CPython's errors, strings and
//! escapes.

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
