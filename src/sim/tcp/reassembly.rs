//! Bytes that arrived ahead of a gap: the out-of-order queue.
//!
//! When a segment is lost, the ones after it still arrive. The receiver
//! keeps them (RFC 9293 §3.10.7.4 allows it; Linux does) but `recv()`
//! cannot read them: a byte stream is read in order, so they wait here
//! until the missing bytes come and RCV.NXT can move past them all.
//!
//! Invariant: the parts are sorted by sequence number and do not overlap.

use crate::sim::net::segment::SeqNumber;

/// A run of bytes held out of order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Part {
    pub seq: SeqNumber,
    pub data: Vec<u8>,
    /// The peer's FIN follows these bytes.
    pub fin: bool,
    /// Where the peer's `send()` calls ended inside them (sequence numbers).
    pub write_ends: Vec<SeqNumber>,
}

impl Part {
    pub fn end(&self) -> SeqNumber {
        self.seq + self.data.len()
    }
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Reassembly {
    parts: Vec<Part>,
    /// The part that arrived last (its start), for the first SACK block.
    latest: Option<SeqNumber>,
}

impl Reassembly {
    pub fn is_empty(&self) -> bool {
        self.parts.is_empty()
    }

    /// Bytes held.
    pub fn len(&self) -> usize {
        self.parts.iter().map(|p| p.data.len()).sum()
    }

    /// Holds `part`, less any bytes already held.
    pub fn insert(&mut self, mut part: Part) {
        for held in &self.parts {
            // Cut what overlaps an earlier-held part (the first copy wins).
            if held.seq <= part.seq && part.seq < held.end() {
                let skip = (held.end() - part.seq).min(part.data.len());
                part.data.drain(..skip);
                part.seq = part.seq + skip;
            }
            if part.seq < held.seq && held.seq < part.end() {
                let keep = held.seq - part.seq;
                part.data.truncate(keep);
                part.fin = false;
            }
        }
        if part.data.is_empty() && !part.fin {
            return;
        }
        let (start, end) = (part.seq, part.end());
        part.write_ends.retain(|e| *e > start && *e <= end);
        self.latest = Some(start);
        let at = self.parts.partition_point(|p| p.seq < start);
        self.parts.insert(at, part);
    }

    /// The part that continues the stream at `rcv_nxt`, with bytes before
    /// `rcv_nxt` cut off. Parts that lie wholly before it are discarded.
    pub fn take_next(&mut self, rcv_nxt: SeqNumber) -> Option<Part> {
        while let Some(first) = self.parts.first() {
            if first.end() <= rcv_nxt && !(first.fin && first.end() == rcv_nxt) {
                self.parts.remove(0);
                continue;
            }
            if first.seq > rcv_nxt {
                return None;
            }
            let mut p = self.parts.remove(0);
            let skip = rcv_nxt - p.seq;
            p.data.drain(..skip);
            p.seq = rcv_nxt;
            return Some(p);
        }
        None
    }

    /// SACK blocks (RFC 2018): the held ranges, merged where they touch,
    /// the most recently changed first, at most `max`.
    pub fn sack_blocks(&self, max: usize) -> Vec<(SeqNumber, SeqNumber)> {
        let mut blocks: Vec<(SeqNumber, SeqNumber)> = vec![];
        for p in &self.parts {
            match blocks.last_mut() {
                Some(last) if last.1 == p.seq => last.1 = p.end(),
                _ => blocks.push((p.seq, p.end())),
            }
        }
        if let Some(latest) = self.latest {
            if let Some(i) = blocks.iter().position(|b| b.0 <= latest && latest < b.1) {
                let b = blocks.remove(i);
                blocks.insert(0, b);
            }
        }
        blocks.truncate(max);
        blocks
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn part(seq: u32, data: &[u8]) -> Part {
        Part {
            seq: SeqNumber(seq),
            data: data.to_vec(),
            fin: false,
            write_ends: vec![],
        }
    }

    #[test]
    fn held_bytes_come_out_in_order_once_the_gap_is_filled() {
        let mut r = Reassembly::default();
        r.insert(part(20, b"klmno"));
        r.insert(part(10, b"fghij"));
        assert_eq!(r.len(), 10);
        assert_eq!(r.take_next(SeqNumber(5)), None, "bytes 5..10 are missing");
        let first = r.take_next(SeqNumber(10)).unwrap();
        assert_eq!(first.data, b"fghij");
        let second = r.take_next(SeqNumber(15));
        assert_eq!(second, None, "15..20 still missing");
        assert_eq!(r.take_next(SeqNumber(22)).unwrap().data, b"mno");
        assert!(r.is_empty());
    }

    #[test]
    fn overlaps_are_held_once_and_sack_blocks_merge_and_lead_with_the_latest() {
        let mut r = Reassembly::default();
        r.insert(part(100, b"abcd"));
        r.insert(part(102, b"cdef")); // overlaps: only "ef" is new
        assert_eq!(r.len(), 6);
        r.insert(part(200, b"xy"));
        assert_eq!(
            r.sack_blocks(3),
            vec![
                (SeqNumber(200), SeqNumber(202)),
                (SeqNumber(100), SeqNumber(106))
            ]
        );
        r.insert(part(98, b"..ab"));
        assert_eq!(r.len(), 10, "only the two bytes before 100 are new");
        assert_eq!(r.sack_blocks(1), vec![(SeqNumber(98), SeqNumber(106))]);
    }
}
