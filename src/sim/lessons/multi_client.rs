//! The `multi-client` lesson. Three clients, one daemon thread each; the console tells them apart by
//! `(ip, port)`.

use crate::sim::programs::ClientKind;
use crate::sim::time::Instant;
use crate::sim::world::ClientSpec;
use crate::sim::world::WorldConfig;
use crate::text::Text;
use super::{Group, Lesson, Panels};

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
    panels: Panels { browser: false },
    config,
};

fn config() -> WorldConfig {
    let at = Instant::from_micros;
    WorldConfig {
                clients: vec![
                    ClientSpec::new(ClientKind::Scripted, &["我是一号", "bye"], at(1000)),
                    ClientSpec::new(ClientKind::Scripted, &["我是二号", "bye"], at(1150)),
                    ClientSpec::new(ClientKind::Scripted, &["我是三号", "bye"], at(1300)),
                ],
                ..WorldConfig::default()
            }
}
