//! The browser entry point: trunk builds this to WebAssembly.
fn main() {
    sockscope::web::start();
}
