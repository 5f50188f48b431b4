//! The kernel's byte buffers: a fixed-capacity queue of bytes.
//!
//! Every TCP socket has two: the *send buffer* (bytes the program handed to
//! `send()` that the peer has not acknowledged yet) and the *receive buffer*
//! (bytes that arrived and the program has not `recv()`ed yet). Their capacity
//! is fixed when the socket is made, which is why `send()` can block and why the
//! receive window can fall to zero.
//!
//! The interface is smoltcp's `storage::RingBuffer` (enqueue, dequeue, peek
//! at an offset, forget the oldest bytes). The bytes live in a `VecDeque`
//! (itself a ring) that holds only what is stored, as Linux charges a socket
//! only for the memory its queued data uses: a 64 KB buffer that holds 8
//! bytes costs 8 bytes, and the simulation's snapshots copy no empty space.
//!
//! Invariant: `bytes.len() <= capacity`.

use serde::{Deserialize, Serialize};
use std::collections::VecDeque;
use std::fmt;

/// Nothing fits: the buffer is full.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Full;

/// Nothing to take: the buffer is empty.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Empty;

impl fmt::Display for Full {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("buffer full")
    }
}
impl fmt::Display for Empty {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("buffer empty")
    }
}

/// A byte queue of fixed capacity (see the module docs).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RingBuffer {
    bytes: VecDeque<u8>,
    capacity: usize,
}

impl RingBuffer {
    /// An empty buffer that can hold `capacity` bytes.
    pub fn new(capacity: usize) -> Self {
        RingBuffer {
            bytes: VecDeque::new(),
            capacity,
        }
    }

    /// How many bytes it can hold in all.
    pub fn capacity(&self) -> usize {
        self.capacity
    }

    /// How many bytes it holds now.
    pub fn len(&self) -> usize {
        self.bytes.len()
    }

    pub fn is_empty(&self) -> bool {
        self.bytes.is_empty()
    }

    pub fn is_full(&self) -> bool {
        self.len() == self.capacity
    }

    /// Free space in bytes. For a receive buffer this is exactly the window
    /// TCP advertises to the peer: "you may send me this many more bytes".
    pub fn window(&self) -> usize {
        self.capacity - self.len()
    }

    /// Copies as many bytes of `data` as fit and returns how many did.
    /// `Err(Full)` only when `data` is non-empty and not a single byte fits.
    pub fn enqueue_slice(&mut self, data: &[u8]) -> Result<usize, Full> {
        if data.is_empty() {
            return Ok(0);
        }
        let n = data.len().min(self.window());
        if n == 0 {
            return Err(Full);
        }
        self.bytes.extend(&data[..n]);
        Ok(n)
    }

    /// Moves up to `out.len()` of the oldest bytes into `out` and returns how
    /// many. `Err(Empty)` when nothing is stored and `out` is non-empty.
    pub fn dequeue_slice(&mut self, out: &mut [u8]) -> Result<usize, Empty> {
        if out.is_empty() {
            return Ok(0);
        }
        if self.is_empty() {
            return Err(Empty);
        }
        let n = self.read_allocated(0, out);
        self.dequeue_allocated(n);
        Ok(n)
    }

    /// Copies up to `out.len()` stored bytes, starting `offset` bytes after the
    /// oldest one, without removing them. TCP uses this to put bytes on the
    /// wire while keeping them until they are acknowledged.
    pub fn read_allocated(&self, offset: usize, out: &mut [u8]) -> usize {
        if offset >= self.len() {
            return 0;
        }
        let n = out.len().min(self.len() - offset);
        for (o, b) in out.iter_mut().zip(self.bytes.range(offset..offset + n)) {
            *o = *b;
        }
        n
    }

    /// Forgets the `n` oldest bytes (at most all of them) and returns how many
    /// were forgotten: an ACK freeing send-buffer space.
    pub fn dequeue_allocated(&mut self, n: usize) -> usize {
        let n = n.min(self.len());
        self.bytes.drain(..n);
        if self.bytes.is_empty() {
            // Give the memory back, as the kernel frees a queue's skbs.
            self.bytes = VecDeque::new();
        }
        n
    }

    /// The stored bytes, oldest first (for views and tests).
    pub fn to_vec(&self) -> Vec<u8> {
        self.bytes.iter().copied().collect()
    }

    /// Changes the capacity, keeping the stored bytes. The capacity never goes
    /// below what is stored: returns the capacity actually set.
    pub fn set_capacity(&mut self, capacity: usize) -> usize {
        self.capacity = capacity.max(self.len());
        self.capacity
    }

    /// Memory held for the bytes (for the test that an empty buffer holds none).
    #[cfg(test)]
    fn allocated(&self) -> usize {
        self.bytes.capacity()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn capacity_len_and_window() {
        let mut ring = RingBuffer::new(8);
        assert_eq!((ring.capacity(), ring.len(), ring.window()), (8, 0, 8));
        assert_eq!(ring.enqueue_slice(b"abc"), Ok(3));
        assert_eq!((ring.capacity(), ring.len(), ring.window()), (8, 3, 5));
    }

    #[test]
    fn enqueue_copies_what_fits_then_reports_full() {
        let mut ring = RingBuffer::new(4);
        assert_eq!(ring.enqueue_slice(b"abcdef"), Ok(4));
        assert_eq!(ring.to_vec(), b"abcd");
        assert!(ring.is_full());
        assert_eq!(ring.enqueue_slice(b"x"), Err(Full));
        // An empty write is never an error, even when full.
        assert_eq!(ring.enqueue_slice(b""), Ok(0));
    }

    #[test]
    fn dequeue_from_empty_reports_empty() {
        let mut ring = RingBuffer::new(4);
        let mut out = [0u8; 2];
        assert_eq!(ring.dequeue_slice(&mut out), Err(Empty));
    }

    #[test]
    fn bytes_come_out_in_the_order_they_went_in() {
        let mut ring = RingBuffer::new(6);
        ring.enqueue_slice(b"abcd").unwrap();
        let mut out = [0u8; 3];
        assert_eq!(ring.dequeue_slice(&mut out), Ok(3));
        assert_eq!(&out, b"abc");
        assert_eq!(ring.enqueue_slice(b"efgh"), Ok(4));
        assert_eq!(ring.to_vec(), b"defgh");
        assert_eq!(ring.window(), 1);
    }

    #[test]
    fn read_allocated_peeks_without_removing() {
        let mut ring = RingBuffer::new(6);
        ring.enqueue_slice(b"abcd").unwrap();
        ring.dequeue_allocated(3);
        ring.enqueue_slice(b"efgh").unwrap();
        let mut out = [0u8; 3];
        // Two bytes after the oldest ("d"): "fgh", across the wrap.
        assert_eq!(ring.read_allocated(2, &mut out), 3);
        assert_eq!(&out, b"fgh");
        assert_eq!(ring.len(), 5);
        assert_eq!(ring.read_allocated(5, &mut out), 0);
    }

    #[test]
    fn dequeue_allocated_frees_space_like_an_ack() {
        let mut ring = RingBuffer::new(4);
        ring.enqueue_slice(b"abcd").unwrap();
        assert_eq!(ring.dequeue_allocated(3), 3);
        assert_eq!(ring.window(), 3);
        assert_eq!(ring.dequeue_allocated(9), 1);
        assert!(ring.is_empty());
    }

    #[test]
    fn set_capacity_keeps_the_bytes_and_never_cuts_them() {
        let mut ring = RingBuffer::new(4);
        ring.enqueue_slice(b"abcd").unwrap();
        ring.dequeue_allocated(2);
        ring.enqueue_slice(b"ef").unwrap();
        assert_eq!(ring.set_capacity(8), 8);
        assert_eq!(ring.to_vec(), b"cdef");
        assert_eq!(
            ring.set_capacity(2),
            4,
            "cannot shrink below the stored bytes"
        );
        assert_eq!(ring.to_vec(), b"cdef");
    }

    #[test]
    fn memory_follows_the_bytes_stored_not_the_capacity() {
        let mut ring = RingBuffer::new(65_536);
        assert_eq!(ring.allocated(), 0);
        ring.enqueue_slice(b"hello").unwrap();
        assert!(ring.allocated() < 1024, "{}", ring.allocated());
        // A copy (a snapshot of the world) holds only the stored bytes.
        assert!(ring.clone().allocated() < 1024);
        ring.dequeue_allocated(5);
        assert_eq!(ring.allocated(), 0);
    }

    #[test]
    fn zero_capacity_is_always_full() {
        let mut ring = RingBuffer::new(0);
        assert_eq!(ring.enqueue_slice(b"a"), Err(Full));
        assert_eq!(ring.window(), 0);
    }
}
