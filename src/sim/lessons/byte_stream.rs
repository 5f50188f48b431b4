//! The `byte-stream` lesson. Two sends read by one `recv()`, one send read by several, a GBK character
//! cut in two.

use super::code::{ClientKind, EchoServer};
use super::{Group, Lesson, Panels};
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
};

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
