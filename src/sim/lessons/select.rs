//! The `select` lesson. The three clients of `multi-client`, served by one
//! thread: an event loop on `selectors.DefaultSelector` (epoll) over
//! non-blocking sockets. Each `select` return names the fds that are ready
//! and why; no thread is started and none is woken per client.

use super::code::{ClientKind, EchoServer};
use super::{Group, Lesson, Panels};
use crate::sim::time::Instant;
use crate::sim::world::{ClientSpec, ServerSpec, WorldConfig};
use crate::text::{Lang, Text};

pub(super) const LESSON: Lesson = Lesson {
    slug: "select",
    group: Group::Further,
    title: Text::new(
        "一个线程服务所有客户端：select",
        "One thread for every client: select",
    ),
    intro: Text::new(
        "还是“三个客户端，各一个线程”那一课的三个客户端，但服务器只有一个线程，也没有 threading。它把所有套接字设成非阻塞，交给一个选择器（selectors.DefaultSelector，在 Linux 上是 epoll）；主循环只在 sel.select() 里等待，内核告诉它哪些 fd 就绪：监听套接字可读表示有握手完成的连接可以 accept，连接可读表示接收缓冲区里有字节或对方发来了 FIN。于是 accept() 和 recv() 都不会再阻塞。对比那一课：那里每个客户端一个线程、代码里四个光标，每条消息都要唤醒一个阻塞在 recv() 上的线程；这里只有一个光标，一次 select 返回就能依次处理好几个客户端。代价是：每个处理函数都不能等待，否则所有客户端都得跟着等。",
        "The same three clients as in \"Three clients, one thread each\", but the server has one thread and no threading at all. It makes every socket non-blocking and hands them to a selector (selectors.DefaultSelector, epoll on Linux); its loop waits only in sel.select(), and the kernel tells it which fds are ready: the listening socket is readable when a finished handshake waits to be accepted, a connection when its receive buffer holds bytes or the peer's FIN. So accept() and recv() never block. Compare that lesson: there, a thread per client, four cursors in the code, and every message wakes the one thread blocked in that client's recv(); here, one cursor, and one select return can serve several clients in turn. The price: no handler may ever wait, or every client waits with it.",
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
        server: ServerSpec::new(EchoServer::default().select_script(lang)),
        // The multi-client lesson's clients, at the same moments.
        clients: vec![
            client(&["我是一号", "bye"], 1000),
            client(&["我是二号", "bye"], 1150),
            client(&["我是三号", "bye"], 1300),
        ],
        added_client: ClientSpec::echo(ClientKind::Interactive, &[], lang, Instant::ZERO),
        ..WorldConfig::default()
    }
}
