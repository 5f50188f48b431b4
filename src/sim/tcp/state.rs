//! The connection states of RFC 9293, and TCP's knobs.

use crate::sim::time::Duration;
use serde::{Deserialize, Serialize};
use std::fmt;

/// Linux's smallest receive and send buffers (SO_RCVBUF / SO_SNDBUF of 1
/// read back on Linux 6.x): a lesson's smaller buffer is a teaching-sized
/// value, and the narration and the screen say so.
pub const LINUX_MIN_RCVBUF: usize = 2304;
pub const LINUX_MIN_SNDBUF: usize = 4608;
/// The MSS Linux announces on an Ethernet-sized link (MTU 1500).
pub const LINUX_ETHERNET_MSS: u16 = 1460;

/// The connection states, named as RFC 9293 names them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING-KEBAB-CASE")]
pub enum State {
    Closed,
    Listen,
    SynSent,
    SynReceived,
    Established,
    FinWait1,
    FinWait2,
    CloseWait,
    Closing,
    LastAck,
    TimeWait,
}

impl fmt::Display for State {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            State::Closed => "CLOSED",
            State::Listen => "LISTEN",
            State::SynSent => "SYN-SENT",
            State::SynReceived => "SYN-RECEIVED",
            State::Established => "ESTABLISHED",
            State::FinWait1 => "FIN-WAIT-1",
            State::FinWait2 => "FIN-WAIT-2",
            State::CloseWait => "CLOSE-WAIT",
            State::Closing => "CLOSING",
            State::LastAck => "LAST-ACK",
            State::TimeWait => "TIME-WAIT",
        })
    }
}

impl State {
    /// Synchronized: the handshake is done and the connection is not over
    /// (RFC 9293's "synchronized states").
    pub fn is_synchronized(self) -> bool {
        !matches!(
            self,
            State::Closed | State::Listen | State::SynSent | State::SynReceived
        )
    }
}

/// TCP's knobs. The lessons use small values so that effects are visible.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TcpConfig {
    /// Maximum segment size this host announces in its SYN: 1460 on an
    /// Ethernet-sized link (MTU 1500, less 40 bytes of IP and TCP headers),
    /// as Linux derives it.
    pub mss: u16,
    /// First SYN (and SYN-ACK) retransmission timeout: 1 s.
    pub syn_rto: Duration,
    /// SYN retransmissions before `connect()` fails with `TimeoutError`
    /// (`net.ipv4.tcp_syn_retries`, 6 on Linux), not counting the linear
    /// ones below.
    pub syn_retries: u8,
    /// The first this many SYN retransmissions wait `syn_rto` again
    /// instead of doubling it, and come on top of `syn_retries`
    /// (`net.ipv4.tcp_syn_linear_timeouts`, 4 since Linux 6.5): a SYN goes
    /// at 0, 1, 2, 3, 4, 5, 7, 11, 19, 35 and 67 s, and `connect()` gives
    /// up at 131 s. The SYN-ACK's timeout always doubles.
    pub syn_linear_timeouts: u8,
    /// SYN-ACK retransmissions before the half-open connection is dropped
    /// (`net.ipv4.tcp_synack_retries`, 5).
    pub synack_retries: u8,
    /// Retransmission timeouts in a row before the connection is given up
    /// and the program's next call raises `TimeoutError`
    /// (`net.ipv4.tcp_retries2`, 15: about 15 minutes on Linux).
    pub retries: u8,
    /// The initial congestion window, in segments (10 on Linux, RFC 6928).
    pub initial_cwnd: u32,
    /// The shortest first persist interval (`TCP_RTO_MIN`): the persist
    /// timer first waits the retransmission timeout, at least this long
    /// (Linux's `tcp_probe0_base`); each zero-window probe doubles the
    /// wait, up to `persist_max`.
    pub persist_first: Duration,
    /// The longest persist interval (`TCP_RTO_MAX`, 120 s).
    pub persist_max: Duration,
    /// How long TIME-WAIT lasts: Linux holds it a fixed 60 s (TCP_TIMEWAIT_LEN).
    pub time_wait: Duration,
    /// Offer RFC 7323 timestamps in the SYN (Linux's `net.ipv4.tcp_timestamps`,
    /// on by default). Once both sides offered them, every segment carries
    /// 12 bytes of timestamps, so a full segment holds MSS − 12 bytes.
    pub timestamps: bool,
    /// Offer SACK in the SYN (`net.ipv4.tcp_sack`, on by default).
    pub sack: bool,
    /// Answer a SYN that finds the SYN queue full with a SYN cookie
    /// instead of dropping it (`net.ipv4.tcp_syncookies`, 1 by default):
    /// see [`super::cookie`]. A SYN that finds the accept queue full is
    /// dropped either way.
    pub syncookies: bool,
    /// Count the receive buffer as Linux does, in memory rather than bytes
    /// (see [`super::rmem`]): `SO_RCVBUF` is memory, each arriving packet
    /// costs its buffer's `truesize`, the window is what the free memory
    /// holds, and windows are multiples of 128 bytes (window scale 7). Off
    /// in the lessons, whose teaching-sized buffers count bytes; on where
    /// the simulation is compared with Linux at Linux's buffer sizes.
    #[serde(default)]
    pub linux_rmem: bool,
}

impl Default for TcpConfig {
    fn default() -> Self {
        TcpConfig {
            mss: LINUX_ETHERNET_MSS,
            syn_rto: Duration::from_secs(1),
            syn_retries: 6,
            syn_linear_timeouts: 4,
            synack_retries: 5,
            retries: 15,
            initial_cwnd: super::congestion::INITIAL_CWND,
            persist_first: Duration::from_millis(200),
            persist_max: Duration::from_secs(120),
            time_wait: Duration::from_secs(60),
            timestamps: true,
            sack: true,
            syncookies: true,
            linux_rmem: false,
        }
    }
}
