//! A load generator for the echo server, used by `scripts/bench-native.sh`:
//! N clients, each sending a message and waiting for the whole reply before
//! sending the next, for a fixed time. It counts round trips.

use std::io::{self, Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::Arc;
use std::thread;
use std::time::{Duration, Instant};

/// The result of a load run.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct LoadResult {
    pub round_trips: u64,
    pub elapsed: Duration,
    pub errors: u64,
}

impl LoadResult {
    pub fn per_second(&self) -> f64 {
        self.round_trips as f64 / self.elapsed.as_secs_f64().max(1e-9)
    }
}

/// Runs `clients` connections against `addr` for `duration`. Each sends
/// `message` and reads `reply_len` bytes back per round trip.
pub fn echo_load(
    addr: SocketAddr,
    clients: usize,
    duration: Duration,
    message: &[u8],
    reply_len: usize,
) -> io::Result<LoadResult> {
    let stop = Arc::new(AtomicBool::new(false));
    let count = Arc::new(AtomicU64::new(0));
    let errors = Arc::new(AtomicU64::new(0));
    let mut streams = Vec::with_capacity(clients);
    for _ in 0..clients {
        let s = TcpStream::connect(addr)?;
        s.set_nodelay(true)?;
        s.set_read_timeout(Some(Duration::from_secs(5)))?;
        streams.push(s);
    }
    let start = Instant::now();
    let threads: Vec<_> = streams
        .into_iter()
        .map(|mut s| {
            let (stop, count, errors) = (stop.clone(), count.clone(), errors.clone());
            let message = message.to_vec();
            thread::spawn(move || {
                let mut buf = vec![0u8; reply_len.max(1)];
                let mut local = 0u64;
                while !stop.load(Ordering::Relaxed) {
                    if s.write_all(&message).is_err()
                        || s.read_exact(&mut buf[..reply_len]).is_err()
                    {
                        errors.fetch_add(1, Ordering::Relaxed);
                        break;
                    }
                    local += 1;
                }
                count.fetch_add(local, Ordering::Relaxed);
            })
        })
        .collect();
    thread::sleep(duration);
    stop.store(true, Ordering::Relaxed);
    for t in threads {
        let _ = t.join();
    }
    let elapsed = start.elapsed();
    Ok(LoadResult {
        round_trips: count.load(Ordering::Relaxed),
        elapsed,
        errors: errors.load(Ordering::Relaxed),
    })
}
