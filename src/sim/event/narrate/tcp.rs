//! What TCP says: state changes, segments sent (with Wireshark's relative
//! numbers), congestion control and buffer changes, in zh and en.

use super::*;
use crate::sim::net::segment::{SeqNumber, TcpOptions};
use crate::sim::tcp::State;
use Lang::{En, Zh};

pub(super) fn narrate_state(from: State, to: State, lang: Lang) -> String {
    let why_en = match to {
        State::SynSent => "the SYN is on its way",
        State::SynReceived => "a SYN arrived at the listening port; a new half-open connection, a copy of the listening socket, answers SYN-ACK (Linux's ss lists it as SYN-RECV)",
        State::Established if from == State::SynSent => "the SYN-ACK acknowledged our SYN and brought the peer's, so this side may send now; the handshake's last ACK goes back at once, and the server is established when it arrives",
        State::Established => "the ACK of our SYN-ACK arrived: the handshake is complete on this side too, and data can flow both ways",
        State::FinWait1 => "this side closed; its FIN follows the queued bytes",
        State::FinWait2 => "our FIN is acknowledged; waiting for the peer's FIN",
        State::CloseWait => "the peer sent FIN; recv() will return b'' once the buffer is drained, and this side may still send until it closes",
        State::Closing => "both sides sent FIN at once; waiting for the ACK of ours",
        State::LastAck => "we close after the peer did; waiting for the ACK of our FIN",
        State::TimeWait => "both FINs are acknowledged, yet this side waits 60 s (Linux's fixed TIME-WAIT): if our last ACK is lost, the peer sends its FIN again and this side can still answer it; and late segments of this connection die out before the same ports can carry a new one",
        State::Closed => "the connection is over",
        State::Listen => "waiting for SYNs",
    };
    let why_zh = match to {
        State::SynSent => "SYN 已发出",
        State::SynReceived => "监听端口收到 SYN；一个新的半连接（监听套接字的副本）回复 SYN-ACK（Linux 的 ss 把它显示为 SYN-RECV）",
        State::Established if from == State::SynSent => "SYN-ACK 确认了我们的 SYN，也带来了对方的 SYN，所以这一端现在就可以发送；握手的最后一个 ACK 立即发回，服务器收到它才算建立连接",
        State::Established => "我们 SYN-ACK 的确认到了：这一端的握手也完成了，双方都可以传数据",
        State::FinWait1 => "这一端关闭了；FIN 跟在排队的字节后面发出",
        State::FinWait2 => "我们的 FIN 已被确认；等对方的 FIN",
        State::CloseWait => "对方发来 FIN；缓冲区读空后 recv() 会返回 b''，而这一端在关闭之前仍然可以发送",
        State::Closing => "双方同时发了 FIN；等对方确认我们的 FIN",
        State::LastAck => "对方先关，我们后关；等我们 FIN 的确认",
        State::TimeWait => "双方的 FIN 都确认了，但这一端还要等 60 秒（Linux 固定的 TIME-WAIT）：万一我们最后的 ACK 丢了，对方会重发 FIN，这一端仍能回答；同时让这条连接迟到的报文段消失，之后同样的端口才能承载新连接",
        State::Closed => "连接结束",
        State::Listen => "等待 SYN",
    };
    if lang == Zh {
        format!("TCP 状态 {from} → {to}：{why_zh}。")
    } else {
        format!("TCP state {from} → {to}: {why_en}.")
    }
}

use crate::sim::tcp::state::{LINUX_MIN_RCVBUF, LINUX_MIN_SNDBUF};

/// `seq 123456 (relative 1)`: the raw number and Wireshark's relative one.
pub(super) fn numbered(raw: SeqNumber, rel: Option<u32>, lang: Lang) -> String {
    match (rel, lang) {
        (Some(r), En) => format!("{raw} (relative {r})"),
        (Some(r), Zh) => format!("{raw}（相对值 {r}）"),
        (None, _) => raw.to_string(),
    }
}

/// The options a SYN offers, named for the narration.
pub(super) fn offered(o: &TcpOptions, lang: Lang) -> String {
    let mut v = vec![];
    if o.sack_permitted {
        v.push(if lang == Zh {
            "SACK 许可"
        } else {
            "SACK-permitted"
        });
    }
    if o.timestamps.is_some() {
        v.push(if lang == Zh {
            "时间戳"
        } else {
            "timestamps"
        });
    }
    if o.window_scale.is_some() {
        v.push(if lang == Zh {
            "窗口缩放"
        } else {
            "window scale"
        });
    }
    match (v.split_last(), lang) {
        (None, _) => String::new(),
        (Some((last, [])), _) => last.to_string(),
        (Some((last, rest)), En) => format!("{} and {last}", rest.join(", ")),
        (Some((last, rest)), Zh) => format!("{}和{last}", rest.join("、")),
    }
}

pub(super) fn narrate_sent(
    seg: &Segment,
    reason: SendReason,
    rel: Option<Relative>,
    lang: Lang,
) -> String {
    let n = seg.payload.len();
    let (a, b) = (seg.src, seg.dst);
    let seq = numbered(seg.seq, rel.map(|r| r.seq), lang);
    let ack = numbered(seg.ack, rel.map(|r| r.ack), lang);
    let mss = seg.options.mss.unwrap_or(0);
    let mss_note = match (mss < 88, lang) {
        (true, En) => format!(" MSS {mss} is teaching-sized: Linux derives 1460 from an Ethernet link's 1500-byte MTU and accepts nothing below 88."),
        (true, Zh) => format!("MSS {mss} 是为教学缩小的值：Linux 根据以太网 1500 字节的 MTU 算出 1460，而且不接受小于 88 的值。"),
        (false, _) => String::new(),
    };
    let psh = |lang: Lang| {
        match (seg.flags.psh, lang) {
        (true, En) => " PSH marks the end of what goes out for now (all that was queued, or all the window allows): the receiver hands it to the program without waiting for more.",
        (true, Zh) => "PSH 表示这一轮发送到此为止（排队的数据发完了，或者窗口只容得下这么多）：接收方不必再等，直接交给程序。",
        (false, _) => "",
    }
    };
    match (reason, lang) {
        (SendReason::Syn, En) => format!("The kernel sends [SYN] {a} → {b}. SYN (synchronize) asks to open a connection and carries this side's initial sequence number, {} (random; Wireshark counts from it, so it shows as relative 0). Its options say what this side can do: MSS {mss}, the largest payload it accepts{}.{mss_note}", seg.seq, match offered(&seg.options, En) { o if o.is_empty() => String::new(), o => format!(", and it offers {o}") }),
        (SendReason::Syn, Zh) => format!("内核发送 [SYN] {a} → {b}。SYN（同步）请求建立连接，并带上这一端的初始序列号 {}（随机选取；Wireshark 从它开始计数，所以显示为相对值 0）。选项说明这一端的能力：MSS {mss}，即它能接收的最大载荷{}。{mss_note}", seg.seq, match offered(&seg.options, Zh) { o if o.is_empty() => String::new(), o => format!("；它还提议使用{}{o}", if o.starts_with(|c: char| c.is_ascii_alphabetic()) { " " } else { "" }) }),
        (SendReason::SynCookie, En) => format!("The SYN queue is full, yet the server's kernel does not drop the SYN from {b}: it answers [SYN, ACK] with a SYN cookie (Linux's default, net.ipv4.tcp_syncookies = 1). Its sequence number {} is a keyed hash of the two addresses and ports and the client's sequence number, with the client's MSS folded in, and the kernel keeps nothing of this handshake: it will not send this SYN-ACK again. Only an ACK that comes back acknowledging that number + 1 makes the connection.", seg.seq),
        (SendReason::SynCookie, Zh) => format!("SYN 队列满了，但服务器内核并不丢弃来自 {b} 的 SYN：它用 SYN cookie 回复 [SYN, ACK]（Linux 的默认做法，net.ipv4.tcp_syncookies = 1）。它的序列号 {} 是两端地址、端口和客户端序列号的加密散列，里面还折叠进了客户端的 MSS；内核不保存这次握手的任何东西，也不会重发这个 SYN-ACK。只有回来的 ACK 确认了这个数加 1，连接才会建立。", seg.seq),
        (SendReason::SynAckRetransmit, En) => format!("The server's kernel sends the SYN-ACK to {b} again (same seq {seq})."),
        (SendReason::SynAckRetransmit, Zh) => format!("服务器内核再次向 {b} 发送 SYN-ACK（seq 不变，{seq}）。"),
        (SendReason::Retransmit, En) => format!("Retransmission: the kernel sends {n} byte{} from seq {seq} again{}, from the copy it kept in the send buffer. The program is not involved: its send() returned long ago.", plural(n), if seg.flags.fin { " with the FIN" } else { "" }),
        (SendReason::Retransmit, Zh) => format!("重传：内核从发送缓冲区里留着的副本中，再次发出从 seq {seq} 开始的 {n} 个字节{}。程序并不参与：它的 send() 早就返回了。", if seg.flags.fin { "（带着 FIN）" } else { "" }),
        (SendReason::FastRetransmit, En) => format!("Fast retransmit: the kernel sends {n} byte{} from seq {seq} again at once, without waiting for the timer: the duplicate ACKs show that later segments arrived, so this one, not the network as a whole, is the problem.", plural(n)),
        (SendReason::FastRetransmit, Zh) => format!("快速重传：内核不等计时器，立即再次发出从 seq {seq} 开始的 {n} 个字节：重复 ACK 说明后面的报文段都到了，出问题的只是这一个，而不是整个网络。"),
        (SendReason::SynRetransmit, En) => format!("The kernel sends the SYN to {b} again (same seq {}).", seg.seq),
        (SendReason::SynRetransmit, Zh) => format!("内核再次向 {b} 发送 SYN（seq 不变，{}）。", seg.seq),
        (SendReason::SynAck, En) => format!("The server's kernel answers [SYN, ACK], with no program involved. ACK {ack} acknowledges the client's SYN, which used up one sequence number; SYN offers the server's own initial number, {seq}. It repeats the options the client offered.{mss_note}"),
        (SendReason::SynAck, Zh) => format!("服务器内核回复 [SYN, ACK]，没有任何程序参与。ACK {ack} 确认客户端的 SYN（SYN 占用一个序列号）；SYN 给出服务器自己的初始序列号 {seq}。客户端提供的选项它也一一回应。{mss_note}"),
        (SendReason::Data, En) => format!("The kernel sends {n} byte{} from the send buffer ({a} → {b}), seq {seq}: at most MSS and at most the peer's window. ACK {ack} rides along, as on every segment after the SYN.{} The bytes stay in the buffer until acknowledged.", plural(n), psh(En)),
        (SendReason::Data, Zh) => format!("内核从发送缓冲区发出 {n} 个字节（{a} → {b}），seq {seq}：不超过 MSS，也不超过对方的窗口。ACK {ack} 顺带捎上，SYN 之后的每个报文段都是如此。{}这些字节在被确认之前仍留在缓冲区里。", psh(Zh)),
        (SendReason::DataFin, En) => format!("The kernel sends the last {n} byte{} from the send buffer ({a} → {b}), seq {seq}, with FIN on the same segment: nothing more will follow. (A FIN also uses one sequence number.)", plural(n)),
        (SendReason::DataFin, Zh) => format!("内核从发送缓冲区发出最后 {n} 个字节（{a} → {b}），seq {seq}，同一个报文段上带着 FIN：此后不再有数据。（FIN 也占用一个序列号。）"),
        (SendReason::Ack, En) if seg.window == 0 => format!("The kernel sends a bare ACK {ack}: every byte before it has arrived. It advertises window 0: the receive buffer is full, so the sender must stop."),
        (SendReason::Ack, Zh) if seg.window == 0 => format!("内核发送一个单独的 ACK {ack}：它之前的字节都收到了。它通告窗口 0：接收缓冲区满了，发送方必须停下。"),
        (SendReason::Ack, En) => format!("The kernel sends a bare ACK {ack}: every byte before it has arrived. Window {}: the free space in its receive buffer.", seg.window),
        (SendReason::Ack, Zh) => format!("内核发送一个单独的 ACK {ack}：它之前的字节都收到了。窗口 {}：接收缓冲区的空闲空间。", seg.window),
        (SendReason::WindowUpdate, En) => format!("Window update: recv() made room, and the peer cannot know until told, so the kernel sends ACK {ack} with window {}: the peer may send that many bytes again.", seg.window),
        (SendReason::WindowUpdate, Zh) => format!("窗口更新：recv() 腾出了空间，但对方不被告知就不会知道，所以内核发送 ACK {ack}，窗口 {}：对方又可以发这么多字节了。", seg.window),
        (SendReason::ZeroWindowProbe, En) => format!("Zero-window probe: an empty segment with seq {seq}, one before the oldest unacknowledged byte, a byte the peer already has. TCP answers such a segment with an ACK, and that ACK shows the current window. Wireshark labels the probe a keep-alive."),
        (SendReason::PersistData, En) => format!("The persist timer fired. The peer's window is open, but only {n} byte{}, less than a full segment, and Linux does not fill so small a window at once: waiting may let it grow (the sender's half of silly window avoidance). Now that the timer has fired, the kernel sends the {n} byte{} that fit, seq {seq}, with PSH.", plural(n), plural(n)),
        (SendReason::PersistData, Zh) => format!("坚持计时器到点了。对方的窗口是开着的，但只有 {n} 个字节，不够一个完整的报文段；Linux 不会立刻去填这么小的窗口，等一等窗口也许会变大（这是发送方一侧的糊涂窗口避免）。计时器一到，内核就发出装得下的这 {n} 个字节，seq {seq}，带 PSH。"),
        (SendReason::ZeroWindowProbe, Zh) => format!("零窗口探测：一个空报文段，seq {seq}，比最早未确认的字节还早一个，也就是对方已经收到的字节。TCP 对这样的报文段必须回一个 ACK，而这个 ACK 会带出当前的窗口。Wireshark 把这种探测标成 keep-alive。"),
        (SendReason::Fin, En) => format!("The kernel sends [FIN, ACK] {a} → {b}, seq {seq}: every queued byte went out before it, and nothing more will follow. The FIN uses one sequence number."),
        (SendReason::Fin, Zh) => format!("内核发送 [FIN, ACK] {a} → {b}，seq {seq}：排队的字节都已在它之前发出，此后不再有数据。FIN 占用一个序列号。"),
        (SendReason::Rst, En) => format!("The kernel sends {} to {b}: the connection is aborted (bytes arrived that nobody will ever read, or no socket matches).", rst_label(seg)),
        (SendReason::Rst, Zh) => format!("内核向 {b} 发送 {}：连接被中止（到达的字节再也没有人读，或者没有对应的套接字）。", rst_label(seg)),
    }
}

/// An RST as Wireshark lists it: with ACK when it acknowledges something
/// (Linux's reset of a live connection does), bare otherwise.
pub(super) fn rst_label(seg: &Segment) -> &'static str {
    if seg.flags.ack {
        "[RST, ACK]"
    } else {
        "[RST]"
    }
}

pub(super) fn narrate_congestion(
    cwnd: u32,
    ssthresh: Option<u32>,
    phase: crate::sim::tcp::congestion::Phase,
    cause: CongestionCause,
    flight: usize,
    mss: u16,
    lang: Lang,
) -> String {
    use crate::sim::tcp::congestion::Phase;
    let th = match (ssthresh, lang) {
        (Some(t), _) => t.to_string(),
        (None, En) => "unset".to_string(),
        (None, Zh) => "未设".to_string(),
    };
    let bytes = cwnd as usize * usize::from(mss);
    match (cause, lang) {
        (CongestionCause::Acked, En) => match phase {
            Phase::SlowStart => format!("Slow start: each segment acknowledged adds one to the congestion window, now {cwnd} segments (about {bytes} bytes), so it doubles every round trip until ssthresh ({th})."),
            _ => format!("Congestion avoidance: the window grows by one segment per round trip, now {cwnd} (ssthresh {th}): TCP probes gently for more room."),
        },
        (CongestionCause::Acked, Zh) => match phase {
            Phase::SlowStart => format!("慢启动：每确认一个报文段，拥塞窗口加 1，现在是 {cwnd} 个报文段（约 {bytes} 字节），所以每个往返翻一番，直到 ssthresh（{th}）。"),
            _ => format!("拥塞避免：窗口每个往返只加 1 个报文段，现在是 {cwnd}（ssthresh {th}）：TCP 小心地试探更多空间。"),
        },
        (CongestionCause::FastRetransmit, En) => format!("Three duplicate ACKs: a segment is lost, but later ones got through, so the network still delivers. Reno halves its estimate: ssthresh = {th} (half of the segments in flight), cwnd = ssthresh + 3 = {cwnd} for the three that left the network; fast recovery begins."),
        (CongestionCause::FastRetransmit, Zh) => format!("三个重复 ACK：丢了一个报文段，但后面的都到了，说明网络还在传送。Reno 把估计减半：ssthresh = {th}（在途报文段的一半），cwnd = ssthresh + 3 = {cwnd}（那三个已离开网络的）；进入快速恢复。"),
        (CongestionCause::DupAck, En) => format!("Another duplicate ACK in recovery: one more segment has left the network, so cwnd grows to {cwnd} and new data may go."),
        (CongestionCause::DupAck, Zh) => format!("恢复期间又一个重复 ACK：又有一个报文段离开了网络，cwnd 增加到 {cwnd}，可以发新数据了。"),
        (CongestionCause::PartialAck, En) => format!("A partial ACK: the resent segment arrived, but the ACK stops short of everything sent before the loss, so the next hole is lost too. It goes at once (NewReno) and recovery goes on; cwnd {cwnd}."),
        (CongestionCause::PartialAck, Zh) => format!("部分确认：重发的报文段到了，但 ACK 没有覆盖丢包前发出的全部数据，说明下一个空缺也丢了。它立即重发（NewReno），恢复继续；cwnd {cwnd}。"),
        (CongestionCause::RecoveryDone, En) => format!("Everything sent before the loss is acknowledged: fast recovery ends with cwnd = ssthresh = {cwnd} segments, and congestion avoidance goes on from there."),
        (CongestionCause::RecoveryDone, Zh) => format!("丢包前发出的数据都被确认了：快速恢复结束，cwnd = ssthresh = {cwnd} 个报文段，之后从这里继续拥塞避免。"),
        (CongestionCause::Timeout, En) => format!("A timeout is the worst sign: nothing came back at all. ssthresh = {th} (half of the segments that were in flight, {flight} bytes, but at least 2), and cwnd starts again from 1 segment: slow start."),
        (CongestionCause::Timeout, Zh) => format!("超时是最坏的信号：什么都没有回来。ssthresh = {th}（原来在途报文段数的一半，共 {flight} 字节，但至少为 2），cwnd 从 1 个报文段重新开始：慢启动。"),
    }
}

pub(super) fn narrate_buffer(
    side: BufferSide,
    cause: BufferCause,
    delta: i64,
    len: usize,
    cap: usize,
    lang: Lang,
) -> String {
    let d = delta.unsigned_abs();
    match (side, cause, lang) {
        (_, BufferCause::AppSend, En) => format!("Send buffer: +{d} from send(), now {len}/{cap} bytes.{}", small_send(cap, En)),
        (_, BufferCause::AppSend, Zh) => format!("发送缓冲区：send() 放入 {d} 字节，现在 {len}/{cap}。{}", small_send(cap, Zh)),
        (_, BufferCause::Acked, En) => format!("Send buffer: the ACK says the peer has {d} more byte{}, so their copy is freed; now {len}/{cap}.", plural(d as usize)),
        (_, BufferCause::Acked, Zh) => format!("发送缓冲区：ACK 表明对方又收到了 {d} 个字节，这些副本可以释放了；现在 {len}/{cap}。"),
        (_, BufferCause::Arrived, En) => format!("Receive buffer: +{d} byte{} from the wire, now {len}/{cap}. {} bytes are free: the window this side will advertise in its next segment.{}", plural(d as usize), cap - len, small_recv(cap, En)),
        (_, BufferCause::Arrived, Zh) => format!("接收缓冲区：从网络收到 {d} 字节，现在 {len}/{cap}。空闲 {} 字节：这一端下一个报文段要通告的窗口。{}", cap - len, small_recv(cap, Zh)),
        (_, BufferCause::AppRecv, En) => format!("Receive buffer: recv() took {d} byte{}, now {len}/{cap}, so {} bytes are free. The peer learns of the space only from the next segment this side sends.", plural(d as usize), cap - len),
        (_, BufferCause::AppRecv, Zh) => format!("接收缓冲区：recv() 取走 {d} 字节，现在 {len}/{cap}，空闲 {} 字节。对方要等这一端发出下一个报文段才知道有了空间。", cap - len),
        (BufferSide::Send, BufferCause::Resized, En) => format!("Send buffer capacity is now {cap} bytes ({len} stored)."),
        (BufferSide::Send, BufferCause::Resized, Zh) => format!("发送缓冲区容量改为 {cap} 字节（已存 {len}）。"),
        (BufferSide::Recv, BufferCause::Resized, En) => format!("Receive buffer capacity is now {cap} bytes ({len} stored)."),
        (BufferSide::Recv, BufferCause::Resized, Zh) => format!("接收缓冲区容量改为 {cap} 字节（已存 {len}）。"),
    }
}

/// Said beside a send buffer Linux would not allow.
pub(super) fn small_send(cap: usize, lang: Lang) -> String {
    match (cap < LINUX_MIN_SNDBUF, lang) {
        (true, En) => format!(
            " ({cap} bytes is teaching-sized: Linux's smallest send buffer is {LINUX_MIN_SNDBUF}.)"
        ),
        (true, Zh) => format!(
            "（{cap} 字节是为教学缩小的值：Linux 的发送缓冲区最小是 {LINUX_MIN_SNDBUF} 字节。）"
        ),
        (false, _) => String::new(),
    }
}

/// Said beside a receive buffer Linux would not allow.
pub(super) fn small_recv(cap: usize, lang: Lang) -> String {
    match (cap < LINUX_MIN_RCVBUF, lang) {
        (true, En) => format!(" ({cap} bytes is teaching-sized: Linux's smallest receive buffer is {LINUX_MIN_RCVBUF}.)"),
        (true, Zh) => format!("（{cap} 字节是为教学缩小的值：Linux 的接收缓冲区最小是 {LINUX_MIN_RCVBUF} 字节。）"),
        (false, _) => String::new(),
    }
}
