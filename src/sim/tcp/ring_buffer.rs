//! The kernel's byte buffers: a fixed-capacity ring of bytes.
//!
//! Every TCP socket has two: the *send buffer* (bytes the program handed to
//! `send()` that the peer has not acknowledged yet) and the *receive buffer*
//! (bytes that arrived and the program has not `recv()`ed yet). Their capacity
//! is fixed when the socket is made, which is why `send()` can block and why the
//! receive window can fall to zero.
//!
//! Modelled on smoltcp's `storage::RingBuffer`: the bytes live in one `Vec`,
//! `read_at` is where the oldest byte is, `length` how many are stored; writing
//! wraps around the end of the storage.

use serde::{Deserialize, Serialize};
use std::fmt;

/// Returned by [`RingBuffer::enqueue_slice`] when there is no free space at all.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Full;

/// Returned by [`RingBuffer::dequeue_slice`] when there is nothing stored.
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

/// A ring of bytes with a fixed capacity.
///
/// Invariant: `length <= storage.len()` and `read_at < storage.len()` (or both
/// are 0 when the capacity is 0). The stored bytes, oldest first, are
/// `storage[read_at..]` followed by `storage[..]`, `length` of them in all.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RingBuffer {
    storage: Vec<u8>,
    read_at: usize,
    length: usize,
}

impl RingBuffer {
    /// An empty buffer that can hold `capacity` bytes.
    pub fn new(capacity: usize) -> Self {
        RingBuffer {
            storage: vec![0; capacity],
            read_at: 0,
            length: 0,
        }
    }

    /// How many bytes it can hold in all.
    pub fn capacity(&self) -> usize {
        self.storage.len()
    }

    /// How many bytes it holds now.
    pub fn len(&self) -> usize {
        self.length
    }

    pub fn is_empty(&self) -> bool {
        self.length == 0
    }

    pub fn is_full(&self) -> bool {
        self.length == self.capacity()
    }

    /// Free space in bytes. For a receive buffer this is exactly the window
    /// TCP advertises to the peer: "you may send me this many more bytes".
    pub fn window(&self) -> usize {
        self.capacity() - self.length
    }

    fn write_at(&self) -> usize {
        if self.capacity() == 0 {
            0
        } else {
            (self.read_at + self.length) % self.capacity()
        }
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
        let cap = self.capacity();
        let start = self.write_at();
        // At most two pieces: up to the end of the storage, then from its start.
        let first = n.min(cap - start);
        self.storage[start..start + first].copy_from_slice(&data[..first]);
        self.storage[..n - first].copy_from_slice(&data[first..n]);
        self.length += n;
        Ok(n)
    }

    /// Moves up to `out.len()` of the oldest bytes into `out` and returns how
    /// many. `Err(Empty)` when nothing is stored and `out` is non-empty.
    pub fn dequeue_slice(&mut self, out: &mut [u8]) -> Result<usize, Empty> {
        if out.is_empty() {
            return Ok(0);
        }
        if self.length == 0 {
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
        if offset >= self.length {
            return 0;
        }
        let n = out.len().min(self.length - offset);
        let cap = self.capacity();
        let start = (self.read_at + offset) % cap;
        let first = n.min(cap - start);
        out[..first].copy_from_slice(&self.storage[start..start + first]);
        out[first..n].copy_from_slice(&self.storage[..n - first]);
        n
    }

    /// Forgets the `n` oldest bytes (at most all of them) and returns how many
    /// were forgotten: an ACK freeing send-buffer space.
    pub fn dequeue_allocated(&mut self, n: usize) -> usize {
        let n = n.min(self.length);
        if n > 0 {
            self.read_at = (self.read_at + n) % self.capacity();
            self.length -= n;
        }
        if self.length == 0 {
            // Not needed for correctness; keeps drawings of the storage tidy.
            self.read_at = 0;
        }
        n
    }

    /// The stored bytes, oldest first (for views and tests).
    pub fn to_vec(&self) -> Vec<u8> {
        let mut out = vec![0; self.length];
        self.read_allocated(0, &mut out);
        out
    }

    /// Changes the capacity, keeping the stored bytes. The capacity never goes
    /// below what is stored: returns the capacity actually set.
    pub fn set_capacity(&mut self, capacity: usize) -> usize {
        let capacity = capacity.max(self.length);
        let data = self.to_vec();
        self.storage = vec![0; capacity];
        self.storage[..data.len()].copy_from_slice(&data);
        self.read_at = 0;
        self.length = data.len();
        capacity
    }

    /// The raw storage, for tests that draw the ring.
    #[cfg(test)]
    fn raw(&self) -> &[u8] {
        &self.storage
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
        assert_eq!(ring.raw(), b"abcd");
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
    fn writes_wrap_around_the_end_of_the_storage() {
        let mut ring = RingBuffer::new(6);
        ring.enqueue_slice(b"abcd").unwrap();
        let mut out = [0u8; 3];
        assert_eq!(ring.dequeue_slice(&mut out), Ok(3));
        assert_eq!(&out, b"abc");
        // storage: [a b c d . .], read_at = 3 (only "d" is stored).
        assert_eq!(ring.enqueue_slice(b"efgh"), Ok(4));
        // "ef" went to the end, "gh" wrapped to the start, over old "ab":
        assert_eq!(ring.raw(), b"ghcdef");
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
        assert_eq!(ring.raw(), b"cdef");
    }

    #[test]
    fn zero_capacity_is_always_full() {
        let mut ring = RingBuffer::new(0);
        assert_eq!(ring.enqueue_slice(b"a"), Err(Full));
        assert_eq!(ring.window(), 0);
    }
}
