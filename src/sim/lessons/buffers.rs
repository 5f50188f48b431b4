//! The `buffers` lesson. 16-byte buffers and a slow reader: the receive buffer fills, the window
//! closes, `send()` blocks, the sender probes, a `recv()` reopens the window.

use super::code::{ClientKind, EchoServer};
use super::{Group, Lesson, Panels};
use crate::sim::quiz::{Ask, CallKind, Checkpoint, Choice, Moment, Outcome, RecvOutcome, SendOutcome, Side, Trigger};
use crate::sim::tcp::TcpConfig;
use crate::sim::time::{Duration, Instant};
use crate::sim::world::{ClientSpec, ServerSpec, WorldConfig};
use crate::text::{Lang, Text};

pub(super) const LESSON: Lesson = Lesson {
    slug: "buffers",
    group: Group::Course,
    title: Text::new(
        "缓冲区满了：零窗口",
        "Full buffers and the zero window",
    ),
    intro: Text::new(
        "缓冲区只有 16 字节，报文段 8 字节，服务器每次 recv() 前先睡一会儿。这些是为教学缩小的值：Linux 的接收缓冲区至少 2304 字节、MSS 至少 88，这里也关掉了时间戳选项（如同 net.ipv4.tcp_timestamps=0），好让 8 个字节全是数据。看服务器的接收缓冲区被填满、窗口降到 0，客户端的 send() 因发送缓冲区满而阻塞，客户端内核探测关闭的窗口，直到服务器一次 recv() 用窗口更新把它重新打开。",
        "Buffers of 16 bytes, segments of 8, and a server that sleeps before each recv(). These are teaching-sized: Linux's smallest receive buffer is 2,304 bytes and its smallest MSS 88, and timestamps are off here (as with net.ipv4.tcp_timestamps=0) so all 8 bytes are data. Watch the server's receive buffer fill and its window fall to zero, the client's send() block on a full send buffer, the client's kernel probe the closed window, and one recv() on the server reopen it with a window update.",
    ),
    default_seed: 3,
    panels: Panels::NONE,
    config,
    checkpoints: CHECKPOINTS,
};

const CHECKPOINTS: &[Checkpoint] = &[
    Checkpoint {
        id: "send-blocks",
        question: Text::new(
            "客户端把 43 个字节交给 send()，可它的发送缓冲区只有 16 个字节。send() 会怎样？",
            "The client hands send() 43 bytes, but its send buffer holds only 16. What will send() do?",
        ),
        trigger: Trigger { side: Side::Client, call: CallKind::Send, nth: 1, moment: Moment::Enters },
        ask: Ask::Send,
        choices: &[
            Choice {
                text: Text::new("立即返回 43", "Return 43 at once"),
                outcome: Outcome::Send(SendOutcome::AtOnce),
            },
            Choice {
                text: Text::new("立即返回 16：只拷进装得下的部分", "Return 16 at once: only what fits is copied"),
                outcome: Outcome::Send(SendOutcome::Partly),
            },
            Choice {
                text: Text::new("阻塞：等 ACK 腾出空间，直到 43 个字节都拷进去", "Block: it waits for ACKs to free space until all 43 bytes are in"),
                outcome: Outcome::Send(SendOutcome::Blocks),
            },
        ],
    },
    Checkpoint {
        id: "slow-read",
        question: Text::new(
            "服务器睡了一秒才第一次调用 recv(1024)，它的接收缓冲区只有 16 个字节。这次 recv() 会返回什么？",
            "The server slept a second before its first recv(1024), and its receive buffer holds only 16 bytes. What will this recv() return?",
        ),
        trigger: Trigger { side: Side::Server, call: CallKind::Recv, nth: 1, moment: Moment::Enters },
        ask: Ask::Recv,
        choices: &[
            Choice {
                text: Text::new("客户端交给 send() 的全部 43 个字节", "All 43 bytes the client gave send()"),
                outcome: Outcome::Recv(RecvOutcome::Whole),
            },
            Choice {
                text: Text::new("16 个字节：那一次 send() 的一部分", "16 bytes: part of that one send()"),
                outcome: Outcome::Recv(RecvOutcome::Part),
            },
            Choice {
                text: Text::new("b''：客户端等不及，放弃了", "b'': the client gave up waiting"),
                outcome: Outcome::Recv(RecvOutcome::Closed),
            },
        ],
    },
];


fn config(lang: Lang) -> WorldConfig {
    let server = EchoServer {
        sleep: Some(Duration::from_secs(1)),
        ..EchoServer::default()
    };
    WorldConfig {
        lang,
        tcp: TcpConfig {
            mss: 8,
            timestamps: false,
            ..TcpConfig::default()
        },
        server: ServerSpec {
            recv_capacity: 16,
            ..ServerSpec::new(server.script(lang))
        },
        clients: vec![ClientSpec {
            send_capacity: 16,
            ..ClientSpec::echo(
                ClientKind::Burst,
                &["The quick brown fox jumps over the lazy dog"],
                lang,
                Instant::from_millis(1),
            )
        }],
        added_client: ClientSpec::echo(ClientKind::Interactive, &[], lang, Instant::ZERO),
        ..WorldConfig::default()
    }
}

/// The lesson's programs with buffers Linux accepts: `SO_RCVBUF` and
/// `SO_SNDBUF` of 4,096 bytes counted as Linux counts them
/// ([`TcpConfig::linux_rmem`]: memory, window scale 7), an Ethernet MSS,
/// and 4,000 bytes for the client to send, so that the window still fills
/// and closes. What real Linux does with `net.ipv4.tcp_rmem` and
/// `tcp_wmem` of "4096 4096 4096" and no timestamps; `tests/linux_tcp.rs`
/// compares the two segment for segment.
pub fn at_linux_sizes(lang: Lang) -> WorldConfig {
    let mut config = config(lang);
    config.tcp = TcpConfig {
        timestamps: false,
        linux_rmem: true,
        ..TcpConfig::default()
    };
    config.server.recv_capacity = LINUX_SIZED_BUFFER;
    config.server.send_capacity = LINUX_SIZED_BUFFER;
    let message = "x".repeat(4000);
    config.clients = vec![ClientSpec {
        send_capacity: LINUX_SIZED_BUFFER,
        recv_capacity: LINUX_SIZED_BUFFER,
        ..ClientSpec::echo(ClientKind::Burst, &[&message], lang, Instant::from_millis(1))
    }];
    config
}

/// The buffer size of [`at_linux_sizes`].
const LINUX_SIZED_BUFFER: usize = 4096;
