//! The network layer: what crosses the wire between hosts.
//!
//! - [`segment`]: TCP segments with real header fields, endpoints, and
//!   wrapping sequence numbers.
//! - [`wire`]: the [`Network`] that carries segments with a latency (and
//!   the seam where loss will plug in).
//! - [`pcap`]: the wire as a pcap file that Wireshark and tshark read.

pub mod pcap;
pub mod segment;
pub mod wire;

pub use segment::{Endpoint, Flags, Segment, SeqNumber};
pub use wire::{InFlight, Loss, Network};
