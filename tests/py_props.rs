//! Property tests: whatever text the interpreter is given, the lexer,
//! parser, compiler and VM never panic (the browser build aborts on a
//! panic). Every input ends in a SyntaxError, a Python exception, a
//! finished program or a spent step budget.
//!
//! Inputs: random bytes read as UTF-8 (lossy), soups of Python-ish tokens,
//! and mutations (lines and characters deleted, duplicated, swapped) of the
//! differential suite's programs in `tests/py/`.

use proptest::prelude::*;
use sockscope::sim::python::test_os::TestOs;
use sockscope::sim::python::Interp;
use std::path::Path;

/// Runs a program for a bounded number of steps; the clone of the state
/// must stay equal to the original (snapshots are clones).
fn run(src: &str) {
    run_steps(src, 3_000)
}

fn run_steps(src: &str, steps: usize) {
    let mut py = Interp::new("fuzz.py", src);
    let mut os = TestOs::new();
    os.stdin.extend(["1".to_string(), "abc".to_string()]);
    os.files.push(("data.txt".into(), b"line\n".to_vec()));
    os.run(&mut py, steps);
    let copy = py.clone();
    assert!(copy == py);
    // the views never panic either
    for t in 0..py.thread_count() as u32 {
        let _ = py.current_line(t);
        let frames = py.frames(t);
        for i in 0..frames.len() {
            let _ = py.locals(t, i);
        }
    }
    let _ = py.globals();
}

const TOKENS: &[&str] = &[
    "x",
    "y",
    "f",
    "s",
    "conn",
    "data",
    "self",
    "print",
    "len",
    "range",
    "socket",
    "threading",
    "int",
    "str",
    "bytes",
    "list",
    "dict",
    "Exception",
    "ValueError",
    "super",
    "None",
    "True",
    "False",
    "if",
    "elif",
    "else",
    "while",
    "for",
    "in",
    "not",
    "and",
    "or",
    "is",
    "def",
    "class",
    "return",
    "lambda",
    "try",
    "except",
    "finally",
    "raise",
    "from",
    "import",
    "as",
    "with",
    "pass",
    "break",
    "continue",
    "global",
    "nonlocal",
    "del",
    "assert",
    "yield",
    "0",
    "1",
    "42",
    "3.5",
    "1e400",
    "99999999999999999999",
    "0x1f",
    "'a'",
    "\"b\"",
    "b'c'",
    "f'{x}'",
    "f'{x!r:>4}'",
    "'''t'''",
    "r'\\d'",
    "'\\x4'",
    "(",
    ")",
    "[",
    "]",
    "{",
    "}",
    ",",
    ":",
    ".",
    ";",
    "=",
    "==",
    "+",
    "-",
    "*",
    "/",
    "//",
    "%",
    "**",
    "<",
    ">",
    "<=",
    "!=",
    "+=",
    "-=",
    "|",
    "&",
    "^",
    "~",
    "->",
    "@",
    "*args",
    "**kw",
    "\n",
    "\n    ",
    "\n        ",
    "\n  ",
    "\t",
    "\\\n",
    "#c\n",
    "'",
    "\"",
    "：",
    "（",
    "$",
    "?",
    "!",
];

fn programs() -> Vec<String> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/py");
    let mut out: Vec<(String, String)> = std::fs::read_dir(dir)
        .map(|rd| {
            rd.flatten()
                .filter(|e| e.path().extension().is_some_and(|x| x == "py"))
                .filter_map(|e| {
                    let n = e.file_name().to_string_lossy().into_owned();
                    std::fs::read_to_string(e.path()).ok().map(|s| (n, s))
                })
                .collect()
        })
        .unwrap_or_default();
    out.sort();
    out.into_iter().map(|(_, s)| s).collect()
}

#[derive(Debug, Clone)]
enum Mutation {
    DeleteLine(usize),
    DuplicateLine(usize),
    SwapLines(usize, usize),
    DeleteChar(usize),
    DuplicateChar(usize),
    SwapChars(usize),
    Insert(usize, &'static str),
}

fn mutation() -> impl Strategy<Value = Mutation> {
    prop_oneof![
        any::<usize>().prop_map(Mutation::DeleteLine),
        any::<usize>().prop_map(Mutation::DuplicateLine),
        (any::<usize>(), any::<usize>()).prop_map(|(a, b)| Mutation::SwapLines(a, b)),
        any::<usize>().prop_map(Mutation::DeleteChar),
        any::<usize>().prop_map(Mutation::DuplicateChar),
        any::<usize>().prop_map(Mutation::SwapChars),
        (any::<usize>(), prop::sample::select(TOKENS)).prop_map(|(a, t)| Mutation::Insert(a, t)),
    ]
}

fn mutate(src: &str, muts: &[Mutation]) -> String {
    let mut lines: Vec<String> = src.lines().map(String::from).collect();
    let mut chars: Vec<char>;
    for m in muts {
        let n = lines.len().max(1);
        match m {
            Mutation::DeleteLine(i) => {
                if !lines.is_empty() {
                    lines.remove(i % n);
                }
            }
            Mutation::DuplicateLine(i) => {
                if let Some(l) = lines.get(i % n).cloned() {
                    lines.insert(i % n, l);
                }
            }
            Mutation::SwapLines(a, b) => {
                if !lines.is_empty() {
                    lines.swap(a % n, b % n);
                }
            }
            Mutation::DeleteChar(i)
            | Mutation::DuplicateChar(i)
            | Mutation::SwapChars(i)
            | Mutation::Insert(i, _) => {
                chars = lines.join("\n").chars().collect();
                if !chars.is_empty() {
                    let k = i % chars.len();
                    match m {
                        Mutation::DeleteChar(_) => {
                            chars.remove(k);
                        }
                        Mutation::DuplicateChar(_) => {
                            let c = chars[k];
                            chars.insert(k, c);
                        }
                        Mutation::SwapChars(_) if k + 1 < chars.len() => chars.swap(k, k + 1),
                        Mutation::Insert(_, t) => {
                            for (j, c) in t.chars().enumerate() {
                                chars.insert(k + j, c);
                            }
                        }
                        _ => {}
                    }
                }
                let s: String = chars.iter().collect();
                lines = s.lines().map(String::from).collect();
            }
        }
    }
    let mut s = lines.join("\n");
    s.push('\n');
    s
}

proptest! {
    // PROPTEST_CASES=N for a longer run
    #![proptest_config(ProptestConfig {
        cases: std::env::var("PROPTEST_CASES").ok().and_then(|s| s.parse().ok()).unwrap_or(400),
        ..ProptestConfig::default()
    })]

    #[test]
    fn random_bytes_never_panic(bytes in prop::collection::vec(any::<u8>(), 0..300)) {
        run(&String::from_utf8_lossy(&bytes));
    }

    #[test]
    fn token_soup_never_panics(toks in prop::collection::vec(prop::sample::select(TOKENS), 0..60)) {
        run(&toks.join(" "));
        run(&toks.concat());
    }

    #[test]
    fn mutated_programs_never_panic(
        pick in any::<prop::sample::Index>(),
        muts in prop::collection::vec(mutation(), 1..6),
    ) {
        let progs = programs();
        if !progs.is_empty() {
            let src = &progs[pick.index(progs.len())];
            run(&mutate(src, &muts));
        }
    }
}

/// Inputs that once broke something, and the nesting limits.
#[test]
fn known_hostile_inputs() {
    for src in [
        "f'".to_string(),
        "b'x".into(),
        "rb'".into(),
        "x = (".repeat(500),
        "-".repeat(100_000) + "1",
        "not ".repeat(100_000) + "x",
        "[".repeat(199) + &"]".repeat(199),
        format!("x = {}", "1 + ".repeat(50_000) + "1"),
        "def f(): return f()\nf()\n".into(),
        "x = []\nfor i in range(100000): x = [x]\nprint(x)\n".into(),
        "t = ()\nfor i in range(100000): t = (t,)\nprint(hash(t))\n".into(),
        "t = ()\nfor i in range(100000): t = (t,)\nd = {t: 1}\n".into(),
        "a = []\na.append(a)\nprint(a, a == a)\n".into(),
        "print(all(range(1, 10**18)))\n".into(),
        "x = 'a' * 10**12\n".into(),
        "x = [0] * 10**12\n".into(),
        "class A:\n def __str__(self): return str(self)\nprint(A())\n".into(),
        "class A:\n def __eq__(self, o): return self == o\nprint(A() == A())\n".into(),
        "import threading\nl = threading.Lock()\nl.acquire()\nl.acquire()\n".into(),
        "while True: pass\n".into(),
        "x = [i for i in range(10**9)]\n".into(),
        "print(f'{x!}')".into(),
        "print(f'{}')".into(),
        "print(f'{x:{y:{z}}}')".into(),
        "'%*d' % (10**18, 1)".into(),
        "'{:10000000000}'.format(1)".into(),
        "print(2 ** 10**18)".into(),
        "print(10**18 * 10**18)".into(),
        "print((-2**63) // -1)".into(),
        "print(-(-2**63))".into(),
        "print(abs(-2**63))".into(),
        "print(1 << 64, 1 >> 64, -1 >> 100)".into(),
        "print(round(1e308, -400), round(1.5, 400))".into(),
        "print(int('9' * 100))".into(),
        "print('x'.center(10**12))".into(),
        "print(bytes(10**12))".into(),
        "print(range(10**18)[10**17:])".into(),
        "print(len(range(-10**18, 10**18)))".into(),
        "print(chr(0xD800), '\\ud800')".into(),
        "print(sorted(range(1000000)))".into(),
        "import random\nprint(random.randint(-2**63, 2**63-1), random.randrange(-2**63))".into(),
        "r = range(0, 2**63-1, 2**62)\nprint(r[5:], r[1], 2**63-1 in range(-2**63, 0))".into(),
        "print(id(-2**63), hash(-2**63), list(reversed(range(-2**63, -2**63+2))))".into(),
        "import time\ntime.sleep(1e300)\nprint('woke')".into(),
        "import threading\nt = threading.Thread(target=print)\nt.start()\nt.join(2**62)".into(),
        "def g():\n    yield g\n    yield from g()\nfor x in g(): pass".into(),
        "def g():\n    x = yield\n    yield x\nit = g()\nnext(it)\nprint(it.send(it))".into(),
    ] {
        let t = std::time::Instant::now();
        run_steps(&src, 200);
        assert!(t.elapsed().as_secs() < 60, "too slow: {src:.60}");
    }
}
