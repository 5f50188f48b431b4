//! The simulated wire as a pcap file that Wireshark and tshark open.
//!
//! The capture point is the sender's side of the wire: each segment is
//! written once, when it is sent, before the network may lose it, so a lost
//! segment and its retransmission are both in the file (as Wireshark's
//! retransmission analysis expects). Each has a real IPv4 header and
//! a real TCP header (checksums computed by `etherparse`), timestamped with
//! simulated time. The link type is raw IPv4 (`LINKTYPE_RAW`), so there are
//! no invented MAC addresses.

use super::segment::{Segment, TcpOptions};
use crate::sim::event::{Event, EventKind};
use etherparse::{PacketBuilder, TcpOptionElement};
use pcap_file::pcap::{PcapHeader, PcapPacket, PcapWriter};
use pcap_file::{DataLink, Endianness, TsResolution};

/// IPv4 + TCP bytes of one segment, its window field as is.
pub fn packet_bytes(seg: &Segment) -> Vec<u8> {
    packet_bytes_scaled(seg, 0)
}

/// IPv4 + TCP bytes of one segment whose sender announced window scale
/// `shift`: the window field carries the window in units of `1 << shift`
/// (RFC 7323; a SYN's window is never scaled).
fn packet_bytes_scaled(seg: &Segment, shift: u8) -> Vec<u8> {
    let field = if seg.flags.syn {
        seg.window
    } else {
        seg.window >> shift
    };
    let mut b = PacketBuilder::ipv4(seg.src.ip.octets(), seg.dst.ip.octets(), 64).tcp(
        seg.src.port,
        seg.dst.port,
        seg.seq.0,
        field,
    );
    if seg.flags.syn {
        b = b.syn();
    }
    if seg.flags.ack {
        b = b.ack(seg.ack.0);
    }
    if seg.flags.fin {
        b = b.fin();
    }
    if seg.flags.rst {
        b = b.rst();
    }
    if seg.flags.psh {
        b = b.psh();
    }
    let options = option_elements(&seg.options);
    if !options.is_empty() {
        b = b
            .options(&options)
            // (Not `expect`: that would link the error's Debug into the wasm.)
            .unwrap_or_else(|_| unreachable!("at most 40 bytes of options"));
    }
    let mut out = Vec::with_capacity(b.size(seg.payload.len()));
    b.write(&mut out, &seg.payload)
        .unwrap_or_else(|_| unreachable!("writing to a Vec cannot fail"));
    out
}

/// The options in the order and alignment of Linux's `tcp_options_write`:
/// MSS; SACK-permitted and timestamps together (or timestamps after two
/// NOPs, or SACK-permitted after two NOPs); a NOP and the window scale.
/// A SYN is then `MSS, SACK_PERM, TS, NOP, WS` (20 bytes), a later segment
/// `NOP, NOP, TS` (12 bytes).
fn option_elements(o: &TcpOptions) -> Vec<TcpOptionElement> {
    use TcpOptionElement::*;
    let mut v = Vec::with_capacity(6);
    if let Some(mss) = o.mss {
        v.push(MaximumSegmentSize(mss));
    }
    match (o.sack_permitted, o.timestamps) {
        (true, Some(ts)) => {
            v.extend([SelectiveAcknowledgementPermitted, Timestamp(ts.val, ts.ecr)])
        }
        (false, Some(ts)) => v.extend([Noop, Noop, Timestamp(ts.val, ts.ecr)]),
        (true, None) => v.extend([Noop, Noop, SelectiveAcknowledgementPermitted]),
        (false, None) => {}
    }
    if let Some(shift) = o.window_scale {
        v.extend([Noop, WindowScale(shift)]);
    }
    let mut blocks = o.sack.iter().flatten().map(|(l, r)| (l.0, r.0));
    if let Some(first) = blocks.next() {
        let mut rest = [None; 3];
        for (slot, b) in rest.iter_mut().zip(blocks) {
            *slot = Some(b);
        }
        v.extend([Noop, Noop, SelectiveAcknowledgement(first, rest)]);
    }
    v
}

/// Writes every `SegmentSent` event of a log as a pcap file.
pub fn write_pcap(events: &[Event]) -> Vec<u8> {
    let header = PcapHeader {
        version_major: 2,
        version_minor: 4,
        ts_correction: 0,
        ts_accuracy: 0,
        snaplen: 65535,
        datalink: DataLink::RAW,
        ts_resolution: TsResolution::MicroSecond,
        endianness: Endianness::Little,
    };
    let mut writer = PcapWriter::with_header(Vec::new(), header)
        .unwrap_or_else(|_| unreachable!("writing to a Vec cannot fail"));
    // The window scale each endpoint announced in its SYN: it applies
    // once both sides of the connection announced one.
    let mut shifts: std::collections::HashMap<_, u8> = std::collections::HashMap::new();
    for e in events {
        if let EventKind::SegmentSent { segment, .. } = &e.kind {
            if segment.flags.syn {
                if let Some(shift) = segment.options.window_scale {
                    shifts.insert(segment.src, shift);
                }
            }
            let shift = match (shifts.get(&segment.src), shifts.get(&segment.dst)) {
                (Some(&mine), Some(_)) => mine,
                _ => 0,
            };
            let data = packet_bytes_scaled(segment, shift);
            let ts = std::time::Duration::from_micros(e.at.total_micros());
            writer
                .write_packet(&PcapPacket::new(ts, data.len() as u32, &data))
                .unwrap_or_else(|_| unreachable!("writing to a Vec cannot fail"));
        }
    }
    writer.into_writer()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sim::net::segment::{Endpoint, Flags, SeqNumber, Timestamps};
    use etherparse::SlicedPacket;
    use std::net::Ipv4Addr;

    #[test]
    fn a_syn_has_valid_checksums_and_linux_s_options() {
        let seg = Segment {
            src: Endpoint::new(Ipv4Addr::new(10, 0, 0, 2), 40000),
            dst: Endpoint::new(Ipv4Addr::new(10, 0, 0, 1), 8080),
            seq: SeqNumber(123456),
            ack: SeqNumber(0),
            flags: Flags {
                syn: true,
                ..Flags::default()
            },
            window: 2048,
            options: TcpOptions {
                mss: Some(1460),
                sack_permitted: true,
                timestamps: Some(Timestamps { val: 7, ecr: 0 }),
                window_scale: Some(0),
                sack: [None; 4],
            },
            payload: vec![],
            write_ends: vec![],
        };
        let bytes = packet_bytes(&seg);
        let p = SlicedPacket::from_ip(&bytes).unwrap();
        let Some(etherparse::TransportSlice::Tcp(tcp)) = p.transport else {
            panic!("not tcp")
        };
        assert!(tcp.syn() && !tcp.ack());
        assert_eq!(
            (
                tcp.sequence_number(),
                tcp.window_size(),
                tcp.destination_port()
            ),
            (123456, 2048, 8080)
        );
        let opts: Vec<_> = tcp.options_iterator().collect();
        use TcpOptionElement::*;
        assert_eq!(
            opts,
            vec![
                Ok(MaximumSegmentSize(1460)),
                Ok(SelectiveAcknowledgementPermitted),
                Ok(Timestamp(7, 0)),
                Ok(Noop),
                Ok(WindowScale(0))
            ]
        );
        assert_eq!(
            tcp.slice().len() - tcp.payload().len(),
            20 + seg.options.wire_len(),
            "a Linux SYN's header is 40 bytes"
        );
        assert_eq!(seg.options.wire_len(), 20);
        let Some(etherparse::NetSlice::Ipv4(ip)) = p.net else {
            panic!("not ipv4")
        };
        let expect = tcp
            .to_header()
            .calc_checksum_ipv4(&ip.header().to_header(), tcp.payload())
            .unwrap();
        assert_eq!(tcp.checksum(), expect);
    }

    #[test]
    fn the_file_starts_with_a_raw_ip_pcap_header() {
        let bytes = write_pcap(&[]);
        assert_eq!(
            &bytes[..4],
            &[0xd4, 0xc3, 0xb2, 0xa1],
            "little-endian microsecond magic"
        );
        assert_eq!(
            u32::from_le_bytes(bytes[20..24].try_into().unwrap()),
            101,
            "LINKTYPE_RAW"
        );
    }
}
