//! Runs a Python file with the interpreter and its test host:
//! `cargo run --example pyrun -- prog.py [stdin-line …]`.
//! Prints the program's stdout and stderr as they would appear.

use sockscope::sim::python::test_os::TestOs;
use sockscope::sim::python::Interp;

fn main() {
    let mut args = std::env::args().skip(1);
    let Some(path) = args.next() else {
        eprintln!("usage: pyrun FILE.py [input lines…]");
        std::process::exit(2);
    };
    let source = std::fs::read_to_string(&path).unwrap_or_else(|e| {
        eprintln!("{path}: {e}");
        std::process::exit(2)
    });
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
    std::process::exit(py.exit_code().unwrap_or(0));
}
