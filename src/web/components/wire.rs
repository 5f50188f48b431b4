//! The wire between the server and one client: segments move along it from
//! the host that sent them to the one that will receive them.

use super::network::ByteMark;
use crate::sim::event::Relative;
use crate::sim::net::wire::InFlight;
use crate::sim::time::decimal;
use crate::sim::{HostId, Instant};
use crate::web::i18n::{self, Lang};
use crate::web::relative::summary;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct WireProps {
    pub lang: Lang,
    pub client: HostId,
    /// The segments on this wire, with their numbers relative.
    pub segments: Vec<(InFlight, Option<Relative>)>,
    /// The display clock, for each segment's position.
    pub clock: Instant,
    pub selected: Option<u64>,
    pub on_select: Callback<Option<u64>>,
    #[prop_or_default]
    pub mark: Option<ByteMark>,
}

/// A short label: the flags, and the payload length if any.
pub fn segment_label(seg: &InFlight) -> String {
    let s = &seg.segment;
    let f = &s.flags;
    let mut parts = Vec::new();
    if f.syn {
        parts.push("SYN");
    }
    if f.fin {
        parts.push("FIN");
    }
    if f.rst {
        parts.push("RST");
    }
    if f.ack && (parts.is_empty() || f.syn || f.fin) && s.payload.is_empty() {
        parts.push("ACK");
    }
    let mut label = parts.join("+");
    if !s.payload.is_empty() {
        if !label.is_empty() {
            label.push(' ');
        }
        label.push_str(&format!("{}B", s.payload.len()));
    }
    if label.is_empty() {
        label = "ACK".into();
    }
    if s.window == 0 && !f.syn && !f.rst {
        label.push_str(" win=0");
    }
    label
}

#[function_component(Wire)]
pub fn wire(props: &WireProps) -> Html {
    let lang = props.lang;
    let segs = props.segments.iter().enumerate().map(|(i, (seg, rel))| {
        // 0 = at the server (left), 1 = at the client (right).
        let p = seg.progress(props.clock);
        let to_client = seg.to == props.client;
        let x = if to_client { p } else { 1.0 - p };
        let id = seg.id;
        let selected = props.selected == Some(id);
        let on_click = {
            let cb = props.on_select.clone();
            Callback::from(move |_| cb.emit(if selected { None } else { Some(id) }))
        };
        let f = &seg.segment.flags;
        let kind = if f.syn {
            "syn"
        } else if f.fin {
            "fin"
        } else if f.rst {
            "rst"
        } else if !seg.segment.payload.is_empty() {
            "data"
        } else {
            "ack"
        };
        let label = segment_label(seg);
        let marked = props.mark.is_some_and(|m| {
            m.to_server == (seg.to == HostId::SERVER) && m.overlap(seg.segment.seq, seg.segment.payload.len()).is_some()
        });
        html! {
            <button class={classes!("segment", kind, if to_client { "rightward" } else { "leftward" }, selected.then_some("selected"), marked.then_some("marked"), seg.lost.then_some("lost"))}
                    style={format!("--x:{}; --dy:{}em",
                                   decimal((x * 10_000.0).round() as u64, 4, 4),
                                   ["-1.1", "0", "1.1"][i % 3])}
                    onclick={on_click}
                    aria-label={format!("{} {}", i18n::SEGMENT.get(lang), summary(&seg.segment, *rel))}
                    title={summary(&seg.segment, *rel)}>
                { if to_client { format!("{label} →") } else { format!("← {label}") } }
            </button>
        }
    });
    html! {
        <div class="wire-lane" role="group" aria-label={i18n::WIRE.get(lang)}>
            <div class="cable"></div>
            { for segs }
        </div>
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sim::net::segment::{Flags, Segment, SeqNumber};
    use crate::sim::Endpoint;
    use std::net::Ipv4Addr;

    fn inflight(flags: Flags, payload: &[u8], window: u16) -> InFlight {
        let e = Endpoint::new(Ipv4Addr::LOCALHOST, 1);
        InFlight {
            id: 0,
            from: HostId(0),
            to: HostId(1),
            sent_at: Instant::ZERO,
            arrives_at: Instant::ZERO,
            segment: Segment {
                src: e,
                dst: e,
                seq: SeqNumber(0),
                ack: SeqNumber(0),
                flags,
                window,
                options: Default::default(),
                write_ends: vec![],
                payload: payload.to_vec(),
            },
            lost: false,
        }
    }

    #[test]
    fn labels_say_what_the_segment_carries() {
        let syn_ack = Flags {
            syn: true,
            ack: true,
            ..Flags::default()
        };
        assert_eq!(segment_label(&inflight(syn_ack, b"", 100)), "SYN+ACK");
        let data = Flags {
            ack: true,
            psh: true,
            ..Flags::default()
        };
        assert_eq!(segment_label(&inflight(data, b"hello", 100)), "5B");
        let ack = Flags {
            ack: true,
            ..Flags::default()
        };
        assert_eq!(segment_label(&inflight(ack, b"", 0)), "ACK win=0");
    }
}
