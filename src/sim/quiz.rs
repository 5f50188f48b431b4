//! Predict-then-see checkpoints: at a chosen moment a lesson asks what the
//! simulation will do next, the learner picks a choice, the run goes on,
//! and the answer is judged by what the run then does.
//!
//! A [`Checkpoint`] is data: a [`Trigger`] (the moment it is asked, an
//! event to look for: "the server's third `recv()` call"), an [`Ask`] (what
//! is predicted, and which later event decides it) and [`Choice`]s, each an
//! [`Outcome`] the deciding event may turn out to have. Nothing here stores
//! "the right letter": [`Checkpoint::judge`] reads the log from the moment
//! of the question on, so a checkpoint stays right when the learner edits
//! the programs, and says [`Verdict::Skipped`] when it no longer applies
//! (its trigger never came, or the run ended before it could be decided).
//!
//! Everything is a pure function of the event log: the same log gives the
//! same verdicts, in the browser, in `sockscope sim --quiz` and in tests.
//! A UI asks the question while the run stands at the step before the
//! trigger's ([`Checkpoint::ask_step`]), so the learner answers before the
//! event itself is on screen.

use super::event::{BlockReason, Call, Event, EventKind, HostId, Ret, SysError, ThreadId};
use crate::pyrepr::py_bytes_repr;
use crate::text::Text;
use serde::Serialize;

/// One side of the lessons' connections.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Side {
    /// The server host.
    Server,
    /// A client host (any; the lessons with checkpoints have one).
    Client,
}

impl Side {
    /// The side a host is on.
    pub fn of(host: HostId) -> Side {
        if host == HostId::SERVER {
            Side::Server
        } else {
            Side::Client
        }
    }

    fn text(self) -> Text {
        match self {
            Side::Server => Text::new("服务器", "the server"),
            Side::Client => Text::new("客户端", "the client"),
        }
    }
}

/// The calls a trigger can wait for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum CallKind {
    Connect,
    Accept,
    /// `send()` or `sendall()`.
    Send,
    Recv,
    Close,
}

impl CallKind {
    pub fn matches(self, call: &Call) -> bool {
        matches!(
            (self, call),
            (CallKind::Connect, Call::Connect { .. })
                | (CallKind::Accept, Call::Accept { .. })
                | (CallKind::Send, Call::Send { .. })
                | (CallKind::Recv, Call::Recv { .. })
                | (CallKind::Close, Call::Close { .. })
        )
    }
}

/// Whether a trigger waits for a call to be made or to return.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Moment {
    /// The thread enters the call (`EventKind::Call`).
    Enters,
    /// The call returns (`EventKind::Return`).
    Returns,
}

/// When a checkpoint is asked: the `nth` time (from 1) a thread on `side`
/// enters (or returns from) a `call`. Expressed over events, so it finds
/// its moment in an edited program too, or never.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Trigger {
    pub side: Side,
    pub call: CallKind,
    pub nth: u32,
    pub moment: Moment,
}

impl Trigger {
    fn matches(&self, e: &Event) -> bool {
        if e.host.map(Side::of) != Some(self.side) {
            return false;
        }
        match (&e.kind, self.moment) {
            (EventKind::Call { call }, Moment::Enters)
            | (EventKind::Return { call, .. }, Moment::Returns) => self.call.matches(call),
            _ => false,
        }
    }

    /// The index in `log` of the event that fires the trigger, if it came.
    pub fn find(&self, log: &[Event]) -> Option<usize> {
        let nth = self.nth.max(1) as usize;
        log.iter()
            .enumerate()
            .filter(|(_, e)| self.matches(e))
            .nth(nth - 1)
            .map(|(i, _)| i)
    }
}

/// What a checkpoint asks the learner to predict, and so which event
/// decides it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Ask {
    /// What the `recv()` the trigger is about (its thread's next one)
    /// returns: decided by that thread's next `recv()` return.
    Recv,
    /// Which side next puts a segment carrying data or FIN on the wire:
    /// decided by the next such `SegmentSent`.
    NextSender,
    /// Whether the `send()` the trigger is about (its thread's next one)
    /// blocks: decided by that thread's next `send()` blocking or returning.
    Send,
}

/// What one `recv()` returned, as a learner would put it. The boundaries
/// of the peer's `send()` calls come from [`super::event::RecvShape`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum RecvOutcome {
    /// Exactly the bytes of one `send()`.
    Whole,
    /// A piece of one `send()`: its start, its middle or its end.
    Part,
    /// Bytes of two or more `send()` calls run together.
    Several,
    /// `b''`: the peer closed, and the buffer is drained.
    Closed,
    /// It raised an exception (a reset connection, a timeout).
    Failed,
}

/// What one `send()` did.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum SendOutcome {
    /// It returned at once with every byte copied.
    AtOnce,
    /// It returned at once having copied only some (a non-blocking socket).
    Partly,
    /// It waited for room in the send buffer.
    Blocks,
    /// It raised an exception.
    Failed,
}

/// What the deciding event turned out to be; a [`Choice`] is right when its
/// outcome is this one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(tag = "ask", content = "is", rename_all = "kebab-case")]
pub enum Outcome {
    Recv(RecvOutcome),
    Sender(Side),
    Send(SendOutcome),
}

impl Outcome {
    /// Whether this outcome answers `ask` (a choice of another kind could
    /// never be right: a lesson's mistake, which a test catches).
    pub fn answers(self, ask: Ask) -> bool {
        matches!(
            (self, ask),
            (Outcome::Recv(_), Ask::Recv)
                | (Outcome::Sender(_), Ask::NextSender)
                | (Outcome::Send(_), Ask::Send)
        )
    }
}

/// One answer the learner can pick.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Choice {
    pub text: Text,
    pub outcome: Outcome,
}

/// A question a lesson asks at a moment of its run.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Checkpoint {
    /// Stable within the lesson (share links and tests name it).
    pub id: &'static str,
    pub question: Text,
    pub trigger: Trigger,
    pub ask: Ask,
    pub choices: &'static [Choice],
}

/// Where a checkpoint stands after a log.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "verdict", rename_all = "kebab-case")]
pub enum Verdict {
    /// The trigger has not come (yet).
    NotYet,
    /// Asked at log index `asked`; what it asks has not happened yet.
    Open { asked: usize },
    /// Decided by the event at log index `decided`.
    Decided {
        asked: usize,
        decided: usize,
        outcome: Outcome,
        /// What happened, in a sentence.
        explain: Text<String>,
    },
    /// It no longer applies: the run ended without its trigger, or before
    /// what it asks happened (an edited program).
    Skipped { why: Text<String> },
}

impl Verdict {
    /// The log index of the trigger event, once asked (none if skipped).
    pub fn asked(&self) -> Option<usize> {
        match self {
            Verdict::Open { asked } | Verdict::Decided { asked, .. } => Some(*asked),
            _ => None,
        }
    }
}

impl Checkpoint {
    /// The index of the trigger event in `log`, if it came.
    pub fn fires_at(&self, log: &[Event]) -> Option<usize> {
        self.trigger.find(log)
    }

    /// The step at which a UI stands while asking: the one before the
    /// trigger event's, so the event is not on screen yet.
    pub fn ask_step(&self, log: &[Event]) -> Option<u64> {
        self.fires_at(log).map(|i| log[i].step.saturating_sub(1))
    }

    /// Whether `choice` (an index into `choices`) is right, once decided.
    pub fn is_right(&self, verdict: &Verdict, choice: usize) -> Option<bool> {
        match verdict {
            Verdict::Decided { outcome, .. } => Some(
                self.choices
                    .get(choice)
                    .is_some_and(|c| c.outcome == *outcome),
            ),
            _ => None,
        }
    }

    /// The choices that turned out true (usually one; none if the run did
    /// something no choice foresaw).
    pub fn right_choices(&self, verdict: &Verdict) -> Vec<usize> {
        (0..self.choices.len())
            .filter(|&i| self.is_right(verdict, i) == Some(true))
            .collect()
    }

    /// Judges the checkpoint on a log (from the run's start). `finished`:
    /// the run has ended, so what has not happened never will.
    pub fn judge(&self, log: &[Event], finished: bool) -> Verdict {
        let Some(asked) = self.fires_at(log) else {
            return if finished {
                Verdict::Skipped {
                    why: Text::owned(
                        "程序这次没有走到提问的那一步（可能是改过的程序），这一题跳过。",
                        "The run never came to the moment this question is about (an edited program?), so it is skipped.",
                    ),
                }
            } else {
                Verdict::NotYet
            };
        };
        let thread = log[asked].thread;
        // A trigger on a return is about what follows it, not the return itself.
        let from = asked + usize::from(self.trigger.moment == Moment::Returns);
        match decide(self.ask, thread, &log[from..]) {
            Some((at, outcome, explain)) => Verdict::Decided {
                asked,
                decided: from + at,
                outcome,
                explain,
            },
            None if finished || thread_ended(thread, &log[asked..], self.ask) => {
                Verdict::Skipped {
                    why: Text::owned(
                        "程序停下来了，问的事情没有发生（可能是改过的程序），这一题跳过。",
                        "The run ended before what this question asks about happened (an edited program?), so it is skipped.",
                    ),
                }
            }
            None => Verdict::Open { asked },
        }
    }
}

/// The thread the question is about ended without deciding it.
fn thread_ended(thread: Option<ThreadId>, after: &[Event], ask: Ask) -> bool {
    ask != Ask::NextSender
        && after
            .iter()
            .any(|e| e.thread == thread && matches!(e.kind, EventKind::ThreadEnded { .. }))
}

/// The first event from `after[0]` on that decides `ask`: its index in
/// `after`, the outcome, and a sentence saying what happened.
fn decide(
    ask: Ask,
    thread: Option<ThreadId>,
    after: &[Event],
) -> Option<(usize, Outcome, Text<String>)> {
    after.iter().enumerate().find_map(|(i, e)| {
        let mine = e.thread.is_some() && e.thread == thread;
        let found = match (ask, &e.kind) {
            (
                Ask::Recv,
                EventKind::Return {
                    call: Call::Recv { .. },
                    ret,
                },
            ) if mine => Some(recv_outcome(ret)),
            (
                Ask::Send,
                EventKind::Blocked {
                    call: Call::Send { .. },
                    reason,
                },
            ) if mine => Some(send_blocked(reason)),
            (
                Ask::Send,
                EventKind::Return {
                    call: Call::Send { len, .. },
                    ret,
                },
            ) if mine => Some(send_returned(*len, ret)),
            (Ask::NextSender, EventKind::SegmentSent { segment, .. })
                if !segment.payload.is_empty() || segment.flags.fin =>
            {
                let side = Side::of(e.host?);
                Some(sender(side, segment.payload.len(), segment.flags.fin))
            }
            _ => None,
        };
        found.map(|(outcome, explain)| (i, outcome, explain))
    })
}

fn recv_outcome(ret: &Ret) -> (Outcome, Text<String>) {
    let (what, explain) = match ret {
        Ret::Received { data, .. } if data.is_empty() => (
            RecvOutcome::Closed,
            Text::owned(
                "recv() 返回了 b''：对方关闭了连接，缓冲区也读空了。空字节串就是“对方下线了”。",
                "recv() returned b'': the peer closed the connection and the buffer was drained. Empty bytes mean \"the other side is gone\".",
            ),
        ),
        Ret::Received { data, shape } => {
            let n = data.len();
            let bytes = py_bytes_repr(data, 40);
            // How many of the peer's send() calls the bytes touch: those
            // ending inside, and one more if the last is cut.
            let (what, zh, en) = match shape {
                Some(s) if s.ends == 1 && s.from_start && s.to_end => (
                    RecvOutcome::Whole,
                    "正好是对方一次 send() 交出的全部字节。".to_string(),
                    "exactly what one send() of the peer handed over.".to_string(),
                ),
                Some(s) if s.ends as usize + usize::from(!s.to_end) >= 2 => {
                    let sends = s.ends as usize + usize::from(!s.to_end);
                    (
                        RecvOutcome::Several,
                        format!("来自对方 {sends} 次 send()，连在了一起：TCP 是字节流，不保留消息边界。"),
                        format!("the bytes of {sends} send() calls run together: TCP is a byte stream and keeps no boundaries."),
                    )
                }
                _ => (
                    RecvOutcome::Part,
                    "只是对方一次 send() 的一部分，其余的要等下一次 recv()。".to_string(),
                    "only part of what one send() handed over; the rest comes with another recv().".to_string(),
                ),
            };
            (
                what,
                Text::owned(
                    format!("recv() 返回了 {n} 个字节 {bytes}：{zh}"),
                    format!("recv() returned {n} bytes, {bytes}: {en}"),
                ),
            )
        }
        Ret::Error { error } => (RecvOutcome::Failed, raised("recv()", *error)),
        _ => (
            RecvOutcome::Failed,
            Text::owned("recv() 没有返回数据。", "recv() returned no data."),
        ),
    };
    (Outcome::Recv(what), explain)
}

fn raised(call: &str, error: SysError) -> Text<String> {
    Text::owned(
        format!("{call} 抛出了 {}。", error.python()),
        format!("{call} raised {}.", error.python()),
    )
}

fn send_blocked(reason: &BlockReason) -> (Outcome, Text<String>) {
    let explain = match reason {
        BlockReason::SendBufferFull { copied, total } => Text::owned(
            format!("send() 阻塞了：发送缓冲区只装得下 {total} 个字节中的 {copied} 个，剩下的要等对方的 ACK 腾出空间。"),
            format!("send() blocked: only {copied} of its {total} bytes fit in the send buffer; the rest waits until an ACK frees space."),
        ),
        _ => Text::owned(
            "send() 阻塞了：发送缓冲区满了。",
            "send() blocked: the send buffer was full.",
        ),
    };
    (Outcome::Send(SendOutcome::Blocks), explain)
}

fn send_returned(len: usize, ret: &Ret) -> (Outcome, Text<String>) {
    match ret {
        Ret::Sent { n } if *n < len => (
            Outcome::Send(SendOutcome::Partly),
            Text::owned(
                format!("send() 立即返回了 {n}：{len} 个字节里只拷进去这么多，其余的要程序自己再发。"),
                format!("send() returned {n} at once: only that much of the {len} bytes was copied; the program must send the rest itself."),
            ),
        ),
        Ret::Sent { .. } | Ret::Done => (
            Outcome::Send(SendOutcome::AtOnce),
            Text::owned(
                format!("send() 立即返回：{len} 个字节全都放进了发送缓冲区，之后由内核把它们发到网络上。"),
                format!("send() returned at once: all {len} bytes fit in the send buffer, and the kernel puts them on the wire from there."),
            ),
        ),
        Ret::Error { error } => (Outcome::Send(SendOutcome::Failed), raised("send()", *error)),
        _ => (
            Outcome::Send(SendOutcome::Failed),
            Text::owned("send() 没有发送。", "send() sent nothing."),
        ),
    }
}

fn sender(side: Side, len: usize, fin: bool) -> (Outcome, Text<String>) {
    let who = side.text();
    let (zh, en) = match (len, fin) {
        (0, _) => (
            "一个 FIN：它不再发送了".to_string(),
            "a FIN: it has nothing more to send".to_string(),
        ),
        (n, false) => (format!("{n} 个字节的数据"), format!("{n} bytes of data")),
        (n, true) => (
            format!("{n} 个字节的数据，还带着 FIN"),
            format!("{n} bytes of data with the FIN on them"),
        ),
    };
    let explain = Text::owned(
        format!("下一个带数据或 FIN 的报文段由{}发出：{zh}。谁先说话由程序决定，TCP 本身不管。", who.zh),
        format!("The next segment with data or FIN came from {}: {en}. Who speaks first is up to the programs, not TCP.", who.en),
    );
    (Outcome::Sender(side), explain)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sim::lessons::LessonId;

    #[test]
    fn every_checkpoint_is_well_formed() {
        for l in LessonId::ALL {
            let cps = l.info().checkpoints;
            for (i, cp) in cps.iter().enumerate() {
                assert!(
                    cps[..i].iter().all(|o| o.id != cp.id),
                    "{l:?}: {} twice",
                    cp.id
                );
                assert!(cp.choices.len() >= 2, "{l:?} {}", cp.id);
                for text in std::iter::once(cp.question).chain(cp.choices.iter().map(|c| c.text)) {
                    assert!(!text.zh.is_empty() && !text.en.is_empty() && text.zh != text.en);
                }
                for c in cp.choices {
                    assert!(
                        c.outcome.answers(cp.ask),
                        "{l:?} {}: {:?}",
                        cp.id,
                        c.outcome
                    );
                }
                for (j, c) in cp.choices.iter().enumerate() {
                    assert!(cp.choices[..j].iter().all(|o| o.outcome != c.outcome));
                }
            }
        }
    }

    #[test]
    fn every_checkpoint_of_every_lesson_is_decided_with_one_right_choice() {
        for l in LessonId::ALL {
            let cps = l.info().checkpoints;
            if cps.is_empty() {
                continue;
            }
            let mut run = crate::sim::Run::new(l, l.info().default_seed);
            run.play(100_000);
            for cp in cps {
                let v = cp.judge(run.log(), true);
                assert!(
                    matches!(v, Verdict::Decided { .. }),
                    "{l:?} {}: {v:?}",
                    cp.id
                );
                assert_eq!(cp.right_choices(&v).len(), 1, "{l:?} {}", cp.id);
            }
        }
    }

    #[test]
    fn the_verdict_follows_the_log_as_it_grows() {
        let cp = LessonId::Echo.info().checkpoints[0];
        let mut run = crate::sim::Run::new(LessonId::Echo, 7);
        assert_eq!(cp.judge(run.log(), false), Verdict::NotYet);
        let mut seen_open = false;
        while run.step() {
            if let Verdict::Open { asked } = cp.judge(run.log(), false) {
                seen_open = true;
                assert_eq!(cp.ask_step(run.log()), Some(run.log()[asked].step - 1));
            }
        }
        assert!(seen_open, "asked before decided");
        assert!(matches!(cp.judge(run.log(), true), Verdict::Decided { .. }));
    }

    #[test]
    fn a_recv_is_classified_by_the_send_boundaries_it_crosses() {
        use crate::sim::event::RecvShape;
        let shape = |ends, from_start, to_end| RecvShape {
            waiting: 8,
            ends,
            from_start,
            to_end,
        };
        let got = |shape: Option<RecvShape>| {
            recv_outcome(&Ret::Received {
                data: b"abcd".to_vec(),
                shape,
            })
            .0
        };
        let recv = Outcome::Recv;
        assert_eq!(got(Some(shape(1, true, true))), recv(RecvOutcome::Whole));
        assert_eq!(
            got(Some(shape(0, true, false))),
            recv(RecvOutcome::Part),
            "a start"
        );
        assert_eq!(
            got(Some(shape(0, false, false))),
            recv(RecvOutcome::Part),
            "a middle"
        );
        assert_eq!(
            got(Some(shape(1, false, true))),
            recv(RecvOutcome::Part),
            "an end"
        );
        assert_eq!(
            got(Some(shape(1, true, false))),
            recv(RecvOutcome::Several),
            "one and a start"
        );
        assert_eq!(
            got(Some(shape(2, true, true))),
            recv(RecvOutcome::Several),
            "two whole"
        );
        let closed = recv_outcome(&Ret::Received {
            data: vec![],
            shape: None,
        });
        assert_eq!(closed.0, recv(RecvOutcome::Closed));
        let reset = recv_outcome(&Ret::Error {
            error: SysError::ConnectionReset,
        });
        assert_eq!(reset.0, recv(RecvOutcome::Failed));
        assert!(reset.1.en.contains("ConnectionResetError"));
        // A non-blocking send() that copied only part.
        assert_eq!(
            send_returned(43, &Ret::Sent { n: 16 }).0,
            Outcome::Send(SendOutcome::Partly)
        );
        assert_eq!(
            send_returned(2, &Ret::Sent { n: 2 }).0,
            Outcome::Send(SendOutcome::AtOnce)
        );
    }
}
