//! SYN cookies (Linux's `net/ipv4/syncookies.c`, on by default:
//! `net.ipv4.tcp_syncookies = 1`).
//!
//! When a listening socket's SYN queue is full (more half-open connections
//! than the backlog), Linux does not drop the next SYN: it answers with a
//! SYN-ACK whose initial sequence number is a *cookie*, a keyed hash of
//! the connection's addresses and ports and the client's sequence number,
//! with the client's MSS (as an index into a table of four values) and,
//! when timestamps are on, its SACK and window-scale options folded in,
//! and it keeps nothing. If the client's ACK comes back acknowledging
//! cookie + 1, the kernel recomputes the cookie, finds it valid, and only
//! then creates the connection, straight into the accept queue (if it has
//! room: otherwise the ACK is dropped, and the client, which believes it is
//! connected, will retransmit its data until one of them fits).
//!
//! Linux hides the options in the SYN-ACK's timestamp; this model keeps
//! them in the low bits of the cookie itself, which changes numbers but
//! nothing on the wire a learner would look at. A cookie is valid during
//! the minute it was made and the next one, as Linux's
//! (`MAX_SYNCOOKIE_AGE`), and only while the listener has sent a cookie in
//! the last two minutes (`tcp_synq_no_recent_overflow`).

use crate::sim::net::segment::{Endpoint, Segment, SeqNumber, TcpOptions};
use crate::sim::time::{Duration, Instant};

/// Linux's `msstab`: the client MSS values a cookie can remember (the
/// largest not above the client's is kept; 536 for anything smaller).
pub const MSS_TABLE: [u16; 4] = [536, 1300, 1440, 1460];

/// Cookies count time in minutes (`TCP_SYNCOOKIE_PERIOD`).
pub const PERIOD: Duration = Duration::from_secs(60);

/// A listener that sent a cookie this long ago still checks ACKs for one
/// (`TCP_SYNCOOKIE_VALID`).
pub const VALID: Duration = Duration::from_secs(120);

/// Bits of the cookie that hold the options: MSS index (2), SACK (1),
/// window scale (4, 15 for none).
const OPTION_BITS: u32 = 7;
const OPTION_MASK: u32 = (1 << OPTION_BITS) - 1;
const NO_WSCALE: u32 = 15;

/// splitmix64's finalizer: the keyed hash.
fn mix(mut x: u64) -> u64 {
    x = (x ^ (x >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    x = (x ^ (x >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    x ^ (x >> 31)
}

fn hash(secret: u64, local: Endpoint, remote: Endpoint, isn: SeqNumber, minute: u64) -> u32 {
    let addrs = (u64::from(u32::from(local.ip)) << 32) | u64::from(u32::from(remote.ip));
    let ports = (u64::from(local.port) << 48) | (u64::from(remote.port) << 32) | u64::from(isn.0);
    let h = mix(secret ^ mix(addrs) ^ mix(ports.wrapping_add(minute.wrapping_mul(0x9e37_79b9))));
    (h >> 32) as u32
}

fn minute(now: Instant) -> u64 {
    now.0 / PERIOD.total_micros()
}

/// The options a cookie answers a SYN with: the SYN's, but without SACK
/// and window scaling when it carries no timestamps (Linux has nowhere to
/// keep them then).
pub fn answerable(syn: &TcpOptions) -> TcpOptions {
    let mut o = *syn;
    if o.timestamps.is_none() {
        o.sack_permitted = false;
        o.window_scale = None;
    }
    o
}

/// The cookie for a SYN from `remote` to `local`, made at `now`: the
/// initial sequence number of the SYN-ACK.
pub fn make(
    secret: u64,
    local: Endpoint,
    remote: Endpoint,
    syn: &Segment,
    now: Instant,
) -> SeqNumber {
    let o = answerable(&syn.options);
    let mss = o.mss.unwrap_or(MSS_TABLE[0]);
    let index = MSS_TABLE.iter().rposition(|m| *m <= mss).unwrap_or(0) as u32;
    let wscale = o.window_scale.map_or(NO_WSCALE, |w| u32::from(w.min(14)));
    let code = index | (u32::from(o.sack_permitted) << 2) | (wscale << 3);
    let h = hash(secret, local, remote, syn.seq, minute(now));
    SeqNumber((h & !OPTION_MASK) | code)
}

/// If `seg` (an ACK, maybe with data) acknowledges a cookie made for this
/// connection in this minute or the last, the options of the SYN it
/// answered, as far as the cookie remembers them: the SYN to rebuild the
/// connection from has sequence number `seg.seq - 1` and these options.
pub fn check(
    secret: u64,
    local: Endpoint,
    remote: Endpoint,
    seg: &Segment,
    now: Instant,
) -> Option<TcpOptions> {
    let cookie = seg.ack.0.wrapping_sub(1);
    let isn = SeqNumber(seg.seq.0.wrapping_sub(1));
    let now_minute = minute(now);
    let fresh = [now_minute, now_minute.wrapping_sub(1)]
        .into_iter()
        .any(|m| hash(secret, local, remote, isn, m) & !OPTION_MASK == cookie & !OPTION_MASK);
    if !fresh {
        return None;
    }
    let code = cookie & OPTION_MASK;
    let wscale = (code >> 3) & 15;
    let mut options = TcpOptions {
        mss: Some(MSS_TABLE[(code & 3) as usize]),
        sack_permitted: code & 4 != 0,
        window_scale: (wscale != NO_WSCALE).then_some(wscale as u8),
        timestamps: seg.options.timestamps,
        ..TcpOptions::default()
    };
    if let Some(ts) = options.timestamps.as_mut() {
        // What the client's SYN said: its clock, and nothing to echo yet.
        ts.ecr = 0;
    } else {
        // Without timestamps Linux remembers neither (and offered neither).
        options.sack_permitted = false;
        options.window_scale = None;
    }
    Some(options)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sim::net::segment::{Flags, Timestamps};
    use std::net::Ipv4Addr;

    fn ends() -> (Endpoint, Endpoint) {
        (
            Endpoint::new(Ipv4Addr::new(10, 0, 0, 1), 8080),
            Endpoint::new(Ipv4Addr::new(10, 0, 0, 2), 32770),
        )
    }

    fn syn(mss: u16, ts: bool) -> Segment {
        let (server, client) = ends();
        Segment {
            src: client,
            dst: server,
            seq: SeqNumber(1000),
            ack: SeqNumber(0),
            flags: Flags {
                syn: true,
                ..Flags::default()
            },
            window: 65535,
            options: TcpOptions {
                mss: Some(mss),
                sack_permitted: true,
                window_scale: Some(0),
                timestamps: ts.then_some(Timestamps { val: 7, ecr: 0 }),
                ..TcpOptions::default()
            },
            payload: vec![],
            write_ends: vec![],
        }
    }

    /// The client's answer to a SYN-ACK with initial sequence number `iss`.
    fn ack_of(syn: &Segment, iss: SeqNumber, ts: bool) -> Segment {
        Segment {
            src: syn.src,
            dst: syn.dst,
            seq: syn.seq + 1,
            ack: iss + 1,
            flags: Flags {
                ack: true,
                ..Flags::default()
            },
            window: 65535,
            options: TcpOptions {
                timestamps: ts.then_some(Timestamps { val: 9, ecr: 3 }),
                ..TcpOptions::default()
            },
            payload: b"hi".to_vec(),
            write_ends: vec![],
        }
    }

    #[test]
    fn a_cookie_checks_out_for_its_connection_only_and_remembers_the_options() {
        let (server, client) = ends();
        let t = Instant::from_millis(5);
        let s = syn(1460, true);
        let cookie = make(42, server, client, &s, t);
        let o = check(42, server, client, &ack_of(&s, cookie, true), t).expect("valid");
        assert_eq!(o.mss, Some(1460));
        assert!(o.sack_permitted);
        assert_eq!(o.window_scale, Some(0));
        assert_eq!(o.timestamps, Some(Timestamps { val: 9, ecr: 0 }));
        // Another secret, another port, or a forged number: no.
        assert!(check(43, server, client, &ack_of(&s, cookie, true), t).is_none());
        let other = Endpoint::new(client.ip, client.port + 2);
        assert!(check(42, server, other, &ack_of(&s, cookie, true), t).is_none());
        assert!(check(42, server, client, &ack_of(&s, cookie + 1000, true), t).is_none());
    }

    #[test]
    fn the_mss_is_rounded_down_to_the_table_and_options_need_timestamps() {
        let (server, client) = ends();
        let t = Instant::ZERO;
        for (mss, kept) in [(1460, 1460), (1400, 1300), (1000, 536), (100, 536)] {
            let s = syn(mss, false);
            let cookie = make(1, server, client, &s, t);
            let o = check(1, server, client, &ack_of(&s, cookie, false), t).unwrap();
            assert_eq!(o.mss, Some(kept));
            assert!(!o.sack_permitted && o.window_scale.is_none() && o.timestamps.is_none());
        }
    }

    #[test]
    fn a_cookie_lasts_into_the_next_minute_and_no_further() {
        let (server, client) = ends();
        let s = syn(1460, true);
        let made = Instant::from_millis(59_000);
        let cookie = make(5, server, client, &s, made);
        let ack = ack_of(&s, cookie, true);
        assert!(check(5, server, client, &ack, Instant::from_millis(119_000)).is_some());
        assert!(check(5, server, client, &ack, Instant::from_millis(120_500)).is_none());
    }
}
