//! The `sandbox` lesson. Only the server: the learner adds clients, types messages, calls `recv`,
//! closes, removes a client, resizes buffers.

use super::code::{ClientKind, EchoServer};
use super::{Group, Lesson, Panels};
use crate::sim::time::Instant;
use crate::sim::world::{ClientSpec, ServerSpec, WorldConfig};
use crate::text::{Lang, Text};

pub(super) const LESSON: Lesson = Lesson {
    slug: "sandbox",
    group: Group::Sandbox,
    title: Text::new(
        "沙盒",
        "Sandbox",
    ),
    intro: Text::new(
        "这里只运行服务器。你可以添加客户端、输入消息、随时调用 recv、缩小缓冲区、关闭连接。试试把缓冲区调小，连发几条消息却不读回复。",
        "Only the server runs. Add clients, type messages, call recv when you like, shrink the buffers, close. Try sending several messages without reading the replies, with small buffers.",
    ),
    default_seed: 1,
    panels: Panels::NONE,
    config,
    checkpoints: &[],
};

fn config(lang: Lang) -> WorldConfig {
    WorldConfig {
        lang,
        server: ServerSpec::new(EchoServer::default().script(lang)),
        added_client: ClientSpec::echo(ClientKind::Interactive, &[], lang, Instant::ZERO),
        ..WorldConfig::default()
    }
}
