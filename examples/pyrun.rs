//! Runs a Python file with the interpreter and its test host:
//! `cargo run --example pyrun -- prog.py [stdin-line …]`.
//! Prints the program's stdout and stderr as they would appear.

use sockscope::sim::python::test_os::TestOs;
use sockscope::sim::python::Interp;

fn main() {
    // a 1 MB stack, as the browser build has
    let child = std::thread::Builder::new()
        .stack_size(1 << 20)
        .spawn(real_main)
        .expect("thread");
    let code = child.join().unwrap_or(101);
    std::process::exit(code);
}

fn real_main() -> i32 {
    let mut args = std::env::args().skip(1);
    let Some(path) = args.next() else {
        eprintln!("usage: pyrun FILE.py [input lines…]");
        return 2;
    };
    let source = match std::fs::read_to_string(&path) {
        Ok(s) => s,
        Err(e) => {
            eprintln!("{path}: {e}");
            return 2;
        }
    };
    let name = std::path::Path::new(&path)
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or(path.clone());
    let mut py = Interp::new(&name, &source);
    let mut os = TestOs::new();
    os.stdin.extend(args);
    let end = os.run(&mut py, 50_000_000);
    print!("{}", os.stdout);
    eprint!("{}", os.stderr);
    if !matches!(end, sockscope::sim::python::test_os::RunEnd::Finished) {
        eprintln!("[pyrun: {end:?}]");
    }
    py.exit_code().unwrap_or(0)
}
