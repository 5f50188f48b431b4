//! The `byte-stream` lesson. Two sends read by one `recv()`, one send read by several, a GBK character
//! cut in two.

use super::code::{ClientKind, EchoServer};
use super::{Group, Lesson, Panels};
use crate::sim::quiz::{Ask, CallKind, Checkpoint, Choice, Moment, Outcome, RecvOutcome, Side, Trigger};
use crate::sim::time::{Duration, Instant};
use crate::sim::world::{ClientSpec, ServerSpec, WorldConfig};
use crate::text::{Lang, Text};

pub(super) const LESSON: Lesson = Lesson {
    slug: "byte-stream",
    group: Group::Course,
    title: Text::new(
        "字节流，而不是消息",
        "A byte stream, not messages",
    ),
    intro: Text::new(
        "客户端一口气发出三条消息；服务器停一会儿后每次只读 8 个字节。TCP 不保留消息边界：两次 send 的内容被一次 recv() 读出，一次 send 要几次 recv() 才读完，切口还可能落在两字节的 GBK 字符中间，于是打印出 \u{FFFD}。",
        "The client sends three messages back to back; the server reads 8 bytes at a time, after a pause. TCP keeps no message boundaries: two sends come out of one recv(), one send takes several recv() calls, and a cut can fall in the middle of a two-byte GBK character, which prints as \u{FFFD}.",
    ),
    default_seed: 5,
    panels: Panels::NONE,
    config,
    checkpoints: CHECKPOINTS,
};

const CHECKPOINTS: &[Checkpoint] = &[
    Checkpoint {
        id: "first-read",
        question: Text::new(
            "客户端一口气发出三条消息：你好（GBK 编码 4 个字节）、hello（5 个）、ab一二三（8 个）。服务器停了一会儿后调用 recv(8)。它会返回什么？",
            "The client sent three messages back to back: 你好 (4 bytes in GBK), hello (5) and ab一二三 (8). After its pause the server calls recv(8). What will it return?",
        ),
        trigger: Trigger { side: Side::Server, call: CallKind::Recv, nth: 1, moment: Moment::Enters },
        ask: Ask::Recv,
        choices: &[
            Choice {
                text: Text::new("只有“你好”：一次 send() 对应一次 recv()", "你好 alone: one recv() for each send()"),
                outcome: Outcome::Recv(RecvOutcome::Whole),
            },
            Choice {
                text: Text::new("两条消息的字节连在一起", "Bytes of two messages run together"),
                outcome: Outcome::Recv(RecvOutcome::Several),
            },
            Choice {
                text: Text::new("只有“你好”的一部分", "Only part of 你好"),
                outcome: Outcome::Recv(RecvOutcome::Part),
            },
        ],
    },
    Checkpoint {
        id: "last-byte",
        question: Text::new(
            "两次 recv(8) 已经取走了 17 个字节中的 16 个，客户端也已经 shutdown，FIN 到了。第三次 recv(8) 会返回什么？",
            "Two recv(8) calls have taken 16 of the 17 bytes, and the client's FIN (it shut down sending) has arrived. What will the third recv(8) return?",
        ),
        trigger: Trigger { side: Side::Server, call: CallKind::Recv, nth: 3, moment: Moment::Enters },
        ask: Ask::Recv,
        choices: &[
            Choice {
                text: Text::new("b''：FIN 已经到了", "b'': the FIN has come"),
                outcome: Outcome::Recv(RecvOutcome::Closed),
            },
            Choice {
                text: Text::new("剩下的那个字节：被切开的“三”的后半", "The one byte left: the second half of 三, cut in two"),
                outcome: Outcome::Recv(RecvOutcome::Part),
            },
            Choice {
                text: Text::new("一条完整的消息", "A whole message"),
                outcome: Outcome::Recv(RecvOutcome::Whole),
            },
            Choice {
                text: Text::new("又是两条消息的字节连在一起", "Pieces of two messages run together again"),
                outcome: Outcome::Recv(RecvOutcome::Several),
            },
        ],
    },
];


fn config(lang: Lang) -> WorldConfig {
    let server = EchoServer {
        sleep: Some(Duration::from_millis(500)),
        recv: 8,
        ..EchoServer::default()
    };
    WorldConfig {
        lang,
        server: ServerSpec::new(server.script(lang)),
        clients: vec![ClientSpec::echo(
            ClientKind::Burst,
            &["你好", "hello", "ab一二三"],
            lang,
            Instant::from_millis(1),
        )],
        added_client: ClientSpec::echo(ClientKind::Interactive, &[], lang, Instant::ZERO),
        ..WorldConfig::default()
    }
}
