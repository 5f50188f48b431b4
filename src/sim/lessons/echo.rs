//! The `echo` lesson. One client and the multi-threaded echo server: `accept()` blocking while
//! the kernel does the handshake, `send()` copying into the send buffer,
//! segments and ACKs, `recv()` draining, the close states.

use super::code::{ClientKind, EchoServer};
use super::{Group, Lesson, Panels};
use crate::sim::time::Instant;
use crate::sim::world::{ClientSpec, ServerSpec, WorldConfig};
use crate::text::{Lang, Text};

pub(super) const LESSON: Lesson = Lesson {
    slug: "echo",
    group: Group::Course,
    title: Text::new(
        "一个客户端，一个服务器",
        "One client, one server",
    ),
    intro: Text::new(
        "看服务器主线程阻塞在 accept() 上，而三次握手完全由内核完成。再跟着每条消息走：send() 只是把字节拷进发送缓冲区，由内核发到网络上，另一端的 recv() 再从接收缓冲区取出。最后，close() 变成 FIN 报文段，连接经过 RFC 9293 的关闭状态。",
        "Watch the server's main thread block in accept() while the kernel alone completes the three-way handshake. Then follow each message: send() only copies bytes into the send buffer, the kernel puts them on the wire, and recv() takes them out of the receive buffer on the other side. At the end, close() turns into FIN segments and the four RFC 9293 closing states.",
    ),
    default_seed: 7,
    panels: Panels::NONE,
    config,
};

fn config(lang: Lang) -> WorldConfig {
    WorldConfig {
        lang,
        server: ServerSpec::new(EchoServer::default().script(lang)),
        clients: vec![ClientSpec::echo(
            ClientKind::Scripted,
            &["你好", "how are you?"],
            lang,
            Instant::from_millis(1),
        )],
        added_client: ClientSpec::echo(ClientKind::Interactive, &[], lang, Instant::ZERO),
        ..WorldConfig::default()
    }
}
