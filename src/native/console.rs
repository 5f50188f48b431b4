//! Where the servers print: one writer thread behind a channel.
//!
//! Every connection thread sends its lines here instead of locking stdout
//! itself, so lines never interleave mid-line, a slow terminal never blocks a
//! connection, and under load many lines go out in one `write`. Tests use
//! [`Console::channel`] to receive the lines directly.

use std::io::{self, Write};
use std::sync::mpsc::{self, Receiver, Sender};
use std::thread;

/// How long the writer thread lets lines gather before writing them.
const BATCH_WINDOW: std::time::Duration = std::time::Duration::from_millis(5);

enum Msg {
    Line(String),
    Flush(Sender<()>),
}

#[derive(Clone)]
enum Target {
    Writer(Sender<Msg>),
    Lines(Sender<String>),
    Discard,
}

/// A handle for printing lines; cheap to clone, one per thread.
#[derive(Clone)]
pub struct Console {
    target: Target,
}

impl Console {
    /// Lines go to `out` from a dedicated thread that batches them.
    pub fn to_writer(out: Box<dyn Write + Send>) -> Console {
        let (tx, rx) = mpsc::channel::<Msg>();
        let spawned = thread::Builder::new()
            .name("console".into())
            .spawn(move || writer_loop(out, rx));
        match spawned {
            Ok(_) => Console {
                target: Target::Writer(tx),
            },
            Err(_) => Console::discard(),
        }
    }

    /// Lines go to standard output.
    pub fn stdout() -> Console {
        Console::to_writer(Box::new(io::stdout()))
    }

    /// Lines arrive, one `String` each, on the returned receiver.
    pub fn channel() -> (Console, Receiver<String>) {
        let (tx, rx) = mpsc::channel();
        (
            Console {
                target: Target::Lines(tx),
            },
            rx,
        )
    }

    /// Lines are dropped.
    pub fn discard() -> Console {
        Console {
            target: Target::Discard,
        }
    }

    /// Prints one line (a newline is added).
    pub fn line(&self, line: impl Into<String>) {
        match &self.target {
            Target::Writer(tx) => {
                let _ = tx.send(Msg::Line(line.into()));
            }
            Target::Lines(tx) => {
                let _ = tx.send(line.into());
            }
            Target::Discard => {}
        }
    }

    /// Waits until every line sent so far has been written out.
    pub fn flush(&self) {
        if let Target::Writer(tx) = &self.target {
            let (done_tx, done_rx) = mpsc::channel();
            if tx.send(Msg::Flush(done_tx)).is_ok() {
                let _ = done_rx.recv();
            }
        }
    }
}

fn writer_loop(out: Box<dyn Write + Send>, rx: Receiver<Msg>) {
    let mut out = io::BufWriter::with_capacity(64 * 1024, out);
    // Block for the first message, wait a moment so that lines sent meanwhile
    // do not each wake this thread, take everything queued, then flush: a
    // line appears within milliseconds, and a busy server costs a few
    // wake-ups and writes per second instead of one per line.
    while let Ok(first) = rx.recv() {
        if matches!(first, Msg::Line(_)) {
            thread::sleep(BATCH_WINDOW);
        }
        let mut next = Some(first);
        while let Some(msg) = next {
            match msg {
                Msg::Line(l) => {
                    let _ = out.write_all(l.as_bytes());
                    let _ = out.write_all(b"\n");
                }
                Msg::Flush(done) => {
                    let _ = out.flush();
                    let _ = done.send(());
                }
            }
            next = rx.try_recv().ok();
        }
        let _ = out.flush();
    }
    let _ = out.flush();
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::{Arc, Mutex};

    #[derive(Clone, Default)]
    struct Shared(Arc<Mutex<Vec<u8>>>);
    impl Write for Shared {
        fn write(&mut self, b: &[u8]) -> io::Result<usize> {
            self.0.lock().unwrap().extend_from_slice(b);
            Ok(b.len())
        }
        fn flush(&mut self) -> io::Result<()> {
            Ok(())
        }
    }

    #[test]
    fn lines_from_many_threads_arrive_whole() {
        let buf = Shared::default();
        let console = Console::to_writer(Box::new(buf.clone()));
        let threads: Vec<_> = (0..4)
            .map(|t| {
                let c = console.clone();
                thread::spawn(move || (0..100).for_each(|i| c.line(format!("t{t} line {i}"))))
            })
            .collect();
        threads.into_iter().for_each(|t| t.join().unwrap());
        console.flush();
        let text = String::from_utf8(buf.0.lock().unwrap().clone()).unwrap();
        assert_eq!(text.lines().count(), 400);
        assert!(text
            .lines()
            .all(|l| l.starts_with('t') && l.contains(" line ")));
    }
}
