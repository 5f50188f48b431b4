//! TCP segments as they cross the wire, with real header fields.

use serde::{Deserialize, Serialize};
use std::fmt;
use std::net::Ipv4Addr;
use std::ops::{Add, Sub};

/// A TCP sequence number: 32 bits that wrap around.
///
/// Comparison is "modulo 2^32" as RFC 9293 §3.4 asks: `a < b` when `b` is less
/// than 2^31 ahead of `a`. So a connection keeps working when its numbers wrap
/// from 4294967295 to 0.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(transparent)]
pub struct SeqNumber(pub u32);

impl SeqNumber {
    /// How far `self` is ahead of `earlier`, in bytes (negative if behind).
    pub fn distance_from(self, earlier: SeqNumber) -> i64 {
        (self.0.wrapping_sub(earlier.0) as i32) as i64
    }
}

impl Add<usize> for SeqNumber {
    type Output = SeqNumber;
    fn add(self, n: usize) -> SeqNumber {
        SeqNumber(self.0.wrapping_add(n as u32))
    }
}

impl Sub for SeqNumber {
    type Output = usize;
    /// Bytes from `rhs` to `self`. Panics in debug if `rhs` is ahead: callers
    /// subtract only numbers they know are ordered (an invariant bug otherwise).
    fn sub(self, rhs: SeqNumber) -> usize {
        let d = self.distance_from(rhs);
        debug_assert!(d >= 0, "sequence number {} is behind {}", self.0, rhs.0);
        d.max(0) as usize
    }
}

impl PartialOrd for SeqNumber {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}
impl Ord for SeqNumber {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        self.distance_from(*other).cmp(&0)
    }
}

impl fmt::Display for SeqNumber {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.0)
    }
}

/// An IPv4 address and a port: one end of a connection.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct Endpoint {
    pub ip: Ipv4Addr,
    pub port: u16,
}

impl Endpoint {
    pub fn new(ip: Ipv4Addr, port: u16) -> Self {
        Endpoint { ip, port }
    }
    /// The address as Python prints the tuple: `('10.0.0.2', 50001)`.
    pub fn python(&self) -> String {
        crate::pyrepr::python_addr(self.ip, self.port)
    }
}

impl fmt::Display for Endpoint {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}", self.ip, self.port)
    }
}

/// The TCP control bits this model uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Flags {
    pub syn: bool,
    pub ack: bool,
    pub fin: bool,
    pub rst: bool,
    pub psh: bool,
}

impl fmt::Display for Flags {
    /// Like tcpdump/Wireshark: `[SYN, ACK]`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut names = Vec::new();
        for (on, name) in [
            (self.syn, "SYN"),
            (self.fin, "FIN"),
            (self.rst, "RST"),
            (self.psh, "PSH"),
            (self.ack, "ACK"),
        ] {
            if on {
                names.push(name);
            }
        }
        write!(f, "[{}]", names.join(", "))
    }
}

/// One TCP segment: the header fields a capture shows, and the payload.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Segment {
    pub src: Endpoint,
    pub dst: Endpoint,
    /// Sequence number of the first byte of payload (or of the SYN/FIN).
    pub seq: SeqNumber,
    /// The next sequence number the sender expects (valid when `flags.ack`).
    pub ack: SeqNumber,
    pub flags: Flags,
    /// The sender's receive window: free space in its receive buffer.
    pub window: u16,
    /// The MSS option, sent only on SYN and SYN-ACK.
    pub mss: Option<u16>,
    pub payload: Vec<u8>,
}

impl Segment {
    /// How much sequence space it occupies: payload bytes, plus one each for
    /// SYN and FIN (they are acknowledged like a byte would be).
    pub fn seq_len(&self) -> usize {
        self.payload.len() + self.flags.syn as usize + self.flags.fin as usize
    }

    /// A one-line summary in the style of a capture tool.
    pub fn summary(&self) -> String {
        let mut s = format!(
            "{} → {} {} seq={} ack={} win={} len={}",
            self.src.port,
            self.dst.port,
            self.flags,
            self.seq.0,
            if self.flags.ack { self.ack.0 } else { 0 },
            self.window,
            self.payload.len()
        );
        if let Some(mss) = self.mss {
            s.push_str(&format!(" MSS={mss}"));
        }
        s
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sequence_numbers_compare_across_the_wrap() {
        let near_end = SeqNumber(u32::MAX - 1);
        let wrapped = near_end + 4;
        assert_eq!(wrapped, SeqNumber(2));
        assert!(near_end < wrapped, "2 comes after 4294967294 modulo 2^32");
        assert_eq!(wrapped - near_end, 4);
        assert_eq!(near_end.distance_from(wrapped), -4);
    }

    #[test]
    fn syn_and_fin_each_take_one_sequence_number() {
        let ep = Endpoint::new(Ipv4Addr::new(10, 0, 0, 1), 80);
        let mut seg = Segment {
            src: ep,
            dst: ep,
            seq: SeqNumber(0),
            ack: SeqNumber(0),
            flags: Flags {
                syn: true,
                ..Flags::default()
            },
            window: 0,
            mss: None,
            payload: vec![],
        };
        assert_eq!(seg.seq_len(), 1);
        seg.flags = Flags {
            fin: true,
            ack: true,
            ..Flags::default()
        };
        seg.payload = b"hi".to_vec();
        assert_eq!(seg.seq_len(), 3);
        assert_eq!(seg.flags.to_string(), "[FIN, ACK]");
    }
}
