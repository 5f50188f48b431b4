//! The `loss` lesson. A network that loses two segments: one in the middle
//! of a burst, recovered by fast retransmit after three duplicate ACKs, and
//! a lone one at the end, which only the retransmission timer can recover.

use super::code::{loss_programs, LESSON_PORT, LESSON_SERVER_IP};
use super::{Group, Lesson, Panels};
use crate::sim::ids::HostId;
use crate::sim::net::wire::{Loss, PlannedLoss};
use crate::sim::tcp::TcpConfig;
use crate::sim::time::Instant;
use crate::sim::world::{ClientSpec, ServerSpec, WorldConfig};
use crate::text::{Lang, Text};

pub(super) const LESSON: Lesson = Lesson {
    slug: "loss",
    group: Group::Course,
    title: Text::new("丢包与重传", "Loss and retransmission"),
    intro: Text::new(
        "这个网络会丢两个报文段。客户端一次 sendall() 发出 40 行的报告：中间丢了一段，后面的照样到达，服务器把它们暂存起来（recv() 还读不到），并连发重复 ACK；第三个重复 ACK 让客户端立即快速重传，拥塞窗口减半。停了一秒后，客户端再发一行，这一段也丢了：后面没有别的报文段，也就没有重复 ACK，只能等重传计时器到点，拥塞窗口降到 1。点击线路上的报文段可以亲手丢掉它。MSS 设为 100 字节（Linux 允许的最小值是 88），好让一份小报告也分成许多段；拥塞控制用 Reno（Linux 默认是 CUBIC）。",
        "This network loses two segments. The client sends a 40-line report with one sendall(): a segment in the middle is lost, the ones after it still arrive, and the server holds them (recv() cannot read them yet) while it sends duplicate ACKs; the third makes the client retransmit at once and halve its congestion window. After a pause the client sends one more line, and that segment is lost too: nothing follows it, so no duplicate ACKs come, and only the retransmission timer can recover it, with cwnd back to one segment. Click a segment on the wire to drop it yourself. The MSS is 100 bytes (Linux accepts down to 88) so a small report still makes many segments; congestion control is Reno (Linux's default is CUBIC).",
    ),
    default_seed: 11,
    panels: Panels { browser: false, congestion: true },
    config,
    checkpoints: &[],
};

/// The report's lines.
const LINES: u32 = 40;
/// The client's data segment the network loses in the first flight.
const LOST_IN_BURST: u32 = 5;
/// After this, the client's next data segment is lost: the lone last line
/// (the report has long been acknowledged; the line goes at 1 s).
const LONE_AFTER_MS: u64 = 500;

fn config(lang: Lang) -> WorldConfig {
    let (server, client) = loss_programs(lang, LESSON_SERVER_IP, LESSON_PORT, LINES);
    WorldConfig {
        lang,
        tcp: TcpConfig {
            mss: 100,
            ..TcpConfig::default()
        },
        server: ServerSpec::new(server),
        clients: vec![ClientSpec::python(client, Instant::from_millis(1))],
        loss: Loss {
            percent: 0,
            planned: vec![
                PlannedLoss::Nth {
                    from: HostId(1),
                    nth: LOST_IN_BURST,
                },
                PlannedLoss::FirstAfter {
                    from: HostId(1),
                    at: Instant::from_millis(LONE_AFTER_MS),
                },
            ],
        },
        ..WorldConfig::default()
    }
}
