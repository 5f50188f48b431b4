//! The `backlog` lesson. `listen(1)` and a server busy for 2.5 s before its
//! first `accept()`: two handshakes finish and wait in the accept queue
//! (Linux lets backlog + 1 wait), the SYNs of the three later clients are
//! dropped without an answer, their kernels send them again 1 s, 2 s, 3 s
//! after the first (Linux's linear SYN timeouts), and every client is
//! served in the end, the late ones after a `connect()` of about 3 s.
//!
//! The clients start 10 ms apart, so each handshake is over before the
//! next SYN comes: the SYN queue never fills, and no SYN cookie is needed
//! (on loopback, with Linux, it never fills either).

use super::code::{lesson_program, BACKLOG_CLIENT, BACKLOG_CLIENTS, BACKLOG_SERVER};
use super::{Group, Lesson, Panels};
use crate::sim::time::Instant;
use crate::sim::world::{ClientSpec, ServerSpec, WorldConfig};
use crate::text::{Lang, Text};

pub(super) const LESSON: Lesson = Lesson {
    slug: "backlog",
    group: Group::Mistakes,
    title: Text::new("backlog 满了：SYN 被丢弃", "A full backlog: SYNs dropped"),
    intro: Text::new(
        "服务器调用了 listen(1)，然后先忙了 2.5 秒才第一次 accept()。五个客户端几乎同时来连接。前两个的握手完全由内核完成，连接进入 accept 队列等 accept()（Linux 让 backlog + 1 个连接在这里等）。队列满了，后面三个客户端的 SYN 被默默丢弃：服务器什么也不回，既不拒绝也不答应。它们的 connect() 就一直阻塞着，内核在第 1、2、3 秒重发 SYN（Linux 6.5 起前几次重试间隔 1 秒，之后才加倍）。服务器开始 accept() 后队列腾出空位，下一次重发的 SYN 才被接受。每个客户端最终都得到了服务，只是后来的三个 connect() 等了大约 3 秒。留意线路上重发的 SYN 和被丢弃的报文段。",
        "The server calls listen(1), then is busy for 2.5 s before its first accept(). Five clients come almost at once. The kernel alone completes the first two handshakes, and those connections wait in the accept queue for accept() (Linux lets backlog + 1 wait there). The queue is full, so the next three clients' SYNs are silently dropped: the server answers nothing, neither no nor yes. Their connect() stays blocked while their kernels send the SYN again at 1, 2 and 3 s (since Linux 6.5 the first retries come 1 s apart, and only then does the wait double). Once the server starts calling accept() the queue has room, and the next retransmitted SYN gets in. Every client is served in the end, but the last three waited about 3 s in connect(). Watch the retransmitted SYNs and the dropped segments on the wire.",
    ),
    default_seed: 6,
    panels: Panels::NONE,
    config,
    checkpoints: &[],
};

fn config(lang: Lang) -> WorldConfig {
    let client = lesson_program(BACKLOG_CLIENT, lang);
    WorldConfig {
        lang,
        server: ServerSpec::new(lesson_program(BACKLOG_SERVER, lang)),
        clients: (0..BACKLOG_CLIENTS as u64)
            .map(|i| ClientSpec {
                args: vec![format!("client-{}", i + 1)],
                ..ClientSpec::python(client.clone(), Instant::from_millis(1 + 10 * i))
            })
            .collect(),
        ..WorldConfig::default()
    }
}
