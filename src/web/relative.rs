//! Sequence numbers as Wireshark shows them: relative to the first sequence
//! number of their direction (the SYN is 0), the raw number on hover, for
//! the segments on the wire (the narration gets them from the core). The
//! first numbers come from the SYNs in the log, so a segment of a
//! connection long closed still reads the same way.

use crate::sim::event::Relative;
use crate::sim::{Endpoint, Event, EventKind, Segment, SeqNumber};

/// The initial sequence number of each direction seen so far.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Isns(Vec<(Endpoint, Endpoint, SeqNumber)>);

impl Isns {
    /// Reads the SYNs of a log (the newest of a direction wins).
    pub fn of(log: &[Event]) -> Isns {
        let mut isns = Isns::default();
        for e in log {
            if let EventKind::SegmentSent { segment, .. } = &e.kind {
                if segment.flags.syn {
                    isns.0
                        .retain(|(a, b, _)| !(*a == segment.src && *b == segment.dst));
                    isns.0.push((segment.src, segment.dst, segment.seq));
                }
            }
        }
        isns
    }

    fn isn(&self, from: Endpoint, to: Endpoint) -> Option<SeqNumber> {
        self.0
            .iter()
            .find(|(a, b, _)| *a == from && *b == to)
            .map(|(_, _, s)| *s)
    }

    /// A segment's numbers, relative; `None` before its direction's SYN is known.
    pub fn relative(&self, seg: &Segment) -> Option<Relative> {
        let mine = self.isn(seg.src, seg.dst)?;
        let theirs = self.isn(seg.dst, seg.src);
        Some(Relative {
            seq: seg.seq.0.wrapping_sub(mine.0),
            ack: theirs.map_or(0, |t| seg.ack.0.wrapping_sub(t.0)),
        })
    }

    /// The numbers of the segment an event is about, if it is about one.
    pub fn of_event(&self, e: &Event) -> Option<Relative> {
        match &e.kind {
            EventKind::SegmentSent { segment, .. }
            | EventKind::SegmentDelivered { segment }
            | EventKind::SegmentDropped { segment, .. } => self.relative(segment),
            _ => None,
        }
    }
}

/// A segment's header in one line, relative numbers first, the raw ones after.
pub fn summary(seg: &Segment, rel: Option<Relative>) -> String {
    match rel {
        Some(r) => format!(
            "{} → {} {} seq={} ack={} win={} len={} (raw seq={} ack={})",
            seg.src.port,
            seg.dst.port,
            seg.flags,
            r.seq,
            if seg.flags.ack { r.ack } else { 0 },
            seg.window,
            seg.payload.len(),
            seg.seq.0,
            seg.ack.0
        ),
        None => seg.summary(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sim::{LessonId, Run};

    #[test]
    fn the_syn_is_zero_and_the_first_data_byte_one_in_both_directions() {
        let mut run = Run::new(LessonId::Echo, 7);
        run.play(100_000);
        let isns = Isns::of(run.log());
        let mut seen_data = false;
        for e in run.log() {
            if let EventKind::SegmentSent { segment, .. } = &e.kind {
                let r = isns
                    .relative(segment)
                    .expect("every segment follows its SYN");
                if segment.flags.syn {
                    assert_eq!(r.seq, 0);
                }
                if !segment.payload.is_empty() && r.seq == 1 {
                    seen_data = true;
                }
                // The core's own relative numbers agree.
                if let EventKind::SegmentSent {
                    relative: Some(core),
                    ..
                } = &e.kind
                {
                    assert_eq!(r.seq, core.seq);
                }
            }
        }
        assert!(seen_data);
    }
}
