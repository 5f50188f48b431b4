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
    /// (The window-scale shift both sides agree on is 0 in this model, so
    /// the field is the window in bytes.)
    pub window: u16,
    /// The options in the header: see [`TcpOptions`].
    pub options: TcpOptions,
    pub payload: Vec<u8>,
    /// Not a header field: where in the payload a `send()` call of the
    /// sender ended (offsets 1..=len). TCP keeps no such boundaries; the
    /// simulation carries them beside the bytes only so that `recv()`'s
    /// narration can show one send split or several merged.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub write_ends: Vec<u32>,
}

/// The TCP options Linux puts in a header.
///
/// A SYN offers four: the MSS (the largest payload this side will take),
/// SACK-permitted (RFC 2018), timestamps (RFC 7323) and window scale
/// (RFC 7323). The SYN-ACK repeats those the SYN offered. After the
/// handshake only the timestamps remain, on every segment, if both sides
/// offered them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct TcpOptions {
    /// MSS: SYN and SYN-ACK only.
    pub mss: Option<u16>,
    /// SACK-permitted: SYN and SYN-ACK only.
    pub sack_permitted: bool,
    /// Timestamps: TSval (the sender's clock) and TSecr (the latest TSval it
    /// received, echoed back; 0 on the first SYN).
    pub timestamps: Option<Timestamps>,
    /// Window scale: the shift count (SYN and SYN-ACK only). Wireshark shows
    /// it as the multiplier, `WS=2^shift`.
    pub window_scale: Option<u8>,
    /// SACK blocks (RFC 2018): ranges held beyond a gap, [left, right),
    /// the most recent first; on ACKs while the receiver holds bytes out of
    /// order.
    #[serde(default, skip_serializing_if = "no_blocks")]
    pub sack: [Option<(SeqNumber, SeqNumber)>; 4],
}

fn no_blocks(b: &[Option<(SeqNumber, SeqNumber)>; 4]) -> bool {
    b.iter().all(Option::is_none)
}

/// The timestamps option (RFC 7323 §3).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Timestamps {
    /// TSval: the sender's timestamp clock (milliseconds on Linux).
    pub val: u32,
    /// TSecr: the TSval of the latest segment received, echoed back.
    pub ecr: u32,
}

impl TcpOptions {
    /// Bytes the options take in the header, laid out as Linux lays them
    /// out (`tcp_options_write`: MSS 4; SACK-permitted and timestamps
    /// sharing 12 bytes, or 12 for timestamps alone, or 4 for SACK-permitted
    /// alone; window scale 4 with its NOP).
    pub fn wire_len(&self) -> usize {
        let mut n = 0;
        if self.mss.is_some() {
            n += 4;
        }
        if self.timestamps.is_some() || self.sack_permitted {
            n += if self.timestamps.is_some() { 12 } else { 4 };
        }
        if self.window_scale.is_some() {
            n += 4;
        }
        let blocks = self.sack.iter().flatten().count();
        if blocks > 0 {
            n += 4 + 8 * blocks;
        }
        n
    }
}

impl fmt::Display for TcpOptions {
    /// As Wireshark's info column shows them: `MSS=1460 SACK_PERM
    /// TSval=… TSecr=0 WS=1`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut parts = Vec::new();
        if let Some(mss) = self.mss {
            parts.push(format!("MSS={mss}"));
        }
        if self.sack_permitted {
            parts.push("SACK_PERM".to_string());
        }
        if let Some(ts) = self.timestamps {
            parts.push(format!("TSval={} TSecr={}", ts.val, ts.ecr));
        }
        if let Some(shift) = self.window_scale {
            parts.push(format!("WS={}", 1u32 << shift.min(14)));
        }
        for (l, r) in self.sack.iter().flatten() {
            parts.push(format!("SLE={l} SRE={r}"));
        }
        f.write_str(&parts.join(" "))
    }
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
        let options = self.options.to_string();
        if !options.is_empty() {
            s.push(' ');
            s.push_str(&options);
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
            options: TcpOptions::default(),
            payload: vec![],
            write_ends: vec![],
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
