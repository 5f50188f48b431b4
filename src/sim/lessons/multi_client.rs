//! The `multi-client` lesson. Three clients, one daemon thread each; the console tells them apart by
//! `(ip, port)`.

use super::code::{ClientKind, EchoServer};
use super::{Group, Lesson, Panels};
use crate::sim::time::Instant;
use crate::sim::world::{ClientSpec, ServerSpec, WorldConfig};
use crate::text::{Lang, Text};

pub(super) const LESSON: Lesson = Lesson {
    slug: "multi-client",
    group: Group::Course,
    title: Text::new(
        "三个客户端，各一个线程",
        "Three clients, one thread each",
    ),
    intro: Text::new(
        "三个客户端几乎同时连接。主线程只负责 accept 并为每个客户端启动一个守护线程；这些线程各自阻塞在自己的 recv() 上，一个慢客户端不会拖住其他人。控制台用 accept() 返回的 (IP, 端口) 区分每条消息来自谁。",
        "Three clients connect almost at once. The main thread only accepts and starts a daemon thread per client; each of those threads blocks in its own recv(), so a slow client never holds up the others. The console shows whose message is whose by the (IP, port) pair accept() returned.",
    ),
    default_seed: 11,
    panels: Panels::NONE,
    config,
    checkpoints: &[],
};

fn config(lang: Lang) -> WorldConfig {
    let client = |messages: &[&str], at: u64| {
        ClientSpec::echo(ClientKind::Scripted, messages, lang, Instant::from_micros(at))
    };
    WorldConfig {
        lang,
        server: ServerSpec::new(EchoServer::default().script(lang)),
        clients: vec![
            client(&["我是一号", "bye"], 1000),
            client(&["我是二号", "bye"], 1150),
            client(&["我是三号", "bye"], 1300),
        ],
        added_client: ClientSpec::echo(ClientKind::Interactive, &[], lang, Instant::ZERO),
        ..WorldConfig::default()
    }
}
