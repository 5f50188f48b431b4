//! A connection's output: the bytes the server has decided to send and the
//! socket has not taken yet.
//!
//! A blocking server calls `write_all` and waits until the kernel took
//! everything. An event loop cannot wait, so what a non-blocking `write`
//! did not take stays here until the socket is writable again. Small pieces
//! (a response head, a small file, an echo reply) are copied into one owned
//! buffer; a large file is queued by reference (`Arc`), so a hundred clients
//! downloading the same 8 MiB file do not make a hundred copies of it.
//!
//! Owned buffers come from and go back to a per-loop [`Pool`], so an idle
//! connection holds no output memory at all.

use std::collections::VecDeque;
use std::io::{self, IoSlice, Write};
use std::sync::Arc;

/// A body at least this large is queued by reference instead of copied.
pub(crate) const SHARE_AT: usize = 64 * 1024;
/// Owned buffers larger than this are freed instead of going back to the pool.
const POOL_KEEP: usize = 64 * 1024;
/// How many spare buffers a loop keeps.
const POOL_SIZE: usize = 256;
/// At most this many pieces go into one `writev`.
const IOV: usize = 16;

enum Chunk {
    Owned(Vec<u8>),
    Shared(Arc<[u8]>),
}

impl Chunk {
    fn bytes(&self) -> &[u8] {
        match self {
            Chunk::Owned(v) => v,
            Chunk::Shared(a) => a,
        }
    }
}

/// Spare output buffers of one event loop.
#[derive(Default)]
pub(crate) struct Pool {
    spare: Vec<Vec<u8>>,
}

impl Pool {
    fn take(&mut self) -> Vec<u8> {
        self.spare.pop().unwrap_or_else(|| Vec::with_capacity(4096))
    }

    fn give(&mut self, mut v: Vec<u8>) {
        if v.capacity() <= POOL_KEEP && self.spare.len() < POOL_SIZE {
            v.clear();
            self.spare.push(v);
        }
    }
}

/// The bytes waiting to be written to one connection.
#[derive(Default)]
pub(crate) struct Outbox {
    chunks: VecDeque<Chunk>,
    /// How much of the first chunk has been written already.
    pos: usize,
    /// Bytes waiting, in all chunks.
    len: usize,
}

impl Outbox {
    pub(crate) fn len(&self) -> usize {
        self.len
    }

    pub(crate) fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// Drops everything still waiting (the connection is going away).
    pub(crate) fn clear(&mut self, pool: &mut Pool) {
        for chunk in self.chunks.drain(..) {
            if let Chunk::Owned(v) = chunk {
                pool.give(v);
            }
        }
        self.pos = 0;
        self.len = 0;
    }

    /// Writes the output until all is sent or the socket's send buffer is
    /// full (then a writable event will come). Returns the bytes written.
    pub(crate) fn flush(&mut self, sock: &mut impl Write, pool: &mut Pool) -> io::Result<usize> {
        let mut written = 0;
        while !self.chunks.is_empty() {
            let result = {
                let mut slices = [IoSlice::new(&[]); IOV];
                let mut n = 0;
                for (i, chunk) in self.chunks.iter().take(IOV).enumerate() {
                    let bytes = chunk.bytes();
                    slices[i] = IoSlice::new(if i == 0 { &bytes[self.pos..] } else { bytes });
                    n = i + 1;
                }
                if n == 1 {
                    sock.write(&slices[0])
                } else {
                    sock.write_vectored(&slices[..n])
                }
            };
            match result {
                Ok(0) => return Err(io::ErrorKind::WriteZero.into()),
                Ok(n) => {
                    written += n;
                    self.advance(n, pool);
                }
                Err(e) if e.kind() == io::ErrorKind::WouldBlock => return Ok(written),
                Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                Err(e) => return Err(e),
            }
        }
        Ok(written)
    }

    fn advance(&mut self, mut n: usize, pool: &mut Pool) {
        self.len -= n;
        while n > 0 {
            let Some(front) = self.chunks.front() else {
                break;
            };
            let left = front.bytes().len() - self.pos;
            if n < left {
                self.pos += n;
                return;
            }
            n -= left;
            self.pos = 0;
            if let Some(Chunk::Owned(v)) = self.chunks.pop_front() {
                pool.give(v);
            }
        }
    }
}

/// Where a protocol appends its output: the connection's [`Outbox`] and the
/// loop's buffer pool.
pub(crate) struct Output<'a> {
    pub(crate) outbox: &'a mut Outbox,
    pub(crate) pool: &'a mut Pool,
}

impl Output<'_> {
    /// Bytes waiting, including what was appended just now.
    pub(crate) fn len(&self) -> usize {
        self.outbox.len
    }

    /// Lets `fill` append to an owned buffer at the end of the queue.
    pub(crate) fn append_with(&mut self, fill: impl FnOnce(&mut Vec<u8>)) {
        if !matches!(self.outbox.chunks.back(), Some(Chunk::Owned(_))) {
            let v = self.pool.take();
            self.outbox.chunks.push_back(Chunk::Owned(v));
        }
        if let Some(Chunk::Owned(v)) = self.outbox.chunks.back_mut() {
            let before = v.len();
            fill(v);
            self.outbox.len += v.len() - before;
        }
    }

    pub(crate) fn extend_from_slice(&mut self, bytes: &[u8]) {
        self.append_with(|v| v.extend_from_slice(bytes));
    }

    /// Queues `bytes` by reference: large, so not copied.
    pub(crate) fn push_shared(&mut self, bytes: Arc<[u8]>) {
        if bytes.is_empty() {
            return;
        }
        self.outbox.len += bytes.len();
        self.outbox.chunks.push_back(Chunk::Shared(bytes));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A socket that takes at most `room` bytes per call, then blocks once.
    struct Trickle {
        got: Vec<u8>,
        room: usize,
        block_every_other: bool,
        calls: usize,
    }

    impl Write for Trickle {
        fn write(&mut self, b: &[u8]) -> io::Result<usize> {
            self.calls += 1;
            if self.block_every_other && self.calls.is_multiple_of(2) {
                return Err(io::ErrorKind::WouldBlock.into());
            }
            let n = b.len().min(self.room);
            self.got.extend_from_slice(&b[..n]);
            Ok(n)
        }
        fn flush(&mut self) -> io::Result<()> {
            Ok(())
        }
    }

    #[test]
    fn pieces_leave_in_order_across_partial_writes() {
        let mut pool = Pool::default();
        let mut outbox = Outbox::default();
        let mut out = Output {
            outbox: &mut outbox,
            pool: &mut pool,
        };
        out.extend_from_slice(b"HEAD1 ");
        out.push_shared(Arc::from(&b"big-body "[..]));
        out.extend_from_slice(b"HEAD2 ");
        out.extend_from_slice(b"body2");
        assert_eq!(out.len(), 26);
        let mut sock = Trickle {
            got: Vec::new(),
            room: 4,
            block_every_other: true,
            calls: 0,
        };
        let mut rounds = 0;
        while !outbox.is_empty() {
            outbox.flush(&mut sock, &mut pool).unwrap();
            rounds += 1;
            assert!(rounds < 100);
        }
        assert_eq!(sock.got, b"HEAD1 big-body HEAD2 body2");
        assert_eq!(outbox.len(), 0);
        // The owned buffers went back to the pool.
        assert_eq!(pool.spare.len(), 2);
    }
}
